//! The client runtime every generated service shares: JSON on the wire, paths, validation,
//! errors. It is plain Rust, copied into each generated crate by the generator.

pub mod error;
pub mod json;
pub mod path;
pub mod unknown;
pub mod validate;
