//! `revoke-check`: would (or did) disabling the key cut Speedscale off? Every data path is probed
//! read-only: KMS directly (GenerateDataKey then Decrypt with verify's encryption context), S3 by
//! reading the canary object (GetObject: HeadObject never calls KMS), the buckets' other objects by
//! their metadata (HeadObject: no tenant data is read), Firehose by its encryption configuration
//! (writing a record would be tenant data), RDS by the database's state and its snapshots' keys.
//! Failures on our own side (network, throttling, our IAM) are errors (exit 3), never a verdict.

use serde::Serialize;

use crate::aws::Clients;
use crate::error::{AwsError, Error};
use crate::registry::Record;
use crate::report::{summarize, Check, Status, Summary};
use crate::state::{err, scan_objects, Tenancy, CANARY_KEY};
use crate::status::{
    key_view, resource_statuses, resources_of, Depth, KeyView, ResourceStatus, TenantHead,
};
use crate::verify::{round_trip, VerifyRequest};

/// Every check id `revoke-check` can emit.
pub const REVOKE_CHECK_IDS: &[&str] = &[
    "revoke-key-state",
    "revoke-kms-round-trip",
    "revoke-s3-bucket",
    "revoke-s3-canary",
    "revoke-s3-objects",
    "revoke-s3-versions",
    "revoke-firehose-encryption",
    "revoke-firehose-destination",
    "revoke-rds-storage",
    "revoke-rds-state",
    "revoke-rds-secret",
    "revoke-rds-insights",
    "revoke-rds-snapshot",
    "revoke-rds-replaced",
];

/// Objects examined per bucket by default.
pub const DEFAULT_SCAN_LIMIT: u64 = 10_000;

/// The result of `revoke-check`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RevokeReport {
    /// schema_version, command (`revoke-check`), verdict (ready, exposed, revoked, partial),
    /// tenant, key_arn, key_source, account, region, and the key as Speedscale sees it.
    #[serde(flatten)]
    pub head: TenantHead,
    /// Whether Speedscale can use the key right now.
    pub key_usable: bool,
    /// The evidence, one check per data path: `pass` depends on the key (or is cut off), `fail`
    /// survives a revocation (or is still readable), `warn` a caveat.
    pub checks: Vec<Check>,
    /// Counts.
    pub summary: Summary,
    /// What to do next.
    pub next: Vec<String>,
}

impl RevokeReport {
    /// Whether the answer is yes (ready or revoked).
    pub fn is_yes(&self) -> bool {
        matches!(self.head.verdict, "ready" | "revoked")
    }
}

/// Progress of the object scan.
pub type ScanProgress<'a> = &'a (dyn Fn(&str, u64) + Sync);

/// Runs every probe. `Err` only on our own side.
pub async fn revoke_check(
    c: &Clients,
    t: &Tenancy,
    record: Option<&Record>,
    key_source: &'static str,
    scan_limit: u64,
    progress: ScanProgress<'_>,
) -> Result<RevokeReport, Error> {
    let res = resources_of(t, record);
    let req = VerifyRequest {
        tenant: t.tenant.clone(),
        key: t.key.clone(),
        account: t.account.clone(),
        region: t.region.clone(),
        probe: None,
        endpoint: t.endpoint.clone(),
    };
    let canaries = futures_util::future::join_all(res.buckets.iter().map(|b| read_canary(c, t, b)));
    let scans = futures_util::future::join_all(res.buckets.iter().map(|b| async move {
        let r = scan_objects(c, t, b, Some(scan_limit), None).await;
        progress(b, r.as_ref().map(|s| s.examined).unwrap_or(0));
        r
    }));
    let versions = futures_util::future::join_all(
        res.buckets
            .iter()
            .map(|b| noncurrent_versions(c, t, b, scan_limit)),
    );
    let (key, rt, statuses, canaries, scans, versions) = tokio::join!(
        key_view(&c.kms, &t.key, false, t.ep()),
        round_trip(&c.kms, &req),
        resource_statuses(c, t, &res, Depth::Evidence),
        canaries,
        scans,
        versions
    );
    let key = key?;
    let statuses = statuses?;
    let rt_refusal = match &rt {
        Ok(()) => None,
        Err(e) if e.is_our_side() => return Err(e.clone().into()),
        Err(e) => Some(e.clone()),
    };
    let usable = key.enabled() && rt_refusal.is_none();
    let arn = t.key.as_str();
    let mut checks = vec![];

    // The key's state is evidence either way: usable (ready/exposed) or not (revoked/partial).
    checks.push(Check::new(
        "revoke-key-state",
        Status::Pass,
        arn,
        key.message.clone(),
    ));
    checks.push(match &rt_refusal {
        None => Check::new(
            "revoke-kms-round-trip",
            Status::Pass,
            arn,
            "Speedscale can use the key: GenerateDataKey and Decrypt succeed",
        ),
        Some(e) => Check::new(
            "revoke-kms-round-trip",
            Status::Pass,
            arn,
            format!(
                "refused to Speedscale: {} on {} ({})",
                e.code(),
                e.operation,
                first_sentence(e.message())
            ),
        )
        .aws_error(e.code()),
    });

    for (bucket, canary) in res.buckets.iter().zip(canaries) {
        let canary = canary?;
        let resource = format!("s3://{bucket}/{CANARY_KEY}");
        checks.push(match canary {
            Canary::Missing => Check::new(
                "revoke-s3-canary",
                Status::Warn,
                resource,
                "no canary object to read: run enable; S3 reads are judged by the bucket's encryption alone",
            ),
            Canary::Readable if usable => Check::new(
                "revoke-s3-canary",
                Status::Pass,
                resource,
                "readable now, through the key",
            ),
            Canary::Readable => Check::new(
                "revoke-s3-canary",
                Status::Fail,
                resource,
                "still readable although the key is not usable: S3 Bucket Keys may serve reads for a short while after a revocation; run revoke-check again in a few minutes",
            ),
            Canary::Refused(e) if usable => Check::new(
                "revoke-s3-canary",
                Status::Warn,
                resource,
                format!(
                    "refused although the key is usable directly: S3 may not use the key ({})",
                    first_sentence(e.message())
                ),
            )
            .aws_error(e.code()),
            Canary::Refused(e) => Check::new(
                "revoke-s3-canary",
                Status::Pass,
                resource,
                format!(
                    "GetObject refused: {} ({})",
                    e.code(),
                    first_sentence(e.message())
                ),
            )
            .aws_error(e.code()),
        });
    }
    for (bucket, scan) in res.buckets.iter().zip(scans) {
        let scan = scan?;
        let resource = format!("s3://{bucket}");
        let scope = if scan.complete {
            format!("all {} objects examined", scan.examined)
        } else {
            format!(
                "the first {} objects examined (the scan stopped at the limit; raise --scan-limit for a complete answer)",
                scan.examined
            )
        };
        checks.push(if scan.stale == 0 {
            Check::new(
                "revoke-s3-objects",
                if scan.complete { Status::Pass } else { Status::Warn },
                resource,
                format!("every object is under the key; {scope}"),
            )
        } else {
            let examples: Vec<String> = scan
                .examples
                .iter()
                .map(|(k, e)| format!("{k} ({e})"))
                .collect();
            Check::new(
                "revoke-s3-objects",
                Status::Fail,
                resource,
                format!(
                    "{} objects are not under the key and stay readable without it, e.g. {}; {scope}",
                    scan.stale,
                    examples.join(", ")
                ),
            )
            .remedy("run `cmek enable --reencrypt-objects` to copy them in place under the key")
        });
    }
    for (bucket, v) in res.buckets.iter().zip(versions) {
        let Some(v) = v? else { continue };
        let resource = format!("s3://{bucket}");
        let scope = if v.complete {
            format!("all {} noncurrent versions examined", v.examined)
        } else {
            format!("the first {} noncurrent versions examined", v.examined)
        };
        checks.push(if v.stale == 0 {
            Check::new(
                "revoke-s3-versions",
                if v.complete { Status::Pass } else { Status::Warn },
                resource,
                format!("the bucket is versioned; every noncurrent version is under the key; {scope}"),
            )
        } else {
            let examples: Vec<String> = v
                .examples
                .iter()
                .map(|(k, e)| format!("{k} ({e})"))
                .collect();
            Check::new(
                "revoke-s3-versions",
                Status::Fail,
                resource,
                format!(
                    "{} noncurrent versions are not under the key and stay readable without it, e.g. {}; {scope}",
                    v.stale,
                    examples.join(", ")
                ),
            )
            .remedy("re-encryption copies current versions only; a lifecycle rule expiring noncurrent versions removes these (the customer's decision: cmek never deletes data)")
        });
    }
    for r in &statuses {
        if let Some(check) = resource_check(r, usable, &key) {
            checks.push(check);
        }
    }

    let any_fail = checks.iter().any(|c| c.status == Status::Fail);
    let verdict = match (usable, any_fail) {
        (true, false) => "ready",
        (true, true) => "exposed",
        (false, false) => "revoked",
        (false, true) => "partial",
    };
    let next = next_steps(verdict, &statuses, &key);
    let mut head = TenantHead::new("revoke-check", t, key_source, key);
    head.verdict = verdict;
    Ok(RevokeReport {
        head,
        summary: summarize(&checks),
        key_usable: usable,
        checks,
        next,
    })
}

fn first_sentence(m: &str) -> String {
    let m = m.trim();
    match m.find(". ") {
        Some(i) => m[..i].to_string(),
        None => m.trim_end_matches('.').to_string(),
    }
}

fn resource_check(r: &ResourceStatus, usable: bool, key: &KeyView) -> Option<Check> {
    let on_key = r.state == "ok";
    let gap = |id: &'static str, what: &str| {
        Check::new(
            id,
            Status::Fail,
            &r.resource,
            format!(
                "{what} is under {} and does not depend on the key",
                r.actual_key
            ),
        )
    };
    Some(match r.kind {
        "s3-bucket" if r.state == "missing" => Check::new(
            "revoke-s3-bucket",
            Status::Warn,
            &r.resource,
            "the bucket does not exist",
        ),
        "s3-bucket" if on_key => Check::new(
            "revoke-s3-bucket",
            Status::Pass,
            &r.resource,
            "new objects are encrypted with the key",
        ),
        "s3-bucket" => gap("revoke-s3-bucket", "the bucket's default encryption")
            .remedy("run `cmek enable` to move the bucket's default encryption to the key"),
        "firehose-stream" if r.state == "missing" => Check::new(
            "revoke-firehose-encryption",
            Status::Warn,
            &r.resource,
            "the stream does not exist",
        ),
        "firehose-stream" if on_key => {
            let failure = r
                .message
                .split_once("Firehose reports ")
                .map(|(_, f)| f.to_string());
            let msg = match (usable, failure) {
                (true, _) => "server-side encryption with the key: records cannot be encrypted without it".to_string(),
                (false, Some(f)) => format!("Firehose reports the key unusable: {f}"),
                (false, None) => format!(
                    "the key is {}: Firehose cannot encrypt new records (Firehose reports no failure yet; records are not written to prove it: that would be tenant data)",
                    key.state
                ),
            };
            Check::new("revoke-firehose-encryption", Status::Pass, &r.resource, msg)
        }
        "firehose-stream" => gap("revoke-firehose-encryption", "the stream's server-side encryption")
            .remedy("run `cmek enable` to start encryption with the key"),
        "firehose-destination" if on_key => Check::new(
            "revoke-firehose-destination",
            Status::Pass,
            &r.resource,
            r.message.clone(),
        ),
        "firehose-destination" => gap("revoke-firehose-destination", "what Firehose writes to S3")
            .remedy("run `cmek enable` to update the destination's KMS configuration"),
        "rds-instance" if r.state == "missing" => Check::new(
            "revoke-rds-storage",
            Status::Warn,
            &r.resource,
            "the database does not exist",
        ),
        "rds-instance" if !on_key => gap("revoke-rds-storage", "the database's storage")
            .remedy("a database's key cannot change: `cmek enable --migrate-database` restores a copy under the key"),
        "rds-instance" => return Some(rds_state(r, usable)),
        "rds-secret" if on_key => Check::new(
            "revoke-rds-secret",
            Status::Pass,
            &r.resource,
            "the master password secret is under the key",
        ),
        "rds-secret" => Check::new(
            "revoke-rds-secret",
            Status::Warn,
            &r.resource,
            format!(
                "the master password secret is under {} (a credential, not tenant data)",
                r.actual_key
            ),
        ),
        "rds-insights" if on_key => Check::new(
            "revoke-rds-insights",
            Status::Pass,
            &r.resource,
            "Performance Insights data is under the key",
        ),
        "rds-insights" => gap("revoke-rds-insights", "Performance Insights data"),
        "rds-snapshot" if on_key => Check::new(
            "revoke-rds-snapshot",
            Status::Pass,
            &r.resource,
            "the snapshot is under the key",
        ),
        "rds-snapshot" => gap("revoke-rds-snapshot", "the snapshot"),
        "rds-replaced" => Check::new(
            "revoke-rds-replaced",
            if on_key { Status::Pass } else { Status::Fail },
            &r.resource,
            format!(
                "the database a migration replaced is under {} and holds tenant data until it is retired",
                r.actual_key
            ),
        ),
        _ => return None,
    })
}

fn rds_state(r: &ResourceStatus, usable: bool) -> Check {
    let status = r.status.clone().unwrap_or_default();
    match (usable, status.as_str()) {
        (true, "inaccessible-encryption-credentials-recoverable") | (true, "stopped") => Check::new(
            "revoke-rds-state",
            Status::Warn,
            &r.resource,
            format!("the storage is under the key, but the database is {status}: start it (aws rds start-db-instance) to use it again"),
        ),
        (true, "inaccessible-encryption-credentials") => Check::new(
            "revoke-rds-state",
            Status::Warn,
            &r.resource,
            "the database lost its key for good (inaccessible-encryption-credentials): only a restore from backup helps",
        ),
        (true, _) => Check::new(
            "revoke-rds-state",
            Status::Pass,
            &r.resource,
            format!("the storage is under the key ({status})"),
        ),
        (false, "inaccessible-encryption-credentials-recoverable") => Check::new(
            "revoke-rds-state",
            Status::Pass,
            &r.resource,
            "RDS cannot use the key: the database is inaccessible-encryption-credentials-recoverable and stopped; it becomes terminal 7 days after the key became inaccessible (that moment is in the database's RDS events)",
        ),
        (false, "inaccessible-encryption-credentials") => Check::new(
            "revoke-rds-state",
            Status::Pass,
            &r.resource,
            "RDS lost the key for good (inaccessible-encryption-credentials)",
        ),
        (false, "stopped") => Check::new(
            "revoke-rds-state",
            Status::Pass,
            &r.resource,
            "the database is stopped and cannot be started while the key is unusable",
        ),
        (false, s) => Check::new(
            "revoke-rds-state",
            Status::Fail,
            &r.resource,
            format!("the database is still {s}: RDS has not reacted yet. AWS may take some time; disabling the key stops the database, while only removing Speedscale from the key policy may not stop a running one"),
        ),
    }
}

fn next_steps(verdict: &str, statuses: &[ResourceStatus], key: &KeyView) -> Vec<String> {
    let mut next = vec![];
    match verdict {
        "ready" => next.push("the customer can cut Speedscale off at any time by disabling the key".into()),
        "exposed" => next.push("fix each failing data path (see its remedy), then run revoke-check again".into()),
        "revoked" => {
            next.push("Speedscale has no access to the tenant's data. When the customer enables the key again, run `cmek status`: a stopped database must be started".into());
            if key.state == "pending-deletion" {
                next.push(format!(
                    "the key is scheduled for deletion on {}: after that the data is gone for good unless the customer cancels the deletion",
                    key.deletion_date.as_deref().unwrap_or("an unknown date")
                ));
            }
        }
        _ => next.push("something is still readable or running without the key: see the failing checks; run revoke-check again in a few minutes for paths AWS is slow to cut".into()),
    }
    if statuses
        .iter()
        .any(|r| r.kind == "rds-replaced" && r.state != "ok")
    {
        next.push(
            "retire the database the migration replaced once the application uses the new one"
                .into(),
        );
    }
    next
}

/// Noncurrent versions not under the key, when the bucket is (or was) versioned.
async fn noncurrent_versions(
    c: &Clients,
    t: &Tenancy,
    bucket: &str,
    limit: u64,
) -> Result<Option<crate::state::StaleObjects>, AwsError> {
    let versioning = match c.s3.get_bucket_versioning().bucket(bucket).send().await {
        Ok(v) => v,
        Err(e) => {
            let e = err("s3", "GetBucketVersioning", t.ep())(e);
            if e.is("NoSuchBucket") {
                return Ok(None);
            }
            return Err(e);
        }
    };
    if versioning.status().is_none() {
        return Ok(None);
    }
    crate::state::scan_noncurrent_versions(c, t, bucket, limit)
        .await
        .map(Some)
}

enum Canary {
    Missing,
    Readable,
    Refused(AwsError),
}

/// Reads the canary (it holds no tenant data) and discards it: GetObject calls KMS, HeadObject
/// would not.
async fn read_canary(c: &Clients, t: &Tenancy, bucket: &str) -> Result<Canary, AwsError> {
    match c
        .s3
        .get_object()
        .bucket(bucket)
        .key(CANARY_KEY)
        .send()
        .await
    {
        Ok(out) => {
            let _ = out.body.collect().await;
            Ok(Canary::Readable)
        }
        Err(e) => {
            let e = err("s3", "GetObject", t.ep())(e);
            if e.is("NoSuchKey") || e.is("NoSuchBucket") || e.http_status == Some(404) {
                Ok(Canary::Missing)
            } else if e.is_our_side() {
                Err(e)
            } else {
                Ok(Canary::Refused(e))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEY: &str = "arn:aws:kms:us-east-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab";

    fn res(
        kind: &'static str,
        state: &'static str,
        status: Option<&str>,
        message: &str,
    ) -> ResourceStatus {
        ResourceStatus {
            id: format!("{kind}:x"),
            kind,
            resource: "x".into(),
            expected_key: KEY.into(),
            actual_key: if state == "ok" {
                KEY.into()
            } else {
                "sse-s3".into()
            },
            state,
            status: status.map(str::to_string),
            message: message.into(),
        }
    }

    fn key(state: &str) -> KeyView {
        KeyView {
            arn: KEY.into(),
            state: state.into(),
            deletion_date: None,
            rotation: None,
            message: format!("the key is {state}"),
            aws_error: None,
        }
    }

    #[test]
    fn the_database_state_is_evidence_only_once_rds_has_reacted() {
        let db = |s| res("rds-instance", "ok", Some(s), "");
        assert_eq!(rds_state(&db("available"), true).status, Status::Pass);
        let stopped = rds_state(&db("stopped"), true);
        assert_eq!(stopped.status, Status::Warn);
        assert!(stopped.message.contains("start it"));
        let not_yet = rds_state(&db("available"), false);
        assert_eq!(not_yet.status, Status::Fail);
        assert!(not_yet.message.contains("may take") && not_yet.message.contains("key policy"));
        for s in [
            "inaccessible-encryption-credentials-recoverable",
            "inaccessible-encryption-credentials",
            "stopped",
        ] {
            assert_eq!(rds_state(&db(s), false).status, Status::Pass, "{s}");
        }
        assert!(rds_state(
            &db("inaccessible-encryption-credentials-recoverable"),
            false
        )
        .message
        .contains("7 days"));
    }

    #[test]
    fn each_data_path_off_the_key_is_a_gap_with_a_remedy() {
        let k = key("enabled");
        let bucket = resource_check(&res("s3-bucket", "drift", None, ""), true, &k).unwrap();
        assert_eq!(
            (bucket.id, bucket.status),
            ("revoke-s3-bucket", Status::Fail)
        );
        assert!(bucket.remedy.unwrap().contains("cmek enable"));
        let snap = resource_check(
            &res("rds-snapshot", "drift", Some("available"), ""),
            true,
            &k,
        )
        .unwrap();
        assert_eq!(snap.status, Status::Fail);
        let secret = resource_check(&res("rds-secret", "drift", None, ""), true, &k).unwrap();
        assert_eq!(secret.status, Status::Warn, "a credential, not tenant data");
        let db = resource_check(
            &res("rds-instance", "drift", Some("available"), ""),
            true,
            &k,
        )
        .unwrap();
        assert_eq!((db.id, db.status), ("revoke-rds-storage", Status::Fail));
        assert!(db.remedy.unwrap().contains("--migrate-database"));
        assert!(
            resource_check(&res("s3-canary", "ok", None, ""), true, &k).is_none(),
            "probed separately"
        );
    }

    #[test]
    fn firehose_is_judged_by_its_encryption_and_the_failure_it_reports() {
        let msg = "server-side encryption with the key; Firehose reports DISABLED_KMS_KEY: The KMS key is disabled.";
        let s = res("firehose-stream", "ok", Some("ACTIVE / ENABLED"), msg);
        let reported = resource_check(&s, false, &key("disabled")).unwrap();
        assert_eq!(reported.status, Status::Pass);
        assert!(reported.message.contains("DISABLED_KMS_KEY"));
        let quiet = res(
            "firehose-stream",
            "ok",
            Some("ACTIVE / ENABLED"),
            "server-side encryption with the key",
        );
        let unreported = resource_check(&quiet, false, &key("disabled")).unwrap();
        assert!(
            unreported.message.contains("not written"),
            "{}",
            unreported.message
        );
        let off = resource_check(
            &res("firehose-stream", "unencrypted", None, ""),
            true,
            &key("enabled"),
        )
        .unwrap();
        assert_eq!(off.status, Status::Fail);
    }

    #[test]
    fn next_steps_follow_the_verdict() {
        let pending = KeyView {
            deletion_date: Some("2026-12-04T00:00:00Z".into()),
            ..key("pending-deletion")
        };
        let next = next_steps("revoked", &[], &pending);
        assert!(next.iter().any(|n| n.contains("2026-12-04")));
        assert!(next_steps("ready", &[], &key("enabled"))[0].contains("at any time"));
        let replaced = res("rds-replaced", "drift", Some("available"), "");
        assert!(next_steps("exposed", &[replaced], &key("enabled"))
            .iter()
            .any(|n| n.contains("retire")));
    }
}
