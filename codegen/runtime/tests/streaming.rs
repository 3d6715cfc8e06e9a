//! Streaming payloads through the whole client, against a loopback HTTP/1.1 server: a request
//! body read from a file or a reader as it is sent (signed with an unsigned payload), a
//! response body larger than the whole-body limit read chunk by chunk, a body cut short, and a
//! reader body that is never sent twice.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use awsgen_runtime::body::{ByteStream, RequestBody};
use awsgen_runtime::client::{Handle, HttpResponse, ServiceInfo};
use awsgen_runtime::config::Config;
use awsgen_runtime::credentials::Credentials;
use awsgen_runtime::error::{ErrorMetadata, RequestError};
use awsgen_runtime::operation::{self, Failure, Operation, OperationError};
use awsgen_runtime::path::Path;
use awsgen_runtime::protocol::{ErrorBody, Protocol, ProtocolRequest};
use awsgen_runtime::request_id::Output;
use awsgen_runtime::validate::{Report, Validate};
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpListener;

const SERVICE: ServiceInfo = ServiceInfo {
    protocol: Protocol::AwsJson { version: "1.0", target_prefix: "Streaming" },
    signing_name: "streaming",
    endpoint_prefix: "streaming",
    endpoint_env_name: "STREAMING",
    endpoint_rule_set: None,
    partitions: "",
};

/// `PUT /object` with a streaming body; the output is the streaming response body.
struct Transfer;

#[derive(Debug, Default)]
struct TransferInput {
    body: RequestBody,
}

impl Validate for TransferInput {
    fn validate_into(&self, _path: &Path<'_>, _report: &mut Report) {}
}

#[derive(Debug, Default)]
struct TransferOutput {
    content_type: Option<String>,
    body: ByteStream,
}

impl Output for TransferOutput {
    fn set_request_id(&mut self, _request_id: Option<String>) {}
}

#[derive(Debug)]
enum TransferError {
    Service(ErrorMetadata),
    Request(RequestError),
}

impl From<RequestError> for TransferError {
    fn from(error: RequestError) -> Self {
        TransferError::Request(error)
    }
}

impl OperationError for TransferError {
    const OPERATION: &'static str = "Transfer";

    fn from_service_error(metadata: ErrorMetadata, _body: &ErrorBody) -> Self {
        TransferError::Service(metadata)
    }

    fn failure(&self) -> Failure<'_> {
        match self {
            TransferError::Service(metadata) => Failure::Unmodeled(metadata),
            TransferError::Request(error) => Failure::Request(error),
        }
    }
}

impl Operation for Transfer {
    const NAME: &'static str = "Transfer";
    const STREAMING_OUTPUT: bool = true;
    type Input = TransferInput;
    type Output = TransferOutput;
    type Error = TransferError;

    fn write_request(input: &TransferInput, _service: &ServiceInfo) -> Result<ProtocolRequest, RequestError> {
        let mut request = ProtocolRequest::post(input.body.clone());
        request.method = http::Method::PUT;
        request.path_and_query = "/object".to_string();
        Ok(request)
    }

    fn read_output(_response: &HttpResponse) -> Result<TransferOutput, String> {
        Err("a streaming output is read by read_streaming_output".to_string())
    }

    fn read_streaming_output(head: http::response::Parts, body: ByteStream) -> Result<TransferOutput, String> {
        let content_type = head.headers.get("content-type").and_then(|v| v.to_str().ok()).map(str::to_string);
        Ok(TransferOutput { content_type, body })
    }
}

/// What the server saw of one request.
#[derive(Debug, Default)]
struct Seen {
    head: String,
    body: Vec<u8>,
}

/// How the server answers.
#[derive(Clone, Copy)]
enum Answer {
    /// 200 with `len` bytes of pattern, chunked.
    Stream(usize),
    /// 200 declaring `declared` bytes, sending `sent`, then closing.
    CutShort { declared: usize, sent: usize },
    /// 500, every time.
    ServerError,
}

fn pattern(len: usize) -> Vec<u8> {
    (0..len).map(|i| (i % 253) as u8).collect()
}

/// A loopback server answering every request with `answer`; returns its URL, what it saw and
/// how many requests came.
async fn serve(answer: Answer) -> (String, Arc<std::sync::Mutex<Vec<Seen>>>, Arc<AtomicUsize>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let seen = Arc::new(std::sync::Mutex::new(Vec::new()));
    let count = Arc::new(AtomicUsize::new(0));
    let (seen_in, count_in) = (seen.clone(), count.clone());
    tokio::spawn(async move {
        loop {
            let Ok((stream, _)) = listener.accept().await else { return };
            let (seen, count) = (seen_in.clone(), count_in.clone());
            tokio::spawn(async move {
                let mut reader = BufReader::new(stream);
                loop {
                    let mut head = String::new();
                    loop {
                        let mut line = String::new();
                        if reader.read_line(&mut line).await.unwrap_or(0) == 0 {
                            return;
                        }
                        head.push_str(&line);
                        if line == "\r\n" {
                            break;
                        }
                    }
                    let length: usize = head
                        .lines()
                        .find_map(|l| {
                            l.to_ascii_lowercase().strip_prefix("content-length:").map(|v| v.trim().to_string())
                        })
                        .and_then(|v| v.parse().ok())
                        .unwrap_or(0);
                    let mut body = vec![0; length];
                    reader.read_exact(&mut body).await.unwrap();
                    count.fetch_add(1, Ordering::SeqCst);
                    seen.lock().unwrap().push(Seen { head, body });
                    let stream = reader.get_mut();
                    match answer {
                        Answer::Stream(len) => {
                            stream
                                .write_all(b"HTTP/1.1 200 OK\r\ncontent-type: application/octet-stream\r\ntransfer-encoding: chunked\r\n\r\n")
                                .await
                                .unwrap();
                            for chunk in pattern(len).chunks(100_000) {
                                stream.write_all(format!("{:x}\r\n", chunk.len()).as_bytes()).await.unwrap();
                                stream.write_all(chunk).await.unwrap();
                                stream.write_all(b"\r\n").await.unwrap();
                            }
                            stream.write_all(b"0\r\n\r\n").await.unwrap();
                        }
                        Answer::CutShort { declared, sent } => {
                            let head = format!("HTTP/1.1 200 OK\r\ncontent-length: {declared}\r\n\r\n");
                            stream.write_all(head.as_bytes()).await.unwrap();
                            stream.write_all(&pattern(sent)).await.unwrap();
                            return;
                        }
                        Answer::ServerError => {
                            let body = r#"{"__type": "InternalFailure"}"#;
                            let head =
                                format!("HTTP/1.1 500 Internal Server Error\r\ncontent-length: {}\r\n\r\n", body.len());
                            stream.write_all(head.as_bytes()).await.unwrap();
                            stream.write_all(body.as_bytes()).await.unwrap();
                        }
                    }
                }
            });
        }
    });
    (url, seen, count)
}

fn handle(url: &str) -> Arc<Handle> {
    let config = Config::builder()
        .region("us-east-1")
        .credentials(Credentials::new("AKID", "SECRET", None, None, "test"))
        .endpoint_url(url)
        .build();
    Arc::new(Handle::new(config, SERVICE))
}

#[tokio::test]
async fn a_file_goes_up_streamed_and_a_body_larger_than_the_whole_body_limit_comes_down_in_chunks() {
    let dir = std::env::temp_dir().join(format!("awsgen-streaming-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("upload.bin");
    let upload = pattern(3_000_000);
    std::fs::write(&path, &upload).unwrap();

    // 25 MB: more than the 20 MiB a whole body may have.
    let (url, seen, _) = serve(Answer::Stream(25_000_000)).await;
    let input = TransferInput { body: RequestBody::from_path(&path).await.unwrap() };
    let mut output = operation::send::<Transfer>(handle(&url), input).await.unwrap();
    assert_eq!(output.content_type.as_deref(), Some("application/octet-stream"));
    let (mut total, mut chunks, mut largest) = (0usize, 0usize, 0usize);
    let expected = pattern(25_000_000);
    while let Some(chunk) = output.body.next().await {
        let chunk = chunk.unwrap();
        assert_eq!(&chunk[..], &expected[total..total + chunk.len()]);
        total += chunk.len();
        chunks += 1;
        largest = largest.max(chunk.len());
    }
    assert_eq!(total, 25_000_000);
    assert!(chunks > 10 && largest < 1_000_000, "{chunks} chunks, the largest {largest} bytes");

    let seen = seen.lock().unwrap();
    let head = seen[0].head.to_ascii_lowercase();
    assert!(head.starts_with("put /object http/1.1"), "{head}");
    assert!(head.contains("content-length: 3000000"), "{head}");
    assert!(head.contains("x-amz-content-sha256: unsigned-payload"), "{head}");
    assert!(head.contains("authorization: aws4-hmac-sha256"), "{head}");
    assert!(seen[0].body == upload);
    drop(seen);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[tokio::test]
async fn a_download_cut_short_is_an_error_from_the_stream_and_a_written_file_keeps_what_came() {
    let (url, _, _) = serve(Answer::CutShort { declared: 1_000_000, sent: 300_000 }).await;
    let output = operation::send::<Transfer>(handle(&url), TransferInput::default()).await.unwrap();
    let error = output.body.collect().await.unwrap_err();
    assert_eq!(error.kind(), std::io::ErrorKind::UnexpectedEof, "{error}");

    let output = operation::send::<Transfer>(handle(&url), TransferInput::default()).await.unwrap();
    let path = std::env::temp_dir().join(format!("awsgen-cut-{}.bin", std::process::id()));
    let error = output.body.write_to_file(&path).await.unwrap_err();
    assert_eq!(error.kind(), std::io::ErrorKind::UnexpectedEof);
    let kept = std::fs::metadata(&path).unwrap().len();
    assert!(kept <= 300_000, "{kept}");
    std::fs::remove_file(&path).unwrap();
}

#[tokio::test]
async fn a_reader_body_is_sent_once_and_a_file_body_is_retried() {
    let (url, _, count) = serve(Answer::ServerError).await;
    let input = TransferInput { body: RequestBody::from_reader(std::io::Cursor::new(pattern(1000)), 1000) };
    let error = operation::send::<Transfer>(handle(&url), input).await.unwrap_err();
    assert_eq!(error.code(), Some("InternalFailure"));
    assert_eq!(count.load(Ordering::SeqCst), 1, "a reader body was sent twice");

    let (url, seen, count) = serve(Answer::ServerError).await;
    let path = std::env::temp_dir().join(format!("awsgen-retry-{}.bin", std::process::id()));
    std::fs::write(&path, pattern(5000)).unwrap();
    let input = TransferInput { body: RequestBody::from_path(&path).await.unwrap() };
    let _ = operation::send::<Transfer>(handle(&url), input).await.unwrap_err();
    assert_eq!(count.load(Ordering::SeqCst), 3, "three attempts, the file read each time");
    assert!(seen.lock().unwrap().iter().all(|s| s.body == pattern(5000)));
    std::fs::remove_file(&path).unwrap();
}

#[tokio::test]
async fn dropping_a_stream_early_leaves_the_client_usable() {
    let (url, _, count) = serve(Answer::Stream(5_000_000)).await;
    let handle = handle(&url);
    let mut output = operation::send::<Transfer>(Arc::clone(&handle), TransferInput::default()).await.unwrap();
    let first = output.body.next().await.unwrap().unwrap();
    assert!(!first.is_empty());
    drop(output);
    let output = operation::send::<Transfer>(Arc::clone(&handle), TransferInput::default()).await.unwrap();
    assert_eq!(output.body.collect().await.unwrap().len(), 5_000_000);
    assert_eq!(count.load(Ordering::SeqCst), 2);
}
