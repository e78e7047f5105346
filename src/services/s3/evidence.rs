//! What S3 shows about a revocation: the canary read through KMS (GetObject; HeadObject would not
//! call KMS), objects and noncurrent versions not under the key, and each bucket's default
//! encryption.

use super::scan::StaleObjects;
use crate::aws::Clients;
use crate::error::AwsError;
use crate::shared::evidence::Probe;
use crate::shared::ids::{CheckId, ResourceState, S3Resource};
use crate::shared::report::{Check, Status};
use crate::shared::resource::ResourceStatus;
use crate::shared::tenancy::{err, Tenancy, CANARY_KEY};

/// What reading the canary came to.
pub enum Canary {
    /// No canary object.
    Missing,
    /// Read back.
    Readable,
    /// Refused, with S3's answer.
    Refused(AwsError),
}

/// Reads the canary (it holds no tenant data) and discards it: GetObject calls KMS, HeadObject
/// would not. With the read as a [`Probe`], for evidence.
pub async fn read_canary(
    c: &Clients,
    t: &Tenancy,
    bucket: &str,
) -> Result<(Canary, Probe), AwsError> {
    let resource = format!("s3://{bucket}/{CANARY_KEY}");
    match c
        .s3
        .get_object()
        .bucket(bucket)
        .key(CANARY_KEY)
        .send()
        .await
    {
        Ok(out) => {
            let probe = Probe::answered("s3", "GetObject", resource, &out);
            let _ = out.body.collect().await;
            Ok((Canary::Readable, probe))
        }
        Err(e) => {
            let e = err("s3", "GetObject", t.ep())(e);
            let probe = Probe::failed(&e, resource);
            if e.is("NoSuchKey") || e.is("NoSuchBucket") || e.http_status == Some(404) {
                Ok((Canary::Missing, probe))
            } else if e.is_our_side() {
                Err(e)
            } else {
                Ok((Canary::Refused(e), probe))
            }
        }
    }
}

/// The first sentence of an AWS message.
pub fn first_sentence(m: &str) -> String {
    let m = m.trim();
    match m.find(". ") {
        Some(i) => m[..i].to_string(),
        None => m.trim_end_matches('.').to_string(),
    }
}

/// The canary's evidence, given whether Speedscale can use the key right now and when the canary
/// was read (RFC 3339). With S3 Bucket Keys, S3 reuses a bucket-level data key "for a limited time
/// period" (S3 user guide, "Reducing the cost of SSE-KMS with Amazon S3 Bucket Keys"): a refused
/// read shows that Speedscale is cut off at that moment, not that every principal is.
pub fn canary_check(bucket: &str, canary: Canary, usable: bool, read_at: &str) -> Check {
    let resource = format!("s3://{bucket}/{CANARY_KEY}");
    let id = CheckId::RevokeS3Canary;
    match canary {
        Canary::Missing => Check::new(
            id,
            Status::Warn,
            resource,
            "no canary object to read: run enable; S3 reads are judged by the bucket's encryption alone",
        ),
        Canary::Readable if usable => Check::new(
            id,
            Status::Pass,
            resource,
            "readable now, through the key",
        ),
        Canary::Readable => Check::new(
            id,
            Status::Fail,
            resource,
            "still readable although the key is not usable: S3 Bucket Keys may serve reads for a short while after a revocation (AWS does not document how long); run revoke-check again later",
        ),
        Canary::Refused(e) if usable => Check::new(
            id,
            Status::Warn,
            resource,
            format!(
                "refused although the key is usable directly: S3 may not use the key ({})",
                first_sentence(e.message())
            ),
        )
        .aws_error(e.code()),
        Canary::Refused(e) => Check::new(
            id,
            Status::Pass,
            resource,
            format!(
                "GetObject refused at {read_at}: {} ({}); this shows Speedscale is cut off from S3 reads now, not that every principal is: with S3 Bucket Keys, S3 reuses a bucket-level data key for a limited time",
                e.code(),
                first_sentence(e.message())
            ),
        )
        .aws_error(e.code()),
    }
}

fn examples(scan: &StaleObjects) -> String {
    scan.examples
        .iter()
        .map(|(k, e)| format!("{k} ({e})"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Objects not under the key: each stays readable without it.
pub fn objects_check(bucket: &str, scan: &StaleObjects) -> Check {
    let resource = format!("s3://{bucket}");
    let scope = if scan.complete {
        match scan.examined {
            0 => "the bucket holds no objects yet".to_string(),
            1 => "its one object examined".to_string(),
            n => format!("all {n} objects examined"),
        }
    } else {
        format!(
            "the first {} objects examined (the scan stopped at the limit; raise --scan-limit for a complete answer)",
            scan.examined
        )
    };
    if scan.stale == 0 {
        Check::new(
            CheckId::RevokeS3Objects,
            if scan.complete {
                Status::Pass
            } else {
                Status::Warn
            },
            resource,
            if scan.examined == 0 && scan.complete {
                "no object to depend on the key: the bucket holds no objects yet".to_string()
            } else {
                format!("every object is under the key; {scope}")
            },
        )
    } else {
        Check::new(
            CheckId::RevokeS3Objects,
            Status::Fail,
            resource,
            format!(
                "{} objects are not under the key and stay readable without it, e.g. {}; {scope}",
                scan.stale,
                examples(scan)
            ),
        )
        .remedy("run `cmek enable --reencrypt-objects` to copy them in place under the key")
    }
}

/// Noncurrent versions not under the key (a versioned bucket).
pub fn versions_check(bucket: &str, v: &StaleObjects) -> Check {
    let resource = format!("s3://{bucket}");
    let scope = if v.complete {
        format!("all {} noncurrent versions examined", v.examined)
    } else {
        format!("the first {} noncurrent versions examined", v.examined)
    };
    if v.stale == 0 {
        Check::new(
            CheckId::RevokeS3Versions,
            if v.complete {
                Status::Pass
            } else {
                Status::Warn
            },
            resource,
            format!("the bucket is versioned; every noncurrent version is under the key; {scope}"),
        )
    } else {
        Check::new(
            CheckId::RevokeS3Versions,
            Status::Fail,
            resource,
            format!(
                "{} noncurrent versions are not under the key and stay readable without it, e.g. {}; {scope}",
                v.stale,
                examples(v)
            ),
        )
        .remedy("re-encryption copies current versions only; a lifecycle rule expiring noncurrent versions removes these (the customer's decision: cmek never deletes data)")
    }
}

/// The evidence of an S3 `status` row (the canary is probed separately: none).
pub fn evidence(kind: S3Resource, r: &ResourceStatus) -> Option<Check> {
    match kind {
        S3Resource::Canary => None,
        S3Resource::Bucket => Some(match r.state {
            ResourceState::Missing => Check::new(
                CheckId::RevokeS3Bucket,
                Status::Warn,
                &r.resource,
                "the bucket does not exist",
            ),
            ResourceState::Ok | ResourceState::Stopped => Check::new(
                CheckId::RevokeS3Bucket,
                Status::Pass,
                &r.resource,
                "new objects are encrypted with the key",
            ),
            ResourceState::Drift | ResourceState::Unencrypted => r
                .gap(CheckId::RevokeS3Bucket, "the bucket's default encryption")
                .remedy("run `cmek enable` to move the bucket's default encryption to the key"),
        }),
        S3Resource::Upload => Some(copy_check(r, CheckId::RevokeS3Upload, Status::Warn)),
        S3Resource::Replication => Some(copy_check(r, CheckId::RevokeS3Replication, Status::Pass)),
    }
}

/// A copy's evidence: `fail` outside the key, with the command that removes it (cmek never does);
/// `on_key` otherwise (a `warn` where S3 cannot say for sure).
fn copy_check(r: &ResourceStatus, id: CheckId, on_key: Status) -> Check {
    if r.on_key() {
        return Check::new(id, on_key, &r.resource, r.message.clone());
    }
    let check = Check::new(id, Status::Fail, &r.resource, r.message.clone());
    match &r.copy {
        Some(c) => check.remedy(format!("once it is not needed: {}", c.remove)),
        None => check,
    }
}
