//! A stream's `status` rows: its server-side encryption and its S3 destination's.

use super::describe_stream;
use crate::aws::Clients;
use crate::error::AwsError;
use crate::shared::ids::FirehoseResource;
use crate::shared::resource::ResourceStatus;
use crate::shared::tenancy::{Encryption, Tenancy};

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
    let mut msg = match (&s.encryption, s.encryption_status.as_str()) {
        (Encryption::None, _) => "server-side encryption is off".to_string(),
        (e, "ENABLED") if e.is_key(key) => "server-side encryption with the key".into(),
        (e, status) => format!("server-side encryption {status} with {}", e.shown()),
    };
    if let Some((kind, details)) = &s.encryption_failure {
        msg.push_str(&format!("; Firehose reports {kind}: {details}"));
    }
    let mut out = vec![ResourceStatus::of(
        FirehoseResource::Stream,
        name,
        key,
        Some(&s.encryption),
        msg,
    )
    .status(format!("{} / {}", s.status, s.encryption_status))];
    if !s.destination_id.is_empty() {
        let msg = if s.destination_encryption.is_key(key) {
            format!("delivers into {} under the key", s.destination_bucket)
        } else {
            format!(
                "delivers into {} under {}",
                s.destination_bucket,
                s.destination_encryption.shown()
            )
        };
        out.push(ResourceStatus::of(
            FirehoseResource::Destination,
            &format!("{name}/{}", s.destination_id),
            key,
            Some(&s.destination_encryption),
            msg,
        ));
    }
    Ok(out)
}
