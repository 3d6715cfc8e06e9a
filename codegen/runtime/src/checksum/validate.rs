//! Checking a response body against the checksum its headers give.

use std::fmt;
use std::io;
use std::pin::Pin;
use std::task::{Context, Poll, ready};

use bytes::Bytes;
use futures_core::Stream;
use http::HeaderMap;

use super::super::body::ByteStream;
use super::{Checksum, ChecksumAlgorithm};

/// A response body whose checksum is not the one its header gave.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ChecksumMismatch {
    /// The algorithm.
    pub algorithm: ChecksumAlgorithm,
    /// The checksum the response's header gave (base64).
    pub expected: String,
    /// The checksum of the body received (base64).
    pub computed: String,
}

impl fmt::Display for ChecksumMismatch {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "the response body's {} checksum is {}, but its {} header says {}: the body was corrupted on the way",
            self.algorithm,
            self.computed,
            self.algorithm.header_name(),
            self.expected
        )
    }
}

impl std::error::Error for ChecksumMismatch {}

/// The checksum to check a response against: the first of `algorithms` whose header the
/// response has, unless it is a checksum of parts (`<base64>-<parts>`).
fn expected(headers: &HeaderMap, algorithms: &[ChecksumAlgorithm]) -> Option<(ChecksumAlgorithm, String)> {
    algorithms.iter().find_map(|algorithm| {
        let value = headers.get(algorithm.header_name())?.to_str().ok()?;
        (!value.contains('-')).then(|| (*algorithm, value.trim().to_string()))
    })
}

/// Checks a body read whole.
pub fn verify_body(headers: &HeaderMap, body: &[u8], algorithms: &[ChecksumAlgorithm]) -> Result<(), ChecksumMismatch> {
    let Some((algorithm, expected)) = expected(headers, algorithms) else {
        return Ok(());
    };
    let computed = algorithm.checksum_of(body);
    if computed == expected { Ok(()) } else { Err(ChecksumMismatch { algorithm, expected, computed }) }
}

/// `body`, checked as it is read: at its end, a mismatch is an `InvalidData` error from the
/// stream whose inner error is the [`ChecksumMismatch`] (`error.get_ref()` and
/// `downcast_ref`). A body without a checksum to check is given back as it is.
pub fn validating_stream(headers: &HeaderMap, body: ByteStream, algorithms: &[ChecksumAlgorithm]) -> ByteStream {
    match expected(headers, algorithms) {
        None => body,
        Some((algorithm, expected)) => {
            ByteStream::from_stream(Validating { inner: body, checksum: Some(algorithm.hasher()), expected })
        }
    }
}

struct Validating {
    inner: ByteStream,
    /// `None` once the end has been checked.
    checksum: Option<Checksum>,
    expected: String,
}

impl Stream for Validating {
    type Item = io::Result<Bytes>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<io::Result<Bytes>>> {
        let this = &mut *self;
        match ready!(Pin::new(&mut this.inner).poll_next(cx)) {
            Some(Ok(chunk)) => {
                if let Some(checksum) = &mut this.checksum {
                    checksum.update(&chunk);
                }
                Poll::Ready(Some(Ok(chunk)))
            }
            Some(Err(error)) => {
                // A body cut short is that error, not a checksum mismatch.
                this.checksum = None;
                Poll::Ready(Some(Err(error)))
            }
            None => {
                let Some(checksum) = this.checksum.take() else {
                    return Poll::Ready(None);
                };
                let algorithm = checksum.algorithm();
                let computed = checksum.finish();
                if computed == this.expected {
                    Poll::Ready(None)
                } else {
                    let mismatch = ChecksumMismatch { algorithm, expected: this.expected.clone(), computed };
                    Poll::Ready(Some(Err(io::Error::new(io::ErrorKind::InvalidData, mismatch))))
                }
            }
        }
    }
}
