//! The database's `status` rows: storage, the master password secret, Performance Insights; and
//! the database a migration replaced (its copies: `copies.rs`).

use super::{observe_database, DatabaseState};
use crate::aws::Clients;
use crate::error::AwsError;
use crate::shared::ids::RdsResource;
use crate::shared::resource::ResourceStatus;
use crate::shared::tenancy::Tenancy;

/// The rows of the database `id`.
pub async fn database_status(
    c: &Clients,
    t: &Tenancy,
    id: &str,
) -> Result<Vec<ResourceStatus>, AwsError> {
    Ok(database_rows(t, id, &observe_database(c, t, id).await?))
}

/// The rows of the database `id` as observed (`db`): storage, the master password secret,
/// Performance Insights. Without snapshots: the fleet view reads no more than this.
pub fn database_rows(t: &Tenancy, id: &str, db: &DatabaseState) -> Vec<ResourceStatus> {
    let key = &t.key;
    let (kind, start) = if db.cluster {
        (RdsResource::Cluster, "aws rds start-db-cluster")
    } else {
        (RdsResource::Instance, "aws rds start-db-instance")
    };
    if !db.exists {
        return vec![ResourceStatus::of(
            kind,
            id,
            key,
            None,
            if db.cluster {
                "the cluster does not exist"
            } else {
                "the database does not exist"
            },
        )];
    }
    let mut msg = if db.encryption.is_key(key) {
        "storage encrypted with the key".to_string()
    } else {
        format!("storage encrypted with {}", db.encryption.shown())
    };
    // The same words whatever the key's state now (the header shows that): what RDS did, and
    // what it takes to use the database again.
    let stopped = match db.status.as_str() {
        "inaccessible-encryption-credentials-recoverable" => {
            msg.push_str(&format!("; RDS stopped the database when it could not use the key: with the key usable, start it ({start}) within 7 days of RDS detecting that"));
            true
        }
        "inaccessible-encryption-credentials" => {
            msg.push_str("; RDS lost the key for good: only a restore from a backup helps");
            true
        }
        "stopped" => {
            msg.push_str(&format!("; the database is stopped: start it ({start})"));
            true
        }
        _ => false,
    };
    if db.cluster && !db.members.is_empty() {
        msg.push_str(&format!(
            "; its instances, which share this storage: {}",
            db.members.join(", ")
        ));
    }
    let mut row =
        ResourceStatus::of(kind, id, key, Some(&db.encryption), msg).status(db.status.clone());
    if stopped && row.state == crate::shared::ids::ResourceState::Ok {
        row.state = crate::shared::ids::ResourceState::Stopped;
    }
    let mut out = vec![row];
    if let Some(secret) = &db.secret_encryption {
        out.push(ResourceStatus::of(
            RdsResource::Secret,
            &format!("{id}/master-user-secret"),
            key,
            Some(secret),
            "the AWS-managed master password secret",
        ));
    } else if super::is_migration_target(t, id) {
        out.push(ResourceStatus::of(
            RdsResource::Secret,
            &format!("{id}/master-user-secret"),
            key,
            None,
            super::plan::NO_SECRET,
        ));
    }
    if let Some(pi) = &db.insights_encryption {
        out.push(ResourceStatus::of(
            RdsResource::Insights,
            &format!("{id}/performance-insights"),
            key,
            Some(pi),
            "Performance Insights data",
        ));
    } else if super::insights_wanted(t) && !db.cluster {
        out.push(ResourceStatus::of(
            RdsResource::Insights,
            &format!("{id}/performance-insights"),
            key,
            None,
            "Performance Insights is off, and the environment turns it on: enable turns it on under the key",
        ));
    }
    out
}

/// The rows of a database of the other kind under the identifier (see [`super::other_kind`]).
pub async fn other_kind_rows(
    c: &Clients,
    t: &Tenancy,
    id: &str,
) -> Result<Vec<ResourceStatus>, AwsError> {
    let Some(db) = super::other_kind(c, t, id).await? else {
        return Ok(vec![]);
    };
    let what = if db.cluster {
        "an Aurora cluster"
    } else {
        "a DB instance"
    };
    Ok(database_rows(t, id, &db)
        .into_iter()
        .map(|mut r| {
            r.message = format!(
                "{what} with the database's identifier, which the environment's engine does not name: it holds tenant data; {}",
                r.message
            );
            r
        })
        .collect())
}

/// The database a migration replaced, while it exists: it still holds tenant data.
pub async fn replaced_status(
    c: &Clients,
    t: &Tenancy,
    id: &str,
) -> Result<Vec<ResourceStatus>, AwsError> {
    Ok(replaced_rows(t, id, &observe_database(c, t, id).await?))
}

/// The replaced database's row as observed (none once it is gone).
pub fn replaced_rows(t: &Tenancy, id: &str, db: &DatabaseState) -> Vec<ResourceStatus> {
    if db.exists {
        vec![ResourceStatus::of(
            RdsResource::Replaced,
            id,
            &t.key,
            Some(&db.encryption),
            "the database a migration replaced: it still holds tenant data until it is retired",
        )
        .status(db.status.clone())]
    } else {
        vec![]
    }
}
