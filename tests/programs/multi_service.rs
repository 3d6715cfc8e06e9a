//! SageMaker, KMS and CloudWatch Logs from one config: the program `tests/multi_service.rs`
//! builds and runs against moto, and `cargo xtask bench --only multi` builds against the same
//! program on the official SDK. Its crate is written beside crates generated for the other
//! two services, so it is not a member of the workspace.
//!
//! usage: multi-service-program ENDPOINT_URL (or MULTI_SERVICE_ENDPOINT_URL in the environment)

#![deny(warnings)]

use std::process::ExitCode;

use awsgen_sagemaker::Config;
use awsgen_sagemaker::runtime::credentials::Credentials;

const GROUP: &str = "multi-service-group";
const LOG_GROUP: &str = "/awsgen/multi-service";

#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    match run().await {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::FAILURE
        }
    }
}

async fn run() -> Result<(), Box<dyn std::error::Error>> {
    let endpoint = std::env::args()
        .nth(1)
        .or_else(|| std::env::var("MULTI_SERVICE_ENDPOINT_URL").ok())
        .ok_or("usage: multi-service-program ENDPOINT_URL")?;
    let config = Config::builder()
        .region("us-east-1")
        .credentials(Credentials::new("AKIDMULTISERVICE", "multi-service-secret", None, None, "static"))
        .endpoint_url(endpoint)
        .build();
    let sagemaker = awsgen_sagemaker::Client::new(&config);
    let kms = awsgen_kms::Client::new(&config);
    let logs = awsgen_cloudwatchlogs::Client::new(&config);
    for (pair, shared) in [
        ("sagemaker+kms", sagemaker.config().shares_connections_with(kms.config())),
        ("sagemaker+logs", sagemaker.config().shares_connections_with(logs.config())),
        ("kms+logs", kms.config().shares_connections_with(logs.config())),
    ] {
        if !shared {
            return Err(format!("the {pair} clients do not share a connection pool").into());
        }
        println!("shared connections {pair}: yes");
    }

    let group = sagemaker.create_model_package_group().model_package_group_name(GROUP).send().await?;
    println!("sagemaker CreateModelPackageGroup: {}", group.model_package_group_arn.ok_or("no ModelPackageGroupArn")?);

    let created = kms.create_key().description("awsgen multi-service test").send().await?;
    let key_id = created.key_metadata.and_then(|m| m.key_id).ok_or("no KeyMetadata.KeyId")?;
    println!("kms CreateKey: {key_id}");
    let described = kms.describe_key().key_id(key_id.as_str()).send().await?;
    let metadata = described.key_metadata.ok_or("no KeyMetadata")?;
    println!(
        "kms DescribeKey: {} {}",
        metadata.key_id.ok_or("no KeyId")?,
        metadata.key_state.map(|s| s.to_string()).unwrap_or_else(|| "-".to_string())
    );

    logs.create_log_group().log_group_name(LOG_GROUP).send().await?;
    println!("logs CreateLogGroup: {LOG_GROUP}");
    let found = logs.describe_log_groups().log_group_name_prefix("/awsgen/").send().await?;
    let names: Vec<String> =
        found.log_groups.unwrap_or_default().into_iter().filter_map(|g| g.log_group_name).collect();
    println!("logs DescribeLogGroups: {}", names.join(","));
    Ok(())
}
