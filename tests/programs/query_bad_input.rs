//! Hostile and broken XML bodies given to a generated awsQuery client's `parse_response` (IAM's
//! GetRole) and an ec2 one's (EC2's DescribeInstances): each is a typed error that says where,
//! never a panic; and a property test over random and mutated bodies. Run by
//! `tests/query_moto.rs` as a test of the program crate it builds beside the generated crates.

use awsgen_ec2::operation::describe_instances::{self, DescribeInstancesError};
use awsgen_iam::operation::get_role::{self, GetRoleError};
use awsgen_iam::runtime::error::RequestError;
use proptest::prelude::*;

const GET_ROLE: &str = "<GetRoleResponse xmlns=\"https://iam.amazonaws.com/doc/2010-05-08/\"><GetRoleResult><Role>\
    <Path>/</Path><RoleName>r</RoleName><RoleId>AROA1</RoleId><Arn>arn:aws:iam::123456789012:role/r</Arn>\
    <CreateDate>2026-01-02T03:04:05Z</CreateDate><MaxSessionDuration>3600</MaxSessionDuration>\
    <Tags><member><Key>k</Key><Value>v</Value></member></Tags></Role></GetRoleResult>\
    <ResponseMetadata><RequestId>req-1</RequestId></ResponseMetadata></GetRoleResponse>";

const DESCRIBE_INSTANCES: &str = "<DescribeInstancesResponse xmlns=\"http://ec2.amazonaws.com/doc/2016-11-15/\">\
    <requestId>req-2</requestId><reservationSet><item><reservationId>r-1</reservationId><instancesSet><item>\
    <instanceId>i-1</instanceId><instanceState><code>16</code><name>running</name></instanceState>\
    <launchTime>2026-01-02T03:04:05.000Z</launchTime><tagSet><item><key>Name</key><value>x</value></item></tagSet>\
    </item></instancesSet></item></reservationSet></DescribeInstancesResponse>";

fn response(status: u16, body: impl Into<bytes::Bytes>) -> awsgen_iam::runtime::client::HttpResponse {
    http::Response::builder().status(status).body(body.into()).expect("a valid response")
}

/// The reason of a malformed-response error, or a panic saying what came instead.
fn malformed(result: Result<impl std::fmt::Debug, GetRoleError>) -> String {
    match result {
        Err(GetRoleError::Request(RequestError::MalformedResponse { reason, .. })) => reason,
        other => panic!("expected a malformed response, got {other:?}"),
    }
}

#[test]
fn the_sample_bodies_read() {
    let role = get_role::parse_response(&response(200, GET_ROLE)).unwrap().role.unwrap();
    assert_eq!(role.role_name.as_deref(), Some("r"));
    assert_eq!(role.tags.unwrap()[0].value.as_deref(), Some("v"));
    let output = describe_instances::parse_response(&response(200, DESCRIBE_INSTANCES)).unwrap();
    let instance = &output.reservations.unwrap()[0].instances.clone().unwrap()[0];
    assert_eq!(instance.instance_id.as_deref(), Some("i-1"));
    assert_eq!(instance.tags.as_ref().unwrap()[0].key.as_deref(), Some("Name"));
}

#[test]
fn a_truncated_body_says_where_it_ends() {
    let cut = &GET_ROLE[..GET_ROLE.find("<Arn>").unwrap() + 9];
    let reason = malformed(get_role::parse_response(&response(200, cut.to_string())));
    assert!(reason.contains("GetRoleResponse/GetRoleResult/Role/Arn"), "{reason}");
}

#[test]
fn a_wrong_root_is_named() {
    let reason = malformed(get_role::parse_response(&response(200, "<ListRolesResponse/>")));
    assert!(reason.contains("expected the element <GetRoleResponse>, found <ListRolesResponse>"), "{reason}");
    match describe_instances::parse_response(&response(200, "<GetRoleResponse/>")) {
        Err(DescribeInstancesError::Request(RequestError::MalformedResponse { reason, .. })) => {
            assert!(reason.contains("<DescribeInstancesResponse>"), "{reason}")
        }
        other => panic!("expected a malformed response, got {other:?}"),
    }
}

#[test]
fn a_value_that_does_not_fit_names_its_element() {
    let body = GET_ROLE.replace("<MaxSessionDuration>3600", "<MaxSessionDuration>an hour");
    let reason = malformed(get_role::parse_response(&response(200, body)));
    assert!(reason.contains("GetRoleResponse/GetRoleResult/Role/MaxSessionDuration"), "{reason}");
    let body = GET_ROLE.replace("2026-01-02T03:04:05Z", "yesterday");
    let reason = malformed(get_role::parse_response(&response(200, body)));
    assert!(reason.contains("Role/CreateDate"), "{reason}");
}

#[test]
fn entities_are_never_expanded() {
    let mut doctype = String::from("<!DOCTYPE r [<!ENTITY a \"aaaaaaaaaa\">");
    for level in 1..10 {
        let previous = if level == 1 { "a".to_string() } else { format!("a{}", level - 1) };
        doctype.push_str(&format!("<!ENTITY a{level} \"{}\">", format!("&{previous};").repeat(10)));
    }
    doctype.push(']');
    doctype.push('>');
    let body = format!("{doctype}{}", GET_ROLE.replace("<RoleName>r<", "<RoleName>&a9;<"));
    let reason = malformed(get_role::parse_response(&response(200, body)));
    assert!(reason.contains("Role/RoleName") && reason.contains("never expanded"), "{reason}");
    // An error body too.
    let error = format!("{doctype}<ErrorResponse><Error><Code>&a9;</Code></Error></ErrorResponse>");
    assert!(matches!(
        get_role::parse_response(&response(400, error)),
        Err(GetRoleError::Request(RequestError::MalformedResponse { .. }))
    ));
}

#[test]
fn a_100_mb_body_is_an_error_not_a_crash() {
    // 100 MB of text in an element that never closes: read, then reported as truncated.
    let mut body = String::with_capacity(100 << 20);
    body.push_str("<GetRoleResponse><GetRoleResult><Role><RoleName>");
    body.extend(std::iter::repeat_n('x', 100 << 20));
    let reason = malformed(get_role::parse_response(&response(200, body)));
    assert!(reason.contains("GetRoleResponse/GetRoleResult/Role/RoleName"), "{reason}");
    // 100 MB of nested elements: stopped at the depth limit.
    let deep = "<a>".repeat((100 << 20) / 3);
    let body = format!("<GetRoleResponse><GetRoleResult><Role><Tags><member>{deep}");
    let reason = malformed(get_role::parse_response(&response(200, body)));
    assert!(reason.contains("GetRoleResponse/GetRoleResult/Role/Tags/member"), "{reason}");
}

/// A sample body with one of a few mutations at a random place.
fn mutated() -> impl Strategy<Value = Vec<u8>> {
    let samples = prop_oneof![Just(GET_ROLE.as_bytes().to_vec()), Just(DESCRIBE_INSTANCES.as_bytes().to_vec())];
    (samples, any::<prop::sample::Index>(), 0u8..4, any::<u8>(), prop::collection::vec(any::<u8>(), 0..16)).prop_map(
        |(mut body, at, how, byte, insert)| {
            let at = at.index(body.len());
            match how {
                0 => body.truncate(at),
                1 => body[at] = byte,
                2 => {
                    body.splice(at..at, insert);
                }
                _ => {
                    body.remove(at);
                }
            }
            body
        },
    )
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn random_bodies_never_panic(body in prop::collection::vec(any::<u8>(), 0..512), status in prop_oneof![Just(200u16), Just(400u16)]) {
        let _ = get_role::parse_response(&response(status, body.clone()));
        let _ = describe_instances::parse_response(&response(status, body));
    }

    #[test]
    fn mutated_bodies_never_panic(body in mutated(), status in prop_oneof![Just(200u16), Just(400u16)]) {
        let _ = get_role::parse_response(&response(status, body.clone()));
        let _ = describe_instances::parse_response(&response(status, body));
    }
}
