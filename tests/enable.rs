//! `cmek enable`, the real binary, cross-account against the local AWS.

mod common;

use common::*;

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
    let dest = d.destinations()[0].extended_s3_destination_description().unwrap();
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

    let db = rds_as(&a.speedscale)
        .describe_db_instances()
        .db_instance_identifier(&n.database)
        .send()
        .await
        .unwrap();
    let db = &db.db_instances()[0];
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
