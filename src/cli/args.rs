//! Argument parsers shared by the subcommands: the tenant id and the key ARN, each with the rule
//! it breaks in one line.

use cmek::{KeyArn, TenantId};

/// `--tenant`.
pub fn parse_tenant(s: &str) -> Result<TenantId, String> {
    s.parse().map_err(|e: cmek::InputError| e.rule)
}

/// `--key-arn`.
pub fn parse_key_arn(s: &str) -> Result<KeyArn, String> {
    s.parse().map_err(|e: cmek::InputError| e.rule)
}
