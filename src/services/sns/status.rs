//! A topic's `status` row and its revocation evidence. No message is published to prove anything:
//! a message is tenant data. SNS may reuse a data key for up to five minutes, so a key that became
//! unusable cuts the topic off within that time; cmek says it did only after watching the key stay
//! unusable that long (`revoke-check --watch-key`).

use super::observe::read_topic;
use super::REUSE_SECONDS;
use crate::aws::Clients;
use crate::error::AwsError;
use crate::services::sqs::{cached_path_check, role_check};
use crate::shared::ids::{CheckId, Cut, ResourceState, SnsResource};
use crate::shared::report::{Check, Status};
use crate::shared::resource::ResourceStatus;
use crate::shared::tenancy::Tenancy;

/// The row of one topic.
pub async fn topic_rows(
    c: &Clients,
    t: &Tenancy,
    name: &str,
    full: bool,
) -> Result<Vec<ResourceStatus>, AwsError> {
    let id = t
        .names
        .topics
        .iter()
        .find(|(_, n)| n == name)
        .map_or(name, |(id, _)| id.as_str());
    let s = read_topic(c, t, id, name, full).await?;
    if !s.exists {
        return Ok(vec![ResourceStatus::of(
            SnsResource::Topic,
            name,
            &t.key,
            None,
            "the topic does not exist",
        )]);
    }
    let on_key = s.encryption.is_key(&t.key);
    let msg = if on_key {
        format!("server-side encryption with the key; SNS may reuse a data key for up to {REUSE_SECONDS} s without calling KMS: the longest a revocation takes to reach the topic")
    } else {
        format!("server-side encryption: {}", s.encryption.described())
    };
    let mut row = ResourceStatus::of(SnsResource::Topic, name, &t.key, Some(&s.encryption), msg);
    if full {
        row = row.status(format!("{} queue subscription(s)", s.queues.len()));
    }
    if on_key {
        row.data_key_reuse_seconds = Some(REUSE_SECONDS);
    }
    Ok(vec![row])
}

/// The evidence of an SNS `status` row.
pub fn evidence(kind: SnsResource, r: &ResourceStatus, cut: &Cut<'_>) -> Check {
    match (kind, r.state) {
        (SnsResource::Topic, ResourceState::Missing) => Check::new(
            CheckId::RevokeSnsTopic,
            Status::Warn,
            &r.resource,
            "the topic does not exist",
        ),
        (SnsResource::Topic, ResourceState::Ok | ResourceState::Stopped) => {
            cached_path_check(CheckId::RevokeSnsTopic, r, cut, "SNS")
        }
        (SnsResource::Publisher, _) => role_check(r, cut),
        (SnsResource::Topic, ResourceState::Drift | ResourceState::Unencrypted) => r
            .gap(
                CheckId::RevokeSnsTopic,
                "the topic's server-side encryption",
            )
            .remedy("run `cmek enable` to put the topic on the key"),
    }
}
