//! The `aws-chunked` content encoding with a trailing checksum: how a streamed request body
//! carries a checksum computed while it is sent.
//!
//! The body is cut into chunks of [`CHUNK_SIZE`] bytes (the last one shorter), each sent as
//! `<length in hex>\r\n<bytes>\r\n`; then a last, empty chunk `0\r\n`, the trailer
//! `x-amz-checksum-<algorithm>:<base64>\r\n` and a closing `\r\n`. Chunks have a fixed size so
//! the encoded length is known before sending: S3 wants a `Content-Length` (and the decoded
//! one in `x-amz-decoded-content-length`). The request is signed with the payload
//! `STREAMING-UNSIGNED-PAYLOAD-TRAILER`.

use std::io;
use std::pin::Pin;
use std::task::{Context, Poll, ready};

use bytes::{BufMut, Bytes, BytesMut};
use http_body::{Body, Frame, SizeHint};

use super::super::body::SendBody;
use super::super::protocol::ProtocolRequest;
use super::{Checksum, ChecksumAlgorithm};

/// The bytes of the body in each chunk but the last (S3 wants at least 8 KiB).
pub(crate) const CHUNK_SIZE: usize = 64 * 1024;

/// Makes `request`'s streamed body aws-chunked with a trailing `algorithm` checksum, and adds
/// the headers that say so.
pub(crate) fn encode(request: &mut ProtocolRequest, algorithm: ChecksumAlgorithm) {
    let decoded_length = request.body.len();
    let encoding = match request.headers.get(http::header::CONTENT_ENCODING).and_then(|v| v.to_str().ok()) {
        Some(given) if !given.is_empty() => format!("{given},aws-chunked"),
        _ => "aws-chunked".to_string(),
    };
    let headers = &mut request.headers;
    if let Ok(encoding) = http::HeaderValue::try_from(encoding) {
        headers.insert(http::header::CONTENT_ENCODING, encoding);
    }
    headers.insert("x-amz-trailer", http::HeaderValue::from_static(algorithm.header_name()));
    headers.insert("x-amz-decoded-content-length", http::HeaderValue::from(decoded_length));
    request.body = request.body.clone().aws_chunked(algorithm);
}

/// The length of `decoded_length` bytes aws-chunked with an `algorithm` trailer.
pub(crate) fn encoded_length(decoded_length: u64, algorithm: ChecksumAlgorithm) -> u64 {
    let chunk = |size: u64| format!("{size:x}").len() as u64 + 2 + size + 2;
    let full_chunks = decoded_length / CHUNK_SIZE as u64;
    let rest = decoded_length % CHUNK_SIZE as u64;
    let trailer = algorithm.header_name().len() + 1 + algorithm.encoded_len() + 2;
    full_chunks * chunk(CHUNK_SIZE as u64) + if rest > 0 { chunk(rest) } else { 0 } + 3 + trailer as u64 + 2
}

/// One attempt's aws-chunked body: reads the inner body, and sends it framed, then the
/// trailer.
pub(crate) struct AwsChunkedBody {
    inner: Box<SendBody>,
    /// Body bytes read but not yet sent in a chunk (less than a chunk).
    pending: BytesMut,
    checksum: Option<Checksum>,
    inner_done: bool,
    remaining: u64,
}

impl AwsChunkedBody {
    pub(crate) fn new(inner: SendBody, algorithm: ChecksumAlgorithm, decoded_length: u64) -> Self {
        AwsChunkedBody {
            inner: Box::new(inner),
            pending: BytesMut::new(),
            checksum: Some(algorithm.hasher()),
            inner_done: false,
            remaining: encoded_length(decoded_length, algorithm),
        }
    }

    /// `bytes` framed as one chunk.
    fn chunk(&mut self, bytes: &[u8]) -> Bytes {
        if let Some(checksum) = &mut self.checksum {
            checksum.update(bytes);
        }
        let mut out = BytesMut::with_capacity(bytes.len() + 12);
        out.put_slice(format!("{:x}\r\n", bytes.len()).as_bytes());
        out.put_slice(bytes);
        out.put_slice(b"\r\n");
        out.freeze()
    }

    fn sent(&mut self, frame: Bytes) -> Poll<Option<io::Result<Frame<Bytes>>>> {
        self.remaining = self.remaining.saturating_sub(frame.len() as u64);
        Poll::Ready(Some(Ok(Frame::data(frame))))
    }
}

impl Body for AwsChunkedBody {
    type Data = Bytes;
    type Error = io::Error;

    fn poll_frame(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<io::Result<Frame<Bytes>>>> {
        loop {
            if self.pending.len() >= CHUNK_SIZE {
                let bytes = self.pending.split_to(CHUNK_SIZE);
                let frame = self.chunk(&bytes);
                return self.sent(frame);
            }
            if self.inner_done {
                if !self.pending.is_empty() {
                    let bytes = self.pending.split();
                    let frame = self.chunk(&bytes);
                    return self.sent(frame);
                }
                let Some(checksum) = self.checksum.take() else {
                    return Poll::Ready(None);
                };
                let header = checksum.algorithm().header_name();
                let trailer = format!("0\r\n{header}:{}\r\n\r\n", checksum.finish());
                return self.sent(Bytes::from(trailer));
            }
            match ready!(Pin::new(&mut *self.inner).poll_frame(cx)) {
                None => self.inner_done = true,
                Some(Err(error)) => return Poll::Ready(Some(Err(error))),
                Some(Ok(frame)) => {
                    if let Ok(data) = frame.into_data() {
                        self.pending.extend_from_slice(&data);
                    }
                }
            }
        }
    }

    fn is_end_stream(&self) -> bool {
        self.checksum.is_none()
    }

    fn size_hint(&self) -> SizeHint {
        SizeHint::with_exact(self.remaining)
    }
}

#[cfg(test)]
mod tests {
    use super::super::super::body::RequestBody;
    use super::*;

    fn block_on<F: std::future::Future>(future: F) -> F::Output {
        tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(future)
    }

    /// The encoded bytes of `body` aws-chunked with `algorithm`.
    async fn encoded(body: RequestBody, algorithm: ChecksumAlgorithm) -> Vec<u8> {
        let mut send = body.aws_chunked(algorithm).open().await.unwrap();
        let mut out = Vec::new();
        while let Some(frame) = std::future::poll_fn(|cx| Pin::new(&mut send).poll_frame(cx)).await {
            out.extend_from_slice(&frame.unwrap().into_data().unwrap());
        }
        out
    }

    /// Decodes aws-chunked `bytes`: the body and the trailer line; `None` when malformed.
    fn decode(mut bytes: &[u8]) -> Option<(Vec<u8>, String)> {
        let mut body = Vec::new();
        loop {
            let line_end = bytes.windows(2).position(|w| w == b"\r\n")?;
            let size = usize::from_str_radix(std::str::from_utf8(&bytes[..line_end]).ok()?, 16).ok()?;
            bytes = &bytes[line_end + 2..];
            if size == 0 {
                let trailer = std::str::from_utf8(bytes).ok()?.strip_suffix("\r\n\r\n")?;
                return Some((body, trailer.to_string()));
            }
            body.extend_from_slice(bytes.get(..size)?);
            bytes = bytes.get(size..)?.strip_prefix(b"\r\n")?;
        }
    }

    #[test]
    fn bodies_of_every_size_around_a_chunk_encode_to_their_declared_length_and_decode_back() {
        block_on(async {
            for size in [0, 1, 100, CHUNK_SIZE - 1, CHUNK_SIZE, CHUNK_SIZE + 1, 3 * CHUNK_SIZE + 7] {
                for algorithm in ChecksumAlgorithm::BY_PREFERENCE {
                    let content: Vec<u8> = (0..size).map(|i| (i % 253) as u8).collect();
                    let reader = RequestBody::from_reader(std::io::Cursor::new(content.clone()), size as u64);
                    let declared = reader.clone().aws_chunked(algorithm).len();
                    let bytes = encoded(reader, algorithm).await;
                    assert_eq!(bytes.len() as u64, declared, "{size} bytes, {algorithm}");
                    let (body, trailer) = decode(&bytes).expect("well-formed");
                    assert_eq!(body, content);
                    assert_eq!(trailer, format!("{}:{}", algorithm.header_name(), algorithm.checksum_of(&content)));
                }
            }
        });
    }

    #[test]
    fn a_known_body_encodes_exactly() {
        block_on(async {
            let bytes = encoded(
                RequestBody::from_reader(std::io::Cursor::new(b"Hello world".to_vec()), 11),
                ChecksumAlgorithm::Crc32,
            )
            .await;
            assert_eq!(
                String::from_utf8(bytes).unwrap(),
                "b\r\nHello world\r\n0\r\nx-amz-checksum-crc32:i9aeUg==\r\n\r\n"
            );
        });
    }

    #[test]
    fn a_short_reader_fails_the_body_instead_of_sending_a_wrong_trailer() {
        block_on(async {
            let body =
                RequestBody::from_reader(std::io::Cursor::new(vec![1u8; 10]), 20).aws_chunked(ChecksumAlgorithm::Crc32);
            let mut send = body.open().await.unwrap();
            let mut failed = false;
            while let Some(frame) = std::future::poll_fn(|cx| Pin::new(&mut send).poll_frame(cx)).await {
                if frame.is_err() {
                    failed = true;
                    break;
                }
            }
            assert!(failed);
        });
    }
}
