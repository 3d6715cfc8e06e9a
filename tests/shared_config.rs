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
