//! The EC2 instance metadata service (IMDSv2 only): a session token by `PUT
//! /latest/api/token`, then the instance role's name and its credentials under
//! `/latest/meta-data/iam/security-credentials/`, and the instance's region.
//!
//! Settings: `AWS_EC2_METADATA_DISABLED=true` turns it off; `AWS_EC2_METADATA_SERVICE_ENDPOINT`
//! (profile `ec2_metadata_service_endpoint`) sets the endpoint, else
//! `AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE` (profile `ec2_metadata_service_endpoint_mode`)
//! picks `IPv4` (`http://169.254.169.254`, the default) or `IPv6` (`http://[fd00:ec2::254]`).
//! Each request has a 1 s timeout and is retried once; a rejected (expired) session token is
//! replaced once per request. Requests never go through a proxy.

use std::fmt;
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, Instant};

use bytes::Bytes;

use super::super::http::{EndpointOrigin, HttpClient, HttpConfig, HttpErrorKind};
use super::super::profile::{Env, Profile};
use super::super::proxy::ProxyConfig;
use super::{Credentials, ProvideCredentials, ProviderError, future, parse_credentials_document};

/// The provider's name, in errors and in the credentials it gives.
pub(crate) const NAME: &str = "Imds";

const IPV4_ENDPOINT: &str = "http://169.254.169.254";
const IPV6_ENDPOINT: &str = "http://[fd00:ec2::254]";
const TOKEN_PATH: &str = "/latest/api/token";
const TOKEN_TTL_HEADER: &str = "x-aws-ec2-metadata-token-ttl-seconds";
const TOKEN_HEADER: &str = "x-aws-ec2-metadata-token";
/// The session token's lifetime asked for (6 hours, the most IMDS grants).
const TOKEN_TTL: Duration = Duration::from_secs(21_600);
const CREDENTIALS_PATH: &str = "/latest/meta-data/iam/security-credentials/";
const REGION_PATH: &str = "/latest/meta-data/placement/region";
/// Each request's timeout, connection included.
const TIMEOUT: Duration = Duration::from_secs(1);
/// Attempts per request: one retry.
const ATTEMPTS: u32 = 2;
/// The most of a response read: metadata documents are small.
const MAX_BODY: usize = 64 * 1024;

/// A client of the instance metadata service, with its session token cached. Cheap to clone;
/// clones share the token and the connection pool.
#[derive(Clone)]
pub struct ImdsClient {
    inner: Arc<ClientInner>,
}

struct ClientInner {
    endpoint: Result<String, String>,
    disabled: bool,
    http: OnceLock<Result<HttpClient, String>>,
    token: Mutex<Option<(String, Instant)>>,
}

/// Why a metadata request failed.
#[derive(Debug)]
enum ImdsError {
    /// Nothing answered (no connection, or no answer in time): not on EC2.
    Unreachable(String),
    /// The service answered with this status.
    Status(u16),
    /// Anything else.
    Other(String),
}

impl fmt::Display for ImdsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ImdsError::Unreachable(why) => write!(f, "no answer: {why}"),
            ImdsError::Status(status) => write!(f, "it answered with HTTP status {status}"),
            ImdsError::Other(why) => f.write_str(why),
        }
    }
}

impl ImdsClient {
    /// The client the process environment and shared profile configure.
    pub fn new() -> Self {
        Self::with_env(Env::process())
    }

    /// The client `env` (and the profile it selects) configure.
    pub fn with_env(env: Env) -> Self {
        let profile = OnceLock::new();
        let setting = |variable: &str, key: &str| {
            env.get(variable).or_else(|| {
                profile.get_or_init(|| Profile::load(&env).ok()).as_ref().and_then(|p| p.get(key).map(str::to_owned))
            })
        };
        let disabled = env.get("AWS_EC2_METADATA_DISABLED").is_some_and(|v| v.trim().eq_ignore_ascii_case("true"));
        let endpoint = match setting("AWS_EC2_METADATA_SERVICE_ENDPOINT", "ec2_metadata_service_endpoint") {
            Some(endpoint) => Ok(endpoint.trim().trim_end_matches('/').to_owned()),
            None => match setting("AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE", "ec2_metadata_service_endpoint_mode") {
                None => Ok(IPV4_ENDPOINT.to_owned()),
                Some(mode) if mode.trim().eq_ignore_ascii_case("ipv4") => Ok(IPV4_ENDPOINT.to_owned()),
                Some(mode) if mode.trim().eq_ignore_ascii_case("ipv6") => Ok(IPV6_ENDPOINT.to_owned()),
                Some(mode) => Err(format!(
                    "the endpoint mode {mode:?} (AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE or \
                     ec2_metadata_service_endpoint_mode) is not IPv4 or IPv6"
                )),
            },
        };
        Self::from_parts(endpoint, disabled)
    }

    /// A client of the service at `endpoint` (e.g. `http://169.254.169.254`).
    pub fn with_endpoint(endpoint: impl Into<String>) -> Self {
        Self::from_parts(Ok(endpoint.into().trim_end_matches('/').to_owned()), false)
    }

    fn from_parts(endpoint: Result<String, String>, disabled: bool) -> Self {
        Self { inner: Arc::new(ClientInner { endpoint, disabled, http: OnceLock::new(), token: Mutex::new(None) }) }
    }

    /// Whether `AWS_EC2_METADATA_DISABLED` turned the service off.
    pub fn is_disabled(&self) -> bool {
        self.inner.disabled
    }

    /// The region the instance runs in (`/latest/meta-data/placement/region`).
    pub async fn region(&self) -> Result<String, String> {
        if self.inner.disabled {
            return Err("the instance metadata service is disabled (AWS_EC2_METADATA_DISABLED)".into());
        }
        let region = self
            .get(REGION_PATH)
            .await
            .map_err(|e| format!("no region from the instance metadata service at {}: {e}", self.endpoint_label()))?;
        Ok(region.trim().to_owned())
    }

    /// The instance role's credentials.
    pub async fn credentials(&self) -> Result<Credentials, ProviderError> {
        if self.inner.disabled {
            return Err(ProviderError::not_configured(NAME, "disabled by AWS_EC2_METADATA_DISABLED"));
        }
        let endpoint = self.endpoint_label();
        let role = match self.get(CREDENTIALS_PATH).await {
            Ok(text) => text.lines().next().map(str::trim).unwrap_or_default().to_owned(),
            Err(ImdsError::Unreachable(why)) => {
                return Err(ProviderError::not_configured(
                    NAME,
                    format!("no instance metadata service at {endpoint} ({why})"),
                ));
            }
            Err(ImdsError::Status(404)) => {
                return Err(ProviderError::not_configured(NAME, "the instance has no IAM role (instance profile)"));
            }
            Err(error) => {
                return Err(ProviderError::failed(NAME, format!("listing the instance role at {endpoint}: {error}")));
            }
        };
        if role.is_empty() || role.contains('/') {
            return Err(ProviderError::failed(NAME, "the instance metadata service named no usable role"));
        }
        let document = self
            .get(&format!("{CREDENTIALS_PATH}{role}"))
            .await
            .map_err(|e| ProviderError::failed(NAME, format!("reading the credentials of role `{role}`: {e}")))?;
        if let Some(code) = serde_json::from_str::<serde_json::Value>(&document)
            .ok()
            .and_then(|value| value.get("Code").and_then(|code| code.as_str().map(str::to_owned)))
            .filter(|code| code != "Success")
        {
            return Err(ProviderError::failed(NAME, format!("the credentials of role `{role}` are not ready: {code}")));
        }
        parse_credentials_document(NAME, &document, "Token")
    }

    fn endpoint_label(&self) -> String {
        match &self.inner.endpoint {
            Ok(endpoint) => endpoint.clone(),
            Err(_) => "(no endpoint)".to_owned(),
        }
    }

    fn http(&self) -> Result<&HttpClient, ImdsError> {
        self.inner
            .http
            .get_or_init(|| {
                let config = HttpConfig::new()
                    .with_connect_timeout(TIMEOUT)
                    .with_attempt_timeout(Some(TIMEOUT))
                    .with_max_body_size(MAX_BODY)
                    .with_proxy(ProxyConfig::disabled());
                HttpClient::new(config).map_err(|e| e.to_string())
            })
            .as_ref()
            .map_err(|e| ImdsError::Other(e.clone()))
    }

    /// GETs `path` with a session token; a rejected token is replaced once.
    async fn get(&self, path: &str) -> Result<String, ImdsError> {
        for renewal in 0..2 {
            let token = self.token(renewal > 0).await?;
            match self.send(http::Method::GET, path, (TOKEN_HEADER, &token)).await {
                Err(ImdsError::Status(401)) if renewal == 0 => continue,
                other => return other,
            }
        }
        Err(ImdsError::Status(401))
    }

    /// The session token: the cached one while it lasts, unless `renew`.
    async fn token(&self, renew: bool) -> Result<String, ImdsError> {
        if !renew {
            let cached = self.inner.token.lock().unwrap_or_else(|e| e.into_inner()).clone();
            if let Some((token, until)) = cached
                && Instant::now() < until
            {
                return Ok(token);
            }
        }
        let requested_at = Instant::now();
        let ttl = TOKEN_TTL.as_secs().to_string();
        let token = self.send(http::Method::PUT, TOKEN_PATH, (TOKEN_TTL_HEADER, &ttl)).await?;
        let token = token.trim().to_owned();
        if token.is_empty() || http::HeaderValue::from_str(&token).is_err() {
            return Err(ImdsError::Other("the session token it gave is not usable".into()));
        }
        // Renewed a minute early, so a token never expires between check and use.
        let until = requested_at + TOKEN_TTL - Duration::from_secs(60);
        *self.inner.token.lock().unwrap_or_else(|e| e.into_inner()) = Some((token.clone(), until));
        Ok(token)
    }

    /// One request, retried once when nothing or a server error answered.
    async fn send(&self, method: http::Method, path: &str, header: (&str, &str)) -> Result<String, ImdsError> {
        let endpoint = self.inner.endpoint.as_ref().map_err(|e| ImdsError::Other(e.clone()))?;
        let http = self.http()?;
        let mut last = ImdsError::Other("not sent".into());
        for _ in 0..ATTEMPTS {
            let request = http::Request::builder()
                .method(method.clone())
                .uri(format!("{endpoint}{path}"))
                .header(header.0, header.1)
                .header(http::header::USER_AGENT, concat!("awsgen/", env!("CARGO_PKG_VERSION")))
                .body(Bytes::new())
                .map_err(|e| ImdsError::Other(format!("the endpoint {endpoint:?} does not make a request: {e}")))?;
            match http.send(request, EndpointOrigin::UserSet).await {
                Ok(response) if response.status().is_success() => {
                    return String::from_utf8(response.into_body().to_vec())
                        .map_err(|_| ImdsError::Other("the response is not UTF-8".into()));
                }
                Ok(response) if response.status().is_server_error() => {
                    last = ImdsError::Status(response.status().as_u16());
                }
                Ok(response) => return Err(ImdsError::Status(response.status().as_u16())),
                Err(error) => {
                    last = match error.kind() {
                        HttpErrorKind::Connect | HttpErrorKind::Timeout | HttpErrorKind::Io => {
                            ImdsError::Unreachable(error.to_string())
                        }
                        _ => return Err(ImdsError::Other(error.to_string())),
                    };
                }
            }
        }
        Err(last)
    }
}

impl Default for ImdsClient {
    fn default() -> Self {
        Self::new()
    }
}

impl fmt::Debug for ImdsClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ImdsClient")
            .field("endpoint", &self.inner.endpoint)
            .field("disabled", &self.inner.disabled)
            .finish_non_exhaustive()
    }
}

/// The instance role's credentials from the instance metadata service.
#[derive(Clone, Debug, Default)]
pub struct ImdsProvider {
    client: ImdsClient,
}

impl ImdsProvider {
    /// The provider the process environment configures.
    pub fn new() -> Self {
        Self::with_client(ImdsClient::new())
    }

    /// The provider `env` configures.
    pub fn with_env(env: Env) -> Self {
        Self::with_client(ImdsClient::with_env(env))
    }

    /// The provider asking `client`.
    pub fn with_client(client: ImdsClient) -> Self {
        Self { client }
    }
}

impl ProvideCredentials for ImdsProvider {
    fn provide_credentials<'a>(&'a self) -> future::ProvideCredentials<'a>
    where
        Self: 'a,
    {
        future::ProvideCredentials::new(async move {
            self.client.credentials().await.map_err(ProviderError::into_credentials_error)
        })
    }
}

/// The region from the instance metadata service, asked once, when a call first needs it
/// (see [`Config::from_env`](super::super::config::Config::from_env)); the answer, or the
/// failure, is kept for every clone.
#[derive(Clone, Debug)]
pub(crate) struct ImdsRegion {
    client: ImdsClient,
    answer: Arc<tokio::sync::OnceCell<Result<String, String>>>,
}

impl ImdsRegion {
    /// The lookup `env` configures; `None` when `AWS_EC2_METADATA_DISABLED` is set.
    pub(crate) fn new(env: Env) -> Option<Self> {
        let client = ImdsClient::with_env(env);
        (!client.is_disabled()).then(|| Self { client, answer: Arc::new(tokio::sync::OnceCell::new()) })
    }

    /// The region, asked on the first call.
    pub(crate) async fn get(&self) -> Result<String, String> {
        self.answer
            .get_or_init(|| async {
                let name = self.client.region().await?;
                super::super::region::Region::new(name)
                    .map(|region| region.as_str().to_owned())
                    .map_err(|e| format!("the instance metadata service gave {e}"))
            })
            .await
            .clone()
    }

    /// The region, if a call has asked for it and got it.
    pub(crate) fn resolved(&self) -> Option<&str> {
        self.answer.get().and_then(|answer| answer.as_deref().ok())
    }
}
