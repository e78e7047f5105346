//! CloudWatch's GetMetricData quota: 50 transactions a second per account and Region.

use crate::shared::quota::{Basis, Quota};

/// GetMetricData: one call per tenant in `revoke-check` (500 queries a call, four per stream).
pub static GET_METRIC_DATA: Quota = Quota {
    service: "monitoring",
    operations: &["GetMetricData"],
    per_second: 50,
    burst: 5,
    basis: Basis::Documented,
    adjustable: true,
    source: "https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/cloudwatch_limits.html lists the API request quotas; AWS's Knowledge Center, https://repost.aws/knowledge-center/cloudwatch-getmetricdata-api: \"The service quotas for the GetMetricData API are: 50 transactions per second (TPS).\"",
};

/// Every CloudWatch quota cmek paces.
pub static QUOTAS: &[&Quota] = &[&GET_METRIC_DATA];
