//! The hand-written part of the crate `cargo xtask protocol-tests` generates: the clients'
//! config, building responses, observing requests and values as botocore's protocol suites
//! write them, and the loop that runs every case. The generated crate adds a module per suite
//! (the client the generator makes from the suite's model) and the cases as code.

pub mod observe;
pub mod support;

/// A case: its key in the harness's list, and the function that runs it and returns what the
/// client did.
pub type Case = (&'static str, fn() -> serde_json::Value);

/// Runs every case and prints what the client did, a JSON line per case; a case that panics
/// prints the panic as its failure, and the others still run.
pub fn run(cases: &[Case]) {
    for (key, case) in cases {
        let observed = match std::panic::catch_unwind(case) {
            Ok(observed) => observed,
            Err(panic) => {
                let text = panic
                    .downcast_ref::<String>()
                    .cloned()
                    .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
                    .unwrap_or_default();
                serde_json::json!({"failure": format!("panicked: {text}")})
            }
        };
        println!("{}", serde_json::json!({"key": key, "observed": observed}));
    }
}
