use bytes::Bytes;

use super::super::body::{ByteStream, RequestBody};
use super::super::protocol::ProtocolRequest;
use super::*;

fn block_on<F: std::future::Future>(future: F) -> F::Output {
    tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(future)
}

/// The catalogue's check values (the checksums of `123456789`), base64 of big-endian bytes.
#[test]
fn every_algorithm_gives_its_check_value() {
    let expected = [
        (ChecksumAlgorithm::Crc32, "y/Q5Jg=="),
        (ChecksumAlgorithm::Crc32c, "4waSgw=="),
        (ChecksumAlgorithm::Crc64Nvme, "rosUhgp5mIg="),
        (ChecksumAlgorithm::Sha1, "98O8HYCOBHMq32eZZczDTKeuNEE="),
        (ChecksumAlgorithm::Sha256, "FeKw08M4keuw8e9gnsQZQgwg4yDOlMZfvIwzEkSOsiU="),
    ];
    for (algorithm, value) in expected {
        assert_eq!(algorithm.checksum_of(b"123456789"), value, "{algorithm}");
        assert_eq!(value.len(), algorithm.encoded_len(), "{algorithm}");
        // Fed in pieces, the same.
        let mut hasher = algorithm.hasher();
        hasher.update(b"1234");
        hasher.update(b"");
        hasher.update(b"56789");
        assert_eq!(hasher.finish(), value);
    }
}

#[test]
fn algorithms_are_named_as_the_model_names_them_in_any_case() {
    assert_eq!(ChecksumAlgorithm::from_name("crc64nvme"), Some(ChecksumAlgorithm::Crc64Nvme));
    assert_eq!(ChecksumAlgorithm::from_name("SHA256"), Some(ChecksumAlgorithm::Sha256));
    assert_eq!(ChecksumAlgorithm::from_name("MD5"), None);
    assert_eq!("When_Required".parse(), Ok(RequestChecksumCalculation::WhenRequired));
    assert_eq!("when_supported".parse(), Ok(ResponseChecksumValidation::WhenSupported));
    let error = "always".parse::<RequestChecksumCalculation>().unwrap_err();
    assert_eq!(error.to_string(), "\"always\" is not one of when_supported, when_required");
}

fn put_object(body: RequestBody) -> ProtocolRequest {
    ProtocolRequest { method: http::Method::PUT, path_and_query: "/b/k".into(), headers: http::HeaderMap::new(), body }
}

/// PutObject's trait: an algorithm member in the `x-amz-sdk-checksum-algorithm` header.
fn put_object_checksum(algorithm: Option<&str>) -> HttpChecksum<'_> {
    HttpChecksum {
        request_algorithm_member: true,
        request_algorithm: algorithm,
        request_algorithm_header: Some("x-amz-sdk-checksum-algorithm"),
        ..HttpChecksum::default()
    }
}

fn header<'a>(request: &'a ProtocolRequest, name: &str) -> Option<&'a str> {
    request.headers.get(name).map(|v| v.to_str().unwrap())
}

#[test]
fn a_body_in_memory_gets_a_crc32_header_by_default_and_the_algorithm_header() {
    let mut request = put_object(RequestBody::from("123456789"));
    let check = apply(
        &mut request,
        &put_object_checksum(None),
        RequestChecksumCalculation::WhenSupported,
        ResponseChecksumValidation::WhenSupported,
    );
    assert_eq!(check, Ok(Vec::new()), "PutObject's responses have no checksum to check");
    assert_eq!(header(&request, "x-amz-checksum-crc32"), Some("y/Q5Jg=="));
    assert_eq!(header(&request, "x-amz-sdk-checksum-algorithm"), Some("CRC32"));
}

#[test]
fn when_required_only_required_or_chosen_checksums_are_sent() {
    let calculation = RequestChecksumCalculation::WhenRequired;
    let validation = ResponseChecksumValidation::WhenSupported;
    let mut request = put_object(RequestBody::from("123456789"));
    apply(&mut request, &put_object_checksum(None), calculation, validation).unwrap();
    assert!(request.headers.is_empty(), "{:?}", request.headers);

    apply(&mut request, &put_object_checksum(Some("sha1")), calculation, validation).unwrap();
    assert_eq!(header(&request, "x-amz-checksum-sha1"), Some("98O8HYCOBHMq32eZZczDTKeuNEE="));
    assert_eq!(header(&request, "x-amz-sdk-checksum-algorithm"), None, "the member's own header is the caller's");

    // DeleteObjects: required, no algorithm chosen: CRC32 (where botocore sent Content-MD5).
    let mut request = put_object(RequestBody::from("123456789"));
    let required = HttpChecksum { request_required: true, ..put_object_checksum(None) };
    apply(&mut request, &required, calculation, validation).unwrap();
    assert_eq!(header(&request, "x-amz-checksum-crc32"), Some("y/Q5Jg=="));
}

#[test]
fn a_checksum_the_caller_gave_is_sent_as_given_and_an_unknown_algorithm_is_refused() {
    let mut request = put_object(RequestBody::from("123456789"));
    request.headers.insert("x-amz-checksum-sha256", http::HeaderValue::from_static("given"));
    apply(
        &mut request,
        &put_object_checksum(None),
        RequestChecksumCalculation::WhenSupported,
        ResponseChecksumValidation::WhenSupported,
    )
    .unwrap();
    assert_eq!(header(&request, "x-amz-checksum-sha256"), Some("given"));
    assert_eq!(request.headers.len(), 1);

    let mut request = put_object(RequestBody::from("x"));
    let error = apply(
        &mut request,
        &put_object_checksum(Some("MD5")),
        RequestChecksumCalculation::WhenSupported,
        ResponseChecksumValidation::WhenSupported,
    )
    .unwrap_err();
    assert_eq!(
        error.to_string(),
        "the checksum algorithm \"MD5\" is not supported (CRC32, CRC32C, CRC64NVME, SHA1, SHA256 are)"
    );
}

#[test]
fn a_streamed_body_is_sent_aws_chunked_with_a_trailer() {
    let mut request = put_object(RequestBody::from_reader(std::io::Cursor::new(b"123456789".to_vec()), 9));
    request.headers.insert(http::header::CONTENT_ENCODING, http::HeaderValue::from_static("gzip"));
    apply(
        &mut request,
        &put_object_checksum(Some("CRC32C")),
        RequestChecksumCalculation::WhenSupported,
        ResponseChecksumValidation::WhenSupported,
    )
    .unwrap();
    assert_eq!(header(&request, "content-encoding"), Some("gzip,aws-chunked"));
    assert_eq!(header(&request, "x-amz-trailer"), Some("x-amz-checksum-crc32c"));
    assert_eq!(header(&request, "x-amz-decoded-content-length"), Some("9"));
    assert_eq!(header(&request, "x-amz-checksum-crc32c"), None);
    assert!(request.body.has_trailer());
    let expected = "9\r\n123456789\r\n0\r\nx-amz-checksum-crc32c:4waSgw==\r\n\r\n";
    assert_eq!(request.body.len(), expected.len() as u64);
}

/// GetObject's trait: a validation mode member in `x-amz-checksum-mode`.
fn get_object_checksum(enabled: bool) -> HttpChecksum<'static> {
    HttpChecksum {
        validation_mode_header: Some("x-amz-checksum-mode"),
        validation_enabled: enabled,
        response_algorithms: &["CRC64NVME", "CRC32", "CRC32C", "SHA256", "SHA1"],
        ..HttpChecksum::default()
    }
}

#[test]
fn responses_are_checked_by_default_with_the_preferred_algorithms_first() {
    let mut request = put_object(RequestBody::empty());
    let algorithms = apply(
        &mut request,
        &get_object_checksum(false),
        RequestChecksumCalculation::WhenSupported,
        ResponseChecksumValidation::WhenSupported,
    )
    .unwrap();
    assert_eq!(header(&request, "x-amz-checksum-mode"), Some("ENABLED"));
    use ChecksumAlgorithm::*;
    assert_eq!(algorithms, vec![Crc64Nvme, Crc32c, Crc32, Sha1, Sha256]);

    let mut request = put_object(RequestBody::empty());
    let algorithms = apply(
        &mut request,
        &get_object_checksum(false),
        RequestChecksumCalculation::WhenSupported,
        ResponseChecksumValidation::WhenRequired,
    )
    .unwrap();
    assert!(algorithms.is_empty() && request.headers.is_empty());
    let algorithms = apply(
        &mut request,
        &get_object_checksum(true),
        RequestChecksumCalculation::WhenSupported,
        ResponseChecksumValidation::WhenRequired,
    )
    .unwrap();
    assert_eq!(algorithms.len(), 5);
}

fn response_headers(pairs: &[(&'static str, &'static str)]) -> http::HeaderMap {
    pairs.iter().map(|(k, v)| (http::HeaderName::from_static(k), http::HeaderValue::from_static(v))).collect()
}

#[test]
fn a_body_read_whole_is_checked_against_the_first_checksum_it_has() {
    let algorithms = [ChecksumAlgorithm::Crc32c, ChecksumAlgorithm::Crc32];
    let headers = response_headers(&[("x-amz-checksum-crc32", "y/Q5Jg==")]);
    assert_eq!(verify_body(&headers, b"123456789", &algorithms), Ok(()));
    let mismatch = verify_body(&headers, b"123456780", &algorithms).unwrap_err();
    assert_eq!(mismatch.algorithm, ChecksumAlgorithm::Crc32);
    assert_eq!(mismatch.expected, "y/Q5Jg==");
    assert!(mismatch.to_string().contains("x-amz-checksum-crc32 header says y/Q5Jg=="), "{mismatch}");
    // A multipart object's checksum of checksums is not the body's.
    let parts = response_headers(&[("x-amz-checksum-crc32", "AAAAAA==-3")]);
    assert_eq!(verify_body(&parts, b"anything", &algorithms), Ok(()));
    assert_eq!(verify_body(&headers, b"anything", &[]), Ok(()));
}

#[test]
fn a_streamed_body_fails_at_its_end_with_the_mismatch() {
    block_on(async {
        let algorithms = [ChecksumAlgorithm::Sha256];
        let headers = response_headers(&[("x-amz-checksum-sha256", "FeKw08M4keuw8e9gnsQZQgwg4yDOlMZfvIwzEkSOsiU=")]);
        let good = validating_stream(&headers, ByteStream::new(Bytes::from_static(b"123456789")), &algorithms);
        assert_eq!(good.collect().await.unwrap(), Bytes::from_static(b"123456789"));

        let mut bad = validating_stream(&headers, ByteStream::new(Bytes::from_static(b"12345678")), &algorithms);
        assert_eq!(bad.next().await.unwrap().unwrap(), Bytes::from_static(b"12345678"));
        let error = bad.next().await.unwrap().unwrap_err();
        assert_eq!(error.kind(), std::io::ErrorKind::InvalidData);
        let mismatch = error.get_ref().and_then(|e| e.downcast_ref::<ChecksumMismatch>()).expect("a ChecksumMismatch");
        assert_eq!(mismatch.algorithm, ChecksumAlgorithm::Sha256);
        assert!(bad.next().await.is_none());
    });
}
