//! RDS: the tenant database, start to end. Observe (storage key, master password secret,
//! Performance Insights), plan (create under the key, or migrate one on another key), apply,
//! status rows (snapshots and a replaced database included) and revocation evidence.

mod apply;
mod cluster;
mod cluster_apply;
mod cluster_copies;
mod copies;
mod evidence;
mod keyed;
mod migrate;
mod observe;
mod plan;
pub mod quotas;
mod status;
pub mod tls;

pub use apply::apply;
pub use cluster::plan_cluster;
pub use cluster::{observe_clusters, observe_database, observe_many, other_kind};
pub use cluster_apply::apply_cluster;
pub use copies::{backup_row, database_copies, snapshot_row};
pub use evidence::{evidence, rds_state, AURORA_DELAY, RDS_DELAY, RECOVERABLE_FOR};
pub use observe::{database_state, observe_databases, DatabaseState, DESCRIBE_BATCH};
pub use plan::plan_database;
pub use status::{database_rows, database_status, other_kind_rows, replaced_rows, replaced_status};

use crate::shared::tenancy::{migrated_identifier, Tenancy};

/// Whether `id` is the database a migration restores (`<identifier>-cmek`): the only one whose
/// master password cmek may put under RDS's management (that sets a new password).
pub(crate) fn is_migration_target(t: &Tenancy, id: &str) -> bool {
    t.names
        .database
        .as_deref()
        .map(migrated_identifier)
        .as_deref()
        == Some(id)
}

/// Whether the environment turns Performance Insights on.
pub(crate) fn insights_wanted(t: &Tenancy) -> bool {
    t.env
        .database
        .as_ref()
        .is_some_and(|d| d.performance_insights)
}

#[cfg(test)]
#[path = "cluster_tests.rs"]
mod cluster_tests;
