//! The query string of a request: `httpQuery` members by name and `httpQueryParams` maps.
//!
//! Keys and values are percent-encoded keeping only `A-Z a-z 0-9 - _ . ~` (a space is `%20`).
//! A list repeats its key (`k=a&k=b`) and an empty list adds nothing; an empty string is
//! `key=`. A map never overrides a parameter bound by name ("Prefer named query parameters
//! when serializing"), whatever the order the generated code adds them in. Parameters bound
//! by name come first, in the order they are added, then the maps' by sorted key (generated
//! maps are hash maps; sorting keeps requests reproducible).

use std::collections::HashMap;

use aws_smithy_types::date_time::Format;
use aws_smithy_types::{Blob, DateTime};

use super::{ToHttpText, percent, timestamp_text};

/// Collects the query parameters of one request, unencoded until [`QueryWriter::append_to`].
#[derive(Clone, Debug, Default)]
pub struct QueryWriter {
    named: Vec<(String, String)>,
    from_maps: Vec<(String, String)>,
}

impl QueryWriter {
    /// No parameters yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// `key=value` for a string, number, boolean or enum member; nothing when unset.
    pub fn value<T: ToHttpText + ?Sized>(&mut self, key: &str, value: Option<&T>) {
        if let Some(value) = value {
            self.named.push((key.to_string(), value.to_http_text().into_owned()));
        }
    }

    /// `key=a&key=b` for a list member; nothing when unset or empty.
    pub fn list<T: ToHttpText>(&mut self, key: &str, values: Option<&[T]>) {
        for value in values.unwrap_or_default() {
            self.named.push((key.to_string(), value.to_http_text().into_owned()));
        }
    }

    /// `key=…` for a timestamp member, in `format` (date-time unless the member says otherwise).
    pub fn timestamp(&mut self, key: &str, value: Option<&DateTime>, format: Format) {
        if let Some(value) = value {
            self.named.push((key.to_string(), timestamp_text(value, format)));
        }
    }

    /// `key=…&key=…` for a list of timestamps, each in `format`.
    pub fn timestamp_list(&mut self, key: &str, values: Option<&[DateTime]>, format: Format) {
        for value in values.unwrap_or_default() {
            self.named.push((key.to_string(), timestamp_text(value, format)));
        }
    }

    /// `key=…` for a blob member: its bytes in base64, as the Smithy spec says.
    pub fn blob(&mut self, key: &str, value: Option<&Blob>) {
        if let Some(value) = value {
            self.named.push((key.to_string(), aws_smithy_types::base64::encode(value.as_ref())));
        }
    }

    /// Every entry of an `httpQueryParams` map of strings, unless its key is bound by name.
    pub fn params<K: AsRef<str>, V: AsRef<str>>(&mut self, map: Option<&HashMap<K, V>>) {
        let mut entries: Vec<(&str, &str)> =
            map.into_iter().flatten().map(|(key, value)| (key.as_ref(), value.as_ref())).collect();
        entries.sort_by_key(|(key, _)| *key);
        self.from_maps.extend(entries.into_iter().map(|(key, value)| (key.to_string(), value.to_string())));
    }

    /// Every value of an `httpQueryParams` map of string lists (`k=a&k=b`), unless its key is
    /// bound by name.
    pub fn params_lists<K: AsRef<str>, V: AsRef<str>>(&mut self, map: Option<&HashMap<K, Vec<V>>>) {
        let mut entries: Vec<(&str, &[V])> =
            map.into_iter().flatten().map(|(key, values)| (key.as_ref(), values.as_slice())).collect();
        entries.sort_by_key(|(key, _)| *key);
        for (key, values) in entries {
            self.from_maps.extend(values.iter().map(|value| (key.to_string(), value.as_ref().to_string())));
        }
    }

    /// `uri` (a filled template, perhaps with a literal query of its own) with the parameters
    /// appended, encoded.
    pub fn append_to(self, mut uri: String) -> String {
        let named = self.named.iter();
        let from_maps = self.from_maps.iter().filter(|(key, _)| !self.named.iter().any(|(named, _)| named == key));
        let mut separator = match uri.find('?') {
            None => "?",
            Some(_) if uri.ends_with('?') || uri.ends_with('&') => "",
            Some(_) => "&",
        };
        for (key, value) in named.chain(from_maps) {
            uri.push_str(separator);
            uri.push_str(&percent::encode(key, false));
            uri.push('=');
            uri.push_str(&percent::encode(value, false));
            separator = "&";
        }
        uri
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn map<V: Clone>(entries: &[(&str, V)]) -> HashMap<String, V> {
        entries.iter().map(|(k, v)| (k.to_string(), v.clone())).collect()
    }

    #[test]
    fn every_supported_type() {
        // "Serializes query string parameters with all supported types" (a part of it).
        let mut query = QueryWriter::new();
        query.value("String", Some("Hello there"));
        query.list("StringList", Some(&["a".to_string(), "b".to_string()][..]));
        query.value("Integer", Some(&3i32));
        query.list("IntegerList", Some(&[1i32, 2][..]));
        query.value("Float", Some(&1.1f32));
        query.value("Double", Some(&1.1f64));
        query.value("Boolean", Some(&true));
        query.timestamp("Timestamp", Some(&DateTime::from_secs(1)), Format::DateTime);
        query.timestamp_list(
            "TimestampList",
            Some(&[DateTime::from_secs(1), DateTime::from_secs(2)][..]),
            Format::DateTime,
        );
        assert_eq!(
            query.append_to("/AllQueryStringTypesInput".to_string()),
            "/AllQueryStringTypesInput?String=Hello%20there&StringList=a&StringList=b&Integer=3&IntegerList=1&\
             IntegerList=2&Float=1.1&Double=1.1&Boolean=true&Timestamp=1970-01-01T00%3A00%3A01Z&\
             TimestampList=1970-01-01T00%3A00%3A01Z&TimestampList=1970-01-01T00%3A00%3A02Z"
        );
    }

    #[test]
    fn escaping_all_required_characters() {
        // "Handles escaping all required characters in the query string." The map's `String`
        // yields to the member bound by name.
        let text = " %:/?#[]@!$&'()*+,;=\u{1F639}";
        let mut query = QueryWriter::new();
        query.params_lists(Some(&map(&[("String", vec![text])])));
        query.value("String", Some(text));
        assert_eq!(
            query.append_to("/A".to_string()),
            "/A?String=%20%25%3A%2F%3F%23%5B%5D%40%21%24%26%27%28%29%2A%2B%2C%3B%3D%F0%9F%98%B9"
        );
    }

    #[test]
    fn named_parameters_win_over_maps() {
        // "Prefer named query parameters when serializing".
        let mut query = QueryWriter::new();
        query.value("bar", Some("named"));
        query.params(Some(&map(&[("bar", "fromMap"), ("qux", "alsoFromMap")])));
        assert_eq!(query.append_to("/Precedence".to_string()), "/Precedence?bar=named&qux=alsoFromMap");
        // "Serialize query params from map of list strings".
        let mut query = QueryWriter::new();
        query.value("corge", Some("named"));
        query.params_lists(Some(&map(&[("baz", vec!["bar", "qux"])])));
        assert_eq!(query.append_to("/StringListMap".to_string()), "/StringListMap?corge=named&baz=bar&baz=qux");
    }

    #[test]
    fn constant_and_variable_parameters() {
        // "Mixes constant and variable query string parameters".
        let mut query = QueryWriter::new();
        query.value("baz", Some("bam"));
        query.value::<str>("maybeSet", None);
        assert_eq!(
            query.append_to("/ConstantAndVariableQueryString?foo=bar".to_string()),
            "/ConstantAndVariableQueryString?foo=bar&baz=bam"
        );
        let mut query = QueryWriter::new();
        query.value("x", Some("1"));
        assert_eq!(query.append_to("/?uploads&".to_string()), "/?uploads&x=1");
    }

    #[test]
    fn null_empty_and_zero_values() {
        // "Omits null query values", "Serializes empty query strings", "Supports omitting
        // empty lists.", "Query values of 0 and false are serialized".
        let mut query = QueryWriter::new();
        query.value::<str>("Null", None);
        query.list::<String>("EmptyList", Some(&[]));
        assert_eq!(query.append_to("/O".to_string()), "/O");
        let mut query = QueryWriter::new();
        query.value("Empty", Some(""));
        query.value("Integer", Some(&0i32));
        query.value("Boolean", Some(&false));
        assert_eq!(query.append_to("/O".to_string()), "/O?Empty=&Integer=0&Boolean=false");
        // Legacy: the template's `?abc=mno` is kept.
        let mut query = QueryWriter::new();
        query.value("param-name", Some(""));
        assert_eq!(query.append_to("/path?abc=mno".to_string()), "/path?abc=mno&param-name=");
    }

    #[test]
    fn special_floats() {
        // "Supports handling NaN / Infinity / -Infinity float query values."
        let mut query = QueryWriter::new();
        query.value("Float", Some(&f32::NAN));
        query.value("Double", Some(&f64::INFINITY));
        query.value("Neg", Some(&f64::NEG_INFINITY));
        assert_eq!(query.append_to("/Q".to_string()), "/Q?Float=NaN&Double=Infinity&Neg=-Infinity");
    }

    #[test]
    fn blobs_are_base64_then_encoded() {
        let mut query = QueryWriter::new();
        query.blob("b", Some(&Blob::new([0xfb, 0xff])));
        assert_eq!(query.append_to("/".to_string()), "/?b=%2B%2F8%3D");
    }

    #[test]
    fn map_keys_are_encoded_and_sorted() {
        let mut query = QueryWriter::new();
        query.params(Some(&map(&[("b key", "2"), ("a", "1")])));
        assert_eq!(query.append_to("/".to_string()), "/?a=1&b%20key=2");
    }
}
