//! CloudWatch over rpcv2Cbor against a loopback server: the program `tests/cbor_loopback.rs`
//! generates CloudWatch's client for, builds and runs (moto does not speak CBOR). Real signed
//! requests go to the loopback server of `tests/support/loopback.rs`; the program decodes each
//! request body with the harness's own CBOR decoder (`xtask/src/cbor_value.rs`, not the
//! runtime's reader) and checks path, headers and body; the server answers CBOR outputs, modelled
//! errors (one named by its query code in `x-amzn-query-error`) and malformed bodies. Then random
//! and mutated bodies go to a generated `parse_response`, which must give an error, never panic.
//!
//! The two modules are included by `#[path]` at the end of the `main.rs` the test writes. One line
//! per check on stdout; a failed check panics (exit status 101).

use std::time::Duration;

use awsgen_cloudwatch::error::OperationError;
use awsgen_cloudwatch::operation::get_dashboard::GetDashboardError;
use awsgen_cloudwatch::operation::get_metric_data::{self, GetMetricDataError};
use awsgen_cloudwatch::primitives::DateTime;
use awsgen_cloudwatch::runtime::cbor::{CborWriter, ToCbor};
use awsgen_cloudwatch::runtime::client::HttpResponse;
use awsgen_cloudwatch::runtime::credentials::Credentials;
use awsgen_cloudwatch::runtime::retry::RetryConfig;
use awsgen_cloudwatch::types::{Dimension, Metric, MetricDataQuery, MetricDatum, MetricStat, StandardUnit, StatusCode};
use awsgen_cloudwatch::{Client, Config, RequestId};
use loopback::{Loopback, Reply, Request, Response};
use serde_json::{Value, json};

const SERVICE_PATH: &str = "/service/GraniteServiceVersion20100801/operation/";
const EPOCH: i64 = 1_700_000_000;

/// A CBOR response as the service sends it.
fn cbor(status: u16, body: Vec<u8>) -> Response {
    Response::new(status)
        .header("content-type", "application/cbor")
        .header("smithy-protocol", "rpc-v2-cbor")
        .header("x-amzn-requestid", format!("req-{status}-{}", body.len()))
        .body(body)
}

/// A CBOR map body, written by `members` with the runtime's writer.
fn map(members: impl FnOnce(&mut awsgen_cloudwatch::runtime::cbor::StructureWriter<'_>)) -> Vec<u8> {
    let mut writer = CborWriter::new();
    members(&mut writer.structure());
    writer.into_bytes()
}

/// A value as its CBOR bytes, for hand-made bodies.
fn bytes_of<T: ToCbor + ?Sized>(value: &T) -> Vec<u8> {
    let mut writer = CborWriter::new();
    value.write_cbor(&mut writer);
    writer.into_bytes()
}

/// Checks what every request has, and returns its decoded body.
fn check_request(request: &Request, operation: &str, with_body: bool) -> Value {
    assert_eq!(request.method, "POST", "{operation}: method");
    assert_eq!(request.path, format!("{SERVICE_PATH}{operation}"), "{operation}: path");
    assert_eq!(request.header("smithy-protocol"), Some("rpc-v2-cbor"), "{operation}: smithy-protocol");
    assert_eq!(request.header("accept"), Some("application/cbor"), "{operation}: accept");
    assert_eq!(request.header("x-amzn-query-mode"), Some("true"), "{operation}: CloudWatch is awsQueryCompatible");
    assert_eq!(request.header("x-amz-target"), None, "{operation}: no X-Amz-Target");
    let authorization = request.header("authorization").unwrap_or_default();
    assert!(
        authorization.starts_with("AWS4-HMAC-SHA256 Credential=AKIDCBOR/")
            && authorization.contains("/us-east-1/monitoring/aws4_request"),
        "{operation}: signed for monitoring: {authorization}"
    );
    if with_body {
        assert_eq!(request.header("content-type"), Some("application/cbor"), "{operation}: content-type");
        cbor_value::decode(&request.body).unwrap_or_else(|e| panic!("{operation}: the body is not CBOR: {e}"))
    } else {
        assert!(request.body.is_empty(), "{operation}: no body");
        Value::Null
    }
}

fn response(status: u16, body: &[u8]) -> HttpResponse {
    http::Response::builder()
        .status(status)
        .header("smithy-protocol", "rpc-v2-cbor")
        .body(bytes::Bytes::copy_from_slice(body))
        .expect("a response")
}

/// A valid GetMetricData output body, for the parse and mutation checks.
fn metric_data_body() -> Vec<u8> {
    map(|out| {
        let results = out.key("MetricDataResults");
        results.array(1);
        let mut result = results.structure();
        result.member("Id", "m1");
        result.member("Label", "Latency");
        result.member("Timestamps", &vec![DateTime::from_secs(EPOCH), DateTime::from_secs(EPOCH + 60)]);
        result.member("Values", &vec![1.5f64, 2.25]);
        result.member("StatusCode", "Complete");
        result.member("FutureMember", &vec!["skipped".to_string()]);
        drop(result);
        out.member("Messages", &Vec::<String>::new());
    })
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let truncated = {
        let body = metric_data_body();
        body[..body.len() / 2].to_vec()
    };
    let server = Loopback::start(vec![
        // PutMetricData: no output; an empty body.
        Reply::Respond(cbor(200, Vec::new())),
        Reply::Respond(cbor(200, metric_data_body())),
        // ListMetrics: a definite-length map written by hand, with a tag and an unknown key.
        Reply::Respond(cbor(200, {
            let mut body = vec![0xa2];
            body.extend(bytes_of("Metrics"));
            body.push(0x81);
            body.extend(map(|metric| {
                metric.member("Namespace", "App");
                metric.member("MetricName", "Latency");
                metric.member("Dimensions", &vec![host_dimension()]);
            }));
            body.extend(bytes_of("NextToken"));
            body.extend(bytes_of("page-2"));
            body
        })),
        // GetDashboard: DashboardNotFoundError by its query code (ResourceNotFound) in the header.
        Reply::Respond(
            cbor(
                404,
                map(|error| {
                    error.member("__type", "com.amazonaws.cloudwatch#DashboardNotFoundError");
                    error.member("message", "no dashboard named gone");
                }),
            )
            .header("x-amzn-query-error", "ResourceNotFound;Sender"),
        ),
        // GetDashboard: InvalidParameterValueException by its shape name in `__type` alone.
        Reply::Respond(cbor(
            400,
            map(|error| {
                error.member("__type", "com.amazonaws.cloudwatch#InvalidParameterValueException");
                error.member("message", "bad name");
            }),
        )),
        // GetDashboard: InvalidParameterValueException by its query code alone (no `__type`).
        Reply::Respond(
            cbor(400, map(|error| error.member("message", "bad too")))
                .header("x-amzn-query-error", "InvalidParameterValue;Sender"),
        ),
        // GetDashboard: an error the model does not define, named by the header.
        Reply::Respond(
            cbor(400, map(|error| error.member("__type", "Throttled")))
                .header("x-amzn-query-error", "Throttling;Sender"),
        ),
        // GetMetricData: a truncated body.
        Reply::Respond(cbor(200, truncated)),
    ]);
    let config = Config::builder()
        .region("us-east-1")
        .credentials(Credentials::new("AKIDCBOR", "cbor-secret", None, None, "static"))
        .endpoint_url(server.url())
        .retry_config(RetryConfig::disabled())
        .build();
    let client = Client::new(&config);
    let time = DateTime::from_secs(EPOCH);

    client
        .put_metric_data()
        .namespace("App")
        .metric_data(vec![
            MetricDatum::default()
                .metric_name("Latency")
                .dimensions(vec![Dimension::default().name("Host").value("a")])
                .timestamp(time)
                .value(1.5)
                .unit(StandardUnit::Milliseconds),
        ])
        .send()
        .await
        .expect("PutMetricData");
    println!("ok PutMetricData sent");

    let output = client
        .get_metric_data()
        .metric_data_queries(vec![
            MetricDataQuery::default().id("m1").metric_stat(
                MetricStat::default()
                    .metric(Metric::default().namespace("App").metric_name("Latency"))
                    .period(60)
                    .stat("Average"),
            ),
        ])
        .start_time(time)
        .end_time(DateTime::from_secs(EPOCH + 3600))
        .send()
        .await
        .expect("GetMetricData");
    let result = &output.metric_data_results.as_deref().expect("results")[0];
    assert_eq!(result.id.as_deref(), Some("m1"));
    assert_eq!(result.timestamps.as_deref(), Some(&[time, DateTime::from_secs(EPOCH + 60)][..]));
    assert_eq!(result.values.as_deref(), Some(&[1.5, 2.25][..]));
    assert_eq!(result.status_code, Some(StatusCode::Complete));
    assert!(output.request_id().is_some_and(|id| id.starts_with("req-200-")));
    println!("ok GetMetricData read");

    let listed = client.list_metrics().namespace("App").send().await.expect("ListMetrics");
    let metric = &listed.metrics.as_deref().expect("metrics")[0];
    assert_eq!(metric.metric_name.as_deref(), Some("Latency"));
    assert_eq!(metric.dimensions.as_deref().map(|d| d[0].value.as_deref()), Some(Some("a")));
    assert_eq!(listed.next_token.as_deref(), Some("page-2"));
    println!("ok ListMetrics read");

    match client.get_dashboard().dashboard_name("gone").send().await {
        Err(GetDashboardError::DashboardNotFoundError(error)) => {
            // Looked up by the shape name in `__type`; the code users see is the header's.
            assert_eq!(error.error_metadata.code, "ResourceNotFound", "the code users see is the query code");
            assert_eq!(error.error_message(), Some("no dashboard named gone"));
            assert_eq!(error.error_metadata.status, 404);
        }
        other => panic!("expected DashboardNotFoundError, got {other:?}"),
    }
    println!("ok DashboardNotFoundError by shape name, with its query code");
    match client.get_dashboard().dashboard_name("bad").send().await {
        Err(GetDashboardError::InvalidParameterValueException(error)) => {
            assert_eq!(error.error_metadata.code, "InvalidParameterValueException");
            assert_eq!(error.error_message(), Some("bad name"));
        }
        other => panic!("expected InvalidParameterValueException, got {other:?}"),
    }
    println!("ok InvalidParameterValueException by shape name");
    match client.get_dashboard().dashboard_name("bad-too").send().await {
        Err(GetDashboardError::InvalidParameterValueException(error)) => {
            assert_eq!(error.error_metadata.code, "InvalidParameterValue");
            assert_eq!(error.error_message(), Some("bad too"));
        }
        other => panic!("expected InvalidParameterValueException, got {other:?}"),
    }
    println!("ok InvalidParameterValueException by query code");
    match client.get_dashboard().dashboard_name("busy").send().await {
        Err(error @ GetDashboardError::Unmodeled(_)) => assert_eq!(error.code(), Some("Throttling")),
        other => panic!("expected an unmodelled error, got {other:?}"),
    }
    println!("ok unmodelled error by query code");

    let truncated = client
        .get_metric_data()
        .metric_data_queries(vec![MetricDataQuery::default().id("m1").expression("SUM(METRICS())")])
        .start_time(time)
        .end_time(time)
        .send()
        .await;
    match truncated {
        Err(GetMetricDataError::Request(error)) => assert!(error.to_string().contains("malformed CBOR"), "{error}"),
        other => panic!("expected a request error, got {other:?}"),
    }
    println!("ok truncated body is a request error");

    let requests = server.requests();
    assert_eq!(requests.len(), 8, "{requests:#?}");
    let put = check_request(&requests[0], "PutMetricData", true);
    let expected = json!({"Namespace": "App", "MetricData": [{
        "MetricName": "Latency",
        "Dimensions": [{"Name": "Host", "Value": "a"}],
        "Timestamp": {"$epoch": EPOCH as f64},
        "Value": 1.5,
        "Unit": "Milliseconds",
    }]});
    assert_eq!(put, expected, "PutMetricData body");
    let get = check_request(&requests[1], "GetMetricData", true);
    assert_eq!(get["MetricDataQueries"][0]["MetricStat"]["Period"], json!(60));
    assert_eq!(get["StartTime"], json!({"$epoch": EPOCH as f64}));
    check_request(&requests[2], "ListMetrics", true);
    for request in &requests[3..7] {
        let body = check_request(request, "GetDashboard", true);
        assert!(body["DashboardName"].is_string());
    }
    println!("ok requests: paths, headers, signatures and bodies");

    malformed_bodies();
    random_bodies();
    assert!(wait_settled(&server).await, "the server finished every reply");
}

fn host_dimension() -> Dimension {
    Dimension::default().name("Host").value("a")
}

/// Bodies that are not CBOR of the output: typed errors naming where, never a panic.
fn malformed_bodies() {
    let parse = |body: &[u8]| get_metric_data::parse_response(&response(200, body));
    // In a member the client does not know, which it skips: skipping is bounded too.
    let mut deep = vec![0xbf, 0x67];
    deep.extend(b"Unknown");
    deep.extend(std::iter::repeat_n(0x9f, 100_000));
    let cases: [(&str, Vec<u8>, &str); 4] = [
        ("truncated", metric_data_body()[..40].to_vec(), "malformed CBOR"),
        ("deep indefinite nesting", deep, "nest deeper"),
        ("wrong major type", vec![0x81, 0x01], "expected a map"),
        ("wrong member type", map(|m| m.member("MetricDataResults", "text")), "MetricDataResults"),
    ];
    for (name, body, expected) in cases {
        match parse(&body) {
            Err(GetMetricDataError::Request(error)) => {
                assert!(error.to_string().contains(expected), "{name}: {error}");
                println!("ok {name}: {error}");
            }
            other => panic!("{name}: expected a request error, got {other:?}"),
        }
    }
}

/// Random bodies, and a valid body with bytes changed, cut or inserted: `parse_response` gives
/// an output or an error, never panics.
fn random_bodies() {
    use proptest::prelude::*;
    use proptest::test_runner::{Config as RunnerConfig, TestRunner};

    let valid = metric_data_body();
    let mut runner = TestRunner::new(RunnerConfig { cases: 2000, ..RunnerConfig::default() });
    runner
        .run(&proptest::collection::vec(any::<u8>(), 0..200), |body| {
            let _ = get_metric_data::parse_response(&response(200, &body));
            let _ = get_metric_data::parse_response(&response(400, &body));
            Ok(())
        })
        .expect("random bodies");
    let len = valid.len();
    let edits = proptest::collection::vec((0..len, any::<u8>(), 0..3u8), 1..6);
    runner
        .run(&edits, |edits| {
            let mut body = valid.clone();
            for (at, byte, kind) in edits {
                let at = at.min(body.len().saturating_sub(1));
                match kind {
                    0 if !body.is_empty() => body[at] = byte,
                    1 => body.truncate(at),
                    _ => body.insert(at.min(body.len()), byte),
                }
            }
            let _ = get_metric_data::parse_response(&response(200, &body));
            let _ = get_metric_data::parse_response(&response(404, &body));
            Ok(())
        })
        .expect("mutated bodies");
    println!("ok 4000 random and mutated bodies without a panic");
}

async fn wait_settled(server: &Loopback) -> bool {
    for _ in 0..100 {
        if server.is_settled() {
            return true;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    false
}
