//! `verify`: prove the customer's key is usable for a tenant, changing nothing on the key.
//!
//! Critical path after STS: one wave of independent calls (DescribeKey, GetKeyRotationStatus,
//! GenerateDataKey, a DryRun CreateGrant, and the S3 probe's PutObject), then Decrypt (and the
//! probe's GetObject, DeleteObject). Every KMS answer becomes a check with a stable id
//! (docs/checks.md); only failures on our own side (network, our credentials, our IAM,
//! throttling past retries) become an `Err` (exit 3).

use std::collections::HashMap;

use aws_sdk_kms::types::{DataKeySpec, GrantOperation, KeyMetadata};
use aws_sdk_kms::Client as Kms;
use aws_sdk_s3::types::ServerSideEncryption;
use aws_sdk_s3::Client as S3;
use zeroize::Zeroizing;

use crate::error::{AwsError, Error, Refusal};
use crate::input::{KeyArn, TenantId};
use crate::policy;
use crate::report::{Check, Status, VerifyReport};

/// What to verify.
#[derive(Debug, Clone)]
pub struct VerifyRequest {
    /// The tenant.
    pub tenant: TenantId,
    /// The customer's key.
    pub key: KeyArn,
    /// Speedscale's CMEK environment account.
    pub account: String,
    /// The environment's region.
    pub region: String,
    /// A Speedscale-owned (bucket, key prefix) for the S3 probe object, if the environment has one.
    pub probe: Option<(String, String)>,
    /// Endpoint override, for messages.
    pub endpoint: Option<String>,
}

/// The encryption context of the direct round trip (CONTRACT.md).
pub fn encryption_context(tenant: &TenantId) -> HashMap<String, String> {
    HashMap::from([
        (
            policy::PURPOSE_KEY.to_string(),
            policy::PURPOSE_VALUE.to_string(),
        ),
        (policy::TENANT_KEY.to_string(), tenant.to_string()),
    ])
}

/// Every check id `verify` can emit, in report order.
pub const CHECK_IDS: &[&str] = &[
    "key-access",
    "key-state",
    "key-spec",
    "key-usage",
    "key-manager",
    "key-origin",
    "key-region",
    "key-owner",
    "key-multi-region",
    "key-rotation",
    "kms-round-trip",
    "kms-grant-direct",
    "s3-via-service",
    "firehose-via-service",
    "rds-via-service",
];

type KmsResult<T> = Result<T, AwsError>;

/// Runs every check. `Err` only for failures on our own side.
pub async fn verify(kms: &Kms, s3: &S3, req: &VerifyRequest) -> Result<VerifyReport, Error> {
    let arn = req.key.as_str();
    let ep = req.endpoint.as_deref();
    let describe = async {
        kms.describe_key()
            .key_id(arn)
            .send()
            .await
            .map_err(|e| AwsError::from_sdk("kms", "DescribeKey", &e).at(ep))
    };
    let rotation = async {
        kms.get_key_rotation_status()
            .key_id(arn)
            .send()
            .await
            .map_err(|e| AwsError::from_sdk("kms", "GetKeyRotationStatus", &e).at(ep))
    };
    let grant = async {
        kms.create_grant()
            .key_id(arn)
            .grantee_principal(format!(
                "arn:{}:iam::{}:root",
                req.key.partition(),
                req.account
            ))
            .operations(GrantOperation::Decrypt)
            .dry_run(true)
            .send()
            .await
            .map_err(|e| AwsError::from_sdk("kms", "CreateGrant", &e).at(ep))
    };
    let (describe, rotation, round_trip, grant, probe) = tokio::join!(
        describe,
        rotation,
        round_trip(kms, req),
        grant,
        s3_probe(s3, req)
    );

    // Our own side failing makes the whole answer unknowable: exit 3, whichever call saw it first.
    for err in [
        describe.as_ref().err(),
        rotation.as_ref().err(),
        round_trip.as_ref().err(),
        grant.as_ref().err(),
    ]
    .into_iter()
    .flatten()
    {
        if err.is_our_side() {
            return Err(err.clone().into());
        }
    }
    let probe = probe?;

    let mut checks = Vec::new();
    checks.extend(describe_checks(
        describe.as_ref().map(|o| o.key_metadata()),
        req,
    ));
    checks.push(rotation_check(
        rotation.as_ref().map(|o| Some(o.key_rotation_enabled())),
        req,
    ));
    checks.push(round_trip_check(&round_trip, req));
    checks.push(grant_check(&grant, req));
    checks.push(probe);
    checks.extend(via_service_skips(req));
    Ok(VerifyReport::new(
        req.tenant.as_str(),
        arn,
        &req.account,
        &req.region,
        checks,
    ))
}

/// GenerateDataKey then Decrypt with the contract's encryption context. The plaintext never
/// leaves this function, and both copies are zeroed on drop.
pub async fn round_trip(kms: &Kms, req: &VerifyRequest) -> KmsResult<()> {
    let arn = req.key.as_str();
    let ep = req.endpoint.as_deref();
    let ctx = encryption_context(&req.tenant);
    let mut generated = kms
        .generate_data_key()
        .key_id(arn)
        .key_spec(DataKeySpec::Aes256)
        .set_encryption_context(Some(ctx.clone()))
        .send()
        .await
        .map_err(|e| AwsError::from_sdk("kms", "GenerateDataKey", &e).at(ep))?;
    let plaintext = Zeroizing::new(
        generated
            .plaintext
            .take()
            .map(|b| b.into_inner())
            .unwrap_or_default(),
    );
    let Some(ciphertext) = generated.ciphertext_blob.take() else {
        return Err(AwsError::service(
            "kms",
            "GenerateDataKey",
            "MissingCiphertext",
            "no ciphertext returned",
        ));
    };
    let mut decrypted = kms
        .decrypt()
        .key_id(arn)
        .ciphertext_blob(ciphertext)
        .set_encryption_context(Some(ctx))
        .send()
        .await
        .map_err(|e| AwsError::from_sdk("kms", "Decrypt", &e).at(ep))?;
    let roundtripped = Zeroizing::new(
        decrypted
            .plaintext
            .take()
            .map(|b| b.into_inner())
            .unwrap_or_default(),
    );
    if plaintext.len() != 32 || *plaintext != *roundtripped {
        return Err(AwsError::service(
            "kms",
            "Decrypt",
            "RoundTripMismatch",
            "Decrypt did not return the generated data key",
        ));
    }
    if decrypted.key_id() != Some(arn) {
        let got = decrypted.key_id().unwrap_or("none").to_string();
        return Err(AwsError::service(
            "kms",
            "Decrypt",
            "RoundTripMismatch",
            &format!("Decrypt used key {got}"),
        ));
    }
    Ok(())
}

fn key_refusal_message(err: &AwsError, action: &str) -> String {
    match err.refusal() {
        Some(Refusal::KeyPolicy) => {
            format!("the customer's key policy does not allow Speedscale's account {action}")
        }
        _ => format!(
            "access denied {action} (AWS did not say which policy; most likely the key policy)"
        ),
    }
}

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
                "key-access",
                Status::Fail,
                arn,
                "DescribeKey returned no key metadata",
            )];
        }
        Err(e) => {
            let check = if e.refusal().is_some() {
                Check::new(
                    "key-access",
                    Status::Fail,
                    arn,
                    key_refusal_message(e, "to describe the key"),
                )
                .remedy(format!(
                    "add to the key policy: {}",
                    policy::one_line(&policy::describe_statement(p, acct))
                ))
            } else if e.is("NotFoundException") {
                Check::new(
                    "key-access",
                    Status::Fail,
                    arn,
                    "no such key: it does not exist in that account and region, or was deleted",
                )
                .remedy("confirm the full key ARN (account, region, key id) with the customer")
            } else {
                Check::new(
                    "key-access",
                    Status::Fail,
                    arn,
                    format!("DescribeKey failed: {} {}", e.code(), e.message()),
                )
            };
            let mut out = vec![check.aws_error(e.code())];
            for id in &CHECK_IDS[1..9] {
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
        "key-access",
        Status::Pass,
        arn,
        format!("described cross-account from {acct}"),
    )];

    use aws_sdk_kms::types::{KeyManagerType, KeySpec, KeyState, KeyUsageType, OriginType};
    let state = meta.key_state();
    let state_check = match state {
        Some(KeyState::Enabled) => Check::new("key-state", Status::Pass, arn, "Enabled"),
        Some(KeyState::Disabled) => Check::new(
            "key-state",
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
            Check::new("key-state", Status::Fail, arn, format!("PendingDeletion: the key will be deleted{when}"))
                .remedy("the customer cancels the deletion (aws kms cancel-key-deletion) and enables the key")
        }
        Some(KeyState::PendingImport) => Check::new(
            "key-state",
            Status::Fail,
            arn,
            "PendingImport: the key has no key material",
        )
        .remedy("the customer imports the key material, or creates a key with AWS_KMS origin"),
        Some(KeyState::Unavailable) => Check::new(
            "key-state",
            Status::Fail,
            arn,
            "Unavailable: its custom key store is disconnected",
        )
        .remedy("the customer reconnects the custom key store"),
        Some(KeyState::PendingReplicaDeletion) => {
            Check::new("key-state", Status::Fail, arn, "PendingReplicaDeletion")
                .remedy("the customer cancels the replica's deletion")
        }
        Some(other) => Check::new(
            "key-state",
            Status::Fail,
            arn,
            format!("{}: not ready for use", other.as_str()),
        )
        .remedy("wait until the key is Enabled, then verify again"),
        None => Check::new("key-state", Status::Fail, arn, "no key state reported"),
    };
    out.push(state_check);

    let spec = meta.key_spec().map(|s| s.as_str()).unwrap_or("unknown");
    out.push(if meta.key_spec() == Some(&KeySpec::SymmetricDefault) {
        Check::new("key-spec", Status::Pass, arn, "SYMMETRIC_DEFAULT")
    } else {
        Check::new("key-spec", Status::Fail, arn, format!("{spec}: S3, Firehose and RDS need a symmetric encryption key"))
            .remedy("the customer creates a new key with KeySpec SYMMETRIC_DEFAULT (our CloudFormation template does)")
    });
    let usage = meta.key_usage().map(|s| s.as_str()).unwrap_or("unknown");
    out.push(if meta.key_usage() == Some(&KeyUsageType::EncryptDecrypt) {
        Check::new("key-usage", Status::Pass, arn, "ENCRYPT_DECRYPT")
    } else {
        Check::new("key-usage", Status::Fail, arn, format!("{usage}: the key cannot encrypt data"))
            .remedy("the customer creates a new key with KeyUsage ENCRYPT_DECRYPT (our CloudFormation template does)")
    });
    out.push(match meta.key_manager() {
        Some(KeyManagerType::Customer) => {
            Check::new("key-manager", Status::Pass, arn, "customer managed")
        }
        other => Check::new(
            "key-manager",
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
        Some(OriginType::AwsKms) => Check::new("key-origin", Status::Pass, arn, "AWS_KMS key material"),
        Some(OriginType::External) => {
            let expiry = meta.valid_to().map(|d| format!("; it expires on {}", fmt_date(d))).unwrap_or_default();
            Check::new("key-origin", Status::Warn, arn, format!("EXTERNAL: imported key material{expiry}; when it expires or is deleted, Speedscale loses access"))
                .remedy("the customer keeps the imported material current, or uses AWS_KMS origin")
        }
        Some(OriginType::AwsCloudhsm) => Check::new("key-origin", Status::Warn, arn, "AWS_CLOUDHSM: a custom key store; the key is unusable while the CloudHSM cluster is disconnected")
            .remedy("the customer keeps the custom key store connected"),
        Some(OriginType::ExternalKeyStore) => Check::new("key-origin", Status::Warn, arn, "EXTERNAL_KEY_STORE: the key is unusable whenever the external key manager is unreachable")
            .remedy("the customer keeps the external key store reachable"),
        other => Check::new("key-origin", Status::Warn, arn, format!("origin {}", other.map(|o| o.as_str()).unwrap_or("unknown"))),
    });
    let described_arn = meta.arn().unwrap_or_default();
    out.push(if described_arn == arn {
        Check::new(
            "key-region",
            Status::Pass,
            arn,
            format!("{}, the environment's region", req.region),
        )
    } else {
        Check::new(
            "key-region",
            Status::Fail,
            arn,
            format!("KMS described {described_arn}, not the ARN given"),
        )
    });
    let owner = meta.aws_account_id().unwrap_or_default();
    out.push(if owner == req.key.account() && owner != req.account {
        Check::new(
            "key-owner",
            Status::Pass,
            arn,
            format!("owned by the customer's account {owner}"),
        )
    } else {
        Check::new(
            "key-owner",
            Status::Fail,
            arn,
            format!(
                "owned by {owner}, expected the customer's account {}",
                req.key.account()
            ),
        )
    });
    out.push(if meta.multi_region() == Some(true) {
        Check::new("key-multi-region", Status::Warn, arn, format!("multi-Region key: only the {} copy's key policy governs Speedscale here; each region's policy is separate", req.region))
    } else {
        Check::new("key-multi-region", Status::Pass, arn, "single-Region key")
    });
    out
}

/// Rotation status: on is a warning (Speedscale does not support rotating a customer key).
pub fn rotation_check(result: Result<Option<bool>, &AwsError>, req: &VerifyRequest) -> Check {
    let arn = req.key.as_str();
    match result {
        Ok(Some(true)) => Check::new("key-rotation", Status::Warn, arn, "automatic rotation is on; Speedscale does not support rotating a customer managed key")
            .remedy("the customer turns automatic rotation off (aws kms disable-key-rotation)"),
        Ok(_) => Check::new("key-rotation", Status::Pass, arn, "automatic rotation is off"),
        Err(e) if e.is("UnsupportedOperationException") => {
            Check::new("key-rotation", Status::Skip, arn, "rotation does not apply to this kind of key").aws_error(e.code())
        }
        Err(e) if e.refusal().is_some() => Check::new("key-rotation", Status::Warn, arn, "cannot read the rotation status: the key policy does not allow kms:GetKeyRotationStatus")
            .remedy(format!("add to the key policy: {}", policy::one_line(&policy::describe_statement(req.key.partition(), &req.account))))
            .aws_error(e.code()),
        Err(e) => Check::new("key-rotation", Status::Skip, arn, format!("rotation status unknown: {} {}", e.code(), e.message())).aws_error(e.code()),
    }
}

/// The live GenerateDataKey → Decrypt round trip.
pub fn round_trip_check(result: &KmsResult<()>, req: &VerifyRequest) -> Check {
    let arn = req.key.as_str();
    let Err(e) = result else {
        return Check::new(
            "kms-round-trip",
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
        "kms-round-trip",
        Status::Fail,
        arn,
        format!("{} refused: {what}", e.operation),
    )
    .aws_error(e.code());
    if e.refusal().is_some() {
        check = check.remedy(format!(
            "add to the key policy: {}",
            policy::one_line(&policy::round_trip_statement(
                req.key.partition(),
                &req.account
            ))
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
            "kms-grant-direct",
            Status::Warn,
            arn,
            "the key policy lets Speedscale create grants directly, not only for AWS resources",
        )
        .remedy(format!(
            "suggest the customer narrows grants to AWS resources: {}",
            policy::one_line(&policy::grant_statement(req.key.partition(), &req.account))
        )),
        Err(e) if e.refusal().is_some() => Check::new(
            "kms-grant-direct",
            Status::Pass,
            arn,
            "a direct CreateGrant is denied, as expected when grants are limited to AWS resources (kms:GrantIsForAWSResource); RDS and Firehose grants are proven at enable",
        )
        .aws_error(e.code()),
        Err(e) => Check::new("kms-grant-direct", Status::Skip, arn, format!("DryRun CreateGrant inconclusive: {} {}", e.code(), e.message()))
            .aws_error(e.code()),
        Ok(_) => Check::new(
            "kms-grant-direct",
            Status::Warn,
            arn,
            "DryRun CreateGrant succeeded without DryRunOperationException; the endpoint ignored DryRun",
        ),
    }
}

/// S3's use of the key, proven through S3 itself: a probe object written under the key, read
/// back, deleted. Skipped (proven at enable) when the environment has no probe bucket yet.
async fn s3_probe(s3: &S3, req: &VerifyRequest) -> Result<Check, Error> {
    let arn = req.key.as_str();
    let ep = req.endpoint.as_deref();
    let Some((bucket, prefix)) = &req.probe else {
        return Ok(via_service_skip(
            "s3-via-service",
            "S3",
            "the environment has no probe bucket",
            req,
        ));
    };
    let nonce = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or(0);
    let key = format!(
        "{prefix}{}/verify-{nonce}-{}",
        req.tenant,
        std::process::id()
    );
    let resource = format!("s3://{bucket}/{key}");
    let body: &[u8] = b"cmek verify probe: contains no tenant data\n";
    let put = s3
        .put_object()
        .bucket(bucket)
        .key(&key)
        .body(body.to_vec().into())
        .server_side_encryption(ServerSideEncryption::AwsKms)
        .ssekms_key_id(arn)
        .bucket_key_enabled(false)
        .send()
        .await
        .map_err(|e| AwsError::from_sdk("s3", "PutObject", &e).at(ep));
    let put = match put {
        Ok(p) => p,
        Err(e) if e.is("NoSuchBucket") => {
            return Ok(via_service_skip(
                "s3-via-service",
                "S3",
                &format!("the probe bucket {bucket} does not exist yet (enable creates it)"),
                req,
            ));
        }
        Err(e) => return s3_refusal(e, &resource, "write an object under the key", req),
    };
    if put.server_side_encryption() != Some(&ServerSideEncryption::AwsKms)
        || put.ssekms_key_id() != Some(arn)
    {
        let _ = s3.delete_object().bucket(bucket).key(&key).send().await;
        return Ok(Check::new(
            "s3-via-service",
            Status::Fail,
            resource,
            format!(
                "S3 stored the probe under {:?}, not under the key",
                put.ssekms_key_id().unwrap_or("no KMS key")
            ),
        ));
    }
    let read = async {
        let got = s3
            .get_object()
            .bucket(bucket)
            .key(&key)
            .send()
            .await
            .map_err(|e| AwsError::from_sdk("s3", "GetObject", &e).at(ep))?;
        let data = got
            .body
            .collect()
            .await
            .map_err(|e| AwsError::service("s3", "GetObject", "ReadError", &e.to_string()))?;
        Ok::<bool, AwsError>(data.into_bytes().as_ref() == body)
    }
    .await;
    let deleted = s3.delete_object().bucket(bucket).key(&key).send().await;
    let left = if deleted.is_err() {
        format!("; the probe object could not be deleted, remove {resource}")
    } else {
        String::new()
    };
    match read {
        Ok(true) => Ok(Check::new(
            "s3-via-service",
            Status::Pass,
            resource,
            format!("S3 wrote and read a probe object under the key{left}"),
        )),
        Ok(false) => Ok(Check::new(
            "s3-via-service",
            Status::Fail,
            resource,
            format!("S3 returned different bytes for the probe object{left}"),
        )),
        Err(e) => s3_refusal(e, &resource, "read an object under the key", req),
    }
}

fn s3_refusal(
    e: AwsError,
    resource: &str,
    action: &str,
    req: &VerifyRequest,
) -> Result<Check, Error> {
    let about_kms =
        e.code().starts_with("KMS.") || e.message().contains("kms:") || e.message().contains("KMS");
    if !about_kms && (e.is_our_side() || e.refusal().is_some()) {
        // S3 itself (our bucket, our IAM) refused: our own side.
        return Err(e.into());
    }
    let mut check = Check::new(
        "s3-via-service",
        Status::Fail,
        resource,
        format!("S3 could not {action}: {} {}", e.code(), e.message()),
    )
    .aws_error(e.code());
    if e.refusal().is_some() || e.is("AccessDeniedException") {
        check = check.remedy(format!(
            "add to the key policy: {}",
            policy::one_line(&policy::via_service_statement(
                req.key.partition(),
                &req.account,
                &req.region
            ))
        ));
    }
    Ok(check)
}

fn via_service_skip(id: &'static str, service: &str, why: &str, req: &VerifyRequest) -> Check {
    Check::new(
        id,
        Status::Skip,
        req.key.as_str(),
        format!("{why}; {service}'s use of the key (kms:ViaService) cannot be proven by a direct call and is proven at enable"),
    )
    .remedy(format!(
        "the key policy needs: {}",
        policy::one_line(&policy::via_service_statement(req.key.partition(), &req.account, &req.region))
    ))
}

fn via_service_skips(req: &VerifyRequest) -> Vec<Check> {
    vec![
        via_service_skip(
            "firehose-via-service",
            "Firehose",
            "Firehose uses the key only through its own grant",
            req,
        ),
        via_service_skip(
            "rds-via-service",
            "RDS",
            "RDS uses the key only through its own grant",
            req,
        ),
    ]
}

fn fmt_date(d: &aws_smithy_types::DateTime) -> String {
    d.fmt(aws_smithy_types::date_time::Format::DateTime)
        .unwrap_or_else(|_| d.secs().to_string())
}

#[cfg(test)]
#[path = "verify_tests.rs"]
mod tests;
