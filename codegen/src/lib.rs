//! Generates Rust clients from AWS service models.
//!
//! The pipeline: a front end reads the model ([`botocore`] JSON or a [`smithy`] JSON AST) into one
//! shape graph
//! ([`ir`]); [`graph`] selects the operations and walks their closure; [`naming`] gives every
//! item its Rust name; [`emit`] builds tokens that [`render`] formats into files.

pub mod api_diff;
pub mod botocore;
pub mod context_path;
pub mod docs;
pub mod emit;
pub mod error;
mod front_end;
pub mod graph;
pub mod ir;
pub mod naming;
pub mod render;
#[rustfmt::skip]
mod runtime_client_files;
mod runtime_files;
mod s3_expires;
pub mod smithy;
pub mod waiter_path;

pub use emit::{CrateOptions, Emitted, RuntimeSource};
pub use error::ModelError;
pub use graph::OperationFilter;
pub use render::GeneratedFile;

use std::fmt;

/// Why generation failed.
#[derive(Debug)]
pub enum Error {
    /// The model cannot be used.
    Model(ModelError),
    /// The generator built something that is not valid Rust: a bug in the generator.
    Emit(String),
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Model(e) => write!(f, "{e}"),
            Error::Emit(e) => write!(f, "{e}"),
        }
    }
}

impl std::error::Error for Error {}

impl From<ModelError> for Error {
    fn from(e: ModelError) -> Self {
        Error::Model(e)
    }
}

/// Reads a model file's text, botocore `service-2.json` or Smithy JSON AST, recognised by its
/// content. `file` names it in error messages.
pub fn parse_model(file: &str, text: &str) -> Result<ir::Model, ModelError> {
    let mut model = match ModelFormat::detect(file, text)? {
        ModelFormat::Botocore => botocore::parse(file, text)?,
        ModelFormat::Smithy => smithy::parse(file, text)?,
    };
    model.normalize();
    model.remove_what_endpoint_rules_bind();
    s3_expires::apply(&mut model);
    // A Smithy model's waiters come with it (botocore's are added by `Model::with_waiters`).
    model.check_waiters(file)?;
    model.check_endpoint_params(file)?;
    Ok(model)
}

/// The model formats the generator reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ModelFormat {
    /// A botocore `service-2.json`: top-level `metadata` and `shapes`.
    Botocore,
    /// A Smithy JSON AST: a top-level `smithy` version.
    Smithy,
}

impl ModelFormat {
    /// Recognises the format of a model file's text by its top-level keys, without building
    /// the document. `file` names it in error messages.
    pub fn detect(file: &str, text: &str) -> Result<ModelFormat, ModelError> {
        use serde::de::IgnoredAny;
        let keys: std::collections::BTreeMap<String, IgnoredAny> = serde_json::from_str(text).map_err(|e| {
            if e.classify() == serde_json::error::Category::Data {
                ModelError::file(file, "expected a JSON object at the top level")
            } else {
                ModelError::json(file, &e)
            }
        })?;
        if keys.contains_key("smithy") {
            Ok(ModelFormat::Smithy)
        } else if keys.contains_key("metadata") && keys.contains_key("shapes") {
            Ok(ModelFormat::Botocore)
        } else if let Some((has, lacks)) =
            [("metadata", "shapes"), ("shapes", "metadata")].into_iter().find(|(has, _)| keys.contains_key(*has))
        {
            Err(ModelError::file(
                file,
                format!(
                    "has a top-level `{has}` but no `{lacks}`: a botocore service-2.json needs both \
                     (and a Smithy JSON AST a top-level `smithy` version)"
                ),
            ))
        } else {
            Err(ModelError::file(
                file,
                "not a model this generator reads: expected a Smithy JSON AST (a top-level `smithy` \
                 version) or a botocore service-2.json (top-level `metadata` and `shapes`)",
            ))
        }
    }
}

/// Generates a crate for the operations `filter` selects from the model in `text`, without
/// an endpoint rule set (see [`generate_with_extras`]).
pub fn generate(file: &str, text: &str, filter: &OperationFilter, options: &CrateOptions) -> Result<Emitted, Error> {
    let model = parse_model(file, text)?;
    let selection = graph::select(file, &model, filter)?;
    emit::emit(&model, &selection, options).map_err(Error::Emit)
}

/// The files botocore keeps beside a `service-2.json`, each optional. A Smithy model carries the
/// same as traits of its service and operations, which it needs none of these for.
#[derive(Clone, Copy, Debug, Default)]
pub struct ModelExtras<'a> {
    /// The endpoint rule set (`endpoint-rule-set-1.json`): with it the client resolves
    /// endpoints by the service's rules.
    pub rule_set: Option<&'a str>,
    /// `paginators-1.json` as (file name for errors, text): every selected operation it has a
    /// paginator for gets `into_paginator()`.
    pub paginators: Option<(&'a str, &'a str)>,
    /// `waiters-2.json` as (file name for errors, text): every waiter of a selected operation
    /// gets a `Client::wait_until_*` method.
    pub waiters: Option<(&'a str, &'a str)>,
    /// The protocol to generate (`--protocol`), instead of the first one the model lists that
    /// the generator emits.
    pub protocol: Option<ir::Protocol>,
}

/// Generates a crate for the operations `filter` selects from the model in `text`, with what
/// `extras` adds and the model's own rule set, paginators and waiters; `partitions` is
/// botocore's `partitions.json`, which the endpoint rules read.
pub fn generate_with_extras(
    file: &str,
    text: &str,
    extras: &ModelExtras<'_>,
    partitions: &str,
    filter: &OperationFilter,
    options: &CrateOptions,
) -> Result<Emitted, Error> {
    let ModelExtras { rule_set, paginators, waiters, protocol } = *extras;
    let mut model = parse_model(file, text)?.with_endpoint_rule_set(rule_set.map(str::to_string));
    if let Some(protocol) = protocol {
        model = model.with_protocol(protocol).map_err(|why| ModelError::at(file, "--protocol", why))?;
    }
    if let Some((paginators_file, paginators_text)) = paginators {
        model = model.with_paginators(paginators_file, paginators_text)?;
    }
    if let Some((waiters_file, waiters_text)) = waiters {
        model = model.with_waiters(waiters_file, waiters_text)?;
    }
    let selection = graph::select(file, &model, filter)?;
    emit::emit_with_endpoints(&model, &selection, options, partitions).map_err(Error::Emit)
}
