//! revoke-check's Firehose evidence from CloudWatch (local AWS R18): the KMS error metrics Firehose
//! publishes when a record put to the stream meets an unusable key. Optional: no data, or a
//! CloudWatch cmek cannot read, is said and never decides the verdict.

use serde_json::{json, Value};

use crate::common::*;

fn revoke_check(a: &Accounts, extra: &[&str]) -> (i32, Value) {
    let mut args = vec!["--output", "json", "revoke-check", "--tenant", "acme"];
    args.extend(extra);
    let out = cmek(&a.speedscale, &args);
    (out.status.code().unwrap_or(-1), json_out(&out))
}

fn metrics_check(report: &Value) -> &Value {
    report["checks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == "revoke-firehose-metrics")
        .unwrap_or_else(|| panic!("no metrics check: {report:#}"))
}

#[tokio::test]
async fn firehose_kms_error_metrics_corroborate_a_disabled_key_and_no_data_is_no_failure() {
    let a = accounts();
    let arn = good_key(&a).await;
    let out = enable(&a, &arn, &[]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));

    let (code, report) = revoke_check(&a, &[]);
    assert_eq!(code, 0, "{report:#}");
    assert_eq!(report["verdict"], "ready");
    let m = metrics_check(&report);
    assert_eq!(m["status"], "skip", "{m}");
    assert!(
        m["message"]
            .as_str()
            .unwrap()
            .contains("their absence proves nothing either way"),
        "{m}"
    );

    disable_key(&a, &arn).await;
    // The application's next record meets the disabled key: refused, and counted.
    let err = firehose_as(&a.speedscale)
        .put_record()
        .delivery_stream_name(names(&a).stream)
        .record(
            aws_sdk_firehose::types::Record::builder()
                .data(aws_smithy_types::Blob::new(b"{}".to_vec()))
                .build()
                .unwrap(),
        )
        .send()
        .await
        .unwrap_err();
    assert_eq!(
        err.into_service_error().meta().code(),
        Some("InvalidKMSResourceException")
    );
    // RDS reacts after a while (R12).
    revoke_check(&a, &[]);
    tokio::time::sleep(std::time::Duration::from_millis(1300)).await;

    let dir = std::env::temp_dir().join(format!("cmek-metrics-{}", a.speedscale));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("evidence.json");
    let _ = std::fs::remove_file(&file);
    let (code, report) = revoke_check(&a, &["--evidence", file.to_str().unwrap()]);
    assert_eq!(report["verdict"], "revoked", "{report:#}");
    assert_eq!(code, 0, "{report:#}");
    let m = metrics_check(&report);
    assert_eq!(m["status"], "pass", "{m}");
    assert!(
        m["message"]
            .as_str()
            .unwrap()
            .contains("KMSDisabledException 1 time (KMSKeyDisabled"),
        "{m}"
    );
    let signed: Value = serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
    let ev = &signed["evidence"];
    let probe = ev["probes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["operation"] == "monitoring:GetMetricData")
        .unwrap_or_else(|| panic!("no CloudWatch probe: {ev:#}"));
    assert_eq!(probe["outcome"], "succeeded", "{probe}");
    assert!(!probe["request_id"].as_str().unwrap_or_default().is_empty());
}

#[tokio::test]
async fn a_cloudwatch_that_refuses_or_throttles_leaves_the_verdict_alone() {
    let a = accounts();
    let arn = good_key(&a).await;
    let out = enable(&a, &arn, &[]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    for (kind, code) in [("iam-deny", "AccessDenied"), ("throttle", "Throttling")] {
        fault(json!({"match": {"account": a.speedscale, "service": "monitoring"}, "kind": kind}));
        let (exit, report) = revoke_check(&a, &[]);
        assert_eq!(exit, 0, "{report:#}");
        assert_eq!(report["verdict"], "ready", "{report:#}");
        let m = metrics_check(&report);
        assert_eq!(m["status"], "skip", "{m}");
        assert_eq!(m["aws_error"], code, "{m}");
        assert!(
            m["message"]
                .as_str()
                .unwrap()
                .contains("cloudwatch:GetMetricData"),
            "{m}"
        );
        clear_faults(&a.speedscale);
    }
}
