//! What the Firehose KMS error metrics say about a revocation: corroboration, never the verdict.
//! Metrics appear only when Firehose met a KMS error, which needs a record put while the key was
//! unusable; cmek never puts one (it would be tenant data). So no data is the usual answer, and a
//! CloudWatch cmek cannot read is only a missing piece of optional evidence.

use super::{FirehoseMetrics, StreamKmsErrors, WINDOW};
use crate::shared::ids::CheckId;
use crate::shared::report::{Check, Status};

fn check(stream: &str, status: Status, message: impl Into<String>) -> Check {
    Check::new(CheckId::RevokeFirehoseMetrics, status, stream, message)
}

/// The evidence for `stream`, from what CloudWatch answered; `usable`: whether the key is usable
/// to Speedscale now; `aws_owned`: the stream's own encryption is an AWS owned key (Firehose then
/// never uses the customer key for the stream, so these metrics say nothing).
pub fn firehose_metrics_check(
    stream: &str,
    m: &FirehoseMetrics,
    usable: bool,
    aws_owned: bool,
) -> Check {
    let hours = WINDOW.as_secs() / 3600;
    if aws_owned {
        return check(stream, Status::Skip, "the stream's own encryption is an AWS owned key: Firehose uses the customer key only through the S3 destination, so its KMS error metrics do not apply",
        );
    }
    let read = match m {
        FirehoseMetrics::Unavailable(e) => {
            return check(stream, Status::Skip, format!(
                    "CloudWatch could not be read ({} on GetMetricData): this evidence is optional and the verdict does not rest on it; it needs cloudwatch:GetMetricData (docs/iam/revoke-check.json)",
                    e.code()
                ),
            )
            .aws_error(e.code());
        }
        FirehoseMetrics::Read(r) => r,
    };
    let Some(errors) = read.iter().find(|s| s.stream == stream) else {
        return check(stream, Status::Skip, "the stream was not asked about");
    };
    if let Some(status) = &errors.incomplete {
        return check(stream, Status::Skip, format!(
                "CloudWatch answered {status} for the stream's KMS error metrics: this optional evidence is missing, and the verdict does not rest on it"
            ),
        );
    }
    if errors.counts.is_empty() {
        return check(stream, Status::Skip, format!(
                "no KMS error metrics for the stream in the last {hours} hours: Firehose publishes them only when it meets a KMS error, such as a record put while the key is unusable, so their absence proves nothing either way"
            ),
        );
    }
    let seen = described(errors);
    if usable {
        check(stream, Status::Warn, format!(
                "Firehose met {seen} in the last {hours} hours although the key is usable to Speedscale now: records put then were refused (Firehose keeps undelivered records up to 24 hours, then drops them)"
            ),
        )
    } else {
        check(stream, Status::Pass, format!(
                "Firehose met {seen} in the last {hours} hours: it could not use the key for records put to the stream (CloudWatch AWS/Firehose)"
            ),
        )
    }
}

/// "KMSDisabledException 3 times (KMSKeyDisabled, last at …)", joined.
fn described(e: &StreamKmsErrors) -> String {
    e.counts
        .iter()
        .map(|c| {
            let n = c.sum.round() as u64;
            format!(
                "{} {n} time{} ({}{})",
                c.exception,
                if n == 1 { "" } else { "s" },
                c.metric,
                c.last
                    .as_ref()
                    .map(|l| format!(", last in the hour from {l}"))
                    .unwrap_or_default()
            )
        })
        .collect::<Vec<_>>()
        .join("; ")
}
