//! revoke-check's evidence rules, from `status` rows: RDS before and after it reacts, gaps and
//! remedies, Firehose's reported failure, next steps.

use super::*;
use crate::services::rds::rds_state;

const KEY: &str = "arn:aws:kms:us-east-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab";

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
        rotation: None,
        message: format!("the key is {state}"),
        aws_error: None,
    }
}

#[test]
fn the_database_state_is_evidence_only_once_rds_has_reacted() {
    let db = |s| res("rds-instance", "ok", Some(s), "");
    assert_eq!(rds_state(&db("available"), true).status, Status::Pass);
    let stopped = rds_state(&db("stopped"), true);
    assert_eq!(stopped.status, Status::Warn);
    assert!(stopped.message.contains("start it"));
    let not_yet = rds_state(&db("available"), false);
    assert_eq!(not_yet.status, Status::Fail);
    assert!(not_yet.message.contains("may take") && not_yet.message.contains("key policy"));
    for s in [
        "inaccessible-encryption-credentials-recoverable",
        "inaccessible-encryption-credentials",
        "stopped",
    ] {
        assert_eq!(rds_state(&db(s), false).status, Status::Pass, "{s}");
    }
    assert!(rds_state(
        &db("inaccessible-encryption-credentials-recoverable"),
        false
    )
    .message
    .contains("7 days"));
}

#[test]
fn each_data_path_off_the_key_is_a_gap_with_a_remedy() {
    let k = key("enabled");
    let bucket = resource_check(&res("s3-bucket", "drift", None, ""), true, &k.state).unwrap();
    assert_eq!(
        (bucket.id.as_str(), bucket.status),
        ("revoke-s3-bucket", Status::Fail)
    );
    assert!(bucket.remedy.unwrap().contains("cmek enable"));
    let snap = resource_check(
        &res("rds-snapshot", "drift", Some("available"), ""),
        true,
        &k.state,
    )
    .unwrap();
    assert_eq!(snap.status, Status::Fail);
    let secret = resource_check(&res("rds-secret", "drift", None, ""), true, &k.state).unwrap();
    assert_eq!(secret.status, Status::Warn, "a credential, not tenant data");
    let db = resource_check(
        &res("rds-instance", "drift", Some("available"), ""),
        true,
        &k.state,
    )
    .unwrap();
    assert_eq!(
        (db.id.as_str(), db.status),
        ("revoke-rds-storage", Status::Fail)
    );
    assert!(db.remedy.unwrap().contains("--migrate-database"));
    assert!(
        resource_check(&res("s3-canary", "ok", None, ""), true, &k.state).is_none(),
        "probed separately"
    );
}

#[test]
fn firehose_is_judged_by_its_encryption_and_the_failure_it_reports() {
    let msg = "server-side encryption with the key; Firehose reports DISABLED_KMS_KEY: The KMS key is disabled.";
    let s = res("firehose-stream", "ok", Some("ACTIVE / ENABLED"), msg);
    let reported = resource_check(&s, false, &key("disabled").state).unwrap();
    assert_eq!(reported.status, Status::Pass);
    assert!(reported.message.contains("DISABLED_KMS_KEY"));
    let quiet = res(
        "firehose-stream",
        "ok",
        Some("ACTIVE / ENABLED"),
        "server-side encryption with the key",
    );
    let unreported = resource_check(&quiet, false, &key("disabled").state).unwrap();
    assert!(
        unreported.message.contains("not written"),
        "{}",
        unreported.message
    );
    let off = resource_check(
        &res("firehose-stream", "unencrypted", None, ""),
        true,
        &key("enabled").state,
    )
    .unwrap();
    assert_eq!(off.status, Status::Fail);
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
