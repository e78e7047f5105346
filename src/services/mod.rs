//! One module per AWS service (and the registry, Speedscale's own store on S3), each owning the
//! whole life of its resources: observe, plan, apply, status rows and revocation evidence, with
//! its own AWS calls and quirks. Services sit above `shared` and below the commands.

pub mod cloudwatch;
pub mod firehose;
pub mod iam;
pub mod kms;
pub mod rds;
pub mod registry;
pub mod s3;
pub mod s3control;
pub mod sns;
pub mod sqs;
pub mod tagging;

use crate::shared::quota::{Basis, Quota};

/// Every quota cmek paces itself within, service by service.
pub fn quotas() -> Vec<&'static Quota> {
    [
        cloudwatch::quotas::QUOTAS,
        firehose::quotas::QUOTAS,
        kms::quotas::QUOTAS,
        rds::quotas::QUOTAS,
        s3::quotas::QUOTAS,
        sns::quotas::QUOTAS,
        sqs::quotas::QUOTAS,
        tagging::quotas::QUOTAS,
    ]
    .concat()
}

/// docs/quotas.md: the quota table, generated from the services' declarations.
pub fn quotas_doc() -> String {
    let mut out = String::from(
        "# AWS request quotas cmek paces itself within\n\n\
         Generated from `src/services/*/quotas.rs` (`CMEK_BLESS=1 cargo test --test it generated`).\n\
         Each figure is per account and Region. cmek keeps one limiter per row for the whole process\n\
         (`src/shared/quota.rs`); `--quota-scale FACTOR` (or `CMEK_QUOTA_SCALE`) multiplies every rate\n\
         (above 1, only the adjustable ones: a hard limit is never exceeded), and `off` stops pacing.\n\
         AWS documents rates, rarely bursts: where it does not, cmek lets a tenth of a second's worth\n\
         go at once, so that its calls never arrive faster than AWS's bucket refills.\n\n\
         | service | operations | per second | cmek's burst | adjustable | basis | source |\n\
         |---|---|---|---|---|---|---|\n",
    );
    for q in quotas() {
        out.push_str(&format!(
            "| {} | {} | {} | {} | {} | {} | {} |\n",
            q.service,
            q.operations.join(", "),
            q.per_second,
            q.burst,
            if q.adjustable {
                "yes"
            } else {
                "no (hard limit)"
            },
            match q.basis {
                Basis::Documented => "documented",
                Basis::Assumed => "assumed",
            },
            q.source.replace('|', "\\|")
        ));
    }
    out.push_str(
        "\n## The floor they set on `status --all`\n\n\
         A tenant has one Firehose stream: `status --all` makes one DescribeDeliveryStream per tenant,\n\
         so at Firehose's 5 calls a second 1,000 tenants take at least 200 s and 10,000 at least\n\
         2,000 s, whatever else cmek does. Every other read stays far from its quota: one\n\
         DescribeKey per distinct key (2,000 a second), one DescribeDBInstances per hundred\n\
         databases (12 a second after a burst of 300; with `rds:DescribeDBInstances` on `db:*`, see\n\
         docs/iam.md), one GetBucketEncryption per bucket (100 a second, assumed), a GetQueueUrl and a\n\
         GetQueueAttributes per queue (100 a second, assumed), one GetTopicAttributes per topic (30 a\n\
         second, assumed); no tags or subscriptions are read. An Aurora environment reads one\n\
         DescribeDBClusters per cluster, within RDS's 12 a second: 10,000 tenants take at least 830 s.\n\
         `status --all --max-age` serves tenants observed recently from the registry and reads only\n\
         their keys: with one key per tenant, 10,000 tenants take at least 4 s at KMS's rate.\n\
         Measured figures: docs/benchmarks.md.\n",
    );
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn every_quota_is_sourced_and_declared_once() {
        crate::shared::quota::check_table(&super::quotas()).unwrap();
    }
}
