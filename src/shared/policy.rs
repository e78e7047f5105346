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

/// Lets Speedscale's account use the key through S3, Firehose, RDS, Secrets Manager, SQS and SNS
/// only. SQS and SNS are among the services `kms:ViaService` names ("Amazon Simple Queue Service
/// (Amazon SQS) | sqs.AWS_region.amazonaws.com", and SNS's row: KMS developer guide, condition
/// keys, kms:ViaService, checked 2026-12-02); they use the key for the callers that send and
/// publish (producers and publishers need `kms:GenerateDataKey` and `kms:Decrypt`: each service's
/// "Key management" page).
/// Secrets Manager encrypts the database's AWS-managed master password secret itself, through
/// `secretsmanager.<region>` ("To allow the KMS key to be used only for requests that originate in
/// Secrets Manager, you can use the kms:ViaService condition key with the
/// secretsmanager.<Region>.amazonaws.com value": Secrets Manager user guide, "Secret encryption and
/// decryption"), not through RDS.
pub fn via_service_statement(partition: &str, account: &str, region: &str) -> Value {
    use_through(
        "SpeedscaleUseThroughServices",
        (partition, account, region),
        USE_ACTIONS,
        &["s3", "firehose", "rds", "secretsmanager", "sqs", "sns"],
        None,
    )
}

/// Lets SNS itself use the key to deliver Speedscale's topics into Speedscale's encrypted queues:
/// "To allow these event sources to work with encrypted queues, you must create a customer managed
/// KMS key and add permissions in the key policy for the service to use the required AWS KMS API
/// methods" (SQS developer guide, "Key management", `kms:GenerateDataKey` and `kms:Decrypt` for the
/// service principal), bound to Speedscale's account and topics by `aws:SourceAccount` and
/// `aws:SourceArn`. AWS documents those two conditions for AWS services that publish to encrypted
/// topics ("Add the aws:SourceAccount and aws:SourceArn condition keys to the KMS resource policy
/// to further protect the KMS key from confused deputy attacks": SNS developer guide, "Key
/// management", checked 2026-12-02); that SNS's own calls when delivering into a queue carry them
/// is not stated there: unconfirmed (the local AWS's R24 models it, and its conformance probe
/// checks it in real accounts). `topics`: the topic ARNs or ARN patterns.
pub fn sns_delivery_statement(account: &str, topics: Vec<String>) -> Value {
    let arns = match topics.as_slice() {
        [one] => json!(one),
        _ => json!(topics),
    };
    json!({
        "Sid": "SnsDeliversToSpeedscaleQueues",
        "Effect": "Allow",
        "Principal": { "Service": "sns.amazonaws.com" },
        "Action": ["kms:GenerateDataKey*", "kms:Decrypt"],
        "Resource": "*",
        "Condition": {
            "StringEquals": { "aws:SourceAccount": account },
            "ArnLike": { "aws:SourceArn": arns }
        }
    })
}

/// What services do with the key for Speedscale.
const USE_ACTIONS: &[&str] = &[
    "kms:Encrypt",
    "kms:Decrypt",
    "kms:ReEncrypt*",
    "kms:GenerateDataKey*",
    "kms:DescribeKey",
];

/// Lets Speedscale's account (`kms:CallerAccount`) use the key through `services` only
/// (`kms:ViaService`), and, with `like`, only where a `StringLike` condition holds.
fn use_through(
    sid: &str,
    (partition, account, region): (&str, &str, &str),
    actions: &[&str],
    services: &[&str],
    like: Option<(String, Value)>,
) -> Value {
    let vias: Vec<String> = services
        .iter()
        .map(|s| format!("{s}.{region}.amazonaws.com"))
        .collect();
    let via = match vias.as_slice() {
        [one] => json!(one),
        many => json!(many),
    };
    let mut condition = json!({
        "StringEquals": { "kms:CallerAccount": account, "kms:ViaService": via }
    });
    if let Some((key, values)) = like {
        condition["StringLike"] = json!({ key: values });
    }
    json!({
        "Sid": sid,
        "Effect": "Allow",
        "Principal": principal(partition, account),
        "Action": actions,
        "Resource": "*",
        "Condition": condition
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

/// What a key policy scoped to one tenant names: the tenant, its buckets, and where verify writes
/// its probe object (bucket and key prefix, the tenant's part below it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TenantScope {
    /// The tenant.
    pub tenant: String,
    /// Its bucket names.
    pub buckets: Vec<String>,
    /// verify's probe bucket and key prefix.
    pub probe: (String, String),
    /// Its SQS queue names.
    pub queues: Vec<String>,
    /// Its SNS topic names.
    pub topics: Vec<String>,
}

/// The round trip, for one tenant only: both halves of verify's encryption context must match.
pub fn tenant_round_trip_statement(partition: &str, account: &str, tenant: &str) -> Value {
    json!({
        "Sid": "SpeedscaleVerifyRoundTrip",
        "Effect": "Allow",
        "Principal": principal(partition, account),
        "Action": ["kms:GenerateDataKey", "kms:Decrypt"],
        "Resource": "*",
        "Condition": { "StringEquals": {
            format!("kms:EncryptionContext:{PURPOSE_KEY}"): PURPOSE_VALUE,
            format!("kms:EncryptionContext:{TENANT_KEY}"): tenant
        } }
    })
}

/// Use through services, for one tenant where AWS documents a condition to say so:
/// - S3: only for the tenant's buckets and its part of the probe location. S3's encryption
///   context is `aws:s3:arn`: "If you use SSE-KMS without enabling an S3 Bucket Key, you use the
///   object ARN as your encryption context", and with a Bucket Key "the bucket ARN" (S3 user guide,
///   "Using server-side encryption with AWS KMS keys", read 2026-12-01): both forms are listed.
/// - Secrets Manager: its context names the secret (`SecretARN`, Secrets Manager user guide,
///   "Secret encryption and decryption"), but RDS names a managed secret `rds!db-<id>` (an Aurora
///   cluster's `rds!cluster-<id>`) that is not known when the customer deploys the policy: bound to
///   RDS-managed secrets in Speedscale's account, not to a tenant.
/// - Firehose and RDS: AWS documents no encryption context for a stream's own encryption, and
///   RDS's storage context (`aws:rds:db-id`) is a resource id known only after creation: no
///   condition binds them to a tenant; they stay bound by `kms:ViaService` and
///   `kms:CallerAccount` only (docs/iam.md says so, and verify reports what the binding covers).
/// - SQS and SNS (when the tenant has queues or topics): no encryption context AWS documents for
///   them was found, so they are bound as Firehose and RDS are; SNS's own delivery into the queues
///   is bound to the tenant's topics by `aws:SourceArn`.
pub fn tenant_via_service_statements(
    partition: &str,
    account: &str,
    region: &str,
    scope: &TenantScope,
) -> Vec<Value> {
    let mut arns: Vec<String> = scope
        .buckets
        .iter()
        .flat_map(|b| {
            [
                format!("arn:{partition}:s3:::{b}"),
                format!("arn:{partition}:s3:::{b}/*"),
            ]
        })
        .collect();
    arns.push(format!(
        "arn:{partition}:s3:::{}/{}{}/*",
        scope.probe.0, scope.probe.1, scope.tenant
    ));
    let at = (partition, account, region);
    let mut out = vec![
        // S3's own DescribeKey is not among what SSE-KMS documents S3 calling: left out here.
        use_through(
            "SpeedscaleUseThroughS3ForTenant",
            at,
            &USE_ACTIONS[..4],
            &["s3"],
            Some(("kms:EncryptionContext:aws:s3:arn".into(), json!(arns))),
        ),
        use_through(
            "SpeedscaleUseThroughFirehoseAndRds",
            at,
            USE_ACTIONS,
            &["firehose", "rds"],
            None,
        ),
        use_through(
            "SpeedscaleUseThroughSecretsManagerForRdsSecrets",
            at,
            &["kms:Decrypt", "kms:GenerateDataKey*"],
            &["secretsmanager"],
            Some((
                "kms:EncryptionContext:SecretARN".into(),
                json!([
                    format!("arn:{partition}:secretsmanager:{region}:{account}:secret:rds!db-*"),
                    format!(
                        "arn:{partition}:secretsmanager:{region}:{account}:secret:rds!cluster-*"
                    )
                ]),
            )),
        ),
    ];
    let mut messaging = vec![];
    if !scope.queues.is_empty() {
        messaging.push("sqs");
    }
    if !scope.topics.is_empty() {
        messaging.push("sns");
    }
    if !messaging.is_empty() {
        out.push(use_through(
            "SpeedscaleUseThroughSqsAndSns",
            at,
            &["kms:Decrypt", "kms:GenerateDataKey*", "kms:DescribeKey"],
            &messaging,
            None,
        ));
    }
    if !scope.topics.is_empty() && !scope.queues.is_empty() {
        out.push(sns_delivery_statement(
            account,
            scope
                .topics
                .iter()
                .map(|t| format!("arn:{partition}:sns:{region}:{account}:{t}"))
                .collect(),
        ));
    }
    out
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
