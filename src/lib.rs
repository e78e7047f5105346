//! `cmek`: put a Speedscale tenant onto a Customer Managed Encryption Key in AWS.
//!
//! The library does the work and never prints; the binary (`src/main.rs`, `src/cli/`) parses
//! arguments, renders reports and decides the exit code.

pub mod aws;
pub mod environment;
pub mod error;
pub mod input;
pub mod policy;
pub mod report;
pub mod verify;

pub use error::{AwsError, Error};
pub use input::{InputError, KeyArn, TenantId};
