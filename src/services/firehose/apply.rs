//! Applying a stream's steps; each is idempotent (a stream that already exists counts as
//! created, UpdateDestination re-reads the version it needs).

use super::quotas;
use crate::shared::quota::pace;
use std::time::Duration;

use aws_sdk_firehose::types as fh;

use crate::error::AwsError;
use crate::shared::poll::{self, Probe};
use crate::shared::steps::{fail, ApplyCtx, Change, FirehoseStep, StepError, StepOutput};
use crate::shared::tenancy::err;

/// Carries out one step on the stream `ch.resource`.
pub async fn apply(x: ApplyCtx<'_>, ch: &Change, step: FirehoseStep) -> StepOutput {
    let name = ch.resource.as_str();
    match step {
        FirehoseStep::CreateStream => create_stream(x, ch).await,
        FirehoseStep::WaitStreamActive => wait_stream(x, name, false).await,
        FirehoseStep::StartStreamEncryption => start_stream_encryption(x, ch).await,
        FirehoseStep::WaitStreamEncryption => wait_stream(x, name, true).await,
        FirehoseStep::UpdateDestinationEncryption => update_destination(x, name).await,
        FirehoseStep::TagStream => tag_stream(x, name).await,
    }
}

fn stream_spec<'a>(
    x: ApplyCtx<'a>,
    ch: &Change,
) -> Option<(usize, &'a crate::environment::StreamSpec, String)> {
    let id = ch.id.strip_prefix("stream:")?;
    let i = x.t.env.streams.iter().position(|s| s.id == id)?;
    let dest = x.t.names.streams.get(i)?.2.clone();
    Some((i, &x.t.env.streams[i], dest))
}

fn kms_dest(x: ApplyCtx<'_>) -> Result<fh::EncryptionConfiguration, StepError> {
    Ok(fh::EncryptionConfiguration::builder()
        .kms_encryption_config(
            fh::KmsEncryptionConfig::builder()
                .awskms_key_arn(x.t.key.as_str())
                .build()
                .map_err(|e| fail(e.to_string()))?,
        )
        .build())
}

async fn create_stream(x: ApplyCtx<'_>, ch: &Change) -> StepOutput {
    let Some((i, spec, dest)) = stream_spec(x, ch) else {
        return Err(fail(format!("no stream {} in the environment", ch.id)));
    };
    let b = |e: aws_sdk_firehose::error::BuildError| fail(e.to_string());
    let s3 = fh::ExtendedS3DestinationConfiguration::builder()
        .role_arn(x.t.role_arn(i))
        .bucket_arn(x.t.bucket_arn(&dest))
        .prefix(&spec.prefix)
        .error_output_prefix(format!("{}errors/", spec.prefix))
        .compression_format(fh::CompressionFormat::Gzip)
        .buffering_hints(
            fh::BufferingHints::builder()
                .size_in_mbs(spec.buffer_mib)
                .interval_in_seconds(spec.buffer_seconds)
                .build(),
        )
        .encryption_configuration(kms_dest(x)?)
        .build()
        .map_err(b)?;
    let sse = stream_sse(x, ch)?;
    let tags: Vec<fh::Tag> =
        x.t.tags()
            .into_iter()
            .filter_map(|(k, v)| fh::Tag::builder().key(k).value(v).build().ok())
            .collect();
    // A role created seconds ago may not be assumable by Firehose yet (IAM is eventually
    // consistent): retry that one refusal for about a minute.
    let mut delay = Duration::from_secs(2);
    for attempt in 0.. {
        pace(&quotas::CREATE_DELIVERY_STREAM).await;
        let r =
            x.c.firehose
                .create_delivery_stream()
                .delivery_stream_name(&ch.resource)
                .delivery_stream_type(fh::DeliveryStreamType::DirectPut)
                .delivery_stream_encryption_configuration_input(sse.clone())
                .extended_s3_destination_configuration(s3.clone())
                .set_tags(Some(tags.clone()))
                .send()
                .await;
        match r {
            Ok(_) => return Ok(None),
            Err(e) => {
                let e = err("firehose", "CreateDeliveryStream", x.ep())(e);
                if e.is("ResourceInUseException") {
                    return Ok(Some("already existed".into()));
                }
                let role_not_ready = e.is("InvalidArgumentException")
                    && e.message().to_lowercase().contains("assume");
                if role_not_ready && attempt < 6 {
                    tokio::time::sleep(delay).await;
                    delay = (delay * 2).min(Duration::from_secs(15));
                    continue;
                }
                if e.is("InvalidKMSResourceException") {
                    return Err(key_refused(
                        x,
                        &format!("{}: {}", e.code.as_deref().unwrap_or_default(), e.message()),
                        e.code.clone(),
                        "the stream was not created",
                    ));
                }
                return Err(e.into());
            }
        }
    }
    Ok(None)
}

async fn describe(
    x: ApplyCtx<'_>,
    name: &str,
) -> Result<aws_sdk_firehose::types::DeliveryStreamDescription, AwsError> {
    pace(&quotas::DESCRIBE_DELIVERY_STREAM).await;
    x.c.firehose
        .describe_delivery_stream()
        .delivery_stream_name(name)
        .send()
        .await
        .map_err(err("firehose", "DescribeDeliveryStream", x.ep()))?
        .delivery_stream_description
        .ok_or_else(|| {
            AwsError::service(
                "firehose",
                "DescribeDeliveryStream",
                "MissingDescription",
                "no description",
            )
        })
}

async fn wait_stream(x: ApplyCtx<'_>, name: &str, encryption: bool) -> StepOutput {
    let waited = poll::until(
        x.waits.stream,
        |status, waited| x.progress.waiting(name, status, waited),
        || async {
            let d = describe(x, name).await?;
            let status = d.delivery_stream_status().as_str().to_string();
            let sse = d.delivery_stream_encryption_configuration();
            let sse_status = sse
                .and_then(|s| s.status())
                .map(|s| s.as_str().to_string())
                .unwrap_or_default();
            if encryption {
                match sse_status.as_str() {
                    "ENABLED" => return Ok(Probe::Done("encryption ENABLED".to_string())),
                    "ENABLING_FAILED" => {
                        let why = sse
                            .and_then(|s| s.failure_description())
                            .map(|f| format!("{}: {}", f.r#type().as_str(), f.details()))
                            .unwrap_or_else(|| "no FailureDescription".into());
                        return Err(key_refused(
                            x,
                            &why,
                            Some("ENABLING_FAILED".into()),
                            "enabling encryption failed, and Firehose keeps the stream's previous encryption",
                        ));
                    }
                    _ => {}
                }
            } else if status == "ACTIVE" {
                return Ok(Probe::Done("ACTIVE".to_string()));
            } else if status.ends_with("FAILED") {
                let why = d
                    .failure_description()
                    .map(|f| format!("{}: {}", f.r#type().as_str(), f.details()))
                    .unwrap_or_default();
                return Err(StepError {
                    message: format!("the stream is {status} {why}"),
                    code: Some(status),
                });
            }
            Ok(Probe::Pending(if encryption { sse_status } else { status }))
        },
    )
    .await?;
    match waited {
        Ok(done) => Ok(Some(done)),
        Err(t) => Err(fail(format!(
            "still {} after {}s; run enable again to keep waiting",
            t.status,
            t.waited.as_secs()
        ))),
    }
}

/// The stream's own encryption as the environment asks: the customer key, or AWS owned.
fn stream_sse(
    x: ApplyCtx<'_>,
    ch: &Change,
) -> Result<fh::DeliveryStreamEncryptionConfigurationInput, StepError> {
    let id = ch.id.strip_prefix("stream:").unwrap_or_default();
    let b = if super::plan::aws_owned(x.t, id) {
        fh::DeliveryStreamEncryptionConfigurationInput::builder().key_type(fh::KeyType::AwsOwnedCmk)
    } else {
        fh::DeliveryStreamEncryptionConfigurationInput::builder()
            .key_type(fh::KeyType::CustomerManagedCmk)
            .key_arn(x.t.key.as_str())
    };
    b.build().map_err(|e| fail(e.to_string()))
}

/// Firehose API reference, StartDeliveryStreamEncryption (read 2026-12-01).
const OLD_CREDENTIALS: &str = "Firehose: \"For the KMS grant creation to be successful, the Firehose API operations StartDeliveryStreamEncryption and CreateDeliveryStream should not be called with session credentials that are more than 6 hours old.\"";

/// Firehose refused the key for the stream's own encryption. Either the key policy does not let
/// it (verify cannot prove Firehose's use), or Firehose does not take a key from another account
/// for a stream's own encryption, which AWS does not document either way: name both, and the
/// documented alternative.
fn key_refused(x: ApplyCtx<'_>, why: &str, code: Option<String>, done: &str) -> StepError {
    StepError {
        message: format!(
            "Firehose refused the key for the stream's own encryption ({why}); {done}. Either the key policy does not let Speedscale's account use the key through firehose.{} and create grants for AWS resources (compare it with `cmek template`), or Firehose does not take a key from another account for a stream's own encryption (AWS does not document whether it does), or the session credentials are more than 6 hours old ({OLD_CREDENTIALS}; with --role-arn cmek's sessions last one hour, so log in again, or use --role-arn if this run does not). If the policy matches the template and the credentials are fresh, set encryption = \"aws-owned\" on this [[stream]] in the environment file and run enable again: the S3 destination still writes under the key, and records wait in the stream (up to 24 hours) under an AWS owned key",
            x.t.region
        ),
        code,
    }
}

async fn start_stream_encryption(x: ApplyCtx<'_>, ch: &Change) -> StepOutput {
    let name = ch.resource.as_str();
    let sse = stream_sse(x, ch)?;
    pace(&quotas::START_DELIVERY_STREAM_ENCRYPTION).await;
    x.c.firehose
        .start_delivery_stream_encryption()
        .delivery_stream_name(name)
        .delivery_stream_encryption_configuration_input(sse)
        .send()
        .await
        .map_err(err("firehose", "StartDeliveryStreamEncryption", x.ep()))?;
    Ok(None)
}

async fn update_destination(x: ApplyCtx<'_>, name: &str) -> StepOutput {
    for attempt in 0..3 {
        // UpdateDestination needs the stream's current version id: read it right before.
        let d = describe(x, name).await?;
        let dest_id = d
            .destinations()
            .first()
            .map(|x| x.destination_id().to_string())
            .unwrap_or_default();
        pace(&quotas::UPDATE_DESTINATION).await;
        let r =
            x.c.firehose
                .update_destination()
                .delivery_stream_name(name)
                .current_delivery_stream_version_id(d.version_id())
                .destination_id(dest_id)
                .extended_s3_destination_update(
                    fh::ExtendedS3DestinationUpdate::builder()
                        .encryption_configuration(kms_dest(x)?)
                        .build(),
                )
                .send()
                .await;
        match r {
            Ok(_) => return Ok(None),
            Err(e) => {
                let e = err("firehose", "UpdateDestination", x.ep())(e);
                if e.is("ConcurrentModificationException") && attempt < 2 {
                    continue;
                }
                return Err(e.into());
            }
        }
    }
    Ok(None)
}

async fn tag_stream(x: ApplyCtx<'_>, name: &str) -> StepOutput {
    let tags: Vec<fh::Tag> =
        x.t.tags()
            .into_iter()
            .filter_map(|(k, v)| fh::Tag::builder().key(k).value(v).build().ok())
            .collect();
    pace(&quotas::TAG_DELIVERY_STREAM).await;
    x.c.firehose
        .tag_delivery_stream()
        .delivery_stream_name(name)
        .set_tags(Some(tags))
        .send()
        .await
        .map_err(err("firehose", "TagDeliveryStream", x.ep()))?;
    Ok(None)
}
