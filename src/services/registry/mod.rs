//! The environment's registry: a Speedscale-owned S3 bucket holding the record of every onboarded
//! tenant (`<prefix>tenants/<tenant>.json`), an audit event per `enable` apply
//! (`<prefix>audit/<tenant>/<time>-<run>.json`) and the per-tenant lock
//! (`<prefix>locks/<tenant>.json`, taken with S3 conditional writes). It holds no tenant data.

mod claims;
mod jobs;
mod lock;
mod observed;
mod protect;

use aws_sdk_s3::primitives::ByteStream;

pub use claims::{ClaimWrite, KeyClaim};
pub use jobs::{BatchJob, BatchJobs};
pub use lock::{Lock, LockRefusal, LOCK_TTL};
pub use observed::{Observed, ObservedResource, TenantObservation, OBSERVED_VERSION};
pub use protect::{Protection, POLICY_SIDS};

use crate::aws::Clients;
use crate::error::{AwsError, Error};
use crate::services::s3::quotas;
use crate::shared::clock;
use crate::shared::quota::pace;
use crate::shared::record::Record;
use crate::shared::tenancy::{err, Tenancy};

/// One tenant record in the registry's listing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordEntry {
    /// The tenant id (the record's name).
    pub tenant: String,
    /// The record's ETag: it changes whenever the record is written.
    pub etag: String,
}

/// The registry of one environment.
#[derive(Debug, Clone)]
pub struct Registry {
    /// The bucket.
    pub bucket: String,
    /// The key prefix.
    pub prefix: String,
    endpoint: Option<String>,
}

impl Registry {
    /// The registry of an environment.
    pub fn new(t: &Tenancy) -> Self {
        Self {
            bucket: t.env.registry_bucket(&t.account, &t.region),
            prefix: t.env.registry.prefix.clone(),
            endpoint: t.endpoint.clone(),
        }
    }

    /// For `status --all`: the registry without a tenant.
    pub fn for_environment(
        env: &crate::environment::Environment,
        account: &str,
        region: &str,
        endpoint: Option<String>,
    ) -> Self {
        Self {
            bucket: env.registry_bucket(account, region),
            prefix: env.registry.prefix.clone(),
            endpoint,
        }
    }

    pub(super) fn ep(&self) -> Option<&str> {
        self.endpoint.as_deref()
    }

    /// A failed call on the registry bucket: when S3 refused it because another account owns the
    /// bucket, the error that says so (`s3::owner`); nothing is then read or written.
    pub(super) async fn refused(&self, c: &Clients, e: AwsError) -> AwsError {
        crate::services::s3::owner::explain(c, &self.bucket, e).await
    }

    pub(super) fn record_key(&self, tenant: &str) -> String {
        format!("{}tenants/{tenant}.json", self.prefix)
    }

    pub(super) fn lock_key(&self, tenant: &str) -> String {
        format!("{}locks/{tenant}.json", self.prefix)
    }

    /// Whether the registry bucket exists (HeadBucket).
    pub async fn exists(&self, c: &Clients) -> Result<bool, AwsError> {
        match c.s3.head_bucket().bucket(&self.bucket).send().await {
            Ok(_) => Ok(true),
            Err(e) => {
                let e = AwsError::from_sdk("s3", "HeadBucket", &e).at(self.ep());
                if e.http_status == Some(404) || e.is("NotFound") {
                    Ok(false)
                } else {
                    Err(self.refused(c, e).await)
                }
            }
        }
    }

    /// Creates the registry bucket when missing: private, owner-enforced, and SSE-KMS by default
    /// (the AWS managed key `aws/s3`, with a bucket key), so that auditors' checks for SSE-KMS
    /// (Prowler's `s3_bucket_kms_encryption`) pass. An existing bucket on SSE-S3 is moved to
    /// SSE-KMS; one already on SSE-KMS (with any key) is left as it is.
    pub async fn ensure(&self, c: &Clients) -> Result<(), AwsError> {
        let ep = self.ep();
        let exists = self.exists(c).await?;
        if !exists {
            let mut create = c.s3.create_bucket().bucket(&self.bucket);
            if c.region != "us-east-1" {
                create = create.create_bucket_configuration(
                    aws_sdk_s3::types::CreateBucketConfiguration::builder()
                        .location_constraint(c.region.as_str().into())
                        .build(),
                );
            }
            if let Err(e) = create.send().await {
                let e = err("s3", "CreateBucket", ep)(e);
                if !e.is("BucketAlreadyOwnedByYou") {
                    return Err(e);
                }
            }
            crate::services::s3::block_public_access(c, &self.bucket, ep).await?;
        }
        let on_kms = match c
            .s3
            .get_bucket_encryption()
            .bucket(&self.bucket)
            .send()
            .await
        {
            Ok(out) => out
                .server_side_encryption_configuration()
                .and_then(|c| c.rules().first())
                .and_then(|r| r.apply_server_side_encryption_by_default())
                .is_some_and(|d| d.sse_algorithm().as_str().starts_with("aws:kms")),
            Err(e) => {
                let e = err("s3", "GetBucketEncryption", ep)(e);
                if !e.is("ServerSideEncryptionConfigurationNotFoundError") {
                    return Err(e);
                }
                false
            }
        };
        if !on_kms {
            self.encrypt_with_aws_managed_key(c).await?;
        }
        Ok(())
    }

    async fn encrypt_with_aws_managed_key(&self, c: &Clients) -> Result<(), AwsError> {
        use aws_sdk_s3::types as s3t;
        let build = |e: aws_smithy_types::error::operation::BuildError| {
            AwsError::service(
                "s3",
                "PutBucketEncryption",
                "InvalidRequest",
                &e.to_string(),
            )
        };
        let rule = s3t::ServerSideEncryptionRule::builder()
            .apply_server_side_encryption_by_default(
                s3t::ServerSideEncryptionByDefault::builder()
                    .sse_algorithm(s3t::ServerSideEncryption::AwsKms)
                    .build()
                    .map_err(build)?,
            )
            .bucket_key_enabled(true)
            .build();
        c.s3.put_bucket_encryption()
            .bucket(&self.bucket)
            .server_side_encryption_configuration(
                s3t::ServerSideEncryptionConfiguration::builder()
                    .rules(rule)
                    .build()
                    .map_err(build)?,
            )
            .send()
            .await
            .map_err(err("s3", "PutBucketEncryption", self.ep()))?;
        Ok(())
    }

    /// The tenant's record, if any.
    pub async fn read_record(&self, c: &Clients, tenant: &str) -> Result<Option<Record>, Error> {
        Ok(self.read_record_tagged(c, tenant).await?.map(|(r, _)| r))
    }

    /// Writes the tenant's record.
    pub async fn write_record(&self, c: &Clients, record: &Record) -> Result<(), AwsError> {
        self.put_json(c, &self.record_key(&record.tenant), record)
            .await
    }

    /// Writes the tenant's record only if it is still the one read with `etag` (false: it changed).
    pub async fn write_record_if(
        &self,
        c: &Clients,
        record: &Record,
        etag: &str,
    ) -> Result<bool, AwsError> {
        let body = serde_json::to_vec_pretty(record).unwrap_or_default();
        match c
            .s3
            .put_object()
            .bucket(&self.bucket)
            .key(self.record_key(&record.tenant))
            .content_type("application/json")
            .if_match(etag)
            .body(ByteStream::from(body))
            .send()
            .await
        {
            Ok(_) => Ok(true),
            Err(e) => {
                let e = err("s3", "PutObject", self.ep())(e);
                if e.is_precondition_failed() {
                    Ok(false)
                } else {
                    Err(e)
                }
            }
        }
    }

    /// Writes one JSON object of the registry (records, job lists).
    pub(super) async fn put_json<T: serde::Serialize>(
        &self,
        c: &Clients,
        key: &str,
        value: &T,
    ) -> Result<(), AwsError> {
        let body = serde_json::to_vec_pretty(value).unwrap_or_default();
        let put =
            c.s3.put_object()
                .bucket(&self.bucket)
                .key(key)
                .content_type("application/json")
                .body(ByteStream::from(body))
                .send()
                .await;
        if let Err(e) = put {
            return Err(self.refused(c, err("s3", "PutObject", self.ep())(e)).await);
        }
        Ok(())
    }

    /// Every tenant record (for `status --all`), with its ETag, by tenant id.
    pub async fn list_records(&self, c: &Clients) -> Result<Vec<RecordEntry>, AwsError> {
        let prefix = format!("{}tenants/", self.prefix);
        let mut out: Vec<RecordEntry> = self
            .list(c, &prefix)
            .await?
            .into_iter()
            .filter_map(|(key, etag)| {
                let tenant = key.strip_prefix(&prefix)?.strip_suffix(".json")?;
                Some(RecordEntry {
                    tenant: tenant.to_string(),
                    etag,
                })
            })
            .collect();
        out.sort_by(|a, b| a.tenant.cmp(&b.tenant));
        Ok(out)
    }

    /// Every object key below `prefix`, with its ETag: every page, each read paced (no bucket:
    /// nothing).
    pub(super) async fn list(
        &self,
        c: &Clients,
        prefix: &str,
    ) -> Result<Vec<(String, String)>, AwsError> {
        let mut out = vec![];
        let mut token = None;
        loop {
            pace(&quotas::OBJECT_READS).await;
            let page = match c
                .s3
                .list_objects_v2()
                .bucket(&self.bucket)
                .prefix(prefix)
                .set_continuation_token(token.take())
                .send()
                .await
            {
                Ok(p) => p,
                Err(e) => {
                    let e = err("s3", "ListObjectsV2", self.ep())(e);
                    if e.is("NoSuchBucket") {
                        return Ok(out);
                    }
                    return Err(self.refused(c, e).await);
                }
            };
            out.extend(page.contents().iter().filter_map(|o| {
                Some((
                    o.key()?.to_string(),
                    o.e_tag().unwrap_or_default().to_string(),
                ))
            }));
            match page.next_continuation_token() {
                Some(t) if page.is_truncated() == Some(true) => token = Some(t.to_string()),
                _ => break,
            }
        }
        Ok(out)
    }

    /// The tenant's record with its ETag, if any.
    pub async fn read_record_tagged(
        &self,
        c: &Clients,
        tenant: &str,
    ) -> Result<Option<(Record, String)>, Error> {
        match self.get_json(c, &self.record_key(tenant)).await? {
            None => Ok(None),
            Some((bytes, etag)) => serde_json::from_slice(&bytes)
                .map(|r| Some((r, etag)))
                .map_err(|e| {
                    Error::Local(format!(
                        "the registry record s3://{}/{} is not a cmek record: {e}",
                        self.bucket,
                        self.record_key(tenant)
                    ))
                }),
        }
    }

    /// Appends an audit event.
    pub async fn audit(
        &self,
        c: &Clients,
        tenant: &str,
        run: &str,
        event: &serde_json::Value,
    ) -> Result<String, AwsError> {
        let key = format!(
            "{}audit/{tenant}/{}-{run}.json",
            self.prefix,
            clock::rfc3339(clock::now()).replace(':', "")
        );
        c.s3.put_object()
            .bucket(&self.bucket)
            .key(&key)
            .content_type("application/json")
            .if_none_match("*")
            .body(ByteStream::from(
                serde_json::to_vec_pretty(event).unwrap_or_default(),
            ))
            .send()
            .await
            .map_err(err("s3", "PutObject", self.ep()))?;
        Ok(format!("s3://{}/{key}", self.bucket))
    }

    pub(super) async fn get_json(
        &self,
        c: &Clients,
        key: &str,
    ) -> Result<Option<(Vec<u8>, String)>, AwsError> {
        pace(&quotas::OBJECT_READS).await;
        match c.s3.get_object().bucket(&self.bucket).key(key).send().await {
            Ok(out) => {
                let etag = out.e_tag().unwrap_or_default().to_string();
                let bytes = out.body.collect().await.map_err(|e| {
                    AwsError::service("s3", "GetObject", "ReadError", &e.to_string())
                })?;
                Ok(Some((bytes.to_vec(), etag)))
            }
            Err(e) => {
                let e = err("s3", "GetObject", self.ep())(e);
                if e.is("NoSuchKey") || e.is("NoSuchBucket") || e.http_status == Some(404) {
                    Ok(None)
                } else {
                    Err(self.refused(c, e).await)
                }
            }
        }
    }
}
