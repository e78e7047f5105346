//! `status`: what every tenant resource is encrypted with right now, against the key it is expected
//! to use, and the key's own state. Each service reports its own rows; read-only, independent
//! reads run concurrently.

use futures_util::future::join_all;
use serde::Serialize;

use super::tenancy::{customer_account, KeySource, TenantHead};
use crate::aws::Clients;
use crate::error::{AwsError, Error};
use crate::services::kms::{key_view, KeyView};
use crate::services::registry::{BatchJob, Registry};
use crate::services::{firehose, iam, rds, s3, s3control, sns, sqs};
use crate::shared::ids::{RdsResource, ResourceKind};
use crate::shared::record::{Record, Resources};
use crate::shared::resource::{count, ResourceStatus, StateCounts};
use crate::shared::tenancy::Tenancy;

/// status's answer for one tenant, most urgent first: a key Speedscale cannot use (pending
/// deletion: the data becomes unrecoverable on its date), then drift, then a database that needs
/// starting. Only `ok` exits 0, so a runbook running `status` from cron sees each of them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum StatusVerdict {
    /// The key is not usable: disabled, pending deletion, gone, or refused to Speedscale.
    KeyUnusable,
    /// A resource is not on the expected key (or missing, or unencrypted).
    Drift,
    /// Everything is on the key, which is enabled, but a database is stopped and must be started.
    ActionNeeded,
    /// Every resource on the expected key, the key enabled, every database running.
    Ok,
}

impl StatusVerdict {
    /// The kebab-case name.
    pub fn as_str(self) -> &'static str {
        match self {
            StatusVerdict::KeyUnusable => "key-unusable",
            StatusVerdict::Drift => "drift",
            StatusVerdict::ActionNeeded => "action-needed",
            StatusVerdict::Ok => "ok",
        }
    }
}

/// What a key Speedscale cannot use, and stopped databases, ask for; and the verdict they give
/// with the resources' counts. Shared by `status --tenant` and each row of `status --all`.
pub fn judge(key: &KeyView, resources: &[ResourceStatus]) -> (StatusVerdict, Vec<String>) {
    let counts = count(resources);
    let drift = counts.drift + counts.unencrypted + counts.missing > 0;
    let stopped: Vec<&ResourceStatus> = resources
        .iter()
        .filter(|r| {
            matches!(
                r.kind,
                ResourceKind::Rds(RdsResource::Instance | RdsResource::Cluster)
            ) && matches!(
                r.status.as_deref(),
                Some("stopped")
                    | Some("inaccessible-encryption-credentials-recoverable")
                    | Some("inaccessible-encryption-credentials")
            )
        })
        .collect();
    let mut next = vec![];
    let verdict = if !key.enabled() {
        next.push(match key.days_to_deletion {
            Some(days) => format!(
                "the key is scheduled for deletion on {} ({days} days left): after that every byte under it is unrecoverable; to keep the data the customer cancels the deletion (aws kms cancel-key-deletion --key-id {})",
                key.deletion_date.as_deref().unwrap_or("an unknown date"),
                key.arn
            ),
            None => format!(
                "{}: Speedscale cannot use the tenant's data; if this is not a revocation the customer meant, the customer enables the key (aws kms enable-key --key-id {})",
                key.message, key.arn
            ),
        });
        StatusVerdict::KeyUnusable
    } else if drift {
        StatusVerdict::Drift
    } else if !stopped.is_empty() {
        StatusVerdict::ActionNeeded
    } else {
        StatusVerdict::Ok
    };
    let copies: Vec<&ResourceStatus> = resources.iter().filter(|r| r.is_copy_off_key()).collect();
    if resources.iter().any(|r| !r.on_key() && r.copy.is_none()) {
        next.push("run `cmek enable` with the tenant's key to bring drifted or missing resources back to the key (a database on another key needs --migrate-database)".into());
    }
    if !copies.is_empty() {
        next.push(format!(
            "{} of the tenant's data outside the key ({}): enable cannot move a copy; once it is not needed, remove it with the command in its row (cmek never deletes data)",
            match copies.len() {
                1 => "1 copy".to_string(),
                n => format!("{n} copies"),
            },
            copies
                .iter()
                .map(|r| r.id.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    if key.enabled() {
        for db in stopped {
            let id = &db.resource;
            let start = if db.kind == ResourceKind::Rds(RdsResource::Cluster) {
                format!("aws rds start-db-cluster --db-cluster-identifier {id}")
            } else {
                format!("aws rds start-db-instance --db-instance-identifier {id}")
            };
            next.push(match db.status.as_deref() {
                Some("inaccessible-encryption-credentials") => format!(
                    "the database {id} lost its key for good (inaccessible-encryption-credentials): only a restore from a backup helps"
                ),
                Some("inaccessible-encryption-credentials-recoverable") => format!(
                    "the key is enabled again but the database {id} is stopped: start it ({start}); {}", rds::RECOVERABLE_FOR
                ),
                _ => format!(
                    "the key is enabled again but the database {id} is stopped: start it ({start})"
                ),
            });
        }
    }
    if key.rotation == Some(true) {
        next.push(
            "automatic rotation is on for the key: AWS keeps the key ARN and rotation does not affect the use of the key in any AWS service; Speedscale's own policy (not an AWS limit) asks customers to keep it off, and re-keying is a new key with `cmek enable --migrate-database`".into(),
        );
    }
    (verdict, next)
}

/// The result of `status --tenant`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StatusReport {
    /// schema_version, command (`status`), verdict (ok or drift), tenant, key_arn, key_source,
    /// account, region, and the key's state (shown beside; it does not change the verdict).
    #[serde(flatten)]
    pub head: TenantHead<StatusVerdict>,
    /// Every resource.
    pub resources: Vec<ResourceStatus>,
    /// Counts.
    pub summary: StateCounts,
    /// What to do next.
    pub next: Vec<String>,
    /// The tenant's S3 Batch Operations re-encryption jobs (from the registry; the unfinished ones
    /// read live with DescribeJob).
    pub batch_jobs: Vec<BatchJob>,
}

/// How much to read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Depth {
    /// Everything: rotation, the canary's metadata.
    Full,
    /// As `Full` without the canary's metadata: revoke-check reads the canary itself.
    Evidence,
}

/// When the key being checked reached the tenant's buckets, by the record (Unix seconds); `None`
/// without a record of this key.
pub fn key_applied_by(t: &Tenancy, record: Option<&Record>) -> Option<i64> {
    record
        .filter(|r| r.key_arn == t.key.as_str())
        .and_then(Record::key_applied_by)
}

/// Reads the state of every resource of a tenant against `t.key`, each service its own, with
/// every copy of its data that cmek can find beside them; `since` is when the key reached the
/// buckets ([`key_applied_by`]).
pub async fn resource_statuses(
    c: &Clients,
    t: &Tenancy,
    res: &Resources,
    depth: Depth,
    since: Option<i64>,
) -> Result<Vec<ResourceStatus>, AwsError> {
    let canary = match depth {
        Depth::Full => true,
        Depth::Evidence => false,
    };
    let buckets = join_all(
        res.buckets
            .iter()
            .map(|b| s3::bucket_status(c, t, b, canary)),
    );
    let streams = join_all(res.streams.iter().map(|s| firehose::stream_status(c, t, s)));
    let db = async {
        match &res.database {
            Some(id) => {
                let (rows, other) = tokio::try_join!(
                    rds::database_status(c, t, id),
                    rds::other_kind_rows(c, t, id)
                )?;
                Ok(rows.into_iter().chain(other).collect())
            }
            None => Ok(vec![]),
        }
    };
    // Read at every depth: until it is retired it holds tenant data (one more call, for migrated
    // tenants only).
    let replaced = async {
        match &res.replaced_database {
            Some(id) => rds::replaced_status(c, t, id).await,
            None => Ok(vec![]),
        }
    };
    // Every copy of the databases the tenant has had: the live one's, the replaced one's after it
    // is gone, and the environment's name's (a tenant with no record, or an older one).
    let db_ids: Vec<String> = [&res.database, &res.replaced_database, &t.names.database]
        .into_iter()
        .flatten()
        .cloned()
        .collect();
    let copies = rds::database_copies(c, t, &db_ids);
    let uploads = join_all(res.buckets.iter().map(|b| s3::upload_rows(c, t, b, since)));
    let replication = join_all(
        res.buckets
            .iter()
            .map(|b| s3::replication_rows(c, t, b, &res.buckets)),
    );
    let producers = iam::producer_rows(c, t, (&res.streams, &res.queues, &res.topics));
    let queues = join_all(
        res.queues
            .iter()
            .map(|q| sqs::queue_rows(c, t, q, since, true)),
    );
    let topics = join_all(res.topics.iter().map(|s| sns::topic_rows(c, t, s, true)));
    let (buckets, uploads, replication, streams, producers, db, replaced, copies, queues, topics) = tokio::join!(
        buckets,
        uploads,
        replication,
        streams,
        producers,
        db,
        replaced,
        copies,
        queues,
        topics
    );
    let mut out = vec![];
    for b in buckets {
        out.extend(b?);
    }
    for u in uploads {
        out.extend(u?);
    }
    for r in replication {
        out.extend(r?);
    }
    for s in streams {
        out.extend(s?);
    }
    out.extend(producers?);
    for q in queues {
        out.extend(q?);
    }
    for s in topics {
        out.extend(s?);
    }
    out.extend(db?);
    out.extend(replaced?);
    out.extend(copies?);
    Ok(out)
}

/// The tenant's Batch Operations jobs; those not seen to their end are read live.
async fn batch_jobs(c: &Clients, t: &Tenancy) -> Result<Vec<BatchJob>, Error> {
    let jobs = Registry::new(t).read_jobs(c, t.tenant.as_str()).await?;
    // Read live all at once: a tenant has one job per bucket, storage class and encryption.
    Ok(join_all(jobs.jobs.into_iter().map(|mut job| async move {
        if !job.finished && !job.job_id.is_empty() {
            // A job S3 no longer describes (or a call we may not make) does not hide the rest of
            // the tenant's status: the registry's last figures stay, with why they are not live.
            match s3control::describe(c, t, &job.job_id).await {
                Ok(p) => {
                    job.status = p.status;
                    job.total = p.total;
                    job.succeeded = p.succeeded;
                    job.failed = p.failed;
                }
                Err(e) => job.status = format!("{} (not read live: {})", job.status, e.code()),
            }
        }
        job
    }))
    .await)
}

/// `status --tenant`.
pub async fn tenant_status(
    c: &Clients,
    t: &Tenancy,
    record: Option<&Record>,
    key_source: KeySource,
) -> Result<StatusReport, Error> {
    let inv = super::inventory::inventory(c, t, record).await?;
    let res = inv.resources.clone();
    let registry = crate::services::registry::Registry::new(t);
    let (key, resources, jobs, protection) = tokio::join!(
        key_view(&c.kms, &t.key, true, t.ep()),
        resource_statuses(c, t, &res, Depth::Full, key_applied_by(t, record)),
        batch_jobs(c, t),
        registry.protection(c)
    );
    let protection = protection?;
    let key = key?;
    let resources = resources?;
    let batch_jobs = jobs?;
    let summary = count(&resources);
    let (verdict, mut next) = judge(&key, &resources);
    if batch_jobs.iter().any(|j| !j.finished) {
        next.push(format!(
            "a re-encryption job has not been followed to its end: run `cmek enable --tenant {} --key-arn {}` to follow it, read its report and finish (without --batch-operations nothing new is submitted)",
            t.tenant, t.key
        ));
    }
    next.extend(customer_account(t, record).1);
    let unprotected = protection.missing(&t.env);
    if protection.exists && !unprotected.is_empty() {
        next.push(format!(
            "the registry {} is not protected as auditors expect ({}): run cmek enable, which plans its protections",
            registry.bucket,
            unprotected.join("; ")
        ));
    }
    for m in super::inventory::mismatches(t, record, &inv.tagged, &resources) {
        next.push(format!("{}: {}", m.resource, m.message));
    }
    Ok(StatusReport {
        head: TenantHead::new("status", verdict, t, (key_source, record), key),
        resources,
        summary,
        next,
        batch_jobs,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::shared::ids::{KeyState, S3Resource};
    use crate::shared::tenancy::Encryption;

    const KEY: &str = "arn:aws:kms:us-east-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab";

    fn key(state: KeyState, days: Option<u64>) -> KeyView {
        KeyView {
            arn: KEY.into(),
            message: format!("the key is {state}"),
            state,
            deletion_date: days.map(|_| "2026-12-05T00:00:00Z".into()),
            days_to_deletion: days,
            rotation: None,
            aws_error: None,
            probe: None,
        }
    }

    fn rows(bucket: Encryption, db_status: &str) -> Vec<ResourceStatus> {
        let k: crate::input::KeyArn = KEY.parse().unwrap();
        vec![
            ResourceStatus::of(S3Resource::Bucket, "b", &k, Some(&bucket), ""),
            ResourceStatus::of(
                RdsResource::Instance,
                "speedscale-acme",
                &k,
                Some(&Encryption::Kms(KEY.into())),
                "",
            )
            .status(db_status),
        ]
    }

    #[test]
    fn the_most_urgent_verdict_wins_and_only_ok_is_ok() {
        let on = Encryption::Kms(KEY.into());
        let enabled = key(KeyState::Enabled, None);
        assert_eq!(
            judge(&enabled, &rows(on.clone(), "available")).0,
            StatusVerdict::Ok
        );
        let (v, next) = judge(&enabled, &rows(on.clone(), "stopped"));
        assert_eq!(v, StatusVerdict::ActionNeeded);
        assert!(
            next[0].contains("aws rds start-db-instance --db-instance-identifier speedscale-acme")
        );
        assert_eq!(
            judge(&enabled, &rows(Encryption::SseS3, "stopped")).0,
            StatusVerdict::Drift
        );
        let pending = key(KeyState::PendingDeletion, Some(7));
        let (v, next) = judge(&pending, &rows(Encryption::SseS3, "available"));
        assert_eq!(v, StatusVerdict::KeyUnusable);
        assert!(
            next[0].contains("2026-12-05") && next[0].contains("7 days left"),
            "{next:?}"
        );
        // A database stopped because the key is disabled is the key's doing, not a start to run.
        let (v, next) = judge(&key(KeyState::Disabled, None), &rows(on, "stopped"));
        assert_eq!(v, StatusVerdict::KeyUnusable);
        assert!(
            !next.iter().any(|n| n.contains("start-db-instance")),
            "{next:?}"
        );
    }
}
