//! The per-tenant lock: one run at a time changes a tenant. Taken with `If-None-Match: *`; an
//! expired lock (or the one `--break-lock` names) is replaced with `If-Match` on its ETag, so two
//! runs cannot both win.

use std::time::Duration;

use aws_sdk_s3::primitives::ByteStream;
use serde::{Deserialize, Serialize};

use super::Registry;
use crate::aws::Clients;
use crate::error::AwsError;
use crate::shared::clock::{now, rfc3339};
use crate::shared::tenancy::err;

/// How long a lock lives when its run does not release it (a crashed run).
pub const LOCK_TTL: Duration = Duration::from_secs(2 * 60 * 60);

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

impl Registry {
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
                    return Err(self.refused(c, e).await);
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
    e.is_precondition_failed() || e.http_status == Some(409) || e.is("ConditionalRequestConflict")
}
