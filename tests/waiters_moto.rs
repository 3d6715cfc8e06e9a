//! Waiters against the pinned moto: an endpoint created (with its model and endpoint config)
//! and waited for with `EndpointInService`, a training job created and waited for with
//! `TrainingJobCompletedOrStopped`. moto creates both in their final state at once (an
//! endpoint `InService`, a training job `Completed`), so each wait ends after one call; the
//! loopback tests (`waiters.rs`) cover the states moto never gives.

use std::time::{Duration, Instant};

use awsgen_sagemaker::runtime::credentials::Credentials;
use awsgen_sagemaker::runtime::waiter::WaiterError;
use awsgen_sagemaker::types::{
    AlgorithmSpecification, ContainerDefinition, EndpointStatus, OutputDataConfig, ProductionVariant,
    ProductionVariantInstanceType, ResourceConfig, StoppingCondition, TrainingInputMode, TrainingInstanceType,
    TrainingJobStatus,
};
use awsgen_sagemaker::{Client, Config};
use awsgen_tests::moto::MotoServer;

const ROLE: &str = "arn:aws:iam::123456789012:role/sagemaker";
const IMAGE: &str = "123456789012.dkr.ecr.us-east-1.amazonaws.com/img:1";

fn client_for(server: &MotoServer) -> Client {
    Client::new(
        Config::builder()
            .region("us-east-1")
            .credentials(Credentials::new("AKID", "SECRET", None, None, "test"))
            .endpoint_url(server.endpoint())
            .build(),
    )
}

#[tokio::test]
async fn create_endpoint_then_wait_until_in_service() {
    let server = MotoServer::start();
    let client = client_for(&server);
    client
        .create_model()
        .model_name("waited-model")
        .execution_role_arn(ROLE)
        .primary_container(ContainerDefinition::default().image(IMAGE))
        .send()
        .await
        .expect("CreateModel");
    client
        .create_endpoint_config()
        .endpoint_config_name("waited-config")
        .production_variants(vec![
            ProductionVariant::default()
                .variant_name("primary")
                .model_name("waited-model")
                .initial_instance_count(1)
                .instance_type(ProductionVariantInstanceType::MlM5Large),
        ])
        .send()
        .await
        .expect("CreateEndpointConfig");
    client
        .create_endpoint()
        .endpoint_name("waited-endpoint")
        .endpoint_config_name("waited-config")
        .send()
        .await
        .expect("CreateEndpoint");

    let started = Instant::now();
    let finished = client
        .wait_until_endpoint_in_service()
        .endpoint_name("waited-endpoint")
        .wait(Duration::from_secs(60))
        .await
        .expect("the endpoint is in service");
    let output = finished.into_output().expect("the output of the last call");
    assert_eq!(output.endpoint_status, Some(EndpointStatus::InService));
    assert_eq!(output.endpoint_name.as_deref(), Some("waited-endpoint"));
    // moto's endpoint is in service at once: one call, no delay (the model's is 30 s).
    assert!(started.elapsed() < Duration::from_secs(10), "{:?}", started.elapsed());

    // An endpoint that does not exist: moto answers ValidationException, the waiter's failure
    // acceptor.
    let error = client
        .wait_until_endpoint_in_service()
        .endpoint_name("no-such-endpoint")
        .wait(Duration::from_secs(60))
        .await
        .expect_err("no such endpoint");
    match error {
        WaiterError::FailureState { acceptor, .. } => assert_eq!(acceptor, "error ValidationException"),
        other => panic!("expected the ValidationException acceptor, got {other:?}"),
    }
}

#[tokio::test]
async fn create_training_job_then_wait_until_completed_or_stopped() {
    let server = MotoServer::start();
    let client = client_for(&server);
    client
        .create_training_job()
        .training_job_name("waited-job")
        .role_arn(ROLE)
        .algorithm_specification(
            AlgorithmSpecification::default().training_image(IMAGE).training_input_mode(TrainingInputMode::File),
        )
        .output_data_config(OutputDataConfig::default().s3_output_path("s3://bucket/output"))
        .resource_config(
            ResourceConfig::default()
                .instance_type(TrainingInstanceType::MlM5Large)
                .instance_count(1)
                .volume_size_in_gb(10),
        )
        .stopping_condition(StoppingCondition::default().max_runtime_in_seconds(3600))
        .send()
        .await
        .expect("CreateTrainingJob");

    let started = Instant::now();
    let finished = client
        .wait_until_training_job_completed_or_stopped()
        .training_job_name("waited-job")
        .wait(Duration::from_secs(60))
        .await
        .expect("the training job is completed");
    // moto's training jobs are Completed as soon as they are created.
    let output = finished.into_output().expect("the output of the last call");
    assert_eq!(output.training_job_status, Some(TrainingJobStatus::Completed));
    assert!(started.elapsed() < Duration::from_secs(10), "{:?}", started.elapsed());
}
