//! The restJson1 protocol: the operation's method and URI template, input members bound to
//! labels, the query string and headers (see [`http_bindings`](super::super::http_bindings)),
//! and a body that is either the JSON object of the members no binding claims or the one
//! payload member. Outputs are read the other way round: the JSON body (or the payload), then
//! the headers and the status code. Errors are read by the awsJson rules (`X-Amzn-Errortype`,
//! then `code`, then `__type`).
//!
//! Generated code calls one function per member and one per body; a payload is written by
//! [`blob_payload`] and read by [`read_blob_payload`] alone, so that streaming bodies can take
//! their place without touching the generated code's shape.
//!
//! `Content-Type` follows botocore: `application/json` for a JSON body, the payload's media
//! type for a blob or string payload (`application/octet-stream` and `text/plain` unless the
//! model names one), none when the body is empty or the caller set the header themselves.

use aws_smithy_types::Blob;
use bytes::Bytes;
use http::{HeaderMap, HeaderValue};

use super::super::body::{ByteStream, RequestBody};
use super::super::client::HttpResponse;
use super::super::error::RequestError;
use super::super::http_bindings::{HeaderError, HeaderWriter, QueryWriter};
use super::super::json::{self, BodyError, FromJson, JsonWriter, ObjectWriter, ToJson};
use super::super::path::Path;
use super::super::request_id::Output;
use super::super::validate::InvalidInput;
use super::{ErrorBody, ErrorContent, ProtocolRequest, request_id};

/// The `Content-Type` of a JSON body.
pub const JSON: &str = "application/json";
/// The `Content-Type` of a blob payload whose model names no media type.
pub const OCTET_STREAM: &str = "application/octet-stream";
/// The `Content-Type` of a string payload whose model names no media type.
pub const TEXT: &str = "text/plain";

/// A request body as an operation writes it.
#[derive(Clone, Debug, Default)]
pub struct Body {
    pub(super) bytes: RequestBody,
    pub(super) content_type: Option<&'static str>,
    /// The `Content-Type` is sent even for an empty body (a blob payload's).
    pub(super) typed_when_empty: bool,
}

impl Body {
    /// No body: the input has no body members.
    pub fn empty() -> Self {
        Body::default()
    }
}

/// The JSON object of the input's body members (those no binding claims), which `write` adds;
/// `{}` when none is set.
pub fn json_body(write: impl FnOnce(&mut ObjectWriter<'_>)) -> Body {
    let mut writer = JsonWriter::new();
    write(&mut writer.object());
    json(writer)
}

fn json(writer: JsonWriter) -> Body {
    Body { bytes: writer.into_string().into(), content_type: Some(JSON), typed_when_empty: false }
}

/// A structure or document payload as JSON; an unset one is `{}`, as botocore sends it.
pub fn json_payload<T: ToJson + ?Sized>(value: Option<&T>) -> Body {
    let mut writer = JsonWriter::new();
    match value {
        Some(value) => value.write_json(&mut writer),
        None => drop(writer.object()),
    }
    json(writer)
}

/// A union payload as JSON; an unset one is no body ("RestJsonHttpPayloadWithUnsetUnion").
pub fn union_payload<T: ToJson + ?Sized>(value: Option<&T>) -> Body {
    match value {
        Some(value) => json_payload(Some(value)),
        None => Body::empty(),
    }
}

/// A blob payload (streaming or not) as its bytes, of media type `content_type` (sent even
/// when the blob is unset, an empty body). The one place a request payload is made, for
/// streaming bodies to replace.
pub fn blob_payload(value: Option<&Blob>, content_type: &'static str) -> Body {
    let bytes = value.map_or_else(Bytes::new, |blob| Bytes::copy_from_slice(blob.as_ref()));
    Body { bytes: bytes.into(), content_type: Some(content_type), typed_when_empty: true }
}

/// A streaming blob payload: bytes, a file or a reader, sent as it is read (see
/// [`RequestBody`]); of media type `content_type`, sent even when unset (an empty body).
pub fn stream_payload(value: Option<&RequestBody>, content_type: &'static str) -> Body {
    Body { bytes: value.cloned().unwrap_or_default(), content_type: Some(content_type), typed_when_empty: true }
}

/// A string payload as its UTF-8 text, of media type `content_type`.
pub fn text_payload(value: Option<&str>, content_type: &'static str) -> Body {
    match value {
        Some(text) => Body {
            bytes: Bytes::copy_from_slice(text.as_bytes()).into(),
            content_type: Some(content_type),
            typed_when_empty: false,
        },
        None => Body::empty(),
    }
}

/// The request: `method`, the filled URI template with the query parameters, the bound
/// headers and the body, with its `Content-Type` unless the body is empty or a bound member
/// set one. A label, query or header that cannot be sent is an [`InvalidInput`].
pub fn request(
    method: &str,
    uri: Result<String, InvalidInput>,
    query: QueryWriter,
    headers: HeaderWriter,
    body: Body,
) -> Result<ProtocolRequest, RequestError> {
    let path = uri.map_err(RequestError::InvalidInput)?;
    let mut headers: HeaderMap = headers.finish().map_err(RequestError::InvalidInput)?;
    if let Some(content_type) = body.content_type
        && (body.typed_when_empty || !body.bytes.is_empty())
        && !headers.contains_key(http::header::CONTENT_TYPE)
    {
        headers.insert(http::header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    }
    let method = http::Method::from_bytes(method.as_bytes())
        .map_err(|e| RequestError::Config(format!("the model's method {method:?} is not valid: {e}")))?;
    Ok(ProtocolRequest { method, path_and_query: query.append_to(path), headers, body: body.bytes })
}

impl From<HeaderError> for String {
    fn from(error: HeaderError) -> String {
        error.to_string()
    }
}

/// An output whose members are in the JSON body (and perhaps headers, which the generated
/// code reads next): an empty body is an empty object.
pub fn read_json_output<O: Output + FromJson>(response: &HttpResponse) -> Result<O, String> {
    super::aws_json::read_output(response)
}

/// An output with no body members (all bound to headers, the status or a payload, which the
/// generated code reads next): the body is not read here.
pub fn read_bound_output<O: Output + Default>(response: &HttpResponse) -> O {
    let mut output = O::default();
    output.set_request_id(request_id(response.headers()));
    output
}

/// A streaming blob payload read from a whole response (`parse_response`): its bytes as a
/// stream. A call hands the unread body over instead (`Operation::read_streaming_output`).
pub fn read_stream_payload(response: &HttpResponse) -> Option<ByteStream> {
    Some(ByteStream::new(response.body().clone()))
}

/// A blob payload (streaming or not): the body's bytes; `None` when empty. The one place a
/// response payload is read, for streaming bodies to replace.
pub fn read_blob_payload(response: &HttpResponse) -> Option<Blob> {
    let body = response.body();
    if body.is_empty() { None } else { Some(Blob::new(body.to_vec())) }
}

/// A string payload: the body as UTF-8 text; `None` when empty.
pub fn read_text_payload(response: &HttpResponse) -> Result<Option<String>, String> {
    if response.body().is_empty() {
        return Ok(None);
    }
    String::from_utf8(response.body().to_vec()).map(Some).map_err(|_| "the body is not UTF-8 text".to_string())
}

/// A structure, union or document payload: the JSON body; `None` when empty.
pub fn read_json_payload<T: FromJson>(response: &HttpResponse) -> Result<Option<T>, String> {
    let body = response.body();
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok(None);
    }
    json::read_body(body).map(Some).map_err(|error| match error {
        BodyError::NotJson(e) => format!("the body is not JSON ({e})"),
        BodyError::DoesNotFit(e) => format!("the body does not fit the payload: {e}"),
    })
}

/// A structure, union or document payload of an error: its JSON body; `None` when it does not
/// fit.
pub fn error_json_payload<T: FromJson>(body: &ErrorBody) -> Option<T> {
    match &body.content {
        ErrorContent::Json(value) if value.as_object().is_none_or(|o| !o.is_empty()) => {
            T::from_json(value, &Path::Root).ok()
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::super::super::http_bindings::{header, label, timestamp_header};
    use super::*;

    fn response(headers: &[(&'static str, &'static str)], body: &'static str) -> HttpResponse {
        let mut builder = http::Response::builder().status(200);
        for (name, value) in headers {
            builder = builder.header(*name, *value);
        }
        builder.body(Bytes::from_static(body.as_bytes())).unwrap()
    }

    #[test]
    fn bodies_and_their_content_types() {
        let uri = Ok("/a".to_string());
        let json = request("POST", uri.clone(), QueryWriter::new(), HeaderWriter::new(), json_body(|_| {})).unwrap();
        assert_eq!(
            (json.body.bytes().map(|b| &b[..]), json.headers["content-type"].to_str().unwrap()),
            (Some(&b"{}"[..]), JSON)
        );
        let empty = request("GET", uri.clone(), QueryWriter::new(), HeaderWriter::new(), Body::empty()).unwrap();
        assert!(empty.body.is_empty() && empty.headers.is_empty());
        let mut headers = HeaderWriter::new();
        headers.value("Content-Type", "ContentType", Some("image/png"));
        let blob = Blob::new(vec![1, 2]);
        let png = request("PUT", uri, QueryWriter::new(), headers, blob_payload(Some(&blob), OCTET_STREAM)).unwrap();
        assert_eq!(png.headers["content-type"], "image/png");
        assert_eq!(png.method, http::Method::PUT);
    }

    #[test]
    fn an_empty_label_names_its_member() {
        let uri = super::super::super::http_bindings::fill_uri("/f/{Name}", &[label("Name", "FunctionName", Some(""))]);
        let error = request("GET", uri, QueryWriter::new(), HeaderWriter::new(), Body::empty()).unwrap_err();
        assert!(matches!(error, RequestError::InvalidInput(_)));
        assert!(error.to_string().contains("FunctionName"), "{error}");
        let uri =
            super::super::super::http_bindings::fill_uri("/f/{Name}", &[label::<str>("Name", "FunctionName", None)]);
        let error = request("GET", uri, QueryWriter::new(), HeaderWriter::new(), Body::empty()).unwrap_err();
        assert!(error.to_string().contains("`FunctionName` is required but missing"), "{error}");
    }

    #[test]
    fn bad_headers_are_errors_naming_header_and_member() {
        let r = response(&[("content-length", "many"), ("x-date", "yesterday")], "");
        let error: String = header::<i64>(r.headers(), "Content-Length", "ContentLength").unwrap_err().into();
        assert!(error.contains("Content-Length") && error.contains("ContentLength"), "{error}");
        let error = timestamp_header(r.headers(), "X-Date", "When", aws_smithy_types::date_time::Format::HttpDate);
        assert!(error.unwrap_err().to_string().contains("When"));
    }

    #[test]
    fn payloads_read_back() {
        let r = response(&[("x-amz-request-id", "r2")], "{\"a\":1}");
        let value: Option<std::collections::HashMap<String, i32>> = read_json_payload(&r).unwrap();
        assert_eq!(value, Some([("a".to_string(), 1)].into()));
        assert_eq!(read_blob_payload(&r).unwrap().as_ref(), b"{\"a\":1}");
        assert_eq!(read_text_payload(&response(&[], "")).unwrap(), None);
        assert_eq!(request_id(r.headers()).as_deref(), Some("r2"));
    }
}
