//! Creates an unversioned SageMaker model package and prints its ARN on the last line.
//!
//! ```text
//! cargo run -p awsgen-sagemaker --example create_model_package -- \
//!     --model-package-name NAME [--endpoint-url URL] [--region R]
//! ```
//!
//! Credentials come from the environment or the shared profile files, as with the AWS CLI.

use std::process::ExitCode;

use awsgen_sagemaker::types::{InferenceSpecification, ModelPackageContainerDefinition};
use awsgen_sagemaker::{Client, Config};

const USAGE: &str = "usage: create_model_package --model-package-name NAME [--endpoint-url URL] [--region R]";

#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    let mut name = None;
    let mut endpoint = None;
    let mut region = None;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let slot = match arg.as_str() {
            "--model-package-name" => &mut name,
            "--endpoint-url" => &mut endpoint,
            "--region" => &mut region,
            _ => {
                eprintln!("unknown argument {arg:?}\n{USAGE}");
                return ExitCode::FAILURE;
            }
        };
        *slot = args.next();
    }
    let Some(name) = name else {
        eprintln!("{USAGE}");
        return ExitCode::FAILURE;
    };

    let mut config = Config::builder().load_env();
    if let Some(region) = region {
        config = config.region(region);
    }
    if let Some(endpoint) = endpoint {
        config = config.endpoint_url(endpoint);
    }
    let client = Client::new(config.build());

    let result = client
        .create_model_package()
        .model_package_name(name)
        .model_package_description("Created by the awsgen example")
        .inference_specification(
            InferenceSpecification::default()
                .containers(vec![
                    ModelPackageContainerDefinition::default()
                        .image("763104351884.dkr.ecr.us-east-1.amazonaws.com/pytorch-inference:2.1.0-cpu-py310"),
                ])
                .supported_content_types(vec!["application/json".to_string()])
                .supported_response_mime_types(vec!["application/json".to_string()]),
        )
        .send()
        .await;
    match result {
        Ok(output) => {
            println!("{}", output.model_package_arn.unwrap_or_default());
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::FAILURE
        }
    }
}
