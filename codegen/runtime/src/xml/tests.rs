//! Cases drawn from botocore's awsQuery and ec2 output suites (`tests/fixtures/botocore-*/
//! tests/unit/protocols/{,legacy/}output/{query,ec2}.json`), and hostile bodies.

use std::collections::HashMap;

use aws_smithy_types::date_time::Format;
use aws_smithy_types::{Blob, DateTime};

use super::*;

#[derive(Debug, Default, PartialEq)]
struct Scalars {
    string: Option<String>,
    empty: Option<String>,
    yes: Option<bool>,
    no: Option<bool>,
    integer: Option<i32>,
    long: Option<i64>,
    float: Option<f32>,
    double: Option<f64>,
}

impl FromXml for Scalars {
    fn read_xml(element: &mut XmlElement<'_, '_>) -> Result<Self, XmlError> {
        let mut out = Self::default();
        while let Some(mut child) = element.next_child()? {
            match child.local_name() {
                "stringValue" => out.string = Some(child.read()?),
                "emptyStringValue" => out.empty = Some(child.read()?),
                "trueBooleanValue" => out.yes = Some(child.read()?),
                "falseBooleanValue" => out.no = Some(child.read()?),
                "integerValue" => out.integer = Some(child.read()?),
                "longValue" => out.long = Some(child.read()?),
                "floatValue" => out.float = Some(child.read()?),
                "DoubleDribble" => out.double = Some(child.read()?),
                _ => child.skip()?,
            }
        }
        Ok(out)
    }
}

#[test]
fn query_scalars_with_whitespace_namespaces_and_self_closed_elements() {
    let body = br#"<SimpleScalarXmlPropertiesResponse xmlns="https://example.com/">
    <SimpleScalarXmlPropertiesResult>
        <stringValue>string</stringValue>
        <emptyStringValue/>
        <trueBooleanValue>true</trueBooleanValue>
        <falseBooleanValue>false</falseBooleanValue>
        <byteValue>1</byteValue>
        <integerValue>3</integerValue>
        <longValue>4</longValue>
        <floatValue>5.5</floatValue>
        <DoubleDribble>6.5</DoubleDribble>
    </SimpleScalarXmlPropertiesResult>
    <ResponseMetadata><RequestId>request-id</RequestId></ResponseMetadata>
</SimpleScalarXmlPropertiesResponse>
"#;
    let response = read_query_response::<Scalars>(body, "SimpleScalarXmlProperties").unwrap();
    let expected = Scalars {
        string: Some("string".into()),
        empty: Some(String::new()),
        yes: Some(true),
        no: Some(false),
        integer: Some(3),
        long: Some(4),
        float: Some(5.5),
        double: Some(6.5),
    };
    assert_eq!(response.output, expected);
    assert_eq!(response.request_id.as_deref(), Some("request-id"));
}

#[test]
fn special_floats_are_read_by_name() {
    for (text, check) in [
        ("NaN", f64::is_nan as fn(f64) -> bool),
        ("Infinity", |d| d == f64::INFINITY),
        ("-Infinity", |d| d == f64::NEG_INFINITY),
    ] {
        let body = format!(
            "<SResponse><SResult><floatValue>{text}</floatValue><DoubleDribble>{text}</DoubleDribble></SResult></SResponse>"
        );
        let out = read_query_response::<Scalars>(body.as_bytes(), "S").unwrap().output;
        assert!(check(out.double.unwrap()) && check(f64::from(out.float.unwrap())), "{text}");
    }
    assert!(f64::from_xml_text("inf").is_err());
    assert!(f64::from_xml_text("nan").is_err());
    assert_eq!(f64::from_xml_text(" 1e3 "), Ok(1000.0));
    assert_eq!(f32::from_xml_text("0.1"), Ok(0.1));
    assert!(f32::from_xml_text("1e39").is_err());
}

#[test]
fn an_empty_body_or_a_missing_result_is_an_empty_output() {
    assert_eq!(read_query_response::<Scalars>(b"", "Op").unwrap(), XmlResponse::default());
    let body = b"<OpResponse><ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></OpResponse>";
    let response = read_query_response::<Scalars>(body, "Op").unwrap();
    assert_eq!((response.output, response.request_id.as_deref()), (Scalars::default(), Some("r")));
}

#[test]
fn ec2_outputs_are_the_root_and_carry_a_request_id() {
    let body = br#"<SimpleScalarXmlPropertiesResponse xmlns="https://example.com/">
    <stringValue>string</stringValue>
    <integerValue>3</integerValue>
    <requestId>requestid</requestId>
</SimpleScalarXmlPropertiesResponse>
"#;
    let response = read_ec2_response::<Scalars>(body, "SimpleScalarXmlProperties").unwrap();
    assert_eq!(response.output.string.as_deref(), Some("string"));
    assert_eq!(response.output.integer, Some(3));
    assert_eq!(response.request_id.as_deref(), Some("requestid"));
    let legacy = b"<OperationNameResponse><Str>myname</Str><RequestId>request-id</RequestId></OperationNameResponse>";
    assert_eq!(
        read_ec2_response::<Scalars>(legacy, "OperationName").unwrap().request_id.as_deref(),
        Some("request-id")
    );
}

#[derive(Debug, Default, PartialEq)]
struct Lists {
    strings: Option<Vec<String>>,
    integers: Option<Vec<i32>>,
    times: Option<Vec<DateTime>>,
    nested: Option<Vec<Vec<String>>>,
    renamed: Option<Vec<String>>,
    flat: Option<Vec<String>>,
    structs: Option<Vec<Pair>>,
}

#[derive(Debug, Default, PartialEq)]
struct Pair {
    foo: Option<String>,
    value: Option<i32>,
}

impl FromXml for Pair {
    fn read_xml(element: &mut XmlElement<'_, '_>) -> Result<Self, XmlError> {
        let mut out = Self::default();
        while let Some(mut child) = element.next_child()? {
            match child.local_name() {
                "Foo" => out.foo = Some(child.read()?),
                "Value" => out.value = Some(child.read()?),
                _ => child.skip()?,
            }
        }
        Ok(out)
    }
}

impl FromXml for Lists {
    fn read_xml(element: &mut XmlElement<'_, '_>) -> Result<Self, XmlError> {
        let mut out = Self::default();
        while let Some(mut child) = element.next_child()? {
            match child.local_name() {
                "stringList" => out.strings = Some(child.read()?),
                "integerList" => out.integers = Some(read_list(&mut child, "member")?),
                "timestampList" => {
                    out.times = Some(read_list_with(&mut child, "member", |e| e.read_timestamp(Format::DateTime))?)
                }
                "nestedStringList" => out.nested = Some(child.read()?),
                "renamed" => out.renamed = Some(read_list(&mut child, "item")?),
                "flattenedList" => push(&mut out.flat, &mut child)?,
                "structureList" => out.structs = Some(child.read()?),
                _ => child.skip()?,
            }
        }
        Ok(out)
    }
}

fn query<T: FromXml + Default>(result: &str) -> Result<T, XmlError> {
    let body = format!(r#"<OpResponse xmlns="https://example.com/"><OpResult>{result}</OpResult></OpResponse>"#);
    read_query_response(body.as_bytes(), "Op").map(|r| r.output)
}

#[test]
fn wrapped_flattened_renamed_and_nested_lists() {
    let out: Lists = query(
        r#"
        <stringList>
            <member>foo</member>
            <member>bar</member>
        </stringList>
        <integerList><member>1</member><member>2</member></integerList>
        <timestampList><member>2014-04-29T18:30:38Z</member></timestampList>
        <nestedStringList>
            <member><member>foo</member><member>bar</member></member>
            <member><member>baz</member></member>
        </nestedStringList>
        <renamed><item>a</item><item>b</item></renamed>
        <flattenedList>hi</flattenedList>
        <unknown><deep><deeper/></deep></unknown>
        <flattenedList>bye</flattenedList>
        <structureList><member><Foo>1</Foo></member><member><Foo>2</Foo><Value>3</Value></member></structureList>
        "#,
    )
    .unwrap();
    assert_eq!(out.strings, Some(vec!["foo".to_string(), "bar".to_string()]));
    assert_eq!(out.integers, Some(vec![1, 2]));
    assert_eq!(out.times, Some(vec![DateTime::from_secs(1398796238)]));
    assert_eq!(out.nested, Some(vec![vec!["foo".to_string(), "bar".to_string()], vec!["baz".to_string()]]));
    assert_eq!(out.renamed, Some(vec!["a".to_string(), "b".to_string()]));
    assert_eq!(out.flat, Some(vec!["hi".to_string(), "bye".to_string()]));
    assert_eq!(out.structs.as_ref().map(Vec::len), Some(2));
    assert_eq!(out.structs.unwrap()[1], Pair { foo: Some("2".into()), value: Some(3) });
}

#[test]
fn empty_lists_are_empty_not_absent() {
    let out: Lists = query("<stringList/><integerList>\n  </integerList>").unwrap();
    assert_eq!((out.strings, out.integers), (Some(vec![]), Some(vec![])));
}

#[test]
fn namespaced_list_members_are_read_by_local_name() {
    let out: Lists = query(
        r#"<stringList xmlns="http://qux.com"><member xmlns="http://bux.com">Bar</member><b:member xmlns:b="http://b">Baz</b:member></stringList>"#,
    )
    .unwrap();
    assert_eq!(out.strings, Some(vec!["Bar".to_string(), "Baz".to_string()]));
}

#[test]
fn a_value_that_does_not_fit_names_its_path() {
    let error = query::<Lists>(
        "<structureList><member><Value>1</Value></member><member><Value>abc</Value></member></structureList>",
    )
    .unwrap_err();
    assert_eq!(error.kind, XmlErrorKind::Value);
    assert_eq!(
        error.to_string(),
        r#"OpResponse/OpResult/structureList/member[2]/Value: expected an integer (i32), found "abc""#
    );
    let error = query::<Lists>("<flattenedList>a</flattenedList><flattenedList><x/></flattenedList>").unwrap_err();
    assert_eq!(error.path, "OpResponse/OpResult/flattenedList[2]");
}

#[derive(Debug, Default, PartialEq)]
struct Maps {
    wrapped: Option<HashMap<String, Pair>>,
    renamed: Option<HashMap<String, i32>>,
    flat: Option<HashMap<String, String>>,
    default_names: Option<HashMap<String, String>>,
}

impl FromXml for Maps {
    fn read_xml(element: &mut XmlElement<'_, '_>) -> Result<Self, XmlError> {
        let mut out = Self::default();
        while let Some(mut child) = element.next_child()? {
            match child.local_name() {
                "myMap" => out.wrapped = Some(read_map(&mut child, "entry", "key", "value")?),
                "renamedMap" => out.renamed = Some(read_map(&mut child, "entry", "Attribute", "Setting")?),
                "KVP" => insert(&mut out.flat, &mut child, "K", "V")?,
                "plain" => out.default_names = Some(child.read()?),
                _ => child.skip()?,
            }
        }
        Ok(out)
    }
}

#[test]
fn wrapped_renamed_and_flattened_maps() {
    let out: Maps = query(
        r#"
        <myMap>
            <entry><key>foo</key><value><Foo>there</Foo></value></entry>
            <entry><key>baz</key><value><Foo>bye</Foo></value></entry>
        </myMap>
        <renamedMap><entry><Attribute>a</Attribute><Setting>1</Setting></entry></renamedMap>
        <KVP xmlns="https://the-member.example.com">
            <K xmlns="https://the-key.example.com">a</K>
            <V xmlns="https://the-value.example.com">A</V>
        </KVP>
        <KVP><K>b</K><V>B</V></KVP>
        <plain/>
        "#,
    )
    .unwrap();
    let wrapped = out.wrapped.unwrap();
    assert_eq!(wrapped["foo"].foo.as_deref(), Some("there"));
    assert_eq!(wrapped["baz"].foo.as_deref(), Some("bye"));
    assert_eq!(out.renamed, Some(HashMap::from([("a".to_string(), 1)])));
    let flat = out.flat.unwrap();
    assert_eq!((flat["a"].as_str(), flat["b"].as_str()), ("A", "B"));
    assert_eq!(out.default_names, Some(HashMap::new()));
    let error = query::<Maps>("<myMap><entry><value/></entry></myMap>").unwrap_err();
    assert_eq!(error.path, "OpResponse/OpResult/myMap/entry[1]");
}

#[derive(Debug, Default, PartialEq)]
struct Times {
    normal: Option<DateTime>,
    epoch: Option<DateTime>,
    http: Option<DateTime>,
    blob: Option<Blob>,
    attribute: Option<i32>,
}

impl FromXml for Times {
    fn read_xml(element: &mut XmlElement<'_, '_>) -> Result<Self, XmlError> {
        let mut out = Self { attribute: element.attribute("count")?, ..Self::default() };
        while let Some(mut child) = element.next_child()? {
            match child.local_name() {
                "normal" => out.normal = Some(child.read()?),
                "epochSeconds" => out.epoch = Some(child.read_timestamp(Format::EpochSeconds)?),
                "httpDate" => out.http = Some(child.read_timestamp(Format::HttpDate)?),
                "data" => out.blob = Some(child.read()?),
                _ => child.skip()?,
            }
        }
        Ok(out)
    }
}

#[test]
fn timestamps_in_every_format_and_blobs() {
    let at = DateTime::from_secs(1398796238);
    let out: Times = query(
        "<normal>2014-04-29T18:30:38Z</normal><epochSeconds>1398796238</epochSeconds>\
         <httpDate>Tue, 29 Apr 2014 18:30:38 GMT</httpDate><data>dmFs\n dWU=</data>",
    )
    .unwrap();
    assert_eq!((out.normal, out.epoch, out.http), (Some(at), Some(at), Some(at)));
    assert_eq!(out.blob, Some(Blob::new("value")));
    for (text, secs, nanos) in [
        ("2019-12-16T22:48:18-01:00", 1576540098, 0),
        ("2019-12-17T00:48:18+01:00", 1576540098, 0),
        ("2000-01-02T20:34:56.123Z", 946845296, 123_000_000),
        ("2014-04-29T18:30:38+00:00", 1398796238, 0),
    ] {
        let out: Times = query(&format!("<normal>{text}</normal>")).unwrap();
        assert_eq!(out.normal, Some(DateTime::from_secs_and_nanos(secs, nanos)), "{text}");
    }
    // Botocore reads a timestamp in any format whatever the member says.
    let out: Times = query("<epochSeconds>2014-04-29T18:30:38Z</epochSeconds><data/>").unwrap();
    assert_eq!((out.epoch, out.blob), (Some(at), Some(Blob::new(""))));
    assert!(query::<Times>("<normal>yesterday</normal>").is_err());
}

#[test]
fn attributes_text_entities_and_cdata() {
    let body = br#"<OpResponse><OpResult a:count="&#51;" xmlns:count="urn:x"/></OpResponse>"#;
    assert_eq!(read_query_response::<Times>(body, "Op").unwrap().output.attribute, Some(3));
    let body = br#"<OpResponse><OpResult count="x&lt;"/></OpResponse>"#;
    let error = read_query_response::<Times>(body, "Op").unwrap_err();
    assert_eq!(error.path, "OpResponse/OpResult@count");
    let out: Scalars =
        query("<stringValue> a &lt;&amp;&gt;&apos;&quot; &#x263A;&#65;<![CDATA[<b>&amp;</b>]]>\r\n</stringValue>")
            .unwrap();
    assert_eq!(out.string.as_deref(), Some(" a <&>'\" \u{263A}A<b>&amp;</b>\n"));
}

#[derive(Debug, Default, PartialEq)]
struct Recursive {
    foo: Option<String>,
    nested: Option<Box<Recursive>>,
}

impl FromXml for Recursive {
    fn read_xml(element: &mut XmlElement<'_, '_>) -> Result<Self, XmlError> {
        let mut out = Self::default();
        while let Some(mut child) = element.next_child()? {
            match child.local_name() {
                "foo" => out.foo = Some(child.read()?),
                "nested" => out.nested = Some(child.read()?),
                _ => child.skip()?,
            }
        }
        Ok(out)
    }
}

#[test]
fn recursive_shapes_through_boxes() {
    let out: Recursive = query("<nested><foo>1</foo><nested><foo>2</foo></nested></nested>").unwrap();
    assert_eq!(out.nested.unwrap().nested.unwrap().foo.as_deref(), Some("2"));
}

#[test]
fn query_errors() {
    let body = b"<ErrorResponse>
   <Error>
      <Type>Sender</Type>
      <Code>ComplexError</Code>
      <Message>Hi</Message>
      <TopLevel>Top level</TopLevel>
      <Nested><Foo>bar</Foo></Nested>
   </Error>
   <RequestId>foo-id</RequestId>
</ErrorResponse>
";
    let metadata = read_error(400, body).unwrap();
    assert_eq!(metadata.code, "ComplexError");
    assert_eq!(metadata.message.as_deref(), Some("Hi"));
    assert_eq!(metadata.request_id.as_deref(), Some("foo-id"));
    assert_eq!(metadata.status, 400);
    let members: ComplexError = read_error_members(body).unwrap();
    assert_eq!(members, ComplexError { top_level: Some("Top level".into()), foo: Some("bar".into()) });
    let legacy = b"<ErrorResponse><Error><Type>SomeType</Type><Code>ExceptionShape</Code><Message>mymessage</Message></Error></ErrorResponse>";
    let metadata = read_error(400, legacy).unwrap();
    assert_eq!((metadata.code.as_str(), metadata.request_id), ("ExceptionShape", None));
    assert_eq!(read_error(503, b"").unwrap().code, super::super::protocol::UNKNOWN_ERROR_CODE);
    assert!(read_error(503, b"<html><body>Service Unavailable</html>").is_err());
}

#[test]
fn ec2_errors() {
    let body = b"<Response>
    <Errors>
        <Error>
            <Code>ComplexError</Code>
            <Message>Hi</Message>
            <TopLevel>Top level</TopLevel>
            <Nested><Foo>bar</Foo></Nested>
        </Error>
    </Errors>
    <RequestID>foo-id</RequestID>
</Response>
";
    let metadata = read_error(400, body).unwrap();
    assert_eq!(metadata.code, "ComplexError");
    assert_eq!(metadata.message.as_deref(), Some("Hi"));
    assert_eq!(metadata.request_id.as_deref(), Some("foo-id"));
    let members: ComplexError = read_error_members(body).unwrap();
    assert_eq!(members, ComplexError { top_level: Some("Top level".into()), foo: Some("bar".into()) });
}

#[derive(Debug, Default, PartialEq)]
struct ComplexError {
    top_level: Option<String>,
    foo: Option<String>,
}

impl FromXml for ComplexError {
    fn read_xml(element: &mut XmlElement<'_, '_>) -> Result<Self, XmlError> {
        let mut out = Self::default();
        while let Some(mut child) = element.next_child()? {
            match child.local_name() {
                "TopLevel" => out.top_level = Some(child.read()?),
                "Nested" => out.foo = Pair::read_xml(&mut child)?.foo,
                _ => child.skip()?,
            }
        }
        Ok(out)
    }
}

fn kind_of(body: &[u8]) -> XmlErrorKind {
    read_query_response::<Lists>(body, "Op").unwrap_err().kind
}

#[test]
fn broken_bodies_are_typed_errors() {
    assert_eq!(kind_of(b"<OpResponse><OpResult><stringList><member>a</member>"), XmlErrorKind::Truncated);
    assert_eq!(kind_of(b"<OpResponse><OpResult><stringList><mem"), XmlErrorKind::Truncated);
    assert_eq!(kind_of(b"<OtherResponse/>"), XmlErrorKind::UnexpectedRoot);
    assert_eq!(kind_of(b"<OpResponse>\xff</OpResponse>"), XmlErrorKind::InvalidUtf8 { offset: 12 });
    let error = read_query_response::<Lists>(b"<OpResponse>\n<OpResult></Op></OpResponse>", "Op").unwrap_err();
    assert!(matches!(error.kind, XmlErrorKind::Malformed { line: 2, .. }), "{error}");
    assert!(error.to_string().starts_with("malformed XML at line 2 (byte "), "{error}");
    assert!(matches!(kind_of(b"<OpResponse/><Second/>"), XmlErrorKind::Malformed { .. }));
    assert!(matches!(kind_of(b"text<OpResponse/>"), XmlErrorKind::Malformed { .. }));
    let deep = "<a>".repeat(MAX_DEPTH + 1);
    let body = format!("<OpResponse><OpResult><stringList>{deep}");
    assert_eq!(kind_of(body.as_bytes()), XmlErrorKind::TooDeep);
}

#[test]
fn entities_are_never_expanded() {
    let bomb = br#"<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
]>
<OpResponse><OpResult><stringValue>&lol2;</stringValue></OpResult></OpResponse>"#;
    let error = read_query_response::<Scalars>(bomb, "Op").unwrap_err();
    assert_eq!(error.kind, XmlErrorKind::UnknownEntity);
    assert_eq!(error.path, "OpResponse/OpResult/stringValue");
    // The DOCTYPE itself is passed over: a body that does not use its entities reads.
    let plain = String::from_utf8_lossy(bomb).replace("&lol2;", "x");
    assert_eq!(read_query_response::<Scalars>(plain.as_bytes(), "Op").unwrap().output.string.as_deref(), Some("x"));
}

#[test]
fn children_left_half_read_are_passed_over() {
    let body = b"<R><a><b>1</b><c>2</c></a><d>3</d></R>";
    let names = read_document(body, |root| {
        let mut names = Vec::new();
        while let Some(mut child) = root.next_child()? {
            names.push(child.local_name().to_string());
            if let Some(grandchild) = child.next_child()? {
                names.push(grandchild.local_name().to_string());
            }
        }
        Ok(names)
    })
    .unwrap();
    assert_eq!(names, ["a", "b", "d"]);
}
