//! The network credential sources that have no emulator here, against loopback servers that
//! answer as their documented wire formats say, with the faults they really show: the
//! instance metadata service (IMDSv2), the container endpoint and the SSO portal with SSO
//! OIDC. Profile files and token caches live in temporary directories reached through the
//! runtime's `Env`, never the real home directory.

use std::time::{Duration, Instant, SystemTime};

use awsgen_sagemaker::Config;
use awsgen_sagemaker::runtime::credentials::{
    ContainerProvider, ImdsClient, ImdsProvider, ProfileProvider, ProvideCredentials, ProviderError,
};
use awsgen_sagemaker::runtime::profile::Env;
use awsgen_tests::loopback::{Loopback, Reply, Response};

const SECRET: &str = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
const SESSION_TOKEN: &str = "IQoJb3JpZ2luX2VjEXAMPLESESSIONTOKEN";

fn text(status: u16, body: &str) -> Reply {
    Reply::Respond(Response::new(status).header("content-type", "text/plain").body(body.as_bytes().to_vec()))
}

fn credentials_document(key: &str) -> String {
    format!(
        r#"{{"Code":"Success","LastUpdated":"2026-01-01T00:00:00Z","Type":"AWS-HMAC","AccessKeyId":"{key}","SecretAccessKey":"{SECRET}","Token":"{SESSION_TOKEN}","Expiration":"2040-01-01T00:00:00Z"}}"#
    )
}

fn error_of(
    result: Result<impl std::fmt::Debug, awsgen_sagemaker::runtime::credentials::CredentialsError>,
) -> ProviderError {
    let error = result.expect_err("expected a failure");
    ProviderError::from_credentials_error("Test", &error)
}

/// A temporary directory, removed on drop.
struct TempDir(std::path::PathBuf);

impl TempDir {
    fn new() -> Self {
        let path =
            std::env::temp_dir().join(format!("awsgen-creds-loopback-{}-{}", std::process::id(), fastrand_u64()));
        std::fs::create_dir_all(&path).expect("temp dir");
        TempDir(path)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn fastrand_u64() -> u64 {
    SystemTime::now().duration_since(SystemTime::UNIX_EPOCH).map_or(0, |d| d.as_nanos() as u64)
}

#[tokio::test(flavor = "current_thread")]
async fn imds_gives_the_role_credentials_and_replaces_an_expired_token() {
    let server = Loopback::start(vec![
        text(200, "token-1"),
        text(200, "sagemaker-role\n"),
        Reply::json(200, &credentials_document("ASIAFIRST")),
        // The next call: the cached token has expired on the service's side.
        text(401, ""),
        text(200, "token-2"),
        text(200, "sagemaker-role"),
        Reply::json(200, &credentials_document("ASIASECOND")),
    ]);
    let provider = ImdsProvider::with_client(ImdsClient::with_endpoint(server.url()));
    let first = provider.provide_credentials().await.expect("credentials");
    assert_eq!((first.access_key_id(), first.session_token()), ("ASIAFIRST", Some(SESSION_TOKEN)));
    assert!(first.expiry().is_some());
    let second = provider.provide_credentials().await.expect("credentials after a new token");
    assert_eq!(second.access_key_id(), "ASIASECOND");

    let requests = server.requests();
    let summary: Vec<(&str, &str, Option<&str>)> =
        requests.iter().map(|r| (r.method.as_str(), r.path.as_str(), r.header("x-aws-ec2-metadata-token"))).collect();
    assert_eq!(
        summary,
        [
            ("PUT", "/latest/api/token", None),
            ("GET", "/latest/meta-data/iam/security-credentials/", Some("token-1")),
            ("GET", "/latest/meta-data/iam/security-credentials/sagemaker-role", Some("token-1")),
            ("GET", "/latest/meta-data/iam/security-credentials/", Some("token-1")),
            ("PUT", "/latest/api/token", None),
            ("GET", "/latest/meta-data/iam/security-credentials/", Some("token-2")),
            ("GET", "/latest/meta-data/iam/security-credentials/sagemaker-role", Some("token-2")),
        ]
    );
    assert_eq!(requests[0].header("x-aws-ec2-metadata-token-ttl-seconds"), Some("21600"));
}

#[tokio::test(flavor = "current_thread")]
async fn imds_slower_than_its_timeout_is_retried_once_then_not_configured() {
    let server = Loopback::start_with_deadline(
        vec![
            Reply::delayed(Duration::from_secs(3), text(200, "late")),
            Reply::delayed(Duration::from_secs(3), text(200, "late")),
        ],
        Duration::from_secs(8),
    );
    let provider = ImdsProvider::with_client(ImdsClient::with_endpoint(server.url()));
    let started = Instant::now();
    let error = error_of(provider.provide_credentials().await);
    let took = started.elapsed();
    assert!(!error.is_configured(), "{error}");
    assert!(error.message().starts_with(&format!("no instance metadata service at {}", server.url())), "{error}");
    assert!(took >= Duration::from_secs(2) && took < Duration::from_secs(3), "two 1 s attempts, took {took:?}");
    assert_eq!(server.requests().len(), 2, "one retry");
}

#[tokio::test(flavor = "current_thread")]
async fn imds_malformed_documents_and_missing_roles() {
    let server = Loopback::start(vec![
        text(200, "token"),
        text(200, "role"),
        Reply::json(200, r#"{"Code":"Success","AccessKeyId":"ASIA"#),
        text(404, ""),
        text(200, "role"),
        Reply::json(200, r#"{"Code":"AssumeRoleUnauthorizedAccess","Message":"no"}"#),
    ]);
    let provider = ImdsProvider::with_client(ImdsClient::with_endpoint(server.url()));
    let error = error_of(provider.provide_credentials().await);
    assert!(error.is_configured());
    assert!(error.message().starts_with("the credentials document is not JSON (line 1, column"), "{error}");
    let error = error_of(provider.provide_credentials().await);
    assert!(!error.is_configured(), "{error}");
    assert_eq!(error.message(), "the instance has no IAM role (instance profile)");
    let error = error_of(provider.provide_credentials().await);
    assert_eq!(error.message(), "the credentials of role `role` are not ready: AssumeRoleUnauthorizedAccess");
}

#[tokio::test(flavor = "current_thread")]
async fn imds_region_and_the_settings_that_choose_the_endpoint() {
    let server = Loopback::start(vec![text(200, "token"), text(200, "eu-west-3")]);
    assert_eq!(ImdsClient::with_endpoint(server.url()).region().await.expect("a region"), "eu-west-3");
    assert_eq!(server.requests()[1].path, "/latest/meta-data/placement/region");

    let home = TempDir::new();
    std::fs::create_dir_all(home.0.join(".aws")).expect("dir");
    std::fs::write(home.0.join(".aws/config"), "[default]\nec2_metadata_service_endpoint_mode = IPv6\n")
        .expect("config");
    let env = |vars: &[(&str, &str)]| {
        let mut pairs = vec![("HOME".to_string(), home.0.display().to_string())];
        pairs.extend(vars.iter().map(|(k, v)| (k.to_string(), v.to_string())));
        Env::from_pairs(pairs)
    };
    assert!(format!("{:?}", ImdsClient::with_env(env(&[]))).contains("http://[fd00:ec2::254]"));
    let ipv4 = ImdsClient::with_env(env(&[("AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE", "IPv4")]));
    assert!(format!("{ipv4:?}").contains("http://169.254.169.254"));
    let explicit = ImdsClient::with_env(env(&[("AWS_EC2_METADATA_SERVICE_ENDPOINT", "http://[::1]:1234/")]));
    assert!(format!("{explicit:?}").contains("\"http://[::1]:1234\""));
    let disabled = ImdsProvider::with_env(env(&[("AWS_EC2_METADATA_DISABLED", "TRUE")]));
    let error = error_of(disabled.provide_credentials().await);
    assert_eq!((error.is_configured(), error.message()), (false, "disabled by AWS_EC2_METADATA_DISABLED"));
    let bad_mode = ImdsProvider::with_env(env(&[("AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE", "IPv5")]));
    let error = error_of(bad_mode.provide_credentials().await);
    assert!(error.message().contains("\"IPv5\""), "{error}");
}

#[tokio::test(flavor = "current_thread")]
async fn container_endpoint_retries_a_server_error_and_rereads_the_token_file() {
    let server = Loopback::start(vec![
        Reply::error(500, "InternalError", "agent starting"),
        Reply::json(200, &credentials_document("ASIACONTAINER")),
        Reply::json(200, &credentials_document("ASIAROTATED")),
    ]);
    let dir = TempDir::new();
    let token_file = dir.0.join("token");
    std::fs::write(&token_file, "first-token\n").expect("token");
    let env = Env::from_pairs([
        ("AWS_CONTAINER_CREDENTIALS_FULL_URI", format!("{}/v1/credentials", server.url())),
        ("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE", token_file.display().to_string()),
        ("AWS_CONTAINER_AUTHORIZATION_TOKEN", "ignored-when-the-file-is-set".to_string()),
    ]);
    let provider = ContainerProvider::with_env(env);
    let credentials = provider.provide_credentials().await.expect("credentials after a 500");
    assert_eq!(credentials.access_key_id(), "ASIACONTAINER");
    std::fs::write(&token_file, "rotated-token").expect("rotate");
    assert_eq!(provider.provide_credentials().await.expect("again").access_key_id(), "ASIAROTATED");
    let requests = server.requests();
    let seen: Vec<(&str, Option<&str>)> =
        requests.iter().map(|r| (r.path.as_str(), r.header("authorization"))).collect();
    assert_eq!(
        seen,
        [
            ("/v1/credentials", Some("first-token")),
            ("/v1/credentials", Some("first-token")),
            ("/v1/credentials", Some("rotated-token")),
        ]
    );
}

#[tokio::test(flavor = "current_thread")]
async fn container_endpoint_token_from_the_environment_and_forbidden_hosts() {
    let server = Loopback::start(vec![Reply::json(200, &credentials_document("ASIAENVTOKEN"))]);
    let provider = ContainerProvider::with_env(Env::from_pairs([
        ("AWS_CONTAINER_CREDENTIALS_FULL_URI", format!("{}/creds", server.url())),
        ("AWS_CONTAINER_AUTHORIZATION_TOKEN", "Basic abc".to_string()),
    ]));
    assert_eq!(provider.provide_credentials().await.expect("credentials").access_key_id(), "ASIAENVTOKEN");
    assert_eq!(server.requests()[0].header("authorization"), Some("Basic abc"));

    for uri in ["http://169.254.169.254/creds", "http://example.com/creds", "ftp://127.0.0.1/creds"] {
        let provider = ContainerProvider::with_env(Env::from_pairs([("AWS_CONTAINER_CREDENTIALS_FULL_URI", uri)]));
        let error = error_of(provider.provide_credentials().await);
        assert!(error.is_configured(), "{uri}: {error}");
        assert!(error.message().contains("AWS_CONTAINER_CREDENTIALS_FULL_URI"), "{uri}: {error}");
    }
    let provider = ContainerProvider::with_env(Env::from_pairs([
        ("AWS_CONTAINER_CREDENTIALS_FULL_URI", format!("{}/creds", server.url())),
        ("AWS_CONTAINER_AUTHORIZATION_TOKEN", "a\r\nX-Injected: 1".to_string()),
    ]));
    let error = error_of(provider.provide_credentials().await);
    assert_eq!(error.message(), "the authorization token has a line break");
}

/// An SSO profile in a temporary home, its token cache, and a config whose endpoint is the
/// loopback portal.
struct SsoSetup {
    home: TempDir,
}

impl SsoSetup {
    fn new(cache: &str) -> Self {
        let home = TempDir::new();
        std::fs::create_dir_all(home.0.join(".aws/sso/cache")).expect("dirs");
        std::fs::write(
            home.0.join(".aws/config"),
            "[profile dev]\nsso_session = corp\nsso_account_id = 111122223333\nsso_role_name = ReadOnly\n\
             [sso-session corp]\nsso_start_url = https://corp.awsapps.com/start\nsso_region = eu-central-1\n",
        )
        .expect("config");
        let setup = SsoSetup { home };
        std::fs::write(setup.real_cache_file(), cache).expect("cache");
        setup
    }

    /// The cache file: the SHA-1 of the session name `corp` (`printf corp | sha1sum`).
    fn real_cache_file(&self) -> std::path::PathBuf {
        self.home.0.join(".aws/sso/cache/ee0bfd2552fbd840c02cc48b6e823320543c450f.json")
    }

    fn provider(&self, server: &Loopback) -> ProfileProvider {
        let env = Env::from_pairs([
            ("HOME", self.home.0.display().to_string()),
            ("AWS_EC2_METADATA_DISABLED", "true".into()),
        ]);
        let config = Config::builder().region("us-east-1").endpoint_url(server.url()).build();
        ProfileProvider::with_env(env, Some("dev".into()), &config)
    }
}

fn rfc3339(time: SystemTime) -> String {
    aws_smithy_types::DateTime::from(time).fmt(aws_smithy_types::date_time::Format::DateTime).expect("a time")
}

const ROLE_CREDENTIALS: &str = r#"{"roleCredentials":{"accessKeyId":"ASIASSO","secretAccessKey":"wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY","sessionToken":"IQoJb3JpZ2luX2VjEXAMPLESESSIONTOKEN","expiration":2208988800000}}"#;

#[tokio::test(flavor = "current_thread")]
async fn sso_profile_uses_the_cached_token_at_the_portal() {
    let expires = rfc3339(SystemTime::now() + Duration::from_secs(3600));
    let setup = SsoSetup::new(&format!(
        r#"{{"accessToken":"portal-token","expiresAt":"{expires}","region":"eu-central-1","startUrl":"https://corp.awsapps.com/start"}}"#
    ));
    let server = Loopback::start(vec![Reply::json(200, ROLE_CREDENTIALS)]);
    let credentials = setup.provider(&server).provide_credentials().await.expect("SSO credentials");
    assert_eq!((credentials.access_key_id(), credentials.session_token()), ("ASIASSO", Some(SESSION_TOKEN)));
    assert_eq!(credentials.expiry(), Some(SystemTime::UNIX_EPOCH + Duration::from_secs(2_208_988_800)));
    let request = &server.requests()[0];
    assert_eq!(request.method, "GET");
    assert_eq!(request.path, "/federation/credentials?role_name=ReadOnly&account_id=111122223333");
    assert_eq!(request.header("x-amz-sso_bearer_token"), Some("portal-token"));
    assert_eq!(request.header("authorization"), None, "the portal call is unsigned");
}

#[tokio::test(flavor = "current_thread")]
async fn sso_token_about_to_expire_is_refreshed_with_sso_oidc_and_written_back() {
    let expires = rfc3339(SystemTime::now() + Duration::from_secs(60));
    let registration = rfc3339(SystemTime::now() + Duration::from_secs(86_400));
    let setup = SsoSetup::new(&format!(
        r#"{{"accessToken":"old-token","expiresAt":"{expires}","refreshToken":"refresh-1","clientId":"client","clientSecret":"client-secret","registrationExpiresAt":"{registration}","region":"eu-central-1","startUrl":"https://corp.awsapps.com/start"}}"#
    ));
    let server = Loopback::start(vec![
        Reply::json(
            200,
            r#"{"accessToken":"new-token","tokenType":"Bearer","expiresIn":28800,"refreshToken":"refresh-2"}"#,
        ),
        Reply::json(200, ROLE_CREDENTIALS),
    ]);
    let credentials = setup.provider(&server).provide_credentials().await.expect("SSO credentials");
    assert_eq!(credentials.access_key_id(), "ASIASSO");
    let requests = server.requests();
    assert_eq!((requests[0].method.as_str(), requests[0].path.as_str()), ("POST", "/token"));
    let body: serde_json::Value = serde_json::from_slice(&requests[0].body).expect("a JSON body");
    assert_eq!(
        body,
        serde_json::json!({"clientId":"client","clientSecret":"client-secret","grantType":"refresh_token","refreshToken":"refresh-1"})
    );
    assert_eq!(requests[1].header("x-amz-sso_bearer_token"), Some("new-token"));
    let cache: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(setup.real_cache_file()).expect("cache")).expect("JSON");
    assert_eq!((cache["accessToken"].as_str(), cache["refreshToken"].as_str()), (Some("new-token"), Some("refresh-2")));
    assert_eq!(cache["clientSecret"].as_str(), Some("client-secret"), "other fields are kept");
}

#[tokio::test(flavor = "current_thread")]
async fn sso_token_past_its_expiry_without_a_refresh_token_asks_for_a_login() {
    let expired = rfc3339(SystemTime::now() - Duration::from_secs(60));
    let setup = SsoSetup::new(&format!(r#"{{"accessToken":"stale-token","expiresAt":"{expired}"}}"#));
    let server = Loopback::start(vec![]);
    let error = error_of(setup.provider(&server).provide_credentials().await);
    assert!(error.message().starts_with("SSO: the SSO token in "), "{error}");
    assert!(error.message().contains("has expired: sign in again with `aws sso login`"), "{error}");
    assert!(!error.to_string().contains("stale-token"), "{error}");
    assert!(server.requests().is_empty());
}

#[tokio::test(flavor = "current_thread")]
async fn an_unreadable_portal_answer_is_not_quoted_in_the_error() {
    let expires = rfc3339(SystemTime::now() + Duration::from_secs(3600));
    let setup = SsoSetup::new(&format!(r#"{{"accessToken":"portal-token","expiresAt":"{expires}"}}"#));
    let body =
        format!(r#"{{"roleCredentials":{{"accessKeyId":"ASIA","secretAccessKey":"{SECRET}","expiration":"soon"}}}}"#);
    let server = Loopback::start(vec![Reply::json(200, &body)]);
    let error = error_of(setup.provider(&server).provide_credentials().await);
    assert!(error.message().contains("unreadable response (HTTP status 200)"), "{error}");
    assert!(!error.to_string().contains(SECRET), "{error}");
    assert!(!format!("{error:?}").contains(SECRET), "{error:?}");
}

#[tokio::test(flavor = "current_thread")]
async fn a_legacy_sso_profile_finds_its_token_by_the_start_url() {
    let home = TempDir::new();
    std::fs::create_dir_all(home.0.join(".aws/sso/cache")).expect("dirs");
    std::fs::write(
        home.0.join(".aws/config"),
        "[default]\nsso_start_url = https://legacy.awsapps.com/start\nsso_region = us-west-2\nsso_account_id = 444455556666\nsso_role_name = Admin\n",
    )
    .expect("config");
    let expires = rfc3339(SystemTime::now() + Duration::from_secs(3600));
    // The SHA-1 of the start URL (`printf https://legacy.awsapps.com/start | sha1sum`).
    std::fs::write(
        home.0.join(".aws/sso/cache/79e435d7a515078e81c9dffc35f38d5687ebd3a7.json"),
        format!(r#"{{"accessToken":"legacy-token","expiresAt":"{expires}"}}"#),
    )
    .expect("cache");
    let server = Loopback::start(vec![Reply::json(200, ROLE_CREDENTIALS)]);
    let env = Env::from_pairs([("HOME", home.0.display().to_string())]);
    let config = Config::builder().region("eu-west-1").endpoint_url(server.url()).build();
    let credentials = ProfileProvider::with_env(env, None, &config).provide_credentials().await.expect("credentials");
    assert_eq!(credentials.access_key_id(), "ASIASSO");
    let request = &server.requests()[0];
    assert_eq!(request.path, "/federation/credentials?role_name=Admin&account_id=444455556666");
    assert_eq!(request.header("x-amz-sso_bearer_token"), Some("legacy-token"));
}
