//! A CBOR decoder for comparing request bodies with the rpcv2Cbor suites' expected bodies as
//! decoded values, as botocore's own protocol tests compare them (the same value may be encoded
//! several ways: definite or indefinite lengths, integer widths, float precisions).
//!
//! Written apart from the runtime's reader on purpose, so the suites do not check the client's
//! encoding with its own decoding. Values decode to JSON: a map to an object (text keys), a
//! byte string to `{"$bytes": [..]}`, tag 1 (a timestamp) to `{"$epoch": seconds}`, other tags
//! to their content, NaN and the infinities to the strings the suites use (`"NaN"`,
//! `"Infinity"`, `"-Infinity"`).

use serde_json::{Map, Value, json};

/// Decodes one whole CBOR data item.
pub fn decode(bytes: &[u8]) -> Result<Value, String> {
    let mut decoder = Decoder { bytes, at: 0 };
    let value = decoder.item(0)?.ok_or("a break outside an indefinite-length item")?;
    if decoder.at != bytes.len() {
        return Err(format!("{} bytes after the value", bytes.len() - decoder.at));
    }
    Ok(value)
}

struct Decoder<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl Decoder<'_> {
    fn take(&mut self, n: usize) -> Result<&[u8], String> {
        let end = self.at.checked_add(n).filter(|end| *end <= self.bytes.len()).ok_or("truncated")?;
        let out = &self.bytes[self.at..end];
        self.at = end;
        Ok(out)
    }

    /// The argument of an initial byte's additional information; `None` for indefinite.
    fn argument(&mut self, info: u8) -> Result<Option<u64>, String> {
        Ok(match info {
            0..24 => Some(u64::from(info)),
            24..=27 => Some(self.take(1 << (info - 24))?.iter().fold(0, |n, b| n << 8 | u64::from(*b))),
            31 => None,
            _ => return Err(format!("reserved additional information {info}")),
        })
    }

    /// The next item, or `None` for a break.
    fn item(&mut self, depth: usize) -> Result<Option<Value>, String> {
        if depth > 200 {
            return Err("nested too deep".to_string());
        }
        let initial = self.take(1)?[0];
        let (major, info) = (initial >> 5, initial & 0x1f);
        let argument = self.argument(info)?;
        let len = |n: u64| usize::try_from(n).map_err(|_| "length too large".to_string());
        Ok(Some(match (major, argument) {
            (0, Some(n)) => json!(n),
            (1, Some(n)) => {
                let n = -1 - i128::from(n);
                i64::try_from(n).map_or_else(|_| json!(n as f64), |n| json!(n))
            }
            (2 | 3, Some(n)) => {
                let bytes = self.take(len(n)?)?.to_vec();
                string(major, bytes)?
            }
            (2 | 3, None) => {
                let mut bytes = Vec::new();
                while let Some(chunk) = self.chunk(major)? {
                    bytes.extend(chunk);
                }
                string(major, bytes)?
            }
            (4, count) => {
                let mut items = Vec::new();
                while count.is_none_or(|n| (items.len() as u64) < n) {
                    match self.item(depth + 1)? {
                        Some(item) => items.push(item),
                        None if count.is_none() => break,
                        None => return Err("a break inside a definite-length array".to_string()),
                    }
                }
                Value::Array(items)
            }
            (5, count) => {
                let mut map = Map::new();
                while count.is_none_or(|n| (map.len() as u64) < n) {
                    let key = match self.item(depth + 1)? {
                        Some(Value::String(key)) => key,
                        None if count.is_none() => break,
                        other => return Err(format!("a map key that is not a text string: {other:?}")),
                    };
                    let value = self.item(depth + 1)?.ok_or("a break in place of a map value")?;
                    map.insert(key, value);
                }
                Value::Object(map)
            }
            (6, Some(tag)) => {
                let content = self.item(depth + 1)?.ok_or("a tag without content")?;
                if tag == 1 { json!({ "$epoch": content }) } else { content }
            }
            (7, _) if info == 31 => return Ok(None),
            (7, Some(n)) => match info {
                20 => json!(false),
                21 => json!(true),
                22 | 23 => Value::Null,
                25 => float(half(n as u16)),
                26 => float(f64::from(f32::from_bits(n as u32))),
                27 => float(f64::from_bits(n)),
                _ => return Err(format!("simple value {n}")),
            },
            _ => return Err(format!("initial byte 0x{initial:02x}")),
        }))
    }

    /// The next chunk of an indefinite-length string, or `None` at its break.
    fn chunk(&mut self, major: u8) -> Result<Option<Vec<u8>>, String> {
        let initial = self.take(1)?[0];
        if initial == 0xff {
            return Ok(None);
        }
        match (initial >> 5, self.argument(initial & 0x1f)?) {
            (m, Some(n)) if m == major => {
                Ok(Some(self.take(usize::try_from(n).map_err(|_| "length too large")?)?.to_vec()))
            }
            _ => Err("a chunk of another type in an indefinite-length string".to_string()),
        }
    }
}

fn string(major: u8, bytes: Vec<u8>) -> Result<Value, String> {
    if major == 2 {
        Ok(json!({ "$bytes": bytes }))
    } else {
        String::from_utf8(bytes).map(Value::String).map_err(|_| "a text string that is not UTF-8".to_string())
    }
}

fn float(n: f64) -> Value {
    match n {
        n if n.is_nan() => json!("NaN"),
        f64::INFINITY => json!("Infinity"),
        f64::NEG_INFINITY => json!("-Infinity"),
        // Exactly the value encoded, as a double: 7.625 as an f32 compares equal to 7.625.
        n => json!(n),
    }
}

/// A half-precision float's value (RFC 8949 Appendix D).
fn half(bits: u16) -> f64 {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodings_of_one_value_decode_alike() {
        // {"a": [1, "x"]} definite, and indefinite with a chunked string.
        let definite = decode(b"\xa1\x61a\x82\x01\x61x").unwrap();
        let indefinite = decode(b"\xbf\x61a\x9f\x18\x01\x7f\x61x\xff\xff\xff").unwrap();
        assert_eq!(definite, indefinite);
        assert_eq!(decode(b"\xf9\x7e\x00").unwrap(), json!("NaN"));
        assert_eq!(decode(b"\xc1\x1a\x38\x6d\x43\x80").unwrap(), json!({"$epoch": 946_684_800}));
        assert!(decode(b"\xa1\x61a").is_err());
    }
}
