//! Numbers and timestamps read exactly, end to end: responses built by hand go through the
//! generated SageMaker client's `describe_model_package::parse_response`, as a call reads the
//! response of its last attempt (issue 17; the rules are in the runtime's `number` module).

use awsgen_sagemaker::operation::describe_model_package::{self, DescribeModelPackageError};
use awsgen_sagemaker::types::DescribeModelPackageOutput;
use bytes::Bytes;

fn parse(body: &str) -> Result<DescribeModelPackageOutput, DescribeModelPackageError> {
    let response = http::Response::builder()
        .status(200)
        .header("content-type", "application/x-amz-json-1.1")
        .header("x-amzn-requestid", "wire-numbers")
        .body(Bytes::from(body.to_string()))
        .expect("a valid response");
    describe_model_package::parse_response(&response)
}

/// The `CreationTime` read from `json_number`, as (seconds from 1970, floored; nanoseconds
/// after them): `aws_smithy_types::DateTime`'s own representation.
fn creation_time(json_number: &str) -> (i64, u32) {
    let body = format!(r#"{{"ModelPackageName":"m","CreationTime":{json_number}}}"#);
    match parse(&body) {
        Ok(output) => {
            let time = output.creation_time.expect("CreationTime is set");
            (time.secs(), time.subsec_nanos())
        }
        Err(error) => panic!("{json_number}: {error}"),
    }
}

#[test]
fn a_negative_timestamp_with_a_fraction_is_read_from_its_digits() {
    // 1969-12-31T23:59:58.5Z, not 23:59:59.5Z.
    assert_eq!(creation_time("-1.5"), (-2, 500_000_000));
    assert_eq!(creation_time("-0.000001"), (-1, 999_999_000));
}

#[test]
fn tiny_and_exponent_timestamps_are_read() {
    assert_eq!(creation_time("0.000001"), (0, 1_000));
    assert_eq!(creation_time("1e-06"), (0, 1_000));
    assert_eq!(creation_time("1.7E9"), (1_700_000_000, 0));
}

#[test]
fn timestamps_keep_every_digit_a_double_keeps() {
    assert_eq!(creation_time("127576002928.86467"), (127576002928, 864_670_000));
    assert_eq!(creation_time("253402300799.999"), (253402300799, 999_000_000));
    assert_eq!(creation_time("1.123456789"), (1, 123_456_789));
    assert_eq!(creation_time("1398796238.123"), (1398796238, 123_000_000));
}

#[test]
fn timestamps_with_more_digits_than_a_double_are_read_from_their_own_digits() {
    assert_eq!(creation_time("1700000000.123456789"), (1_700_000_000, 123_456_789));
    assert_eq!(creation_time("253402300799.999999999"), (253_402_300_799, 999_999_999));
    assert_eq!(creation_time("-1700000000.123456789"), (-1_700_000_001, 876_543_211));
    // Past the ninth digit, rounded to the nearest nanosecond.
    assert_eq!(creation_time("1700000000.1234567894"), (1_700_000_000, 123_456_789));
    // Deeper in the body, and in a list: the text is found by the same path the reader walks.
    let body = r#"{"ModelPackageName":"m","ValidationSpecification":{"ValidationRole":"r","ValidationProfiles":[
        {"ProfileName":"a","TransformJobDefinition":{"MaxPayloadInMB":6}},
        {"ProfileName":"b","TransformJobDefinition":{"MaxPayloadInMB":6}}]},
        "CreationTime":1700000000.987654321,"LastModifiedTime":1700000000.000000001}"#;
    let output = parse(body).expect("the body is read");
    let time = output.last_modified_time.expect("LastModifiedTime");
    assert_eq!((time.secs(), time.subsec_nanos()), (1_700_000_000, 1));
    let time = output.creation_time.expect("CreationTime");
    assert_eq!((time.secs(), time.subsec_nanos()), (1_700_000_000, 987_654_321));
}

#[test]
fn the_largest_double_does_not_reject_the_body() {
    let body = r#"{"ModelPackageName":"m","CreationTime":1398796238,"NotInTheModel":1.7976931348623158e308}"#;
    let output = parse(body).expect("the body is read");
    assert_eq!(output.creation_time.map(|time| time.secs()), Some(1398796238));
}

#[test]
fn values_the_rust_type_cannot_hold_name_their_path() {
    let error = parse(r#"{"CreationTime":1e19}"#).unwrap_err().to_string();
    assert!(error.contains("CreationTime") && error.contains("past the range of DateTime"), "{error}");

    let error = parse(r#"{"ModelPackageVersion":2147483648}"#).unwrap_err().to_string();
    assert!(error.contains("ModelPackageVersion") && error.contains("past the range of an Integer"), "{error}");

    let body = r#"{"ValidationSpecification":{"ValidationRole":"r","ValidationProfiles":[
        {"ProfileName":"p","TransformJobDefinition":{"MaxPayloadInMB":3.5}}]}}"#;
    let error = parse(body).unwrap_err().to_string();
    let path = "ValidationSpecification.ValidationProfiles[0].TransformJobDefinition.MaxPayloadInMB";
    assert!(error.contains(path) && error.contains("not a whole number"), "{error}");
}
