//! The least-privilege IAM policies in docs/iam/ cover every AWS action the code calls: statically
//! (every SDK operation in src/ maps to an action in some policy) and per subcommand (every call the
//! local AWS logs while that subcommand runs maps to an action in its own policy).

use std::collections::BTreeSet;
use std::path::PathBuf;

use crate::common::*;
use serde_json::Value;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn policy(name: &str) -> Value {
    let path = root().join(format!("docs/iam/{name}.json"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Every action a policy allows (lower case), checking its shape on the way.
fn actions(p: &Value) -> BTreeSet<String> {
    assert_eq!(p["Version"], "2012-10-17");
    let mut out = BTreeSet::new();
    for st in p["Statement"].as_array().expect("Statement list") {
        assert_eq!(st["Effect"], "Allow", "{st}");
        assert!(st["Sid"].is_string() && !st["Resource"].is_null(), "{st}");
        match &st["Action"] {
            Value::String(a) => {
                out.insert(a.to_lowercase());
            }
            Value::Array(a) => out.extend(a.iter().map(|v| v.as_str().unwrap().to_lowercase())),
            other => panic!("Action {other}"),
        }
        for a in &out {
            assert!(!a.contains('*'), "no wildcard actions: {a}");
        }
    }
    out
}

/// The IAM actions one API operation needs (operation names as the SDK and the local AWS's log
/// spell them; IAM's names differ for some S3 operations).
fn needs(service: &str, op: &str) -> Vec<String> {
    let op_l = op.to_lowercase();
    let s3 = |a: &[&str]| {
        a.iter()
            .map(|x| format!("s3:{}", x.to_lowercase()))
            .collect()
    };
    match (service, op_l.as_str()) {
        ("sts", "getcalleridentity") => vec![],
        ("s3", "headbucket" | "listobjects" | "listobjectsv2") => s3(&["ListBucket"]),
        ("s3", "listobjectversions" | "getbucketversions") => s3(&["ListBucketVersions"]),
        ("s3", "headobject") => s3(&["GetObject"]),
        ("s3", "listbuckets") => s3(&["ListAllMyBuckets"]),
        ("s3", "getobjectlockconfiguration") => s3(&["GetBucketObjectLockConfiguration"]),
        ("s3", "putobjectlockconfiguration") => s3(&["PutBucketObjectLockConfiguration"]),
        // The Resource Groups Tagging API's IAM prefix is `tag`.
        ("tagging" | "resourcegroupstaggingapi" | "tag", op) => vec![format!("tag:{op}")],
        ("s3", "listmultipartuploads") => s3(&["ListBucketMultipartUploads"]),
        ("s3", "getbucketreplication") => s3(&["GetReplicationConfiguration"]),
        ("s3", "getbucketencryption") => s3(&["GetEncryptionConfiguration"]),
        ("s3", "putbucketencryption") => s3(&["PutEncryptionConfiguration"]),
        ("s3", "getpublicaccessblock" | "getbucketpublicaccessblock") => {
            s3(&["GetBucketPublicAccessBlock"])
        }
        ("s3", "putpublicaccessblock" | "putbucketpublicaccessblock") => {
            s3(&["PutBucketPublicAccessBlock"])
        }
        ("s3", "createmultipartupload" | "completemultipartupload") => s3(&["PutObject"]),
        ("s3", "uploadpartcopy") => s3(&["GetObject", "PutObject"]),
        // S3 Control's operations are authorized as `s3:` actions; a job's role is passed to it.
        ("s3control", "createjob") => vec![
            "s3:createjob".into(),
            "s3:putjobtagging".into(),
            "iam:passrole".into(),
        ],
        ("s3control", op) => vec![format!("s3:{op}")],
        // CloudWatch signs as `monitoring`; IAM's prefix is `cloudwatch`.
        ("monitoring", op) => vec![format!("cloudwatch:{op}")],
        ("s3", "copyobject") => s3(&[
            "GetObject",
            "PutObject",
            "GetObjectTagging",
            "PutObjectTagging",
        ]),
        _ => vec![format!("{service}:{op_l}")],
    }
}

const POLICIES: &[&str] = &["verify", "enable", "status", "revoke-check", "doctor"];

/// snake_case SDK method -> the operation, lower case without separators.
fn operation(method: &str) -> String {
    method.replace('_', "")
}

#[test]
fn every_sdk_operation_in_the_code_is_in_a_policy() {
    let mut allowed = BTreeSet::new();
    for p in POLICIES {
        allowed.extend(actions(&policy(p)));
    }
    let mut found = BTreeSet::new();
    let mut stack = vec![root().join("src")];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            if path.extension().is_none_or(|e| e != "rs")
                || path.to_string_lossy().contains("_tests")
            {
                continue;
            }
            // rustfmt splits chains over lines: compare without whitespace.
            let code: String = std::fs::read_to_string(&path)
                .unwrap()
                .chars()
                .filter(|c| !c.is_whitespace())
                .collect();
            for service in [
                "kms",
                "s3",
                "s3control",
                "firehose",
                "rds",
                "iam",
                "sts",
                "cloudwatch",
                "sqs",
                "sns",
                "tagging",
            ] {
                let needle = format!("{service}.");
                let mut at = 0;
                while let Some(i) = code[at..].find(&needle) {
                    let start = at + i;
                    at = start + needle.len();
                    let before = code[..start].chars().last().unwrap_or(' ');
                    if before.is_alphanumeric() || before == '_' || before == ':' {
                        continue;
                    }
                    let rest = &code[at..];
                    let ident: String = rest
                        .chars()
                        .take_while(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == '_')
                        .collect();
                    if ident.is_empty() || !rest[ident.len()..].starts_with("()") {
                        continue;
                    }
                    const VERBS: &[&str] = &[
                        "get_",
                        "put_",
                        "list_",
                        "describe_",
                        "create_",
                        "delete_",
                        "head_",
                        "copy_",
                        "start_",
                        "stop_",
                        "update_",
                        "tag_",
                        "untag_",
                        "add_",
                        "restore_",
                        "generate_",
                        "decrypt",
                        "encrypt",
                        "re_encrypt",
                        "schedule_",
                        "enable_",
                        "disable_",
                        "cancel_",
                        "retire_",
                        "revoke_",
                        "set_",
                        "modify_",
                        "subscribe",
                    ];
                    if !VERBS.iter().any(|v| ident.starts_with(v)) {
                        continue;
                    }
                    found.insert((service, operation(&ident), path.display().to_string()));
                }
            }
        }
    }
    assert!(found.len() > 30, "the scan finds the SDK calls: {found:#?}");
    for (service, op, file) in &found {
        for action in needs(service, op) {
            assert!(
                allowed.contains(&action),
                "{file} calls {service} {op}: {action} is in no policy of docs/iam/"
            );
        }
    }
}

fn check_calls(name: &str, calls: &[Value]) {
    let allowed = actions(&policy(name));
    assert!(!calls.is_empty(), "{name} made calls");
    for c in calls {
        let service = c["service"].as_str().unwrap();
        let op = c["operation"].as_str().unwrap();
        for action in needs(service, op) {
            assert!(
                allowed.contains(&action),
                "`cmek {name}` called {service} {op}: docs/iam/{name}.json lacks {action}"
            );
        }
    }
}

fn run_logged(a: &Accounts, name: &str, args: &[&str], expect: i32) {
    clear_calls(&a.speedscale);
    let out = cmek(&a.speedscale, args);
    assert_eq!(
        out.status.code(),
        Some(expect),
        "{args:?}: {}",
        stderr(&out)
    );
    check_calls(name, &calls(&a.speedscale));
}

#[tokio::test]
async fn each_subcommand_calls_only_what_its_policy_allows() {
    let a = accounts();
    let arn = good_key(&a).await;
    let n = names(&a);
    // A tenant with history: an old object, and a database on another key.
    let s3 = s3_as(&a.speedscale);
    s3.create_bucket().bucket(&n.bucket).send().await.unwrap();
    s3.put_object()
        .bucket(&n.bucket)
        .key("old.json")
        .body(b"{}".to_vec().into())
        .send()
        .await
        .unwrap();
    rds_as(&a.speedscale)
        .create_db_instance()
        .db_instance_identifier(&n.database)
        .engine("postgres")
        .db_instance_class("db.t4g.micro")
        .allocated_storage(20)
        .master_username("app")
        .master_user_password("not-a-real-password-1")
        .send()
        .await
        .unwrap();
    let key = ["--tenant", "acme", "--key-arn", arn.as_str()];
    let with = |cmd: &str, extra: &[&str]| {
        let mut v = vec!["--output", "json", cmd];
        v.extend(key);
        v.extend(extra.iter().copied());
        v.into_iter().map(str::to_string).collect::<Vec<_>>()
    };
    let args = with(
        "enable",
        &["--yes", "--reencrypt-objects", "--migrate-database"],
    );
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    run_logged(&a, "enable", &args, 0);
    let args = with("verify", &[]);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    run_logged(&a, "verify", &args, 0);
    // The migrated-away database still holds tenant data under its old key: drift (exit 1).
    run_logged(
        &a,
        "status",
        &["--output", "json", "status", "--tenant", "acme"],
        1,
    );
    run_logged(&a, "status", &["--output", "json", "status", "--all"], 1);
    run_logged(
        &a,
        "revoke-check",
        &["--output", "json", "revoke-check", "--tenant", "acme"],
        1,
    );
}
