//! `error::ServiceError`: every error the model defines, for errors a service answers an
//! operation with that the model does not list for it.

use proc_macro2::TokenStream;
use quote::quote;

use super::context::Context;
use crate::naming::ident;

/// Whether some operation may receive an error the model defines but the operation does not
/// list: then the crate has an `error::ServiceError` covering every modelled error.
pub fn needs_service_error(cx: &Context) -> bool {
    cx.selection.operations.iter().any(|name| !cx.selection.unlisted_errors(&cx.model.operations[name]).is_empty())
}

/// `error::ServiceError`: any error the model defines, read by its code.
pub fn service_error(cx: &Context) -> TokenStream {
    let runtime = cx.runtime();
    let errors: Vec<(proc_macro2::Ident, TokenStream, String)> = cx
        .selection
        .exceptions
        .iter()
        .map(|shape| {
            (ident(cx.names.type_name(shape)), cx.type_path(shape), format!(" The service's `{shape}` error."))
        })
        .collect();
    let variants = errors.iter().map(|(variant, path, doc)| quote!(#[doc = #doc] #variant(#path),));
    let arms = errors.iter().map(|(variant, path, _)| super::operation::modeled_error_arm(cx, variant, path));
    let shapes_and_errors: Vec<_> =
        cx.selection.exceptions.iter().zip(&errors).map(|(shape, (v, p, _))| (shape.as_str(), v, p)).collect();
    let query_arms = super::operation::query_code_arms(cx, &shapes_and_errors);
    let code = super::protocol::error_lookup_code(cx);
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
            /// The model's error for the code in `metadata`, its members read from `body`;
            /// gives `metadata` back when the model defines no error of that code.
            pub fn from_service_error(
                metadata: #runtime::error::ErrorMetadata,
                body: &#runtime::protocol::ErrorBody,
            ) -> Result<Self, #runtime::error::ErrorMetadata> {
                Ok(match #code {
                    #(#arms)*
                    #query_arms
                    _ => return Err(metadata),
                })
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
