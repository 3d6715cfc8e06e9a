//! Property tests of the restXml protocol's reading and writing.
//!
//! Reading takes bodies from the network: whatever the bytes (random, or a valid output, S3 or
//! Route 53 error, or GetBucketLocation body truncated or mutated), every entry point returns a
//! value or a typed error and never panics, and an error in a value names the element path. The
//! writer's documents always read back, through the same reader, into the values they were
//! given: text and attributes of any XML character, lists and maps. The number of cases is fixed
//! per test; `PROPTEST_CASES=N` raises it.

use std::collections::HashMap;

use awsgen_runtime::client::{HttpResponse, NoInput, ServiceInfo};
use awsgen_runtime::error::{ErrorMetadata, RequestError};
use awsgen_runtime::operation::{self, Failure, Operation, OperationError};
use awsgen_runtime::protocol::{ErrorBody, Protocol, ProtocolRequest, rest_xml};
use awsgen_runtime::request_id::Output;
use awsgen_runtime::retry::RetryKind;
use awsgen_runtime::xml::{self, FromXml, ToXml, XmlElement, XmlError, XmlErrorKind, XmlWriter};
use bytes::Bytes;
use http::HeaderMap;
use proptest::prelude::*;

fn config(cases: u32) -> ProptestConfig {
    let cases = std::env::var("PROPTEST_CASES").ok().and_then(|n| n.parse().ok()).unwrap_or(cases);
    ProptestConfig { cases, failure_persistence: None, max_shrink_iters: 1024, ..ProptestConfig::default() }
}

/// Reads every element as a generated reader would: attributes, scalars, wrapped and flattened
/// collections, and any other subtree walked child by child.
#[derive(Debug, Default)]
struct Walk {
    elements: usize,
    extended_request_id: Option<String>,
}

impl FromXml for Walk {
    fn read_xml(element: &mut XmlElement<'_, '_>) -> Result<Self, XmlError> {
        let mut out = Walk { elements: 1, extended_request_id: None };
        let _: Option<String> = element.attribute("test")?;
        let mut flat = None;
        let mut map = None;
        while let Some(mut child) = element.next_child()? {
            match child.local_name() {
                "Code" | "Message" | "ETag" | "Name" => drop(child.read::<String>()?),
                "Size" => drop(child.read::<i64>()?),
                "IsTruncated" => drop(child.read::<bool>()?),
                "LastModified" => drop(child.read_timestamp(aws_smithy_types::date_time::Format::DateTime)?),
                "Grants" => drop(xml::read_list::<Walk>(&mut child, "Grant")?),
                "Contents" => xml::push::<Walk>(&mut flat, &mut child)?,
                "Tags" => drop(xml::read_map::<String, String>(&mut child, "entry", "key", "value")?),
                "Metadata" => xml::insert::<String, String>(&mut map, &mut child, "key", "value")?,
                _ => out.elements += child.read::<Walk>()?.elements,
            }
        }
        Ok(out)
    }
}

impl Output for Walk {
    fn set_request_id(&mut self, _request_id: Option<String>) {}

    fn set_extended_request_id(&mut self, extended_request_id: Option<String>) {
        self.extended_request_id = extended_request_id;
    }
}

fn response(body: &[u8]) -> HttpResponse {
    http::Response::builder()
        .status(200)
        .header("x-amz-request-id", "r")
        .header("x-amz-id-2", "h")
        .body(Bytes::copy_from_slice(body))
        .unwrap()
}

/// Feeds a body to every entry point; only panics (and hangs) fail.
fn read_everything(body: &[u8]) {
    let whole = response(body);
    let _ = rest_xml::read_xml_output::<Walk>(&whole);
    let _ = rest_xml::read_xml_payload::<Walk>(&whole);
    let _ = rest_xml::read_location_constraint(&whole);
    let _ = rest_xml::is_error_in_ok_body(body);
    let _ = rest_xml::read_error_body::<Walk>(body);
    let (metadata, _) = rest_xml::read_error(500, whole.headers(), &Bytes::copy_from_slice(body))
        .expect("an error response always reads: a body that is not XML is named by its status");
    assert!(!metadata.code.is_empty());
}

/// Valid bodies of each shape the services send.
const SAMPLES: &[&str] = &[
    r#"<?xml version="1.0" encoding="UTF-8"?>
<ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">
    <Name>bucket</Name><IsTruncated>false</IsTruncated>
    <Contents><Key>a&amp;b</Key><LastModified>2009-10-12T17:50:30.000Z</LastModified>
        <ETag>&quot;fba9dede5f27731c9771645a39863328&quot;</ETag><Size>434234</Size></Contents>
    <Contents><Key>c</Key><Size>1</Size></Contents>
</ListBucketResult>"#,
    r#"<AccessControlPolicy test="x"><Owner><ID>o</ID></Owner><Grants><Grant><Permission>READ</Permission></Grant></Grants>
<Tags><entry><key>k</key><value>v</value></entry></Tags><Metadata><key>a</key><value>b</value></Metadata></AccessControlPolicy>"#,
    "<Error><Code>NoSuchKey</Code><Message>The resource you requested does not exist</Message>\
     <Resource>/mybucket/myfoto.jpg</Resource><RequestId>4442587FB7D0A2F9</RequestId><HostId>h</HostId></Error>",
    r#"<ErrorResponse xmlns="https://route53.amazonaws.com/doc/2013-04-01/"><Error><Type>Sender</Type>
<Code>InvalidInput</Code><Message>m</Message></Error><RequestId>r</RequestId></ErrorResponse>"#,
    r#"<LocationConstraint xmlns="http://s3.amazonaws.com/doc/2006-03-01/">eu-west-1</LocationConstraint>"#,
];

/// A change to a valid body.
#[derive(Clone, Debug)]
enum Mutation {
    Truncate(prop::sample::Index),
    Insert(prop::sample::Index, Vec<u8>),
    Delete(prop::sample::Index, usize),
    Flip(prop::sample::Index, u8),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    let markup = prop::collection::vec(prop::sample::select(b"<>/&;#x=\"' ![CDATA]-?:ab\x00\xff".to_vec()), 0..12);
    prop_oneof![
        any::<prop::sample::Index>().prop_map(Mutation::Truncate),
        (any::<prop::sample::Index>(), markup).prop_map(|(at, bytes)| Mutation::Insert(at, bytes)),
        (any::<prop::sample::Index>(), 1..20usize).prop_map(|(at, len)| Mutation::Delete(at, len)),
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
        Mutation::Flip(at, byte) => {
            let at = at.index(len);
            body[at] = *byte;
        }
    }
}

/// Text of characters XML 1.0 can carry (every `char` but most C0 controls and U+FFFE/U+FFFF).
fn xml_text() -> impl Strategy<Value = String> {
    any::<String>().prop_map(|text| {
        text.chars()
            .filter(|&c| matches!(c, '\t' | '\n' | '\r') || (c >= ' ' && c != '\u{FFFE}' && c != '\u{FFFF}'))
            .collect()
    })
}

/// A structure as generated code writes it: an attribute, a text member, a wrapped list and a
/// flattened map, with namespaces.
#[derive(Debug, Default, PartialEq)]
struct Written {
    attribute: Option<String>,
    text: Option<String>,
    list: Option<Vec<String>>,
    map: Option<HashMap<String, String>>,
}

impl ToXml for Written {
    fn write_attributes(&self, out: &mut XmlWriter) {
        out.attribute_member("a", self.attribute.as_ref());
    }

    fn write_content(&self, out: &mut XmlWriter) {
        out.member("Text", Some(("xmlns:p", "urn:p")), self.text.as_ref());
        out.list("List", None, "Item", self.list.as_deref());
        out.flat_map("Map", Some(("xmlns", "urn:m")), ("K", "V"), self.map.as_ref());
    }
}

impl FromXml for Written {
    fn read_xml(element: &mut XmlElement<'_, '_>) -> Result<Self, XmlError> {
        let mut out = Written { attribute: element.attribute("a")?, ..Written::default() };
        while let Some(mut child) = element.next_child()? {
            match child.local_name() {
                "Text" => out.text = Some(child.read()?),
                "List" => out.list = Some(xml::read_list(&mut child, "Item")?),
                "Map" => xml::insert(&mut out.map, &mut child, "K", "V")?,
                _ => child.skip()?,
            }
        }
        Ok(out)
    }
}

/// An S3 operation whose `200 OK` may carry an error (CopyObject, say).
struct CopyObject;

#[derive(Debug)]
enum CopyError {
    Service(ErrorMetadata),
    Request(RequestError),
}

impl From<RequestError> for CopyError {
    fn from(error: RequestError) -> Self {
        CopyError::Request(error)
    }
}

impl OperationError for CopyError {
    const OPERATION: &'static str = "CopyObject";

    fn from_service_error(metadata: ErrorMetadata, _body: &ErrorBody) -> Self {
        CopyError::Service(metadata)
    }

    fn failure(&self) -> Failure<'_> {
        match self {
            CopyError::Service(metadata) => Failure::Unmodeled(metadata),
            CopyError::Request(error) => Failure::Request(error),
        }
    }
}

impl Operation for CopyObject {
    const NAME: &'static str = "CopyObject";
    const ERROR_IN_OK_BODY: bool = true;
    type Input = NoInput;
    type Output = Walk;
    type Error = CopyError;

    fn write_request(_input: &NoInput, _service: &ServiceInfo) -> Result<ProtocolRequest, RequestError> {
        unreachable!("only responses are read here")
    }

    fn read_output(response: &HttpResponse) -> Result<Walk, String> {
        rest_xml::read_xml_output(response)
    }
}

const S3: ServiceInfo = ServiceInfo {
    protocol: Protocol::RestXml,
    signing_name: "s3",
    endpoint_prefix: "s3",
    endpoint_env_name: "S3",
    endpoint_rule_set: None,
    partitions: "{}",
};

const COPY_RESULT: &str =
    "<CopyObjectResult><ETag>\"e\"</ETag><LastModified>2009-10-12T17:50:30.000Z</LastModified></CopyObjectResult>";

#[test]
fn s3_errors_in_ok_bodies_are_errors_to_retry() {
    let ok = operation::parse_response::<CopyObject>(&S3, &response(COPY_RESULT.as_bytes()));
    assert_eq!(ok.expect("a CopyObjectResult is the output").extended_request_id.as_deref(), Some("h"));
    let body = b"<?xml version=\"1.0\"?>\n<Error><Code>InternalError</Code><Message>We encountered an internal error.</Message></Error>";
    let Err(CopyError::Service(metadata)) = operation::parse_response::<CopyObject>(&S3, &response(body)) else {
        panic!("a 200 with an <Error> body is a service error");
    };
    assert_eq!((metadata.code.as_str(), metadata.status), ("InternalError", 500));
    assert_eq!(metadata.request_id.as_deref(), Some("r"));
    assert_eq!(metadata.extended_request_id(), Some("h"));
    assert_eq!(metadata.retry_kind(), RetryKind::Transient);
}

proptest! {
    #![proptest_config(config(512))]

    #[test]
    fn s3_ok_bodies_cut_short_are_transient_errors(at in 1usize..COPY_RESULT.len()) {
        let cut = &COPY_RESULT.as_bytes()[..at];
        match operation::parse_response::<CopyObject>(&S3, &response(cut)) {
            Err(CopyError::Service(metadata)) => {
                prop_assert_eq!(metadata.status, 500);
                prop_assert_eq!(metadata.retry_kind(), RetryKind::Transient);
            }
            other => prop_assert!(false, "{:?}", other),
        }
    }

    #[test]
    fn random_bytes_never_panic(body in prop::collection::vec(any::<u8>(), 0..512)) {
        read_everything(&body);
    }

    #[test]
    fn random_markup_never_panics(body in "(<[a-zA-Z:]{0,6}( [a-z]{1,4}=\"[^\"]{0,4}\")*/?>|</[a-zA-Z:]{0,6}>|&[a-z#0-9]{0,5};|<!\\[CDATA\\[.{0,5}\\]\\]>|[ a-z0-9<>&]{0,6}){0,40}") {
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
        let blank = cut.iter().all(u8::is_ascii_whitespace);
        prop_assert!(rest_xml::read_xml_output::<Walk>(&response(cut)).is_err() || blank);
        prop_assert!(rest_xml::read_error_body::<Walk>(cut).is_err() || blank);
        // S3's 200 answers cut short are errors to retry, as botocore reads them.
        prop_assert!(rest_xml::is_error_in_ok_body(cut) || cut.is_empty());
        // An error body cut short is still an error, named by the status.
        let (metadata, _) = rest_xml::read_error(503, &HeaderMap::new(), &Bytes::copy_from_slice(cut)).unwrap();
        prop_assert!(metadata.code == "503" || sample.starts_with("<Error") || sample.starts_with("<ErrorResponse"));
    }

    #[test]
    fn a_value_that_does_not_fit_names_its_element_path(
        before in 0usize..4,
        text in "[a-z ]{1,8}",
    ) {
        let items = "<Grant><Size>1</Size></Grant>".repeat(before);
        let body = format!("<Root><Grants>{items}<Grant><Size>{text}</Size></Grant></Grants></Root>");
        let error = rest_xml::read_xml_output::<Walk>(&response(body.as_bytes())).unwrap_err();
        let path = format!("Root/Grants/Grant[{}]/Size", before + 1);
        prop_assert!(error.contains(&path), "{} lacks {}", error, path);
        // The same in S3's bare error body and in the `<Error>` of `<ErrorResponse>`.
        for (body, path) in [
            (body.replace("Root>", "Error>"), path.replace("Root/", "Error/")),
            (format!("<ErrorResponse>{}</ErrorResponse>", body.replace("Root>", "Error>")), path.replace("Root/", "ErrorResponse/Error/")),
        ] {
            let typed = rest_xml::read_error_body::<Walk>(body.as_bytes()).unwrap_err();
            prop_assert_eq!(typed.kind, XmlErrorKind::Value);
            prop_assert_eq!(typed.path, path);
        }
    }

    #[test]
    fn written_documents_read_back(
        attribute in prop::option::of(xml_text()),
        text in prop::option::of(xml_text()),
        list in prop::option::of(prop::collection::vec(xml_text(), 0..5)),
        map in prop::option::of(prop::collection::hash_map(xml_text(), xml_text(), 1..5)),
    ) {
        let value = Written { attribute, text, list, map };
        let document = xml::to_document("Root", Some(("xmlns", "urn:root")), &value);
        let read = xml::read_document(document.as_bytes(), |root| root.read::<Written>());
        prop_assert_eq!(read, Ok(value), "{}", document);
    }
}
