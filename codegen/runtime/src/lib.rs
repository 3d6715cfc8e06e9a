//! The client runtime every awsgen-generated service crate shares: the config loaded once and
//! handed to every client, credentials, regions, HTTP, signing, retries, endpoint rules, the
//! wire formats (JSON, CBOR, XML, form queries) and the REST protocols' HTTP bindings (URI,
//! query string, headers), paths, validation, errors and request ids.
//!
//! Generated crates depend on this crate and reach it as `::awsgen_runtime`, so a program using
//! several services compiles it once and shares one [`Config`](config::Config) (one credential
//! cache, one connection pool) between their clients. `cargo xtask codegen --inline-runtime`
//! instead copies these files into a crate as its `runtime` module, for a crate that must stand
//! alone; the files therefore reach each other through `super::`, which means the same in both.

#![warn(missing_docs)]
// Errors carry what the response said (metadata, body) by value, as users match on them; the
// error path is not hot enough to be worth boxes.
#![allow(clippy::result_large_err)]

/// The runtime under the name generated code gives it (`crate::runtime`), for the clients
/// generated into this crate (`credentials::clients`). In a crate that carries the runtime as
/// its `runtime` module, that path already names it, and this alias is not used.
#[allow(unused_imports)]
use crate as runtime;

pub mod body;
pub mod cbor;
pub mod checksum;
pub mod client;
pub mod config;
pub mod credentials;
pub mod endpoint;
pub mod endpoint_settings;
pub mod error;
pub mod http;
pub mod http_bindings;
pub mod join;
pub mod json;
mod json_reader;
pub mod number;
pub mod operation;
pub mod paginator;
pub mod path;
pub mod profile;
pub mod protocol;
pub mod proxy;
pub mod query;
pub mod rate_limit;
pub mod region;
pub mod request_id;
pub mod retry;
pub mod sign;
mod telemetry;
#[cfg(feature = "test-util")]
pub mod test_util;
pub mod unknown;
pub mod validate;
pub mod waiter;
pub mod xml;
