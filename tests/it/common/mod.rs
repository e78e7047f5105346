//! Test kit: one local AWS (moto + the fidelity layer) per test process on a free 127.0.0.1 port,
//! unique customer/Speedscale account pairs per test (so tests share it safely), the customer's
//! side through the real AWS SDK, and the real `cmek` binary run with a clean environment.
#![allow(dead_code)]

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Output, Stdio};
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Mutex, OnceLock};

use serde_json::{json, Value};

mod fleet;
#[allow(unused_imports)] // the benchmarks that include this module use part of it
pub use fleet::*;

pub const REGION: &str = "us-east-1";

/// The running local AWS.
pub struct LocalAws {
    pub url: String,
    // Held open: when this process exits the server reads EOF on stdin and exits too.
    _stdin: Mutex<ChildStdin>,
    _child: Mutex<Child>,
}

/// The python that has the pinned moto (installed by scripts/test); a missing one fails the test.
pub fn python() -> PathBuf {
    let p = std::env::var_os("CMEK_LOCALAWS_PYTHON")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(".localaws/venv/bin/python")
        });
    assert!(
        p.exists(),
        "{} is missing: run scripts/test, which installs the local AWS",
        p.display()
    );
    p
}

/// The process's local AWS, started on first use.
pub fn local_aws() -> &'static LocalAws {
    static AWS: OnceLock<LocalAws> = OnceLock::new();
    AWS.get_or_init(|| {
        let script = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/localaws/localaws.py");
        let mut child = Command::new(python())
            .arg(script)
            .args(["--port", "0"])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            // LOCALAWS_STDERR=FILE keeps the local AWS's log (tracebacks included) for debugging.
            .stderr(match std::env::var_os("LOCALAWS_STDERR") {
                Some(path) => std::fs::File::create(path)
                    .map(Stdio::from)
                    .unwrap_or_else(|_| Stdio::null()),
                None => Stdio::null(),
            })
            .spawn()
            .expect("start the local AWS");
        let stdout = child.stdout.take().expect("stdout");
        let mut line = String::new();
        BufReader::new(stdout)
            .read_line(&mut line)
            .expect("read the local AWS's address");
        let url = line
            .trim()
            .rsplit(' ')
            .next()
            .unwrap_or_default()
            .to_string();
        assert!(
            url.starts_with("http://127.0.0.1:"),
            "local AWS said {line:?}"
        );
        let stdin = child.stdin.take().expect("stdin");
        LocalAws {
            url,
            _stdin: Mutex::new(stdin),
            _child: Mutex::new(child),
        }
    })
}

/// A customer account and a Speedscale account, unique in this process.
#[derive(Debug, Clone)]
pub struct Accounts {
    pub customer: String,
    pub speedscale: String,
}

pub fn accounts() -> Accounts {
    static N: AtomicU32 = AtomicU32::new(1);
    let n = N.fetch_add(1, Ordering::SeqCst);
    Accounts {
        customer: format!("11110000{n:04}"),
        speedscale: format!("22220000{n:04}"),
    }
}

/// The access key id the fidelity layer maps to `account`.
pub fn access_key(account: &str) -> String {
    format!("AKIA{account}TEST")
}

pub const SECRET: &str = "test-secret-do-not-log-9f8e7d";

pub fn sdk_config(account: &str) -> aws_config::SdkConfig {
    let creds =
        aws_credential_types::Credentials::new(access_key(account), SECRET, None, None, "test");
    aws_config::SdkConfig::builder()
        .behavior_version(aws_config::BehaviorVersion::latest())
        .region(aws_config::Region::new(REGION))
        .endpoint_url(&local_aws().url)
        .credentials_provider(aws_credential_types::provider::SharedCredentialsProvider::new(creds))
        .retry_config(aws_config::retry::RetryConfig::disabled())
        .build()
}

pub fn kms_as(account: &str) -> aws_sdk_kms::Client {
    aws_sdk_kms::Client::new(&sdk_config(account))
}

pub fn s3_as(account: &str) -> aws_sdk_s3::Client {
    let conf = aws_sdk_s3::config::Builder::from(&sdk_config(account))
        .force_path_style(true)
        .build();
    aws_sdk_s3::Client::from_conf(conf)
}

/// A key policy: the customer keeps control; Speedscale gets what `speedscale` lists.
pub fn key_policy(a: &Accounts, speedscale: &[Value]) -> String {
    let mut statements = vec![json!({
        "Sid": "CustomerControl", "Effect": "Allow",
        "Principal": {"AWS": format!("arn:aws:iam::{}:root", a.customer)},
        "Action": "kms:*", "Resource": "*"
    })];
    statements.extend(speedscale.iter().cloned());
    json!({"Version": "2012-10-17", "Statement": statements}).to_string()
}

/// The customer replaces the key's policy with one that no longer names Speedscale (the key stays
/// enabled).
pub async fn drop_speedscale(a: &Accounts, arn: &str) {
    kms_as(&a.customer)
        .put_key_policy()
        .key_id(key_id(arn))
        .policy_name("default")
        .policy(key_policy(a, &[]))
        .send()
        .await
        .unwrap();
}

/// The statements cmek's customer template grants (describe, round trip, via services, grants).
pub fn speedscale_statements(a: &Accounts) -> Vec<Value> {
    let (p, acct) = ("aws", a.speedscale.as_str());
    vec![
        cmek::shared::policy::describe_statement(p, acct),
        cmek::shared::policy::round_trip_statement(p, acct),
        cmek::shared::policy::via_service_statement(p, acct, REGION),
        cmek::shared::policy::grant_statement(p, acct, REGION),
        cmek::shared::policy::sns_delivery_statement(
            acct,
            vec![format!("arn:{p}:sns:{REGION}:{acct}:*")],
        ),
    ]
}

/// Creates a key in the customer's account; returns its ARN.
pub async fn create_key(
    a: &Accounts,
    policy: &str,
    spec: aws_sdk_kms::types::KeySpec,
    usage: aws_sdk_kms::types::KeyUsageType,
) -> String {
    let out = kms_as(&a.customer)
        .create_key()
        .policy(policy)
        .key_spec(spec)
        .key_usage(usage)
        .send()
        .await
        .expect("customer creates key");
    out.key_metadata()
        .and_then(|m| m.arn())
        .expect("arn")
        .to_string()
}

/// A key as the customer template makes it.
pub async fn good_key(a: &Accounts) -> String {
    create_key(
        a,
        &key_policy(a, &speedscale_statements(a)),
        aws_sdk_kms::types::KeySpec::SymmetricDefault,
        aws_sdk_kms::types::KeyUsageType::EncryptDecrypt,
    )
    .await
}

pub fn key_id(arn: &str) -> &str {
    arn.rsplit('/').next().unwrap_or(arn)
}

/// Runs the real binary as Speedscale's account against the local AWS, with nothing inherited
/// from the developer's environment (no real credentials, profiles or endpoints).
pub fn cmek(speedscale: &str, args: &[&str]) -> Output {
    cmek_with(speedscale, args, &[])
}

pub fn cmek_with(speedscale: &str, args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut cmd = cmek_command(speedscale, args);
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd.output().expect("run cmek")
}

/// The real binary as Speedscale's account, with nothing inherited from the developer's
/// environment, for callers that spawn it themselves (signals, peak memory).
pub fn cmek_command(speedscale: &str, args: &[&str]) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_cmek"));
    cmd.env_clear()
        .envs(cmek_env(speedscale))
        .args(args)
        .stdin(Stdio::null());
    cmd
}

/// The whole environment cmek runs with in tests: Speedscale's dummy credentials, the local AWS,
/// and no shared config or instance metadata to fall back on.
pub fn cmek_env(speedscale: &str) -> Vec<(&'static str, String)> {
    vec![
        ("PATH", std::env::var("PATH").unwrap_or_default()),
        ("AWS_ACCESS_KEY_ID", access_key(speedscale)),
        ("AWS_SECRET_ACCESS_KEY", SECRET.to_string()),
        ("AWS_REGION", REGION.to_string()),
        ("AWS_ENDPOINT_URL", local_aws().url.clone()),
        ("AWS_CONFIG_FILE", "/nonexistent/cmek-test-config".into()),
        (
            "AWS_SHARED_CREDENTIALS_FILE",
            "/nonexistent/cmek-test-credentials".into(),
        ),
        ("AWS_EC2_METADATA_DISABLED", "true".into()),
    ]
}

/// Turns versioning on for a bucket.
pub async fn enable_versioning(s3: &aws_sdk_s3::Client, bucket: &str) {
    s3.put_bucket_versioning()
        .bucket(bucket)
        .versioning_configuration(
            aws_sdk_s3::types::VersioningConfiguration::builder()
                .status(aws_sdk_s3::types::BucketVersioningStatus::Enabled)
                .build(),
        )
        .send()
        .await
        .unwrap();
}

/// A database the tenant already has, encrypted with a key Speedscale owns (the usual case before
/// CMEK), with a week of automated backups; returns that key.
pub async fn database_on_speedscale_key(a: &Accounts) -> String {
    let other = speedscale_key(a).await;
    rds_as(&a.speedscale)
        .create_db_instance()
        .db_instance_identifier(names(a).database)
        .engine("postgres")
        .db_instance_class("db.t4g.micro")
        .allocated_storage(20)
        .master_username("app")
        .master_user_password("not-a-real-password-1")
        .storage_encrypted(true)
        .kms_key_id(&other)
        .backup_retention_period(7)
        .send()
        .await
        .unwrap();
    other
}

/// Sets a bucket's default encryption: SSE-KMS with `kms_key`, or SSE-S3 without one.
pub async fn set_default_encryption(s3: &aws_sdk_s3::Client, bucket: &str, kms_key: Option<&str>) {
    use aws_sdk_s3::types::{
        ServerSideEncryption, ServerSideEncryptionByDefault, ServerSideEncryptionConfiguration,
        ServerSideEncryptionRule,
    };
    let default = match kms_key {
        Some(k) => ServerSideEncryptionByDefault::builder()
            .sse_algorithm(ServerSideEncryption::AwsKms)
            .kms_master_key_id(k),
        None => {
            ServerSideEncryptionByDefault::builder().sse_algorithm(ServerSideEncryption::Aes256)
        }
    };
    let rule = ServerSideEncryptionRule::builder()
        .apply_server_side_encryption_by_default(default.build().unwrap())
        .bucket_key_enabled(kms_key.is_some())
        .build();
    s3.put_bucket_encryption()
        .bucket(bucket)
        .server_side_encryption_configuration(
            ServerSideEncryptionConfiguration::builder()
                .rules(rule)
                .build()
                .unwrap(),
        )
        .send()
        .await
        .unwrap();
}

/// `cmek verify --tenant acme --key-arn ARN` as Speedscale, plus `global` options before it.
pub fn verify(a: &Accounts, arn: &str, global: &[&str]) -> Output {
    let mut args = global.to_vec();
    args.extend(["verify", "--tenant", "acme", "--key-arn", arn]);
    cmek(&a.speedscale, &args)
}

/// A well-formed key ARN in `account` that names no key.
pub fn unknown_key_arn(account: &str, region: &str) -> String {
    format!("arn:aws:kms:{region}:{account}:key/1234abcd-12ab-34cd-56ef-1234567890ab")
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

pub fn json_out(o: &Output) -> Value {
    serde_json::from_slice(&o.stdout).unwrap_or_else(|e| {
        panic!(
            "stdout is not one JSON object ({e}): {}\nstderr: {}",
            stdout(o),
            stderr(o)
        )
    })
}

/// The check with this id in a JSON report.
pub fn check<'a>(report: &'a Value, id: &str) -> &'a Value {
    report["checks"]
        .as_array()
        .and_then(|c| c.iter().find(|c| c["id"] == id))
        .unwrap_or_else(|| panic!("no check {id} in {report:#}"))
}

// ---- control API of the fidelity layer ----

pub(crate) fn control(method: &str, path: &str, body: Option<Value>) -> Value {
    let url = format!("{}{path}", local_aws().url);
    let resp = match (method, body) {
        ("POST", Some(b)) => ureq::post(&url).send_json(&b),
        ("DELETE", _) => ureq::delete(&url).call(),
        _ => ureq::get(&url).call(),
    };
    resp.expect("control API")
        .body_mut()
        .read_json()
        .expect("control JSON")
}

/// Adds a fault rule (see tests/localaws/localaws.py, R8).
pub fn fault(rule: Value) {
    control("POST", "/_localaws/faults", Some(rule));
}

pub fn clear_faults(account: &str) {
    control(
        "DELETE",
        &format!("/_localaws/faults?account={account}"),
        None,
    );
}

/// Every call the fidelity layer saw from `account`.
pub fn calls(account: &str) -> Vec<Value> {
    control("GET", &format!("/_localaws/calls?account={account}"), None)
        .as_array()
        .cloned()
        .unwrap_or_default()
}

/// The mutating calls it saw from `account` (refused ones and DryRuns are not mutations).
pub fn mutating_calls(account: &str) -> Vec<Value> {
    control(
        "GET",
        &format!("/_localaws/calls?account={account}&mutating=1"),
        None,
    )
    .as_array()
    .cloned()
    .unwrap_or_default()
}

pub fn firehose_as(account: &str) -> aws_sdk_firehose::Client {
    aws_sdk_firehose::Client::new(&sdk_config(account))
}

/// One DB instance as the local AWS describes it to `account`.
pub async fn db_instance(account: &str, id: &str) -> aws_sdk_rds::types::DbInstance {
    rds_as(account)
        .describe_db_instances()
        .db_instance_identifier(id)
        .send()
        .await
        .unwrap()
        .db_instances()[0]
        .clone()
}

pub fn sqs_as(account: &str) -> aws_sdk_sqs::Client {
    aws_sdk_sqs::Client::new(&sdk_config(account))
}

pub fn sns_as(account: &str) -> aws_sdk_sns::Client {
    aws_sdk_sns::Client::new(&sdk_config(account))
}

pub fn rds_as(account: &str) -> aws_sdk_rds::Client {
    aws_sdk_rds::Client::new(&sdk_config(account))
}

/// `cmek enable --tenant acme --key-arn ARN --yes --output json` plus `extra`.
pub fn enable(a: &Accounts, arn: &str, extra: &[&str]) -> Output {
    cmek(&a.speedscale, &enable_args(arn, extra))
}

/// The arguments of [`enable`].
pub fn enable_args<'a>(arn: &'a str, extra: &[&'a str]) -> Vec<&'a str> {
    let mut args = vec![
        "--output",
        "json",
        "enable",
        "--tenant",
        "acme",
        "--key-arn",
        arn,
        "--yes",
    ];
    args.extend(extra);
    args
}

/// The default environment's names for tenant acme in Speedscale's account.
pub struct Names {
    pub bucket: String,
    pub stream: String,
    pub database: String,
    pub registry: String,
}

pub fn names(a: &Accounts) -> Names {
    Names {
        bucket: format!("speedscale-acme-data-{}", a.speedscale),
        stream: "speedscale-acme-events".into(),
        database: "speedscale-acme".into(),
        registry: format!("speedscale-cmek-{}-{REGION}", a.speedscale),
    }
}

/// Mutating calls on tenant resources (the registry's record, lock and audit writes aside).
/// Every mutating call cmek made in Speedscale's account on the tenant's resources: not the
/// registry's, nor the environment's evidence signing key (created once, by the first enable).
pub fn tenant_mutations(a: &Accounts) -> Vec<Value> {
    let registry = names(a).registry;
    mutating_calls(&a.speedscale)
        .into_iter()
        .filter(|c| !c["path"].as_str().unwrap_or_default().contains(&registry))
        .filter(|c| {
            !(c["service"] == "kms"
                && ["CreateKey", "CreateAlias"]
                    .contains(&c["operation"].as_str().unwrap_or_default()))
        })
        .collect()
}

pub fn clear_calls(account: &str) {
    control(
        "DELETE",
        &format!("/_localaws/calls?account={account}"),
        None,
    );
}

/// The change with this id in an enable report.
pub fn change<'a>(report: &'a Value, id: &str) -> &'a Value {
    report["changes"]
        .as_array()
        .and_then(|c| c.iter().find(|c| c["id"] == id))
        .unwrap_or_else(|| panic!("no change {id} in {report:#}"))
}

/// A key in Speedscale's own account: "another key" for data written before the customer's.
pub async fn speedscale_key(a: &Accounts) -> String {
    let out = kms_as(&a.speedscale).create_key().send().await.unwrap();
    out.key_metadata().unwrap().arn().unwrap().to_string()
}

/// Asserts the local AWS saw no mutating call from `account`.
pub fn assert_no_mutations(account: &str) {
    assert_eq!(mutating_calls(account), Vec::<Value>::new());
}

/// The customer disables their key (in their own account).
pub async fn disable_key(a: &Accounts, arn: &str) {
    kms_as(&a.customer)
        .disable_key()
        .key_id(key_id(arn))
        .send()
        .await
        .unwrap();
}

/// An object's bytes, read as `account`.
pub async fn object_body(account: &str, bucket: &str, key: &str) -> Vec<u8> {
    s3_as(account)
        .get_object()
        .bucket(bucket)
        .key(key)
        .send()
        .await
        .unwrap()
        .body
        .collect()
        .await
        .unwrap()
        .to_vec()
}

/// The first `status` row of this kind, from `status --output json`.
pub fn resource_row<'a>(report: &'a Value, kind: &str) -> &'a Value {
    report["resources"]
        .as_array()
        .unwrap_or_else(|| panic!("no resources: {report:#}"))
        .iter()
        .find(|r| r["kind"] == kind)
        .unwrap_or_else(|| panic!("no {kind} row: {report:#}"))
}

/// `cmek --config FILE --output json ARGS...` as Speedscale: the exit code and the report.
pub fn run_with_config(a: &Accounts, cfg: &Path, args: &[&str]) -> (i32, Value) {
    let mut all = vec!["--config", cfg.to_str().unwrap(), "--output", "json"];
    all.extend(args);
    let out = cmek(&a.speedscale, &all);
    assert!(!out.stdout.is_empty(), "{args:?}: {}", stderr(&out));
    (out.status.code().unwrap_or(-1), json_out(&out))
}

/// `enable --tenant acme --key-arn ARN --yes EXTRA...` with an environment file.
pub fn enable_with_config(a: &Accounts, cfg: &Path, arn: &str, extra: &[&str]) -> (i32, Value) {
    let mut args = vec!["enable", "--tenant", "acme", "--key-arn", arn, "--yes"];
    args.extend(extra);
    run_with_config(a, cfg, &args)
}

/// A `status` report's rows of one kind.
pub fn rows_of<'a>(report: &'a Value, kind: &str) -> Vec<&'a Value> {
    report["resources"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["kind"] == kind)
        .collect()
}
