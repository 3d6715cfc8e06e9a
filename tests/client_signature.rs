//! The request the generated client puts on the wire, and its SigV4 signature checked against an
//! independent implementation: botocore's `SigV4Auth`, run in the moto virtualenv's Python (see
//! `support/moto.rs`; `cargo xtask test` installs it).
//!
//! The loopback server captures the exact request (method, path, headers as sent, body); botocore
//! signs the same request with the same credentials, region, service and time, and both
//! `Authorization` headers must be byte-identical.

use std::io::Write;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use awsgen_sagemaker::Client;
use awsgen_sagemaker::runtime::config::Config;
use awsgen_sagemaker::runtime::credentials::Credentials;
use awsgen_sagemaker::types::{InferenceSpecification, ModelApprovalStatus, ModelPackageContainerDefinition, Tag};
use awsgen_tests::loopback::{Loopback, Reply, Request};
use awsgen_tests::moto::moto_python;
use serde_json::{Value, json};

const ACCESS_KEY: &str = "AKID";
const SECRET_KEY: &str = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYSIGNATURETESTKEY";
const SESSION_TOKEN: &str = "IQoJb3JpZ2luX2VjEJr//////////wEaCXVzLWVhc3QtMSJHMEUCIQD+signature/test=";

/// 2024-02-29T23:59:59.999999999Z: a leap day, one nanosecond before the date changes. SigV4
/// truncates to the second, so the date is still 20240229.
fn signing_time() -> SystemTime {
    UNIX_EPOCH + Duration::new(1_709_251_199, 999_999_999)
}
const AMZ_DATE: &str = "20240229T235959Z";

/// Sends one CreateModelPackage call (answered 200) and returns the request the server saw.
async fn capture(session_token: Option<&str>, call: impl AsyncFnOnce(&Client)) -> (Request, Loopback) {
    let server = Loopback::start(vec![Reply::json(
        200,
        r#"{"ModelPackageArn":"arn:aws:sagemaker:us-east-1:123456789012:model-package/my-model/1"}"#,
    )]);
    let credentials = Credentials::new(ACCESS_KEY, SECRET_KEY, session_token.map(str::to_string), None, "test");
    let client = Client::new(
        Config::builder()
            .region("us-east-1")
            .credentials(credentials)
            .endpoint_url(server.url())
            .time_source(signing_time)
            .build(),
    );
    call(&client).await;
    let requests = server.requests();
    assert_eq!(requests.len(), 1, "one request: {requests:#?}");
    (requests.into_iter().next().expect("one request"), server)
}

async fn create_model_package(client: &Client) {
    client
        .create_model_package()
        .model_package_name("my-model")
        .model_package_description("A model package, signed")
        .inference_specification(
            InferenceSpecification::default()
                .containers(vec![
                    ModelPackageContainerDefinition::default()
                        .image("123456789012.dkr.ecr.us-east-1.amazonaws.com/model:latest")
                        .model_data_url("s3://bucket/model.tar.gz"),
                ])
                .supported_content_types(vec!["text/csv".to_string()])
                .supported_response_mime_types(vec!["application/json".to_string()]),
        )
        .certify_for_marketplace(false)
        .tags(vec![Tag::default().key("team").value("ml")])
        .model_approval_status(ModelApprovalStatus::PendingManualApproval)
        .customer_metadata_properties(
            [("stage".to_string(), "test".to_string())].into_iter().collect::<std::collections::HashMap<_, _>>(),
        )
        .client_token("token-0123456789")
        .send()
        .await
        .expect("the call succeeds");
}

/// What the body of [`create_model_package`] must be: wire names, absent members omitted.
fn expected_create_model_package_body() -> Value {
    json!({
        "ModelPackageName": "my-model",
        "ModelPackageDescription": "A model package, signed",
        "InferenceSpecification": {
            "Containers": [{
                "Image": "123456789012.dkr.ecr.us-east-1.amazonaws.com/model:latest",
                "ModelDataUrl": "s3://bucket/model.tar.gz"
            }],
            "SupportedContentTypes": ["text/csv"],
            "SupportedResponseMIMETypes": ["application/json"]
        },
        "CertifyForMarketplace": false,
        "Tags": [{"Key": "team", "Value": "ml"}],
        "ModelApprovalStatus": "PendingManualApproval",
        "CustomerMetadataProperties": {"stage": "test"},
        "ClientToken": "token-0123456789"
    })
}

/// The names of the headers on the wire, lower-cased and sorted.
fn header_names(request: &Request) -> Vec<String> {
    let mut names: Vec<String> = request.headers.iter().map(|(n, _)| n.to_ascii_lowercase()).collect();
    names.sort();
    names
}

fn header<'a>(request: &'a Request, name: &str) -> &'a str {
    assert_eq!(request.header_count(name), 1, "exactly one `{name}` header in {request:#?}");
    request.header(name).expect("counted")
}

/// `AWS4-HMAC-SHA256 Credential=…, SignedHeaders=…, Signature=…` split into its three parts.
fn authorization_parts(authorization: &str) -> (String, String, String) {
    let rest = authorization.strip_prefix("AWS4-HMAC-SHA256 ").unwrap_or_else(|| panic!("{authorization}"));
    let parts: Vec<&str> = rest.split(", ").collect();
    assert_eq!(parts.len(), 3, "{authorization}");
    let part = |i: usize, key: &str| {
        parts[i].strip_prefix(key).unwrap_or_else(|| panic!("{key} in {authorization}")).to_string()
    };
    (part(0, "Credential="), part(1, "SignedHeaders="), part(2, "Signature="))
}

#[tokio::test]
async fn create_model_package_is_an_awsjson_post_with_wire_names_and_a_sigv4_header() {
    let (request, server) = capture(None, async |client| create_model_package(client).await).await;
    assert_eq!(request.method, "POST");
    assert_eq!(request.path, "/");
    assert_eq!(header(&request, "content-type"), "application/x-amz-json-1.1");
    assert_eq!(header(&request, "x-amz-target"), "SageMaker.CreateModelPackage");
    assert_eq!(header(&request, "host"), server.address().to_string());
    assert_eq!(header(&request, "content-length"), request.body.len().to_string());
    assert!(header(&request, "user-agent").starts_with("awsgen/"));
    assert_eq!(header(&request, "x-amz-user-agent"), header(&request, "user-agent"));
    assert_eq!(header(&request, "x-amz-date"), AMZ_DATE);
    assert_eq!(request.header("x-amz-security-token"), None, "no session token, no header");

    let body: Value = serde_json::from_slice(&request.body).expect("the body is JSON");
    assert_eq!(body, expected_create_model_package_body());

    let (credential, signed_headers, signature) = authorization_parts(header(&request, "authorization"));
    assert_eq!(credential, "AKID/20240229/us-east-1/sagemaker/aws4_request");
    assert_eq!(signed_headers, "content-type;host;x-amz-date;x-amz-target;x-amz-user-agent");
    assert_eq!(signature.len(), 64);
    assert!(signature.chars().all(|c| c.is_ascii_digit() || ('a'..='f').contains(&c)), "{signature}");

    // Nothing else is sent: a header added by the transport after signing would show up here.
    assert_eq!(
        header_names(&request),
        [
            "authorization",
            "content-length",
            "content-type",
            "host",
            "user-agent",
            "x-amz-date",
            "x-amz-target",
            "x-amz-user-agent"
        ]
    );
}

#[tokio::test]
async fn a_session_token_is_sent_and_signed() {
    let (request, _server) = capture(Some(SESSION_TOKEN), async |client| create_model_package(client).await).await;
    assert_eq!(header(&request, "x-amz-security-token"), SESSION_TOKEN);
    let (credential, signed_headers, _) = authorization_parts(header(&request, "authorization"));
    assert_eq!(credential, "AKID/20240229/us-east-1/sagemaker/aws4_request");
    assert_eq!(signed_headers, "content-type;host;x-amz-date;x-amz-security-token;x-amz-target;x-amz-user-agent");
}

#[tokio::test]
async fn the_signature_is_the_one_botocore_computes() {
    let (request, _server) = capture(None, async |client| create_model_package(client).await).await;
    assert_signed_like_botocore(&request, None);
}

#[tokio::test]
async fn the_signature_with_a_session_token_is_the_one_botocore_computes() {
    let (request, _server) = capture(Some(SESSION_TOKEN), async |client| create_model_package(client).await).await;
    assert_signed_like_botocore(&request, Some(SESSION_TOKEN));
}

#[tokio::test]
async fn a_non_ascii_body_of_another_operation_is_signed_like_botocore() {
    // The payload hash is over the UTF-8 bytes on the wire.
    let (request, _server) = capture(Some(SESSION_TOKEN), async |client| {
        let _ = client
            .create_model_package_group()
            .model_package_group_name("group-1")
            .model_package_group_description("Modèle – groupe ☃, \"quoted\" \\ and \u{1F600}")
            .send()
            .await;
    })
    .await;
    assert_eq!(header(&request, "x-amz-target"), "SageMaker.CreateModelPackageGroup");
    let body: Value = serde_json::from_slice(&request.body).expect("the body is JSON");
    assert_eq!(
        body,
        json!({
            "ModelPackageGroupName": "group-1",
            "ModelPackageGroupDescription": "Modèle – groupe ☃, \"quoted\" \\ and \u{1F600}"
        })
    );
    assert_signed_like_botocore(&request, Some(SESSION_TOKEN));
}

/// Has botocore sign `request` as sent and compares the `Authorization` headers byte for byte.
///
/// botocore is given the request as it was when our client signed it: the method, the URL
/// (`http://` + the `host` header + the path), the body, and the headers on the wire except
/// - `authorization`, `x-amz-date` and `x-amz-security-token`, which the signer itself adds
///   (from the fixed time and the credentials; both are then compared with ours), and
/// - `content-length`, which the HTTP transport adds after signing, in our client as in
///   botocore (`AWSRequest.prepare()` runs after the signer).
///
/// `user-agent` is passed: botocore leaves it out of the signature by its own rules, as ours does.
fn assert_signed_like_botocore(request: &Request, session_token: Option<&str>) {
    const ADDED_BY_SIGNER: &[&str] = &["authorization", "x-amz-date", "x-amz-security-token"];
    const ADDED_BY_TRANSPORT: &[&str] = &["content-length"];
    let headers: Vec<(&str, &str)> = request
        .headers
        .iter()
        .filter(|(name, _)| {
            let name = name.to_ascii_lowercase();
            !ADDED_BY_SIGNER.contains(&name.as_str()) && !ADDED_BY_TRANSPORT.contains(&name.as_str())
        })
        .map(|(n, v)| (n.as_str(), v.as_str()))
        .collect();
    let url = format!("http://{}{}", header(request, "host"), request.path);
    let case = |body: &[u8]| {
        json!({
            "method": request.method,
            "url": url,
            "headers": headers,
            "body_hex": hex(body),
            "access_key": ACCESS_KEY,
            "secret_key": SECRET_KEY,
            "token": session_token,
            "region": "us-east-1",
            "service": "sagemaker",
            "timestamp": AMZ_DATE,
        })
    };
    // A control: the same request with one byte of the body changed must not match, or the
    // comparison would prove nothing.
    let mut tampered = request.body.clone();
    let last = tampered.len() - 1;
    tampered[last - 1] ^= 0x01;
    let signed = botocore_sign(&json!([case(&request.body), case(&tampered)]));

    let ours = header(request, "authorization");
    println!("ours:     {ours}\nbotocore: {}", signed[0]["authorization"]);
    assert_eq!(signed[0]["authorization"], ours, "botocore signs the same request differently");
    assert_eq!(signed[0]["x-amz-date"], header(request, "x-amz-date"));
    assert_eq!(signed[0]["x-amz-security-token"].as_str(), request.header("x-amz-security-token"));
    assert_eq!(signed[0]["x-amz-security-token"].as_str(), session_token);
    assert_ne!(signed[1]["authorization"], ours, "the control with a changed body must not match");
}

/// Signs each case with botocore's `SigV4Auth.add_auth`, at the case's fixed time.
const BOTOCORE_SIGNER: &str = r#"
import datetime, json, sys
import botocore.auth
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

out = []
for case in json.load(sys.stdin):
    fixed = datetime.datetime.strptime(case["timestamp"], "%Y%m%dT%H%M%SZ")
    # add_auth reads the clock through this module-level name.
    botocore.auth.get_current_datetime = lambda *args, **kwargs: fixed
    request = AWSRequest(method=case["method"], url=case["url"], data=bytes.fromhex(case["body_hex"]))
    for name, value in case["headers"]:
        request.headers[name] = value
    credentials = Credentials(case["access_key"], case["secret_key"], case["token"])
    SigV4Auth(credentials, case["service"], case["region"]).add_auth(request)
    out.append({
        "authorization": request.headers["Authorization"],
        "x-amz-date": request.headers["X-Amz-Date"],
        "x-amz-security-token": request.headers.get("X-Amz-Security-Token"),
    })
json.dump(out, sys.stdout)
"#;

/// Runs [`BOTOCORE_SIGNER`] on `cases` in moto's Python, within 60 s.
fn botocore_sign(cases: &Value) -> Vec<Value> {
    let python = moto_python();
    let mut child = Command::new(&python)
        .args(["-c", BOTOCORE_SIGNER])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("running {}: {e}", python.display()));
    child
        .stdin
        .take()
        .expect("piped stdin")
        .write_all(cases.to_string().as_bytes())
        .expect("writing the cases to Python");
    // The output is a few hundred bytes: it fits the pipe while the process runs.
    let deadline = Instant::now() + Duration::from_secs(60);
    while child.try_wait().expect("waiting for Python").is_none() {
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("botocore's signer did not finish within 60 s");
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    let output = child.wait_with_output().expect("Python's output");
    assert!(
        output.status.success(),
        "botocore's signer failed ({}):\n{}",
        output.status,
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).unwrap_or_else(|e| {
        panic!("botocore's signer printed no JSON ({e}): {}", String::from_utf8_lossy(&output.stdout))
    })
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
