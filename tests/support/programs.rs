//! What the tests that generate crates from moto's botocore and build programs on them share:
//! finding the models, reading them, writing the crates without touching unchanged files (so
//! cargo rebuilds only what changed), and the workspace's profiles for their builds.

use std::collections::BTreeMap;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::Command;

use codegen::Emitted;

use crate::moto::moto_python;
use crate::workspace_root;

/// The botocore data directory of moto's virtualenv (botocore 1.44.5), as its Python finds it.
pub fn botocore_data() -> PathBuf {
    let python = moto_python();
    let output = Command::new(&python)
        .args(["-c", "import botocore, os; print(os.path.join(os.path.dirname(botocore.__file__), 'data'))"])
        .output()
        .unwrap_or_else(|e| panic!("running {}: {e}", python.display()));
    assert!(output.status.success(), "importing botocore: {}", String::from_utf8_lossy(&output.stderr));
    PathBuf::from(String::from_utf8(output.stdout).expect("a UTF-8 path").trim())
}

/// A gzip-compressed model file's text (botocore ships its models as `.json.gz`).
pub fn gunzip(path: &Path) -> String {
    let file = std::fs::File::open(path).unwrap_or_else(|e| panic!("opening {}: {e}", path.display()));
    let mut text = String::new();
    flate2::read::GzDecoder::new(file)
        .read_to_string(&mut text)
        .unwrap_or_else(|e| panic!("decompressing {}: {e}", path.display()));
    text
}

/// Writes `text` to `path` unless it already holds it.
pub fn write_if_changed(path: &Path, text: &str) {
    if std::fs::read_to_string(path).ok().as_deref() == Some(text) {
        return;
    }
    std::fs::create_dir_all(path.parent().expect("a file in a directory")).expect("creating a directory");
    std::fs::write(path, text).unwrap_or_else(|e| panic!("writing {}: {e}", path.display()));
}

/// Writes `files` under `dir`, leaving unchanged files alone and removing others under `src/`.
pub fn sync_files(dir: &Path, files: &[(String, String)]) {
    let wanted: BTreeMap<PathBuf, &str> = files.iter().map(|(path, text)| (dir.join(path), text.as_str())).collect();
    let mut stack = vec![dir.join("src")];
    while let Some(at) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&at) else { continue };
        for entry in entries {
            let path = entry.expect("reading a directory entry").path();
            if path.is_dir() {
                stack.push(path);
            } else if !wanted.contains_key(&path) {
                std::fs::remove_file(&path).unwrap_or_else(|e| panic!("removing {}: {e}", path.display()));
            }
        }
    }
    for (path, text) in wanted {
        write_if_changed(&path, text);
    }
}

/// The package name of a generated crate, from its `Cargo.toml`.
pub fn package_name(emitted: &Emitted) -> String {
    let manifest = emitted.files.iter().find(|f| f.path == "Cargo.toml").expect("a generated Cargo.toml");
    manifest
        .contents
        .lines()
        .find_map(|line| line.strip_prefix("name = "))
        .map(|name| name.trim().trim_matches('"').to_string())
        .expect("a package name")
}

/// The workspace's `[profile.*]` tables, so a program's dependencies are built as the
/// workspace builds them (and shared with its target directory).
pub fn workspace_profiles() -> String {
    let manifest = std::fs::read_to_string(workspace_root().join("Cargo.toml")).expect("reading Cargo.toml");
    let mut out = String::new();
    let mut in_profile = false;
    for line in manifest.lines() {
        if line.starts_with('[') {
            in_profile = line.starts_with("[profile.");
        }
        if in_profile {
            out.push_str(line);
            out.push('\n');
        }
    }
    out
}

/// `cargo args` in the program workspace `dir`, built into the workspace's target directory
/// (so the dependencies it has compiled are reused), with rustdoc warnings denied; panics with
/// its output on failure, else gives its stdout.
pub fn cargo_in(dir: &Path, args: &[&str]) -> String {
    let root = workspace_root();
    let target = std::env::var_os("CARGO_TARGET_DIR").map(|dir| root.join(dir)).unwrap_or_else(|| root.join("target"));
    let output = crate::cargo()
        .current_dir(dir)
        .args(args)
        .env("CARGO_TARGET_DIR", &target)
        .env("RUSTDOCFLAGS", "-D warnings")
        .output()
        .expect("running cargo");
    let stdout = String::from_utf8_lossy(&output.stdout).to_string();
    assert!(output.status.success(), "cargo {args:?} failed:\n{stdout}\n{}", String::from_utf8_lossy(&output.stderr));
    stdout
}
