//! What the snapshots show must also compile: every fixture model is generated into one
//! workspace, which must pass clippy with warnings denied and build its docs without warnings.

use awsgen_tests::{check_generated_crates, fixture, generate};
use codegen::OperationFilter;

const FIXTURES: &[(&str, &str)] =
    &[("odd_names.json", "odd-names"), ("recursive.json", "recursive"), ("documentation.json", "documentation")];

#[test]
fn every_fixture_crate_is_warning_free_under_clippy_and_rustdoc() {
    let crates = FIXTURES
        .iter()
        .map(|(model, name)| (name.to_string(), generate(&fixture(model), model, &OperationFilter::All, name).unwrap()))
        .collect();
    check_generated_crates("fixtures", crates);
}
