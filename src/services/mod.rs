//! One module per AWS service (and the registry, Speedscale's own store on S3), each owning the
//! whole life of its resources: observe, plan, apply, status rows and revocation evidence, with
//! its own AWS calls and quirks. Services sit above `shared` and below the commands.

pub mod firehose;
pub mod iam;
pub mod kms;
pub mod rds;
pub mod registry;
pub mod s3;
