//! Endpoint parameters a model binds: a crate generated from a fixture model with all four kinds
//! (`clientContextParams`, `staticContextParams`, `contextParam`, `operationContextParams`) and
//! a rule set that shows each in the URL. Its generated code is snapshotted, and a test written
//! as its user writes one (tests/programs/endpoint_params.rs) runs against it with
//! `cargo test`: every URL is the fixture rule set's for the parameters the call should pass.

use awsgen_tests::{cargo, fixture, runtime_for_checks, workspace_root, write_crate};
use codegen::{CrateOptions, OperationFilter};

/// The test the generated crate runs as its own `tests/endpoints.rs`.
const PROGRAM: &str = include_str!("programs/endpoint_params.rs");

fn generate() -> codegen::Emitted {
    let read = |path: std::path::PathBuf| std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path:?}: {e}"));
    let model = read(fixture("endpoint_params.json"));
    let rule_set = read(fixture("endpoint_params.endpoint-rule-set-1.json"));
    let partitions = read(workspace_root().join("models/partitions.json"));
    let options = CrateOptions {
        crate_name: Some("endpoint-params".to_string()),
        model_label: "endpoint_params.json".to_string(),
        command: "cargo test -p awsgen-tests --test endpoint_params".to_string(),
        standalone: true,
        runtime: runtime_for_checks(),
    };
    let extras = codegen::ModelExtras { rule_set: Some(&rule_set), ..Default::default() };
    codegen::generate_with_extras("endpoint_params.json", &model, &extras, &partitions, &OperationFilter::All, &options)
        .unwrap()
}

#[test]
fn the_generated_calls_pass_the_parameters_their_model_binds() {
    let emitted = generate();
    for file in &emitted.files {
        let keep = ["src/client.rs", "src/operation/list_things.rs", "src/operation/control_thing.rs"];
        if keep.contains(&file.path.as_str()) {
            insta::assert_snapshot!(format!("endpoint_params__{}", file.path.replace(['/', '.'], "_")), &file.contents);
        }
    }

    let root = workspace_root().join("target/generated-check");
    // Where `runtime_for_checks` reaches the runtime from; the crate is a workspace of its own.
    let dir = root.join("endpoint-params/endpoint-params");
    let _ = std::fs::remove_dir_all(&dir);
    write_crate(&dir, &emitted);
    std::fs::create_dir_all(dir.join("tests")).unwrap();
    std::fs::write(dir.join("tests/endpoints.rs"), PROGRAM).unwrap();
    let _ = std::fs::copy(workspace_root().join("Cargo.lock"), dir.join("Cargo.lock"));
    // The shared config the crate's tests read with `load_env`: a sub-section, as the AWS SDKs
    // document it.
    let profile = dir.join("aws-config");
    std::fs::write(&profile, "[default]\nregion = eu-west-1\ns3 =\n  addressing_style = path\n").unwrap();
    for args in [&["clippy", "--all-targets", "--quiet", "--", "-D", "warnings"][..], &["test", "--quiet"]] {
        let output = cargo()
            .current_dir(&dir)
            .args(args)
            .env("CARGO_TARGET_DIR", root.join("target"))
            .env("AWS_CONFIG_FILE", &profile)
            .env("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent")
            .env("AWS_S3_USE_ARN_REGION", "true")
            .env_remove("AWS_PROFILE")
            .output()
            .unwrap();
        assert!(
            output.status.success(),
            "cargo {args:?} failed:\n{}\n{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
    }
}
