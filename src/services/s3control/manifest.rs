//! What a job covers, and its idempotency token. S3 writes the job's manifest itself (a manifest
//! generator filtered to the objects not under the key, written under the customer key): AWS's
//! user guide says Batch Operations reads an SSE-KMS manifest only when it is an inventory
//! report, so a CSV manifest cmek wrote under the key would fail the job, and one under SSE-S3
//! would list the tenant's object keys outside the key's reach.

use sha2::{Digest, Sha256};

use super::BATCH_PREFIX;
use crate::services::s3::StaleObject;
use crate::shared::tenancy::Encryption;

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// A digest of the objects a job is for (keys and ETags, in key order): the same objects give the
/// same digest, whatever order they were listed in.
pub fn objects_digest(objects: &[&StaleObject]) -> String {
    let mut lines: Vec<String> = objects
        .iter()
        .map(|o| format!("{}\n{}", o.key, o.etag.trim_matches('"')))
        .collect();
    lines.sort_unstable();
    hex(&Sha256::digest(lines.join("\n").as_bytes()))
}

/// Where S3 writes a job's generated manifest in the tenant bucket (under the customer key).
pub fn manifest_prefix(storage_class: &str) -> String {
    format!(
        "{BATCH_PREFIX}manifests/{}",
        storage_class.to_ascii_lowercase()
    )
}

/// CreateJob's `ClientRequestToken` (at most 64 characters): from the tenant, the bucket, the
/// storage class and the digest of the objects the job is for, so a rerun over the same objects
/// never creates a second job.
pub fn client_request_token(
    tenant: &str,
    bucket: &str,
    storage_class: &str,
    digest: &str,
) -> String {
    let d = Sha256::digest(format!("{tenant}\n{bucket}\n{storage_class}\n{digest}").as_bytes());
    format!("cmek-{}", &hex(&d)[..40])
}

/// The encryption a manifest generator matches (its filter takes exactly one, API reference,
/// JobManifestGeneratorFilter: "Array Members: Fixed number of 1 item."), so objects not under the
/// key get one job per storage class and encryption: SSE-S3, none, or SSE-KMS under a named other
/// key. An object under a key S3 names by id or alias only (an AWS managed key) matches every
/// SSE-KMS object: those already under the key are then copied onto themselves, unchanged.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Match {
    /// SSE-S3.
    SseS3,
    /// Not encrypted.
    NotSse,
    /// SSE-KMS under this key ARN.
    KmsKey(String),
    /// SSE-KMS under any key.
    AnyKms,
}

impl Match {
    /// The match for an object not under the key.
    pub fn of(o: &StaleObject) -> Self {
        match &o.encryption {
            Encryption::SseS3 => Match::SseS3,
            // An S3 object is never under SSE-SQS; as "not SSE" it is matched by nothing narrower.
            Encryption::None | Encryption::SseSqs => Match::NotSse,
            Encryption::Kms(k) if k.starts_with("arn:") && k.contains(":key/") => {
                Match::KmsKey(k.clone())
            }
            Encryption::Kms(_) | Encryption::AwsManaged => Match::AnyKms,
        }
    }

    /// As the registry records it: `SSE-S3`, `NOT-SSE`, `SSE-KMS:<key ARN>`, `SSE-KMS`.
    pub fn label(&self) -> String {
        match self {
            Match::SseS3 => "SSE-S3".into(),
            Match::NotSse => "NOT-SSE".into(),
            Match::KmsKey(k) => format!("SSE-KMS:{k}"),
            Match::AnyKms => "SSE-KMS".into(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn obj(key: &str, etag: &str, enc: Encryption) -> StaleObject {
        StaleObject {
            key: key.into(),
            etag: etag.into(),
            storage_class: None,
            size: 1,
            encryption: enc,
            archived: false,
        }
    }

    #[test]
    fn the_same_objects_give_the_same_digest_and_token() {
        let (a, b) = (
            obj("k1", "\"e1\"", Encryption::SseS3),
            obj("k2", "e2", Encryption::SseS3),
        );
        assert_eq!(objects_digest(&[&a, &b]), objects_digest(&[&b, &a]));
        let changed = obj("k2", "e3", Encryption::SseS3);
        assert_ne!(objects_digest(&[&a, &b]), objects_digest(&[&a, &changed]));
        let t = client_request_token("acme", "b", "STANDARD", "d");
        assert_ne!(t, client_request_token("acme", "b", "STANDARD_IA", "d"));
        assert!(t.len() <= 64, "{t}");
        assert_eq!(
            manifest_prefix("STANDARD_IA"),
            "speedscale-cmek/batch/manifests/standard_ia"
        );
    }

    #[test]
    fn each_encryption_not_under_the_key_has_its_match() {
        let old = "arn:aws:kms:us-east-1:111111111111:key/old";
        assert_eq!(
            Match::of(&obj("a", "1", Encryption::SseS3)).label(),
            "SSE-S3"
        );
        assert_eq!(
            Match::of(&obj("b", "1", Encryption::None)).label(),
            "NOT-SSE"
        );
        assert_eq!(
            Match::of(&obj("c", "1", Encryption::Kms(old.into()))).label(),
            format!("SSE-KMS:{old}")
        );
        assert_eq!(
            Match::of(&obj("d", "1", Encryption::AwsManaged)),
            Match::AnyKms
        );
        assert_eq!(
            Match::of(&obj("e", "1", Encryption::Kms("1234abcd".into()))),
            Match::AnyKms
        );
    }
}
