//! The plan: each service plans its own resources from what was observed, in apply order (role,
//! buckets, stream producers, streams, database), then the registry record. A value, testable
//! without AWS.

use super::binding::plan_binding;
use super::Observed;
use crate::services::firehose::plan_stream;
use crate::services::iam::{plan_batch_role, plan_producer, plan_role};
use crate::services::rds::{plan_cluster, plan_database};
use crate::services::s3::plan_bucket;
use crate::services::sns::plan_topic;
use crate::services::sqs::plan_queue;
use crate::shared::ids::NoteId;
use crate::shared::record::{Record, Resources};
use crate::shared::role_use::RoleUse;
use crate::shared::steps::{
    Action, Change, Kind, Plan, PlanOptions, RecordStep, S3Step, SqsStep, Step,
};
use crate::shared::tenancy::{migrated_identifier, Encryption, Tenancy};

/// The resources `enable` brings this tenant to (what its record will list).
pub fn resources(t: &Tenancy, o: &Observed, opts: PlanOptions) -> Resources {
    let (database, replaced_database) = match &o.database {
        None => (None, None),
        Some(db) => {
            let migrated = o.migrated.is_some()
                || (db.exists && !db.encryption.is_key(&t.key) && opts.migrate_database);
            if migrated {
                (
                    Some(migrated_identifier(&db.identifier)),
                    Some(db.identifier.clone()),
                )
            } else {
                (Some(db.identifier.clone()), None)
            }
        }
    };
    Resources {
        buckets: t.names.buckets.iter().map(|b| b.1.clone()).collect(),
        streams: t.names.streams.iter().map(|s| s.1.clone()).collect(),
        database,
        replaced_database,
        role: o.role.as_ref().map(|r| r.name.clone()),
        queues: t.names.queues.iter().map(|q| q.1.clone()).collect(),
        topics: t.names.topics.iter().map(|q| q.1.clone()).collect(),
    }
}

/// Computes the plan from what was observed.
pub fn plan(t: &Tenancy, o: &Observed, record: Option<&Record>, opts: PlanOptions) -> Plan {
    // First: whose key this is. A blocked claim blocks the whole plan.
    let mut changes = vec![plan_binding(t, record, &o.binding)];
    changes.extend(super::protect::plan_environment(t, o));
    if let Some(role) = &o.role {
        changes.push(guard(t, plan_role(t, role), &role.tags));
    }
    let mut buckets: Vec<Change> = o
        .buckets
        .iter()
        .map(|b| guard(t, follow_earlier_jobs(plan_bucket(t, b, opts), o), &b.tags))
        .collect();
    let runs_jobs = buckets
        .iter()
        .any(|c| c.steps.contains(&Step::S3(S3Step::RunBatchJobs)));
    if let (true, Some(role)) = (runs_jobs, &o.batch_role) {
        changes.push(guard(t, plan_batch_role(t, role), &role.tags));
    }
    changes.append(&mut buckets);
    // Before the streams: a stream is never on the key before its producers may use it.
    // So are queues and topics (their producers, consumers and publishers come first too).
    for p in &o.producers {
        let (path, old) = path_of(t, o, p.role_use, &p.stream_id);
        changes.push(plan_producer(t, p, &path, old.as_deref()));
    }
    for s in &o.streams {
        changes.push(guard(t, plan_stream(t, s), &s.tags));
    }
    // Queues before topics: a topic subscribes queues that must exist.
    for q in &o.queues {
        changes.push(guard(t, plan_queue(t, q), &q.tags));
    }
    for s in &o.topics {
        changes.push(guard(t, plan_topic(t, s), &s.tags));
    }
    if let Some(db) = &o.database {
        let planned = if db.cluster {
            plan_cluster(t, db, o.migrated.as_ref(), opts)
        } else {
            plan_database(t, db, o.migrated.as_ref(), opts)
        };
        let mut ch = guard(t, planned, &db.tags);
        if let Some(other) = &o.other_kind {
            ch.action = Action::Blocked;
            ch.steps.clear();
            ch.reason = format!(
                "{} exists as {}, and the environment's engine names {}: the engine changed in the environment, or the name is taken; it holds tenant data cmek will not leave behind unnamed (retire it, or give the environment another identifier)",
                other.identifier,
                if other.cluster { "an Aurora cluster" } else { "a DB instance" },
                if other.cluster { "a DB instance" } else { "an Aurora cluster" }
            );
        }
        // The migration's target matters only when the database is not on the key (a migration
        // under way or asked for): then it must not be another tenant's.
        if let Some(m) = o
            .migrated
            .as_ref()
            .filter(|_| !db.encryption.is_key(&t.key))
        {
            ch = guard(t, ch, &m.tags);
        }
        changes.push(ch);
    }
    // A bucket or queue that gets the key in this run moves the record's `key_since` (uploads
    // started and messages sent before it are outside the key), so the record is written even when
    // nothing else in it changes.
    let encrypts = changes.iter().any(|c| {
        c.steps.contains(&S3Step::SetBucketEncryption.into())
            || c.steps.contains(&SqsStep::SetQueueEncryption.into())
    });
    changes.push(plan_record(t, record, &resources(t, o, opts), encrypts));
    Plan { changes }
}

/// A resource another tenant's tags claim is never adopted or re-tagged: the change is blocked,
/// naming both tenants.
fn guard(t: &Tenancy, mut c: Change, tags: &std::collections::BTreeMap<String, String>) -> Change {
    if let Some(other) = t.foreign_tenant(tags) {
        c.action = Action::Blocked;
        c.steps.clear();
        c.reason = format!(
            "{} is tagged speedscale:tenant = {other}: it belongs to tenant {other}, and enable for tenant {} never adopts, re-tags or records it",
            c.resource, t.tenant
        );
    }
    c
}

/// A producer's stream: its name, and the customer key it is on now when that is not the tenant's
/// (a key change keeps the producers on both until the stream has moved).
fn stream_of(t: &Tenancy, o: &Observed, stream_id: &str) -> (String, Option<String>) {
    let Some(s) = o.streams.iter().find(|s| s.id == stream_id) else {
        return (stream_id.to_string(), None);
    };
    let old = match &s.encryption {
        Encryption::Kms(k) if !s.encryption.is_key(&t.key) && k.starts_with("arn:") => {
            Some(k.clone())
        }
        _ => None,
    };
    (s.name.clone(), old)
}

/// A role's path (stream, queue or topic): its name, and the customer key it is on now when that is
/// not the tenant's.
fn path_of(t: &Tenancy, o: &Observed, u: RoleUse, id: &str) -> (String, Option<String>) {
    let other = |e: &Encryption| match e {
        Encryption::Kms(k) if !e.is_key(&t.key) && k.starts_with("arn:") => Some(k.clone()),
        _ => None,
    };
    match u {
        RoleUse::StreamProducer => stream_of(t, o, id),
        RoleUse::QueueProducer | RoleUse::QueueConsumer => o
            .queues
            .iter()
            .find(|q| q.id == id)
            .map_or((id.to_string(), None), |q| {
                (q.name.clone(), other(&q.encryption))
            }),
        RoleUse::TopicPublisher => o
            .topics
            .iter()
            .find(|q| q.id == id)
            .map_or((id.to_string(), None), |q| {
                (q.name.clone(), other(&q.encryption))
            }),
    }
}

/// The old key of a role's change (`<prefix><path id>:<role ARN>`), as its plan computed it.
pub(super) fn producer_old_key(t: &Tenancy, o: &Observed, ch: &Change) -> Option<String> {
    let (u, id) = RoleUse::of_change(&ch.id)?;
    path_of(t, o, u, id).1
}

/// A bucket with a Batch Operations job an earlier run submitted and did not see to its end (a
/// Ctrl-C during the follow) follows it, whatever the options: to its end, its report read and
/// removed. Without `--batch-operations` nothing new is submitted.
fn follow_earlier_jobs(mut c: Change, o: &Observed) -> Change {
    let step = Step::S3(S3Step::FollowBatchJobs);
    if c.action == Action::Blocked
        || c.steps.contains(&Step::S3(S3Step::RunBatchJobs))
        || o.batch_jobs.unfinished(&c.resource).next().is_none()
    {
        return c;
    }
    let why = "a Batch Operations job of an earlier run has not been followed to its end";
    c.steps.push(step);
    if c.action == Action::None {
        c.action = Action::Update;
        c.reason = why.to_string();
    } else {
        c.reason = format!("{}; {why}", c.reason);
    }
    c
}

fn plan_record(
    t: &Tenancy,
    record: Option<&Record>,
    resources: &Resources,
    encrypts: bool,
) -> Change {
    let mut r = Change::new("record", Kind::RegistryRecord, t.tenant.as_str());
    let mut why = vec![];
    match record {
        None => {
            r.step(RecordStep::WriteRecord);
            why.push("the tenant is not in the registry yet".to_string());
        }
        Some(rec) => {
            if rec.key_arn != t.key.as_str() {
                r.note(
                    NoteId::KeyChanged,
                    format!(
                        "the tenant was onboarded with {}; every resource moves to the new key, and a database cannot change key",
                        rec.key_arn
                    ),
                );
                r.step(RecordStep::WriteRecord);
                why.push("the record names another key".into());
            } else if rec.resources != *resources {
                r.step(RecordStep::WriteRecord);
                why.push("the record lists other resources".into());
            } else if rec.customer_account.as_deref() != Some(t.key.account()) {
                r.step(RecordStep::WriteRecord);
                why.push("the record does not name the tenant's customer account yet".into());
            } else if encrypts {
                r.step(RecordStep::WriteRecord);
                why.push(
                    "the key reaches a bucket again: the record keeps when (key_since)".into(),
                );
            }
        }
    }
    r.settle(record.is_none(), why)
}

#[cfg(test)]
#[path = "plan_tests.rs"]
mod tests;
