//! Signed evidence: `revoke-check --evidence FILE` signs what it found with Speedscale's evidence
//! key and keeps a copy in the registry under Object Lock; `cmek evidence verify FILE` checks a
//! file offline (or, with `--online`, through KMS's Verify). The file's format, and how to check it
//! with standard tools, is in docs/json.md; the signature itself is `shared/signed.rs`.

use serde::Serialize;

use super::revoke::{RevokeReport, RevokeVerdict};
use crate::aws::Clients;
use crate::error::Error;
use crate::services::kms::sign::{
    find_signing_key, public_key, sign_digest, verify_online, SIGNING_ALIAS,
};
use crate::services::registry::Registry;
use crate::shared::clock;
use crate::shared::evidence::{Probe, ProbeOutcome};
use crate::shared::ids::Cutoff;
use crate::shared::report::{Check, SCHEMA_VERSION};
use crate::shared::signed::{self, Signature, Signed, ALGORITHM};
use crate::shared::tenancy::Tenancy;

/// What the evidence says about the run that made it.
#[derive(Debug, Clone, Copy)]
pub struct Provenance<'a> {
    /// The caller (STS GetCallerIdentity's ARN).
    pub caller_arn: &'a str,
    /// The endpoint override, when one was used (`None`: AWS itself).
    pub endpoint: Option<&'a str>,
    /// The registry record's S3 version id, when there is a record.
    pub record_version_id: Option<&'a str>,
}

/// What `revoke-check --evidence FILE` signs: the report's findings, who made them and where.
#[derive(Debug, Clone, Serialize)]
pub struct Evidence<'a> {
    /// Always [`SCHEMA_VERSION`].
    pub schema_version: u32,
    /// Always `cmek-revocation-evidence`.
    pub kind: &'static str,
    /// When the record was made (RFC 3339).
    pub time: String,
    /// The cmek that made it.
    pub cmek_version: &'static str,
    /// The caller the customer sees in CloudTrail (Speedscale's role or user).
    pub caller_arn: &'a str,
    /// Where the calls went: an endpoint override, or `aws` (AWS's own endpoints).
    pub endpoint: &'a str,
    /// The tenant.
    pub tenant: &'a str,
    /// The customer key.
    pub key_arn: &'a str,
    /// Speedscale's account.
    pub account: &'a str,
    /// The region.
    pub region: &'a str,
    /// The registry record's version id (S3 versioning), when there is a record.
    pub record_version_id: Option<&'a str>,
    /// revoke-check's verdict.
    pub verdict: RevokeVerdict,
    /// How far Speedscale is cut off.
    pub cutoff: Cutoff,
    /// Every call that probed the key, with the accounts whose CloudTrail holds it.
    pub probes: Vec<ProbeEvidence<'a>>,
    /// The evidence per data path (the report's checks).
    pub checks: &'a [Check],
}

/// One probe, and where it can be looked up.
#[derive(Debug, Clone, Serialize)]
pub struct ProbeEvidence<'a> {
    /// The call.
    #[serde(flatten)]
    pub probe: &'a Probe,
    /// The accounts whose CloudTrail logs this request id. KMS developer guide, "Logging AWS KMS
    /// API calls with AWS CloudTrail" (read 2026-12-02): cross-account requests that succeed are
    /// logged in both the caller's and the key owner's account; requests denied "are logged only
    /// in the caller's account". An S3 request is Speedscale's (its bucket), logged as a data
    /// event where Speedscale's trail records them.
    pub cloudtrail_accounts: Vec<String>,
}

impl RevokeReport {
    /// The evidence record of this report.
    pub fn evidence<'a>(&'a self, p: Provenance<'a>) -> Evidence<'a> {
        let customer = self.head.key_arn.split(':').nth(4).unwrap_or_default();
        let ours = self.head.account.as_str();
        let probes = self
            .probes
            .iter()
            .map(|probe| {
                let on_key =
                    probe.operation.starts_with("kms:") && probe.resource == self.head.key_arn;
                let mut accounts = vec![ours.to_string()];
                if on_key && probe.outcome == ProbeOutcome::Succeeded && customer != ours {
                    accounts.push(customer.to_string());
                }
                ProbeEvidence {
                    probe,
                    cloudtrail_accounts: accounts,
                }
            })
            .collect();
        Evidence {
            schema_version: SCHEMA_VERSION,
            kind: "cmek-revocation-evidence",
            time: clock::rfc3339(clock::now()),
            cmek_version: env!("CARGO_PKG_VERSION"),
            caller_arn: p.caller_arn,
            endpoint: p.endpoint.unwrap_or("aws"),
            tenant: &self.head.tenant,
            key_arn: &self.head.key_arn,
            account: &self.head.account,
            region: &self.head.region,
            record_version_id: p.record_version_id,
            verdict: self.head.verdict,
            cutoff: self.cutoff,
            probes,
            checks: &self.checks,
        }
    }
}

/// Signs `evidence` (the value `revoke-check` built) with the environment's signing key.
pub async fn sign(c: &Clients, t: &Tenancy, evidence: serde_json::Value) -> Result<Signed, Error> {
    let named = t.env.evidence.signing_key.as_deref();
    let key = find_signing_key(c, named).await?.ok_or_else(|| {
        Error::Local(format!(
            "no evidence signing key in account {}: `cmek enable` creates {SIGNING_ALIAS}, or name one with [evidence] signing_key in the environment file",
            t.account
        ))
    })?;
    if let Some(why) = &key.unusable {
        return Err(Error::Local(format!(
            "the evidence signing key {} cannot sign: {why}",
            key.arn
        )));
    }
    let bytes = signed::canonical(&evidence).map_err(Error::Local)?;
    let digest = signed::digest(&bytes);
    let (sig, _) = sign_digest(c, &key.arn, &digest).await?;
    let der = public_key(c, &key.arn).await?;
    let file = Signed {
        evidence,
        signature: Signature {
            key_arn: key.arn.clone(),
            algorithm: ALGORITHM.into(),
            value: aws_smithy_types::base64::encode(&sig),
        },
        public_key: aws_smithy_types::base64::encode(&der),
    };
    // What we wrote must be what anyone else can check.
    signed::verify(&file, None).map_err(|m| {
        Error::Local(format!(
            "KMS's signature by {} does not verify here ({m}); the file was not written",
            key.arn
        ))
    })?;
    Ok(file)
}

/// Keeps a copy of a signed file in the registry (`<prefix>evidence/<tenant>/...`, never
/// overwritten, under the registry's Object Lock): its `s3://` URI and version id.
pub async fn keep(
    c: &Clients,
    t: &Tenancy,
    file: &Signed,
) -> Result<(String, Option<String>), Error> {
    let bytes = signed::canonical(&file.evidence).map_err(Error::Local)?;
    let digest = signed::hex(&signed::digest(&bytes));
    let text = serde_json::to_vec_pretty(file).unwrap_or_default();
    let (uri, version) = Registry::new(t)
        .keep_evidence(c, t.tenant.as_str(), &digest[..16], text)
        .await?;
    Ok((uri, version))
}

/// `cmek evidence verify`'s answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EvidenceCheck {
    /// Always [`SCHEMA_VERSION`].
    pub schema_version: u32,
    /// Always `evidence-verify`.
    pub command: &'static str,
    /// `valid` or `invalid`.
    pub verdict: EvidenceVerdict,
    /// The file checked.
    pub file: String,
    /// The signing key the file names.
    pub key_arn: Option<String>,
    /// Where the public key came from: `file` or `--public-key`.
    pub public_key_from: Option<&'static str>,
    /// SHA-256 of the canonical evidence, hex.
    pub digest: Option<String>,
    /// KMS's Verify, with `--online`: true valid, false refused.
    pub kms_verify: Option<bool>,
    /// The evidence's tenant, verdict and time, when the file could be read.
    pub tenant: Option<String>,
    /// revoke-check's verdict in the evidence.
    pub evidence_verdict: Option<String>,
    /// When the evidence was made.
    pub time: Option<String>,
    /// What does not match (invalid only).
    pub mismatch: Option<String>,
}

/// Valid or not.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum EvidenceVerdict {
    /// The signature matches the evidence.
    Valid,
    /// Something does not match (`mismatch` says what).
    Invalid,
}

/// Checks a file's text offline, with `public_key` (DER) when given.
pub fn check(file: &str, text: &str, public_key: Option<&[u8]>) -> EvidenceCheck {
    let mut out = EvidenceCheck {
        schema_version: SCHEMA_VERSION,
        command: "evidence-verify",
        verdict: EvidenceVerdict::Invalid,
        file: file.to_string(),
        key_arn: None,
        public_key_from: None,
        digest: None,
        kms_verify: None,
        tenant: None,
        evidence_verdict: None,
        time: None,
        mismatch: None,
    };
    let parsed = match signed::parse(text) {
        Ok(p) => p,
        Err(m) => {
            out.mismatch = Some(m.0);
            return out;
        }
    };
    let field = |k: &str| {
        parsed
            .evidence
            .get(k)
            .and_then(|v| v.as_str())
            .map(str::to_string)
    };
    out.tenant = field("tenant");
    out.evidence_verdict = field("verdict");
    out.time = field("time");
    out.key_arn = Some(parsed.signature.key_arn.clone());
    match signed::verify(&parsed, public_key) {
        Ok(v) => {
            out.verdict = EvidenceVerdict::Valid;
            out.public_key_from = Some(v.public_key_from);
            out.digest = Some(v.digest);
        }
        Err(m) => out.mismatch = Some(m.0),
    }
    out
}

/// [`check`], then KMS's own Verify of the same signature with the key the file names: both must
/// say valid.
pub async fn check_online(
    c: &Clients,
    file: &str,
    text: &str,
    public_key: Option<&[u8]>,
) -> Result<EvidenceCheck, Error> {
    let mut out = check(file, text, public_key);
    let Ok(parsed) = signed::parse(text) else {
        return Ok(out);
    };
    // KMS answers for whatever key the file names: only a key of the account the caller is in
    // (Speedscale's) says the evidence is Speedscale's.
    let key_account = parsed
        .signature
        .key_arn
        .split(':')
        .nth(4)
        .unwrap_or_default();
    if c.bucket_owner.as_deref() != Some(key_account) {
        out.verdict = EvidenceVerdict::Invalid;
        out.mismatch = Some(format!(
            "signature.key_arn {} is not a key of this account ({}): KMS's Verify would only say that key signed it",
            parsed.signature.key_arn,
            c.bucket_owner.as_deref().unwrap_or("-")
        ));
        return Ok(out);
    }
    let bytes = signed::canonical(&parsed.evidence).map_err(Error::Local)?;
    let Ok(sig) = aws_smithy_types::base64::decode(&parsed.signature.value) else {
        return Ok(out);
    };
    let valid = verify_online(c, &parsed.signature.key_arn, &signed::digest(&bytes), &sig).await?;
    out.kms_verify = Some(valid);
    if !valid && out.verdict == EvidenceVerdict::Valid {
        out.verdict = EvidenceVerdict::Invalid;
        out.mismatch = Some(format!(
            "KMS's Verify with {} says the signature is not valid, although the file's public key accepts it: the file's public_key is not that key's",
            parsed.signature.key_arn
        ));
    }
    Ok(out)
}
