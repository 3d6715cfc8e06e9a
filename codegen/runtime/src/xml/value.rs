//! Values read from XML elements: scalars from text, lists and maps wrapped or flattened, and
//! timestamps in any of the three formats.

use std::collections::HashMap;

use aws_smithy_types::date_time::Format;
use aws_smithy_types::{Blob, DateTime};

use super::super::json::MapKey;
use super::super::number::{self, ParseError};
use super::{XmlElement, XmlError};

/// A value that can be read from an XML element (a structure, a list, a scalar).
pub trait FromXml: Sized {
    /// Reads a value from `element`, consuming it.
    fn read_xml(element: &mut XmlElement<'_, '_>) -> Result<Self, XmlError>;
}

/// A scalar that can be read from text (an element's or an attribute's).
pub trait FromXmlText: Sized {
    /// Reads the value; the error says what was expected and what was found.
    fn from_xml_text(text: &str) -> Result<Self, String>;
}

macro_rules! from_text {
    ($($type:ty),*) => {$(
        impl FromXml for $type {
            fn read_xml(element: &mut XmlElement<'_, '_>) -> Result<Self, XmlError> {
                let text = element.text()?;
                Self::from_xml_text(&text).map_err(|message| element.invalid(message))
            }
        }
    )*};
}

from_text!(String, bool, i32, i64, f32, f64, Blob, DateTime);

impl FromXmlText for String {
    fn from_xml_text(text: &str) -> Result<Self, String> {
        Ok(text.to_string())
    }
}

impl FromXmlText for bool {
    fn from_xml_text(text: &str) -> Result<Self, String> {
        match text.trim() {
            "true" => Ok(true),
            "false" => Ok(false),
            _ => Err(format!("expected a boolean, found {text:?}")),
        }
    }
}

impl FromXmlText for i32 {
    fn from_xml_text(text: &str) -> Result<Self, String> {
        text.trim().parse().map_err(|_| format!("expected an integer (i32), found {text:?}"))
    }
}

impl FromXmlText for i64 {
    fn from_xml_text(text: &str) -> Result<Self, String> {
        text.trim().parse().map_err(|_| format!("expected an integer (i64), found {text:?}"))
    }
}

impl FromXmlText for f64 {
    fn from_xml_text(text: &str) -> Result<Self, String> {
        let trimmed = text.trim();
        match trimmed {
            "NaN" => Ok(f64::NAN),
            "Infinity" => Ok(f64::INFINITY),
            "-Infinity" => Ok(f64::NEG_INFINITY),
            // Rust also reads `inf` and `nan` in any case; the wire never writes those.
            _ if trimmed.bytes().any(|b| b.is_ascii_alphabetic() && !matches!(b, b'e' | b'E')) => {
                Err(format!("expected a number, found {text:?}"))
            }
            _ => trimmed.parse().map_err(|_| format!("expected a number, found {text:?}")),
        }
    }
}

impl FromXmlText for f32 {
    fn from_xml_text(text: &str) -> Result<Self, String> {
        let double = f64::from_xml_text(text)?;
        // The nearest f32 to the text is the nearest to its nearest double but for halfway
        // cases, which f32's own parser gets right from the text.
        let float: f32 = if double.is_finite() { text.trim().parse().unwrap_or(double as f32) } else { double as f32 };
        if float.is_infinite() && double.is_finite() {
            return Err(format!("{text:?} is past the range of a Float (f32)"));
        }
        Ok(float)
    }
}

impl FromXmlText for Blob {
    fn from_xml_text(text: &str) -> Result<Self, String> {
        // Long base64 may be wrapped over lines.
        let compact: String = text.chars().filter(|c| !c.is_ascii_whitespace()).collect();
        aws_smithy_types::base64::decode(&compact).map(Blob::new).map_err(|e| format!("not valid base64 ({e})"))
    }
}

impl FromXmlText for DateTime {
    /// An ISO 8601 timestamp, the protocols' default (or any other format, as botocore reads).
    fn from_xml_text(text: &str) -> Result<Self, String> {
        timestamp_from_text(text, Format::DateTime)
    }
}

/// Reads a timestamp in `format` first, then as epoch seconds, ISO 8601 (with an offset) or an
/// HTTP date; a timestamp past `DateTime`'s range is an error whatever the format.
pub fn timestamp_from_text(text: &str, format: Format) -> Result<DateTime, String> {
    let text = text.trim();
    let first = match format {
        Format::EpochSeconds => number::parse_epoch_seconds(text),
        Format::DateTime | Format::DateTimeWithOffset => number::parse_date_time(text),
        Format::HttpDate => number::parse_http_date(text),
    };
    match first {
        Ok(time) => Ok(time),
        Err(ParseError::OutOfRange(message)) => Err(message),
        Err(ParseError::Invalid(message)) => number::parse_epoch_seconds(text)
            .or_else(|_| number::parse_date_time(text))
            .or_else(|_| number::parse_http_date(text))
            .map_err(|_| message),
    }
}

impl<T: FromXml> FromXml for Box<T> {
    fn read_xml(element: &mut XmlElement<'_, '_>) -> Result<Self, XmlError> {
        T::read_xml(element).map(Box::new)
    }
}

/// A wrapped list with the default member name, `<member>`.
impl<T: FromXml> FromXml for Vec<T> {
    fn read_xml(element: &mut XmlElement<'_, '_>) -> Result<Self, XmlError> {
        read_list(element, "member")
    }
}

/// A wrapped map with the default names, `<entry><key/><value/></entry>`.
impl<K: MapKey, V: FromXml> FromXml for HashMap<K, V> {
    fn read_xml(element: &mut XmlElement<'_, '_>) -> Result<Self, XmlError> {
        read_map(element, "entry", "key", "value")
    }
}

/// Reads a wrapped list: the children named `member` (other children are passed over).
pub fn read_list<T: FromXml>(element: &mut XmlElement<'_, '_>, member: &str) -> Result<Vec<T>, XmlError> {
    read_list_with(element, member, T::read_xml)
}

/// Reads a wrapped list whose items need a reader of their own (a timestamp format, say).
pub fn read_list_with<T>(
    element: &mut XmlElement<'_, '_>,
    member: &str,
    mut read: impl FnMut(&mut XmlElement<'_, '_>) -> Result<T, XmlError>,
) -> Result<Vec<T>, XmlError> {
    let mut out = Vec::new();
    while let Some(mut child) = element.next_child()? {
        if child.local_name() == member {
            child.set_index(out.len() + 1);
            out.push(read(&mut child)?);
        } else {
            child.skip()?;
        }
    }
    Ok(out)
}

/// Reads one item of a flattened list (the element itself is the item) onto the end of `list`.
pub fn push<T: FromXml>(list: &mut Option<Vec<T>>, element: &mut XmlElement<'_, '_>) -> Result<(), XmlError> {
    push_with(list, element, T::read_xml)
}

/// [`push`] with a reader of its own.
pub fn push_with<T>(
    list: &mut Option<Vec<T>>,
    element: &mut XmlElement<'_, '_>,
    read: impl FnOnce(&mut XmlElement<'_, '_>) -> Result<T, XmlError>,
) -> Result<(), XmlError> {
    let list = list.get_or_insert_with(Vec::new);
    element.set_index(list.len() + 1);
    list.push(read(element)?);
    Ok(())
}

/// Reads a wrapped map: children named `entry`, each with a `key` and a `value` child.
pub fn read_map<K: MapKey, V: FromXml>(
    element: &mut XmlElement<'_, '_>,
    entry: &str,
    key: &str,
    value: &str,
) -> Result<HashMap<K, V>, XmlError> {
    read_map_with(element, entry, key, value, V::read_xml)
}

/// Reads a wrapped map whose values need a reader of their own.
pub fn read_map_with<K: MapKey, V>(
    element: &mut XmlElement<'_, '_>,
    entry: &str,
    key: &str,
    value: &str,
    mut read: impl FnMut(&mut XmlElement<'_, '_>) -> Result<V, XmlError>,
) -> Result<HashMap<K, V>, XmlError> {
    let mut out = HashMap::new();
    while let Some(mut child) = element.next_child()? {
        if child.local_name() == entry {
            child.set_index(out.len() + 1);
            let (k, v) = read_entry(&mut child, key, value, &mut read)?;
            out.insert(k, v);
        } else {
            child.skip()?;
        }
    }
    Ok(out)
}

/// Reads one entry of a flattened map (the element itself is the entry) into `map`.
pub fn insert<K: MapKey, V: FromXml>(
    map: &mut Option<HashMap<K, V>>,
    element: &mut XmlElement<'_, '_>,
    key: &str,
    value: &str,
) -> Result<(), XmlError> {
    insert_with(map, element, key, value, V::read_xml)
}

/// [`insert`] with a reader of its own for the value.
pub fn insert_with<K: MapKey, V>(
    map: &mut Option<HashMap<K, V>>,
    element: &mut XmlElement<'_, '_>,
    key: &str,
    value: &str,
    mut read: impl FnMut(&mut XmlElement<'_, '_>) -> Result<V, XmlError>,
) -> Result<(), XmlError> {
    let map = map.get_or_insert_with(HashMap::new);
    element.set_index(map.len() + 1);
    let (k, v) = read_entry(element, key, value, &mut read)?;
    map.insert(k, v);
    Ok(())
}

fn read_entry<K: MapKey, V>(
    entry: &mut XmlElement<'_, '_>,
    key: &str,
    value: &str,
    read: &mut impl FnMut(&mut XmlElement<'_, '_>) -> Result<V, XmlError>,
) -> Result<(K, V), XmlError> {
    let (mut found_key, mut found_value) = (None, None);
    while let Some(mut child) = entry.next_child()? {
        if child.local_name() == key {
            found_key = Some(child.text()?);
        } else if child.local_name() == value {
            found_value = Some(read(&mut child)?);
        } else {
            child.skip()?;
        }
    }
    match (found_key, found_value) {
        (Some(k), Some(v)) => Ok((K::from_key(&k), v)),
        (None, _) => Err(entry.invalid(format!("a map entry without its <{key}>"))),
        (_, None) => Err(entry.invalid(format!("a map entry without its <{value}>"))),
    }
}
