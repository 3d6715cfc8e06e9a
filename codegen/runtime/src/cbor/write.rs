//! Writing CBOR request bodies, each type encoded as botocore encodes it (the module
//! documentation gives the two exceptions, timestamps and structures).

use std::collections::HashMap;

use aws_smithy_types::{Blob, DateTime};

use super::super::json::MapKey;
use super::super::number;

/// Major types (RFC 8949 §3.1), already shifted into the initial byte's top three bits.
pub(super) const UNSIGNED: u8 = 0 << 5;
pub(super) const NEGATIVE: u8 = 1 << 5;
pub(super) const BYTES: u8 = 2 << 5;
pub(super) const TEXT: u8 = 3 << 5;
pub(super) const ARRAY: u8 = 4 << 5;
pub(super) const MAP: u8 = 5 << 5;
pub(super) const TAG: u8 = 6 << 5;
pub(super) const SIMPLE: u8 = 7 << 5;

/// The additional information that marks an indefinite length, and the byte ending one.
pub(super) const INDEFINITE: u8 = 31;
pub(super) const BREAK: u8 = 0xff;
/// The tag of epoch-seconds timestamps.
pub(super) const EPOCH_TAG: u64 = 1;

/// Writes CBOR into a byte vector.
#[derive(Debug, Default)]
pub struct CborWriter {
    out: Vec<u8>,
}

impl CborWriter {
    /// An empty writer.
    pub fn new() -> Self {
        CborWriter::default()
    }

    /// The bytes written so far.
    pub fn into_bytes(self) -> Vec<u8> {
        self.out
    }

    /// Writes an initial byte with `argument` in its shortest form.
    fn head(&mut self, major: u8, argument: u64) {
        match argument {
            0..24 => self.out.push(major | argument as u8),
            24..0x100 => self.out.extend_from_slice(&[major | 24, argument as u8]),
            0x100..0x1_0000 => {
                self.out.push(major | 25);
                self.out.extend_from_slice(&(argument as u16).to_be_bytes());
            }
            0x1_0000..0x1_0000_0000 => {
                self.out.push(major | 26);
                self.out.extend_from_slice(&(argument as u32).to_be_bytes());
            }
            _ => {
                self.out.push(major | 27);
                self.out.extend_from_slice(&argument.to_be_bytes());
            }
        }
    }

    /// Writes `null`.
    pub fn null(&mut self) {
        self.out.push(SIMPLE | 22);
    }

    /// Writes `true` or `false`.
    pub fn bool(&mut self, value: bool) {
        self.out.push(SIMPLE | if value { 21 } else { 20 });
    }

    /// Writes an integer in its shortest form.
    pub fn integer(&mut self, value: i64) {
        match u64::try_from(value) {
            Ok(positive) => self.head(UNSIGNED, positive),
            // -1 - n: the two's complement of a negative i64, which is never negative.
            Err(_) => self.head(NEGATIVE, !value as u64),
        }
    }

    /// Writes NaN or an infinity as a half-precision float, as botocore does.
    fn non_finite(&mut self, nan: bool, negative: bool) {
        let bits: u16 = match (nan, negative) {
            (true, _) => 0x7e00,
            (false, false) => 0x7c00,
            (false, true) => 0xfc00,
        };
        self.out.push(SIMPLE | 25);
        self.out.extend_from_slice(&bits.to_be_bytes());
    }

    /// Writes a `Double` as a double-precision float (NaN and the infinities as half floats).
    pub fn double(&mut self, value: f64) {
        if value.is_finite() {
            self.out.push(SIMPLE | 27);
            self.out.extend_from_slice(&value.to_bits().to_be_bytes());
        } else {
            self.non_finite(value.is_nan(), value.is_sign_negative());
        }
    }

    /// Writes a `Float` as a single-precision float (NaN and the infinities as half floats).
    pub fn float(&mut self, value: f32) {
        if value.is_finite() {
            self.out.push(SIMPLE | 26);
            self.out.extend_from_slice(&value.to_bits().to_be_bytes());
        } else {
            self.non_finite(value.is_nan(), value.is_sign_negative());
        }
    }

    /// Writes a text string.
    pub fn string(&mut self, value: &str) {
        self.head(TEXT, value.len() as u64);
        self.out.extend_from_slice(value.as_bytes());
    }

    /// Writes a byte string.
    pub fn bytes(&mut self, value: &[u8]) {
        self.head(BYTES, value.len() as u64);
        self.out.extend_from_slice(value);
    }

    /// Writes a timestamp as tag 1 with its epoch seconds as a double, as the protocol's
    /// specification and its test bodies do (botocore writes an integer for a whole second;
    /// readers take either): the double nearest to the exact seconds, not seconds plus
    /// nanoseconds / 1e9 rounded twice. A whole second past 2^53, which no double holds, is an
    /// integer.
    pub fn timestamp(&mut self, value: &DateTime) {
        self.head(TAG, EPOCH_TAG);
        if value.subsec_nanos() == 0 && value.secs().unsigned_abs() > 1 << 53 {
            self.integer(value.secs());
        } else {
            // The exact decimal text, parsed: correctly rounded.
            let text = number::epoch_seconds_text(value);
            self.double(text.parse().unwrap_or(value.as_secs_f64()));
        }
    }

    /// Starts a list of `len` elements, which the caller must then write.
    pub fn array(&mut self, len: usize) {
        self.head(ARRAY, len as u64);
    }

    /// Starts a map of `len` entries, which the caller must then write as key, value, key, ...
    pub fn map(&mut self, len: usize) {
        self.head(MAP, len as u64);
    }

    /// Starts a structure: an indefinite-length map, closed when the returned writer is dropped.
    pub fn structure(&mut self) -> StructureWriter<'_> {
        self.out.push(MAP | INDEFINITE);
        StructureWriter { writer: self }
    }
}

/// Writes the members of a structure; unset members are left out.
#[derive(Debug)]
pub struct StructureWriter<'a> {
    writer: &'a mut CborWriter,
}

impl StructureWriter<'_> {
    /// Writes member `name` with `value`, unless the value is unset (`None`).
    pub fn member<T: ToCbor + ?Sized>(&mut self, name: &str, value: &T) {
        if !value.is_unset() {
            self.writer.string(name);
            value.write_cbor(self.writer);
        }
    }

    /// Writes `name` and returns the writer for its value, which the caller must write.
    pub fn key(&mut self, name: &str) -> &mut CborWriter {
        self.writer.string(name);
        self.writer
    }
}

impl Drop for StructureWriter<'_> {
    fn drop(&mut self) {
        self.writer.out.push(BREAK);
    }
}

/// A value that can be written as CBOR.
pub trait ToCbor {
    /// Writes `self` into `writer`.
    fn write_cbor(&self, writer: &mut CborWriter);

    /// Whether a structure leaves this member out: true only for `None`.
    fn is_unset(&self) -> bool {
        false
    }
}

impl ToCbor for str {
    fn write_cbor(&self, writer: &mut CborWriter) {
        writer.string(self);
    }
}

impl ToCbor for String {
    fn write_cbor(&self, writer: &mut CborWriter) {
        writer.string(self);
    }
}

impl ToCbor for bool {
    fn write_cbor(&self, writer: &mut CborWriter) {
        writer.bool(*self);
    }
}

impl ToCbor for i32 {
    fn write_cbor(&self, writer: &mut CborWriter) {
        writer.integer(i64::from(*self));
    }
}

impl ToCbor for i64 {
    fn write_cbor(&self, writer: &mut CborWriter) {
        writer.integer(*self);
    }
}

impl ToCbor for f32 {
    fn write_cbor(&self, writer: &mut CborWriter) {
        writer.float(*self);
    }
}

impl ToCbor for f64 {
    fn write_cbor(&self, writer: &mut CborWriter) {
        writer.double(*self);
    }
}

impl ToCbor for Blob {
    fn write_cbor(&self, writer: &mut CborWriter) {
        writer.bytes(self.as_ref());
    }
}

impl ToCbor for DateTime {
    fn write_cbor(&self, writer: &mut CborWriter) {
        writer.timestamp(self);
    }
}

impl<T: ToCbor> ToCbor for Vec<T> {
    fn write_cbor(&self, writer: &mut CborWriter) {
        writer.array(self.len());
        for item in self {
            item.write_cbor(writer);
        }
    }
}

impl<K: MapKey, T: ToCbor> ToCbor for HashMap<K, T> {
    fn write_cbor(&self, writer: &mut CborWriter) {
        writer.map(self.len());
        for (key, value) in self {
            writer.string(key.as_key());
            value.write_cbor(writer);
        }
    }
}

impl<T: ToCbor + ?Sized> ToCbor for Box<T> {
    fn write_cbor(&self, writer: &mut CborWriter) {
        (**self).write_cbor(writer);
    }

    fn is_unset(&self) -> bool {
        (**self).is_unset()
    }
}

/// `None` is left out of a structure, and is `null` in a sparse list or map.
impl<T: ToCbor> ToCbor for Option<T> {
    fn write_cbor(&self, writer: &mut CborWriter) {
        match self {
            Some(value) => value.write_cbor(writer),
            None => writer.null(),
        }
    }

    fn is_unset(&self) -> bool {
        self.is_none()
    }
}
