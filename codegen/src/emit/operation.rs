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
