//! Copies of a bucket's data beside its objects and versions, as `status` rows: incomplete
//! multipart uploads and replication rules.
//!
//! - An incomplete upload's parts keep the encryption the upload was started with until it is
//!   completed or aborted, and ListMultipartUploads does not report that encryption (S3 API
//!   reference, ListMultipartUploads: Key, UploadId, Initiated, StorageClass, Owner, Initiator). So
//!   an upload initiated before the key was applied to the bucket counts as outside the key; one
//!   initiated after it took the bucket's default (the key) unless its uploader named another
//!   encryption, which nothing reports: a caveat, not a gap.
//! - A replication rule copies objects into another bucket; the replicas are under the key only
//!   when the rule names it (`ReplicaKmsKeyID`) or they land in a tenant bucket cmek checks.

use aws_sdk_s3::types::ReplicationRuleStatus;

use crate::aws::Clients;
use crate::error::AwsError;
use crate::shared::clock;
use crate::shared::ids::{ResourceState, S3Resource};
use crate::shared::resource::{DataCopy, ResourceStatus};
use crate::shared::tenancy::{err, Encryption, Tenancy};

/// What `actual_key` says of an upload whose encryption S3 does not report.
pub const UNREPORTED: &str = "unknown";

/// The incomplete multipart uploads of `bucket`; `since` is when the key was applied to the bucket
/// (Unix seconds, from the tenant's record), `None` when cmek does not know (every upload then
/// counts as outside the key).
pub async fn upload_rows(
    c: &Clients,
    t: &Tenancy,
    bucket: &str,
    since: Option<i64>,
) -> Result<Vec<ResourceStatus>, AwsError> {
    let mut out = vec![];
    let (mut key_marker, mut id_marker): (Option<String>, Option<String>) = (None, None);
    loop {
        let page = match c
            .s3
            .list_multipart_uploads()
            .bucket(bucket)
            .set_key_marker(key_marker.take())
            .set_upload_id_marker(id_marker.take())
            .send()
            .await
        {
            Ok(p) => p,
            Err(e) => {
                let e = err("s3", "ListMultipartUploads", t.ep())(e);
                // The bucket's own row says it is missing.
                if e.is("NoSuchBucket") {
                    return Ok(out);
                }
                return Err(e);
            }
        };
        for u in page.uploads() {
            let (Some(key), Some(id)) = (u.key(), u.upload_id()) else {
                continue;
            };
            let initiated = u.initiated().map(|d| d.secs());
            out.push(upload_row(t, bucket, key, id, initiated, since));
        }
        if page.is_truncated() != Some(true) {
            return Ok(out);
        }
        key_marker = page.next_key_marker().map(str::to_string);
        id_marker = page.next_upload_id_marker().map(str::to_string);
        if key_marker.is_none() && id_marker.is_none() {
            return Ok(out);
        }
    }
}

/// One upload's row: outside the key when it was initiated before the key was applied (or cmek
/// cannot tell), a caveat otherwise.
pub fn upload_row(
    t: &Tenancy,
    bucket: &str,
    key: &str,
    id: &str,
    initiated: Option<i64>,
    since: Option<i64>,
) -> ResourceStatus {
    let when = initiated.map(|s| clock::rfc3339(s.max(0) as u64));
    // Whole seconds both: an upload in the same second as the record counts as before (outside).
    let after = matches!((initiated, since), (Some(i), Some(s)) if i > s);
    let mut row = ResourceStatus::of(
        S3Resource::Upload,
        &format!("{bucket}/{key}"),
        &t.key,
        Some(&Encryption::None),
        "",
    );
    let started = when.as_deref().unwrap_or("at a time S3 did not report");
    let applied = since.map(|s| clock::rfc3339(s.max(0) as u64));
    row.actual_key = UNREPORTED.into();
    if after {
        row.state = ResourceState::Ok;
        row.message = format!(
            "incomplete multipart upload {id}, started {started}, after the key was applied ({}): S3 encrypted it with the bucket's default, the key, unless its uploader named another encryption, which ListMultipartUploads does not report",
            applied.as_deref().unwrap_or_default()
        );
    } else {
        row.state = ResourceState::Drift;
        row.message = match &applied {
            Some(a) => format!("incomplete multipart upload {id}, started {started}, before the key was applied ({a}): its parts keep the encryption it was started with, outside the key, until it is completed or aborted"),
            None => format!("incomplete multipart upload {id}, started {started}; cmek has no record of when the key was applied to the bucket, and ListMultipartUploads does not report an upload's encryption: counted as outside the key"),
        };
    }
    row.copy(DataCopy {
        allocated_storage_gib: None,
        created: when,
        shared_with: vec![],
        remove: format!(
            "aws s3api abort-multipart-upload --bucket {bucket} --key {key} --upload-id {id}"
        ),
    })
}

/// The replication rules of `bucket` that are enabled, each with where its replicas land and the
/// key they are under; `tenant_buckets` are the buckets whose objects cmek checks itself.
pub async fn replication_rows(
    c: &Clients,
    t: &Tenancy,
    bucket: &str,
    tenant_buckets: &[String],
) -> Result<Vec<ResourceStatus>, AwsError> {
    let out = match c.s3.get_bucket_replication().bucket(bucket).send().await {
        Ok(o) => o,
        Err(e) => {
            let e = err("s3", "GetBucketReplication", t.ep())(e);
            if e.is("ReplicationConfigurationNotFoundError") || e.is("NoSuchBucket") {
                return Ok(vec![]);
            }
            return Err(e);
        }
    };
    let Some(config) = out.replication_configuration() else {
        return Ok(vec![]);
    };
    Ok(config
        .rules()
        .iter()
        .filter(|r| r.status() == &ReplicationRuleStatus::Enabled)
        .enumerate()
        .map(|(i, r)| {
            let dest = r.destination().map(|d| d.bucket()).unwrap_or_default();
            let replica_key = r
                .destination()
                .and_then(|d| d.encryption_configuration())
                .and_then(|e| e.replica_kms_key_id());
            let kms_objects = r
                .source_selection_criteria()
                .and_then(|s| s.sse_kms_encrypted_objects())
                .map(|s| s.status().as_str() == "Enabled")
                .unwrap_or(false);
            let rule = r
                .id()
                .map(str::to_string)
                .unwrap_or_else(|| format!("rule-{}", i + 1));
            replication_row(
                t,
                bucket,
                &rule,
                dest,
                replica_key,
                kms_objects,
                tenant_buckets,
            )
        })
        .collect())
}

/// One rule's row (rule `r1` of bucket `b`, SSE-KMS objects included), for unit tests.
#[cfg(test)]
pub fn replication_rows_for_test(
    t: &Tenancy,
    dest_arn: &str,
    replica_key: Option<&str>,
    tenant_buckets: &[String],
) -> ResourceStatus {
    replication_row(t, "b", "r1", dest_arn, replica_key, true, tenant_buckets)
}

/// One replication rule's row.
pub fn replication_row(
    t: &Tenancy,
    bucket: &str,
    rule: &str,
    dest_arn: &str,
    replica_key: Option<&str>,
    kms_objects: bool,
    tenant_buckets: &[String],
) -> ResourceStatus {
    let dest = dest_arn.rsplit(":::").next().unwrap_or(dest_arn);
    let inside = tenant_buckets.iter().any(|b| b == dest);
    let kms = if kms_objects {
        "objects under SSE-KMS included"
    } else {
        "objects under SSE-KMS not replicated (SseKmsEncryptedObjects is not enabled)"
    };
    let enc = match replica_key {
        Some(k) => Encryption::kms(Some(k)),
        None => Encryption::SseS3,
    };
    let mut row = ResourceStatus::of(
        S3Resource::Replication,
        &format!("{bucket}/{rule}"),
        &t.key,
        Some(&enc),
        "",
    );
    if replica_key.is_none() {
        row.actual_key = "source-encryption".into();
    }
    if inside {
        // Its replicas are objects of a tenant bucket: that bucket's own checks see them.
        row.state = ResourceState::Ok;
        row.message =
            format!("replicates into {dest}, a tenant bucket whose objects cmek checks ({kms})");
    } else if enc.is_key(&t.key) {
        row.message = format!("replicates into {dest}, outside the tenant's buckets, with replicas under the key ({kms})");
    } else {
        row.state = ResourceState::Drift;
        row.message = format!(
            "replicates into {dest}, outside the tenant's buckets, with replicas under {} ({kms}): copies of the tenant's data that disabling the key does not touch",
            match replica_key {
                Some(k) => k.to_string(),
                None => "the encryption each source object has (no ReplicaKmsKeyID)".into(),
            }
        );
    }
    row.copy(DataCopy {
        allocated_storage_gib: None,
        created: None,
        shared_with: vec![],
        remove: format!(
            "stop it: aws s3api delete-bucket-replication --bucket {bucket} (replicas already in {dest} stay there until deleted in that bucket)"
        ),
    })
}
