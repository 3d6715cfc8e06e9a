//! Numbers and timestamps on the wire: the one place where the runtime turns JSON numbers and
//! timestamp texts into Rust values and back. The reference is botocore (the JSON it writes, the
//! values it reads); where botocore itself loses digits, the rule here is the exact value.
//!
//! # Writing
//!
//! - **Integer, Long**: the decimal integer.
//! - **Double**: Python's `repr` of the value, which is what botocore's `json.dumps` writes: the
//!   shortest digits that read back as the same double, in fixed notation with at least one
//!   fraction digit (`1.0`, `0.0001`, `-0.0`) when the decimal exponent is in `-4..16`, else in
//!   exponent notation with a signed exponent of at least two digits (`1e-05`, `1e+16`,
//!   `1.7976931348623157e+308`, `5e-324`).
//! - **Float** (`f32`): the same notation, with the shortest digits that read back as the same
//!   `f32` (`0.1`, not `0.10000000149011612`).
//! - NaN and the infinities are the strings `"NaN"`, `"Infinity"` and `"-Infinity"`, as the AWS
//!   JSON protocols require (and botocore writes).
//! - **epoch-seconds** timestamps: the exact decimal of the timestamp's seconds and nanoseconds,
//!   never rounded through a float. A whole second is an integer (`1398796238`, `-1`); otherwise
//!   the shortest exact decimal (`1.003691`, `-1.5`, `0.000000001`... written `1e-09`), in fixed
//!   notation except that a magnitude below `0.0001` uses exponent notation as Python does
//!   (`-1e-06`, `1.5e-05`).
//!
//!   botocore (1.44) writes `(seconds * 10**6 + microseconds) / 10**6`, one correctly rounded
//!   double, as its `repr`. For every microsecond-precision timestamp within 2^33 s of 1970
//!   (1697-10-17 to 2242-03-16) that text is exactly ours: the double's spacing there is below 1 µs,
//!   so the shortest digits that identify it are the microseconds themselves (the tests check
//!   this on random values). Further out, a double cannot hold every microsecond and botocore's
//!   text is the neighbouring double's (9999-12-31T23:59:59.999999Z becomes `253402300800.0`, a
//!   second into year 10000); ours stays exact (`253402300799.999999`). Nanoseconds, which
//!   botocore cannot hold, are written too.
//! - **date-time**: RFC 3339 in UTC, `2000-01-02T20:34:56Z`, with the fraction as botocore writes
//!   it (six digits, `.003691`) when the time has microsecond precision, else nine digits
//!   (`.123456789`). Years 0000 to 9999 have four digits (botocore writes year 1 as `1-01-01`,
//!   which is not RFC 3339); years outside them, which RFC 3339 cannot write, are written in the
//!   ISO 8601 expanded form java.time uses (`+10000-01-01T00:00:00Z`, `-0001-12-31T00:00:00Z`).
//! - **http-date**: IMF-fixdate, `Sun, 02 Jan 2000 20:34:56 GMT`, to the whole second rounded
//!   down, as botocore and the AWS SDK for Rust write it (the format has no fraction). Years
//!   outside 0000 to 9999 are written in the expanded form above (`+10000`), which is no longer
//!   IMF-fixdate: the format has no right text for them.
//!
//! # Reading
//!
//! The body is parsed by serde_json with its `float_roundtrip` feature: a number written with a
//! fraction or an exponent becomes the double nearest to its text (correctly rounded, so
//! `9007199254740993.0` is `9007199254740992` and `1.7976931348623158e308` is `f64::MAX`). A
//! number written as an integer stays an exact `u64` or `i64` when it fits one.
//!
//! - **Integer** (`i32`) and **Long** (`i64`): an integer in range. A number past the type's
//!   range is an error naming the member's path, never wrapped or saturated. A number written
//!   as a float (`3.0`, `1e3`) is accepted when it is a whole number below 2^53 in magnitude,
//!   where a double is exact (botocore hands such a number over as a Python float; the value is
//!   the same); a fraction (`3.5`), or a float form of 2^53 or more, is an error. As for any
//!   double, a text with more digits than a double holds that rounds to a whole number
//!   (`1.00000000000000001`) reads as that number.
//! - **Double**: the nearest double; `"NaN"`, `"Infinity"` and `"-Infinity"` as strings.
//! - **Float**: the `f32` nearest to the text, ties to even, whenever the text has at most 15
//!   significant digits, which includes every `f32`'s shortest text (at most 9 digits: what
//!   botocore, Java and this runtime write). The double nearest to the text is rounded to the
//!   nearest `f32`; that is the text's own unless the double lands exactly halfway between two
//!   `f32`s, where the double cannot say on which side of halfway the text was. There the
//!   double's shortest text decides if it has at most 15 significant digits (it is then the wire
//!   text itself); otherwise the halfway point rounds to even, so an exact halfway text
//!   (`16777217`, `1.000000059604644775390625`) ties to even. Checked over all 2^32 `f32`s:
//!   without that step `±7.038531e-26`, whose double is such a halfway point, would read as the
//!   neighbouring `f32`. The limits, where the parsed body keeps the double and not the text: a
//!   longer text whose double is halfway reads to even though it may lie to one side
//!   (`1.00000005960464478` reads as `1.0`; `1.0000001` is nearer), and at 2.4% of the halfway
//!   points (checked over all of them) the double has a shortest text of at most 15 digits
//!   other than the halfway point, so the exact halfway text is read as that text (23.5 ×
//!   2^-149 written out in full reads as `3.2e-44`, not the even `3.4e-44`). A finite value that
//!   rounds past `f32::MAX` is an error naming the path; a tiny value rounds to a subnormal or
//!   zero.
//! - **Timestamps**, in any of the three formats, as botocore reads them whatever the model says:
//!   a number is epoch seconds; a string is read in the member's format first, then as a
//!   numeric epoch-seconds string, an RFC 3339 date-time or an http-date.
//!   - A number's decimal digits (integer and fraction) go straight into seconds and
//!     nanoseconds, floor-based as `DateTime` keeps them (`-1.5` is 1969-12-31T23:59:58.500Z),
//!     in any notation (`1.7E9`, `1e-06`). An integer is exact. A number with a fraction or an
//!     exponent is read from the shortest text of its double, which is the wire text itself
//!     whenever that has at most 15 significant digits or is the shortest text of a double
//!     (what botocore, Java's `Double.toString`, JavaScript and Go write): every millisecond
//!     timestamp of years 1 to 9999, every microsecond timestamp within 2^33 s of 1970. A
//!     longer text (e.g. the nanoseconds `1700000000.123456789`, 19 digits) is read from its own
//!     digits, which the response reader (the runtime's `json_reader`, a tokenizer that keeps
//!     every number's wire text) hands over: exact too. (A value read some other way than from a
//!     response, through `FromJson::from_json` on a `Value` alone, has only the double's
//!     shortest text: `1700000000.1234567`.) A numeric *string* is read from
//!     its text and is always exact.
//!   - Digits past the ninth fraction digit are rounded to the nearest nanosecond, ties to even
//!     (botocore keeps microseconds and rounds numbers the same way).
//!   - date-time: `YYYY-MM-DD`, `T` (or `t`, or a space), `hh:mm:ss`, an optional fraction of
//!     any length, then `Z` (or `z`) or an offset `±hh:mm`; the expanded years written above are
//!     read too. A leap second (`:60`) is an error: `DateTime` has no place for it.
//!   - http-date: IMF-fixdate with an optional fraction of any length
//!     (`Sun, 02 Jan 2000 20:34:56.123 GMT`). The weekday must be a weekday name; like botocore
//!     and the AWS SDKs, it is not checked against the date.
//!   - A timestamp past `DateTime`'s range (`i64` seconds from 1970, about 292 billion years) is
//!     an error naming the path.
//!
//! The awsJson protocols have no BigInteger or BigDecimal members the generator accepts (it
//! rejects those shapes: a 64-bit type would lose digits), so there is no rule for them here.

use std::fmt::{self, Write as _};

use aws_smithy_types::DateTime;
use aws_smithy_types::date_time::Format;
use serde_json::{Number, Value};

use super::json::JsonError;
use super::path::Path;

const NANOS_PER_SECOND: i128 = 1_000_000_000;
const SECONDS_PER_DAY: i64 = 86_400;
/// 2^53: below it, every whole number is a double.
const EXACT_INTEGER_LIMIT: f64 = 9_007_199_254_740_992.0;

// ---------------------------------------------------------------------------------------------
// Writing
// ---------------------------------------------------------------------------------------------

/// Writes an integer.
pub fn write_integer(out: &mut String, value: i64) {
    out.push_str(itoa::Buffer::new().format(value));
}

/// Writes a double as botocore does: Python's `repr`, or a string for NaN and the infinities.
pub fn write_double(out: &mut String, value: f64) {
    match special_name(value.is_nan(), value.is_infinite(), value.is_sign_negative()) {
        Some(name) => {
            let _ = write!(out, "\"{name}\"");
        }
        None => python_repr(out, &ScientificText::of(value)),
    }
}

/// Writes a float with its own shortest digits in Python's notation, or a string for NaN and
/// the infinities.
pub fn write_float(out: &mut String, value: f32) {
    match special_name(value.is_nan(), value.is_infinite(), value.is_sign_negative()) {
        Some(name) => {
            let _ = write!(out, "\"{name}\"");
        }
        None => python_repr(out, &ScientificText::of(value)),
    }
}

/// The text of a double outside JSON (a URI label, a query value, a header): Python's `repr`
/// as botocore writes it, and `NaN`, `Infinity`, `-Infinity` unquoted.
pub fn double_text(value: f64) -> String {
    match special_name(value.is_nan(), value.is_infinite(), value.is_sign_negative()) {
        Some(name) => name.to_string(),
        None => {
            let mut out = String::new();
            python_repr(&mut out, &ScientificText::of(value));
            out
        }
    }
}

/// The text of a float outside JSON: its own shortest digits (`1.1`, not the double nearest
/// to it) in Python's notation, and the special values unquoted.
pub fn float_text(value: f32) -> String {
    match special_name(value.is_nan(), value.is_infinite(), value.is_sign_negative()) {
        Some(name) => name.to_string(),
        None => {
            let mut out = String::new();
            python_repr(&mut out, &ScientificText::of(value));
            out
        }
    }
}

fn special_name(nan: bool, infinite: bool, negative: bool) -> Option<&'static str> {
    match (nan, infinite, negative) {
        (true, _, _) => Some("NaN"),
        (false, true, false) => Some("Infinity"),
        (false, true, true) => Some("-Infinity"),
        _ => None,
    }
}

/// Rust's shortest scientific text of a float (`{:e}`: `1.5e-7`, `-1e16`, `0e0`), formatted
/// into a buffer on the stack so that writing a number allocates nothing.
struct ScientificText {
    bytes: [u8; 32],
    len: usize,
}

impl ScientificText {
    fn of(value: impl fmt::LowerExp) -> Self {
        let mut text = ScientificText { bytes: [0; 32], len: 0 };
        // The longest text, `-1.7976931348623157e308`, is 23 bytes: the buffer always fits it.
        let _ = write!(text, "{value:e}");
        text
    }
}

impl fmt::Write for ScientificText {
    fn write_str(&mut self, piece: &str) -> fmt::Result {
        let end = self.len + piece.len();
        let slot = self.bytes.get_mut(self.len..end).ok_or(fmt::Error)?;
        slot.copy_from_slice(piece.as_bytes());
        self.len = end;
        Ok(())
    }
}

impl std::ops::Deref for ScientificText {
    type Target = str;
    fn deref(&self) -> &str {
        // Only whole `&str` pieces are ever copied in, so the bytes are UTF-8.
        std::str::from_utf8(&self.bytes[..self.len]).unwrap_or_default()
    }
}

/// Rewrites Rust's shortest scientific text (`1.5e-7`, `-1e16`, `0e0`) in Python's `repr`
/// notation.
fn python_repr(out: &mut String, scientific: &str) {
    let (negative, rest) = match scientific.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, scientific),
    };
    let (mantissa, exponent) = rest.split_once('e').unwrap_or((rest, "0"));
    let exponent: i32 = exponent.parse().unwrap_or(0);
    // The mantissa is one digit, then optionally `.` and more digits.
    let (lead, tail) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    let digit_count = lead.len() + tail.len();
    // The `from`..`to` digits of the mantissa, as if it had no point.
    let push_digits = |out: &mut String, from: usize, to: usize| {
        if from < lead.len() {
            out.push_str(&lead[from..to.min(lead.len())]);
        }
        if to > lead.len() {
            out.push_str(&tail[from.max(lead.len()) - lead.len()..to - lead.len()]);
        }
    };
    if negative {
        out.push('-');
    }
    if !(-4..16).contains(&exponent) {
        push_digits(out, 0, 1);
        if digit_count > 1 {
            out.push('.');
            push_digits(out, 1, digit_count);
        }
        out.push_str(if exponent < 0 { "e-" } else { "e+" });
        if exponent.unsigned_abs() < 10 {
            out.push('0');
        }
        out.push_str(itoa::Buffer::new().format(exponent.unsigned_abs()));
    } else if exponent >= 0 {
        let point = exponent as usize + 1;
        if digit_count <= point {
            push_digits(out, 0, digit_count);
            out.extend(std::iter::repeat_n('0', point - digit_count));
            out.push_str(".0");
        } else {
            push_digits(out, 0, point);
            out.push('.');
            push_digits(out, point, digit_count);
        }
    } else {
        out.push_str("0.");
        out.extend(std::iter::repeat_n('0', (-exponent - 1) as usize));
        push_digits(out, 0, digit_count);
    }
}

/// Writes a timestamp in `format`: epoch seconds as a number, the others as strings.
pub fn write_timestamp(out: &mut String, value: &DateTime, format: Format) {
    match format {
        Format::EpochSeconds => write_epoch_seconds(out, value),
        Format::DateTime | Format::DateTimeWithOffset => {
            out.push('"');
            write_date_time(out, value);
            out.push('"');
        }
        Format::HttpDate => {
            out.push('"');
            out.push_str(&http_date_text(value));
            out.push('"');
        }
    }
}

/// The exact epoch-seconds text of a timestamp (see the module documentation).
pub fn epoch_seconds_text(value: &DateTime) -> String {
    let mut out = String::with_capacity(32);
    write_epoch_seconds(&mut out, value);
    out
}

/// Writes [`epoch_seconds_text`] into `out`, allocating nothing of its own.
fn write_epoch_seconds(out: &mut String, value: &DateTime) {
    let (secs, nanos) = (value.secs(), value.subsec_nanos());
    if nanos == 0 {
        out.push_str(itoa::Buffer::new().format(secs));
        return;
    }
    // Sign and magnitude: DateTime's nanoseconds count forward from its (floored) seconds.
    let (negative, whole, fraction) = if secs < 0 {
        (true, (secs + 1).unsigned_abs(), 1_000_000_000 - nanos)
    } else {
        (false, secs.unsigned_abs(), nanos)
    };
    if negative {
        out.push('-');
    }
    // The nine fraction digits, zero-padded, then without their trailing zeros.
    let mut nine = [b'0'; 9];
    let mut rest = fraction;
    for digit in nine.iter_mut().rev() {
        *digit = b'0' + (rest % 10) as u8;
        rest /= 10;
    }
    let fraction_digits = std::str::from_utf8(&nine).unwrap_or_default().trim_end_matches('0');
    if whole == 0 && fraction < 100_000 {
        // Below 0.0001: Python's exponent notation, `1e-06`, `1.5e-05`.
        let zeros = fraction_digits.len() - fraction_digits.trim_start_matches('0').len();
        let significant = &fraction_digits[zeros..];
        out.push_str(&significant[..1]);
        if significant.len() > 1 {
            out.push('.');
            out.push_str(&significant[1..]);
        }
        let _ = write!(out, "e-{:02}", zeros + 1);
    } else {
        out.push_str(itoa::Buffer::new().format(whole));
        out.push('.');
        out.push_str(fraction_digits);
    }
}

/// The RFC 3339 text of a timestamp, in UTC (see the module documentation for the fraction and
/// for years outside 0000 to 9999).
pub fn date_time_text(value: &DateTime) -> String {
    let mut out = String::with_capacity(40);
    write_date_time(&mut out, value);
    out
}

/// Writes [`date_time_text`] into `out`, allocating nothing of its own.
fn write_date_time(out: &mut String, value: &DateTime) {
    let (days, second_of_day) = (value.secs().div_euclid(SECONDS_PER_DAY), value.secs().rem_euclid(SECONDS_PER_DAY));
    let (year, month, day) = civil_from_days(days);
    push_year(out, year);
    let (hour, minute, second) = (second_of_day / 3600, second_of_day / 60 % 60, second_of_day % 60);
    let _ = write!(out, "-{month:02}-{day:02}T{hour:02}:{minute:02}:{second:02}");
    let nanos = value.subsec_nanos();
    if nanos != 0 {
        if nanos.is_multiple_of(1000) {
            let _ = write!(out, ".{:06}", nanos / 1000);
        } else {
            let _ = write!(out, ".{nanos:09}");
        }
    }
    out.push('Z');
}

fn push_year(out: &mut String, year: i64) {
    let _ = match year {
        0..=9999 => write!(out, "{year:04}"),
        10000.. => write!(out, "+{year}"),
        _ => write!(out, "-{:04}", year.unsigned_abs()),
    };
}

const WEEKDAYS: [&str; 7] = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
const MONTHS: [&str; 12] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/// The IMF-fixdate text of a timestamp, to the whole second rounded down.
pub fn http_date_text(value: &DateTime) -> String {
    let (days, second_of_day) = (value.secs().div_euclid(SECONDS_PER_DAY), value.secs().rem_euclid(SECONDS_PER_DAY));
    let (year, month, day) = civil_from_days(days);
    // 1970-01-01 was a Thursday.
    let weekday = WEEKDAYS[(days + 4).rem_euclid(7) as usize];
    let mut out = String::with_capacity(32);
    let _ = write!(out, "{weekday}, {day:02} {} ", MONTHS[month as usize - 1]);
    push_year(&mut out, year);
    let (hour, minute, second) = (second_of_day / 3600, second_of_day / 60 % 60, second_of_day % 60);
    let _ = write!(out, " {hour:02}:{minute:02}:{second:02} GMT");
    out
}

// ---------------------------------------------------------------------------------------------
// Reading
// ---------------------------------------------------------------------------------------------

/// Reads an integer in `min..=max`; `type_name` (`an Integer`, `a Long`) is for the message.
pub fn read_integer(value: &Value, path: &Path<'_>, min: i64, max: i64, type_name: &str) -> Result<i64, JsonError> {
    let Value::Number(number) = value else {
        return Err(JsonError::expected(path, "an integer", value));
    };
    let past_range = || JsonError::invalid(path, format!("{number} is past the range of {type_name} ({min}..={max})"));
    let integral = if let Some(n) = number.as_i64() {
        n
    } else if number.is_u64() {
        return Err(past_range());
    } else {
        let float = number.as_f64().unwrap_or(f64::NAN);
        if float.fract() != 0.0 {
            return Err(JsonError::invalid(path, format!("{number} is not a whole number, as {type_name} must be")));
        }
        if float.abs() >= EXACT_INTEGER_LIMIT {
            if float.abs() >= -(i64::MIN as f64) {
                return Err(past_range());
            }
            return Err(JsonError::invalid(
                path,
                format!(
                    "{number} is written as a float of 2^53 or more, where a float does not hold every \
                     integer: {type_name} must be written as an integer"
                ),
            ));
        }
        float as i64
    };
    if (min..=max).contains(&integral) { Ok(integral) } else { Err(past_range()) }
}

/// Reads a double: a number, or the string `"NaN"`, `"Infinity"` or `"-Infinity"`.
pub fn read_double(value: &Value, path: &Path<'_>) -> Result<f64, JsonError> {
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

/// Reads a float: the `f32` nearest to the text (see the module documentation for when the
/// double decides); a finite value past `f32::MAX` is an error.
pub fn read_float(value: &Value, path: &Path<'_>) -> Result<f32, JsonError> {
    let double = read_double(value, path)?;
    // `as` rounds to the nearest f32, ties to even, and past the largest finite f32 to infinity.
    let mut float = double as f32;
    if is_f32_halfway(double, float) {
        // The text was at, above or below this halfway point; the double does not say which.
        // Its shortest text does when it has at most 15 digits: it is then the wire text itself.
        let shortest = format!("{double:e}");
        let digits = shortest.split('e').next().unwrap_or_default().bytes().filter(u8::is_ascii_digit).count();
        if digits <= 15 {
            float = shortest.parse().unwrap_or(float);
        }
    }
    if float.is_infinite() && double.is_finite() {
        return Err(JsonError::invalid(
            path,
            format!("{value} is past the range of a Float (f32, largest {:e})", f32::MAX),
        ));
    }
    Ok(float)
}

/// Whether `double` is exactly halfway between two `f32`s, `float` (its rounding) being one.
fn is_f32_halfway(double: f64, float: f32) -> bool {
    if f64::from(float) == double || double.is_nan() {
        return false;
    }
    // Past f32::MAX, the next step would be 2^128.
    let beyond = |float: f32| if float.is_infinite() { 2f64.powi(128).copysign(float.into()) } else { float.into() };
    let near = if float.is_infinite() { f32::MAX.copysign(float) } else { float };
    let other = if f64::from(near) < double { near.next_up() } else { near.next_down() };
    // Adjacent f32s and their mean are exact doubles.
    (f64::from(near) + beyond(other)) / 2.0 == double
}

/// Reads a timestamp whose member has `format` (see the module documentation: a number is
/// epoch seconds, a string may be in any of the formats, the member's first).
pub fn read_timestamp(value: &Value, path: &Path<'_>, format: Format) -> Result<DateTime, JsonError> {
    match value {
        Value::Number(number) => epoch_seconds_of_number(number, None).map_err(|e| JsonError::invalid(path, e)),
        Value::String(text) => read_timestamp_text(text, path, format),
        other => Err(JsonError::expected(path, "a timestamp", other)),
    }
}

/// Reads a timestamp string whose member has `format`: in `format` first, then in any other.
pub fn read_timestamp_text(text: &str, path: &Path<'_>, format: Format) -> Result<DateTime, JsonError> {
    let first = match format {
        Format::EpochSeconds => parse_epoch_seconds(text),
        Format::DateTime | Format::DateTimeWithOffset => parse_date_time(text),
        Format::HttpDate => parse_http_date(text),
    };
    match first {
        Ok(time) => Ok(time),
        Err(ParseError::OutOfRange(message)) => Err(JsonError::invalid(path, message)),
        Err(ParseError::Invalid(message)) => parse_epoch_seconds(text)
            .or_else(|_| parse_date_time(text))
            .or_else(|_| parse_http_date(text))
            .map_err(|_| JsonError::invalid(path, message)),
    }
}

/// Reads epoch seconds from a number of the body, from its own wire `text` (exact however
/// long); `number` is its value as serde_json holds it.
pub fn read_timestamp_number(number: &Number, text: &str, path: &Path<'_>) -> Result<DateTime, JsonError> {
    epoch_seconds_of_number(number, Some(text)).map_err(|e| JsonError::invalid(path, e))
}

/// Why a timestamp text was not read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ParseError {
    /// The text is not a timestamp of the format.
    Invalid(String),
    /// The text is a timestamp `DateTime` cannot hold.
    OutOfRange(String),
}

impl std::fmt::Display for ParseError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ParseError::Invalid(message) | ParseError::OutOfRange(message) => f.write_str(message),
        }
    }
}

impl std::error::Error for ParseError {}

fn past_date_time_range(text: &str) -> ParseError {
    ParseError::OutOfRange(format!(
        "the timestamp {text} is past the range of DateTime (i64 seconds from 1970, about 292 billion years)"
    ))
}

fn epoch_seconds_of_number(number: &Number, wire_text: Option<&str>) -> Result<DateTime, String> {
    if let Some(secs) = number.as_i64() {
        return Ok(DateTime::from_secs(secs));
    }
    if number.is_u64() {
        return Err(past_date_time_range(&number.to_string()).to_string());
    }
    // The number's own digits when the response reader has them; else the double's shortest
    // text, which is the wire text whenever that is a shortest text.
    let shortest;
    let text = match wire_text {
        Some(text) => text,
        None => {
            shortest = format!("{:e}", number.as_f64().unwrap_or(f64::NAN));
            &shortest
        }
    };
    parse_epoch_seconds(text).map_err(|e| match e {
        ParseError::OutOfRange(_) => past_date_time_range(&number.to_string()).to_string(),
        ParseError::Invalid(message) => message,
    })
}

/// Reads epoch seconds from a decimal text in JSON's number syntax (`1.5`, `-1e-06`, `1.7E9`),
/// exactly; digits past nanoseconds are rounded to the nearest, ties to even.
pub fn parse_epoch_seconds(text: &str) -> Result<DateTime, ParseError> {
    let invalid = || ParseError::Invalid(format!("{text:?} is not a number of epoch seconds"));
    let bytes = text.as_bytes();
    let (negative, rest) = match bytes.first() {
        Some(b'-') => (true, &bytes[1..]),
        _ => (false, bytes),
    };
    let int_len = rest.iter().take_while(|b| b.is_ascii_digit()).count();
    let (int_digits, rest) = rest.split_at(int_len);
    if int_digits.is_empty() || (int_digits.len() > 1 && int_digits[0] == b'0') {
        return Err(invalid());
    }
    let (fraction_digits, rest) = match rest.split_first() {
        Some((b'.', rest)) => {
            let len = rest.iter().take_while(|b| b.is_ascii_digit()).count();
            if len == 0 {
                return Err(invalid());
            }
            rest.split_at(len)
        }
        _ => (&rest[..0], rest),
    };
    let exponent = match rest.split_first() {
        None => 0,
        Some((b'e' | b'E', rest)) => {
            let (sign, digits) = match rest.split_first() {
                Some((b'-', digits)) => (-1, digits),
                Some((b'+', digits)) => (1, digits),
                _ => (1, rest),
            };
            if digits.is_empty() || !digits.iter().all(u8::is_ascii_digit) {
                return Err(invalid());
            }
            // Saturates far past any exponent that could still give a DateTime.
            sign * digits.iter().fold(0i64, |n, d| (n * 10 + i64::from(d - b'0')).min(1 << 40))
        }
        Some(_) => return Err(invalid()),
    };
    let digits: Vec<u8> = int_digits.iter().chain(fraction_digits).copied().collect();
    let exponent = exponent - fraction_digits.len() as i64;
    let nanos = to_nanos(&digits, exponent).ok_or_else(|| past_date_time_range(text))?;
    date_time_of_nanos(if negative { -nanos } else { nanos }).ok_or_else(|| past_date_time_range(text))
}

/// `digits × 10^exponent` seconds in nanoseconds, rounded to the nearest (ties to even); `None`
/// at 10^29 ns or more, far past `DateTime`'s range.
fn to_nanos(digits: &[u8], exponent: i64) -> Option<i128> {
    let start = digits.iter().take_while(|d| **d == b'0').count();
    let digits = &digits[start..];
    let end = digits.len() - digits.iter().rev().take_while(|d| **d == b'0').count();
    let (digits, exponent) = (&digits[..end], exponent + (digits.len() - end) as i64);
    if digits.is_empty() {
        return Some(0);
    }
    let shift = exponent + 9;
    let length = digits.len() as i64;
    if length + shift > 29 {
        return None;
    }
    let value_of = |digits: &[u8]| digits.iter().fold(0i128, |n, d| n * 10 + i128::from(d - b'0'));
    if shift >= 0 {
        return Some(value_of(digits) * 10i128.pow(shift as u32));
    }
    let kept = length + shift;
    if kept < 0 {
        // Below a tenth of a nanosecond.
        return Some(0);
    }
    let (head, tail) = digits.split_at(kept as usize);
    let head = value_of(head);
    // `tail` is not empty and ends with a non-zero digit (trailing zeros were dropped).
    let up = match tail[0] {
        b'6'..=b'9' => true,
        b'5' => tail.len() > 1 || head % 2 == 1,
        _ => false,
    };
    Some(head + i128::from(up))
}

/// The `DateTime` `nanos` nanoseconds from 1970, if it has one.
fn date_time_of_nanos(nanos: i128) -> Option<DateTime> {
    let secs = i64::try_from(nanos.div_euclid(NANOS_PER_SECOND)).ok()?;
    Some(DateTime::from_secs_and_nanos(secs, nanos.rem_euclid(NANOS_PER_SECOND) as u32))
}

/// A small cursor over ASCII text for the date parsers.
struct Cursor<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Cursor<'a> {
    fn eat(&mut self, expected: &[u8]) -> Option<()> {
        let found = self.bytes.get(self.at..self.at + expected.len())?;
        found.eq_ignore_ascii_case(expected).then(|| self.at += expected.len())
    }

    fn eat_one_of(&mut self, options: &[u8]) -> Option<u8> {
        let byte = *self.bytes.get(self.at)?;
        options.contains(&byte).then(|| {
            self.at += 1;
            byte
        })
    }

    /// Exactly `count` digits.
    fn number(&mut self, count: usize) -> Option<i64> {
        let digits = self.bytes.get(self.at..self.at + count)?;
        digits.iter().all(u8::is_ascii_digit).then(|| {
            self.at += count;
            digits.iter().fold(0, |n, d| n * 10 + i64::from(d - b'0'))
        })
    }

    /// One or more digits, as they are.
    fn digits(&mut self) -> Option<&'a [u8]> {
        let bytes = self.bytes;
        let len = bytes[self.at..].iter().take_while(|b| b.is_ascii_digit()).count();
        (len > 0).then(|| {
            self.at += len;
            &bytes[self.at - len..self.at]
        })
    }

    fn done(&self) -> bool {
        self.at == self.bytes.len()
    }
}

/// Seconds from 1970 of a civil date and time, checked, in i128 (no overflow for any year
/// below 10^18), with the fraction's digits rounded to nanoseconds.
fn date_time_of(
    text: &str,
    (year, month, day): (i64, i64, i64),
    (hour, minute, second): (i64, i64, i64),
    fraction: &[u8],
    offset_seconds: i64,
) -> Result<DateTime, ParseError> {
    let invalid = |what: &str| ParseError::Invalid(format!("{text:?} is not a valid timestamp: {what}"));
    if !(1..=12).contains(&month) {
        return Err(invalid("the month is out of range"));
    }
    if day < 1 || day > days_in_month(year, month) {
        return Err(invalid("the day is out of range"));
    }
    if hour > 23 || minute > 59 {
        return Err(invalid("the time is out of range"));
    }
    if second == 60 {
        return Err(invalid("a leap second (:60) cannot be represented"));
    }
    if second > 59 {
        return Err(invalid("the time is out of range"));
    }
    let days = days_from_civil(i128::from(year), month, day);
    let seconds = days * 86_400 + i128::from(hour * 3600 + minute * 60 + second - offset_seconds);
    let fraction = to_nanos(fraction, -(fraction.len() as i64)).unwrap_or(0);
    seconds
        .checked_mul(NANOS_PER_SECOND)
        .and_then(|nanos| date_time_of_nanos(nanos + fraction))
        .ok_or_else(|| past_date_time_range(text))
}

/// Reads an RFC 3339 date-time (see the module documentation).
pub fn parse_date_time(text: &str) -> Result<DateTime, ParseError> {
    let invalid = || ParseError::Invalid(format!("{text:?} is not an RFC 3339 date-time"));
    let mut cursor = Cursor { bytes: text.as_bytes(), at: 0 };
    let year = match cursor.eat_one_of(b"+-") {
        // ISO 8601 expanded years: a sign and at least four digits.
        Some(sign) => {
            let digits = cursor.digits().filter(|d| (4..=18).contains(&d.len())).ok_or_else(invalid)?;
            let year = digits.iter().fold(0i64, |n, d| n * 10 + i64::from(d - b'0'));
            if sign == b'-' { -year } else { year }
        }
        None => cursor.number(4).ok_or_else(invalid)?,
    };
    let mut field = |before: &[u8]| cursor.eat(before).and_then(|()| cursor.number(2)).ok_or_else(invalid);
    let (month, day) = (field(b"-")?, field(b"-")?);
    cursor.eat_one_of(b"Tt ").ok_or_else(invalid)?;
    let hour = cursor.number(2).ok_or_else(invalid)?;
    let mut field = |before: &[u8]| cursor.eat(before).and_then(|()| cursor.number(2)).ok_or_else(invalid);
    let (minute, second) = (field(b":")?, field(b":")?);
    let fraction = match cursor.eat(b".") {
        Some(()) => cursor.digits().ok_or_else(invalid)?,
        None => &[],
    };
    let offset = match cursor.eat_one_of(b"Zz+-").ok_or_else(invalid)? {
        b'Z' | b'z' => 0,
        sign => {
            let hours = cursor.number(2).ok_or_else(invalid)?;
            let minutes = cursor.eat(b":").and_then(|()| cursor.number(2)).ok_or_else(invalid)?;
            if hours > 23 || minutes > 59 {
                return Err(invalid());
            }
            (hours * 3600 + minutes * 60) * if sign == b'-' { -1 } else { 1 }
        }
    };
    if !cursor.done() {
        return Err(invalid());
    }
    date_time_of(text, (year, month, day), (hour, minute, second), fraction, offset)
}

/// Reads an IMF-fixdate http-date, with an optional fraction (see the module documentation).
pub fn parse_http_date(text: &str) -> Result<DateTime, ParseError> {
    let invalid = || ParseError::Invalid(format!("{text:?} is not an http-date (IMF-fixdate)"));
    let mut cursor = Cursor { bytes: text.as_bytes(), at: 0 };
    WEEKDAYS.iter().find_map(|name| cursor.eat(name.as_bytes())).ok_or_else(invalid)?;
    cursor.eat(b", ").ok_or_else(invalid)?;
    let day = cursor.number(2).ok_or_else(invalid)?;
    cursor.eat(b" ").ok_or_else(invalid)?;
    let month = MONTHS.iter().position(|name| cursor.eat(name.as_bytes()).is_some()).ok_or_else(invalid)? as i64 + 1;
    cursor.eat(b" ").ok_or_else(invalid)?;
    let year = cursor.number(4).ok_or_else(invalid)?;
    let mut field = |before: &[u8]| cursor.eat(before).and_then(|()| cursor.number(2)).ok_or_else(invalid);
    let (hour, minute, second) = (field(b" ")?, field(b":")?, field(b":")?);
    let fraction = match cursor.eat(b".") {
        Some(()) => cursor.digits().ok_or_else(invalid)?,
        None => &[],
    };
    cursor.eat(b" GMT").ok_or_else(invalid)?;
    if !cursor.done() {
        return Err(invalid());
    }
    date_time_of(text, (year, month, day), (hour, minute, second), fraction, 0)
}

// ---------------------------------------------------------------------------------------------
// The proleptic Gregorian calendar (days from 1970-01-01), after Howard Hinnant's
// `days_from_civil` and `civil_from_days` algorithms.
// ---------------------------------------------------------------------------------------------

fn is_leap_year(year: i64) -> bool {
    year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
}

fn days_in_month(year: i64, month: i64) -> i64 {
    match month {
        2 if is_leap_year(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days from 1970-01-01 to `year`-`month`-`day`.
fn days_from_civil(year: i128, month: i64, day: i64) -> i128 {
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let year_of_era = year.rem_euclid(400);
    let month_from_march = i128::from((month + 9) % 12);
    let day_of_year = (153 * month_from_march + 2) / 5 + i128::from(day) - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

/// The (year, month, day) `days` days from 1970-01-01.
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let days = i128::from(days) + 719_468;
    let era = days.div_euclid(146_097);
    let day_of_era = days.rem_euclid(146_097);
    let year_of_era = (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let month_from_march = (5 * day_of_year + 2) / 153;
    let day = (day_of_year - (153 * month_from_march + 2) / 5 + 1) as u32;
    let month = if month_from_march < 10 { month_from_march + 3 } else { month_from_march - 9 } as u32;
    let year = year_of_era + era * 400 + i128::from(month <= 2);
    // |days| < 2^47, so the year fits i64 with room to spare.
    (year as i64, month, day)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn repr(value: f64) -> String {
        let mut out = String::new();
        write_double(&mut out, value);
        out
    }

    /// botocore 1.44.5's text for `micros` microseconds from 1970: `micros / 10**6`, one
    /// correctly rounded division (both are exact doubles below 2^53), printed by Python.
    fn botocore_text(micros: i64) -> String {
        if micros % 1_000_000 == 0 { (micros / 1_000_000).to_string() } else { repr(micros as f64 / 1e6) }
    }

    #[test]
    fn microsecond_timestamps_within_2_pow_33_seconds_are_written_as_botocore_writes_them() {
        let mut rng = fastrand::Rng::with_seed(1744);
        let limit = (1i64 << 33) * 1_000_000;
        for round in 0..200_000 {
            let micros = match round % 4 {
                0 => rng.i64(-limit + 1..limit),
                1 => rng.i64(-1_000_000_000..1_000_000_000),
                2 => rng.i64(-2_000_000..2_000_000),
                _ => rng.i64(-200..200),
            };
            let time =
                DateTime::from_secs_and_nanos(micros.div_euclid(1_000_000), micros.rem_euclid(1_000_000) as u32 * 1000);
            assert_eq!(epoch_seconds_text(&time), botocore_text(micros), "{micros} µs");
        }
    }

    #[test]
    fn botocore_rounds_microseconds_past_2_pow_33_seconds() {
        // The rule's edge: from 2^33 s on, doubles are 2^-19 s apart and botocore's text is the
        // neighbouring double's; ours stays the exact value.
        let micros = (1i64 << 33) * 1_000_000 + 1;
        assert_eq!(botocore_text(micros), "8589934592.000002");
        assert_eq!(epoch_seconds_text(&DateTime::from_secs_and_nanos(1 << 33, 1000)), "8589934592.000001");
    }

    #[test]
    fn python_notation() {
        // Python's repr switches to exponent notation below 1e-4 and from 1e16.
        assert_eq!(repr(0.0001), "0.0001");
        assert_eq!(repr(0.000099), "9.9e-05");
        assert_eq!(repr(9999999999999998.0), "9999999999999998.0");
        assert_eq!(repr(1e16), "1e+16");
        assert_eq!(repr(1.25e100), "1.25e+100");
        assert_eq!(repr(-2.5e-300), "-2.5e-300");
        assert_eq!(repr(123.0), "123.0");
        assert_eq!(repr(-123.456), "-123.456");
        // Every double reads back as itself.
        let mut rng = fastrand::Rng::with_seed(5);
        for _ in 0..100_000 {
            let value = f64::from_bits(rng.u64(..));
            if value.is_finite() {
                assert_eq!(repr(value).parse::<f64>().unwrap().to_bits(), value.to_bits(), "{value:e}");
            }
            // A float reads back through the double, as `read_float` reads it.
            let value = f32::from_bits(rng.u32(..));
            if value.is_finite() {
                let mut out = String::new();
                write_float(&mut out, value);
                let read = read_float(&serde_json::from_str(&out).unwrap(), &Path::Root).unwrap();
                assert_eq!(read.to_bits(), value.to_bits(), "{value:e}");
            }
        }
    }

    #[test]
    fn epoch_seconds_syntax() {
        for bad in ["", "-", "01", "-01", "1.", ".5", "1e", "1e+", "+1", " 1", "1 ", "NaN", "Infinity", "1,5", "0x10"] {
            assert!(matches!(parse_epoch_seconds(bad), Err(ParseError::Invalid(_))), "{bad:?}");
        }
        assert!(matches!(parse_epoch_seconds("1e999999999999999999999"), Err(ParseError::OutOfRange(_))));
        assert_eq!(parse_epoch_seconds("0e999999999999999999999").unwrap(), DateTime::from_secs(0));
        assert_eq!(parse_epoch_seconds("1e-999999999999999999999").unwrap(), DateTime::from_secs(0));
        assert_eq!(parse_epoch_seconds("0.000000000000000000000000000000000001").unwrap(), DateTime::from_secs(0));
        assert_eq!(
            parse_epoch_seconds("100000000000000000.000000000000000000000000000000000001").unwrap(),
            DateTime::from_secs(100_000_000_000_000_000)
        );
        assert_eq!(parse_epoch_seconds("1000000000000000000000e-12").unwrap(), DateTime::from_secs(1_000_000_000));
    }

    #[test]
    fn nanosecond_rounding() {
        let nanos = |digits: &str, exponent: i64| to_nanos(digits.as_bytes(), exponent);
        assert_eq!(nanos("15", -10), Some(2)); // 1.5 ns: tie, to even
        assert_eq!(nanos("25", -10), Some(2)); // 2.5 ns: tie, to even
        assert_eq!(nanos("251", -11), Some(3));
        assert_eq!(nanos("5", -10), Some(0));
        assert_eq!(nanos("50000", -14), Some(0));
        assert_eq!(nanos("500001", -15), Some(1));
        assert_eq!(nanos("0001", 0), Some(1_000_000_000));
        assert_eq!(nanos("1", 19), Some(10i128.pow(28)));
        assert_eq!(nanos("1", 20), None);
        assert_eq!(nanos("", 5), Some(0));
    }

    #[test]
    fn the_calendar_matches_known_dates_and_inverts() {
        assert_eq!(civil_from_days(0), (1970, 1, 1));
        assert_eq!(civil_from_days(-1), (1969, 12, 31));
        assert_eq!(civil_from_days(10957), (2000, 1, 1));
        assert_eq!(civil_from_days(11016), (2000, 2, 29));
        assert_eq!(civil_from_days(-719162), (1, 1, 1));
        assert_eq!(civil_from_days(2932896), (9999, 12, 31));
        let mut rng = fastrand::Rng::with_seed(3);
        for round in 0..100_000 {
            let days = if round % 2 == 0 { rng.i64(-1_000_000..1_000_000) } else { rng.i64(-(1 << 46)..1 << 46) };
            let (year, month, day) = civil_from_days(days);
            assert!((1..=days_in_month(year, i64::from(month))).contains(&i64::from(day)));
            assert_eq!(days_from_civil(i128::from(year), i64::from(month), i64::from(day)), i128::from(days));
        }
        // Consecutive days are consecutive dates.
        let mut previous = civil_from_days(-800_000);
        for days in -799_999..800_000 {
            let (year, month, day) = civil_from_days(days);
            let next_of_previous = if i64::from(previous.2) < days_in_month(previous.0, i64::from(previous.1)) {
                (previous.0, previous.1, previous.2 + 1)
            } else if previous.1 < 12 {
                (previous.0, previous.1 + 1, 1)
            } else {
                (previous.0 + 1, 1, 1)
            };
            assert_eq!((year, month, day), next_of_previous, "{days}");
            previous = (year, month, day);
        }
    }

    #[test]
    fn texts_round_trip() {
        let mut rng = fastrand::Rng::with_seed(11);
        for _ in 0..50_000 {
            let time = DateTime::from_secs_and_nanos(rng.i64(..), rng.u32(0..1_000_000_000));
            assert_eq!(parse_epoch_seconds(&epoch_seconds_text(&time)).unwrap(), time);
            assert_eq!(parse_date_time(&date_time_text(&time)).unwrap(), time);
        }
    }
}
