//! `cargo xtask all-services`: generate every operation of every botocore service of the pinned
//! botocore release that speaks a protocol the generator emits (each with the first such
//! protocol its model lists; `--protocol NAME` keeps the services generated with that one), and
//! check each crate with clippy (warnings denied).
//! The crates are members of one workspace and depend on the one runtime crate, so the runtime
//! and the other dependencies are built and checked once, not per service. One line per
//! service, then `N passed, M failed`.

use std::fs;
use std::path::Path;
use std::process::Command;
use std::time::Instant;

use anyhow::{Context, bail};
use codegen::{CrateOptions, OperationFilter};

use crate::{Args, workspace_root};

/// Unpacks the newest API version of every service, with the files beside it.
const EXTRACT: &str = r#"
import gzip, json, sys, zipfile
wheel, target = sys.argv[1:]
latest = {}
with zipfile.ZipFile(wheel) as z:
    for name in z.namelist():
        parts = name.split("/")
        if len(parts) == 5 and parts[4] == "service-2.json.gz":
            service, version = parts[2], parts[3]
            if service not in latest or version > latest[service][0]:
                latest[service] = (version, name)
    for service, (version, name) in sorted(latest.items()):
        data = gzip.decompress(z.read(name))
        with open(f"{target}/{service}.json", "wb") as out:
            out.write(data)
        rules = name.replace("service-2.json.gz", "endpoint-rule-set-1.json.gz")
        if rules in z.namelist():
            with open(f"{target}/{service}.rules", "wb") as out:
                out.write(gzip.decompress(z.read(rules)))
        for paginators in (name.replace("service-2.json.gz", "paginators-1.json"),
                           name.replace("service-2.json.gz", "paginators-1.json.gz")):
            if paginators in z.namelist():
                data = z.read(paginators)
                with open(f"{target}/{service}.paginators", "wb") as out:
                    out.write(gzip.decompress(data) if paginators.endswith(".gz") else data)
        for waiters in (name.replace("service-2.json.gz", "waiters-2.json"),
                        name.replace("service-2.json.gz", "waiters-2.json.gz")):
            if waiters in z.namelist():
                data = z.read(waiters)
                with open(f"{target}/{service}.waiters", "wb") as out:
                    out.write(gzip.decompress(data) if waiters.endswith(".gz") else data)
"#;

pub fn run(args: &[String]) -> anyhow::Result<()> {
    let mut args = Args::new(args);
    let only = args.value("--only")?;
    let protocol = args
        .value("--protocol")?
        .map(|name| codegen::ir::Protocol::from_name(&name, None).with_context(|| format!("unknown protocol {name}")))
        .transpose()?;
    args.finish()?;
    let root = workspace_root();
    let models = unpack_models(&root)?;
    let crates = root.join("target/all-services/crates");
    let _ = fs::remove_dir_all(&crates);
    fs::create_dir_all(&crates)?;

    let mut services: Vec<String> = fs::read_dir(&models)?
        .filter_map(|e| e.ok()?.path().to_str()?.strip_suffix(".json").map(str::to_string))
        .filter_map(|path| Path::new(&path).file_name()?.to_str().map(str::to_string))
        .filter(|name| only.as_deref().is_none_or(|only| only.split(',').any(|o| o == name)))
        .collect();
    services.sort();
    // The services generated with a protocol the generator emits (the one asked for).
    let mut kept = Vec::new();
    for service in services {
        match generated_protocol(&models.join(format!("{service}.json")))? {
            Some(chosen) if protocol.is_none_or(|asked| asked == chosen) => kept.push(service),
            _ => {}
        }
    }
    let services = kept;

    // One workspace, so every crate shares the dependencies' build.
    let members: Vec<String> = services.iter().map(|s| format!("\"{s}\"")).collect();
    fs::write(
        crates.join("Cargo.toml"),
        format!("[workspace]\nresolver = \"3\"\nmembers = [{}]\n", members.join(", ")),
    )?;
    let _ = fs::copy(root.join("Cargo.lock"), crates.join("Cargo.lock"));

    // Generate every crate first: the workspace needs all its members to exist.
    let mut generated = Vec::new();
    let (mut passed, mut failed) = (0, 0);
    for service in &services {
        match generate_service(&models, &crates, service) {
            Ok(summary) => generated.push((service, summary)),
            Err(e) => {
                failed += 1;
                println!("FAILED {service:<32} codegen: {e:#}");
                fs::create_dir_all(crates.join(service).join("src"))?;
                fs::write(
                    crates.join(service).join("Cargo.toml"),
                    format!("[package]\nname = \"awsgen-{service}\"\nversion = \"0.0.0\"\nedition = \"2024\"\n"),
                )?;
                fs::write(crates.join(service).join("src/lib.rs"), "")?;
            }
        }
    }
    for (service, summary) in generated {
        let started = Instant::now();
        match check_service(&crates, &root, service) {
            Ok(()) => {
                passed += 1;
                println!("ok     {service:<32} {summary}, checked in {:.1} s", started.elapsed().as_secs_f64());
            }
            Err(e) => {
                failed += 1;
                println!("FAILED {service:<32} {e:#}");
            }
        }
    }
    println!("{passed} passed, {failed} failed");
    if failed > 0 {
        bail!("{failed} service(s) failed");
    }
    Ok(())
}

/// Unpacks the pinned botocore wheel's models (see [`EXTRACT`]) into
/// `target/all-services/models/` once per botocore version, and returns that directory: each
/// service's newest `service-2.json` as `<service>.json`, its rule set as `<service>.rules`,
/// its paginators and waiters as `<service>.paginators` and `<service>.waiters`.
pub fn unpack_models(root: &Path) -> anyhow::Result<std::path::PathBuf> {
    let version = crate::codegen::pinned_botocore_version()?;
    let models = root.join("target/all-services/models");
    let unpacked = models.join(format!(".unpacked-{version}"));
    if unpacked.exists() {
        return Ok(models);
    }
    // Another version's files must not linger (a service it had and this one has not).
    let _ = fs::remove_dir_all(&models);
    fs::create_dir_all(&models)?;
    let wheel = crate::update_model::download_wheel(root, &version)?;
    let status = Command::new("python3").arg("-c").arg(EXTRACT).arg(&wheel).arg(&models).status()?;
    if !status.success() {
        bail!("unpacking the botocore wheel failed");
    }
    fs::write(&unpacked, "")?;
    Ok(models)
}

/// The protocol a model is generated with: the first it lists that the generator emits.
fn generated_protocol(model: &Path) -> anyhow::Result<Option<codegen::ir::Protocol>> {
    let text = fs::read_to_string(model)?;
    let root: serde_json::Value = serde_json::from_str(&text)?;
    let metadata = &root["metadata"];
    let json_version = metadata["jsonVersion"].as_str();
    let listed: Vec<String> = match metadata["protocols"].as_array() {
        Some(names) => names.iter().filter_map(|n| n.as_str().map(str::to_string)).collect(),
        None => metadata["protocol"].as_str().map(str::to_string).into_iter().collect(),
    };
    Ok(listed.iter().filter_map(|name| codegen::ir::Protocol::from_name(name, json_version)).find(|p| p.is_generated()))
}

fn generate_service(models: &Path, crates: &Path, service: &str) -> anyhow::Result<String> {
    let model = models.join(format!("{service}.json"));
    let text = fs::read_to_string(&model)?;
    let options = CrateOptions {
        crate_name: Some(format!("awsgen-{service}")),
        model_label: format!("botocore/data/{service}/service-2.json"),
        command: format!("cargo xtask codegen --model {service}.json --ops all"),
        standalone: false,
        // One runtime crate for all of them: it is compiled and checked once, not per service.
        runtime: codegen::RuntimeSource::crate_at(
            &crate::workspace_root().join("codegen/runtime"),
            &crates.join(service),
        ),
    };
    let rule_set = fs::read_to_string(models.join(format!("{service}.rules"))).ok();
    let paginators = fs::read_to_string(models.join(format!("{service}.paginators"))).ok();
    let paginators_label = format!("botocore/data/{service}/paginators-1.json");
    let waiters_label = format!("botocore/data/{service}/waiters-2.json");
    let mut waiters: Option<serde_json::Value> = fs::read_to_string(models.join(format!("{service}.waiters")))
        .ok()
        .map(|t| serde_json::from_str(&t))
        .transpose()?;
    let partitions = crate::codegen::partitions()?;
    // A waiter whose JMESPath the generator does not compile (DynamoDB's and ECS's filter
    // expressions) is a generation-time error naming it: here it is left out and listed.
    let mut skipped_waiters = Vec::new();
    let emitted = loop {
        let waiters_text = waiters.as_ref().map(|w| w.to_string());
        let result = codegen::generate_with_extras(
            &options.model_label,
            &text,
            &codegen::ModelExtras {
                rule_set: rule_set.as_deref(),
                paginators: paginators.as_deref().map(|text| (paginators_label.as_str(), text)),
                waiters: waiters_text.as_deref().map(|text| (waiters_label.as_str(), text)),
                protocol: None,
            },
            &partitions,
            &OperationFilter::All,
            &options,
        );
        match result {
            Err(codegen::Error::Model(error)) if error.file == waiters_label => {
                let location = error.location.clone().unwrap_or_default();
                let name = location.strip_prefix("waiter ").and_then(|l| l.split(',').next()).map(str::to_string);
                let removed = name
                    .as_ref()
                    .and_then(|name| waiters.as_mut()?.get_mut("waiters")?.as_object_mut()?.remove(name.as_str()));
                if removed.is_none() {
                    return Err(error.into());
                }
                skipped_waiters.push(error.to_string());
            }
            other => break other?,
        }
    };
    let dir = crates.join(service);
    for file in &emitted.files {
        let path = dir.join(&file.path);
        fs::create_dir_all(path.parent().context("files are inside the crate")?)?;
        fs::write(&path, &file.contents)?;
    }
    let mut summary = format!(
        "{} operations ({} paginated), {} files",
        emitted.counts.operations,
        emitted.files.iter().filter(|f| f.contents.contains("pub fn into_paginator(")).count(),
        emitted.files.len()
    );
    for (operation, why) in &emitted.unsupported_paginators {
        summary.push_str(&format!("; {operation}: no paginator ({why})"));
    }
    for (operation, why) in &emitted.skipped_operations {
        summary.push_str(&format!("; {operation}: not generated ({why})"));
    }
    let waiter_count = emitted.files.iter().map(|f| f.contents.matches("::waiter::Waiter for").count()).sum::<usize>();
    summary.push_str(&format!(", {waiter_count} waiters"));
    for why in &skipped_waiters {
        summary.push_str(&format!("; waiter not generated: {why}"));
    }
    Ok(summary)
}

fn check_service(crates: &Path, root: &Path, service: &str) -> anyhow::Result<()> {
    let output = crate::cargo()
        .current_dir(crates)
        .args(["clippy", "--quiet", "-p", &format!("awsgen-{service}"), "--", "-D", "warnings"])
        .env("CARGO_TARGET_DIR", root.join("target/all-services/target"))
        .output()?;
    if !output.status.success() {
        let stderr = String::from_utf8_lossy(&output.stderr);
        let first: Vec<&str> = stderr.lines().filter(|l| l.starts_with("error")).take(3).collect();
        bail!("cargo clippy: {}", first.join(" | "));
    }
    Ok(())
}
