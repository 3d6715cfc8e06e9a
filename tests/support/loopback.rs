//! A loopback HTTP/1.1 server for tests of the client against faults: it answers with a script of
//! canned replies (responses, or faults such as a reset connection, a late answer, a body cut
//! short) and records every request it received, with the time it arrived.
//!
//! The server runs on plain threads (no async runtime), so it keeps its own time whatever the
//! client's runtime does. It is bounded: it stops by itself once every reply of the script has
//! been given, or at its deadline (20 s by default), or when the [`Loopback`] is dropped.
//!
//! Each request takes the next reply of the script, whichever connection it came on; a request
//! beyond the script is recorded and answered `418` with `{"__type":"LoopbackScriptExhausted"}`
//! (not retryable, and easy to recognise in a failing assertion).
//!
//! ```no_run
//! # use awsgen_tests::loopback::{Loopback, Reply};
//! let server = Loopback::start(vec![Reply::error(503, "ServiceUnavailable", "try again"), Reply::json(200, "{}")]);
//! // ... point a client at server.url(), make a call ...
//! assert_eq!(server.requests().len(), 2);
//! ```

use std::collections::VecDeque;
use std::io::{self, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

/// How long a server runs at most, unless [`Loopback::start_with_deadline`] says otherwise.
pub const DEFAULT_DEADLINE: Duration = Duration::from_secs(20);

/// How often idle threads look at the stop flag.
const POLL: Duration = Duration::from_millis(10);

/// How long a write may wait for a client that stopped reading (e.g. past its body-size
/// limit, its connection not closed yet), so that a stopping server never hangs on one.
const WRITE_TIMEOUT: Duration = Duration::from_secs(1);

/// The largest request the server accepts (head and body).
const MAX_REQUEST: usize = 1 << 20;

/// A complete HTTP response.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Response {
    /// The status code.
    pub status: u16,
    /// Headers in the order they are sent. `content-length` is added from the body unless one
    /// is given here (or `transfer-encoding` is).
    pub headers: Vec<(String, String)>,
    /// The body, sent as is.
    pub body: Vec<u8>,
}

impl Response {
    /// A response with `status`, no headers and an empty body.
    pub fn new(status: u16) -> Self {
        Response { status, headers: Vec::new(), body: Vec::new() }
    }

    /// Adds a header.
    pub fn header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.headers.push((name.into(), value.into()));
        self
    }

    /// Sets the body.
    pub fn body(mut self, body: impl Into<Vec<u8>>) -> Self {
        self.body = body.into();
        self
    }

    /// An awsJson 1.1 response with this body.
    pub fn json(status: u16, body: &str) -> Self {
        Response::new(status).header("Content-Type", "application/x-amz-json-1.1").body(body)
    }

    /// An awsJson error response: `{"__type": code, "message": message}`.
    pub fn error(status: u16, code: &str, message: &str) -> Self {
        Response::json(status, &format!(r#"{{"__type":{},"message":{}}}"#, json_string(code), json_string(message)))
    }

    /// An HTML page, as a proxy or load balancer sends.
    pub fn html(status: u16, page: &str) -> Self {
        Response::new(status).header("Content-Type", "text/html").body(page)
    }

    fn has_header(&self, name: &str) -> bool {
        self.headers.iter().any(|(n, _)| n.eq_ignore_ascii_case(name))
    }

    /// Status line and headers, with `content-length` of `declared` bytes unless given.
    fn head(&self, declared: usize) -> Vec<u8> {
        let mut head = format!("HTTP/1.1 {} {}\r\n", self.status, reason(self.status));
        for (name, value) in &self.headers {
            head.push_str(&format!("{name}: {value}\r\n"));
        }
        if !self.has_header("content-length") && !self.has_header("transfer-encoding") {
            head.push_str(&format!("content-length: {declared}\r\n"));
        }
        head.push_str("\r\n");
        head.into_bytes()
    }
}

/// What the server does with one request.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Reply {
    /// Sends this response; the connection stays open for the next request.
    Respond(Response),
    /// Closes the connection with a TCP reset (RST), without answering.
    Reset,
    /// Waits this long (e.g. past the client's timeout), then does `then`.
    Delay(Duration, Box<Reply>),
    /// Sends the head with the `content-length` of the whole body, only the first `sent` bytes
    /// of the body, then closes the connection.
    CloseMidBody { response: Response, sent: usize },
    /// Sends the head and the first `sent` bytes of the body, waits `stall` (a connection that
    /// hangs mid-body), then sends the rest.
    StallMidBody { response: Response, sent: usize, stall: Duration },
    /// Sends a chunked body of `size` bytes of `x` (for body-size limits), then closes.
    Stream { status: u16, size: usize },
}

impl Reply {
    /// [`Reply::Respond`] with [`Response::json`].
    pub fn json(status: u16, body: &str) -> Self {
        Reply::Respond(Response::json(status, body))
    }

    /// [`Reply::Respond`] with [`Response::error`].
    pub fn error(status: u16, code: &str, message: &str) -> Self {
        Reply::Respond(Response::error(status, code, message))
    }

    /// [`Reply::Respond`] with [`Response::html`].
    pub fn html(status: u16, page: &str) -> Self {
        Reply::Respond(Response::html(status, page))
    }

    /// Waits `delay`, then gives `then`.
    pub fn delayed(delay: Duration, then: Reply) -> Self {
        Reply::Delay(delay, Box::new(then))
    }
}

/// A request the server received.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Request {
    /// e.g. `POST`.
    pub method: String,
    /// The request target, e.g. `/`.
    pub path: String,
    /// Headers in the order received, names as sent.
    pub headers: Vec<(String, String)>,
    /// The body.
    pub body: Vec<u8>,
    /// Which connection it came on (0 for the first the server accepted).
    pub connection: usize,
    /// When the whole request had arrived.
    pub received_at: Instant,
    /// When the server had finished its reply (the last byte written, or the connection reset),
    /// if it did.
    pub answered_at: Option<Instant>,
    /// When the client closed the connection while the server was still holding back its reply
    /// (a [`Reply::Delay`] or [`Reply::StallMidBody`]): the client gave up on this request, e.g.
    /// at its attempt timeout.
    pub abandoned_at: Option<Instant>,
}

impl Request {
    /// The value of the first header named `name` (in any case).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }

    /// How many headers are named `name` (in any case).
    pub fn header_count(&self, name: &str) -> usize {
        self.headers.iter().filter(|(n, _)| n.eq_ignore_ascii_case(name)).count()
    }

    /// The body as text.
    pub fn body_text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

/// What the threads share.
struct Shared {
    script: Mutex<VecDeque<Reply>>,
    /// Replies taken from the script but not yet finished.
    in_progress: Mutex<usize>,
    requests: Mutex<Vec<Request>>,
    stop: AtomicBool,
    deadline: Instant,
}

impl Shared {
    fn stopping(&self) -> bool {
        if Instant::now() >= self.deadline {
            self.stop.store(true, Ordering::SeqCst);
        }
        self.stop.load(Ordering::SeqCst)
    }

    /// Takes the next reply, or `None` when the script is exhausted.
    fn next_reply(&self) -> Option<Reply> {
        let reply = lock(&self.script).pop_front();
        if reply.is_some() {
            *lock(&self.in_progress) += 1;
        }
        reply
    }

    /// Marks a scripted reply done; stops the server after the last one.
    fn finished_reply(&self) {
        let mut in_progress = lock(&self.in_progress);
        *in_progress -= 1;
        if *in_progress == 0 && lock(&self.script).is_empty() {
            self.stop.store(true, Ordering::SeqCst);
        }
    }
}

/// A running loopback server; stopped (and its threads joined) when dropped.
pub struct Loopback {
    address: SocketAddr,
    shared: Arc<Shared>,
    acceptor: Option<JoinHandle<()>>,
}

impl Loopback {
    /// Starts a server on `127.0.0.1:0` that gives `script`, with the default deadline.
    pub fn start(script: Vec<Reply>) -> Loopback {
        Loopback::start_with_deadline(script, DEFAULT_DEADLINE)
    }

    /// Starts a server that gives `script` and stops after `deadline` at the latest.
    ///
    /// # Panics
    /// If no loopback port can be bound.
    pub fn start_with_deadline(script: Vec<Reply>, deadline: Duration) -> Loopback {
        let listener = TcpListener::bind("127.0.0.1:0").expect("binding a loopback port");
        listener.set_nonblocking(true).expect("a non-blocking listener");
        let address = listener.local_addr().expect("the listener's address");
        let shared = Arc::new(Shared {
            stop: AtomicBool::new(script.is_empty()),
            script: Mutex::new(script.into()),
            in_progress: Mutex::new(0),
            requests: Mutex::new(Vec::new()),
            deadline: Instant::now() + deadline,
        });
        let acceptor = {
            let shared = shared.clone();
            thread::Builder::new()
                .name(format!("loopback-{}", address.port()))
                .spawn(move || accept_loop(listener, &shared))
                .expect("spawning the server thread")
        };
        Loopback { address, shared, acceptor: Some(acceptor) }
    }

    /// `http://127.0.0.1:PORT`, for a client's endpoint.
    pub fn url(&self) -> String {
        format!("http://{}", self.address)
    }

    /// The address the server listens on.
    pub fn address(&self) -> SocketAddr {
        self.address
    }

    /// The requests received so far, in order of arrival.
    pub fn requests(&self) -> Vec<Request> {
        lock(&self.shared.requests).clone()
    }

    /// Whether the server is done with every reply it started (a delayed one ends when the
    /// client gives up on it). Poll it from async code without blocking the client's runtime:
    /// the client may close a connection from a background task.
    pub fn is_settled(&self) -> bool {
        *lock(&self.shared.in_progress) == 0
    }

    /// How many replies of the script have not been taken by a request.
    pub fn unused_replies(&self) -> usize {
        lock(&self.shared.script).len()
    }
}

impl Drop for Loopback {
    fn drop(&mut self) {
        self.shared.stop.store(true, Ordering::SeqCst);
        if let Some(acceptor) = self.acceptor.take() {
            let _ = acceptor.join();
        }
    }
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    // A panicking connection thread must not hide the requests from the test.
    mutex.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

fn accept_loop(listener: TcpListener, shared: &Arc<Shared>) {
    let mut connections: Vec<JoinHandle<()>> = Vec::new();
    while !shared.stopping() {
        match listener.accept() {
            Ok((stream, _)) => {
                let shared = shared.clone();
                let index = connections.len();
                match thread::Builder::new().spawn(move || serve_connection(stream, index, &shared)) {
                    Ok(handle) => connections.push(handle),
                    Err(_) => break,
                }
            }
            Err(e) if e.kind() == io::ErrorKind::WouldBlock => thread::sleep(Duration::from_millis(2)),
            Err(_) => thread::sleep(Duration::from_millis(2)),
        }
    }
    drop(listener);
    for connection in connections {
        let _ = connection.join();
    }
}

/// Serves requests on one connection until the client closes it, a fault closes it, or the
/// server stops.
fn serve_connection(mut stream: TcpStream, index: usize, shared: &Shared) {
    if stream.set_nonblocking(false).is_err()
        || stream.set_read_timeout(Some(POLL)).is_err()
        || stream.set_write_timeout(Some(WRITE_TIMEOUT)).is_err()
    {
        return;
    }
    let _ = stream.set_nodelay(true);
    loop {
        // The request is peeked, not read: a reset must leave it unread in the socket, which
        // is what makes the kernel answer the close with RST instead of FIN.
        let Some((mut request, length)) = peek_request(&stream, index, shared) else { return };
        let reply = shared.next_reply();
        let scripted = reply.is_some();
        let reply =
            reply.unwrap_or_else(|| Reply::error(418, "LoopbackScriptExhausted", "no reply left in the script"));
        if !matches!(reply, Reply::Reset) {
            let mut consumed = vec![0; length];
            if stream.read_exact(&mut consumed).is_err() {
                return;
            }
        }
        request.received_at = Instant::now();
        let number = {
            let mut requests = lock(&shared.requests);
            requests.push(request);
            requests.len() - 1
        };
        let outcome = give(&mut stream, reply, shared);
        match outcome {
            Outcome::KeepOpen | Outcome::Close => lock(&shared.requests)[number].answered_at = Some(Instant::now()),
            Outcome::Abandoned(at) => lock(&shared.requests)[number].abandoned_at = Some(at),
            Outcome::Stopped => {}
        }
        if scripted {
            shared.finished_reply();
        }
        if outcome != Outcome::KeepOpen {
            return;
        }
    }
}

/// How giving a reply ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Outcome {
    /// Answered; the connection may serve another request.
    KeepOpen,
    /// Answered (or failed to), and the connection is to be closed.
    Close,
    /// The client closed the connection, at this time, while the reply was held back.
    Abandoned(Instant),
    /// The server stopped while the reply was held back.
    Stopped,
}

/// Gives `reply` on `stream`.
fn give(stream: &mut TcpStream, reply: Reply, shared: &Shared) -> Outcome {
    match reply {
        Reply::Respond(response) => {
            let mut bytes = response.head(response.body.len());
            bytes.extend_from_slice(&response.body);
            match stream.write_all(&bytes).and_then(|()| stream.flush()) {
                Ok(()) => Outcome::KeepOpen,
                Err(_) => Outcome::Close,
            }
        }
        Reply::Reset => Outcome::Close, // dropping the stream with the request unread sends RST
        Reply::Delay(delay, then) => match hold(stream, delay, shared) {
            Outcome::KeepOpen => give(stream, *then, shared),
            outcome => outcome,
        },
        Reply::StallMidBody { response, sent, stall } => {
            let sent = sent.min(response.body.len());
            let mut bytes = response.head(response.body.len());
            bytes.extend_from_slice(&response.body[..sent]);
            if stream.write_all(&bytes).and_then(|()| stream.flush()).is_err() {
                return Outcome::Close;
            }
            match hold(stream, stall, shared) {
                Outcome::KeepOpen => match stream.write_all(&response.body[sent..]) {
                    Ok(()) => Outcome::KeepOpen,
                    Err(_) => Outcome::Close,
                },
                outcome => outcome,
            }
        }
        Reply::CloseMidBody { response, sent } => {
            let mut bytes = response.head(response.body.len());
            bytes.extend_from_slice(&response.body[..sent.min(response.body.len())]);
            let _ = stream.write_all(&bytes).and_then(|()| stream.flush());
            let _ = stream.shutdown(std::net::Shutdown::Write);
            Outcome::Close
        }
        Reply::Stream { status, size } => {
            let head = Response::json(status, "").header("Transfer-Encoding", "chunked").head(0);
            if stream.write_all(&head).is_err() {
                return Outcome::Close;
            }
            let chunk = vec![b'x'; 256 * 1024];
            let mut left = size;
            while left > 0 && !shared.stopping() {
                let n = left.min(chunk.len());
                let mut bytes = format!("{n:x}\r\n").into_bytes();
                bytes.extend_from_slice(&chunk[..n]);
                bytes.extend_from_slice(b"\r\n");
                if stream.write_all(&bytes).is_err() {
                    return Outcome::Close; // the client gave up reading
                }
                left -= n;
            }
            let _ = stream.write_all(b"0\r\n\r\n");
            Outcome::Close
        }
    }
}

/// Holds the connection for `delay`, watching for the client closing it: `KeepOpen` when the
/// delay is over, `Abandoned` when the client closed the connection, `Stopped` when the server
/// stops.
fn hold(stream: &TcpStream, delay: Duration, shared: &Shared) -> Outcome {
    let until = Instant::now() + delay;
    while Instant::now() < until {
        if shared.stopping() {
            return Outcome::Stopped;
        }
        // Waits up to the read timeout (POLL) for the client to close the connection.
        match stream.peek(&mut [0u8; 1]) {
            Ok(0) => return Outcome::Abandoned(Instant::now()),
            Ok(_) => thread::sleep(POLL), // a pipelined request waits its turn
            Err(e) if matches!(e.kind(), io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut) => {}
            Err(_) => return Outcome::Abandoned(Instant::now()),
        }
    }
    Outcome::KeepOpen
}

/// Waits until a whole request is in the socket and parses it without consuming it; returns
/// the request and its length in bytes, or `None` when the connection closes, is malformed or
/// the server stops.
fn peek_request(stream: &TcpStream, connection: usize, shared: &Shared) -> Option<(Request, usize)> {
    let mut buffer = vec![0u8; 64 * 1024];
    let mut last = 0;
    loop {
        if shared.stopping() {
            return None;
        }
        match stream.peek(&mut buffer) {
            Ok(0) => return None,
            Ok(n) => {
                if let Some(parsed) = parse_request(&buffer[..n], connection) {
                    return parsed;
                }
                if n == buffer.len() {
                    if buffer.len() >= MAX_REQUEST {
                        return None;
                    }
                    buffer.resize(buffer.len() * 2, 0);
                } else if n == last {
                    // Part of the request is here; peeking again returns at once.
                    thread::sleep(Duration::from_millis(1));
                }
                last = n;
            }
            Err(e) if matches!(e.kind(), io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut) => {}
            Err(_) => return None,
        }
    }
}

/// `None`: incomplete; `Some(None)`: malformed; `Some(Some(..))`: a request and its length.
fn parse_request(bytes: &[u8], connection: usize) -> Option<Option<(Request, usize)>> {
    let end = bytes.windows(4).position(|w| w == b"\r\n\r\n")?;
    let Ok(head) = std::str::from_utf8(&bytes[..end]) else { return Some(None) };
    let mut lines = head.split("\r\n");
    let mut request_line = lines.next().unwrap_or_default().split(' ');
    let (Some(method), Some(path)) = (request_line.next(), request_line.next()) else { return Some(None) };
    let mut headers = Vec::new();
    for line in lines {
        let Some((name, value)) = line.split_once(':') else { return Some(None) };
        headers.push((name.to_string(), value.trim().to_string()));
    }
    let request = Request {
        method: method.to_string(),
        path: path.to_string(),
        headers,
        body: Vec::new(),
        connection,
        received_at: Instant::now(),
        answered_at: None,
        abandoned_at: None,
    };
    if request.header("transfer-encoding").is_some() {
        return Some(None); // the client under test always sends a content-length
    }
    let length = match request.header("content-length").map(str::parse::<usize>) {
        None => 0,
        Some(Ok(length)) => length,
        Some(Err(_)) => return Some(None),
    };
    let total = end + 4 + length;
    if bytes.len() < total {
        return None;
    }
    Some(Some((Request { body: bytes[end + 4..total].to_vec(), ..request }, total)))
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        400 => "Bad Request",
        403 => "Forbidden",
        404 => "Not Found",
        418 => "I'm a teapot",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        504 => "Gateway Timeout",
        _ => "Status",
    }
}

/// `text` as a JSON string literal.
fn json_string(text: &str) -> String {
    let mut out = String::from("\"");
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}
