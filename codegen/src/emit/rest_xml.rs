//! Emits the restXml side of an operation: restJson1's bindings (from [`super::rest_json`]) with
//! XML bodies. `write_request` writes the input's unbound members as the input's own `ToXml`
//! (from [`super::xml_write`]) in the root element the input names (`locationName`, else the
//! shape's name, with its namespace), or the payload member; `read_output` reads the body's root
//! element as the output's `FromXml` (from [`super::xml`]), then the bound members.
//!
//! S3's customisations, as botocore 1.44.5 makes them, are here too, each in a function of its
//! own: a `200 OK` carrying an `<Error>` is an error ([`error_in_ok_body`]), GetBucketLocation's
//! body is the bare `<LocationConstraint>` ([`is_get_bucket_location`]), and an `Expires`
//! header that is not a date leaves the member unset rather than failing the call
//! ([`is_lenient_expires`]).

use proc_macro2::TokenStream;
use quote::quote;

use super::context::Context;
use super::rest_json::{self, members, read_bound, read_error_members_fn, request_fn, write_bindings};
use super::xml::in_response_body;
use super::xml_write::{member_namespace, namespace_tokens};
use crate::ir::{Location, Member, Operation, ShapeKind, Structure};
use crate::naming::ident;

/// Whether the service is S3, whose customisations apply.
fn is_s3(cx: &Context) -> bool {
    cx.model.service.sdk_id == "S3"
}

/// `write_request`, `read_output` (and for a streaming payload `read_streaming_output`) of
/// `operation`.
pub fn operation_codec(cx: &Context, operation: &Operation) -> TokenStream {
    let write = write_request(cx, operation);
    let read = read_output(cx, operation);
    let streaming = rest_json::read_streaming_output(cx, operation);
    let error_in_ok_body = error_in_ok_body(cx, operation).then(|| {
        quote!(
            const ERROR_IN_OK_BODY: bool = true;
        )
    });
    quote!(#write #read #streaming #error_in_ok_body)
}

/// Whether a `200 OK` of `operation` may carry an error: S3's operations whose output is not a
/// blob or string payload, as botocore's `_handle_200_error` decides (S3 answers CopyObject,
/// UploadPartCopy and CompleteMultipartUpload so).
fn error_in_ok_body(cx: &Context, operation: &Operation) -> bool {
    let Some(output) = operation.output.as_deref() else { return false };
    is_s3(cx)
        && !members(cx, Some(output)).iter().any(|m| {
            m.location == Some(Location::Payload)
                && matches!(cx.shape(&m.target).kind, ShapeKind::Blob(_) | ShapeKind::String(_))
        })
}

/// Whether `operation` is S3's GetBucketLocation, whose body is its output's one member as the
/// root element (`<LocationConstraint>`), which the model cannot say.
fn is_get_bucket_location(cx: &Context, operation: &Operation) -> bool {
    is_s3(cx) && operation.name == "GetBucketLocation"
}

/// Whether `member` is S3's `Expires` header, read leniently: a value that is not a date (S3
/// keeps whatever the uploader sent) leaves the member unset, as botocore and the AWS SDK for
/// Rust read it; `ExpiresString` has the text (see `crate::s3_expires`).
fn is_lenient_expires(cx: &Context, member: &Member) -> bool {
    is_s3(cx)
        && crate::s3_expires::is_expires_header(member)
        && matches!(cx.shape(&member.target).kind, ShapeKind::Timestamp(_))
}

fn write_request(cx: &Context, operation: &Operation) -> TokenStream {
    let module = quote!(rest_xml);
    let shape = operation.input.as_deref().unwrap_or_default();
    let members = members(cx, operation.input.as_deref());
    let mut body_members = Vec::new();
    let mut payload = None;
    for member in members {
        let field = ident(cx.names.field(shape, &member.name));
        let kind = &cx.shape(&member.target).kind;
        match &member.location {
            Some(Location::Payload) => {
                let value = if cx.is_boxed(shape, member) {
                    quote!(input.#field.as_deref())
                } else {
                    quote!(input.#field.as_ref())
                };
                payload = Some(match kind {
                    ShapeKind::Blob(_) if cx.streaming_payload(shape, member) => {
                        quote!(#module::stream_payload(input.#field.as_ref()))
                    }
                    ShapeKind::Blob(_) => quote!(#module::blob_payload(#value)),
                    ShapeKind::String(s) if s.enum_values.is_some() => {
                        quote!(#module::text_payload(input.#field.as_ref().map(|value| value.value())))
                    }
                    ShapeKind::String(_) => quote!(#module::text_payload(input.#field.as_deref())),
                    _ => {
                        let target = cx.shape(&member.target);
                        let root = member.xml_name.as_deref().or(target.xml_name.as_deref()).unwrap_or(&target.name);
                        let namespace = namespace_tokens(member_namespace(cx, member));
                        quote!(#module::xml_payload(#root, #namespace, #value))
                    }
                });
            }
            Some(_) => {}
            None => body_members.push(quote!(input.#field.is_some())),
        }
    }
    let body = match payload {
        Some(payload) => payload,
        None if body_members.is_empty() => quote!(#module::Body::empty()),
        None => {
            // Only a set body member makes a body, as botocore sends none for an input
            // whose body members are all unset.
            let input = cx.shape(shape);
            let root = input.xml_name.as_deref().unwrap_or(&input.name);
            let namespace = namespace_tokens(input.xml_namespace.as_ref());
            quote! {
                if #(#body_members)||* {
                    #module::xml_payload(#root, #namespace, Some(input))
                } else {
                    #module::Body::empty()
                }
            }
        }
    };
    request_fn(cx, operation, write_bindings(cx, shape, members), module, body)
}

fn read_output(cx: &Context, operation: &Operation) -> TokenStream {
    let runtime = cx.runtime();
    let module = quote!(rest_xml);
    let shape = operation.output.as_deref().unwrap_or_default();
    let all = members(cx, operation.output.as_deref());
    let payload = |member: &Member| {
        let read = match &cx.shape(&member.target).kind {
            ShapeKind::Blob(_) if cx.streaming_payload(shape, member) => quote!(#module::read_stream_payload(response)),
            ShapeKind::Blob(_) => quote!(#module::read_blob_payload(response)),
            ShapeKind::String(s) if s.enum_values.is_some() => quote!(#module::read_enum_payload(response)?),
            ShapeKind::String(_) => quote!(#module::read_text_payload(response)?),
            _ => quote!(#module::read_xml_payload(response)?),
        };
        if cx.is_boxed(shape, member) { quote!(#read.map(Box::new)) } else { read }
    };
    let (lenient, strict): (Vec<Member>, Vec<Member>) = all.iter().cloned().partition(|m| is_lenient_expires(cx, m));
    let mut reads =
        read_bound(cx, shape, &strict, quote!(output), quote!(response.status().as_u16()), &payload, quote!(?));
    // botocore gives an empty map when no header has the prefix (restXml's
    // "HttpPrefixHeadersAreNotPresent").
    for member in strict.iter().filter(|m| matches!(m.location, Some(Location::PrefixHeaders(_)))) {
        let field = ident(cx.names.field(shape, &member.name));
        reads.push(quote!(output.#field.get_or_insert_with(Default::default);));
    }
    for member in &lenient {
        let field = ident(cx.names.field(shape, &member.name));
        let name = &member.name;
        reads.push(quote! {
            output.#field = bindings::timestamp_header(
                headers, "Expires", #name, ::aws_smithy_types::date_time::Format::HttpDate,
            ).ok().flatten();
        });
    }
    if is_get_bucket_location(cx, operation)
        && let Some(member) = all.iter().find(|m| m.location.is_none())
    {
        let field = ident(cx.names.field(shape, &member.name));
        let path = cx.type_path(&member.target);
        let value = match &cx.shape(&member.target).kind {
            ShapeKind::String(s) if s.enum_values.is_some() => quote!(text.map(|text| #path::from(text.as_str()))),
            _ => quote!(text),
        };
        return quote! {
            fn read_output(response: &#runtime::client::HttpResponse) -> Result<Self::Output, String> {
                use #runtime::protocol::rest_xml;
                let mut output: Self::Output = rest_xml::read_bound_output(response);
                let text = rest_xml::read_location_constraint(response)?;
                output.#field = #value;
                Ok(output)
            }
        };
    }
    // restXml reads output members bound to the request (a query parameter, a label) from the
    // body too.
    super::rest_json::read_output_fn(cx, "rest_xml", "read_xml_output", has_body_members(all), all, &reads)
}

/// `ModeledError::read_members` of an error structure: its members of the `<Error>` element,
/// then those bound to headers and the status (a header that does not fit leaves its member
/// unset: the error is still the error its code names).
pub fn read_error_members(cx: &Context, shape: &str, structure: &Structure) -> TokenStream {
    let runtime = cx.runtime();
    let module = quote!(#runtime::protocol::rest_xml);
    let members = structure.members.as_slice();
    let payload = |member: &Member| {
        let read = match &cx.shape(&member.target).kind {
            // A raw payload of an error is not kept: the error is read from an XML body.
            ShapeKind::Blob(_) | ShapeKind::String(_) => return quote!(None),
            _ => quote!(#module::error_xml_payload(body)),
        };
        if cx.is_boxed(shape, member) { quote!(#read.map(Box::new)) } else { read }
    };
    let reads = read_bound(cx, shape, members, quote!(error), quote!(body.status), &payload, quote!(.ok().flatten()));
    read_error_members_fn(cx, &quote!(#module::read_error_members), has_body_members(members), members, &reads)
}

/// Whether a structure read from a response has members in the body.
fn has_body_members(members: &[Member]) -> bool {
    members.iter().any(in_response_body)
}
