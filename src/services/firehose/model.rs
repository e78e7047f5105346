//! Which rule lets records into a stream under a customer key, by the stream's creation time.
//!
//! AWS's notice to Firehose customers ("[Action May Be Required]", quoted in public issue trackers,
//! e.g. ministryofjustice/modernisation-platform#12957; read 2026-12-01): "Starting April 20, 2026,
//! all new delivery streams with server-side encryption using customer-managed KMS keys (SSE-CMK)
//! will require PutRecord and PutRecordBatch API callers to have kms:GenerateDataKey and
//! kms:Decrypt permissions. [...] For existing delivery streams created before April 20, 2026,
//! you have until February 28, 2027 to update your IAM policies". The notice gives dates, not
//! times or a time zone. Under the caller rule a key policy that refuses Speedscale can count as a
//! cut-off (revoke-check), so cmek never puts a stream under it before AWS could have: a stream
//! counts as new only when created from 2026-04-21T00:00Z (April 20 has begun everywhere by
//! 2026-04-20T12:00Z), and every stream from 2027-03-02T00:00Z (February 28 has ended everywhere by
//! 2027-03-01T12:00Z). Producers get their permission whatever the rule (`iam/producer.rs`), so the
//! margin never leaves one without it.

use crate::shared::ids::StreamModel;

/// 2026-04-21T00:00:00Z: streams created from then on follow the caller-permission rule (the
/// notice's 2026-04-20, past its last time zone).
pub const CALLER_RULE_NEW_STREAMS: i64 = 1_776_729_600;

/// 2027-03-02T00:00:00Z: from then on every stream does (the notice's 2027-02-28, past its last
/// time zone).
pub const CALLER_RULE_ALL_STREAMS: i64 = 1_803_945_600;

/// The dates, for messages.
pub const NEW_STREAMS_DATE: &str = "2026-04-20";
/// The date every stream changes, for messages.
pub const ALL_STREAMS_DATE: &str = "2027-02-28";

/// The stream's model at `now` (Unix seconds), from its `CreateTimestamp`. A stream whose creation
/// time Firehose did not report is taken to be under the grant rule until every stream is under
/// the caller rule: for revocation the grant rule is the one under which a key policy change cuts
/// nothing, so no verdict rests on a guess in the customer's favour.
pub fn model_of(created: Option<i64>, now: i64) -> StreamModel {
    match created {
        _ if now >= CALLER_RULE_ALL_STREAMS => StreamModel::CallerPermission,
        Some(c) if c >= CALLER_RULE_NEW_STREAMS => StreamModel::CallerPermission,
        Some(_) | None => StreamModel::Grant,
    }
}

/// One sentence on the model, for `status`.
pub fn model_sentence(model: StreamModel, created: Option<&str>) -> String {
    let created = match created {
        Some(c) => format!("created {c}"),
        None => "creation time not reported".into(),
    };
    match model {
        StreamModel::CallerPermission => format!(
            "caller-permission rule ({created}): each producer needs its own kms:GenerateDataKey and kms:Decrypt on the key"
        ),
        StreamModel::Grant => format!(
            "grant rule until {ALL_STREAMS_DATE} ({created}; streams created from {NEW_STREAMS_DATE} are under the caller-permission rule): Firehose encrypts through its own grant; from {ALL_STREAMS_DATE} each producer needs its own permission on the key"
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const DAY: i64 = 86_400;

    #[test]
    fn the_creation_time_and_the_clock_choose_the_rule() {
        let today = 1_796_083_200; // 2026-12-01
        assert_eq!(
            model_of(Some(CALLER_RULE_NEW_STREAMS), today),
            StreamModel::CallerPermission
        );
        assert_eq!(
            model_of(Some(CALLER_RULE_NEW_STREAMS - 1), today),
            StreamModel::Grant
        );
        // On 2026-04-20 itself (any hour): the grant rule, since AWS's cut-over time is unknown.
        assert_eq!(
            model_of(Some(1_776_643_200 + 23 * 3600), today),
            StreamModel::Grant
        );
        assert_eq!(model_of(None, today), StreamModel::Grant);
        // From 2027-03-02 (past 2027-02-28 everywhere) every stream, whenever created.
        assert_eq!(
            model_of(Some(0), CALLER_RULE_ALL_STREAMS - 1),
            StreamModel::Grant
        );
        assert_eq!(
            model_of(Some(0), CALLER_RULE_ALL_STREAMS),
            StreamModel::CallerPermission
        );
        assert_eq!(
            model_of(None, CALLER_RULE_ALL_STREAMS + DAY),
            StreamModel::CallerPermission
        );
        // The constants are the dates they name.
        assert_eq!(
            crate::shared::clock::rfc3339(CALLER_RULE_NEW_STREAMS as u64),
            "2026-04-21T00:00:00Z"
        );
        assert_eq!(
            crate::shared::clock::rfc3339(CALLER_RULE_ALL_STREAMS as u64),
            "2027-03-02T00:00:00Z"
        );
        assert!(
            model_sentence(StreamModel::Grant, Some("2026-01-05T00:00:00Z"))
                .contains("until 2027-02-28")
        );
        assert!(!model_sentence(StreamModel::Grant, None).contains("before"));
    }
}
