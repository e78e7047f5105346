//! Carrying out a queue's steps. Each is idempotent: SetQueueAttributes and TagQueue set what
//! they set, and CreateQueue of a queue that exists with the same attributes returns it ("If you
//! provide the name of an existing queue along with the exact names and values of all the queue's
//! attributes, CreateQueue returns the queue URL for the existing queue": SQS API reference).

use std::collections::HashMap;

use aws_sdk_sqs::types::QueueAttributeName as A;

use super::plan::{merged_policy, policy_with_topics, wanted_reuse};
use super::QueueState;
use crate::shared::steps::{fail, ApplyCtx, Change, SqsStep, StepOutput};
use crate::shared::tenancy::err;

/// Applies one step of a queue's change.
pub async fn apply(
    x: ApplyCtx<'_>,
    queues: &[QueueState],
    ch: &Change,
    step: SqsStep,
) -> StepOutput {
    let Some(q) = ch
        .id
        .strip_prefix("queue:")
        .and_then(|id| queues.iter().find(|q| q.id == id))
    else {
        return Err(fail(format!("no observed queue for {}", ch.id)));
    };
    match step {
        SqsStep::CreateQueue => create(x, q).await,
        SqsStep::SetQueueEncryption => {
            let url = url_of(x, q).await?;
            set(x, &url, encryption(x, q)).await
        }
        SqsStep::AllowTopics => {
            // Read again just before writing: a statement added since the plan is kept.
            let now = super::observe::read_queue(x.c, x.t, &q.id, &q.name, false).await?;
            let url = url_of(x, &now).await?;
            let policy = merged_policy(now.policy.as_ref(), &now.arn, &x.t.topics_into(&q.id));
            set(x, &url, HashMap::from([(A::Policy, policy.to_string())])).await
        }
        SqsStep::SetReusePeriod => {
            let url = url_of(x, q).await?;
            let reuse = wanted_reuse(x.t, &q.id).to_string();
            set(
                x,
                &url,
                HashMap::from([(A::KmsDataKeyReusePeriodSeconds, reuse)]),
            )
            .await
        }
        SqsStep::TagQueue => {
            let url = url_of(x, q).await?;
            crate::shared::quota::pace(&super::quotas::TAGGING).await;
            x.c.sqs
                .tag_queue()
                .queue_url(url)
                .set_tags(Some(x.t.tags().into_iter().collect()))
                .send()
                .await
                .map_err(err("sqs", "TagQueue", x.ep()))?;
            Ok(None)
        }
    }
}

/// The encryption attributes: the full key ARN (cross-account use needs it) and the reuse period.
/// A queue on SSE-SQS is moved off it in the same call ("You can use one type of server-side
/// encryption (SSE) at one time": SQS developer guide, "Encryption at rest").
fn encryption(x: ApplyCtx<'_>, q: &QueueState) -> HashMap<A, String> {
    let mut a = HashMap::from([
        (A::KmsMasterKeyId, x.t.key.to_string()),
        (
            A::KmsDataKeyReusePeriodSeconds,
            wanted_reuse(x.t, &q.id).to_string(),
        ),
    ]);
    if q.encryption == crate::shared::tenancy::Encryption::SseSqs {
        a.insert(A::SqsManagedSseEnabled, "false".into());
    }
    a
}

async fn create(x: ApplyCtx<'_>, q: &QueueState) -> StepOutput {
    let mut attrs = encryption(x, q);
    attrs.remove(&A::SqsManagedSseEnabled);
    let topics = x.t.topics_into(&q.id);
    if !topics.is_empty() {
        attrs.insert(A::Policy, policy_with_topics(q, &topics).to_string());
    }
    let r =
        x.c.sqs
            .create_queue()
            .queue_name(&q.name)
            .set_attributes(Some(attrs.clone()))
            .set_tags(Some(x.t.tags().into_iter().collect()))
            .send()
            .await;
    match r {
        Ok(_) => Ok(None),
        // The queue appeared since it was observed, with other attributes: nothing is changed on a
        // queue this run has not read (its policy and tags may be someone else's); running enable
        // again plans from what it is.
        Err(e) if e.as_service_error().is_some_and(|s| s.is_queue_name_exists()) => Err(fail(format!(
            "queue {} appeared since it was read, with other attributes: nothing was changed on it; run enable again to plan from what it is",
            q.name
        ))),
        Err(e) => Err(err("sqs", "CreateQueue", x.ep())(e).into()),
    }
}

async fn url_of(
    x: ApplyCtx<'_>,
    q: &QueueState,
) -> Result<String, crate::shared::steps::StepError> {
    if !q.url.is_empty() {
        return Ok(q.url.clone());
    }
    let o =
        x.c.sqs
            .get_queue_url()
            .queue_name(&q.name)
            .queue_owner_aws_account_id(&x.t.account)
            .send()
            .await
            .map_err(err("sqs", "GetQueueUrl", x.ep()))?;
    Ok(o.queue_url().unwrap_or_default().to_string())
}

async fn set(x: ApplyCtx<'_>, url: &str, attrs: HashMap<A, String>) -> StepOutput {
    x.c.sqs
        .set_queue_attributes()
        .queue_url(url)
        .set_attributes(Some(attrs))
        .send()
        .await
        .map_err(err("sqs", "SetQueueAttributes", x.ep()))?;
    Ok(None)
}
