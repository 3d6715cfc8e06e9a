//! Sends one call of an operation: the checks before sending, the endpoint, credentials,
//! signing, retries, and reading the response into the output or the operation's error.

use std::fmt;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU32, Ordering};

use bytes::Bytes;

use super::body::{ByteStream, RequestBody};
use super::checksum::{self, ChecksumAlgorithm, HttpChecksum};
use super::config::{Config, ConfigBuilder};
use super::credentials::Credentials;
use super::endpoint::{EndpointError, EndpointParams, EndpointResolver, ParamValue};
use super::error::{ErrorMetadata, RequestError};
use super::http::{EndpointOrigin, HttpClient};
use super::json::{JsonWriter, ToJson};
use super::operation::{Operation, OperationError};
use super::path::Path;
use super::profile::Env;
use super::protocol::{self, ErrorBody, Protocol, ProtocolRequest};
use super::retry::{RetryKind, RetryStrategy};
use super::sign::{PresignedRequest, StreamingPayload, presign_request, sign_request, sign_streaming_request};
use super::telemetry;
use super::validate::{Checks, Report, Validate};

/// The headers signing adds (`x-amz-date`, `authorization`, `x-amz-security-token`,
/// `x-amz-content-sha256`), with `content-length` and a spare.
const SIGNING_HEADERS_ROOM: usize = 6;

/// The built-in for the account the credentials belong to.
const BUILT_IN_ACCOUNT_ID: &str = "AWS::Auth::AccountId";

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
    /// The endpoint last resolved for a call with no endpoint parameters of its own, and its
    /// region (see [`endpoint_of`]).
    last_endpoint: Mutex<Option<(String, Endpoint)>>,
    user_agent: String,
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
        let user_agent = user_agent(&service, config.app_name.as_deref());
        Handle { config, http, retry, service, endpoint_url, resolver, last_endpoint: Mutex::new(None), user_agent }
    }

    /// The settings.
    pub fn config(&self) -> &Config {
        &self.config
    }

    /// A handle for one call with this handle's config changed by `change` (another retry
    /// setting, timeout or endpoint): it keeps the client's retry quota, its credential cache
    /// and, unless a timeout changes, its connection pool; the endpoint rules are parsed again
    /// only when the rule set cannot be shared.
    pub fn with_config_override(&self, change: impl FnOnce(ConfigBuilder) -> ConfigBuilder) -> Handle {
        let config = change(self.config.to_builder()).build();
        let mut handle = Handle::new(config, self.service);
        handle.retry = handle.retry.sharing_state_with(&self.retry);
        handle
    }

    /// What the model says about the service.
    pub fn service(&self) -> &ServiceInfo {
        &self.service
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

/// The `User-Agent` (and `x-amz-user-agent`): the runtime and its version, the service, the
/// operating system, the language and the application, in the AWS SDKs' `name/value` form.
/// An application name that is not a valid header value is left out rather than failing.
fn user_agent(service: &ServiceInfo, app_name: Option<&str>) -> String {
    let mut agent = format!(
        "awsgen/{} api/{} os/{} lang/rust",
        env!("CARGO_PKG_VERSION"),
        service.endpoint_env_name.to_ascii_lowercase(),
        std::env::consts::OS
    );
    if let Some(app) = app_name.filter(|a| !a.is_empty() && a.chars().all(|c| c.is_ascii_graphic())) {
        agent.push_str(&format!(" app/{app}"));
    }
    agent
}

/// How one attempt failed.
enum Failure {
    /// The service answered with an error (boxed: it is much larger than the other variant,
    /// and errors are not the hot path).
    Service(Box<(ErrorMetadata, ErrorBody)>),
    /// Anything else.
    Request(RequestError),
}

impl Failure {
    /// The failure, recording that it ended attempt `number` of its call.
    fn of_attempt(mut self, number: u32) -> Self {
        match &mut self {
            Failure::Service(service) => service.0.attempts = u16::try_from(number).unwrap_or(u16::MAX),
            Failure::Request(RequestError::Http(error)) => error.set_attempts(number),
            Failure::Request(_) => {}
        }
        self
    }

    fn retry_kind(&self) -> RetryKind {
        match self {
            Failure::Service(service) => service.0.retry_kind(),
            Failure::Request(error) => error.retry_kind(),
        }
    }
}

/// Where requests go, and what the endpoint rules add to them.
#[derive(Clone)]
struct Endpoint {
    uri: http::Uri,
    origin: EndpointOrigin,
    headers: Vec<(String, String)>,
    signing_region: Option<String>,
    signing_name: Option<String>,
}

/// An HTTP request as a call sends it, with its body in memory (what
/// [`prepare_request`] gives).
pub type HttpRequest = http::Request<Bytes>;

/// An HTTP response as a call reads it: status, headers and the whole body.
pub type HttpResponse = http::Response<Bytes>;

/// The head of an HTTP response (status, headers), as a streaming output is read from it.
pub type ResponseHead = http::response::Parts;

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
    /// The operation's request and response checksums (`httpChecksum`), with this call's
    /// choices.
    pub checksum: HttpChecksum<'a>,
    /// The endpoint-rule parameters this call sets, by name, from its input and the model
    /// (`operationContextParams`, then `contextParam` members, then `staticContextParams`: a
    /// later one wins, as botocore ranks them). They win over the config's.
    pub endpoint_params: Vec<(&'static str, ParamValue)>,
}

impl Call<'static> {
    /// A call of `operation` with no host prefix, request compression, checksums or endpoint
    /// parameters.
    pub const fn new(operation: &'static str) -> Self {
        Call {
            operation,
            host_prefix: None,
            host_labels: Vec::new(),
            request_compression: &[],
            checksum: HttpChecksum::NONE,
            endpoint_params: Vec::new(),
        }
    }
}

/// A request as the protocol wrote it, with the request checksum added, and the algorithms to
/// check the response's checksum with.
struct WrittenRequest {
    request: ProtocolRequest,
    response_checksums: Vec<ChecksumAlgorithm>,
}

/// Everything an attempt needs besides the body: where, as whom, for which operation.
struct Destination {
    region: String,
    endpoint: Endpoint,
    /// `None` for an operation sent unsigned.
    credentials: Option<Credentials>,
}

/// Calls `O` with `input`: checks it (required members always, constraints when the config
/// asks), then sends it with retries, and reads the output or the error.
pub async fn invoke<O: Operation>(handle: &Handle, call: &Call<'_>, input: &O::Input) -> Result<O::Output, O::Error> {
    let span = telemetry::operation_span(handle.service.signing_name, O::NAME);
    let attempts = AtomicU32::new(0);
    let request = protocol_request::<O>(handle, call, input, true);
    let exchange = Exchange {
        unsigned: O::UNSIGNED,
        streaming_output: O::STREAMING_OUTPUT,
        error_in_ok_body: O::ERROR_IN_OK_BODY,
    };
    let received = telemetry::within(&span, exchange.run(handle, call, request, &attempts)).await;
    let result = received.and_then(read_received::<O>);
    call_done(&span, &result.as_ref().map(|_| ()), &attempts);
    result.map_err(operation_error::<O::Error>)
}

/// What the exchange of a call needs to know of its operation. The exchange (endpoint,
/// credentials, signing, sending, retries, timeouts) does not depend on the operation's types,
/// so it is compiled once, here, rather than once per operation of every generated crate; only
/// writing the request and reading the output are the operation's ([`invoke`]).
#[derive(Clone, Copy, Debug)]
struct Exchange {
    /// [`Operation::UNSIGNED`].
    unsigned: bool,
    /// [`Operation::STREAMING_OUTPUT`].
    streaming_output: bool,
    /// [`Operation::ERROR_IN_OK_BODY`].
    error_in_ok_body: bool,
}

/// The successful response of a call's last attempt, for its operation to read.
enum Received {
    /// The whole response.
    Whole(HttpResponse),
    /// The head of a response whose streaming payload is the caller's to read, and that
    /// payload (checked against the response's checksum as it is read).
    Streaming(ResponseHead, ByteStream),
}

/// The output of `O` a successful response holds.
fn read_received<O: Operation>(received: Received) -> Result<O::Output, Failure> {
    match received {
        Received::Whole(response) => O::read_output(&response).map_err(|reason| malformed(&response, reason)),
        Received::Streaming(head, body) => {
            let (status, request_id) = (head.status.as_u16(), protocol::request_id(&head.headers));
            O::read_streaming_output(head, body).map_err(|reason| {
                Failure::Request(RequestError::MalformedResponse { status, request_id, reason, excerpt: String::new() })
            })
        }
    }
}

/// Records how a call ended in its span.
fn call_done(span: &telemetry::Span, result: &Result<(), &Failure>, attempts: &AtomicU32) {
    let outcome = match result {
        Ok(()) => "ok",
        Err(Failure::Service(service)) => service.0.code.as_str(),
        Err(Failure::Request(_)) => "request failed",
    };
    telemetry::operation_done(span, outcome, attempts.load(Ordering::Relaxed));
}

/// The signed request the first attempt of a call of `O` with `input` sends, built exactly as
/// [`invoke`] builds it (the same checks, body, endpoint, headers and signature), but not
/// sent. Signed at the config's time source, so a fixed clock gives a fixed request.
pub async fn prepare_request<O: Operation>(
    handle: &Handle,
    call: &Call<'_>,
    input: &O::Input,
) -> Result<HttpRequest, RequestError> {
    let request = protocol_request::<O>(handle, call, input, true)?.request;
    let destination = destination(handle, call, O::UNSIGNED).await?;
    let signed = build_request(handle, &destination, &request, O::UNSIGNED)?;
    let (parts, body) = signed.into_parts();
    let body = body.bytes().cloned().ok_or_else(|| {
        RequestError::Config(format!(
            "{}: the request body streams ({body:?}); prepare_request gives requests with bodies in memory",
            O::NAME
        ))
    })?;
    Ok(http::Request::from_parts(parts, body))
}

/// Reads `response` the way a call of `O` reads the response of its last attempt: the output
/// of a success, else the operation's error (modelled, or with the code, message and request
/// id the response gives), or [`RequestError::MalformedResponse`] for a body that cannot be
/// read.
pub fn parse_response<O: Operation>(service: &ServiceInfo, response: &HttpResponse) -> Result<O::Output, O::Error> {
    read_response::<O>(service, response, &[]).map_err(operation_error::<O::Error>)
}

/// A presigned request for a call of `O` with `input`: the URL (with the signature in its
/// query string) and headers of the request the call would send, valid for `expires_in` from
/// the config's time source, as botocore's `generate_presigned_url`. No checksum is added (a
/// presigned request's body is whatever its user sends), and the body is not signed.
pub async fn presign<O: Operation>(
    handle: &Handle,
    call: &Call<'_>,
    input: &O::Input,
    expires_in: std::time::Duration,
) -> Result<PresignedRequest, RequestError> {
    let request = protocol_request::<O>(handle, call, input, false)?.request;
    let destination = destination(handle, call, false).await?;
    let unsigned = build_request(handle, &destination, &request, true)?;
    let signing_name = destination.endpoint.signing_name.as_deref().unwrap_or(handle.service.signing_name);
    let time = (handle.config.time_source)();
    let credentials = destination
        .credentials
        .as_ref()
        .ok_or_else(|| RequestError::Config(format!("{}: a presigned request needs credentials", O::NAME)))?;
    presign_request(&unsigned, credentials, &destination.region, signing_name, time, expires_in)
        .map_err(RequestError::Signing)
}

/// Checks the input, has the protocol write it, compresses the body when allowed, and adds
/// the request checksum when `checksums` (not for a presigned request).
fn protocol_request<O: Operation>(
    handle: &Handle,
    call: &Call<'_>,
    input: &O::Input,
    checksums: bool,
) -> Result<WrittenRequest, RequestError> {
    let checks = if handle.config.validate_input { Checks::All } else { Checks::Required };
    let mut report = Report::new(checks);
    input.validate_into(&Path::Root, &mut report);
    report.finish().map_err(RequestError::InvalidInput)?;

    let mut request = O::write_request(input, &handle.service)?;
    // Streamed bodies are sent as they are: compressing one would need it whole.
    if let Some(bytes) = request.body.bytes() {
        let compress = !handle.config.request_compression_disabled
            && bytes.len() >= handle.config.request_min_compression_size
            && call.request_compression.contains(&protocol::GZIP);
        if compress {
            request.body = RequestBody::from(protocol::gzip(bytes));
            // After an encoding the caller gave (a REST header member): `custom, gzip`.
            let encoding = match request.headers.get(http::header::CONTENT_ENCODING).and_then(|v| v.to_str().ok()) {
                Some(given) => format!("{given}, {}", protocol::GZIP),
                None => protocol::GZIP.to_string(),
            };
            let encoding = http::HeaderValue::try_from(encoding)
                .map_err(|e| RequestError::Config(format!("bad Content-Encoding value: {e}")))?;
            request.headers.insert(http::header::CONTENT_ENCODING, encoding);
        }
    }
    let response_checksums = if checksums {
        checksum::apply(
            &mut request,
            &call.checksum,
            handle.config.request_checksum_calculation,
            handle.config.response_checksum_validation,
        )
        .map_err(RequestError::UnsupportedChecksum)?
    } else {
        Vec::new()
    };
    Ok(WrittenRequest { request, response_checksums })
}

impl Exchange {
    /// Sends the `written` request of `call` with retries, within the operation timeout, and
    /// gives the successful response of its last attempt; counts the attempts in `attempts`.
    async fn run(
        self,
        handle: &Handle,
        call: &Call<'_>,
        written: Result<WrittenRequest, RequestError>,
        attempts: &AtomicU32,
    ) -> Result<Received, Failure> {
        let written = written.map_err(Failure::Request)?;
        match handle.config.operation_timeout {
            None => self.with_retries(handle, call, written, attempts).await,
            Some(limit) => tokio::time::timeout(limit, self.with_retries(handle, call, written, attempts))
                .await
                .unwrap_or(Err(Failure::Request(RequestError::OperationTimeout(limit)))),
        }
    }

    /// [`run`](Self::run) without the operation timeout.
    async fn with_retries(
        self,
        handle: &Handle,
        call: &Call<'_>,
        written: WrittenRequest,
        attempts: &AtomicU32,
    ) -> Result<Received, Failure> {
        let WrittenRequest { request, response_checksums } = written;
        let http = handle.http.as_ref().map_err(|e| Failure::Request(RequestError::Config(e.clone())))?;
        let destination = destination(handle, call, self.unsigned).await.map_err(Failure::Request)?;
        // A body read from a reader cannot be sent twice.
        let replayable = request.body.is_replayable();
        let retry_kind = |failure: &Failure| if replayable { failure.retry_kind() } else { RetryKind::NotRetryable };
        let numbered = |number: u32| {
            attempts.store(number, Ordering::Relaxed);
            let span = telemetry::attempt_span(number);
            let (destination, request, response_checksums) = (&destination, &request, &response_checksums);
            // The attempt's future is made where it is awaited: captured by this block, it
            // would be stored twice in the block's state.
            async move {
                let started = std::time::Instant::now();
                let attempt = self.attempt(handle, http, destination, request, response_checksums, span.clone());
                let result = telemetry::within(&span, attempt).await;
                telemetry::attempt_done(&span, started.elapsed());
                result.map_err(|failure| failure.of_attempt(number))
            }
        };
        handle.retry.run(numbered, retry_kind).await
    }

    /// One attempt: signs and sends the request, and gives the response if it is a success
    /// (its body checked against the first of `response_checksums` it has a header for), else
    /// the service's error.
    async fn attempt(
        self,
        handle: &Handle,
        http: &HttpClient,
        destination: &Destination,
        request: &ProtocolRequest,
        response_checksums: &[ChecksumAlgorithm],
        span: telemetry::Span,
    ) -> Result<Received, Failure> {
        let request = build_request(handle, destination, request, self.unsigned).map_err(Failure::Request)?;
        let origin = destination.endpoint.origin;
        let http_failure = |e| Failure::Request(RequestError::Http(e));
        if !self.streaming_output {
            let response = http.send_whole(request, origin).await.map_err(http_failure)?;
            telemetry::response_received(
                &span,
                response.status().as_u16(),
                protocol::request_id(response.headers()).as_deref(),
            );
            check_response(&handle.service, &response, response_checksums, self.error_in_ok_body)?;
            return Ok(Received::Whole(response));
        }
        // A streaming output's body is the caller's to read; an error's is read here, whole.
        let response = http.send_streaming(request, origin).await.map_err(http_failure)?;
        telemetry::response_received(
            &span,
            response.status().as_u16(),
            protocol::request_id(response.headers()).as_deref(),
        );
        if !response.status().is_success() {
            let authority = destination.endpoint.uri.authority().map(|a| a.as_str().to_string()).unwrap_or_default();
            let response = http.read_whole(response, &authority).await.map_err(http_failure)?;
            return Err(service_error(&handle.service, &response, response.status().as_u16()));
        }
        let (head, body) = response.into_parts();
        let body = checksum::validating_stream(&head.headers, body, response_checksums);
        Ok(Received::Streaming(head, body))
    }
}

/// The region, the endpoint (with the operation's host prefix) and the credentials of a call
/// (none for an `unsigned` operation: it must not need any, as STS's web identity call, which
/// a credentials provider makes, does not).
async fn destination(handle: &Handle, call: &Call<'_>, unsigned: bool) -> Result<Destination, RequestError> {
    if let Some(error) = &handle.config.settings_error {
        return Err(RequestError::Config(error.clone()));
    }
    let region = match (&handle.config.region, &handle.config.region_error, &handle.config.region_lookup) {
        (Some(region), _, _) => region.as_str().to_string(),
        (None, Some(error), _) => return Err(RequestError::Config(error.clone())),
        // Boxed: the instance metadata lookup's future is larger than the rest of this
        // function's, and rarely needed (only when no region is configured).
        (None, None, Some(lookup)) => Box::pin(lookup.get()).await.map_err(|e| {
            RequestError::Config(format!(
                "no region: none is set (`Config::builder().region(..)`, AWS_REGION, the profile's `region`), \
                 and {e}"
            ))
        })?,
        (None, None, None) => {
            return Err(RequestError::Config(
                "no region: set one with `Config::builder().region(..)`, or AWS_REGION".to_string(),
            ));
        }
    };
    // A rule set that builds endpoints from the account (DynamoDB's) needs the credentials'
    // account first; others resolve the endpoint first, so its errors come before any lookup.
    let needs_account = handle
        .resolver
        .as_ref()
        .and_then(|r| r.as_ref().ok())
        .is_some_and(|resolver| resolver.parameters().iter().any(|p| p.built_in() == Some(BUILT_IN_ACCOUNT_ID)));
    let early_credentials = match needs_account && !unsigned {
        true => Some(handle.config.credentials.credentials().await.map_err(RequestError::Credentials)?),
        false => None,
    };
    let account_id = early_credentials.as_ref().and_then(|c| c.account_id()).map(|id| id.as_str());
    let mut endpoint = endpoint_of(handle, call, &region, account_id)?;
    // The rules may sign for another region than the one requests are for (global endpoints).
    let region = endpoint.signing_region.take().unwrap_or(region);
    if let Some(template) = call.host_prefix {
        let prefix = protocol::host_prefix(template, &call.host_labels).map_err(RequestError::InvalidInput)?;
        endpoint.uri = protocol::prefix_host(&endpoint.uri, &prefix)
            .map_err(|e| RequestError::Config(format!("the host prefix {prefix:?} does not fit the endpoint: {e}")))?;
    }
    telemetry::endpoint_resolved(&endpoint.uri.to_string(), endpoint.origin == EndpointOrigin::UserSet);
    let credentials = if unsigned {
        None
    } else {
        let credentials = match early_credentials {
            Some(credentials) => credentials,
            None => handle.config.credentials.credentials().await.map_err(RequestError::Credentials)?,
        };
        telemetry::credentials_loaded(credentials.session_token().is_some(), credentials.expiry());
        Some(credentials)
    };
    Ok(Destination { region, endpoint, credentials })
}

/// The endpoint of `call`: the one last resolved, when the call has no endpoint parameters of its
/// own (nor an account) and is for the same region, else resolved ([`endpoint`]). Such a call's
/// rule parameters are the handle's config and the region, so the rules give the same endpoint;
/// resolving it for each call was 3–4% of a call's CPU time.
fn endpoint_of(
    handle: &Handle,
    call: &Call<'_>,
    region: &str,
    account_id: Option<&str>,
) -> Result<Endpoint, RequestError> {
    if !call.endpoint_params.is_empty() || account_id.is_some() {
        return endpoint(handle, call, region, account_id);
    }
    if let Ok(last) = handle.last_endpoint.lock()
        && let Some((last_region, endpoint)) = &*last
        && last_region == region
    {
        return Ok(endpoint.clone());
    }
    let resolved = endpoint(handle, call, region, None)?;
    if let Ok(mut last) = handle.last_endpoint.lock() {
        *last = Some((region.to_string(), resolved.clone()));
    }
    Ok(resolved)
}

/// Resolves the endpoint with the service's rule set (region, FIPS, dual-stack, an endpoint
/// override, the config's endpoint settings and the call's parameters), or, for a model
/// without one, from the endpoint prefix.
fn endpoint(
    handle: &Handle,
    call: &Call<'_>,
    region: &str,
    account_id: Option<&str>,
) -> Result<Endpoint, RequestError> {
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
            if let Some(account_id) = account_id {
                params = params.built_in(BUILT_IN_ACCOUNT_ID, account_id);
            }
            params = handle.config.endpoint_settings.apply(params);
            for (name, value) in &call.endpoint_params {
                params = params.set(*name, value.clone());
            }
            let resolved = resolver.resolve(&params).map_err(RequestError::Endpoint)?;
            let scope = resolved.sigv4();
            // An endpoint that names only schemes the signer lacks (`sigv4a` for Multi-Region
            // Access Points, `sigv4-s3express` session auth) would be sent a signature it rejects.
            let schemes = resolved.auth_scheme_names();
            if scope.is_none() && !schemes.is_empty() {
                return Err(RequestError::Config(format!(
                    "the endpoint {} asks for the auth scheme(s) {}; this client signs with sigv4 only",
                    resolved.url,
                    schemes.join(", ")
                )));
            }
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
) -> Result<http::Request<RequestBody>, RequestError> {
    let endpoint = &destination.endpoint;
    let host = endpoint.uri.authority().map_or("", |a| a.as_str());
    let uri = join_uri(&endpoint.uri, &request.path_and_query)?;
    let invalid = |e: &dyn fmt::Display| RequestError::Config(format!("cannot build the request: {e}"));
    let value = |text: &str| http::HeaderValue::from_str(text).map_err(|e| invalid(&e));
    let mut unsigned_request = http::Request::new(());
    *unsigned_request.method_mut() = request.method.clone();
    *unsigned_request.uri_mut() = uri;
    let headers = unsigned_request.headers_mut();
    // Room for the signature's headers too: a map that grows is rehashed (3% of a call's CPU).
    headers.reserve(request.headers.len() + endpoint.headers.len() + SIGNING_HEADERS_ROOM);
    headers.insert(http::header::HOST, value(host)?);
    let user_agent = value(&handle.user_agent)?;
    headers.insert(http::header::USER_AGENT, user_agent.clone());
    headers.insert("x-amz-user-agent", user_agent);
    for (name, text) in &endpoint.headers {
        let name = http::HeaderName::from_bytes(name.as_bytes()).map_err(|e| invalid(&e))?;
        headers.append(name, value(text)?);
    }
    for (name, value) in &request.headers {
        headers.append(name, value.clone());
    }
    let signing_name = endpoint.signing_name.as_deref().unwrap_or(handle.service.signing_name);
    let time = (handle.config.time_source)();
    let region = destination.region.as_str();
    // An unsigned operation's destination has no credentials.
    let signing = destination.credentials.as_ref().filter(|_| !unsigned);
    let mut signed = match (request.body.bytes(), signing) {
        (_, None) => unsigned_request.map(|()| request.body.clone()),
        (Some(bytes), Some(credentials)) => {
            let mut in_memory = unsigned_request.map(|()| bytes.clone());
            sign_request(&mut in_memory, credentials, region, signing_name, time).map_err(RequestError::Signing)?;
            in_memory.map(RequestBody::from)
        }
        (None, Some(credentials)) => {
            let payload = if request.body.has_trailer() {
                StreamingPayload::UnsignedWithTrailer
            } else {
                StreamingPayload::Unsigned
            };
            sign_streaming_request(unsigned_request, payload, credentials, region, signing_name, time)
                .map_err(RequestError::Signing)?
                .map(|()| request.body.clone())
        }
    };
    // An unsigned aws-chunked body still says what it is (as botocore has it for S3).
    if unsigned && request.body.has_trailer() {
        signed
            .headers_mut()
            .insert("x-amz-content-sha256", http::HeaderValue::from_static("STREAMING-UNSIGNED-PAYLOAD-TRAILER"));
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

/// The operation's error for a failure of its call.
fn operation_error<E: OperationError>(failure: Failure) -> E {
    match failure {
        Failure::Service(service) => {
            let (metadata, body) = *service;
            E::from_service_error(metadata, &body)
        }
        Failure::Request(error) => E::from(error),
    }
}

/// Reads a response: the output of a 2xx (whose body is first checked against the first of
/// `checksums` it has a header for), else the service's error, both by the service's protocol.
fn read_response<O: Operation>(
    service: &ServiceInfo,
    response: &HttpResponse,
    checksums: &[ChecksumAlgorithm],
) -> Result<O::Output, Failure> {
    check_response(service, response, checksums, O::ERROR_IN_OK_BODY)?;
    O::read_output(response).map_err(|reason| malformed(response, reason))
}

/// What [`read_response`] does besides reading the output, written apart so that it is
/// compiled once rather than once per operation: the service's error of a response that is not
/// a success (or, when `error_in_ok_body` applies, of a `200 OK` with an error body), or a
/// mismatch of the body's checksum.
fn check_response(
    service: &ServiceInfo,
    response: &HttpResponse,
    checksums: &[ChecksumAlgorithm],
    error_in_ok_body: bool,
) -> Result<(), Failure> {
    let status = response.status().as_u16();
    // S3 may answer 200 and then an error (see `rest_xml::is_error_in_ok_body`): a 500 to
    // the retry strategy, as botocore makes it.
    let error_in_ok_body =
        error_in_ok_body && status == 200 && protocol::rest_xml::is_error_in_ok_body(response.body());
    if !response.status().is_success() || error_in_ok_body {
        return Err(service_error(service, response, if error_in_ok_body { 500 } else { status }));
    }
    checksum::verify_body(response.headers(), response.body(), checksums)
        .map_err(|mismatch| Failure::Request(RequestError::ChecksumMismatch(mismatch)))
}

/// The service's error that `response` holds, read as one with `status`.
fn service_error(service: &ServiceInfo, response: &HttpResponse, status: u16) -> Failure {
    match protocol::read_error(&service.protocol, status, response.headers(), response.body()) {
        Ok(service) => Failure::Service(Box::new(service)),
        Err(reason) => malformed(response, reason),
    }
}

/// A response whose body does not fit what it should hold, for `reason`.
fn malformed(response: &HttpResponse, reason: String) -> Failure {
    Failure::Request(RequestError::MalformedResponse {
        status: response.status().as_u16(),
        request_id: protocol::request_id(response.headers()),
        reason,
        excerpt: protocol::excerpt(response.body()),
    })
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_endpoint_is_reused_only_for_its_region_and_calls_without_parameters_of_their_own() {
        let service = crate::credentials::clients::sts::client::Client::SERVICE;
        let handle = Handle::new(Config::builder().region("us-west-2").build(), service);
        let plain = Call::new("GetCallerIdentity");
        let uri = |call: &Call<'_>, region: &str| endpoint_of(&handle, call, region, None).unwrap().uri.to_string();
        assert_eq!(uri(&plain, "us-west-2"), "https://sts.us-west-2.amazonaws.com/");
        assert_eq!(uri(&plain, "us-west-2"), "https://sts.us-west-2.amazonaws.com/", "from the cache");
        assert_eq!(uri(&plain, "eu-west-1"), "https://sts.eu-west-1.amazonaws.com/", "another region");
        let mut global = Call::new("GetCallerIdentity");
        global.endpoint_params.push(("UseGlobalEndpoint", ParamValue::Bool(true)));
        assert_eq!(uri(&global, "us-west-2"), "https://sts.amazonaws.com/", "the call's own parameter");
        assert_eq!(uri(&plain, "us-west-2"), "https://sts.us-west-2.amazonaws.com/", "not cached from that call");
    }

    #[test]
    fn the_user_agent_names_runtime_service_system_and_application() {
        let service = ServiceInfo {
            protocol: Protocol::AwsJson { version: "1.1", target_prefix: "SageMaker" },
            signing_name: "sagemaker",
            endpoint_prefix: "api.sagemaker",
            endpoint_env_name: "SAGEMAKER",
            endpoint_rule_set: None,
            partitions: "",
        };
        let agent = user_agent(&service, Some("billing-batch"));
        assert!(agent.starts_with(concat!("awsgen/", env!("CARGO_PKG_VERSION"), " api/sagemaker os/")), "{agent}");
        assert!(agent.ends_with(" lang/rust app/billing-batch"), "{agent}");
        assert!(!user_agent(&service, Some("two words")).contains("app/"), "an invalid name is left out");
        assert!(http::HeaderValue::from_str(&user_agent(&service, None)).is_ok());
    }
}
