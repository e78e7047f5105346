//! CloudWatch: the evidence Firehose leaves when it cannot use the key. Firehose publishes four
//! metrics in `AWS/Firehose`, per `DeliveryStreamName`: KMSKeyAccessDenied, KMSKeyDisabled,
//! KMSKeyInvalidState and KMSKeyNotFound, each "The number of times the service encounters a
//! KMS…Exception for the delivery stream." (Firehose developer guide, "Monitoring with CloudWatch
//! metrics", SSE metrics). They exist only once Firehose met such an error (a record put while the
//! key was unusable): no data is not a failure, and neither is a CloudWatch that cannot be read.
//! This evidence never decides a verdict.

mod evidence;
pub mod quotas;

use std::time::{Duration, SystemTime};

use aws_sdk_cloudwatch::types::{Dimension, Metric, MetricDataQuery, MetricStat, ScanBy};
use aws_smithy_types::DateTime;

pub use evidence::firehose_metrics_check;

use crate::aws::Clients;
use crate::error::{AwsError, FailureKind};
use crate::shared::clock;
use crate::shared::evidence::Probe;
use crate::shared::quota::pace;
use crate::shared::tenancy::{err, Tenancy};

/// The four metrics, and the KMS exception each counts.
pub const FIREHOSE_KMS_METRICS: [(&str, &str); 4] = [
    ("KMSKeyAccessDenied", "KMSAccessDeniedException"),
    ("KMSKeyDisabled", "KMSDisabledException"),
    ("KMSKeyInvalidState", "KMSInvalidStateException"),
    ("KMSKeyNotFound", "KMSNotFoundException"),
];

/// How far back revoke-check looks: Firehose keeps undelivered records for up to 24 hours.
pub const WINDOW: Duration = Duration::from_secs(24 * 3600);

/// A GetMetricData call takes at most 500 queries ("A single GetMetricData call can include up to
/// 500 MetricDataQuery structures.": MetricDataQuery, CloudWatch API reference) and returns at most
/// "a total of as many as 100,800 data points" (GetMetricData): at one point an hour, 500 queries
/// over 24 hours are 12,000.
const QUERIES_PER_CALL: usize = 500;

/// One data point an hour.
const PERIOD: i32 = 3600;

/// One metric of one stream over the window.
#[derive(Debug, Clone, PartialEq)]
pub struct MetricCount {
    /// `KMSKeyDisabled`, ...
    pub metric: &'static str,
    /// The KMS exception it counts.
    pub exception: &'static str,
    /// Its sum over the window.
    pub sum: f64,
    /// The start of the newest hour with a non-zero value (RFC 3339).
    pub last: Option<String>,
}

/// What CloudWatch shows for one stream.
#[derive(Debug, Clone, PartialEq)]
pub struct StreamKmsErrors {
    /// The stream name.
    pub stream: String,
    /// The metrics with data (none: CloudWatch has no such data for the stream).
    pub counts: Vec<MetricCount>,
    /// A result CloudWatch did not answer in full (its StatusCode: `Forbidden`,
    /// `InternalError`): the counts are then not to be read as "no data".
    pub incomplete: Option<String>,
}

/// What revoke-check learnt from CloudWatch.
#[derive(Debug, Clone)]
pub enum FirehoseMetrics {
    /// Read: one entry per stream asked about, in order.
    Read(Vec<StreamKmsErrors>),
    /// CloudWatch refused or could not answer (no `cloudwatch:GetMetricData`, throttled...).
    Unavailable(AwsError),
}

/// The Firehose KMS error metrics of `streams` over the last [`WINDOW`], and a probe per call.
/// `Err` only on our own side (network, timeout).
pub async fn firehose_kms_errors(
    c: &Clients,
    t: &Tenancy,
    streams: &[String],
) -> Result<(FirehoseMetrics, Vec<Probe>), AwsError> {
    let end = SystemTime::now();
    let start = end - WINDOW;
    let queries: Vec<MetricDataQuery> = streams
        .iter()
        .enumerate()
        .flat_map(|(i, s)| {
            FIREHOSE_KMS_METRICS
                .iter()
                .enumerate()
                .map(move |(j, (m, _))| query(i, j, s, m))
        })
        .collect();
    let mut sums = Sums {
        sums: vec![[(0.0f64, None::<DateTime>); 4]; streams.len()],
        incomplete: vec![None; streams.len()],
    };
    let mut probes = vec![];
    for chunk in queries.chunks(QUERIES_PER_CALL) {
        let mut token = None;
        loop {
            pace(&quotas::GET_METRIC_DATA).await;
            let r = c
                .cloudwatch
                .get_metric_data()
                .set_metric_data_queries(Some(chunk.to_vec()))
                .start_time(DateTime::from(start))
                .end_time(DateTime::from(end))
                .scan_by(ScanBy::TimestampDescending)
                .set_next_token(token.take())
                .send()
                .await;
            let out = match r {
                Ok(o) => o,
                Err(e) => {
                    let e = err("monitoring", "GetMetricData", t.ep())(e);
                    // No network is every probe's problem (exit 3); anything else (CloudWatch
                    // refusing, throttling, timing out, an answer that cannot be read) costs only
                    // this optional evidence.
                    if e.kind == FailureKind::Unreachable {
                        return Err(e);
                    }
                    probes.push(Probe::failed(&e, "AWS/Firehose"));
                    return Ok((FirehoseMetrics::Unavailable(e), probes));
                }
            };
            probes.push(Probe::answered(
                "monitoring",
                "GetMetricData",
                "AWS/Firehose",
                &out,
            ));
            out.metric_data_results().iter().for_each(|r| sums.add(r));
            match out.next_token() {
                Some(n) if !n.is_empty() => token = Some(n.to_string()),
                _ => break,
            }
        }
    }
    let read = streams
        .iter()
        .zip(sums.sums)
        .zip(sums.incomplete)
        .map(|((s, metrics), incomplete)| StreamKmsErrors {
            stream: s.clone(),
            incomplete,
            counts: FIREHOSE_KMS_METRICS
                .iter()
                .zip(metrics)
                .filter(|(_, (sum, _))| *sum > 0.0)
                .map(|((metric, exception), (sum, last))| MetricCount {
                    metric,
                    exception,
                    sum,
                    last: last.map(|l| clock::rfc3339(l.secs().max(0) as u64)),
                })
                .collect(),
        })
        .collect();
    Ok((FirehoseMetrics::Read(read), probes))
}

/// Per stream, per metric: the sum over the window and the newest hour with a non-zero value;
/// per stream, a StatusCode that was not Complete.
struct Sums {
    sums: Vec<[(f64, Option<DateTime>); 4]>,
    incomplete: Vec<Option<String>>,
}

impl Sums {
    fn add(&mut self, r: &aws_sdk_cloudwatch::types::MetricDataResult) {
        let Some((i, j)) = r.id().and_then(parse_id) else {
            return;
        };
        let Some(slot) = self.sums.get_mut(i).and_then(|s| s.get_mut(j)) else {
            return;
        };
        match r.status_code().map(|s| s.as_str()) {
            Some("Complete" | "PartialData") | None => {}
            Some(other) => self.incomplete[i] = Some(other.to_string()),
        }
        for (ts, v) in r.timestamps().iter().zip(r.values()) {
            slot.0 += v;
            if *v > 0.0 && slot.1.is_none_or(|l| ts.secs() > l.secs()) {
                slot.1 = Some(*ts);
            }
        }
    }
}

/// Query ids must start with a lower-case letter and be unique in the call: `s<stream>m<metric>`.
fn query(i: usize, j: usize, stream: &str, metric: &str) -> MetricDataQuery {
    MetricDataQuery::builder()
        .id(format!("s{i}m{j}"))
        .metric_stat(
            MetricStat::builder()
                .metric(
                    Metric::builder()
                        .namespace("AWS/Firehose")
                        .metric_name(metric)
                        .dimensions(
                            Dimension::builder()
                                .name("DeliveryStreamName")
                                .value(stream)
                                .build(),
                        )
                        .build(),
                )
                .period(PERIOD)
                .stat("Sum")
                .build(),
        )
        .return_data(true)
        .build()
}

fn parse_id(id: &str) -> Option<(usize, usize)> {
    let (s, m) = id.strip_prefix('s')?.split_once('m')?;
    Some((s.parse().ok()?, m.parse().ok()?))
}

#[cfg(test)]
mod tests;
