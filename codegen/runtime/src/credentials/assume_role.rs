//! A role's credentials from STS `AssumeRole`, signed with another provider's credentials
//! (`role_arn` with `source_profile` or `credential_source` in a profile).

use std::fmt;

use super::super::config::Config;
use super::clients::sts;
use super::{
    ClientConfig, Credentials, ProvideCredentials, ProviderError, SharedCredentialsProvider, describe_call_error,
    future,
};

/// The provider's name, in errors and in the credentials it gives.
pub(crate) const NAME: &str = "AssumeRole";

/// The region STS is called in when the config names none (STS's global endpoint is there).
pub(crate) const DEFAULT_STS_REGION: &str = "us-east-1";

/// The role to assume, and how: a profile's `role_arn`, `role_session_name`, `external_id`
/// and `duration_seconds`.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct RoleSettings {
    /// The role's ARN.
    pub role_arn: String,
    /// The session's name; `awsgen-<milliseconds since the epoch>` when unset.
    pub session_name: Option<String>,
    /// The external id the role's trust policy asks for.
    pub external_id: Option<String>,
    /// How long the credentials last (STS's default, an hour, when unset).
    pub duration_seconds: Option<i32>,
}

impl RoleSettings {
    /// The role `role_arn`, with STS's defaults.
    pub fn new(role_arn: impl Into<String>) -> Self {
        Self { role_arn: role_arn.into(), session_name: None, external_id: None, duration_seconds: None }
    }

    /// Names the session.
    pub fn session_name(mut self, name: impl Into<String>) -> Self {
        self.session_name = Some(name.into());
        self
    }

    /// Sets the external id.
    pub fn external_id(mut self, id: impl Into<String>) -> Self {
        self.external_id = Some(id.into());
        self
    }

    /// Sets how long the credentials last.
    pub fn duration_seconds(mut self, seconds: i32) -> Self {
        self.duration_seconds = Some(seconds);
        self
    }
}

/// The session name when none is set: unique enough per process and time.
pub(crate) fn default_session_name() -> String {
    let millis = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_millis());
    format!("awsgen-{millis}")
}

/// Assumes a role with the credentials `source` gives. Each call asks `source` and then STS:
/// wrap it in a [`CredentialsCache`](super::CredentialsCache) (the default chain does).
pub struct AssumeRoleProvider {
    role: RoleSettings,
    source: SharedCredentialsProvider,
    config: ClientConfig,
    region: Option<String>,
}

impl AssumeRoleProvider {
    /// Assumes `role` with `source`'s credentials, calling STS with `config`'s settings
    /// (region, `AWS_ENDPOINT_URL_STS`, FIPS, retries, HTTP; not its credentials).
    pub fn new(role: RoleSettings, source: impl ProvideCredentials + 'static, config: &Config) -> Self {
        let settings = ClientConfig::default();
        settings.set(config);
        Self::with_client_config(role, SharedCredentialsProvider::new(source), settings, None)
    }

    pub(crate) fn with_client_config(
        role: RoleSettings,
        source: SharedCredentialsProvider,
        config: ClientConfig,
        region: Option<String>,
    ) -> Self {
        Self { role, source, config, region }
    }

    /// The role's credentials.
    pub async fn credentials(&self) -> Result<Credentials, ProviderError> {
        let source = self.source.credentials().await.map_err(|e| {
            ProviderError::from_credentials_error("Source", &e.into_inner()).within(NAME, "the source credentials")
        })?;
        let region = self.region.as_deref().unwrap_or(DEFAULT_STS_REGION);
        let config = self.config.get(Some(region)).to_builder().credentials(source).build();
        let role = &self.role;
        let output = sts::Client::new(config)
            .assume_role()
            .role_arn(&role.role_arn)
            .role_session_name(role.session_name.clone().unwrap_or_else(default_session_name))
            .set_external_id(role.external_id.clone())
            .set_duration_seconds(role.duration_seconds)
            .send()
            .await
            .map_err(|e| {
                ProviderError::failed(NAME, format!("STS AssumeRole of {}: {}", role.role_arn, describe_call_error(&e)))
            })?;
        from_sts(NAME, output.credentials)
    }
}

/// The credentials STS gave, checked.
pub(crate) fn from_sts(
    provider: &'static str,
    credentials: Option<sts::types::Credentials>,
) -> Result<Credentials, ProviderError> {
    let missing = |what: &str| ProviderError::failed(provider, format!("STS answered without {what}"));
    let credentials = credentials.ok_or_else(|| missing("credentials"))?;
    let expiry = credentials
        .expiration
        .map(std::time::SystemTime::try_from)
        .transpose()
        .map_err(|_| ProviderError::failed(provider, "STS gave an expiration out of range"))?;
    Ok(Credentials::new(
        credentials.access_key_id.ok_or_else(|| missing("an access key id"))?,
        credentials.secret_access_key.ok_or_else(|| missing("a secret access key"))?,
        credentials.session_token,
        expiry,
        provider,
    ))
}

impl fmt::Debug for AssumeRoleProvider {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AssumeRoleProvider")
            .field("role", &self.role)
            .field("source", &self.source)
            .finish_non_exhaustive()
    }
}

impl ProvideCredentials for AssumeRoleProvider {
    fn provide_credentials<'a>(&'a self) -> future::ProvideCredentials<'a>
    where
        Self: 'a,
    {
        future::ProvideCredentials::new(async move {
            self.credentials().await.map_err(ProviderError::into_credentials_error)
        })
    }
}
