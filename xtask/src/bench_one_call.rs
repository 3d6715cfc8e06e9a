//! `cargo xtask bench --only one-call`: clean debug builds of one-call programs on services of
//! the other protocols, ours against the official SDK's crate, in the same run: SageMaker
//! Runtime's InvokeEndpoint (restJson1) on `aws-sdk-sagemakerruntime`, STS's AssumeRole
//! (awsQuery) on `aws-sdk-sts` and S3's PutObject of a file (restXml) on `aws-sdk-s3`. The
//! programs are built, not run.

use std::fs;
use std::path::Path;
use std::process::Command;

use anyhow::{Context, bail};
use codegen::{CrateOptions, OperationFilter};
use serde_json::{Value, json};

use crate::bench::{BuildResult, cargo, clean_build, round3, show};

/// One program: the botocore service (directory in the wheel), the operation, our crate's
/// package name, the official crate, and the two programs' `main.rs`.
struct OneCall {
    label: &'static str,
    service: &'static str,
    operation: &'static str,
    ours: &'static str,
    theirs: &'static str,
    ours_main: &'static str,
    theirs_main: &'static str,
}

const PROGRAMS: &[OneCall] = &[
    OneCall {
        label: "InvokeEndpoint",
        service: "sagemaker-runtime/2017-05-13",
        operation: "InvokeEndpoint",
        ours: "awsgen-sagemakerruntime",
        theirs: "aws-sdk-sagemakerruntime",
        ours_main: r##"//! Written by `cargo xtask bench`: one InvokeEndpoint call through awsgen's crate.

use awsgen_sagemakerruntime::primitives::Blob;

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let client = awsgen_sagemakerruntime::Client::from_env();
    let output = client
        .invoke_endpoint()
        .endpoint_name("awsgen-bench")
        .content_type("application/json")
        .body(Blob::new(br#"{"x": 1}"#.to_vec()))
        .send()
        .await?;
    println!("{:?}", output.body);
    Ok(())
}
"##,
        theirs_main: r##"//! Written by `cargo xtask bench`: one InvokeEndpoint call through the official SDK.

use aws_sdk_sagemakerruntime::primitives::Blob;

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let config = aws_config::load_defaults(aws_config::BehaviorVersion::latest()).await;
    let client = aws_sdk_sagemakerruntime::Client::new(&config);
    let output = client
        .invoke_endpoint()
        .endpoint_name("awsgen-bench")
        .content_type("application/json")
        .body(Blob::new(br#"{"x": 1}"#.to_vec()))
        .send()
        .await?;
    println!("{:?}", output.body());
    Ok(())
}
"##,
    },
    OneCall {
        label: "AssumeRole",
        service: "sts/2011-06-15",
        operation: "AssumeRole",
        ours: "awsgen-sts",
        theirs: "aws-sdk-sts",
        ours_main: r##"//! Written by `cargo xtask bench`: one AssumeRole call through awsgen's crate.

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let client = awsgen_sts::Client::from_env();
    let output = client
        .assume_role()
        .role_arn("arn:aws:iam::123456789012:role/awsgen-bench")
        .role_session_name("awsgen-bench")
        .send()
        .await?;
    println!("{:?}", output.credentials.map(|c| c.expiration));
    Ok(())
}
"##,
        theirs_main: r##"//! Written by `cargo xtask bench`: one AssumeRole call through the official SDK.

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let config = aws_config::load_defaults(aws_config::BehaviorVersion::latest()).await;
    let client = aws_sdk_sts::Client::new(&config);
    let output = client
        .assume_role()
        .role_arn("arn:aws:iam::123456789012:role/awsgen-bench")
        .role_session_name("awsgen-bench")
        .send()
        .await?;
    println!("{:?}", output.credentials().map(|c| c.expiration()));
    Ok(())
}
"##,
    },
    OneCall {
        label: "PutObject",
        service: "s3/2006-03-01",
        operation: "PutObject",
        ours: "awsgen-s3",
        theirs: "aws-sdk-s3",
        ours_main: r##"//! Written by `cargo xtask bench`: one PutObject call through awsgen's crate.

use awsgen_s3::runtime::body::RequestBody;

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let client = awsgen_s3::Client::from_env();
    let output = client
        .put_object()
        .bucket("awsgen-bench")
        .key("model/model.tar.gz")
        .body(RequestBody::from_path("model.tar.gz").await?)
        .send()
        .await?;
    println!("{:?}", output.e_tag);
    Ok(())
}
"##,
        theirs_main: r##"//! Written by `cargo xtask bench`: one PutObject call through the official SDK.

use aws_sdk_s3::primitives::ByteStream;

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let config = aws_config::load_defaults(aws_config::BehaviorVersion::latest()).await;
    let client = aws_sdk_s3::Client::new(&config);
    let output = client
        .put_object()
        .bucket("awsgen-bench")
        .key("model/model.tar.gz")
        .body(ByteStream::from_path("model.tar.gz").await?)
        .send()
        .await?;
    println!("{:?}", output.e_tag());
    Ok(())
}
"##,
    },
];

/// Writes, builds (clean, debug, `runs` times each) and compares every program, or only those
/// whose label `only` lists (e.g. `PutObject`); the results as JSON.
pub fn run(
    root: &Path,
    bench: &Path,
    runs: usize,
    time_tool: Option<&Path>,
    only: Option<&[String]>,
) -> anyhow::Result<Value> {
    let chosen: Vec<&OneCall> =
        PROGRAMS.iter().filter(|p| only.is_none_or(|labels| labels.iter().any(|l| l == p.label))).collect();
    if chosen.is_empty() {
        let labels: Vec<&str> = PROGRAMS.iter().map(|p| p.label).collect();
        bail!("--one-call: expected some of {}", labels.join(","));
    }
    let dir = bench.join("one-call");
    let models = dir.join("models");
    let version = crate::codegen::pinned_botocore_version()?;
    let services: Vec<&str> = chosen.iter().map(|p| p.service).collect();
    if services.iter().any(|s| !models.join(s).join("service-2.json").exists()) {
        let wheel = crate::update_model::download_wheel(root, &version)?;
        let status = Command::new("python3")
            .arg("-c")
            .arg(crate::bench::MULTI_EXTRACT)
            .arg(&wheel)
            .arg(&models)
            .args(&services)
            .status()
            .context("running python3")?;
        if !status.success() {
            bail!("taking {} out of the botocore {version} wheel failed", services.join(", "));
        }
    }
    let partitions = crate::codegen::partitions()?;
    let mut builds = Vec::new();
    let mut pairs = Vec::new();
    for program in chosen {
        let model = models.join(program.service).join("service-2.json");
        let generated = dir.join(program.ours);
        let _ = fs::remove_dir_all(&generated);
        let options = CrateOptions {
            crate_name: Some(program.ours.to_string()),
            model_label: format!("botocore {version} {}", program.service),
            command: "cargo xtask bench --only one-call".to_string(),
            standalone: true,
            runtime: codegen::RuntimeSource::crate_at(&root.join("codegen/runtime"), &generated),
        };
        let text = fs::read_to_string(&model).with_context(|| format!("reading {}", model.display()))?;
        let rule_set = fs::read_to_string(model.with_file_name("endpoint-rule-set-1.json"))?;
        let emitted = codegen::generate_with_extras(
            &model.display().to_string(),
            &text,
            &codegen::ModelExtras { rule_set: Some(&rule_set), ..Default::default() },
            &partitions,
            &OperationFilter::Only(vec![program.operation.to_string()]),
            &options,
        )?;
        for file in &emitted.files {
            let path = generated.join(&file.path);
            fs::create_dir_all(path.parent().context("files are inside the crate")?)?;
            fs::write(&path, &file.contents)?;
        }
        let mut pair = Vec::new();
        for (side, own, main) in
            [("ours", program.ours, program.ours_main), ("aws-sdk", program.theirs, program.theirs_main)]
        {
            let program_dir = dir.join(format!("{}-{side}", program.label.to_ascii_lowercase()));
            fs::create_dir_all(program_dir.join("src"))?;
            let dependencies = if side == "ours" {
                format!(
                    "{own} = {{ path = \"../{own}\" }}\ntokio = {{ version = \"1\", default-features = false, features = [\"macros\", \"rt\"] }}\n"
                )
            } else {
                format!(
                    "aws-config = {{ version = \"1\", features = [\"behavior-version-latest\"] }}\n{own} = \"1\"\ntokio = {{ version = \"1\", features = [\"full\"] }}\n"
                )
            };
            fs::write(
                program_dir.join("Cargo.toml"),
                format!(
                    "# Written by `cargo xtask bench`: one {} call ({side}).\n[package]\nname = \"{}-{side}\"\nversion = \"0.1.0\"\nedition = \"2024\"\npublish = false\n\n[dependencies]\n{dependencies}\n[workspace]\n",
                    program.label,
                    program.label.to_ascii_lowercase()
                ),
            )?;
            fs::write(program_dir.join("src/main.rs"), main)?;
            let _ = fs::remove_file(program_dir.join("Cargo.lock"));
            cargo(&program_dir, &["generate-lockfile", "--quiet"], None)?;
            cargo(&program_dir, &["fetch", "--quiet", "--locked"], None)?;
            let own_crates: &[&str] = if side == "ours" { &[own, "awsgen-runtime"] } else { &[own] };
            let mut measured = Vec::new();
            for run in 1..=runs {
                let m = clean_build(&program_dir, "debug", own_crates, run, time_tool)?;
                println!(
                    "build {} {side} debug run {run}/{runs}: {} total, {} own",
                    program.label,
                    show(m.total),
                    m.own.map(show).unwrap_or_else(|| "?".into())
                );
                measured.push(m);
            }
            let build = BuildResult {
                label: format!("{} ({side})", program.label),
                dir: program_dir.strip_prefix(root).unwrap_or(&program_dir).display().to_string(),
                own: own_crates.join("+"),
                profile: "debug".to_string(),
                versions: crate::bench::locked_versions(&program_dir, &[own, "aws-config", "tokio", "hyper"]),
                runs: measured,
            };
            pair.push(build.total());
            builds.push(build);
        }
        pairs.push(json!({
            "program": program.label,
            "ours_s": round3(pair[0].as_secs_f64()),
            "theirs_s": round3(pair[1].as_secs_f64()),
            "ratio": round3(pair[0].as_secs_f64() / pair[1].as_secs_f64()),
        }));
    }
    Ok(json!({
        "how": "one-call programs (built, not run): cargo build --locked --timings in debug, a fresh empty CARGO_TARGET_DIR per run; ours = a crate generated with that one operation from the pinned botocore wheel, sharing awsgen-runtime; theirs = the latest aws-sdk-* crate with aws-config",
        "results": builds.iter().map(BuildResult::to_json).collect::<Vec<_>>(),
        "ratios": pairs,
    }))
}
