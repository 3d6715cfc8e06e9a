//! The generated client against a misbehaving server: retries (which failures, how many attempts,
//! how long between them, the same idempotency token on every attempt), timeouts, unreadable and
//! oversized responses, typed and unmodelled service errors, checks made before anything is sent,
//! and no secret in any error, config or client text.
//!
//! The server is the loopback server of `support/loopback.rs`, driven by a script of replies.
//! Where a test asserts the number of attempts after a failure, the script holds one more reply
//! than the client should use, so that an extra attempt would be seen (and counted), not refused.

use std::error::Error;
use std::time::Duration;

use awsgen_sagemaker::error::{OperationError, ProblemKind, RequestError};
use awsgen_sagemaker::operation::create_model_package::CreateModelPackageError;
use awsgen_sagemaker::operation::create_model_package_group::CreateModelPackageGroupError;
use awsgen_sagemaker::runtime::config::{Config, ConfigBuilder};
use awsgen_sagemaker::runtime::credentials::Credentials;
use awsgen_sagemaker::runtime::http::HttpErrorKind;
use awsgen_sagemaker::runtime::retry::RetryConfig;
use awsgen_sagemaker::{Client, RequestId};
use awsgen_tests::loopback::{Loopback, Reply, Request, Response};

/// Distinctive secrets: no formatted text may contain them.
const SECRET_KEY: &str = "wJalrXUtnFEMI-FAULTS-SECRET-KEY-7f3a9c";
const SESSION_TOKEN: &str = "FwoGZXIvYXdzE-FAULTS-SESSION-TOKEN-b81d2e";

const ARN: &str = "arn:aws:sagemaker:us-east-1:123456789012:model-package/faults/1";

/// How much longer than the backoff ceiling a pause may look from the server: the client reading
/// the response, scheduling on a loaded machine, writing the next request.
const SLACK: Duration = Duration::from_millis(400);

/// A short attempt timeout, and a server delay well past it.
const ATTEMPT_TIMEOUT: Duration = Duration::from_millis(200);
const LATE: Duration = Duration::from_millis(1000);

fn credentials() -> Credentials {
    Credentials::new("AKIDFAULTS", SECRET_KEY, Some(SESSION_TOKEN.to_string()), None, "test")
}

fn config_for(server: &Loopback) -> ConfigBuilder {
    Config::builder().region("us-east-1").credentials(credentials()).endpoint_url(server.url())
}

fn client_for(server: &Loopback) -> Client {
    Client::new(config_for(server).build())
}

fn success() -> Reply {
    Reply::json(200, &format!(r#"{{"ModelPackageArn":"{ARN}"}}"#))
}

async fn create(client: &Client) -> Result<Option<String>, CreateModelPackageError> {
    client.create_model_package().model_package_name("faults").send().await.map(|output| output.model_package_arn)
}

fn body(request: &Request) -> serde_json::Value {
    serde_json::from_slice(&request.body).unwrap_or_else(|e| panic!("the request body is not JSON ({e}): {request:?}"))
}

/// The `ClientToken` of every request, asserting they are all the same (the whole body, too)
/// and, when the caller set none, a UUID v4.
fn assert_one_client_token(requests: &[Request], callers: Option<&str>) -> String {
    assert!(!requests.is_empty(), "the server saw no request");
    let tokens: Vec<String> = requests
        .iter()
        .map(|r| body(r)["ClientToken"].as_str().unwrap_or_else(|| panic!("no ClientToken in {r:?}")).to_string())
        .collect();
    assert!(tokens.iter().all(|t| *t == tokens[0]), "the ClientToken changed between attempts: {tokens:?}");
    assert!(requests.iter().all(|r| r.body == requests[0].body), "the body changed between attempts: {requests:#?}");
    match callers {
        Some(token) => assert_eq!(tokens[0], token, "the caller's ClientToken is sent as given"),
        None => assert!(is_uuid_v4(&tokens[0]), "a generated ClientToken is a UUID v4: {:?}", tokens[0]),
    }
    tokens[0].clone()
}

/// `xxxxxxxx-xxxx-4xxx-[89ab]xxx-xxxxxxxxxxxx`, lower-case hex.
fn is_uuid_v4(text: &str) -> bool {
    let groups: Vec<&str> = text.split('-').collect();
    let lengths: Vec<usize> = groups.iter().map(|g| g.len()).collect();
    lengths == [8, 4, 4, 4, 12]
        && groups.iter().all(|g| g.chars().all(|c| c.is_ascii_digit() || ('a'..='f').contains(&c)))
        && groups[2].starts_with('4')
        && groups[3].starts_with(['8', '9', 'a', 'b'])
}

/// Checks and prints the pause before each retry, as the server saw it, against the policy's
/// ceiling `min(initial × 2^(n−1), max)` before attempt `n + 1`.
///
/// The pause is measured from the end of the server's reply to the arrival of the next request,
/// or, when the client gave up on the attempt (its attempt timeout), from the moment it closed
/// the connection. Failing that, from the arrival of the previous request, and the bound then
/// includes the attempt timeout.
fn assert_pauses_within_policy(label: &str, requests: &[Request], retry: &RetryConfig) -> Vec<Duration> {
    let mut pauses = Vec::new();
    for (failed, pair) in requests.windows(2).enumerate() {
        let (previous, next) = (&pair[0], &pair[1]);
        let failed = failed as u32 + 1; // attempts made before `next`
        let ceiling = retry.backoff(failed, 1.0);
        let since = |at| next.received_at.saturating_duration_since(at);
        let (pause, bound, from) = match (previous.answered_at, previous.abandoned_at) {
            (Some(answered), _) => (since(answered), ceiling + SLACK, "after the reply to"),
            (None, Some(abandoned)) => (since(abandoned), ceiling + SLACK, "after the client abandoned"),
            (None, None) => (since(previous.received_at), ceiling + ATTEMPT_TIMEOUT + SLACK, "after the request of"),
        };
        println!(
            "{label}: attempt {} came {} ms {from} attempt {failed} (backoff ceiling {} ms, bound {} ms)",
            failed + 1,
            pause.as_millis(),
            ceiling.as_millis(),
            bound.as_millis()
        );
        assert!(pause <= bound, "{label}: attempt {} came after {pause:?}, more than {bound:?}", failed + 1);
        pauses.push(pause);
    }
    pauses
}

/// Every text a value can be formatted to: `Display` (when given), `Debug`, `{:#?}`, and the
/// same for each error in its source chain.
fn error_texts(error: &(dyn Error + 'static)) -> String {
    let mut text = format!("{error}\n{error:?}\n{error:#?}\n");
    let mut cause = error.source();
    while let Some(inner) = cause {
        text.push_str(&format!("{inner}\n{inner:?}\n"));
        cause = inner.source();
    }
    text
}

fn assert_no_secret(what: &str, text: &str) {
    for secret in [SECRET_KEY, SESSION_TOKEN, "FAULTS-SECRET", "FAULTS-SESSION", "BAD-TOKEN-3e1f", "c0ffee-SESSION"] {
        assert!(!text.contains(secret), "{what} shows the secret {secret:?}:\n{text}");
    }
}

/// Asserts the client closed the connection of each attempt at its attempt timeout: not before,
/// and not much after.
fn assert_abandoned_at_the_attempt_timeout(requests: &[Request]) {
    for (n, request) in requests.iter().enumerate() {
        let abandoned = request.abandoned_at.unwrap_or_else(|| panic!("attempt {} was not abandoned", n + 1));
        let waited = abandoned - request.received_at;
        println!("attempt {} abandoned by the client {} ms after it arrived", n + 1, waited.as_millis());
        // The client's clock starts before the request reaches the server, and the server looks
        // every 10 ms: a little under the timeout is possible, far under is not.
        assert!(waited >= ATTEMPT_TIMEOUT - Duration::from_millis(50), "attempt {} abandoned after {waited:?}", n + 1);
        assert!(waited <= ATTEMPT_TIMEOUT + SLACK, "attempt {} abandoned after {waited:?}", n + 1);
    }
}

fn request_error(error: CreateModelPackageError) -> RequestError {
    match error {
        CreateModelPackageError::Request(error) => error,
        other => panic!("expected a request error, got {other:?}"),
    }
}

// ---------------------------------------------------------------------------------------------
// Retried failures

#[tokio::test]
async fn a_500_then_a_503_then_success_succeeds_on_the_third_attempt_with_one_token() {
    let server = Loopback::start(vec![
        Reply::error(500, "InternalFailure", "try again"),
        Reply::error(503, "ServiceUnavailable", "try again later"),
        success(),
    ]);
    let arn = create(&client_for(&server)).await.expect("the third attempt succeeds");
    assert_eq!(arn.as_deref(), Some(ARN));
    let requests = server.requests();
    assert_eq!(requests.len(), 3, "attempts");
    assert_one_client_token(&requests, None);
    assert_pauses_within_policy("500, 503, 200", &requests, &RetryConfig::standard());
    // Each attempt is signed afresh: one signature, one date, per request.
    for request in &requests {
        assert_eq!(request.header_count("authorization"), 1);
        assert_eq!(request.header_count("x-amz-date"), 1);
    }
}

#[tokio::test]
async fn a_service_error_on_every_attempt_says_how_many_attempts_were_made() {
    use awsgen_sagemaker::error::OperationError;
    let failure = || Reply::error(500, "InternalFailure", "try again");
    let server = Loopback::start(vec![failure(), failure(), failure(), success()]);
    let error = create(&client_for(&server)).await.expect_err("every attempt fails");
    assert_eq!(server.requests().len(), 3, "attempts");
    assert_eq!(error.attempts(), Some(3));
    assert!(error.is_retryable() && !error.is_throttling(), "{error:?}");
    assert_eq!(error.code(), Some("InternalFailure"));
}

#[tokio::test]
async fn a_config_override_changes_one_call_and_leaves_the_client_as_it_was() {
    let failure = || Reply::error(500, "InternalFailure", "try again");
    let server = Loopback::start(vec![failure(), failure(), failure(), failure(), success()]);
    let client = client_for(&server);
    let error = client
        .create_model_package()
        .model_package_name("faults")
        .config_override(|config| config.retry_config(RetryConfig::disabled()))
        .send()
        .await
        .expect_err("one attempt, failed");
    assert_eq!((error.attempts(), server.requests().len()), (Some(1), 1), "no retries for this call");
    // The client itself still retries: 500, 500, 500 uses up its three attempts.
    let error = create(&client).await.expect_err("three attempts, failed");
    assert_eq!((error.attempts(), server.requests().len()), (Some(3), 4));

    // Another endpoint for one call.
    let other = Loopback::start(vec![success()]);
    let endpoint = format!("http://{}", other.address());
    let output = client
        .create_model_package()
        .model_package_name("faults")
        .config_override(|config| config.endpoint_url(endpoint))
        .send()
        .await
        .expect("the other server answers");
    assert_eq!(output.model_package_arn.as_deref(), Some(ARN));
    assert_eq!((other.requests().len(), server.requests().len()), (1, 4));
}

#[tokio::test]
async fn a_throttling_exception_is_retried_with_the_callers_own_token() {
    let server = Loopback::start(vec![Reply::error(400, "ThrottlingException", "Rate exceeded"), success()]);
    let output = client_for(&server)
        .create_model_package()
        .model_package_name("faults")
        .client_token("callers-token-0001")
        .send()
        .await
        .expect("the retry succeeds");
    assert_eq!(output.model_package_arn.as_deref(), Some(ARN));
    let requests = server.requests();
    assert_eq!(requests.len(), 2, "attempts");
    assert_one_client_token(&requests, Some("callers-token-0001"));
    assert_pauses_within_policy("ThrottlingException, 200", &requests, &RetryConfig::standard());
}

#[tokio::test]
async fn a_bare_throttling_code_without_a_body_message_is_retried_too() {
    // Only the code: no message, no request id.
    let server = Loopback::start(vec![Reply::json(400, r#"{"__type":"ThrottlingException"}"#), success()]);
    assert_eq!(create(&client_for(&server)).await.expect("retried").as_deref(), Some(ARN));
    let requests = server.requests();
    assert_eq!(requests.len(), 2, "attempts");
    assert_one_client_token(&requests, None);
}

#[tokio::test]
async fn a_reset_connection_is_retried() {
    let server = Loopback::start(vec![Reply::Reset, success()]);
    assert_eq!(create(&client_for(&server)).await.expect("the retry succeeds").as_deref(), Some(ARN));
    let requests = server.requests();
    assert_eq!(requests.len(), 2, "attempts");
    assert_ne!(requests[0].connection, requests[1].connection, "the retry opens a new connection");
    assert_one_client_token(&requests, None);
    assert_pauses_within_policy("reset, 200", &requests, &RetryConfig::standard());
}

#[tokio::test]
async fn a_reset_without_retries_is_an_io_error_caused_by_the_reset() {
    let server = Loopback::start(vec![Reply::Reset, success()]);
    let client = Client::new(config_for(&server).retry_config(RetryConfig::disabled()).build());
    let error = request_error(create(&client).await.expect_err("reset"));
    let RequestError::Http(http) = &error else { panic!("expected an HTTP error, got {error:?}") };
    assert_eq!(http.kind(), HttpErrorKind::Io, "{error:?}");
    // The fault is a real TCP reset, not an orderly close.
    let mut cause: Option<&(dyn Error + 'static)> = Some(http);
    let mut reset = false;
    while let Some(inner) = cause {
        reset |=
            inner.downcast_ref::<std::io::Error>().is_some_and(|e| e.kind() == std::io::ErrorKind::ConnectionReset);
        cause = inner.source();
    }
    assert!(reset, "no ConnectionReset in the causes of {error:?}");
    assert_eq!(server.requests().len(), 1, "attempts");
}

#[tokio::test]
async fn a_connection_closed_mid_body_is_retried() {
    let cut = Response::json(200, &format!(r#"{{"ModelPackageArn":"{ARN}"}}"#));
    let server = Loopback::start(vec![Reply::CloseMidBody { response: cut, sent: 10 }, success()]);
    assert_eq!(create(&client_for(&server)).await.expect("the retry succeeds").as_deref(), Some(ARN));
    let requests = server.requests();
    assert_eq!(requests.len(), 2, "attempts");
    assert_one_client_token(&requests, None);
    assert_pauses_within_policy("closed mid-body, 200", &requests, &RetryConfig::standard());
}

#[tokio::test]
async fn connections_closed_mid_body_on_every_attempt_give_an_io_error() {
    let cut = || Reply::CloseMidBody { response: Response::json(200, r#"{"ModelPackageArn":"arn:aws:sa"}"#), sent: 12 };
    let server = Loopback::start(vec![cut(), cut(), cut(), success()]);
    let error = request_error(create(&client_for(&server)).await.expect_err("every attempt is cut"));
    match &error {
        RequestError::Http(e) => assert_eq!(e.kind(), HttpErrorKind::Io, "{error:?}"),
        other => panic!("expected an I/O error, got {other:?}"),
    }
    assert_eq!(server.requests().len(), 3, "attempts");
    assert_eq!(error.attempts(), Some(3), "the error counts the attempts made");
    assert_eq!(server.unused_replies(), 1);
    assert_one_client_token(&server.requests(), None);
}

#[tokio::test]
async fn a_response_slower_than_the_attempt_timeout_is_retried() {
    let server = Loopback::start(vec![Reply::delayed(LATE, success()), success()]);
    let client = Client::new(config_for(&server).attempt_timeout(ATTEMPT_TIMEOUT).build());
    assert_eq!(create(&client).await.expect("the retry succeeds").as_deref(), Some(ARN));
    let requests = server.requests();
    assert_eq!(requests.len(), 2, "attempts");
    assert_abandoned_at_the_attempt_timeout(&requests[..1]);
    assert_one_client_token(&requests, None);
    assert_pauses_within_policy("timeout, 200", &requests, &RetryConfig::standard());
}

#[tokio::test]
async fn a_connection_that_stalls_mid_body_times_out_and_is_retried() {
    // The attempt timeout covers the whole response, not only its head.
    let body = format!(r#"{{"ModelPackageArn":"{ARN}"}}"#);
    let stall = Reply::StallMidBody { response: Response::json(200, &body), sent: 10, stall: LATE };
    let server = Loopback::start(vec![stall, success()]);
    let client = Client::new(config_for(&server).attempt_timeout(ATTEMPT_TIMEOUT).build());
    assert_eq!(create(&client).await.expect("the retry succeeds").as_deref(), Some(ARN));
    let requests = server.requests();
    assert_eq!(requests.len(), 2, "attempts");
    assert_abandoned_at_the_attempt_timeout(&requests[..1]);
    assert_one_client_token(&requests, None);
    assert_pauses_within_policy("stall mid-body, 200", &requests, &RetryConfig::standard());
}

#[tokio::test]
async fn the_operation_timeout_bounds_the_whole_call_retries_included() {
    let late = || Reply::delayed(LATE, success());
    let server = Loopback::start(vec![late(), late(), late(), success()]);
    let limit = Duration::from_millis(300);
    let client = Client::new(config_for(&server).attempt_timeout(ATTEMPT_TIMEOUT).operation_timeout(limit).build());
    let started = std::time::Instant::now();
    let error = request_error(create(&client).await.expect_err("out of time"));
    let elapsed = started.elapsed();
    // Attempt 1 times out at 200 ms; whether attempt 2 starts depends on the random backoff,
    // but it cannot finish before 400 ms: the operation timeout ends the call at 300 ms.
    assert!(matches!(error, RequestError::OperationTimeout(d) if d == limit), "{error:?}");
    assert_eq!(error.to_string(), "the call did not complete within 300ms");
    println!("operation timeout: the call ended after {} ms", elapsed.as_millis());
    assert!(elapsed >= limit && elapsed < limit + SLACK, "{elapsed:?}");
    assert!((1..=2).contains(&server.requests().len()), "{:#?}", server.requests());
}

#[tokio::test]
async fn when_every_attempt_times_out_the_call_fails_with_a_timeout_error() {
    let late = || Reply::delayed(LATE, success());
    let server = Loopback::start(vec![late(), late(), late(), success()]);
    let client = Client::new(config_for(&server).attempt_timeout(ATTEMPT_TIMEOUT).build());
    let error = request_error(create(&client).await.expect_err("every attempt times out"));
    match &error {
        RequestError::Http(e) => assert_eq!(e.kind(), HttpErrorKind::Timeout, "{error:?}"),
        other => panic!("expected a timeout, got {other:?}"),
    }
    assert!(error.to_string().starts_with("timed out (127.0.0.1:"), "{error}");
    assert!(error.to_string().ends_with("no complete response within 200ms"), "{error}");
    // The client closes the last attempt's connection from a background task, which runs only
    // while this test awaits; the server notices within 10 ms.
    for _ in 0..100 {
        if server.is_settled() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    let requests = server.requests();
    assert_eq!(requests.len(), 3, "attempts");
    assert_eq!(server.unused_replies(), 1);
    assert_abandoned_at_the_attempt_timeout(&requests);
    assert_one_client_token(&requests, None);
    assert_pauses_within_policy("timeout ×3", &requests, &RetryConfig::standard());
}

#[tokio::test]
async fn an_html_page_on_a_502_is_retried_then_reported_as_malformed() {
    let page = "<html><head><title>502 Bad Gateway</title></head><body><h1>502 Bad Gateway</h1></body></html>";
    let gateway = || Reply::Respond(Response::html(502, page).header("x-amzn-RequestId", "req-html-502"));
    let server = Loopback::start(vec![gateway(), gateway(), gateway(), success()]);
    let error = request_error(create(&client_for(&server)).await.expect_err("three 502s"));
    match &error {
        RequestError::MalformedResponse { status, request_id, reason, excerpt } => {
            assert_eq!(*status, 502);
            assert_eq!(request_id.as_deref(), Some("req-html-502"));
            assert!(reason.contains("not JSON"), "{reason}");
            assert_eq!(excerpt, page);
        }
        other => panic!("expected a malformed response, got {other:?}"),
    }
    let text = error.to_string();
    assert!(text.starts_with("unreadable response: the error body is not JSON"), "{text}");
    assert!(
        text.contains("(HTTP 502, request id req-html-502); body starts \"<html><head><title>502 Bad Gateway"),
        "{text}"
    );
    let requests = server.requests();
    assert_eq!(requests.len(), 3, "attempts");
    assert_eq!(server.unused_replies(), 1);
    assert_one_client_token(&requests, None);
    assert_pauses_within_policy("502 HTML ×3", &requests, &RetryConfig::standard());
}

#[tokio::test]
async fn an_html_page_on_a_502_then_success_succeeds() {
    let server = Loopback::start(vec![Reply::html(502, "<html>Bad Gateway</html>"), success()]);
    assert_eq!(create(&client_for(&server)).await.expect("the retry succeeds").as_deref(), Some(ARN));
    assert_eq!(server.requests().len(), 2, "attempts");
    assert_one_client_token(&server.requests(), None);
}

#[tokio::test]
async fn an_output_and_an_error_carry_the_request_id_of_their_response() {
    let unavailable = Response::error(503, "ServiceUnavailable", "busy").header("x-amzn-RequestId", "req-busy-1");
    let created =
        Response::json(200, &format!(r#"{{"ModelPackageArn":"{ARN}"}}"#)).header("x-amzn-RequestId", "req-ok-2");
    let server = Loopback::start(vec![Reply::Respond(unavailable), Reply::Respond(created)]);
    let client = client_for(&server);
    let output = client.create_model_package().model_package_name("faults").send().await.expect("the retry succeeds");
    assert_eq!(output.request_id(), Some("req-ok-2"), "the id of the response the output was read from");

    // An error read from a response has its id, whether the service's error or an unreadable body.
    let truncated = Response::json(200, r#"{"ModelPackageArn":"arn:aws:sag"#).header("x-amzn-RequestId", "req-cut-3");
    let server = Loopback::start(vec![Reply::Respond(truncated)]);
    let error = create(&client_for(&server)).await.expect_err("truncated JSON");
    assert_eq!(RequestId::request_id(&error), Some("req-cut-3"));
    assert_eq!(error.request_id(), Some("req-cut-3"));

    // Without the header there is none, and nothing is made up.
    let server = Loopback::start(vec![success()]);
    let bare = client_for(&server).create_model_package().model_package_name("faults").send().await.expect("ok");
    assert_eq!(bare.request_id(), None);
    // The id describes the response, not the value: the same members compare equal.
    assert_eq!(bare, output);
}

#[tokio::test]
async fn max_attempts_five_makes_five_attempts() {
    // A shorter initial backoff keeps the test quick; the bounds follow it (0.2, 0.4, 0.8, 1.6 s).
    let retry = RetryConfig::standard().with_max_attempts(5).with_initial_backoff(Duration::from_millis(200));
    let failure = || Reply::error(500, "InternalFailure", "still failing");
    let server = Loopback::start(vec![failure(), failure(), failure(), failure(), failure(), success()]);
    let client = Client::new(config_for(&server).retry_config(retry.clone()).build());
    let error = create(&client).await.expect_err("five failures");
    let metadata = error.metadata().expect("a service error");
    assert_eq!((metadata.code.as_str(), metadata.status), ("InternalFailure", 500));
    let requests = server.requests();
    assert_eq!(requests.len(), 5, "attempts");
    assert_eq!(server.unused_replies(), 1);
    assert_one_client_token(&requests, None);
    assert_pauses_within_policy("500 ×5 (initial backoff 200 ms)", &requests, &retry);
}

// ---------------------------------------------------------------------------------------------
// Failures that are not retried

#[tokio::test]
async fn an_html_page_on_a_400_is_malformed_and_not_retried() {
    let page = "<html><body>400 Bad Request: request header too large</body></html>";
    let server = Loopback::start(vec![Reply::html(400, page), success()]);
    let error = request_error(create(&client_for(&server)).await.expect_err("a 400"));
    match &error {
        RequestError::MalformedResponse { status, request_id, excerpt, .. } => {
            assert_eq!(*status, 400);
            assert_eq!(*request_id, None);
            assert_eq!(excerpt, page);
        }
        other => panic!("expected a malformed response, got {other:?}"),
    }
    assert!(error.to_string().contains("(HTTP 400); body starts \"<html><body>400 Bad Request"), "{error}");
    assert_eq!(server.requests().len(), 1, "attempts");
    assert_eq!(server.unused_replies(), 1);
}

#[tokio::test]
async fn truncated_json_on_a_200_is_malformed_not_a_panic() {
    // A complete HTTP message whose JSON stops half-way.
    let truncated = r#"{"ModelPackageArn":"arn:aws:sagemaker:us-east-1:1234"#;
    let server = Loopback::start(vec![Reply::json(200, truncated), success()]);
    let error = request_error(create(&client_for(&server)).await.expect_err("unreadable"));
    match &error {
        RequestError::MalformedResponse { status, reason, excerpt, .. } => {
            assert_eq!(*status, 200);
            assert!(reason.starts_with("the body is not JSON"), "{reason}");
            assert_eq!(excerpt, truncated);
        }
        other => panic!("expected a malformed response, got {other:?}"),
    }
    // A 200 is not a transient failure: the server did the work, so it is not retried.
    assert_eq!(server.requests().len(), 1, "attempts");
    assert_eq!(server.unused_replies(), 1);
}

#[tokio::test]
async fn json_of_the_wrong_shape_on_a_200_is_malformed() {
    let server = Loopback::start(vec![Reply::json(200, r#"{"ModelPackageArn":42}"#)]);
    let error = request_error(create(&client_for(&server)).await.expect_err("does not fit the output"));
    match &error {
        RequestError::MalformedResponse { status: 200, reason, .. } => {
            assert!(reason.starts_with("the body does not fit the output"), "{reason}");
            assert!(reason.contains("ModelPackageArn"), "the reason names the member: {reason}");
        }
        other => panic!("expected a malformed response, got {other:?}"),
    }
}

#[tokio::test]
async fn a_declared_body_beyond_the_cap_is_refused_unread() {
    // 64 MiB announced; the client's cap is 20 MiB.
    let huge = Response::json(200, "{}").header("Content-Length", (64u64 << 20).to_string());
    let server = Loopback::start(vec![Reply::Respond(huge), success()]);
    let error = request_error(create(&client_for(&server)).await.expect_err("too large"));
    match &error {
        RequestError::Http(e) => assert_eq!(e.kind(), HttpErrorKind::BodyTooLarge, "{error:?}"),
        other => panic!("expected a body-too-large error, got {other:?}"),
    }
    assert!(error.to_string().contains("larger than the limit of 20971520 bytes"), "{error}");
    assert_eq!(server.requests().len(), 1, "attempts");
    assert_eq!(server.unused_replies(), 1);
}

#[tokio::test]
async fn a_streamed_body_beyond_the_cap_is_a_typed_error() {
    // Chunked, so no length up front: the client must stop reading at the cap.
    let server = Loopback::start(vec![Reply::Stream { status: 200, size: 21 << 20 }, success()]);
    let error = request_error(create(&client_for(&server)).await.expect_err("too large"));
    match &error {
        RequestError::Http(e) => assert_eq!(e.kind(), HttpErrorKind::BodyTooLarge, "{error:?}"),
        other => panic!("expected a body-too-large error, got {other:?}"),
    }
    assert_eq!(server.requests().len(), 1, "attempts");
    assert_eq!(server.unused_replies(), 1);
}

#[tokio::test]
async fn an_unknown_error_code_is_unmodeled_with_code_message_status_and_request_id() {
    let unknown = Response::error(400, "com.amazonaws.sagemaker#ModelPackageFrozenException", "the package is frozen")
        .header("x-amzn-RequestId", "req-unknown-1");
    let server = Loopback::start(vec![Reply::Respond(unknown), success()]);
    let error = create(&client_for(&server)).await.expect_err("a service error");
    match &error {
        CreateModelPackageError::Unmodeled(metadata) => {
            assert_eq!(metadata.code, "ModelPackageFrozenException");
            assert_eq!(metadata.message.as_deref(), Some("the package is frozen"));
            assert_eq!(metadata.status, 400);
            assert_eq!(metadata.request_id.as_deref(), Some("req-unknown-1"));
        }
        other => panic!("expected an unmodelled error, got {other:?}"),
    }
    assert_eq!(error.code(), Some("ModelPackageFrozenException"));
    assert_eq!(error.request_id(), Some("req-unknown-1"));
    assert_eq!(
        error.to_string(),
        "CreateModelPackage failed: ModelPackageFrozenException: the package is frozen (HTTP 400, request id req-unknown-1)"
    );
    assert_eq!(server.requests().len(), 1, "attempts");
    assert_eq!(server.unused_replies(), 1);
}

#[tokio::test]
async fn a_conflict_exception_is_the_typed_variant_with_its_message() {
    let conflict = Response::json(
        400,
        r#"{"__type":"ConflictException","Message":"a model package named faults is being created"}"#,
    )
    .header("x-amzn-RequestId", "req-conflict-1");
    let server = Loopback::start(vec![Reply::Respond(conflict), success()]);
    let error = create(&client_for(&server)).await.expect_err("a conflict");
    match &error {
        CreateModelPackageError::ConflictException(e) => {
            assert_eq!(e.message.as_deref(), Some("a model package named faults is being created"));
            assert_eq!(e.error_message(), e.message.as_deref());
            assert_eq!(e.error_metadata.code, "ConflictException");
            assert_eq!(e.error_metadata.status, 400);
            assert_eq!(e.error_metadata.request_id.as_deref(), Some("req-conflict-1"));
        }
        other => panic!("expected a ConflictException, got {other:?}"),
    }
    assert_eq!(
        error.to_string(),
        "CreateModelPackage failed: ConflictException: a model package named faults is being created \
         (HTTP 400, request id req-conflict-1)"
    );
    assert_eq!(server.requests().len(), 1, "attempts");
}

#[tokio::test]
async fn a_conflict_exception_with_a_lower_case_message_key_still_shows_its_message() {
    let server = Loopback::start(vec![Reply::error(400, "ConflictException", "being created")]);
    let error = create(&client_for(&server)).await.expect_err("a conflict");
    let CreateModelPackageError::ConflictException(e) = &error else { panic!("expected a conflict, got {error:?}") };
    assert_eq!(e.error_message(), Some("being created"));
    assert_eq!(error.to_string(), "CreateModelPackage failed: ConflictException: being created (HTTP 400)");
}

#[tokio::test]
async fn a_non_retryable_400_is_sent_exactly_once() {
    let server = Loopback::start(vec![Reply::error(400, "ValidationException", "1 validation error"), success()]);
    let error = create(&client_for(&server)).await.expect_err("a validation error");
    assert_eq!(error.code(), Some("ValidationException"));
    assert_eq!(server.requests().len(), 1, "attempts");
    assert_eq!(server.unused_replies(), 1);
}

#[tokio::test]
async fn with_retries_disabled_a_503_is_sent_once() {
    let server = Loopback::start(vec![Reply::error(503, "ServiceUnavailable", "try again later"), success()]);
    let client = Client::new(config_for(&server).retry_config(RetryConfig::disabled()).build());
    let error = create(&client).await.expect_err("no retry");
    let metadata = error.metadata().expect("a service error");
    assert_eq!((metadata.code.as_str(), metadata.status), ("ServiceUnavailable", 503));
    assert_eq!(server.requests().len(), 1, "attempts");
    assert_eq!(server.unused_replies(), 1);
}

// ---------------------------------------------------------------------------------------------
// Checks before sending

#[tokio::test]
async fn a_missing_required_member_fails_before_any_request() {
    let server = Loopback::start(vec![Reply::json(200, "{}")]);
    let error = client_for(&server).create_model_package_group().send().await.expect_err("no name");
    let CreateModelPackageGroupError::Request(RequestError::InvalidInput(invalid)) = &error else {
        panic!("expected invalid input, got {error:?}");
    };
    assert_eq!(invalid.problems().len(), 1);
    assert_eq!(invalid.problems()[0].path, "ModelPackageGroupName");
    assert_eq!(invalid.problems()[0].kind, ProblemKind::Missing);
    assert_eq!(
        error.to_string(),
        "CreateModelPackageGroup failed: invalid input (1 problem); `ModelPackageGroupName` is required but missing"
    );
    assert_eq!(server.requests().len(), 0, "nothing reaches the server");
}

#[tokio::test]
async fn validate_input_rejects_a_too_long_name_without_sending() {
    let long_name = "a".repeat(64); // EntityName: 1..=63
    let server = Loopback::start(vec![Reply::json(200, "{}")]);
    let client = Client::new(config_for(&server).validate_input(true).build());
    let error = client.create_model_package_group().model_package_group_name(&long_name).send().await;
    let error = error.expect_err("too long");
    let CreateModelPackageGroupError::Request(RequestError::InvalidInput(invalid)) = &error else {
        panic!("expected invalid input, got {error:?}");
    };
    assert_eq!(invalid.problems()[0].path, "ModelPackageGroupName");
    assert_eq!(invalid.problems()[0].kind, ProblemKind::Length { length: 64, min: Some(1), max: Some(63) });
    assert!(error.to_string().contains("`ModelPackageGroupName` has length 64, outside 1..=63"), "{error}");
    assert_eq!(server.requests().len(), 0, "nothing reaches the server");

    // Without `validate_input` the service is the judge: the same call is sent.
    let arn = r#"{"ModelPackageGroupArn":"arn:aws:sagemaker:us-east-1:123456789012:model-package-group/a"}"#;
    let server = Loopback::start(vec![Reply::json(200, arn)]);
    let client = client_for(&server);
    client.create_model_package_group().model_package_group_name(&long_name).send().await.expect("sent");
    assert_eq!(server.requests().len(), 1);
}

// ---------------------------------------------------------------------------------------------
// What errors, config and client show

#[tokio::test]
async fn no_error_config_or_client_text_shows_the_secret_key_or_session_token() {
    let server = Loopback::start(vec![
        Reply::Respond(Response::error(400, "SomethingUnknown", "unknown").header("x-amzn-RequestId", "req-secret-1")),
        Reply::error(400, "ConflictException", "conflict"),
        Reply::html(502, "<html>Bad Gateway</html>"),
        Reply::json(200, r#"{"ModelPackageArn":"#),
        Reply::delayed(LATE, success()),
        Reply::Reset,
        Reply::Respond(Response::json(200, "{}").header("Content-Length", (64u64 << 20).to_string())),
        success(),
    ]);
    let config = config_for(&server).retry_config(RetryConfig::disabled()).attempt_timeout(ATTEMPT_TIMEOUT).build();
    let client = Client::new(config.clone());

    let mut texts = vec![
        ("config", format!("{config:?}\n{config:#?}")),
        ("client", format!("{client:?}\n{client:#?}")),
        ("config builder", format!("{:?}", config_for(&server))),
        ("fluent builder", format!("{:?}", client.create_model_package().model_package_name("faults"))),
        ("credentials", format!("{:?}", credentials())),
    ];
    let mut kinds = Vec::new();
    for _ in 0..7 {
        let error = create(&client).await.expect_err("every scripted reply but the last fails");
        kinds.push(match &error {
            CreateModelPackageError::Unmodeled(m) => format!("Unmodeled({})", m.code),
            CreateModelPackageError::ConflictException(_) => "ConflictException".to_string(),
            CreateModelPackageError::Request(RequestError::MalformedResponse { status, .. }) => {
                format!("MalformedResponse({status})")
            }
            CreateModelPackageError::Request(RequestError::Http(e)) => format!("Http({:?})", e.kind()),
            other => format!("{other:?}"),
        });
        texts.push(("error", error_texts(&error)));
    }
    assert_eq!(
        kinds,
        [
            "Unmodeled(SomethingUnknown)",
            "ConflictException",
            "MalformedResponse(502)",
            "MalformedResponse(200)",
            "Http(Timeout)",
            "Http(Io)",
            "Http(BodyTooLarge)"
        ]
    );
    create(&client).await.expect("the last reply succeeds");

    let invalid = client.create_model_package_group().send().await.expect_err("invalid input");
    texts.push(("invalid input", error_texts(&invalid)));

    // A session token that cannot go in a header: the signing error must not quote it.
    let bad = Credentials::new("AKIDFAULTS", SECRET_KEY, Some("BAD-TOKEN-3e1f\nc0ffee-SESSION".into()), None, "t");
    let unsignable =
        Client::new(Config::builder().region("us-east-1").credentials(bad).endpoint_url(server.url()).build());
    let signing = create(&unsignable).await.expect_err("cannot sign");
    assert!(matches!(signing, CreateModelPackageError::Request(RequestError::Signing(_))), "{signing:?}");
    texts.push(("signing error", error_texts(&signing)));
    texts.push(("client with a bad token", format!("{unsignable:?}")));

    for (what, text) in &texts {
        assert_no_secret(what, text);
    }
    // The credentials are still recognisable where that helps: the access key id is not secret.
    assert!(texts[0].1.contains("AKIDFAULTS"), "{}", texts[0].1);
    assert_eq!(server.requests().len(), 8, "the signing failure sent nothing");
}
