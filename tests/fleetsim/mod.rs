//! fleetsim: a stand-in for AWS that answers the read operations `cmek status --all` makes, for a
//! generated fleet, in AWS's wire formats (JSON 1.1 for KMS and Firehose, REST-XML for S3, query
//! XML for RDS and STS). It adds a latency per call and enforces per-operation quotas with AWS's
//! throttling errors, the same token buckets as the local AWS's rule R13, and it serves thousands
//! of calls a second, so a benchmark against it measures cmek, not the emulator.
//!
//! It binds 127.0.0.1 only. Its answers are checked against the local AWS's for the same fleet
//! (tests/it/fleetsim_check.rs), so it cannot drift from the wire formats cmek parses.

// The benchmark and the check each use part of it.
#![allow(dead_code)]

mod answers;

use std::collections::HashMap;
use std::convert::Infallible;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use answers::*;
use bytes::Bytes;
use http_body_util::BodyExt;
use hyper::body::Incoming;
use hyper::Request;

/// The fleet to answer for.
#[derive(Debug, Clone)]
pub struct FleetSpec {
    /// Speedscale's account (the caller).
    pub account: String,
    /// The region.
    pub region: String,
    /// The customer keys; tenant `i` uses `keys[i % keys.len()]`.
    pub keys: Vec<String>,
    /// How many tenants: `tenant-0000` ...
    pub tenants: usize,
}

impl FleetSpec {
    /// Tenant `i`'s id.
    pub fn tenant(i: usize) -> String {
        format!("tenant-{i:04}")
    }
    fn index(&self, tenant: &str) -> Option<usize> {
        let i: usize = tenant.strip_prefix("tenant-")?.parse().ok()?;
        (i < self.tenants && Self::tenant(i) == tenant).then_some(i)
    }
    fn key(&self, i: usize) -> &str {
        &self.keys[i % self.keys.len()]
    }
    fn bucket(&self, i: usize) -> String {
        format!("speedscale-{}-data-{}", Self::tenant(i), self.account)
    }
    fn registry(&self) -> String {
        format!("speedscale-cmek-{}-{}", self.account, self.region)
    }
    /// Tenant `i`'s registry record, as `enable` writes it.
    pub fn record(&self, i: usize) -> String {
        let t = Self::tenant(i);
        serde_json::json!({
            "schema_version": 1, "tenant": t, "key_arn": self.key(i), "environment": "default",
            "account": self.account, "region": self.region,
            "resources": {"buckets": [self.bucket(i)], "streams": [format!("speedscale-{t}-events")],
                          "database": format!("speedscale-{t}")},
            "enabled_by": "seed", "enabled_at": "2026-11-27T00:00:00Z", "updated_by": "seed",
            "updated_at": "2026-11-27T00:00:00Z", "cmek_version": "seed"
        })
        .to_string()
    }
}

/// How the server behaves.
#[derive(Debug, Clone, Copy)]
pub struct Behaviour {
    /// Added to every answer.
    pub latency: Duration,
    /// Enforce AWS's documented quotas (local AWS R13).
    pub quotas: bool,
}

/// (service, operations sharing the bucket, rate per second, documented burst): local AWS R13.
const QUOTAS: &[(&str, &[&str], f64, Option<f64>)] = &[
    ("firehose", &["DescribeDeliveryStream"], 5.0, None),
    ("firehose", &["ListDeliveryStreams"], 5.0, None),
    ("rds", &["*"], 12.0, Some(300.0)),
    ("kms", &["DescribeKey"], 2000.0, None),
    ("kms", &["GetKeyRotationStatus"], 1000.0, None),
];

#[derive(Default)]
struct State {
    calls: HashMap<(String, String), u64>,
    throttled: u64,
    buckets: HashMap<usize, (f64, Instant)>,
    objects: HashMap<String, (Bytes, String)>,
}

/// A running fleetsim.
pub struct FleetSim {
    /// `http://127.0.0.1:PORT`.
    pub url: String,
    spec: Arc<FleetSpec>,
    behaviour: Arc<Mutex<Behaviour>>,
    state: Arc<Mutex<State>>,
}

impl FleetSim {
    /// Starts it on a free loopback port, on the current tokio runtime.
    pub async fn start(spec: FleetSpec, behaviour: Behaviour) -> FleetSim {
        let listener = tokio::net::TcpListener::bind(SocketAddr::from(([127, 0, 0, 1], 0)))
            .await
            .expect("bind 127.0.0.1");
        let url = format!("http://{}", listener.local_addr().unwrap());
        let sim = FleetSim {
            url,
            spec: Arc::new(spec),
            behaviour: Arc::new(Mutex::new(behaviour)),
            state: Arc::new(Mutex::new(State::default())),
        };
        let (spec, behaviour, state) = (sim.spec.clone(), sim.behaviour.clone(), sim.state.clone());
        tokio::spawn(async move {
            loop {
                let Ok((stream, _)) = listener.accept().await else {
                    continue;
                };
                let (spec, behaviour, state) = (spec.clone(), behaviour.clone(), state.clone());
                tokio::spawn(async move {
                    let svc = hyper::service::service_fn(move |req| {
                        let (spec, behaviour, state) =
                            (spec.clone(), behaviour.clone(), state.clone());
                        async move { Ok::<_, Infallible>(answer(req, &spec, &behaviour, &state).await) }
                    });
                    let _ = hyper::server::conn::http1::Builder::new()
                        .serve_connection(hyper_util::rt::TokioIo::new(stream), svc)
                        .await;
                });
            }
        });
        sim
    }

    /// Changes latency and quotas (and forgets the quota buckets and counts).
    pub fn set(&self, b: Behaviour) {
        *self.behaviour.lock().unwrap() = b;
        let mut s = self.state.lock().unwrap();
        s.buckets.clear();
        s.calls.clear();
        s.throttled = 0;
    }

    /// Calls answered (throttled ones included), by (service, operation).
    pub fn calls(&self) -> HashMap<(String, String), u64> {
        self.state.lock().unwrap().calls.clone()
    }

    /// Calls refused for a quota.
    pub fn throttled(&self) -> u64 {
        self.state.lock().unwrap().throttled
    }
}

fn decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'%' if i + 2 < b.len() => {
                let hex = std::str::from_utf8(&b[i + 1..i + 3]).unwrap_or("");
                match u8::from_str_radix(hex, 16) {
                    Ok(v) => {
                        out.push(v);
                        i += 3;
                        continue;
                    }
                    Err(_) => out.push(b'%'),
                }
            }
            b'+' => out.push(b' '),
            c => out.push(c),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn form(s: &str) -> HashMap<String, String> {
    s.split('&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap_or((p, ""));
            (decode(k), decode(v))
        })
        .collect()
}

fn service_of(req: &Request<Incoming>) -> String {
    let auth = req
        .headers()
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    // Credential=AKID/20261128/us-east-1/kms/aws4_request
    auth.split("Credential=")
        .nth(1)
        .and_then(|c| c.split('/').nth(3))
        .unwrap_or("")
        .to_string()
}

fn admit(state: &mut State, service: &str, op: &str) -> bool {
    for (i, (svc, ops, rate, burst)) in QUOTAS.iter().enumerate() {
        if *svc != service || !(ops.contains(&"*") || ops.contains(&op)) {
            continue;
        }
        let cap = burst.unwrap_or(*rate);
        let now = Instant::now();
        let (tokens, last) = state.buckets.get(&i).copied().unwrap_or((cap, now));
        let tokens = (tokens + now.duration_since(last).as_secs_f64() * rate).min(cap);
        if tokens >= 1.0 {
            state.buckets.insert(i, (tokens - 1.0, now));
            return true;
        }
        state.buckets.insert(i, (tokens, now));
        state.throttled += 1;
        return false;
    }
    true
}

async fn answer(
    req: Request<Incoming>,
    spec: &FleetSpec,
    behaviour: &Mutex<Behaviour>,
    state: &Mutex<State>,
) -> Answer {
    let service = service_of(&req);
    let target = req
        .headers()
        .get("x-amz-target")
        .and_then(|v| v.to_str().ok())
        .map(|t| t.rsplit('.').next().unwrap_or("").to_string());
    let method = req.method().clone();
    let path = decode(req.uri().path());
    let query = form(req.uri().query().unwrap_or(""));
    let body = req
        .into_body()
        .collect()
        .await
        .map(|b| b.to_bytes())
        .unwrap_or_default();
    let form_body = form(std::str::from_utf8(&body).unwrap_or(""));
    let op = match (&target, service.as_str()) {
        (Some(t), _) => t.clone(),
        (None, "s3") => s3_operation(&method, &path, &query),
        _ => form_body.get("Action").cloned().unwrap_or_default(),
    };
    let b = *behaviour.lock().unwrap();
    tokio::time::sleep(b.latency).await;
    {
        let mut s = state.lock().unwrap();
        *s.calls.entry((service.clone(), op.clone())).or_insert(0) += 1;
        if b.quotas && !admit(&mut s, &service, &op) {
            return match service.as_str() {
                "s3" => s3_error(503, "SlowDown"),
                "rds" | "sts" => query_error("Throttling", "Rate exceeded"),
                _ => json_error("ThrottlingException", "Rate exceeded"),
            };
        }
    }
    let json_body: serde_json::Value = serde_json::from_slice(&body).unwrap_or_default();
    match (service.as_str(), op.as_str()) {
        ("sts", "GetCallerIdentity") => reply(200, "text/xml", format!(
            "<GetCallerIdentityResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\"><GetCallerIdentityResult><Arn>arn:aws:iam::{0}:user/bench</Arn><UserId>AIDAFLEETSIM</UserId><Account>{0}</Account></GetCallerIdentityResult><ResponseMetadata><RequestId>fleetsim</RequestId></ResponseMetadata></GetCallerIdentityResponse>",
            spec.account
        )),
        ("kms", "DescribeKey") => describe_key(spec, &json_body),
        ("firehose", "DescribeDeliveryStream") => describe_stream(spec, &json_body),
        ("rds", "DescribeDBInstances") => describe_dbs(spec, &form_body),
        ("s3", _) => s3(spec, state, &op, &path, &query, body),
        _ => json_error("UnknownOperationException", &format!("fleetsim does not answer {service} {op}")),
    }
}
