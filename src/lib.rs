//! `cmek`: put a Speedscale tenant onto a Customer Managed Encryption Key in AWS.
//!
//! The library does the work and never prints; the binary (`src/main.rs`, `src/cli/`) parses
//! arguments, renders reports and decides the exit code.

pub mod apply;
pub mod aws;
pub mod enable;
pub mod environment;
pub mod error;
pub mod input;
pub mod plan;
pub mod policy;
pub mod reencrypt;
pub mod registry;
pub mod report;
pub mod revoke;
pub mod state;
pub mod status;
pub mod template;
pub mod verify;

pub use error::{AwsError, Error};
pub use input::{InputError, KeyArn, TenantId};
