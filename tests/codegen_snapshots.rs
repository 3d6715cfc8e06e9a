//! Snapshots of generated code: the whole CreateModelPackage crate from the real model, and
//! focused fixtures for the hard cases. Review changes with `cargo insta review`.

use awsgen_tests::{fixture, generate, sagemaker_model};
use codegen::{Emitted, OperationFilter};

fn only(ops: &[&str]) -> OperationFilter {
    OperationFilter::Only(ops.iter().map(|s| s.to_string()).collect())
}

/// Snapshots every generated file except the runtime, which is copied verbatim.
fn snapshot_files(prefix: &str, emitted: &Emitted, keep: impl Fn(&str) -> bool) {
    for file in &emitted.files {
        if file.path.starts_with("src/runtime/") || !keep(&file.path) {
            continue;
        }
        let name = format!("{prefix}__{}", file.path.replace(['/', '.'], "_"));
        insta::assert_snapshot!(name, &file.contents);
    }
}

#[test]
fn create_model_package_generates_the_expected_crate() {
    let emitted = generate(
        &sagemaker_model(),
        "models/sagemaker/2017-07-24/service-2.json",
        &only(&["CreateModelPackage"]),
        "awsgen-sagemaker",
    )
    .unwrap();
    let c = &emitted.counts;
    assert_eq!((c.structures, c.enums, c.unions, c.errors), (40, 15, 0, 5));
    snapshot_files("create_model_package", &emitted, |_| true);
}

#[test]
fn odd_enum_values_and_keyword_names_get_valid_distinct_names() {
    let emitted = generate(&fixture("odd_names.json"), "odd_names.json", &OperationFilter::All, "odd-names").unwrap();
    snapshot_files("odd_names", &emitted, |path| path.starts_with("src/types/") || path.starts_with("src/error/"));
}

#[test]
fn recursive_shapes_are_boxed_and_every_scalar_is_mapped() {
    let emitted = generate(&fixture("recursive.json"), "recursive.json", &OperationFilter::All, "recursive").unwrap();
    snapshot_files("recursive", &emitted, |path| path.starts_with("src/types/"));
}

#[test]
fn streaming_payloads_are_request_bodies_in_and_byte_streams_out() {
    let emitted = generate(&fixture("streaming.json"), "streaming.json", &OperationFilter::All, "streaming").unwrap();
    snapshot_files("streaming", &emitted, |path| {
        path.starts_with("src/operation/")
            || path == "src/types/get_thing_response.rs"
            || path == "src/types/put_thing_request.rs"
    });
}

#[test]
fn rest_xml_bodies_are_written_and_read_member_by_member() {
    let emitted = generate(&fixture("rest_xml.json"), "rest_xml.json", &OperationFilter::All, "rest-xml").unwrap();
    snapshot_files("rest_xml", &emitted, |path| {
        path.starts_with("src/operation/")
            || path == "src/types/bucket_configuration.rs"
            || path == "src/types/change_records_request.rs"
            || path == "src/types/target.rs"
            || path.starts_with("src/error/invalid_input")
    });
}

#[test]
fn documentation_becomes_rustdoc_markdown() {
    let emitted =
        generate(&fixture("documentation.json"), "documentation.json", &OperationFilter::All, "docs").unwrap();
    snapshot_files("documentation", &emitted, |path| {
        path == "src/types/describe_input.rs" || path.starts_with("src/operation/describe") || path == "src/lib.rs"
    });
}

#[test]
fn the_same_model_gives_byte_identical_output() {
    let first = generate(&sagemaker_model(), "m", &only(&["CreateModelPackage"]), "x").unwrap();
    let second = generate(&sagemaker_model(), "m", &only(&["CreateModelPackage"]), "x").unwrap();
    assert_eq!(first.files, second.files);
}

#[test]
fn paginated_operations_emit_only_their_token_page_size_and_results() {
    let emitted = awsgen_tests::generate_paginated(
        &fixture("paginated.json"),
        &fixture("paginated.paginators-1.json"),
        "paginated.json",
        &OperationFilter::All,
        "paginated",
    )
    .unwrap();
    snapshot_files("paginated", &emitted, |path| path.starts_with("src/operation/list_"));
}

#[test]
fn waiters_compile_their_acceptors_into_rust_over_the_output() {
    let waiters = std::fs::read_to_string(fixture("waited.waiters-2.json")).unwrap();
    let emitted = awsgen_tests::generate_waited(&fixture("waited.json"), &waiters, "waited.json", "waited").unwrap();
    snapshot_files("waited", &emitted, |path| path == "src/operation/describe_thing.rs" || path == "src/client.rs");
}

#[test]
fn a_waiter_path_beyond_the_subset_is_an_error_naming_the_waiter_and_acceptor() {
    let waiters = |argument: &str| {
        serde_json::json!({"version": 2, "waiters": {"Filtered": {"operation": "DescribeThing", "delay": 1,
            "maxAttempts": 1, "acceptors": [
                {"matcher": "path", "argument": "Status", "expected": "READY", "state": "success"},
                {"matcher": "path", "argument": argument, "expected": true, "state": "success"}]}}})
        .to_string()
    };
    for (argument, says) in [
        ("Items[?State == 'OK']", "the JMESPath at `[?State == 'OK']` is not supported"),
        ("Items[0].State", "the JMESPath at `[0].State` is not supported"),
        ("Missing", "structure `DescribeThingResponse` has no member `Missing`"),
        ("Status[]", "`[]` of `Status`, which is not a list"),
    ] {
        let error = awsgen_tests::generate_waited(&fixture("waited.json"), &waiters(argument), "waited.json", "waited")
            .err()
            .unwrap_or_else(|| panic!("{argument} generated"))
            .to_string();
        assert!(error.starts_with("waiters-2.json: waiter Filtered, acceptor 1: path `"), "{error}");
        assert!(error.contains(says), "{argument}: {error}");
    }
}
