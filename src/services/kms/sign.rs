//! The evidence signing key: an asymmetric KMS key in Speedscale's account (never the
//! customer's), `ECC_NIST_P256` for `SIGN_VERIFY`, that signs what `revoke-check --evidence`
//! writes. The environment names one (`[evidence] signing_key`), or `enable` creates one and names
//! it by the alias [`SIGNING_ALIAS`]. KMS API reference, read 2026-12-02: CreateKey "To create an
//! asymmetric KMS key, use the KeySpec parameter to specify the type of key material in the KMS
//! key. Then, use the KeyUsage parameter to determine whether the KMS key will be used to encrypt
//! and decrypt or sign and verify."; Sign "You can submit messages of up to 4096 bytes. To sign a
//! larger message, generate a hash digest of the message, and then provide the hash digest in the
//! Message parameter." and "When the value is `DIGEST`, KMS skips the hashing step in the signing
//! algorithm."; GetPublicKey "The value is a DER-encoded X.509 public key, also known as
//! SubjectPublicKeyInfo (SPKI), as defined in RFC 5280."

use aws_sdk_kms::primitives::Blob;
use aws_sdk_kms::types::{KeySpec, KeyState, KeyUsageType, MessageType, SigningAlgorithmSpec, Tag};
use aws_types::request_id::RequestId;

use crate::aws::Clients;
use crate::error::{AwsError, Error};
use crate::shared::signed::ALGORITHM;
use crate::shared::tenancy::err;

/// The alias of the signing key `enable` creates when the environment names none.
pub const SIGNING_ALIAS: &str = "alias/speedscale-cmek-evidence";

/// The signing key as KMS describes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SigningKey {
    /// Its ARN.
    pub arn: String,
    /// Whether it can sign: enabled, `ECC_NIST_P256`, `SIGN_VERIFY`. Otherwise why not.
    pub unusable: Option<String>,
}

/// The key the environment names (`[evidence] signing_key`), else the alias's; `None` when
/// neither exists yet.
pub async fn find_signing_key(
    c: &Clients,
    named: Option<&str>,
) -> Result<Option<SigningKey>, AwsError> {
    let id = named.unwrap_or(SIGNING_ALIAS);
    let out = match c.kms.describe_key().key_id(id).send().await {
        Ok(o) => o,
        Err(e) => {
            let e = err("kms", "DescribeKey", c.endpoint.as_deref())(e);
            if e.is("NotFoundException") && named.is_none() {
                return Ok(None);
            }
            return Err(e);
        }
    };
    let Some(m) = out.key_metadata() else {
        return Ok(None);
    };
    let unusable = if m.key_state() != Some(&KeyState::Enabled) {
        Some(format!(
            "the key is {}",
            m.key_state().map(|s| s.as_str()).unwrap_or("in no state")
        ))
    } else if m.key_spec() != Some(&KeySpec::EccNistP256)
        || m.key_usage() != Some(&KeyUsageType::SignVerify)
    {
        Some(format!(
            "the key is {} for {}, not ECC_NIST_P256 for SIGN_VERIFY",
            m.key_spec().map(|s| s.as_str()).unwrap_or("-"),
            m.key_usage().map(|s| s.as_str()).unwrap_or("-")
        ))
    } else {
        None
    };
    Ok(Some(SigningKey {
        arn: m.arn().unwrap_or_default().to_string(),
        unusable,
    }))
}

/// Creates the signing key, tagged, and names it [`SIGNING_ALIAS`]; another run that named a key
/// first wins (its key is used, ours stays tagged and unused: cmek never deletes a key).
pub async fn create_signing_key(c: &Clients, environment: &str) -> Result<String, AwsError> {
    let ep = c.endpoint.as_deref();
    let tag = |k: &str, v: &str| Tag::builder().tag_key(k).tag_value(v).build();
    let tags = [
        tag("speedscale:cmek", "evidence-signing"),
        tag("speedscale:environment", environment),
    ];
    let mut create = c
        .kms
        .create_key()
        .key_spec(KeySpec::EccNistP256)
        .key_usage(KeyUsageType::SignVerify)
        .description("cmek: signs revoke-check evidence (speedscale cmek, docs/json.md)");
    for t in tags {
        create = create.tags(t.map_err(|e| {
            AwsError::service("kms", "CreateKey", "InvalidRequest", &e.to_string())
        })?);
    }
    let out = create.send().await.map_err(err("kms", "CreateKey", ep))?;
    let arn = out
        .key_metadata()
        .and_then(|m| m.arn())
        .unwrap_or_default()
        .to_string();
    match c
        .kms
        .create_alias()
        .alias_name(SIGNING_ALIAS)
        .target_key_id(&arn)
        .send()
        .await
    {
        Ok(_) => Ok(arn),
        Err(e) => {
            let e = err("kms", "CreateAlias", ep)(e);
            if !e.is("AlreadyExistsException") {
                return Err(e);
            }
            match find_signing_key(c, None).await? {
                Some(k) => Ok(k.arn),
                None => Err(e),
            }
        }
    }
}

/// A signature by the key: (DER signature, KMS's request id).
pub async fn sign_digest(
    c: &Clients,
    key_arn: &str,
    digest: &[u8; 32],
) -> Result<(Vec<u8>, Option<String>), AwsError> {
    let out = c
        .kms
        .sign()
        .key_id(key_arn)
        .message(Blob::new(digest.to_vec()))
        .message_type(MessageType::Digest)
        .signing_algorithm(SigningAlgorithmSpec::from(ALGORITHM))
        .send()
        .await
        .map_err(err("kms", "Sign", c.endpoint.as_deref()))?;
    let sig = out
        .signature()
        .map(|b| b.as_ref().to_vec())
        .ok_or_else(|| Error::Local("KMS Sign returned no signature".into()))
        .map_err(|e| AwsError::service("kms", "Sign", "NoSignature", &e.to_string()))?;
    Ok((sig, out.request_id().map(str::to_string)))
}

/// The key's public key: DER SubjectPublicKeyInfo.
pub async fn public_key(c: &Clients, key_arn: &str) -> Result<Vec<u8>, AwsError> {
    let out = c
        .kms
        .get_public_key()
        .key_id(key_arn)
        .send()
        .await
        .map_err(err("kms", "GetPublicKey", c.endpoint.as_deref()))?;
    out.public_key()
        .map(|b| b.as_ref().to_vec())
        .ok_or_else(|| {
            AwsError::service(
                "kms",
                "GetPublicKey",
                "NoPublicKey",
                "KMS returned no public key",
            )
        })
}

/// KMS's own check of a signature (`cmek evidence verify --online`): true when valid.
pub async fn verify_online(
    c: &Clients,
    key_arn: &str,
    digest: &[u8; 32],
    signature: &[u8],
) -> Result<bool, AwsError> {
    match c
        .kms
        .verify()
        .key_id(key_arn)
        .message(Blob::new(digest.to_vec()))
        .message_type(MessageType::Digest)
        .signature(Blob::new(signature.to_vec()))
        .signing_algorithm(SigningAlgorithmSpec::from(ALGORITHM))
        .send()
        .await
    {
        Ok(out) => Ok(out.signature_valid()),
        Err(e) => {
            let e = err("kms", "Verify", c.endpoint.as_deref())(e);
            // "If the signature is not verified, the Verify operation fails with a
            // KMSInvalidSignatureException exception." (Verify, read 2026-12-02)
            if e.is("KMSInvalidSignatureException") {
                Ok(false)
            } else {
                Err(e)
            }
        }
    }
}
