//! Reading a tenant stream: DescribeDeliveryStream (its encryption, what its encryption
//! configuration reports, its S3 destination) and its tags.

use super::quotas;
use crate::shared::quota::pace;
use std::collections::BTreeMap;

use crate::aws::Clients;
use crate::error::AwsError;
use crate::shared::tenancy::{err, Encryption, Tenancy};

/// A tenant Firehose stream as it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StreamState {
    /// The environment's stream id.
    pub id: String,
    /// The stream name.
    pub name: String,
    /// Whether it exists.
    pub exists: bool,
    /// DirectPut or KinesisStreamAsSource...
    pub stream_type: String,
    /// CREATING, ACTIVE, ...
    pub status: String,
    /// Server-side encryption: the key, when on.
    pub encryption: Encryption,
    /// ENABLED, ENABLING, ENABLING_FAILED, DISABLED...
    pub encryption_status: String,
    /// The encryption configuration's failure, when it reports one: (type, details).
    pub encryption_failure: Option<(String, String)>,
    /// The S3 destination's id; empty when the stream has no destination (status then reports no
    /// destination row).
    pub destination_id: String,
    /// The S3 destination bucket ARN.
    pub destination_bucket: String,
    /// The S3 destination's own KMS configuration; `SseS3` when it has none (Firehose then writes
    /// without encryption headers and S3 applies the bucket's default encryption: see
    /// `destination_kms`).
    pub destination_encryption: Encryption,
    /// Whether the destination names a KMS key of its own.
    pub destination_kms: bool,
    /// The S3 backup of the source records (`S3BackupMode` `Enabled` on an extended S3
    /// destination): its bucket ARN, its own KMS configuration (`SseS3` when it has none) and
    /// whether it names a key.
    pub backup: Option<(String, Encryption, bool)>,
    /// Its tags.
    pub tags: BTreeMap<String, String>,
    /// When Firehose created it (`CreateTimestamp`, Unix seconds): which rule lets records in
    /// (`model.rs`).
    pub created: Option<i64>,
}

/// One Firehose stream, with its tags.
pub async fn observe_stream(
    c: &Clients,
    t: &Tenancy,
    id: &str,
    name: &str,
) -> Result<StreamState, AwsError> {
    let (state, tags) = tokio::join!(describe_stream(c, t, id, name), async {
        pace(&quotas::LIST_TAGS_FOR_DELIVERY_STREAM).await;
        c.firehose
            .list_tags_for_delivery_stream()
            .delivery_stream_name(name)
            .send()
            .await
    });
    let mut state = state?;
    if state.exists {
        state.tags = tags
            .map_err(err("firehose", "ListTagsForDeliveryStream", t.ep()))?
            .tags()
            .iter()
            .map(|t| {
                (
                    t.key().to_string(),
                    t.value().unwrap_or_default().to_string(),
                )
            })
            .collect();
    }
    Ok(state)
}

/// One Firehose stream from DescribeDeliveryStream alone (no tags): its encryption, what its
/// encryption configuration reports, and its S3 destination.
pub async fn describe_stream(
    c: &Clients,
    t: &Tenancy,
    id: &str,
    name: &str,
) -> Result<StreamState, AwsError> {
    pace(&quotas::DESCRIBE_DELIVERY_STREAM).await;
    let desc = match c
        .firehose
        .describe_delivery_stream()
        .delivery_stream_name(name)
        .send()
        .await
    {
        Ok(d) => d,
        Err(e) => {
            let e = err("firehose", "DescribeDeliveryStream", t.ep())(e);
            if e.is("ResourceNotFoundException") {
                return Ok(StreamState {
                    id: id.into(),
                    name: name.into(),
                    exists: false,
                    stream_type: String::new(),
                    status: String::new(),
                    encryption: Encryption::None,
                    encryption_status: String::new(),
                    encryption_failure: None,
                    destination_id: String::new(),
                    destination_bucket: String::new(),
                    destination_encryption: Encryption::None,
                    destination_kms: false,
                    backup: None,
                    tags: BTreeMap::new(),
                    created: None,
                });
            }
            return Err(e);
        }
    };
    let d = desc.delivery_stream_description();
    let sse = d.and_then(|d| d.delivery_stream_encryption_configuration());
    let encryption_status = sse
        .and_then(|s| s.status())
        .map(|s| s.as_str().to_string())
        .unwrap_or_else(|| "DISABLED".into());
    let encryption = match sse.and_then(|s| s.key_type()).map(|k| k.as_str()) {
        _ if encryption_status == "DISABLED" || encryption_status == "DISABLING" => {
            Encryption::None
        }
        Some("CUSTOMER_MANAGED_CMK") => Encryption::kms(sse.and_then(|s| s.key_arn())),
        Some(_) => Encryption::AwsManaged,
        None => Encryption::None,
    };
    let encryption_failure = sse
        .and_then(|s| s.failure_description())
        .map(|f| (f.r#type().as_str().to_string(), f.details().to_string()));
    let dest = d.and_then(|d| d.destinations().first());
    let ext = dest.and_then(|x| x.extended_s3_destination_description());
    let plain = dest.and_then(|x| x.s3_destination_description());
    let (bucket_arn, dest_enc) = match (ext, plain) {
        (Some(e), _) => (e.bucket_arn().to_string(), e.encryption_configuration()),
        (None, Some(p)) => (p.bucket_arn().to_string(), p.encryption_configuration()),
        _ => (String::new(), None),
    };
    let backup = ext
        .filter(|e| e.s3_backup_mode().map(|m| m.as_str()) == Some("Enabled"))
        .and_then(|e| e.s3_backup_description())
        .map(|b| {
            let kms = b
                .encryption_configuration()
                .and_then(|e| e.kms_encryption_config());
            (
                b.bucket_arn().to_string(),
                match kms {
                    Some(k) => Encryption::kms(Some(k.awskms_key_arn())),
                    None => Encryption::SseS3,
                },
                kms.is_some(),
            )
        });
    let kms_config = dest_enc.and_then(|e| e.kms_encryption_config());
    let destination_encryption = match kms_config {
        Some(k) => Encryption::kms(Some(k.awskms_key_arn())),
        None => Encryption::SseS3,
    };
    Ok(StreamState {
        id: id.into(),
        name: name.into(),
        exists: true,
        stream_type: d
            .map(|d| d.delivery_stream_type().as_str().to_string())
            .unwrap_or_default(),
        status: d
            .map(|d| d.delivery_stream_status().as_str().to_string())
            .unwrap_or_default(),
        encryption,
        encryption_status,
        encryption_failure,
        destination_id: dest
            .map(|x| x.destination_id().to_string())
            .unwrap_or_default(),
        destination_bucket: bucket_arn,
        destination_encryption,
        destination_kms: kms_config.is_some(),
        backup,
        tags: BTreeMap::new(),
        created: d.and_then(|d| d.create_timestamp()).map(|t| t.secs()),
    })
}
