//! A moto server (PyPI `moto[server]`, pinned by `cargo xtask test`) for end-to-end tests of the
//! generated client against an independent SageMaker emulator.
//!
//! Each [`MotoServer`] is its own process on its own free port, so tests running in parallel share
//! no state. The server is killed when the value is dropped. What moto does with SageMaker
//! requests, and so what the tests can assert, is written down in `moto_findings.md` beside this
//! file.

use std::fs::File;
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

/// How long a new server has to start answering HTTP before [`MotoServer::start`] gives up.
const START_TIMEOUT: Duration = Duration::from_secs(30);

/// How long one request to the server's own API may take.
const IO_TIMEOUT: Duration = Duration::from_secs(10);

/// The Python of the virtualenv that holds moto: `target/moto-venv/bin/python` under the workspace
/// root, or the path in `MOTO_PYTHON`.
///
/// # Panics
/// If that file does not exist: the end-to-end tests must fail, not skip, when moto is missing.
pub fn moto_python() -> PathBuf {
    let (python, from) = match std::env::var_os("MOTO_PYTHON") {
        Some(path) => (PathBuf::from(path), "MOTO_PYTHON"),
        None => (crate::workspace_root().join("target/moto-venv/bin/python"), "the default location"),
    };
    if !python.exists() {
        panic!(
            "moto's Python not found at {} ({from}). The end-to-end tests need a virtualenv with \
             moto[server]: run `cargo xtask test`, which installs it in target/moto-venv, or set \
             MOTO_PYTHON to the python of a virtualenv that has it.",
            python.display()
        );
    }
    python
}

/// A running `python -m moto.server` on 127.0.0.1, killed on drop.
pub struct MotoServer {
    child: Child,
    port: u16,
    log: PathBuf,
}

impl MotoServer {
    /// Starts a server on a free port and waits until it answers HTTP.
    ///
    /// # Panics
    /// If moto's Python is missing (see [`moto_python`]), the process cannot be spawned, or it does
    /// not answer within 30 s; the message then ends with the tail of the server's log.
    pub fn start() -> MotoServer {
        let python = moto_python();
        let port = free_port();
        let log_dir = crate::workspace_root().join("target/moto-logs");
        std::fs::create_dir_all(&log_dir).unwrap_or_else(|e| panic!("creating {}: {e}", log_dir.display()));
        let log = log_dir.join(format!("moto-{port}-{}-{}.log", std::process::id(), unique_suffix()));
        let stdout = File::create(&log).unwrap_or_else(|e| panic!("creating {}: {e}", log.display()));
        let stderr = stdout.try_clone().unwrap_or_else(|e| panic!("sharing {}: {e}", log.display()));
        let child = Command::new(&python)
            .args(["-m", "moto.server", "-H", "127.0.0.1", "-p", &port.to_string()])
            .stdin(Stdio::null())
            .stdout(stdout)
            .stderr(stderr)
            .spawn()
            .unwrap_or_else(|e| panic!("spawning {} -m moto.server: {e}", python.display()));
        let mut server = MotoServer { child, port, log };
        server.wait_until_ready();
        server
    }

    /// The base URL to point a client at: `http://127.0.0.1:PORT`.
    pub fn endpoint(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// The port the server listens on.
    pub fn port(&self) -> u16 {
        self.port
    }

    /// The file that receives the server's stdout and stderr.
    pub fn log_path(&self) -> &Path {
        &self.log
    }

    /// Forgets every resource the server holds (`POST /moto-api/reset`).
    ///
    /// # Panics
    /// If the request fails or the server does not answer 200.
    pub fn reset(&self) {
        let response = http_request(self.addr(), "POST", "/moto-api/reset")
            .unwrap_or_else(|e| panic!("POST /moto-api/reset to {}: {e}{}", self.endpoint(), self.log_tail()));
        let status = status_code(&response);
        if status != Some(200) {
            panic!(
                "POST /moto-api/reset to {} answered {:?} instead of 200:\n{}{}",
                self.endpoint(),
                status,
                String::from_utf8_lossy(&response),
                self.log_tail()
            );
        }
    }

    fn addr(&self) -> SocketAddr {
        SocketAddr::from(([127, 0, 0, 1], self.port))
    }

    /// Polls until a plain GET gets any HTTP status line back, the process exits or time runs out.
    fn wait_until_ready(&mut self) {
        let deadline = Instant::now() + START_TIMEOUT;
        let mut last_error = String::from("no attempt made");
        while Instant::now() < deadline {
            match self.child.try_wait() {
                Ok(Some(status)) => {
                    panic!("moto server on port {} exited during start-up ({status}){}", self.port, self.log_tail())
                }
                Ok(None) => {}
                Err(e) => panic!("checking on the moto server on port {}: {e}", self.port),
            }
            match http_request(self.addr(), "GET", "/moto-api/") {
                Ok(response) if status_code(&response).is_some() => return,
                Ok(response) => last_error = format!("not an HTTP response: {:?}", String::from_utf8_lossy(&response)),
                Err(e) => last_error = e.to_string(),
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        panic!(
            "moto server on port {} did not answer HTTP within {} s (last attempt: {last_error}){}",
            self.port,
            START_TIMEOUT.as_secs(),
            self.log_tail()
        );
    }

    /// The last lines of the server's log, ready to end a panic message.
    fn log_tail(&self) -> String {
        let text = std::fs::read_to_string(&self.log).unwrap_or_else(|e| format!("(log unreadable: {e})"));
        let lines: Vec<&str> = text.lines().collect();
        let tail = lines[lines.len().saturating_sub(40)..].join("\n");
        format!("\n--- last lines of {} ---\n{tail}\n--- end of log ---", self.log.display())
    }
}

impl Drop for MotoServer {
    fn drop(&mut self) {
        // The process may already be gone; either way it must be reaped.
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A port on 127.0.0.1 that nothing listened on a moment ago.
fn free_port() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").expect("binding 127.0.0.1:0 to find a free port");
    listener.local_addr().expect("reading the bound address").port()
}

/// A value that differs between servers started by one process, for unique log names.
fn unique_suffix() -> u128 {
    SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_nanos()).unwrap_or_default()
}

/// Sends a body-less HTTP/1.1 request with `Connection: close` and returns the raw response.
fn http_request(addr: SocketAddr, method: &str, path: &str) -> std::io::Result<Vec<u8>> {
    let mut stream = TcpStream::connect_timeout(&addr, IO_TIMEOUT)?;
    stream.set_read_timeout(Some(IO_TIMEOUT))?;
    stream.set_write_timeout(Some(IO_TIMEOUT))?;
    write!(stream, "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")?;
    stream.flush()?;
    let mut response = Vec::new();
    stream.read_to_end(&mut response)?;
    Ok(response)
}

/// The status code of a raw HTTP/1.x response, if it starts with a status line.
fn status_code(response: &[u8]) -> Option<u16> {
    let line = response.split(|&b| b == b'\n').next()?;
    let line = std::str::from_utf8(line).ok()?;
    let mut parts = line.split_whitespace();
    if !parts.next()?.starts_with("HTTP/1.") {
        return None;
    }
    parts.next()?.parse().ok()
}
