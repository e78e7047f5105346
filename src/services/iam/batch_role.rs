//! The S3 Batch Operations role: what a re-encryption job may do, and nothing more.

use serde_json::{json, Value};

use super::{RoleState, BATCH_ROLE_CHANGE};
use crate::shared::steps::{Change, IamStep, Kind};
use crate::shared::tenancy::Tenancy;

/// Trust: S3 Batch Operations, exactly as AWS documents it ("To allow the S3 Batch Operations
/// service principal to assume the IAM role, attach the following trust policy to the role.": S3
/// user guide, "Granting permissions for Batch Operations"; the policy has no condition). AWS does
/// not say that Batch Operations sends `aws:SourceAccount`, and a condition on a key it does not
/// send would fail every job; only principals of this account with `iam:PassRole` on the role can
/// give it to a job.
pub fn batch_role_trust_policy() -> Value {
    json!({
        "Version": "2012-10-17",
        "Statement": [{
            "Effect": "Allow",
            "Principal": { "Service": "batchoperations.s3.amazonaws.com" },
            "Action": "sts:AssumeRole"
        }]
    })
}

/// Permissions: copy the tenant's buckets' objects onto themselves (read, write, tags, ACL
/// reads), read cmek's manifests and write the job reports there, and use the key through S3 for
/// those buckets only.
pub fn batch_role_policy(t: &Tenancy) -> Value {
    let mut buckets: Vec<String> = t.names.buckets.iter().map(|b| t.bucket_arn(&b.1)).collect();
    buckets.sort();
    let objects: Vec<String> = buckets.iter().map(|b| format!("{b}/*")).collect();
    let bucket_context: Vec<String> = buckets
        .iter()
        .flat_map(|b| [b.clone(), format!("{b}/*")])
        .collect();
    json!({
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "CopyTenantObjectsInPlace",
                "Effect": "Allow",
                "Action": ["s3:GetObject", "s3:GetObjectVersion", "s3:GetObjectTagging",
                           "s3:GetObjectVersionTagging", "s3:GetObjectAcl", "s3:PutObject",
                           "s3:PutObjectTagging", "s3:PutObjectAcl"],
                "Resource": objects
            },
            {
                "Sid": "ListTenantBuckets",
                "Effect": "Allow",
                "Action": ["s3:ListBucket", "s3:GetBucketLocation"],
                "Resource": buckets
            },
            {
                "Sid": "EncryptCopiesUnderTheCustomerKeyThroughS3",
                "Effect": "Allow",
                "Action": ["kms:Decrypt", "kms:GenerateDataKey"],
                "Resource": t.key.as_str(),
                "Condition": {
                    "StringEquals": { "kms:ViaService": format!("s3.{}.amazonaws.com", t.region) }
                }
            },
            {
                // Objects under another key (a previous customer key) are read before they are
                // copied: Decrypt only, only through S3, only for the tenant's buckets.
                "Sid": "ReadTenantObjectsUnderTheirCurrentKeyThroughS3",
                "Effect": "Allow",
                "Action": ["kms:Decrypt"],
                "Resource": format!("arn:{}:kms:{}:*:key/*", t.key.partition(), t.region),
                "Condition": {
                    "StringEquals": { "kms:ViaService": format!("s3.{}.amazonaws.com", t.region) },
                    "StringLike": { "kms:EncryptionContext:aws:s3:arn": bucket_context }
                }
            }
        ]
    })
}

/// The role's change: create it, or bring its policy and tags to what they must be.
pub fn plan_batch_role(t: &Tenancy, role: &RoleState) -> Change {
    let mut c = Change::new(BATCH_ROLE_CHANGE, Kind::IamRole, &role.name);
    let mut why = vec![];
    if !role.exists {
        c.step(IamStep::CreateRole);
        c.step(IamStep::PutRolePolicy);
        why.push("the S3 Batch Operations role does not exist".to_string());
    } else {
        if role.policy.as_ref() != Some(&batch_role_policy(t)) {
            c.step(IamStep::PutRolePolicy);
            why.push("its policy is not the one for this key and these buckets".into());
        }
        if t.tags_missing(&role.tags) {
            c.step(IamStep::TagRole);
            why.push("tags missing".into());
        }
    }
    c.settle(!role.exists, why)
}
