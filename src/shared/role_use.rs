//! What a role of the platform does on a tenant data path, and so which permission on the customer
//! key it needs and under which name cmek writes it. Firehose's producers need their own
//! permission under its caller rule; SQS's producers and consumers and SNS's publishers always do:
//! "the producer must have the kms:GenerateDataKey and kms:Decrypt permissions for the KMS key",
//! "the consumer must have the kms:Decrypt permission for any KMS key that is used to encrypt the
//! messages in the specified queue" (SQS developer guide, "Key management"), "The publisher must
//! have the kms:GenerateDataKey and kms:Decrypt permissions for the AWS KMS key" (SNS developer
//! guide, "Key management"; AWS's archived copies of both guides, checked 2026-12-02).

use serde::Serialize;

use super::kinds::{FirehoseResource, ResourceKind, SnsResource, SqsResource};

/// A role's use of a tenant path.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum RoleUse {
    /// Calls PutRecord and PutRecordBatch on a stream.
    StreamProducer,
    /// Sends to a queue.
    QueueProducer,
    /// Receives from a queue.
    QueueConsumer,
    /// Publishes to a topic.
    TopicPublisher,
}

const PRODUCE: &[&str] = &["kms:GenerateDataKey", "kms:Decrypt"];
const CONSUME: &[&str] = &["kms:Decrypt"];

impl RoleUse {
    /// The service that uses the key for the role (its `kms:ViaService` prefix).
    pub fn service(self) -> &'static str {
        match self {
            RoleUse::StreamProducer => "firehose",
            RoleUse::QueueProducer | RoleUse::QueueConsumer => "sqs",
            RoleUse::TopicPublisher => "sns",
        }
    }

    /// The service's name, for sentences.
    pub fn service_name(self) -> &'static str {
        match self {
            RoleUse::StreamProducer => "Firehose",
            RoleUse::QueueProducer | RoleUse::QueueConsumer => "SQS",
            RoleUse::TopicPublisher => "SNS",
        }
    }

    /// What the path is, for sentences.
    pub fn path(self) -> &'static str {
        match self {
            RoleUse::StreamProducer => "stream",
            RoleUse::QueueProducer | RoleUse::QueueConsumer => "queue",
            RoleUse::TopicPublisher => "topic",
        }
    }

    /// The actions it needs on the key (AWS's words).
    pub fn actions(self) -> &'static [&'static str] {
        match self {
            RoleUse::QueueConsumer => CONSUME,
            RoleUse::StreamProducer | RoleUse::QueueProducer | RoleUse::TopicPublisher => PRODUCE,
        }
    }

    /// "producer", "consumer" or "publisher".
    pub fn word(self) -> &'static str {
        match self {
            RoleUse::StreamProducer | RoleUse::QueueProducer => "producer",
            RoleUse::QueueConsumer => "consumer",
            RoleUse::TopicPublisher => "publisher",
        }
    }

    /// The plan change id prefix: `<prefix><path id>:<role ARN>` (path ids hold no `:`).
    pub fn change_prefix(self) -> &'static str {
        match self {
            RoleUse::StreamProducer => "producer:",
            RoleUse::QueueProducer => "sqs-producer:",
            RoleUse::QueueConsumer => "sqs-consumer:",
            RoleUse::TopicPublisher => "sns-publisher:",
        }
    }

    /// The inline policy cmek writes on the role for one tenant's path.
    pub fn policy_name(self, tenant: &str, path_id: &str) -> String {
        format!("cmek-{}-{}-{tenant}-{path_id}", self.service(), self.word())
    }

    /// The kind of its `status` row.
    pub fn kind(self) -> ResourceKind {
        match self {
            RoleUse::StreamProducer => FirehoseResource::Producer.into(),
            RoleUse::QueueProducer => SqsResource::Producer.into(),
            RoleUse::QueueConsumer => SqsResource::Consumer.into(),
            RoleUse::TopicPublisher => SnsResource::Publisher.into(),
        }
    }

    /// The use and the path id of a change id this module made.
    pub fn of_change(id: &str) -> Option<(RoleUse, &str)> {
        [
            RoleUse::StreamProducer,
            RoleUse::QueueProducer,
            RoleUse::QueueConsumer,
            RoleUse::TopicPublisher,
        ]
        .into_iter()
        .find_map(|u| {
            let rest = id.strip_prefix(u.change_prefix())?;
            Some((u, rest.split_once(':')?.0))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_change_ids_round_trip() {
        assert_eq!(
            RoleUse::StreamProducer.policy_name("acme", "events"),
            "cmek-firehose-producer-acme-events"
        );
        assert_eq!(
            RoleUse::QueueConsumer.policy_name("acme", "capture"),
            "cmek-sqs-consumer-acme-capture"
        );
        assert_eq!(RoleUse::QueueConsumer.actions(), ["kms:Decrypt"]);
        assert_eq!(
            RoleUse::of_change("sns-publisher:events:arn:aws:iam::1:role/x"),
            Some((RoleUse::TopicPublisher, "events"))
        );
        assert_eq!(
            RoleUse::of_change("producer:events:arn:aws:iam::1:role/x"),
            Some((RoleUse::StreamProducer, "events"))
        );
    }
}
