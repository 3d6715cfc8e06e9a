//! Property tests of the XML response reader and the query request writer.
//!
//! The reader takes bodies from the network: whatever the bytes (random, or a valid response
//! truncated or mutated), it returns a value or a typed error and never panics, and hostile
//! bodies of 100 MB (deep nesting, a tag of many attributes, an entity bomb) end in bounded time.
//! The writer's body always parses back, as form data, into the pairs it was given. The number
//! of cases is fixed per test; `PROPTEST_CASES=N` raises it.

use std::time::{Duration, Instant};

use aws_smithy_types::DateTime;
use aws_smithy_types::date_time::Format;
use awsgen_runtime::query::{QueryWriter, ToQuery};
use awsgen_runtime::xml::{self, FromXml, XmlElement, XmlError, XmlErrorKind};
use proptest::prelude::*;

fn config(cases: u32) -> ProptestConfig {
    let cases = std::env::var("PROPTEST_CASES").ok().and_then(|n| n.parse().ok()).unwrap_or(cases);
    ProptestConfig { cases, failure_persistence: None, max_shrink_iters: 1024, ..ProptestConfig::default() }
}

/// Reads every element of a body: attributes, text of leaves, lists, maps and timestamps
/// where a generated reader would look for them, and any other subtree walked child by child.
#[derive(Debug, Default)]
struct Walk {
    elements: usize,
}

impl FromXml for Walk {
    fn read_xml(element: &mut XmlElement<'_, '_>) -> Result<Self, XmlError> {
        let mut out = Walk { elements: 1 };
        let _: Option<String> = element.attribute("id")?;
        let mut flat = None;
        let mut map = None;
        while let Some(mut child) = element.next_child()? {
            match child.local_name() {
                "stringValue" | "Message" | "Code" => drop(child.read::<String>()?),
                "integerValue" => drop(child.read::<i32>()?),
                "DoubleDribble" => drop(child.read::<f64>()?),
                "data" => drop(child.read::<aws_smithy_types::Blob>()?),
                "normal" => drop(child.read_timestamp(Format::DateTime)?),
                "stringList" => drop(xml::read_list::<String>(&mut child, "member")?),
                "myMap" => drop(xml::read_map::<String, String>(&mut child, "entry", "key", "value")?),
                "flattenedList" => xml::push::<String>(&mut flat, &mut child)?,
                "KVP" => xml::insert::<String, String>(&mut map, &mut child, "K", "V")?,
                "skipped" => child.skip()?,
                _ => out.elements += child.read::<Walk>()?.elements,
            }
        }
        Ok(out)
    }
}

/// Feeds a body to every entry point; only panics (and hangs) fail.
fn read_everything(body: &[u8]) {
    let _ = xml::read_query_response::<Walk>(body, "Op");
    let _ = xml::read_ec2_response::<Walk>(body, "Op");
    let _ = xml::read_error(400, body);
    let _ = xml::read_error_members::<Walk>(body);
}

/// Valid bodies of each shape the protocols send.
const SAMPLES: &[&str] = &[
    r#"<OpResponse xmlns="https://example.com/">
    <OpResult>
        <stringValue>a &lt;b&gt; &#x263A; <![CDATA[<c>]]></stringValue>
        <integerValue>3</integerValue>
        <DoubleDribble>NaN</DoubleDribble>
        <data>dmFsdWU=</data>
        <normal>2014-04-29T18:30:38Z</normal>
        <stringList><member>foo</member><member>bar</member></stringList>
        <myMap><entry><key>k</key><value>v</value></entry></myMap>
        <flattenedList>x</flattenedList><flattenedList>y</flattenedList>
        <KVP xmlns="urn:k"><K>a</K><V>A</V></KVP>
        <nested id="1"><deeper><skipped><z/></skipped></deeper></nested>
    </OpResult>
    <ResponseMetadata><RequestId>request-id</RequestId></ResponseMetadata>
</OpResponse>
"#,
    "<OpResponse><stringValue>s</stringValue><requestId>r</requestId></OpResponse>",
    "<ErrorResponse><Error><Type>Sender</Type><Code>C</Code><Message>M</Message></Error><RequestId>r</RequestId></ErrorResponse>",
    "<Response><Errors><Error><Code>C</Code><Message>M</Message></Error></Errors><RequestID>r</RequestID></Response>",
];

/// A change to a valid body.
#[derive(Clone, Debug)]
enum Mutation {
    Truncate(prop::sample::Index),
    Insert(prop::sample::Index, Vec<u8>),
    Delete(prop::sample::Index, usize),
    Duplicate(prop::sample::Index, usize),
    Flip(prop::sample::Index, u8),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    let markup = prop::collection::vec(prop::sample::select(b"<>/&;#x=\"' ![CDATA]-?:ab\x00\xff".to_vec()), 0..12);
    prop_oneof![
        any::<prop::sample::Index>().prop_map(Mutation::Truncate),
        (any::<prop::sample::Index>(), markup).prop_map(|(at, bytes)| Mutation::Insert(at, bytes)),
        (any::<prop::sample::Index>(), 1..20usize).prop_map(|(at, len)| Mutation::Delete(at, len)),
        (any::<prop::sample::Index>(), 1..40usize).prop_map(|(at, len)| Mutation::Duplicate(at, len)),
        (any::<prop::sample::Index>(), any::<u8>()).prop_map(|(at, byte)| Mutation::Flip(at, byte)),
    ]
}

fn mutate(body: &mut Vec<u8>, mutation: &Mutation) {
    let len = body.len();
    if len == 0 && !matches!(mutation, Mutation::Insert(..)) {
        return;
    }
    match mutation {
        Mutation::Truncate(at) => body.truncate(at.index(len)),
        Mutation::Insert(at, bytes) => {
            let at = at.index(len + 1);
            body.splice(at..at, bytes.iter().copied());
        }
        Mutation::Delete(at, n) => {
            let at = at.index(len);
            body.drain(at..(at + n).min(len));
        }
        Mutation::Duplicate(at, n) => {
            let at = at.index(len);
            let copy = body[at..(at + n).min(len)].to_vec();
            body.splice(at..at, copy);
        }
        Mutation::Flip(at, byte) => {
            let at = at.index(len);
            body[at] = *byte;
        }
    }
}

proptest! {
    #![proptest_config(config(512))]

    #[test]
    fn random_bytes_never_panic(body in prop::collection::vec(any::<u8>(), 0..512)) {
        read_everything(&body);
    }

    #[test]
    fn random_markup_never_panics(body in "(<[a-zA-Z:]{0,4}( [a-z]{1,3}=\"[^\"]{0,4}\")*/?>|</[a-zA-Z:]{0,4}>|&[a-z#0-9]{0,5};|<!\\[CDATA\\[.{0,5}\\]\\]>|<!--.{0,4}-->|[ a-z0-9<>&]{0,6}){0,40}") {
        read_everything(body.as_bytes());
    }

    #[test]
    fn mutated_responses_never_panic(sample in prop::sample::select(SAMPLES), mutations in prop::collection::vec(mutation(), 1..6)) {
        let mut body = sample.as_bytes().to_vec();
        for mutation in &mutations {
            mutate(&mut body, mutation);
        }
        read_everything(&body);
    }

    #[test]
    fn a_body_cut_before_its_root_ends_is_an_error(sample in prop::sample::select(SAMPLES), at in any::<prop::sample::Index>()) {
        let end = sample.trim_end().len();
        let cut = &sample.as_bytes()[..at.index(end)];
        prop_assert!(xml::read_query_response::<Walk>(cut, "Op").is_err() || cut.iter().all(u8::is_ascii_whitespace));
        prop_assert!(xml::read_error_members::<Walk>(cut).is_err() || cut.iter().all(u8::is_ascii_whitespace));
    }

    #[test]
    fn query_bodies_parse_back_into_their_pairs(
        pairs in prop::collection::vec(("[A-Za-z0-9]{1,8}", any::<String>()), 0..8),
        list in prop::option::of(prop::collection::vec(any::<String>(), 0..5)),
        map in prop::option::of(prop::collection::hash_map("\\PC{0,6}", any::<String>(), 0..5)),
        ec2 in any::<bool>(),
    ) {
        let mut out = if ec2 { QueryWriter::ec2("Op", "v 1") } else { QueryWriter::new("Op", "v 1") };
        let mut expected = vec![("Action".to_string(), "Op".to_string()), ("Version".to_string(), "v 1".to_string())];
        for (key, value) in &pairs {
            value.write_query(&mut out, key);
            expected.push((key.clone(), value.clone()));
        }
        out.list("P", "List", "member", list.as_deref());
        match &list {
            Some(items) if items.is_empty() && !ec2 => expected.push(("P.List".into(), String::new())),
            Some(items) => {
                for (n, item) in items.iter().enumerate() {
                    let key = if ec2 { format!("P.List.{}", n + 1) } else { format!("P.List.member.{}", n + 1) };
                    expected.push((key, item.clone()));
                }
            }
            None => {}
        }
        out.map("", "Map", "K", "V", map.as_ref());
        if let Some(map) = &map {
            let mut sorted: Vec<_> = map.iter().collect();
            sorted.sort();
            for (n, (key, value)) in sorted.into_iter().enumerate() {
                expected.push((format!("Map.entry.{}.K", n + 1), key.clone()));
                expected.push((format!("Map.entry.{}.V", n + 1), value.clone()));
            }
        }
        let body = out.into_string();
        prop_assert!(body.bytes().all(|b| b.is_ascii_alphanumeric() || b"-._~%&=".contains(&b)), "{}", body);
        prop_assert_eq!(parse_form(&body), expected);
    }

    #[test]
    fn timestamps_written_to_queries_read_back(secs in -62_135_596_800i64..253_402_300_799, micros in 0u32..1_000_000) {
        let time = DateTime::from_secs_and_nanos(secs, micros * 1000);
        for format in [Format::DateTime, Format::EpochSeconds] {
            let text = awsgen_runtime::query::timestamp_text(&time, format);
            prop_assert_eq!(xml::timestamp_from_text(&text, format), Ok(time));
        }
    }
}

/// Splits form data into decoded pairs, as a server would.
fn parse_form(body: &str) -> Vec<(String, String)> {
    body.split('&')
        .map(|pair| {
            let (key, value) = pair.split_once('=').expect("every pair has `=`");
            (percent_decode(key), percent_decode(value))
        })
        .collect()
}

fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut at = 0;
    while at < bytes.len() {
        if bytes[at] == b'%' {
            out.push(u8::from_str_radix(&text[at + 1..at + 3], 16).expect("two hex digits"));
            at += 3;
        } else {
            out.push(bytes[at]);
            at += 1;
        }
    }
    String::from_utf8(out).expect("UTF-8")
}

// ---------------------------------------------------------------------------------------------
// 100 MB hostile bodies
// ---------------------------------------------------------------------------------------------

const HUNDRED_MB: usize = 100 << 20;

/// Reads `body` through the awsQuery entry point and returns its error, checking the time.
fn hostile(body: &[u8]) -> XmlError {
    let started = Instant::now();
    let error = xml::read_query_response::<Walk>(body, "Op").expect_err("a hostile body is an error");
    assert!(started.elapsed() < Duration::from_secs(60), "took {:?}", started.elapsed());
    error
}

#[test]
fn a_hundred_megabytes_of_nesting_stops_at_the_depth_limit() {
    let mut body = b"<OpResponse><OpResult>".to_vec();
    while body.len() < HUNDRED_MB {
        body.extend_from_slice(b"<a>");
    }
    assert_eq!(hostile(&body).kind, XmlErrorKind::TooDeep);
    // The same inside an element that is skipped.
    let mut body = b"<OpResponse><OpResult><skipped>".to_vec();
    body.extend(std::iter::repeat_n(b"<b>".iter().copied(), 1 << 20).flatten());
    assert_eq!(hostile(&body).kind, XmlErrorKind::TooDeep);
}

#[test]
fn a_hundred_megabytes_of_attributes_are_read_in_linear_time() {
    let mut body = b"<OpResponse><OpResult>".to_vec();
    let mut n = 0usize;
    while body.len() < HUNDRED_MB {
        body.extend_from_slice(format!(" a{n}=\"x\"").as_bytes());
        n += 1;
    }
    // Turn `<OpResult>` into `<OpResult a0="x" a1="x" …`: a tag left unclosed to the end.
    body.remove(b"<OpResponse><OpResult".len());
    let error = hostile(&body);
    assert_eq!(error.kind, XmlErrorKind::Truncated, "{error}");
    // Closed, it reads: the search for the `id` attribute walks all of them once.
    body.extend_from_slice(b"></OpResult></OpResponse>");
    let started = Instant::now();
    let read = xml::read_query_response::<Walk>(&body, "Op");
    assert!(started.elapsed() < Duration::from_secs(60), "took {:?}", started.elapsed());
    assert_eq!(read.map(|r| r.output.elements), Ok(1));
}

#[test]
fn a_hundred_megabyte_entity_bomb_is_never_expanded() {
    let mut body = String::from("<?xml version=\"1.0\"?>\n<!DOCTYPE bomb [\n<!ENTITY e0 \"lol\">\n");
    let mut n = 1;
    while body.len() < HUNDRED_MB {
        body.push_str(&format!("<!ENTITY e{n} \"{}\">\n", format!("&e{};", n - 1).repeat(10)));
        n += 1;
    }
    body.push_str(&format!(
        "]>\n<OpResponse><OpResult><stringValue>&e{};</stringValue></OpResult></OpResponse>",
        n - 1
    ));
    let error = hostile(body.as_bytes());
    assert_eq!(error.kind, XmlErrorKind::UnknownEntity, "{error}");
}

#[test]
fn a_hundred_megabytes_of_siblings_read_with_bounded_state() {
    let mut body = b"<OpResponse><OpResult><stringList>".to_vec();
    let mut items = 0usize;
    while body.len() < HUNDRED_MB / 4 {
        body.extend_from_slice(b"<skipped><x>1</x></skipped>");
        items += 1;
    }
    body.extend_from_slice(b"</stringList></OpResult></OpResponse>");
    let started = Instant::now();
    let output = xml::read_query_response::<Walk>(&body, "Op").unwrap().output;
    assert!(started.elapsed() < Duration::from_secs(60));
    // `stringList` reads `member` children only: the rest are passed over, nothing kept.
    assert_eq!(output.elements, 1);
    assert!(items > 0);
}
