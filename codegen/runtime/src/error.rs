//! Errors every operation shares: what a service error response said, and why a request could
//! not be made or its response not read.

use std::fmt;

use std::time::Duration;

use super::credentials::CredentialsLoadError;
use super::endpoint::EndpointError;
use super::http::HttpError;
use super::sign::SignError;
use super::validate::InvalidInput;

/// What an error response said: its code, message, HTTP status and request id.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ErrorMetadata {
    /// The error code, e.g. `ValidationException`.
    pub code: String,
    /// The message, if the response had one.
    pub message: Option<String>,
    /// The HTTP status.
    pub status: u16,
    /// The `x-amzn-RequestId` of the response, for AWS support.
    pub request_id: Option<String>,
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

impl std::error::Error for RequestError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            RequestError::InvalidInput(e) => Some(e),
            RequestError::Endpoint(e) => Some(e),
            RequestError::Credentials(e) => Some(e),
            RequestError::Signing(e) => Some(e),
            RequestError::Http(e) => Some(e),
            _ => None,
        }
    }
}
