//! `revoke-check`'s table.

use cmek::commands::revoke::{RevokeReport, RevokeVerdict};

use super::{checks_table, remedies, tenant_lines, wrap, Render};

impl Render for RevokeReport {
    fn table(&self) -> String {
        let r = self;
        let mut out = tenant_lines(&r.head);
        out.push_str(&checks_table(&r.checks, &r.head.key_arn));
        out.push_str(&remedies(&r.checks));
        if !r.next.is_empty() {
            out.push('\n');
            for n in &r.next {
                out.push_str(&wrap(n, "  - ", "    "));
            }
        }
        let meaning = match r.head.verdict {
            RevokeVerdict::Ready => "disabling the key would cut Speedscale off",
            RevokeVerdict::Exposed => "some data paths do not depend on the key",
            RevokeVerdict::Revoked => "Speedscale is cut off",
            RevokeVerdict::Partial => {
                "the key is revoked but something is still readable or running"
            }
        };
        out.push_str(&format!(
            "\nrevoke-check: {} ({meaning}; {})\n",
            r.head.verdict.as_str(),
            r.summary
        ));
        out
    }
}
