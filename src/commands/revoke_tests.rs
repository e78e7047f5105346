//! revoke-check's evidence rules, from `status` rows: RDS before and after it reacts, gaps and
//! remedies, Firehose's reported failure, next steps.

use super::*;
use crate::services::rds::rds_state;
use crate::shared::ids::StreamModel;

const KEY: &str = "arn:aws:kms:us-east-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab";

fn cut(cutoff: Cutoff, key_state: &KeyState, through_services_refused: bool) -> Cut<'_> {
    Cut {
        cutoff,
        key_state,
        through_services_refused,
        unusable_for: None,
    }
}

fn res(
    kind: &'static str,
    state: &'static str,
    status: Option<&str>,
    message: &str,
) -> ResourceStatus {
    let kind = ResourceKind::all().find(|k| k.as_str() == kind).unwrap();
    let state = [
        ResourceState::Ok,
        ResourceState::Drift,
        ResourceState::Unencrypted,
        ResourceState::Missing,
    ]
    .into_iter()
    .find(|s| s.as_str() == state)
    .unwrap();
    ResourceStatus {
        id: format!("{}:x", kind.as_str()),
        kind,
        resource: "x".into(),
        expected_key: KEY.into(),
        actual_key: if state == ResourceState::Ok {
            KEY.into()
        } else {
            "sse-s3".into()
        },
        state,
        status: status.map(str::to_string),
        message: message.into(),
        model: None,
        copy: None,
        data_key_reuse_seconds: None,
    }
}

fn key(state: &str) -> KeyView {
    KeyView {
        arn: KEY.into(),
        state: [
            KeyState::Enabled,
            KeyState::Disabled,
            KeyState::PendingDeletion,
        ]
        .into_iter()
        .find(|s| s.as_str() == state)
        .unwrap(),
        deletion_date: None,
        days_to_deletion: None,
        rotation: None,
        message: format!("the key is {state}"),
        aws_error: None,
        probe: None,
    }
}

#[test]
fn the_database_state_is_evidence_only_once_rds_has_reacted() {
    let db = |s| res("rds-instance", "ok", Some(s), "");
    assert_eq!(
        rds_state(&db("available"), Cutoff::None).status,
        Status::Pass
    );
    let stopped = rds_state(&db("stopped"), Cutoff::None);
    assert_eq!(stopped.status, Status::Warn);
    assert!(stopped.message.contains("start it"));
    let not_yet = rds_state(&db("available"), Cutoff::KeyUnusable);
    assert_eq!(not_yet.status, Status::Fail);
    // RDS's documented delay, never "a few minutes".
    assert!(
        not_yet.message.contains("\"2 hours after detection\"")
            && not_yet.message.contains("backups disabled")
            && !not_yet.message.contains("minutes"),
        "{}",
        not_yet.message
    );
    for s in [
        "inaccessible-encryption-credentials-recoverable",
        "inaccessible-encryption-credentials",
        "stopped",
    ] {
        assert_eq!(
            rds_state(&db(s), Cutoff::KeyUnusable).status,
            Status::Pass,
            "{s}"
        );
    }
    assert!(rds_state(
        &db("inaccessible-encryption-credentials-recoverable"),
        Cutoff::KeyUnusable
    )
    .message
    .contains("seven days"));
    // Removed from the key policy only: RDS's grant still works, and the remedy says how to end it.
    let granted = rds_state(&db("available"), Cutoff::RefusedToSpeedscale);
    assert_eq!(granted.status, Status::Fail);
    assert!(granted.message.contains("grant"), "{}", granted.message);
    let remedy = granted.remedy.unwrap().to_string();
    assert!(
        remedy.contains(&format!("aws kms list-grants --key-id {KEY}")),
        "{remedy}"
    );
    assert!(remedy.contains("aws kms revoke-grant"), "{remedy}");
}

#[test]
fn a_key_policy_that_refuses_speedscale_cuts_a_stream_only_under_the_caller_permission_rule() {
    let k = key("enabled");
    let mut stream = res("firehose-stream", "ok", Some("ACTIVE / ENABLED"), "");
    for (model, want) in [
        (Some(StreamModel::CallerPermission), Status::Pass),
        (Some(StreamModel::Grant), Status::Fail),
        // Unknown creation time: the grant rule, so no verdict rests on a guess.
        (None, Status::Fail),
    ] {
        stream.model = model;
        // Evidence that the key refuses Speedscale through services (a canary read refused).
        let c = resource_check(&stream, &cut(Cutoff::RefusedToSpeedscale, &k.state, true)).unwrap();
        assert_eq!(
            (c.id, c.status),
            (CheckId::RevokeFirehoseEncryption, want),
            "{model:?}: {}",
            c.message
        );
        match want {
            Status::Pass => assert!(
                c.message.contains("caller-permission rule"),
                "{}",
                c.message
            ),
            _ => {
                assert!(
                    c.message.contains("grant rule") && c.message.contains("2027-02-28"),
                    "{}",
                    c.message
                );
                assert!(c.remedy.is_some());
            }
        }
        // Only the direct round trip refused: nothing shows the producers are, under any rule.
        let c =
            resource_check(&stream, &cut(Cutoff::RefusedToSpeedscale, &k.state, false)).unwrap();
        assert_eq!(c.status, Status::Fail, "{model:?}: {}", c.message);
        // Disabling the key cuts the stream under either rule.
        let c = resource_check(
            &stream,
            &cut(Cutoff::KeyUnusable, &KeyState::Disabled, false),
        )
        .unwrap();
        assert_eq!(c.status, Status::Pass);
    }
    // A producer holds no data: a missing permission is a warning, never an exposure.
    let producer = res("firehose-producer", "missing", None, "no permission");
    let c = resource_check(&producer, &cut(Cutoff::None, &k.state, false)).unwrap();
    assert_eq!(
        (c.id, c.status),
        (CheckId::RevokeFirehoseProducer, Status::Warn)
    );
}

#[test]
fn each_data_path_off_the_key_is_a_gap_with_a_remedy() {
    let k = key("enabled");
    let bucket = resource_check(
        &res("s3-bucket", "drift", None, ""),
        &cut(Cutoff::None, &k.state, false),
    )
    .unwrap();
    assert_eq!(
        (bucket.id.as_str(), bucket.status),
        ("revoke-s3-bucket", Status::Fail)
    );
    assert!(bucket.remedy.unwrap().contains("cmek enable"));
    let snap = resource_check(
        &res("rds-snapshot", "drift", Some("available"), ""),
        &cut(Cutoff::None, &k.state, false),
    )
    .unwrap();
    assert_eq!(snap.status, Status::Fail);
    let secret = resource_check(
        &res("rds-secret", "drift", None, ""),
        &cut(Cutoff::None, &k.state, false),
    )
    .unwrap();
    assert_eq!(secret.status, Status::Warn, "a credential, not tenant data");
    let db = resource_check(
        &res("rds-instance", "drift", Some("available"), ""),
        &cut(Cutoff::None, &k.state, false),
    )
    .unwrap();
    assert_eq!(
        (db.id.as_str(), db.status),
        ("revoke-rds-storage", Status::Fail)
    );
    assert!(db.remedy.unwrap().contains("--migrate-database"));
    assert!(
        resource_check(
            &res("s3-canary", "ok", None, ""),
            &cut(Cutoff::None, &k.state, false)
        )
        .is_none(),
        "probed separately"
    );
}

#[test]
fn firehose_is_judged_by_its_encryption_and_how_the_key_is_cut_off() {
    let s = res(
        "firehose-stream",
        "ok",
        Some("ACTIVE / ENABLED"),
        "server-side encryption with the key",
    );
    let disabled =
        resource_check(&s, &cut(Cutoff::KeyUnusable, &key("disabled").state, false)).unwrap();
    assert_eq!(disabled.status, Status::Pass);
    assert!(
        disabled.message.contains("not written"),
        "{}",
        disabled.message
    );
    assert!(
        disabled.message.contains("24 hours"),
        "{}",
        disabled.message
    );
    // The key policy refuses Speedscale, the key stays enabled: Firehose's grant still works.
    let refused = resource_check(
        &s,
        &cut(Cutoff::RefusedToSpeedscale, &KeyState::Refused, false),
    )
    .unwrap();
    assert_eq!(refused.status, Status::Fail);
    assert!(refused.message.contains("grant"), "{}", refused.message);
    assert!(refused.remedy.unwrap().contains("revoke-grant"));
    let off = resource_check(
        &res("firehose-stream", "unencrypted", None, ""),
        &cut(Cutoff::None, &key("enabled").state, false),
    )
    .unwrap();
    assert_eq!(off.status, Status::Fail);
}

#[test]
fn the_cut_off_is_read_from_the_key_never_inferred_from_another_path() {
    let refused = KeyView {
        state: KeyState::Refused,
        ..key("enabled")
    };
    assert_eq!(cutoff(&key("enabled"), true), Cutoff::None);
    assert_eq!(cutoff(&key("disabled"), false), Cutoff::KeyUnusable);
    assert_eq!(
        cutoff(&key("enabled"), false),
        Cutoff::RefusedToSpeedscale,
        "enabled but refused: grants still work"
    );
    // Refused: the key's state cannot be read, and RDS's state is RDS's evidence only.
    assert_eq!(cutoff(&refused, false), Cutoff::RefusedToSpeedscale);
    let k = refused.state.clone();
    let db = res(
        "rds-instance",
        "ok",
        Some("inaccessible-encryption-credentials-recoverable"),
        "",
    );
    let c = resource_check(&db, &cut(Cutoff::RefusedToSpeedscale, &k, true)).unwrap();
    assert_eq!(
        (c.id, c.status),
        (CheckId::RevokeRdsState, Status::Pass),
        "{}",
        c.message
    );
    // ... while a grant-rule stream beside it still fails: never a false "revoked".
    let mut stream = res("firehose-stream", "ok", Some("ACTIVE / ENABLED"), "");
    stream.model = Some(StreamModel::Grant);
    let c = resource_check(&stream, &cut(Cutoff::RefusedToSpeedscale, &k, true)).unwrap();
    assert_eq!(c.status, Status::Fail, "{}", c.message);
}

#[test]
fn next_steps_follow_the_verdict() {
    let pending = KeyView {
        deletion_date: Some("2026-12-04T00:00:00Z".into()),
        ..key("pending-deletion")
    };
    let next = next_steps(RevokeVerdict::Revoked, &[], &pending);
    assert!(next.iter().any(|n| n.contains("2026-12-04")));
    assert!(next_steps(RevokeVerdict::Ready, &[], &key("enabled"))[0].contains("at any time"));
    let replaced = res("rds-replaced", "drift", Some("available"), "");
    assert!(
        next_steps(RevokeVerdict::Exposed, &[replaced], &key("enabled"))
            .iter()
            .any(|n| n.contains("retire"))
    );
}

#[test]
fn a_copy_outside_the_key_fails_with_its_removal_command_and_one_under_it_passes() {
    use crate::services::rds;
    let t = crate::shared::tenancy::test_tenancy(KEY);
    let k = key("enabled");
    let c = cut(Cutoff::None, &k.state, false);
    let other = "arn:aws:kms:us-east-1:222222222222:key/0000abcd-12ab-34cd-56ef-1234567890ab";
    let snap = |key: &str, kind: &str| {
        aws_sdk_rds::types::DbSnapshot::builder()
            .db_snapshot_identifier("speedscale-acme-pre-cmek")
            .snapshot_type(kind)
            .encrypted(true)
            .kms_key_id(key)
            .allocated_storage(20)
            .status("available")
            .build()
    };
    // The migration's snapshot under the old key: a copy, fail, the exact command in the remedy.
    let row = rds::snapshot_row(&t, "speedscale-acme", &snap(other, "manual"), vec![]);
    assert!(row.is_copy_off_key());
    assert_eq!(row.copy.as_ref().unwrap().allocated_storage_gib, Some(20));
    let check = resource_check(&row, &c).unwrap();
    assert_eq!(
        (check.id.as_str(), check.status),
        ("revoke-rds-snapshot", Status::Fail)
    );
    assert!(check.remedy.unwrap().contains(
        "aws rds delete-db-snapshot --region us-east-1 --db-snapshot-identifier speedscale-acme-pre-cmek"
    ));
    // Under the key and shared with another account: the share is a caveat (their copies are
    // out of sight), never a pass without a word.
    let shared = rds::snapshot_row(
        &t,
        "speedscale-acme",
        &snap(KEY, "manual"),
        vec!["333333333333".into()],
    );
    assert!(!shared.is_copy_off_key());
    let check = resource_check(&shared, &c).unwrap();
    assert_eq!(check.status, Status::Warn);
    assert!(check
        .remedy
        .unwrap()
        .contains("--values-to-remove 333333333333"));
    // Retained automated backups under the old key.
    let b = aws_sdk_rds::types::DbInstanceAutomatedBackup::builder()
        .dbi_resource_id("db-ABC")
        .db_instance_identifier("speedscale-acme")
        .status("retained")
        .encrypted(true)
        .kms_key_id(other)
        .build();
    let check = resource_check(&rds::backup_row(&t, "speedscale-acme", &b), &c).unwrap();
    assert_eq!(
        (check.id.as_str(), check.status),
        ("revoke-rds-automated-backup", Status::Fail)
    );
    assert!(check.remedy.unwrap().contains(
        "aws rds delete-db-instance-automated-backup --region us-east-1 --dbi-resource-id db-ABC"
    ));
}

#[test]
fn an_upload_counts_as_outside_the_key_unless_it_was_started_after_it() {
    use crate::services::s3;
    let t = crate::shared::tenancy::test_tenancy(KEY);
    let k = key("enabled");
    let c = cut(Cutoff::None, &k.state, false);
    let applied = 1_800_000_000;
    let row = |initiated, since| s3::upload_row(&t, "b", "k", "u1", initiated, since);
    for (initiated, since) in [
        (Some(applied - 60), Some(applied)),
        // The same second as the record, or within the 15 minutes the clocks may differ.
        (Some(applied), Some(applied)),
        (Some(applied + 600), Some(applied)),
        // No record of when the key was applied.
        (Some(applied + 60), None),
        (None, Some(applied)),
    ] {
        let r = row(initiated, since);
        assert_eq!(r.actual_key, s3::UNREPORTED);
        let check = resource_check(&r, &c).unwrap();
        assert_eq!(
            (check.id.as_str(), check.status),
            ("revoke-s3-upload", Status::Fail),
            "{initiated:?} {since:?}"
        );
        assert!(check.message.contains("u1"));
        assert!(check.remedy.unwrap().contains(
            "aws s3api abort-multipart-upload --region us-east-1 --bucket b --key k --upload-id u1"
        ));
    }
    let after = resource_check(&row(Some(applied + 901), Some(applied)), &c).unwrap();
    assert_eq!(
        after.status,
        Status::Warn,
        "S3 does not report its encryption"
    );
}

#[test]
fn a_replication_rule_is_a_gap_only_when_its_replicas_leave_the_key_and_the_tenants_buckets() {
    use crate::services::s3;
    let t = crate::shared::tenancy::test_tenancy(KEY);
    let k = key("enabled");
    let c = cut(Cutoff::None, &k.state, false);
    let tenant = vec!["b".to_string(), "b2".to_string()];
    let status = |dest: &str, key: Option<&str>| {
        let r = s3::replication_rows_for_test(&t, dest, key, &tenant);
        (resource_check(&r, &c).unwrap().status, r)
    };
    let other = "arn:aws:kms:us-east-1:222222222222:key/0000abcd-12ab-34cd-56ef-1234567890ab";
    assert_eq!(status("arn:aws:s3:::b2", None).0, Status::Pass);
    assert_eq!(status("arn:aws:s3:::b2", Some(KEY)).0, Status::Pass);
    assert_eq!(status("arn:aws:s3:::b2", Some(other)).0, Status::Fail);
    // Outside, even naming the key: SSE-S3 objects replicate as they are, older replicas stay,
    // and nothing examines the destination.
    assert_eq!(status("arn:aws:s3:::elsewhere", Some(KEY)).0, Status::Fail);
    let (s, r) = status("arn:aws:s3:::elsewhere", None);
    assert_eq!(s, Status::Fail);
    assert_eq!(r.actual_key, "source-encryption");
    assert!(r
        .copy
        .unwrap()
        .remove
        .contains("aws s3api delete-bucket-replication --region us-east-1 --bucket b"));
}

#[test]
fn judging_status_tells_a_copy_from_drift_enable_can_fix() {
    let on = ResourceStatus::of(
        crate::shared::ids::S3Resource::Bucket,
        "b",
        &KEY.parse().unwrap(),
        Some(&crate::shared::tenancy::Encryption::Kms(KEY.into())),
        "",
    );
    let mut copy = res("rds-snapshot", "drift", Some("available"), "");
    copy.copy = Some(crate::shared::resource::DataCopy {
        remove: "aws rds delete-db-snapshot --db-snapshot-identifier x".into(),
        ..Default::default()
    });
    let (verdict, next) = crate::commands::status::judge(&key("enabled"), &[on, copy]);
    assert_eq!(verdict, crate::commands::status::StatusVerdict::Drift);
    let next = next.join("\n");
    assert!(
        next.contains("1 copy of the tenant's data outside the key (rds-snapshot:x)"),
        "{next}"
    );
    assert!(!next.contains("run `cmek enable`"), "{next}");
}

#[test]
fn a_streams_backup_is_a_gap_under_another_key_and_a_caveat_outside_the_tenants_buckets() {
    let k = key("enabled");
    let c = cut(Cutoff::None, &k.state, false);
    let outside = crate::shared::resource::DataCopy {
        remove: "point the backup at a tenant bucket".into(),
        outside_tenant_buckets: true,
        ..Default::default()
    };
    let mut row = res(
        "firehose-backup",
        "ok",
        None,
        "backs up every source record",
    );
    assert_eq!(resource_check(&row, &c).unwrap().status, Status::Pass);
    row.copy = Some(outside.clone());
    let check = resource_check(&row, &c).unwrap();
    assert_eq!(
        (check.id.as_str(), check.status),
        ("revoke-firehose-backup", Status::Warn)
    );
    let mut off = res(
        "firehose-backup",
        "drift",
        None,
        "backs up every source record",
    );
    off.copy = Some(outside);
    let check = resource_check(&off, &c).unwrap();
    assert_eq!(check.status, Status::Fail);
    assert!(check.remedy.unwrap().contains("point the backup"));
}
