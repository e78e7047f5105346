//! The `run-batch-jobs` step of a bucket: finish following the jobs a previous run created, then
//! copy what is over 5 GB by multipart copy, and give each storage class still present its own
//! manifest and job, followed to its end.

use std::collections::BTreeMap;

use aws_sdk_s3::primitives::ByteStream;
use aws_sdk_s3::types as s3t;
use aws_sdk_s3control::types as ct;

use super::follow::{follow, JobProgress};
use super::manifest::{client_request_token, manifest_body, manifest_key};
use super::report::{read_and_remove, FailedTask};
use super::BATCH_PREFIX;
use crate::aws::Clients;
use crate::error::AwsError;
use crate::services::registry::{BatchJob, BatchJobs, Registry};
use crate::services::s3::{
    archived_note, copy_big_object, scan_objects, BigCopy, StaleObject, MAX_COPY_BYTES,
};
use crate::shared::clock;
use crate::shared::steps::{fail, Progress, StepError};
use crate::shared::tenancy::{err, Tenancy, TAG_MANAGED_BY, TAG_TENANT};

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

/// Re-encrypts a bucket's objects through S3 Batch Operations; the message says what each job did.
pub async fn run_batch_jobs(
    c: &Clients,
    t: &Tenancy,
    bucket: &str,
    progress: &dyn Progress,
) -> Result<Option<String>, StepError> {
    let registry = Registry::new(t);
    let mut jobs = registry
        .read_jobs(c, t.tenant.as_str())
        .await
        .map_err(|e| fail(e.to_string()))?;
    let mut tally = Tally::default();
    // A rerun (after Ctrl-C, say) first finishes the jobs it already submitted.
    let pending: Vec<BatchJob> = jobs.unfinished(bucket).cloned().collect();
    for job in pending {
        see_through(c, t, &registry, &mut jobs, job, progress, &mut tally).await?;
    }
    let mut stale: Vec<StaleObject> = vec![];
    let scan = scan_objects(c, t, bucket, None, Some(&mut stale)).await?;
    let (archived, stale): (Vec<StaleObject>, Vec<StaleObject>) =
        stale.into_iter().partition(|o| o.archived);
    let (big, stale): (Vec<StaleObject>, Vec<StaleObject>) =
        stale.into_iter().partition(|o| o.size > MAX_COPY_BYTES);
    for o in &big {
        match copy_big_object(c, t, bucket, o).await? {
            BigCopy::Copied => tally.big += 1,
            BigCopy::ChangedMeanwhile => tally.changed += 1,
        }
    }
    let mut by_class: BTreeMap<String, Vec<&str>> = BTreeMap::new();
    for o in &stale {
        let class = o.storage_class.clone().unwrap_or_else(|| "STANDARD".into());
        by_class.entry(class).or_default().push(o.key.as_str());
    }
    for (class, keys) in &by_class {
        let job = submit(c, t, &registry, &mut jobs, bucket, class, keys).await?;
        see_through(c, t, &registry, &mut jobs, job, progress, &mut tally).await?;
    }
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
    if !tally.failed.is_empty() || !tally.job_failures.is_empty() || !archived.is_empty() {
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
        msg.push_str("; running enable again retries what is still not under the key");
        return Err(fail(msg));
    }
    Ok(Some(summary))
}

/// Writes the manifest (once per content, under the key), records the job as pending, creates it
/// (the same token never creates a second job) and records its id.
async fn submit(
    c: &Clients,
    t: &Tenancy,
    registry: &Registry,
    jobs: &mut BatchJobs,
    bucket: &str,
    class: &str,
    keys: &[&str],
) -> Result<BatchJob, StepError> {
    let body = manifest_body(bucket, keys);
    let key = manifest_key(class, &body);
    let etag = put_manifest(c, t, bucket, &key, body).await?;
    let mut job = BatchJob {
        bucket: bucket.to_string(),
        storage_class: class.to_string(),
        job_id: String::new(),
        client_request_token: client_request_token(t.tenant.as_str(), bucket, class, &etag),
        manifest_key: key,
        manifest_etag: etag,
        created_at: clock::rfc3339(clock::now()),
        status: "Submitting".into(),
        total: keys.len() as i64,
        succeeded: 0,
        failed: 0,
        finished: false,
    };
    if let Some(same) = jobs
        .jobs
        .iter()
        .find(|j| j.client_request_token == job.client_request_token)
    {
        job = same.clone();
    }
    jobs.upsert(job.clone());
    registry.write_jobs(c, t.tenant.as_str(), jobs).await?;
    Ok(job)
}

/// The manifest's ETag: an existing manifest with the same content is reused as it is.
async fn put_manifest(
    c: &Clients,
    t: &Tenancy,
    bucket: &str,
    key: &str,
    body: String,
) -> Result<String, AwsError> {
    let ep = t.ep();
    match c.s3.head_object().bucket(bucket).key(key).send().await {
        Ok(h) => return Ok(h.e_tag().unwrap_or_default().trim_matches('"').to_string()),
        Err(e) => {
            let e = err("s3", "HeadObject", ep)(e);
            if !(e.http_status == Some(404) || e.is("NotFound") || e.is("NoSuchKey")) {
                return Err(e);
            }
        }
    }
    let put =
        c.s3.put_object()
            .bucket(bucket)
            .key(key)
            .content_type("text/csv")
            .server_side_encryption(s3t::ServerSideEncryption::AwsKms)
            .ssekms_key_id(t.key.as_str())
            .bucket_key_enabled(true)
            .body(ByteStream::from(body.into_bytes()))
            .send()
            .await
            .map_err(err("s3", "PutObject", ep))?;
    Ok(put
        .e_tag()
        .unwrap_or_default()
        .trim_matches('"')
        .to_string())
}

/// CreateJob: S3PutObjectCopy onto the same bucket and key, in `class`, under the key, metadata
/// and tags kept (tags are copied when NewObjectTagging is not given).
async fn create_job(c: &Clients, t: &Tenancy, job: &BatchJob) -> Result<String, AwsError> {
    let partition = t.key.partition();
    let bucket_arn = format!("arn:{partition}:s3:::{}", job.bucket);
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
    let manifest = ct::JobManifest::builder()
        .spec(
            ct::JobManifestSpec::builder()
                .format(ct::JobManifestFormat::S3BatchOperationsCsv20180820)
                .fields(ct::JobManifestFieldName::Bucket)
                .fields(ct::JobManifestFieldName::Key)
                .build()
                .map_err(build)?,
        )
        .location(
            ct::JobManifestLocation::builder()
                .object_arn(format!("{bucket_arn}/{}", job.manifest_key))
                .e_tag(&job.manifest_etag)
                .build()
                .map_err(build)?,
        )
        .build();
    let report = ct::JobReport::builder()
        .bucket(&bucket_arn)
        .prefix(format!("{BATCH_PREFIX}reports"))
        .format(ct::JobReportFormat::ReportCsv20180820)
        .enabled(true)
        .report_scope(ct::JobReportScope::FailedTasksOnly)
        .build();
    let tags = [(TAG_TENANT, t.tenant.as_str()), (TAG_MANAGED_BY, "cmek")]
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
        .manifest(manifest)
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
    job.status = end.status.clone();
    job.total = end.total;
    job.succeeded = end.succeeded;
    job.failed = end.failed;
    job.finished = true;
    tally.jobs.push(format!(
        "{} {}: {} of {}",
        job.storage_class, job.job_id, end.succeeded, end.total
    ));
    tally.succeeded += end.succeeded;
    tally.failed.extend(failed);
    jobs.upsert(job);
    registry.write_jobs(c, t.tenant.as_str(), jobs).await?;
    Ok(())
}
