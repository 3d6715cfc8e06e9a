//! The awsJson 1.0/1.1 protocol: `POST /` with the operation in `X-Amz-Target` and the input
//! as a JSON object; the output is the JSON body; errors name their code in a header or the
//! body. restJson1 reads its errors by the same rules.

use http::{HeaderMap, HeaderValue};
use serde_json::Value;

use super::super::client::{HttpResponse, ServiceInfo};
use super::super::error::{ErrorMetadata, RequestError};
use super::super::json::{self, BodyError, FromJson, JsonWriter, ToJson};
use super::super::path::Path;
use super::super::request_id::Output;
use super::{ErrorBody, ErrorContent, Protocol, ProtocolRequest, UNKNOWN_ERROR_CODE, request_id, sanitize_error_code};

/// The header naming the error code, which wins over the body.
const ERROR_TYPE_HEADER: &str = "x-amzn-errortype";

/// The `Content-Type` of a request: `application/x-amz-json-1.0` or `-1.1`.
pub fn content_type(json_version: &str) -> String {
    format!("application/x-amz-json-{json_version}")
}

/// Reads an error response by the awsJson rules: the code from the `X-Amzn-Errortype` header,
/// else `code`, else `__type` in the body, cut at the first `:` and keeping what follows `#`,
/// unless an `awsQueryCompatible` service names its query code in `x-amzn-query-error`; the
/// message from `message` or `Message`. A body that is not JSON is an error of its own,
/// with an excerpt.
pub fn read_error(status: u16, headers: &HeaderMap, body: &[u8]) -> Result<(ErrorMetadata, ErrorBody), String> {
    let value: Value = if body.iter().all(u8::is_ascii_whitespace) {
        Value::Object(serde_json::Map::new())
    } else {
        serde_json::from_slice(body).map_err(|e| format!("the error body is not JSON ({e})"))?
    };
    let text = |key: &str| value.get(key).and_then(Value::as_str);
    let code = super::query_error_code(headers).or_else(|| own_code(headers, &value));
    let message = text("message").or_else(|| text("Message")).map(str::to_string);
    let code = code.filter(|c| !c.is_empty()).unwrap_or(UNKNOWN_ERROR_CODE);
    let metadata = ErrorMetadata::new(code, message, status, request_id(headers));
    Ok((metadata, ErrorBody { status, headers: headers.clone(), content: ErrorContent::Json(value) }))
}

/// The code by the awsJson rules alone: the `X-Amzn-Errortype` header, else `code`, else
/// `__type` in the body, cut at the first `:` and keeping what follows `#`.
fn own_code<'a>(headers: &'a HeaderMap, value: &'a Value) -> Option<&'a str> {
    let text = |key: &str| value.get(key).and_then(Value::as_str);
    let header_code = headers.get(ERROR_TYPE_HEADER).and_then(|v| v.to_str().ok());
    header_code.or_else(|| text("code")).or_else(|| text("__type")).map(sanitize_error_code).filter(|c| !c.is_empty())
}

/// The code the response names the error by before any `x-amzn-query-error` header: the shape
/// name an `awsQueryCompatible` service's modelled errors are looked up by, as botocore looks
/// them up (its `QueryErrorCode`).
pub fn error_code(body: &ErrorBody) -> Option<String> {
    match &body.content {
        ErrorContent::Json(value) => own_code(&body.headers, value).map(str::to_string),
        ErrorContent::Raw(_) => None,
    }
}

/// The request of operation `operation` with `input`: `POST /`, its `Content-Type` and
/// `X-Amz-Target`, and the input as a JSON object.
// `input` is a trait object so that a crate with hundreds of operations compiles this once.
pub fn write_request(
    service: &ServiceInfo,
    operation: &str,
    input: &dyn ToJson,
) -> Result<ProtocolRequest, RequestError> {
    let Protocol::AwsJson { version, target_prefix } = service.protocol else {
        return Err(RequestError::Config(format!("{operation}: the service does not speak awsJson")));
    };
    let mut writer = JsonWriter::new();
    input.write_json(&mut writer);
    let mut request = ProtocolRequest::post(writer.into_string());
    let header = |value: String| {
        HeaderValue::try_from(value).map_err(|e| RequestError::Config(format!("{operation}: bad header value: {e}")))
    };
    request.headers.insert(http::header::CONTENT_TYPE, header(content_type(version))?);
    request.headers.insert("x-amz-target", header(format!("{target_prefix}.{operation}"))?);
    Ok(request)
}

/// Reads the output of a successful response: its JSON body (an empty body is an empty
/// object), read token by token into the output (numbers from their wire text), with the
/// response's request id.
pub fn read_output<O: Output + FromJson>(response: &HttpResponse) -> Result<O, String> {
    let body = response.body();
    let body: &[u8] = if body.iter().all(u8::is_ascii_whitespace) { b"{}" } else { body };
    let mut output = json::read_body::<O>(body).map_err(|error| match error {
        BodyError::NotJson(e) => format!("the body is not JSON ({e})"),
        BodyError::DoesNotFit(e) => format!("the body does not fit the output: {e}"),
    })?;
    output.set_request_id(request_id(response.headers()));
    Ok(output)
}

/// Reads a modelled error's members from a JSON error body; `None` when the body is not
/// JSON or does not fit.
pub fn read_error_members<E: FromJson>(body: &ErrorBody) -> Option<E> {
    match &body.content {
        ErrorContent::Json(value) => E::from_json(value, &Path::Root).ok(),
        ErrorContent::Raw(_) => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        pairs.iter().map(|(k, v)| (http::HeaderName::from_static(k), http::HeaderValue::from_static(v))).collect()
    }

    #[test]
    fn the_header_code_wins_over_the_body() {
        let (metadata, _) = read_error(
            400,
            &headers(&[("x-amzn-errortype", "FooError:http://internal.amazon.com/"), ("x-amzn-requestid", "r1")]),
            br#"{"__type": "BarError", "message": "m"}"#,
        )
        .unwrap();
        assert_eq!(metadata.code, "FooError");
        assert_eq!(metadata.message.as_deref(), Some("m"));
        assert_eq!(metadata.request_id.as_deref(), Some("r1"));
    }

    #[test]
    fn code_then_type_with_namespace_and_suffix() {
        let (m, _) = read_error(400, &HeaderMap::new(), br#"{"code": "ns#A", "__type": "B"}"#).unwrap();
        assert_eq!(m.code, "A");
        let (m, _) = read_error(
            400,
            &HeaderMap::new(),
            br#"{"__type": "aws.protocoltests.restjson#FooError:x", "Message": "M"}"#,
        )
        .unwrap();
        assert_eq!((m.code.as_str(), m.message.as_deref()), ("FooError", Some("M")));
    }

    #[test]
    fn a_query_compatible_code_wins() {
        let body = br#"{"__type": "ns#CustomCodeError", "message": "Hi"}"#;
        let (m, _) = read_error(400, &headers(&[("x-amzn-query-error", "Customized;Sender")]), body).unwrap();
        assert_eq!(m.code, "Customized");
        let (m, error) = read_error(400, &headers(&[("x-amzn-query-error", ";Sender")]), body).unwrap();
        assert_eq!(m.code, "CustomCodeError");
        assert_eq!(error_code(&error).as_deref(), Some("CustomCodeError"));
    }

    #[test]
    fn a_body_that_is_not_json_is_reported() {
        assert!(read_error(502, &HeaderMap::new(), b"<html>Bad Gateway</html>").is_err());
        let (m, _) = read_error(500, &HeaderMap::new(), b"").unwrap();
        assert_eq!(m.code, UNKNOWN_ERROR_CODE);
    }
}
