//! The record of an onboarded tenant, as the registry keeps it: who, when, which key and which
//! resources. `status` and `revoke-check` take the expected key and the resource names from it.

use serde::{Deserialize, Serialize};

/// The resources a tenant record lists.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Resources {
    /// Bucket names.
    pub buckets: Vec<String>,
    /// Stream names.
    pub streams: Vec<String>,
    /// The database identifier in use (a migrated one when migrated).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub database: Option<String>,
    /// The database a migration left in place, for cut-over.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub replaced_database: Option<String>,
    /// The delivery role cmek manages.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<String>,
    /// SQS queue names.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub queues: Vec<String>,
    /// SNS topic names.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub topics: Vec<String>,
}

/// One onboarded tenant.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Record {
    /// Always 1.
    pub schema_version: u32,
    /// The tenant.
    pub tenant: String,
    /// The customer key.
    pub key_arn: String,
    /// The environment's name.
    pub environment: String,
    /// Speedscale's account.
    pub account: String,
    /// The region.
    pub region: String,
    /// What cmek manages for the tenant.
    pub resources: Resources,
    /// Who onboarded it first (STS caller ARN).
    pub enabled_by: String,
    /// When (RFC 3339).
    pub enabled_at: String,
    /// Who last changed it (STS caller ARN).
    pub updated_by: String,
    /// When it was last changed (RFC 3339).
    pub updated_at: String,
    /// The cmek version that last wrote it.
    pub cmek_version: String,
    /// The customer account the tenant belongs to (from its key ARN at first onboarding; moved
    /// only by `enable --new-customer-account`). Absent in records written before it was kept.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub customer_account: Option<String>,
    /// When the current key reached the tenant's buckets (RFC 3339), stamped as the record is
    /// written after a run that put the tenant on a key it was not on, or set a bucket's
    /// encryption; kept by other runs. Records written before it was kept: absent, and
    /// `updated_at` stands for it (the key was applied no later than that).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key_since: Option<String>,
    /// Other tenants on the same key (`--share-key-with`), as far as this record knows.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub shared_key_with: Vec<String>,
}

impl Record {
    /// The latest time by which the record's key was applied to every resource it lists (Unix
    /// seconds): `key_since`, else `updated_at`.
    pub fn key_applied_by(&self) -> Option<i64> {
        crate::shared::clock::parse_rfc3339(self.key_since.as_deref().unwrap_or(&self.updated_at))
    }

    /// The customer account the tenant belongs to (older records: the account of their key).
    pub fn customer_account(&self) -> String {
        self.customer_account.clone().unwrap_or_else(|| {
            self.key_arn
                .split(':')
                .nth(4)
                .unwrap_or_default()
                .to_string()
        })
    }
}
