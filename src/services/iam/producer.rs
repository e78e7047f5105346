//! The producers of a tenant's Firehose streams: the roles that call PutRecord and PutRecordBatch.
//!
//! "To successfully use CUSTOMER_MANAGED_CMK, both the caller's IAM policy and the KMS key policy
//! must allow kms:GenerateDataKey and kms:Decrypt operations. Firehose validates these permissions
//! when you call PutRecord or PutRecordBatch" (Firehose developer guide, "Data protection in Amazon
//! Data Firehose", read 2026-12-01; AWS's notice dates it: new streams from 2026-04-20, every stream
//! from 2027-02-28, see `firehose/model.rs`). So each producer needs its own permission on the
//! customer's key. cmek gives it as one inline policy per tenant and stream
//! (`producers_policy = "managed"`), scoped to the key and to use through Firehose, on roles the
//! platform tagged for it; or checks with IAM's policy simulator that the platform gave it
//! (`external`). Observe, plan, status rows; `verify`'s check reads the same [`Standing`].

use serde_json::{json, Value};

use super::{observe_role, simulate, Question};
use crate::aws::Clients;
use crate::environment::ProducersPolicy;
use crate::error::AwsError;
use crate::shared::resource::ResourceStatus;
use crate::shared::role_use::RoleUse;
use crate::shared::steps::{Action, Change, IamStep, Kind};
use crate::shared::tenancy::{Encryption, Tenancy};

/// The actions a producer needs on the key (AWS's words).
pub const PRODUCER_ACTIONS: [&str; 2] = ["kms:GenerateDataKey", "kms:Decrypt"];

/// The change id prefix of a producer in a plan: `producer:<stream id>:<role ARN>` (stream ids
/// cannot hold a `:`, environment/validate.rs).
pub const PRODUCER_CHANGE: &str = "producer:";

/// The tag a role carries when the platform lets cmek write its producer policy; cmek's shipped
/// IAM policy allows `iam:PutRolePolicy` only on roles with it (docs/iam/enable.json), so the
/// permission cannot be turned on any other role, cmek's own included.
pub const PRODUCER_TAG: (&str, &str) = ("speedscale:cmek-producer", "true");

/// The inline policy cmek puts on a producer role for one tenant's stream: recognisably cmek's,
/// one per tenant and stream, so two tenants (or two streams) sharing a producer never overwrite
/// each other's.
pub fn producer_policy_name(t: &Tenancy, stream_id: &str) -> String {
    RoleUse::StreamProducer.policy_name(t.tenant.as_str(), stream_id)
}

/// The statement a producer needs: the two actions on the customer key, through Firehose only.
/// Firehose's stream encryption has no documented encryption context to narrow it further.
pub fn producer_statement(t: &Tenancy) -> Value {
    role_statement(t, RoleUse::StreamProducer)
}

/// The statement a role needs for its use: its actions on the customer key, through its service.
pub fn role_statement(t: &Tenancy, use_: RoleUse) -> Value {
    statement(t, use_, &[t.key.to_string()])
}

fn statement(t: &Tenancy, use_: RoleUse, keys: &[String]) -> Value {
    let resource = match keys {
        [one] => json!(one),
        many => json!(many),
    };
    let sid = match use_ {
        RoleUse::StreamProducer => "PutRecordsUnderTheCustomerKey",
        RoleUse::QueueProducer => "SendMessagesUnderTheCustomerKey",
        RoleUse::QueueConsumer => "ReceiveMessagesUnderTheCustomerKey",
        RoleUse::TopicPublisher => "PublishUnderTheCustomerKey",
    };
    json!({
        "Sid": sid,
        "Effect": "Allow",
        "Action": use_.actions(),
        "Resource": resource,
        "Condition": {
            "StringEquals": { "kms:ViaService": format!("{}.{}.amazonaws.com", use_.service(), t.region) }
        }
    })
}

/// The whole inline policy for the tenant's key. `old_key`: during a key change, the key the
/// stream is still on, kept until the stream is on the new one (a later run narrows the policy),
/// so the producers can write whichever key Firehose ends the change on.
pub fn producer_policy(t: &Tenancy, old_key: Option<&str>) -> Value {
    role_policy_for(t, RoleUse::StreamProducer, old_key)
}

/// The whole inline policy of a role for its use (see [`producer_policy`]).
pub fn role_policy_for(t: &Tenancy, use_: RoleUse, old_key: Option<&str>) -> Value {
    let mut keys = vec![t.key.to_string()];
    keys.extend(old_key.map(str::to_string));
    json!({ "Version": "2012-10-17", "Statement": [statement(t, use_, &keys)] })
}

/// One producer of one stream, as it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProducerState {
    /// What the role does: produce to a stream or queue, consume from a queue, publish to a topic.
    pub role_use: RoleUse,
    /// The environment's id of the stream, queue or topic.
    pub stream_id: String,
    /// The role ARN.
    pub role_arn: String,
    /// Who manages its permission.
    pub mode: ProducersPolicy,
    /// The role is in another account than the environment's (cmek neither writes nor simulates
    /// another account's roles, and the customer's key policy allows Speedscale's account only).
    pub foreign: bool,
    /// Whether the role exists.
    pub exists: bool,
    /// Whether it carries [`PRODUCER_TAG`] (`managed` needs it).
    pub tagged: bool,
    /// `managed`: cmek's inline policy for this tenant and stream, when present.
    pub policy: Option<Value>,
    /// `external`: the actions IAM's simulator does not allow on the key through the service.
    pub denied: Vec<String>,
}

/// Where a producer stands with the tenant's key: the one classification that plan, status and
/// verify all read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Standing {
    /// In another account than the environment's.
    Foreign,
    /// The role does not exist.
    Missing,
    /// `managed`, but the role lacks [`PRODUCER_TAG`].
    Untagged,
    /// `managed`: cmek's policy is not there yet.
    NoPolicy,
    /// `managed`: cmek's policy names other keys (`Encryption::Kms` of the first).
    OtherKey(Encryption),
    /// `external`: IAM's simulator does not allow these actions.
    Denied(Vec<String>),
    /// May use the key through its service.
    Permitted,
}

impl ProducerState {
    /// The role name (the last part of the ARN).
    pub fn role_name(&self) -> &str {
        role_name(&self.role_arn)
    }

    /// Where it stands with `t.key`.
    pub fn standing(&self, t: &Tenancy) -> Standing {
        if self.foreign {
            return Standing::Foreign;
        }
        if !self.exists {
            return Standing::Missing;
        }
        match self.mode {
            ProducersPolicy::External if self.denied.is_empty() => Standing::Permitted,
            ProducersPolicy::External => Standing::Denied(self.denied.clone()),
            ProducersPolicy::Managed if !self.tagged => Standing::Untagged,
            ProducersPolicy::Managed => match &self.policy {
                None => Standing::NoPolicy,
                Some(p) if names_key(p, t, self.role_use) => Standing::Permitted,
                Some(p) => Standing::OtherKey(Encryption::kms(first_resource(p))),
            },
        }
    }

    /// cmek's inline policy for this role, tenant and path.
    pub fn policy_name(&self, t: &Tenancy) -> String {
        self.role_use
            .policy_name(t.tenant.as_str(), &self.stream_id)
    }
}

/// Whether cmek's policy lets the role use `t.key` through its service.
fn names_key(p: &Value, t: &Tenancy, use_: RoleUse) -> bool {
    let st = &p["Statement"][0];
    let via = format!("{}.{}.amazonaws.com", use_.service(), t.region);
    let keys: Vec<&str> = match &st["Resource"] {
        Value::String(s) => vec![s.as_str()],
        Value::Array(a) => a.iter().filter_map(Value::as_str).collect(),
        _ => vec![],
    };
    keys.contains(&t.key.as_str())
        && st["Action"] == json!(use_.actions())
        && st["Condition"]["StringEquals"]["kms:ViaService"] == via.as_str()
}

fn first_resource(p: &Value) -> Option<&str> {
    let r = &p["Statement"][0]["Resource"];
    r.as_str().or_else(|| r[0].as_str())
}

/// The role name of a role ARN (after the last `/`).
pub fn role_name(arn: &str) -> &str {
    arn.rsplit('/').next().unwrap_or(arn)
}

/// The roles that need permission on the key: the producers of streams whose own encryption is the
/// customer key (an `aws-owned` stream's producers encrypt nothing under it), and every queue's
/// producers and consumers and topic's publishers.
pub fn producers_on_key(t: &Tenancy) -> Vec<(RoleUse, String, String, ProducersPolicy)> {
    let streams = t.names.producers.iter().filter_map(|(stream, arn)| {
        let spec = t.env.streams.iter().find(|s| &s.id == stream)?;
        spec.on_customer_key().then(|| {
            (
                RoleUse::StreamProducer,
                stream.clone(),
                arn.clone(),
                spec.producers_policy,
            )
        })
    });
    let queue_mode = |id: &str| {
        t.env
            .queues
            .iter()
            .find(|q| q.id == id)
            .map_or(ProducersPolicy::Managed, |q| q.producers_policy)
    };
    let topic_mode = |id: &str| {
        t.env
            .topics
            .iter()
            .find(|q| q.id == id)
            .map_or(ProducersPolicy::Managed, |q| q.producers_policy)
    };
    let n = &t.names;
    streams
        .chain(n.queue_producers.iter().map(|(id, arn)| {
            (
                RoleUse::QueueProducer,
                id.clone(),
                arn.clone(),
                queue_mode(id),
            )
        }))
        .chain(n.queue_consumers.iter().map(|(id, arn)| {
            (
                RoleUse::QueueConsumer,
                id.clone(),
                arn.clone(),
                queue_mode(id),
            )
        }))
        .chain(n.topic_publishers.iter().map(|(id, arn)| {
            (
                RoleUse::TopicPublisher,
                id.clone(),
                arn.clone(),
                topic_mode(id),
            )
        }))
        .collect()
}

/// Reads one producer: its role, its tags and cmek's policy (`managed`), or IAM's simulator's
/// answer for the two actions on the key through Firehose (`external`). Read-only.
pub async fn observe_producer(
    c: &Clients,
    t: &Tenancy,
    role_use: RoleUse,
    stream_id: &str,
    role_arn: &str,
    mode: ProducersPolicy,
) -> Result<ProducerState, AwsError> {
    let mut s = ProducerState {
        role_use,
        stream_id: stream_id.into(),
        role_arn: role_arn.into(),
        mode,
        foreign: role_arn.split(':').nth(4) != Some(t.account.as_str()),
        exists: false,
        tagged: false,
        policy: None,
        denied: vec![],
    };
    if s.foreign {
        return Ok(s);
    }
    let role = observe_role(
        c,
        t,
        role_name(role_arn).to_string(),
        &role_use.policy_name(t.tenant.as_str(), stream_id),
    )
    .await?;
    s.exists = role.exists;
    s.tagged = role.tags.get(PRODUCER_TAG.0).map(String::as_str) == Some(PRODUCER_TAG.1);
    if !s.exists {
        return Ok(s);
    }
    match mode {
        ProducersPolicy::Managed => s.policy = role.policy,
        ProducersPolicy::External => {
            let via = format!("{}.{}.amazonaws.com", role_use.service(), t.region);
            let questions: Vec<Question> = role_use
                .actions()
                .iter()
                .map(|action| Question {
                    action: action.to_string(),
                    resource: t.key.to_string(),
                    context: vec![("kms:ViaService".to_string(), vec![via.clone()])],
                })
                .collect();
            let answers = futures_util::future::try_join_all(
                questions.iter().map(|q| simulate(c, role_arn, q, t.ep())),
            )
            .await?;
            s.denied = questions
                .iter()
                .zip(answers)
                .filter(|(_, a)| a.decision != "allowed")
                .map(|(q, _)| q.action.clone())
                .collect();
        }
    }
    Ok(s)
}

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
                && p.policy.as_ref() != Some(&role_policy_for(t, u, old_key)) =>
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
#[path = "producer_tests.rs"]
mod tests;
