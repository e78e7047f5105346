//! The Aurora cluster's plan: create with its instances, keep, block or migrate.

use super::*;
use crate::shared::ids::NoteId;
use crate::shared::steps::{Action, ClusterStep, PlanOptions, Step};
use crate::shared::tenancy::{Encryption, Tenancy};

const KEY: &str = "arn:aws:kms:us-east-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab";

fn tenancy() -> Tenancy {
    let env = crate::environment::Environment::from_toml(
        "[database]\nidentifier = \"speedscale-{tenant}-db\"\nengine = \"aurora-postgresql\"\ninstances = 2\n",
    )
    .unwrap();
    Tenancy::new(
        "acme".parse().unwrap(),
        KEY.parse().unwrap(),
        "222222222222",
        "us-east-1",
        env,
        None,
    )
}

fn cluster(t: &Tenancy, id: &str, enc: Encryption) -> DatabaseState {
    DatabaseState {
        identifier: id.into(),
        exists: true,
        status: "available".into(),
        encryption: enc,
        secret_encryption: Some(Encryption::Kms(KEY.into())),
        insights_encryption: None,
        arn: format!("arn:aws:rds:us-east-1:222222222222:cluster:{id}"),
        tags: t.tags(),
        cluster: true,
        members: vec![format!("{id}-1"), format!("{id}-2")],
        engine_version: None,
        parameter_group: None,
        log_exports: vec![],
    }
}

fn steps(c: &crate::shared::steps::Change) -> Vec<Step> {
    c.steps.clone()
}

#[test]
fn a_missing_cluster_is_created_with_its_instances_and_one_on_the_key_is_kept() {
    let t = tenancy();
    assert_eq!(
        t.env.database.as_ref().unwrap().instance_class(),
        "db.t4g.medium"
    );
    let missing = DatabaseState {
        cluster: true,
        ..DatabaseState::missing("speedscale-acme-db")
    };
    let c = plan_cluster(&t, &missing, None, PlanOptions::default());
    assert_eq!(c.action, Action::Create);
    assert_eq!(
        steps(&c),
        [
            Step::Cluster(ClusterStep::CreateCluster),
            Step::Cluster(ClusterStep::CreateClusterInstances),
            Step::Cluster(ClusterStep::WaitCluster)
        ]
    );
    let mut on_key = cluster(&t, "speedscale-acme-db", Encryption::Kms(KEY.into()));
    let c = plan_cluster(&t, &on_key, None, PlanOptions::default());
    assert_eq!(c.action, Action::None, "{c:?}");
    on_key.members.pop();
    let c = plan_cluster(&t, &on_key, None, PlanOptions::default());
    assert_eq!(
        steps(&c),
        [
            Step::Cluster(ClusterStep::CreateClusterInstances),
            Step::Cluster(ClusterStep::WaitCluster)
        ]
    );
    assert!(c.reason.contains("speedscale-acme-db-2"), "{}", c.reason);
}

#[test]
fn a_cluster_off_the_key_is_blocked_unless_migrated() {
    let t = tenancy();
    // Aurora's default since 2026-02-18: an AWS owned key.
    let db = cluster(&t, "speedscale-acme-db", Encryption::AwsManaged);
    let c = plan_cluster(&t, &db, None, PlanOptions::default());
    assert_eq!(c.action, Action::Blocked);
    assert!(c.reason.contains("--migrate-database"), "{}", c.reason);
    assert!(c.steps.is_empty());
    let opts = PlanOptions {
        migrate_database: true,
        ..Default::default()
    };
    let c = plan_cluster(&t, &db, None, opts);
    assert_eq!(
        (c.action, c.resource.as_str()),
        (Action::Create, "speedscale-acme-db-cmek")
    );
    assert_eq!(
        steps(&c),
        [
            Step::Cluster(ClusterStep::SnapshotCluster),
            Step::Cluster(ClusterStep::RestoreCluster),
            Step::Cluster(ClusterStep::CreateClusterInstances),
            Step::Cluster(ClusterStep::WaitCluster),
            Step::Cluster(ClusterStep::ManageClusterSecret)
        ]
    );
    // Migrated: the new cluster is kept, with the cut-over still to do.
    let m = cluster(&t, "speedscale-acme-db-cmek", Encryption::Kms(KEY.into()));
    let c = plan_cluster(&t, &db, Some(&m), PlanOptions::default());
    assert_eq!(c.action, Action::None, "{c:?}");
    assert!(c.notes.iter().any(|n| n.id == NoteId::RdsMigrationCutover));
}

#[test]
fn an_aws_owned_cluster_is_not_unencrypted() {
    assert_eq!(
        cluster::cluster_encryption(Some(false), None, Some("sse-rds")),
        Encryption::AwsManaged
    );
    assert_eq!(
        cluster::cluster_encryption(Some(false), None, Some("none")),
        Encryption::None
    );
    assert_eq!(
        cluster::cluster_encryption(Some(true), Some(KEY), Some("sse-kms")),
        Encryption::Kms(KEY.into())
    );
}
