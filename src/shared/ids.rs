//! Every id a report carries, as enums: check ids (verify and revoke-check), plan-note ids, resource
//! kinds, resource states and key states. Each serialises in kebab-case, the strings of the JSON
//! output and `docs/checks.md`; `strum`'s `EnumIter` lets the docs and their tests walk every
//! variant instead of a hand-kept list.

use serde::{Deserialize, Serialize};
use strum::{EnumIter, IntoStaticStr};

pub use super::key_state::KeyState;
pub use super::kinds::{
    FirehoseResource, RdsResource, ResourceKind, S3Resource, SnsResource, SqsResource,
};

/// A check's or finding's stable id (docs/checks.md).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, EnumIter, IntoStaticStr,
)]
#[serde(rename_all = "kebab-case")]
#[strum(serialize_all = "kebab-case")]
pub enum CheckId {
    // verify
    /// DescribeKey cross-account.
    KeyAccess,
    /// The key is Enabled.
    KeyState,
    /// SYMMETRIC_DEFAULT.
    KeySpec,
    /// ENCRYPT_DECRYPT.
    KeyUsage,
    /// Customer managed.
    KeyManager,
    /// AWS_KMS key material.
    KeyOrigin,
    /// In the environment's region.
    KeyRegion,
    /// Owned by the customer's account.
    KeyOwner,
    /// Single-Region or multi-Region.
    KeyMultiRegion,
    /// Automatic rotation.
    KeyRotation,
    /// GenerateDataKey then Decrypt.
    KmsRoundTrip,
    /// A DryRun CreateGrant.
    KmsGrantDirect,
    /// S3's use of the key (probe object).
    S3ViaService,
    /// Firehose's use of the key (proven at enable).
    FirehoseViaService,
    /// RDS's use of the key (proven at enable).
    RdsViaService,
    /// SQS's use of the key (proven at enable).
    SqsViaService,
    /// SNS's use of the key, and its delivery into encrypted queues (proven at enable).
    SnsViaService,
    /// A stream producer's own permission on the key (Firehose's caller-permission rule).
    ProducerKeyPermission,
    /// Which tenant the key belongs to (its claim in the registry).
    KeyTenantClaim,
    /// Whether the key policy binds Speedscale's direct use to this tenant (a negative probe).
    KeyTenantBinding,
    // revoke-check
    /// The key's own state.
    RevokeKeyState,
    /// Speedscale's direct round trip.
    RevokeKmsRoundTrip,
    /// `--watch-key`: the key read again and again for the longest data-key reuse period.
    RevokeKeyWatch,
    /// A resource that exists and that the registry record and the environment do not both name.
    RecordInventory,
    /// A bucket's default encryption.
    RevokeS3Bucket,
    /// The canary object read through KMS.
    RevokeS3Canary,
    /// Objects not under the key.
    RevokeS3Objects,
    /// Noncurrent versions not under the key.
    RevokeS3Versions,
    /// An incomplete multipart upload started before the key.
    RevokeS3Upload,
    /// A replication rule whose replicas are not under the key.
    RevokeS3Replication,
    /// A stream's server-side encryption.
    RevokeFirehoseEncryption,
    /// A stream's S3 destination encryption.
    RevokeFirehoseDestination,
    /// A stream's S3 backup (source records) encryption.
    RevokeFirehoseBackup,
    /// A stream's KMS error metrics in CloudWatch (optional evidence).
    RevokeFirehoseMetrics,
    /// A stream producer's own permission on the key.
    RevokeFirehoseProducer,
    /// A database's storage key.
    RevokeRdsStorage,
    /// A database's state (has RDS reacted?).
    RevokeRdsState,
    /// The master password secret's key.
    RevokeRdsSecret,
    /// Performance Insights' key.
    RevokeRdsInsights,
    /// A snapshot's key.
    RevokeRdsSnapshot,
    /// A retained automated backup's key.
    RevokeRdsAutomatedBackup,
    /// The database a migration replaced.
    RevokeRdsReplaced,
    /// A queue's server-side encryption, and how long SQS may reuse a data key.
    RevokeSqsQueue,
    /// Messages a queue held when the key reached it.
    RevokeSqsMessages,
    /// A topic's server-side encryption, and how long SNS may reuse a data key.
    RevokeSnsTopic,
    /// A queue's producer or consumer, or a topic's publisher: its own permission on the key.
    RevokeRolePermission,
}

impl CheckId {
    /// The kebab-case id.
    pub fn as_str(self) -> &'static str {
        self.into()
    }
}

/// A plan note's stable id (docs/checks.md).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, EnumIter, IntoStaticStr)]
#[serde(rename_all = "kebab-case")]
#[strum(serialize_all = "kebab-case")]
pub enum NoteId {
    /// A database's key is fixed for its lifetime.
    RdsKeyFixed,
    /// A migration leaves a cut-over to do.
    RdsMigrationCutover,
    /// The master password secret is on another key.
    RdsSecretKey,
    /// Performance Insights is on another key.
    RdsInsightsKey,
    /// TLS is forced from the database's next reboot (cmek's parameter group).
    RdsTlsAfterReboot,
    /// PostgreSQL logs exported to CloudWatch Logs are not under the customer's key.
    RdsLogsNotOnKey,
    /// Start/Stop share 25 calls per stream per day.
    FirehoseToggleLimit,
    /// Records sent while ENABLING are not encrypted.
    FirehoseEnablingUnencrypted,
    /// Only DirectPut streams take a customer key.
    FirehoseNotDirectput,
    /// The environment puts the stream's own encryption on an AWS owned key.
    FirehoseAwsOwned,
    /// Objects already in a bucket keep their old key.
    S3ObjectsKeepOldKey,
    /// Objects already in a bucket were not examined.
    S3ObjectsNotScanned,
    /// Enforcing bucket-owner ownership turns ACLs off.
    S3OwnershipEnforced,
    /// The tenant moves to another key.
    KeyChanged,
    /// The tenant moves to a key of another customer account (`--new-customer-account`).
    CustomerAccountChanged,
    /// The key's customer account also holds other tenants' keys.
    CustomerAccountShared,
    /// The key is shared with another tenant of the same customer (`--share-key-with`).
    KeyShared,
    /// Messages already in a queue stay under the encryption they were sent with.
    SqsMessagesKeepOldKey,
    /// A topic delivering into an encrypted queue needs SNS's own statement in the key policy.
    SnsDeliveryNeedsKeyPolicy,
}

impl NoteId {
    /// The kebab-case id.
    pub fn as_str(self) -> &'static str {
        self.into()
    }
}

/// A resource's encryption against the key it should use.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, EnumIter, IntoStaticStr,
)]
#[serde(rename_all = "kebab-case")]
#[strum(serialize_all = "kebab-case")]
pub enum ResourceState {
    /// On the expected key.
    Ok,
    /// On another key (SSE-S3 and AWS managed keys included).
    Drift,
    /// Not encrypted.
    Unencrypted,
    /// Not there.
    Missing,
    /// On the expected key, but stopped (a database RDS stopped, or one stopped by hand): it needs
    /// an action (starting), which its row names.
    Stopped,
}

impl ResourceState {
    /// The kebab-case name.
    pub fn as_str(self) -> &'static str {
        self.into()
    }
}

/// How far Speedscale is cut off from the key, as far as its own calls can tell. Grants decide the
/// difference: RDS and Firehose use the key through grants they created at launch, and a grant is
/// a separate authorisation from the key policy. It keeps working after the key policy stops
/// allowing Speedscale, until it is retired or revoked; disabling the key, or scheduling its
/// deletion, stops every grant (KMS developer guide, "Grants in AWS KMS" and "Key states").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Cutoff {
    /// Speedscale can use the key.
    None,
    /// The key itself cannot be used (disabled, pending deletion, gone, ...): grants stop too.
    KeyUnusable,
    /// The key refuses Speedscale but may still be enabled: grants RDS and Firehose hold still work.
    RefusedToSpeedscale,
}

/// Which rule lets records into a Firehose stream under a customer key (see
/// `services/firehose/model.rs` for the dates and AWS's words).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, IntoStaticStr)]
#[serde(rename_all = "kebab-case")]
#[strum(serialize_all = "kebab-case")]
pub enum StreamModel {
    /// Each PutRecord caller needs its own kms:GenerateDataKey and kms:Decrypt on the key: a key
    /// policy that stops allowing Speedscale cuts Speedscale's producers off.
    CallerPermission,
    /// Firehose encrypts through the grant it created: a key policy change does not stop records;
    /// only disabling the key (or revoking the grant) does.
    Grant,
}

/// What revoke-check knows of the cut-off, for each service's evidence.
#[derive(Debug, Clone, Copy)]
pub struct Cut<'a> {
    /// How far Speedscale is cut off from the key.
    pub cutoff: Cutoff,
    /// The key's state as Speedscale sees it.
    pub key_state: &'a KeyState,
    /// Whether the key refused Speedscale's use of it through a service (S3's read of a canary
    /// with Speedscale's own permission). A direct round trip never carries `kms:ViaService`, so
    /// its refusal alone does not show that a statement allowing use through services is gone.
    pub through_services_refused: bool,
    /// `revoke-check --watch-key`: for how many seconds the key was seen unusable at every read
    /// (one read every few seconds), from the first read on; `None` when it was not watched.
    pub unusable_for: Option<u64>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use strum::IntoEnumIterator;

    #[test]
    fn ids_serialise_as_their_kebab_case_names() {
        for id in CheckId::iter() {
            assert_eq!(serde_json::to_value(id).unwrap(), id.as_str());
        }
        for id in NoteId::iter() {
            assert_eq!(serde_json::to_value(id).unwrap(), id.as_str());
        }
        assert_eq!(ResourceKind::all().count(), 22);
        for k in ResourceKind::all() {
            assert_eq!(serde_json::to_value(k).unwrap(), k.as_str());
        }
        assert_eq!(CheckId::KeyMultiRegion.as_str(), "key-multi-region");
        assert_eq!(
            NoteId::FirehoseNotDirectput.as_str(),
            "firehose-not-directput"
        );
        assert_eq!(
            ResourceKind::Rds(RdsResource::Replaced).as_str(),
            "rds-replaced"
        );
    }
}
