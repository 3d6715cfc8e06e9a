//! Emits the restJson1 side of an operation: `write_request` fills the URI template's labels,
//! the query string, the headers and the body from the input's members, one line per member;
//! `read_output` reads the body (or the payload), then each member bound to a header or the
//! status; an error structure reads its header-bound members after its body.
//!
//! Bindings apply to the top-level input, output and error structures only. Their `ToJson` and
//! `FromJson` impls (from [`super::json`]) stay whole, for the same structure nested elsewhere:
//! the request body is written here from the unbound members alone, and the output is read
//! whole from the body before every bound member is overwritten from its header, status or
//! payload (a bound member's JSON key is its header or query name, which a body never holds).

use proc_macro2::TokenStream;
use quote::quote;

use super::context::Context;
use super::json;
use crate::ir::{Location, Member, Operation, ShapeKind, Structure, TimestampFormat};
use crate::naming::ident;

/// The members of a structure shape, or none.
pub(super) fn members<'a>(cx: &Context<'a>, shape: Option<&str>) -> &'a [Member] {
    match shape.map(|s| &cx.shape(s).kind) {
        Some(ShapeKind::Structure(s)) => s.members.as_slice(),
        _ => &[],
    }
}

/// A member's timestamp format, or `default` (the location's).
pub(super) fn format(
    cx: &Context,
    member_format: Option<TimestampFormat>,
    target: &str,
    default: TimestampFormat,
) -> TokenStream {
    let format = match &cx.shape(target).kind {
        ShapeKind::Timestamp(shape_format) => member_format.or(*shape_format).unwrap_or(default),
        ShapeKind::List(list) => return format(cx, list.member_timestamp_format, &list.member, default),
        _ => default,
    };
    match format {
        TimestampFormat::EpochSeconds => quote!(::aws_smithy_types::date_time::Format::EpochSeconds),
        TimestampFormat::DateTime => quote!(::aws_smithy_types::date_time::Format::DateTime),
        TimestampFormat::HttpDate => quote!(::aws_smithy_types::date_time::Format::HttpDate),
    }
}

/// Whether `target` is a list of timestamps.
pub(super) fn is_timestamp_list(cx: &Context, target: &str) -> bool {
    matches!(&cx.shape(target).kind, ShapeKind::List(l) if matches!(cx.shape(&l.member).kind, ShapeKind::Timestamp(_)))
}

/// `write_request` and `read_output` of `operation`.
pub fn operation_codec(cx: &Context, operation: &Operation) -> TokenStream {
    let write = write_request(cx, operation);
    let read = read_output(cx, operation);
    let streaming = read_streaming_output(cx, operation);
    quote!(#write #read #streaming)
}

/// For an output whose payload is a streaming blob: the response body is handed over unread,
/// the other members read from the head as `read_output` reads them.
pub(super) fn read_streaming_output(cx: &Context, operation: &Operation) -> Option<TokenStream> {
    let runtime = cx.runtime();
    let shape = operation.output.as_deref()?;
    let member = members(cx, Some(shape)).iter().find(|m| cx.streaming_payload(shape, m))?;
    let field = ident(cx.names.field(shape, &member.name));
    Some(quote! {
        const STREAMING_OUTPUT: bool = true;

        fn read_streaming_output(
            head: #runtime::client::ResponseHead,
            body: #runtime::body::ByteStream,
        ) -> Result<Self::Output, String> {
            let response = #runtime::client::HttpResponse::from_parts(head, Default::default());
            let mut output = Self::read_output(&response)?;
            output.#field = Some(body);
            Ok(output)
        }
    })
}

/// The statements of `write_request` that fill the labels, the query and the headers from the
/// input's bound members (both REST protocols bind them alike).
pub(super) struct Bindings {
    pub labels: Vec<TokenStream>,
    pub query: Vec<TokenStream>,
    pub headers: Vec<TokenStream>,
}

/// The [`Bindings`] of the input `shape`'s members (the payload and body members are left to
/// the protocol).
pub(super) fn write_bindings(cx: &Context, shape: &str, members: &[Member]) -> Bindings {
    let bindings = quote!(bindings);
    let (mut labels, mut query, mut headers) = (vec![], vec![], vec![]);
    for member in members {
        let field = ident(cx.names.field(shape, &member.name));
        let name = &member.name;
        let target = &member.target;
        let kind = &cx.shape(target).kind;
        match &member.location {
            Some(Location::Label(label)) => labels.push(match kind {
                ShapeKind::Timestamp(_) => {
                    let format = format(cx, member.timestamp_format, target, TimestampFormat::DateTime);
                    quote!(#bindings::timestamp_label(#label, #name, input.#field.as_ref(), #format))
                }
                _ => quote!(#bindings::label(#label, #name, input.#field.as_ref())),
            }),
            Some(Location::Query(key)) => query.push(match kind {
                _ if is_timestamp_list(cx, target) => {
                    let format = format(cx, member.timestamp_format, target, TimestampFormat::DateTime);
                    quote!(query.timestamp_list(#key, input.#field.as_deref(), #format);)
                }
                ShapeKind::List(_) => quote!(query.list(#key, input.#field.as_deref());),
                ShapeKind::Timestamp(_) => {
                    let format = format(cx, member.timestamp_format, target, TimestampFormat::DateTime);
                    quote!(query.timestamp(#key, input.#field.as_ref(), #format);)
                }
                ShapeKind::Blob(_) => quote!(query.blob(#key, input.#field.as_ref());),
                _ => quote!(query.value(#key, input.#field.as_ref());),
            }),
            Some(Location::QueryParams) => query.push(match kind {
                ShapeKind::Map(map) if matches!(cx.shape(&map.value).kind, ShapeKind::List(_)) => {
                    quote!(query.params_lists(input.#field.as_ref());)
                }
                _ => quote!(query.params(input.#field.as_ref());),
            }),
            Some(Location::Header(header)) => headers.push(match kind {
                _ if is_timestamp_list(cx, target) => {
                    let format = format(cx, member.timestamp_format, target, TimestampFormat::HttpDate);
                    quote!(headers.timestamp_list(#header, #name, input.#field.as_deref(), #format);)
                }
                ShapeKind::List(_) => quote!(headers.list(#header, #name, input.#field.as_deref());),
                ShapeKind::Timestamp(_) => {
                    let format = format(cx, member.timestamp_format, target, TimestampFormat::HttpDate);
                    quote!(headers.timestamp(#header, #name, input.#field.as_ref(), #format);)
                }
                ShapeKind::Blob(_) => quote!(headers.blob(#header, #name, input.#field.as_ref());),
                ShapeKind::Document => quote!(headers.document(#header, #name, input.#field.as_ref());),
                ShapeKind::String(_) if member.json_value => {
                    quote!(headers.json_value(#header, #name, input.#field.as_deref());)
                }
                _ => quote!(headers.value(#header, #name, input.#field.as_ref());),
            }),
            Some(Location::PrefixHeaders(prefix)) => {
                headers.push(quote!(headers.prefixed(#prefix, #name, input.#field.as_ref());))
            }
            Some(Location::Payload | Location::StatusCode) | None => {}
        }
    }
    Bindings { labels, query, headers }
}

/// `write_request` of `operation`: the bindings, then `body` (an expression of the protocol
/// module, imported as `module`, giving its `Body`).
pub(super) fn request_fn(
    cx: &Context,
    operation: &Operation,
    bindings: Bindings,
    module: TokenStream,
    body: TokenStream,
) -> TokenStream {
    let runtime = cx.runtime();
    let Bindings { labels, query, headers } = bindings;
    let members = members(cx, operation.input.as_deref());
    let method = &operation.http.method;
    let template = &operation.http.request_uri;
    let input = if members.is_empty() { quote!(_input) } else { quote!(input) };
    let query_mut = (!query.is_empty()).then(|| quote!(mut));
    let headers_mut = (!headers.is_empty()).then(|| quote!(mut));
    quote! {
        fn write_request(
            #input: &Self::Input,
            _service: &#runtime::client::ServiceInfo,
        ) -> Result<#runtime::protocol::ProtocolRequest, #runtime::error::RequestError> {
            use #runtime::http_bindings as bindings;
            use #runtime::protocol::#module;
            let uri = bindings::fill_uri(#template, &[#(#labels),*]);
            let #query_mut query = bindings::QueryWriter::new();
            #(#query)*
            let #headers_mut headers = bindings::HeaderWriter::new();
            #(#headers)*
            #module::request(#method, uri, query, headers, #body)
        }
    }
}

fn write_request(cx: &Context, operation: &Operation) -> TokenStream {
    let rest = quote!(rest_json);
    let shape = operation.input.as_deref().unwrap_or_default();
    let members = members(cx, operation.input.as_deref());
    let (mut body, mut payload) = (vec![], None);
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
                        quote!(#rest::stream_payload(input.#field.as_ref(), #rest::OCTET_STREAM))
                    }
                    ShapeKind::Blob(_) => quote!(#rest::blob_payload(#value, #rest::OCTET_STREAM)),
                    ShapeKind::String(_) => {
                        quote!(#rest::text_payload(input.#field.as_ref().map(|value| value.as_ref()), #rest::TEXT))
                    }
                    ShapeKind::Union(_) => quote!(#rest::union_payload(#value)),
                    _ => quote!(#rest::json_payload(#value)),
                });
            }
            Some(_) => {}
            None => {
                let key = &member.wire_name;
                let write = json::write_member(cx, member, quote!(#key));
                body.push(quote!(if let Some(value) = &input.#field { #write }));
            }
        }
    }
    let body = match payload {
        Some(payload) => payload,
        None if body.is_empty() => quote!(#rest::Body::empty()),
        None => quote!(#rest::json_body(|object| { #(#body)* })),
    };
    request_fn(cx, operation, write_bindings(cx, shape, members), rest, body)
}

/// The statements reading the bound members of structure `shape` into `#target` from
/// `headers` (a `&HeaderMap`), with `status` (a `u16`) and `payload` (the payload's reader);
/// `fail` turns a header error into the function's error.
pub(super) fn read_bound(
    cx: &Context,
    shape: &str,
    members: &[Member],
    target: TokenStream,
    status: TokenStream,
    payload: &dyn Fn(&Member) -> TokenStream,
    fail: TokenStream,
) -> Vec<TokenStream> {
    // The reading function imports the module as `bindings` when it reads headers.
    let bindings = quote!(bindings);
    let mut reads = Vec::new();
    for member in members {
        let field = ident(cx.names.field(shape, &member.name));
        let name = &member.name;
        let kind = &cx.shape(&member.target).kind;
        let read = match &member.location {
            Some(Location::Header(header)) => match kind {
                _ if is_timestamp_list(cx, &member.target) => {
                    let format = format(cx, member.timestamp_format, &member.target, TimestampFormat::HttpDate);
                    quote!(#bindings::timestamp_list_header(headers, #header, #name, #format))
                }
                ShapeKind::List(_) => quote!(#bindings::header_list(headers, #header, #name)),
                ShapeKind::Timestamp(_) => {
                    let format = format(cx, member.timestamp_format, &member.target, TimestampFormat::HttpDate);
                    quote!(#bindings::timestamp_header(headers, #header, #name, #format))
                }
                ShapeKind::Blob(_) => quote!(#bindings::blob_header(headers, #header, #name)),
                ShapeKind::Document => quote!(#bindings::document_header(headers, #header, #name)),
                ShapeKind::String(_) if member.json_value => {
                    quote!(#bindings::json_value_header(headers, #header, #name))
                }
                _ => quote!(#bindings::header(headers, #header, #name)),
            },
            Some(Location::PrefixHeaders(prefix)) => quote!(#bindings::prefixed_headers(headers, #prefix, #name)),
            Some(Location::StatusCode) => {
                reads.push(quote!(#target.#field = Some(i32::from(#status));));
                continue;
            }
            Some(Location::Payload) => {
                let read = payload(member);
                reads.push(quote!(#target.#field = #read;));
                continue;
            }
            _ => continue,
        };
        reads.push(quote!(#target.#field = #read #fail;));
    }
    reads
}

/// Whether a structure has members no binding claims (its JSON body).
pub(super) fn has_body_members(members: &[Member]) -> bool {
    members.iter().any(|m| m.location.is_none())
}

/// Whether the bound members read headers.
pub(super) fn reads_headers(members: &[Member]) -> bool {
    members.iter().any(|m| matches!(m.location, Some(Location::Header(_) | Location::PrefixHeaders(_))))
}

fn read_output(cx: &Context, operation: &Operation) -> TokenStream {
    let rest = quote!(rest_json);
    let shape = operation.output.as_deref().unwrap_or_default();
    let members = members(cx, operation.output.as_deref());
    let payload = |member: &Member| {
        let read = match &cx.shape(&member.target).kind {
            // The whole body as a stream: `read_streaming_output` puts the unread one here.
            ShapeKind::Blob(_) if cx.streaming_payload(shape, member) => quote!(#rest::read_stream_payload(response)),
            ShapeKind::Blob(_) => quote!(#rest::read_blob_payload(response)),
            ShapeKind::String(s) if s.enum_values.is_some() => {
                let path = cx.type_path(&member.target);
                quote!(#rest::read_text_payload(response)?.map(|text| #path::from(text.as_str())))
            }
            ShapeKind::String(_) => quote!(#rest::read_text_payload(response)?),
            _ => quote!(#rest::read_json_payload(response)?),
        };
        if cx.is_boxed(shape, member) { quote!(#read.map(Box::new)) } else { read }
    };
    let reads = read_bound(cx, shape, members, quote!(output), quote!(response.status().as_u16()), &payload, quote!(?));
    read_output_fn(cx, "rest_json", "read_json_output", has_body_members(members), members, &reads)
}

/// `Operation::read_output` of a REST protocol whose runtime module is `module`
/// (`rest_json`, `rest_xml`): the output read from the body with `module::body_reader` when
/// `has_body` (which members the body holds is the protocol's rule), else made from the bound
/// members alone; then `reads`, which fill the members bound to headers and the status.
pub(super) fn read_output_fn(
    cx: &Context,
    module: &str,
    body_reader: &str,
    has_body: bool,
    members: &[Member],
    reads: &[TokenStream],
) -> TokenStream {
    let runtime = cx.runtime();
    let module = ident(module);
    let body_reader = ident(body_reader);
    let (whole, alone) = if has_body {
        (quote!(#module::#body_reader(response)?), quote!(#module::#body_reader(response)))
    } else {
        (quote!(#module::read_bound_output(response)), quote!(Ok(#module::read_bound_output(response))))
    };
    let body = if reads.is_empty() {
        alone
    } else {
        let (import, headers) = reads_headers(members)
            .then(|| (quote!(use #runtime::http_bindings as bindings;), quote!(let headers = response.headers();)))
            .unzip();
        quote! {
            #import
            let mut output: Self::Output = #whole;
            #headers
            #(#reads)*
            Ok(output)
        }
    };
    quote! {
        fn read_output(response: &#runtime::client::HttpResponse) -> Result<Self::Output, String> {
            use #runtime::protocol::#module;
            #body
        }
    }
}

/// `ModeledError::read_members` of an error structure: its JSON body, then its members bound
/// to headers and the status (a header that does not fit leaves its member unset: the error is
/// still the error its code names).
pub fn read_error_members(cx: &Context, shape: &str, structure: &Structure) -> TokenStream {
    let runtime = cx.runtime();
    let rest = quote!(#runtime::protocol::rest_json);
    let members = structure.members.as_slice();
    let payload = |member: &Member| {
        let read = match &cx.shape(&member.target).kind {
            // A raw payload of an error is not kept: the error is read from a JSON body.
            ShapeKind::Blob(_) | ShapeKind::String(_) => return quote!(None),
            _ => quote!(#rest::error_json_payload(body)),
        };
        if cx.is_boxed(shape, member) { quote!(#read.map(Box::new)) } else { read }
    };
    let reads = read_bound(cx, shape, members, quote!(error), quote!(body.status), &payload, quote!(.ok().flatten()));
    let members_reader = quote!(#runtime::protocol::aws_json::read_error_members);
    read_error_members_fn(cx, &members_reader, has_body_members(members), members, &reads)
}

/// `ModeledError::read_members` of a REST protocol: the error's members read from the body with
/// `members_reader` when `has_body` (which members the body holds is the protocol's rule), else
/// a default error; then `reads`, which fill the members bound to headers and the status.
pub(super) fn read_error_members_fn(
    cx: &Context,
    members_reader: &TokenStream,
    has_body: bool,
    members: &[Member],
    reads: &[TokenStream],
) -> TokenStream {
    let runtime = cx.runtime();
    let (whole, alone) = if has_body {
        (quote!(#members_reader(body)?), quote!(#members_reader(body)))
    } else {
        (quote!(Self::default()), quote!(Some(Self::default())))
    };
    let body = if reads.is_empty() {
        alone
    } else {
        let (import, headers) = reads_headers(members)
            .then(|| (quote!(use #runtime::http_bindings as bindings;), quote!(let headers = &body.headers;)))
            .unzip();
        quote! {
            #import
            let mut error: Self = #whole;
            #headers
            #(#reads)*
            Some(error)
        }
    };
    let body_name = if reads.is_empty() && !has_body { quote!(_body) } else { quote!(body) };
    quote! {
        fn read_members(#body_name: &#runtime::protocol::ErrorBody) -> Option<Self> {
            #body
        }
    }
}

/// `ToHttpText` and `FromHttpText` for a string or int enum, by its wire value.
pub fn enum_http_text(cx: &Context, shape: &str, string: bool) -> TokenStream {
    let bindings = cx.runtime_module("http_bindings");
    let type_name = ident(cx.names.type_name(shape));
    let (to, from) = if string {
        (quote!(::std::borrow::Cow::Borrowed(self.value())), quote!(Ok(Self::from(text))))
    } else {
        (
            quote!(::std::borrow::Cow::Owned(self.value().to_string())),
            quote!(<i32 as #bindings::FromHttpText>::from_http_text(text).map(Self::from)),
        )
    };
    quote! {
        impl #bindings::ToHttpText for #type_name {
            fn to_http_text(&self) -> ::std::borrow::Cow<'_, str> {
                #to
            }
        }

        impl #bindings::FromHttpText for #type_name {
            fn from_http_text(text: &str) -> Result<Self, String> {
                #from
            }
        }
    }
}
