//! Reading a tenant topic: GetTopicAttributes, ListSubscriptionsByTopic and ListTagsForResource.

use std::collections::BTreeMap;

use super::quotas;
use crate::aws::Clients;
use crate::error::AwsError;
use crate::shared::quota::pace;
use crate::shared::tenancy::{err, Encryption, Tenancy};

/// A tenant topic as it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TopicState {
    /// The environment's topic id.
    pub id: String,
    /// The topic name.
    pub name: String,
    /// Its ARN.
    pub arn: String,
    /// Whether it exists.
    pub exists: bool,
    /// Server-side encryption: `Kms` (KmsMasterKeyId), `AwsManaged` (alias/aws/sns) or `None`.
    pub encryption: Encryption,
    /// The queue ARNs it delivers to (its `sqs` subscriptions).
    pub queues: Vec<String>,
    /// Its tags.
    pub tags: BTreeMap<String, String>,
}

/// One topic, with its subscriptions and tags.
pub async fn observe_topic(
    c: &Clients,
    t: &Tenancy,
    id: &str,
    name: &str,
) -> Result<TopicState, AwsError> {
    read_topic(c, t, id, name, true).await
}

/// One topic; its subscriptions and tags only with `full` (the fleet view needs neither).
pub async fn read_topic(
    c: &Clients,
    t: &Tenancy,
    id: &str,
    name: &str,
    full: bool,
) -> Result<TopicState, AwsError> {
    let arn = t.topic_arn(name);
    let mut s = TopicState {
        id: id.into(),
        name: name.into(),
        arn: arn.clone(),
        exists: false,
        encryption: Encryption::None,
        queues: vec![],
        tags: BTreeMap::new(),
    };
    pace(&quotas::GET_TOPIC_ATTRIBUTES).await;
    let attrs = match c.sns.get_topic_attributes().topic_arn(&arn).send().await {
        Ok(o) => o.attributes().cloned().unwrap_or_default(),
        Err(e)
            if e.as_service_error()
                .is_some_and(|s| s.is_not_found_exception()) =>
        {
            return Ok(s)
        }
        Err(e) => return Err(err("sns", "GetTopicAttributes", t.ep())(e)),
    };
    s.exists = true;
    s.encryption = match attrs.get("KmsMasterKeyId") {
        Some(k) if !k.is_empty() => Encryption::kms(Some(k)),
        _ => Encryption::None,
    };
    if !full {
        return Ok(s);
    }
    let (subs, tags) = tokio::join!(subscriptions(c, t, &arn), async {
        pace(&quotas::TAGGING).await;
        c.sns
            .list_tags_for_resource()
            .resource_arn(&arn)
            .send()
            .await
            .map_err(err("sns", "ListTagsForResource", t.ep()))
    });
    s.queues = subs?;
    s.tags = tags?
        .tags()
        .iter()
        .map(|t| (t.key().to_string(), t.value().to_string()))
        .collect();
    Ok(s)
}

/// The queue ARNs a topic delivers to, every page.
async fn subscriptions(c: &Clients, t: &Tenancy, arn: &str) -> Result<Vec<String>, AwsError> {
    let mut out = vec![];
    let mut token = None;
    loop {
        pace(&quotas::LIST_SUBSCRIPTIONS_BY_TOPIC).await;
        let page = c
            .sns
            .list_subscriptions_by_topic()
            .topic_arn(arn)
            .set_next_token(token)
            .send()
            .await
            .map_err(err("sns", "ListSubscriptionsByTopic", t.ep()))?;
        out.extend(
            page.subscriptions()
                .iter()
                .filter(|s| s.protocol() == Some("sqs"))
                .filter_map(|s| s.endpoint().map(str::to_string)),
        );
        match page.next_token() {
            Some(n) if !n.is_empty() => token = Some(n.to_string()),
            _ => return Ok(out),
        }
    }
}
