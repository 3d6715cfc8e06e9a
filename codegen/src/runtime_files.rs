//! The runtime's source files, compiled into the generator so it can copy them into every
//! generated crate (which then depends on nothing of ours).

/// (file name, source) of every file in `codegen/runtime/`.
pub const RUNTIME_FILES: &[(&str, &str)] = &[
    ("client.rs", include_str!("../runtime/client.rs")),
    ("config.rs", include_str!("../runtime/config.rs")),
    ("credentials.rs", include_str!("../runtime/credentials.rs")),
    ("endpoint.rs", include_str!("../runtime/endpoint.rs")),
    ("error.rs", include_str!("../runtime/error.rs")),
    ("http.rs", include_str!("../runtime/http.rs")),
    ("json.rs", include_str!("../runtime/json.rs")),
    ("mod.rs", include_str!("../runtime/mod.rs")),
    ("path.rs", include_str!("../runtime/path.rs")),
    ("profile.rs", include_str!("../runtime/profile.rs")),
    ("protocol.rs", include_str!("../runtime/protocol.rs")),
    ("region.rs", include_str!("../runtime/region.rs")),
    ("request_id.rs", include_str!("../runtime/request_id.rs")),
    ("retry.rs", include_str!("../runtime/retry.rs")),
    ("sign.rs", include_str!("../runtime/sign.rs")),
    ("unknown.rs", include_str!("../runtime/unknown.rs")),
    ("validate.rs", include_str!("../runtime/validate.rs")),
];
