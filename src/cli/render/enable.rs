//! `enable`'s plan and outcome table.

use cmek::commands::enable::{EnableReport, EnableVerdict};
use cmek::commands::verify::VerifyReport;
use cmek::shared::steps::{Action, Outcome};
use comfy_table::{Attribute, Color};

use super::{checks_table, remedies, table, text, wrap, Render};

/// The plan (and, after apply, what became of it) as text.
pub fn plan_text(report: &EnableReport) -> String {
    let applied = report.changes.iter().any(|c| c.outcome != Outcome::Planned);
    let mut t = table(if applied {
        ["ACTION", "RESOURCE", "STEPS", "OUTCOME"]
    } else {
        ["ACTION", "RESOURCE", "STEPS", "WHY"]
    });
    for c in &report.changes {
        let action = match c.change.action {
            Action::Create => text("create").fg(Color::Green),
            Action::Update => text("update").fg(Color::Yellow),
            Action::None => text("none").fg(Color::DarkGrey),
            Action::Blocked => text("BLOCKED")
                .fg(Color::Red)
                .add_attribute(Attribute::Bold),
        };
        let steps = c
            .results
            .iter()
            .map(|r| {
                let mark = match r.outcome {
                    Outcome::Applied => "✓ ",
                    Outcome::Failed => "✗ ",
                    Outcome::Skipped if applied && c.change.action != Action::None => "· ",
                    Outcome::Skipped | Outcome::Planned => "",
                };
                format!("{mark}{}", r.step.name())
            })
            .collect::<Vec<_>>()
            .join("\n");
        let last = if applied {
            let failed = c
                .results
                .iter()
                .find(|r| r.outcome == Outcome::Failed)
                .and_then(|r| r.message.clone());
            let word = match c.outcome {
                Outcome::Applied => "applied",
                Outcome::Failed => "FAILED",
                Outcome::Skipped => "skipped",
                Outcome::Planned => "planned",
            };
            match failed {
                Some(m) => format!("{word}: {m}"),
                None => word.to_string(),
            }
        } else {
            c.change.reason.clone()
        };
        t.add_row(vec![
            action,
            text(format!("{}\n{}", c.change.id, c.change.resource)),
            text(if steps.is_empty() { "-".into() } else { steps }),
            text(last),
        ]);
    }
    let mut out = super::head_lines(&[
        ("Tenant", report.tenant.clone()),
        ("Key", report.key_arn.clone()),
        ("Account", format!("{} ({})", report.account, report.region)),
    ]);
    out.push_str(&format!("{t}\n"));
    let notes: Vec<String> = report
        .changes
        .iter()
        .filter(|c| c.change.action != Action::None || applied)
        .flat_map(|c| {
            c.change
                .notes
                .iter()
                .map(move |n| format!("{} ({}): {}", n.id.as_str(), c.change.resource, n.message))
        })
        .collect();
    if !notes.is_empty() {
        out.push_str("\nBefore you go on:\n");
        for n in notes {
            out.push_str(&wrap(&n, "  ! ", "    "));
        }
    }
    out
}

/// `enable`'s report, with the verify report it ran first (shown in full when verify failed). Its
/// JSON is the enable report's.
pub struct EnableView<'a> {
    /// The report.
    pub report: &'a EnableReport,
    /// verify's full report.
    pub verify: &'a VerifyReport,
}

impl serde::Serialize for EnableView<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.report.serialize(s)
    }
}

impl Render for EnableView<'_> {
    fn table(&self) -> String {
        let (report, verify_report) = (self.report, self.verify);
        let mut out = String::new();
        match report.verdict {
            EnableVerdict::Failed => {
                out.push_str("verify failed: nothing was changed.\n");
                out.push_str(&checks_table(&verify_report.checks, &verify_report.key_arn));
                out.push_str(&remedies(&verify_report.checks));
            }
            EnableVerdict::NoChanges => out.push_str(&format!(
                "Tenant {}: every resource is already encrypted with {}: no changes.\n",
                report.tenant, report.key_arn
            )),
            EnableVerdict::Applied
            | EnableVerdict::Planned
            | EnableVerdict::Blocked
            | EnableVerdict::Partial => out.push_str(&plan_text(report)),
        }
        if !report.next.is_empty() && report.verdict != EnableVerdict::NoChanges {
            out.push_str("\nNext:\n");
            for n in &report.next {
                out.push_str(&wrap(n, "  - ", "    "));
            }
        }
        let what = match report.verdict {
            EnableVerdict::Applied => format!("{} steps applied", report.applied.len()),
            EnableVerdict::Partial => format!(
                "stopped part-way: {} steps applied; run again to resume",
                report.applied.len()
            ),
            EnableVerdict::Planned => "dry run: nothing changed".into(),
            EnableVerdict::Blocked | EnableVerdict::Failed => "nothing changed".into(),
            EnableVerdict::NoChanges => "nothing to change".into(),
        };
        out.push_str(&format!("\nenable: {} ({what})\n", report.verdict.as_str()));
        out
    }
}
