//! Request bodies of the awsQuery and ec2 protocols: `application/x-www-form-urlencoded` pairs,
//! keyed by the members' serialized names joined with dots, as botocore's `QuerySerializer` and
//! `EC2QuerySerializer` write them.
//!
//! Generated code writes a structure member by member, each under the structure's own key:
//!
//! ```
//! use awsgen_runtime::query::{QueryWriter, ToQuery};
//!
//! struct Input {
//!     name: Option<String>,
//!     tags: Option<Vec<String>>,
//! }
//!
//! impl ToQuery for Input {
//!     fn write_query(&self, out: &mut QueryWriter, key: &str) {
//!         out.member(key, "Name", self.name.as_ref());
//!         out.list(key, "Tags", "member", self.tags.as_deref());
//!     }
//! }
//!
//! let mut out = QueryWriter::new("CreateRole", "2010-05-08");
//! let input = Input { name: Some("a b".into()), tags: Some(vec!["x".into()]) };
//! input.write_query(&mut out, "");
//! assert_eq!(out.into_string(), "Action=CreateRole&Version=2010-05-08&Name=a%20b&Tags.member.1=x");
//! ```

use std::collections::HashMap;
use std::fmt::Write as _;

use aws_smithy_types::date_time::Format;
use aws_smithy_types::{Blob, DateTime};

use super::json::MapKey;
use super::number;

/// The `Content-Type` of a query request body.
pub const CONTENT_TYPE: &str = "application/x-www-form-urlencoded; charset=utf-8";

/// Accumulates the `key=value` pairs of a request body, percent-encoded.
#[derive(Debug)]
pub struct QueryWriter {
    out: String,
    ec2: bool,
}

impl QueryWriter {
    /// A body for an awsQuery operation, starting `Action={action}&Version={version}`.
    pub fn new(action: &str, version: &str) -> Self {
        QueryWriter::start(action, version, false)
    }

    /// A body for an ec2 operation: lists are always flattened (`Name.1`), and an empty list
    /// writes nothing.
    pub fn ec2(action: &str, version: &str) -> Self {
        QueryWriter::start(action, version, true)
    }

    fn start(action: &str, version: &str, ec2: bool) -> Self {
        let mut writer = QueryWriter { out: String::with_capacity(128), ec2 };
        writer.pair("Action", action);
        writer.pair("Version", version);
        writer
    }

    /// The body written so far.
    pub fn into_string(self) -> String {
        self.out
    }

    /// Writes one pair, percent-encoding both sides.
    pub fn pair(&mut self, key: &str, value: &str) {
        if !self.out.is_empty() {
            self.out.push('&');
        }
        percent_encode(&mut self.out, key);
        self.out.push('=');
        percent_encode(&mut self.out, value);
    }

    /// Writes the member `name` of the structure at `prefix`, when it is set.
    pub fn member<T: ToQuery + ?Sized>(&mut self, prefix: &str, name: &str, value: Option<&T>) {
        if let Some(value) = value {
            value.write_query(self, &join(prefix, name));
        }
    }

    /// Writes a timestamp member in the `format` its member or target names.
    pub fn timestamp(&mut self, prefix: &str, name: &str, value: Option<&DateTime>, format: Format) {
        if let Some(value) = value {
            self.pair(&join(prefix, name), &timestamp_text(value, format));
        }
    }

    /// Writes a list with each item at `name.{member}.N` (awsQuery; `member` is the list's
    /// member name, usually `member`), or at `name.N` in an ec2 body. An empty list is `name=`
    /// (awsQuery) or nothing (ec2).
    pub fn list<T: ToQuery>(&mut self, prefix: &str, name: &str, member: &str, items: Option<&[T]>) {
        self.list_with(prefix, name, Some(member), items, |out, key, item| item.write_query(out, key));
    }

    /// Writes a flattened list, each item at `name.N`.
    pub fn flat_list<T: ToQuery>(&mut self, prefix: &str, name: &str, items: Option<&[T]>) {
        self.list_with(prefix, name, None, items, |out, key, item| item.write_query(out, key));
    }

    /// Writes a list whose items need a writer of their own (a timestamp format, a nested list
    /// with its own member name); `member` is `None` for a flattened list.
    pub fn list_with<T>(
        &mut self,
        prefix: &str,
        name: &str,
        member: Option<&str>,
        items: Option<&[T]>,
        write: impl Fn(&mut QueryWriter, &str, &T),
    ) {
        let Some(items) = items else { return };
        let key = join(prefix, name);
        if items.is_empty() {
            if !self.ec2 {
                self.pair(&key, "");
            }
            return;
        }
        let base = match member {
            Some(member) if !self.ec2 => join(&key, member),
            _ => key,
        };
        for (index, item) in items.iter().enumerate() {
            write(self, &format!("{base}.{}", index + 1), item);
        }
    }

    /// Writes a map with each entry's key at `name.entry.N.{key}` and its value at
    /// `name.entry.N.{value}` (`key` and `value` are the map's names for them, usually `key`
    /// and `value`). Entries are written in key order; an empty map writes nothing.
    pub fn map<K: MapKey, V: ToQuery>(
        &mut self,
        prefix: &str,
        name: &str,
        key: &str,
        value: &str,
        entries: Option<&HashMap<K, V>>,
    ) {
        self.map_with(prefix, name, Some("entry"), (key, value), entries, |out, key, item| item.write_query(out, key));
    }

    /// Writes a flattened map: `name.N.{key}` and `name.N.{value}`.
    pub fn flat_map<K: MapKey, V: ToQuery>(
        &mut self,
        prefix: &str,
        name: &str,
        key: &str,
        value: &str,
        entries: Option<&HashMap<K, V>>,
    ) {
        self.map_with(prefix, name, None, (key, value), entries, |out, key, item| item.write_query(out, key));
    }

    /// Writes a map whose values need a writer of their own; `entry` is `None` for a
    /// flattened map, and `names` are the map's names for keys and values.
    pub fn map_with<K: MapKey, V>(
        &mut self,
        prefix: &str,
        name: &str,
        entry: Option<&str>,
        names: (&str, &str),
        entries: Option<&HashMap<K, V>>,
        write: impl Fn(&mut QueryWriter, &str, &V),
    ) {
        let Some(entries) = entries else { return };
        let base = match entry {
            Some(entry) => join(&join(prefix, name), entry),
            None => join(prefix, name),
        };
        // A HashMap has no order of its own; sorting makes the body the same on every run.
        let mut sorted: Vec<(&K, &V)> = entries.iter().collect();
        sorted.sort_by(|a, b| a.0.as_key().cmp(b.0.as_key()));
        for (index, (key, value)) in sorted.into_iter().enumerate() {
            let entry_key = format!("{base}.{}", index + 1);
            self.pair(&join(&entry_key, names.0), key.as_key());
            write(self, &join(&entry_key, names.1), value);
        }
    }
}

/// `prefix.name`, or either alone when the other is empty.
fn join(prefix: &str, name: &str) -> String {
    match (prefix.is_empty(), name.is_empty()) {
        (true, _) => name.to_string(),
        (_, true) => prefix.to_string(),
        _ => format!("{prefix}.{name}"),
    }
}

/// Percent-encodes `text` as botocore does (Python's `quote` with `-._~` safe): ASCII letters,
/// digits and `-._~` stay, every other byte of the UTF-8 is `%XX` (a space is `%20`).
pub fn percent_encode(out: &mut String, text: &str) {
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~') {
            out.push(byte as char);
        } else {
            let _ = write!(out, "%{byte:02X}");
        }
    }
}

/// The text of a timestamp in `format`: ISO 8601 (`2015-01-25T08:00:00Z`, the protocols'
/// default), exact epoch seconds, or an HTTP date.
pub fn timestamp_text(value: &DateTime, format: Format) -> String {
    match format {
        Format::EpochSeconds => number::epoch_seconds_text(value),
        Format::DateTime | Format::DateTimeWithOffset => number::date_time_text(value),
        Format::HttpDate => number::http_date_text(value),
    }
}

/// A value that can be written as query pairs under a key.
pub trait ToQuery {
    /// Writes `self` under `key` (a structure writes its members under `key.Member`).
    fn write_query(&self, out: &mut QueryWriter, key: &str);
}

impl ToQuery for str {
    fn write_query(&self, out: &mut QueryWriter, key: &str) {
        out.pair(key, self);
    }
}

impl ToQuery for String {
    fn write_query(&self, out: &mut QueryWriter, key: &str) {
        out.pair(key, self);
    }
}

impl ToQuery for bool {
    fn write_query(&self, out: &mut QueryWriter, key: &str) {
        out.pair(key, if *self { "true" } else { "false" });
    }
}

impl ToQuery for i32 {
    fn write_query(&self, out: &mut QueryWriter, key: &str) {
        out.pair(key, &self.to_string());
    }
}

impl ToQuery for i64 {
    fn write_query(&self, out: &mut QueryWriter, key: &str) {
        out.pair(key, &self.to_string());
    }
}

/// NaN and the infinities as `NaN`, `Infinity`, `-Infinity`; others as Python's `str`.
pub(crate) fn float_text(nan: bool, infinite: bool, negative: bool, write: impl FnOnce(&mut String)) -> String {
    match (nan, infinite, negative) {
        (true, _, _) => "NaN".to_string(),
        (false, true, false) => "Infinity".to_string(),
        (false, true, true) => "-Infinity".to_string(),
        _ => {
            let mut text = String::new();
            write(&mut text);
            text
        }
    }
}

impl ToQuery for f64 {
    fn write_query(&self, out: &mut QueryWriter, key: &str) {
        let value = *self;
        let text = float_text(value.is_nan(), value.is_infinite(), value.is_sign_negative(), |text| {
            number::write_double(text, value)
        });
        out.pair(key, &text);
    }
}

impl ToQuery for f32 {
    fn write_query(&self, out: &mut QueryWriter, key: &str) {
        let value = *self;
        let text = float_text(value.is_nan(), value.is_infinite(), value.is_sign_negative(), |text| {
            number::write_float(text, value)
        });
        out.pair(key, &text);
    }
}

impl ToQuery for Blob {
    fn write_query(&self, out: &mut QueryWriter, key: &str) {
        out.pair(key, &aws_smithy_types::base64::encode(self.as_ref()));
    }
}

/// ISO 8601, the protocols' default; a member with another format uses
/// [`QueryWriter::timestamp`].
impl ToQuery for DateTime {
    fn write_query(&self, out: &mut QueryWriter, key: &str) {
        out.pair(key, &timestamp_text(self, Format::DateTime));
    }
}

impl<T: ToQuery + ?Sized> ToQuery for Box<T> {
    fn write_query(&self, out: &mut QueryWriter, key: &str) {
        (**self).write_query(out, key);
    }
}

/// A list with the default member name, `key.member.N` (`key.N` in an ec2 body).
impl<T: ToQuery> ToQuery for Vec<T> {
    fn write_query(&self, out: &mut QueryWriter, key: &str) {
        out.list(key, "", "member", Some(self));
    }
}

/// A map with the default names, `key.entry.N.key` and `key.entry.N.value`.
impl<K: MapKey, V: ToQuery> ToQuery for HashMap<K, V> {
    fn write_query(&self, out: &mut QueryWriter, key: &str) {
        out.map(key, "", "key", "value", Some(self));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A structure of each kind of member, as the generator will write it.
    #[derive(Default)]
    struct Input {
        foo: Option<String>,
        baz: Option<bool>,
        bam: Option<i32>,
        boo: Option<f64>,
        float: Option<f32>,
        qux: Option<Blob>,
        time: Option<DateTime>,
        epoch: Option<DateTime>,
        list: Option<Vec<String>>,
        flat: Option<Vec<String>>,
        item_list: Option<Vec<String>>,
        nested: Option<Box<Input>>,
        structs: Option<Vec<Input>>,
        map: Option<HashMap<String, String>>,
        renamed_map: Option<HashMap<String, String>>,
        flat_map: Option<HashMap<String, String>>,
        map_of_lists: Option<HashMap<String, Vec<String>>>,
    }

    impl ToQuery for Input {
        fn write_query(&self, out: &mut QueryWriter, key: &str) {
            out.member(key, "Foo", self.foo.as_ref());
            out.member(key, "Baz", self.baz.as_ref());
            out.member(key, "Bam", self.bam.as_ref());
            out.member(key, "Boo", self.boo.as_ref());
            out.member(key, "FloatValue", self.float.as_ref());
            out.member(key, "Qux", self.qux.as_ref());
            out.member(key, "TimeArg", self.time.as_ref());
            out.timestamp(key, "TimeFormat", self.epoch.as_ref(), Format::EpochSeconds);
            out.list(key, "ListArg", "member", self.list.as_deref());
            out.flat_list(key, "Hi", self.flat.as_deref());
            out.list(key, "ItemList", "item", self.item_list.as_deref());
            out.member(key, "Nested", self.nested.as_ref());
            out.list(key, "ComplexListArg", "member", self.structs.as_deref());
            out.map(key, "MapArg", "key", "value", self.map.as_ref());
            out.map(key, "Renamed", "K", "V", self.renamed_map.as_ref());
            out.flat_map(key, "Flat", "key", "value", self.flat_map.as_ref());
            out.member(key, "MapOfLists", self.map_of_lists.as_ref());
        }
    }

    fn query(input: &Input) -> String {
        let mut out = QueryWriter::new("Op", "2020-01-08");
        input.write_query(&mut out, "");
        out.into_string()
    }

    fn ec2(input: &Input) -> String {
        let mut out = QueryWriter::ec2("Op", "2020-01-08");
        input.write_query(&mut out, "");
        out.into_string()
    }

    const START: &str = "Action=Op&Version=2020-01-08";

    #[test]
    fn scalars_as_botocore_writes_them() {
        let input = Input {
            foo: Some("val1".into()),
            baz: Some(false),
            bam: Some(10),
            boo: Some(10.8),
            qux: Some(Blob::new("value")),
            time: Some(DateTime::from_secs(1422172800)),
            epoch: Some(DateTime::from_secs(1422172800)),
            ..Input::default()
        };
        assert_eq!(
            query(&input),
            format!(
                "{START}&Foo=val1&Baz=false&Bam=10&Boo=10.8&Qux=dmFsdWU%3D&TimeArg=2015-01-25T08%3A00%3A00Z\
                 &TimeFormat=1422172800"
            )
        );
        for (value, text) in
            [(f64::NAN, "NaN"), (f64::INFINITY, "Infinity"), (f64::NEG_INFINITY, "-Infinity"), (1e16, "1e%2B16")]
        {
            let input = Input { boo: Some(value), float: Some(value as f32), ..Input::default() };
            let float = if value == 1e16 { "1e%2B16" } else { text };
            assert_eq!(query(&input), format!("{START}&Boo={text}&FloatValue={float}"));
        }
        let input = Input { float: Some(0.1), time: Some(DateTime::from_secs_and_nanos(0, 1_000)), ..Input::default() };
        assert_eq!(query(&input), format!("{START}&FloatValue=0.1&TimeArg=1970-01-01T00%3A00%3A00.000001Z"));
    }

    #[test]
    fn percent_encoding_keeps_only_unreserved_characters() {
        let mut out = String::new();
        percent_encode(&mut out, "aZ09-._~ /+=&%:é\u{263A}");
        assert_eq!(out, "aZ09-._~%20%2F%2B%3D%26%25%3A%C3%A9%E2%98%BA");
    }

    #[test]
    fn query_lists_and_structures() {
        let input = Input {
            list: Some(vec!["foo".into(), "bar".into()]),
            flat: Some(vec!["A".into()]),
            item_list: Some(vec!["a".into()]),
            nested: Some(Box::new(Input { foo: Some("baz".into()), ..Input::default() })),
            structs: Some(vec![
                Input { foo: Some("hello".into()), ..Input::default() },
                Input { list: Some(vec!["x".into()]), ..Input::default() },
            ]),
            ..Input::default()
        };
        assert_eq!(
            query(&input),
            format!(
                "{START}&ListArg.member.1=foo&ListArg.member.2=bar&Hi.1=A&ItemList.item.1=a&Nested.Foo=baz\
                 &ComplexListArg.member.1.Foo=hello&ComplexListArg.member.2.ListArg.member.1=x"
            )
        );
        let empty = Input { list: Some(vec![]), flat: Some(vec![]), ..Input::default() };
        assert_eq!(query(&empty), format!("{START}&ListArg=&Hi="));
    }

    #[test]
    fn ec2_lists_are_flat_and_empty_ones_absent() {
        let input = Input {
            list: Some(vec!["foo".into(), "bar".into()]),
            item_list: Some(vec!["a".into()]),
            structs: Some(vec![Input { foo: Some("hello".into()), ..Input::default() }]),
            ..Input::default()
        };
        assert_eq!(ec2(&input), format!("{START}&ListArg.1=foo&ListArg.2=bar&ItemList.1=a&ComplexListArg.1.Foo=hello"));
        let empty = Input { list: Some(vec![]), flat: Some(vec![]), ..Input::default() };
        assert_eq!(ec2(&empty), START);
    }

    #[test]
    fn maps_wrapped_renamed_flattened_and_of_lists() {
        let pairs = HashMap::from([("foo".to_string(), "Foo".to_string()), ("bar".to_string(), "Bar".to_string())]);
        let input = Input {
            map: Some(pairs.clone()),
            renamed_map: Some(HashMap::from([("k".to_string(), "v".to_string())])),
            flat_map: Some(pairs),
            map_of_lists: Some(HashMap::from([("bar".to_string(), vec!["C".to_string(), "D".to_string()])])),
            ..Input::default()
        };
        assert_eq!(
            query(&input),
            format!(
                "{START}&MapArg.entry.1.key=bar&MapArg.entry.1.value=Bar&MapArg.entry.2.key=foo&MapArg.entry.2.value=Foo\
                 &Renamed.entry.1.K=k&Renamed.entry.1.V=v&Flat.1.key=bar&Flat.1.value=Bar&Flat.2.key=foo\
                 &Flat.2.value=Foo&MapOfLists.entry.1.key=bar&MapOfLists.entry.1.value.member.1=C\
                 &MapOfLists.entry.1.value.member.2=D"
            )
        );
        let empty = Input { map: Some(HashMap::new()), ..Input::default() };
        assert_eq!(query(&empty), START);
    }
}
