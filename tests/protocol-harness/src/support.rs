//! What the cases share: the clients' config, building responses, observing requests.

use std::future::Future;
use std::task::{Context, Poll, Waker};

use serde_json::{Value, json};

use awsgen_runtime::client::{HttpRequest, HttpResponse};
use awsgen_runtime::config::Config;
use awsgen_runtime::credentials::Credentials;

/// What every case's client uses as idempotency token when the caller sets none (the value
/// the suites expect).
pub const IDEMPOTENCY_TOKEN: &str = "00000000-0000-4000-8000-000000000000";

/// The config of every case's client: a fixed region, credentials, clock and idempotency token.
pub fn config(endpoint: &str) -> Config {
    Config::builder()
        .region("us-east-1")
        .credentials(Credentials::new("AKID", "SECRET", None, None, "protocol-tests"))
        .endpoint_url(endpoint)
        .idempotency_token_source(|| IDEMPOTENCY_TOKEN.to_string())
        .time_source(|| std::time::UNIX_EPOCH + std::time::Duration::from_secs(1_700_000_000))
        .build()
}

/// Runs a future that never waits (preparing a request with static credentials does not).
pub fn block_on<F: Future>(future: F) -> F::Output {
    let mut future = std::pin::pin!(future);
    match future.as_mut().poll(&mut Context::from_waker(Waker::noop())) {
        Poll::Ready(output) => output,
        Poll::Pending => panic!("preparing the request waited on I/O or a timer"),
    }
}

/// A request as the harness compares it.
pub fn observe_request<E: std::fmt::Display>(request: Result<HttpRequest, E>) -> Value {
    match request {
        Ok(request) => {
            let headers: Vec<Value> = request
                .headers()
                .iter()
                .map(|(name, value)| json!([name.as_str(), String::from_utf8_lossy(value.as_bytes())]))
                .collect();
            json!({"request": {
                "method": request.method().as_str(),
                "url": request.uri().to_string(),
                "headers": headers,
                "body": aws_smithy_types::base64::encode(request.body()),
            }})
        }
        Err(error) => json!({"failure": error.to_string()}),
    }
}

/// An HTTP response with `status`, `headers` and `body`.
pub fn response(status: u16, headers: &[(&str, &str)], body: &str) -> HttpResponse {
    let mut response = http::Response::builder().status(status);
    for (name, value) in headers {
        response = response.header(*name, *value);
    }
    response.body(bytes::Bytes::from(body.to_string())).expect("a valid response")
}

/// An HTTP response with `status`, `headers` and a binary `body` (rpcv2Cbor's).
pub fn response_bytes(status: u16, headers: &[(&str, &str)], body: &[u8]) -> HttpResponse {
    let mut response = http::Response::builder().status(status);
    for (name, value) in headers {
        response = response.header(*name, *value);
    }
    response.body(bytes::Bytes::copy_from_slice(body)).expect("a valid response")
}

/// A document from JSON text, read as a response's document member is.
pub fn document(json: &str) -> aws_smithy_types::Document {
    let value: Value = serde_json::from_str(json).expect("valid JSON");
    awsgen_runtime::json::FromJson::from_json(&value, &awsgen_runtime::path::Path::Root)
        .expect("any JSON is a document")
}
