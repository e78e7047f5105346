//! Snapshots of every report as a table and as JSON (insta; `cargo insta review` after a change
//! that is meant). The reports are built by hand, so the snapshots hold no generated id or time.

use cmek::commands::enable::{EnableReport, EnableVerdict, VerifySummary};
use cmek::commands::fleet::{FleetReport, FleetRow, FleetVerdict, RowSource};
use cmek::commands::revoke::{RevokeReport, RevokeVerdict};
use cmek::commands::status::{StatusReport, StatusVerdict};
use cmek::commands::tenancy::{KeySource, TenantHead};
use cmek::commands::verify::{VerifyReport, VerifyVerdict};
use cmek::services::kms::KeyView;
use cmek::shared::ids::{
    CheckId, Cutoff, FirehoseResource, KeyState, NoteId, RdsResource, ResourceState, S3Resource,
};
use cmek::shared::report::{summarize, Check, Remedy, Status, Summary};
use cmek::shared::resource::{count, ResourceStatus};
use cmek::shared::steps::{
    Action, Change, ChangeResult, Kind, Note, Outcome, RecordStep, S3Step, Step, StepResult,
};

use super::{json_line, EnableView, Render};

const KEY: &str = "arn:aws:kms:us-east-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab";
const BUCKET: &str = "speedscale-acme-data-222222222222-us-east-1";

/// The table without colour codes (comfy-table colours only on a terminal).
fn plain(s: String) -> String {
    let mut out = String::new();
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\u{1b}' {
            for d in chars.by_ref() {
                if d == 'm' {
                    break;
                }
            }
        } else {
            out.push(c);
        }
    }
    out
}

use super::grid::WIDTH_NOW;

fn snap<R: Render>(name: &str, report: &R) {
    insta::assert_snapshot!(format!("{name}_table"), plain(report.drawn()));
    insta::assert_snapshot!(format!("{name}_json"), json_line(report));
    for w in [60, 100, 160] {
        no_word_split(name, report, w);
    }
}

/// Every word of the report's text of 4 to 20 characters, as its JSON holds it.
fn words(v: &serde_json::Value, out: &mut std::collections::BTreeSet<String>) {
    match v {
        serde_json::Value::String(s) => {
            for w in s.split_whitespace() {
                let w = w.trim_matches(|c: char| ",.;()\"'`".contains(c));
                if (4..=20).contains(&w.chars().count()) {
                    out.insert(w.to_string());
                }
            }
        }
        serde_json::Value::Array(a) => a.iter().for_each(|x| words(x, out)),
        serde_json::Value::Object(m) => m.values().for_each(|x| words(x, out)),
        _ => {}
    }
}

/// At width `w`, no word of 20 characters or fewer is split across two lines, in a table's
/// column or in a block; and no line is wider than `w`.
fn no_word_split<R: Render>(name: &str, report: &R, w: u16) {
    WIDTH_NOW.with(|x| x.set(w));
    let text = plain(report.drawn());
    WIDTH_NOW.with(|x| x.set(super::WIDTH));
    let mut all = std::collections::BTreeSet::new();
    words(&serde_json::to_value(report).unwrap(), &mut all);
    let columns = |l: &str| -> Vec<String> {
        l.split(['│', '┆']).map(|c| c.trim().to_string()).collect()
    };
    let lines: Vec<&str> = text.lines().collect();
    for pair in lines.windows(2) {
        let (a, b) = (columns(pair[0]), columns(pair[1]));
        if a.len() != b.len() {
            continue;
        }
        for (x, y) in a.iter().zip(&b) {
            let (Some(end), Some(start)) = (x.split(' ').next_back(), y.split(' ').next()) else {
                continue;
            };
            if end.is_empty() || start.is_empty() {
                continue;
            }
            // A word split across the lines is one whose two pieces make a short word again
            // (a long identifier may break at its separators).
            let joined = format!("{end}{start}");
            let joined = joined.trim_matches(|c: char| ",.;()\"'`".contains(c));
            if let Some(word) = all.get(joined).filter(|_| joined.chars().count() <= 20) {
                panic!(
                    "{name} at {w} columns splits {word:?} between lines:\n{}\n{}\n\n{text}",
                    pair[0], pair[1]
                );
            }
        }
    }
    for l in &lines {
        assert!(
            l.chars().count() <= usize::from(w),
            "{name} at {w} columns: a line of {} characters:\n{l}\n\n{text}",
            l.chars().count()
        );
    }
}

fn statement() -> serde_json::Value {
    cmek::shared::policy::via_service_statement("aws", "222222222222", "us-east-1")
}

fn verify_report() -> VerifyReport {
    VerifyReport::new(
        "acme",
        KEY,
        "222222222222",
        "us-east-1",
        vec![
            Check::new(
                CheckId::KeyAccess,
                Status::Pass,
                KEY,
                "described cross-account from 222222222222",
            ),
            Check::new(
                CheckId::KeyState,
                Status::Fail,
                KEY,
                "Disabled: every use of the key is refused",
            )
            .remedy("the customer enables the key")
            .aws_error("DisabledException"),
            Check::new(
                CheckId::FirehoseViaService,
                Status::Skip,
                KEY,
                "proven at enable",
            )
            .remedy(Remedy::statement("the key policy needs:", statement())),
            Check::new(
                CheckId::RdsViaService,
                Status::Skip,
                KEY,
                "proven at enable",
            )
            .remedy(Remedy::statement("the key policy needs:", statement())),
        ],
    )
}

#[test]
fn verify() {
    let r = verify_report();
    assert_eq!(r.verdict, VerifyVerdict::Fail);
    snap("verify", &r);
}

fn head<V>(command: &'static str, verdict: V, state: KeyState) -> TenantHead<V> {
    TenantHead {
        schema_version: 1,
        command,
        verdict,
        tenant: "acme".into(),
        key_arn: KEY.into(),
        key_source: KeySource::Record,
        account: "222222222222".into(),
        region: "us-east-1".into(),
        customer_account: "111111111111".into(),
        key: KeyView {
            arn: KEY.into(),
            message: format!("the key is {state}"),
            state,
            deletion_date: None,
            days_to_deletion: None,
            rotation: Some(false),
            aws_error: None,
            probe: None,
        },
    }
}

#[test]
fn enable_plan_and_outcome() {
    let bucket = Change {
        id: "bucket:data".into(),
        kind: Kind::S3Bucket,
        resource: BUCKET.into(),
        action: Action::Update,
        reason: "default encryption is SSE-S3".into(),
        steps: vec![
            Step::S3(S3Step::SetBucketEncryption),
            Step::S3(S3Step::WriteCanary),
        ],
        notes: vec![Note {
            id: NoteId::S3ObjectsKeepOldKey,
            message: "2 objects already in the bucket keep their old encryption".into(),
        }],
        objects: None,
    };
    let record = Change {
        id: "record".into(),
        kind: Kind::RegistryRecord,
        resource: "acme".into(),
        action: Action::Create,
        reason: "the tenant is not in the registry yet".into(),
        steps: vec![Step::Record(RecordStep::WriteRecord)],
        notes: vec![],
        objects: None,
    };
    let verify = verify_report();
    let mut report = EnableReport {
        schema_version: 1,
        command: "enable",
        verdict: EnableVerdict::Planned,
        tenant: "acme".into(),
        key_arn: KEY.into(),
        account: "222222222222".into(),
        region: "us-east-1".into(),
        dry_run: true,
        verify: VerifySummary {
            verdict: VerifyVerdict::Pass,
            summary: Summary {
                pass: 12,
                ..Summary::default()
            },
            checks: vec![],
        },
        changes: [&bucket, &record]
            .iter()
            .map(|c| ChangeResult::unapplied(c, Outcome::Planned))
            .collect(),
        applied: vec![],
        run_id: None,
        audit: None,
        next: vec!["run the same command without --dry-run to apply".into()],
        warnings: vec![],
    };
    snap(
        "enable_planned",
        &EnableView {
            report: &report,
            verify: &verify,
        },
    );
    report.verdict = EnableVerdict::Partial;
    report.dry_run = false;
    report.changes = vec![
        ChangeResult {
            change: bucket.clone(),
            outcome: Outcome::Failed,
            results: vec![
                StepResult::bare(Step::S3(S3Step::SetBucketEncryption), Outcome::Applied),
                StepResult {
                    step: Step::S3(S3Step::WriteCanary),
                    outcome: Outcome::Failed,
                    message: Some("S3 could not write under the key".into()),
                    aws_error: Some("AccessDenied".into()),
                },
            ],
        },
        ChangeResult::unapplied(&record, Outcome::Skipped),
    ];
    report.applied = vec!["bucket:data set-bucket-encryption".into()];
    report.run_id = Some("18c2a0b1c2d30abc".into());
    report.next = vec!["fix what failed (see the failed step), then run enable again".into()];
    snap(
        "enable_partial",
        &EnableView {
            report: &report,
            verify: &verify,
        },
    );
}

fn rows() -> Vec<ResourceStatus> {
    let key: cmek::KeyArn = KEY.parse().unwrap();
    let on_key = cmek::shared::tenancy::Encryption::Kms(KEY.into());
    vec![
        ResourceStatus::of(
            S3Resource::Bucket,
            BUCKET,
            &key,
            Some(&on_key),
            "new objects are encrypted with the key",
        ),
        ResourceStatus::of(
            FirehoseResource::Stream,
            "speedscale-acme-events",
            &key,
            Some(&cmek::shared::tenancy::Encryption::AwsManaged),
            "server-side encryption ENABLED with aws-managed",
        )
        .status("ACTIVE / ENABLED"),
        ResourceStatus::of(
            RdsResource::Instance,
            "speedscale-acme",
            &key,
            None,
            "the database does not exist",
        ),
        ResourceStatus::of(
            RdsResource::Snapshot,
            "speedscale-acme-pre-cmek",
            &key,
            Some(&cmek::shared::tenancy::Encryption::AwsManaged),
            "manual snapshot of speedscale-acme, taken by `cmek enable --migrate-database` before the migration",
        )
        .status("available")
        .copy(cmek::shared::resource::DataCopy {
            allocated_storage_gib: Some(20),
            created: Some("2026-11-20T10:00:00Z".into()),
            shared_with: vec![],
            remove: "aws rds delete-db-snapshot --region us-east-1 --db-snapshot-identifier speedscale-acme-pre-cmek"
                .into(),
            outside_tenant_buckets: false,
        }),
    ]
}

#[test]
fn status_tenant_and_fleet() {
    let resources = rows();
    assert_eq!(resources[1].state, ResourceState::Drift);
    let report = StatusReport {
        head: head("status", StatusVerdict::Drift, KeyState::Enabled),
        summary: count(&resources),
        resources,
        next: vec!["run `cmek enable` with the tenant's key".into()],
        batch_jobs: vec![cmek::services::registry::BatchJob {
            bucket: BUCKET.into(),
            storage_class: "STANDARD_IA".into(),
            job_id: "5b2b1c1e-0000-4000-8000-000000000001".into(),
            client_request_token: "cmek-0123".into(),
            manifest_prefix: "speedscale-cmek/batch/manifests/standard_ia".into(),
            objects_digest: "d".into(),
            created_at: "2026-11-28T08:00:00Z".into(),
            status: "Active".into(),
            total: 1000,
            succeeded: 420,
            failed: 3,
            finished: false,
            encryption_filter: "SSE-S3".into(),
        }],
    };
    snap("status_tenant", &report);
    let acme = FleetRow {
        tenant: "acme".into(),
        verdict: FleetVerdict::Drift,
        key_arn: Some(KEY.into()),
        key_state: Some(KeyState::Enabled),
        summary: report.summary,
        message: Some("firehose-stream:speedscale-acme-events drift".into()),
        source: RowSource::Snapshot,
        observed_at: Some("2026-11-27T09:00:00Z".into()),
        age_seconds: Some(720),
    };
    let globex = FleetRow::unreachable("globex", "unreachable: throttled by AWS past retries");
    let fleet = FleetReport::of("222222222222", "us-east-1", vec![globex, acme], false);
    snap("status_all", &fleet);
}

#[test]
fn revoke_check() {
    let checks = vec![
        Check::new(
            CheckId::RevokeKeyState,
            Status::Pass,
            KEY,
            "the key is disabled",
        ),
        Check::new(
            CheckId::RevokeS3Canary,
            Status::Pass,
            format!("s3://{BUCKET}/speedscale-cmek/canary.txt"),
            "GetObject refused: KMS.DisabledException",
        )
        .aws_error("KMS.DisabledException"),
        Check::new(
            CheckId::RevokeRdsState,
            Status::Fail,
            "speedscale-acme",
            "the database is still available: RDS has not reacted yet",
        ),
    ];
    let report = RevokeReport {
        head: head("revoke-check", RevokeVerdict::Partial, KeyState::Disabled),
        key_usable: false,
        cutoff: Cutoff::KeyUnusable,
        summary: summarize(&checks),
        checks,
        next: vec!["run revoke-check again in a few minutes".into()],
        probes: vec![],
    };
    snap("revoke_check", &report);
}

#[test]
fn width_is_columns_then_the_terminal_then_100() {
    use super::grid::choose_width;
    assert_eq!(choose_width(Some("160"), Some(200)), 160);
    assert_eq!(choose_width(None, Some(200)), 200);
    assert_eq!(choose_width(None, None), 100);
    assert_eq!(
        choose_width(Some("wide"), None),
        100,
        "not a number: ignored"
    );
    assert_eq!(choose_width(Some("10"), None), 40, "never narrower than 40");
}

#[test]
fn identifiers_wrap_at_their_separators_never_mid_word() {
    let arn = "arn:aws:firehose:us-east-1:222222222222:deliverystream/speedscale-acme-events-to-datalake-archive";
    let mut t = super::table(["STATE", "RESOURCE", "DETAIL"]);
    t.add_row(vec![
        super::text("ok"),
        super::text(arn),
        super::text(format!(
            "under {KEY} since the last enable, per DescribeDeliveryStream"
        )),
    ]);
    t.set_width(60);
    let drawn = t.to_string();
    assert!(!drawn.contains('\u{200B}'), "break marks are never drawn");
    let cells: Vec<String> = drawn
        .lines()
        .filter(|l| l.starts_with('│'))
        .map(|l| l.split('┆').nth(1).unwrap_or("").trim().to_string())
        .collect();
    let joined: String = cells.concat();
    assert!(
        joined.contains(arn),
        "the ARN is whole once its lines are joined: {cells:?}"
    );
    for line in cells.iter().filter(|c| !c.is_empty() && *c != "RESOURCE") {
        let last = line.chars().last().unwrap_or(' ');
        let is_end = arn.ends_with(line.as_str());
        assert!(
            is_end || matches!(last, '-' | '/' | ':'),
            "{line:?} ends mid-word:\n{drawn}"
        );
    }
}

#[test]
fn text_from_aws_cannot_drive_the_terminal() {
    // An object key, an error message or a resource name from AWS or an endpoint: escape
    // sequences, a bell, a carriage return and a bidirectional override are not printed as such.
    assert_eq!(
        super::clean("a\u{1b}]0;owned\u{7}b\rc\u{202e}d\u{9b}31m"),
        "a ]0;owned b cd 31m"
    );
    assert!(matches!(
        super::clean("plain ARN: arn:aws:kms:…"),
        std::borrow::Cow::Borrowed(_)
    ));
    let mut resources = rows();
    resources[1].message = "\u{1b}[2J\u{1b}[31mall clear\u{1b}[0m".into();
    let report = StatusReport {
        head: head("status", StatusVerdict::Drift, KeyState::Enabled),
        summary: count(&resources),
        resources,
        next: vec![],
        batch_jobs: vec![],
    };
    let drawn = report.drawn();
    assert!(!drawn.contains('\u{1b}'), "{drawn}");
    assert!(drawn.contains("[31mall"), "{drawn}");
}
