//! The tenant's S3 Batch Operations jobs (`<prefix>batch/<tenant>.json`): job ids, storage
//! classes, counts and whether cmek has read the job's completion report. It names no object key:
//! manifests and reports, which do, live in the tenant's own bucket under the customer key (or are
//! deleted once read), so a revocation reaches them.

use serde::{Deserialize, Serialize};

use super::Registry;
use crate::aws::Clients;
use crate::error::{AwsError, Error};

/// One Batch Operations job cmek created.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BatchJob {
    /// The bucket it re-encrypts.
    pub bucket: String,
    /// The storage class its copies are written in.
    pub storage_class: String,
    /// S3 Control's job id (empty until CreateJob answered).
    pub job_id: String,
    /// The CreateJob idempotency token (tenant, bucket, class and the objects' digest).
    pub client_request_token: String,
    /// Where S3 writes the job's generated manifest in the tenant bucket (under the key).
    pub manifest_prefix: String,
    /// The digest of the objects (keys and ETags) the job is for.
    pub objects_digest: String,
    /// When cmek created it (RFC 3339).
    pub created_at: String,
    /// The job's status when last read (`Active`, `Complete`, ...).
    pub status: String,
    /// Tasks in the job.
    pub total: i64,
    /// Tasks that succeeded.
    pub succeeded: i64,
    /// Tasks that failed.
    pub failed: i64,
    /// Whether the job ended and cmek read (and removed) its completion report.
    pub finished: bool,
    /// The encryption its manifest generator matches (`SSE-S3`, `NOT-SSE`, `SSE-KMS:<key ARN>`,
    /// `SSE-KMS`): one a job, as the filter takes one.
    #[serde(default)]
    pub encryption_filter: String,
}

/// Every job of a tenant.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct BatchJobs {
    /// Oldest first.
    pub jobs: Vec<BatchJob>,
}

impl BatchJobs {
    /// Jobs for this bucket that cmek has not seen to their end.
    pub fn unfinished<'a>(&'a self, bucket: &'a str) -> impl Iterator<Item = &'a BatchJob> {
        self.jobs
            .iter()
            .filter(move |j| j.bucket == bucket && !j.finished)
    }

    /// Adds or replaces the job with this idempotency token (a job is recorded before CreateJob
    /// answers, without an id, and again with it).
    pub fn upsert(&mut self, job: BatchJob) {
        match self
            .jobs
            .iter_mut()
            .find(|j| j.client_request_token == job.client_request_token)
        {
            Some(slot) => *slot = job,
            None => self.jobs.push(job),
        }
    }
}

impl Registry {
    fn jobs_key(&self, tenant: &str) -> String {
        format!("{}batch/{tenant}.json", self.prefix)
    }

    /// The tenant's Batch Operations jobs (none when the file does not exist).
    pub async fn read_jobs(&self, c: &Clients, tenant: &str) -> Result<BatchJobs, Error> {
        match self.get_json(c, &self.jobs_key(tenant)).await? {
            None => Ok(BatchJobs::default()),
            Some((bytes, _)) => serde_json::from_slice(&bytes).map_err(|e| {
                Error::Local(format!(
                    "s3://{}/{} is not a cmek job list: {e}",
                    self.bucket,
                    self.jobs_key(tenant)
                ))
            }),
        }
    }

    /// Writes the tenant's Batch Operations jobs.
    pub async fn write_jobs(
        &self,
        c: &Clients,
        tenant: &str,
        jobs: &BatchJobs,
    ) -> Result<(), AwsError> {
        self.put_json(c, &self.jobs_key(tenant), jobs).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn job(token: &str, id: &str) -> BatchJob {
        BatchJob {
            bucket: "b".into(),
            storage_class: "STANDARD".into(),
            job_id: id.into(),
            client_request_token: token.into(),
            manifest_prefix: "m".into(),
            objects_digest: "d".into(),
            created_at: "t".into(),
            status: "New".into(),
            total: 1,
            succeeded: 0,
            failed: 0,
            finished: false,
            encryption_filter: "SSE-S3".into(),
        }
    }

    #[test]
    fn a_job_recorded_before_create_job_answered_is_replaced_once_it_has_an_id() {
        let mut jobs = BatchJobs::default();
        jobs.upsert(job("t1", ""));
        jobs.upsert(job("t1", "id-1"));
        jobs.upsert(job("t2", ""));
        jobs.upsert(job("t2", "id-2"));
        let ids: Vec<&str> = jobs.jobs.iter().map(|j| j.job_id.as_str()).collect();
        assert_eq!(ids, ["id-1", "id-2"]);
    }
}
