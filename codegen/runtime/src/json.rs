//! JSON on the wire: a writer for request bodies, and typed reading of response bodies that
//! names the path of any value that does not fit.

use std::collections::HashMap;
use std::fmt;

use aws_smithy_types::date_time::Format;
use aws_smithy_types::{Blob, DateTime, Document, Number};
use serde_json::Value;

use super::path::Path;

/// Writes JSON text into a string.
#[derive(Debug, Default)]
pub struct JsonWriter {
    out: String,
}

impl JsonWriter {
    /// An empty writer.
    pub fn new() -> Self {
        JsonWriter::default()
    }

    /// The JSON text written so far.
    pub fn into_string(self) -> String {
        self.out
    }

    /// Writes `null`.
    pub fn null(&mut self) {
        self.out.push_str("null");
    }

    /// Writes `true` or `false`.
    pub fn bool(&mut self, value: bool) {
        self.out.push_str(if value { "true" } else { "false" });
    }

    /// Writes an integer.
    pub fn integer(&mut self, value: i64) {
        self.out.push_str(&value.to_string());
    }

    /// Writes a 64-bit float; NaN and the infinities become the strings `"NaN"`, `"Infinity"`
    /// and `"-Infinity"`, as the AWS JSON protocols require.
    pub fn double(&mut self, value: f64) {
        match special_float(value.is_nan(), value.is_infinite(), value < 0.0) {
            Some(text) => self.string(text),
            // Display is the shortest text that reads back as the same value.
            None => self.out.push_str(&value.to_string()),
        }
    }

    /// Writes a 32-bit float, keeping its own shortest text (`0.1`, not `0.100000001`).
    pub fn float(&mut self, value: f32) {
        match special_float(value.is_nan(), value.is_infinite(), value < 0.0) {
            Some(text) => self.string(text),
            None => self.out.push_str(&value.to_string()),
        }
    }

    /// Writes a string, escaped.
    pub fn string(&mut self, value: &str) {
        self.out.reserve(value.len() + 2);
        self.out.push('"');
        let mut start = 0;
        for (at, byte) in value.bytes().enumerate() {
            let escape = match byte {
                b'"' => "\\\"",
                b'\\' => "\\\\",
                b'\n' => "\\n",
                b'\r' => "\\r",
                b'\t' => "\\t",
                0x08 => "\\b",
                0x0c => "\\f",
                0x00..=0x1f => "",
                _ => continue,
            };
            self.out.push_str(&value[start..at]);
            if escape.is_empty() {
                self.out.push_str(&format!("\\u{byte:04x}"));
            } else {
                self.out.push_str(escape);
            }
            start = at + 1;
        }
        self.out.push_str(&value[start..]);
        self.out.push('"');
    }

    /// Writes a timestamp in `format` (epoch seconds as a number, the others as strings).
    pub fn timestamp(&mut self, value: &DateTime, format: Format) {
        match format {
            Format::EpochSeconds => {
                if value.has_subsec_nanos() {
                    self.double(value.as_secs_f64());
                } else {
                    self.integer(value.secs());
                }
            }
            _ => match value.fmt(format) {
                Ok(text) => self.string(&text),
                // Only years outside 0001..=9999 cannot be formatted; epoch seconds can carry
                // any of them.
                Err(_) => self.integer(value.secs()),
            },
        }
    }

    /// Writes already serialised JSON text as it is.
    pub fn raw(&mut self, json: &str) {
        self.out.push_str(json);
    }

    /// Starts an object; it is closed when the returned writer is dropped.
    pub fn object(&mut self) -> ObjectWriter<'_> {
        self.out.push('{');
        ObjectWriter { writer: self, empty: true }
    }

    /// Starts an array; it is closed when the returned writer is dropped.
    pub fn array(&mut self) -> ArrayWriter<'_> {
        self.out.push('[');
        ArrayWriter { writer: self, empty: true }
    }
}

fn special_float(nan: bool, infinite: bool, negative: bool) -> Option<&'static str> {
    match (nan, infinite, negative) {
        (true, _, _) => Some("NaN"),
        (false, true, false) => Some("Infinity"),
        (false, true, true) => Some("-Infinity"),
        _ => None,
    }
}

/// Writes the members of an object.
#[derive(Debug)]
pub struct ObjectWriter<'a> {
    writer: &'a mut JsonWriter,
    empty: bool,
}

impl ObjectWriter<'_> {
    /// Writes `key` and returns the writer for its value, which the caller must write.
    pub fn key(&mut self, key: &str) -> &mut JsonWriter {
        if !self.empty {
            self.writer.out.push(',');
        }
        self.empty = false;
        self.writer.string(key);
        self.writer.out.push(':');
        self.writer
    }

    /// Writes `key` with `value`.
    pub fn member<T: ToJson + ?Sized>(&mut self, key: &str, value: &T) {
        value.write_json(self.key(key));
    }
}

impl Drop for ObjectWriter<'_> {
    fn drop(&mut self) {
        self.writer.out.push('}');
    }
}

/// Writes the elements of an array.
#[derive(Debug)]
pub struct ArrayWriter<'a> {
    writer: &'a mut JsonWriter,
    empty: bool,
}

impl ArrayWriter<'_> {
    /// Returns the writer for the next element, which the caller must write.
    pub fn element(&mut self) -> &mut JsonWriter {
        if !self.empty {
            self.writer.out.push(',');
        }
        self.empty = false;
        self.writer
    }
}

impl Drop for ArrayWriter<'_> {
    fn drop(&mut self) {
        self.writer.out.push(']');
    }
}

/// A value that can be written as JSON.
pub trait ToJson {
    /// Writes `self` into `writer`.
    fn write_json(&self, writer: &mut JsonWriter);
}

/// A value that can be read from JSON.
pub trait FromJson: Sized {
    /// Reads a value from `value`, which sits at `path`.
    fn from_json(value: &Value, path: &Path<'_>) -> Result<Self, JsonError>;
}

/// A map key: a string or a string enum.
pub trait MapKey: Sized + Eq + std::hash::Hash {
    /// The key as it appears on the wire.
    fn as_key(&self) -> &str;
    /// The key read from the wire.
    fn from_key(key: &str) -> Self;
}

impl MapKey for String {
    fn as_key(&self) -> &str {
        self
    }
    fn from_key(key: &str) -> Self {
        key.to_string()
    }
}

/// A JSON value that does not fit the type the model gives it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct JsonError {
    /// Where the value is, e.g. `ModelPackageArn` or `Items[3].Name`.
    pub path: String,
    /// What was expected and what was found.
    pub message: String,
}

impl JsonError {
    /// `path` should hold `expected` but holds `found`.
    pub fn expected(path: &Path<'_>, expected: &str, found: &Value) -> Self {
        let found = match found {
            Value::Null => "null",
            Value::Bool(_) => "a boolean",
            Value::Number(_) => "a number",
            Value::String(_) => "a string",
            Value::Array(_) => "an array",
            Value::Object(_) => "an object",
        };
        JsonError { path: path.to_string(), message: format!("expected {expected}, found {found}") }
    }

    /// `path` holds a value of the right JSON type that is still unusable.
    pub fn invalid(path: &Path<'_>, message: impl Into<String>) -> Self {
        JsonError { path: path.to_string(), message: message.into() }
    }
}

impl fmt::Display for JsonError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.path.is_empty() {
            write!(f, "{}", self.message)
        } else {
            write!(f, "at `{}`: {}", self.path, self.message)
        }
    }
}

impl std::error::Error for JsonError {}

/// Writes any value through its [`ToJson`] impl (the generated code's default writer).
pub fn write_value<T: ToJson + ?Sized>(writer: &mut JsonWriter, value: &T) {
    value.write_json(writer);
}

/// Reads any value through its [`FromJson`] impl (the generated code's default reader).
pub fn read_value<T: FromJson>(value: &Value, path: &Path<'_>) -> Result<T, JsonError> {
    T::from_json(value, path)
}

/// Reads an optional member: `null` is the same as absent.
pub fn optional<T: FromJson>(value: &Value, path: &Path<'_>) -> Result<Option<T>, JsonError> {
    match value {
        Value::Null => Ok(None),
        value => T::from_json(value, path).map(Some),
    }
}

/// Reads an optional member with a reader of its own (a timestamp format, say).
pub fn optional_with<T>(
    value: &Value,
    path: &Path<'_>,
    read: impl Fn(&Value, &Path<'_>) -> Result<T, JsonError>,
) -> Result<Option<T>, JsonError> {
    match value {
        Value::Null => Ok(None),
        value => read(value, path).map(Some),
    }
}

/// The members of an object.
pub fn object<'v>(value: &'v Value, path: &Path<'_>) -> Result<&'v serde_json::Map<String, Value>, JsonError> {
    value.as_object().ok_or_else(|| JsonError::expected(path, "an object", value))
}

/// Reads a list whose elements need a reader of their own. Nulls in a dense list are dropped.
pub fn list_with<T>(
    value: &Value,
    path: &Path<'_>,
    read: impl Fn(&Value, &Path<'_>) -> Result<T, JsonError>,
) -> Result<Vec<T>, JsonError> {
    let items = value.as_array().ok_or_else(|| JsonError::expected(path, "an array", value))?;
    let mut out = Vec::with_capacity(items.len());
    for (index, item) in items.iter().enumerate() {
        if !item.is_null() {
            out.push(read(item, &path.index(index))?);
        }
    }
    Ok(out)
}

/// Reads a map whose values need a reader of their own. Null values in a dense map are dropped.
pub fn map_with<K: MapKey, T>(
    value: &Value,
    path: &Path<'_>,
    read: impl Fn(&Value, &Path<'_>) -> Result<T, JsonError>,
) -> Result<HashMap<K, T>, JsonError> {
    let entries = object(value, path)?;
    let mut out = HashMap::with_capacity(entries.len());
    for (key, item) in entries {
        if !item.is_null() {
            out.insert(K::from_key(key), read(item, &path.key(key))?);
        }
    }
    Ok(out)
}

/// Reads a sparse list: nulls are kept as `None`.
pub fn sparse_list_with<T>(
    value: &Value,
    path: &Path<'_>,
    read: impl Fn(&Value, &Path<'_>) -> Result<T, JsonError>,
) -> Result<Vec<Option<T>>, JsonError> {
    let items = value.as_array().ok_or_else(|| JsonError::expected(path, "an array", value))?;
    let mut out = Vec::with_capacity(items.len());
    for (index, item) in items.iter().enumerate() {
        out.push(optional_with(item, &path.index(index), &read)?);
    }
    Ok(out)
}

/// Reads a sparse map: null values are kept as `None`.
pub fn sparse_map_with<K: MapKey, T>(
    value: &Value,
    path: &Path<'_>,
    read: impl Fn(&Value, &Path<'_>) -> Result<T, JsonError>,
) -> Result<HashMap<K, Option<T>>, JsonError> {
    let entries = object(value, path)?;
    let mut out = HashMap::with_capacity(entries.len());
    for (key, item) in entries {
        out.insert(K::from_key(key), optional_with(item, &path.key(key), &read)?);
    }
    Ok(out)
}

/// Reads a timestamp in `format`; epoch seconds may come as a number or a numeric string, and
/// an RFC 3339 date-time may carry a UTC offset (`2019-12-16T22:48:18-01:00`).
pub fn timestamp(value: &Value, path: &Path<'_>, format: Format) -> Result<DateTime, JsonError> {
    let parsed = match (value, format) {
        (Value::Number(number), _) => DateTime::from_str(&number.to_string(), Format::EpochSeconds),
        (Value::String(text), Format::DateTime) => return date_time(text, path),
        (Value::String(text), format) => DateTime::from_str(text, format),
        (other, _) => return Err(JsonError::expected(path, "a timestamp", other)),
    };
    parsed.map_err(|e| JsonError::invalid(path, format!("not a valid timestamp: {e}")))
}

/// An RFC 3339 date-time, in UTC (`Z`) or with an offset (`+01:00`), which `DateTime` alone
/// does not read: the time is read as UTC, then the offset taken off.
fn date_time(text: &str, path: &Path<'_>) -> Result<DateTime, JsonError> {
    let invalid = |e: &dyn fmt::Display| JsonError::invalid(path, format!("not a valid timestamp: {e}"));
    let offset = text.len().checked_sub(6).and_then(|at| {
        let (time, offset) = (text.get(..at)?, text.get(at..)?.as_bytes());
        let sign = match offset[0] {
            b'+' => 1,
            b'-' => -1,
            _ => return None,
        };
        let digits = |a: u8, b: u8| {
            (a.is_ascii_digit() && b.is_ascii_digit()).then(|| i64::from(a - b'0') * 10 + i64::from(b - b'0'))
        };
        let (hours, minutes) = (digits(offset[1], offset[2])?, digits(offset[4], offset[5])?);
        (offset[3] == b':' && hours < 24 && minutes < 60).then_some((time, sign * (hours * 3600 + minutes * 60)))
    });
    match offset {
        None => DateTime::from_str(text, Format::DateTime).map_err(|e| invalid(&e)),
        Some((time, offset)) => {
            let utc = DateTime::from_str(&format!("{time}Z"), Format::DateTime).map_err(|e| invalid(&e))?;
            Ok(DateTime::from_secs_and_nanos(utc.secs() - offset, utc.subsec_nanos()))
        }
    }
}

/// Writes a list whose elements need a writer of their own.
pub fn write_list_with<T>(writer: &mut JsonWriter, items: &[T], write: impl Fn(&mut JsonWriter, &T)) {
    let mut array = writer.array();
    for item in items {
        write(array.element(), item);
    }
}

/// Writes a map whose values need a writer of their own.
pub fn write_map_with<K: MapKey, T>(
    writer: &mut JsonWriter,
    entries: &HashMap<K, T>,
    write: impl Fn(&mut JsonWriter, &T),
) {
    let mut object = writer.object();
    for (key, value) in entries {
        write(object.key(key.as_key()), value);
    }
}

impl ToJson for str {
    fn write_json(&self, writer: &mut JsonWriter) {
        writer.string(self);
    }
}

impl ToJson for String {
    fn write_json(&self, writer: &mut JsonWriter) {
        writer.string(self);
    }
}

impl ToJson for bool {
    fn write_json(&self, writer: &mut JsonWriter) {
        writer.bool(*self);
    }
}

impl ToJson for i32 {
    fn write_json(&self, writer: &mut JsonWriter) {
        writer.integer(i64::from(*self));
    }
}

impl ToJson for i64 {
    fn write_json(&self, writer: &mut JsonWriter) {
        writer.integer(*self);
    }
}

impl ToJson for f32 {
    fn write_json(&self, writer: &mut JsonWriter) {
        writer.float(*self);
    }
}

impl ToJson for f64 {
    fn write_json(&self, writer: &mut JsonWriter) {
        writer.double(*self);
    }
}

impl ToJson for Blob {
    fn write_json(&self, writer: &mut JsonWriter) {
        writer.string(&aws_smithy_types::base64::encode(self.as_ref()));
    }
}

impl ToJson for DateTime {
    fn write_json(&self, writer: &mut JsonWriter) {
        writer.timestamp(self, Format::EpochSeconds);
    }
}

impl ToJson for Document {
    fn write_json(&self, writer: &mut JsonWriter) {
        match self {
            Document::Object(entries) => {
                let mut object = writer.object();
                for (key, value) in entries {
                    object.member(key, value);
                }
            }
            Document::Array(items) => items.write_json(writer),
            Document::Number(Number::PosInt(n)) => writer.raw(&n.to_string()),
            Document::Number(Number::NegInt(n)) => writer.integer(*n),
            Document::Number(Number::Float(n)) => writer.double(*n),
            Document::String(text) => writer.string(text),
            Document::Bool(b) => writer.bool(*b),
            Document::Null => writer.null(),
        }
    }
}

impl<T: ToJson> ToJson for Vec<T> {
    fn write_json(&self, writer: &mut JsonWriter) {
        let mut array = writer.array();
        for item in self {
            item.write_json(array.element());
        }
    }
}

impl<K: MapKey, T: ToJson> ToJson for HashMap<K, T> {
    fn write_json(&self, writer: &mut JsonWriter) {
        let mut object = writer.object();
        for (key, value) in self {
            object.member(key.as_key(), value);
        }
    }
}

impl<T: ToJson + ?Sized> ToJson for Box<T> {
    fn write_json(&self, writer: &mut JsonWriter) {
        (**self).write_json(writer);
    }
}

impl<T: ToJson> ToJson for Option<T> {
    fn write_json(&self, writer: &mut JsonWriter) {
        match self {
            Some(value) => value.write_json(writer),
            None => writer.null(),
        }
    }
}

impl FromJson for String {
    fn from_json(value: &Value, path: &Path<'_>) -> Result<Self, JsonError> {
        value.as_str().map(str::to_string).ok_or_else(|| JsonError::expected(path, "a string", value))
    }
}

impl FromJson for bool {
    fn from_json(value: &Value, path: &Path<'_>) -> Result<Self, JsonError> {
        value.as_bool().ok_or_else(|| JsonError::expected(path, "a boolean", value))
    }
}

fn integer(value: &Value, path: &Path<'_>, min: i64, max: i64) -> Result<i64, JsonError> {
    let Value::Number(number) = value else {
        return Err(JsonError::expected(path, "an integer", value));
    };
    let integral = number.as_i64().or_else(|| {
        // `3.0` is an integer written by a generous encoder.
        number.as_f64().filter(|f| f.fract() == 0.0 && f.abs() < 9.2e18).map(|f| f as i64)
    });
    match integral {
        Some(n) if (min..=max).contains(&n) => Ok(n),
        _ => Err(JsonError::invalid(path, format!("{number} is not an integer in {min}..={max}"))),
    }
}

impl FromJson for i32 {
    fn from_json(value: &Value, path: &Path<'_>) -> Result<Self, JsonError> {
        // The range check above makes the narrowing exact.
        integer(value, path, i64::from(i32::MIN), i64::from(i32::MAX)).map(|n| n as i32)
    }
}

impl FromJson for i64 {
    fn from_json(value: &Value, path: &Path<'_>) -> Result<Self, JsonError> {
        integer(value, path, i64::MIN, i64::MAX)
    }
}

fn double(value: &Value, path: &Path<'_>) -> Result<f64, JsonError> {
    match value {
        Value::Number(number) => {
            number.as_f64().ok_or_else(|| JsonError::invalid(path, format!("{number} is not a number")))
        }
        Value::String(text) => match text.as_str() {
            "NaN" => Ok(f64::NAN),
            "Infinity" => Ok(f64::INFINITY),
            "-Infinity" => Ok(f64::NEG_INFINITY),
            _ => Err(JsonError::invalid(path, format!("expected a number, found the string {text:?}"))),
        },
        other => Err(JsonError::expected(path, "a number", other)),
    }
}

impl FromJson for f64 {
    fn from_json(value: &Value, path: &Path<'_>) -> Result<Self, JsonError> {
        double(value, path)
    }
}

impl FromJson for f32 {
    fn from_json(value: &Value, path: &Path<'_>) -> Result<Self, JsonError> {
        double(value, path).map(|n| n as f32)
    }
}

impl FromJson for Blob {
    fn from_json(value: &Value, path: &Path<'_>) -> Result<Self, JsonError> {
        let text = value.as_str().ok_or_else(|| JsonError::expected(path, "a base64 string", value))?;
        aws_smithy_types::base64::decode(text)
            .map(Blob::new)
            .map_err(|e| JsonError::invalid(path, format!("not valid base64: {e}")))
    }
}

impl FromJson for DateTime {
    fn from_json(value: &Value, path: &Path<'_>) -> Result<Self, JsonError> {
        timestamp(value, path, Format::EpochSeconds)
    }
}

impl FromJson for Document {
    fn from_json(value: &Value, _path: &Path<'_>) -> Result<Self, JsonError> {
        Ok(document(value))
    }
}

fn document(value: &Value) -> Document {
    match value {
        Value::Null => Document::Null,
        Value::Bool(b) => Document::Bool(*b),
        Value::Number(n) => Document::Number(match (n.as_u64(), n.as_i64()) {
            (Some(u), _) => Number::PosInt(u),
            (None, Some(i)) => Number::NegInt(i),
            (None, None) => Number::Float(n.as_f64().unwrap_or(f64::NAN)),
        }),
        Value::String(s) => Document::String(s.clone()),
        Value::Array(items) => Document::Array(items.iter().map(document).collect()),
        Value::Object(entries) => Document::Object(entries.iter().map(|(k, v)| (k.clone(), document(v))).collect()),
    }
}

impl<T: FromJson> FromJson for Vec<T> {
    fn from_json(value: &Value, path: &Path<'_>) -> Result<Self, JsonError> {
        list_with(value, path, T::from_json)
    }
}

impl<K: MapKey, T: FromJson> FromJson for HashMap<K, T> {
    fn from_json(value: &Value, path: &Path<'_>) -> Result<Self, JsonError> {
        map_with(value, path, T::from_json)
    }
}

impl<T: FromJson> FromJson for Box<T> {
    fn from_json(value: &Value, path: &Path<'_>) -> Result<Self, JsonError> {
        T::from_json(value, path).map(Box::new)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn written(value: &impl ToJson) -> String {
        let mut writer = JsonWriter::new();
        value.write_json(&mut writer);
        writer.into_string()
    }

    #[test]
    fn strings_are_escaped() {
        assert_eq!(written(&"a\"b\\c\n\u{1}é".to_string()), r#""a\"b\\c\n\u0001é""#);
    }

    #[test]
    fn special_floats_are_strings() {
        assert_eq!(written(&f64::NAN), r#""NaN""#);
        assert_eq!(written(&f64::INFINITY), r#""Infinity""#);
        assert_eq!(written(&f32::NEG_INFINITY), r#""-Infinity""#);
        assert_eq!(written(&0.1f32), "0.1");
        assert_eq!(written(&1.5f64), "1.5");
        let read = f64::from_json(&Value::String("NaN".into()), &Path::Root).unwrap();
        assert!(read.is_nan());
    }

    #[test]
    fn timestamps_are_epoch_seconds_by_default() {
        assert_eq!(written(&DateTime::from_secs(1398796238)), "1398796238");
        assert_eq!(written(&DateTime::from_millis(1398796238123)), "1398796238.123");
        let read = DateTime::from_json(&serde_json::json!(1398796238.123), &Path::Root).unwrap();
        assert_eq!(read, DateTime::from_millis(1398796238123));
    }

    #[test]
    fn date_times_may_carry_an_offset() {
        let read = |text: &str| timestamp(&Value::String(text.into()), &Path::Root, Format::DateTime);
        assert_eq!(read("2019-12-16T22:48:18-01:00").unwrap(), DateTime::from_secs(1576540098));
        assert_eq!(read("2019-12-17T00:48:18+01:00").unwrap(), DateTime::from_secs(1576540098));
        assert_eq!(read("2014-04-29T18:30:38+00:00").unwrap(), DateTime::from_secs(1398796238));
        assert_eq!(read("2000-01-02T20:34:56.123Z").unwrap(), DateTime::from_millis(946845296123));
        assert!(read("2019-12-16T22:48:18+1:00").is_err());
        assert!(read("yesterday").is_err());
    }

    #[test]
    fn objects_and_arrays_close_themselves() {
        let mut writer = JsonWriter::new();
        {
            let mut object = writer.object();
            object.member("A", &vec![1i32, 2]);
            object.member("B", "x");
        }
        assert_eq!(writer.into_string(), r#"{"A":[1,2],"B":"x"}"#);
    }

    #[test]
    fn wrong_types_name_their_path() {
        let root = Path::Root;
        let items = root.key("Items");
        let error = Vec::<i32>::from_json(&serde_json::json!([1, "x"]), &items).unwrap_err();
        assert_eq!(error.to_string(), "at `Items[1]`: expected an integer, found a string");
        let error = i32::from_json(&serde_json::json!(3_000_000_000u64), &root).unwrap_err();
        assert!(error.message.contains("not an integer in"), "{error}");
    }

    #[test]
    fn nulls_in_dense_collections_are_dropped() {
        let list = Vec::<String>::from_json(&serde_json::json!(["a", null]), &Path::Root).unwrap();
        assert_eq!(list, vec!["a".to_string()]);
    }
}
