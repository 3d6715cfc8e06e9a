//! Arbitrary JSON values for the property tests of the readers: every JSON type, numbers at the
//! edges of the integer and float types, and strings shaped like what typed members parse
//! (timestamps, base64, the special floats) or in need of escaping. Included as a module by
//! `codegen/runtime/tests/properties.rs` and `codegen/runtime/tests/json_reader_properties.rs`.

use proptest::prelude::*;
use serde_json::Value;

/// Any JSON value, nested up to four levels.
pub fn any_json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        any::<f64>().prop_map(|f| serde_json::Number::from_f64(f).map_or(Value::Null, Value::Number)),
        prop_oneof![Just(3.0f64), Just(-0.0), Just(1e300), Just(9.3e18), Just(2147483648.0), Just(1.5)]
            .prop_map(|f| serde_json::Number::from_f64(f).map_or(Value::Null, Value::Number)),
        prop_oneof![
            "\\PC{0,12}",
            "(\\PC|[\\x00-\\x1f\"\\\\])*",
            Just("NaN".to_string()),
            Just("-Infinity".to_string()),
            "[A-Za-z0-9+/]{0,12}={0,2}",
            "[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]{1,12})?(Z|[+-][0-9]{2}:[0-9]{2})?",
            "-?[0-9]{1,20}(\\.[0-9]{0,12})?(e[+-]?[0-9]{1,3})?",
        ]
        .prop_map(Value::String),
    ];
    leaf.prop_recursive(4, 32, 5, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..5).prop_map(Value::Array),
            prop::collection::hash_map("\\PC{0,6}", inner, 0..5).prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}
