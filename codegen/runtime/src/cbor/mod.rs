//! CBOR on the wire (RFC 8949), for the Smithy `rpcv2Cbor` protocol: a writer for request
//! bodies, a streaming reader for response bodies that names the path of any value that does not
//! fit, and the reading of error responses.
//!
//! Hand-written rather than a crate: the protocol uses a small subset of CBOR (no bignums, no
//! simple values past `undefined`), and a reader built for it reads straight into the generated
//! types, checks every length against the bytes left before allocating, and bounds nesting, so no
//! body can make it panic, recurse without end, or hold more than a bounded multiple of the
//! body's size (a list reserves room for at most one element per byte left, and 1024).
//!
//! # What is written
//!
//! As botocore writes it: integers in their shortest form, lists and maps with a definite
//! length, a `Float` as a single-precision and a `Double` as a double-precision float, NaN and
//! the infinities as half-precision floats, a blob as a byte string. Two choices differ from
//! botocore's, which its tests allow as they compare decoded values: a timestamp is tag 1 with
//! the double nearest to its exact epoch seconds, as the protocol's specification and test
//! bodies write it (botocore writes an integer for a whole second); and a structure is an
//! indefinite-length map, as the specification's test bodies write it, since its member count is
//! not known until the unset members are skipped (botocore counts them first).
//!
//! # What is read
//!
//! Every encoding the protocol allows: definite and indefinite lengths, integers of any width
//! (range-checked into `i32` and `i64`), half, single and double floats, tags (tag 1 marks a
//! timestamp; others are ignored, as RFC 8949 permits), `null` and `undefined` as an absent
//! value.

mod error;
mod error_response;
mod read;
mod write;

pub use error::{CborError, CborErrorKind};
pub use error_response::{QUERY_ERROR_HEADER, parse_error};
pub use read::{CborReader, FromCbor, ListReader, MAX_DEPTH, MapReader};
pub use write::{CborWriter, StructureWriter, ToCbor};

/// Reads a whole body as a `T`: the body must hold exactly one value. An empty body reads as an
/// empty map, as the protocol allows for an output without members.
pub fn from_body<T: FromCbor>(body: &[u8]) -> Result<T, CborError> {
    let empty_map = [0xa0];
    let mut reader = CborReader::new(if body.is_empty() { &empty_map } else { body });
    let value = T::read_cbor(&mut reader, &super::path::Path::Root)?;
    reader.finish()?;
    Ok(value)
}

/// Writes a value as a whole body.
pub fn to_body<T: ToCbor + ?Sized>(value: &T) -> Vec<u8> {
    let mut writer = CborWriter::new();
    value.write_cbor(&mut writer);
    writer.into_bytes()
}

#[cfg(test)]
mod tests;
