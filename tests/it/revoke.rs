//! `cmek status` and `cmek revoke-check`, the real binary, cross-account against the local AWS.

use crate::common::*;
use serde_json::Value;

fn status(a: &Accounts, extra: &[&str]) -> (std::process::Output, Value) {
    let mut args = vec!["--output", "json", "status"];
    args.extend(extra);
    let out = cmek(&a.speedscale, &args);
    let v = if out.stdout.is_empty() {
        Value::Null
    } else {
        json_out(&out)
    };
    (out, v)
}

fn revoke_check(a: &Accounts) -> (std::process::Output, Value) {
    let out = cmek(
        &a.speedscale,
        &["--output", "json", "revoke-check", "--tenant", "acme"],
    );
    let v = if out.stdout.is_empty() {
        Value::Null
    } else {
        json_out(&out)
    };
    (out, v)
}

async fn enabled_tenant() -> (Accounts, String) {
    let a = accounts();
    let arn = good_key(&a).await;
    let out = enable(&a, &arn, &[]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    (a, arn)
}

fn checks_with<'a>(report: &'a Value, id: &str) -> Vec<&'a Value> {
    report["checks"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["id"] == id)
        .collect()
}

async fn customer_kms(a: &Accounts, arn: &str, action: &str) {
    let kms = kms_as(&a.customer);
    let id = key_id(arn);
    match action {
        "disable" => {
            kms.disable_key().key_id(id).send().await.unwrap();
        }
        "enable" => {
            kms.enable_key().key_id(id).send().await.unwrap();
        }
        "schedule" => {
            kms.schedule_key_deletion()
                .key_id(id)
                .pending_window_in_days(7)
                .send()
                .await
                .unwrap();
        }
        _ => unreachable!(),
    }
}

#[tokio::test]
async fn after_enable_status_is_ok_and_revocation_is_ready() {
    let (a, arn) = enabled_tenant().await;
    let mutations = mutating_calls(&a.speedscale).len();
    let (out, report) = status(&a, &["--tenant", "acme"]);
    assert_eq!(out.status.code(), Some(0), "{report:#}\n{}", stderr(&out));
    assert_eq!(report["command"], "status");
    assert_eq!(report["verdict"], "ok");
    assert_eq!(report["key_source"], "record");
    assert_eq!(report["key"]["state"], "enabled");
    assert_eq!(report["key"]["rotation"], false);
    let kinds: Vec<&str> = report["resources"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["kind"].as_str().unwrap())
        .collect();
    for k in [
        "s3-bucket",
        "s3-canary",
        "firehose-stream",
        "firehose-destination",
        "rds-instance",
        "rds-secret",
    ] {
        assert!(kinds.contains(&k), "{k} in {kinds:?}");
    }
    for r in report["resources"].as_array().unwrap() {
        assert_eq!(r["state"], "ok", "{r}");
        assert_eq!(r["expected_key"], arn.as_str());
        assert_eq!(r["actual_key"], arn.as_str());
    }
    let (out, report) = revoke_check(&a);
    assert_eq!(out.status.code(), Some(0), "{report:#}\n{}", stderr(&out));
    assert_eq!(report["command"], "revoke-check");
    assert_eq!(report["verdict"], "ready");
    assert_eq!(report["key_usable"], true);
    assert_eq!(
        mutating_calls(&a.speedscale).len(),
        mutations,
        "status and revoke-check change nothing"
    );
}

#[tokio::test]
async fn objects_from_before_enable_are_exposed_and_a_key_moved_out_of_band_is_drift() {
    let a = accounts();
    let arn = good_key(&a).await;
    let n = names(&a);
    let s3 = s3_as(&a.speedscale);
    s3.create_bucket().bucket(&n.bucket).send().await.unwrap();
    let other = speedscale_key(&a).await;
    for i in 0..7 {
        let mut req = s3
            .put_object()
            .bucket(&n.bucket)
            .key(format!("before/{i}.json"))
            .body(b"{}".to_vec().into());
        if i % 2 == 0 {
            req = req
                .server_side_encryption(aws_sdk_s3::types::ServerSideEncryption::AwsKms)
                .ssekms_key_id(&other);
        }
        req.send().await.unwrap();
    }
    assert_eq!(enable(&a, &arn, &[]).status.code(), Some(0));
    let before = mutating_calls(&a.speedscale).len();
    let (out, report) = revoke_check(&a);
    assert_eq!(out.status.code(), Some(1), "{report:#}\n{}", stderr(&out));
    assert_eq!(report["verdict"], "exposed");
    let objects = checks_with(&report, "revoke-s3-objects")[0];
    assert_eq!(objects["status"], "fail");
    let msg = objects["message"].as_str().unwrap();
    assert!(msg.starts_with("7 objects are not under the key"), "{msg}");
    assert!(
        msg.contains("before/0.json") && msg.contains("all 7 objects examined"),
        "{msg}"
    );
    assert_eq!(
        mutating_calls(&a.speedscale).len(),
        before,
        "revoke-check changes nothing"
    );

    // Someone moves the bucket to another key behind cmek's back.
    set_default_encryption(&s3, &n.bucket, Some(&other)).await;
    let (out, report) = status(&a, &["--tenant", "acme"]);
    assert_eq!(out.status.code(), Some(1), "{report:#}");
    assert_eq!(report["verdict"], "drift");
    let bucket = resource_row(&report, "s3-bucket");
    assert_eq!(bucket["state"], "drift");
    assert_eq!(bucket["actual_key"], other.as_str());
    let table = cmek(&a.speedscale, &["status", "--tenant", "acme"]);
    assert!(stdout(&table).contains("drift"));
    assert!(stdout(&table).lines().all(|l| l.chars().count() <= 100));
}

#[tokio::test]
async fn revocation_is_partial_until_rds_reacts_then_revoked_and_ready_again() {
    let (a, arn) = enabled_tenant().await;
    customer_kms(&a, &arn, "disable").await;
    let (out, report) = revoke_check(&a);
    assert_eq!(out.status.code(), Some(1), "{report:#}\n{}", stderr(&out));
    assert_eq!(report["verdict"], "partial");
    let rds = checks_with(&report, "revoke-rds-state")[0];
    assert_eq!(rds["status"], "fail");
    // RDS's documented delay, quoted, never "a few minutes"; the next step says when to look again.
    assert!(
        rds["message"]
            .as_str()
            .unwrap()
            .contains("\"2 hours after detection\""),
        "{rds}"
    );
    let next = report["next"].to_string();
    assert!(
        next.contains("2 hours") && !next.contains("few minutes"),
        "{next}"
    );

    tokio::time::sleep(std::time::Duration::from_millis(1300)).await;
    let (out, report) = revoke_check(&a);
    assert_eq!(out.status.code(), Some(0), "{report:#}\n{}", stderr(&out));
    assert_eq!(report["verdict"], "revoked");
    assert_eq!(report["key"]["state"], "disabled");
    assert_eq!(report["key_usable"], false);
    let rt = checks_with(&report, "revoke-kms-round-trip")[0];
    assert_eq!(rt["aws_error"], "DisabledException", "{rt}");
    let canary = checks_with(&report, "revoke-s3-canary")[0];
    assert_eq!(canary["status"], "pass");
    assert_eq!(canary["aws_error"], "KMS.DisabledException", "{canary}");
    let db = checks_with(&report, "revoke-rds-state")[0];
    assert!(db["message"]
        .as_str()
        .unwrap()
        .contains("inaccessible-encryption-credentials-recoverable"));
    let fh = checks_with(&report, "revoke-firehose-encryption")[0];
    assert_eq!(fh["status"], "pass", "{fh}");
    assert!(
        fh["message"]
            .as_str()
            .unwrap()
            .contains("Firehose's grant stops with it"),
        "{fh}"
    );
    assert_eq!(report["cutoff"], "key-unusable");

    // An object under SSE-S3 written while the key is disabled stays readable: partial, named.
    // The tenant bucket's policy refuses such a write; someone who removed the policy could make
    // one, and that is what revoke-check must still catch.
    let n = names(&a);
    let asks_sse_s3 = s3_as(&a.speedscale)
        .put_object()
        .bucket(&n.bucket)
        .key("late/refused.json")
        .server_side_encryption(aws_sdk_s3::types::ServerSideEncryption::Aes256)
        .body(b"{}".to_vec().into())
        .send()
        .await;
    assert!(
        asks_sse_s3.is_err(),
        "the bucket policy refuses SSE-S3 writes"
    );
    s3_as(&a.speedscale)
        .delete_bucket_policy()
        .bucket(&n.bucket)
        .send()
        .await
        .unwrap();
    s3_as(&a.speedscale)
        .put_object()
        .bucket(&n.bucket)
        .key("late/plain.json")
        .server_side_encryption(aws_sdk_s3::types::ServerSideEncryption::Aes256)
        .body(b"{}".to_vec().into())
        .send()
        .await
        .unwrap();
    let (out, report) = revoke_check(&a);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(report["verdict"], "partial");
    let objects = checks_with(&report, "revoke-s3-objects")[0];
    assert!(objects["message"]
        .as_str()
        .unwrap()
        .contains("late/plain.json"));

    // Re-enabled: ready again, and status says the database must be started (action-needed, exit 1:
    // a runbook running status from cron must see a stopped database).
    customer_kms(&a, &arn, "enable").await;
    let out = enable(&a, &arn, &["--reencrypt-objects"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let (out, report) = status(&a, &["--tenant", "acme"]);
    assert_eq!(out.status.code(), Some(1), "{report:#}");
    assert_eq!(report["verdict"], "action-needed");
    // The row agrees with the verdict: the database is on the key but stopped, not ok.
    let db_row = resource_row(&report, "rds-instance");
    assert_eq!(db_row["state"], "stopped", "{db_row}");
    assert_eq!(report["summary"]["stopped"], 1, "{report:#}");
    let table = stdout(&cmek(&a.speedscale, &["status", "--tenant", "acme"]));
    assert!(table.contains("1 stopped"), "{table}");
    let db = names(&a).database;
    assert!(
        report["next"]
            .as_array()
            .unwrap()
            .iter()
            .any(|n| n.as_str().unwrap().contains(&format!(
                "aws rds start-db-instance --db-instance-identifier {db}"
            ))),
        "{report:#}"
    );
    let (out, fleet) = status(&a, &["--all"]);
    assert_eq!(out.status.code(), Some(1), "{fleet:#}");
    assert_eq!(fleet["tenants"][0]["verdict"], "action-needed", "{fleet:#}");
    let (out, report) = revoke_check(&a);
    assert_eq!(out.status.code(), Some(0), "{report:#}");
    assert_eq!(report["verdict"], "ready");
    assert_eq!(
        checks_with(&report, "revoke-rds-state")[0]["status"],
        "warn"
    );
}

#[tokio::test]
async fn a_key_scheduled_for_deletion_is_revoked_with_its_date() {
    let (a, arn) = enabled_tenant().await;
    customer_kms(&a, &arn, "schedule").await;
    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    let _ = revoke_check(&a);
    tokio::time::sleep(std::time::Duration::from_millis(1200)).await;
    let (out, report) = revoke_check(&a);
    assert_eq!(out.status.code(), Some(0), "{report:#}\n{}", stderr(&out));
    assert_eq!(report["verdict"], "revoked");
    assert_eq!(report["key"]["state"], "pending-deletion");
    let date = report["key"]["deletion_date"].as_str().unwrap();
    assert!(date.starts_with("20"), "{date}");
    assert_eq!(
        checks_with(&report, "revoke-kms-round-trip")[0]["aws_error"],
        "KMSInvalidStateException"
    );
    let text = stdout(&cmek(&a.speedscale, &["revoke-check", "--tenant", "acme"]));
    assert!(text.contains(&date[..10]), "{text}");
    // status must not say ok while every byte under the key is days from being unrecoverable.
    let (out, report) = status(&a, &["--tenant", "acme"]);
    assert_eq!(out.status.code(), Some(1), "{report:#}");
    assert_eq!(report["verdict"], "key-unusable");
    assert_eq!(report["key"]["days_to_deletion"], 7, "{report:#}");
    let next = report["next"][0].as_str().unwrap();
    assert!(
        next.contains(&date[..10]) && next.contains("7 days left"),
        "{next}"
    );
    assert!(next.contains("aws kms cancel-key-deletion"), "{next}");
    let (out, fleet) = status(&a, &["--all"]);
    assert_eq!(out.status.code(), Some(1), "{fleet:#}");
    assert_eq!(fleet["verdict"], "key-unusable");
    assert_eq!(fleet["counts"]["key_unusable"], 1);
    assert!(fleet["tenants"][0]["message"]
        .as_str()
        .unwrap()
        .contains("7 days left"));
}

#[test]
fn a_tenant_that_is_not_onboarded_is_named_as_such() {
    let a = accounts();
    let out = cmek(&a.speedscale, &["status", "--tenant", "nobody"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(err.contains("--tenant \"nobody\""), "{err}");
    assert!(err.contains("not onboarded"), "{err}");
    assert_eq!(err.lines().count(), 1, "{err}");
}

#[tokio::test]
async fn unreachable_or_throttled_is_exit_3_never_revoked() {
    let (a, _) = enabled_tenant().await;
    fault(serde_json::json!({
        "match": {"account": a.speedscale, "service": "kms"}, "kind": "throttle"
    }));
    let (out, report) = revoke_check(&a);
    clear_faults(&a.speedscale);
    assert_eq!(out.status.code(), Some(3), "{report:#}\n{}", stderr(&out));
    assert!(report.is_null(), "no verdict");
    assert!(stderr(&out).contains("throttled"), "{}", stderr(&out));

    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = closed.local_addr().unwrap().port();
    drop(closed);
    let url = format!("http://127.0.0.1:{port}");
    let out = cmek_with(
        &a.speedscale,
        &["revoke-check", "--tenant", "acme"],
        &[("AWS_ENDPOINT_URL", url.as_str())],
    );
    assert_eq!(out.status.code(), Some(3));
    assert!(stderr(&out).contains("unreachable"), "{}", stderr(&out));
    assert!(stdout(&out).is_empty());
}

#[tokio::test]
async fn status_all_lists_every_onboarded_tenant_and_a_throttled_one_is_unreachable() {
    let a = accounts();
    let arn = good_key(&a).await;
    // One customer with three tenants on one key: the first claims it, the others share it.
    for t in ["acme", "globex", "initech"] {
        let mut args = vec![
            "--output",
            "json",
            "enable",
            "--tenant",
            t,
            "--key-arn",
            &arn,
            "--yes",
        ];
        if t != "acme" {
            args.extend(["--share-key-with", "acme"]);
        }
        let out = cmek(&a.speedscale, &args);
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    }
    let (out, report) = status(&a, &["--all"]);
    assert_eq!(out.status.code(), Some(0), "{report:#}\n{}", stderr(&out));
    let tenants: Vec<&str> = report["tenants"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["tenant"].as_str().unwrap())
        .collect();
    assert_eq!(tenants, ["acme", "globex", "initech"]);
    assert!(report["tenants"]
        .as_array()
        .unwrap()
        .iter()
        .all(|t| t["verdict"] == "ok" && t["key_state"] == "enabled"));

    // globex's stream is throttled past retries: its row says unreachable, the run goes on.
    fault(serde_json::json!({
        "match": {"account": a.speedscale, "operation": "DescribeDeliveryStream",
                  "body_contains": "speedscale-globex-events"},
        "kind": "throttle"
    }));
    let (out, report) = status(&a, &["--all"]);
    clear_faults(&a.speedscale);
    assert_eq!(out.status.code(), Some(3), "{report:#}");
    assert_eq!(report["verdict"], "unreachable");
    assert_eq!(report["counts"]["unreachable"], 1, "{report:#}");
    assert_eq!(report["counts"]["ok"], 2);
}

#[tokio::test]
async fn bad_input_to_status_and_revoke_check_is_exit_2_with_one_line() {
    let a = accounts();
    let cases: &[&[&str]] = &[
        &["status"],
        &["status", "--tenant", "acme", "--all"],
        &[
            "status",
            "--all",
            "--key-arn",
            "arn:aws:kms:us-east-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab",
        ],
        &["status", "--tenant", "Not_A_Tenant"],
        &["revoke-check", "--tenant", "acme", "--scan-limit", "0"],
        &[
            "revoke-check",
            "--tenant",
            "acme",
            "--key-arn",
            "arn:aws:kms:us-east-1:111111111111:alias/x",
        ],
        // Never onboarded, and no key given: nothing to compare against.
        &["status", "--tenant", "nobody"],
        &["revoke-check", "--tenant", "nobody"],
    ];
    for args in cases {
        let out = cmek(&a.speedscale, args);
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
        assert_eq!(err.lines().count(), 1, "{args:?}: {err}");
        assert!(stdout(&out).is_empty());
    }
    assert!(mutating_calls(&a.speedscale).is_empty());
}

#[tokio::test]
async fn noncurrent_versions_under_an_old_key_are_exposed_even_after_reencryption() {
    let a = accounts();
    let arn = good_key(&a).await;
    let n = names(&a);
    let s3 = s3_as(&a.speedscale);
    s3.create_bucket().bucket(&n.bucket).send().await.unwrap();
    enable_versioning(&s3, &n.bucket).await;
    for body in ["v1", "v2"] {
        s3.put_object()
            .bucket(&n.bucket)
            .key("doc.json")
            .body(body.as_bytes().to_vec().into())
            .send()
            .await
            .unwrap();
    }
    let out = enable(&a, &arn, &["--reencrypt-objects"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let (out, report) = revoke_check(&a);
    assert_eq!(out.status.code(), Some(1), "{report:#}");
    assert_eq!(report["verdict"], "exposed");
    assert_eq!(
        checks_with(&report, "revoke-s3-objects")[0]["status"],
        "pass"
    );
    let v = checks_with(&report, "revoke-s3-versions")[0];
    assert_eq!(v["status"], "fail", "{v}");
    // v1 and v2 stay as they were; the current version is the re-encrypted copy.
    assert!(
        v["message"]
            .as_str()
            .unwrap()
            .starts_with("2 noncurrent versions"),
        "{v}"
    );
    assert!(v["remedy"].as_str().unwrap().contains("lifecycle"));
}

/// The stream's encryption configuration as Speedscale reads it.
async fn stream_encryption(a: &Accounts) -> Value {
    let d = firehose_as(&a.speedscale)
        .describe_delivery_stream()
        .delivery_stream_name(names(a).stream)
        .send()
        .await
        .unwrap();
    let enc = d
        .delivery_stream_description()
        .unwrap()
        .delivery_stream_encryption_configuration()
        .unwrap();
    serde_json::json!({
        "status": enc.status().map(|s| s.as_str().to_string()),
        "failure": enc.failure_description().map(|f| f.details().to_string()),
    })
}

#[tokio::test]
async fn a_key_policy_that_stops_allowing_speedscale_is_partial_until_the_key_is_disabled() {
    let (a, arn) = enabled_tenant().await;
    // The customer replaces the key policy with one that allows only its own account; the key
    // stays enabled. RDS holds a grant, which keeps working; the stream is new, so under
    // Firehose's caller-permission rule its producers are refused whatever its grant (the grant
    // rule of older streams: tests/it/producers.rs).
    drop_speedscale(&a, &arn).await;
    let (out, report) = revoke_check(&a);
    assert_eq!(out.status.code(), Some(1), "{report:#}\n{}", stderr(&out));
    assert_eq!(report["verdict"], "partial");
    assert_eq!(report["cutoff"], "refused-to-speedscale");
    assert_eq!(report["key"]["state"], "refused");
    assert!(report.get("key_state_inferred_from").is_none());
    let fh = checks_with(&report, "revoke-firehose-encryption")[0];
    assert_eq!(fh["status"], "pass", "{fh}");
    assert!(
        fh["message"]
            .as_str()
            .unwrap()
            .contains("caller-permission rule"),
        "{fh}"
    );
    {
        let c = checks_with(&report, "revoke-rds-state")[0];
        assert_eq!(c["status"], "fail", "{c}");
        assert!(c["message"].as_str().unwrap().contains("grant"), "{c}");
        let remedy = c["remedy"].as_str().unwrap();
        assert!(
            remedy.contains(&format!("aws kms list-grants --key-id {arn}")),
            "{remedy}"
        );
        assert!(remedy.contains("aws kms revoke-grant"), "{remedy}");
    }
    let canary = checks_with(&report, "revoke-s3-canary")[0];
    assert_eq!(
        canary["status"], "pass",
        "S3 uses the key per request: {canary}"
    );
    assert!(
        canary["message"].as_str().unwrap().contains("Bucket Keys"),
        "{canary}"
    );

    // Then the customer disables the key: RDS reacts after a while; KMS still answers
    // AccessDenied to Speedscale, so the key's state cannot be read, and each path is judged on
    // its own evidence: RDS by its state, the (new) stream by the caller rule, S3 by the canary.
    customer_kms(&a, &arn, "disable").await;
    // Until RDS reacts, nothing Speedscale can read tells a disabled key from a policy change.
    let (out, report) = revoke_check(&a);
    assert_eq!(out.status.code(), Some(1), "{report:#}\n{}", stderr(&out));
    assert_eq!(report["cutoff"], "refused-to-speedscale");
    tokio::time::sleep(std::time::Duration::from_millis(1300)).await;
    let (out, report) = revoke_check(&a);
    assert_eq!(out.status.code(), Some(0), "{report:#}\n{}", stderr(&out));
    assert_eq!(report["verdict"], "revoked");
    assert_eq!(report["cutoff"], "refused-to-speedscale");
    assert!(report.get("key_state_inferred_from").is_none());
    let db = checks_with(&report, "revoke-rds-state")[0];
    assert_eq!(db["status"], "pass", "{db}");
    // AWS documents no FailureDescription for a key disabled after the fact: the local AWS has none.
    let enc = stream_encryption(&a).await;
    assert_eq!(enc["status"], "ENABLED", "{enc}");
    assert!(enc["failure"].is_null(), "{enc}");
    assert!(
        !stdout(&cmek(&a.speedscale, &["revoke-check", "--tenant", "acme"]))
            .contains("FailureDescription")
    );
}

#[tokio::test]
async fn evidence_for_auditors_has_a_request_id_per_probe_and_is_never_overwritten_silently() {
    let (a, arn) = enabled_tenant().await;
    customer_kms(&a, &arn, "disable").await;
    let dir = std::env::temp_dir().join(format!("cmek-evidence-{}", a.speedscale));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("evidence.json");
    let _ = std::fs::remove_file(&file);
    let path = file.to_str().unwrap();
    let out = cmek(
        &a.speedscale,
        &["revoke-check", "--tenant", "acme", "--evidence", path],
    );
    assert!(
        out.status.code() == Some(0) || out.status.code() == Some(1),
        "{}",
        stderr(&out)
    );
    let text = std::fs::read_to_string(&file).unwrap();
    let signed: Value = serde_json::from_str(&text).unwrap();
    let ev = &signed["evidence"];
    assert_eq!(ev["kind"], "cmek-revocation-evidence");
    assert_eq!(ev["key_arn"], arn.as_str());
    assert!(ev["time"].as_str().unwrap().starts_with("20"));
    assert!(
        ["revoked", "partial"].contains(&ev["verdict"].as_str().unwrap()),
        "{ev:#}"
    );
    let probes = ev["probes"].as_array().unwrap();
    let ops: Vec<&str> = probes
        .iter()
        .map(|p| p["operation"].as_str().unwrap())
        .collect();
    for op in ["kms:DescribeKey", "kms:GenerateDataKey", "s3:GetObject"] {
        assert!(ops.contains(&op), "{op} missing: {ops:?}");
    }
    for p in probes {
        let rid = p["request_id"].as_str().unwrap_or_default();
        assert!(!rid.is_empty(), "no request id: {p}");
        assert!(p["resource"].as_str().unwrap().len() > 5, "{p}");
    }
    let gdk = probes
        .iter()
        .find(|p| p["operation"] == "kms:GenerateDataKey")
        .unwrap();
    assert_eq!(gdk["outcome"], "refused");
    assert_eq!(gdk["error_code"], "DisabledException");

    // A second run without --force refuses (exit 2, nothing changed); with --force it replaces.
    let out = cmek(
        &a.speedscale,
        &["revoke-check", "--tenant", "acme", "--evidence", path],
    );
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("--force"), "{}", stderr(&out));
    assert_eq!(std::fs::read_to_string(&file).unwrap(), text);
    let out = cmek(
        &a.speedscale,
        &[
            "revoke-check",
            "--tenant",
            "acme",
            "--evidence",
            path,
            "--force",
        ],
    );
    assert_ne!(out.status.code(), Some(2), "{}", stderr(&out));
    assert_ne!(std::fs::read_to_string(&file).unwrap(), text);
    std::fs::remove_dir_all(&dir).unwrap();
}

/// A Firehose S3 destination with no KMS configuration of its own writes under the bucket's
/// default encryption: when that default is the key, the destination is not drift.
#[tokio::test]
async fn a_destination_without_its_own_kms_configuration_follows_the_bucket_default() {
    use aws_sdk_firehose::types as fh;
    let (a, _arn) = enabled_tenant().await;
    let firehose = firehose_as(&a.speedscale);
    let n = names(&a);
    let d = firehose
        .describe_delivery_stream()
        .delivery_stream_name(&n.stream)
        .send()
        .await
        .unwrap();
    let d = d.delivery_stream_description().unwrap();
    firehose
        .update_destination()
        .delivery_stream_name(&n.stream)
        .current_delivery_stream_version_id(d.version_id())
        .destination_id(d.destinations()[0].destination_id())
        .extended_s3_destination_update(
            fh::ExtendedS3DestinationUpdate::builder()
                .encryption_configuration(
                    fh::EncryptionConfiguration::builder()
                        .no_encryption_config(fh::NoEncryptionConfig::NoEncryption)
                        .build(),
                )
                .build(),
        )
        .send()
        .await
        .unwrap();
    let (out, report) = status(&a, &["--tenant", "acme"]);
    assert!(report.is_object(), "{}", stderr(&out));
    let dest = resource_row(&report, "firehose-destination");
    assert_eq!(dest["state"], "ok", "{dest}");
    assert!(
        dest["message"]
            .as_str()
            .unwrap()
            .contains("default encryption"),
        "{dest}"
    );
    assert_eq!(out.status.code(), Some(0), "{report:#}");
    // With the bucket's default moved off the key, the destination drifts with it.
    set_default_encryption(&s3_as(&a.speedscale), &n.bucket, None).await;
    let (out, report) = status(&a, &["--tenant", "acme"]);
    assert_eq!(out.status.code(), Some(1), "{report:#}");
    let dest = resource_row(&report, "firehose-destination");
    assert_eq!(dest["state"], "drift", "{dest}");
}

#[tokio::test]
async fn rds_cut_off_by_its_grant_says_nothing_of_a_grant_rule_stream() {
    // The key stays enabled; the customer drops Speedscale from the key policy and revokes RDS's
    // grant only. RDS becomes inaccessible (local AWS: rds_grant_revoked_inaccessible, the older
    // guide's "when RDS access to a KMS key is revoked"), but a stream under the grant rule still
    // takes records: partial, never revoked.
    let (a, arn) = enabled_tenant().await;
    drop_speedscale(&a, &arn).await;
    let kms = kms_as(&a.customer);
    let grants = kms.list_grants().key_id(key_id(&arn)).send().await.unwrap();
    let rds_grants: Vec<String> = grants
        .grants()
        .iter()
        .filter(|g| {
            g.grantee_principal()
                .unwrap_or_default()
                .starts_with("rds.")
        })
        .filter_map(|g| g.grant_id().map(str::to_string))
        .collect();
    assert!(!rds_grants.is_empty(), "{grants:?}");
    for id in rds_grants {
        kms.revoke_grant()
            .key_id(key_id(&arn))
            .grant_id(id)
            .send()
            .await
            .unwrap();
    }
    control(
        "POST",
        "/_localaws/firehose/created",
        Some(
            serde_json::json!({"account": a.speedscale, "region": REGION,
            "name": names(&a).stream, "created": 1_767_225_600}),
        ),
    );
    let mut report = Value::Null;
    for _ in 0..20 {
        report = revoke_check(&a).1;
        if checks_with(&report, "revoke-rds-state")[0]["status"] == "pass" {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(250)).await;
    }
    assert_eq!(
        checks_with(&report, "revoke-rds-state")[0]["status"],
        "pass",
        "{report:#}"
    );
    assert_eq!(report["verdict"], "partial", "{report:#}");
    let fh = checks_with(&report, "revoke-firehose-encryption")[0];
    assert_eq!(fh["status"], "fail", "{fh}");
    assert!(
        fh["message"].as_str().unwrap().contains("grant rule"),
        "{fh}"
    );
}
