//! Emits a structure (or an exception): the struct with every member an `Option`, chained
//! setters, a `Debug` that redacts sensitive members, and, for exceptions, `Display` and
//! `std::error::Error`.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::context::{Context, deprecated_attr, doc_attrs};
use crate::ir::{ShapeKind, Structure};
use crate::naming::{ident, unraw};

/// Method names clippy's `should_implement_trait` reserves for std traits.
pub(super) const OPERATOR_METHODS: &[&str] = &[
    "add",
    "as_mut",
    "as_ref",
    "bitand",
    "bitor",
    "bitxor",
    "borrow",
    "borrow_mut",
    "clone",
    "cmp",
    "default",
    "deref",
    "deref_mut",
    "div",
    "drop",
    "eq",
    "from_iter",
    "from_str",
    "hash",
    "index",
    "index_mut",
    "into_iter",
    "mul",
    "neg",
    "next",
    "not",
    "rem",
    "shl",
    "shr",
    "sub",
];

/// The text `Debug` prints in place of a sensitive value.
pub const REDACTED: &str = "*** Sensitive Data Redacted ***";

/// The struct definition and its inherent and trait impls, except the wire impls.
pub fn structure(cx: &Context, shape_name: &str, structure: &Structure) -> TokenStream {
    let runtime = cx.runtime();
    let shape = cx.shape(shape_name);
    let type_name = ident(cx.names.type_name(shape_name));
    let docs = doc_attrs(shape.documentation.as_deref(), &format!("The `{shape_name}` structure."));
    let deprecated = deprecated_attr(shape.deprecated.as_ref());
    let exception = structure.exception.as_ref();

    let fields = structure.members.iter().map(|member| {
        let field = ident(cx.names.field(shape_name, &member.name));
        let ty = cx.member_type(shape_name, member);
        let fallback = format!("The `{}` member.", member.name);
        let docs = doc_attrs(member.documentation.as_deref(), &fallback);
        let deprecated = deprecated_attr(member.deprecated.as_ref());
        quote!(#docs #deprecated pub #field: Option<#ty>,)
    });
    let metadata_field = exception.map(|_| {
        quote! {
            /// What the response said besides the modelled members: code, message, HTTP status,
            /// request id.
            pub error_metadata: #runtime::error::ErrorMetadata,
        }
    });
    // An operation's output also carries the response's request id; private, so that it never
    // meets a member's name, and read through the `RequestId` trait as in the AWS SDKs. (An
    // error used as an output has it already, in its metadata.)
    let output = exception.is_none() && cx.is_operation_output(shape_name);
    let request_id_field = output.then(|| quote!(_response: #runtime::request_id::ResponseMetadata,));

    let setters = structure.members.iter().map(|member| {
        let field_name = cx.names.field(shape_name, &member.name);
        let field = ident(field_name);
        let setter_set = format_ident!("set_{}", unraw(field_name));
        let ty = cx.value_type(shape_name, member);
        let deprecated = deprecated_attr(member.deprecated.as_ref());
        // rustdoc cannot link to a raw identifier (`r#type`); name such a field in plain code.
        let target = if field_name.starts_with("r#") {
            format!("`{}`", unraw(field_name))
        } else {
            format!("[`{field_name}`](Self::{field_name})")
        };
        let doc_set = format!(" Sets {target}.");
        let doc_set_option = format!(" Sets or clears {target}.");
        let (wrap, wrap_option) = if cx.is_boxed(shape_name, member) {
            (quote!(Box::new(value.into())), quote!(value.map(Box::new)))
        } else {
            (quote!(value.into()), quote!(value))
        };
        quote! {
            #[doc = #doc_set]
            #deprecated
            pub fn #field(mut self, value: impl Into<#ty>) -> Self {
                self.#field = Some(#wrap);
                self
            }
            #[doc = #doc_set_option]
            #deprecated
            // Compiled where it is called, not in this crate: a crate with hundreds of
            // operations has thousands of setters, most of which a program never calls.
            #[inline]
            pub fn #setter_set(mut self, value: Option<#ty>) -> Self {
                self.#field = #wrap_option;
                self
            }
        }
    });
    // A member called `Add` or `Next` gets the setter `add`/`next`, which clippy mistakes for
    // an operator or iterator method; the name is the model's, so it stays.
    let operator_like =
        structure.members.iter().any(|m| OPERATOR_METHODS.contains(&unraw(cx.names.field(shape_name, &m.name))));
    let allow_operator_names =
        if operator_like { quote!(#[allow(clippy::should_implement_trait)]) } else { TokenStream::new() };
    let setters_impl = if structure.members.is_empty() {
        TokenStream::new()
    } else {
        quote! {
            #allow_operator_names
            impl #type_name {
                #(#setters)*
            }
        }
    };

    let redacted: Vec<bool> = structure.members.iter().map(|m| cx.is_sensitive(&m.target)).collect();
    let redact_all = shape.sensitive;
    let custom_debug = redact_all || redacted.iter().any(|r| *r);
    // A response body stream is read once: an output holding one cannot be cloned.
    let clone = if structure.members.iter().any(|m| cx.streaming_payload(shape_name, m) && output) {
        TokenStream::new()
    } else {
        quote!(Clone,)
    };
    let derives = if custom_debug {
        quote!(#[derive(#clone Default, PartialEq)])
    } else {
        quote!(#[derive(#clone Debug, Default, PartialEq)])
    };
    let debug_impl = custom_debug.then(|| {
        let name = type_name.to_string();
        let entries = structure.members.iter().zip(&redacted).map(|(member, redacted)| {
            let field = ident(cx.names.field(shape_name, &member.name));
            let label = unraw(cx.names.field(shape_name, &member.name)).to_string();
            if *redacted || redact_all {
                quote!(.field(#label, &#REDACTED))
            } else {
                quote!(.field(#label, &self.#field))
            }
        });
        let metadata = exception.map(|_| quote!(.field("error_metadata", &self.error_metadata)));
        let request_id = output.then(|| quote!(.field("_response", &self._response)));
        quote! {
            impl std::fmt::Debug for #type_name {
                fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                    f.debug_struct(#name) #(#entries)* #metadata #request_id .finish()
                }
            }
        }
    });

    // S3's extended request id (`x-amz-id-2`): kept by the outputs and errors of restXml
    // services, whose responses carry it.
    let rest_xml = cx.model.service.protocol == crate::ir::Protocol::RestXml;
    let error_extended = rest_xml.then(|| {
        quote! {
            fn extended_request_id(&self) -> Option<&str> {
                self.error_metadata.extended_request_id()
            }
        }
    });
    let set_output_extended = rest_xml.then(|| {
        quote! {
            fn set_extended_request_id(&mut self, extended_request_id: Option<String>) {
                self._response.set_extended_request_id(extended_request_id);
            }
        }
    });
    let output_extended = rest_xml.then(|| {
        quote! {
            fn extended_request_id(&self) -> Option<&str> {
                #runtime::request_id::RequestId::extended_request_id(&self._response)
            }
        }
    });
    let error_impls = exception.map(|exception| {
        let code = &exception.code;
        let read_members = super::protocol::read_error_members(cx, shape_name, structure);
        // The modelled message member, if any; otherwise the message from the response.
        let message_member = structure.members.iter().find(|m| {
            m.name.eq_ignore_ascii_case("message") && matches!(cx.shape(&m.target).kind, ShapeKind::String(_))
        });
        let message = match message_member {
            Some(member) => {
                let field = ident(cx.names.field(shape_name, &member.name));
                quote!(self.#field.as_deref().or(self.error_metadata.message.as_deref()))
            }
            None => quote!(self.error_metadata.message.as_deref()),
        };
        let query_code = super::protocol::query_code(cx, exception).map(|query_code| {
            quote! {
                /// The error's code in the service's former awsQuery protocol, which the
                /// `x-amzn-query-error` header of a response may name it by.
                pub const QUERY_CODE: &'static str = #query_code;
            }
        });
        quote! {
            impl #type_name {
                /// The error code on the wire.
                pub const CODE: &'static str = #code;
                #query_code

                /// The error message, from the modelled member or the response.
                pub fn error_message(&self) -> Option<&str> {
                    #message
                }
            }

            impl std::fmt::Display for #type_name {
                fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                    f.write_str(Self::CODE)?;
                    if let Some(message) = self.error_message() {
                        write!(f, ": {message}")?;
                    }
                    Ok(())
                }
            }

            impl std::error::Error for #type_name {}

            impl #runtime::operation::ModeledError for #type_name {
                fn metadata_mut(&mut self) -> &mut #runtime::error::ErrorMetadata {
                    &mut self.error_metadata
                }

                #read_members
            }

            impl #runtime::request_id::RequestId for #type_name {
                fn request_id(&self) -> Option<&str> {
                    self.error_metadata.request_id.as_deref()
                }
                #error_extended
            }
        }
    });
    let output_impls = output.then(|| {
        quote! {
            impl #runtime::request_id::Output for #type_name {
                fn set_request_id(&mut self, request_id: Option<String>) {
                    self._response = #runtime::request_id::ResponseMetadata::new(request_id);
                }
                #set_output_extended
            }

            impl #runtime::request_id::RequestId for #type_name {
                fn request_id(&self) -> Option<&str> {
                    #runtime::request_id::RequestId::request_id(&self._response)
                }
                #output_extended
            }
        }
    });

    quote! {
        #docs
        #deprecated
        #[non_exhaustive]
        #derives
        pub struct #type_name {
            #(#fields)*
            #metadata_field
            #request_id_field
        }

        #setters_impl
        #debug_impl
        #error_impls
        #output_impls
    }
}
