//! Which resources are the tenant's: the record is not the whole truth. `status` and
//! `revoke-check` read the union of the registry record's resources, the environment's names for
//! the tenant, and what is tagged `speedscale:tenant` = the tenant (the Resource Groups Tagging
//! API), so a record rewritten without a resource (or one an interrupted `enable` never wrote)
//! cannot hide it; a resource that exists and that one source names and another does not is a
//! finding (`record-inventory`), never dropped.

use crate::aws::Clients;
use crate::error::AwsError;
use crate::services::tagging::{self, Tagged};
use crate::shared::ids::{CheckId, ResourceState};
use crate::shared::record::{Record, Resources};
use crate::shared::report::{Check, Status};
use crate::shared::resource::ResourceStatus;
use crate::shared::tenancy::Tenancy;

/// The environment's names for the tenant, as a resource list.
pub fn named(t: &Tenancy) -> Resources {
    Resources {
        buckets: t.names.buckets.iter().map(|b| b.1.clone()).collect(),
        streams: t.names.streams.iter().map(|s| s.1.clone()).collect(),
        database: t.names.database.clone(),
        replaced_database: None,
        role: None,
        queues: t.names.queues.iter().map(|q| q.1.clone()).collect(),
        topics: t.names.topics.iter().map(|q| q.1.clone()).collect(),
    }
}

/// What the three sources name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Inventory {
    /// Their union: what is examined.
    pub resources: Resources,
    /// What is tagged for the tenant.
    pub tagged: Vec<Tagged>,
}

/// Reads the tags (one GetResources a page) and makes the union.
pub async fn inventory(
    c: &Clients,
    t: &Tenancy,
    record: Option<&Record>,
) -> Result<Inventory, AwsError> {
    let tagged = tagging::tagged(c, t).await?;
    Ok(Inventory {
        resources: union(t, record, &tagged),
        tagged,
    })
}

/// The record's resources, the environment's names and the tagged resources, together (the
/// record's first).
pub fn union(t: &Tenancy, record: Option<&Record>, tagged: &[Tagged]) -> Resources {
    let mut out = union_named(t, record);
    for tag in tagged {
        match tag {
            Tagged::Bucket(n) => push(&mut out.buckets, n),
            Tagged::Stream(n) => push(&mut out.streams, n),
            Tagged::Queue(n) => push(&mut out.queues, n),
            Tagged::Topic(n) => push(&mut out.topics, n),
            // Only into an empty database slot: never as "replaced", which is judged by its key
            // alone. Any other database is a `fail` finding (`mismatches`).
            Tagged::Database(n) => {
                if out.database.is_none() && out.replaced_database.as_ref() != Some(n) {
                    out.database = Some(n.clone());
                }
            }
        }
    }
    out
}

fn push(have: &mut Vec<String>, name: &str) {
    if !have.iter().any(|h| h == name) {
        have.push(name.to_string());
    }
}

fn union_named(t: &Tenancy, record: Option<&Record>) -> Resources {
    let env = named(t);
    let Some(r) = record else {
        return env;
    };
    let mut out = r.resources.clone();
    let add = |have: &mut Vec<String>, more: &[String]| {
        for m in more {
            if !have.contains(m) {
                have.push(m.clone());
            }
        }
    };
    add(&mut out.buckets, &env.buckets);
    add(&mut out.streams, &env.streams);
    add(&mut out.queues, &env.queues);
    add(&mut out.topics, &env.topics);
    // The record's database is kept (after a migration it is the live one, the environment's
    // its replaced source); the environment's fills only an empty slot. One that fits neither is
    // a `fail` finding (`mismatches`).
    if out.database.is_none() && out.replaced_database != env.database {
        out.database = env.database;
    }
    out
}

/// Every resource that exists (by its status row) and that the record, the environment and the
/// tags do not all name: one `record-inventory` warning each. Without a record, only what is
/// tagged and not named by the environment (nothing else has been onboarded to compare with).
pub fn mismatches(
    t: &Tenancy,
    record: Option<&Record>,
    tagged: &[Tagged],
    rows: &[ResourceStatus],
) -> Vec<Check> {
    let env = named(t);
    let tag_names: Vec<&str> = tagged
        .iter()
        .map(|x| match x {
            Tagged::Bucket(n)
            | Tagged::Stream(n)
            | Tagged::Database(n)
            | Tagged::Queue(n)
            | Tagged::Topic(n) => n.as_str(),
        })
        .collect();
    let list = |x: &Resources| -> Vec<String> {
        let mut v: Vec<String> = x
            .buckets
            .iter()
            .chain(&x.streams)
            .chain(&x.queues)
            .chain(&x.topics)
            .cloned()
            .collect();
        v.extend(x.database.clone());
        v.extend(x.replaced_database.clone());
        v
    };
    let in_env = list(&env);
    let in_record = record.map(|r| list(&r.resources));
    let exists = |name: &str| {
        rows.iter().any(|row| {
            row.state != ResourceState::Missing
                && (row.resource == name
                    || row.resource.ends_with(&format!(":{name}"))
                    || row.resource.ends_with(&format!("/{name}")))
        })
    };
    let mut out = vec![];
    // A database of the tenant's that is not examined (neither the database nor the replaced
    // one): nothing about it is known, so revoke-check cannot call the tenant cut off.
    let examined = union(t, record, tagged);
    let dbs = tagged
        .iter()
        .filter_map(|x| match x {
            Tagged::Database(n) => Some(n.clone()),
            _ => None,
        })
        .chain(env.database.clone())
        .chain(record.and_then(|r| r.resources.database.clone()));
    let mut unexamined: Vec<String> = vec![];
    for n in dbs {
        let seen = examined.database.as_ref() == Some(&n)
            || examined.replaced_database.as_ref() == Some(&n);
        if !seen && !unexamined.contains(&n) {
            out.push(Check::new(
                CheckId::RecordInventory,
                Status::Fail,
                n.clone(),
                format!(
                    "a database of tenant {} (tagged, recorded or named by the environment) that is not examined beside {}: whether it depends on the key is unknown; retire it or make the record name it (cmek enable)",
                    t.tenant,
                    examined.database.as_deref().unwrap_or("-")
                ),
            ));
            unexamined.push(n);
        }
    }
    for name in &tag_names {
        let named = in_env.iter().any(|n| n == name)
            || in_record
                .as_ref()
                .is_some_and(|r| r.iter().any(|n| n == name));
        if !named && exists(name) {
            out.push(Check::new(
                CheckId::RecordInventory,
                Status::Warn,
                name.to_string(),
                format!(
                    "tagged {TAG}={} but named by neither the registry record nor the environment: it is checked all the same; find out what made it (an older environment, a hand-made copy)",
                    t.tenant,
                    TAG = crate::shared::tenancy::TAG_TENANT
                ),
            ));
        }
    }
    let Some(in_record) = in_record else {
        return out;
    };
    let replaced = record.and_then(|r| r.resources.replaced_database.clone());
    for name in in_env.iter().chain(&in_record) {
        let main = replaced.as_deref() != Some(name.as_str());
        if main
            && !tag_names.contains(&name.as_str())
            && exists(name)
            && !out.iter().any(|c| c.resource == *name)
        {
            out.push(Check::new(
                CheckId::RecordInventory,
                Status::Warn,
                name.clone(),
                format!(
                    "named for tenant {} but not tagged {}: it is checked all the same; run cmek enable to tag it",
                    t.tenant,
                    crate::shared::tenancy::TAG_TENANT
                ),
            ));
        }
    }
    for name in &in_env {
        if !in_record.contains(name) && exists(name) {
            out.push(Check::new(
                CheckId::RecordInventory,
                Status::Warn,
                name.clone(),
                format!(
                    "exists and is the environment's for tenant {}, but the registry record does not list it: it is checked all the same; the record was written without it (an interrupted enable, or a rewrite): run cmek enable to record it, and look at the record's versions (the registry is versioned) to see who changed it",
                    t.tenant
                ),
            ));
        }
    }
    for name in &in_record {
        if !in_env.contains(name) && exists(name) {
            out.push(Check::new(
                CheckId::RecordInventory,
                Status::Warn,
                name.clone(),
                "the registry record lists it, the environment does not name it (the environment changed?): it is checked all the same".to_string(),
            ));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::shared::ids::ResourceKind;
    use crate::shared::tenancy::test_tenancy;

    const KEY: &str = "arn:aws:kms:us-east-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab";

    fn record(t: &Tenancy, resources: Resources) -> Record {
        Record {
            schema_version: 1,
            tenant: t.tenant.as_str().into(),
            key_arn: KEY.into(),
            environment: "default".into(),
            account: t.account.clone(),
            region: t.region.clone(),
            resources,
            enabled_by: "x".into(),
            enabled_at: "2026-12-01T00:00:00Z".into(),
            updated_by: "x".into(),
            updated_at: "2026-12-01T00:00:00Z".into(),
            cmek_version: "0.1.0".into(),
            customer_account: None,
            key_since: None,
            shared_key_with: vec![],
        }
    }

    fn row(kind: &str, resource: &str, state: ResourceState) -> ResourceStatus {
        ResourceStatus {
            id: format!("{kind}:{resource}"),
            kind: ResourceKind::all().find(|k| k.as_str() == kind).unwrap(),
            resource: resource.into(),
            expected_key: KEY.into(),
            actual_key: KEY.into(),
            state,
            status: None,
            message: String::new(),
            model: None,
            copy: None,
            data_key_reuse_seconds: None,
        }
    }

    fn tagged_all(t: &Tenancy) -> Vec<Tagged> {
        let env = named(t);
        let mut v: Vec<Tagged> = env.buckets.iter().cloned().map(Tagged::Bucket).collect();
        v.extend(env.streams.iter().cloned().map(Tagged::Stream));
        v.extend(env.database.iter().cloned().map(Tagged::Database));
        v
    }

    #[test]
    fn a_record_without_the_database_still_yields_it_and_names_the_gap() {
        let t = test_tenancy(KEY);
        let mut res = named(&t);
        let db = res.database.take().unwrap();
        let rec = record(&t, res);
        let tags = tagged_all(&t);
        let u = union(&t, Some(&rec), &tags);
        assert_eq!(u.database.as_deref(), Some(db.as_str()));
        let rows = vec![row("rds-instance", &db, ResourceState::Ok)];
        let found = mismatches(&t, Some(&rec), &tags, &rows);
        assert_eq!(found.len(), 1, "{found:#?}");
        assert_eq!(found[0].resource, db);
        assert_eq!(found[0].status, Status::Warn);
        assert!(found[0].message.contains("record does not list it"));
        // Not there at all: nothing to say (an environment's database not created yet).
        let rows = vec![row("rds-instance", &db, ResourceState::Missing)];
        assert!(mismatches(&t, Some(&rec), &tags, &rows).is_empty());
    }

    #[test]
    fn a_tagged_resource_nobody_names_is_examined_and_named() {
        let t = test_tenancy(KEY);
        let rec = record(&t, named(&t));
        let mut tags = tagged_all(&t);
        tags.push(Tagged::Bucket("speedscale-acme-old-copy".into()));
        let u = union(&t, Some(&rec), &tags);
        assert!(u.buckets.contains(&"speedscale-acme-old-copy".to_string()));
        let rows = vec![row(
            "s3-bucket",
            "speedscale-acme-old-copy",
            ResourceState::Drift,
        )];
        let found = mismatches(&t, Some(&rec), &tags, &rows);
        assert_eq!(found.len(), 1, "{found:#?}");
        assert!(
            found[0].message.contains("named by neither"),
            "{}",
            found[0].message
        );
        // Without a record, only what is tagged and not the environment's.
        assert_eq!(mismatches(&t, None, &tags, &rows).len(), 1);
    }

    #[test]
    fn an_untagged_resource_the_record_names_is_a_finding() {
        let t = test_tenancy(KEY);
        let rec = record(&t, named(&t));
        let bucket = named(&t).buckets[0].clone();
        let rows = vec![row("s3-bucket", &bucket, ResourceState::Ok)];
        let found = mismatches(&t, Some(&rec), &[], &rows);
        assert_eq!(found.len(), 1, "{found:#?}");
        assert!(
            found[0].message.contains("not tagged"),
            "{}",
            found[0].message
        );
    }
}
