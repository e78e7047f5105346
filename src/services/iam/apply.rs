//! Applying the role's steps; each is idempotent.

use super::producer::role_name;
use super::{
    batch_role_policy, batch_role_trust_policy, role_policy, role_policy_kept, role_trust_policy,
    BATCH_ROLE_CHANGE, BATCH_ROLE_POLICY, ROLE_POLICY,
};
use crate::shared::role_use::RoleUse;
use crate::shared::steps::{fail, ApplyCtx, Change, IamStep, StepOutput};
use crate::shared::tenancy::err;

/// What a role is for: its description, trust policy, inline policy name and document.
struct RoleSpec {
    description: String,
    trust: serde_json::Value,
    policy_name: &'static str,
    policy: serde_json::Value,
}

fn spec(x: ApplyCtx<'_>, ch: &Change) -> RoleSpec {
    if ch.id == BATCH_ROLE_CHANGE {
        RoleSpec {
            description: format!(
                "S3 Batch Operations re-encryption for Speedscale tenant {} (managed by cmek)",
                x.t.tenant
            ),
            trust: batch_role_trust_policy(),
            policy_name: BATCH_ROLE_POLICY,
            policy: batch_role_policy(x.t),
        }
    } else {
        RoleSpec {
            description: format!(
                "Firehose delivery for Speedscale tenant {} (managed by cmek)",
                x.t.tenant
            ),
            trust: role_trust_policy(x.t),
            policy_name: ROLE_POLICY,
            policy: role_policy(x.t),
        }
    }
}

/// Carries out one step on the role of change `ch`. `old_key`: for a producer, the customer key its
/// stream was on when observed, when that is not the tenant's ([`producer_policy`]).
pub async fn apply(
    x: ApplyCtx<'_>,
    step: IamStep,
    ch: &Change,
    old_key: Option<&str>,
) -> StepOutput {
    let name = ch.resource.as_str();
    match step {
        IamStep::CreateRole => create_role(x, name, &spec(x, ch)).await,
        IamStep::PutRolePolicy => put_role_policy(x, name, &spec(x, ch)).await,
        IamStep::TagRole => tag_role(x, name).await,
        IamStep::PutProducerPolicy => put_producer_policy(x, ch, old_key).await,
    }
}

/// A role's change is `<prefix><path id>:<role ARN>` on the role ARN (`RoleUse::change_prefix`):
/// cmek's inline policy for this tenant, use and path, replaced whole (a key change moves it to the
/// new key).
async fn put_producer_policy(x: ApplyCtx<'_>, ch: &Change, old_key: Option<&str>) -> StepOutput {
    let (u, id) = RoleUse::of_change(&ch.id)
        .ok_or_else(|| fail(format!("{} is not a producer change", ch.id)))?;
    // A consumer keeps every key its policy names now (read again: the policy is replaced whole).
    let current = match u {
        RoleUse::QueueConsumer => {
            super::observe_role(
                x.c,
                x.t,
                role_name(&ch.resource).to_string(),
                &u.policy_name(x.t.tenant.as_str(), id),
            )
            .await?
            .policy
        }
        _ => None,
    };
    x.c.iam
        .put_role_policy()
        .role_name(role_name(&ch.resource))
        .policy_name(u.policy_name(x.t.tenant.as_str(), id))
        .policy_document(role_policy_kept(x.t, u, old_key, current.as_ref()).to_string())
        .send()
        .await
        .map_err(err("iam", "PutRolePolicy", x.ep()))?;
    Ok(None)
}

fn iam_tags(x: ApplyCtx<'_>) -> Vec<aws_sdk_iam::types::Tag> {
    x.t.tags()
        .into_iter()
        .filter_map(|(k, v)| {
            aws_sdk_iam::types::Tag::builder()
                .key(k)
                .value(v)
                .build()
                .ok()
        })
        .collect()
}

async fn create_role(x: ApplyCtx<'_>, name: &str, spec: &RoleSpec) -> StepOutput {
    let r =
        x.c.iam
            .create_role()
            .role_name(name)
            .description(&spec.description)
            .assume_role_policy_document(spec.trust.to_string())
            .set_tags(Some(iam_tags(x)))
            .send()
            .await;
    match r {
        Ok(_) => Ok(None),
        Err(e) => {
            let e = err("iam", "CreateRole", x.ep())(e);
            if e.is("EntityAlreadyExists") || e.is("EntityAlreadyExistsException") {
                Ok(Some("already existed".into()))
            } else {
                Err(e.into())
            }
        }
    }
}

async fn put_role_policy(x: ApplyCtx<'_>, name: &str, spec: &RoleSpec) -> StepOutput {
    x.c.iam
        .put_role_policy()
        .role_name(name)
        .policy_name(spec.policy_name)
        .policy_document(spec.policy.to_string())
        .send()
        .await
        .map_err(err("iam", "PutRolePolicy", x.ep()))?;
    Ok(None)
}

async fn tag_role(x: ApplyCtx<'_>, name: &str) -> StepOutput {
    x.c.iam
        .tag_role()
        .role_name(name)
        .set_tags(Some(iam_tags(x)))
        .send()
        .await
        .map_err(err("iam", "TagRole", x.ep()))?;
    Ok(None)
}
