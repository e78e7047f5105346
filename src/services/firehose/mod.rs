//! Firehose: the tenant's delivery streams, start to end. Observe (server-side encryption, the S3
//! destination's KMS configuration, tags), plan, apply (create DirectPut under the key, start
//! encryption and wait for ENABLED, update the destination), status rows and revocation evidence.

mod apply;
mod evidence;
pub mod model;
mod observe;
mod plan;
pub mod quotas;
mod status;

pub use apply::apply;
pub use evidence::evidence;
pub use observe::{describe_stream, observe_stream, StreamState};
pub use plan::plan_stream;
pub use status::{is_aws_owned, stream_status};
