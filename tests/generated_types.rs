//! Behaviour of the generated SageMaker types: open enums, required-member checks with full
//! paths, constraint validation, redaction of sensitive members, and the JSON wire format.

use awsgen_sagemaker::RequestId;
use awsgen_sagemaker::error::{OperationError, ProblemKind};
use awsgen_sagemaker::operation::create_model_package::{
    CreateModelPackageError, CreateModelPackageInput, CreateModelPackageOutput,
};
use awsgen_sagemaker::runtime::error::ErrorMetadata;
use awsgen_sagemaker::runtime::json::{FromJson, JsonWriter, ToJson};
use awsgen_sagemaker::runtime::path::Path;
use awsgen_sagemaker::runtime::protocol::ErrorBody;
use awsgen_sagemaker::types::{
    AdditionalInferenceSpecificationDefinition, InferenceSpecification, MetricsSource, ModelApprovalStatus,
    ModelMetrics, ModelPackageContainerDefinition, ModelPackageModelCard, ModelQuality, ProductionVariantInstanceType,
    Tag,
};

fn to_json(value: &impl ToJson) -> serde_json::Value {
    let mut writer = JsonWriter::new();
    value.write_json(&mut writer);
    serde_json::from_str(&writer.into_string()).expect("the writer writes valid JSON")
}

#[test]
fn enum_values_round_trip_through_their_wire_strings() {
    assert_eq!(ModelApprovalStatus::PendingManualApproval.value(), "PendingManualApproval");
    assert_eq!(ModelApprovalStatus::from("Approved"), ModelApprovalStatus::Approved);
    assert_eq!("Rejected".parse::<ModelApprovalStatus>(), Ok(ModelApprovalStatus::Rejected));
    assert_eq!(ModelApprovalStatus::values(), ["Approved", "Rejected", "PendingManualApproval"]);
    assert_eq!(ProductionVariantInstanceType::from("ml.p4d.24xlarge").value(), "ml.p4d.24xlarge");
    assert_eq!(ProductionVariantInstanceType::MlP4d24xlarge.to_string(), "ml.p4d.24xlarge");
}

#[test]
fn an_unknown_enum_value_is_kept_and_written_back_unchanged() {
    let status = ModelApprovalStatus::from("ApprovedByRobot");
    assert!(matches!(status, ModelApprovalStatus::Unknown(_)));
    assert_eq!(status.value(), "ApprovedByRobot");
    assert_eq!(to_json(&status), serde_json::json!("ApprovedByRobot"));
    let read = ModelApprovalStatus::from_json(&serde_json::json!("ApprovedByRobot"), &Path::Root).unwrap();
    assert_eq!(read, status);
}

#[test]
fn missing_required_members_are_listed_with_their_full_paths() {
    let input = CreateModelPackageInput::default()
        .inference_specification(InferenceSpecification::default())
        .additional_inference_specifications(vec![
            AdditionalInferenceSpecificationDefinition::default()
                .name("first")
                .containers(vec![ModelPackageContainerDefinition::default()]),
            AdditionalInferenceSpecificationDefinition::default().name("second"),
        ])
        .model_metrics(
            ModelMetrics::default().model_quality(ModelQuality::default().statistics(MetricsSource::default())),
        );
    let error = input.check_required().unwrap_err();
    let missing: Vec<&str> = error.problems().iter().map(|p| p.path.as_str()).collect();
    assert_eq!(
        missing,
        [
            "InferenceSpecification.Containers",
            "ModelMetrics.ModelQuality.Statistics.ContentType",
            "ModelMetrics.ModelQuality.Statistics.S3Uri",
            "AdditionalInferenceSpecifications[1].Containers",
        ]
    );
    assert!(
        error.to_string().contains("`AdditionalInferenceSpecifications[1].Containers` is required but missing"),
        "{error}"
    );
}

#[test]
fn validation_reports_every_constraint_violation_with_its_path() {
    let statistics = MetricsSource::default().content_type("application/json").s3_uri("ftp://bucket/key");
    let input = CreateModelPackageInput::default()
        .model_package_name("x".repeat(64))
        .model_metrics(ModelMetrics::default().model_quality(ModelQuality::default().statistics(statistics)))
        .tags(vec![Tag::default().key("").value("v"), Tag::default().key("k")]);
    let error = input.validate().unwrap_err();
    let problems: Vec<(&str, &ProblemKind)> = error.problems().iter().map(|p| (p.path.as_str(), &p.kind)).collect();
    assert_eq!(problems.len(), 5, "{error}");
    assert!(
        matches!(problems[0], ("ModelPackageName", ProblemKind::Length { length: 64, min: Some(1), max: Some(63) })),
        "{error}"
    );
    // Patterns match the whole value, as the service applies them: 64 characters are more
    // than `[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}` allows.
    assert!(matches!(problems[1], ("ModelPackageName", ProblemKind::Pattern { .. })), "{error}");
    assert!(matches!(problems[2], ("Tags[0].Key", ProblemKind::Length { length: 0, .. })), "{error}");
    assert!(matches!(problems[3], ("Tags[1].Value", ProblemKind::Missing)), "{error}");
    assert!(
        matches!(problems[4], ("ModelMetrics.ModelQuality.Statistics.S3Uri", ProblemKind::Pattern { .. })),
        "{error}"
    );
    // The required-member check alone does not look at constraints.
    let only_required = input.check_required().unwrap_err();
    assert_eq!(only_required.problems().len(), 1);
}

#[test]
fn a_pattern_must_match_the_whole_value() {
    let problems = |name: &str| CreateModelPackageInput::default().model_package_name(name).validate().err();
    assert_eq!(problems("my-model-1"), None);
    let error = problems("not valid!").expect("a space and `!` are outside the name pattern");
    assert!(
        matches!(error.problems(), [p] if p.path == "ModelPackageName" && matches!(p.kind, ProblemKind::Pattern { .. }))
    );
}

#[test]
fn sensitive_members_are_redacted_in_debug() {
    let card = ModelPackageModelCard::default().model_card_content("{\"secret\": \"model details\"}");
    let printed = format!("{card:?}");
    assert!(printed.contains("*** Sensitive Data Redacted ***"), "{printed}");
    assert!(!printed.contains("model details"), "{printed}");
}

#[test]
fn members_are_written_with_their_wire_names_and_absent_ones_are_omitted() {
    let input = CreateModelPackageInput::default()
        .model_package_group_name("group")
        .model_approval_status(ModelApprovalStatus::Approved)
        .customer_metadata_properties(
            [("team".to_string(), "ml".to_string())].into_iter().collect::<std::collections::HashMap<_, _>>(),
        );
    assert_eq!(
        to_json(&input),
        serde_json::json!({
            "ModelPackageGroupName": "group",
            "ModelApprovalStatus": "Approved",
            "CustomerMetadataProperties": {"team": "ml"}
        })
    );
}

#[test]
fn outputs_ignore_unknown_members_and_tolerate_missing_required_ones() {
    let output =
        CreateModelPackageOutput::from_json(&serde_json::json!({"NewField": [1, 2], "Other": null}), &Path::Root)
            .unwrap();
    assert_eq!(output.model_package_arn, None);
    let output =
        CreateModelPackageOutput::from_json(&serde_json::json!({"ModelPackageArn": "arn:x"}), &Path::Root).unwrap();
    assert_eq!(output.model_package_arn.as_deref(), Some("arn:x"));
}

#[test]
fn a_wrongly_typed_response_member_is_an_error_naming_it() {
    let error =
        CreateModelPackageOutput::from_json(&serde_json::json!({"ModelPackageArn": 5}), &Path::Root).unwrap_err();
    assert_eq!(error.to_string(), "at `ModelPackageArn`: expected a string, found a number");
}

#[test]
fn service_errors_map_to_modelled_variants_or_the_unmodelled_one() {
    let metadata = |code: &str| ErrorMetadata::new(code, Some("it clashed".into()), 400, Some("req-1".into()));
    let error = CreateModelPackageError::from_service_error(
        metadata("ConflictException"),
        &ErrorBody::json(400, serde_json::json!({"Message": "it clashed"})),
    );
    let CreateModelPackageError::ConflictException(conflict) = &error else { panic!("{error:?}") };
    assert_eq!(conflict.message.as_deref(), Some("it clashed"));
    assert_eq!(conflict.to_string(), "ConflictException: it clashed");
    assert_eq!(
        error.to_string(),
        "CreateModelPackage failed: ConflictException: it clashed (HTTP 400, request id req-1)"
    );
    assert_eq!(error.request_id(), Some("req-1"));

    let error = CreateModelPackageError::from_service_error(
        metadata("SomethingNew"),
        &ErrorBody::json(400, serde_json::json!({})),
    );
    assert!(matches!(error, CreateModelPackageError::Unmodeled(_)));
    assert_eq!(error.code(), Some("SomethingNew"));
    assert_eq!(error.to_string(), "CreateModelPackage failed: SomethingNew: it clashed (HTTP 400, request id req-1)");
}

#[test]
fn an_error_the_model_defines_but_the_operation_does_not_list_keeps_its_type() {
    use awsgen_sagemaker::error::ServiceError;
    use awsgen_sagemaker::operation::describe_model_package::DescribeModelPackageError;

    let metadata =
        ErrorMetadata::new("ResourceNotFound", Some("no such package".to_string()), 400, Some("req-2".to_string()));
    let error = DescribeModelPackageError::from_service_error(
        metadata,
        &ErrorBody::json(400, serde_json::json!({"Message": "no such package"})),
    );
    let DescribeModelPackageError::Unlisted(ServiceError::ResourceNotFound(not_found)) = &error else {
        panic!("{error:?}")
    };
    assert_eq!(not_found.message.as_deref(), Some("no such package"));
    assert_eq!(error.code(), Some("ResourceNotFound"));
    assert_eq!(
        error.to_string(),
        "DescribeModelPackage failed: ResourceNotFound: no such package (HTTP 400, request id req-2)"
    );
}

/// The error API users of the AWS SDKs expect: `is_<error>()`, the SDKs' own
/// `ProvideErrorMetadata`, the retry classification, and one crate-level `Error` that every
/// operation's error converts into, so `?` works across calls.
#[test]
fn operation_errors_answer_what_aws_sdk_users_ask_and_convert_into_the_crate_error() {
    use awsgen_sagemaker::error::ProvideErrorMetadata;
    use awsgen_sagemaker::operation::describe_model_package::DescribeModelPackageError;

    let conflict = CreateModelPackageError::from_service_error(
        ErrorMetadata::new("ConflictException", Some("it clashed".into()), 400, Some("req-1".into())),
        &ErrorBody::json(400, serde_json::json!({"Message": "it clashed"})),
    );
    assert!(conflict.is_conflict_exception());
    assert!(!conflict.is_resource_limit_exceeded());
    assert_eq!(ProvideErrorMetadata::code(&conflict), Some("ConflictException"));
    assert_eq!(ProvideErrorMetadata::message(&conflict), Some("it clashed"));
    assert_eq!(conflict.meta().extra("aws_request_id"), Some("req-1"));
    assert!(!OperationError::is_retryable(&conflict));
    // Read outside a call: no attempts to count.
    assert_eq!(OperationError::attempts(&conflict), None);

    let throttled = CreateModelPackageError::from_service_error(
        ErrorMetadata::new("ThrottlingException", Some("slow down".into()), 400, None),
        &ErrorBody::json(400, serde_json::json!({})),
    );
    assert!(OperationError::is_throttling(&throttled) && OperationError::is_retryable(&throttled));
    let unavailable = CreateModelPackageError::from_service_error(
        ErrorMetadata::new("InternalFailure", None, 503, None),
        &ErrorBody::json(503, serde_json::json!({})),
    );
    assert!(OperationError::is_retryable(&unavailable) && !OperationError::is_throttling(&unavailable));

    // `?` across two operations into the crate's `Error`.
    fn both(
        first: Result<(), CreateModelPackageError>,
        second: Result<(), DescribeModelPackageError>,
    ) -> Result<(), awsgen_sagemaker::Error> {
        first?;
        second?;
        Ok(())
    }
    let error = both(Err(conflict), Ok(())).unwrap_err();
    assert!(matches!(error, awsgen_sagemaker::Error::ConflictException(_)), "{error:?}");
    assert_eq!(OperationError::code(&error), Some("ConflictException"));
    assert_eq!(error.request_id(), Some("req-1"));
    let missing = DescribeModelPackageError::from_service_error(
        ErrorMetadata::new("ResourceNotFound", None, 400, None),
        &ErrorBody::json(400, serde_json::json!({})),
    );
    let error = both(Ok(()), Err(missing)).unwrap_err();
    assert!(matches!(error, awsgen_sagemaker::Error::ResourceNotFound(_)), "{error:?}");
    assert_eq!(error.to_string(), "SageMaker call failed: ResourceNotFound (HTTP 400)");
}
