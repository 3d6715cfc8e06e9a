//! A role's credentials from the IAM Identity Center (SSO) portal: the access token that
//! `aws sso login` left in `~/.aws/sso/cache/`, refreshed with SSO OIDC `CreateToken` when it
//! is about to expire and the cache has a refresh token, then the portal's
//! `GetRoleCredentials` for the profile's account and role.
//!
//! Profiles name the portal through an `[sso-session NAME]` section (`sso_start_url`,
//! `sso_region`) with `sso_session = NAME`, the cache file then being the SHA-1 of the
//! session's name; or, the legacy way, with `sso_start_url` and `sso_region` in the profile,
//! the file being the SHA-1 of the start URL. Only the session form refreshes its token.

use std::fmt;
use std::path::PathBuf;
use std::time::{Duration, SystemTime};

use super::super::config::Config;
use super::super::profile::{Env, Profile, SharedFile, expand_home, sso_session};
use super::clients::{sso, sso_oidc};
use super::{
    ClientConfig, Credentials, ProvideCredentials, ProviderError, describe_call_error, future, parse_expiration,
};

/// The provider's name, in errors and in the credentials it gives.
pub(crate) const NAME: &str = "Sso";

/// A token this close to its expiry is refreshed first (when it can be).
const REFRESH_BEFORE_EXPIRY: Duration = Duration::from_secs(5 * 60);
/// The most of a token cache file read.
const MAX_CACHE_FILE: u64 = 64 * 1024;

/// The portal, account and role of an SSO profile.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct SsoSettings {
    /// The portal's start URL.
    pub start_url: String,
    /// The region of the portal (and of SSO OIDC).
    pub region: String,
    /// The account whose role is wanted.
    pub account_id: String,
    /// The role's name.
    pub role_name: String,
    /// The `sso-session` name, when the profile uses one (the legacy form has none).
    pub session_name: Option<String>,
}

impl SsoSettings {
    /// The settings of `profile`, with its `sso-session` section from `config_file`.
    pub fn from_profile(profile: &Profile, config_file: &SharedFile) -> Result<Self, ProviderError> {
        let name = profile.name();
        let missing = |key: &str| ProviderError::failed(NAME, format!("profile `{name}` has no {key}"));
        let account_id = profile.get("sso_account_id").ok_or_else(|| missing("sso_account_id"))?.to_owned();
        let role_name = profile.get("sso_role_name").ok_or_else(|| missing("sso_role_name"))?.to_owned();
        let Some(session) = profile.get("sso_session") else {
            return Ok(Self {
                start_url: profile.get("sso_start_url").ok_or_else(|| missing("sso_start_url"))?.to_owned(),
                region: profile.get("sso_region").ok_or_else(|| missing("sso_region"))?.to_owned(),
                account_id,
                role_name,
                session_name: None,
            });
        };
        let section = sso_session(session, config_file)
            .map_err(|e| ProviderError::failed(NAME, format!("could not read the AWS config file: {e}")))?
            .ok_or_else(|| {
                ProviderError::failed(
                    NAME,
                    format!(
                        "profile `{name}` names sso_session `{session}`, which has no [sso-session {session}] section"
                    ),
                )
            })?;
        let session_value = |key: &str| {
            section
                .get(key)
                .cloned()
                .ok_or_else(|| ProviderError::failed(NAME, format!("[sso-session {session}] has no {key}")))
        };
        let (start_url, region) = (session_value("sso_start_url")?, session_value("sso_region")?);
        // A profile may repeat the session's values, but must not contradict them.
        for (key, value) in [("sso_start_url", &start_url), ("sso_region", &region)] {
            if profile.get(key).is_some_and(|own| own != value) {
                return Err(ProviderError::failed(
                    NAME,
                    format!("profile `{name}` and [sso-session {session}] have different values of {key}"),
                ));
            }
        }
        Ok(Self { start_url, region, account_id, role_name, session_name: Some(session.to_owned()) })
    }
}

/// Gets a role's credentials from the SSO portal with the cached token.
pub struct SsoProvider {
    settings: SsoSettings,
    env: Env,
    config: ClientConfig,
}

/// The token cache file's contents that matter here.
struct CachedToken {
    access_token: String,
    expires_at: SystemTime,
    refresh: Option<RefreshGrant>,
    /// The whole document, to write back with the new token (other tools' fields kept).
    document: serde_json::Map<String, serde_json::Value>,
}

/// What refreshing a session token takes.
struct RefreshGrant {
    refresh_token: String,
    client_id: String,
    client_secret: String,
}

impl SsoProvider {
    /// The provider for `settings`, reading the token cache under the process's home
    /// directory and calling the portal with `config`'s settings (its region is not used:
    /// the portal is called in `settings.region`).
    pub fn new(settings: SsoSettings, config: &Config) -> Self {
        let client_config = ClientConfig::default();
        client_config.set(config);
        Self::from_settings(settings, Env::process(), client_config)
    }

    pub(crate) fn from_settings(settings: SsoSettings, env: Env, config: ClientConfig) -> Self {
        Self { settings, env, config }
    }

    /// The token cache file: `~/.aws/sso/cache/<sha1 hex of the session name or start URL>.json`.
    fn cache_path(&self) -> PathBuf {
        let key = self.settings.session_name.as_deref().unwrap_or(&self.settings.start_url);
        let digest = ring::digest::digest(&ring::digest::SHA1_FOR_LEGACY_USE_ONLY, key.as_bytes());
        let hex: String = digest.as_ref().iter().map(|byte| format!("{byte:02x}")).collect();
        expand_home(&format!("~/.aws/sso/cache/{hex}.json"), &self.env)
    }

    /// The role's credentials.
    pub async fn credentials(&self) -> Result<Credentials, ProviderError> {
        let path = self.cache_path();
        let mut token = read_cache(&path)?;
        let now = SystemTime::now();
        if token.expires_at <= now + REFRESH_BEFORE_EXPIRY
            && self.settings.session_name.is_some()
            && let Some(grant) = token.refresh.take()
        {
            let refreshed = self.refresh(&grant, &mut token).await;
            token.refresh = Some(grant);
            match refreshed {
                Ok(()) => write_cache(&path, &token),
                // A token still valid is used while the refresh fails.
                Err(error) if token.expires_at > now => {
                    super::super::telemetry::credentials_refreshed(Some(token.expires_at), Some(&error.to_string()))
                }
                Err(error) => return Err(error),
            }
        }
        if token.expires_at <= SystemTime::now() {
            return Err(ProviderError::failed(
                NAME,
                format!(
                    "the SSO token in {} has expired{}: sign in again with `aws sso login`",
                    path.display(),
                    if token.refresh.is_some() && self.settings.session_name.is_some() {
                        " and could not be refreshed"
                    } else {
                        ""
                    }
                ),
            ));
        }
        let settings = &self.settings;
        let output = sso::Client::new(self.config.get(None).to_builder().region(&settings.region).build())
            .get_role_credentials()
            .role_name(&settings.role_name)
            .account_id(&settings.account_id)
            .access_token(&token.access_token)
            .send()
            .await
            .map_err(|e| {
                ProviderError::failed(
                    NAME,
                    format!(
                        "SSO GetRoleCredentials of role {} in account {}: {}",
                        settings.role_name,
                        settings.account_id,
                        describe_call_error(&e)
                    ),
                )
            })?;
        let missing = |what: &str| ProviderError::failed(NAME, format!("the SSO portal answered without {what}"));
        let role = output.role_credentials.ok_or_else(|| missing("credentials"))?;
        let expiry = role
            .expiration
            .and_then(|millis| u64::try_from(millis).ok())
            .map(|millis| SystemTime::UNIX_EPOCH + Duration::from_millis(millis));
        Ok(Credentials::new(
            role.access_key_id.ok_or_else(|| missing("an access key id"))?,
            role.secret_access_key.ok_or_else(|| missing("a secret access key"))?,
            role.session_token,
            expiry,
            NAME,
        ))
    }

    /// Trades the refresh token for a new access token (SSO OIDC `CreateToken`).
    async fn refresh(&self, grant: &RefreshGrant, token: &mut CachedToken) -> Result<(), ProviderError> {
        let config = self.config.get(None).to_builder().region(&self.settings.region).build();
        let output = sso_oidc::Client::new(config)
            .create_token()
            .client_id(&grant.client_id)
            .client_secret(&grant.client_secret)
            .grant_type("refresh_token")
            .refresh_token(&grant.refresh_token)
            .send()
            .await
            .map_err(|e| {
                ProviderError::failed(
                    NAME,
                    format!("refreshing the SSO token (SSO OIDC CreateToken): {}", describe_call_error(&e)),
                )
            })?;
        let access_token = output
            .access_token
            .filter(|t| !t.is_empty())
            .ok_or_else(|| ProviderError::failed(NAME, "SSO OIDC CreateToken answered without an access token"))?;
        let expires_in = output.expires_in.and_then(|s| u64::try_from(s).ok()).unwrap_or(0);
        token.access_token = access_token;
        token.expires_at = SystemTime::now() + Duration::from_secs(expires_in);
        let expires_at = aws_smithy_types::DateTime::from(token.expires_at)
            .fmt(aws_smithy_types::date_time::Format::DateTime)
            .map_err(|_| ProviderError::failed(NAME, "the refreshed token's expiry cannot be written"))?;
        token.document.insert("accessToken".into(), token.access_token.clone().into());
        token.document.insert("expiresAt".into(), expires_at.into());
        if let Some(refresh_token) = output.refresh_token {
            token.document.insert("refreshToken".into(), refresh_token.into());
        }
        Ok(())
    }
}

/// Reads the token cache file (never quoting it: it holds the token).
fn read_cache(path: &std::path::Path) -> Result<CachedToken, ProviderError> {
    use std::io::Read;
    let failed = |why: &str| {
        ProviderError::failed(
            NAME,
            format!("the SSO token cache {}: {why}; sign in with `aws sso login`", path.display()),
        )
    };
    let file = std::fs::File::open(path).map_err(|e| failed(&e.to_string()))?;
    let mut text = String::new();
    file.take(MAX_CACHE_FILE + 1).read_to_string(&mut text).map_err(|e| failed(&e.to_string()))?;
    if text.len() as u64 > MAX_CACHE_FILE {
        return Err(failed("it is too large"));
    }
    let document = match serde_json::from_str::<serde_json::Value>(&text) {
        Ok(serde_json::Value::Object(document)) => document,
        _ => return Err(failed("it is not a JSON object")),
    };
    let string = |key: &str| document.get(key).and_then(|v| v.as_str()).filter(|v| !v.is_empty()).map(str::to_owned);
    let access_token = string("accessToken").ok_or_else(|| failed("it has no accessToken"))?;
    let expires_at = string("expiresAt").ok_or_else(|| failed("it has no expiresAt"))?;
    let expires_at =
        parse_expiration(NAME, &expires_at).map_err(|_| failed("its expiresAt is not an RFC 3339 time"))?;
    let registration_valid = string("registrationExpiresAt")
        .map(|at| parse_expiration(NAME, &at).is_ok_and(|at| at > SystemTime::now()))
        .unwrap_or(true);
    let refresh = match (string("refreshToken"), string("clientId"), string("clientSecret")) {
        (Some(refresh_token), Some(client_id), Some(client_secret)) if registration_valid => {
            Some(RefreshGrant { refresh_token, client_id, client_secret })
        }
        _ => None,
    };
    Ok(CachedToken { access_token, expires_at, refresh, document })
}

/// Writes the refreshed token back, so the next process (and the CLI) use it; a failure to
/// write only costs another refresh later.
fn write_cache(path: &std::path::Path, token: &CachedToken) {
    if let Ok(text) = serde_json::to_string_pretty(&token.document) {
        let temporary = path.with_extension(format!("json.{}.tmp", std::process::id()));
        if std::fs::write(&temporary, text).is_ok() && std::fs::rename(&temporary, path).is_err() {
            let _ = std::fs::remove_file(&temporary);
        }
    }
}

impl fmt::Debug for SsoProvider {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SsoProvider").field("settings", &self.settings).finish_non_exhaustive()
    }
}

impl ProvideCredentials for SsoProvider {
    fn provide_credentials<'a>(&'a self) -> future::ProvideCredentials<'a>
    where
        Self: 'a,
    {
        future::ProvideCredentials::new(async move {
            self.credentials().await.map_err(ProviderError::into_credentials_error)
        })
    }
}
