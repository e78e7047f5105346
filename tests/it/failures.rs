//! Our own side failing: exit 3 with a message that says which, never a verdict. And what the
//! logs never contain, even at -vvv.

use crate::common::*;
use serde_json::json;

#[test]
fn closed_endpoint_exits_3_naming_it() {
    let a = accounts();
    // A port that was free a moment ago and has nothing listening now.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let endpoint = format!("http://127.0.0.1:{port}");
    let arn = unknown_key_arn(&a.customer, REGION);
    let out = cmek_with(
        &a.speedscale,
        &["verify", "--tenant", "acme", "--key-arn", &arn],
        &[("AWS_ENDPOINT_URL", &endpoint)],
    );
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    assert!(stderr(&out).contains(&endpoint), "{}", stderr(&out));
    assert!(stderr(&out).contains("unreachable"), "{}", stderr(&out));
    assert_eq!(stderr(&out).lines().count(), 1);
}

/// A fault on one KMS operation of this test's Speedscale account.
fn kms_fault(a: &Accounts, operation: &str, kind: &str, times: Option<u32>) {
    fault(
        json!({"match": {"account": a.speedscale, "service": "kms", "operation": operation}, "kind": kind, "times": times}),
    );
}

#[tokio::test]
async fn throttling_past_retries_is_exit_3_and_transient_throttling_is_absorbed() {
    let a = accounts();
    let arn = good_key(&a).await;
    kms_fault(&a, "DescribeKey", "throttle", Some(2));
    let out = verify(&a, &arn, &[]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "two throttles are retried: {}",
        stderr(&out)
    );
    kms_fault(&a, "DescribeKey", "throttle", None);
    let out = verify(&a, &arn, &[]);
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    assert!(stderr(&out).contains("throttled"), "{}", stderr(&out));
    let describes = calls(&a.speedscale)
        .iter()
        .filter(|c| c["operation"] == "DescribeKey")
        .count();
    assert_eq!(
        describes,
        1 + 2 + 4,
        "1 success after 2 throttles, then 4 attempts"
    );
    clear_faults(&a.speedscale);
}

#[tokio::test]
async fn our_own_iam_denial_is_exit_3_saying_so() {
    let a = accounts();
    let arn = good_key(&a).await;
    kms_fault(&a, "GenerateDataKey", "iam-deny", None);
    let out = verify(&a, &arn, &[]);
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("Speedscale's own IAM denies kms GenerateDataKey"),
        "{}",
        stderr(&out)
    );
    clear_faults(&a.speedscale);
}

#[tokio::test]
async fn server_errors_and_dropped_connections_are_retried_then_exit_3() {
    let a = accounts();
    let arn = good_key(&a).await;
    for kind in ["http5xx", "drop"] {
        kms_fault(&a, "Decrypt", kind, Some(1));
        let out = verify(&a, &arn, &[]);
        assert_eq!(
            out.status.code(),
            Some(0),
            "{kind} once is retried: {}",
            stderr(&out)
        );
        kms_fault(&a, "Decrypt", kind, None);
        let out = verify(&a, &arn, &[]);
        assert_eq!(
            out.status.code(),
            Some(3),
            "{kind} always: {}",
            stderr(&out)
        );
        clear_faults(&a.speedscale);
    }
}

#[tokio::test]
async fn no_credentials_or_data_keys_in_logs_at_the_highest_verbosity() {
    let a = accounts();
    let arn = good_key(&a).await;
    let token = "session-token-must-not-appear-4c3b2a";
    let out = cmek_with(
        &a.speedscale,
        &[
            "-vvv",
            "--output",
            "json",
            "verify",
            "--tenant",
            "acme",
            "--key-arn",
            &arn,
        ],
        &[("AWS_SESSION_TOKEN", token)],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let all = format!("{}{}", stdout(&out), stderr(&out));
    assert!(
        stderr(&out).contains("verify"),
        "-vvv logs something: {}",
        stderr(&out)
    );
    for secret in [SECRET, token, &access_key(&a.speedscale)] {
        assert!(!all.contains(secret), "{secret} leaked");
    }
    assert!(
        !all.to_lowercase().contains("plaintext"),
        "no data key material or its field in output"
    );
}

#[tokio::test]
async fn enable_status_and_revoke_check_log_no_credentials_at_the_highest_verbosity() {
    let a = accounts();
    let arn = good_key(&a).await;
    let token = "session-token-must-not-appear-7d6e5f";
    for args in [
        enable_args(&arn, &[]),
        vec!["--output", "json", "status", "--tenant", "acme"],
        vec!["--output", "json", "revoke-check", "--tenant", "acme"],
    ] {
        let mut all_args = vec!["-vvv"];
        all_args.extend(args);
        let out = cmek_with(&a.speedscale, &all_args, &[("AWS_SESSION_TOKEN", token)]);
        assert_eq!(out.status.code(), Some(0), "{all_args:?}: {}", stderr(&out));
        let all = format!("{}{}", stdout(&out), stderr(&out));
        assert!(!stderr(&out).is_empty(), "-vvv logs something");
        for secret in [SECRET, token, &access_key(&a.speedscale)] {
            assert!(!all.contains(secret), "{all_args:?}: {secret} leaked");
        }
        assert!(
            !all.contains("Signature="),
            "{all_args:?}: no signed headers"
        );
    }
}

/// Looking for a tenant's key in its bucket's tags: our side failing there is exit 3, never
/// "bad input: pass --key-arn" (it used to be exit 2, which told the engineer the wrong thing).
#[test]
fn a_failed_tag_read_while_resolving_the_tenant_is_exit_3_not_bad_input() {
    let a = accounts();
    let tag_fault = |kind: &str| {
        fault(
            json!({"match": {"account": a.speedscale, "service": "s3", "operation": "GetBucketTagging"}, "kind": kind}),
        );
    };
    for (kind, says) in [
        ("throttle", "s3 GetBucketTagging"),
        (
            "iam-deny",
            "Speedscale's own IAM denies s3 GetBucketTagging",
        ),
    ] {
        tag_fault(kind);
        for command in ["status", "revoke-check"] {
            let out = cmek(&a.speedscale, &[command, "--tenant", "nobody"]);
            assert_eq!(
                out.status.code(),
                Some(3),
                "{command} {kind}: {}",
                stderr(&out)
            );
            assert!(
                stderr(&out).contains(says),
                "{command} {kind}: {}",
                stderr(&out)
            );
        }
        clear_faults(&a.speedscale);
    }
    // Nothing failing: a tenant with no record and no tagged bucket is bad input (exit 2).
    let out = cmek(&a.speedscale, &["status", "--tenant", "nobody"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("pass --key-arn"), "{}", stderr(&out));
}
