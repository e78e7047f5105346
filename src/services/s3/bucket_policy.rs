//! Bucket policies cmek writes: the statements of a tenant bucket (no request without TLS, no write
//! that asks for an encryption other than the tenant's key), and the merge that keeps every
//! statement cmek did not write (the registry's use it too).
//!
//! AWS, read 2026-12-02: S3 user guide, bucket policy examples, the `aws:SecureTransport` deny
//! (Prowler's `s3_bucket_secure_transport_policy` looks for a Deny with `Bool aws:SecureTransport
//! "false"`); PutObject: with `aws:kms` and no key id "Amazon S3 uses the AWS managed key (aws/s3)
//! to protect the data", so that write is denied too. A write that sends no encryption header
//! relies on the bucket's default encryption (the tenant's key) and is allowed: Speedscale's
//! services may not send the header. Completion reports of S3 Batch Operations "are always
//! encrypted with Amazon S3 managed keys (SSE-S3)" (batch-ops-examples-reports.html), and AWS does
//! not say which header their write carries: the encryption statements leave the reports' prefix
//! out (`NotResource`), so the reports are never refused, whichever it is.

use serde_json::{json, Value};

use crate::error::AwsError;

/// The Sids of a tenant bucket's statements.
pub const TENANT_SIDS: [&str; 4] = [
    "CmekDenyInsecureTransport",
    "CmekDenyOtherEncryption",
    "CmekDenyOtherKey",
    "CmekDenyAwsManagedKey",
];

/// The statements of a tenant bucket on `key_arn`; `reports` is the object-key prefix of Batch
/// Operations completion reports.
pub fn tenant_statements(bucket: &str, key_arn: &str, reports: &str) -> Vec<Value> {
    let arn = format!("arn:aws:s3:::{bucket}");
    let objects = format!("{arn}/*");
    // Every object except the completion reports: a NotResource Deny applies to all other ARNs,
    // so the bucket ARN is listed too (the statements are about PutObject, on objects only).
    let not_reports = vec![arn.clone(), format!("{arn}/{reports}*")];
    vec![
        json!({
            "Sid": TENANT_SIDS[0],
            "Effect": "Deny",
            "Principal": "*",
            "Action": "s3:*",
            "Resource": [arn, objects],
            "Condition": {"Bool": {"aws:SecureTransport": "false"}}
        }),
        json!({
            "Sid": TENANT_SIDS[1],
            "Effect": "Deny",
            "Principal": "*",
            "Action": "s3:PutObject",
            "NotResource": not_reports.clone(),
            "Condition": {
                "Null": {"s3:x-amz-server-side-encryption": "false"},
                "StringNotEquals": {"s3:x-amz-server-side-encryption": "aws:kms"}
            }
        }),
        json!({
            "Sid": TENANT_SIDS[2],
            "Effect": "Deny",
            "Principal": "*",
            "Action": "s3:PutObject",
            "NotResource": not_reports.clone(),
            "Condition": {
                "Null": {"s3:x-amz-server-side-encryption-aws-kms-key-id": "false"},
                "StringNotEquals": {"s3:x-amz-server-side-encryption-aws-kms-key-id": key_arn}
            }
        }),
        json!({
            "Sid": TENANT_SIDS[3],
            "Effect": "Deny",
            "Principal": "*",
            "Action": "s3:PutObject",
            "NotResource": not_reports,
            "Condition": {
                "StringEquals": {"s3:x-amz-server-side-encryption": "aws:kms"},
                "Null": {"s3:x-amz-server-side-encryption-aws-kms-key-id": "true"}
            }
        }),
    ]
}

/// Whether a policy document holds every one of `ours`, as written.
pub fn holds(policy: Option<&str>, ours: &[Value]) -> bool {
    let Some(doc) = policy.and_then(|t| serde_json::from_str::<Value>(t).ok()) else {
        return false;
    };
    let have = doc.get("Statement").and_then(Value::as_array);
    ours.iter().all(|s| have.is_some_and(|h| h.contains(s)))
}

/// `current` with `ours` in place of any statement of the same Sid; every other statement and
/// every other member of the document kept. A policy that is not JSON is an error: cmek never
/// writes over what it cannot read.
#[allow(clippy::result_large_err)] // AwsError, as every S3 call here returns
pub fn merged(current: Option<&str>, ours: Vec<Value>, bucket: &str) -> Result<String, AwsError> {
    merge(current, ours, bucket)
        .map_err(|m| AwsError::service("s3", "GetBucketPolicy", "UnreadablePolicy", &m))
}

fn merge(current: Option<&str>, ours: Vec<Value>, bucket: &str) -> Result<String, String> {
    let mut doc: Value = match current {
        Some(text) => serde_json::from_str(text).map_err(|e| {
            format!("the bucket policy of {bucket} is not JSON cmek can read ({e}); nothing was written")
        })?,
        None => json!({"Version": "2012-10-17", "Statement": []}),
    };
    let sids: Vec<String> = ours
        .iter()
        .filter_map(|s| s.get("Sid").and_then(Value::as_str).map(str::to_string))
        .collect();
    let kept: Vec<Value> = match doc.get("Statement") {
        Some(Value::Array(a)) => a.clone(),
        Some(one @ Value::Object(_)) => vec![one.clone()],
        _ => vec![],
    }
    .into_iter()
    .filter(|s| {
        !s.get("Sid")
            .and_then(Value::as_str)
            .is_some_and(|sid| sids.iter().any(|o| o == sid))
    })
    .collect();
    let mut statements = kept;
    statements.extend(ours);
    doc["Statement"] = Value::Array(statements);
    Ok(doc.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEY: &str = "arn:aws:kms:us-east-1:111111111111:key/k";

    #[test]
    fn other_statements_are_kept_and_ours_replaced() {
        let current = r#"{"Version":"2012-10-17","Id":"x","Statement":[
            {"Sid":"TheirOwn","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::222222222222:role/r"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"},
            {"Sid":"CmekDenyOtherKey","Effect":"Deny","Principal":"*","Action":"s3:PutObject","Resource":"old"}]}"#;
        let ours = tenant_statements("b", KEY, "cmek-batch/reports/");
        let text = merged(Some(current), ours.clone(), "b").unwrap();
        let doc: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(doc["Id"], "x");
        let st = doc["Statement"].as_array().unwrap();
        assert_eq!(st.len(), 5);
        assert_eq!(st[0]["Sid"], "TheirOwn");
        assert!(!text.contains("\"old\""));
        assert!(holds(Some(&text), &ours));
        assert!(!holds(Some(current), &ours));
        assert!(merged(Some("not json"), ours, "b").is_err());
    }

    #[test]
    fn the_tls_statement_is_the_one_auditors_look_for() {
        let st = &tenant_statements("b", KEY, "r/")[0];
        assert_eq!(st["Effect"], "Deny");
        assert_eq!(st["Action"], "s3:*");
        assert_eq!(st["Condition"]["Bool"]["aws:SecureTransport"], "false");
    }
}
