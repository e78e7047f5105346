//! The registry's protections, as auditors expect them and as `enable` plans them: versioning,
//! Object Lock with the environment's default retention, a bucket policy that denies requests
//! without TLS and denies deleting or overwriting audit events and evidence copies, all public
//! access blocked, ACLs disabled (bucket owner enforced), SSE-KMS by default. Read by `observe`,
//! applied by `protect` (each missing piece only: idempotent), shown by `doctor`.
//!
//! AWS, read 2026-12-02: S3 user guide, "Configuring S3 Object Lock": "You can enable Object Lock for
//! an existing S3 bucket by using the Amazon S3 console, the AWS CLI, AWS SDKs, or Amazon S3 REST
//! API."; "Object Lock works only with versioned buckets."; PutObjectLockConfiguration: "You can
//! enable Object Lock for new or existing buckets."; a Deny on `aws:SecureTransport` "false" for
//! requests without TLS (Prowler's `s3_bucket_secure_transport_policy` looks for exactly that
//! statement); "Enforce conditional writes on Amazon S3 buckets": the `s3:if-none-match` condition
//! key. Conditional writes on a versioned bucket: when the current version is a delete marker, a
//! write with `If-None-Match: *` succeeds (S3 user guide, "How to prevent object overwrites with
//! conditional writes"), so a released lock can be taken again.

use aws_sdk_s3::primitives::ByteStream;
use aws_sdk_s3::types as s3t;
use serde_json::{json, Value};

use super::Registry;
use crate::aws::Clients;
use crate::environment::{Environment, RetentionMode};
use crate::error::AwsError;
use crate::services::s3::bucket_policy;
use crate::shared::tenancy::err;

/// The Sids of the registry policy's statements (cmek replaces its own, keeps any other).
pub const POLICY_SIDS: [&str; 3] = [
    "CmekDenyInsecureTransport",
    "CmekDenyAuditDeletion",
    "CmekDenyAuditOverwrite",
];

/// What the registry has of its protections.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Protection {
    /// The bucket exists.
    pub exists: bool,
    /// Versioning is Enabled.
    pub versioning: bool,
    /// Object Lock's default retention: (mode, days), when Object Lock is on with a rule.
    pub retention: Option<(String, u32)>,
    /// Object Lock is on (with or without a default rule).
    pub object_lock: bool,
    /// The bucket policy holds cmek's statements, as cmek writes them.
    pub policy: bool,
    /// All four public access block settings are on.
    pub public_access_blocked: bool,
    /// Object ownership is BucketOwnerEnforced (ACLs disabled).
    pub acls_disabled: bool,
    /// Default encryption is SSE-KMS.
    pub sse_kms: bool,
}

impl Protection {
    /// What is missing, in words, for the environment's settings (empty: protected).
    pub fn missing(&self, env: &Environment) -> Vec<String> {
        let want = (
            env.registry.retention_mode.as_s3().to_string(),
            env.registry.retention_days,
        );
        let mut out = vec![];
        if !self.exists {
            out.push("the bucket does not exist yet".into());
        }
        if !self.versioning {
            out.push("versioning is off".into());
        }
        match &self.retention {
            Some(r) if *r == want => {}
            Some((mode, days)) => out.push(format!(
                "Object Lock keeps {days} days in {mode}, the environment asks {} days in {}",
                want.1, want.0
            )),
            None => out.push(format!(
                "no Object Lock default retention ({} days, {})",
                want.1, want.0
            )),
        }
        if !self.policy {
            out.push("no bucket policy denying non-TLS requests and audit deletion".into());
        }
        if !self.public_access_blocked {
            out.push("public access is not blocked".into());
        }
        if !self.acls_disabled {
            out.push("ACLs are not disabled".into());
        }
        if !self.sse_kms {
            out.push("default encryption is not SSE-KMS".into());
        }
        out
    }
}

impl Registry {
    /// The registry's protections as they are (read-only).
    pub async fn protection(&self, c: &Clients) -> Result<Protection, AwsError> {
        let mut p = Protection {
            exists: self.exists(c).await?,
            ..Protection::default()
        };
        if !p.exists {
            return Ok(p);
        }
        let (b, ep) = (&self.bucket, self.ep());
        let s3 = &c.s3;
        let (ver, lock, pol, pab, own, enc) = tokio::join!(
            s3.get_bucket_versioning().bucket(b).send(),
            s3.get_object_lock_configuration().bucket(b).send(),
            s3.get_bucket_policy().bucket(b).send(),
            s3.get_public_access_block().bucket(b).send(),
            s3.get_bucket_ownership_controls().bucket(b).send(),
            s3.get_bucket_encryption().bucket(b).send(),
        );
        // Each "not configured" answer is S3's own code for it; anything else is our side.
        let absent = |e: &AwsError, codes: &[&str]| {
            codes.iter().any(|c| e.is(c)) || e.http_status == Some(404)
        };
        p.versioning = ver.map_err(err("s3", "GetBucketVersioning", ep))?.status()
            == Some(&s3t::BucketVersioningStatus::Enabled);
        match lock {
            Ok(out) => {
                let conf = out.object_lock_configuration();
                p.object_lock = conf.and_then(|c| c.object_lock_enabled())
                    == Some(&s3t::ObjectLockEnabled::Enabled);
                p.retention = conf
                    .and_then(|c| c.rule())
                    .and_then(|r| r.default_retention())
                    .and_then(|d| {
                        let days = d
                            .days()
                            .map(|n| n as u32)
                            .or(d.years().map(|y| y as u32 * 365))?;
                        Some((d.mode()?.as_str().to_string(), days))
                    })
                    .filter(|_| p.object_lock);
            }
            Err(e) => {
                let e = err("s3", "GetObjectLockConfiguration", ep)(e);
                if !absent(&e, &["ObjectLockConfigurationNotFoundError"]) {
                    return Err(e);
                }
            }
        }
        match pol {
            Ok(out) => {
                p.policy = bucket_policy::holds(out.policy(), &self.statements());
            }
            Err(e) => {
                let e = err("s3", "GetBucketPolicy", ep)(e);
                if !absent(&e, &["NoSuchBucketPolicy"]) {
                    return Err(e);
                }
            }
        }
        match pab {
            Ok(out) => {
                p.public_access_blocked =
                    out.public_access_block_configuration().is_some_and(|c| {
                        c.block_public_acls() == Some(true)
                            && c.ignore_public_acls() == Some(true)
                            && c.block_public_policy() == Some(true)
                            && c.restrict_public_buckets() == Some(true)
                    });
            }
            Err(e) => {
                let e = err("s3", "GetPublicAccessBlock", ep)(e);
                if !absent(&e, &["NoSuchPublicAccessBlockConfiguration"]) {
                    return Err(e);
                }
            }
        }
        match own {
            Ok(out) => {
                p.acls_disabled = out.ownership_controls().is_some_and(|o| {
                    o.rules()
                        .iter()
                        .any(|r| r.object_ownership() == &s3t::ObjectOwnership::BucketOwnerEnforced)
                });
            }
            Err(e) => {
                let e = err("s3", "GetBucketOwnershipControls", ep)(e);
                if !absent(&e, &["OwnershipControlsNotFoundError"]) {
                    return Err(e);
                }
            }
        }
        match enc {
            Ok(out) => {
                p.sse_kms = out
                    .server_side_encryption_configuration()
                    .and_then(|c| c.rules().first())
                    .and_then(|r| r.apply_server_side_encryption_by_default())
                    .is_some_and(|d| d.sse_algorithm().as_str().starts_with("aws:kms"));
            }
            Err(e) => {
                let e = err("s3", "GetBucketEncryption", ep)(e);
                if !absent(&e, &["ServerSideEncryptionConfigurationNotFoundError"]) {
                    return Err(e);
                }
            }
        }
        Ok(p)
    }

    /// Puts every missing protection on the registry, in the order S3 needs (versioning before
    /// Object Lock); a piece already in place is not written again.
    pub async fn protect(&self, c: &Clients, env: &Environment) -> Result<Vec<String>, AwsError> {
        self.ensure(c).await?;
        let p = self.protection(c).await?;
        let (b, ep) = (&self.bucket, self.ep());
        let mut done = vec![];
        if !p.public_access_blocked {
            crate::services::s3::block_public_access(c, b, ep).await?;
            done.push("blocked public access".into());
        }
        if !p.acls_disabled {
            c.s3.put_bucket_ownership_controls()
                .bucket(b)
                .ownership_controls(
                    s3t::OwnershipControls::builder()
                        .rules(
                            s3t::OwnershipControlsRule::builder()
                                .object_ownership(s3t::ObjectOwnership::BucketOwnerEnforced)
                                .build()
                                .map_err(build("PutBucketOwnershipControls"))?,
                        )
                        .build()
                        .map_err(build("PutBucketOwnershipControls"))?,
                )
                .send()
                .await
                .map_err(err("s3", "PutBucketOwnershipControls", ep))?;
            done.push("disabled ACLs".into());
        }
        if !p.versioning {
            c.s3.put_bucket_versioning()
                .bucket(b)
                .versioning_configuration(
                    s3t::VersioningConfiguration::builder()
                        .status(s3t::BucketVersioningStatus::Enabled)
                        .build(),
                )
                .send()
                .await
                .map_err(err("s3", "PutBucketVersioning", ep))?;
            done.push("turned versioning on".into());
        }
        let want = (
            env.registry.retention_mode.as_s3().to_string(),
            env.registry.retention_days,
        );
        if p.retention.as_ref() != Some(&want) {
            let mode = match env.registry.retention_mode {
                RetentionMode::Governance => s3t::ObjectLockRetentionMode::Governance,
                RetentionMode::Compliance => s3t::ObjectLockRetentionMode::Compliance,
            };
            c.s3.put_object_lock_configuration()
                .bucket(b)
                .object_lock_configuration(
                    s3t::ObjectLockConfiguration::builder()
                        .object_lock_enabled(s3t::ObjectLockEnabled::Enabled)
                        .rule(
                            s3t::ObjectLockRule::builder()
                                .default_retention(
                                    s3t::DefaultRetention::builder()
                                        .mode(mode)
                                        .days(env.registry.retention_days as i32)
                                        .build(),
                                )
                                .build(),
                        )
                        .build(),
                )
                .send()
                .await
                .map_err(err("s3", "PutObjectLockConfiguration", ep))?;
            done.push(format!("set Object Lock to {} days in {}", want.1, want.0));
        }
        if !p.policy {
            self.put_policy(c).await?;
            done.push("wrote the bucket policy".into());
        }
        Ok(done)
    }

    /// cmek's statements for this registry.
    pub fn statements(&self) -> Vec<Value> {
        let bucket = format!("arn:aws:s3:::{}", self.bucket);
        let kept = [
            format!("{bucket}/{}audit/*", self.prefix),
            format!("{bucket}/{}evidence/*", self.prefix),
        ];
        vec![
            json!({
                "Sid": POLICY_SIDS[0],
                "Effect": "Deny",
                "Principal": "*",
                "Action": "s3:*",
                "Resource": [bucket.clone(), format!("{bucket}/*")],
                "Condition": {"Bool": {"aws:SecureTransport": "false"}}
            }),
            json!({
                "Sid": POLICY_SIDS[1],
                "Effect": "Deny",
                "Principal": "*",
                "Action": ["s3:DeleteObject", "s3:DeleteObjectVersion", "s3:BypassGovernanceRetention"],
                "Resource": kept.clone()
            }),
            json!({
                "Sid": POLICY_SIDS[2],
                "Effect": "Deny",
                "Principal": "*",
                "Action": "s3:PutObject",
                "Resource": kept,
                "Condition": {"Null": {"s3:if-none-match": "true"}}
            }),
        ]
    }

    /// Writes the policy: cmek's statements replace their own Sids; every other statement stays.
    async fn put_policy(&self, c: &Clients) -> Result<(), AwsError> {
        let (b, ep) = (&self.bucket, self.ep());
        let current = match c.s3.get_bucket_policy().bucket(b).send().await {
            Ok(out) => out.policy().map(str::to_string),
            Err(e) => {
                let e = err("s3", "GetBucketPolicy", ep)(e);
                if !(e.is("NoSuchBucketPolicy") || e.http_status == Some(404)) {
                    return Err(e);
                }
                None
            }
        };
        let policy = bucket_policy::merged(current.as_deref(), self.statements(), b)?;
        c.s3.put_bucket_policy()
            .bucket(b)
            .policy(policy)
            .send()
            .await
            .map_err(err("s3", "PutBucketPolicy", ep))?;
        Ok(())
    }

    /// Keeps a signed evidence file (`<prefix>evidence/<tenant>/<time>-<digest>.json`), never
    /// over another object (`If-None-Match: *`, which the registry's policy requires there): its
    /// `s3://` URI and the version id S3 gave it.
    pub async fn keep_evidence(
        &self,
        c: &Clients,
        tenant: &str,
        digest: &str,
        body: Vec<u8>,
    ) -> Result<(String, Option<String>), AwsError> {
        let key = format!(
            "{}evidence/{tenant}/{}-{digest}.json",
            self.prefix,
            crate::shared::clock::rfc3339(crate::shared::clock::now()).replace(':', "")
        );
        let out =
            c.s3.put_object()
                .bucket(&self.bucket)
                .key(&key)
                .content_type("application/json")
                .if_none_match("*")
                .body(ByteStream::from(body))
                .send()
                .await;
        match out {
            Ok(o) => Ok((
                format!("s3://{}/{key}", self.bucket),
                o.version_id().map(str::to_string),
            )),
            Err(e) => Err(self.refused(c, err("s3", "PutObject", self.ep())(e)).await),
        }
    }
}

impl Registry {
    /// The S3 version id of the tenant's record as it is now (HeadObject), if there is a record.
    pub async fn record_version(
        &self,
        c: &Clients,
        tenant: &str,
    ) -> Result<Option<String>, AwsError> {
        match c
            .s3
            .head_object()
            .bucket(&self.bucket)
            .key(self.record_key(tenant))
            .send()
            .await
        {
            Ok(o) => Ok(o.version_id().map(str::to_string)),
            Err(e) => {
                let e = err("s3", "HeadObject", self.ep())(e);
                if e.http_status == Some(404) || e.is("NotFound") || e.is("NoSuchKey") {
                    Ok(None)
                } else {
                    Err(self.refused(c, e).await)
                }
            }
        }
    }
}

fn build(op: &'static str) -> impl Fn(aws_smithy_types::error::operation::BuildError) -> AwsError {
    move |e| AwsError::service("s3", op, "InvalidRequest", &e.to_string())
}
