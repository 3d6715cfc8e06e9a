//! Reading CBOR response bodies straight into typed values, one data item at a time: nothing is
//! built but the values themselves, every length is checked against the bytes left before
//! anything is allocated, and nesting is bounded.

use std::borrow::Cow;
use std::collections::HashMap;

use aws_smithy_types::{Blob, DateTime};

use super::super::json::MapKey;
use super::super::number::{self, ParseError};
use super::super::path::Path;
use super::error::{CborError, CborErrorKind};
use super::write::{ARRAY, BREAK, BYTES, INDEFINITE, MAP, NEGATIVE, SIMPLE, TAG, TEXT, UNSIGNED};

/// How deep arrays and maps may nest: far past any AWS model, and shallow enough that the
/// recursion of reading and skipping cannot exhaust the stack.
pub const MAX_DEPTH: usize = 64;

/// The most elements a list reserves room for before reading them: a definite length is only a
/// claim, and each element may take one byte of the body but many of memory.
const MAX_RESERVED: u64 = 1024;

/// A value that can be read from CBOR.
pub trait FromCbor: Sized {
    /// Whether `null` is a value of this type (an `Option`), rather than an entry a dense list or
    /// map drops (as botocore does).
    const NULLABLE: bool = false;

    /// Reads a value from `reader`; the value sits at `path`.
    fn read_cbor(reader: &mut CborReader<'_>, path: &Path<'_>) -> Result<Self, CborError>;
}

/// The initial byte of a data item and its argument.
#[derive(Clone, Copy, Debug)]
struct Head {
    /// The major type, in the initial byte's top three bits.
    major: u8,
    /// The initial byte's low five bits.
    info: u8,
    /// The argument: a value, a length or a float's bits; `None` for an indefinite length.
    argument: Option<u64>,
    /// Where the data item starts.
    offset: usize,
}

impl Head {
    fn is_break(&self) -> bool {
        self.major == SIMPLE && self.info == INDEFINITE
    }

    fn is_null(&self) -> bool {
        // `undefined` is read as `null`, as botocore reads it.
        self.major == SIMPLE && (self.info == 22 || self.info == 23)
    }

    /// The CBOR type of the item, as an error names it.
    fn found(&self) -> &'static str {
        match (self.major, self.info) {
            (UNSIGNED | NEGATIVE, _) => "an integer",
            (BYTES, _) => "a byte string",
            (TEXT, _) => "a text string",
            (ARRAY, _) => "an array",
            (MAP, _) => "a map",
            (TAG, _) => "a tag",
            (_, 20 | 21) => "a boolean",
            (_, 22) => "null",
            (_, 23) => "undefined",
            (_, 25..=27) => "a float",
            (_, INDEFINITE) => "a break",
            _ => "a simple value",
        }
    }
}

/// How much of an array or map is left to read.
#[derive(Clone, Copy, Debug)]
enum Remaining {
    /// This many items of a definite-length container (entries count twice when skipping a map).
    Count(u64),
    /// Items up to the break of an indefinite-length container.
    UntilBreak,
    /// The container has been read to its end.
    Done,
}

impl Remaining {
    /// How many items to reserve room for.
    fn capacity(self) -> usize {
        match self {
            Remaining::Count(n) => n.min(MAX_RESERVED) as usize,
            Remaining::UntilBreak | Remaining::Done => 0,
        }
    }
}

/// A number as the body holds it.
enum Number {
    Integer(i128),
    Float(f64),
}

/// Reads CBOR data items from a body.
#[derive(Debug)]
pub struct CborReader<'b> {
    body: &'b [u8],
    at: usize,
    depth: usize,
}

impl<'b> CborReader<'b> {
    /// A reader at the start of `body`.
    pub fn new(body: &'b [u8]) -> Self {
        CborReader { body, at: 0, depth: 0 }
    }

    /// Where the next data item starts, as a byte offset in the body.
    pub fn offset(&self) -> usize {
        self.at
    }

    /// Checks that the whole body has been read.
    pub fn finish(&self) -> Result<(), CborError> {
        if self.at == self.body.len() {
            Ok(())
        } else {
            Err(CborError::new(&Path::Root, self.at, CborErrorKind::TrailingBytes))
        }
    }

    fn malformed(&self, path: &Path<'_>, offset: usize, message: impl Into<String>) -> CborError {
        CborError::new(path, offset, CborErrorKind::Malformed(message.into()))
    }

    fn unexpected(path: &Path<'_>, head: Head, expected: &'static str) -> CborError {
        CborError::new(path, head.offset, CborErrorKind::UnexpectedType { expected, found: head.found() })
    }

    /// The next `len` bytes, which must be in the body.
    fn take(&mut self, len: u64, path: &Path<'_>, offset: usize) -> Result<&'b [u8], CborError> {
        let left = self.body.len() - self.at;
        match usize::try_from(len) {
            Ok(len) if len <= left => {
                let bytes = &self.body[self.at..self.at + len];
                self.at += len;
                Ok(bytes)
            }
            _ => Err(self.malformed(path, offset, format!("{len} bytes claimed, {left} left in the body"))),
        }
    }

    /// Reads the initial byte and argument of the next data item, tags included.
    fn raw_head(&mut self, path: &Path<'_>) -> Result<Head, CborError> {
        let offset = self.at;
        let initial = *self.body.get(offset).ok_or_else(|| self.malformed(path, offset, "the body ends early"))?;
        self.at += 1;
        let (major, info) = (initial & 0xe0, initial & 0x1f);
        let argument = match info {
            0..24 => Some(u64::from(info)),
            24..=27 => {
                let bytes = self.take(1 << (info - 24), path, offset)?;
                Some(bytes.iter().fold(0u64, |n, byte| n << 8 | u64::from(*byte)))
            }
            INDEFINITE if matches!(major, BYTES | TEXT | ARRAY | MAP | SIMPLE) => None,
            _ => return Err(self.malformed(path, offset, format!("reserved initial byte 0x{initial:02x}"))),
        };
        Ok(Head { major, info, argument, offset })
    }

    /// Reads the head of the next data item, past any tags (RFC 8949 lets a reader ignore them;
    /// tag 1 only says a number is a timestamp, which the model already says).
    fn head(&mut self, path: &Path<'_>) -> Result<Head, CborError> {
        loop {
            let head = self.raw_head(path)?;
            if head.major != TAG {
                return Ok(head);
            }
        }
    }

    /// The head of the next data item, without reading it.
    fn peek(&mut self, path: &Path<'_>) -> Result<Head, CborError> {
        let at = self.at;
        let head = self.head(path);
        self.at = at;
        head
    }

    /// Reads `null` (or `undefined`) if it comes next, and says whether it did.
    pub fn null(&mut self, path: &Path<'_>) -> Result<bool, CborError> {
        let at = self.at;
        let is_null = self.head(path)?.is_null();
        if !is_null {
            self.at = at;
        }
        Ok(is_null)
    }

    /// Reads a boolean.
    pub fn bool(&mut self, path: &Path<'_>) -> Result<bool, CborError> {
        let head = self.head(path)?;
        match (head.major, head.info) {
            (SIMPLE, 20) => Ok(false),
            (SIMPLE, 21) => Ok(true),
            _ => Err(Self::unexpected(path, head, "a boolean")),
        }
    }

    fn number(&mut self, path: &Path<'_>, expected: &'static str) -> Result<(Number, usize), CborError> {
        let head = self.head(path)?;
        let number = match (head.major, head.info, head.argument) {
            (UNSIGNED, _, Some(n)) => Number::Integer(i128::from(n)),
            (NEGATIVE, _, Some(n)) => Number::Integer(-1 - i128::from(n)),
            (SIMPLE, 25, Some(bits)) => Number::Float(half_to_f64(bits as u16)),
            (SIMPLE, 26, Some(bits)) => Number::Float(f64::from(f32::from_bits(bits as u32))),
            (SIMPLE, 27, Some(bits)) => Number::Float(f64::from_bits(bits)),
            _ => return Err(Self::unexpected(path, head, expected)),
        };
        Ok((number, head.offset))
    }

    /// Reads an integer in `min..=max`; `type_name` names the type in a range error.
    pub fn integer(&mut self, path: &Path<'_>, min: i64, max: i64, type_name: &str) -> Result<i64, CborError> {
        match self.number(path, "an integer")? {
            (Number::Integer(n), offset) => {
                i64::try_from(n).ok().filter(|n| (min..=max).contains(n)).ok_or_else(|| {
                    CborError::new(
                        path,
                        offset,
                        CborErrorKind::OutOfRange(format!("{n} is past the range of {type_name}")),
                    )
                })
            }
            (Number::Float(_), offset) => Err(CborError::new(
                path,
                offset,
                CborErrorKind::UnexpectedType { expected: "an integer", found: "a float" },
            )),
        }
    }

    /// Reads a `Double`: a float of any width, or an integer (to the nearest double).
    pub fn double(&mut self, path: &Path<'_>) -> Result<f64, CborError> {
        Ok(match self.number(path, "a float")?.0 {
            Number::Integer(n) => n as f64,
            Number::Float(n) => n,
        })
    }

    /// Reads a `Float`: a half or single float exactly, a double or an integer to the nearest
    /// `f32`; a finite number past the largest `f32` is an error.
    pub fn float(&mut self, path: &Path<'_>) -> Result<f32, CborError> {
        let (number, offset) = self.number(path, "a float")?;
        let double = match number {
            Number::Integer(n) => n as f64,
            Number::Float(n) => n,
        };
        let float = double as f32;
        if float.is_infinite() && double.is_finite() {
            let message = format!("{double:e} is past the range of a Float (f32)");
            return Err(CborError::new(path, offset, CborErrorKind::OutOfRange(message)));
        }
        Ok(float)
    }

    /// Reads a timestamp: epoch seconds as an integer or a float, usually under tag 1. A float
    /// is read as its shortest decimal (`946845296.123`, not the double's 946845296.12299990654),
    /// as the JSON protocols read it.
    pub fn timestamp(&mut self, path: &Path<'_>) -> Result<DateTime, CborError> {
        let (number, offset) = self.number(path, "a timestamp")?;
        let out_of_range = |text: String| {
            let message = format!("{text} epoch seconds is past the range of DateTime");
            CborError::new(path, offset, CborErrorKind::OutOfRange(message))
        };
        match number {
            Number::Integer(n) => i64::try_from(n).map(DateTime::from_secs).map_err(|_| out_of_range(n.to_string())),
            Number::Float(n) if !n.is_finite() => Err(out_of_range(n.to_string())),
            Number::Float(n) => number::parse_epoch_seconds(&format!("{n:e}")).map_err(|e| match e {
                ParseError::OutOfRange(_) => out_of_range(format!("{n:e}")),
                ParseError::Invalid(message) => CborError::new(path, offset, CborErrorKind::OutOfRange(message)),
            }),
        }
    }

    /// Reads the bytes of a byte or text string (`major`), joining the chunks of an indefinite
    /// one; borrowed from the body when it is in one piece.
    fn string_bytes(&mut self, path: &Path<'_>, major: u8, expected: &'static str) -> Result<Cow<'b, [u8]>, CborError> {
        let head = self.head(path)?;
        if head.major != major {
            return Err(Self::unexpected(path, head, expected));
        }
        if let Some(len) = head.argument {
            return self.take(len, path, head.offset).map(Cow::Borrowed);
        }
        let mut joined = Vec::new();
        self.chunks(path, head.major, |chunk| joined.extend_from_slice(chunk))?;
        Ok(Cow::Owned(joined))
    }

    /// Reads the chunks of an indefinite-length string of `major` type, up to its break.
    fn chunks(&mut self, path: &Path<'_>, major: u8, mut each: impl FnMut(&'b [u8])) -> Result<(), CborError> {
        loop {
            let chunk = self.raw_head(path)?;
            match chunk.argument {
                _ if chunk.is_break() => return Ok(()),
                Some(len) if chunk.major == major => each(self.take(len, path, chunk.offset)?),
                _ => {
                    let message = "a chunk of an indefinite-length string is not a definite string of its type";
                    return Err(self.malformed(path, chunk.offset, message));
                }
            }
        }
    }

    /// Reads a text string.
    pub fn text(&mut self, path: &Path<'_>) -> Result<Cow<'b, str>, CborError> {
        let offset = self.at;
        let not_utf8 = |reader: &Self| reader.malformed(path, offset, "a text string is not UTF-8");
        match self.string_bytes(path, TEXT, "a text string")? {
            Cow::Borrowed(bytes) => std::str::from_utf8(bytes).map(Cow::Borrowed).map_err(|_| not_utf8(self)),
            Cow::Owned(bytes) => String::from_utf8(bytes).map(Cow::Owned).map_err(|_| not_utf8(self)),
        }
    }

    /// Reads a byte string.
    pub fn bytes(&mut self, path: &Path<'_>) -> Result<Cow<'b, [u8]>, CborError> {
        self.string_bytes(path, BYTES, "a byte string")
    }

    /// Starts a container of `major` type, counting its depth.
    fn open(&mut self, path: &Path<'_>, major: u8, expected: &'static str) -> Result<Remaining, CborError> {
        let head = self.head(path)?;
        if head.major != major {
            return Err(Self::unexpected(path, head, expected));
        }
        if self.depth >= MAX_DEPTH {
            return Err(CborError::new(path, head.offset, CborErrorKind::TooDeep));
        }
        // Each element takes at least a byte, each entry two: a longer claim is malformed.
        let left = (self.body.len() - self.at) as u64;
        let per_item = if major == MAP { 2 } else { 1 };
        if let Some(len) = head.argument.filter(|len| len.saturating_mul(per_item) > left) {
            return Err(self.malformed(
                path,
                head.offset,
                format!("{len} items claimed, {left} bytes left in the body"),
            ));
        }
        self.depth += 1;
        Ok(head.argument.map_or(Remaining::UntilBreak, Remaining::Count))
    }

    /// Whether a container has another item: counts down a definite length, or reads the break
    /// that ends an indefinite one.
    fn has_next(&mut self, remaining: &mut Remaining, path: &Path<'_>) -> Result<bool, CborError> {
        let more = match remaining {
            Remaining::Done => return Ok(false),
            Remaining::Count(0) => false,
            Remaining::Count(n) => {
                *n -= 1;
                true
            }
            Remaining::UntilBreak => {
                let offset = self.at;
                match self.body.get(offset) {
                    Some(&BREAK) => {
                        self.at += 1;
                        false
                    }
                    Some(_) => true,
                    None => return Err(self.malformed(path, offset, "the body ends inside a container")),
                }
            }
        };
        if !more {
            *remaining = Remaining::Done;
            self.depth -= 1;
        }
        Ok(more)
    }

    /// Starts reading an array.
    pub fn list<'r>(&'r mut self, path: &'r Path<'r>) -> Result<ListReader<'r, 'b>, CborError> {
        let remaining = self.open(path, ARRAY, "an array")?;
        Ok(ListReader { reader: self, path, remaining, index: 0 })
    }

    /// Starts reading a map: a structure's members or a map's entries.
    pub fn map<'r>(&'r mut self, path: &'r Path<'r>) -> Result<MapReader<'r, 'b>, CborError> {
        let remaining = self.open(path, MAP, "a map")?;
        Ok(MapReader { reader: self, path, remaining, key: Cow::Borrowed(""), value_pending: false })
    }

    /// Reads past the next data item, whatever it holds, without allocating.
    pub fn skip(&mut self, path: &Path<'_>) -> Result<(), CborError> {
        let head = self.peek(path)?;
        match head.major {
            BYTES | TEXT => {
                let head = self.head(path)?;
                match head.argument {
                    Some(len) => self.take(len, path, head.offset).map(drop),
                    None => self.chunks(path, head.major, drop),
                }
            }
            ARRAY | MAP => {
                let per_entry = if head.major == MAP { 2 } else { 1 };
                let mut remaining = match self.open(path, head.major, "a container")? {
                    // `open` checked the count against the bytes left: no overflow.
                    Remaining::Count(n) => Remaining::Count(n * per_entry),
                    other => other,
                };
                while self.has_next(&mut remaining, path)? {
                    self.skip(path)?;
                }
                Ok(())
            }
            _ if head.is_break() => Err(self.malformed(path, head.offset, "a break outside an indefinite-length item")),
            _ => self.head(path).map(drop),
        }
    }
}

/// Reads the elements of an array, one at a time.
#[derive(Debug)]
pub struct ListReader<'r, 'b> {
    reader: &'r mut CborReader<'b>,
    path: &'r Path<'r>,
    remaining: Remaining,
    index: usize,
}

impl ListReader<'_, '_> {
    /// Whether another element follows; when not, the array has been read to its end.
    pub fn has_next(&mut self) -> Result<bool, CborError> {
        self.reader.has_next(&mut self.remaining, self.path)
    }

    /// How many elements to reserve room for.
    pub fn capacity(&self) -> usize {
        self.remaining.capacity()
    }

    /// Reads the next element as a `T`.
    pub fn value<T: FromCbor>(&mut self) -> Result<T, CborError> {
        let index = self.index;
        self.index += 1;
        T::read_cbor(self.reader, &self.path.index(index))
    }

    /// Reads the next element if it is `null`, and says whether it was.
    pub fn null(&mut self) -> Result<bool, CborError> {
        let is_null = self.reader.null(&self.path.index(self.index))?;
        if is_null {
            self.index += 1;
        }
        Ok(is_null)
    }
}

/// Reads the entries of a map (or the members of a structure), one at a time:
///
/// ```ignore
/// let mut map = reader.map(path)?;
/// while let Some(key) = map.next_key()? {
///     match &*key {
///         "name" => out.name = map.value()?,
///         _ => map.skip()?,
///     }
/// }
/// ```
#[derive(Debug)]
pub struct MapReader<'r, 'b> {
    reader: &'r mut CborReader<'b>,
    path: &'r Path<'r>,
    remaining: Remaining,
    key: Cow<'b, str>,
    value_pending: bool,
}

impl<'b> MapReader<'_, 'b> {
    /// The key of the next entry, or `None` once the map has been read to its end. A value left
    /// unread is skipped.
    pub fn next_key(&mut self) -> Result<Option<Cow<'b, str>>, CborError> {
        if self.value_pending {
            self.skip()?;
        }
        if !self.reader.has_next(&mut self.remaining, self.path)? {
            return Ok(None);
        }
        self.key = self.reader.text(self.path)?;
        self.value_pending = true;
        Ok(Some(self.key.clone()))
    }

    /// Reads the value of the current entry as a `T`.
    pub fn value<T: FromCbor>(&mut self) -> Result<T, CborError> {
        self.value_pending = false;
        T::read_cbor(self.reader, &self.path.key(&self.key))
    }

    /// Reads past the value of the current entry (a member this client does not know).
    pub fn skip(&mut self) -> Result<(), CborError> {
        self.value_pending = false;
        self.reader.skip(&self.path.key(&self.key))
    }

    /// Reads the value of the current entry if it is `null`, and says whether it was.
    pub fn null(&mut self) -> Result<bool, CborError> {
        let is_null = self.reader.null(&self.path.key(&self.key))?;
        if is_null {
            self.value_pending = false;
        }
        Ok(is_null)
    }

    /// How many entries to reserve room for.
    pub fn capacity(&self) -> usize {
        self.remaining.capacity()
    }
}

/// A half-precision float's value (RFC 8949 Appendix D), exactly.
fn half_to_f64(bits: u16) -> f64 {
    let sign = if bits & 0x8000 == 0 { 1.0 } else { -1.0 };
    let exponent = i32::from((bits >> 10) & 0x1f);
    let mantissa = f64::from(bits & 0x3ff);
    match exponent {
        0 => sign * mantissa * 2f64.powi(-24),
        31 if mantissa == 0.0 => sign * f64::INFINITY,
        31 => f64::NAN,
        _ => sign * (1.0 + mantissa / 1024.0) * 2f64.powi(exponent - 15),
    }
}

impl FromCbor for String {
    fn read_cbor(reader: &mut CborReader<'_>, path: &Path<'_>) -> Result<Self, CborError> {
        reader.text(path).map(Cow::into_owned)
    }
}

impl FromCbor for bool {
    fn read_cbor(reader: &mut CborReader<'_>, path: &Path<'_>) -> Result<Self, CborError> {
        reader.bool(path)
    }
}

impl FromCbor for i32 {
    fn read_cbor(reader: &mut CborReader<'_>, path: &Path<'_>) -> Result<Self, CborError> {
        let (min, max) = (i64::from(i32::MIN), i64::from(i32::MAX));
        // The range check makes the narrowing exact.
        reader.integer(path, min, max, "an Integer (i32)").map(|n| n as i32)
    }
}

impl FromCbor for i64 {
    fn read_cbor(reader: &mut CborReader<'_>, path: &Path<'_>) -> Result<Self, CborError> {
        reader.integer(path, i64::MIN, i64::MAX, "a Long (i64)")
    }
}

impl FromCbor for f32 {
    fn read_cbor(reader: &mut CborReader<'_>, path: &Path<'_>) -> Result<Self, CborError> {
        reader.float(path)
    }
}

impl FromCbor for f64 {
    fn read_cbor(reader: &mut CborReader<'_>, path: &Path<'_>) -> Result<Self, CborError> {
        reader.double(path)
    }
}

impl FromCbor for Blob {
    fn read_cbor(reader: &mut CborReader<'_>, path: &Path<'_>) -> Result<Self, CborError> {
        reader.bytes(path).map(|bytes| Blob::new(bytes.into_owned()))
    }
}

impl FromCbor for DateTime {
    fn read_cbor(reader: &mut CborReader<'_>, path: &Path<'_>) -> Result<Self, CborError> {
        reader.timestamp(path)
    }
}

/// A dense list drops `null` elements; a sparse one is a `Vec<Option<T>>`, which keeps them.
impl<T: FromCbor> FromCbor for Vec<T> {
    fn read_cbor(reader: &mut CborReader<'_>, path: &Path<'_>) -> Result<Self, CborError> {
        let mut list = reader.list(path)?;
        let mut out = Vec::with_capacity(list.capacity());
        while list.has_next()? {
            if !T::NULLABLE && list.null()? {
                continue;
            }
            out.push(list.value()?);
        }
        Ok(out)
    }
}

/// A dense map drops `null` values; a sparse one is a `HashMap<K, Option<T>>`, which keeps them.
impl<K: MapKey, T: FromCbor> FromCbor for HashMap<K, T> {
    fn read_cbor(reader: &mut CborReader<'_>, path: &Path<'_>) -> Result<Self, CborError> {
        let mut map = reader.map(path)?;
        let mut out = HashMap::with_capacity(map.capacity());
        while let Some(key) = map.next_key()? {
            if !T::NULLABLE && map.null()? {
                continue;
            }
            out.insert(K::from_key(&key), map.value()?);
        }
        Ok(out)
    }
}

/// `null` (or `undefined`) is `None`.
impl<T: FromCbor> FromCbor for Option<T> {
    const NULLABLE: bool = true;

    fn read_cbor(reader: &mut CborReader<'_>, path: &Path<'_>) -> Result<Self, CborError> {
        if reader.null(path)? { Ok(None) } else { T::read_cbor(reader, path).map(Some) }
    }
}

impl<T: FromCbor> FromCbor for Box<T> {
    const NULLABLE: bool = T::NULLABLE;

    fn read_cbor(reader: &mut CborReader<'_>, path: &Path<'_>) -> Result<Self, CborError> {
        T::read_cbor(reader, path).map(Box::new)
    }
}
