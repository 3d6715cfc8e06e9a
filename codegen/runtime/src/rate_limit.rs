//! The adaptive retry mode's client-side rate limiter, as the AWS SDKs define it: once the
//! service throttles, every attempt first takes a token from a bucket whose fill rate follows
//! a CUBIC curve: cut by `BETA` at each throttle, then growing back, slowly near the rate that
//! was throttled and faster beyond it. Until the first throttle nothing is limited.
//!
//! Three parts: the measured send rate (a smoothed count per half-second), the CUBIC rate
//! after a throttle or a success, and the token bucket that paces attempts.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// How far a throttle cuts the rate.
const BETA: f64 = 0.7;
/// How fast the rate grows back (CUBIC's `C`).
const SCALE_CONSTANT: f64 = 0.4;
/// The slowest the bucket fills, tokens per second.
const MIN_FILL_RATE: f64 = 0.5;
/// The new rate is at most this many times the measured rate.
const MAX_RATE_ADJUST_SCALE: f64 = 2.0;
/// Weight of the newest half-second in the measured rate.
const SMOOTHING: f64 = 0.8;
/// The measured rate is updated once per this many seconds.
const TIME_BUCKET: f64 = 0.5;

/// Tells the time, in seconds from any fixed point.
pub type Clock = Arc<dyn Fn() -> f64 + Send + Sync>;

/// The rate limiter of one client in adaptive mode.
pub struct ClientRateLimiter {
    clock: Clock,
    state: Mutex<State>,
}

struct State {
    /// Whether a throttle has been seen: only then are attempts paced.
    enabled: bool,
    bucket: TokenBucket,
    cubic: Cubic,
    measured: MeasuredRate,
}

impl ClientRateLimiter {
    /// A limiter on the monotonic clock.
    pub fn new() -> Self {
        let start = Instant::now();
        Self::with_clock(Arc::new(move || start.elapsed().as_secs_f64()))
    }

    /// A limiter on `clock` (tests pass a manual one).
    pub fn with_clock(clock: Clock) -> Self {
        let now = clock();
        let state = State {
            enabled: false,
            bucket: TokenBucket::new(1.0),
            cubic: Cubic { w_max: 0.0, k: 0.0, last_fail: now },
            measured: MeasuredRate { rate: 0.0, count: 0.0, last_bucket: now.floor() },
        };
        ClientRateLimiter { clock, state: Mutex::new(state) }
    }

    /// Takes a token for an attempt if one is there, or says how long until one is. Always
    /// `None` before the first throttle.
    pub fn try_acquire(&self) -> Option<Duration> {
        let now = (self.clock)();
        let mut state = self.state.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        if !state.enabled {
            return None;
        }
        state.bucket.try_acquire(now).map(Duration::from_secs_f64)
    }

    /// Waits for a token, then takes it.
    pub async fn acquire(&self) {
        while let Some(wait) = self.try_acquire() {
            tokio::time::sleep(wait).await;
        }
    }

    /// Records an attempt's response: `throttled` when the service asked to slow down.
    pub fn on_response(&self, throttled: bool) {
        let now = (self.clock)();
        let mut state = self.state.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        let measured = state.measured.record(now);
        let new_rate = if throttled {
            let rate = if state.enabled { measured.min(state.bucket.fill_rate) } else { measured };
            state.enabled = true;
            state.cubic.throttled(rate, now)
        } else {
            state.cubic.rate_at(now)
        };
        state.bucket.set_max_rate(new_rate.min(MAX_RATE_ADJUST_SCALE * measured), now);
    }

    /// The rate attempts are paced at, tokens per second, once a throttle has been seen.
    pub fn send_rate(&self) -> Option<f64> {
        let state = self.state.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        state.enabled.then_some(state.bucket.fill_rate)
    }
}

impl Default for ClientRateLimiter {
    fn default() -> Self {
        Self::new()
    }
}

impl std::fmt::Debug for ClientRateLimiter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ClientRateLimiter").field("send_rate", &self.send_rate()).finish()
    }
}

/// The CUBIC curve: after a throttle at rate `w_max` at time `last_fail`, the rate at `t` is
/// `C (t - last_fail - k)³ + w_max`, where `k` puts the curve at `BETA · w_max` at the throttle.
#[derive(Debug)]
struct Cubic {
    w_max: f64,
    k: f64,
    last_fail: f64,
}

impl Cubic {
    fn rate_at(&self, now: f64) -> f64 {
        SCALE_CONSTANT * (now - self.last_fail - self.k).powi(3) + self.w_max
    }

    /// Records a throttle at `rate`; the new rate.
    fn throttled(&mut self, rate: f64, now: f64) -> f64 {
        self.w_max = rate;
        self.k = zero_point(rate);
        self.last_fail = now;
        rate * BETA
    }
}

/// Where the curve for `w_max` meets its cut rate: `∛(w_max (1 - β) / C)`.
fn zero_point(w_max: f64) -> f64 {
    (w_max * (1.0 - BETA) / SCALE_CONSTANT).cbrt()
}

/// The client's send rate, counted per half-second and smoothed.
#[derive(Debug)]
struct MeasuredRate {
    rate: f64,
    count: f64,
    last_bucket: f64,
}

impl MeasuredRate {
    fn record(&mut self, now: f64) -> f64 {
        let bucket = (now / TIME_BUCKET).floor() * TIME_BUCKET;
        self.count += 1.0;
        if bucket > self.last_bucket {
            let current = self.count / (bucket - self.last_bucket);
            self.rate = current * SMOOTHING + self.rate * (1.0 - SMOOTHING);
            self.count = 0.0;
            self.last_bucket = bucket;
        }
        self.rate
    }
}

/// Tokens for attempts, refilled at `fill_rate` per second up to `capacity`.
#[derive(Debug)]
struct TokenBucket {
    fill_rate: f64,
    capacity: f64,
    tokens: f64,
    last_refill: Option<f64>,
}

impl TokenBucket {
    fn new(max_rate: f64) -> Self {
        let mut bucket = TokenBucket { fill_rate: MIN_FILL_RATE, capacity: 1.0, tokens: 0.0, last_refill: None };
        bucket.set_max_rate(max_rate, 0.0);
        bucket.last_refill = None;
        bucket
    }

    fn refill(&mut self, now: f64) {
        if let Some(last) = self.last_refill {
            self.tokens = (self.tokens + (now - last).max(0.0) * self.fill_rate).min(self.capacity);
        }
        self.last_refill = Some(now);
    }

    /// Sets the rate, after crediting the tokens earned at the old one.
    fn set_max_rate(&mut self, rate: f64, now: f64) {
        self.refill(now);
        self.fill_rate = rate.max(MIN_FILL_RATE);
        self.capacity = rate.max(1.0);
        self.tokens = self.tokens.min(self.capacity);
    }

    /// Takes a token, or says in how many seconds one will be there.
    fn try_acquire(&mut self, now: f64) -> Option<f64> {
        self.refill(now);
        if self.tokens >= 1.0 {
            self.tokens -= 1.0;
            None
        } else {
            Some((1.0 - self.tokens) / self.fill_rate)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicU64, Ordering};

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-9
    }

    // The figures are those of botocore's own tests of the same algorithm.
    #[test]
    fn the_cubic_curve_has_the_sdks_figures() {
        assert!(close(zero_point(10.0), 1.9574338205844317));
        let mut cubic = Cubic { w_max: 10.0, k: zero_point(10.0), last_fail: 0.0 };
        let k = cubic.k;
        assert!(cubic.rate_at(k / 3.0) <= 10.0 && cubic.rate_at(k / 1.1) <= 10.0);
        assert!(close(cubic.rate_at(k), 10.0));
        assert!(cubic.rate_at(k * 1.1) >= 10.0 && cubic.rate_at(k * 2.0) >= 10.0);
        let cut = cubic.throttled(8.0, 1.0);
        assert!(close(cut, 8.0 * BETA));
        assert_eq!(cubic.w_max, 8.0);
        assert!(close(cubic.k, 1.8171205928321397));
        assert!(close(cubic.rate_at(1.0), cut), "right after the throttle the curve is at the cut rate");
    }

    #[test]
    fn the_bucket_paces_at_its_fill_rate_and_credits_before_a_rate_change() {
        let mut bucket = TokenBucket::new(1.0);
        assert_eq!(bucket.try_acquire(0.0), Some(1.0), "empty at first: one token takes a second at 1/s");
        assert_eq!(bucket.try_acquire(1.0), None);
        bucket.set_max_rate(4.0, 1.5);
        // Half a second at 1/s earned half a token, capped by nothing; at 4/s the rest takes 1/8 s.
        assert_eq!(bucket.try_acquire(1.5), Some(0.125));
        bucket.set_max_rate(0.1, 1.5);
        assert_eq!(bucket.fill_rate, MIN_FILL_RATE);
        assert_eq!(bucket.capacity, 1.0);
    }

    #[test]
    fn nothing_is_limited_until_a_throttle_then_attempts_are_paced_and_the_rate_recovers() {
        let now = Arc::new(AtomicU64::new(0));
        let clock_now = now.clone();
        let limiter = ClientRateLimiter::with_clock(Arc::new(move || clock_now.load(Ordering::SeqCst) as f64 / 1000.0));
        let advance = |ms: u64| now.fetch_add(ms, Ordering::SeqCst);
        // Twenty requests a second, all successful: never limited.
        for _ in 0..40 {
            assert_eq!(limiter.try_acquire(), None);
            limiter.on_response(false);
            advance(50);
        }
        assert_eq!(limiter.send_rate(), None);
        // A throttle: from now on, attempts wait for tokens at a rate below the measured one.
        limiter.on_response(true);
        let throttled_rate = limiter.send_rate().expect("a throttle enables the limiter");
        assert!((MIN_FILL_RATE..20.0).contains(&throttled_rate), "{throttled_rate}");
        let mut waited = 0;
        for _ in 0..10 {
            if let Some(wait) = limiter.try_acquire() {
                waited += 1;
                advance((wait.as_secs_f64() * 1000.0).ceil() as u64);
                assert_eq!(limiter.try_acquire(), None, "the token is there after the wait");
            }
            limiter.on_response(false);
            advance(10);
        }
        assert!(waited > 0, "paced attempts wait");
        // Successes over the next seconds bring the rate back up along the curve.
        for _ in 0..100 {
            advance(100);
            limiter.on_response(false);
        }
        assert!(limiter.send_rate().unwrap() > throttled_rate, "{:?}", limiter.send_rate());
    }
}
