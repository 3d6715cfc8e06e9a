//! Waiters: an operation called again and again until its output (or error) says the resource
//! is in the state asked for, as the AWS SDKs' `wait_until_*` do. Everything that is the same
//! for every waiter is here: the loop, the delays and the result; a generated crate implements
//! [`Waiter`] with only the operation, the delays and the acceptors, whose output paths were
//! compiled into Rust at generation time.
//!
//! The delays are those of the Smithy waiter specification: before attempt `n + 1`, a random
//! delay between `min_delay` and `min(max_delay, min_delay × 2^(n − 1))`, cut so that the
//! last attempt comes no later than `min_delay` before `max_wait` runs out; when less than
//! `min_delay` is left, the waiter gives up with [`WaiterError::Timeout`].

use std::error::Error;
use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use super::client::Handle;
use super::operation::{Operation, OperationError, send};

/// What an acceptor that matches means.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AcceptorState {
    /// The waiter is done: the resource is in the state asked for.
    Success,
    /// The waiter is done: the resource will never get there.
    Failure,
    /// Ask again.
    Retry,
}

/// What an acceptor looks at.
pub enum Matcher<O> {
    /// The output of a success: a test compiled from the model's JMESPath expression.
    Output(fn(&O) -> bool),
    /// An error whose code is this one.
    ErrorCode(&'static str),
    /// `true`: any error; `false`: any success (Smithy's `success` matcher, botocore's
    /// `error` matcher with a boolean).
    Success(bool),
    /// An HTTP status code of the response (botocore's `status` matcher).
    Status(u16),
}

impl<O> fmt::Debug for Matcher<O> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Matcher::Output(_) => f.write_str("Output(..)"),
            Matcher::ErrorCode(code) => write!(f, "ErrorCode({code:?})"),
            Matcher::Success(success) => write!(f, "Success({success})"),
            Matcher::Status(status) => write!(f, "Status({status})"),
        }
    }
}

/// One acceptor of a waiter: what it matches, and what a match means.
#[derive(Debug)]
pub struct Acceptor<O> {
    /// What a match means.
    pub state: AcceptorState,
    /// What it matches.
    pub matcher: Matcher<O>,
    /// The acceptor as the model says it, for messages (e.g. `path EndpointStatus == "Failed"`).
    pub description: &'static str,
}

/// A waiter of the model: implemented by a unit struct per waiter in the generated crate.
pub trait Waiter {
    /// The operation it calls.
    type Operation: Operation;
    /// The waiter's name in the model, e.g. `EndpointInService`.
    const NAME: &'static str;
    /// The model's minimum delay between attempts.
    const MIN_DELAY: Duration;
    /// The model's maximum delay between attempts.
    const MAX_DELAY: Duration;

    /// The acceptors, in the model's order: the first that matches decides.
    fn acceptors() -> Vec<Acceptor<<Self::Operation as Operation>::Output>>;
}

/// How a waiter ended well: the output of the last attempt, or the error an acceptor of state
/// `success` matched (e.g. `ValidationException` for `EndpointDeleted`).
#[derive(Debug)]
pub enum Finished<O, E> {
    /// The last attempt succeeded with this output.
    Output(O),
    /// The last attempt failed with this error, which an acceptor matched.
    Error(E),
}

impl<O, E> Finished<O, E> {
    /// The output of the last attempt, if it succeeded.
    pub fn output(&self) -> Option<&O> {
        match self {
            Finished::Output(output) => Some(output),
            Finished::Error(_) => None,
        }
    }

    /// The output of the last attempt, if it succeeded.
    pub fn into_output(self) -> Option<O> {
        match self {
            Finished::Output(output) => Some(output),
            Finished::Error(_) => None,
        }
    }
}

/// Why a waiter did not end in a success state.
#[derive(Debug)]
pub enum WaiterError<O, E> {
    /// An acceptor of state `failure` matched: the resource will not get to the state.
    FailureState {
        /// The waiter.
        waiter: &'static str,
        /// The acceptor that matched, as the model says it.
        acceptor: &'static str,
        /// What the last attempt gave.
        last: Finished<O, E>,
    },
    /// `max_wait` ran out (or less than the minimum delay was left) before an acceptor
    /// decided.
    Timeout {
        /// The waiter.
        waiter: &'static str,
        /// The caller's `max_wait`.
        max_wait: Duration,
        /// How many attempts were made.
        attempts: u32,
    },
    /// The operation failed with an error no acceptor matched.
    Operation(E),
}

impl<O: fmt::Debug, E: fmt::Display> fmt::Display for WaiterError<O, E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            WaiterError::FailureState { waiter, acceptor, .. } => {
                write!(f, "waiter {waiter} failed: the failure acceptor `{acceptor}` matched")
            }
            WaiterError::Timeout { waiter, max_wait, attempts } => {
                write!(f, "waiter {waiter} timed out after {max_wait:?} ({attempts} attempts)")
            }
            WaiterError::Operation(error) => write!(f, "{error}"),
        }
    }
}

impl<O: fmt::Debug, E: Error + 'static> Error for WaiterError<O, E> {
    fn source(&self) -> Option<&(dyn Error + 'static)> {
        match self {
            WaiterError::Operation(error) => Some(error),
            WaiterError::FailureState { last: Finished::Error(error), .. } => Some(error),
            _ => None,
        }
    }
}

/// What a [`Waiter`]'s operation returns; the result of [`wait`].
pub type WaiterResult<W> = Result<
    Finished<<<W as Waiter>::Operation as Operation>::Output, <<W as Waiter>::Operation as Operation>::Error>,
    WaiterError<<<W as Waiter>::Operation as Operation>::Output, <<W as Waiter>::Operation as Operation>::Error>,
>;

/// The delay before attempt `attempt + 1` (`attempt` ≥ 1 made so far), as the Smithy waiter
/// specification defines it, given `random` in `[0, 1)`; `None` when less than `min_delay` is
/// `remaining`, i.e. the waiter is to give up.
pub fn delay(
    min_delay: Duration,
    max_delay: Duration,
    attempt: u32,
    remaining: Duration,
    random: f64,
) -> Option<Duration> {
    if remaining < min_delay {
        return None;
    }
    let max_delay = max_delay.max(min_delay);
    let exponent = attempt.saturating_sub(1).min(62);
    let ceiling =
        min_delay.checked_mul(1u32.checked_shl(exponent).unwrap_or(u32::MAX)).map_or(max_delay, |d| d.min(max_delay));
    let random = if random.is_nan() { 0.0 } else { random.clamp(0.0, 1.0) };
    let mut delay = min_delay + (ceiling - min_delay).mul_f64(random);
    if remaining.saturating_sub(delay) <= min_delay {
        delay = remaining - min_delay;
    }
    Some(delay)
}

/// Which acceptor matches the result of an attempt, if any: the first in the model's order.
pub fn matching<'a, O, E: OperationError>(
    acceptors: &'a [Acceptor<O>],
    result: &Result<O, E>,
) -> Option<&'a Acceptor<O>> {
    acceptors.iter().find(|acceptor| match (&acceptor.matcher, result) {
        (Matcher::Output(test), Ok(output)) => test(output),
        (Matcher::ErrorCode(code), Err(error)) => error.code() == Some(code),
        (Matcher::Success(success), result) => *success == result.is_ok(),
        (Matcher::Status(status), Err(error)) => error.metadata().is_some_and(|m| m.status == *status),
        // A success is an HTTP 200.
        (Matcher::Status(status), Ok(_)) => *status == 200,
        _ => false,
    })
}

/// Calls `W`'s operation with `input` until an acceptor decides or `max_wait` runs out,
/// sleeping between attempts as the module says, with `min_delay` and `max_delay` instead of
/// the model's where given.
pub async fn wait<W>(
    handle: &Arc<Handle>,
    input: <W::Operation as Operation>::Input,
    min_delay: Option<Duration>,
    max_delay: Option<Duration>,
    max_wait: Duration,
) -> WaiterResult<W>
where
    W: Waiter,
    <W::Operation as Operation>::Input: Clone,
{
    let min_delay = min_delay.unwrap_or(W::MIN_DELAY);
    let max_delay = max_delay.unwrap_or(W::MAX_DELAY);
    let acceptors = W::acceptors();
    let start = tokio::time::Instant::now();
    let mut attempts = 0u32;
    loop {
        attempts += 1;
        let result = send::<W::Operation>(Arc::clone(handle), input.clone()).await;
        let state = matching(&acceptors, &result).map(|acceptor| (acceptor.state, acceptor.description));
        let last = |result| match result {
            Ok(output) => Finished::Output(output),
            Err(error) => Finished::Error(error),
        };
        match state {
            Some((AcceptorState::Success, _)) => return Ok(last(result)),
            Some((AcceptorState::Failure, acceptor)) => {
                return Err(WaiterError::FailureState { waiter: W::NAME, acceptor, last: last(result) });
            }
            Some((AcceptorState::Retry, _)) => {}
            // A success no acceptor matched is asked again; an error is the caller's.
            None => {
                if let Err(error) = result {
                    return Err(WaiterError::Operation(error));
                }
            }
        }
        let remaining = max_wait.saturating_sub(start.elapsed());
        let Some(delay) = delay(min_delay, max_delay, attempts, remaining, fastrand::f64()) else {
            return Err(WaiterError::Timeout { waiter: W::NAME, max_wait, attempts });
        };
        tokio::time::sleep(delay).await;
    }
}

/// A value an output path gives, for the comparisons of an acceptor: the generated accessors
/// walk the typed output and give its leaves as these.
#[derive(Clone, Debug, PartialEq)]
pub enum Value<'a> {
    /// Missing.
    Null,
    /// A boolean.
    Bool(bool),
    /// A number.
    Number(f64),
    /// A string, or an enum's value.
    String(&'a str),
    /// A structure or map (only its presence and truthiness count).
    Object(bool),
    /// A projection's or list's values.
    List(Vec<Value<'a>>),
}

/// A comparison operator of an expression.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Comparison {
    /// `==`
    Eq,
    /// `!=`
    Ne,
    /// `<`
    Lt,
    /// `<=`
    Le,
    /// `>`
    Gt,
    /// `>=`
    Ge,
}

impl<'a> Value<'a> {
    /// JMESPath truthiness: false, null, empty strings, lists and objects are false.
    pub fn is_truthy(&self) -> bool {
        match self {
            Value::Null => false,
            Value::Bool(b) => *b,
            Value::Number(_) => true,
            Value::String(s) => !s.is_empty(),
            Value::Object(non_empty) => *non_empty,
            Value::List(list) => !list.is_empty(),
        }
    }

    /// JMESPath `length()`: of a string (in characters), list or nothing else (null).
    pub fn length(&self) -> Value<'a> {
        match self {
            Value::String(s) => Value::Number(s.chars().count() as f64),
            Value::List(list) => Value::Number(list.len() as f64),
            _ => Value::Null,
        }
    }

    /// A JMESPath comparison: equality of any values; order of numbers only (null otherwise).
    pub fn compare(&self, comparison: Comparison, other: &Value<'_>) -> Value<'static> {
        let equal = || match (self, other) {
            (Value::List(a), Value::List(b)) => a.len() == b.len() && a.iter().zip(b).all(|(a, b)| a.loose_eq(b)),
            (a, b) => a.loose_eq(b),
        };
        match comparison {
            Comparison::Eq => Value::Bool(equal()),
            Comparison::Ne => Value::Bool(!equal()),
            _ => match (self, other) {
                (Value::Number(a), Value::Number(b)) => Value::Bool(match comparison {
                    Comparison::Lt => a < b,
                    Comparison::Le => a <= b,
                    Comparison::Gt => a > b,
                    _ => a >= b,
                }),
                _ => Value::Null,
            },
        }
    }

    fn loose_eq(&self, other: &Value<'_>) -> bool {
        match (self, other) {
            (Value::Null, Value::Null) => true,
            (Value::Bool(a), Value::Bool(b)) => a == b,
            (Value::Number(a), Value::Number(b)) => a == b,
            (Value::String(a), Value::String(b)) => a == b,
            (Value::List(_), Value::List(_)) => self.compare(Comparison::Eq, other) == Value::Bool(true),
            _ => false,
        }
    }

    /// Whether the value equals the acceptor's `expected` (a `path` matcher).
    pub fn equals(&self, expected: &Value<'_>) -> bool {
        self.loose_eq(expected)
    }

    /// Whether the value is a non-empty list whose every element equals `expected` (a
    /// `pathAll` matcher).
    pub fn all_equal(&self, expected: &Value<'_>) -> bool {
        matches!(self, Value::List(list) if !list.is_empty() && list.iter().all(|v| v.loose_eq(expected)))
    }

    /// Whether the value is a list one of whose elements equals `expected` (a `pathAny`
    /// matcher).
    pub fn any_equal(&self, expected: &Value<'_>) -> bool {
        matches!(self, Value::List(list) if list.iter().any(|v| v.loose_eq(expected)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn delays_follow_the_smithy_formula() {
        let s = Duration::from_secs;
        // Attempt 1: between min and min.
        assert_eq!(delay(s(2), s(120), 1, s(1000), 0.99), Some(s(2)));
        // Attempt 3: up to 8 s.
        assert_eq!(delay(s(2), s(120), 3, s(1000), 0.0), Some(s(2)));
        assert_eq!(delay(s(2), s(120), 3, s(1000), 1.0), Some(s(8)));
        // Capped at the max delay.
        assert_eq!(delay(s(2), s(120), 30, s(1000), 1.0), Some(s(120)));
        // Never past the remaining time less min delay; none when less than min is left.
        assert_eq!(delay(s(2), s(120), 30, s(10), 1.0), Some(s(8)));
        assert_eq!(delay(s(2), s(120), 1, s(1), 0.5), None);
    }

    #[test]
    fn matchers_compare_as_jmespath() {
        let list = Value::List(vec![Value::String("a"), Value::String("a")]);
        assert!(list.all_equal(&Value::String("a")));
        assert!(!Value::List(vec![]).all_equal(&Value::String("a")));
        assert!(list.any_equal(&Value::String("a")));
        assert_eq!(list.length().compare(Comparison::Gt, &Value::Number(1.0)), Value::Bool(true));
        assert_eq!(Value::Null.compare(Comparison::Lt, &Value::Number(1.0)), Value::Null);
    }
}
