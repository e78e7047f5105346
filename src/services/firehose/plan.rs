//! A stream's change: create it (DirectPut, encrypted with the key, S3 destination under the key),
//! or bring an existing one there. A stream that is not DirectPut cannot take a customer key.

use super::StreamState;
use crate::shared::ids::NoteId;
use crate::shared::steps::{Action, Change, FirehoseStep, Kind};
use crate::shared::tenancy::{Encryption, Tenancy};

/// Whether the environment puts stream `id`'s own encryption on an AWS owned key.
pub fn aws_owned(t: &Tenancy, id: &str) -> bool {
    t.env
        .streams
        .iter()
        .any(|s| s.id == id && !s.on_customer_key())
}

/// What the environment's `encryption = "aws-owned"` means, for notes and messages.
pub const AWS_OWNED_MEANS: &str = "the stream's own encryption is an AWS owned key, as the environment asks: records wait in the stream (up to 24 hours) outside the customer key, and reach S3 only under the key, through the destination's KMS configuration";

/// The stream's change.
pub fn plan_stream(t: &Tenancy, s: &StreamState) -> Change {
    let mut c = Change::new(format!("stream:{}", s.id), Kind::FirehoseStream, &s.name);
    let mut why = vec![];
    if !s.exists {
        c.step(FirehoseStep::CreateStream);
        c.step(FirehoseStep::WaitStreamActive);
        why.push("the stream does not exist".to_string());
        if aws_owned(t, &s.id) {
            c.note(NoteId::FirehoseAwsOwned, AWS_OWNED_MEANS);
        }
        return c.settle(true, why);
    }
    if s.stream_type != "DirectPut" {
        c.action = Action::Blocked;
        c.reason = format!(
            "the stream's source is {}, and Firehose server-side encryption with a customer key works only for DirectPut streams; encrypt its source instead",
            s.stream_type
        );
        c.note(NoteId::FirehoseNotDirectput, c.reason.clone());
        return c;
    }
    if s.status == "CREATING" {
        c.step(FirehoseStep::WaitStreamActive);
        why.push("the stream is still being created".to_string());
    }
    let owned = aws_owned(t, &s.id);
    let on_customer_key = s.encryption.is_key(&t.key) && s.encryption_status != "ENABLING_FAILED";
    // Another customer managed key, enabled: an AWS owned key would weaken it.
    let other_cmk = matches!(s.encryption, Encryption::Kms(_))
        && !s.encryption.is_key(&t.key)
        && s.encryption_status == "ENABLED";
    let on_key = if owned && other_cmk {
        c.note(
            NoteId::FirehoseAwsOwned,
            format!(
                "the stream's own encryption is {}, a customer managed key: cmek never moves a stream from one to an AWS owned key, so it stays as it is",
                s.encryption.described()
            ),
        );
        true
    } else if owned && !on_customer_key {
        c.note(NoteId::FirehoseAwsOwned, AWS_OWNED_MEANS);
        s.encryption == Encryption::AwsManaged
    } else {
        // A stream already on the customer key stays there, whatever the environment says: cmek
        // never weakens encryption.
        s.encryption.is_key(&t.key)
    };
    if on_key && s.encryption_status == "ENABLING" {
        c.step(FirehoseStep::WaitStreamEncryption);
        why.push("encryption with the key is being enabled".into());
    } else if !on_key || s.encryption_status != "ENABLED" {
        c.step(FirehoseStep::StartStreamEncryption);
        c.step(FirehoseStep::WaitStreamEncryption);
        why.push(if s.encryption_status == "ENABLING_FAILED" {
            "enabling encryption failed before".to_string()
        } else if owned {
            format!(
                "server-side encryption is {}, and the environment asks for an AWS owned key",
                s.encryption.described()
            )
        } else {
            format!("server-side encryption is {}", s.encryption.described())
        });
        c.note(
            NoteId::FirehoseToggleLimit,
            "StartDeliveryStreamEncryption and StopDeliveryStreamEncryption share a limit of 25 calls per stream per 24 hours",
        );
        c.note(
            NoteId::FirehoseEnablingUnencrypted,
            "records sent while the stream is ENABLING are not encrypted with the key",
        );
    }
    if !s.destination_encryption.is_key(&t.key) {
        c.step(FirehoseStep::UpdateDestinationEncryption);
        why.push(format!(
            "the S3 destination writes with {}",
            s.destination_encryption.described()
        ));
    }
    if t.tags_missing(&s.tags) {
        c.step(FirehoseStep::TagStream);
        why.push("tags missing".into());
    }
    c.settle(false, why)
}
