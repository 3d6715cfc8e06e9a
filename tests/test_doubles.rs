//! A program's own tests, written as a user of the generated crate writes them with the
//! `test-util` feature: no network, no emulator. `register_package` is the code under test (it
//! is the README's example); rules answer its calls with typed errors and outputs, and a
//! replay sender serves recorded HTTP exchanges.

use awsgen_sagemaker::error::ConflictException;
use awsgen_sagemaker::operation::create_model_package::{
    CreateModelPackage, CreateModelPackageError, CreateModelPackageOutput,
};
use awsgen_sagemaker::operation::describe_model_package::DescribeModelPackage;
use awsgen_sagemaker::runtime::credentials::Credentials;
use awsgen_sagemaker::runtime::test_util::{ReplaySender, Rule};
use awsgen_sagemaker::{Client, Config, Error};

/// The code under test: registers a model package in a group, and when the service says
/// another registration is in progress (a conflict), tries once more.
async fn register_package(client: &Client, group: &str) -> Result<String, Error> {
    let create = || client.create_model_package().model_package_group_name(group).send();
    let output = match create().await {
        Err(error) if error.is_conflict_exception() => create().await?,
        other => other?,
    };
    Ok(output.model_package_arn.unwrap_or_default())
}

const ARN: &str = "arn:aws:sagemaker:us-east-1:123456789012:model-package/churn/1";

fn config() -> awsgen_sagemaker::runtime::config::ConfigBuilder {
    Config::builder().region("us-east-1").credentials(Credentials::new("AKID", "SECRET", None, None, "test"))
}

#[tokio::test]
async fn a_conflict_then_success_registers_on_the_second_call() {
    let rule = Rule::<CreateModelPackage>::new()
        .matching(|input| input.model_package_group_name.as_deref() == Some("churn"))
        .then_error(|| CreateModelPackageError::ConflictException(ConflictException::default()))
        .then_output(|| CreateModelPackageOutput::default().model_package_arn(ARN));
    let client = Client::new(config().test_rules([rule.clone()]).build());

    assert_eq!(register_package(&client, "churn").await.unwrap(), ARN);
    assert_eq!(rule.call_count(), 2);
    let calls = rule.calls();
    assert!(calls.iter().all(|input| input.model_package_group_name.as_deref() == Some("churn")));
    // The client filled the idempotency token before the rule saw the call, as it would
    // before sending.
    assert!(calls[0].client_token.is_some());
}

#[tokio::test]
async fn an_error_the_function_does_not_handle_comes_out_typed_and_unanswered_calls_fail_clearly() {
    let denied = Rule::<CreateModelPackage>::new().then_http(
        400,
        &[("x-amzn-requestid", "req-7")],
        r#"{"__type": "ResourceLimitExceeded", "Message": "too many packages"}"#,
    );
    let client = Client::new(config().test_rules([denied]).build());
    let error = register_package(&client, "churn").await.unwrap_err();
    assert!(matches!(error, Error::ResourceLimitExceeded(_)), "{error:?}");
    assert_eq!(
        error.to_string(),
        "SageMaker call failed: ResourceLimitExceeded: too many packages (HTTP 400, request id req-7)"
    );

    // A call no rule answers is an error naming the operation, never a request.
    let other = Rule::<DescribeModelPackage>::new();
    let client = Client::new(config().test_rules([other]).build());
    let error = register_package(&client, "churn").await.unwrap_err();
    assert!(error.to_string().contains("no test rule answers this CreateModelPackage call"), "{error}");
}

#[tokio::test]
async fn a_replay_sender_serves_recorded_exchanges_and_keeps_the_requests() {
    let replay = ReplaySender::new().then(400, &[], r#"{"__type": "ConflictException", "Message": "busy"}"#).then(
        200,
        &[],
        format!(r#"{{"ModelPackageArn": "{ARN}"}}"#),
    );
    let client = Client::new(config().http_sender(replay.clone()).build());
    assert_eq!(register_package(&client, "churn").await.unwrap(), ARN);
    let requests = replay.requests();
    assert_eq!(requests.len(), 2);
    for request in &requests {
        assert_eq!(request.headers()["x-amz-target"], "SageMaker.CreateModelPackage");
        assert!(request.headers().contains_key("authorization"));
        let body: serde_json::Value = serde_json::from_slice(request.body()).unwrap();
        assert_eq!(body["ModelPackageGroupName"], "churn");
    }
}
