//! KMS's request quotas for the reads cmek makes of the customer's key. For a key in another
//! account, KMS counts the calls against Speedscale's account, the caller.

use crate::shared::quota::{Basis, Quota};

/// DescribeKey: once per distinct key in `status --all`.
pub static DESCRIBE_KEY: Quota = Quota {
    service: "kms",
    operations: &["DescribeKey"],
    per_second: 2000,
    burst: 200,
    basis: Basis::Documented,
    adjustable: true,
    source: "https://docs.aws.amazon.com/kms/latest/developerguide/requests-per-second.html: table \"Request quotas for each AWS KMS API operation\", DescribeKey request rate, default 2,000 requests per second; \"For cross-account requests, AWS KMS throttles the account that makes the requests, not the account that owns the KMS key.\" The burst is not documented: cmek lets a tenth of a second's worth go at once, leaving AWS's bucket room for the jitter of arrival times. (The throttling page's example, 1000 DescribeKey requests in a second, predates the table's figure.)",
};

/// GetKeyRotationStatus (status --tenant, verify).
pub static GET_KEY_ROTATION_STATUS: Quota = Quota {
    service: "kms",
    operations: &["GetKeyRotationStatus"],
    per_second: 1000,
    burst: 100,
    basis: Basis::Documented,
    adjustable: true,
    source: "https://docs.aws.amazon.com/kms/latest/developerguide/requests-per-second.html: table \"Request quotas for each AWS KMS API operation\", GetKeyRotationStatus request rate, default 1,000 requests per second. The burst is not documented: cmek lets a tenth of a second's worth go at once, leaving AWS's bucket room for the jitter of arrival times.",
};

/// Every KMS quota cmek paces.
pub static QUOTAS: &[&Quota] = &[&DESCRIBE_KEY, &GET_KEY_ROTATION_STATUS];
