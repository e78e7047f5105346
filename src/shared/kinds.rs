//! What a `status` row is about: one enum of kinds per service, and [`ResourceKind`] over them.
//! Each serialises as its kebab-case name (`s3-bucket`), the JSON `kind`.

use serde::{Deserialize, Serialize};
use strum::{EnumIter, IntoStaticStr};

/// What a `status` row is about, by service (each service's evidence matches its own kinds). The
/// JSON `kind` is the kebab-case name (`s3-bucket`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(untagged)]
pub enum ResourceKind {
    /// An S3 row.
    S3(S3Resource),
    /// A Firehose row.
    Firehose(FirehoseResource),
    /// An RDS row.
    Rds(RdsResource),
    /// An SQS row.
    Sqs(SqsResource),
    /// An SNS row.
    Sns(SnsResource),
}

/// SQS rows.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, EnumIter, IntoStaticStr,
)]
pub enum SqsResource {
    /// A queue's server-side encryption.
    #[serde(rename = "sqs-queue")]
    #[strum(serialize = "sqs-queue")]
    Queue,
    /// Messages a queue held when the key reached it: they stay under the encryption they were
    /// sent with until consumed or expired.
    #[serde(rename = "sqs-messages")]
    #[strum(serialize = "sqs-messages")]
    Messages,
    /// A role that sends to a queue: its own permission on the key.
    #[serde(rename = "sqs-producer")]
    #[strum(serialize = "sqs-producer")]
    Producer,
    /// A role that receives from a queue: its own permission on the key.
    #[serde(rename = "sqs-consumer")]
    #[strum(serialize = "sqs-consumer")]
    Consumer,
}

/// SNS rows.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, EnumIter, IntoStaticStr,
)]
pub enum SnsResource {
    /// A topic's server-side encryption.
    #[serde(rename = "sns-topic")]
    #[strum(serialize = "sns-topic")]
    Topic,
    /// A role that publishes to a topic: its own permission on the key.
    #[serde(rename = "sns-publisher")]
    #[strum(serialize = "sns-publisher")]
    Publisher,
}

/// S3 rows.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, EnumIter, IntoStaticStr,
)]
pub enum S3Resource {
    /// A bucket's default encryption.
    #[serde(rename = "s3-bucket")]
    #[strum(serialize = "s3-bucket")]
    Bucket,
    /// The canary object in a bucket.
    #[serde(rename = "s3-canary")]
    #[strum(serialize = "s3-canary")]
    Canary,
    /// An incomplete multipart upload (`<bucket>/<key>` and its upload id).
    #[serde(rename = "s3-multipart-upload")]
    #[strum(serialize = "s3-multipart-upload")]
    Upload,
    /// A replication rule of a bucket (`<bucket>/<rule id>`).
    #[serde(rename = "s3-replication")]
    #[strum(serialize = "s3-replication")]
    Replication,
}

/// Firehose rows.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, EnumIter, IntoStaticStr,
)]
pub enum FirehoseResource {
    /// A stream's server-side encryption.
    #[serde(rename = "firehose-stream")]
    #[strum(serialize = "firehose-stream")]
    Stream,
    /// A stream's S3 destination.
    #[serde(rename = "firehose-destination")]
    #[strum(serialize = "firehose-destination")]
    Destination,
    /// A producer of a stream (a role that calls PutRecord): its own permission on the key.
    #[serde(rename = "firehose-producer")]
    #[strum(serialize = "firehose-producer")]
    Producer,
    /// A stream's S3 backup of its source records (`S3BackupMode` enabled).
    #[serde(rename = "firehose-backup")]
    #[strum(serialize = "firehose-backup")]
    Backup,
}

/// RDS rows.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, EnumIter, IntoStaticStr,
)]
pub enum RdsResource {
    /// A database's storage.
    #[serde(rename = "rds-instance")]
    #[strum(serialize = "rds-instance")]
    Instance,
    /// An Aurora DB cluster's storage (its instances share it).
    #[serde(rename = "rds-cluster")]
    #[strum(serialize = "rds-cluster")]
    Cluster,
    /// An Aurora DB cluster snapshot.
    #[serde(rename = "rds-cluster-snapshot")]
    #[strum(serialize = "rds-cluster-snapshot")]
    ClusterSnapshot,
    /// A database's AWS-managed master password secret.
    #[serde(rename = "rds-secret")]
    #[strum(serialize = "rds-secret")]
    Secret,
    /// A database's Performance Insights data.
    #[serde(rename = "rds-insights")]
    #[strum(serialize = "rds-insights")]
    Insights,
    /// A database snapshot.
    #[serde(rename = "rds-snapshot")]
    #[strum(serialize = "rds-snapshot")]
    Snapshot,
    /// The database a migration replaced.
    #[serde(rename = "rds-replaced")]
    #[strum(serialize = "rds-replaced")]
    Replaced,
    /// The automated backups RDS retained after their database was deleted.
    #[serde(rename = "rds-automated-backup")]
    #[strum(serialize = "rds-automated-backup")]
    AutomatedBackup,
}

impl ResourceKind {
    /// The kebab-case name.
    pub fn as_str(self) -> &'static str {
        match self {
            ResourceKind::S3(k) => k.into(),
            ResourceKind::Firehose(k) => k.into(),
            ResourceKind::Rds(k) => k.into(),
            ResourceKind::Sqs(k) => k.into(),
            ResourceKind::Sns(k) => k.into(),
        }
    }

    /// Every kind.
    pub fn all() -> impl Iterator<Item = ResourceKind> {
        use strum::IntoEnumIterator;
        S3Resource::iter()
            .map(ResourceKind::S3)
            .chain(FirehoseResource::iter().map(ResourceKind::Firehose))
            .chain(RdsResource::iter().map(ResourceKind::Rds))
            .chain(SqsResource::iter().map(ResourceKind::Sqs))
            .chain(SnsResource::iter().map(ResourceKind::Sns))
    }
}

impl From<S3Resource> for ResourceKind {
    fn from(k: S3Resource) -> Self {
        ResourceKind::S3(k)
    }
}
impl From<FirehoseResource> for ResourceKind {
    fn from(k: FirehoseResource) -> Self {
        ResourceKind::Firehose(k)
    }
}
impl From<RdsResource> for ResourceKind {
    fn from(k: RdsResource) -> Self {
        ResourceKind::Rds(k)
    }
}
impl From<SqsResource> for ResourceKind {
    fn from(k: SqsResource) -> Self {
        ResourceKind::Sqs(k)
    }
}
impl From<SnsResource> for ResourceKind {
    fn from(k: SnsResource) -> Self {
        ResourceKind::Sns(k)
    }
}
