//! The generator is general: every operation of SageMaker (425 operations, 3,200 shapes,
//! recursive shapes, unions, timestamps, floats, longs) generates a crate that passes clippy
//! and rustdoc with warnings denied.

use awsgen_tests::{check_generated_crates, generate, sagemaker_model};
use codegen::OperationFilter;

#[test]
fn all_of_sagemaker_generates_and_checks_clean() {
    let emitted = generate(
        &sagemaker_model(),
        "models/sagemaker/2017-07-24/service-2.json",
        &OperationFilter::All,
        "awsgen-sagemaker-all",
    )
    .unwrap();
    assert_eq!(emitted.counts.operations, 425);
    let c = &emitted.counts;
    assert_eq!(c.structures + c.enums + c.unions + c.errors + c.other_shapes, 3200);
    check_generated_crates("all-sagemaker", vec![("sagemaker".to_string(), emitted)]);
}
