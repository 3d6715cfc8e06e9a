//! Bodies that need not be in memory whole: [`RequestBody`], what a request sends (bytes, a
//! file, or an async reader of known length, read as the request goes out), and
//! [`ByteStream`], a response body the caller reads as it arrives.
//!
//! Operations with a streaming payload (`streaming: true` in the model: S3's objects, SageMaker
//! Runtime's streamed inferences, Polly's audio) take a `RequestBody` and give a `ByteStream`;
//! every other body is small and read whole. A `ByteStream` holds the connection until it is
//! read to the end or dropped; dropping it early closes that connection rather than returning
//! it to the pool with unread bytes.

use std::fmt;
use std::io;
use std::path::{Path, PathBuf};
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll, ready};

use bytes::{Bytes, BytesMut};
use futures_core::Stream;
use http_body::{Body, Frame, SizeHint};
use tokio::io::{AsyncRead, ReadBuf};

use super::checksum::ChecksumAlgorithm;
use super::checksum::aws_chunked::{self, AwsChunkedBody};

/// How much of a file or reader one chunk of a streamed request holds.
const CHUNK_SIZE: usize = 64 * 1024;

/// A reader a request body streams from.
type BoxedReader = Pin<Box<dyn AsyncRead + Send + Sync>>;

/// What a request sends: bytes in memory, or a stream of known length.
///
/// Bytes and files can be sent again, so a request with them is retried like any other; a
/// reader is read once, so a request streaming from one is sent once (a retry would need the
/// bytes it has already given away).
#[derive(Clone)]
pub struct RequestBody {
    source: Source,
}

#[derive(Clone)]
enum Source {
    Bytes(Bytes),
    /// `length` bytes of the file from `offset`.
    File {
        path: PathBuf,
        offset: u64,
        length: u64,
    },
    /// Taken by the first attempt.
    Reader {
        reader: Arc<Mutex<Option<BoxedReader>>>,
        length: u64,
    },
    /// Another body, `aws-chunked` with a trailing checksum (see `checksum::aws_chunked`).
    AwsChunked {
        inner: Box<RequestBody>,
        algorithm: ChecksumAlgorithm,
    },
}

impl RequestBody {
    /// An empty body.
    pub fn empty() -> Self {
        RequestBody { source: Source::Bytes(Bytes::new()) }
    }

    /// The file at `path`, read as the request is sent. Its length is taken now; a file that
    /// changes length before it is sent fails the request rather than sending a short body.
    pub async fn from_path(path: impl AsRef<Path>) -> io::Result<Self> {
        let path = path.as_ref().to_path_buf();
        let length = tokio::fs::metadata(&path).await?.len();
        Ok(RequestBody { source: Source::File { path, offset: 0, length } })
    }

    /// `length` bytes of the file at `path` from `offset` (one part of a multipart upload),
    /// read as the request is sent. A file too short for the range fails the request.
    pub fn from_path_range(path: impl AsRef<Path>, offset: u64, length: u64) -> Self {
        RequestBody { source: Source::File { path: path.as_ref().to_path_buf(), offset, length } }
    }

    /// `length` bytes read from `reader` as the request is sent. The request is sent once,
    /// without retries.
    pub fn from_reader(reader: impl AsyncRead + Send + Sync + 'static, length: u64) -> Self {
        RequestBody { source: Source::Reader { reader: Arc::new(Mutex::new(Some(Box::pin(reader)))), length } }
    }

    /// The body's length in bytes, as sent (encoded, for an aws-chunked body).
    pub fn len(&self) -> u64 {
        match &self.source {
            Source::Bytes(bytes) => bytes.len() as u64,
            Source::File { length, .. } | Source::Reader { length, .. } => *length,
            Source::AwsChunked { inner, algorithm } => aws_chunked::encoded_length(inner.len(), *algorithm),
        }
    }

    /// This body sent `aws-chunked` with a trailing `algorithm` checksum.
    pub(crate) fn aws_chunked(self, algorithm: ChecksumAlgorithm) -> Self {
        RequestBody { source: Source::AwsChunked { inner: Box::new(self), algorithm } }
    }

    /// Whether the body is sent `aws-chunked` with a trailing checksum (and so signed with
    /// the payload `STREAMING-UNSIGNED-PAYLOAD-TRAILER`).
    pub(crate) fn has_trailer(&self) -> bool {
        matches!(self.source, Source::AwsChunked { .. })
    }

    /// Whether the body is empty.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The bytes, when the body is in memory.
    pub fn bytes(&self) -> Option<&Bytes> {
        match &self.source {
            Source::Bytes(bytes) => Some(bytes),
            _ => None,
        }
    }

    /// Whether the body can be sent again (retried): bytes and files can, readers cannot.
    pub fn is_replayable(&self) -> bool {
        match &self.source {
            Source::Reader { .. } => false,
            Source::AwsChunked { inner, .. } => inner.is_replayable(),
            Source::Bytes(_) | Source::File { .. } => true,
        }
    }

    /// The body as an `http_body::Body` for one attempt: the bytes, or the file opened anew,
    /// or the reader (once; a second call is an error).
    pub(crate) async fn open(&self) -> io::Result<SendBody> {
        let (reader, length): (BoxedReader, u64) = match &self.source {
            Source::Bytes(bytes) => return Ok(SendBody { state: SendState::Bytes(Some(bytes.clone())) }),
            Source::AwsChunked { inner, algorithm } => {
                // Boxed: the future would otherwise contain itself.
                let body = Box::pin(inner.open()).await?;
                let chunked = AwsChunkedBody::new(body, *algorithm, inner.len());
                return Ok(SendBody { state: SendState::AwsChunked(Box::new(chunked)) });
            }
            Source::File { path, offset, length } => {
                let mut file = tokio::fs::File::open(path).await?;
                if *offset > 0 {
                    // The trait's own methods: `AsyncSeekExt` needs tokio's `io-util`.
                    use tokio::io::AsyncSeek as _;
                    Pin::new(&mut file).start_seek(io::SeekFrom::Start(*offset))?;
                    std::future::poll_fn(|cx| Pin::new(&mut file).poll_complete(cx)).await?;
                }
                (Box::pin(file), *length)
            }
            Source::Reader { reader, length } => {
                let taken = reader.lock().map_err(|_| io::Error::other("the body's reader was poisoned"))?.take();
                let reader = taken.ok_or_else(|| {
                    io::Error::other("the body streams from a reader, which was read by an earlier attempt")
                })?;
                (reader, *length)
            }
        };
        Ok(SendBody { state: SendState::Reader { reader, remaining: length, buffer: BytesMut::new() } })
    }
}

impl Default for RequestBody {
    fn default() -> Self {
        Self::empty()
    }
}

impl From<Bytes> for RequestBody {
    fn from(bytes: Bytes) -> Self {
        RequestBody { source: Source::Bytes(bytes) }
    }
}

impl From<Vec<u8>> for RequestBody {
    fn from(bytes: Vec<u8>) -> Self {
        Bytes::from(bytes).into()
    }
}

impl From<String> for RequestBody {
    fn from(text: String) -> Self {
        Bytes::from(text).into()
    }
}

impl From<&'static str> for RequestBody {
    fn from(text: &'static str) -> Self {
        Bytes::from_static(text.as_bytes()).into()
    }
}

impl From<aws_smithy_types::Blob> for RequestBody {
    fn from(blob: aws_smithy_types::Blob) -> Self {
        blob.into_inner().into()
    }
}

impl fmt::Debug for RequestBody {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.source {
            Source::Bytes(bytes) => write!(f, "RequestBody({} bytes)", bytes.len()),
            Source::File { path, offset: 0, length } => {
                write!(f, "RequestBody(file {}, {length} bytes)", path.display())
            }
            Source::File { path, offset, length } => {
                write!(f, "RequestBody(file {}, {length} bytes from byte {offset})", path.display())
            }
            Source::Reader { length, .. } => write!(f, "RequestBody(reader, {length} bytes)"),
            Source::AwsChunked { inner, algorithm } => write!(f, "{inner:?}, aws-chunked with a {algorithm} trailer"),
        }
    }
}

/// Two bodies are equal when they send the same bytes from the same place: equal bytes, the
/// same file, or the very same reader.
impl PartialEq for RequestBody {
    fn eq(&self, other: &Self) -> bool {
        match (&self.source, &other.source) {
            (Source::Bytes(a), Source::Bytes(b)) => a == b,
            (Source::File { path: a, offset: x, length: m }, Source::File { path: b, offset: y, length: n }) => {
                (a, x, m) == (b, y, n)
            }
            (Source::Reader { reader: a, .. }, Source::Reader { reader: b, .. }) => Arc::ptr_eq(a, b),
            (Source::AwsChunked { inner: a, algorithm: x }, Source::AwsChunked { inner: b, algorithm: y }) => {
                a == b && x == y
            }
            _ => false,
        }
    }
}

/// One attempt's request body, as hyper sends it.
pub(crate) struct SendBody {
    state: SendState,
}

enum SendState {
    Bytes(Option<Bytes>),
    AwsChunked(Box<AwsChunkedBody>),
    Reader { reader: BoxedReader, remaining: u64, buffer: BytesMut },
}

impl Body for SendBody {
    type Data = Bytes;
    type Error = io::Error;

    fn poll_frame(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Result<Frame<Bytes>, io::Error>>> {
        match &mut self.state {
            SendState::Bytes(bytes) => Poll::Ready(bytes.take().filter(|b| !b.is_empty()).map(|b| Ok(Frame::data(b)))),
            SendState::AwsChunked(body) => Pin::new(&mut **body).poll_frame(cx),
            SendState::Reader { reader, remaining, buffer } => {
                if *remaining == 0 {
                    return Poll::Ready(None);
                }
                let want = (*remaining).min(CHUNK_SIZE as u64) as usize;
                buffer.resize(want, 0);
                let mut read = ReadBuf::new(&mut buffer[..]);
                ready!(reader.as_mut().poll_read(cx, &mut read))?;
                let filled = read.filled().len();
                if filled == 0 {
                    // The request declared this length: sending fewer bytes would hang or
                    // corrupt the exchange.
                    return Poll::Ready(Some(Err(io::Error::new(
                        io::ErrorKind::UnexpectedEof,
                        format!("the request body ended {remaining} bytes before its declared length"),
                    ))));
                }
                *remaining -= filled as u64;
                let chunk = buffer.split_to(filled).freeze();
                Poll::Ready(Some(Ok(Frame::data(chunk))))
            }
        }
    }

    fn is_end_stream(&self) -> bool {
        match &self.state {
            SendState::Bytes(bytes) => bytes.as_ref().is_none_or(Bytes::is_empty),
            SendState::AwsChunked(body) => body.is_end_stream(),
            SendState::Reader { remaining, .. } => *remaining == 0,
        }
    }

    fn size_hint(&self) -> SizeHint {
        match &self.state {
            SendState::Bytes(bytes) => SizeHint::with_exact(bytes.as_ref().map_or(0, |b| b.len() as u64)),
            SendState::AwsChunked(body) => body.size_hint(),
            SendState::Reader { remaining, .. } => SizeHint::with_exact(*remaining),
        }
    }
}

/// A response body read as it arrives: chunk by chunk with [`next`](ByteStream::next) (or as
/// a `futures_core::Stream`), whole with [`collect`](ByteStream::collect), or into a file with
/// [`write_to_file`](ByteStream::write_to_file). A body cut short by the peer is an error from
/// the stream, never a silent short read.
pub struct ByteStream {
    source: StreamSource,
}

enum StreamSource {
    Bytes(Option<Bytes>),
    Http(hyper::body::Incoming),
    Boxed(Pin<Box<dyn Stream<Item = io::Result<Bytes>> + Send + Sync>>),
}

impl ByteStream {
    /// A stream of these bytes (for tests and test doubles).
    pub fn new(bytes: impl Into<Bytes>) -> Self {
        ByteStream { source: StreamSource::Bytes(Some(bytes.into())) }
    }

    /// A stream of the chunks `stream` gives.
    pub fn from_stream(stream: impl Stream<Item = io::Result<Bytes>> + Send + Sync + 'static) -> Self {
        ByteStream { source: StreamSource::Boxed(Box::pin(stream)) }
    }

    /// The body of a hyper response.
    pub(crate) fn from_incoming(body: hyper::body::Incoming) -> Self {
        ByteStream { source: StreamSource::Http(body) }
    }

    /// The next chunk; `None` at the end.
    pub async fn next(&mut self) -> Option<io::Result<Bytes>> {
        std::future::poll_fn(|cx| Pin::new(&mut *self).poll_next(cx)).await
    }

    /// The whole rest of the body, in memory.
    pub async fn collect(self) -> io::Result<Bytes> {
        self.collect_limited(usize::MAX).await
    }

    /// The whole rest of the body, failing once it has more than `limit` bytes (without
    /// reading further).
    pub async fn collect_limited(mut self, limit: usize) -> io::Result<Bytes> {
        if let StreamSource::Bytes(bytes) = &mut self.source {
            let bytes = bytes.take().unwrap_or_default();
            return if bytes.len() > limit { Err(too_large(limit)) } else { Ok(bytes) };
        }
        let mut all = BytesMut::new();
        while let Some(chunk) = self.next().await {
            let chunk = chunk?;
            if all.len() + chunk.len() > limit {
                return Err(too_large(limit));
            }
            all.extend_from_slice(&chunk);
        }
        Ok(all.freeze())
    }

    /// Writes the rest of the body to a new file at `path` (replacing one that exists), chunk
    /// by chunk, and returns how many bytes were written. On an error the file holds what
    /// arrived before it.
    pub async fn write_to_file(mut self, path: impl AsRef<Path>) -> io::Result<u64> {
        use std::io::Write;
        let path = path.as_ref().to_path_buf();
        let mut file = std::fs::File::create(&path)?;
        let mut written = 0u64;
        while let Some(chunk) = self.next().await {
            let chunk = chunk?;
            // Chunks are at most a few tens of KiB: a blocking write of one is shorter than
            // handing it to another thread.
            file.write_all(&chunk)?;
            written += chunk.len() as u64;
        }
        file.flush()?;
        Ok(written)
    }
}

/// A hyper body error as an I/O error of the kind its cause has: a body cut short is
/// `UnexpectedEof`, whatever hyper calls it.
fn io_error(error: hyper::Error) -> io::Error {
    let mut source: Option<&(dyn std::error::Error + 'static)> = std::error::Error::source(&error);
    let mut kind = if error.is_incomplete_message() { io::ErrorKind::UnexpectedEof } else { io::ErrorKind::Other };
    while let Some(cause) = source {
        if let Some(io) = cause.downcast_ref::<io::Error>() {
            kind = io.kind();
            break;
        }
        source = cause.source();
    }
    io::Error::new(kind, error)
}

fn too_large(limit: usize) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, format!("the body is larger than {limit} bytes"))
}

impl Stream for ByteStream {
    type Item = io::Result<Bytes>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<io::Result<Bytes>>> {
        match &mut self.source {
            StreamSource::Bytes(bytes) => Poll::Ready(bytes.take().filter(|b| !b.is_empty()).map(Ok)),
            StreamSource::Boxed(stream) => stream.as_mut().poll_next(cx),
            StreamSource::Http(body) => loop {
                match ready!(Pin::new(&mut *body).poll_frame(cx)) {
                    None => return Poll::Ready(None),
                    Some(Err(error)) => return Poll::Ready(Some(Err(io_error(error)))),
                    // Trailers carry no body bytes.
                    Some(Ok(frame)) => match frame.into_data() {
                        Ok(data) if data.is_empty() => continue,
                        Ok(data) => return Poll::Ready(Some(Ok(data))),
                        Err(_) => continue,
                    },
                }
            },
        }
    }
}

impl Default for ByteStream {
    fn default() -> Self {
        ByteStream::new(Bytes::new())
    }
}

impl From<Bytes> for ByteStream {
    fn from(bytes: Bytes) -> Self {
        ByteStream::new(bytes)
    }
}

impl From<Vec<u8>> for ByteStream {
    fn from(bytes: Vec<u8>) -> Self {
        ByteStream::new(bytes)
    }
}

impl fmt::Debug for ByteStream {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("ByteStream { .. }")
    }
}

/// Streams are compared by identity, which two values never share: outputs holding one are
/// equal only in their other members' eyes if the streams are both empty in-memory ones.
impl PartialEq for ByteStream {
    fn eq(&self, other: &Self) -> bool {
        matches!((&self.source, &other.source), (StreamSource::Bytes(a), StreamSource::Bytes(b)) if a == b)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn block_on<F: std::future::Future>(future: F) -> F::Output {
        tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(future)
    }

    async fn drain(mut body: SendBody) -> io::Result<Vec<u8>> {
        let mut out = Vec::new();
        while let Some(frame) = std::future::poll_fn(|cx| Pin::new(&mut body).poll_frame(cx)).await {
            if let Ok(data) = frame?.into_data() {
                out.extend_from_slice(&data);
            }
        }
        Ok(out)
    }

    #[test]
    fn bytes_and_files_send_again_readers_once() {
        block_on(async {
            let bytes = RequestBody::from("hello");
            assert_eq!(drain(bytes.open().await.unwrap()).await.unwrap(), b"hello");
            assert_eq!(drain(bytes.open().await.unwrap()).await.unwrap(), b"hello");

            let dir = std::env::temp_dir().join(format!("awsgen-body-{}", std::process::id()));
            std::fs::create_dir_all(&dir).unwrap();
            let path = dir.join("body.bin");
            let content: Vec<u8> = (0..200_000u32).map(|i| (i % 251) as u8).collect();
            std::fs::write(&path, &content).unwrap();
            let file = RequestBody::from_path(&path).await.unwrap();
            assert_eq!(file.len(), 200_000);
            assert!(file.is_replayable());
            assert_eq!(drain(file.open().await.unwrap()).await.unwrap(), content);
            assert_eq!(drain(file.open().await.unwrap()).await.unwrap(), content);

            let reader = RequestBody::from_reader(std::io::Cursor::new(content.clone()), 200_000);
            assert!(!reader.is_replayable());
            assert_eq!(drain(reader.open().await.unwrap()).await.unwrap(), content);
            let again = reader.open().await.err().unwrap();
            assert!(again.to_string().contains("earlier attempt"), "{again}");
            std::fs::remove_dir_all(&dir).unwrap();
        });
    }

    #[test]
    fn a_range_of_a_file_sends_those_bytes_and_a_short_file_fails() {
        block_on(async {
            let path = std::env::temp_dir().join(format!("awsgen-range-{}.bin", std::process::id()));
            let content: Vec<u8> = (0..1000u32).map(|i| (i % 251) as u8).collect();
            std::fs::write(&path, &content).unwrap();
            let part = RequestBody::from_path_range(&path, 300, 500);
            assert_eq!(part.len(), 500);
            assert_eq!(drain(part.open().await.unwrap()).await.unwrap(), &content[300..800]);
            let past_the_end = RequestBody::from_path_range(&path, 900, 200);
            let error = drain(past_the_end.open().await.unwrap()).await.unwrap_err();
            assert_eq!(error.kind(), io::ErrorKind::UnexpectedEof);
            std::fs::remove_file(&path).unwrap();
        });
    }

    #[test]
    fn a_reader_shorter_than_its_length_is_an_error_not_a_short_body() {
        block_on(async {
            let body = RequestBody::from_reader(std::io::Cursor::new(vec![1u8; 10]), 20);
            let error = drain(body.open().await.unwrap()).await.unwrap_err();
            assert_eq!(error.kind(), io::ErrorKind::UnexpectedEof);
            assert!(error.to_string().contains("10 bytes before"), "{error}");
        });
    }

    #[test]
    fn streams_collect_limit_and_write_files() {
        block_on(async {
            let chunks =
                vec![Ok(Bytes::from_static(b"ab")), Ok(Bytes::from_static(b"")), Ok(Bytes::from_static(b"cd"))];
            let stream = ByteStream::from_stream(futures_stream(chunks));
            assert_eq!(stream.collect().await.unwrap(), Bytes::from_static(b"abcd"));

            let chunks = vec![Ok(Bytes::from_static(b"abc")), Ok(Bytes::from_static(b"def"))];
            let error = ByteStream::from_stream(futures_stream(chunks)).collect_limited(4).await.unwrap_err();
            assert!(error.to_string().contains("larger than 4"), "{error}");
            assert!(ByteStream::new("abcdef").collect_limited(4).await.is_err());

            let failing = vec![Ok(Bytes::from_static(b"ab")), Err(io::Error::new(io::ErrorKind::UnexpectedEof, "cut"))];
            let error = ByteStream::from_stream(futures_stream(failing)).collect().await.unwrap_err();
            assert_eq!(error.kind(), io::ErrorKind::UnexpectedEof);

            let path = std::env::temp_dir().join(format!("awsgen-stream-{}.bin", std::process::id()));
            let written = ByteStream::new(vec![7u8; 1000]).write_to_file(&path).await.unwrap();
            assert_eq!(written, 1000);
            assert_eq!(std::fs::read(&path).unwrap(), vec![7u8; 1000]);
            std::fs::remove_file(&path).unwrap();
        });
    }

    /// A `Stream` over a list of chunks.
    fn futures_stream(chunks: Vec<io::Result<Bytes>>) -> impl Stream<Item = io::Result<Bytes>> + Send + Sync {
        struct Chunks(std::collections::VecDeque<io::Result<Bytes>>);
        impl Stream for Chunks {
            type Item = io::Result<Bytes>;
            fn poll_next(mut self: Pin<&mut Self>, _cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
                Poll::Ready(self.0.pop_front())
            }
        }
        Chunks(chunks.into())
    }
}
