//! `cmek enable`, the real binary, cross-account against the local AWS.

use crate::common::*;

async fn assert_encrypted_with(a: &Accounts, arn: &str) {
    let n = names(a);
    let s3 = s3_as(&a.speedscale);
    let enc = s3
        .get_bucket_encryption()
        .bucket(&n.bucket)
        .send()
        .await
        .unwrap();
    let rule = &enc.server_side_encryption_configuration().unwrap().rules()[0];
    let default = rule.apply_server_side_encryption_by_default().unwrap();
    assert_eq!(default.sse_algorithm().as_str(), "aws:kms");
    assert_eq!(default.kms_master_key_id(), Some(arn));
    assert_eq!(rule.bucket_key_enabled(), Some(true));
    let pab = s3
        .get_public_access_block()
        .bucket(&n.bucket)
        .send()
        .await
        .unwrap();
    assert_eq!(
        pab.public_access_block_configuration()
            .unwrap()
            .block_public_acls(),
        Some(true)
    );
    let canary = s3
        .head_object()
        .bucket(&n.bucket)
        .key("speedscale-cmek/canary.txt")
        .send()
        .await
        .unwrap();
    assert_eq!(canary.ssekms_key_id(), Some(arn));

    let d = firehose_as(&a.speedscale)
        .describe_delivery_stream()
        .delivery_stream_name(&n.stream)
        .send()
        .await
        .unwrap();
    let d = d.delivery_stream_description().unwrap();
    assert_eq!(d.delivery_stream_type().as_str(), "DirectPut");
    let sse = d.delivery_stream_encryption_configuration().unwrap();
    assert_eq!(sse.key_type().unwrap().as_str(), "CUSTOMER_MANAGED_CMK");
    assert_eq!(sse.key_arn(), Some(arn));
    assert_eq!(sse.status().unwrap().as_str(), "ENABLED");
    let dest = d.destinations()[0]
        .extended_s3_destination_description()
        .unwrap();
    assert_eq!(
        dest.encryption_configuration()
            .unwrap()
            .kms_encryption_config()
            .unwrap()
            .awskms_key_arn(),
        arn
    );
    assert_eq!(
        dest.bucket_arn(),
        format!("arn:aws:s3:::{}", n.bucket).as_str()
    );

    let db = &db_instance(&a.speedscale, &n.database).await;
    assert_eq!(db.storage_encrypted(), Some(true));
    assert_eq!(db.kms_key_id(), Some(arn));
    assert_eq!(db.master_user_secret().unwrap().kms_key_id(), Some(arn));
    assert_eq!(db.deletion_protection(), Some(true));
    assert_eq!(db.copy_tags_to_snapshot(), Some(true));
    assert!(db
        .tag_list()
        .iter()
        .any(|t| t.key() == Some("speedscale:cmek-key-arn") && t.value() == Some(arn)));
}

#[tokio::test]
async fn from_an_empty_tenant_enable_encrypts_everything_and_a_second_run_changes_nothing() {
    let a = accounts();
    let arn = good_key(&a).await;
    let out = enable(&a, &arn, &[]);
    let report = json_out(&out);
    assert_eq!(out.status.code(), Some(0), "{report:#}\n{}", stderr(&out));
    assert_eq!(report["command"], "enable");
    assert_eq!(report["verdict"], "applied");
    assert_eq!(change(&report, "bucket:data")["action"], "create");
    assert_eq!(change(&report, "stream:events")["action"], "create");
    assert_eq!(change(&report, "database")["action"], "create");
    assert_eq!(change(&report, "database")["outcome"], "applied");
    assert!(report["audit"].as_str().unwrap().starts_with("s3://"));
    assert_encrypted_with(&a, &arn).await;

    clear_calls(&a.speedscale);
    let out = enable(&a, &arn, &[]);
    let report = json_out(&out);
    assert_eq!(out.status.code(), Some(0), "{report:#}\n{}", stderr(&out));
    assert_eq!(report["verdict"], "no-changes");
    assert_eq!(tenant_mutations(&a), Vec::<serde_json::Value>::new());
}

#[tokio::test]
async fn dry_run_plans_and_changes_nothing() {
    let a = accounts();
    let arn = good_key(&a).await;
    let out = enable(&a, &arn, &["--dry-run"]);
    let report = json_out(&out);
    assert_eq!(out.status.code(), Some(0), "{report:#}\n{}", stderr(&out));
    assert_eq!(report["verdict"], "planned");
    assert_eq!(report["dry_run"], true);
    for c in report["changes"].as_array().unwrap() {
        assert_eq!(c["outcome"], "planned", "{c}");
        assert!(c["reason"].as_str().unwrap().len() > 5);
    }
    assert_eq!(
        change(&report, "database")["notes"][0]["id"],
        "rds-key-fixed"
    );
    assert_no_mutations(&a.speedscale);
}

#[tokio::test]
async fn a_failing_verify_stops_enable_before_any_change() {
    let a = accounts();
    let arn = good_key(&a).await;
    disable_key(&a, &arn).await;
    let out = enable(&a, &arn, &[]);
    let report = json_out(&out);
    assert_eq!(out.status.code(), Some(1), "{report:#}");
    assert_eq!(report["verdict"], "failed");
    assert_eq!(report["verify"]["verdict"], "fail");
    assert!(report["verify"]["checks"]
        .as_array()
        .unwrap()
        .iter()
        .any(|c| c["id"] == "key-state" && c["status"] == "fail"));
    assert_no_mutations(&a.speedscale);
}

#[tokio::test]
async fn without_a_terminal_and_without_yes_enable_refuses_with_exit_2() {
    let a = accounts();
    let arn = good_key(&a).await;
    let out = cmek(
        &a.speedscale,
        &["enable", "--tenant", "acme", "--key-arn", &arn],
    );
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    let err = stderr(&out);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("--yes"), "{err}");
    assert!(calls(&a.speedscale).is_empty(), "no AWS call at all");
}

#[tokio::test]
async fn a_bucket_on_sse_s3_is_moved_to_the_key_and_old_objects_are_counted() {
    let a = accounts();
    let arn = good_key(&a).await;
    let n = names(&a);
    let s3 = s3_as(&a.speedscale);
    s3.create_bucket().bucket(&n.bucket).send().await.unwrap();
    for i in 0..3 {
        s3.put_object()
            .bucket(&n.bucket)
            .key(format!("old/{i}.json"))
            .body(b"{}".to_vec().into())
            .send()
            .await
            .unwrap();
    }
    let out = enable(&a, &arn, &["--dry-run"]);
    let report = json_out(&out);
    let bucket = change(&report, "bucket:data");
    assert_eq!(bucket["action"], "update", "{bucket:#}");
    assert!(bucket["reason"].as_str().unwrap().contains("SSE-S3"));
    let note = bucket["notes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|n| n["id"] == "s3-objects-keep-old-key")
        .expect("old objects named");
    assert!(note["message"].as_str().unwrap().starts_with("3 objects"));

    let out = enable(&a, &arn, &[]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_encrypted_with(&a, &arn).await;
    // Without --reencrypt-objects the old objects keep SSE-S3.
    let old = s3
        .head_object()
        .bucket(&n.bucket)
        .key("old/0.json")
        .send()
        .await
        .unwrap();
    assert_eq!(old.server_side_encryption().unwrap().as_str(), "AES256");
}

#[tokio::test]
async fn a_database_on_another_key_blocks_and_migration_restores_a_new_one() {
    let a = accounts();
    let arn = good_key(&a).await;
    let other = database_on_speedscale_key(&a).await;
    clear_calls(&a.speedscale);
    let out = enable(&a, &arn, &[]);
    let report = json_out(&out);
    assert_eq!(out.status.code(), Some(1), "{report:#}\n{}", stderr(&out));
    assert_eq!(report["verdict"], "blocked");
    let db = change(&report, "database");
    assert_eq!(db["action"], "blocked");
    assert!(db["reason"].as_str().unwrap().contains("speedscale-acme"));
    assert!(db["reason"]
        .as_str()
        .unwrap()
        .contains("--migrate-database"));
    assert_no_mutations(&a.speedscale);

    let out = enable(&a, &arn, &["--migrate-database"]);
    let report = json_out(&out);
    assert_eq!(out.status.code(), Some(0), "{report:#}\n{}", stderr(&out));
    let db = change(&report, "database");
    assert_eq!(db["resource"], "speedscale-acme-cmek");
    assert_eq!(db["outcome"], "applied");
    assert!(report["next"]
        .as_array()
        .unwrap()
        .iter()
        .any(|n| n.as_str().unwrap().contains("cut-over")));
    let new = db_instance(&a.speedscale, "speedscale-acme-cmek").await;
    assert_eq!(new.kms_key_id(), Some(arn.as_str()));
    // The restored database's own master password secret is under the key too: status shows no drift.
    assert_eq!(
        new.master_user_secret().and_then(|m| m.kms_key_id()),
        Some(arn.as_str())
    );
    let st = cmek(
        &a.speedscale,
        &["--output", "json", "status", "--tenant", "acme"],
    );
    let st = json_out(&st);
    let secret = st["resources"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| {
            r["kind"] == "rds-secret" && r["resource"] == "speedscale-acme-cmek/master-user-secret"
        })
        .unwrap_or_else(|| panic!("no secret row: {st:#}"));
    assert_eq!(secret["state"], "ok", "{secret}");
    let old = db_instance(&a.speedscale, "speedscale-acme").await;
    assert_eq!(old.kms_key_id(), Some(other.as_str()));
    assert_eq!(old.db_instance_status(), Some("available"));

    // Resumable and idempotent: a rerun changes nothing.
    clear_calls(&a.speedscale);
    let out = enable(&a, &arn, &["--migrate-database"]);
    assert_eq!(json_out(&out)["verdict"], "no-changes", "{}", stderr(&out));
    assert_eq!(tenant_mutations(&a), Vec::<serde_json::Value>::new());
}

#[tokio::test]
async fn reencryption_moves_2000_objects_and_an_interrupted_run_resumes() {
    let a = accounts();
    let arn = good_key(&a).await;
    let n = names(&a);
    let s3 = s3_as(&a.speedscale);
    s3.create_bucket().bucket(&n.bucket).send().await.unwrap();
    let other = speedscale_key(&a).await;
    let puts = (0..2000).map(|i| {
        let (s3, bucket, other) = (s3.clone(), n.bucket.clone(), other.clone());
        async move {
            let mut req = s3
                .put_object()
                .bucket(bucket)
                .key(format!("objects/{i:04}.json"))
                .body(format!("{{\"i\":{i}}}").into_bytes().into());
            if i % 2 == 1 {
                req = req
                    .server_side_encryption(aws_sdk_s3::types::ServerSideEncryption::AwsKms)
                    .ssekms_key_id(other);
            }
            req.send().await.unwrap();
        }
    });
    // 16 at a time: the test's own client has no retries, and 2,000 connections at once would
    // overflow the local AWS's listen backlog.
    use futures_util::stream::StreamExt;
    futures_util::stream::iter(puts)
        .buffer_unordered(16)
        .collect::<Vec<()>>()
        .await;

    // The 501st copy and every one after it are refused: the run stops part-way.
    fault(serde_json::json!({
        "match": {"account": a.speedscale, "operation": "CopyObject"},
        "skip": 500, "kind": "error", "status": 403, "code": "AccessDenied",
        "message": "because no identity-based policy allows the s3:PutObject action"
    }));
    let out = enable(&a, &arn, &["--reencrypt-objects"]);
    let report = json_out(&out);
    assert_eq!(out.status.code(), Some(4), "{report:#}\n{}", stderr(&out));
    assert_eq!(report["verdict"], "partial");
    let bucket = change(&report, "bucket:data");
    let step = bucket["results"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["step"] == "reencrypt-objects")
        .unwrap();
    assert_eq!(step["outcome"], "failed");
    assert!(
        step["message"]
            .as_str()
            .unwrap()
            .starts_with("500 of 2000 objects"),
        "{step}"
    );
    clear_faults(&a.speedscale);

    clear_calls(&a.speedscale);
    let out = enable(&a, &arn, &["--reencrypt-objects"]);
    let report = json_out(&out);
    assert_eq!(out.status.code(), Some(0), "{report:#}\n{}", stderr(&out));
    let copies = calls(&a.speedscale)
        .into_iter()
        .filter(|c| c["operation"] == "CopyObject")
        .count();
    assert_eq!(copies, 1500, "finished objects are not copied again");

    let heads = (0..2000).map(|i| {
        let (s3, bucket) = (s3.clone(), n.bucket.clone());
        async move {
            s3.head_object()
                .bucket(bucket)
                .key(format!("objects/{i:04}.json"))
                .send()
                .await
                .unwrap()
                .ssekms_key_id()
                .map(str::to_string)
        }
    });
    let keys: Vec<Option<String>> = futures_util::stream::iter(heads)
        .buffer_unordered(16)
        .collect()
        .await;
    assert!(keys.iter().all(|k| k.as_deref() == Some(arn.as_str())));
    let body = object_body(&a.speedscale, &n.bucket, "objects/0007.json").await;
    assert_eq!(&body[..], b"{\"i\":7}", "content kept");
}

#[tokio::test]
async fn two_concurrent_runs_on_one_tenant_exactly_one_applies() {
    let a = accounts();
    let arn = good_key(&a).await;
    // Only the run holding the lock creates the database: slow that down, so the winner still
    // holds the lock when the other run asks for it, however busy the machine is.
    fault(serde_json::json!({
        "match": {"account": a.speedscale, "operation": "CreateDBInstance"},
        "kind": "latency", "ms": 3000
    }));
    let (x, y) = std::thread::scope(|s| {
        let x = s.spawn(|| enable(&a, &arn, &[]));
        let y = s.spawn(|| enable(&a, &arn, &[]));
        (x.join().unwrap(), y.join().unwrap())
    });
    let mut codes = [x.status.code(), y.status.code()];
    codes.sort();
    assert_eq!(codes, [Some(0), Some(3)], "{}\n{}", stderr(&x), stderr(&y));
    let loser = if x.status.code() == Some(3) { &x } else { &y };
    let err = stderr(loser);
    assert!(
        err.contains("is locked by") && err.contains("expires"),
        "{err}"
    );
    assert!(err.contains("--break-lock"), "{err}");
    let winner = if x.status.code() == Some(0) { &x } else { &y };
    assert_eq!(json_out(winner)["verdict"], "applied");
}

fn put_lock(a: &Accounts, run: &str, expires: u64) -> impl std::future::Future<Output = ()> {
    let n = names(a);
    let s3 = s3_as(&a.speedscale);
    let body = serde_json::json!({
        "tenant": "acme", "holder": "arn:aws:iam::222200000000:user/crashed",
        "run_id": run, "acquired": 1, "expires": expires
    });
    async move {
        let _ = s3.create_bucket().bucket(&n.registry).send().await;
        s3.put_object()
            .bucket(&n.registry)
            .key("cmek/locks/acme.json")
            .body(body.to_string().into_bytes().into())
            .send()
            .await
            .unwrap();
    }
}

#[tokio::test]
async fn a_lock_left_by_a_crashed_run_expires_and_a_live_one_is_broken_only_by_name() {
    let a = accounts();
    let arn = good_key(&a).await;
    put_lock(&a, "dead01", 2).await;
    let out = enable(&a, &arn, &[]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "expired lock taken over: {}",
        stderr(&out)
    );

    let far = 4_000_000_000;
    put_lock(&a, "beef02", far).await;
    let out = enable(&a, &arn, &["--reencrypt-objects"]);
    assert_eq!(out.status.code(), Some(0), "no changes needs no lock");
    let s3 = s3_as(&a.speedscale);
    set_default_encryption(&s3, &names(&a).bucket, None).await;
    let out = enable(&a, &arn, &[]);
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    assert!(stderr(&out).contains("beef02"));
    let out = enable(&a, &arn, &["--break-lock", "abc123"]);
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("held by run beef02"),
        "{}",
        stderr(&out)
    );
    let out = enable(&a, &arn, &["--break-lock", "beef02"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_encrypted_with(&a, &arn).await;
    // Released at the end of the run.
    let lock = s3
        .get_object()
        .bucket(names(&a).registry)
        .key("cmek/locks/acme.json")
        .send()
        .await;
    assert!(lock.is_err(), "lock released");
}

/// Runs enable from an empty tenant with a fault on the Nth mutating call to a tenant resource.
fn interrupted_at(n: usize, when: &str) {
    let rt = tokio::runtime::Runtime::new().unwrap();
    let a = accounts();
    let arn = rt.block_on(good_key(&a));
    let registry = names(&a).registry;
    let kind = if when == "before" { "http5xx" } else { "drop" };
    fault(serde_json::json!({
        "match": {"account": a.speedscale, "mutating": true, "path_excludes": registry},
        "skip": n - 1, "sticky": true, "when": when, "kind": kind
    }));
    let out = enable(&a, &arn, &[]);
    let report = json_out(&out);
    assert_eq!(
        out.status.code(),
        Some(4),
        "step {n} {when}: {report:#}\n{}",
        stderr(&out)
    );
    assert_eq!(report["verdict"], "partial");
    let failed: Vec<&serde_json::Value> = report["changes"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|c| c["results"].as_array().unwrap())
        .filter(|s| s["outcome"] == "failed")
        .collect();
    assert!(!failed.is_empty(), "step {n} {when}: {report:#}");
    if when == "before" {
        // Accurate: every applied mutating step made exactly one successful tenant mutation.
        let applied = report["applied"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|s| !s.as_str().unwrap().contains(" wait-"))
            .filter(|s| !s.as_str().unwrap().starts_with("record "))
            // The key's claim, like the record, is a registry write; so are the registry's
            // protections, and the evidence key is the environment's, not the tenant's.
            .filter(|s| !s.as_str().unwrap().starts_with("key "))
            .filter(|s| !s.as_str().unwrap().starts_with("registry "))
            .filter(|s| !s.as_str().unwrap().starts_with("evidence-key "))
            .count();
        assert_eq!(
            applied,
            tenant_mutations(&a).len(),
            "step {n}: {report:#}\n{:#?}",
            tenant_mutations(&a)
        );
    } else {
        let lost = failed[0]["message"].as_str().unwrap();
        assert!(lost.contains("may or may not have happened"), "{lost}");
    }
    clear_faults(&a.speedscale);
    let out = enable(&a, &arn, &[]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "resume after step {n} {when}: {}",
        stderr(&out)
    );
    let out = enable(&a, &arn, &[]);
    assert_eq!(json_out(&out)["verdict"], "no-changes", "step {n} {when}");
    rt.block_on(async {
        assert_encrypted_with(&a, &arn).await;
        let streams = firehose_as(&a.speedscale)
            .list_delivery_streams()
            .send()
            .await
            .unwrap();
        assert_eq!(streams.delivery_stream_names().len(), 1);
        let dbs = rds_as(&a.speedscale)
            .describe_db_instances()
            .send()
            .await
            .unwrap();
        assert_eq!(dbs.db_instances().len(), 1);
    });
}

#[test]
fn a_failure_at_every_mutating_step_stops_with_exit_4_and_a_rerun_converges() {
    // How many tenant mutations an uninterrupted run makes.
    let rt = tokio::runtime::Runtime::new().unwrap();
    let a = accounts();
    let arn = rt.block_on(good_key(&a));
    let out = enable(&a, &arn, &[]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let steps = tenant_mutations(&a).len();
    assert!(steps >= 10, "{:#?}", tenant_mutations(&a));
    let cases: Vec<(usize, &str)> = (1..=steps)
        .flat_map(|n| [(n, "before"), (n, "after")])
        .collect();
    let next = std::sync::atomic::AtomicUsize::new(0);
    std::thread::scope(|s| {
        for _ in 0..3 {
            s.spawn(|| loop {
                let i = next.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                let Some(&(n, when)) = cases.get(i) else {
                    break;
                };
                interrupted_at(n, when);
            });
        }
    });
}

#[tokio::test]
async fn one_lost_answer_is_absorbed_by_the_retry_and_the_idempotent_create() {
    let a = accounts();
    let arn = good_key(&a).await;
    fault(serde_json::json!({
        "match": {"account": a.speedscale, "operation": "CreateDeliveryStream"},
        "times": 1, "when": "after", "kind": "drop"
    }));
    let out = enable(&a, &arn, &[]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let report = json_out(&out);
    let create = &change(&report, "stream:events")["results"][0];
    assert_eq!(create["message"], "already existed", "{create}");
    let streams = firehose_as(&a.speedscale)
        .list_delivery_streams()
        .send()
        .await
        .unwrap();
    assert_eq!(streams.delivery_stream_names().len(), 1);
}

#[tokio::test]
async fn ctrl_c_during_apply_releases_the_lock_and_says_what_was_applied() {
    let a = accounts();
    let arn = good_key(&a).await;
    let n = names(&a);
    // Each DescribeDBInstances takes 1.5 s: the run is still waiting for the database when the
    // engineer presses Ctrl-C.
    fault(serde_json::json!({
        "match": {"account": a.speedscale, "operation": "DescribeDBInstances"},
        "kind": "latency", "ms": 1500
    }));
    let child = cmek_command(&a.speedscale, &enable_args(&arn, &[]))
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let s3 = s3_as(&a.speedscale);
    let mut locked = false;
    for _ in 0..200 {
        if s3
            .head_object()
            .bucket(&n.registry)
            .key("cmek/locks/acme.json")
            .send()
            .await
            .is_ok()
        {
            locked = true;
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert!(locked, "the run took the lock");
    // Interrupt once the bucket exists (the database is still being waited for, 1.5 s per look).
    for _ in 0..200 {
        if s3.head_bucket().bucket(&n.bucket).send().await.is_ok() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    let kill = std::process::Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(kill.success());
    let out = child.wait_with_output().unwrap();
    clear_faults(&a.speedscale);
    assert_eq!(out.status.code(), Some(130), "{}", stderr(&out));
    let report = json_out(&out);
    assert_eq!(report["verdict"], "partial");
    let applied = report["applied"].as_array().unwrap();
    assert!(
        applied.iter().any(|s| s == "bucket:data create-bucket"),
        "{report:#}"
    );
    assert!(report["audit"].as_str().is_some());
    let lock = s3
        .head_object()
        .bucket(&n.registry)
        .key("cmek/locks/acme.json")
        .send()
        .await;
    assert!(lock.is_err(), "lock released on Ctrl-C");
    let out = enable(&a, &arn, &[]);
    assert_eq!(out.status.code(), Some(0), "resumes: {}", stderr(&out));
}

#[tokio::test]
async fn a_held_lock_is_renewed_and_a_broken_one_is_noticed() {
    let a = accounts();
    let arn = good_key(&a).await;
    let config = sdk_config(&a.speedscale);
    let clients = cmek::aws::Clients::new(&config, Some(&local_aws().url));
    let t = cmek::shared::tenancy::Tenancy::new(
        "acme".parse().unwrap(),
        arn.parse().unwrap(),
        &a.speedscale,
        REGION,
        cmek::environment::Environment::default(),
        None,
    );
    let registry = cmek::services::registry::Registry::new(&t);
    registry.ensure(&clients).await.unwrap();
    let mut lock = registry
        .acquire(&clients, "acme", "me", "aa01", None)
        .await
        .unwrap()
        .unwrap();
    let first = lock.expires;
    tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
    assert!(registry.renew(&clients, &mut lock).await.unwrap());
    assert!(lock.expires > first, "extended");
    let other = registry
        .acquire(&clients, "acme", "someone", "bb02", Some("aa01"))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(other.run_id, "bb02");
    assert!(
        !registry.renew(&clients, &mut lock).await.unwrap(),
        "broken: no longer ours"
    );
    registry.release(&clients, &lock).await.unwrap();
    assert_eq!(
        registry
            .read_lock(&clients, "acme")
            .await
            .unwrap()
            .unwrap()
            .run_id,
        "bb02",
        "releasing a lock that is no longer ours leaves the new holder's"
    );
}

/// Runs enable on a pseudo-terminal (util-linux `script`, essential on Debian-based systems),
/// typing `answer` at the confirmation prompt.
fn enable_on_a_terminal(a: &Accounts, arn: &str, answer: &str) -> (Option<i32>, String) {
    use std::io::Write;
    let line = format!(
        "{} enable --tenant acme --key-arn {arn}",
        env!("CARGO_BIN_EXE_cmek")
    );
    let mut child = std::process::Command::new("script")
        .env_clear()
        .envs(cmek_env(&a.speedscale))
        // A terminal has a TERM; without one, indicatif draws nothing.
        .env("TERM", "xterm-256color")
        .args(["-qec", &line, "/dev/null"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("script (util-linux) runs enable on a pseudo-terminal");
    let mut stdin = child.stdin.take().unwrap();
    std::thread::sleep(std::time::Duration::from_secs(3));
    writeln!(stdin, "{answer}").unwrap();
    let out = child.wait_with_output().unwrap();
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
    )
}

#[tokio::test]
async fn on_a_terminal_enable_asks_and_applies_only_on_yes() {
    let a = accounts();
    let arn = good_key(&a).await;
    let (code, screen) = enable_on_a_terminal(&a, &arn, "no");
    assert_eq!(code, Some(2), "{screen}");
    assert!(screen.contains("Type yes to apply"), "{screen}");
    assert!(
        screen.contains("not confirmed: nothing changed"),
        "{screen}"
    );
    assert!(
        tenant_mutations(&a).is_empty(),
        "{:#?}",
        tenant_mutations(&a)
    );

    let (code, screen) = enable_on_a_terminal(&a, &arn, "yes");
    assert_eq!(code, Some(0), "{screen}");
    assert!(
        screen.contains("✓ bucket:data"),
        "a line per step: {screen}"
    );
    assert!(screen.contains("enable: applied"), "{screen}");
    assert_encrypted_with(&a, &arn).await;
}

/// The template before it named Secrets Manager: the key policy lets Speedscale use the key through
/// S3, Firehose and RDS only. Secrets Manager encrypts the database's master password secret itself
/// (through secretsmanager.<region>), so creating the database fails; verify names the statement.
#[tokio::test]
async fn a_key_policy_without_secrets_manager_fails_the_database_and_verify_names_it() {
    let a = accounts();
    let statements: Vec<serde_json::Value> = speedscale_statements(&a)
        .into_iter()
        .map(|mut st| {
            if st["Sid"] == "SpeedscaleUseThroughServices" {
                let via = st["Condition"]["StringEquals"]["kms:ViaService"]
                    .as_array_mut()
                    .unwrap();
                via.retain(|v| !v.as_str().unwrap().starts_with("secretsmanager."));
            }
            st
        })
        .collect();
    let arn = create_key(
        &a,
        &key_policy(&a, &statements),
        aws_sdk_kms::types::KeySpec::SymmetricDefault,
        aws_sdk_kms::types::KeyUsageType::EncryptDecrypt,
    )
    .await;
    let out = verify(&a, &arn, &["--output", "json"]);
    let report = json_out(&out);
    let rds = check(&report, "rds-via-service");
    assert!(
        rds["message"].as_str().unwrap().contains("Secrets Manager"),
        "{rds}"
    );
    assert!(
        rds["remedy"]
            .as_str()
            .unwrap()
            .contains(&format!("secretsmanager.{REGION}.amazonaws.com")),
        "{rds}"
    );
    let out = enable(&a, &arn, &[]);
    let report = json_out(&out);
    assert_eq!(out.status.code(), Some(4), "{report:#}\n{}", stderr(&out));
    let db = change(&report, "database");
    assert_eq!(db["outcome"], "failed", "{db}");
    let step = db["results"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["outcome"] == "failed")
        .unwrap();
    assert_eq!(step["aws_error"], "KMSKeyNotAccessibleFault", "{step}");
    assert!(
        step["message"]
            .as_str()
            .unwrap()
            .contains("secretsmanager."),
        "{step}"
    );
}
