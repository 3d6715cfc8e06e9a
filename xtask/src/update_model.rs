//! `cargo xtask update-model --botocore-version V`: refresh the pinned model from PyPI.
//!
//! pip downloads the botocore wheel of that version; the model files are taken out of it
//! (botocore ships them gzipped under `botocore/data/`), written under `models/`, and their
//! provenance (package, version, path inside the package, sha256) goes to
//! `models/provenance.json`. Then the client is regenerated.

use std::fs;
use std::process::Command;

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

pub fn run(args: &[String]) -> anyhow::Result<()> {
    let mut args = Args::new(args);
    let Some(version) = args.value("--botocore-version")? else {
        bail!("usage: cargo xtask update-model --botocore-version V (e.g. 1.44.5)");
    };
    args.finish()?;
    if !version.chars().all(|c| c.is_ascii_digit() || c == '.') {
        bail!("`{version}` is not a botocore version (expected digits and dots, e.g. 1.44.5)");
    }

    let root = workspace_root();
    let defaults = Defaults::load()?;
    let model_dir = std::path::Path::new(&defaults.model)
        .parent()
        .and_then(|p| p.strip_prefix("models").ok())
        .context("models/codegen.json: `model` must be a file under models/")?
        .to_string_lossy()
        .replace('\\', "/");

    let wheel = download_wheel(&root, &version)?;

    let target = root.join("models").join(&model_dir);
    fs::create_dir_all(&target)?;
    let output = Command::new("python3")
        .arg("-c")
        .arg(EXTRACT)
        .arg(&wheel)
        .arg(root.join("models"))
        .arg(&model_dir)
        .args(MODEL_FILES)
        .args(SHARED_FILES)
        .output()
        .context("running python3 to unpack the wheel")?;
    if !output.status.success() {
        bail!("unpacking {} failed:\n{}", wheel.display(), String::from_utf8_lossy(&output.stderr));
    }
    let files: serde_json::Value = serde_json::from_slice(&output.stdout).context("reading the unpacker's output")?;
    let provenance = serde_json::json!({
        "package": "botocore",
        "version": version,
        "source": format!("the botocore {version} wheel on PyPI (pip download botocore=={version})"),
        "files": files,
    });
    let provenance_path = root.join("models/provenance.json");
    fs::write(&provenance_path, serde_json::to_string_pretty(&provenance)? + "\n")?;
    println!("update-model: botocore {version} → models/{model_dir}; provenance in models/provenance.json");
    crate::codegen::run(&[])
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
