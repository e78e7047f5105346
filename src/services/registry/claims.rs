//! Key claims: one object per customer key (`<prefix>keys/<region>/<account>/<key id>.json`) naming
//! the tenant it belongs to, written with S3 conditional writes so that two runs for two tenants
//! with the same key cannot both win. "If-None-Match: *": "Otherwise, Amazon S3 returns a 412
//! Precondition Failed error. If a conflicting operation occurs during the upload S3 returns a 409
//! ConditionalRequestConflict response" (S3 API reference, PutObject; read 2026-12-01); a share
//! adds a tenant with "If-Match: <ETag>" on the claim read.

use aws_sdk_s3::primitives::ByteStream;
use serde::{Deserialize, Serialize};

use super::Registry;
use crate::aws::Clients;
use crate::error::{AwsError, Error};
use crate::input::KeyArn;
use crate::shared::tenancy::err;

/// Which tenant a customer key belongs to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct KeyClaim {
    /// Always 1.
    pub schema_version: u32,
    /// The key.
    pub key_arn: String,
    /// The customer account that owns it (from the ARN).
    pub customer_account: String,
    /// The tenant that claimed it first.
    pub tenant: String,
    /// Tenants it is shared with (`enable --share-key-with <tenant>`), in the order they joined.
    #[serde(default)]
    pub shared_with: Vec<String>,
    /// Who claimed it (STS caller ARN) and when (RFC 3339).
    pub claimed_by: String,
    /// When.
    pub claimed_at: String,
}

impl KeyClaim {
    /// Whether `tenant` may use the key: its owner, or a tenant it is shared with.
    pub fn allows(&self, tenant: &str) -> bool {
        self.tenant == tenant || self.shared_with.iter().any(|t| t == tenant)
    }
}

/// What a conditional claim write came to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ClaimWrite {
    /// Written.
    Written,
    /// Someone else wrote first (412 or 409): read the claim again.
    Lost,
}

impl Registry {
    fn claim_key(&self, key: &KeyArn) -> String {
        format!(
            "{}keys/{}/{}/{}.json",
            self.prefix,
            key.region(),
            key.account(),
            key.key_id()
        )
    }

    /// The key's claim and its ETag, if any.
    pub async fn read_claim(
        &self,
        c: &Clients,
        key: &KeyArn,
    ) -> Result<Option<(KeyClaim, String)>, Error> {
        let path = self.claim_key(key);
        match self.get_json(c, &path).await? {
            None => Ok(None),
            Some((bytes, etag)) => serde_json::from_slice(&bytes)
                .map(|claim| Some((claim, etag)))
                .map_err(|e| {
                    Error::Local(format!(
                        "the key claim s3://{}/{path} is not a cmek key claim: {e}",
                        self.bucket
                    ))
                }),
        }
    }

    /// Writes the key's claim: a new one only if none exists (`etag` None), or replaces the one
    /// read with that ETag (a share).
    pub async fn write_claim(
        &self,
        c: &Clients,
        key: &KeyArn,
        claim: &KeyClaim,
        etag: Option<&str>,
    ) -> Result<ClaimWrite, AwsError> {
        let body = serde_json::to_vec_pretty(claim).unwrap_or_default();
        let mut put =
            c.s3.put_object()
                .bucket(&self.bucket)
                .key(self.claim_key(key))
                .content_type("application/json")
                .body(ByteStream::from(body));
        put = match etag {
            None => put.if_none_match("*"),
            Some(e) => put.if_match(e),
        };
        match put.send().await {
            Ok(_) => Ok(ClaimWrite::Written),
            Err(e) => {
                let e = err("s3", "PutObject", self.ep())(e);
                if e.is_precondition_failed()
                    || e.is("ConditionalRequestConflict")
                    || e.http_status == Some(409)
                {
                    Ok(ClaimWrite::Lost)
                } else {
                    Err(self.refused(c, e).await)
                }
            }
        }
    }

    /// The tenants whose records name `key` (for a key with no claim: keys onboarded before claims
    /// were kept). Reads every record, 16 at a time, paced: once per new key.
    pub async fn tenants_recorded_on(
        &self,
        c: &Clients,
        key: &KeyArn,
    ) -> Result<Vec<String>, Error> {
        use futures_util::stream::{self, StreamExt, TryStreamExt};
        let entries = self.list_records(c).await?;
        let found: Vec<Option<String>> = stream::iter(entries)
            .map(|e| async move {
                let rec = self.read_record(c, &e.tenant).await?;
                Ok::<_, Error>(rec.filter(|r| r.key_arn == key.as_str()).map(|r| r.tenant))
            })
            .buffer_unordered(16)
            .try_collect()
            .await?;
        let mut tenants: Vec<String> = found.into_iter().flatten().collect();
        tenants.sort();
        Ok(tenants)
    }

    /// The tenants whose keys' claims name `customer_account` (keys of one customer).
    pub async fn tenants_of_account(
        &self,
        c: &Clients,
        region: &str,
        customer_account: &str,
    ) -> Result<Vec<String>, Error> {
        let prefix = format!("{}keys/{region}/{customer_account}/", self.prefix);
        let keys: Vec<String> = self
            .list(c, &prefix)
            .await?
            .into_iter()
            .map(|(k, _)| k)
            .collect();
        let claims =
            futures_util::future::try_join_all(keys.iter().map(|k| self.get_json(c, k))).await?;
        let mut tenants: Vec<String> = claims
            .into_iter()
            .flatten()
            .filter_map(|(bytes, _)| serde_json::from_slice::<KeyClaim>(&bytes).ok())
            .flat_map(|claim| std::iter::once(claim.tenant).chain(claim.shared_with))
            .collect();
        tenants.sort();
        tenants.dedup();
        Ok(tenants)
    }
}
