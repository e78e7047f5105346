//! Benchmark (not a test): `cmek status --all` against fleetsim (tests/fleetsim), a stand-in for
//! AWS fast enough that the figures are cmek's, with 50 ms per call and AWS's documented quotas on
//! or off. Prints each case of issue 11's table with the quota floor beside the wall time.
//!
//! Run: `cargo bench --bench fleet` (release build). TENANTS=N and BIG=N change the two fleet
//! sizes (1,000 and 10,000; TENANTS=0 skips the 200-second case), LATENCY_MS the latency.
//! CMEK_BENCH_WRAP=heaptrack runs cmek under a wrapper (peak memory by call site); the RSS figures
//! are then the wrapper's.

#[path = "../tests/fleetsim/mod.rs"]
mod fleetsim;

use std::collections::BTreeMap;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use fleetsim::{Behaviour, FleetSim, FleetSpec};

const ACCOUNT: &str = "222200009999";
const REGION: &str = "us-east-1";

fn env_usize(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// One distinct customer key per tenant: the worst case for DescribeKey.
fn spec(tenants: usize) -> FleetSpec {
    FleetSpec {
        account: ACCOUNT.into(),
        region: REGION.into(),
        keys: (0..tenants)
            .map(|i| {
                format!(
                    "arn:aws:kms:{REGION}:{:012}:key/00000000-0000-4000-8000-{i:012}",
                    111_100_000_000u64 + i as u64
                )
            })
            .collect(),
        tenants,
    }
}

struct Run {
    wall: Duration,
    exit: Option<i32>,
    report: serde_json::Value,
    peak_rss_mib: f64,
    cpu_s: f64,
    calls: BTreeMap<String, u64>,
    throttled: u64,
}

fn proc_cpu_seconds(pid: u32) -> Option<f64> {
    let s = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    let f: Vec<&str> = s.rsplit_once(')')?.1.split_whitespace().collect();
    let ticks: u64 = f.get(11)?.parse::<u64>().ok()? + f.get(12)?.parse::<u64>().ok()?;
    Some(ticks as f64 / 100.0)
}

fn proc_peak_kib(pid: u32) -> Option<u64> {
    let s = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    s.lines()
        .find(|l| l.starts_with("VmHWM:"))?
        .split_whitespace()
        .nth(1)?
        .parse()
        .ok()
}

async fn run(sim: &FleetSim, args: &[&str], pacing: &str) -> Run {
    let calls_before = sim.calls();
    let throttled_before = sim.throttled();
    let started = Instant::now();
    // CMEK_BENCH_WRAP=heaptrack (or any wrapper taking the command after it) profiles cmek.
    let mut cmd = match std::env::var("CMEK_BENCH_WRAP") {
        Ok(w) => {
            let mut c = Command::new(w);
            c.arg(env!("CARGO_BIN_EXE_cmek"));
            c
        }
        Err(_) => Command::new(env!("CARGO_BIN_EXE_cmek")),
    };
    let mut child = cmd
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("AWS_ACCESS_KEY_ID", format!("AKIA{ACCOUNT}BENCH"))
        .env("AWS_SECRET_ACCESS_KEY", "bench-secret")
        .env("AWS_REGION", REGION)
        .env("AWS_ENDPOINT_URL", &sim.url)
        .env("AWS_CONFIG_FILE", "/nonexistent")
        .env("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent")
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .env("CMEK_QUOTA_SCALE", pacing)
        .args(["--output", "json", "--no-progress", "status", "--all"])
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run cmek");
    let pid = child.id();
    let mut stdout = child.stdout.take().unwrap();
    let mut stderr = child.stderr.take().unwrap();
    let out = std::thread::spawn(move || {
        let mut v = vec![];
        std::io::Read::read_to_end(&mut stdout, &mut v).ok();
        v
    });
    let err = std::thread::spawn(move || {
        let mut v = vec![];
        std::io::Read::read_to_end(&mut stderr, &mut v).ok();
        v
    });
    let (mut peak, mut cpu) = (0u64, 0f64);
    let status = loop {
        peak = peak.max(proc_peak_kib(pid).unwrap_or(0));
        cpu = cpu.max(proc_cpu_seconds(pid).unwrap_or(0.0));
        if let Some(s) = child.try_wait().unwrap() {
            break s;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    };
    let wall = started.elapsed();
    let stdout = out.join().unwrap();
    let stderr = err.join().unwrap();
    if !status.success() {
        eprintln!(
            "cmek exited {:?}: {}",
            status.code(),
            String::from_utf8_lossy(&stderr)
        );
    }
    let mut calls = BTreeMap::new();
    for ((service, _), n) in sim.calls() {
        *calls.entry(service).or_insert(0) += n;
    }
    for ((service, _), n) in calls_before {
        *calls.entry(service).or_insert(0) -= n;
    }
    Run {
        wall,
        exit: status.code(),
        report: serde_json::from_slice(&stdout).unwrap_or_default(),
        peak_rss_mib: peak as f64 / 1024.0,
        cpu_s: cpu,
        calls,
        throttled: sim.throttled() - throttled_before,
    }
}

fn per_tenant(r: &Run, n: usize) -> String {
    let total: u64 = r.calls.values().sum();
    let by: Vec<String> = r
        .calls
        .iter()
        .filter(|(_, c)| **c > 0)
        .map(|(s, c)| format!("{s} {:.2}", *c as f64 / n as f64))
        .collect();
    format!("{:.2} ({})", total as f64 / n as f64, by.join(", "))
}

fn line(case: &str, floor: &str, r: &Run, n: usize) {
    println!(
        "| {case} | {floor} | {:.1} s | {} | {} | {:.1} MiB | {:.2} s ({:.0} µs/tenant) | {} | exit {:?} |",
        r.wall.as_secs_f64(),
        r.report["counts"]["unreachable"].as_u64().map_or("?".into(), |u| u.to_string()),
        per_tenant(r, n),
        r.peak_rss_mib,
        r.cpu_s,
        r.cpu_s * 1e6 / n as f64,
        r.throttled,
        r.exit,
    );
}

fn behaviour(latency: Duration, quotas: bool) -> Behaviour {
    Behaviour { latency, quotas }
}

#[tokio::main(flavor = "multi_thread")]
async fn main() {
    let small = env_usize("TENANTS", 1000);
    let big = env_usize("BIG", 10_000);
    let latency = Duration::from_millis(env_usize("LATENCY_MS", 50) as u64);
    let ms = latency.as_millis();
    println!("| case | quota floor | wall | failed | calls per tenant | peak RSS | cmek CPU | throttled | |");
    println!("|---|---|---|---|---|---|---|---|---|");

    if small > 0 {
        let sim = FleetSim::start(spec(small), behaviour(latency, true)).await;
        let r = run(&sim, &[], "1").await;
        let floor = (small as f64 - 1.0) / 5.0;
        let floor_text = format!(
            "{floor:.0} s (Firehose 5/s); wall/floor {:.2}",
            r.wall.as_secs_f64() / floor
        );
        line(
            &format!("{small} tenants, {ms} ms, quotas on, live"),
            &floor_text,
            &r,
            small,
        );
    }
    if big == 0 {
        return;
    }
    // Live, no quotas on either side: what cmek itself costs. It leaves the snapshot fresh.
    let sim = FleetSim::start(spec(big), behaviour(latency, false)).await;
    let r = run(&sim, &[], "off").await;
    line(
        &format!("{big} tenants, {ms} ms, no quotas, live"),
        "none",
        &r,
        big,
    );

    sim.set(behaviour(latency, true));
    let r = run(&sim, &["--max-age", "1h"], "1").await;
    let kms_floor = (big as f64 - 2000.0).max(0.0) / 2000.0;
    line(
        &format!("{big} tenants, {ms} ms, quotas on, --max-age, every snapshot fresh"),
        &format!("{kms_floor:.1} s (KMS DescribeKey 2,000/s, {big} distinct keys)"),
        &r,
        big,
    );
    sim.set(behaviour(latency, false));
    let r = run(&sim, &["--max-age", "1h"], "off").await;
    line(
        &format!("{big} tenants, {ms} ms, no quotas, --max-age, every snapshot fresh"),
        "none",
        &r,
        big,
    );
}
