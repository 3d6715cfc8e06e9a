//! `error::Error` (re-exported as `crate::Error`): any error of any operation of the crate, so
//! a function calling several operations can use `?` on each and return one type; and the
//! methods every operation error has besides (`is_<error>()`, the AWS SDKs' error metadata).

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::context::Context;
use crate::ir::Operation;
use crate::naming::{ident, operation_type_base, snake};

/// `is_<error>()` for each modelled error of `operation`, and `ProvideErrorMetadata`.
pub fn operation_error_methods(cx: &Context, operation: &Operation) -> TokenStream {
    let runtime = cx.runtime();
    let error_name = format_ident!("{}Error", operation_type_base(&operation.name));
    let checks = operation.errors.iter().map(|shape| {
        let variant = ident(cx.names.type_name(shape));
        let method = format_ident!("is_{}", snake(cx.names.type_name(shape)));
        let doc = format!(" Whether the service answered with `{shape}`.");
        quote! {
            #[doc = #doc]
            pub fn #method(&self) -> bool {
                matches!(self, Self::#variant(_))
            }
        }
    });
    let checks: Vec<TokenStream> = checks.collect();
    let inherent = (!checks.is_empty()).then(|| quote!(impl #error_name { #(#checks)* }));
    quote! {
        #inherent

        impl ::aws_smithy_types::error::metadata::ProvideErrorMetadata for #error_name {
            fn meta(&self) -> &::aws_smithy_types::error::ErrorMetadata {
                #runtime::operation::smithy_metadata(self)
            }
        }
    }
}

/// The `error::Error` module file.
pub fn crate_error(cx: &Context) -> TokenStream {
    let runtime = cx.runtime();
    let root = &cx.root;
    let errors: Vec<(proc_macro2::Ident, TokenStream, &String)> = cx
        .selection
        .exceptions
        .iter()
        .map(|shape| (ident(cx.names.type_name(shape)), cx.type_path(shape), shape))
        .collect();
    let variants = errors.iter().map(|(variant, path, shape)| {
        let doc = format!(" The service's `{shape}` error.");
        quote!(#[doc = #doc] #variant(#path),)
    });
    let read_arms: Vec<TokenStream> =
        errors.iter().map(|(variant, path, _)| super::operation::modeled_error_arm(cx, variant, path)).collect();
    let shapes_and_errors: Vec<_> =
        errors.iter().map(|(variant, path, shape)| (shape.as_str(), variant, path)).collect();
    let query_arms = super::operation::query_code_arms(cx, &shapes_and_errors);
    let code = super::protocol::error_lookup_code(cx);
    // With no modelled error, every service error is unmodelled: no `match` to make.
    let from_service = if errors.is_empty() {
        quote!(Self::Unmodeled(metadata))
    } else {
        quote! {
            match #code {
                #(#read_arms)*
                #query_arms
                _ => Self::Unmodeled(metadata),
            }
        }
    };
    let failure_arms = errors.iter().map(|(variant, _, _)| {
        quote!(Self::#variant(error) => #runtime::operation::Failure::Modeled(error, &error.error_metadata),)
    });
    let service_error = super::service_error::needs_service_error(cx);
    let from_service_error = service_error.then(|| {
        let arms = errors
            .iter()
            .map(|(variant, _, _)| quote!(#root::error::ServiceError::#variant(error) => Self::#variant(error),));
        quote! {
            impl From<#root::error::ServiceError> for Error {
                fn from(error: #root::error::ServiceError) -> Self {
                    match error {
                        #(#arms)*
                    }
                }
            }
        }
    });
    let from_operations = cx.selection.operations.iter().map(|name| {
        let operation = &cx.model.operations[name];
        let base = operation_type_base(name);
        let module = ident(&crate::naming::operation_module(name));
        let error_name = format_ident!("{base}Error");
        let arms = operation.errors.iter().map(|shape| {
            let variant = ident(cx.names.type_name(shape));
            quote!(#root::operation::#module::#error_name::#variant(error) => Self::#variant(error),)
        });
        let unlisted = (!cx.selection.unlisted_errors(operation).is_empty())
            .then(|| quote!(#root::operation::#module::#error_name::Unlisted(error) => error.into(),));
        let doc = format!(" A `{name}` error as any of the crate's errors.");
        quote! {
            #[doc = #doc]
            impl From<#root::operation::#module::#error_name> for Error {
                fn from(error: #root::operation::#module::#error_name) -> Self {
                    match error {
                        #(#arms)*
                        #unlisted
                        #root::operation::#module::#error_name::Unmodeled(metadata) => Self::Unmodeled(metadata),
                        #root::operation::#module::#error_name::Request(error) => Self::Request(error),
                    }
                }
            }
        }
    });
    let body = if errors.is_empty() { quote!(_body) } else { quote!(body) };
    let service = format!("{} call", cx.model.service.sdk_id);
    // S3's extended request id (`x-amz-id-2`), which restXml services' errors keep.
    let extended = (cx.model.service.protocol == crate::ir::Protocol::RestXml).then(|| {
        quote! {
            fn extended_request_id(&self) -> Option<&str> {
                #runtime::operation::error_extended_request_id(self)
            }
        }
    });
    quote! {
        #![doc = " Any error of any operation of this crate."]

        /// Any error of any of this crate's operations: each operation's error converts into
        /// it (`From`), so a function making several calls can use `?` on each.
        #[non_exhaustive]
        #[derive(Debug)]
        pub enum Error {
            #(#variants)*
            /// The service answered with an error the model does not define.
            Unmodeled(#runtime::error::ErrorMetadata),
            /// The request could not be made, or its response could not be read.
            Request(#runtime::error::RequestError),
        }

        impl #runtime::operation::OperationError for Error {
            const OPERATION: &'static str = #service;

            fn from_service_error(metadata: #runtime::error::ErrorMetadata, #body: &#runtime::protocol::ErrorBody) -> Self {
                #from_service
            }

            fn failure(&self) -> #runtime::operation::Failure<'_> {
                match self {
                    #(#failure_arms)*
                    Self::Unmodeled(metadata) => #runtime::operation::Failure::Unmodeled(metadata),
                    Self::Request(error) => #runtime::operation::Failure::Request(error),
                }
            }
        }

        impl From<#runtime::error::RequestError> for Error {
            fn from(error: #runtime::error::RequestError) -> Self {
                Self::Request(error)
            }
        }

        #from_service_error
        #(#from_operations)*

        impl std::fmt::Display for Error {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                #runtime::operation::fmt_error(self, f)
            }
        }

        impl std::error::Error for Error {
            fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
                #runtime::operation::error_source(self)
            }
        }

        impl #runtime::request_id::RequestId for Error {
            fn request_id(&self) -> Option<&str> {
                #runtime::operation::error_request_id(self)
            }
            #extended
        }

        impl ::aws_smithy_types::error::metadata::ProvideErrorMetadata for Error {
            fn meta(&self) -> &::aws_smithy_types::error::ErrorMetadata {
                #runtime::operation::smithy_metadata(self)
            }
        }
    }
}
