//! Reading a tenant queue: GetQueueUrl, then GetQueueAttributes (All) and ListQueueTags.

use std::collections::BTreeMap;

use aws_sdk_sqs::types::QueueAttributeName as A;
use serde_json::Value;

use super::quotas;
use crate::aws::Clients;
use crate::error::AwsError;
use crate::shared::quota::pace;
use crate::shared::tenancy::{err, Encryption, Tenancy};

/// A tenant queue as it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueueState {
    /// The environment's queue id.
    pub id: String,
    /// The queue name.
    pub name: String,
    /// Whether it exists.
    pub exists: bool,
    /// Its URL (empty when missing).
    pub url: String,
    /// Its ARN (as it would be, when missing).
    pub arn: String,
    /// Server-side encryption: `Kms` (KmsMasterKeyId), `SseSqs`, `AwsManaged` (alias/aws/sqs) or
    /// `None`.
    pub encryption: Encryption,
    /// KmsDataKeyReusePeriodSeconds (SQS's default when it reports none).
    pub reuse_seconds: i64,
    /// ApproximateNumberOfMessages + …NotVisible + …Delayed: what the queue holds, roughly.
    pub messages: u64,
    /// MessageRetentionPeriod, in seconds: no message stays longer.
    pub retention_seconds: i64,
    /// The queue policy, when it has one.
    pub policy: Option<Value>,
    /// LastModifiedTimestamp (Unix seconds): when its attributes last changed.
    pub last_modified: Option<i64>,
    /// Its tags.
    pub tags: BTreeMap<String, String>,
}

/// One queue, with its tags.
pub async fn observe_queue(
    c: &Clients,
    t: &Tenancy,
    id: &str,
    name: &str,
) -> Result<QueueState, AwsError> {
    read_queue(c, t, id, name, true).await
}

/// One queue; its tags only with `tags` (the fleet view needs none, and SQS's tagging quota is
/// the lowest it has).
pub async fn read_queue(
    c: &Clients,
    t: &Tenancy,
    id: &str,
    name: &str,
    tags: bool,
) -> Result<QueueState, AwsError> {
    let mut q = QueueState {
        id: id.into(),
        name: name.into(),
        exists: false,
        url: String::new(),
        arn: t.queue_arn(name),
        encryption: Encryption::None,
        reuse_seconds: super::DEFAULT_REUSE_SECONDS,
        messages: 0,
        retention_seconds: 0,
        policy: None,
        last_modified: None,
        tags: BTreeMap::new(),
    };
    pace(&quotas::QUEUE_READS).await;
    let url = match c
        .sqs
        .get_queue_url()
        .queue_name(name)
        .queue_owner_aws_account_id(&t.account)
        .send()
        .await
    {
        Ok(o) => o.queue_url().unwrap_or_default().to_string(),
        Err(e)
            if e.as_service_error()
                .is_some_and(|s| s.is_queue_does_not_exist()) =>
        {
            return Ok(q)
        }
        Err(e) => return Err(err("sqs", "GetQueueUrl", t.ep())(e)),
    };
    let (attrs, tags) = tokio::join!(
        async {
            pace(&quotas::QUEUE_READS).await;
            c.sqs
                .get_queue_attributes()
                .queue_url(&url)
                .attribute_names(A::All)
                .send()
                .await
        },
        async {
            if !tags {
                return Ok(None);
            }
            pace(&quotas::TAGGING).await;
            c.sqs
                .list_queue_tags()
                .queue_url(&url)
                .send()
                .await
                .map(Some)
        }
    );
    let attrs = attrs.map_err(err("sqs", "GetQueueAttributes", t.ep()))?;
    let tags = tags.map_err(err("sqs", "ListQueueTags", t.ep()))?;
    let a = attrs.attributes().cloned().unwrap_or_default();
    let get = |k: A| a.get(&k).map(String::as_str);
    let num = |k: A| get(k).and_then(|v| v.parse::<u64>().ok()).unwrap_or(0);
    q.exists = true;
    q.url = url;
    if let Some(arn) = get(A::QueueArn) {
        q.arn = arn.to_string();
    }
    q.encryption = encryption_of(get(A::KmsMasterKeyId), get(A::SqsManagedSseEnabled));
    q.reuse_seconds = get(A::KmsDataKeyReusePeriodSeconds)
        .and_then(|v| v.parse().ok())
        .unwrap_or(super::DEFAULT_REUSE_SECONDS);
    q.messages = num(A::ApproximateNumberOfMessages)
        + num(A::ApproximateNumberOfMessagesNotVisible)
        + num(A::ApproximateNumberOfMessagesDelayed);
    // SQS's default retention is four days (CreateQueue: "Default: 345,600 (4 days)").
    q.retention_seconds = get(A::MessageRetentionPeriod)
        .and_then(|v| v.parse().ok())
        .unwrap_or(345_600);
    // A policy cmek cannot read is never rewritten from nothing: an error, not "no policy".
    q.policy = match get(A::Policy).filter(|p| !p.is_empty()) {
        None => None,
        Some(p) => Some(serde_json::from_str(p).map_err(|e| {
            AwsError::service(
                "sqs",
                "GetQueueAttributes",
                "UnreadablePolicy",
                &format!("the policy of queue {name} is not JSON cmek can read ({e}): nothing is changed on it"),
            )
        })?),
    };
    // When the queue's attributes last changed: messages sent before then may be under what it
    // had before (a change made outside cmek, or a run whose record was not written).
    q.last_modified = get(A::LastModifiedTimestamp).and_then(|v| v.parse().ok());
    q.tags = tags
        .as_ref()
        .and_then(|t| t.tags())
        .map(|m| m.iter().map(|(k, v)| (k.clone(), v.clone())).collect())
        .unwrap_or_default();
    Ok(q)
}

/// A queue's encryption from its attributes: a KMS key when `KmsMasterKeyId` is set (the AWS
/// managed `alias/aws/sqs` as such), else SSE-SQS when `SqsManagedSseEnabled` is `true`, else none.
pub fn encryption_of(kms: Option<&str>, sse_sqs: Option<&str>) -> Encryption {
    match kms {
        Some(k) if !k.is_empty() => Encryption::kms(Some(k)),
        _ if sse_sqs == Some("true") => Encryption::SseSqs,
        _ => Encryption::None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encryption_from_attributes() {
        let arn = "arn:aws:kms:us-east-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab";
        assert_eq!(
            encryption_of(Some(arn), Some("false")),
            Encryption::Kms(arn.into())
        );
        assert_eq!(
            encryption_of(Some("alias/aws/sqs"), None),
            Encryption::AwsManaged
        );
        assert_eq!(encryption_of(None, Some("true")), Encryption::SseSqs);
        assert_eq!(encryption_of(Some(""), Some("false")), Encryption::None);
        assert_eq!(encryption_of(None, None), Encryption::None);
    }
}
