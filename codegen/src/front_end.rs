//! What the two model front ends, [`botocore`](crate::botocore) and [`smithy`](crate::smithy),
//! read the same way: where a key is in the model's text (for error messages), and the bounds of
//! `length` and `range` constraints.

use serde_json::Value;

use crate::ir::Number;

/// The 1-based line of the first `"key":` in `text`, or the first after `"section"` when a section
/// is given (`None` if the section is not there), found textually: good enough to point a person
/// at the right place, and cheap. The keys looked up (shape and operation names) are unique in
/// their section, so the first one followed by a colon is the definition.
pub(crate) fn line_of_key(text: &str, section: Option<&str>, key: &str) -> Option<usize> {
    let mut from = match section {
        None => 0,
        Some(section) => text.find(&format!("\"{section}\""))?,
    };
    let needle = format!("\"{key}\"");
    while let Some(offset) = text[from..].find(&needle) {
        let at = from + offset;
        if text[at + needle.len()..].trim_start().starts_with(':') {
            return Some(text[..at].matches('\n').count() + 1);
        }
        from = at + needle.len();
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
