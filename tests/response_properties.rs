//! Property tests of the JSON response reader, through the generated SageMaker client's
//! `parse_response` functions: random bytes, random JSON, mutated real-looking responses,
//! error statuses with random bodies and headers. Whatever the response, the reader gives the
//! output or a typed error (a modelled or unmodelled service error, or a malformed response
//! naming the path of the value that does not fit), never a panic; and the memory it takes is
//! bounded by a small multiple of the body, which the HTTP layer caps (`max_body_size`).
//!
//! The number of cases is fixed per test so the run stays short; `PROPTEST_CASES=N` raises it
//! for a longer fuzzing run. Failures are not persisted to files: a case a run finds is kept
//! as a plain `#[test]` at the end of this file.

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;

use awsgen_sagemaker::operation::create_model_package::{self, CreateModelPackageError};
use awsgen_sagemaker::operation::describe_model_package::{self, DescribeModelPackageError};
use awsgen_sagemaker::runtime::error::RequestError;
use awsgen_sagemaker::runtime::request_id::RequestId as _;
use bytes::Bytes;
use proptest::prelude::*;
use proptest::sample::Index;
use serde_json::{Value, json};

/// `cases` cases (or `PROPTEST_CASES`), nothing written to disk, shrinking bounded.
fn config(cases: u32) -> ProptestConfig {
    let cases = std::env::var("PROPTEST_CASES").ok().and_then(|n| n.parse().ok()).unwrap_or(cases);
    ProptestConfig { cases, failure_persistence: None, max_shrink_iters: 1024, ..ProptestConfig::default() }
}

// ---------------------------------------------------------------------------------------------
// Memory: an allocator that counts, per thread, the bytes in use and their peak
// ---------------------------------------------------------------------------------------------

struct Counting;

thread_local! {
    static IN_USE: Cell<isize> = const { Cell::new(0) };
    static PEAK: Cell<isize> = const { Cell::new(0) };
}

fn record(change: isize) {
    // `try_with`: the thread's counters may be gone while it shuts down.
    let _ = IN_USE.try_with(|in_use| {
        let now = in_use.get() + change;
        in_use.set(now);
        let _ = PEAK.try_with(|peak| peak.set(peak.get().max(now)));
    });
}

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        record(layout.size() as isize);
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        record(-(layout.size() as isize));
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        record(layout.size() as isize);
        unsafe { System.alloc_zeroed(layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        record(new_size as isize - layout.size() as isize);
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// Runs `f` and returns its result and the most memory it held at once, on this thread.
fn peak_of<T>(f: impl FnOnce() -> T) -> (T, usize) {
    let start = IN_USE.with(Cell::get);
    PEAK.with(|peak| peak.set(start));
    let result = f();
    let peak = PEAK.with(Cell::get) - start;
    (result, usize::try_from(peak).unwrap_or(0))
}

// ---------------------------------------------------------------------------------------------
// Responses
// ---------------------------------------------------------------------------------------------

fn response(status: u16, headers: &[(&str, Vec<u8>)], body: impl Into<Bytes>) -> http::Response<Bytes> {
    let mut builder = http::Response::builder().status(status);
    for (name, value) in headers {
        if let Ok(value) = http::HeaderValue::from_bytes(value) {
            builder = builder.header(*name, value);
        }
    }
    builder.body(body.into()).expect("a valid response")
}

/// A DescribeModelPackage response as the service might send it: nested structures, lists of
/// structures, maps, enums, timestamps, numbers and booleans.
fn describe_model_package_body() -> Value {
    let container = |image: &str| {
        json!({
            "ContainerHostname": "host-1",
            "Image": image,
            "ImageDigest": "sha256:0123",
            "ModelDataUrl": "s3://bucket/model.tar.gz",
            "ModelDataSource": {"S3DataSource": {
                "S3Uri": "s3://bucket/prefix/", "S3DataType": "S3Prefix", "CompressionType": "None",
                "ModelAccessConfig": {"AcceptEula": true}
            }},
            "ProductId": "prod-1",
            "Environment": {"MODE": "fast", "THREADS": "4"},
            "ModelInput": {"DataInputConfig": "{\"input\": [1, 2]}"},
            "Framework": "PYTORCH",
            "FrameworkVersion": "2.1",
            "AdditionalS3DataSource": {"S3DataType": "S3Object", "S3Uri": "s3://bucket/extra", "CompressionType": "Gzip"},
            "IsCheckpoint": false
        })
    };
    let metrics = json!({"ContentType": "application/json", "ContentDigest": "d", "S3Uri": "s3://bucket/m.json"});
    json!({
        "ModelPackageName": "my-package",
        "ModelPackageGroupName": "my-group",
        "ModelPackageVersion": 3,
        "ModelPackageRegistrationType": "Registered",
        "ModelPackageArn": "arn:aws:sagemaker:us-east-1:123456789012:model-package/my-group/3",
        "ModelPackageDescription": "A package.",
        "CreationTime": 1_700_000_000.125,
        "InferenceSpecification": {
            "Containers": [container("image:1"), container("image:2")],
            "SupportedTransformInstanceTypes": ["ml.m4.xlarge", "ml.m5.large"],
            "SupportedRealtimeInferenceInstanceTypes": ["ml.t2.medium"],
            "SupportedContentTypes": ["text/csv"],
            "SupportedResponseMIMETypes": ["application/json"]
        },
        "ValidationSpecification": {
            "ValidationRole": "arn:aws:iam::123456789012:role/r",
            "ValidationProfiles": [{"ProfileName": "p", "TransformJobDefinition": {
                "MaxConcurrentTransforms": 2, "MaxPayloadInMB": 6, "BatchStrategy": "MultiRecord",
                "Environment": {"A": "b"},
                "TransformInput": {"DataSource": {"S3DataSource": {"S3DataType": "S3Prefix", "S3Uri": "s3://b/in"}}, "ContentType": "text/csv", "SplitType": "Line"},
                "TransformOutput": {"S3OutputPath": "s3://b/out", "AssembleWith": "Line"},
                "TransformResources": {"InstanceType": "ml.m4.xlarge", "InstanceCount": 1}
            }}]
        },
        "ModelPackageStatus": "Completed",
        "ModelPackageStatusDetails": {
            "ValidationStatuses": [{"Name": "p", "Status": "Completed"}, {"Name": "q", "Status": "Failed", "FailureReason": "no"}],
            "ImageScanStatuses": []
        },
        "CertifyForMarketplace": false,
        "ModelApprovalStatus": "PendingManualApproval",
        "CreatedBy": {"UserProfileName": "me", "DomainId": "d-1", "IamIdentity": {"Arn": "arn:aws:iam::1:user/me", "PrincipalId": "AID"}},
        "MetadataProperties": {"CommitId": "abc", "Repository": "repo"},
        "ModelMetrics": {"ModelQuality": {"Statistics": metrics.clone(), "Constraints": metrics.clone()}, "Bias": {"Report": metrics.clone()}},
        "LastModifiedTime": 1_700_000_100,
        "CustomerMetadataProperties": {"team": "ml", "cost-center": "42"},
        "DriftCheckBaselines": {"Bias": {"ConfigFile": metrics.clone()}, "ModelQuality": {"Statistics": metrics}},
        "AdditionalInferenceSpecifications": [{"Name": "extra", "Containers": [container("image:3")]}],
        "SkipModelValidation": "None",
        "ModelCard": {"ModelCardContent": "{}", "ModelCardStatus": "Draft"},
        "ModelLifeCycle": {"Stage": "dev", "StageStatus": "ok"}
    })
}

/// Any JSON value, a few levels deep.
fn any_json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        any::<f64>().prop_map(|f| serde_json::Number::from_f64(f).map_or(Value::Null, Value::Number)),
        prop_oneof![
            "\\PC{0,12}",
            prop::sample::select(&["Completed", "Approved", "S3Prefix", "ml.m4.xlarge", "NaN", ""][..])
                .prop_map(str::to_string),
            "[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z",
        ]
        .prop_map(Value::String),
    ];
    leaf.prop_recursive(4, 32, 5, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..5).prop_map(Value::Array),
            prop::collection::vec(
                (
                    prop_oneof![
                        prop::sample::select(
                            &[
                                "ModelPackageName",
                                "Containers",
                                "Image",
                                "Environment",
                                "InferenceSpecification",
                                "CreationTime",
                                "ModelPackageVersion",
                                "__type",
                                "message"
                            ][..]
                        )
                        .prop_map(str::to_string),
                        "\\PC{0,6}",
                    ],
                    inner,
                ),
                0..5,
            )
            .prop_map(|fields| Value::Object(fields.into_iter().collect())),
        ]
    })
}

/// What to do at a node of a response.
#[derive(Clone, Debug)]
enum Edit {
    /// Replace it with any value.
    Replace(Value),
    /// Replace it with a value of another JSON type, of the kind a type confusion gives.
    Flip,
    /// Remove it.
    Remove,
    /// Put it inside `levels` arrays (or objects).
    Nest(usize, bool),
    /// Add a member to it (an unknown member, or a known one of another type).
    Insert(String, Value),
}

fn edits() -> impl Strategy<Value = Edit> {
    prop_oneof![
        3 => any_json().prop_map(Edit::Replace),
        3 => Just(Edit::Flip),
        2 => Just(Edit::Remove),
        1 => (1usize..40, any::<bool>()).prop_map(|(levels, array)| Edit::Nest(levels, array)),
        2 => ("\\PC{0,8}", any_json()).prop_map(|(k, v)| Edit::Insert(k, v)),
    ]
}

/// Walks from the root, one child per selector; returns the path of keys and indices taken.
fn walk(root: &Value, selectors: &[Index]) -> Vec<Result<String, usize>> {
    let mut node = root;
    let mut steps = Vec::new();
    for selector in selectors {
        match node {
            Value::Object(fields) if !fields.is_empty() => {
                let (key, child) = fields.iter().nth(selector.index(fields.len())).expect("in range");
                steps.push(Ok(key.clone()));
                node = child;
            }
            Value::Array(items) if !items.is_empty() => {
                let at = selector.index(items.len());
                steps.push(Err(at));
                node = &items[at];
            }
            _ => break,
        }
    }
    steps
}

fn child_mut<'v>(node: &'v mut Value, step: &Result<String, usize>) -> &'v mut Value {
    match (node, step) {
        (Value::Object(fields), Ok(key)) => fields.get_mut(key).expect("the walk found it"),
        (Value::Array(items), Err(at)) => &mut items[*at],
        _ => unreachable!("the walk follows the document"),
    }
}

fn mutate(root: &mut Value, selectors: &[Index], edit: &Edit) {
    let steps = walk(root, selectors);
    let Some((last, parents)) = steps.split_last() else {
        if let Edit::Replace(value) = edit {
            *root = value.clone();
        }
        return;
    };
    let mut parent = &mut *root;
    for step in parents {
        parent = child_mut(parent, step);
    }
    if let Edit::Remove = edit {
        match (parent, last) {
            (Value::Object(fields), Ok(key)) => {
                fields.remove(key);
            }
            (Value::Array(items), Err(at)) => {
                items.remove(*at);
            }
            _ => {}
        }
        return;
    }
    let node = child_mut(parent, last);
    match edit {
        Edit::Replace(value) => *node = value.clone(),
        Edit::Flip => {
            *node = match node {
                Value::Null => json!(0),
                Value::Bool(b) => json!(if *b { "true" } else { "false" }),
                Value::Number(n) => json!(n.to_string()),
                Value::String(s) => {
                    s.parse::<f64>().ok().and_then(serde_json::Number::from_f64).map_or(json!([s]), Value::Number)
                }
                Value::Array(items) => items.first().cloned().unwrap_or(json!({})),
                Value::Object(fields) => Value::Array(fields.values().cloned().collect()),
            }
        }
        Edit::Nest(levels, array) => {
            let mut value = node.take();
            for _ in 0..*levels {
                value = if *array { json!([value]) } else { json!({ "x": value }) };
            }
            *node = value;
        }
        Edit::Insert(key, value) => {
            if let Value::Object(fields) = node {
                fields.insert(key.clone(), value.clone());
            }
        }
        Edit::Remove => {}
    }
}

/// Numbers no `i32`, `i64` or `f64` holds, and other text a member's value may be replaced by.
fn raw_values() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("1e400".to_string()),
        Just("-1e400".to_string()),
        Just("123456789012345678901234567890".to_string()),
        Just("18446744073709551616".to_string()),
        Just("-9223372036854775809".to_string()),
        Just("2147483648".to_string()),
        Just("1e300".to_string()),
        Just("-0".to_string()),
        Just("0.000000000000000000000000000001e-400".to_string()),
        Just("1.7976931348623157e308".to_string()),
        Just("9007199254740993".to_string()),
        Just("\"\\ud800\"".to_string()),
        Just("\"\\u0000\"".to_string()),
        "-?[0-9]{1,30}(\\.[0-9]{1,30})?([eE][+-]?[0-9]{1,4})?",
    ]
}

/// Which outcome a 2xx response may have: the output, or a malformed response; its reason
/// says which part of the body is wrong.
fn check_success(
    result: Result<impl Sized, DescribeModelPackageError>,
    document: Option<&Value>,
) -> Result<(), TestCaseError> {
    match result {
        Ok(_) => Ok(()),
        Err(DescribeModelPackageError::Request(RequestError::MalformedResponse {
            status, reason, excerpt, ..
        })) => {
            prop_assert!((200..300).contains(&status));
            prop_assert!(
                reason.starts_with("the body is not JSON") || reason.starts_with("the body does not fit the output"),
                "{}",
                reason
            );
            prop_assert!(excerpt.chars().count() <= 240, "{:?}", excerpt);
            prop_assert!(!excerpt.chars().any(char::is_control), "{:?}", excerpt);
            if let (Some(document), Some(path)) = (document, fit_error_path(&reason)) {
                prop_assert!(path_exists(document, path), "`{}` is not in the body: {}", path, reason);
            }
            Ok(())
        }
        Err(other) => {
            prop_assert!(false, "a 2xx response gave {other:?}");
            Ok(())
        }
    }
}

/// The path in `the body does not fit the output: at `PATH`: ...`.
fn fit_error_path(reason: &str) -> Option<&str> {
    let rest = reason.strip_prefix("the body does not fit the output: at `")?;
    // The path ends at the last "`: " (keys may hold anything, the message follows).
    rest.rfind("`: ").map(|end| &rest[..end])
}

/// Whether `path` (`A.B[2].C`, as the reader writes it) is in `document`. Keys may hold dots:
/// at an object the longest run of dotted parts that is a key is taken.
fn path_exists(document: &Value, path: &str) -> bool {
    let mut parts: Vec<String> = Vec::new();
    for piece in path.split('.') {
        let (key, mut rest) = match piece.find('[') {
            Some(at) => piece.split_at(at),
            None => (piece, ""),
        };
        parts.push(key.to_string());
        while let Some((index, after)) = rest.strip_prefix('[').and_then(|r| r.split_once(']')) {
            parts.push(format!("[{index}]"));
            rest = after;
        }
    }
    let mut node = document;
    let mut i = 0;
    while i < parts.len() {
        if let Some(index) = parts[i].strip_prefix('[').and_then(|p| p.strip_suffix(']')) {
            match (node, index.parse::<usize>()) {
                (Value::Array(items), Ok(at)) if at < items.len() => node = &items[at],
                _ => return false,
            }
            i += 1;
            continue;
        }
        let Value::Object(fields) = node else { return false };
        let found =
            (i..parts.len()).rev().find_map(|end| fields.get(&parts[i..=end].join(".")).map(|child| (end, child)));
        match found {
            Some((end, child)) => {
                node = child;
                i = end + 1;
            }
            None => return false,
        }
    }
    true
}

/// The same for an error status: a service error (modelled or not) or a malformed response,
/// never an output.
fn check_failure(status: u16, result: Result<impl Sized, DescribeModelPackageError>) -> Result<(), TestCaseError> {
    match result {
        Ok(_) => prop_assert!(false, "HTTP {} read as a success", status),
        Err(DescribeModelPackageError::Unlisted(error)) => {
            prop_assert_eq!(error.metadata().status, status);
        }
        Err(DescribeModelPackageError::Unmodeled(metadata)) => {
            prop_assert_eq!(metadata.status, status);
            prop_assert!(!metadata.code.is_empty());
        }
        Err(DescribeModelPackageError::Request(RequestError::MalformedResponse { status: seen, reason, .. })) => {
            prop_assert_eq!(seen, status);
            prop_assert!(reason.starts_with("the error body is not JSON"), "{}", reason);
        }
        Err(other) => prop_assert!(false, "HTTP {} gave {:?}", status, other),
    }
    Ok(())
}

fn header_values() -> impl Strategy<Value = Vec<(&'static str, Vec<u8>)>> {
    prop::collection::vec(
        (
            prop::sample::select(&["x-amzn-errortype", "x-amzn-requestid", "content-type", "x-amz-crc32"][..]),
            prop_oneof![
                prop::collection::vec(any::<u8>(), 0..24),
                prop::sample::select(
                    &[
                        "ResourceNotFound",
                        "ResourceNotFound:http://internal/",
                        "aws#ConflictException",
                        "ThrottlingException",
                        "",
                        "  "
                    ][..]
                )
                .prop_map(|s| s.as_bytes().to_vec()),
                "\\PC{0,16}".prop_map(String::into_bytes),
            ],
        ),
        0..4,
    )
}

proptest! {
    #![proptest_config(config(256))]

    /// Random bytes as a 2xx body.
    #[test]
    fn random_bytes(body in prop::collection::vec(any::<u8>(), 0..256), status in 200u16..300) {
        check_success(describe_model_package::parse_response(&response(status, &[], body)), None)?;
    }

    /// Random JSON as a 2xx body: an output, or a malformed response naming a path in it.
    #[test]
    fn random_json(value in any_json()) {
        let body = serde_json::to_vec(&value).expect("serialisable");
        check_success(describe_model_package::parse_response(&response(200, &[], body.clone())), Some(&value))?;
        let create = create_model_package::parse_response(&response(200, &[], body));
        prop_assert!(matches!(create, Ok(_) | Err(CreateModelPackageError::Request(RequestError::MalformedResponse { .. }))), "{:?}", create);
    }

    /// A real-looking response, mutated: an output, or a malformed response naming the path of
    /// a value that is in the mutated body.
    #[test]
    fn mutated_responses(mutations in prop::collection::vec((prop::collection::vec(any::<Index>(), 0..8), edits()), 1..5)) {
        let mut document = describe_model_package_body();
        for (selectors, edit) in &mutations {
            mutate(&mut document, selectors, edit);
        }
        let body = serde_json::to_vec(&document).expect("serialisable");
        check_success(describe_model_package::parse_response(&response(200, &[], body)), Some(&document))?;
    }

    /// A real-looking response as text, with a value replaced by a number no Rust type holds,
    /// bytes that are not UTF-8, or cut short.
    #[test]
    fn mutated_response_texts(
        at in any::<Index>(),
        raw in raw_values(),
        junk in prop::collection::vec(any::<u8>(), 1..4),
        how in 0u8..3,
    ) {
        let text = serde_json::to_string(&describe_model_package_body()).expect("serialisable");
        let body: Vec<u8> = match how {
            // A value after some `:` replaced.
            0 => {
                let colons: Vec<usize> = text.match_indices(':').map(|(i, _)| i).collect();
                let start = colons[at.index(colons.len())] + 1;
                let end = text[start..].find([',', '}', ']']).map_or(text.len(), |e| start + e);
                format!("{}{raw}{}", &text[..start], &text[end..]).into_bytes()
            }
            // Bytes spliced in (often not UTF-8).
            1 => {
                let mut bytes = text.into_bytes();
                let place = at.index(bytes.len());
                bytes.splice(place..place, junk);
                bytes
            }
            // Cut short.
            _ => text.as_bytes()[..at.index(text.len())].to_vec(),
        };
        check_success(describe_model_package::parse_response(&response(200, &[], body)), None)?;
    }

    /// Error statuses with random bodies and headers: a service error or a malformed response.
    #[test]
    fn error_responses(
        status in prop_oneof![300u16..600, Just(400), Just(500)],
        headers in header_values(),
        body in prop_oneof![
            prop::collection::vec(any::<u8>(), 0..64),
            any_json().prop_map(|v| serde_json::to_vec(&v).expect("serialisable")),
            (prop::sample::select(&["ResourceNotFound", "com.amazonaws.sagemaker#ResourceLimitExceeded", "ValidationException", ""][..]), any_json())
                .prop_map(|(code, message)| serde_json::to_vec(&json!({"__type": code, "Message": message})).expect("serialisable")),
        ],
    ) {
        let response = response(status, &headers, body);
        let request_id = response.headers().get("x-amzn-requestid").and_then(|v| v.to_str().ok()).map(str::to_string);
        let result = describe_model_package::parse_response(&response);
        if let Err(error) = &result {
            prop_assert_eq!(error.request_id(), request_id.as_deref());
        }
        check_failure(status, result)?;
    }

    /// The memory the reader takes is bounded by a multiple of the body: JSON values and the
    /// output are larger than their text, by a bounded factor (see `MEMORY_FACTOR`).
    #[test]
    fn memory_is_bounded_by_the_body(value in any_json(), copies in 1usize..200) {
        let document = Value::Array(vec![value; copies]);
        let body = Bytes::from(serde_json::to_vec(&json!({"CustomerMetadataProperties": {"k": "v"}, "X": document})).expect("serialisable"));
        let response = response(200, &[], body.clone());
        let (result, peak) = peak_of(|| describe_model_package::parse_response(&response).is_ok());
        prop_assert!(result);
        prop_assert!(peak <= MEMORY_FACTOR * body.len() + MEMORY_SLACK, "{} bytes held for a body of {}", peak, body.len());
    }
}

/// The most memory the reader may hold, per byte of body, plus a constant. The reader builds a
/// `serde_json::Value` tree first: a body of tiny values (`[0,0,…]`, 2 bytes each) becomes
/// `Value`s of 72 bytes each (with `preserve_order`), in a `Vec` that may hold twice what it
/// needs while it grows: 72 times the body at worst, measured by `memory_for_the_worst_bodies`.
const MEMORY_FACTOR: usize = 80;
const MEMORY_SLACK: usize = 64 * 1024;

/// Bodies made to take the most memory per byte, at 1 MiB: within the bound, so that a body
/// at the HTTP layer's cap (20 MiB) takes at most `MEMORY_FACTOR` times that.
#[test]
fn memory_for_the_worst_bodies() {
    const SIZE: usize = 1 << 20;
    let bodies: Vec<(&str, String)> = vec![
        ("empty objects", format!("{{\"X\":[{}{{}}]}}", "{},".repeat(SIZE / 3))),
        ("empty arrays", format!("{{\"X\":[{}[]]}}", "[],".repeat(SIZE / 3))),
        ("zeros", format!("{{\"X\":[{}0]}}", "0,".repeat(SIZE / 2))),
        ("short map entries", {
            let entries: Vec<String> = (0..SIZE / 12).map(|i| format!("\"{i:x}\":\"\"")).collect();
            format!("{{\"CustomerMetadataProperties\":{{{}}}}}", entries.join(","))
        }),
        (
            "short list strings",
            format!("{{\"InferenceSpecification\":{{\"SupportedContentTypes\":[{}\"\"]}}}}", "\"\",".repeat(SIZE / 3)),
        ),
    ];
    for (what, body) in bodies {
        let response = response(200, &[], body.clone());
        let (result, peak) = peak_of(|| describe_model_package::parse_response(&response).is_ok());
        assert!(result, "{what}");
        let factor = peak as f64 / body.len() as f64;
        eprintln!("{what}: {} bytes held for a body of {} ({factor:.1}x)", peak, body.len());
        assert!(peak <= MEMORY_FACTOR * body.len() + MEMORY_SLACK, "{what}: {factor:.1}x");
    }
}

/// The valid response reads, with every part in place.
#[test]
fn the_real_looking_response_reads() {
    let body = serde_json::to_vec(&describe_model_package_body()).expect("serialisable");
    let headers = [("x-amzn-requestid", b"req-1".to_vec())];
    let output = describe_model_package::parse_response(&response(200, &headers, body)).expect("a valid response");
    assert_eq!(output.model_package_version, Some(3));
    assert_eq!(output.request_id(), Some("req-1"));
    let containers = output.inference_specification.and_then(|spec| spec.containers).expect("containers");
    assert_eq!(containers.len(), 2);
    assert_eq!(containers[1].image.as_deref(), Some("image:2"));
}

/// Deep nesting (10,000 arrays or objects) is a malformed response, not a stack overflow, at the
/// top or inside a member. Where the output's type expects something else, the reader says so at
/// the first wrong token; where nothing stops it (an unknown member, skipped), the depth limit
/// does.
#[test]
fn deeply_nested_bodies_are_malformed_responses() {
    let deep = format!("{}{}", "[".repeat(10_000), "]".repeat(10_000));
    for (body, expected) in [
        (deep.clone(), "the body does not fit the output: expected an object, found an array"),
        (
            format!("{{\"InferenceSpecification\": {{\"Containers\": {deep}}}}}"),
            "at `InferenceSpecification.Containers[0]`: expected an object, found an array",
        ),
        (
            format!("{{\"CustomerMetadataProperties\": {{\"k\": {deep}}}}}"),
            "at `CustomerMetadataProperties.k`: expected a string, found an array",
        ),
        (format!("{}{}", "{\"a\":".repeat(10_000), "}".repeat(10_000)), "nested past the recursion limit of 128"),
    ] {
        match describe_model_package::parse_response(&response(200, &[], body)) {
            Err(DescribeModelPackageError::Request(RequestError::MalformedResponse { reason, .. })) => {
                assert!(reason.contains(expected), "{reason}")
            }
            other => panic!("expected a malformed response, got {other:?}"),
        }
    }
    let status = 400;
    let error = describe_model_package::parse_response(&response(status, &[], deep)).expect_err("an error status");
    assert!(
        matches!(error, DescribeModelPackageError::Request(RequestError::MalformedResponse { ref reason, .. }) if reason.contains("recursion limit")),
        "{error:?}"
    );
}
