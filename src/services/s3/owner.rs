//! Whose bucket it is. Every S3 request cmek sends carries the bucket owner condition (`aws.rs`),
//! so S3 refuses a request on a bucket another account owns, but with the same 403 as any other
//! refusal: "If the account ID that you provide does not match the actual owner of the bucket, the
//! request fails with the HTTP status code `403 Forbidden` (access denied)." (S3 API reference,
//! ExpectedBucketOwner, read 2026-12-02.) AWS documents no way to tell that 403 apart (HeadBucket:
//! "you can't determine the exception beyond these HTTP response codes"). Here it is told apart by
//! ListBuckets with the bucket's name as `Prefix`, which lists only the caller's own buckets
//! ("Returns a list of all buckets owned by the authenticated sender of the request"; Prefix
//! "Limits the response to bucket names that begin with the specified bucket name prefix",
//! ListBuckets API reference, read 2026-12-02): a bucket that answers 403 and is not listed is not
//! ours.

use crate::aws::Clients;
use crate::error::{AwsError, FailureKind};
use crate::shared::tenancy::err;

/// Whether the caller's account owns `bucket` (ListBuckets, `Prefix` = the name).
pub async fn owns(
    s3: &aws_sdk_s3::Client,
    bucket: &str,
    ep: Option<&str>,
) -> Result<bool, AwsError> {
    let out = s3
        .list_buckets()
        .prefix(bucket)
        .max_buckets(1000)
        .send()
        .await
        .map_err(err("s3", "ListBuckets", ep))?;
    Ok(out.buckets().iter().any(|b| b.name() == Some(bucket)))
}

/// `e`, a failure of a call on `bucket`; when it is a 403 and the bucket is not the account's, the
/// error that says so, naming the bucket and the owner condition. Any other failure, or a 403 on
/// one of our own buckets (our IAM, a key refusing S3), is returned as it is.
pub async fn explain(c: &Clients, bucket: &str, e: AwsError) -> AwsError {
    match c.bucket_owner.as_deref() {
        Some(account) => explain_with(&c.s3, account, bucket, e, c.endpoint.as_deref()).await,
        None => e,
    }
}

/// `explain`, with the S3 client and the account named.
pub async fn explain_with(
    s3: &aws_sdk_s3::Client,
    account: &str,
    bucket: &str,
    e: AwsError,
    ep: Option<&str>,
) -> AwsError {
    if e.http_status != Some(403) {
        return e;
    }
    match owns(s3, bucket, ep).await {
        Ok(false) => not_ours(bucket, account, &e),
        // Ours (so the refusal is something else), or we cannot tell: the original error.
        Ok(true) | Err(_) => e,
    }
}

/// The failure for a bucket another account owns.
pub fn not_ours(bucket: &str, account: &str, e: &AwsError) -> AwsError {
    AwsError {
        kind: FailureKind::NotOurBucket,
        message: Some(format!(
            "the bucket {bucket} is not owned by Speedscale's account {account}: S3 refused {} {} under the bucket owner condition (ExpectedBucketOwner {account}) and ListBuckets in {account} does not list it; cmek reads nothing from it and writes nothing to it. Another account holds the name: find out whose it is before onboarding anyone here",
            e.service, e.operation
        )),
        ..e.clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use aws_sdk_s3::operation::list_buckets::ListBucketsOutput;
    use aws_sdk_s3::types::Bucket;
    use aws_smithy_mocks::{mock, mock_client};

    fn refused() -> AwsError {
        let mut e = AwsError::service("s3", "GetObject", "AccessDenied", "Access Denied");
        e.http_status = Some(403);
        e
    }

    fn listing(names: &'static [&'static str]) -> Clients {
        let list = mock!(aws_sdk_s3::Client::list_buckets)
            .match_requests(|r| r.prefix() == Some("speedscale-cmek-222222222222-us-east-1"))
            .then_output(move || {
                ListBucketsOutput::builder()
                    .set_buckets(Some(
                        names
                            .iter()
                            .map(|n| Bucket::builder().name(*n).build())
                            .collect(),
                    ))
                    .build()
            });
        Clients {
            s3: mock_client!(aws_sdk_s3, [&list]),
            bucket_owner: Some("222222222222".into()),
            ..Clients::idle()
        }
    }

    #[tokio::test]
    async fn a_refused_bucket_that_we_do_not_list_is_named_as_another_accounts() {
        let c = listing(&[]);
        let e = explain(&c, "speedscale-cmek-222222222222-us-east-1", refused()).await;
        assert_eq!(e.kind, FailureKind::NotOurBucket);
        let text = e.to_string();
        assert!(
            text.contains("speedscale-cmek-222222222222-us-east-1"),
            "{text}"
        );
        assert!(text.contains("ExpectedBucketOwner 222222222222"), "{text}");
    }

    #[tokio::test]
    async fn a_refusal_on_our_own_bucket_stays_what_it_was() {
        // A longer name with the same prefix is listed too: only the exact name counts.
        let c = listing(&[
            "speedscale-cmek-222222222222-us-east-1",
            "speedscale-cmek-222222222222-us-east-1-old",
        ]);
        let e = explain(&c, "speedscale-cmek-222222222222-us-east-1", refused()).await;
        assert_eq!(e.kind, FailureKind::Service);
        let c = listing(&["speedscale-cmek-222222222222-us-east-1-old"]);
        let e = explain(&c, "speedscale-cmek-222222222222-us-east-1", refused()).await;
        assert_eq!(
            e.kind,
            FailureKind::NotOurBucket,
            "a prefix match is not the bucket"
        );
        let mut other = refused();
        other.http_status = Some(404);
        let e = explain(&c, "speedscale-cmek-222222222222-us-east-1", other).await;
        assert_eq!(e.kind, FailureKind::Service, "only a 403 is looked into");
    }
}
