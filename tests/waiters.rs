//! Waiters against a scripted loopback server: `wait_until_*` calls the operation until an
//! acceptor of the model decides (success, failure, an error acceptor), or `max_wait` runs
//! out with the delays between attempts inside the Smithy specification's bounds.

use std::time::{Duration, Instant};

use awsgen_sagemaker::Client;
use awsgen_sagemaker::error::OperationError;
use awsgen_sagemaker::runtime::config::Config;
use awsgen_sagemaker::runtime::credentials::Credentials;
use awsgen_sagemaker::runtime::retry::RetryConfig;
use awsgen_sagemaker::runtime::waiter::{Finished, WaiterError};
use awsgen_sagemaker::types::{EndpointStatus, TrainingJobStatus};
use awsgen_tests::loopback::{Loopback, Reply, Request};

const ENDPOINT: &str = "waited-endpoint";
const MIN: Duration = Duration::from_millis(20);
const MAX: Duration = Duration::from_millis(80);

fn client_for(server: &Loopback) -> Client {
    let config = Config::builder()
        .region("us-east-1")
        .credentials(Credentials::new("AKIDWAIT", "secret", None, None, "test"))
        .endpoint_url(server.url())
        .retry_config(RetryConfig::disabled())
        .build();
    Client::new(config)
}

fn endpoint(status: &str) -> Reply {
    let body = serde_json::json!({
        "EndpointName": ENDPOINT,
        "EndpointArn": format!("arn:aws:sagemaker:us-east-1:123456789012:endpoint/{ENDPOINT}"),
        "EndpointConfigName": "config",
        "EndpointStatus": status,
        "CreationTime": 1_700_000_000,
        "LastModifiedTime": 1_700_000_000,
    });
    Reply::json(200, &body.to_string())
}

fn training_job(status: &str) -> Reply {
    let body = serde_json::json!({
        "TrainingJobName": "job",
        "TrainingJobArn": "arn:aws:sagemaker:us-east-1:123456789012:training-job/job",
        "TrainingJobStatus": status,
        "SecondaryStatus": "Starting",
        "CreationTime": 1_700_000_000,
        "AlgorithmSpecification": { "TrainingInputMode": "File" },
        "ResourceConfig": { "VolumeSizeInGB": 1 },
        "StoppingCondition": {},
        "ModelArtifacts": { "S3ModelArtifacts": "s3://b/k" },
    });
    Reply::json(200, &body.to_string())
}

fn assert_every_request_names_the_endpoint(requests: &[Request]) {
    for request in requests {
        assert_eq!(request.header("x-amz-target"), Some("SageMaker.DescribeEndpoint"));
        let body: serde_json::Value = serde_json::from_slice(&request.body).expect("a JSON body");
        assert_eq!(body["EndpointName"], ENDPOINT);
    }
}

#[tokio::test]
async fn in_service_after_creating_twice_gives_the_last_output() {
    let server = Loopback::start(vec![endpoint("Creating"), endpoint("Creating"), endpoint("InService")]);
    let finished = client_for(&server)
        .wait_until_endpoint_in_service()
        .endpoint_name(ENDPOINT)
        .min_delay(MIN)
        .max_delay(MAX)
        .wait(Duration::from_secs(10))
        .await
        .expect("the endpoint comes into service");
    let output = finished.into_output().expect("a success acceptor on the output");
    assert_eq!(output.endpoint_status, Some(EndpointStatus::InService));
    let requests = server.requests();
    assert_eq!(requests.len(), 3);
    assert_every_request_names_the_endpoint(&requests);
}

#[tokio::test]
async fn failed_matches_the_failure_acceptor() {
    let server = Loopback::start(vec![endpoint("Creating"), endpoint("Creating"), endpoint("Failed")]);
    let error = client_for(&server)
        .wait_until_endpoint_in_service()
        .endpoint_name(ENDPOINT)
        .min_delay(MIN)
        .max_delay(MAX)
        .wait(Duration::from_secs(10))
        .await
        .expect_err("Failed is a failure state");
    match &error {
        WaiterError::FailureState { waiter, acceptor, last: Finished::Output(output) } => {
            assert_eq!(*waiter, "EndpointInService");
            assert_eq!(*acceptor, "path EndpointStatus == \"Failed\"");
            assert_eq!(output.endpoint_status, Some(EndpointStatus::Failed));
        }
        other => panic!("expected the failure acceptor, got {other:?}"),
    }
    assert_eq!(
        error.to_string(),
        "waiter EndpointInService failed: the failure acceptor `path EndpointStatus == \"Failed\"` matched"
    );
    assert_eq!(server.requests().len(), 3);
}

#[tokio::test]
async fn never_in_service_times_out_with_delays_within_the_bounds() {
    let max_wait = Duration::from_millis(600);
    let server = Loopback::start((0..100).map(|_| endpoint("Creating")).collect());
    let started = Instant::now();
    let error = client_for(&server)
        .wait_until_endpoint_in_service()
        .endpoint_name(ENDPOINT)
        .min_delay(MIN)
        .max_delay(MAX)
        .wait(max_wait)
        .await
        .expect_err("the endpoint never comes into service");
    let elapsed = started.elapsed();
    let requests = server.requests();
    match error {
        WaiterError::Timeout { waiter, max_wait: reported, attempts } => {
            assert_eq!(waiter, "EndpointInService");
            assert_eq!(reported, max_wait);
            assert_eq!(attempts as usize, requests.len());
        }
        other => panic!("expected a timeout, got {other:?}"),
    }
    // Never past max_wait (slack for the last request's round trip on a busy machine).
    assert!(elapsed < max_wait + Duration::from_millis(300), "waited {elapsed:?}");
    // No more than max_wait / min_delay attempts; several, as the delays are far below max_wait.
    assert!(requests.len() >= 3 && requests.len() <= 31, "{} attempts", requests.len());
    // The last attempt came no later than max_wait (the spec keeps min_delay in hand).
    let last = requests.last().expect("requests").received_at;
    assert!(last - requests[0].received_at <= max_wait, "the last attempt came after max_wait");
    // The gaps between attempts, measured where they arrive: at least the minimum delay, at
    // most the maximum (plus a round trip); the first gap is the minimum delay exactly.
    let gaps: Vec<Duration> = requests.windows(2).map(|w| w[1].received_at - w[0].received_at).collect();
    // Slack for a round trip and scheduling on a busy machine.
    let slack = Duration::from_millis(60);
    for (i, gap) in gaps.iter().enumerate() {
        // The last gap may be cut so that the last attempt is min_delay before max_wait.
        let last = i == gaps.len() - 1;
        assert!(last || *gap >= MIN, "gap {i} of {gaps:?} is shorter than the minimum delay");
        assert!(*gap <= MAX + slack, "gap {i} of {gaps:?} is longer than the maximum delay");
    }
    assert!(gaps[0] < MIN + slack, "the first delay is the minimum delay: {gaps:?}");
    assert_every_request_names_the_endpoint(&requests);
}

#[tokio::test]
async fn error_acceptors_match_the_error_code() {
    // EndpointInService: ValidationException is a failure state.
    let server = Loopback::start(vec![Reply::error(400, "ValidationException", "Could not find endpoint")]);
    let error = client_for(&server)
        .wait_until_endpoint_in_service()
        .endpoint_name(ENDPOINT)
        .wait(Duration::from_secs(10))
        .await
        .expect_err("a failure state");
    match error {
        WaiterError::FailureState { acceptor, last: Finished::Error(error), .. } => {
            assert_eq!(acceptor, "error ValidationException");
            assert_eq!(error.code(), Some("ValidationException"));
        }
        other => panic!("expected the error acceptor, got {other:?}"),
    }

    // EndpointDeleted: the same error is its success.
    let server = Loopback::start(vec![endpoint("Deleting"), Reply::error(400, "ValidationException", "gone")]);
    let finished = client_for(&server)
        .wait_until_endpoint_deleted()
        .endpoint_name(ENDPOINT)
        .min_delay(MIN)
        .max_delay(MAX)
        .wait(Duration::from_secs(10))
        .await
        .expect("deleted");
    match finished {
        Finished::Error(error) => assert_eq!(error.code(), Some("ValidationException")),
        Finished::Output(output) => panic!("expected the error that matched, got {output:?}"),
    }
    assert_eq!(server.requests().len(), 2);
}

#[tokio::test]
async fn an_error_no_acceptor_matches_is_the_operations_error() {
    let server = Loopback::start(vec![endpoint("Creating"), Reply::error(400, "AccessDeniedException", "no")]);
    let error = client_for(&server)
        .wait_until_endpoint_in_service()
        .endpoint_name(ENDPOINT)
        .min_delay(MIN)
        .max_delay(MAX)
        .wait(Duration::from_secs(10))
        .await
        .expect_err("an error");
    match &error {
        WaiterError::Operation(error) => assert_eq!(error.code(), Some("AccessDeniedException")),
        other => panic!("expected the operation's error, got {other:?}"),
    }
    assert!(error.to_string().starts_with("DescribeEndpoint failed: "), "{error}");
}

#[tokio::test]
async fn training_job_stopped_is_a_success_of_completed_or_stopped() {
    let server = Loopback::start(vec![training_job("InProgress"), training_job("Stopped")]);
    let finished = client_for(&server)
        .wait_until_training_job_completed_or_stopped()
        .training_job_name("job")
        .min_delay(MIN)
        .max_delay(MAX)
        .wait(Duration::from_secs(10))
        .await
        .expect("stopped is a success");
    assert_eq!(finished.output().and_then(|o| o.training_job_status.clone()), Some(TrainingJobStatus::Stopped));
}
