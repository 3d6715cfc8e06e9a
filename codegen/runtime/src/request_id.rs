//! Request ids: AWS answers every request with an id (`x-amzn-RequestId`), the one thing its
//! support asks for about a call. Outputs carry it as errors do, read through [`RequestId`].

use serde_json::Value;

use super::error::{ErrorMetadata, RequestError};
use super::json::{FromJson, JsonError};
use super::path::Path;

/// The id AWS gave the request a value came from.
pub trait RequestId {
    /// The response's `x-amzn-RequestId`, if it had one.
    fn request_id(&self) -> Option<&str>;

    /// S3's extended request id (the `x-amz-id-2` header, its host id), which S3 support asks
    /// for beside the request id; `None` for other services.
    fn extended_request_id(&self) -> Option<&str> {
        None
    }
}

/// An operation's output as the client reads it: the response's members, then the request id
/// of the response. Implemented by the generated output types.
pub trait Output {
    /// Records the request id of the response the output was read from.
    fn set_request_id(&mut self, request_id: Option<String>);

    /// Records S3's extended request id (`x-amz-id-2`); outputs of other services drop it.
    fn set_extended_request_id(&mut self, _extended_request_id: Option<String>) {}
}

/// What an output knows of the response it was read from: its request id. It takes no part
/// in comparisons: two outputs with the same members are equal whichever responses they came
/// from, as two reads of the same resource should be.
#[derive(Clone, Debug, Default)]
pub struct ResponseMetadata {
    request_id: Option<String>,
    extended_request_id: Option<String>,
}

impl ResponseMetadata {
    /// The metadata of a response with this request id.
    pub fn new(request_id: Option<String>) -> Self {
        ResponseMetadata { request_id, extended_request_id: None }
    }

    /// Records S3's extended request id (`x-amz-id-2`).
    pub fn set_extended_request_id(&mut self, extended_request_id: Option<String>) {
        self.extended_request_id = extended_request_id;
    }
}

impl PartialEq for ResponseMetadata {
    fn eq(&self, _other: &Self) -> bool {
        true
    }
}

impl Eq for ResponseMetadata {}

impl RequestId for ResponseMetadata {
    fn request_id(&self) -> Option<&str> {
        self.request_id.as_deref()
    }

    fn extended_request_id(&self) -> Option<&str> {
        self.extended_request_id.as_deref()
    }
}

/// The output of an operation the model gives none: the request id alone.
#[non_exhaustive]
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct NoOutput {
    metadata: ResponseMetadata,
}

/// Any body is accepted: the model says nothing of it.
impl FromJson for NoOutput {
    fn from_json(_value: &Value, _path: &Path<'_>) -> Result<Self, JsonError> {
        Ok(NoOutput::default())
    }
}

impl Output for NoOutput {
    fn set_request_id(&mut self, request_id: Option<String>) {
        self.metadata = ResponseMetadata::new(request_id);
    }
}

impl RequestId for NoOutput {
    fn request_id(&self) -> Option<&str> {
        self.metadata.request_id()
    }
}

impl RequestId for ErrorMetadata {
    fn request_id(&self) -> Option<&str> {
        self.request_id.as_deref()
    }

    fn extended_request_id(&self) -> Option<&str> {
        ErrorMetadata::extended_request_id(self)
    }
}

/// Only a response that could not be read has one: the other failures happen before a
/// response, or without one.
impl RequestId for RequestError {
    fn request_id(&self) -> Option<&str> {
        match self {
            RequestError::MalformedResponse { request_id, .. } => request_id.as_deref(),
            _ => None,
        }
    }
}
