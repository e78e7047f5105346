//! S3's request rates for the reads `status` makes: object reads are documented per prefix;
//! bucket-level configuration reads have no documented figure, so cmek assumes one.

use crate::shared::quota::{Basis, Quota};

const PREFIX_GET: &str = "https://docs.aws.amazon.com/AmazonS3/latest/userguide/optimizing-performance.html: \"your application can achieve at least 3,500 PUT/COPY/POST/DELETE or 5,500 GET/HEAD requests per second per partitioned Amazon S3 prefix.\" The burst is not documented: cmek lets a tenth of a second's worth go at once.";

/// GetBucketEncryption: once per tenant bucket in `status --all`.
pub static GET_BUCKET_ENCRYPTION: Quota = Quota {
    service: "s3",
    operations: &["GetBucketEncryption"],
    per_second: 100,
    burst: 10,
    basis: Basis::Assumed,
    adjustable: true,
    source: "assumed: S3 documents request rates for object operations per prefix, none for bucket configuration reads such as GetBucketEncryption. 100 a second is cmek's own ceiling: twenty times the Firehose floor of the fleet view, so S3 is never the bottleneck, and far below the documented 5,500 GET a second per prefix.",
};

/// HeadObject, GetObject and ListObjectsV2 (the canary, the registry's records).
pub static OBJECT_READS: Quota = Quota {
    service: "s3",
    operations: &["HeadObject", "GetObject", "ListObjectsV2"],
    per_second: 5500,
    burst: 550,
    basis: Basis::Documented,
    adjustable: true,
    source: PREFIX_GET,
};

/// PutObject into the registry (records, fleet snapshots).
pub static PUT_OBJECT: Quota = Quota {
    service: "s3",
    operations: &["PutObject"],
    per_second: 3500,
    burst: 350,
    basis: Basis::Documented,
    adjustable: true,
    source: "https://docs.aws.amazon.com/AmazonS3/latest/userguide/optimizing-performance.html: \"your application can achieve at least 3,500 PUT/COPY/POST/DELETE or 5,500 GET/HEAD requests per second per partitioned Amazon S3 prefix.\" The burst is not documented: cmek lets a tenth of a second's worth go at once.",
};

/// Every S3 quota cmek paces.
pub static QUOTAS: &[&Quota] = &[&GET_BUCKET_ENCRYPTION, &OBJECT_READS, &PUT_OBJECT];
