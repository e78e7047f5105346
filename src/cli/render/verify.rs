//! `verify`'s table.

use cmek::commands::verify::VerifyReport;

use super::{checks_table, remedies, Render};

impl Render for VerifyReport {
    fn table(&self) -> String {
        let mut out = String::new();
        out.push_str(&format!(
            "Tenant   {}\nKey      {}\nAccount  {} ({})\n",
            self.tenant, self.key_arn, self.account, self.region
        ));
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
