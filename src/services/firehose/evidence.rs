//! What Firehose shows about a revocation. No record is ever written to prove anything: a record
//! would be tenant data. Firehose encrypts through the grant it created when encryption started,
//! so a key policy that stops allowing Speedscale does not stop Firehose; disabling the key does
//! (records are then kept for up to 24 hours, then dropped: Firehose developer guide, "Data
//! protection" and "Troubleshooting").

use crate::shared::ids::{CheckId, Cutoff, FirehoseResource, KeyState, ResourceState};
use crate::shared::policy::revoke_grants_remedy;
use crate::shared::report::{Check, Status};
use crate::shared::resource::ResourceStatus;

/// The evidence of a Firehose `status` row, given how far Speedscale is cut off from the key and
/// the key's state as Speedscale sees it.
pub fn evidence(
    kind: FirehoseResource,
    r: &ResourceStatus,
    cutoff: Cutoff,
    key_state: &KeyState,
) -> Check {
    match (kind, r.state) {
        (FirehoseResource::Stream, ResourceState::Missing) => Check::new(
            CheckId::RevokeFirehoseEncryption,
            Status::Warn,
            &r.resource,
            "the stream does not exist",
        ),
        (FirehoseResource::Stream, ResourceState::Ok) if super::is_aws_owned(r) => {
            // No API reads a record out of a stream: records leave it only for the S3
            // destination, which writes under the key (its own check).
            let now = match cutoff {
                Cutoff::None => "while the key is usable".to_string(),
                Cutoff::KeyUnusable => format!("even now that the key is {key_state}"),
                Cutoff::RefusedToSpeedscale => {
                    "even now that the key policy refuses Speedscale".into()
                }
            };
            // Revoked, the stream still takes records (not under the key): they are delivered
            // only if the key comes back within 24 hours. Worth a warning, not a failure.
            Check::new(
                CheckId::RevokeFirehoseEncryption,
                if cutoff == Cutoff::None {
                    Status::Pass
                } else {
                    Status::Warn
                },
                &r.resource,
                format!(
                    "the stream's own encryption is an AWS owned key (the environment's choice), so the stream takes records {now}; they leave it only for the S3 destination, which writes under the key, and no API reads them out of the stream: undelivered records wait up to 24 hours, then Firehose drops them"
                ),
            )
        }
        (FirehoseResource::Stream, ResourceState::Ok) => match cutoff {
            Cutoff::None => Check::new(
                CheckId::RevokeFirehoseEncryption,
                Status::Pass,
                &r.resource,
                "server-side encryption with the key: records cannot be encrypted without it",
            ),
            Cutoff::KeyUnusable => Check::new(
                CheckId::RevokeFirehoseEncryption,
                Status::Pass,
                &r.resource,
                format!(
                    "the key is {key_state}: Firehose's grant stops with it, so Firehose cannot encrypt new records (it keeps them up to 24 hours, then drops them; records are not written to prove it: that would be tenant data)"
                ),
            ),
            Cutoff::RefusedToSpeedscale => Check::new(
                CheckId::RevokeFirehoseEncryption,
                Status::Fail,
                &r.resource,
                "the key policy refuses Speedscale, but Firehose encrypts through the grant it created when encryption started, and a grant keeps working until the key is disabled or the grant is revoked: Firehose still accepts and delivers records",
            )
            .remedy(revoke_grants_remedy(&r.expected_key)),
        },
        (FirehoseResource::Stream, ResourceState::Drift | ResourceState::Unencrypted) => r
            .gap(CheckId::RevokeFirehoseEncryption, "the stream's server-side encryption")
            .remedy("run `cmek enable` to start encryption with the key"),
        (FirehoseResource::Destination, ResourceState::Ok) => Check::new(
            CheckId::RevokeFirehoseDestination,
            Status::Pass,
            &r.resource,
            r.message.clone(),
        ),
        (
            FirehoseResource::Destination,
            ResourceState::Drift | ResourceState::Unencrypted | ResourceState::Missing,
        ) => r
            .gap(CheckId::RevokeFirehoseDestination, "what Firehose writes to S3")
            .remedy("run `cmek enable` to update the destination's KMS configuration"),
    }
}
