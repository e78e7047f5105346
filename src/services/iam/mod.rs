//! IAM: the roles cmek manages for a tenant. The Firehose delivery role, when the environment
//! names none (trust Firehose for this account; write the tenant's buckets and use the key through
//! S3 for them only), and the S3 Batch Operations role of `--batch-operations` (trust Batch
//! Operations for this account; copy the tenant's buckets' objects in place, read cmek's
//! manifests, write its reports, and use the key through S3 for those buckets only). Observe,
//! plan, apply.

mod apply;
mod batch_role;
mod observe;
mod plan;
mod producer;
mod producer_plan;
mod simulate;

pub use apply::apply;
pub use batch_role::{batch_role_policy, batch_role_trust_policy, plan_batch_role};
pub use observe::{observe_role, RoleState};
pub use plan::{plan_role, role_policy, role_trust_policy};
pub use producer::{
    observe_producer, producer_policy, producer_policy_name, producer_statement, producers_on_key,
    role_policy_for, role_policy_kept, role_statement, ProducerState, Standing, PRODUCER_ACTIONS,
    PRODUCER_CHANGE, PRODUCER_TAG,
};
pub use producer_plan::{plan_producer, producer_rows, producer_status};
pub use simulate::{principal_arn, simulate, Answer, Question};

/// The inline policy name of the Firehose delivery role.
pub const ROLE_POLICY: &str = "cmek-firehose-delivery";

/// The inline policy name of the Batch Operations role.
pub const BATCH_ROLE_POLICY: &str = "cmek-batch-reencrypt";

/// The change id of the Batch Operations role in a plan.
pub const BATCH_ROLE_CHANGE: &str = "batch-role";
