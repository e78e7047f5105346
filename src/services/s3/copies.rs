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
use crate::shared::resource::{sh, DataCopy, ResourceStatus};
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
            // A truncated page that says nowhere to go on: never taken for the whole list.
            return Err(AwsError::service(
                "s3",
                "ListMultipartUploads",
                "IncompleteListing",
                &format!("{bucket}: a truncated page without NextKeyMarker or NextUploadIdMarker"),
            ));
        }
    }
}

/// How far the local clock (which stamps the record's `key_since`) may be from S3's (which stamps
/// an upload's `Initiated`). Unconfirmed: S3 refuses a request whose time is too far from its own
/// (`RequestTimeTooSkewed`, whose error body names `MaxAllowedSkewMilliseconds` 900000), but no AWS
/// page checked states the limit, and the SDK corrects its signing time by the skew it measures, so
/// a local clock further off still works. 15 minutes covers a clock that signs without
/// correction; a farther one is a boundary this margin does not close (stamping from S3's own
/// clock would). An upload initiated less than this after `key_since` counts as before it.
pub const CLOCK_SKEW_SECS: i64 = 15 * 60;

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
    // Outside unless initiated clearly after the key: later than `key_since` by more than the
    // clocks can differ.
    let after = matches!((initiated, since), (Some(i), Some(s)) if i > s + CLOCK_SKEW_SECS);
    let mut row = ResourceStatus::of(
        S3Resource::Upload,
        &format!("{bucket}/{key}?uploadId={id}"),
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
            "incomplete multipart upload {id} of {key}, started {started}, after the key was applied ({}): S3 encrypted it with the bucket's default, the key, unless its uploader named another encryption, which ListMultipartUploads does not report",
            applied.as_deref().unwrap_or_default()
        );
    } else {
        row.state = ResourceState::Drift;
        row.message = match &applied {
            Some(a) => format!("incomplete multipart upload {id} of {key}, started {started}, before the key was applied ({a}, or within the 15 minutes the clocks may differ): its parts keep the encryption it was started with, outside the key, until it is completed or aborted"),
            None => format!("incomplete multipart upload {id} of {key}, started {started}; cmek has no record of when the key was applied to the bucket, and ListMultipartUploads does not report an upload's encryption: counted as outside the key"),
        };
    }
    row.copy(DataCopy {
        created: when,
        remove: format!(
            "aws s3api abort-multipart-upload --region {} --bucket {} --key {} --upload-id {}",
            sh(&t.region),
            sh(bucket),
            sh(key),
            sh(id)
        ),
        ..DataCopy::default()
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
        .enumerate()
        .filter(|(_, r)| r.status() == &ReplicationRuleStatus::Enabled)
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
    let named_key = enc.is_key(&t.key);
    // ReplicaKmsKeyID applies to replicas of SSE-KMS objects only ("Amazon S3 uses this key to
    // encrypt replica objects", S3 API reference, EncryptionConfiguration; "By default, Amazon S3
    // doesn't replicate objects that are stored at rest using server-side encryption with KMS
    // keys", PutBucketReplication): an object under SSE-S3 replicates as it is, and replicas made
    // before the key stay in the (versioned) destination. Outside the tenant's buckets nothing
    // examines them, so a rule out of them is outside the key whatever key it names.
    match (inside, named_key || replica_key.is_none()) {
        (true, true) => {
            row.state = ResourceState::Ok;
            row.message = format!("replicates into {dest}, a tenant bucket: its replicas are that bucket's objects, whose encryption revoke-check examines like any other ({kms})");
        }
        _ => {
            row.state = ResourceState::Drift;
            row.message = format!(
                "replicates into {dest}{}, with replicas under {} ({kms}; an object under SSE-S3 replicates as it is): copies of the tenant's data that disabling the key does not touch",
                if inside { "" } else { ", outside the tenant's buckets" },
                match replica_key {
                    Some(k) => k.to_string(),
                    None => "the encryption each source object has (no ReplicaKmsKeyID)".into(),
                }
            );
        }
    }
    row.copy(DataCopy {
        remove: format!(
            "aws s3api delete-bucket-replication --region {} --bucket {} (this removes every rule of the bucket; to keep the others, put-bucket-replication without rule {}); replicas already in {dest} stay there until deleted in that bucket",
            sh(&t.region),
            sh(bucket),
            sh(rule)
        ),
        outside_tenant_buckets: !inside,
        ..DataCopy::default()
    })
}
