//! The container credentials endpoint (ECS, Fargate, EKS Pod Identity):
//! `AWS_CONTAINER_CREDENTIALS_RELATIVE_URI` (a path on `http://169.254.170.2`) or
//! `AWS_CONTAINER_CREDENTIALS_FULL_URI`, with the token from
//! `AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE` (read again on every call: the agent rotates it)
//! or `AWS_CONTAINER_AUTHORIZATION_TOKEN` in the `Authorization` header.
//!
//! A full URI must be `https://`, or `http://` to a loopback address or one of the container
//! agents' link-local addresses (169.254.170.2 for ECS, 169.254.170.23 and `fd00:ec2::23` for
//! EKS): plain HTTP to anywhere else would send the token and get credentials in the clear.
//! Only IP literals and `localhost` count as loopback; a host name is not resolved to check.

use std::net::IpAddr;
use std::time::Duration;

use bytes::Bytes;

use super::super::http::{EndpointOrigin, HttpClient, HttpConfig, HttpErrorKind};
use super::super::profile::Env;
use super::super::proxy::ProxyConfig;
use super::{Credentials, ProvideCredentials, ProviderError, future, parse_credentials_document};

/// The provider's name, in errors and in the credentials it gives.
pub(crate) const NAME: &str = "Container";

const ECS_HOST: &str = "http://169.254.170.2";
const ALLOWED_HOSTS: &[&str] = &["169.254.170.2", "169.254.170.23", "fd00:ec2::23"];
const TIMEOUT: Duration = Duration::from_secs(2);
/// Attempts per call: the agent can answer with a server error while it starts.
const ATTEMPTS: u32 = 3;
const MAX_BODY: usize = 64 * 1024;

/// Credentials from the container endpoint the environment names.
#[derive(Debug, Clone)]
pub struct ContainerProvider {
    env: Env,
    http: std::sync::Arc<std::sync::OnceLock<Result<HttpClient, String>>>,
}

impl ContainerProvider {
    /// The provider over the process environment.
    pub fn new() -> Self {
        Self::with_env(Env::process())
    }

    /// The provider over `env`.
    pub fn with_env(env: Env) -> Self {
        Self { env, http: Default::default() }
    }

    /// The endpoint's URI, checked.
    fn uri(&self) -> Result<http::Uri, ProviderError> {
        let (uri, variable) = if let Some(relative) = self.env.get("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI") {
            (
                format!("{ECS_HOST}/{}", relative.trim().trim_start_matches('/')),
                "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
            )
        } else if let Some(full) = self.env.get("AWS_CONTAINER_CREDENTIALS_FULL_URI") {
            (full.trim().to_owned(), "AWS_CONTAINER_CREDENTIALS_FULL_URI")
        } else {
            return Err(ProviderError::not_configured(
                NAME,
                "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI and AWS_CONTAINER_CREDENTIALS_FULL_URI are not set",
            ));
        };
        let parsed: http::Uri =
            uri.parse().map_err(|_| ProviderError::failed(NAME, format!("{variable} is not a URI")))?;
        let host = parsed.host().unwrap_or_default().trim_start_matches('[').trim_end_matches(']').to_owned();
        match parsed.scheme_str() {
            Some("https") if !host.is_empty() => Ok(parsed),
            Some("http") if is_allowed_http_host(&host) => Ok(parsed),
            Some("http") => Err(ProviderError::failed(
                NAME,
                format!(
                    "{variable} names the host {host:?}: plain http:// is allowed only to a loopback address, \
                     169.254.170.2, 169.254.170.23 or fd00:ec2::23 (use https:// for another host)"
                ),
            )),
            _ => Err(ProviderError::failed(NAME, format!("{variable} must be an http:// or https:// URI"))),
        }
    }

    /// The `Authorization` header's value, if the environment gives one.
    fn authorization(&self) -> Result<Option<http::HeaderValue>, ProviderError> {
        let token = if let Some(path) = self.env.get("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE") {
            let text = std::fs::read_to_string(&path).map_err(|e| {
                ProviderError::failed(
                    NAME,
                    format!("could not read AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE {path}: {e}"),
                )
            })?;
            Some(text)
        } else {
            self.env.get("AWS_CONTAINER_AUTHORIZATION_TOKEN")
        };
        token
            .map(|token| {
                let token = token.trim();
                // A line break would start another header.
                if token.contains(['\r', '\n']) {
                    return Err(ProviderError::failed(NAME, "the authorization token has a line break"));
                }
                http::HeaderValue::from_str(token)
                    .map_err(|_| ProviderError::failed(NAME, "the authorization token is not a valid header value"))
            })
            .transpose()
    }

    fn http(&self) -> Result<&HttpClient, ProviderError> {
        self.http
            .get_or_init(|| {
                let config = HttpConfig::new()
                    .with_connect_timeout(TIMEOUT)
                    .with_attempt_timeout(Some(TIMEOUT))
                    .with_max_body_size(MAX_BODY)
                    .with_proxy(ProxyConfig::disabled());
                HttpClient::new(config).map_err(|e| e.to_string())
            })
            .as_ref()
            .map_err(|e| ProviderError::failed(NAME, e.clone()))
    }

    /// Asks the endpoint, retrying server errors and failed connections.
    pub async fn credentials(&self) -> Result<Credentials, ProviderError> {
        let uri = self.uri()?;
        let http = self.http()?;
        let authority = uri.authority().map(|a| a.as_str().to_owned()).unwrap_or_default();
        let mut last = String::new();
        for attempt in 0..ATTEMPTS {
            if attempt > 0 {
                tokio::time::sleep(Duration::from_millis(100 * u64::from(attempt))).await;
            }
            let mut request = http::Request::builder()
                .method(http::Method::GET)
                .uri(uri.clone())
                .header(http::header::ACCEPT, "application/json")
                .header(http::header::USER_AGENT, concat!("awsgen/", env!("CARGO_PKG_VERSION")))
                .body(Bytes::new())
                .map_err(|e| ProviderError::failed(NAME, format!("cannot build the request: {e}")))?;
            // Read for every attempt: the agent may have rotated the token file.
            if let Some(token) = self.authorization()? {
                request.headers_mut().insert(http::header::AUTHORIZATION, token);
            }
            match http.send(request, EndpointOrigin::UserSet).await {
                Ok(response) if response.status().is_success() => {
                    let text = std::str::from_utf8(response.body())
                        .map_err(|_| ProviderError::failed(NAME, "the credentials document is not UTF-8"))?;
                    return parse_credentials_document(NAME, text, "Token");
                }
                Ok(response) if response.status().is_server_error() || response.status() == 429 => {
                    last = format!("{authority} answered with HTTP status {}", response.status().as_u16());
                }
                Ok(response) => {
                    return Err(ProviderError::failed(
                        NAME,
                        format!("{authority} answered with HTTP status {}", response.status().as_u16()),
                    ));
                }
                Err(error)
                    if matches!(error.kind(), HttpErrorKind::Connect | HttpErrorKind::Timeout | HttpErrorKind::Io) =>
                {
                    last = error.to_string();
                }
                Err(error) => return Err(ProviderError::failed(NAME, error.to_string())),
            }
        }
        Err(ProviderError::failed(NAME, format!("{last} (after {ATTEMPTS} attempts)")))
    }
}

/// Whether plain HTTP may go to `host`: loopback, or a container agent's address.
fn is_allowed_http_host(host: &str) -> bool {
    if host.eq_ignore_ascii_case("localhost") || ALLOWED_HOSTS.contains(&host) {
        return true;
    }
    match host.parse::<IpAddr>() {
        Ok(ip) => ip.is_loopback() || ALLOWED_HOSTS.iter().any(|allowed| allowed.parse::<IpAddr>().ok() == Some(ip)),
        Err(_) => false,
    }
}

impl Default for ContainerProvider {
    fn default() -> Self {
        Self::new()
    }
}

impl ProvideCredentials for ContainerProvider {
    fn provide_credentials<'a>(&'a self) -> future::ProvideCredentials<'a>
    where
        Self: 'a,
    {
        future::ProvideCredentials::new(async move {
            self.credentials().await.map_err(ProviderError::into_credentials_error)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_http_goes_only_to_loopback_and_the_agents() {
        for host in [
            "127.0.0.1",
            "127.1.2.3",
            "::1",
            "localhost",
            "169.254.170.2",
            "169.254.170.23",
            "fd00:ec2::23",
            "fd00:ec2:0::23",
        ] {
            assert!(is_allowed_http_host(host), "{host}");
        }
        for host in ["169.254.169.254", "example.com", "10.0.0.1", "fd00:ec2::24", "localhost.example.com"] {
            assert!(!is_allowed_http_host(host), "{host}");
        }
    }
}
