//! Reading the delivery role: its inline policy and its tags.

use std::collections::BTreeMap;

use crate::aws::Clients;
use crate::error::AwsError;
use crate::shared::tenancy::{err, Tenancy};

/// The Firehose delivery role cmek manages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RoleState {
    /// The role name.
    pub name: String,
    /// Whether it exists.
    pub exists: bool,
    /// Its inline delivery policy, parsed, when present.
    pub policy: Option<serde_json::Value>,
    /// Its tags.
    pub tags: BTreeMap<String, String>,
}

/// A role cmek manages, and its inline policy `policy_name`.
pub async fn observe_role(
    c: &Clients,
    t: &Tenancy,
    name: String,
    policy_name: &str,
) -> Result<RoleState, AwsError> {
    let ep = t.ep();
    if let Err(e) = c.iam.get_role().role_name(&name).send().await {
        let e = err("iam", "GetRole", ep)(e);
        if e.is("NoSuchEntity") || e.is("NoSuchEntityException") {
            return Ok(RoleState {
                name,
                exists: false,
                policy: None,
                tags: BTreeMap::new(),
            });
        }
        return Err(e);
    }
    let (policy, tags) = tokio::join!(
        c.iam
            .get_role_policy()
            .role_name(&name)
            .policy_name(policy_name)
            .send(),
        c.iam.list_role_tags().role_name(&name).send()
    );
    let policy = match policy {
        Ok(p) => {
            let doc = p.policy_document();
            // IAM returns policy documents URL-encoded (RFC 3986).
            let decoded = crate::input::percent_decode(doc);
            serde_json::from_str(&decoded).ok()
        }
        Err(e) => {
            let e = err("iam", "GetRolePolicy", ep)(e);
            if e.is("NoSuchEntity") || e.is("NoSuchEntityException") {
                None
            } else {
                return Err(e);
            }
        }
    };
    let tags = tags
        .map_err(err("iam", "ListRoleTags", ep))?
        .tags()
        .iter()
        .map(|t| (t.key().to_string(), t.value().to_string()))
        .collect();
    Ok(RoleState {
        name,
        exists: true,
        policy,
        tags,
    })
}
