//! A queue's change: create it under the key, or put an existing one on the key in place
//! (`SetQueueAttributes`), let the tenant's topics deliver to it, tag it.

use serde_json::{json, Value};

use super::QueueState;
use crate::shared::ids::NoteId;
use crate::shared::steps::{Change, Kind, SqsStep};
use crate::shared::tenancy::Tenancy;

/// The Sid of the queue-policy statement that lets the tenant's topics send to the queue.
pub fn topic_statement_sid() -> &'static str {
    "SpeedscaleTenantTopicsSend"
}

/// The data-key reuse period the environment asks for queue `id`.
pub(super) fn wanted_reuse(t: &Tenancy, id: &str) -> i64 {
    t.env
        .queues
        .iter()
        .find(|q| q.id == id)
        .map_or(super::DEFAULT_REUSE_SECONDS, |q| {
            i64::from(q.data_key_reuse_seconds)
        })
}

/// The statement that lets SNS deliver the tenant's topics to the queue, and nothing else:
/// `sqs:SendMessage` for the `sns.amazonaws.com` service principal, bound to the topics by
/// `aws:SourceArn` (the shape of the queue policy in the SNS developer guide's "Subscribing an
/// Amazon SQS queue to an Amazon SNS topic"; not quoted here: the stored copy of that page,
/// checked 2026-12-02, ends before the example. The SQS developer guide, "Key management", does
/// list SNS among the services that send `aws:SourceArn`).
pub(super) fn topic_statement(queue_arn: &str, topics: &[String]) -> Value {
    json!({
        "Sid": topic_statement_sid(),
        "Effect": "Allow",
        "Principal": { "Service": "sns.amazonaws.com" },
        "Action": "sqs:SendMessage",
        "Resource": queue_arn,
        "Condition": { "ArnEquals": { "aws:SourceArn": topics } }
    })
}

/// The queue policy with cmek's statement put in (every other statement, and every other key of
/// the document, kept as it is).
pub(super) fn policy_with_topics(q: &QueueState, topics: &[String]) -> Value {
    merged_policy(q.policy.as_ref(), &q.arn, topics)
}

/// `policy` (the queue's, as read) with cmek's statement put in.
pub(super) fn merged_policy(policy: Option<&Value>, queue_arn: &str, topics: &[String]) -> Value {
    let mut statements: Vec<Value> = policy
        .and_then(|p| p.get("Statement"))
        .map(|s| match s {
            Value::Array(a) => a.clone(),
            one => vec![one.clone()],
        })
        .unwrap_or_default()
        .into_iter()
        .filter(|s| s.get("Sid").and_then(Value::as_str) != Some(topic_statement_sid()))
        .collect();
    statements.push(topic_statement(queue_arn, topics));
    let mut doc = match policy {
        Some(Value::Object(o)) => Value::Object(o.clone()),
        _ => json!({ "Version": "2012-10-17" }),
    };
    doc["Statement"] = Value::Array(statements);
    doc
}

/// Whether the queue policy already has cmek's statement for exactly these topics.
fn topics_allowed(q: &QueueState, topics: &[String]) -> bool {
    let want = topic_statement(&q.arn, topics);
    q.policy
        .as_ref()
        .and_then(|p| p.get("Statement"))
        .is_some_and(|s| match s {
            Value::Array(a) => a.contains(&want),
            one => *one == want,
        })
}

/// The queue's change.
pub fn plan_queue(t: &Tenancy, q: &QueueState) -> Change {
    let mut c = Change::new(format!("queue:{}", q.id), Kind::SqsQueue, &q.name);
    let topics = t.topics_into(&q.id);
    let reuse = wanted_reuse(t, &q.id);
    let mut why = vec![];
    if !q.exists {
        c.step(SqsStep::CreateQueue);
        return c.settle(true, vec!["the queue does not exist".into()]);
    }
    if !q.encryption.is_key(&t.key) {
        c.step(SqsStep::SetQueueEncryption);
        why.push(format!(
            "the queue is encrypted with {}",
            q.encryption.described()
        ));
        c.note(
            NoteId::SqsMessagesKeepOldKey,
            format!(
                "only messages sent after the change are under the key: the {} message(s) SQS counts in the queue now (approximately) stay under {} until they are consumed, or for at most the queue's retention period ({} s), and revoke-check reports them until then",
                q.messages,
                q.encryption.described(),
                q.retention_seconds
            ),
        );
    } else if q.reuse_seconds != reuse {
        // Not a key change: the record's key_since stays (nothing was off the key before).
        c.step(SqsStep::SetReusePeriod);
        why.push(format!(
            "SQS reuses a data key for {} s, and the environment asks for {reuse} s",
            q.reuse_seconds
        ));
    }
    if !topics.is_empty() && !topics_allowed(q, &topics) {
        c.step(SqsStep::AllowTopics);
        why.push("the queue policy does not let the tenant's topics deliver to it".into());
    }
    if t.tags_missing(&q.tags) {
        c.step(SqsStep::TagQueue);
        why.push("tags missing".into());
    }
    c.settle(false, why)
}
