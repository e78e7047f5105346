//! A bucket's change: create it private, owner-enforced, under the key with a bucket key, tagged,
//! with a canary; or bring an existing one there (objects already in it only on request).

use super::BucketState;
use crate::shared::ids::NoteId;
use crate::shared::steps::{Change, Kind, PlanOptions, S3Step};
use crate::shared::tenancy::Tenancy;

/// The bucket's change.
pub fn plan_bucket(t: &Tenancy, b: &BucketState, opts: PlanOptions) -> Change {
    let mut c = Change::new(format!("bucket:{}", b.id), Kind::S3Bucket, &b.name);
    let mut why = vec![];
    if !b.exists {
        for s in [
            S3Step::CreateBucket,
            S3Step::BlockPublicAccess,
            S3Step::EnforceOwnership,
            S3Step::SetBucketEncryption,
            S3Step::SetBucketPolicy,
            S3Step::TagBucket,
            S3Step::WriteCanary,
        ] {
            c.step(s);
        }
        why.push("the bucket does not exist".to_string());
        return c.settle(true, why);
    }
    if !b.public_access_blocked {
        c.step(S3Step::BlockPublicAccess);
        why.push("public access is not fully blocked".to_string());
    }
    if !b.ownership_enforced {
        c.step(S3Step::EnforceOwnership);
        why.push("object ownership is not enforced".into());
        c.note(
            NoteId::S3OwnershipEnforced,
            "enforcing bucket-owner object ownership turns ACLs off for this bucket",
        );
    }
    if !b.encryption.is_key(&t.key) || !b.bucket_key {
        c.step(S3Step::SetBucketEncryption);
        why.push(if b.encryption.is_key(&t.key) {
            "the bucket key is off".to_string()
        } else {
            format!("default encryption is {}", b.encryption.described())
        });
    }
    if !b.policy_on_key {
        c.step(S3Step::SetBucketPolicy);
        why.push("the bucket policy does not deny requests without TLS and writes under another encryption".into());
    }
    if t.tags_missing(&b.tags) {
        c.step(S3Step::TagBucket);
        why.push("tags missing".into());
    }
    match &b.stale {
        Some(s) if s.stale > 0 => {
            let count = if s.complete {
                format!("{}", s.stale)
            } else {
                format!("at least {}", s.stale)
            };
            if opts.reencrypt_objects {
                c.step(if opts.batch_operations {
                    S3Step::RunBatchJobs
                } else {
                    S3Step::ReencryptObjects
                });
                c.objects = Some(s.stale);
                why.push(format!("{count} objects are not under the key"));
            } else {
                c.note(
                    NoteId::S3ObjectsKeepOldKey,
                    format!(
                        "{count} objects already in the bucket keep their old encryption (e.g. {}); revoke-check will call them exposed; --reencrypt-objects copies them in place under the key",
                        s.examples.first().map(|e| e.0.as_str()).unwrap_or("?")
                    ),
                );
            }
        }
        None => c.note(
            NoteId::S3ObjectsNotScanned,
            "objects already in the bucket were not examined",
        ),
        Some(_) => {}
    }
    if b.canary.as_ref().is_none_or(|e| !e.is_key(&t.key)) {
        c.step(S3Step::WriteCanary);
        why.push("the canary object is missing or not under the key".into());
    }
    c.settle(false, why)
}
