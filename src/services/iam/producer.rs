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
use crate::shared::ids::FirehoseResource;
use crate::shared::resource::ResourceStatus;
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
    format!("cmek-firehose-producer-{}-{stream_id}", t.tenant)
}

/// The statement a producer needs: the two actions on the customer key, through Firehose only.
/// Firehose's stream encryption has no documented encryption context to narrow it further.
pub fn producer_statement(t: &Tenancy) -> Value {
    statement(t, &[t.key.to_string()])
}

fn statement(t: &Tenancy, keys: &[String]) -> Value {
    let resource = match keys {
        [one] => json!(one),
        many => json!(many),
    };
    json!({
        "Sid": "PutRecordsUnderTheCustomerKey",
        "Effect": "Allow",
        "Action": PRODUCER_ACTIONS,
        "Resource": resource,
        "Condition": {
            "StringEquals": { "kms:ViaService": format!("firehose.{}.amazonaws.com", t.region) }
        }
    })
}

/// The whole inline policy for the tenant's key. `old_key`: during a key change, the key the
/// stream is still on, kept until the stream is on the new one (a later run narrows the policy),
/// so the producers can write whichever key Firehose ends the change on.
pub fn producer_policy(t: &Tenancy, old_key: Option<&str>) -> Value {
    let mut keys = vec![t.key.to_string()];
    keys.extend(old_key.map(str::to_string));
    json!({ "Version": "2012-10-17", "Statement": [statement(t, &keys)] })
}

/// One producer of one stream, as it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProducerState {
    /// The environment's stream id.
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
    /// `external`: the actions IAM's simulator does not allow on the key through Firehose.
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
    /// May use the key through Firehose.
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
                Some(p) if names_key(p, t) => Standing::Permitted,
                Some(p) => Standing::OtherKey(Encryption::kms(first_resource(p))),
            },
        }
    }
}

/// Whether cmek's policy lets the producer use `t.key` through Firehose.
fn names_key(p: &Value, t: &Tenancy) -> bool {
    let st = &p["Statement"][0];
    let via = format!("firehose.{}.amazonaws.com", t.region);
    let keys: Vec<&str> = match &st["Resource"] {
        Value::String(s) => vec![s.as_str()],
        Value::Array(a) => a.iter().filter_map(Value::as_str).collect(),
        _ => vec![],
    };
    keys.contains(&t.key.as_str())
        && st["Action"] == json!(PRODUCER_ACTIONS)
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

/// The producers that need permission on the key: those of streams whose own encryption is the
/// customer key (an `aws-owned` stream's producers encrypt nothing under it).
pub fn producers_on_key(t: &Tenancy) -> Vec<(String, String, ProducersPolicy)> {
    t.names
        .producers
        .iter()
        .filter_map(|(stream, arn)| {
            let spec = t.env.streams.iter().find(|s| &s.id == stream)?;
            spec.on_customer_key()
                .then(|| (stream.clone(), arn.clone(), spec.producers_policy))
        })
        .collect()
}

/// Reads one producer: its role, its tags and cmek's policy (`managed`), or IAM's simulator's
/// answer for the two actions on the key through Firehose (`external`). Read-only.
pub async fn observe_producer(
    c: &Clients,
    t: &Tenancy,
    stream_id: &str,
    role_arn: &str,
    mode: ProducersPolicy,
) -> Result<ProducerState, AwsError> {
    let mut s = ProducerState {
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
        &producer_policy_name(t, stream_id),
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
            let via = format!("firehose.{}.amazonaws.com", t.region);
            let questions = PRODUCER_ACTIONS.map(|action| Question {
                action: action.to_string(),
                resource: t.key.to_string(),
                context: vec![("kms:ViaService".to_string(), vec![via.clone()])],
            });
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

/// A producer's change: nothing, its policy written (`managed`), or a blocked plan naming what is
/// wrong and what to do. `stream` is the stream's name; `old_key` the customer key the stream is
/// on now, when that is not the tenant's key (a key change: [`producer_policy`]).
pub fn plan_producer(
    t: &Tenancy,
    p: &ProducerState,
    stream: &str,
    old_key: Option<&str>,
) -> Change {
    let mut c = Change::new(
        format!("{PRODUCER_CHANGE}{}:{}", p.stream_id, p.role_arn),
        Kind::FirehoseProducer,
        &p.role_arn,
    );
    let arn = &p.role_arn;
    let why = match p.standing(t) {
        Standing::Foreign => format!("producer {arn} of stream {stream} is not in the environment's account {}: cmek neither manages nor checks another account's roles, and the customer's key policy allows Speedscale's account only", t.account),
        Standing::Missing => format!("producer {arn} of stream {stream} does not exist: create the role, or remove it from the stream's producers in the environment"),
        Standing::Untagged => format!("producer {arn} of stream {stream} is not tagged {}={}: cmek writes producer policies only on roles the platform tagged for it (its IAM policy allows nothing else); tag the role, or set producers_policy = \"external\" and give it this statement yourself: {}", PRODUCER_TAG.0, PRODUCER_TAG.1, producer_statement(t)),
        Standing::Denied(denied) => format!("producer {arn} may not use the key through Firehose ({} not allowed, by IAM's policy simulator), so every PutRecord it makes to {stream} would be refused: the platform adds this statement to the role (producers_policy = \"external\"): {}", denied.join(", "), producer_statement(t)),
        Standing::NoPolicy | Standing::OtherKey(_) | Standing::Permitted
            if p.mode == ProducersPolicy::Managed
                && p.policy.as_ref() != Some(&producer_policy(t, old_key)) =>
        {
            c.step(IamStep::PutProducerPolicy);
            let why = match (p.standing(t), old_key) {
                (_, Some(old)) => format!("the stream moves to the key from {old}: the producer may use both until it is on the key (a later run drops the old one)"),
                (Standing::NoPolicy, None) => format!("it may not use the key yet, and Firehose refuses PutRecord to {stream} from a caller without kms:GenerateDataKey and kms:Decrypt on it"),
                _ => format!("its permission on the key ({}) is not the one for this key alone", producer_policy_name(t, &p.stream_id)),
            };
            return c.settle(false, vec![why]);
        }
        Standing::NoPolicy | Standing::OtherKey(_) | Standing::Permitted => {
            c.reason = "may use the key through Firehose".into();
            return c;
        }
    };
    c.action = Action::Blocked;
    c.reason = why;
    c
}

/// The `status` rows of the producers of `streams` (names, as the record or the environment list
/// them) that need permission on the key. Read concurrently: a tenant has a handful of producers.
pub async fn producer_rows(
    c: &Clients,
    t: &Tenancy,
    streams: &[String],
) -> Result<Vec<ResourceStatus>, AwsError> {
    let wanted: Vec<(String, String, String, ProducersPolicy)> = producers_on_key(t)
        .into_iter()
        .filter_map(|(id, arn, mode)| {
            let name = t.names.streams.iter().find(|s| s.0 == id)?.1.clone();
            streams.contains(&name).then_some((id, name, arn, mode))
        })
        .collect();
    let states = futures_util::future::try_join_all(
        wanted
            .iter()
            .map(|(id, _, arn, mode)| observe_producer(c, t, id, arn, *mode)),
    )
    .await?;
    Ok(wanted
        .iter()
        .zip(states)
        .map(|((_, name, _, _), p)| producer_status(t, name, &p))
        .collect())
}

/// A producer's `status` row: the key its permission names.
pub fn producer_status(t: &Tenancy, stream: &str, p: &ProducerState) -> ResourceStatus {
    let resource = format!("{stream}/{}", p.role_name());
    let arn = &p.role_arn;
    let (enc, msg) = match p.standing(t) {
        Standing::Permitted => (
            Some(Encryption::Kms(t.key.to_string())),
            format!(
                "{arn} may use the key through Firehose ({})",
                match p.mode {
                    ProducersPolicy::Managed => producer_policy_name(t, &p.stream_id),
                    ProducersPolicy::External => "IAM's simulator; the platform's policy".into(),
                }
            ),
        ),
        Standing::OtherKey(e) => {
            let msg = format!("{arn}'s permission names {}, not the key", e.shown());
            (Some(e), msg)
        }
        Standing::Foreign => (None, format!("{arn} is in another account: cmek cannot check it")),
        Standing::Missing => (None, format!("{arn} does not exist")),
        Standing::Untagged => (None, format!("{arn} is not tagged {}={}, so cmek may not write its permission", PRODUCER_TAG.0, PRODUCER_TAG.1)),
        Standing::NoPolicy => (None, format!("{arn} has no permission on the key: Firehose refuses its PutRecord to a stream under the key")),
        Standing::Denied(d) => (None, format!("{arn} may not use the key through Firehose ({} not allowed, by IAM's simulator)", d.join(", "))),
    };
    ResourceStatus::of(
        FirehoseResource::Producer,
        &resource,
        &t.key,
        enc.as_ref(),
        msg,
    )
}

#[cfg(test)]
#[path = "producer_tests.rs"]
mod tests;
