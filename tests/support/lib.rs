//! Helpers shared by the integration tests: where things are, and generating a crate from a
//! model the way `cargo xtask codegen` does.

use std::path::{Path, PathBuf};

use codegen::{CrateOptions, Emitted, OperationFilter};
pub mod moto;

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

/// Generates a standalone crate from the model at `path`, labelling it as `label` in headers.
pub fn generate(
    path: &Path,
    label: &str,
    filter: &OperationFilter,
    crate_name: &str,
) -> Result<Emitted, codegen::Error> {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("reading {}: {e}", path.display()));
    let options = CrateOptions {
        crate_name: crate_name.to_string(),
        model_label: label.to_string(),
        command: "cargo xtask codegen".to_string(),
        standalone: true,
    };
    codegen::generate(label, &text, filter, &options)
}

/// Writes generated files under `dir`.
pub fn write_crate(dir: &Path, emitted: &Emitted) {
    for file in &emitted.files {
        let path = dir.join(&file.path);
        std::fs::create_dir_all(path.parent().expect("files are inside the crate")).expect("creating a directory");
        std::fs::write(&path, &file.contents).expect("writing a generated file");
    }
}
