//! SNS: the tenant's topics, start to end. Observe (server-side encryption, the queues it delivers
//! to, tags), plan (create under the key, or put an existing topic on it in place), apply, status
//! rows and revocation evidence.
//!
//! SNS encrypts a topic's messages with "a custom AWS KMS [sic]—in your account or in another account"
//! (SNS developer guide, "Encryption at rest", Key terms; AWS's archived copy, December 2022,
//! checked 2026-12-02), named by its ARN. A topic that delivers to an encrypted queue needs the
//! key policy to let SNS itself use the key (the template's `SnsDeliversToSpeedscaleQueues`): the
//! SQS developer guide's "Configure KMS permissions for AWS services" has the service principal
//! allowed `kms:GenerateDataKey` and `kms:Decrypt` in the key policy.

mod apply;
mod observe;
mod plan;
pub mod quotas;
mod status;

pub use apply::apply;
pub use observe::{observe_topic, TopicState};
pub use plan::plan_topic;
pub use status::{evidence, topic_rows};

/// How long SNS may reuse a data key, in seconds ("Amazon SNS reuses a data key for up to 5
/// minutes": SNS developer guide, "Key management", checked 2026-12-02); it cannot be set.
pub const REUSE_SECONDS: i64 = 300;

#[cfg(test)]
mod tests;
