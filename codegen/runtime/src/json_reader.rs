//! A pull tokenizer over a JSON body, for reading it straight into typed values: no tree, and
//! strings without escapes are borrowed from the body. It accepts exactly what serde_json's
//! `from_slice` accepts (RFC 8259, UTF-8, nesting below serde_json's recursion limit of 128,
//! a number whose double is infinite rejected), so a body reads the same either way; numbers are
//! handed over as serde_json's `Number` would hold them, with their wire text beside.
//!
//! Every error names the path the caller passed: the value being read when it went wrong.

use std::borrow::Cow;

use serde_json::{Map, Number, Value};

use super::json::JsonError;
use super::path::Path;

/// Containers nest at most this deep, as in serde_json (its recursion limit of 128 refuses the
/// 128th open bracket).
const MAX_DEPTH: usize = 127;

/// What the next value is, from its first byte.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// `null`.
    Null,
    /// `true` or `false`.
    Bool,
    /// A number.
    Number,
    /// A string.
    String,
    /// An array.
    Array,
    /// An object.
    Object,
}

impl Kind {
    /// The kind as error messages name it ("found a string").
    pub fn name(self) -> &'static str {
        match self {
            Kind::Null => "null",
            Kind::Bool => "a boolean",
            Kind::Number => "a number",
            Kind::String => "a string",
            Kind::Array => "an array",
            Kind::Object => "an object",
        }
    }
}

/// A number as it was on the wire, and as serde_json would hold it.
#[derive(Clone, Debug)]
pub struct WireNumber<'a> {
    /// The number's text, exactly as sent (`1700000000.123456789`).
    pub text: &'a str,
    /// Its value: a `u64` or `i64` when written as an integer that fits one, else the nearest
    /// double.
    pub value: Number,
}

/// Reads one JSON text, value by value.
#[derive(Debug)]
pub struct JsonReader<'a> {
    bytes: &'a [u8],
    at: usize,
    depth: usize,
    /// The last thing read opened a container: no comma before its first member or element.
    just_opened: bool,
    /// An error was about the text not being JSON (rather than a value not fitting).
    syntax_error: bool,
}

impl<'a> JsonReader<'a> {
    /// A reader at the start of `bytes`.
    pub fn new(bytes: &'a [u8]) -> Self {
        JsonReader { bytes, at: 0, depth: 0, just_opened: false, syntax_error: false }
    }

    /// Whether an error this reader gave was about the text not being JSON at all.
    pub fn is_syntax_error(&self) -> bool {
        self.syntax_error
    }

    /// The error for text that is not JSON, at byte `self.at`.
    fn syntax(&mut self, path: &Path<'_>, what: &str) -> JsonError {
        self.syntax_error = true;
        let message = if self.at >= self.bytes.len() {
            format!("not JSON: {what}, found the end of the body")
        } else {
            format!("not JSON: {what} at byte {}", self.at)
        };
        JsonError::invalid(path, message)
    }

    fn skip_whitespace(&mut self) {
        while let Some(b' ' | b'\n' | b'\r' | b'\t') = self.bytes.get(self.at) {
            self.at += 1;
        }
    }

    /// The kind of the next value, without reading it.
    pub fn peek(&mut self, path: &Path<'_>) -> Result<Kind, JsonError> {
        self.skip_whitespace();
        Ok(match self.bytes.get(self.at) {
            Some(b'n') => Kind::Null,
            Some(b't' | b'f') => Kind::Bool,
            Some(b'-' | b'0'..=b'9') => Kind::Number,
            Some(b'"') => Kind::String,
            Some(b'[') => Kind::Array,
            Some(b'{') => Kind::Object,
            _ => return Err(self.syntax(path, "expected a value")),
        })
    }

    /// The error for a value of the wrong kind: `path` should hold `expected`.
    pub fn expected(&mut self, path: &Path<'_>, expected: &str) -> JsonError {
        match self.peek(path) {
            Ok(kind) => JsonError::invalid(path, format!("expected {expected}, found {}", kind.name())),
            Err(error) => error,
        }
    }

    fn literal(&mut self, path: &Path<'_>, word: &[u8]) -> Result<(), JsonError> {
        if self.bytes[self.at..].starts_with(word) {
            self.at += word.len();
            self.just_opened = false;
            Ok(())
        } else {
            Err(self.syntax(path, "expected a value"))
        }
    }

    /// Reads a `null` if one comes next: whether it did.
    pub fn take_null(&mut self, path: &Path<'_>) -> Result<bool, JsonError> {
        if self.peek(path)? == Kind::Null {
            self.literal(path, b"null")?;
            return Ok(true);
        }
        Ok(false)
    }

    /// Reads a boolean.
    pub fn read_bool(&mut self, path: &Path<'_>) -> Result<bool, JsonError> {
        match self.peek(path)? {
            Kind::Bool if self.bytes[self.at] == b't' => self.literal(path, b"true").map(|()| true),
            Kind::Bool => self.literal(path, b"false").map(|()| false),
            _ => Err(self.expected(path, "a boolean")),
        }
    }

    /// Reads a string: borrowed from the body unless it has escapes.
    pub fn read_str(&mut self, path: &Path<'_>) -> Result<Cow<'a, str>, JsonError> {
        if self.peek(path)? != Kind::String {
            return Err(self.expected(path, "a string"));
        }
        self.string(path)
    }

    /// The string at `self.at` (its opening quote).
    fn string(&mut self, path: &Path<'_>) -> Result<Cow<'a, str>, JsonError> {
        self.just_opened = false;
        self.at += 1;
        let start = self.at;
        self.skip_plain();
        match self.bytes.get(self.at) {
            Some(b'"') => {
                let text = self.utf8(path, start, self.at)?;
                self.at += 1;
                Ok(Cow::Borrowed(text))
            }
            Some(b'\\') => {
                let mut owned = String::with_capacity(self.at - start + 16);
                owned.push_str(self.utf8(path, start, self.at)?);
                self.escaped(path, &mut owned)?;
                Ok(Cow::Owned(owned))
            }
            Some(_) => Err(self.syntax(path, "a control character in a string")),
            None => Err(self.syntax(path, "an unterminated string")),
        }
    }

    /// Moves past the bytes that need no attention in a string: all but `"`, `\` and the
    /// control characters, eight at a time where it can.
    fn skip_plain(&mut self) {
        while let Some(chunk) = self.bytes.get(self.at..self.at + 8) {
            let word = u64::from_le_bytes(chunk.try_into().unwrap_or([0; 8]));
            if super::json::needs_escape(word) {
                break;
            }
            self.at += 8;
        }
        while let Some(&byte) = self.bytes.get(self.at) {
            if byte == b'"' || byte == b'\\' || byte < 0x20 {
                return;
            }
            self.at += 1;
        }
    }

    fn utf8(&mut self, path: &Path<'_>, start: usize, end: usize) -> Result<&'a str, JsonError> {
        let bytes: &'a [u8] = self.bytes;
        match std::str::from_utf8(&bytes[start..end]) {
            Ok(text) => Ok(text),
            Err(error) => {
                self.at = start + error.valid_up_to();
                Err(self.syntax(path, "invalid UTF-8 in a string"))
            }
        }
    }

    /// The rest of a string with escapes, from the first backslash, into `out`.
    fn escaped(&mut self, path: &Path<'_>, out: &mut String) -> Result<(), JsonError> {
        loop {
            match self.bytes.get(self.at) {
                Some(b'"') => {
                    self.at += 1;
                    return Ok(());
                }
                Some(b'\\') => {
                    self.at += 1;
                    let escape = self.bytes.get(self.at).copied();
                    self.at += 1;
                    let unescaped = match escape {
                        Some(b'"') => '"',
                        Some(b'\\') => '\\',
                        Some(b'/') => '/',
                        Some(b'b') => '\u{8}',
                        Some(b'f') => '\u{c}',
                        Some(b'n') => '\n',
                        Some(b'r') => '\r',
                        Some(b't') => '\t',
                        Some(b'u') => self.unicode_escape(path)?,
                        _ => {
                            self.at -= 1;
                            return Err(self.syntax(path, "an invalid escape in a string"));
                        }
                    };
                    out.push(unescaped);
                }
                Some(_) => {
                    let start = self.at;
                    self.skip_plain();
                    if start == self.at {
                        return Err(match self.bytes.get(self.at) {
                            None => self.syntax(path, "an unterminated string"),
                            Some(_) => self.syntax(path, "a control character in a string"),
                        });
                    }
                    out.push_str(self.utf8(path, start, self.at)?);
                }
                None => return Err(self.syntax(path, "an unterminated string")),
            }
        }
    }

    /// The character of a `\uXXXX` escape (after the `u`), with its low surrogate if it is a
    /// high one; a lone surrogate is an error, as in serde_json.
    fn unicode_escape(&mut self, path: &Path<'_>) -> Result<char, JsonError> {
        let high = self.hex4(path)?;
        let code = match high {
            0xd800..=0xdbff => {
                if self.bytes.get(self.at..self.at + 2) != Some(b"\\u") {
                    return Err(self.syntax(path, "a lone surrogate in a \\u escape"));
                }
                self.at += 2;
                let low = self.hex4(path)?;
                if !(0xdc00..=0xdfff).contains(&low) {
                    return Err(self.syntax(path, "a lone surrogate in a \\u escape"));
                }
                0x10000 + ((high - 0xd800) << 10) + (low - 0xdc00)
            }
            0xdc00..=0xdfff => return Err(self.syntax(path, "a lone surrogate in a \\u escape")),
            code => code,
        };
        char::from_u32(code).ok_or_else(|| self.syntax(path, "an invalid \\u escape"))
    }

    fn hex4(&mut self, path: &Path<'_>) -> Result<u32, JsonError> {
        let mut code = 0;
        for _ in 0..4 {
            let digit = self.bytes.get(self.at).and_then(|b| char::from(*b).to_digit(16));
            let Some(digit) = digit else {
                return Err(self.syntax(path, "an invalid \\u escape"));
            };
            code = code * 16 + digit;
            self.at += 1;
        }
        Ok(code)
    }

    /// Reads a number, with its text.
    pub fn read_number(&mut self, path: &Path<'_>) -> Result<WireNumber<'a>, JsonError> {
        if self.peek(path)? != Kind::Number {
            return Err(self.expected(path, "a number"));
        }
        self.number(path)
    }

    /// The number at `self.at`, in JSON's grammar, converted as serde_json converts it.
    fn number(&mut self, path: &Path<'_>) -> Result<WireNumber<'a>, JsonError> {
        self.just_opened = false;
        let start = self.at;
        let negative = self.bytes[self.at] == b'-';
        if negative {
            self.at += 1;
        }
        let digits = |reader: &mut Self| {
            let from = reader.at;
            while reader.bytes.get(reader.at).is_some_and(u8::is_ascii_digit) {
                reader.at += 1;
            }
            reader.at - from
        };
        let int_start = self.at;
        let int_len = digits(self);
        if int_len == 0 || (int_len > 1 && self.bytes[int_start] == b'0') {
            return Err(self.syntax(path, "an invalid number"));
        }
        let mut integral = true;
        if self.bytes.get(self.at) == Some(&b'.') {
            integral = false;
            self.at += 1;
            if digits(self) == 0 {
                return Err(self.syntax(path, "an invalid number"));
            }
        }
        if let Some(b'e' | b'E') = self.bytes.get(self.at) {
            integral = false;
            self.at += 1;
            if let Some(b'+' | b'-') = self.bytes.get(self.at) {
                self.at += 1;
            }
            if digits(self) == 0 {
                return Err(self.syntax(path, "an invalid number"));
            }
        }
        let bytes: &'a [u8] = self.bytes;
        // Only ASCII digits, signs, `.` and `e` were taken.
        let text = std::str::from_utf8(&bytes[start..self.at]).unwrap_or_default();
        let value = if integral { integer_number(text, negative) } else { None };
        let value = match value {
            Some(value) => value,
            None => match text.parse::<f64>().ok().and_then(Number::from_f64) {
                Some(value) if value.as_f64().is_some_and(f64::is_finite) => value,
                _ => {
                    self.at = start;
                    return Err(self.syntax(path, "a number out of the range of a double"));
                }
            },
        };
        Ok(WireNumber { text, value })
    }

    /// Starts reading an object: its members follow through [`next_key`](Self::next_key).
    pub fn begin_object(&mut self, path: &Path<'_>) -> Result<(), JsonError> {
        if self.peek(path)? != Kind::Object {
            return Err(self.expected(path, "an object"));
        }
        self.open(path)
    }

    /// Starts reading an array: its elements follow through
    /// [`next_element`](Self::next_element).
    pub fn begin_array(&mut self, path: &Path<'_>) -> Result<(), JsonError> {
        if self.peek(path)? != Kind::Array {
            return Err(self.expected(path, "an array"));
        }
        self.open(path)
    }

    fn open(&mut self, path: &Path<'_>) -> Result<(), JsonError> {
        if self.depth >= MAX_DEPTH {
            return Err(self.syntax(path, "nested past the recursion limit of 128"));
        }
        self.depth += 1;
        self.at += 1;
        self.just_opened = true;
        Ok(())
    }

    /// Moves past the `,` between members or elements, or the closing `close`: whether another
    /// member or element follows. `path` is the container's.
    fn more(&mut self, path: &Path<'_>, close: u8) -> Result<bool, JsonError> {
        self.skip_whitespace();
        let first = std::mem::replace(&mut self.just_opened, false);
        match self.bytes.get(self.at) {
            Some(&byte) if byte == close => {
                self.at += 1;
                self.depth -= 1;
                Ok(false)
            }
            Some(b',') if !first => {
                self.at += 1;
                Ok(true)
            }
            _ if first => Ok(true),
            _ => Err(self.syntax(path, if close == b'}' { "expected `,` or `}`" } else { "expected `,` or `]`" })),
        }
    }

    /// The key of the object's next member, the reader then at its value (which the caller must
    /// read or [`skip`](Self::skip)); `None` at the end of the object. `path` is the object's.
    pub fn next_key(&mut self, path: &Path<'_>) -> Result<Option<Cow<'a, str>>, JsonError> {
        if !self.more(path, b'}')? {
            return Ok(None);
        }
        self.skip_whitespace();
        if self.bytes.get(self.at) != Some(&b'"') {
            return Err(self.syntax(path, "expected a member name"));
        }
        let key = self.string(path)?;
        self.skip_whitespace();
        if self.bytes.get(self.at) != Some(&b':') {
            return Err(self.syntax(path, "expected `:`"));
        }
        self.at += 1;
        Ok(Some(key))
    }

    /// Whether the array has another element, the reader then at it (which the caller must read
    /// or [`skip`](Self::skip)). `path` is the array's.
    pub fn next_element(&mut self, path: &Path<'_>) -> Result<bool, JsonError> {
        self.more(path, b']')
    }

    /// Moves past the next value, whatever it is, checking it is JSON; bounded by the nesting
    /// limit.
    pub fn skip(&mut self, path: &Path<'_>) -> Result<(), JsonError> {
        match self.peek(path)? {
            Kind::Null => self.literal(path, b"null"),
            Kind::Bool => self.read_bool(path).map(drop),
            Kind::Number => self.number(path).map(drop),
            Kind::String => self.string(path).map(drop),
            Kind::Array => {
                self.open(path)?;
                while self.next_element(path)? {
                    self.skip(path)?;
                }
                Ok(())
            }
            Kind::Object => {
                self.open(path)?;
                while self.next_key(path)?.is_some() {
                    self.skip(path)?;
                }
                Ok(())
            }
        }
    }

    /// Reads the next value into a `serde_json::Value`, as serde_json would have parsed it.
    pub fn read_value(&mut self, path: &Path<'_>) -> Result<Value, JsonError> {
        Ok(match self.peek(path)? {
            Kind::Null => {
                self.literal(path, b"null")?;
                Value::Null
            }
            Kind::Bool => Value::Bool(self.read_bool(path)?),
            Kind::Number => Value::Number(self.number(path)?.value),
            Kind::String => Value::String(self.string(path)?.into_owned()),
            Kind::Array => {
                self.open(path)?;
                let mut items = Vec::new();
                while self.next_element(path)? {
                    items.push(self.read_value(path)?);
                }
                Value::Array(items)
            }
            Kind::Object => {
                self.open(path)?;
                let mut entries = Map::new();
                while let Some(key) = self.next_key(path)? {
                    let value = self.read_value(path)?;
                    entries.insert(key.into_owned(), value);
                }
                Value::Object(entries)
            }
        })
    }

    /// Checks that nothing but whitespace follows the value read.
    pub fn end(&mut self, path: &Path<'_>) -> Result<(), JsonError> {
        self.skip_whitespace();
        if self.at < self.bytes.len() {
            return Err(self.syntax(path, "trailing characters after the value"));
        }
        Ok(())
    }
}

/// An integer text as serde_json holds it: a `u64` when positive, an `i64` when negative and in
/// range, `-0.0` for minus zero; `None` (read as a double) past those.
fn integer_number(text: &str, negative: bool) -> Option<Number> {
    let digits = if negative { &text[1..] } else { text };
    let magnitude: u64 = digits.parse().ok()?;
    if !negative {
        return Some(Number::from(magnitude));
    }
    match magnitude {
        0 => Number::from_f64(-0.0),
        1..=0x8000_0000_0000_0000 => Some(Number::from((magnitude as i64).wrapping_neg())),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn value(text: &str) -> Result<Value, JsonError> {
        let mut reader = JsonReader::new(text.as_bytes());
        let value = reader.read_value(&Path::Root)?;
        reader.end(&Path::Root)?;
        Ok(value)
    }

    #[test]
    fn values_read_as_serde_json_parses_them() {
        for text in [
            r#"{"a": [1, -2, 3.5, -0, 1e3, "x\u00e9\n\ud83d\ude00", true, false, null], "b": {}}"#,
            "18446744073709551615",
            "18446744073709551616",
            "-9223372036854775808",
            "-9223372036854775809",
            "-0.0",
            "1.7976931348623157e308",
            "  [ ]  ",
            r#""\"\\\/\b\f\n\r\t""#,
        ] {
            let ours = value(text).unwrap();
            let theirs: Value = serde_json::from_str(text).unwrap();
            assert_eq!(ours, theirs, "{text}");
            assert_eq!(ours.to_string(), theirs.to_string(), "{text}");
        }
    }

    #[test]
    fn what_serde_json_refuses_is_refused() {
        for text in [
            "",
            "{",
            "[1,]",
            "{\"a\":1,}",
            "01",
            "1.",
            ".5",
            "1e",
            "+1",
            "nul",
            "tru",
            "\"\\x\"",
            "\"a",
            "[1 2]",
            "{\"a\" 1}",
            "{1:2}",
            "1e400",
            "-1e400",
            "\"\\ud800\"",
            "\"\\udc00\"",
            "\"\u{1}\"",
            "[] x",
            "NaN",
        ] {
            assert!(serde_json::from_str::<Value>(text).is_err(), "serde_json takes {text:?}");
            let error = value(text).unwrap_err();
            assert!(error.message.starts_with("not JSON"), "{text:?}: {error}");
        }
        assert!(value("\"a\"").is_ok());
        let mut reader = JsonReader::new(b"\"\xff\"");
        assert!(reader.read_value(&Path::Root).is_err() && reader.is_syntax_error());
    }

    #[test]
    fn nesting_stops_where_serde_json_stops() {
        let nested = |depth: usize| "[".repeat(depth) + &"]".repeat(depth);
        assert!(serde_json::from_str::<Value>(&nested(127)).is_ok());
        assert!(serde_json::from_str::<Value>(&nested(128)).is_err());
        assert!(value(&nested(127)).is_ok());
        assert!(value(&nested(128)).unwrap_err().message.contains("recursion limit"));
        let deep = nested(100_000);
        let mut reader = JsonReader::new(deep.as_bytes());
        assert!(reader.skip(&Path::Root).is_err());
    }

    #[test]
    fn plain_strings_are_borrowed() {
        let mut reader = JsonReader::new(br#"["plain text, long enough for words", "esc\taped"]"#);
        reader.begin_array(&Path::Root).unwrap();
        assert!(reader.next_element(&Path::Root).unwrap());
        assert!(matches!(reader.read_str(&Path::Root).unwrap(), Cow::Borrowed("plain text, long enough for words")));
        assert!(reader.next_element(&Path::Root).unwrap());
        assert_eq!(reader.read_str(&Path::Root).unwrap(), "esc\taped");
        assert!(!reader.next_element(&Path::Root).unwrap());
    }

    #[test]
    fn errors_name_the_path_and_the_kind() {
        let root = Path::Root;
        let items = root.key("Items");
        let mut reader = JsonReader::new(b"{\"a\": 1}");
        let error = reader.read_str(&items).unwrap_err();
        assert_eq!(error.to_string(), "at `Items`: expected a string, found an object");
        assert!(!reader.is_syntax_error());
    }
}
