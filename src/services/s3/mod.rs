//! S3: the tenant's buckets, start to end. Observe (default encryption, public access, ownership,
//! tags, canary, objects), plan, apply (create, encrypt under the key with a bucket key, canary,
//! re-encrypt objects in place, by multipart copy over 5 GB), status rows (copies beside the
//! objects: unfinished uploads, replication rules), revocation evidence, and verify's probe.

mod apply;
pub mod bucket_policy;
mod copies;
mod evidence;
mod multipart;
mod observe;
pub mod owner;
mod plan;
mod probe;
pub mod quotas;
mod reencrypt;
mod scan;
mod status;

pub use apply::{apply, block_public_access};
#[cfg(test)]
pub use copies::replication_rows_for_test;
pub use copies::{replication_rows, upload_row, upload_rows, UNREPORTED};
pub use evidence::{
    canary_check, evidence, first_sentence, objects_check, read_canary, versions_check, Canary,
};
pub use multipart::{copy_big_object, BigCopy};
pub use observe::{
    bucket_encryption, bucket_tag, observe_bucket, observe_object, BucketState, ObjectScan,
};
pub use plan::plan_bucket;

/// Where S3 Batch Operations' manifests and completion reports of cmek's jobs live in a tenant
/// bucket (`services/s3control`); the bucket policy leaves `<this>reports/` out of its encryption
/// statements (`bucket_policy.rs`).
pub const BATCH_PREFIX: &str = "speedscale-cmek/batch/";
pub use probe::s3_probe;
pub use reencrypt::{archived_note, still_off_key, CONCURRENCY, MAX_COPY_BYTES};
pub use scan::{
    noncurrent_versions, object_encryption, scan_noncurrent_versions, scan_objects, some_keys,
    StaleObject, StaleObjects,
};
pub use status::bucket_status;
