//! The `status --all` run:
//!
//! 1. list the records (with their ETags) and read the registry's snapshot, together;
//! 2. with `--max-age`, tenants observed within that age from the record they still have, under a
//!    key that was enabled then, are served from the snapshot: only their key is read, live;
//! 3. every other tenant is observed again, oldest observation first, [`CHUNK`] at a time: the
//!    chunk's records, then its databases a hundred to a DescribeDBInstances, then per tenant its
//!    key (one DescribeKey per distinct key, shared by every tenant on it), its buckets' default
//!    encryption, streams, queues and topics, each call paced within its quota;
//! 4. tenants throttled past the SDK's retries are read once more at the end, paced again.
//!
//! What each tenant was found to be goes into the snapshot as the run goes: written every
//! [`CHECKPOINT`] alongside the work, at the end, and on Ctrl-C, so an interrupted run is resumed
//! by the next `--max-age` run. An observation made while its key was not enabled is not kept, and
//! a key seen not enabled drops every observation under it: a database or stream read before a
//! revocation must not be served after it.

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use futures_util::stream::{self, StreamExt};
use tokio::sync::{Notify, OnceCell};

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
use crate::shared::ids::KeyState;
use crate::shared::record::Record;
use crate::shared::tenancy::Tenancy;

/// How many tenants are read at once (over two chunks). Each waits on the quota of the operation
/// it calls, so this bounds memory and connections, not the rate: against AWS, Firehose's five
/// calls a second need two in flight; with no quotas at 50 ms a call, 64 tenants (up to three
/// calls each) read 10,000 tenants in well under 30 s, and each tenant in flight costs memory
/// (the SDK's calls, a pooled connection).
pub const FLEET_CONCURRENCY: usize = 64;

/// Tenants observed live are taken this many at a time; two chunks are in flight, so no more than
/// two chunks of records are held at once.
pub const CHUNK: usize = 500;

/// How many tenants served from the snapshot are judged at once: each costs at most one
/// DescribeKey (none when its key was read for another tenant), paced at KMS's quota.
pub const SNAPSHOT_CONCURRENCY: usize = 192;

/// How often the snapshot is written during a run.
pub const CHECKPOINT: Duration = Duration::from_secs(30);

/// How long the last write of the snapshot may take after the run (Ctrl-C included).
pub const FINAL_SAVE: Duration = Duration::from_secs(15);

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

/// `status --all`. `cancel` resolving (Ctrl-C) stops the run: the report then says
/// `interrupted`, the tenants not read are rows of their own (`not-read`, so the verdict cannot be
/// ok), and what was observed is in the registry.
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
    let (mut snapshot, writable) = match snapshot {
        Ok(s) => (s, true),
        Err(e) => {
            tracing::warn!("the fleet snapshot could not be read ({e}): every tenant is read live, and this run leaves the snapshot as it is");
            (Observed::default(), false)
        }
    };
    // A tenant whose record is gone leaves the snapshot too.
    let listed: HashSet<&str> = entries.iter().map(|e| e.tenant.as_str()).collect();
    snapshot.tenants.retain(|t, _| listed.contains(t.as_str()));
    let run = Run {
        c,
        fleet,
        registry: &registry,
        writable,
        dirty: std::sync::atomic::AtomicBool::new(false),
        done: Mutex::new(HashMap::new()),
        observed: Mutex::new(snapshot),
        keys: Mutex::new(HashMap::new()),
        unusable_keys: Mutex::new(HashSet::new()),
        retry: Mutex::new(Vec::new()),
        progress,
    };
    let finished = Notify::new();
    let work = async {
        run.observe(&entries, opts.max_age).await;
        finished.notify_one();
    };
    let saver = async {
        loop {
            tokio::select! {
                _ = tokio::time::sleep(CHECKPOINT) => run.checkpoint().await,
                _ = finished.notified() => break,
            }
        }
    };
    let interrupted = tokio::select! {
        _ = async { tokio::join!(work, saver) } => false,
        _ = cancel => true,
    };
    if tokio::time::timeout(FINAL_SAVE, run.checkpoint())
        .await
        .is_err()
    {
        tracing::warn!("the fleet snapshot was not written within {FINAL_SAVE:?}");
    }
    let now = clock::now();
    let mut done = run.done.into_inner().unwrap_or_else(|e| e.into_inner());
    let mut rows = Vec::with_capacity(entries.len());
    for e in &entries {
        let mut row = done
            .remove(&e.tenant)
            .unwrap_or_else(|| FleetRow::not_read(&e.tenant));
        if let Some(at) = row.observed_at.as_deref().and_then(parse_rfc3339) {
            row.age_seconds = Some(now.saturating_sub(at));
        }
        rows.push(row);
    }
    Ok(FleetReport::of(
        fleet.account,
        fleet.region,
        rows,
        interrupted,
    ))
}

/// One DescribeKey per distinct key, shared by every tenant on it (a failure is not kept: the
/// next tenant on the key tries again).
type KeyCell = Arc<OnceCell<KeyView>>;

struct Run<'a> {
    c: &'a Clients,
    fleet: Scope<'a>,
    registry: &'a Registry,
    writable: bool,
    /// Something to write: an observation made, or one to drop.
    dirty: std::sync::atomic::AtomicBool,
    done: Mutex<HashMap<String, FleetRow>>,
    observed: Mutex<Observed>,
    keys: Mutex<HashMap<String, KeyCell>>,
    unusable_keys: Mutex<HashSet<String>>,
    retry: Mutex<Vec<RecordEntry>>,
    progress: &'a dyn FleetProgress,
}

/// A tenant to observe: its listing entry and its record (or why there is none).
type Stale = (RecordEntry, Result<Option<(Record, String)>, Error>);

/// A live row, what it observed (to keep), and whether it failed for throttling.
type Live = (FleetRow, Option<TenantObservation>, bool);

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

impl Run<'_> {
    async fn checkpoint(&self) {
        use std::sync::atomic::Ordering;
        if !self.writable || !self.dirty.swap(false, Ordering::Relaxed) {
            return;
        }
        // Serialised under the lock (no copy of the whole snapshot), written after it.
        let body = {
            let mut snap = lock(&self.observed);
            let unusable = lock(&self.unusable_keys);
            snap.tenants.retain(|_, o| !unusable.contains(&o.key_arn));
            snap.to_gzip()
        };
        if let Err(e) = self.registry.write_observed(self.c, body).await {
            tracing::warn!("the fleet snapshot could not be written: {e}");
            self.dirty.store(true, Ordering::Relaxed);
        }
    }

    fn finish(&self, row: FleetRow, observation: Option<TenantObservation>) {
        // Only what was observed under an enabled key is kept (see the module docs).
        if let (Some(o), Some(KeyState::Enabled)) = (observation, &row.key_state) {
            lock(&self.observed).tenants.insert(row.tenant.clone(), o);
            self.dirty.store(true, std::sync::atomic::Ordering::Relaxed);
        }
        let mut done = lock(&self.done);
        done.insert(row.tenant.clone(), row);
        self.progress.done(done.len());
    }

    async fn observe(&self, entries: &[RecordEntry], max_age: Option<Duration>) {
        let now = clock::now();
        let (fresh, stale): (Vec<&RecordEntry>, Vec<RecordEntry>) = {
            let snap = lock(&self.observed);
            let (mut fresh, mut stale) = (vec![], vec![]);
            for e in entries {
                match snap.tenants.get(&e.tenant) {
                    Some(o) if is_fresh(o, e, max_age, now) => fresh.push(e),
                    _ => stale.push(e.clone()),
                }
            }
            // Oldest observation first: never observed, then by time.
            stale.sort_by_key(|e| snap.tenants.get(&e.tenant).map_or(0, |o| o.observed_at));
            (fresh, stale)
        };
        self.progress.planned(&FleetPlan {
            total: entries.len(),
            from_snapshot: fresh.len(),
            to_observe: stale.len(),
            floor_seconds: firehose_quotas::DESCRIBE_DELIVERY_STREAM
                .floor_seconds(stale.len() as u64),
        });
        let served = stream::iter(fresh)
            .map(|e| async move {
                let row = self.snapshot_row(&e.tenant).await;
                self.finish(row, None);
            })
            .buffer_unordered(SNAPSHOT_CONCURRENCY)
            .collect::<()>();
        let observed = stream::iter(stale.chunks(CHUNK))
            .for_each_concurrent(2, |chunk| self.observe_chunk(chunk, false));
        tokio::join!(served, observed);
        // Throttled past the SDK's retries (another caller in the account spending the same
        // quota): once more, paced again, before they count as unreachable.
        let retry = std::mem::take(&mut *lock(&self.retry));
        for chunk in retry.chunks(CHUNK) {
            self.observe_chunk(chunk, true).await;
        }
    }

    /// One chunk of tenants to observe live; `last_try`: throttled ones are final.
    async fn observe_chunk(&self, chunk: &[RecordEntry], last_try: bool) {
        // Their databases are read before their other resources: the observation's time.
        let observed_at = clock::now();
        let records: Vec<Stale> = stream::iter(chunk)
            .map(|e| async move {
                let r = self.registry.read_record_tagged(self.c, &e.tenant).await;
                (e.clone(), r)
            })
            .buffered(FLEET_CONCURRENCY / 2)
            .collect()
            .await;
        let db_ids: Vec<String> = records
            .iter()
            .filter_map(|(_, r)| r.as_ref().ok()?.as_ref())
            .flat_map(|(rec, _)| {
                let r = &rec.resources;
                r.database.iter().chain(r.replaced_database.iter()).cloned()
            })
            .collect();
        let cluster = self
            .fleet
            .env
            .database
            .as_ref()
            .is_some_and(|d| d.is_cluster());
        let dbs = rds::observe_many(self.c, self.fleet.endpoint, &db_ids, cluster).await;
        stream::iter(records)
            .map(|(e, r)| {
                let dbs = &dbs;
                async move {
                    let (row, obs, throttled) = self.live_row(&e, r, dbs, observed_at).await;
                    if throttled && !last_try {
                        lock(&self.retry).push(e);
                    } else {
                        self.finish(row, obs);
                    }
                }
            })
            .buffer_unordered(FLEET_CONCURRENCY / 2)
            .collect::<()>()
            .await;
    }

    /// The key's state, read live once per distinct key for the whole run.
    async fn key(&self, key: &KeyArn) -> Result<KeyView, AwsError> {
        let cell = lock(&self.keys).entry(key.to_string()).or_default().clone();
        let kv = cell
            .get_or_try_init(|| async {
                // The call's evidence is revoke-check's; the fleet keeps only the state.
                let mut kv = key_view(&self.c.kms, key, false, self.fleet.endpoint).await?;
                kv.probe = None;
                Ok::<_, AwsError>(kv)
            })
            .await?
            .clone();
        if !kv.enabled() {
            lock(&self.unusable_keys).insert(key.to_string());
            self.dirty.store(true, std::sync::atomic::Ordering::Relaxed);
        }
        Ok(kv)
    }

    async fn snapshot_row(&self, tenant: &str) -> FleetRow {
        let Some((key_arn, rows, observed_at)) = lock(&self.observed)
            .tenants
            .get(tenant)
            .map(|o| (o.key_arn.clone(), o.rows(), o.observed_at))
        else {
            return FleetRow::unreachable(tenant, "the snapshot lost the tenant");
        };
        let Ok(key) = key_arn.parse::<KeyArn>() else {
            return FleetRow::unreachable(tenant, "the snapshot names an invalid key");
        };
        let mut row = match self.key(&key).await {
            Ok(kv) => {
                let mut row = judged(tenant, &kv, &rows);
                row.source = RowSource::Snapshot;
                row.observed_at = Some(clock::rfc3339(observed_at));
                row
            }
            Err(e) => FleetRow::unreachable(tenant, format!("unreachable: {e}")),
        };
        row.key_arn = Some(key.to_string());
        row
    }

    async fn live_row(
        &self,
        e: &RecordEntry,
        record: Result<Option<(Record, String)>, Error>,
        dbs: &HashMap<String, Result<rds::DatabaseState, AwsError>>,
        observed_at: u64,
    ) -> Live {
        let tenant = e.tenant.as_str();
        let (record, etag) = match record {
            Ok(Some(r)) => r,
            Ok(None) => {
                let row = FleetRow::unreachable(tenant, "the record disappeared while listing");
                return (row, None, false);
            }
            Err(e) => {
                let throttled = matches!(&e, Error::Aws(a) if a.is_throttling());
                return (
                    FleetRow::unreachable(tenant, e.to_string()),
                    None,
                    throttled,
                );
            }
        };
        let (Ok(tid), Ok(key)) = (
            record.tenant.parse::<TenantId>(),
            record.key_arn.parse::<KeyArn>(),
        ) else {
            let mut row =
                FleetRow::unreachable(tenant, "the record names an invalid tenant or key");
            row.verdict = FleetVerdict::Drift;
            return (row, None, false);
        };
        let t = Tenancy::new(
            tid,
            key.clone(),
            self.fleet.account,
            self.fleet.region,
            self.fleet.env.clone(),
            self.fleet.endpoint.map(str::to_string),
        );
        let (kv, res) = tokio::join!(
            self.key(&key),
            lean_statuses(self.c, &t, &record.resources, dbs)
        );
        let (mut row, obs, throttled) = match (kv, res) {
            (Ok(kv), Ok(res)) => {
                let mut row = judged(tenant, &kv, &res);
                row.observed_at = Some(clock::rfc3339(observed_at));
                let obs = TenantObservation::of(&key, &etag, observed_at, &res);
                (row, Some(obs), false)
            }
            (Err(e), _) | (_, Err(e)) => (
                FleetRow::unreachable(tenant, format!("unreachable: {e}")),
                None,
                e.is_throttling(),
            ),
        };
        row.key_arn = Some(key.to_string());
        (row, obs, throttled)
    }
}
