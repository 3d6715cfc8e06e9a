//! What the snapshots show must also compile: every fixture model is generated into one
//! workspace, which must pass clippy with warnings denied and build its docs without warnings.

use std::process::Command;

use awsgen_tests::{fixture, generate, workspace_root, write_crate};
use codegen::OperationFilter;

const FIXTURES: &[(&str, &str)] =
    &[("odd_names.json", "odd-names"), ("recursive.json", "recursive"), ("documentation.json", "documentation")];

#[test]
fn every_fixture_crate_is_warning_free_under_clippy_and_rustdoc() {
    let dir = workspace_root().join("target/fixture-crates");
    let _ = std::fs::remove_dir_all(dir.join("crates"));
    let mut members = Vec::new();
    for (model, name) in FIXTURES {
        let mut emitted = generate(&fixture(model), model, &OperationFilter::All, name).unwrap();
        // Members of the workspace below, not standalone crates.
        for file in &mut emitted.files {
            if file.path == "Cargo.toml" {
                file.contents = file.contents.replace("\n[workspace]\n", "\n");
            }
        }
        write_crate(&dir.join("crates").join(name), &emitted);
        members.push(format!("\"crates/{name}\""));
    }
    std::fs::write(
        dir.join("Cargo.toml"),
        format!("[workspace]\nresolver = \"3\"\nmembers = [{}]\n", members.join(", ")),
    )
    .unwrap();

    let cargo = |args: &[&str], rustdocflags: Option<&str>| {
        let mut command = Command::new(env!("CARGO"));
        command.current_dir(&dir).args(args).env("CARGO_TARGET_DIR", dir.join("target"));
        if let Some(flags) = rustdocflags {
            command.env("RUSTDOCFLAGS", flags);
        }
        let output = command.output().unwrap();
        assert!(output.status.success(), "cargo {args:?} failed:\n{}", String::from_utf8_lossy(&output.stderr));
    };
    cargo(&["clippy", "--workspace", "--all-targets", "--quiet", "--", "-D", "warnings"], None);
    cargo(&["doc", "--workspace", "--no-deps", "--quiet"], Some("-D warnings"));
}
