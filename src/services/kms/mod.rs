//! KMS: the customer's key as Speedscale sees it, cross-account by its full ARN. The direct round
//! trip (GenerateDataKey then Decrypt, plaintext zeroed), the key's state, and verify's checks of
//! the key's metadata. Speedscale never changes the key.

mod binding;
mod checks;
mod key;
pub mod quotas;
pub mod sign;

use std::collections::HashMap;

use aws_sdk_kms::operation::create_grant::CreateGrantOutput;
use aws_sdk_kms::operation::describe_key::DescribeKeyOutput;
use aws_sdk_kms::operation::get_key_rotation_status::GetKeyRotationStatusOutput;
use aws_sdk_kms::types::{DataKeySpec, GrantOperation};
use aws_sdk_kms::Client as Kms;
use zeroize::Zeroizing;

pub use binding::{binding_check, binding_probe, NO_SUCH_TENANT};
pub use checks::{
    describe_checks, grant_check, rotation_check, round_trip_check, via_service_skip,
    via_service_skips,
};
pub use key::{key_view, KeyView};

use crate::error::AwsError;
use crate::input::{KeyArn, TenantId};
use crate::shared::evidence::Probe;
use crate::shared::policy;
use crate::shared::quota::pace;
use crate::shared::tenancy::Tenancy;

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
    /// Whether the tenant has SQS queues, and SNS topics (their use of the key is proven at enable).
    pub messaging: (bool, bool),
}

impl VerifyRequest {
    /// The request for a tenancy, with no S3 probe object (enable and revoke-check: S3's use of the
    /// key is proven by the canary instead).
    pub fn without_probe(t: &Tenancy) -> Self {
        Self {
            tenant: t.tenant.clone(),
            key: t.key.clone(),
            account: t.account.clone(),
            region: t.region.clone(),
            probe: None,
            endpoint: t.endpoint.clone(),
            messaging: (!t.names.queues.is_empty(), !t.names.topics.is_empty()),
        }
    }
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

/// A KMS call's result.
pub type KmsResult<T> = Result<T, AwsError>;

/// DescribeKey, cross-account by the key's ARN.
pub async fn describe_key(kms: &Kms, req: &VerifyRequest) -> KmsResult<DescribeKeyOutput> {
    pace(&quotas::DESCRIBE_KEY).await;
    kms.describe_key()
        .key_id(req.key.as_str())
        .send()
        .await
        .map_err(|e| AwsError::from_sdk("kms", "DescribeKey", &e).at(req.endpoint.as_deref()))
}

/// GetKeyRotationStatus, cross-account by the key's ARN.
pub async fn rotation_status(
    kms: &Kms,
    req: &VerifyRequest,
) -> KmsResult<GetKeyRotationStatusOutput> {
    pace(&quotas::GET_KEY_ROTATION_STATUS).await;
    kms.get_key_rotation_status()
        .key_id(req.key.as_str())
        .send()
        .await
        .map_err(|e| {
            AwsError::from_sdk("kms", "GetKeyRotationStatus", &e).at(req.endpoint.as_deref())
        })
}

/// A DryRun CreateGrant to Speedscale's account: it always fails, and
/// DryRunOperationException means the real call would have succeeded (KMS developer guide,
/// "Testing your permissions"). Nothing is created.
pub async fn dry_run_grant(kms: &Kms, req: &VerifyRequest) -> KmsResult<CreateGrantOutput> {
    kms.create_grant()
        .key_id(req.key.as_str())
        .grantee_principal(format!(
            "arn:{}:iam::{}:root",
            req.key.partition(),
            req.account
        ))
        .operations(GrantOperation::Decrypt)
        .dry_run(true)
        .send()
        .await
        .map_err(|e| AwsError::from_sdk("kms", "CreateGrant", &e).at(req.endpoint.as_deref()))
}

/// GenerateDataKey then Decrypt with the contract's encryption context. The plaintext never
/// leaves this function, and both copies are zeroed on drop.
pub async fn round_trip(kms: &Kms, req: &VerifyRequest) -> KmsResult<()> {
    round_trip_traced(kms, req).await.0
}

/// [`round_trip`], with each call as a [`Probe`] (its request id included) for evidence.
pub async fn round_trip_traced(kms: &Kms, req: &VerifyRequest) -> (KmsResult<()>, Vec<Probe>) {
    let mut probes = vec![];
    let r = round_trip_probed(kms, req, &mut probes).await;
    (r, probes)
}

async fn round_trip_probed(
    kms: &Kms,
    req: &VerifyRequest,
    probes: &mut Vec<Probe>,
) -> KmsResult<()> {
    let arn = req.key.as_str();
    let ep = req.endpoint.as_deref();
    let ctx = encryption_context(&req.tenant);
    let generated = kms
        .generate_data_key()
        .key_id(arn)
        .key_spec(DataKeySpec::Aes256)
        .set_encryption_context(Some(ctx.clone()))
        .send()
        .await
        .map_err(|e| AwsError::from_sdk("kms", "GenerateDataKey", &e).at(ep));
    let mut generated = match generated {
        Ok(g) => {
            probes.push(Probe::answered("kms", "GenerateDataKey", arn, &g));
            g
        }
        Err(e) => {
            probes.push(Probe::failed(&e, arn));
            return Err(e);
        }
    };
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
    let decrypted = kms
        .decrypt()
        .key_id(arn)
        .ciphertext_blob(ciphertext)
        .set_encryption_context(Some(ctx))
        .send()
        .await
        .map_err(|e| AwsError::from_sdk("kms", "Decrypt", &e).at(ep));
    let mut decrypted = match decrypted {
        Ok(d) => {
            probes.push(Probe::answered("kms", "Decrypt", arn, &d));
            d
        }
        Err(e) => {
            probes.push(Probe::failed(&e, arn));
            return Err(e);
        }
    };
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
