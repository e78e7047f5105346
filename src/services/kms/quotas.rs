//! KMS's request quotas for the reads cmek makes of the customer's key. For a key in another
//! account, KMS counts the calls against Speedscale's account, the caller.

use crate::shared::quota::{Basis, Quota};

/// DescribeKey: once per distinct key in `status --all`.
pub static DESCRIBE_KEY: Quota = Quota {
    service: "kms",
    operations: &["DescribeKey"],
    per_second: 2000,
    burst: 2000,
    basis: Basis::Documented,
    source: "https://docs.aws.amazon.com/kms/latest/developerguide/requests-per-second.html: table \"Request quotas for each AWS KMS API operation\", DescribeKey request rate, default 2,000 requests per second; \"For cross-account requests, AWS KMS throttles the account that makes the requests, not the account that owns the KMS key.\" The burst is not documented: one second's worth. (The throttling page's example, 1000 DescribeKey requests in a second, predates the table's figure.)",
};

/// GetKeyRotationStatus (status --tenant, verify).
pub static GET_KEY_ROTATION_STATUS: Quota = Quota {
    service: "kms",
    operations: &["GetKeyRotationStatus"],
    per_second: 1000,
    burst: 1000,
    basis: Basis::Documented,
    source: "https://docs.aws.amazon.com/kms/latest/developerguide/requests-per-second.html: table \"Request quotas for each AWS KMS API operation\", GetKeyRotationStatus request rate, default 1,000 requests per second. The burst is not documented: one second's worth.",
};

/// Every KMS quota cmek paces.
pub static QUOTAS: &[&Quota] = &[&DESCRIBE_KEY, &GET_KEY_ROTATION_STATUS];
