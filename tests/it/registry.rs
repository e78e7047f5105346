//! Issue 21: a registry and evidence an auditor can trust. The real binary against the local AWS,
//! customer and Speedscale in two accounts (a third plays the account that takes the registry's
//! predictable name first).

use std::path::PathBuf;

use serde_json::{json, Value};

use crate::common::*;

async fn enabled_tenant() -> (Accounts, String) {
    let a = accounts();
    let arn = good_key(&a).await;
    let out = enable(&a, &arn, &[]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    (a, arn)
}

fn dir(a: &Accounts) -> PathBuf {
    let d = std::env::temp_dir().join(format!("cmek-registry-{}", a.speedscale));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Runs one of the Python checks in tests/audit with the local AWS as the caller `account`.
fn python_check(account: &str, script: &str, args: &[&str]) -> std::process::Output {
    std::process::Command::new(python())
        .arg(repo().join("tests/audit").join(script))
        .args(args)
        .env_clear()
        .env("AWS_ACCESS_KEY_ID", access_key(account))
        .env("AWS_SECRET_ACCESS_KEY", SECRET)
        .env("AWS_DEFAULT_REGION", REGION)
        .env("AWS_CONFIG_FILE", "/nonexistent")
        .env("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent")
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .output()
        .expect("run python")
}

#[tokio::test]
async fn a_registry_name_taken_by_another_account_is_refused_and_that_account_gets_nothing() {
    let a = accounts();
    let arn = good_key(&a).await;
    // A third account creates the registry's predictable name first, and lets Speedscale in.
    let sniper = format!("33330000{}", &a.speedscale[8..]);
    let registry = names(&a).registry;
    let s3 = s3_as(&sniper);
    s3.create_bucket().bucket(&registry).send().await.unwrap();
    let policy = json!({"Version": "2012-10-17", "Statement": [{
        "Sid": "LetSpeedscaleIn", "Effect": "Allow",
        "Principal": {"AWS": format!("arn:aws:iam::{}:root", a.speedscale)},
        "Action": "s3:*",
        "Resource": [format!("arn:aws:s3:::{registry}"), format!("arn:aws:s3:::{registry}/*")]
    }]});
    s3.put_bucket_policy()
        .bucket(&registry)
        .policy(policy.to_string())
        .send()
        .await
        .unwrap();
    for args in [
        enable_args(&arn, &[]),
        vec!["status", "--tenant", "acme", "--key-arn", &arn],
        vec!["revoke-check", "--tenant", "acme", "--key-arn", &arn],
    ] {
        let out = cmek(&a.speedscale, &args);
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(3), "{args:?}: {err}");
        assert!(err.contains(&registry), "{args:?}: {err}");
        assert!(err.contains("ExpectedBucketOwner"), "{args:?}: {err}");
        assert!(
            err.contains("not owned by Speedscale's account"),
            "{args:?}: {err}"
        );
    }
    let listed = s3.list_objects_v2().bucket(&registry).send().await.unwrap();
    assert_eq!(listed.key_count(), Some(0), "{listed:?}");
    // Without the owner condition the same request would have gone through: the header is what
    // keeps cmek out.
    let plain = s3_as(&a.speedscale)
        .put_object()
        .bucket(&registry)
        .key("probe-of-the-test")
        .body(Vec::from(&b"x"[..]).into())
        .send()
        .await;
    assert!(
        plain.is_ok(),
        "the sniper's policy lets a request without the header in: {plain:?}"
    );
    let guarded = s3_as(&a.speedscale)
        .get_object()
        .bucket(&registry)
        .key("probe-of-the-test")
        .expected_bucket_owner(&a.speedscale)
        .send()
        .await;
    assert!(guarded.is_err());
}

#[tokio::test]
async fn enable_protects_the_registry_and_the_tenant_buckets_as_auditors_check() {
    let (a, arn) = enabled_tenant().await;
    let n = names(&a);
    let s3 = s3_as(&a.speedscale);
    let ver = s3
        .get_bucket_versioning()
        .bucket(&n.registry)
        .send()
        .await
        .unwrap();
    assert_eq!(ver.status().map(|s| s.as_str()), Some("Enabled"));
    let lock = s3
        .get_object_lock_configuration()
        .bucket(&n.registry)
        .send()
        .await
        .unwrap();
    let conf = lock.object_lock_configuration().unwrap();
    assert_eq!(
        conf.object_lock_enabled().map(|e| e.as_str()),
        Some("Enabled")
    );
    let d = conf.rule().unwrap().default_retention().unwrap();
    assert_eq!(d.mode().map(|m| m.as_str()), Some("GOVERNANCE"));
    assert_eq!(d.days(), Some(365));
    let policy: Value = serde_json::from_str(
        s3.get_bucket_policy()
            .bucket(&n.registry)
            .send()
            .await
            .unwrap()
            .policy()
            .unwrap(),
    )
    .unwrap();
    let sids: Vec<&str> = policy["Statement"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|s| s["Sid"].as_str())
        .collect();
    for sid in [
        "CmekDenyInsecureTransport",
        "CmekDenyAuditDeletion",
        "CmekDenyAuditOverwrite",
    ] {
        assert!(sids.contains(&sid), "{sid}: {policy:#}");
    }
    // What the policy does, as S3 evaluates it: an audit event can be neither deleted nor
    // overwritten, even by the account that owns the bucket.
    let audit = s3
        .list_objects_v2()
        .bucket(&n.registry)
        .prefix("cmek/audit/acme/")
        .send()
        .await
        .unwrap();
    let event = audit.contents()[0].key().unwrap().to_string();
    let del = s3
        .delete_object()
        .bucket(&n.registry)
        .key(&event)
        .send()
        .await;
    assert!(del.is_err(), "an audit event was deleted");
    let over = s3
        .put_object()
        .bucket(&n.registry)
        .key(&event)
        .body(Vec::from(&b"{}"[..]).into())
        .send()
        .await;
    assert!(over.is_err(), "an audit event was overwritten");
    let head = s3
        .head_object()
        .bucket(&n.registry)
        .key(&event)
        .send()
        .await
        .unwrap();
    assert_eq!(
        head.object_lock_mode().map(|m| m.as_str()),
        Some("GOVERNANCE")
    );
    assert!(head.object_lock_retain_until_date().is_some());
    // The tenant bucket: TLS only, and no write that asks for another encryption.
    let tenant: Value = serde_json::from_str(
        s3.get_bucket_policy()
            .bucket(&n.bucket)
            .send()
            .await
            .unwrap()
            .policy()
            .unwrap(),
    )
    .unwrap();
    assert!(tenant.to_string().contains(&arn), "{tenant:#}");
    let sse_s3 = s3
        .put_object()
        .bucket(&n.bucket)
        .key("asks-for-sse-s3")
        .server_side_encryption(aws_sdk_s3::types::ServerSideEncryption::Aes256)
        .body(Vec::from(&b"x"[..]).into())
        .send()
        .await;
    assert!(sse_s3.is_err(), "a write asking for SSE-S3 went through");
    let aws_managed = s3
        .put_object()
        .bucket(&n.bucket)
        .key("asks-for-aws-s3")
        .server_side_encryption(aws_sdk_s3::types::ServerSideEncryption::AwsKms)
        .body(Vec::from(&b"x"[..]).into())
        .send()
        .await;
    assert!(
        aws_managed.is_err(),
        "a write asking for aws/s3 went through"
    );
    let default = s3
        .put_object()
        .bucket(&n.bucket)
        .key("relies-on-the-default")
        .body(Vec::from(&b"x"[..]).into())
        .send()
        .await;
    assert!(
        default.is_ok(),
        "a write relying on the default encryption: {default:?}"
    );
    // Prowler's checks, as ported in tests/audit/prowler_checks.py.
    let ep = local_aws().url.clone();
    for (check, bucket) in [
        ("s3-secure-transport", &n.registry),
        ("s3-versioning", &n.registry),
        ("s3-secure-transport", &n.bucket),
    ] {
        let out = python_check(
            &a.speedscale,
            "prowler_checks.py",
            &["--endpoint-url", &ep, "--region", REGION, check, bucket],
        );
        assert!(
            out.status.success(),
            "{check} {bucket}: {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(String::from_utf8_lossy(&out.stdout).starts_with("PASS"));
    }
    // Everything is in place: a second enable changes nothing, and doctor shows it.
    let out = enable(&a, &arn, &[]);
    assert_eq!(json_out(&out)["verdict"], "no-changes", "{}", stdout(&out));
}

#[tokio::test]
async fn a_record_rewritten_without_its_database_does_not_hide_the_database() {
    let (a, arn) = enabled_tenant().await;
    let n = names(&a);
    let s3 = s3_as(&a.speedscale);
    let key = "cmek/tenants/acme.json";
    let body = object_body(&a.speedscale, &n.registry, key).await;
    let mut record: Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(record["resources"]["database"], n.database.as_str());
    record["resources"]["database"] = Value::Null;
    s3.put_object()
        .bucket(&n.registry)
        .key(key)
        .body(serde_json::to_vec(&record).unwrap().into())
        .send()
        .await
        .unwrap();
    let out = cmek(
        &a.speedscale,
        &["--output", "json", "revoke-check", "--tenant", "acme"],
    );
    let report = json_out(&out);
    let db_checks: Vec<&Value> = report["checks"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| {
            c["resource"]
                .as_str()
                .unwrap_or_default()
                .contains(&n.database)
        })
        .collect();
    assert!(
        db_checks.iter().any(|c| c["id"] != "record-inventory"),
        "the database is still examined: {report:#}"
    );
    let mismatch = check(&report, "record-inventory");
    assert_eq!(mismatch["status"], "warn");
    assert_eq!(mismatch["resource"], n.database.as_str());
    assert!(mismatch["message"]
        .as_str()
        .unwrap()
        .contains("record does not list it"));
    let status = json_out(&cmek(
        &a.speedscale,
        &["--output", "json", "status", "--tenant", "acme"],
    ));
    assert!(
        status["resources"]
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r["resource"] == n.database.as_str()),
        "{status:#}"
    );
    assert!(
        status["next"]
            .to_string()
            .contains("record does not list it"),
        "{status:#}"
    );
    // The registry is versioned: the record as enable wrote it is still there.
    let versions = s3
        .list_object_versions()
        .bucket(&n.registry)
        .prefix(key)
        .send()
        .await
        .unwrap();
    assert!(versions.versions().len() >= 2, "{versions:?}");
    let _ = arn;
}

#[tokio::test]
async fn signed_evidence_verifies_with_a_third_party_and_a_changed_character_does_not() {
    let (a, arn) = enabled_tenant().await;
    let d = dir(&a);
    let file = d.join("e.json");
    let path = file.to_str().unwrap();
    let out = cmek(
        &a.speedscale,
        &["revoke-check", "--tenant", "acme", "--evidence", path],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(err.contains("a copy is kept in s3://"), "{err}");
    assert!(
        !err.contains("(version -)"),
        "the copy has a version id: {err}"
    );
    let text = std::fs::read_to_string(&file).unwrap();
    let signed: Value = serde_json::from_str(&text).unwrap();
    let ev = &signed["evidence"];
    assert_eq!(ev["kind"], "cmek-revocation-evidence");
    assert_eq!(ev["key_arn"], arn.as_str());
    assert_eq!(ev["cmek_version"], env!("CARGO_PKG_VERSION"));
    assert!(ev["caller_arn"].as_str().unwrap().contains(&a.speedscale));
    assert_eq!(ev["endpoint"], local_aws().url.as_str());
    assert!(ev["record_version_id"].is_string(), "{ev:#}");
    let kms_probe = ev["probes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["operation"] == "kms:GenerateDataKey")
        .unwrap();
    assert_eq!(
        kms_probe["cloudtrail_accounts"],
        json!([a.speedscale, a.customer]),
        "a successful cross-account KMS call is in both accounts' CloudTrail"
    );
    assert_eq!(signed["signature"]["algorithm"], "ECDSA_SHA_256");
    assert!(signed["signature"]["key_arn"]
        .as_str()
        .unwrap()
        .contains(&format!(":{}:key/", a.speedscale)));
    // A third party: Python's `cryptography`, over the RFC 8785 form it computes itself.
    let py = python_check(&a.speedscale, "verify_evidence.py", &[path]);
    assert!(
        py.status.success(),
        "{}{}",
        String::from_utf8_lossy(&py.stdout),
        String::from_utf8_lossy(&py.stderr)
    );
    // cmek itself, offline (no endpoint, no credentials).
    let offline = |p: &str, extra: &[&str]| {
        let mut args = vec!["evidence", "verify", p];
        args.extend_from_slice(extra);
        std::process::Command::new(env!("CARGO_BIN_EXE_cmek"))
            .args(&args)
            .env_clear()
            .env("PATH", std::env::var("PATH").unwrap_or_default())
            .output()
            .unwrap()
    };
    let ok = offline(path, &[]);
    assert_eq!(ok.status.code(), Some(0), "{}{}", stdout(&ok), stderr(&ok));
    assert!(stdout(&ok).contains("valid"), "{}", stdout(&ok));
    // The public key obtained independently, from KMS, as PEM.
    let der = kms_as(&a.speedscale)
        .get_public_key()
        .key_id(signed["signature"]["key_arn"].as_str().unwrap())
        .send()
        .await
        .unwrap()
        .public_key()
        .unwrap()
        .as_ref()
        .to_vec();
    let pem = d.join("key.pem");
    std::fs::write(
        &pem,
        format!(
            "-----BEGIN PUBLIC KEY-----\n{}\n-----END PUBLIC KEY-----\n",
            aws_smithy_types::base64::encode(&der)
        ),
    )
    .unwrap();
    let with_key = offline(path, &["--public-key", pem.to_str().unwrap()]);
    assert_eq!(with_key.status.code(), Some(0), "{}", stdout(&with_key));
    // One character of the evidence changed.
    let verdict = ev["verdict"].as_str().unwrap();
    let changed = text.replacen(
        &format!("\"verdict\": \"{verdict}\""),
        &format!("\"verdict\": \"{}\"", verdict.replacen('r', "R", 1)),
        1,
    );
    assert_ne!(changed, text);
    let bad = d.join("changed.json");
    std::fs::write(&bad, &changed).unwrap();
    let out = offline(bad.to_str().unwrap(), &[]);
    assert_eq!(out.status.code(), Some(1), "{}", stdout(&out));
    assert!(
        stdout(&out).contains("the signature does not match the evidence"),
        "{}",
        stdout(&out)
    );
    let json = offline(bad.to_str().unwrap(), &["--output", "json"]);
    let report: Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(report["verdict"], "invalid");
    // Online: KMS's Verify agrees.
    let online = cmek(
        &a.speedscale,
        &["evidence", "verify", path, "--online", "--output", "json"],
    );
    let report = json_out(&online);
    assert_eq!(online.status.code(), Some(0), "{report:#}");
    assert_eq!(report["kms_verify"], true);
    let py = python_check(
        &a.speedscale,
        "verify_evidence.py",
        &[bad.to_str().unwrap()],
    );
    assert!(
        !py.status.success(),
        "the third party refuses the changed file too"
    );
}
