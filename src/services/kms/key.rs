//! The key's own state as Speedscale sees it (DescribeKey cross-account), and its rotation.

use super::quotas;
use crate::shared::quota::pace;
use aws_sdk_kms::Client as Kms;
use serde::Serialize;

use crate::error::{AwsError, Refusal};
use crate::input::KeyArn;
use crate::shared::clock;
use crate::shared::evidence::Probe;
use crate::shared::ids::KeyState;
use crate::shared::tenancy::err;

/// The customer key as Speedscale sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct KeyView {
    /// The key ARN.
    pub arn: String,
    /// AWS's key state (kebab-case), or `refused` (the key policy no longer lets Speedscale
    /// describe it), or `not-found`.
    pub state: KeyState,
    /// When a key pending deletion will be deleted (RFC 3339).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub deletion_date: Option<String>,
    /// Whole days left before that deletion (rounded up; 0 when it is due).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub days_to_deletion: Option<u64>,
    /// Automatic rotation on, when read.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rotation: Option<bool>,
    /// One sentence.
    pub message: String,
    /// The AWS error code behind a refusal.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub aws_error: Option<String>,
    /// The DescribeKey call, as evidence (not in the report's JSON).
    #[serde(skip)]
    pub probe: Option<Probe>,
}

impl KeyView {
    /// Whether KMS says the key can be used at all.
    pub fn enabled(&self) -> bool {
        self.state == KeyState::Enabled
    }
}

/// Describes the key cross-account (and reads its rotation status when asked). `Err` only for our
/// own side; a refusal by the key policy or an unknown key is a state.
pub async fn key_view(
    kms: &Kms,
    key: &KeyArn,
    rotation: bool,
    ep: Option<&str>,
) -> Result<KeyView, AwsError> {
    let describe = async {
        pace(&quotas::DESCRIBE_KEY).await;
        kms.describe_key().key_id(key.as_str()).send().await
    };
    let rot = async {
        if rotation {
            pace(&quotas::GET_KEY_ROTATION_STATUS).await;
            Some(
                kms.get_key_rotation_status()
                    .key_id(key.as_str())
                    .send()
                    .await,
            )
        } else {
            None
        }
    };
    let (d, r) = tokio::join!(describe, rot);
    let mut view = KeyView {
        arn: key.to_string(),
        state: KeyState::Other(String::new()),
        deletion_date: None,
        days_to_deletion: None,
        rotation: None,
        message: String::new(),
        aws_error: None,
        probe: None,
    };
    match d {
        Ok(out) => {
            view.probe = Some(Probe::answered("kms", "DescribeKey", key.as_str(), &out));
            let m = out.key_metadata();
            let state = m
                .and_then(|m| m.key_state())
                .map(|s| s.as_str().to_string())
                .unwrap_or_default();
            view.state = KeyState::from_aws(&state);
            let deletion = m.and_then(|m| m.deletion_date());
            view.deletion_date =
                deletion.and_then(|d| d.fmt(aws_smithy_types::date_time::Format::DateTime).ok());
            view.days_to_deletion = deletion.map(|d| {
                let left = d.secs().saturating_sub(clock::now() as i64).max(0) as u64;
                left.div_ceil(86_400)
            });
            view.message = match &view.state {
                KeyState::Enabled => "the key is enabled".into(),
                KeyState::PendingDeletion => format!(
                    "the key is pending deletion on {}{}",
                    view.deletion_date.as_deref().unwrap_or("an unknown date"),
                    view.days_to_deletion
                        .map(|d| format!(" ({d} days left)"))
                        .unwrap_or_default()
                ),
                s @ (KeyState::Disabled
                | KeyState::PendingImport
                | KeyState::PendingReplicaDeletion
                | KeyState::Unavailable
                | KeyState::Creating
                | KeyState::Updating
                | KeyState::Refused
                | KeyState::NotFound
                | KeyState::Other(_)) => format!("the key is {s}"),
            };
        }
        Err(e) => {
            let e = err("kms", "DescribeKey", ep)(e);
            if e.is_our_side() {
                return Err(e);
            }
            view.aws_error = e.code.clone();
            view.probe = Some(Probe::failed(&e, key.as_str()));
            if e.refusal().is_some() {
                view.state = KeyState::Refused;
                view.message = format!(
                    "the key policy no longer lets Speedscale describe the key{}",
                    if e.refusal() == Some(Refusal::KeyPolicy) {
                        ""
                    } else {
                        " (AccessDenied)"
                    }
                );
            } else if e.is("NotFoundException") {
                view.state = KeyState::NotFound;
                view.message = "no such key (deleted, or the ARN is wrong)".into();
            } else {
                view.state = KeyState::Refused;
                view.message = format!("DescribeKey refused: {} {}", e.code(), e.message());
            }
        }
    }
    if let Some(r) = r {
        match r {
            Ok(out) => view.rotation = Some(out.key_rotation_enabled()),
            Err(e) => {
                let e = err("kms", "GetKeyRotationStatus", ep)(e);
                if e.is_our_side() {
                    return Err(e);
                }
            }
        }
    }
    Ok(view)
}
