//! What Firehose shows about a revocation. No record is ever written to prove anything: a record
//! would be tenant data. Disabling the key stops Firehose (records are then kept for up to 24
//! hours, then dropped: Firehose developer guide, "Data protection" and "Troubleshooting"). A key
//! policy that stops allowing Speedscale depends on the stream's rule (`model.rs`): under the
//! caller-permission rule every PutRecord needs the caller's own permission on the key, so
//! Speedscale's producers are cut off; under the grant rule Firehose encrypts through the grant it
//! created when encryption started, which a key policy change leaves in force.

use super::model::{ALL_STREAMS_DATE, NEW_STREAMS_DATE};
use crate::shared::ids::{CheckId, Cut, Cutoff, FirehoseResource, ResourceState, StreamModel};
use crate::shared::policy::revoke_grants_remedy;
use crate::shared::report::{Check, Status};
use crate::shared::resource::ResourceStatus;

/// The evidence of a Firehose `status` row, given what revoke-check knows of the cut-off.
pub fn evidence(kind: FirehoseResource, r: &ResourceStatus, cut: &Cut<'_>) -> Check {
    let (cutoff, key_state) = (cut.cutoff, cut.key_state);
    match (kind, r.state) {
        (FirehoseResource::Stream, ResourceState::Missing) => Check::new(
            CheckId::RevokeFirehoseEncryption,
            Status::Warn,
            &r.resource,
            "the stream does not exist",
        ),
        (FirehoseResource::Stream, ResourceState::Ok | ResourceState::Stopped) if super::is_aws_owned(r) => {
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
        (FirehoseResource::Stream, ResourceState::Ok | ResourceState::Stopped) => match cutoff {
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
            Cutoff::RefusedToSpeedscale => match r.model {
                Some(StreamModel::CallerPermission) if cut.through_services_refused => Check::new(
                    CheckId::RevokeFirehoseEncryption,
                    Status::Pass,
                    &r.resource,
                    format!(
                        "the key refuses Speedscale's use of it through services (S3's read of the canary, with Speedscale's own permission, was refused), and under the caller-permission rule (streams created from {NEW_STREAMS_DATE}, every stream from {ALL_STREAMS_DATE}) Firehose accepts a PutRecord only from a caller that may itself use the key: Speedscale's producers are refused, although Firehose's own grant remains (records it already accepted may still be delivered to S3, under the key, within 24 hours)"
                    ),
                ),
                Some(StreamModel::CallerPermission) => Check::new(
                    CheckId::RevokeFirehoseEncryption,
                    Status::Fail,
                    &r.resource,
                    "the key refuses Speedscale's direct round trip, but nothing shows that it refuses Speedscale's use of it through services (no canary read through S3 was refused): the key policy may still let Speedscale's producers put records through firehose.<region>, so this stream is not shown to be cut off",
                )
                .remedy(format!(
                    "run `cmek enable` to write the canary objects, then revoke-check again; or {}",
                    revoke_grants_remedy(&r.expected_key)
                )),
                Some(StreamModel::Grant) | None => Check::new(
                    CheckId::RevokeFirehoseEncryption,
                    Status::Fail,
                    &r.resource,
                    format!(
                        "the key policy refuses Speedscale, but this stream is under the grant rule (created before {NEW_STREAMS_DATE}; until {ALL_STREAMS_DATE}): Firehose encrypts through the grant it created when encryption started, and a grant keeps working until the key is disabled or the grant is revoked, so Firehose still accepts and delivers records"
                    ),
                )
                .remedy(revoke_grants_remedy(&r.expected_key)),
            },
        },
        (FirehoseResource::Stream, ResourceState::Drift | ResourceState::Unencrypted) => r
            .gap(CheckId::RevokeFirehoseEncryption, "the stream's server-side encryption")
            .remedy("run `cmek enable` to start encryption with the key"),
        (FirehoseResource::Destination, ResourceState::Ok | ResourceState::Stopped) => Check::new(
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
        // A producer holds no tenant data: its permission decides whether ingestion works, not
        // whether a copy sits outside the key. Under either answer the key decides its access.
        (FirehoseResource::Producer, ResourceState::Ok | ResourceState::Stopped) => Check::new(
            CheckId::RevokeFirehoseProducer,
            Status::Pass,
            &r.resource,
            match cutoff {
                Cutoff::None => format!("{}: under the caller-permission rule its PutRecord is refused once the key is disabled or the key policy stops allowing Speedscale", r.message),
                Cutoff::KeyUnusable => format!("{}; the key is {key_state}, so Firehose can encrypt none of its records", r.message),
                Cutoff::RefusedToSpeedscale => format!("{}; its own permission is Speedscale's side only: whether its records are refused is the stream's check (its rule)", r.message),
            },
        ),
        (
            FirehoseResource::Producer,
            ResourceState::Drift | ResourceState::Unencrypted | ResourceState::Missing,
        ) => Check::new(
            CheckId::RevokeFirehoseProducer,
            Status::Warn,
            &r.resource,
            format!("{} (not a copy outside the key: ingestion is what fails)", r.message),
        )
        .remedy("run `cmek enable` (producers_policy = \"managed\") or add the producer statement to the role (\"external\")"),
        // The backup holds every source record: a copy of the tenant's data. Outside the tenant's
        // buckets, cmek does not examine what was written there before the key: a caveat.
        (FirehoseResource::Backup, ResourceState::Ok | ResourceState::Stopped) => Check::new(
            CheckId::RevokeFirehoseBackup,
            if r.copy.as_ref().is_some_and(|c| c.outside_tenant_buckets) {
                Status::Warn
            } else {
                Status::Pass
            },
            &r.resource,
            r.message.clone(),
        ),
        (
            FirehoseResource::Backup,
            ResourceState::Drift | ResourceState::Unencrypted | ResourceState::Missing,
        ) => Check::new(
            CheckId::RevokeFirehoseBackup,
            Status::Fail,
            &r.resource,
            format!("{}: a copy of every record that disabling the key does not touch", r.message),
        )
        .remedy(match &r.copy {
            Some(c) => c.remove.clone(),
            None => "point the stream's backup at a tenant bucket under the key (aws firehose update-destination)".into(),
        }),
    }
}
