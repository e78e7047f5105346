//! Looking into a bucket's objects: which are not under the key (HeadObject: metadata only, no
//! tenant data is read, and HeadObject never calls KMS), current versions and noncurrent ones.

use serde::Serialize;

use crate::aws::Clients;
use crate::error::AwsError;
use crate::shared::tenancy::{err, Encryption, Tenancy, CANARY_KEY};

/// Objects in a bucket that are not under the expected key.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct StaleObjects {
    /// Objects examined.
    pub examined: u64,
    /// Of those, not under the key.
    pub stale: u64,
    /// Whether every object was examined.
    pub complete: bool,
    /// A few of them: (key, encryption shown).
    pub examples: Vec<(String, String)>,
}

/// One object that is not under the key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StaleObject {
    /// The object key (tenant data: shown only as report examples and in Batch manifests).
    pub key: String,
    /// Its ETag (CopyObject's precondition).
    pub etag: String,
    /// Its storage class (CopyObject would otherwise reset it to STANDARD).
    pub storage_class: Option<String>,
    /// Its size in bytes.
    pub size: i64,
    /// How it is encrypted now.
    pub encryption: Encryption,
    /// In an archive storage class or archive tier and not restored: no copy can read it until
    /// the engineer restores it.
    pub archived: bool,
}

/// The storage classes whose objects must be restored before any copy (CopyObject and S3 Batch
/// Operations alike).
pub const ARCHIVE_CLASSES: [&str; 2] = ["GLACIER", "DEEP_ARCHIVE"];

/// Whether an object cannot be copied until restored: an archive storage class without a
/// finished restore, or an Intelligent-Tiering archive tier (`x-amz-archive-status`).
pub fn is_archived(
    storage_class: Option<&str>,
    restore: Option<&str>,
    archive_status: bool,
) -> bool {
    let restored = restore.is_some_and(|r| r.contains("ongoing-request=\"false\""));
    archive_status || (storage_class.is_some_and(|c| ARCHIVE_CLASSES.contains(&c)) && !restored)
}

/// Lists a bucket and heads every object (up to `limit`), 32 at a time; returns the counts and,
/// when `collect` is given, every object not under the key.
pub async fn scan_objects(
    c: &Clients,
    t: &Tenancy,
    bucket: &str,
    limit: Option<u64>,
    mut collect: Option<&mut Vec<StaleObject>>,
) -> Result<StaleObjects, AwsError> {
    use futures_util::stream::{self, StreamExt, TryStreamExt};
    let ep = t.ep();
    let mut out = StaleObjects {
        complete: true,
        ..Default::default()
    };
    let mut token: Option<String> = None;
    loop {
        let page = match c
            .s3
            .list_objects_v2()
            .bucket(bucket)
            .set_continuation_token(token.take())
            .send()
            .await
            .map_err(err("s3", "ListObjectsV2", ep))
        {
            Ok(p) => p,
            // A bucket that does not exist holds no object (its own row says it is missing):
            // revoke-check before `enable` reports the gap instead of stopping on it.
            Err(e) if e.is("NoSuchBucket") && out.examined == 0 => return Ok(out),
            Err(e) => return Err(e),
        };
        let mut keys: Vec<(String, i64)> = page
            .contents()
            .iter()
            .filter_map(|o| o.key().map(|k| (k.to_string(), o.size().unwrap_or(0))))
            .filter(|(k, _)| k != CANARY_KEY)
            .collect();
        if let Some(limit) = limit {
            let room = limit.saturating_sub(out.examined) as usize;
            if keys.len() > room {
                keys.truncate(room);
                out.complete = false;
            }
        }
        let heads: Vec<(
            String,
            i64,
            aws_sdk_s3::operation::head_object::HeadObjectOutput,
        )> = stream::iter(keys.into_iter().map(|(k, size)| async move {
            let h =
                c.s3.head_object()
                    .bucket(bucket)
                    .key(&k)
                    .send()
                    .await
                    .map_err(err("s3", "HeadObject", ep))?;
            Ok::<_, AwsError>((k, size, h))
        }))
        .buffer_unordered(32)
        .try_collect()
        .await?;
        for (k, size, h) in heads {
            out.examined += 1;
            let enc = object_encryption(h.server_side_encryption(), h.ssekms_key_id());
            if !enc.is_key(&t.key) {
                out.stale += 1;
                keep_example(&mut out.examples, (k.clone(), enc.shown()));
                if let Some(list) = collect.as_deref_mut() {
                    list.push(StaleObject {
                        key: k,
                        etag: h.e_tag().unwrap_or_default().to_string(),
                        storage_class: h.storage_class().map(|s| s.as_str().to_string()),
                        size,
                        encryption: enc,
                        archived: is_archived(
                            h.storage_class().map(|s| s.as_str()),
                            h.restore(),
                            h.archive_status().is_some(),
                        ),
                    });
                }
            }
        }
        if !out.complete {
            break;
        }
        match page.next_continuation_token() {
            Some(next) if page.is_truncated() == Some(true) => token = Some(next.to_string()),
            _ => break,
        }
    }
    out.examples.sort();
    Ok(out)
}

/// In a versioned bucket, the noncurrent versions not under the key (HeadObject with the version
/// id: metadata only). Re-encryption copies current versions only, so these keep their old key
/// until a lifecycle rule (the customer's decision) expires them.
pub async fn scan_noncurrent_versions(
    c: &Clients,
    t: &Tenancy,
    bucket: &str,
    limit: u64,
) -> Result<StaleObjects, AwsError> {
    use futures_util::stream::{self, StreamExt, TryStreamExt};
    let ep = t.ep();
    let mut out = StaleObjects {
        complete: true,
        ..Default::default()
    };
    let (mut key_marker, mut version_marker): (Option<String>, Option<String>) = (None, None);
    loop {
        let page =
            c.s3.list_object_versions()
                .bucket(bucket)
                .set_key_marker(key_marker.take())
                .set_version_id_marker(version_marker.take())
                .send()
                .await
                .map_err(err("s3", "ListObjectVersions", ep))?;
        let mut versions: Vec<(String, String)> = page
            .versions()
            .iter()
            .filter(|v| v.is_latest() == Some(false))
            .filter_map(|v| Some((v.key()?.to_string(), v.version_id()?.to_string())))
            .filter(|(k, _)| k != CANARY_KEY)
            .collect();
        let room = limit.saturating_sub(out.examined) as usize;
        if versions.len() > room {
            versions.truncate(room);
            out.complete = false;
        }
        let heads: Vec<(String, String, Encryption)> =
            stream::iter(versions.into_iter().map(|(k, v)| async move {
                let h =
                    c.s3.head_object()
                        .bucket(bucket)
                        .key(&k)
                        .version_id(&v)
                        .send()
                        .await
                        .map_err(err("s3", "HeadObject", ep))?;
                let enc = object_encryption(h.server_side_encryption(), h.ssekms_key_id());
                Ok::<_, AwsError>((k, v, enc))
            }))
            .buffer_unordered(32)
            .try_collect()
            .await?;
        for (k, v, enc) in heads {
            out.examined += 1;
            if !enc.is_key(&t.key) {
                out.stale += 1;
                keep_example(
                    &mut out.examples,
                    (format!("{k} (version {v})"), enc.shown()),
                );
            }
        }
        if !out.complete || page.is_truncated() != Some(true) {
            break;
        }
        key_marker = page.next_key_marker().map(str::to_string);
        version_marker = page.next_version_id_marker().map(str::to_string);
        if key_marker.is_none() {
            break;
        }
    }
    out.examples.sort();
    Ok(out)
}

/// Keeps the five first objects in key order as examples, whatever order the concurrent heads
/// answered in, so a report names the same objects every time.
fn keep_example(examples: &mut Vec<(String, String)>, e: (String, String)) {
    const EXAMPLES: usize = 5;
    if examples.len() == EXAMPLES && examples.last().is_some_and(|last| *last <= e) {
        return;
    }
    let at = examples.partition_point(|x| *x < e);
    examples.insert(at, e);
    examples.truncate(EXAMPLES);
}

/// Noncurrent versions not under the key, when the bucket is (or was) versioned.
pub async fn noncurrent_versions(
    c: &Clients,
    t: &Tenancy,
    bucket: &str,
    limit: u64,
) -> Result<Option<StaleObjects>, AwsError> {
    let versioning = match c.s3.get_bucket_versioning().bucket(bucket).send().await {
        Ok(v) => v,
        Err(e) => {
            let e = err("s3", "GetBucketVersioning", t.ep())(e);
            if e.is("NoSuchBucket") {
                return Ok(None);
            }
            return Err(e);
        }
    };
    if versioning.status().is_none() {
        return Ok(None);
    }
    scan_noncurrent_versions(c, t, bucket, limit)
        .await
        .map(Some)
}

/// "k1, k2, k3 and 4 more": the first few keys of a list, for a step's message.
pub fn some_keys(objects: &[StaleObject]) -> String {
    let mut keys: Vec<&str> = objects.iter().map(|o| o.key.as_str()).collect();
    keys.sort();
    let shown = keys.iter().take(5).copied().collect::<Vec<_>>().join(", ");
    match keys.len() {
        n if n > 5 => format!("{shown} and {} more", n - 5),
        _ => shown,
    }
}

/// An object's encryption as S3 reports it.
pub fn object_encryption(
    sse: Option<&aws_sdk_s3::types::ServerSideEncryption>,
    key: Option<&str>,
) -> Encryption {
    match sse.map(|s| s.as_str()) {
        Some(a) if a.starts_with("aws:kms") => Encryption::kms(key),
        Some(_) => Encryption::SseS3,
        None => Encryption::None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn examples_are_the_first_five_in_key_order_whatever_the_answer_order() {
        let mut ex = vec![];
        for k in ["k7", "k2", "k9", "k0", "k5", "k1", "k8", "k3"] {
            keep_example(&mut ex, (k.to_string(), "sse-s3".to_string()));
        }
        let keys: Vec<&str> = ex.iter().map(|(k, _)| k.as_str()).collect();
        assert_eq!(keys, ["k0", "k1", "k2", "k3", "k5"]);
    }
}
