//! The one place the emitters ask which protocol the service speaks: how the client describes
//! it to the runtime, how an operation writes its request and reads its output, how a
//! modelled error reads its members, and which body impls a shape needs. Each protocol's code
//! is in its own module; this one only dispatches.

use proc_macro2::TokenStream;
use quote::quote;

use super::context::Context;
use super::{cbor, json, query, rest_json, rest_xml, xml, xml_write};
use crate::ir::{Exception, Operation, Protocol, ShapeKind, Structure};

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
        Protocol::RestXml => quote!(#runtime::protocol::Protocol::RestXml),
        Protocol::AwsQuery => {
            let version = &service.api_version;
            quote!(#runtime::protocol::Protocol::AwsQuery { version: #version })
        }
        Protocol::Ec2Query => {
            let version = &service.api_version;
            quote!(#runtime::protocol::Protocol::Ec2Query { version: #version })
        }
        Protocol::RpcV2Cbor => {
            let name = &service.target_prefix;
            quote!(#runtime::protocol::Protocol::RpcV2Cbor { service: #name })
        }
    }
}

/// Why the service's selected shapes cannot be generated with its protocol, if they cannot.
pub fn check_support(cx: &Context) -> Result<(), String> {
    let service = &cx.model.service;
    if service.protocol == Protocol::RpcV2Cbor
        && let Some(shape) = cbor::first_document(cx, cx.selection.shapes.iter())
    {
        return Err(format!(
            "shape `{shape}` is a document, which the rpcv2Cbor protocol cannot carry (service `{}`)",
            service.sdk_id
        ));
    }
    Ok(())
}

/// `Operation::write_request` and `Operation::read_output` of `operation`. A client of an
/// `awsQueryCompatible` service adds the `x-amzn-query-mode` header.
pub fn operation_codec(cx: &Context, operation: &Operation) -> TokenStream {
    let runtime = cx.runtime();
    match cx.model.service.protocol {
        Protocol::RestJson1 => return rest_json::operation_codec(cx, operation),
        Protocol::RestXml => return rest_xml::operation_codec(cx, operation),
        _ => {}
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
        // An operation without input sends no body.
        Protocol::RpcV2Cbor if operation.input.is_none() => (
            quote!(#runtime::protocol::rpc_v2_cbor::write_empty_request(service, Self::NAME)),
            quote!(#runtime::protocol::rpc_v2_cbor::read_output(response)),
        ),
        Protocol::RpcV2Cbor => (
            quote!(#runtime::protocol::rpc_v2_cbor::write_request(service, Self::NAME, input)),
            quote!(#runtime::protocol::rpc_v2_cbor::read_output(response)),
        ),
        other => unreachable!("protocol {} is not generated", other.name()),
    };
    // rpcv2Cbor sends no body for an operation without input.
    let sends_no_input = cx.model.service.protocol == Protocol::RpcV2Cbor && operation.input.is_none();
    let input = if sends_no_input { quote!(_input) } else { quote!(input) };
    let write =
        if cx.model.service.query_compatible { quote!(#write.map(#runtime::protocol::query_mode)) } else { write };
    quote! {
        fn write_request(
            #input: &Self::Input,
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
    match cx.model.service.protocol {
        Protocol::RestJson1 => return rest_json::read_error_members(cx, shape, structure),
        Protocol::RestXml => return rest_xml::read_error_members(cx, shape, structure),
        _ => {}
    }
    let read = match cx.model.service.protocol {
        Protocol::AwsJson1_0 | Protocol::AwsJson1_1 => quote!(#runtime::protocol::aws_json::read_error_members(body)),
        Protocol::AwsQuery | Protocol::Ec2Query => quote!(#runtime::protocol::query::read_error_members(body)),
        Protocol::RpcV2Cbor => quote!(#runtime::protocol::rpc_v2_cbor::read_error_members(body)),
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
        (ShapeKind::Structure(s), Protocol::RestXml) => {
            if sent {
                tokens.extend(xml_write::structure_to_xml(cx, name, s));
            }
            if received {
                tokens.extend(xml::structure_from_xml(cx, name, s));
            }
        }
        (ShapeKind::Union(u), Protocol::RestXml) => {
            if sent {
                tokens.extend(xml_write::union_to_xml(cx, name, u));
            }
            if received {
                tokens.extend(xml::union_from_xml(cx, name, u));
            }
        }
        (ShapeKind::Structure(s), Protocol::RpcV2Cbor) => {
            if sent {
                tokens.extend(cbor::structure_to_cbor(cx, name, s));
            }
            if received {
                tokens.extend(cbor::structure_from_cbor(cx, name, s));
            }
        }
        (ShapeKind::Union(u), Protocol::RpcV2Cbor) => {
            if sent {
                tokens.extend(cbor::union_to_cbor(cx, name, u));
            }
            if received {
                tokens.extend(cbor::union_from_cbor(cx, name, u));
            }
        }
        _ => {}
    }
    tokens
}

/// The impls a string enum or an intEnum (`int`) needs beyond the JSON ones every enum has:
/// the query protocols' form and XML, the REST protocols' text in labels, queries and headers
/// (and restXml's XML).
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
        Protocol::RestXml => {
            tokens.extend(rest_json::enum_http_text(cx, name, !int));
            if sent {
                tokens.extend(xml_write::enum_to_xml(cx, name, int));
            }
            if received {
                tokens.extend(xml::enum_from_xml(cx, name, int));
            }
        }
        protocol if protocol.is_rest() => tokens.extend(rest_json::enum_http_text(cx, name, !int)),
        Protocol::RpcV2Cbor => tokens.extend(cbor::enum_impls(cx, name)),
        _ => {}
    }
    tokens
}

/// The code an `awsQueryCompatible` service's `x-amzn-query-error` header may name `exception`
/// by, when it is not the code the protocol names it by (`QUERY_CODE` beside `CODE`).
pub fn query_code<'a>(cx: &Context, exception: &'a Exception) -> Option<&'a str> {
    let service = &cx.model.service;
    let query_protocol = matches!(service.protocol, Protocol::AwsQuery | Protocol::Ec2Query);
    (service.query_compatible && !query_protocol)
        .then_some(exception.query_code.as_deref())
        .flatten()
        .filter(|code| *code != exception.code)
}

/// The code a modelled error is looked up by, in `from_service_error` (where `metadata` and
/// `body` are): the response's code; for an `awsQueryCompatible` service the code the body
/// names the error by (its shape name) when it names one, as botocore looks errors up, since
/// the code users see is the query code of the `x-amzn-query-error` header, which the model
/// may not give (SQS's errors have none).
pub fn error_lookup_code(cx: &Context) -> TokenStream {
    let runtime = cx.runtime();
    let service = &cx.model.service;
    let module = match service.protocol {
        _ if !service.query_compatible => return quote!(metadata.code.as_str()),
        Protocol::AwsJson1_0 | Protocol::AwsJson1_1 => quote!(aws_json),
        Protocol::RpcV2Cbor => quote!(rpc_v2_cbor),
        _ => return quote!(metadata.code.as_str()),
    };
    quote!(#runtime::protocol::#module::error_code(body).as_deref().unwrap_or(&metadata.code))
}
