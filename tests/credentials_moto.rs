//! The STS-based credential sources of the default chain against the pinned moto: a role
//! assumed from a profile with `source_profile`, a two-step role chain, and
//! AssumeRoleWithWebIdentity from a token file. Each then makes a real SageMaker call with
//! the chain, and asks moto's STS who the credentials belong to (moto remembers the role and
//! session of every key it hands out). Profile files live in temporary directories reached
//! through the runtime's `Env`.

use std::time::SystemTime;

use awsgen_sagemaker::runtime::credentials::{DefaultCredentialsChain, ProvideCredentials};
use awsgen_sagemaker::runtime::http::{EndpointOrigin, HttpClient, HttpConfig};
use awsgen_sagemaker::runtime::profile::Env;
use awsgen_sagemaker::runtime::sign::sign_request;
use awsgen_sagemaker::{Client, Config};
use awsgen_tests::moto::MotoServer;

/// moto's only account.
const ACCOUNT: &str = "123456789012";

/// A temporary home with `config` as its `~/.aws/config`, removed on drop.
struct Home(std::path::PathBuf);

impl Home {
    fn with_config(config: &str) -> Self {
        let nanos = SystemTime::now().duration_since(SystemTime::UNIX_EPOCH).map_or(0, |d| d.as_nanos());
        let path = std::env::temp_dir().join(format!("awsgen-creds-moto-{}-{nanos}", std::process::id()));
        std::fs::create_dir_all(path.join(".aws")).expect("temp home");
        std::fs::write(path.join(".aws/config"), config).expect("config");
        Home(path)
    }

    fn env(&self, vars: &[(&str, String)]) -> Env {
        let mut pairs = vec![
            ("HOME".to_string(), self.0.display().to_string()),
            ("AWS_EC2_METADATA_DISABLED".to_string(), "true".to_string()),
        ];
        pairs.extend(vars.iter().map(|(k, v)| (k.to_string(), v.clone())));
        Env::from_pairs(pairs)
    }
}

impl Drop for Home {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// A config whose every call (STS's included) goes to moto, with the default chain over `env`.
fn config_for(moto: &MotoServer, env: Env) -> Config {
    let base = Config::builder().region("us-east-1").endpoint_url(moto.endpoint()).build();
    let chain = DefaultCredentialsChain::with_env_for(env, &base);
    base.to_builder().credentials_provider(chain).build()
}

/// Who moto's STS says the config's credentials belong to (GetCallerIdentity's `Arn`).
async fn caller_arn(moto: &MotoServer, config: &Config) -> String {
    let credentials = config.credentials_provider().provide_credentials().await.expect("credentials");
    let mut request = http::Request::builder()
        .method("POST")
        .uri(format!("{}/", moto.endpoint()))
        .header("host", format!("127.0.0.1:{}", moto.port()))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(bytes::Bytes::from_static(b"Action=GetCallerIdentity&Version=2011-06-15"))
        .expect("a request");
    sign_request(&mut request, &credentials, "us-east-1", "sts", SystemTime::now()).expect("signed");
    let http = HttpClient::new(HttpConfig::new()).expect("an HTTP client");
    let response = http.send(request, EndpointOrigin::UserSet).await.expect("GetCallerIdentity");
    let body = String::from_utf8_lossy(response.body()).into_owned();
    assert_eq!(response.status(), 200, "{body}");
    let start = body.find("<Arn>").expect("an Arn") + "<Arn>".len();
    body[start..start + body[start..].find("</Arn>").expect("</Arn>")].to_string()
}

/// A real SageMaker call with the config's (assumed) credentials.
async fn sagemaker_call(config: &Config) {
    let name =
        format!("creds-{}", SystemTime::now().duration_since(SystemTime::UNIX_EPOCH).map_or(0, |d| d.as_nanos()));
    let client = Client::new(config);
    client
        .create_model_package_group()
        .model_package_group_name(&name)
        .send()
        .await
        .unwrap_or_else(|e| panic!("CreateModelPackageGroup with assumed credentials: {e}"));
    let listed = client.list_model_package_groups().send().await.expect("ListModelPackageGroups");
    let names: Vec<_> = listed
        .model_package_group_summary_list
        .unwrap_or_default()
        .into_iter()
        .filter_map(|group| group.model_package_group_name)
        .collect();
    assert!(names.contains(&name), "{names:?}");
}

#[tokio::test(flavor = "current_thread")]
async fn assume_role_from_a_profile_with_source_profile() {
    let moto = MotoServer::start();
    let home = Home::with_config(&format!(
        "[profile base]\naws_access_key_id = AKIDBASEPROFILE\naws_secret_access_key = base-secret\n\
         [profile ml]\nrole_arn = arn:aws:iam::{ACCOUNT}:role/ml-training\nsource_profile = base\n\
         role_session_name = notebook\nduration_seconds = 1800\nexternal_id = ext-1\n"
    ));
    let config = config_for(&moto, home.env(&[("AWS_PROFILE", "ml".to_string())]));
    let credentials = config.credentials_provider().provide_credentials().await.expect("assumed credentials");
    assert!(credentials.access_key_id().starts_with("ASIA"), "{credentials:?}");
    assert!(credentials.session_token().is_some());
    let left = credentials.expiry().expect("an expiry").duration_since(SystemTime::now()).expect("in the future");
    assert!((1700..=1800).contains(&left.as_secs()), "duration_seconds honoured: {left:?}");
    assert_eq!(caller_arn(&moto, &config).await, format!("arn:aws:sts::{ACCOUNT}:assumed-role/ml-training/notebook"));
    sagemaker_call(&config).await;
}

#[tokio::test(flavor = "current_thread")]
async fn a_two_step_role_chain() {
    let moto = MotoServer::start();
    let home = Home::with_config(&format!(
        "[profile base]\naws_access_key_id = AKIDBASEPROFILE\naws_secret_access_key = base-secret\n\
         [profile hop]\nrole_arn = arn:aws:iam::{ACCOUNT}:role/hop\nsource_profile = base\nrole_session_name = first\n\
         [profile target]\nrole_arn = arn:aws:iam::{ACCOUNT}:role/target\nsource_profile = hop\nrole_session_name = second\n"
    ));
    let config = config_for(&moto, home.env(&[("AWS_PROFILE", "target".to_string())]));
    assert_eq!(caller_arn(&moto, &config).await, format!("arn:aws:sts::{ACCOUNT}:assumed-role/target/second"));
    sagemaker_call(&config).await;
}

#[tokio::test(flavor = "current_thread")]
async fn assume_role_with_web_identity_from_a_token_file() {
    let moto = MotoServer::start();
    let home = Home::with_config("");
    let token_file = home.0.join("web-identity-token");
    std::fs::write(&token_file, "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJwb2QifQ.c2lnbmF0dXJl\n").expect("token file");
    let config = config_for(
        &moto,
        home.env(&[
            ("AWS_WEB_IDENTITY_TOKEN_FILE", token_file.display().to_string()),
            ("AWS_ROLE_ARN", format!("arn:aws:iam::{ACCOUNT}:role/irsa")),
            ("AWS_ROLE_SESSION_NAME", "pod".to_string()),
        ]),
    );
    let credentials = config.credentials_provider().provide_credentials().await.expect("web identity credentials");
    assert!(credentials.access_key_id().starts_with("ASIA"), "{credentials:?}");
    assert_eq!(caller_arn(&moto, &config).await, format!("arn:aws:sts::{ACCOUNT}:assumed-role/irsa/pod"));
    sagemaker_call(&config).await;
}

#[tokio::test(flavor = "current_thread")]
async fn a_role_assumed_with_container_credentials_as_its_source() {
    use awsgen_tests::loopback::{Loopback, Reply};
    let moto = MotoServer::start();
    let agent = Loopback::start(vec![Reply::json(
        200,
        r#"{"AccessKeyId":"AKIDFROMCONTAINER","SecretAccessKey":"container-secret","Token":"container-token","Expiration":"2040-01-01T00:00:00Z"}"#,
    )]);
    let home = Home::with_config(&format!(
        "[profile task]\nrole_arn = arn:aws:iam::{ACCOUNT}:role/task-role\ncredential_source = EcsContainer\nrole_session_name = task\n"
    ));
    let config = config_for(
        &moto,
        home.env(&[
            ("AWS_PROFILE", "task".to_string()),
            ("AWS_CONTAINER_CREDENTIALS_FULL_URI", format!("{}/v2/credentials", agent.url())),
        ]),
    );
    assert_eq!(caller_arn(&moto, &config).await, format!("arn:aws:sts::{ACCOUNT}:assumed-role/task-role/task"));
    let requests = agent.requests();
    assert_eq!(requests.len(), 1, "the container endpoint gave the source credentials once");
    assert_eq!(requests[0].path, "/v2/credentials");
    sagemaker_call(&config).await;
}

#[tokio::test(flavor = "current_thread")]
async fn web_identity_from_a_profile() {
    let moto = MotoServer::start();
    let home = Home::with_config("");
    let token_file = home.0.join("token");
    std::fs::write(&token_file, "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJqb2IifQ.c2ln").expect("token file");
    std::fs::write(
        home.0.join(".aws/config"),
        format!(
            "[default]\nrole_arn = arn:aws:iam::{ACCOUNT}:role/from-profile\nweb_identity_token_file = {}\nrole_session_name = job\n",
            token_file.display()
        ),
    )
    .expect("config");
    let config = config_for(&moto, home.env(&[]));
    assert_eq!(caller_arn(&moto, &config).await, format!("arn:aws:sts::{ACCOUNT}:assumed-role/from-profile/job"));
    sagemaker_call(&config).await;
}
