//! What a call tells `tracing` subscribers, with the `tracing` feature: a span per operation
//! (service, operation, attempts made, outcome) and one per attempt (attempt number, HTTP
//! status, request id, duration), and events for the endpoint resolved, the credentials used
//! (whether temporary and when they expire, never the keys) and each retry decision with its
//! delay. Nothing here ever
//! records a header, a body, a credential, a signature or an input member. Without the
//! feature every function is empty and the spans are unit values.

use std::time::Duration;

#[cfg(feature = "tracing")]
pub(crate) use tracing::Span;

/// A span that records nothing, without the `tracing` feature.
#[cfg(not(feature = "tracing"))]
#[derive(Clone, Debug)]
pub(crate) struct Span;

/// The span of one call of `operation` of `service`.
pub(crate) fn operation_span(service: &str, operation: &str) -> Span {
    #[cfg(feature = "tracing")]
    {
        tracing::info_span!(
            "awsgen.operation",
            service,
            operation,
            attempts = tracing::field::Empty,
            outcome = tracing::field::Empty
        )
    }
    #[cfg(not(feature = "tracing"))]
    {
        let _ = (service, operation);
        Span
    }
}

/// The span of attempt `number` of a call, inside the call's span.
pub(crate) fn attempt_span(number: u32) -> Span {
    #[cfg(feature = "tracing")]
    {
        tracing::debug_span!(
            "awsgen.attempt",
            attempt = number,
            status = tracing::field::Empty,
            request_id = tracing::field::Empty,
            duration_ms = tracing::field::Empty
        )
    }
    #[cfg(not(feature = "tracing"))]
    {
        let _ = number;
        Span
    }
}

/// `future`, run inside `span`. A plain function, not an `async fn`: an `async fn` would keep
/// its argument and the future it awaits in separate slots of its state, doubling the size of
/// every call's future (18 KB of a CreateModelPackage call's 27 KB), which is copied as it is
/// moved.
#[cfg(feature = "tracing")]
pub(crate) fn within<F: std::future::Future>(span: &Span, future: F) -> tracing::instrument::Instrumented<F> {
    tracing::Instrument::instrument(future, span.clone())
}

/// `future`, run inside `span` (which records nothing without the `tracing` feature).
#[cfg(not(feature = "tracing"))]
pub(crate) fn within<F: std::future::Future>(span: &Span, future: F) -> F {
    let _ = span;
    future
}

/// Records the response an attempt got: its HTTP status and request id.
pub(crate) fn response_received(span: &Span, status: u16, request_id: Option<&str>) {
    #[cfg(feature = "tracing")]
    {
        span.record("status", status);
        if let Some(request_id) = request_id {
            span.record("request_id", request_id);
        }
    }
    #[cfg(not(feature = "tracing"))]
    let _ = (span, status, request_id);
}

/// Records how long an attempt took.
pub(crate) fn attempt_done(span: &Span, duration: Duration) {
    #[cfg(feature = "tracing")]
    span.record("duration_ms", duration.as_millis() as u64);
    #[cfg(not(feature = "tracing"))]
    let _ = (span, duration);
}

/// Records how a call ended: `ok`, or the error code or kind of failure, and its attempts.
pub(crate) fn operation_done(span: &Span, outcome: &str, attempts: u32) {
    #[cfg(feature = "tracing")]
    {
        span.record("outcome", outcome);
        span.record("attempts", attempts);
    }
    #[cfg(not(feature = "tracing"))]
    let _ = (span, outcome, attempts);
}

/// The endpoint a call goes to (scheme, host and path: an endpoint URL carries no secret).
pub(crate) fn endpoint_resolved(url: &str, user_set: bool) {
    #[cfg(feature = "tracing")]
    tracing::debug!(target: "awsgen::endpoint", endpoint = url, user_set, "endpoint resolved");
    #[cfg(not(feature = "tracing"))]
    let _ = (url, user_set);
}

/// The credentials a call signs with were loaded: whether they carry a session token and
/// when they expire, never a key or a token.
pub(crate) fn credentials_loaded(session: bool, expiry: Option<std::time::SystemTime>) {
    #[cfg(feature = "tracing")]
    {
        let expires_in_s =
            expiry.and_then(|at| at.duration_since(std::time::SystemTime::now()).ok()).map(|left| left.as_secs());
        tracing::debug!(target: "awsgen::credentials", session, expires_in_s, "credentials loaded");
    }
    #[cfg(not(feature = "tracing"))]
    let _ = (session, expiry);
}

/// A retry decision after a failed attempt: `delay` before the next one, or why not.
pub(crate) fn retry_decision(attempt: u32, kind: &str, decision: Result<Duration, &str>) {
    #[cfg(feature = "tracing")]
    match decision {
        Ok(delay) => tracing::debug!(
            target: "awsgen::retry",
            attempt,
            failure = kind,
            delay_ms = delay.as_millis() as u64,
            "retrying"
        ),
        Err(reason) => {
            tracing::debug!(target: "awsgen::retry", attempt, failure = kind, reason, "not retrying")
        }
    }
    #[cfg(not(feature = "tracing"))]
    let _ = (attempt, kind, decision);
}

/// A credentials cache called its provider: the new credentials' expiry, or, when the
/// refresh failed and the old credentials (expiring at `expiry`) are kept, why it failed
/// (provider errors never hold a secret).
pub(crate) fn credentials_refreshed(expiry: Option<std::time::SystemTime>, failure: Option<&str>) {
    #[cfg(feature = "tracing")]
    {
        let expires_in_s =
            expiry.and_then(|at| at.duration_since(std::time::SystemTime::now()).ok()).map(|left| left.as_secs());
        match failure {
            None => tracing::debug!(target: "awsgen::credentials", expires_in_s, "credentials refreshed"),
            Some(error) => tracing::warn!(
                target: "awsgen::credentials",
                expires_in_s,
                error,
                "credentials refresh failed; the current credentials are kept until they expire"
            ),
        }
    }
    #[cfg(not(feature = "tracing"))]
    let _ = (expiry, failure);
}
