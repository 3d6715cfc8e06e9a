//! AWS credentials: where a client gets them, and the default chain that finds them.
//!
//! A client holds a [`SharedCredentialsProvider`]. By default it wraps a
//! [`DefaultCredentialsChain`], which looks in two places, in order:
//!
//! 1. the environment: `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY` and, optionally,
//!    `AWS_SESSION_TOKEN` and `AWS_ACCOUNT_ID`;
//! 2. the shared files, for the profile named by `AWS_PROFILE` (see [`super::profile`]):
//!    `aws_access_key_id`, `aws_secret_access_key` and, optionally, `aws_session_token` and
//!    `aws_account_id`.
//!
//! That covers static keys only. SSO, assume-role, web identity (EKS), credential processes,
//! container (ECS) and instance (EC2) credentials come from the `aws-config` crate: build its
//! default chain and hand it in with [`SharedCredentialsProvider::new`]. When a profile or the
//! environment asks for one of those, the chain says so instead of guessing.
//!
//! Secrets stay secret: `Debug` of [`Credentials`] redacts the secret key, and no error or log
//! line here includes the secret key or the session token.

use std::error::Error;
use std::fmt;
use std::sync::{Arc, OnceLock};

pub use aws_credential_types::Credentials;
pub use aws_credential_types::provider::ProvideCredentials;
pub use aws_credential_types::provider::error::CredentialsError;

/// The future a [`ProvideCredentials`] implementation returns.
pub use aws_credential_types::provider::future;

use super::profile::{Env, Profile, ProfileError, SourceFile};

/// The name the environment source gives the credentials it returns.
const ENVIRONMENT_PROVIDER: &str = "Environment";
/// The name the profile source gives the credentials it returns.
const PROFILE_PROVIDER: &str = "Profile";

/// Profile properties that select a credential source this runtime does not implement.
const UNSUPPORTED_PROFILE_KEYS: &[&str] = &[
    "role_arn",
    "credential_source",
    "source_profile",
    "web_identity_token_file",
    "credential_process",
    "sso_session",
    "sso_start_url",
    "sso_account_id",
    "sso_role_name",
    "login_session",
];

/// Environment variables that select a credential source this runtime does not implement,
/// with what they are for.
const UNSUPPORTED_ENV_VARS: &[(&str, &str)] = &[
    ("AWS_WEB_IDENTITY_TOKEN_FILE", "web identity, as on EKS"),
    ("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "container credentials, as on ECS"),
    ("AWS_CONTAINER_CREDENTIALS_FULL_URI", "container credentials, as on ECS"),
];

/// The advice that ends every "not supported" and "not found" message.
const USE_AWS_CONFIG: &str = "for SSO, assume-role, web identity, credential processes, \
    container or instance credentials, build a provider with the `aws-config` crate \
    (e.g. its default chain) and hand it to the client's config";

/// A cheaply cloneable handle on any credentials provider.
///
/// Wraps anything that implements [`ProvideCredentials`]: a [`DefaultCredentialsChain`], fixed
/// [`Credentials`], or a provider from `aws-config` (its `SharedCredentialsProvider` and default
/// chain implement the same trait).
#[derive(Clone)]
pub struct SharedCredentialsProvider {
    inner: Arc<dyn ProvideCredentials>,
}

impl SharedCredentialsProvider {
    /// Wraps `provider`.
    pub fn new(provider: impl ProvideCredentials + 'static) -> Self {
        Self { inner: Arc::new(provider) }
    }

    /// Asks the provider for credentials.
    pub async fn credentials(&self) -> Result<Credentials, CredentialsLoadError> {
        self.inner.provide_credentials().await.map_err(CredentialsLoadError)
    }
}

impl Default for SharedCredentialsProvider {
    /// The [`DefaultCredentialsChain`] over the process environment.
    fn default() -> Self {
        Self::new(DefaultCredentialsChain::new())
    }
}

impl fmt::Debug for SharedCredentialsProvider {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("SharedCredentialsProvider").field(&self.inner).finish()
    }
}

impl ProvideCredentials for SharedCredentialsProvider {
    fn provide_credentials<'a>(&'a self) -> future::ProvideCredentials<'a>
    where
        Self: 'a,
    {
        self.inner.provide_credentials()
    }
}

/// A provider failed: wraps its [`CredentialsError`], and shows the whole chain of causes in
/// `Display` (a bare `CredentialsError` says only "the credential provider was not enabled").
#[derive(Debug)]
pub struct CredentialsLoadError(CredentialsError);

impl CredentialsLoadError {
    /// The provider's error.
    pub fn into_inner(self) -> CredentialsError {
        self.0
    }
}

impl fmt::Display for CredentialsLoadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "failed to load AWS credentials: {}", self.0)?;
        let mut cause = self.0.source();
        while let Some(error) = cause {
            write!(f, ": {error}")?;
            cause = error.source();
        }
        Ok(())
    }
}

impl Error for CredentialsLoadError {
    fn source(&self) -> Option<&(dyn Error + 'static)> {
        Some(&self.0)
    }
}

/// Static credentials from the environment, then from the selected profile.
///
/// The first credentials found are kept for the life of the chain (static keys do not expire);
/// failures are not kept, so a fixed environment or file is picked up on the next call.
pub struct DefaultCredentialsChain {
    env: Env,
    found: OnceLock<Credentials>,
}

impl DefaultCredentialsChain {
    /// The chain over the process environment.
    pub fn new() -> Self {
        Self::with_env(Env::process())
    }

    /// The chain over `env` (for tests, or to resolve for another environment).
    pub fn with_env(env: Env) -> Self {
        Self { env, found: OnceLock::new() }
    }

    /// Finds credentials now, without a runtime.
    pub fn resolve(&self) -> Result<Credentials, CredentialsChainError> {
        if let Some(credentials) = self.found.get() {
            return Ok(credentials.clone());
        }
        let credentials = self.resolve_uncached()?;
        Ok(self.found.get_or_init(|| credentials).clone())
    }

    fn resolve_uncached(&self) -> Result<Credentials, CredentialsChainError> {
        if let Some(credentials) = from_environment(&self.env)? {
            return Ok(credentials);
        }
        let profile =
            Profile::load(&self.env).map_err(|error| CredentialsChainError { kind: ChainErrorKind::Profile(error) })?;
        if let Some(credentials) = from_profile(&profile)? {
            return Ok(credentials);
        }
        Err(CredentialsChainError {
            kind: ChainErrorKind::NotFound {
                profile: profile.name().to_owned(),
                sources: profile.sources().to_vec(),
                unsupported_env: UNSUPPORTED_ENV_VARS
                    .iter()
                    .filter(|(name, _)| self.env.is_set(name))
                    .copied()
                    .collect(),
            },
        })
    }
}

impl Default for DefaultCredentialsChain {
    fn default() -> Self {
        Self::new()
    }
}

impl fmt::Debug for DefaultCredentialsChain {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DefaultCredentialsChain").field("env", &self.env).field("found", &self.found.get()).finish()
    }
}

impl ProvideCredentials for DefaultCredentialsChain {
    fn provide_credentials<'a>(&'a self) -> future::ProvideCredentials<'a>
    where
        Self: 'a,
    {
        future::ProvideCredentials::ready(self.resolve().map_err(CredentialsChainError::into_provider_error))
    }
}

/// `AWS_ACCESS_KEY_ID` + `AWS_SECRET_ACCESS_KEY` (+ `AWS_SESSION_TOKEN`); `None` when neither
/// key variable is set; an error when only one is.
fn from_environment(env: &Env) -> Result<Option<Credentials>, CredentialsChainError> {
    let access_key = env.get("AWS_ACCESS_KEY_ID");
    let secret_key = env.get("AWS_SECRET_ACCESS_KEY");
    match (access_key, secret_key) {
        (None, None) => Ok(None),
        (Some(access_key), Some(secret_key)) => Ok(Some(keys(
            access_key.trim(),
            secret_key.trim(),
            env.get("AWS_SESSION_TOKEN").map(|token| token.trim().to_owned()),
            env.get("AWS_ACCOUNT_ID").map(|id| id.trim().to_owned()),
            ENVIRONMENT_PROVIDER,
        ))),
        (Some(_), None) => {
            Err(CredentialsChainError::partial_environment("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"))
        }
        (None, Some(_)) => {
            Err(CredentialsChainError::partial_environment("AWS_SECRET_ACCESS_KEY", "AWS_ACCESS_KEY_ID"))
        }
    }
}

/// Static keys, with the account they belong to when the environment or profile says it
/// (`AWS_ACCOUNT_ID`, `aws_account_id`): account-based endpoints (DynamoDB's) are built from it.
fn keys(
    access_key: &str,
    secret_key: &str,
    session_token: Option<String>,
    account_id: Option<String>,
    provider: &'static str,
) -> Credentials {
    let mut builder =
        Credentials::builder().access_key_id(access_key).secret_access_key(secret_key).provider_name(provider);
    builder.set_session_token(session_token);
    builder.set_account_id(account_id.filter(|id| !id.is_empty()).map(Into::into));
    builder.build()
}

/// Static keys from the profile; `None` when the profile has neither key; an error when it has
/// one key only or names a credential source this runtime does not implement.
fn from_profile(profile: &Profile) -> Result<Option<Credentials>, CredentialsChainError> {
    let unsupported: Vec<String> =
        UNSUPPORTED_PROFILE_KEYS.iter().filter(|key| profile.get(key).is_some()).map(|key| (*key).to_owned()).collect();
    if !unsupported.is_empty() {
        // Even with static keys present, the AWS SDKs would use the other source (or combine
        // the two, as assume-role does): using the keys alone would pick the wrong identity.
        return Err(CredentialsChainError {
            kind: ChainErrorKind::UnsupportedProfile { profile: profile.name().to_owned(), keys: unsupported },
        });
    }
    match (profile.aws_access_key_id(), profile.aws_secret_access_key()) {
        (None, None) => Ok(None),
        (Some(access_key), Some(secret_key)) => Ok(Some(keys(
            access_key,
            secret_key,
            profile.aws_session_token().map(str::to_owned),
            profile.get("aws_account_id").map(str::to_owned),
            PROFILE_PROVIDER,
        ))),
        (Some(_), None) => {
            Err(CredentialsChainError::partial_profile(profile, "aws_access_key_id", "aws_secret_access_key"))
        }
        (None, Some(_)) => {
            Err(CredentialsChainError::partial_profile(profile, "aws_secret_access_key", "aws_access_key_id"))
        }
    }
}

/// Why the [`DefaultCredentialsChain`] found no credentials. The message says what was tried
/// and what to do; it never contains a secret.
#[derive(Debug)]
pub struct CredentialsChainError {
    kind: ChainErrorKind,
}

#[derive(Debug)]
enum ChainErrorKind {
    NotFound { profile: String, sources: Vec<SourceFile>, unsupported_env: Vec<(&'static str, &'static str)> },
    PartialEnvironment { present: &'static str, missing: &'static str },
    PartialProfile { profile: String, present: &'static str, missing: &'static str, sources: Vec<SourceFile> },
    UnsupportedProfile { profile: String, keys: Vec<String> },
    Profile(ProfileError),
}

impl CredentialsChainError {
    fn partial_environment(present: &'static str, missing: &'static str) -> Self {
        Self { kind: ChainErrorKind::PartialEnvironment { present, missing } }
    }

    fn partial_profile(profile: &Profile, present: &'static str, missing: &'static str) -> Self {
        Self {
            kind: ChainErrorKind::PartialProfile {
                profile: profile.name().to_owned(),
                present,
                missing,
                sources: profile.sources().to_vec(),
            },
        }
    }

    /// Whether nothing was configured at all (as opposed to a broken or unsupported setup).
    pub fn is_not_found(&self) -> bool {
        matches!(self.kind, ChainErrorKind::NotFound { .. })
    }

    /// Whether the profile names a credential source this runtime does not implement.
    pub fn is_unsupported(&self) -> bool {
        matches!(self.kind, ChainErrorKind::UnsupportedProfile { .. })
    }

    /// The [`CredentialsError`] the provider trait carries, with this error as its source.
    fn into_provider_error(self) -> CredentialsError {
        if self.is_not_found() {
            CredentialsError::not_loaded(self)
        } else {
            CredentialsError::invalid_configuration(self)
        }
    }
}

impl fmt::Display for CredentialsChainError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.kind {
            ChainErrorKind::NotFound { profile, sources, unsupported_env } => {
                write!(
                    f,
                    "no AWS credentials found. Tried: the environment variables \
                     AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (not set); \
                     profile `{profile}` in "
                )?;
                write_sources(f, sources)?;
                for (name, purpose) in unsupported_env {
                    write!(f, ". {name} is set ({purpose}), which this client does not support")?;
                }
                write!(
                    f,
                    ". Set the environment variables, or add aws_access_key_id and \
                     aws_secret_access_key to the profile; {USE_AWS_CONFIG}"
                )
            }
            ChainErrorKind::PartialEnvironment { present, missing } => write!(
                f,
                "the environment variable {present} is set but {missing} is not: \
                 set both, or neither to use the shared config files"
            ),
            ChainErrorKind::PartialProfile { profile, present, missing, sources } => {
                write!(f, "profile `{profile}` has {present} but no {missing} (files: ")?;
                write_sources(f, sources)?;
                f.write_str(")")
            }
            ChainErrorKind::UnsupportedProfile { profile, keys } => write!(
                f,
                "profile `{profile}` gets its credentials through {}, which this client \
                 does not support; {USE_AWS_CONFIG}",
                keys.join(", ")
            ),
            ChainErrorKind::Profile(error) => {
                write!(f, "could not read the AWS shared config files: {error}")
            }
        }
    }
}

fn write_sources(f: &mut fmt::Formatter<'_>, sources: &[SourceFile]) -> fmt::Result {
    for (index, source) in sources.iter().enumerate() {
        if index > 0 {
            f.write_str(" and ")?;
        }
        write!(f, "{source}")?;
    }
    Ok(())
}

impl Error for CredentialsChainError {
    fn source(&self) -> Option<&(dyn Error + 'static)> {
        match &self.kind {
            ChainErrorKind::Profile(error) => Some(error),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SECRET: &str = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
    const TOKEN: &str = "SESSIONTOKENVALUE";

    /// An environment whose shared files are absent unless a test writes them.
    fn env(vars: &[(&str, &str)]) -> Env {
        let mut pairs: Vec<(String, String)> = vec![("HOME".into(), "/nonexistent-home-for-tests".into())];
        pairs.extend(vars.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())));
        Env::from_pairs(pairs)
    }

    fn resolve(env: Env) -> Result<Credentials, CredentialsChainError> {
        DefaultCredentialsChain::with_env(env).resolve()
    }

    fn message(result: Result<Credentials, CredentialsChainError>) -> String {
        match result {
            Ok(credentials) => panic!("expected an error, got {credentials:?}"),
            Err(error) => error.to_string(),
        }
    }

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

        fn env(&self, vars: &[(&str, &str)]) -> Env {
            let mut pairs = vec![("HOME".to_owned(), self.0.to_string_lossy().into_owned())];
            pairs.extend(vars.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())));
            Env::from_pairs(pairs)
        }
    }

    impl Drop for Home {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }

    #[test]
    fn environment_variables_come_first() {
        let home =
            Home::with(&[(".aws/credentials", "[default]\naws_access_key_id = FROMFILE\naws_secret_access_key = x\n")]);
        let credentials = resolve(home.env(&[
            ("AWS_ACCESS_KEY_ID", "AKIDENV"),
            ("AWS_SECRET_ACCESS_KEY", SECRET),
            ("AWS_SESSION_TOKEN", TOKEN),
        ]))
        .expect("credentials from the environment");
        assert_eq!(credentials.access_key_id(), "AKIDENV");
        assert_eq!(credentials.secret_access_key(), SECRET);
        assert_eq!(credentials.session_token(), Some(TOKEN));
    }

    #[test]
    fn the_account_id_comes_with_the_keys_from_the_environment_or_profile() {
        let credentials = resolve(env(&[
            ("AWS_ACCESS_KEY_ID", "AKIDENV"),
            ("AWS_SECRET_ACCESS_KEY", SECRET),
            ("AWS_ACCOUNT_ID", "123456789012"),
        ]))
        .expect("credentials from the environment");
        assert_eq!(credentials.account_id().map(|id| id.as_str()), Some("123456789012"));
        let home = Home::with(&[(
            ".aws/credentials",
            "[default]\naws_access_key_id = A\naws_secret_access_key = x\naws_account_id = 210987654321\n",
        )]);
        let credentials = resolve(home.env(&[])).expect("credentials from the profile");
        assert_eq!(credentials.account_id().map(|id| id.as_str()), Some("210987654321"));
        let without = resolve(env(&[("AWS_ACCESS_KEY_ID", "AKIDENV"), ("AWS_SECRET_ACCESS_KEY", SECRET)])).unwrap();
        assert_eq!(without.account_id(), None);
    }

    #[test]
    fn session_token_is_optional() {
        let credentials = resolve(env(&[("AWS_ACCESS_KEY_ID", "AKIDENV"), ("AWS_SECRET_ACCESS_KEY", SECRET)]))
            .expect("credentials from the environment");
        assert_eq!(credentials.session_token(), None);
    }

    #[test]
    fn half_set_environment_is_an_error_naming_the_missing_variable() {
        let text = message(resolve(env(&[("AWS_ACCESS_KEY_ID", "AKIDENV")])));
        assert_eq!(
            text,
            "the environment variable AWS_ACCESS_KEY_ID is set but AWS_SECRET_ACCESS_KEY is not: \
             set both, or neither to use the shared config files"
        );
        let text = message(resolve(env(&[("AWS_SECRET_ACCESS_KEY", SECRET)])));
        assert!(text.contains("AWS_ACCESS_KEY_ID is not"), "{text}");
        assert!(!text.contains(SECRET), "{text}");
    }

    #[test]
    fn profile_from_aws_profile_is_used_when_environment_has_no_keys() {
        let home = Home::with(&[
            (".aws/credentials", "[dev]\naws_access_key_id = AKIDDEV\naws_secret_access_key = devsecret\n"),
            (".aws/config", "[profile dev]\naws_session_token = devtoken\n"),
        ]);
        let credentials = resolve(home.env(&[("AWS_PROFILE", "dev")])).expect("profile credentials");
        assert_eq!(credentials.access_key_id(), "AKIDDEV");
        assert_eq!(credentials.secret_access_key(), "devsecret");
        assert_eq!(credentials.session_token(), Some("devtoken"));
    }

    #[test]
    fn nothing_found_says_what_was_tried() {
        let home = Home::with(&[(".aws/config", "[default]\nregion = us-east-1\n")]);
        let text = message(resolve(home.env(&[])));
        let root = home.0.display();
        assert_eq!(
            text,
            format!(
                "no AWS credentials found. Tried: the environment variables AWS_ACCESS_KEY_ID \
                 and AWS_SECRET_ACCESS_KEY (not set); profile `default` in \
                 {root}/.aws/credentials (not found) and {root}/.aws/config (has this profile). \
                 Set the environment variables, or add aws_access_key_id and \
                 aws_secret_access_key to the profile; {USE_AWS_CONFIG}"
            )
        );
    }

    #[test]
    fn nothing_found_mentions_web_identity_and_container_variables() {
        let text = message(resolve(env(&[
            ("AWS_WEB_IDENTITY_TOKEN_FILE", "/var/run/token"),
            ("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "/v2/credentials"),
        ])));
        assert!(text.contains("AWS_WEB_IDENTITY_TOKEN_FILE is set (web identity, as on EKS)"), "{text}");
        assert!(text.contains("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI is set"), "{text}");
    }

    #[test]
    fn unsupported_profile_sources_are_named_and_point_to_aws_config() {
        let home = Home::with(&[(
            ".aws/config",
            "[profile sso]\nsso_session = corp\nsso_account_id = 1\nsso_role_name = r\n\
             [profile role]\nrole_arn = arn:aws:iam::1:role/r\nsource_profile = base\n\
             aws_access_key_id = AKID\naws_secret_access_key = s\n\
             [profile process]\ncredential_process = /bin/creds --secret hunter2\n",
        )]);
        let error = DefaultCredentialsChain::with_env(home.env(&[("AWS_PROFILE", "sso")]))
            .resolve()
            .expect_err("sso is not supported");
        assert!(error.is_unsupported());
        assert_eq!(
            error.to_string(),
            format!(
                "profile `sso` gets its credentials through sso_session, sso_account_id, \
                 sso_role_name, which this client does not support; {USE_AWS_CONFIG}"
            )
        );
        let text = message(resolve(home.env(&[("AWS_PROFILE", "role")])));
        assert!(text.contains("through role_arn, source_profile"), "{text}");
        let text = message(resolve(home.env(&[("AWS_PROFILE", "process")])));
        assert!(text.contains("through credential_process"), "{text}");
        assert!(!text.contains("hunter2"), "{text}");
    }

    #[test]
    fn profile_with_one_key_only_is_an_error() {
        let home = Home::with(&[(".aws/credentials", &format!("[default]\naws_secret_access_key = {SECRET}\n"))]);
        let text = message(resolve(home.env(&[])));
        assert!(text.starts_with("profile `default` has aws_secret_access_key but no aws_access_key_id"), "{text}");
        assert!(!text.contains(SECRET), "{text}");
    }

    #[test]
    fn malformed_profile_file_is_reported() {
        let home = Home::with(&[(".aws/credentials", "[default]\nnot a property\n")]);
        let text = message(resolve(home.env(&[])));
        assert!(text.contains("credentials, line 2"), "{text}");
    }

    #[test]
    fn first_credentials_found_are_kept() {
        let home =
            Home::with(&[(".aws/credentials", "[default]\naws_access_key_id = FIRST\naws_secret_access_key = s\n")]);
        let chain = DefaultCredentialsChain::with_env(home.env(&[]));
        assert_eq!(chain.resolve().expect("first").access_key_id(), "FIRST");
        std::fs::write(
            home.0.join(".aws/credentials"),
            "[default]\naws_access_key_id = SECOND\naws_secret_access_key = s\n",
        )
        .expect("rewrite");
        assert_eq!(chain.resolve().expect("cached").access_key_id(), "FIRST");
    }

    #[test]
    fn debug_output_redacts_secret_and_token() {
        let chain = DefaultCredentialsChain::with_env(env(&[
            ("AWS_ACCESS_KEY_ID", "AKIDENV"),
            ("AWS_SECRET_ACCESS_KEY", SECRET),
            ("AWS_SESSION_TOKEN", TOKEN),
        ]));
        let credentials = chain.resolve().expect("credentials");
        let provider = SharedCredentialsProvider::new(chain);
        for debug in [format!("{credentials:?}"), format!("{provider:?}")] {
            assert!(!debug.contains(SECRET), "{debug}");
            assert!(!debug.contains(TOKEN), "{debug}");
        }
    }

    #[test]
    fn shared_provider_wraps_any_provider_and_reports_the_cause() {
        let fixed = SharedCredentialsProvider::new(Credentials::new("AKIDFIXED", SECRET, None, None, "test"));
        let credentials = block_on(fixed.credentials()).expect("fixed credentials");
        assert_eq!(credentials.access_key_id(), "AKIDFIXED");

        let empty = SharedCredentialsProvider::new(DefaultCredentialsChain::with_env(env(&[])));
        let error = block_on(empty.clone().credentials()).expect_err("nothing configured");
        let text = error.to_string();
        assert!(
            text.starts_with(
                "failed to load AWS credentials: the credential provider was not enabled: no AWS credentials found."
            ),
            "{text}"
        );
        assert!(matches!(error.into_inner(), CredentialsError::CredentialsNotLoaded(_)));
    }

    /// Polls a future that completes without waiting (the chain never waits).
    fn block_on<F: std::future::Future>(future: F) -> F::Output {
        use std::task::{Context, Poll, Waker};
        let mut future = std::pin::pin!(future);
        let mut context = Context::from_waker(Waker::noop());
        loop {
            if let Poll::Ready(output) = future.as_mut().poll(&mut context) {
                return output;
            }
        }
    }
}
