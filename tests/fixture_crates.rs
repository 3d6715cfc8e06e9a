//! What the snapshots show must also compile: every fixture model is generated into one
//! workspace, which must pass clippy with warnings denied and build its docs without warnings.

use awsgen_tests::{check_generated_crates, fixture, generate, generate_paginated, generate_waited};
use codegen::OperationFilter;

const FIXTURES: &[(&str, &str)] = &[
    ("odd_names.json", "odd-names"),
    ("recursive.json", "recursive"),
    ("documentation.json", "documentation"),
    // restJson1 with streaming payloads in and out.
    ("streaming.json", "streaming"),
    // restXml: payloads named by their member, namespaces, attributes, flattened lists, maps,
    // unions, timestamps in each format, streaming payloads, errors with header members.
    ("rest_xml.json", "rest-xml"),
];

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
    // Waiters: every matcher, and every JMESPath construct the generator compiles (member
    // paths through a boxed member, projections, length(), comparisons, &&, ||, parentheses).
    let waiters = std::fs::read_to_string(fixture("waited.waiters-2.json")).unwrap();
    crates.push((
        "waited".to_string(),
        generate_waited(&fixture("waited.json"), &waiters, "waited.json", "waited").unwrap(),
    ));
    check_generated_crates("fixtures", crates);
}
