//! `cargo xtask test`: every check CI runs, with every set-up step included, on a fresh clone.
//!
//! 1. the generated crate is up to date (`codegen --check`);
//! 2. test tools are installed under `target/`: moto's server (the SageMaker emulator) in a
//!    virtualenv, and the botocore release the Smithy equivalence test compares against;
//! 3. clippy and rustdoc with warnings denied;
//! 4. `cargo test --workspace` (the tests start and stop the moto servers they use);
//! 5. the conformance suites: the endpoint rule-set tests of every service (their rule sets
//!    from the pinned botocore wheel, which they fetch into `target/` once) and the protocol tests.

use std::path::Path;
use std::process::Command;
use std::time::Instant;

use anyhow::{Context, bail};

use crate::{Args, workspace_root};

/// The emulator the end-to-end tests run against, pinned. moto answers from the installed
/// botocore's model, so botocore is pinned to the release our model comes from.
pub const MOTO: &[&str] = &["moto[server]==5.2.5", "botocore==1.44.5"];
/// The botocore release published the same day as the Smithy models vendored in
/// `tests/fixtures/smithy-models/`.
pub const BOTOCORE_FOR_SMITHY: &str = "1.37.26";

pub fn run(args: &[String]) -> anyhow::Result<()> {
    Args::new(args).finish()?;
    let root = workspace_root();
    let started = Instant::now();

    step("codegen --check", || crate::codegen::run(&["--check".to_string()]))?;
    step("install moto", || install_moto(&root))?;
    step("fetch botocore for the Smithy comparison", || fetch_botocore_model(&root, BOTOCORE_FOR_SMITHY))?;
    step("clippy", || cargo(&root, &["clippy", "--workspace", "--all-targets", "--", "-D", "warnings"], &[]))?;
    step("rustdoc", || cargo(&root, &["doc", "--workspace", "--no-deps"], &[("RUSTDOCFLAGS", "-D warnings")]))?;
    step("tests", || cargo(&root, &["test", "--workspace"], &[]))?;
    for suite in crate::SUITES {
        step(suite, || cargo(&root, &["xtask", suite], &[]))?;
    }
    println!("xtask test: all steps passed in {:.0} s", started.elapsed().as_secs_f64());
    Ok(())
}

fn step(name: &str, run: impl FnOnce() -> anyhow::Result<()>) -> anyhow::Result<()> {
    println!("==> {name}");
    let started = Instant::now();
    run().with_context(|| format!("step `{name}` failed"))?;
    println!("==> {name}: ok in {:.1} s", started.elapsed().as_secs_f64());
    Ok(())
}

fn cargo(root: &Path, args: &[&str], env: &[(&str, &str)]) -> anyhow::Result<()> {
    let mut command = crate::cargo();
    command.current_dir(root).args(args);
    for (key, value) in env {
        command.env(key, value);
    }
    let status = command.status().with_context(|| format!("running cargo {}", args.join(" ")))?;
    if !status.success() {
        bail!("cargo {} failed", args.join(" "));
    }
    Ok(())
}

fn run_command(command: &mut Command) -> anyhow::Result<()> {
    let status = command.status().with_context(|| format!("running {command:?}"))?;
    if !status.success() {
        bail!("{command:?} failed");
    }
    Ok(())
}

/// A virtualenv under `target/moto-venv` with moto's server; reinstalled when the pin changes.
fn install_moto(root: &Path) -> anyhow::Result<()> {
    let venv = root.join("target/moto-venv");
    let marker = venv.join(format!(".installed-{}", MOTO.join("-").replace(['[', ']', '='], "_")));
    if marker.exists() {
        println!("moto already installed in {}", venv.display());
        return Ok(());
    }
    run_command(Command::new("python3").args(["-m", "venv"]).arg(&venv))?;
    run_command(Command::new(venv.join("bin/python")).args(["-m", "pip", "install", "--quiet", "--upgrade", "pip"]))?;
    run_command(Command::new(venv.join("bin/python")).args(["-m", "pip", "install", "--quiet"]).args(MOTO))?;
    std::fs::write(&marker, MOTO.join("\n"))?;
    Ok(())
}

/// The services the Smithy equivalence tests compare, as botocore lays them out.
const SMITHY_COMPARED: &[&str] = &["sagemaker/2017-07-24", "dynamodb/2012-08-10", "kms/2014-11-01"];

/// botocore `version`'s models of [`SMITHY_COMPARED`] (`service-2.json`, `paginators-1.json`, `waiters-2.json` where botocore has one)
/// under `target/botocore-<version>/`, from the PyPI wheel.
pub fn fetch_botocore_model(root: &Path, version: &str) -> anyhow::Result<()> {
    let dir = root.join(format!("target/botocore-{version}"));
    let missing: Vec<&str> =
        SMITHY_COMPARED.iter().copied().filter(|s| !dir.join(s).join("waiters-fetched").exists()).collect();
    if missing.is_empty() {
        println!("botocore {version} models already in {}", dir.display());
        return Ok(());
    }
    let wheel = crate::update_model::download_wheel(root, version)?;
    let script = r#"
import gzip, os, sys, zipfile
wheel, target, *services = sys.argv[1:]
with zipfile.ZipFile(wheel) as z:
    for service in services:
        os.makedirs(os.path.join(target, service), exist_ok=True)
        for name in ("service-2.json", "paginators-1.json", "waiters-2.json"):
            inner = f"botocore/data/{service}/{name}"
            names = z.namelist()
            if name == "waiters-2.json" and inner not in names and inner + ".gz" not in names:
                continue  # KMS has no waiters
            data = z.read(inner) if inner in names else gzip.decompress(z.read(inner + ".gz"))
            with open(os.path.join(target, service, name), "wb") as out:
                out.write(data)
        # Marks a directory fetched since the waiters were (the file is absent where botocore has none).
        open(os.path.join(target, service, "waiters-fetched"), "w").close()
"#;
    run_command(Command::new("python3").arg("-c").arg(script).arg(&wheel).arg(&dir).args(missing))
}
