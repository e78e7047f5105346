//! Re-encryption for buckets too large for one machine: a CSV manifest of every object not under
//! the key and the S3 Control CreateJob request (an S3PutObjectCopy with SSE-KMS and the key)
//! beside it, in the environment's registry.

use super::reencrypt::copy_source;
use super::scan::{scan_objects, StaleObject};
use crate::aws::Clients;
use crate::shared::steps::StepError;
use crate::shared::tenancy::{err, Tenancy, TAG_MANAGED_BY, TAG_TENANT};

/// Where the manifest and job definition go: the registry's bucket and prefix.
struct Location {
    bucket: String,
    prefix: String,
}

/// The role S3 Batch Operations assumes for the job (created by the engineer; see docs/runbook.md).
pub fn batch_role_arn(t: &Tenancy) -> String {
    format!(
        "arn:{}:iam::{}:role/cmek-batch-operations",
        t.key.partition(),
        t.account
    )
}

/// One manifest line: `bucket,key` with the key URL-encoded (S3BatchOperations_CSV_20180820).
pub fn manifest_line(bucket: &str, key: &str) -> String {
    let encoded = copy_source("", key);
    format!("{bucket},{}\n", encoded.trim_start_matches('/'))
}

/// For buckets too large for one machine: writes a CSV manifest of every object not under the key,
/// and the S3 Control CreateJob request (an S3PutObjectCopy with SSE-KMS and the key) beside it,
/// in the registry. The engineer submits it (`aws s3control create-job --cli-input-json`).
pub async fn batch_job(
    c: &Clients,
    t: &Tenancy,
    bucket: &str,
) -> Result<Option<String>, StepError> {
    let mut stale: Vec<StaleObject> = vec![];
    let scan = scan_objects(c, t, bucket, None, Some(&mut stale)).await?;
    let registry = Location {
        bucket: t.env.registry_bucket(&t.account, &t.region),
        prefix: t.env.registry.prefix.clone(),
    };
    let run = crate::shared::clock::run_id();
    let base = format!("{}batch/{}/{bucket}-{run}", registry.prefix, t.tenant);
    let manifest: String = stale
        .iter()
        .map(|o| manifest_line(bucket, &o.key))
        .collect();
    let put =
        c.s3.put_object()
            .bucket(&registry.bucket)
            .key(format!("{base}.csv"))
            .content_type("text/csv")
            .body(manifest.into_bytes().into())
            .send()
            .await
            .map_err(err("s3", "PutObject", t.ep()))?;
    let partition = t.key.partition();
    let job = serde_json::json!({
        "AccountId": t.account,
        "ConfirmationRequired": true,
        "Description": format!("cmek: re-encrypt tenant {} objects in {bucket} under the customer key", t.tenant),
        "ClientRequestToken": format!("cmek-{}-{run}", t.tenant),
        "Priority": 10,
        "RoleArn": batch_role_arn(t),
        "Operation": {"S3PutObjectCopy": {
            "TargetResource": format!("arn:{partition}:s3:::{bucket}"),
            "MetadataDirective": "COPY",
            "SSEAwsKmsKeyId": t.key.as_str(),
            "BucketKeyEnabled": true
        }},
        "Manifest": {
            "Spec": {"Format": "S3BatchOperations_CSV_20180820", "Fields": ["Bucket", "Key"]},
            "Location": {
                "ObjectArn": format!("arn:{partition}:s3:::{}/{base}.csv", registry.bucket),
                "ETag": put.e_tag().unwrap_or_default().trim_matches('"')
            }
        },
        "Report": {
            "Bucket": format!("arn:{partition}:s3:::{}", registry.bucket),
            "Prefix": format!("{}batch/{}/reports", registry.prefix, t.tenant),
            "Format": "Report_CSV_20180820",
            "Enabled": true,
            "ReportScope": "FailedTasksOnly"
        },
        "Tags": [
            {"Key": TAG_TENANT, "Value": t.tenant.as_str()},
            {"Key": TAG_MANAGED_BY, "Value": "cmek"}
        ]
    });
    c.s3.put_object()
        .bucket(&registry.bucket)
        .key(format!("{base}.job.json"))
        .content_type("application/json")
        .body(serde_json::to_vec_pretty(&job).unwrap_or_default().into())
        .send()
        .await
        .map_err(err("s3", "PutObject", t.ep()))?;
    Ok(Some(format!(
        "{} of {} objects need re-encryption: manifest s3://{}/{base}.csv; job definition s3://{}/{base}.job.json; submit it with `aws s3control create-job --cli-input-json file://job.json` (role {}); objects stay under their old key until the job has run",
        stale.len(),
        scan.examined,
        registry.bucket,
        registry.bucket,
        batch_role_arn(t)
    )))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn manifest_lines_url_encode_keys() {
        assert_eq!(manifest_line("b", "a/b c.json"), "b,a/b%20c.json\n");
    }
}
