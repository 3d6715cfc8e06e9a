//! The awsJson 1.0/1.1 protocol: how a request looks, and how an error response is read.

use std::io::Write;

use http::HeaderMap;
use serde_json::Value;

use super::error::ErrorMetadata;
use super::path::Path;
use super::validate::{Checks, InvalidInput, Pattern, Report};

/// The header naming the error code, which wins over the body.
const ERROR_TYPE_HEADER: &str = "x-amzn-errortype";
/// The header carrying the request id.
const REQUEST_ID_HEADER: &str = "x-amzn-requestid";
/// The code given to an error response that names none.
pub const UNKNOWN_ERROR_CODE: &str = "UnknownError";
/// How much of an unreadable body an error shows.
const EXCERPT_CHARS: usize = 200;

/// The `Content-Type` of a request: `application/x-amz-json-1.0` or `-1.1`.
pub fn content_type(json_version: &str) -> String {
    format!("application/x-amz-json-{json_version}")
}

/// The request id of a response, if it has one.
pub fn request_id(headers: &HeaderMap) -> Option<String> {
    headers.get(REQUEST_ID_HEADER).and_then(|v| v.to_str().ok()).map(str::to_string)
}

/// Reads an error response by the awsJson rules: the code from the `X-Amzn-Errortype` header,
/// else `code`, else `__type` in the body, cut at the first `:` and keeping what follows `#`;
/// the message from `message` or `Message`. A body that is not JSON is an error of its own,
/// with an excerpt.
pub fn parse_error(status: u16, headers: &HeaderMap, body: &[u8]) -> Result<(ErrorMetadata, Value), String> {
    let value: Value = if body.iter().all(u8::is_ascii_whitespace) {
        Value::Object(serde_json::Map::new())
    } else {
        serde_json::from_slice(body).map_err(|e| format!("the error body is not JSON ({e})"))?
    };
    let text = |key: &str| value.get(key).and_then(Value::as_str);
    let header_code = headers.get(ERROR_TYPE_HEADER).and_then(|v| v.to_str().ok());
    let code = header_code.or_else(|| text("code")).or_else(|| text("__type")).map(sanitize_error_code);
    let message = text("message").or_else(|| text("Message")).map(str::to_string);
    let metadata = ErrorMetadata {
        code: code.filter(|c| !c.is_empty()).unwrap_or(UNKNOWN_ERROR_CODE).to_string(),
        message,
        status,
        request_id: request_id(headers),
    };
    Ok((metadata, value))
}

/// `aws.protocoltests#FooError:http://internal/...` → `FooError`.
pub fn sanitize_error_code(code: &str) -> &str {
    let code = code.split(':').next().unwrap_or(code);
    code.rsplit('#').next().unwrap_or(code).trim()
}

/// The `gzip` content encoding, the one request compression this client implements.
pub const GZIP: &str = "gzip";

/// One host label value: DNS labels separated by dots.
static HOST_LABEL: Pattern =
    Pattern::new(r"^[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$");

/// Compresses a request body with gzip (no file name, no modification time: the same body
/// always compresses to the same bytes, so a retry signs the same payload).
pub fn gzip(body: &[u8]) -> Vec<u8> {
    let mut encoder = flate2::write::GzEncoder::new(Vec::with_capacity(body.len() / 2), flate2::Compression::default());
    // Writing into a Vec cannot fail.
    encoder.write_all(body).expect("gzip into memory");
    encoder.finish().expect("gzip into memory")
}

/// Fills the `{Label}`s of a host prefix template (the model's `endpoint.hostPrefix`) with the
/// input's host label members. A label that is unset is missing; one that is not a valid DNS
/// name (letters, digits, hyphens, dots) breaks the pattern, reported with the member's path.
pub fn host_prefix(template: &str, labels: &[(&str, Option<&str>)]) -> Result<String, InvalidInput> {
    let mut report = Report::new(Checks::All);
    let mut out = String::with_capacity(template.len());
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let Some(close) = rest[open..].find('}') else { break };
        let label = &rest[open + 1..open + close];
        let root = Path::Root;
        let path = root.key(label);
        match labels.iter().find(|(name, _)| *name == label).and_then(|(_, value)| *value) {
            None => report.missing(&path),
            Some(value) => {
                report.pattern(&path, value, &HOST_LABEL);
                out.push_str(value);
            }
        }
        rest = &rest[open + close + 1..];
    }
    out.push_str(rest);
    report.finish().map(|()| out)
}

/// `uri` with `prefix` put before its host: `https://example.com/x` with `foo.` is
/// `https://foo.example.com/x`.
pub fn prefix_host(uri: &http::Uri, prefix: &str) -> Result<http::Uri, String> {
    let mut parts = uri.clone().into_parts();
    let authority = parts.authority.as_ref().ok_or("the endpoint has no host")?;
    let prefixed = format!("{prefix}{authority}");
    parts.authority = Some(prefixed.parse().map_err(|e| format!("{e}"))?);
    http::Uri::from_parts(parts).map_err(|e| e.to_string())
}

/// A short, printable excerpt of a body for an error message.
pub fn excerpt(body: &[u8]) -> String {
    let text = String::from_utf8_lossy(body);
    let mut out: String = text.chars().take(EXCERPT_CHARS).map(|c| if c.is_control() { ' ' } else { c }).collect();
    if text.chars().nth(EXCERPT_CHARS).is_some() {
        out.push_str(&format!("… ({} bytes)", body.len()));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        pairs.iter().map(|(k, v)| (http::HeaderName::from_static(k), http::HeaderValue::from_static(v))).collect()
    }

    #[test]
    fn the_header_code_wins_over_the_body() {
        let (metadata, _) = parse_error(
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
        let (m, _) = parse_error(400, &HeaderMap::new(), br#"{"code": "ns#A", "__type": "B"}"#).unwrap();
        assert_eq!(m.code, "A");
        let (m, _) = parse_error(
            400,
            &HeaderMap::new(),
            br#"{"__type": "aws.protocoltests.restjson#FooError:x", "Message": "M"}"#,
        )
        .unwrap();
        assert_eq!((m.code.as_str(), m.message.as_deref()), ("FooError", Some("M")));
    }

    #[test]
    fn a_body_that_is_not_json_is_reported() {
        assert!(parse_error(502, &HeaderMap::new(), b"<html>Bad Gateway</html>").is_err());
        let (m, _) = parse_error(500, &HeaderMap::new(), b"").unwrap();
        assert_eq!(m.code, UNKNOWN_ERROR_CODE);
    }

    #[test]
    fn host_prefixes_fill_their_labels() {
        assert_eq!(host_prefix("foo.", &[]).unwrap(), "foo.");
        assert_eq!(host_prefix("foo.{label}.", &[("label", Some("bar"))]).unwrap(), "foo.bar.");
        assert_eq!(host_prefix("foo-{Name}.", &[("Name", Some("my.name"))]).unwrap(), "foo-my.name.");
        let missing = host_prefix("{label}.", &[("label", None)]).unwrap_err();
        assert_eq!(missing.to_string(), "invalid input (1 problem); `label` is required but missing");
        assert!(host_prefix("{label}.", &[("label", Some(""))]).is_err());
        assert!(host_prefix("{label}.", &[("label", Some("a/b"))]).is_err());
        let uri: http::Uri = "https://example.com:8443/custom/".parse().unwrap();
        assert_eq!(prefix_host(&uri, "foo.").unwrap().to_string(), "https://foo.example.com:8443/custom/");
    }

    #[test]
    fn gzip_is_deterministic_and_round_trips() {
        use std::io::Read;
        let body = "{\"data\":\"".to_string() + &"abc".repeat(5000) + "\"}";
        let compressed = gzip(body.as_bytes());
        assert_eq!(compressed, gzip(body.as_bytes()));
        assert!(compressed.len() < body.len() / 10);
        let mut out = String::new();
        flate2::read::GzDecoder::new(compressed.as_slice()).read_to_string(&mut out).unwrap();
        assert_eq!(out, body);
    }

    #[test]
    fn excerpts_are_short_and_printable() {
        let long = "x".repeat(1000);
        let e = excerpt(long.as_bytes());
        assert!(e.ends_with("… (1000 bytes)"));
        assert_eq!(excerpt(b"a\nb"), "a b");
    }
}
