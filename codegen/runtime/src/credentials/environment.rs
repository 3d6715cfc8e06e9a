//! Credentials from the environment: `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY` and,
//! optionally, `AWS_SESSION_TOKEN`.

use super::super::profile::Env;
use super::{Credentials, ProvideCredentials, ProviderError, future};

/// The provider's name, in errors and in the credentials it gives.
pub(crate) const NAME: &str = "Environment";

/// Reads `AWS_ACCESS_KEY_ID` + `AWS_SECRET_ACCESS_KEY` (+ `AWS_SESSION_TOKEN`). Not
/// configured when neither key variable is set; an error when only one is.
#[derive(Debug, Clone, Default)]
pub struct EnvironmentProvider {
    env: Env,
}

impl EnvironmentProvider {
    /// The provider over the process environment.
    pub fn new() -> Self {
        Self::with_env(Env::process())
    }

    /// The provider over `env`.
    pub fn with_env(env: Env) -> Self {
        Self { env }
    }

    /// The credentials the environment holds.
    pub fn credentials(&self) -> Result<Credentials, ProviderError> {
        let access_key = self.env.get("AWS_ACCESS_KEY_ID");
        let secret_key = self.env.get("AWS_SECRET_ACCESS_KEY");
        match (access_key, secret_key) {
            (None, None) => {
                Err(ProviderError::not_configured(NAME, "AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not set"))
            }
            (Some(access_key), Some(secret_key)) => Ok(Credentials::new(
                access_key.trim(),
                secret_key.trim(),
                self.env.get("AWS_SESSION_TOKEN").map(|token| token.trim().to_owned()),
                None,
                NAME,
            )),
            (Some(_), None) => Err(partial("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY")),
            (None, Some(_)) => Err(partial("AWS_SECRET_ACCESS_KEY", "AWS_ACCESS_KEY_ID")),
        }
    }
}

fn partial(present: &str, missing: &str) -> ProviderError {
    ProviderError::failed(
        NAME,
        format!(
            "the environment variable {present} is set but {missing} is not: \
             set both, or neither to use the other sources"
        ),
    )
}

impl ProvideCredentials for EnvironmentProvider {
    fn provide_credentials<'a>(&'a self) -> future::ProvideCredentials<'a>
    where
        Self: 'a,
    {
        future::ProvideCredentials::ready(self.credentials().map_err(ProviderError::into_credentials_error))
    }
}
