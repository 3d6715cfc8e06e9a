//! The emitters: the shape graph → the files of a generated crate. Each submodule emits one
//! kind of item; this module decides which files exist and what goes into each.

mod context;
mod enums;
mod json;
mod operation;
mod structure;
mod validate;

use std::collections::BTreeMap;

use proc_macro2::TokenStream;
use quote::quote;

pub use context::Context;
pub use structure::REDACTED;

use crate::graph::Selection;
use crate::ir::{Model, ShapeKind};
use crate::naming::{Names, generates_type, ident, operation_module};
use crate::render::{self, GeneratedFile};
use crate::runtime_files::RUNTIME_FILES;

/// How to describe and package the generated crate.
#[derive(Clone, Debug)]
pub struct CrateOptions {
    /// The package name in `Cargo.toml`.
    pub crate_name: String,
    /// The model file as the header of each generated file names it.
    pub model_label: String,
    /// The command that regenerates the files, for their header.
    pub command: String,
    /// Add an empty `[workspace]` table, for a crate generated outside any workspace.
    pub standalone: bool,
}

/// Counts for the one-line summary.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Counts {
    /// Operations.
    pub operations: usize,
    /// Structures (not exceptions).
    pub structures: usize,
    /// String enums and intEnums.
    pub enums: usize,
    /// Unions.
    pub unions: usize,
    /// Modelled exceptions.
    pub errors: usize,
    /// Shapes mapped to std or primitive types (strings, numbers, lists, maps, ...).
    pub other_shapes: usize,
}

/// The generated files, plus what the caller should tell the user.
#[derive(Debug)]
pub struct Emitted {
    /// Files, with paths relative to the crate root, sorted by path.
    pub files: Vec<GeneratedFile>,
    /// Counts by kind.
    pub counts: Counts,
    /// Model patterns the `regex` crate cannot compile: (shape, pattern, error). They are not
    /// checked by the generated validation.
    pub unsupported_patterns: Vec<(String, String, String)>,
}

/// Emits a crate for the selected operations.
pub fn emit(model: &Model, selection: &Selection, options: &CrateOptions) -> Result<Emitted, String> {
    emit_at(model, selection, options, None, None)
}

/// The endpoint rule set of a service and the partitions it reads, both JSON, embedded in the
/// generated code for the runtime's resolver.
#[derive(Clone, Debug)]
pub struct EndpointFiles {
    /// The service's `endpoint-rule-set-1.json` (or a Smithy model's `endpointRuleSet` trait).
    pub rule_set: String,
    /// botocore's `partitions.json`.
    pub partitions: String,
}

/// Emits a crate whose client resolves endpoints with `endpoints`; without them (as [`emit`])
/// requests go to `https://{endpoint prefix}.{region}.amazonaws.com` or the configured URL.
pub fn emit_with_endpoints(
    model: &Model,
    selection: &Selection,
    options: &CrateOptions,
    endpoints: Option<&EndpointFiles>,
) -> Result<Emitted, String> {
    emit_at(model, selection, options, None, endpoints)
}

/// Emits the selected operations as a module of another crate, at `module_path` (e.g.
/// `crate::services::foo`), which is the module's path in that crate. The files are relative to
/// the module's directory, with `mod.rs` its root; the crate must have the runtime at
/// `crate::runtime` (see [`runtime_files`]) and the runtime's dependencies ([`dependencies`]).
/// Several services can so share one crate and one copy of the runtime.
pub fn emit_module(
    model: &Model,
    selection: &Selection,
    options: &CrateOptions,
    module_path: &str,
) -> Result<Emitted, String> {
    emit_at(model, selection, options, Some(module_path), None)
}

/// The runtime's files, as [`emit`] writes them under `src/runtime/`, with paths relative to
/// that directory.
pub fn runtime_files(command: &str) -> Vec<GeneratedFile> {
    RUNTIME_FILES
        .iter()
        .map(|(file, source)| GeneratedFile {
            path: file.to_string(),
            contents: format!("{}\n\n{source}", render::copy_header(file, command)),
        })
        .collect()
}

/// The `[dependencies]` table (and the runtime's `[dev-dependencies]`) that the runtime needs,
/// as TOML.
pub fn dependencies() -> String {
    // The runtime crate's manifest from its `[dependencies]` table on, without its comments
    // (the README and that manifest say why each dependency is there).
    include_str!("../../runtime/Cargo.toml")
        .lines()
        .skip_while(|line| *line != "[dependencies]")
        .filter(|line| !line.starts_with('#'))
        .collect::<Vec<_>>()
        .join("\n")
}

fn emit_at(
    model: &Model,
    selection: &Selection,
    options: &CrateOptions,
    module_path: Option<&str>,
    endpoints: Option<&EndpointFiles>,
) -> Result<Emitted, String> {
    let names = Names::new(model, &selection.shapes, &selection.operations);
    let mut unsupported_patterns = Vec::new();
    let mut patterns = BTreeMap::new();
    for name in &selection.sent {
        if let ShapeKind::String(s) = &model.shape(name).kind
            && let (Some(pattern), None) = (&s.pattern, &s.enum_values)
        {
            let support = pattern_support(pattern);
            if let PatternSupport::Unsupported(reason) = &support {
                unsupported_patterns.push((name.clone(), pattern.clone(), reason.clone()));
            }
            patterns.insert(name.clone(), support);
        }
    }
    let root: TokenStream = match module_path {
        None => quote!(crate),
        Some(path) => path.parse().map_err(|e| format!("the module path {path:?} is not a Rust path: {e}"))?,
    };
    let cx = Context { model, selection, names: &names, patterns, root };
    let header = render::header(&options.model_label, &options.command);
    let mut files = Vec::new();
    let mut counts = Counts { operations: selection.operations.len(), ..Counts::default() };

    let mut type_modules = Vec::new();
    let mut error_modules = Vec::new();
    for name in &selection.shapes {
        let shape = model.shape(name);
        if !generates_type(&shape.kind) {
            counts.other_shapes += 1;
            continue;
        }
        let tokens = shape_file(&cx, name, &mut counts);
        let module = names.module(name).to_string();
        let dir = if cx.is_exception(name) { "error" } else { "types" };
        files.push(render::rust_file(&format!("src/{dir}/{}.rs", crate::naming::unraw(&module)), tokens, &header)?);
        let entry = (module, names.type_name(name).to_string());
        if dir == "error" { error_modules.push(entry) } else { type_modules.push(entry) }
    }

    files.push(render::rust_file(
        "src/types/mod.rs",
        reexport_module("The model's structures, enums and unions.", &type_modules),
        &header,
    )?);
    let mut error_mod =
        reexport_module("Errors: the service's modelled errors, and those every operation shares.", &error_modules);
    if needs_service_error(&cx) {
        files.push(render::rust_file("src/error/service_error.rs", service_error(&cx), &header)?);
        error_mod.extend(quote!(
            mod service_error;
            pub use service_error::ServiceError;
        ));
    }
    error_mod.extend(quote! {
        pub use crate::runtime::error::{ErrorMetadata, RequestError};
        pub use crate::runtime::validate::{InvalidInput, Problem, ProblemKind};
    });
    files.push(render::rust_file("src/error/mod.rs", error_mod, &header)?);

    let mut operation_modules = Vec::new();
    for name in &selection.operations {
        let operation = &model.operations[name];
        let module = operation_module(name);
        let mut tokens = operation::operation_module(&cx, operation);
        tokens.extend(operation::fluent_builder(&cx, operation));
        files.push(render::rust_file(&format!("src/operation/{}.rs", crate::naming::unraw(&module)), tokens, &header)?);
        operation_modules.push(module);
    }
    let operation_mods = operation_modules.iter().map(|m| {
        let m = ident(m);
        quote!(pub mod #m;)
    });
    files.push(render::rust_file(
        "src/operation/mod.rs",
        quote!(#![doc = " The operations, a module each: input, output, error."] #(#operation_mods)*),
        &header,
    )?);

    files.push(render::rust_file("src/patterns.rs", patterns_module(&cx), &header)?);
    files.push(render::rust_file("src/client.rs", client_module(&cx, endpoints.is_some()), &header)?);
    if let Some(endpoints) = endpoints {
        files.push(render::rust_file("src/endpoint_rules.rs", endpoint_rules_module(endpoints)?, &header)?);
    }
    if module_path.is_some() {
        files.push(render::rust_file("src/mod.rs", root_module(&cx, false, endpoints.is_some()), &header)?);
        // A module's files live in its own directory, beside the crate's other modules.
        for file in &mut files {
            file.path = file.path.strip_prefix("src/").unwrap_or(&file.path).to_string();
        }
    } else {
        files.push(render::rust_file("src/lib.rs", root_module(&cx, true, endpoints.is_some()), &header)?);
        for mut file in runtime_files(&options.command) {
            file.path = format!("src/runtime/{}", file.path);
            files.push(file);
        }
        files.push(GeneratedFile { path: "Cargo.toml".to_string(), contents: cargo_toml(model, options) });
    }
    files.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(Emitted { files, counts, unsupported_patterns })
}

/// Whether a model pattern can be checked with the `regex` crate.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PatternSupport {
    /// It compiles and is checked.
    Checked,
    /// It matches every value (`[\S\s]*`): there is nothing to check.
    Vacuous,
    /// The `regex` crate cannot compile it (look-around, back-references): not checked.
    Unsupported(String),
}

/// The compiled-size limit of patterns, the same as the runtime's (`Pattern::SIZE_LIMIT`):
/// character classes such as `[\p{L}\p{N}]{0,1024}` need more than regex's default 10 MiB.
const PATTERN_SIZE_LIMIT: usize = 64 << 20;

fn pattern_support(pattern: &str) -> PatternSupport {
    // The same whole-value form as the runtime's `Pattern::compile`.
    match regex::RegexBuilder::new(&format!("^(?:{pattern})$")).size_limit(PATTERN_SIZE_LIMIT).build() {
        Err(e) => PatternSupport::Unsupported(e.to_string().lines().last().unwrap_or_default().trim().to_string()),
        Ok(_) if MATCH_ANYTHING.contains(&pattern) => PatternSupport::Vacuous,
        Ok(_) => PatternSupport::Checked,
    }
}

/// Patterns that match every string, the only ones whose check is skipped.
const MATCH_ANYTHING: &[&str] = &["[\\S\\s]*", "[\\s\\S]*", "(?s).*"];

/// One shape's file: its type and the impls its direction needs.
fn shape_file(cx: &Context, name: &str, counts: &mut Counts) -> TokenStream {
    let sent = cx.selection.sent.contains(name);
    let received = cx.selection.received.contains(name);
    match &cx.shape(name).kind {
        ShapeKind::Structure(s) => {
            if s.exception.is_some() {
                counts.errors += 1;
            } else {
                counts.structures += 1;
            }
            let mut tokens = structure::structure(cx, name, s);
            if sent {
                tokens.extend(json::structure_to_json(cx, name, s));
                tokens.extend(validate::structure_validate(cx, name, s));
            }
            if received {
                tokens.extend(json::structure_from_json(cx, name, s));
            }
            if cx.model.operations.values().any(|op| op.input.as_deref() == Some(name)) && sent {
                tokens.extend(input_checks(cx, name));
            }
            tokens
        }
        ShapeKind::Union(u) => {
            counts.unions += 1;
            let mut tokens = enums::union(cx, name, u);
            if sent {
                tokens.extend(json::union_to_json(cx, name, u));
                tokens.extend(validate::union_validate(cx, name, u));
            }
            if received {
                tokens.extend(json::union_from_json(cx, name, u));
            }
            tokens
        }
        ShapeKind::String(s) => {
            counts.enums += 1;
            enums::string_enum(cx, name, s)
        }
        ShapeKind::Integer(i) => {
            counts.enums += 1;
            enums::int_enum(cx, name, i)
        }
        _ => TokenStream::new(),
    }
}

/// `check_required` and `validate` on an operation input.
fn input_checks(cx: &Context, name: &str) -> TokenStream {
    let type_name = ident(cx.names.type_name(name));
    let runtime = quote!(crate::runtime);
    quote! {
        impl #type_name {
            /// Checks that every member the model requires is set, at any depth, and reports
            /// each missing one with its path. The client runs this before sending.
            pub fn check_required(&self) -> Result<(), #runtime::validate::InvalidInput> {
                let mut report = #runtime::validate::Report::new(#runtime::validate::Checks::Required);
                #runtime::validate::Validate::validate_into(self, &#runtime::path::Path::Root, &mut report);
                report.finish()
            }

            /// Checks required members and every constraint of the model (lengths, patterns,
            /// ranges, list and map sizes), reporting each violation with its path. The client
            /// runs this before sending when its config turns validation on.
            pub fn validate(&self) -> Result<(), #runtime::validate::InvalidInput> {
                let mut report = #runtime::validate::Report::new(#runtime::validate::Checks::All);
                #runtime::validate::Validate::validate_into(self, &#runtime::path::Path::Root, &mut report);
                report.finish()
            }
        }
    }
}

/// A `mod.rs` declaring a module per type and re-exporting the type.
fn reexport_module(doc: &str, modules: &[(String, String)]) -> TokenStream {
    let doc = format!(" {doc}");
    let items = modules.iter().map(|(module, type_name)| {
        let module = ident(module);
        let type_name = ident(type_name);
        quote!(mod #module; pub use #module::#type_name;)
    });
    quote!(#![doc = #doc] #(#items)*)
}

/// The statics holding the model's patterns, one per string shape that has one.
fn patterns_module(cx: &Context) -> TokenStream {
    let statics = cx.patterns.iter().map(|(shape, support)| {
        let pattern = match &cx.shape(shape).kind {
            ShapeKind::String(s) => s.pattern.clone().unwrap_or_default(),
            _ => String::new(),
        };
        let name = ident(&validate::pattern_static(shape));
        let doc = format!(" The pattern of `{shape}`.");
        match support {
            PatternSupport::Checked => quote! {
                #[doc = #doc]
                pub(crate) static #name: crate::runtime::validate::Pattern = crate::runtime::validate::Pattern::new(#pattern);
            },
            PatternSupport::Vacuous => {
                let note = format!(" The pattern of `{shape}`, {pattern:?}, matches every value: not checked.");
                quote!(#[doc = #note] #[allow(dead_code)] pub(crate) const #name: &str = #pattern;)
            }
            PatternSupport::Unsupported(reason) => {
                let note = format!(" The pattern of `{shape}`, {pattern:?}, is not supported by the `regex` crate ({reason}): not checked.");
                quote!(#[doc = #note] #[allow(dead_code)] pub(crate) const #name: &str = #pattern;)
            }
        }
    });
    quote!(#![doc = " The model's patterns, compiled on first use by the validation."] #(#statics)*)
}

/// The root of a service's code: the crate root (`lib.rs`, beside the runtime) or, for a
/// service emitted as a module of another crate, that module's `mod.rs`, which uses the
/// crate's shared runtime instead.
fn root_module(cx: &Context, crate_root: bool, has_endpoint_rules: bool) -> TokenStream {
    let service = &cx.model.service;
    let title = format!(" # {} client", service.full_name);
    let generated = format!(
        " Generated from the `{}` model (API version {}); operations: {}.",
        service.sdk_id,
        service.api_version,
        cx.selection.operations.iter().map(|o| format!("`{o}`")).collect::<Vec<_>>().join(", ")
    );
    let service_docs = context::module_doc_attrs(service.documentation.as_deref(), "");
    let endpoint_rules = has_endpoint_rules.then(|| quote! { mod endpoint_rules; });
    // Braces, not parentheses: rustfmt rewrites `quote!(..)` and drops a `#[rustfmt::skip]` in it.
    let (runtime, config) = if crate_root {
        (
            quote! { #[rustfmt::skip] pub mod runtime; },
            quote! { pub use runtime::config::Config; pub use runtime::request_id::RequestId; },
        )
    } else {
        (
            TokenStream::new(),
            quote! { pub use crate::runtime::config::Config; pub use crate::runtime::request_id::RequestId; },
        )
    };
    quote! {
        #![doc = #title]
        #![doc = ""]
        #![doc = #generated]
        #![doc = ""]
        #service_docs
        #![warn(missing_docs)]
        // The generated code reads and writes deprecated members and types; users of them are
        // still warned, as the lint fires at the use site.
        #![allow(deprecated)]
        // Error enums hold the model's error structures by value, as users match on them; a
        // union's variants are as large as the model makes them; a recursive shape's
        // validation passes its report down. None of these is worth an API of boxes.
        #![allow(clippy::result_large_err, clippy::large_enum_variant, clippy::only_used_in_recursion)]

        #[rustfmt::skip]
        pub mod client;
        #endpoint_rules
        #[rustfmt::skip]
        pub mod error;
        #[rustfmt::skip]
        pub mod operation;
        #[rustfmt::skip]
        mod patterns;
        #runtime
        #[rustfmt::skip]
        pub mod types;

        pub use client::Client;
        #config

        /// Timestamps, binary data and untyped JSON documents, as the AWS SDKs for Rust type them.
        pub mod primitives {
            pub use aws_smithy_types::{Blob, DateTime, Document};
        }
    }
}

/// Whether some operation may receive an error the model defines but the operation does not
/// list: then the crate has an `error::ServiceError` covering every modelled error.
fn needs_service_error(cx: &Context) -> bool {
    cx.selection.operations.iter().any(|name| !cx.selection.unlisted_errors(&cx.model.operations[name]).is_empty())
}

/// `error::ServiceError`: any error the model defines, read by its code.
fn service_error(cx: &Context) -> TokenStream {
    let runtime = quote!(crate::runtime);
    let errors: Vec<(proc_macro2::Ident, TokenStream, String)> = cx
        .selection
        .exceptions
        .iter()
        .map(|shape| {
            (ident(cx.names.type_name(shape)), cx.type_path(shape), format!(" The service's `{shape}` error."))
        })
        .collect();
    let variants = errors.iter().map(|(variant, path, doc)| quote!(#[doc = #doc] #variant(#path),));
    let arms = errors.iter().map(|(variant, path, _)| {
        quote! {
            #path::CODE => {
                // A modelled error whose body does not fit its shape still keeps its type.
                let mut error: #path =
                    #runtime::json::FromJson::from_json(body, &#runtime::path::Path::Root).unwrap_or_default();
                error.error_metadata = metadata;
                Ok(Self::#variant(error))
            }
        }
    });
    let metadata_arms = errors.iter().map(|(variant, _, _)| quote!(Self::#variant(error) => &error.error_metadata,));
    let display_arms = errors.iter().map(|(variant, _, _)| quote!(Self::#variant(error) => write!(f, "{error}"),));
    let source_arms = errors.iter().map(|(variant, _, _)| quote!(Self::#variant(error) => Some(error),));
    quote! {
        #![doc = " Any error the model defines, whichever operations list it."]

        /// An error the service answered with, read as the model's error of that code. A
        /// service may answer an operation with an error the model defines but does not list
        /// for that operation; its error type then carries it as one of these.
        #[non_exhaustive]
        #[derive(Debug)]
        pub enum ServiceError {
            #(#variants)*
        }

        impl ServiceError {
            /// The model's error for the code in `metadata`, read from the JSON `body`; gives
            /// `metadata` back when the model defines no error of that code.
            pub fn from_service_error(
                metadata: #runtime::error::ErrorMetadata,
                body: &::serde_json::Value,
            ) -> Result<Self, #runtime::error::ErrorMetadata> {
                match metadata.code.as_str() {
                    #(#arms)*
                    _ => Err(metadata),
                }
            }

            /// What the service's error response said: code, message, HTTP status, request id.
            pub fn metadata(&self) -> &#runtime::error::ErrorMetadata {
                match self {
                    #(#metadata_arms)*
                }
            }
        }

        impl std::fmt::Display for ServiceError {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                match self {
                    #(#display_arms)*
                }
            }
        }

        impl std::error::Error for ServiceError {
            fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
                match self {
                    #(#source_arms)*
                }
            }
        }
    }
}

/// The endpoint rule set and partitions, as the model ships them.
fn endpoint_rules_module(endpoints: &EndpointFiles) -> Result<TokenStream, String> {
    let rule_set = raw_string(&endpoints.rule_set)?;
    let partitions = raw_string(&endpoints.partitions)?;
    Ok(quote! {
        #![doc = " The service's endpoint rule set and the AWS partitions, read by the endpoint resolver."]

        /// The endpoint rule set (JSON).
        pub(crate) const RULE_SET: &str = #rule_set;

        /// The partitions `aws.partition` reads (JSON).
        pub(crate) const PARTITIONS: &str = #partitions;
    })
}

/// A raw string literal of `text`, lines kept, so a model update shows as a readable diff.
fn raw_string(text: &str) -> Result<TokenStream, String> {
    let hashes = (1..).map(|n| "#".repeat(n)).find(|h| !text.contains(&format!("\"{h}"))).unwrap_or_default();
    format!("r{hashes}\"{text}\"{hashes}").parse().map_err(|e| format!("cannot embed the endpoint rules: {e}"))
}

/// The client: one method per operation.
fn client_module(cx: &Context, has_endpoint_rules: bool) -> TokenStream {
    let service = &cx.model.service;
    let runtime = quote!(crate::runtime);
    let root = &cx.root;
    // `AWS_ENDPOINT_URL_<SERVICE>`: the SDK id in upper case, spaces as underscores.
    let endpoint_env_name = service.sdk_id.to_ascii_uppercase().replace([' ', '-'], "_");
    let (rule_set, partitions) = if has_endpoint_rules {
        (quote!(Some(#root::endpoint_rules::RULE_SET)), quote!(#root::endpoint_rules::PARTITIONS))
    } else {
        (quote!(None), quote!(""))
    };
    let (target_prefix, signing_name, endpoint_prefix, json_version) =
        (&service.target_prefix, &service.signing_name, &service.endpoint_prefix, service.protocol.json_version());
    let methods = cx.selection.operations.iter().map(|name| {
        let operation = &cx.model.operations[name];
        let method = ident(&crate::naming::operation_method(name));
        let module = ident(&operation_module(name));
        let builder = quote::format_ident!("{}FluentBuilder", crate::naming::operation_type_base(name));
        let docs = context::doc_attrs(operation.documentation.as_deref(), &format!("Calls `{name}`."));
        let deprecated = context::deprecated_attr(operation.deprecated.as_ref());
        quote! {
            #docs
            #deprecated
            pub fn #method(&self) -> #root::operation::#module::#builder {
                #root::operation::#module::#builder::new(self.handle.clone())
            }
        }
    });
    let title =
        format!(" A client for {}: a method per operation, each returning a builder to `send()`.", service.full_name);
    quote! {
        #![doc = " The client."]

        #[doc = #title]
        ///
        /// Cheap to clone: clones share the connection pool and the retry quota.
        #[derive(Clone, Debug)]
        pub struct Client {
            handle: std::sync::Arc<#runtime::client::Handle>,
        }

        impl Client {
            /// The model's facts about the service, used by every call.
            const SERVICE: #runtime::client::ServiceInfo = #runtime::client::ServiceInfo {
                target_prefix: #target_prefix,
                signing_name: #signing_name,
                endpoint_prefix: #endpoint_prefix,
                json_version: #json_version,
                endpoint_env_name: #endpoint_env_name,
                endpoint_rule_set: #rule_set,
                partitions: #partitions,
            };

            /// A client with `config`.
            pub fn new(config: #runtime::config::Config) -> Self {
                Client { handle: std::sync::Arc::new(#runtime::client::Handle::new(config, Self::SERVICE)) }
            }

            /// A client configured from the environment: region from `AWS_REGION` or the
            /// profile, credentials from the environment or the shared profile files.
            pub fn from_env() -> Self {
                Self::new(#runtime::config::Config::from_env())
            }

            /// The client's settings.
            pub fn config(&self) -> &#runtime::config::Config {
                self.handle.config()
            }

            #(#methods)*
        }
    }
}

/// The generated crate's manifest: the package, and the runtime's dependencies.
fn cargo_toml(model: &Model, options: &CrateOptions) -> String {
    let dependencies = dependencies();
    let workspace = if options.standalone { "\n[workspace]\n" } else { "" };
    format!(
        "# Code generated by `{command}` from {model_label}; DO NOT EDIT.\n\
         [package]\n\
         name = \"{name}\"\n\
         version = \"0.1.0\"\n\
         edition = \"2024\"\n\
         rust-version = \"1.94\"\n\
         description = \"Client for {full_name}, generated from its AWS model.\"\n\
         license = \"Apache-2.0\"\n\
         publish = false\n\
         {workspace}\n\
         {dependencies}\n",
        command = options.command,
        model_label = options.model_label,
        name = options.crate_name,
        full_name = model.service.full_name,
    )
}
