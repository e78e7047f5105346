//! Whether the key policy binds Speedscale's direct use of the key to this tenant: a DryRun
//! GenerateDataKey with verify's encryption context for a tenant that cannot exist. KMS answers a
//! DryRun with DryRunOperationException when the real call would have succeeded and with the
//! refusal otherwise (KMS developer guide, "Testing your permissions"); no data key is made.

use std::collections::HashMap;

use aws_sdk_kms::Client as Kms;

use super::{KmsResult, VerifyRequest};
use crate::error::{AwsError, Refusal};
use crate::shared::ids::CheckId;
use crate::shared::policy;
use crate::shared::report::{Check, Status};

/// The tenant of the negative probe: `--` cannot be in a tenant id, so no tenant has it.
pub const NO_SUCH_TENANT: &str = "cmek--no-such-tenant";

/// The DryRun GenerateDataKey for [`NO_SUCH_TENANT`].
pub async fn binding_probe(kms: &Kms, req: &VerifyRequest) -> KmsResult<()> {
    let context = HashMap::from([
        (
            policy::PURPOSE_KEY.to_string(),
            policy::PURPOSE_VALUE.to_string(),
        ),
        (policy::TENANT_KEY.to_string(), NO_SUCH_TENANT.to_string()),
    ]);
    kms.generate_data_key()
        .key_id(req.key.as_str())
        .key_spec(aws_sdk_kms::types::DataKeySpec::Aes256)
        .set_encryption_context(Some(context))
        .dry_run(true)
        .send()
        .await
        .map(|_| ())
        .map_err(|e| AwsError::from_sdk("kms", "GenerateDataKey", &e).at(req.endpoint.as_deref()))
}

/// `key-tenant-binding`: pass when the key refuses another tenant's round trip, warn when it
/// takes it (the key is not bound to this tenant), skip when the answer says nothing of binding.
pub fn binding_check(result: &KmsResult<()>, req: &VerifyRequest) -> Check {
    let id = CheckId::KeyTenantBinding;
    let arn = req.key.as_str();
    match result {
        Err(e) if e.refusal() == Some(Refusal::KeyPolicy) => Check::new(
            id,
            Status::Pass,
            arn,
            format!("the key refuses Speedscale's round trip for another tenant ({NO_SUCH_TENANT}, a DryRun GenerateDataKey): its direct use is bound to tenant {}", req.tenant),
        )
        .aws_error(e.code()),
        Err(e) if e.is("DryRunOperationException") => Check::new(
            id,
            Status::Warn,
            arn,
            format!("the key would let Speedscale make the round trip for any tenant ({NO_SUCH_TENANT} was accepted): it is not bound to tenant {}; `cmek template --tenant {}` writes a key policy that is, where AWS documents a condition to say so", req.tenant, req.tenant),
        ),
        Err(e) => Check::new(
            id,
            Status::Skip,
            arn,
            format!("inconclusive: {} {}", e.code(), e.message()),
        )
        .aws_error(e.code()),
        Ok(()) => Check::new(
            id,
            Status::Warn,
            arn,
            "the DryRun GenerateDataKey succeeded without DryRunOperationException: the endpoint ignored DryRun",
        ),
    }
}
