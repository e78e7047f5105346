//! The producers of a tenant's streams under Firehose's caller-permission rule (local AWS R18:
//! "both the caller's IAM policy and the KMS key policy must allow kms:GenerateDataKey and
//! kms:Decrypt", Firehose developer guide, and AWS's 2026-04-20 notice), and the two rules a stream
//! can be under when the key policy stops allowing Speedscale.

use std::path::PathBuf;

use serde_json::{json, Value};

use crate::common::*;

/// The default environment's bucket and stream (and its database), the stream's producers as given.
fn config(a: &Accounts, name: &str, producers: &[&str], policy: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("cmek-producers-{}", a.speedscale));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(format!("{name}.toml"));
    let list: Vec<String> = producers.iter().map(|p| format!("{p:?}")).collect();
    std::fs::write(
        &path,
        format!(
            r#"[[bucket]]
id = "data"
name = "speedscale-{{tenant}}-data-{{account}}"

[[stream]]
id = "events"
name = "speedscale-{{tenant}}-events"
bucket = "data"
producers = [{}]
producers_policy = "{policy}"
"#,
            list.join(", ")
        ),
    )
    .unwrap();
    path
}

fn iam_as(account: &str) -> aws_sdk_iam::Client {
    aws_sdk_iam::Client::new(&sdk_config(account))
}

/// A role in Speedscale's account, as the platform would have it (trusting the account), tagged
/// for cmek's producer policy when `tagged`.
async fn create_role(a: &Accounts, name: &str, tagged: bool) -> String {
    let trust = json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
        "Principal": {"AWS": format!("arn:aws:iam::{}:root", a.speedscale)}, "Action": "sts:AssumeRole"}]});
    let tags = tagged.then(|| {
        vec![aws_sdk_iam::types::Tag::builder()
            .key("speedscale:cmek-producer")
            .value("true")
            .build()
            .unwrap()]
    });
    iam_as(&a.speedscale)
        .create_role()
        .role_name(name)
        .assume_role_policy_document(trust.to_string())
        .set_tags(tags)
        .send()
        .await
        .unwrap()
        .role
        .unwrap()
        .arn
}

/// One of the platform's own inline policies on a role.
async fn put_platform_policy(a: &Accounts, role: &str, name: &str, doc: &Value) {
    iam_as(&a.speedscale)
        .put_role_policy()
        .role_name(role)
        .policy_name(name)
        .policy_document(doc.to_string())
        .send()
        .await
        .unwrap();
}

async fn inline_policies(a: &Accounts, role: &str) -> Vec<String> {
    iam_as(&a.speedscale)
        .list_role_policies()
        .role_name(role)
        .send()
        .await
        .unwrap()
        .policy_names
}

/// Firehose as the role: STS AssumeRole, then a client with its session.
async fn firehose_as_role(a: &Accounts, role_arn: &str) -> aws_sdk_firehose::Client {
    let sts = aws_sdk_sts::Client::new(&sdk_config(&a.speedscale));
    let c = sts
        .assume_role()
        .role_arn(role_arn)
        .role_session_name("producer")
        .send()
        .await
        .unwrap()
        .credentials
        .unwrap();
    let creds = aws_credential_types::Credentials::new(
        c.access_key_id,
        c.secret_access_key,
        Some(c.session_token),
        None,
        "assumed",
    );
    let conf = sdk_config(&a.speedscale)
        .into_builder()
        .credentials_provider(aws_credential_types::provider::SharedCredentialsProvider::new(creds))
        .build();
    aws_sdk_firehose::Client::new(&conf)
}

/// PutRecord as the role: Ok, or the error code.
async fn put_as(a: &Accounts, role_arn: &str) -> Result<(), String> {
    let record = aws_sdk_firehose::types::Record::builder()
        .data(aws_smithy_types::Blob::new(
            b"synthetic test record".to_vec(),
        ))
        .build()
        .unwrap();
    firehose_as_role(a, role_arn)
        .await
        .put_record()
        .delivery_stream_name(names(a).stream)
        .record(record)
        .send()
        .await
        .map(|_| ())
        .map_err(|e| {
            use aws_smithy_types::error::metadata::ProvideErrorMetadata;
            e.code().unwrap_or("unknown").to_string()
        })
}

async fn producer_policy(a: &Accounts, role: &str) -> Option<Value> {
    let out = iam_as(&a.speedscale)
        .get_role_policy()
        .role_name(role)
        .policy_name("cmek-firehose-producer-acme-events")
        .send()
        .await
        .ok()?;
    let doc = out.policy_document;
    let decoded = cmek::input::percent_decode(&doc);
    serde_json::from_str(&decoded).ok()
}

#[tokio::test]
async fn enable_lets_a_managed_producer_use_the_key_and_moves_it_to_a_new_key() {
    let a = accounts();
    let arn = good_key(&a).await;
    let ingest = create_role(&a, "ingest-acme", true).await;
    let stranger = create_role(&a, "stranger-acme", true).await;
    let theirs = json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
        "Action": "firehose:PutRecord", "Resource": "*"}]});
    put_platform_policy(&a, "ingest-acme", "platform-firehose", &theirs).await;
    let cfg = config(
        &a,
        "managed",
        &["arn:aws:iam::{account}:role/ingest-{tenant}"],
        "managed",
    );

    // Before: verify says enable will add it (not a failure).
    let (code, v) = run_with_config(&a, &cfg, &["verify", "--tenant", "acme", "--key-arn", &arn]);
    assert_eq!(code, 0, "{v:#}");
    let p = check(&v, "producer-key-permission");
    assert_eq!(p["status"], "skip", "{p}");

    let (code, v) = enable_with_config(&a, &cfg, &arn, &[]);
    assert_eq!(code, 0, "{v:#}");
    let ch = change(&v, &format!("producer:events:{ingest}"));
    assert_eq!(ch["action"], "update", "{ch}");
    // The policy: the two actions on this key, through Firehose only.
    let policy = producer_policy(&a, "ingest-acme").await.expect("policy");
    let st = &policy["Statement"][0];
    assert_eq!(st["Resource"], arn.as_str());
    assert_eq!(st["Action"], json!(["kms:GenerateDataKey", "kms:Decrypt"]));
    assert_eq!(
        st["Condition"]["StringEquals"]["kms:ViaService"],
        format!("firehose.{REGION}.amazonaws.com")
    );

    // The stream is new (a caller-permission stream): the producer's records go in, a role without
    // the permission is refused, as Firehose now does.
    assert_eq!(put_as(&a, &ingest).await, Ok(()));
    assert_eq!(
        put_as(&a, &stranger).await,
        Err("InvalidKMSResourceException".to_string())
    );

    // A rerun changes nothing; status shows the producer on the key and the stream's rule.
    let (code, v) = enable_with_config(&a, &cfg, &arn, &[]);
    assert_eq!(code, 0, "{v:#}");
    assert_eq!(v["verdict"], "no-changes", "{v:#}");
    let (code, v) = run_with_config(&a, &cfg, &["status", "--tenant", "acme"]);
    assert_eq!(code, 0, "{v:#}");
    let producer = rows_of(&v, "firehose-producer");
    assert_eq!(producer.len(), 1, "{v:#}");
    assert_eq!(producer[0]["state"], "ok", "{}", producer[0]);
    let stream = rows_of(&v, "firehose-stream")[0];
    assert_eq!(stream["model"], "caller-permission", "{stream}");

    // A key change moves the producer's permission to the new key: both keys while the stream
    // moves (whichever key Firehose ends on, the producer can write), the new one alone on the
    // next run. The platform's own policy is never touched.
    let new_key = good_key(&a).await;
    let (code, v) = enable_with_config(&a, &cfg, &new_key, &["--migrate-database"]);
    assert_eq!(code, 0, "{v:#}");
    let policy = producer_policy(&a, "ingest-acme").await.unwrap();
    assert_eq!(
        policy["Statement"][0]["Resource"],
        json!([new_key.as_str(), arn.as_str()])
    );
    assert_eq!(put_as(&a, &ingest).await, Ok(()));
    let (code, v) = enable_with_config(&a, &cfg, &new_key, &["--migrate-database"]);
    assert_eq!(code, 0, "{v:#}");
    let policy = producer_policy(&a, "ingest-acme").await.unwrap();
    assert_eq!(policy["Statement"][0]["Resource"], new_key.as_str());
    let (code, v) = enable_with_config(&a, &cfg, &new_key, &["--migrate-database"]);
    assert_eq!(
        (code, v["verdict"].as_str()),
        (0, Some("no-changes")),
        "{v:#}"
    );
    assert_eq!(put_as(&a, &ingest).await, Ok(()));
    let mut names = inline_policies(&a, "ingest-acme").await;
    names.sort();
    assert_eq!(
        names,
        ["cmek-firehose-producer-acme-events", "platform-firehose"]
    );
}

#[tokio::test]
async fn an_external_producer_without_the_permission_blocks_enable_with_the_statement_to_add() {
    let a = accounts();
    let arn = good_key(&a).await;
    // External: the platform's role, not tagged for cmek (nothing of cmek's goes on it).
    let ingest = create_role(&a, "ingest-acme", false).await;
    let cfg = config(
        &a,
        "external",
        &["arn:aws:iam::{account}:role/ingest-{tenant}"],
        "external",
    );
    let (code, v) = run_with_config(&a, &cfg, &["verify", "--tenant", "acme", "--key-arn", &arn]);
    assert_eq!(code, 1, "{v:#}");
    let p = check(&v, "producer-key-permission");
    assert_eq!(p["status"], "fail", "{p}");
    assert!(
        p["remedy"].to_string().contains("kms:GenerateDataKey"),
        "{p}"
    );

    clear_calls(&a.speedscale);
    let (code, v) = enable_with_config(&a, &cfg, &arn, &[]);
    assert_eq!(code, 1, "{v:#}");
    assert_eq!(v["verdict"], "blocked", "{v:#}");
    let ch = change(&v, &format!("producer:events:{ingest}"));
    let reason = ch["reason"].as_str().unwrap();
    assert!(
        reason.contains("\"kms:ViaService\":\"firehose.us-east-1.amazonaws.com\"")
            && reason.contains(&arn)
            && reason.contains("kms:GenerateDataKey"),
        "{reason}"
    );
    assert_no_mutations(&a.speedscale);
    // Nothing of cmek's on the role: the platform manages it.
    assert!(producer_policy(&a, "ingest-acme").await.is_none());

    // The platform adds the statement; enable goes ahead and leaves the role alone.
    let statement = json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
        "Action": ["kms:GenerateDataKey", "kms:Decrypt"], "Resource": arn,
        "Condition": {"StringEquals": {"kms:ViaService": "firehose.us-east-1.amazonaws.com"}}}]});
    put_platform_policy(&a, "ingest-acme", "platform-firehose", &statement).await;
    let (code, v) = enable_with_config(&a, &cfg, &arn, &[]);
    assert_eq!(code, 0, "{v:#}");
    assert!(producer_policy(&a, "ingest-acme").await.is_none());
    assert_eq!(put_as(&a, &ingest).await, Ok(()));
}

#[tokio::test]
async fn a_missing_untagged_or_foreign_producer_is_a_blocked_plan_naming_it() {
    let a = accounts();
    let arn = good_key(&a).await;
    create_role(&a, "untagged-acme", false).await;
    let cfg = config(
        &a,
        "blocked",
        &[
            "arn:aws:iam::{account}:role/nobody-{tenant}",
            "arn:aws:iam::{account}:role/untagged-{tenant}",
            "arn:aws:iam::999999999999:role/elsewhere",
        ],
        "managed",
    );
    clear_calls(&a.speedscale);
    let (code, v) = enable_with_config(&a, &cfg, &arn, &[]);
    assert_eq!(code, 1, "{v:#}");
    assert_eq!(v["verdict"], "blocked");
    let text = v.to_string();
    for needle in [
        format!(
            "arn:aws:iam::{}:role/nobody-acme of stream speedscale-acme-events does not exist",
            a.speedscale
        ),
        "is not tagged speedscale:cmek-producer=true".to_string(),
        "arn:aws:iam::999999999999:role/elsewhere of stream speedscale-acme-events is not in the environment's account".to_string(),
    ] {
        assert!(text.contains(&needle), "{needle}: {v:#}");
    }
    assert_no_mutations(&a.speedscale);
    assert!(inline_policies(&a, "untagged-acme").await.is_empty());
    // status shows none of them as ok.
    let (_, v) = run_with_config(&a, &cfg, &["status", "--tenant", "acme", "--key-arn", &arn]);
    let producers = rows_of(&v, "firehose-producer");
    assert_eq!(producers.len(), 3, "{v:#}");
    assert!(producers.iter().all(|r| r["state"] != "ok"), "{v:#}");
}

fn set_created(a: &Accounts, stream: &str, created: i64) {
    control(
        "POST",
        "/_localaws/firehose/created",
        Some(
            json!({"account": a.speedscale, "region": REGION, "name": stream, "created": created}),
        ),
    );
}

#[tokio::test]
async fn a_key_policy_without_speedscale_cuts_a_new_stream_off_but_not_one_from_before_the_rule() {
    let a = accounts();
    let arn = good_key(&a).await;
    let ingest = create_role(&a, "ingest-acme", true).await;
    let cfg = config(
        &a,
        "cutoff",
        &["arn:aws:iam::{account}:role/ingest-{tenant}"],
        "managed",
    );
    let (code, v) = enable_with_config(&a, &cfg, &arn, &[]);
    assert_eq!(code, 0, "{v:#}");
    drop_speedscale(&a, &arn).await;
    // The producer itself is refused now: its own permission is not enough without the key's.
    assert_eq!(
        put_as(&a, &ingest).await,
        Err("InvalidKMSResourceException".to_string())
    );

    let (_, v) = run_with_config(&a, &cfg, &["revoke-check", "--tenant", "acme"]);
    let fh = check(&v, "revoke-firehose-encryption");
    assert_eq!(fh["status"], "pass", "{fh}");
    assert!(
        fh["message"]
            .as_str()
            .unwrap()
            .contains("caller-permission rule"),
        "{fh}"
    );

    // The same stream as one created before 2026-04-20: Firehose's grant carries it until
    // 2027-02-28, so the key policy change cuts nothing there. (From 2027-03-02 every stream is
    // under the caller rule, in cmek and in the local AWS, and this half no longer applies.)
    if cmek::shared::clock::now() as i64 >= cmek::services::firehose::model::CALLER_RULE_ALL_STREAMS
    {
        return;
    }
    set_created(&a, &names(&a).stream, 1_767_225_600); // 2026-01-01
    let (code, v) = run_with_config(&a, &cfg, &["revoke-check", "--tenant", "acme"]);
    assert_eq!(code, 1, "{v:#}");
    assert_eq!(v["verdict"], "partial", "{v:#}");
    let fh = check(&v, "revoke-firehose-encryption");
    assert_eq!(fh["status"], "fail", "{fh}");
    assert!(
        fh["message"].as_str().unwrap().contains("grant rule")
            && fh["message"].as_str().unwrap().contains("2027-02-28"),
        "{fh}"
    );
    assert_eq!(put_as(&a, &ingest).await, Ok(()));
    let (_, v) = run_with_config(&a, &cfg, &["status", "--tenant", "acme"]);
    let stream = rows_of(&v, "firehose-stream")[0];
    assert_eq!(stream["model"], "grant", "{stream}");
    assert!(
        stream["message"]
            .as_str()
            .unwrap()
            .contains("until 2027-02-28"),
        "{stream}"
    );
}
