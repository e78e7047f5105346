//! `status --all`: every tenant in the registry, `FLEET_CONCURRENCY` at a time, at most one call
//! per resource (record, DescribeKey, bucket encryption, canary, stream, database). A tenant whose
//! reads fail on our side past retries is `unreachable`; the run goes on.

use serde::Serialize;

use super::status::{judge, resource_statuses, Depth, StatusVerdict};
use super::tenancy::Scope;
use crate::aws::Clients;
use crate::error::Error;
use crate::input::{KeyArn, TenantId};
use crate::services::kms::key_view;
use crate::services::registry::Registry;
use crate::shared::ids::KeyState;
use crate::shared::report::SCHEMA_VERSION;
use crate::shared::resource::{count, StateCounts};
use crate::shared::tenancy::Tenancy;

/// How many tenants `status --all` reads at once.
pub const FLEET_CONCURRENCY: usize = 32;

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

/// `status --all`; `on_done(done, total)` after each tenant.
pub async fn fleet_status(
    c: &Clients,
    fleet: Scope<'_>,
    on_done: &(dyn Fn(usize, usize) + Sync),
) -> Result<FleetReport, Error> {
    use futures_util::stream::{self, StreamExt};
    let registry = Registry::for_environment(
        fleet.env,
        fleet.account,
        fleet.region,
        fleet.endpoint.map(str::to_string),
    );
    let tenants = registry.list_tenants(c).await?;
    let total = tenants.len();
    let done = std::sync::atomic::AtomicUsize::new(0);
    on_done(0, total);
    let mut rows: Vec<FleetRow> = stream::iter(tenants)
        .map(|tenant| {
            let (registry, done) = (&registry, &done);
            async move {
                let row = fleet_row(c, fleet, registry, &tenant).await;
                let n = done.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1;
                on_done(n, total);
                row
            }
        })
        .buffer_unordered(FLEET_CONCURRENCY)
        .collect()
        .await;
    rows.sort_by(|a, b| a.tenant.cmp(&b.tenant));
    let mut counts = FleetCounts::default();
    for r in &rows {
        match r.verdict {
            FleetVerdict::Ok => counts.ok += 1,
            FleetVerdict::Drift => counts.drift += 1,
            FleetVerdict::Unreachable => counts.unreachable += 1,
            FleetVerdict::KeyUnusable => counts.key_unusable += 1,
            FleetVerdict::ActionNeeded => counts.action_needed += 1,
        }
    }
    let verdict = rows
        .iter()
        .map(|r| r.verdict)
        .min()
        .unwrap_or(FleetVerdict::Ok);
    Ok(FleetReport {
        schema_version: SCHEMA_VERSION,
        command: "status",
        verdict,
        account: fleet.account.into(),
        region: fleet.region.into(),
        tenants: rows,
        counts,
    })
}

async fn fleet_row(c: &Clients, fleet: Scope<'_>, registry: &Registry, tenant: &str) -> FleetRow {
    let mut row = FleetRow {
        tenant: tenant.into(),
        verdict: FleetVerdict::Unreachable,
        key_arn: None,
        key_state: None,
        summary: StateCounts::default(),
        message: None,
    };
    let record = match registry.read_record(c, tenant).await {
        Ok(Some(r)) => r,
        Ok(None) => {
            row.message = Some("the record disappeared while listing".into());
            return row;
        }
        Err(e) => {
            row.message = Some(e.to_string());
            return row;
        }
    };
    let (Ok(tid), Ok(key)) = (
        record.tenant.parse::<TenantId>(),
        record.key_arn.parse::<KeyArn>(),
    ) else {
        row.verdict = FleetVerdict::Drift;
        row.message = Some("the record names an invalid tenant or key".into());
        return row;
    };
    row.key_arn = Some(key.to_string());
    let t = Tenancy::new(
        tid,
        key,
        fleet.account,
        fleet.region,
        fleet.env.clone(),
        fleet.endpoint.map(str::to_string),
    );
    let (kv, res) = tokio::join!(
        key_view(&c.kms, &t.key, false, t.ep()),
        resource_statuses(c, &t, &record.resources, Depth::Lean)
    );
    match (kv, res) {
        (Ok(kv), Ok(res)) => {
            row.summary = count(&res);
            let (verdict, next) = judge(&kv, &res);
            row.verdict = verdict.into();
            let bad: Vec<String> = res
                .iter()
                .filter(|r| !r.on_key())
                .map(|r| format!("{} {}", r.id, r.state.as_str()))
                .collect();
            row.message = match verdict {
                StatusVerdict::Ok => None,
                StatusVerdict::Drift => Some(bad.join(", ")),
                StatusVerdict::KeyUnusable | StatusVerdict::ActionNeeded => next.into_iter().next(),
            };
            row.key_state = Some(kv.state);
        }
        (Err(e), _) | (_, Err(e)) => row.message = Some(format!("unreachable: {e}")),
    }
    row
}
