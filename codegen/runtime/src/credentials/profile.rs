//! Credentials a profile of the shared files describes, following `source_profile` chains.
//!
//! A profile gets its credentials, in this order of precedence:
//! - `role_arn` with `web_identity_token_file`: STS `AssumeRoleWithWebIdentity`;
//! - `role_arn` with `source_profile` (whose credentials, resolved the same way, sign STS
//!   `AssumeRole`; a source profile with static keys ends the chain there, and a profile may
//!   name itself to use its own keys) or `credential_source` (`Environment`,
//!   `Ec2InstanceMetadata`, `EcsContainer`), with `role_session_name`, `external_id` and
//!   `duration_seconds`;
//! - `sso_session` (or the legacy `sso_start_url`), with `sso_account_id` and `sso_role_name`:
//!   the SSO portal;
//! - `credential_process`: an external command;
//! - `aws_access_key_id` and `aws_secret_access_key` (+ `aws_session_token`): static keys.

use std::collections::BTreeSet;
use std::fmt;
use std::path::PathBuf;

use super::super::config::Config;
use super::super::profile::{Env, FileKind, Profile, SharedFile, SourceFile, selected_profile_name};
use super::assume_role::{AssumeRoleProvider, RoleSettings};
use super::container::ContainerProvider;
use super::environment::EnvironmentProvider;
use super::imds::ImdsProvider;
use super::process::ProcessProvider;
use super::sso::{SsoProvider, SsoSettings};
use super::web_identity::WebIdentityProvider;
use super::{ClientConfig, Credentials, ProvideCredentials, ProviderError, SharedCredentialsProvider, future};

/// The provider's name, in errors and in the credentials it gives.
pub(crate) const NAME: &str = "Profile";

/// The longest `source_profile` chain followed (a longer one is surely a mistake).
const MAX_CHAIN: usize = 16;

/// The credentials the selected profile (`AWS_PROFILE`, else `default`) describes.
pub struct ProfileProvider {
    env: Env,
    profile: Option<String>,
    config: ClientConfig,
}

/// Where the first credentials of a chain come from.
#[derive(Debug)]
enum Base {
    Static(Credentials),
    Process(String),
    WebIdentity { token_file: PathBuf, role_arn: String, session_name: Option<String> },
    Environment,
    Imds,
    Container,
    Sso(SsoSettings),
}

/// The first credentials, then the roles assumed with them in turn.
#[derive(Debug)]
struct Plan {
    base: Base,
    roles: Vec<RoleSettings>,
    /// The selected profile's `region`: STS is called there when the config names none.
    region: Option<String>,
}

impl ProfileProvider {
    /// The provider over the process environment, calling STS and SSO with `config`'s
    /// settings.
    pub fn new(config: &Config) -> Self {
        let settings = ClientConfig::default();
        settings.set(config);
        Self::with_env_and_config(Env::process(), settings)
    }

    /// The provider over `env`, for profile `profile` (instead of `AWS_PROFILE`'s) when given.
    pub fn with_env(env: Env, profile: Option<String>, config: &Config) -> Self {
        let settings = ClientConfig::default();
        settings.set(config);
        Self { env, profile, config: settings }
    }

    pub(crate) fn with_env_and_config(env: Env, config: ClientConfig) -> Self {
        Self { env, profile: None, config }
    }

    /// The profile's credentials.
    pub async fn credentials(&self) -> Result<Credentials, ProviderError> {
        let read = |kind: FileKind| {
            SharedFile::read(kind, kind.path(&self.env))
                .map_err(|e| ProviderError::failed(NAME, format!("could not read the AWS shared config files: {e}")))
        };
        let files = (read(FileKind::Config)?, read(FileKind::Credentials)?);
        let name = self.profile.clone().unwrap_or_else(|| selected_profile_name(&self.env));
        let plan = plan(&files, &name)?;
        let mut credentials = self.base(plan.base, plan.region.clone()).await?;
        for role in plan.roles {
            let arn = role.role_arn.clone();
            let provider = AssumeRoleProvider::with_client_config(
                role,
                SharedCredentialsProvider::new(credentials),
                self.config.clone(),
                plan.region.clone(),
            );
            credentials = provider.credentials().await.map_err(|e| e.within(NAME, &format!("assuming {arn}")))?;
        }
        Ok(credentials)
    }

    async fn base(&self, base: Base, region: Option<String>) -> Result<Credentials, ProviderError> {
        let within = |what: &str| {
            let what = what.to_owned();
            move |e: ProviderError| e.within(NAME, &what)
        };
        match base {
            Base::Static(credentials) => Ok(credentials),
            Base::Process(command) => {
                ProcessProvider::new(command).credentials().await.map_err(within("credential_process"))
            }
            Base::WebIdentity { token_file, role_arn, session_name } => {
                WebIdentityProvider::fixed(token_file, role_arn, session_name, self.config.clone(), region)
                    .credentials()
                    .await
                    .map_err(within("web_identity_token_file"))
            }
            Base::Environment => EnvironmentProvider::with_env(self.env.clone())
                .credentials()
                .map_err(within("credential_source Environment")),
            Base::Imds => ImdsProvider::with_env(self.env.clone()).provide_credentials().await.map_err(|e| {
                ProviderError::from_credentials_error("Imds", &e).within(NAME, "credential_source Ec2InstanceMetadata")
            }),
            Base::Container => ContainerProvider::with_env(self.env.clone())
                .credentials()
                .await
                .map_err(within("credential_source EcsContainer")),
            Base::Sso(settings) => SsoProvider::from_settings(settings, self.env.clone(), self.config.clone())
                .credentials()
                .await
                .map_err(within("SSO")),
        }
    }
}

/// What the profile `name` asks for: where the first credentials come from, and the roles.
fn plan(files: &(SharedFile, SharedFile), name: &str) -> Result<Plan, ProviderError> {
    let select = |name: &str| {
        Profile::select(name, &files.0, &files.1)
            .map_err(|e| ProviderError::failed(NAME, format!("could not read the AWS shared config files: {e}")))
    };
    let selected = select(name)?;
    if !selected.is_defined() {
        return Err(ProviderError::not_configured(
            NAME,
            format!("no profile `{name}` in {}", describe_sources(selected.sources())),
        ));
    }
    let region = selected.region().map(str::to_owned);
    let mut roles = Vec::new();
    let mut visited = BTreeSet::new();
    let mut profile = selected;
    loop {
        if visited.len() >= MAX_CHAIN {
            return Err(ProviderError::failed(
                NAME,
                format!("the source_profile chain from `{name}` is longer than {MAX_CHAIN}"),
            ));
        }
        visited.insert(profile.name().to_owned());
        let is_source = !roles.is_empty();
        // In a source profile, static keys end the chain (as in the AWS SDKs).
        if is_source && let Some(credentials) = static_keys(&profile)? {
            roles.reverse();
            return Ok(Plan { base: Base::Static(credentials), roles, region });
        }
        let Some(role_arn) = profile.get("role_arn") else {
            let base = base_without_role(&profile, &files.0)?.ok_or_else(|| {
                let message = format!(
                    "profile `{}` has no credentials (no aws_access_key_id, role_arn, sso_session, sso_start_url or credential_process) in {}",
                    profile.name(),
                    describe_sources(profile.sources())
                );
                if is_source { ProviderError::failed(NAME, message) } else { ProviderError::not_configured(NAME, message) }
            })?;
            roles.reverse();
            return Ok(Plan { base, roles, region });
        };
        let role_arn = role_arn.to_owned();
        if let Some(token_file) = profile.get("web_identity_token_file") {
            let base = Base::WebIdentity {
                token_file: PathBuf::from(token_file),
                role_arn,
                session_name: profile.get("role_session_name").map(str::to_owned),
            };
            roles.reverse();
            return Ok(Plan { base, roles, region });
        }
        roles.push(role_settings(&profile, role_arn)?);
        match (profile.get("source_profile"), profile.get("credential_source")) {
            (Some(_), Some(_)) => {
                return Err(ProviderError::failed(
                    NAME,
                    format!("profile `{}` has both source_profile and credential_source: keep one", profile.name()),
                ));
            }
            (Some(source), None) if source == profile.name() => {
                // A profile that names itself assumes its role with its own static keys.
                let credentials = static_keys(&profile)?.ok_or_else(|| {
                    ProviderError::failed(
                        NAME,
                        format!("profile `{source}` is its own source_profile but has no static keys"),
                    )
                })?;
                roles.reverse();
                return Ok(Plan { base: Base::Static(credentials), roles, region });
            }
            (Some(source), None) => {
                if visited.contains(source) {
                    return Err(ProviderError::failed(
                        NAME,
                        format!("the source_profile chain from `{name}` loops back to `{source}`"),
                    ));
                }
                let next = select(source)?;
                if !next.is_defined() {
                    return Err(ProviderError::failed(
                        NAME,
                        format!("profile `{}` names source_profile `{source}`, which is not defined", profile.name()),
                    ));
                }
                profile = next;
            }
            (None, Some(source)) => {
                let base = match source.trim() {
                    "Environment" => Base::Environment,
                    "Ec2InstanceMetadata" => Base::Imds,
                    "EcsContainer" => Base::Container,
                    other => {
                        return Err(ProviderError::failed(
                            NAME,
                            format!(
                                "profile `{}` has credential_source {other:?}: expected Environment, Ec2InstanceMetadata or EcsContainer",
                                profile.name()
                            ),
                        ));
                    }
                };
                roles.reverse();
                return Ok(Plan { base, roles, region });
            }
            (None, None) => {
                return Err(ProviderError::failed(
                    NAME,
                    format!(
                        "profile `{}` has role_arn but neither source_profile, credential_source nor web_identity_token_file",
                        profile.name()
                    ),
                ));
            }
        }
    }
}

/// The base of a profile without `role_arn`: SSO, a process, or static keys.
fn base_without_role(profile: &Profile, config_file: &SharedFile) -> Result<Option<Base>, ProviderError> {
    if profile.get("sso_session").is_some() || profile.get("sso_start_url").is_some() {
        return SsoSettings::from_profile(profile, config_file).map(|settings| Some(Base::Sso(settings)));
    }
    if let Some(command) = profile.get("credential_process") {
        return Ok(Some(Base::Process(command.to_owned())));
    }
    Ok(static_keys(profile)?.map(Base::Static))
}

/// The profile's static keys; an error when it has one key only.
fn static_keys(profile: &Profile) -> Result<Option<Credentials>, ProviderError> {
    let partial = |present: &str, missing: &str| {
        Err(ProviderError::failed(
            NAME,
            format!(
                "profile `{}` has {present} but no {missing} (files: {})",
                profile.name(),
                describe_sources(profile.sources())
            ),
        ))
    };
    match (profile.aws_access_key_id(), profile.aws_secret_access_key()) {
        (None, None) => Ok(None),
        (Some(access_key), Some(secret_key)) => Ok(Some(Credentials::new(
            access_key,
            secret_key,
            profile.aws_session_token().map(str::to_owned),
            None,
            NAME,
        ))),
        (Some(_), None) => partial("aws_access_key_id", "aws_secret_access_key"),
        (None, Some(_)) => partial("aws_secret_access_key", "aws_access_key_id"),
    }
}

fn role_settings(profile: &Profile, role_arn: String) -> Result<RoleSettings, ProviderError> {
    let duration_seconds = profile
        .get("duration_seconds")
        .map(|text| {
            text.trim().parse::<i32>().map_err(|_| {
                ProviderError::failed(
                    NAME,
                    format!("profile `{}`: duration_seconds {text:?} is not a whole number of seconds", profile.name()),
                )
            })
        })
        .transpose()?;
    Ok(RoleSettings {
        role_arn,
        session_name: profile.get("role_session_name").map(str::to_owned),
        external_id: profile.get("external_id").map(str::to_owned),
        duration_seconds,
    })
}

/// The files, as errors name them: `PATH (not found)`, `PATH (has this profile)`...
fn describe_sources(sources: &[SourceFile]) -> String {
    sources.iter().map(ToString::to_string).collect::<Vec<_>>().join(" and ")
}

impl fmt::Debug for ProfileProvider {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ProfileProvider")
            .field("env", &self.env)
            .field("profile", &self.profile)
            .finish_non_exhaustive()
    }
}

impl ProvideCredentials for ProfileProvider {
    fn provide_credentials<'a>(&'a self) -> future::ProvideCredentials<'a>
    where
        Self: 'a,
    {
        future::ProvideCredentials::new(async move {
            self.credentials().await.map_err(ProviderError::into_credentials_error)
        })
    }
}
