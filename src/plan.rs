//! The plan: what `enable` would change, computed as a value from what was observed, so it can be
//! tested without AWS. One change per resource, with its action, why, the steps that carry it
//! out, and notes on what cannot be undone or repeated.

use serde::Serialize;
use serde_json::{json, Value};

use crate::registry::Record;
use crate::state::{migrated_identifier, Encryption, Observed, Tenancy};

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
    /// A tenant bucket.
    S3Bucket,
    /// A tenant Firehose stream.
    FirehoseStream,
    /// The tenant database.
    RdsInstance,
    /// The tenant record in the environment's registry.
    RegistryRecord,
}

/// One step of a change; each is one (idempotent) AWS mutation or a wait.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Step {
    /// IAM CreateRole (trusting Firehose, with the tags).
    CreateRole,
    /// IAM PutRolePolicy: write the bucket and the key through S3 only.
    PutRolePolicy,
    /// IAM TagRole.
    TagRole,
    /// S3 CreateBucket.
    CreateBucket,
    /// S3 PutPublicAccessBlock, all four on.
    BlockPublicAccess,
    /// S3 PutBucketOwnershipControls BucketOwnerEnforced.
    EnforceOwnership,
    /// S3 PutBucketEncryption: aws:kms, the full key ARN, a bucket key.
    SetBucketEncryption,
    /// S3 PutBucketTagging (existing tags kept).
    TagBucket,
    /// CopyObject in place of every object not under the key.
    ReencryptObjects,
    /// Write an S3 Batch Operations manifest and job definition that re-encrypt them instead.
    WriteBatchJob,
    /// PutObject of the canary under the key: proves S3 can use it.
    WriteCanary,
    /// Firehose CreateDeliveryStream (DirectPut, CUSTOMER_MANAGED_CMK, S3 destination under the key).
    CreateStream,
    /// Wait for the stream to be ACTIVE.
    WaitStreamActive,
    /// Firehose StartDeliveryStreamEncryption with the key.
    StartStreamEncryption,
    /// Wait for encryption ENABLED (ENABLING_FAILED stops).
    WaitStreamEncryption,
    /// Firehose UpdateDestination: the S3 destination's KMS configuration.
    UpdateDestinationEncryption,
    /// Firehose TagDeliveryStream.
    TagStream,
    /// RDS CreateDBInstance encrypted with the key.
    CreateDatabase,
    /// Wait for the database to be available.
    WaitDatabase,
    /// RDS AddTagsToResource.
    TagDatabase,
    /// RDS CreateDBSnapshot of the database on another key (migration).
    SnapshotDatabase,
    /// RDS CopyDBSnapshot with the key (migration).
    CopySnapshot,
    /// RDS RestoreDBInstanceFromDBSnapshot as `<identifier>-cmek` (migration).
    RestoreDatabase,
    /// Write the tenant record to the registry.
    WriteRecord,
}

impl Step {
    /// The kebab-case name.
    pub fn name(self) -> &'static str {
        match self {
            Step::CreateRole => "create-role",
            Step::PutRolePolicy => "put-role-policy",
            Step::TagRole => "tag-role",
            Step::CreateBucket => "create-bucket",
            Step::BlockPublicAccess => "block-public-access",
            Step::EnforceOwnership => "enforce-ownership",
            Step::SetBucketEncryption => "set-bucket-encryption",
            Step::TagBucket => "tag-bucket",
            Step::ReencryptObjects => "reencrypt-objects",
            Step::WriteBatchJob => "write-batch-job",
            Step::WriteCanary => "write-canary",
            Step::CreateStream => "create-stream",
            Step::WaitStreamActive => "wait-stream-active",
            Step::StartStreamEncryption => "start-stream-encryption",
            Step::WaitStreamEncryption => "wait-stream-encryption",
            Step::UpdateDestinationEncryption => "update-destination-encryption",
            Step::TagStream => "tag-stream",
            Step::CreateDatabase => "create-database",
            Step::WaitDatabase => "wait-database",
            Step::TagDatabase => "tag-database",
            Step::SnapshotDatabase => "snapshot-database",
            Step::CopySnapshot => "copy-snapshot",
            Step::RestoreDatabase => "restore-database",
            Step::WriteRecord => "write-record",
        }
    }

    /// Whether the step changes something (waits do not).
    pub fn mutates(self) -> bool {
        !matches!(
            self,
            Step::WaitStreamActive | Step::WaitStreamEncryption | Step::WaitDatabase
        )
    }
}

/// Something the engineer must know before saying yes: what cannot be undone or repeated.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Note {
    /// Stable id (docs/checks.md).
    pub id: &'static str,
    /// One sentence.
    pub message: String,
}

/// Every note id the planner can emit.
pub const NOTE_IDS: &[&str] = &[
    "rds-key-fixed",
    "rds-migration-cutover",
    "rds-secret-key",
    "rds-insights-key",
    "firehose-toggle-limit",
    "firehose-enabling-unencrypted",
    "firehose-not-directput",
    "s3-objects-keep-old-key",
    "s3-objects-not-scanned",
    "s3-ownership-enforced",
    "key-changed",
];

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
    fn new(id: impl Into<String>, kind: Kind, resource: impl Into<String>) -> Self {
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

    fn note(&mut self, id: &'static str, message: impl Into<String>) {
        debug_assert!(NOTE_IDS.contains(&id));
        self.notes.push(Note {
            id,
            message: message.into(),
        });
    }

    fn settle(mut self, create: bool, reasons: Vec<String>) -> Self {
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
}

/// The delivery role's trust policy: Firehose, for this account only.
pub fn role_trust_policy(t: &Tenancy) -> Value {
    json!({
        "Version": "2012-10-17",
        "Statement": [{
            "Effect": "Allow",
            "Principal": { "Service": "firehose.amazonaws.com" },
            "Action": "sts:AssumeRole",
            "Condition": { "StringEquals": { "sts:ExternalId": t.account } }
        }]
    })
}

/// The delivery role's inline policy: write the tenant's buckets, and use the key through S3 for
/// those buckets only.
pub fn role_policy(t: &Tenancy) -> Value {
    let mut buckets: Vec<String> = t.names.streams.iter().map(|s| s.2.clone()).collect();
    buckets.sort();
    buckets.dedup();
    let bucket_arns: Vec<String> = buckets.iter().map(|b| t.bucket_arn(b)).collect();
    let object_arns: Vec<String> = bucket_arns.iter().map(|b| format!("{b}/*")).collect();
    json!({
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "DeliverToTenantBuckets",
                "Effect": "Allow",
                "Action": ["s3:AbortMultipartUpload", "s3:GetBucketLocation", "s3:GetObject",
                           "s3:ListBucket", "s3:ListBucketMultipartUploads", "s3:PutObject"],
                "Resource": bucket_arns.iter().chain(object_arns.iter()).collect::<Vec<_>>()
            },
            {
                "Sid": "UseTheCustomerKeyThroughS3",
                "Effect": "Allow",
                "Action": ["kms:GenerateDataKey", "kms:Decrypt"],
                "Resource": t.key.as_str(),
                "Condition": {
                    "StringEquals": { "kms:ViaService": format!("s3.{}.amazonaws.com", t.region) },
                    "StringLike": { "kms:EncryptionContext:aws:s3:arn": bucket_arns.iter().flat_map(|b| [b.clone(), format!("{b}/*")]).collect::<Vec<_>>() }
                }
            }
        ]
    })
}

fn tags_missing(have: &std::collections::BTreeMap<String, String>, t: &Tenancy) -> bool {
    t.tags().iter().any(|(k, v)| have.get(k) != Some(v))
}

fn shown(e: &Encryption) -> String {
    match e {
        Encryption::None => "no encryption".into(),
        Encryption::SseS3 => "SSE-S3".into(),
        Encryption::AwsManaged => "an AWS managed key".into(),
        Encryption::Kms(k) => format!("another key ({k})"),
    }
}

/// Computes the plan from what was observed.
pub fn plan(t: &Tenancy, o: &Observed, record: Option<&Record>, opts: PlanOptions) -> Plan {
    let mut changes = vec![];
    if let Some(role) = &o.role {
        let mut c = Change::new("role", Kind::IamRole, &role.name);
        let mut why = vec![];
        if !role.exists {
            c.steps.extend([Step::CreateRole, Step::PutRolePolicy]);
            why.push("the Firehose delivery role does not exist".to_string());
        } else {
            if role.policy.as_ref() != Some(&role_policy(t)) {
                c.steps.push(Step::PutRolePolicy);
                why.push(
                    "its delivery policy is not the one for this key and these buckets".into(),
                );
            }
            if tags_missing(&role.tags, t) {
                c.steps.push(Step::TagRole);
                why.push("tags missing".into());
            }
        }
        changes.push(c.settle(!role.exists, why));
    }
    for b in &o.buckets {
        changes.push(plan_bucket(t, b, opts));
    }
    for s in &o.streams {
        changes.push(plan_stream(t, s));
    }
    if let Some(db) = &o.database {
        changes.push(plan_database(t, db, o.migrated.as_ref(), opts));
    }
    let mut r = Change::new("record", Kind::RegistryRecord, t.tenant.as_str());
    let resources = crate::registry::Resources::of(t, o, opts);
    let mut why = vec![];
    match record {
        None => {
            r.steps.push(Step::WriteRecord);
            why.push("the tenant is not in the registry yet".to_string());
        }
        Some(rec) => {
            if rec.key_arn != t.key.as_str() {
                r.note(
                    "key-changed",
                    format!(
                        "the tenant was onboarded with {}; every resource moves to the new key, and a database cannot change key",
                        rec.key_arn
                    ),
                );
                r.steps.push(Step::WriteRecord);
                why.push("the record names another key".into());
            } else if rec.resources != resources {
                r.steps.push(Step::WriteRecord);
                why.push("the record lists other resources".into());
            }
        }
    }
    changes.push(r.settle(record.is_none(), why));
    Plan { changes }
}

fn plan_bucket(t: &Tenancy, b: &crate::state::BucketState, opts: PlanOptions) -> Change {
    let mut c = Change::new(format!("bucket:{}", b.id), Kind::S3Bucket, &b.name);
    let mut why = vec![];
    if !b.exists {
        c.steps.extend([
            Step::CreateBucket,
            Step::BlockPublicAccess,
            Step::EnforceOwnership,
            Step::SetBucketEncryption,
            Step::TagBucket,
            Step::WriteCanary,
        ]);
        why.push("the bucket does not exist".to_string());
        return c.settle(true, why);
    }
    if !b.public_access_blocked {
        c.steps.push(Step::BlockPublicAccess);
        why.push("public access is not fully blocked".to_string());
    }
    if !b.ownership_enforced {
        c.steps.push(Step::EnforceOwnership);
        why.push("object ownership is not enforced".into());
        c.note(
            "s3-ownership-enforced",
            "enforcing bucket-owner object ownership turns ACLs off for this bucket",
        );
    }
    if !b.encryption.is_key(&t.key) || !b.bucket_key {
        c.steps.push(Step::SetBucketEncryption);
        why.push(if b.encryption.is_key(&t.key) {
            "the bucket key is off".to_string()
        } else {
            format!("default encryption is {}", shown(&b.encryption))
        });
    }
    if tags_missing(&b.tags, t) {
        c.steps.push(Step::TagBucket);
        why.push("tags missing".into());
    }
    match &b.stale {
        Some(s) if s.stale > 0 => {
            let count = if s.complete {
                format!("{}", s.stale)
            } else {
                format!("at least {}", s.stale)
            };
            if opts.reencrypt_objects {
                c.steps.push(if opts.batch_operations {
                    Step::WriteBatchJob
                } else {
                    Step::ReencryptObjects
                });
                c.objects = Some(s.stale);
                why.push(format!("{count} objects are not under the key"));
            } else {
                c.note(
                    "s3-objects-keep-old-key",
                    format!(
                        "{count} objects already in the bucket keep their old encryption (e.g. {}); revoke-check will call them exposed; --reencrypt-objects copies them in place under the key",
                        s.examples.first().map(|e| e.0.as_str()).unwrap_or("?")
                    ),
                );
            }
        }
        None => c.note(
            "s3-objects-not-scanned",
            "objects already in the bucket were not examined",
        ),
        _ => {}
    }
    if b.canary.as_ref().is_none_or(|e| !e.is_key(&t.key)) {
        c.steps.push(Step::WriteCanary);
        why.push("the canary object is missing or not under the key".into());
    }
    c.settle(false, why)
}

fn plan_stream(t: &Tenancy, s: &crate::state::StreamState) -> Change {
    let mut c = Change::new(format!("stream:{}", s.id), Kind::FirehoseStream, &s.name);
    let mut why = vec![];
    if !s.exists {
        c.steps.extend([Step::CreateStream, Step::WaitStreamActive]);
        why.push("the stream does not exist".to_string());
        return c.settle(true, why);
    }
    if s.stream_type != "DirectPut" {
        c.action = Action::Blocked;
        c.reason = format!(
            "the stream's source is {}, and Firehose server-side encryption with a customer key works only for DirectPut streams; encrypt its source instead",
            s.stream_type
        );
        c.note("firehose-not-directput", c.reason.clone());
        return c;
    }
    if s.status == "CREATING" {
        c.steps.push(Step::WaitStreamActive);
        why.push("the stream is still being created".to_string());
    }
    let on_key = s.encryption.is_key(&t.key);
    if on_key && s.encryption_status == "ENABLING" {
        c.steps.push(Step::WaitStreamEncryption);
        why.push("encryption with the key is being enabled".into());
    } else if !on_key || s.encryption_status != "ENABLED" {
        c.steps
            .extend([Step::StartStreamEncryption, Step::WaitStreamEncryption]);
        why.push(if s.encryption_status == "ENABLING_FAILED" {
            "enabling encryption failed before".to_string()
        } else {
            format!("server-side encryption is {}", shown(&s.encryption))
        });
        c.note(
            "firehose-toggle-limit",
            "StartDeliveryStreamEncryption and StopDeliveryStreamEncryption share a limit of 25 calls per stream per 24 hours",
        );
        c.note(
            "firehose-enabling-unencrypted",
            "records sent while the stream is ENABLING are not encrypted with the key",
        );
    }
    if !s.destination_encryption.is_key(&t.key) {
        c.steps.push(Step::UpdateDestinationEncryption);
        why.push(format!(
            "the S3 destination writes with {}",
            shown(&s.destination_encryption)
        ));
    }
    if tags_missing(&s.tags, t) {
        c.steps.push(Step::TagStream);
        why.push("tags missing".into());
    }
    c.settle(false, why)
}

fn plan_database(
    t: &Tenancy,
    db: &crate::state::DatabaseState,
    migrated: Option<&crate::state::DatabaseState>,
    opts: PlanOptions,
) -> Change {
    let fixed = "an RDS database's key is fixed for its lifetime: it can never be changed, only migrated to a new database";
    if !db.exists && migrated.is_none() {
        let mut c = Change::new("database", Kind::RdsInstance, &db.identifier);
        c.steps.extend([Step::CreateDatabase, Step::WaitDatabase]);
        c.note("rds-key-fixed", fixed);
        return c.settle(true, vec!["the database does not exist".into()]);
    }
    if db.exists && db.encryption.is_key(&t.key) {
        return existing_database(t, db);
    }
    let target = migrated_identifier(&db.identifier);
    if let Some(m) = migrated {
        if m.encryption.is_key(&t.key) {
            let mut c = existing_database(t, m);
            c.note(
                "rds-migration-cutover",
                format!(
                    "{} was restored from {} under the key; cut-over remains: point the application at {}, then retire {} (cmek never deletes it)",
                    m.identifier, db.identifier, m.identifier, db.identifier
                ),
            );
            return c;
        }
        let mut c = Change::new("database", Kind::RdsInstance, &m.identifier);
        c.action = Action::Blocked;
        c.reason = format!(
            "{} exists but is encrypted with {}; it is not cmek's to change",
            m.identifier,
            shown(&m.encryption)
        );
        return c;
    }
    if opts.migrate_database {
        let mut c = Change::new("database", Kind::RdsInstance, &target);
        c.steps.extend([
            Step::SnapshotDatabase,
            Step::CopySnapshot,
            Step::RestoreDatabase,
            Step::WaitDatabase,
        ]);
        c.note("rds-key-fixed", fixed);
        c.note(
            "rds-migration-cutover",
            format!(
                "{} stays as it is; the new database {target} holds a copy as of the snapshot; cut-over (pointing the application at {target}, then retiring {}) remains",
                db.identifier, db.identifier
            ),
        );
        return c.settle(
            true,
            vec![format!(
                "{} is encrypted with {}: snapshot it, copy the snapshot under the key, restore it as {target}",
                db.identifier,
                shown(&db.encryption)
            )],
        );
    }
    let mut c = Change::new("database", Kind::RdsInstance, &db.identifier);
    c.action = Action::Blocked;
    c.reason = format!(
        "{} is encrypted with {}, and RDS cannot change a database's key; --migrate-database snapshots it, copies the snapshot under the key and restores it as {target}, leaving {} in place",
        db.identifier,
        shown(&db.encryption),
        db.identifier
    );
    c
}

fn existing_database(t: &Tenancy, db: &crate::state::DatabaseState) -> Change {
    let mut c = Change::new("database", Kind::RdsInstance, &db.identifier);
    let mut why = vec![];
    if matches!(db.status.as_str(), "creating" | "backing-up" | "modifying") {
        c.steps.push(Step::WaitDatabase);
        why.push(format!("the database is {}", db.status));
    }
    if tags_missing(&db.tags, t) {
        c.steps.push(Step::TagDatabase);
        why.push("tags missing".into());
    }
    if let Some(e) = &db.secret_encryption {
        if !e.is_key(&t.key) {
            c.note(
                "rds-secret-key",
                format!(
                    "the master password secret is under {}; change it with ModifyDBInstance --master-user-secret-kms-key-id",
                    shown(e)
                ),
            );
        }
    }
    if let Some(e) = &db.insights_encryption {
        if !e.is_key(&t.key) {
            c.note(
                "rds-insights-key",
                format!(
                    "Performance Insights data is under {}, and its key cannot be changed",
                    shown(e)
                ),
            );
        }
    }
    c.settle(false, why)
}

#[cfg(test)]
#[path = "plan_tests.rs"]
mod tests;
