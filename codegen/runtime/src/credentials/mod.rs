//! AWS credentials: where a client gets them, and the default chain that finds them.
//!
//! A client holds a [`SharedCredentialsProvider`]. By default it wraps a
//! [`DefaultCredentialsChain`], which asks, in the order the AWS SDKs use:
//!
//! 1. the environment ([`EnvironmentProvider`]): `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`,
//!    `AWS_SESSION_TOKEN`;
//! 2. the shared profile files ([`ProfileProvider`]) for the profile `AWS_PROFILE` names:
//!    static keys, `credential_process`, `role_arn` with `source_profile` or
//!    `credential_source` (chained), `web_identity_token_file`, and SSO;
//! 3. web identity from `AWS_WEB_IDENTITY_TOKEN_FILE` and `AWS_ROLE_ARN`
//!    ([`WebIdentityProvider`], as on EKS with IRSA);
//! 4. the container endpoint ([`ContainerProvider`], as on ECS, Fargate and EKS Pod Identity);
//! 5. the instance metadata service ([`ImdsProvider`], IMDSv2, as on EC2 and SageMaker).
//!
//! A source that is not configured passes to the next; a source that is configured but fails
//! stops the chain with its error (the AWS SDKs do the same: a broken profile must not
//! silently give another identity). Every provider is public and usable on its own; wrap one
//! in a [`CredentialsCache`] to cache and refresh what it gives.
//!
//! Secrets stay secret: `Debug` of [`Credentials`] redacts the secret key, and no error or log
//! line here includes a secret key, a session token or a web identity or SSO token.

use std::error::Error;
use std::fmt;
use std::sync::{Arc, OnceLock};

pub use aws_credential_types::Credentials;
pub use aws_credential_types::provider::ProvideCredentials;
pub use aws_credential_types::provider::error::CredentialsError;

/// The future a [`ProvideCredentials`] implementation returns.
pub use aws_credential_types::provider::future;

use super::config::Config;
use super::profile::Env;

mod assume_role;
mod cache;
pub mod clients;
mod container;
mod environment;
mod imds;
mod process;
mod profile;
mod sso;
mod web_identity;

pub use assume_role::{AssumeRoleProvider, RoleSettings};
pub use cache::CredentialsCache;
pub use container::ContainerProvider;
pub use environment::EnvironmentProvider;
pub(crate) use imds::ImdsRegion;
pub use imds::{ImdsClient, ImdsProvider};
pub use process::ProcessProvider;
pub use profile::ProfileProvider;
pub use sso::{SsoProvider, SsoSettings};
pub use web_identity::WebIdentityProvider;

/// A cheaply cloneable handle on any credentials provider.
///
/// Wraps anything that implements [`ProvideCredentials`]: a [`DefaultCredentialsChain`], one of
/// this module's providers, fixed [`Credentials`], or a provider from another crate.
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

/// Why one provider gave no credentials: its name, and what went wrong, in words that never
/// hold a secret. Either the source is not configured (the chain goes on to the next) or it
/// is configured and failed (the chain stops).
#[derive(Debug, Clone)]
pub struct ProviderError {
    provider: &'static str,
    message: String,
    configured: bool,
}

impl ProviderError {
    /// `provider`'s source is not set up here (the chain tries the next one).
    pub fn not_configured(provider: &'static str, message: impl Into<String>) -> Self {
        Self { provider, message: message.into(), configured: false }
    }

    /// `provider`'s source is set up but gave no credentials.
    pub fn failed(provider: &'static str, message: impl Into<String>) -> Self {
        Self { provider, message: message.into(), configured: true }
    }

    /// The provider's name, e.g. `Imds`.
    pub fn provider(&self) -> &'static str {
        self.provider
    }

    /// What went wrong, without the provider's name.
    pub fn message(&self) -> &str {
        &self.message
    }

    /// Whether the source was set up at all.
    pub fn is_configured(&self) -> bool {
        self.configured
    }

    /// The same failure, as seen through `outer` (e.g. a role's source credentials).
    pub(crate) fn within(self, outer: &'static str, context: &str) -> Self {
        Self { provider: outer, message: format!("{context}: {} ({})", self.message, self.provider), configured: true }
    }

    /// The [`CredentialsError`] the provider trait carries, with this error as its source.
    pub fn into_credentials_error(self) -> CredentialsError {
        if self.configured { CredentialsError::provider_error(self) } else { CredentialsError::not_loaded(self) }
    }

    /// Reads a [`CredentialsError`] another provider returned back into a [`ProviderError`]
    /// named `provider` (its message: the error's causes).
    pub fn from_credentials_error(provider: &'static str, error: &CredentialsError) -> Self {
        if let Some(ours) = error.source().and_then(|source| source.downcast_ref::<ProviderError>()) {
            return ours.clone();
        }
        let configured = !matches!(error, CredentialsError::CredentialsNotLoaded(_));
        let mut message = String::new();
        let mut cause = error.source();
        while let Some(source) = cause {
            if !message.is_empty() {
                message.push_str(": ");
            }
            message.push_str(&source.to_string());
            cause = source.source();
        }
        if message.is_empty() {
            message = error.to_string();
        }
        Self { provider, message, configured }
    }
}

impl fmt::Display for ProviderError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.provider, self.message)
    }
}

impl Error for ProviderError {}

/// What a call of the providers' own clients (STS, SSO) failed with, for an error message:
/// the error's text, except that an unreadable response is not quoted (the body of a
/// successful credentials call holds a secret key).
pub(crate) fn describe_call_error<E: super::operation::OperationError + fmt::Display>(error: &E) -> String {
    use super::error::RequestError;
    use super::operation::Failure;
    match error.failure() {
        Failure::Request(RequestError::MalformedResponse { status, reason, .. }) => {
            format!("unreadable response (HTTP status {status}): {reason}")
        }
        _ => error.to_string(),
    }
}

/// Credentials that expire at `expiration` (RFC 3339, as credential documents carry it).
pub(crate) fn parse_expiration(
    provider: &'static str,
    expiration: &str,
) -> Result<std::time::SystemTime, ProviderError> {
    use aws_smithy_types::date_time::{DateTime, Format};
    let time = DateTime::from_str(expiration.trim(), Format::DateTime)
        .map_err(|_| ProviderError::failed(provider, "the expiration is not an RFC 3339 time"))?;
    std::time::SystemTime::try_from(time).map_err(|_| ProviderError::failed(provider, "the expiration is out of range"))
}

/// The credentials document the container endpoint, the instance metadata service and
/// `credential_process` share: `AccessKeyId`, `SecretAccessKey`, the session token (named
/// `Token` or `SessionToken`) and `Expiration`. Bounded: the caller limits the text's size.
pub(crate) fn parse_credentials_document(
    provider: &'static str,
    text: &str,
    token_member: &str,
) -> Result<Credentials, ProviderError> {
    let value: serde_json::Value = serde_json::from_str(text).map_err(|e| {
        ProviderError::failed(
            provider,
            format!("the credentials document is not JSON (line {}, column {})", e.line(), e.column()),
        )
    })?;
    let object = value
        .as_object()
        .ok_or_else(|| ProviderError::failed(provider, "the credentials document is not a JSON object"))?;
    let field = |name: &str| -> Result<Option<&str>, ProviderError> {
        match object.get(name) {
            None | Some(serde_json::Value::Null) => Ok(None),
            Some(serde_json::Value::String(text)) => Ok(Some(text.as_str())),
            Some(_) => {
                Err(ProviderError::failed(provider, format!("`{name}` in the credentials document is not a string")))
            }
        }
    };
    let required = |name: &str| {
        field(name)?
            .filter(|v| !v.is_empty())
            .ok_or_else(|| ProviderError::failed(provider, format!("the credentials document has no `{name}`")))
    };
    let access_key = required("AccessKeyId")?;
    let secret_key = required("SecretAccessKey")?;
    let token = field(token_member)?.map(str::to_owned);
    let expiry = field("Expiration")?.map(|text| parse_expiration(provider, text)).transpose()?;
    Ok(Credentials::new(access_key, secret_key, token, expiry, provider))
}

/// The default chain: environment, shared profile, web identity, container endpoint,
/// instance metadata (see the [module](self) documentation), behind one
/// [`CredentialsCache`]: credentials that expire are refreshed 5 minutes early, static ones
/// are kept.
pub struct DefaultCredentialsChain {
    cache: CredentialsCache<ChainSources>,
}

/// The settings the STS and SSO clients of the providers are made with: a client's config
/// without its credentials provider (the calls sign with the credentials they are given, or
/// not at all), set when the config is built, or loaded from the environment on first use.
#[derive(Clone, Default)]
pub(crate) struct ClientConfig(Arc<OnceLock<Config>>);

impl ClientConfig {
    /// Takes `config`'s settings (the first call wins).
    pub(crate) fn set(&self, config: &Config) {
        let _ = self.0.set(config.to_builder().credentials_provider(NoCredentials).build());
    }

    /// The settings, with `region` when they have none.
    pub(crate) fn get(&self, region: Option<&str>) -> Config {
        let config = self.0.get_or_init(|| Config::builder().load_env().credentials_provider(NoCredentials).build());
        match (config.region(), region) {
            (None, Some(region)) => config.to_builder().region(region).build(),
            _ => config.clone(),
        }
    }
}

impl fmt::Debug for ClientConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("ClientConfig")
    }
}

/// The credentials provider of the providers' own clients: none (see [`ClientConfig`]).
#[derive(Debug)]
struct NoCredentials;

impl ProvideCredentials for NoCredentials {
    fn provide_credentials<'a>(&'a self) -> future::ProvideCredentials<'a>
    where
        Self: 'a,
    {
        future::ProvideCredentials::ready(Err(ProviderError::failed(
            "Internal",
            "a credential provider's own call is signed with the credentials it is given",
        )
        .into_credentials_error()))
    }
}

/// The sources of the default chain, in order.
struct ChainSources {
    env: Env,
    client_config: ClientConfig,
    providers: OnceLock<Vec<(&'static str, Box<dyn ProvideCredentials>)>>,
}

impl DefaultCredentialsChain {
    /// The chain over the process environment.
    pub fn new() -> Self {
        Self::with_env(Env::process())
    }

    /// The chain over `env` (for tests, or to resolve for another environment). STS and the
    /// SSO portal are called with the settings [`Config::from_env`] loads.
    pub fn with_env(env: Env) -> Self {
        Self::with_client_config(env, ClientConfig::default())
    }

    /// The chain over `env`, calling STS and the SSO portal with `config`'s settings (region,
    /// endpoint, FIPS, dual-stack, retries, timeouts, proxy, HTTP sender), but not its
    /// credentials provider.
    pub fn with_env_for(env: Env, config: &Config) -> Self {
        let client_config = ClientConfig::default();
        client_config.set(config);
        Self::with_client_config(env, client_config)
    }

    pub(crate) fn with_client_config(env: Env, client_config: ClientConfig) -> Self {
        let sources = ChainSources { env, client_config, providers: OnceLock::new() };
        Self { cache: CredentialsCache::new(sources) }
    }

    /// Finds credentials (from the cache while they are fresh).
    pub async fn resolve(&self) -> Result<Credentials, ChainError> {
        self.cache.get().await.map_err(|error| match error.source().and_then(|s| s.downcast_ref::<ChainError>()) {
            Some(chain) => chain.clone(),
            None => ChainError {
                tried: Vec::new(),
                failed: Some(ProviderError::from_credentials_error("DefaultChain", &error)),
            },
        })
    }
}

impl ChainSources {
    fn providers(&self) -> &[(&'static str, Box<dyn ProvideCredentials>)] {
        self.providers.get_or_init(|| {
            let config = self.client_config.clone();
            let env = self.env.clone();
            vec![
                (
                    environment::NAME,
                    Box::new(EnvironmentProvider::with_env(env.clone())) as Box<dyn ProvideCredentials>,
                ),
                (profile::NAME, Box::new(ProfileProvider::with_env_and_config(env.clone(), config.clone()))),
                (web_identity::NAME, Box::new(WebIdentityProvider::from_env_and_config(env.clone(), config))),
                (container::NAME, Box::new(ContainerProvider::with_env(env.clone()))),
                (imds::NAME, Box::new(ImdsProvider::with_env(env))),
            ]
        })
    }

    async fn resolve(&self) -> Result<Credentials, ChainError> {
        let mut tried = Vec::new();
        for (name, provider) in self.providers() {
            match provider.provide_credentials().await {
                Ok(credentials) => return Ok(credentials),
                Err(error) => {
                    let error = ProviderError::from_credentials_error(name, &error);
                    if error.is_configured() {
                        return Err(ChainError { tried, failed: Some(error) });
                    }
                    tried.push(error);
                }
            }
        }
        Err(ChainError { tried, failed: None })
    }
}

impl ProvideCredentials for ChainSources {
    fn provide_credentials<'a>(&'a self) -> future::ProvideCredentials<'a>
    where
        Self: 'a,
    {
        future::ProvideCredentials::new(async move {
            self.resolve().await.map_err(|error| {
                if error.is_not_found() {
                    CredentialsError::not_loaded(error)
                } else {
                    CredentialsError::provider_error(error)
                }
            })
        })
    }
}

impl fmt::Debug for ChainSources {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DefaultChain").field("env", &self.env).finish_non_exhaustive()
    }
}

impl Default for DefaultCredentialsChain {
    fn default() -> Self {
        Self::new()
    }
}

impl fmt::Debug for DefaultCredentialsChain {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DefaultCredentialsChain").field("cache", &self.cache).finish()
    }
}

impl ProvideCredentials for DefaultCredentialsChain {
    fn provide_credentials<'a>(&'a self) -> future::ProvideCredentials<'a>
    where
        Self: 'a,
    {
        self.cache.provide_credentials()
    }
}

/// Why the [`DefaultCredentialsChain`] gave no credentials: the sources it found not
/// configured, in order, and the one that failed, if one did. Never contains a secret.
#[derive(Debug, Clone)]
pub struct ChainError {
    tried: Vec<ProviderError>,
    failed: Option<ProviderError>,
}

impl ChainError {
    /// Whether no source was configured at all (as opposed to one that failed).
    pub fn is_not_found(&self) -> bool {
        self.failed.is_none()
    }

    /// The source that was configured but failed.
    pub fn failed(&self) -> Option<&ProviderError> {
        self.failed.as_ref()
    }

    /// The sources tried before, which were not configured.
    pub fn tried(&self) -> &[ProviderError] {
        &self.tried
    }
}

impl fmt::Display for ChainError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.failed {
            Some(failed) => write!(f, "the {} credentials provider failed: {}", failed.provider, failed.message)?,
            None => f.write_str("no AWS credentials found")?,
        }
        if !self.tried.is_empty() {
            f.write_str(if self.failed.is_some() { ". Tried before it: " } else { ". Tried: " })?;
            for (index, error) in self.tried.iter().enumerate() {
                if index > 0 {
                    f.write_str("; ")?;
                }
                write!(f, "{error}")?;
            }
        }
        Ok(())
    }
}

impl Error for ChainError {}

#[cfg(test)]
mod tests;
