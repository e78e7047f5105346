//! A topic's change: create it under the key, or put an existing one on the key in place
//! (`SetTopicAttributes`), subscribe the tenant's queues it delivers to, tag it.

use super::TopicState;
use crate::shared::ids::NoteId;
use crate::shared::steps::{Change, Kind, SnsStep};
use crate::shared::tenancy::Tenancy;

/// The queue ARNs the environment has topic `id` deliver to.
pub(super) fn wanted_queues(t: &Tenancy, id: &str) -> Vec<String> {
    let Some(spec) = t.env.topics.iter().find(|s| s.id == id) else {
        return vec![];
    };
    t.names
        .queues
        .iter()
        .filter(|(qid, _)| spec.queues.contains(qid))
        .map(|(_, name)| t.queue_arn(name))
        .collect()
}

/// The topic's change.
pub fn plan_topic(t: &Tenancy, s: &TopicState) -> Change {
    let mut c = Change::new(format!("topic:{}", s.id), Kind::SnsTopic, &s.name);
    let queues = wanted_queues(t, &s.id);
    let mut why = vec![];
    if !queues.is_empty() {
        c.note(
            NoteId::SnsDeliveryNeedsKeyPolicy,
            "the topic delivers to queues under the key: SNS itself must be allowed kms:GenerateDataKey* and kms:Decrypt on it (the template's SnsDeliversToSpeedscaleQueues statement), or SNS cannot deliver",
        );
    }
    if !s.exists {
        c.step(SnsStep::CreateTopic);
        if !queues.is_empty() {
            c.step(SnsStep::SubscribeQueues);
        }
        return c.settle(true, vec!["the topic does not exist".into()]);
    }
    if !s.encryption.is_key(&t.key) {
        c.step(SnsStep::SetTopicEncryption);
        why.push(format!(
            "the topic is encrypted with {}",
            s.encryption.described()
        ));
    }
    if queues.iter().any(|q| !s.queues.contains(q)) {
        c.step(SnsStep::SubscribeQueues);
        why.push("a tenant queue it delivers to is not subscribed".into());
    }
    if t.tags_missing(&s.tags) {
        c.step(SnsStep::TagTopic);
        why.push("tags missing".into());
    }
    c.settle(false, why)
}
