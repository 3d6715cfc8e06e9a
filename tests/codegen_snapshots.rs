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
