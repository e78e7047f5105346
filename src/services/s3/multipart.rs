//! Objects over 5 GB, copied in place under the key by a multipart copy (CreateMultipartUpload,
//! UploadPartCopy, CompleteMultipartUpload): CopyObject and S3 Batch Operations' Copy both stop
//! at 5 GB. A multipart copy copies no metadata, tags or checksum algorithm by itself, so cmek
//! gives each explicitly. Every part is copied only if the object still has the ETag it was
//! listed with (`x-amz-copy-source-if-match`), and the upload completes only if it still does
//! (`If-Match`): a write by someone else during the copy is detected and left alone. (Whether
//! UploadPartCopy answers 412 to a differing copy-source ETag is not stated in so many words;
//! under either answer the completion's If-Match, or a head of the object after any failure,
//! finds the new write.)

use aws_sdk_s3::types as s3t;
use futures_util::stream::{self, StreamExt, TryStreamExt};

use super::scan::StaleObject;
use crate::aws::Clients;
use crate::error::AwsError;
use crate::shared::tenancy::{err, Tenancy};

/// The smallest part cmek copies. S3 allows "Part size 5 MiB to 5 GiB" and "Maximum number of
/// parts per upload 10,000" (S3 user guide, "Amazon S3 multipart upload limits").
const MIN_PART: i64 = 256 * 1024 * 1024;
/// S3's largest part.
const MAX_PART: i64 = 5 * 1024 * 1024 * 1024;
/// S3's most parts in one upload.
const MAX_PARTS: i64 = 10_000;
/// Parts copied at once.
const PART_CONCURRENCY: usize = 8;

/// What a multipart copy did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BigCopy {
    /// The object is now under the key.
    Copied,
    /// The object was written again during the copy: the new write is left as it is.
    ChangedMeanwhile,
}

/// The byte ranges of the parts, `(start, end inclusive)`.
pub fn part_ranges(size: i64) -> Vec<(i64, i64)> {
    let per = MIN_PART
        .max((size + MAX_PARTS - 1) / MAX_PARTS)
        .min(MAX_PART);
    let mut out = vec![];
    let mut start = 0;
    while start < size {
        let end = (start + per).min(size) - 1;
        out.push((start, end));
        start = end + 1;
    }
    out
}

/// Whether the object now has another ETag than when it was listed (not knowing counts as no).
async fn changed_since_listed(c: &Clients, t: &Tenancy, bucket: &str, o: &StaleObject) -> bool {
    match c.s3.head_object().bucket(bucket).key(&o.key).send().await {
        Ok(h) => h
            .e_tag()
            .is_some_and(|e| e.trim_matches('"') != o.etag.trim_matches('"')),
        Err(e) => {
            tracing::debug!(key = %o.key, "HeadObject after a failed copy: {}", err("s3", "HeadObject", t.ep())(e));
            false
        }
    }
}

/// The tag set as the `x-amz-tagging` header wants it (URL-encoded query string).
fn tagging_header(tags: &[s3t::Tag]) -> String {
    let enc = |s: &str| crate::input::percent_encode(s, false);
    tags.iter()
        .map(|t| format!("{}={}", enc(t.key()), enc(t.value())))
        .collect::<Vec<_>>()
        .join("&")
}

/// Copies one object over 5 GB onto itself under the key, keeping its storage class, metadata,
/// tags and checksum algorithm.
pub async fn copy_big_object(
    c: &Clients,
    t: &Tenancy,
    bucket: &str,
    o: &StaleObject,
) -> Result<BigCopy, AwsError> {
    let ep = t.ep();
    // Independent reads: together.
    let (head, tags) = tokio::join!(
        c.s3.head_object()
            .bucket(bucket)
            .key(&o.key)
            .if_match(&o.etag)
            .checksum_mode(s3t::ChecksumMode::Enabled)
            .send(),
        c.s3.get_object_tagging().bucket(bucket).key(&o.key).send()
    );
    let head = match head.map_err(err("s3", "HeadObject", ep)) {
        Ok(h) => h,
        Err(e) if e.is_precondition_failed() => return Ok(BigCopy::ChangedMeanwhile),
        Err(e) => return Err(e),
    };
    let tags = tags.map_err(err("s3", "GetObjectTagging", ep))?;
    let algorithm = [
        (
            head.checksum_crc64_nvme(),
            s3t::ChecksumAlgorithm::Crc64Nvme,
        ),
        (head.checksum_crc32_c(), s3t::ChecksumAlgorithm::Crc32C),
        (head.checksum_crc32(), s3t::ChecksumAlgorithm::Crc32),
        (head.checksum_sha256(), s3t::ChecksumAlgorithm::Sha256),
        (head.checksum_sha1(), s3t::ChecksumAlgorithm::Sha1),
    ]
    .into_iter()
    .find_map(|(v, a)| v.map(|_| a));
    let mut create =
        c.s3.create_multipart_upload()
            .bucket(bucket)
            .key(&o.key)
            .server_side_encryption(s3t::ServerSideEncryption::AwsKms)
            .ssekms_key_id(t.key.as_str())
            .bucket_key_enabled(true)
            .set_metadata(head.metadata().cloned())
            .set_content_type(head.content_type().map(str::to_string))
            .set_content_encoding(head.content_encoding().map(str::to_string))
            .set_content_disposition(head.content_disposition().map(str::to_string))
            .set_content_language(head.content_language().map(str::to_string))
            .set_cache_control(head.cache_control().map(str::to_string))
            .set_checksum_algorithm(algorithm.clone());
    if let Some(class) = head.storage_class() {
        create = create.storage_class(class.clone());
    }
    if !tags.tag_set().is_empty() {
        create = create.tagging(tagging_header(tags.tag_set()));
    }
    let upload = create
        .send()
        .await
        .map_err(err("s3", "CreateMultipartUpload", ep))?;
    let upload_id = upload.upload_id().unwrap_or_default().to_string();
    let result = copy_parts(c, t, bucket, o, &upload_id, algorithm.as_ref()).await;
    let finished = match result {
        Ok(parts) => {
            c.s3.complete_multipart_upload()
                .bucket(bucket)
                .key(&o.key)
                .upload_id(&upload_id)
                .if_match(&o.etag)
                .multipart_upload(
                    s3t::CompletedMultipartUpload::builder()
                        .set_parts(Some(parts))
                        .build(),
                )
                .send()
                .await
                .map(|_| ())
                .map_err(err("s3", "CompleteMultipartUpload", ep))
        }
        Err(e) => Err(e),
    };
    match finished {
        Ok(()) => Ok(BigCopy::Copied),
        Err(e) => {
            // Nothing half-copied stays behind (parts are billed until aborted).
            let _ =
                c.s3.abort_multipart_upload()
                    .bucket(bucket)
                    .key(&o.key)
                    .upload_id(&upload_id)
                    .send()
                    .await;
            if e.is_precondition_failed() || changed_since_listed(c, t, bucket, o).await {
                // Whatever the failure said (a 412, or a range past the end of a shorter new
                // object), the object is no longer the one listed: the new write stays.
                Ok(BigCopy::ChangedMeanwhile)
            } else {
                Err(e)
            }
        }
    }
}

async fn copy_parts(
    c: &Clients,
    t: &Tenancy,
    bucket: &str,
    o: &StaleObject,
    upload_id: &str,
    algorithm: Option<&s3t::ChecksumAlgorithm>,
) -> Result<Vec<s3t::CompletedPart>, AwsError> {
    let ep = t.ep();
    let source = copy_source(bucket, &o.key);
    let mut parts: Vec<s3t::CompletedPart> = stream::iter(
        part_ranges(o.size)
            .into_iter()
            .enumerate()
            .map(|(i, (start, end))| {
                let source = source.clone();
                async move {
                    let n = i as i32 + 1;
                    let out =
                        c.s3.upload_part_copy()
                            .bucket(bucket)
                            .key(&o.key)
                            .upload_id(upload_id)
                            .part_number(n)
                            .copy_source(source)
                            .copy_source_range(format!("bytes={start}-{end}"))
                            .copy_source_if_match(&o.etag)
                            .send()
                            .await
                            .map_err(err("s3", "UploadPartCopy", ep))?;
                    let r = out.copy_part_result();
                    let mut part = s3t::CompletedPart::builder()
                        .part_number(n)
                        .set_e_tag(r.and_then(|r| r.e_tag()).map(str::to_string));
                    part = match algorithm {
                        Some(s3t::ChecksumAlgorithm::Crc32) => part.set_checksum_crc32(
                            r.and_then(|r| r.checksum_crc32()).map(str::to_string),
                        ),
                        Some(s3t::ChecksumAlgorithm::Crc32C) => part.set_checksum_crc32_c(
                            r.and_then(|r| r.checksum_crc32_c()).map(str::to_string),
                        ),
                        Some(s3t::ChecksumAlgorithm::Sha1) => part.set_checksum_sha1(
                            r.and_then(|r| r.checksum_sha1()).map(str::to_string),
                        ),
                        Some(s3t::ChecksumAlgorithm::Sha256) => part.set_checksum_sha256(
                            r.and_then(|r| r.checksum_sha256()).map(str::to_string),
                        ),
                        Some(s3t::ChecksumAlgorithm::Crc64Nvme) => part.set_checksum_crc64_nvme(
                            r.and_then(|r| r.checksum_crc64_nvme()).map(str::to_string),
                        ),
                        _ => part,
                    };
                    Ok::<_, AwsError>(part.build())
                }
            }),
    )
    .buffer_unordered(PART_CONCURRENCY)
    .try_collect()
    .await?;
    parts.sort_by_key(|p| p.part_number());
    Ok(parts)
}

/// `bucket/key`, URL-encoded as CopyObject needs (the key's `/` kept).
pub fn copy_source(bucket: &str, key: &str) -> String {
    format!("{bucket}/{}", crate::input::percent_encode(key, true))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn copy_source_encodes_the_key_but_not_slashes() {
        assert_eq!(copy_source("b", "a/b c+d.txt"), "b/a/b%20c%2Bd.txt");
        assert_eq!(copy_source("b", "é"), "b/%C3%A9");
    }

    #[test]
    fn parts_cover_the_object_within_s3s_limits() {
        for size in [
            MIN_PART + 1,
            6 * 1024 * 1024 * 1024,
            5 * 1024 * 1024 * 1024 * 1024,
        ] {
            let parts = part_ranges(size);
            assert!(parts.len() as i64 <= MAX_PARTS);
            assert_eq!(parts[0].0, 0);
            assert_eq!(parts.last().unwrap().1, size - 1);
            for w in parts.windows(2) {
                assert_eq!(w[0].1 + 1, w[1].0);
            }
            for (s, e) in &parts {
                assert!(e - s < MAX_PART);
            }
        }
        assert_eq!(part_ranges(6 * 1024 * 1024 * 1024).len(), 24);
    }

    #[test]
    fn tags_are_url_encoded_for_the_tagging_header() {
        let tags = [s3t::Tag::builder()
            .key("team")
            .value("a b&c")
            .build()
            .unwrap()];
        assert_eq!(tagging_header(&tags), "team=a%20b%26c");
    }
}
