//! The seed's "...": SQS queues, SNS topics and an Aurora PostgreSQL cluster on the customer's key
//! (issue 24), the real binary against the local AWS, customer and Speedscale in two accounts.

use std::path::{Path, PathBuf};

use aws_sdk_sqs::types::QueueAttributeName as A;
use serde_json::Value;

use crate::common::*;

/// An environment with a queue, a topic delivering into it and an Aurora PostgreSQL cluster.
fn environment(dir: &Path, reuse: u32) -> PathBuf {
    let path = dir.join("env.toml");
    std::fs::write(
        &path,
        format!(
            r#"
[[queue]]
id = "capture"
name = "speedscale-{{tenant}}-capture"
data_key_reuse_seconds = {reuse}

[[topic]]
id = "events"
name = "speedscale-{{tenant}}-events"
queues = ["capture"]

[database]
identifier = "speedscale-{{tenant}}-db"
engine = "aurora-postgresql"
"#
        ),
    )
    .unwrap();
    path
}

fn tempdir() -> PathBuf {
    let d = std::env::temp_dir().join(format!(
        "cmek-messaging-{}-{}",
        std::process::id(),
        rand_suffix()
    ));
    std::fs::create_dir_all(&d).unwrap();
    d
}

fn rand_suffix() -> u64 {
    use std::sync::atomic::{AtomicU64, Ordering};
    static N: AtomicU64 = AtomicU64::new(0);
    N.fetch_add(1, Ordering::SeqCst)
}

fn checks<'a>(report: &'a Value, id: &str) -> Vec<&'a Value> {
    report["checks"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["id"] == id)
        .collect()
}

/// The tenant queue's URL, read as Speedscale.
async fn queue_url(a: &Accounts) -> String {
    sqs_as(&a.speedscale)
        .get_queue_url()
        .queue_name("speedscale-acme-capture")
        .send()
        .await
        .unwrap()
        .queue_url()
        .unwrap()
        .to_string()
}

async fn queue_attrs(a: &Accounts) -> std::collections::HashMap<A, String> {
    let url = queue_url(a).await;
    sqs_as(&a.speedscale)
        .get_queue_attributes()
        .queue_url(url)
        .attribute_names(A::All)
        .send()
        .await
        .unwrap()
        .attributes()
        .cloned()
        .unwrap_or_default()
}

/// A queue the platform made before cmek, on SSE-SQS (SQS's default), with messages in it.
async fn queue_on_sse_sqs_with_messages(a: &Accounts, n: usize) {
    let sqs = sqs_as(&a.speedscale);
    let url = sqs
        .create_queue()
        .queue_name("speedscale-acme-capture")
        .send()
        .await
        .unwrap()
        .queue_url()
        .unwrap()
        .to_string();
    for i in 0..n {
        sqs.send_message()
            .queue_url(&url)
            .message_body(format!("captured request {i}"))
            .send()
            .await
            .unwrap();
    }
}

#[tokio::test]
async fn queue_topic_and_aurora_cluster_go_on_the_key_and_a_rerun_changes_nothing() {
    let a = accounts();
    let arn = good_key(&a).await;
    let dir = tempdir();
    let cfg = environment(&dir, 300);
    queue_on_sse_sqs_with_messages(&a, 2).await;
    assert_eq!(
        queue_attrs(&a)
            .await
            .get(&A::SqsManagedSseEnabled)
            .map(String::as_str),
        Some("true")
    );

    // Before enable: the queue is on SSE-SQS, so the tenant is exposed.
    let (code, before) = run_with_config(
        &a,
        &cfg,
        &["revoke-check", "--tenant", "acme", "--key-arn", &arn],
    );
    assert_eq!(code, 1, "{before:#}");
    assert_eq!(before["verdict"], "exposed");
    let q = checks(&before, "revoke-sqs-queue")[0];
    assert_eq!(q["status"], "fail", "{q}");
    assert!(q["message"].as_str().unwrap().contains("sse-sqs"), "{q}");

    let (code, report) = enable_with_config(&a, &cfg, &arn, &[]);
    assert_eq!(code, 0, "{report:#}");
    assert_eq!(report["verdict"], "applied");
    let queue = report["changes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == "queue:capture")
        .unwrap();
    assert_eq!(queue["action"], "update", "{queue}");
    assert_eq!(
        queue["notes"][0]["id"], "sqs-messages-keep-old-key",
        "{queue}"
    );
    let cluster = report["changes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == "database")
        .unwrap();
    assert_eq!(
        (cluster["kind"].as_str(), cluster["action"].as_str()),
        (Some("rds-cluster"), Some("create")),
        "{cluster}"
    );

    // What AWS now says, read with the SDK, not through cmek.
    let attrs = queue_attrs(&a).await;
    assert_eq!(attrs.get(&A::KmsMasterKeyId), Some(&arn));
    assert_eq!(
        attrs
            .get(&A::KmsDataKeyReusePeriodSeconds)
            .map(String::as_str),
        Some("300")
    );
    let topic_arn = format!(
        "arn:aws:sns:{REGION}:{}:speedscale-acme-events",
        a.speedscale
    );
    let topic = sns_as(&a.speedscale)
        .get_topic_attributes()
        .topic_arn(&topic_arn)
        .send()
        .await
        .unwrap();
    assert_eq!(
        topic.attributes().unwrap().get("KmsMasterKeyId"),
        Some(&arn)
    );
    let subs = sns_as(&a.speedscale)
        .list_subscriptions_by_topic()
        .topic_arn(&topic_arn)
        .send()
        .await
        .unwrap();
    assert!(
        subs.subscriptions()
            .iter()
            .any(|s| s.protocol() == Some("sqs")
                && s.endpoint()
                    .is_some_and(|e| e.ends_with(":speedscale-acme-capture"))),
        "{subs:?}"
    );
    let cl = rds_as(&a.speedscale)
        .describe_db_clusters()
        .db_cluster_identifier("speedscale-acme-db")
        .send()
        .await
        .unwrap();
    let cl = &cl.db_clusters()[0];
    assert_eq!(cl.storage_encrypted(), Some(true));
    assert_eq!(cl.kms_key_id(), Some(arn.as_str()));
    assert_eq!(cl.db_cluster_members().len(), 1, "{cl:?}");

    // A rerun changes nothing.
    let (code, again) = enable_with_config(&a, &cfg, &arn, &[]);
    assert_eq!(code, 0, "{again:#}");
    assert_eq!(again["verdict"], "no-changes", "{again:#}");

    // status lists each with its key; the messages queued before the key are reported.
    let (_, status) = run_with_config(&a, &cfg, &["status", "--tenant", "acme"]);
    for kind in ["sqs-queue", "sns-topic", "rds-cluster"] {
        let r = rows_of(&status, kind);
        assert_eq!(r.len(), 1, "{kind}: {status:#}");
        assert_eq!(r[0]["actual_key"], arn.as_str(), "{kind}: {}", r[0]);
        assert_eq!(r[0]["state"], "ok", "{}", r[0]);
    }
    assert_eq!(
        rows_of(&status, "sqs-queue")[0]["data_key_reuse_seconds"],
        300
    );
    let old = rows_of(&status, "sqs-messages");
    assert_eq!(old.len(), 1, "{status:#}");
    assert!(
        old[0]["message"].as_str().unwrap().contains("2 message(s)"),
        "{}",
        old[0]
    );

    // revoke-check: the queue and topic depend on the key; the two old messages do not.
    let (code, ready) = run_with_config(&a, &cfg, &["revoke-check", "--tenant", "acme"]);
    assert_eq!(code, 1, "{ready:#}");
    assert_eq!(ready["verdict"], "exposed");
    assert_eq!(checks(&ready, "revoke-sqs-queue")[0]["status"], "pass");
    assert_eq!(checks(&ready, "revoke-sns-topic")[0]["status"], "pass");
    assert_eq!(checks(&ready, "revoke-sqs-messages")[0]["status"], "fail");

    // Once consumed, nothing outside the key is left: ready.
    let sqs = sqs_as(&a.speedscale);
    let url = queue_url(&a).await;
    loop {
        let got = sqs
            .receive_message()
            .queue_url(&url)
            .max_number_of_messages(10)
            .send()
            .await
            .unwrap();
        if got.messages().is_empty() {
            break;
        }
        for m in got.messages() {
            sqs.delete_message()
                .queue_url(&url)
                .receipt_handle(m.receipt_handle().unwrap())
                .send()
                .await
                .unwrap();
        }
    }
    let (code, ready) = run_with_config(&a, &cfg, &["revoke-check", "--tenant", "acme"]);
    assert_eq!(
        (code, ready["verdict"].as_str()),
        (0, Some("ready")),
        "{ready:#}"
    );
}

#[tokio::test]
async fn key_disabled_queue_and_topic_are_never_revoked_unwatched_and_the_cluster_by_its_state() {
    let a = accounts();
    let arn = good_key(&a).await;
    let dir = tempdir();
    let cfg = environment(&dir, 60);
    let (code, report) = enable_with_config(&a, &cfg, &arn, &[]);
    assert_eq!(code, 0, "{report:#}");
    kms_as(&a.customer)
        .disable_key()
        .key_id(key_id(&arn))
        .send()
        .await
        .unwrap();
    // The cluster reacts after the local AWS's rds_inaccessible (AWS: hours after detection),
    // counted from the first read that sees the key unusable.
    run_with_config(&a, &cfg, &["status", "--tenant", "acme"]);
    tokio::time::sleep(std::time::Duration::from_millis(1300)).await;
    let (code, report) = run_with_config(&a, &cfg, &["revoke-check", "--tenant", "acme"]);
    assert_eq!(code, 1, "{report:#}");
    assert_eq!(
        report["verdict"], "partial",
        "never revoked on a path not observed cut"
    );
    for id in ["revoke-sqs-queue", "revoke-sns-topic"] {
        let c = checks(&report, id)[0];
        assert_eq!(c["status"], "fail", "{c}");
        assert!(
            c["message"].as_str().unwrap().contains("not shown cut off"),
            "{c}"
        );
        assert!(c["remedy"].as_str().unwrap().contains("--watch-key"), "{c}");
    }
    let state = checks(&report, "revoke-rds-state")[0];
    assert_eq!(state["status"], "pass", "{state}");
    assert!(
        state["message"]
            .as_str()
            .unwrap()
            .contains("inaccessible-encryption-credentials-recoverable"),
        "{state}"
    );
    let (_, status) = run_with_config(&a, &cfg, &["status", "--tenant", "acme"]);
    let cl = rows_of(&status, "rds-cluster")[0];
    assert_eq!(cl["state"], "stopped", "{cl}");
    assert!(
        cl["message"].as_str().unwrap().contains("start-db-cluster"),
        "{cl}"
    );
}

#[tokio::test]
async fn watching_the_key_for_the_queue_reuse_period_shows_the_queue_cut_off() {
    let a = accounts();
    let arn = good_key(&a).await;
    let dir = tempdir();
    // A queue only (no topic: SNS's five minutes is too long for a test), reuse 60 s (SQS's least).
    let path = dir.join("env.toml");
    std::fs::write(
        &path,
        "[[queue]]\nid = \"capture\"\nname = \"speedscale-{tenant}-capture\"\ndata_key_reuse_seconds = 60\n",
    )
    .unwrap();
    let (code, report) = enable_with_config(&a, &path, &arn, &[]);
    assert_eq!(code, 0, "{report:#}");
    kms_as(&a.customer)
        .disable_key()
        .key_id(key_id(&arn))
        .send()
        .await
        .unwrap();
    // RDS detects the unusable key when it next looks (the local AWS: at the next read), then
    // reacts after rds_inaccessible.
    run_with_config(&a, &path, &["status", "--tenant", "acme"]);
    tokio::time::sleep(std::time::Duration::from_millis(1300)).await;
    let (code, report) = run_with_config(
        &a,
        &path,
        &["revoke-check", "--tenant", "acme", "--watch-key"],
    );
    let failed: Vec<&Value> = report["checks"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["status"] == "fail")
        .collect();
    assert!(failed.is_empty(), "{failed:#?}");
    let watch = checks(&report, "revoke-key-watch")[0];
    assert_eq!(watch["status"], "pass", "{watch}");
    assert!(
        watch["message"].as_str().unwrap().contains("over 60 s"),
        "{watch}"
    );
    let q = checks(&report, "revoke-sqs-queue")[0];
    assert_eq!(q["status"], "pass", "{q}");
    assert_eq!(
        (code, report["verdict"].as_str()),
        (0, Some("revoked")),
        "{report:#}"
    );
}

#[tokio::test]
async fn a_cluster_on_another_key_is_blocked_then_migrated_and_the_old_one_reported() {
    let a = accounts();
    let arn = good_key(&a).await;
    let dir = tempdir();
    let cfg = environment(&dir, 300);
    // The platform's cluster, on an AWS owned key (Aurora's default since 2026-02-18).
    let rds = rds_as(&a.speedscale);
    rds.create_db_cluster()
        .db_cluster_identifier("speedscale-acme-db")
        .engine("aurora-postgresql")
        .master_username("speedscale")
        .manage_master_user_password(true)
        .storage_encrypted(true)
        .send()
        .await
        .unwrap();
    let (code, report) = enable_with_config(&a, &cfg, &arn, &[]);
    assert_eq!(
        (code, report["verdict"].as_str()),
        (1, Some("blocked")),
        "{report:#}"
    );
    let db = report["changes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == "database")
        .unwrap();
    assert!(
        db["reason"]
            .as_str()
            .unwrap()
            .contains("--migrate-database"),
        "{db}"
    );
    // Blocked: nothing was created.
    let none = rds
        .describe_db_clusters()
        .db_cluster_identifier("speedscale-acme-db-cmek")
        .send()
        .await;
    assert!(none.is_err(), "{none:?}");

    let (code, report) = enable_with_config(&a, &cfg, &arn, &["--migrate-database"]);
    assert_eq!(code, 0, "{report:#}");
    let new = rds
        .describe_db_clusters()
        .db_cluster_identifier("speedscale-acme-db-cmek")
        .send()
        .await
        .unwrap();
    assert_eq!(new.db_clusters()[0].kms_key_id(), Some(arn.as_str()));
    let (_, status) = run_with_config(&a, &cfg, &["status", "--tenant", "acme"]);
    assert_eq!(
        rows_of(&status, "rds-cluster")[0]["resource"],
        "speedscale-acme-db-cmek",
        "{status:#}"
    );
    let old = rows_of(&status, "rds-replaced");
    assert_eq!(old.len(), 1, "{status:#}");
    assert_eq!(old[0]["resource"], "speedscale-acme-db");
    let snaps = rows_of(&status, "rds-cluster-snapshot");
    assert!(
        snaps
            .iter()
            .any(|s| s["resource"] == "speedscale-acme-db-pre-cmek"),
        "{status:#}"
    );
}

/// The SDK configuration of a session of `role_arn` (STS AssumeRole in Speedscale's account).
async fn config_as_role(a: &Accounts, role_arn: &str) -> aws_config::SdkConfig {
    let c = aws_sdk_sts::Client::new(&sdk_config(&a.speedscale))
        .assume_role()
        .role_arn(role_arn)
        .role_session_name("platform")
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
    sdk_config(&a.speedscale)
        .into_builder()
        .credentials_provider(aws_credential_types::provider::SharedCredentialsProvider::new(creds))
        .build()
}

/// A platform role trusting Speedscale's account, tagged for cmek's policies, allowed to use the
/// queue and topic themselves (what the platform gives it; the key is cmek's part).
async fn platform_role(a: &Accounts, name: &str) -> String {
    let iam = aws_sdk_iam::Client::new(&sdk_config(&a.speedscale));
    let trust = serde_json::json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
        "Principal": {"AWS": format!("arn:aws:iam::{}:root", a.speedscale)}, "Action": "sts:AssumeRole"}]});
    let arn = iam
        .create_role()
        .role_name(name)
        .assume_role_policy_document(trust.to_string())
        .tags(
            aws_sdk_iam::types::Tag::builder()
                .key("speedscale:cmek-producer")
                .value("true")
                .build()
                .unwrap(),
        )
        .send()
        .await
        .unwrap()
        .role
        .unwrap()
        .arn;
    let own = serde_json::json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
        "Action": ["sqs:*", "sns:Publish"], "Resource": "*"}]});
    iam.put_role_policy()
        .role_name(name)
        .policy_name("platform")
        .policy_document(own.to_string())
        .send()
        .await
        .unwrap();
    arn
}

#[tokio::test]
async fn queue_producers_consumers_and_topic_publishers_get_their_own_permission_on_the_key() {
    let a = accounts();
    let arn = good_key(&a).await;
    let producer = platform_role(&a, "capture-producer").await;
    let consumer = platform_role(&a, "capture-consumer").await;
    let publisher = platform_role(&a, "events-publisher").await;
    let stranger = platform_role(&a, "stranger").await;
    let dir = tempdir();
    let cfg = dir.join("env.toml");
    std::fs::write(
        &cfg,
        format!(
            r#"
[[queue]]
id = "capture"
name = "speedscale-{{tenant}}-capture"
producers = ["{producer}"]
consumers = ["{consumer}"]

[[topic]]
id = "events"
name = "speedscale-{{tenant}}-events"
queues = ["capture"]
publishers = ["{publisher}"]
"#
        ),
    )
    .unwrap();
    let (code, report) = enable_with_config(&a, &cfg, &arn, &[]);
    assert_eq!(code, 0, "{report:#}");
    let ids: Vec<&str> = report["changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_str().unwrap())
        .collect();
    for id in [
        format!("sqs-producer:capture:{producer}"),
        format!("sqs-consumer:capture:{consumer}"),
        format!("sns-publisher:events:{publisher}"),
    ] {
        assert!(ids.contains(&id.as_str()), "{id} in {ids:?}");
    }
    let iam = aws_sdk_iam::Client::new(&sdk_config(&a.speedscale));
    let doc = iam
        .get_role_policy()
        .role_name("capture-consumer")
        .policy_name("cmek-sqs-consumer-acme-capture")
        .send()
        .await
        .unwrap()
        .policy_document;
    let doc: Value = serde_json::from_str(&cmek::input::percent_decode(&doc)).unwrap();
    assert_eq!(
        doc["Statement"][0]["Action"],
        serde_json::json!(["kms:Decrypt"])
    );
    assert_eq!(
        doc["Statement"][0]["Condition"]["StringEquals"]["kms:ViaService"],
        format!("sqs.{REGION}.amazonaws.com")
    );

    // What the platform's roles can now do, through the services themselves.
    let url = queue_url(&a).await;
    let as_producer = aws_sdk_sqs::Client::new(&config_as_role(&a, &producer).await);
    as_producer
        .send_message()
        .queue_url(&url)
        .message_body("captured request")
        .send()
        .await
        .expect("the producer sends under the key");
    let as_stranger = aws_sdk_sqs::Client::new(&config_as_role(&a, &stranger).await);
    let refused = as_stranger
        .send_message()
        .queue_url(&url)
        .message_body("captured request")
        .send()
        .await;
    assert!(
        format!("{refused:?}").contains("KMS.AccessDeniedException"),
        "a role without the permission is refused: {refused:?}"
    );
    let as_publisher = aws_sdk_sns::Client::new(&config_as_role(&a, &publisher).await);
    as_publisher
        .publish()
        .topic_arn(format!(
            "arn:aws:sns:{REGION}:{}:speedscale-acme-events",
            a.speedscale
        ))
        .message("an event")
        .send()
        .await
        .expect("the publisher publishes under the key");
    // SNS delivered into the queue under the key (the template's SnsDeliversToSpeedscaleQueues),
    // and the consumer reads both messages.
    let as_consumer = aws_sdk_sqs::Client::new(&config_as_role(&a, &consumer).await);
    let got = as_consumer
        .receive_message()
        .queue_url(&url)
        .max_number_of_messages(10)
        .send()
        .await
        .expect("the consumer receives under the key");
    assert_eq!(got.messages().len(), 2, "{got:?}");

    let (_, status) = run_with_config(&a, &cfg, &["status", "--tenant", "acme"]);
    for kind in ["sqs-producer", "sqs-consumer", "sns-publisher"] {
        let r = rows_of(&status, kind);
        assert_eq!(r.len(), 1, "{kind}: {status:#}");
        assert_eq!(r[0]["state"], "ok", "{}", r[0]);
    }
    let (code, again) = enable_with_config(&a, &cfg, &arn, &[]);
    assert_eq!(
        (code, again["verdict"].as_str()),
        (0, Some("no-changes")),
        "{again:#}"
    );
}
