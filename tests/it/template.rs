//! `cmek template`: cfn-lint clean, deploys in the customer's account of the local AWS, and the key
//! it creates passes `cmek verify` from Speedscale's account, with every condition of its policy
//! evaluated as AWS does for direct calls.

use std::path::PathBuf;
use std::process::Command;

use crate::common::*;
use serde_json::Value;

fn template(vendor: &str, format: &str) -> String {
    let out = cmek(
        vendor,
        &["template", "--vendor-account", vendor, "--format", format],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    stdout(&out)
}

fn write(name: &str, text: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("cmek-template-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path
}

fn venv_bin(tool: &str) -> PathBuf {
    python().parent().unwrap().join(tool)
}

/// Deploys a template as the customer (CloudFormation in the local AWS); returns the KeyArn output.
fn deploy(a: &Accounts, path: &PathBuf, stack: &str) -> String {
    let script = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/localaws/deploy.py");
    let out = Command::new(python())
        .arg(script)
        .args([&local_aws().url, &a.customer])
        .arg(path)
        .arg(stack)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "deploy: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

/// cfn-lint finds nothing in the template at `path`.
fn lint_clean(path: &PathBuf) {
    let out = Command::new(venv_bin("cfn-lint"))
        .arg(path)
        .output()
        .expect("cfn-lint is installed by scripts/localaws-install");
    assert!(
        out.status.success(),
        "cfn-lint {}: {}{}",
        path.display(),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn the_template_is_cfn_lint_clean_in_both_formats() {
    for format in ["yaml", "json"] {
        lint_clean(&write(
            &format!("t.{format}"),
            &template("222222222222", format),
        ));
    }
}

#[test]
fn yaml_and_json_are_the_same_template() {
    let json: Value = serde_json::from_str(&template("222222222222", "json")).unwrap();
    let yaml = template("222222222222", "yaml");
    assert!(
        yaml.starts_with("# Speedscale CMEK"),
        "commented for the customer"
    );
    for sid in json["Resources"]["CmekKey"]["Properties"]["KeyPolicy"]["Statement"]
        .as_array()
        .unwrap()
    {
        assert!(yaml.contains(sid["Sid"].as_str().unwrap()));
    }
    let key = &json["Resources"]["CmekKey"];
    assert_eq!(key["DeletionPolicy"], "Retain");
    assert_eq!(key["UpdateReplacePolicy"], "Retain");
    assert_eq!(key["Properties"]["EnableKeyRotation"], false);
    assert_eq!(key["Properties"]["PendingWindowInDays"], 30);
    assert_eq!(key["Properties"]["KeySpec"], "SYMMETRIC_DEFAULT");
    for (name, p) in json["Parameters"].as_object().unwrap() {
        assert!(p.get("Default").is_some(), "{name} has a default");
    }
    assert_eq!(
        json["Parameters"]["SpeedscaleAccountId"]["Default"],
        "222222222222"
    );
    assert!(json["Outputs"]["KeyArn"].is_object());
}

/// Does an IAM action pattern (with `*` and `?`) match an action?
fn matches(pattern: &str, action: &str) -> bool {
    fn go(p: &[u8], a: &[u8]) -> bool {
        match (p.first(), a.first()) {
            (None, None) => true,
            (Some(b'*'), _) => go(&p[1..], a) || (!a.is_empty() && go(p, &a[1..])),
            (Some(b'?'), Some(_)) => go(&p[1..], &a[1..]),
            (Some(x), Some(y)) if x.eq_ignore_ascii_case(y) => go(&p[1..], &a[1..]),
            _ => false,
        }
    }
    go(pattern.as_bytes(), action.as_bytes())
}

#[test]
fn no_statement_lets_speedscale_disable_delete_or_change_the_key() {
    let json: Value = serde_json::from_str(&template("222222222222", "json")).unwrap();
    let statements = json["Resources"]["CmekKey"]["Properties"]["KeyPolicy"]["Statement"]
        .as_array()
        .unwrap()
        .clone();
    // What the template denies, and what no Allow may grant besides: reading the key policy and
    // retiring grants are not Speedscale's business either.
    let admin = cmek::commands::template::DENIED_TO_VENDOR
        .iter()
        .copied()
        .chain(["kms:GetKeyPolicy", "kms:RetireGrant"]);
    let vendor = |st: &Value| {
        st["Principal"]["AWS"]
            .to_string()
            .contains("SpeedscaleAccountId")
    };
    let actions = |st: &Value| -> Vec<String> {
        match &st["Action"] {
            Value::String(s) => vec![s.clone()],
            Value::Array(a) => a.iter().map(|v| v.as_str().unwrap().to_string()).collect(),
            _ => vec![],
        }
    };
    for st in statements
        .iter()
        .filter(|s| vendor(s) && s["Effect"] == "Allow")
    {
        for a in admin.clone() {
            assert!(
                !actions(st).iter().any(|p| matches(p, a)),
                "{} allows Speedscale {a}",
                st["Sid"]
            );
        }
    }
    let deny = statements
        .iter()
        .find(|s| vendor(s) && s["Effect"] == "Deny")
        .expect("an explicit Deny for Speedscale");
    for a in [
        "kms:DisableKey",
        "kms:ScheduleKeyDeletion",
        "kms:PutKeyPolicy",
    ] {
        assert!(actions(deny).iter().any(|p| matches(p, a)), "{a} denied");
    }
}

#[tokio::test]
async fn deployed_with_no_parameters_its_key_passes_verify_cross_account() {
    let a = accounts();
    let path = write(
        &format!("ok-{}.yaml", a.customer),
        &template(&a.speedscale, "yaml"),
    );
    let arn = deploy(&a, &path, "speedscale-cmek");
    assert!(arn.starts_with(&format!("arn:aws:kms:{REGION}:{}:key/", a.customer)));
    let out = verify(&a, &arn, &["--output", "json"]);
    let report = json_out(&out);
    assert_eq!(out.status.code(), Some(0), "{report:#}\n{}", stderr(&out));
    assert_eq!(check(&report, "kms-round-trip")["status"], "pass");
    assert_eq!(check(&report, "kms-grant-direct")["status"], "pass");
    assert_eq!(check(&report, "key-rotation")["status"], "pass");

    // The conditions hold as AWS evaluates them for direct calls.
    let kms = kms_as(&a.speedscale);
    let code = |r: Result<(), String>| r.err().unwrap_or_default();
    let no_context = kms
        .generate_data_key()
        .key_id(&arn)
        .key_spec(aws_sdk_kms::types::DataKeySpec::Aes256)
        .send()
        .await
        .map(|_| ())
        .map_err(|e| format!("{:?}", e.into_service_error()));
    assert!(
        code(no_context).contains("AccessDenied"),
        "round trip needs the encryption context"
    );
    let direct_encrypt = kms
        .encrypt()
        .key_id(&arn)
        .plaintext(aws_sdk_kms::primitives::Blob::new(b"x".to_vec()))
        .send()
        .await
        .map(|_| ())
        .map_err(|e| format!("{:?}", e.into_service_error()));
    assert!(
        code(direct_encrypt).contains("AccessDenied"),
        "Encrypt only via services"
    );
    let grant = kms
        .create_grant()
        .key_id(&arn)
        .grantee_principal(format!("arn:aws:iam::{}:root", a.speedscale))
        .operations(aws_sdk_kms::types::GrantOperation::Decrypt)
        .send()
        .await
        .map(|_| ())
        .map_err(|e| format!("{:?}", e.into_service_error()));
    assert!(
        code(grant).contains("AccessDenied"),
        "grants only for AWS resources"
    );
    // Another account gets nothing.
    let stranger = kms_as("333300009999")
        .describe_key()
        .key_id(&arn)
        .send()
        .await
        .map(|_| ())
        .map_err(|e| format!("{:?}", e.into_service_error()));
    assert!(code(stranger).contains("AccessDenied"));
    // And enable works through S3, Firehose and RDS under it.
    let out = enable(&a, &arn, &[]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
}

#[tokio::test]
async fn a_policy_without_speedscales_statements_fails_verify_with_the_right_check() {
    let a = accounts();
    // Made for another vendor account: Speedscale's account is not in the policy at all.
    let path = write(
        &format!("other-{}.yaml", a.customer),
        &template("333333333333", "yaml"),
    );
    let arn = deploy(&a, &path, "wrong-vendor");
    let report = json_out(&verify(&a, &arn, &["--output", "json"]));
    assert_eq!(report["verdict"], "fail");
    assert_eq!(check(&report, "key-access")["status"], "fail");

    // The right vendor, but without the round-trip statement.
    let mut t: Value = serde_json::from_str(&template(&a.speedscale, "json")).unwrap();
    let st = t["Resources"]["CmekKey"]["Properties"]["KeyPolicy"]["Statement"]
        .as_array_mut()
        .unwrap();
    st.retain(|s| s["Sid"] != "SpeedscaleVerifyRoundTrip");
    let path = write(&format!("noround-{}.json", a.customer), &t.to_string());
    let arn = deploy(&a, &path, "no-round-trip");
    let out = verify(&a, &arn, &["--output", "json"]);
    let report = json_out(&out);
    assert_eq!(out.status.code(), Some(1));
    let rt = check(&report, "kms-round-trip");
    assert_eq!(rt["status"], "fail");
    assert!(
        rt["remedy"]
            .as_str()
            .unwrap()
            .contains("SpeedscaleVerifyRoundTrip"),
        "{rt}"
    );
    assert_eq!(check(&report, "key-access")["status"], "pass");
}

#[test]
fn a_bad_vendor_account_is_exit_2() {
    let out = cmek("222222222222", &["template", "--vendor-account", "12345"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("12 digits"));
    assert!(stdout(&out).is_empty());
}

fn scoped_template(vendor: &str, tenant: &str, format: &str) -> String {
    let out = cmek(
        vendor,
        &[
            "template",
            "--vendor-account",
            vendor,
            "--tenant",
            tenant,
            "--format",
            format,
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    stdout(&out)
}

#[test]
fn the_tenant_scoped_template_is_cfn_lint_clean_in_both_formats() {
    for format in ["yaml", "json"] {
        lint_clean(&write(
            &format!("scoped-lint.{format}"),
            &scoped_template("222222222222", "scoped", format),
        ));
    }
}

#[tokio::test]
async fn the_tenant_scoped_key_serves_its_tenant_end_to_end_and_refuses_any_other() {
    let a = accounts();
    let path = write(
        &format!("scoped-{}.yaml", a.customer),
        &scoped_template(&a.speedscale, "acme", "yaml"),
    );
    let arn = deploy(&a, &path, "speedscale-cmek-acme");
    // An object from before enable, under SSE-S3: re-encryption must work under the scoped policy.
    let n = names(&a);
    let s3 = s3_as(&a.speedscale);
    s3.create_bucket().bucket(&n.bucket).send().await.unwrap();
    s3.put_object()
        .bucket(&n.bucket)
        .key("old/record.json")
        .body(b"{}".to_vec().into())
        .send()
        .await
        .unwrap();

    let out = verify(&a, &arn, &["--output", "json"]);
    let report = json_out(&out);
    assert_eq!(out.status.code(), Some(0), "{report:#}");
    assert_eq!(
        check(&report, "key-tenant-binding")["status"],
        "pass",
        "{report:#}"
    );

    let out = enable(&a, &arn, &["--reencrypt-objects"]);
    let report = json_out(&out);
    assert_eq!(out.status.code(), Some(0), "{report:#}\n{}", stderr(&out));
    let db = db_instance(&a.speedscale, &n.database).await;
    assert_eq!(db.kms_key_id(), Some(arn.as_str()));
    assert_eq!(
        db.master_user_secret().and_then(|s| s.kms_key_id()),
        Some(arn.as_str())
    );
    // The registry (verify's probe location) exists now: S3 proves its use of the key there, for
    // this tenant's part of it.
    let out = verify(&a, &arn, &["--output", "json"]);
    let report = json_out(&out);
    assert_eq!(
        check(&report, "s3-via-service")["status"],
        "pass",
        "{report:#}"
    );
    let out = cmek(
        &a.speedscale,
        &["--output", "json", "revoke-check", "--tenant", "acme"],
    );
    let report = json_out(&out);
    assert_eq!(out.status.code(), Some(0), "{report:#}");
    assert_eq!(report["verdict"], "ready", "{report:#}");

    // Another tenant gets nothing from this key: its round trip is refused.
    let out = cmek(
        &a.speedscale,
        &[
            "--output",
            "json",
            "verify",
            "--tenant",
            "other",
            "--key-arn",
            &arn,
        ],
    );
    let report = json_out(&out);
    assert_eq!(out.status.code(), Some(1), "{report:#}");
    assert_eq!(
        check(&report, "kms-round-trip")["status"],
        "fail",
        "{report:#}"
    );

    // The template without --tenant keeps working for keys already deployed, and its key is not
    // bound: verify says so.
    let b = accounts();
    let path = write(
        &format!("unscoped-{}.yaml", b.customer),
        &template(&b.speedscale, "yaml"),
    );
    let unscoped = deploy(&b, &path, "speedscale-cmek");
    let out = verify(&b, &unscoped, &["--output", "json"]);
    let report = json_out(&out);
    assert_eq!(out.status.code(), Some(0), "{report:#}");
    assert_eq!(
        check(&report, "key-tenant-binding")["status"],
        "warn",
        "{report:#}"
    );
}
