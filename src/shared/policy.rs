//! The key-policy statements a customer's key needs for Speedscale, used in remedies (and by the
//! CloudFormation template). One source, so the remedy text and the template cannot disagree.

use serde_json::{json, Value};

/// The encryption context of `verify`'s direct round trip (shared with the customer template).
pub const PURPOSE_KEY: &str = "speedscale:purpose";
/// Its value.
pub const PURPOSE_VALUE: &str = "cmek-verify";
/// The tenant key of the encryption context.
pub const TENANT_KEY: &str = "speedscale:tenant";

fn principal(partition: &str, account: &str) -> Value {
    json!({ "AWS": format!("arn:{partition}:iam::{account}:root") })
}

/// Lets Speedscale describe the key and read its rotation status directly.
pub fn describe_statement(partition: &str, account: &str) -> Value {
    json!({
        "Sid": "SpeedscaleDescribe",
        "Effect": "Allow",
        "Principal": principal(partition, account),
        "Action": ["kms:DescribeKey", "kms:GetKeyRotationStatus"],
        "Resource": "*"
    })
}

/// Lets Speedscale make `verify`'s direct round trip, and nothing else directly.
pub fn round_trip_statement(partition: &str, account: &str) -> Value {
    json!({
        "Sid": "SpeedscaleVerifyRoundTrip",
        "Effect": "Allow",
        "Principal": principal(partition, account),
        "Action": ["kms:GenerateDataKey", "kms:Decrypt"],
        "Resource": "*",
        "Condition": { "StringEquals": { format!("kms:EncryptionContext:{PURPOSE_KEY}"): PURPOSE_VALUE } }
    })
}

/// Lets Speedscale's account use the key through S3, Firehose, RDS and Secrets Manager only.
/// Secrets Manager encrypts the database's AWS-managed master password secret itself, through
/// `secretsmanager.<region>` ("To allow the KMS key to be used only for requests that originate in
/// Secrets Manager, you can use the kms:ViaService condition key with the
/// secretsmanager.<Region>.amazonaws.com value": Secrets Manager user guide, "Secret encryption and
/// decryption"), not through RDS.
pub fn via_service_statement(partition: &str, account: &str, region: &str) -> Value {
    json!({
        "Sid": "SpeedscaleUseThroughServices",
        "Effect": "Allow",
        "Principal": principal(partition, account),
        "Action": ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:DescribeKey"],
        "Resource": "*",
        "Condition": {
            "StringEquals": {
                "kms:CallerAccount": account,
                "kms:ViaService": [
                    format!("s3.{region}.amazonaws.com"),
                    format!("firehose.{region}.amazonaws.com"),
                    format!("rds.{region}.amazonaws.com"),
                    format!("secretsmanager.{region}.amazonaws.com")
                ]
            }
        }
    })
}

/// Lets Speedscale's account create grants for AWS resources only, and only through RDS, Firehose
/// and Secrets Manager: without `kms:ViaService`, any AWS service acting for Speedscale's account
/// could create one. RDS and Firehose hold grants on the key; the RDS user guide lists
/// `kms:CreateGrant` among what the principal that sets `MasterUserSecretKmsKeyId` needs ("Secrets
/// Manager integration", read 2026-12-01) without saying which service makes that call, so
/// `secretsmanager.<region>` is allowed beside `rds.<region>`, and enable is tested under both
/// answers (the local AWS's `secret_grant_via_secretsmanager`).
pub fn grant_statement(partition: &str, account: &str, region: &str) -> Value {
    json!({
        "Sid": "SpeedscaleGrantsForAwsResources",
        "Effect": "Allow",
        "Principal": principal(partition, account),
        "Action": ["kms:CreateGrant", "kms:ListGrants", "kms:RevokeGrant"],
        "Resource": "*",
        "Condition": {
            "Bool": { "kms:GrantIsForAWSResource": "true" },
            "StringEquals": {
                "kms:ViaService": [
                    format!("rds.{region}.amazonaws.com"),
                    format!("firehose.{region}.amazonaws.com"),
                    format!("secretsmanager.{region}.amazonaws.com")
                ]
            }
        }
    })
}

/// What the customer runs to cut off the grants RDS and Firehose hold on the key: disable the key,
/// or list its grants and revoke them (the customer's own call, on their own key).
pub fn revoke_grants_remedy(key_arn: &str) -> String {
    format!(
        "the customer disables the key (aws kms disable-key --key-id {key_arn}), or revokes the grants RDS and Firehose created: aws kms list-grants --key-id {key_arn}, then aws kms revoke-grant --key-id {key_arn} --grant-id <GrantId> for each of them (revoking RDS's grant makes the database inaccessible, as disabling the key does)"
    )
}

/// A statement as one line, for remedies.
pub fn one_line(statement: &Value) -> String {
    statement.to_string()
}
