//! `cmek verify`, the real binary, cross-account against the local AWS.

use crate::common::*;
use aws_sdk_kms::types::{KeySpec, KeyUsageType};
use serde_json::json;

fn verify_json(a: &Accounts, arn: &str) -> (std::process::Output, serde_json::Value) {
    let out = verify(a, arn, &["--output", "json"]);
    let report = json_out(&out);
    (out, report)
}

#[tokio::test]
async fn good_customer_key_passes() {
    let a = accounts();
    let arn = good_key(&a).await;
    let (out, report) = verify_json(&a, &arn);
    assert_eq!(out.status.code(), Some(0), "{report:#}\n{}", stderr(&out));
    assert_eq!(report["schema_version"], 1);
    assert_eq!(report["command"], "verify");
    assert_eq!(report["verdict"], "pass");
    for c in report["checks"].as_array().unwrap() {
        for field in ["id", "status", "resource", "message"] {
            assert!(c[field].is_string(), "{field} in {c}");
        }
    }
    assert_eq!(check(&report, "kms-round-trip")["status"], "pass");
    assert_eq!(
        check(&report, "kms-grant-direct")["status"],
        "pass",
        "direct CreateGrant denied as expected"
    );
    // verify changed nothing: no mutating call, and the DryRun CreateGrant created no grant.
    assert!(
        mutating_calls(&a.speedscale).is_empty(),
        "{:#?}",
        mutating_calls(&a.speedscale)
    );
    let grants = kms_as(&a.customer)
        .list_grants()
        .key_id(key_id(&arn))
        .send()
        .await
        .unwrap();
    assert!(grants.grants().is_empty());
}

#[tokio::test]
async fn table_output_fits_100_columns_and_has_the_verdict() {
    let a = accounts();
    let arn = good_key(&a).await;
    let out = verify(&a, &arn, &[]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = stdout(&out);
    for line in text.lines() {
        assert!(
            line.chars().count() <= 100,
            "{} columns: {line}",
            line.chars().count()
        );
    }
    assert!(text.contains("verify: pass"));
    // A passing key asks nothing of anyone: checks proven at enable say so in their message.
    assert!(!text.contains("What to change"), "{text}");
    assert!(
        stderr(&out).is_empty(),
        "no progress drawn when stderr is not a terminal: {}",
        stderr(&out)
    );
}

#[tokio::test]
async fn a_key_that_does_not_exist_gets_only_the_key_access_remedy() {
    let a = accounts();
    let out = verify(&a, &unknown_key_arn(&a.customer, REGION), &[]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let text = stdout(&out);
    let (_, remedies) = text
        .split_once("What to change:\n")
        .unwrap_or_else(|| panic!("{text}"));
    let remedies = remedies.split("\nverify:").next().unwrap();
    let lines: Vec<&str> = remedies
        .lines()
        .filter(|l| l.starts_with("  ") && !l.starts_with("    "))
        .collect();
    assert_eq!(lines.len(), 1, "one remedy: {remedies}");
    assert!(lines[0].trim_start().starts_with("key-"), "{remedies}");
    assert!(
        !remedies.contains('{'),
        "no key-policy statement: {remedies}"
    );
}

#[tokio::test]
async fn disabled_key_fails() {
    let a = accounts();
    let arn = good_key(&a).await;
    kms_as(&a.customer)
        .disable_key()
        .key_id(&arn)
        .send()
        .await
        .expect("customer disables by ARN");
    let (out, report) = verify_json(&a, &arn);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(check(&report, "key-state")["status"], "fail");
    assert!(check(&report, "key-state")["remedy"]
        .as_str()
        .unwrap()
        .contains("enables the key"));
    assert_eq!(
        check(&report, "kms-round-trip")["aws_error"],
        "DisabledException"
    );
}

#[tokio::test]
async fn pending_deletion_fails_with_the_date() {
    let a = accounts();
    let arn = good_key(&a).await;
    kms_as(&a.customer)
        .schedule_key_deletion()
        .key_id(key_id(&arn))
        .pending_window_in_days(30)
        .send()
        .await
        .unwrap();
    let (out, report) = verify_json(&a, &arn);
    assert_eq!(out.status.code(), Some(1));
    let state = check(&report, "key-state");
    assert_eq!(state["status"], "fail");
    assert!(
        state["message"]
            .as_str()
            .unwrap()
            .contains("will be deleted on 20"),
        "{state}"
    );
    assert_eq!(
        check(&report, "kms-round-trip")["aws_error"],
        "KMSInvalidStateException"
    );
}

#[tokio::test]
async fn key_policy_without_speedscale_fails_saying_what_to_add() {
    let a = accounts();
    let arn = create_key(
        &a,
        &key_policy(&a, &[]),
        KeySpec::SymmetricDefault,
        KeyUsageType::EncryptDecrypt,
    )
    .await;
    let (out, report) = verify_json(&a, &arn);
    assert_eq!(
        out.status.code(),
        Some(1),
        "a key-policy refusal is a finding, not exit 3"
    );
    let access = check(&report, "key-access");
    assert_eq!(access["status"], "fail");
    assert!(access["message"].as_str().unwrap().contains("key policy"));
    assert!(access["remedy"]
        .as_str()
        .unwrap()
        .contains(&format!("arn:aws:iam::{}:root", a.speedscale)));
    assert!(check(&report, "kms-round-trip")["remedy"]
        .as_str()
        .unwrap()
        .contains("kms:GenerateDataKey"));
}

#[tokio::test]
async fn round_trip_only_with_the_contract_encryption_context() {
    // A policy that allows the round trip only for another purpose: Speedscale's context fails it.
    let a = accounts();
    let mut statements = speedscale_statements(&a);
    statements[1]["Condition"] =
        json!({"StringEquals": {"kms:EncryptionContext:speedscale:purpose": "something-else"}});
    let arn = create_key(
        &a,
        &key_policy(&a, &statements),
        KeySpec::SymmetricDefault,
        KeyUsageType::EncryptDecrypt,
    )
    .await;
    let (out, report) = verify_json(&a, &arn);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(check(&report, "key-access")["status"], "pass");
    assert_eq!(check(&report, "kms-round-trip")["status"], "fail");
}

#[tokio::test]
async fn asymmetric_and_hmac_keys_fail() {
    for (spec, usage, failing) in [
        (KeySpec::Rsa2048, KeyUsageType::EncryptDecrypt, "key-spec"),
        (
            KeySpec::Hmac256,
            KeyUsageType::GenerateVerifyMac,
            "key-usage",
        ),
    ] {
        let a = accounts();
        let arn = create_key(
            &a,
            &key_policy(&a, &speedscale_statements(&a)),
            spec.clone(),
            usage,
        )
        .await;
        let (out, report) = verify_json(&a, &arn);
        assert_eq!(out.status.code(), Some(1), "{spec:?}");
        assert_eq!(check(&report, failing)["status"], "fail", "{spec:?}");
        assert_eq!(
            check(&report, "kms-round-trip")["aws_error"],
            "InvalidKeyUsageException",
            "{spec:?}"
        );
    }
}

#[tokio::test]
async fn rotation_on_is_a_warning_not_a_failure() {
    let a = accounts();
    let arn = good_key(&a).await;
    kms_as(&a.customer)
        .enable_key_rotation()
        .key_id(key_id(&arn))
        .send()
        .await
        .unwrap();
    let (out, report) = verify_json(&a, &arn);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(check(&report, "key-rotation")["status"], "warn");
    // The message says what AWS says and what is Speedscale's own policy.
    let msg = check(&report, "key-rotation")["message"].as_str().unwrap();
    assert!(msg.contains("AWS keeps the key ARN"), "{msg}");
    assert!(
        msg.contains("Speedscale's own policy (not an AWS limit)"),
        "{msg}"
    );
}

#[tokio::test]
async fn s3_probe_proves_s3_can_use_the_key_when_the_probe_bucket_exists() {
    let a = accounts();
    let arn = good_key(&a).await;
    let bucket = format!("speedscale-cmek-{}-{REGION}", a.speedscale);
    s3_as(&a.speedscale)
        .create_bucket()
        .bucket(&bucket)
        .send()
        .await
        .unwrap();
    let (out, report) = verify_json(&a, &arn);
    assert_eq!(out.status.code(), Some(0), "{report:#}");
    let probe = check(&report, "s3-via-service");
    assert_eq!(probe["status"], "pass", "{probe}");
    let left = s3_as(&a.speedscale)
        .list_objects_v2()
        .bucket(&bucket)
        .send()
        .await
        .unwrap();
    assert_eq!(left.key_count(), Some(0), "the probe object is deleted");

    // The same bucket, a key whose policy does not allow use through S3: the probe fails.
    let b = Accounts {
        customer: a.customer.clone(),
        speedscale: a.speedscale.clone(),
    };
    let statements: Vec<_> = speedscale_statements(&b)
        .into_iter()
        .filter(|s| s["Sid"] != "SpeedscaleUseThroughServices")
        .collect();
    let arn2 = create_key(
        &b,
        &key_policy(&b, &statements),
        KeySpec::SymmetricDefault,
        KeyUsageType::EncryptDecrypt,
    )
    .await;
    let (out, report) = verify_json(&b, &arn2);
    assert_eq!(out.status.code(), Some(1));
    let probe = check(&report, "s3-via-service");
    assert_eq!(probe["status"], "fail");
    assert!(probe["remedy"]
        .as_str()
        .unwrap()
        .contains("s3.us-east-1.amazonaws.com"));
}

#[tokio::test]
async fn key_in_another_region_or_in_our_own_account_is_bad_input() {
    let a = accounts();
    let other_region = unknown_key_arn(&a.customer, "eu-west-1");
    let out = verify(&a, &other_region, &[]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(stderr(&out).lines().count(), 1, "{}", stderr(&out));
    assert!(stderr(&out).contains("--key-arn") && stderr(&out).contains("regional"));
    assert!(
        calls(&a.speedscale).is_empty(),
        "refused before any AWS call"
    );

    let own = unknown_key_arn(&a.speedscale, REGION);
    let out = verify(&a, &own, &[]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("Speedscale's own account"),
        "{}",
        stderr(&out)
    );
    let seen: Vec<_> = calls(&a.speedscale)
        .iter()
        .map(|c| c["operation"].as_str().unwrap_or("").to_string())
        .collect();
    assert_eq!(
        seen,
        ["GetCallerIdentity"],
        "only STS, to learn our own account"
    );
}
