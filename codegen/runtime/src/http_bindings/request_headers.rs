//! The headers of a request: `httpHeader` members and `httpPrefixHeaders` maps.
//!
//! Scalars are written as [`ToHttpText`] prints them, timestamps in their member's format
//! (http-date unless it names another). A list is its elements joined with `, `; an element
//! that holds a `,` or a `"` (or is empty, or starts or ends with white space, which a reader
//! would trim) is quoted, with `"` and `\` escaped by `\`, as the Smithy HTTP binding spec
//! says; http-dates are not quoted although they hold a comma ("Tests requests with timestamp
//! header bindings"): a reader keeps each date whole. An empty list is an empty header ("Do
//! not send null values, but do send empty strings and empty lists over the wire in
//! headers"). A `jsonvalue`/`mediaType` string is base64-encoded.
//!
//! A value that cannot be a header value (a line break or another control character) is an
//! [`InvalidInput`] naming the member, never a panic or a header cut short.

use std::borrow::Cow;
use std::collections::HashMap;

use aws_smithy_types::date_time::Format;
use aws_smithy_types::{Blob, DateTime, Document};
use http::{HeaderMap, HeaderName, HeaderValue};

use super::super::json::{JsonWriter, ToJson};
use super::super::path::Path;
use super::super::validate::{Checks, InvalidInput, Report};
use super::{ToHttpText, timestamp_text};

/// Collects the bound headers of one request, reporting every value that cannot be sent.
#[derive(Debug)]
pub struct HeaderWriter {
    headers: HeaderMap,
    report: Report,
}

impl Default for HeaderWriter {
    fn default() -> Self {
        HeaderWriter { headers: HeaderMap::new(), report: Report::new(Checks::Required) }
    }
}

impl HeaderWriter {
    /// No headers yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// The header `name` for a string, number, boolean or enum `member`; nothing when unset.
    pub fn value<T: ToHttpText + ?Sized>(&mut self, name: &str, member: &str, value: Option<&T>) {
        if let Some(value) = value {
            self.insert(name, &Path::Root.key(member), &value.to_http_text());
        }
    }

    /// The header `name` for a list `member`: `a, b, c`, elements quoted where needed.
    pub fn list<T: ToHttpText>(&mut self, name: &str, member: &str, values: Option<&[T]>) {
        if let Some(values) = values {
            let text = header_list_text(values.iter().map(ToHttpText::to_http_text));
            self.insert(name, &Path::Root.key(member), &text);
        }
    }

    /// The header `name` for a timestamp `member`, in `format`.
    pub fn timestamp(&mut self, name: &str, member: &str, value: Option<&DateTime>, format: Format) {
        if let Some(value) = value {
            self.insert(name, &Path::Root.key(member), &timestamp_text(value, format));
        }
    }

    /// The header `name` for a list of timestamps: each in `format`, joined with `, `, never
    /// quoted.
    pub fn timestamp_list(&mut self, name: &str, member: &str, values: Option<&[DateTime]>, format: Format) {
        if let Some(values) = values {
            let texts: Vec<String> = values.iter().map(|value| timestamp_text(value, format)).collect();
            self.insert(name, &Path::Root.key(member), &texts.join(", "));
        }
    }

    /// The header `name` for a `jsonvalue` or `mediaType` string `member`: its text in base64
    /// ("Headers that target strings with a mediaType are base64 encoded").
    pub fn json_value(&mut self, name: &str, member: &str, json: Option<&str>) {
        if let Some(json) = json {
            self.insert(name, &Path::Root.key(member), &aws_smithy_types::base64::encode(json));
        }
    }

    /// The header `name` for a blob `member`: its bytes in base64, as the Smithy spec says.
    pub fn blob(&mut self, name: &str, member: &str, value: Option<&Blob>) {
        if let Some(value) = value {
            self.insert(name, &Path::Root.key(member), &aws_smithy_types::base64::encode(value.as_ref()));
        }
    }

    /// The header `name` for a `jsonvalue` member held as a document: its compact JSON text
    /// in base64 (legacy: `{"Foo":"Bar"}` is `eyJGb28iOiJCYXIifQ==`).
    pub fn document(&mut self, name: &str, member: &str, value: Option<&Document>) {
        if let Some(value) = value {
            let mut writer = JsonWriter::new();
            value.write_json(&mut writer);
            self.json_value(name, member, Some(&writer.into_string()));
        }
    }

    /// One header `prefix` + key per entry of an `httpPrefixHeaders` `member` ("Adds headers
    /// by prefix"); an empty map adds none.
    pub fn prefixed<K: AsRef<str>, V: AsRef<str>>(&mut self, prefix: &str, member: &str, map: Option<&HashMap<K, V>>) {
        let root = Path::Root;
        let member = root.key(member);
        let mut entries: Vec<(&str, &str)> =
            map.into_iter().flatten().map(|(key, value)| (key.as_ref(), value.as_ref())).collect();
        entries.sort_by_key(|(key, _)| *key);
        for (key, value) in entries {
            self.insert(&format!("{prefix}{key}"), &member.key(key), value);
        }
    }

    /// The headers, or every value that could not be sent.
    pub fn finish(self) -> Result<HeaderMap, InvalidInput> {
        self.report.finish().map(|()| self.headers)
    }

    fn insert(&mut self, name: &str, path: &Path<'_>, text: &str) {
        let Ok(name) = HeaderName::from_bytes(name.as_bytes()) else {
            self.report.unsendable(path, format!("{name:?} is not a valid header name"));
            return;
        };
        match HeaderValue::from_str(text) {
            Ok(value) => {
                self.headers.insert(name, value);
            }
            Err(_) => self
                .report
                .unsendable(path, format!("the header {name} cannot hold a line break or another control character")),
        }
    }
}

/// The header text of a list: the elements joined with `, `, each quoted when a reader would
/// otherwise split or trim it.
pub fn header_list_text<'a>(items: impl IntoIterator<Item = Cow<'a, str>>) -> String {
    let mut out = String::new();
    for (index, item) in items.into_iter().enumerate() {
        if index > 0 {
            out.push_str(", ");
        }
        if needs_quotes(&item) {
            out.push('"');
            for c in item.chars() {
                if c == '"' || c == '\\' {
                    out.push('\\');
                }
                out.push(c);
            }
            out.push('"');
        } else {
            out.push_str(&item);
        }
    }
    out
}

/// Whether an element must be quoted to be read back as it is.
fn needs_quotes(item: &str) -> bool {
    let trims = |c: Option<char>| c.is_some_and(|c| c == ' ' || c == '\t');
    item.is_empty() || item.contains([',', '"']) || trims(item.chars().next()) || trims(item.chars().last())
}

#[cfg(test)]
mod tests {
    use super::super::super::validate::ProblemKind;
    use super::*;

    fn text(headers: &HeaderMap, name: &str) -> String {
        headers.get(name).map(|v| v.to_str().unwrap().to_string()).unwrap_or_else(|| panic!("no {name}"))
    }

    fn strings(items: &[&str]) -> Vec<String> {
        items.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn string_and_list_headers() {
        // "Tests requests with string header bindings".
        let mut writer = HeaderWriter::new();
        writer.value("X-String", "headerString", Some("Hello"));
        writer.list("X-StringList", "headerStringList", Some(&strings(&["a", "b", "c"])[..]));
        let headers = writer.finish().unwrap();
        assert_eq!(text(&headers, "x-string"), "Hello");
        assert_eq!(text(&headers, "x-stringlist"), "a, b, c");
    }

    #[test]
    fn list_elements_that_require_quoting() {
        // "Tests requests with string list header bindings that require quoting".
        let mut writer = HeaderWriter::new();
        writer.list("X-StringList", "headerStringList", Some(&strings(&["b,c", "\"def\"", "a"])[..]));
        assert_eq!(text(&writer.finish().unwrap(), "x-stringlist"), r#""b,c", "\"def\"", a"#);
        assert_eq!(header_list_text(["", " x", "a\\b\""].map(Cow::Borrowed)), r#""", " x", "a\\b\"""#);
    }

    #[test]
    fn numbers_booleans_and_enums() {
        // "Tests requests with numeric header bindings", "... boolean ...", "... intEnum ...".
        let mut writer = HeaderWriter::new();
        writer.value("X-Byte", "headerByte", Some(&1i8));
        writer.value("X-Integer", "headerInteger", Some(&123i32));
        writer.value("X-Float", "headerFloat", Some(&1.1f32));
        writer.value("X-Double", "headerDouble", Some(&1.1f64));
        writer.list("X-IntegerList", "headerIntegerList", Some(&[1i32, 2, 3][..]));
        writer.value("X-Boolean2", "headerFalseBool", Some(&false));
        writer.list("X-BooleanList", "headerBooleanList", Some(&[true, false, true][..]));
        let headers = writer.finish().unwrap();
        assert_eq!(text(&headers, "x-byte"), "1");
        assert_eq!(text(&headers, "x-integer"), "123");
        assert_eq!(text(&headers, "x-float"), "1.1");
        assert_eq!(text(&headers, "x-double"), "1.1");
        assert_eq!(text(&headers, "x-integerlist"), "1, 2, 3");
        assert_eq!(text(&headers, "x-boolean2"), "false");
        assert_eq!(text(&headers, "x-booleanlist"), "true, false, true");
    }

    #[test]
    fn special_floats() {
        // "Supports handling NaN / Infinity / -Infinity float header values."
        let mut writer = HeaderWriter::new();
        writer.value("X-Float", "headerFloat", Some(&f32::NAN));
        writer.value("X-Double", "headerDouble", Some(&f64::INFINITY));
        writer.value("X-Neg", "headerDouble", Some(&f64::NEG_INFINITY));
        let headers = writer.finish().unwrap();
        assert_eq!((text(&headers, "x-float"), text(&headers, "x-double")), ("NaN".into(), "Infinity".into()));
        assert_eq!(text(&headers, "x-neg"), "-Infinity");
    }

    #[test]
    fn timestamps_and_timestamp_lists() {
        // "Tests how timestamp request headers are serialized", "Tests requests with
        // timestamp header bindings".
        let t = DateTime::from_secs(1576540098);
        let mut writer = HeaderWriter::new();
        writer.timestamp("X-defaultFormat", "defaultFormat", Some(&t), Format::HttpDate);
        writer.timestamp("X-memberDateTime", "memberDateTime", Some(&t), Format::DateTime);
        writer.timestamp("X-memberEpochSeconds", "memberEpochSeconds", Some(&t), Format::EpochSeconds);
        writer.timestamp_list("X-TimestampList", "headerTimestampList", Some(&[t, t][..]), Format::HttpDate);
        let headers = writer.finish().unwrap();
        assert_eq!(text(&headers, "x-defaultformat"), "Mon, 16 Dec 2019 23:48:18 GMT");
        assert_eq!(text(&headers, "x-memberdatetime"), "2019-12-16T23:48:18Z");
        assert_eq!(text(&headers, "x-memberepochseconds"), "1576540098");
        assert_eq!(text(&headers, "x-timestamplist"), "Mon, 16 Dec 2019 23:48:18 GMT, Mon, 16 Dec 2019 23:48:18 GMT");
    }

    #[test]
    fn json_values_are_base64() {
        // "Headers that target strings with a mediaType are base64 encoded"; legacy jsonvalue.
        let mut writer = HeaderWriter::new();
        writer.json_value("X-Json", "json", Some("true"));
        let doc = Document::Object([("Foo".to_string(), Document::String("Bar".to_string()))].into());
        writer.document("X-Amz-Foo", "Attr", Some(&doc));
        let headers = writer.finish().unwrap();
        assert_eq!(text(&headers, "x-json"), "dHJ1ZQ==");
        assert_eq!(text(&headers, "x-amz-foo"), "eyJGb28iOiJCYXIifQ==");
        let mut writer = HeaderWriter::new();
        writer.blob("X-Blob", "Blob", Some(&Blob::new("true")));
        assert_eq!(text(&writer.finish().unwrap(), "x-blob"), "dHJ1ZQ==");
    }

    #[test]
    fn null_empty_strings_and_empty_lists() {
        // "Do not send null values, but do send empty strings and empty lists over the wire
        // in headers".
        let mut writer = HeaderWriter::new();
        writer.value::<str>("X-A", "a", None);
        writer.value("X-B", "b", Some(""));
        writer.list::<String>("X-C", "c", Some(&[]));
        let headers = writer.finish().unwrap();
        assert!(headers.get("x-a").is_none());
        assert_eq!((text(&headers, "x-b"), text(&headers, "x-c")), (String::new(), String::new()));
    }

    #[test]
    fn prefix_headers() {
        // "Adds headers by prefix", "No prefix headers are serialized because the value is not
        // present", "Serialize prefix headers were the value is present but empty".
        let map: HashMap<String, String> =
            [("abc", "Abc value"), ("def", "Def value")].iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        let mut writer = HeaderWriter::new();
        writer.prefixed("x-foo-", "fooMap", Some(&map));
        writer.prefixed::<String, String>("x-bar-", "barMap", Some(&HashMap::new()));
        writer.prefixed("x-baz-", "bazMap", Some(&HashMap::from([("abc", "")])));
        let headers = writer.finish().unwrap();
        assert_eq!(text(&headers, "x-foo-abc"), "Abc value");
        assert_eq!(text(&headers, "x-foo-def"), "Def value");
        assert_eq!(text(&headers, "x-baz-abc"), "");
        assert_eq!(headers.len(), 3);
    }

    #[test]
    fn values_that_cannot_be_headers_are_invalid_input() {
        let mut writer = HeaderWriter::new();
        writer.value("X-Foo", "Foo", Some("a\r\nInjected: yes"));
        writer.prefixed("x-meta-", "Metadata", Some(&HashMap::from([("bad key", "v")])));
        writer.value("X-Ok", "Ok", Some("fine"));
        let error = writer.finish().unwrap_err();
        let paths: Vec<&str> = error.problems().iter().map(|p| p.path.as_str()).collect();
        assert_eq!(paths, ["Foo", "Metadata.bad key"]);
        assert!(matches!(error.problems()[0].kind, ProblemKind::Unsendable { .. }));
        assert_eq!(
            error.problems()[0].to_string(),
            "`Foo` cannot be sent: the header x-foo cannot hold a line break or another control character"
        );
    }
}
