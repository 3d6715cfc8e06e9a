//! What the two model front ends, [`botocore`](crate::botocore) and [`smithy`](crate::smithy),
//! read the same way: where a key is in the model's text (for error messages), the bounds of
//! `length` and `range` constraints, and the endpoint-parameter bindings (`clientContextParams`,
//! `staticContextParams`, `operationContextParams`, `contextParam`), whose values are the same
//! JSON in both.

use serde_json::Value;

use crate::ir::{ClientContextParam, ClientContextParamKind, Number, OperationContextParam, StaticParamValue};

/// `clientContextParams`: `{"Name": {"type": "boolean" | "string", "documentation": ..}}`.
pub(crate) fn client_context_params(value: &Value) -> Result<Vec<ClientContextParam>, String> {
    let object = value.as_object().ok_or("`clientContextParams` must be an object")?;
    object
        .iter()
        .map(|(name, param)| {
            let kind = match param.get("type").and_then(Value::as_str) {
                Some("boolean") => ClientContextParamKind::Boolean,
                Some("string") => ClientContextParamKind::String,
                other => {
                    return Err(format!(
                        "client context parameter `{name}`: `type` must be \"boolean\" or \"string\", found {other:?}"
                    ));
                }
            };
            let documentation = param.get("documentation").and_then(Value::as_str).map(str::to_string);
            Ok(ClientContextParam { name: name.clone(), kind, documentation })
        })
        .collect()
}

/// `staticContextParams`: `{"Name": {"value": true | "text" | ["a", ..]}}`.
pub(crate) fn static_context_params(value: &Value) -> Result<Vec<(String, StaticParamValue)>, String> {
    let object = value.as_object().ok_or("`staticContextParams` must be an object")?;
    object
        .iter()
        .map(|(name, param)| {
            let value = match param.get("value") {
                Some(Value::Bool(b)) => StaticParamValue::Bool(*b),
                Some(Value::String(s)) => StaticParamValue::String(s.clone()),
                Some(Value::Array(items)) => StaticParamValue::StringArray(
                    items
                        .iter()
                        .map(|item| item.as_str().map(str::to_string))
                        .collect::<Option<_>>()
                        .ok_or_else(|| format!("static context parameter `{name}`: a list of non-strings"))?,
                ),
                other => {
                    return Err(format!(
                        "static context parameter `{name}`: `value` must be a boolean, string or list of strings, found {other:?}"
                    ));
                }
            };
            Ok((name.clone(), value))
        })
        .collect()
}

/// `operationContextParams`: `{"Name": {"path": "A.B[*].C"}}`; each path must parse.
pub(crate) fn operation_context_params(value: &Value) -> Result<Vec<OperationContextParam>, String> {
    let object = value.as_object().ok_or("`operationContextParams` must be an object")?;
    object
        .iter()
        .map(|(name, param)| {
            let path = param
                .get("path")
                .and_then(Value::as_str)
                .ok_or_else(|| format!("operation context parameter `{name}` needs a string `path`"))?;
            crate::context_path::parse(path).map_err(|e| format!("operation context parameter `{name}`: {e}"))?;
            Ok(OperationContextParam { name: name.clone(), path: path.to_string() })
        })
        .collect()
}

/// `contextParam`: `{"name": "Bucket"}`.
pub(crate) fn context_param(value: &Value) -> Result<String, String> {
    value
        .get("name")
        .and_then(Value::as_str)
        .map(str::to_string)
        .ok_or_else(|| format!("`contextParam` needs a string `name`, found {value}"))
}

/// The 1-based line where `key` is defined in `text`: as a key of the top-level object's
/// `section` (e.g. a shape in `shapes`), or with no section, as the first key of that name in
/// any object. A key of the same name deeper down (a member named like a shape) or inside a
/// string does not count. Found by one pass over the text that follows strings and nesting,
/// without building the document; `None` when the text has no such key.
pub(crate) fn line_of_key(text: &str, section: Option<&str>, key: &str) -> Option<usize> {
    let bytes = text.as_bytes();
    let (mut at, mut line, mut depth) = (0, 1, 0usize);
    // The depth of the section's own keys, while the scan is inside the section's object.
    let mut inside_section: Option<usize> = None;
    let mut section_is_next = false;
    while at < bytes.len() {
        match bytes[at] {
            b'\n' => line += 1,
            b'{' | b'[' => {
                depth += 1;
                if std::mem::take(&mut section_is_next) && bytes[at] == b'{' {
                    inside_section = Some(depth);
                }
            }
            b'}' | b']' => {
                if inside_section == Some(depth) {
                    inside_section = None;
                }
                depth = depth.saturating_sub(1);
            }
            b'"' => {
                let (string, end) = json_string(bytes, at)?;
                let is_key = bytes[end..].iter().find(|b| !b.is_ascii_whitespace()) == Some(&b':');
                if is_key {
                    match section {
                        None if string == key.as_bytes() => return Some(line),
                        Some(_) if inside_section == Some(depth) && string == key.as_bytes() => return Some(line),
                        Some(section) if depth == 1 && string == section.as_bytes() => section_is_next = true,
                        _ => {}
                    }
                }
                line += bytes[at..end].iter().filter(|b| **b == b'\n').count();
                at = end;
                continue;
            }
            _ => {}
        }
        at += 1;
    }
    None
}

/// The raw bytes of the JSON string starting at `start` (its opening quote), and where the text
/// after its closing quote starts. Escapes are kept as written: keys looked up have none.
fn json_string(bytes: &[u8], start: usize) -> Option<(&[u8], usize)> {
    let mut at = start + 1;
    while at < bytes.len() {
        match bytes[at] {
            b'\\' => at += 2,
            b'"' => return Some((&bytes[start + 1..at], at + 1)),
            _ => at += 1,
        }
    }
    None
}

/// A bound of a length constraint (`which` is `min` or `max`): a non-negative integer, also when
/// written as a float with no fraction (`5.0`). The error says which bound and what was found.
pub(crate) fn length_bound(which: &str, value: &Value) -> Result<u64, String> {
    value
        .as_number()
        .and_then(|n| n.as_u64().or_else(|| n.as_f64().filter(|f| f.fract() == 0.0 && *f >= 0.0).map(|f| f as u64)))
        .ok_or_else(|| format!("`{which}` must be a non-negative integer, found {value}"))
}

/// A bound of a range constraint, kept exact when it is an integer.
pub(crate) fn range_bound(n: &serde_json::Number) -> Number {
    match n.as_i64() {
        Some(i) => Number::Int(i),
        None => Number::Float(n.as_f64().unwrap_or(f64::NAN)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_of_key_finds_the_key_followed_by_a_colon_after_the_section() {
        let text = "{\n  \"operations\": {\"A\": 1},\n  \"x\": \"A\",\n  \"shapes\": {\n    \"A\": {}\n  }\n}";
        assert_eq!(line_of_key(text, None, "A"), Some(2));
        assert_eq!(line_of_key(text, Some("shapes"), "A"), Some(5));
        assert_eq!(line_of_key(text, Some("missing"), "A"), None);
        assert_eq!(line_of_key(text, None, "B"), None);
    }

    #[test]
    fn line_of_key_in_a_section_is_the_section_key_not_a_deeper_one_of_the_same_name() {
        let text = "{\n \"shapes\": {\n  \"A\": {\"members\": {\"B\": {\"shape\": \"B\"}}},\n  \"s\": \"\\\"B\\\": {\",\n  \"B\": {}\n },\n \"B\": 1\n}";
        assert_eq!(line_of_key(text, Some("shapes"), "B"), Some(5));
        assert_eq!(line_of_key(text, Some("shapes"), "A"), Some(3));
        assert_eq!(line_of_key(text, Some("shapes"), "C"), None);
        assert_eq!(line_of_key(text, None, "B"), Some(3), "with no section, the first key of that name");
    }

    #[test]
    fn length_bounds_are_non_negative_integers() {
        assert_eq!(length_bound("min", &serde_json::json!(5)), Ok(5));
        assert_eq!(length_bound("min", &serde_json::json!(5.0)), Ok(5));
        for bad in [serde_json::json!(-1), serde_json::json!(1.5), serde_json::json!("5")] {
            let e = length_bound("max", &bad).unwrap_err();
            assert_eq!(e, format!("`max` must be a non-negative integer, found {bad}"));
        }
    }

    #[test]
    fn range_bounds_stay_exact_when_integers() {
        let number = |v: Value| v.as_number().cloned().unwrap();
        assert_eq!(range_bound(&number(serde_json::json!(-3))), Number::Int(-3));
        assert_eq!(range_bound(&number(serde_json::json!(0.5))), Number::Float(0.5));
    }
}
