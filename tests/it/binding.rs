//! One tenant, one customer, one key: a key's claim in the registry, `--share-key-with` within one
//! customer account, `--new-customer-account`, two runs racing for one new key, and tenant ids
//! whose names would be another tenant's.

use serde_json::Value;

use crate::common::*;

fn enable_as(a: &Accounts, tenant: &str, arn: &str, extra: &[&str]) -> (i32, Value) {
    let mut args = vec![
        "--output",
        "json",
        "enable",
        "--tenant",
        tenant,
        "--key-arn",
        arn,
        "--yes",
    ];
    args.extend(extra);
    let out = cmek(&a.speedscale, &args);
    (out.status.code().unwrap_or(-1), json_out(&out))
}

async fn registry_object(a: &Accounts, key: &str) -> Option<Value> {
    let out = s3_as(&a.speedscale)
        .get_object()
        .bucket(names(a).registry)
        .key(key)
        .send()
        .await
        .ok()?;
    let bytes = out.body.collect().await.ok()?.into_bytes();
    serde_json::from_slice(&bytes).ok()
}

fn claim_path(arn: &str) -> String {
    let parts: Vec<&str> = arn.split(':').collect();
    format!("cmek/keys/{}/{}/{}.json", parts[3], parts[4], key_id(arn))
}

/// The newest audit event of a tenant.
async fn last_audit(a: &Accounts, tenant: &str) -> Value {
    let s3 = s3_as(&a.speedscale);
    let list = s3
        .list_objects_v2()
        .bucket(names(a).registry)
        .prefix(format!("cmek/audit/{tenant}/"))
        .send()
        .await
        .unwrap();
    let mut keys: Vec<String> = list
        .contents()
        .iter()
        .filter_map(|o| o.key().map(str::to_string))
        .collect();
    keys.sort();
    registry_object(a, keys.last().expect("an audit event"))
        .await
        .unwrap()
}

#[tokio::test]
async fn a_key_claimed_by_one_tenant_blocks_another_until_shared_within_one_customer() {
    let a = accounts();
    let arn = good_key(&a).await;
    let (code, v) = enable_as(&a, "acme", &arn, &[]);
    assert_eq!(code, 0, "{v:#}");
    let claim = registry_object(&a, &claim_path(&arn)).await.expect("claim");
    assert_eq!(claim["tenant"], "acme");
    assert_eq!(claim["customer_account"], a.customer.as_str());
    let acme = registry_object(&a, "cmek/tenants/acme.json").await.unwrap();
    assert_eq!(acme["customer_account"], a.customer.as_str());

    // globex on acme's key: blocked, acme named, nothing changed (no lock either).
    clear_calls(&a.speedscale);
    let (code, v) = enable_as(&a, "globex", &arn, &[]);
    assert_eq!(code, 1, "{v:#}");
    assert_eq!(v["verdict"], "blocked");
    let key = change(&v, "key");
    assert!(
        key["reason"]
            .as_str()
            .unwrap()
            .contains("claimed by tenant acme"),
        "{key}"
    );
    assert_no_mutations(&a.speedscale);
    let out = cmek(
        &a.speedscale,
        &[
            "--output",
            "json",
            "verify",
            "--tenant",
            "globex",
            "--key-arn",
            &arn,
        ],
    );
    assert_eq!(out.status.code(), Some(1));
    let report = json_out(&out);
    let c = check(&report, "key-tenant-claim");
    assert_eq!(c["status"], "fail", "{c}");
    assert!(
        c["message"].as_str().unwrap().contains("tenant acme"),
        "{c}"
    );

    // Shared with acme, same customer account: applied; both records and the claim say so.
    let (code, v) = enable_as(&a, "globex", &arn, &["--share-key-with", "acme"]);
    assert_eq!(code, 0, "{v:#}");
    let claim = registry_object(&a, &claim_path(&arn)).await.unwrap();
    assert_eq!(claim["tenant"], "acme");
    assert_eq!(claim["shared_with"], serde_json::json!(["globex"]));
    let globex = registry_object(&a, "cmek/tenants/globex.json")
        .await
        .unwrap();
    assert_eq!(globex["shared_key_with"], serde_json::json!(["acme"]));
    let acme = registry_object(&a, "cmek/tenants/acme.json").await.unwrap();
    assert_eq!(acme["shared_key_with"], serde_json::json!(["globex"]));
    let event = last_audit(&a, "globex").await;
    assert_eq!(event["share_key_with"], "acme");
    // A rerun needs no option now: the key is shared with globex.
    let (code, v) = enable_as(&a, "globex", &arn, &[]);
    assert_eq!(
        (code, v["verdict"].as_str()),
        (0, Some("no-changes")),
        "{v:#}"
    );
}

#[tokio::test]
async fn two_runs_for_two_tenants_with_one_new_key_exactly_one_applies() {
    let a = accounts();
    let arn = good_key(&a).await;
    let spawn = |tenant: &str| {
        cmek_command(
            &a.speedscale,
            &[
                "--output",
                "json",
                "enable",
                "--tenant",
                tenant,
                "--key-arn",
                &arn,
                "--yes",
            ],
        )
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap()
    };
    let (one, two) = (spawn("alpha"), spawn("bravo"));
    let (one, two) = (
        one.wait_with_output().unwrap(),
        two.wait_with_output().unwrap(),
    );
    let codes = [one.status.code(), two.status.code()];
    assert!(
        codes.contains(&Some(0)) && codes.contains(&Some(1)),
        "{codes:?}\n{}\n{}",
        stdout(&one),
        stdout(&two)
    );
    let (winner, loser) = if codes[0] == Some(0) {
        ("alpha", "bravo")
    } else {
        ("bravo", "alpha")
    };
    let claim = registry_object(&a, &claim_path(&arn)).await.unwrap();
    assert_eq!(claim["tenant"], winner);
    // The loser changed nothing of its own: no bucket, no record.
    let bucket = format!("speedscale-{loser}-data-{}", a.speedscale);
    assert!(s3_as(&a.speedscale)
        .head_bucket()
        .bucket(&bucket)
        .send()
        .await
        .is_err());
    assert!(registry_object(&a, &format!("cmek/tenants/{loser}.json"))
        .await
        .is_none());
}

#[tokio::test]
async fn a_key_of_another_customer_account_needs_new_customer_account_and_the_audit_keeps_both() {
    let a = accounts();
    let arn = good_key(&a).await;
    let (code, v) = enable_as(&a, "acme", &arn, &[]);
    assert_eq!(code, 0, "{v:#}");
    // A key in another customer's account, for the same Speedscale account.
    let b = Accounts {
        customer: format!("33{}", &accounts().customer[2..]),
        speedscale: a.speedscale.clone(),
    };
    let other = good_key(&b).await;
    clear_calls(&a.speedscale);
    let (code, v) = enable_as(&a, "acme", &other, &["--migrate-database"]);
    assert_eq!(code, 1, "{v:#}");
    assert_eq!(v["verdict"], "blocked");
    let key = change(&v, "key");
    let reason = key["reason"].as_str().unwrap();
    assert!(
        reason.contains(&a.customer) && reason.contains(&b.customer),
        "{reason}"
    );
    assert_no_mutations(&a.speedscale);

    let (code, v) = enable_as(
        &a,
        "acme",
        &other,
        &["--migrate-database", "--new-customer-account"],
    );
    assert_eq!(code, 0, "{v:#}");
    let event = last_audit(&a, "acme").await;
    assert_eq!(event["key_arn"], other.as_str());
    assert_eq!(event["previous_key_arn"], arn.as_str());
    assert_eq!(event["customer_account"], b.customer.as_str());
    assert_eq!(event["previous_customer_account"], a.customer.as_str());
    assert_eq!(event["new_customer_account"], true);
    let acme = registry_object(&a, "cmek/tenants/acme.json").await.unwrap();
    assert_eq!(acme["customer_account"], b.customer.as_str());
}

#[tokio::test]
async fn a_tenant_whose_names_are_another_tenants_is_refused_and_nothing_of_theirs_is_adopted() {
    let a = accounts();
    let arn = good_key(&a).await;
    let (code, v) = enable_as(&a, "acme", &arn, &[]);
    assert_eq!(code, 0, "{v:#}");
    // acme-cmek's database would be acme's migration target: refused as input, whatever the
    // options, before any change.
    clear_calls(&a.speedscale);
    for extra in [&[][..], &["--share-key-with", "acme"][..]] {
        let mut args = vec![
            "enable",
            "--tenant",
            "acme-cmek",
            "--key-arn",
            &arn,
            "--yes",
        ];
        args.extend(extra);
        let out = cmek(&a.speedscale, &args);
        assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
        let err = stderr(&out);
        assert!(
            err.contains("speedscale-acme-cmek") && err.contains("tenant acme's database"),
            "{err}"
        );
        assert_eq!(err.trim().lines().count(), 1, "{err}");
    }
    assert_no_mutations(&a.speedscale);
    let db = db_instance(&a.speedscale, "speedscale-acme").await;
    assert!(db
        .tag_list()
        .iter()
        .any(|t| t.key() == Some("speedscale:tenant") && t.value() == Some("acme")));

    // A resource named for another tenant but tagged as acme's is never adopted or re-tagged.
    let s3 = s3_as(&a.speedscale);
    let bucket = format!("speedscale-initech-data-{}", a.speedscale);
    s3.create_bucket().bucket(&bucket).send().await.unwrap();
    let tag = aws_sdk_s3::types::Tag::builder()
        .key("speedscale:tenant")
        .value("acme")
        .build()
        .unwrap();
    s3.put_bucket_tagging()
        .bucket(&bucket)
        .tagging(
            aws_sdk_s3::types::Tagging::builder()
                .tag_set(tag)
                .build()
                .unwrap(),
        )
        .send()
        .await
        .unwrap();
    let other = good_key(&a).await;
    clear_calls(&a.speedscale);
    let (code, v) = enable_as(&a, "initech", &other, &[]);
    assert_eq!(code, 1, "{v:#}");
    let b = change(&v, "bucket:data");
    assert_eq!(b["action"], "blocked", "{b}");
    assert!(
        b["reason"]
            .as_str()
            .unwrap()
            .contains("tagged speedscale:tenant = acme"),
        "{b}"
    );
    assert_no_mutations(&a.speedscale);
}
