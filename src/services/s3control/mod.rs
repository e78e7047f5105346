//! S3 Control: S3 Batch Operations jobs that re-encrypt a bucket's objects in place under the
//! customer key, for buckets too large to copy from one machine. cmek creates one job per
//! storage class (a job writes a single storage class, and without one its copies become
//! STANDARD). S3 generates each job's manifest from the bucket, filtered to that class, to 5 GB
//! and under, and to the encryptions that are not the key, and writes it under the customer key
//! (AWS's user guide: Batch Operations reads an SSE-KMS manifest only when it is an inventory
//! report, so a CSV manifest written by cmek could not be under the key). The job's idempotency
//! token is derived from the objects it is for. cmek records the job's id in the registry, follows it to its end, reads its completion report and names the objects that
//! failed. Objects over 5 GB (Batch Copy's limit, like CopyObject's) are copied by cmek itself
//! with a multipart copy; objects in archive storage classes are listed with the restore to run
//! first, never touched.
//!
//! Where things go: generated manifests under the customer key in the tenant's own bucket
//! (`speedscale-cmek/batch/manifests/`), completion reports (which S3 writes under SSE-S3) in the
//! same bucket (`speedscale-cmek/batch/reports/`), read and then deleted. The registry keeps job
//! ids and counts only ([`crate::services::registry::BatchJobs`]).

mod follow;
mod manifest;
mod report;
mod run;

pub use follow::{describe, JobProgress};
pub use run::{follow_batch_jobs, run_batch_jobs};

/// Where cmek keeps its Batch Operations files in a tenant bucket.
pub use crate::services::s3::BATCH_PREFIX;

/// A job status after which the job does nothing more.
pub fn is_terminal(status: &str) -> bool {
    matches!(status, "Complete" | "Failed" | "Cancelled")
}
