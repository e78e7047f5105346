//! Each service's steps: what one step of a change is, by service. Their meaning lives in each
//! service's `apply`; [`super::Step`] is the union.

use serde::Serialize;
use strum::IntoStaticStr;

/// IAM steps (the Firehose delivery role).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, IntoStaticStr)]
#[serde(rename_all = "kebab-case")]
#[strum(serialize_all = "kebab-case")]
pub enum IamStep {
    /// CreateRole (trusting Firehose, with the tags).
    CreateRole,
    /// PutRolePolicy: write the bucket and the key through S3 only.
    PutRolePolicy,
    /// TagRole.
    TagRole,
    /// PutRolePolicy on a producer role: kms:GenerateDataKey and kms:Decrypt on the key through
    /// Firehose, one inline policy per tenant and stream.
    PutProducerPolicy,
}

/// S3 steps (a tenant bucket).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, IntoStaticStr)]
#[serde(rename_all = "kebab-case")]
#[strum(serialize_all = "kebab-case")]
pub enum S3Step {
    /// CreateBucket.
    CreateBucket,
    /// PutPublicAccessBlock, all four on.
    BlockPublicAccess,
    /// PutBucketOwnershipControls BucketOwnerEnforced.
    EnforceOwnership,
    /// PutBucketEncryption: aws:kms, the full key ARN, a bucket key.
    SetBucketEncryption,
    /// PutBucketPolicy: deny requests without TLS and writes that ask for another encryption
    /// than the key (every other statement kept).
    SetBucketPolicy,
    /// PutBucketTagging (existing tags kept).
    TagBucket,
    /// CopyObject in place of every object not under the key.
    ReencryptObjects,
    /// Re-encrypt them through S3 Batch Operations jobs (one per storage class), followed to their
    /// end; objects over 5 GB by multipart copy.
    RunBatchJobs,
    /// Follow the Batch Operations jobs an earlier run submitted to their end (their report read
    /// and removed), without submitting any: what a rerun without `--batch-operations` does.
    FollowBatchJobs,
    /// PutObject of the canary under the key: proves S3 can use it.
    WriteCanary,
}

/// Firehose steps (a tenant stream).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, IntoStaticStr)]
#[serde(rename_all = "kebab-case")]
#[strum(serialize_all = "kebab-case")]
pub enum FirehoseStep {
    /// CreateDeliveryStream (DirectPut, CUSTOMER_MANAGED_CMK, S3 destination under the key).
    CreateStream,
    /// Wait for the stream to be ACTIVE.
    WaitStreamActive,
    /// StartDeliveryStreamEncryption with the key.
    StartStreamEncryption,
    /// Wait for encryption ENABLED (ENABLING_FAILED stops).
    WaitStreamEncryption,
    /// UpdateDestination: the S3 destination's KMS configuration.
    UpdateDestinationEncryption,
    /// TagDeliveryStream.
    TagStream,
}

/// RDS steps (the tenant database, and its migration).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, IntoStaticStr)]
#[serde(rename_all = "kebab-case")]
#[strum(serialize_all = "kebab-case")]
pub enum RdsStep {
    /// CreateDBInstance encrypted with the key.
    CreateDatabase,
    /// Wait for the database to be available.
    WaitDatabase,
    /// AddTagsToResource.
    TagDatabase,
    /// CreateDBSnapshot of the database on another key (migration).
    SnapshotDatabase,
    /// CopyDBSnapshot with the key (migration).
    CopySnapshot,
    /// RestoreDBInstanceFromDBSnapshot as `<identifier>-cmek` (migration).
    RestoreDatabase,
    /// ModifyDBInstance (applied immediately) on the database a migration restored, before its
    /// cut-over: the AWS-managed master password secret under the key; then wait.
    ManageSecret,
    /// ModifyDBInstance: Performance Insights on, under the key (where the environment turns it
    /// on); then wait.
    EnableInsights,
    /// CreateDBParameterGroup and ModifyDBParameterGroup: cmek's group with `rds.force_ssl = 1`,
    /// for a new PostgreSQL 14 or older (whose default leaves TLS off).
    CreateTlsParameterGroup,
    /// ModifyDBInstance onto cmek's TLS group: an existing PostgreSQL 14 or older on a default
    /// group (from its next reboot).
    UseTlsParameterGroup,
    /// ModifyDBInstance: export the logs the environment asks for to CloudWatch Logs.
    ExportLogs,
}

/// RDS steps of an Aurora DB cluster.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, IntoStaticStr)]
#[serde(rename_all = "kebab-case")]
#[strum(serialize_all = "kebab-case")]
pub enum ClusterStep {
    /// CreateDBCluster encrypted with the key (master password secret under the key).
    CreateCluster,
    /// CreateDBInstance in the cluster, for each instance the environment asks for that is missing.
    CreateClusterInstances,
    /// Wait for the cluster and its instances to be available.
    WaitCluster,
    /// AddTagsToResource on the cluster.
    TagCluster,
    /// CreateDBClusterSnapshot of the cluster on another key (migration).
    SnapshotCluster,
    /// RestoreDBClusterFromSnapshot as `<identifier>-cmek`, with `KmsKeyId` = the key (migration).
    RestoreCluster,
    /// ModifyDBCluster on the cluster a migration restored: the AWS-managed master password secret
    /// under the key (a restore cannot set it).
    ManageClusterSecret,
}

/// SQS steps (a tenant queue).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, IntoStaticStr)]
#[serde(rename_all = "kebab-case")]
#[strum(serialize_all = "kebab-case")]
pub enum SqsStep {
    /// CreateQueue encrypted with the key, tagged.
    CreateQueue,
    /// SetQueueAttributes: KmsMasterKeyId = the key ARN and the data-key reuse period.
    SetQueueEncryption,
    /// SetQueueAttributes: the data-key reuse period alone (a queue already on the key).
    SetReusePeriod,
    /// SetQueueAttributes Policy: the tenant's topics may send to it (aws:SourceArn), the rest of
    /// the policy kept.
    AllowTopics,
    /// TagQueue.
    TagQueue,
}

/// SNS steps (a tenant topic).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, IntoStaticStr)]
#[serde(rename_all = "kebab-case")]
#[strum(serialize_all = "kebab-case")]
pub enum SnsStep {
    /// CreateTopic encrypted with the key, tagged.
    CreateTopic,
    /// SetTopicAttributes: KmsMasterKeyId = the key ARN.
    SetTopicEncryption,
    /// Subscribe each tenant queue the environment names (protocol sqs).
    SubscribeQueues,
    /// TagResource.
    TagTopic,
}

/// Registry steps.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, IntoStaticStr)]
#[serde(rename_all = "kebab-case")]
#[strum(serialize_all = "kebab-case")]
pub enum RecordStep {
    /// Write the tenant record to the registry.
    WriteRecord,
    /// Claim the key for the tenant in the registry (a conditional write), or join its claim.
    ClaimKey,
    /// Put the registry's protections on it: versioning, Object Lock's default retention, the
    /// bucket policy (TLS only, audit events never deleted or overwritten), public access
    /// blocked, ACLs disabled.
    ProtectRegistry,
    /// Create the evidence signing key (ECC_NIST_P256, SIGN_VERIFY) and its alias.
    CreateSigningKey,
}
