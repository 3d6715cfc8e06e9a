//! The restXml protocol: restJson1's HTTP bindings (see [`rest_json`](super::rest_json), whose
//! [`request`] this module shares) with XML bodies. The body is the input's unbound members in a
//! root element named by the input (its `locationName`, with its `xmlNamespace`), or the one
//! payload member: a structure in its own root element, a string, or a blob (streaming or not).
//! Outputs are read the other way round: the body's root element is the output (no result
//! wrapper), then the headers and the status code.
//!
//! Errors are `<ErrorResponse><Error><Code>…</Code><Message>…</Message></Error>
//! <RequestId>…</RequestId></ErrorResponse>` (Route 53, CloudFront) or S3's bare `<Error>` with
//! the code, message, `<RequestId>` and `<HostId>` as children; a body that is empty or not XML
//! is named by its status (code `404`, message `Not Found`) as botocore names it. S3's
//! `x-amz-id-2` (its host id, the "extended request id") is kept beside the request id.
//!
//! `Content-Type` follows the AWS SDKs for an XML body (`application/xml`) and botocore for a
//! raw payload (none unless a member sets it: S3 stores what it is sent as the object's type,
//! and gives `binary/octet-stream` to an object sent without one).

use aws_smithy_types::Blob;
use bytes::Bytes;
use http::HeaderMap;

use super::super::body::RequestBody;
use super::super::client::HttpResponse;
use super::super::error::ErrorMetadata;
use super::super::request_id::Output;
use super::super::xml::{self, FromXml, Namespace, ToXml, XmlElement, XmlError, XmlWriter};
pub use super::rest_json::Body;
use super::{ErrorBody, ErrorContent, UNKNOWN_ERROR_CODE, request_id};

pub use super::rest_json::{read_stream_payload, request};

/// The `Content-Type` of an XML body.
pub const XML: &str = "application/xml";
/// The header carrying S3's extended request id (its host id).
pub const EXTENDED_REQUEST_ID_HEADER: &str = "x-amz-id-2";

fn xml(text: String) -> Body {
    Body { bytes: Bytes::from(text).into(), content_type: Some(XML), typed_when_empty: false }
}

/// The input's body members in the root element `root` (with `namespace`), which `write`
/// adds: first its attributes, then its children.
pub fn xml_body(root: &str, namespace: Namespace<'_>, write: impl FnOnce(&mut XmlWriter)) -> Body {
    let mut out = XmlWriter::new();
    out.start(root);
    if let Some((attribute, uri)) = namespace {
        out.attribute(attribute, uri);
    }
    write(&mut out);
    out.end(root);
    xml(out.into_string())
}

/// A structure or union payload in its own root element; an unset one is no body.
pub fn xml_payload<T: ToXml + ?Sized>(root: &str, namespace: Namespace<'_>, value: Option<&T>) -> Body {
    match value {
        Some(value) => xml(xml::to_document(root, namespace, value)),
        None => Body::empty(),
    }
}

/// A blob payload as its bytes (an unset one is an empty body).
pub fn blob_payload(value: Option<&Blob>) -> Body {
    let bytes = value.map_or_else(Bytes::new, |blob| Bytes::copy_from_slice(blob.as_ref()));
    Body { bytes: bytes.into(), content_type: None, typed_when_empty: false }
}

/// A streaming blob payload: bytes, a file or a reader, sent as it is read.
pub fn stream_payload(value: Option<&RequestBody>) -> Body {
    Body { bytes: value.cloned().unwrap_or_default(), content_type: None, typed_when_empty: false }
}

/// A string payload as its UTF-8 text.
pub fn text_payload(value: Option<&str>) -> Body {
    let bytes = value.map_or_else(Bytes::new, |text| Bytes::copy_from_slice(text.as_bytes()));
    Body { bytes: bytes.into(), content_type: None, typed_when_empty: false }
}

fn is_blank(body: &[u8]) -> bool {
    body.iter().all(u8::is_ascii_whitespace)
}

/// Reads the XML document `body` whose root element is a `T` (any root name: services name it
/// after the operation, the output or, for a payload, the member).
fn read_root<T: FromXml>(body: &[u8]) -> Result<T, XmlError> {
    xml::read_document(body, |root| root.read())
}

/// An output with members in the XML body (and perhaps headers, which the generated code reads
/// next): an empty body is an empty output.
pub fn read_xml_output<O: Output + FromXml + Default>(response: &HttpResponse) -> Result<O, String> {
    let body = response.body();
    let mut output = if is_blank(body) {
        O::default()
    } else {
        read_root(body).map_err(|e| format!("the body does not fit the output: {e}"))?
    };
    output.set_request_id(request_id(response.headers()));
    output.set_extended_request_id(extended_request_id(response.headers()));
    Ok(output)
}

/// An output with no body members (all bound to headers, the status or a payload, which the
/// generated code reads next): the body is not read here.
pub fn read_bound_output<O: Output + Default>(response: &HttpResponse) -> O {
    let mut output = O::default();
    output.set_request_id(request_id(response.headers()));
    output.set_extended_request_id(extended_request_id(response.headers()));
    output
}

/// A structure or union payload: the body's root element; `None` when the body is empty.
pub fn read_xml_payload<T: FromXml>(response: &HttpResponse) -> Result<Option<T>, String> {
    let body = response.body();
    if is_blank(body) {
        return Ok(None);
    }
    read_root(body).map(Some).map_err(|e| format!("the body does not fit the payload: {e}"))
}

/// A blob payload: the body's bytes; `None` when empty.
pub fn read_blob_payload(response: &HttpResponse) -> Option<Blob> {
    super::rest_json::read_blob_payload(response)
}

/// A string payload: the body as UTF-8 text; `None` when empty.
pub fn read_text_payload(response: &HttpResponse) -> Result<Option<String>, String> {
    super::rest_json::read_text_payload(response)
}

/// An enum payload: the body's text as the enum's value; `None` when empty.
pub fn read_enum_payload<T: for<'a> From<&'a str>>(response: &HttpResponse) -> Result<Option<T>, String> {
    Ok(read_text_payload(response)?.map(|text| T::from(text.as_str())))
}

/// S3's extended request id (`x-amz-id-2`), if the response has one.
pub fn extended_request_id(headers: &HeaderMap) -> Option<String> {
    headers.get(EXTENDED_REQUEST_ID_HEADER).and_then(|v| v.to_str().ok()).map(str::to_string)
}

/// The reason phrase of an HTTP status, as botocore names an error response without a body.
fn status_message(status: u16) -> Option<String> {
    http::StatusCode::from_u16(status).ok().and_then(|s| s.canonical_reason()).map(str::to_string)
}

/// Reads an error response: the code and message of its `<Error>` (S3's bare root, or the
/// child of `<ErrorResponse>`), the request id of the body or else the headers, and the body
/// kept for the error's members. A body that is empty or not XML is named by the status (code
/// `404`, say), as botocore names it: S3 answers `HEAD` requests without a body.
pub fn read_error(status: u16, headers: &HeaderMap, body: &Bytes) -> Result<(ErrorMetadata, ErrorBody), String> {
    let mut metadata = if is_blank(body) {
        None
    } else {
        read_error_metadata(status, body).ok().filter(|m| m.code != UNKNOWN_ERROR_CODE)
    }
    .unwrap_or_else(|| ErrorMetadata::new(status.to_string(), status_message(status), status, None));
    if metadata.request_id.is_none() {
        metadata.request_id = request_id(headers);
    }
    let metadata = metadata.with_extended_request_id(extended_request_id(headers));
    Ok((metadata, ErrorBody { status, headers: headers.clone(), content: ErrorContent::Raw(body.clone()) }))
}

/// The code, message and request id of an error body of either form.
pub fn read_error_metadata(status: u16, body: &[u8]) -> Result<ErrorMetadata, XmlError> {
    let bare = xml::read_document(body, |root| Ok(root.local_name() == "Error"))?;
    if !bare {
        return xml::read_error(status, body);
    }
    let mut metadata = ErrorMetadata::new(UNKNOWN_ERROR_CODE, None, status, None);
    xml::read_document(body, |root| {
        while let Some(mut child) = root.next_child()? {
            match child.local_name() {
                "Code" => {
                    let code = child.text()?;
                    if !code.trim().is_empty() {
                        metadata.code = code.trim().to_string();
                    }
                }
                "Message" => metadata.message = Some(child.text()?),
                "RequestId" => metadata.request_id = Some(child.text()?.trim().to_string()),
                _ => child.skip()?,
            }
        }
        Ok(())
    })?;
    Ok(metadata)
}

/// Reads a modelled error's members from an error body of either form (S3's bare `<Error>`, or
/// the `<Error>` of `<ErrorResponse>`); an empty body gives `T::default()`.
pub fn read_error_body<T: FromXml + Default>(body: &[u8]) -> Result<T, XmlError> {
    if is_blank(body) {
        return Ok(T::default());
    }
    let bare = xml::read_document(body, |root| Ok(root.local_name() == "Error"))?;
    if bare { read_root(body) } else { xml::read_error_members(body) }
}

/// A modelled error's body members; `None` when the body does not fit them.
pub fn read_error_members<E: FromXml + Default>(body: &ErrorBody) -> Option<E> {
    match &body.content {
        ErrorContent::Raw(bytes) => read_error_body(bytes).ok(),
        ErrorContent::Json(_) => Some(E::default()),
    }
}

/// A structure payload of an error: the `<Error>` element read as it; `None` when it does not
/// fit.
pub fn error_xml_payload<T: FromXml + Default>(body: &ErrorBody) -> Option<T> {
    read_error_members(body)
}

/// Whether a `200 OK` response of S3 is in fact an error, as botocore 1.44.5 decides it for
/// every S3 operation whose output is not a blob or string payload (CopyObject, UploadPartCopy
/// and CompleteMultipartUpload are the ones S3 is known to answer so): S3 sends the status
/// before the work is done, and an error found later arrives as an `<Error>` body. A body cut
/// short (not well-formed XML) is treated the same way, as a network fault. botocore then reads
/// the response as a `500` error, which its retry strategy retries (`InternalError` and the
/// other transient codes); an empty body is an empty output.
pub fn is_error_in_ok_body(body: &[u8]) -> bool {
    if body.is_empty() {
        return false;
    }
    xml::read_document(body, |root| Ok(root.local_name() == "Error")).unwrap_or(true)
}

/// The output of S3's `GetBucketLocation`, whose body is the bare
/// `<LocationConstraint>region</LocationConstraint>` the output's member is (botocore unwraps
/// it by hand too): the member's text, empty for `us-east-1`.
pub fn read_location_constraint(response: &HttpResponse) -> Result<Option<String>, String> {
    let body = response.body();
    if is_blank(body) {
        return Ok(None);
    }
    let text = xml::read_document(body, |root: &mut XmlElement<'_, '_>| root.text())
        .map_err(|e| format!("the body is not a LocationConstraint: {e}"))?;
    Ok((!text.trim().is_empty()).then(|| text.trim().to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn response(status: u16, headers: &[(&'static str, &'static str)], body: &'static str) -> HttpResponse {
        let mut builder = http::Response::builder().status(status);
        for (name, value) in headers {
            builder = builder.header(*name, *value);
        }
        builder.body(Bytes::from_static(body.as_bytes())).unwrap()
    }

    #[test]
    fn both_error_forms_and_bodiless_errors() {
        let s3 = Bytes::from_static(
            b"<Error><Code>NoSuchKey</Code><Message>gone</Message><RequestId>r</RequestId><HostId>h</HostId></Error>",
        );
        let (metadata, _) = read_error(404, &HeaderMap::new(), &s3).unwrap();
        assert_eq!((metadata.code.as_str(), metadata.message.as_deref()), ("NoSuchKey", Some("gone")));
        assert_eq!(metadata.request_id.as_deref(), Some("r"));
        let wrapped = Bytes::from_static(
            b"<ErrorResponse><Error><Type>Sender</Type><Code>InvalidInput</Code><Message>m</Message></Error>\
              <RequestId>q</RequestId></ErrorResponse>",
        );
        let (metadata, _) = read_error(400, &HeaderMap::new(), &wrapped).unwrap();
        assert_eq!((metadata.code.as_str(), metadata.request_id.as_deref()), ("InvalidInput", Some("q")));
        let mut headers = HeaderMap::new();
        headers.insert("x-amz-request-id", http::HeaderValue::from_static("hdr"));
        headers.insert("x-amz-id-2", http::HeaderValue::from_static("host/id="));
        for body in [&b""[..], b"<html>bad gateway"] {
            let (metadata, _) = read_error(404, &headers, &Bytes::copy_from_slice(body)).unwrap();
            assert_eq!((metadata.code.as_str(), metadata.message.as_deref()), ("404", Some("Not Found")));
            assert_eq!(metadata.request_id.as_deref(), Some("hdr"));
            assert_eq!(metadata.extended_request_id(), Some("host/id="));
            assert_eq!(metadata.as_smithy().extra("s3_extended_request_id"), Some("host/id="));
        }
        let output: super::super::super::request_id::NoOutput =
            read_bound_output(&response(200, &[("x-amz-id-2", "h")], ""));
        // `NoOutput` keeps no extended id: only the outputs of restXml services do.
        assert_eq!(super::super::super::request_id::RequestId::extended_request_id(&output), None);
    }

    #[test]
    fn s3_quirks() {
        assert!(is_error_in_ok_body(b"<?xml version=\"1.0\"?>\n<Error><Code>InternalError</Code></Error>"));
        assert!(is_error_in_ok_body(b"<CopyObjectResult><ETag>e</ETag>"));
        assert!(!is_error_in_ok_body(b""));
        assert!(!is_error_in_ok_body(b"<CopyObjectResult><ETag>e</ETag></CopyObjectResult>"));
        let eu = response(200, &[], "<LocationConstraint xmlns=\"x\">eu-west-1</LocationConstraint>");
        assert_eq!(read_location_constraint(&eu).unwrap().as_deref(), Some("eu-west-1"));
        let us = response(200, &[], "<LocationConstraint xmlns=\"x\"/>");
        assert_eq!(read_location_constraint(&us).unwrap(), None);
        let id = response(200, &[("x-amz-id-2", "host")], "");
        assert_eq!(extended_request_id(id.headers()).as_deref(), Some("host"));
    }

    #[test]
    fn xml_bodies() {
        let body = xml_body("Root", Some(("xmlns", "u")), |out| {
            out.attribute_member("a", Some("1"));
            out.member("B", None, Some("x<y"));
        });
        assert_eq!(
            body.bytes.bytes().map(|b| b.to_vec()),
            Some(b"<Root xmlns=\"u\" a=\"1\"><B>x&lt;y</B></Root>".to_vec())
        );
        assert_eq!(body.content_type, Some(XML));
        assert!(xml_payload::<str>("P", None, None).bytes.is_empty());
    }
}
