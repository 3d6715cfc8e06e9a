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

    // An operation may take and return the same shape (Cognito's UpdateIdentityPool).
    let mut shapes: Vec<&String> = [&operation.input, &operation.output].into_iter().flatten().collect();
    shapes.dedup();
    let reexports: Vec<TokenStream> = shapes
        .into_iter()
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
    // Errors the model defines but this operation does not list are still read as their type.
    let unlisted = !cx.selection.unlisted_errors(operation).is_empty();
    let root = &cx.root;
    let otherwise = if unlisted {
        quote! {
            match #root::error::ServiceError::from_service_error(metadata, body) {
                Ok(error) => Self::Unlisted(error),
                Err(metadata) => Self::Unmodeled(metadata),
            }
        }
    } else {
        quote!(Self::Unmodeled(metadata))
    };
    let (body, from_service) = if errors.is_empty() {
        (if unlisted { quote!(body) } else { quote!(_body) }, otherwise)
    } else {
        (quote!(body), quote!(match metadata.code.as_str() { #(#from_service_arms)* _ => #otherwise, }))
    };
    let unmodeled_doc = if unlisted {
        " The service answered with an error code the model does not define."
    } else {
        " The service answered with an error this operation does not model."
    };
    let (unlisted_variant, unlisted_metadata, unlisted_display, unlisted_source) = if unlisted {
        (
            quote! {
                /// The service answered with an error the model defines but does not list for
                /// this operation.
                Unlisted(#root::error::ServiceError),
            },
            quote!(Self::Unlisted(error) => Some(error.metadata()),),
            quote!(Self::Unlisted(error) => {
                write!(f, "{error}")?;
                #runtime::error::write_status_and_request_id(f, error.metadata().status, error.metadata().request_id.as_deref())
            }),
            quote!(Self::Unlisted(error) => Some(error),),
        )
    } else {
        Default::default()
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
            #unlisted_variant
            #[doc = #unmodeled_doc]
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
                    #unlisted_metadata
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
                use #runtime::request_id::RequestId as _;
                match self {
                    Self::Request(error) => error.request_id(),
                    _ => self.metadata().and_then(|m| m.request_id.as_deref()),
                }
            }
        }

        impl #runtime::request_id::RequestId for #error_name {
            fn request_id(&self) -> Option<&str> {
                #error_name::request_id(self)
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
                    #unlisted_display
                    Self::Unmodeled(metadata) => write!(f, "{metadata}"),
                    Self::Request(error) => write!(f, "{error}"),
                }
            }
        }

        impl std::error::Error for #error_name {
            fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
                match self {
                    #(#source_arms)*
                    #unlisted_source
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
        None => quote!(#runtime::request_id::NoOutput),
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
    let tokens: Vec<TokenStream> = members
        .iter()
        .filter(|m| m.idempotency_token)
        .map(|member| {
            let input = input_shape.map(|(name, _)| name).unwrap_or_default();
            let field = ident(cx.names.field(input, &member.name));
            quote! {
                if input.#field.is_none() {
                    input.#field = Some(handle.idempotency_token());
                }
            }
        })
        .collect();
    let handle_param = if tokens.is_empty() { quote!(_handle) } else { quote!(handle) };
    let input_mut = if members.iter().any(|m| m.idempotency_token) { quote!(mut input) } else { quote!(input) };
    let root = &cx.root;
    let root_path = root.to_string().replace(' ', "");
    let builder_doc = format!(
        " Builds and sends a `{name}` call; made by [`Client::{0}`]({root_path}::Client::{0}).",
        crate::naming::unraw(&method.to_string())
    );
    let call = call_fn(cx, operation, &input_type, members);
    let parse_doc = [
        format!(" Reads a response to a `{name}` call as [`send`]({builder}::send) reads the response"),
        " of its last attempt: the output of a success, else the error (modelled, or with the".to_string(),
        " code, message and request id the response gives). For responses obtained some other way.".to_string(),
    ];
    quote! {
        #[doc = #builder_doc]
        #[derive(Clone, Debug)]
        pub struct #builder {
            handle: std::sync::Arc<#runtime::client::Handle>,
            input: #input_type,
        }

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
                let input = fill_idempotency_tokens(&self.handle, self.input);
                #runtime::client::invoke(&self.handle, &call(&input), &input).await
            }

            /// The signed HTTP request this call sends (its first attempt), without sending
            /// it: the same checks, body, endpoint, headers and signature as
            /// [`send`](Self::send), signed at the config's time source. For inspecting,
            /// logging or sending a request with another HTTP client.
            pub async fn prepare_request(self) -> Result<#runtime::client::HttpRequest, #error_name> {
                let input = fill_idempotency_tokens(&self.handle, self.input);
                #runtime::client::prepare_request(&self.handle, &call(&input), &input).await.map_err(#error_name::from)
            }
        }

        #(#[doc = #parse_doc])*
        pub fn parse_response(response: &#runtime::client::HttpResponse) -> Result<#output_type, #error_name> {
            #runtime::client::parse_response(response)
        }

        /// Fills the idempotency tokens the caller left empty, once per call, so that every
        /// retry sends the same token.
        fn fill_idempotency_tokens(#handle_param: &#runtime::client::Handle, #input_mut: #input_type) -> #input_type {
            #(#tokens)*
            input
        }

        #call

        impl #runtime::client::OperationError for #error_name {
            fn from_service_error(metadata: #runtime::error::ErrorMetadata, body: &::serde_json::Value) -> Self {
                Self::from_service_error(metadata, body)
            }
        }
    }
}

/// `call(&input)`: what the runtime needs to know about a call besides its input.
fn call_fn(
    cx: &Context,
    operation: &Operation,
    input_type: &TokenStream,
    members: &[crate::ir::Member],
) -> TokenStream {
    let runtime = quote!(crate::runtime);
    let name = &operation.name;
    let input_shape = operation.input.as_deref().unwrap_or_default();
    let host_prefix = match &operation.host_prefix {
        Some(template) => quote!(Some(#template)),
        None => quote!(None),
    };
    let labels: Vec<TokenStream> = if operation.host_prefix.is_some() {
        members
            .iter()
            .filter(|m| m.host_label)
            .map(|member| {
                let label = &member.name;
                let field = ident(cx.names.field(input_shape, &member.name));
                // Smithy host labels are strings; a string enum gives its value.
                let value = match &cx.shape(&member.target).kind {
                    crate::ir::ShapeKind::String(s) if s.enum_values.is_some() => {
                        quote!(input.#field.as_ref().map(|value| value.value()))
                    }
                    _ => quote!(input.#field.as_deref()),
                };
                quote!((#label, #value))
            })
            .collect()
    } else {
        Vec::new()
    };
    let input_param = if labels.is_empty() { quote!(_input) } else { quote!(input) };
    let encodings: Vec<&str> =
        operation.request_compression.iter().flat_map(|c| c.encodings.iter().map(String::as_str)).collect();
    quote! {
        /// What the runtime needs to know about a call besides its input: the operation, its
        /// host prefix and host labels, the request compression it accepts.
        fn call(#input_param: &#input_type) -> #runtime::client::Call<'_> {
            #runtime::client::Call {
                operation: #name,
                host_prefix: #host_prefix,
                host_labels: vec![#(#labels),*],
                request_compression: &[#(#encodings),*],
            }
        }
    }
}
