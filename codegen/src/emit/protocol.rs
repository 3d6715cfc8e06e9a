//! The one place the emitters ask which protocol the service speaks: how the client describes
//! it to the runtime, how an operation writes its request and reads its output, how a
//! modelled error reads its members, and which body impls a shape needs. Each protocol's code
//! is in its own module; this one only dispatches.

use proc_macro2::TokenStream;
use quote::quote;

use super::context::Context;
use super::{json, rest_json};
use crate::ir::{Operation, Protocol, ShapeKind, Structure};

/// The service's protocol as the runtime's `protocol::Protocol` value, for `Client::SERVICE`.
pub fn service_protocol(cx: &Context) -> TokenStream {
    let runtime = cx.runtime();
    let service = &cx.model.service;
    match service.protocol {
        Protocol::AwsJson1_0 | Protocol::AwsJson1_1 => {
            let version = service.protocol.json_version().unwrap_or("1.0");
            let target_prefix = &service.target_prefix;
            quote!(#runtime::protocol::Protocol::AwsJson { version: #version, target_prefix: #target_prefix })
        }
        Protocol::RestJson1 => quote!(#runtime::protocol::Protocol::RestJson),
        other => unreachable!("protocol {} is not generated (front ends choose generated ones)", other.name()),
    }
}

/// `Operation::write_request` and `Operation::read_output` of `operation`.
pub fn operation_codec(cx: &Context, operation: &Operation) -> TokenStream {
    let runtime = cx.runtime();
    if cx.model.service.protocol == Protocol::RestJson1 {
        return rest_json::operation_codec(cx, operation);
    }
    let (write, read) = match cx.model.service.protocol {
        Protocol::AwsJson1_0 | Protocol::AwsJson1_1 => (
            quote!(#runtime::protocol::aws_json::write_request(service, Self::NAME, input)),
            quote!(#runtime::protocol::aws_json::read_output(response)),
        ),
        other => unreachable!("protocol {} is not generated", other.name()),
    };
    quote! {
        fn write_request(
            input: &Self::Input,
            service: &#runtime::client::ServiceInfo,
        ) -> Result<#runtime::protocol::ProtocolRequest, #runtime::error::RequestError> {
            #write
        }

        fn read_output(response: &#runtime::client::HttpResponse) -> Result<Self::Output, String> {
            #read
        }
    }
}

/// `ModeledError::read_members` of the error structure `shape`.
pub fn read_error_members(cx: &Context, shape: &str, structure: &Structure) -> TokenStream {
    let runtime = cx.runtime();
    if cx.model.service.protocol == Protocol::RestJson1 {
        return rest_json::read_error_members(cx, shape, structure);
    }
    let read = match cx.model.service.protocol {
        Protocol::AwsJson1_0 | Protocol::AwsJson1_1 => quote!(#runtime::protocol::aws_json::read_error_members(body)),
        other => unreachable!("protocol {} is not generated", other.name()),
    };
    quote! {
        fn read_members(body: &#runtime::protocol::ErrorBody) -> Option<Self> {
            #read
        }
    }
}

/// The body impls of a structure or union: writing it when it is `sent`, reading it when it
/// is `received`.
pub fn body_impls(cx: &Context, name: &str, sent: bool, received: bool) -> TokenStream {
    let mut tokens = TokenStream::new();
    match (&cx.shape(name).kind, cx.model.service.protocol) {
        (ShapeKind::Structure(s), Protocol::AwsJson1_0 | Protocol::AwsJson1_1 | Protocol::RestJson1) => {
            if sent {
                tokens.extend(json::structure_to_json(cx, name, s));
            }
            if received {
                tokens.extend(json::structure_from_json(cx, name, s));
            }
        }
        (ShapeKind::Union(u), Protocol::AwsJson1_0 | Protocol::AwsJson1_1 | Protocol::RestJson1) => {
            if sent {
                tokens.extend(json::union_to_json(cx, name, u));
            }
            if received {
                tokens.extend(json::union_from_json(cx, name, u));
            }
        }
        _ => {}
    }
    tokens
}

/// The impls a string enum (`string`) or int enum needs besides its JSON ones: its text in
/// URI labels, query strings and headers for the REST protocols.
pub fn enum_impls(cx: &Context, shape: &str, string: bool) -> TokenStream {
    if cx.model.service.protocol.is_rest() { rest_json::enum_http_text(cx, shape, string) } else { TokenStream::new() }
}
