//! Validating an environment file: every name template renders a valid S3, Firehose or RDS name
//! for any tenant, and names what it must.

use super::{render, Environment, Scope};
use crate::input::{is_account_id, is_region, InputError, TenantId};

impl Environment {
    pub(super) fn validate(&self) -> Result<(), String> {
        if let Some(r) = &self.region {
            if !is_region(r) {
                return Err(format!(
                    "region {r:?} is not an AWS region name such as us-east-1"
                ));
            }
        }
        if let Some(a) = &self.account {
            if !is_account_id(a) {
                return Err(format!("account {a:?} is not 12 digits"));
            }
        }
        // Check every template with the longest tenant id, a 12-digit account and a long region.
        let tenant: TenantId = "t".repeat(32).parse().map_err(|e: InputError| e.rule)?;
        let scope = Scope {
            tenant: Some(&tenant),
            account: "123456789012",
            region: "ap-southeast-5",
        };
        let env_scope = Scope {
            tenant: None,
            ..scope.clone()
        };
        check_bucket("registry.bucket", &self.registry.bucket, &env_scope, false)?;
        // PutObjectLockConfiguration: "The number of days that you want to specify for the
        // default retention period. Must be used with Mode." (DefaultRetention, S3 API reference,
        // read 2026-12-02); cmek keeps to a century.
        if !(1..=36_500).contains(&self.registry.retention_days) {
            return Err("registry.retention_days must be 1 to 36500".into());
        }
        if let Some(k) = &self.evidence.signing_key {
            let arn_ok = k.starts_with("arn:aws")
                && k.split(':').nth(2) == Some("kms")
                && k.split(':').nth(5).is_some_and(|r| r.starts_with("key/"));
            if !arn_ok {
                return Err(format!(
                    "evidence.signing_key {k:?} must be a KMS key ARN (arn:aws:kms:REGION:ACCOUNT:key/ID) in Speedscale's account"
                ));
            }
        }
        if let Some(p) = &self.probe {
            check_bucket("probe.bucket", &p.bucket, &env_scope, false)?;
        }
        let mut ids = std::collections::HashSet::new();
        for b in &self.buckets {
            if !ids.insert(&b.id) {
                return Err(format!("bucket id {:?} is used twice", b.id));
            }
            check_bucket(&format!("bucket {:?} name", b.id), &b.name, &scope, true)?;
        }
        let mut stream_ids = std::collections::HashSet::new();
        for s in &self.streams {
            let what = format!("stream {:?}", s.id);
            if !stream_ids.insert(&s.id) {
                return Err(format!("{what}: id is used twice"));
            }
            // It names cmek's producer policy (cmek-firehose-producer-<tenant>-<id>: IAM allows
            // [\w+=,.@-] and 128 characters) and plan change ids (`:`-separated).
            if s.id.is_empty()
                || s.id.len() > 64
                || !s
                    .id
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b"_.-".contains(&b))
            {
                return Err(format!(
                    "{what}: id must be 1-64 characters of a-z A-Z 0-9 _ . -"
                ));
            }
            needs_tenant(&what, &s.name)?;
            let name = render(&s.name, &scope);
            if name.is_empty()
                || name.len() > 64
                || !name
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b"_.-".contains(&b))
            {
                return Err(format!("{what} name {:?} must render to 1-64 characters of a-z A-Z 0-9 _ . - (Firehose)", s.name));
            }
            if !self.buckets.iter().any(|b| b.id == s.bucket) {
                return Err(format!(
                    "{what} delivers into bucket {:?}, which is not a [[bucket]] id",
                    s.bucket
                ));
            }
            if !(1..=128).contains(&s.buffer_mib) || !(0..=900).contains(&s.buffer_seconds) {
                return Err(format!(
                    "{what} buffering must be 1-128 MiB and 0-900 seconds"
                ));
            }
            if let Some(r) = &s.role_arn {
                if !is_role_arn(&render(r, &scope)) {
                    return Err(format!("{what} role_arn {r:?} is not an IAM role ARN"));
                }
            }
            let mut producers = std::collections::HashSet::new();
            for p in &s.producers {
                if !is_role_arn(&render(p, &scope)) {
                    return Err(format!(
                        "{what} producer {p:?} is not an IAM role ARN template (arn:aws:iam::{{account}}:role/NAME)"
                    ));
                }
                if !producers.insert(p) {
                    return Err(format!("{what} producer {p:?} is named twice"));
                }
            }
        }
        if let Some(d) = &self.database {
            needs_tenant("database identifier", &d.identifier)?;
            let id = render(&d.identifier, &scope);
            let ok = id.len() <= 63
                && id.starts_with(|c: char| c.is_ascii_lowercase())
                && id
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
                && !id.contains("--")
                && !id.ends_with('-');
            if !ok {
                return Err(format!(
                    "database identifier {:?} must render to at most 63 characters of a-z 0-9 -, starting with a letter, with no '--' and no trailing '-' (RDS)",
                    d.identifier
                ));
            }
            if d.is_cluster() && d.engine != "aurora-postgresql" {
                return Err(format!(
                    "database engine {:?}: of the Aurora engines only aurora-postgresql is supported",
                    d.engine
                ));
            }
            if d.is_cluster() && !(1..=16).contains(&d.instances) {
                return Err("database instances must be 1-16 (an Aurora cluster has up to 15 replicas beside its writer)".into());
            }
            if !d.is_cluster() && d.instances != 1 {
                return Err(format!(
                    "database instances is for an Aurora cluster; engine {:?} has one instance",
                    d.engine
                ));
            }
            if d.allocated_storage < 20
                || d.backup_retention_days < 1
                || d.backup_retention_days > 35
            {
                return Err("database allocated_storage must be >= 20 GiB and backup_retention_days 1-35 (backups protect the tenant's data)".into());
            }
            for l in &d.log_exports {
                if d.engine != "postgres" || !["postgresql", "upgrade"].contains(&l.as_str()) {
                    return Err(format!(
                        "database log_exports {l:?}: engine postgres exports \"postgresql\" and \"upgrade\" (cmek does not export an Aurora cluster's logs)"
                    ));
                }
            }
        }
        let mut queue_ids = std::collections::HashSet::new();
        for q in &self.queues {
            let what = format!("queue {:?}", q.id);
            check_id(&what, &q.id)?;
            if !queue_ids.insert(&q.id) {
                return Err(format!("{what}: id is used twice"));
            }
            needs_tenant(&what, &q.name)?;
            check_message_name(&what, &render(&q.name, &scope), &q.name, 80, "SQS")?;
            check_roles(&what, "producer", &q.producers, &scope)?;
            check_roles(&what, "consumer", &q.consumers, &scope)?;
            if !(60..=86_400).contains(&q.data_key_reuse_seconds) {
                return Err(format!(
                    "{what} data_key_reuse_seconds must be 60-86400 (SQS's KmsDataKeyReusePeriodSeconds)"
                ));
            }
        }
        let mut topic_ids = std::collections::HashSet::new();
        for tp in &self.topics {
            let what = format!("topic {:?}", tp.id);
            check_id(&what, &tp.id)?;
            if !topic_ids.insert(&tp.id) {
                return Err(format!("{what}: id is used twice"));
            }
            needs_tenant(&what, &tp.name)?;
            check_message_name(&what, &render(&tp.name, &scope), &tp.name, 256, "SNS")?;
            check_roles(&what, "publisher", &tp.publishers, &scope)?;
            for q in &tp.queues {
                if !queue_ids.contains(q) {
                    return Err(format!(
                        "{what} delivers to queue {q:?}, which is not a [[queue]] id"
                    ));
                }
            }
        }
        Ok(())
    }
}

/// Role ARN templates, each once.
fn check_roles(what: &str, role: &str, arns: &[String], scope: &Scope<'_>) -> Result<(), String> {
    let mut seen = std::collections::HashSet::new();
    for p in arns {
        if !is_role_arn(&render(p, scope)) {
            return Err(format!(
                "{what} {role} {p:?} is not an IAM role ARN template (arn:aws:iam::{{account}}:role/NAME)"
            ));
        }
        if !seen.insert(p) {
            return Err(format!("{what} {role} {p:?} is named twice"));
        }
    }
    Ok(())
}

/// An id that names plan changes (`:`-separated) and policies.
fn check_id(what: &str, id: &str) -> Result<(), String> {
    if id.is_empty()
        || id.len() > 64
        || !id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"_.-".contains(&b))
    {
        return Err(format!(
            "{what}: id must be 1-64 characters of a-z A-Z 0-9 _ . -"
        ));
    }
    Ok(())
}

/// An SQS queue or SNS topic name: up to `max` characters of a-z A-Z 0-9 - _ (no FIFO one: it
/// needs FifoQueue / FifoTopic, and an SNS FIFO topic delivers to FIFO queues only).
fn check_message_name(
    what: &str,
    name: &str,
    template: &str,
    max: usize,
    service: &str,
) -> Result<(), String> {
    if name.ends_with(".fifo") {
        return Err(format!(
            "{what} name {template:?} names a FIFO {service} {}: cmek does not create or manage FIFO ones yet",
            if service == "SQS" { "queue" } else { "topic" }
        ));
    }
    let base = name;
    let ok = !base.is_empty()
        && name.len() <= max
        && base
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    if ok {
        Ok(())
    } else {
        Err(format!(
            "{what} name {template:?} must render to 1-{max} characters of a-z A-Z 0-9 - _ even for a 32-character tenant id ({service})"
        ))
    }
}

/// `arn:<partition>:iam::<12 digits>:role/<path/>name`, as a rendered template must be.
fn is_role_arn(arn: &str) -> bool {
    let mut parts = arn.splitn(6, ':');
    let (Some("arn"), Some(partition), Some("iam"), Some(""), Some(account), Some(resource)) = (
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
    ) else {
        return false;
    };
    partition.starts_with("aws")
        && is_account_id(account)
        && resource
            .strip_prefix("role/")
            .and_then(|r| r.rsplit('/').next())
            .is_some_and(|name| {
                (1..=64).contains(&name.len())
                    && name
                        .bytes()
                        .all(|b| b.is_ascii_alphanumeric() || b"+=,.@_-".contains(&b))
            })
}

fn needs_tenant(what: &str, template: &str) -> Result<(), String> {
    if template.contains("{tenant}") {
        Ok(())
    } else {
        Err(format!("{what} {template:?} must contain {{tenant}}: every tenant resource name contains the tenant id"))
    }
}

fn check_bucket(what: &str, template: &str, scope: &Scope<'_>, tenant: bool) -> Result<(), String> {
    if tenant {
        needs_tenant(what, template)?;
    } else if template.contains("{tenant}") {
        return Err(format!(
            "{what} {template:?} is environment-wide and cannot use {{tenant}}"
        ));
    }
    let name = render(template, scope);
    let ok = (3..=63).contains(&name.len())
        && name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'.')
        && name.starts_with(|c: char| c.is_ascii_alphanumeric())
        && name.ends_with(|c: char| c.is_ascii_alphanumeric())
        && !name.contains("..")
        && !name.starts_with("xn--")
        && !name.ends_with("-s3alias")
        && !name.ends_with("--ol-s3")
        && name.parse::<std::net::Ipv4Addr>().is_err();
    if ok {
        Ok(())
    } else {
        Err(format!(
            "{what} {template:?} must render to a valid S3 bucket name (3-63 characters of a-z 0-9 . -) even for a 32-character tenant id"
        ))
    }
}
