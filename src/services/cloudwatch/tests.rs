//! Reading the Firehose KMS error metrics with exact CloudWatch answers (aws-smithy-mocks).

use aws_sdk_cloudwatch::operation::get_metric_data::{GetMetricDataError, GetMetricDataOutput};
use aws_sdk_cloudwatch::types::{MetricDataResult, StatusCode};
use aws_smithy_mocks::{mock, mock_client, RuleMode};
use aws_smithy_types::error::ErrorMetadata;

use super::*;
use crate::shared::report::Status;

const KEY: &str = "arn:aws:kms:us-east-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab";

fn clients(cloudwatch: aws_sdk_cloudwatch::Client) -> Clients {
    Clients {
        cloudwatch,
        ..Clients::idle()
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
            // Four queries per stream: s<stream>m<metric>, hourly sums of AWS/Firehose, per stream.
            let q = r.metric_data_queries();
            let ids: Vec<&str> = q.iter().filter_map(|q| q.id()).collect();
            ids == [
                "s0m0", "s0m1", "s0m2", "s0m3", "s1m0", "s1m1", "s1m2", "s1m3",
            ] && q.iter().all(|q| {
                let stat = q.metric_stat().unwrap();
                let m = stat.metric().unwrap();
                let stream = if q.id().unwrap().starts_with("s0") {
                    "a"
                } else {
                    "b"
                };
                stat.stat() == Some("Sum")
                    && stat.period() == Some(3600)
                    && m.namespace() == Some("AWS/Firehose")
                    && m.dimensions().len() == 1
                    && m.dimensions()[0].name() == Some("DeliveryStreamName")
                    && m.dimensions()[0].value() == Some(stream)
            }) && r
                .start_time()
                .zip(r.end_time())
                .is_some_and(|(s, e)| e.secs() - s.secs() == 24 * 3600)
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
    let pass = firehose_metrics_check("a", &m, false, false);
    assert_eq!(pass.status, Status::Pass);
    assert!(
        pass.message.contains("KMSDisabledException 3 times"),
        "{}",
        pass.message
    );
    assert_eq!(
        firehose_metrics_check("a", &m, true, false).status,
        Status::Warn
    );
    // A stream on an AWS owned key never meets the customer key: these metrics do not apply.
    assert_eq!(
        firehose_metrics_check("a", &m, false, true).status,
        Status::Skip
    );
    let none = firehose_metrics_check("b", &m, false, false);
    assert_eq!(none.status, Status::Skip);
    assert!(none
        .message
        .contains("their absence proves nothing either way"));
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
        let check = firehose_metrics_check("a", &m, false, false);
        assert_eq!(check.status, Status::Skip);
        assert!(check.message.contains("cloudwatch:GetMetricData"));
    }
}

/// 130 streams are 520 queries: two calls (500 at most each), the first answered in two pages;
/// a result CloudWatch could not complete is never read as "no data".
#[tokio::test]
async fn many_streams_take_several_calls_and_pages_and_an_incomplete_result_is_named() {
    let streams: Vec<String> = (0..130).map(|i| format!("st{i}")).collect();
    let first = mock!(aws_sdk_cloudwatch::Client::get_metric_data)
        .match_requests(|r| r.metric_data_queries().len() == 500 && r.next_token().is_none())
        .then_output(|| {
            GetMetricDataOutput::builder()
                .metric_data_results(result("s0m1", &[(1_800_000_000, 1.0)]))
                .next_token("page-2")
                .build()
        });
    let second = mock!(aws_sdk_cloudwatch::Client::get_metric_data)
        .match_requests(|r| r.next_token() == Some("page-2"))
        .then_output(|| {
            GetMetricDataOutput::builder()
                .metric_data_results(result("s0m1", &[(1_800_003_600, 2.0)]))
                .build()
        });
    let third = mock!(aws_sdk_cloudwatch::Client::get_metric_data)
        .match_requests(|r| r.metric_data_queries().len() == 20)
        .then_output(|| {
            GetMetricDataOutput::builder()
                .metric_data_results(
                    MetricDataResult::builder()
                        .id("s129m0")
                        .status_code(StatusCode::Forbidden)
                        .build(),
                )
                .build()
        });
    let c = clients(mock_client!(
        aws_sdk_cloudwatch,
        RuleMode::MatchAny,
        [&first, &second, &third]
    ));
    let t = crate::shared::tenancy::test_tenancy(KEY);
    let (m, probes) = firehose_kms_errors(&c, &t, &streams).await.unwrap();
    assert_eq!(probes.len(), 3);
    let FirehoseMetrics::Read(read) = &m else {
        panic!("{m:?}")
    };
    assert_eq!(read.len(), 130);
    assert_eq!(read[0].counts[0].sum, 3.0);
    assert_eq!(read[129].incomplete.as_deref(), Some("Forbidden"));
    let check = firehose_metrics_check("st129", &m, false, false);
    assert_eq!(check.status, Status::Skip);
    assert!(
        check.message.contains("answered Forbidden"),
        "{}",
        check.message
    );
    assert_eq!(parse_id("x1m2"), None);
}
