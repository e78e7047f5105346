//! `cmek template --format terraform|policy`: the Terraform module parses as HCL2 (python-hcl2),
//! its key policy equals the CloudFormation template's statement by statement (with and without
//! --tenant), checkov passes both outputs but for the checks docs/runbook.md lists as by design,
//! and the bare policy is accepted by the local AWS's KMS and makes a key that passes verify.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::common::*;
use serde_json::Value;

/// The template tools' Python (python-hcl2, checkov), installed by scripts/tftools-install.
fn tftools() -> PathBuf {
    let p = std::env::var_os("CMEK_TFTOOLS_PYTHON")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(".tftools/venv/bin/python")
        });
    assert!(
        p.exists(),
        "{} is missing: run scripts/test, which installs the template tools",
        p.display()
    );
    p
}

fn dir(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("cmek-tf-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

/// `template --vendor-account 222222222222` and `args`.
fn template_args<'a>(args: &[&'a str]) -> Vec<&'a str> {
    let mut all = vec!["template", "--vendor-account", "222222222222"];
    all.extend(args);
    all
}

fn template(args: &[&str]) -> String {
    let out = cmek("222222222222", &template_args(args));
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    stdout(&out)
}

/// The module as python-hcl2 reads it (tests/terraform/policy_of.py).
fn parsed(path: &Path) -> Value {
    let script = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/terraform/policy_of.py");
    let out = Command::new(tftools())
        .arg(script)
        .arg(path)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "python-hcl2 could not read {}: {}",
        path.display(),
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

/// CloudFormation's intrinsics as the strings they substitute (`Ref X` is `${X}`).
fn resolved(v: &Value) -> Value {
    match v {
        Value::Object(m) if m.len() == 1 && m.contains_key("Ref") => {
            Value::String(format!("${{{}}}", m["Ref"].as_str().unwrap()))
        }
        Value::Object(m) if m.len() == 1 && m.contains_key("Fn::Sub") => m["Fn::Sub"].clone(),
        Value::Object(m) => {
            Value::Object(m.iter().map(|(k, v)| (k.clone(), resolved(v))).collect())
        }
        Value::Array(a) => Value::Array(a.iter().map(resolved).collect()),
        other => other.clone(),
    }
}

fn cloudformation(tenant: &[&str]) -> Value {
    let mut args = tenant.to_vec();
    args.extend(["--format", "json"]);
    serde_json::from_str(&template(&args)).unwrap()
}

#[test]
fn the_terraform_module_parses_as_hcl2_and_its_policy_is_the_cloudformation_templates() {
    for tenant in [&[][..], &["--tenant", "acme"][..]] {
        let cfn = cloudformation(tenant);
        let props = &cfn["Resources"]["CmekKey"]["Properties"];
        let mut args = tenant.to_vec();
        args.extend(["--format", "terraform"]);
        let d = dir(if tenant.is_empty() { "plain" } else { "scoped" });
        let path = d.join("main.tf");
        std::fs::write(&path, template(&args)).unwrap();
        let tf = parsed(&path);
        let want = resolved(&props["KeyPolicy"]);
        let (got, want) = (
            tf["policy"]["Statement"].as_array().unwrap(),
            want["Statement"].as_array().unwrap(),
        );
        assert_eq!(got.len(), want.len(), "{tenant:?}");
        for (g, w) in got.iter().zip(want) {
            assert_eq!(g, w, "{tenant:?}: statement {}", w["Sid"]);
        }
        assert_eq!(tf["policy"]["Version"], "2012-10-17");
        // The same key as the CloudFormation template's.
        let key = &tf["key"];
        assert_eq!(key["enable_key_rotation"], props["EnableKeyRotation"]);
        assert_eq!(key["is_enabled"], props["Enabled"]);
        assert_eq!(key["deletion_window_in_days"], props["PendingWindowInDays"]);
        assert_eq!(key["customer_master_key_spec"], props["KeySpec"]);
        assert_eq!(key["key_usage"], props["KeyUsage"]);
        assert_eq!(key["multi_region"], props["MultiRegion"]);
        assert_eq!(key["prevent_destroy"], true, "DeletionPolicy Retain");
        assert_eq!(
            key["description"],
            "Speedscale CMEK key, shared with Speedscale account ${var.speedscale_account_id}"
        );
        assert_eq!(
            tf["variables"]["key_alias_name"]["default"],
            cfn["Parameters"]["KeyAliasName"]["Default"]
        );
        assert_eq!(
            tf["variables"]["speedscale_account_id"]["default"],
            "222222222222"
        );
        assert_eq!(tf["alias"]["target_key_id"], "${aws_kms_key.cmek.key_id}");
        // The policy's references resolve: each data source is declared.
        assert_eq!(
            tf["data"],
            serde_json::json!(["aws_caller_identity", "aws_partition", "aws_region"])
        );
        assert_eq!(tf["outputs"]["key_arn"]["value"], "${aws_kms_key.cmek.arn}");
    }
}

#[test]
fn out_writes_the_three_files_and_never_overwrites_one() {
    let d = dir("out");
    let target = d.join("module");
    let t = target.to_str().unwrap();
    let out = cmek(
        "222222222222",
        &[
            &template_args(&["--format", "terraform", "--out"])[..],
            &[t],
        ]
        .concat(),
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(stdout(&out).is_empty());
    for f in ["main.tf", "variables.tf", "outputs.tf"] {
        assert!(target.join(f).exists(), "{f}");
    }
    // The directory as a whole is the same module as the one document.
    let one = d.join("one.tf");
    std::fs::write(&one, template(&["--format", "terraform"])).unwrap();
    assert_eq!(parsed(&target), parsed(&one));

    let before = std::fs::read_to_string(target.join("main.tf")).unwrap();
    let out = cmek(
        "222222222222",
        &[
            &template_args(&["--format", "terraform", "--out"])[..],
            &[t],
        ]
        .concat(),
    );
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    let err = stderr(&out);
    assert_eq!(err.trim().lines().count(), 1, "{err}");
    assert!(
        err.contains("main.tf exists") && err.contains("never overwrites"),
        "{err}"
    );
    assert_eq!(
        std::fs::read_to_string(target.join("main.tf")).unwrap(),
        before
    );
}

#[test]
fn options_of_another_format_are_refused_in_one_line() {
    for (args, names) in [
        (&["--format", "yaml", "--out", "x"][..], "--out"),
        (
            &[
                "--format",
                "terraform",
                "--customer-account",
                "111111111111",
            ][..],
            "--customer-account",
        ),
        (&["--format", "policy"][..], "--customer-account"),
        (
            &["--format", "policy", "--customer-account", "1111"][..],
            "12 digits",
        ),
    ] {
        let out = cmek_with(
            "222222222222",
            &template_args(args),
            &[("AWS_REGION", "us-east-1")],
        );
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", stderr(&out));
        let err = stderr(&out);
        assert!(err.contains(names), "{args:?}: {err}");
        assert_eq!(err.trim().lines().count(), 1, "{args:?}: {err}");
        assert!(stdout(&out).is_empty());
    }
    // The bare policy names a region: without one, it says where to give it.
    let mut cmd = cmek_command(
        "222222222222",
        &template_args(&["--format", "policy", "--customer-account", "111111111111"]),
    );
    let out = cmd.env_remove("AWS_REGION").output().unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(err.contains("--region") && !err.contains("\"\""), "{err}");
    assert_eq!(err.trim().lines().count(), 1, "{err}");
}

/// The checks docs/runbook.md lists as failing by design, with the reason (its table's ids).
fn by_design() -> BTreeSet<String> {
    let doc =
        std::fs::read_to_string(PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("docs/runbook.md"))
            .unwrap();
    doc.lines()
        .filter_map(|l| l.strip_prefix("| `CKV"))
        .map(|l| format!("CKV{}", l.split('`').next().unwrap()))
        .collect()
}

/// The failed checks checkov reports for `args` (its JSON: one report, or one per framework).
fn checkov_failures(args: &[&str]) -> BTreeSet<String> {
    let checkov = tftools().parent().unwrap().join("checkov");
    let out = Command::new(&checkov)
        .args(args)
        .args([
            "--output",
            "json",
            "--quiet",
            "--compact",
            "--skip-download",
        ])
        .env("BC_SKIP_MAPPING", "TRUE")
        .env("CHECKOV_RUN_SCA_PACKAGE_SCAN_V2", "false")
        .output()
        .expect("checkov is installed by scripts/tftools-install");
    let text = String::from_utf8_lossy(&out.stdout);
    let v: Value = serde_json::from_str(&text).unwrap_or_else(|e| {
        panic!(
            "checkov {args:?}: {e}: {text}{}",
            String::from_utf8_lossy(&out.stderr)
        )
    });
    let reports = match v {
        Value::Array(a) => a,
        other => vec![other],
    };
    let mut failed = BTreeSet::new();
    let mut passed = 0;
    for r in &reports {
        passed += r["summary"]["passed"].as_u64().unwrap_or(0);
        for f in r["results"]["failed_checks"]
            .as_array()
            .into_iter()
            .flatten()
        {
            failed.insert(f["check_id"].as_str().unwrap().to_string());
        }
    }
    assert!(passed > 0, "checkov ran no check: {text}");
    failed
}

#[test]
fn checkov_passes_both_templates_but_for_the_checks_documented_as_by_design() {
    let allowed = by_design();
    assert!(
        allowed.contains("CKV_AWS_7"),
        "rotation is by design: {allowed:?}"
    );
    let d = dir("checkov");
    let tf = d.join("tf");
    std::fs::create_dir_all(&tf).unwrap();
    std::fs::write(tf.join("main.tf"), template(&["--format", "terraform"])).unwrap();
    let cfn = d.join("template.json");
    std::fs::write(&cfn, template(&["--format", "json"])).unwrap();
    let mut seen = BTreeSet::new();
    for (args, what) in [
        (
            vec!["-d", tf.to_str().unwrap(), "--framework", "terraform"],
            "terraform",
        ),
        (
            vec!["-f", cfn.to_str().unwrap(), "--framework", "cloudformation"],
            "cloudformation",
        ),
    ] {
        let failed = checkov_failures(&args);
        seen.extend(failed.iter().cloned());
        let unexplained: Vec<&String> = failed.iter().filter(|c| !allowed.contains(*c)).collect();
        assert!(
            unexplained.is_empty(),
            "{what}: checkov fails {unexplained:?}, which docs/runbook.md does not list as by design"
        );
    }
    // And the list stays true: nothing in it that checkov no longer fails.
    assert_eq!(seen, allowed, "docs/runbook.md's by-design checks");
}

#[tokio::test]
async fn the_bare_policy_is_accepted_by_kms_and_its_key_passes_verify() {
    let a = accounts();
    let out = cmek_with(
        &a.speedscale,
        &[
            "template",
            "--vendor-account",
            &a.speedscale,
            "--format",
            "policy",
            "--customer-account",
            &a.customer,
        ],
        &[("AWS_REGION", "us-east-1")],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let policy = stdout(&out);
    let v: Value = serde_json::from_str(&policy).unwrap();
    assert!(!policy.contains("${"), "concrete: {policy}");
    assert_eq!(
        v["Statement"][0]["Principal"]["AWS"],
        format!("arn:aws:iam::{}:root", a.customer)
    );
    // Created under a default policy, then given this one with PutKeyPolicy, as a customer
    // managing keys another way would.
    let kms = kms_as(&a.customer);
    let key = kms.create_key().send().await.unwrap();
    let arn = key.key_metadata().unwrap().arn().unwrap().to_string();
    kms.put_key_policy()
        .key_id(key_id(&arn))
        .policy(&policy)
        .send()
        .await
        .unwrap();
    let out = verify(&a, &arn, &["--output", "json"]);
    let report = json_out(&out);
    assert_eq!(out.status.code(), Some(0), "{report:#}");
    assert_eq!(report["verdict"], "pass", "{report:#}");
}
