//! The rpcv2Cbor client end to end, which moto cannot serve (it does not speak CBOR): CloudWatch
//! (rpcv2Cbor first in botocore 1.44.5, and awsQueryCompatible) is generated here from the model
//! of the botocore that the pinned moto installs, with PutMetricData, GetMetricData, ListMetrics
//! and GetDashboard, and the program `tests/programs/cbor_loopback.rs` is built on it and run: it
//! sends real signed requests to a loopback server, checks them decoded, reads CBOR outputs,
//! modelled errors (by shape name and by query code), malformed bodies as typed errors, and
//! thousands of random and mutated bodies without a panic.
//!
//! Written under `target/cbor-loopback/`: `cloudwatch/` (the generated crate) and `program/` (a
//! workspace of its own, built into the workspace's target directory with its lock file, so the
//! dependencies the workspace has built are reused).

use std::path::Path;
use std::process::Command;

use codegen::{CrateOptions, OperationFilter};

use awsgen_tests::programs::{botocore_data, gunzip, write_if_changed};
use awsgen_tests::workspace_root;

const OPERATIONS: &[&str] = &["PutMetricData", "GetMetricData", "ListMetrics", "GetDashboard"];

/// Writes `contents` to `path` unless it already holds them (so cargo finds fresh crates fresh).
#[test]
fn cloudwatch_speaks_cbor_to_a_loopback_server() {
    let root = workspace_root();
    let base = root.join("target/cbor-loopback");
    let crate_dir = base.join("cloudwatch");
    let model_dir = botocore_data().join("cloudwatch/2010-08-01");
    let text = gunzip(&model_dir.join("service-2.json.gz"));
    let label = "botocore/data/cloudwatch/2010-08-01/service-2.json";
    let options = CrateOptions {
        crate_name: Some("awsgen-cloudwatch".to_string()),
        model_label: label.to_string(),
        command: "cargo test -p awsgen-tests --test cbor_loopback".to_string(),
        standalone: true,
        runtime: codegen::RuntimeSource::crate_at(&root.join("codegen/runtime"), &crate_dir),
    };
    let filter = OperationFilter::Only(OPERATIONS.iter().map(|op| op.to_string()).collect());
    let emitted = codegen::generate(label, &text, &filter, &options).expect("generating CloudWatch");
    let _ = std::fs::remove_dir_all(crate_dir.join("src"));
    for file in &emitted.files {
        write_if_changed(&crate_dir.join(&file.path), &file.contents);
    }
    let client = emitted.files.iter().find(|f| f.path == "src/client.rs").expect("src/client.rs");
    assert!(
        client.contents.contains("RpcV2Cbor") && client.contents.contains("GraniteServiceVersion20100801"),
        "CloudWatch is generated with rpcv2Cbor, its first protocol"
    );

    let program = base.join("program");
    let relative = |to: &Path| codegen::emit::relative_path(&program, to);
    write_if_changed(
        &program.join("Cargo.toml"),
        &format!(
            "# Written by tests/cbor_loopback.rs.\n\
             [package]\nname = \"cbor-loopback-program\"\nversion = \"0.1.0\"\nedition = \"2024\"\npublish = false\n\n\
             [dependencies]\n\
             awsgen-cloudwatch = {{ path = \"{}\" }}\n\
             bytes = \"1\"\nhttp = \"1\"\nserde_json = \"1\"\n\
             proptest = {{ version = \"1\", default-features = false, features = [\"std\"] }}\n\
             tokio = {{ version = \"1\", default-features = false, features = [\"macros\", \"rt\", \"time\"] }}\n\n\
             [workspace]\nresolver = \"3\"\n",
            relative(&crate_dir)
        ),
    );
    // The loopback server and the harness's CBOR decoder, included as they are.
    let main = format!(
        "{}\n#[allow(dead_code)]\n#[path = {:?}]\nmod loopback;\n\n#[allow(dead_code)]\n#[path = {:?}]\nmod cbor_value;\n",
        include_str!("programs/cbor_loopback.rs"),
        root.join("tests/support/loopback.rs"),
        root.join("xtask/src/cbor_value.rs"),
    );
    write_if_changed(&program.join("src/main.rs"), &main);
    std::fs::copy(root.join("Cargo.lock"), program.join("Cargo.lock")).expect("copying Cargo.lock");

    let target = std::env::var_os("CARGO_TARGET_DIR").map(|dir| root.join(dir)).unwrap_or_else(|| root.join("target"));
    let build = awsgen_tests::cargo()
        .current_dir(&program)
        .args(["build", "--quiet"])
        .env("CARGO_TARGET_DIR", &target)
        .output()
        .expect("running cargo build");
    assert!(build.status.success(), "the program does not build:\n{}", String::from_utf8_lossy(&build.stderr));
    let run = Command::new(target.join("debug/cbor-loopback-program")).output().expect("running the program");
    let stdout = String::from_utf8_lossy(&run.stdout);
    println!("{stdout}");
    assert!(run.status.success(), "the program failed:\n{stdout}\n{}", String::from_utf8_lossy(&run.stderr));
    for check in [
        "PutMetricData sent",
        "DashboardNotFoundError by shape name, with its query code",
        "requests: paths",
        "random and mutated",
    ] {
        assert!(stdout.contains(check), "the program did not report `{check}`:\n{stdout}");
    }
}
