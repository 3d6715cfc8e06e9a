//! Property tests of restJson1 responses: random and mutated responses (status, headers, body)
//! handed to `parse_response` of two operations written as the generator writes restJson1
//! operations (one with header, status and blob-payload members, one with a JSON body and
//! header members, both with a modelled error bound to a header) never panic: every response
//! gives an output, a service error or a `MalformedResponse`.

use aws_smithy_types::date_time::Format;
use aws_smithy_types::{Blob, DateTime};
use awsgen_runtime::client::{HttpResponse, NoInput, ServiceInfo};
use awsgen_runtime::error::{ErrorMetadata, RequestError};
use awsgen_runtime::http_bindings as bindings;
use awsgen_runtime::json::{self, FromJson, JsonError};
use awsgen_runtime::operation::{self, Failure, ModeledError, Operation, OperationError};
use awsgen_runtime::path::Path;
use awsgen_runtime::protocol::{ErrorBody, Protocol, ProtocolRequest, rest_json};
use awsgen_runtime::request_id::Output;
use proptest::prelude::*;

fn config(cases: u32) -> ProptestConfig {
    let cases = std::env::var("PROPTEST_CASES").ok().and_then(|n| n.parse().ok()).unwrap_or(cases);
    ProptestConfig { cases, failure_persistence: None, max_shrink_iters: 1024, ..ProptestConfig::default() }
}

const SERVICE: ServiceInfo = ServiceInfo {
    protocol: Protocol::RestJson,
    signing_name: "test",
    endpoint_prefix: "test",
    endpoint_env_name: "TEST",
    endpoint_rule_set: None,
    partitions: "{}",
};

/// Like InvokeEndpoint's output: a blob payload and header members, plus the status.
#[derive(Debug, Default)]
struct PayloadOutput {
    body: Option<Blob>,
    content_type: Option<String>,
    count: Option<i64>,
    when: Option<DateTime>,
    attributes: Option<String>,
    list: Option<Vec<i32>>,
    status: Option<i32>,
}

impl Output for PayloadOutput {
    fn set_request_id(&mut self, _request_id: Option<String>) {}
}

/// An output with JSON body members and a header member.
#[derive(Debug, Default)]
struct BodyOutput {
    name: Option<String>,
    size: Option<i64>,
    tag: Option<String>,
}

impl Output for BodyOutput {
    fn set_request_id(&mut self, _request_id: Option<String>) {}
}

impl FromJson for BodyOutput {
    fn from_json(value: &serde_json::Value, path: &Path<'_>) -> Result<Self, JsonError> {
        let mut out = Self::default();
        for (key, value) in json::object(value, path)? {
            let path = path.key(key);
            match key.as_str() {
                "Name" => out.name = json::optional(value, &path)?,
                "Size" => out.size = json::optional(value, &path)?,
                _ => {}
            }
        }
        Ok(out)
    }
}

/// A modelled error with a body member and a header member.
#[derive(Debug, Default)]
struct Throttled {
    message: Option<String>,
    retry_after: Option<i32>,
    metadata: ErrorMetadata,
}

impl FromJson for Throttled {
    fn from_json(value: &serde_json::Value, path: &Path<'_>) -> Result<Self, JsonError> {
        let mut out = Self::default();
        for (key, value) in json::object(value, path)? {
            if key == "message" {
                out.message = json::optional(value, &path.key(key))?;
            }
        }
        Ok(out)
    }
}

impl ModeledError for Throttled {
    fn metadata_mut(&mut self) -> &mut ErrorMetadata {
        &mut self.metadata
    }

    fn read_members(body: &ErrorBody) -> Option<Self> {
        let mut error: Self = awsgen_runtime::protocol::aws_json::read_error_members(body)?;
        let headers = &body.headers;
        error.retry_after = bindings::header(headers, "Retry-After", "RetryAfter").ok().flatten();
        Some(error)
    }
}

#[derive(Debug)]
enum TestError {
    Throttled(Throttled),
    Unmodeled(ErrorMetadata),
    Request(RequestError),
}

impl From<RequestError> for TestError {
    fn from(error: RequestError) -> Self {
        TestError::Request(error)
    }
}

impl OperationError for TestError {
    const OPERATION: &'static str = "Test";

    fn from_service_error(metadata: ErrorMetadata, body: &ErrorBody) -> Self {
        match metadata.code.as_str() {
            "Throttled" => TestError::Throttled(Throttled::from_response(metadata, body)),
            _ => TestError::Unmodeled(metadata),
        }
    }

    fn failure(&self) -> Failure<'_> {
        match self {
            TestError::Throttled(error) => Failure::Unmodeled(&error.metadata),
            TestError::Unmodeled(metadata) => Failure::Unmodeled(metadata),
            TestError::Request(error) => Failure::Request(error),
        }
    }
}

struct PayloadOperation;

impl Operation for PayloadOperation {
    const NAME: &'static str = "Payload";
    type Input = NoInput;
    type Output = PayloadOutput;
    type Error = TestError;

    fn write_request(_input: &NoInput, _service: &ServiceInfo) -> Result<ProtocolRequest, RequestError> {
        unreachable!("only responses are read here")
    }

    fn read_output(response: &HttpResponse) -> Result<PayloadOutput, String> {
        let mut output: PayloadOutput = rest_json::read_bound_output(response);
        let headers = response.headers();
        output.body = rest_json::read_blob_payload(response);
        output.content_type = bindings::header(headers, "Content-Type", "ContentType")?;
        output.count = bindings::header(headers, "X-Count", "Count")?;
        output.when = bindings::timestamp_header(headers, "X-When", "When", Format::HttpDate)?;
        output.attributes = bindings::json_value_header(headers, "X-Attributes", "Attributes")?;
        output.list = bindings::header_list(headers, "X-List", "List")?;
        output.status = Some(i32::from(response.status().as_u16()));
        Ok(output)
    }
}

struct BodyOperation;

impl Operation for BodyOperation {
    const NAME: &'static str = "Body";
    type Input = NoInput;
    type Output = BodyOutput;
    type Error = TestError;

    fn write_request(_input: &NoInput, _service: &ServiceInfo) -> Result<ProtocolRequest, RequestError> {
        unreachable!("only responses are read here")
    }

    fn read_output(response: &HttpResponse) -> Result<BodyOutput, String> {
        let mut output: BodyOutput = rest_json::read_json_output(response)?;
        output.tag = bindings::header(response.headers(), "X-Tag", "Tag")?;
        Ok(output)
    }
}

/// A header value as a server might mangle it: any bytes a header value may hold.
fn header_value() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        proptest::collection::vec(prop_oneof![0x20u8..0x7f, 0x80u8..=0xff, Just(b'\t')], 0..24),
        Just(b"12".to_vec()),
        Just(b"Mon, 16 Dec 2019 23:48:18 GMT".to_vec()),
        Just(b"eyJhIjoxfQ==".to_vec()),
        Just(b"1, 2, \"3\"".to_vec()),
    ]
}

fn header_name() -> impl Strategy<Value = &'static str> {
    prop_oneof![
        Just("content-type"),
        Just("x-count"),
        Just("x-when"),
        Just("x-attributes"),
        Just("x-list"),
        Just("x-tag"),
        Just("retry-after"),
        Just("x-amzn-errortype"),
        Just("x-amzn-requestid"),
    ]
}

fn body() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        proptest::collection::vec(any::<u8>(), 0..64),
        Just(br#"{"Name": "n", "Size": 3}"#.to_vec()),
        Just(br#"{"Name": 3, "Size": "x"}"#.to_vec()),
        Just(br#"{"__type": "Throttled", "message": "slow down"}"#.to_vec()),
        Just(br#"{"code": "ns#Throttled:x", "message": ["no"]}"#.to_vec()),
        Just(b"[1, 2".to_vec()),
    ]
}

fn response(status: u16, headers: &[(&'static str, Vec<u8>)], body: Vec<u8>) -> HttpResponse {
    let mut response = http::Response::builder().status(status).body(bytes::Bytes::from(body)).unwrap();
    for (name, value) in headers {
        if let Ok(value) = http::HeaderValue::from_bytes(value) {
            response.headers_mut().append(*name, value);
        }
    }
    response
}

proptest! {
    #![proptest_config(config(512))]

    #[test]
    fn no_response_panics_a_rest_json_operation(
        status in prop_oneof![Just(200u16), Just(204), Just(400), Just(429), Just(500), 100u16..600],
        headers in proptest::collection::vec((header_name(), header_value()), 0..6),
        body in body(),
    ) {
        let response = response(status, &headers, body);
        let _ = operation::parse_response::<PayloadOperation>(&SERVICE, &response);
        let _ = operation::parse_response::<BodyOperation>(&SERVICE, &response);
    }
}

#[test]
fn bad_headers_are_malformed_responses_naming_header_and_member() {
    for (name, value, header, member) in [
        ("x-count", "many", "X-Count", "Count"),
        ("x-when", "yesterday", "X-When", "When"),
        ("x-attributes", "not base64!", "X-Attributes", "Attributes"),
    ] {
        let response = response(200, &[(name, value.as_bytes().to_vec())], b"abc".to_vec());
        match operation::parse_response::<PayloadOperation>(&SERVICE, &response) {
            Err(TestError::Request(RequestError::MalformedResponse { reason, .. })) => {
                assert!(reason.contains(header) && reason.contains(member), "{reason}");
            }
            other => panic!("{name}: {value} gave {other:?}"),
        }
    }
    let ok = response(200, &[("x-count", b"12".to_vec()), ("x-amz-request-id", b"r".to_vec())], b"abc".to_vec());
    let output = operation::parse_response::<PayloadOperation>(&SERVICE, &ok).unwrap();
    assert_eq!((output.count, output.body.as_ref().map(|b| b.as_ref().to_vec())), (Some(12), Some(b"abc".to_vec())));
    assert_eq!(
        (output.status, output.content_type, output.when, output.list, output.attributes),
        (Some(200), None, None, None, None)
    );
}

#[test]
fn modelled_errors_read_their_header_members() {
    let throttled = response(
        429,
        &[("x-amzn-errortype", b"Throttled:http://internal".to_vec()), ("retry-after", b"5".to_vec())],
        br#"{"message": "slow down"}"#.to_vec(),
    );
    match operation::parse_response::<BodyOperation>(&SERVICE, &throttled) {
        Err(TestError::Throttled(error)) => {
            assert_eq!((error.message.as_deref(), error.retry_after), (Some("slow down"), Some(5)));
        }
        other => panic!("{other:?}"),
    }
    // A header member that does not parse is left unset; the error is still the one named.
    let unparsed = response(
        429,
        &[("x-amzn-errortype", b"Throttled".to_vec()), ("retry-after", b"soon".to_vec())],
        br#"{"message": "slow down"}"#.to_vec(),
    );
    match operation::parse_response::<BodyOperation>(&SERVICE, &unparsed) {
        Err(TestError::Throttled(error)) => {
            assert_eq!((error.message.as_deref(), error.retry_after), (Some("slow down"), None));
        }
        other => panic!("{other:?}"),
    }
}
