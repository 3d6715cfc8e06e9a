//! Errors every operation shares: what a service error response said, and why a request could
//! not be made or its response not read.

use std::fmt;

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
}

impl fmt::Display for RequestError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RequestError::InvalidInput(e) => write!(f, "{e}"),
        }
    }
}

impl std::error::Error for RequestError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            RequestError::InvalidInput(e) => Some(e),
        }
    }
}
