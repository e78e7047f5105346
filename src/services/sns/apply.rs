//! Carrying out a topic's steps. Each is idempotent: CreateTopic of a topic that exists returns it
//! (and its key is read back), SetTopicAttributes sets, Subscribe of an existing subscription
//! returns it.

use std::collections::HashMap;

use aws_sdk_sns::types::Tag;

use super::plan::wanted_queues;
use super::quotas;
use super::TopicState;
use crate::shared::quota::pace;
use crate::shared::steps::{fail, ApplyCtx, Change, SnsStep, StepOutput};
use crate::shared::tenancy::err;

/// Applies one step of a topic's change.
pub async fn apply(
    x: ApplyCtx<'_>,
    topics: &[TopicState],
    ch: &Change,
    step: SnsStep,
) -> StepOutput {
    let Some(s) = ch
        .id
        .strip_prefix("topic:")
        .and_then(|id| topics.iter().find(|s| s.id == id))
    else {
        return Err(fail(format!("no observed topic for {}", ch.id)));
    };
    let sns = &x.c.sns;
    match step {
        SnsStep::CreateTopic => {
            let r = sns
                .create_topic()
                .name(&s.name)
                .set_attributes(Some(HashMap::from([(
                    "KmsMasterKeyId".to_string(),
                    x.t.key.to_string(),
                )])))
                .set_tags(Some(tags(x)))
                .send()
                .await;
            match r {
                // "This action is idempotent, so if the requester already owns a topic with the
                // specified name, that topic's ARN is returned without creating a new topic" (SNS
                // API reference, CreateTopic): a topic made meanwhile, on another key, would come
                // back as if created. So what it is on is read back.
                Ok(_) => match topic_key(x, s).await? {
                    Some(k) if crate::shared::tenancy::key_matches(&k, &x.t.key) => Ok(None),
                    other => Err(fail(format!(
                        "topic {} already existed, on {}: nothing was changed on it; run enable again to plan from what it is",
                        s.name,
                        other.unwrap_or_else(|| "no key".into())
                    ))),
                },
                // A topic that appeared since it was read, with other attributes: nothing is
                // changed on it; running enable again plans from what it is.
                Err(e) if e.as_service_error().is_some_and(|e| e.is_invalid_parameter_exception()) && topic_exists(x, s).await => {
                    Err(fail(format!("topic {} appeared since it was read, with other attributes: nothing was changed on it; run enable again to plan from what it is", s.name)))
                }
                Err(e) => Err(err("sns", "CreateTopic", x.ep())(e).into()),
            }
        }
        SnsStep::SetTopicEncryption => set_key(x, s).await,
        SnsStep::SubscribeQueues => {
            for q in wanted_queues(x.t, &s.id) {
                if s.queues.contains(&q) {
                    continue;
                }
                pace(&quotas::SUBSCRIBE).await;
                sns.subscribe()
                    .topic_arn(&s.arn)
                    .protocol("sqs")
                    .endpoint(q)
                    .return_subscription_arn(true)
                    .send()
                    .await
                    .map_err(err("sns", "Subscribe", x.ep()))?;
            }
            Ok(None)
        }
        SnsStep::TagTopic => {
            pace(&quotas::TAGGING).await;
            sns.tag_resource()
                .resource_arn(&s.arn)
                .set_tags(Some(tags(x)))
                .send()
                .await
                .map_err(err("sns", "TagResource", x.ep()))?;
            Ok(None)
        }
    }
}

fn tags(x: ApplyCtx<'_>) -> Vec<Tag> {
    x.t.tags()
        .into_iter()
        .filter_map(|(k, v)| Tag::builder().key(k).value(v).build().ok())
        .collect()
}

/// The topic's KmsMasterKeyId, as SNS reports it now.
async fn topic_key(
    x: ApplyCtx<'_>,
    s: &TopicState,
) -> Result<Option<String>, crate::shared::steps::StepError> {
    pace(&quotas::GET_TOPIC_ATTRIBUTES).await;
    let out =
        x.c.sns
            .get_topic_attributes()
            .topic_arn(&s.arn)
            .send()
            .await
            .map_err(err("sns", "GetTopicAttributes", x.ep()))?;
    Ok(out
        .attributes()
        .and_then(|a| a.get("KmsMasterKeyId"))
        .filter(|k| !k.is_empty())
        .cloned())
}

async fn topic_exists(x: ApplyCtx<'_>, s: &TopicState) -> bool {
    x.c.sns
        .get_topic_attributes()
        .topic_arn(&s.arn)
        .send()
        .await
        .is_ok()
}

/// KmsMasterKeyId = the full key ARN (another account's key needs it).
async fn set_key(x: ApplyCtx<'_>, s: &TopicState) -> StepOutput {
    x.c.sns
        .set_topic_attributes()
        .topic_arn(&s.arn)
        .attribute_name("KmsMasterKeyId")
        .attribute_value(x.t.key.as_str())
        .send()
        .await
        .map_err(err("sns", "SetTopicAttributes", x.ep()))?;
    Ok(None)
}
