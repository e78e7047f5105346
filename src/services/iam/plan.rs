//! The delivery role's plan and the policies it must carry.

use serde_json::{json, Value};

use super::RoleState;
use crate::shared::steps::{Change, IamStep, Kind};
use crate::shared::tenancy::Tenancy;

/// The delivery role's trust policy: Firehose, for this account only.
pub fn role_trust_policy(t: &Tenancy) -> Value {
    json!({
        "Version": "2012-10-17",
        "Statement": [{
            "Effect": "Allow",
            "Principal": { "Service": "firehose.amazonaws.com" },
            "Action": "sts:AssumeRole",
            "Condition": { "StringEquals": { "sts:ExternalId": t.account } }
        }]
    })
}

/// The delivery role's inline policy: write the tenant's buckets, and use the key through S3 for
/// those buckets only.
pub fn role_policy(t: &Tenancy) -> Value {
    let mut buckets: Vec<String> = t.names.streams.iter().map(|s| s.2.clone()).collect();
    buckets.sort();
    buckets.dedup();
    let bucket_arns: Vec<String> = buckets.iter().map(|b| t.bucket_arn(b)).collect();
    let object_arns: Vec<String> = bucket_arns.iter().map(|b| format!("{b}/*")).collect();
    json!({
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "DeliverToTenantBuckets",
                "Effect": "Allow",
                "Action": ["s3:AbortMultipartUpload", "s3:GetBucketLocation", "s3:GetObject",
                           "s3:ListBucket", "s3:ListBucketMultipartUploads", "s3:PutObject"],
                "Resource": bucket_arns.iter().chain(object_arns.iter()).collect::<Vec<_>>()
            },
            {
                "Sid": "UseTheCustomerKeyThroughS3",
                "Effect": "Allow",
                "Action": ["kms:GenerateDataKey", "kms:Decrypt"],
                "Resource": t.key.as_str(),
                "Condition": {
                    "StringEquals": { "kms:ViaService": format!("s3.{}.amazonaws.com", t.region) },
                    "StringLike": { "kms:EncryptionContext:aws:s3:arn": bucket_arns.iter().flat_map(|b| [b.clone(), format!("{b}/*")]).collect::<Vec<_>>() }
                }
            }
        ]
    })
}

/// The role's change: create it, or bring its policy and tags to what they must be.
pub fn plan_role(t: &Tenancy, role: &RoleState) -> Change {
    let mut c = Change::new("role", Kind::IamRole, &role.name);
    let mut why = vec![];
    if !role.exists {
        c.step(IamStep::CreateRole);
        c.step(IamStep::PutRolePolicy);
        why.push("the Firehose delivery role does not exist".to_string());
    } else {
        if role.policy.as_ref() != Some(&role_policy(t)) {
            c.step(IamStep::PutRolePolicy);
            why.push("its delivery policy is not the one for this key and these buckets".into());
        }
        if t.tags_missing(&role.tags) {
            c.step(IamStep::TagRole);
            why.push("tags missing".into());
        }
    }
    c.settle(!role.exists, why)
}
