//! JSON on the wire: a writer for request bodies, and typed reading of response bodies that
//! names the path of any value that does not fit. Numbers and timestamps are converted by
//! [`super::number`], which documents the rules.

use std::collections::HashMap;
use std::fmt;

use aws_smithy_types::date_time::Format;
use aws_smithy_types::{Blob, DateTime, Document, Number};
use serde_json::Value;

pub use super::json_reader::{JsonReader, Kind, WireNumber};
use super::number;
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
        number::write_integer(&mut self.out, value);
    }

    /// Writes a 64-bit float as botocore does (Python's `repr`: `1.0`, `1e-05`); NaN and the
    /// infinities become the strings `"NaN"`, `"Infinity"` and `"-Infinity"`, as the AWS JSON
    /// protocols require.
    pub fn double(&mut self, value: f64) {
        number::write_double(&mut self.out, value);
    }

    /// Writes a 32-bit float, keeping its own shortest digits (`0.1`, not `0.100000001`).
    pub fn float(&mut self, value: f32) {
        number::write_float(&mut self.out, value);
    }

    /// Writes a string, escaped: `"`, `\\` and the control characters, nothing else.
    pub fn string(&mut self, value: &str) {
        self.out.reserve(value.len() + 2);
        self.out.push('"');
        let bytes = value.as_bytes();
        let (mut start, mut at) = (0, 0);
        while at < bytes.len() {
            // Most text needs no escape: skip it eight bytes at a time, the last few padded
            // with spaces (which need none).
            let rest = &bytes[at..];
            let (chunk, step) = match rest.first_chunk::<8>() {
                Some(&chunk) => (chunk, 8),
                None => {
                    let mut padded = [b' '; 8];
                    padded[..rest.len()].copy_from_slice(rest);
                    (padded, rest.len())
                }
            };
            if !needs_escape(u64::from_le_bytes(chunk)) {
                at += step;
                continue;
            }
            let byte = bytes[at];
            let escape = ESCAPES[usize::from(byte)];
            if escape != 0 {
                // `at` holds an ASCII byte, so both slices end on character boundaries.
                self.out.push_str(&value[start..at]);
                self.out.push('\\');
                if escape == b'u' {
                    self.out.push_str("u00");
                    push_hex_byte(&mut self.out, byte);
                } else {
                    self.out.push(char::from(escape));
                }
                start = at + 1;
            }
            at += 1;
        }
        self.out.push_str(&value[start..]);
        self.out.push('"');
    }

    /// Writes a timestamp in `format`, exactly: epoch seconds as a number (`1.003691`), the
    /// others as strings.
    pub fn timestamp(&mut self, value: &DateTime, format: Format) {
        number::write_timestamp(&mut self.out, value, format);
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

/// For each byte, the character after the backslash that escapes it, `u` for `\\u00XX`, or 0
/// when it is written as it is.
const ESCAPES: [u8; 256] = {
    let mut table = [0u8; 256];
    let mut byte = 0;
    while byte < 0x20 {
        table[byte] = b'u';
        byte += 1;
    }
    table[0x08] = b'b';
    table[0x09] = b't';
    table[0x0a] = b'n';
    table[0x0c] = b'f';
    table[0x0d] = b'r';
    table[b'"' as usize] = b'"';
    table[b'\\' as usize] = b'\\';
    table
};

/// Appends `byte` as two lower-case hex digits (JSON's `\u00XX` escapes, idempotency tokens).
pub(crate) fn push_hex_byte(out: &mut String, byte: u8) {
    const HEX_DIGITS: &[u8; 16] = b"0123456789abcdef";
    out.push(char::from(HEX_DIGITS[usize::from(byte >> 4)]));
    out.push(char::from(HEX_DIGITS[usize::from(byte & 0xf)]));
}

/// Whether any of the eight bytes of `word` needs an escape: a control character (below
/// 0x20), `"` or `\\`. Each test is the exact "some byte is zero / below n" word trick.
pub(super) fn needs_escape(word: u64) -> bool {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGHS: u64 = 0x8080_8080_8080_8080;
    let below = |word: u64, n: u8| word.wrapping_sub(ONES * u64::from(n)) & !word & HIGHS;
    below(word, 0x20) | below(word ^ (ONES * u64::from(b'"')), 1) | below(word ^ (ONES * u64::from(b'\\')), 1) != 0
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
///
/// A type implements at least one of the two methods; each defaults to the other. The
/// generated structures, unions and enums implement only [`read_json`](Self::read_json), so
/// their reading code is compiled once; the runtime's scalar types implement
/// [`from_json`](Self::from_json) and, where it saves work, `read_json` too.
pub trait FromJson: Sized {
    /// Reads a value from `value`, which sits at `path`. The default writes `value` back as
    /// text and reads it with [`read_json`](Self::read_json): parsed values are read only from
    /// error bodies, which are small, and from tests.
    fn from_json(value: &Value, path: &Path<'_>) -> Result<Self, JsonError> {
        let text = serde_json::to_vec(value).map_err(|e| JsonError::invalid(path, e.to_string()))?;
        let mut reader = JsonReader::new(&text);
        let read = Self::read_json(&mut reader, path)?;
        reader.end(path)?;
        Ok(read)
    }

    /// Reads a value straight from the body `reader` is reading, the value at `path` next. The
    /// default builds a `Value` of this one value and calls [`from_json`](Self::from_json).
    fn read_json(reader: &mut JsonReader<'_>, path: &Path<'_>) -> Result<Self, JsonError> {
        let value = reader.read_value(path)?;
        Self::from_json(&value, path)
    }
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

/// Why a JSON body was not read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum BodyError {
    /// The body is not JSON (or nests past the limit).
    NotJson(JsonError),
    /// The body is JSON, but a value does not fit its type.
    DoesNotFit(JsonError),
}

/// Reads a whole JSON body as a `T`, token by token: nothing but whitespace may follow it.
pub fn read_body<T: FromJson>(body: &[u8]) -> Result<T, BodyError> {
    let mut reader = JsonReader::new(body);
    let result = T::read_json(&mut reader, &Path::Root).and_then(|value| reader.end(&Path::Root).map(|()| value));
    result.map_err(
        |error| if reader.is_syntax_error() { BodyError::NotJson(error) } else { BodyError::DoesNotFit(error) },
    )
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

impl fmt::Display for BodyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BodyError::NotJson(error) => write!(f, "the body is not JSON ({error})"),
            BodyError::DoesNotFit(error) => write!(f, "the body does not fit: {error}"),
        }
    }
}

impl std::error::Error for BodyError {}

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

/// Reads a timestamp whose member has `format`, exactly: a number is epoch seconds, a string
/// is read in `format` or any other timestamp format (as botocore reads them), and an RFC 3339
/// date-time may carry a UTC offset (`2019-12-16T22:48:18-01:00`).
pub fn timestamp(value: &Value, path: &Path<'_>, format: Format) -> Result<DateTime, JsonError> {
    number::read_timestamp(value, path, format)
}

/// Reads the next value through its [`FromJson::read_json`] (the generated code's default
/// reader from a body).
pub fn read_next<T: FromJson>(reader: &mut JsonReader<'_>, path: &Path<'_>) -> Result<T, JsonError> {
    T::read_json(reader, path)
}

/// Reads an optional member from a body: `null` is the same as absent.
pub fn read_optional<T: FromJson>(reader: &mut JsonReader<'_>, path: &Path<'_>) -> Result<Option<T>, JsonError> {
    if reader.take_null(path)? { Ok(None) } else { T::read_json(reader, path).map(Some) }
}

/// Reads an optional member from a body with a reader of its own.
pub fn read_optional_with<'a, T>(
    reader: &mut JsonReader<'a>,
    path: &Path<'_>,
    read: impl Fn(&mut JsonReader<'a>, &Path<'_>) -> Result<T, JsonError>,
) -> Result<Option<T>, JsonError> {
    if reader.take_null(path)? { Ok(None) } else { read(reader, path).map(Some) }
}

/// Reads a list from a body whose elements need a reader of their own. Nulls in a dense list
/// are dropped.
pub fn read_list_with<'a, T>(
    reader: &mut JsonReader<'a>,
    path: &Path<'_>,
    read: impl Fn(&mut JsonReader<'a>, &Path<'_>) -> Result<T, JsonError>,
) -> Result<Vec<T>, JsonError> {
    reader.begin_array(path)?;
    let mut out = Vec::new();
    while reader.next_element(path)? {
        let item_path = path.index(out.len());
        if !reader.take_null(&item_path)? {
            out.push(read(reader, &item_path)?);
        }
    }
    Ok(out)
}

/// Reads a sparse list from a body: nulls are kept as `None`.
pub fn read_sparse_list_with<'a, T>(
    reader: &mut JsonReader<'a>,
    path: &Path<'_>,
    read: impl Fn(&mut JsonReader<'a>, &Path<'_>) -> Result<T, JsonError>,
) -> Result<Vec<Option<T>>, JsonError> {
    reader.begin_array(path)?;
    let mut out = Vec::new();
    while reader.next_element(path)? {
        let item = read_optional_with(reader, &path.index(out.len()), &read)?;
        out.push(item);
    }
    Ok(out)
}

/// Reads a map from a body whose values need a reader of their own. Null values in a dense
/// map are dropped.
pub fn read_map_with<'a, K: MapKey, T>(
    reader: &mut JsonReader<'a>,
    path: &Path<'_>,
    read: impl Fn(&mut JsonReader<'a>, &Path<'_>) -> Result<T, JsonError>,
) -> Result<HashMap<K, T>, JsonError> {
    reader.begin_object(path)?;
    let mut out = HashMap::new();
    while let Some(key) = reader.next_key(path)? {
        let item_path = path.key(&key);
        if !reader.take_null(&item_path)? {
            let item = read(reader, &item_path)?;
            out.insert(K::from_key(&key), item);
        }
    }
    Ok(out)
}

/// Reads a sparse map from a body: null values are kept as `None`.
pub fn read_sparse_map_with<'a, K: MapKey, T>(
    reader: &mut JsonReader<'a>,
    path: &Path<'_>,
    read: impl Fn(&mut JsonReader<'a>, &Path<'_>) -> Result<T, JsonError>,
) -> Result<HashMap<K, Option<T>>, JsonError> {
    reader.begin_object(path)?;
    let mut out = HashMap::new();
    while let Some(key) = reader.next_key(path)? {
        let item = read_optional_with(reader, &path.key(&key), &read)?;
        out.insert(K::from_key(&key), item);
    }
    Ok(out)
}

/// Reads a timestamp from a body, as [`timestamp`] does, a number from its own wire text.
pub fn read_timestamp(reader: &mut JsonReader<'_>, path: &Path<'_>, format: Format) -> Result<DateTime, JsonError> {
    match reader.peek(path)? {
        Kind::Number => {
            let number = reader.read_number(path)?;
            number::read_timestamp_number(&number.value, number.text, path)
        }
        Kind::String => number::read_timestamp_text(&reader.read_str(path)?, path, format),
        _ => Err(reader.expected(path, "a timestamp")),
    }
}

/// Reads a document (any JSON value) from a body.
fn read_document(reader: &mut JsonReader<'_>, path: &Path<'_>) -> Result<Document, JsonError> {
    Ok(match reader.peek(path)? {
        Kind::Null => {
            reader.take_null(path)?;
            Document::Null
        }
        Kind::Bool => Document::Bool(reader.read_bool(path)?),
        Kind::Number => document_number(&reader.read_number(path)?.value),
        Kind::String => Document::String(reader.read_str(path)?.into_owned()),
        Kind::Array => {
            reader.begin_array(path)?;
            let mut items = Vec::new();
            while reader.next_element(path)? {
                items.push(read_document(reader, path)?);
            }
            Document::Array(items)
        }
        Kind::Object => {
            reader.begin_object(path)?;
            let mut entries = HashMap::new();
            while let Some(key) = reader.next_key(path)? {
                let value = read_document(reader, path)?;
                entries.insert(key.into_owned(), value);
            }
            Document::Object(entries)
        }
    })
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

    fn read_json(reader: &mut JsonReader<'_>, path: &Path<'_>) -> Result<Self, JsonError> {
        reader.read_str(path).map(std::borrow::Cow::into_owned)
    }
}

impl FromJson for bool {
    fn from_json(value: &Value, path: &Path<'_>) -> Result<Self, JsonError> {
        value.as_bool().ok_or_else(|| JsonError::expected(path, "a boolean", value))
    }

    fn read_json(reader: &mut JsonReader<'_>, path: &Path<'_>) -> Result<Self, JsonError> {
        reader.read_bool(path)
    }
}

impl FromJson for i32 {
    fn from_json(value: &Value, path: &Path<'_>) -> Result<Self, JsonError> {
        let (min, max) = (i64::from(i32::MIN), i64::from(i32::MAX));
        // The range check makes the narrowing exact.
        number::read_integer(value, path, min, max, "an Integer (i32)").map(|n| n as i32)
    }
}

impl FromJson for i64 {
    fn from_json(value: &Value, path: &Path<'_>) -> Result<Self, JsonError> {
        number::read_integer(value, path, i64::MIN, i64::MAX, "a Long (i64)")
    }
}

impl FromJson for f64 {
    fn from_json(value: &Value, path: &Path<'_>) -> Result<Self, JsonError> {
        number::read_double(value, path)
    }
}

impl FromJson for f32 {
    fn from_json(value: &Value, path: &Path<'_>) -> Result<Self, JsonError> {
        number::read_float(value, path)
    }
}

impl FromJson for Blob {
    fn from_json(value: &Value, path: &Path<'_>) -> Result<Self, JsonError> {
        let text = value.as_str().ok_or_else(|| JsonError::expected(path, "a base64 string", value))?;
        aws_smithy_types::base64::decode(text)
            .map(Blob::new)
            .map_err(|e| JsonError::invalid(path, format!("not valid base64: {e}")))
    }

    fn read_json(reader: &mut JsonReader<'_>, path: &Path<'_>) -> Result<Self, JsonError> {
        if reader.peek(path)? != Kind::String {
            return Err(reader.expected(path, "a base64 string"));
        }
        let text = reader.read_str(path)?;
        aws_smithy_types::base64::decode(&*text)
            .map(Blob::new)
            .map_err(|e| JsonError::invalid(path, format!("not valid base64: {e}")))
    }
}

impl FromJson for DateTime {
    fn from_json(value: &Value, path: &Path<'_>) -> Result<Self, JsonError> {
        timestamp(value, path, Format::EpochSeconds)
    }

    fn read_json(reader: &mut JsonReader<'_>, path: &Path<'_>) -> Result<Self, JsonError> {
        read_timestamp(reader, path, Format::EpochSeconds)
    }
}

impl FromJson for Document {
    fn from_json(value: &Value, _path: &Path<'_>) -> Result<Self, JsonError> {
        Ok(document(value))
    }

    fn read_json(reader: &mut JsonReader<'_>, path: &Path<'_>) -> Result<Self, JsonError> {
        read_document(reader, path)
    }
}

fn document_number(n: &serde_json::Number) -> Document {
    Document::Number(match (n.as_u64(), n.as_i64()) {
        (Some(u), _) => Number::PosInt(u),
        (None, Some(i)) => Number::NegInt(i),
        (None, None) => Number::Float(n.as_f64().unwrap_or(f64::NAN)),
    })
}

fn document(value: &Value) -> Document {
    match value {
        Value::Null => Document::Null,
        Value::Bool(b) => Document::Bool(*b),
        Value::Number(n) => document_number(n),
        Value::String(s) => Document::String(s.clone()),
        Value::Array(items) => Document::Array(items.iter().map(document).collect()),
        Value::Object(entries) => Document::Object(entries.iter().map(|(k, v)| (k.clone(), document(v))).collect()),
    }
}

impl<T: FromJson> FromJson for Vec<T> {
    fn from_json(value: &Value, path: &Path<'_>) -> Result<Self, JsonError> {
        list_with(value, path, T::from_json)
    }

    fn read_json(reader: &mut JsonReader<'_>, path: &Path<'_>) -> Result<Self, JsonError> {
        read_list_with(reader, path, T::read_json)
    }
}

impl<K: MapKey, T: FromJson> FromJson for HashMap<K, T> {
    fn from_json(value: &Value, path: &Path<'_>) -> Result<Self, JsonError> {
        map_with(value, path, T::from_json)
    }

    fn read_json(reader: &mut JsonReader<'_>, path: &Path<'_>) -> Result<Self, JsonError> {
        read_map_with(reader, path, T::read_json)
    }
}

impl<T: FromJson> FromJson for Box<T> {
    fn from_json(value: &Value, path: &Path<'_>) -> Result<Self, JsonError> {
        T::from_json(value, path).map(Box::new)
    }

    fn read_json(reader: &mut JsonReader<'_>, path: &Path<'_>) -> Result<Self, JsonError> {
        T::read_json(reader, path).map(Box::new)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings_are_escaped_as_serde_json_escapes_them_at_every_offset() {
        // Each escaped character at each place of texts around the eight-byte chunks.
        for len in 0..20 {
            for place in 0..len {
                for special in ['"', '\\', '\n', '\u{1}', '\u{1f}', '\u{7f}', 'é', ' '] {
                    let text: String =
                        (0..len).map(|at| if at == place { special } else { char::from(b'a' + at as u8) }).collect();
                    let mut writer = JsonWriter::new();
                    writer.string(&text);
                    assert_eq!(writer.into_string(), serde_json::to_string(&text).unwrap(), "{text:?}");
                }
            }
        }
    }

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
        assert!(error.message.contains("past the range of an Integer"), "{error}");
    }

    #[test]
    fn nulls_in_dense_collections_are_dropped() {
        let list = Vec::<String>::from_json(&serde_json::json!(["a", null]), &Path::Root).unwrap();
        assert_eq!(list, vec!["a".to_string()]);
    }

    // Issue 17: numbers and timestamps exactly as botocore writes and reads them. These go
    // through the API the generated code calls (JsonWriter, FromJson, `timestamp`), reading
    // text the way a response body is read (serde_json into a Value); `number`'s own tests
    // cover the text conversions and the calendar.

    /// Reads `json` (a member's value) as a `T`, at the path `Items[0].Member`.
    fn read<T: FromJson>(json: &str) -> Result<T, JsonError> {
        let value: Value = serde_json::from_str(json).expect("valid JSON");
        let root = Path::Root;
        let items = root.key("Items");
        let first = items.index(0);
        T::from_json(&value, &first.key("Member"))
    }

    fn read_ts(json: &str) -> Result<DateTime, JsonError> {
        read_ts_as(json, Format::EpochSeconds)
    }

    fn read_ts_as(json: &str, format: Format) -> Result<DateTime, JsonError> {
        let value: Value = serde_json::from_str(json).expect("valid JSON");
        let root = Path::Root;
        timestamp(&value, &root.key("CreationTime"), format)
    }

    fn written_ts(value: DateTime) -> String {
        written_ts_as(value, Format::EpochSeconds)
    }

    fn written_ts_as(value: DateTime, format: Format) -> String {
        let mut writer = JsonWriter::new();
        writer.timestamp(&value, format);
        writer.into_string()
    }

    fn at(secs: i64, nanos: u32) -> DateTime {
        DateTime::from_secs_and_nanos(secs, nanos)
    }

    #[test]
    fn issue17_write_microseconds_once_rounded() {
        assert_eq!(written_ts(at(1, 3_691_000)), "1.003691");
    }

    #[test]
    fn issue17_write_minus_one_microsecond() {
        assert_eq!(written_ts(at(-1, 999_999_000)), "-1e-06");
    }

    #[test]
    fn issue17_read_negative_fraction() {
        assert_eq!(read_ts("-1.5").unwrap(), at(-2, 500_000_000));
    }

    #[test]
    fn issue17_read_tiny() {
        assert_eq!(read_ts("0.000001").unwrap(), at(0, 1_000));
    }

    #[test]
    fn issue17_read_exponent() {
        assert_eq!(read_ts("1.7E9").unwrap(), DateTime::from_secs(1_700_000_000));
        assert_eq!(read_ts("1e-06").unwrap(), at(0, 1_000));
    }

    #[test]
    fn issue17_read_double_exactly() {
        assert_eq!(read::<f64>("9007199254740993.0").unwrap(), 9007199254740992.0);
    }

    #[test]
    fn issue17_read_17_digit_timestamp() {
        assert_eq!(read_ts("127576002928.86467").unwrap(), at(127576002928, 864_670_000));
    }

    #[test]
    fn issue17_read_largest_double() {
        let body: Result<Value, _> = serde_json::from_str(r#"{"A":1.7976931348623158e308}"#);
        assert_eq!(f64::from_json(&body.unwrap()["A"], &Path::Root).unwrap(), f64::MAX);
    }

    #[test]
    fn issue17_year_9999_and_nanoseconds_are_exact() {
        assert_eq!(read_ts("253402300799.999").unwrap(), at(253402300799, 999_000_000));
        assert_eq!(written_ts(at(253402300799, 999_000_000)), "253402300799.999");
        assert_eq!(written_ts(at(1700000000, 123_456_789)), "1700000000.123456789");
        assert_eq!(read_ts(r#""1700000000.123456789""#).unwrap(), at(1700000000, 123_456_789));
    }

    #[test]
    fn epoch_seconds_are_written_exactly() {
        // The first twelve are botocore 1.44.5's own output (see number.rs for the rule).
        let cases = [
            (at(0, 0), "0"),
            (at(1398796238, 0), "1398796238"),
            (at(-1, 0), "-1"),
            (at(-2, 500_000_000), "-1.5"),
            (at(0, 1_000), "1e-06"),
            (at(0, 15_000), "1.5e-05"),
            (at(0, 100_000), "0.0001"),
            (at(691753, 383_384_000), "691753.383384"),
            (at(1802024078, 841_350_000), "1802024078.84135"),
            (at(-3450727085, 558_741_000), "-3450727084.441259"),
            (at(8589934591, 999_999_000), "8589934591.999999"),
            (at(-8589934592, 999_999_000), "-8589934591.000001"),
            // Nanoseconds, which botocore cannot hold, and the ends of DateTime.
            (at(0, 1), "1e-09"),
            (at(-1, 999_999_999), "-1e-09"),
            (at(1, 123_456_789), "1.123456789"),
            (at(-86401, 750_000_000), "-86400.25"),
            (at(i64::MAX, 999_999_999), "9223372036854775807.999999999"),
            (at(i64::MIN, 1), "-9223372036854775807.999999999"),
            (at(i64::MIN, 0), "-9223372036854775808"),
        ];
        for (time, text) in cases {
            assert_eq!(written_ts(time), text, "{time:?}");
            let read = timestamp(&Value::String(text.into()), &Path::Root, Format::EpochSeconds);
            assert_eq!(read.unwrap(), time, "{text}");
        }
    }

    #[test]
    fn epoch_seconds_past_2_pow_33_stay_exact_where_botocore_rounds() {
        // botocore writes 253402300800.0 (its double), a second into year 10000, and
        // 8589934592.000002.
        assert_eq!(written_ts(at(253402300799, 999_999_000)), "253402300799.999999");
        assert_eq!(written_ts(at(8589934592, 1_000)), "8589934592.000001");
        assert_eq!(written_ts(at(-62135596800, 1_000)), "-62135596799.999999");
    }

    #[test]
    fn epoch_seconds_are_read_in_any_notation() {
        let cases = [
            ("1e-06", at(0, 1_000)),
            ("-0.000001", at(-1, 999_999_000)),
            ("-1e-06", at(-1, 999_999_000)),
            ("1.7e+9", DateTime::from_secs(1_700_000_000)),
            ("17E8", DateTime::from_secs(1_700_000_000)),
            ("1.7e9", DateTime::from_secs(1_700_000_000)),
            ("-0", DateTime::from_secs(0)),
            ("-0.0", DateTime::from_secs(0)),
            ("0.123456789", at(0, 123_456_789)),
            ("-0.123456789", at(-1, 876_543_211)),
            ("1.123456789", at(1, 123_456_789)),
            ("-86400.25", at(-86401, 750_000_000)),
            ("1398796238.123", at(1398796238, 123_000_000)),
            ("1.398796238123E9", at(1398796238, 123_000_000)),
            // Past the ninth digit: to the nearest nanosecond, ties to even.
            ("1.0000000005", at(1, 0)),
            ("1.0000000015", at(1, 2)),
            ("1.00000000051", at(1, 1)),
            ("-1.0000000005", at(-1, 0)),
            ("0.9999999999", at(1, 0)),
            // Years past 9999 and before 1970.
            ("253402300800", DateTime::from_secs(253402300800)),
            ("1e17", DateTime::from_secs(100_000_000_000_000_000)),
            ("9223372036854775807", DateTime::from_secs(i64::MAX)),
            ("-9223372036854775808", DateTime::from_secs(i64::MIN)),
            ("-62135596800", DateTime::from_secs(-62135596800)),
            // A numeric string is read from its text, exactly, however long.
            (r#""1700000000.123456789""#, at(1700000000, 123_456_789)),
            (r#""-1.5""#, at(-2, 500_000_000)),
        ];
        for (json, time) in cases {
            assert_eq!(read_ts(json).unwrap(), time, "{json}");
        }
    }

    #[test]
    fn epoch_seconds_past_a_doubles_digits_are_read_as_the_double() {
        // The limit the number module documents: the parsed body keeps the double, not the text.
        assert_eq!(read_ts("1700000000.123456789").unwrap(), at(1700000000, 123_456_700));
        assert_eq!(read_ts("253402300799.999999").unwrap(), DateTime::from_secs(253402300800));
        assert_eq!(read_ts("253402300799.123456").unwrap(), at(253402300799, 123_440_000));
        // The same texts as strings are exact.
        assert_eq!(read_ts(r#""253402300799.999999""#).unwrap(), at(253402300799, 999_999_000));
    }

    #[test]
    fn timestamps_past_date_time_name_the_path() {
        for json in ["9223372036854775808", "1e19", "-9.3e18", "1.7976931348623157e308", r#""1e400""#] {
            let error = read_ts(json).unwrap_err();
            assert_eq!(error.path, "CreationTime", "{json}");
            assert!(error.message.contains("past the range of DateTime"), "{json}: {error}");
        }
        let error = read_ts_as(r#""+292277026597-01-01T00:00:00Z""#, Format::DateTime).unwrap_err();
        assert!(error.message.contains("past the range of DateTime"), "{error}");
    }

    #[test]
    fn date_times_are_written_exactly() {
        let cases = [
            (at(946845296, 0), "2000-01-02T20:34:56Z"),
            (at(1, 3_691_000), "1970-01-01T00:00:01.003691Z"),
            (at(0, 500_000_000), "1970-01-01T00:00:00.500000Z"),
            (at(0, 123_456_789), "1970-01-01T00:00:00.123456789Z"),
            (at(-1, 500_000_000), "1969-12-31T23:59:59.500000Z"),
            (at(-1, 999_999_999), "1969-12-31T23:59:59.999999999Z"),
            (at(951782400, 0), "2000-02-29T00:00:00Z"),
            (at(-62135596800, 0), "0001-01-01T00:00:00Z"),
            (at(-62167219200, 0), "0000-01-01T00:00:00Z"),
            (at(-62167219201, 0), "-0001-12-31T23:59:59Z"),
            (at(253402300799, 999_999_999), "9999-12-31T23:59:59.999999999Z"),
            (at(253402300800, 0), "+10000-01-01T00:00:00Z"),
            (at(i64::MAX, 0), "+292277026596-12-04T15:30:07Z"),
            (at(i64::MIN, 0), "-292277022657-01-27T08:29:52Z"),
        ];
        for (time, text) in cases {
            assert_eq!(written_ts_as(time, Format::DateTime), format!("\"{text}\""), "{time:?}");
            assert_eq!(read_ts_as(&format!("\"{text}\""), Format::DateTime).unwrap(), time, "{text}");
        }
    }

    #[test]
    fn date_times_are_read_exactly() {
        let read = |text: &str| read_ts_as(&format!("\"{text}\""), Format::DateTime);
        assert_eq!(read("2000-01-02T20:34:56.123456789Z").unwrap(), at(946845296, 123_456_789));
        assert_eq!(read("2000-01-02t20:34:56.1z").unwrap(), at(946845296, 100_000_000));
        assert_eq!(read("2000-01-02 20:34:56Z").unwrap(), at(946845296, 0));
        assert_eq!(read("2000-01-02T21:34:56.5+01:00").unwrap(), at(946845296, 500_000_000));
        assert_eq!(read("1970-01-01T00:00:00.9999999995Z").unwrap(), at(1, 0));
        assert_eq!(read("1970-01-01T00:00:00.0000000005Z").unwrap(), at(0, 0));
        assert_eq!(read("1969-12-31T23:59:59.000000001-00:00").unwrap(), at(-1, 1));
        assert_eq!(read("0000-03-01T00:00:00Z").unwrap(), at(-62162035200, 0));
        for bad in [
            "2000-02-30T00:00:00Z",
            "1900-02-29T00:00:00Z",
            "2000-13-01T00:00:00Z",
            "2000-01-01T24:00:00Z",
            "2016-12-31T23:59:60Z",
            "2000-01-01T00:00:00",
            "2000-01-01T00:00:00.Z",
            "2000-01-01T00:00:00+0100",
            "2000-1-01T00:00:00Z",
            "+999-01-01T00:00:00Z",
        ] {
            let error = read(bad).unwrap_err();
            assert_eq!(error.path, "CreationTime", "{bad}");
        }
        assert!(read("2016-12-31T23:59:60Z").unwrap_err().message.contains("leap second"));
    }

    #[test]
    fn http_dates_are_exact_to_the_second_they_hold() {
        let cases = [
            (at(946845296, 0), "Sun, 02 Jan 2000 20:34:56 GMT"),
            (at(0, 0), "Thu, 01 Jan 1970 00:00:00 GMT"),
            (at(-1, 0), "Wed, 31 Dec 1969 23:59:59 GMT"),
            (at(-62135596800, 0), "Mon, 01 Jan 0001 00:00:00 GMT"),
            (at(253402300799, 0), "Fri, 31 Dec 9999 23:59:59 GMT"),
        ];
        for (time, text) in cases {
            assert_eq!(written_ts_as(time, Format::HttpDate), format!("\"{text}\""));
            assert_eq!(read_ts_as(&format!("\"{text}\""), Format::HttpDate).unwrap(), time);
        }
        // Written to the whole second rounded down, as botocore writes it; read to the nanosecond.
        assert_eq!(written_ts_as(at(946845296, 999_000_000), Format::HttpDate), "\"Sun, 02 Jan 2000 20:34:56 GMT\"");
        assert_eq!(written_ts_as(at(-1, 500_000_000), Format::HttpDate), "\"Wed, 31 Dec 1969 23:59:59 GMT\"");
        let read = |text: &str| read_ts_as(&format!("\"{text}\""), Format::HttpDate);
        assert_eq!(read("Sun, 02 Jan 2000 20:34:56.123456789 GMT").unwrap(), at(946845296, 123_456_789));
        assert_eq!(read("Wed, 31 Dec 1969 23:59:59.5 GMT").unwrap(), at(-1, 500_000_000));
        assert!(read("Sun, 2 Jan 2000 20:34:56 GMT").is_err());
        assert!(read("Sun, 02 Jan 2000 20:34:56 UTC").is_err());
    }

    #[test]
    fn timestamps_are_read_in_any_format_as_botocore_does() {
        let time = at(946845296, 0);
        for format in [Format::EpochSeconds, Format::DateTime, Format::HttpDate] {
            assert_eq!(read_ts_as("946845296", format).unwrap(), time);
            assert_eq!(read_ts_as(r#""946845296""#, format).unwrap(), time);
            assert_eq!(read_ts_as(r#""2000-01-02T20:34:56Z""#, format).unwrap(), time);
            assert_eq!(read_ts_as(r#""Sun, 02 Jan 2000 20:34:56 GMT""#, format).unwrap(), time);
        }
        let error = read_ts_as(r#""yesterday""#, Format::DateTime).unwrap_err();
        assert!(error.message.contains("not an RFC 3339 date-time"), "{error}");
    }

    #[test]
    fn doubles_are_written_as_botocore_writes_them() {
        // Python's repr, which botocore's json.dumps writes.
        let cases = [
            (1.0, "1.0"),
            (1.5, "1.5"),
            (0.1, "0.1"),
            (0.0, "0.0"),
            (-0.0, "-0.0"),
            (0.0001, "0.0001"),
            (0.00001, "1e-05"),
            (1.5e-7, "1.5e-07"),
            (1e16, "1e+16"),
            (9999999999999998.0, "9999999999999998.0"),
            (123456789012345680.0, "1.2345678901234568e+17"),
            (f64::MAX, "1.7976931348623157e+308"),
            (f64::MIN, "-1.7976931348623157e+308"),
            (f64::MIN_POSITIVE, "2.2250738585072014e-308"),
            (5e-324, "5e-324"),
            (1.003691, "1.003691"),
        ];
        for (value, text) in cases {
            assert_eq!(written(&value), text, "{value:e}");
            let read = read::<f64>(text).unwrap();
            assert!(read == value && read.is_sign_negative() == value.is_sign_negative(), "{text}");
        }
    }

    #[test]
    fn doubles_are_read_as_the_nearest_double() {
        assert_eq!(read::<f64>("9007199254740993").unwrap(), 9007199254740992.0);
        assert_eq!(read::<f64>("9007199254740995").unwrap(), 9007199254740996.0);
        assert_eq!(read::<f64>("1.7976931348623158e308").unwrap(), f64::MAX);
        assert_eq!(read::<f64>("2.2250738585072011e-308").unwrap().to_bits(), 0x000f_ffff_ffff_ffff);
        assert_eq!(read::<f64>("2.4703282292062328e-324").unwrap(), 5e-324);
        assert_eq!(read::<f64>("2.4703282292062327e-324").unwrap(), 0.0);
        assert_eq!(read::<f64>("0.1").unwrap(), 0.1);
        assert!(read::<f64>("-0.0").unwrap().is_sign_negative());
        assert!(read::<f64>(r#""NaN""#).unwrap().is_nan());
        assert_eq!(read::<f64>(r#""Infinity""#).unwrap(), f64::INFINITY);
        assert_eq!(read::<f64>(r#""-Infinity""#).unwrap(), f64::NEG_INFINITY);
        assert_eq!(read::<f64>(r#""1.5""#).unwrap_err().path, "Items[0].Member");
        // Past the largest double: serde_json rejects the body (botocore reads infinity).
        assert!(serde_json::from_str::<Value>("1e400").is_err());
    }

    #[test]
    fn floats_keep_their_own_digits() {
        let cases = [
            (0.1f32, "0.1"),
            (1.0, "1.0"),
            (-0.0, "-0.0"),
            (16777216.0, "16777216.0"),
            (1e16, "1e+16"),
            (f32::MAX, "3.4028235e+38"),
            (f32::MIN_POSITIVE, "1.1754944e-38"),
            (1e-45, "1e-45"),
            // Its nearest double is halfway between it and the next f32 up.
            (7.038531e-26, "7.038531e-26"),
            (-7.038531e-26, "-7.038531e-26"),
        ];
        for (value, text) in cases {
            assert_eq!(written(&value), text, "{value:e}");
            let read = read::<f32>(text).unwrap();
            assert!(read == value && read.is_sign_negative() == value.is_sign_negative(), "{text}");
        }
        assert_eq!(written(&f32::NAN), r#""NaN""#);
        assert_eq!(written(&f32::INFINITY), r#""Infinity""#);
    }

    #[test]
    fn floats_round_to_the_nearest_f32() {
        // Halfway cases: ties to even.
        assert_eq!(read::<f32>("16777217").unwrap(), 16777216.0);
        assert_eq!(read::<f32>("16777219").unwrap(), 16777220.0);
        assert_eq!(read::<f32>("1.000000059604644775390625").unwrap(), 1.0);
        assert_eq!(read::<f32>("1.000000178813934326171875").unwrap(), 1.0000002);
        assert_eq!(read::<f32>("1.0000000596046449").unwrap(), 1.0000001);
        // The documented limits: a text past 15 digits whose double is exactly halfway reads
        // to even; an exact halfway text whose double has a short text reads as that text.
        assert_eq!(read::<f32>("1.00000005960464478").unwrap(), 1.0);
        assert_eq!(read::<f32>("1.0000000596046448").unwrap(), 1.0);
        let halfway = 23.5 * 2f64.powi(-149);
        assert_eq!(format!("{halfway:e}"), "3.29305139116332e-44");
        let exact = format!("{halfway:.200e}");
        assert_eq!(read::<f32>(&exact).unwrap(), 3.2e-44);
        assert_eq!(halfway as f32, 3.4e-44);
        // Subnormals and the ends of the range.
        assert_eq!(read::<f32>("7.1e-46").unwrap(), 1e-45);
        assert_eq!(read::<f32>("7e-46").unwrap(), 0.0);
        assert_eq!(read::<f32>("3.4028235e38").unwrap(), f32::MAX);
        assert_eq!(read::<f32>("3.40282356e38").unwrap(), f32::MAX);
        assert_eq!(read::<f32>("-3.40282356e38").unwrap(), f32::MIN);
        let error = read::<f32>("3.4028236e38").unwrap_err();
        assert_eq!(error.path, "Items[0].Member");
        assert!(error.message.contains("past the range of a Float"), "{error}");
        assert!(read::<f32>("-3.5e38").is_err());
        assert_eq!(read::<f32>(r#""-Infinity""#).unwrap(), f32::NEG_INFINITY);
    }

    #[test]
    fn integers_past_their_type_name_the_path() {
        assert_eq!(read::<i32>("2147483647").unwrap(), i32::MAX);
        assert_eq!(read::<i32>("-2147483648").unwrap(), i32::MIN);
        assert_eq!(read::<i64>("9223372036854775807").unwrap(), i64::MAX);
        assert_eq!(read::<i64>("-9223372036854775808").unwrap(), i64::MIN);
        for json in ["2147483648", "-2147483649", "1e10"] {
            let error = read::<i32>(json).unwrap_err();
            assert_eq!(error.path, "Items[0].Member", "{json}");
            assert!(error.message.contains("past the range of an Integer (i32)"), "{json}: {error}");
        }
        for json in ["9223372036854775808", "-9223372036854775809", "18446744073709551616", "1e19"] {
            let error = read::<i64>(json).unwrap_err();
            assert_eq!(error.path, "Items[0].Member", "{json}");
            assert!(error.message.contains("past the range of a Long (i64)"), "{json}: {error}");
        }
    }

    #[test]
    fn integers_written_as_floats() {
        // A whole number below 2^53 is exact as a double: accepted, as botocore's float is.
        assert_eq!(read::<i32>("3.0").unwrap(), 3);
        assert_eq!(read::<i64>("1e3").unwrap(), 1000);
        assert_eq!(read::<i64>("-0").unwrap(), 0);
        assert_eq!(read::<i64>("9007199254740991.0").unwrap(), 9007199254740991);
        // A fraction, or a float form past the doubles' exact integers, is an error.
        assert!(read::<i32>("3.5").unwrap_err().message.contains("not a whole number"));
        let error = read::<i64>("9007199254740993.0").unwrap_err();
        assert!(error.message.contains("2^53"), "{error}");
        assert_eq!(read::<i64>(r#""3""#).unwrap_err().message, "expected an integer, found a string");
    }

    #[test]
    fn timestamps_round_trip_in_every_format() {
        let mut rng = fastrand::Rng::with_seed(17);
        for _ in 0..20_000 {
            // Years -9999 to 99999: every format's reach, and past it.
            let secs = rng.i64(-377_705_116_800..=3_093_527_980_800);
            let nanos = match rng.u8(0..4) {
                0 => 0,
                1 => rng.u32(0..1000) * 1_000_000,
                2 => rng.u32(0..1_000_000) * 1000,
                _ => rng.u32(0..1_000_000_000),
            };
            let time = at(secs, nanos);
            let text = written_ts_as(time, Format::DateTime);
            assert_eq!(read_ts_as(&text, Format::DateTime).unwrap(), time, "{text}");
            // Epoch seconds: the text is exact (read as a numeric string); as a number it comes
            // back exactly where the number module says a double keeps it.
            let text = written_ts(time);
            assert_eq!(read_ts(&format!("\"{text}\"")).unwrap(), time, "{text}");
            let microseconds_near_1970 = nanos % 1000 == 0 && secs.unsigned_abs() < 1 << 33;
            let milliseconds_of_years_1_to_9999 =
                nanos % 1_000_000 == 0 && (-62135596800..253402300800).contains(&secs);
            if microseconds_near_1970 || milliseconds_of_years_1_to_9999 {
                assert_eq!(read_ts(&text).unwrap(), time, "{text}");
            }
            if (-62167219200..253402300800).contains(&secs) {
                let text = written_ts_as(time, Format::HttpDate);
                assert_eq!(read_ts_as(&text, Format::HttpDate).unwrap(), DateTime::from_secs(secs), "{text}");
            }
        }
    }

    #[test]
    fn millisecond_and_microsecond_numbers_are_read_exactly_where_the_rules_say() {
        let mut rng = fastrand::Rng::with_seed(29);
        for _ in 0..20_000 {
            // Milliseconds, years 1 to 9999.
            let time = at(rng.i64(-62135596800..253402300800), rng.u32(0..1000) * 1_000_000);
            assert_eq!(read_ts(&written_ts(time)).unwrap(), time, "{time:?}");
            // Microseconds, within 2^33 s of 1970.
            let time = at(rng.i64(-(1 << 33)..1 << 33), rng.u32(0..1_000_000) * 1000);
            assert_eq!(read_ts(&written_ts(time)).unwrap(), time, "{time:?}");
        }
    }
}
