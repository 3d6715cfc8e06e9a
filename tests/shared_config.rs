//! One config for many clients: clients made from one `Config` (or from one derived with
//! `to_builder`) share its connection pool and its credential provider; clients made from two
//! configs do not. Checked on a loopback server, which records the connection of each request.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use awsgen_sagemaker::runtime::credentials::future::ProvideCredentials as ProvideCredentialsFuture;
use awsgen_sagemaker::runtime::credentials::{Credentials, CredentialsError, ProvideCredentials};
use awsgen_sagemaker::{Client, Config};
use awsgen_tests::loopback::{Loopback, Reply};

const ARN: &str = "arn:aws:sagemaker:us-east-1:123456789012:model-package/shared/1";

fn success() -> Reply {
    Reply::json(200, &format!(r#"{{"ModelPackageArn":"{ARN}"}}"#))
}

async fn create(client: &Client) {
    let output = client.create_model_package().model_package_name("shared").send().await.expect("a success");
    assert_eq!(output.model_package_arn.as_deref(), Some(ARN));
}

/// Counts how often the clients ask for credentials.
#[derive(Debug, Default)]
struct CountingProvider {
    calls: AtomicUsize,
}

impl ProvideCredentials for CountingProvider {
    fn provide_credentials<'a>(&'a self) -> ProvideCredentialsFuture<'a>
    where
        Self: 'a,
    {
        self.calls.fetch_add(1, Ordering::SeqCst);
        ProvideCredentialsFuture::ready(Ok::<_, CredentialsError>(Credentials::new(
            "AKIDSHARED",
            "shared-secret",
            None,
            None,
            "counting",
        )))
    }
}

#[tokio::test]
async fn clients_of_one_config_share_its_connection_pool() {
    let server = Loopback::start(vec![success(), success(), success()]);
    let config = Config::builder()
        .region("us-east-1")
        .credentials(Credentials::new("AKIDSHARED", "shared-secret", None, None, "test"))
        .endpoint_url(server.url())
        .build();
    let first = Client::new(&config);
    let second = Client::new(&config);
    // A config derived for one service keeps the pool unless it changes a timeout.
    let derived = Client::new(config.to_builder().validate_input(true).build());
    assert!(first.config().shares_connections_with(second.config()));
    assert!(first.config().shares_connections_with(derived.config()));

    create(&first).await;
    create(&second).await;
    create(&derived).await;

    let connections: Vec<usize> = server.requests().iter().map(|request| request.connection).collect();
    assert_eq!(connections, vec![0, 0, 0], "three sequential calls of three clients on one pooled connection");
}

#[tokio::test]
async fn clients_of_separate_configs_have_separate_pools() {
    let server = Loopback::start(vec![success(), success()]);
    let config = || {
        Config::builder()
            .region("us-east-1")
            .credentials(Credentials::new("AKIDSHARED", "shared-secret", None, None, "test"))
            .endpoint_url(server.url())
            .build()
    };
    let first = Client::new(config());
    let second = Client::new(config());
    assert!(!first.config().shares_connections_with(second.config()));
    // A derived config with its own timeout needs its own pool.
    let own_timeout = first.config().to_builder().connect_timeout(std::time::Duration::from_secs(1)).build();
    assert!(!first.config().shares_connections_with(&own_timeout));

    create(&first).await;
    create(&second).await;

    let connections: Vec<usize> = server.requests().iter().map(|request| request.connection).collect();
    assert_eq!(connections, vec![0, 1], "each config opened its own connection");
}

#[tokio::test]
async fn clients_of_one_config_ask_one_credential_provider() {
    let server = Loopback::start(vec![success(), success()]);
    let provider = Arc::new(CountingProvider::default());
    let config = Config::builder()
        .region("us-east-1")
        .credentials_provider(SharedProvider(provider.clone()))
        .endpoint_url(server.url())
        .build();
    let derived = config.to_builder().endpoint_url(server.url()).build();
    create(&Client::new(&config)).await;
    create(&Client::new(&derived)).await;
    assert_eq!(provider.calls.load(Ordering::SeqCst), 2, "both clients asked the one provider the config holds");
    assert_eq!(server.requests().len(), 2);
}

/// Hands the same counting provider to the config (which takes a provider by value).
#[derive(Debug)]
struct SharedProvider(Arc<CountingProvider>);

impl ProvideCredentials for SharedProvider {
    fn provide_credentials<'a>(&'a self) -> ProvideCredentialsFuture<'a>
    where
        Self: 'a,
    {
        self.0.provide_credentials()
    }
}

/// A sender that answers from memory and keeps what it was sent: what a program's own tests
/// give the config instead of a network.
#[derive(Default)]
struct Recorder {
    sent: std::sync::Mutex<Vec<(String, String, Vec<u8>)>>,
    fail: bool,
}

impl awsgen_sagemaker::runtime::http::HttpSend for Recorder {
    fn send(
        &self,
        request: http::Request<awsgen_sagemaker::runtime::body::RequestBody>,
    ) -> awsgen_sagemaker::runtime::http::BoxFuture<
        '_,
        Result<http::Response<awsgen_sagemaker::runtime::body::ByteStream>, awsgen_sagemaker::runtime::http::HttpError>,
    > {
        Box::pin(async move {
            let authorization = request.headers().get("authorization").map(|v| v.to_str().unwrap().to_string());
            let body = request.body().bytes().expect("an in-memory body").to_vec();
            self.sent.lock().unwrap().push((request.uri().to_string(), authorization.unwrap_or_default(), body));
            if self.fail {
                let reset = std::io::Error::new(std::io::ErrorKind::ConnectionReset, "reset by the double");
                return Err(awsgen_sagemaker::runtime::http::HttpError::other(
                    awsgen_sagemaker::runtime::http::HttpErrorKind::Io,
                    request.uri().authority().map(|a| a.to_string()),
                    reset,
                ));
            }
            let body = format!(r#"{{"ModelPackageArn":"{ARN}"}}"#);
            Ok(http::Response::builder().status(200).body(body.into_bytes().into()).unwrap())
        })
    }
}

#[tokio::test]
async fn a_config_sends_through_any_http_sender_it_is_given() {
    use awsgen_sagemaker::error::OperationError;
    let recorder = Arc::new(Recorder::default());
    let config = Config::builder()
        .region("us-east-1")
        .credentials(Credentials::new("AKID", "SECRET", None, None, "test"))
        .http_sender(recorder.clone())
        .build();
    create(&Client::new(&config)).await;
    let sent = recorder.sent.lock().unwrap().clone();
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0].0, "https://api.sagemaker.us-east-1.amazonaws.com/", "the resolved endpoint");
    assert!(sent[0].1.starts_with("AWS4-HMAC-SHA256 Credential=AKID/"), "signed: {}", sent[0].1);
    let body: serde_json::Value = serde_json::from_slice(&sent[0].2).unwrap();
    assert_eq!(body["ModelPackageName"], "shared");

    // Its failures are retried like the default client's.
    let failing = Arc::new(Recorder { fail: true, ..Recorder::default() });
    let config = config.to_builder().http_sender(failing.clone()).build();
    let error =
        Client::new(&config).create_model_package().model_package_name("shared").send().await.expect_err("reset");
    assert_eq!(failing.sent.lock().unwrap().len(), 3);
    assert_eq!(error.attempts(), Some(3));
    let chain: Vec<String> =
        std::iter::successors(Some(&error as &dyn std::error::Error), |e| e.source()).map(|e| e.to_string()).collect();
    assert!(chain.iter().any(|e| e.contains("reset by the double")), "{chain:?}");
}
