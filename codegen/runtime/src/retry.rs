//! The AWS "standard" and "adaptive" retry modes.
//!
//! - [`RetryConfig`]: how many attempts (3 by default, 1 when [disabled](RetryConfig::disabled))
//!   and the backoff: before attempt `n + 1` the client waits
//!   `random[0, 1) × min(initial × 2^(n − 1), max)`, with `initial` 1 s and `max` 20 s.
//! - [`RetryKind`]: what a failed attempt was, from [`classify_response`] (HTTP status and
//!   service error code) or [`classify_transport_error`] (no response).
//! - [`RetryQuota`]: a token bucket shared by all calls of one client, so that a struggling
//!   service is not hammered with retries. It holds 500 tokens; a retry costs 5 (10 after a
//!   timeout); a successful call gives back what its last retry cost, or 1 when it needed none.
//!   When the bucket cannot pay for a retry, the call fails with its last error.
//! - [`RetryStrategy`]: the three together, with an injectable random source; it decides per
//!   call through a [`RetryState`], or runs a whole call with [`RetryStrategy::run`].
//! - [`RetryMode::Adaptive`] adds the client-side rate limiter of
//!   [`rate_limit`](super::rate_limit): after a throttle, attempts wait for a token.
//!
//! Sources: "Retry behavior" in the AWS SDKs and Tools Reference Guide, smithy-rs's
//! `aws-smithy-runtime` standard strategy and token bucket, and botocore's `retries/standard.py`.
//! Where they differ, this module follows the project's spec; see the notes on
//! [`TRANSIENT_ERROR_CODES`], [`THROTTLING_STATUS_CODES`] and [`RetryKind::retry_cost`].

use std::fmt;
use std::future::Future;
use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::Duration;

use super::http::{HttpError, HttpErrorKind};
use super::rate_limit::ClientRateLimiter;

/// Service error codes that mean "slow down" (the union the AWS SDKs use).
pub const THROTTLING_ERROR_CODES: &[&str] = &[
    "Throttling",
    "ThrottlingException",
    "ThrottledException",
    "RequestThrottledException",
    "TooManyRequestsException",
    "ProvisionedThroughputExceededException",
    "TransactionInProgressException",
    "RequestLimitExceeded",
    "BandwidthLimitExceeded",
    "LimitExceededException",
    "RequestThrottled",
    "SlowDown",
    "PriorRequestNotComplete",
    "EC2ThrottledException",
];

/// Service error codes for failures that may pass on a second try.
///
/// smithy-rs lists `RequestTimeout` and `RequestTimeoutException`; botocore adds
/// `PriorRequestNotComplete` (here a throttling code, as in smithy-rs). `InternalError` is our
/// addition: S3-style services send it with a 500, which is retried anyway, and some send it
/// with other statuses.
pub const TRANSIENT_ERROR_CODES: &[&str] = &["RequestTimeout", "RequestTimeoutException", "InternalError"];

/// HTTP statuses that mean a transient server failure.
pub const TRANSIENT_STATUS_CODES: &[u16] = &[500, 502, 503, 504];

/// HTTP statuses that mean throttling even without a known error code.
///
/// `429 Too Many Requests`: botocore (1.44) retries it as throttling; smithy-rs does not retry
/// a 429 whose error code it does not know.
pub const THROTTLING_STATUS_CODES: &[u16] = &[429];

/// Tokens in a new [`RetryQuota`].
pub const QUOTA_CAPACITY: u32 = 500;
/// Tokens a retry costs.
pub const RETRY_COST: u32 = 5;
/// Tokens a retry costs after a timeout.
pub const TIMEOUT_RETRY_COST: u32 = 10;
/// Tokens a call that needed no retry gives back.
pub const NO_RETRY_INCREMENT: u32 = 1;

/// What a failed attempt was, as far as retrying goes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum RetryKind {
    /// The service asked the client to slow down.
    Throttling,
    /// A failure that may pass: a 5xx, a transient error code, a connection or I/O error.
    Transient,
    /// The attempt timed out.
    Timeout,
    /// Retrying would not help (a client error, a validation error, ...).
    NotRetryable,
}

impl RetryKind {
    /// Whether this kind of failure may be retried.
    pub fn is_retryable(self) -> bool {
        self != RetryKind::NotRetryable
    }

    /// Tokens a retry after this failure takes from the [`RetryQuota`]; `None` when it is not
    /// retried.
    ///
    /// 5, or 10 after a timeout, as in the SDKs reference and aws-sdk-js-v3. smithy-rs charges
    /// 10 for every "transient" failure (timeouts, I/O errors and 5xx alike) and 5 for
    /// throttling; botocore 1.44 charges 14 for anything but throttling (5).
    pub fn retry_cost(self) -> Option<u32> {
        match self {
            RetryKind::Throttling | RetryKind::Transient => Some(RETRY_COST),
            RetryKind::Timeout => Some(TIMEOUT_RETRY_COST),
            RetryKind::NotRetryable => None,
        }
    }
}

/// Classifies a response that is not a success, from its HTTP `status` and the service's
/// `error_code` (if the body or headers carried one).
///
/// The code may be raw (`aws.sagemaker#ThrottlingException`, or `ThrottlingException:http://...`
/// as in the `x-amzn-ErrorType` header): namespace and suffix are ignored. A known error code
/// decides before the status does.
pub fn classify_response(status: u16, error_code: Option<&str>) -> RetryKind {
    if let Some(code) = error_code.map(bare_error_code) {
        if THROTTLING_ERROR_CODES.contains(&code) {
            return RetryKind::Throttling;
        }
        if TRANSIENT_ERROR_CODES.contains(&code) {
            return RetryKind::Transient;
        }
    }
    if THROTTLING_STATUS_CODES.contains(&status) {
        RetryKind::Throttling
    } else if TRANSIENT_STATUS_CODES.contains(&status) {
        RetryKind::Transient
    } else {
        RetryKind::NotRetryable
    }
}

/// `ns#Code:suffix` → `Code`.
fn bare_error_code(code: &str) -> &str {
    let code = code.split(':').next().unwrap_or(code);
    code.rsplit('#').next().unwrap_or(code).trim()
}

/// Classifies an attempt that got no response: connection and I/O failures are transient,
/// timeouts are timeouts, the rest (a refused `http://` endpoint, an oversized body, an invalid
/// request) would fail the same way again.
pub fn classify_transport_error(error: &HttpError) -> RetryKind {
    match error.kind() {
        HttpErrorKind::Connect | HttpErrorKind::Io => RetryKind::Transient,
        HttpErrorKind::Timeout => RetryKind::Timeout,
        _ => RetryKind::NotRetryable,
    }
}

/// The retry modes of the AWS SDKs (`AWS_RETRY_MODE`, the profile's `retry_mode`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum RetryMode {
    /// Retries with backoff and the retry quota.
    #[default]
    Standard,
    /// Standard, plus a client-side rate limiter that slows attempts down once the service
    /// throttles.
    Adaptive,
}

impl std::str::FromStr for RetryMode {
    type Err = String;

    /// `standard` or `adaptive` (any case); `legacy`, which only the older SDKs implement, is
    /// read as `standard`, its successor.
    fn from_str(text: &str) -> Result<Self, String> {
        match text.trim().to_ascii_lowercase().as_str() {
            "standard" | "legacy" => Ok(RetryMode::Standard),
            "adaptive" => Ok(RetryMode::Adaptive),
            _ => Err(format!("retry mode {text:?} is not one of standard, adaptive, legacy")),
        }
    }
}

/// How many attempts a call makes and how long it waits between them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RetryConfig {
    mode: RetryMode,
    max_attempts: u32,
    initial_backoff: Duration,
    max_backoff: Duration,
}

impl RetryConfig {
    /// Standard mode: 3 attempts, backoff from 1 s up to 20 s.
    pub fn standard() -> Self {
        Self {
            mode: RetryMode::Standard,
            max_attempts: 3,
            initial_backoff: Duration::from_secs(1),
            max_backoff: Duration::from_secs(20),
        }
    }

    /// Adaptive mode: standard, plus the client-side rate limiter.
    pub fn adaptive() -> Self {
        Self::standard().with_mode(RetryMode::Adaptive)
    }

    /// Sets the mode.
    pub fn with_mode(mut self, mode: RetryMode) -> Self {
        self.mode = mode;
        self
    }

    /// The mode.
    pub fn mode(&self) -> RetryMode {
        self.mode
    }

    /// One attempt, no retries.
    pub fn disabled() -> Self {
        Self::standard().with_max_attempts(1)
    }

    /// Sets the number of attempts, the first one included (0 counts as 1).
    pub fn with_max_attempts(mut self, max_attempts: u32) -> Self {
        self.max_attempts = max_attempts.max(1);
        self
    }

    /// Sets the backoff ceiling before the first retry (it doubles with each retry).
    pub fn with_initial_backoff(mut self, initial_backoff: Duration) -> Self {
        self.initial_backoff = initial_backoff;
        self
    }

    /// Sets the largest backoff ceiling.
    pub fn with_max_backoff(mut self, max_backoff: Duration) -> Self {
        self.max_backoff = max_backoff;
        self
    }

    /// The number of attempts, the first one included.
    pub fn max_attempts(&self) -> u32 {
        self.max_attempts
    }

    /// The backoff ceiling before the first retry.
    pub fn initial_backoff(&self) -> Duration {
        self.initial_backoff
    }

    /// The largest backoff ceiling.
    pub fn max_backoff(&self) -> Duration {
        self.max_backoff
    }

    /// The wait after `attempts_made` failed attempts (so before attempt `attempts_made + 1`),
    /// given a `random` number in `[0, 1)`: `random × min(initial × 2^(attempts_made − 1), max)`.
    ///
    /// A `random` outside `[0, 1]` is clamped into it (NaN counts as 0).
    pub fn backoff(&self, attempts_made: u32, random: f64) -> Duration {
        let random = if random.is_nan() { 0.0 } else { random.clamp(0.0, 1.0) };
        let exponent = attempts_made.saturating_sub(1).min(64) as i32;
        let ceiling = (self.initial_backoff.as_secs_f64() * 2f64.powi(exponent)).min(self.max_backoff.as_secs_f64());
        Duration::try_from_secs_f64(ceiling * random).unwrap_or(self.max_backoff)
    }
}

impl Default for RetryConfig {
    fn default() -> Self {
        Self::standard()
    }
}

/// The retry token bucket shared by all calls of one client. Clones share the bucket.
#[derive(Clone)]
pub struct RetryQuota {
    inner: Arc<Quota>,
}

struct Quota {
    available: AtomicU32,
    capacity: u32,
}

impl RetryQuota {
    /// A full bucket of `capacity` tokens.
    pub fn new(capacity: u32) -> Self {
        Self { inner: Arc::new(Quota { available: AtomicU32::new(capacity), capacity }) }
    }

    /// A full bucket of [`QUOTA_CAPACITY`] (500) tokens.
    pub fn standard() -> Self {
        Self::new(QUOTA_CAPACITY)
    }

    /// Tokens left.
    pub fn available(&self) -> u32 {
        self.inner.available.load(Ordering::Acquire)
    }

    /// Tokens when full.
    pub fn capacity(&self) -> u32 {
        self.inner.capacity
    }

    /// Takes `cost` tokens if there are that many.
    fn try_acquire(&self, cost: u32) -> bool {
        self.inner
            .available
            .fetch_update(Ordering::AcqRel, Ordering::Acquire, |available| available.checked_sub(cost))
            .is_ok()
    }

    /// Gives back `amount` tokens, never filling past capacity.
    fn release(&self, amount: u32) {
        let capacity = self.inner.capacity;
        // The closure always returns `Some`, so the update cannot fail.
        let _ = self.inner.available.fetch_update(Ordering::AcqRel, Ordering::Acquire, |available| {
            Some(available.saturating_add(amount).min(capacity))
        });
    }
}

impl Default for RetryQuota {
    fn default() -> Self {
        Self::standard()
    }
}

impl fmt::Debug for RetryQuota {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RetryQuota").field("available", &self.available()).field("capacity", &self.capacity()).finish()
    }
}

/// What to do after a failed attempt.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RetryDecision {
    /// Wait this long, then make the next attempt.
    RetryAfter(Duration),
    /// Give up and return the last error.
    Stop(StopReason),
}

/// Why a call stopped retrying.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StopReason {
    /// The failure is not one that a retry can fix.
    NotRetryable,
    /// The call made [`RetryConfig::max_attempts`] attempts.
    MaxAttempts,
    /// The client's [`RetryQuota`] cannot pay for another retry.
    QuotaExhausted,
}

impl fmt::Display for StopReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            StopReason::NotRetryable => "the error is not retryable",
            StopReason::MaxAttempts => "the maximum number of attempts was reached",
            StopReason::QuotaExhausted => "the client's retry quota is exhausted",
        })
    }
}

/// The progress of one call: attempts made, and the tokens its last retry took.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RetryState {
    attempts: u32,
    last_retry_cost: Option<u32>,
}

impl RetryState {
    /// Attempts that have failed so far.
    pub fn attempts(&self) -> u32 {
        self.attempts
    }
}

/// The source of randomness for the backoff jitter: returns numbers in `[0, 1)`.
pub type RandomSource = Arc<dyn Fn() -> f64 + Send + Sync>;

/// Standard-mode retries for one client: its [`RetryConfig`], its shared [`RetryQuota`] and a
/// random source. Clones share the quota.
#[derive(Clone)]
pub struct RetryStrategy {
    config: RetryConfig,
    quota: RetryQuota,
    random: RandomSource,
    /// In adaptive mode: the client's rate limiter, shared by clones.
    limiter: Option<Arc<ClientRateLimiter>>,
}

impl RetryStrategy {
    /// A strategy with a full quota and `fastrand` jitter (and, in adaptive mode, a rate
    /// limiter).
    pub fn new(config: RetryConfig) -> Self {
        let limiter = (config.mode == RetryMode::Adaptive).then(|| Arc::new(ClientRateLimiter::new()));
        Self { config, quota: RetryQuota::standard(), random: Arc::new(fastrand::f64), limiter }
    }

    /// Uses `limiter` as the adaptive mode's rate limiter (tests pass one on a manual clock).
    pub fn with_rate_limiter(mut self, limiter: Arc<ClientRateLimiter>) -> Self {
        self.limiter = Some(limiter);
        self
    }

    /// The rate limiter, in adaptive mode.
    pub fn rate_limiter(&self) -> Option<&ClientRateLimiter> {
        self.limiter.as_deref()
    }

    /// This strategy drawing on `other`'s quota and, when both are adaptive, its rate limiter:
    /// for one call made with other settings by the same client.
    pub fn sharing_state_with(mut self, other: &RetryStrategy) -> Self {
        self.quota = other.quota.clone();
        if self.limiter.is_some() && other.limiter.is_some() {
            self.limiter = other.limiter.clone();
        }
        self
    }

    /// Uses `quota` (e.g. one shared with another strategy).
    pub fn with_quota(mut self, quota: RetryQuota) -> Self {
        self.quota = quota;
        self
    }

    /// Uses `random` for the jitter (tests pass a constant).
    pub fn with_random_source(mut self, random: impl Fn() -> f64 + Send + Sync + 'static) -> Self {
        self.random = Arc::new(random);
        self
    }

    /// The configuration.
    pub fn config(&self) -> &RetryConfig {
        &self.config
    }

    /// The shared token bucket.
    pub fn quota(&self) -> &RetryQuota {
        &self.quota
    }

    /// Records a failed attempt of `kind` and decides whether to retry: not when the failure
    /// is not retryable, not past the maximum attempts, and not when the quota cannot pay.
    pub fn on_failure(&self, state: &mut RetryState, kind: RetryKind) -> RetryDecision {
        state.attempts = state.attempts.saturating_add(1);
        let Some(cost) = kind.retry_cost() else {
            return RetryDecision::Stop(StopReason::NotRetryable);
        };
        if state.attempts >= self.config.max_attempts {
            return RetryDecision::Stop(StopReason::MaxAttempts);
        }
        if !self.quota.try_acquire(cost) {
            return RetryDecision::Stop(StopReason::QuotaExhausted);
        }
        // Tokens taken by earlier retries of this call stay spent; only the last is refunded.
        state.last_retry_cost = Some(cost);
        RetryDecision::RetryAfter(self.config.backoff(state.attempts, (self.random)()))
    }

    /// Records that the call succeeded: refunds its last retry's cost, or
    /// [`NO_RETRY_INCREMENT`] when it needed no retry (never past capacity).
    pub fn on_success(&self, state: &RetryState) {
        self.quota.release(state.last_retry_cost.unwrap_or(NO_RETRY_INCREMENT));
    }

    /// Runs a call: `attempt(n)` makes attempt `n` (from 1), `classify` tells what a failure
    /// was. Returns the first success, or the last failure once the strategy stops.
    pub async fn run<T, E, F, Fut, C>(&self, mut attempt: F, classify: C) -> Result<T, E>
    where
        F: FnMut(u32) -> Fut,
        Fut: Future<Output = Result<T, E>>,
        C: Fn(&E) -> RetryKind,
    {
        let mut state = RetryState::default();
        loop {
            if let Some(limiter) = &self.limiter {
                limiter.acquire().await;
            }
            match attempt(state.attempts + 1).await {
                Ok(output) => {
                    if let Some(limiter) = &self.limiter {
                        limiter.on_response(false);
                    }
                    self.on_success(&state);
                    return Ok(output);
                }
                Err(error) => {
                    let kind = classify(&error);
                    if let Some(limiter) = &self.limiter {
                        limiter.on_response(kind == RetryKind::Throttling);
                    }
                    let decision = self.on_failure(&mut state, kind);
                    let kind_name = format!("{kind:?}");
                    match decision {
                        RetryDecision::RetryAfter(delay) => {
                            super::telemetry::retry_decision(state.attempts, &kind_name, Ok(delay));
                            tokio::time::sleep(delay).await
                        }
                        RetryDecision::Stop(reason) => {
                            super::telemetry::retry_decision(state.attempts, &kind_name, Err(&reason.to_string()));
                            return Err(error);
                        }
                    }
                }
            }
        }
    }
}

impl Default for RetryStrategy {
    fn default() -> Self {
        Self::new(RetryConfig::standard())
    }
}

impl fmt::Debug for RetryStrategy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RetryStrategy")
            .field("config", &self.config)
            .field("quota", &self.quota)
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn secs(s: f64) -> Duration {
        Duration::from_secs_f64(s)
    }

    fn strategy(config: RetryConfig, random: f64) -> RetryStrategy {
        RetryStrategy::new(config).with_random_source(move || random)
    }

    #[test]
    fn standard_config_is_three_attempts_one_to_twenty_seconds() {
        let config = RetryConfig::default();
        assert_eq!(config.max_attempts(), 3);
        assert_eq!(config.initial_backoff(), secs(1.0));
        assert_eq!(config.max_backoff(), secs(20.0));
        assert_eq!(RetryConfig::disabled().max_attempts(), 1);
        assert_eq!(RetryConfig::standard().with_max_attempts(0).max_attempts(), 1);
    }

    #[test]
    fn backoff_doubles_from_initial_and_is_capped_then_jittered() {
        let config = RetryConfig::standard();
        // Ceiling before attempt n + 1: min(1 s × 2^(n − 1), 20 s).
        let ceilings: Vec<Duration> = (1..=7).map(|n| config.backoff(n, 1.0)).collect();
        assert_eq!(ceilings, [1.0, 2.0, 4.0, 8.0, 16.0, 20.0, 20.0].map(secs));
        // The jitter scales the capped ceiling.
        assert_eq!(config.backoff(1, 0.5), secs(0.5));
        assert_eq!(config.backoff(3, 0.25), secs(1.0));
        assert_eq!(config.backoff(10, 0.5), secs(10.0));
        assert_eq!(config.backoff(2, 0.0), Duration::ZERO);
    }

    #[test]
    fn backoff_never_panics_on_odd_inputs() {
        let config = RetryConfig::standard();
        assert_eq!(config.backoff(u32::MAX, 0.5), secs(10.0));
        assert_eq!(config.backoff(0, 1.0), secs(1.0));
        assert_eq!(config.backoff(1, f64::NAN), Duration::ZERO);
        assert_eq!(config.backoff(1, -3.0), Duration::ZERO);
        assert_eq!(config.backoff(1, 7.0), secs(1.0));
        let huge = RetryConfig::standard().with_initial_backoff(Duration::MAX).with_max_backoff(Duration::MAX);
        assert_eq!(huge.backoff(64, 1.0), Duration::MAX);
    }

    #[test]
    fn throttling_error_codes_are_throttling_whatever_the_status() {
        for code in THROTTLING_ERROR_CODES {
            assert_eq!(classify_response(400, Some(code)), RetryKind::Throttling, "{code}");
        }
        assert_eq!(classify_response(503, Some("SlowDown")), RetryKind::Throttling);
    }

    #[test]
    fn transient_error_codes_and_statuses_are_transient() {
        for code in TRANSIENT_ERROR_CODES {
            assert_eq!(classify_response(400, Some(code)), RetryKind::Transient, "{code}");
        }
        for status in [500, 502, 503, 504] {
            assert_eq!(classify_response(status, None), RetryKind::Transient, "{status}");
            assert_eq!(classify_response(status, Some("InternalServerError")), RetryKind::Transient);
        }
    }

    #[test]
    fn status_429_without_a_known_code_is_throttling() {
        assert_eq!(classify_response(429, None), RetryKind::Throttling);
    }

    #[test]
    fn client_errors_and_other_statuses_are_not_retryable() {
        assert_eq!(classify_response(400, Some("ValidationException")), RetryKind::NotRetryable);
        assert_eq!(classify_response(403, Some("AccessDeniedException")), RetryKind::NotRetryable);
        assert_eq!(classify_response(404, None), RetryKind::NotRetryable);
        assert_eq!(classify_response(501, None), RetryKind::NotRetryable);
        assert_eq!(classify_response(200, None), RetryKind::NotRetryable);
    }

    #[test]
    fn namespaced_and_suffixed_error_codes_are_recognised() {
        assert_eq!(classify_response(400, Some("com.amazonaws.sagemaker#ThrottlingException")), RetryKind::Throttling);
        assert_eq!(
            classify_response(400, Some("ThrottlingException:http://internal.amazon.com/coral/")),
            RetryKind::Throttling
        );
        assert_eq!(classify_response(400, Some("NotThrottling")), RetryKind::NotRetryable);
    }

    #[test]
    fn transport_errors_are_transient_or_timeouts_unless_retrying_cannot_help() {
        let kind = |kind| classify_transport_error(&HttpError::for_tests(kind));
        assert_eq!(kind(HttpErrorKind::Connect), RetryKind::Transient);
        assert_eq!(kind(HttpErrorKind::Io), RetryKind::Transient);
        assert_eq!(kind(HttpErrorKind::Timeout), RetryKind::Timeout);
        assert_eq!(kind(HttpErrorKind::BodyTooLarge), RetryKind::NotRetryable);
        assert_eq!(kind(HttpErrorKind::InsecureScheme), RetryKind::NotRetryable);
        assert_eq!(kind(HttpErrorKind::InvalidRequest), RetryKind::NotRetryable);
    }

    #[test]
    fn retries_until_max_attempts_with_growing_delays() {
        let strategy = strategy(RetryConfig::standard().with_max_attempts(4), 0.5);
        let mut state = RetryState::default();
        let decisions: Vec<RetryDecision> =
            (0..4).map(|_| strategy.on_failure(&mut state, RetryKind::Transient)).collect();
        assert_eq!(
            decisions,
            [
                RetryDecision::RetryAfter(secs(0.5)),
                RetryDecision::RetryAfter(secs(1.0)),
                RetryDecision::RetryAfter(secs(2.0)),
                RetryDecision::Stop(StopReason::MaxAttempts),
            ]
        );
        assert_eq!(state.attempts(), 4);
    }

    #[test]
    fn disabled_retries_stop_after_the_first_failure() {
        let strategy = strategy(RetryConfig::disabled(), 0.5);
        let mut state = RetryState::default();
        assert_eq!(
            strategy.on_failure(&mut state, RetryKind::Throttling),
            RetryDecision::Stop(StopReason::MaxAttempts)
        );
        assert_eq!(strategy.quota().available(), QUOTA_CAPACITY);
    }

    #[test]
    fn not_retryable_failures_stop_at_once_and_cost_nothing() {
        let strategy = strategy(RetryConfig::standard(), 0.5);
        let mut state = RetryState::default();
        assert_eq!(
            strategy.on_failure(&mut state, RetryKind::NotRetryable),
            RetryDecision::Stop(StopReason::NotRetryable)
        );
        assert_eq!(strategy.quota().available(), QUOTA_CAPACITY);
    }

    #[test]
    fn a_retry_costs_five_tokens_and_ten_after_a_timeout() {
        let strategy = strategy(RetryConfig::standard().with_max_attempts(10), 0.0);
        let mut state = RetryState::default();
        strategy.on_failure(&mut state, RetryKind::Throttling);
        assert_eq!(strategy.quota().available(), 495);
        strategy.on_failure(&mut state, RetryKind::Transient);
        assert_eq!(strategy.quota().available(), 490);
        strategy.on_failure(&mut state, RetryKind::Timeout);
        assert_eq!(strategy.quota().available(), 480);
    }

    #[test]
    fn success_refunds_the_last_retry_cost_only() {
        let strategy = strategy(RetryConfig::standard(), 0.0);
        let mut state = RetryState::default();
        strategy.on_failure(&mut state, RetryKind::Transient); // -5
        strategy.on_failure(&mut state, RetryKind::Timeout); // attempt 2 fails: -10
        // Attempt 3 is the last; it succeeds.
        assert_eq!(strategy.quota().available(), 485);
        strategy.on_success(&state);
        assert_eq!(strategy.quota().available(), 495);
    }

    #[test]
    fn success_without_retry_adds_one_token_up_to_capacity() {
        let quota = RetryQuota::new(20);
        let strategy = strategy(RetryConfig::standard(), 0.0).with_quota(quota.clone());
        let mut state = RetryState::default();
        strategy.on_failure(&mut state, RetryKind::Throttling);
        assert_eq!(quota.available(), 15);
        strategy.on_success(&RetryState::default());
        assert_eq!(quota.available(), 16);
        for _ in 0..10 {
            strategy.on_success(&RetryState::default());
        }
        assert_eq!(quota.available(), 20);
    }

    #[test]
    fn exhausted_quota_stops_retries_until_successes_refill_it() {
        let quota = RetryQuota::new(12);
        let strategy = strategy(RetryConfig::standard().with_max_attempts(100), 0.0).with_quota(quota.clone());
        let mut state = RetryState::default();
        assert!(matches!(strategy.on_failure(&mut state, RetryKind::Transient), RetryDecision::RetryAfter(_)));
        assert!(matches!(strategy.on_failure(&mut state, RetryKind::Transient), RetryDecision::RetryAfter(_)));
        assert_eq!(quota.available(), 2);
        assert_eq!(
            strategy.on_failure(&mut state, RetryKind::Transient),
            RetryDecision::Stop(StopReason::QuotaExhausted)
        );
        // A timeout retry needs 10 tokens: eight calls that needed no retry give back 8.
        for _ in 0..8 {
            strategy.on_success(&RetryState::default());
        }
        let mut other_call = RetryState::default();
        assert!(matches!(strategy.on_failure(&mut other_call, RetryKind::Timeout), RetryDecision::RetryAfter(_)));
        assert_eq!(quota.available(), 0);
    }

    #[test]
    fn quota_is_shared_by_clones_and_across_threads() {
        let strategy = strategy(RetryConfig::standard(), 0.0);
        let threads: Vec<_> = (0..4)
            .map(|_| {
                let strategy = strategy.clone();
                std::thread::spawn(move || {
                    for _ in 0..50 {
                        let mut state = RetryState::default();
                        let _ = strategy.on_failure(&mut state, RetryKind::Throttling);
                    }
                })
            })
            .collect();
        for thread in threads {
            thread.join().expect("thread finishes");
        }
        // 200 retries wanted 1000 tokens; 100 could be paid.
        assert_eq!(strategy.quota().available(), 0);
    }

    #[tokio::test]
    async fn run_retries_retryable_failures_and_returns_the_first_success() {
        let strategy = strategy(RetryConfig::standard().with_initial_backoff(Duration::ZERO), 0.5);
        let mut seen = Vec::new();
        let result: Result<&str, u16> = strategy
            .run(
                |attempt| {
                    seen.push(attempt);
                    async move { if attempt < 3 { Err(503) } else { Ok("done") } }
                },
                |status| classify_response(*status, None),
            )
            .await;
        assert_eq!(result, Ok("done"));
        assert_eq!(seen, [1, 2, 3]);
        // Two retries took 10 tokens, the success gave back the last 5.
        assert_eq!(strategy.quota().available(), 495);
    }

    #[tokio::test]
    async fn run_returns_the_last_error_when_it_stops() {
        let strategy = strategy(RetryConfig::standard().with_initial_backoff(Duration::ZERO), 0.5);
        let mut calls = 0;
        let result: Result<(), u16> = strategy
            .run(
                |_| {
                    calls += 1;
                    async move { Err(if calls < 2 { 500 } else { 400 }) }
                },
                |status| classify_response(*status, None),
            )
            .await;
        assert_eq!(result, Err(400));
        assert_eq!(calls, 2);
    }
}
