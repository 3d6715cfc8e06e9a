//! S3 end to end: an S3 crate generated here from the model of the botocore that the pinned
//! moto serves (only the operations called), checked with clippy (warnings denied) and
//! rustdoc, and a program on it run against moto (`programs/s3_moto.rs`): CreateBucket;
//! PutObject of a 64 MiB file streamed from disk with a CRC32 trailer; HeadObject; GetObject
//! streamed to disk and compared by sha256; ListObjectsV2 over 2,500 keys across pages;
//! DeleteObjects; a 100 MiB multipart upload with the helper; CopyObject; presigned GET and
//! PUT used with a plain HTTP client; NoSuchKey and NoSuchBucket as typed errors. Then the
//! peak memory of the 64 MiB upload and download, and presigned URLs compared with
//! botocore's `generate_presigned_url` for the same inputs, credentials and time.
//!
//! Everything is written under `target/s3-moto/`, a workspace of its own built into the
//! workspace's target directory with the workspace's profiles and lock file.

use std::path::PathBuf;
use std::process::Command;
use std::sync::Mutex;

use codegen::{CrateOptions, OperationFilter};

use awsgen_tests::moto::{MotoServer, moto_python};
use awsgen_tests::programs::{botocore_data, cargo_in, gunzip, workspace_profiles, write_if_changed};
use awsgen_tests::workspace_root;

/// The operations the program calls.
const OPERATIONS: &[&str] = &[
    "CreateBucket",
    "PutObject",
    "HeadObject",
    "GetObject",
    "ListObjectsV2",
    "DeleteObjects",
    "CreateMultipartUpload",
    "UploadPart",
    "CompleteMultipartUpload",
    "AbortMultipartUpload",
    "CopyObject",
];

const PROGRAM_MAIN: &str = include_str!("programs/s3_moto.rs");

/// Peak resident memory allowed above the program's baseline while streaming 64 MiB.
const MEMORY_LIMIT_KIB: u64 = 32 * 1024;

/// Generates the crate and the program into `target/s3-moto`, checks them (clippy and rustdoc
/// with warnings denied) and builds the program, once for all the tests of this file: the
/// program's executable.
fn program() -> PathBuf {
    static DONE: Mutex<Option<PathBuf>> = Mutex::new(None);
    let mut done = DONE.lock().unwrap_or_else(|e| e.into_inner());
    if let Some(executable) = done.as_ref() {
        return executable.clone();
    }
    let root = workspace_root();
    let base = root.join("target/s3-moto");
    let crate_dir = base.join("s3");
    let model_dir = botocore_data().join("s3/2006-03-01");
    let partitions =
        std::fs::read_to_string(root.join("models/partitions.json")).expect("reading models/partitions.json");
    let label = "botocore/data/s3/2006-03-01/service-2.json".to_string();
    let options = CrateOptions {
        crate_name: None,
        model_label: label.clone(),
        command: "cargo test -p awsgen-tests --test s3_moto".to_string(),
        standalone: false,
        runtime: codegen::RuntimeSource::crate_at(&root.join("codegen/runtime"), &crate_dir),
    };
    let rule_set = gunzip(&model_dir.join("endpoint-rule-set-1.json.gz"));
    let extras = codegen::ModelExtras { rule_set: Some(&rule_set), ..Default::default() };
    let filter = OperationFilter::Only(OPERATIONS.iter().map(|op| op.to_string()).collect());
    let emitted = codegen::generate_with_extras(
        &label,
        &gunzip(&model_dir.join("service-2.json.gz")),
        &extras,
        &partitions,
        &filter,
        &options,
    )
    .unwrap_or_else(|e| panic!("generating s3: {e}"));
    assert_eq!(emitted.counts.operations, OPERATIONS.len(), "the operations generated");
    assert!(emitted.files.iter().any(|f| f.path == "src/multipart.rs"), "the multipart helper is generated");
    let _ = std::fs::remove_dir_all(crate_dir.join("src"));
    for file in &emitted.files {
        write_if_changed(&crate_dir.join(&file.path), &file.contents);
    }
    let program = base.join("program");
    write_if_changed(
        &program.join("Cargo.toml"),
        "# Written by tests/s3_moto.rs.\n[package]\nname = \"s3-moto-program\"\nversion = \"0.1.0\"\n\
         edition = \"2024\"\npublish = false\n\n[dependencies]\nawsgen-s3 = { path = \"../s3\" }\n\
         http = \"1\"\nsha2 = \"0.10\"\n\
         tokio = { version = \"1\", default-features = false, features = [\"macros\", \"rt\"] }\n",
    );
    write_if_changed(&program.join("src/main.rs"), PROGRAM_MAIN);
    write_if_changed(
        &base.join("Cargo.toml"),
        &format!("[workspace]\nresolver = \"3\"\nmembers = [\"s3\", \"program\"]\n\n{}", workspace_profiles()),
    );
    if !base.join("Cargo.lock").exists() {
        std::fs::copy(root.join("Cargo.lock"), base.join("Cargo.lock")).expect("copying Cargo.lock");
    }
    cargo_in(&base, &["clippy", "--workspace", "--all-targets", "--quiet", "--", "-D", "warnings"]);
    cargo_in(&base, &["doc", "--workspace", "--no-deps", "--quiet"]);
    let stdout = cargo_in(&base, &["build", "-p", "s3-moto-program", "--message-format=json", "--quiet"]);
    let executable = stdout
        .lines()
        .filter_map(|line| serde_json::from_str::<serde_json::Value>(line).ok())
        .find_map(|m| m["executable"].as_str().filter(|e| e.contains("s3-moto-program")).map(PathBuf::from))
        .expect("the program's executable in cargo's messages");
    *done = Some(executable.clone());
    executable
}

/// Runs the program against `moto` with `args` after the endpoint and a scratch directory;
/// its stdout, or a panic with everything it said.
fn run(moto: &MotoServer, args: &[&str]) -> String {
    let scratch = tempfile::tempdir().expect("a scratch directory");
    let output = Command::new(program())
        .arg(moto.endpoint())
        .arg(scratch.path())
        .args(args)
        .output()
        .expect("running the program");
    let stdout = String::from_utf8_lossy(&output.stdout).to_string();
    println!("{stdout}");
    assert!(
        output.status.success(),
        "the program failed ({}):\nstdout:\n{stdout}\nstderr:\n{}\nmoto's log: {}",
        output.status,
        String::from_utf8_lossy(&output.stderr),
        moto.log_path().display()
    );
    stdout
}

fn line(stdout: &str, prefix: &str) -> String {
    stdout
        .lines()
        .find_map(|line| line.strip_prefix(prefix))
        .unwrap_or_else(|| panic!("no line starting {prefix:?} in:\n{stdout}"))
        .to_string()
}

#[test]
fn s3_calls_against_moto() {
    let moto = MotoServer::start();
    let stdout = run(&moto, &["calls"]);
    assert_eq!(line(&stdout, "s3 CreateBucket: "), "awsgen-s3-moto");
    let crc32 = line(&stdout, "s3 PutObject: ");
    assert_ne!(crc32, "crc32 -", "moto echoes the CRC32 the trailer carried");
    assert_eq!(line(&stdout, "s3 HeadObject: "), "67108864 bytes");
    assert_eq!(line(&stdout, "s3 GetObject: "), format!("67108864 bytes, same sha256, {crc32}"));
    assert_eq!(line(&stdout, "s3 ListObjectsV2: "), "2500 keys in 3 pages, in order");
    assert_eq!(line(&stdout, "s3 DeleteObjects: "), "2500 deleted, 0 left");
    assert!(line(&stdout, "s3 upload_file: ").starts_with("104857600 bytes, etag \""));
    assert!(line(&stdout, "s3 upload_file: ").ends_with("-7\""), "seven parts of 16 MiB");
    assert_eq!(line(&stdout, "s3 upload_file read back: "), "same sha256");
    assert!(line(&stdout, "s3 CopyObject: ").starts_with("etag \""));
    assert_eq!(line(&stdout, "s3 presigned PUT: "), "200");
    assert_eq!(line(&stdout, "s3 presigned GET: "), "200 sent with a presigned URL");
    assert_eq!(line(&stdout, "s3 GetObject of a missing key: "), "NoSuchKey");
    assert_eq!(line(&stdout, "s3 ListObjectsV2 of a missing bucket: "), "NoSuchBucket");
}

#[test]
fn streaming_64_mib_stays_in_constant_memory() {
    let moto = MotoServer::start();
    let stdout = run(&moto, &["memory"]);
    for direction in ["upload", "download"] {
        let text = line(&stdout, &format!("memory {direction}: "));
        let above: u64 = text.split(' ').next().and_then(|n| n.parse().ok()).expect("a number of KiB");
        assert!(above < MEMORY_LIMIT_KIB, "the {direction} of 64 MiB took {text} (limit {MEMORY_LIMIT_KIB} KiB)");
    }
}

/// The presigned URLs are the ones botocore 1.44.5 (moto's) gives for the same bucket, key,
/// credentials, endpoint and frozen time with SigV4 (`signature_version='s3v4'`).
#[test]
fn presigned_urls_match_botocore() {
    let moto = MotoServer::start();
    let stdout = run(&moto, &["presign", "my-bucket", "a b/c~d+e.txt"]);
    let script = r#"
import datetime, sys
from unittest import mock
import botocore.session
from botocore.config import Config
endpoint, bucket, key = sys.argv[1:4]
client = botocore.session.get_session().create_client(
    's3', region_name='us-east-1', endpoint_url=endpoint,
    aws_access_key_id='AKIDS3MOTO', aws_secret_access_key='s3-moto-secret',
    config=Config(signature_version='s3v4'))
fixed = datetime.datetime(2026, 11, 30, 12, 0, 0)
class Frozen(datetime.datetime):
    @classmethod
    def now(cls, tz=None):
        return fixed.replace(tzinfo=tz) if tz else fixed
    @classmethod
    def utcnow(cls):
        return fixed
with mock.patch('botocore.auth.datetime.datetime', Frozen):
    for method in ('get_object', 'put_object'):
        print(client.generate_presigned_url(method, Params={'Bucket': bucket, 'Key': key}, ExpiresIn=900))
"#;
    let output = Command::new(moto_python())
        .args(["-c", script, &moto.endpoint(), "my-bucket", "a b/c~d+e.txt"])
        .output()
        .expect("running botocore");
    assert!(output.status.success(), "botocore failed: {}", String::from_utf8_lossy(&output.stderr));
    let botocore = String::from_utf8_lossy(&output.stdout).to_string();
    let expected: Vec<&str> = botocore.lines().collect();
    // The same URL; the query parameters may come in another order.
    let normal = |url: &str| {
        let (base, query) = url.split_once('?').expect("a query");
        let mut pairs: Vec<&str> = query.split('&').collect();
        pairs.sort_unstable();
        format!("{base}?{}", pairs.join("&"))
    };
    assert_eq!(normal(&line(&stdout, "presigned GET: ")), normal(expected[0]));
    assert_eq!(normal(&line(&stdout, "presigned PUT: ")), normal(expected[1]));
}
