//! Everything `enable` reads before planning: each service observes its own resources, all at
//! once. Read-only.

use futures_util::future::try_join_all;

use crate::aws::Clients;
use crate::error::{AwsError, Error};
use crate::services::firehose::{observe_stream, StreamState};
use crate::services::iam::{
    observe_producer, observe_role, producers_on_key, ProducerState, RoleState, BATCH_ROLE_POLICY,
    ROLE_POLICY,
};
use crate::services::rds::{observe_database, other_kind, DatabaseState};
use crate::services::registry::{BatchJobs, Registry};
use crate::services::s3::{observe_bucket, BucketState, ObjectScan};
use crate::services::sns::{observe_topic, TopicState};
use crate::services::sqs::{observe_queue, QueueState};
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
    /// The Batch Operations role, when `--batch-operations` asked for it.
    pub batch_role: Option<RoleState>,
    /// The tenant's Batch Operations jobs in the registry.
    pub batch_jobs: BatchJobs,
    /// The producers of streams on the key, in environment order.
    pub producers: Vec<ProducerState>,
    /// A database of the other kind under the environment's identifier (an instance when the
    /// engine is Aurora's, a cluster otherwise): it blocks the database's change.
    pub other_kind: Option<DatabaseState>,
    /// Each queue, in environment order.
    pub queues: Vec<QueueState>,
    /// Each topic, in environment order.
    pub topics: Vec<TopicState>,
    /// Whose the key is, and the explicit options that widen that (read by `prepare`).
    pub binding: super::binding::Binding,
    /// The registry's protections as they are.
    pub registry: crate::services::registry::Protection,
    /// The evidence signing key, when there is one.
    pub signing_key: Option<crate::services::kms::sign::SigningKey>,
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

/// Reads every tenant resource, concurrently; the Batch Operations role only when `batch`.
pub async fn observe(
    c: &Clients,
    t: &Tenancy,
    scan: ObjectScan,
    batch: bool,
) -> Result<Observed, Error> {
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
            None => Ok((None, None, None)),
            Some(id) => {
                let target = migrated_identifier(id);
                let (mut db, migrated, other) = tokio::try_join!(
                    observe_database(c, t, id),
                    observe_database(c, t, &target),
                    other_kind(c, t, id)
                )?;
                let migrated = migrated.exists.then_some(migrated);
                // A database enable will create: the version it will have, so that the plan's
                // TLS decision is about that instance (rds/tls.rs).
                if let (false, None, Some(spec)) = (db.exists, &migrated, &t.env.database) {
                    if !db.cluster && !spec.is_cluster() {
                        db.engine_version =
                            crate::services::rds::tls::version_to_create(c, spec, t.ep()).await?;
                    }
                }
                Ok::<_, AwsError>((Some(db), migrated, other))
            }
        }
    };
    let role = async {
        if t.manages_role() {
            observe_role(c, t, t.role_name(), ROLE_POLICY)
                .await
                .map(Some)
        } else {
            Ok(None)
        }
    };
    let batch_role = async {
        if batch {
            observe_role(c, t, t.batch_role_name(), BATCH_ROLE_POLICY)
                .await
                .map(Some)
        } else {
            Ok(None)
        }
    };
    let registry = Registry::new(t);
    let batch_jobs = async {
        registry
            .read_jobs(c, t.tenant.as_str())
            .await
            .map_err(|e| match e {
                Error::Aws(a) => *a,
                other => AwsError::service("s3", "GetObject", "InvalidJobList", &other.to_string()),
            })
    };
    let wanted = producers_on_key(t);
    let producers = try_join_all(
        wanted
            .iter()
            .map(|(u, stream, arn, mode)| observe_producer(c, t, *u, stream, arn, *mode)),
    );
    let queues = try_join_all(
        t.names
            .queues
            .iter()
            .map(|(id, name)| observe_queue(c, t, id, name)),
    );
    let topics = try_join_all(
        t.names
            .topics
            .iter()
            .map(|(id, name)| observe_topic(c, t, id, name)),
    );
    let (
        buckets,
        streams,
        (database, migrated, other_kind),
        role,
        batch_role,
        batch_jobs,
        producers,
    ) = tokio::try_join!(buckets, streams, database, role, batch_role, batch_jobs, producers)?;
    let protection = registry.protection(c);
    let signing_key =
        crate::services::kms::sign::find_signing_key(c, t.env.evidence.signing_key.as_deref());
    let (queues, topics, protection, signing_key) =
        tokio::try_join!(queues, topics, protection, signing_key)?;
    Ok(Observed {
        other_kind,
        queues,
        topics,
        producers,
        binding: Default::default(),
        registry: protection,
        signing_key,
        buckets,
        streams,
        database,
        migrated,
        role,
        batch_role,
        batch_jobs,
    })
}
