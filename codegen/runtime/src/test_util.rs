//! Test doubles for programs that use generated clients (the `test-util` feature): their own
//! tests run without a network or an emulator.
//!
//! - [`Rule`]: answers one operation's calls whose input matches, with typed outputs, typed
//!   errors or raw HTTP responses, in sequence (the last answer repeats), and records the
//!   inputs it answered. A config takes rules with
//!   [`ConfigBuilder::test_rules`](super::config::ConfigBuilder::test_rules); a call no rule
//!   matches fails with a `Config` error that names the operation, never reaching the network.
//! - [`ReplaySender`]: an [`HttpSend`] that serves recorded HTTP exchanges in order and keeps
//!   the requests it was sent, for tests that check the bytes on the wire.
//!
//! ```ignore
//! let conflict_then_success = Rule::<CreateModelPackage>::new()
//!     .matching(|input| input.model_package_group_name.as_deref() == Some("churn"))
//!     .then_error(|| CreateModelPackageError::ConflictException(ConflictException::default()))
//!     .then_output(|| CreateModelPackageOutput::default().model_package_arn("arn:..."));
//! let config = Config::builder().region("us-east-1").test_rules([conflict_then_success.clone()]).build();
//! ```

use std::any::Any;
use std::collections::VecDeque;
use std::fmt;
use std::sync::{Arc, Mutex};

use bytes::Bytes;

use super::body::{ByteStream, RequestBody};
use super::client::{HttpResponse, ServiceInfo};
use super::error::RequestError;
use super::http::{BoxFuture, HttpError, HttpErrorKind, HttpSend};
use super::operation::Operation;

type Matcher<O> = Box<dyn Fn(&<O as Operation>::Input) -> bool + Send + Sync>;
type Recorded = Box<dyn Any + Send + Sync>;

/// One answer of a [`Rule`].
enum Answer<O: Operation> {
    Output(Box<dyn Fn() -> O::Output + Send + Sync>),
    Error(Box<dyn Fn() -> O::Error + Send + Sync>),
    /// A raw response, read as the client reads a real one.
    Http {
        status: u16,
        headers: Vec<(String, String)>,
        body: Bytes,
    },
}

/// Answers calls of the operation `O` (the generated unit struct, e.g.
/// `operation::create_model_package::CreateModelPackage`). Clones share the answers and the
/// record, so a test keeps one clone to look at the calls after giving the config another.
pub struct Rule<O: Operation> {
    inner: Arc<RuleState<O>>,
}

struct RuleState<O: Operation> {
    matcher: Mutex<Option<Matcher<O>>>,
    answers: Mutex<VecDeque<Answer<O>>>,
    /// Copies an input for the record (made where `O::Input: Clone` is known).
    copy: fn(&O::Input) -> Recorded,
    recorded: Mutex<Vec<Recorded>>,
}

fn copy_of<I: Clone + Send + Sync + 'static>(input: &I) -> Recorded {
    Box::new(input.clone())
}

impl<O: Operation> Clone for Rule<O> {
    fn clone(&self) -> Self {
        Rule { inner: self.inner.clone() }
    }
}

impl<O> Rule<O>
where
    O: Operation + 'static,
    O::Input: Clone + Send + Sync + 'static,
{
    /// A rule for every call of `O`, with no answers yet.
    pub fn new() -> Self {
        Rule {
            inner: Arc::new(RuleState {
                matcher: Mutex::new(None),
                answers: Mutex::new(VecDeque::new()),
                copy: copy_of::<O::Input>,
                recorded: Mutex::new(Vec::new()),
            }),
        }
    }

    /// Answers only calls whose input `matches`.
    pub fn matching(self, matches: impl Fn(&O::Input) -> bool + Send + Sync + 'static) -> Self {
        *self.inner.matcher.lock().unwrap_or_else(|p| p.into_inner()) = Some(Box::new(matches));
        self
    }

    /// Then answers with the output `make` gives.
    pub fn then_output(self, make: impl Fn() -> O::Output + Send + Sync + 'static) -> Self {
        self.push(Answer::Output(Box::new(make)))
    }

    /// Then answers with the error `make` gives (a modelled error, or any other variant).
    pub fn then_error(self, make: impl Fn() -> O::Error + Send + Sync + 'static) -> Self {
        self.push(Answer::Error(Box::new(make)))
    }

    /// Then answers with this HTTP response, read as a real response is (its status decides
    /// between output and error; a throttling status is not retried: the rule answers the
    /// call, not each attempt).
    pub fn then_http(self, status: u16, headers: &[(&str, &str)], body: impl Into<Bytes>) -> Self {
        let headers = headers.iter().map(|(n, v)| (n.to_string(), v.to_string())).collect();
        self.push(Answer::Http { status, headers, body: body.into() })
    }

    /// The inputs of the calls this rule answered, in order.
    pub fn calls(&self) -> Vec<O::Input> {
        let recorded = self.inner.recorded.lock().unwrap_or_else(|p| p.into_inner());
        recorded.iter().filter_map(|input| input.downcast_ref::<O::Input>().cloned()).collect()
    }

    /// How many calls this rule answered.
    pub fn call_count(&self) -> usize {
        self.inner.recorded.lock().unwrap_or_else(|p| p.into_inner()).len()
    }

    fn push(self, answer: Answer<O>) -> Self {
        self.inner.answers.lock().unwrap_or_else(|p| p.into_inner()).push_back(answer);
        self
    }
}

impl<O> Default for Rule<O>
where
    O: Operation + 'static,
    O::Input: Clone + Send + Sync + 'static,
{
    fn default() -> Self {
        Self::new()
    }
}

impl<O: Operation> fmt::Debug for Rule<O> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Rule").field("operation", &O::NAME).finish_non_exhaustive()
    }
}

/// A rule of any operation, as a config keeps them.
#[derive(Clone)]
pub struct AnyRule {
    operation: &'static str,
    rule: Arc<dyn Any + Send + Sync>,
}

impl fmt::Debug for AnyRule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Rule({})", self.operation)
    }
}

impl<O> From<Rule<O>> for AnyRule
where
    O: Operation + 'static,
    O::Input: Clone + Send + Sync + 'static,
    O::Output: 'static,
    O::Error: 'static,
{
    fn from(rule: Rule<O>) -> Self {
        AnyRule { operation: O::NAME, rule: Arc::new(rule) }
    }
}

/// The rules of a config, tried in order.
#[derive(Clone, Debug, Default)]
pub struct TestRules {
    rules: Vec<AnyRule>,
}

impl TestRules {
    /// These rules.
    pub fn new(rules: impl IntoIterator<Item = AnyRule>) -> Self {
        TestRules { rules: rules.into_iter().collect() }
    }

    /// The answer of the first rule of `O` that matches `input` and has an answer; a `Config`
    /// error when none does.
    pub(crate) fn answer<O>(&self, service: &ServiceInfo, input: &O::Input) -> Result<O::Output, O::Error>
    where
        O: Operation + 'static,
    {
        for any in self.rules.iter().filter(|r| r.operation == O::NAME) {
            let Some(rule) = any.rule.downcast_ref::<RuleOf<O>>() else { continue };
            let matcher = rule.inner.matcher.lock().unwrap_or_else(|p| p.into_inner());
            if matcher.as_ref().is_some_and(|matches| !matches(input)) {
                continue;
            }
            drop(matcher);
            let mut answers = rule.inner.answers.lock().unwrap_or_else(|p| p.into_inner());
            // The last answer repeats.
            let answer = if answers.len() > 1 { answers.pop_front() } else { None };
            let result = match answer.as_ref().or(answers.front()) {
                None => continue,
                Some(Answer::Output(make)) => Ok(make()),
                Some(Answer::Error(make)) => Err(make()),
                Some(Answer::Http { status, headers, body }) => {
                    let mut response = http::Response::builder().status(*status);
                    for (name, value) in headers {
                        response = response.header(name.as_str(), value.as_str());
                    }
                    match response.body(body.clone()) {
                        Ok(response) => super::client::parse_response::<O>(service, &response as &HttpResponse),
                        Err(e) => Err(O::Error::from(RequestError::Config(format!("a test rule's response: {e}")))),
                    }
                }
            };
            drop(answers);
            rule.inner.recorded.lock().unwrap_or_else(|p| p.into_inner()).push((rule.inner.copy)(input));
            return result;
        }
        Err(O::Error::from(RequestError::Config(format!("no test rule answers this {} call", O::NAME))))
    }
}

/// The concrete type behind an [`AnyRule`] of `O`.
type RuleOf<O> = Rule<O>;

/// A recorded response: status, headers, body.
type RecordedResponse = (u16, Vec<(String, String)>, Bytes);

/// Serves recorded HTTP exchanges in order (the last repeats) and keeps the requests it is
/// sent; for tests that look at the bytes on the wire. Clones share both.
#[derive(Clone, Default)]
pub struct ReplaySender {
    responses: Arc<Mutex<VecDeque<RecordedResponse>>>,
    requests: Arc<Mutex<Vec<http::Request<Bytes>>>>,
}

impl ReplaySender {
    /// A sender with no responses yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// Then serves this response.
    pub fn then(self, status: u16, headers: &[(&str, &str)], body: impl Into<Bytes>) -> Self {
        let headers = headers.iter().map(|(n, v)| (n.to_string(), v.to_string())).collect();
        self.responses.lock().unwrap_or_else(|p| p.into_inner()).push_back((status, headers, body.into()));
        self
    }

    /// The requests sent so far, with their bodies.
    pub fn requests(&self) -> Vec<http::Request<Bytes>> {
        self.requests.lock().unwrap_or_else(|p| p.into_inner()).iter().map(clone_request).collect()
    }
}

fn clone_request(request: &http::Request<Bytes>) -> http::Request<Bytes> {
    let mut copy = http::Request::new(request.body().clone());
    *copy.method_mut() = request.method().clone();
    *copy.uri_mut() = request.uri().clone();
    *copy.headers_mut() = request.headers().clone();
    copy
}

impl HttpSend for ReplaySender {
    fn send(
        &self,
        request: http::Request<RequestBody>,
    ) -> BoxFuture<'_, Result<http::Response<ByteStream>, HttpError>> {
        Box::pin(async move {
            let (parts, body) = request.into_parts();
            let authority = parts.uri.authority().map(|a| a.to_string());
            let bytes = match body.bytes() {
                Some(bytes) => bytes.clone(),
                None => {
                    let mut collected = Vec::new();
                    let mut stream =
                        body.open().await.map_err(|e| HttpError::other(HttpErrorKind::Io, authority.clone(), e))?;
                    use http_body::Body;
                    while let Some(frame) =
                        std::future::poll_fn(|cx| std::pin::Pin::new(&mut stream).poll_frame(cx)).await
                    {
                        let frame = frame.map_err(|e| HttpError::other(HttpErrorKind::Io, authority.clone(), e))?;
                        if let Ok(data) = frame.into_data() {
                            collected.extend_from_slice(&data);
                        }
                    }
                    Bytes::from(collected)
                }
            };
            self.requests.lock().unwrap_or_else(|p| p.into_inner()).push(http::Request::from_parts(parts, bytes));
            let mut responses = self.responses.lock().unwrap_or_else(|p| p.into_inner());
            let next = if responses.len() > 1 { responses.pop_front() } else { responses.front().cloned() };
            drop(responses);
            let (status, headers, body) = next.ok_or_else(|| {
                let missing = std::io::Error::other("the replay sender has no response to serve");
                HttpError::other(HttpErrorKind::Io, authority.clone(), missing)
            })?;
            let mut response = http::Response::builder().status(status);
            for (name, value) in &headers {
                response = response.header(name.as_str(), value.as_str());
            }
            response
                .body(ByteStream::new(body))
                .map_err(|e| HttpError::other(HttpErrorKind::InvalidRequest, authority, e))
        })
    }
}
