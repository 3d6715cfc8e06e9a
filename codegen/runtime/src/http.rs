//! The HTTPS client: hyper 1 with hyper-util's pooled client and rustls.
//!
//! [`HttpClient::send`] sends one `http::Request<Bytes>` and returns the whole response, its
//! body read into memory up to [`HttpConfig::max_body_size`];
//! [`HttpClient::send_streaming`] sends a [`RequestBody`] (a file or reader is read as it goes
//! out) and returns the response as soon as its head arrives, with the body a [`ByteStream`].
//! One client keeps a pool of HTTP/1.1 connections; clones share it.
//!
//! TLS is rustls with the `ring` provider (no C build, unlike aws-lc-rs) and the Mozilla root
//! certificates compiled in from `webpki-roots`: the same trust everywhere, including
//! minimal containers without a CA bundle, and no file system or platform APIs at start-up.
//! The price: a private CA installed in the operating system (e.g. a corporate proxy's) is not
//! trusted.
//!
//! Plain `http://` is refused unless the caller says the endpoint was set by the user
//! ([`EndpointOrigin::UserSet`]), e.g. a local test server: an endpoint the client computed
//! itself must never downgrade to cleartext.

use std::error::Error;
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use http::{Request, Response};

use super::body::{ByteStream, RequestBody, SendBody};
use super::proxy::{ProxyConfig, ProxyConnector};
use hyper_rustls::HttpsConnector;
use hyper_util::client::legacy::Client;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::{TokioExecutor, TokioTimer};

/// Settings of an [`HttpClient`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HttpConfig {
    connect_timeout: Duration,
    attempt_timeout: Option<Duration>,
    max_body_size: usize,
    pool_idle_timeout: Duration,
    pool_max_idle_per_host: usize,
    proxy: ProxyConfig,
    trust_roots: TrustRoots,
}

/// Which certificate authorities the default client trusts.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub enum TrustRoots {
    /// Mozilla's roots, compiled in (`webpki-roots`): the same trust on every machine.
    #[default]
    Mozilla,
    /// Mozilla's and the operating system's (`SSL_CERT_FILE`, `SSL_CERT_DIR` or the system
    /// store): e.g. a corporate proxy's CA installed in the system (feature `native-roots`).
    #[cfg(feature = "native-roots")]
    MozillaAndSystem,
    /// The operating system's only (feature `native-roots`).
    #[cfg(feature = "native-roots")]
    System,
}

/// The TLS settings of the default client: TLS 1.2 and 1.3 on `ring`, trusting `roots`.
fn tls_config(roots: TrustRoots) -> Result<rustls::ClientConfig, HttpError> {
    let tls_error = |detail: String| HttpError::new(HttpErrorKind::Tls, None).with_detail(detail);
    let mut store = rustls::RootCertStore::empty();
    #[cfg(feature = "native-roots")]
    let mozilla = roots != TrustRoots::System;
    #[cfg(not(feature = "native-roots"))]
    let mozilla = roots == TrustRoots::Mozilla;
    if mozilla {
        store.extend(webpki_roots::TLS_SERVER_ROOTS.iter().cloned());
    }
    #[cfg(feature = "native-roots")]
    if roots != TrustRoots::Mozilla {
        let found = rustls_native_certs::load_native_certs();
        let (added, _ignored) = store.add_parsable_certificates(found.certs);
        if added == 0 && roots == TrustRoots::System {
            let why: Vec<String> = found.errors.iter().map(ToString::to_string).collect();
            return Err(tls_error(format!("no system root certificate could be loaded ({})", why.join("; "))));
        }
    }
    rustls::ClientConfig::builder_with_provider(Arc::new(rustls::crypto::ring::default_provider()))
        .with_safe_default_protocol_versions()
        .map_err(|e| tls_error(format!("the TLS provider: {e}")))
        .map(|builder| builder.with_root_certificates(store).with_no_client_auth())
}

impl HttpConfig {
    /// Defaults: connect timeout 3.1 s (as in the AWS SDK for Rust), attempt timeout 60 s,
    /// response bodies up to 20 MiB, idle connections kept 90 s.
    pub fn new() -> Self {
        Self {
            connect_timeout: Duration::from_millis(3100),
            attempt_timeout: Some(Duration::from_secs(60)),
            max_body_size: 20 * 1024 * 1024,
            pool_idle_timeout: Duration::from_secs(90),
            pool_max_idle_per_host: usize::MAX,
            proxy: ProxyConfig::from_env(),
            trust_roots: TrustRoots::Mozilla,
        }
    }

    /// Sets the proxies (by default, those the environment names).
    pub fn with_proxy(mut self, proxy: ProxyConfig) -> Self {
        self.proxy = proxy;
        self
    }

    /// The proxies.
    pub fn proxy(&self) -> &ProxyConfig {
        &self.proxy
    }

    /// Sets which certificate authorities are trusted.
    pub fn with_trust_roots(mut self, roots: TrustRoots) -> Self {
        self.trust_roots = roots;
        self
    }

    /// Which certificate authorities are trusted.
    pub fn trust_roots(&self) -> TrustRoots {
        self.trust_roots
    }

    /// Sets how long opening a TCP connection may take.
    pub fn with_connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// Sets how long one request may take, from sending to the last byte of the response
    /// (connecting included); `None` for no limit.
    pub fn with_attempt_timeout(mut self, timeout: Option<Duration>) -> Self {
        self.attempt_timeout = timeout;
        self
    }

    /// Sets the largest response body accepted, in bytes.
    pub fn with_max_body_size(mut self, bytes: usize) -> Self {
        self.max_body_size = bytes;
        self
    }

    /// Sets how long an idle pooled connection is kept.
    pub fn with_pool_idle_timeout(mut self, timeout: Duration) -> Self {
        self.pool_idle_timeout = timeout;
        self
    }

    /// Sets how many idle connections to one host the pool keeps (no limit by default).
    pub fn with_pool_max_idle_per_host(mut self, connections: usize) -> Self {
        self.pool_max_idle_per_host = connections;
        self
    }

    /// How many idle connections to one host the pool keeps.
    pub fn pool_max_idle_per_host(&self) -> usize {
        self.pool_max_idle_per_host
    }

    /// How long opening a TCP connection may take.
    pub fn connect_timeout(&self) -> Duration {
        self.connect_timeout
    }

    /// How long one request may take, if limited.
    pub fn attempt_timeout(&self) -> Option<Duration> {
        self.attempt_timeout
    }

    /// The largest response body accepted, in bytes.
    pub fn max_body_size(&self) -> usize {
        self.max_body_size
    }

    /// How long an idle pooled connection is kept.
    pub fn pool_idle_timeout(&self) -> Duration {
        self.pool_idle_timeout
    }
}

impl Default for HttpConfig {
    fn default() -> Self {
        Self::new()
    }
}

/// Who chose the endpoint a request goes to. Only a user-set endpoint may be plain `http://`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EndpointOrigin {
    /// The client resolved it (from the region and the service's endpoint rules): HTTPS only.
    Resolved,
    /// The user set it explicitly in the client's configuration: `http://` is allowed.
    UserSet,
}

/// A future that sends a request, as [`HttpSend`] returns it.
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// What puts a request on the wire: the default is hyper with rustls ([`HttpClient::new`]);
/// a program can give the config any other ([`ConfigBuilder::http_sender`](super::config::ConfigBuilder::http_sender)):
/// another HTTP stack, or a test double that answers from memory. The client around it
/// keeps the rest: refusing `http://` for endpoints it resolved, the attempt timeout, the
/// limit on whole bodies.
pub trait HttpSend: Send + Sync + 'static {
    /// Sends `request` (signed, with an absolute URI) and returns the response once its head
    /// has arrived, with the body unread. A failure to get a response is an [`HttpError`]
    /// ([`HttpError::other`] wraps any error); an error status is a response, not an error.
    fn send(&self, request: Request<RequestBody>) -> BoxFuture<'_, Result<Response<ByteStream>, HttpError>>;
}

/// A shared sender sends as the sender does: a test keeps one handle to its double and gives
/// the config another.
impl<T: HttpSend + ?Sized> HttpSend for Arc<T> {
    fn send(&self, request: Request<RequestBody>) -> BoxFuture<'_, Result<Response<ByteStream>, HttpError>> {
        (**self).send(request)
    }
}

/// hyper's pooled client with rustls: the default [`HttpSend`].
struct HyperSender {
    client: Client<HttpsConnector<ProxyConnector>, SendBody>,
    /// Asked again per request: a request forwarded by an `http://` proxy carries the proxy's
    /// credentials itself.
    proxies: ProxyConnector,
}

impl HttpSend for HyperSender {
    fn send(&self, request: Request<RequestBody>) -> BoxFuture<'_, Result<Response<ByteStream>, HttpError>> {
        Box::pin(async move {
            let authority = request.uri().authority().map(|a| a.as_str().to_owned()).unwrap_or_default();
            let (mut parts, body) = request.into_parts();
            if parts.uri.scheme_str() == Some("http")
                && let Some(auth) = self.proxies.intercept(&parts.uri).and_then(|proxy| proxy.basic_auth().cloned())
            {
                parts.headers.insert(http::header::PROXY_AUTHORIZATION, auth);
            }
            let body = body.open().await.map_err(|error| {
                HttpError::new(HttpErrorKind::Io, Some(authority.clone()))
                    .with_detail("the request body could not be read".to_owned())
                    .with_source(error)
            })?;
            let response = self
                .client
                .request(Request::from_parts(parts, body))
                .await
                .map_err(|error| HttpError::from_client(error, &authority))?;
            Ok(response.map(ByteStream::from_incoming))
        })
    }
}

/// A pooled HTTPS (and, for user-set endpoints, HTTP) client. Clones share the pool.
#[derive(Clone)]
pub struct HttpClient {
    sender: Arc<dyn HttpSend>,
    config: Arc<HttpConfig>,
}

impl HttpClient {
    /// A client that sends through `sender` (see [`HttpSend`]) with `config`'s attempt
    /// timeout and body limit (its connection settings are `sender`'s business).
    pub fn with_sender(sender: Arc<dyn HttpSend>, config: HttpConfig) -> Self {
        Self { sender, config: Arc::new(config) }
    }

    /// Builds a client. Connections are opened on first use, inside the caller's Tokio runtime,
    /// which must have I/O and time enabled (as `#[tokio::main]` sets up).
    pub fn new(config: HttpConfig) -> Result<Self, HttpError> {
        let mut tcp = HttpConnector::new();
        tcp.enforce_http(false);
        tcp.set_nodelay(true);
        tcp.set_connect_timeout(Some(config.connect_timeout));
        let proxies = ProxyConnector::new(tcp, &config.proxy);
        let https = hyper_rustls::HttpsConnectorBuilder::new()
            .with_tls_config(tls_config(config.trust_roots)?)
            .https_or_http()
            .enable_http1()
            .wrap_connector(proxies.clone());
        let client = Client::builder(TokioExecutor::new())
            .pool_timer(TokioTimer::new())
            .pool_idle_timeout(config.pool_idle_timeout)
            .pool_max_idle_per_host(config.pool_max_idle_per_host)
            .build(https);
        Ok(Self::with_sender(Arc::new(HyperSender { client, proxies }), config))
    }

    /// The client's settings.
    pub fn config(&self) -> &HttpConfig {
        &self.config
    }

    /// Sends `request` and reads the whole response.
    ///
    /// The URI must be absolute. `http://` is refused with [`HttpErrorKind::InsecureScheme`]
    /// unless `origin` is [`EndpointOrigin::UserSet`]. A body over
    /// [`HttpConfig::max_body_size`] fails with [`HttpErrorKind::BodyTooLarge`] without being
    /// read into memory. The attempt timeout covers the whole exchange.
    pub async fn send(&self, request: Request<Bytes>, origin: EndpointOrigin) -> Result<Response<Bytes>, HttpError> {
        self.send_whole(request.map(RequestBody::from), origin).await
    }

    /// [`send`](Self::send) with a body that may stream: the response is read whole.
    pub async fn send_whole(
        &self,
        request: Request<RequestBody>,
        origin: EndpointOrigin,
    ) -> Result<Response<Bytes>, HttpError> {
        let target = Target::check(request.uri(), origin)?;
        let head = request.method() == http::Method::HEAD;
        let authority = &target.authority;
        let attempt = async move || {
            let response = self.sender.send(request).await?;
            if head {
                // A response to HEAD has no body, whatever its `content-length` says (S3's
                // HeadObject gives the object's).
                let (parts, _) = response.into_parts();
                return Ok(Response::from_parts(parts, Bytes::new()));
            }
            self.read_whole(response, authority).await
        };
        self.within_attempt_timeout(attempt, &target, "no complete response").await
    }

    /// Sends `request`, streaming its body, and returns the response once its head has
    /// arrived; the caller reads the body from the [`ByteStream`]. The attempt timeout covers
    /// sending and the response head, not the reading of the body. Same URI rules as
    /// [`send`](Self::send).
    pub async fn send_streaming(
        &self,
        request: Request<RequestBody>,
        origin: EndpointOrigin,
    ) -> Result<Response<ByteStream>, HttpError> {
        let target = Target::check(request.uri(), origin)?;
        self.within_attempt_timeout(async move || self.sender.send(request).await, &target, "no response head").await
    }

    /// Reads a whole response body from `authority`, up to [`HttpConfig::max_body_size`].
    pub(crate) async fn read_whole(
        &self,
        response: Response<ByteStream>,
        authority: &str,
    ) -> Result<Response<Bytes>, HttpError> {
        let limit = self.config.max_body_size;
        let declared = response
            .headers()
            .get(http::header::CONTENT_LENGTH)
            .and_then(|value| value.to_str().ok())
            .and_then(|value| value.trim().parse::<u64>().ok());
        if declared.is_some_and(|length| length > limit as u64) {
            return Err(HttpError::body_too_large(limit, authority));
        }
        let (parts, body) = response.into_parts();
        let body = body.collect_limited(limit).await.map_err(|error| {
            if error.kind() == std::io::ErrorKind::InvalidData {
                HttpError::body_too_large(limit, authority)
            } else {
                HttpError::new(HttpErrorKind::Io, Some(authority.to_string()))
                    .with_detail("the response body could not be read".to_owned())
                    .with_source(error)
            }
        })?;
        Ok(Response::from_parts(parts, body))
    }

    /// Runs `attempt` within the attempt timeout. It takes the attempt as a closure, not a
    /// future: an `async fn` keeps a future it is given twice in its state, once as the argument
    /// and once as what it awaits; the closure's future is made where it is awaited.
    async fn within_attempt_timeout<T>(
        &self,
        attempt: impl AsyncFnOnce() -> Result<T, HttpError>,
        target: &Target,
        what: &str,
    ) -> Result<T, HttpError> {
        match self.config.attempt_timeout {
            None => attempt().await,
            Some(limit) => match tokio::time::timeout(limit, attempt()).await {
                Ok(result) => result,
                Err(_) => Err(HttpError::new(HttpErrorKind::Timeout, Some(target.authority.clone()))
                    .with_detail(format!("{what} within {limit:?}"))),
            },
        }
    }
}

impl fmt::Debug for HttpClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("HttpClient").field("config", &self.config).finish_non_exhaustive()
    }
}

/// Scheme and authority of a request's URI, checked before anything is sent.
struct Target {
    authority: String,
}

impl Target {
    fn check(uri: &http::Uri, origin: EndpointOrigin) -> Result<Self, HttpError> {
        let invalid =
            |detail: &str| Err(HttpError::new(HttpErrorKind::InvalidRequest, None).with_detail(detail.to_owned()));
        let Some(authority) = uri.authority().map(|a| a.as_str().to_owned()) else {
            return invalid("the request URI has no host");
        };
        match uri.scheme_str() {
            Some("https") => Ok(Self { authority }),
            Some("http") if origin == EndpointOrigin::UserSet => Ok(Self { authority }),
            Some("http") => Err(HttpError::new(HttpErrorKind::InsecureScheme, Some(authority)).with_detail(
                "refusing plain http:// for an endpoint the client resolved itself; \
                     set the endpoint explicitly in the client's configuration to allow it"
                    .to_owned(),
            )),
            _ => invalid("the request URI must start with https:// (or http://)"),
        }
    }
}

/// What kind of failure an [`HttpError`] is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum HttpErrorKind {
    /// The request cannot be sent as it is (e.g. no host in the URI).
    InvalidRequest,
    /// Plain `http://` to an endpoint that was not set by the user.
    InsecureScheme,
    /// No connection: DNS, TCP connect or TLS handshake failed.
    Connect,
    /// The connection failed while sending the request or reading the response.
    Io,
    /// Connecting, or the whole request, took longer than allowed.
    Timeout,
    /// The response body is larger than [`HttpConfig::max_body_size`].
    BodyTooLarge,
    /// The TLS configuration could not be built.
    Tls,
}

/// A request that got no (complete) response.
#[derive(Debug)]
pub struct HttpError {
    kind: HttpErrorKind,
    authority: Option<String>,
    detail: Option<String>,
    source: Option<Box<dyn Error + Send + Sync>>,
    attempts: u32,
}

impl HttpError {
    fn new(kind: HttpErrorKind, authority: Option<String>) -> Self {
        Self { kind, authority, detail: None, source: None, attempts: 0 }
    }

    /// How many attempts the call made, this failed one included (0 outside a call).
    pub fn attempts(&self) -> u32 {
        self.attempts
    }

    /// A failure of kind `kind` talking to `authority`, caused by `source`: for [`HttpSend`]
    /// implementations other than the default.
    pub fn other(kind: HttpErrorKind, authority: Option<String>, source: impl Error + Send + Sync + 'static) -> Self {
        Self::new(kind, authority).with_source(source)
    }

    /// Records that this failure ended a call's attempt `attempt`.
    pub(crate) fn set_attempts(&mut self, attempt: u32) {
        self.attempts = attempt;
    }

    fn with_detail(mut self, detail: String) -> Self {
        self.detail = Some(detail);
        self
    }

    fn with_source(self, source: impl Error + Send + Sync + 'static) -> Self {
        self.with_boxed_source(Box::new(source))
    }

    fn with_boxed_source(mut self, source: Box<dyn Error + Send + Sync>) -> Self {
        self.source = Some(source);
        self
    }

    fn body_too_large(limit: usize, authority: &str) -> Self {
        Self::new(HttpErrorKind::BodyTooLarge, Some(authority.to_owned()))
            .with_detail(format!("the response body is larger than the limit of {limit} bytes"))
    }

    /// Sorts a hyper-util client error: connect failures (a connect timeout among them) and
    /// failures on an open connection.
    fn from_client(error: hyper_util::client::legacy::Error, authority: &str) -> Self {
        let timed_out = source_chain(&error).any(|cause| {
            cause.downcast_ref::<std::io::Error>().is_some_and(|io| io.kind() == std::io::ErrorKind::TimedOut)
                || cause.downcast_ref::<hyper::Error>().is_some_and(hyper::Error::is_timeout)
        });
        let kind = if timed_out {
            HttpErrorKind::Timeout
        } else if error.is_connect() {
            HttpErrorKind::Connect
        } else {
            HttpErrorKind::Io
        };
        Self::new(kind, Some(authority.to_owned())).with_source(error)
    }

    /// What kind of failure this is.
    pub fn kind(&self) -> HttpErrorKind {
        self.kind
    }

    /// The host (and port, if given) the request was for, when known.
    pub fn authority(&self) -> Option<&str> {
        self.authority.as_deref()
    }

    #[cfg(test)]
    pub(crate) fn for_tests(kind: HttpErrorKind) -> Self {
        Self::new(kind, None)
    }
}

/// `error`'s sources, from the outermost.
fn source_chain<'a>(error: &'a (dyn Error + 'static)) -> impl Iterator<Item = &'a (dyn Error + 'static)> {
    std::iter::successors(error.source(), |cause: &&'a (dyn Error + 'static)| (*cause).source())
}

impl fmt::Display for HttpError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let what = match self.kind {
            HttpErrorKind::InvalidRequest => "invalid request",
            HttpErrorKind::InsecureScheme => "insecure endpoint",
            HttpErrorKind::Connect => "could not connect",
            HttpErrorKind::Io => "connection failed",
            HttpErrorKind::Timeout => "timed out",
            HttpErrorKind::BodyTooLarge => "response too large",
            HttpErrorKind::Tls => "could not set up TLS",
        };
        f.write_str(what)?;
        if let Some(authority) = &self.authority {
            write!(f, " ({authority})")?;
        }
        if let Some(detail) = &self.detail {
            write!(f, ": {detail}")?;
        }
        Ok(())
    }
}

impl Error for HttpError {
    fn source(&self) -> Option<&(dyn Error + 'static)> {
        self.source.as_ref().map(|source| source.as_ref() as &(dyn Error + 'static))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::net::SocketAddr;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    use tokio::net::{TcpListener, TcpStream};

    /// What the loopback server does with each connection.
    #[derive(Clone)]
    enum Reply {
        /// Sends these bytes after reading the request head.
        Bytes(Vec<u8>),
        /// Reads the request head, then waits this long before answering 200.
        After(Duration),
        /// Sends these bytes at once, without reading anything.
        Immediately(Vec<u8>),
    }

    /// A loopback HTTP/1.1 server that answers every request with `reply`.
    struct Server {
        address: SocketAddr,
        connections: Arc<AtomicUsize>,
    }

    async fn serve(reply: Reply) -> SocketAddr {
        serve_counting(reply).await.address
    }

    async fn serve_counting(reply: Reply) -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind loopback");
        let address = listener.local_addr().expect("local address");
        let connections = Arc::new(AtomicUsize::new(0));
        let counter = connections.clone();
        tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                counter.fetch_add(1, Ordering::SeqCst);
                tokio::spawn(answer(stream, reply.clone()));
            }
        });
        Server { address, connections }
    }

    /// Answers each request on the connection (bodies are not expected to span reads).
    async fn answer(mut stream: TcpStream, reply: Reply) {
        let mut buffer = [0u8; 4096];
        if let Reply::Immediately(bytes) = &reply {
            let _ = stream.write_all(bytes).await;
            let _ = stream.read(&mut buffer).await;
            return;
        }
        loop {
            let mut head = Vec::new();
            while !head.windows(4).any(|w| w == b"\r\n\r\n") {
                match stream.read(&mut buffer).await {
                    Ok(0) | Err(_) => return,
                    Ok(n) => head.extend_from_slice(&buffer[..n]),
                }
            }
            let bytes = match &reply {
                Reply::Bytes(bytes) | Reply::Immediately(bytes) => bytes.clone(),
                Reply::After(delay) => {
                    tokio::time::sleep(*delay).await;
                    ok("late").into_bytes()
                }
            };
            if stream.write_all(&bytes).await.is_err() {
                return;
            }
        }
    }

    fn ok(body: &str) -> String {
        format!(
            "HTTP/1.1 200 OK\r\ncontent-type: application/x-amz-json-1.1\r\nx-amzn-requestid: req-1\r\ncontent-length: {}\r\n\r\n{body}",
            body.len()
        )
    }

    fn client(config: HttpConfig) -> HttpClient {
        HttpClient::new(config).expect("client builds")
    }

    fn post(uri: String) -> Request<Bytes> {
        Request::post(uri)
            .header("content-type", "application/x-amz-json-1.1")
            .body(Bytes::from_static(b"{}"))
            .expect("valid request")
    }

    async fn send(config: HttpConfig, uri: String, origin: EndpointOrigin) -> Result<Response<Bytes>, HttpError> {
        client(config).send(post(uri), origin).await
    }

    #[tokio::test]
    async fn returns_status_headers_and_body() {
        let address = serve(Reply::Bytes(ok(r#"{"TrainingJobArn":"arn"}"#).into_bytes())).await;
        let response =
            send(HttpConfig::new(), format!("http://{address}/"), EndpointOrigin::UserSet).await.expect("response");
        assert_eq!(response.status(), 200);
        assert_eq!(response.headers()["x-amzn-requestid"], "req-1");
        assert_eq!(response.body().as_ref(), br#"{"TrainingJobArn":"arn"}"#);
    }

    #[tokio::test]
    async fn error_statuses_are_responses_not_errors() {
        let reply = "HTTP/1.1 400 Bad Request\r\ncontent-length: 2\r\n\r\n{}";
        let address = serve(Reply::Bytes(reply.as_bytes().to_vec())).await;
        let response =
            send(HttpConfig::new(), format!("http://{address}/"), EndpointOrigin::UserSet).await.expect("response");
        assert_eq!(response.status(), 400);
    }

    #[tokio::test]
    async fn connections_are_reused() {
        let server = serve_counting(Reply::Bytes(ok("{}").into_bytes())).await;
        let client = client(HttpConfig::new());
        for _ in 0..3 {
            let response = client
                .clone()
                .send(post(format!("http://{}/", server.address)), EndpointOrigin::UserSet)
                .await
                .expect("response");
            assert_eq!(response.status(), 200);
        }
        assert_eq!(server.connections.load(Ordering::SeqCst), 1);
    }

    #[tokio::test]
    async fn plain_http_is_refused_for_a_resolved_endpoint() {
        let address = serve(Reply::Bytes(ok("{}").into_bytes())).await;
        let error =
            send(HttpConfig::new(), format!("http://{address}/"), EndpointOrigin::Resolved).await.expect_err("refused");
        assert_eq!(error.kind(), HttpErrorKind::InsecureScheme);
        assert_eq!(
            error.to_string(),
            format!(
                "insecure endpoint ({address}): refusing plain http:// for an endpoint the client \
                 resolved itself; set the endpoint explicitly in the client's configuration to allow it"
            )
        );
    }

    #[tokio::test]
    async fn relative_and_odd_uris_are_invalid_requests() {
        for uri in ["/no-host", "ftp://example.com/"] {
            let error = send(HttpConfig::new(), uri.to_owned(), EndpointOrigin::UserSet).await.expect_err("invalid");
            assert_eq!(error.kind(), HttpErrorKind::InvalidRequest, "{uri}");
        }
    }

    #[tokio::test]
    async fn refused_connection_is_a_connect_error() {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let address = listener.local_addr().expect("address");
        drop(listener);
        let error = send(HttpConfig::new(), format!("http://{address}/"), EndpointOrigin::UserSet)
            .await
            .expect_err("nothing listens");
        assert_eq!(error.kind(), HttpErrorKind::Connect, "{error:?}");
        assert_eq!(error.authority(), Some(address.to_string().as_str()));
    }

    #[tokio::test]
    async fn tls_handshake_with_a_plain_server_is_a_connect_error() {
        let address = serve(Reply::Immediately(ok("{}").into_bytes())).await;
        let error = send(HttpConfig::new(), format!("https://{address}/"), EndpointOrigin::Resolved)
            .await
            .expect_err("not TLS");
        assert_eq!(error.kind(), HttpErrorKind::Connect, "{error:?}");
    }

    #[tokio::test]
    async fn slow_server_is_a_timeout() {
        let address = serve(Reply::After(Duration::from_secs(5))).await;
        let config = HttpConfig::new().with_attempt_timeout(Some(Duration::from_millis(200)));
        let error = send(config, format!("http://{address}/"), EndpointOrigin::UserSet).await.expect_err("too slow");
        assert_eq!(error.kind(), HttpErrorKind::Timeout);
        assert_eq!(error.to_string(), format!("timed out ({address}): no complete response within 200ms"));
    }

    #[tokio::test]
    async fn declared_oversized_body_is_refused_before_reading() {
        let reply = "HTTP/1.1 200 OK\r\ncontent-length: 1000000000\r\n\r\n{}";
        let address = serve(Reply::Bytes(reply.as_bytes().to_vec())).await;
        let config = HttpConfig::new().with_max_body_size(1024);
        let error = send(config, format!("http://{address}/"), EndpointOrigin::UserSet).await.expect_err("too large");
        assert_eq!(error.kind(), HttpErrorKind::BodyTooLarge);
        assert!(error.to_string().ends_with("larger than the limit of 1024 bytes"), "{error}");
    }

    /// S3's HeadObject answers with the object's length and no body.
    #[tokio::test]
    async fn a_head_response_has_no_body_whatever_its_length_says() {
        let reply = "HTTP/1.1 200 OK\r\ncontent-length: 1000000000\r\n\r\n";
        let address = serve(Reply::Bytes(reply.as_bytes().to_vec())).await;
        let config = HttpConfig::new().with_max_body_size(1024);
        let request = Request::builder().method("HEAD").uri(format!("http://{address}/")).body(Bytes::new()).unwrap();
        let response = client(config).send(request, EndpointOrigin::UserSet).await.expect("a HEAD response");
        assert_eq!(response.headers()["content-length"], "1000000000");
        assert!(response.body().is_empty());
    }

    #[tokio::test]
    async fn chunked_oversized_body_is_cut_off() {
        let chunk = "x".repeat(1000);
        let mut reply = String::from("HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n");
        for _ in 0..3 {
            reply.push_str(&format!("{:x}\r\n{chunk}\r\n", chunk.len()));
        }
        reply.push_str("0\r\n\r\n");
        let address = serve(Reply::Bytes(reply.into_bytes())).await;
        let config = HttpConfig::new().with_max_body_size(2500);
        let error =
            send(config.clone(), format!("http://{address}/"), EndpointOrigin::UserSet).await.expect_err("too large");
        assert_eq!(error.kind(), HttpErrorKind::BodyTooLarge);
        // At the limit exactly, the body is accepted.
        let response = send(config.with_max_body_size(3000), format!("http://{address}/"), EndpointOrigin::UserSet)
            .await
            .expect("fits");
        assert_eq!(response.body().len(), 3000);
    }

    #[tokio::test]
    async fn connection_closed_mid_response_is_an_io_error() {
        let reply = "HTTP/1.1 200 OK\r\ncontent-length: 100\r\n\r\n{\"partial";
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let address = listener.local_addr().expect("address");
        tokio::spawn(async move {
            if let Ok((mut stream, _)) = listener.accept().await {
                let mut buffer = [0u8; 1024];
                let _ = stream.read(&mut buffer).await;
                let _ = stream.write_all(reply.as_bytes()).await;
                // Dropping the stream closes the connection mid-body.
            }
        });
        let error = send(HttpConfig::new(), format!("http://{address}/"), EndpointOrigin::UserSet)
            .await
            .expect_err("truncated");
        assert_eq!(error.kind(), HttpErrorKind::Io, "{error:?}");
    }
}
