//! Writing XML request bodies (the restXml protocol): an escaping writer and [`ToXml`], which
//! structures, unions and scalars implement. Generated code writes a structure member by
//! member, one call each, under the member's element name:
//!
//! ```
//! use awsgen_runtime::xml::{ToXml, XmlWriter};
//!
//! struct Grant {
//!     id: Option<String>,
//!     permissions: Option<Vec<String>>,
//! }
//!
//! impl ToXml for Grant {
//!     fn write_content(&self, out: &mut XmlWriter) {
//!         out.member("ID", None, self.id.as_ref());
//!         out.list("Permissions", None, "Permission", self.permissions.as_deref());
//!     }
//! }
//!
//! let grant = Grant { id: Some("a&b".into()), permissions: Some(vec!["READ".into()]) };
//! let mut out = XmlWriter::new();
//! out.member("Grant", Some(("xmlns", "http://s3.amazonaws.com/doc/2006-03-01/")), Some(&grant));
//! assert_eq!(
//!     out.into_string(),
//!     "<Grant xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><ID>a&amp;b</ID>\
//!      <Permissions><Permission>READ</Permission></Permissions></Grant>"
//! );
//! ```
//!
//! The writer is a few lines of its own rather than quick-xml's: generated code needs to add
//! attributes to an element after it is opened (a namespace from the member, then the
//! structure's `xmlAttribute` members), which a lazily closed start tag gives directly, and the
//! escaping must keep `\r` and attribute whitespace through XML's normalisation.

use std::collections::HashMap;

use aws_smithy_types::date_time::Format;
use aws_smithy_types::{Blob, DateTime};

use super::super::json::MapKey;
use super::super::number;
use super::super::query::{float_text, timestamp_text};

/// A namespace declaration for an element: the attribute (`xmlns` or `xmlns:prefix`) and the URI.
pub type Namespace<'a> = Option<(&'a str, &'a str)>;

/// Builds an XML document as text. Elements are opened with [`start`](Self::start), given
/// attributes until their first content, and closed with [`end`](Self::end).
#[derive(Debug, Default)]
pub struct XmlWriter {
    out: String,
    /// A start tag is written up to its attributes: `>` is still to come.
    tag_open: bool,
}

impl XmlWriter {
    /// An empty document.
    pub fn new() -> Self {
        XmlWriter::default()
    }

    /// The document's text.
    pub fn into_string(mut self) -> String {
        self.close_tag();
        self.out
    }

    fn close_tag(&mut self) {
        if self.tag_open {
            self.out.push('>');
            self.tag_open = false;
        }
    }

    /// Opens the element `name`.
    pub fn start(&mut self, name: &str) {
        self.close_tag();
        self.out.push('<');
        self.out.push_str(name);
        self.tag_open = true;
    }

    /// Adds an attribute to the element just opened; ignored once the element has content.
    pub fn attribute(&mut self, name: &str, value: &str) {
        if !self.tag_open {
            return;
        }
        self.out.push(' ');
        self.out.push_str(name);
        self.out.push_str("=\"");
        escape_into(&mut self.out, value, true);
        self.out.push('"');
    }

    /// Escaped text in the open element.
    pub fn text(&mut self, text: &str) {
        self.close_tag();
        escape_into(&mut self.out, text, false);
    }

    /// Closes the element `name`.
    pub fn end(&mut self, name: &str) {
        self.close_tag();
        self.out.push_str("</");
        self.out.push_str(name);
        self.out.push('>');
    }

    /// Writes `value` as the element `name`, declaring `namespace` on it.
    pub fn element<T: ToXml + ?Sized>(&mut self, name: &str, namespace: Namespace<'_>, value: &T) {
        self.start(name);
        if let Some((attribute, uri)) = namespace {
            self.attribute(attribute, uri);
        }
        value.write_attributes(self);
        value.write_content(self);
        self.end(name);
    }

    /// A member: the element `name` when the value is set, nothing when it is not.
    pub fn member<T: ToXml + ?Sized>(&mut self, name: &str, namespace: Namespace<'_>, value: Option<&T>) {
        if let Some(value) = value {
            self.element(name, namespace, value);
        }
    }

    /// A timestamp member in `format` (ISO 8601 is the default [`ToXml`] of a `DateTime`).
    pub fn timestamp(&mut self, name: &str, namespace: Namespace<'_>, value: Option<&DateTime>, format: Format) {
        if let Some(value) = value {
            self.element(name, namespace, timestamp_text(value, format).as_str());
        }
    }

    /// A wrapped list: `<name><member>…</member>…</name>`, items named `member`.
    pub fn list<T: ToXml>(&mut self, name: &str, namespace: Namespace<'_>, member: &str, items: Option<&[T]>) {
        self.list_with(name, namespace, Some(member), items, |out, name, item| out.element(name, None, item));
    }

    /// A flattened list: each item is an element `name` of its own.
    pub fn flat_list<T: ToXml>(&mut self, name: &str, namespace: Namespace<'_>, items: Option<&[T]>) {
        self.list_with(name, namespace, None, items, |out, name, item| out.element(name, namespace, item));
    }

    /// A list whose items `write` writes (a timestamp format, a collection in a collection),
    /// given the item's element name: wrapped in `name` with items named `member`, or
    /// flattened (`member` is `None`) with items named `name`.
    pub fn list_with<T>(
        &mut self,
        name: &str,
        namespace: Namespace<'_>,
        member: Option<&str>,
        items: Option<&[T]>,
        mut write: impl FnMut(&mut XmlWriter, &str, &T),
    ) {
        let Some(items) = items else { return };
        match member {
            Some(member) => {
                self.start(name);
                if let Some((attribute, uri)) = namespace {
                    self.attribute(attribute, uri);
                }
                for item in items {
                    write(self, member, item);
                }
                self.end(name);
            }
            None => {
                for item in items {
                    write(self, name, item);
                }
            }
        }
    }

    /// A wrapped map: `<name><entry><key>k</key><value>v</value></entry>…</name>`, with the
    /// key and value elements named `key` and `value`.
    pub fn map<K: MapKey, V: ToXml>(
        &mut self,
        name: &str,
        namespace: Namespace<'_>,
        names: (&str, &str),
        entries: Option<&HashMap<K, V>>,
    ) {
        let write = |out: &mut XmlWriter, name: &str, value: &V| out.element(name, None, value);
        self.map_with(name, namespace, Some("entry"), names, None, entries, write);
    }

    /// A flattened map: each entry is an element `name` with its key and value.
    pub fn flat_map<K: MapKey, V: ToXml>(
        &mut self,
        name: &str,
        namespace: Namespace<'_>,
        names: (&str, &str),
        entries: Option<&HashMap<K, V>>,
    ) {
        self.map_with(name, namespace, None, names, None, entries, |out, name, value| out.element(name, None, value));
    }

    /// A map whose values `write` writes, given the value's element name: wrapped in `name`
    /// with entries named `entry`, or flattened (`entry` is `None`) with entries named `name`;
    /// each key element declares `key_namespace`. Entries are written in key order (a
    /// `HashMap` has none; the body is the same every run).
    #[allow(clippy::too_many_arguments)]
    pub fn map_with<K: MapKey, V>(
        &mut self,
        name: &str,
        namespace: Namespace<'_>,
        entry: Option<&str>,
        (key, value): (&str, &str),
        key_namespace: Namespace<'_>,
        entries: Option<&HashMap<K, V>>,
        mut write: impl FnMut(&mut XmlWriter, &str, &V),
    ) {
        let Some(entries) = entries else { return };
        let mut sorted: Vec<(&K, &V)> = entries.iter().collect();
        sorted.sort_by(|a, b| a.0.as_key().cmp(b.0.as_key()));
        let (entry_name, wrapped) = match entry {
            Some(entry) => (entry, true),
            None => (name, false),
        };
        if wrapped {
            self.start(name);
            if let Some((attribute, uri)) = namespace {
                self.attribute(attribute, uri);
            }
        }
        for (k, v) in sorted {
            self.start(entry_name);
            if !wrapped && let Some((attribute, uri)) = namespace {
                self.attribute(attribute, uri);
            }
            self.element(key, key_namespace, k.as_key());
            write(self, value, v);
            self.end(entry_name);
        }
        if wrapped {
            self.end(name);
        }
    }
}

/// Escapes `text` into `out`: `&`, `<` and `>` always, `"` in attributes; `\r` (and in
/// attributes `\n` and `\t`) as character references, so XML's normalisation keeps them.
fn escape_into(out: &mut String, text: &str, attribute: bool) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' if attribute => out.push_str("&quot;"),
            '\r' => out.push_str("&#xD;"),
            '\n' if attribute => out.push_str("&#xA;"),
            '\t' if attribute => out.push_str("&#x9;"),
            c => out.push(c),
        }
    }
}

/// A value that can be written as the content of an XML element.
pub trait ToXml {
    /// The element's attributes (a structure's `xmlAttribute` members); none by default.
    fn write_attributes(&self, _out: &mut XmlWriter) {}

    /// The element's content: text, or child elements.
    fn write_content(&self, out: &mut XmlWriter);

    /// The value as an attribute's text, when it is a scalar.
    fn attribute_text(&self) -> Option<String> {
        None
    }
}

impl XmlWriter {
    /// An `xmlAttribute` member of the element just opened, when set.
    pub fn attribute_member<T: ToXml + ?Sized>(&mut self, name: &str, value: Option<&T>) {
        if let Some(text) = value.and_then(ToXml::attribute_text) {
            self.attribute(name, &text);
        }
    }
}

macro_rules! scalar {
    ($($type:ty => |$value:ident| $text:expr;)*) => {$(
        impl ToXml for $type {
            fn write_content(&self, out: &mut XmlWriter) {
                if let Some(text) = self.attribute_text() {
                    out.text(&text);
                }
            }

            fn attribute_text(&self) -> Option<String> {
                let $value = self;
                Some($text)
            }
        }
    )*};
}

scalar! {
    str => |value| value.to_string();
    String => |value| value.clone();
    bool => |value| if *value { "true".to_string() } else { "false".to_string() };
    i32 => |value| value.to_string();
    i64 => |value| value.to_string();
    f64 => |value| float_text(value.is_nan(), value.is_infinite(), value.is_sign_negative(), |text| {
        number::write_double(text, *value)
    });
    f32 => |value| float_text(value.is_nan(), value.is_infinite(), value.is_sign_negative(), |text| {
        number::write_float(text, *value)
    });
    Blob => |value| aws_smithy_types::base64::encode(value.as_ref());
    DateTime => |value| timestamp_text(value, Format::DateTime);
}

impl<T: ToXml + ?Sized> ToXml for Box<T> {
    fn write_attributes(&self, out: &mut XmlWriter) {
        (**self).write_attributes(out);
    }

    fn write_content(&self, out: &mut XmlWriter) {
        (**self).write_content(out);
    }

    fn attribute_text(&self) -> Option<String> {
        (**self).attribute_text()
    }
}

/// A list nested in a collection, with the default item name, `member`.
impl<T: ToXml> ToXml for Vec<T> {
    fn write_content(&self, out: &mut XmlWriter) {
        for item in self {
            out.element("member", None, item);
        }
    }
}

/// A map nested in a collection, with the default names, `entry`, `key` and `value`.
impl<K: MapKey, V: ToXml> ToXml for HashMap<K, V> {
    fn write_content(&self, out: &mut XmlWriter) {
        let mut sorted: Vec<(&K, &V)> = self.iter().collect();
        sorted.sort_by(|a, b| a.0.as_key().cmp(b.0.as_key()));
        for (key, value) in sorted {
            out.start("entry");
            out.element("key", None, key.as_key());
            out.element("value", None, value);
            out.end("entry");
        }
    }
}

/// Writes `value` as the whole document: the root element `name`, with `namespace`.
pub fn to_document<T: ToXml + ?Sized>(name: &str, namespace: Namespace<'_>, value: &T) -> String {
    let mut out = XmlWriter::new();
    out.element(name, namespace, value);
    out.into_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_and_attributes_are_escaped() {
        let mut out = XmlWriter::new();
        out.start("a");
        out.attribute("v", "\"<&>\n\t\r");
        out.text("<&>\"\r\n");
        out.end("a");
        assert_eq!(out.into_string(), "<a v=\"&quot;&lt;&amp;&gt;&#xA;&#x9;&#xD;\">&lt;&amp;&gt;\"&#xD;\n</a>");
    }

    #[test]
    fn collections_wrapped_and_flattened() {
        let items = vec![1, 2];
        let mut out = XmlWriter::new();
        out.list("L", None, "m", Some(&items));
        out.flat_list("F", Some(("xmlns", "u")), Some(&items));
        let map: HashMap<String, String> = [("b".into(), "2".into()), ("a".into(), "1".into())].into();
        out.map("M", None, ("k", "v"), Some(&map));
        out.flat_map("N", None, ("key", "value"), Some(&map));
        assert_eq!(
            out.into_string(),
            "<L><m>1</m><m>2</m></L><F xmlns=\"u\">1</F><F xmlns=\"u\">2</F>\
             <M><entry><k>a</k><v>1</v></entry><entry><k>b</k><v>2</v></entry></M>\
             <N><key>a</key><value>1</value></N><N><key>b</key><value>2</value></N>"
        );
    }

    #[test]
    fn scalars_as_the_wire_writes_them() {
        let mut out = XmlWriter::new();
        out.member("f", None, Some(&f64::NEG_INFINITY));
        out.member("b", None, Some(&Blob::new(b"value".to_vec())));
        out.member("t", None, Some(&DateTime::from_secs(1_398_796_238)));
        out.timestamp("h", None, Some(&DateTime::from_secs(1_398_796_238)), Format::HttpDate);
        out.member::<str>("none", None, None);
        assert_eq!(
            out.into_string(),
            "<f>-Infinity</f><b>dmFsdWU=</b><t>2014-04-29T18:30:38Z</t><h>Tue, 29 Apr 2014 18:30:38 GMT</h>"
        );
    }
}
