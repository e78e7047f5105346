//! A bucket's `status` rows: its default encryption, and its canary object's.

use super::observe::{bucket_encryption, observe_object};
use crate::aws::Clients;
use crate::error::AwsError;
use crate::shared::ids::S3Resource;
use crate::shared::resource::ResourceStatus;
use crate::shared::tenancy::{Tenancy, CANARY_KEY};

/// The rows of one bucket; `canary` false leaves the canary to revoke-check, which reads it
/// through KMS itself.
pub async fn bucket_status(
    c: &Clients,
    t: &Tenancy,
    bucket: &str,
    canary: bool,
) -> Result<Vec<ResourceStatus>, AwsError> {
    let key = &t.key;
    let read_canary = async {
        if canary {
            observe_object(c, t, bucket, CANARY_KEY).await.map(Some)
        } else {
            Ok(None)
        }
    };
    let (enc, canary) = tokio::join!(bucket_encryption(c, t, bucket), read_canary);
    let enc = enc?.map(|(e, _)| e);
    let msg = match &enc {
        None => "the bucket does not exist".to_string(),
        Some(e) if e.is_key(key) => "new objects are encrypted with the key".into(),
        Some(e) => format!("new objects are encrypted with {}", e.shown()),
    };
    let mut out = vec![ResourceStatus::of(
        S3Resource::Bucket,
        bucket,
        key,
        enc.as_ref(),
        msg,
    )];
    if let (Some(_), Some(canary)) = (&enc, canary?) {
        let msg = match &canary {
            None => "no canary object: run enable".to_string(),
            Some(e) if e.is_key(key) => "the canary object is under the key".into(),
            Some(e) => format!("the canary object is under {}", e.shown()),
        };
        out.push(ResourceStatus::of(
            S3Resource::Canary,
            &format!("s3://{bucket}/{CANARY_KEY}"),
            key,
            canary.as_ref(),
            msg,
        ));
    }
    Ok(out)
}
