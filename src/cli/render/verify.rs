//! `verify`'s table.

use cmek::commands::verify::VerifyReport;

use super::{checks_table, head_lines, remedies, Render};

impl Render for VerifyReport {
    fn table(&self) -> String {
        let mut out = String::new();
        out.push_str(&head_lines(&[
            ("Tenant", self.tenant.clone()),
            ("Key", self.key_arn.clone()),
            ("Account", format!("{} ({})", self.account, self.region)),
        ]));
        out.push_str(&checks_table(&self.checks, &self.key_arn));
        out.push_str(&remedies(&self.checks));
        out.push_str(&format!(
            "\nverify: {} ({})\n",
            self.verdict.as_str(),
            self.summary
        ));
        out
    }
}
