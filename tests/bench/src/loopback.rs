//! A loopback HTTP/1.1 server for the request benchmark: it answers every request with the
//! same canned awsJson 1.1 response, keeps connections alive, and counts what it answered.
//!
//! It runs on plain threads, one per connection, so that it never shares the client's async
//! runtime; the request benchmark runs it in a child process ([`ServerProcess`]) so that its CPU
//! time is not the client's.
//! It accepts only what an awsJson client sends (a `Content-Length` body, no chunking) and closes
//! the connection on anything else, which the benchmark then sees as a failed call.

use std::io::{self, BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::thread::{self, JoinHandle};

/// The largest request body accepted.
const MAX_BODY: usize = 1 << 20;

/// A running server; stopped when dropped.
pub struct Server {
    address: SocketAddr,
    stop: Arc<AtomicBool>,
    answered: Arc<AtomicU64>,
    connections: Arc<AtomicU64>,
    acceptor: Option<JoinHandle<()>>,
}

impl Server {
    /// Starts a server on a free port of 127.0.0.1 that answers `200` with `body`.
    pub fn start(body: &str) -> io::Result<Server> {
        let listener = TcpListener::bind("127.0.0.1:0")?;
        let address = listener.local_addr()?;
        let stop = Arc::new(AtomicBool::new(false));
        let answered = Arc::new(AtomicU64::new(0));
        let connections = Arc::new(AtomicU64::new(0));
        let response: Arc<[u8]> = format!(
            "HTTP/1.1 200 OK\r\ncontent-type: application/x-amz-json-1.1\r\n\
             x-amzn-requestid: 00000000-0000-4000-8000-000000000000\r\ncontent-length: {}\r\n\r\n{body}",
            body.len()
        )
        .into_bytes()
        .into();
        let acceptor = {
            let (stop, answered, connections) = (stop.clone(), answered.clone(), connections.clone());
            thread::spawn(move || {
                for stream in listener.incoming() {
                    if stop.load(Ordering::SeqCst) {
                        break;
                    }
                    let Ok(stream) = stream else { continue };
                    connections.fetch_add(1, Ordering::SeqCst);
                    let (answered, response) = (answered.clone(), response.clone());
                    thread::spawn(move || {
                        // A connection ends when the client closes it or sends what we refuse.
                        let _ = serve(stream, &response, &answered);
                    });
                }
            })
        };
        Ok(Server { address, stop, answered, connections, acceptor: Some(acceptor) })
    }

    /// The endpoint URL, `http://127.0.0.1:PORT`.
    pub fn url(&self) -> String {
        format!("http://{}", self.address)
    }

    /// How many requests were answered so far.
    pub fn answered(&self) -> u64 {
        self.answered.load(Ordering::SeqCst)
    }

    /// How many connections were accepted so far.
    pub fn connections(&self) -> u64 {
        self.connections.load(Ordering::SeqCst)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        // Wakes the acceptor blocked in `accept`, which then sees the flag.
        let _ = TcpStream::connect(self.address);
        if let Some(acceptor) = self.acceptor.take() {
            let _ = acceptor.join();
        }
    }
}

/// Answers the requests of one connection until it closes.
fn serve(stream: TcpStream, response: &[u8], answered: &AtomicU64) -> io::Result<()> {
    stream.set_nodelay(true)?;
    let mut writer = stream.try_clone()?;
    let mut reader = BufReader::new(stream);
    let mut line = String::new();
    let mut body = Vec::new();
    loop {
        // The request line; end of stream here is the client closing an idle connection.
        line.clear();
        if reader.read_line(&mut line)? == 0 {
            return Ok(());
        }
        if !line.starts_with("POST ") {
            return Err(refused("not a POST"));
        }
        let mut length = None;
        loop {
            line.clear();
            if reader.read_line(&mut line)? == 0 {
                return Err(refused("the head ends early"));
            }
            let header = line.trim_end();
            if header.is_empty() {
                break;
            }
            let (name, value) = header.split_once(':').ok_or_else(|| refused("a header without `:`"))?;
            if name.eq_ignore_ascii_case("content-length") {
                length = value.trim().parse::<usize>().ok();
            } else if name.eq_ignore_ascii_case("transfer-encoding") {
                return Err(refused("a chunked body"));
            }
        }
        let length = length.filter(|&n| n <= MAX_BODY).ok_or_else(|| refused("no usable content-length"))?;
        body.resize(length, 0);
        reader.read_exact(&mut body)?;
        writer.write_all(response)?;
        answered.fetch_add(1, Ordering::SeqCst);
    }
}

fn refused(why: &str) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, why.to_string())
}

/// The argument that makes the benchmark binary a server process (see [`ServerProcess`]).
pub const SERVE_ARGUMENT: &str = "--serve-loopback";

/// A [`Server`] in a child process (the benchmark binary re-run with [`SERVE_ARGUMENT`]), so that
/// the server's CPU time is not the benchmark process's: `getrusage(RUSAGE_SELF)` then counts the
/// client alone. The child prints its URL, answers `stats` lines on its stdin with
/// `ANSWERED CONNECTIONS`, and exits when its stdin closes (so also when the benchmark dies).
pub struct ServerProcess {
    child: std::process::Child,
    url: String,
    to_child: Option<std::process::ChildStdin>,
    from_child: BufReader<std::process::ChildStdout>,
}

impl ServerProcess {
    /// Starts this executable as a server answering `200` with `body`.
    pub fn start(body: &str) -> io::Result<ServerProcess> {
        use std::process::{Command, Stdio};
        let mut child = Command::new(std::env::current_exe()?)
            .arg(SERVE_ARGUMENT)
            .arg(body)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()?;
        let to_child = child.stdin.take();
        let mut from_child = BufReader::new(child.stdout.take().ok_or_else(|| refused("no stdout"))?);
        let mut url = String::new();
        from_child.read_line(&mut url)?;
        let url = url.trim().to_string();
        if !url.starts_with("http://") {
            let _ = child.kill();
            return Err(refused("the server process printed no URL"));
        }
        Ok(ServerProcess { child, url, to_child, from_child })
    }

    /// The endpoint URL, `http://127.0.0.1:PORT`.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// How many requests the server answered and connections it accepted so far.
    pub fn stats(&mut self) -> io::Result<(u64, u64)> {
        let to_child = self.to_child.as_mut().ok_or_else(|| refused("the server process is stopped"))?;
        to_child.write_all(b"stats\n")?;
        to_child.flush()?;
        let mut line = String::new();
        self.from_child.read_line(&mut line)?;
        parse_stats(&line).ok_or_else(|| refused("the server process's stats are not two numbers"))
    }
}

impl Drop for ServerProcess {
    fn drop(&mut self) {
        // Closing stdin ends the child.
        drop(self.to_child.take());
        let _ = self.child.wait();
    }
}

/// `ANSWERED CONNECTIONS`, as the server process prints them.
pub fn parse_stats(line: &str) -> Option<(u64, u64)> {
    let mut numbers = line.split_whitespace().map(str::parse::<u64>);
    match (numbers.next(), numbers.next(), numbers.next()) {
        (Some(Ok(answered)), Some(Ok(connections)), None) => Some((answered, connections)),
        _ => None,
    }
}

/// The server process's side of [`ServerProcess`]: serves `body` until stdin closes.
pub fn serve_until_stdin_closes(body: &str) -> io::Result<()> {
    let server = Server::start(body)?;
    let mut out = io::stdout().lock();
    writeln!(out, "{}", server.url())?;
    out.flush()?;
    for line in io::stdin().lock().lines() {
        if line?.trim() == "stats" {
            writeln!(out, "{} {}", server.answered(), server.connections())?;
            out.flush()?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stats_are_exactly_two_numbers() {
        assert_eq!(parse_stats("12 3\n"), Some((12, 3)));
        assert_eq!(parse_stats("12"), None);
        assert_eq!(parse_stats("12 3 4"), None);
        assert_eq!(parse_stats("x 3"), None);
    }
}
