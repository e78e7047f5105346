//! fleetsim's answers in AWS's wire formats: JSON 1.1 for KMS and Firehose, query XML for RDS and
//! STS, REST-XML for S3, and each service's throttling error.

use std::collections::HashMap;
use std::sync::Mutex;

use bytes::Bytes;
use http_body_util::Full;
use hyper::Response;

use super::{FleetSpec, State};

pub(super) type Answer = Response<Full<Bytes>>;

pub(super) fn reply(status: u16, ctype: &str, body: impl Into<Bytes>) -> Answer {
    Response::builder()
        .status(status)
        .header("content-type", ctype)
        .header("x-amzn-requestid", "fleetsim")
        .body(Full::new(body.into()))
        .unwrap()
}

pub(super) fn json(body: serde_json::Value) -> Answer {
    reply(200, "application/x-amz-json-1.1", body.to_string())
}

pub(super) fn json_error(code: &str, msg: &str) -> Answer {
    reply(
        400,
        "application/x-amz-json-1.1",
        serde_json::json!({"__type": code, "message": msg}).to_string(),
    )
}

pub(super) fn query_error(code: &str, msg: &str) -> Answer {
    reply(400, "text/xml", format!(
        "<ErrorResponse><Error><Type>Sender</Type><Code>{code}</Code><Message>{msg}</Message></Error><RequestId>fleetsim</RequestId></ErrorResponse>"
    ))
}

pub(super) fn s3_error(status: u16, code: &str) -> Answer {
    reply(status, "application/xml", format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>{code}</Code><Message>{code}</Message><RequestId>fleetsim</RequestId></Error>"
    ))
}

pub(super) fn s3_operation(
    method: &hyper::Method,
    path: &str,
    query: &HashMap<String, String>,
) -> String {
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

pub(super) fn describe_key(spec: &FleetSpec, body: &serde_json::Value) -> Answer {
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

pub(super) fn describe_stream(spec: &FleetSpec, body: &serde_json::Value) -> Answer {
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

pub(super) fn describe_dbs(spec: &FleetSpec, form: &HashMap<String, String>) -> Answer {
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

pub(super) fn etag(body: &[u8]) -> String {
    // Not MD5: a stable digest is enough for cmek, which compares ETags and never checks them.
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in body {
        h = (h ^ u64::from(*b)).wrapping_mul(0x100_0000_01b3);
    }
    format!("\"{h:016x}{:016x}\"", body.len())
}

pub(super) fn s3(
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
