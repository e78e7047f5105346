//! The plan and the `status` rows of the roles of a tenant's paths (stream producers, queue
//! producers and consumers, topic publishers): what [`super::producer`] observed, turned into a
//! change and a row.

use super::producer::{
    observe_producer, producers_on_key, role_policy_kept, role_statement, ProducerState, Standing,
    PRODUCER_TAG,
};
use crate::aws::Clients;
use crate::environment::ProducersPolicy;
use crate::error::AwsError;
use crate::shared::resource::ResourceStatus;
use crate::shared::role_use::RoleUse;
use crate::shared::steps::{Action, Change, IamStep, Kind};
use crate::shared::tenancy::{Encryption, Tenancy};

/// A role's change: nothing, its policy written (`managed`), or a blocked plan naming what is wrong
/// and what to do. `path` is the stream's, queue's or topic's name; `old_key` the customer key it
/// is on now, when that is not the tenant's key (a key change: [`producer_policy`]).
pub fn plan_producer(t: &Tenancy, p: &ProducerState, path: &str, old_key: Option<&str>) -> Change {
    let u = p.role_use;
    let kind = match u {
        RoleUse::StreamProducer => Kind::FirehoseProducer,
        RoleUse::QueueProducer | RoleUse::QueueConsumer => Kind::QueueRole,
        RoleUse::TopicPublisher => Kind::TopicRole,
    };
    let mut c = Change::new(
        format!("{}{}:{}", u.change_prefix(), p.stream_id, p.role_arn),
        kind,
        &p.role_arn,
    );
    let arn = &p.role_arn;
    let (word, what, svc) = (u.word(), u.path(), u.service_name());
    let via = format!("{}.<region>", u.service());
    let refused = match u {
        RoleUse::StreamProducer => format!("every PutRecord it makes to {path} would be refused"),
        RoleUse::QueueProducer => format!("every message it sends to {path} would be refused"),
        RoleUse::QueueConsumer => format!("it could receive no message from {path}"),
        RoleUse::TopicPublisher => format!("every message it publishes to {path} would be refused"),
    };
    let policy_name = p.policy_name(t);
    let statement = role_statement(t, u);
    let why = match p.standing(t) {
        Standing::Foreign => format!("{word} {arn} of {what} {path} is not in the environment's account {}: cmek neither manages nor checks another account's roles, and the customer's key policy allows Speedscale's account only", t.account),
        Standing::Missing => format!("{word} {arn} of {what} {path} does not exist: create the role, or remove it from the {what}'s {word}s in the environment"),
        Standing::Untagged => format!("{word} {arn} of {what} {path} is not tagged {}={}: cmek writes these policies only on roles the platform tagged for it (its IAM policy allows nothing else); tag the role, or set producers_policy = \"external\" and give it this statement yourself: {statement}", PRODUCER_TAG.0, PRODUCER_TAG.1),
        Standing::Denied(denied) => format!("{word} {arn} may not use the key through {svc} ({} not allowed, by IAM's policy simulator), so {refused}: the platform adds this statement to the role (producers_policy = \"external\"): {statement}", denied.join(", ")),
        Standing::NoPolicy | Standing::OtherKey(_) | Standing::Permitted
            if p.mode == ProducersPolicy::Managed
                && p.policy.as_ref() != Some(&role_policy_kept(t, u, old_key, p.policy.as_ref())) =>
        {
            c.step(IamStep::PutProducerPolicy);
            let why = match (p.standing(t), old_key) {
                (_, Some(old)) => format!("the {what} moves to the key from {old}: the {word} may use both until it is on the key (a later run drops the old one)"),
                (Standing::NoPolicy, None) => format!("it may not use the key yet ({} on it through {via}), so {refused}", u.actions().join(" and ")),
                _ => format!("its permission on the key ({policy_name}) is not the one for this key alone"),
            };
            return c.settle(false, vec![why]);
        }
        Standing::NoPolicy | Standing::OtherKey(_) | Standing::Permitted => {
            c.reason = format!("may use the key through {svc}");
            return c;
        }
    };
    c.action = Action::Blocked;
    c.reason = why;
    c
}

/// The `status` rows of the roles of the streams, queues and topics named (as the record or the
/// environment list them) that need permission on the key. Read concurrently: a tenant has a
/// handful.
pub async fn producer_rows(
    c: &Clients,
    t: &Tenancy,
    paths: (&[String], &[String], &[String]),
) -> Result<Vec<ResourceStatus>, AwsError> {
    let (streams, queues, topics) = paths;
    let n = &t.names;
    let name_of = |u: RoleUse, id: &str| -> Option<String> {
        match u {
            RoleUse::StreamProducer => n
                .streams
                .iter()
                .find(|s| s.0 == id)
                .map(|s| s.1.clone())
                .filter(|s| streams.contains(s)),
            RoleUse::QueueProducer | RoleUse::QueueConsumer => n
                .queues
                .iter()
                .find(|s| s.0 == id)
                .map(|s| s.1.clone())
                .filter(|s| queues.contains(s)),
            RoleUse::TopicPublisher => n
                .topics
                .iter()
                .find(|s| s.0 == id)
                .map(|s| s.1.clone())
                .filter(|s| topics.contains(s)),
        }
    };
    let wanted: Vec<(RoleUse, String, String, String, ProducersPolicy)> = producers_on_key(t)
        .into_iter()
        .filter_map(|(u, id, arn, mode)| Some((u, id.clone(), name_of(u, &id)?, arn, mode)))
        .collect();
    let states = futures_util::future::try_join_all(
        wanted
            .iter()
            .map(|(u, id, _, arn, mode)| observe_producer(c, t, *u, id, arn, *mode)),
    )
    .await?;
    Ok(wanted
        .iter()
        .zip(states)
        .map(|((_, _, name, _, _), p)| producer_status(t, name, &p))
        .collect())
}

/// A role's `status` row: the key its permission names.
pub fn producer_status(t: &Tenancy, path: &str, p: &ProducerState) -> ResourceStatus {
    let resource = format!("{path}/{}", p.role_name());
    let arn = &p.role_arn;
    let svc = p.role_use.service_name();
    let (enc, msg) = match p.standing(t) {
        Standing::Permitted => (
            Some(Encryption::Kms(t.key.to_string())),
            format!(
                "{arn} may use the key through {svc} ({})",
                match p.mode {
                    ProducersPolicy::Managed => p.policy_name(t),
                    ProducersPolicy::External => "IAM's simulator; the platform's policy".into(),
                }
            ),
        ),
        Standing::OtherKey(e) => {
            let msg = format!("{arn}'s permission names {}, not the key", e.shown());
            (Some(e), msg)
        }
        Standing::Foreign => (
            None,
            format!("{arn} is in another account: cmek cannot check it"),
        ),
        Standing::Missing => (None, format!("{arn} does not exist")),
        Standing::Untagged => (
            None,
            format!(
                "{arn} is not tagged {}={}, so cmek may not write its permission",
                PRODUCER_TAG.0, PRODUCER_TAG.1
            ),
        ),
        Standing::NoPolicy => (
            None,
            format!(
                "{arn} has no permission on the key: {svc} refuses its calls to a {} under the key",
                p.role_use.path()
            ),
        ),
        Standing::Denied(d) => (
            None,
            format!(
                "{arn} may not use the key through {svc} ({} not allowed, by IAM's simulator)",
                d.join(", ")
            ),
        ),
    };
    ResourceStatus::of(p.role_use.kind(), &resource, &t.key, enc.as_ref(), msg)
}

#[cfg(test)]
#[path = "producer_plan_tests.rs"]
mod tests;
