//! Carrying out a plan, step by step. Every step is idempotent (a create that finds its resource
//! already there counts as done), so a run that stopped part-way is finished by running again.
//! The database chain runs beside the role/bucket/stream chain: RDS takes minutes.

use std::time::Duration;

use aws_sdk_firehose::types as fh;
use aws_sdk_s3::primitives::ByteStream;
use aws_sdk_s3::types as s3t;
use serde::Serialize;

use crate::aws::Clients;
use crate::error::AwsError;
use crate::plan::{role_policy, role_trust_policy, Action, Change, Kind, Plan, Step};
use crate::state::{err, Encryption, Observed, Tenancy, CANARY_KEY, ROLE_POLICY};

/// What became of a change or a step.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Outcome {
    /// Done.
    Applied,
    /// Not attempted (nothing to do, or an earlier step failed).
    Skipped,
    /// Tried and failed (or its answer was lost: it may have happened; running again resumes).
    Failed,
    /// Dry run: what would be done.
    Planned,
}

/// One step's result.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StepResult {
    /// The step.
    pub step: Step,
    /// What became of it.
    pub outcome: Outcome,
    /// What happened, when there is more to say.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    /// The AWS error code, when it failed on one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub aws_error: Option<String>,
}

/// One change with what became of it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ChangeResult {
    /// The planned change.
    #[serde(flatten)]
    pub change: Change,
    /// What became of it as a whole.
    pub outcome: Outcome,
    /// Each step.
    pub results: Vec<StepResult>,
}

impl ChangeResult {
    /// A change as planned (dry run) or skipped.
    pub fn unapplied(change: &Change, outcome: Outcome) -> Self {
        let outcome = if change.action == Action::None {
            Outcome::Skipped
        } else {
            outcome
        };
        Self {
            change: change.clone(),
            outcome,
            results: change
                .steps
                .iter()
                .map(|s| StepResult {
                    step: *s,
                    outcome,
                    message: None,
                    aws_error: None,
                })
                .collect(),
        }
    }
}

/// Progress callbacks (the binary draws them; the library never prints).
pub trait Progress: Send + Sync {
    /// A step starts.
    fn step(&self, change: &Change, step: Step);
    /// A step ended.
    fn step_done(&self, change: &Change, result: &StepResult);
    /// Waiting on AWS: what, its current status, seconds waited.
    fn waiting(&self, resource: &str, status: &str, waited: Duration);
    /// Objects re-encrypted so far, of total.
    fn objects(&self, done: u64, total: u64);
}

/// Progress that shows nothing.
pub struct Silent;

impl Progress for Silent {
    fn step(&self, _: &Change, _: Step) {}
    fn step_done(&self, _: &Change, _: &StepResult) {}
    fn waiting(&self, _: &str, _: &str, _: Duration) {}
    fn objects(&self, _: u64, _: u64) {}
}

/// How long waits may take.
#[derive(Debug, Clone, Copy)]
pub struct Waits {
    /// Firehose: stream active, encryption enabled.
    pub stream: Duration,
    /// RDS: instance available, snapshots available.
    pub database: Duration,
}

impl Default for Waits {
    fn default() -> Self {
        Self {
            stream: Duration::from_secs(15 * 60),
            database: Duration::from_secs(90 * 60),
        }
    }
}

/// What a step failed with.
#[derive(Debug, Clone)]
pub struct StepError {
    /// One sentence.
    pub message: String,
    /// The AWS error code.
    pub code: Option<String>,
}

impl From<AwsError> for StepError {
    fn from(e: AwsError) -> Self {
        let lost = e.http_status.is_none() || e.is_server_error();
        let mut message = e.to_string();
        if lost {
            message.push_str(
                "; the change may or may not have happened: running enable again finishes it",
            );
        }
        Self {
            message,
            code: e.code.clone(),
        }
    }
}

fn fail(message: impl Into<String>) -> StepError {
    StepError {
        message: message.into(),
        code: None,
    }
}

type StepResultT = Result<Option<String>, StepError>;

/// Applies a plan. Changes are applied in order within two chains (role, buckets, streams; and the
/// database) that run side by side; a chain stops at its first failure. The record is written last,
/// only when everything else is done.
pub async fn apply(
    c: &Clients,
    t: &Tenancy,
    plan: &Plan,
    observed: &Observed,
    progress: &dyn Progress,
    waits: Waits,
    record: impl std::future::Future<Output = Result<(), AwsError>>,
) -> Vec<ChangeResult> {
    let ctx = Ctx {
        c,
        t,
        observed,
        progress,
        waits,
    };
    let (main, db): (Vec<&Change>, Vec<&Change>) = plan
        .changes
        .iter()
        .filter(|ch| ch.kind != Kind::RegistryRecord)
        .partition(|ch| ch.kind != Kind::RdsInstance);
    let (main, db) = tokio::join!(ctx.chain(main), ctx.chain(db));
    let mut results: Vec<ChangeResult> = main.into_iter().chain(db).collect();
    let all_ok = results.iter().all(|r| r.outcome != Outcome::Failed);
    if let Some(rec) = plan
        .changes
        .iter()
        .find(|ch| ch.kind == Kind::RegistryRecord)
    {
        if rec.action == Action::None || !all_ok {
            results.push(ChangeResult::unapplied(rec, Outcome::Skipped));
        } else {
            progress.step(rec, Step::WriteRecord);
            let r = match record.await {
                Ok(()) => StepResult {
                    step: Step::WriteRecord,
                    outcome: Outcome::Applied,
                    message: None,
                    aws_error: None,
                },
                Err(e) => {
                    let e = StepError::from(e);
                    StepResult {
                        step: Step::WriteRecord,
                        outcome: Outcome::Failed,
                        message: Some(e.message),
                        aws_error: e.code,
                    }
                }
            };
            progress.step_done(rec, &r);
            results.push(ChangeResult {
                change: rec.clone(),
                outcome: r.outcome,
                results: vec![r],
            });
        }
    }
    // Keep the plan's order in the report.
    results.sort_by_key(|r| {
        plan.changes
            .iter()
            .position(|c| c.id == r.change.id)
            .unwrap_or(usize::MAX)
    });
    results
}

struct Ctx<'a> {
    c: &'a Clients,
    t: &'a Tenancy,
    observed: &'a Observed,
    progress: &'a dyn Progress,
    waits: Waits,
}

impl Ctx<'_> {
    async fn chain(&self, changes: Vec<&Change>) -> Vec<ChangeResult> {
        let mut out = vec![];
        let mut stopped = false;
        for ch in changes {
            if ch.action == Action::None || stopped {
                out.push(ChangeResult::unapplied(ch, Outcome::Skipped));
                continue;
            }
            let mut results = vec![];
            let mut failed = false;
            for &step in &ch.steps {
                if failed {
                    results.push(StepResult {
                        step,
                        outcome: Outcome::Skipped,
                        message: None,
                        aws_error: None,
                    });
                    continue;
                }
                self.progress.step(ch, step);
                let r = match self.step(ch, step).await {
                    Ok(message) => StepResult {
                        step,
                        outcome: Outcome::Applied,
                        message,
                        aws_error: None,
                    },
                    Err(e) => {
                        failed = true;
                        StepResult {
                            step,
                            outcome: Outcome::Failed,
                            message: Some(e.message),
                            aws_error: e.code,
                        }
                    }
                };
                self.progress.step_done(ch, &r);
                results.push(r);
            }
            stopped |= failed;
            out.push(ChangeResult {
                change: ch.clone(),
                outcome: if failed {
                    Outcome::Failed
                } else {
                    Outcome::Applied
                },
                results,
            });
        }
        out
    }

    fn ep(&self) -> Option<&str> {
        self.t.ep()
    }

    async fn step(&self, ch: &Change, step: Step) -> StepResultT {
        let name = ch.resource.as_str();
        match step {
            Step::CreateRole => self.create_role(name).await,
            Step::PutRolePolicy => self.put_role_policy(name).await,
            Step::TagRole => self.tag_role(name).await,
            Step::CreateBucket => self.create_bucket(name).await,
            Step::BlockPublicAccess => block_public_access(self.c, name, self.ep())
                .await
                .map(|_| None)
                .map_err(Into::into),
            Step::EnforceOwnership => self.enforce_ownership(name).await,
            Step::SetBucketEncryption => self.set_bucket_encryption(name).await,
            Step::TagBucket => self.tag_bucket(ch).await,
            Step::ReencryptObjects => {
                crate::reencrypt::reencrypt(self.c, self.t, name, self.progress).await
            }
            Step::WriteBatchJob => crate::reencrypt::batch_job(self.c, self.t, name).await,
            Step::WriteCanary => self.write_canary(name).await,
            Step::CreateStream => self.create_stream(ch).await,
            Step::WaitStreamActive => self.wait_stream(name, false).await,
            Step::StartStreamEncryption => self.start_stream_encryption(name).await,
            Step::WaitStreamEncryption => self.wait_stream(name, true).await,
            Step::UpdateDestinationEncryption => self.update_destination(name).await,
            Step::TagStream => self.tag_stream(name).await,
            Step::CreateDatabase => self.create_database(name).await,
            Step::WaitDatabase => self.wait_database(name).await,
            Step::TagDatabase => self.tag_database(name).await,
            Step::SnapshotDatabase => self.snapshot_database().await,
            Step::CopySnapshot => self.copy_snapshot().await,
            Step::RestoreDatabase => self.restore_database(name).await,
            Step::WriteRecord => Ok(None),
        }
    }

    // ---- IAM ------------------------------------------------------------------------------

    fn iam_tags(&self) -> Vec<aws_sdk_iam::types::Tag> {
        self.t
            .tags()
            .into_iter()
            .filter_map(|(k, v)| {
                aws_sdk_iam::types::Tag::builder()
                    .key(k)
                    .value(v)
                    .build()
                    .ok()
            })
            .collect()
    }

    async fn create_role(&self, name: &str) -> StepResultT {
        let r = self
            .c
            .iam
            .create_role()
            .role_name(name)
            .description(format!(
                "Firehose delivery for Speedscale tenant {} (managed by cmek)",
                self.t.tenant
            ))
            .assume_role_policy_document(role_trust_policy(self.t).to_string())
            .set_tags(Some(self.iam_tags()))
            .send()
            .await;
        match r {
            Ok(_) => Ok(None),
            Err(e) => {
                let e = err("iam", "CreateRole", self.ep())(e);
                if e.is("EntityAlreadyExists") || e.is("EntityAlreadyExistsException") {
                    Ok(Some("already existed".into()))
                } else {
                    Err(e.into())
                }
            }
        }
    }

    async fn put_role_policy(&self, name: &str) -> StepResultT {
        self.c
            .iam
            .put_role_policy()
            .role_name(name)
            .policy_name(ROLE_POLICY)
            .policy_document(role_policy(self.t).to_string())
            .send()
            .await
            .map_err(err("iam", "PutRolePolicy", self.ep()))?;
        Ok(None)
    }

    async fn tag_role(&self, name: &str) -> StepResultT {
        self.c
            .iam
            .tag_role()
            .role_name(name)
            .set_tags(Some(self.iam_tags()))
            .send()
            .await
            .map_err(err("iam", "TagRole", self.ep()))?;
        Ok(None)
    }

    // ---- S3 -------------------------------------------------------------------------------

    async fn create_bucket(&self, name: &str) -> StepResultT {
        let mut req = self.c.s3.create_bucket().bucket(name);
        if self.c.region != "us-east-1" {
            req = req.create_bucket_configuration(
                s3t::CreateBucketConfiguration::builder()
                    .location_constraint(self.c.region.as_str().into())
                    .build(),
            );
        }
        match req.send().await {
            Ok(_) => Ok(None),
            Err(e) => {
                let e = err("s3", "CreateBucket", self.ep())(e);
                if e.is("BucketAlreadyOwnedByYou") {
                    Ok(Some("already existed".into()))
                } else if e.is("BucketAlreadyExists") {
                    Err(fail(format!(
                        "the bucket name {name} belongs to another AWS account; choose another name template in the environment file"
                    )))
                } else {
                    Err(e.into())
                }
            }
        }
    }

    async fn enforce_ownership(&self, name: &str) -> StepResultT {
        self.c
            .s3
            .put_bucket_ownership_controls()
            .bucket(name)
            .ownership_controls(
                s3t::OwnershipControls::builder()
                    .rules(
                        s3t::OwnershipControlsRule::builder()
                            .object_ownership(s3t::ObjectOwnership::BucketOwnerEnforced)
                            .build()
                            .map_err(|e| fail(e.to_string()))?,
                    )
                    .build()
                    .map_err(|e| fail(e.to_string()))?,
            )
            .send()
            .await
            .map_err(err("s3", "PutBucketOwnershipControls", self.ep()))?;
        Ok(None)
    }

    async fn set_bucket_encryption(&self, name: &str) -> StepResultT {
        let rule = s3t::ServerSideEncryptionRule::builder()
            .apply_server_side_encryption_by_default(
                s3t::ServerSideEncryptionByDefault::builder()
                    .sse_algorithm(s3t::ServerSideEncryption::AwsKms)
                    .kms_master_key_id(self.t.key.as_str())
                    .build()
                    .map_err(|e| fail(e.to_string()))?,
            )
            .bucket_key_enabled(true)
            .build();
        self.c
            .s3
            .put_bucket_encryption()
            .bucket(name)
            .server_side_encryption_configuration(
                s3t::ServerSideEncryptionConfiguration::builder()
                    .rules(rule)
                    .build()
                    .map_err(|e| fail(e.to_string()))?,
            )
            .send()
            .await
            .map_err(err("s3", "PutBucketEncryption", self.ep()))?;
        Ok(None)
    }

    async fn tag_bucket(&self, ch: &Change) -> StepResultT {
        // PutBucketTagging replaces the set: keep the tags others put there.
        let mut tags = self
            .observed
            .buckets
            .iter()
            .find(|b| b.name == ch.resource)
            .map(|b| b.tags.clone())
            .unwrap_or_default();
        tags.extend(self.t.tags());
        let set: Vec<s3t::Tag> = tags
            .into_iter()
            .filter_map(|(k, v)| s3t::Tag::builder().key(k).value(v).build().ok())
            .collect();
        self.c
            .s3
            .put_bucket_tagging()
            .bucket(&ch.resource)
            .tagging(
                s3t::Tagging::builder()
                    .set_tag_set(Some(set))
                    .build()
                    .map_err(|e| fail(e.to_string()))?,
            )
            .send()
            .await
            .map_err(err("s3", "PutBucketTagging", self.ep()))?;
        Ok(None)
    }

    async fn write_canary(&self, bucket: &str) -> StepResultT {
        let body = format!(
            "cmek canary for Speedscale tenant {}.\nWritten under {} so that `cmek revoke-check` can prove S3 reads depend on the key.\nIt holds no tenant data.\n",
            self.t.tenant, self.t.key
        );
        self.c
            .s3
            .put_object()
            .bucket(bucket)
            .key(CANARY_KEY)
            .content_type("text/plain")
            .server_side_encryption(s3t::ServerSideEncryption::AwsKms)
            .ssekms_key_id(self.t.key.as_str())
            .bucket_key_enabled(true)
            .body(ByteStream::from(body.into_bytes()))
            .send()
            .await
            .map_err(|e| {
                let e = err("s3", "PutObject", self.ep())(e);
                if e.is_our_side() {
                    StepError::from(e)
                } else {
                    StepError {
                        message: format!(
                            "S3 could not write under the key, so the key policy does not let S3 use it for Speedscale: {e}"
                        ),
                        code: e.code.clone(),
                    }
                }
            })?;
        Ok(Some("S3 wrote the canary under the key".into()))
    }

    // ---- Firehose -------------------------------------------------------------------------

    fn stream_spec(&self, ch: &Change) -> Option<(usize, &crate::environment::StreamSpec, String)> {
        let id = ch.id.strip_prefix("stream:")?;
        let i = self.t.env.streams.iter().position(|s| s.id == id)?;
        let dest = self.t.names.streams.get(i)?.2.clone();
        Some((i, &self.t.env.streams[i], dest))
    }

    fn kms_dest(&self) -> Result<fh::EncryptionConfiguration, StepError> {
        Ok(fh::EncryptionConfiguration::builder()
            .kms_encryption_config(
                fh::KmsEncryptionConfig::builder()
                    .awskms_key_arn(self.t.key.as_str())
                    .build()
                    .map_err(|e| fail(e.to_string()))?,
            )
            .build())
    }

    async fn create_stream(&self, ch: &Change) -> StepResultT {
        let Some((i, spec, dest)) = self.stream_spec(ch) else {
            return Err(fail(format!("no stream {} in the environment", ch.id)));
        };
        let b = |e: aws_sdk_firehose::error::BuildError| fail(e.to_string());
        let s3 = fh::ExtendedS3DestinationConfiguration::builder()
            .role_arn(self.t.role_arn(i))
            .bucket_arn(self.t.bucket_arn(&dest))
            .prefix(&spec.prefix)
            .error_output_prefix(format!("{}errors/", spec.prefix))
            .compression_format(fh::CompressionFormat::Gzip)
            .buffering_hints(
                fh::BufferingHints::builder()
                    .size_in_mbs(spec.buffer_mib)
                    .interval_in_seconds(spec.buffer_seconds)
                    .build(),
            )
            .encryption_configuration(self.kms_dest()?)
            .build()
            .map_err(b)?;
        let sse = fh::DeliveryStreamEncryptionConfigurationInput::builder()
            .key_type(fh::KeyType::CustomerManagedCmk)
            .key_arn(self.t.key.as_str())
            .build()
            .map_err(b)?;
        let tags: Vec<fh::Tag> = self
            .t
            .tags()
            .into_iter()
            .filter_map(|(k, v)| fh::Tag::builder().key(k).value(v).build().ok())
            .collect();
        // A role created seconds ago may not be assumable by Firehose yet (IAM is eventually
        // consistent): retry that one refusal for about a minute.
        let mut delay = Duration::from_secs(2);
        for attempt in 0.. {
            let r = self
                .c
                .firehose
                .create_delivery_stream()
                .delivery_stream_name(&ch.resource)
                .delivery_stream_type(fh::DeliveryStreamType::DirectPut)
                .delivery_stream_encryption_configuration_input(sse.clone())
                .extended_s3_destination_configuration(s3.clone())
                .set_tags(Some(tags.clone()))
                .send()
                .await;
            match r {
                Ok(_) => return Ok(None),
                Err(e) => {
                    let e = err("firehose", "CreateDeliveryStream", self.ep())(e);
                    if e.is("ResourceInUseException") {
                        return Ok(Some("already existed".into()));
                    }
                    let role_not_ready = e.is("InvalidArgumentException")
                        && e.message().to_lowercase().contains("assume");
                    if role_not_ready && attempt < 6 {
                        tokio::time::sleep(delay).await;
                        delay = (delay * 2).min(Duration::from_secs(15));
                        continue;
                    }
                    if e.is("InvalidKMSResourceException") {
                        return Err(StepError {
                            message: format!(
                                "Firehose cannot use the key for Speedscale (the key policy must let Speedscale's account use it through firehose.{} and create grants for AWS resources): {}",
                                self.t.region,
                                e.message()
                            ),
                            code: e.code.clone(),
                        });
                    }
                    return Err(e.into());
                }
            }
        }
        Ok(None)
    }

    async fn describe_stream(
        &self,
        name: &str,
    ) -> Result<aws_sdk_firehose::types::DeliveryStreamDescription, AwsError> {
        self.c
            .firehose
            .describe_delivery_stream()
            .delivery_stream_name(name)
            .send()
            .await
            .map_err(err("firehose", "DescribeDeliveryStream", self.ep()))?
            .delivery_stream_description
            .ok_or_else(|| {
                AwsError::service(
                    "firehose",
                    "DescribeDeliveryStream",
                    "MissingDescription",
                    "no description",
                )
            })
    }

    async fn wait_stream(&self, name: &str, encryption: bool) -> StepResultT {
        let started = std::time::Instant::now();
        let mut delay = Duration::from_millis(250);
        loop {
            let d = self.describe_stream(name).await?;
            let status = d.delivery_stream_status().as_str().to_string();
            let sse = d.delivery_stream_encryption_configuration();
            let sse_status = sse
                .and_then(|s| s.status())
                .map(|s| s.as_str().to_string())
                .unwrap_or_default();
            if encryption {
                match sse_status.as_str() {
                    "ENABLED" => return Ok(Some("encryption ENABLED with the key".into())),
                    "ENABLING_FAILED" => {
                        let why = sse
                            .and_then(|s| s.failure_description())
                            .map(|f| format!("{}: {}", f.r#type().as_str(), f.details()))
                            .unwrap_or_else(|| "no FailureDescription".into());
                        return Err(StepError {
                            message: format!(
                                "enabling encryption failed ({why}); Firehose keeps the previous key; fix the key policy and run enable again"
                            ),
                            code: Some("ENABLING_FAILED".into()),
                        });
                    }
                    _ => {}
                }
            } else if status == "ACTIVE" {
                return Ok(Some("ACTIVE".into()));
            } else if status.ends_with("FAILED") {
                let why = d
                    .failure_description()
                    .map(|f| format!("{}: {}", f.r#type().as_str(), f.details()))
                    .unwrap_or_default();
                return Err(StepError {
                    message: format!("the stream is {status} {why}"),
                    code: Some(status),
                });
            }
            let shown = if encryption { &sse_status } else { &status };
            self.progress.waiting(name, shown, started.elapsed());
            if started.elapsed() > self.waits.stream {
                return Err(fail(format!(
                    "still {shown} after {}s; run enable again to keep waiting",
                    started.elapsed().as_secs()
                )));
            }
            tokio::time::sleep(delay).await;
            delay = (delay * 2).min(Duration::from_secs(10));
        }
    }

    async fn start_stream_encryption(&self, name: &str) -> StepResultT {
        let sse = fh::DeliveryStreamEncryptionConfigurationInput::builder()
            .key_type(fh::KeyType::CustomerManagedCmk)
            .key_arn(self.t.key.as_str())
            .build()
            .map_err(|e| fail(e.to_string()))?;
        self.c
            .firehose
            .start_delivery_stream_encryption()
            .delivery_stream_name(name)
            .delivery_stream_encryption_configuration_input(sse)
            .send()
            .await
            .map_err(err("firehose", "StartDeliveryStreamEncryption", self.ep()))?;
        Ok(None)
    }

    async fn update_destination(&self, name: &str) -> StepResultT {
        for attempt in 0..3 {
            // UpdateDestination needs the stream's current version id: read it right before.
            let d = self.describe_stream(name).await?;
            let dest_id = d
                .destinations()
                .first()
                .map(|x| x.destination_id().to_string())
                .unwrap_or_default();
            let r = self
                .c
                .firehose
                .update_destination()
                .delivery_stream_name(name)
                .current_delivery_stream_version_id(d.version_id())
                .destination_id(dest_id)
                .extended_s3_destination_update(
                    fh::ExtendedS3DestinationUpdate::builder()
                        .encryption_configuration(self.kms_dest()?)
                        .build(),
                )
                .send()
                .await;
            match r {
                Ok(_) => return Ok(None),
                Err(e) => {
                    let e = err("firehose", "UpdateDestination", self.ep())(e);
                    if e.is("ConcurrentModificationException") && attempt < 2 {
                        continue;
                    }
                    return Err(e.into());
                }
            }
        }
        Ok(None)
    }

    async fn tag_stream(&self, name: &str) -> StepResultT {
        let tags: Vec<fh::Tag> = self
            .t
            .tags()
            .into_iter()
            .filter_map(|(k, v)| fh::Tag::builder().key(k).value(v).build().ok())
            .collect();
        self.c
            .firehose
            .tag_delivery_stream()
            .delivery_stream_name(name)
            .set_tags(Some(tags))
            .send()
            .await
            .map_err(err("firehose", "TagDeliveryStream", self.ep()))?;
        Ok(None)
    }

    // ---- RDS ------------------------------------------------------------------------------

    fn rds_tags(&self) -> Vec<aws_sdk_rds::types::Tag> {
        self.t
            .tags()
            .into_iter()
            .map(|(k, v)| aws_sdk_rds::types::Tag::builder().key(k).value(v).build())
            .collect()
    }

    async fn create_database(&self, identifier: &str) -> StepResultT {
        let Some(spec) = &self.t.env.database else {
            return Err(fail("the environment has no database"));
        };
        let key = self.t.key.as_str();
        let mut req = self
            .c
            .rds
            .create_db_instance()
            .db_instance_identifier(identifier)
            .engine(&spec.engine)
            .set_engine_version(spec.engine_version.clone())
            .db_instance_class(&spec.instance_class)
            .allocated_storage(spec.allocated_storage)
            .storage_encrypted(true)
            .kms_key_id(key)
            .master_username(&spec.master_username)
            .manage_master_user_password(true)
            .master_user_secret_kms_key_id(key)
            .enable_performance_insights(spec.performance_insights)
            .backup_retention_period(spec.backup_retention_days)
            .multi_az(spec.multi_az)
            .publicly_accessible(false)
            .deletion_protection(true)
            .copy_tags_to_snapshot(true)
            .set_db_subnet_group_name(spec.subnet_group.clone())
            .set_tags(Some(self.rds_tags()));
        if spec.performance_insights {
            req = req.performance_insights_kms_key_id(key);
        }
        if !spec.security_groups.is_empty() {
            req = req.set_vpc_security_group_ids(Some(spec.security_groups.clone()));
        }
        match req.send().await {
            Ok(_) => Ok(None),
            Err(e) => {
                let e = err("rds", "CreateDBInstance", self.ep())(e);
                if e.is("DBInstanceAlreadyExists") || e.is("DBInstanceAlreadyExistsFault") {
                    Ok(Some("already existed".into()))
                } else if e.is("KMSKeyNotAccessibleFault") {
                    Err(StepError {
                        message: format!(
                            "RDS cannot use the key for Speedscale (the key policy must let Speedscale's account use it through rds.{} and create grants for AWS resources): {}",
                            self.t.region,
                            e.message()
                        ),
                        code: e.code.clone(),
                    })
                } else {
                    Err(e.into())
                }
            }
        }
    }

    async fn wait_database(&self, identifier: &str) -> StepResultT {
        let started = std::time::Instant::now();
        let mut delay = Duration::from_millis(250);
        loop {
            let db = crate::state::observe_database(self.c, self.t, identifier).await?;
            if !db.exists {
                return Err(fail(format!("{identifier} does not exist")));
            }
            match db.status.as_str() {
                "available" => {
                    if !db.encryption.is_key(&self.t.key) {
                        return Err(fail(format!(
                            "{identifier} is available but encrypted with {}",
                            db.encryption.shown()
                        )));
                    }
                    return Ok(Some("available, encrypted with the key".into()));
                }
                s if s.starts_with("inaccessible")
                    || s == "failed"
                    || s.starts_with("incompatible") =>
                {
                    return Err(StepError {
                        message: format!("{identifier} is {s}"),
                        code: Some(s.to_string()),
                    })
                }
                _ => {}
            }
            self.progress
                .waiting(identifier, &db.status, started.elapsed());
            if started.elapsed() > self.waits.database {
                return Err(fail(format!(
                    "{identifier} is still {} after {}s; run enable again to keep waiting",
                    db.status,
                    started.elapsed().as_secs()
                )));
            }
            tokio::time::sleep(delay).await;
            delay = (delay * 2).min(Duration::from_secs(15));
        }
    }

    async fn tag_database(&self, identifier: &str) -> StepResultT {
        // The plan tags only a database it observed: its ARN is known.
        let observed = [&self.observed.database, &self.observed.migrated]
            .into_iter()
            .flatten()
            .find(|d| d.exists && d.identifier == identifier);
        let arn = match observed {
            Some(d) => d.arn.clone(),
            None => {
                crate::state::observe_database(self.c, self.t, identifier)
                    .await?
                    .arn
            }
        };
        self.c
            .rds
            .add_tags_to_resource()
            .resource_name(&arn)
            .set_tags(Some(self.rds_tags()))
            .send()
            .await
            .map_err(err("rds", "AddTagsToResource", self.ep()))?;
        Ok(None)
    }

    fn source_database(&self) -> Result<String, StepError> {
        self.t
            .names
            .database
            .clone()
            .ok_or_else(|| fail("the environment has no database"))
    }

    async fn wait_snapshot(&self, id: &str) -> Result<Option<Encryption>, StepError> {
        let started = std::time::Instant::now();
        let mut delay = Duration::from_millis(250);
        loop {
            let out = match self
                .c
                .rds
                .describe_db_snapshots()
                .db_snapshot_identifier(id)
                .send()
                .await
            {
                Ok(o) => o,
                Err(e) => {
                    let e = err("rds", "DescribeDBSnapshots", self.ep())(e);
                    if e.is("DBSnapshotNotFound") || e.is("DBSnapshotNotFoundFault") {
                        return Ok(None);
                    }
                    return Err(e.into());
                }
            };
            let Some(s) = out.db_snapshots().first() else {
                return Ok(None);
            };
            let status = s.status().unwrap_or_default();
            if status == "available" {
                return Ok(Some(if s.encrypted() == Some(true) {
                    Encryption::kms(s.kms_key_id())
                } else {
                    Encryption::None
                }));
            }
            if status == "failed" {
                return Err(fail(format!("snapshot {id} failed")));
            }
            self.progress.waiting(id, status, started.elapsed());
            if started.elapsed() > self.waits.database {
                return Err(fail(format!("snapshot {id} is still {status}")));
            }
            tokio::time::sleep(delay).await;
            delay = (delay * 2).min(Duration::from_secs(15));
        }
    }

    async fn snapshot_database(&self) -> StepResultT {
        let source = self.source_database()?;
        let snap = format!("{source}-pre-cmek");
        if self.wait_snapshot(&snap).await?.is_none() {
            match self
                .c
                .rds
                .create_db_snapshot()
                .db_instance_identifier(&source)
                .db_snapshot_identifier(&snap)
                .set_tags(Some(self.rds_tags()))
                .send()
                .await
            {
                Ok(_) => {}
                Err(e) => {
                    let e = err("rds", "CreateDBSnapshot", self.ep())(e);
                    if !(e.is("DBSnapshotAlreadyExists") || e.is("DBSnapshotAlreadyExistsFault")) {
                        return Err(e.into());
                    }
                }
            }
            self.wait_snapshot(&snap).await?;
        }
        Ok(Some(format!("snapshot {snap} of {source}")))
    }

    async fn copy_snapshot(&self) -> StepResultT {
        let source = self.source_database()?;
        let from = format!("{source}-pre-cmek");
        let to = format!("{source}-pre-cmek-under-key");
        if self.wait_snapshot(&to).await?.is_none() {
            match self
                .c
                .rds
                .copy_db_snapshot()
                .source_db_snapshot_identifier(&from)
                .target_db_snapshot_identifier(&to)
                .kms_key_id(self.t.key.as_str())
                .set_tags(Some(self.rds_tags()))
                .send()
                .await
            {
                Ok(_) => {}
                Err(e) => {
                    let e = err("rds", "CopyDBSnapshot", self.ep())(e);
                    if !(e.is("DBSnapshotAlreadyExists") || e.is("DBSnapshotAlreadyExistsFault")) {
                        return Err(e.into());
                    }
                }
            }
        }
        match self.wait_snapshot(&to).await? {
            Some(e) if e.is_key(&self.t.key) => Ok(Some(format!("{to}, under the key"))),
            Some(e) => Err(fail(format!("{to} is encrypted with {}", e.shown()))),
            None => Err(fail(format!("{to} disappeared"))),
        }
    }

    async fn restore_database(&self, target: &str) -> StepResultT {
        let Some(spec) = &self.t.env.database else {
            return Err(fail("the environment has no database"));
        };
        let source = self.source_database()?;
        let from = format!("{source}-pre-cmek-under-key");
        let mut req = self
            .c
            .rds
            .restore_db_instance_from_db_snapshot()
            .db_instance_identifier(target)
            .db_snapshot_identifier(&from)
            .db_instance_class(&spec.instance_class)
            .publicly_accessible(false)
            .deletion_protection(true)
            .copy_tags_to_snapshot(true)
            .multi_az(spec.multi_az)
            .set_db_subnet_group_name(spec.subnet_group.clone())
            .set_tags(Some(self.rds_tags()));
        if !spec.security_groups.is_empty() {
            req = req.set_vpc_security_group_ids(Some(spec.security_groups.clone()));
        }
        match req.send().await {
            Ok(_) => Ok(Some(format!(
                "restored from {from}; {source} left in place"
            ))),
            Err(e) => {
                let e = err("rds", "RestoreDBInstanceFromDBSnapshot", self.ep())(e);
                if e.is("DBInstanceAlreadyExists") || e.is("DBInstanceAlreadyExistsFault") {
                    Ok(Some("already existed".into()))
                } else {
                    Err(e.into())
                }
            }
        }
    }
}

/// Blocks every kind of public access to a bucket.
pub async fn block_public_access(
    c: &Clients,
    bucket: &str,
    ep: Option<&str>,
) -> Result<(), AwsError> {
    c.s3.put_public_access_block()
        .bucket(bucket)
        .public_access_block_configuration(
            s3t::PublicAccessBlockConfiguration::builder()
                .block_public_acls(true)
                .ignore_public_acls(true)
                .block_public_policy(true)
                .restrict_public_buckets(true)
                .build(),
        )
        .send()
        .await
        .map_err(err("s3", "PutPublicAccessBlock", ep))?;
    Ok(())
}

#[cfg(test)]
#[path = "apply_tests.rs"]
mod tests;
