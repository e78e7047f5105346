//! IAM: the Firehose delivery role cmek manages when the environment names none. Observe it,
//! plan it (trust Firehose for this account; write the tenant's buckets and use the key through S3
//! for them only), apply it.

mod apply;
mod observe;
mod plan;

pub use apply::apply;
pub use observe::{observe_role, RoleState};
pub use plan::{plan_role, role_policy, role_trust_policy};

/// The inline policy name of the Firehose delivery role.
pub const ROLE_POLICY: &str = "cmek-firehose-delivery";
