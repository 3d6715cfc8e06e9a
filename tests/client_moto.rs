//! The generated SageMaker client end to end, against moto's SageMaker emulator.
//!
//! Each test starts its own `moto.server` process, so tests share no state. What moto stores,
//! drops and answers is written down in `support/moto_findings.md`; the assertions below rely on
//! exactly those facts and nothing else of moto's.

use std::collections::HashMap;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use awsgen_sagemaker::error::OperationError;
use awsgen_sagemaker::operation::create_model_package::CreateModelPackageError;
use awsgen_sagemaker::operation::create_model_package_group::CreateModelPackageGroupError;
use awsgen_sagemaker::runtime::credentials::Credentials;
use awsgen_sagemaker::runtime::error::{ErrorMetadata, RequestError};
use awsgen_sagemaker::runtime::validate::{Problem, ProblemKind};
use awsgen_sagemaker::types::{
    AdditionalInferenceSpecificationDefinition, Bias, CreateModelPackageInput, DetailedModelPackageStatus,
    DriftCheckBaselines, DriftCheckBias, DriftCheckExplainability, DriftCheckModelDataQuality, DriftCheckModelQuality,
    Explainability, FileSource, InferenceSpecification, MetadataProperties, MetricsSource, ModelApprovalStatus,
    ModelDataQuality, ModelInput, ModelMetrics, ModelPackageContainerDefinition, ModelPackageStatus,
    ModelPackageStatusDetails, ModelPackageStatusItem, ModelPackageValidationProfile,
    ModelPackageValidationSpecification, ModelQuality, ProductionVariantInstanceType, S3DataType, Tag,
    TransformDataSource, TransformInput, TransformInstanceType, TransformJobDefinition, TransformOutput,
    TransformResources, TransformS3DataSource, UserContext,
};
use awsgen_sagemaker::{Client, Config, RequestId};
use awsgen_tests::moto::MotoServer;

/// moto's only account.
const ACCOUNT: &str = "123456789012";
const REGION: &str = "us-east-1";

/// A client for `server`, signing for us-east-1 with fixed test credentials.
fn client_for(server: &MotoServer) -> Client {
    Client::new(
        Config::builder()
            .region(REGION)
            .credentials(Credentials::new("AKID", "SECRET", None, None, "test"))
            .endpoint_url(server.endpoint())
            .build(),
    )
}

async fn create_group(client: &Client, name: &str) {
    let created = client
        .create_model_package_group()
        .model_package_group_name(name)
        .model_package_group_description("group for the end-to-end tests")
        .send()
        .await
        .unwrap_or_else(|e| panic!("creating the model package group {name}: {e}"));
    assert_eq!(
        created.model_package_group_arn.as_deref(),
        Some(format!("arn:aws:sagemaker:{REGION}:{ACCOUNT}:model-package-group/{name}").as_str())
    );
}

fn metrics(name: &str) -> MetricsSource {
    MetricsSource::default()
        .content_type("application/json")
        .content_digest(format!("sha256:{name}"))
        .s3_uri(format!("s3://bucket/metrics/{name}.json"))
}

fn file(name: &str) -> FileSource {
    FileSource::default()
        .content_type("application/json")
        .content_digest(format!("sha256:{name}"))
        .s3_uri(format!("s3://bucket/config/{name}.json"))
}

fn container(i: u32) -> ModelPackageContainerDefinition {
    ModelPackageContainerDefinition::default()
        .container_hostname(format!("container-{i}"))
        .image(format!("{ACCOUNT}.dkr.ecr.{REGION}.amazonaws.com/img-{i}:latest"))
        .image_digest(format!("sha256:{}", format!("{i}").repeat(64)))
        .model_data_url(format!("s3://bucket/model-{i}.tar.gz"))
        .product_id(format!("product-{i}"))
        .environment(HashMap::from([("MODE".to_string(), format!("m{i}")), ("THREADS".to_string(), "4".to_string())]))
        .model_input(ModelInput::default().data_input_config(r#"{"input":[1,3,224,224]}"#))
        .framework("PYTORCH")
        .framework_version("2.1")
        .nearest_model_name("resnet50")
}

/// A versioned `CreateModelPackage` input in `group` that sets every member moto stores, and a
/// few it drops (`Tags`, `ClientToken`).
fn rich_model_package_input(group: &str) -> CreateModelPackageInput {
    let inference = InferenceSpecification::default()
        .containers(vec![container(1), container(2)])
        .supported_content_types(vec!["text/csv".to_string(), "application/json".to_string()])
        .supported_response_mime_types(vec!["application/json".to_string()])
        .supported_realtime_inference_instance_types(vec![
            ProductionVariantInstanceType::MlM5Large,
            ProductionVariantInstanceType::MlT2Medium,
        ])
        .supported_transform_instance_types(vec![TransformInstanceType::MlM5Large, TransformInstanceType::MlC5Xlarge]);
    let model_metrics = ModelMetrics::default()
        .model_quality(ModelQuality::default().statistics(metrics("mq-stats")).constraints(metrics("mq-cons")))
        .model_data_quality(ModelDataQuality::default().statistics(metrics("dq-stats")).constraints(metrics("dq-cons")))
        .bias(
            Bias::default()
                .report(metrics("bias"))
                .pre_training_report(metrics("bias-pre"))
                .post_training_report(metrics("bias-post")),
        )
        .explainability(Explainability::default().report(metrics("explain")));
    let drift_check_baselines = DriftCheckBaselines::default()
        .bias(
            DriftCheckBias::default()
                .config_file(file("dcb-config"))
                .pre_training_constraints(metrics("dcb-pre"))
                .post_training_constraints(metrics("dcb-post")),
        )
        .explainability(
            DriftCheckExplainability::default().constraints(metrics("dce-cons")).config_file(file("dce-config")),
        )
        .model_quality(
            DriftCheckModelQuality::default().statistics(metrics("dcq-stats")).constraints(metrics("dcq-cons")),
        )
        .model_data_quality(
            DriftCheckModelDataQuality::default().statistics(metrics("dcd-stats")).constraints(metrics("dcd-cons")),
        );
    let validation = ModelPackageValidationSpecification::default()
        .validation_role(format!("arn:aws:iam::{ACCOUNT}:role/validation"))
        .validation_profiles(vec![
            ModelPackageValidationProfile::default().profile_name("p1").transform_job_definition(
                TransformJobDefinition::default()
                    .transform_input(
                        TransformInput::default().data_source(
                            TransformDataSource::default().s3_data_source(
                                TransformS3DataSource::default()
                                    .s3_data_type(S3DataType::S3Prefix)
                                    .s3_uri("s3://bucket/in"),
                            ),
                        ),
                    )
                    .transform_output(TransformOutput::default().s3_output_path("s3://bucket/out"))
                    .transform_resources(
                        TransformResources::default().instance_type(TransformInstanceType::MlM5Large).instance_count(1),
                    ),
            ),
        ]);
    let additional = AdditionalInferenceSpecificationDefinition::default()
        .name("extra-spec")
        .description("second spec")
        .containers(vec![
            ModelPackageContainerDefinition::default()
                .image(format!("{ACCOUNT}.dkr.ecr.{REGION}.amazonaws.com/extra:1"))
                .model_data_url("s3://bucket/extra.tar.gz"),
        ])
        .supported_transform_instance_types(vec![TransformInstanceType::MlM5Xlarge])
        .supported_realtime_inference_instance_types(vec![ProductionVariantInstanceType::MlM5Xlarge])
        .supported_content_types(vec!["text/csv".to_string()])
        .supported_response_mime_types(vec!["text/csv".to_string()]);

    CreateModelPackageInput::default()
        .model_package_group_name(group)
        .model_package_description("rich e2e package")
        .inference_specification(inference)
        .validation_specification(validation)
        .certify_for_marketplace(false)
        .tags(vec![Tag::default().key("team").value("ml"), Tag::default().key("stage").value("e2e")])
        .model_approval_status(ModelApprovalStatus::PendingManualApproval)
        .metadata_properties(
            MetadataProperties::default()
                .commit_id("abc123")
                .repository("git@example:repo")
                .generated_by("e2e")
                .project_id("p-1"),
        )
        .model_metrics(model_metrics)
        .client_token("token-1")
        .domain("COMPUTER_VISION")
        .task("IMAGE_CLASSIFICATION")
        .sample_payload_url("s3://bucket/payload.tar.gz")
        .customer_metadata_properties(HashMap::from([
            ("owner".to_string(), "e2e".to_string()),
            ("ticket".to_string(), "42".to_string()),
        ]))
        .drift_check_baselines(drift_check_baselines)
        .additional_inference_specifications(vec![additional])
}

/// The service error inside a `CreateModelPackage` failure that this operation does not model.
fn unmodeled(error: CreateModelPackageError) -> ErrorMetadata {
    match error {
        CreateModelPackageError::Unmodeled(metadata) => metadata,
        other => panic!("expected an unmodeled service error, got {other:?}"),
    }
}

/// moto's request ids are 52 ASCII letters and digits, new for each response.
fn assert_is_moto_request_id(id: Option<&str>) {
    let id = id.expect("moto sends x-amzn-RequestId on every SageMaker response");
    assert!(!id.is_empty() && id.chars().all(|c| c.is_ascii_alphanumeric()), "request id {id:?}");
}

/// How many SageMaker calls (`POST /`) the server has logged. Werkzeug logs a request when it
/// sends the status line, so a call is in the log before its caller sees the response.
fn sagemaker_calls_logged(server: &MotoServer) -> usize {
    let log = std::fs::read_to_string(server.log_path()).expect("reading moto's log");
    log.lines().filter(|line| line.contains("\"POST / HTTP/1.1\"")).count()
}

#[tokio::test]
async fn a_versioned_package_reads_back_every_member_moto_stores() {
    let server = MotoServer::start();
    let client = client_for(&server);
    create_group(&client, "e2e-group").await;
    let input = rich_model_package_input("e2e-group");

    let created = client.create_model_package().with_input(input.clone()).send().await.expect("CreateModelPackage");
    let arn = format!("arn:aws:sagemaker:{REGION}:{ACCOUNT}:model-package/e2e-group/1");
    assert_eq!(created.model_package_arn.as_deref(), Some(arn.as_str()));
    assert_is_moto_request_id(created.request_id());

    let described =
        client.describe_model_package().model_package_name(&arn).send().await.expect("DescribeModelPackage");
    assert_is_moto_request_id(described.request_id());
    assert_ne!(described.request_id(), created.request_id(), "a new id for each response");

    // Sent and stored: each comes back equal to what was sent.
    assert_eq!(described.model_package_group_name, input.model_package_group_name, "ModelPackageGroupName");
    assert_eq!(described.model_package_description, input.model_package_description, "ModelPackageDescription");
    assert_eq!(described.inference_specification, input.inference_specification, "InferenceSpecification");
    assert_eq!(described.validation_specification, input.validation_specification, "ValidationSpecification");
    assert_eq!(described.certify_for_marketplace, input.certify_for_marketplace, "CertifyForMarketplace");
    assert_eq!(described.model_approval_status, input.model_approval_status, "ModelApprovalStatus");
    assert_eq!(described.metadata_properties, input.metadata_properties, "MetadataProperties");
    assert_eq!(described.model_metrics, input.model_metrics, "ModelMetrics");
    assert_eq!(described.drift_check_baselines, input.drift_check_baselines, "DriftCheckBaselines");
    assert_eq!(
        described.customer_metadata_properties, input.customer_metadata_properties,
        "CustomerMetadataProperties"
    );
    assert_eq!(described.domain, input.domain, "Domain");
    assert_eq!(described.task, input.task, "Task");
    assert_eq!(described.sample_payload_url, input.sample_payload_url, "SamplePayloadUrl");
    assert_eq!(
        described.additional_inference_specifications, input.additional_inference_specifications,
        "AdditionalInferenceSpecifications"
    );
    // Sent but dropped by moto, so not asserted: `Tags` (not even reachable through `ListTags`)
    // and `ClientToken` (stored, never returned).

    // Added by moto.
    assert_eq!(described.model_package_arn.as_deref(), Some(arn.as_str()), "ModelPackageArn");
    assert_eq!(described.model_package_version, Some(1), "ModelPackageVersion");
    assert_eq!(described.model_package_status, Some(ModelPackageStatus::Completed), "ModelPackageStatus");
    let completed = vec![ModelPackageStatusItem::default().name(&arn).status(DetailedModelPackageStatus::Completed)];
    assert_eq!(
        described.model_package_status_details,
        Some(
            ModelPackageStatusDetails::default().validation_statuses(completed.clone()).image_scan_statuses(completed)
        ),
        "ModelPackageStatusDetails"
    );
    assert_eq!(
        described.created_by,
        Some(
            UserContext::default()
                .user_profile_arn(format!(
                    "arn:aws:sagemaker:{REGION}:{ACCOUNT}:user-profile/fake-domain-id/fake-user-profile-name"
                ))
                .user_profile_name("fake-user-profile-name")
                .domain_id("fake-domain-id")
        ),
        "CreatedBy"
    );
    let created_at = described.creation_time.expect("CreationTime").secs();
    let now = SystemTime::now().duration_since(UNIX_EPOCH).expect("the clock is after 1970").as_secs() as i64;
    assert!((now - created_at).abs() < 300, "CreationTime {created_at} is not close to now ({now})");
}

#[tokio::test]
async fn an_unversioned_package_gets_a_lower_cased_arn_and_reads_back_by_it() {
    let server = MotoServer::start();
    let client = client_for(&server);
    let inference = InferenceSpecification::default()
        .containers(vec![container(1)])
        .supported_content_types(vec!["text/csv".to_string()])
        .supported_response_mime_types(vec!["text/csv".to_string()]);

    let created = client
        .create_model_package()
        .model_package_name("E2E-Unversioned")
        .model_package_description("flat")
        .inference_specification(inference.clone())
        .certify_for_marketplace(true)
        .model_approval_status(ModelApprovalStatus::Approved)
        .send()
        .await
        .expect("CreateModelPackage");
    let arn = format!("arn:aws:sagemaker:{REGION}:{ACCOUNT}:model-package/e2e-unversioned");
    assert_eq!(created.model_package_arn.as_deref(), Some(arn.as_str()));

    let described =
        client.describe_model_package().model_package_name(&arn).send().await.expect("DescribeModelPackage");
    assert_eq!(described.model_package_arn.as_deref(), Some(arn.as_str()));
    assert_eq!(described.model_package_name.as_deref(), Some("E2E-Unversioned"), "the name keeps its case");
    assert_eq!(described.model_package_group_name, None);
    assert_eq!(described.model_package_version, None);
    assert_eq!(described.model_package_description.as_deref(), Some("flat"));
    assert_eq!(described.inference_specification, Some(inference));
    assert_eq!(described.certify_for_marketplace, Some(true));
    assert_eq!(described.model_approval_status, Some(ModelApprovalStatus::Approved));
    assert_eq!(described.model_package_status, Some(ModelPackageStatus::Completed));

    let by_name = client
        .describe_model_package()
        .model_package_name("E2E-Unversioned")
        .send()
        .await
        .expect("DescribeModelPackage by name");
    assert_eq!(by_name, described, "the name and the ARN describe the same package");
}

#[tokio::test]
async fn a_package_in_a_missing_group_fails_with_an_unmodeled_validation_exception() {
    let server = MotoServer::start();
    let client = client_for(&server);

    let error = client
        .create_model_package()
        .model_package_group_name("no-such-group")
        .send()
        .await
        .expect_err("the group does not exist");
    let display = error.to_string();
    assert_eq!(error.code(), Some("ValidationException"));
    let metadata = unmodeled(error);
    let message = "An error ocurred (ValidationException) when calling the CreateModelPackage operation: \
                   Model Package Group does not exist.";
    assert_eq!(metadata.code, "ValidationException");
    assert_eq!(metadata.message.as_deref(), Some(message));
    assert_eq!(metadata.status, 400);
    assert_is_moto_request_id(metadata.request_id.as_deref());

    // Display names the operation, the code, the message, the status and the request id.
    let id = metadata.request_id.as_deref().unwrap_or_default();
    assert_eq!(
        display,
        format!("CreateModelPackage failed: ValidationException: {message} (HTTP 400, request id {id})")
    );
}

#[tokio::test]
async fn an_unknown_enum_value_is_sent_as_is_and_moto_names_it_in_its_error() {
    let server = MotoServer::start();
    let client = client_for(&server);
    create_group(&client, "e2e-group").await;

    let error = client
        .create_model_package()
        .model_package_group_name("e2e-group")
        .model_approval_status(ModelApprovalStatus::from("Maybe"))
        .send()
        .await
        .expect_err("moto validates ModelApprovalStatus");
    let display = error.to_string();
    let metadata = unmodeled(error);
    assert_eq!(metadata.code, "ValidationException");
    assert_eq!(
        metadata.message.as_deref(),
        Some(
            "Value 'Maybe' at 'modelApprovalStatus' failed to satisfy constraint: Member must satisfy enum value \
             set: [PendingManualApproval, Approved, Rejected]"
        )
    );
    assert_eq!(metadata.status, 400);
    assert_is_moto_request_id(metadata.request_id.as_deref());
    for part in ["ValidationException", "'Maybe'", "HTTP 400", metadata.request_id.as_deref().unwrap_or_default()] {
        assert!(display.contains(part), "{display:?} does not contain {part:?}");
    }

    // The failed call stored nothing and used no version number.
    let created =
        client.create_model_package().model_package_group_name("e2e-group").send().await.expect("CreateModelPackage");
    assert_eq!(
        created.model_package_arn.as_deref(),
        Some(format!("arn:aws:sagemaker:{REGION}:{ACCOUNT}:model-package/e2e-group/1").as_str())
    );
}

#[tokio::test]
async fn a_missing_required_member_fails_before_anything_is_sent() {
    let server = MotoServer::start();
    let client = client_for(&server);

    let error = client
        .create_model_package_group()
        .model_package_group_description("no name")
        .send()
        .await
        .expect_err("ModelPackageGroupName is required");
    let CreateModelPackageGroupError::Request(RequestError::InvalidInput(invalid)) = &error else {
        panic!("expected RequestError::InvalidInput, got {error:?}");
    };
    assert_eq!(invalid.problems(), [Problem { path: "ModelPackageGroupName".to_string(), kind: ProblemKind::Missing }]);
    assert!(error.to_string().contains("`ModelPackageGroupName` is required but missing"), "{error}");

    // Nothing reached moto: a valid call made afterwards is the only SageMaker call in its log.
    create_group(&client, "after-the-invalid-call").await;
    let deadline = Instant::now() + Duration::from_secs(5);
    while sagemaker_calls_logged(&server) == 0 && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(50));
    }
    assert_eq!(sagemaker_calls_logged(&server), 1, "SageMaker calls in {}", server.log_path().display());
}

/// moto paginates ListModelPackages (its own pagination model: `MaxResults`, `NextToken`), so
/// the paginator with a page size of 1 asks once per package plus nothing more: moto leaves out
/// the token on the last page.
#[tokio::test]
async fn list_model_packages_pages_through_25_versions_ten_per_page() {
    let server = MotoServer::start();
    let client = client_for(&server);
    create_group(&client, "paged-group").await;
    for _ in 0..25 {
        client.create_model_package().model_package_group_name("paged-group").send().await.expect("CreateModelPackage");
    }
    let calls_before = sagemaker_calls_logged(&server);

    let mut pages = client.list_model_packages().model_package_group_name("paged-group").into_paginator().page_size(10);
    let mut page_sizes = Vec::new();
    let mut versions = Vec::new();
    while let Some(page) = pages.next_page().await {
        let items = page.expect("ListModelPackages page").model_package_summary_list.unwrap_or_default();
        page_sizes.push(items.len());
        versions.extend(items.iter().map(|item| item.model_package_version.unwrap_or_default()));
    }
    versions.sort_unstable();
    assert_eq!(versions, (1..=25).collect::<Vec<i32>>(), "every version, once");
    assert_eq!(page_sizes, [10, 10, 5], "moto honours MaxResults = 10");
    assert_eq!(
        sagemaker_calls_logged(&server) - calls_before,
        3,
        "one request per page, each passing the last token on"
    );

    // The flattened items, with max_items cutting them short.
    let items = client
        .list_model_packages()
        .model_package_group_name("paged-group")
        .into_paginator()
        .page_size(3)
        .max_items(2)
        .items()
        .collect_all()
        .await
        .expect("ListModelPackages items");
    assert_eq!(items.len(), 2);
    assert!(items.iter().all(|item| item.model_package_group_name.as_deref() == Some("paged-group")));

    // The groups' paginator, one group per page.
    create_group(&client, "paged-group-2").await;
    create_group(&client, "paged-group-3").await;
    let groups = client
        .list_model_package_groups()
        .into_paginator()
        .page_size(1)
        .items()
        .collect_all()
        .await
        .expect("ListModelPackageGroups items");
    let mut names: Vec<String> = groups.into_iter().filter_map(|group| group.model_package_group_name).collect();
    names.sort();
    assert_eq!(names, ["paged-group", "paged-group-2", "paged-group-3"]);
}
