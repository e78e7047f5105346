//! The step vocabulary every service's plan and apply speak: a plan is one [`Change`] per resource,
//! each a list of [`Step`]s; applying one yields a [`StepResult`]. The step enums of every service
//! are declared here (the vocabulary), their meaning lives in each service's `apply`.

mod outcome;
mod vocab;

use serde::Serialize;

pub use outcome::{
    fail, ApplyCtx, ChangeResult, Outcome, Progress, Silent, StepError, StepOutput, StepResult,
    Waits,
};
pub use vocab::{
    ClusterStep, FirehoseStep, IamStep, RdsStep, RecordStep, S3Step, SnsStep, SqsStep,
};

use super::ids::NoteId;

/// What happens to a resource.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Action {
    /// It does not exist: create it encrypted with the key.
    Create,
    /// It exists: change what is needed.
    Update,
    /// Nothing to change.
    None,
    /// It needs an explicit option (or a person); nothing in the plan is applied.
    Blocked,
}

/// What kind of resource a change is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Kind {
    /// The Firehose delivery role cmek manages.
    IamRole,
    /// A producer of a tenant stream (a role that calls PutRecord): its permission on the key.
    FirehoseProducer,
    /// A tenant bucket.
    S3Bucket,
    /// A tenant Firehose stream.
    FirehoseStream,
    /// The tenant database.
    RdsInstance,
    /// The tenant database as an Aurora DB cluster (with its instances).
    RdsCluster,
    /// A tenant SQS queue.
    SqsQueue,
    /// A tenant SNS topic.
    SnsTopic,
    /// A producer or consumer of a tenant queue: its permission on the key.
    QueueRole,
    /// A publisher of a tenant topic: its permission on the key.
    TopicRole,
    /// The tenant record in the environment's registry.
    RegistryRecord,
    /// The customer key's claim in the registry (which tenant it belongs to).
    KeyClaim,
    /// The environment's registry bucket and its protections.
    Registry,
    /// The environment's evidence signing key (Speedscale's account).
    EvidenceKey,
}

/// One step of a change; each is one (idempotent) AWS mutation or a wait. In JSON, the step's
/// kebab-case name (`create-bucket`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(untagged)]
pub enum Step {
    /// The delivery role.
    Iam(IamStep),
    /// A bucket.
    S3(S3Step),
    /// A stream.
    Firehose(FirehoseStep),
    /// The database.
    Rds(RdsStep),
    /// The database as an Aurora cluster.
    Cluster(ClusterStep),
    /// A queue.
    Sqs(SqsStep),
    /// A topic.
    Sns(SnsStep),
    /// The registry.
    Record(RecordStep),
}

impl Step {
    /// The kebab-case name.
    pub fn name(self) -> &'static str {
        match self {
            Step::Iam(s) => s.into(),
            Step::S3(s) => s.into(),
            Step::Firehose(s) => s.into(),
            Step::Rds(s) => s.into(),
            Step::Cluster(s) => s.into(),
            Step::Sqs(s) => s.into(),
            Step::Sns(s) => s.into(),
            Step::Record(s) => s.into(),
        }
    }

    /// Whether the step changes something (waits do not).
    pub fn mutates(self) -> bool {
        match self {
            Step::Firehose(FirehoseStep::WaitStreamActive | FirehoseStep::WaitStreamEncryption)
            | Step::Rds(RdsStep::WaitDatabase)
            | Step::Cluster(ClusterStep::WaitCluster) => false,
            Step::Iam(
                IamStep::CreateRole
                | IamStep::PutRolePolicy
                | IamStep::TagRole
                | IamStep::PutProducerPolicy,
            )
            | Step::S3(
                S3Step::CreateBucket
                | S3Step::BlockPublicAccess
                | S3Step::EnforceOwnership
                | S3Step::SetBucketEncryption
                | S3Step::SetBucketPolicy
                | S3Step::TagBucket
                | S3Step::ReencryptObjects
                | S3Step::RunBatchJobs
                | S3Step::FollowBatchJobs
                | S3Step::WriteCanary,
            )
            | Step::Firehose(
                FirehoseStep::CreateStream
                | FirehoseStep::StartStreamEncryption
                | FirehoseStep::UpdateDestinationEncryption
                | FirehoseStep::TagStream,
            )
            | Step::Rds(
                RdsStep::CreateTlsParameterGroup
                | RdsStep::UseTlsParameterGroup
                | RdsStep::ExportLogs
                | RdsStep::CreateDatabase
                | RdsStep::TagDatabase
                | RdsStep::SnapshotDatabase
                | RdsStep::CopySnapshot
                | RdsStep::RestoreDatabase
                | RdsStep::ManageSecret
                | RdsStep::EnableInsights,
            )
            | Step::Cluster(
                ClusterStep::CreateCluster
                | ClusterStep::CreateClusterInstances
                | ClusterStep::TagCluster
                | ClusterStep::SnapshotCluster
                | ClusterStep::RestoreCluster
                | ClusterStep::ManageClusterSecret,
            )
            | Step::Sqs(
                SqsStep::CreateQueue
                | SqsStep::SetQueueEncryption
                | SqsStep::SetReusePeriod
                | SqsStep::AllowTopics
                | SqsStep::TagQueue,
            )
            | Step::Sns(
                SnsStep::CreateTopic
                | SnsStep::SetTopicEncryption
                | SnsStep::SubscribeQueues
                | SnsStep::TagTopic,
            )
            | Step::Record(
                RecordStep::WriteRecord
                | RecordStep::ClaimKey
                | RecordStep::ProtectRegistry
                | RecordStep::CreateSigningKey,
            ) => true,
        }
    }
}

impl From<IamStep> for Step {
    fn from(s: IamStep) -> Self {
        Step::Iam(s)
    }
}
impl From<S3Step> for Step {
    fn from(s: S3Step) -> Self {
        Step::S3(s)
    }
}
impl From<FirehoseStep> for Step {
    fn from(s: FirehoseStep) -> Self {
        Step::Firehose(s)
    }
}
impl From<RdsStep> for Step {
    fn from(s: RdsStep) -> Self {
        Step::Rds(s)
    }
}
impl From<ClusterStep> for Step {
    fn from(s: ClusterStep) -> Self {
        Step::Cluster(s)
    }
}
impl From<SqsStep> for Step {
    fn from(s: SqsStep) -> Self {
        Step::Sqs(s)
    }
}
impl From<SnsStep> for Step {
    fn from(s: SnsStep) -> Self {
        Step::Sns(s)
    }
}
impl From<RecordStep> for Step {
    fn from(s: RecordStep) -> Self {
        Step::Record(s)
    }
}

/// Something the engineer must know before saying yes: what cannot be undone or repeated.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Note {
    /// Stable id (docs/checks.md).
    pub id: NoteId,
    /// One sentence.
    pub message: String,
}

/// One resource's change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Change {
    /// Stable id within the plan, e.g. `bucket:data`, `stream:events`, `database`, `role`, `record`.
    pub id: String,
    /// What kind of resource.
    pub kind: Kind,
    /// Its name.
    pub resource: String,
    /// What happens to it.
    pub action: Action,
    /// Why, in one sentence.
    pub reason: String,
    /// The steps, in order.
    pub steps: Vec<Step>,
    /// What cannot be undone or repeated.
    pub notes: Vec<Note>,
    /// Objects to re-encrypt (the re-encryption step's expected count, when sampled).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub objects: Option<u64>,
}

impl Change {
    /// A change with nothing to do yet.
    pub fn new(id: impl Into<String>, kind: Kind, resource: impl Into<String>) -> Self {
        Self {
            id: id.into(),
            kind,
            resource: resource.into(),
            action: Action::None,
            reason: String::new(),
            steps: vec![],
            notes: vec![],
            objects: None,
        }
    }

    /// Appends a step.
    pub fn step(&mut self, step: impl Into<Step>) {
        self.steps.push(step.into());
    }

    /// Appends a note.
    pub fn note(&mut self, id: NoteId, message: impl Into<String>) {
        self.notes.push(Note {
            id,
            message: message.into(),
        });
    }

    /// Settles the action from the steps: none without steps, else create or update with the
    /// reasons joined. A blocked change stays blocked.
    pub fn settle(mut self, create: bool, reasons: Vec<String>) -> Self {
        if self.action == Action::Blocked {
            return self;
        }
        if self.steps.is_empty() {
            self.action = Action::None;
            if self.reason.is_empty() {
                self.reason = "already encrypted with the key and tagged".into();
            }
        } else {
            self.action = if create {
                Action::Create
            } else {
                Action::Update
            };
            self.reason = reasons.join("; ");
        }
        self
    }
}

/// Options that allow more than the default plan.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PlanOptions {
    /// Re-encrypt objects already in the buckets in place.
    pub reencrypt_objects: bool,
    /// Migrate a database on another key (snapshot, copy under the key, restore as new).
    pub migrate_database: bool,
    /// Re-encrypt through an S3 Batch Operations job (manifest and job definition written to the
    /// registry) instead of copying from this machine.
    pub batch_operations: bool,
}

/// The whole plan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Plan {
    /// One change per resource, in apply order.
    pub changes: Vec<Change>,
}

impl Plan {
    /// Whether nothing changes.
    pub fn is_empty(&self) -> bool {
        self.changes.iter().all(|c| c.action == Action::None)
    }

    /// Changes that need an explicit option or a person.
    pub fn blocked(&self) -> Vec<&Change> {
        self.changes
            .iter()
            .filter(|c| c.action == Action::Blocked)
            .collect()
    }

    /// Whether any change has this step.
    pub fn has_step(&self, step: impl Into<Step>) -> bool {
        let step = step.into();
        self.changes.iter().any(|c| c.steps.contains(&step))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn steps_serialise_as_their_names() {
        for (step, name) in [
            (Step::from(IamStep::PutRolePolicy), "put-role-policy"),
            (S3Step::SetBucketEncryption.into(), "set-bucket-encryption"),
            (
                FirehoseStep::UpdateDestinationEncryption.into(),
                "update-destination-encryption",
            ),
            (RdsStep::RestoreDatabase.into(), "restore-database"),
            (RecordStep::WriteRecord.into(), "write-record"),
        ] {
            assert_eq!(step.name(), name);
            assert_eq!(serde_json::to_value(step).unwrap(), name);
        }
        assert!(!Step::from(RdsStep::WaitDatabase).mutates());
        assert!(Step::from(S3Step::WriteCanary).mutates());
    }
}
