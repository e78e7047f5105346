//! `doctor`'s table: one row per action of each subcommand's policy.

use cmek::commands::doctor::{DoctorReport, DoctorVerdict};

use super::{state_cell, table, text, Render};

impl Render for DoctorReport {
    fn table(&self) -> String {
        let mut t = table(["SUBCOMMAND", "ACTION", "RESOURCE", "IAM SAYS", "WHY"]);
        for r in &self.rows {
            t.add_row(vec![
                text(&r.subcommand),
                text(&r.action),
                text(&r.resource),
                state_cell(
                    if r.allowed { "allowed" } else { "DENIED" },
                    r.allowed,
                    false,
                ),
                text(&r.why),
            ]);
        }
        let registry = if self.registry_exists && self.registry_unprotected.is_empty() {
            format!("{} (found, protected)", self.registry_bucket)
        } else if self.registry_exists {
            format!(
                "{} (found; not protected: {}; enable protects it)",
                self.registry_bucket,
                self.registry_unprotected.join("; ")
            )
        } else {
            format!("{} (not yet: enable creates it)", self.registry_bucket)
        };
        format!(
            "Caller     {}\nSimulated  {}\nAccount    {} ({})\nRegistry   {registry}\n{t}\ndoctor: {} ({} actions, {} denied)\n",
            self.caller,
            self.principal.as_deref().unwrap_or("-"),
            self.account,
            self.region,
            match self.verdict {
                DoctorVerdict::Pass => "pass",
                DoctorVerdict::Fail => "fail",
            },
            self.rows.len(),
            self.denied
        )
    }
}
