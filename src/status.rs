//! `status`: what every tenant resource is encrypted with right now, against the key it is expected
//! to use, and the key's own state. Read-only; independent reads run concurrently.

use aws_sdk_kms::Client as Kms;
use futures_util::future::join_all;
use serde::Serialize;

use crate::aws::Clients;
use crate::error::{AwsError, Error, Refusal};
use crate::input::KeyArn;
use crate::registry::{Record, Registry, Resources};
use crate::report::SCHEMA_VERSION;
use crate::state::{
    bucket_encryption, describe_stream, err, key_matches, observe_object, Encryption, Tenancy,
    CANARY_KEY,
};

/// The customer key as Speedscale sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct KeyView {
    /// The key ARN.
    pub arn: String,
    /// enabled, disabled, pending-deletion, pending-import, unavailable, creating, updating,
    /// refused (the key policy no longer lets Speedscale describe it), not-found.
    pub state: String,
    /// When a key pending deletion will be deleted (RFC 3339).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub deletion_date: Option<String>,
    /// Automatic rotation on, when read.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rotation: Option<bool>,
    /// One sentence.
    pub message: String,
    /// The AWS error code behind a refusal.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub aws_error: Option<String>,
}

impl KeyView {
    /// Whether KMS says the key can be used at all.
    pub fn enabled(&self) -> bool {
        self.state == "enabled"
    }
}

fn kebab(state: &str) -> String {
    let mut out = String::new();
    for (i, ch) in state.chars().enumerate() {
        if ch.is_ascii_uppercase() && i > 0 {
            out.push('-');
        }
        out.push(ch.to_ascii_lowercase());
    }
    out
}

/// Describes the key cross-account (and reads its rotation status when asked). `Err` only for our
/// own side; a refusal by the key policy or an unknown key is a state.
pub async fn key_view(
    kms: &Kms,
    key: &KeyArn,
    rotation: bool,
    ep: Option<&str>,
) -> Result<KeyView, AwsError> {
    let describe = kms.describe_key().key_id(key.as_str()).send();
    let rot = async {
        if rotation {
            Some(
                kms.get_key_rotation_status()
                    .key_id(key.as_str())
                    .send()
                    .await,
            )
        } else {
            None
        }
    };
    let (d, r) = tokio::join!(describe, rot);
    let mut view = KeyView {
        arn: key.to_string(),
        state: String::new(),
        deletion_date: None,
        rotation: None,
        message: String::new(),
        aws_error: None,
    };
    match d {
        Ok(out) => {
            let m = out.key_metadata();
            let state = m
                .and_then(|m| m.key_state())
                .map(|s| s.as_str().to_string())
                .unwrap_or_default();
            view.state = kebab(&state);
            view.deletion_date = m
                .and_then(|m| m.deletion_date())
                .and_then(|d| d.fmt(aws_smithy_types::date_time::Format::DateTime).ok());
            view.message = match view.state.as_str() {
                "enabled" => "the key is enabled".into(),
                "pending-deletion" => format!(
                    "the key is pending deletion on {}",
                    view.deletion_date.as_deref().unwrap_or("an unknown date")
                ),
                s => format!("the key is {s}"),
            };
        }
        Err(e) => {
            let e = err("kms", "DescribeKey", ep)(e);
            if e.is_our_side() {
                return Err(e);
            }
            view.aws_error = e.code.clone();
            if e.refusal().is_some() {
                view.state = "refused".into();
                view.message = format!(
                    "the key policy no longer lets Speedscale describe the key{}",
                    if e.refusal() == Some(Refusal::KeyPolicy) {
                        ""
                    } else {
                        " (AccessDenied)"
                    }
                );
            } else if e.is("NotFoundException") {
                view.state = "not-found".into();
                view.message = "no such key (deleted, or the ARN is wrong)".into();
            } else {
                view.state = "refused".into();
                view.message = format!("DescribeKey refused: {} {}", e.code(), e.message());
            }
        }
    }
    if let Some(r) = r {
        match r {
            Ok(out) => view.rotation = Some(out.key_rotation_enabled()),
            Err(e) => {
                let e = err("kms", "GetKeyRotationStatus", ep)(e);
                if e.is_our_side() {
                    return Err(e);
                }
            }
        }
    }
    Ok(view)
}

/// One resource's state.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ResourceStatus {
    /// e.g. `bucket:speedscale-acme-data-…`.
    pub id: String,
    /// s3-bucket, s3-canary, firehose-stream, firehose-destination, rds-instance, rds-secret,
    /// rds-snapshot, rds-replaced.
    pub kind: &'static str,
    /// Its name.
    pub resource: String,
    /// The key it should use.
    pub expected_key: String,
    /// The key it uses: an ARN, `sse-s3`, `aws-managed`, `none`, or `-` when missing.
    pub actual_key: String,
    /// ok, drift, unencrypted, missing.
    pub state: &'static str,
    /// The AWS status, when the resource has one (e.g. `available`, `ENABLED`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    /// One sentence.
    pub message: String,
}

fn classify(enc: &Encryption, key: &KeyArn) -> &'static str {
    match enc {
        Encryption::Kms(k) if key_matches(k, key) => "ok",
        Encryption::None => "unencrypted",
        _ => "drift",
    }
}

impl ResourceStatus {
    fn of(
        kind: &'static str,
        resource: &str,
        key: &KeyArn,
        enc: Option<&Encryption>,
        message: impl Into<String>,
    ) -> Self {
        let (actual, state) = match enc {
            None => ("-".to_string(), "missing"),
            Some(e) => (e.shown(), classify(e, key)),
        };
        Self {
            id: format!("{}:{resource}", kind),
            kind,
            resource: resource.into(),
            expected_key: key.to_string(),
            actual_key: actual,
            state,
            status: None,
            message: message.into(),
        }
    }

    fn status(mut self, s: impl Into<String>) -> Self {
        let s = s.into();
        if !s.is_empty() {
            self.status = Some(s);
        }
        self
    }
}

/// Counts by state.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct StateCounts {
    /// On the expected key.
    pub ok: usize,
    /// On another key (SSE-S3 and AWS managed keys included).
    pub drift: usize,
    /// Not encrypted.
    pub unencrypted: usize,
    /// Not there.
    pub missing: usize,
}

/// What `status --tenant` and `revoke-check` reports start with: the tenant, its key and the
/// key's state.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TenantHead {
    /// Always [`SCHEMA_VERSION`].
    pub schema_version: u32,
    /// `status` or `revoke-check`.
    pub command: &'static str,
    /// The command's verdict.
    pub verdict: &'static str,
    /// The tenant.
    pub tenant: String,
    /// The expected key.
    pub key_arn: String,
    /// Where the expected key came from: option, record or tags.
    pub key_source: &'static str,
    /// Speedscale's account.
    pub account: String,
    /// The region.
    pub region: String,
    /// The key's own state.
    pub key: KeyView,
}

impl TenantHead {
    /// The head for a tenant; the verdict is filled in by the command.
    pub fn new(command: &'static str, t: &Tenancy, key_source: &'static str, key: KeyView) -> Self {
        Self {
            schema_version: SCHEMA_VERSION,
            command,
            verdict: "",
            tenant: t.tenant.to_string(),
            key_arn: t.key.to_string(),
            key_source,
            account: t.account.clone(),
            region: t.region.clone(),
            key,
        }
    }
}

/// The result of `status --tenant`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StatusReport {
    /// schema_version, command (`status`), verdict (ok or drift), tenant, key_arn, key_source,
    /// account, region, and the key's state (shown beside; it does not change the verdict).
    #[serde(flatten)]
    pub head: TenantHead,
    /// Every resource.
    pub resources: Vec<ResourceStatus>,
    /// Counts.
    pub summary: StateCounts,
    /// What to do next.
    pub next: Vec<String>,
}

/// Counts the states.
pub fn count(resources: &[ResourceStatus]) -> StateCounts {
    let mut c = StateCounts::default();
    for r in resources {
        match r.state {
            "ok" => c.ok += 1,
            "drift" => c.drift += 1,
            "unencrypted" => c.unencrypted += 1,
            _ => c.missing += 1,
        }
    }
    c
}

/// The tenant's resources: from its record, else the environment's names.
pub fn resources_of(t: &Tenancy, record: Option<&Record>) -> Resources {
    match record {
        Some(r) => r.resources.clone(),
        None => Resources {
            buckets: t.names.buckets.iter().map(|b| b.1.clone()).collect(),
            streams: t.names.streams.iter().map(|s| s.1.clone()).collect(),
            database: t.names.database.clone(),
            replaced_database: None,
            role: None,
        },
    }
}

/// How much to read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Depth {
    /// Everything: rotation, snapshots, the replaced database.
    Full,
    /// As `Full` without the canary's metadata: revoke-check reads the canary itself.
    Evidence,
    /// The fleet view: at most one call per resource.
    Lean,
}

/// Reads the state of every resource of a tenant against `t.key`.
pub async fn resource_statuses(
    c: &Clients,
    t: &Tenancy,
    res: &Resources,
    depth: Depth,
) -> Result<Vec<ResourceStatus>, AwsError> {
    let key = &t.key;
    let buckets = join_all(res.buckets.iter().map(|b| bucket_status(c, t, b, depth)));
    let streams = join_all(res.streams.iter().map(|s| stream_status(c, t, s)));
    let db = async {
        match &res.database {
            Some(id) => database_status(c, t, id, depth).await,
            None => Ok(vec![]),
        }
    };
    let replaced = async {
        // Read at every depth: until it is retired it holds tenant data (one more call, for
        // migrated tenants only).
        match &res.replaced_database {
            Some(id) => {
                let db = crate::state::observe_database(c, t, id).await?;
                Ok(if db.exists {
                    vec![ResourceStatus::of(
                        "rds-replaced",
                        id,
                        key,
                        Some(&db.encryption),
                        "the database a migration replaced: it still holds tenant data until it is retired",
                    )
                    .status(db.status)]
                } else {
                    vec![]
                })
            }
            _ => Ok(vec![]),
        }
    };
    let (buckets, streams, db, replaced) = tokio::join!(buckets, streams, db, replaced);
    let mut out = vec![];
    for b in buckets {
        out.extend(b?);
    }
    for s in streams {
        out.extend(s?);
    }
    out.extend(db?);
    out.extend(replaced?);
    Ok(out)
}

async fn bucket_status(
    c: &Clients,
    t: &Tenancy,
    bucket: &str,
    depth: Depth,
) -> Result<Vec<ResourceStatus>, AwsError> {
    let key = &t.key;
    let canary = async {
        if depth == Depth::Evidence {
            Ok(None) // revoke-check reads the canary itself, through KMS
        } else {
            observe_object(c, t, bucket, CANARY_KEY).await.map(Some)
        }
    };
    let (enc, canary) = tokio::join!(bucket_encryption(c, t, bucket), canary);
    let enc = enc?.map(|(e, _)| e);
    let msg = match &enc {
        None => "the bucket does not exist".to_string(),
        Some(e) if e.is_key(key) => "new objects are encrypted with the key".into(),
        Some(e) => format!("new objects are encrypted with {}", e.shown()),
    };
    let mut out = vec![ResourceStatus::of(
        "s3-bucket",
        bucket,
        key,
        enc.as_ref(),
        msg,
    )];
    if let (Some(_), Some(canary)) = (&enc, canary?) {
        let msg = match &canary {
            None => "no canary object: run enable".to_string(),
            Some(e) if e.is_key(key) => "the canary object is under the key".into(),
            Some(e) => format!("the canary object is under {}", e.shown()),
        };
        out.push(ResourceStatus::of(
            "s3-canary",
            &format!("s3://{bucket}/{CANARY_KEY}"),
            key,
            canary.as_ref(),
            msg,
        ));
    }
    Ok(out)
}

async fn stream_status(
    c: &Clients,
    t: &Tenancy,
    name: &str,
) -> Result<Vec<ResourceStatus>, AwsError> {
    let key = &t.key;
    let s = describe_stream(c, t, name, name).await?;
    if !s.exists {
        return Ok(vec![ResourceStatus::of(
            "firehose-stream",
            name,
            key,
            None,
            "the stream does not exist",
        )]);
    }
    let mut msg = match (&s.encryption, s.encryption_status.as_str()) {
        (Encryption::None, _) => "server-side encryption is off".to_string(),
        (e, "ENABLED") if e.is_key(key) => "server-side encryption with the key".into(),
        (e, status) => format!("server-side encryption {status} with {}", e.shown()),
    };
    if let Some((kind, details)) = &s.encryption_failure {
        msg.push_str(&format!("; Firehose reports {kind}: {details}"));
    }
    let mut out = vec![
        ResourceStatus::of("firehose-stream", name, key, Some(&s.encryption), msg)
            .status(format!("{} / {}", s.status, s.encryption_status)),
    ];
    if !s.destination_id.is_empty() {
        let msg = if s.destination_encryption.is_key(key) {
            format!("delivers into {} under the key", s.destination_bucket)
        } else {
            format!(
                "delivers into {} under {}",
                s.destination_bucket,
                s.destination_encryption.shown()
            )
        };
        out.push(ResourceStatus::of(
            "firehose-destination",
            &format!("{name}/{}", s.destination_id),
            key,
            Some(&s.destination_encryption),
            msg,
        ));
    }
    Ok(out)
}

async fn database_status(
    c: &Clients,
    t: &Tenancy,
    id: &str,
    depth: Depth,
) -> Result<Vec<ResourceStatus>, AwsError> {
    let key = &t.key;
    let snaps = async {
        if depth != Depth::Lean {
            Some(
                c.rds
                    .describe_db_snapshots()
                    .db_instance_identifier(id)
                    .send()
                    .await,
            )
        } else {
            None
        }
    };
    let (db, snaps) = tokio::join!(crate::state::observe_database(c, t, id), snaps);
    let db = db?;
    if !db.exists {
        return Ok(vec![ResourceStatus::of(
            "rds-instance",
            id,
            key,
            None,
            "the database does not exist",
        )]);
    }
    let mut msg = if db.encryption.is_key(key) {
        "storage encrypted with the key".to_string()
    } else {
        format!("storage encrypted with {}", db.encryption.shown())
    };
    match db.status.as_str() {
        "inaccessible-encryption-credentials-recoverable" => msg.push_str(
            "; RDS cannot use the key: once the key is enabled again, start the database (aws rds start-db-instance) within 7 days of the key becoming inaccessible",
        ),
        "inaccessible-encryption-credentials" => msg.push_str(
            "; RDS lost the key for good: only a restore from a backup helps",
        ),
        "stopped" => msg.push_str("; the database is stopped: start it (aws rds start-db-instance)"),
        _ => {}
    }
    let mut out = vec![
        ResourceStatus::of("rds-instance", id, key, Some(&db.encryption), msg)
            .status(db.status.clone()),
    ];
    if let Some(secret) = &db.secret_encryption {
        out.push(ResourceStatus::of(
            "rds-secret",
            &format!("{id}/master-user-secret"),
            key,
            Some(secret),
            "the AWS-managed master password secret",
        ));
    }
    if let Some(pi) = &db.insights_encryption {
        out.push(ResourceStatus::of(
            "rds-insights",
            &format!("{id}/performance-insights"),
            key,
            Some(pi),
            "Performance Insights data",
        ));
    }
    if let Some(snaps) = snaps {
        let snaps = snaps.map_err(err("rds", "DescribeDBSnapshots", t.ep()))?;
        for s in snaps.db_snapshots() {
            let enc = if s.encrypted() == Some(true) {
                Encryption::kms(s.kms_key_id())
            } else {
                Encryption::None
            };
            let name = s.db_snapshot_identifier().unwrap_or_default();
            out.push(
                ResourceStatus::of(
                    "rds-snapshot",
                    name,
                    key,
                    Some(&enc),
                    format!("{} snapshot of {id}", s.snapshot_type().unwrap_or("a")),
                )
                .status(s.status().unwrap_or_default()),
            );
        }
    }
    Ok(out)
}

/// Finds the key a tenant is expected to use: the option, else the record, else the tags of its
/// first bucket.
pub async fn expected_key(
    c: &Clients,
    t_env: &crate::environment::Environment,
    tenant: &crate::input::TenantId,
    account: &str,
    region: &str,
    option: Option<&KeyArn>,
    endpoint: Option<&str>,
) -> Result<(Option<KeyArn>, Option<Record>, &'static str), Error> {
    let registry = Registry::for_environment(t_env, account, region, endpoint.map(str::to_string));
    let record = registry.read_record(c, tenant.as_str()).await?;
    if let Some(k) = option {
        return Ok((Some(k.clone()), record, "option"));
    }
    if let Some(r) = &record {
        if let Ok(k) = r.key_arn.parse() {
            return Ok((Some(k), record, "record"));
        }
    }
    let names = t_env.tenant_names(tenant, account, region);
    if let Some((_, bucket)) = names.buckets.first() {
        if let Ok(tags) = c.s3.get_bucket_tagging().bucket(bucket).send().await {
            if let Some(k) = tags
                .tag_set()
                .iter()
                .find(|t| t.key() == crate::state::TAG_KEY)
                .and_then(|t| t.value().parse().ok())
            {
                return Ok((Some(k), None, "tags"));
            }
        }
    }
    Ok((None, None, "none"))
}

/// `status --tenant`.
pub async fn tenant_status(
    c: &Clients,
    t: &Tenancy,
    record: Option<&Record>,
    key_source: &'static str,
) -> Result<StatusReport, Error> {
    let res = resources_of(t, record);
    let (key, resources) = tokio::join!(
        key_view(&c.kms, &t.key, true, t.ep()),
        resource_statuses(c, t, &res, Depth::Full)
    );
    let key = key?;
    let resources = resources?;
    let summary = count(&resources);
    let ok = summary.drift + summary.unencrypted + summary.missing == 0;
    let mut next = vec![];
    if !ok {
        next.push("run `cmek enable` with the tenant's key to bring drifted or missing resources back to the key (a database on another key needs --migrate-database)".into());
    }
    if resources.iter().any(|r| {
        r.kind == "rds-instance"
            && matches!(
                r.status.as_deref(),
                Some("stopped") | Some("inaccessible-encryption-credentials-recoverable")
            )
    }) && key.enabled()
    {
        next.push("the key is enabled again but the database is stopped: start it (aws rds start-db-instance --db-instance-identifier …)".into());
    }
    if key.rotation == Some(true) {
        next.push(
            "automatic rotation is on for the key: Speedscale asks customers to keep it off".into(),
        );
    }
    let mut head = TenantHead::new("status", t, key_source, key);
    head.verdict = if ok { "ok" } else { "drift" };
    Ok(StatusReport {
        head,
        resources,
        summary,
        next,
    })
}

/// One tenant in `status --all`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FleetRow {
    /// The tenant.
    pub tenant: String,
    /// ok, drift, or unreachable (our side: throttled past retries, network, our IAM).
    pub verdict: &'static str,
    /// The tenant's key.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub key_arn: Option<String>,
    /// The key's state.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub key_state: Option<String>,
    /// Counts.
    pub summary: StateCounts,
    /// Why, when not ok.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
}

/// The result of `status --all`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FleetReport {
    /// Always [`SCHEMA_VERSION`].
    pub schema_version: u32,
    /// Always `status`.
    pub command: &'static str,
    /// ok, drift, or unreachable (no drift found but some tenants could not be read).
    pub verdict: &'static str,
    /// Speedscale's account.
    pub account: String,
    /// The region.
    pub region: String,
    /// One row per onboarded tenant, by tenant id.
    pub tenants: Vec<FleetRow>,
    /// Tenants per verdict.
    pub counts: FleetCounts,
}

/// Tenants per verdict.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct FleetCounts {
    /// All resources on the key.
    pub ok: usize,
    /// Something is not.
    pub drift: usize,
    /// Could not be read.
    pub unreachable: usize,
}

/// How many tenants `status --all` reads at once.
pub const FLEET_CONCURRENCY: usize = 32;

/// `status --all`: every tenant in the registry, `FLEET_CONCURRENCY` at a time, at most one call
/// per resource (record, DescribeKey, bucket encryption, canary, stream, database). A tenant whose
/// reads fail on our side past retries is `unreachable`; the run goes on.
pub async fn fleet_status(
    c: &Clients,
    env: &crate::environment::Environment,
    account: &str,
    region: &str,
    endpoint: Option<String>,
    on_done: &(dyn Fn(usize, usize) + Sync),
) -> Result<FleetReport, Error> {
    use futures_util::stream::{self, StreamExt};
    let registry = Registry::for_environment(env, account, region, endpoint.clone());
    let tenants = registry.list_tenants(c).await?;
    let total = tenants.len();
    let done = std::sync::atomic::AtomicUsize::new(0);
    on_done(0, total);
    let mut rows: Vec<FleetRow> = stream::iter(tenants)
        .map(|tenant| {
            let (registry, endpoint, done) = (&registry, &endpoint, &done);
            async move {
                let row = fleet_row(c, env, registry, account, region, endpoint, &tenant).await;
                let n = done.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1;
                on_done(n, total);
                row
            }
        })
        .buffer_unordered(FLEET_CONCURRENCY)
        .collect()
        .await;
    rows.sort_by(|a, b| a.tenant.cmp(&b.tenant));
    let mut counts = FleetCounts::default();
    for r in &rows {
        match r.verdict {
            "ok" => counts.ok += 1,
            "drift" => counts.drift += 1,
            _ => counts.unreachable += 1,
        }
    }
    Ok(FleetReport {
        schema_version: SCHEMA_VERSION,
        command: "status",
        verdict: if counts.drift > 0 {
            "drift"
        } else if counts.unreachable > 0 {
            "unreachable"
        } else {
            "ok"
        },
        account: account.into(),
        region: region.into(),
        tenants: rows,
        counts,
    })
}

async fn fleet_row(
    c: &Clients,
    env: &crate::environment::Environment,
    registry: &Registry,
    account: &str,
    region: &str,
    endpoint: &Option<String>,
    tenant: &str,
) -> FleetRow {
    let mut row = FleetRow {
        tenant: tenant.into(),
        verdict: "unreachable",
        key_arn: None,
        key_state: None,
        summary: StateCounts::default(),
        message: None,
    };
    let record = match registry.read_record(c, tenant).await {
        Ok(Some(r)) => r,
        Ok(None) => {
            row.message = Some("the record disappeared while listing".into());
            return row;
        }
        Err(e) => {
            row.message = Some(e.to_string());
            return row;
        }
    };
    let (Ok(tid), Ok(key)) = (
        record.tenant.parse::<crate::input::TenantId>(),
        record.key_arn.parse::<KeyArn>(),
    ) else {
        row.verdict = "drift";
        row.message = Some("the record names an invalid tenant or key".into());
        return row;
    };
    row.key_arn = Some(key.to_string());
    let t = Tenancy::new(tid, key, account, region, env.clone(), endpoint.clone());
    let (kv, res) = tokio::join!(
        key_view(&c.kms, &t.key, false, t.ep()),
        resource_statuses(c, &t, &record.resources, Depth::Lean)
    );
    match (kv, res) {
        (Ok(kv), Ok(res)) => {
            row.key_state = Some(kv.state);
            row.summary = count(&res);
            let bad: Vec<String> = res
                .iter()
                .filter(|r| r.state != "ok")
                .map(|r| format!("{} {}", r.id, r.state))
                .collect();
            if bad.is_empty() {
                row.verdict = "ok";
            } else {
                row.verdict = "drift";
                row.message = Some(bad.join(", "));
            }
        }
        (Err(e), _) | (_, Err(e)) => row.message = Some(format!("unreachable: {e}")),
    }
    row
}
