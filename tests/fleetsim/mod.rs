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

use std::collections::HashMap;
use std::convert::Infallible;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::body::Incoming;
use hyper::{Request, Response};

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

type Answer = Response<Full<Bytes>>;

fn reply(status: u16, ctype: &str, body: impl Into<Bytes>) -> Answer {
    Response::builder()
        .status(status)
        .header("content-type", ctype)
        .header("x-amzn-requestid", "fleetsim")
        .body(Full::new(body.into()))
        .unwrap()
}

fn json(body: serde_json::Value) -> Answer {
    reply(200, "application/x-amz-json-1.1", body.to_string())
}

fn json_error(code: &str, msg: &str) -> Answer {
    reply(
        400,
        "application/x-amz-json-1.1",
        serde_json::json!({"__type": code, "message": msg}).to_string(),
    )
}

fn query_error(code: &str, msg: &str) -> Answer {
    reply(400, "text/xml", format!(
        "<ErrorResponse><Error><Type>Sender</Type><Code>{code}</Code><Message>{msg}</Message></Error><RequestId>fleetsim</RequestId></ErrorResponse>"
    ))
}

fn s3_error(status: u16, code: &str) -> Answer {
    reply(status, "application/xml", format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>{code}</Code><Message>{code}</Message><RequestId>fleetsim</RequestId></Error>"
    ))
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

fn s3_operation(method: &hyper::Method, path: &str, query: &HashMap<String, String>) -> String {
    let has_key = path
        .trim_start_matches('/')
        .split_once('/')
        .is_some_and(|(_, key)| !key.is_empty());
    match (method.as_str(), has_key) {
        ("GET", false) if query.contains_key("list-type") => "ListObjectsV2".into(),
        ("GET", false) if query.contains_key("encryption") => "GetBucketEncryption".into(),
        ("GET", true) => "GetObject".into(),
        ("HEAD", true) => "HeadObject".into(),
        ("PUT", true) => "PutObject".into(),
        (m, _) => format!("{m} {path}"),
    }
}

fn describe_key(spec: &FleetSpec, body: &serde_json::Value) -> Answer {
    let id = body["KeyId"].as_str().unwrap_or("");
    if !spec.keys.iter().any(|k| k == id) {
        return json_error("NotFoundException", &format!("Key '{id}' does not exist"));
    }
    let parts: Vec<&str> = id.split(':').collect();
    json(serde_json::json!({"KeyMetadata": {
        "AWSAccountId": parts.get(4).copied().unwrap_or(""), "KeyId": id.rsplit('/').next().unwrap_or(""),
        "Arn": id, "CreationDate": 1.7e9, "Enabled": true, "Description": "", "KeyUsage": "ENCRYPT_DECRYPT",
        "KeyState": "Enabled", "Origin": "AWS_KMS", "KeyManager": "CUSTOMER", "CustomerMasterKeySpec": "SYMMETRIC_DEFAULT",
        "KeySpec": "SYMMETRIC_DEFAULT", "EncryptionAlgorithms": ["SYMMETRIC_DEFAULT"], "MultiRegion": false
    }}))
}

fn describe_stream(spec: &FleetSpec, body: &serde_json::Value) -> Answer {
    let name = body["DeliveryStreamName"].as_str().unwrap_or("");
    let Some(i) = name
        .strip_prefix("speedscale-")
        .and_then(|n| n.strip_suffix("-events"))
        .and_then(|t| spec.index(t))
    else {
        return json_error(
            "ResourceNotFoundException",
            &format!("Firehose {name} not found"),
        );
    };
    let key = spec.key(i);
    json(serde_json::json!({"DeliveryStreamDescription": {
        "DeliveryStreamName": name,
        "DeliveryStreamARN": format!("arn:aws:firehose:{}:{}:deliverystream/{name}", spec.region, spec.account),
        "DeliveryStreamStatus": "ACTIVE", "DeliveryStreamType": "DirectPut", "VersionId": "1",
        "DeliveryStreamEncryptionConfiguration": {"KeyARN": key, "KeyType": "CUSTOMER_MANAGED_CMK", "Status": "ENABLED"},
        "Destinations": [{"DestinationId": "destinationId-000000000001", "ExtendedS3DestinationDescription": {
            "RoleARN": format!("arn:aws:iam::{}:role/r", spec.account),
            "BucketARN": format!("arn:aws:s3:::{}", spec.bucket(i)),
            "BufferingHints": {"SizeInMBs": 5, "IntervalInSeconds": 300}, "CompressionFormat": "UNCOMPRESSED",
            "EncryptionConfiguration": {"KMSEncryptionConfig": {"AWSKMSKeyARN": key}}
        }}],
        "HasMoreDestinations": false
    }}))
}

fn describe_dbs(spec: &FleetSpec, form: &HashMap<String, String>) -> Answer {
    let mut ids: Vec<&String> = form
        .iter()
        .filter(|(k, _)| k.starts_with("Filters.Filter.1.Values.Value."))
        .map(|(_, v)| v)
        .collect();
    ids.sort();
    let mut out = String::new();
    for id in ids {
        let Some(i) = id.strip_prefix("speedscale-").and_then(|t| spec.index(t)) else {
            continue;
        };
        let key = spec.key(i);
        out.push_str(&format!(
            "<DBInstance><DBInstanceIdentifier>{id}</DBInstanceIdentifier><DBInstanceClass>db.t4g.micro</DBInstanceClass><Engine>postgres</Engine><DBInstanceStatus>available</DBInstanceStatus><StorageEncrypted>true</StorageEncrypted><KmsKeyId>{key}</KmsKeyId><DBInstanceArn>arn:aws:rds:{r}:{a}:db:{id}</DBInstanceArn><MasterUserSecret><SecretArn>arn:aws:secretsmanager:{r}:{a}:secret:rds!db-{i}</SecretArn><SecretStatus>active</SecretStatus><KmsKeyId>{key}</KmsKeyId></MasterUserSecret><PerformanceInsightsEnabled>false</PerformanceInsightsEnabled><TagList/></DBInstance>",
            r = spec.region, a = spec.account
        ));
    }
    reply(200, "text/xml", format!(
        "<DescribeDBInstancesResponse xmlns=\"http://rds.amazonaws.com/doc/2014-10-31/\"><DescribeDBInstancesResult><DBInstances>{out}</DBInstances></DescribeDBInstancesResult><ResponseMetadata><RequestId>fleetsim</RequestId></ResponseMetadata></DescribeDBInstancesResponse>"
    ))
}

fn etag(body: &[u8]) -> String {
    // Not MD5: a stable digest is enough for cmek, which compares ETags and never checks them.
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in body {
        h = (h ^ u64::from(*b)).wrapping_mul(0x100_0000_01b3);
    }
    format!("\"{h:016x}{:016x}\"", body.len())
}

fn s3(
    spec: &FleetSpec,
    state: &Mutex<State>,
    op: &str,
    path: &str,
    query: &HashMap<String, String>,
    body: Bytes,
) -> Answer {
    let path = path.trim_start_matches('/');
    let (bucket, key) = path.split_once('/').unwrap_or((path, ""));
    let registry = spec.registry();
    match op {
        "ListObjectsV2" if bucket == registry => {
            let prefix = query.get("prefix").cloned().unwrap_or_default();
            let start: usize = query
                .get("continuation-token")
                .and_then(|t| t.parse().ok())
                .unwrap_or(0);
            let mut items = String::new();
            let end = if prefix == "cmek/tenants/" {
                (start + 1000).min(spec.tenants)
            } else {
                start
            };
            for i in start..end {
                let rec = spec.record(i);
                items.push_str(&format!(
                    "<Contents><Key>cmek/tenants/{}.json</Key><LastModified>2026-11-27T00:00:00.000Z</LastModified><ETag>{}</ETag><Size>{}</Size><StorageClass>STANDARD</StorageClass></Contents>",
                    FleetSpec::tenant(i), etag(rec.as_bytes()).replace('"', "&quot;"), rec.len()
                ));
            }
            let more = end < spec.tenants && prefix == "cmek/tenants/";
            let next = if more {
                format!("<NextContinuationToken>{end}</NextContinuationToken>")
            } else {
                String::new()
            };
            reply(200, "application/xml", format!(
                "<?xml version=\"1.0\" encoding=\"UTF-8\"?><ListBucketResult xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><Name>{bucket}</Name><Prefix>{prefix}</Prefix><KeyCount>{}</KeyCount><MaxKeys>1000</MaxKeys><IsTruncated>{more}</IsTruncated>{next}{items}</ListBucketResult>",
                end - start
            ))
        }
        "GetObject" if bucket == registry => {
            let rec = key
                .strip_prefix("cmek/tenants/")
                .and_then(|k| k.strip_suffix(".json"))
                .and_then(|t| spec.index(t))
                .map(|i| Bytes::from(spec.record(i)));
            let found = match rec {
                Some(b) => Some((b.clone(), etag(&b))),
                None => state.lock().unwrap().objects.get(key).cloned(),
            };
            match found {
                Some((b, tag)) => Response::builder()
                    .status(200)
                    .header("content-type", "application/json")
                    .header("etag", tag)
                    .body(Full::new(b))
                    .unwrap(),
                None => s3_error(404, "NoSuchKey"),
            }
        }
        "PutObject" if bucket == registry => {
            let tag = etag(&body);
            state
                .lock()
                .unwrap()
                .objects
                .insert(key.to_string(), (body, tag.clone()));
            Response::builder()
                .status(200)
                .header("etag", tag)
                .body(Full::new(Bytes::new()))
                .unwrap()
        }
        "GetBucketEncryption" => {
            let i = bucket
                .strip_prefix("speedscale-")
                .and_then(|b| b.strip_suffix(&format!("-data-{}", spec.account)))
                .and_then(|t| spec.index(t));
            match i {
                Some(i) => reply(200, "application/xml", format!(
                    "<?xml version=\"1.0\" encoding=\"UTF-8\"?><ServerSideEncryptionConfiguration xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><Rule><ApplyServerSideEncryptionByDefault><SSEAlgorithm>aws:kms</SSEAlgorithm><KMSMasterKeyID>{}</KMSMasterKeyID></ApplyServerSideEncryptionByDefault><BucketKeyEnabled>true</BucketKeyEnabled></Rule></ServerSideEncryptionConfiguration>",
                    spec.key(i)
                )),
                None => s3_error(404, "NoSuchBucket"),
            }
        }
        _ => s3_error(400, "NotImplemented"),
    }
}
