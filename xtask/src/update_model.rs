//! `cargo xtask update-model --botocore-version V`: refresh the pinned model from PyPI.
//!
//! pip downloads the botocore wheel of that version; the model files are taken out of it
//! (botocore ships them gzipped under `botocore/data/`), written under `models/`, and their
//! provenance (package, version, path inside the package, sha256) goes to
//! `models/provenance.json`. Then the client is regenerated.
//!
//! Before regenerating, it compares the API of the generated operations (those of
//! `models/codegen.json`, or `--ops`) in the old and the new `service-2.json`
//! ([`codegen::api_diff`]), prints the summary and writes it to
//! `target/update-model/api-changes.md` for the pull request to quote. With `--summary-only`
//! it changes nothing under `models/` or `generated/`: it compares the release `--from`
//! (default: the pinned one) with `--botocore-version`, both downloaded.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use ::codegen::OperationFilter;

use anyhow::{Context, bail};

use crate::codegen::Defaults;
use crate::{Args, workspace_root};

/// Files taken from botocore's `data/` directory: those of the model's directory (some gzipped in
/// the wheel; a trailing `?` marks one botocore has for some services only: the paginators'
/// sdk-extras, which botocore merges over `paginators-1.json`), and the partitions every
/// endpoint rule set uses (plain).
const MODEL_FILES: &[&str] = &[
    "service-2.json",
    "endpoint-rule-set-1.json",
    "paginators-1.json",
    "paginators-1.sdk-extras.json?",
    "waiters-2.json",
];
const SHARED_FILES: &[&str] = &["partitions.json"];

/// Unpacks the wheel and prints a JSON provenance record; Python is on every machine that has
/// pip, and its zipfile and gzip modules save us two crates.
const EXTRACT: &str = r#"
import gzip, hashlib, json, os, sys, zipfile
wheel, models, directory, *files = sys.argv[1:]
records = []
with zipfile.ZipFile(wheel) as z:
    names = set(z.namelist())
    for name in files:
        optional = name.endswith("?")
        name = name.rstrip("?")
        relative = name if name == "partitions.json" else f"{directory}/{name}"
        inner = f"botocore/data/{relative}"
        if inner not in names:
            inner += ".gz"
        if optional and inner not in names:
            if os.path.exists(f"{models}/{relative}"):
                os.remove(f"{models}/{relative}")
            continue
        data = z.read(inner)
        if inner.endswith(".gz"):
            data = gzip.decompress(data)
        with open(f"{models}/{relative}", "wb") as out:
            out.write(data)
        records.append({"file": f"models/{relative}", "path_in_package": inner,
                        "sha256": hashlib.sha256(data).hexdigest()})
print(json.dumps(records))
"#;

const USAGE: &str = "usage: cargo xtask update-model --botocore-version V [--ops all|Op1,Op2] \
                     [--summary-only [--from V0]]";

/// Where the summary of API changes is written.
const SUMMARY: &str = "target/update-model/api-changes.md";

/// Lines of each list of changes in the printed summary (the file has them all).
const PRINTED_CHANGES: usize = 40;

pub fn run(args: &[String]) -> anyhow::Result<()> {
    let mut args = Args::new(args);
    let Some(version) = args.value("--botocore-version")? else {
        bail!("{USAGE} (e.g. 1.44.5)");
    };
    let summary_only = args.switch("--summary-only");
    let from = args.value("--from")?;
    let ops = args.value("--ops")?;
    args.finish()?;
    if from.is_some() && !summary_only {
        bail!("--from goes with --summary-only (update-model compares with the pinned model)\n{USAGE}");
    }
    for v in std::iter::once(&version).chain(from.iter()) {
        if v.is_empty() || !v.chars().all(|c| c.is_ascii_digit() || c == '.') {
            bail!("`{v}` is not a botocore version (expected digits and dots, e.g. 1.44.5)");
        }
    }

    let root = workspace_root();
    let defaults = Defaults::load()?;
    let filter = match ops.as_deref() {
        None => OperationFilter::Only(defaults.operations.clone()),
        Some("all") => OperationFilter::All,
        Some(list) => OperationFilter::Only(list.split(',').map(|s| s.trim().to_string()).collect()),
    };
    let model_dir = std::path::Path::new(&defaults.model)
        .parent()
        .and_then(|p| p.strip_prefix("models").ok())
        .context("models/codegen.json: `model` must be a file under models/")?
        .to_string_lossy()
        .replace('\\', "/");
    let model_file = Path::new(&defaults.model).file_name().context("models/codegen.json: `model` names no file")?;

    if summary_only {
        let from = match from {
            Some(from) => from,
            None => crate::codegen::pinned_botocore_version()?,
        };
        let mut texts = Vec::new();
        for v in [&from, &version] {
            let wheel = download_wheel(&root, v)?;
            let scratch = root.join("target/update-model/botocore").join(v);
            extract(&wheel, &scratch, &model_dir, &[&model_file.to_string_lossy()])?;
            let path = scratch.join(&model_dir).join(model_file);
            texts.push((
                format!("botocore {v}"),
                fs::read_to_string(&path).with_context(|| path.display().to_string())?,
            ));
        }
        return summarize(&root, &texts[0], &texts[1], &filter);
    }

    let old_path = root.join(&defaults.model);
    let old_text = fs::read_to_string(&old_path).with_context(|| format!("reading {}", old_path.display()))?;
    let old_version = crate::codegen::pinned_botocore_version().unwrap_or_else(|_| "the pinned model".to_string());
    let wheel = download_wheel(&root, &version)?;

    let target = root.join("models").join(&model_dir);
    fs::create_dir_all(&target)?;
    let files = extract(&wheel, &root.join("models"), &model_dir, &[MODEL_FILES, SHARED_FILES].concat())?;
    let provenance = serde_json::json!({
        "package": "botocore",
        "version": version,
        "source": format!("the botocore {version} wheel on PyPI (pip download botocore=={version})"),
        "files": files,
    });
    let provenance_path = root.join("models/provenance.json");
    fs::write(&provenance_path, serde_json::to_string_pretty(&provenance)? + "\n")?;
    println!("update-model: botocore {version} → models/{model_dir}; provenance in models/provenance.json");
    let new_text = fs::read_to_string(&old_path).with_context(|| format!("reading {}", old_path.display()))?;
    // The files are replaced already: a summary that cannot be made (say, an operation of
    // `--ops` in neither model) must not stop the regeneration.
    if let Err(e) = summarize(
        &root,
        &(format!("botocore {old_version}"), old_text),
        &(format!("botocore {version}"), new_text),
        &filter,
    ) {
        eprintln!("update-model: no summary of API changes: {e:#}");
    }
    crate::codegen::run(&[])
}

/// Unpacks `files` of the model directory (and `partitions.json`) from `wheel` into
/// `models/`-like directory `into`; returns their provenance records.
fn extract(wheel: &Path, into: &Path, model_dir: &str, files: &[&str]) -> anyhow::Result<serde_json::Value> {
    fs::create_dir_all(into.join(model_dir))?;
    let output = Command::new("python3")
        .arg("-c")
        .arg(EXTRACT)
        .arg(wheel)
        .arg(into)
        .arg(model_dir)
        .args(files)
        .output()
        .context("running python3 to unpack the wheel")?;
    if !output.status.success() {
        bail!("unpacking {} failed:\n{}", wheel.display(), String::from_utf8_lossy(&output.stderr));
    }
    serde_json::from_slice(&output.stdout).context("reading the unpacker's output")
}

/// Compares the generated operations of two models, `(label, service-2.json text)`, prints the
/// summary and writes it to [`SUMMARY`].
fn summarize(
    root: &Path,
    old: &(String, String),
    new: &(String, String),
    filter: &OperationFilter,
) -> anyhow::Result<()> {
    let parse =
        |(label, text): &(String, String)| ::codegen::parse_model(label, text).map_err(|e| anyhow::anyhow!("{e}"));
    let (old_model, new_model) = (parse(old)?, parse(new)?);
    let diff = ::codegen::api_diff::diff(&old.0, &old_model, &new.0, &new_model, filter)
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    let operations = match filter {
        OperationFilter::All => "all operations".to_string(),
        OperationFilter::Only(names) => names.join(", "),
    };
    let title = format!("API changes, {} → {}", old.0, new.0);
    let mut file = diff.to_markdown(&title, usize::MAX);
    file.push_str(&format!("\nOperations compared: {operations}.\n"));
    let path: PathBuf = root.join(SUMMARY);
    fs::create_dir_all(path.parent().expect("has a parent"))?;
    fs::write(&path, &file)?;
    print!("{}", diff.to_markdown(&title, PRINTED_CHANGES));
    println!("\nOperations compared: {operations}.");
    println!("update-model: the summary is in {SUMMARY}");
    Ok(())
}

/// The botocore wheel of `version`, downloaded with pip into `target/botocore-wheels/` once.
pub fn download_wheel(root: &std::path::Path, version: &str) -> anyhow::Result<std::path::PathBuf> {
    let download = root.join("target/botocore-wheels").join(version);
    let find = || -> anyhow::Result<Option<std::path::PathBuf>> {
        if !download.exists() {
            return Ok(None);
        }
        Ok(fs::read_dir(&download)?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .find(|p| p.extension().is_some_and(|e| e == "whl")))
    };
    if let Some(wheel) = find()? {
        return Ok(wheel);
    }
    fs::create_dir_all(&download)?;
    let status = Command::new("python3")
        .args(["-m", "pip", "download", "--quiet", "--no-deps", "--only-binary", ":all:"])
        .arg(format!("botocore=={version}"))
        .arg("-d")
        .arg(&download)
        .status()
        .context("running `python3 -m pip` (is Python 3 with pip installed?)")?;
    if !status.success() {
        bail!("pip could not download botocore {version}");
    }
    find()?.context("pip downloaded no wheel")
}
