//! What RDS shows about a revocation: each data path's key, and whether RDS has reacted to an
//! unusable key. RDS uses the key through the grant it created at launch: a key policy that stops
//! allowing Speedscale does not stop a running database; disabling the key does.
//!
//! When, as the RDS user guide ("Encrypting Amazon RDS resources", read 2026-12-01) says: an
//! instance moves to `inaccessible-encryption-credentials-recoverable` "2 hours after detection in
//! instances where backups are enabled", is stopped there for seven days, then becomes
//! `inaccessible-encryption-credentials`; instances with backups disabled stay available "until the
//! volumes are detached from the host"; read replicas have no recoverable state. KMS does not say
//! when a key was disabled, so cmek cannot know how far along that is: a database still available
//! while Speedscale cannot use the key is `partial` for RDS, and an
//! `inaccessible-encryption-credentials*` state is evidence whatever the time.

use crate::shared::ids::{CheckId, Cutoff, RdsResource, ResourceState};
use crate::shared::policy::revoke_grants_remedy;
use crate::shared::report::{Check, Status};
use crate::shared::resource::ResourceStatus;

/// RDS's documented delay, for messages (RDS user guide, "Encrypting Amazon RDS resources").
pub const RDS_DELAY: &str = "RDS moves a database with backups to inaccessible-encryption-credentials-recoverable \"2 hours after detection\" of an unusable key, and one with backups disabled stays available until its volumes detach (RDS user guide); KMS does not say when the key was disabled, so run revoke-check again after those 2 hours";

/// Aurora's documented delay, for messages (the Aurora user guide gives no time for a cluster).
pub const AURORA_DELAY: &str = "Aurora moves a cluster to inaccessible-encryption-credentials-recoverable once it can no longer use the key, and \"This change could be immediate, or deferred, depending on the use case that required access to the KMS key\" (Aurora user guide, AWS KMS key management); KMS does not say when the key was disabled, so run revoke-check again later";

/// How long a recoverable database stays recoverable, for messages.
pub const RECOVERABLE_FOR: &str = "RDS keeps it recoverable for seven days, then it becomes inaccessible-encryption-credentials and only a restore from backup helps; the seven days count from when RDS detected the unusable key, which no API reports (the customer's CloudTrail shows when the key was disabled or a grant revoked)";

/// The evidence of an RDS `status` row, given how far Speedscale is cut off from the key.
pub fn evidence(kind: RdsResource, r: &ResourceStatus, cutoff: Cutoff) -> Check {
    let on_key = r.on_key();
    match kind {
        RdsResource::Instance | RdsResource::Cluster => match r.state {
            ResourceState::Missing => Check::new(
                CheckId::RevokeRdsStorage,
                Status::Warn,
                &r.resource,
                "the database does not exist",
            ),
            ResourceState::Drift | ResourceState::Unencrypted => r
                .gap(CheckId::RevokeRdsStorage, "the database's storage")
                .remedy("a database's key cannot change: `cmek enable --migrate-database` restores a copy under the key"),
            ResourceState::Ok | ResourceState::Stopped => rds_state(r, cutoff),
        },
        // Off (no managed secret, no Performance Insights): nothing is stored under any key.
        RdsResource::Secret | RdsResource::Insights if r.state == ResourceState::Missing => {
            Check::new(
                if kind == RdsResource::Secret {
                    CheckId::RevokeRdsSecret
                } else {
                    CheckId::RevokeRdsInsights
                },
                Status::Skip,
                &r.resource,
                format!("off: nothing is stored under any key ({})", r.message),
            )
        }
        RdsResource::Secret if on_key => Check::new(
            CheckId::RevokeRdsSecret,
            Status::Pass,
            &r.resource,
            "the master password secret is under the key",
        ),
        RdsResource::Secret => Check::new(
            CheckId::RevokeRdsSecret,
            Status::Warn,
            &r.resource,
            format!(
                "the master password secret is under {} (a credential, not tenant data)",
                r.actual_key
            ),
        ),
        RdsResource::Insights if on_key => Check::new(
            CheckId::RevokeRdsInsights,
            Status::Pass,
            &r.resource,
            "Performance Insights data is under the key",
        ),
        RdsResource::Insights => r.gap(CheckId::RevokeRdsInsights, "Performance Insights data"),
        RdsResource::ClusterSnapshot if on_key => match r.copy.as_ref().map(|c| &c.shared_with) {
            Some(shared) if !shared.is_empty() => Check::new(
                CheckId::RevokeRdsSnapshot,
                Status::Warn,
                &r.resource,
                format!("the cluster snapshot is under the key, and shared with {}: an account it is shared with may have copied it under a key of its own, which cmek cannot see", shared.join(", ")),
            )
            .remedy(format!("unshare it: aws rds modify-db-cluster-snapshot-attribute --db-cluster-snapshot-identifier {} --attribute-name restore --values-to-remove {}", r.resource, shared.join(" "))),
            _ => Check::new(
                CheckId::RevokeRdsSnapshot,
                Status::Pass,
                &r.resource,
                "the cluster snapshot is under the key",
            ),
        },
        RdsResource::ClusterSnapshot => copy_gap(r, CheckId::RevokeRdsSnapshot, "the cluster snapshot"),
        RdsResource::Snapshot if on_key => match r.copy.as_ref().map(|c| &c.shared_with) {
            Some(shared) if !shared.is_empty() => Check::new(
                CheckId::RevokeRdsSnapshot,
                Status::Warn,
                &r.resource,
                format!("the snapshot is under the key, and shared with {}: an account it is shared with may have copied it under a key of its own, which cmek cannot see", shared.join(", ")),
            )
            .remedy(format!("unshare it: aws rds modify-db-snapshot-attribute --db-snapshot-identifier {} --attribute-name restore --values-to-remove {}", r.resource, shared.join(" "))),
            _ => Check::new(
                CheckId::RevokeRdsSnapshot,
                Status::Pass,
                &r.resource,
                "the snapshot is under the key",
            ),
        },
        RdsResource::Snapshot => copy_gap(r, CheckId::RevokeRdsSnapshot, "the snapshot"),
        RdsResource::AutomatedBackup if on_key => Check::new(
            CheckId::RevokeRdsAutomatedBackup,
            Status::Pass,
            &r.resource,
            "the retained automated backups are under the key",
        ),
        RdsResource::AutomatedBackup => copy_gap(
            r,
            CheckId::RevokeRdsAutomatedBackup,
            "the retained automated backup",
        ),
        RdsResource::Replaced => Check::new(
            CheckId::RevokeRdsReplaced,
            if on_key { Status::Pass } else { Status::Fail },
            &r.resource,
            format!(
                "the database a migration replaced is under {} and holds tenant data until it is retired",
                r.actual_key
            ),
        ),
    }
}

/// A copy outside the key: a `fail` whose remedy is the command that removes it (cmek never does).
fn copy_gap(r: &ResourceStatus, id: CheckId, what: &str) -> Check {
    let mut check = r.gap(id, what);
    check.message = format!("{}: {}", check.message, r.message);
    match &r.copy {
        Some(c) => {
            check.message.push_str(&c.facts());
            check.remedy(format!(
                "a copy of the tenant's data that disabling the key does not touch; once it is not needed: {}",
                c.remove
            ))
        }
        None => check,
    }
}

/// A database on the key: is it cut off (or usable) as the key says?
pub fn rds_state(r: &ResourceStatus, cutoff: Cutoff) -> Check {
    let status = r.status.clone().unwrap_or_default();
    let id = CheckId::RevokeRdsState;
    let usable = match cutoff {
        Cutoff::None => true,
        Cutoff::KeyUnusable => false,
        Cutoff::RefusedToSpeedscale => {
            return if status.starts_with("inaccessible-encryption-credentials") {
                // RDS's own evidence that it is cut off (the key disabled, or RDS's grant
                // revoked), whatever the other paths show.
                rds_state(r, Cutoff::KeyUnusable)
            } else {
                Check::new(
                    id,
                    Status::Fail,
                    &r.resource,
                    format!("the key policy refuses Speedscale, but RDS uses the key through the grant it created at launch, and a grant keeps working until the key is disabled or the grant is revoked: the database is still {status}"),
                )
                .remedy(revoke_grants_remedy(&r.expected_key))
            };
        }
    };
    match (usable, status.as_str()) {
        (true, "inaccessible-encryption-credentials-recoverable") | (true, "stopped") => Check::new(
            id,
            Status::Warn,
            &r.resource,
            format!("the storage is under the key, but the database is {status}: start it ({}) to use it again", if r.kind == crate::shared::ids::ResourceKind::Rds(RdsResource::Cluster) { "aws rds start-db-cluster" } else { "aws rds start-db-instance" }),
        ),
        (true, "inaccessible-encryption-credentials") => Check::new(
            id,
            Status::Warn,
            &r.resource,
            "the database lost its key for good (inaccessible-encryption-credentials): only a restore from backup helps",
        ),
        (true, _) => Check::new(
            id,
            Status::Pass,
            &r.resource,
            format!("the storage is under the key ({status})"),
        ),
        (false, "inaccessible-encryption-credentials-recoverable") => Check::new(
            id,
            Status::Pass,
            &r.resource,
            format!("RDS cannot use the key: the database is inaccessible-encryption-credentials-recoverable and stopped; {RECOVERABLE_FOR}"),
        ),
        (false, "inaccessible-encryption-credentials") => Check::new(
            id,
            Status::Pass,
            &r.resource,
            "RDS lost the key for good (inaccessible-encryption-credentials)",
        ),
        (false, "stopped") => Check::new(
            id,
            Status::Pass,
            &r.resource,
            "the database is stopped and cannot be started while the key is unusable",
        ),
        (false, s) => Check::new(
            id,
            Status::Fail,
            &r.resource,
            format!(
                "the database is still {s} although Speedscale cannot use the key: {}",
                if r.kind == crate::shared::ids::ResourceKind::Rds(RdsResource::Cluster) {
                    AURORA_DELAY
                } else {
                    RDS_DELAY
                }
            ),
        ),
    }
}
