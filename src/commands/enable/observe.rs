//! Everything `enable` reads before planning: each service observes its own resources, all at
//! once. Read-only.

use futures_util::future::try_join_all;

use crate::aws::Clients;
use crate::error::{AwsError, Error};
use crate::services::firehose::{observe_stream, StreamState};
use crate::services::iam::{observe_role, RoleState};
use crate::services::rds::{observe_database, DatabaseState};
use crate::services::s3::{observe_bucket, BucketState, ObjectScan};
use crate::shared::tenancy::{migrated_identifier, Tenancy};

/// Everything observed about a tenant.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Observed {
    /// Each bucket, in environment order.
    pub buckets: Vec<BucketState>,
    /// Each stream, in environment order.
    pub streams: Vec<StreamState>,
    /// The database at the environment's identifier.
    pub database: Option<DatabaseState>,
    /// The database a migration restores into (`<identifier>-cmek`), when it exists.
    pub migrated: Option<DatabaseState>,
    /// The delivery role, when cmek manages one.
    pub role: Option<RoleState>,
}

impl Observed {
    /// The databases observed (the environment's, and a migration's target).
    pub fn databases(&self) -> Vec<&DatabaseState> {
        [&self.database, &self.migrated]
            .into_iter()
            .flatten()
            .collect()
    }
}

/// Reads every tenant resource, concurrently.
pub async fn observe(c: &Clients, t: &Tenancy, scan: ObjectScan) -> Result<Observed, Error> {
    let buckets = try_join_all(
        t.names
            .buckets
            .iter()
            .map(|(id, name)| observe_bucket(c, t, id, name, scan)),
    );
    let streams = try_join_all(
        t.names
            .streams
            .iter()
            .map(|(id, name, _)| observe_stream(c, t, id, name)),
    );
    let database = async {
        match &t.names.database {
            None => Ok((None, None)),
            Some(id) => {
                let target = migrated_identifier(id);
                let (db, migrated) =
                    tokio::try_join!(observe_database(c, t, id), observe_database(c, t, &target))?;
                let migrated = migrated.exists.then_some(migrated);
                Ok::<_, AwsError>((Some(db), migrated))
            }
        }
    };
    let role = async {
        if t.manages_role() {
            observe_role(c, t).await.map(Some)
        } else {
            Ok(None)
        }
    };
    let (buckets, streams, (database, migrated), role) =
        tokio::try_join!(buckets, streams, database, role)?;
    Ok(Observed {
        buckets,
        streams,
        database,
        migrated,
        role,
    })
}
