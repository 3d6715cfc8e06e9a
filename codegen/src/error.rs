//! Errors in a model, each naming where it is: the file, a line when known, and the shape or
//! member path.

use std::fmt;

/// A model the generator cannot use, and where the problem is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ModelError {
    /// The model file (as the caller named it).
    pub file: String,
    /// The line in the file, when the problem is a JSON syntax error.
    pub line: Option<usize>,
    /// The column in the file, when the problem is a JSON syntax error.
    pub column: Option<usize>,
    /// The shape, member or operation path, e.g. `shape CreateModelPackageInput, member Tags`.
    pub location: Option<String>,
    /// What is wrong.
    pub message: String,
}

impl ModelError {
    /// An error about a place in the model's shape graph.
    pub fn at(file: &str, location: impl Into<String>, message: impl Into<String>) -> Self {
        ModelError {
            file: file.to_string(),
            line: None,
            column: None,
            location: Some(location.into()),
            message: message.into(),
        }
    }

    /// An error about the file as a whole.
    pub fn file(file: &str, message: impl Into<String>) -> Self {
        ModelError { file: file.to_string(), line: None, column: None, location: None, message: message.into() }
    }

    /// An error from the JSON parser, with its line and column.
    pub fn json(file: &str, error: &serde_json::Error) -> Self {
        let what = match error.classify() {
            serde_json::error::Category::Eof => "the JSON ends early (truncated file?)",
            serde_json::error::Category::Syntax => "invalid JSON",
            serde_json::error::Category::Data => "unexpected JSON structure",
            serde_json::error::Category::Io => "could not read",
        };
        // serde_json's Display repeats the position; keep only its description.
        let detail = error.to_string();
        let detail = detail.split(" at line ").next().unwrap_or(&detail).to_string();
        ModelError {
            file: file.to_string(),
            line: Some(error.line()),
            column: Some(error.column()),
            location: None,
            message: format!("{what}: {detail}"),
        }
    }
}

impl fmt::Display for ModelError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file)?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
            if let Some(column) = self.column {
                write!(f, ":{column}")?;
            }
        }
        if let Some(location) = &self.location {
            write!(f, ": {location}")?;
        }
        write!(f, ": {}", self.message)
    }
}

impl std::error::Error for ModelError {}
