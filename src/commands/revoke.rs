//! `revoke-check`: would (or did) disabling the key cut Speedscale off? Every data path is probed
//! read-only: KMS directly (GenerateDataKey then Decrypt with verify's encryption context), S3 by
//! reading the canary object (GetObject: HeadObject never calls KMS), the buckets' other objects by
//! their metadata (HeadObject: no tenant data is read), Firehose by its encryption configuration
//! (writing a record would be tenant data) and the KMS error metrics Firehose publishes in
//! CloudWatch, RDS by the database's state and its snapshots' keys.
//! Each service reads its own evidence off its `status` rows. Failures on our own side (network,
//! throttling, our IAM) are errors (exit 3), never a verdict.

use futures_util::future::join_all;
use serde::Serialize;

use super::revoke_watch::{watch_key, Watched, WATCH_EVERY};
use super::status::{key_applied_by, resource_statuses, Depth};
use super::tenancy::{customer_account, KeySource, TenantHead};
use crate::aws::Clients;
use crate::error::Error;
use crate::services::kms::{key_view, round_trip_traced, KeyView, VerifyRequest};
use crate::services::s3::{self, first_sentence};
use crate::services::{cloudwatch, firehose, rds, sns, sqs};
use crate::shared::clock;
use crate::shared::evidence::Probe;
use crate::shared::ids::{
    CheckId, Cut, Cutoff, KeyState, RdsResource, ResourceKind, ResourceState,
};
use crate::shared::record::Record;
use crate::shared::report::{summarize, Check, Status, Summary};
use crate::shared::resource::ResourceStatus;
use crate::shared::tenancy::Tenancy;

/// Objects examined per bucket by default.
pub const DEFAULT_SCAN_LIMIT: u64 = 10_000;

/// revoke-check's answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum RevokeVerdict {
    /// The key is usable and every data path depends on it.
    Ready,
    /// The key is usable and some data path does not depend on it.
    Exposed,
    /// The key is not usable and every probe is refused.
    Revoked,
    /// The key is not usable but something is still readable or running.
    Partial,
}

impl RevokeVerdict {
    /// The kebab-case name.
    pub fn as_str(self) -> &'static str {
        match self {
            RevokeVerdict::Ready => "ready",
            RevokeVerdict::Exposed => "exposed",
            RevokeVerdict::Revoked => "revoked",
            RevokeVerdict::Partial => "partial",
        }
    }
}

/// The result of `revoke-check`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RevokeReport {
    /// schema_version, command (`revoke-check`), verdict (ready, exposed, revoked, partial),
    /// tenant, key_arn, key_source, account, region, and the key as Speedscale sees it.
    #[serde(flatten)]
    pub head: TenantHead<RevokeVerdict>,
    /// Whether Speedscale can use the key right now.
    pub key_usable: bool,
    /// How far Speedscale is cut off: none, key-unusable (grants stop too), or
    /// refused-to-speedscale (the key policy refuses Speedscale; RDS's and Firehose's grants may
    /// still work).
    pub cutoff: Cutoff,
    /// The evidence, one check per data path: `pass` depends on the key (or is cut off), `fail`
    /// survives a revocation (or is still readable), `warn` a caveat.
    pub checks: Vec<Check>,
    /// Counts.
    pub summary: Summary,
    /// What to do next.
    pub next: Vec<String>,
    /// Every KMS and S3 call that probed the key, with AWS's request ids (for `--evidence`; not in
    /// the report's JSON).
    #[serde(skip)]
    pub probes: Vec<Probe>,
}

impl RevokeReport {
    /// Whether the answer is yes (ready or revoked).
    pub fn is_yes(&self) -> bool {
        match self.head.verdict {
            RevokeVerdict::Ready | RevokeVerdict::Revoked => true,
            RevokeVerdict::Exposed | RevokeVerdict::Partial => false,
        }
    }
}

/// Progress of the object scan: (bucket, objects examined).
pub type ScanProgress<'a> = &'a (dyn Fn(&str, u64) + Sync);

/// Runs every probe. `Err` only on our own side.
pub async fn revoke_check(
    c: &Clients,
    t: &Tenancy,
    record: Option<&Record>,
    key_source: KeySource,
    scan_limit: u64,
    watch: bool,
    progress: ScanProgress<'_>,
) -> Result<RevokeReport, Error> {
    let inv = super::inventory::inventory(c, t, record).await?;
    let res = inv.resources.clone();
    let req = VerifyRequest::without_probe(t);
    let canaries = join_all(res.buckets.iter().map(|b| s3::read_canary(c, t, b)));
    let scans = join_all(res.buckets.iter().map(|b| async move {
        let r = s3::scan_objects(c, t, b, Some(scan_limit), None).await;
        progress(b, r.as_ref().map(|s| s.examined).unwrap_or(0));
        r
    }));
    let versions = join_all(
        res.buckets
            .iter()
            .map(|b| s3::noncurrent_versions(c, t, b, scan_limit)),
    );
    let (key, rt, statuses, canaries, scans, versions, metrics) = tokio::join!(
        key_view(&c.kms, &t.key, false, t.ep()),
        round_trip_traced(&c.kms, &req),
        resource_statuses(c, t, &res, Depth::Evidence, key_applied_by(t, record)),
        canaries,
        scans,
        versions,
        async {
            if res.streams.is_empty() {
                return Ok(None);
            }
            cloudwatch::firehose_kms_errors(c, t, &res.streams)
                .await
                .map(Some)
        }
    );
    let key = key?;
    let statuses = statuses?;
    let (rt, rt_probes) = rt;
    let mut probes: Vec<Probe> = key.probe.iter().cloned().chain(rt_probes).collect();
    let rt_refusal = match &rt {
        Ok(()) => None,
        Err(e) if e.is_our_side() => return Err(e.clone().into()),
        Err(e) => Some(e.clone()),
    };
    let usable = key.enabled() && rt_refusal.is_none();
    let cutoff = cutoff(&key, usable);
    let read_at = clock::rfc3339(clock::now());
    let arn = t.key.as_str();
    let mut checks = vec![];

    // The key's state is evidence either way: usable (ready/exposed) or not (revoked/partial).
    checks.push(Check::new(
        CheckId::RevokeKeyState,
        Status::Pass,
        arn,
        key.message.clone(),
    ));
    checks.push(match &rt_refusal {
        None => Check::new(
            CheckId::RevokeKmsRoundTrip,
            Status::Pass,
            arn,
            "Speedscale can use the key: GenerateDataKey and Decrypt succeed",
        ),
        Some(e) => Check::new(
            CheckId::RevokeKmsRoundTrip,
            Status::Pass,
            arn,
            format!(
                "refused to Speedscale: {} on {} ({})",
                e.code(),
                e.operation,
                first_sentence(e.message())
            ),
        )
        .aws_error(e.code()),
    });
    // Whether the key refused Speedscale's use of it through a service (S3 reading the canary with
    // Speedscale's own permission): evidence a direct round trip cannot give (it never carries
    // kms:ViaService), and what Firehose's caller-permission rule turns on.
    let mut through_services_refused = false;
    for (bucket, canary) in res.buckets.iter().zip(canaries) {
        let (canary, probe) = canary?;
        probes.push(probe);
        through_services_refused |= matches!(canary, s3::Canary::Refused(_));
        checks.push(s3::canary_check(bucket, canary, usable, &read_at));
    }
    for (bucket, scan) in res.buckets.iter().zip(scans) {
        checks.push(s3::objects_check(bucket, &scan?));
    }
    for (bucket, v) in res.buckets.iter().zip(versions) {
        if let Some(v) = v? {
            checks.push(s3::versions_check(bucket, &v));
        }
    }
    // A path whose service reuses data keys (a queue, a topic) is shown cut off only after the
    // key stayed unusable for its reuse period: with --watch-key, watched here.
    let need = statuses
        .iter()
        .filter_map(|r| r.data_key_reuse_seconds)
        .max();
    let mut unusable_for = None;
    if let (true, false, Some(need)) = (watch, usable, need) {
        let w = watch_key(c, t, need.max(0) as u64).await?;
        checks.push(watch_check(arn, &w));
        probes.extend(w.last_probes.iter().cloned());
        unusable_for = Some(if w.usable_again_after.is_some() {
            0
        } else {
            w.unusable_for
        });
    }
    let cut = Cut {
        cutoff,
        key_state: &key.state,
        through_services_refused,
        unusable_for,
    };
    checks.extend(statuses.iter().filter_map(|r| resource_check(r, &cut)));
    // The record is not the whole truth: what exists and one source leaves out (inventory.rs).
    checks.extend(super::inventory::mismatches(
        t,
        record,
        &inv.tagged,
        &statuses,
    ));
    // Corroboration from CloudWatch, never the verdict: a check that is never `fail`.
    if let Some((metrics, metric_probes)) = metrics? {
        probes.extend(metric_probes);
        let aws_owned = |s: &str| {
            statuses
                .iter()
                .any(|r| r.resource == s && firehose::is_aws_owned(r))
        };
        checks.extend(
            res.streams
                .iter()
                .map(|s| cloudwatch::firehose_metrics_check(s, &metrics, usable, aws_owned(s))),
        );
    }

    let any_fail = checks.iter().any(|c| c.status == Status::Fail);
    let verdict = match (usable, any_fail) {
        (true, false) => RevokeVerdict::Ready,
        (true, true) => RevokeVerdict::Exposed,
        (false, false) => RevokeVerdict::Revoked,
        (false, true) => RevokeVerdict::Partial,
    };
    let next = next_steps(verdict, &statuses, &key);
    let mut next = next;
    next.extend(customer_account(t, record).1);
    Ok(RevokeReport {
        head: TenantHead::new("revoke-check", verdict, t, (key_source, record), key),
        summary: summarize(&checks),
        key_usable: usable,
        cutoff,
        probes,
        checks,
        next,
    })
}

/// What watching the key showed, as a check (never a failure itself: each path judges it).
fn watch_check(arn: &str, w: &Watched) -> Check {
    let message = match w.usable_again_after {
        Some(s) => format!("the key was usable again {s} s into the watch ({} reads): the paths that reuse data keys are judged as not watched", w.reads),
        None => format!("the key was unusable at each of {} reads over {} s, one every {} s and at most {} s apart (a key usable for less than that between two reads would not be seen, nor one KMS did not yet show enabled: KMS is eventually consistent)", w.reads, w.unusable_for, WATCH_EVERY.as_secs(), w.longest_gap.max(WATCH_EVERY.as_secs())),
    };
    Check::new(
        CheckId::RevokeKeyWatch,
        if w.usable_again_after.is_some() {
            Status::Warn
        } else {
            Status::Pass
        },
        arn,
        message,
    )
}

/// A `status` row's evidence, by the service that owns it.
fn resource_check(r: &ResourceStatus, cut: &Cut<'_>) -> Option<Check> {
    match r.kind {
        ResourceKind::S3(k) => s3::evidence(k, r),
        ResourceKind::Firehose(k) => Some(firehose::evidence(k, r, cut)),
        ResourceKind::Rds(k) => Some(rds::evidence(k, r, cut.cutoff)),
        ResourceKind::Sqs(k) => Some(sqs::evidence(k, r, cut)),
        ResourceKind::Sns(k) => Some(sns::evidence(k, r, cut)),
    }
}

/// How far Speedscale is cut off, as far as the key itself says. When the key policy refuses
/// Speedscale, KMS answers AccessDenied whether or not the key is also disabled, so the key's
/// state cannot be read, and nothing else is taken to stand for it: RDS reaching
/// `inaccessible-encryption-credentials*` proves RDS is cut off (also "when RDS access to a KMS key
/// is revoked": RDS's grant alone, RDS user guide), not that Firehose's grant or S3 are. Each data
/// path is judged on its own evidence (`resource_check`), and the verdict is `revoked` only when
/// every path is.
fn cutoff(key: &KeyView, usable: bool) -> Cutoff {
    if usable {
        return Cutoff::None;
    }
    match &key.state {
        KeyState::Disabled
        | KeyState::PendingDeletion
        | KeyState::PendingImport
        | KeyState::PendingReplicaDeletion
        | KeyState::Unavailable
        | KeyState::NotFound => Cutoff::KeyUnusable,
        KeyState::Enabled
        | KeyState::Creating
        | KeyState::Updating
        | KeyState::Other(_)
        | KeyState::Refused => Cutoff::RefusedToSpeedscale,
    }
}

fn next_steps(verdict: RevokeVerdict, statuses: &[ResourceStatus], key: &KeyView) -> Vec<String> {
    let mut next = vec![];
    match verdict {
        RevokeVerdict::Ready => {
            next.push("the customer can cut Speedscale off at any time by disabling the key".into())
        }
        RevokeVerdict::Exposed => next.push(
            "fix each failing data path (see its remedy), then run revoke-check again".into(),
        ),
        RevokeVerdict::Revoked => {
            next.push("Speedscale has no access to the tenant's data. When the customer enables the key again, run `cmek status`: a stopped database must be started".into());
            if key.state == KeyState::PendingDeletion {
                next.push(format!(
                    "the key is scheduled for deletion on {}: after that the data is gone for good unless the customer cancels the deletion",
                    key.deletion_date.as_deref().unwrap_or("an unknown date")
                ));
            }
        }
        RevokeVerdict::Partial => {
            next.push("something is still readable or running without the key: see the failing checks and their remedies".into());
            if statuses.iter().any(|r| {
                r.kind == ResourceKind::Rds(RdsResource::Instance)
                    && r.status.as_deref() == Some("available")
            }) {
                next.push(format!("a database still available: {}", rds::RDS_DELAY));
            }
            if statuses.iter().any(|r| {
                r.kind == ResourceKind::Rds(RdsResource::Cluster)
                    && r.status.as_deref() == Some("available")
            }) {
                next.push(format!("a cluster still available: {}", rds::AURORA_DELAY));
            }
        }
    }
    if statuses
        .iter()
        .any(|r| r.kind == ResourceKind::Rds(RdsResource::Replaced) && r.state != ResourceState::Ok)
    {
        next.push(
            "retire the database the migration replaced once the application uses the new one"
                .into(),
        );
    }
    next
}

#[cfg(test)]
#[path = "revoke_tests.rs"]
mod tests;
