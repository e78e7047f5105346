//! Applying the role's steps; each is idempotent.

use super::{role_policy, role_trust_policy, ROLE_POLICY};
use crate::shared::steps::{ApplyCtx, IamStep, StepOutput};
use crate::shared::tenancy::err;

/// Carries out one step on the role `name`.
pub async fn apply(x: ApplyCtx<'_>, step: IamStep, name: &str) -> StepOutput {
    match step {
        IamStep::CreateRole => create_role(x, name).await,
        IamStep::PutRolePolicy => put_role_policy(x, name).await,
        IamStep::TagRole => tag_role(x, name).await,
    }
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

async fn create_role(x: ApplyCtx<'_>, name: &str) -> StepOutput {
    let r =
        x.c.iam
            .create_role()
            .role_name(name)
            .description(format!(
                "Firehose delivery for Speedscale tenant {} (managed by cmek)",
                x.t.tenant
            ))
            .assume_role_policy_document(role_trust_policy(x.t).to_string())
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

async fn put_role_policy(x: ApplyCtx<'_>, name: &str) -> StepOutput {
    x.c.iam
        .put_role_policy()
        .role_name(name)
        .policy_name(ROLE_POLICY)
        .policy_document(role_policy(x.t).to_string())
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
