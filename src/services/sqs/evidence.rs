//! What a queue shows about a revocation. No message is sent or received to prove anything: a
//! message is tenant data. SQS encrypts with data keys it may reuse without calling KMS for
//! `KmsDataKeyReusePeriodSeconds` ("The length of time, in seconds, for which Amazon SQS can reuse
//! a data key to encrypt or decrypt messages before calling AWS KMS again": SQS API reference,
//! SetQueueAttributes, checked 2026-12-02), and "When the data key reuse period ends, the next call
//! to SendMessage or SendMessageBatch typically triggers a call to the AWS KMS GenerateDataKey
//! method" (SQS developer guide, "Key management"). AWS states no bound after which a disabled
//! key stops a queue: that it does within the reuse period is inferred from those sentences, not
//! quoted (docs/revocation.md). So cmek says a queue is cut off only after watching the key stay
//! unusable for the reuse period (`revoke-check --watch-key`): KMS does not say when a key was
//! disabled.

use crate::shared::ids::{CheckId, Cut, Cutoff, ResourceState, SqsResource};
use crate::shared::report::{Check, Status};
use crate::shared::resource::ResourceStatus;

/// What revoke-check says to do when a path with a data-key cache has not been watched long enough.
pub const WATCH_REMEDY: &str = "run `cmek revoke-check --watch-key` with the key still off: it reads the key every few seconds for the longest data-key reuse period of the tenant's queues and topics, and passes them only if the key stayed unusable throughout";

/// Whether the key was watched unusable for at least `reuse` seconds.
pub fn watched_out(cut: &Cut<'_>, reuse: i64) -> bool {
    cut.unusable_for
        .is_some_and(|s| i64::try_from(s).unwrap_or(i64::MAX) >= reuse)
}

/// A cached-data-key path (a queue or a topic) on the key: its check by what is known of the cut.
pub fn cached_path_check(id: CheckId, r: &ResourceStatus, cut: &Cut<'_>, service: &str) -> Check {
    let reuse = r.data_key_reuse_seconds.unwrap_or(300);
    let watched = watched_out(cut, reuse);
    let seen = cut.unusable_for.unwrap_or(0);
    match cut.cutoff {
        Cutoff::None => Check::new(
            id,
            Status::Pass,
            &r.resource,
            format!("server-side encryption with the key: once the key is disabled, {service} can go on with a data key it already holds for at most {reuse} s"),
        ),
        Cutoff::KeyUnusable if watched => Check::new(
            id,
            Status::Pass,
            &r.resource,
            format!("the key was {} at every read for {seen} s, longer than the {reuse} s {service} may reuse a data key: a data key {service} held when the key became unusable has expired by now, and KMS gives it no new one (inferred from the documented reuse period, not observed: cmek sends and receives nothing; a key usable between two reads, or a longer reuse period set shortly before, is not covered)", cut.key_state),
        ),
        // A key policy that refuses Speedscale may still let it through SQS or SNS (the tenant
        // template has a statement of their own): nothing cmek reads shows that path refused.
        Cutoff::RefusedToSpeedscale => Check::new(
            id,
            Status::Fail,
            &r.resource,
            format!("the key policy refuses Speedscale's direct use, but nothing shows that it refuses Speedscale's use of it through {service} (cmek sends and receives nothing: that would be tenant data), and the key is not disabled"),
        )
        .remedy(format!("the customer disables the key (aws kms disable-key --key-id {}), then `cmek revoke-check --watch-key`", r.expected_key)),
        Cutoff::KeyUnusable => Check::new(
            id,
            Status::Fail,
            &r.resource,
            format!("not shown cut off yet: {service} may go on with a data key it fetched before the key became unusable for up to {reuse} s, and {} (cmek sends and receives nothing to find out: that would be tenant data)", match cut.unusable_for {
                Some(s) => format!("the key was watched unusable for {s} s only"),
                None => "KMS does not say when the key was disabled".into(),
            }),
        )
        .remedy(WATCH_REMEDY),
    }
}

/// A queue's or topic's role (producer, consumer, publisher): its own permission on the key decides
/// whether its calls work, not whether a copy sits outside the key, so never a failure.
pub fn role_check(r: &ResourceStatus, cut: &Cut<'_>) -> Check {
    let ok = matches!(r.state, ResourceState::Ok | ResourceState::Stopped);
    let message = match (ok, cut.cutoff) {
        (true, Cutoff::None) => format!("{}: once the key is disabled or the key policy stops allowing Speedscale, its calls get no data key", r.message),
        (true, Cutoff::KeyUnusable) => format!("{}; the key is {}, so KMS gives it no data key", r.message, cut.key_state),
        (true, Cutoff::RefusedToSpeedscale) => format!("{}; its own permission is Speedscale's side only: whether its calls are refused is the queue's or topic's check", r.message),
        (false, _) => format!("{} (not a copy outside the key: its calls are what fail)", r.message),
    };
    let c = Check::new(
        CheckId::RevokeRolePermission,
        if ok { Status::Pass } else { Status::Warn },
        &r.resource,
        message,
    );
    if ok {
        c
    } else {
        c.remedy("run `cmek enable` (producers_policy = \"managed\") or give the role the statement in its `status` row (\"external\")")
    }
}

/// The evidence of an SQS `status` row.
pub fn evidence(kind: SqsResource, r: &ResourceStatus, cut: &Cut<'_>) -> Check {
    match (kind, r.state) {
        (SqsResource::Queue, ResourceState::Missing) => Check::new(
            CheckId::RevokeSqsQueue,
            Status::Warn,
            &r.resource,
            "the queue does not exist",
        ),
        (SqsResource::Queue, ResourceState::Ok | ResourceState::Stopped) => {
            cached_path_check(CheckId::RevokeSqsQueue, r, cut, "SQS")
        }
        (SqsResource::Queue, ResourceState::Drift | ResourceState::Unencrypted) => r
            .gap(CheckId::RevokeSqsQueue, "the queue's server-side encryption")
            .remedy("run `cmek enable` to put the queue on the key"),
        (SqsResource::Producer | SqsResource::Consumer, _) => role_check(r, cut),
        (SqsResource::Messages, _) => Check::new(
            CheckId::RevokeSqsMessages,
            Status::Fail,
            &r.resource,
            format!("{}: those do not depend on the key", r.message),
        )
        .remedy("let the consumers drain the queue, or wait for the retention period to pass (cmek never purges a queue: that deletes tenant data)"),
    }
}
