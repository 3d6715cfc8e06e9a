//! The CPU time this process has used, user and system, from `getrusage(RUSAGE_SELF)`: every
//! thread of the process, none of its children. The client-CPU benchmark runs its loopback
//! servers in child processes, so what it reads here is the client's cost alone.

use std::time::Duration;

/// User and system CPU time used so far by this process (all its threads).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct CpuTime {
    /// Time spent running the process's own code.
    pub user: Duration,
    /// Time the kernel spent on the process's behalf (system calls: sockets, timers).
    pub system: Duration,
}

impl CpuTime {
    /// Reads this process's CPU time now.
    pub fn now() -> std::io::Result<CpuTime> {
        // SAFETY: `getrusage` only writes into the zeroed struct it is given.
        let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
        // SAFETY: `usage` is a valid, writable `rusage`; RUSAGE_SELF is a valid target.
        if unsafe { libc::getrusage(libc::RUSAGE_SELF, &mut usage) } != 0 {
            return Err(std::io::Error::last_os_error());
        }
        Ok(CpuTime {
            user: from_timeval(usage.ru_utime.tv_sec as i64, usage.ru_utime.tv_usec as i64),
            system: from_timeval(usage.ru_stime.tv_sec as i64, usage.ru_stime.tv_usec as i64),
        })
    }

    /// User plus system time.
    pub fn total(&self) -> Duration {
        self.user + self.system
    }

    /// The CPU time used between `earlier` and `self` (zero, not a panic, if the clock went
    /// backwards).
    pub fn since(&self, earlier: CpuTime) -> CpuTime {
        CpuTime { user: self.user.saturating_sub(earlier.user), system: self.system.saturating_sub(earlier.system) }
    }
}

/// A `timeval` (seconds and microseconds) as a duration; negative parts count as zero.
pub fn from_timeval(seconds: i64, microseconds: i64) -> Duration {
    Duration::from_secs(seconds.max(0) as u64) + Duration::from_micros(microseconds.max(0) as u64)
}

/// Microseconds of CPU per call: `cpu` spread over `calls` (`None` for no calls).
pub fn micros_per_call(cpu: Duration, calls: u64) -> Option<f64> {
    (calls > 0).then(|| cpu.as_secs_f64() * 1e6 / calls as f64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_timeval_is_seconds_plus_microseconds() {
        assert_eq!(from_timeval(2, 500_000), Duration::from_millis(2500));
        assert_eq!(from_timeval(0, 7), Duration::from_micros(7));
        assert_eq!(from_timeval(-1, -5), Duration::ZERO);
    }

    #[test]
    fn cpu_per_call_divides_and_refuses_zero_calls() {
        assert_eq!(micros_per_call(Duration::from_millis(30), 1000), Some(30.0));
        assert_eq!(micros_per_call(Duration::from_millis(30), 0), None);
    }

    #[test]
    fn spinning_uses_user_time_and_differences_never_go_negative() {
        let before = CpuTime::now().unwrap();
        let started = std::time::Instant::now();
        let mut x = 0u64;
        while started.elapsed() < Duration::from_millis(50) {
            x = std::hint::black_box(x.wrapping_mul(6364136223846793005).wrapping_add(1));
        }
        let after = CpuTime::now().unwrap();
        let used = after.since(before);
        assert!(used.user >= Duration::from_millis(20), "{used:?}");
        assert_eq!(before.since(after), CpuTime::default());
        assert_eq!(used.total(), used.user + used.system);
    }
}
