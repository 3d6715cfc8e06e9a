//! The awsQuery and ec2 protocols end to end: STS, IAM and EC2 crates generated here from the
//! models of the botocore that the pinned moto serves (only the operations called), checked
//! with clippy (warnings denied) and rustdoc, and a program on them run against moto
//! (`programs/query_moto.rs`): STS GetCallerIdentity, AssumeRole (the credentials' expiry
//! read), AssumeRoleWithWebIdentity (sent unsigned); IAM CreateRole, GetRole, ListRoles and
//! the typed `NoSuchEntityException` of a missing role; EC2 RunInstances, DescribeInstances
//! with filters and a tag, TerminateInstances. The program's own tests
//! (`programs/query_bad_input.rs`) give the generated `parse_response` functions hostile and
//! broken XML.
//!
//! Everything is written under `target/query-moto/`, a workspace of its own (the three crates
//! and the program) built into the workspace's target directory with the workspace's profiles
//! and lock file, so the dependencies the workspace has compiled are reused.

use std::path::PathBuf;
use std::process::Command;
use std::sync::Mutex;

use codegen::{CrateOptions, OperationFilter};

use awsgen_tests::moto::MotoServer;
use awsgen_tests::programs::{botocore_data, cargo_in, gunzip, workspace_profiles, write_if_changed};
use awsgen_tests::workspace_root;

/// The services: botocore directory, the operations generated, the crate's directory.
const SERVICES: &[(&str, &[&str], &str)] = &[
    ("sts/2011-06-15", &["GetCallerIdentity", "AssumeRole", "AssumeRoleWithWebIdentity"], "sts"),
    ("iam/2010-05-08", &["CreateRole", "GetRole", "ListRoles"], "iam"),
    ("ec2/2016-11-15", &["RunInstances", "DescribeInstances", "TerminateInstances"], "ec2"),
];

const PROGRAM_MAIN: &str = include_str!("programs/query_moto.rs");
const PROGRAM_TESTS: &str = include_str!("programs/query_bad_input.rs");

/// Generates the crates and the program into `target/query-moto` and checks them (clippy with
/// warnings denied, rustdoc with warnings denied), once for all the tests of this file.
fn workspace() -> PathBuf {
    static DONE: Mutex<Option<PathBuf>> = Mutex::new(None);
    let mut done = DONE.lock().unwrap_or_else(|e| e.into_inner());
    if let Some(dir) = done.as_ref() {
        return dir.clone();
    }
    let root = workspace_root();
    let base = root.join("target/query-moto");
    let data = botocore_data();
    let partitions =
        std::fs::read_to_string(root.join("models/partitions.json")).expect("reading models/partitions.json");
    let mut members = Vec::new();
    let mut dependencies = String::new();
    for (service, operations, dir) in SERVICES {
        let crate_dir = base.join(dir);
        let model_dir = data.join(service);
        let label = format!("botocore/data/{service}/service-2.json");
        let options = CrateOptions {
            crate_name: None,
            model_label: label.clone(),
            command: "cargo test -p awsgen-tests --test query_moto".to_string(),
            standalone: false,
            runtime: codegen::RuntimeSource::crate_at(&root.join("codegen/runtime"), &crate_dir),
        };
        let rule_set = gunzip(&model_dir.join("endpoint-rule-set-1.json.gz"));
        let extras = codegen::ModelExtras { rule_set: Some(&rule_set), ..Default::default() };
        let filter = OperationFilter::Only(operations.iter().map(|op| op.to_string()).collect());
        let emitted = codegen::generate_with_extras(
            &label,
            &gunzip(&model_dir.join("service-2.json.gz")),
            &extras,
            &partitions,
            &filter,
            &options,
        )
        .unwrap_or_else(|e| panic!("generating {service}: {e}"));
        assert_eq!(emitted.counts.operations, operations.len(), "{service}: the operations generated");
        let _ = std::fs::remove_dir_all(crate_dir.join("src"));
        for file in &emitted.files {
            write_if_changed(&crate_dir.join(&file.path), &file.contents);
        }
        members.push(format!("\"{dir}\""));
        dependencies.push_str(&format!("awsgen-{dir} = {{ path = \"../{dir}\" }}\n"));
    }
    let program = base.join("program");
    write_if_changed(
        &program.join("Cargo.toml"),
        &format!(
            "# Written by tests/query_moto.rs.\n[package]\nname = \"query-moto-program\"\nversion = \"0.1.0\"\n\
             edition = \"2024\"\npublish = false\n\n[dependencies]\n{dependencies}\
             tokio = {{ version = \"1\", default-features = false, features = [\"macros\", \"rt\"] }}\n\n\
             [dev-dependencies]\nbytes = \"1\"\nhttp = \"1\"\n\
             proptest = {{ version = \"1\", default-features = false, features = [\"std\"] }}\n"
        ),
    );
    write_if_changed(&program.join("src/main.rs"), PROGRAM_MAIN);
    write_if_changed(&program.join("tests/bad_input.rs"), PROGRAM_TESTS);
    members.push("\"program\"".to_string());
    write_if_changed(
        &base.join("Cargo.toml"),
        &format!("[workspace]\nresolver = \"3\"\nmembers = [{}]\n\n{}", members.join(", "), workspace_profiles()),
    );
    if !base.join("Cargo.lock").exists() {
        std::fs::copy(root.join("Cargo.lock"), base.join("Cargo.lock")).expect("copying Cargo.lock");
    }
    cargo_in(&base, &["clippy", "--workspace", "--all-targets", "--quiet", "--", "-D", "warnings"]);
    cargo_in(&base, &["doc", "--workspace", "--no-deps", "--quiet"]);
    *done = Some(base.clone());
    base
}

#[test]
fn sts_iam_and_ec2_against_moto() {
    let base = workspace();
    let stdout = cargo_in(&base, &["build", "-p", "query-moto-program", "--message-format=json", "--quiet"]);
    let executable = stdout
        .lines()
        .filter_map(|line| serde_json::from_str::<serde_json::Value>(line).ok())
        .find_map(|m| m["executable"].as_str().filter(|e| e.contains("query-moto-program")).map(PathBuf::from))
        .expect("the program's executable in cargo's messages");
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
    let line = |prefix: &str| -> String {
        stdout
            .lines()
            .find_map(|line| line.strip_prefix(prefix))
            .unwrap_or_else(|| panic!("no line starting {prefix:?} in:\n{stdout}"))
            .to_string()
    };
    assert!(line("sts GetCallerIdentity: ").starts_with("123456789012 arn:aws:sts::123456789012:"));
    assert!(line("sts AssumeRole: ").starts_with("ASIA"));
    assert_eq!(line("sts AssumeRoleWithWebIdentity request: "), "unsigned");
    assert!(
        line("sts AssumeRoleWithWebIdentity: ").starts_with("arn:aws:sts::123456789012:assumed-role/query-moto/web")
    );
    assert_eq!(line("iam CreateRole: "), "arn:aws:iam::123456789012:role/awsgen/query-moto-role");
    assert!(line("iam GetRole: ").starts_with("query-moto-role /awsgen/ created "));
    assert_eq!(line("iam ListRoles: "), "query-moto-role");
    assert!(line("iam GetRole of a missing role: ").starts_with("NoSuchEntityException "));
    let ids = line("ec2 RunInstances: ");
    let mut ids: Vec<&str> = ids.split(',').collect();
    let terminated = line("ec2 TerminateInstances: ");
    let expected: Vec<String> = ids.iter().map(|id| format!("{id} running->shutting-down")).collect();
    assert_eq!(terminated, expected.join("; "), "moto answers TerminateInstances with `shutting-down`");
    ids.sort();
    let described = line("ec2 DescribeInstances: ");
    let expected: Vec<String> = ids.iter().map(|id| format!("{id} running [Name=query-moto]")).collect();
    assert_eq!(described, expected.join("; "), "only the two tagged instances (in id order), with their tag");
}

#[test]
fn hostile_xml_to_generated_parse_response() {
    let base = workspace();
    cargo_in(&base, &["test", "-p", "query-moto-program", "--quiet"]);
}
