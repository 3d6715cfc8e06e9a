//! A role's credentials from STS `AssumeRoleWithWebIdentity` (unsigned), with a token read
//! from a file on every call (the platform rotates it): `AWS_WEB_IDENTITY_TOKEN_FILE`,
//! `AWS_ROLE_ARN` and `AWS_ROLE_SESSION_NAME`, as EKS sets them for IRSA, or a profile's
//! `web_identity_token_file`, `role_arn` and `role_session_name`.

use std::fmt;
use std::path::PathBuf;

use super::super::config::Config;
use super::super::profile::Env;
use super::assume_role::{DEFAULT_STS_REGION, default_session_name, from_sts};
use super::clients::sts;
use super::{ClientConfig, Credentials, ProvideCredentials, ProviderError, describe_call_error, future};

/// The provider's name, in errors and in the credentials it gives.
pub(crate) const NAME: &str = "WebIdentity";

/// The most of a token file read: identity tokens are a few kilobytes.
const MAX_TOKEN: u64 = 64 * 1024;

/// Exchanges a web identity token for a role's credentials.
pub struct WebIdentityProvider {
    source: Source,
    config: ClientConfig,
    region: Option<String>,
}

enum Source {
    /// The environment variables, read on each call.
    Env(Env),
    /// Settings given in code or by a profile.
    Fixed { token_file: PathBuf, role_arn: String, session_name: Option<String> },
}

impl WebIdentityProvider {
    /// Reads `token_file` and assumes `role_arn`, calling STS with `config`'s settings.
    pub fn new(
        token_file: impl Into<PathBuf>,
        role_arn: impl Into<String>,
        session_name: Option<String>,
        config: &Config,
    ) -> Self {
        let settings = ClientConfig::default();
        settings.set(config);
        Self::fixed(token_file.into(), role_arn.into(), session_name, settings, None)
    }

    /// Takes the token file, role and session name from `env` (on each call).
    pub fn from_env(env: Env, config: &Config) -> Self {
        let settings = ClientConfig::default();
        settings.set(config);
        Self::from_env_and_config(env, settings)
    }

    pub(crate) fn from_env_and_config(env: Env, config: ClientConfig) -> Self {
        Self { source: Source::Env(env), config, region: None }
    }

    pub(crate) fn fixed(
        token_file: PathBuf,
        role_arn: String,
        session_name: Option<String>,
        config: ClientConfig,
        region: Option<String>,
    ) -> Self {
        Self { source: Source::Fixed { token_file, role_arn, session_name }, config, region }
    }

    /// The role's credentials.
    pub async fn credentials(&self) -> Result<Credentials, ProviderError> {
        let (token_file, role_arn, session_name) = match &self.source {
            Source::Fixed { token_file, role_arn, session_name } => {
                (token_file.clone(), role_arn.clone(), session_name.clone())
            }
            Source::Env(env) => {
                let Some(token_file) = env.get("AWS_WEB_IDENTITY_TOKEN_FILE") else {
                    return Err(ProviderError::not_configured(NAME, "AWS_WEB_IDENTITY_TOKEN_FILE is not set"));
                };
                let role_arn = env.get("AWS_ROLE_ARN").ok_or_else(|| {
                    ProviderError::failed(NAME, "AWS_WEB_IDENTITY_TOKEN_FILE is set but AWS_ROLE_ARN is not")
                })?;
                (PathBuf::from(token_file), role_arn, env.get("AWS_ROLE_SESSION_NAME"))
            }
        };
        let token = read_token(&token_file)?;
        let region = self.region.as_deref().unwrap_or(DEFAULT_STS_REGION);
        let output = sts::Client::new(self.config.get(Some(region)))
            .assume_role_with_web_identity()
            .role_arn(&role_arn)
            .role_session_name(session_name.unwrap_or_else(default_session_name))
            .web_identity_token(token)
            .send()
            .await
            .map_err(|e| {
                ProviderError::failed(
                    NAME,
                    format!("STS AssumeRoleWithWebIdentity of {role_arn}: {}", describe_call_error(&e)),
                )
            })?;
        from_sts(NAME, output.credentials)
    }
}

/// The token in `path`, trimmed; an error naming the file (never quoting it).
fn read_token(path: &std::path::Path) -> Result<String, ProviderError> {
    use std::io::Read;
    let failed =
        |why: String| ProviderError::failed(NAME, format!("the web identity token file {}: {why}", path.display()));
    let file = std::fs::File::open(path).map_err(|e| failed(e.to_string()))?;
    let mut text = String::new();
    file.take(MAX_TOKEN + 1).read_to_string(&mut text).map_err(|e| failed(e.to_string()))?;
    if text.len() as u64 > MAX_TOKEN {
        return Err(failed(format!("larger than {MAX_TOKEN} bytes")));
    }
    let token = text.trim();
    if token.is_empty() {
        return Err(failed("it is empty".into()));
    }
    Ok(token.to_owned())
}

impl fmt::Debug for WebIdentityProvider {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut debug = f.debug_struct("WebIdentityProvider");
        match &self.source {
            Source::Env(env) => debug.field("env", env),
            Source::Fixed { token_file, role_arn, .. } => {
                debug.field("token_file", token_file).field("role_arn", role_arn)
            }
        };
        debug.finish_non_exhaustive()
    }
}

impl ProvideCredentials for WebIdentityProvider {
    fn provide_credentials<'a>(&'a self) -> future::ProvideCredentials<'a>
    where
        Self: 'a,
    {
        future::ProvideCredentials::new(async move {
            self.credentials().await.map_err(ProviderError::into_credentials_error)
        })
    }
}
