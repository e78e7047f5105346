//! The `run-batch-jobs` step of a bucket: finish following the jobs a previous run created, then
//! copy what is over 5 GB by multipart copy, and give each storage class still present its own
//! manifest and job, followed to its end.

use std::collections::BTreeMap;

use aws_sdk_s3control::types as ct;

use super::follow::{follow, JobProgress};
use super::manifest::{client_request_token, manifest_prefix, objects_digest, Match};
use super::report::{read_and_remove, FailedTask};
use super::BATCH_PREFIX;
use crate::aws::Clients;
use crate::error::AwsError;
use crate::services::registry::{BatchJob, BatchJobs, Registry};
use crate::services::s3::{
    archived_note, copy_big_object, scan_objects, some_keys, still_off_key, BigCopy, StaleObject,
    MAX_COPY_BYTES,
};
use crate::shared::clock;
use crate::shared::steps::{fail, Progress, StepError};
use crate::shared::tenancy::{err, Tenancy};

/// What the jobs of this run did.
#[derive(Default)]
struct Tally {
    jobs: Vec<String>,
    succeeded: i64,
    failed: Vec<FailedTask>,
    job_failures: Vec<String>,
    big: u64,
    changed: u64,
}

/// The registry, the tenant's jobs, and what following this bucket's unfinished ones to their end
/// did.
async fn finish_earlier_jobs(
    c: &Clients,
    t: &Tenancy,
    bucket: &str,
    progress: &dyn Progress,
) -> Result<(Registry, BatchJobs, Tally), StepError> {
    let registry = Registry::new(t);
    let mut jobs = registry
        .read_jobs(c, t.tenant.as_str())
        .await
        .map_err(|e| fail(e.to_string()))?;
    let mut tally = Tally::default();
    let pending: Vec<BatchJob> = jobs.unfinished(bucket).cloned().collect();
    for job in pending {
        see_through(c, t, &registry, &mut jobs, job, progress, &mut tally).await?;
    }
    Ok((registry, jobs, tally))
}

/// Follows the jobs an earlier run submitted for this bucket to their end, submitting none.
pub async fn follow_batch_jobs(
    c: &Clients,
    t: &Tenancy,
    bucket: &str,
    progress: &dyn Progress,
) -> Result<Option<String>, StepError> {
    let (_, _, tally) = finish_earlier_jobs(c, t, bucket, progress).await?;
    let summary = format!(
        "followed {} Batch Operations job(s) of an earlier run to their end ({}): {} objects re-encrypted",
        tally.jobs.len(),
        tally.jobs.join(", "),
        tally.succeeded
    );
    if !tally.failed.is_empty() || !tally.job_failures.is_empty() {
        return Err(fail(format!(
            "{summary}; {} objects failed{}; run enable --reencrypt-objects --batch-operations to retry them",
            tally.failed.len(),
            tally.job_failures.iter().map(|f| format!("; {f}")).collect::<String>()
        )));
    }
    Ok(Some(summary))
}

/// Re-encrypts a bucket's objects through S3 Batch Operations; the message says what each job did.
pub async fn run_batch_jobs(
    c: &Clients,
    t: &Tenancy,
    bucket: &str,
    progress: &dyn Progress,
) -> Result<Option<String>, StepError> {
    // A rerun (after Ctrl-C, say) first finishes the jobs it already submitted.
    let (registry, mut jobs, mut tally) = finish_earlier_jobs(c, t, bucket, progress).await?;
    let mut stale: Vec<StaleObject> = vec![];
    let scan = scan_objects(c, t, bucket, None, Some(&mut stale)).await?;
    let (archived, stale): (Vec<StaleObject>, Vec<StaleObject>) =
        stale.into_iter().partition(|o| o.archived);
    let (big, stale): (Vec<StaleObject>, Vec<StaleObject>) =
        stale.into_iter().partition(|o| o.size > MAX_COPY_BYTES);
    for o in &big {
        match copy_big_object(c, t, bucket, o).await {
            Ok(BigCopy::Copied) => tally.big += 1,
            Ok(BigCopy::ChangedMeanwhile) => tally.changed += 1,
            Err(e) => tally.failed.push(FailedTask {
                key: o.key.clone(),
                code: e.code().to_string(),
                message: format!("multipart copy: {e}"),
            }),
        }
    }
    // One job per storage class (a job writes one) and encryption (a generator matches one).
    let mut groups: BTreeMap<(String, Match), Vec<&StaleObject>> = BTreeMap::new();
    for o in &stale {
        let class = o.storage_class.clone().unwrap_or_else(|| "STANDARD".into());
        groups.entry((class, Match::of(o))).or_default().push(o);
    }
    for ((class, filter), objects) in &groups {
        let job = submit(c, t, &registry, &mut jobs, bucket, (class, filter), objects).await?;
        see_through(c, t, &registry, &mut jobs, job, progress, &mut tally).await?;
    }
    // What S3 holds now, not what the jobs reported: every planned object still off the key and
    // not already named as a failed task was left out (a job that ran fewer tasks than planned).
    let planned: Vec<StaleObject> = stale.iter().chain(big.iter()).cloned().collect();
    let failed: std::collections::HashSet<&str> =
        tally.failed.iter().map(|f| f.key.as_str()).collect();
    let left: Vec<StaleObject> = still_off_key(c, t, bucket, &planned)
        .await?
        .into_iter()
        .filter(|o| !failed.contains(o.key.as_str()))
        .collect();
    let mut summary = format!(
        "{} objects examined; {} re-encrypted by {} Batch Operations job(s) ({})",
        scan.examined,
        tally.succeeded,
        tally.jobs.len(),
        if tally.jobs.is_empty() {
            "none needed".to_string()
        } else {
            tally.jobs.join(", ")
        }
    );
    if tally.big > 0 {
        summary.push_str(&format!("; {} over 5 GB by multipart copy", tally.big));
    }
    if tally.changed > 0 {
        summary.push_str(&format!(
            "; {} written again by someone else during the copy, left as written",
            tally.changed
        ));
    }
    if let Some(note) = archived_note(bucket, &archived) {
        summary.push_str(&format!("; {note}"));
    }
    if !tally.failed.is_empty()
        || !tally.job_failures.is_empty()
        || !archived.is_empty()
        || !left.is_empty()
    {
        let named: Vec<String> = tally
            .failed
            .iter()
            .take(5)
            .map(|f| {
                format!("{} ({} {})", f.key, f.code, f.message)
                    .trim_end()
                    .to_string()
            })
            .collect();
        let mut msg = summary;
        if !tally.failed.is_empty() {
            msg.push_str(&format!(
                "; {} objects failed: {}",
                tally.failed.len(),
                named.join("; ")
            ));
        }
        for f in &tally.job_failures {
            msg.push_str(&format!("; {f}"));
        }
        if !left.is_empty() {
            msg.push_str(&format!(
                "; {} of the {} objects planned are still not under the key after the jobs (HeadObject of each: left out of a job's manifest, or written again off the key since): {}",
                left.len(),
                planned.len(),
                some_keys(&left)
            ));
        }
        msg.push_str(
            "; running enable again submits a new job for exactly what is still not under the key",
        );
        return Err(fail(msg));
    }
    Ok(Some(summary))
}

/// Records the job as pending (token, no id yet), so that a run interrupted before CreateJob
/// answered re-sends the same request instead of a new one.
async fn submit(
    c: &Clients,
    t: &Tenancy,
    registry: &Registry,
    jobs: &mut BatchJobs,
    bucket: &str,
    (class, filter): (&str, &Match),
    objects: &[&StaleObject],
) -> Result<BatchJob, StepError> {
    let digest = objects_digest(objects);
    // The same objects after a job that ended (failed, say) are a new attempt with its own token;
    // while a job for them has not ended, its token is reused and no second job is created.
    let attempt = jobs
        .jobs
        .iter()
        .filter(|j| j.objects_digest == digest && j.finished)
        .count();
    let token = client_request_token(
        t.tenant.as_str(),
        bucket,
        &format!("{class} {} attempt {attempt}", filter.label()),
        &digest,
    );
    if let Some(same) = jobs.jobs.iter().find(|j| j.client_request_token == token) {
        return Ok(same.clone());
    }
    let job = BatchJob {
        bucket: bucket.to_string(),
        storage_class: class.to_string(),
        job_id: String::new(),
        client_request_token: token,
        manifest_prefix: manifest_prefix(class),
        encryption_filter: filter.label(),
        objects_digest: digest,
        created_at: clock::rfc3339(clock::now()),
        status: "Submitting".into(),
        total: objects.len() as i64,
        succeeded: 0,
        failed: 0,
        finished: false,
    };
    jobs.upsert(job.clone());
    registry.write_jobs(c, t.tenant.as_str(), jobs).await?;
    Ok(job)
}

/// The manifest generator's encryption filter, from the job's recorded match.
fn encryption_filter(label: &str) -> ct::ObjectEncryptionFilter {
    match label {
        "SSE-S3" => ct::ObjectEncryptionFilter::Sses3(ct::Sses3Filter::builder().build()),
        "NOT-SSE" => ct::ObjectEncryptionFilter::Notsse(ct::NotSseFilter::builder().build()),
        other => ct::ObjectEncryptionFilter::Ssekms(
            ct::SsekmsFilter::builder()
                .set_kms_key_arn(other.strip_prefix("SSE-KMS:").map(str::to_string))
                .build(),
        ),
    }
}

/// CreateJob: S3PutObjectCopy onto the same bucket and key, in `class`, under the key, metadata
/// and tags kept (tags are copied when NewObjectTagging is not given); the manifest generated by
/// S3 from the bucket, filtered to this class, to 5 GB and under and to the encryptions that are
/// not the key, and written under the customer key.
async fn create_job(c: &Clients, t: &Tenancy, job: &BatchJob) -> Result<String, AwsError> {
    let bucket_arn = t.bucket_arn(&job.bucket);
    let build = |e: aws_smithy_types::error::operation::BuildError| {
        AwsError::service("s3control", "CreateJob", "InvalidRequest", &e.to_string())
    };
    let copy = ct::S3CopyObjectOperation::builder()
        .target_resource(&bucket_arn)
        .metadata_directive(ct::S3MetadataDirective::Copy)
        .storage_class(ct::S3StorageClass::from(job.storage_class.as_str()))
        .sse_aws_kms_key_id(t.key.as_str())
        .bucket_key_enabled(true)
        .build();
    let output = ct::S3ManifestOutputLocation::builder()
        .bucket(&bucket_arn)
        .expected_manifest_bucket_owner(&t.account)
        .manifest_prefix(&job.manifest_prefix)
        .manifest_encryption(
            ct::GeneratedManifestEncryption::builder()
                .ssekms(
                    ct::SsekmsEncryption::builder()
                        .key_id(t.key.as_str())
                        .build()
                        .map_err(build)?,
                )
                .build(),
        )
        .manifest_format(ct::GeneratedManifestFormat::S3InventoryReportCsv20211130)
        .build()
        .map_err(build)?;
    let filter = ct::JobManifestGeneratorFilter::builder()
        .match_any_storage_class(ct::S3StorageClass::from(job.storage_class.as_str()))
        .object_size_less_than_bytes(MAX_COPY_BYTES + 1)
        .match_any_object_encryption(encryption_filter(&job.encryption_filter))
        .build();
    let generator = ct::S3JobManifestGenerator::builder()
        .expected_bucket_owner(&t.account)
        .source_bucket(&bucket_arn)
        .manifest_output_location(output)
        .filter(filter)
        .enable_manifest_output(true)
        .build()
        .map_err(build)?;
    let report = ct::JobReport::builder()
        .bucket(&bucket_arn)
        .prefix(format!("{BATCH_PREFIX}reports"))
        // "If the bucket is owned by a different account, the job fails" (S3 Batch Operations,
        // creating a job, read 2026-12-02): the report goes only to Speedscale's own bucket.
        .expected_bucket_owner(&t.account)
        .format(ct::JobReportFormat::ReportCsv20180820)
        .enabled(true)
        .report_scope(ct::JobReportScope::FailedTasksOnly)
        .build();
    let tags = t
        .tags()
        .into_iter()
        .filter_map(|(k, v)| ct::S3Tag::builder().key(k).value(v).build().ok())
        .collect::<Vec<_>>();
    let out = c
        .s3control
        .create_job()
        .account_id(&t.account)
        .confirmation_required(false)
        .operation(ct::JobOperation::builder().s3_put_object_copy(copy).build())
        .report(report)
        .client_request_token(&job.client_request_token)
        .manifest_generator(ct::JobManifestGenerator::S3JobManifestGenerator(generator))
        .description(format!(
            "cmek: re-encrypt tenant {} objects in {} ({}) under the customer key",
            t.tenant, job.bucket, job.storage_class
        ))
        .priority(10)
        .role_arn(t.batch_role_arn())
        .set_tags(Some(tags))
        .send()
        .await
        .map_err(err("s3control", "CreateJob", t.ep()))?;
    Ok(out.job_id().unwrap_or_default().to_string())
}

/// Creates the job when it has no id yet, follows it to its end, reads and removes its report,
/// and records the outcome.
async fn see_through(
    c: &Clients,
    t: &Tenancy,
    registry: &Registry,
    jobs: &mut BatchJobs,
    mut job: BatchJob,
    progress: &dyn Progress,
    tally: &mut Tally,
) -> Result<(), StepError> {
    if job.job_id.is_empty() {
        job.job_id = create_job(c, t, &job).await?;
        job.status = "New".into();
        jobs.upsert(job.clone());
        registry.write_jobs(c, t.tenant.as_str(), jobs).await?;
    }
    let label = format!("job {} ({})", job.job_id, job.storage_class);
    let end: JobProgress = follow(c, t, &job.job_id, &label, progress).await?;
    let failed = read_and_remove(
        c,
        &job.bucket,
        &format!("{BATCH_PREFIX}reports"),
        &job.job_id,
        t.ep(),
    )
    .await?
    .unwrap_or_default();
    if end.status != "Complete" {
        tally.job_failures.push(format!(
            "job {} ended {}{}",
            job.job_id,
            end.status,
            if end.failure_reasons.is_empty() {
                String::new()
            } else {
                format!(": {}", end.failure_reasons.join("; "))
            }
        ));
    }
    // Planned at submission (CreateJob's manifest is S3's own listing, so S3's count can differ).
    let planned = job.total;
    job.status = end.status.clone();
    job.total = end.total;
    job.succeeded = end.succeeded;
    job.failed = end.failed;
    job.finished = true;
    tally.jobs.push(format!(
        "{} {}: {} of {} tasks succeeded, for {planned} objects planned",
        job.storage_class, job.job_id, end.succeeded, end.total
    ));
    tally.succeeded += end.succeeded;
    tally.failed.extend(failed);
    jobs.upsert(job);
    registry.write_jobs(c, t.tenant.as_str(), jobs).await?;
    Ok(())
}
