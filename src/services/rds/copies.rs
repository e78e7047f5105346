//! Every copy of a tenant database beside the live instance, as `status` rows: its snapshots
//! (automated, manual, the final snapshot a deletion took, cmek's own `-pre-cmek` ones), who each
//! manual snapshot is shared with, and the automated backups RDS retained after a database was
//! deleted. A copy keeps the key it was made under: an automated backup or snapshot inherits the
//! instance's key, and a manual snapshot copy can name another (RDS user guide, "Encrypting Amazon
//! RDS resources"). Snapshots and retained backups outlive their instance, so each is found by a
//! listing AWS documents for them (RDS API reference, read 2026-12-01): the account's manual
//! snapshots, and DescribeDBInstanceAutomatedBackups, which "Displays backups for both current and
//! deleted instances". cmek never deletes one; each row carries
//! the command that would.

use aws_sdk_rds::types::{DbInstanceAutomatedBackup, DbSnapshot, Filter};

use super::quotas;
use crate::aws::Clients;
use crate::error::AwsError;
use crate::shared::clock;
use crate::shared::ids::RdsResource;
use crate::shared::quota::pace;
use crate::shared::resource::{sh, DataCopy, ResourceStatus};
use crate::shared::tenancy::{err, Encryption, Tenancy};

/// Snapshots and retained backups per page (RDS's largest `MaxRecords`).
const PAGE: i32 = 100;

/// The copies of every database in `ids` (the live one, the one a migration replaced, the
/// environment's name for it), each identifier once.
pub async fn database_copies(
    c: &Clients,
    t: &Tenancy,
    ids: &[String],
) -> Result<Vec<ResourceStatus>, AwsError> {
    let mut ids: Vec<&String> = ids.iter().collect();
    ids.sort();
    ids.dedup();
    if t.env.database.as_ref().is_some_and(|d| d.is_cluster()) {
        return super::cluster_copies::cluster_copies(c, t, &ids).await;
    }
    let snapshots = async {
        let mut rows = vec![];
        if ids.is_empty() {
            return Ok(rows);
        }
        // Who each is shared with, eight at a time (each call paced within RDS's quota).
        use futures_util::stream::{self, StreamExt, TryStreamExt};
        let snaps = snapshots(c, t, &ids).await?;
        let shared: Vec<Option<Vec<String>>> =
            stream::iter(snaps.iter().map(|s| shared_with(c, t, s)))
                .buffered(8)
                .try_collect()
                .await?;
        for (s, shared) in snaps.iter().zip(shared) {
            let db = s.db_instance_identifier().unwrap_or_default().to_string();
            // Deleted between the listing and now: no longer a copy.
            if let Some(shared) = shared {
                rows.push(snapshot_row(t, &db, s, shared));
            }
        }
        Ok::<_, AwsError>(rows)
    };
    let (snapshots, backups) = tokio::join!(snapshots, async {
        if ids.is_empty() {
            Ok(vec![])
        } else {
            retained_backups(c, t).await
        }
    });
    let mut rows = snapshots?;
    for b in backups? {
        if let Some(id) = ids
            .iter()
            .find(|id| b.db_instance_identifier() == Some(id.as_str()))
        {
            rows.push(backup_row(t, id, &b));
        }
    }
    Ok(rows)
}

/// The snapshots of the instances `ids` (deleted or not). The API reference says the
/// DBInstanceIdentifier parameter "must match the identifier of an existing DBInstance", and does
/// not say that the `db-instance-id` filter finds a deleted instance's snapshots; it does say that
/// without either, DescribeDBSnapshots returns every snapshot. So the manual ones (a migration's
/// `-pre-cmek`, final snapshots, any copy) come from the account's whole list, picked by their
/// `DBInstanceIdentifier` (RDS's default quota is 100 manual snapshots per Region: a few pages),
/// and so do AWS Backup's (`awsbackup`: not listed unless asked for);
/// the automated ones of a live instance through the filter. A deleted instance's automated
/// snapshots belong to its retained automated backups, read on their own.
async fn snapshots(c: &Clients, t: &Tenancy, ids: &[&String]) -> Result<Vec<DbSnapshot>, AwsError> {
    let wanted = |s: &DbSnapshot| {
        s.db_instance_identifier()
            .is_some_and(|i| ids.iter().any(|id| id.as_str() == i))
    };
    let automated = Filter::builder()
        .name("db-instance-id")
        .set_values(Some(ids.iter().map(|i| i.to_string()).collect()))
        .build();
    // AWS Backup's snapshots are their own type, listed only when asked for ("awsbackup").
    let (manual, backup, automated) = tokio::join!(
        snapshot_pages(c, t, "manual", None),
        snapshot_pages(c, t, "awsbackup", None),
        snapshot_pages(c, t, "automated", Some(automated))
    );
    let mut out: Vec<DbSnapshot> = manual?.into_iter().chain(backup?).filter(wanted).collect();
    for s in automated?.into_iter().filter(wanted) {
        if !out
            .iter()
            .any(|o| o.db_snapshot_identifier() == s.db_snapshot_identifier())
        {
            out.push(s);
        }
    }
    Ok(out)
}

/// DescribeDBSnapshots of one snapshot type, every page.
async fn snapshot_pages(
    c: &Clients,
    t: &Tenancy,
    kind: &str,
    filter: Option<Filter>,
) -> Result<Vec<DbSnapshot>, AwsError> {
    let mut out = vec![];
    let mut marker: Option<String> = None;
    loop {
        pace(&quotas::RDS_API).await;
        let page = c
            .rds
            .describe_db_snapshots()
            .snapshot_type(kind)
            .set_filters(filter.clone().map(|f| vec![f]))
            .max_records(PAGE)
            .set_marker(marker.take())
            .send()
            .await
            .map_err(err("rds", "DescribeDBSnapshots", t.ep()))?;
        out.extend(page.db_snapshots().iter().cloned());
        match page.marker() {
            Some(m) if !m.is_empty() => marker = Some(m.to_string()),
            _ => return Ok(out),
        }
    }
}

/// The automated backups RDS retained after an instance was deleted, of the account and Region
/// (DescribeDBInstanceAutomatedBackups filtered to `status` = `retained`, every page). The API
/// reference says its DBInstanceIdentifier parameter "must match the identifier of an existing DB
/// instance", and a retained backup's instance is gone: the listing is by status, and the tenant's
/// are picked by their `DBInstanceIdentifier`. An `active` backup belongs to a live instance, on
/// its key, and is that instance's row.
async fn retained_backups(
    c: &Clients,
    t: &Tenancy,
) -> Result<Vec<DbInstanceAutomatedBackup>, AwsError> {
    let mut out = vec![];
    let mut marker: Option<String> = None;
    let retained = Filter::builder().name("status").values("retained").build();
    loop {
        pace(&quotas::RDS_API).await;
        let page = match c
            .rds
            .describe_db_instance_automated_backups()
            .filters(retained.clone())
            .max_records(PAGE)
            .set_marker(marker.take())
            .send()
            .await
        {
            Ok(p) => p,
            Err(e) => {
                let e = err("rds", "DescribeDBInstanceAutomatedBackups", t.ep())(e);
                // "DBInstanceAutomatedBackupNotFound ... No automated backup for this DB instance
                // was found" (RDS API reference): none, not a failure, on the first page only (a
                // later page's refusal never stands for the rest of the list).
                if out.is_empty()
                    && (e.is("DBInstanceAutomatedBackupNotFound")
                        || e.is("DBInstanceAutomatedBackupNotFoundFault"))
                {
                    return Ok(out);
                }
                return Err(e);
            }
        };
        out.extend(page.db_instance_automated_backups().iter().cloned());
        match page.marker() {
            Some(m) if !m.is_empty() => marker = Some(m.to_string()),
            _ => return Ok(out),
        }
    }
}

/// The accounts a manual snapshot is shared with (DescribeDBSnapshotAttributes, `restore`: account
/// ids, or `all` when public). Automated snapshots cannot be shared.
async fn shared_with(
    c: &Clients,
    t: &Tenancy,
    s: &DbSnapshot,
) -> Result<Option<Vec<String>>, AwsError> {
    if s.snapshot_type() != Some("manual") {
        return Ok(Some(vec![]));
    }
    let Some(id) = s.db_snapshot_identifier() else {
        return Ok(Some(vec![]));
    };
    pace(&quotas::RDS_API).await;
    let out = match c
        .rds
        .describe_db_snapshot_attributes()
        .db_snapshot_identifier(id)
        .send()
        .await
    {
        Ok(o) => o,
        Err(e) => {
            let e = err("rds", "DescribeDBSnapshotAttributes", t.ep())(e);
            if e.is("DBSnapshotNotFound") || e.is("DBSnapshotNotFoundFault") {
                return Ok(None);
            }
            return Err(e);
        }
    };
    let mut accounts: Vec<String> = out
        .db_snapshot_attributes_result()
        .map(|r| r.db_snapshot_attributes())
        .unwrap_or_default()
        .iter()
        .filter(|a| a.attribute_name() == Some("restore"))
        .flat_map(|a| a.attribute_values().iter().cloned())
        .collect();
    accounts.sort();
    accounts.dedup();
    Ok(Some(accounts))
}

fn encryption(encrypted: Option<bool>, key: Option<&str>) -> Encryption {
    if encrypted == Some(true) {
        Encryption::kms(key)
    } else {
        Encryption::None
    }
}

fn time(t: Option<&aws_smithy_types::DateTime>) -> Option<String> {
    t.map(|t| clock::rfc3339(t.secs().max(0) as u64))
}

/// A snapshot's row: what it is, the key it is under, and the command that removes it.
pub fn snapshot_row(t: &Tenancy, db: &str, s: &DbSnapshot, shared: Vec<String>) -> ResourceStatus {
    let name = s.db_snapshot_identifier().unwrap_or_default();
    let kind = s.snapshot_type().unwrap_or("a");
    let mut msg = format!("{kind} snapshot of {db}");
    if name.ends_with("-pre-cmek") {
        msg.push_str(", taken by `cmek enable --migrate-database` before the migration");
    }
    if !shared.is_empty() {
        msg.push_str(&format!(
            "; shared with {}: they can copy or restore it, and cmek cannot see their copies",
            shared_list(&shared)
        ));
    }
    let region = sh(&t.region);
    let remove = match kind {
        "automated" => format!(
            "an automated snapshot goes with its database's automated backups: it expires after the backup retention period (aws rds modify-db-instance --region {region} --db-instance-identifier {} --backup-retention-period N shortens it); once {db} is deleted, with its retained backups (aws rds delete-db-instance-automated-backup --region {region} --dbi-resource-id {})",
            sh(db),
            sh(s.dbi_resource_id().unwrap_or("DBI_RESOURCE_ID"))
        ),
        "awsbackup" => format!(
            "an AWS Backup recovery point: aws backup delete-recovery-point --region {region} --backup-vault-name VAULT --recovery-point-arn {}",
            sh(s.db_snapshot_arn().unwrap_or(name))
        ),
        _ => format!(
            "aws rds delete-db-snapshot --region {region} --db-snapshot-identifier {}",
            sh(name)
        ),
    };
    ResourceStatus::of(
        RdsResource::Snapshot,
        name,
        &t.key,
        Some(&encryption(s.encrypted(), s.kms_key_id())),
        msg,
    )
    .status(s.status().unwrap_or_default())
    .copy(DataCopy {
        allocated_storage_gib: Some(s.allocated_storage().unwrap_or(0) as u32).filter(|g| *g > 0),
        created: time(s.snapshot_create_time()),
        shared_with: shared,
        remove,
        outside_tenant_buckets: false,
    })
}

/// "account 1", "accounts 1, 2", or "everyone (public)".
fn shared_list(shared: &[String]) -> String {
    if shared.iter().any(|a| a == "all") {
        return "every AWS account (public)".into();
    }
    match shared {
        [one] => format!("account {one}"),
        many => format!("accounts {}", many.join(", ")),
    }
}

/// A retained automated backup's row.
pub fn backup_row(t: &Tenancy, db: &str, b: &DbInstanceAutomatedBackup) -> ResourceStatus {
    let dbi = b.dbi_resource_id().unwrap_or_default();
    let window = b
        .restore_window()
        .map(|w| {
            format!(
                ": restorable to any time from {} to {}",
                time(w.earliest_time()).unwrap_or_else(|| "?".into()),
                time(w.latest_time()).unwrap_or_else(|| "?".into())
            )
        })
        .unwrap_or_default();
    ResourceStatus::of(
        RdsResource::AutomatedBackup,
        &format!("{db}/{dbi}"),
        &t.key,
        Some(&encryption(b.encrypted(), b.kms_key_id())),
        format!(
            "automated backups RDS retained after {db} was deleted{window}; they are removed when their retention period ends"
        ),
    )
    .status(b.status().unwrap_or_default())
    .copy(DataCopy {
        allocated_storage_gib: b
            .allocated_storage()
            .map(|g| g.max(0) as u32)
            .filter(|g| *g > 0),
        // Its oldest restorable time: the backups' own age (InstanceCreateTime is the instance's).
        created: b.restore_window().and_then(|w| time(w.earliest_time())),
        shared_with: vec![],
        remove: format!(
            "aws rds delete-db-instance-automated-backup --region {} --dbi-resource-id {}",
            sh(&t.region),
            sh(dbi)
        ),
        outside_tenant_buckets: false,
    })
}
