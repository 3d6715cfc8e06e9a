//! What a generated operation is to the runtime, with everything that is the same for every
//! operation written once here: a generated crate implements [`Operation`] and
//! [`OperationError`] with only what differs (names, types, the error variants, idempotency
//! tokens, host labels), and calls [`send`], [`prepare_request`] and [`parse_response`].

use std::error::Error;
use std::fmt;
use std::future::Future;
use std::sync::Arc;

use super::body::ByteStream;
use super::client::{self, Call, Handle, HttpRequest, HttpResponse, ResponseHead, ServiceInfo};
use super::error::{ErrorMetadata, RequestError, write_status_and_request_id};
use super::protocol::{ErrorBody, ProtocolRequest};
use super::request_id::{Output, RequestId};
use super::retry::RetryKind;
use super::sign::PresignedRequest;
use super::validate::Validate;

/// One operation of a service: implemented by a unit struct per operation in the generated
/// crate (`operation::create_model_package::CreateModelPackage`).
pub trait Operation: 'static {
    /// The operation's name in the model, e.g. `CreateModelPackage`.
    const NAME: &'static str;
    /// The operation is sent without a signature (`authtype: none`): STS's
    /// AssumeRoleWithWebIdentity, for one, is how a caller without credentials gets some.
    const UNSIGNED: bool = false;
    /// What the caller sends.
    type Input: Validate;
    /// What a success gives.
    type Output: Output;
    /// Why a call fails.
    type Error: OperationError;

    /// Fills the idempotency tokens the caller left empty, once per call so that every retry
    /// sends the same token. Operations without idempotency tokens keep the default.
    fn fill_idempotency_tokens(_input: &mut Self::Input, _handle: &Handle) {}

    /// What the runtime needs to know about a call besides its input: its host prefix and
    /// host labels and the request compression it accepts. The default has none of them.
    fn call(_input: &Self::Input) -> Call<'_> {
        Call::new(Self::NAME)
    }

    /// The request for `input` as the service's protocol writes it (method, path, query,
    /// headers, body), before the endpoint, compression and signature are added.
    fn write_request(input: &Self::Input, service: &ServiceInfo) -> Result<ProtocolRequest, RequestError>;

    /// The output of a successful response, with its request id; `Err` says why the response
    /// does not fit the output.
    fn read_output(response: &HttpResponse) -> Result<Self::Output, String>;

    /// The output has a streaming payload: a successful response is handed to
    /// [`read_streaming_output`](Operation::read_streaming_output) with its body unread, and
    /// not to [`read_output`](Operation::read_output).
    const STREAMING_OUTPUT: bool = false;

    /// A `200 OK` whose body is an `<Error>` (or is cut short) is an error: S3's operations
    /// whose output is not a blob or string payload (see
    /// [`is_error_in_ok_body`](super::protocol::rest_xml::is_error_in_ok_body)).
    const ERROR_IN_OK_BODY: bool = false;

    /// The output of a successful response whose body is the output's streaming payload; the
    /// other members come from `head`. Called only when `STREAMING_OUTPUT` is set.
    fn read_streaming_output(_head: ResponseHead, _body: ByteStream) -> Result<Self::Output, String> {
        Err(format!("{} has no streaming output", Self::NAME))
    }
}

/// Sends a call of `O` with `input`: fills its idempotency tokens, checks it, then sends it
/// with retries and reads the output or the error.
///
/// Not an `async fn`: one would keep its arguments and their moved copies in separate slots of
/// its state, and the input (2 KB for SageMaker's CreateModelPackage) twice. The block below
/// owns them once and lends them to the call.
#[allow(clippy::manual_async_fn)] // deliberately not an `async fn`: see above
pub fn send<O: Operation>(
    handle: Arc<Handle>,
    mut input: O::Input,
) -> impl Future<Output = Result<O::Output, O::Error>> + use<O> {
    async move {
        O::fill_idempotency_tokens(&mut input, &handle);
        #[cfg(feature = "test-util")]
        if let Some(rules) = &handle.config().test_rules {
            return rules.answer::<O>(handle.service(), &input);
        }
        client::invoke::<O>(&handle, &O::call(&input), &input).await
    }
}

/// The signed request the first attempt of a call of `O` with `input` sends, without sending
/// it (see [`client::prepare_request`]).
pub async fn prepare_request<O: Operation>(handle: &Handle, mut input: O::Input) -> Result<HttpRequest, O::Error> {
    O::fill_idempotency_tokens(&mut input, handle);
    client::prepare_request::<O>(handle, &O::call(&input), &input).await.map_err(O::Error::from)
}

/// The presigned request of a call of `O` with `input`, valid for `expires_in` (see
/// [`client::presign`]).
pub async fn presign<O: Operation>(
    handle: &Handle,
    mut input: O::Input,
    expires_in: std::time::Duration,
) -> Result<PresignedRequest, O::Error> {
    O::fill_idempotency_tokens(&mut input, handle);
    client::presign::<O>(handle, &O::call(&input), &input, expires_in).await.map_err(O::Error::from)
}

/// Reads a response to a call of `O` as the call reads the response of its last attempt (see
/// [`client::parse_response`]).
pub fn parse_response<O: Operation>(service: &ServiceInfo, response: &HttpResponse) -> Result<O::Output, O::Error> {
    client::parse_response::<O>(service, response)
}

/// How a call failed, as every operation's error type can say it.
#[derive(Clone, Copy, Debug)]
pub enum Failure<'a> {
    /// The service answered with an error the model defines: the error, and what the response
    /// said besides its members.
    Modeled(&'a (dyn Error + Send + Sync + 'static), &'a ErrorMetadata),
    /// The service answered with an error the model does not define for the operation.
    Unmodeled(&'a ErrorMetadata),
    /// The request could not be made, or its response could not be read.
    Request(&'a RequestError),
}

/// An operation's error type: a variant per modelled error, one for other service errors and
/// one for request failures. The generated code says which variant is which
/// ([`failure`](OperationError::failure)); the rest (what the response said, the message,
/// `Display`, `source`) is written once, here.
pub trait OperationError: From<RequestError> + Sized {
    /// The operation's name, which the error's message starts with.
    const OPERATION: &'static str;

    /// The error for a service error response whose code and message are in `metadata` and
    /// whose members are read from `body`.
    fn from_service_error(metadata: ErrorMetadata, body: &ErrorBody) -> Self;

    /// Which kind of failure this is.
    fn failure(&self) -> Failure<'_>;

    /// What the service's error response said (code, message, HTTP status, request id), if
    /// the service answered with an error.
    fn metadata(&self) -> Option<&ErrorMetadata> {
        match self.failure() {
            Failure::Modeled(_, metadata) | Failure::Unmodeled(metadata) => Some(metadata),
            Failure::Request(_) => None,
        }
    }

    /// The service's error code, if the service answered with an error.
    fn code(&self) -> Option<&str> {
        self.metadata().map(|metadata| metadata.code.as_str())
    }

    /// The service's error message, if it answered with an error that has one.
    fn message(&self) -> Option<&str> {
        self.metadata().and_then(|metadata| metadata.message.as_deref())
    }

    /// What the failure is to the retry strategy (see [`RetryKind`]).
    fn retry_kind(&self) -> RetryKind {
        match self.failure() {
            Failure::Modeled(_, metadata) | Failure::Unmodeled(metadata) => metadata.retry_kind(),
            Failure::Request(error) => error.retry_kind(),
        }
    }

    /// Whether the failure may pass if the call is made again later: throttling, a
    /// transient service error, a connection failure or a timeout. The client has already
    /// retried it as its retry settings allow.
    fn is_retryable(&self) -> bool {
        self.retry_kind().is_retryable()
    }

    /// Whether the service asked the client to slow down.
    fn is_throttling(&self) -> bool {
        self.retry_kind() == RetryKind::Throttling
    }

    /// How many attempts the call made, retries included: for a service error or an HTTP
    /// failure of a call (not for a response read with `parse_response`, nor a failure before
    /// anything was sent).
    fn attempts(&self) -> Option<u32> {
        match self.failure() {
            Failure::Modeled(_, metadata) | Failure::Unmodeled(metadata) => {
                Some(u32::from(metadata.attempts)).filter(|n| *n > 0)
            }
            Failure::Request(error) => error.attempts(),
        }
    }
}

/// `ProvideErrorMetadata::meta` of an operation error: what the service's error response
/// said, as the AWS SDKs for Rust type it; empty for a request failure.
pub fn smithy_metadata<E: OperationError>(error: &E) -> &aws_smithy_types::error::ErrorMetadata {
    failure_smithy_metadata(error.failure())
}

// The generic functions of this module are shims over functions of a `Failure`: a crate with
// hundreds of operations compiles each shim once per operation, so they stay a line long.
fn failure_smithy_metadata(failure: Failure<'_>) -> &aws_smithy_types::error::ErrorMetadata {
    static NONE: std::sync::OnceLock<aws_smithy_types::error::ErrorMetadata> = std::sync::OnceLock::new();
    match failure {
        Failure::Modeled(_, metadata) | Failure::Unmodeled(metadata) => metadata.as_smithy(),
        Failure::Request(_) => NONE.get_or_init(|| aws_smithy_types::error::ErrorMetadata::builder().build()),
    }
}

/// A modelled error structure: its members come from the response, the rest of what the
/// response said goes into its metadata.
pub trait ModeledError: Default {
    /// Where the error keeps its metadata.
    fn metadata_mut(&mut self) -> &mut ErrorMetadata;

    /// The error's members, read from an error response by the service's protocol; `None`
    /// when the response does not fit the shape.
    fn read_members(body: &ErrorBody) -> Option<Self>;

    /// The error from a response whose code named it. A body that does not fit the shape
    /// still gives the error, with the members it could not read left empty: the code is what
    /// identifies it.
    fn from_response(metadata: ErrorMetadata, body: &ErrorBody) -> Self {
        let mut error = Self::read_members(body).unwrap_or_default();
        *error.metadata_mut() = metadata;
        error
    }
}

/// `Display` of an operation error: `CreateModelPackage failed: ` and the failure, with the
/// HTTP status and request id of a service error.
pub fn fmt_error<E: OperationError>(error: &E, f: &mut fmt::Formatter<'_>) -> fmt::Result {
    fmt_failure(E::OPERATION, error.failure(), f)
}

fn fmt_failure(operation: &str, failure: Failure<'_>, f: &mut fmt::Formatter<'_>) -> fmt::Result {
    write!(f, "{operation} failed: ")?;
    match failure {
        Failure::Modeled(error, metadata) => {
            write!(f, "{error}")?;
            write_status_and_request_id(f, metadata.status, metadata.request_id.as_deref())
        }
        Failure::Unmodeled(metadata) => write!(f, "{metadata}"),
        Failure::Request(error) => write!(f, "{error}"),
    }
}

/// `Error::source` of an operation error: the modelled error, the metadata of another service
/// error, or the request error.
pub fn error_source<E: OperationError>(error: &E) -> Option<&(dyn Error + 'static)> {
    failure_source(error.failure())
}

fn failure_source(failure: Failure<'_>) -> Option<&(dyn Error + 'static)> {
    match failure {
        Failure::Modeled(error, _) => Some(error),
        Failure::Unmodeled(metadata) => Some(metadata),
        Failure::Request(error) => Some(error),
    }
}

/// The request id of the response an operation error came from, if it had one.
pub fn error_request_id<E: OperationError>(error: &E) -> Option<&str> {
    failure_request_id(error.failure())
}

fn failure_request_id(failure: Failure<'_>) -> Option<&str> {
    match failure {
        Failure::Request(error) => error.request_id(),
        Failure::Modeled(_, metadata) | Failure::Unmodeled(metadata) => metadata.request_id.as_deref(),
    }
}

/// S3's extended request id (`x-amz-id-2`) of the response an operation's error came from.
pub fn error_extended_request_id<E: OperationError>(error: &E) -> Option<&str> {
    failure_extended_request_id(error.failure())
}

fn failure_extended_request_id(failure: Failure<'_>) -> Option<&str> {
    match failure {
        Failure::Request(_) => None,
        Failure::Modeled(_, metadata) | Failure::Unmodeled(metadata) => metadata.extended_request_id(),
    }
}
