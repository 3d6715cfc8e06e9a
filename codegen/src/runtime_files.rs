//! The runtime's source files, compiled into the generator so it can copy them into every
//! generated crate (which then depends on nothing of ours).

/// (file name, source) of every file in `codegen/runtime/`.
pub const RUNTIME_FILES: &[(&str, &str)] = &[
    ("client.rs", include_str!("../runtime/src/client.rs")),
    ("config.rs", include_str!("../runtime/src/config.rs")),
    ("credentials.rs", include_str!("../runtime/src/credentials.rs")),
    ("endpoint/eval.rs", include_str!("../runtime/src/endpoint/eval.rs")),
    ("endpoint/functions.rs", include_str!("../runtime/src/endpoint/functions.rs")),
    ("endpoint/mod.rs", include_str!("../runtime/src/endpoint/mod.rs")),
    ("endpoint/partitions.rs", include_str!("../runtime/src/endpoint/partitions.rs")),
    ("endpoint/rules.rs", include_str!("../runtime/src/endpoint/rules.rs")),
    ("error.rs", include_str!("../runtime/src/error.rs")),
    ("http.rs", include_str!("../runtime/src/http.rs")),
    ("json.rs", include_str!("../runtime/src/json.rs")),
    ("mod.rs", include_str!("../runtime/src/lib.rs")),
    ("number.rs", include_str!("../runtime/src/number.rs")),
    ("operation.rs", include_str!("../runtime/src/operation.rs")),
    ("paginator.rs", include_str!("../runtime/src/paginator.rs")),
    ("path.rs", include_str!("../runtime/src/path.rs")),
    ("profile.rs", include_str!("../runtime/src/profile.rs")),
    ("protocol/aws_json.rs", include_str!("../runtime/src/protocol/aws_json.rs")),
    ("protocol/mod.rs", include_str!("../runtime/src/protocol/mod.rs")),
    ("region.rs", include_str!("../runtime/src/region.rs")),
    ("request_id.rs", include_str!("../runtime/src/request_id.rs")),
    ("retry.rs", include_str!("../runtime/src/retry.rs")),
    ("sign.rs", include_str!("../runtime/src/sign.rs")),
    ("unknown.rs", include_str!("../runtime/src/unknown.rs")),
    ("validate.rs", include_str!("../runtime/src/validate.rs")),
    ("waiter.rs", include_str!("../runtime/src/waiter.rs")),
    ("wire_numbers.rs", include_str!("../runtime/src/wire_numbers.rs")),
];
