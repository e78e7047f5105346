//! The environment's registry: a Speedscale-owned S3 bucket holding the record of every onboarded
//! tenant (`<prefix>tenants/<tenant>.json`), an audit event per `enable` apply
//! (`<prefix>audit/<tenant>/<time>-<run>.json`) and the per-tenant lock
//! (`<prefix>locks/<tenant>.json`, taken with S3 conditional writes). It holds no tenant data.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use aws_sdk_s3::primitives::ByteStream;
use serde::{Deserialize, Serialize};

use crate::aws::Clients;
use crate::error::{AwsError, Error};
use crate::plan::PlanOptions;
use crate::state::{err, migrated_identifier, Observed, Tenancy};

/// How long a lock lives when its run does not release it (a crashed run).
pub const LOCK_TTL: Duration = Duration::from_secs(2 * 60 * 60);

/// The resources a tenant record lists.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Resources {
    /// Bucket names.
    pub buckets: Vec<String>,
    /// Stream names.
    pub streams: Vec<String>,
    /// The database identifier in use (a migrated one when migrated).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub database: Option<String>,
    /// The database a migration left in place, for cut-over.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub replaced_database: Option<String>,
    /// The delivery role cmek manages.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<String>,
}

impl Resources {
    /// The resources `enable` brings this tenant to.
    pub fn of(t: &Tenancy, o: &Observed, opts: PlanOptions) -> Self {
        let (database, replaced_database) = match &o.database {
            None => (None, None),
            Some(db) => {
                let migrated = o.migrated.is_some()
                    || (db.exists && !db.encryption.is_key(&t.key) && opts.migrate_database);
                if migrated {
                    (
                        Some(migrated_identifier(&db.identifier)),
                        Some(db.identifier.clone()),
                    )
                } else {
                    (Some(db.identifier.clone()), None)
                }
            }
        };
        Self {
            buckets: t.names.buckets.iter().map(|b| b.1.clone()).collect(),
            streams: t.names.streams.iter().map(|s| s.1.clone()).collect(),
            database,
            replaced_database,
            role: o.role.as_ref().map(|r| r.name.clone()),
        }
    }
}

/// One onboarded tenant.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Record {
    /// Always 1.
    pub schema_version: u32,
    /// The tenant.
    pub tenant: String,
    /// The customer key.
    pub key_arn: String,
    /// The environment's name.
    pub environment: String,
    /// Speedscale's account.
    pub account: String,
    /// The region.
    pub region: String,
    /// What cmek manages for the tenant.
    pub resources: Resources,
    /// Who onboarded it first (STS caller ARN).
    pub enabled_by: String,
    /// When (RFC 3339).
    pub enabled_at: String,
    /// Who last changed it.
    pub updated_by: String,
    /// When.
    pub updated_at: String,
    /// The cmek version that last wrote it.
    pub cmek_version: String,
}

/// The registry of one environment.
#[derive(Debug, Clone)]
pub struct Registry {
    /// The bucket.
    pub bucket: String,
    /// The key prefix.
    pub prefix: String,
    endpoint: Option<String>,
}

/// The lock a run holds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Lock {
    /// The tenant.
    pub tenant: String,
    /// Who holds it.
    pub holder: String,
    /// The run holding it (what --break-lock names).
    pub run_id: String,
    /// When it was taken (Unix seconds).
    pub acquired: u64,
    /// When it expires (Unix seconds).
    pub expires: u64,
    /// The lock object's ETag (not stored).
    #[serde(skip)]
    pub etag: String,
}

/// Why a lock could not be taken.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LockRefusal {
    /// Another run holds it.
    Held(Lock),
    /// `--break-lock` named a run that does not hold the lock.
    NotHolder {
        /// The run named.
        named: String,
        /// The lock as it is, if any.
        current: Option<Lock>,
    },
}

impl std::fmt::Display for LockRefusal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            LockRefusal::Held(l) => write!(
                f,
                "tenant {} is locked by {} (run {}, since {}); the lock expires at {}; if that run is dead, rerun with --break-lock {}",
                l.tenant,
                l.holder,
                l.run_id,
                rfc3339(l.acquired),
                rfc3339(l.expires),
                l.run_id
            ),
            LockRefusal::NotHolder { named, current } => match current {
                Some(l) => write!(
                    f,
                    "--break-lock {named}: the lock on tenant {} is held by run {}, not {named}",
                    l.tenant, l.run_id
                ),
                None => write!(f, "--break-lock {named}: the tenant is not locked"),
            },
        }
    }
}

/// Unix seconds now.
pub fn now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
}

/// RFC 3339 of Unix seconds.
pub fn rfc3339(secs: u64) -> String {
    aws_smithy_types::DateTime::from_secs(secs as i64)
        .fmt(aws_smithy_types::date_time::Format::DateTime)
        .unwrap_or_else(|_| secs.to_string())
}

/// A run id: unique enough to tell runs apart in locks and audit keys.
pub fn run_id() -> String {
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or(0);
    format!(
        "{:x}{:04x}",
        nanos & 0xffff_ffff_ffff,
        std::process::id() & 0xffff
    )
}

impl Registry {
    /// The registry of an environment.
    pub fn new(t: &Tenancy) -> Self {
        Self {
            bucket: t.env.registry_bucket(&t.account, &t.region),
            prefix: t.env.registry.prefix.clone(),
            endpoint: t.endpoint.clone(),
        }
    }

    /// For `status --all`: the registry without a tenant.
    pub fn for_environment(
        env: &crate::environment::Environment,
        account: &str,
        region: &str,
        endpoint: Option<String>,
    ) -> Self {
        Self {
            bucket: env.registry_bucket(account, region),
            prefix: env.registry.prefix.clone(),
            endpoint,
        }
    }

    fn ep(&self) -> Option<&str> {
        self.endpoint.as_deref()
    }

    fn record_key(&self, tenant: &str) -> String {
        format!("{}tenants/{tenant}.json", self.prefix)
    }

    fn lock_key(&self, tenant: &str) -> String {
        format!("{}locks/{tenant}.json", self.prefix)
    }

    /// Creates the registry bucket when missing: private, owner-enforced, SSE-S3 by default.
    pub async fn ensure(&self, c: &Clients) -> Result<(), AwsError> {
        let ep = self.ep();
        match c.s3.head_bucket().bucket(&self.bucket).send().await {
            Ok(_) => return Ok(()),
            Err(e) => {
                let e = AwsError::from_sdk("s3", "HeadBucket", &e).at(ep);
                if !(e.http_status == Some(404) || e.is("NotFound")) {
                    return Err(e);
                }
            }
        }
        let mut create = c.s3.create_bucket().bucket(&self.bucket);
        if c.region != "us-east-1" {
            create = create.create_bucket_configuration(
                aws_sdk_s3::types::CreateBucketConfiguration::builder()
                    .location_constraint(c.region.as_str().into())
                    .build(),
            );
        }
        if let Err(e) = create.send().await {
            let e = err("s3", "CreateBucket", ep)(e);
            if !e.is("BucketAlreadyOwnedByYou") {
                return Err(e);
            }
        }
        crate::apply::block_public_access(c, &self.bucket, ep).await?;
        Ok(())
    }

    /// The tenant's record, if any.
    pub async fn read_record(&self, c: &Clients, tenant: &str) -> Result<Option<Record>, Error> {
        match self.get_json(c, &self.record_key(tenant)).await? {
            None => Ok(None),
            Some((bytes, _)) => serde_json::from_slice(&bytes).map(Some).map_err(|e| {
                Error::Local(format!(
                    "the registry record s3://{}/{} is not a cmek record: {e}",
                    self.bucket,
                    self.record_key(tenant)
                ))
            }),
        }
    }

    /// Writes the tenant's record.
    pub async fn write_record(&self, c: &Clients, record: &Record) -> Result<(), AwsError> {
        let body = serde_json::to_vec_pretty(record).unwrap_or_default();
        c.s3.put_object()
            .bucket(&self.bucket)
            .key(self.record_key(&record.tenant))
            .content_type("application/json")
            .body(ByteStream::from(body))
            .send()
            .await
            .map_err(err("s3", "PutObject", self.ep()))?;
        Ok(())
    }

    /// Every tenant record (for `status --all`).
    pub async fn list_tenants(&self, c: &Clients) -> Result<Vec<String>, AwsError> {
        let prefix = format!("{}tenants/", self.prefix);
        let mut out = vec![];
        let mut token = None;
        loop {
            let page = match c
                .s3
                .list_objects_v2()
                .bucket(&self.bucket)
                .prefix(&prefix)
                .set_continuation_token(token.take())
                .send()
                .await
            {
                Ok(p) => p,
                Err(e) => {
                    let e = err("s3", "ListObjectsV2", self.ep())(e);
                    if e.is("NoSuchBucket") {
                        return Ok(out);
                    }
                    return Err(e);
                }
            };
            out.extend(page.contents().iter().filter_map(|o| {
                o.key()?
                    .strip_prefix(&prefix)?
                    .strip_suffix(".json")
                    .map(str::to_string)
            }));
            match page.next_continuation_token() {
                Some(t) if page.is_truncated() == Some(true) => token = Some(t.to_string()),
                _ => break,
            }
        }
        Ok(out)
    }

    /// Appends an audit event.
    pub async fn audit(
        &self,
        c: &Clients,
        tenant: &str,
        run: &str,
        event: &serde_json::Value,
    ) -> Result<String, AwsError> {
        let key = format!(
            "{}audit/{tenant}/{}-{run}.json",
            self.prefix,
            rfc3339(now()).replace(':', "")
        );
        c.s3.put_object()
            .bucket(&self.bucket)
            .key(&key)
            .content_type("application/json")
            .if_none_match("*")
            .body(ByteStream::from(
                serde_json::to_vec_pretty(event).unwrap_or_default(),
            ))
            .send()
            .await
            .map_err(err("s3", "PutObject", self.ep()))?;
        Ok(format!("s3://{}/{key}", self.bucket))
    }

    async fn get_json(
        &self,
        c: &Clients,
        key: &str,
    ) -> Result<Option<(Vec<u8>, String)>, AwsError> {
        match c.s3.get_object().bucket(&self.bucket).key(key).send().await {
            Ok(out) => {
                let etag = out.e_tag().unwrap_or_default().to_string();
                let bytes = out.body.collect().await.map_err(|e| {
                    AwsError::service("s3", "GetObject", "ReadError", &e.to_string())
                })?;
                Ok(Some((bytes.to_vec(), etag)))
            }
            Err(e) => {
                let e = err("s3", "GetObject", self.ep())(e);
                if e.is("NoSuchKey") || e.is("NoSuchBucket") || e.http_status == Some(404) {
                    Ok(None)
                } else {
                    Err(e)
                }
            }
        }
    }

    /// The lock as it is, if any.
    pub async fn read_lock(&self, c: &Clients, tenant: &str) -> Result<Option<Lock>, AwsError> {
        Ok(self
            .get_json(c, &self.lock_key(tenant))
            .await?
            .and_then(|(bytes, etag)| {
                serde_json::from_slice::<Lock>(&bytes)
                    .ok()
                    .map(|l| Lock { etag, ..l })
            }))
    }

    /// Takes the tenant's lock: a PutObject with `If-None-Match: *`; an expired lock (or the one
    /// `break_run` names) is replaced with `If-Match` on its ETag, so two runs cannot both win.
    pub async fn acquire(
        &self,
        c: &Clients,
        tenant: &str,
        holder: &str,
        run: &str,
        break_run: Option<&str>,
    ) -> Result<Result<Lock, LockRefusal>, AwsError> {
        let t = now();
        let mut lock = Lock {
            tenant: tenant.into(),
            holder: holder.into(),
            run_id: run.into(),
            acquired: t,
            expires: t + LOCK_TTL.as_secs(),
            etag: String::new(),
        };
        let key = self.lock_key(tenant);
        let body = serde_json::to_vec(&lock).unwrap_or_default();
        let put = |cond: Result<&str, &str>| {
            let req =
                c.s3.put_object()
                    .bucket(&self.bucket)
                    .key(&key)
                    .content_type("application/json")
                    .body(ByteStream::from(body.clone()));
            match cond {
                Ok(none) => req.if_none_match(none),
                Err(etag) => req.if_match(etag),
            }
            .send()
        };
        match put(Ok("*")).await {
            Ok(out) => {
                lock.etag = out.e_tag().unwrap_or_default().to_string();
                return Ok(Ok(lock));
            }
            Err(e) => {
                let e = err("s3", "PutObject", self.ep())(e);
                if !is_precondition(&e) {
                    return Err(e);
                }
            }
        }
        let current = self.read_lock(c, tenant).await?;
        let Some(current) = current else {
            // Released between our write and our read: one more try, then report.
            return match put(Ok("*")).await {
                Ok(out) => {
                    lock.etag = out.e_tag().unwrap_or_default().to_string();
                    Ok(Ok(lock))
                }
                Err(e) => Err(err("s3", "PutObject", self.ep())(e)),
            };
        };
        let may_take = match break_run {
            Some(named) if named == current.run_id => true,
            Some(named) => {
                return Ok(Err(LockRefusal::NotHolder {
                    named: named.into(),
                    current: Some(current),
                }))
            }
            None => current.expires <= t,
        };
        if !may_take {
            return Ok(Err(LockRefusal::Held(current)));
        }
        match put(Err(&current.etag)).await {
            Ok(out) => {
                lock.etag = out.e_tag().unwrap_or_default().to_string();
                Ok(Ok(lock))
            }
            Err(e) => {
                let e = err("s3", "PutObject", self.ep())(e);
                if is_precondition(&e) {
                    // Someone else took it over first.
                    match self.read_lock(c, tenant).await? {
                        Some(l) => Ok(Err(LockRefusal::Held(l))),
                        None => Err(e),
                    }
                } else {
                    Err(e)
                }
            }
        }
    }

    /// Extends a lock this run holds by [`LOCK_TTL`] (`If-Match` on its ETag). `Ok(false)` when it
    /// is no longer ours: someone broke it.
    pub async fn renew(&self, c: &Clients, lock: &mut Lock) -> Result<bool, AwsError> {
        let mut renewed = lock.clone();
        renewed.expires = now() + LOCK_TTL.as_secs();
        let body = serde_json::to_vec(&renewed).unwrap_or_default();
        match c
            .s3
            .put_object()
            .bucket(&self.bucket)
            .key(self.lock_key(&lock.tenant))
            .content_type("application/json")
            .if_match(&lock.etag)
            .body(ByteStream::from(body))
            .send()
            .await
        {
            Ok(out) => {
                renewed.etag = out.e_tag().unwrap_or_default().to_string();
                *lock = renewed;
                Ok(true)
            }
            Err(e) => {
                let e = err("s3", "PutObject", self.ep())(e);
                if is_precondition(&e) {
                    Ok(false)
                } else {
                    Err(e)
                }
            }
        }
    }

    /// Releases a lock this run holds (only if it is still ours: `If-Match` on its ETag).
    pub async fn release(&self, c: &Clients, lock: &Lock) -> Result<(), AwsError> {
        let key = self.lock_key(&lock.tenant);
        match self.read_lock(c, &lock.tenant).await? {
            Some(l) if l.run_id == lock.run_id => {}
            _ => return Ok(()),
        }
        c.s3.delete_object()
            .bucket(&self.bucket)
            .key(&key)
            .if_match(&lock.etag)
            .send()
            .await
            .map_err(err("s3", "DeleteObject", self.ep()))?;
        Ok(())
    }
}

fn is_precondition(e: &AwsError) -> bool {
    e.http_status == Some(412)
        || e.http_status == Some(409)
        || e.is("PreconditionFailed")
        || e.is("ConditionalRequestConflict")
}
