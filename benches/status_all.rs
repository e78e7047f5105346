//! Benchmark (not a test): `cmek status --all` over 1,000 onboarded tenants in the local AWS with
//! 50 ms injected per AWS call: wall time, AWS calls per tenant, peak memory (VmHWM of the cmek
//! process, sampled every 10 ms).
//!
//! Run: `cargo bench --bench status_all` (needs the local AWS: `scripts/localaws-install`).
//! TENANTS=N changes the fleet size, LATENCY_MS=N the injected latency.

#[path = "../tests/it/common/mod.rs"]
mod common;

use std::process::Stdio;
use std::time::{Duration, Instant};

use aws_sdk_s3::types as s3t;
use common::*;
use futures_util::stream::{self, StreamExt};
use serde_json::json;

/// Seeds one tenant the way `enable` leaves it, with direct SDK calls (running enable 1,000 times
/// would measure enable, not status).
async fn seed(a: &Accounts, arn: &str, i: usize) {
    let tenant = format!("tenant-{i:04}");
    let s3 = s3_as(&a.speedscale);
    let bucket = format!("speedscale-{tenant}-data-{}", a.speedscale);
    s3.create_bucket().bucket(&bucket).send().await.unwrap();
    set_default_encryption(&s3, &bucket, Some(arn)).await;
    s3.put_object()
        .bucket(&bucket)
        .key("speedscale-cmek/canary.txt")
        .server_side_encryption(s3t::ServerSideEncryption::AwsKms)
        .ssekms_key_id(arn)
        .body(b"canary".to_vec().into())
        .send()
        .await
        .unwrap();
    let stream = format!("speedscale-{tenant}-events");
    firehose_as(&a.speedscale)
        .create_delivery_stream()
        .delivery_stream_name(&stream)
        .delivery_stream_encryption_configuration_input(
            aws_sdk_firehose::types::DeliveryStreamEncryptionConfigurationInput::builder()
                .key_type(aws_sdk_firehose::types::KeyType::CustomerManagedCmk)
                .key_arn(arn)
                .build()
                .unwrap(),
        )
        .extended_s3_destination_configuration(
            aws_sdk_firehose::types::ExtendedS3DestinationConfiguration::builder()
                .role_arn(format!("arn:aws:iam::{}:role/r", a.speedscale))
                .bucket_arn(format!("arn:aws:s3:::{bucket}"))
                .encryption_configuration(
                    aws_sdk_firehose::types::EncryptionConfiguration::builder()
                        .kms_encryption_config(
                            aws_sdk_firehose::types::KmsEncryptionConfig::builder()
                                .awskms_key_arn(arn)
                                .build()
                                .unwrap(),
                        )
                        .build(),
                )
                .build()
                .unwrap(),
        )
        .send()
        .await
        .unwrap();
    let db = format!("speedscale-{tenant}");
    rds_as(&a.speedscale)
        .create_db_instance()
        .db_instance_identifier(&db)
        .engine("postgres")
        .db_instance_class("db.t4g.micro")
        .allocated_storage(20)
        .master_username("app")
        .manage_master_user_password(true)
        .master_user_secret_kms_key_id(arn)
        .storage_encrypted(true)
        .kms_key_id(arn)
        .send()
        .await
        .unwrap();
    let record = json!({
        "schema_version": 1, "tenant": tenant, "key_arn": arn, "environment": "default",
        "account": a.speedscale, "region": REGION,
        "resources": {"buckets": [bucket], "streams": [stream], "database": db},
        "enabled_by": "bench", "enabled_at": "2026-11-27T00:00:00Z", "updated_by": "bench",
        "updated_at": "2026-11-27T00:00:00Z", "cmek_version": "bench"
    });
    s3.put_object()
        .bucket(format!("speedscale-cmek-{}-{REGION}", a.speedscale))
        .key(format!("cmek/tenants/{tenant}.json"))
        .body(record.to_string().into_bytes().into())
        .send()
        .await
        .unwrap();
}

/// User plus system CPU seconds of a process so far (/proc/PID/stat, clock ticks of 1/100 s).
fn cpu_seconds(pid: u32) -> Option<f64> {
    let s = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    let rest = s.rsplit_once(')')?.1;
    let f: Vec<&str> = rest.split_whitespace().collect();
    let ticks: u64 = f.get(11)?.parse::<u64>().ok()? + f.get(12)?.parse::<u64>().ok()?;
    Some(ticks as f64 / 100.0)
}

fn peak_rss_kib(pid: u32) -> Option<u64> {
    let s = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    s.lines()
        .find(|l| l.starts_with("VmHWM:"))?
        .split_whitespace()
        .nth(1)?
        .parse()
        .ok()
}

#[tokio::main]
async fn main() {
    let n: usize = std::env::var("TENANTS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1000);
    let a = accounts();
    let arn = good_key(&a).await;
    s3_as(&a.speedscale)
        .create_bucket()
        .bucket(format!("speedscale-cmek-{}-{REGION}", a.speedscale))
        .send()
        .await
        .unwrap();
    let started = Instant::now();
    stream::iter(0..n)
        .for_each_concurrent(16, |i| {
            let (a, arn) = (&a, &arn);
            async move { seed(a, arn, i).await }
        })
        .await;
    eprintln!(
        "seeded {n} tenants in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    // Let the emulator's databases finish "creating".
    tokio::time::sleep(Duration::from_millis(1500)).await;

    let latency: u64 = std::env::var("LATENCY_MS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(50);
    if latency > 0 {
        fault(json!({"match": {"account": a.speedscale}, "kind": "latency", "ms": latency}));
    }
    clear_calls(&a.speedscale);
    let started = Instant::now();
    let mut child = cmek_command(&a.speedscale, &["--output", "json", "status", "--all"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let pid = child.id();
    // Drain stdout and stderr while it runs: a fleet report is larger than a pipe's buffer.
    let mut stdout = child.stdout.take().unwrap();
    let mut stderr = child.stderr.take().unwrap();
    let out_reader = std::thread::spawn(move || {
        let mut v = vec![];
        std::io::Read::read_to_end(&mut stdout, &mut v).ok();
        v
    });
    let err_reader = std::thread::spawn(move || {
        let mut v = vec![];
        std::io::Read::read_to_end(&mut stderr, &mut v).ok();
        v
    });
    let mut peak = 0;
    let mut cpu = 0.0f64;
    let status = loop {
        if let Some(kib) = peak_rss_kib(pid) {
            peak = peak.max(kib);
        }
        if let Some(c) = cpu_seconds(pid) {
            cpu = cpu.max(c);
        }
        if let Some(s) = child.try_wait().unwrap() {
            break s;
        }
        std::thread::sleep(Duration::from_millis(10));
    };
    let wall = started.elapsed();
    let stdout = out_reader.join().unwrap();
    let stderr = err_reader.join().unwrap();
    clear_faults(&a.speedscale);
    let report: serde_json::Value = serde_json::from_slice(&stdout).unwrap_or_default();
    let calls = calls(&a.speedscale).len();
    println!(
        "status --all: {n} tenants, {latency} ms per call: wall {:.2} s, exit {:?}, verdict {}, {} ok, {} calls = {:.2} per tenant, peak RSS {:.1} MiB, cmek CPU {cpu:.2} s",
        wall.as_secs_f64(),
        status.code(),
        report["verdict"],
        report["counts"]["ok"],
        calls,
        calls as f64 / n as f64,
        peak as f64 / 1024.0
    );
    if !status.success() {
        eprintln!("{}", String::from_utf8_lossy(&stderr));
        if let Some(bad) = report["tenants"]
            .as_array()
            .and_then(|t| t.iter().find(|t| t["verdict"] != "ok"))
        {
            eprintln!("first tenant not ok: {bad}");
        }
    }
}
