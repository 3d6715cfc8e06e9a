//! Errors every operation shares: what a service error response said, and why a request could
//! not be made or its response not read.

use std::fmt;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicPtr, Ordering};
use std::time::Duration;

use super::checksum::{ChecksumMismatch, UnsupportedChecksumAlgorithm};
use super::credentials::CredentialsLoadError;
use super::endpoint::EndpointError;
use super::http::HttpError;
use super::retry::{RetryKind, classify_response, classify_transport_error};
use super::sign::SignError;
use super::validate::InvalidInput;

/// What an error response said: its code, message, HTTP status and request id, and how many
/// attempts the call made.
#[derive(Clone, Default)]
pub struct ErrorMetadata {
    /// The error code, e.g. `ValidationException`.
    pub code: String,
    /// The message, if the response had one.
    pub message: Option<String>,
    /// The HTTP status.
    pub status: u16,
    /// The `x-amzn-RequestId` of the response, for AWS support.
    pub request_id: Option<String>,
    /// How many attempts the call made, retries included; 0 for an error read outside a
    /// call (`parse_response`). 16 bits keep errors small; more attempts read as 65535.
    pub attempts: u16,
    /// The same, as `aws_smithy_types` types it, made on first use; and S3's extended request
    /// id, rare enough to live behind the same pointer.
    smithy: LazySmithyMetadata,
}

/// Equal when code, message, status, request id and attempts are.
impl PartialEq for ErrorMetadata {
    fn eq(&self, other: &Self) -> bool {
        (&self.code, &self.message, self.status, &self.request_id, self.attempts)
            == (&other.code, &other.message, other.status, &other.request_id, other.attempts)
    }
}

impl Eq for ErrorMetadata {}

impl fmt::Debug for ErrorMetadata {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ErrorMetadata")
            .field("code", &self.code)
            .field("message", &self.message)
            .field("status", &self.status)
            .field("request_id", &self.request_id)
            .field("extended_request_id", &self.extended_request_id())
            .field("attempts", &self.attempts)
            .finish()
    }
}

impl ErrorMetadata {
    /// Metadata with this code, message, status and request id.
    pub fn new(code: impl Into<String>, message: Option<String>, status: u16, request_id: Option<String>) -> Self {
        ErrorMetadata { code: code.into(), message, status, request_id, ..ErrorMetadata::default() }
    }

    /// The metadata with S3's extended request id (`x-amz-id-2`), when the response had one.
    pub fn with_extended_request_id(mut self, extended_request_id: Option<String>) -> Self {
        self.smithy.set_extended_request_id(extended_request_id);
        self
    }

    /// S3's extended request id (`x-amz-id-2`, its host id), if the response had one.
    pub fn extended_request_id(&self) -> Option<&str> {
        self.smithy.extended_request_id()
    }

    /// What the error is to the retry strategy: throttling, transient, or not retryable,
    /// from its code and status.
    pub fn retry_kind(&self) -> RetryKind {
        classify_response(self.status, Some(&self.code))
    }

    /// The same as the AWS SDKs for Rust type it (`ProvideErrorMetadata::meta`): code, message,
    /// the request id as the `aws_request_id` extra and S3's extended request id as the
    /// `s3_extended_request_id` one.
    pub fn as_smithy(&self) -> &aws_smithy_types::error::ErrorMetadata {
        self.smithy.get_or_init(|| {
            let mut builder = aws_smithy_types::error::ErrorMetadata::builder().code(&self.code);
            if let Some(message) = &self.message {
                builder = builder.message(message);
            }
            if let Some(request_id) = &self.request_id {
                builder = builder.custom("aws_request_id", request_id);
            }
            // Under the name the AWS SDK for Rust's S3 crate gives it.
            if let Some(extended) = self.extended_request_id() {
                builder = builder.custom("s3_extended_request_id", extended);
            }
            builder.build()
        })
    }
}

/// A value made on first use behind one pointer: errors are returned by value, and a
/// `OnceLock<Box<_>>` would add 16 bytes to every one of them, this adds 8 (keeping the
/// operation errors of most services under clippy's `result_large_err` threshold in callers'
/// code). Only callers of `ProvideErrorMetadata::meta` pay for the value. S3's extended request
/// id lives in the same allocation, made when an error has one.
#[derive(Default)]
struct LazySmithyMetadata(AtomicPtr<Extras>);

/// What an error keeps behind its one pointer.
#[derive(Default)]
struct Extras {
    extended_request_id: Option<String>,
    smithy: OnceLock<aws_smithy_types::error::ErrorMetadata>,
}

impl LazySmithyMetadata {
    /// The extras, made (empty) if there are none yet.
    fn extras(&self) -> &Extras {
        let current = self.0.load(Ordering::Acquire);
        if !current.is_null() {
            // SAFETY: a non-null pointer was stored by `Box::into_raw` below and is freed only
            // by `drop`, which needs `&mut self`.
            return unsafe { &*current };
        }
        let made = Box::into_raw(Box::default());
        match self.0.compare_exchange(std::ptr::null_mut(), made, Ordering::AcqRel, Ordering::Acquire) {
            // SAFETY: `made` came from `Box::into_raw` and is now owned by `self`.
            Ok(_) => unsafe { &*made },
            Err(stored) => {
                // Another thread stored its value first: keep that one, free ours.
                // SAFETY: `made` came from `Box::into_raw` and was never shared.
                drop(unsafe { Box::from_raw(made) });
                // SAFETY: as for `current` above.
                unsafe { &*stored }
            }
        }
    }

    fn get_or_init(
        &self,
        make: impl FnOnce() -> aws_smithy_types::error::ErrorMetadata,
    ) -> &aws_smithy_types::error::ErrorMetadata {
        self.extras().smithy.get_or_init(make)
    }

    fn extended_request_id(&self) -> Option<&str> {
        let current = self.0.load(Ordering::Acquire);
        // SAFETY: as in `extras`.
        (!current.is_null()).then(|| unsafe { &*current }).and_then(|extras| extras.extended_request_id.as_deref())
    }

    /// Sets the extended request id; the smithy value, made from it, is made again when asked.
    fn set_extended_request_id(&mut self, extended_request_id: Option<String>) {
        let stored = *self.0.get_mut();
        if stored.is_null() {
            if extended_request_id.is_some() {
                let extras = Extras { extended_request_id, smithy: OnceLock::new() };
                *self.0.get_mut() = Box::into_raw(Box::new(extras));
            }
            return;
        }
        // SAFETY: the pointer came from `Box::into_raw`; `&mut self` means no other reference.
        let extras = unsafe { &mut *stored };
        extras.extended_request_id = extended_request_id;
        extras.smithy = OnceLock::new();
    }
}

impl Drop for LazySmithyMetadata {
    fn drop(&mut self) {
        let stored = *self.0.get_mut();
        if !stored.is_null() {
            // SAFETY: the pointer came from `Box::into_raw` and nothing else frees it.
            drop(unsafe { Box::from_raw(stored) });
        }
    }
}

/// A clone keeps the extended request id and makes its own smithy value when asked.
impl Clone for LazySmithyMetadata {
    fn clone(&self) -> Self {
        let mut clone = LazySmithyMetadata::default();
        clone.set_extended_request_id(self.extended_request_id().map(str::to_string));
        clone
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_extended_request_id_is_kept_behind_the_same_pointer() {
        let plain = ErrorMetadata::new("NoSuchKey", None, 404, Some("r".into()));
        assert_eq!(plain.extended_request_id(), None);
        assert_eq!(plain.as_smithy().extra("s3_extended_request_id"), None);
        let metadata = plain.clone().with_extended_request_id(Some("h/2=".into()));
        assert_eq!(metadata.extended_request_id(), Some("h/2="));
        assert_eq!(metadata.as_smithy().extra("s3_extended_request_id"), Some("h/2="));
        assert_eq!(metadata.clone().extended_request_id(), Some("h/2="));
        // Set after the smithy value was made: it is made again.
        let _ = plain.as_smithy();
        let later = plain.with_extended_request_id(Some("x".into()));
        assert_eq!(later.as_smithy().extra("s3_extended_request_id"), Some("x"));
        assert_eq!(later.with_extended_request_id(None).extended_request_id(), None);
        assert_eq!(std::mem::size_of::<LazySmithyMetadata>(), std::mem::size_of::<usize>());
    }

    #[test]
    fn the_smithy_metadata_is_made_once_and_clones_make_their_own() {
        let metadata = ErrorMetadata::new("Boom", Some("it broke".into()), 500, Some("req-9".into()));
        let first = metadata.as_smithy() as *const _;
        assert_eq!(metadata.as_smithy() as *const _, first);
        assert_eq!(metadata.as_smithy().code(), Some("Boom"));
        assert_eq!(metadata.as_smithy().message(), Some("it broke"));
        assert_eq!(metadata.as_smithy().extra("aws_request_id"), Some("req-9"));
        let clone = metadata.clone();
        assert_eq!(clone, metadata);
        assert_ne!(clone.as_smithy() as *const _, first);
        assert_eq!(clone.as_smithy().code(), Some("Boom"));
        assert!(!format!("{metadata:?}").contains("smithy"));
        let shared = std::sync::Arc::new(ErrorMetadata::new("Race", None, 400, None));
        let threads: Vec<_> = (0..4)
            .map(|_| {
                let shared = shared.clone();
                std::thread::spawn(move || shared.as_smithy() as *const _ as usize)
            })
            .collect();
        let seen: Vec<usize> = threads.into_iter().map(|t| t.join().unwrap()).collect();
        assert!(seen.iter().all(|p| *p == seen[0]), "every thread sees the one stored value");
    }
}

impl fmt::Display for ErrorMetadata {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.code)?;
        if let Some(message) = &self.message {
            write!(f, ": {message}")?;
        }
        write_status_and_request_id(f, self.status, self.request_id.as_deref())
    }
}

impl std::error::Error for ErrorMetadata {}

/// Writes ` (HTTP 400, request id abc)`.
pub fn write_status_and_request_id(f: &mut fmt::Formatter<'_>, status: u16, request_id: Option<&str>) -> fmt::Result {
    match request_id {
        Some(id) => write!(f, " (HTTP {status}, request id {id})"),
        None => write!(f, " (HTTP {status})"),
    }
}

/// Why a request could not be made, or its response could not be read.
#[non_exhaustive]
#[derive(Debug)]
pub enum RequestError {
    /// The input failed the checks run before sending (required members, constraints).
    InvalidInput(InvalidInput),
    /// The client is not set up to send: no region, an invalid region or endpoint.
    Config(String),
    /// The endpoint rules give no endpoint for this configuration (e.g. FIPS in a partition
    /// without FIPS endpoints), or the rule set cannot be used.
    Endpoint(EndpointError),
    /// No credentials could be loaded.
    Credentials(CredentialsLoadError),
    /// The request could not be signed.
    Signing(SignError),
    /// The request failed on the way: connection, I/O, TLS, an attempt's timeout.
    Http(HttpError),
    /// The whole call, retries included, took longer than the operation timeout.
    OperationTimeout(Duration),
    /// The response could not be read: a body that is not JSON (an HTML page from a proxy,
    /// empty, truncated) or does not fit the output.
    MalformedResponse {
        /// The HTTP status.
        status: u16,
        /// The response's request id, if any.
        request_id: Option<String>,
        /// What is wrong with it.
        reason: String,
        /// The start of the body.
        excerpt: String,
    },
    /// The caller asked for a request checksum algorithm this client does not compute.
    UnsupportedChecksum(UnsupportedChecksumAlgorithm),
    /// A response body read whole does not have the checksum its header gave (a streamed
    /// body reports this from its stream instead).
    ChecksumMismatch(ChecksumMismatch),
    /// A paginator stopped: the service gave the same page token twice in a row, so the next
    /// page would have been the same again (botocore raises `PaginationError` here).
    RepeatedPageToken {
        /// The output's token member, e.g. `NextToken`.
        token_name: &'static str,
        /// The token, as `Debug` prints it.
        token: String,
    },
}

impl fmt::Display for RequestError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RequestError::InvalidInput(e) => write!(f, "{e}"),
            RequestError::Config(e) => write!(f, "the client is not configured to send: {e}"),
            RequestError::Endpoint(e) => write!(f, "no endpoint: {e}"),
            RequestError::Credentials(e) => write!(f, "{e}"),
            RequestError::Signing(e) => write!(f, "{e}"),
            RequestError::Http(e) => write!(f, "{e}"),
            RequestError::OperationTimeout(limit) => write!(f, "the call did not complete within {limit:?}"),
            RequestError::UnsupportedChecksum(e) => write!(f, "{e}"),
            RequestError::ChecksumMismatch(e) => write!(f, "{e}"),
            RequestError::MalformedResponse { status, request_id, reason, excerpt } => {
                write!(f, "unreadable response: {reason}")?;
                write_status_and_request_id(f, *status, request_id.as_deref())?;
                write!(f, "; body starts {excerpt:?}")
            }
            RequestError::RepeatedPageToken { token_name, token } => write!(
                f,
                "paginator stopped: the service returned the same {token_name} twice in a row ({token}), \
                 so the next page would repeat the last"
            ),
        }
    }
}

impl RequestError {
    /// What the failure is to the retry strategy: connection and I/O failures are transient,
    /// timeouts are timeouts, an unreadable response counts as its status does.
    pub fn retry_kind(&self) -> RetryKind {
        match self {
            RequestError::Http(error) => classify_transport_error(error),
            // A proxy's HTML page on a 502 is as transient as the 502 itself.
            RequestError::MalformedResponse { status, .. } => classify_response(*status, None),
            // The body was damaged on the way: the next attempt may get it whole.
            RequestError::ChecksumMismatch(_) => RetryKind::Transient,
            _ => RetryKind::NotRetryable,
        }
    }

    /// How many attempts the call made, when it failed on the way (an HTTP failure).
    pub fn attempts(&self) -> Option<u32> {
        match self {
            RequestError::Http(error) => Some(error.attempts()).filter(|n| *n > 0),
            _ => None,
        }
    }
}

impl std::error::Error for RequestError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            RequestError::InvalidInput(e) => Some(e),
            RequestError::Endpoint(e) => Some(e),
            RequestError::Credentials(e) => Some(e),
            RequestError::Signing(e) => Some(e),
            RequestError::Http(e) => Some(e),
            RequestError::UnsupportedChecksum(e) => Some(e),
            RequestError::ChecksumMismatch(e) => Some(e),
            _ => None,
        }
    }
}
