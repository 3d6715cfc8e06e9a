//! Sends one call of an operation: the checks before sending, the endpoint, credentials,
//! signing, retries, and reading the response into the output or the operation's error.

use std::fmt;

use bytes::Bytes;

use super::config::Config;
use super::credentials::Credentials;
use super::endpoint::{EndpointError, EndpointParams, EndpointResolver};
use super::error::{ErrorMetadata, RequestError};
use super::http::{EndpointOrigin, HttpClient};
use super::json::{JsonWriter, ToJson};
use super::operation::{Operation, OperationError};
use super::path::Path;
use super::profile::Env;
use super::protocol::{self, ErrorBody, Protocol, ProtocolRequest};
use super::retry::{RetryKind, RetryStrategy, classify_response, classify_transport_error};
use super::sign::sign_request;
use super::validate::{Checks, Report, Validate};

/// What the model says about the service, for every call.
#[derive(Clone, Copy, Debug)]
pub struct ServiceInfo {
    /// The protocol the service speaks.
    pub protocol: Protocol,
    /// The SigV4 signing name, e.g. `sagemaker`.
    pub signing_name: &'static str,
    /// The endpoint prefix, e.g. `api.sagemaker`.
    pub endpoint_prefix: &'static str,
    /// The service's part of `AWS_ENDPOINT_URL_<SERVICE>`, e.g. `SAGEMAKER`.
    pub endpoint_env_name: &'static str,
    /// The service's endpoint rule set (JSON), when the model has one.
    pub endpoint_rule_set: Option<&'static str>,
    /// The partitions the rule set's `aws.partition` reads (JSON).
    pub partitions: &'static str,
}

/// What a client shares between its calls: settings, connection pool (the config's, so shared
/// with every client of that config), retry quota (the client's own, as in the AWS SDKs).
pub struct Handle {
    config: Config,
    http: Result<HttpClient, String>,
    retry: RetryStrategy,
    service: ServiceInfo,
    endpoint_url: Option<String>,
    resolver: Option<Result<EndpointResolver, EndpointError>>,
}

impl Handle {
    /// A handle for `service` with `config`.
    pub fn new(config: Config, service: ServiceInfo) -> Self {
        let http = config.http_client().cloned();
        let retry = RetryStrategy::new(config.retry.clone());
        let endpoint_url = config.endpoint_url.clone().or_else(|| {
            let env = Env::process();
            let specific = format!("AWS_ENDPOINT_URL_{}", service.endpoint_env_name);
            config.endpoint_from_env.then(|| env.get(&specific).or_else(|| env.get("AWS_ENDPOINT_URL"))).flatten()
        });
        // Parsed once per client; resolving per call is cheap.
        let resolver = service.endpoint_rule_set.map(|rules| EndpointResolver::new(rules, service.partitions));
        Handle { config, http, retry, service, endpoint_url, resolver }
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
    Service(ErrorMetadata, ErrorBody),
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

/// Where requests go, and what the endpoint rules add to them.
struct Endpoint {
    uri: http::Uri,
    origin: EndpointOrigin,
    headers: Vec<(String, String)>,
    signing_region: Option<String>,
    signing_name: Option<String>,
}

/// An HTTP request as a call sends it: method, URI, headers and the whole body.
pub type HttpRequest = http::Request<Bytes>;

/// An HTTP response as a call reads it: status, headers and the whole body.
pub type HttpResponse = http::Response<Bytes>;

/// What the generated code tells the runtime about one call of an operation, besides its
/// input: the operation's name, its host prefix and the request compression it accepts.
#[derive(Clone, Debug)]
pub struct Call<'a> {
    /// The operation name, e.g. `CreateModelPackage`.
    pub operation: &'static str,
    /// The model's host prefix template (`endpoint.hostPrefix`), e.g. `{Name}.data.`.
    pub host_prefix: Option<&'static str>,
    /// The input's host label members: (label, value), `None` when the member is unset.
    pub host_labels: Vec<(&'static str, Option<&'a str>)>,
    /// The request body encodings the service accepts (`requestcompression`), preferred first.
    pub request_compression: &'static [&'static str],
}

impl Call<'static> {
    /// A call of `operation` with no host prefix and no request compression.
    pub const fn new(operation: &'static str) -> Self {
        Call { operation, host_prefix: None, host_labels: Vec::new(), request_compression: &[] }
    }
}

/// Everything an attempt needs besides the body: where, as whom, for which operation.
struct Destination {
    region: String,
    endpoint: Endpoint,
    credentials: Credentials,
}

/// Calls `O` with `input`: checks it (required members always, constraints when the config
/// asks), then sends it with retries, and reads the output or the error.
pub async fn invoke<O: Operation>(handle: &Handle, call: &Call<'_>, input: &O::Input) -> Result<O::Output, O::Error> {
    let request = protocol_request::<O>(handle, call, input).map_err(O::Error::from)?;
    let call = call_with_retries::<O>(handle, call, request);
    let result = match handle.config.operation_timeout {
        None => call.await,
        Some(limit) => tokio::time::timeout(limit, call)
            .await
            .unwrap_or(Err(Failure::Request(RequestError::OperationTimeout(limit)))),
    };
    match result {
        Ok(value) => Ok(value),
        Err(Failure::Service(metadata, body)) => Err(O::Error::from_service_error(metadata, &body)),
        Err(Failure::Request(error)) => Err(O::Error::from(error)),
    }
}

/// The signed request the first attempt of a call of `O` with `input` sends, built exactly as
/// [`invoke`] builds it (the same checks, body, endpoint, headers and signature), but not
/// sent. Signed at the config's time source, so a fixed clock gives a fixed request.
pub async fn prepare_request<O: Operation>(
    handle: &Handle,
    call: &Call<'_>,
    input: &O::Input,
) -> Result<HttpRequest, RequestError> {
    let request = protocol_request::<O>(handle, call, input)?;
    let destination = destination(handle, call).await?;
    build_request(handle, &destination, &request, O::UNSIGNED)
}

/// Reads `response` the way a call of `O` reads the response of its last attempt: the output
/// of a success, else the operation's error (modelled, or with the code, message and request
/// id the response gives), or [`RequestError::MalformedResponse`] for a body that cannot be
/// read.
pub fn parse_response<O: Operation>(service: &ServiceInfo, response: &HttpResponse) -> Result<O::Output, O::Error> {
    match read_response::<O>(service, response) {
        Ok(value) => Ok(value),
        Err(Failure::Service(metadata, body)) => Err(O::Error::from_service_error(metadata, &body)),
        Err(Failure::Request(error)) => Err(O::Error::from(error)),
    }
}

/// Checks the input, has the protocol write it, and compresses the body when allowed.
fn protocol_request<O: Operation>(
    handle: &Handle,
    call: &Call<'_>,
    input: &O::Input,
) -> Result<ProtocolRequest, RequestError> {
    let checks = if handle.config.validate_input { Checks::All } else { Checks::Required };
    let mut report = Report::new(checks);
    input.validate_into(&Path::Root, &mut report);
    report.finish().map_err(RequestError::InvalidInput)?;

    let mut request = O::write_request(input, &handle.service)?;
    let compress = !handle.config.request_compression_disabled
        && request.body.len() >= handle.config.request_min_compression_size
        && call.request_compression.contains(&protocol::GZIP);
    if compress {
        request.body = Bytes::from(protocol::gzip(&request.body));
        // After an encoding the caller gave (a REST header member): `custom, gzip`.
        let encoding = match request.headers.get(http::header::CONTENT_ENCODING).and_then(|v| v.to_str().ok()) {
            Some(given) => format!("{given}, {}", protocol::GZIP),
            None => protocol::GZIP.to_string(),
        };
        let encoding = http::HeaderValue::try_from(encoding)
            .map_err(|e| RequestError::Config(format!("bad Content-Encoding value: {e}")))?;
        request.headers.insert(http::header::CONTENT_ENCODING, encoding);
    }
    Ok(request)
}

async fn call_with_retries<O: Operation>(
    handle: &Handle,
    call: &Call<'_>,
    request: ProtocolRequest,
) -> Result<O::Output, Failure> {
    let http = handle.http.as_ref().map_err(|e| Failure::Request(RequestError::Config(e.clone())))?;
    let destination = destination(handle, call).await.map_err(Failure::Request)?;
    handle.retry.run(|_attempt| attempt::<O>(handle, http, &destination, &request), Failure::retry_kind).await
}

/// The region, the endpoint (with the operation's host prefix) and the credentials of a call.
async fn destination(handle: &Handle, call: &Call<'_>) -> Result<Destination, RequestError> {
    let region = match (&handle.config.region, &handle.config.region_error) {
        (Some(region), _) => region.as_str().to_string(),
        (None, Some(error)) => return Err(RequestError::Config(error.clone())),
        (None, None) => {
            return Err(RequestError::Config(
                "no region: set one with `Config::builder().region(..)`, or AWS_REGION".to_string(),
            ));
        }
    };
    let mut endpoint = endpoint(handle, &region)?;
    // The rules may sign for another region than the one requests are for (global endpoints).
    let region = endpoint.signing_region.take().unwrap_or(region);
    if let Some(template) = call.host_prefix {
        let prefix = protocol::host_prefix(template, &call.host_labels).map_err(RequestError::InvalidInput)?;
        endpoint.uri = protocol::prefix_host(&endpoint.uri, &prefix)
            .map_err(|e| RequestError::Config(format!("the host prefix {prefix:?} does not fit the endpoint: {e}")))?;
    }
    let credentials = handle.config.credentials.credentials().await.map_err(RequestError::Credentials)?;
    Ok(Destination { region, endpoint, credentials })
}

/// Resolves the endpoint with the service's rule set (region, FIPS, dual-stack, an endpoint
/// override), or, for a model without one, from the endpoint prefix.
fn endpoint(handle: &Handle, region: &str) -> Result<Endpoint, RequestError> {
    let origin = if handle.endpoint_url.is_some() { EndpointOrigin::UserSet } else { EndpointOrigin::Resolved };
    let (url, headers, signing_region, signing_name) = match &handle.resolver {
        Some(resolver) => {
            let resolver = resolver.as_ref().map_err(|e| RequestError::Endpoint(e.clone()))?;
            let mut params = EndpointParams::new()
                .region(region)
                .use_fips(handle.config.use_fips)
                .use_dual_stack(handle.config.use_dual_stack);
            if let Some(url) = &handle.endpoint_url {
                params = params.endpoint(url.as_str());
            }
            let resolved = resolver.resolve(&params).map_err(RequestError::Endpoint)?;
            let scope = resolved.sigv4();
            let headers = resolved
                .headers
                .iter()
                .flat_map(|(name, values)| values.iter().map(move |value| (name.clone(), value.clone())))
                .collect();
            let (signing_region, signing_name) = match scope {
                Some(scope) => (scope.signing_region.map(str::to_string), scope.signing_name.map(str::to_string)),
                None => (None, None),
            };
            (resolved.url, headers, signing_region, signing_name)
        }
        None => {
            let url = handle
                .endpoint_url
                .clone()
                .unwrap_or_else(|| format!("https://{}.{region}.amazonaws.com", handle.service.endpoint_prefix));
            (url, Vec::new(), None, None)
        }
    };
    let url = url.trim_end_matches('/');
    let uri: http::Uri = format!("{url}/")
        .parse()
        .map_err(|e| RequestError::Config(format!("the endpoint {url:?} is not a URL: {e}")))?;
    if uri.host().is_none() {
        return Err(RequestError::Config(format!("the endpoint {url:?} has no host")));
    }
    Ok(Endpoint { uri, origin, headers, signing_region, signing_name })
}

/// The signed request of one attempt: the protocol's request at the endpoint, with the
/// endpoint's headers. `content-length` is added after signing, as the HTTP transport would
/// add it: it is not a signed header.
fn build_request(
    handle: &Handle,
    destination: &Destination,
    request: &ProtocolRequest,
    unsigned: bool,
) -> Result<HttpRequest, RequestError> {
    let endpoint = &destination.endpoint;
    let host = endpoint.uri.authority().map(|a| a.as_str().to_string()).unwrap_or_default();
    let uri = join_uri(&endpoint.uri, &request.path_and_query)?;
    let mut builder = http::Request::builder()
        .method(request.method.clone())
        .uri(uri)
        .header(http::header::HOST, host)
        .header(http::header::USER_AGENT, concat!("awsgen/", env!("CARGO_PKG_VERSION")));
    for (name, value) in &endpoint.headers {
        builder = builder.header(name.as_str(), value.as_str());
    }
    let mut signed = builder
        .body(request.body.clone())
        .map_err(|e| RequestError::Config(format!("cannot build the request: {e}")))?;
    for (name, value) in &request.headers {
        signed.headers_mut().append(name, value.clone());
    }
    if !unsigned {
        sign_request(
            &mut signed,
            &destination.credentials,
            &destination.region,
            endpoint.signing_name.as_deref().unwrap_or(handle.service.signing_name),
            (handle.config.time_source)(),
        )
        .map_err(RequestError::Signing)?;
    }
    // An empty body carries no length (as botocore and the restJson1 suites have it: a GET
    // must not send one); the transport adds what HTTP needs.
    if !request.body.is_empty() {
        signed.headers_mut().insert(http::header::CONTENT_LENGTH, http::HeaderValue::from(request.body.len()));
    }
    Ok(signed)
}

/// The endpoint's URI with the protocol's path and query after the endpoint's own path:
/// `https://host/prefix/` and `/2015-03-31/functions?x=1` give
/// `https://host/prefix/2015-03-31/functions?x=1`.
fn join_uri(endpoint: &http::Uri, path_and_query: &str) -> Result<http::Uri, RequestError> {
    let base = endpoint.path().trim_end_matches('/');
    let mut parts = endpoint.clone().into_parts();
    let joined = format!("{base}{path_and_query}");
    parts.path_and_query = Some(
        joined.parse().map_err(|e| RequestError::Config(format!("the request path {joined:?} is not valid: {e}")))?,
    );
    http::Uri::from_parts(parts).map_err(|e| RequestError::Config(format!("cannot build the request URI: {e}")))
}

async fn attempt<O: Operation>(
    handle: &Handle,
    http: &HttpClient,
    destination: &Destination,
    request: &ProtocolRequest,
) -> Result<O::Output, Failure> {
    let request = build_request(handle, destination, request, O::UNSIGNED).map_err(Failure::Request)?;
    let response =
        http.send(request, destination.endpoint.origin).await.map_err(|e| Failure::Request(RequestError::Http(e)))?;
    read_response::<O>(&handle.service, &response)
}

/// Reads a response: the output of a 2xx, else the service's error, both by the service's
/// protocol.
fn read_response<O: Operation>(service: &ServiceInfo, response: &HttpResponse) -> Result<O::Output, Failure> {
    let status = response.status().as_u16();
    let malformed = |reason: String| {
        Failure::Request(RequestError::MalformedResponse {
            status,
            request_id: protocol::request_id(response.headers()),
            reason,
            excerpt: protocol::excerpt(response.body()),
        })
    };
    if !response.status().is_success() {
        return match protocol::read_error(&service.protocol, status, response.headers(), response.body()) {
            Ok((metadata, body)) => Err(Failure::Service(metadata, body)),
            Err(reason) => Err(malformed(reason)),
        };
    }
    O::read_output(response).map_err(malformed)
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
