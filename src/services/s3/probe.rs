//! verify's S3 probe: S3's use of the key, proven through S3 itself (a probe object written under
//! the key in a Speedscale-owned bucket, read back, deleted). It holds no tenant data.

use aws_sdk_s3::types::ServerSideEncryption;
use aws_sdk_s3::Client as S3;

use crate::error::{AwsError, Error};
use crate::services::kms::{via_service_skip, VerifyRequest};
use crate::shared::ids::CheckId;
use crate::shared::policy;
use crate::shared::report::{Check, Remedy, Status};

/// S3's use of the key, proven through S3 itself: a probe object written under the key, read
/// back, deleted. Skipped (proven at enable) when the environment has no probe bucket yet.
pub async fn s3_probe(s3: &S3, req: &VerifyRequest) -> Result<Check, Error> {
    let arn = req.key.as_str();
    let ep = req.endpoint.as_deref();
    let Some((bucket, prefix)) = &req.probe else {
        return Ok(via_service_skip(
            CheckId::S3ViaService,
            "S3",
            "the environment has no probe bucket",
            req,
        ));
    };
    let nonce = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or(0);
    let key = format!(
        "{prefix}{}/verify-{nonce}-{}",
        req.tenant,
        std::process::id()
    );
    let resource = format!("s3://{bucket}/{key}");
    let body: &[u8] = b"cmek verify probe: contains no tenant data\n";
    let put = s3
        .put_object()
        .bucket(bucket)
        .key(&key)
        .body(body.to_vec().into())
        .server_side_encryption(ServerSideEncryption::AwsKms)
        .ssekms_key_id(arn)
        .bucket_key_enabled(false)
        .send()
        .await
        .map_err(|e| AwsError::from_sdk("s3", "PutObject", &e).at(ep));
    let put = match put {
        Ok(p) => p,
        Err(e) if e.is("NoSuchBucket") => {
            return Ok(via_service_skip(
                CheckId::S3ViaService,
                "S3",
                &format!("the probe bucket {bucket} does not exist yet (enable creates it)"),
                req,
            ));
        }
        Err(e) => {
            // A probe bucket another account holds is not the key refusing S3 (owner.rs).
            let e = super::owner::explain_with(s3, &req.account, bucket, e, ep).await;
            if e.kind == crate::error::FailureKind::NotOurBucket {
                return Err(e.into());
            }
            return s3_refusal(e, &resource, "write an object under the key", req);
        }
    };
    if put.server_side_encryption() != Some(&ServerSideEncryption::AwsKms)
        || put.ssekms_key_id() != Some(arn)
    {
        let _ = s3.delete_object().bucket(bucket).key(&key).send().await;
        return Ok(Check::new(
            CheckId::S3ViaService,
            Status::Fail,
            resource,
            format!(
                "S3 stored the probe under {:?}, not under the key",
                put.ssekms_key_id().unwrap_or("no KMS key")
            ),
        ));
    }
    let read = async {
        let got = s3
            .get_object()
            .bucket(bucket)
            .key(&key)
            .send()
            .await
            .map_err(|e| AwsError::from_sdk("s3", "GetObject", &e).at(ep))?;
        let data = got
            .body
            .collect()
            .await
            .map_err(|e| AwsError::service("s3", "GetObject", "ReadError", &e.to_string()))?;
        Ok::<bool, AwsError>(data.into_bytes().as_ref() == body)
    }
    .await;
    let deleted = s3.delete_object().bucket(bucket).key(&key).send().await;
    let left = if deleted.is_err() {
        format!("; the probe object could not be deleted, remove {resource}")
    } else {
        String::new()
    };
    match read {
        Ok(true) => Ok(Check::new(
            CheckId::S3ViaService,
            Status::Pass,
            resource,
            format!("S3 wrote and read a probe object under the key{left}"),
        )),
        Ok(false) => Ok(Check::new(
            CheckId::S3ViaService,
            Status::Fail,
            resource,
            format!("S3 returned different bytes for the probe object{left}"),
        )),
        Err(e) => s3_refusal(e, &resource, "read an object under the key", req),
    }
}

fn s3_refusal(
    e: AwsError,
    resource: &str,
    action: &str,
    req: &VerifyRequest,
) -> Result<Check, Error> {
    let about_kms =
        e.code().starts_with("KMS.") || e.message().contains("kms:") || e.message().contains("KMS");
    if !about_kms && (e.is_our_side() || e.refusal().is_some()) {
        // S3 itself (our bucket, our IAM) refused: our own side.
        return Err(e.into());
    }
    let mut check = Check::new(
        CheckId::S3ViaService,
        Status::Fail,
        resource,
        format!("S3 could not {action}: {} {}", e.code(), e.message()),
    )
    .aws_error(e.code());
    if e.refusal().is_some() || e.is("AccessDeniedException") {
        check = check.remedy(Remedy::statement(
            "add to the key policy:",
            policy::via_service_statement(req.key.partition(), &req.account, &req.region),
        ));
    }
    Ok(check)
}
