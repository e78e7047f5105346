//! The Resource Groups Tagging API's request rate.

use crate::shared::quota::{Basis, Quota};

/// GetResources: once per `status` and `revoke-check` of a tenant (one page per 100 resources).
pub static GET_RESOURCES: Quota = Quota {
    service: "tagging",
    operations: &["GetResources"],
    per_second: 15,
    burst: 1,
    basis: Basis::Documented,
    adjustable: false,
    source: "https://docs.aws.amazon.com/tag-editor/latest/userguide/reference.html: GetResources \"Maximum of 15 calls per second\" (checked 2026-12-02; the General Reference's quota table was cut off in the stored copies). The burst is not documented: one call at once.",
};

/// Every quota of the Tagging API cmek paces itself within.
pub static QUOTAS: &[&Quota] = &[&GET_RESOURCES];
