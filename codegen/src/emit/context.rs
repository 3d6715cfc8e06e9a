//! What every emitter needs: the model, the selection, the names, and the mapping from shapes
//! to Rust types and paths.

use std::collections::{BTreeMap, HashSet};

use proc_macro2::TokenStream;
use quote::quote;

use crate::docs::html_to_rustdoc;
use crate::graph::Selection;
use crate::ir::{Member, Model, Shape, ShapeKind, TimestampFormat};
use crate::naming::{Names, ident};

/// Shared state of one generation run.
pub struct Context<'a> {
    /// The whole model.
    pub model: &'a Model,
    /// The selected operations and their shapes.
    pub selection: &'a Selection,
    /// Rust names.
    pub names: &'a Names,
    /// Patterns by string shape, with whether they are checked.
    pub patterns: BTreeMap<String, super::PatternSupport>,
    /// The path of the service's root module (`crate`, or a module of a test crate).
    pub root: TokenStream,
    /// The path of the runtime: the one place the emitters learn where it is.
    pub runtime: TokenStream,
    /// Whether the crate carries the runtime as its own `runtime` module.
    pub inline_runtime: bool,
    /// The inputs of the selected operations (asked for every member of every structure, so
    /// looked up rather than searched).
    operation_inputs: HashSet<&'a str>,
    /// The outputs of the selected operations.
    operation_outputs: HashSet<&'a str>,
}

impl<'a> Context<'a> {
    /// The context of the `selection` of `model`; the other arguments as the fields say.
    pub fn new(
        model: &'a Model,
        selection: &'a Selection,
        names: &'a Names,
        patterns: BTreeMap<String, super::PatternSupport>,
        root: TokenStream,
        runtime: TokenStream,
        inline_runtime: bool,
    ) -> Context<'a> {
        let selected = || selection.operations.iter().map(|op| &model.operations[op]);
        Context {
            model,
            selection,
            names,
            patterns,
            root,
            runtime,
            inline_runtime,
            operation_inputs: selected().filter_map(|op| op.input.as_deref()).collect(),
            operation_outputs: selected().filter_map(|op| op.output.as_deref()).collect(),
        }
    }

    /// The shape called `name`.
    pub fn shape(&self, name: &str) -> &'a Shape {
        self.model.shape(name)
    }

    /// The path of the runtime in generated code (the crate root's `runtime`, which is the
    /// runtime crate or, where it is inline, its copy).
    pub fn runtime(&self) -> TokenStream {
        self.runtime.clone()
    }

    /// The path of one of the runtime's modules, e.g. `json`.
    pub fn runtime_module(&self, module: &str) -> TokenStream {
        let runtime = &self.runtime;
        let module = ident(module);
        quote!(#runtime::#module)
    }

    /// Whether a shape is a modelled error (it then lives in the `error` module).
    pub fn is_exception(&self, name: &str) -> bool {
        matches!(&self.shape(name).kind, ShapeKind::Structure(s) if s.exception.is_some())
    }

    /// Whether a shape is the output of a selected operation (it then carries a request id).
    pub fn is_operation_output(&self, name: &str) -> bool {
        self.operation_outputs.contains(name)
    }

    /// The path of the Rust type generated for a shape.
    pub fn type_path(&self, name: &str) -> TokenStream {
        let root = &self.root;
        let type_name = ident(self.names.type_name(name));
        if self.is_exception(name) { quote!(#root::error::#type_name) } else { quote!(#root::types::#type_name) }
    }

    /// The Rust type of a value of shape `name`.
    pub fn rust_type(&self, name: &str) -> TokenStream {
        match &self.shape(name).kind {
            ShapeKind::Structure(_) | ShapeKind::Union(_) => self.type_path(name),
            ShapeKind::String(s) if s.enum_values.is_some() => self.type_path(name),
            ShapeKind::Integer(i) if i.enum_values.is_some() => self.type_path(name),
            ShapeKind::String(_) => quote!(String),
            ShapeKind::Integer(_) => quote!(i32),
            ShapeKind::Long(_) => quote!(i64),
            ShapeKind::Float(_) => quote!(f32),
            ShapeKind::Double(_) => quote!(f64),
            ShapeKind::Boolean => quote!(bool),
            ShapeKind::Timestamp(_) => quote!(::aws_smithy_types::DateTime),
            ShapeKind::Blob(_) => quote!(::aws_smithy_types::Blob),
            ShapeKind::Document => quote!(::aws_smithy_types::Document),
            ShapeKind::List(list) => {
                let member = self.rust_type(&list.member);
                if list.sparse { quote!(Vec<Option<#member>>) } else { quote!(Vec<#member>) }
            }
            ShapeKind::Map(map) => {
                let key = self.rust_type(&map.key);
                let value = self.rust_type(&map.value);
                let value = if map.sparse { quote!(Option<#value>) } else { value };
                quote!(::std::collections::HashMap<#key, #value>)
            }
        }
    }

    /// Whether `member` of `owner` is a streaming blob payload (`streaming: true`, bound to
    /// the whole body) of an operation's input or output: it is then a `RequestBody` in the
    /// input and a `ByteStream` in the output, read and written without buffering.
    pub fn streaming_payload(&self, owner: &str, member: &Member) -> bool {
        // The cheap checks first: this is asked for every member of every structure.
        let target = self.shape(&member.target);
        self.model.service.protocol.is_rest()
            && member.location == Some(crate::ir::Location::Payload)
            && target.streaming
            && matches!(target.kind, ShapeKind::Blob(_))
            && (self.is_operation_input(owner) || self.is_operation_output(owner))
    }

    /// Whether the shape `name` is a selected operation's input.
    pub fn is_operation_input(&self, name: &str) -> bool {
        self.operation_inputs.contains(name)
    }

    /// The type of a member's values: the target's Rust type, but the runtime's body types
    /// for a streaming payload (see [`Context::streaming_payload`]).
    pub fn value_type(&self, owner: &str, member: &Member) -> TokenStream {
        if self.streaming_payload(owner, member) {
            let runtime = self.runtime();
            if self.is_operation_output(owner) {
                return quote!(#runtime::body::ByteStream);
            }
            return quote!(#runtime::body::RequestBody);
        }
        self.rust_type(&member.target)
    }

    /// The type a member holds inside its `Option`: boxed when it closes a cycle.
    pub fn member_type(&self, owner: &str, member: &Member) -> TokenStream {
        let inner = self.value_type(owner, member);
        if self.is_boxed(owner, member) { quote!(Box<#inner>) } else { inner }
    }

    /// Whether a member is boxed.
    pub fn is_boxed(&self, owner: &str, member: &Member) -> bool {
        self.selection.boxed.contains(&(owner.to_string(), member.name.clone()))
    }

    /// Whether values of shape `name` must not be printed (the shape, or what a list or map of
    /// it holds, is sensitive).
    pub fn is_sensitive(&self, name: &str) -> bool {
        let shape = self.shape(name);
        shape.sensitive
            || match &shape.kind {
                ShapeKind::List(list) => self.is_sensitive(&list.member),
                ShapeKind::Map(map) => self.is_sensitive(&map.key) || self.is_sensitive(&map.value),
                _ => false,
            }
    }

    /// The wire format of a timestamp member when it is not the protocol default.
    pub fn timestamp_format(&self, member_format: Option<TimestampFormat>, target: &str) -> Option<TimestampFormat> {
        let format = match &self.shape(target).kind {
            ShapeKind::Timestamp(shape_format) => member_format.or(*shape_format),
            _ => return None,
        };
        format.filter(|f| *f != TimestampFormat::EpochSeconds)
    }
}

/// The lines of a piece of model documentation (HTML) as rustdoc, or of `fallback` when the
/// model has none, so every public item is documented. Each line starts with a space, as `///`
/// comments do.
fn doc_lines(html: Option<&str>, fallback: &str) -> Vec<String> {
    let text = html.map(html_to_rustdoc).filter(|t| !t.trim().is_empty());
    let text = text.unwrap_or_else(|| fallback.to_string());
    text.lines().map(|line| if line.is_empty() { String::new() } else { format!(" {line}") }).collect()
}

/// `#[doc]` attributes for an item.
pub fn doc_attrs(html: Option<&str>, fallback: &str) -> TokenStream {
    let lines = doc_lines(html, fallback);
    quote!(#(#[doc = #lines])*)
}

/// `#![doc]` attributes for a module's own documentation.
pub fn module_doc_attrs(html: Option<&str>, fallback: &str) -> TokenStream {
    let lines = doc_lines(html, fallback);
    quote!(#(#![doc = #lines])*)
}

/// A `#[deprecated]` attribute, if the model deprecates the item.
pub fn deprecated_attr(deprecation: Option<&crate::ir::Deprecation>) -> TokenStream {
    match deprecation {
        None => TokenStream::new(),
        Some(d) => match &d.message {
            Some(message) => quote!(#[deprecated(note = #message)]),
            None => quote!(#[deprecated]),
        },
    }
}
