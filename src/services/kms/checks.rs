//! verify's checks of the key: its metadata, rotation, the round trip, a direct grant, and what
//! only the services themselves can prove.

use aws_sdk_kms::types::KeyMetadata;

use super::{KmsResult, VerifyRequest};
use crate::error::{AwsError, Refusal};
use crate::shared::ids::CheckId;
use crate::shared::policy;
use crate::shared::report::{Check, Remedy, Status};

fn key_refusal_message(err: &AwsError, action: &str) -> String {
    match err.refusal() {
        Some(Refusal::KeyPolicy) => {
            format!("the customer's key policy does not allow Speedscale's account {action}")
        }
        Some(Refusal::OurIam | Refusal::Unattributed) | None => format!(
            "access denied {action} (AWS did not say which policy; most likely the key policy)"
        ),
    }
}

/// The checks read off the key's metadata (skipped when it cannot be read).
pub const METADATA_CHECKS: [CheckId; 8] = [
    CheckId::KeyState,
    CheckId::KeySpec,
    CheckId::KeyUsage,
    CheckId::KeyManager,
    CheckId::KeyOrigin,
    CheckId::KeyRegion,
    CheckId::KeyOwner,
    CheckId::KeyMultiRegion,
];

/// The key's metadata, or why it could not be read, as checks.
pub fn describe_checks(
    meta: Result<Option<&KeyMetadata>, &AwsError>,
    req: &VerifyRequest,
) -> Vec<Check> {
    let arn = req.key.as_str();
    let (p, acct) = (req.key.partition(), req.account.as_str());
    let meta = match meta {
        Ok(Some(m)) => m,
        Ok(None) => {
            return vec![Check::new(
                CheckId::KeyAccess,
                Status::Fail,
                arn,
                "DescribeKey returned no key metadata",
            )];
        }
        Err(e) => {
            let check = if e.refusal().is_some() {
                Check::new(
                    CheckId::KeyAccess,
                    Status::Fail,
                    arn,
                    key_refusal_message(e, "to describe the key"),
                )
                .remedy(Remedy::statement(
                    "add to the key policy:",
                    policy::describe_statement(p, acct),
                ))
            } else if e.is("NotFoundException") {
                Check::new(
                    CheckId::KeyAccess,
                    Status::Fail,
                    arn,
                    "no such key: it does not exist in that account and region, or was deleted",
                )
                .remedy("confirm the full key ARN (account, region, key id) with the customer")
            } else {
                Check::new(
                    CheckId::KeyAccess,
                    Status::Fail,
                    arn,
                    format!("DescribeKey failed: {} {}", e.code(), e.message()),
                )
            };
            let mut out = vec![check.aws_error(e.code())];
            for id in METADATA_CHECKS {
                out.push(Check::new(
                    id,
                    Status::Skip,
                    arn,
                    "key metadata unavailable",
                ));
            }
            return out;
        }
    };
    let mut out = vec![Check::new(
        CheckId::KeyAccess,
        Status::Pass,
        arn,
        format!("described cross-account from {acct}"),
    )];

    use aws_sdk_kms::types::{KeyManagerType, KeySpec, KeyState, KeyUsageType, OriginType};
    let state = meta.key_state();
    let state_check = match state {
        Some(KeyState::Enabled) => Check::new(CheckId::KeyState, Status::Pass, arn, "Enabled"),
        Some(KeyState::Disabled) => Check::new(
            CheckId::KeyState,
            Status::Fail,
            arn,
            "Disabled: every use of the key is refused",
        )
        .remedy(
            "the customer enables the key (KMS console, or aws kms enable-key --key-id <key id>)",
        ),
        Some(KeyState::PendingDeletion) => {
            let when = meta
                .deletion_date()
                .map(|d| format!(" on {}", fmt_date(d)))
                .unwrap_or_default();
            Check::new(CheckId::KeyState, Status::Fail, arn, format!("PendingDeletion: the key will be deleted{when}"))
                .remedy("the customer cancels the deletion (aws kms cancel-key-deletion) and enables the key")
        }
        Some(KeyState::PendingImport) => Check::new(
            CheckId::KeyState,
            Status::Fail,
            arn,
            "PendingImport: the key has no key material",
        )
        .remedy("the customer imports the key material, or creates a key with AWS_KMS origin"),
        Some(KeyState::Unavailable) => Check::new(
            CheckId::KeyState,
            Status::Fail,
            arn,
            "Unavailable: its custom key store is disconnected",
        )
        .remedy("the customer reconnects the custom key store"),
        Some(KeyState::PendingReplicaDeletion) => Check::new(
            CheckId::KeyState,
            Status::Fail,
            arn,
            "PendingReplicaDeletion",
        )
        .remedy("the customer cancels the replica's deletion"),
        Some(other) => Check::new(
            CheckId::KeyState,
            Status::Fail,
            arn,
            format!("{}: not ready for use", other.as_str()),
        )
        .remedy("wait until the key is Enabled, then verify again"),
        None => Check::new(
            CheckId::KeyState,
            Status::Fail,
            arn,
            "no key state reported",
        ),
    };
    out.push(state_check);

    let spec = meta.key_spec().map(|s| s.as_str()).unwrap_or("unknown");
    out.push(if meta.key_spec() == Some(&KeySpec::SymmetricDefault) {
        Check::new(CheckId::KeySpec, Status::Pass, arn, "SYMMETRIC_DEFAULT")
    } else {
        Check::new(CheckId::KeySpec, Status::Fail, arn, format!("{spec}: S3, Firehose and RDS need a symmetric encryption key"))
            .remedy("the customer creates a new key with KeySpec SYMMETRIC_DEFAULT (our CloudFormation template does)")
    });
    let usage = meta.key_usage().map(|s| s.as_str()).unwrap_or("unknown");
    out.push(if meta.key_usage() == Some(&KeyUsageType::EncryptDecrypt) {
        Check::new(CheckId::KeyUsage, Status::Pass, arn, "ENCRYPT_DECRYPT")
    } else {
        Check::new(CheckId::KeyUsage, Status::Fail, arn, format!("{usage}: the key cannot encrypt data"))
            .remedy("the customer creates a new key with KeyUsage ENCRYPT_DECRYPT (our CloudFormation template does)")
    });
    out.push(match meta.key_manager() {
        Some(KeyManagerType::Customer) => {
            Check::new(CheckId::KeyManager, Status::Pass, arn, "customer managed")
        }
        other => Check::new(
            CheckId::KeyManager,
            Status::Fail,
            arn,
            format!(
                "{}: an AWS managed key cannot be shared with another account",
                other.map(|m| m.as_str()).unwrap_or("unknown")
            ),
        )
        .remedy("the customer creates a customer managed key (our CloudFormation template does)"),
    });
    out.push(match meta.origin() {
        Some(OriginType::AwsKms) => Check::new(CheckId::KeyOrigin, Status::Pass, arn, "AWS_KMS key material"),
        Some(OriginType::External) => {
            let expiry = meta.valid_to().map(|d| format!("; it expires on {}", fmt_date(d))).unwrap_or_default();
            Check::new(CheckId::KeyOrigin, Status::Warn, arn, format!("EXTERNAL: imported key material{expiry}; when it expires or is deleted, Speedscale loses access"))
                .remedy("the customer keeps the imported material current, or uses AWS_KMS origin")
        }
        Some(OriginType::AwsCloudhsm) => Check::new(CheckId::KeyOrigin, Status::Warn, arn, "AWS_CLOUDHSM: a custom key store; the key is unusable while the CloudHSM cluster is disconnected")
            .remedy("the customer keeps the custom key store connected"),
        Some(OriginType::ExternalKeyStore) => Check::new(CheckId::KeyOrigin, Status::Warn, arn, "EXTERNAL_KEY_STORE: the key is unusable whenever the external key manager is unreachable")
            .remedy("the customer keeps the external key store reachable"),
        other => Check::new(CheckId::KeyOrigin, Status::Warn, arn, format!("origin {}", other.map(|o| o.as_str()).unwrap_or("unknown"))),
    });
    let described_arn = meta.arn().unwrap_or_default();
    out.push(if described_arn == arn {
        Check::new(
            CheckId::KeyRegion,
            Status::Pass,
            arn,
            format!("{}, the environment's region", req.region),
        )
    } else {
        Check::new(
            CheckId::KeyRegion,
            Status::Fail,
            arn,
            format!("KMS described {described_arn}, not the ARN given"),
        )
    });
    let owner = meta.aws_account_id().unwrap_or_default();
    out.push(if owner == req.key.account() && owner != req.account {
        Check::new(
            CheckId::KeyOwner,
            Status::Pass,
            arn,
            format!("owned by the customer's account {owner}"),
        )
    } else {
        Check::new(
            CheckId::KeyOwner,
            Status::Fail,
            arn,
            format!(
                "owned by {owner}, expected the customer's account {}",
                req.key.account()
            ),
        )
    });
    out.push(if meta.multi_region() == Some(true) {
        Check::new(CheckId::KeyMultiRegion, Status::Warn, arn, format!("multi-Region key: only the {} copy's key policy governs Speedscale here; each region's policy is separate", req.region))
    } else {
        Check::new(CheckId::KeyMultiRegion, Status::Pass, arn, "single-Region key")
    });
    out
}

/// Rotation status: on is a warning (Speedscale does not support rotating a customer key).
pub fn rotation_check(result: Result<Option<bool>, &AwsError>, req: &VerifyRequest) -> Check {
    let arn = req.key.as_str();
    match result {
        Ok(Some(true)) => Check::new(CheckId::KeyRotation, Status::Warn, arn, "automatic rotation is on: AWS keeps the key ARN, and rotating key material does not affect the use of the key in any AWS service; Speedscale's own policy (not an AWS limit) asks customers to keep it off")
            .remedy("the customer turns automatic rotation off (aws kms disable-key-rotation)"),
        Ok(_) => Check::new(CheckId::KeyRotation, Status::Pass, arn, "automatic rotation is off"),
        Err(e) if e.is("UnsupportedOperationException") => {
            Check::new(CheckId::KeyRotation, Status::Skip, arn, "rotation does not apply to this kind of key").aws_error(e.code())
        }
        Err(e) if e.refusal().is_some() => Check::new(CheckId::KeyRotation, Status::Warn, arn, "cannot read the rotation status: the key policy does not allow kms:GetKeyRotationStatus")
            .remedy(Remedy::statement("add to the key policy:", policy::describe_statement(req.key.partition(), &req.account)))
            .aws_error(e.code()),
        Err(e) => Check::new(CheckId::KeyRotation, Status::Skip, arn, format!("rotation status unknown: {}", [e.code(), e.message()].into_iter().filter(|s| !s.is_empty()).collect::<Vec<_>>().join(" "))).aws_error(e.code()),
    }
}

/// The live GenerateDataKey → Decrypt round trip.
pub fn round_trip_check(result: &KmsResult<()>, req: &VerifyRequest) -> Check {
    let arn = req.key.as_str();
    let Err(e) = result else {
        return Check::new(
            CheckId::KmsRoundTrip,
            Status::Pass,
            arn,
            "GenerateDataKey and Decrypt succeeded with the verify encryption context",
        );
    };
    let what = match e.code().trim_start_matches("KMS.") {
        "DisabledException" => "the key is disabled".to_string(),
        "KMSInvalidStateException" => {
            "the key's state refuses use (pending deletion or import)".to_string()
        }
        "KeyUnavailableException" => "the key's key store is unavailable".to_string(),
        "InvalidKeyUsageException" => {
            "the key cannot encrypt data (wrong key usage or spec)".to_string()
        }
        "NotFoundException" => "no such key".to_string(),
        "InvalidCiphertextException" | "IncorrectKeyException" => {
            "Decrypt refused the ciphertext GenerateDataKey returned".to_string()
        }
        "RoundTripMismatch" => e.message().to_string(),
        _ if e.refusal().is_some() => key_refusal_message(
            e,
            "to generate and decrypt a data key with the verify encryption context",
        ),
        code => format!("{} failed: {code} {}", e.operation, e.message()),
    };
    let mut check = Check::new(
        CheckId::KmsRoundTrip,
        Status::Fail,
        arn,
        format!("{} refused: {what}", e.operation),
    )
    .aws_error(e.code());
    if e.refusal().is_some() {
        check = check.remedy(Remedy::statement(
            "add to the key policy:",
            policy::round_trip_statement(req.key.partition(), &req.account),
        ));
    }
    check
}

/// A DryRun CreateGrant. Denied is expected (grants only for AWS resources); allowed is broader
/// than needed.
pub fn grant_check<T>(result: &KmsResult<T>, req: &VerifyRequest) -> Check {
    let arn = req.key.as_str();
    match result {
        Err(e) if e.is("DryRunOperationException") => Check::new(
            CheckId::KmsGrantDirect,
            Status::Warn,
            arn,
            "the key policy lets Speedscale create grants directly, not only for AWS resources",
        )
        .remedy(Remedy::statement("suggest the customer narrows grants to AWS resources:", policy::grant_statement(req.key.partition(), &req.account, &req.region))),
        Err(e) if e.refusal().is_some() => Check::new(
            CheckId::KmsGrantDirect,
            Status::Pass,
            arn,
            "a direct CreateGrant is denied, as expected when grants are limited to AWS resources (kms:GrantIsForAWSResource); RDS and Firehose grants are proven at enable",
        )
        .aws_error(e.code()),
        Err(e) => Check::new(CheckId::KmsGrantDirect, Status::Skip, arn, format!("DryRun CreateGrant inconclusive: {} {}", e.code(), e.message()))
            .aws_error(e.code()),
        Ok(_) => Check::new(
            CheckId::KmsGrantDirect,
            Status::Warn,
            arn,
            "DryRun CreateGrant succeeded without DryRunOperationException; the endpoint ignored DryRun",
        ),
    }
}

/// A service whose use of the key (kms:ViaService) only that service can prove: skipped, with the
/// statement the key policy needs.
pub fn via_service_skip(id: CheckId, service: &str, why: &str, req: &VerifyRequest) -> Check {
    let when = match id {
        CheckId::SqsViaService | CheckId::SnsViaService => {
            "nor at enable (putting a queue or topic on the key calls no KMS): the first send or publish proves it"
        }
        _ => "and is proven at enable",
    };
    Check::new(
        id,
        Status::Skip,
        req.key.as_str(),
        format!("{why}; {service}'s use of the key (kms:ViaService) cannot be proven by a direct call {when}"),
    )
    .remedy(Remedy::statement("the key policy needs:", policy::via_service_statement(req.key.partition(), &req.account, &req.region)))
}

/// Firehose and RDS: proven at enable, through their own grants.
pub fn via_service_skips(req: &VerifyRequest) -> Vec<Check> {
    vec![
        via_service_skip(
            CheckId::FirehoseViaService,
            "Firehose",
            "Firehose uses the key only through its own grant",
            req,
        ),
        via_service_skip(
            CheckId::RdsViaService,
            "RDS",
            "RDS uses the key only through its own grant, and Secrets Manager uses it itself (through secretsmanager.<region>) for the database's master password secret",
            req,
        ),
    ]
    .into_iter()
    .chain(req.messaging.0.then(|| {
        via_service_skip(
            CheckId::SqsViaService,
            "SQS",
            "SQS uses the key for the caller that sends or receives, through sqs.<region>",
            req,
        )
    }))
    .chain(req.messaging.1.then(|| {
        via_service_skip(
            CheckId::SnsViaService,
            "SNS",
            "SNS uses the key for the caller that publishes, through sns.<region>, and for itself when it delivers into an encrypted queue (the key policy's SnsDeliversToSpeedscaleQueues statement)",
            req,
        )
    }))
    .collect()
}

pub(crate) fn fmt_date(d: &aws_smithy_types::DateTime) -> String {
    d.fmt(aws_smithy_types::date_time::Format::DateTime)
        .unwrap_or_else(|_| d.secs().to_string())
}
