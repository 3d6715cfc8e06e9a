//! The Smithy rpcv2Cbor protocol: `POST /service/{service}/operation/{Operation}` with the
//! `smithy-protocol: rpc-v2-cbor` header and the input as a CBOR map; the output is the CBOR
//! body; errors name their code in `__type` (or, for a query-compatible service, in the
//! `x-amzn-query-error` header). The CBOR itself is the [`cbor`] module's.

use bytes::Bytes;
use http::{HeaderMap, HeaderValue};

use super::super::cbor::{self, CborError, CborErrorKind, CborReader, FromCbor, MapReader, ToCbor};
use super::super::client::{HttpResponse, ServiceInfo};
use super::super::error::{ErrorMetadata, RequestError};
use super::super::path::Path;
use super::super::request_id::{NoOutput, Output};
use super::{ErrorBody, ErrorContent, Protocol, ProtocolRequest, request_id};

/// The media type of request and response bodies.
pub const CBOR_MEDIA_TYPE: &str = "application/cbor";
/// The header naming the protocol, on every request and response.
pub const SMITHY_PROTOCOL_HEADER: &str = "smithy-protocol";
/// Its value.
pub const SMITHY_PROTOCOL: &str = "rpc-v2-cbor";

/// Reads an error response: the code from `__type` (or the `x-amzn-query-error` header), the
/// message, the request id; the modelled error's members are read again from the body. A body
/// that is not a CBOR map is an error of its own.
pub fn read_error(status: u16, headers: &HeaderMap, body: &Bytes) -> Result<(ErrorMetadata, ErrorBody), String> {
    let metadata =
        cbor::parse_error(status, headers, body).map_err(|e| format!("the error body is not a CBOR map ({e})"))?;
    Ok((metadata, ErrorBody { status, headers: headers.clone(), content: ErrorContent::Raw(body.clone()) }))
}

/// The request of `operation` with `input`: its path, headers and the input as a CBOR map.
pub fn write_request<I: ToCbor>(
    service: &ServiceInfo,
    operation: &str,
    input: &I,
) -> Result<ProtocolRequest, RequestError> {
    let mut request = write_empty_request(service, operation)?;
    request.body = Bytes::from(cbor::to_body(input)).into();
    request.headers.insert(http::header::CONTENT_TYPE, HeaderValue::from_static(CBOR_MEDIA_TYPE));
    Ok(request)
}

/// The request of `operation`, which has no input: no body and no `Content-Type`.
pub fn write_empty_request(service: &ServiceInfo, operation: &str) -> Result<ProtocolRequest, RequestError> {
    let Protocol::RpcV2Cbor { service: name } = service.protocol else {
        return Err(RequestError::Config(format!("{operation}: the service does not speak rpcv2Cbor")));
    };
    let mut request = ProtocolRequest::post(Bytes::new());
    request.path_and_query = format!("/service/{name}/operation/{operation}");
    request.headers.insert(SMITHY_PROTOCOL_HEADER, HeaderValue::from_static(SMITHY_PROTOCOL));
    request.headers.insert(http::header::ACCEPT, HeaderValue::from_static(CBOR_MEDIA_TYPE));
    Ok(request)
}

/// Reads the output of a successful response: its CBOR body (an empty body is an empty map),
/// with the response's request id. The `smithy-protocol` header is not required: the
/// protocol's own tests have responses without it that clients must read.
pub fn read_output<O: Output + FromCbor>(response: &HttpResponse) -> Result<O, String> {
    let mut output: O =
        cbor::from_body(response.body()).map_err(|e| format!("the body does not fit the output: {e}"))?;
    output.set_request_id(request_id(response.headers()));
    Ok(output)
}

/// Reads a modelled error's members from a CBOR error body (`__type` is skipped as any member
/// the shape does not have); `None` when the body does not fit.
pub fn read_error_members<E: FromCbor>(body: &ErrorBody) -> Option<E> {
    match &body.content {
        ErrorContent::Raw(bytes) => cbor::from_body(bytes).ok(),
        _ => None,
    }
}

/// The code the body names the error by (`__type`), before any `x-amzn-query-error` header: the
/// shape name an `awsQueryCompatible` service's modelled errors are looked up by, as botocore
/// looks them up (its `QueryErrorCode`).
pub fn error_code(body: &ErrorBody) -> Option<String> {
    let ErrorContent::Raw(bytes) = &body.content else { return None };
    let metadata = cbor::parse_error(body.status, &HeaderMap::new(), bytes).ok()?;
    (metadata.code != super::UNKNOWN_ERROR_CODE).then_some(metadata.code)
}

/// Reads a union: a map with exactly one member that is not `null`, `__type` aside. `member`
/// reads the value of the entry whose key it is given (skipping it for a member the client does
/// not know). Generated unions' `FromCbor` call this.
pub fn read_union<U>(
    reader: &mut CborReader<'_>,
    path: &Path<'_>,
    mut member: impl FnMut(&str, &mut MapReader<'_, '_>) -> Result<U, CborError>,
) -> Result<U, CborError> {
    let offset = reader.offset();
    let mut found = None;
    let mut map = reader.map(path)?;
    while let Some(key) = map.next_key()? {
        if key == "__type" || map.null()? {
            continue;
        }
        if found.replace(member(&key, &mut map)?).is_some() {
            let kind = CborErrorKind::OutOfRange("a union holds one member, found several".to_string());
            return Err(CborError::new(path, offset, kind));
        }
    }
    found.ok_or_else(|| {
        CborError::new(path, offset, CborErrorKind::OutOfRange("a union needs one member, found none".to_string()))
    })
}

/// Any body is accepted: the model says nothing of it.
impl FromCbor for NoOutput {
    fn read_cbor(reader: &mut CborReader<'_>, path: &Path<'_>) -> Result<Self, CborError> {
        reader.skip(path)?;
        Ok(NoOutput::default())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SERVICE: ServiceInfo = ServiceInfo {
        protocol: Protocol::RpcV2Cbor { service: "Svc" },
        signing_name: "svc",
        endpoint_prefix: "svc",
        endpoint_env_name: "SVC",
        endpoint_rule_set: None,
        partitions: "",
    };

    #[test]
    fn requests_name_the_service_and_operation() {
        let request = write_request(&SERVICE, "Op", &Some("x".to_string())).unwrap();
        assert_eq!(request.path_and_query, "/service/Svc/operation/Op");
        assert_eq!(request.headers["smithy-protocol"], "rpc-v2-cbor");
        assert_eq!(request.headers["content-type"], "application/cbor");
        assert_eq!(request.headers["accept"], "application/cbor");
        let empty = write_empty_request(&SERVICE, "Op").unwrap();
        assert!(empty.body.is_empty() && !empty.headers.contains_key("content-type"));
    }

    #[test]
    fn errors_read_their_code_and_keep_the_body() {
        // {"__type": "ns#Oops", "message": "m"}
        let body = Bytes::from_static(b"\xa2\x66__type\x67ns#Oops\x67message\x61m");
        let (metadata, error) = read_error(400, &HeaderMap::new(), &body).unwrap();
        assert_eq!((metadata.code.as_str(), metadata.message.as_deref()), ("Oops", Some("m")));
        assert!(matches!(error.content, ErrorContent::Raw(ref raw) if raw == &body));
        let query = HeaderMap::from_iter([(
            http::HeaderName::from_static("x-amzn-query-error"),
            HeaderValue::from_static("Custom;Sender"),
        )]);
        let (metadata, error) = read_error(400, &query, &body).unwrap();
        assert_eq!((metadata.code.as_str(), error_code(&error).as_deref()), ("Custom", Some("Oops")));
        assert!(read_error(400, &HeaderMap::new(), &Bytes::from_static(b"\x61")).is_err());
    }

    #[test]
    fn unions_hold_one_member() {
        let read = |body: &[u8]| {
            let mut reader = CborReader::new(body);
            read_union(&mut reader, &Path::Root, |key, map| Ok((key.to_string(), map.value::<String>()?)))
        };
        assert_eq!(read(b"\xa2\x66__type\x61T\x61a\x61b").unwrap(), ("a".to_string(), "b".to_string()));
        assert!(read(b"\xa2\x61a\x61b\x61c\x61d").is_err());
        assert!(read(b"\xa1\x61a\xf6").is_err());
    }
}
