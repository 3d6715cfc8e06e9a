//! `cargo xtask <command>`: the project's own commands. Run `cargo xtask help`.

mod all_services;
mod bench;
mod bench_one_call;
mod bench_summary;
mod bench_three_service;
mod codegen;
mod endpoint_tests;
mod protocol_tests;
mod test;
mod update_model;

/// Conformance suites `cargo xtask test` runs after the unit and integration tests, each an
/// xtask command of its own.
pub const SUITES: &[&str] = &["endpoint-tests", "protocol-tests"];

use std::path::PathBuf;
use std::process::ExitCode;

const HELP: &str = "\
cargo xtask <command>

commands:
  codegen [--check] [--model PATH] [--ops all|Op1,Op2] [--out DIR] [--crate-name NAME]
          [--inline-runtime]
      Regenerate the client crate (default: the SageMaker model and operations in
      models/codegen.json, into generated/). --check changes nothing and fails when a
      generated file is stale. --model/--ops/--out generate a standalone crate elsewhere,
      named after the service, depending on codegen/runtime by a relative path; with
      --inline-runtime it carries a copy of the runtime instead.
  test
      Everything CI runs, set-up included: codegen --check, installs moto (the SageMaker
      emulator) under target/, clippy and rustdoc with warnings denied, cargo test, and the
      conformance suites.
  all-services [--only svc1,svc2] [--protocol NAME]
      Generate every operation of every service of the pinned botocore release that speaks a
      protocol the generator emits (--protocol: only those generated with NAME) and check each
      crate with clippy (warnings denied). Slow: not in `test`.
  endpoint-tests [--rule-set PATH] [--partitions PATH] [--cases PATH]
      Run botocore's endpoint test cases of every service (14,589) against each service's
      rule set from the pinned botocore wheel, through the runtime's rule set interpreter;
      prints each failing case, a line per service, the totals per protocol and in all.
      --rule-set/--partitions/--cases run one file (SageMaker's by default).
  protocol-tests
      Run botocore's protocol test suites (json, rest-json, query, ec2, rpc-v2-cbor, legacy included) against
      clients generated from each suite's model, as one crate under target/protocol-tests/;
      prints a line per file, each failure, then `N passed, M failed, K skipped`.
  update-model --botocore-version V
      Download that botocore release from PyPI with pip, replace the pinned model files
      and their provenance, and regenerate.
  bench [--runs N] [--quick] [--all | --only codegen,builds,baseline,multi,three-service,one-call,serde,requests]
      Medians of N runs (default 3): codegen time, clean debug and release builds of the
      generated crate (CreateModelPackage, all of SageMaker) against a program using the
      official aws-sdk-sagemaker, a clean debug build of a three-service program (SageMaker,
      KMS, CloudWatch Logs) against the same on aws-sdk-*, clean debug and release builds of a
      SageMaker + S3 + STS program against the same on aws-sdk-*, clean debug builds of
      one-call programs on other protocols (InvokeEndpoint, AssumeRole, PutObject) against
      aws-sdk-*, criterion JSON benchmarks (tests/bench) against serde_json, and client CPU
      per call (getrusage; sequential and 64 concurrent) and requests per second against
      loopback servers in other processes, ours and aws-sdk-sagemaker's. Ends with a summary
      of issue 18's table (figure, ours, theirs, ratio, goal, met). Slow (the baseline takes
      minutes per build): not in `test`. --quick: one run, builds of CreateModelPackage only,
      debug only, short request and criterion runs. By default only the sections that measure
      a figure of the table run (all but multi and one-call); --all runs every section.
      Writes target/bench/results.json.
";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("codegen") => codegen::run(&args[1..]),
        Some("update-model") => update_model::run(&args[1..]),
        Some("endpoint-tests") => endpoint_tests::run(&args[1..]),
        Some("protocol-tests") => protocol_tests::run(&args[1..]),
        Some("test") => test::run(&args[1..]),
        Some("all-services") => all_services::run(&args[1..]),
        Some("bench") => bench::run(&args[1..]),
        Some("help") | Some("--help") | Some("-h") | None => {
            print!("{HELP}");
            Ok(())
        }
        Some(other) => Err(anyhow::anyhow!("unknown command `{other}`\n\n{HELP}")),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}

/// `cargo`, for a build of our own, without the variables cargo set for this process
/// (`CARGO_PKG_NAME`, `CARGO_MANIFEST_DIR`, ...): build scripts that watch them (ring's does)
/// would otherwise see them change between this build and a plain one, and rebuild their
/// crates, and everything above them, in each.
pub fn cargo() -> std::process::Command {
    let mut command = std::process::Command::new(env!("CARGO"));
    for (key, _) in std::env::vars_os() {
        let key = key.to_string_lossy();
        let set_by_cargo = key.starts_with("CARGO_PKG_")
            || key.starts_with("CARGO_BIN_")
            || key.starts_with("CARGO_MANIFEST_")
            || matches!(
                key.as_ref(),
                "CARGO_CRATE_NAME"
                    | "CARGO_PRIMARY_PACKAGE"
                    | "CARGO_TARGET_TMPDIR"
                    | "CARGO_RUSTC_CURRENT_DIR"
                    | "OUT_DIR"
            );
        if set_by_cargo {
            command.env_remove(key.as_ref());
        }
    }
    command
}

/// The workspace root (xtask lives one level below it).
pub fn workspace_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).parent().expect("xtask is inside the workspace").to_path_buf()
}

/// Parses `--flag value` and `--switch` arguments.
pub struct Args {
    rest: Vec<String>,
}

impl Args {
    /// Wraps the arguments after the command name.
    pub fn new(args: &[String]) -> Self {
        Args { rest: args.to_vec() }
    }

    /// Removes `--name` and returns whether it was there.
    pub fn switch(&mut self, name: &str) -> bool {
        match self.rest.iter().position(|a| a == name) {
            Some(at) => {
                self.rest.remove(at);
                true
            }
            None => false,
        }
    }

    /// Removes `--name VALUE` (or `--name=VALUE`) and returns the value.
    pub fn value(&mut self, name: &str) -> anyhow::Result<Option<String>> {
        let prefix = format!("{name}=");
        if let Some(at) = self.rest.iter().position(|a| a.starts_with(&prefix)) {
            let arg = self.rest.remove(at);
            return Ok(Some(arg[prefix.len()..].to_string()));
        }
        match self.rest.iter().position(|a| a == name) {
            Some(at) if at + 1 < self.rest.len() => {
                self.rest.remove(at);
                Ok(Some(self.rest.remove(at)))
            }
            Some(_) => anyhow::bail!("{name} needs a value"),
            None => Ok(None),
        }
    }

    /// Fails if anything is left over.
    pub fn finish(self) -> anyhow::Result<()> {
        if self.rest.is_empty() {
            Ok(())
        } else {
            anyhow::bail!("unexpected arguments: {}\n\n{HELP}", self.rest.join(" "))
        }
    }
}
