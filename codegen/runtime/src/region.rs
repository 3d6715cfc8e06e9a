//! The AWS region a client calls.
//!
//! [`default_region`] looks, in order, at `AWS_REGION`, `AWS_DEFAULT_REGION` and the `region`
//! of the selected profile in the shared config files (see [`super::profile`]). The files are
//! read only when neither variable is set.
//!
//! A region becomes part of a host name, so it is checked: ASCII letters, digits and `-` only.

use std::error::Error;
use std::fmt;

use super::profile::{Env, Profile, ProfileError};

/// A checked region name, and where it came from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Region {
    name: String,
    source: RegionSource,
}

/// Where a [`Region`] came from.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum RegionSource {
    /// Set in code.
    Explicit,
    /// The `AWS_REGION` environment variable.
    AwsRegion,
    /// The `AWS_DEFAULT_REGION` environment variable.
    AwsDefaultRegion,
    /// The `region` property of this profile.
    Profile(String),
}

impl fmt::Display for RegionSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RegionSource::Explicit => f.write_str("the client configuration"),
            RegionSource::AwsRegion => f.write_str("the environment variable AWS_REGION"),
            RegionSource::AwsDefaultRegion => f.write_str("the environment variable AWS_DEFAULT_REGION"),
            RegionSource::Profile(name) => write!(f, "the `region` of profile `{name}`"),
        }
    }
}

impl Region {
    /// A region set in code, e.g. `Region::new("us-east-1")`.
    pub fn new(name: impl Into<String>) -> Result<Self, RegionError> {
        Self::checked(name.into(), RegionSource::Explicit)
    }

    fn checked(name: String, source: RegionSource) -> Result<Self, RegionError> {
        let name = name.trim().to_owned();
        let valid = !name.is_empty()
            && name.len() <= 63
            && !name.starts_with('-')
            && !name.ends_with('-')
            && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-');
        if valid { Ok(Self { name, source }) } else { Err(RegionError::Invalid { name, origin: source }) }
    }

    /// The region name, e.g. `us-east-1`.
    pub fn as_str(&self) -> &str {
        &self.name
    }

    /// Where the region came from.
    pub fn source(&self) -> &RegionSource {
        &self.source
    }
}

impl fmt::Display for Region {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.name)
    }
}

/// The default region for `env`: `AWS_REGION`, then `AWS_DEFAULT_REGION`, then the selected
/// profile's `region`; `None` when none is set.
pub fn default_region(env: &Env) -> Result<Option<Region>, RegionError> {
    if let Some(name) = env.get("AWS_REGION") {
        return Region::checked(name, RegionSource::AwsRegion).map(Some);
    }
    if let Some(name) = env.get("AWS_DEFAULT_REGION") {
        return Region::checked(name, RegionSource::AwsDefaultRegion).map(Some);
    }
    let profile = Profile::load(env).map_err(RegionError::Profile)?;
    match profile.region() {
        Some(name) if !name.is_empty() => {
            Region::checked(name.to_owned(), RegionSource::Profile(profile.name().to_owned())).map(Some)
        }
        _ => Ok(None),
    }
}

/// Why no usable region could be determined.
#[derive(Debug)]
#[non_exhaustive]
pub enum RegionError {
    /// A region was given but is not a valid region name.
    Invalid {
        /// The value given.
        name: String,
        /// Where it was given.
        origin: RegionSource,
    },
    /// The shared config files could not be read.
    Profile(ProfileError),
}

impl fmt::Display for RegionError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RegionError::Invalid { name, origin } => write!(
                f,
                "invalid AWS region {name:?} from {origin}: expected letters, digits and `-`, \
                 e.g. `us-east-1`"
            ),
            RegionError::Profile(error) => {
                write!(f, "could not read the region from the AWS shared config files: {error}")
            }
        }
    }
}

impl Error for RegionError {
    fn source(&self) -> Option<&(dyn Error + 'static)> {
        match self {
            RegionError::Invalid { .. } => None,
            RegionError::Profile(error) => Some(error),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An environment whose config file is `config` (written to a temp file) and whose other
    /// variables are `vars`.
    struct Setup {
        dir: std::path::PathBuf,
    }

    impl Setup {
        fn new(config: &str) -> Self {
            let dir = std::env::temp_dir().join(format!("awsgen-region-{}-{}", std::process::id(), fastrand::u64(..)));
            std::fs::create_dir_all(&dir).expect("create temp dir");
            std::fs::write(dir.join("config"), config).expect("write config");
            Self { dir }
        }

        fn env(&self, vars: &[(&str, &str)]) -> Env {
            let mut pairs = vec![
                ("AWS_CONFIG_FILE".to_owned(), self.dir.join("config").to_string_lossy().into_owned()),
                ("AWS_SHARED_CREDENTIALS_FILE".to_owned(), self.dir.join("none").to_string_lossy().into_owned()),
            ];
            pairs.extend(vars.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())));
            Env::from_pairs(pairs)
        }
    }

    impl Drop for Setup {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.dir);
        }
    }

    fn region(env: &Env) -> Option<(String, RegionSource)> {
        default_region(env)
            .expect("region resolves")
            .map(|region| (region.as_str().to_owned(), region.source().clone()))
    }

    const CONFIG: &str = "[default]\nregion = eu-west-1\n[profile dev]\nregion = ap-south-1\n";

    #[test]
    fn aws_region_comes_first() {
        let setup = Setup::new(CONFIG);
        let env = setup.env(&[("AWS_REGION", "us-east-1"), ("AWS_DEFAULT_REGION", "us-west-2")]);
        assert_eq!(region(&env), Some(("us-east-1".into(), RegionSource::AwsRegion)));
    }

    #[test]
    fn aws_default_region_comes_second() {
        let setup = Setup::new(CONFIG);
        let env = setup.env(&[("AWS_DEFAULT_REGION", "us-west-2")]);
        assert_eq!(region(&env), Some(("us-west-2".into(), RegionSource::AwsDefaultRegion)));
    }

    #[test]
    fn profile_region_comes_last() {
        let setup = Setup::new(CONFIG);
        assert_eq!(region(&setup.env(&[])), Some(("eu-west-1".into(), RegionSource::Profile("default".into()))));
        assert_eq!(
            region(&setup.env(&[("AWS_PROFILE", "dev")])),
            Some(("ap-south-1".into(), RegionSource::Profile("dev".into())))
        );
    }

    #[test]
    fn no_region_anywhere_is_none() {
        let setup = Setup::new("[default]\noutput = json\n");
        assert_eq!(region(&setup.env(&[])), None);
    }

    #[test]
    fn empty_variable_counts_as_unset() {
        let setup = Setup::new(CONFIG);
        let env = setup.env(&[("AWS_REGION", ""), ("AWS_DEFAULT_REGION", "us-west-2")]);
        assert_eq!(region(&env).map(|(name, _)| name), Some("us-west-2".into()));
    }

    #[test]
    fn variables_short_circuit_a_malformed_config_file() {
        let setup = Setup::new("[default\n");
        assert!(default_region(&setup.env(&[("AWS_REGION", "us-east-1")])).is_ok());
        let error = default_region(&setup.env(&[])).expect_err("malformed file");
        assert!(error.to_string().contains("line 1"), "{error}");
    }

    #[test]
    fn region_names_are_checked() {
        assert_eq!(Region::new(" us-gov-west-1 ").map(|r| r.to_string()).ok(), Some("us-gov-west-1".into()));
        for bad in ["", "evil.com/", "us east 1", "-us", "us_east_1"] {
            assert!(Region::new(bad).is_err(), "{bad:?} accepted");
        }
        let setup = Setup::new(CONFIG);
        let error = default_region(&setup.env(&[("AWS_REGION", "a.b")])).expect_err("invalid");
        assert_eq!(
            error.to_string(),
            "invalid AWS region \"a.b\" from the environment variable AWS_REGION: \
             expected letters, digits and `-`, e.g. `us-east-1`"
        );
    }
}
