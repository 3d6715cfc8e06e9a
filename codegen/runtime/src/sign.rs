//! AWS Signature Version 4, through the `aws-sigv4` crate.
//!
//! [`sign_request`] adds `x-amz-date`, `x-amz-security-token` (when the credentials have a
//! session token, and then signed too) and `authorization` to a request whose body is in
//! memory. The payload hash goes into the signature only; no `x-amz-content-sha256` header is
//! added (the awsJson protocols do not use it). [`sign_streaming_request`] signs a request
//! whose body is read as it is sent, so cannot be hashed first: its payload is
//! `UNSIGNED-PAYLOAD`, said in an `x-amz-content-sha256` header, as the AWS SDKs send streamed
//! bodies over TLS. Signing again (for a retry) replaces the headers of the previous
//! signature.
//!
//! Errors name the header or part at fault, never a secret, a token or the signature; and
//! signing runs with no `tracing` subscriber, as aws-sigv4's own debug events print the
//! canonical request with the session token in it.

use std::error::Error;
use std::fmt;
use std::time::{Duration, SystemTime};

use aws_sigv4::http_request::{
    PayloadChecksumKind, PercentEncodingMode, SignableBody, SignableRequest, SignatureLocation, SigningInstructions,
    SigningSettings, UriPathNormalizationMode, sign,
};
use aws_sigv4::sign::v4;
use bytes::Bytes;
use http::{HeaderName, HeaderValue, Request};

use super::credentials::Credentials;
use super::http_bindings::percent;

/// Headers that a signature sets: removed before signing so that a second signature (on a
/// retry, or with other credentials) does not sign or keep stale values.
const SIGNATURE_HEADERS: &[&str] = &["authorization", "x-amz-date", "x-amz-security-token", "x-amz-content-sha256"];

/// The `x-amz-content-sha256` of a payload that is not hashed.
const UNSIGNED_PAYLOAD: &str = "UNSIGNED-PAYLOAD";
/// The `x-amz-content-sha256` of an aws-chunked payload with an unsigned trailer.
const STREAMING_UNSIGNED_PAYLOAD_TRAILER: &str = "STREAMING-UNSIGNED-PAYLOAD-TRAILER";

/// Signs `request` in place for `region` and `signing_name` (e.g. `sagemaker`) at `time`
/// (`SystemTime::now()` outside tests).
pub fn sign_request(
    request: &mut Request<Bytes>,
    credentials: &Credentials,
    region: &str,
    signing_name: &str,
    time: SystemTime,
) -> Result<(), SignError> {
    let (mut parts, body) = std::mem::take(request).into_parts();
    let signed = sign_parts(&mut parts, SignableBody::Bytes(&body), credentials, region, signing_name, time);
    *request = Request::from_parts(parts, body);
    signed
}

/// What a streamed request's signature says about its payload.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StreamingPayload {
    /// `UNSIGNED-PAYLOAD`: the body is sent as it is.
    Unsigned,
    /// `STREAMING-UNSIGNED-PAYLOAD-TRAILER`: the body is sent `aws-chunked` with a trailing
    /// checksum (see `checksum::aws_chunked`).
    UnsignedWithTrailer,
}

impl StreamingPayload {
    fn label(self) -> &'static str {
        match self {
            StreamingPayload::Unsigned => UNSIGNED_PAYLOAD,
            StreamingPayload::UnsignedWithTrailer => STREAMING_UNSIGNED_PAYLOAD_TRAILER,
        }
    }
}

/// Signs `request`, whose body streams, with an unsigned `payload` (see the module doc), and
/// gives it back signed.
pub fn sign_streaming_request<B>(
    request: Request<B>,
    payload: StreamingPayload,
    credentials: &Credentials,
    region: &str,
    signing_name: &str,
    time: SystemTime,
) -> Result<Request<B>, SignError> {
    let (mut parts, body) = request.into_parts();
    let label = payload.label();
    parts.headers.insert("x-amz-content-sha256", HeaderValue::from_static(label));
    sign_parts(&mut parts, SignableBody::Precomputed(label.to_string()), credentials, region, signing_name, time)?;
    Ok(Request::from_parts(parts, body))
}

/// A presigned request: a URL anyone can use until it expires, with no credentials of their
/// own, and the headers that were signed with it (a request made with the URL must send them
/// with the same values; `host` is one and is left out here, as every HTTP client sends it).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PresignedRequest {
    /// The HTTP method.
    pub method: http::Method,
    /// The URL, with the signature in its query string.
    pub url: String,
    /// The signed headers besides `host`.
    pub headers: http::HeaderMap,
}

/// The longest a SigV4 presigned URL can be valid for: seven days.
pub const MAX_PRESIGNED_EXPIRY: Duration = Duration::from_secs(7 * 24 * 60 * 60);

/// Presigns `request` (its body is not signed: `UNSIGNED-PAYLOAD`) for `expires_in`, at
/// `time`, with the signature and the session token in the query string, as botocore's
/// `generate_presigned_url` does with SigV4.
pub fn presign_request<B>(
    request: &Request<B>,
    credentials: &Credentials,
    region: &str,
    signing_name: &str,
    time: SystemTime,
    expires_in: Duration,
) -> Result<PresignedRequest, SignError> {
    if expires_in.is_zero() || expires_in > MAX_PRESIGNED_EXPIRY {
        return Err(SignError::new(SignErrorKind::Expiry));
    }
    let mut parts = http::Request::builder()
        .method(request.method().clone())
        .uri(request.uri().clone())
        .body(())
        .map_err(|error| SignError::new(SignErrorKind::Request).with_source(error))?
        .into_parts()
        .0;
    for (name, value) in request.headers() {
        // Only what a user of the URL sends is signed: `host`, and the request's own headers
        // (the user agent and payload hash are the signer's, not the URL user's).
        if !matches!(name.as_str(), "user-agent" | "x-amz-user-agent" | "x-amz-content-sha256" | "content-length") {
            parts.headers.append(name, value.clone());
        }
    }
    let mut settings = settings_for(signing_name);
    settings.signature_location = SignatureLocation::QueryParams;
    settings.expires_in = Some(expires_in);
    // The payload hash is a query-signing constant, not a header the URL's user would send.
    settings.payload_checksum_kind = PayloadChecksumKind::NoHeader;
    let query =
        signing_instructions(&parts, SignableBody::UnsignedPayload, credentials, region, signing_name, time, settings)?
            .into_parts()
            .1;
    let mut uri = parts.uri.to_string();
    for (i, (name, value)) in query.iter().enumerate() {
        let separator = if i == 0 && parts.uri.query().is_none() { '?' } else { '&' };
        uri.push(separator);
        uri.push_str(&percent::encode(name, false));
        uri.push('=');
        uri.push_str(&percent::encode(value, false));
    }
    parts.headers.remove(http::header::HOST);
    Ok(PresignedRequest { method: parts.method, url: uri, headers: parts.headers })
}

/// The signing settings of a service: S3's (signing names `s3`, `s3-outposts`,
/// `s3-object-lambda`, `s3express`) encode the path once, do not normalise it (a key may hold
/// `//` or `..`) and send the payload hash in `x-amz-content-sha256`, which S3 requires.
fn settings_for(signing_name: &str) -> SigningSettings {
    let mut settings = SigningSettings::default();
    if signing_name.starts_with("s3") {
        settings.percent_encoding_mode = PercentEncodingMode::Single;
        settings.uri_path_normalization_mode = UriPathNormalizationMode::Disabled;
        settings.payload_checksum_kind = PayloadChecksumKind::XAmzSha256;
    }
    settings
}

fn sign_parts(
    request: &mut http::request::Parts,
    body: SignableBody<'_>,
    credentials: &Credentials,
    region: &str,
    signing_name: &str,
    time: SystemTime,
) -> Result<(), SignError> {
    let streamed = matches!(body, SignableBody::Precomputed(_));
    for name in SIGNATURE_HEADERS {
        if *name != "x-amz-content-sha256" || !streamed {
            request.headers.remove(*name);
        }
    }
    let settings = settings_for(signing_name);
    let (new_headers, _query) =
        signing_instructions(request, body, credentials, region, signing_name, time, settings)?.into_parts();
    for header in new_headers {
        let name = HeaderName::from_bytes(header.name().as_bytes())
            .map_err(|_| SignError::header(SignErrorKind::InvalidSignedValue, header.name()))?;
        let mut value = HeaderValue::from_str(header.value())
            .map_err(|_| SignError::header(SignErrorKind::InvalidSignedValue, header.name()))?;
        value.set_sensitive(header.sensitive());
        request.headers.insert(name, value);
    }
    Ok(())
}

/// What aws-sigv4 says to add to `request` to sign it with `settings`.
fn signing_instructions(
    request: &http::request::Parts,
    body: SignableBody<'_>,
    credentials: &Credentials,
    region: &str,
    signing_name: &str,
    time: SystemTime,
    settings: SigningSettings,
) -> Result<SigningInstructions, SignError> {
    // aws-sigv4 panics on a request with neither a `host` header nor a host in its URI.
    if request.uri.host().is_none() && !request.headers.contains_key(http::header::HOST) {
        return Err(SignError::new(SignErrorKind::MissingHost));
    }
    let identity = credentials.clone().into();
    let params = v4::SigningParams::builder()
        .identity(&identity)
        .region(region)
        .name(signing_name)
        .time(time)
        .settings(settings)
        .build()
        .map_err(|error| SignError::new(SignErrorKind::Parameters).with_source(error))?
        .into();

    let uri = request.uri.to_string();
    let mut headers = Vec::with_capacity(request.headers.len());
    for (name, value) in &request.headers {
        let value = value.to_str().map_err(|_| SignError::header(SignErrorKind::UnsignableHeader, name.as_str()))?;
        headers.push((name.as_str(), value));
    }
    let signable = SignableRequest::new(request.method.as_str(), uri, headers.into_iter(), body)
        .map_err(|error| SignError::new(SignErrorKind::Request).with_source(error))?;
    // aws-sigv4's debug events print the canonical request, session token included: the
    // program's subscriber must not see them.
    let (instructions, _signature) =
        tracing::dispatcher::with_default(&tracing::Dispatch::none(), || sign(signable, &params))
            .map_err(|error| SignError::new(SignErrorKind::Request).with_source(error))?
            .into_parts();
    Ok(instructions)
}

/// What went wrong while signing.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum SignErrorKind {
    /// The region or signing name is missing.
    Parameters,
    /// The request has no host: neither in its URI nor in a `host` header.
    MissingHost,
    /// A request header is not visible ASCII, so it cannot be signed.
    UnsignableHeader,
    /// The request cannot be put in canonical form (e.g. its URI), or the session token is not
    /// a valid header value.
    Request,
    /// A computed header (e.g. `x-amz-security-token` from the credentials) is not a valid
    /// header value.
    InvalidSignedValue,
    /// A presigned URL's expiry is zero or longer than seven days.
    Expiry,
}

/// A request could not be signed.
#[derive(Debug)]
pub struct SignError {
    kind: SignErrorKind,
    header: Option<String>,
    source: Option<Box<dyn Error + Send + Sync>>,
}

impl SignError {
    fn new(kind: SignErrorKind) -> Self {
        Self { kind, header: None, source: None }
    }

    fn header(kind: SignErrorKind, name: &str) -> Self {
        Self { header: Some(name.to_owned()), ..Self::new(kind) }
    }

    fn with_source(mut self, source: impl Error + Send + Sync + 'static) -> Self {
        self.source = Some(Box::new(source));
        self
    }

    /// What went wrong.
    pub fn kind(&self) -> SignErrorKind {
        self.kind
    }
}

impl fmt::Display for SignError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let header = self.header.as_deref().unwrap_or("?");
        match self.kind {
            SignErrorKind::Parameters => f.write_str("could not sign the request: missing signing parameters"),
            SignErrorKind::MissingHost => {
                f.write_str("could not sign the request: it has no host (in its URI or a `host` header)")
            }
            SignErrorKind::UnsignableHeader => {
                write!(f, "could not sign the request: the value of header `{header}` is not visible ASCII")
            }
            SignErrorKind::Request => f.write_str(
                "could not sign the request: it cannot be put in canonical form, or the \
                 session token is not a valid header value",
            ),
            SignErrorKind::InvalidSignedValue => {
                write!(f, "could not sign the request: the credentials give header `{header}` an invalid value")
            }
            SignErrorKind::Expiry => {
                f.write_str("could not presign the request: its expiry must be more than zero and at most 7 days")
            }
        }
    }
}

impl Error for SignError {
    fn source(&self) -> Option<&(dyn Error + 'static)> {
        self.source.as_ref().map(|source| source.as_ref() as &(dyn Error + 'static))
    }
}

#[cfg(test)]
mod tests {
    //! The expected values come from the AWS SigV4 test suite shipped in botocore's source
    //! distribution (botocore 1.44.5, `tests/unit/auth/aws4_testsuite/`), vendored with their
    //! checksums in the repository's `tests/fixtures/sigv4/` (see `PROVENANCE.md` there). The
    //! suite signs with the credentials, region, service and time in [`suite`]; botocore's
    //! `tests/unit/auth/test_sigv4.py` sets them.

    use super::*;
    use std::time::{Duration, UNIX_EPOCH};

    const ACCESS_KEY: &str = "AKIDEXAMPLE";
    const SECRET_KEY: &str = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";

    /// 2015-08-30T12:36:00Z, the suite's `X-Amz-Date: 20150830T123600Z`.
    fn suite_time() -> SystemTime {
        UNIX_EPOCH + Duration::from_secs(1_440_938_160)
    }

    fn suite(session_token: Option<&str>) -> Credentials {
        Credentials::new(ACCESS_KEY, SECRET_KEY, session_token.map(str::to_owned), None, "test")
    }

    fn signed(mut request: Request<Bytes>, credentials: &Credentials) -> Request<Bytes> {
        sign_request(&mut request, credentials, "us-east-1", "service", suite_time()).expect("signs");
        request
    }

    fn header<'a>(request: &'a Request<Bytes>, name: &str) -> &'a str {
        request.headers()[name].to_str().expect("ASCII header")
    }

    /// `get-vanilla/get-vanilla.req`: `GET / HTTP/1.1`, `Host:example.amazonaws.com`.
    #[test]
    fn get_vanilla() {
        let request = Request::get("https://example.amazonaws.com/").body(Bytes::new()).expect("request");
        let request = signed(request, &suite(None));
        // get-vanilla/get-vanilla.authz
        assert_eq!(
            header(&request, "authorization"),
            "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, \
             SignedHeaders=host;x-amz-date, \
             Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31"
        );
        assert_eq!(header(&request, "x-amz-date"), "20150830T123600Z");
        assert!(request.headers().get("x-amz-content-sha256").is_none());
    }

    /// `post-vanilla/post-vanilla.req`: `POST / HTTP/1.1`, `Host:example.amazonaws.com`, with the
    /// host given as a header rather than by the URI.
    #[test]
    fn post_vanilla() {
        let request = Request::post("/").header("Host", "example.amazonaws.com").body(Bytes::new()).expect("request");
        let request = signed(request, &suite(None));
        // post-vanilla/post-vanilla.authz
        assert_eq!(
            header(&request, "authorization"),
            "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, \
             SignedHeaders=host;x-amz-date, \
             Signature=5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b"
        );
    }

    /// `post-x-www-form-urlencoded/post-x-www-form-urlencoded.req`: a body and a content type,
    /// both signed (its `.creq` hashes the body `Param1=value1`).
    #[test]
    fn post_x_www_form_urlencoded() {
        let request = Request::post("https://example.amazonaws.com/")
            .header("Content-Type", "application/x-www-form-urlencoded")
            .body(Bytes::from_static(b"Param1=value1"))
            .expect("request");
        let request = signed(request, &suite(None));
        // post-x-www-form-urlencoded/post-x-www-form-urlencoded.authz
        assert_eq!(
            header(&request, "authorization"),
            "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, \
             SignedHeaders=content-type;host;x-amz-date, \
             Signature=ff11897932ad3f4e8b18135d722051e5ac45fc38421b1da7b9d196a0fe09473a"
        );
    }

    /// `get-vanilla-with-session-token`: the token is sent and signed.
    #[test]
    fn get_vanilla_with_session_token() {
        // get-vanilla-with-session-token/get-vanilla-with-session-token.creq
        let token = "6e86291e8372ff2a2260956d9b8aae1d763fbf315fa00fa31553b73ebf194267";
        let request = Request::get("https://example.amazonaws.com/").body(Bytes::new()).expect("request");
        let request = signed(request, &suite(Some(token)));
        // get-vanilla-with-session-token/get-vanilla-with-session-token.authz (the suite's
        // `.sreq` for this case carries a stale signature; the `.authz` matches its `.sts`).
        assert_eq!(
            header(&request, "authorization"),
            "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, \
             SignedHeaders=host;x-amz-date;x-amz-security-token, \
             Signature=07ec1639c89043aa0e3e2de82b96708f198cceab042d4a97044c66dd9f74e7f8"
        );
        assert_eq!(header(&request, "x-amz-security-token"), token);
        assert!(request.headers()["x-amz-security-token"].is_sensitive());
    }

    #[test]
    fn signing_again_replaces_the_previous_signature() {
        let token = "6e86291e8372ff2a2260956d9b8aae1d763fbf315fa00fa31553b73ebf194267";
        let request = Request::get("https://example.amazonaws.com/").body(Bytes::new()).expect("request");
        let mut request = signed(request, &suite(Some(token)));
        sign_request(&mut request, &suite(None), "us-east-1", "service", suite_time()).expect("signs again");
        assert_eq!(request.headers().get_all("authorization").iter().count(), 1);
        assert!(request.headers().get("x-amz-security-token").is_none());
        assert!(
            header(&request, "authorization")
                .ends_with("Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31")
        );
    }

    #[test]
    fn invalid_session_token_is_an_error_without_secrets() {
        let mut request = Request::get("https://example.amazonaws.com/").body(Bytes::new()).expect("request");
        let error =
            sign_request(&mut request, &suite(Some("line\nbreak-TOKENSECRET")), "us-east-1", "service", suite_time())
                .expect_err("a newline cannot go in a header");
        let mut text = format!("{error} {error:?}");
        let mut cause = error.source();
        while let Some(inner) = cause {
            text.push_str(&format!(" {inner} {inner:?}"));
            cause = inner.source();
        }
        assert!(!text.contains("TOKENSECRET"), "{text}");
        assert!(!text.contains(SECRET_KEY), "{text}");
        assert!(request.headers().get("authorization").is_none());
    }

    #[test]
    fn request_without_host_is_an_error() {
        let mut request = Request::get("/").body(Bytes::new()).expect("request");
        let error =
            sign_request(&mut request, &suite(None), "us-east-1", "service", suite_time()).expect_err("no host");
        assert_eq!(error.kind(), SignErrorKind::MissingHost);
    }

    #[test]
    fn non_ascii_header_is_an_error_naming_the_header() {
        let mut request = Request::get("https://example.amazonaws.com/")
            .header("x-custom", HeaderValue::from_bytes(b"caf\xc3\xa9").expect("opaque value"))
            .body(Bytes::new())
            .expect("request");
        let error =
            sign_request(&mut request, &suite(None), "us-east-1", "service", suite_time()).expect_err("unsignable");
        assert_eq!(error.kind(), SignErrorKind::UnsignableHeader);
        assert_eq!(
            error.to_string(),
            "could not sign the request: the value of header `x-custom` is not visible ASCII"
        );
    }

    /// What botocore 1.44.5's `generate_presigned_url` gave (S3, `signature_version='s3v4'`,
    /// the clock frozen at 2026-11-30T12:00:00Z, region eu-west-1, a session token): the
    /// same query parameters, so the same signature.
    #[test]
    fn presigned_urls_are_botocores() {
        let credentials = Credentials::new(
            "AKIDEXAMPLE",
            "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
            Some("tok/en+1=".to_string()),
            None,
            "test",
        );
        let time = UNIX_EPOCH + Duration::from_secs(1_796_040_000);
        let presign = |method: &str, uri: &str, headers: &[(&str, &str)], expires: u64| {
            let mut request = Request::builder().method(method).uri(uri).header("host", "my-bucket.s3.amazonaws.com");
            for (name, value) in headers {
                request = request.header(*name, *value);
            }
            let request = request.header("user-agent", "awsgen").body(()).unwrap();
            presign_request(&request, &credentials, "eu-west-1", "s3", time, Duration::from_secs(expires)).unwrap()
        };
        let sorted_query = |url: &str| {
            let (base, query) = url.split_once('?').unwrap();
            let mut pairs: Vec<&str> = query.split('&').collect();
            pairs.sort_unstable();
            (base.to_string(), pairs.join("&"))
        };
        let common = "X-Amz-Algorithm=AWS4-HMAC-SHA256\
            &X-Amz-Credential=AKIDEXAMPLE%2F20261130%2Feu-west-1%2Fs3%2Faws4_request\
            &X-Amz-Date=20261130T120000Z";

        let get = presign("GET", "https://my-bucket.s3.amazonaws.com/a%20b/c~d.txt", &[], 900);
        let expected = format!(
            "https://my-bucket.s3.amazonaws.com/a%20b/c~d.txt?{common}&X-Amz-Expires=900&X-Amz-SignedHeaders=host\
             &X-Amz-Security-Token=tok%2Fen%2B1%3D\
             &X-Amz-Signature=85b7e0cb87b887252ddee7863ca1a852c88acee3b003cb5863e9ce2716d44a0b"
        );
        assert_eq!(sorted_query(&get.url), sorted_query(&expected));
        assert_eq!(get.method, http::Method::GET);
        assert!(get.headers.is_empty(), "{:?}", get.headers);

        let put = presign("PUT", "https://my-bucket.s3.amazonaws.com/k", &[("content-type", "text/plain")], 60);
        let expected = format!(
            "https://my-bucket.s3.amazonaws.com/k?{common}&X-Amz-Expires=60&X-Amz-SignedHeaders=content-type%3Bhost\
             &X-Amz-Security-Token=tok%2Fen%2B1%3D\
             &X-Amz-Signature=c27801ab6bddafec19e7c75fd9bb301f72d7485435b267b8b05a4323de857e7c"
        );
        assert_eq!(sorted_query(&put.url), sorted_query(&expected));
        assert_eq!(put.headers.get("content-type").unwrap(), "text/plain");

        let too_long = Request::builder().uri("https://h/").body(()).unwrap();
        let error = presign_request(
            &too_long,
            &credentials,
            "eu-west-1",
            "s3",
            time,
            MAX_PRESIGNED_EXPIRY + Duration::from_secs(1),
        )
        .unwrap_err();
        assert_eq!(error.kind(), SignErrorKind::Expiry);
    }
}
