//! The customer key's state as Speedscale sees it (`ids.rs` re-exports it with the other states).

use serde::Serialize;

/// The customer key's state as Speedscale sees it: AWS's `KeyState` in kebab-case, or why it could
/// not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KeyState {
    /// Usable.
    Enabled,
    /// Disabled by the customer: every cryptographic call fails.
    Disabled,
    /// Scheduled for deletion.
    PendingDeletion,
    /// Waiting for imported key material.
    PendingImport,
    /// A multi-Region replica being deleted.
    PendingReplicaDeletion,
    /// Its custom key store is disconnected.
    Unavailable,
    /// Being created.
    Creating,
    /// Being updated.
    Updating,
    /// The key policy no longer lets Speedscale describe the key.
    Refused,
    /// No such key (deleted, or the ARN is wrong).
    NotFound,
    /// A state this version of cmek does not know, as AWS names it (kebab-case).
    Other(String),
}

impl KeyState {
    /// From AWS's `KeyState` name (e.g. `PendingDeletion`).
    pub fn from_aws(state: &str) -> Self {
        match state {
            "Enabled" => KeyState::Enabled,
            "Disabled" => KeyState::Disabled,
            "PendingDeletion" => KeyState::PendingDeletion,
            "PendingImport" => KeyState::PendingImport,
            "PendingReplicaDeletion" => KeyState::PendingReplicaDeletion,
            "Unavailable" => KeyState::Unavailable,
            "Creating" => KeyState::Creating,
            "Updating" => KeyState::Updating,
            other => KeyState::Other(kebab(other)),
        }
    }

    /// The kebab-case name.
    pub fn as_str(&self) -> &str {
        match self {
            KeyState::Enabled => "enabled",
            KeyState::Disabled => "disabled",
            KeyState::PendingDeletion => "pending-deletion",
            KeyState::PendingImport => "pending-import",
            KeyState::PendingReplicaDeletion => "pending-replica-deletion",
            KeyState::Unavailable => "unavailable",
            KeyState::Creating => "creating",
            KeyState::Updating => "updating",
            KeyState::Refused => "refused",
            KeyState::NotFound => "not-found",
            KeyState::Other(s) => s,
        }
    }
}

impl std::fmt::Display for KeyState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for KeyState {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

/// `PendingDeletion` → `pending-deletion`.
fn kebab(state: &str) -> String {
    let mut out = String::new();
    for (i, ch) in state.chars().enumerate() {
        if ch.is_ascii_uppercase() && i > 0 {
            out.push('-');
        }
        out.push(ch.to_ascii_lowercase());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_states_are_aws_names_in_kebab_case() {
        assert_eq!(
            KeyState::from_aws("PendingDeletion").as_str(),
            "pending-deletion"
        );
        assert_eq!(KeyState::from_aws("SomethingNew").as_str(), "something-new");
        assert_eq!(
            serde_json::to_value(KeyState::NotFound).unwrap(),
            "not-found"
        );
    }
}
