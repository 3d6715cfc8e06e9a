//! Emits an operation's module: its input and output (re-exported), and its error enum with a
//! variant per modelled error, one for unmodelled service errors and one for request failures.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::context::{Context, doc_attrs, module_doc_attrs};
use crate::ir::Operation;
use crate::naming::{ident, operation_type_base};

/// The operation's module file.
pub fn operation_module(cx: &Context, operation: &Operation) -> TokenStream {
    let base = operation_type_base(&operation.name);
    let error_name = format_ident!("{base}Error");
    let name = &operation.name;
    let runtime = quote!(crate::runtime);

    let reexports: Vec<TokenStream> = [&operation.input, &operation.output]
        .into_iter()
        .flatten()
        .map(|shape| {
            let path = cx.type_path(shape);
            quote!(pub use #path;)
        })
        .collect();

    let errors: Vec<(&String, proc_macro2::Ident, TokenStream)> =
        operation.errors.iter().map(|shape| (shape, ident(cx.names.type_name(shape)), cx.type_path(shape))).collect();
    let variants = errors.iter().map(|(shape, variant, path)| {
        let docs = doc_attrs(cx.shape(shape).documentation.as_deref(), &format!("The service's `{shape}` error."));
        quote!(#docs #variant(#path),)
    });
    let from_service_arms = errors.iter().map(|(_, variant, path)| {
        quote! {
            #path::CODE => {
                // A modelled error whose body does not fit its shape still keeps its type.
                let mut error: #path =
                    #runtime::json::FromJson::from_json(body, &#runtime::path::Path::Root).unwrap_or_default();
                error.error_metadata = metadata;
                Self::#variant(error)
            }
        }
    });
    let metadata_arms =
        errors.iter().map(|(_, variant, _)| quote!(Self::#variant(error) => Some(&error.error_metadata),));
    let display_arms = errors.iter().map(|(_, variant, _)| {
        quote!(Self::#variant(error) => {
            write!(f, "{error}")?;
            #runtime::error::write_status_and_request_id(f, error.error_metadata.status, error.error_metadata.request_id.as_deref())
        })
    });
    let source_arms = errors.iter().map(|(_, variant, _)| quote!(Self::#variant(error) => Some(error),));
    let (body, from_service) = if errors.is_empty() {
        (quote!(_body), quote!(Self::Unmodeled(metadata)))
    } else {
        (quote!(body), quote!(match metadata.code.as_str() { #(#from_service_arms)* _ => Self::Unmodeled(metadata), }))
    };
    let error_doc = format!(" Why a `{name}` call failed.");
    let failed = format!("{name} failed: ");
    let docs = module_doc_attrs(operation.documentation.as_deref(), &format!("The `{name}` operation."));

    quote! {
        #docs
        #(#reexports)*

        #[doc = #error_doc]
        #[non_exhaustive]
        #[derive(Debug)]
        pub enum #error_name {
            #(#variants)*
            /// The service answered with an error this operation does not model.
            Unmodeled(#runtime::error::ErrorMetadata),
            /// The request could not be made, or its response could not be read.
            Request(#runtime::error::RequestError),
        }

        impl #error_name {
            /// The error from a service error response whose code and message are in `metadata`
            /// and whose JSON body is `body`.
            pub fn from_service_error(metadata: #runtime::error::ErrorMetadata, #body: &::serde_json::Value) -> Self {
                #from_service
            }

            /// What the service's error response said, if the service answered with an error.
            pub fn metadata(&self) -> Option<&#runtime::error::ErrorMetadata> {
                match self {
                    #(#metadata_arms)*
                    Self::Unmodeled(metadata) => Some(metadata),
                    Self::Request(_) => None,
                }
            }

            /// The service's error code, if the service answered with an error.
            pub fn code(&self) -> Option<&str> {
                self.metadata().map(|m| m.code.as_str())
            }

            /// The request id of the error response, if the service answered with one.
            pub fn request_id(&self) -> Option<&str> {
                self.metadata().and_then(|m| m.request_id.as_deref())
            }
        }

        impl From<#runtime::error::RequestError> for #error_name {
            fn from(error: #runtime::error::RequestError) -> Self {
                Self::Request(error)
            }
        }

        impl std::fmt::Display for #error_name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(#failed)?;
                match self {
                    #(#display_arms)*
                    Self::Unmodeled(metadata) => write!(f, "{metadata}"),
                    Self::Request(error) => write!(f, "{error}"),
                }
            }
        }

        impl std::error::Error for #error_name {
            fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
                match self {
                    #(#source_arms)*
                    Self::Unmodeled(metadata) => Some(metadata),
                    Self::Request(error) => Some(error),
                }
            }
        }
    }
}

/// The fluent builder: a setter per input member, `send()`, and the call itself, which fills
/// idempotency tokens once per call (so every retry sends the same token).
pub fn fluent_builder(cx: &Context, operation: &Operation) -> TokenStream {
    let base = operation_type_base(&operation.name);
    let builder = format_ident!("{base}FluentBuilder");
    let error_name = format_ident!("{base}Error");
    let name = &operation.name;
    let runtime = quote!(crate::runtime);
    let method = ident(&crate::naming::operation_method(name));
    let input_type = match &operation.input {
        Some(shape) => cx.type_path(shape),
        None => quote!(#runtime::client::NoInput),
    };
    let output_type = match &operation.output {
        Some(shape) => cx.type_path(shape),
        None => quote!(()),
    };
    let input_shape = operation.input.as_deref().map(|s| (s, cx.shape(s)));
    let members = match input_shape.map(|(_, s)| &s.kind) {
        Some(crate::ir::ShapeKind::Structure(s)) => s.members.as_slice(),
        _ => &[],
    };
    let setters = members.iter().map(|member| {
        let input = input_shape.map(|(name, _)| name).unwrap_or_default();
        let field_name = cx.names.field(input, &member.name);
        let field = ident(field_name);
        let set = format_ident!("set_{}", crate::naming::unraw(field_name));
        let ty = cx.rust_type(&member.target);
        let deprecated = super::context::deprecated_attr(member.deprecated.as_ref());
        let doc = format!(
            " Sets `{}`; see [`{}::{}`].",
            member.name,
            cx.names.type_name(input),
            crate::naming::unraw(field_name)
        );
        let doc_set = format!(" Sets or clears `{}`.", member.name);
        let doc = if field_name.starts_with("r#") { format!(" Sets `{}`.", member.name) } else { doc };
        quote! {
            #[doc = #doc]
            #deprecated
            pub fn #field(mut self, value: impl Into<#ty>) -> Self {
                self.input = self.input.#field(value);
                self
            }
            #[doc = #doc_set]
            #deprecated
            pub fn #set(mut self, value: Option<#ty>) -> Self {
                self.input = self.input.#set(value);
                self
            }
        }
    });
    let tokens = members.iter().filter(|m| m.idempotency_token).map(|member| {
        let input = input_shape.map(|(name, _)| name).unwrap_or_default();
        let field = ident(cx.names.field(input, &member.name));
        quote! {
            if input.#field.is_none() {
                input.#field = Some(handle.idempotency_token());
            }
        }
    });
    let input_mut = if members.iter().any(|m| m.idempotency_token) { quote!(mut input) } else { quote!(input) };
    let builder_doc = format!(
        " Builds and sends a `{name}` call; made by [`Client::{0}`](crate::Client::{0}).",
        crate::naming::unraw(&method.to_string())
    );
    let any_deprecated = members.iter().any(|m| m.deprecated.is_some());
    let allow = if any_deprecated { quote!(#[allow(deprecated)]) } else { TokenStream::new() };
    quote! {
        #[doc = #builder_doc]
        #[derive(Clone, Debug)]
        pub struct #builder {
            handle: std::sync::Arc<#runtime::client::Handle>,
            input: #input_type,
        }

        #allow
        impl #builder {
            pub(crate) fn new(handle: std::sync::Arc<#runtime::client::Handle>) -> Self {
                Self { handle, input: Default::default() }
            }

            /// Replaces the whole input with `input`.
            pub fn with_input(mut self, input: #input_type) -> Self {
                self.input = input;
                self
            }

            /// The input built so far.
            pub fn input(&self) -> &#input_type {
                &self.input
            }

            #(#setters)*

            /// Sends the call: checks the input, then sends it with retries.
            pub async fn send(self) -> Result<#output_type, #error_name> {
                send(&self.handle, self.input).await
            }
        }

        #allow
        async fn send(handle: &#runtime::client::Handle, #input_mut: #input_type) -> Result<#output_type, #error_name> {
            // Filled once per call, so every retry sends the same token.
            #(#tokens)*
            #runtime::client::invoke(handle, #name, &input).await
        }

        impl #runtime::client::OperationError for #error_name {
            fn from_service_error(metadata: #runtime::error::ErrorMetadata, body: &::serde_json::Value) -> Self {
                Self::from_service_error(metadata, body)
            }
        }
    }
}
