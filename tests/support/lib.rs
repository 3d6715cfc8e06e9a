//! Helpers shared by the integration tests: where things are, and generating a crate from a
//! model the way `cargo xtask codegen` does.

use std::path::{Path, PathBuf};

use codegen::{CrateOptions, Emitted, OperationFilter};
pub mod loopback;
pub mod moto;
pub mod programs;

/// The workspace root.
pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("tests/ is inside the workspace").to_path_buf()
}

/// A small model written for the tests, under `tests/fixtures/models/`.
pub fn fixture(name: &str) -> PathBuf {
    workspace_root().join("tests/fixtures/models").join(name)
}

/// The pinned SageMaker model.
pub fn sagemaker_model() -> PathBuf {
    workspace_root().join("models/sagemaker/2017-07-24/service-2.json")
}

/// The options of a standalone crate generated from a test model: named `crate_name`, the model
/// labelled `label` in headers, the runtime as [`check_generated_crates`] reaches it.
fn fixture_options(label: &str, crate_name: &str) -> CrateOptions {
    CrateOptions {
        crate_name: Some(crate_name.to_string()),
        model_label: label.to_string(),
        command: "cargo xtask codegen".to_string(),
        standalone: true,
        runtime: runtime_for_checks(),
    }
}

/// Generates a standalone crate from the model at `path`, labelling it as `label` in headers.
pub fn generate(
    path: &Path,
    label: &str,
    filter: &OperationFilter,
    crate_name: &str,
) -> Result<Emitted, codegen::Error> {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("reading {}: {e}", path.display()));
    let options = fixture_options(label, crate_name);
    codegen::generate(label, &text, filter, &options)
}

/// What [`generate`] gives, with the botocore `paginators-1.json` at `paginators` read beside
/// the model (named `paginators-1.json` in errors).
pub fn generate_paginated(
    path: &Path,
    paginators: &Path,
    label: &str,
    filter: &OperationFilter,
    crate_name: &str,
) -> Result<Emitted, codegen::Error> {
    let read =
        |path: &Path| std::fs::read_to_string(path).unwrap_or_else(|e| panic!("reading {}: {e}", path.display()));
    let options = fixture_options(label, crate_name);
    let paginators = read(paginators);
    codegen::generate_with_extras(
        label,
        &read(path),
        &codegen::ModelExtras { paginators: Some(("paginators-1.json", &paginators)), ..Default::default() },
        "",
        filter,
        &options,
    )
}

/// The runtime crate as a crate checked by [`check_generated_crates`] reaches it: from
/// `target/generated-check/<name>/<crate>/`.
pub fn runtime_for_checks() -> codegen::RuntimeSource {
    codegen::RuntimeSource::Crate { path: "../../../../codegen/runtime".to_string() }
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

/// Writes generated files under `dir`.
pub fn write_crate(dir: &Path, emitted: &Emitted) {
    for file in &emitted.files {
        let path = dir.join(&file.path);
        std::fs::create_dir_all(path.parent().expect("files are inside the crate")).expect("creating a directory");
        std::fs::write(&path, &file.contents).expect("writing a generated file");
    }
}

/// Checks generated crates as a user's build would see them: writes them as members of one
/// workspace in `target/generated-check/<name>`, then runs clippy with warnings denied and
/// rustdoc with warnings denied. All such checks share one target directory, so the
/// dependencies compile once. Panics with cargo's output on failure.
pub fn check_generated_crates(name: &str, crates: Vec<(String, Emitted)>) {
    let root = workspace_root().join("target/generated-check");
    let dir = root.join(name);
    let _ = std::fs::remove_dir_all(&dir);
    let mut members = Vec::new();
    for (crate_dir, mut emitted) in crates {
        // Members of the workspace below, not standalone crates.
        for file in &mut emitted.files {
            if file.path == "Cargo.toml" {
                file.contents = file.contents.replace("\n[workspace]\n", "\n");
            }
        }
        write_crate(&dir.join(&crate_dir), &emitted);
        members.push(format!("\"{crate_dir}\""));
    }
    std::fs::write(
        dir.join("Cargo.toml"),
        format!("[workspace]\nresolver = \"3\"\nmembers = [{}]\n", members.join(", ")),
    )
    .expect("writing the workspace manifest");
    // The project's lock file pins the same dependency versions the generated crate is tested with.
    let _ = std::fs::copy(workspace_root().join("Cargo.lock"), dir.join("Cargo.lock"));

    let cargo = |args: &[&str], rustdocflags: Option<&str>| {
        let mut command = cargo();
        command.current_dir(&dir).args(args).env("CARGO_TARGET_DIR", root.join("target"));
        if let Some(flags) = rustdocflags {
            command.env("RUSTDOCFLAGS", flags);
        }
        let output = command.output().expect("running cargo");
        assert!(output.status.success(), "cargo {args:?} failed:\n{}", String::from_utf8_lossy(&output.stderr));
    };
    cargo(&["clippy", "--workspace", "--all-targets", "--quiet", "--", "-D", "warnings"], None);
    cargo(&["doc", "--workspace", "--no-deps", "--quiet"], Some("-D warnings"));
}

/// Generates a crate from a fixture model (`path`) with botocore waiters (`waiters`, the text of
/// a `waiters-2.json`), as [`generate_paginated`] does with paginators.
pub fn generate_waited(path: &Path, waiters: &str, label: &str, crate_name: &str) -> Result<Emitted, codegen::Error> {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("reading {}: {e}", path.display()));
    let options = fixture_options(label, crate_name);
    codegen::generate_with_extras(
        label,
        &text,
        &codegen::ModelExtras { waiters: Some(("waiters-2.json", waiters)), ..Default::default() },
        "",
        &OperationFilter::All,
        &options,
    )
}
