//! Sends one call of an operation: the checks before sending, the endpoint, credentials,
//! signing, retries, and reading the response into the output or the operation's error.

use std::fmt;

use bytes::Bytes;
use serde_json::Value;

use super::config::Config;
use super::credentials::Credentials;
use super::error::{ErrorMetadata, RequestError};
use super::http::{EndpointOrigin, HttpClient};
use super::json::{FromJson, JsonWriter, ToJson};
use super::path::Path;
use super::protocol;
use super::retry::{RetryKind, RetryStrategy, classify_response, classify_transport_error};
use super::sign::sign_request;
use super::validate::{Checks, Report, Validate};

/// What the model says about the service, for every call.
#[derive(Clone, Copy, Debug)]
pub struct ServiceInfo {
    /// The `X-Amz-Target` prefix, e.g. `SageMaker`.
    pub target_prefix: &'static str,
    /// The SigV4 signing name, e.g. `sagemaker`.
    pub signing_name: &'static str,
    /// The endpoint prefix, e.g. `api.sagemaker`.
    pub endpoint_prefix: &'static str,
    /// `1.0` or `1.1`.
    pub json_version: &'static str,
}

/// An operation's error type, as the generator emits it.
pub trait OperationError: From<RequestError> {
    /// The error for a service error response.
    fn from_service_error(metadata: ErrorMetadata, body: &Value) -> Self;
}

/// What a client shares between its calls: settings, connection pool, retry quota.
pub struct Handle {
    config: Config,
    http: Result<HttpClient, String>,
    retry: RetryStrategy,
    service: ServiceInfo,
}

impl Handle {
    /// A handle for `service` with `config`.
    pub fn new(config: Config, service: ServiceInfo) -> Self {
        let http = HttpClient::new(config.http.clone()).map_err(|e| e.to_string());
        let retry = RetryStrategy::new(config.retry.clone());
        Handle { config, http, retry, service }
    }

    /// The settings.
    pub fn config(&self) -> &Config {
        &self.config
    }

    /// A fresh idempotency token, for a member the caller left empty.
    pub fn idempotency_token(&self) -> String {
        (self.config.token_source)()
    }

    /// The retry strategy (its quota is shared by every call of this client).
    pub fn retry_strategy(&self) -> &RetryStrategy {
        &self.retry
    }
}

impl fmt::Debug for Handle {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Handle").field("config", &self.config).field("service", &self.service).finish_non_exhaustive()
    }
}

/// How one attempt failed.
enum Failure {
    /// The service answered with an error.
    Service(ErrorMetadata, Value),
    /// Anything else.
    Request(RequestError),
}

impl Failure {
    fn retry_kind(&self) -> RetryKind {
        match self {
            Failure::Service(metadata, _) => classify_response(metadata.status, Some(&metadata.code)),
            Failure::Request(RequestError::Http(e)) => classify_transport_error(e),
            // A proxy's HTML page on a 502 is as transient as the 502 itself.
            Failure::Request(RequestError::MalformedResponse { status, .. }) => classify_response(*status, None),
            Failure::Request(_) => RetryKind::NotRetryable,
        }
    }
}

/// Where requests go.
struct Endpoint {
    uri: http::Uri,
    origin: EndpointOrigin,
}

/// Calls `operation` with `input`: checks it (required members always, constraints when the
/// config asks), then sends it with retries, and reads the output or the error.
pub async fn invoke<I, O, E>(handle: &Handle, operation: &'static str, input: &I) -> Result<O, E>
where
    I: ToJson + Validate,
    O: FromJson,
    E: OperationError,
{
    let checks = if handle.config.validate_input { Checks::All } else { Checks::Required };
    let mut report = Report::new(checks);
    input.validate_into(&Path::Root, &mut report);
    report.finish().map_err(|e| E::from(RequestError::InvalidInput(e)))?;

    let mut writer = JsonWriter::new();
    input.write_json(&mut writer);
    let body = Bytes::from(writer.into_string());

    let call = call_with_retries(handle, operation, body);
    let result = match handle.config.operation_timeout {
        None => call.await,
        Some(limit) => tokio::time::timeout(limit, call)
            .await
            .unwrap_or(Err(Failure::Request(RequestError::OperationTimeout(limit)))),
    };
    match result {
        Ok(value) => Ok(value),
        Err(Failure::Service(metadata, body)) => Err(E::from_service_error(metadata, &body)),
        Err(Failure::Request(error)) => Err(E::from(error)),
    }
}

async fn call_with_retries<O: FromJson>(handle: &Handle, operation: &'static str, body: Bytes) -> Result<O, Failure> {
    let http = handle.http.as_ref().map_err(|e| Failure::Request(RequestError::Config(e.clone())))?;
    let region = match (&handle.config.region, &handle.config.region_error) {
        (Some(region), _) => region.as_str().to_string(),
        (None, Some(error)) => return Err(Failure::Request(RequestError::Config(error.clone()))),
        (None, None) => {
            return Err(Failure::Request(RequestError::Config(
                "no region: set one with `Config::builder().region(..)`, or AWS_REGION".to_string(),
            )));
        }
    };
    let endpoint = endpoint(handle, &region).map_err(Failure::Request)?;
    let credentials =
        handle.config.credentials.credentials().await.map_err(|e| Failure::Request(RequestError::Credentials(e)))?;
    let target = format!("{}.{operation}", handle.service.target_prefix);
    handle
        .retry
        .run(
            |_attempt| attempt(handle, http, &endpoint, &credentials, &region, &target, body.clone()),
            Failure::retry_kind,
        )
        .await
}

fn endpoint(handle: &Handle, region: &str) -> Result<Endpoint, RequestError> {
    let (url, origin) = match &handle.config.endpoint_url {
        Some(url) => (url.trim_end_matches('/').to_string(), EndpointOrigin::UserSet),
        None => {
            (format!("https://{}.{region}.amazonaws.com", handle.service.endpoint_prefix), EndpointOrigin::Resolved)
        }
    };
    let uri: http::Uri = format!("{url}/")
        .parse()
        .map_err(|e| RequestError::Config(format!("the endpoint {url:?} is not a URL: {e}")))?;
    if uri.host().is_none() {
        return Err(RequestError::Config(format!("the endpoint {url:?} has no host")));
    }
    Ok(Endpoint { uri, origin })
}

async fn attempt<O: FromJson>(
    handle: &Handle,
    http: &HttpClient,
    endpoint: &Endpoint,
    credentials: &Credentials,
    region: &str,
    target: &str,
    body: Bytes,
) -> Result<O, Failure> {
    let host = endpoint.uri.authority().map(|a| a.as_str().to_string()).unwrap_or_default();
    let mut request = http::Request::builder()
        .method(http::Method::POST)
        .uri(endpoint.uri.clone())
        .header(http::header::HOST, host)
        .header(http::header::CONTENT_TYPE, protocol::content_type(handle.service.json_version))
        .header("x-amz-target", target)
        .header(http::header::USER_AGENT, concat!("awsgen/", env!("CARGO_PKG_VERSION")))
        .body(body)
        .map_err(|e| Failure::Request(RequestError::Config(format!("cannot build the request: {e}"))))?;
    sign_request(&mut request, credentials, region, handle.service.signing_name, (handle.config.time_source)())
        .map_err(|e| Failure::Request(RequestError::Signing(e)))?;
    let response = http.send(request, endpoint.origin).await.map_err(|e| Failure::Request(RequestError::Http(e)))?;
    let status = response.status().as_u16();
    let malformed = |reason: String, body: &[u8]| {
        Failure::Request(RequestError::MalformedResponse {
            status,
            request_id: protocol::request_id(response.headers()),
            reason,
            excerpt: protocol::excerpt(body),
        })
    };
    let body = response.body();
    if !response.status().is_success() {
        return match protocol::parse_error(status, response.headers(), body) {
            Ok((metadata, value)) => Err(Failure::Service(metadata, value)),
            Err(reason) => Err(malformed(reason, body)),
        };
    }
    let value: Value = if body.iter().all(u8::is_ascii_whitespace) {
        Value::Object(serde_json::Map::new())
    } else {
        serde_json::from_slice(body).map_err(|e| malformed(format!("the body is not JSON ({e})"), body))?
    };
    O::from_json(&value, &Path::Root).map_err(|e| malformed(format!("the body does not fit the output: {e}"), body))
}

/// The input of an operation the model gives none: an empty object.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct NoInput;

impl ToJson for NoInput {
    fn write_json(&self, writer: &mut JsonWriter) {
        drop(writer.object());
    }
}

impl Validate for NoInput {
    fn validate_into(&self, _path: &Path<'_>, _report: &mut Report) {}
}
