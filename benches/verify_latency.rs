//! Benchmark (not a test): `cmek verify`'s wall time against the local AWS with 0 and 100 ms of
//! injected latency per call, the calls it makes, and the sequential round trips on its critical
//! path, measured from the fidelity layer's call log (the longest chain of calls each of which
//! starts after the previous one ended).
//!
//! Run: `cargo bench --bench verify_latency` (needs the local AWS: `scripts/localaws-install`).

#[path = "../tests/it/common/mod.rs"]
mod common;

use std::time::Instant;

use common::*;
use serde_json::{json, Value};

const RUNS: usize = 5;

fn critical_path(calls: &[Value]) -> (usize, usize) {
    // Longest chain of non-overlapping calls, in total and counting only KMS calls.
    let mut sorted: Vec<&Value> = calls.iter().collect();
    sorted.sort_by(|a, b| {
        a["start"]
            .as_f64()
            .partial_cmp(&b["start"].as_f64())
            .unwrap()
    });
    let mut best: Vec<(usize, usize)> = vec![];
    for (i, c) in sorted.iter().enumerate() {
        let start = c["start"].as_f64().unwrap_or(0.0);
        let kms = usize::from(c["service"] == "kms");
        let prev = (0..i)
            .filter(|&j| sorted[j]["end"].as_f64().unwrap_or(0.0) <= start)
            .map(|j| best[j])
            .fold((0, 0), |a, b| (a.0.max(b.0), a.1.max(b.1)));
        best.push((prev.0 + 1, prev.1 + kms));
    }
    best.into_iter()
        .fold((0, 0), |a, b| (a.0.max(b.0), a.1.max(b.1)))
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(|a, b| a.partial_cmp(b).unwrap());
    v[v.len() / 2]
}

async fn scenario(name: &str, with_probe_bucket: bool) {
    for latency in [0u64, 100] {
        let a = accounts();
        let arn = good_key(&a).await;
        if with_probe_bucket {
            s3_as(&a.speedscale)
                .create_bucket()
                .bucket(format!("speedscale-cmek-{}-{REGION}", a.speedscale))
                .send()
                .await
                .unwrap();
        }
        if latency > 0 {
            fault(json!({"match": {"account": a.speedscale}, "kind": "latency", "ms": latency}));
        }
        let mut walls = vec![];
        let mut per_run = (0, 0, 0);
        for run in 0..RUNS {
            let before = calls(&a.speedscale).len();
            let t = Instant::now();
            let out = verify(&a, &arn, &[]);
            walls.push(t.elapsed().as_secs_f64() * 1000.0);
            assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
            let log = calls(&a.speedscale);
            let these = &log[before..];
            let (total, kms) = critical_path(these);
            if run == 0 {
                per_run = (these.len(), total, kms);
            }
        }
        let (n, total, kms) = per_run;
        // Only injected latency separates calls clearly enough to count the chain.
        let chain = if latency > 0 {
            format!("sequential round trips {total} (STS 1, KMS {kms})")
        } else {
            String::new()
        };
        println!(
            "{name:<30} {latency:>4} ms   median {:>7.1} ms   calls {n:>2}   {chain}",
            median(walls)
        );
        clear_faults(&a.speedscale);
    }
}

#[tokio::main]
async fn main() {
    if std::env::args().any(|a| a == "--list" || a == "--test") {
        return; // cargo test --all-targets / --list: nothing to run
    }
    println!("cmek verify against the local AWS, median of {RUNS} runs (includes process start)");
    scenario("default env, no probe bucket", false).await;
    scenario("probe bucket present", true).await;
}
