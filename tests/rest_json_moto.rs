//! restJson1 end to end against the pinned moto: SageMaker Runtime (generated in full) and five
//! Lambda operations, generated here from the botocore models that moto's virtualenv holds
//! (botocore 1.44.5), checked clean (clippy and rustdoc, warnings denied), then used by one
//! program (`programs/rest_json.rs`) built and run against a moto server.
//!
//! moto facts relied on: InvokeEndpoint answers from the queue of results posted to
//! `/moto-api/static/sagemaker/endpoint-results` (Body, ContentType, InvokedProductionVariant,
//! CustomAttributes); CreateFunction needs its role to exist in moto's IAM (created here with a
//! plain awsQuery form POST, which moto does not check the signature of); no Lambda call made
//! here needs Docker; moto decodes an InvokeEndpoint body as UTF-8 (its server answers 500 to
//! bytes that are not), so the binary body sent is made of bytes that are valid UTF-8.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::Command;

use codegen::{CrateOptions, Emitted, OperationFilter};

use awsgen_tests::moto::{MotoServer, moto_python};
use awsgen_tests::programs::{botocore_data, gunzip, package_name, sync_files, workspace_profiles};
use awsgen_tests::workspace_root;

/// Botocore directory, operations (empty: all), directory under `target/rest-json-moto/`.
const SERVICES: &[(&str, &[&str], &str)] = &[
    ("sagemaker-runtime/2017-05-13", &[], "sagemakerruntime"),
    ("lambda/2015-03-31", &["CreateFunction", "GetFunction", "ListFunctions", "TagResource", "ListTags"], "lambda"),
];

const PROGRAM_MAIN: &str = include_str!("programs/rest_json.rs");
const ROLE: &str = "arn:aws:iam::123456789012:role/rest-json-role";

/// Generates one service (its endpoint rules included) into `dir`, for the program and for the
/// clean check.
fn generate_service(data: &Path, service: &str, ops: &[&str], dir: &Path) -> (Emitted, Emitted) {
    let model_dir = data.join(service);
    let text = gunzip(&model_dir.join("service-2.json.gz"));
    let rule_set = gunzip(&model_dir.join("endpoint-rule-set-1.json.gz"));
    let partitions = std::fs::read_to_string(workspace_root().join("models/partitions.json"))
        .expect("reading models/partitions.json");
    let label = format!("botocore/data/{service}/service-2.json");
    let filter = if ops.is_empty() {
        OperationFilter::All
    } else {
        OperationFilter::Only(ops.iter().map(|op| op.to_string()).collect())
    };
    let extras = codegen::ModelExtras { rule_set: Some(&rule_set), ..Default::default() };
    let generate = |runtime: codegen::RuntimeSource| {
        let options = CrateOptions {
            crate_name: None,
            model_label: label.clone(),
            command: "cargo test -p awsgen-tests --test rest_json_moto".to_string(),
            standalone: true,
            runtime,
        };
        codegen::generate_with_extras(&label, &text, &extras, &partitions, &filter, &options)
            .unwrap_or_else(|e| panic!("generating {service}: {e}"))
    };
    let emitted = generate(codegen::RuntimeSource::crate_at(&workspace_root().join("codegen/runtime"), dir));
    let files: Vec<(String, String)> = emitted.files.iter().map(|f| (f.path.clone(), f.contents.clone())).collect();
    sync_files(dir, &files);
    (emitted, generate(awsgen_tests::runtime_for_checks()))
}

/// A plain HTTP/1.1 request to moto with a body; returns the status and the response text.
fn post(server: &MotoServer, path: &str, headers: &[(&str, &str)], body: &str) -> (u16, String) {
    let mut stream = TcpStream::connect(("127.0.0.1", server.port())).expect("connecting to moto");
    let mut request = format!("POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n");
    for (name, value) in headers {
        request.push_str(&format!("{name}: {value}\r\n"));
    }
    request.push_str(&format!("Content-Length: {}\r\n\r\n{body}", body.len()));
    stream.write_all(request.as_bytes()).expect("writing to moto");
    let mut response = String::new();
    stream.read_to_string(&mut response).expect("reading moto's answer");
    let status = response.split(' ').nth(1).and_then(|s| s.parse().ok()).unwrap_or(0);
    (status, response)
}

#[test]
fn sagemaker_runtime_and_lambda_against_moto() {
    let root = workspace_root();
    let base = root.join("target/rest-json-moto");
    let data = botocore_data();

    let mut crates = Vec::new();
    let mut checks = Vec::new();
    for (service, ops, dir) in SERVICES {
        let crate_dir = base.join(dir);
        let (emitted, for_check) = generate_service(&data, service, ops, &crate_dir);
        if !ops.is_empty() {
            assert_eq!(emitted.counts.operations, ops.len(), "{service}: the operations generated");
        }
        crates.push((package_name(&emitted), crate_dir));
        checks.push((dir.to_string(), for_check));
    }
    // Each generated crate checks clean: clippy and rustdoc with warnings denied.
    awsgen_tests::check_generated_crates("rest-json-moto", checks);

    let program = base.join("program");
    let mut manifest = String::from(
        "# Written by tests/rest_json_moto.rs.\n[package]\nname = \"rest-json-program\"\nversion = \"0.1.0\"\n\
         edition = \"2024\"\npublish = false\n\n[dependencies]\n",
    );
    for (name, dir) in &crates {
        manifest.push_str(&format!("{name} = {{ path = \"{}\" }}\n", codegen::emit::relative_path(&program, dir)));
    }
    manifest.push_str("tokio = { version = \"1\", default-features = false, features = [\"macros\", \"rt\"] }\n\n");
    manifest.push_str("[workspace]\nresolver = \"3\"\n\n");
    manifest.push_str(&workspace_profiles());
    sync_files(
        &program,
        &[("Cargo.toml".to_string(), manifest), ("src/main.rs".to_string(), PROGRAM_MAIN.to_string())],
    );
    std::fs::copy(root.join("Cargo.lock"), program.join("Cargo.lock")).expect("copying Cargo.lock");
    let target = std::env::var_os("CARGO_TARGET_DIR").map(|dir| root.join(dir)).unwrap_or_else(|| root.join("target"));
    let output = awsgen_tests::cargo()
        .current_dir(&program)
        .args(["build", "--quiet"])
        .env("CARGO_TARGET_DIR", &target)
        .output()
        .expect("running cargo build");
    assert!(output.status.success(), "cargo build of the program failed:\n{}", String::from_utf8_lossy(&output.stderr));
    let executable = target.join("debug/rest-json-program");

    let zip = base.join("function.zip");
    let status = Command::new(moto_python())
        .args(["-c", "import sys, zipfile; zipfile.ZipFile(sys.argv[1], 'w').writestr('index.py', 'def handler(e, c): return e\\n')"])
        .arg(&zip)
        .status()
        .expect("writing the function's zip");
    assert!(status.success(), "writing {}", zip.display());

    let moto = MotoServer::start();
    let results = r#"{"results": [{"Body": "{\"prediction\": 0.5}", "ContentType": "application/json", "InvokedProductionVariant": "primary", "CustomAttributes": "trace=1"}]}"#;
    let (status, answer) =
        post(&moto, "/moto-api/static/sagemaker/endpoint-results", &[("Content-Type", "application/json")], results);
    assert_eq!(status, 201, "configuring InvokeEndpoint's results: {answer}");
    let policy = "%7B%22Version%22%3A%222012-10-17%22%2C%22Statement%22%3A%5B%5D%7D";
    let form =
        format!("Action=CreateRole&Version=2010-05-08&RoleName=rest-json-role&AssumeRolePolicyDocument={policy}");
    let (status, answer) = post(
        &moto,
        "/",
        &[
            ("Content-Type", "application/x-www-form-urlencoded"),
            (
                "Authorization",
                "AWS4-HMAC-SHA256 Credential=AKID/20250101/us-east-1/iam/aws4_request, SignedHeaders=host, Signature=0",
            ),
        ],
        &form,
    );
    assert_eq!(status, 200, "creating the role: {answer}");

    let output =
        Command::new(&executable).arg(moto.endpoint()).arg(ROLE).arg(&zip).output().expect("running the program");
    let stdout = String::from_utf8_lossy(&output.stdout);
    println!("{stdout}");
    assert!(
        output.status.success(),
        "the program failed ({}):\nstdout:\n{stdout}\nstderr:\n{}\nmoto's log: {}",
        output.status,
        String::from_utf8_lossy(&output.stderr),
        moto.log_path().display()
    );
    let value = |prefix: &str| -> String {
        stdout
            .lines()
            .find_map(|line| line.strip_prefix(prefix))
            .unwrap_or_else(|| panic!("no line starting {prefix:?} in:\n{stdout}"))
            .to_string()
    };
    assert_eq!(value("sagemaker-runtime InvokeEndpoint body: "), r#"{"prediction": 0.5}"#);
    assert_eq!(value("sagemaker-runtime InvokeEndpoint content type: "), "application/json");
    assert_eq!(value("sagemaker-runtime InvokeEndpoint variant: "), "primary");
    assert_eq!(value("sagemaker-runtime InvokeEndpoint attributes: "), "trace=1");
    let arn = "arn:aws:lambda:us-east-1:123456789012:function:rest-json-function";
    assert_eq!(value("lambda CreateFunction: "), arn);
    assert_eq!(value("lambda GetFunction: "), "rest-json-function");
    assert_eq!(value("lambda ListFunctions: "), "rest-json-function");
    assert_eq!(value("lambda ListTags: "), "team=awsgen");
}
