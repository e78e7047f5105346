//! The planner, from observed states: every action and every note.

use std::collections::BTreeMap;

use super::*;
use crate::services::firehose::StreamState;
use crate::services::iam::{role_policy, RoleState};
use crate::services::rds::DatabaseState;
use crate::services::s3::{BucketState, StaleObjects};
use crate::shared::ids::NoteId;
use crate::shared::record::Record;
use crate::shared::steps::{
    Action, Change, FirehoseStep, IamStep, Plan, RdsStep, RecordStep, S3Step, Step,
};
use crate::shared::tenancy::{Encryption, Tenancy};

const KEY: &str = "arn:aws:kms:us-east-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab";
const OTHER: &str = "arn:aws:kms:us-east-1:111111111111:key/99999999-12ab-34cd-56ef-1234567890ab";

fn tenancy() -> Tenancy {
    crate::shared::tenancy::test_tenancy(KEY)
}

fn good(t: &Tenancy) -> Observed {
    let tags = t.tags();
    Observed {
        buckets: vec![BucketState {
            id: "data".into(),
            name: t.names.buckets[0].1.clone(),
            exists: true,
            encryption: Encryption::Kms(KEY.into()),
            bucket_key: true,
            public_access_blocked: true,
            ownership_enforced: true,
            policy_on_key: true,
            tags: tags.clone(),
            canary: Some(Encryption::Kms(KEY.into())),
            stale: Some(StaleObjects {
                complete: true,
                ..Default::default()
            }),
        }],
        streams: vec![StreamState {
            id: "events".into(),
            name: t.names.streams[0].1.clone(),
            exists: true,
            stream_type: "DirectPut".into(),
            status: "ACTIVE".into(),
            encryption: Encryption::Kms(KEY.into()),
            encryption_status: "ENABLED".into(),
            encryption_failure: None,
            destination_id: "destinationId-000000000001".into(),
            destination_bucket: t.bucket_arn(&t.names.buckets[0].1),
            destination_encryption: Encryption::Kms(KEY.into()),
            destination_kms: true,
            backup: None,
            tags: tags.clone(),
            created: Some(crate::services::firehose::model::CALLER_RULE_NEW_STREAMS),
        }],
        database: Some(DatabaseState {
            identifier: "speedscale-acme".into(),
            exists: true,
            status: "available".into(),
            encryption: Encryption::Kms(KEY.into()),
            secret_encryption: Some(Encryption::Kms(KEY.into())),
            insights_encryption: None,
            arn: "arn:aws:rds:us-east-1:222222222222:db:speedscale-acme".into(),
            tags: tags.clone(),
            cluster: false,
            members: vec![],
            engine_version: Some("16.4".into()),
            parameter_group: Some("default.postgres16".into()),
            log_exports: vec![],
        }),
        migrated: None,
        registry: crate::services::registry::Protection {
            exists: true,
            versioning: true,
            retention: Some(("GOVERNANCE".into(), 365)),
            object_lock: true,
            policy: true,
            public_access_blocked: true,
            acls_disabled: true,
            sse_kms: true,
        },
        signing_key: Some(crate::services::kms::sign::SigningKey {
            arn: "arn:aws:kms:us-east-1:222222222222:key/evidence".into(),
            unusable: None,
        }),
        role: Some(RoleState {
            name: t.role_name(),
            exists: true,
            policy: Some(role_policy(t)),
            tags,
        }),
        batch_role: None,
        batch_jobs: Default::default(),
        producers: vec![],
        // The key is already this tenant's (its claim in the registry).
        binding: crate::commands::enable::binding::Binding {
            claim: Some((
                crate::services::registry::KeyClaim {
                    schema_version: 1,
                    key_arn: KEY.into(),
                    customer_account: "111111111111".into(),
                    tenant: "acme".into(),
                    shared_with: vec![],
                    claimed_by: "arn:aws:iam::222222222222:root".into(),
                    claimed_at: "2026-11-27T00:00:00Z".into(),
                },
                "\"etag\"".into(),
            )),
            ..Default::default()
        },
        other_kind: None,
        queues: vec![],
        topics: vec![],
    }
}

fn record(t: &Tenancy, o: &Observed) -> Record {
    Record {
        schema_version: 1,
        tenant: "acme".into(),
        key_arn: KEY.into(),
        environment: "default".into(),
        account: t.account.clone(),
        region: t.region.clone(),
        resources: resources(t, o, PlanOptions::default()),
        enabled_by: "arn:aws:iam::222222222222:root".into(),
        enabled_at: "2026-11-27T00:00:00Z".into(),
        updated_by: "arn:aws:iam::222222222222:root".into(),
        updated_at: "2026-11-27T00:00:00Z".into(),
        cmek_version: "0.1.0".into(),
        customer_account: Some("111111111111".into()),
        key_since: None,
        shared_key_with: vec![],
    }
}

/// The plan for a tenant already in the registry with these resources.
fn plan_for(t: &Tenancy, o: &Observed, opts: PlanOptions) -> Plan {
    plan(t, o, Some(&record(t, o)), opts)
}

fn change<'a>(p: &'a Plan, id: &str) -> &'a Change {
    p.changes.iter().find(|c| c.id == id).expect(id)
}

fn note_ids(c: &Change) -> Vec<&'static str> {
    c.notes.iter().map(|n| n.id.as_str()).collect()
}

fn missing(t: &Tenancy) -> Observed {
    let mut o = good(t);
    o.buckets[0] = BucketState {
        exists: false,
        encryption: Encryption::None,
        canary: None,
        stale: None,
        tags: BTreeMap::new(),
        ..o.buckets[0].clone()
    };
    o.streams[0].exists = false;
    o.database.as_mut().unwrap().exists = false;
    o.role.as_mut().unwrap().exists = false;
    o.role.as_mut().unwrap().policy = None;
    o.binding = Default::default();
    o
}

#[test]
fn everything_in_place_is_an_empty_plan() {
    let t = tenancy();
    let o = good(&t);
    let p = plan_for(&t, &o, PlanOptions::default());
    assert!(p.is_empty(), "{p:#?}");
    assert!(p.blocked().is_empty());
    assert!(p.changes.iter().all(|c| c.steps.is_empty()));
}

#[test]
fn an_empty_tenant_creates_every_resource_in_order() {
    let t = tenancy();
    let p = plan(&t, &missing(&t), None, PlanOptions::default());
    let ids: Vec<&str> = p.changes.iter().map(|c| c.id.as_str()).collect();
    assert_eq!(
        ids,
        [
            "key",
            "registry",
            "evidence-key",
            "role",
            "bucket:data",
            "stream:events",
            "database",
            "record"
        ]
    );
    // The environment's registry and evidence key are in place already (`missing` keeps them).
    assert!(p
        .changes
        .iter()
        .filter(|c| c.id != "registry" && c.id != "evidence-key")
        .all(|c| c.action == Action::Create));
    assert_eq!(
        change(&p, "bucket:data").steps,
        [
            Step::S3(S3Step::CreateBucket),
            Step::S3(S3Step::BlockPublicAccess),
            Step::S3(S3Step::EnforceOwnership),
            Step::S3(S3Step::SetBucketEncryption),
            Step::S3(S3Step::SetBucketPolicy),
            Step::S3(S3Step::TagBucket),
            Step::S3(S3Step::WriteCanary)
        ]
    );
    assert_eq!(
        change(&p, "stream:events").steps,
        [
            Step::Firehose(FirehoseStep::CreateStream),
            Step::Firehose(FirehoseStep::WaitStreamActive)
        ]
    );
    let db = change(&p, "database");
    assert_eq!(
        db.steps,
        [
            Step::Rds(RdsStep::CreateDatabase),
            Step::Rds(RdsStep::WaitDatabase)
        ]
    );
    assert_eq!(note_ids(db), ["rds-key-fixed"]);
    assert_eq!(
        change(&p, "role").steps,
        [
            Step::Iam(IamStep::CreateRole),
            Step::Iam(IamStep::PutRolePolicy)
        ]
    );
}

#[test]
fn producers_get_their_permission_before_the_stream_goes_on_the_key_and_a_missing_one_blocks() {
    let t = tenancy();
    let mut o = missing(&t);
    let producer = |exists: bool| crate::services::iam::ProducerState {
        role_use: crate::shared::role_use::RoleUse::StreamProducer,
        stream_id: "events".into(),
        role_arn: "arn:aws:iam::222222222222:role/ingest-acme".into(),
        mode: crate::environment::ProducersPolicy::Managed,
        foreign: false,
        exists,
        tagged: true,
        policy: None,
        denied: vec![],
    };
    o.producers = vec![producer(true)];
    let p = plan(&t, &o, None, PlanOptions::default());
    let ids: Vec<&str> = p.changes.iter().map(|c| c.id.as_str()).collect();
    assert_eq!(
        ids,
        [
            "key",
            "registry",
            "evidence-key",
            "role",
            "bucket:data",
            "producer:events:arn:aws:iam::222222222222:role/ingest-acme",
            "stream:events",
            "database",
            "record"
        ]
    );
    assert_eq!(p.changes[5].steps, [Step::Iam(IamStep::PutProducerPolicy)]);
    assert!(p.blocked().is_empty());
    o.producers = vec![producer(false)];
    let p = plan(&t, &o, None, PlanOptions::default());
    let blocked = p.blocked();
    assert_eq!(blocked.len(), 1);
    assert!(
        blocked[0]
            .reason
            .contains("role/ingest-acme of stream speedscale-acme-events does not exist"),
        "{}",
        blocked[0].reason
    );
}

#[test]
fn a_bucket_on_sse_s3_moves_to_the_key_and_its_old_objects_are_named() {
    let t = tenancy();
    let mut o = good(&t);
    let b = &mut o.buckets[0];
    b.encryption = Encryption::SseS3;
    b.bucket_key = false;
    b.ownership_enforced = false;
    b.public_access_blocked = false;
    b.tags.clear();
    b.canary = None;
    b.stale = Some(StaleObjects {
        examined: 1000,
        stale: 1000,
        complete: false,
        examples: vec![("old/1.json".into(), "sse-s3".into())],
    });
    let p = plan_for(&t, &o, PlanOptions::default());
    let c = change(&p, "bucket:data");
    assert_eq!(c.action, Action::Update);
    assert_eq!(
        c.steps,
        [
            Step::S3(S3Step::BlockPublicAccess),
            Step::S3(S3Step::EnforceOwnership),
            Step::S3(S3Step::SetBucketEncryption),
            Step::S3(S3Step::TagBucket),
            Step::S3(S3Step::WriteCanary)
        ]
    );
    assert!(c.reason.contains("SSE-S3"), "{}", c.reason);
    assert_eq!(
        note_ids(c),
        ["s3-ownership-enforced", "s3-objects-keep-old-key"]
    );
    assert!(c.notes[1].message.contains("at least 1000"));
    assert!(c.notes[1].message.contains("old/1.json"));

    let p = plan_for(
        &t,
        &o,
        PlanOptions {
            reencrypt_objects: true,
            ..Default::default()
        },
    );
    let c = change(&p, "bucket:data");
    assert!(c.steps.contains(&Step::S3(S3Step::ReencryptObjects)));
    assert_eq!(c.objects, Some(1000));
    assert!(!note_ids(c).contains(&"s3-objects-keep-old-key"));

    let p = plan_for(
        &t,
        &o,
        PlanOptions {
            reencrypt_objects: true,
            batch_operations: true,
            ..Default::default()
        },
    );
    let c = change(&p, "bucket:data");
    assert!(c.steps.contains(&Step::S3(S3Step::RunBatchJobs)));
    assert!(!c.steps.contains(&Step::S3(S3Step::ReencryptObjects)));
    assert!(
        p.changes.iter().all(|c| c.id != "batch-role"),
        "no role observed, none planned"
    );

    // With the Batch Operations role observed missing, it is created first.
    o.batch_role = Some(RoleState {
        name: t.batch_role_name(),
        exists: false,
        policy: None,
        tags: Default::default(),
    });
    let p = plan_for(
        &t,
        &o,
        PlanOptions {
            reencrypt_objects: true,
            batch_operations: true,
            ..Default::default()
        },
    );
    let ids: Vec<&str> = p.changes.iter().map(|c| c.id.as_str()).collect();
    assert_eq!(
        ids[..6],
        [
            "key",
            "registry",
            "evidence-key",
            "role",
            "batch-role",
            "bucket:data"
        ]
    );
    let role = change(&p, "batch-role");
    assert_eq!(role.resource, "cmek-batch-acme");
    assert_eq!(
        role.steps,
        [
            Step::Iam(IamStep::CreateRole),
            Step::Iam(IamStep::PutRolePolicy)
        ]
    );
}

#[test]
fn a_job_an_earlier_run_did_not_follow_to_its_end_is_followed_whatever_the_options() {
    let t = tenancy();
    let mut o = good(&t);
    let bucket = t.names.buckets[0].1.clone();
    o.batch_jobs.jobs.push(crate::services::registry::BatchJob {
        bucket: bucket.clone(),
        storage_class: "STANDARD".into(),
        job_id: "job-1".into(),
        client_request_token: "cmek-x".into(),
        manifest_prefix: "speedscale-cmek/batch/manifests/standard".into(),
        objects_digest: "d".into(),
        created_at: "2026-11-28T00:00:00Z".into(),
        status: "Active".into(),
        total: 10,
        succeeded: 3,
        failed: 0,
        finished: false,
        encryption_filter: "SSE-S3".into(),
    });
    let p = plan_for(&t, &o, PlanOptions::default());
    let c = change(&p, "bucket:data");
    assert_eq!(c.steps, [Step::S3(S3Step::FollowBatchJobs)]);
    assert_eq!(c.action, Action::Update);
    o.batch_jobs.jobs[0].finished = true;
    let p = plan_for(&t, &o, PlanOptions::default());
    assert!(change(&p, "bucket:data").steps.is_empty());
}

#[test]
fn a_bucket_on_another_key_or_without_bucket_key_is_updated() {
    let t = tenancy();
    let mut o = good(&t);
    o.buckets[0].encryption = Encryption::Kms(OTHER.into());
    let p = plan_for(&t, &o, PlanOptions::default());
    let c = change(&p, "bucket:data");
    assert_eq!(c.steps, [Step::S3(S3Step::SetBucketEncryption)]);
    assert!(c.reason.contains("another key"));

    let mut o = good(&t);
    o.buckets[0].bucket_key = false;
    let p = plan_for(&t, &o, PlanOptions::default());
    assert_eq!(change(&p, "bucket:data").reason, "the bucket key is off");

    let mut o = good(&t);
    o.buckets[0].stale = None;
    let p = plan_for(&t, &o, PlanOptions::default());
    let c = change(&p, "bucket:data");
    assert_eq!(c.action, Action::None);
    assert_eq!(note_ids(c), ["s3-objects-not-scanned"]);
}

#[test]
fn a_stream_on_another_key_gets_encryption_started_and_its_destination_updated() {
    let t = tenancy();
    let mut o = good(&t);
    let s = &mut o.streams[0];
    s.encryption = Encryption::AwsManaged;
    s.destination_encryption = Encryption::SseS3;
    s.tags.clear();
    let p = plan_for(&t, &o, PlanOptions::default());
    let c = change(&p, "stream:events");
    assert_eq!(c.action, Action::Update);
    assert_eq!(
        c.steps,
        [
            Step::Firehose(FirehoseStep::StartStreamEncryption),
            Step::Firehose(FirehoseStep::WaitStreamEncryption),
            Step::Firehose(FirehoseStep::UpdateDestinationEncryption),
            Step::Firehose(FirehoseStep::TagStream)
        ]
    );
    assert_eq!(
        note_ids(c),
        ["firehose-toggle-limit", "firehose-enabling-unencrypted"]
    );
}

#[test]
fn a_stream_mid_way_is_waited_for_and_a_failed_one_is_retried() {
    let t = tenancy();
    let mut o = good(&t);
    o.streams[0].status = "CREATING".into();
    o.streams[0].encryption_status = "ENABLING".into();
    let p = plan_for(&t, &o, PlanOptions::default());
    assert_eq!(
        change(&p, "stream:events").steps,
        [
            Step::Firehose(FirehoseStep::WaitStreamActive),
            Step::Firehose(FirehoseStep::WaitStreamEncryption)
        ]
    );

    let mut o = good(&t);
    o.streams[0].encryption_status = "ENABLING_FAILED".into();
    let p = plan_for(&t, &o, PlanOptions::default());
    let c = change(&p, "stream:events");
    assert_eq!(
        c.steps,
        [
            Step::Firehose(FirehoseStep::StartStreamEncryption),
            Step::Firehose(FirehoseStep::WaitStreamEncryption)
        ]
    );
    assert!(c.reason.contains("failed before"));
}

#[test]
fn a_stream_that_is_not_direct_put_blocks_the_plan() {
    let t = tenancy();
    let mut o = good(&t);
    o.streams[0].stream_type = "KinesisStreamAsSource".into();
    o.streams[0].encryption = Encryption::None;
    let p = plan_for(&t, &o, PlanOptions::default());
    let c = change(&p, "stream:events");
    assert_eq!(c.action, Action::Blocked);
    assert_eq!(note_ids(c), ["firehose-not-directput"]);
    assert_eq!(p.blocked().len(), 1);
}

#[test]
fn a_stream_the_environment_puts_on_an_aws_owned_key_never_leaves_the_customer_key() {
    let mut t = tenancy();
    t.env.streams[0].encryption = crate::environment::StreamEncryption::AwsOwned;
    // Off: encryption starts (AWS owned, the step reads the environment), noted.
    let mut o = good(&t);
    o.streams[0].encryption = Encryption::None;
    o.streams[0].encryption_status = "DISABLED".into();
    let p = plan_for(&t, &o, PlanOptions::default());
    let c = change(&p, "stream:events");
    assert_eq!(
        c.steps,
        [
            Step::Firehose(FirehoseStep::StartStreamEncryption),
            Step::Firehose(FirehoseStep::WaitStreamEncryption)
        ]
    );
    assert!(note_ids(c).contains(&"firehose-aws-owned"));
    // AWS owned and ENABLED: nothing to do.
    o.streams[0].encryption = Encryption::AwsManaged;
    o.streams[0].encryption_status = "ENABLED".into();
    let p = plan_for(&t, &o, PlanOptions::default());
    assert_eq!(change(&p, "stream:events").action, Action::None);
    // Already on the customer key: it stays there (cmek never weakens encryption).
    let o = good(&t);
    let p = plan_for(&t, &o, PlanOptions::default());
    let c = change(&p, "stream:events");
    assert_eq!(c.action, Action::None);
    assert!(c.steps.is_empty());
    // On another customer managed key (an earlier key, say): it stays there too, noted.
    let mut o = good(&t);
    o.streams[0].encryption = Encryption::Kms(OTHER.into());
    let p = plan_for(&t, &o, PlanOptions::default());
    let c = change(&p, "stream:events");
    assert!(!c
        .steps
        .contains(&Step::Firehose(FirehoseStep::StartStreamEncryption)));
    assert!(note_ids(c).contains(&"firehose-aws-owned"));
}

#[test]
fn a_database_on_another_key_is_blocked_unless_migration_is_asked_for() {
    let t = tenancy();
    for enc in [
        Encryption::Kms(OTHER.into()),
        Encryption::None,
        Encryption::AwsManaged,
    ] {
        let mut o = good(&t);
        o.database.as_mut().unwrap().encryption = enc;
        let p = plan_for(&t, &o, PlanOptions::default());
        let c = change(&p, "database");
        assert_eq!(c.action, Action::Blocked);
        assert!(c.reason.contains("--migrate-database"), "{}", c.reason);
        assert!(c.steps.is_empty());

        let p = plan_for(
            &t,
            &o,
            PlanOptions {
                migrate_database: true,
                ..Default::default()
            },
        );
        let c = change(&p, "database");
        assert_eq!(c.action, Action::Create);
        assert_eq!(c.resource, "speedscale-acme-cmek");
        assert_eq!(
            c.steps,
            [
                Step::Rds(RdsStep::SnapshotDatabase),
                Step::Rds(RdsStep::CopySnapshot),
                Step::Rds(RdsStep::RestoreDatabase),
                Step::Rds(RdsStep::WaitDatabase),
                Step::Rds(RdsStep::ManageSecret)
            ]
        );
        assert_eq!(note_ids(c), ["rds-key-fixed", "rds-migration-cutover"]);
        // The record moves to the new database and remembers the old one.
        let r = change(&p, "record");
        assert_eq!(r.action, Action::Update);
    }
}

#[test]
fn a_finished_migration_is_left_alone_with_its_cut_over_note() {
    let t = tenancy();
    let mut o = good(&t);
    o.database.as_mut().unwrap().encryption = Encryption::Kms(OTHER.into());
    let mut m = o.database.clone().unwrap();
    m.identifier = "speedscale-acme-cmek".into();
    m.encryption = Encryption::Kms(KEY.into());
    o.migrated = Some(m.clone());
    let p = plan_for(&t, &o, PlanOptions::default());
    let c = change(&p, "database");
    assert_eq!(c.action, Action::None);
    assert_eq!(note_ids(c), ["rds-migration-cutover"]);

    m.encryption = Encryption::Kms(OTHER.into());
    o.migrated = Some(m);
    let p = plan_for(&t, &o, PlanOptions::default());
    assert_eq!(change(&p, "database").action, Action::Blocked);
}

/// Turning on RDS's management of the master password sets a new password: only on the database a
/// migration restored, and only with --migrate-database (before the cut-over). A plain enable,
/// even after the old database is retired, only notes it. Performance Insights goes on anywhere
/// the environment asks.
#[test]
fn the_restored_databases_secret_is_managed_only_with_migrate_database() {
    let mut t = tenancy();
    let mut o = good(&t);
    let mut m = o.database.clone().unwrap();
    m.identifier = "speedscale-acme-cmek".into();
    m.secret_encryption = None;
    o.database = Some(crate::services::rds::DatabaseState::missing(
        "speedscale-acme",
    ));
    o.migrated = Some(m);
    let p = plan_for(&t, &o, PlanOptions::default());
    let c = change(&p, "database");
    assert_eq!(c.action, Action::None, "{c:?}");
    assert!(note_ids(c).contains(&"rds-secret-key"), "{c:?}");
    let p = plan_for(
        &t,
        &o,
        PlanOptions {
            migrate_database: true,
            ..Default::default()
        },
    );
    assert_eq!(
        change(&p, "database").steps,
        [Step::Rds(RdsStep::ManageSecret)]
    );

    // The environment's own database without a managed secret is never touched; Performance
    // Insights, off, is turned on.
    t.env.database.as_mut().unwrap().performance_insights = true;
    let mut o = good(&t);
    let db = o.database.as_mut().unwrap();
    db.secret_encryption = None;
    db.insights_encryption = None;
    let p = plan_for(
        &t,
        &o,
        PlanOptions {
            migrate_database: true,
            ..Default::default()
        },
    );
    assert_eq!(
        change(&p, "database").steps,
        [Step::Rds(RdsStep::EnableInsights)]
    );
}

#[test]
fn a_database_being_created_is_waited_for_and_tags_are_added() {
    let t = tenancy();
    let mut o = good(&t);
    let db = o.database.as_mut().unwrap();
    db.status = "creating".into();
    db.tags.clear();
    db.secret_encryption = Some(Encryption::AwsManaged);
    db.insights_encryption = Some(Encryption::AwsManaged);
    let p = plan_for(&t, &o, PlanOptions::default());
    let c = change(&p, "database");
    assert_eq!(c.action, Action::Update);
    assert_eq!(
        c.steps,
        [
            Step::Rds(RdsStep::WaitDatabase),
            Step::Rds(RdsStep::TagDatabase)
        ]
    );
    assert_eq!(note_ids(c), ["rds-secret-key", "rds-insights-key"]);
}

#[test]
fn the_role_policy_and_tags_are_kept_current() {
    let t = tenancy();
    let mut o = good(&t);
    let r = o.role.as_mut().unwrap();
    r.policy = Some(serde_json::json!({"Version": "2012-10-17", "Statement": []}));
    r.tags.clear();
    let p = plan_for(&t, &o, PlanOptions::default());
    let c = change(&p, "role");
    assert_eq!(c.action, Action::Update);
    assert_eq!(
        c.steps,
        [
            Step::Iam(IamStep::PutRolePolicy),
            Step::Iam(IamStep::TagRole)
        ]
    );
    // The policy lets Firehose use the key only through S3, for the tenant's bucket.
    let policy = role_policy(&t).to_string();
    assert!(policy.contains("s3.us-east-1.amazonaws.com"));
    assert!(policy.contains(KEY));
    assert!(!policy.contains("\"kms:*\""));
}

#[test]
fn the_record_is_written_when_missing_or_for_another_key() {
    let t = tenancy();
    let o = good(&t);
    let p = plan(&t, &o, None, PlanOptions::default());
    let r = change(&p, "record");
    assert_eq!(r.action, Action::Create);
    assert!(!p.is_empty());

    let mut rec = record(&t, &o);
    rec.key_arn = OTHER.into();
    let p = plan(&t, &o, Some(&rec), PlanOptions::default());
    let r = change(&p, "record");
    assert_eq!(r.action, Action::Update);
    assert_eq!(note_ids(r), ["key-changed"]);
}

#[test]
fn every_note_id_is_reachable_in_these_tests() {
    // The ids the tests above produce; a new note needs a test (and a docs/checks.md entry).
    let seen = [
        "rds-key-fixed",
        "rds-migration-cutover",
        "rds-secret-key",
        "rds-insights-key",
        // postgresql_14_gets_tls_forced_and_its_logs_exported_where_asked
        "rds-tls-after-reboot",
        "rds-logs-not-on-key",
        "firehose-toggle-limit",
        "firehose-enabling-unencrypted",
        "firehose-not-directput",
        "firehose-aws-owned",
        "s3-objects-keep-old-key",
        "s3-objects-not-scanned",
        "s3-ownership-enforced",
        "key-changed",
        // binding_tests.rs
        "customer-account-changed",
        "customer-account-shared",
        "key-shared",
        // services/sqs/tests.rs
        "sqs-messages-keep-old-key",
        "sns-delivery-needs-key-policy",
    ];
    use strum::IntoEnumIterator;
    let mut all: Vec<&str> = NoteId::iter().map(NoteId::as_str).collect();
    all.sort();
    let mut seen = seen.to_vec();
    seen.sort();
    assert_eq!(all, seen);
}

#[test]
fn the_registry_gets_what_it_lacks_and_the_evidence_key_is_created_once() {
    let t = tenancy();
    let mut o = good(&t);
    let p = plan_for(&t, &o, PlanOptions::default());
    assert_eq!(change(&p, "registry").action, Action::None);
    assert_eq!(change(&p, "evidence-key").action, Action::None);
    o.registry.versioning = false;
    o.registry.retention = Some(("GOVERNANCE".into(), 30));
    o.registry.policy = false;
    o.signing_key = None;
    let p = plan_for(&t, &o, PlanOptions::default());
    let reg = change(&p, "registry");
    assert_eq!(reg.action, Action::Update);
    assert_eq!(reg.steps, [Step::Record(RecordStep::ProtectRegistry)]);
    for why in [
        "versioning is off",
        "Object Lock keeps 30 days in GOVERNANCE, the environment asks 365 days in GOVERNANCE",
        "no bucket policy denying non-TLS requests and audit deletion",
    ] {
        assert!(reg.reason.contains(why), "{why}: {}", reg.reason);
    }
    let key = change(&p, "evidence-key");
    assert_eq!(key.action, Action::Create);
    assert_eq!(key.steps, [Step::Record(RecordStep::CreateSigningKey)]);
    // An environment that names its own signing key gets no key change.
    let mut named = t.clone();
    named.env.evidence.signing_key = Some("arn:aws:kms:us-east-1:222222222222:key/mine".into());
    let p = plan_for(&named, &o, PlanOptions::default());
    assert!(p.changes.iter().all(|c| c.id != "evidence-key"));
}

#[test]
fn postgresql_14_gets_tls_forced_and_its_logs_exported_where_asked() {
    let mut t = tenancy();
    let spec = t.env.database.as_mut().unwrap();
    spec.engine_version = Some("14.12".into());
    spec.log_exports = vec!["postgresql".into()];
    let p = plan(&t, &missing(&t), None, PlanOptions::default());
    let db = change(&p, "database");
    assert_eq!(
        db.steps[..2],
        [
            Step::Rds(RdsStep::CreateTlsParameterGroup),
            Step::Rds(RdsStep::CreateDatabase)
        ]
    );
    assert!(db.notes.iter().any(|n| n.id == NoteId::RdsLogsNotOnKey));
    // An existing 14 on a default group moves to cmek's group (from its next reboot).
    let mut o = good(&t);
    let d = o.database.as_mut().unwrap();
    d.engine_version = Some("14.12".into());
    d.parameter_group = Some("default.postgres14".into());
    let p = plan_for(&t, &o, PlanOptions::default());
    let db = change(&p, "database");
    assert_eq!(
        db.steps,
        [
            Step::Rds(RdsStep::UseTlsParameterGroup),
            Step::Rds(RdsStep::ExportLogs)
        ]
    );
    assert!(db.notes.iter().any(|n| n.id == NoteId::RdsTlsAfterReboot));
    // On cmek's group, exporting: nothing to do.
    let d = o.database.as_mut().unwrap();
    d.parameter_group = Some("speedscale-acme-tls-pg14".into());
    d.log_exports = vec!["postgresql".into()];
    let p = plan_for(&t, &o, PlanOptions::default());
    assert!(change(&p, "database").steps.is_empty());
    // 15 and later force TLS by default.
    let d = o.database.as_mut().unwrap();
    d.engine_version = Some("16.4".into());
    d.parameter_group = Some("default.postgres16".into());
    assert!(
        change(&plan_for(&t, &o, PlanOptions::default()), "database")
            .steps
            .is_empty()
    );
}
