//! SQS: the tenant's queues, start to end. Observe (server-side encryption, the data-key reuse
//! period, the messages the queue holds, its policy, tags), plan (create under the key, or put an
//! existing queue on it in place), apply, status rows and revocation evidence.
//!
//! A queue takes "a custom KMS key—in your account or in another account" (SQS developer guide,
//! "Encryption at rest", Key terms; AWS's archived copy of the guide, June 2023, checked
//! 2026-12-02), named by its ARN. "A message is encrypted only if it is sent after the encryption
//! of a queue is enabled. Amazon SQS doesn't encrypt backlogged messages." (same page): the ones
//! already queued keep the encryption they were sent with until they are consumed or expire
//! (`SqsResource::Messages`).

mod apply;
mod evidence;
mod observe;
mod plan;
pub mod quotas;
mod status;

pub use apply::apply;
pub use evidence::{cached_path_check, evidence, role_check, watched_out, WATCH_REMEDY};
pub use observe::{observe_queue, QueueState};
pub use plan::{plan_queue, topic_statement_sid};
pub use status::queue_rows;

/// SQS's default data-key reuse period, in seconds (SQS API reference, CreateQueue:
/// `KmsDataKeyReusePeriodSeconds` "An integer representing seconds, between 60 seconds (1 minute)
/// and 86,400 seconds (24 hours). Default: 300 (5 minutes).").
pub const DEFAULT_REUSE_SECONDS: i64 = 300;

/// How long an attribute change may take to reach every SQS host (SQS API reference,
/// SetQueueAttributes: "When you change a queue's attributes, the change can take up to 60
/// seconds for most of the attributes to propagate throughout the Amazon SQS system."): messages
/// sent that long after the key was set may still have been encrypted the old way.
pub const PROPAGATION_SECONDS: i64 = 60;

#[cfg(test)]
mod tests;
