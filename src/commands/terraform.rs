//! The customer's side in Terraform, and as a bare key policy: the same key, alias and key policy
//! as the CloudFormation template (`template.rs`), from the same statements
//! (`template::policy_document`), so the formats cannot disagree. Terraform interpolates the
//! partition, the region and the customer's own account from data sources, and Speedscale's
//! account from a variable; the bare policy is concrete.

use serde_json::Value;

use super::template::{policy_document, Names, DENIED_TO_VENDOR};
use crate::shared::policy::TenantScope;

/// What the Terraform module names, as Terraform interpolations (markers first: see `heredoc`).
const PARTITION: &str = "@@partition@@";
const VENDOR: &str = "@@vendor@@";
/// The region in the names of a tenant's buckets and in the policy.
pub const REGION: &str = "@@region@@";
const OWN_ACCOUNT: &str = "@@own_account@@";

/// Each marker and the Terraform expression it stands for.
const INTERPOLATIONS: &[(&str, &str)] = &[
    (PARTITION, "${data.aws_partition.current.partition}"),
    (VENDOR, "${var.speedscale_account_id}"),
    (REGION, "${data.aws_region.current.name}"),
    (
        OWN_ACCOUNT,
        "${data.aws_caller_identity.current.account_id}",
    ),
];

/// The module, as the three files `--out DIR` writes (one document on stdout otherwise).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Module {
    /// `main.tf`: the provider requirement, the data sources, the key, its alias.
    pub main: String,
    /// `variables.tf`: Speedscale's account, the alias.
    pub variables: String,
    /// `outputs.tf`: the key ARN to send to Speedscale.
    pub outputs: String,
}

impl Module {
    /// The whole module as one document (`main.tf`-style).
    pub fn document(&self) -> String {
        format!("{}\n{}\n{}", self.main, self.variables, self.outputs)
    }

    /// Each file name and its text.
    pub fn files(&self) -> [(&'static str, &str); 3] {
        [
            ("main.tf", &self.main),
            ("variables.tf", &self.variables),
            ("outputs.tf", &self.outputs),
        ]
    }
}

/// A string as an HCL quoted string (JSON escapes are HCL's; `${` and `%{` are escaped so that
/// Terraform reads them literally).
fn hcl_string(s: &str) -> String {
    serde_json::to_string(s)
        .unwrap_or_default()
        .replace("${", "$${")
        .replace("%{", "%%{")
}

/// The key policy as an indented heredoc: JSON with Terraform's interpolations in place of the
/// markers, every other `${` and `%{` escaped.
fn heredoc(policy: &Value) -> String {
    let mut json = serde_json::to_string_pretty(policy)
        .unwrap_or_default()
        .replace("${", "$${")
        .replace("%{", "%%{");
    for (marker, expr) in INTERPOLATIONS {
        json = json.replace(marker, expr);
    }
    let body: String = json.lines().map(|l| format!("    {l}\n")).collect();
    format!("<<-POLICY\n{body}  POLICY")
}

/// The module for Speedscale's account `vendor`; scoped to one tenant when `scope` is given (its
/// names rendered with [`REGION`]).
pub fn terraform(vendor: &str, scope: Option<&TenantScope>) -> Module {
    let names = Names {
        partition: PARTITION,
        vendor: VENDOR,
        region: REGION,
        own_account: OWN_ACCOUNT,
    };
    let policy = heredoc(&policy_document(&names, scope));
    let (alias, what) = match scope {
        None => (
            "alias/speedscale-cmek".to_string(),
            "Speedscale's account may use the key only through S3, Firehose, RDS and Secrets Manager\n# (the database's master password secret), plus the direct checks cmek verify makes."
                .to_string(),
        ),
        Some(s) => (
            format!("alias/speedscale-cmek-{}", s.tenant),
            format!("For Speedscale tenant {}: Speedscale's account may use the key only for that tenant\n# where AWS documents a condition to say so (S3: the tenant's buckets; verify's round trip: the\n# tenant's encryption context), and through Firehose, RDS and Secrets Manager.", s.tenant),
        ),
    };
    let main = format!(
        r#"# Speedscale CMEK: apply this in YOUR AWS account, in the region Speedscale names (the
# provider's region: AWS_REGION or your provider block). Inspect it first. It creates one KMS key
# and an alias, and outputs the key ARN to send to Speedscale. {what}
# Speedscale can never disable, delete or change the key or its policy ({denied} actions are
# denied to it). Disabling the key cuts Speedscale off.
#
# The key: symmetric, automatic rotation off (Speedscale does not support rotating it), a 30-day
# window to change your mind if you schedule its deletion. prevent_destroy makes Terraform refuse
# any plan that would destroy or replace it (terraform destroy fails rather than delete it); to
# stop managing it and keep it, run `terraform state rm aws_kms_key.cmek aws_kms_alias.cmek`.
# Deleting this block without that would schedule the key's deletion.

terraform {{
  required_version = ">= 1.3"
  required_providers {{
    aws = {{
      source = "hashicorp/aws"
      # aws_region's `name` is deprecated in 6.x (still there) and `region` does not exist in 5.x.
      version = ">= 5.0, < 7.0"
    }}
  }}
}}

data "aws_caller_identity" "current" {{}}
data "aws_partition" "current" {{}}
data "aws_region" "current" {{}}

resource "aws_kms_key" "cmek" {{
  description              = "Speedscale CMEK key, shared with Speedscale account ${{var.speedscale_account_id}}"
  is_enabled               = true
  enable_key_rotation      = false
  customer_master_key_spec = "SYMMETRIC_DEFAULT"
  key_usage                = "ENCRYPT_DECRYPT"
  multi_region             = false
  deletion_window_in_days  = 30

  # 1. Your account keeps full control of the key. Then: Speedscale may use it only as its CMEK
  # tool needs. Last: Speedscale may never disable, delete or change the key or this policy.
  # To cut Speedscale off at any time: disable the key.
  policy = {policy}

  lifecycle {{
    prevent_destroy = true
  }}
}}

resource "aws_kms_alias" "cmek" {{
  name          = var.key_alias_name
  target_key_id = aws_kms_key.cmek.key_id
}}
"#,
        denied = DENIED_TO_VENDOR.len(),
    );
    let variables = format!(
        r#"variable "speedscale_account_id" {{
  description = "Speedscale's AWS account id (given to you by Speedscale)"
  type        = string
  default     = {vendor}

  validation {{
    condition     = can(regex("^[0-9]{{12}}$", var.speedscale_account_id))
    error_message = "An AWS account id is 12 digits."
  }}
}}

variable "key_alias_name" {{
  description = "A name for the key in your account"
  type        = string
  default     = {alias}

  validation {{
    condition     = can(regex("^alias/[a-zA-Z0-9/_-]+$", var.key_alias_name))
    error_message = "An alias name is alias/ followed by letters, digits, /, _ or -."
  }}
}}
"#,
        vendor = hcl_string(vendor),
        alias = hcl_string(&alias),
    );
    let outputs = r#"output "key_arn" {
  # Send this ARN to Speedscale (the full key ARN, not the alias).
  description = "Send this full key ARN to Speedscale"
  value       = aws_kms_key.cmek.arn
}
"#
    .to_string();
    Module {
        main,
        variables,
        outputs,
    }
}

/// The key policy alone, concrete: for a key in `customer` account's `region`, shared with
/// Speedscale's account `vendor`; scoped to one tenant when `scope` is given (its names rendered
/// for `region`).
pub fn bare_policy(
    vendor: &str,
    customer: &str,
    region: &str,
    scope: Option<&TenantScope>,
) -> Value {
    let names = Names {
        partition: crate::input::partition_of_region(region),
        vendor,
        region,
        own_account: customer,
    };
    policy_document(&names, scope)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_interpolations_cmek_means_are_left_unescaped() {
        let doc = serde_json::json!({"a": "${aws:username} %{x} @@vendor@@"});
        let h = heredoc(&doc);
        assert!(
            h.contains("$${aws:username} %%{x} ${var.speedscale_account_id}"),
            "{h}"
        );
        assert_eq!(hcl_string("a\"b${c}"), "\"a\\\"b$${c}\"");
    }

    #[test]
    fn the_bare_policy_names_the_partition_of_its_region() {
        let p = bare_policy("222222222222", "111111111111", "us-gov-west-1", None);
        let text = p.to_string();
        assert!(
            text.contains("arn:aws-us-gov:iam::111111111111:root"),
            "{text}"
        );
        assert!(!text.contains("${"), "{text}");
    }
}
