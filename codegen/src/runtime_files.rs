//! The runtime's source files, compiled into the generator so it can copy them into every
//! generated crate (which then depends on nothing of ours).

/// (file name, source) of every file in `codegen/runtime/`.
pub const RUNTIME_FILES: &[(&str, &str)] = &[
    ("error.rs", include_str!("../runtime/error.rs")),
    ("json.rs", include_str!("../runtime/json.rs")),
    ("mod.rs", include_str!("../runtime/mod.rs")),
    ("path.rs", include_str!("../runtime/path.rs")),
    ("unknown.rs", include_str!("../runtime/unknown.rs")),
    ("validate.rs", include_str!("../runtime/validate.rs")),
];
