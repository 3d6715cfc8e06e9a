//! What a call tells a `tracing` subscriber (the `tracing` feature), captured whole: the spans
//! of the operation and of each attempt with their fields, the endpoint, credential and retry
//! events, and never a secret: no key, session token, signature or sensitive member appears in
//! anything recorded.

use std::fmt::Write as _;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use awsgen_sagemaker::runtime::credentials::{
    Credentials, CredentialsCache, ProvideCredentials, ProviderError, future,
};
use awsgen_sagemaker::{Client, Config};
use awsgen_tests::loopback::{Loopback, Reply, Response};
use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id, Record};
use tracing::{Event, Metadata, Subscriber};

const SECRET: &str = "wJalrXUtnFEMI-the-secret-key";
const SESSION_TOKEN: &str = "FwoGZXIvYXdzEJr-the-session-token";
const SENSITIVE_VALUE: &str = "s3://bucket/the-sensitive-model-data";

/// Everything the subscriber saw, a line per span creation, record and event.
#[derive(Clone, Default)]
struct Capture {
    lines: Arc<Mutex<Vec<String>>>,
    next_id: Arc<AtomicU64>,
}

struct Fields(String);

impl Visit for Fields {
    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        let _ = write!(self.0, " {}={value:?}", field.name());
    }
}

impl Subscriber for Capture {
    fn enabled(&self, _metadata: &Metadata<'_>) -> bool {
        true
    }

    fn new_span(&self, span: &Attributes<'_>) -> Id {
        let mut fields = Fields(format!("span {}", span.metadata().name()));
        span.record(&mut fields);
        self.lines.lock().unwrap().push(fields.0);
        Id::from_u64(self.next_id.fetch_add(1, Ordering::SeqCst) + 1)
    }

    fn record(&self, span: &Id, values: &Record<'_>) {
        let mut fields = Fields(format!("record {}", span.into_u64()));
        values.record(&mut fields);
        self.lines.lock().unwrap().push(fields.0);
    }

    fn record_follows_from(&self, _span: &Id, _follows: &Id) {}

    fn event(&self, event: &Event<'_>) {
        let mut fields = Fields(format!("event {}", event.metadata().target()));
        event.record(&mut fields);
        self.lines.lock().unwrap().push(fields.0);
    }

    fn enter(&self, _span: &Id) {}

    fn exit(&self, _span: &Id) {}
}

#[tokio::test]
async fn a_retried_call_is_traced_without_a_secret() {
    let server = Loopback::start(vec![
        Reply::Respond(
            Response::error(400, "ThrottlingException", "slow down").header("x-amzn-RequestId", "req-throttled"),
        ),
        Reply::Respond(
            Response::json(200, r#"{"ModelPackageArn":"arn:aws:sagemaker:us-east-1:1:model-package/x"}"#)
                .header("x-amzn-RequestId", "req-ok"),
        ),
    ]);
    let capture = Capture::default();
    let _guard = tracing::subscriber::set_default(capture.clone());
    let config = Config::builder()
        .region("us-east-1")
        .credentials(Credentials::new("AKIDTRACING", SECRET, Some(SESSION_TOKEN.to_string()), None, "test"))
        .endpoint_url(format!("http://{}", server.address()))
        .build();
    let spec = awsgen_sagemaker::types::ModelPackageContainerDefinition::default()
        .image("123456789012.dkr.ecr.us-east-1.amazonaws.com/model:1")
        .model_data_url(SENSITIVE_VALUE);
    let inference = awsgen_sagemaker::types::InferenceSpecification::default()
        .containers(vec![spec])
        .supported_content_types(vec!["application/json".to_string()])
        .supported_response_mime_types(vec!["application/json".to_string()]);
    Client::new(&config)
        .create_model_package()
        .model_package_name("traced")
        .inference_specification(inference)
        .send()
        .await
        .expect("the retry succeeds");
    drop(_guard);

    let lines = capture.lines.lock().unwrap().clone();
    let all = lines.join("\n");
    println!("{all}");
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with("span awsgen.operation service=\"sagemaker\" operation=\"CreateModelPackage\"")),
        "{all}"
    );
    assert!(lines.iter().any(|l| l.starts_with("record 1") && l.contains("attempts=2")), "{all}");
    assert!(lines.iter().any(|l| l.starts_with("record 1") && l.contains("outcome=\"ok\"")), "{all}");
    assert!(lines.iter().filter(|l| l.starts_with("span awsgen.attempt")).count() == 2, "{all}");
    for field in ["status=400", "request_id=\"req-throttled\"", "status=200", "request_id=\"req-ok\""] {
        assert!(lines.iter().any(|l| l.starts_with("record") && l.ends_with(field)), "{field}: {all}");
    }
    assert!(lines.iter().any(|l| l.contains("duration_ms=")), "{all}");
    assert!(
        lines.iter().any(|l| l.starts_with("event awsgen::retry")
            && l.contains("failure=\"Throttling\"")
            && l.contains("delay_ms=")),
        "{all}"
    );
    assert!(lines.iter().any(|l| l.starts_with("event awsgen::endpoint") && l.contains("user_set=true")), "{all}");
    assert!(lines.iter().any(|l| l.starts_with("event awsgen::credentials") && l.contains("session=true")), "{all}");
    for secret in [SECRET, SESSION_TOKEN, SENSITIVE_VALUE, "Signature=", "AWS4-HMAC-SHA256", "AKIDTRACING"] {
        assert!(!all.contains(secret), "{secret:?} was recorded:\n{all}");
    }
}

/// Gives credentials expiring in two minutes (inside the refresh window, still valid), then
/// fails.
#[derive(Debug, Default)]
struct OnceThenDown {
    calls: AtomicU64,
}

impl ProvideCredentials for OnceThenDown {
    fn provide_credentials<'a>(&'a self) -> future::ProvideCredentials<'a>
    where
        Self: 'a,
    {
        let call = self.calls.fetch_add(1, Ordering::SeqCst);
        future::ProvideCredentials::ready(if call == 0 {
            let expiry = std::time::SystemTime::now() + std::time::Duration::from_secs(120);
            Ok(Credentials::new("AKIDREFRESH", SECRET, Some(SESSION_TOKEN.to_string()), Some(expiry), "test"))
        } else {
            Err(ProviderError::failed("Imds", "no answer from 169.254.169.254").into_credentials_error())
        })
    }
}

#[tokio::test]
async fn a_failed_refresh_that_keeps_valid_credentials_is_logged_without_a_secret() {
    let capture = Capture::default();
    let _guard = tracing::subscriber::set_default(capture.clone());
    let cache = CredentialsCache::new(OnceThenDown::default());
    let first = cache.provide_credentials().await.expect("first load");
    let kept = cache.provide_credentials().await.expect("the still-valid credentials are kept");
    assert_eq!((first.access_key_id(), kept.access_key_id()), ("AKIDREFRESH", "AKIDREFRESH"));
    assert_eq!(cache.provider().calls.load(Ordering::SeqCst), 2, "the second call tried a refresh");
    drop(_guard);
    let lines = capture.lines.lock().unwrap().clone();
    let all = lines.join("\n");
    assert!(
        lines.iter().any(|l| l.starts_with("event awsgen::credentials") && l.contains("message=credentials refreshed")),
        "{all}"
    );
    assert!(
        lines.iter().any(|l| l.starts_with("event awsgen::credentials")
            && l.contains("refresh failed")
            && l.contains("Imds: no answer from 169.254.169.254")),
        "{all}"
    );
    for secret in [SECRET, SESSION_TOKEN] {
        assert!(!all.contains(secret), "{secret:?} was recorded:\n{all}");
    }
}
