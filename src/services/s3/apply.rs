//! Applying a bucket's steps; each is idempotent (a bucket that already exists and is ours counts
//! as created).

use aws_sdk_s3::primitives::ByteStream;
use aws_sdk_s3::types as s3t;

use super::{reencrypt, BucketState};
use crate::aws::Clients;
use crate::error::AwsError;
use crate::shared::steps::{fail, ApplyCtx, Change, S3Step, StepError, StepOutput};
use crate::shared::tenancy::{err, CANARY_KEY};

/// Carries out one step on the bucket `ch.resource`; `observed` is what was read before planning
/// (its tags are kept).
pub async fn apply(
    x: ApplyCtx<'_>,
    observed: &[BucketState],
    ch: &Change,
    step: S3Step,
) -> StepOutput {
    let name = ch.resource.as_str();
    match step {
        S3Step::CreateBucket => create_bucket(x, name).await,
        S3Step::BlockPublicAccess => block_public_access(x.c, name, x.ep())
            .await
            .map(|_| None)
            .map_err(Into::into),
        S3Step::EnforceOwnership => enforce_ownership(x, name).await,
        S3Step::SetBucketEncryption => set_bucket_encryption(x, name).await,
        S3Step::SetBucketPolicy => set_bucket_policy(x, name).await,
        S3Step::TagBucket => tag_bucket(x, observed, ch).await,
        S3Step::ReencryptObjects => reencrypt::reencrypt(x.c, x.t, name, x.progress).await,
        // Batch Operations jobs belong to S3 Control (services::s3control), run by enable itself.
        S3Step::RunBatchJobs | S3Step::FollowBatchJobs => {
            Err(fail("Batch Operations jobs are S3 Control's steps"))
        }
        S3Step::WriteCanary => write_canary(x, name).await,
    }
}

async fn create_bucket(x: ApplyCtx<'_>, name: &str) -> StepOutput {
    let mut req = x.c.s3.create_bucket().bucket(name);
    if x.c.region != "us-east-1" {
        req = req.create_bucket_configuration(
            s3t::CreateBucketConfiguration::builder()
                .location_constraint(x.c.region.as_str().into())
                .build(),
        );
    }
    match req.send().await {
        Ok(_) => Ok(None),
        Err(e) => {
            let e = err("s3", "CreateBucket", x.ep())(e);
            if e.is("BucketAlreadyOwnedByYou") {
                Ok(Some("already existed".into()))
            } else if e.is("BucketAlreadyExists") {
                Err(fail(format!(
                    "the bucket name {name} belongs to another AWS account; choose another name template in the environment file"
                )))
            } else {
                Err(e.into())
            }
        }
    }
}

/// The tenant bucket's statements (`bucket_policy.rs`) in place of any earlier ones of cmek's; the
/// policy is read again just before it is written, so a statement added since the plan is kept.
async fn set_bucket_policy(x: ApplyCtx<'_>, name: &str) -> StepOutput {
    let current = match x.c.s3.get_bucket_policy().bucket(name).send().await {
        Ok(out) => out.policy().map(str::to_string),
        Err(e) => {
            let e = err("s3", "GetBucketPolicy", x.ep())(e);
            if !(e.is("NoSuchBucketPolicy") || e.http_status == Some(404)) {
                return Err(e.into());
            }
            None
        }
    };
    let ours = super::bucket_policy::tenant_statements(
        name,
        x.t.key.as_str(),
        &format!("{}reports/", super::BATCH_PREFIX),
    );
    let policy = super::bucket_policy::merged(current.as_deref(), ours, name)?;
    x.c.s3
        .put_bucket_policy()
        .bucket(name)
        .policy(policy)
        .send()
        .await
        .map_err(err("s3", "PutBucketPolicy", x.ep()))?;
    Ok(Some(
        "requests without TLS, and writes asking for another encryption than the key, are denied"
            .into(),
    ))
}

async fn enforce_ownership(x: ApplyCtx<'_>, name: &str) -> StepOutput {
    x.c.s3
        .put_bucket_ownership_controls()
        .bucket(name)
        .ownership_controls(
            s3t::OwnershipControls::builder()
                .rules(
                    s3t::OwnershipControlsRule::builder()
                        .object_ownership(s3t::ObjectOwnership::BucketOwnerEnforced)
                        .build()
                        .map_err(|e| fail(e.to_string()))?,
                )
                .build()
                .map_err(|e| fail(e.to_string()))?,
        )
        .send()
        .await
        .map_err(err("s3", "PutBucketOwnershipControls", x.ep()))?;
    Ok(None)
}

async fn set_bucket_encryption(x: ApplyCtx<'_>, name: &str) -> StepOutput {
    let rule = s3t::ServerSideEncryptionRule::builder()
        .apply_server_side_encryption_by_default(
            s3t::ServerSideEncryptionByDefault::builder()
                .sse_algorithm(s3t::ServerSideEncryption::AwsKms)
                .kms_master_key_id(x.t.key.as_str())
                .build()
                .map_err(|e| fail(e.to_string()))?,
        )
        .bucket_key_enabled(true)
        .build();
    x.c.s3
        .put_bucket_encryption()
        .bucket(name)
        .server_side_encryption_configuration(
            s3t::ServerSideEncryptionConfiguration::builder()
                .rules(rule)
                .build()
                .map_err(|e| fail(e.to_string()))?,
        )
        .send()
        .await
        .map_err(err("s3", "PutBucketEncryption", x.ep()))?;
    Ok(None)
}

async fn tag_bucket(x: ApplyCtx<'_>, observed: &[BucketState], ch: &Change) -> StepOutput {
    // PutBucketTagging replaces the set: keep the tags others put there.
    let mut tags = observed
        .iter()
        .find(|b| b.name == ch.resource)
        .map(|b| b.tags.clone())
        .unwrap_or_default();
    tags.extend(x.t.tags());
    let set: Vec<s3t::Tag> = tags
        .into_iter()
        .filter_map(|(k, v)| s3t::Tag::builder().key(k).value(v).build().ok())
        .collect();
    x.c.s3
        .put_bucket_tagging()
        .bucket(&ch.resource)
        .tagging(
            s3t::Tagging::builder()
                .set_tag_set(Some(set))
                .build()
                .map_err(|e| fail(e.to_string()))?,
        )
        .send()
        .await
        .map_err(err("s3", "PutBucketTagging", x.ep()))?;
    Ok(None)
}

async fn write_canary(x: ApplyCtx<'_>, bucket: &str) -> StepOutput {
    let body = format!(
        "cmek canary for Speedscale tenant {}.\nWritten under {} so that `cmek revoke-check` can prove S3 reads depend on the key.\nIt holds no tenant data.\n",
        x.t.tenant, x.t.key
    );
    x.c
        .s3
        .put_object()
        .bucket(bucket)
        .key(CANARY_KEY)
        .content_type("text/plain")
        .server_side_encryption(s3t::ServerSideEncryption::AwsKms)
        .ssekms_key_id(x.t.key.as_str())
        .bucket_key_enabled(true)
        .body(ByteStream::from(body.into_bytes()))
        .send()
        .await
        .map_err(|e| {
            let e = err("s3", "PutObject", x.ep())(e);
            if e.is_our_side() {
                StepError::from(e)
            } else {
                StepError {
                    message: format!(
                        "S3 could not write under the key, so the key policy does not let S3 use it for Speedscale: {e}"
                    ),
                    code: e.code.clone(),
                }
            }
        })?;
    Ok(Some("S3 wrote the canary under the key".into()))
}

/// Blocks every kind of public access to a bucket.
pub async fn block_public_access(
    c: &Clients,
    bucket: &str,
    ep: Option<&str>,
) -> Result<(), AwsError> {
    c.s3.put_public_access_block()
        .bucket(bucket)
        .public_access_block_configuration(
            s3t::PublicAccessBlockConfiguration::builder()
                .block_public_acls(true)
                .ignore_public_acls(true)
                .block_public_policy(true)
                .restrict_public_buckets(true)
                .build(),
        )
        .send()
        .await
        .map_err(err("s3", "PutPublicAccessBlock", ep))?;
    Ok(())
}
