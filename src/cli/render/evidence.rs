//! `evidence verify`'s answer: the file, who signed it, what it says, and valid or not.

use cmek::commands::evidence::{EvidenceCheck, EvidenceVerdict};

use super::{head_lines, Render};

impl Render for EvidenceCheck {
    fn table(&self) -> String {
        let dash = |v: &Option<String>| v.clone().unwrap_or_else(|| "-".into());
        let mut rows = vec![
            ("File", self.file.clone()),
            ("Key named", dash(&self.key_arn)),
            ("Tenant", dash(&self.tenant)),
            ("Verdict", dash(&self.evidence_verdict)),
            ("Time", dash(&self.time)),
        ];
        if let Some(d) = &self.digest {
            rows.push(("SHA-256", d.clone()));
        }
        if let Some(k) = self.kms_verify {
            rows.push(("KMS", if k { "valid" } else { "NOT valid" }.into()));
        }
        let closing = match self.verdict {
            EvidenceVerdict::Valid if self.public_key_from == Some("file") && self.kms_verify.is_none() => {
                "evidence verify: valid with the file's own public key: unchanged since it was signed by that key; to know the key is Speedscale's, pin it (--public-key from `aws kms get-public-key`, or --online)".to_string()
            }
            EvidenceVerdict::Valid => format!(
                "evidence verify: valid (the {} public key accepts the signature over the canonical evidence)",
                if self.kms_verify == Some(true) { "KMS key's" } else { "pinned" }
            ),
            EvidenceVerdict::Invalid => format!(
                "evidence verify: INVALID: {}",
                self.mismatch.as_deref().unwrap_or("-")
            ),
        };
        format!("{}{closing}\n", head_lines(&rows))
    }
}
