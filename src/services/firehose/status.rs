//! A stream's `status` rows: its server-side encryption and its S3 destination's.

use super::describe_stream;
use crate::aws::Clients;
use crate::error::AwsError;
use crate::services::s3::bucket_encryption;
use crate::shared::clock;
use crate::shared::ids::{FirehoseResource, ResourceKind, ResourceState};
use crate::shared::resource::ResourceStatus;
use crate::shared::tenancy::{Encryption, Tenancy};

/// A stream row's `expected_key` when the environment puts the stream's own encryption on an AWS
/// owned key.
const AWS_OWNED: &str = "aws-owned";

/// Whether a `status` row is a stream the environment puts on an AWS owned key (and is there).
pub fn is_aws_owned(r: &ResourceStatus) -> bool {
    r.kind == ResourceKind::Firehose(FirehoseResource::Stream) && r.expected_key == AWS_OWNED
}

/// The rows of one stream.
pub async fn stream_status(
    c: &Clients,
    t: &Tenancy,
    name: &str,
) -> Result<Vec<ResourceStatus>, AwsError> {
    let key = &t.key;
    let s = describe_stream(c, t, name, name).await?;
    if !s.exists {
        return Ok(vec![ResourceStatus::of(
            FirehoseResource::Stream,
            name,
            key,
            None,
            "the stream does not exist",
        )]);
    }
    let owned = t
        .names
        .streams
        .iter()
        .any(|(id, n, _)| n == name && super::plan::aws_owned(t, id));
    let owned_ok =
        owned && s.encryption == Encryption::AwsManaged && s.encryption_status == "ENABLED";
    let mut msg = match (&s.encryption, s.encryption_status.as_str()) {
        _ if owned_ok => super::plan::AWS_OWNED_MEANS.to_string(),
        (Encryption::None, _) => "server-side encryption is off".to_string(),
        (e, "ENABLED") if e.is_key(key) => "server-side encryption with the key".into(),
        (e, status) => format!("server-side encryption {status} with {}", e.shown()),
    };
    if let Some((kind, details)) = &s.encryption_failure {
        msg.push_str(&format!("; Firehose reports {kind}: {details}"));
    }
    let mut row = ResourceStatus::of(
        FirehoseResource::Stream,
        name,
        key,
        Some(&s.encryption),
        msg,
    )
    .status(format!("{} / {}", s.status, s.encryption_status));
    if owned_ok {
        // What the environment asks for: not drift (revoke-check reads `expected_key`).
        row.expected_key = AWS_OWNED.into();
        row.state = ResourceState::Ok;
    }
    if matches!(s.encryption, Encryption::Kms(_)) && !owned_ok {
        let model = super::model::model_of(s.created, clock::now() as i64);
        let created = s.created.map(|c| clock::rfc3339(c.max(0) as u64));
        row.message = format!(
            "{}; {}",
            row.message,
            super::model::model_sentence(model, created.as_deref())
        );
        row.model = Some(model);
    }
    let mut out = vec![row];
    if !s.destination_id.is_empty() {
        // A destination with no KMS configuration of its own writes without encryption headers,
        // and S3 encrypts such objects with the bucket's default encryption ("Amazon S3
        // automatically encrypts new objects" with it: S3 user guide, "Setting default
        // server-side encryption behavior"): under the key when that default is the key.
        let (enc, via_default) = if s.destination_kms {
            (s.destination_encryption.clone(), false)
        } else {
            let bucket = s
                .destination_bucket
                .rsplit(":::")
                .next()
                .unwrap_or_default();
            match bucket_encryption(c, t, bucket).await? {
                Some((e, _)) => (e, true),
                None => (s.destination_encryption.clone(), false),
            }
        };
        let how = if via_default {
            " (no KMS configuration of its own: the bucket's default encryption)"
        } else {
            ""
        };
        let msg = if enc.is_key(key) {
            format!("delivers into {} under the key{how}", s.destination_bucket)
        } else {
            format!(
                "delivers into {} under {}{how}",
                s.destination_bucket,
                enc.shown()
            )
        };
        out.push(ResourceStatus::of(
            FirehoseResource::Destination,
            &format!("{name}/{}", s.destination_id),
            key,
            Some(&enc),
            msg,
        ));
    }
    Ok(out)
}
