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
