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
use crate::shared::role_use::RoleUse;
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
    role_policy_kept(t, use_, old_key, None)
}

/// As [`role_policy_for`], keeping for a queue's consumer every key its current policy (`current`)
/// names: messages sent before a queue moved to the key stay under the key they were sent with,
/// and "the consumer must have the kms:Decrypt permission for any KMS key that is used to encrypt
/// the messages in the specified queue" (SQS developer guide, "Key management"). cmek never
/// narrows a consumer's policy; the platform does, once the old messages are gone.
pub fn role_policy_kept(
    t: &Tenancy,
    use_: RoleUse,
    old_key: Option<&str>,
    current: Option<&Value>,
) -> Value {
    let mut keys = vec![t.key.to_string()];
    keys.extend(old_key.map(str::to_string));
    if use_ == RoleUse::QueueConsumer {
        let named = current
            .map(|p| &p["Statement"][0]["Resource"])
            .map(|r| match r {
                Value::String(s) => vec![s.clone()],
                Value::Array(a) => a
                    .iter()
                    .filter_map(|v| v.as_str().map(str::to_string))
                    .collect(),
                _ => vec![],
            })
            .unwrap_or_default();
        for k in named {
            if !keys.contains(&k) {
                keys.push(k);
            }
        }
    }
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
