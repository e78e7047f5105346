//! Every copy of a tenant's Aurora cluster beside the live one, as `status` rows: its cluster
//! snapshots (automated, manual, cmek's own `-pre-cmek` ones; a deleted cluster's manual ones
//! too) and who each manual one is shared with. "If you don't specify a SnapshotType value, then both automated and manual DB cluster
//! snapshots are returned" (RDS API reference, DescribeDBClusterSnapshots, read 2026-12-02); a
//! snapshot keeps the key it was made under. cmek never deletes one; each row carries the command
//! that would.

use aws_sdk_rds::types::DbClusterSnapshot;

use super::quotas;
use crate::aws::Clients;
use crate::error::AwsError;
use crate::shared::clock;
use crate::shared::ids::RdsResource;
use crate::shared::quota::pace;
use crate::shared::resource::{sh, DataCopy, ResourceStatus};
use crate::shared::tenancy::{err, Tenancy};

/// The cluster snapshots of every cluster in `ids`, each once: the account's manual ones picked by
/// their `DBClusterIdentifier` field (a deleted cluster's included: the DBClusterIdentifier
/// parameter, as for instances, names an existing cluster), and each live cluster's automated ones.
pub(super) async fn cluster_copies(
    c: &Clients,
    t: &Tenancy,
    ids: &[&String],
) -> Result<Vec<ResourceStatus>, AwsError> {
    let mut found: Vec<DbClusterSnapshot> = vec![];
    let wanted = |s: &DbClusterSnapshot| {
        s.db_cluster_identifier()
            .is_some_and(|id| ids.iter().any(|w| w.as_str() == id))
    };
    found.extend(
        list(c, t, None, Some("manual"))
            .await?
            .into_iter()
            .filter(|s| wanted(s)),
    );
    for id in ids {
        found.extend(list(c, t, Some(id), Some("automated")).await?);
    }
    let mut rows = vec![];
    for s in &found {
        let shared = if s.snapshot_type() == Some("manual") {
            shared_with(c, t, s).await?
        } else {
            vec![]
        };
        let cluster = s.db_cluster_identifier().unwrap_or_default().to_string();
        rows.push(cluster_snapshot_row(t, &cluster, s, shared));
    }
    Ok(rows)
}

/// Every page of DescribeDBClusterSnapshots; a cluster that no longer exists has none listed by
/// its identifier (its manual ones come from the account's listing).
async fn list(
    c: &Clients,
    t: &Tenancy,
    cluster: Option<&str>,
    kind: Option<&str>,
) -> Result<Vec<DbClusterSnapshot>, AwsError> {
    let mut out = vec![];
    let mut marker = None;
    loop {
        pace(&quotas::RDS_API).await;
        let r = c
            .rds
            .describe_db_cluster_snapshots()
            .set_db_cluster_identifier(cluster.map(str::to_string))
            .set_snapshot_type(kind.map(str::to_string))
            .max_records(100)
            .set_marker(marker.take())
            .send()
            .await;
        let page = match r {
            Ok(o) => o,
            Err(e) => {
                let e = err("rds", "DescribeDBClusterSnapshots", t.ep())(e);
                if e.is("DBClusterNotFoundFault") {
                    return Ok(out);
                }
                return Err(e);
            }
        };
        out.extend(page.db_cluster_snapshots().iter().cloned());
        match page.marker() {
            Some(m) if !m.is_empty() => marker = Some(m.to_string()),
            _ => return Ok(out),
        }
    }
}

/// The accounts a manual cluster snapshot is shared with (`all`: public).
async fn shared_with(
    c: &Clients,
    t: &Tenancy,
    s: &DbClusterSnapshot,
) -> Result<Vec<String>, AwsError> {
    pace(&quotas::RDS_API).await;
    let out = c
        .rds
        .describe_db_cluster_snapshot_attributes()
        .db_cluster_snapshot_identifier(s.db_cluster_snapshot_identifier().unwrap_or_default())
        .send()
        .await
        .map_err(err("rds", "DescribeDBClusterSnapshotAttributes", t.ep()))?;
    Ok(out
        .db_cluster_snapshot_attributes_result()
        .map(|r| {
            r.db_cluster_snapshot_attributes()
                .iter()
                .filter(|a| a.attribute_name() == Some("restore"))
                .flat_map(|a| a.attribute_values().iter().cloned())
                .collect()
        })
        .unwrap_or_default())
}

/// A cluster snapshot's row: what it is, the key it is under, and the command that removes it.
fn cluster_snapshot_row(
    t: &Tenancy,
    cluster: &str,
    s: &DbClusterSnapshot,
    shared: Vec<String>,
) -> ResourceStatus {
    let name = s.db_cluster_snapshot_identifier().unwrap_or_default();
    let kind = s.snapshot_type().unwrap_or("a");
    let mut msg = format!("{kind} snapshot of cluster {cluster}");
    if name.ends_with("-pre-cmek") {
        msg.push_str(", taken by `cmek enable --migrate-database` before the migration");
    }
    if !shared.is_empty() {
        msg.push_str(&format!(
            "; shared with {}: they can copy or restore it, and cmek cannot see their copies",
            shared.join(", ")
        ));
    }
    let region = sh(&t.region);
    let remove = match kind {
        "automated" => format!(
            "an automated cluster snapshot expires after the cluster's backup retention period (aws rds modify-db-cluster --region {region} --db-cluster-identifier {} --backup-retention-period N shortens it)",
            sh(cluster)
        ),
        _ => format!(
            "aws rds delete-db-cluster-snapshot --region {region} --db-cluster-snapshot-identifier {}",
            sh(name)
        ),
    };
    let encryption = super::cluster::cluster_encryption(
        s.storage_encrypted(),
        s.kms_key_id(),
        s.storage_encryption_type().map(|t| t.as_str()),
    );
    ResourceStatus::of(
        RdsResource::ClusterSnapshot,
        name,
        &t.key,
        Some(&encryption),
        msg,
    )
    .status(s.status().unwrap_or_default())
    .copy(DataCopy {
        allocated_storage_gib: s
            .allocated_storage()
            .map(|g| g.max(0) as u32)
            .filter(|g| *g > 0),
        created: s
            .snapshot_create_time()
            .map(|t| clock::rfc3339(t.secs().max(0) as u64)),
        shared_with: shared,
        remove,
        outside_tenant_buckets: false,
    })
}
