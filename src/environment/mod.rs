//! The environment: where a tenant's data stores live and how they are named and configured.
//!
//! Without `--config`, the built-in default works in a fresh AWS account (the local emulator
//! included) with nothing created beforehand. A file given with `--config` is TOML; its format is
//! documented in `docs/environment.md`. Names are templates over `{tenant}`, `{account}` and
//! `{region}`; every tenant resource name must contain `{tenant}`, and every name is checked against
//! its service's rules for the longest possible tenant id when the file is loaded.

mod registry;
mod stores;
mod validate;

use serde::Deserialize;

pub use registry::{EvidenceSpec, Registry, RetentionMode};
use stores::{
    default_backup_days, default_engine, default_instances, default_master_user, default_storage,
};
pub use stores::{DatabaseSpec, QueueSpec, TopicSpec};

use crate::input::{InputError, TenantId};

/// A loaded, validated environment.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Environment {
    /// A name for people and the tenant record, e.g. `prod-us-east-1`.
    #[serde(default = "default_name")]
    pub name: String,
    /// The environment's region; when absent, `--region` / `AWS_REGION` / the profile's region.
    #[serde(default)]
    pub region: Option<String>,
    /// Speedscale's CMEK environment account; when absent, learnt from STS GetCallerIdentity.
    #[serde(default)]
    pub account: Option<String>,
    /// Where the tenant record, audit events and locks live (a Speedscale-owned bucket).
    #[serde(default)]
    pub registry: Registry,
    /// Where `verify` writes its S3 probe object; defaults to the registry bucket.
    #[serde(default)]
    pub probe: Option<Location>,
    /// The tenant's S3 buckets.
    #[serde(default = "default_buckets", rename = "bucket")]
    pub buckets: Vec<BucketSpec>,
    /// The tenant's Firehose delivery streams.
    #[serde(default = "default_streams", rename = "stream")]
    pub streams: Vec<StreamSpec>,
    /// The tenant's RDS database.
    #[serde(default = "default_database")]
    pub database: Option<DatabaseSpec>,
    /// The tenant's SQS queues (none in the built-in default).
    #[serde(default, rename = "queue")]
    pub queues: Vec<QueueSpec>,
    /// The tenant's SNS topics (none in the built-in default).
    #[serde(default, rename = "topic")]
    pub topics: Vec<TopicSpec>,
    /// How revoke-check's evidence is signed.
    #[serde(default)]
    pub evidence: EvidenceSpec,
}

/// A bucket and key prefix owned by Speedscale.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Location {
    /// Bucket name template.
    pub bucket: String,
    /// Key prefix.
    #[serde(default)]
    pub prefix: String,
}

/// One tenant bucket.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BucketSpec {
    /// Short id used by streams to name their destination, e.g. `data`.
    pub id: String,
    /// Name template; must contain `{tenant}`.
    pub name: String,
}

/// One tenant Firehose DirectPut stream delivering into a tenant bucket.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StreamSpec {
    /// Short id, e.g. `events`.
    pub id: String,
    /// Name template; must contain `{tenant}`.
    pub name: String,
    /// The id of the destination bucket.
    pub bucket: String,
    /// Object key prefix in the destination bucket.
    #[serde(default = "default_stream_prefix")]
    pub prefix: String,
    /// Delivery role ARN template; when absent `enable` creates `cmek-firehose-{tenant}`.
    #[serde(default)]
    pub role_arn: Option<String>,
    /// Buffering size in MiB (1 to 128).
    #[serde(default = "default_buffer_mib")]
    pub buffer_mib: i32,
    /// Buffering interval in seconds (0 to 900).
    #[serde(default = "default_buffer_seconds")]
    pub buffer_seconds: i32,
    /// The stream's own server-side encryption: under the customer key (the default), or, where
    /// Firehose refuses a key from another account, AWS owned (the S3 destination stays on the key).
    #[serde(default)]
    pub encryption: StreamEncryption,
    /// The IAM roles that write to the stream (PutRecord, PutRecordBatch): ARN templates over
    /// `{tenant}`, `{account}` and `{region}`. Since 2026-04-20 Firehose needs each caller's own
    /// `kms:GenerateDataKey` and `kms:Decrypt` on a customer key (docs/environment.md).
    #[serde(default)]
    pub producers: Vec<String>,
    /// Who gives the producers their permission on the key: cmek (an inline policy per tenant and
    /// stream, the default) or the platform (`external`: cmek checks it with IAM's simulator).
    #[serde(default)]
    pub producers_policy: ProducersPolicy,
}

impl StreamSpec {
    /// Whether the stream's own encryption is the customer key (its producers then need their own
    /// permission on it).
    pub fn on_customer_key(&self) -> bool {
        self.encryption == StreamEncryption::CustomerKey
    }
}

/// Who manages the producers' permission on the customer key.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ProducersPolicy {
    /// `managed`: `enable` puts an inline policy on each producer role.
    #[default]
    Managed,
    /// `external`: the platform manages it; `enable` checks it and blocks when it is missing.
    External,
}

/// A stream's own server-side encryption.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum StreamEncryption {
    /// `customer-key`: CUSTOMER_MANAGED_CMK, the customer's key.
    #[default]
    CustomerKey,
    /// `aws-owned`: AWS_OWNED_CMK; records wait in the stream (up to 24 hours) outside the key.
    AwsOwned,
}

fn default_name() -> String {
    "default".into()
}
fn default_registry_bucket() -> String {
    "speedscale-cmek-{account}-{region}".into()
}
fn default_registry_prefix() -> String {
    "cmek/".into()
}
fn default_stream_prefix() -> String {
    "events/".into()
}
fn default_buffer_mib() -> i32 {
    5
}
fn default_buffer_seconds() -> i32 {
    300
}
fn default_buckets() -> Vec<BucketSpec> {
    vec![BucketSpec {
        id: "data".into(),
        name: "speedscale-{tenant}-data-{account}".into(),
    }]
}
fn default_streams() -> Vec<StreamSpec> {
    vec![StreamSpec {
        id: "events".into(),
        name: "speedscale-{tenant}-events".into(),
        bucket: "data".into(),
        prefix: default_stream_prefix(),
        role_arn: None,
        buffer_mib: default_buffer_mib(),
        buffer_seconds: default_buffer_seconds(),
        encryption: StreamEncryption::CustomerKey,
        producers: vec![],
        producers_policy: ProducersPolicy::Managed,
    }]
}
fn default_database() -> Option<DatabaseSpec> {
    Some(DatabaseSpec {
        identifier: "speedscale-{tenant}".into(),
        engine: default_engine(),
        engine_version: None,
        class: None,
        instances: default_instances(),
        allocated_storage: default_storage(),
        subnet_group: None,
        security_groups: vec![],
        backup_retention_days: default_backup_days(),
        master_username: default_master_user(),
        performance_insights: false,
        multi_az: false,
        log_exports: vec![],
    })
}

impl Default for Environment {
    fn default() -> Self {
        Self {
            name: default_name(),
            region: None,
            account: None,
            registry: Registry::default(),
            probe: None,
            buckets: default_buckets(),
            streams: default_streams(),
            database: default_database(),
            queues: vec![],
            topics: vec![],
            evidence: EvidenceSpec::default(),
        }
    }
}

/// The values a name template is rendered with.
#[derive(Debug, Clone)]
pub struct Scope<'a> {
    /// The tenant (absent for environment-wide names such as the registry).
    pub tenant: Option<&'a TenantId>,
    /// Speedscale's account.
    pub account: &'a str,
    /// The environment's region.
    pub region: &'a str,
}

/// Renders `{tenant}`, `{account}` and `{region}` in a template.
pub fn render(template: &str, scope: &Scope<'_>) -> String {
    let mut s = template
        .replace("{account}", scope.account)
        .replace("{region}", scope.region);
    if let Some(t) = scope.tenant {
        s = s.replace("{tenant}", t.as_str());
    }
    s
}

/// The names a tenant's resources get in this environment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TenantNames {
    /// (bucket id, bucket name).
    pub buckets: Vec<(String, String)>,
    /// (stream id, stream name, destination bucket name).
    pub streams: Vec<(String, String, String)>,
    /// (stream id, producer role ARN), in environment order.
    pub producers: Vec<(String, String)>,
    /// DB instance identifier (an Aurora engine: the DB cluster identifier).
    pub database: Option<String>,
    /// (queue id, queue name).
    pub queues: Vec<(String, String)>,
    /// (topic id, topic name).
    pub topics: Vec<(String, String)>,
    /// (queue id, producer role ARN), in environment order.
    pub queue_producers: Vec<(String, String)>,
    /// (queue id, consumer role ARN), in environment order.
    pub queue_consumers: Vec<(String, String)>,
    /// (topic id, publisher role ARN), in environment order.
    pub topic_publishers: Vec<(String, String)>,
}

impl Environment {
    /// Reads and validates an environment file.
    pub fn from_file(path: &std::path::Path) -> Result<Self, InputError> {
        let shown = path.display().to_string();
        let text = std::fs::read_to_string(path)
            .map_err(|e| InputError::new("--config", &shown, format!("cannot be read: {e}")))?;
        Self::from_toml(&text).map_err(|rule| InputError::new("--config", &shown, rule))
    }

    /// Parses and validates TOML text; the error is the rule broken, on one line.
    pub fn from_toml(text: &str) -> Result<Self, String> {
        let env: Self = toml::from_str(text).map_err(|e| one_line(&e.to_string()))?;
        env.validate()?;
        Ok(env)
    }

    /// The registry bucket name.
    pub fn registry_bucket(&self, account: &str, region: &str) -> String {
        render(
            &self.registry.bucket,
            &Scope {
                tenant: None,
                account,
                region,
            },
        )
    }

    /// Where `verify` puts its S3 probe object: (bucket, key prefix).
    pub fn probe_location(&self, account: &str, region: &str) -> (String, String) {
        let scope = Scope {
            tenant: None,
            account,
            region,
        };
        match &self.probe {
            Some(p) => (render(&p.bucket, &scope), p.prefix.clone()),
            None => (
                render(&self.registry.bucket, &scope),
                format!("{}probes/", self.registry.prefix),
            ),
        }
    }

    /// The names of a tenant's resources.
    pub fn tenant_names(&self, tenant: &TenantId, account: &str, region: &str) -> TenantNames {
        let scope = Scope {
            tenant: Some(tenant),
            account,
            region,
        };
        let buckets: Vec<(String, String)> = self
            .buckets
            .iter()
            .map(|b| (b.id.clone(), render(&b.name, &scope)))
            .collect();
        let streams = self
            .streams
            .iter()
            .map(|s| {
                let dest = buckets
                    .iter()
                    .find(|(id, _)| *id == s.bucket)
                    .map(|(_, n)| n.clone())
                    .unwrap_or_default();
                (s.id.clone(), render(&s.name, &scope), dest)
            })
            .collect();
        let producers = self
            .streams
            .iter()
            .flat_map(|s| {
                s.producers
                    .iter()
                    .map(|p| (s.id.clone(), render(p, &scope)))
            })
            .collect();
        let queues = self
            .queues
            .iter()
            .map(|q| (q.id.clone(), render(&q.name, &scope)))
            .collect();
        let topics = self
            .topics
            .iter()
            .map(|q| (q.id.clone(), render(&q.name, &scope)))
            .collect();
        let roles = |pairs: Vec<(&String, &Vec<String>)>| -> Vec<(String, String)> {
            pairs
                .into_iter()
                .flat_map(|(id, arns)| arns.iter().map(|a| (id.clone(), render(a, &scope))))
                .collect()
        };
        let queue_producers = roles(self.queues.iter().map(|q| (&q.id, &q.producers)).collect());
        let queue_consumers = roles(self.queues.iter().map(|q| (&q.id, &q.consumers)).collect());
        let topic_publishers = roles(self.topics.iter().map(|q| (&q.id, &q.publishers)).collect());
        TenantNames {
            buckets,
            streams,
            producers,
            queues,
            topics,
            queue_producers,
            queue_consumers,
            topic_publishers,
            database: self
                .database
                .as_ref()
                .map(|d| render(&d.identifier, &scope)),
        }
    }
}

fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_environment_is_valid_and_names_contain_the_tenant() {
        let env = Environment::default();
        env.validate().unwrap();
        let t: TenantId = "acme".parse().unwrap();
        let names = env.tenant_names(&t, "222222222222", "us-east-1");
        assert_eq!(
            names.buckets,
            vec![("data".into(), "speedscale-acme-data-222222222222".into())]
        );
        assert_eq!(names.streams[0].1, "speedscale-acme-events");
        assert_eq!(names.streams[0].2, "speedscale-acme-data-222222222222");
        assert_eq!(names.database.as_deref(), Some("speedscale-acme"));
        assert_eq!(
            env.registry_bucket("222222222222", "us-east-1"),
            "speedscale-cmek-222222222222-us-east-1"
        );
        assert_eq!(
            env.probe_location("222222222222", "us-east-1").1,
            "cmek/probes/"
        );
    }

    #[test]
    fn empty_file_is_the_default() {
        assert_eq!(Environment::from_toml("").unwrap(), Environment::default());
    }

    #[test]
    fn full_file() {
        let env = Environment::from_toml(
            r#"
            name = "prod"
            region = "eu-west-1"
            account = "222222222222"
            [registry]
            bucket = "ss-cmek-registry-{account}"
            [probe]
            bucket = "ss-cmek-probe-{account}"
            prefix = "p/"
            [[bucket]]
            id = "raw"
            name = "ss-{tenant}-raw"
            [[stream]]
            id = "ingest"
            name = "ss-{tenant}-ingest"
            bucket = "raw"
            role_arn = "arn:aws:iam::{account}:role/firehose-{tenant}"
            producers = ["arn:aws:iam::{account}:role/ingest-{tenant}", "arn:aws:iam::{account}:role/collector"]
            producers_policy = "external"
            [database]
            identifier = "ss-{tenant}-pg"
            instance_class = "db.r6g.large"
            performance_insights = true
            "#,
        )
        .unwrap();
        assert_eq!(env.region.as_deref(), Some("eu-west-1"));
        assert_eq!(
            env.probe_location("222222222222", "eu-west-1"),
            ("ss-cmek-probe-222222222222".into(), "p/".into())
        );
        assert_eq!(env.streams[0].producers_policy, ProducersPolicy::External);
        let t: TenantId = "acme".parse().unwrap();
        assert_eq!(
            env.tenant_names(&t, "222222222222", "eu-west-1").producers,
            vec![
                (
                    "ingest".to_string(),
                    "arn:aws:iam::222222222222:role/ingest-acme".to_string()
                ),
                (
                    "ingest".to_string(),
                    "arn:aws:iam::222222222222:role/collector".to_string()
                )
            ]
        );
        assert!(env.database.unwrap().performance_insights);
    }

    #[test]
    fn bad_files_say_which_rule() {
        for (text, why) in [
            ("region = \"mars-1\"", "not an AWS region"),
            ("account = \"12\"", "12 digits"),
            ("colour = \"blue\"", "unknown field"),
            ("[[bucket]]\nid = \"a\"\nname = \"shared-bucket\"", "must contain {tenant}"),
            ("[[bucket]]\nid = \"a\"\nname = \"Speedscale-{tenant}\"", "valid S3 bucket name"),
            ("[[bucket]]\nid = \"a\"\nname = \"{tenant}-a-very-long-bucket-name-prefix-{account}\"", "valid S3 bucket name"),
            ("[[bucket]]\nid = \"a\"\nname = \"x-{tenant}\"\n[[bucket]]\nid = \"a\"\nname = \"y-{tenant}\"", "used twice"),
            ("[[stream]]\nid = \"s\"\nname = \"s-{tenant}\"\nbucket = \"nope\"", "not a [[bucket]] id"),
            ("[[stream]]\nid = \"s\"\nname = \"s {tenant}\"\nbucket = \"data\"", "Firehose"),
            ("[database]\nidentifier = \"1db-{tenant}\"", "starting with a letter"),
            ("[database]\nidentifier = \"db\"", "must contain {tenant}"),
            ("[registry]\nbucket = \"reg-{tenant}\"", "environment-wide"),
            ("region = ", "string"),
            ("[[stream]]\nid = \"a:b\"\nname = \"s-{tenant}\"\nbucket = \"data\"", "id must be 1-64 characters"),
            ("[[stream]]\nid = \"s\"\nname = \"s-{tenant}\"\nbucket = \"data\"\nproducers = [\"ingest\"]", "IAM role ARN"),
            ("[[stream]]\nid = \"s\"\nname = \"s-{tenant}\"\nbucket = \"data\"\nproducers = [\"arn:aws:iam::123456789012:role/a\", \"arn:aws:iam::123456789012:role/a\"]", "named twice"),
            ("[[stream]]\nid = \"s\"\nname = \"s-{tenant}\"\nbucket = \"data\"\nproducers_policy = \"maybe\"", "unknown variant"),
        ] {
            let err = Environment::from_toml(text).unwrap_err();
            assert!(err.contains(why), "{text:?}: {err}");
            assert!(!err.contains('\n'), "{err}");
        }
    }
}
