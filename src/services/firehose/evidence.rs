//! What Firehose shows about a revocation. No record is ever written to prove anything: a record
//! would be tenant data.

use crate::shared::ids::{CheckId, FirehoseResource, KeyState, ResourceState};
use crate::shared::report::{Check, Status};
use crate::shared::resource::ResourceStatus;

/// The evidence of a Firehose `status` row, given whether Speedscale can use the key and the key's
/// state.
pub fn evidence(
    kind: FirehoseResource,
    r: &ResourceStatus,
    usable: bool,
    key_state: &KeyState,
) -> Check {
    match (kind, r.state) {
        (FirehoseResource::Stream, ResourceState::Missing) => Check::new(
            CheckId::RevokeFirehoseEncryption,
            Status::Warn,
            &r.resource,
            "the stream does not exist",
        ),
        (FirehoseResource::Stream, ResourceState::Ok) => {
            let failure = r
                .message
                .split_once("Firehose reports ")
                .map(|(_, f)| f.to_string());
            let msg = match (usable, failure) {
                (true, _) => "server-side encryption with the key: records cannot be encrypted without it".to_string(),
                (false, Some(f)) => format!("Firehose reports the key unusable: {f}"),
                (false, None) => format!(
                    "the key is {key_state}: Firehose cannot encrypt new records (Firehose reports no failure yet; records are not written to prove it: that would be tenant data)"
                ),
            };
            Check::new(
                CheckId::RevokeFirehoseEncryption,
                Status::Pass,
                &r.resource,
                msg,
            )
        }
        (FirehoseResource::Stream, ResourceState::Drift | ResourceState::Unencrypted) => r
            .gap(
                CheckId::RevokeFirehoseEncryption,
                "the stream's server-side encryption",
            )
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
            .gap(
                CheckId::RevokeFirehoseDestination,
                "what Firehose writes to S3",
            )
            .remedy("run `cmek enable` to update the destination's KMS configuration"),
    }
}
