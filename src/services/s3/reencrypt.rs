//! Re-encrypting objects already in a tenant bucket in place: each object not under the key is
//! copied onto itself with SSE-KMS and the key (CopyObject, metadata, tags and storage class kept,
//! and only if it has not changed since it was listed: `x-amz-copy-source-if-match`). Objects
//! already under the key are never copied again, so an interrupted run resumes where it stopped.
//!
//! Only the current version of each object is copied: copying a noncurrent version onto its key
//! would make old content current. Objects over 5 GiB are copied by a multipart copy
//! (`multipart.rs`); objects in archive storage classes are listed with the restore to run first.

use std::sync::atomic::{AtomicU64, Ordering};

use aws_sdk_s3::types as s3t;
use futures_util::stream::{self, StreamExt};

use super::multipart::{copy_big_object, copy_source, BigCopy};
use super::observe::observe_object;
use super::scan::object_encryption;
use super::scan::{scan_objects, some_keys, StaleObject};
use crate::aws::Clients;
use crate::error::AwsError;
use crate::shared::steps::{Progress, StepError};
use crate::shared::tenancy::{err, Tenancy};

/// The largest object one CopyObject can copy.
pub const MAX_COPY_BYTES: i64 = 5 * 1024 * 1024 * 1024;

/// How many copies run at once.
pub const CONCURRENCY: usize = 32;

/// Re-encrypts every object of `bucket` not under the key; the message says how many.
pub async fn reencrypt(
    c: &Clients,
    t: &Tenancy,
    bucket: &str,
    progress: &dyn Progress,
) -> Result<Option<String>, StepError> {
    let mut stale: Vec<StaleObject> = vec![];
    let scan = scan_objects(c, t, bucket, None, Some(&mut stale)).await?;
    let (archived, stale): (Vec<StaleObject>, Vec<StaleObject>) =
        stale.into_iter().partition(|o| o.archived);
    let total = stale.len() as u64;
    let done = AtomicU64::new(0);
    let failed = AtomicU64::new(0);
    let changed = AtomicU64::new(0);
    progress.objects(0, total);
    let first_error: std::sync::Mutex<Option<AwsError>> = std::sync::Mutex::new(None);
    stream::iter(stale.iter())
        .for_each_concurrent(CONCURRENCY, |o| {
            let (done, failed, changed, first_error) = (&done, &failed, &changed, &first_error);
            async move {
                let copied = if o.size > MAX_COPY_BYTES {
                    copy_big_object(c, t, bucket, o).await
                } else {
                    copy_in_place(c, t, bucket, o)
                        .await
                        .map(|()| BigCopy::Copied)
                };
                match copied {
                    Ok(BigCopy::ChangedMeanwhile) => {
                        changed.fetch_add(1, Ordering::Relaxed);
                    }
                    Ok(BigCopy::Copied) => {
                        let n = done.fetch_add(1, Ordering::Relaxed) + 1;
                        progress.objects(n, total);
                    }
                    Err(e) => {
                        failed.fetch_add(1, Ordering::Relaxed);
                        if let Ok(mut slot) = first_error.lock() {
                            slot.get_or_insert(e);
                        }
                    }
                }
            }
        })
        .await;
    // What S3 holds now, not what the copies answered: any planned object still off the key (a
    // failed copy, or one written again off the key meanwhile) is named.
    let left = still_off_key(c, t, bucket, &stale).await?;
    let done = done.load(Ordering::Relaxed);
    let failed = failed.load(Ordering::Relaxed);
    let changed = changed.load(Ordering::Relaxed);
    let mut summary = format!(
        "{done} of {total} objects re-encrypted under the key ({} examined)",
        scan.examined
    );
    if changed > 0 {
        summary.push_str(&format!(
            "; {changed} written again by someone else during the copy, left as written"
        ));
    }
    if let Some(note) = archived_note(bucket, &archived) {
        summary.push_str(&format!("; {note}"));
    }
    if failed > 0 || !archived.is_empty() || !left.is_empty() {
        let cause = first_error
            .into_inner()
            .ok()
            .flatten()
            .map(|e| format!("; first error: {e}"))
            .unwrap_or_default();
        let still = if left.is_empty() {
            String::new()
        } else {
            format!(
                "; {} of the {total} objects planned are still not under the key (HeadObject after the copies): {}",
                left.len(),
                some_keys(&left)
            )
        };
        return Err(StepError {
            message: format!(
                "{summary}; {failed} failed{cause}{still}; running enable again resumes with the rest"
            ),
            code: None,
        });
    }
    Ok(Some(summary))
}

/// Of the objects a re-encryption planned, those still not under the key now (`observe_object`,
/// HeadObject paced within S3's read quota, 32 at a time: metadata only), with their encryption as
/// it is; an object deleted since is not a copy. What a job or copy reported is not taken for what
/// S3 holds.
pub async fn still_off_key(
    c: &Clients,
    t: &Tenancy,
    bucket: &str,
    planned: &[StaleObject],
) -> Result<Vec<StaleObject>, AwsError> {
    use futures_util::stream::{self, StreamExt, TryStreamExt};
    let now: Vec<Option<StaleObject>> = stream::iter(planned.iter().map(|o| async move {
        let enc = observe_object(c, t, bucket, &o.key).await?;
        Ok::<_, AwsError>(
            enc.filter(|e| !e.is_key(&t.key))
                .map(|encryption| StaleObject {
                    encryption,
                    ..o.clone()
                }),
        )
    }))
    .buffered(32)
    .try_collect()
    .await?;
    Ok(now.into_iter().flatten().collect())
}

/// Objects in archive storage: never copied, listed with the restore to run first (the first
/// few; a restored copy lasts the days the restore asks for).
pub fn archived_note(bucket: &str, archived: &[StaleObject]) -> Option<String> {
    let first = archived.first()?;
    Some(format!(
        "{} objects are in archive storage and were not touched; restore them first, e.g. `aws s3api restore-object --bucket {bucket} --key '{}' --restore-request Days=7` (Intelligent-Tiering archive tiers: --restore-request '{{}}'), then run enable again",
        archived.len(),
        first.key
    ))
}

async fn copy_in_place(
    c: &Clients,
    t: &Tenancy,
    bucket: &str,
    o: &StaleObject,
) -> Result<(), AwsError> {
    let mut req =
        c.s3.copy_object()
            .bucket(bucket)
            .key(&o.key)
            .copy_source(copy_source(bucket, &o.key))
            .metadata_directive(s3t::MetadataDirective::Copy)
            .tagging_directive(s3t::TaggingDirective::Copy)
            .server_side_encryption(s3t::ServerSideEncryption::AwsKms)
            .ssekms_key_id(t.key.as_str())
            .bucket_key_enabled(true);
    if !o.etag.is_empty() {
        req = req.copy_source_if_match(&o.etag);
    }
    if let Some(class) = o.storage_class.as_deref().filter(|c| *c != "STANDARD") {
        req = req.storage_class(class.into());
    }
    match req.send().await {
        Ok(_) => Ok(()),
        Err(e) => {
            let e = err("s3", "CopyObject", t.ep())(e);
            if e.is_precondition_failed() {
                // Written again since it was listed: the new write went under the bucket default.
                let h =
                    c.s3.head_object()
                        .bucket(bucket)
                        .key(&o.key)
                        .send()
                        .await
                        .map_err(err("s3", "HeadObject", t.ep()))?;
                if object_encryption(h.server_side_encryption(), h.ssekms_key_id()).is_key(&t.key) {
                    return Ok(());
                }
            }
            Err(e)
        }
    }
}
