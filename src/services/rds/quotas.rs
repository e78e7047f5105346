//! RDS's API quota: one token bucket per account and Region for every RDS API call.

use crate::shared::quota::{Basis, Quota};

/// Every RDS call cmek makes shares one bucket: AWS applies the limit to "any Amazon RDS API
/// operations" of the account, from any source.
pub static RDS_API: Quota = Quota {
    service: "rds",
    operations: &[
        "DescribeDBInstances",
        "DescribeDBSnapshots",
        "DescribeDBSnapshotAttributes",
        "DescribeDBInstanceAutomatedBackups",
        "CreateDBInstance",
        "CreateDBSnapshot",
        "CopyDBSnapshot",
        "RestoreDBInstanceFromDBSnapshot",
        "ModifyDBInstance",
        "AddTagsToResource",
        "DescribeDBClusters",
        "DescribeDBClusterSnapshots",
        "DescribeDBClusterSnapshotAttributes",
        "CreateDBCluster",
        "CreateDBClusterSnapshot",
        "RestoreDBClusterFromSnapshot",
        "ModifyDBCluster",
    ],
    per_second: 12,
    burst: 150,
    basis: Basis::Documented,
    adjustable: true,
    source: "https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/rds-api-throttling.html: \"Amazon RDS throttles API requests for each AWS account in each AWS Region.\" ... \"By default, you can make up to 300 requests in a burst and a sustained 12 requests per second.\" (adjustable: --quota-scale for an account whose limit was raised). cmek lets half the burst go at once, leaving the rest to other callers in the account.",
};

/// Every RDS quota cmek paces.
pub static QUOTAS: &[&Quota] = &[&RDS_API];
