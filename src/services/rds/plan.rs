//! The database's change. A database's key is fixed for its lifetime: one on another key is
//! blocked unless migration is asked for.

use super::DatabaseState;
use crate::shared::ids::NoteId;
use crate::shared::steps::{Action, Change, Kind, PlanOptions, RdsStep, Step};
use crate::shared::tenancy::{migrated_identifier, Tenancy};

/// A restored database without its managed secret, outside `--migrate-database`.
pub(super) const NO_SECRET: &str = "the restored database has no AWS-managed master password secret: `enable --migrate-database` puts one under the key; RDS then sets a new master password, so do it before the cut-over";

/// What differs between a DB instance's life and an Aurora cluster's; the rest of the plan is one.
pub(super) struct Lifecycle {
    /// The change's kind.
    pub kind: Kind,
    /// "database" or "cluster", in reasons.
    pub noun: &'static str,
    /// The note that its key is fixed.
    pub fixed: &'static str,
    /// Steps that create it under the key.
    pub create: Vec<Step>,
    /// Steps that migrate one on another key into `<identifier>-cmek`.
    pub migrate: Vec<Step>,
    /// How the migration goes, after "snapshot it, ".
    pub how: &'static str,
    /// The same, after "--migrate-database snapshots it, ".
    pub does: &'static str,
    /// Who cannot change the key.
    pub who: &'static str,
    /// One on the key: its change.
    pub existing: fn(&Tenancy, &DatabaseState, PlanOptions) -> Change,
}

/// The change of the tenant's database, whichever kind `l` describes: create it under the key;
/// keep one on the key; migrate (on request) or block one on another key.
pub(super) fn plan_lifecycle(
    t: &Tenancy,
    db: &DatabaseState,
    migrated: Option<&DatabaseState>,
    opts: PlanOptions,
    l: Lifecycle,
) -> Change {
    let noun = l.noun;
    if !db.exists && migrated.is_none() {
        let mut c = Change::new("database", l.kind, &db.identifier);
        l.create.into_iter().for_each(|s| c.step(s));
        c.note(NoteId::RdsKeyFixed, l.fixed);
        return c.settle(true, vec![format!("the {noun} does not exist")]);
    }
    if db.exists && db.encryption.is_key(&t.key) {
        return (l.existing)(t, db, opts);
    }
    let target = migrated_identifier(&db.identifier);
    if let Some(m) = migrated {
        if m.encryption.is_key(&t.key) {
            let mut c = (l.existing)(t, m, opts);
            c.note(
                NoteId::RdsMigrationCutover,
                format!(
                    "{} was restored from {} under the key; cut-over remains: point the application at {}, then retire {} (cmek never deletes it)",
                    m.identifier, db.identifier, m.identifier, db.identifier
                ),
            );
            return c;
        }
        let mut c = Change::new("database", l.kind, &m.identifier);
        c.action = Action::Blocked;
        c.reason = format!(
            "{} exists but is encrypted with {}; it is not cmek's to change",
            m.identifier,
            m.encryption.described()
        );
        return c;
    }
    if opts.migrate_database {
        let mut c = Change::new("database", l.kind, &target);
        l.migrate.into_iter().for_each(|s| c.step(s));
        c.note(NoteId::RdsKeyFixed, l.fixed);
        c.note(
            NoteId::RdsMigrationCutover,
            format!(
                "{} stays as it is; the new {noun} {target} holds a copy as of the snapshot; cut-over (pointing the application at {target}, then retiring {}) remains",
                db.identifier, db.identifier
            ),
        );
        return c.settle(
            true,
            vec![format!(
                "{} is encrypted with {}: snapshot it, {} as {target}",
                db.identifier,
                db.encryption.described(),
                l.how
            )],
        );
    }
    let mut c = Change::new("database", l.kind, &db.identifier);
    c.action = Action::Blocked;
    c.reason = format!(
        "{} is encrypted with {}, and {} cannot change a {noun}'s key; --migrate-database snapshots it, {} as {target}, leaving {} in place",
        db.identifier,
        db.encryption.described(),
        l.who,
        l.does,
        db.identifier
    );
    c
}

/// The database's change (a DB instance): see [`plan_lifecycle`].
pub fn plan_database(
    t: &Tenancy,
    db: &DatabaseState,
    migrated: Option<&DatabaseState>,
    opts: PlanOptions,
) -> Change {
    let mut migrate: Vec<Step> = [
        RdsStep::SnapshotDatabase,
        RdsStep::CopySnapshot,
        RdsStep::RestoreDatabase,
        RdsStep::WaitDatabase,
        RdsStep::ManageSecret,
    ]
    .map(Step::from)
    .into();
    if super::insights_wanted(t) {
        migrate.push(RdsStep::EnableInsights.into());
    }
    let mut create: Vec<Step> = vec![RdsStep::CreateDatabase.into(), RdsStep::WaitDatabase.into()];
    if let Some(spec) = &t.env.database {
        // The version it will be created with: the environment's, else the engine's default as
        // observed (tls::version_to_create).
        let version = spec
            .engine_version
            .as_deref()
            .or(db.engine_version.as_deref());
        if super::tls::needs_group(&spec.engine, version).is_some() {
            create.insert(0, RdsStep::CreateTlsParameterGroup.into());
        }
    }
    let l = Lifecycle {
        kind: Kind::RdsInstance,
        noun: "database",
        fixed: "an RDS database's key is fixed for its lifetime: it can never be changed, only migrated to a new database",
        create,
        migrate,
        how: "copy the snapshot under the key, restore it",
        does: "copies the snapshot under the key and restores it",
        who: "RDS",
        existing: existing_database,
    };
    let mut c = plan_lifecycle(t, db, migrated, opts, l);
    let exports = t
        .env
        .database
        .as_ref()
        .is_some_and(|d| !d.log_exports.is_empty());
    if exports && c.action != Action::Blocked {
        c.note(NoteId::RdsLogsNotOnKey, LOGS_NOT_ON_KEY);
    }
    c
}

/// Why exported PostgreSQL logs are outside the key.
const LOGS_NOT_ON_KEY: &str = "the environment exports PostgreSQL logs to CloudWatch Logs: they can hold query text, and their log group is not under the customer's key (AWS does not document a log group key of another account), so a revocation does not cut them off";

/// A database on the key: wait for it, tag it, turn Performance Insights on under the key (where
/// the environment asks), and, on the database a migration restored and only with
/// `--migrate-database` (RDS sets a new master password), the master password secret; note the
/// data paths beside its storage that cmek cannot change.
fn existing_database(t: &Tenancy, db: &DatabaseState, opts: PlanOptions) -> Change {
    let mut c = Change::new("database", Kind::RdsInstance, &db.identifier);
    let mut why = vec![];
    if matches!(db.status.as_str(), "creating" | "backing-up" | "modifying") {
        c.step(RdsStep::WaitDatabase);
        why.push(format!("the database is {}", db.status));
    }
    if t.tags_missing(&db.tags) {
        c.step(RdsStep::TagDatabase);
        why.push("tags missing".into());
    }
    if db.secret_encryption.is_none() && super::is_migration_target(t, &db.identifier) {
        if opts.migrate_database {
            c.step(RdsStep::ManageSecret);
            why.push("the restored database has no AWS-managed master password secret".into());
        } else {
            c.note(NoteId::RdsSecretKey, NO_SECRET);
        }
    }
    if super::insights_wanted(t) && db.insights_encryption.is_none() {
        c.step(RdsStep::EnableInsights);
        why.push("Performance Insights is off, and the environment turns it on".into());
    }
    if let Some(spec) = &t.env.database {
        let (group, logs) = super::tls::lacks(spec, db);
        if let Some(m) = group {
            c.step(RdsStep::UseTlsParameterGroup);
            why.push(format!(
                "PostgreSQL {m} on {} leaves TLS optional (rds.force_ssl 0)",
                db.parameter_group
                    .as_deref()
                    .unwrap_or("a default parameter group")
            ));
            c.note(
                NoteId::RdsTlsAfterReboot,
                format!(
                    "{} forces TLS from the database's next reboot, which cmek does not do: reboot it in a maintenance window",
                    super::tls::group_name(&db.identifier, m)
                ),
            );
        }
        if !logs.is_empty() {
            c.step(RdsStep::ExportLogs);
            why.push(format!(
                "the environment exports {} to CloudWatch Logs",
                logs.join(", ")
            ));
        }
    }
    if let Some(e) = &db.secret_encryption {
        if !e.is_key(&t.key) {
            c.note(
                NoteId::RdsSecretKey,
                format!(
                    "the master password secret is under {}; RDS cannot change the key of a secret it manages (ModifyDBInstance)",
                    e.described()
                ),
            );
        }
    }
    if let Some(e) = &db.insights_encryption {
        if !e.is_key(&t.key) {
            c.note(
                NoteId::RdsInsightsKey,
                format!(
                    "Performance Insights data is under {}, and its key cannot be changed",
                    e.described()
                ),
            );
        }
    }
    c.settle(false, why)
}
