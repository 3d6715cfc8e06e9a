//! Support for the benchmarks.
//!
//! This module: the documents the JSON benchmarks read and write, a large
//! `DescribeModelPackage` response (as a `serde_json::Value`, the floor's input) and the
//! `CreateModelPackageInput` that carries the same content (the generated code's input).
//! [`loopback`]: the server the request benchmark calls (in a child process of its own);
//! [`cpu`]: the process CPU time it measures the clients by.
//!
//! "Large" uses SageMaker's own limits where the model has them: 15 containers per inference
//! specification, 15 additional inference specifications, 50 customer metadata entries, 50 tags.

pub mod cpu;
pub mod loopback;

use awsgen_sagemaker::runtime::json::{self, JsonWriter, ToJson};
use awsgen_sagemaker::types::{CreateModelPackageInput, DescribeModelPackageOutput, Tag};
use serde_json::{Map, Value, json};

/// How many of each repeated item the documents hold.
#[derive(Clone, Copy, Debug)]
pub struct Size {
    /// Containers in each inference specification.
    pub containers: usize,
    /// Environment variables of each container.
    pub environment: usize,
    /// Additional inference specifications.
    pub additional_specifications: usize,
    /// Customer metadata entries.
    pub metadata: usize,
    /// Tags (input only: `DescribeModelPackage` does not return tags).
    pub tags: usize,
}

impl Size {
    /// The benchmarked size: SageMaker's limits (about 1 MB of JSON).
    pub const LARGE: Size =
        Size { containers: 15, environment: 16, additional_specifications: 15, metadata: 50, tags: 50 };
}

fn metrics_source(name: &str) -> Value {
    json!({
        "ContentType": "application/json",
        "ContentDigest": format!("sha256:{:064x}", name.len() * 7919),
        "S3Uri": format!("s3://bench-bucket/model-metrics/{name}/report.json"),
    })
}

fn s3_model_data_source(prefix: &str) -> Value {
    json!({
        "S3Uri": format!("s3://bench-bucket/models/{prefix}/"),
        "S3DataType": "S3Prefix",
        "CompressionType": "None",
        "ModelAccessConfig": { "AcceptEula": true },
        "HubAccessConfig": { "HubContentArn": format!("arn:aws:sagemaker:us-east-1:123456789012:hub-content/bench/Model/{prefix}/1.0.0") },
        "ManifestS3Uri": format!("s3://bench-bucket/models/{prefix}/manifest.json"),
        "ETag": "\"0123456789abcdef0123456789abcdef\"",
        "ManifestEtag": "\"fedcba9876543210fedcba9876543210\"",
    })
}

fn container(size: Size, spec: usize, index: usize) -> Value {
    let name = format!("spec{spec}-container{index}");
    let environment: Map<String, Value> = (0..size.environment)
        .map(|e| (format!("BENCH_VARIABLE_{e:02}"), Value::String(format!("value {e} of {name}, with some length"))))
        .collect();
    json!({
        "ContainerHostname": name,
        "Image": format!("123456789012.dkr.ecr.us-east-1.amazonaws.com/bench/{name}:2.1.0-gpu-py310"),
        "ImageDigest": format!("sha256:{:064x}", spec * 1000 + index),
        "ModelDataUrl": format!("s3://bench-bucket/models/{name}/model.tar.gz"),
        "ModelDataSource": { "S3DataSource": s3_model_data_source(&name) },
        "ProductId": format!("prod-{spec:04}{index:04}"),
        "Environment": environment,
        "ModelInput": { "DataInputConfig": "{\"input_1\": [1, 3, 224, 224]}" },
        "Framework": "PYTORCH",
        "FrameworkVersion": "2.1.0",
        "NearestModelName": "resnet50",
        "AdditionalModelDataSources": (0..3).map(|c| json!({
            "ChannelName": format!("channel{c}"),
            "S3DataSource": s3_model_data_source(&format!("{name}/channel{c}")),
        })).collect::<Vec<_>>(),
        "AdditionalS3DataSource": {
            "S3DataType": "S3Object",
            "S3Uri": format!("s3://bench-bucket/extra/{name}.bin"),
            "CompressionType": "Gzip",
            "ETag": "\"00112233445566778899aabbccddeeff\"",
        },
        "ModelDataETag": "\"ffeeddccbbaa99887766554433221100\"",
        "IsCheckpoint": index.is_multiple_of(2),
        "BaseModel": { "HubContentName": "bench-base", "HubContentVersion": "1.2.3", "RecipeName": "bench-recipe" },
    })
}

fn specification_members(size: Size, spec: usize, object: &mut Map<String, Value>) {
    object.insert("Containers".into(), (0..size.containers).map(|i| container(size, spec, i)).collect());
    object.insert(
        "SupportedTransformInstanceTypes".into(),
        json!(["ml.m5.large", "ml.m5.xlarge", "ml.m5.2xlarge", "ml.c5.xlarge", "ml.p3.2xlarge", "ml.g4dn.xlarge"]),
    );
    object.insert(
        "SupportedRealtimeInferenceInstanceTypes".into(),
        json!(["ml.t2.medium", "ml.m5.large", "ml.m5.xlarge", "ml.c5.large", "ml.g5.xlarge", "ml.inf1.xlarge"]),
    );
    object.insert(
        "SupportedContentTypes".into(),
        json!(["application/json", "text/csv", "application/x-npy", "application/x-image"]),
    );
    object.insert("SupportedResponseMIMETypes".into(), json!(["application/json", "text/csv"]));
}

fn user_context(who: &str) -> Value {
    json!({
        "UserProfileArn": format!("arn:aws:sagemaker:us-east-1:123456789012:user-profile/d-bench/{who}"),
        "UserProfileName": who,
        "DomainId": "d-bench0123456",
        "IamIdentity": {
            "Arn": format!("arn:aws:sts::123456789012:assumed-role/BenchRole/{who}"),
            "PrincipalId": "AROAEXAMPLEID:bench",
            "SourceIdentity": who,
        },
    })
}

/// A large `DescribeModelPackage` response, every member set.
pub fn describe_model_package_response(size: Size) -> Value {
    let mut inference = Map::new();
    specification_members(size, 0, &mut inference);
    let additional: Vec<Value> = (1..=size.additional_specifications)
        .map(|spec| {
            let mut object = Map::new();
            object.insert("Name".into(), json!(format!("additional-{spec}")));
            object.insert("Description".into(), json!(format!("Compiled artifacts for target {spec}")));
            specification_members(size, spec, &mut object);
            Value::Object(object)
        })
        .collect();
    let metadata: Map<String, Value> =
        (0..size.metadata).map(|i| (format!("metadata-key-{i:02}"), json!(format!("metadata value {i}")))).collect();
    json!({
        "ModelPackageName": "bench-model-package",
        "ModelPackageGroupName": "bench-model-package-group",
        "ModelPackageVersion": 42,
        "ModelPackageRegistrationType": "Registered",
        "ModelPackageArn": "arn:aws:sagemaker:us-east-1:123456789012:model-package/bench-model-package-group/42",
        "ModelPackageDescription": "A model package with every member set, for benchmarks.",
        "CreationTime": 1_732_500_000.125,
        "InferenceSpecification": inference,
        "SourceAlgorithmSpecification": { "SourceAlgorithms": (0..5).map(|i| json!({
            "ModelDataUrl": format!("s3://bench-bucket/algorithms/{i}/model.tar.gz"),
            "ModelDataSource": { "S3DataSource": s3_model_data_source(&format!("algorithm{i}")) },
            "ModelDataETag": "\"0123456789abcdef0123456789abcdef\"",
            "AlgorithmName": format!("arn:aws:sagemaker:us-east-1:123456789012:algorithm/bench-{i}"),
        })).collect::<Vec<_>>() },
        "ValidationSpecification": {
            "ValidationRole": "arn:aws:iam::123456789012:role/BenchValidation",
            "ValidationProfiles": [{
                "ProfileName": "bench-profile",
                "TransformJobDefinition": {
                    "MaxConcurrentTransforms": 4,
                    "MaxPayloadInMB": 6,
                    "BatchStrategy": "MultiRecord",
                    "Environment": { "A": "1", "B": "2" },
                    "TransformInput": {
                        "DataSource": { "S3DataSource": { "S3DataType": "S3Prefix", "S3Uri": "s3://bench-bucket/validation/input/" } },
                        "ContentType": "text/csv",
                        "CompressionType": "None",
                        "SplitType": "Line",
                    },
                    "TransformOutput": { "S3OutputPath": "s3://bench-bucket/validation/output/", "Accept": "text/csv", "AssembleWith": "Line", "KmsKeyId": "alias/bench" },
                    "TransformResources": { "InstanceType": "ml.m5.xlarge", "InstanceCount": 2, "VolumeKmsKeyId": "alias/bench", "TransformAmiVersion": "al2-ami-sagemaker-batch-gpu-470" },
                },
            }],
        },
        "ModelPackageStatus": "Completed",
        "ModelPackageStatusDetails": {
            "ValidationStatuses": (0..10).map(|i| json!({ "Name": format!("validation-{i}"), "Status": "Completed" })).collect::<Vec<_>>(),
            "ImageScanStatuses": (0..10).map(|i| json!({ "Name": format!("scan-{i}"), "Status": "Failed", "FailureReason": "The image could not be scanned." })).collect::<Vec<_>>(),
        },
        "CertifyForMarketplace": false,
        "ModelApprovalStatus": "PendingManualApproval",
        "CreatedBy": user_context("creator"),
        "MetadataProperties": { "CommitId": "0123456789abcdef0123456789abcdef01234567", "Repository": "https://example.com/bench.git", "GeneratedBy": "awsgen bench", "ProjectId": "p-bench" },
        "ModelMetrics": {
            "ModelQuality": { "Statistics": metrics_source("quality-statistics"), "Constraints": metrics_source("quality-constraints") },
            "ModelDataQuality": { "Statistics": metrics_source("data-statistics"), "Constraints": metrics_source("data-constraints") },
            "Bias": { "Report": metrics_source("bias"), "PreTrainingReport": metrics_source("bias-pre"), "PostTrainingReport": metrics_source("bias-post") },
            "Explainability": { "Report": metrics_source("explainability") },
        },
        "LastModifiedTime": 1_732_600_000.5,
        "LastModifiedBy": user_context("modifier"),
        "ApprovalDescription": "Waiting for review.",
        "Domain": "COMPUTER_VISION",
        "Task": "IMAGE_CLASSIFICATION",
        "SamplePayloadUrl": "s3://bench-bucket/payloads/sample.tar.gz",
        "CustomerMetadataProperties": metadata,
        "DriftCheckBaselines": {
            "Bias": { "ConfigFile": metrics_source("drift-bias-config"), "PreTrainingConstraints": metrics_source("drift-bias-pre"), "PostTrainingConstraints": metrics_source("drift-bias-post") },
            "Explainability": { "Constraints": metrics_source("drift-explainability"), "ConfigFile": metrics_source("drift-explainability-config") },
            "ModelQuality": { "Statistics": metrics_source("drift-quality-statistics"), "Constraints": metrics_source("drift-quality-constraints") },
            "ModelDataQuality": { "Statistics": metrics_source("drift-data-statistics"), "Constraints": metrics_source("drift-data-constraints") },
        },
        "AdditionalInferenceSpecifications": additional,
        "SkipModelValidation": "None",
        "SourceUri": "arn:aws:sagemaker:us-east-1:123456789012:model/bench-source",
        "SecurityConfig": { "KmsKeyId": "arn:aws:kms:us-east-1:123456789012:key/00000000-1111-2222-3333-444444444444" },
        "ModelCard": { "ModelCardContent": "{\"model_overview\": {\"model_creator\": \"bench\"}}", "ModelCardStatus": "Draft" },
        "ModelLifeCycle": { "Stage": "Development", "StageStatus": "InProgress", "StageDescription": "Being benchmarked." },
        "ManagedStorageType": "Restricted",
    })
}

/// Parses a response body as the generated client does: bytes → the output type, token by token.
pub fn parse_describe_output(body: &[u8]) -> DescribeModelPackageOutput {
    json::read_body(body).expect("the body fits DescribeModelPackageOutput")
}

/// Writes an input as the generated client does.
pub fn write_input(input: &CreateModelPackageInput) -> String {
    let mut writer = JsonWriter::new();
    input.write_json(&mut writer);
    writer.into_string()
}

/// A large `CreateModelPackageInput`: the response's members that the input has, plus tags and a
/// client token.
pub fn create_model_package_input(size: Size) -> CreateModelPackageInput {
    let body = serde_json::to_vec(&describe_model_package_response(size)).expect("a Value serialises");
    let o = parse_describe_output(&body);
    CreateModelPackageInput::default()
        .set_model_package_name(o.model_package_name)
        .set_model_package_group_name(o.model_package_group_name)
        .set_model_package_description(o.model_package_description)
        .set_model_package_registration_type(o.model_package_registration_type)
        .set_inference_specification(o.inference_specification)
        .set_validation_specification(o.validation_specification)
        .set_source_algorithm_specification(o.source_algorithm_specification)
        .set_certify_for_marketplace(o.certify_for_marketplace)
        .tags(
            (0..size.tags)
                .map(|i| Tag::default().key(format!("tag-key-{i:02}")).value(format!("tag value {i}")))
                .collect::<Vec<_>>(),
        )
        .set_model_approval_status(o.model_approval_status)
        .set_metadata_properties(o.metadata_properties)
        .set_model_metrics(o.model_metrics)
        .client_token("00000000-1111-4222-8333-444444444444")
        .set_domain(o.domain)
        .set_task(o.task)
        .set_sample_payload_url(o.sample_payload_url)
        .set_customer_metadata_properties(o.customer_metadata_properties)
        .set_drift_check_baselines(o.drift_check_baselines)
        .set_additional_inference_specifications(o.additional_inference_specifications)
        .set_skip_model_validation(o.skip_model_validation)
        .set_source_uri(o.source_uri)
        .set_security_config(o.security_config)
        .set_model_card(o.model_card)
        .set_model_life_cycle(o.model_life_cycle)
        .set_managed_storage_type(o.managed_storage_type)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_response_parses_with_every_container() {
        let body = serde_json::to_vec(&describe_model_package_response(Size::LARGE)).unwrap();
        let output = parse_describe_output(&body);
        assert_eq!(output.inference_specification.unwrap().containers.unwrap().len(), 15);
        assert_eq!(output.additional_inference_specifications.unwrap().len(), 15);
        assert_eq!(output.customer_metadata_properties.unwrap().len(), 50);
        assert!(body.len() > 300_000, "{} bytes", body.len());
    }

    #[test]
    fn the_input_writes_the_same_content_as_the_response_less_output_only_members() {
        let written: Value = serde_json::from_str(&write_input(&create_model_package_input(Size::LARGE))).unwrap();
        let mut expected = describe_model_package_response(Size::LARGE);
        let object = expected.as_object_mut().unwrap();
        for output_only in [
            "ModelPackageVersion",
            "ModelPackageArn",
            "CreationTime",
            "ModelPackageStatus",
            "ModelPackageStatusDetails",
            "CreatedBy",
            "LastModifiedTime",
            "LastModifiedBy",
            "ApprovalDescription",
        ] {
            object.remove(output_only);
        }
        object.insert("ClientToken".into(), json!("00000000-1111-4222-8333-444444444444"));
        object.insert(
            "Tags".into(),
            (0..50).map(|i| json!({ "Key": format!("tag-key-{i:02}"), "Value": format!("tag value {i}") })).collect(),
        );
        assert_eq!(written, expected);
    }
}
