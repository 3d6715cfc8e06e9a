//! What the snapshots show must also compile: every fixture model is generated into one
//! workspace, which must pass clippy with warnings denied and build its docs without warnings.

use awsgen_tests::{check_generated_crates, fixture, generate, generate_paginated};
use codegen::OperationFilter;

const FIXTURES: &[(&str, &str)] =
    &[("odd_names.json", "odd-names"), ("recursive.json", "recursive"), ("documentation.json", "documentation")];

#[test]
fn every_fixture_crate_is_warning_free_under_clippy_and_rustdoc() {
    let mut crates: Vec<(String, codegen::Emitted)> = FIXTURES
        .iter()
        .map(|(model, name)| (name.to_string(), generate(&fixture(model), model, &OperationFilter::All, name).unwrap()))
        .collect();
    // Paginators: a nested output token, several result keys (one not a list), more_results, a
    // paginator without result keys.
    let paginators = fixture("paginated.paginators-1.json");
    let paginated = generate_paginated(
        &fixture("paginated.json"),
        &paginators,
        "paginated.json",
        &OperationFilter::All,
        "paginated",
    );
    crates.push(("paginated".to_string(), paginated.unwrap()));
    check_generated_crates("fixtures", crates);
}
