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
        // Read only for a tenant bucket: another bucket's default is not Speedscale's to rely on
        // (and may belong to anyone), so without a KMS configuration of its own it is not under the key.
        let inside = is_tenant_bucket(t, &s.destination_bucket);
        let (enc, how) = written_under(
            c,
            t,
            &s.destination_bucket,
            &s.destination_encryption,
            s.destination_kms,
            inside,
        )
        .await?;
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
    if let Some((bucket_arn, own, kms)) = &s.backup {
        out.push(backup_row(c, t, name, &s.destination_id, bucket_arn, own, *kms).await?);
    }
    Ok(out)
}

/// The encryption Firehose's objects get in `bucket_arn`: its own KMS configuration, else the
/// bucket's default encryption, read only for a bucket cmek may read (`read_default`); and how
/// that was found, for the message.
async fn written_under(
    c: &Clients,
    t: &Tenancy,
    bucket_arn: &str,
    own: &Encryption,
    kms: bool,
    read_default: bool,
) -> Result<(Encryption, &'static str), AwsError> {
    if kms {
        return Ok((own.clone(), ""));
    }
    let bucket = bucket_name(bucket_arn);
    if read_default {
        if let Some((e, _)) = bucket_encryption(c, t, bucket).await? {
            return Ok((
                e,
                " (no KMS configuration of its own: the bucket's default encryption)",
            ));
        }
    }
    Ok((own.clone(), ""))
}

fn bucket_name(arn: &str) -> &str {
    arn.rsplit(":::").next().unwrap_or_default()
}

/// Whether a bucket ARN names one of the tenant's buckets.
fn is_tenant_bucket(t: &Tenancy, arn: &str) -> bool {
    let bucket = bucket_name(arn);
    t.names.buckets.iter().any(|(_, b)| b == bucket)
}

/// The row of a stream's S3 backup (`S3BackupMode` `Enabled`: Firehose "can back up all
/// untransformed records to your S3 bucket concurrently while delivering transformed records to the
/// destination", and "You cannot disable source record backup after you enable it": Firehose
/// developer guide, "Back up source records", checked 2026-12-01; hence the remedy repoints it). Inside a tenant bucket its objects are that bucket's;
/// outside, it is a copy of the tenant's data whose objects cmek does not examine.
async fn backup_row(
    c: &Clients,
    t: &Tenancy,
    name: &str,
    destination_id: &str,
    bucket_arn: &str,
    own: &Encryption,
    kms: bool,
) -> Result<ResourceStatus, AwsError> {
    let key = &t.key;
    let bucket = bucket_name(bucket_arn);
    let inside = is_tenant_bucket(t, bucket_arn);
    let (enc, how) = written_under(c, t, bucket_arn, own, kms, inside).await?;
    let unread = !kms && !inside;
    let under = if unread {
        "the bucket's default encryption, which cmek does not read for a bucket outside the tenant's".to_string()
    } else if enc.is_key(key) {
        "the key".to_string()
    } else {
        enc.shown()
    };
    let place = if inside {
        "a tenant bucket"
    } else {
        "outside the tenant's buckets: cmek does not examine its objects"
    };
    let mut row = ResourceStatus::of(
        FirehoseResource::Backup,
        &format!("{name}/{destination_id}/backup"),
        key,
        Some(&enc),
        format!("backs up every source record into {bucket_arn} ({place}) under {under}{how}"),
    );
    if unread {
        row.state = ResourceState::Drift;
        row.actual_key = "bucket-default".into();
    }
    // A copy of every record, wherever it lands: enable does not change a stream's backup, so the
    // way back to the key is the stream's own update, then the records already written.
    let sh = crate::shared::resource::sh;
    row = row.copy(crate::shared::resource::DataCopy {
        remove: format!(
            "point the backup at a tenant bucket under the key: aws firehose update-destination --region {} --delivery-stream-name {} --destination-id {} --current-delivery-stream-version-id VERSION (from describe-delivery-stream) --extended-s3-destination-update {}; records already backed up stay in {bucket} until deleted there",
            sh(&t.region),
            sh(name),
            sh(destination_id),
            sh(&format!(
                "S3BackupUpdate={{BucketARN=TENANT_BUCKET_ARN,EncryptionConfiguration={{KMSEncryptionConfig={{AWSKMSKeyARN={key}}}}}}}"
            ))
        ),
        outside_tenant_buckets: !inside,
        ..Default::default()
    });
    Ok(row)
}
