//! The wire protocols. What every protocol shares is here: the request a protocol writes
//! ([`ProtocolRequest`]), the error body a modelled error is read from ([`ErrorBody`]),
//! reading an error response by the service's protocol ([`read_error`]), request ids, error
//! codes, host prefixes and request compression. Each protocol's own rules are in its module.

pub mod aws_json;
pub mod query;
pub mod rest_json;
pub mod rest_xml;
pub mod rpc_v2_cbor;

use std::io::Write;

use bytes::Bytes;
use http::HeaderMap;

use super::body::RequestBody;
use serde_json::Value;

use super::error::ErrorMetadata;
use super::path::Path;
use super::validate::{Checks, InvalidInput, Report};

/// The header carrying the request id.
const REQUEST_ID_HEADER: &str = "x-amzn-requestid";
/// The header carrying the request id where the first is absent (some REST services).
const AMZ_REQUEST_ID_HEADER: &str = "x-amz-request-id";

/// The protocol a service speaks, with what every call of it needs to know.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Protocol {
    /// awsJson 1.0 or 1.1: `POST /` with `X-Amz-Target: {target_prefix}.{Operation}`.
    AwsJson {
        /// `1.0` or `1.1`, for the `Content-Type`.
        version: &'static str,
        /// The `X-Amz-Target` prefix, e.g. `SageMaker`.
        target_prefix: &'static str,
    },
    /// restJson1: the operation's method and URI, members bound to labels, the query string
    /// and headers, the rest in a JSON body (see [`rest_json`]).
    RestJson,
    /// restXml: restJson1's bindings with XML bodies (see [`rest_xml`]).
    RestXml,
    /// awsQuery: `POST /` with a form body of `Action`, `Version` and the input; XML responses.
    AwsQuery {
        /// The API version, the `Version` parameter, e.g. `2011-06-15`.
        version: &'static str,
    },
    /// ec2: awsQuery's form body with ec2's naming rules; XML responses without a result wrapper.
    Ec2Query {
        /// The API version, the `Version` parameter, e.g. `2016-11-15`.
        version: &'static str,
    },
    /// rpcv2Cbor: `POST /service/{service}/operation/{Operation}` with CBOR bodies.
    RpcV2Cbor {
        /// The service's name in the path, e.g. `GraniteServiceVersion20100801` (botocore's
        /// `targetPrefix`, the Smithy service shape's name).
        service: &'static str,
    },
}

/// A request as a protocol writes it: what the endpoint, the signature and the transport do
/// not add.
#[derive(Clone, Debug)]
pub struct ProtocolRequest {
    /// The HTTP method.
    pub method: http::Method,
    /// The path and query string, starting with `/`, relative to the endpoint's own path.
    pub path_and_query: String,
    /// The protocol's headers (`Content-Type`, `X-Amz-Target`, bound members).
    pub headers: HeaderMap,
    /// The body: in memory, or a streaming payload's file or reader.
    pub body: RequestBody,
}

impl ProtocolRequest {
    /// A `POST /` with no headers and `body`.
    pub fn post(body: impl Into<RequestBody>) -> Self {
        ProtocolRequest {
            method: http::Method::POST,
            path_and_query: "/".to_string(),
            headers: HeaderMap::new(),
            body: body.into(),
        }
    }
}

/// An error response as the modelled error is read from it: the status, the headers (REST
/// protocols bind error members to them) and the body as the protocol parsed it.
#[derive(Clone, Debug)]
pub struct ErrorBody {
    /// The HTTP status.
    pub status: u16,
    /// The response headers.
    pub headers: HeaderMap,
    /// The body.
    pub content: ErrorContent,
}

impl ErrorBody {
    /// An error response of `status` with no headers and the JSON body `value` (for tests
    /// and for errors made without a response).
    pub fn json(status: u16, value: Value) -> Self {
        ErrorBody { status, headers: HeaderMap::new(), content: ErrorContent::Json(value) }
    }
}

/// The body of an error response.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub enum ErrorContent {
    /// A JSON body (an empty body is an empty object).
    Json(Value),
    /// A body the protocol reads again for the error's members (XML, CBOR).
    Raw(Bytes),
}

/// The request id of a response, if it has one: `x-amzn-requestid`, else `x-amz-request-id`.
pub fn request_id(headers: &HeaderMap) -> Option<String> {
    [REQUEST_ID_HEADER, AMZ_REQUEST_ID_HEADER]
        .into_iter()
        .find_map(|name| headers.get(name))
        .and_then(|v| v.to_str().ok())
        .map(str::to_string)
}

/// Reads an error response by the rules of `protocol`: the code, message and request id, and
/// the body the modelled error's members are read from. A body the protocol cannot read is an
/// error of its own (the caller reports it with an excerpt).
pub fn read_error(
    protocol: &Protocol,
    status: u16,
    headers: &HeaderMap,
    body: &Bytes,
) -> Result<(ErrorMetadata, ErrorBody), String> {
    match protocol {
        // restJson1 names its error codes as awsJson does.
        Protocol::AwsJson { .. } | Protocol::RestJson => aws_json::read_error(status, headers, body),
        Protocol::AwsQuery { .. } | Protocol::Ec2Query { .. } => query::read_error(status, headers, body),
        Protocol::RpcV2Cbor { .. } => rpc_v2_cbor::read_error(status, headers, body),
        Protocol::RestXml => rest_xml::read_error(status, headers, body),
    }
}

/// The header a client of an `awsQueryCompatible` service sends on every request, so the
/// service names its errors by their query codes too (in `x-amzn-query-error`).
pub const QUERY_MODE_HEADER: &str = "x-amzn-query-mode";

/// `request` with the `x-amzn-query-mode: true` header of an `awsQueryCompatible` service.
pub fn query_mode(mut request: ProtocolRequest) -> ProtocolRequest {
    request.headers.insert(QUERY_MODE_HEADER, http::HeaderValue::from_static("true"));
    request
}

/// The code of an `x-amzn-query-error: Code;Sender` header (an `awsQueryCompatible` service's
/// name for the error in its former awsQuery protocol), which wins over the body's: botocore
/// takes it when the header has exactly two parts and the first is not empty.
pub fn query_error_code(headers: &HeaderMap) -> Option<&str> {
    let value = headers.get(super::cbor::QUERY_ERROR_HEADER)?.to_str().ok()?;
    let (code, kind) = value.split_once(';')?;
    (!code.is_empty() && !kind.contains(';')).then_some(code)
}
/// The code given to an error response that names none.
pub const UNKNOWN_ERROR_CODE: &str = "UnknownError";
/// How much of an unreadable body an error shows.
const EXCERPT_CHARS: usize = 200;

/// `aws.protocoltests#FooError:http://internal/...` → `FooError`.
pub fn sanitize_error_code(code: &str) -> &str {
    let code = code.split(':').next().unwrap_or(code);
    code.rsplit('#').next().unwrap_or(code).trim()
}

/// The `gzip` content encoding, the one request compression this client implements.
pub const GZIP: &str = "gzip";

/// One host label value: DNS labels separated by dots. The check is [`is_host_label`], which
/// needs no regex engine: host labels are checked always, patterns only with a feature.
const HOST_LABEL: &str =
    r"^[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$";

/// Whether `value` matches [`HOST_LABEL`]: dot-separated labels of 1 to 63 ASCII letters, digits
/// and hyphens, none starting or ending with a hyphen.
fn is_host_label(value: &str) -> bool {
    value.split('.').all(|label| {
        let bytes = label.as_bytes();
        !bytes.is_empty()
            && bytes.len() <= 63
            && bytes.iter().all(|b| b.is_ascii_alphanumeric() || *b == b'-')
            && bytes[0] != b'-'
            && bytes[bytes.len() - 1] != b'-'
    })
}

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
                if !is_host_label(value) {
                    report.pattern_mismatch(&path, HOST_LABEL);
                }
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

    #[test]
    fn host_prefixes_fill_their_labels() {
        assert_eq!(host_prefix("foo.", &[]).unwrap(), "foo.");
        assert_eq!(host_prefix("foo.{label}.", &[("label", Some("bar"))]).unwrap(), "foo.bar.");
        assert_eq!(host_prefix("foo-{Name}.", &[("Name", Some("my.name"))]).unwrap(), "foo-my.name.");
        let missing = host_prefix("{label}.", &[("label", None)]).unwrap_err();
        assert_eq!(missing.to_string(), "invalid input (1 problem); `label` is required but missing");
        assert!(host_prefix("{label}.", &[("label", Some(""))]).is_err());
        assert!(host_prefix("{label}.", &[("label", Some("a/b"))]).is_err());
        let bad = host_prefix("{label}.", &[("label", Some("-a"))]).unwrap_err();
        assert_eq!(
            bad.to_string(),
            format!("invalid input (1 problem); `label` does not match the pattern {HOST_LABEL:?}")
        );
        let uri: http::Uri = "https://example.com:8443/custom/".parse().unwrap();
        assert_eq!(prefix_host(&uri, "foo.").unwrap().to_string(), "https://foo.example.com:8443/custom/");
    }

    #[test]
    fn host_labels_are_dns_labels() {
        let long = "a".repeat(63);
        for good in ["a", "a1", "a-b", "my.name", "0.1.2", long.as_str()] {
            assert!(is_host_label(good), "{good:?}");
        }
        let too_long = "a".repeat(64);
        for bad in ["", ".", "a.", ".a", "a..b", "-a", "a-", "a_b", "a/b", "é", too_long.as_str()] {
            assert!(!is_host_label(bad), "{bad:?}");
        }
    }

    /// The hand-written check answers as the pattern does.
    #[cfg(feature = "pattern-validation")]
    #[test]
    fn the_host_label_check_agrees_with_its_pattern() {
        let regex = super::super::validate::Pattern::compile(HOST_LABEL).unwrap();
        let alphabet = ['a', 'Z', '0', '-', '.', '_'];
        let mut values = vec![String::new()];
        for _ in 0..4 {
            values = values.iter().flat_map(|v| alphabet.iter().map(move |c| format!("{v}{c}"))).collect();
            for value in &values {
                assert_eq!(is_host_label(value), regex.is_match(value), "{value:?}");
            }
        }
        for length in [62, 63, 64] {
            let value = "b".repeat(length);
            assert_eq!(is_host_label(&value), regex.is_match(&value), "{length}");
        }
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
