//! Generates Rust clients from AWS service models.
//!
//! The pipeline: a front end reads the model ([`botocore`] JSON) into one shape graph
//! ([`ir`]); [`graph`] selects the operations and walks their closure; [`naming`] gives every
//! item its Rust name; [`emit`] builds tokens that [`render`] formats into files.

pub mod botocore;
pub mod docs;
pub mod emit;
pub mod error;
pub mod graph;
pub mod ir;
pub mod naming;
pub mod render;
mod runtime_files;

pub use emit::{CrateOptions, Emitted};
pub use error::ModelError;
pub use graph::OperationFilter;
pub use render::GeneratedFile;

use std::fmt;

/// Why generation failed.
#[derive(Debug)]
pub enum Error {
    /// The model cannot be used.
    Model(ModelError),
    /// The generator built something that is not valid Rust: a bug in the generator.
    Emit(String),
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Model(e) => write!(f, "{e}"),
            Error::Emit(e) => write!(f, "{e}"),
        }
    }
}

impl std::error::Error for Error {}

impl From<ModelError> for Error {
    fn from(e: ModelError) -> Self {
        Error::Model(e)
    }
}

/// Reads a model file's text. `file` names it in error messages.
pub fn parse_model(file: &str, text: &str) -> Result<ir::Model, ModelError> {
    botocore::parse(file, text)
}

/// Generates a crate for the operations `filter` selects from the model in `text`.
pub fn generate(file: &str, text: &str, filter: &OperationFilter, options: &CrateOptions) -> Result<Emitted, Error> {
    let model = parse_model(file, text)?;
    let selection = graph::select(file, &model, filter)?;
    emit::emit(&model, &selection, options).map_err(Error::Emit)
}
