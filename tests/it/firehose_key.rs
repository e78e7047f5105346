//! Whether Firehose takes a customer key from another account for a stream's own encryption is not
//! documented (local AWS R11, unconfirmed: `firehose_cross_account_key`). cmek is tested under both
//! answers: where Firehose refuses it, enable stops before any change to the stream, names the
//! finding and the documented alternative (`encryption = "aws-owned"`: the S3 destination under the
//! key, the stream's own encryption AWS owned), and that alternative then holds end to end.

use std::path::PathBuf;

use serde_json::{json, Value};

use crate::common::*;

/// The built-in default environment, with the stream's own encryption as given.
fn config(a: &Accounts, encryption: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("cmek-fh-{}", a.speedscale));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(format!("{encryption}.toml"));
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
encryption = "{encryption}"

[database]
identifier = "speedscale-{{tenant}}"
"#
        ),
    )
    .unwrap();
    path
}

fn refuse_cross_account_keys(a: &Accounts, refuse: bool) {
    control(
        "POST",
        "/_localaws/config",
        Some(
            json!({"account": a.speedscale, "firehose_cross_account_key": if refuse { 0 } else { 1 }}),
        ),
    );
}

async fn describe(a: &Accounts) -> aws_sdk_firehose::types::DeliveryStreamDescription {
    firehose_as(&a.speedscale)
        .describe_delivery_stream()
        .delivery_stream_name(names(a).stream)
        .send()
        .await
        .unwrap()
        .delivery_stream_description
        .unwrap()
}

fn destination_key(d: &aws_sdk_firehose::types::DeliveryStreamDescription) -> Option<String> {
    d.destinations()[0]
        .extended_s3_destination_description()
        .and_then(|e| e.encryption_configuration())
        .and_then(|e| e.kms_encryption_config())
        .map(|k| k.awskms_key_arn().to_string())
}

/// The refused step's message: the finding, both possible causes, and the alternative.
fn assert_finding(report: &Value) {
    let stream = change(report, "stream:events");
    assert_eq!(stream["outcome"], "failed", "{report:#}");
    let msg = stream["results"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["outcome"] == "failed")
        .map(|r| r["message"].as_str().unwrap().to_string())
        .unwrap();
    for part in [
        "Firehose refused the key for the stream's own encryption",
        "from another account",
        "encryption = \"aws-owned\"",
        "up to 24 hours",
    ] {
        assert!(msg.contains(part), "{part:?} not in {msg}");
    }
}

/// Refused: a new stream is never created; under `aws-owned` it is, with the destination under the
/// key, status ok, and a disabled key revoked.
#[tokio::test]
async fn a_refused_key_creates_no_stream_and_the_aws_owned_alternative_holds_end_to_end() {
    let a = accounts();
    refuse_cross_account_keys(&a, true);
    let arn = good_key(&a).await;
    let (code, report) = enable_with_config(&a, &config(&a, "customer-key"), &arn, &[]);
    assert_eq!(code, 4, "{report:#}");
    assert_finding(&report);
    let err = firehose_as(&a.speedscale)
        .describe_delivery_stream()
        .delivery_stream_name(names(&a).stream)
        .send()
        .await
        .unwrap_err();
    assert_eq!(
        err.into_service_error().meta().code(),
        Some("ResourceNotFoundException")
    );

    let owned = config(&a, "aws-owned");
    let (code, report) = enable_with_config(&a, &owned, &arn, &[]);
    assert_eq!(code, 0, "{report:#}");
    let notes = change(&report, "stream:events")["notes"].to_string();
    assert!(notes.contains("firehose-aws-owned"), "{report:#}");
    let d = describe(&a).await;
    let sse = d.delivery_stream_encryption_configuration().unwrap();
    assert_eq!(sse.key_type().unwrap().as_str(), "AWS_OWNED_CMK");
    assert_eq!(sse.status().unwrap().as_str(), "ENABLED");
    assert_eq!(destination_key(&d).as_deref(), Some(arn.as_str()));

    let (code, st) = run_with_config(&a, &owned, &["status", "--tenant", "acme"]);
    assert_eq!(code, 0, "{st:#}");
    let row = resource_row(&st, "firehose-stream");
    assert_eq!(row["state"], "ok", "{row}");
    assert_eq!(row["expected_key"], "aws-owned", "{row}");

    disable_key(&a, &arn).await;
    // RDS reacts to a disabled key after a while (R12): the first check sees it still available.
    run_with_config(&a, &owned, &["revoke-check", "--tenant", "acme"]);
    tokio::time::sleep(std::time::Duration::from_millis(1300)).await;
    let (code, rc) = run_with_config(&a, &owned, &["revoke-check", "--tenant", "acme"]);
    assert_eq!(rc["verdict"], "revoked", "{rc:#}");
    assert_eq!(code, 0, "{rc:#}");
    let fh = rc["checks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == "revoke-firehose-encryption")
        .unwrap();
    // The stream still takes records, outside the key: a warning, not a failure (they reach S3
    // only under the key, if it comes back within 24 hours).
    assert_eq!(fh["status"], "warn", "{fh}");
    assert!(
        fh["message"].as_str().unwrap().contains("AWS owned"),
        "{fh}"
    );
}

/// An existing stream under both answers: accepted, it goes on the key; refused, nothing on it
/// changes (encryption stays off, the destination keeps its configuration) until `aws-owned`.
#[tokio::test]
async fn an_existing_stream_under_both_answers() {
    for refuse in [false, true] {
        let a = accounts();
        refuse_cross_account_keys(&a, refuse);
        let arn = good_key(&a).await;
        let n = names(&a);
        s3_as(&a.speedscale)
            .create_bucket()
            .bucket(&n.bucket)
            .send()
            .await
            .unwrap();
        firehose_as(&a.speedscale)
            .create_delivery_stream()
            .delivery_stream_name(&n.stream)
            .delivery_stream_type(aws_sdk_firehose::types::DeliveryStreamType::DirectPut)
            .extended_s3_destination_configuration(
                aws_sdk_firehose::types::ExtendedS3DestinationConfiguration::builder()
                    .role_arn(format!("arn:aws:iam::{}:role/app-firehose", a.speedscale))
                    .bucket_arn(format!("arn:aws:s3:::{}", n.bucket))
                    .build()
                    .unwrap(),
            )
            .send()
            .await
            .unwrap();
        tokio::time::sleep(std::time::Duration::from_millis(400)).await;
        let (code, report) = enable_with_config(&a, &config(&a, "customer-key"), &arn, &[]);
        let d = describe(&a).await;
        let sse = d.delivery_stream_encryption_configuration();
        if !refuse {
            assert_eq!(code, 0, "{report:#}");
            let sse = sse.unwrap();
            assert_eq!(sse.key_type().unwrap().as_str(), "CUSTOMER_MANAGED_CMK");
            assert_eq!(sse.status().unwrap().as_str(), "ENABLED");
            assert_eq!(destination_key(&d).as_deref(), Some(arn.as_str()));
            continue;
        }
        assert_eq!(code, 4, "{report:#}");
        assert_finding(&report);
        assert_ne!(
            sse.and_then(|s| s.status()).map(|s| s.as_str()),
            Some("ENABLED"),
            "{sse:?}"
        );
        assert_eq!(destination_key(&d), None, "the destination was changed");
        let results = change(&report, "stream:events")["results"].clone();
        let update = results
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["step"] == "update-destination-encryption")
            .unwrap_or_else(|| panic!("{results:#}"));
        assert_eq!(update["outcome"], "skipped", "{results:#}");

        let (code, report) = enable_with_config(&a, &config(&a, "aws-owned"), &arn, &[]);
        assert_eq!(code, 0, "{report:#}");
        let d = describe(&a).await;
        let sse = d.delivery_stream_encryption_configuration().unwrap();
        assert_eq!(sse.key_type().unwrap().as_str(), "AWS_OWNED_CMK");
        assert_eq!(sse.status().unwrap().as_str(), "ENABLED");
        assert_eq!(destination_key(&d).as_deref(), Some(arn.as_str()));
    }
}
