//! What `status --all` observed, kept in the registry (`<prefix>fleet/observed.json.gz`) so that
//! `status --all --max-age` can serve fresh tenants without reading their resources again.
//!
//! One object for the fleet: `--max-age` reads it with one GET instead of one per tenant. It holds
//! each tenant's key ARN, the ETag of the record it was observed from, the time, and each
//! resource's name, kind, state, the key it used and AWS's status. Never object keys, never
//! tenant content. The key's own state is not kept: `status` always reads it live.

use std::collections::BTreeMap;

use aws_sdk_s3::primitives::ByteStream;
use serde::{Deserialize, Serialize};

use super::Registry;
use crate::aws::Clients;
use crate::error::{AwsError, Error};
use crate::input::KeyArn;
use crate::services::s3::quotas;
use crate::shared::ids::{ResourceKind, ResourceState};
use crate::shared::quota::pace;
use crate::shared::resource::ResourceStatus;
use crate::shared::tenancy::err;

/// The snapshot's format version.
pub const OBSERVED_VERSION: u32 = 1;

/// The fleet's last observations.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Observed {
    /// [`OBSERVED_VERSION`].
    pub version: u32,
    /// By tenant id.
    pub tenants: BTreeMap<String, TenantObservation>,
}

impl Default for Observed {
    fn default() -> Self {
        Self {
            version: OBSERVED_VERSION,
            tenants: BTreeMap::new(),
        }
    }
}

impl Observed {
    /// The snapshot's body: JSON, gzip'd as it is written (never held whole uncompressed).
    pub fn to_gzip(&self) -> Vec<u8> {
        use std::io::Write;
        let mut gz = flate2::write::GzEncoder::new(
            Vec::with_capacity(self.tenants.len() * 80),
            flate2::Compression::fast(),
        );
        let written = serde_json::to_writer(&mut gz, self)
            .map_err(std::io::Error::from)
            .and_then(|_| gz.flush());
        match written.and_then(|_| gz.finish()) {
            Ok(body) => body,
            Err(e) => {
                tracing::warn!("the fleet snapshot could not be serialised: {e}");
                Vec::new()
            }
        }
    }

    /// A snapshot from its body, decompressed and parsed as a stream.
    pub fn from_gzip(body: &[u8]) -> Option<Self> {
        let reader = std::io::BufReader::new(flate2::read::GzDecoder::new(body));
        serde_json::from_reader(reader).ok()
    }
}

/// One tenant as last observed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TenantObservation {
    /// The key its resources were compared with.
    pub key_arn: String,
    /// The ETag of the record the observation was made from: a record written since (a new key,
    /// a migration) makes the observation stale whatever its age.
    pub record_etag: String,
    /// When (Unix seconds).
    pub observed_at: u64,
    /// Its resources.
    pub resources: Vec<ObservedResource>,
}

/// One resource as last observed: what the fleet view judges by (kind, name, state, the key it
/// used, AWS's status), not the sentence `status --tenant` shows, to keep the snapshot small (about
/// 250 bytes a tenant).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ObservedResource {
    /// What it is.
    pub kind: ResourceKind,
    /// Its name.
    pub resource: String,
    /// The key it used, when not the tenant's key.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub actual_key: Option<String>,
    /// Against the tenant's key.
    pub state: ResourceState,
    /// AWS's status.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
}

impl TenantObservation {
    /// An observation of `rows`, made now from the record with `record_etag`.
    pub fn of(key: &KeyArn, record_etag: &str, observed_at: u64, rows: &[ResourceStatus]) -> Self {
        Self {
            key_arn: key.to_string(),
            record_etag: record_etag.into(),
            observed_at,
            resources: rows
                .iter()
                .map(|r| ObservedResource {
                    kind: r.kind,
                    resource: r.resource.clone(),
                    actual_key: (r.actual_key != key.as_str()).then(|| r.actual_key.clone()),
                    state: r.state,
                    status: r.status.clone(),
                })
                .collect(),
        }
    }

    /// The rows again, as the fleet view judges them (without their sentence).
    pub fn rows(&self) -> Vec<ResourceStatus> {
        self.resources
            .iter()
            .map(|r| ResourceStatus {
                id: format!("{}:{}", r.kind.as_str(), r.resource),
                kind: r.kind,
                resource: r.resource.clone(),
                expected_key: self.key_arn.clone(),
                actual_key: r.actual_key.clone().unwrap_or_else(|| self.key_arn.clone()),
                state: r.state,
                status: r.status.clone(),
                message: String::new(),
                model: None,
                copy: None,
                data_key_reuse_seconds: None,
            })
            .collect()
    }
}

impl Registry {
    fn observed_key(&self) -> String {
        format!("{}fleet/observed.json.gz", self.prefix)
    }

    /// The fleet's last observations (empty when there are none, or when the object is not one
    /// this version reads: it is then rebuilt by the run).
    pub async fn read_observed(&self, c: &Clients) -> Result<Observed, Error> {
        let Some((bytes, _)) = self.get_json(c, &self.observed_key()).await? else {
            return Ok(Observed::default());
        };
        Ok(match Observed::from_gzip(&bytes) {
            Some(o) if o.version == OBSERVED_VERSION => o,
            _ => {
                tracing::warn!(
                    "s3://{}/{} is not a snapshot this version reads: every tenant is observed again",
                    self.bucket,
                    self.observed_key()
                );
                Observed::default()
            }
        })
    }

    /// Writes the fleet's observations, serialised by [`Observed::to_gzip`].
    pub async fn write_observed(&self, c: &Clients, body: Vec<u8>) -> Result<(), AwsError> {
        pace(&quotas::PUT_OBJECT).await;
        c.s3.put_object()
            .bucket(&self.bucket)
            .key(self.observed_key())
            .content_type("application/gzip")
            .body(ByteStream::from(body))
            .send()
            .await
            .map_err(err("s3", "PutObject", self.ep()))?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::shared::ids::{FirehoseResource, S3Resource};
    use crate::shared::tenancy::Encryption;

    #[test]
    fn an_empty_snapshot_is_of_this_version() {
        assert_eq!(Observed::default().version, OBSERVED_VERSION);
    }

    #[test]
    fn a_snapshot_survives_its_gzip_body_and_garbage_is_none() {
        let key: KeyArn =
            "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"
                .parse()
                .unwrap();
        let mut o = Observed::default();
        for i in 0..100 {
            o.tenants.insert(
                format!("tenant-{i:04}"),
                TenantObservation::of(&key, "\"e\"", 1_700_000_000, &[]),
            );
        }
        let body = o.to_gzip();
        assert_eq!(Observed::from_gzip(&body), Some(o));
        assert_eq!(Observed::from_gzip(b"{\"version\":1}"), None);
    }

    #[test]
    fn an_observation_gives_back_the_rows_it_was_made_of() {
        let key: KeyArn =
            "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"
                .parse()
                .unwrap();
        let rows = vec![
            ResourceStatus::of(
                S3Resource::Bucket,
                "speedscale-acme-data",
                &key,
                Some(&Encryption::SseS3),
                "new objects are encrypted with sse-s3",
            ),
            ResourceStatus::of(
                FirehoseResource::Stream,
                "speedscale-acme-events",
                &key,
                None,
                "gone",
            )
            .status("ACTIVE / ENABLED"),
        ];
        let o = TenantObservation::of(&key, "\"etag\"", 1_700_000_000, &rows);
        let without_sentences: Vec<ResourceStatus> = rows
            .iter()
            .cloned()
            .map(|mut r| {
                r.message = String::new();
                r
            })
            .collect();
        assert_eq!(o.rows(), without_sentences);
        assert_eq!(o.resources[0].actual_key.as_deref(), Some("sse-s3"));
        let json = serde_json::to_string(&o).unwrap();
        assert_eq!(serde_json::from_str::<TenantObservation>(&json).unwrap(), o);
        assert!(json.contains("\"kind\":\"s3-bucket\""), "{json}");
    }
}
