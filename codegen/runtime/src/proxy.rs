//! HTTP proxies for the default client: `HTTPS_PROXY`, `HTTP_PROXY`, `ALL_PROXY` and
//! `NO_PROXY` (and their lower-case forms, as curl reads them), or settings given in code. An
//! `https://` endpoint is reached through a `CONNECT` tunnel (TLS runs end to end, the proxy sees
//! only the host and port); an `http://` one (an endpoint the user set, such as an emulator)
//! through the proxy's forwarding. Credentials in a proxy URL (`http://user:pass@proxy:3128`)
//! go in `Proxy-Authorization` and are redacted wherever a proxy is printed.
//!
//! hyper-util's `client-proxy` matcher applies the environment variables' rules (hosts,
//! domains, CIDR blocks and `*` in `NO_PROXY`); its `Tunnel` speaks `CONNECT`.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

use http::Uri;
use hyper::rt::{Read, ReadBufCursor, Write};
use hyper_util::client::legacy::connect::proxy::Tunnel;
use hyper_util::client::legacy::connect::{Connected, Connection, HttpConnector};
use hyper_util::client::proxy::matcher::{Intercept, Matcher};
use hyper_util::rt::TokioIo;
use tokio::net::TcpStream;

use super::profile::Env;

/// Which proxies the default client uses.
#[derive(Clone, Default)]
pub struct ProxyConfig {
    https: Option<String>,
    http: Option<String>,
    no_proxy: Option<String>,
    /// Not read from the environment, and no proxy: set by [`ProxyConfig::disabled`].
    disabled: bool,
}

impl ProxyConfig {
    /// The proxies the environment names (`HTTPS_PROXY`, `HTTP_PROXY`, `ALL_PROXY`,
    /// `NO_PROXY`, upper case first): what a client uses unless told otherwise.
    pub fn from_env() -> Self {
        Self::from_env_of(&Env::process())
    }

    /// The proxies `env` names (for tests).
    pub fn from_env_of(env: &Env) -> Self {
        let var = |name: &str| env.get(name).or_else(|| env.get(&name.to_ascii_lowercase())).filter(|v| !v.is_empty());
        let all = var("ALL_PROXY");
        ProxyConfig {
            https: var("HTTPS_PROXY").or_else(|| all.clone()),
            http: var("HTTP_PROXY").or(all),
            no_proxy: var("NO_PROXY"),
            disabled: false,
        }
    }

    /// No proxy, whatever the environment says.
    pub fn disabled() -> Self {
        ProxyConfig { disabled: true, ..Self::default() }
    }

    /// Sends requests to `https://` endpoints through this proxy (`http://[user:pass@]host:port`).
    pub fn with_https_proxy(mut self, url: impl Into<String>) -> Self {
        self.https = Some(url.into());
        self.disabled = false;
        self
    }

    /// Sends requests to `http://` endpoints through this proxy.
    pub fn with_http_proxy(mut self, url: impl Into<String>) -> Self {
        self.http = Some(url.into());
        self.disabled = false;
        self
    }

    /// Hosts reached directly, as `NO_PROXY` lists them (`localhost,.internal,10.0.0.0/8`).
    pub fn with_no_proxy(mut self, hosts: impl Into<String>) -> Self {
        self.no_proxy = Some(hosts.into());
        self
    }

    /// Whether any proxy is set.
    pub fn is_enabled(&self) -> bool {
        !self.disabled && (self.https.is_some() || self.http.is_some())
    }

    /// The matcher the connector asks, when a proxy is set.
    pub(crate) fn matcher(&self) -> Option<Matcher> {
        if !self.is_enabled() {
            return None;
        }
        let mut builder = Matcher::builder();
        if let Some(https) = &self.https {
            builder = builder.https(https.clone());
        }
        if let Some(http) = &self.http {
            builder = builder.http(http.clone());
        }
        if let Some(no) = &self.no_proxy {
            builder = builder.no(no.clone());
        }
        Some(builder.build())
    }
}

/// A proxy URL with any credentials replaced by `***`.
pub fn redact(url: &str) -> String {
    let (scheme, rest) = match url.split_once("://") {
        Some((scheme, rest)) => (format!("{scheme}://"), rest),
        None => (String::new(), url),
    };
    let authority_end = rest.find('/').unwrap_or(rest.len());
    match rest[..authority_end].rfind('@') {
        Some(at) => format!("{scheme}***@{}", &rest[at + 1..]),
        None => url.to_string(),
    }
}

impl fmt::Debug for ProxyConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ProxyConfig")
            .field("https", &self.https.as_deref().map(redact))
            .field("http", &self.http.as_deref().map(redact))
            .field("no_proxy", &self.no_proxy)
            .field("disabled", &self.disabled)
            .finish()
    }
}

impl PartialEq for ProxyConfig {
    fn eq(&self, other: &Self) -> bool {
        (&self.https, &self.http, &self.no_proxy, self.disabled)
            == (&other.https, &other.http, &other.no_proxy, other.disabled)
    }
}

impl Eq for ProxyConfig {}

/// Connects directly, or through the proxy the matcher picks for the destination.
#[derive(Clone)]
pub(crate) struct ProxyConnector {
    direct: HttpConnector,
    matcher: Option<Arc<Matcher>>,
}

impl ProxyConnector {
    pub(crate) fn new(direct: HttpConnector, proxy: &ProxyConfig) -> Self {
        ProxyConnector { direct, matcher: proxy.matcher().map(Arc::new) }
    }

    /// The proxy for `uri`, if it goes through one.
    pub(crate) fn intercept(&self, uri: &Uri) -> Option<Intercept> {
        self.matcher.as_ref()?.intercept(uri)
    }
}

type BoxError = Box<dyn std::error::Error + Send + Sync>;

impl tower_service::Service<Uri> for ProxyConnector {
    type Response = ProxyStream;
    type Error = BoxError;
    type Future = Pin<Box<dyn Future<Output = Result<ProxyStream, BoxError>> + Send>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), BoxError>> {
        self.direct.poll_ready(cx).map_err(Into::into)
    }

    fn call(&mut self, destination: Uri) -> Self::Future {
        let mut direct = self.direct.clone();
        let intercept = self.intercept(&destination);
        Box::pin(async move {
            match intercept {
                None => Ok(ProxyStream { stream: direct.call(destination).await?, forwarding: false }),
                Some(proxy) if destination.scheme_str() == Some("https") => {
                    let mut tunnel = Tunnel::new(proxy.uri().clone(), direct);
                    if let Some(auth) = proxy.basic_auth() {
                        tunnel = tunnel.with_auth(auth.clone());
                    }
                    let stream = tunnel.call(destination).await.map_err(|e| -> BoxError {
                        format!("the proxy {} did not open a tunnel: {e}", redact(&proxy.uri().to_string())).into()
                    })?;
                    Ok(ProxyStream { stream, forwarding: false })
                }
                Some(proxy) => Ok(ProxyStream { stream: direct.call(proxy.uri().clone()).await?, forwarding: true }),
            }
        })
    }
}

/// A connection to the destination, or to a proxy that forwards requests (then hyper writes
/// them in absolute form).
pub(crate) struct ProxyStream {
    stream: TokioIo<TcpStream>,
    forwarding: bool,
}

impl Connection for ProxyStream {
    fn connected(&self) -> Connected {
        self.stream.connected().proxy(self.forwarding)
    }
}

impl Read for ProxyStream {
    fn poll_read(mut self: Pin<&mut Self>, cx: &mut Context<'_>, buf: ReadBufCursor<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.stream).poll_read(cx, buf)
    }
}

impl Write for ProxyStream {
    fn poll_write(mut self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &[u8]) -> Poll<std::io::Result<usize>> {
        Pin::new(&mut self.stream).poll_write(cx, buf)
    }

    // Forwarded so that hyper writes a request's head and body with one `writev` instead of
    // copying both into one buffer first.
    fn is_write_vectored(&self) -> bool {
        self.stream.is_write_vectored()
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[std::io::IoSlice<'_>],
    ) -> Poll<std::io::Result<usize>> {
        Pin::new(&mut self.stream).poll_write_vectored(cx, bufs)
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.stream).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.stream).poll_shutdown(cx)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_environment_names_the_proxies_upper_case_first() {
        let env = Env::from_pairs([
            ("https_proxy", "http://lower:3128"),
            ("HTTPS_PROXY", "http://user:pass@upper:3128"),
            ("all_proxy", "http://all:3128"),
            ("NO_PROXY", "localhost,.internal"),
        ]);
        let proxy = ProxyConfig::from_env_of(&env);
        assert_eq!(proxy.https.as_deref(), Some("http://user:pass@upper:3128"));
        assert_eq!(proxy.http.as_deref(), Some("http://all:3128"), "ALL_PROXY fills in");
        let matcher = proxy.matcher().unwrap();
        assert!(matcher.intercept(&"https://api.sagemaker.us-east-1.amazonaws.com/".parse().unwrap()).is_some());
        assert!(matcher.intercept(&"https://localhost:8443/".parse().unwrap()).is_none());
        assert!(matcher.intercept(&"https://db.internal/".parse().unwrap()).is_none());
        assert!(ProxyConfig::from_env_of(&Env::from_pairs([("HTTPS_PROXY", "")])).matcher().is_none());
        assert!(ProxyConfig::disabled().matcher().is_none());
    }

    #[test]
    fn credentials_never_print() {
        let proxy = ProxyConfig::default().with_https_proxy("http://alice:s3cret@proxy.corp:3128");
        let printed = format!("{proxy:?}");
        assert!(!printed.contains("s3cret") && !printed.contains("alice"), "{printed}");
        assert!(printed.contains("***@proxy.corp:3128"), "{printed}");
        assert_eq!(redact("http://proxy:3128"), "http://proxy:3128");
        assert_eq!(redact("bob:pw@proxy:3128"), "***@proxy:3128");
        assert_eq!(redact("http://proxy:3128/a@b"), "http://proxy:3128/a@b");
    }
}
