//! The URI of a request: the operation's template (`/foo/{Bar}/{Key+}?literal=1&flag`) with
//! its labels filled from the input's `httpLabel` members.
//!
//! A label's text is percent-encoded so it stays one path segment (only `A-Z a-z 0-9 - _ . ~`
//! are kept); a greedy label (`{Key+}`) keeps `/` as well, as it may span segments. A label
//! that is unset or empty is an [`InvalidInput`] naming the member: sending the request anyway
//! would address another resource (`/foo//bar`). The template's literal text, its query
//! included, is kept as written.

use std::borrow::Cow;

use aws_smithy_types::DateTime;
use aws_smithy_types::date_time::Format;

use super::super::path::Path;
use super::super::validate::{Checks, InvalidInput, Report};
use super::{ToHttpText, percent, timestamp_text};

/// The value of one label, as [`label`] or [`timestamp_label`] make it.
#[derive(Clone, Debug)]
pub struct Label<'a> {
    /// The name in the template (the member's `locationName`).
    name: &'a str,
    /// The member, for errors.
    member: &'a str,
    /// The text before encoding; `None` when the member is unset.
    text: Option<Cow<'a, str>>,
}

/// The label `name` of the template, bound to `member` (string, number, boolean or enum).
pub fn label<'a, T: ToHttpText + ?Sized>(name: &'a str, member: &'a str, value: Option<&'a T>) -> Label<'a> {
    Label { name, member, text: value.map(ToHttpText::to_http_text) }
}

/// The label `name` bound to a timestamp `member`, written in `format` (date-time unless the
/// member names another).
pub fn timestamp_label<'a>(name: &'a str, member: &'a str, value: Option<&DateTime>, format: Format) -> Label<'a> {
    Label { name, member, text: value.map(|value| Cow::Owned(timestamp_text(value, format))) }
}

/// The template with every `{Label}` and `{Label+}` replaced by its encoded value: the path
/// and the template's literal query, to which [`super::QueryWriter::append_to`] adds the
/// bound parameters. Every unset, empty or unknown label is reported.
pub fn fill_uri(template: &str, labels: &[Label<'_>]) -> Result<String, InvalidInput> {
    let mut report = Report::new(Checks::Required);
    let mut out = String::with_capacity(template.len() + 32);
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let Some(close) = rest[open..].find('}') else {
            // A lone `{` is literal text (the generator checks templates; this keeps it total).
            out.push_str(&rest[open..]);
            rest = "";
            break;
        };
        let placeholder = &rest[open + 1..open + close];
        let (name, greedy) = match placeholder.strip_suffix('+') {
            Some(name) => (name, true),
            None => (placeholder, false),
        };
        let bound = labels.iter().find(|label| label.name == name);
        let root = Path::Root;
        let path = root.key(bound.map_or(name, |label| label.member));
        match bound.and_then(|label| label.text.as_deref()) {
            None => report.missing(&path),
            Some("") => report.unsendable(&path, "a URI label must not be empty"),
            Some(text) => out.push_str(&percent::encode(text, greedy)),
        }
        rest = &rest[open + close + 1..];
    }
    out.push_str(rest);
    report.finish().map(|()| out)
}

#[cfg(test)]
mod tests {
    use super::super::super::validate::ProblemKind;
    use super::*;

    #[test]
    fn labels_of_every_type() {
        // "Sends a GET request that uses URI label bindings".
        let t = DateTime::from_secs(1576540098);
        let uri = fill_uri(
            "/HttpRequestWithLabels/{string}/{short}/{integer}/{long}/{float}/{double}/{boolean}/{timestamp}",
            &[
                label("string", "string", Some("string")),
                label("short", "short", Some(&1i16)),
                label("integer", "integer", Some(&2i32)),
                label("long", "long", Some(&3i64)),
                label("float", "float", Some(&4.1f32)),
                label("double", "double", Some(&5.1f64)),
                label("boolean", "boolean", Some(&true)),
                timestamp_label("timestamp", "timestamp", Some(&t), Format::DateTime),
            ],
        )
        .unwrap();
        assert_eq!(uri, "/HttpRequestWithLabels/string/1/2/3/4.1/5.1/true/2019-12-16T23%3A48%3A18Z");
    }

    #[test]
    fn reserved_characters_are_encoded() {
        // The second "Sends a GET request that uses URI label bindings" case.
        let uri = fill_uri("/L/{string}", &[label("string", "string", Some(" %:/?#[]@!$&'()*+,;=\u{1F639}"))]);
        assert_eq!(uri.unwrap(), "/L/%20%25%3A%2F%3F%23%5B%5D%40%21%24%26%27%28%29%2A%2B%2C%3B%3D%F0%9F%98%B9");
    }

    #[test]
    fn greedy_and_normal_labels() {
        // "Serializes greedy labels and normal labels".
        let uri = fill_uri(
            "/HttpRequestWithGreedyLabelInPath/foo/{foo}/baz/{baz+}",
            &[label("foo", "foo", Some("hello/escape")), label("baz", "baz", Some("there/guy"))],
        );
        assert_eq!(uri.unwrap(), "/HttpRequestWithGreedyLabelInPath/foo/hello%2Fescape/baz/there/guy");
    }

    #[test]
    fn timestamp_formats_in_labels() {
        // "Serializes different timestamp formats in URI labels".
        let t = DateTime::from_secs(1576540098);
        let uri = fill_uri(
            "/T/{a}/{b}/{c}",
            &[
                timestamp_label("a", "memberEpochSeconds", Some(&t), Format::EpochSeconds),
                timestamp_label("b", "memberHttpDate", Some(&t), Format::HttpDate),
                timestamp_label("c", "defaultFormat", Some(&t), Format::DateTime),
            ],
        );
        assert_eq!(
            uri.unwrap(),
            "/T/1576540098/Mon%2C%2016%20Dec%202019%2023%3A48%3A18%20GMT/2019-12-16T23%3A48%3A18Z"
        );
    }

    #[test]
    fn special_floats_in_labels() {
        // "Supports handling NaN / Infinity / -Infinity float label values."
        let uri = fill_uri(
            "/FloatHttpLabels/{float}/{double}",
            &[label("float", "float", Some(&f32::NAN)), label("double", "double", Some(&f64::NEG_INFINITY))],
        );
        assert_eq!(uri.unwrap(), "/FloatHttpLabels/NaN/-Infinity");
    }

    #[test]
    fn literal_text_and_query_are_kept() {
        // "Path matching is not broken by regex expressions in literal segments".
        assert_eq!(
            fill_uri("/ReDosLiteral/{str}/(a+)+", &[label("str", "str", Some("abc"))]).unwrap(),
            "/ReDosLiteral/abc/(a+)+"
        );
        // "Includes constant query string parameters".
        let uri = fill_uri("/ConstantQueryString/{hello}?foo=bar&hello", &[label("hello", "hello", Some("hi"))]);
        assert_eq!(uri.unwrap(), "/ConstantQueryString/hi?foo=bar&hello");
    }

    #[test]
    fn the_label_name_is_the_location_name() {
        // Legacy: member `Foo` bound to `{PipelineId}`.
        let uri = fill_uri("/2014-01-01/jobsByPipeline/{PipelineId}", &[label("PipelineId", "Foo", Some("bar"))]);
        assert_eq!(uri.unwrap(), "/2014-01-01/jobsByPipeline/bar");
    }

    #[test]
    fn unset_and_empty_labels_are_invalid_input() {
        let error =
            fill_uri("/a/{Bucket}/{Key+}", &[label::<str>("Bucket", "Bucket", None), label("Key", "Key", Some(""))])
                .unwrap_err();
        assert_eq!(error.problems()[0].kind, ProblemKind::Missing);
        assert_eq!(error.problems()[1].path, "Key");
        assert_eq!(
            error.to_string(),
            "invalid input (2 problems); `Bucket` is required but missing; `Key` cannot be sent: a URI label must not be empty"
        );
        // A label the generated code did not bind is reported by its template name.
        assert_eq!(fill_uri("/{Other}", &[]).unwrap_err().problems()[0].path, "Other");
    }
}
