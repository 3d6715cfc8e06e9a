//! The refreshing cache in front of a provider: credentials that expire are loaded again a
//! little before they do, by one caller while the others wait for its result; credentials
//! without an expiry are loaded once.

use std::fmt;
use std::sync::{Arc, RwLock};
use std::time::{Duration, SystemTime};

use super::super::telemetry;
use super::{Credentials, CredentialsError, ProvideCredentials, future};

/// How long before their expiry credentials are refreshed.
const REFRESH_BEFORE_EXPIRY: Duration = Duration::from_secs(5 * 60);
/// The most, beyond [`REFRESH_BEFORE_EXPIRY`], a refresh is moved earlier at random, so that
/// many processes started together do not all refresh in the same second.
const REFRESH_JITTER: Duration = Duration::from_secs(60);

/// Tells the time the cache compares expiries with.
type Clock = Arc<dyn Fn() -> SystemTime + Send + Sync>;

/// Caches what `provider` gives.
///
/// - Credentials without an expiry are kept for the life of the cache.
/// - Credentials with one are used until 5 minutes (and up to a minute more, at random)
///   before it; the next call then refreshes them.
/// - However many calls find the cache stale at once, one of them calls the provider; the
///   others wait for and share its result.
/// - A refresh that fails while the old credentials have not yet expired keeps them (and logs
///   the failure with the `tracing` feature); once they have expired, the error is returned.
pub struct CredentialsCache<P> {
    provider: P,
    current: RwLock<Option<Cached>>,
    /// Held by the one caller that refreshes.
    refreshing: tokio::sync::Mutex<()>,
    clock: Clock,
}

/// Credentials, and when to refresh them (`None`: never).
#[derive(Clone)]
struct Cached {
    credentials: Credentials,
    refresh_at: Option<SystemTime>,
}

impl<P: ProvideCredentials> CredentialsCache<P> {
    /// A cache in front of `provider`, on the system clock.
    pub fn new(provider: P) -> Self {
        Self::with_clock(provider, Arc::new(SystemTime::now))
    }

    /// A cache in front of `provider` that tells the time with `clock` (for tests).
    pub fn with_clock(provider: P, clock: Arc<dyn Fn() -> SystemTime + Send + Sync>) -> Self {
        Self { provider, current: RwLock::new(None), refreshing: tokio::sync::Mutex::new(()), clock }
    }

    /// The provider behind the cache.
    pub fn provider(&self) -> &P {
        &self.provider
    }

    /// The cached credentials while they are fresh, else new ones from the provider.
    pub async fn get(&self) -> Result<Credentials, CredentialsError> {
        if let Some(fresh) = self.fresh() {
            return Ok(fresh);
        }
        let _refreshing = self.refreshing.lock().await;
        // Whoever held the lock before may have refreshed already.
        if let Some(fresh) = self.fresh() {
            return Ok(fresh);
        }
        let result = self.provider.provide_credentials().await;
        let now = (self.clock)();
        match result {
            Ok(credentials) => {
                telemetry::credentials_refreshed(credentials.expiry(), None);
                let refresh_at = credentials.expiry().map(refresh_time);
                *self.current.write().unwrap_or_else(|e| e.into_inner()) =
                    Some(Cached { credentials: credentials.clone(), refresh_at });
                Ok(credentials)
            }
            Err(error) => {
                let old = self.current.read().unwrap_or_else(|e| e.into_inner()).clone();
                match old {
                    Some(old) if old.credentials.expiry().is_none_or(|expiry| expiry > now) => {
                        let why = super::ProviderError::from_credentials_error("Cache", &error);
                        telemetry::credentials_refreshed(old.credentials.expiry(), Some(&why.to_string()));
                        Ok(old.credentials)
                    }
                    _ => Err(error),
                }
            }
        }
    }

    /// The cached credentials, when there are some and it is not yet time to refresh them.
    fn fresh(&self) -> Option<Credentials> {
        let current = self.current.read().unwrap_or_else(|e| e.into_inner());
        let cached = current.as_ref()?;
        match cached.refresh_at {
            None => Some(cached.credentials.clone()),
            Some(at) if (self.clock)() < at => Some(cached.credentials.clone()),
            Some(_) => None,
        }
    }
}

/// When to refresh credentials that expire at `expiry`: 5 minutes before, and up to a minute
/// earlier still, at random.
fn refresh_time(expiry: SystemTime) -> SystemTime {
    let jitter = Duration::from_millis(fastrand::u64(..=REFRESH_JITTER.as_millis() as u64));
    expiry.checked_sub(REFRESH_BEFORE_EXPIRY + jitter).unwrap_or(SystemTime::UNIX_EPOCH)
}

impl<P: ProvideCredentials> ProvideCredentials for CredentialsCache<P> {
    fn provide_credentials<'a>(&'a self) -> future::ProvideCredentials<'a>
    where
        Self: 'a,
    {
        future::ProvideCredentials::new(self.get())
    }
}

impl<P: fmt::Debug> fmt::Debug for CredentialsCache<P> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let current = self.current.read().unwrap_or_else(|e| e.into_inner());
        // Credentials' own Debug redacts the secret key and the token.
        f.debug_struct("CredentialsCache")
            .field("provider", &self.provider)
            .field("cached", &current.as_ref().map(|c| &c.credentials))
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicU32, AtomicU64, Ordering};

    /// Gives credentials numbered by call, expiring `lifetime` after the test clock's now, or
    /// fails when told to.
    #[derive(Debug)]
    struct Counting {
        calls: AtomicU32,
        lifetime: Option<Duration>,
        now: Arc<AtomicU64>,
        fail: std::sync::atomic::AtomicBool,
    }

    impl ProvideCredentials for Counting {
        fn provide_credentials<'a>(&'a self) -> future::ProvideCredentials<'a>
        where
            Self: 'a,
        {
            future::ProvideCredentials::new(async move {
                // Yield, so concurrent callers really overlap the refresh.
                tokio::time::sleep(Duration::from_millis(20)).await;
                let call = self.calls.fetch_add(1, Ordering::SeqCst) + 1;
                if self.fail.load(Ordering::SeqCst) {
                    return Err(CredentialsError::provider_error(super::super::ProviderError::failed(
                        "Counting",
                        "the source is down",
                    )));
                }
                let now = SystemTime::UNIX_EPOCH + Duration::from_secs(self.now.load(Ordering::SeqCst));
                let expiry = self.lifetime.map(|lifetime| now + lifetime);
                Ok(Credentials::new(format!("AKID{call}"), "secret", None, expiry, "Counting"))
            })
        }
    }

    fn cache(lifetime: Option<Duration>) -> (Arc<CredentialsCache<Counting>>, Arc<AtomicU64>) {
        let now = Arc::new(AtomicU64::new(1_000_000));
        let provider = Counting {
            calls: AtomicU32::new(0),
            lifetime,
            now: now.clone(),
            fail: std::sync::atomic::AtomicBool::new(false),
        };
        let clock_now = now.clone();
        let clock: Clock =
            Arc::new(move || SystemTime::UNIX_EPOCH + Duration::from_secs(clock_now.load(Ordering::SeqCst)));
        (Arc::new(CredentialsCache::with_clock(provider, clock)), now)
    }

    #[tokio::test]
    async fn static_credentials_are_loaded_once() {
        let (cache, now) = cache(None);
        assert_eq!(cache.get().await.expect("first").access_key_id(), "AKID1");
        now.fetch_add(365 * 24 * 3600, Ordering::SeqCst);
        assert_eq!(cache.get().await.expect("kept").access_key_id(), "AKID1");
        assert_eq!(cache.provider().calls.load(Ordering::SeqCst), 1);
    }

    #[tokio::test]
    async fn expiring_credentials_are_refreshed_five_minutes_early_with_jitter() {
        let (cache, now) = cache(Some(Duration::from_secs(3600)));
        assert_eq!(cache.get().await.expect("first").access_key_id(), "AKID1");
        // More than 6 minutes before expiry: still fresh, whatever the jitter.
        now.fetch_add(3600 - 6 * 60 - 1, Ordering::SeqCst);
        assert_eq!(cache.get().await.expect("fresh").access_key_id(), "AKID1");
        // Less than 5 minutes before expiry: refreshed.
        now.fetch_add(2 * 60, Ordering::SeqCst);
        assert_eq!(cache.get().await.expect("refreshed").access_key_id(), "AKID2");
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn two_hundred_concurrent_calls_on_an_expired_cache_refresh_once() {
        let (cache, now) = cache(Some(Duration::from_secs(900)));
        cache.get().await.expect("first");
        now.fetch_add(3600, Ordering::SeqCst);
        let calls: Vec<_> = (0..200)
            .map(|_| {
                let cache = cache.clone();
                tokio::spawn(async move { cache.get().await.map(|c| c.access_key_id().to_owned()) })
            })
            .collect();
        for call in calls {
            assert_eq!(call.await.expect("task").expect("credentials"), "AKID2");
        }
        assert_eq!(cache.provider().calls.load(Ordering::SeqCst), 2, "one load, then exactly one refresh");
    }

    #[tokio::test]
    async fn a_failed_refresh_keeps_credentials_that_are_still_valid() {
        let (cache, now) = cache(Some(Duration::from_secs(900)));
        cache.get().await.expect("first");
        cache.provider().fail.store(true, Ordering::SeqCst);
        // Inside the refresh window, not yet expired: the old credentials are kept.
        now.fetch_add(900 - 60, Ordering::SeqCst);
        assert_eq!(cache.get().await.expect("kept").access_key_id(), "AKID1");
        // Expired: the error comes through, naming the provider.
        now.fetch_add(120, Ordering::SeqCst);
        let error = cache.get().await.expect_err("expired and the source is down");
        let text = super::super::ProviderError::from_credentials_error("Cache", &error).to_string();
        assert_eq!(text, "Counting: the source is down");
        cache.provider().fail.store(false, Ordering::SeqCst);
        assert!(cache.get().await.expect("recovered").access_key_id().starts_with("AKID"));
    }
}
