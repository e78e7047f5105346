//! The Resource Groups Tagging API: every resource of Speedscale's account and region tagged
//! `speedscale:tenant` = the tenant, whatever the registry record or the environment says. One
//! GetResources per 100 resources: "Returns all the tagged or previously tagged resources that are
//! located in the specified Amazon Web Services Region for the account." (API reference,
//! GetResources, read 2026-12-02.) Its ResourceTypeFilters are `service[:resourceType]`.

pub mod quotas;

use aws_sdk_resourcegroupstagging::types::TagFilter;

use crate::aws::Clients;
use crate::error::AwsError;
use crate::shared::quota::pace;
use crate::shared::tenancy::{err, Tenancy, TAG_TENANT};

/// The resource types cmek manages (GetResources' ResourceTypeFilters).
pub const TYPES: [&str; 6] = [
    "s3",
    "firehose:deliverystream",
    "rds:db",
    "rds:cluster",
    "sqs",
    "sns",
];

/// What a tagged resource is, by its ARN.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Tagged {
    /// An S3 bucket, by name.
    Bucket(String),
    /// A Firehose stream, by name.
    Stream(String),
    /// An RDS instance or Aurora cluster, by identifier.
    Database(String),
    /// An SQS queue, by name.
    Queue(String),
    /// An SNS topic, by name.
    Topic(String),
}

impl Tagged {
    /// The resource an ARN names (`None` for a kind cmek does not manage, e.g. a snapshot).
    pub fn of(arn: &str) -> Option<Self> {
        let parts: Vec<&str> = arn.splitn(6, ':').collect();
        let (service, rest) = (*parts.get(2)?, *parts.get(5)?);
        Some(match service {
            "s3" if !rest.contains('/') => Tagged::Bucket(rest.to_string()),
            "firehose" => Tagged::Stream(rest.strip_prefix("deliverystream/")?.to_string()),
            "rds" => {
                let (kind, id) = rest.split_once(':')?;
                match kind {
                    "db" | "cluster" => Tagged::Database(id.to_string()),
                    _ => return None,
                }
            }
            "sqs" => Tagged::Queue(rest.to_string()),
            "sns" => Tagged::Topic(rest.to_string()),
            _ => return None,
        })
    }
}

/// Every resource tagged for the tenant, every page, each call paced.
pub async fn tagged(c: &Clients, t: &Tenancy) -> Result<Vec<Tagged>, AwsError> {
    let filter = TagFilter::builder()
        .key(TAG_TENANT)
        .values(t.tenant.as_str())
        .build();
    let mut out = vec![];
    let mut token: Option<String> = None;
    loop {
        pace(&quotas::GET_RESOURCES).await;
        let mut req = c
            .tagging
            .get_resources()
            .tag_filters(filter.clone())
            .resources_per_page(100)
            .set_pagination_token(token.take());
        for ty in TYPES {
            req = req.resource_type_filters(ty);
        }
        let page = req
            .send()
            .await
            .map_err(err("tagging", "GetResources", t.ep()))?;
        // An Aurora cluster's instances (`<cluster>-<n>`, tagged like it) are the cluster's, not
        // databases of their own.
        let cluster = t
            .env
            .database
            .as_ref()
            .filter(|d| d.is_cluster())
            .and(t.names.database.clone());
        let member = |arn: &str, x: &Tagged| match (x, &cluster) {
            (Tagged::Database(id), Some(c)) => {
                arn.contains(":db:")
                    && id
                        .strip_prefix(&format!("{c}-"))
                        .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
            }
            _ => false,
        };
        out.extend(
            page.resource_tag_mapping_list()
                .iter()
                .filter_map(|m| m.resource_arn())
                .filter_map(|arn| Tagged::of(arn).filter(|x| !member(arn, x))),
        );
        // AWS ends with an empty token (or none); a short page is not the end.
        match page.pagination_token() {
            Some(next) if !next.is_empty() => token = Some(next.to_string()),
            _ => break,
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arns_name_the_resources_cmek_manages_and_nothing_else() {
        let of = |a: &str| Tagged::of(a);
        assert_eq!(
            of("arn:aws:s3:::speedscale-acme-data-1"),
            Some(Tagged::Bucket("speedscale-acme-data-1".into()))
        );
        assert_eq!(
            of("arn:aws:firehose:us-east-1:222222222222:deliverystream/speedscale-acme-events"),
            Some(Tagged::Stream("speedscale-acme-events".into()))
        );
        assert_eq!(
            of("arn:aws:rds:us-east-1:2:db:speedscale-acme"),
            Some(Tagged::Database("speedscale-acme".into()))
        );
        assert_eq!(
            of("arn:aws:rds:us-east-1:2:cluster:speedscale-acme"),
            Some(Tagged::Database("speedscale-acme".into()))
        );
        assert_eq!(
            of("arn:aws:rds:us-east-1:2:snapshot:speedscale-acme-pre-cmek"),
            None
        );
        assert_eq!(
            of("arn:aws:sqs:us-east-1:2:speedscale-acme-capture"),
            Some(Tagged::Queue("speedscale-acme-capture".into()))
        );
        assert_eq!(
            of("arn:aws:sns:us-east-1:2:speedscale-acme-events"),
            Some(Tagged::Topic("speedscale-acme-events".into()))
        );
        assert_eq!(of("arn:aws:iam::2:role/cmek-firehose-acme"), None);
        assert_eq!(of("not an arn"), None);
    }
}
