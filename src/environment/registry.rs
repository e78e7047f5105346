//! The environment's own stores: the registry (`[registry]`) and the evidence signing key
//! (`[evidence]`).

use serde::Deserialize;

use super::{default_registry_bucket, default_registry_prefix};

/// The registry location.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Registry {
    /// Bucket name template (may use `{account}` and `{region}`).
    #[serde(default = "default_registry_bucket")]
    pub bucket: String,
    /// Key prefix inside it.
    #[serde(default = "default_registry_prefix")]
    pub prefix: String,
    /// Object Lock's default retention on the registry, in days (1 to 36500; default 365).
    #[serde(default = "default_retention_days")]
    pub retention_days: u32,
    /// Object Lock's mode: `governance` (default) or `compliance`.
    #[serde(default = "default_retention_mode")]
    pub retention_mode: RetentionMode,
}

impl Default for Registry {
    fn default() -> Self {
        Self {
            bucket: default_registry_bucket(),
            prefix: default_registry_prefix(),
            retention_days: default_retention_days(),
            retention_mode: default_retention_mode(),
        }
    }
}

fn default_retention_days() -> u32 {
    365
}
fn default_retention_mode() -> RetentionMode {
    RetentionMode::Governance
}

/// `[evidence]`: the key that signs revoke-check's evidence files.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EvidenceSpec {
    /// An asymmetric KMS key (ECC_NIST_P256, SIGN_VERIFY) in Speedscale's account, by ARN; when
    /// absent, `enable` creates one and names it `alias/speedscale-cmek-evidence`.
    #[serde(default)]
    pub signing_key: Option<String>,
}

/// How long Object Lock keeps every object version the registry holds (audit events, records,
/// evidence copies) from being deleted or overwritten.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum RetentionMode {
    /// Someone with s3:BypassGovernanceRetention may still remove a version (the registry's
    /// bucket policy denies that for audit events and evidence copies).
    Governance,
    /// Nobody, the account's root user included, until the retention ends.
    Compliance,
}

impl RetentionMode {
    /// S3's name (`GOVERNANCE`, `COMPLIANCE`).
    pub fn as_s3(self) -> &'static str {
        match self {
            RetentionMode::Governance => "GOVERNANCE",
            RetentionMode::Compliance => "COMPLIANCE",
        }
    }
}
