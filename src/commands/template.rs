//! The CloudFormation template the customer runs in their own account: a symmetric customer
//! managed key that Speedscale's account may use only as cmek needs, and never manage. Its key
//! policy statements are the ones `verify` names in its remedies (src/policy.rs), so the two
//! cannot disagree. Built as one JSON value; YAML (commented, for people) is rendered from it.

use serde_json::{json, Map, Value};

use crate::shared::policy;

/// The Speedscale actions the template denies outright: nothing that disables, deletes or changes
/// the key, its policy, its aliases, its rotation or its material.
pub const DENIED_TO_VENDOR: &[&str] = &[
    "kms:DisableKey",
    "kms:EnableKey",
    "kms:ScheduleKeyDeletion",
    "kms:CancelKeyDeletion",
    "kms:PutKeyPolicy",
    "kms:UpdateKeyDescription",
    "kms:EnableKeyRotation",
    "kms:DisableKeyRotation",
    "kms:RotateKeyOnDemand",
    "kms:CreateAlias",
    "kms:UpdateAlias",
    "kms:DeleteAlias",
    "kms:TagResource",
    "kms:UntagResource",
    "kms:ImportKeyMaterial",
    "kms:DeleteImportedKeyMaterial",
    "kms:ReplicateKey",
    "kms:UpdatePrimaryRegion",
];

/// Strings with `${...}` become `Fn::Sub`, so the policy resolves in the customer's stack.
fn sub(v: Value) -> Value {
    match v {
        Value::String(s)
            if s.starts_with("${") && s.ends_with('}') && s.matches("${").count() == 1 =>
        {
            json!({ "Ref": s[2..s.len() - 1] })
        }
        Value::String(s) if s.contains("${") => json!({ "Fn::Sub": s }),
        Value::Array(a) => Value::Array(a.into_iter().map(sub).collect()),
        Value::Object(o) => Value::Object(o.into_iter().map(|(k, v)| (k, sub(v))).collect()),
        other => other,
    }
}

/// The partition, vendor account and region as the template writes them (CloudFormation
/// substitutions).
pub const PARTITION: &str = "${AWS::Partition}";
/// Speedscale's account, a template parameter.
pub const VENDOR: &str = "${SpeedscaleAccountId}";
/// The stack's region.
pub const REGION: &str = "${AWS::Region}";
/// The customer's own account, where the stack runs.
pub const OWN_ACCOUNT: &str = "${AWS::AccountId}";

/// What a key policy names, as one output format writes it: CloudFormation substitutions,
/// Terraform references, or concrete values.
#[derive(Debug, Clone, Copy)]
pub struct Names<'a> {
    /// The partition (`aws`).
    pub partition: &'a str,
    /// Speedscale's account.
    pub vendor: &'a str,
    /// The key's region.
    pub region: &'a str,
    /// The customer's account, which keeps full control.
    pub own_account: &'a str,
}

/// CloudFormation's names (resolved by `sub` in the customer's stack).
pub const CLOUDFORMATION: Names<'static> = Names {
    partition: PARTITION,
    vendor: VENDOR,
    region: REGION,
    own_account: OWN_ACCOUNT,
};

/// The key policy with CloudFormation substitutions; scoped to one tenant when `scope` is given.
pub fn key_policy(scope: Option<&policy::TenantScope>) -> Value {
    sub(policy_document(&CLOUDFORMATION, scope))
}

/// The key policy's document, naming what it names as `n` says: the one source of every output
/// format's policy (CloudFormation, Terraform, the bare policy), so that none can disagree.
pub fn policy_document(n: &Names<'_>, scope: Option<&policy::TenantScope>) -> Value {
    let (p, acct, region) = (n.partition, n.vendor, n.region);
    let vendor = json!({ "AWS": format!("arn:{p}:iam::{acct}:root") });
    let mut statements = vec![
        json!({
            "Sid": "CustomerAccountFullControl",
            "Effect": "Allow",
            "Principal": { "AWS": format!("arn:{p}:iam::{}:root", n.own_account) },
            "Action": "kms:*",
            "Resource": "*"
        }),
        policy::describe_statement(p, acct),
    ];
    match scope {
        None => statements.extend([
            policy::round_trip_statement(p, acct),
            policy::via_service_statement(p, acct, region),
            policy::sns_delivery_statement(acct, vec![format!("arn:{p}:sns:{region}:{acct}:*")]),
        ]),
        Some(s) => {
            statements.push(policy::tenant_round_trip_statement(p, acct, &s.tenant));
            statements.extend(policy::tenant_via_service_statements(p, acct, region, s));
        }
    }
    statements.extend([
        policy::grant_statement(p, acct, region),
        json!({
            "Sid": "SpeedscaleNeverManagesTheKey",
            "Effect": "Deny",
            "Principal": vendor,
            "Action": DENIED_TO_VENDOR,
            "Resource": "*"
        }),
    ]);
    json!({ "Version": "2012-10-17", "Statement": statements })
}

/// The scope of a tenant's key policy: its buckets and probe location as the environment names
/// them, rendered for Speedscale's account `vendor` and `region` (as the output format names it).
pub fn tenant_scope(
    env: &crate::environment::Environment,
    tenant: &crate::input::TenantId,
    vendor: &str,
    region: &str,
) -> policy::TenantScope {
    let names = env.tenant_names(tenant, vendor, region);
    policy::TenantScope {
        tenant: tenant.to_string(),
        buckets: names.buckets.into_iter().map(|(_, b)| b).collect(),
        probe: env.probe_location(vendor, region),
        queues: names.queues.into_iter().map(|(_, q)| q).collect(),
        topics: names.topics.into_iter().map(|(_, q)| q).collect(),
    }
}

/// The whole template, for Speedscale's account `vendor`; scoped to one tenant when `scope` is
/// given.
pub fn template(vendor: &str, scope: Option<&policy::TenantScope>) -> Value {
    let description = match scope {
        None => "Customer managed KMS key for Speedscale (CMEK). Speedscale's account may use the key only through S3, Firehose, RDS, Secrets Manager (the database's master password secret), SQS and SNS, plus the direct checks cmek verify makes, and SNS may use it to deliver Speedscale's topics into Speedscale's encrypted queues; it can never disable, delete or change the key or its policy. Disabling the key cuts Speedscale off.".to_string(),
        Some(s) => format!("Customer managed KMS key for Speedscale (CMEK), for Speedscale tenant {}. Speedscale's account may use the key only for that tenant where AWS documents a condition to say so (S3: the tenant's buckets; verify's round trip: the tenant's encryption context), and through Firehose, RDS, Secrets Manager (the database's master password secret) and, where the tenant has them, SQS and SNS; it can never disable, delete or change the key or its policy. Disabling the key cuts Speedscale off.", s.tenant),
    };
    let alias = match scope {
        None => "alias/speedscale-cmek".to_string(),
        Some(s) => format!("alias/speedscale-cmek-{}", s.tenant),
    };
    json!({
        "AWSTemplateFormatVersion": "2010-09-09",
        "Description": description,
        "Parameters": {
            "SpeedscaleAccountId": {
                "Type": "String",
                "Default": vendor,
                "AllowedPattern": "^[0-9]{12}$",
                "Description": "Speedscale's AWS account id (given to you by Speedscale)"
            },
            "KeyAliasName": {
                "Type": "String",
                "Default": alias,
                "AllowedPattern": "^alias/[a-zA-Z0-9/_-]+$",
                "Description": "A name for the key in your account"
            }
        },
        "Resources": {
            "CmekKey": {
                "Type": "AWS::KMS::Key",
                "DeletionPolicy": "Retain",
                "UpdateReplacePolicy": "Retain",
                "Properties": {
                    "Description": { "Fn::Sub": "Speedscale CMEK key, shared with Speedscale account ${SpeedscaleAccountId}" },
                    "Enabled": true,
                    "EnableKeyRotation": false,
                    "KeySpec": "SYMMETRIC_DEFAULT",
                    "KeyUsage": "ENCRYPT_DECRYPT",
                    "MultiRegion": false,
                    "PendingWindowInDays": 30,
                    "KeyPolicy": key_policy(scope)
                }
            },
            "CmekKeyAlias": {
                "Type": "AWS::KMS::Alias",
                "Properties": {
                    "AliasName": { "Ref": "KeyAliasName" },
                    "TargetKeyId": { "Ref": "CmekKey" }
                }
            }
        },
        "Outputs": {
            "KeyArn": {
                "Description": "Send this full key ARN to Speedscale",
                "Value": { "Fn::GetAtt": ["CmekKey", "Arn"] }
            }
        }
    })
}

/// Comments shown above keys in the YAML, by path.
const COMMENTS: &[(&str, &str)] = &[
    ("AWSTemplateFormatVersion", "Speedscale CMEK: run this in YOUR AWS account, in the region Speedscale names.\nInspect it first. It creates one KMS key and an alias, and outputs the key ARN to\nsend to Speedscale. Deleting the stack keeps the key (and your data readable)."),
    ("Resources.CmekKey.DeletionPolicy", "The key outlives the stack: deleting the stack never deletes the key."),
    ("Resources.CmekKey.Properties.EnableKeyRotation", "Speedscale does not support rotating the key: keep automatic rotation off."),
    ("Resources.CmekKey.Properties.PendingWindowInDays", "If you schedule the key for deletion, you have 30 days to change your mind."),
    ("Resources.CmekKey.Properties.KeyPolicy.Statement", "1. Your account keeps full control of the key.\nThen: Speedscale may use it only as its CMEK tool needs. (With cmek template --tenant:\nS3 only for that tenant's buckets, the direct round trip only with that tenant's\nencryption context, Secrets Manager only for RDS-managed secrets; Firehose and RDS\nhave no documented condition that names a tenant, so they stay bound by service.)\nLast: Speedscale may never disable, delete or change the key or this policy.\nTo cut Speedscale off at any time: disable the key."),
    ("Outputs.KeyArn", "Send this ARN to Speedscale (the full key ARN, not the alias)."),
];

/// The template as commented YAML.
pub fn to_yaml(v: &Value) -> String {
    let mut out = String::new();
    match v {
        Value::Object(m) => map(&mut out, m, 0, ""),
        other => out.push_str(&scalar(other)),
    }
    out
}

fn comment(out: &mut String, path: &str, indent: usize) {
    if let Some((_, c)) = COMMENTS.iter().find(|(p, _)| *p == path) {
        for line in c.lines() {
            out.push_str(&format!("{}# {line}\n", " ".repeat(indent)));
        }
    }
}

fn join(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_string()
    } else {
        format!("{path}.{key}")
    }
}

/// A short-form intrinsic (`!Ref`, `!Sub`, `!GetAtt`), when `v` is one.
fn intrinsic(v: &Value) -> Option<String> {
    let m = v.as_object()?;
    if m.len() != 1 {
        return None;
    }
    let (k, x) = m.iter().next()?;
    match (k.as_str(), x) {
        ("Ref", Value::String(s)) => Some(format!("!Ref {s}")),
        ("Fn::Sub", Value::String(s)) => Some(format!("!Sub {}", quote(s))),
        ("Fn::GetAtt", Value::Array(a)) if a.len() == 2 => {
            Some(format!("!GetAtt {}.{}", a[0].as_str()?, a[1].as_str()?))
        }
        _ => None,
    }
}

fn map(out: &mut String, m: &Map<String, Value>, indent: usize, path: &str) {
    let pad = " ".repeat(indent);
    for (k, v) in m {
        let p = join(path, k);
        comment(out, &p, indent);
        let key = quote(k);
        match (intrinsic(v), v) {
            (Some(s), _) => out.push_str(&format!("{pad}{key}: {s}\n")),
            (None, Value::Object(o)) if !o.is_empty() => {
                out.push_str(&format!("{pad}{key}:\n"));
                map(out, o, indent + 2, &p);
            }
            (None, Value::Array(a)) if !a.is_empty() => {
                out.push_str(&format!("{pad}{key}:\n"));
                list(out, a, indent + 2, &p);
            }
            (None, other) => out.push_str(&format!("{pad}{key}: {}\n", scalar(other))),
        }
    }
}

fn list(out: &mut String, a: &[Value], indent: usize, path: &str) {
    let pad = " ".repeat(indent);
    for v in a {
        match (intrinsic(v), v) {
            (Some(s), _) => out.push_str(&format!("{pad}- {s}\n")),
            (None, Value::Object(o)) if !o.is_empty() => {
                // The first key on the dash line, the rest aligned under it.
                let mut inner = String::new();
                map(&mut inner, o, indent + 2, path);
                let body = inner
                    .strip_prefix(&" ".repeat(indent + 2))
                    .unwrap_or(&inner);
                out.push_str(&format!("{pad}- {body}"));
            }
            (None, Value::Array(x)) if !x.is_empty() => {
                out.push_str(&format!("{pad}-\n"));
                list(out, x, indent + 2, path);
            }
            (None, other) => out.push_str(&format!("{pad}- {}\n", scalar(other))),
        }
    }
}

fn scalar(v: &Value) -> String {
    match v {
        Value::String(s) => quote(s),
        Value::Null => "null".into(),
        Value::Object(_) => "{}".into(),
        Value::Array(_) => "[]".into(),
        other => other.to_string(),
    }
}

/// Plain when unambiguous in YAML, else double-quoted (JSON escaping is valid YAML).
fn quote(s: &str) -> String {
    let plain = !s.is_empty()
        && s.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '/' | ':' | '.' | '-'))
        && !s.ends_with(':')
        && !matches!(
            s.to_ascii_lowercase().as_str(),
            "true" | "false" | "yes" | "no" | "on" | "off" | "null" | "y" | "n"
        );
    if plain {
        s.to_string()
    } else {
        serde_json::to_string(s).unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn yaml_quotes_what_yaml_would_misread() {
        assert_eq!(quote("kms:Decrypt"), "kms:Decrypt");
        assert_eq!(quote("*"), "\"*\"");
        assert_eq!(quote("true"), "\"true\"");
        assert_eq!(quote("2012-10-17"), "\"2012-10-17\"");
        assert_eq!(quote("a b"), "\"a b\"");
    }

    #[test]
    fn no_statement_lets_the_vendor_manage_the_key() {
        let policy = key_policy(None);
        for st in policy["Statement"].as_array().unwrap() {
            if st["Effect"] != "Allow" || st["Sid"] == "CustomerAccountFullControl" {
                continue;
            }
            let actions: Vec<&str> = match &st["Action"] {
                Value::String(s) => vec![s.as_str()],
                Value::Array(a) => a.iter().filter_map(Value::as_str).collect(),
                _ => vec![],
            };
            for a in actions {
                assert!(
                    !a.ends_with('*')
                        || a.starts_with("kms:GenerateDataKey")
                        || a.starts_with("kms:ReEncrypt"),
                    "{a}"
                );
                assert!(!DENIED_TO_VENDOR.contains(&a), "{a} allowed to Speedscale");
            }
        }
    }
}
