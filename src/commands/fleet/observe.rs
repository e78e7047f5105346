//! The `status --all` run, in four steps:
//!
//! 1. list the records (with their ETags) and read the registry's snapshot, together;
//! 2. with `--max-age`, tenants observed within that age from the record they still have are
//!    served from the snapshot; every other tenant is observed again, oldest observation first;
//! 3. the records of those tenants, then their databases a hundred to a DescribeDBInstances;
//! 4. per tenant: its key (one DescribeKey per distinct key, shared by every tenant on it, always
//!    live), its buckets' default encryption and its streams, paced within each quota.
//!
//! What each tenant's resources were found to be goes into the snapshot as the run goes: written
//! every [`CHECKPOINT`], at the end, and on Ctrl-C, so an interrupted run is resumed by the next
//! `--max-age` run.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Duration;

use futures_util::future::FutureExt;
use futures_util::stream::{self, StreamExt};
use tokio::sync::OnceCell;

use super::rows::{is_fresh, judged, lean_statuses, parse_rfc3339};
use super::{FleetReport, FleetRow, FleetVerdict, RowSource};
use crate::aws::Clients;
use crate::commands::tenancy::Scope;
use crate::error::{AwsError, Error};
use crate::input::{KeyArn, TenantId};
use crate::services::firehose::quotas as firehose_quotas;
use crate::services::kms::{key_view, KeyView};
use crate::services::rds;
use crate::services::registry::{Observed, RecordEntry, Registry, TenantObservation};
use crate::shared::clock;
use crate::shared::record::Record;
use crate::shared::tenancy::Tenancy;

/// How many tenants are read at once. Each waits on the quota of the operation it calls, so this
/// bounds memory and connections, not the rate: at 50 ms a call, 128 in flight keep even an
/// unthrottled backend busy.
pub const FLEET_CONCURRENCY: usize = 128;

/// How often the snapshot is written during a run.
pub const CHECKPOINT: Duration = Duration::from_secs(30);

/// Options of `status --all`.
#[derive(Debug, Clone, Copy, Default)]
pub struct FleetOptions {
    /// Serve tenants observed within this age from the registry's snapshot.
    pub max_age: Option<Duration>,
}

/// What the run will do, known once the records are listed.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct FleetPlan {
    /// Onboarded tenants.
    pub total: usize,
    /// Served from the snapshot.
    pub from_snapshot: usize,
    /// Observed live.
    pub to_observe: usize,
    /// The least time the live reads take within Firehose's quota, one stream per tenant
    /// (seconds): the fleet view's floor.
    pub floor_seconds: f64,
}

/// Progress of a run.
pub trait FleetProgress: Sync {
    /// Once the plan is known.
    fn planned(&self, plan: &FleetPlan);
    /// After each tenant: how many are done.
    fn done(&self, done: usize);
}

/// `status --all`. `cancel` resolving (Ctrl-C) stops the run: the report then holds the rows done
/// and says `interrupted`, and what was observed is in the registry.
pub async fn fleet_status(
    c: &Clients,
    fleet: Scope<'_>,
    opts: FleetOptions,
    progress: &dyn FleetProgress,
    cancel: impl std::future::Future<Output = ()>,
) -> Result<FleetReport, Error> {
    let registry = Registry::for_environment(
        fleet.env,
        fleet.account,
        fleet.region,
        fleet.endpoint.map(str::to_string),
    );
    let (entries, snapshot) = tokio::join!(registry.list_records(c), registry.read_observed(c));
    let entries = entries?;
    let snapshot = snapshot.unwrap_or_else(|e| {
        tracing::warn!("the fleet snapshot could not be read ({e}): every tenant is observed");
        Observed::default()
    });
    let run = Run {
        c,
        fleet,
        registry: &registry,
        done: Mutex::new(Vec::new()),
        observed: Mutex::new(snapshot),
        progress,
    };
    let work = Box::pin(run.observe(entries, opts.max_age));
    let mut work = work;
    tokio::pin!(cancel);
    let mut tick = tokio::time::interval(CHECKPOINT);
    tick.tick().await;
    let interrupted = loop {
        tokio::select! {
            r = work.as_mut() => { r?; break false; }
            _ = &mut cancel => break true,
            _ = tick.tick() => run.checkpoint().await,
        }
    };
    drop(work);
    run.checkpoint().await;
    let now = clock::now();
    let mut rows = run.done.into_inner().unwrap_or_else(|e| e.into_inner());
    for r in &mut rows {
        if let Some(at) = r.observed_at.as_deref().and_then(parse_rfc3339) {
            r.age_seconds = Some(now.saturating_sub(at));
        }
    }
    Ok(FleetReport::of(
        fleet.account,
        fleet.region,
        rows,
        interrupted,
    ))
}

struct Run<'a> {
    c: &'a Clients,
    fleet: Scope<'a>,
    registry: &'a Registry,
    done: Mutex<Vec<FleetRow>>,
    observed: Mutex<Observed>,
    progress: &'a dyn FleetProgress,
}

/// A tenant to observe: its listing entry and its record (or why there is none).
type Stale = (RecordEntry, Result<Option<(Record, String)>, Error>);

impl Run<'_> {
    async fn checkpoint(&self) {
        let snapshot = self
            .observed
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone();
        if let Err(e) = self.registry.write_observed(self.c, &snapshot).await {
            tracing::warn!("the fleet snapshot could not be written: {e}");
        }
    }

    fn finish(&self, row: FleetRow, observation: Option<TenantObservation>) {
        if let Some(o) = observation {
            self.observed
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .tenants
                .insert(row.tenant.clone(), o);
        }
        let mut done = self.done.lock().unwrap_or_else(|e| e.into_inner());
        done.push(row);
        self.progress.done(done.len());
    }

    async fn observe(
        &self,
        entries: Vec<RecordEntry>,
        max_age: Option<Duration>,
    ) -> Result<(), Error> {
        let now = clock::now();
        let (fresh, mut stale): (Vec<(RecordEntry, TenantObservation)>, Vec<RecordEntry>) = {
            let snap = self.observed.lock().unwrap_or_else(|e| e.into_inner());
            let (mut fresh, mut stale) = (vec![], vec![]);
            for e in entries {
                match snap.tenants.get(&e.tenant) {
                    Some(o) if is_fresh(o, &e, max_age, now) => fresh.push((e, o.clone())),
                    _ => stale.push(e),
                }
            }
            // Oldest observation first: never observed, then by time.
            stale.sort_by_key(|e| snap.tenants.get(&e.tenant).map_or(0, |o| o.observed_at));
            (fresh, stale)
        };
        self.progress.planned(&FleetPlan {
            total: fresh.len() + stale.len(),
            from_snapshot: fresh.len(),
            to_observe: stale.len(),
            floor_seconds: firehose_quotas::DESCRIBE_DELIVERY_STREAM
                .floor_seconds(stale.len() as u64),
        });
        let records: Vec<Stale> = stream::iter(stale.drain(..))
            .map(|e| async move {
                let r = self.registry.read_record_tagged(self.c, &e.tenant).await;
                (e, r)
            })
            .buffered(FLEET_CONCURRENCY)
            .collect()
            .await;
        let db_ids: Vec<String> = records
            .iter()
            .filter_map(|(_, r)| r.as_ref().ok()?.as_ref())
            .flat_map(|(rec, _)| {
                rec.resources
                    .database
                    .iter()
                    .chain(rec.resources.replaced_database.iter())
                    .cloned()
            })
            .collect();
        let dbs = rds::observe_databases(self.c, self.fleet.endpoint, &db_ids).await;
        let keys: HashMap<String, OnceCell<Result<KeyView, AwsError>>> = fresh
            .iter()
            .map(|(_, o)| o.key_arn.clone())
            .chain(
                records
                    .iter()
                    .filter_map(|(_, r)| Some(r.as_ref().ok()?.as_ref()?.0.key_arn.clone())),
            )
            .map(|k| (k, OnceCell::new()))
            .collect();
        let fresh_rows = fresh.into_iter().map(|(e, o)| {
            let keys = &keys;
            async move {
                let row = self.snapshot_row(&e.tenant, &o, keys).await;
                self.finish(row, None);
            }
            .boxed_local()
        });
        let live_rows = records.into_iter().map(|(e, r)| {
            let (keys, dbs) = (&keys, &dbs);
            async move {
                let (row, obs) = self.live_row(&e, r, keys, dbs).await;
                self.finish(row, obs);
            }
            .boxed_local()
        });
        stream::iter(fresh_rows.chain(live_rows))
            .buffer_unordered(FLEET_CONCURRENCY)
            .collect::<()>()
            .await;
        Ok(())
    }

    async fn key<'k>(
        &self,
        keys: &'k HashMap<String, OnceCell<Result<KeyView, AwsError>>>,
        key: &KeyArn,
    ) -> Option<&'k Result<KeyView, AwsError>> {
        let cell = keys.get(key.as_str())?;
        Some(
            cell.get_or_init(|| key_view(&self.c.kms, key, false, self.fleet.endpoint))
                .await,
        )
    }

    async fn snapshot_row(
        &self,
        tenant: &str,
        o: &TenantObservation,
        keys: &HashMap<String, OnceCell<Result<KeyView, AwsError>>>,
    ) -> FleetRow {
        let Ok(key) = o.key_arn.parse::<KeyArn>() else {
            return FleetRow::unreachable(tenant, "the snapshot names an invalid key");
        };
        let rows = o.rows();
        let mut row = match self.key(keys, &key).await {
            Some(Ok(kv)) => judged(tenant, kv, &rows),
            Some(Err(e)) => FleetRow::unreachable(tenant, format!("unreachable: {e}")),
            None => FleetRow::unreachable(tenant, "no key"),
        };
        row.key_arn = Some(key.to_string());
        row.source = RowSource::Snapshot;
        row.observed_at = Some(clock::rfc3339(o.observed_at));
        row
    }

    async fn live_row(
        &self,
        e: &RecordEntry,
        record: Result<Option<(Record, String)>, Error>,
        keys: &HashMap<String, OnceCell<Result<KeyView, AwsError>>>,
        dbs: &Result<HashMap<String, rds::DatabaseState>, AwsError>,
    ) -> (FleetRow, Option<TenantObservation>) {
        let tenant = e.tenant.as_str();
        let (record, etag) = match record {
            Ok(Some(r)) => r,
            Ok(None) => {
                return (
                    FleetRow::unreachable(tenant, "the record disappeared while listing"),
                    None,
                )
            }
            Err(e) => return (FleetRow::unreachable(tenant, e.to_string()), None),
        };
        let (Ok(tid), Ok(key)) = (
            record.tenant.parse::<TenantId>(),
            record.key_arn.parse::<KeyArn>(),
        ) else {
            let mut row =
                FleetRow::unreachable(tenant, "the record names an invalid tenant or key");
            row.verdict = FleetVerdict::Drift;
            return (row, None);
        };
        let t = Tenancy::new(
            tid,
            key.clone(),
            self.fleet.account,
            self.fleet.region,
            self.fleet.env.clone(),
            self.fleet.endpoint.map(str::to_string),
        );
        let observed_at = clock::now();
        let (kv, res) = tokio::join!(
            self.key(keys, &key),
            lean_statuses(self.c, &t, &record.resources, dbs)
        );
        let mut row = match (kv, res) {
            (Some(Ok(kv)), Ok(res)) => {
                let mut row = judged(tenant, kv, &res);
                row.observed_at = Some(clock::rfc3339(observed_at));
                let obs = TenantObservation::of(&key, &etag, observed_at, &res);
                row.key_arn = Some(key.to_string());
                return (row, Some(obs));
            }
            (Some(Err(e)), _) => FleetRow::unreachable(tenant, format!("unreachable: {e}")),
            (_, Err(e)) => FleetRow::unreachable(tenant, format!("unreachable: {e}")),
            (None, _) => FleetRow::unreachable(tenant, "no key"),
        };
        row.key_arn = Some(key.to_string());
        (row, None)
    }
}
