//! `cmek`: put a Speedscale tenant onto a Customer Managed Encryption Key in AWS.
//!
//! The library does the work and never prints; the binary (`src/main.rs`, `src/cli/`) parses
//! arguments, renders reports and maps them to exit codes. Layers, each importing only the ones
//! below it (ARCHITECTURE.md; `tests/it/architecture.rs` enforces it):
//! `cli` → `commands` → `services` → `shared` → `aws`, `error`, `input`, `environment`.

pub mod aws;
pub mod commands;
pub mod environment;
pub mod error;
pub mod input;
pub mod services;
pub mod shared;

pub use error::{AwsError, Error};
pub use input::{InputError, KeyArn, TenantId};
