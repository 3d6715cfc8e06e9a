//! `cargo xtask bench [--runs N] [--quick] [--all | --only SECTIONS] [--one-call LABELS]`: how fast the generator runs, how
//! long the generated crate takes to build from clean against the official `aws-sdk-sagemaker`,
//! how fast its JSON code is against plain serde_json, and how much CPU the client spends per
//! call against `aws-sdk-sagemaker`'s. Prints a table of medians, then a summary with a line per
//! figure of issue 18's table ([`crate::bench_summary`]), and writes `target/bench/results.json`.
//!
//! How each figure is measured:
//! - **codegen**: in-process calls of what `cargo xtask codegen --ops ... --out ...` runs
//!   ([`crate::codegen::generate`]: the model with the rule set, paginators and waiters beside
//!   it) from this binary, so with xtask's build profile, the one `cargo xtask codegen` runs
//!   with; timed from reading the model to the last file written into `target/bench/<crate>/`.
//! - **builds**: `cargo build [--release] --locked --timings` of a standalone crate under
//!   `target/bench/`, each run with a fresh, empty `CARGO_TARGET_DIR` (dependencies included, as
//!   a user's first build; sources already downloaded, so no network). The crate's own compile
//!   time is its units' durations in cargo's `--timings` report of the same build. Peak memory
//!   is `/usr/bin/time`'s maximum resident set size, that of the largest single process (rustc
//!   compiling one crate), when `/usr/bin/time` exists.
//!   The same for a program with only the runtime's dependencies (`dependency-floor`): what
//!   every program on a generated crate compiles before a line of ours.
//! - **baseline**: the same for a tiny program calling CreateModelPackage through the latest
//!   `aws-sdk-sagemaker` with `aws-config` and tokio, written into `target/bench/baseline/`.
//! - **multi**: one program on three services, SageMaker, KMS and CloudWatch Logs, from one
//!   shared config (the program of `tests/multi_service.rs`: a call or two per service, built,
//!   not run): ours on three crates generated with the operations it calls (SageMaker from the
//!   pinned model, KMS and Logs from the pinned botocore release's wheel) and `awsgen-runtime`,
//!   against the same program on the latest `aws-sdk-sagemaker`, `aws-sdk-kms`,
//!   `aws-sdk-cloudwatchlogs` and `aws-config`; clean debug builds as in **builds**, written into
//!   `target/bench/multi/`, with how many times each build compiled `awsgen-runtime`.
//! - **three-service**: SageMaker CreateModelPackage, S3 PutObject and STS GetCallerIdentity from
//!   one config, ours against aws-sdk-*, clean debug and release builds
//!   ([`crate::bench_three_service`]).
//! - **serde**: the criterion benchmarks in `tests/bench/` (a workspace of their own), one
//!   `cargo bench` whose median per benchmark comes from criterion's `estimates.json`.
//! - **requests**: `tests/bench/benches/requests.rs`, CreateModelPackage calls of the generated
//!   client and of `aws-sdk-sagemaker` against loopback servers in child processes, sequential
//!   and 64 concurrent on one client, runs alternating between the two (3 s each, 1 s with
//!   `--quick`): the client process's CPU time per call (`getrusage`, user + system) and
//!   requests per second; the median of `--runs` runs per client and mode.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use codegen::{CrateOptions, OperationFilter};
use serde_json::{Value, json};

use crate::{Args, workspace_root};

const SECTIONS: &[&str] = &["codegen", "builds", "baseline", "multi", "three-service", "one-call", "serde", "requests"];
/// The sections run by default: those that measure a figure of issue 18's table. `multi` and
/// `one-call` (other services and protocols, no figure of the table) run with `--all` or
/// `--only`, which keeps a default `--runs 1` near an hour on two cores.
const TABLE_SECTIONS: &[&str] = &["codegen", "builds", "baseline", "three-service", "serde", "requests"];

/// The generated crates measured: directory under `target/bench/`, label, operations.
struct Subject {
    dir: &'static str,
    label: &'static str,
    filter: fn() -> OperationFilter,
}

const SUBJECTS: &[Subject] = &[
    Subject {
        dir: "create-model-package",
        label: "CreateModelPackage",
        filter: || OperationFilter::Only(vec!["CreateModelPackage".to_string()]),
    },
    Subject { dir: "all-sagemaker", label: "all of SageMaker", filter: || OperationFilter::All },
];

/// The label of the build of the runtime's dependencies alone.
pub(crate) const DEPENDENCY_FLOOR: &str = "the runtime's dependencies alone";

/// Writes a program whose only content is the runtime's `[dependencies]` (without its optional
/// ones), as the runtime's manifest lists them: what a one-call program on any generated crate
/// compiles before a line of ours, so the floor under its clean build time.
fn write_dependency_floor(root: &Path, dir: &Path) -> anyhow::Result<()> {
    let manifest_path = root.join("codegen/runtime/Cargo.toml");
    let manifest =
        fs::read_to_string(&manifest_path).with_context(|| format!("reading {}", manifest_path.display()))?;
    let table = manifest
        .split("\n[dependencies]\n")
        .nth(1)
        .and_then(|rest| rest.split("\n[").next())
        .with_context(|| format!("{}: no [dependencies] table", manifest_path.display()))?;
    let dependencies: Vec<&str> =
        table.lines().filter(|line| !line.starts_with('#') && !line.contains("optional = true")).collect();
    fs::create_dir_all(dir.join("src"))?;
    fs::write(
        dir.join("Cargo.toml"),
        format!(
            "# Written by `cargo xtask bench`: the runtime's dependencies, and nothing of ours.\n\
             [package]\nname = \"dependency-floor\"\nversion = \"0.1.0\"\nedition = \"2024\"\npublish = false\n\n\
             [dependencies]\n{}\n\n[workspace]\n",
            dependencies.join("\n").trim()
        ),
    )?;
    fs::write(dir.join("src/main.rs"), "fn main() {}\n")?;
    Ok(())
}

/// The crate whose own compile time the baseline's "own" is.
const BASELINE_CRATE: &str = "aws-sdk-sagemaker";

/// The package name of every generated crate here (each is its own workspace).
const CRATE_NAME: &str = "awsgen-sagemaker";
const MODEL: &str = "models/sagemaker/2017-07-24/service-2.json";

const BASELINE_MANIFEST: &str = r#"# Written by `cargo xtask bench`: the baseline, CreateModelPackage through the official SDK.
[package]
name = "baseline"
version = "0.1.0"
edition = "2024"
publish = false

[dependencies]
aws-config = { version = "1", features = ["behavior-version-latest"] }
aws-sdk-sagemaker = "1"
tokio = { version = "1", features = ["full"] }

[workspace]
"#;

const BASELINE_MAIN: &str = r#"//! Written by `cargo xtask bench`: creates a model package through `aws-sdk-sagemaker`.

use aws_sdk_sagemaker::types::{InferenceSpecification, ModelPackageContainerDefinition};

#[tokio::main]
async fn main() -> Result<(), aws_sdk_sagemaker::Error> {
    let config = aws_config::load_from_env().await;
    let client = aws_sdk_sagemaker::Client::new(&config);
    let output = client
        .create_model_package()
        .model_package_name("bench")
        .model_package_description("Created by the awsgen bench baseline")
        .inference_specification(
            InferenceSpecification::builder()
                .containers(
                    ModelPackageContainerDefinition::builder()
                        .image("763104351884.dkr.ecr.us-east-1.amazonaws.com/pytorch-inference:2.1.0-cpu-py310")
                        .build(),
                )
                .supported_content_types("application/json")
                .supported_response_mime_types("application/json")
                .build(),
        )
        .send()
        .await?;
    println!("{}", output.model_package_arn().unwrap_or_default());
    Ok(())
}
"#;

/// A generated service crate of a program: where the model comes from (`None`: the pinned
/// SageMaker model; else its directory in the pinned botocore release), the operations the
/// program calls, the crate's directory beside the program and its package name.
pub(crate) type ServiceCrate = (Option<&'static str>, &'static [&'static str], &'static str, &'static str);

/// A program to build: label, directory, and the crates whose units count as its "own".
pub(crate) type Program = (String, PathBuf, &'static [&'static str]);

/// The service crates of the SageMaker + KMS + Logs program.
const MULTI_SERVICES: &[ServiceCrate] = &[
    (None, &["CreateModelPackageGroup"], "sagemaker", "awsgen-sagemaker"),
    (Some("kms/2014-11-01"), &["CreateKey", "DescribeKey"], "kms", "awsgen-kms"),
    (Some("logs/2014-03-28"), &["CreateLogGroup", "DescribeLogGroups"], "logs", "awsgen-cloudwatchlogs"),
];

/// The crates whose units make up "own" in the three-service builds.
const MULTI_OURS_OWN: &[&str] = &["awsgen-sagemaker", "awsgen-kms", "awsgen-cloudwatchlogs", "awsgen-runtime"];
const MULTI_BASELINE_OWN: &[&str] = &["aws-sdk-sagemaker", "aws-sdk-kms", "aws-sdk-cloudwatchlogs", "aws-config"];

/// Takes services' models and rule sets out of the botocore wheel (the three-service
/// program's, and the one-call programs' of `bench_one_call`).
pub(crate) const MULTI_EXTRACT: &str = r#"
import gzip, os, sys, zipfile
wheel, target, *services = sys.argv[1:]
with zipfile.ZipFile(wheel) as z:
    for service in services:
        os.makedirs(os.path.join(target, service), exist_ok=True)
        for name in ("service-2.json", "endpoint-rule-set-1.json"):
            with open(os.path.join(target, service, name), "wb") as out:
                out.write(gzip.decompress(z.read(f"botocore/data/{service}/{name}.gz")))
"#;

const MULTI_OURS_MANIFEST: &str = r#"# Written by `cargo xtask bench`: SageMaker, KMS and CloudWatch Logs through awsgen's crates.
[package]
name = "multi-ours"
version = "0.1.0"
edition = "2024"
publish = false

[dependencies]
awsgen-sagemaker = { path = "../sagemaker" }
awsgen-kms = { path = "../kms" }
awsgen-cloudwatchlogs = { path = "../logs" }
tokio = { version = "1", default-features = false, features = ["macros", "rt"] }

[workspace]
"#;

/// The program of `tests/multi_service.rs`.
const MULTI_OURS_MAIN: &str = include_str!("../../tests/programs/multi_service.rs");

const MULTI_BASELINE_MANIFEST: &str = r#"# Written by `cargo xtask bench`: SageMaker, KMS and CloudWatch Logs through the official SDK.
[package]
name = "multi-aws-sdk"
version = "0.1.0"
edition = "2024"
publish = false

[dependencies]
aws-config = { version = "1", features = ["behavior-version-latest"] }
aws-sdk-sagemaker = "1"
aws-sdk-kms = "1"
aws-sdk-cloudwatchlogs = "1"
tokio = { version = "1", features = ["full"] }

[workspace]
"#;

const MULTI_BASELINE_MAIN: &str = r#"//! Written by `cargo xtask bench`: the three-service program on the official SDK.
//!
//! usage: multi-aws-sdk ENDPOINT_URL

use aws_config::{BehaviorVersion, Region};
use aws_sdk_sagemaker::config::Credentials;

const GROUP: &str = "multi-service-group";
const LOG_GROUP: &str = "/awsgen/multi-service";

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let endpoint = std::env::args().nth(1).ok_or("usage: multi-aws-sdk ENDPOINT_URL")?;
    let config = aws_config::defaults(BehaviorVersion::latest())
        .region(Region::new("us-east-1"))
        .credentials_provider(Credentials::new("AKIDMULTISERVICE", "multi-service-secret", None, None, "static"))
        .endpoint_url(endpoint)
        .load()
        .await;
    let sagemaker = aws_sdk_sagemaker::Client::new(&config);
    let kms = aws_sdk_kms::Client::new(&config);
    let logs = aws_sdk_cloudwatchlogs::Client::new(&config);

    let group = sagemaker.create_model_package_group().model_package_group_name(GROUP).send().await?;
    println!("sagemaker CreateModelPackageGroup: {}", group.model_package_group_arn().unwrap_or_default());

    let created = kms.create_key().description("awsgen multi-service bench").send().await?;
    let key_id = created.key_metadata().map(|m| m.key_id().to_string()).ok_or("no KeyMetadata")?;
    println!("kms CreateKey: {key_id}");
    let described = kms.describe_key().key_id(&key_id).send().await?;
    let metadata = described.key_metadata().ok_or("no KeyMetadata")?;
    println!(
        "kms DescribeKey: {} {}",
        metadata.key_id(),
        metadata.key_state().map(|s| s.as_str()).unwrap_or("-")
    );

    logs.create_log_group().log_group_name(LOG_GROUP).send().await?;
    println!("logs CreateLogGroup: {LOG_GROUP}");
    let found = logs.describe_log_groups().log_group_name_prefix("/awsgen/").send().await?;
    let names: Vec<&str> = found.log_groups().iter().filter_map(|g| g.log_group_name()).collect();
    println!("logs DescribeLogGroups: {}", names.join(","));
    Ok(())
}
"#;

pub fn run(args: &[String]) -> anyhow::Result<()> {
    let mut args = Args::new(args);
    let quick = args.switch("--quick");
    let all = args.switch("--all");
    let runs = args.value("--runs")?;
    let only = args.value("--only")?;
    let one_call = args.value("--one-call")?;
    args.finish()?;
    let runs: usize = match runs {
        Some(n) => {
            n.parse().ok().filter(|&n| n > 0).with_context(|| format!("--runs {n}: expected a positive number"))?
        }
        None if quick => 1,
        None => 3,
    };
    let sections: Vec<String> = match only {
        Some(list) => list.split(',').map(|s| s.trim().to_string()).filter(|s| !s.is_empty()).collect(),
        None if all => SECTIONS.iter().map(|s| s.to_string()).collect(),
        None => TABLE_SECTIONS.iter().map(|s| s.to_string()).collect(),
    };
    if let Some(bad) = sections.iter().find(|s| !SECTIONS.contains(&s.as_str())) {
        bail!("--only {bad}: expected some of {}", SECTIONS.join(","));
    }
    let wants = |section: &str| sections.iter().any(|s| s == section);

    let root = workspace_root();
    let bench = root.join("target/bench");
    fs::create_dir_all(&bench).with_context(|| format!("creating {}", bench.display()))?;
    let time_tool = Path::new("/usr/bin/time").exists().then(|| PathBuf::from("/usr/bin/time"));
    let machine = machine()?;
    let load_start = load();
    let started = Instant::now();
    let command = std::iter::once("cargo xtask bench".to_string())
        .chain(std::env::args().skip(2).map(|a| if a.contains(' ') { format!("{a:?}") } else { a }))
        .collect::<Vec<_>>()
        .join(" ");
    println!("{command}: {runs} run(s){}", if quick { ", quick" } else { "" });
    println!("machine: {}", machine_line(&machine));
    println!("load at start: {load_start}");
    if time_tool.is_none() {
        println!("(no /usr/bin/time: peak memory is not measured; `apt-get install -y time` adds it)");
    }

    // Quick mode: builds of CreateModelPackage only, debug only; short criterion runs.
    let built: Vec<&Subject> = SUBJECTS.iter().filter(|s| !quick || s.dir == "create-model-package").collect();
    let profiles: &[&str] = if quick { &["debug"] } else { &["debug", "release"] };

    let mut results = json!({
        "command": command,
        "runs": runs,
        "quick": quick,
        "machine": machine,
        "load_start": load_start,
    });

    // (a) codegen; it also writes the crates the builds use.
    let mut codegen_results = Vec::new();
    for subject in SUBJECTS {
        let needed_by_builds = wants("builds") && built.iter().any(|b| b.dir == subject.dir);
        if !(wants("codegen") || needed_by_builds) {
            continue;
        }
        let codegen_runs = if wants("codegen") { runs } else { 1 };
        let mut times = Vec::new();
        let mut cpu_times = Vec::new();
        let mut summary = None;
        for _ in 0..codegen_runs {
            let (elapsed, cpu, counts) = generate(&root, &bench.join(subject.dir), (subject.filter)())?;
            cpu_times.extend(cpu);
            times.push(elapsed);
            summary = Some(counts);
        }
        if wants("codegen") {
            let median = median(&times);
            // On a loaded machine the wall time counts other programs' turns; the CPU time does not.
            let cpu_median = (cpu_times.len() == times.len()).then(|| self::median(&cpu_times));
            println!(
                "codegen {}: median {}{} ({})",
                subject.label,
                show(median),
                cpu_median.map(|cpu| format!(", CPU {}", show(cpu))).unwrap_or_default(),
                summary.as_deref().unwrap_or("")
            );
            codegen_results.push(json!({
                "name": subject.label,
                "crate": format!("target/bench/{}", subject.dir),
                "summary": summary,
                "runs_s": times.iter().map(|d| round3(d.as_secs_f64())).collect::<Vec<_>>(),
                "median_s": round3(median.as_secs_f64()),
                "cpu_runs_s": cpu_times.iter().map(|d| round3(d.as_secs_f64())).collect::<Vec<_>>(),
                "cpu_median_s": cpu_median.map(|d| round3(d.as_secs_f64())),
            }));
        }
    }
    if wants("codegen") {
        results["codegen"] = json!({
            "how": format!(
                "in-process xtask::codegen::generate (what `cargo xtask codegen` runs) from the xtask binary ({} profile), from reading the model to the last file written; wall time, and CPU time of the process (all its threads)",
                if cfg!(debug_assertions) { "dev" } else { "release" }
            ),
            "subjects": codegen_results,
        });
    }

    // (b) and (c) clean builds.
    let mut build_subjects: Vec<Program> = Vec::new();
    if wants("builds") {
        for subject in &built {
            build_subjects.push((subject.label.to_string(), bench.join(subject.dir), &[CRATE_NAME]));
        }
        let dir = bench.join("dependency-floor");
        write_dependency_floor(&root, &dir)?;
        build_subjects.push((DEPENDENCY_FLOOR.to_string(), dir, &["dependency-floor"]));
    }
    if wants("baseline") {
        let dir = bench.join("baseline");
        fs::create_dir_all(dir.join("src"))?;
        fs::write(dir.join("Cargo.toml"), BASELINE_MANIFEST)?;
        fs::write(dir.join("src/main.rs"), BASELINE_MAIN)?;
        build_subjects.push(("baseline: aws-sdk-sagemaker".to_string(), dir, &[BASELINE_CRATE]));
    }
    let versions = ["aws-sdk-sagemaker", "aws-config", "tokio", "hyper", "rustls"];
    let builds = build_programs(&root, &build_subjects, profiles, runs, time_tool.as_deref(), &versions)?;
    if !builds.is_empty() {
        results["builds"] = json!({
            "how": "cargo build [--release] --locked --timings, a fresh empty CARGO_TARGET_DIR per run (dependencies included; sources already downloaded). own = the sum of the crate's units (build script, lib) in cargo's --timings report of that build. peak RSS = /usr/bin/time's maximum resident set size: the largest single process, not the sum of concurrent ones.",
            "results": builds.iter().map(BuildResult::to_json).collect::<Vec<_>>(),
            "ratios": build_ratios(&builds),
        });
    }

    // (c') the three-service program, ours and the SDK's, clean debug builds.
    let mut multi_builds: Vec<BuildResult> = Vec::new();
    if wants("multi") {
        let multi = bench.join("multi");
        let subjects = write_multi(&root, &multi)?;
        multi_builds = build_programs(
            &root,
            &subjects,
            &["debug"],
            runs,
            time_tool.as_deref(),
            &["aws-sdk-sagemaker", "aws-sdk-kms", "aws-sdk-cloudwatchlogs", "aws-config", "tokio", "hyper", "rustls"],
        )?;
        let ratio = match multi_builds.as_slice() {
            [ours, theirs] => pair_ratio(ours, theirs),
            _ => Value::Null,
        };
        results["multi"] = json!({
            "how": "the program of tests/multi_service.rs (one config; SageMaker CreateModelPackageGroup, KMS CreateKey and DescribeKey, Logs CreateLogGroup and DescribeLogGroups), built, not run: cargo build --locked --timings in debug, a fresh empty CARGO_TARGET_DIR per run. ours = crates generated with those operations (SageMaker from the pinned model, KMS and Logs from the pinned botocore wheel) sharing awsgen-runtime; baseline = the latest aws-sdk-* and aws-config. own = the sum of the units of the crates listed in own_crate. runtime_compiled = how many times each run's --timings report compiled awsgen-runtime (units other than build scripts).",
            "services": MULTI_SERVICES.iter().map(|(_, ops, _, name)| json!({ "crate": name, "operations": ops })).collect::<Vec<_>>(),
            "results": multi_builds.iter().map(|b| {
                let mut value = b.to_json();
                let own: Vec<&str> = b.own.split('+').collect();
                value["runtime_compiled"] = json!(b.runs.iter().map(|m| runtime_compiled(&own, m)).collect::<Vec<_>>());
                value
            }).collect::<Vec<_>>(),
            "ratio": ratio,
        });
    }

    // (c3) SageMaker + S3 + STS from one config, ours and the SDK's, clean builds.
    let mut three_service_builds: Vec<BuildResult> = Vec::new();
    if wants("three-service") {
        let (builds, value) = crate::bench_three_service::run(&root, &bench, runs, profiles, time_tool.as_deref())?;
        results["three_service"] = value;
        three_service_builds = builds;
    }

    // (d) serde.
    let mut serde_rows = Vec::new();
    if wants("serde") {
        let (rows, document) = serde_bench(&root, &bench, quick)?;
        results["serde"] = json!({
            "how": "criterion (tests/bench, bench profile), medians from estimates.json; ours = awsgen_sagemaker::runtime::json, floor = serde_json on an equivalent serde_json::Value",
            "document": document,
            "results": rows.iter().map(|r| json!({
                "name": r.name,
                "ours_s": r.ours,
                "floor_s": r.floor,
                "ratio": round3(r.ours / r.floor),
            })).collect::<Vec<_>>(),
        });
        serde_rows = rows;
    }

    // (c'') one-call programs on services of the other protocols, ours and the SDK's.
    if wants("one-call") {
        let programs: Option<Vec<String>> =
            one_call.map(|list| list.split(',').map(|s| s.trim().to_string()).collect());
        results["one_call"] =
            crate::bench_one_call::run(&root, &bench, runs, time_tool.as_deref(), programs.as_deref())?;
    }

    // (e) requests per second.
    if wants("requests") {
        results["requests"] = requests_bench(&root, &bench, runs, quick)?;
    }

    let load_end = load();
    results["load_end"] = json!(load_end);
    results["elapsed_s"] = json!(started.elapsed().as_secs());
    let summary = crate::bench_summary::rows(&results);
    results["summary"] = json!(summary.iter().map(crate::bench_summary::Row::to_json).collect::<Vec<_>>());
    let path = bench.join("results.json");
    fs::write(&path, serde_json::to_string_pretty(&results)? + "\n")
        .with_context(|| format!("writing {}", path.display()))?;

    println!();
    print_table(&results, &builds, &multi_builds, &serde_rows);
    print_three_service(&three_service_builds);
    println!("summary (issue 18's table; ratio = ours / theirs; medians of {runs} run(s))");
    print!("{}", crate::bench_summary::table(&summary));
    println!();
    println!("load at start: {load_start}; at end: {load_end}; bench took {}", show(started.elapsed()));
    println!("results: {}", path.strip_prefix(&root).unwrap_or(&path).display());
    Ok(())
}

/// The CPU time this process has used, its ended threads included
/// (`CLOCK_PROCESS_CPUTIME_ID`); `None` where the system does not tell it. The generator renders
/// on several threads and the bench runs nothing else meanwhile, so a difference of two readings
/// is the generator's CPU time.
#[cfg(unix)]
fn process_cpu_time() -> Option<Duration> {
    let mut time = libc::timespec { tv_sec: 0, tv_nsec: 0 };
    // SAFETY: `time` is a valid, writable timespec for the call's duration.
    let status = unsafe { libc::clock_gettime(libc::CLOCK_PROCESS_CPUTIME_ID, &mut time) };
    (status == 0).then(|| Duration::new(time.tv_sec as u64, time.tv_nsec as u32))
}

#[cfg(not(unix))]
fn process_cpu_time() -> Option<Duration> {
    None
}

/// Generates `filter`'s operations into `out` as `cargo xtask codegen --ops ... --out ...` does
/// (files rewritten where they changed, leftovers removed); returns the time from reading the
/// model to the last file written, the CPU time of that span (where the system tells it), and
/// a summary. `out` is not emptied first: recreating 2,450 files just deleted cost ext4 about
/// 2 s of CPU finding inodes, which the command does not pay.
fn generate(root: &Path, out: &Path, filter: OperationFilter) -> anyhow::Result<(Duration, Option<Duration>, String)> {
    let options = CrateOptions {
        crate_name: Some(CRATE_NAME.to_string()),
        model_label: MODEL.to_string(),
        command: "cargo xtask bench".to_string(),
        standalone: true,
        runtime: codegen::RuntimeSource::crate_at(&root.join("codegen/runtime"), out),
    };
    let started = Instant::now();
    let cpu_started = process_cpu_time();
    // What `cargo xtask codegen --ops ... --out ...` runs: the model with the rule set,
    // paginators and waiters beside it.
    let emitted = crate::codegen::generate(&root.join(MODEL), MODEL, None, &filter, &options)?;
    crate::codegen::write_files(out, &emitted)?;
    let elapsed = started.elapsed();
    let cpu = cpu_started.zip(process_cpu_time()).map(|(before, after)| after.saturating_sub(before));
    let c = &emitted.counts;
    let shapes = c.structures + c.enums + c.unions + c.errors + c.other_shapes;
    let bytes: usize = emitted.files.iter().map(|f| f.contents.len()).sum();
    let summary = format!(
        "{} operation{}, {shapes} shapes, {} files, {:.1} MB",
        c.operations,
        if c.operations == 1 { "" } else { "s" },
        emitted.files.len(),
        bytes as f64 / 1e6
    );
    Ok((elapsed, cpu, summary))
}

/// One clean build.
pub(crate) struct Measured {
    pub(crate) total: Duration,
    pub(crate) own: Option<Duration>,
    peak_rss_mb: Option<u64>,
    /// The crates that took longest (summed unit durations from `--timings`), in seconds.
    slowest: Vec<(String, f64)>,
    load_before: String,
    load_after: String,
    /// How many times each crate was compiled (its units other than build scripts) in the build.
    compiled: BTreeMap<String, usize>,
}

pub(crate) struct BuildResult {
    pub(crate) label: String,
    pub(crate) dir: String,
    pub(crate) own: String,
    pub(crate) profile: String,
    pub(crate) versions: BTreeMap<String, String>,
    pub(crate) runs: Vec<Measured>,
}

impl BuildResult {
    pub(crate) fn total(&self) -> Duration {
        median(&self.runs.iter().map(|m| m.total).collect::<Vec<_>>())
    }

    fn own_median(&self) -> Option<Duration> {
        let own: Vec<Duration> = self.runs.iter().filter_map(|m| m.own).collect();
        (own.len() == self.runs.len()).then(|| median(&own))
    }

    fn peak_rss_mb(&self) -> Option<u64> {
        let peaks: Vec<u64> = self.runs.iter().filter_map(|m| m.peak_rss_mb).collect();
        (!peaks.is_empty()).then(|| {
            let mut peaks = peaks;
            peaks.sort();
            peaks[peaks.len() / 2]
        })
    }

    pub(crate) fn to_json(&self) -> Value {
        json!({
            "name": self.label,
            "dir": self.dir,
            "profile": self.profile,
            "own_crate": self.own,
            "versions": self.versions,
            "median_s": round1(self.total().as_secs_f64()),
            "own_median_s": self.own_median().map(|d| round1(d.as_secs_f64())),
            "peak_rss_mb": self.peak_rss_mb(),
            "runs": self.runs.iter().map(|m| json!({
                "total_s": round1(m.total.as_secs_f64()),
                "own_s": m.own.map(|d| round1(d.as_secs_f64())),
                "peak_rss_mb": m.peak_rss_mb,
                "load_before": m.load_before,
                "load_after": m.load_after,
                "slowest_crates_s": m.slowest.iter().map(|(n, s)| (n.clone(), json!(round1(*s)))).collect::<serde_json::Map<_, _>>(),
            })).collect::<Vec<_>>(),
        })
    }
}

/// A clean build of `dir`; "own" is the sum of the units of the crates named in `own`.
/// The `rustc` of the toolchain this bench runs with (its sysroot's), bypassing rustup's proxy.
fn active_rustc() -> Option<PathBuf> {
    let output = Command::new("rustc").args(["--print", "sysroot"]).output().ok()?;
    let sysroot = String::from_utf8(output.stdout).ok()?;
    let rustc = Path::new(sysroot.trim()).join("bin/rustc");
    rustc.exists().then_some(rustc)
}

pub(crate) fn clean_build(
    dir: &Path,
    profile: &str,
    own: &[&str],
    run: usize,
    time_tool: Option<&Path>,
) -> anyhow::Result<Measured> {
    let target = dir.join("target");
    if target.exists() {
        fs::remove_dir_all(&target).with_context(|| format!("removing {}", target.display()))?;
    }
    let log_path = dir.join(format!("build-{profile}-{run}.log"));
    let rss_path = dir.join(format!("build-{profile}-{run}.rss"));
    let _ = fs::remove_file(&rss_path);
    let mut args = vec!["build", "--locked", "--timings"];
    if profile == "release" {
        args.push("--release");
    }
    let mut command = match time_tool {
        Some(time) => {
            let mut command = Command::new(time);
            command.arg("-f").arg("%M").arg("-o").arg(&rss_path).arg(env!("CARGO"));
            command
        }
        None => crate::cargo(),
    };
    command.current_dir(dir).args(&args).env("CARGO_TARGET_DIR", &target);
    // The toolchain running the bench compiles every crate: a dependency that ships a
    // `rust-toolchain.toml` (ff 0.14, in aws-sdk-s3's graph) would otherwise make rustup's
    // proxy look for that toolchain.
    if let Some(rustc) = active_rustc() {
        command.env("RUSTC", rustc);
    }
    let load_before = load();
    let started = Instant::now();
    let output = command.output().with_context(|| format!("running cargo build in {}", dir.display()))?;
    let total = started.elapsed();
    let load_after = load();
    fs::write(&log_path, &output.stderr)?;
    if !output.status.success() {
        bail!("cargo {} failed in {}; see {}", args.join(" "), dir.display(), log_path.display());
    }
    let peak_rss_mb = fs::read_to_string(&rss_path)
        .ok()
        .and_then(|t| t.lines().filter_map(|l| l.trim().parse::<u64>().ok()).next_back())
        .map(|kb| kb / 1024);
    let (units, compiled) = timings(&target).unwrap_or_else(|e| {
        eprintln!("warning: no --timings data for {}: {e:#}", dir.display());
        (BTreeMap::new(), BTreeMap::new())
    });
    let own_time = own.iter().map(|name| units.get(*name).copied()).sum::<Option<f64>>().map(Duration::from_secs_f64);
    let mut slowest: Vec<(String, f64)> = units.into_iter().collect();
    slowest.sort_by(|a, b| b.1.total_cmp(&a.1));
    slowest.truncate(8);
    Ok(Measured { total, own: own_time, peak_rss_mb, slowest, load_before, load_after, compiled })
}

/// Seconds per crate name (all its units: build script build and run, lib, bin) from the
/// `UNIT_DATA` of `cargo build --timings`' HTML report, and how many units per crate name are
/// not build scripts: how many times the crate itself was compiled.
type Timings = (BTreeMap<String, f64>, BTreeMap<String, usize>);

fn timings(target: &Path) -> anyhow::Result<Timings> {
    let path = target.join("cargo-timings/cargo-timing.html");
    let html = fs::read_to_string(&path).with_context(|| format!("reading {}", path.display()))?;
    let start = html.find("const UNIT_DATA = ").context("no UNIT_DATA in the report")? + "const UNIT_DATA = ".len();
    let end = start + html[start..].find("];").context("UNIT_DATA does not end")? + 1;
    let units: Vec<Value> = serde_json::from_str(&html[start..end]).context("UNIT_DATA is not a JSON list")?;
    let mut by_crate = BTreeMap::new();
    let mut compiled = BTreeMap::new();
    for unit in units {
        let (Some(name), Some(duration)) = (unit["name"].as_str(), unit["duration"].as_f64()) else { continue };
        *by_crate.entry(name.to_string()).or_insert(0.0) += duration;
        if !unit["target"].as_str().unwrap_or_default().trim().starts_with("build-script") {
            *compiled.entry(name.to_string()).or_insert(0) += 1;
        }
    }
    Ok((by_crate, compiled))
}

/// Versions of some packages in `dir/Cargo.lock`.
pub(crate) fn locked_versions(dir: &Path, names: &[&str]) -> BTreeMap<String, String> {
    let mut found = BTreeMap::new();
    let Ok(lock) = fs::read_to_string(dir.join("Cargo.lock")) else { return found };
    let mut name = None;
    for line in lock.lines() {
        if let Some(n) = line.strip_prefix("name = ") {
            name = Some(n.trim_matches('"').to_string());
        } else if let (Some(v), Some(n)) = (line.strip_prefix("version = "), &name) {
            if names.contains(&n.as_str()) {
                let v = v.trim_matches('"');
                found
                    .entry(n.clone())
                    .and_modify(|old: &mut String| old.push_str(&format!(", {v}")))
                    .or_insert(v.to_string());
            }
            name = None;
        }
    }
    found
}

fn build_ratios(builds: &[BuildResult]) -> Vec<Value> {
    let mut ratios = Vec::new();
    for ours in builds.iter().filter(|b| b.own != BASELINE_CRATE) {
        let Some(base) = builds.iter().find(|b| b.own == BASELINE_CRATE && b.profile == ours.profile) else {
            continue;
        };
        let own = match (ours.own_median(), base.own_median()) {
            (Some(a), Some(b)) => Some(round3(a.as_secs_f64() / b.as_secs_f64())),
            _ => None,
        };
        ratios.push(json!({
            "name": ours.label,
            "profile": ours.profile,
            "total": round3(ours.total().as_secs_f64() / base.total().as_secs_f64()),
            "own_crate": own,
        }));
    }
    ratios
}

/// How many times a build whose own crates include `awsgen-runtime` compiled it; `None` for
/// the others (the SDK's).
fn runtime_compiled(own: &[&str], m: &Measured) -> Option<usize> {
    own.contains(&"awsgen-runtime").then(|| m.compiled.get("awsgen-runtime").copied().unwrap_or(0))
}

/// Generates service crates under `dir` (each into `dir/<its directory>`), each with just the
/// operations listed: SageMaker (`None`) from the pinned model, the others from the pinned
/// botocore release's wheel (taken out of it into `dir/models/` once); `command` is what their
/// headers say wrote them.
pub(crate) fn generate_service_crates(
    root: &Path,
    dir: &Path,
    services: &[ServiceCrate],
    command: &str,
) -> anyhow::Result<()> {
    let version = crate::codegen::pinned_botocore_version()?;
    let models = dir.join("models");
    let wanted: Vec<&str> = services.iter().filter_map(|(service, ..)| *service).collect();
    if wanted.iter().any(|s| !models.join(s).join("service-2.json").exists()) {
        let wheel = crate::update_model::download_wheel(root, &version)?;
        let status = Command::new("python3")
            .arg("-c")
            .arg(MULTI_EXTRACT)
            .arg(&wheel)
            .arg(&models)
            .args(&wanted)
            .status()
            .context("running python3")?;
        if !status.success() {
            bail!("taking {} out of the botocore {version} wheel failed", wanted.join(", "));
        }
    }
    let partitions = crate::codegen::partitions()?;
    for (service, ops, crate_dir, expected) in services {
        let (model, label) = match service {
            Some(service) => (models.join(service).join("service-2.json"), format!("botocore {version} {service}")),
            None => (root.join(MODEL), MODEL.to_string()),
        };
        let out = dir.join(crate_dir);
        let _ = fs::remove_dir_all(&out);
        let options = CrateOptions {
            crate_name: None,
            model_label: label,
            command: command.to_string(),
            standalone: true,
            runtime: codegen::RuntimeSource::crate_at(&root.join("codegen/runtime"), &out),
        };
        let text = fs::read_to_string(&model).with_context(|| format!("reading {}", model.display()))?;
        let rule_set_path = model.with_file_name("endpoint-rule-set-1.json");
        let rule_set =
            fs::read_to_string(&rule_set_path).with_context(|| format!("reading {}", rule_set_path.display()))?;
        let filter = OperationFilter::Only(ops.iter().map(|op| op.to_string()).collect());
        let emitted = codegen::generate_with_extras(
            &model.display().to_string(),
            &text,
            &codegen::ModelExtras { rule_set: Some(&rule_set), ..Default::default() },
            &partitions,
            &filter,
            &options,
        )?;
        for file in &emitted.files {
            let path = out.join(&file.path);
            fs::create_dir_all(path.parent().context("files are inside the crate")?)?;
            fs::write(&path, &file.contents).with_context(|| format!("writing {}", path.display()))?;
        }
        let manifest = fs::read_to_string(out.join("Cargo.toml"))?;
        if !manifest.lines().any(|line| line == format!("name = \"{expected}\"")) {
            bail!("{}: the crate generated from {} is not named {expected}", out.display(), model.display());
        }
    }
    Ok(())
}

/// Writes the three-service program twice under `multi`: `ours/` on crates generated into
/// `sagemaker/`, `kms/` and `logs/`, and `aws-sdk/` on the official SDK. Returns (label,
/// directory, the crates that count as "own") for each.
fn write_multi(root: &Path, multi: &Path) -> anyhow::Result<Vec<Program>> {
    generate_service_crates(root, multi, MULTI_SERVICES, "cargo xtask bench --only multi")?;
    write_programs(
        multi,
        &[
            ("ours", "ours: awsgen (3 crates + runtime)", MULTI_OURS_MANIFEST, MULTI_OURS_MAIN, MULTI_OURS_OWN),
            (
                "aws-sdk",
                "baseline: aws-sdk-* + aws-config",
                MULTI_BASELINE_MANIFEST,
                MULTI_BASELINE_MAIN,
                MULTI_BASELINE_OWN,
            ),
        ],
    )
}

/// A program's sources: its directory, label, `Cargo.toml`, `src/main.rs` and own crates.
pub(crate) type ProgramSource = (&'static str, &'static str, &'static str, &'static str, &'static [&'static str]);

/// Writes each program into `dir/<its directory>`.
pub(crate) fn write_programs(dir: &Path, programs: &[ProgramSource]) -> anyhow::Result<Vec<Program>> {
    let mut written = Vec::new();
    for (subdir, label, manifest, main, own) in programs {
        let program = dir.join(subdir);
        fs::create_dir_all(program.join("src"))?;
        fs::write(program.join("Cargo.toml"), manifest)?;
        fs::write(program.join("src/main.rs"), main)?;
        written.push((label.to_string(), program, *own));
    }
    Ok(written)
}

/// Builds each program clean, `runs` times per profile (its latest dependencies resolved and
/// downloaded once, untimed); `versions` are the packages whose locked versions are recorded.
pub(crate) fn build_programs(
    root: &Path,
    programs: &[Program],
    profiles: &[&str],
    runs: usize,
    time_tool: Option<&Path>,
    versions: &[&str],
) -> anyhow::Result<Vec<BuildResult>> {
    let mut builds = Vec::new();
    for (label, dir, own) in programs {
        let _ = fs::remove_file(dir.join("Cargo.lock"));
        cargo(dir, &["generate-lockfile", "--quiet"], None)?;
        cargo(dir, &["fetch", "--quiet", "--locked"], None)?;
        for profile in profiles {
            let mut measured = Vec::new();
            for run in 1..=runs {
                print!("build {label} {profile} run {run}/{runs}: ");
                use std::io::Write as _;
                std::io::stdout().flush().ok();
                let m = clean_build(dir, profile, own, run, time_tool)?;
                let runtime = match runtime_compiled(own, &m) {
                    Some(n) => format!(", awsgen-runtime compiled {n} time(s)"),
                    None => String::new(),
                };
                println!(
                    "{} total, {} own ({}){runtime}{}",
                    show(m.total),
                    m.own.map(show).unwrap_or_else(|| "?".into()),
                    own.join(" + "),
                    m.peak_rss_mb.map(|mb| format!(", peak RSS {mb} MB")).unwrap_or_default()
                );
                measured.push(m);
            }
            builds.push(BuildResult {
                label: label.clone(),
                dir: dir.strip_prefix(root).unwrap_or(dir).display().to_string(),
                own: own.join("+"),
                profile: profile.to_string(),
                versions: locked_versions(dir, versions),
                runs: measured,
            });
        }
    }
    Ok(builds)
}

/// Ours / theirs: the total build time, and the own crates' compile time when both have it.
pub(crate) fn pair_ratio(ours: &BuildResult, theirs: &BuildResult) -> Value {
    json!({
        "total": round3(ours.total().as_secs_f64() / theirs.total().as_secs_f64()),
        "own_crates": match (ours.own_median(), theirs.own_median()) {
            (Some(a), Some(b)) => Some(round3(a.as_secs_f64() / b.as_secs_f64())),
            _ => None,
        },
    })
}

struct SerdeRow {
    name: String,
    ours: f64,
    floor: f64,
}

/// Runs the criterion benchmarks; returns the medians (seconds) and the document sizes.
fn serde_bench(root: &Path, bench: &Path, quick: bool) -> anyhow::Result<(Vec<SerdeRow>, Value)> {
    let criterion = bench.join("criterion");
    for group in ["serialise", "parse"] {
        let _ = fs::remove_dir_all(criterion.join(group));
    }
    let quick_args: &[&str] = if quick { &["--warm-up-time", "1", "--measurement-time", "2"] } else { &[] };
    run_bench_crate(root, bench, "json", quick_args, Some(&criterion))?;
    let estimate = |group: &str, name: &str| -> anyhow::Result<(f64, Option<f64>)> {
        let path = criterion.join(group).join(name).join("new/estimates.json");
        let text = fs::read_to_string(&path).with_context(|| format!("reading {}", path.display()))?;
        let value: Value = serde_json::from_str(&text)?;
        let median =
            value["median"]["point_estimate"].as_f64().with_context(|| format!("{}: no median", path.display()))?;
        let bench_json = criterion.join(group).join(name).join("new/benchmark.json");
        let bytes = fs::read_to_string(bench_json)
            .ok()
            .and_then(|t| serde_json::from_str::<Value>(&t).ok())
            .and_then(|v| v["throughput"]["Bytes"].as_f64());
        Ok((median / 1e9, bytes))
    };
    let mut rows = Vec::new();
    let mut document = json!({});
    for (group, what) in [
        ("serialise", "serialise a large CreateModelPackageInput"),
        ("parse", "parse a large DescribeModelPackage response"),
    ] {
        let (ours, bytes) = estimate(group, "awsgen")?;
        let (floor, _) = estimate(group, "serde_json")?;
        document[group] = json!({ "bytes": bytes });
        rows.push(SerdeRow { name: what.to_string(), ours, floor });
    }
    Ok((rows, document))
}

/// Runs one benchmark of the `tests/bench` crate (its own workspace, built into
/// `target/bench/bench-target`) with `args` after `--`.
fn run_bench_crate(
    root: &Path,
    bench: &Path,
    name: &str,
    args: &[&str],
    criterion_home: Option<&Path>,
) -> anyhow::Result<()> {
    let mut command_args = vec!["bench", "--quiet", "--manifest-path", "tests/bench/Cargo.toml", "--bench", name, "--"];
    command_args.extend(args);
    println!("{name}: cargo {}", command_args.join(" "));
    let mut command = crate::cargo();
    command.current_dir(root).args(&command_args).env("CARGO_TARGET_DIR", bench.join("bench-target"));
    if let Some(home) = criterion_home {
        command.env("CRITERION_HOME", home);
    }
    let status = command.status().context("running cargo bench")?;
    if !status.success() {
        bail!("cargo bench --manifest-path tests/bench/Cargo.toml --bench {name} failed");
    }
    Ok(())
}

/// Runs the request-rate benchmark and returns what it wrote.
fn requests_bench(root: &Path, bench: &Path, runs: usize, quick: bool) -> anyhow::Result<Value> {
    let out = bench.join("requests.json");
    let _ = fs::remove_file(&out);
    let (runs, seconds, out_arg) = (runs.to_string(), if quick { "1" } else { "3" }, out.display().to_string());
    run_bench_crate(root, bench, "requests", &["--runs", &runs, "--seconds", seconds, "--json", &out_arg], None)?;
    let text = fs::read_to_string(&out).with_context(|| format!("reading {}", out.display()))?;
    let mut value: Value = serde_json::from_str(&text).with_context(|| format!("parsing {}", out.display()))?;
    value["how"] = json!(
        "tests/bench/benches/requests.rs (bench profile): CreateModelPackage calls, sequential and 64 concurrent on one shared client, both clients on a current-thread Tokio runtime, each against its own loopback server in a child process (plain threads), runs alternating between the clients; CPU = getrusage(RUSAGE_SELF) user+system of the benchmark process over a run / the calls it made (the servers' CPU is not counted); baseline = aws-sdk-sagemaker"
    );
    value["versions"] = json!(locked_versions(&root.join("tests/bench"), &["aws-sdk-sagemaker", "aws-smithy-runtime"]));
    Ok(value)
}

fn print_table(results: &Value, builds: &[BuildResult], multi: &[BuildResult], serde_rows: &[SerdeRow]) {
    println!("machine: {}", machine_line(&results["machine"]));
    println!("medians of {} run(s)", results["runs"]);
    if let Some(subjects) = results["codegen"]["subjects"].as_array() {
        println!();
        println!("codegen (in-process, xtask {} profile)", if cfg!(debug_assertions) { "dev" } else { "release" });
        for s in subjects {
            let cpu = s["cpu_median_s"].as_f64().map(|cpu| format!("CPU {}", show(Duration::from_secs_f64(cpu))));
            println!(
                "  {:<22} {:>9} {:>13}   {}",
                s["name"].as_str().unwrap_or(""),
                show(Duration::from_secs_f64(s["median_s"].as_f64().unwrap_or(0.0))),
                cpu.unwrap_or_default(),
                s["summary"].as_str().unwrap_or("")
            );
        }
    }
    for ratio in results["one_call"]["ratios"].as_array().into_iter().flatten() {
        println!();
        println!(
            "one-call {} (clean debug build): ours {} s, aws-sdk {} s, ratio {}",
            ratio["program"].as_str().unwrap_or(""),
            ratio["ours_s"],
            ratio["theirs_s"],
            ratio["ratio"]
        );
    }
    if !builds.is_empty() {
        println!();
        println!("clean builds (fresh target dir, dependencies included)");
        println!(
            "  {:<30} {:<8} {:>9} {:>9} {:>9} {:>12} {:>10}",
            "crate", "profile", "total", "own", "peak RSS", "total ratio", "own ratio"
        );
        for b in builds {
            let base = builds.iter().find(|x| x.own == BASELINE_CRATE && x.profile == b.profile);
            let ratio = |ours: Option<Duration>, theirs: Option<Duration>| match (ours, theirs) {
                (Some(a), Some(t)) if b.own != BASELINE_CRATE => format!("{:.2}", a.as_secs_f64() / t.as_secs_f64()),
                _ => "-".to_string(),
            };
            println!(
                "  {:<30} {:<8} {:>9} {:>9} {:>9} {:>12} {:>10}",
                b.label,
                b.profile,
                show(b.total()),
                b.own_median().map(show).unwrap_or_else(|| "?".into()),
                b.peak_rss_mb().map(|mb| format!("{mb} MB")).unwrap_or_else(|| "-".into()),
                ratio(Some(b.total()), base.map(BuildResult::total)),
                ratio(b.own_median(), base.and_then(BuildResult::own_median)),
            );
        }
        println!("  (ratio = ours / the aws-sdk-sagemaker baseline; own = the crate alone, from --timings:");
        println!("   {CRATE_NAME} for ours, aws-sdk-sagemaker for the baseline)");
        for b in builds {
            // The run closest to the median, so that one disturbed run does not speak for all.
            let median = b.total();
            let typical = b.runs.iter().enumerate().min_by_key(|(_, m)| m.total.abs_diff(median));
            if let Some((at, run)) = typical {
                let slowest: Vec<String> = run.slowest.iter().take(6).map(|(n, s)| format!("{n} {s:.1}s")).collect();
                println!("  slowest in {} {} (run {}): {}", b.label, b.profile, at + 1, slowest.join(", "));
            }
        }
    }
    if !multi.is_empty() {
        println!();
        println!("three-service program: SageMaker + KMS + CloudWatch Logs from one config (clean debug builds)");
        println!("  {:<34} {:>9} {:>9} {:>9} {:>16}", "program", "total", "own", "peak RSS", "runtime compiled");
        for b in multi {
            let own: Vec<&str> = b.own.split('+').collect();
            let counts: Vec<String> = b
                .runs
                .iter()
                .map(|m| runtime_compiled(&own, m).map(|n| n.to_string()).unwrap_or_else(|| "-".into()))
                .collect();
            println!(
                "  {:<34} {:>9} {:>9} {:>9} {:>16}",
                b.label,
                show(b.total()),
                b.own_median().map(show).unwrap_or_else(|| "?".into()),
                b.peak_rss_mb().map(|mb| format!("{mb} MB")).unwrap_or_else(|| "-".into()),
                counts.join(",")
            );
        }
        if let (Some(total), own) =
            (results["multi"]["ratio"]["total"].as_f64(), &results["multi"]["ratio"]["own_crates"])
        {
            println!(
                "  ratio ours / aws-sdk: total {total:.2}, own {}",
                own.as_f64().map(|r| format!("{r:.2}")).unwrap_or_else(|| "-".into())
            );
        }
        for b in multi {
            println!("  own of {}: {}", b.label, b.own.replace('+', " + "));
        }
        for b in multi {
            let median = b.total();
            let typical = b.runs.iter().enumerate().min_by_key(|(_, m)| m.total.abs_diff(median));
            if let Some((at, run)) = typical {
                let slowest: Vec<String> = run.slowest.iter().take(6).map(|(n, s)| format!("{n} {s:.1}s")).collect();
                println!("  slowest in {} (run {}): {}", b.label, at + 1, slowest.join(", "));
            }
        }
    }
    if !serde_rows.is_empty() {
        println!();
        println!("JSON (criterion medians; floor = serde_json on an equivalent serde_json::Value)");
        println!("  {:<46} {:>11} {:>11} {:>7}", "", "ours", "floor", "ratio");
        for r in serde_rows {
            println!(
                "  {:<46} {:>11} {:>11} {:>7.2}",
                r.name,
                show(Duration::from_secs_f64(r.ours)),
                show(Duration::from_secs_f64(r.floor)),
                r.ours / r.floor
            );
        }
    }
    let requests = &results["requests"];
    if let (Some(ours), Some(baseline)) =
        (requests["awsgen_median_rps"].as_f64(), requests["baseline_median_rps"].as_f64())
    {
        println!();
        println!("sequential CreateModelPackage calls against a loopback server (median requests/s)");
        println!("  ours {ours:.0}, aws-sdk-sagemaker {baseline:.0}, ratio {:.2}", ours / baseline);
    }
    for (mode, label) in [("sequential", "sequential"), ("concurrent", "64 concurrent on one client")] {
        let side = |who: &str, key: &str| requests[mode][who][key].as_f64();
        if let (Some(ours), Some(theirs)) =
            (side("awsgen", "median_cpu_us_per_call"), side("baseline", "median_cpu_us_per_call"))
        {
            println!("client CPU per CreateModelPackage call, {label} (getrusage; servers in other processes):");
            println!(
                "  ours {ours:.1} µs, aws-sdk-sagemaker {theirs:.1} µs, ratio {:.2}; requests/s ours {:.0}, theirs {:.0}",
                ours / theirs,
                side("awsgen", "median_rps").unwrap_or(f64::NAN),
                side("baseline", "median_rps").unwrap_or(f64::NAN),
            );
        }
    }
    println!();
}

fn print_three_service(builds: &[BuildResult]) {
    if builds.is_empty() {
        return;
    }
    println!("three-service program: SageMaker + S3 + STS from one config (clean builds)");
    println!("  {:<34} {:<8} {:>9} {:>9} {:>9}", "program", "profile", "total", "own", "peak RSS");
    for b in builds {
        println!(
            "  {:<34} {:<8} {:>9} {:>9} {:>9}",
            b.label,
            b.profile,
            show(b.total()),
            b.own_median().map(show).unwrap_or_else(|| "?".into()),
            b.peak_rss_mb().map(|mb| format!("{mb} MB")).unwrap_or_else(|| "-".into()),
        );
    }
    for b in builds {
        println!("  own of {}: {}", b.label, b.own.replace('+', " + "));
    }
    println!();
}

pub(crate) fn cargo(dir: &Path, args: &[&str], target: Option<&Path>) -> anyhow::Result<()> {
    let mut command = crate::cargo();
    command.current_dir(dir).args(args);
    if let Some(target) = target {
        command.env("CARGO_TARGET_DIR", target);
    }
    let status = command.status().with_context(|| format!("running cargo {}", args.join(" ")))?;
    if !status.success() {
        bail!("cargo {} failed in {}", args.join(" "), dir.display());
    }
    Ok(())
}

fn machine() -> anyhow::Result<Value> {
    let version = |program: &str| {
        Command::new(program)
            .arg("--version")
            .output()
            .ok()
            .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
            .unwrap_or_default()
    };
    let meminfo = fs::read_to_string("/proc/meminfo").unwrap_or_default();
    let memory_kb = meminfo
        .lines()
        .find_map(|l| l.strip_prefix("MemTotal:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok());
    let cpu = fs::read_to_string("/proc/cpuinfo")
        .unwrap_or_default()
        .lines()
        .find_map(|l| l.strip_prefix("model name").map(|v| v.trim_start_matches([' ', '\t', ':']).to_string()));
    Ok(json!({
        "nproc": std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1),
        "cpu": cpu,
        "memory_gib": memory_kb.map(|kb| (kb / 1024.0 / 1024.0 * 10.0).round() / 10.0),
        "rustc": version("rustc"),
        "cargo": version(env!("CARGO")),
        "time_tool": Path::new("/usr/bin/time").exists(),
    }))
}

fn machine_line(machine: &Value) -> String {
    format!(
        "{} cores ({}), {} GiB, {}",
        machine["nproc"],
        machine["cpu"].as_str().unwrap_or("?"),
        machine["memory_gib"],
        machine["rustc"].as_str().unwrap_or("?")
    )
}

/// The 1, 5 and 15 minute load averages.
fn load() -> String {
    fs::read_to_string("/proc/loadavg")
        .map(|t| t.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_else(|_| "?".to_string())
}

fn median(values: &[Duration]) -> Duration {
    let mut sorted = values.to_vec();
    sorted.sort();
    match sorted.len() {
        0 => Duration::ZERO,
        n if n % 2 == 1 => sorted[n / 2],
        n => (sorted[n / 2 - 1] + sorted[n / 2]) / 2,
    }
}

pub(crate) fn show(d: Duration) -> String {
    let s = d.as_secs_f64();
    if s >= 60.0 {
        format!("{}m{:04.1}s", (s / 60.0).floor(), s % 60.0)
    } else if s >= 1.0 {
        format!("{s:.1} s")
    } else if s >= 1e-3 {
        format!("{:.2} ms", s * 1e3)
    } else {
        format!("{:.1} µs", s * 1e6)
    }
}

fn round1(x: f64) -> f64 {
    (x * 10.0).round() / 10.0
}

pub(crate) fn round3(x: f64) -> f64 {
    (x * 1000.0).round() / 1000.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_median_of_an_even_count_is_the_mean_of_the_middle_two() {
        let s = Duration::from_secs;
        assert_eq!(median(&[s(5), s(1), s(3)]), s(3));
        assert_eq!(median(&[s(4), s(1), s(3), s(2)]), Duration::from_millis(2500));
    }

    #[test]
    fn timings_sum_every_unit_of_a_crate() {
        let dir = std::env::temp_dir().join(format!("awsgen-bench-timings-{}", std::process::id()));
        fs::create_dir_all(dir.join("cargo-timings")).unwrap();
        fs::write(
            dir.join("cargo-timings/cargo-timing.html"),
            r#"<script>
const UNIT_DATA = [
  {"i": 0, "name": "ring", "target": " build-script (run)", "mode": "run-custom-build", "duration": 2.5, "sections": null},
  {"i": 1, "name": "ring", "target": "", "mode": "todo", "duration": 4.0, "sections": [["frontend", {"start": 0.0, "end": 1.0}]]}
];
const CONCURRENCY_DATA = [];
</script>"#,
        )
        .unwrap();
        let (units, compiled) = timings(&dir).unwrap();
        fs::remove_dir_all(&dir).unwrap();
        assert_eq!(units.get("ring"), Some(&6.5));
        assert_eq!(compiled.get("ring"), Some(&1));
    }
}
