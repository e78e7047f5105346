//! Firehose's control-plane quota: five calls a second per operation, per account and Region.

use crate::shared::quota::{Basis, Quota};

const SOURCE: &str = "https://docs.aws.amazon.com/firehose/latest/dev/limits.html: \"Each of the following operations can provide up to five invocations per second, which is a hard limit\" (CreateDeliveryStream, DeleteDeliveryStream, DescribeDeliveryStream, ListDeliveryStreams, UpdateDestination, TagDeliveryStream, UntagDeliveryStream, ListTagsForDeliveryStream, StartDeliveryStreamEncryption, StopDeliveryStreamEncryption). No burst is documented: cmek sends one call at a time, 200 ms apart.";

const fn five(op: &'static [&'static str]) -> Quota {
    Quota {
        service: "firehose",
        operations: op,
        per_second: 5,
        burst: 1,
        basis: Basis::Documented,
        adjustable: false,
        source: SOURCE,
    }
}

/// DescribeDeliveryStream: one per stream in `status --all`, the floor of the fleet view.
pub static DESCRIBE_DELIVERY_STREAM: Quota = five(&["DescribeDeliveryStream"]);
/// ListTagsForDeliveryStream (enable's observe).
pub static LIST_TAGS_FOR_DELIVERY_STREAM: Quota = five(&["ListTagsForDeliveryStream"]);
/// CreateDeliveryStream.
pub static CREATE_DELIVERY_STREAM: Quota = five(&["CreateDeliveryStream"]);
/// StartDeliveryStreamEncryption.
pub static START_DELIVERY_STREAM_ENCRYPTION: Quota = five(&["StartDeliveryStreamEncryption"]);
/// UpdateDestination.
pub static UPDATE_DESTINATION: Quota = five(&["UpdateDestination"]);
/// TagDeliveryStream.
pub static TAG_DELIVERY_STREAM: Quota = five(&["TagDeliveryStream"]);

/// Every Firehose quota cmek paces.
pub static QUOTAS: &[&Quota] = &[
    &DESCRIBE_DELIVERY_STREAM,
    &LIST_TAGS_FOR_DELIVERY_STREAM,
    &CREATE_DELIVERY_STREAM,
    &START_DELIVERY_STREAM_ENCRYPTION,
    &UPDATE_DESTINATION,
    &TAG_DELIVERY_STREAM,
];
