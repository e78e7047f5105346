//! Every integration test in one binary, so the AWS SDK is linked once: the real `cmek` binary
//! against the local AWS (one per test process), generated files, IAM policies, and the layering
//! of `src/`.

mod architecture;
mod bad_input;
mod batch;
mod binding;
mod common;
mod copies;
mod doctor;
mod enable;
mod failures;
mod firehose_key;
mod fleet;
#[path = "../fleetsim/mod.rs"]
mod fleetsim;
mod fleetsim_check;
mod generated;
mod iam;
mod insights;
mod messaging;
mod metrics;
mod producers;
mod registry;
mod revoke;
mod template;
mod terminal;
mod terraform;
mod verify;
