//! The chain, the environment and profile sources, credential processes and the secrecy of
//! every message (the network sources are tested against loopback servers and moto in the
//! workspace's `tests/`).

use super::*;

const SECRET: &str = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
const TOKEN: &str = "SESSIONTOKENVALUE";

/// Writes `files` (relative path, contents) into a fresh directory used as `HOME`.
struct Home(std::path::PathBuf);

impl Home {
    fn with(files: &[(&str, &str)]) -> Self {
        let path =
            std::env::temp_dir().join(format!("awsgen-credentials-{}-{}", std::process::id(), fastrand::u64(..)));
        std::fs::create_dir_all(path.join(".aws")).expect("create temp home");
        for (relative, text) in files {
            std::fs::write(path.join(relative), text).expect("write temp file");
        }
        Self(path)
    }

    /// An environment with this home, the instance metadata service off (no test waits for
    /// 169.254.169.254), and `vars`.
    fn env(&self, vars: &[(&str, &str)]) -> Env {
        let mut pairs = vec![
            ("HOME".to_owned(), self.0.to_string_lossy().into_owned()),
            ("AWS_EC2_METADATA_DISABLED".to_owned(), "true".to_owned()),
        ];
        pairs.extend(vars.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())));
        Env::from_pairs(pairs)
    }

    /// Writes an executable script and returns its path.
    fn script(&self, name: &str, body: &str) -> String {
        let path = self.0.join(name);
        std::fs::write(&path, format!("#!/bin/sh\n{body}\n")).expect("write script");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o700)).expect("chmod");
        }
        path.to_string_lossy().into_owned()
    }
}

impl Drop for Home {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

async fn resolve(env: Env) -> Result<Credentials, ChainError> {
    DefaultCredentialsChain::with_env(env).resolve().await
}

async fn message(env: Env) -> String {
    match resolve(env).await {
        Ok(credentials) => panic!("expected an error, got {credentials:?}"),
        Err(error) => error.to_string(),
    }
}

#[tokio::test]
async fn environment_variables_come_first() {
    let home =
        Home::with(&[(".aws/credentials", "[default]\naws_access_key_id = FROMFILE\naws_secret_access_key = x\n")]);
    let credentials = resolve(home.env(&[
        ("AWS_ACCESS_KEY_ID", "AKIDENV"),
        ("AWS_SECRET_ACCESS_KEY", SECRET),
        ("AWS_SESSION_TOKEN", TOKEN),
    ]))
    .await
    .expect("credentials from the environment");
    assert_eq!(credentials.access_key_id(), "AKIDENV");
    assert_eq!(credentials.secret_access_key(), SECRET);
    assert_eq!(credentials.session_token(), Some(TOKEN));
}

#[tokio::test]
async fn half_set_environment_stops_the_chain_naming_the_missing_variable() {
    let home = Home::with(&[]);
    let text = message(home.env(&[("AWS_ACCESS_KEY_ID", "AKIDENV")])).await;
    assert_eq!(
        text,
        "the Environment credentials provider failed: the environment variable AWS_ACCESS_KEY_ID is set \
         but AWS_SECRET_ACCESS_KEY is not: set both, or neither to use the other sources"
    );
    let text = message(home.env(&[("AWS_SECRET_ACCESS_KEY", SECRET)])).await;
    assert!(text.contains("AWS_ACCESS_KEY_ID is not"), "{text}");
    assert!(!text.contains(SECRET), "{text}");
}

#[tokio::test]
async fn profile_from_aws_profile_is_used_when_environment_has_no_keys() {
    let home = Home::with(&[
        (".aws/credentials", "[dev]\naws_access_key_id = AKIDDEV\naws_secret_access_key = devsecret\n"),
        (".aws/config", "[profile dev]\naws_session_token = devtoken\n"),
    ]);
    let credentials = resolve(home.env(&[("AWS_PROFILE", "dev")])).await.expect("profile credentials");
    assert_eq!(credentials.access_key_id(), "AKIDDEV");
    assert_eq!(credentials.secret_access_key(), "devsecret");
    assert_eq!(credentials.session_token(), Some("devtoken"));
}

#[tokio::test]
async fn nothing_found_says_what_each_source_lacked() {
    let home = Home::with(&[(".aws/config", "[default]\nregion = us-east-1\n")]);
    let error = resolve(home.env(&[])).await.expect_err("nothing configured");
    assert!(error.is_not_found());
    let names: Vec<&str> = error.tried().iter().map(ProviderError::provider).collect();
    assert_eq!(names, ["Environment", "Profile", "WebIdentity", "Container", "Imds"]);
    let root = home.0.display();
    assert_eq!(
        error.to_string(),
        format!(
            "no AWS credentials found. Tried: Environment: AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not set; \
             Profile: profile `default` has no credentials (no aws_access_key_id, role_arn, sso_session, \
             sso_start_url or credential_process) in {root}/.aws/credentials (not found) and \
             {root}/.aws/config (has this profile); \
             WebIdentity: AWS_WEB_IDENTITY_TOKEN_FILE is not set; \
             Container: AWS_CONTAINER_CREDENTIALS_RELATIVE_URI and AWS_CONTAINER_CREDENTIALS_FULL_URI are not set; \
             Imds: disabled by AWS_EC2_METADATA_DISABLED"
        )
    );
}

#[tokio::test]
async fn a_profile_that_is_not_defined_is_not_configured() {
    let home = Home::with(&[]);
    let error = resolve(home.env(&[("AWS_PROFILE", "missing")])).await.expect_err("no such profile");
    assert!(error.is_not_found());
    assert!(error.to_string().contains("Profile: no profile `missing` in"), "{error}");
}

#[tokio::test]
async fn profile_with_one_key_only_is_an_error_without_the_secret() {
    let home = Home::with(&[(".aws/credentials", &format!("[default]\naws_secret_access_key = {SECRET}\n"))]);
    let text = message(home.env(&[])).await;
    assert!(
        text.starts_with(
            "the Profile credentials provider failed: profile `default` has aws_secret_access_key but no aws_access_key_id"
        ),
        "{text}"
    );
    assert!(text.contains("Tried before it: Environment: "), "{text}");
    assert!(!text.contains(SECRET), "{text}");
}

#[tokio::test]
async fn malformed_profile_file_is_reported() {
    let home = Home::with(&[(".aws/credentials", "[default]\nnot a property\n")]);
    let text = message(home.env(&[])).await;
    assert!(text.contains("credentials, line 2"), "{text}");
}

#[tokio::test]
async fn static_credentials_are_kept() {
    let home = Home::with(&[(".aws/credentials", "[default]\naws_access_key_id = FIRST\naws_secret_access_key = s\n")]);
    let chain = DefaultCredentialsChain::with_env(home.env(&[]));
    assert_eq!(chain.resolve().await.expect("first").access_key_id(), "FIRST");
    std::fs::write(
        home.0.join(".aws/credentials"),
        "[default]\naws_access_key_id = SECOND\naws_secret_access_key = s\n",
    )
    .expect("rewrite");
    assert_eq!(chain.resolve().await.expect("cached").access_key_id(), "FIRST");
}

#[tokio::test]
async fn credential_process_with_an_expiration() {
    let home = Home::with(&[]);
    let script = home.script(
        "creds.sh",
        &format!(
            r#"echo '{{"Version": 1, "AccessKeyId": "AKIDPROCESS", "SecretAccessKey": "{SECRET}", "SessionToken": "{TOKEN}", "Expiration": "2040-01-02T03:04:05Z"}}'"#
        ),
    );
    std::fs::write(home.0.join(".aws/config"), format!("[default]\ncredential_process = {script} --flag\n"))
        .expect("config");
    let credentials = resolve(home.env(&[])).await.expect("credentials from the process");
    assert_eq!(credentials.access_key_id(), "AKIDPROCESS");
    assert_eq!(credentials.session_token(), Some(TOKEN));
    let expiry = credentials.expiry().expect("an expiry");
    assert_eq!(expiry.duration_since(std::time::UNIX_EPOCH).expect("after the epoch").as_secs(), 2_209_086_245);
}

#[tokio::test]
async fn credential_process_failures_are_explained() {
    let home = Home::with(&[]);
    let failing = home.script("fail.sh", "echo 'token expired: run login' >&2\nexit 3");
    let error = ProcessProvider::new(&failing).credentials().await.expect_err("exit 3");
    assert!(error.is_configured());
    assert!(error.message().contains("token expired: run login"), "{error}");
    assert!(error.message().contains("exit status: 3"), "{error}");

    let not_json = home.script("notjson.sh", "echo 'AccessKeyId=AKID'");
    let error = ProcessProvider::new(&not_json).credentials().await.expect_err("not JSON");
    assert!(error.message().starts_with("the command's output is not JSON (line 1"), "{error}");

    let no_version =
        home.script("noversion.sh", &format!(r#"echo '{{"AccessKeyId": "AKID", "SecretAccessKey": "{SECRET}"}}'"#));
    let error = ProcessProvider::new(&no_version).credentials().await.expect_err("no Version");
    assert_eq!(error.message(), "the command's output has no `Version` (it must be 1)");

    let version_two = home.script("v2.sh", r#"echo '{"Version": 2, "AccessKeyId": "A", "SecretAccessKey": "S"}'"#);
    let error = ProcessProvider::new(&version_two).credentials().await.expect_err("Version 2");
    assert!(error.message().contains("other than 1"), "{error}");

    let no_secret = home.script("nosecret.sh", r#"echo '{"Version": 1, "AccessKeyId": "A"}'"#);
    let error = ProcessProvider::new(&no_secret).credentials().await.expect_err("no secret");
    assert_eq!(error.message(), "the credentials document has no `SecretAccessKey`");
    for text in [error.to_string(), format!("{:?}", ProcessProvider::new(format!("{failing} --password {SECRET}")))] {
        assert!(!text.contains(SECRET), "{text}");
    }
}

#[tokio::test]
async fn a_failing_credential_process_stops_the_chain_and_names_the_profile_source() {
    let home = Home::with(&[]);
    let failing = home.script("fail.sh", "echo 'no session' >&2\nexit 1");
    std::fs::write(
        home.0.join(".aws/config"),
        format!("[profile work]\ncredential_process = {failing} --secret {SECRET}\n"),
    )
    .expect("config");
    let text = message(home.env(&[("AWS_PROFILE", "work")])).await;
    assert!(
        text.starts_with("the Profile credentials provider failed: credential_process: the command failed"),
        "{text}"
    );
    assert!(text.contains("\"no session\""), "{text}");
    assert!(!text.contains(SECRET), "{text}");
}

#[tokio::test]
async fn role_profiles_that_cannot_work_are_refused_before_any_call() {
    let home = Home::with(&[(
        ".aws/config",
        "[profile loop-a]\nrole_arn = arn:aws:iam::1:role/a\nsource_profile = loop-b\n\
         [profile loop-b]\nrole_arn = arn:aws:iam::1:role/b\nsource_profile = loop-a\n\
         [profile dangling]\nrole_arn = arn:aws:iam::1:role/d\nsource_profile = nowhere\n\
         [profile both]\nrole_arn = arn:aws:iam::1:role/x\nsource_profile = loop-a\ncredential_source = Environment\n\
         [profile odd-source]\nrole_arn = arn:aws:iam::1:role/x\ncredential_source = Laptop\n\
         [profile no-source]\nrole_arn = arn:aws:iam::1:role/x\n\
         [profile bad-duration]\nrole_arn = arn:aws:iam::1:role/x\ncredential_source = Environment\nduration_seconds = 1h\n",
    )]);
    let cases = [
        ("loop-a", "the source_profile chain from `loop-a` loops back to `loop-a`"),
        ("dangling", "names source_profile `nowhere`, which is not defined"),
        ("both", "has both source_profile and credential_source"),
        ("odd-source", "credential_source \"Laptop\": expected Environment, Ec2InstanceMetadata or EcsContainer"),
        ("no-source", "has role_arn but neither source_profile, credential_source nor web_identity_token_file"),
        ("bad-duration", "duration_seconds \"1h\" is not a whole number of seconds"),
    ];
    for (profile, expected) in cases {
        let text = message(home.env(&[("AWS_PROFILE", profile)])).await;
        assert!(text.contains(expected), "{profile}: {text}");
    }
}

#[tokio::test]
async fn a_role_whose_source_fails_says_which_source() {
    let home = Home::with(&[(
        ".aws/config",
        "[profile role]\nrole_arn = arn:aws:iam::1:role/r\ncredential_source = Environment\n",
    )]);
    let text = message(home.env(&[("AWS_PROFILE", "role")])).await;
    assert!(
        text.starts_with(
            "the Profile credentials provider failed: credential_source Environment: \
             AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not set (Environment)"
        ),
        "{text}"
    );
}

#[tokio::test]
async fn web_identity_needs_a_role_and_a_readable_token_file() {
    let home = Home::with(&[]);
    let text = message(home.env(&[("AWS_WEB_IDENTITY_TOKEN_FILE", "/nonexistent/token")])).await;
    assert!(
        text.contains(
            "WebIdentity credentials provider failed: AWS_WEB_IDENTITY_TOKEN_FILE is set but AWS_ROLE_ARN is not"
        ),
        "{text}"
    );
    let text = message(
        home.env(&[("AWS_WEB_IDENTITY_TOKEN_FILE", "/nonexistent/token"), ("AWS_ROLE_ARN", "arn:aws:iam::1:role/r")]),
    )
    .await;
    assert!(text.contains("the web identity token file /nonexistent/token: "), "{text}");
}

#[tokio::test]
async fn debug_and_errors_never_show_secrets() {
    let home = Home::with(&[(".aws/config", &format!("[profile p]\naws_secret_access_key = {SECRET}\n"))]);
    std::fs::write(home.0.join("token"), TOKEN).expect("token file");
    let chain = DefaultCredentialsChain::with_env(home.env(&[
        ("AWS_ACCESS_KEY_ID", "AKIDENV"),
        ("AWS_SECRET_ACCESS_KEY", SECRET),
        ("AWS_SESSION_TOKEN", TOKEN),
    ]));
    let credentials = chain.resolve().await.expect("credentials");
    let provider = SharedCredentialsProvider::new(chain);
    let failing = DefaultCredentialsChain::with_env(home.env(&[("AWS_PROFILE", "p")]));
    let error = failing.resolve().await.expect_err("half a profile");
    let load_error = SharedCredentialsProvider::new(failing).credentials().await.expect_err("half a profile");
    for text in [
        format!("{credentials:?}"),
        format!("{provider:?}"),
        error.to_string(),
        format!("{error:?}"),
        load_error.to_string(),
        format!("{load_error:?}"),
    ] {
        assert!(!text.contains(SECRET), "{text}");
        assert!(!text.contains(TOKEN), "{text}");
    }
}

#[tokio::test]
async fn shared_provider_wraps_any_provider_and_reports_the_cause() {
    let fixed = SharedCredentialsProvider::new(Credentials::new("AKIDFIXED", SECRET, None, None, "test"));
    let credentials = fixed.credentials().await.expect("fixed credentials");
    assert_eq!(credentials.access_key_id(), "AKIDFIXED");

    let home = Home::with(&[]);
    let empty = SharedCredentialsProvider::new(DefaultCredentialsChain::with_env(home.env(&[])));
    let error = empty.credentials().await.expect_err("nothing configured");
    let text = error.to_string();
    assert!(
        text.starts_with("failed to load AWS credentials: the credential provider was not enabled: no AWS credentials found. Tried: Environment: "),
        "{text}"
    );
    assert!(matches!(error.into_inner(), CredentialsError::CredentialsNotLoaded(_)));
}

#[test]
fn credentials_documents_are_checked() {
    let ok = parse_credentials_document(
        "Test",
        r#"{"AccessKeyId":"A","SecretAccessKey":"S","Token":"T","Expiration":"2030-01-01T00:00:00Z","Code":"Success"}"#,
        "Token",
    )
    .expect("a document");
    assert_eq!((ok.access_key_id(), ok.session_token()), ("A", Some("T")));
    for (document, expected) in [
        ("[]", "the credentials document is not a JSON object"),
        (r#"{"AccessKeyId":1}"#, "`AccessKeyId` in the credentials document is not a string"),
        (
            r#"{"AccessKeyId":"A","SecretAccessKey":"S","Expiration":"tomorrow"}"#,
            "the expiration is not an RFC 3339 time",
        ),
        (r#"{"SecretAccessKey":"S"}"#, "the credentials document has no `AccessKeyId`"),
    ] {
        let error = parse_credentials_document("Test", document, "Token").expect_err(document);
        assert_eq!(error.message(), expected);
    }
}

mod properties {
    use super::super::process::parse_process_output;
    use super::parse_credentials_document;
    use proptest::prelude::*;

    fn config() -> ProptestConfig {
        let cases = std::env::var("PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(256);
        ProptestConfig { cases, failure_persistence: None, ..ProptestConfig::default() }
    }

    proptest! {
        #![proptest_config(config())]

        /// Any text, however malformed, gives credentials or an error; an error never
        /// quotes the text (it could hold a secret).
        #[test]
        fn documents_never_panic_or_echo(text in "\\PC{0,200}", secret in "[A-Za-z0-9/+]{24,40}") {
            let document = text.replace("SECRET", &secret);
            for result in [parse_credentials_document("Test", &document, "Token"), parse_process_output(&document)] {
                if let Err(error) = result {
                    prop_assert!(!error.to_string().contains(&secret));
                }
            }
        }

        /// Well-formed documents with any values give exactly those values.
        #[test]
        fn well_formed_documents_round_trip(key in "[A-Z0-9]{16,20}", secret in "[A-Za-z0-9/+]{40}", token in proptest::option::of("[A-Za-z0-9/+=]{20,60}")) {
            let token_member = token.as_ref().map(|t| format!(r#","SessionToken":"{t}""#)).unwrap_or_default();
            let document = format!(r#"{{"Version":1,"AccessKeyId":"{key}","SecretAccessKey":"{secret}"{token_member}}}"#);
            let credentials = parse_process_output(&document).expect("a well-formed document");
            prop_assert_eq!(credentials.access_key_id(), key.as_str());
            prop_assert_eq!(credentials.secret_access_key(), secret.as_str());
            prop_assert_eq!(credentials.session_token(), token.as_deref());
        }
    }
}
