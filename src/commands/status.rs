//! `status`: what every tenant resource is encrypted with right now, against the key it is expected
//! to use, and the key's own state. Each service reports its own rows; read-only, independent
//! reads run concurrently.

use futures_util::future::join_all;
use serde::Serialize;

use super::tenancy::{KeySource, TenantHead};
use crate::aws::Clients;
use crate::error::{AwsError, Error};
use crate::services::kms::key_view;
use crate::services::{firehose, rds, s3};
use crate::shared::ids::{RdsResource, ResourceKind};
use crate::shared::record::{Record, Resources};
use crate::shared::resource::{count, ResourceStatus, StateCounts};
use crate::shared::tenancy::Tenancy;

/// status's answer for one tenant.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum StatusVerdict {
    /// Every resource on the expected key (whatever the key's state, shown beside).
    Ok,
    /// Something is not.
    Drift,
}

impl StatusVerdict {
    /// The kebab-case name.
    pub fn as_str(self) -> &'static str {
        match self {
            StatusVerdict::Ok => "ok",
            StatusVerdict::Drift => "drift",
        }
    }
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
}

/// The tenant's resources: from its record, else the environment's names.
pub fn resources_of(t: &Tenancy, record: Option<&Record>) -> Resources {
    match record {
        Some(r) => r.resources.clone(),
        None => Resources {
            buckets: t.names.buckets.iter().map(|b| b.1.clone()).collect(),
            streams: t.names.streams.iter().map(|s| s.1.clone()).collect(),
            database: t.names.database.clone(),
            replaced_database: None,
            role: None,
        },
    }
}

/// How much to read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Depth {
    /// Everything: rotation, snapshots, the replaced database.
    Full,
    /// As `Full` without the canary's metadata: revoke-check reads the canary itself.
    Evidence,
    /// The fleet view: at most one call per resource.
    Lean,
}

/// Reads the state of every resource of a tenant against `t.key`, each service its own.
pub async fn resource_statuses(
    c: &Clients,
    t: &Tenancy,
    res: &Resources,
    depth: Depth,
) -> Result<Vec<ResourceStatus>, AwsError> {
    let (canary, snapshots) = match depth {
        Depth::Full => (true, true),
        Depth::Evidence => (false, true),
        Depth::Lean => (true, false),
    };
    let buckets = join_all(
        res.buckets
            .iter()
            .map(|b| s3::bucket_status(c, t, b, canary)),
    );
    let streams = join_all(res.streams.iter().map(|s| firehose::stream_status(c, t, s)));
    let db = async {
        match &res.database {
            Some(id) => rds::database_status(c, t, id, snapshots).await,
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
    let (buckets, streams, db, replaced) = tokio::join!(buckets, streams, db, replaced);
    let mut out = vec![];
    for b in buckets {
        out.extend(b?);
    }
    for s in streams {
        out.extend(s?);
    }
    out.extend(db?);
    out.extend(replaced?);
    Ok(out)
}

/// `status --tenant`.
pub async fn tenant_status(
    c: &Clients,
    t: &Tenancy,
    record: Option<&Record>,
    key_source: KeySource,
) -> Result<StatusReport, Error> {
    let res = resources_of(t, record);
    let (key, resources) = tokio::join!(
        key_view(&c.kms, &t.key, true, t.ep()),
        resource_statuses(c, t, &res, Depth::Full)
    );
    let key = key?;
    let resources = resources?;
    let summary = count(&resources);
    let ok = summary.drift + summary.unencrypted + summary.missing == 0;
    let mut next = vec![];
    if !ok {
        next.push("run `cmek enable` with the tenant's key to bring drifted or missing resources back to the key (a database on another key needs --migrate-database)".into());
    }
    if resources.iter().any(|r| {
        r.kind == ResourceKind::Rds(RdsResource::Instance)
            && matches!(
                r.status.as_deref(),
                Some("stopped") | Some("inaccessible-encryption-credentials-recoverable")
            )
    }) && key.enabled()
    {
        next.push("the key is enabled again but the database is stopped: start it (aws rds start-db-instance --db-instance-identifier …)".into());
    }
    if key.rotation == Some(true) {
        next.push(
            "automatic rotation is on for the key: Speedscale asks customers to keep it off".into(),
        );
    }
    let verdict = if ok {
        StatusVerdict::Ok
    } else {
        StatusVerdict::Drift
    };
    Ok(StatusReport {
        head: TenantHead::new("status", verdict, t, key_source, key),
        resources,
        summary,
        next,
    })
}
