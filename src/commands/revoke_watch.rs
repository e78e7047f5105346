//! `revoke-check --watch-key`: SQS and SNS may go on with a data key they fetched before the key
//! became unusable, for their data-key reuse period, and KMS does not say when a key was disabled.
//! So revoke-check can show such a path cut off only by watching: it reads the key (DescribeKey and
//! the direct round trip) every [`WATCH_EVERY`] until the longest reuse period of the tenant's
//! queues and topics has passed, and reports how long the key stayed unusable at every read. A key
//! usable for less time than one interval between two reads is not seen: the boundary of the claim,
//! stated in each check's message (docs/revocation.md).

use std::time::Duration;

use crate::aws::Clients;
use crate::error::Error;
use crate::services::kms::{key_view, round_trip_traced, VerifyRequest};
use crate::shared::evidence::Probe;
use crate::shared::tenancy::Tenancy;

/// How often the key is read while watched.
pub const WATCH_EVERY: Duration = Duration::from_secs(5);

/// What watching the key showed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Watched {
    /// For how many seconds the key was unusable at every read.
    pub unusable_for: u64,
    /// How many times it was read.
    pub reads: u32,
    /// The longest time between two reads' starts, in seconds (reads take time: it can exceed
    /// [`WATCH_EVERY`]).
    pub longest_gap: u64,
    /// The probes of the last read (their request ids are evidence).
    pub last_probes: Vec<Probe>,
    /// Set when the key was usable again at a read: when, in seconds from the start.
    pub usable_again_after: Option<u64>,
}

/// Reads the key every [`WATCH_EVERY`] for `need` seconds, or until it is usable again. A failure
/// on our side is an error (exit 3), never "unusable".
pub async fn watch_key(c: &Clients, t: &Tenancy, need: u64) -> Result<Watched, Error> {
    let started = tokio::time::Instant::now();
    let req = VerifyRequest::without_probe(t);
    let mut w = Watched {
        unusable_for: 0,
        reads: 0,
        longest_gap: 0,
        last_probes: vec![],
        usable_again_after: None,
    };
    let mut last = started;
    while w.unusable_for < need {
        tokio::time::sleep(WATCH_EVERY.min(Duration::from_secs(need - w.unusable_for))).await;
        let now = tokio::time::Instant::now();
        w.longest_gap = w.longest_gap.max((now - last).as_secs_f64().ceil() as u64);
        last = now;
        let (key, (rt, probes)) = tokio::join!(
            key_view(&c.kms, &t.key, false, t.ep()),
            round_trip_traced(&c.kms, &req)
        );
        let key = key?;
        if let Err(e) = &rt {
            if e.is_our_side() {
                return Err(e.clone().into());
            }
        }
        w.reads += 1;
        w.last_probes = key.probe.iter().cloned().chain(probes).collect();
        let elapsed = started.elapsed().as_secs();
        if key.enabled() && rt.is_ok() {
            w.usable_again_after = Some(elapsed);
            return Ok(w);
        }
        w.unusable_for = elapsed.max(w.unusable_for + 1);
    }
    Ok(w)
}
