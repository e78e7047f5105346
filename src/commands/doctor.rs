//! `cmek doctor`: before an onboarding, can these credentials do what each subcommand needs?
//! It finds the registry bucket and asks IAM (SimulatePrincipalPolicy) about every action of
//! every policy in `docs/iam/`, on the resources and with the condition context each statement
//! names. Read-only. Exit 0 when everything is allowed, 1 when anything is denied.

use futures_util::stream::{self, StreamExt, TryStreamExt};
use serde::Serialize;
use serde_json::Value;

use crate::aws::Clients;
use crate::error::Error;
use crate::services::iam::{principal_arn, simulate, Question};
use crate::services::registry::Registry;

/// Each subcommand's policy, as shipped in `docs/iam/`.
pub const POLICIES: &[(&str, &str)] = &[
    ("verify", include_str!("../../docs/iam/verify.json")),
    ("enable", include_str!("../../docs/iam/enable.json")),
    ("status", include_str!("../../docs/iam/status.json")),
    (
        "revoke-check",
        include_str!("../../docs/iam/revoke-check.json"),
    ),
    ("doctor", include_str!("../../docs/iam/doctor.json")),
];

/// Simulations in flight at once.
const CONCURRENCY: usize = 8;

/// One action a subcommand needs, and IAM's answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DoctorRow {
    /// The subcommand whose policy lists it.
    pub subcommand: String,
    /// The action.
    pub action: String,
    /// The resource asked about.
    pub resource: String,
    /// `allowed`, `explicitDeny` or `implicitDeny` (IAM's words).
    pub decision: String,
    /// Whether it is allowed.
    pub allowed: bool,
    /// Why: the matching policies, the missing context, or that nothing allows it.
    pub why: String,
}

/// doctor's answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum DoctorVerdict {
    /// Everything allowed.
    Pass,
    /// Something denied.
    Fail,
}

/// The report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DoctorReport {
    /// Always 1.
    pub schema_version: u32,
    /// `doctor`.
    pub command: &'static str,
    /// pass or fail.
    pub verdict: DoctorVerdict,
    /// The account the credentials are for.
    pub account: String,
    /// The region.
    pub region: String,
    /// Who the credentials are (STS).
    pub caller: String,
    /// The IAM principal simulated.
    pub principal: Option<String>,
    /// The environment's registry bucket.
    pub registry_bucket: String,
    /// Whether it exists (enable creates it).
    pub registry_exists: bool,
    /// What the registry lacks of its protections (versioning, Object Lock, its policy, ...):
    /// `enable` puts them on; empty when protected or not created yet.
    pub registry_unprotected: Vec<String>,
    /// Every action of every policy.
    pub rows: Vec<DoctorRow>,
    /// Denied rows.
    pub denied: usize,
}

/// Where the questions are asked: the account, region and registry bucket the ARNs are filled
/// with, so that a policy scoped to them (not written with wildcards) is judged on them.
#[derive(Debug, Clone, Copy)]
pub struct Place<'a> {
    /// The account.
    pub account: &'a str,
    /// The region.
    pub region: &'a str,
    /// The registry bucket.
    pub registry: &'a str,
}

impl Place<'_> {
    /// A policy resource with this account, region and registry bucket where it has wildcards.
    fn fill(&self, resource: &str) -> String {
        let (account, region) = (self.account, self.region);
        // Keys are the customers', in their accounts: only the region is known.
        let owner = if resource.starts_with("arn:aws:kms:") {
            "*"
        } else {
            account
        };
        resource
            .replace("arn:aws:iam::*:", &format!("arn:aws:iam::{account}:"))
            .replace(":*:*:", &format!(":{region}:{owner}:"))
            .replace(
                "arn:aws:s3:::speedscale-cmek-*",
                &format!("arn:aws:s3:::{}", self.registry),
            )
    }
}

/// The questions a policy document asks: every Allow statement's actions on its resources (filled
/// in for `place`), with its condition keys as context (a `*` in a value is the region).
pub fn questions(policy: &str, place: Place<'_>) -> Vec<Question> {
    let region = place.region;
    let doc: Value = serde_json::from_str(policy).unwrap_or_default();
    let list = |v: &Value| -> Vec<String> {
        match v {
            Value::String(s) => vec![s.clone()],
            Value::Array(a) => a
                .iter()
                .filter_map(|x| x.as_str().map(str::to_string))
                .collect(),
            _ => vec![],
        }
    };
    let mut out = vec![];
    for st in doc["Statement"].as_array().into_iter().flatten() {
        if st["Effect"] != "Allow" {
            continue;
        }
        let mut context = vec![];
        for (_, keys) in st["Condition"].as_object().into_iter().flatten() {
            for (key, values) in keys.as_object().into_iter().flatten() {
                let first = list(values).into_iter().next().unwrap_or_default();
                context.push((key.clone(), vec![first.replace('*', region)]));
            }
        }
        for action in list(&st["Action"]) {
            for resource in list(&st["Resource"]) {
                out.push(Question {
                    action: action.clone(),
                    resource: place.fill(&resource),
                    context: context.clone(),
                });
            }
        }
    }
    out
}

/// Runs the simulation for the caller.
pub async fn doctor(
    c: &Clients,
    env: &crate::environment::Environment,
    registry: &Registry,
    account: &str,
    region: &str,
    caller: &str,
) -> Result<DoctorReport, Error> {
    let ep = c.endpoint.as_deref();
    let (protection, principal) =
        tokio::try_join!(registry.protection(c), principal_arn(c, caller, ep))?;
    let exists = protection.exists;
    let registry_unprotected = if exists {
        protection.missing(env)
    } else {
        vec![]
    };
    let Some(principal) = principal else {
        return Err(Error::Local(format!(
            "{caller} is the account root, which IAM cannot simulate: run doctor with the role or user engineers use (--profile or --role-arn)"
        )));
    };
    let asked: Vec<(&str, Question)> = POLICIES
        .iter()
        .flat_map(|(sub, p)| {
            let place = Place {
                account,
                region,
                registry: &registry.bucket,
            };
            questions(p, place).into_iter().map(move |q| (*sub, q))
        })
        .collect();
    let principal_ref = principal.as_str();
    let mut rows: Vec<DoctorRow> = stream::iter(asked.into_iter().enumerate().map(
        |(i, (sub, q))| async move {
            let a = simulate(c, principal_ref, &q, ep).await?;
            let allowed = a.decision == "allowed";
            let why = if allowed {
                format!(
                    "allowed by {}",
                    if a.matched.is_empty() {
                        "a policy".into()
                    } else {
                        a.matched.join(", ")
                    }
                )
            } else if a.decision == "explicitDeny" {
                format!(
                    "denied explicitly by {}",
                    if a.matched.is_empty() {
                        "a policy".into()
                    } else {
                        a.matched.join(", ")
                    }
                )
            } else if !a.missing_context.is_empty() {
                format!(
                    "no policy allows it; context missing: {}",
                    a.missing_context.join(", ")
                )
            } else {
                "no policy of this principal allows it".to_string()
            };
            Ok::<_, Error>((
                i,
                DoctorRow {
                    subcommand: sub.to_string(),
                    action: q.action,
                    resource: q.resource,
                    decision: a.decision,
                    allowed,
                    why,
                },
            ))
        },
    ))
    .buffer_unordered(CONCURRENCY)
    .try_collect::<Vec<_>>()
    .await?
    .into_iter()
    .map(|(_, r)| r)
    .collect();
    rows.sort_by(|a, b| {
        let order = |s: &str| {
            POLICIES
                .iter()
                .position(|(p, _)| *p == s)
                .unwrap_or(usize::MAX)
        };
        (order(&a.subcommand), &a.action, &a.resource).cmp(&(
            order(&b.subcommand),
            &b.action,
            &b.resource,
        ))
    });
    let denied = rows.iter().filter(|r| !r.allowed).count();
    Ok(DoctorReport {
        schema_version: crate::shared::report::SCHEMA_VERSION,
        command: "doctor",
        verdict: if denied == 0 {
            DoctorVerdict::Pass
        } else {
            DoctorVerdict::Fail
        },
        account: account.to_string(),
        region: region.to_string(),
        caller: caller.to_string(),
        principal: Some(principal),
        registry_bucket: registry.bucket.clone(),
        registry_exists: exists,
        registry_unprotected,
        rows,
        denied,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_allow_statement_becomes_questions_with_its_context() {
        let p = r#"{"Statement":[
            {"Effect":"Allow","Action":["kms:Decrypt","kms:GenerateDataKey"],"Resource":"arn:aws:kms:*:*:key/*",
             "Condition":{"StringLike":{"kms:ViaService":["s3.*.amazonaws.com","rds.*.amazonaws.com"]}}},
            {"Effect":"Deny","Action":"s3:DeleteBucket","Resource":"*"}]}"#;
        let place = Place {
            account: "222222222222",
            region: "eu-west-1",
            registry: "speedscale-cmek-222222222222-eu-west-1",
        };
        let q = questions(p, place);
        assert_eq!(q.len(), 2);
        assert_eq!(q[0].action, "kms:Decrypt");
        assert_eq!(
            q[0].resource, "arn:aws:kms:eu-west-1:*:key/*",
            "keys are the customers'"
        );
        assert_eq!(
            place.fill("arn:aws:rds:*:*:db:speedscale-*"),
            "arn:aws:rds:eu-west-1:222222222222:db:speedscale-*"
        );
        assert_eq!(
            place.fill("arn:aws:s3:::speedscale-cmek-*/*"),
            "arn:aws:s3:::speedscale-cmek-222222222222-eu-west-1/*"
        );
        assert_eq!(
            q[0].context,
            [(
                "kms:ViaService".to_string(),
                vec!["s3.eu-west-1.amazonaws.com".to_string()]
            )]
        );
    }

    #[test]
    fn every_shipped_policy_asks_something() {
        for (sub, p) in POLICIES {
            let place = Place {
                account: "222222222222",
                region: "us-east-1",
                registry: "r",
            };
            assert!(!questions(p, place).is_empty(), "{sub}");
        }
    }
}
