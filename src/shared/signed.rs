//! Signed evidence: the file `revoke-check --evidence` writes, and its offline check.
//!
//! The file is one JSON object: `evidence` (what revoke-check found), `signature` (`key_arn`,
//! `algorithm` as KMS names it, `value` in base64) and `public_key` (base64 DER
//! SubjectPublicKeyInfo, as KMS's GetPublicKey returns it). The signature is KMS's
//! `ECDSA_SHA_256` over the RFC 8785 (JSON Canonicalization Scheme) form of `evidence`: cmek sends
//! KMS the SHA-256 of those bytes with `MessageType=DIGEST` ("When the value is `DIGEST`, KMS skips
//! the hashing step in the signing algorithm.", KMS API reference, Sign, read 2026-12-02), which is
//! what ECDSA with SHA-256 over the bytes themselves is, so any standard tool checks it over the
//! canonical bytes (docs/json.md shows `openssl dgst -sha256 -verify`). KMS's ECDSA signature is
//! DER: "this value is a DER-encoded object as defined by ANSI X9.62–2005 and RFC 3279 Section
//! 2.2.3" (Sign, Signature, read 2026-12-02).

use serde::{Deserialize, Serialize};

/// The one signing algorithm cmek uses (KMS's name).
pub const ALGORITHM: &str = "ECDSA_SHA_256";

/// The signature of a file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Signature {
    /// The KMS key that signed (Speedscale's account).
    pub key_arn: String,
    /// As KMS names it: `ECDSA_SHA_256`.
    pub algorithm: String,
    /// The DER signature, base64.
    pub value: String,
}

/// A signed evidence file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Signed {
    /// What is signed.
    pub evidence: serde_json::Value,
    /// The signature over `canonical(evidence)`.
    pub signature: Signature,
    /// The signing key's public key: base64 of the DER SubjectPublicKeyInfo.
    pub public_key: String,
}

/// The RFC 8785 form of a JSON value: the bytes that are signed.
pub fn canonical(value: &serde_json::Value) -> Result<Vec<u8>, String> {
    serde_json_canonicalizer::to_vec(value).map_err(|e| format!("cannot canonicalize: {e}"))
}

/// SHA-256 of `bytes`: what KMS signs with `MessageType=DIGEST`.
pub fn digest(bytes: &[u8]) -> [u8; 32] {
    let d = aws_lc_rs::digest::digest(&aws_lc_rs::digest::SHA256, bytes);
    let mut out = [0u8; 32];
    out.copy_from_slice(d.as_ref());
    out
}

/// Why a file does not verify: one line naming what does not match.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mismatch(pub String);

impl std::fmt::Display for Mismatch {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// What a verified file is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verified {
    /// The signing key.
    pub key_arn: String,
    /// Where the public key came from: `file` or `--public-key`.
    pub public_key_from: &'static str,
    /// SHA-256 of the canonical evidence, hex.
    pub digest: String,
}

/// Reads a signed evidence file.
pub fn parse(text: &str) -> Result<Signed, Mismatch> {
    let value: serde_json::Value =
        serde_json::from_str(text).map_err(|e| Mismatch(format!("the file is not JSON: {e}")))?;
    for field in ["evidence", "signature", "public_key"] {
        if value.get(field).is_none() {
            return Err(Mismatch(format!(
                "the file has no `{field}`: it is not a signed cmek evidence file"
            )));
        }
    }
    serde_json::from_value(value).map_err(|e| Mismatch(format!("the file's fields: {e}")))
}

/// The DER bytes of a PEM public key (`-----BEGIN PUBLIC KEY-----`), or of base64 DER.
pub fn public_key_der(text: &str) -> Result<Vec<u8>, String> {
    let body: String = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.starts_with("-----"))
        .collect();
    aws_smithy_types::base64::decode(body.trim())
        .map_err(|e| format!("not a PEM or base64 public key: {e}"))
}

/// Checks a signed file offline: the signature over the canonical evidence, with `public_key`
/// (DER) when given, else the file's own. With a key given, the file's must be the same key.
pub fn verify(file: &Signed, public_key: Option<&[u8]>) -> Result<Verified, Mismatch> {
    if file.signature.algorithm != ALGORITHM {
        return Err(Mismatch(format!(
            "signature.algorithm is {:?}: cmek signs with {ALGORITHM} only",
            file.signature.algorithm
        )));
    }
    let own = aws_smithy_types::base64::decode(&file.public_key)
        .map_err(|e| Mismatch(format!("public_key is not base64: {e}")))?;
    let (key, from) = match public_key {
        Some(given) if given != own.as_slice() => {
            return Err(Mismatch(
                "public_key in the file is not the key given with --public-key: the file was signed by another key, or its public_key was replaced".into(),
            ))
        }
        Some(given) => (given.to_vec(), "--public-key"),
        None => (own, "file"),
    };
    let sig = aws_smithy_types::base64::decode(&file.signature.value)
        .map_err(|e| Mismatch(format!("signature.value is not base64: {e}")))?;
    let bytes = canonical(&file.evidence).map_err(Mismatch)?;
    let pk = aws_lc_rs::signature::UnparsedPublicKey::new(
        &aws_lc_rs::signature::ECDSA_P256_SHA256_ASN1,
        &key,
    );
    pk.verify(&bytes, &sig).map_err(|_| {
        Mismatch(format!(
            "the signature does not match the evidence: {ALGORITHM} over the RFC 8785 form of `evidence` (SHA-256 {}) with the {from} public key; the evidence or the signature was changed after signing",
            hex(&digest(&bytes))
        ))
    })?;
    Ok(Verified {
        key_arn: file.signature.key_arn.clone(),
        public_key_from: from,
        digest: hex(&digest(&bytes)),
    })
}

/// Lower-case hex.
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use aws_lc_rs::encoding::AsDer;
    use aws_lc_rs::rand::SystemRandom;
    use aws_lc_rs::signature::{EcdsaKeyPair, KeyPair, ECDSA_P256_SHA256_ASN1_SIGNING};

    /// A file signed the way KMS signs (ECDSA P-256, SHA-256, DER), by a local key.
    fn signed(evidence: serde_json::Value) -> (Signed, EcdsaKeyPair) {
        let rng = SystemRandom::new();
        let pkcs8 = EcdsaKeyPair::generate_pkcs8(&ECDSA_P256_SHA256_ASN1_SIGNING, &rng).unwrap();
        let pair =
            EcdsaKeyPair::from_pkcs8(&ECDSA_P256_SHA256_ASN1_SIGNING, pkcs8.as_ref()).unwrap();
        let bytes = canonical(&evidence).unwrap();
        let sig = pair.sign(&rng, &bytes).unwrap();
        let spki = pair.public_key().as_der().unwrap();
        let file = Signed {
            evidence,
            signature: Signature {
                key_arn: "arn:aws:kms:us-east-1:222222222222:key/k".into(),
                algorithm: ALGORITHM.into(),
                value: aws_smithy_types::base64::encode(sig.as_ref()),
            },
            public_key: aws_smithy_types::base64::encode(spki.as_ref()),
        };
        (file, pair)
    }

    #[test]
    fn canonical_form_is_rfc_8785() {
        // RFC 8785: members sorted by UTF-16 code units, no whitespace, ES6 number forms.
        let v: serde_json::Value =
            serde_json::from_str(r#"{"b": 1.0, "a": [true, null, "é"], "c": 1e21}"#).unwrap();
        assert_eq!(
            String::from_utf8(canonical(&v).unwrap()).unwrap(),
            r#"{"a":[true,null,"é"],"b":1,"c":1e+21}"#
        );
    }

    #[test]
    fn a_signed_file_verifies_and_one_changed_character_does_not() {
        let (file, _) = signed(serde_json::json!({"tenant": "acme", "verdict": "revoked"}));
        let text = serde_json::to_string_pretty(&file).unwrap();
        let ok = verify(&parse(&text).unwrap(), None).unwrap();
        assert_eq!(ok.public_key_from, "file");
        // Whitespace and member order do not matter: the canonical form is signed.
        let reordered = r#"{"public_key": "PK", "signature": SIG, "evidence": {"verdict": "revoked",   "tenant": "acme"}}"#
            .replace("PK", &file.public_key)
            .replace("SIG", &serde_json::to_string(&file.signature).unwrap());
        verify(&parse(&reordered).unwrap(), None).unwrap();
        let tampered = text.replace("revoked", "revokex");
        let err = verify(&parse(&tampered).unwrap(), None).unwrap_err();
        assert!(
            err.0
                .starts_with("the signature does not match the evidence"),
            "{err}"
        );
    }

    #[test]
    fn a_given_public_key_must_be_the_files() {
        let (file, _) = signed(serde_json::json!({"tenant": "acme"}));
        let (other, pair) = signed(serde_json::json!({"tenant": "acme"}));
        let der = pair.public_key().as_der().unwrap();
        let err = verify(&file, Some(der.as_ref())).unwrap_err();
        assert!(err.0.contains("--public-key"), "{err}");
        let ok = verify(&other, Some(der.as_ref())).unwrap();
        assert_eq!(ok.public_key_from, "--public-key");
        // The file's evidence re-signed by another key with the file's public_key left: refused.
        let swapped = Signed {
            signature: other.signature.clone(),
            ..file.clone()
        };
        assert!(verify(&swapped, None).is_err());
    }

    #[test]
    fn pem_and_bad_files_are_named() {
        let (file, _) = signed(serde_json::json!({}));
        let pem = format!(
            "-----BEGIN PUBLIC KEY-----\n{}\n-----END PUBLIC KEY-----\n",
            file.public_key
        );
        assert_eq!(
            public_key_der(&pem).unwrap(),
            aws_smithy_types::base64::decode(&file.public_key).unwrap()
        );
        assert!(parse("{}").unwrap_err().0.contains("`evidence`"));
        assert!(parse("nope")
            .unwrap_err()
            .0
            .starts_with("the file is not JSON"));
        let other_algorithm = Signed {
            signature: Signature {
                algorithm: "RSASSA_PSS_SHA_256".into(),
                ..file.signature.clone()
            },
            ..file
        };
        assert!(verify(&other_algorithm, None)
            .unwrap_err()
            .0
            .contains("RSASSA_PSS_SHA_256"));
    }
}
