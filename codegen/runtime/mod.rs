//! The client runtime every generated service shares: JSON on the wire, paths, validation,
//! errors and request ids, credentials, regions, retries, HTTP and signing. It is plain Rust, copied into each
//! generated crate by the generator, so a generated crate depends on nothing of ours.

pub mod client;
pub mod config;
pub mod credentials;
pub mod endpoint;
pub mod error;
pub mod http;
pub mod json;
pub mod path;
pub mod profile;
pub mod protocol;
pub mod region;
pub mod request_id;
pub mod retry;
pub mod sign;
pub mod unknown;
pub mod validate;
