//! The emitters: the shape graph → the files of a generated crate. Each submodule emits one
//! kind of item; this module decides which files exist and what goes into each.

mod cbor;
mod client;
mod context;
mod crate_error;
mod endpoint_rules;
mod enums;
mod json;
mod manifest;
mod operation;
mod parallel;
mod patterns;
mod protocol;
mod query;
mod rest_json;
mod rest_xml;
mod root;
mod s3_multipart;
mod service_error;
mod structure;
mod validate;
mod waiter;
mod xml;
mod xml_write;

use std::collections::{BTreeMap, HashMap, HashSet};

use proc_macro2::TokenStream;
use quote::quote;

pub use context::Context;
pub use manifest::{crate_name, dependencies, runtime_files};
pub use patterns::PatternSupport;
pub use structure::REDACTED;

use crate::graph::Selection;
use crate::ir::{Model, ShapeKind};
use crate::naming::{Names, generates_type, ident, operation_module};
use crate::render::{self, GeneratedFile};

/// How to describe and package the generated crate.
#[derive(Clone, Debug)]
pub struct CrateOptions {
    /// The package name in `Cargo.toml`; `None` names it after the service ([`crate_name`]).
    pub crate_name: Option<String>,
    /// The model file as the header of each generated file names it: a path relative to the
    /// generated crate or the workspace, never one of the generating machine.
    pub model_label: String,
    /// The command that regenerates the files, for their header.
    pub command: String,
    /// Add an empty `[workspace]` table, for a crate generated outside any workspace.
    pub standalone: bool,
    /// Where the generated code finds the runtime.
    pub runtime: RuntimeSource,
}

/// Where a generated crate gets the client runtime from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RuntimeSource {
    /// The `awsgen-runtime` crate, by this path relative to the generated crate's directory:
    /// every service crate of a program then shares one runtime and one config.
    Crate {
        /// The runtime crate's directory (`codegen/runtime` of this repository), relative to
        /// the generated crate's.
        path: String,
    },
    /// A copy of the runtime's files as the crate's `runtime` module, so the crate builds with
    /// nothing of ours beside it (and shares nothing with other generated crates).
    Inline,
}

impl RuntimeSource {
    /// The runtime crate at `runtime_dir`, for a crate generated into `crate_dir`: the path from
    /// one to the other, so the manifest names no directory of the generating machine. Both are
    /// made absolute (through the current directory) first; `crate_dir` need not exist yet.
    pub fn crate_at(runtime_dir: &std::path::Path, crate_dir: &std::path::Path) -> RuntimeSource {
        RuntimeSource::Crate { path: relative_path(crate_dir, runtime_dir) }
    }

    /// The runtime's path in generated code: `crate::runtime` either way. The crate root makes
    /// it the runtime crate (`pub use ::awsgen_runtime as runtime;`) or the inline module, so
    /// the generated items read the same, and stay as short, whichever the crate has.
    fn rust_path(&self) -> TokenStream {
        quote!(crate::runtime)
    }
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
    /// Selected operations the model paginates that get no `into_paginator()`, with why
    /// (several tokens, a first result key that is not a list, a JMESPath expression).
    pub unsupported_paginators: Vec<(String, String)>,
    /// Operations of the model that are not generated, with why (see
    /// [`crate::graph::unsupported_operation`]).
    pub skipped_operations: Vec<(String, String)>,
}

/// Emits a crate for the selected operations, without endpoint rules: requests go to
/// `https://{endpoint prefix}.{region}.amazonaws.com` or the configured URL.
pub fn emit(model: &Model, selection: &Selection, options: &CrateOptions) -> Result<Emitted, String> {
    emit_at(model, selection, options, None, None)
}

/// Emits a crate whose client resolves endpoints with the model's endpoint rule set and
/// `partitions` (botocore's `partitions.json`), both embedded as JSON; a model without a rule
/// set gives what [`emit`] gives.
pub fn emit_with_endpoints(
    model: &Model,
    selection: &Selection,
    options: &CrateOptions,
    partitions: &str,
) -> Result<Emitted, String> {
    emit_at(model, selection, options, None, Some(partitions))
}

/// Emits the selected operations as a module of another crate, at `module_path` (e.g.
/// `crate::services::foo`), which is the module's path in that crate. The files are relative to
/// the module's directory, with `mod.rs` its root. The crate must have the runtime at
/// `crate::runtime`: `pub use awsgen_runtime as runtime;` or, with [`RuntimeSource::Inline`],
/// the runtime's files as that module (see [`runtime_files`]) and its dependencies
/// ([`dependencies`]).
pub fn emit_module(
    model: &Model,
    selection: &Selection,
    options: &CrateOptions,
    module_path: &str,
) -> Result<Emitted, String> {
    emit_at(model, selection, options, Some(module_path), None)
}

/// [`emit_module`] with the model's endpoint rule set and `partitions`, as
/// [`emit_with_endpoints`] has them: how the runtime embeds the STS and SSO clients its
/// credential providers call.
pub fn emit_module_with_endpoints(
    model: &Model,
    selection: &Selection,
    options: &CrateOptions,
    module_path: &str,
    partitions: &str,
) -> Result<Emitted, String> {
    emit_at(model, selection, options, Some(module_path), Some(partitions))
}

fn emit_at(
    model: &Model,
    selection: &Selection,
    options: &CrateOptions,
    module_path: Option<&str>,
    partitions: Option<&str>,
) -> Result<Emitted, String> {
    let endpoints = model.endpoint_rule_set.as_deref().zip(partitions);
    let names = Names::new(model, &selection.shapes, &selection.operations);
    let mut unsupported_patterns = Vec::new();
    let mut patterns = BTreeMap::new();
    // Shapes share patterns (SageMaker: 482 patterns, 252 different): check each once.
    let mut support_of: HashMap<&str, PatternSupport> = HashMap::new();
    for name in &selection.sent {
        if let ShapeKind::String(s) = &model.shape(name).kind
            && let (Some(pattern), None) = (&s.pattern, &s.enum_values)
        {
            let support = support_of.entry(pattern).or_insert_with(|| patterns::pattern_support(pattern)).clone();
            if let PatternSupport::Unsupported(reason) = &support {
                unsupported_patterns.push((name.clone(), pattern.clone(), reason.clone()));
            }
            patterns.insert(name.clone(), support);
        }
    }
    let root_path = || -> Result<TokenStream, String> {
        match module_path {
            None => Ok(quote!(crate)),
            Some(path) => path.parse().map_err(|e| format!("the module path {path:?} is not a Rust path: {e}")),
        }
    };
    let inline_runtime = options.runtime == RuntimeSource::Inline;
    let runtime = options.runtime.rust_path();
    let cx = Context::new(model, selection, &names, patterns.clone(), root_path()?, runtime.clone(), inline_runtime);
    // Each rendering thread has its own context: its token streams cannot cross threads.
    let thread_context = || {
        Ok(Context::new(
            model,
            selection,
            &names,
            patterns.clone(),
            root_path()?,
            options.runtime.rust_path(),
            inline_runtime,
        ))
    };
    // Every operation's input, selected or not (a shape file asks for each shape).
    let model_inputs: HashSet<&str> = model.operations.values().filter_map(|op| op.input.as_deref()).collect();
    protocol::check_support(&cx)?;
    operation::check_checksum_members(&cx)?;
    let header = render::header(&options.model_label, &options.command);
    let mut files = Vec::new();
    let mut counts = Counts { operations: selection.operations.len(), ..Counts::default() };

    // The shape and operation files, most of the work, render on several threads; the rest
    // below on this one. Results are taken in the order one thread would make them, so the
    // first error reported is the one a single thread would meet first.
    let type_shapes: Vec<&str> =
        selection.shapes.iter().map(String::as_str).filter(|name| generates_type(&model.shape(name).kind)).collect();
    counts.other_shapes = selection.shapes.len() - type_shapes.len();
    // The crate-wide files first: they are the largest (all of SageMaker's error and client
    // modules take longer than any shape), so the threads finish together.
    let has_service_error = service_error::needs_service_error(&cx);
    let crate_files: Vec<CrateFile> = [CrateFile::AnyError, CrateFile::Client, CrateFile::Patterns]
        .into_iter()
        .chain(has_service_error.then_some(CrateFile::ServiceError))
        .chain(endpoints.is_some().then_some(CrateFile::EndpointRules))
        .chain(s3_multipart::applies(&cx).then_some(CrateFile::Multipart))
        .collect();
    let jobs: Vec<FileJob> = crate_files
        .iter()
        .map(|&file| FileJob::Crate(file))
        .chain(type_shapes.iter().map(|name| FileJob::Shape(name)))
        .chain(selection.operations.iter().map(|name| FileJob::Operation(name)))
        .collect();
    let mut results = parallel::render_all(&jobs, thread_context, |cx, job| match *job {
        FileJob::Crate(file) => {
            let (path, tokens) = match file {
                CrateFile::AnyError => ("src/error/any_error.rs", crate_error::crate_error(cx)),
                CrateFile::ServiceError => ("src/error/service_error.rs", service_error::service_error(cx)),
                CrateFile::Client => ("src/client.rs", client::client_module(cx, endpoints.is_some())),
                CrateFile::Patterns => ("src/patterns.rs", patterns::patterns_module(cx)),
                CrateFile::Multipart => ("src/multipart.rs", s3_multipart::multipart_module(cx)?),
                CrateFile::EndpointRules => {
                    let (rule_set, partitions) = endpoints.ok_or("generator bug: no endpoint rule set")?;
                    ("src/endpoint_rules.rs", endpoint_rules::endpoint_rules_module(rule_set, partitions)?)
                }
            };
            Ok(RenderedFile::Crate(render::rust_file(path, tokens, &header)?))
        }
        FileJob::Shape(name) => {
            let mut shape_counts = Counts::default();
            let tokens = shape_file(cx, name, model_inputs.contains(name), &mut shape_counts);
            let module = names.module(name).to_string();
            let is_error = cx.is_exception(name);
            let dir = if is_error { "error" } else { "types" };
            let file = render::rust_file(&format!("src/{dir}/{}.rs", crate::naming::unraw(&module)), tokens, &header)?;
            Ok(RenderedFile::Shape { file, is_error, entry: (module, names.type_name(name).to_string()), shape_counts })
        }
        FileJob::Operation(name) => {
            let operation = &model.operations[name];
            let module = operation_module(name);
            let mut tokens = operation::operation_module(cx, operation);
            tokens.extend(crate_error::operation_error_methods(cx, operation));
            tokens.extend(operation::fluent_builder(cx, operation));
            let file =
                render::rust_file(&format!("src/operation/{}.rs", crate::naming::unraw(&module)), tokens, &header)?;
            Ok(RenderedFile::Operation { file, module })
        }
    });
    let mut shape_results = results.split_off(crate_files.len());
    for result in results {
        let RenderedFile::Crate(file) = result.ok_or("generator bug: a crate file was not rendered")?? else {
            return Err("generator bug: a crate file's job rendered something else".to_string());
        };
        files.push(file);
    }
    let operation_results = shape_results.split_off(type_shapes.len());
    let mut type_modules = Vec::new();
    let mut error_modules = Vec::new();
    for result in shape_results {
        let RenderedFile::Shape { file, is_error, entry, shape_counts } =
            result.ok_or("generator bug: a shape file was not rendered")??
        else {
            return Err("generator bug: a shape's job rendered an operation".to_string());
        };
        files.push(file);
        counts.structures += shape_counts.structures;
        counts.enums += shape_counts.enums;
        counts.unions += shape_counts.unions;
        counts.errors += shape_counts.errors;
        if is_error { error_modules.push(entry) } else { type_modules.push(entry) }
    }

    files.push(render::rust_file(
        "src/types/mod.rs",
        reexport_module("The model's structures, enums and unions.", &type_modules),
        &header,
    )?);
    let mut error_mod =
        reexport_module("Errors: the service's modelled errors, and those every operation shares.", &error_modules);
    if has_service_error {
        error_mod.extend(quote!(
            mod service_error;
            pub use service_error::ServiceError;
        ));
    }
    error_mod.extend(quote! {
        mod any_error;
        pub use any_error::Error;
        pub use ::aws_smithy_types::error::metadata::ProvideErrorMetadata;
        pub use #runtime::error::{ErrorMetadata, RequestError};
        pub use #runtime::operation::OperationError;
        pub use #runtime::validate::{InvalidInput, Problem, ProblemKind};
    });
    files.push(render::rust_file("src/error/mod.rs", error_mod, &header)?);

    let mut operation_modules = Vec::new();
    for result in operation_results {
        let RenderedFile::Operation { file, module } =
            result.ok_or("generator bug: an operation file was not rendered")??
        else {
            return Err("generator bug: an operation's job rendered a shape".to_string());
        };
        files.push(file);
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

    if module_path.is_some() {
        files.push(render::rust_file("src/mod.rs", root::root_module(&cx, false, endpoints.is_some()), &header)?);
        // A module's files live in its own directory, beside the crate's other modules.
        for file in &mut files {
            file.path = file.path.strip_prefix("src/").unwrap_or(&file.path).to_string();
        }
    } else {
        files.push(render::rust_file("src/lib.rs", root::root_module(&cx, true, endpoints.is_some()), &header)?);
        if cx.inline_runtime {
            for mut file in runtime_files(&options.command) {
                file.path = format!("src/runtime/{}", file.path);
                files.push(file);
            }
        }
        let crate_name = options.crate_name.clone().unwrap_or_else(|| crate_name(model));
        files.push(GeneratedFile {
            path: "Cargo.toml".to_string(),
            contents: manifest::cargo_toml(model, options, &crate_name),
        });
    }
    files.sort_by(|a, b| a.path.cmp(&b.path));
    let unsupported_paginators = selection
        .operations
        .iter()
        .filter_map(|name| {
            if let Some(why) = model.unsupported_paginators.get(name) {
                return Some((name.clone(), why.clone()));
            }
            operation::paginator_unsupported(&cx, &model.operations[name]).map(|why| (name.clone(), why))
        })
        .collect();
    let skipped_operations = model
        .operations
        .iter()
        .filter_map(|(name, op)| crate::graph::unsupported_operation(model, op).map(|why| (name.clone(), why)))
        .collect();
    Ok(Emitted { files, counts, unsupported_patterns, unsupported_paginators, skipped_operations })
}

/// A file rendered on a worker thread: one of the crate's own, a shape's or an operation's.
enum FileJob<'a> {
    Crate(CrateFile),
    Shape(&'a str),
    Operation(&'a str),
}

/// The files of the crate that are not a shape's or an operation's, and not a list of them.
#[derive(Clone, Copy)]
enum CrateFile {
    AnyError,
    ServiceError,
    Client,
    Patterns,
    Multipart,
    EndpointRules,
}

/// What a [`FileJob`] gives back.
enum RenderedFile {
    Crate(GeneratedFile),
    Shape { file: GeneratedFile, is_error: bool, entry: (String, String), shape_counts: Counts },
    Operation { file: GeneratedFile, module: String },
}

/// One shape's file: its type and the impls its direction needs; `is_input`: whether it is an
/// operation's input.
fn shape_file(cx: &Context, name: &str, is_input: bool, counts: &mut Counts) -> TokenStream {
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
            tokens.extend(protocol::body_impls(cx, name, sent, received));
            if sent {
                tokens.extend(validate::structure_validate(cx, name, s));
            }
            if is_input && sent {
                tokens.extend(validate::input_checks(cx, name));
            }
            tokens
        }
        ShapeKind::Union(u) => {
            counts.unions += 1;
            let mut tokens = enums::union(cx, name, u);
            tokens.extend(protocol::body_impls(cx, name, sent, received));
            if sent {
                tokens.extend(validate::union_validate(cx, name, u));
            }
            tokens
        }
        ShapeKind::String(s) => {
            counts.enums += 1;
            let mut tokens = enums::string_enum(cx, name, s);
            tokens.extend(protocol::enum_impls(cx, name, false, sent, received));
            tokens
        }
        ShapeKind::Integer(i) => {
            counts.enums += 1;
            let mut tokens = enums::int_enum(cx, name, i);
            tokens.extend(protocol::enum_impls(cx, name, true, sent, received));
            tokens
        }
        _ => TokenStream::new(),
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

/// The path that leads from directory `from` to `to`, with `/` separators: how a generated
/// crate names the runtime crate and its model without naming the generating machine's
/// directories.
pub fn relative_path(from: &std::path::Path, to: &std::path::Path) -> String {
    use std::path::{Component, PathBuf};
    let absolute = |path: &std::path::Path| {
        let path = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
        // Resolve what exists (symbolic links, `..`), then append what does not yet.
        let mut existing = path.clone();
        let mut rest = Vec::new();
        while !existing.exists() {
            match (existing.file_name().map(|n| n.to_os_string()), existing.parent()) {
                (Some(name), Some(parent)) => {
                    rest.push(name);
                    existing = parent.to_path_buf();
                }
                _ => break,
            }
        }
        let mut resolved = existing.canonicalize().unwrap_or(existing);
        resolved.extend(rest.iter().rev());
        resolved.components().fold(PathBuf::new(), |mut out, component| {
            match component {
                Component::ParentDir => {
                    out.pop();
                }
                Component::CurDir => {}
                other => out.push(other),
            }
            out
        })
    };
    let (from, to) = (absolute(from), absolute(to));
    let from: Vec<_> = from.components().collect();
    let to: Vec<_> = to.components().collect();
    let common = from.iter().zip(&to).take_while(|(a, b)| a == b).count();
    let ups = std::iter::repeat_n("..".to_string(), from.len() - common);
    let downs = to[common..].iter().map(|c| c.as_os_str().to_string_lossy().into_owned());
    let parts: Vec<String> = ups.chain(downs).collect();
    if parts.is_empty() { ".".to_string() } else { parts.join("/") }
}

#[cfg(test)]
mod tests {
    use super::relative_path;
    use std::path::Path;

    #[test]
    fn relative_paths_lead_from_one_directory_to_the_other() {
        assert_eq!(relative_path(Path::new("/a/b/generated"), Path::new("/a/b/codegen/runtime")), "../codegen/runtime");
        assert_eq!(relative_path(Path::new("/x/out"), Path::new("/a/codegen/runtime")), "../../a/codegen/runtime");
        assert_eq!(relative_path(Path::new("/a/b"), Path::new("/a/b")), ".");
        assert_eq!(relative_path(Path::new("/a/b/../c"), Path::new("/a/d")), "../d");
    }
}
