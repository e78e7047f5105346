//! The environment's data stores beyond buckets and streams: the database (an RDS instance or an
//! Aurora cluster), SQS queues and SNS topics, as the environment file declares them.

use serde::Deserialize;

/// The tenant's RDS database.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DatabaseSpec {
    /// DB instance identifier template; must contain `{tenant}` and start with a letter.
    pub identifier: String,
    /// Engine, e.g. `postgres`.
    #[serde(default = "default_engine")]
    pub engine: String,
    /// Engine version; the engine's default when absent.
    #[serde(default)]
    pub engine_version: Option<String>,
    /// The DB instance class; by default `db.t4g.micro` (`postgres`) or `db.t4g.medium`
    /// (`aurora-postgresql`, which offers no micro class): [`DatabaseSpec::instance_class`].
    #[serde(default, rename = "instance_class")]
    pub class: Option<String>,
    /// `aurora-postgresql`: how many DB instances the cluster has (1-16; the first is the writer).
    #[serde(default = "default_instances")]
    pub instances: u32,
    /// Storage in GiB.
    #[serde(default = "default_storage")]
    pub allocated_storage: i32,
    /// DB subnet group; the default VPC when absent.
    #[serde(default)]
    pub subnet_group: Option<String>,
    /// VPC security groups; the default VPC's default group when empty.
    #[serde(default)]
    pub security_groups: Vec<String>,
    /// Automated backup retention in days.
    #[serde(default = "default_backup_days")]
    pub backup_retention_days: i32,
    /// Master user name (the password is managed by AWS in Secrets Manager, under the customer key).
    #[serde(default = "default_master_user")]
    pub master_username: String,
    /// Performance Insights on (under the customer key) or off.
    #[serde(default)]
    pub performance_insights: bool,
    /// Multi-AZ deployment.
    #[serde(default)]
    pub multi_az: bool,
    /// PostgreSQL logs exported to CloudWatch Logs (`postgresql`, `upgrade`; engine `postgres`
    /// only). Off by default: the log group is not under the customer's key.
    #[serde(default)]
    pub log_exports: Vec<String>,
}

impl DatabaseSpec {
    /// Whether the database is an Aurora DB cluster (its identifier is the cluster's).
    pub fn is_cluster(&self) -> bool {
        self.engine.starts_with("aurora")
    }

    /// The DB instance class.
    pub fn instance_class(&self) -> &str {
        match (&self.class, self.is_cluster()) {
            (Some(c), _) => c,
            (None, false) => "db.t4g.micro",
            (None, true) => "db.t4g.medium",
        }
    }
}

/// A tenant SQS queue: server-side encryption with the customer key (`KmsMasterKeyId`).
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct QueueSpec {
    /// Stable id within the environment (1-64 characters of a-z A-Z 0-9 _ . -).
    pub id: String,
    /// Queue name template; must contain `{tenant}`.
    pub name: String,
    /// How long SQS may reuse a data key before calling KMS again (`KmsDataKeyReusePeriodSeconds`,
    /// 60-86400; AWS's default 300): also the longest a revocation takes to reach the queue.
    #[serde(default = "default_reuse_seconds")]
    pub data_key_reuse_seconds: i32,
    /// IAM role ARN templates of what sends to the queue: each needs `kms:GenerateDataKey` and
    /// `kms:Decrypt` on the key through SQS.
    #[serde(default)]
    pub producers: Vec<String>,
    /// IAM role ARN templates of what receives from the queue: each needs `kms:Decrypt`.
    #[serde(default)]
    pub consumers: Vec<String>,
    /// Who gives them their permission: cmek (`managed`, on roles tagged for it) or the platform
    /// (`external`, checked with IAM's simulator), as for a stream's producers.
    #[serde(default)]
    pub producers_policy: super::ProducersPolicy,
}

/// A tenant SNS topic: server-side encryption with the customer key (`KmsMasterKeyId`).
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TopicSpec {
    /// Stable id within the environment.
    pub id: String,
    /// Topic name template; must contain `{tenant}`.
    pub name: String,
    /// The `[[queue]]` ids the topic delivers to (an SQS subscription each).
    #[serde(default)]
    pub queues: Vec<String>,
    /// IAM role ARN templates of what publishes to the topic: each needs `kms:GenerateDataKey` and
    /// `kms:Decrypt` on the key through SNS.
    #[serde(default)]
    pub publishers: Vec<String>,
    /// Who gives them their permission (as for a queue's producers).
    #[serde(default)]
    pub producers_policy: super::ProducersPolicy,
}

pub(super) fn default_engine() -> String {
    "postgres".into()
}

pub(super) fn default_instances() -> u32 {
    1
}

pub(super) fn default_reuse_seconds() -> i32 {
    300
}

pub(super) fn default_storage() -> i32 {
    20
}

pub(super) fn default_backup_days() -> i32 {
    7
}

pub(super) fn default_master_user() -> String {
    "speedscale".into()
}
