//! `cargo xtask bench --only three-service`: one program calling SageMaker (CreateModelPackage),
//! S3 (PutObject) and STS (GetCallerIdentity) from one shared config, built clean in debug and
//! release (debug only with `--quick`): ours on three crates generated with just those operations
//! plus `awsgen-runtime`, against the same program on `aws-sdk-sagemaker`, `aws-sdk-s3`,
//! `aws-sdk-sts` and `aws-config`. The programs are built, not run.

use std::path::Path;

use serde_json::{Value, json};

use crate::bench::{
    BuildResult, ProgramSource, ServiceCrate, build_programs, generate_service_crates, pair_ratio, write_programs,
};

/// The crates generated for ours, under `target/bench/three-service/`.
const SERVICES: &[ServiceCrate] = &[
    (None, &["CreateModelPackage"], "sagemaker", "awsgen-sagemaker"),
    (Some("s3/2006-03-01"), &["PutObject"], "s3", "awsgen-s3"),
    (Some("sts/2011-06-15"), &["GetCallerIdentity"], "sts", "awsgen-sts"),
];

const OURS_OWN: &[&str] = &["awsgen-sagemaker", "awsgen-s3", "awsgen-sts", "awsgen-runtime"];
const THEIRS_OWN: &[&str] = &["aws-sdk-sagemaker", "aws-sdk-s3", "aws-sdk-sts", "aws-config"];

const OURS_MANIFEST: &str = r#"# Written by `cargo xtask bench`: SageMaker, S3 and STS through awsgen's crates.
[package]
name = "three-service-ours"
version = "0.1.0"
edition = "2024"
publish = false

[dependencies]
awsgen-sagemaker = { path = "../sagemaker" }
awsgen-s3 = { path = "../s3" }
awsgen-sts = { path = "../sts" }
tokio = { version = "1", default-features = false, features = ["macros", "rt"] }

[workspace]
"#;

const OURS_MAIN: &str = r#"//! Written by `cargo xtask bench`: SageMaker, S3 and STS from one config through awsgen's crates.

use awsgen_s3::runtime::body::RequestBody;
use awsgen_sagemaker::types::{InferenceSpecification, ModelPackageContainerDefinition};

const IMAGE: &str = "763104351884.dkr.ecr.us-east-1.amazonaws.com/pytorch-inference:2.1.0-cpu-py310";

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let config = awsgen_sagemaker::Config::from_env();
    let sagemaker = awsgen_sagemaker::Client::new(&config);
    let s3 = awsgen_s3::Client::new(&config);
    let sts = awsgen_sts::Client::new(&config);

    let identity = sts.get_caller_identity().send().await?;
    println!("sts GetCallerIdentity: {:?}", identity.arn);
    let put = s3
        .put_object()
        .bucket("awsgen-bench")
        .key("model/model.tar.gz")
        .body(RequestBody::from(b"model bytes".to_vec()))
        .send()
        .await?;
    println!("s3 PutObject: {:?}", put.e_tag);
    let created = sagemaker
        .create_model_package()
        .model_package_name("bench")
        .inference_specification(
            InferenceSpecification::default()
                .containers(vec![ModelPackageContainerDefinition::default().image(IMAGE)])
                .supported_content_types(vec!["application/json".to_string()])
                .supported_response_mime_types(vec!["application/json".to_string()]),
        )
        .send()
        .await?;
    println!("sagemaker CreateModelPackage: {:?}", created.model_package_arn);
    Ok(())
}
"#;

const THEIRS_MANIFEST: &str = r#"# Written by `cargo xtask bench`: SageMaker, S3 and STS through the official SDK.
[package]
name = "three-service-aws-sdk"
version = "0.1.0"
edition = "2024"
publish = false

[dependencies]
aws-config = { version = "1", features = ["behavior-version-latest"] }
aws-sdk-sagemaker = "1"
aws-sdk-s3 = "1"
aws-sdk-sts = "1"
tokio = { version = "1", features = ["full"] }

[workspace]
"#;

const THEIRS_MAIN: &str = r#"//! Written by `cargo xtask bench`: SageMaker, S3 and STS from one config through the official SDK.

use aws_sdk_s3::primitives::ByteStream;
use aws_sdk_sagemaker::types::{InferenceSpecification, ModelPackageContainerDefinition};

const IMAGE: &str = "763104351884.dkr.ecr.us-east-1.amazonaws.com/pytorch-inference:2.1.0-cpu-py310";

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let config = aws_config::load_defaults(aws_config::BehaviorVersion::latest()).await;
    let sagemaker = aws_sdk_sagemaker::Client::new(&config);
    let s3 = aws_sdk_s3::Client::new(&config);
    let sts = aws_sdk_sts::Client::new(&config);

    let identity = sts.get_caller_identity().send().await?;
    println!("sts GetCallerIdentity: {:?}", identity.arn());
    let put = s3
        .put_object()
        .bucket("awsgen-bench")
        .key("model/model.tar.gz")
        .body(ByteStream::from(b"model bytes".to_vec()))
        .send()
        .await?;
    println!("s3 PutObject: {:?}", put.e_tag());
    let created = sagemaker
        .create_model_package()
        .model_package_name("bench")
        .inference_specification(
            InferenceSpecification::builder()
                .containers(ModelPackageContainerDefinition::builder().image(IMAGE).build())
                .supported_content_types("application/json")
                .supported_response_mime_types("application/json")
                .build(),
        )
        .send()
        .await?;
    println!("sagemaker CreateModelPackage: {:?}", created.model_package_arn());
    Ok(())
}
"#;

/// Generates our crates, writes both programs, builds each clean `runs` times per profile;
/// returns the builds and the results as JSON (with ours / theirs per profile).
pub fn run(
    root: &Path,
    bench: &Path,
    runs: usize,
    profiles: &[&str],
    time_tool: Option<&Path>,
) -> anyhow::Result<(Vec<BuildResult>, Value)> {
    let dir = bench.join("three-service");
    generate_service_crates(root, &dir, SERVICES, "cargo xtask bench --only three-service")?;
    let sources: [ProgramSource; 2] = [
        ("ours", "ours: awsgen (3 crates + runtime)", OURS_MANIFEST, OURS_MAIN, OURS_OWN),
        ("aws-sdk", "baseline: aws-sdk-* + aws-config", THEIRS_MANIFEST, THEIRS_MAIN, THEIRS_OWN),
    ];
    let programs = write_programs(&dir, &sources)?;
    let builds = build_programs(
        root,
        &programs,
        profiles,
        runs,
        time_tool,
        &["aws-sdk-sagemaker", "aws-sdk-s3", "aws-sdk-sts", "aws-config", "tokio", "hyper", "rustls"],
    )?;
    let ratios: Vec<Value> = profiles
        .iter()
        .filter_map(|profile| {
            let side = |own: &str| builds.iter().find(|b| b.profile == *profile && b.own == own);
            let (ours, theirs) = (side(&OURS_OWN.join("+"))?, side(&THEIRS_OWN.join("+"))?);
            let mut ratio = pair_ratio(ours, theirs);
            ratio["profile"] = json!(profile);
            Some(ratio)
        })
        .collect();
    let value = json!({
        "how": "one program, one shared config: SageMaker CreateModelPackage, S3 PutObject, STS GetCallerIdentity (built, not run): cargo build [--release] --locked --timings, a fresh empty CARGO_TARGET_DIR per run, dependencies included. ours = crates generated with just those operations (SageMaker from the pinned model, S3 and STS from the pinned botocore wheel) sharing awsgen-runtime; baseline = the latest aws-sdk-sagemaker, aws-sdk-s3, aws-sdk-sts and aws-config. own = the sum of the units of the crates in own_crate.",
        "services": SERVICES.iter().map(|(_, ops, _, name)| json!({ "crate": name, "operations": ops })).collect::<Vec<_>>(),
        "results": builds.iter().map(BuildResult::to_json).collect::<Vec<_>>(),
        "ratios": ratios,
    });
    Ok((builds, value))
}
