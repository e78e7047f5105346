//! SNS's request rates for the reads cmek makes of a topic (SNS throttles "for each AWS account
//! and Region": re:Post, "ThrottlingException errors in Amazon SNS").

use crate::shared::quota::{Basis, Quota};

/// GetTopicAttributes: once per tenant topic in `status`.
pub static GET_TOPIC_ATTRIBUTES: Quota = Quota {
    service: "sns",
    operations: &["GetTopicAttributes"],
    per_second: 30,
    burst: 3,
    basis: Basis::Assumed,
    adjustable: true,
    source: "assumed: the per-action table of \"Amazon SNS endpoints and quotas\" was not reachable in any stored copy (checked 2026-12-02); 30 a second, ListSubscriptionsByTopic's documented figure, the lowest among the reads cmek makes",
};

/// ListSubscriptionsByTopic.
pub static LIST_SUBSCRIPTIONS_BY_TOPIC: Quota = Quota {
    service: "sns",
    operations: &["ListSubscriptionsByTopic"],
    per_second: 30,
    burst: 3,
    basis: Basis::Documented,
    adjustable: true,
    source: "https://docs.aws.amazon.com/sns/latest/api/API_ListSubscriptionsByTopic.html: \"This action is throttled at 30 transactions per second (TPS).\" (checked 2026-12-02) The burst is not documented: cmek lets a tenth of a second's worth go at once.",
};

/// ListTagsForResource (and TagResource): SNS's tagging actions.
pub static TAGGING: Quota = Quota {
    service: "sns",
    operations: &["ListTagsForResource", "TagResource"],
    per_second: 10,
    burst: 1,
    basis: Basis::Documented,
    adjustable: true,
    source: "https://docs.aws.amazon.com/sns/latest/api/API_TagResource.html: \"Tagging actions are limited to 10 TPS per Amazon Web Services account, per Amazon Web Services Region.\" (checked 2026-12-02; ListTagsForResource taken as a tagging action). The burst is not documented: one call at once.",
};

/// Subscribe (enable, a tenant queue to its topic).
pub static SUBSCRIBE: Quota = Quota {
    service: "sns",
    operations: &["Subscribe"],
    per_second: 100,
    burst: 10,
    basis: Basis::Documented,
    adjustable: true,
    source: "https://docs.aws.amazon.com/sns/latest/api/API_Subscribe.html: \"This action is throttled at 100 transactions per second (TPS).\" (checked 2026-12-02) The burst is not documented: cmek lets a tenth of a second's worth go at once.",
};

/// Every SNS quota cmek paces.
pub static QUOTAS: &[&Quota] = &[
    &GET_TOPIC_ATTRIBUTES,
    &LIST_SUBSCRIPTIONS_BY_TOPIC,
    &TAGGING,
    &SUBSCRIBE,
];
