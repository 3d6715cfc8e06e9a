//! Output members read from a response's headers and status code.
//!
//! Every reader gives `Ok(None)` when the header is absent and a [`HeaderError`] naming the
//! header and the member when its text does not fit the member's type. A header sent several
//! times is read as its values joined with `, `, which HTTP defines as the same. Header text
//! is read as UTF-8, so a value the request side could send (any text without control
//! characters) reads back.
//!
//! Lists are split on commas outside double quotes (RFC 9110 §5.6.1 and §5.6.4): elements are
//! trimmed of spaces and tabs, a quoted element is unquoted and its `\` escapes undone, and
//! empty unquoted elements are skipped. An http-date holds a comma itself
//! (`Mon, 16 Dec 2019 23:48:18 GMT, Mon, …`): in a list of http-dates, a weekday is joined
//! with what follows it.
//!
//! Timestamps are read in their member's format (http-date unless it names another), and, as
//! botocore reads them, in any other format when that fails.

use std::collections::HashMap;
use std::fmt;

use aws_smithy_types::date_time::Format;
use aws_smithy_types::{Blob, DateTime, Document};
use http::HeaderMap;

use super::super::json;
use super::super::number;
use super::super::path::Path;

/// A response header that does not fit its output member.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HeaderError {
    /// The header, as the model names it, e.g. `X-Amz-Meta-` or `Content-Length`.
    pub header: String,
    /// The output member, e.g. `ContentLength`.
    pub member: String,
    /// What is wrong with the value.
    pub reason: String,
}

impl HeaderError {
    fn new(header: &str, member: &str, reason: impl Into<String>) -> Self {
        HeaderError { header: header.to_string(), member: member.to_string(), reason: reason.into() }
    }
}

impl fmt::Display for HeaderError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "the header {} (member `{}`): {}", self.header, self.member, self.reason)
    }
}

impl std::error::Error for HeaderError {}

/// A scalar read from its header text (generated enums implement it from their wire names).
pub trait FromHttpText: Sized {
    /// The value, or why the text is not one.
    fn from_http_text(text: &str) -> Result<Self, String>;
}

impl FromHttpText for String {
    fn from_http_text(text: &str) -> Result<Self, String> {
        Ok(text.to_string())
    }
}

impl FromHttpText for bool {
    fn from_http_text(text: &str) -> Result<Self, String> {
        match text {
            "true" => Ok(true),
            "false" => Ok(false),
            _ => Err(format!("{text:?} is not a boolean (true or false)")),
        }
    }
}

macro_rules! integer_from_text {
    ($($t:ty => $name:literal),*) => {$(
        impl FromHttpText for $t {
            fn from_http_text(text: &str) -> Result<Self, String> {
                text.parse().map_err(|_| format!("{text:?} is not {} ({}..={})", $name, <$t>::MIN, <$t>::MAX))
            }
        }
    )*};
}
integer_from_text!(i8 => "a Byte", i16 => "a Short", i32 => "an Integer", i64 => "a Long");

/// A float's text: `NaN`, `Infinity`, `-Infinity` or a decimal number (Rust's own spellings
/// of the special values, such as `inf`, are not the wire's).
fn float_text_value(text: &str) -> Result<f64, String> {
    match text {
        "NaN" => Ok(f64::NAN),
        "Infinity" => Ok(f64::INFINITY),
        "-Infinity" => Ok(f64::NEG_INFINITY),
        _ if text.bytes().any(|b| b.is_ascii_alphabetic() && !matches!(b, b'e' | b'E')) => {
            Err(format!("{text:?} is not a number"))
        }
        _ => text.parse().map_err(|_| format!("{text:?} is not a number")),
    }
}

impl FromHttpText for f64 {
    fn from_http_text(text: &str) -> Result<Self, String> {
        float_text_value(text)
    }
}

impl FromHttpText for f32 {
    fn from_http_text(text: &str) -> Result<Self, String> {
        // A decimal is parsed as f32 directly: through f64 it could round twice.
        let value = float_text_value(text)?;
        if value.is_finite() { text.parse().map_err(|_| format!("{text:?} is not a number")) } else { Ok(value as f32) }
    }
}

/// The text of header `name`, its values joined with `, `; `None` when absent.
fn header_text(headers: &HeaderMap, name: &str, member: &str) -> Result<Option<String>, HeaderError> {
    let mut text: Option<String> = None;
    for value in headers.get_all(name) {
        let part = std::str::from_utf8(value.as_bytes())
            .map_err(|_| HeaderError::new(name, member, "the value is not UTF-8 text"))?;
        match &mut text {
            None => text = Some(part.to_string()),
            Some(text) => {
                text.push_str(", ");
                text.push_str(part);
            }
        }
    }
    Ok(text)
}

/// Header `name` as a string, number, boolean or enum `member`.
pub fn header<T: FromHttpText>(headers: &HeaderMap, name: &str, member: &str) -> Result<Option<T>, HeaderError> {
    let Some(text) = header_text(headers, name, member)? else { return Ok(None) };
    T::from_http_text(text.trim_matches([' ', '\t'])).map(Some).map_err(|reason| HeaderError::new(name, member, reason))
}

/// Header `name` as a list `member` of strings, numbers, booleans or enums.
pub fn header_list<T: FromHttpText>(
    headers: &HeaderMap,
    name: &str,
    member: &str,
) -> Result<Option<Vec<T>>, HeaderError> {
    let Some(text) = header_text(headers, name, member)? else { return Ok(None) };
    let items = split_header_list(&text, false).map_err(|reason| HeaderError::new(name, member, reason))?;
    items
        .iter()
        .enumerate()
        .map(|(index, item)| {
            T::from_http_text(item)
                .map_err(|reason| HeaderError::new(name, member, format!("element {index}: {reason}")))
        })
        .collect::<Result<Vec<T>, HeaderError>>()
        .map(Some)
}

/// Header `name` as a timestamp `member` whose format is `format`.
pub fn timestamp_header(
    headers: &HeaderMap,
    name: &str,
    member: &str,
    format: Format,
) -> Result<Option<DateTime>, HeaderError> {
    let Some(text) = header_text(headers, name, member)? else { return Ok(None) };
    read_timestamp(text.trim_matches([' ', '\t']), format)
        .map(Some)
        .map_err(|reason| HeaderError::new(name, member, reason))
}

/// Header `name` as a list of timestamps, each in `format`.
pub fn timestamp_list_header(
    headers: &HeaderMap,
    name: &str,
    member: &str,
    format: Format,
) -> Result<Option<Vec<DateTime>>, HeaderError> {
    let Some(text) = header_text(headers, name, member)? else { return Ok(None) };
    let items = split_header_list(&text, format == Format::HttpDate)
        .map_err(|reason| HeaderError::new(name, member, reason))?;
    items
        .iter()
        .enumerate()
        .map(|(index, item)| {
            read_timestamp(item, format)
                .map_err(|reason| HeaderError::new(name, member, format!("element {index}: {reason}")))
        })
        .collect::<Result<Vec<DateTime>, HeaderError>>()
        .map(Some)
}

/// A timestamp in `format`, else in any other.
fn read_timestamp(text: &str, format: Format) -> Result<DateTime, String> {
    let parse = |format: Format| match format {
        Format::EpochSeconds => number::parse_epoch_seconds(text),
        Format::DateTime | Format::DateTimeWithOffset => number::parse_date_time(text),
        Format::HttpDate => number::parse_http_date(text),
    };
    parse(format).or_else(|error| {
        [Format::HttpDate, Format::DateTime, Format::EpochSeconds]
            .into_iter()
            .find_map(|other| parse(other).ok())
            .ok_or_else(|| error.to_string())
    })
}

/// Header `name` as a blob `member`: base64.
pub fn blob_header(headers: &HeaderMap, name: &str, member: &str) -> Result<Option<Blob>, HeaderError> {
    let Some(text) = header_text(headers, name, member)? else { return Ok(None) };
    aws_smithy_types::base64::decode(text.trim_matches([' ', '\t']))
        .map(|bytes| Some(Blob::new(bytes)))
        .map_err(|e| HeaderError::new(name, member, format!("not valid base64: {e}")))
}

/// Header `name` as a `jsonvalue`/`mediaType` string `member`: base64 decoded to JSON text.
pub fn json_value_header(headers: &HeaderMap, name: &str, member: &str) -> Result<Option<String>, HeaderError> {
    let Some(blob) = blob_header(headers, name, member)? else { return Ok(None) };
    String::from_utf8(blob.into_inner())
        .map(Some)
        .map_err(|_| HeaderError::new(name, member, "the base64 text is not UTF-8"))
}

/// Header `name` as a `jsonvalue` `member` held as a document: base64, then JSON.
pub fn document_header(headers: &HeaderMap, name: &str, member: &str) -> Result<Option<Document>, HeaderError> {
    let Some(text) = json_value_header(headers, name, member)? else { return Ok(None) };
    let value: serde_json::Value = serde_json::from_str(&text)
        .map_err(|e| HeaderError::new(name, member, format!("the decoded value is not JSON: {e}")))?;
    json::read_value::<Document>(&value, &Path::Root)
        .map(Some)
        .map_err(|e| HeaderError::new(name, member, e.to_string()))
}

/// Every header starting with `prefix` (any case; an empty prefix takes every header) as an
/// `httpPrefixHeaders` `member`, keyed by the rest of its name; `None` when there are none.
/// Keys are lower case: `http` stores header names so (botocore keeps the wire's case).
pub fn prefixed_headers(
    headers: &HeaderMap,
    prefix: &str,
    member: &str,
) -> Result<Option<HashMap<String, String>>, HeaderError> {
    let prefix = prefix.to_ascii_lowercase();
    let mut map = HashMap::new();
    for name in headers.keys() {
        if let Some(key) = name.as_str().strip_prefix(prefix.as_str()) {
            let text = header_text(headers, name.as_str(), member)?.unwrap_or_default();
            map.insert(key.to_string(), text);
        }
    }
    Ok(if map.is_empty() { None } else { Some(map) })
}

/// The HTTP status as an `httpResponseCode` member.
pub fn status_code(status: http::StatusCode) -> i32 {
    i32::from(status.as_u16())
}

/// The elements of a list header (see the module documentation); `http_dates` joins each
/// weekday with the date after it. An unterminated quoted string is an error.
pub fn split_header_list(text: &str, http_dates: bool) -> Result<Vec<String>, String> {
    let mut items: Vec<String> = Vec::new();
    let mut chars = text.chars().peekable();
    loop {
        while chars.next_if(|c| *c == ' ' || *c == '\t').is_some() {}
        let Some(&first) = chars.peek() else { break };
        if first == '"' {
            chars.next();
            let mut item = String::new();
            loop {
                match chars.next() {
                    None => return Err(format!("{text:?} has an unterminated quoted string")),
                    Some('"') => break,
                    Some('\\') => item.push(chars.next().ok_or_else(|| format!("{text:?} ends inside an escape"))?),
                    Some(c) => item.push(c),
                }
            }
            while chars.next_if(|c| *c == ' ' || *c == '\t').is_some() {}
            match chars.next() {
                None | Some(',') => items.push(item),
                Some(c) => return Err(format!("{text:?} has {c:?} after a quoted string")),
            }
        } else {
            let mut item = String::new();
            while let Some(c) = chars.next_if(|c| *c != ',') {
                item.push(c);
            }
            chars.next();
            let item = item.trim_matches([' ', '\t']);
            if !item.is_empty() {
                items.push(item.to_string());
            }
        }
    }
    if http_dates {
        items = join_weekdays(items);
    }
    Ok(items)
}

/// `["Mon", "16 Dec 2019 23:48:18 GMT"]` → `["Mon, 16 Dec 2019 23:48:18 GMT"]`.
fn join_weekdays(items: Vec<String>) -> Vec<String> {
    const WEEKDAYS: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
    let mut out: Vec<String> = Vec::with_capacity(items.len() / 2 + 1);
    let mut items = items.into_iter().peekable();
    while let Some(item) = items.next() {
        if WEEKDAYS.contains(&item.as_str())
            && let Some(date) = items.next()
        {
            out.push(format!("{item}, {date}"));
        } else {
            out.push(item);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        pairs.iter().map(|(k, v)| (http::HeaderName::from_static(k), http::HeaderValue::from_static(v))).collect()
    }

    #[test]
    fn strings_and_string_lists() {
        // "Tests responses with string header bindings".
        let h = headers(&[("x-string", "Hello"), ("x-stringlist", "a, b, c")]);
        assert_eq!(header::<String>(&h, "X-String", "headerString").unwrap().as_deref(), Some("Hello"));
        assert_eq!(header_list::<String>(&h, "X-StringList", "headerStringList").unwrap().unwrap(), ["a", "b", "c"]);
        assert_eq!(header::<String>(&h, "X-Absent", "absent").unwrap(), None);
    }

    #[test]
    fn quoted_list_elements() {
        // "Tests responses with string list header bindings that require quoting".
        let h = headers(&[("x-stringlist", r#""b,c", "\"def\"", a"#)]);
        assert_eq!(header_list::<String>(&h, "X-StringList", "m").unwrap().unwrap(), ["b,c", "\"def\"", "a"]);
        // Legacy: " one,two , three " is trimmed element by element.
        assert_eq!(split_header_list(" one,two , three ", false).unwrap(), ["one", "two", "three"]);
        assert!(split_header_list("\"open", false).is_err());
        assert!(split_header_list("\"a\" b", false).is_err());
        assert_eq!(split_header_list("", false).unwrap(), Vec::<String>::new());
        assert_eq!(split_header_list(r#""", a"#, false).unwrap(), ["", "a"]);
    }

    #[test]
    fn numbers_and_booleans() {
        // "Tests responses with numeric header bindings", "... boolean header bindings".
        let h = headers(&[
            ("x-byte", "1"),
            ("x-integer", "123"),
            ("x-long", "123"),
            ("x-float", "1.1"),
            ("x-double", "1.1"),
            ("x-integerlist", "1, 2, 3"),
            ("x-boolean1", "true"),
            ("x-booleanlist", "true, false, true"),
        ]);
        assert_eq!(header::<i8>(&h, "X-Byte", "headerByte").unwrap(), Some(1));
        assert_eq!(header::<i32>(&h, "X-Integer", "headerInteger").unwrap(), Some(123));
        assert_eq!(header::<i64>(&h, "X-Long", "headerLong").unwrap(), Some(123));
        assert_eq!(header::<f32>(&h, "X-Float", "headerFloat").unwrap(), Some(1.1));
        assert_eq!(header::<f64>(&h, "X-Double", "headerDouble").unwrap(), Some(1.1));
        assert_eq!(header_list::<i32>(&h, "X-IntegerList", "m").unwrap().unwrap(), [1, 2, 3]);
        assert_eq!(header::<bool>(&h, "X-Boolean1", "headerTrueBool").unwrap(), Some(true));
        assert_eq!(header_list::<bool>(&h, "X-BooleanList", "m").unwrap().unwrap(), [true, false, true]);
    }

    #[test]
    fn special_floats() {
        // "Supports handling NaN / Infinity / -Infinity float header values."
        let h = headers(&[("x-float", "NaN"), ("x-double", "Infinity"), ("x-neg", "-Infinity"), ("x-inf", "inf")]);
        assert!(header::<f32>(&h, "X-Float", "m").unwrap().unwrap().is_nan());
        assert_eq!(header::<f64>(&h, "X-Double", "m").unwrap(), Some(f64::INFINITY));
        assert_eq!(header::<f32>(&h, "X-Neg", "m").unwrap(), Some(f32::NEG_INFINITY));
        assert!(header::<f64>(&h, "X-Inf", "m").is_err());
    }

    #[test]
    fn values_that_do_not_fit_name_the_header_and_member() {
        let h = headers(&[("x-integer", "12a"), ("x-byte", "300"), ("x-bool", "yes"), ("x-list", "1, x")]);
        let error = header::<i32>(&h, "X-Integer", "headerInteger").unwrap_err();
        assert_eq!(
            error.to_string(),
            "the header X-Integer (member `headerInteger`): \"12a\" is not an Integer (-2147483648..=2147483647)"
        );
        assert!(header::<i8>(&h, "X-Byte", "headerByte").is_err());
        assert!(header::<bool>(&h, "X-Bool", "b").is_err());
        let error = header_list::<i32>(&h, "X-List", "l").unwrap_err();
        assert_eq!(error.reason, "element 1: \"x\" is not an Integer (-2147483648..=2147483647)");
    }

    #[test]
    fn timestamps_in_each_format() {
        // "Tests how timestamp response headers are serialized"; legacy `2014-04-29T18:30:38+00:00`.
        let h = headers(&[
            ("x-defaultformat", "Mon, 16 Dec 2019 23:48:18 GMT"),
            ("x-memberdatetime", "2019-12-16T23:48:18Z"),
            ("x-memberepochseconds", "1576540098"),
            ("x-amz-timeformat", "2014-04-29T18:30:38+00:00"),
            ("x-bad", "Mon, 32 Dec 2019 23:48:18 GMT"),
        ]);
        let t = Some(DateTime::from_secs(1576540098));
        assert_eq!(timestamp_header(&h, "X-defaultFormat", "d", Format::HttpDate).unwrap(), t);
        assert_eq!(timestamp_header(&h, "X-memberDateTime", "d", Format::DateTime).unwrap(), t);
        assert_eq!(timestamp_header(&h, "X-memberEpochSeconds", "d", Format::EpochSeconds).unwrap(), t);
        assert_eq!(
            timestamp_header(&h, "x-amz-timeformat", "d", Format::DateTime).unwrap(),
            Some(DateTime::from_secs(1398796238))
        );
        let error = timestamp_header(&h, "X-Bad", "When", Format::HttpDate).unwrap_err();
        assert_eq!((error.header.as_str(), error.member.as_str()), ("X-Bad", "When"));
    }

    #[test]
    fn http_date_lists_keep_each_date_whole() {
        // "Tests responses with timestamp header bindings".
        let h = headers(&[("x-timestamplist", "Mon, 16 Dec 2019 23:48:18 GMT, Mon, 16 Dec 2019 23:48:18 GMT")]);
        let t = DateTime::from_secs(1576540098);
        assert_eq!(timestamp_list_header(&h, "X-TimestampList", "m", Format::HttpDate).unwrap().unwrap(), [t, t]);
        let h = headers(&[("x-list", "1576540098, 2019-12-16T23:48:18Z")]);
        assert_eq!(timestamp_list_header(&h, "X-List", "m", Format::EpochSeconds).unwrap().unwrap(), [t, t]);
    }

    #[test]
    fn json_values_are_base64() {
        // "Headers that target strings with a mediaType are base64 encoded"; legacy jsonvalue.
        let h = headers(&[("x-json", "dHJ1ZQ=="), ("x-amz-foo", "eyJGb28iOiJCYXIifQ=="), ("x-bad", "%%%")]);
        assert_eq!(json_value_header(&h, "X-Json", "json").unwrap().as_deref(), Some("true"));
        let doc = document_header(&h, "X-Amz-Foo", "Attr").unwrap().unwrap();
        assert_eq!(doc, Document::Object([("Foo".to_string(), Document::String("Bar".to_string()))].into()));
        assert!(json_value_header(&h, "X-Bad", "m").is_err());
        assert!(document_header(&h, "X-Json", "m").unwrap().is_some());
        assert_eq!(blob_header(&h, "X-Json", "m").unwrap(), Some(Blob::new("true")));
    }

    #[test]
    fn prefix_headers() {
        // "Adds headers by prefix", "(de)serializes all response headers".
        let h =
            headers(&[("x-foo", "Foo"), ("x-foo-abc", "Abc value"), ("x-foo-def", "Def value"), ("hello", "Hello")]);
        let map = prefixed_headers(&h, "X-Foo-", "fooMap").unwrap().unwrap();
        assert_eq!(
            map,
            HashMap::from([("abc".to_string(), "Abc value".to_string()), ("def".to_string(), "Def value".to_string())])
        );
        let all = prefixed_headers(&h, "", "prefixHeaders").unwrap().unwrap();
        assert_eq!((all.len(), all["hello"].as_str(), all["x-foo"].as_str()), (4, "Hello", "Foo"));
        assert_eq!(prefixed_headers(&h, "x-none-", "m").unwrap(), None);
    }

    #[test]
    fn repeated_headers_are_one_list() {
        let mut h = HeaderMap::new();
        h.append("x-list", http::HeaderValue::from_static("a"));
        h.append("x-list", http::HeaderValue::from_static("b, c"));
        assert_eq!(header_list::<String>(&h, "X-List", "m").unwrap().unwrap(), ["a", "b", "c"]);
    }

    #[test]
    fn status_codes() {
        // "Binds the http response code to an output structure."
        assert_eq!(status_code(http::StatusCode::CREATED), 201);
    }
}
