//! Why a CBOR body could not be read: where, and what went wrong.

use std::fmt;

use super::super::path::Path;

/// A CBOR value that could not be read into the type the model gives it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CborError {
    /// Where the value is, e.g. `items[2].price`; empty for the top-level value.
    pub path: String,
    /// The byte offset in the body of the data item at fault.
    pub offset: usize,
    /// What went wrong.
    pub kind: CborErrorKind,
}

/// What went wrong reading a CBOR body.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum CborErrorKind {
    /// The bytes are not well-formed CBOR: truncated, a reserved header, a length past the end of
    /// the body, a break out of place, a text string that is not UTF-8.
    Malformed(String),
    /// Arrays, maps and tags nest deeper than [`MAX_DEPTH`](super::MAX_DEPTH).
    TooDeep,
    /// The value is of another CBOR type than the model's.
    UnexpectedType {
        /// What the model wants, e.g. `an integer`.
        expected: &'static str,
        /// What the body holds, e.g. `a text string`.
        found: &'static str,
    },
    /// A number that does not fit its type, e.g. 2^31 for an `Integer`.
    OutOfRange(String),
    /// Bytes left after the top-level value.
    TrailingBytes,
}

impl CborError {
    /// An error of `kind` at `path`, in the data item at `offset`.
    pub fn new(path: &Path<'_>, offset: usize, kind: CborErrorKind) -> Self {
        CborError { path: path.to_string(), offset, kind }
    }
}

impl fmt::Display for CborErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CborErrorKind::Malformed(message) => write!(f, "malformed CBOR: {message}"),
            CborErrorKind::TooDeep => write!(f, "values nest deeper than {} levels", super::MAX_DEPTH),
            CborErrorKind::UnexpectedType { expected, found } => write!(f, "expected {expected}, found {found}"),
            CborErrorKind::OutOfRange(message) => f.write_str(message),
            CborErrorKind::TrailingBytes => f.write_str("bytes left after the value"),
        }
    }
}

impl fmt::Display for CborError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if !self.path.is_empty() {
            write!(f, "at `{}`: ", self.path)?;
        }
        write!(f, "{} (byte {})", self.kind, self.offset)
    }
}

impl std::error::Error for CborError {}
