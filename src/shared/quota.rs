//! AWS's request quotas as data, and cmek's pacing within them.
//!
//! Each service module declares the quota of every read operation (and Firehose control-plane
//! mutation) it makes, with the page and sentence it comes from, or says the figure is cmek's own
//! assumption where AWS documents none. Before each such call the service awaits [`pace`]: one
//! GCRA limiter per quota (governor), shared by every task of the process. A process runs with
//! one account's credentials, and AWS counts these quotas per account and Region, so one process
//! never exceeds them on its own (another tool in the same account still can: the SDK's adaptive
//! retries absorb that, see `aws.rs`).
//!
//! `CMEK_QUOTA_SCALE` multiplies every rate (an account whose adjustable quotas were raised), or
//! `off` turns pacing off (a benchmark against a backend with no quotas). It is read once, by the
//! binary, through [`configure`].

use std::collections::HashMap;
use std::num::NonZeroU32;
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;

use governor::{DefaultDirectRateLimiter, Quota as Gcra, RateLimiter};

/// Where a quota's figure comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Basis {
    /// AWS documents it: `source` is the page and the sentence.
    Documented,
    /// AWS documents no figure: `source` says why this one was chosen.
    Assumed,
}

/// One request quota, per account and Region.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Quota {
    /// The service, as in its endpoint (`firehose`, `kms`, `rds`, `s3`).
    pub service: &'static str,
    /// The operations that share this quota (one, or every operation of the service).
    pub operations: &'static [&'static str],
    /// Sustained requests per second.
    pub per_second: u32,
    /// Requests that may go at once before the sustained rate applies.
    pub burst: u32,
    /// Documented or assumed.
    pub basis: Basis,
    /// Whether AWS raises it on request. `--quota-scale` above 1 scales only these; a hard limit
    /// (Firehose's) is never exceeded.
    pub adjustable: bool,
    /// The page and the sentence, or the reason for an assumed figure.
    pub source: &'static str,
}

impl Quota {
    /// The least time `calls` calls take at this quota, burst included (seconds).
    pub fn floor_seconds(&self, calls: u64) -> f64 {
        let paced = calls.saturating_sub(u64::from(self.burst));
        paced as f64 / f64::from(self.per_second)
    }
}

/// How pacing is set for this process.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Pacing {
    /// Every rate multiplied by this (1.0: the quotas as declared).
    Scaled(f64),
    /// No pacing at all.
    Off,
}

impl std::str::FromStr for Pacing {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        if s.eq_ignore_ascii_case("off") {
            return Ok(Pacing::Off);
        }
        match s.parse::<f64>() {
            Ok(f) if f.is_finite() && f > 0.0 && f <= 1000.0 => Ok(Pacing::Scaled(f)),
            _ => Err("must be a number above 0 and at most 1000, or off".into()),
        }
    }
}

static PACING: OnceLock<Pacing> = OnceLock::new();

type Limiters = Mutex<HashMap<(&'static str, &'static str), Arc<DefaultDirectRateLimiter>>>;
static LIMITERS: OnceLock<Limiters> = OnceLock::new();

/// Sets this process's pacing; the first call wins (the binary calls it once, at start).
pub fn configure(p: Pacing) {
    let _ = PACING.set(p);
}

/// The pacing in force.
pub fn pacing() -> Pacing {
    *PACING.get_or_init(|| Pacing::Scaled(1.0))
}

fn limiter(q: &'static Quota) -> Option<Arc<DefaultDirectRateLimiter>> {
    let scale = match pacing() {
        Pacing::Off => return None,
        Pacing::Scaled(s) => s,
    };
    let mut map = LIMITERS
        .get_or_init(Default::default)
        .lock()
        .unwrap_or_else(|e| e.into_inner());
    let key = (q.service, q.operations.first().copied().unwrap_or(""));
    Some(
        map.entry(key)
            .or_insert_with(|| {
                let scale = if q.adjustable { scale } else { scale.min(1.0) };
                // Exact for fractional rates: one call every 1/rate seconds.
                let rate = f64::from(q.per_second) * scale;
                let burst = ((f64::from(q.burst) * scale).floor() as u32).max(1);
                let quota = Gcra::with_period(Duration::from_secs_f64(1.0 / rate))
                    .unwrap_or_else(|| Gcra::per_second(NonZeroU32::MIN))
                    .allow_burst(NonZeroU32::new(burst).unwrap_or(NonZeroU32::MIN));
                Arc::new(RateLimiter::direct(quota))
            })
            .clone(),
    )
}

/// Waits until one more call under `q` keeps this process within it.
pub async fn pace(q: &'static Quota) {
    if let Some(l) = limiter(q) {
        l.until_ready().await;
    }
}

/// Checks a quota table: every figure positive, every source present, every operation once.
pub fn check_table(table: &[&'static Quota]) -> Result<(), String> {
    let mut seen = std::collections::HashSet::new();
    for q in table {
        if q.per_second == 0 || q.burst == 0 {
            return Err(format!("{} {:?}: a zero rate", q.service, q.operations));
        }
        if q.source.len() < 40 {
            return Err(format!("{} {:?}: no source", q.service, q.operations));
        }
        if q.basis == Basis::Documented && !q.source.contains("https://docs.aws.amazon.com/") {
            return Err(format!(
                "{} {:?}: documented, but names no AWS page",
                q.service, q.operations
            ));
        }
        for op in q.operations {
            if !seen.insert((q.service, *op)) {
                return Err(format!("{} {op}: declared twice", q.service));
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    static TEST_QUOTA: Quota = Quota {
        service: "test",
        operations: &["Describe"],
        per_second: 10,
        burst: 1,
        basis: Basis::Assumed,
        adjustable: true,
        source: "a test quota: ten a second with no burst, to see the pacing",
    };

    #[test]
    fn pacing_parses_a_scale_or_off() {
        assert_eq!("off".parse::<Pacing>(), Ok(Pacing::Off));
        assert_eq!("2.5".parse::<Pacing>(), Ok(Pacing::Scaled(2.5)));
        assert!("0".parse::<Pacing>().is_err());
        assert!("-1".parse::<Pacing>().is_err());
        assert!("fast".parse::<Pacing>().is_err());
    }

    #[test]
    fn the_floor_counts_the_burst_then_the_rate() {
        let q = Quota {
            per_second: 5,
            burst: 1,
            ..TEST_QUOTA
        };
        assert_eq!(q.floor_seconds(1001), 200.0);
        let rds = Quota {
            per_second: 12,
            burst: 300,
            ..TEST_QUOTA
        };
        assert_eq!(rds.floor_seconds(100), 0.0);
    }

    #[tokio::test]
    async fn pace_spaces_calls_at_the_rate() {
        let real = std::time::Instant::now();
        for _ in 0..6 {
            pace(&TEST_QUOTA).await;
        }
        // A lower bound (the pacing happened), not a speed limit.
        let waited = real.elapsed();
        assert!(
            waited >= std::time::Duration::from_millis(450),
            "6 calls at 10/s with a burst of 1 take 0.5 s, took {waited:?}"
        );
    }

    #[test]
    fn a_table_with_a_duplicate_or_an_unsourced_figure_is_refused() {
        static A: Quota = Quota {
            basis: Basis::Documented,
            ..TEST_QUOTA
        };
        assert!(check_table(&[&A])
            .unwrap_err()
            .contains("names no AWS page"));
        assert!(check_table(&[&TEST_QUOTA, &TEST_QUOTA])
            .unwrap_err()
            .contains("declared twice"));
    }
}
