//! One tenant in one environment: its id, the key its resources must use, every resource name,
//! the tags cmek puts on what it manages, and how a resource's encryption compares with the key.

use std::collections::BTreeMap;

use aws_smithy_runtime_api::client::orchestrator::HttpResponse;
use aws_smithy_runtime_api::client::result::SdkError;
use aws_smithy_types::error::metadata::ProvideErrorMetadata;
use serde::Serialize;

use crate::environment::{Environment, TenantNames};
use crate::error::AwsError;
use crate::input::{KeyArn, TenantId};

/// Tag: the tenant id.
pub const TAG_TENANT: &str = "speedscale:tenant";
/// Tag: the customer key ARN.
pub const TAG_KEY: &str = "speedscale:cmek-key-arn";
/// Tag: who manages it.
pub const TAG_MANAGED_BY: &str = "speedscale:managed-by";
/// The object key of the canary in each tenant bucket.
pub const CANARY_KEY: &str = "speedscale-cmek/canary.txt";

/// One tenant in one environment: every name and the key its resources must use.
#[derive(Debug, Clone)]
pub struct Tenancy {
    /// The tenant.
    pub tenant: TenantId,
    /// The key every tenant resource must use.
    pub key: KeyArn,
    /// Speedscale's CMEK environment account.
    pub account: String,
    /// The environment's region.
    pub region: String,
    /// The environment.
    pub env: Environment,
    /// Rendered resource names.
    pub names: TenantNames,
    /// Endpoint override, for error messages.
    pub endpoint: Option<String>,
}

impl Tenancy {
    /// Builds the names for a tenant.
    pub fn new(
        tenant: TenantId,
        key: KeyArn,
        account: &str,
        region: &str,
        env: Environment,
        endpoint: Option<String>,
    ) -> Self {
        let names = env.tenant_names(&tenant, account, region);
        Self {
            tenant,
            key,
            account: account.into(),
            region: region.into(),
            env,
            names,
            endpoint,
        }
    }

    /// The ARN of a queue of Speedscale's account.
    pub fn queue_arn(&self, name: &str) -> String {
        self.arn_of("sqs", name)
    }

    /// The ARN of a topic of Speedscale's account.
    pub fn topic_arn(&self, name: &str) -> String {
        self.arn_of("sns", name)
    }

    fn arn_of(&self, service: &str, name: &str) -> String {
        format!(
            "arn:{}:{service}:{}:{}:{name}",
            crate::input::partition_of_region(&self.region),
            self.region,
            self.account
        )
    }

    /// The ARNs of the tenant's topics that deliver to queue `queue_id`, in environment order.
    pub fn topics_into(&self, queue_id: &str) -> Vec<String> {
        self.env
            .topics
            .iter()
            .zip(&self.names.topics)
            .filter(|(spec, _)| spec.queues.iter().any(|q| q == queue_id))
            .map(|(_, (_, name))| self.topic_arn(name))
            .collect()
    }

    /// The tags everything cmek manages carries.
    pub fn tags(&self) -> BTreeMap<String, String> {
        BTreeMap::from([
            (TAG_TENANT.to_string(), self.tenant.to_string()),
            (TAG_KEY.to_string(), self.key.to_string()),
            (TAG_MANAGED_BY.to_string(), "cmek".to_string()),
        ])
    }

    /// Whether `have` lacks one of [`Tenancy::tags`] (or has another value).
    pub fn tags_missing(&self, have: &BTreeMap<String, String>) -> bool {
        self.tags().iter().any(|(k, v)| have.get(k) != Some(v))
    }

    /// The Firehose delivery role cmek creates when the environment names none.
    pub fn role_name(&self) -> String {
        format!("cmek-firehose-{}", self.tenant)
    }

    /// The role S3 Batch Operations assumes for this tenant's re-encryption jobs.
    pub fn batch_role_name(&self) -> String {
        format!("cmek-batch-{}", self.tenant)
    }

    /// Its ARN.
    pub fn batch_role_arn(&self) -> String {
        format!(
            "arn:{}:iam::{}:role/{}",
            self.key.partition(),
            self.account,
            self.batch_role_name()
        )
    }

    /// The delivery role ARN for a stream spec index.
    pub fn role_arn(&self, stream: usize) -> String {
        match self
            .env
            .streams
            .get(stream)
            .and_then(|s| s.role_arn.as_ref())
        {
            Some(t) => crate::environment::render(
                t,
                &crate::environment::Scope {
                    tenant: Some(&self.tenant),
                    account: &self.account,
                    region: &self.region,
                },
            ),
            None => format!(
                "arn:{}:iam::{}:role/{}",
                self.key.partition(),
                self.account,
                self.role_name()
            ),
        }
    }

    /// Whether cmek manages the delivery role (no stream names its own).
    pub fn manages_role(&self) -> bool {
        !self.env.streams.is_empty() && self.env.streams.iter().any(|s| s.role_arn.is_none())
    }

    /// The S3 bucket ARN.
    pub fn bucket_arn(&self, bucket: &str) -> String {
        format!("arn:{}:s3:::{bucket}", self.key.partition())
    }

    /// The endpoint override, for error messages.
    pub fn ep(&self) -> Option<&str> {
        self.endpoint.as_deref()
    }
}

/// How something is encrypted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "type", content = "key", rename_all = "kebab-case")]
pub enum Encryption {
    /// Not encrypted (an S3 object written before 2023, a database created without encryption).
    None,
    /// SSE-S3 (AES256, keys S3 owns).
    SseS3,
    /// A KMS key AWS manages or owns (aws/s3, aws/rds, aws/sqs, Firehose's AWS-owned key).
    AwsManaged,
    /// SSE-SQS (`SqsManagedSseEnabled`: encryption keys SQS owns and manages).
    SseSqs,
    /// A KMS key, by ARN or id as AWS reports it.
    Kms(String),
}

impl Encryption {
    /// A KMS key reference (ARN, id or alias) as AWS reports it.
    pub fn kms(key: Option<&str>) -> Self {
        match key {
            Some(k) if !k.is_empty() && !k.contains("alias/aws/") => Encryption::Kms(k.to_string()),
            _ => Encryption::AwsManaged,
        }
    }

    /// Whether this is the customer key.
    pub fn is_key(&self, key: &KeyArn) -> bool {
        match self {
            Encryption::Kms(k) => key_matches(k, key),
            Encryption::None | Encryption::SseS3 | Encryption::SseSqs | Encryption::AwsManaged => {
                false
            }
        }
    }

    /// For tables and JSON: the key ARN, `sse-s3`, `aws-managed` or `none`.
    pub fn shown(&self) -> String {
        match self {
            Encryption::None => "none".into(),
            Encryption::SseS3 => "sse-s3".into(),
            Encryption::SseSqs => "sse-sqs".into(),
            Encryption::AwsManaged => "aws-managed".into(),
            Encryption::Kms(k) => k.clone(),
        }
    }

    /// For plan reasons: "no encryption", "SSE-S3", "an AWS managed key", "another key (ARN)".
    pub fn described(&self) -> String {
        match self {
            Encryption::None => "no encryption".into(),
            Encryption::SseS3 => "SSE-S3".into(),
            Encryption::SseSqs => "SSE-SQS (keys SQS owns)".into(),
            Encryption::AwsManaged => "an AWS managed key".into(),
            Encryption::Kms(k) => format!("another key ({k})"),
        }
    }
}

/// Whether an ARN or key id AWS reports names the customer key.
pub fn key_matches(reported: &str, key: &KeyArn) -> bool {
    reported == key.as_str()
        || reported == key.key_id()
        || reported
            .rsplit_once(":key/")
            .is_some_and(|(head, id)| id == key.key_id() && head.ends_with(key.account()))
}

/// Maps an SDK error of `service` `operation` to an [`AwsError`] that names the endpoint.
pub fn err<'a, E>(
    service: &'static str,
    operation: &'static str,
    ep: Option<&'a str>,
) -> impl Fn(SdkError<E, HttpResponse>) -> AwsError + 'a
where
    E: ProvideErrorMetadata + std::error::Error + 'static,
{
    move |e| AwsError::from_sdk(service, operation, &e).at(ep)
}

/// What a migration appends to the tenant's database identifier to name the database it restores.
pub const MIGRATED_SUFFIX: &str = "-cmek";

/// The identifier a migration restores the tenant's database into.
pub fn migrated_identifier(identifier: &str) -> String {
    format!("{identifier}{MIGRATED_SUFFIX}")
}

impl Tenancy {
    /// Refuses a tenant id whose names are another tenant's: its database identifier is where
    /// another tenant's database migrates to (`<identifier>-cmek`), as `acme-cmek`'s is `acme`'s in
    /// the default environment. The other derived names cannot meet another tenant's: roles and
    /// registry objects carry the tenant id between fixed parts, and snapshots have names of their
    /// own. Exit 2, before any AWS call that changes anything.
    pub fn check_names(&self) -> Result<(), crate::InputError> {
        let (Some(db), Some(spec)) = (&self.names.database, &self.env.database) else {
            return Ok(());
        };
        let Some(base) = db.strip_suffix(MIGRATED_SUFFIX) else {
            return Ok(());
        };
        let template = crate::environment::render(
            &spec.identifier,
            &crate::environment::Scope {
                tenant: None,
                account: &self.account,
                region: &self.region,
            },
        );
        let Some((prefix, suffix)) = template.split_once("{tenant}") else {
            return Ok(());
        };
        let other = base
            .strip_prefix(prefix)
            .and_then(|rest| rest.strip_suffix(suffix))
            .filter(|o| o.parse::<TenantId>().is_ok() && *o != self.tenant.as_str());
        match other {
            None => Ok(()),
            Some(other) => Err(crate::InputError::new(
                "--tenant",
                self.tenant.as_str(),
                format!("its database identifier {db} is where tenant {other}'s database migrates to (enable --migrate-database restores into <identifier>{MIGRATED_SUFFIX}): a tenant id must not make one tenant's names another's"),
            )),
        }
    }

    /// The tenant another tenant's tags name on a resource, if any: enable never adopts or re-tags
    /// a resource that belongs to another tenant.
    pub fn foreign_tenant<'a>(&self, tags: &'a BTreeMap<String, String>) -> Option<&'a str> {
        tags.get(TAG_TENANT)
            .map(String::as_str)
            .filter(|t| *t != self.tenant.as_str())
    }
}

/// Tenant `acme` on a customer key in the default environment, for the library's unit tests.
#[cfg(test)]
pub(crate) fn test_tenancy(key: &str) -> Tenancy {
    Tenancy::new(
        "acme".parse().unwrap(),
        key.parse().unwrap(),
        "222222222222",
        "us-east-1",
        Environment::default(),
        None,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_matching_accepts_arn_and_id_only_for_the_same_key() {
        let key: KeyArn =
            "arn:aws:kms:us-east-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab"
                .parse()
                .unwrap();
        assert!(key_matches(key.as_str(), &key));
        assert!(key_matches("1234abcd-12ab-34cd-56ef-1234567890ab", &key));
        assert!(!key_matches(
            "arn:aws:kms:us-east-1:333333333333:key/1234abcd-12ab-34cd-56ef-1234567890ab",
            &key
        ));
        assert!(!key_matches(
            "arn:aws:kms:us-east-1:111111111111:alias/x",
            &key
        ));
        assert!(Encryption::Kms(key.to_string()).is_key(&key));
        assert!(!Encryption::SseS3.is_key(&key));
        assert_eq!(
            Encryption::kms(Some("alias/aws/s3")),
            Encryption::AwsManaged
        );
    }
}
