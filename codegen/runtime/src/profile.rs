//! The shared AWS config files: `~/.aws/config` and `~/.aws/credentials`.
//!
//! [`Profile::load`] finds both files (`AWS_CONFIG_FILE` and `AWS_SHARED_CREDENTIALS_FILE`
//! override the paths, `~` is `HOME`), parses them and selects the profile named by
//! `AWS_PROFILE` (`default` when unset). The environment is read through [`Env`], so tests and
//! callers can hand in a fixed set of variables instead of the process environment.
//!
//! The format follows the AWS SDKs' shared-config format:
//! - `[default]` and `[profile NAME]` sections in the config file (other sections, such as
//!   `[sso-session NAME]` or `[services NAME]`, are not profiles and are skipped; a
//!   `[profile default]` section takes the place of a `[default]` one);
//! - `[NAME]` sections in the credentials file (a `[profile NAME]` section there is skipped);
//! - `name = value` properties, names compared without regard to ASCII case;
//! - whole-line comments starting with `#` or `;`, and trailing comments on a property line
//!   when the `#` or `;` follows whitespace (`key = a#b` keeps `a#b`);
//! - indented lines continue the previous property (as in nested `s3 =` settings).
//!
//! For one profile, values from the credentials file win over values from the config file.
//! A missing file is not an error; a malformed line is, reported with its file and line number
//! (never with the line's text, which could hold a secret).

use std::collections::BTreeMap;
use std::error::Error;
use std::fmt;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// The profile used when `AWS_PROFILE` is not set.
pub const DEFAULT_PROFILE: &str = "default";

/// Property names whose values are secret: [`Profile`]'s `Debug` never prints them.
const SECRET_MARKERS: &[&str] = &["secret", "token", "password", "credential_process"];

/// A read-only view of environment variables.
///
/// The runtime reads every variable through this type, so tests can pass a fixed map and never
/// touch the process environment. An empty value counts as unset, as in the AWS SDKs.
#[derive(Clone)]
pub struct Env {
    source: EnvSource,
}

#[derive(Clone)]
enum EnvSource {
    Process,
    Fixed(Arc<BTreeMap<String, String>>),
}

impl Env {
    /// The environment of the current process.
    pub fn process() -> Self {
        Self { source: EnvSource::Process }
    }

    /// A fixed set of variables; every other variable is unset.
    pub fn from_pairs<I, K, V>(pairs: I) -> Self
    where
        I: IntoIterator<Item = (K, V)>,
        K: Into<String>,
        V: Into<String>,
    {
        let vars = pairs.into_iter().map(|(key, value)| (key.into(), value.into())).collect();
        Self { source: EnvSource::Fixed(Arc::new(vars)) }
    }

    /// No variables at all.
    pub fn empty() -> Self {
        Self::from_pairs(std::iter::empty::<(String, String)>())
    }

    /// The value of `name`, or `None` when it is unset, empty or not valid Unicode.
    pub fn get(&self, name: &str) -> Option<String> {
        let value = match &self.source {
            EnvSource::Process => std::env::var(name).ok(),
            EnvSource::Fixed(vars) => vars.get(name).cloned(),
        };
        value.filter(|value| !value.is_empty())
    }

    /// Whether `name` is set to a non-empty value.
    pub fn is_set(&self, name: &str) -> bool {
        self.get(name).is_some()
    }
}

impl Default for Env {
    fn default() -> Self {
        Self::process()
    }
}

impl fmt::Debug for Env {
    /// Names only: values may be secrets.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.source {
            EnvSource::Process => f.write_str("Env::process()"),
            EnvSource::Fixed(vars) => f.debug_set().entries(vars.keys()).finish(),
        }
    }
}

/// Which of the two shared files a text comes from. The kinds name their sections differently.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum FileKind {
    /// `~/.aws/config`: `[default]` and `[profile NAME]` sections.
    Config,
    /// `~/.aws/credentials`: `[NAME]` sections.
    Credentials,
}

impl FileKind {
    /// The environment variable that overrides this file's path.
    pub fn path_variable(self) -> &'static str {
        match self {
            FileKind::Config => "AWS_CONFIG_FILE",
            FileKind::Credentials => "AWS_SHARED_CREDENTIALS_FILE",
        }
    }

    /// The default path, relative to the home directory.
    fn default_path(self) -> &'static str {
        match self {
            FileKind::Config => "~/.aws/config",
            FileKind::Credentials => "~/.aws/credentials",
        }
    }

    /// The path of this file for `env`: the override variable, else the default under `HOME`.
    ///
    /// A leading `~/` is expanded with `HOME` (or `USERPROFILE` on Windows). When the home
    /// directory is unknown, the path is returned unexpanded and will not be found.
    pub fn path(self, env: &Env) -> PathBuf {
        let raw = env.get(self.path_variable()).unwrap_or_else(|| self.default_path().to_owned());
        expand_home(&raw, env)
    }
}

pub(crate) fn expand_home(raw: &str, env: &Env) -> PathBuf {
    let rest = if raw == "~" { Some("") } else { raw.strip_prefix("~/").or_else(|| raw.strip_prefix("~\\")) };
    match (rest, env.get("HOME").or_else(|| env.get("USERPROFILE"))) {
        (Some(rest), Some(home)) => Path::new(&home).join(rest),
        _ => PathBuf::from(raw),
    }
}

impl fmt::Display for FileKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            FileKind::Config => "config file",
            FileKind::Credentials => "credentials file",
        })
    }
}

/// The text of one shared file, or the fact that it does not exist.
#[derive(Clone)]
pub struct SharedFile {
    kind: FileKind,
    path: PathBuf,
    contents: Option<String>,
}

impl SharedFile {
    /// A file with the given contents (`None`: the file does not exist).
    pub fn new(kind: FileKind, path: impl Into<PathBuf>, contents: Option<String>) -> Self {
        Self { kind, path: path.into(), contents }
    }

    /// Reads the file at `path`. A missing file gives a `SharedFile` without contents.
    pub fn read(kind: FileKind, path: impl Into<PathBuf>) -> Result<Self, ProfileError> {
        let path = path.into();
        match std::fs::read_to_string(&path) {
            Ok(text) => Ok(Self::new(kind, path, Some(text))),
            Err(error) if error.kind() == io::ErrorKind::NotFound => Ok(Self::new(kind, path, None)),
            Err(error) => Err(ProfileError::Read { path, source: error }),
        }
    }

    /// Which file this is.
    pub fn kind(&self) -> FileKind {
        self.kind
    }

    /// Where the file is (or would be).
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Whether the file exists.
    pub fn exists(&self) -> bool {
        self.contents.is_some()
    }
}

impl fmt::Debug for SharedFile {
    /// Path and size only: the contents may hold secrets.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SharedFile")
            .field("kind", &self.kind)
            .field("path", &self.path)
            .field("bytes", &self.contents.as_ref().map(String::len))
            .finish()
    }
}

/// A file that was consulted while selecting a profile, and what it held.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SourceFile {
    kind: FileKind,
    path: PathBuf,
    exists: bool,
    defines_profile: bool,
}

impl SourceFile {
    /// Which file this is.
    pub fn kind(&self) -> FileKind {
        self.kind
    }

    /// Where the file is (or would be).
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Whether the file exists.
    pub fn exists(&self) -> bool {
        self.exists
    }

    /// Whether the file has a section for the selected profile.
    pub fn defines_profile(&self) -> bool {
        self.defines_profile
    }
}

impl fmt::Display for SourceFile {
    /// For example `/home/me/.aws/config (no section for this profile)`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let state = match (self.exists, self.defines_profile) {
            (false, _) => "not found",
            (true, false) => "no section for this profile",
            (true, true) => "has this profile",
        };
        write!(f, "{} ({state})", self.path.display())
    }
}

/// The selected profile: its properties merged from both files.
#[derive(Clone)]
pub struct Profile {
    name: String,
    properties: BTreeMap<String, String>,
    sources: Vec<SourceFile>,
}

impl Profile {
    /// Finds, reads and parses both shared files for `env`, and selects the `AWS_PROFILE`
    /// profile (`default` when unset).
    ///
    /// Missing files and a missing profile are not errors: the profile is then empty (see
    /// [`Profile::is_defined`]). Unreadable files and malformed lines are.
    pub fn load(env: &Env) -> Result<Self, ProfileError> {
        let name = selected_profile_name(env);
        let config = SharedFile::read(FileKind::Config, FileKind::Config.path(env))?;
        let credentials = SharedFile::read(FileKind::Credentials, FileKind::Credentials.path(env))?;
        Self::select(&name, &config, &credentials)
    }

    /// Parses both files and selects the profile `name`; credentials-file values win.
    pub fn select(name: &str, config: &SharedFile, credentials: &SharedFile) -> Result<Self, ProfileError> {
        let mut properties = BTreeMap::new();
        let mut sources = Vec::with_capacity(2);
        // The credentials file goes last so that its values overwrite the config file's.
        for file in [config, credentials] {
            let mut defines_profile = false;
            if let Some(text) = &file.contents {
                let profiles = parse(file.kind, &file.path, text)?;
                if let Some(found) = profiles.get(name) {
                    defines_profile = true;
                    properties.extend(found.iter().map(|(k, v)| (k.clone(), v.clone())));
                }
            }
            sources.push(SourceFile {
                kind: file.kind,
                path: file.path.clone(),
                exists: file.exists(),
                defines_profile,
            });
        }
        // Report the files in precedence order: credentials first.
        sources.reverse();
        Ok(Self { name: name.to_owned(), properties, sources })
    }

    /// The profile's name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Whether either file has a section for this profile.
    pub fn is_defined(&self) -> bool {
        self.sources.iter().any(SourceFile::defines_profile)
    }

    /// The files consulted, in precedence order (credentials file first).
    pub fn sources(&self) -> &[SourceFile] {
        &self.sources
    }

    /// The value of property `key` (ASCII case-insensitive).
    pub fn get(&self, key: &str) -> Option<&str> {
        match self.properties.get(key) {
            Some(value) => Some(value),
            None => self.properties.get(&key.to_ascii_lowercase()).map(String::as_str),
        }
    }

    /// The names of the properties set in this profile, lowercase and sorted.
    pub fn keys(&self) -> impl Iterator<Item = &str> {
        self.properties.keys().map(String::as_str)
    }

    /// `aws_access_key_id`.
    pub fn aws_access_key_id(&self) -> Option<&str> {
        self.get("aws_access_key_id")
    }

    /// `aws_secret_access_key`.
    pub fn aws_secret_access_key(&self) -> Option<&str> {
        self.get("aws_secret_access_key")
    }

    /// `aws_session_token`.
    pub fn aws_session_token(&self) -> Option<&str> {
        self.get("aws_session_token")
    }

    /// `region`.
    pub fn region(&self) -> Option<&str> {
        self.get("region")
    }
}

impl fmt::Debug for Profile {
    /// Values of secret properties (secret keys, tokens, passwords, credential processes) are
    /// redacted.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        struct Properties<'a>(&'a BTreeMap<String, String>);
        impl fmt::Debug for Properties<'_> {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                let mut map = f.debug_map();
                for (key, value) in self.0 {
                    if SECRET_MARKERS.iter().any(|marker| key.contains(marker)) {
                        map.entry(key, &"** redacted **");
                    } else {
                        map.entry(key, value);
                    }
                }
                map.finish()
            }
        }
        f.debug_struct("Profile")
            .field("name", &self.name)
            .field("properties", &Properties(&self.properties))
            .field("sources", &self.sources)
            .finish()
    }
}

/// The profile named by `AWS_PROFILE`, or [`DEFAULT_PROFILE`].
pub fn selected_profile_name(env: &Env) -> String {
    env.get("AWS_PROFILE")
        .map(|name| name.trim().to_owned())
        .filter(|name| !name.is_empty())
        .unwrap_or_else(|| DEFAULT_PROFILE.to_owned())
}

/// Why the shared files could not be used.
#[derive(Debug)]
#[non_exhaustive]
pub enum ProfileError {
    /// A file exists but could not be read (permissions, not UTF-8, ...).
    Read {
        /// The file.
        path: PathBuf,
        /// What the operating system said.
        source: io::Error,
    },
    /// A line of a file is not valid shared-config syntax.
    Parse {
        /// The file.
        path: PathBuf,
        /// The 1-based line number.
        line: usize,
        /// What is wrong with the line.
        message: &'static str,
    },
}

impl fmt::Display for ProfileError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ProfileError::Read { path, .. } => {
                write!(f, "could not read AWS shared config file {}", path.display())
            }
            ProfileError::Parse { path, line, message } => {
                write!(f, "malformed AWS shared config file {}, line {line}: {message}", path.display())
            }
        }
    }
}

impl Error for ProfileError {
    fn source(&self) -> Option<&(dyn Error + 'static)> {
        match self {
            ProfileError::Read { source, .. } => Some(source),
            ProfileError::Parse { .. } => None,
        }
    }
}

/// Properties of one profile, keyed by lowercase name.
type Properties = BTreeMap<String, String>;

/// Parses one file into its profiles, keyed by profile name (sections that are not profiles
/// for this kind of file are dropped after their lines have been checked).
fn parse(kind: FileKind, path: &Path, text: &str) -> Result<BTreeMap<String, Properties>, ProfileError> {
    let sections = sections(path, text)?;
    let has_prefixed_default = kind == FileKind::Config
        && sections.iter().any(|(name, _)| profile_name(kind, name) == Some((DEFAULT_PROFILE, true)));
    let mut profiles: BTreeMap<String, Properties> = BTreeMap::new();
    for (section, properties) in sections {
        let Some((name, prefixed)) = profile_name(kind, &section) else {
            continue;
        };
        if name == DEFAULT_PROFILE && !prefixed && has_prefixed_default {
            // `[profile default]` replaces `[default]` (as in the AWS SDKs).
            continue;
        }
        profiles.entry(name.to_owned()).or_default().extend(properties);
    }
    Ok(profiles)
}

/// The properties of the config file's `[sso-session NAME]` section, if it has one (SSO
/// settings a profile names with `sso_session`).
pub fn sso_session(name: &str, config: &SharedFile) -> Result<Option<BTreeMap<String, String>>, ProfileError> {
    let Some(text) = &config.contents else { return Ok(None) };
    let wanted = |section: &str| {
        section
            .strip_prefix("sso-session")
            .filter(|rest| rest.starts_with(WHITESPACE))
            .is_some_and(|rest| rest.trim_matches(WHITESPACE) == name)
    };
    Ok(sections(&config.path, text)?.into_iter().find(|(section, _)| wanted(section)).map(|(_, properties)| properties))
}

/// Every section of a file, in order of first appearance (repeated sections merged).
fn sections(path: &Path, text: &str) -> Result<Vec<(String, Properties)>, ProfileError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    // Sections in order of first appearance; repeated sections merge.
    let mut sections: Vec<(String, Properties)> = Vec::new();
    let mut current: Option<usize> = None;
    let mut last_key: Option<String> = None;
    for (index, line) in text.lines().enumerate() {
        let error = |message| ProfileError::Parse { path: path.to_owned(), line: index + 1, message };
        if line.trim_matches(WHITESPACE).is_empty() || line.starts_with(COMMENT) {
            continue;
        }
        if line.starts_with('[') {
            let header = strip_comment(line, false);
            let name = header
                .strip_prefix('[')
                .and_then(|rest| rest.strip_suffix(']'))
                .ok_or_else(|| error("a section header must end with `]`"))?
                .trim_matches(WHITESPACE);
            if name.is_empty() {
                return Err(error("a section header must have a name"));
            }
            current = Some(match sections.iter().position(|(n, _)| n == name) {
                Some(position) => position,
                None => {
                    sections.push((name.to_owned(), Properties::new()));
                    sections.len() - 1
                }
            });
            last_key = None;
        } else if line.starts_with(WHITESPACE) {
            let section = current.ok_or_else(|| error("an indented line must follow a property"))?;
            let key = last_key.as_ref().ok_or_else(|| error("an indented line must follow a property"))?;
            if let Some(value) = sections[section].1.get_mut(key) {
                value.push('\n');
                value.push_str(line.trim_matches(WHITESPACE));
            }
        } else {
            let section = current.ok_or_else(|| error("a property must come after a `[section]` header"))?;
            let (key, value) = strip_comment(line, true)
                .split_once('=')
                .ok_or_else(|| error("expected `name = value`, a `[section]` header or a comment"))?;
            let key = key.trim_matches(WHITESPACE).to_ascii_lowercase();
            if key.is_empty() {
                return Err(error("a property must have a name before `=`"));
            }
            sections[section].1.insert(key.clone(), value.trim_matches(WHITESPACE).to_owned());
            last_key = Some(key);
        }
    }
    Ok(sections)
}

/// The profile a section defines in a file of `kind`, and whether it used the `profile ` prefix;
/// `None` when the section is not a profile there.
fn profile_name(kind: FileKind, section: &str) -> Option<(&str, bool)> {
    let prefixed = section
        .strip_prefix("profile")
        .filter(|rest| rest.starts_with(WHITESPACE))
        .map(|rest| rest.trim_matches(WHITESPACE));
    match (kind, prefixed) {
        (FileKind::Config, Some(name)) if !name.is_empty() => Some((name, true)),
        (FileKind::Config, None) if section == DEFAULT_PROFILE => Some((section, false)),
        (FileKind::Credentials, None) => Some((section, false)),
        _ => None,
    }
}

/// Whitespace as the shared-config format defines it.
const WHITESPACE: &[char] = &[' ', '\t'];
/// Characters that start a comment.
const COMMENT: &[char] = &['#', ';'];

/// Trims `line` and drops a trailing comment. On property lines a comment character only
/// starts a comment after whitespace, so values such as `a#b` survive.
fn strip_comment(line: &str, needs_whitespace: bool) -> &str {
    let line = line.trim_matches(WHITESPACE);
    let mut previous_is_space = false;
    for (index, character) in line.char_indices() {
        if COMMENT.contains(&character) && (previous_is_space || !needs_whitespace) {
            return line[..index].trim_matches(WHITESPACE);
        }
        previous_is_space = WHITESPACE.contains(&character);
    }
    line
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(text: &str) -> SharedFile {
        SharedFile::new(FileKind::Config, "/home/me/.aws/config", Some(text.to_owned()))
    }

    fn credentials(text: &str) -> SharedFile {
        SharedFile::new(FileKind::Credentials, "/home/me/.aws/credentials", Some(text.to_owned()))
    }

    fn missing(kind: FileKind) -> SharedFile {
        SharedFile::new(kind, format!("/nowhere/{kind:?}"), None)
    }

    fn select(name: &str, config: &SharedFile, credentials: &SharedFile) -> Profile {
        match Profile::select(name, config, credentials) {
            Ok(profile) => profile,
            Err(error) => panic!("unexpected error: {error}"),
        }
    }

    fn parse_error(file: &SharedFile) -> (usize, &'static str, String) {
        match Profile::select("default", file, &missing(FileKind::Credentials)) {
            Err(error @ ProfileError::Parse { line, message, .. }) => (line, message, error.to_string()),
            other => panic!("expected a parse error, got {other:?}"),
        }
    }

    #[test]
    fn config_file_uses_default_and_profile_prefixed_sections() {
        let file =
            config("[default]\nregion = us-east-1\n\n[profile dev]\nregion = eu-west-1\n\n[dev]\nregion = ignored\n");
        let credentials = missing(FileKind::Credentials);
        assert_eq!(select("default", &file, &credentials).region(), Some("us-east-1"));
        assert_eq!(select("dev", &file, &credentials).region(), Some("eu-west-1"));
    }

    #[test]
    fn credentials_file_uses_bare_section_names_and_skips_profile_prefix() {
        let file =
            credentials("[dev]\naws_access_key_id = AKID_DEV\n[profile other]\naws_access_key_id = AKID_OTHER\n");
        let config = missing(FileKind::Config);
        assert_eq!(select("dev", &config, &file).aws_access_key_id(), Some("AKID_DEV"));
        assert!(!select("other", &config, &file).is_defined());
    }

    #[test]
    fn profile_default_section_replaces_default_section_in_config_file() {
        let file = config("[default]\nregion = a\noutput = json\n[profile default]\nregion = b\n");
        let profile = select("default", &file, &missing(FileKind::Credentials));
        assert_eq!(profile.region(), Some("b"));
        assert_eq!(profile.get("output"), None);
    }

    #[test]
    fn non_profile_sections_in_config_file_are_skipped() {
        let file = config("[sso-session corp]\nregion = x\n[services dev]\nregion = y\n");
        assert!(!select("corp", &file, &missing(FileKind::Credentials)).is_defined());
        assert!(!select("dev", &file, &missing(FileKind::Credentials)).is_defined());
    }

    #[test]
    fn credentials_file_values_win_over_config_file_values() {
        let config = config("[profile dev]\nregion = eu-west-1\naws_access_key_id = FROM_CONFIG\n");
        let credentials = credentials("[dev]\naws_access_key_id = FROM_CREDENTIALS\n");
        let profile = select("dev", &config, &credentials);
        assert_eq!(profile.aws_access_key_id(), Some("FROM_CREDENTIALS"));
        assert_eq!(profile.region(), Some("eu-west-1"));
    }

    #[test]
    fn comments_blank_lines_and_inline_comments() {
        let file = config(
            "# leading comment\n; another\n\n[default] # header comment\nregion = us-west-2 # trailing\nendpoint_url = http://h/a#b\noutput=json;still-value\n",
        );
        let profile = select("default", &file, &missing(FileKind::Credentials));
        assert_eq!(profile.region(), Some("us-west-2"));
        assert_eq!(profile.get("endpoint_url"), Some("http://h/a#b"));
        assert_eq!(profile.get("output"), Some("json;still-value"));
    }

    #[test]
    fn property_names_are_case_insensitive_and_values_trimmed() {
        let file = credentials("[default]\n  \nAWS_Access_Key_ID   =   AKID  \n");
        let profile = select("default", &missing(FileKind::Config), &file);
        assert_eq!(profile.aws_access_key_id(), Some("AKID"));
        assert_eq!(profile.get("AWS_ACCESS_KEY_ID"), Some("AKID"));
    }

    #[test]
    fn repeated_sections_merge_and_later_values_win() {
        let file = credentials("[default]\na = 1\nb = 1\n[other]\n[default]\nb = 2\n");
        let profile = select("default", &missing(FileKind::Config), &file);
        assert_eq!((profile.get("a"), profile.get("b")), (Some("1"), Some("2")));
    }

    #[test]
    fn indented_lines_continue_the_previous_property() {
        let file = config("[default]\ns3 =\n  max_concurrent_requests = 20\n  addressing_style = path\n");
        let profile = select("default", &file, &missing(FileKind::Credentials));
        assert_eq!(profile.get("s3"), Some("\nmax_concurrent_requests = 20\naddressing_style = path"));
    }

    #[test]
    fn crlf_line_endings_and_byte_order_mark_are_accepted() {
        let file = config("\u{feff}[default]\r\nregion = ap-south-1\r\n");
        let profile = select("default", &file, &missing(FileKind::Credentials));
        assert_eq!(profile.region(), Some("ap-south-1"));
    }

    #[test]
    fn malformed_line_is_reported_with_file_and_line_number() {
        let file = config("[default]\nregion = us-east-1\n\nthis line has no equals sign\n");
        let (line, message, display) = parse_error(&file);
        assert_eq!(line, 4);
        assert_eq!(message, "expected `name = value`, a `[section]` header or a comment");
        assert_eq!(
            display,
            "malformed AWS shared config file /home/me/.aws/config, line 4: \
             expected `name = value`, a `[section]` header or a comment"
        );
    }

    #[test]
    fn malformed_line_error_does_not_repeat_the_line() {
        let file = credentials("[default]\naws_secret_access_key wJalrXUtnFEMI/K7MDENG\n");
        let error = Profile::select("default", &missing(FileKind::Config), &file)
            .err()
            .map(|error| format!("{error} {error:?}"))
            .unwrap_or_default();
        assert!(error.contains("line 2"), "{error}");
        assert!(!error.contains("wJalr"), "{error}");
    }

    #[test]
    fn other_malformed_lines() {
        assert_eq!(parse_error(&config("region = x\n")).0, 1);
        assert_eq!(parse_error(&config("[default\nregion = x\n")).1, "a section header must end with `]`");
        assert_eq!(parse_error(&config("[default] junk\n")).0, 1);
        assert_eq!(parse_error(&config("[ ]\n")).1, "a section header must have a name");
        assert_eq!(parse_error(&config("[default]\n= x\n")).1, "a property must have a name before `=`");
        assert_eq!(parse_error(&config("[default]\n  indented\n")).0, 2);
    }

    #[test]
    fn missing_files_and_missing_profile_are_not_errors() {
        let profile = select("dev", &missing(FileKind::Config), &missing(FileKind::Credentials));
        assert!(!profile.is_defined());
        assert_eq!(profile.region(), None);
        assert!(profile.sources().iter().all(|source| !source.exists()));
    }

    #[test]
    fn sources_are_listed_credentials_first_with_their_state() {
        let profile = select("dev", &config("[profile dev]\nregion = x\n"), &missing(FileKind::Credentials));
        let described: Vec<String> = profile.sources().iter().map(ToString::to_string).collect();
        assert_eq!(described, ["/nowhere/Credentials (not found)", "/home/me/.aws/config (has this profile)"]);
    }

    #[test]
    fn debug_redacts_secret_values() {
        let file = credentials(
            "[default]\naws_access_key_id = AKIDVISIBLE\naws_secret_access_key = SECRETVALUE\naws_session_token = TOKENVALUE\n",
        );
        let debug = format!("{:?}", select("default", &missing(FileKind::Config), &file));
        assert!(debug.contains("AKIDVISIBLE"), "{debug}");
        assert!(!debug.contains("SECRETVALUE"), "{debug}");
        assert!(!debug.contains("TOKENVALUE"), "{debug}");
        let debug = format!("{:?}", file);
        assert!(!debug.contains("SECRETVALUE"), "{debug}");
    }

    #[test]
    fn env_treats_empty_values_as_unset_and_debug_shows_names_only() {
        let env = Env::from_pairs([("A", "1"), ("EMPTY", ""), ("SECRET", "hunter2")]);
        assert_eq!(env.get("A").as_deref(), Some("1"));
        assert_eq!(env.get("EMPTY"), None);
        assert_eq!(env.get("UNSET"), None);
        assert!(!format!("{env:?}").contains("hunter2"));
    }

    #[test]
    fn profile_name_comes_from_aws_profile() {
        assert_eq!(selected_profile_name(&Env::from_pairs([("AWS_PROFILE", "dev")])), "dev");
        assert_eq!(selected_profile_name(&Env::empty()), "default");
    }

    #[test]
    fn file_paths_default_to_home_and_can_be_overridden() {
        let env = Env::from_pairs([("HOME", "/home/me")]);
        assert_eq!(FileKind::Config.path(&env), PathBuf::from("/home/me/.aws/config"));
        assert_eq!(FileKind::Credentials.path(&env), PathBuf::from("/home/me/.aws/credentials"));
        let env = Env::from_pairs([
            ("HOME", "/home/me"),
            ("AWS_CONFIG_FILE", "~/custom/config"),
            ("AWS_SHARED_CREDENTIALS_FILE", "/etc/aws/creds"),
        ]);
        assert_eq!(FileKind::Config.path(&env), PathBuf::from("/home/me/custom/config"));
        assert_eq!(FileKind::Credentials.path(&env), PathBuf::from("/etc/aws/creds"));
    }

    /// A directory under the system temp dir, removed on drop.
    struct TempDir(PathBuf);

    impl TempDir {
        fn new(name: &str) -> Self {
            let path = std::env::temp_dir().join(format!(
                "awsgen-profile-{name}-{}-{}",
                std::process::id(),
                fastrand::u64(..)
            ));
            std::fs::create_dir_all(path.join(".aws")).expect("create temp dir");
            Self(path)
        }

        fn write(&self, relative: &str, text: &str) {
            std::fs::write(self.0.join(relative), text).expect("write temp file");
        }
    }

    impl Drop for TempDir {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }

    #[test]
    fn load_reads_both_files_from_home_for_the_selected_profile() {
        let home = TempDir::new("load");
        home.write(".aws/config", "[profile dev]\nregion = eu-central-1\n");
        home.write(".aws/credentials", "[dev]\naws_access_key_id = AKID\n");
        let env = Env::from_pairs([("HOME", home.0.to_string_lossy().into_owned()), ("AWS_PROFILE", "dev".to_owned())]);
        let profile = Profile::load(&env).expect("profile loads");
        assert_eq!(profile.name(), "dev");
        assert_eq!(profile.region(), Some("eu-central-1"));
        assert_eq!(profile.aws_access_key_id(), Some("AKID"));
    }

    #[test]
    fn load_with_no_files_gives_an_undefined_profile() {
        let home = TempDir::new("empty");
        let env = Env::from_pairs([("HOME", home.0.to_string_lossy().into_owned())]);
        let profile = Profile::load(&env).expect("missing files are fine");
        assert_eq!(profile.name(), "default");
        assert!(!profile.is_defined());
    }

    #[test]
    fn load_reports_the_overridden_path_of_a_malformed_file() {
        let home = TempDir::new("malformed");
        home.write("my-config", "[default]\nregion\n");
        let path = home.0.join("my-config");
        let env = Env::from_pairs([("AWS_CONFIG_FILE", path.to_string_lossy().into_owned())]);
        match Profile::load(&env) {
            Err(ProfileError::Parse { path: reported, line: 2, .. }) => assert_eq!(reported, path),
            other => panic!("expected a parse error on line 2, got {other:?}"),
        }
    }
}
