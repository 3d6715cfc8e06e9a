//! The awsQuery and ec2 protocols: `POST /` with the input as an
//! `application/x-www-form-urlencoded` body (`Action`, `Version`, then the input flattened by
//! [`query`](super::super::query)'s rules), and XML responses read by
//! [`xml`]: awsQuery wraps the output in `<{Operation}Result>` with the
//! request id in `<ResponseMetadata>`; ec2's `<{Operation}Response>` is the output itself and
//! carries a `<requestId>`. Errors are `<ErrorResponse><Error>` (awsQuery) or
//! `<Response><Errors><Error>` (ec2), both read by [`xml::read_error`].

use http::{HeaderMap, HeaderValue};

use super::super::client::{HttpResponse, NoInput, ServiceInfo};
use super::super::error::{ErrorMetadata, RequestError};
use super::super::query::{CONTENT_TYPE, QueryWriter, ToQuery};
use super::super::request_id::{NoOutput, Output};
use super::super::xml::{self, FromXml, XmlElement, XmlError, XmlResponse};
use super::{ErrorBody, ErrorContent, Protocol, ProtocolRequest, request_id};

/// The request of operation `operation` with `input`: `POST /` with the form body.
pub fn write_request<I: ToQuery>(
    service: &ServiceInfo,
    operation: &str,
    input: &I,
) -> Result<ProtocolRequest, RequestError> {
    let mut writer = match service.protocol {
        Protocol::AwsQuery { version } => QueryWriter::new(operation, version),
        Protocol::Ec2Query { version } => QueryWriter::ec2(operation, version),
        _ => return Err(RequestError::Config(format!("{operation}: the service speaks neither awsQuery nor ec2"))),
    };
    input.write_query(&mut writer, "");
    let mut request = ProtocolRequest::post(writer.into_string());
    request.headers.insert(http::header::CONTENT_TYPE, HeaderValue::from_static(CONTENT_TYPE));
    Ok(request)
}

/// Reads the output of a successful awsQuery response: the `<{operation}Result>` element of
/// `<{operation}Response>`, with the request id of its `<ResponseMetadata>` (else the header's).
pub fn read_output<O: Output + FromXml + Default>(response: &HttpResponse, operation: &str) -> Result<O, String> {
    finish(xml::read_query_response(response.body(), operation), response)
}

/// Reads the output of a successful ec2 response: `<{operation}Response>` itself, with the
/// request id of its `<requestId>` (else the header's).
pub fn read_ec2_output<O: Output + FromXml + Default>(response: &HttpResponse, operation: &str) -> Result<O, String> {
    finish(xml::read_ec2_response(response.body(), operation), response)
}

fn finish<O: Output>(read: Result<XmlResponse<O>, XmlError>, response: &HttpResponse) -> Result<O, String> {
    let XmlResponse { mut output, request_id: body_id } =
        read.map_err(|e| format!("the body does not fit the output: {e}"))?;
    output.set_request_id(body_id.or_else(|| request_id(response.headers())));
    Ok(output)
}

/// Reads an error response of either protocol: the code and message of its `<Error>`, the
/// request id of the body (else the header's), and the body kept for the error's members.
pub fn read_error(status: u16, headers: &HeaderMap, body: &bytes::Bytes) -> Result<(ErrorMetadata, ErrorBody), String> {
    let mut metadata =
        xml::read_error(status, body).map_err(|e| format!("the error body is not the protocol's XML ({e})"))?;
    if metadata.request_id.is_none() {
        metadata.request_id = request_id(headers);
    }
    Ok((metadata, ErrorBody { status, headers: headers.clone(), content: ErrorContent::Raw(body.clone()) }))
}

/// Reads a modelled error's members from the `<Error>` element of an error body; `None` when
/// the body is not XML or does not fit.
pub fn read_error_members<E: FromXml + Default>(body: &ErrorBody) -> Option<E> {
    match &body.content {
        ErrorContent::Raw(bytes) => xml::read_error_members(bytes).ok(),
        ErrorContent::Json(_) => None,
    }
}

/// An operation without input writes only `Action` and `Version`.
impl ToQuery for NoInput {
    fn write_query(&self, _out: &mut QueryWriter, _key: &str) {}
}

/// Any output element is accepted: the model says nothing of it.
impl FromXml for NoOutput {
    fn read_xml(element: &mut XmlElement<'_, '_>) -> Result<Self, XmlError> {
        element.skip()?;
        Ok(NoOutput::default())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::request_id::RequestId;

    fn service(protocol: Protocol) -> ServiceInfo {
        ServiceInfo {
            protocol,
            signing_name: "sts",
            endpoint_prefix: "sts",
            endpoint_env_name: "STS",
            endpoint_rule_set: None,
            partitions: "{}",
        }
    }

    fn response(status: u16, body: &'static str) -> HttpResponse {
        http::Response::builder()
            .status(status)
            .header("x-amzn-requestid", "header-id")
            .body(bytes::Bytes::from_static(body.as_bytes()))
            .unwrap()
    }

    #[test]
    fn requests_are_form_posts_with_action_and_version() {
        let request =
            write_request(&service(Protocol::AwsQuery { version: "2011-06-15" }), "GetCallerIdentity", &NoInput)
                .unwrap();
        assert_eq!(request.method, http::Method::POST);
        assert_eq!(request.path_and_query, "/");
        assert_eq!(&request.body.bytes().unwrap()[..], b"Action=GetCallerIdentity&Version=2011-06-15");
        assert_eq!(request.headers[http::header::CONTENT_TYPE], CONTENT_TYPE);
        let json = service(Protocol::AwsJson { version: "1.0", target_prefix: "X" });
        assert!(write_request(&json, "Op", &NoInput).is_err());
    }

    #[test]
    fn outputs_take_the_body_request_id_then_the_header() {
        let body =
            "<OpResponse><OpResult/><ResponseMetadata><RequestId>body-id</RequestId></ResponseMetadata></OpResponse>";
        let output: NoOutput = read_output(&response(200, body), "Op").unwrap();
        assert_eq!(output.request_id(), Some("body-id"));
        let output: NoOutput = read_output(&response(200, ""), "Op").unwrap();
        assert_eq!(output.request_id(), Some("header-id"));
        let output: NoOutput =
            read_ec2_output(&response(200, "<OpResponse><requestId>e</requestId></OpResponse>"), "Op").unwrap();
        assert_eq!(output.request_id(), Some("e"));
        let wrong = read_output::<NoOutput>(&response(200, "<Other/>"), "Op").unwrap_err();
        assert!(wrong.contains("expected the element <OpResponse>"), "{wrong}");
    }

    #[test]
    fn errors_of_both_protocols() {
        let query = b"<ErrorResponse><Error><Type>Sender</Type><Code>NoSuchEntity</Code>\
            <Message>m</Message></Error><RequestId>r</RequestId></ErrorResponse>";
        let (metadata, body) = read_error(404, &HeaderMap::new(), &bytes::Bytes::from_static(query)).unwrap();
        assert_eq!((metadata.code.as_str(), metadata.message.as_deref()), ("NoSuchEntity", Some("m")));
        assert_eq!(metadata.request_id.as_deref(), Some("r"));
        assert!(matches!(body.content, ErrorContent::Raw(_)));
        let ec2 = b"<Response><Errors><Error><Code>InvalidInstanceID.NotFound</Code></Error></Errors>\
            <RequestID>e</RequestID></Response>";
        let (metadata, _) = read_error(400, &HeaderMap::new(), &bytes::Bytes::from_static(ec2)).unwrap();
        assert_eq!((metadata.code.as_str(), metadata.request_id.as_deref()), ("InvalidInstanceID.NotFound", Some("e")));
        assert!(read_error(502, &HeaderMap::new(), &bytes::Bytes::from_static(b"<html>")).is_err());
    }
}
