//! The HTTP bindings of the REST protocols (restJson1, later restXml): input members bound to
//! the URI path, the query string and headers, and output members read from headers and the
//! status code. Generated code calls one function per member; each knows the encoding rules of
//! its place, which the submodules document.
//!
//! Scalars become text through [`ToHttpText`] (generated enums implement it with their wire
//! names) and are read back through [`FromHttpText`]; timestamps carry their format, which
//! the generator resolves per location (date-time in labels and queries, http-date in
//! headers, unless the member says otherwise).

pub(crate) mod percent;
pub mod query;
pub mod request_headers;
pub mod response_headers;
pub mod uri;

use std::borrow::Cow;

use aws_smithy_types::DateTime;
use aws_smithy_types::date_time::Format;

use super::number;

pub use query::QueryWriter;
pub use request_headers::{HeaderWriter, header_list_text};
pub use response_headers::{
    FromHttpText, HeaderError, blob_header, document_header, header, header_list, json_value_header, prefixed_headers,
    split_header_list, status_code, timestamp_header, timestamp_list_header,
};
pub use uri::{Label, fill_uri, label, timestamp_label};

/// A scalar as the text a URI label, a query value or a header carries, before any encoding.
pub trait ToHttpText {
    /// The text: strings as they are, numbers as botocore prints them, `true`/`false`.
    fn to_http_text(&self) -> Cow<'_, str>;
}

impl ToHttpText for str {
    fn to_http_text(&self) -> Cow<'_, str> {
        Cow::Borrowed(self)
    }
}

impl ToHttpText for String {
    fn to_http_text(&self) -> Cow<'_, str> {
        Cow::Borrowed(self)
    }
}

impl ToHttpText for bool {
    fn to_http_text(&self) -> Cow<'_, str> {
        Cow::Borrowed(if *self { "true" } else { "false" })
    }
}

macro_rules! integer_text {
    ($($t:ty),*) => {$(
        impl ToHttpText for $t {
            fn to_http_text(&self) -> Cow<'_, str> {
                Cow::Owned(self.to_string())
            }
        }
    )*};
}
integer_text!(i8, i16, i32, i64);

impl ToHttpText for f64 {
    fn to_http_text(&self) -> Cow<'_, str> {
        Cow::Owned(number::double_text(*self))
    }
}

impl ToHttpText for f32 {
    fn to_http_text(&self) -> Cow<'_, str> {
        Cow::Owned(number::float_text(*self))
    }
}

impl<T: ToHttpText + ?Sized> ToHttpText for &T {
    fn to_http_text(&self) -> Cow<'_, str> {
        (**self).to_http_text()
    }
}

/// The text of a timestamp in `format`: `2019-12-16T23:48:18Z`, `1576540098` or
/// `Mon, 16 Dec 2019 23:48:18 GMT` (fractions of a second as [`number`] writes them).
pub fn timestamp_text(value: &DateTime, format: Format) -> String {
    match format {
        Format::EpochSeconds => number::epoch_seconds_text(value),
        Format::DateTime | Format::DateTimeWithOffset => number::date_time_text(value),
        Format::HttpDate => number::http_date_text(value),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scalars_print_as_botocore_prints_them() {
        assert_eq!(true.to_http_text(), "true");
        assert_eq!(0i32.to_http_text(), "0");
        assert_eq!((-3i64).to_http_text(), "-3");
        // "Sends a GET request that uses URI label bindings": float 4.1, double 5.1.
        assert_eq!(4.1f32.to_http_text(), "4.1");
        assert_eq!(5.1f64.to_http_text(), "5.1");
        assert_eq!(1.0f64.to_http_text(), "1.0");
        assert_eq!(1e16f64.to_http_text(), "1e+16");
        // "Supports handling NaN / Infinity / -Infinity float ... values."
        assert_eq!(f64::NAN.to_http_text(), "NaN");
        assert_eq!(f32::INFINITY.to_http_text(), "Infinity");
        assert_eq!(f64::NEG_INFINITY.to_http_text(), "-Infinity");
    }

    #[test]
    fn timestamps_in_each_format() {
        let t = DateTime::from_secs(1576540098);
        assert_eq!(timestamp_text(&t, Format::DateTime), "2019-12-16T23:48:18Z");
        assert_eq!(timestamp_text(&t, Format::EpochSeconds), "1576540098");
        assert_eq!(timestamp_text(&t, Format::HttpDate), "Mon, 16 Dec 2019 23:48:18 GMT");
    }
}
