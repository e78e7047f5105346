//! `cmek doctor`'s question to IAM: may this principal make these calls? (iam:GetRole to find an
//! assumed role's ARN, iam:SimulatePrincipalPolicy for the answer.) Read-only.

use aws_sdk_iam::types as iamt;

use crate::aws::Clients;
use crate::error::AwsError;
use crate::shared::tenancy::err;

/// One action on one resource, with the condition keys the policy statement needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Question {
    /// `s3:PutObject`.
    pub action: String,
    /// The resource (an ARN, possibly with wildcards as the policy writes it).
    pub resource: String,
    /// Condition context: key and values.
    pub context: Vec<(String, Vec<String>)>,
}

/// IAM's answer for one question.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Answer {
    /// `allowed`, `explicitDeny` or `implicitDeny`.
    pub decision: String,
    /// The policies whose statements matched.
    pub matched: Vec<String>,
    /// Context keys the simulation lacked.
    pub missing_context: Vec<String>,
}

/// The IAM principal to simulate for a caller ARN from STS: a user as it is; an assumed role as
/// its role (with its path, from iam:GetRole). None for the account root, which IAM cannot
/// simulate.
pub async fn principal_arn(
    c: &Clients,
    caller: &str,
    ep: Option<&str>,
) -> Result<Option<String>, AwsError> {
    if caller.ends_with(":root") {
        return Ok(None);
    }
    let Some(rest) = caller.split_once(":assumed-role/").map(|(_, r)| r) else {
        return Ok(Some(caller.to_string()));
    };
    let role = rest.split('/').next().unwrap_or(rest);
    let out = c
        .iam
        .get_role()
        .role_name(role)
        .send()
        .await
        .map_err(err("iam", "GetRole", ep))?;
    Ok(out.role().map(|r| r.arn().to_string()))
}

/// Asks IAM about each question (one SimulatePrincipalPolicy call per question: each has its own
/// resource and context).
pub async fn simulate(
    c: &Clients,
    principal: &str,
    q: &Question,
    ep: Option<&str>,
) -> Result<Answer, AwsError> {
    let mut req = c
        .iam
        .simulate_principal_policy()
        .policy_source_arn(principal)
        .action_names(&q.action)
        .resource_arns(&q.resource);
    for (key, values) in &q.context {
        req = req.context_entries(
            iamt::ContextEntry::builder()
                .context_key_name(key)
                .set_context_key_values(Some(values.clone()))
                .context_key_type(iamt::ContextKeyTypeEnum::String)
                .build(),
        );
    }
    let out = req
        .send()
        .await
        .map_err(err("iam", "SimulatePrincipalPolicy", ep))?;
    let r = out.evaluation_results().first();
    Ok(Answer {
        decision: r
            .map(|r| r.eval_decision().as_str().to_string())
            .unwrap_or_else(|| "implicitDeny".into()),
        matched: r
            .map(|r| {
                r.matched_statements()
                    .iter()
                    .filter_map(|s| s.source_policy_id().map(str::to_string))
                    .collect()
            })
            .unwrap_or_default(),
        missing_context: r
            .map(|r| r.missing_context_values().to_vec())
            .unwrap_or_default(),
    })
}
