//! A fleet of onboarded tenants seeded straight into the local AWS (running `enable` hundreds of
//! times would test enable, not the fleet view), and the local AWS's request quotas (R13).

use aws_sdk_s3::types as s3t;
use futures_util::stream::{self, StreamExt};
use serde_json::{json, Value};

use super::*;

/// The registry bucket of the default environment.
pub fn registry_bucket(a: &Accounts) -> String {
    format!("speedscale-cmek-{}-{REGION}", a.speedscale)
}

/// The tenant id of seed number `i`.
pub fn fleet_tenant(i: usize) -> String {
    format!("tenant-{i:04}")
}

/// Seeds `n` tenants the way `enable` leaves them, all under `arn`: the registry bucket, then per
/// tenant a bucket under the key with its canary, a stream and destination under the key, a
/// database under the key, and the record.
pub async fn seed_fleet(a: &Accounts, arn: &str, n: usize) {
    let s3 = s3_as(&a.speedscale);
    let _ = s3.create_bucket().bucket(registry_bucket(a)).send().await;
    stream::iter(0..n)
        .for_each_concurrent(16, |i| async move { seed_tenant(a, arn, i).await })
        .await;
}

/// Writes (or rewrites) a tenant's record in the registry.
pub async fn write_record(a: &Accounts, tenant: &str, arn: &str, enabled_by: &str) {
    let record = json!({
        "schema_version": 1, "tenant": tenant, "key_arn": arn, "environment": "default",
        "account": a.speedscale, "region": REGION,
        "resources": {
            "buckets": [format!("speedscale-{tenant}-data-{}", a.speedscale)],
            "streams": [format!("speedscale-{tenant}-events")],
            "database": format!("speedscale-{tenant}")
        },
        "enabled_by": enabled_by, "enabled_at": "2026-11-27T00:00:00Z", "updated_by": enabled_by,
        "updated_at": "2026-11-27T00:00:00Z", "cmek_version": "seed"
    });
    s3_as(&a.speedscale)
        .put_object()
        .bucket(registry_bucket(a))
        .key(format!("cmek/tenants/{tenant}.json"))
        .body(record.to_string().into_bytes().into())
        .send()
        .await
        .unwrap();
}

async fn seed_tenant(a: &Accounts, arn: &str, i: usize) {
    let tenant = fleet_tenant(i);
    let s3 = s3_as(&a.speedscale);
    let bucket = format!("speedscale-{tenant}-data-{}", a.speedscale);
    s3.create_bucket().bucket(&bucket).send().await.unwrap();
    set_default_encryption(&s3, &bucket, Some(arn)).await;
    s3.put_object()
        .bucket(&bucket)
        .key("speedscale-cmek/canary.txt")
        .server_side_encryption(s3t::ServerSideEncryption::AwsKms)
        .ssekms_key_id(arn)
        .body(b"canary".to_vec().into())
        .send()
        .await
        .unwrap();
    use aws_sdk_firehose::types as fh;
    firehose_as(&a.speedscale)
        .create_delivery_stream()
        .delivery_stream_name(format!("speedscale-{tenant}-events"))
        .delivery_stream_encryption_configuration_input(
            fh::DeliveryStreamEncryptionConfigurationInput::builder()
                .key_type(fh::KeyType::CustomerManagedCmk)
                .key_arn(arn)
                .build()
                .unwrap(),
        )
        .extended_s3_destination_configuration(
            fh::ExtendedS3DestinationConfiguration::builder()
                .role_arn(format!("arn:aws:iam::{}:role/r", a.speedscale))
                .bucket_arn(format!("arn:aws:s3:::{bucket}"))
                .encryption_configuration(
                    fh::EncryptionConfiguration::builder()
                        .kms_encryption_config(
                            fh::KmsEncryptionConfig::builder()
                                .awskms_key_arn(arn)
                                .build()
                                .unwrap(),
                        )
                        .build(),
                )
                .build()
                .unwrap(),
        )
        .send()
        .await
        .unwrap();
    // One CreateDBInstance at a time: moto's Secrets Manager backend is not thread-safe (a managed
    // master password secret created concurrently fails with "dictionary changed size during
    // iteration"). A harness limit, not AWS behaviour.
    static RDS_CREATE: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());
    let _one = RDS_CREATE.lock().await;
    rds_as(&a.speedscale)
        .create_db_instance()
        .db_instance_identifier(format!("speedscale-{tenant}"))
        .engine("postgres")
        .db_instance_class("db.t4g.micro")
        .allocated_storage(20)
        .master_username("app")
        .manage_master_user_password(true)
        .master_user_secret_kms_key_id(arn)
        .storage_encrypted(true)
        .kms_key_id(arn)
        .send()
        .await
        .unwrap();
    write_record(a, &tenant, arn, "seed").await;
}

/// Switches the local AWS's request quotas on (or off) for `account` (R13); `strict`: one call at
/// a time where AWS documents no burst.
pub fn set_quotas(account: &str, enabled: bool, strict: bool) -> Value {
    control(
        "POST",
        "/_localaws/quotas",
        Some(json!({"account": account, "enabled": enabled,
                    "burst": if strict { "strict" } else { "one-second" }})),
    )
}

/// How many of `account`'s calls the local AWS refused for its quotas.
pub fn throttled(account: &str) -> u64 {
    control("GET", &format!("/_localaws/quotas?account={account}"), None)["throttled"]
        .as_u64()
        .unwrap_or(0)
}

/// `account`'s calls counted by operation.
pub fn calls_by_operation(account: &str) -> std::collections::BTreeMap<String, usize> {
    let mut out = std::collections::BTreeMap::new();
    for c in calls(account) {
        *out.entry(c["operation"].as_str().unwrap_or("").to_string())
            .or_insert(0) += 1;
    }
    out
}
