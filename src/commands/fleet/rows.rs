//! The pieces of a fleet row: whether a snapshot may be served, the row judged from a key and
//! resource rows, and the fleet view's reads of one tenant's resources.

use std::collections::HashMap;
use std::time::Duration;

use futures_util::future::join_all;

use super::{FleetRow, RowSource};
use crate::aws::Clients;
use crate::commands::status::{judge, StatusVerdict};
use crate::error::AwsError;
use crate::services::kms::KeyView;
use crate::services::registry::{RecordEntry, TenantObservation};
use crate::services::{firehose, rds, s3, sns, sqs};
use crate::shared::record::Resources;
use crate::shared::resource::{count, ResourceStatus};
use crate::shared::tenancy::Tenancy;

/// The record's ETag comes from ListObjectsV2 and, when observed, from GetObject: the same value
/// for the same object ("The entity tag is a hash of the object. The ETag reflects changes only to
/// the contents of an object, not its metadata." S3 API reference, Object), so a record rewritten
/// with other contents is noticed from the listing alone.
///
/// Whether a tenant's last observation may be served: `--max-age` given, the observation within
/// it, and made from the record the tenant still has (a record written since, for a new key or a
/// migration, changes its ETag).
pub(super) fn is_fresh(
    o: &TenantObservation,
    e: &RecordEntry,
    max_age: Option<Duration>,
    now: u64,
) -> bool {
    match max_age {
        Some(age) => {
            o.record_etag == e.etag
                && !e.etag.is_empty()
                // A time ahead of this host's clock (another host's) is not fresh for longer.
                && o.observed_at <= now + 60
                && now.saturating_sub(o.observed_at) <= age.as_secs()
        }
        None => false,
    }
}

/// A tenant's row from its key and its resources' rows.
pub(super) fn judged(tenant: &str, kv: &KeyView, res: &[ResourceStatus]) -> FleetRow {
    let (verdict, next) = judge(kv, res);
    let bad: Vec<String> = res
        .iter()
        .filter(|r| !r.on_key())
        .map(|r| format!("{} {}", r.id, r.state.as_str()))
        .collect();
    FleetRow {
        tenant: tenant.into(),
        verdict: verdict.into(),
        key_arn: Some(kv.arn.clone()),
        key_state: Some(kv.state.clone()),
        summary: count(res),
        message: match verdict {
            StatusVerdict::Ok => None,
            StatusVerdict::Drift => Some(bad.join(", ")),
            StatusVerdict::KeyUnusable | StatusVerdict::ActionNeeded => next.into_iter().next(),
        },
        source: RowSource::Live,
        observed_at: None,
        age_seconds: None,
    }
}

/// The fleet view's reads of one tenant: each bucket's default encryption (the canary is
/// `status --tenant`'s), each stream's description, the databases from the batch.
pub(super) async fn lean_statuses(
    c: &Clients,
    t: &Tenancy,
    res: &Resources,
    dbs: &HashMap<String, Result<rds::DatabaseState, AwsError>>,
) -> Result<Vec<ResourceStatus>, AwsError> {
    let buckets = join_all(
        res.buckets
            .iter()
            .map(|b| s3::bucket_status(c, t, b, false)),
    );
    let streams = join_all(res.streams.iter().map(|s| firehose::stream_status(c, t, s)));
    // The queue's own row only: which messages predate the key is `status --tenant`'s to say.
    let queues = join_all(
        res.queues
            .iter()
            .map(|q| sqs::queue_rows(c, t, q, None, false)),
    );
    let topics = join_all(res.topics.iter().map(|s| sns::topic_rows(c, t, s, false)));
    let (buckets, streams, queues, topics) = tokio::join!(buckets, streams, queues, topics);
    let mut out = vec![];
    for b in buckets {
        out.extend(b?);
    }
    for s in streams {
        out.extend(s?);
    }
    for q in queues.into_iter().chain(topics) {
        out.extend(q?);
    }
    let missing = |id: &str| rds::DatabaseState::missing(id);
    if let Some(id) = &res.database {
        match dbs.get(id) {
            Some(Err(e)) => return Err(e.clone()),
            Some(Ok(db)) => out.extend(rds::database_rows(t, id, db)),
            None => out.extend(rds::database_rows(t, id, &missing(id))),
        }
    }
    if let Some(id) = &res.replaced_database {
        match dbs.get(id) {
            Some(Err(e)) => return Err(e.clone()),
            Some(Ok(db)) => out.extend(rds::replaced_rows(t, id, db)),
            None => out.extend(rds::replaced_rows(t, id, &missing(id))),
        }
    }
    Ok(out)
}

/// Unix seconds of an RFC 3339 time this module wrote.
pub(super) fn parse_rfc3339(s: &str) -> Option<u64> {
    crate::shared::clock::parse_rfc3339(s).and_then(|secs| u64::try_from(secs).ok())
}
