//! Property tests of the HTTP bindings: any label and query value survives percent-encoding,
//! header lists read back as they were written, and no header value, however mangled, panics a
//! reader. The number of cases is fixed per test so the run stays short; `PROPTEST_CASES=N`
//! raises it.

use std::collections::HashMap;

use aws_smithy_types::DateTime;
use aws_smithy_types::date_time::Format;
use awsgen_runtime::http_bindings::{
    self, HeaderWriter, QueryWriter, blob_header, document_header, fill_uri, header, header_list, json_value_header,
    label, prefixed_headers, split_header_list, timestamp_header, timestamp_list_header,
};
use http::{HeaderMap, HeaderValue};
use proptest::prelude::*;

/// `cases` cases (or `PROPTEST_CASES`), nothing written to disk, shrinking bounded.
fn config(cases: u32) -> ProptestConfig {
    let cases = std::env::var("PROPTEST_CASES").ok().and_then(|n| n.parse().ok()).unwrap_or(cases);
    ProptestConfig { cases, failure_persistence: None, max_shrink_iters: 1024, ..ProptestConfig::default() }
}

/// Undoes percent-encoding; `None` for a `%` not followed by two hex digits.
fn percent_decode(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut at = 0;
    while at < bytes.len() {
        if bytes[at] == b'%' {
            let hex = text.get(at + 1..at + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            at += 3;
        } else {
            out.push(bytes[at]);
            at += 1;
        }
    }
    String::from_utf8(out).ok()
}

fn is_unreserved(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | '~')
}

/// Any text a header can carry: no control characters (tab aside).
fn header_safe_string() -> impl Strategy<Value = String> {
    proptest::collection::vec(any::<char>().prop_filter("no controls", |c| !c.is_control() || *c == '\t'), 0..12)
        .prop_map(|chars| chars.into_iter().collect())
}

proptest! {
    #![proptest_config(config(256))]

    #[test]
    fn any_label_round_trips(text in "\\PC{1,24}|[ -~]{1,24}") {
        let uri = fill_uri("/a/{Label}/b", &[label("Label", "Label", Some(text.as_str()))]).unwrap();
        let encoded = uri.strip_prefix("/a/").and_then(|rest| rest.strip_suffix("/b")).unwrap();
        prop_assert!(encoded.chars().all(|c| is_unreserved(c) || c == '%'), "{encoded}");
        prop_assert_eq!(percent_decode(encoded), Some(text));
    }

    #[test]
    fn any_greedy_label_round_trips_keeping_slashes(text in "[a-z/ %?#+]{1,24}|\\PC{1,12}") {
        let uri = fill_uri("/k/{Key+}", &[label("Key", "Key", Some(text.as_str()))]).unwrap();
        let encoded = uri.strip_prefix("/k/").unwrap();
        prop_assert!(encoded.chars().all(|c| is_unreserved(c) || c == '%' || c == '/'), "{encoded}");
        prop_assert_eq!(encoded.matches('/').count(), text.matches('/').count());
        prop_assert_eq!(percent_decode(encoded), Some(text));
    }

    #[test]
    fn any_query_parameter_round_trips(key in "\\PC{1,12}", value in "\\PC{0,24}") {
        let mut query = QueryWriter::new();
        query.value(&key, Some(value.as_str()));
        let uri = query.append_to("/q?literal".to_string());
        let parameter = uri.strip_prefix("/q?literal&").unwrap();
        let (encoded_key, encoded_value) = parameter.split_once('=').unwrap();
        prop_assert!(!encoded_value.contains(['&', '=', '+', ' ']));
        prop_assert_eq!(percent_decode(encoded_key), Some(key));
        prop_assert_eq!(percent_decode(encoded_value), Some(value));
    }

    #[test]
    fn string_lists_round_trip_through_a_header(items in proptest::collection::vec(header_safe_string(), 0..6)) {
        let mut writer = HeaderWriter::new();
        writer.list("X-List", "List", Some(&items[..]));
        let headers = writer.finish().unwrap();
        let read: Vec<String> = header_list(&headers, "X-List", "List").unwrap().unwrap();
        prop_assert_eq!(read, items);
    }

    #[test]
    fn http_date_lists_round_trip(seconds in proptest::collection::vec(-62_135_596_800i64..253_402_300_799, 0..5)) {
        let times: Vec<DateTime> = seconds.iter().map(|s| DateTime::from_secs(*s)).collect();
        for format in [Format::HttpDate, Format::DateTime, Format::EpochSeconds] {
            let mut writer = HeaderWriter::new();
            writer.timestamp_list("X-Times", "Times", Some(&times[..]), format);
            let headers = writer.finish().unwrap();
            let read = timestamp_list_header(&headers, "X-Times", "Times", format).unwrap().unwrap();
            prop_assert_eq!(&read, &times);
        }
    }

    #[test]
    fn scalars_round_trip_through_a_header(integer in any::<i64>(), double in any::<f64>(), float in any::<f32>(), flag in any::<bool>()) {
        let mut writer = HeaderWriter::new();
        writer.value("X-I", "I", Some(&integer));
        writer.value("X-D", "D", Some(&double));
        writer.value("X-F", "F", Some(&float));
        writer.value("X-B", "B", Some(&flag));
        let headers = writer.finish().unwrap();
        prop_assert_eq!(header::<i64>(&headers, "X-I", "I").unwrap(), Some(integer));
        let read_double: f64 = header(&headers, "X-D", "D").unwrap().unwrap();
        prop_assert!(read_double == double || (read_double.is_nan() && double.is_nan()));
        let read_float: f32 = header(&headers, "X-F", "F").unwrap().unwrap();
        prop_assert!(read_float == float || (read_float.is_nan() && float.is_nan()));
        prop_assert_eq!(header::<bool>(&headers, "X-B", "B").unwrap(), Some(flag));
    }

    #[test]
    fn values_with_control_characters_are_invalid_input_not_panics(text in "\\PC{0,6}[\\x00-\\x08\\x0a-\\x1f\\x7f]\\PC{0,6}") {
        let mut writer = HeaderWriter::new();
        writer.value("X-Foo", "Foo", Some(text.as_str()));
        writer.prefixed("x-meta-", "Meta", Some(&HashMap::from([(text.clone(), "v".to_string())])));
        let error = writer.finish().unwrap_err();
        prop_assert_eq!(error.problems().len(), 2);
    }

    #[test]
    fn random_header_values_never_panic_the_readers(bytes in proptest::collection::vec(any::<u8>(), 0..40)) {
        // Only bytes a received header can hold: the rest are not a `HeaderValue`.
        let Ok(value) = HeaderValue::from_bytes(&bytes) else { return Ok(()) };
        let mut headers = HeaderMap::new();
        headers.insert("x-v", value.clone());
        headers.insert("x-meta-v", value);
        let _ = header::<String>(&headers, "X-V", "M");
        let _ = header::<i32>(&headers, "X-V", "M");
        let _ = header::<f32>(&headers, "X-V", "M");
        let _ = header::<f64>(&headers, "X-V", "M");
        let _ = header::<bool>(&headers, "X-V", "M");
        let _ = header_list::<String>(&headers, "X-V", "M");
        let _ = header_list::<i64>(&headers, "X-V", "M");
        for format in [Format::HttpDate, Format::DateTime, Format::EpochSeconds] {
            let _ = timestamp_header(&headers, "X-V", "M", format);
            let _ = timestamp_list_header(&headers, "X-V", "M", format);
        }
        let _ = blob_header(&headers, "X-V", "M");
        let _ = json_value_header(&headers, "X-V", "M");
        let _ = document_header(&headers, "X-V", "M");
        let _ = prefixed_headers(&headers, "x-meta-", "M");
    }

    #[test]
    fn mutated_list_headers_never_panic(
        items in proptest::collection::vec(header_safe_string(), 1..5),
        cut in any::<proptest::sample::Index>(),
        insert in prop_oneof![Just('"'), Just('\\'), Just(','), Just(' ')],
    ) {
        let text = http_bindings::header_list_text(items.iter().map(|s| s.as_str().into()));
        let mut chars: Vec<char> = text.chars().collect();
        let at = cut.index(chars.len() + 1);
        chars.insert(at, insert);
        let mutated: String = chars.into_iter().collect();
        let _ = split_header_list(&mutated, false);
        let _ = split_header_list(&mutated, true);
        let _ = split_header_list(&mutated[..mutated.char_indices().nth(at).map_or(mutated.len(), |(i, _)| i)], false);
    }
}

#[test]
fn an_empty_list_is_an_empty_header_and_reads_back_empty() {
    let mut writer = HeaderWriter::new();
    writer.list::<String>("X-List", "List", Some(&[]));
    let headers = writer.finish().unwrap();
    assert_eq!(headers.get("x-list").unwrap(), "");
    assert_eq!(header_list::<String>(&headers, "X-List", "List").unwrap(), Some(Vec::new()));
}
