//! `status --tenant` and `status --all` tables.

use cmek::commands::fleet::{FleetReport, FleetRow, FleetVerdict, RowSource};
use cmek::commands::status::StatusReport;
use cmek::shared::ids::ResourceState;
use cmek::shared::resource::ResourceStatus;
use comfy_table::Cell;

use super::{state_cell, table, tenant_lines, text, wrap, Render};

fn resource_state_cell(s: ResourceState) -> Cell {
    match s {
        ResourceState::Ok => state_cell(s.as_str(), true, false),
        ResourceState::Drift | ResourceState::Stopped => state_cell(s.as_str(), false, true),
        ResourceState::Unencrypted | ResourceState::Missing => state_cell(s.as_str(), false, false),
    }
}

fn fleet_cell(v: FleetVerdict) -> Cell {
    match v {
        FleetVerdict::Ok => state_cell(v.as_str(), true, false),
        FleetVerdict::Drift | FleetVerdict::ActionNeeded => state_cell(v.as_str(), false, true),
        FleetVerdict::Unreachable | FleetVerdict::KeyUnusable => {
            state_cell(v.as_str(), false, false)
        }
    }
}

/// The copies outside the key, each with the command that removes it (cmek never runs it).
pub fn copies_outside(rows: &[ResourceStatus]) -> String {
    let copies: Vec<&ResourceStatus> = rows.iter().filter(|r| r.is_copy_off_key()).collect();
    if copies.is_empty() {
        return String::new();
    }
    let mut out = "Copies outside the key (cmek never deletes data; once a copy is not needed):\n"
        .to_string();
    // The command on a line of its own, never wrapped: it must paste as printed.
    for r in copies {
        if let Some(c) = &r.copy {
            out.push_str(&format!("  {}:\n    {}\n", r.id, c.remove));
        }
    }
    out
}

impl Render for StatusReport {
    fn table(&self) -> String {
        let r = self;
        let mut t = table(["STATE", "KIND", "RESOURCE", "KEY IN USE", "DETAIL"]);
        for x in &r.resources {
            let actual = if x.on_key() {
                "the key".to_string()
            } else {
                x.actual_key.clone()
            };
            let mut detail = match &x.status {
                Some(s) => format!("{s}: {}", x.message),
                None => x.message.clone(),
            };
            if let Some(c) = &x.copy {
                detail.push_str(&c.facts());
            }
            t.add_row(vec![
                resource_state_cell(x.state),
                text(x.kind.as_str()),
                text(&x.resource),
                text(actual),
                text(detail),
            ]);
        }
        let mut out = format!("{}{t}\n", tenant_lines(&r.head));
        out.push_str(&copies_outside(&r.resources));
        if !r.batch_jobs.is_empty() {
            out.push_str("Re-encryption jobs (S3 Batch Operations):\n");
            for j in &r.batch_jobs {
                let seen = if j.finished {
                    ""
                } else {
                    ", not yet followed to its end"
                };
                out.push_str(&wrap(
                    &format!(
                        "{} {} in {}: {}, {} succeeded, {} failed of {} (created {}{seen})",
                        j.job_id,
                        j.storage_class,
                        j.bucket,
                        j.status,
                        j.succeeded,
                        j.failed,
                        j.total,
                        j.created_at
                    ),
                    "  ",
                    "    ",
                ));
            }
        }
        for n in &r.next {
            out.push_str(&wrap(n, "  - ", "    "));
        }
        let s = r.summary;
        out.push_str(&format!(
            "\nstatus: {} ({} ok, {} drift, {} unencrypted, {} missing, {} stopped; expected key from {})\n",
            r.head.verdict.as_str(),
            s.ok,
            s.drift,
            s.unencrypted,
            s.missing,
            s.stopped,
            r.head.key_source.as_str()
        ));
        out
    }
}

impl Render for FleetReport {
    fn table(&self) -> String {
        let r = self;
        let mut t = table([
            "TENANT",
            "STATE",
            "KEY",
            "OK/DRIFT/NONE/MISSING",
            "AGE",
            "DETAIL",
        ]);
        for x in &r.tenants {
            let s = x.summary;
            t.add_row(vec![
                text(&x.tenant),
                fleet_cell(x.verdict),
                text(x.key_state.as_ref().map(|k| k.as_str()).unwrap_or("-")),
                text(format!(
                    "{}/{}/{}/{}",
                    s.ok, s.drift, s.unencrypted, s.missing
                )),
                text(age(x)),
                text(x.message.as_deref().unwrap_or("")),
            ]);
        }
        let c = r.counts;
        let mut urgent = String::new();
        if c.key_unusable > 0 {
            urgent.push_str(&format!(", {} key-unusable", c.key_unusable));
        }
        if c.action_needed > 0 {
            urgent.push_str(&format!(", {} action-needed", c.action_needed));
        }
        let mut from = String::new();
        if r.observed.snapshot > 0 {
            from = format!(
                "; {} read live, {} from the snapshot (key state live)",
                r.observed.live, r.observed.snapshot
            );
        }
        if r.interrupted {
            from.push_str(&format!("; interrupted, {} not read", r.observed.not_read));
        }
        format!(
            "{t}\nstatus --all: {} ({} tenants: {} ok, {} drift, {} unreachable{urgent}{from})\n",
            r.verdict.as_str(),
            r.tenants.len(),
            c.ok,
            c.drift,
            c.unreachable
        )
    }
}

/// A fleet row's age: `live`, or how old its snapshot is (`42s`, `12m`, `3h`, `2d`).
fn age(x: &FleetRow) -> String {
    match (x.source, x.age_seconds) {
        (RowSource::Live, _) => "live".into(),
        (RowSource::NotRead, _) => "-".into(),
        (RowSource::Snapshot, None) => "-".into(),
        (RowSource::Snapshot, Some(s)) if s < 120 => format!("{s}s"),
        (RowSource::Snapshot, Some(s)) if s < 7200 => format!("{}m", s / 60),
        (RowSource::Snapshot, Some(s)) if s < 172_800 => format!("{}h", s / 3600),
        (RowSource::Snapshot, Some(s)) => format!("{}d", s / 86_400),
    }
}
