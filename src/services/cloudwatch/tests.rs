//! Reading the Firehose KMS error metrics with exact CloudWatch answers (aws-smithy-mocks).

use aws_sdk_cloudwatch::operation::get_metric_data::{GetMetricDataError, GetMetricDataOutput};
use aws_sdk_cloudwatch::types::{MetricDataResult, StatusCode};
use aws_smithy_mocks::{mock, mock_client, RuleMode};
use aws_smithy_types::error::ErrorMetadata;

use super::*;
use crate::shared::report::Status;

const KEY: &str = "arn:aws:kms:us-east-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab";

fn idle<C>(make: impl FnOnce(aws_types::SdkConfig) -> C) -> C {
    make(
        aws_types::SdkConfig::builder()
            .behavior_version(aws_config::BehaviorVersion::latest())
            .region(aws_types::region::Region::new("us-east-1"))
            .build(),
    )
}

fn clients(cloudwatch: aws_sdk_cloudwatch::Client) -> Clients {
    Clients {
        kms: idle(|c| aws_sdk_kms::Client::new(&c)),
        s3: idle(|c| aws_sdk_s3::Client::new(&c)),
        sts: idle(|c| aws_sdk_sts::Client::new(&c)),
        firehose: idle(|c| aws_sdk_firehose::Client::new(&c)),
        rds: idle(|c| aws_sdk_rds::Client::new(&c)),
        iam: idle(|c| aws_sdk_iam::Client::new(&c)),
        s3control: idle(|c| aws_sdk_s3control::Client::new(&c)),
        cloudwatch,
        endpoint: None,
        region: "us-east-1".into(),
    }
}

fn result(id: &str, points: &[(i64, f64)]) -> MetricDataResult {
    MetricDataResult::builder()
        .id(id)
        .set_timestamps(Some(
            points
                .iter()
                .map(|(t, _)| DateTime::from_secs(*t))
                .collect(),
        ))
        .set_values(Some(points.iter().map(|(_, v)| *v).collect()))
        .status_code(StatusCode::Complete)
        .build()
}

#[tokio::test]
async fn sums_each_streams_metrics_and_keeps_the_newest_period() {
    let streams = vec!["a".to_string(), "b".to_string()];
    let rule = mock!(aws_sdk_cloudwatch::Client::get_metric_data)
        .match_requests(|r| {
            // Four queries per stream, ids that start with a lower-case letter, one dimension.
            let q = r.metric_data_queries();
            q.len() == 8
                && q.iter().all(|q| {
                    q.id().is_some_and(|i| i.starts_with('s'))
                        && q.metric_stat().and_then(|s| s.stat()) == Some("Sum")
                        && q.metric_stat()
                            .and_then(|s| s.metric())
                            .and_then(|m| m.namespace())
                            == Some("AWS/Firehose")
                })
        })
        .then_output(|| {
            GetMetricDataOutput::builder()
                // KMSKeyDisabled of stream a: two periods; b: none.
                .metric_data_results(result(
                    "s0m1",
                    &[(1_800_000_600, 2.0), (1_800_000_300, 1.0)],
                ))
                .metric_data_results(result("s0m0", &[]))
                .metric_data_results(result("s1m1", &[]))
                .build()
        });
    let c = clients(mock_client!(aws_sdk_cloudwatch, [&rule]));
    let t = crate::shared::tenancy::test_tenancy(KEY);
    let (m, probes) = firehose_kms_errors(&c, &t, &streams).await.unwrap();
    assert_eq!(probes.len(), 1);
    assert_eq!(probes[0].operation, "monitoring:GetMetricData");
    let FirehoseMetrics::Read(read) = &m else {
        panic!("{m:?}")
    };
    assert_eq!(read[0].counts.len(), 1);
    assert_eq!(read[0].counts[0].metric, "KMSKeyDisabled");
    assert_eq!(read[0].counts[0].sum, 3.0);
    assert_eq!(
        read[0].counts[0].last.as_deref(),
        Some("2027-01-15T08:10:00Z")
    );
    assert!(read[1].counts.is_empty());

    // Disabled key: corroborated. Usable key: a warning. No data: skipped, never a failure.
    let pass = firehose_metrics_check("a", &m, false);
    assert_eq!(pass.status, Status::Pass);
    assert!(
        pass.message.contains("KMSDisabledException 3 times"),
        "{}",
        pass.message
    );
    assert_eq!(firehose_metrics_check("a", &m, true).status, Status::Warn);
    let none = firehose_metrics_check("b", &m, false);
    assert_eq!(none.status, Status::Skip);
    assert!(none.message.contains("no data is not a failure"));
}

#[tokio::test]
async fn a_cloudwatch_that_refuses_or_throttles_is_optional_evidence_missing() {
    for code in ["AccessDenied", "Throttling"] {
        let rule = mock!(aws_sdk_cloudwatch::Client::get_metric_data)
            .sequence()
            .error(move || {
                GetMetricDataError::generic(
                    ErrorMetadata::builder()
                        .code(code)
                        .message("not allowed")
                        .build(),
                )
            })
            .repeatedly()
            .build();
        let c = clients(mock_client!(
            aws_sdk_cloudwatch,
            RuleMode::MatchAny,
            [&rule]
        ));
        let t = crate::shared::tenancy::test_tenancy(KEY);
        let (m, probes) = firehose_kms_errors(&c, &t, &["a".to_string()])
            .await
            .unwrap();
        assert!(matches!(m, FirehoseMetrics::Unavailable(_)), "{m:?}");
        assert_eq!(probes[0].error_code.as_deref(), Some(code));
        let check = firehose_metrics_check("a", &m, false);
        assert_eq!(check.status, Status::Skip);
        assert!(check.message.contains("cloudwatch:GetMetricData"));
    }
}

#[test]
fn query_ids_round_trip() {
    assert_eq!(parse_id("s12m3"), Some((12, 3)));
    assert_eq!(parse_id("x1m2"), None);
}
