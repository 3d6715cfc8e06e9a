//! The one place the emitters ask which protocol the service speaks: how the client describes
//! it to the runtime, how an operation writes its request and reads its output, how a
//! modelled error reads its members, and which body impls a shape needs. Each protocol's code
//! is in its own module; this one only dispatches.

use proc_macro2::TokenStream;
use quote::quote;

use super::context::Context;
use super::{json, query, rest_json, xml};
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
        Protocol::AwsQuery => {
            let version = &service.api_version;
            quote!(#runtime::protocol::Protocol::AwsQuery { version: #version })
        }
        Protocol::Ec2Query => {
            let version = &service.api_version;
            quote!(#runtime::protocol::Protocol::Ec2Query { version: #version })
        }
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
        Protocol::AwsQuery => (
            quote!(#runtime::protocol::query::write_request(service, Self::NAME, input)),
            quote!(#runtime::protocol::query::read_output(response, Self::NAME)),
        ),
        Protocol::Ec2Query => (
            quote!(#runtime::protocol::query::write_request(service, Self::NAME, input)),
            quote!(#runtime::protocol::query::read_ec2_output(response, Self::NAME)),
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
        Protocol::AwsQuery | Protocol::Ec2Query => quote!(#runtime::protocol::query::read_error_members(body)),
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
        (ShapeKind::Structure(s), Protocol::AwsQuery | Protocol::Ec2Query) => {
            if sent {
                tokens.extend(query::structure_to_query(cx, name, s));
            }
            if received {
                tokens.extend(xml::structure_from_xml(cx, name, s));
            }
        }
        (ShapeKind::Union(u), Protocol::AwsQuery | Protocol::Ec2Query) => {
            if sent {
                tokens.extend(query::union_to_query(cx, name, u));
            }
            if received {
                tokens.extend(xml::union_from_xml(cx, name, u));
            }
        }
        _ => {}
    }
    tokens
}

/// The impls a string enum or an intEnum (`int`) needs beyond the JSON ones every enum has:
/// the query protocols' form and XML, the REST protocols' text in labels, queries and headers.
pub fn enum_impls(cx: &Context, name: &str, int: bool, sent: bool, received: bool) -> TokenStream {
    let mut tokens = TokenStream::new();
    match cx.model.service.protocol {
        Protocol::AwsQuery | Protocol::Ec2Query => {
            if sent {
                tokens.extend(query::enum_to_query(cx, name, int));
            }
            if received {
                tokens.extend(xml::enum_from_xml(cx, name, int));
            }
        }
        protocol if protocol.is_rest() => tokens.extend(rest_json::enum_http_text(cx, name, !int)),
        _ => {}
    }
    tokens
}
