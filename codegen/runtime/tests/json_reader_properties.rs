//! Property tests of the JSON pull tokenizer (`json::JsonReader`) and the typed readers over
//! it (`FromJson::read_json`, `json::read_body`), against serde_json and the `Value` readers
//! they replace for response bodies.
//!
//! On any bytes the tokenizer accepts exactly what serde_json accepts and builds the same value;
//! on truncated and mutated documents likewise; typed reads of a body give what the `Value`
//! path gives. Never a panic; a reader holds at most the values it returns plus one frame per
//! open container (the depth limit bounds both the recursion and the skipping). The number of
//! cases is fixed per test; `PROPTEST_CASES=N` raises it. Failures are not persisted.

use std::collections::HashMap;

use aws_smithy_types::date_time::Format;
use aws_smithy_types::{Blob, DateTime, Document};
use awsgen_runtime::json::{self, BodyError, FromJson, JsonReader};
use awsgen_runtime::path::Path;
use proptest::prelude::*;
use serde_json::Value;

#[path = "common/json_values.rs"]
mod json_values;
use json_values::any_json;

/// `cases` cases (or `PROPTEST_CASES`), nothing written to disk, shrinking bounded.
fn config(cases: u32) -> ProptestConfig {
    let cases = std::env::var("PROPTEST_CASES").ok().and_then(|n| n.parse().ok()).unwrap_or(cases);
    ProptestConfig { cases, failure_persistence: None, max_shrink_iters: 1024, ..ProptestConfig::default() }
}

/// JSON texts of a value: compact, pretty, and with escapes for every non-ASCII character.
fn texts(value: &Value) -> Vec<Vec<u8>> {
    let compact = value.to_string();
    let ascii: String = compact
        .chars()
        .map(|c| {
            if c.is_ascii() {
                c.to_string()
            } else {
                c.encode_utf16(&mut [0; 2]).iter().map(|u| format!("\\u{u:04x}")).collect()
            }
        })
        .collect();
    vec![compact.into_bytes(), serde_json::to_vec_pretty(value).expect("serialises"), ascii.into_bytes()]
}

/// The value the tokenizer reads from `bytes` (the whole of it), or its error.
fn tokens(bytes: &[u8]) -> Result<Value, String> {
    let mut reader = JsonReader::new(bytes);
    let root = Path::Root;
    let value = reader.read_value(&root).map_err(|e| e.to_string())?;
    reader.end(&root).map_err(|e| e.to_string())?;
    Ok(value)
}

/// The tokenizer and serde_json agree on `bytes`: both refuse it, or both give the same value.
fn agrees_with_serde_json(bytes: &[u8]) -> Result<(), TestCaseError> {
    let ours = tokens(bytes);
    let theirs = serde_json::from_slice::<Value>(bytes);
    match (&ours, &theirs) {
        (Ok(ours), Ok(theirs)) => {
            prop_assert_eq!(ours, theirs);
            // Numbers compare by value; their texts say whether the kinds (u64, i64, f64) agree.
            prop_assert_eq!(ours.to_string(), theirs.to_string());
        }
        (Err(ours), Err(_)) => prop_assert!(ours.contains("not JSON"), "{}", ours),
        _ => prop_assert!(
            false,
            "{:?} vs serde_json {:?} on {:?}",
            ours,
            theirs.map_err(|e| e.to_string()),
            String::from_utf8_lossy(bytes)
        ),
    }
    // Skipping accepts exactly the same texts.
    let mut reader = JsonReader::new(bytes);
    let skipped = reader.skip(&Path::Root).and_then(|()| reader.end(&Path::Root));
    prop_assert_eq!(skipped.is_ok(), ours.is_ok());
    Ok(())
}

/// Reads `body` as a `T` both ways, token by token and through a parsed `Value`: the same value,
/// or errors on both sides (the body's first misfit in document order may not be the `Value`
/// reader's first, which walks objects in key order, so only the path's root is compared).
fn typed_agree<T: FromJson + PartialEq + std::fmt::Debug>(body: &[u8]) -> Result<(), TestCaseError> {
    let ours = json::read_body::<T>(body);
    let theirs = serde_json::from_slice::<Value>(body).map(|value| T::from_json(&value, &Path::Root));
    match (ours, theirs) {
        (Ok(ours), Ok(Ok(theirs))) => prop_assert_eq!(ours, theirs),
        (Err(BodyError::DoesNotFit(error)), Ok(Err(_))) => prop_assert!(!error.message.is_empty()),
        (Err(BodyError::NotJson(_)), Err(_)) => {}
        (ours, theirs) => prop_assert!(
            false,
            "{:?} vs {:?} on {}",
            ours,
            theirs.map_err(|e| e.to_string()),
            String::from_utf8_lossy(body)
        ),
    }
    Ok(())
}

/// A byte that changes what JSON means where it lands.
fn significant_byte() -> impl Strategy<Value = u8> {
    prop_oneof![prop::sample::select(&b"{}[],:\"\\ -+.eE0123456789ntfu"[..]), any::<u8>(),]
}

proptest! {
    #![proptest_config(config(512))]

    /// Any JSON value, in several writings: the tokenizer reads what serde_json parses.
    #[test]
    fn valid_documents_read_as_serde_json_reads_them(value in any_json()) {
        for text in texts(&value) {
            agrees_with_serde_json(&text)?;
        }
    }

    /// Arbitrary bytes: refused or read exactly as serde_json does, never a panic.
    #[test]
    fn arbitrary_bytes(bytes in prop::collection::vec(any::<u8>(), 0..64)) {
        agrees_with_serde_json(&bytes)?;
    }

    /// Valid documents cut short, or with a byte replaced, inserted or removed.
    #[test]
    fn truncated_and_mutated_documents(
        value in any_json(),
        at in any::<prop::sample::Index>(),
        byte in significant_byte(),
        how in 0..4u8,
    ) {
        let mut text = value.to_string().into_bytes();
        let place = at.index(text.len() + 1);
        match how {
            0 => text.truncate(place),
            1 if place < text.len() => text[place] = byte,
            2 => text.insert(place, byte),
            _ if place < text.len() => {
                text.remove(place);
            }
            _ => {}
        }
        agrees_with_serde_json(&text)?;
        typed_agree::<Document>(&text)?;
    }

    /// Typed reads of any body give what the `Value` readers give.
    #[test]
    fn typed_reads_match_the_value_readers(value in any_json()) {
        let body = value.to_string().into_bytes();
        typed_agree::<String>(&body)?;
        typed_agree::<bool>(&body)?;
        typed_agree::<i32>(&body)?;
        typed_agree::<i64>(&body)?;
        typed_agree::<Blob>(&body)?;
        typed_agree::<DateTime>(&body)?;
        typed_agree::<Document>(&body)?;
        typed_agree::<Vec<String>>(&body)?;
        typed_agree::<Vec<Vec<i32>>>(&body)?;
        typed_agree::<HashMap<String, Vec<DateTime>>>(&body)?;
        typed_agree::<Box<HashMap<String, bool>>>(&body)?;
        // Floats compare by bits (NaN included).
        let ours = json::read_body::<f64>(&body).map(f64::to_bits).ok();
        let theirs = f64::from_json(&value, &Path::Root).map(f64::to_bits).ok();
        prop_assert_eq!(ours, theirs);
        let ours = json::read_body::<f32>(&body).map(f32::to_bits).ok();
        let theirs = f32::from_json(&value, &Path::Root).map(f32::to_bits).ok();
        prop_assert_eq!(ours, theirs);
    }

    /// Errors inside a body name the path the reader was given, under it.
    #[test]
    fn errors_name_their_path(value in any_json()) {
        let body = value.to_string();
        let root = Path::Root;
        let items = root.key("Items");
        let at = items.index(3);
        let mut reader = JsonReader::new(body.as_bytes());
        if let Err(error) = json::read_list_with(&mut reader, &at, |reader, path| {
            json::read_timestamp(reader, path, Format::EpochSeconds)
        }) {
            prop_assert!(error.path.starts_with("Items[3]"), "{}", error);
        }
    }
}

/// Nesting past the limit is refused by reading, skipping and every typed reader alike, with no
/// stack growth past the limit's.
#[test]
fn deep_nesting_is_refused_everywhere() {
    for depth in [127, 128, 100_000] {
        for (open, close) in [("[", "]"), ("{\"a\":", "}")] {
            let text = format!("{}1{}", open.repeat(depth), close.repeat(depth));
            let within = depth < 128;
            assert_eq!(tokens(text.as_bytes()).is_ok(), within, "{depth} {open}");
            assert_eq!(json::read_body::<Document>(text.as_bytes()).is_ok(), within, "{depth} {open}");
            let mut reader = JsonReader::new(text.as_bytes());
            assert_eq!(reader.skip(&Path::Root).is_ok(), within);
            if !within {
                let error = json::read_body::<Document>(text.as_bytes()).unwrap_err();
                assert!(
                    matches!(error, BodyError::NotJson(_)) && error.to_string().contains("recursion limit"),
                    "{error}"
                );
            }
        }
    }
}

/// Long numbers are read from their own digits, where a parsed `Value` keeps only the double.
#[test]
fn long_epoch_seconds_are_exact_from_the_body() {
    let read = json::read_body::<DateTime>(b"1700000000.123456789").unwrap();
    assert_eq!(read, DateTime::from_secs_and_nanos(1700000000, 123_456_789));
    let value: Value = serde_json::from_str("1700000000.123456789").unwrap();
    assert_eq!(
        DateTime::from_json(&value, &Path::Root).unwrap(),
        DateTime::from_secs_and_nanos(1700000000, 123_456_700)
    );
}
