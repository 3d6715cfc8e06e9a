//! The settings every client shares: region, credentials, endpoint, retries, timeouts and input
//! validation, with the defaults a user of the AWS SDKs expects; loaded once (from code, the
//! environment and the shared profile files) and handed to the client of every service, as
//! `aws_config::SdkConfig` is. Clones, and the clients made from them, share one credential
//! cache and one connection pool.

use std::fmt;
use std::sync::{Arc, OnceLock};
use std::time::{Duration, SystemTime};

use super::checksum::{RequestChecksumCalculation, ResponseChecksumValidation, UnknownChecksumSetting};
use super::credentials::{
    ClientConfig, DefaultCredentialsChain, ImdsRegion, ProvideCredentials, SharedCredentialsProvider,
};
use super::endpoint::ParamValue;
use super::endpoint_settings::EndpointSettings;
use super::http::{HttpClient, HttpConfig, HttpSend};
use super::profile::{Env, Profile};
use super::region::{Region, default_region};
use super::retry::{RetryConfig, RetryMode};

/// Makes idempotency tokens; the default makes random UUID v4s.
pub type TokenSource = Arc<dyn Fn() -> String + Send + Sync>;

/// A random UUID, version 4: the default idempotency token, as the AWS SDKs make it. From the
/// thread's `fastrand` generator, as aws-sdk-rust's tokens are: a token must be unique, not
/// secret, and reading the operating system's randomness for each call (as `uuid`'s `new_v4`
/// does) was 2% of a call's CPU time.
pub(crate) fn random_uuid() -> String {
    let mut bytes = fastrand::u128(..).to_be_bytes();
    bytes[6] = (bytes[6] & 0x0f) | 0x40; // version 4
    bytes[8] = (bytes[8] & 0x3f) | 0x80; // the RFC 9562 variant
    let mut text = String::with_capacity(36);
    for (i, byte) in bytes.iter().enumerate() {
        if matches!(i, 4 | 6 | 8 | 10) {
            text.push('-');
        }
        super::json::push_hex_byte(&mut text, *byte);
    }
    text
}

/// Tells the time used to sign requests; the default is the system clock.
pub type TimeSource = Arc<dyn Fn() -> SystemTime + Send + Sync>;

/// Request bodies of at least this many bytes are compressed by default (the AWS SDKs' value).
const DEFAULT_MIN_COMPRESSION_SIZE: usize = 10_240;
/// The largest minimum compression size the AWS SDKs accept (10 MiB).
const MAX_MIN_COMPRESSION_SIZE: usize = 10_485_760;

/// The settings of clients. Build one with [`Config::builder`], or take the environment's with
/// [`Config::from_env`], once, and make every service's client from it
/// (`awsgen_sagemaker::Client::new(&config)`, `awsgen_kms::Client::new(&config)`, ...): they
/// then share the credential provider with its cache and the HTTP connection pool. For one
/// service's own settings (another endpoint, say), derive a config with
/// [`to_builder`](Config::to_builder), which keeps sharing both.
#[derive(Clone)]
pub struct Config {
    pub(crate) region: Option<Region>,
    pub(crate) region_error: Option<String>,
    /// Where the region comes from when nothing set one: the instance metadata service, asked
    /// by the first call that needs a region (never by synchronous code).
    pub(crate) region_lookup: Option<ImdsRegion>,
    pub(crate) credentials: SharedCredentialsProvider,
    pub(crate) endpoint_url: Option<String>,
    pub(crate) endpoint_from_env: bool,
    pub(crate) use_fips: bool,
    pub(crate) use_dual_stack: bool,
    /// S3's addressing settings, the account-ID endpoint mode and client context parameters.
    pub(crate) endpoint_settings: EndpointSettings,
    pub(crate) retry: RetryConfig,
    pub(crate) http: HttpConfig,
    http_client: SharedHttpClient,
    /// What sends requests, when not the default hyper client.
    http_sender: Option<Arc<dyn HttpSend>>,
    pub(crate) operation_timeout: Option<Duration>,
    pub(crate) validate_input: bool,
    pub(crate) token_source: TokenSource,
    pub(crate) time_source: TimeSource,
    pub(crate) request_compression_disabled: bool,
    pub(crate) request_min_compression_size: usize,
    /// A setting from the environment or the profile that could not be read, reported by the
    /// first request (as an unreadable region is).
    pub(crate) settings_error: Option<String>,
    /// The application's name in the `User-Agent` (`AWS_SDK_UA_APP_ID`, `sdk_ua_app_id`).
    pub(crate) app_name: Option<String>,
    /// Rules that answer calls instead of the network (tests of programs using the client).
    #[cfg(feature = "test-util")]
    pub(crate) test_rules: Option<super::test_util::TestRules>,
    /// When requests get a checksum (`httpChecksum` operations).
    pub(crate) request_checksum_calculation: RequestChecksumCalculation,
    /// When response checksums are checked.
    pub(crate) response_checksum_validation: ResponseChecksumValidation,
}

/// The HTTP client of a config, made on first use and then shared by every clone of the config
/// (and every service client made from one).
#[derive(Clone, Default)]
struct SharedHttpClient(Arc<OnceLock<Result<HttpClient, String>>>);

impl From<&Config> for Config {
    /// A clone: clients made from it share `config`'s credential cache and connection pool.
    fn from(config: &Config) -> Config {
        config.clone()
    }
}

impl Config {
    /// A builder with the defaults: no region, the default credentials chain (environment, the
    /// shared profile files, web identity, the container endpoint, the instance metadata
    /// service; see [`DefaultCredentialsChain`]), standard retries (3 attempts), a 3.1 s connect timeout and
    /// required-member checks only.
    pub fn builder() -> ConfigBuilder {
        ConfigBuilder::default()
    }

    /// The defaults, with what the environment and the shared profile set: the region
    /// (`AWS_REGION`, `AWS_DEFAULT_REGION`, profile `region`), FIPS and dual-stack endpoints
    /// (`AWS_USE_FIPS_ENDPOINT`, `AWS_USE_DUALSTACK_ENDPOINT`, profile `use_fips_endpoint`,
    /// `use_dualstack_endpoint`) and an endpoint URL (`AWS_ENDPOINT_URL_<SERVICE>`, then
    /// `AWS_ENDPOINT_URL`).
    ///
    /// When neither the environment nor the profile names a region, the instance metadata
    /// service is asked, by the first call that needs one (not here: building a config never
    /// waits on the network), unless `AWS_EC2_METADATA_DISABLED` is `true`; the answer, or why
    /// there is none, is kept for every clone, and [`region`](Self::region) gives it once known.
    pub fn from_env() -> Config {
        Config::builder().load_env().build()
    }

    /// A builder holding every setting of this config, to change some for one service (an
    /// endpoint, say). The config it builds shares this one's credential provider (and its
    /// cache) and, unless a timeout is changed, its connection pool.
    pub fn to_builder(&self) -> ConfigBuilder {
        ConfigBuilder {
            region: None,
            region_from: Some((self.region.clone(), self.region_error.clone())),
            region_lookup: self.region_lookup.clone(),
            load_env: false,
            endpoint_from_env: self.endpoint_from_env,
            use_fips: Some(self.use_fips),
            use_dual_stack: Some(self.use_dual_stack),
            endpoint_settings: self.endpoint_settings.clone(),
            credentials: Some(self.credentials.clone()),
            endpoint_url: self.endpoint_url.clone(),
            retry: Some(self.retry.clone()),
            http: self.http.clone(),
            http_client: Some(self.http_client.clone()),
            http_sender: self.http_sender.clone(),
            operation_timeout: self.operation_timeout,
            validate_input: self.validate_input,
            token_source: Some(self.token_source.clone()),
            time_source: Some(self.time_source.clone()),
            request_compression_disabled: self.request_compression_disabled,
            request_min_compression_size: Some(self.request_min_compression_size),
            settings_error: self.settings_error.clone(),
            app_name: self.app_name.clone(),
            #[cfg(feature = "test-util")]
            test_rules: self.test_rules.clone(),
            request_checksum_calculation: Some(self.request_checksum_calculation),
            response_checksum_validation: Some(self.response_checksum_validation),
        }
    }

    /// When requests get a checksum (see [`RequestChecksumCalculation`]).
    pub fn request_checksum_calculation(&self) -> RequestChecksumCalculation {
        self.request_checksum_calculation
    }

    /// When response checksums are checked (see [`ResponseChecksumValidation`]).
    pub fn response_checksum_validation(&self) -> ResponseChecksumValidation {
        self.response_checksum_validation
    }

    /// The application name sent in the `User-Agent`, if any.
    pub fn app_name(&self) -> Option<&str> {
        self.app_name.as_deref()
    }

    /// The HTTP client, made on first use and shared by every clone of this config.
    pub fn http_client(&self) -> Result<&HttpClient, String> {
        self.http_client
            .0
            .get_or_init(|| match &self.http_sender {
                Some(sender) => Ok(HttpClient::with_sender(sender.clone(), self.http.clone())),
                None => HttpClient::new(self.http.clone()).map_err(|e| e.to_string()),
            })
            .as_ref()
            .map_err(Clone::clone)
    }

    /// Whether clients made from `self` and from `other` share a connection pool (they were
    /// made from one config, or one derived from the other without a new timeout).
    pub fn shares_connections_with(&self, other: &Config) -> bool {
        Arc::ptr_eq(&self.http_client.0, &other.http_client.0)
    }

    /// The credential provider every client of this config asks (with its cache).
    pub fn credentials_provider(&self) -> &SharedCredentialsProvider {
        &self.credentials
    }

    /// The region requests go to, if one is set (or, when none was, once a call has found it
    /// from the instance metadata service).
    pub fn region(&self) -> Option<&str> {
        self.region.as_ref().map(Region::as_str).or_else(|| self.region_lookup.as_ref().and_then(ImdsRegion::resolved))
    }

    /// The endpoint override, if one is set.
    pub fn endpoint_url(&self) -> Option<&str> {
        self.endpoint_url.as_deref()
    }

    /// Whether requests go to FIPS endpoints.
    pub fn use_fips(&self) -> bool {
        self.use_fips
    }

    /// Whether requests go to dual-stack (IPv4 and IPv6) endpoints.
    pub fn use_dual_stack(&self) -> bool {
        self.use_dual_stack
    }

    /// The settings that become endpoint-rule parameters besides region, FIPS, dual-stack and
    /// the endpoint URL (S3 addressing, client context parameters).
    pub fn endpoint_settings(&self) -> &EndpointSettings {
        &self.endpoint_settings
    }

    /// The retry settings.
    pub fn retry_config(&self) -> &RetryConfig {
        &self.retry
    }

    /// Whether the full constraint validation runs before each request.
    pub fn validates_input(&self) -> bool {
        self.validate_input
    }

    /// Whether request bodies are sent uncompressed even where the service accepts gzip.
    pub fn request_compression_disabled(&self) -> bool {
        self.request_compression_disabled
    }

    /// The smallest request body, in bytes, that is compressed where the service accepts it.
    pub fn request_min_compression_size(&self) -> usize {
        self.request_min_compression_size
    }
}

impl fmt::Debug for Config {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Credentials are printed by their provider's own (redacting) Debug.
        f.debug_struct("Config")
            .field("region", &self.region())
            .field("credentials", &self.credentials)
            .field("endpoint_url", &self.endpoint_url)
            .field("use_fips", &self.use_fips)
            .field("use_dual_stack", &self.use_dual_stack)
            .field("endpoint_settings", &self.endpoint_settings)
            .field("retry", &self.retry)
            .field("http", &self.http)
            .field("operation_timeout", &self.operation_timeout)
            .field("validate_input", &self.validate_input)
            .finish_non_exhaustive()
    }
}

/// Builds a [`Config`].
#[derive(Clone, Default)]
pub struct ConfigBuilder {
    region: Option<String>,
    /// A region (or why there is none) taken from an existing config.
    region_from: Option<(Option<Region>, Option<String>)>,
    region_lookup: Option<ImdsRegion>,
    load_env: bool,
    /// Whether `AWS_ENDPOINT_URL[_<SERVICE>]` are read, as an existing config had it.
    endpoint_from_env: bool,
    use_fips: Option<bool>,
    use_dual_stack: Option<bool>,
    endpoint_settings: EndpointSettings,
    credentials: Option<SharedCredentialsProvider>,
    endpoint_url: Option<String>,
    retry: Option<RetryConfig>,
    http: HttpConfig,
    /// The connection pool of the config this builder came from, while the HTTP settings are
    /// unchanged.
    http_client: Option<SharedHttpClient>,
    http_sender: Option<Arc<dyn HttpSend>>,
    operation_timeout: Option<Duration>,
    validate_input: bool,
    token_source: Option<TokenSource>,
    time_source: Option<TimeSource>,
    request_compression_disabled: bool,
    request_min_compression_size: Option<usize>,
    settings_error: Option<String>,
    app_name: Option<String>,
    #[cfg(feature = "test-util")]
    test_rules: Option<super::test_util::TestRules>,
    request_checksum_calculation: Option<RequestChecksumCalculation>,
    response_checksum_validation: Option<ResponseChecksumValidation>,
}

impl ConfigBuilder {
    /// Answers calls from these rules instead of the network: every call of an operation
    /// with a rule is answered by the first of its rules that matches, and every other call
    /// fails without being sent (feature `test-util`; see [`test_util`](super::test_util)).
    #[cfg(feature = "test-util")]
    pub fn test_rules(mut self, rules: impl IntoIterator<Item = impl Into<super::test_util::AnyRule>>) -> Self {
        self.test_rules = Some(super::test_util::TestRules::new(rules.into_iter().map(Into::into)));
        self
    }

    /// When requests get a checksum: `WhenSupported` (the default) whenever the operation
    /// accepts one, `WhenRequired` only when it requires one or the caller names an algorithm;
    /// otherwise `AWS_REQUEST_CHECKSUM_CALCULATION` or the profile's
    /// `request_checksum_calculation` with [`load_env`](Self::load_env).
    pub fn request_checksum_calculation(mut self, setting: RequestChecksumCalculation) -> Self {
        self.request_checksum_calculation = Some(setting);
        self
    }

    /// When response checksums are checked: `WhenSupported` (the default) whenever the
    /// operation can check one, `WhenRequired` only when the caller enables the operation's
    /// validation mode; otherwise `AWS_RESPONSE_CHECKSUM_VALIDATION` or the profile's
    /// `response_checksum_validation` with [`load_env`](Self::load_env).
    pub fn response_checksum_validation(mut self, setting: ResponseChecksumValidation) -> Self {
        self.response_checksum_validation = Some(setting);
        self
    }

    /// Names the application in the `User-Agent` of every request (`app/NAME`), as the AWS
    /// SDKs' `app_name`; otherwise `AWS_SDK_UA_APP_ID` or the profile's `sdk_ua_app_id` with
    /// [`load_env`](Self::load_env).
    pub fn app_name(mut self, name: impl Into<String>) -> Self {
        self.app_name = Some(name.into());
        self
    }

    /// Sends requests to this region, e.g. `us-east-1`.
    pub fn region(mut self, region: impl Into<String>) -> Self {
        self.region = Some(region.into());
        self
    }

    /// Takes what this builder does not set from the environment and the shared profile, as
    /// [`Config::from_env`] describes: region, FIPS, dual-stack and the endpoint URL.
    pub fn load_env(mut self) -> Self {
        self.load_env = true;
        self
    }

    /// Sends requests to FIPS endpoints (an error before any request where the partition has
    /// none).
    pub fn use_fips(mut self, use_fips: bool) -> Self {
        self.use_fips = Some(use_fips);
        self
    }

    /// Sends requests to dual-stack (IPv4 and IPv6) endpoints.
    pub fn use_dual_stack(mut self, use_dual_stack: bool) -> Self {
        self.use_dual_stack = Some(use_dual_stack);
        self
    }

    /// Addresses S3 buckets in the path (`https://s3.us-east-1.amazonaws.com/bucket/key`) rather
    /// than the host name (`https://bucket.s3.us-east-1.amazonaws.com/key`); otherwise the
    /// profile's `s3 =` sub-section `addressing_style = path` with [`load_env`](Self::load_env).
    /// Only services whose rule set has `AWS::S3::ForcePathStyle` (S3) read it.
    pub fn force_path_style(mut self, force: bool) -> Self {
        self.endpoint_settings.force_path_style = Some(force);
        self
    }

    /// Sends S3 requests to S3 Transfer Acceleration endpoints (`bucket.s3-accelerate.amazonaws.com`);
    /// otherwise the profile's `s3 =` sub-section `use_accelerate_endpoint`.
    pub fn s3_accelerate(mut self, accelerate: bool) -> Self {
        self.endpoint_settings.s3_accelerate = Some(accelerate);
        self
    }

    /// Lets an ARN given as an S3 bucket or S3 Control resource send the request to the ARN's
    /// region rather than the client's; otherwise `AWS_S3_USE_ARN_REGION` or the profile's
    /// `s3_use_arn_region`.
    pub fn s3_use_arn_region(mut self, use_arn_region: bool) -> Self {
        self.endpoint_settings.s3_use_arn_region = Some(use_arn_region);
        self
    }

    /// Refuses S3 Multi-Region Access Point ARNs; otherwise
    /// `AWS_S3_DISABLE_MULTIREGION_ACCESS_POINTS` or the profile's
    /// `s3_disable_multiregion_access_points`.
    pub fn s3_disable_multi_region_access_points(mut self, disable: bool) -> Self {
        self.endpoint_settings.s3_disable_multi_region_access_points = Some(disable);
        self
    }

    /// Whether account-based endpoints are used where a service has them (DynamoDB):
    /// `preferred`, `disabled` or `required`; otherwise `AWS_ACCOUNT_ID_ENDPOINT_MODE` or the
    /// profile's `account_id_endpoint_mode`. A mode the rule set does not know is an error at
    /// the first request.
    pub fn account_id_endpoint_mode(mut self, mode: impl Into<String>) -> Self {
        self.endpoint_settings.account_id_endpoint_mode = Some(mode.into());
        self
    }

    /// Sets a client context parameter of the endpoint rules by its name in the model, e.g.
    /// `("ForcePathStyle", true)`; it wins over the settings above. Each generated crate's
    /// `ConfigExt` has a typed, documented setter for each parameter its model declares.
    pub fn endpoint_param(mut self, name: impl Into<String>, value: impl Into<ParamValue>) -> Self {
        self.endpoint_settings.client_params.insert(name.into(), value.into());
        self
    }

    /// Uses these credentials for every request.
    pub fn credentials(self, credentials: super::credentials::Credentials) -> Self {
        self.credentials_provider(credentials)
    }

    /// Uses this provider for credentials: one of [`credentials`](super::credentials)' (a
    /// [`DefaultCredentialsChain`] over another environment, say), or another crate's.
    pub fn credentials_provider(mut self, provider: impl ProvideCredentials + 'static) -> Self {
        self.credentials = Some(SharedCredentialsProvider::new(provider));
        self
    }

    /// Sends requests to this endpoint instead of the service's (e.g. a local emulator). Plain
    /// `http://` is allowed only here.
    pub fn endpoint_url(mut self, url: impl Into<String>) -> Self {
        self.endpoint_url = Some(url.into());
        self
    }

    /// Retry settings; [`RetryConfig::disabled`] turns retries off. Without them,
    /// [`load_env`](Self::load_env) reads `AWS_MAX_ATTEMPTS` and `AWS_RETRY_MODE` (or the
    /// profile's `max_attempts` and `retry_mode`).
    pub fn retry_config(mut self, retry: RetryConfig) -> Self {
        self.retry = Some(retry);
        self
    }

    /// How long to wait for a connection.
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.http_client = None;
        self.http = self.http.with_connect_timeout(timeout);
        self
    }

    /// Sends requests through `sender` instead of the default hyper client: another HTTP
    /// stack, or a test double that answers from memory (see [`HttpSend`]). The attempt
    /// timeout and the limit on whole bodies still apply; connection settings are `sender`'s.
    pub fn http_sender(mut self, sender: impl HttpSend) -> Self {
        self.http_client = None;
        self.http_sender = Some(Arc::new(sender));
        self
    }

    /// How long an idle pooled connection is kept (default 90 s).
    pub fn pool_idle_timeout(mut self, timeout: Duration) -> Self {
        self.http_client = None;
        self.http = self.http.with_pool_idle_timeout(timeout);
        self
    }

    /// Sends requests through these proxies instead of those the environment names
    /// (`HTTPS_PROXY`, `HTTP_PROXY`, `NO_PROXY`); [`ProxyConfig::disabled`](super::proxy::ProxyConfig::disabled) for none.
    pub fn proxy(mut self, proxy: super::proxy::ProxyConfig) -> Self {
        self.http_client = None;
        self.http = self.http.with_proxy(proxy);
        self
    }

    /// Which certificate authorities the default client trusts (Mozilla's by default; the
    /// system's too with the `native-roots` feature).
    pub fn trust_roots(mut self, roots: super::http::TrustRoots) -> Self {
        self.http_client = None;
        self.http = self.http.with_trust_roots(roots);
        self
    }

    /// How many idle connections to one host the pool keeps (no limit by default).
    pub fn pool_max_idle_per_host(mut self, connections: usize) -> Self {
        self.http_client = None;
        self.http = self.http.with_pool_max_idle_per_host(connections);
        self
    }

    /// How long one attempt (request and whole response) may take.
    pub fn attempt_timeout(mut self, timeout: Duration) -> Self {
        self.http_client = None;
        self.http = self.http.with_attempt_timeout(Some(timeout));
        self
    }

    /// How long a whole call, retries and their delays included, may take.
    pub fn operation_timeout(mut self, timeout: Duration) -> Self {
        self.operation_timeout = Some(timeout);
        self
    }

    /// Runs the model's full constraint validation (lengths, ranges, list and map sizes, and
    /// patterns when the `pattern-validation` feature is on) before each request, not only the
    /// required-member check. Off by default, as the Smithy specification advises: the service
    /// is the authority on its constraints.
    pub fn validate_input(mut self, validate: bool) -> Self {
        self.validate_input = validate;
        self
    }

    /// Makes idempotency tokens with `source` instead of random UUIDs (for tests).
    pub fn idempotency_token_source(mut self, source: impl Fn() -> String + Send + Sync + 'static) -> Self {
        self.token_source = Some(Arc::new(source));
        self
    }

    /// Signs with the time `source` tells instead of the system clock (for tests).
    pub fn time_source(mut self, source: impl Fn() -> SystemTime + Send + Sync + 'static) -> Self {
        self.time_source = Some(Arc::new(source));
        self
    }

    /// Sends request bodies uncompressed even to operations that accept gzip (off by default:
    /// bodies of at least [`request_min_compression_size`](Self::request_min_compression_size)
    /// bytes are compressed where the model allows it).
    pub fn disable_request_compression(mut self, disable: bool) -> Self {
        self.request_compression_disabled = disable;
        self
    }

    /// Compresses request bodies of at least `bytes` bytes (default 10240, at most 10485760)
    /// where the service accepts compression.
    pub fn request_min_compression_size(mut self, bytes: usize) -> Self {
        self.request_min_compression_size = Some(bytes.min(MAX_MIN_COMPRESSION_SIZE));
        self
    }

    /// The config. A region that is not valid is reported by the first request.
    pub fn build(self) -> Config {
        let env = Env::process();
        // A setting from its environment variable, else the profile (read once, when first
        // needed).
        let profile = std::cell::OnceCell::new();
        let profile_value = |variable: &str, key: &str| {
            env.get(variable).or_else(|| {
                profile.get_or_init(|| Profile::load(&env).ok()).as_ref().and_then(|p| p.get(key).map(str::to_string))
            })
        };
        // `true` only when it says `true` (any case), as the AWS SDKs read booleans.
        let flag = |explicit: Option<bool>, variable: &str, profile_key: &str| {
            explicit.unwrap_or_else(|| {
                self.load_env
                    && profile_value(variable, profile_key).is_some_and(|v| v.trim().eq_ignore_ascii_case("true"))
            })
        };
        let use_fips = flag(self.use_fips, "AWS_USE_FIPS_ENDPOINT", "use_fips_endpoint");
        let use_dual_stack = flag(self.use_dual_stack, "AWS_USE_DUALSTACK_ENDPOINT", "use_dualstack_endpoint");
        let mut region_lookup = None;
        let (region, region_error) = match (self.region, self.region_from, self.load_env) {
            (Some(name), _, _) => match Region::new(name) {
                Ok(region) => (Some(region), None),
                Err(e) => (None, Some(e.to_string())),
            },
            (None, Some(from_config), _) => {
                region_lookup = self.region_lookup;
                from_config
            }
            (None, None, true) => match default_region(&env) {
                Ok(Some(region)) => (Some(region), None),
                Ok(None) => {
                    // Asked by the first call, not here: building a config never blocks, and
                    // off EC2 the lookup costs its timeouts once, only when no region is set.
                    region_lookup = ImdsRegion::new(env.clone());
                    (None, None)
                }
                Err(e) => (None, Some(e.to_string())),
            },
            (None, None, false) => (None, None),
        };
        let mut settings_error = self.settings_error;
        let mut endpoint_settings = self.endpoint_settings;
        if self.load_env {
            // `s3` is a profile sub-section, with no variable of its own.
            let value = |variable: &str, key: &str| {
                if variable.is_empty() {
                    profile
                        .get_or_init(|| Profile::load(&env).ok())
                        .as_ref()
                        .and_then(|p| p.get(key).map(str::to_string))
                } else {
                    profile_value(variable, key)
                }
            };
            let problems = endpoint_settings.load_env(&value);
            settings_error = settings_error.or_else(|| problems.into_iter().next());
        }
        let retry = match self.retry {
            Some(retry) => retry,
            None if self.load_env => {
                let (retry, error) = retry_from_env(
                    profile_value("AWS_MAX_ATTEMPTS", "max_attempts"),
                    profile_value("AWS_RETRY_MODE", "retry_mode"),
                );
                settings_error = settings_error.or(error);
                retry
            }
            None => RetryConfig::default(),
        };
        let request_checksum_calculation = match self.request_checksum_calculation {
            Some(setting) => setting,
            None if self.load_env => checksum_setting(
                profile_value("AWS_REQUEST_CHECKSUM_CALCULATION", "request_checksum_calculation"),
                "AWS_REQUEST_CHECKSUM_CALCULATION or request_checksum_calculation",
                &mut settings_error,
            ),
            None => RequestChecksumCalculation::default(),
        };
        let response_checksum_validation = match self.response_checksum_validation {
            Some(setting) => setting,
            None if self.load_env => checksum_setting(
                profile_value("AWS_RESPONSE_CHECKSUM_VALIDATION", "response_checksum_validation"),
                "AWS_RESPONSE_CHECKSUM_VALIDATION or response_checksum_validation",
                &mut settings_error,
            ),
            None => ResponseChecksumValidation::default(),
        };
        let app_name = match self.app_name {
            Some(name) => Some(name),
            None if self.load_env => profile_value("AWS_SDK_UA_APP_ID", "sdk_ua_app_id"),
            None => None,
        };
        // The default chain calls STS and SSO with this config's settings, set once it exists.
        let chain_settings = self.credentials.is_none().then(ClientConfig::default);
        let credentials = match (self.credentials, &chain_settings) {
            (Some(credentials), _) => credentials,
            (None, settings) => SharedCredentialsProvider::new(DefaultCredentialsChain::with_client_config(
                env.clone(),
                settings.clone().unwrap_or_default(),
            )),
        };
        let config = Config {
            region,
            region_error,
            region_lookup,
            credentials,
            endpoint_from_env: (self.load_env || self.endpoint_from_env) && self.endpoint_url.is_none(),
            endpoint_url: self.endpoint_url,
            use_fips,
            use_dual_stack,
            endpoint_settings,
            retry,
            http: self.http,
            http_client: self.http_client.unwrap_or_default(),
            http_sender: self.http_sender,
            operation_timeout: self.operation_timeout,
            validate_input: self.validate_input,
            token_source: self.token_source.unwrap_or_else(|| Arc::new(random_uuid)),
            time_source: self.time_source.unwrap_or_else(|| Arc::new(SystemTime::now)),
            request_compression_disabled: self.request_compression_disabled,
            request_min_compression_size: self.request_min_compression_size.unwrap_or(DEFAULT_MIN_COMPRESSION_SIZE),
            settings_error,
            app_name,
            #[cfg(feature = "test-util")]
            test_rules: self.test_rules,
            request_checksum_calculation,
            response_checksum_validation,
        };
        if let Some(settings) = chain_settings {
            settings.set(&config);
        }
        config
    }
}

/// A checksum setting from the environment or profile; what cannot be read is added to
/// `problems` and leaves the default.
fn checksum_setting<T: std::str::FromStr<Err = UnknownChecksumSetting> + Default>(
    value: Option<String>,
    names: &str,
    problems: &mut Option<String>,
) -> T {
    match value.map(|text| text.parse::<T>()) {
        None => T::default(),
        Some(Ok(setting)) => setting,
        Some(Err(error)) => {
            let problem = format!("{error} ({names})");
            *problems = Some(match problems.take() {
                Some(earlier) => format!("{earlier}; {problem}"),
                None => problem,
            });
            T::default()
        }
    }
}

/// Retry settings from `max_attempts` (a positive integer) and `mode` (`standard`,
/// `adaptive`, `legacy`), as the environment or profile gave them; with what could not be
/// read, which leaves the default in its place.
fn retry_from_env(max_attempts: Option<String>, mode: Option<String>) -> (RetryConfig, Option<String>) {
    let mut retry = RetryConfig::standard();
    let mut problems = Vec::new();
    if let Some(text) = max_attempts {
        match text.trim().parse::<u32>() {
            Ok(n) if n > 0 => retry = retry.with_max_attempts(n),
            _ => problems
                .push(format!("max attempts (AWS_MAX_ATTEMPTS or max_attempts) {text:?} is not a positive integer")),
        }
    }
    if let Some(text) = mode {
        match text.parse::<RetryMode>() {
            Ok(mode) => retry = retry.with_mode(mode),
            Err(e) => problems.push(format!("{e} (AWS_RETRY_MODE or retry_mode)")),
        }
    }
    (retry, (!problems.is_empty()).then(|| problems.join("; ")))
}

impl fmt::Debug for ConfigBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ConfigBuilder").field("region", &self.region).finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_idempotency_tokens_are_distinct_version_4_uuids() {
        let tokens: std::collections::HashSet<String> = (0..10_000).map(|_| random_uuid()).collect();
        assert_eq!(tokens.len(), 10_000, "no token repeats");
        for token in &tokens {
            let groups: Vec<&str> = token.split('-').collect();
            assert_eq!(groups.iter().map(|g| g.len()).collect::<Vec<_>>(), [8, 4, 4, 4, 12], "{token}");
            assert!(token.bytes().all(|b| b == b'-' || b.is_ascii_digit() || (b'a'..=b'f').contains(&b)), "{token}");
            assert!(groups[2].starts_with('4'), "version 4: {token}");
            assert!(groups[3].starts_with(['8', '9', 'a', 'b']), "the RFC 9562 variant: {token}");
        }
        // Every other bit varies: 122 random bits, not a fixed pattern.
        let parsed: Vec<u128> =
            tokens.iter().map(|t| u128::from_str_radix(&t.replace('-', ""), 16).expect("hex")).collect();
        let (ones, zeros) = parsed.iter().fold((0u128, 0u128), |(o, z), v| (o | v, z | !v));
        assert_eq!((ones & zeros).count_ones(), 122);
    }

    #[test]
    fn retry_settings_come_from_the_environment_or_profile_values() {
        let (retry, error) = retry_from_env(Some("5".into()), Some("Adaptive".into()));
        assert_eq!((retry.max_attempts(), retry.mode(), error), (5, RetryMode::Adaptive, None));
        let (retry, error) = retry_from_env(None, Some("legacy".into()));
        assert_eq!((retry.max_attempts(), retry.mode(), error), (3, RetryMode::Standard, None));
        let (retry, error) = retry_from_env(Some("0".into()), Some("fast".into()));
        assert_eq!((retry.max_attempts(), retry.mode()), (3, RetryMode::Standard));
        let error = error.expect("both values are wrong");
        assert!(error.contains("\"0\" is not a positive integer"), "{error}");
        assert!(error.contains("\"fast\" is not one of standard, adaptive, legacy"), "{error}");
    }

    #[test]
    fn an_unreadable_setting_is_kept_for_the_first_request_and_an_explicit_one_wins() {
        let config =
            Config::builder().retry_config(RetryConfig::adaptive().with_max_attempts(7)).app_name("my-app").build();
        assert_eq!((config.retry_config().max_attempts(), config.retry_config().mode()), (7, RetryMode::Adaptive));
        assert_eq!(config.app_name(), Some("my-app"));
        assert_eq!(config.settings_error, None);
        let derived = config.to_builder().build();
        assert_eq!(derived.retry_config(), config.retry_config());
        assert_eq!(derived.app_name(), Some("my-app"));
    }

    /// A loopback metadata service that answers every request with `body` (the session token
    /// and the region alike), counting requests.
    async fn metadata_service(body: &'static str) -> (String, Arc<std::sync::atomic::AtomicUsize>) {
        use tokio::io::{AsyncReadExt, AsyncWriteExt};
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind loopback");
        let address = listener.local_addr().expect("address");
        let requests = Arc::new(std::sync::atomic::AtomicUsize::new(0));
        let counter = requests.clone();
        tokio::spawn(async move {
            while let Ok((mut stream, _)) = listener.accept().await {
                let counter = counter.clone();
                tokio::spawn(async move {
                    let mut buffer = [0u8; 4096];
                    while let Ok(n) = stream.read(&mut buffer).await {
                        if n == 0 {
                            return;
                        }
                        counter.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                        let reply = format!("HTTP/1.1 200 OK\r\ncontent-length: {}\r\n\r\n{body}", body.len());
                        if stream.write_all(reply.as_bytes()).await.is_err() {
                            return;
                        }
                    }
                });
            }
        });
        (format!("http://{address}"), requests)
    }

    #[tokio::test]
    async fn the_region_from_the_metadata_service_is_asked_once_by_the_first_call_that_needs_it() {
        let (endpoint, requests) = metadata_service("eu-west-3").await;
        let env = Env::from_pairs([("AWS_EC2_METADATA_SERVICE_ENDPOINT", endpoint.as_str())]);
        let mut config = Config::builder().build();
        config.region_lookup = ImdsRegion::new(env);
        assert_eq!(config.region(), None, "building and reading a config never asks");
        assert_eq!(requests.load(std::sync::atomic::Ordering::SeqCst), 0);
        let lookup = config.region_lookup.clone().expect("a lookup");
        assert_eq!(lookup.get().await.as_deref(), Ok("eu-west-3"));
        let derived = config.to_builder().build();
        assert_eq!((config.region(), derived.region()), (Some("eu-west-3"), Some("eu-west-3")));
        assert_eq!(lookup.get().await.as_deref(), Ok("eu-west-3"));
        assert_eq!(requests.load(std::sync::atomic::Ordering::SeqCst), 2, "a token and the region, once");
        let disabled = Env::from_pairs([("AWS_EC2_METADATA_DISABLED", "true")]);
        assert!(ImdsRegion::new(disabled).is_none());
    }
}
