//! `status --all`: every tenant in the registry, within AWS's API quotas. The report's types are
//! here; the run is `observe.rs`: per tenant the record, each bucket's default encryption and each
//! stream's description; per hundred databases one DescribeDBInstances; per distinct key one
//! DescribeKey, always live. With `--max-age`, tenants observed recently enough are served from the
//! registry's snapshot (`services/registry/observed.rs`) and only their key is read. A tenant whose
//! reads fail on our side past retries is `unreachable`; the run goes on.

mod observe;
mod rows;

use serde::Serialize;

pub use observe::{
    fleet_status, FleetOptions, FleetPlan, FleetProgress, CHECKPOINT, CHUNK, FLEET_CONCURRENCY,
};

use super::status::StatusVerdict;
use crate::shared::ids::KeyState;
use crate::shared::report::SCHEMA_VERSION;
use crate::shared::resource::StateCounts;

/// One tenant's (or the fleet's) answer: `status`'s verdicts, or unreachable. The fleet's is its
/// most urgent row's, in this order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum FleetVerdict {
    /// The key is not usable (pending deletion, disabled, gone, refused to Speedscale).
    KeyUnusable,
    /// A resource is not on the key.
    Drift,
    /// A database must be started.
    ActionNeeded,
    /// Could not be read (our side: throttled past retries, network, our IAM).
    Unreachable,
    /// Every resource on the key, the key enabled, every database running.
    Ok,
}

impl FleetVerdict {
    /// The kebab-case name.
    pub fn as_str(self) -> &'static str {
        match self {
            FleetVerdict::KeyUnusable => "key-unusable",
            FleetVerdict::Drift => "drift",
            FleetVerdict::ActionNeeded => "action-needed",
            FleetVerdict::Unreachable => "unreachable",
            FleetVerdict::Ok => "ok",
        }
    }
}

impl From<StatusVerdict> for FleetVerdict {
    fn from(v: StatusVerdict) -> Self {
        match v {
            StatusVerdict::KeyUnusable => FleetVerdict::KeyUnusable,
            StatusVerdict::Drift => FleetVerdict::Drift,
            StatusVerdict::ActionNeeded => FleetVerdict::ActionNeeded,
            StatusVerdict::Ok => FleetVerdict::Ok,
        }
    }
}

/// One tenant in `status --all`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FleetRow {
    /// The tenant.
    pub tenant: String,
    /// ok, drift, or unreachable.
    pub verdict: FleetVerdict,
    /// The tenant's key.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub key_arn: Option<String>,
    /// The key's state.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub key_state: Option<KeyState>,
    /// Counts.
    pub summary: StateCounts,
    /// Why, when not ok.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    /// Where its resources' state comes from: this run, or the registry's snapshot.
    pub source: RowSource,
    /// When its resources were observed (RFC 3339); absent when they could not be.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub observed_at: Option<String>,
    /// Whole seconds from then to the end of the run.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub age_seconds: Option<u64>,
}

/// Where a fleet row's resource state comes from. The key's state is always read live.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum RowSource {
    /// Read in this run.
    Live,
    /// Served from the registry's snapshot (`--max-age`).
    Snapshot,
    /// Not read: the run was interrupted first.
    NotRead,
}

impl FleetRow {
    /// A row for a tenant an interrupted run did not reach.
    pub fn not_read(tenant: &str) -> Self {
        let mut row = Self::unreachable(tenant, "not read: the run was interrupted");
        row.source = RowSource::NotRead;
        row
    }

    /// A row for `tenant` that could not be read (yet).
    pub fn unreachable(tenant: &str, message: impl Into<String>) -> Self {
        FleetRow {
            tenant: tenant.into(),
            verdict: FleetVerdict::Unreachable,
            key_arn: None,
            key_state: None,
            summary: StateCounts::default(),
            message: Some(message.into()),
            source: RowSource::Live,
            observed_at: None,
            age_seconds: None,
        }
    }
}

/// The result of `status --all`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FleetReport {
    /// Always [`SCHEMA_VERSION`].
    pub schema_version: u32,
    /// Always `status`.
    pub command: &'static str,
    /// ok, drift, or unreachable (no drift found but some tenants could not be read).
    pub verdict: FleetVerdict,
    /// Speedscale's account.
    pub account: String,
    /// The region.
    pub region: String,
    /// One row per onboarded tenant, by tenant id.
    pub tenants: Vec<FleetRow>,
    /// Tenants per verdict.
    pub counts: FleetCounts,
    /// Rows read live and rows served from the snapshot.
    pub observed: ObservedCounts,
    /// Stopped by Ctrl-C: the rows are those finished before it (what was observed is kept in the
    /// registry, so `--max-age` resumes from there).
    pub interrupted: bool,
}

/// Rows by where their state comes from.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct ObservedCounts {
    /// Read in this run.
    pub live: usize,
    /// Served from the registry's snapshot.
    pub snapshot: usize,
    /// Not read (interrupted).
    pub not_read: usize,
}

/// Tenants per verdict.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct FleetCounts {
    /// All resources on the key, the key enabled, every database running.
    pub ok: usize,
    /// Something is not on the key.
    pub drift: usize,
    /// Could not be read.
    pub unreachable: usize,
    /// The key is not usable.
    pub key_unusable: usize,
    /// A database must be started.
    pub action_needed: usize,
}

impl FleetReport {
    /// The report of `rows` (sorted here by tenant). Interrupted, its verdict is never better
    /// than `unreachable`: the rows not read say so.
    pub fn of(account: &str, region: &str, mut rows: Vec<FleetRow>, interrupted: bool) -> Self {
        rows.sort_by(|a, b| a.tenant.cmp(&b.tenant));
        let mut counts = FleetCounts::default();
        let mut observed = ObservedCounts::default();
        for r in &rows {
            match r.verdict {
                FleetVerdict::Ok => counts.ok += 1,
                FleetVerdict::Drift => counts.drift += 1,
                FleetVerdict::Unreachable => counts.unreachable += 1,
                FleetVerdict::KeyUnusable => counts.key_unusable += 1,
                FleetVerdict::ActionNeeded => counts.action_needed += 1,
            }
            match r.source {
                RowSource::Live => observed.live += 1,
                RowSource::Snapshot => observed.snapshot += 1,
                RowSource::NotRead => observed.not_read += 1,
            }
        }
        let verdict = rows
            .iter()
            .map(|r| r.verdict)
            .min()
            .unwrap_or(FleetVerdict::Ok);
        FleetReport {
            schema_version: SCHEMA_VERSION,
            command: "status",
            verdict,
            account: account.into(),
            region: region.into(),
            tenants: rows,
            counts,
            observed,
            interrupted,
        }
    }
}
