//! Three services from one config, as a user's program has them: the checked-in SageMaker crate,
//! and KMS and CloudWatch Logs generated here from the models of the botocore that the pinned
//! moto serves. One program built with `cargo build --timings` makes a client per service from
//! one `Config`, checks they share the connection pool, and makes real calls against moto; the
//! build compiles `awsgen-runtime` once for all three.
//!
//! Everything is written under `target/multi-service/`: `kms/` and `logs/` (the generated
//! crates, standalone, finding the runtime by a relative path) and `program/` (a workspace of its
//! own). The program is built into the workspace's target directory with the workspace's
//! profiles and lock file, so it reuses most of the dependencies the workspace has compiled, and
//! its next run everything this one compiled.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Instant, SystemTime};

use codegen::{CrateOptions, Emitted, OperationFilter};

use awsgen_tests::moto::MotoServer;
use awsgen_tests::programs::{botocore_data, gunzip, package_name, sync_files, workspace_profiles};
use awsgen_tests::workspace_root;

/// The services generated here: botocore directory, operations, directory under
/// `target/multi-service/`, and the package name the model gives the crate.
const SERVICES: &[(&str, &[&str], &str, &str)] = &[
    ("kms/2014-11-01", &["CreateKey", "DescribeKey"], "kms", "awsgen-kms"),
    ("logs/2014-03-28", &["CreateLogGroup", "DescribeLogGroups"], "logs", "awsgen-cloudwatchlogs"),
];

const PROGRAM_NAME: &str = "multi-service-program";

/// The program: one config, three clients, one call per service (two for KMS and Logs: create,
/// then read back). A line per call on stdout; exit status 1 on any error.
const PROGRAM_MAIN: &str = include_str!("programs/multi_service.rs");

/// Generates one service's operations from moto's botocore into `target/multi-service/<dir>`.
fn generate_service(data: &Path, service: &str, ops: &[&str], dir: &Path) -> Emitted {
    let model_dir = data.join(service);
    let text = gunzip(&model_dir.join("service-2.json.gz"));
    let rule_set = gunzip(&model_dir.join("endpoint-rule-set-1.json.gz"));
    let partitions = std::fs::read_to_string(workspace_root().join("models/partitions.json"))
        .expect("reading models/partitions.json");
    let label = format!("botocore/data/{service}/service-2.json");
    let options = CrateOptions {
        crate_name: None,
        model_label: label.clone(),
        command: "cargo test -p awsgen-tests --test multi_service".to_string(),
        standalone: true,
        runtime: codegen::RuntimeSource::crate_at(&workspace_root().join("codegen/runtime"), dir),
    };
    let filter = OperationFilter::Only(ops.iter().map(|op| op.to_string()).collect());
    let extras = codegen::ModelExtras { rule_set: Some(&rule_set), ..Default::default() };
    let emitted = codegen::generate_with_extras(&label, &text, &extras, &partitions, &filter, &options)
        .unwrap_or_else(|e| panic!("generating {service}: {e}"));
    let files: Vec<(String, String)> = emitted.files.iter().map(|f| (f.path.clone(), f.contents.clone())).collect();
    sync_files(dir, &files);
    emitted
}

fn program_manifest(program: &Path, crates: &[(&str, PathBuf)]) -> String {
    let mut manifest = String::from(
        "# Written by tests/multi_service.rs: one program on three generated service crates.\n\
         [package]\n\
         name = \"multi-service-program\"\n\
         version = \"0.1.0\"\n\
         edition = \"2024\"\n\
         publish = false\n\n\
         [dependencies]\n",
    );
    for (name, dir) in crates {
        manifest.push_str(&format!("{name} = {{ path = \"{}\" }}\n", codegen::emit::relative_path(program, dir)));
    }
    manifest.push_str("tokio = { version = \"1\", default-features = false, features = [\"macros\", \"rt\"] }\n\n");
    manifest.push_str("[workspace]\nresolver = \"3\"\n\n");
    manifest.push_str(&workspace_profiles());
    manifest
}

/// What one `cargo build --message-format=json` said: the `compiler-artifact` messages.
fn artifacts(stdout: &str) -> Vec<serde_json::Value> {
    stdout
        .lines()
        .filter_map(|line| serde_json::from_str::<serde_json::Value>(line).ok())
        .filter(|message| message["reason"] == "compiler-artifact")
        .collect()
}

fn is_lib(artifact: &serde_json::Value) -> bool {
    artifact["target"]["kind"].as_array().is_some_and(|kinds| kinds.iter().any(|k| k == "lib" || k == "rlib"))
}

/// The package name of an artifact, from its id: `path+file:///…/runtime#awsgen-runtime@0.1.0`,
/// or `path+file:///…/kms#0.1.0` when the name is the directory's.
fn artifact_package(artifact: &serde_json::Value) -> String {
    let id = artifact["package_id"].as_str().unwrap_or_default();
    let (source, fragment) = id.rsplit_once('#').unwrap_or((id, ""));
    match fragment.split_once('@') {
        Some((name, _)) => name.to_string(),
        None => source.rsplit('/').next().unwrap_or_default().to_string(),
    }
}

/// The units of a `--timings` report, from its `UNIT_DATA`: crate name, target (empty for a
/// lib, `build-script`, `"bin"`, ...) and seconds (0 for a unit that was fresh).
fn timing_units(html: &str) -> Vec<(String, String, f64)> {
    let start = html.find("const UNIT_DATA = ").expect("UNIT_DATA in the timings report") + "const UNIT_DATA = ".len();
    let end = start + html[start..].find("];").expect("the end of UNIT_DATA") + 1;
    let units: Vec<serde_json::Value> = serde_json::from_str(&html[start..end]).expect("UNIT_DATA is JSON");
    units
        .iter()
        .map(|u| {
            let text = |key: &str| u[key].as_str().unwrap_or_default().trim().to_string();
            (text("name"), text("target"), u["duration"].as_f64().unwrap_or_default())
        })
        .collect()
}

#[test]
fn one_config_serves_sagemaker_kms_and_logs_from_one_runtime() {
    let started = Instant::now();
    let root = workspace_root();
    let base = root.join("target/multi-service");
    let data = botocore_data();

    // The two generated crates, named after their services.
    let mut dirs = BTreeMap::new();
    for (service, ops, dir, expected_name) in SERVICES {
        let crate_dir = base.join(dir);
        let emitted = generate_service(&data, service, ops, &crate_dir);
        let name = package_name(&emitted);
        assert_eq!(name, *expected_name, "the package name of {service}");
        assert!(
            emitted.files.iter().any(|f| f.path == "Cargo.toml" && f.contents.contains("awsgen-runtime = { path = ")),
            "{name} depends on the runtime crate by path"
        );
        assert_eq!(emitted.counts.operations, ops.len(), "{name}: the operations generated");
        dirs.insert(name, crate_dir);
    }
    dirs.insert("awsgen-sagemaker".to_string(), root.join("generated"));
    dirs.insert("awsgen-runtime".to_string(), root.join("codegen/runtime"));
    println!("generated in {:.1} s", started.elapsed().as_secs_f64());

    // The program, a workspace of its own on the three crates.
    let program = base.join("program");
    let crates: Vec<(&str, PathBuf)> = ["awsgen-sagemaker", "awsgen-kms", "awsgen-cloudwatchlogs"]
        .iter()
        .map(|name| (*name, dirs[*name].clone()))
        .collect();
    sync_files(
        &program,
        &[
            ("Cargo.toml".to_string(), program_manifest(&program, &crates)),
            ("src/main.rs".to_string(), PROGRAM_MAIN.to_string()),
        ],
    );
    std::fs::copy(root.join("Cargo.lock"), program.join("Cargo.lock")).expect("copying the workspace's Cargo.lock");

    // One build; the runtime must be one unit of it.
    // The workspace's target directory (a relative CARGO_TARGET_DIR taken as cargo's, from the root).
    let target = std::env::var_os("CARGO_TARGET_DIR").map(|dir| root.join(dir)).unwrap_or_else(|| root.join("target"));
    let build_started = SystemTime::now();
    let output = awsgen_tests::cargo()
        .current_dir(&program)
        .args(["build", "--timings", "--message-format=json"])
        .env("CARGO_TARGET_DIR", &target)
        .output()
        .expect("running cargo build");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "cargo build of the program failed:\n{}", String::from_utf8_lossy(&output.stderr));
    let artifacts = artifacts(&stdout);
    let runtime: Vec<&serde_json::Value> =
        artifacts.iter().filter(|a| is_lib(a) && artifact_package(a) == "awsgen-runtime").collect();
    assert_eq!(runtime.len(), 1, "awsgen-runtime lib artifacts: {runtime:#?}");
    for name in ["awsgen-sagemaker", "awsgen-kms", "awsgen-cloudwatchlogs"] {
        let count = artifacts.iter().filter(|a| is_lib(a) && artifact_package(a) == name).count();
        assert_eq!(count, 1, "{name} lib artifacts");
    }
    let runtime_fresh = runtime[0]["fresh"].as_bool().unwrap_or(false);
    let report = target.join("cargo-timings/cargo-timing.html");
    let modified = std::fs::metadata(&report)
        .and_then(|m| m.modified())
        .unwrap_or_else(|e| panic!("the timings report {}: {e}", report.display()));
    assert!(modified >= build_started, "{} was not written by this build", report.display());
    let html = std::fs::read_to_string(&report).expect("reading the timings report");
    let runtime_units: Vec<(String, String, f64)> = timing_units(&html)
        .into_iter()
        .filter(|(name, target, _)| name == "awsgen-runtime" && target.is_empty())
        .collect();
    assert_eq!(runtime_units.len(), 1, "awsgen-runtime lib units in {}: {runtime_units:?}", report.display());
    let runtime_seconds = runtime_units[0].2;
    let executable = artifacts
        .iter()
        .find(|a| artifact_package(a) == PROGRAM_NAME)
        .and_then(|a| a["executable"].as_str())
        .map(PathBuf::from)
        .expect("the program's executable in cargo's messages");
    println!(
        "built in {:.1} s (awsgen-runtime {}); {}",
        build_started.elapsed().unwrap_or_default().as_secs_f64(),
        if runtime_fresh { "fresh".to_string() } else { format!("compiled once, {runtime_seconds:.1} s") },
        report.display()
    );

    // The calls, against moto.
    let moto = MotoServer::start();
    let output = Command::new(&executable).arg(moto.endpoint()).output().expect("running the program");
    let stdout = String::from_utf8_lossy(&output.stdout);
    println!("{stdout}");
    assert!(
        output.status.success(),
        "the program failed ({}):\nstdout:\n{stdout}\nstderr:\n{}\nmoto's log: {}",
        output.status,
        String::from_utf8_lossy(&output.stderr),
        moto.log_path().display()
    );
    let lines: Vec<&str> = stdout.lines().collect();
    let value = |prefix: &str| -> &str {
        lines
            .iter()
            .find_map(|line| line.strip_prefix(prefix))
            .unwrap_or_else(|| panic!("no line starting {prefix:?} in:\n{stdout}"))
    };
    for pair in ["sagemaker+kms", "sagemaker+logs", "kms+logs"] {
        assert_eq!(value(&format!("shared connections {pair}: ")), "yes");
    }
    assert_eq!(
        value("sagemaker CreateModelPackageGroup: "),
        "arn:aws:sagemaker:us-east-1:123456789012:model-package-group/multi-service-group"
    );
    let key_id = value("kms CreateKey: ");
    assert_eq!(key_id.len(), 36, "a UUID key id: {key_id:?}");
    assert_eq!(value("kms DescribeKey: "), format!("{key_id} Enabled"));
    assert_eq!(value("logs CreateLogGroup: "), "/awsgen/multi-service");
    assert_eq!(value("logs DescribeLogGroups: "), "/awsgen/multi-service");
    println!("test took {:.1} s", started.elapsed().as_secs_f64());
}
