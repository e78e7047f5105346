//! A queue's `status` rows: its server-side encryption, and the messages it held when the key
//! reached it (they keep the encryption they were sent with until consumed or expired).

use super::observe::read_queue;
use super::PROPAGATION_SECONDS;
use crate::aws::Clients;
use crate::error::AwsError;
use crate::shared::clock;
use crate::shared::ids::{ResourceState, SqsResource};
use crate::shared::resource::{DataCopy, ResourceStatus};
use crate::shared::tenancy::Tenancy;

/// The rows of one queue. `since`: when the key reached the tenant's resources by the record
/// (`None` without a record of this key); `messages`: also the row of the messages that may
/// predate the key (and the queue's tags are read; the fleet view needs neither).
pub async fn queue_rows(
    c: &Clients,
    t: &Tenancy,
    name: &str,
    since: Option<i64>,
    messages: bool,
) -> Result<Vec<ResourceStatus>, AwsError> {
    let id = t
        .names
        .queues
        .iter()
        .find(|(_, n)| n == name)
        .map_or(name, |(id, _)| id.as_str());
    let q = read_queue(c, t, id, name, messages).await?;
    if !q.exists {
        return Ok(vec![ResourceStatus::of(
            SqsResource::Queue,
            name,
            &t.key,
            None,
            "the queue does not exist",
        )]);
    }
    let on_key = q.encryption.is_key(&t.key);
    let msg = if on_key {
        format!(
            "server-side encryption with the key; SQS may reuse a data key for up to {} s without calling KMS (KmsDataKeyReusePeriodSeconds): the longest a revocation takes to reach the queue",
            q.reuse_seconds
        )
    } else {
        format!("server-side encryption: {}", q.encryption.described())
    };
    let mut row = ResourceStatus::of(SqsResource::Queue, name, &t.key, Some(&q.encryption), msg)
        .status(format!("{} message(s)", q.messages));
    if on_key {
        row.data_key_reuse_seconds = Some(q.reuse_seconds);
    }
    let mut out = vec![row];
    // The key reached the queue no later than its attributes last changed: the later of the two
    // bounds which messages may predate it (a change made outside cmek, or a record not written).
    let since = match (since, q.last_modified) {
        (Some(s), Some(m)) => Some(s.max(m)),
        (s, m) => s.or(m),
    };
    if let Some(m) =
        messages_row(t, name, q.messages, q.retention_seconds, since, on_key).filter(|_| messages)
    {
        out.push(m);
    }
    Ok(out)
}

/// The messages a queue on the key may still hold from before it: SQS counts what the queue
/// holds (approximately: "For standard queues, the result is approximate": GetQueueAttributes),
/// not under which key. None are left once the queue is empty, or once the retention period has
/// passed since the key reached it (plus SetQueueAttributes' propagation).
pub(super) fn messages_row(
    t: &Tenancy,
    name: &str,
    messages: u64,
    retention: i64,
    since: Option<i64>,
    on_key: bool,
) -> Option<ResourceStatus> {
    if !on_key || messages == 0 {
        return None;
    }
    let now = clock::now() as i64;
    let mut until = None;
    let message = match since {
        Some(s) => {
            let sent_before = s + PROPAGATION_SECONDS;
            let gone_by = sent_before + retention;
            if now >= gone_by {
                return None;
            }
            until = Some(clock::rfc3339(gone_by.max(0) as u64));
            format!(
                "SQS counts {messages} message(s) in the queue (approximately); those sent before {} keep the encryption the queue had then until they are consumed, or until {} at the latest (the retention period of {retention} s)",
                clock::rfc3339(sent_before.max(0) as u64),
                clock::rfc3339(gone_by.max(0) as u64)
            )
        }
        None => format!(
            "SQS counts {messages} message(s) in the queue (approximately), and no record of this key says when it reached the queue: any sent before keep the encryption the queue had then until consumed, for at most the retention period of {retention} s"
        ),
    };
    let mut row = ResourceStatus::of(SqsResource::Messages, name, &t.key, None, message)
        .status(format!("{messages} message(s)"))
        .copy(DataCopy {
            remove: format!(
                "no command: they leave the queue as the application consumes them, or when the retention period ends ({}); cmek never purges a queue (that deletes tenant data)",
                until.as_deref().unwrap_or("at most the retention period from now")
            ),
            ..Default::default()
        });
    row.state = ResourceState::Drift;
    row.actual_key = "unknown".into();
    Some(row)
}
