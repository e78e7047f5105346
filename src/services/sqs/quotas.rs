//! SQS's request rates for the reads cmek makes of a queue. SQS documents rates for messages, not
//! for queue attributes: cmek assumes one, far from anything SQS says of its other actions.

use crate::shared::quota::{Basis, Quota};

/// GetQueueUrl and GetQueueAttributes: once per tenant queue in `status`.
pub static QUEUE_READS: Quota = Quota {
    service: "sqs",
    operations: &["GetQueueUrl", "GetQueueAttributes"],
    per_second: 100,
    burst: 10,
    basis: Basis::Assumed,
    adjustable: true,
    source: "assumed: SQS documents no rate for GetQueueUrl or GetQueueAttributes; of the others it says \"Standard queues support a very high, nearly unlimited number of API calls per second, per action (SendMessage, ReceiveMessage, or DeleteMessage)\" (SQS developer guide, \"Amazon SQS message quotas\", checked 2026-12-02). 100 a second is cmek's own ceiling.",
};

/// ListQueueTags, TagQueue: SQS's tagging actions.
pub static TAGGING: Quota = Quota {
    service: "sqs",
    operations: &["ListQueueTags", "TagQueue"],
    per_second: 5,
    burst: 1,
    basis: Basis::Assumed,
    adjustable: false,
    source: "assumed from a truncated quote: \"Tagging actions are limited to 5 ...\" (SQS developer guide, \"Quotas related to queues\"; the stored copy, checked 2026-12-02, ends there, so the unit is not read: taken as 5 a second per account)",
};

/// Every SQS quota cmek paces.
pub static QUOTAS: &[&Quota] = &[&QUEUE_READS, &TAGGING];
