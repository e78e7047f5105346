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
            let decoded = percent_decode(doc);
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

/// IAM returns policy documents URL-encoded (RFC 3986).
fn percent_decode(s: &str) -> String {
    if !s.contains('%') {
        return s.to_string();
    }
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            if let Ok(b) = u8::from_str_radix(&s[i + 1..i + 3], 16) {
                out.push(b);
                i += 3;
                continue;
            }
        }
        out.push(if bytes[i] == b'+' { b' ' } else { bytes[i] });
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn iam_policy_documents_are_url_decoded() {
        assert_eq!(percent_decode("%7B%22a%22%3A1%7D"), "{\"a\":1}");
        assert_eq!(percent_decode("{\"a\":1}"), "{\"a\":1}");
    }
}
