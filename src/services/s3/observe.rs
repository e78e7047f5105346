//! Reading a tenant bucket: existence, default encryption, public access, ownership, tags and the
//! canary object (HeadObject: metadata only, never KMS), optionally with a sample of its objects.

use super::quotas;
use crate::shared::quota::pace;
use std::collections::BTreeMap;

use super::scan::{object_encryption, scan_objects, StaleObjects};
use crate::aws::Clients;
use crate::error::AwsError;
use crate::shared::tenancy::{err, Encryption, Tenancy, CANARY_KEY};

/// A tenant bucket as it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BucketState {
    /// The environment's bucket id.
    pub id: String,
    /// The bucket name.
    pub name: String,
    /// Whether it exists (in our account).
    pub exists: bool,
    /// Default encryption.
    pub encryption: Encryption,
    /// S3 Bucket Key on.
    pub bucket_key: bool,
    /// All four public access block settings on.
    pub public_access_blocked: bool,
    /// Object ownership BucketOwnerEnforced.
    pub ownership_enforced: bool,
    /// Its policy holds cmek's statements for this key (`bucket_policy.rs`): no request without
    /// TLS, no write under another encryption.
    pub policy_on_key: bool,
    /// Its tags.
    pub tags: BTreeMap<String, String>,
    /// The canary object's encryption, when it exists.
    pub canary: Option<Encryption>,
    /// Objects not under the key, when scanned.
    pub stale: Option<StaleObjects>,
}

impl BucketState {
    fn missing(id: &str, name: &str) -> Self {
        Self {
            id: id.into(),
            name: name.into(),
            exists: false,
            encryption: Encryption::None,
            bucket_key: false,
            public_access_blocked: false,
            ownership_enforced: false,
            policy_on_key: false,
            tags: BTreeMap::new(),
            canary: None,
            stale: None,
        }
    }
}

/// How deep to look into the buckets' objects.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ObjectScan {
    /// Not at all.
    None,
    /// At most this many objects per bucket.
    Sample(u64),
}

/// One bucket: existence, default encryption, public access, ownership, versioning, tags, the
/// canary object (HeadObject: metadata only, no KMS) and optionally a sample of its objects.
pub async fn observe_bucket(
    c: &Clients,
    t: &Tenancy,
    id: &str,
    name: &str,
    scan: ObjectScan,
) -> Result<BucketState, AwsError> {
    let ep = t.ep();
    match c.s3.head_bucket().bucket(name).send().await {
        Ok(_) => {}
        Err(e) => {
            let e = AwsError::from_sdk("s3", "HeadBucket", &e).at(ep);
            if e.http_status == Some(404) || e.is("NotFound") || e.is("NoSuchBucket") {
                return Ok(BucketState::missing(id, name));
            }
            // Another account holding the name is told apart from our own IAM refusing (owner.rs).
            return Err(super::owner::explain(c, name, e).await);
        }
    }
    let s3 = &c.s3;
    let (enc, pab, own, tags, canary, stale, policy) = tokio::join!(
        bucket_encryption(c, t, name),
        s3.get_public_access_block().bucket(name).send(),
        s3.get_bucket_ownership_controls().bucket(name).send(),
        s3.get_bucket_tagging().bucket(name).send(),
        observe_object(c, t, name, CANARY_KEY),
        async {
            match scan {
                ObjectScan::None => Ok(None),
                ObjectScan::Sample(n) => scan_objects(c, t, name, Some(n), None).await.map(Some),
            }
        },
        s3.get_bucket_policy().bucket(name).send(),
    );
    // The bucket was there a moment ago; if it is gone now, read it as without encryption.
    let (encryption, bucket_key) = enc?.unwrap_or((Encryption::None, false));
    let public_access_blocked = match pab {
        Ok(out) => out.public_access_block_configuration().is_some_and(|p| {
            p.block_public_acls() == Some(true)
                && p.ignore_public_acls() == Some(true)
                && p.block_public_policy() == Some(true)
                && p.restrict_public_buckets() == Some(true)
        }),
        Err(e) => {
            let e = err("s3", "GetPublicAccessBlock", ep)(e);
            if e.is("NoSuchPublicAccessBlockConfiguration") {
                false
            } else {
                return Err(e);
            }
        }
    };
    let ownership_enforced = match own {
        Ok(out) => out.ownership_controls().is_some_and(|o| {
            o.rules().iter().any(|r| {
                r.object_ownership() == &aws_sdk_s3::types::ObjectOwnership::BucketOwnerEnforced
            })
        }),
        Err(e) => {
            let e = err("s3", "GetBucketOwnershipControls", ep)(e);
            if e.is("OwnershipControlsNotFoundError") {
                false
            } else {
                return Err(e);
            }
        }
    };
    let policy_on_key = match policy {
        Ok(out) => super::bucket_policy::holds(
            out.policy(),
            &super::bucket_policy::tenant_statements(
                name,
                t.key.as_str(),
                &format!("{}reports/", super::BATCH_PREFIX),
            ),
        ),
        Err(e) => {
            let e = err("s3", "GetBucketPolicy", ep)(e);
            if e.is("NoSuchBucketPolicy") || e.http_status == Some(404) {
                false
            } else {
                return Err(e);
            }
        }
    };
    let tags = match tags {
        Ok(out) => out
            .tag_set()
            .iter()
            .map(|t| (t.key().to_string(), t.value().to_string()))
            .collect(),
        Err(e) => {
            let e = err("s3", "GetBucketTagging", ep)(e);
            if e.is("NoSuchTagSet") || e.is("NoSuchTagSetError") {
                BTreeMap::new()
            } else {
                return Err(e);
            }
        }
    };
    Ok(BucketState {
        id: id.into(),
        name: name.into(),
        exists: true,
        encryption,
        bucket_key,
        public_access_blocked,
        ownership_enforced,
        policy_on_key,
        tags,
        canary: canary?,
        stale: stale?,
    })
}

/// A bucket's default encryption and whether its bucket key is on; `None` when there is no such
/// bucket. Every bucket written since 2023 has at least SSE-S3; "none" is an older bucket.
pub async fn bucket_encryption(
    c: &Clients,
    t: &Tenancy,
    bucket: &str,
) -> Result<Option<(Encryption, bool)>, AwsError> {
    pace(&quotas::GET_BUCKET_ENCRYPTION).await;
    match c.s3.get_bucket_encryption().bucket(bucket).send().await {
        Ok(out) => {
            let rule = out
                .server_side_encryption_configuration()
                .and_then(|c| c.rules().first());
            let default = rule.and_then(|r| r.apply_server_side_encryption_by_default());
            let bucket_key = rule.and_then(|r| r.bucket_key_enabled()).unwrap_or(false);
            let enc = match default.map(|d| d.sse_algorithm().as_str()) {
                Some(a) if a.starts_with("aws:kms") => {
                    Encryption::kms(default.and_then(|d| d.kms_master_key_id()))
                }
                Some(_) => Encryption::SseS3,
                None => Encryption::None,
            };
            Ok(Some((enc, bucket_key)))
        }
        Err(e) => {
            let e = err("s3", "GetBucketEncryption", t.ep())(e);
            if e.is("NoSuchBucket") {
                Ok(None)
            } else if e.is("ServerSideEncryptionConfigurationNotFoundError") {
                Ok(Some((Encryption::None, false)))
            } else {
                Err(e)
            }
        }
    }
}

/// An object's encryption from HeadObject (metadata only: HeadObject never calls KMS), or None
/// when there is no such object.
pub async fn observe_object(
    c: &Clients,
    t: &Tenancy,
    bucket: &str,
    key: &str,
) -> Result<Option<Encryption>, AwsError> {
    pace(&quotas::OBJECT_READS).await;
    match c.s3.head_object().bucket(bucket).key(key).send().await {
        Ok(out) => Ok(Some(object_encryption(
            out.server_side_encryption(),
            out.ssekms_key_id(),
        ))),
        Err(e) => {
            let e = AwsError::from_sdk("s3", "HeadObject", &e).at(t.ep());
            if e.http_status == Some(404) || e.is("NotFound") || e.is("NoSuchKey") {
                Ok(None)
            } else {
                Err(e)
            }
        }
    }
}

/// One tag of a bucket, if the bucket exists, is tagged, and has it. `Err` only when our side
/// fails (throttling, our IAM, the network); a bucket that is not ours counts as untagged.
pub async fn bucket_tag(
    c: &Clients,
    bucket: &str,
    tag: &str,
    ep: Option<&str>,
) -> Result<Option<String>, AwsError> {
    match c.s3.get_bucket_tagging().bucket(bucket).send().await {
        Ok(out) => Ok(out
            .tag_set()
            .iter()
            .find(|t| t.key() == tag)
            .map(|t| t.value().to_string())),
        Err(e) => {
            let e = err("s3", "GetBucketTagging", ep)(e);
            if e.is_our_side() {
                Err(e)
            } else {
                Ok(None)
            }
        }
    }
}
