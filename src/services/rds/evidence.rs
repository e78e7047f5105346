//! What RDS shows about a revocation: each data path's key, and whether RDS has reacted to an
//! unusable key (`inaccessible-encryption-credentials-recoverable`, which it may take a while to
//! reach). RDS uses the key through the grant it created at launch: a key policy that stops
//! allowing Speedscale does not stop a running database; disabling the key does.

use crate::shared::ids::{CheckId, Cutoff, RdsResource, ResourceState};
use crate::shared::policy::revoke_grants_remedy;
use crate::shared::report::{Check, Status};
use crate::shared::resource::ResourceStatus;

/// The evidence of an RDS `status` row, given how far Speedscale is cut off from the key.
pub fn evidence(kind: RdsResource, r: &ResourceStatus, cutoff: Cutoff) -> Check {
    let on_key = r.on_key();
    match kind {
        RdsResource::Instance => match r.state {
            ResourceState::Missing => Check::new(
                CheckId::RevokeRdsStorage,
                Status::Warn,
                &r.resource,
                "the database does not exist",
            ),
            ResourceState::Drift | ResourceState::Unencrypted => r
                .gap(CheckId::RevokeRdsStorage, "the database's storage")
                .remedy("a database's key cannot change: `cmek enable --migrate-database` restores a copy under the key"),
            ResourceState::Ok => rds_state(r, cutoff),
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
        RdsResource::Snapshot if on_key => Check::new(
            CheckId::RevokeRdsSnapshot,
            Status::Pass,
            &r.resource,
            "the snapshot is under the key",
        ),
        RdsResource::Snapshot => r.gap(CheckId::RevokeRdsSnapshot, "the snapshot"),
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

/// A database on the key: is it cut off (or usable) as the key says?
pub fn rds_state(r: &ResourceStatus, cutoff: Cutoff) -> Check {
    let status = r.status.clone().unwrap_or_default();
    let id = CheckId::RevokeRdsState;
    let usable = match cutoff {
        Cutoff::None => true,
        Cutoff::KeyUnusable => false,
        Cutoff::RefusedToSpeedscale => {
            return if status.starts_with("inaccessible-encryption-credentials") {
                // Not reached by revoke-check (this state makes the cut-off KeyUnusable), kept
                // for completeness: RDS reports it only when it cannot use the key at all.
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
            format!("the storage is under the key, but the database is {status}: start it (aws rds start-db-instance) to use it again"),
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
            "RDS cannot use the key: the database is inaccessible-encryption-credentials-recoverable and stopped; it becomes terminal 7 days after the key became inaccessible (that moment is in the database's RDS events)",
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
            format!("the database is still {s}: RDS has not reacted yet. AWS may take some time; disabling the key stops the database, while only removing Speedscale from the key policy may not stop a running one"),
        ),
    }
}
