//! Bad input of any kind: exit 2, one line on stderr naming the input and the rule, and no AWS
//! call that changes anything (the fidelity layer counts them).

use crate::common::*;

const GOOD_TENANT: &str = "acme";

fn good_arn(a: &Accounts) -> String {
    unknown_key_arn(&a.customer, REGION)
}

fn assert_refused(a: &Accounts, args: &[&str], names: &str) {
    let out = cmek(&a.speedscale, args);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
    assert_eq!(err.lines().count(), 1, "{args:?}: one line, got: {err}");
    assert!(err.contains(names), "{args:?}: {err} should name {names}");
    assert!(stdout(&out).is_empty(), "{args:?}: nothing on stdout");
}

#[test]
fn malformed_tenant_ids() {
    let a = accounts();
    let arn = good_arn(&a);
    for tenant in [
        "",
        "ab",
        "Acme",
        "acme_corp",
        "-acme",
        "acme-",
        "ac--me",
        "acme corp",
        "acmé",
        &"a".repeat(33),
        "acme.corp",
        "acme/x",
    ] {
        assert_refused(
            &a,
            &["verify", "--tenant", tenant, "--key-arn", &arn],
            "--tenant",
        );
    }
    assert!(mutating_calls(&a.speedscale).is_empty());
    assert!(calls(&a.speedscale).is_empty(), "no AWS call at all");
}

#[test]
fn malformed_key_arns() {
    let a = accounts();
    let c = &a.customer;
    let bad = [
        "".to_string(),
        "alias/customer-key".into(),
        "1234abcd-12ab-34cd-56ef-1234567890ab".into(),
        format!("arn:aws:kms:{REGION}:{c}:alias/customer-key"),
        "arn:aws:s3:::customer-bucket".into(),
        format!("arn:aws:iam::{c}:role/x"),
        format!("arn:aws:kms:{REGION}:{c}:key/1234ABCD-12AB-34CD-56EF-1234567890AB"),
        format!("arn:aws:kms:{REGION}:{c}:key/mrk-123"),
        format!("arn:aws:kms:{REGION}:1234:key/1234abcd-12ab-34cd-56ef-1234567890ab"),
        format!("arn:awz:kms:{REGION}:{c}:key/1234abcd-12ab-34cd-56ef-1234567890ab"),
        format!("arn:aws:kms:useast1:{c}:key/1234abcd-12ab-34cd-56ef-1234567890ab"),
        format!("arn:aws-cn:kms:{REGION}:{c}:key/1234abcd-12ab-34cd-56ef-1234567890ab"),
        format!("arn:aws:kms:{REGION}:{c}:key/"),
        format!(" arn:aws:kms:{REGION}:{c}:key/1234abcd-12ab-34cd-56ef-1234567890ab"),
        "arn:aws:kms".into(),
    ];
    for arn in &bad {
        assert_refused(
            &a,
            &["verify", "--tenant", GOOD_TENANT, "--key-arn", arn],
            "--key-arn",
        );
    }
    assert!(calls(&a.speedscale).is_empty(), "no AWS call at all");
}

#[test]
fn malformed_options_and_config_files() {
    let a = accounts();
    let arn = good_arn(&a);
    let dir = std::env::temp_dir().join(format!("cmek-bad-config-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let files = [
        ("unknown-field.toml", "colour = \"blue\"\n", "unknown field"),
        ("bad-region.toml", "region = \"moon-1\"\n", "region"),
        (
            "no-tenant.toml",
            "[[bucket]]\nid = \"data\"\nname = \"shared-data\"\n",
            "{tenant}",
        ),
        (
            "bad-bucket.toml",
            "[[bucket]]\nid = \"data\"\nname = \"Data_{tenant}\"\n",
            "S3 bucket name",
        ),
        (
            "bad-db.toml",
            "[database]\nidentifier = \"9db-{tenant}\"\n",
            "RDS",
        ),
        ("not-toml.toml", "this is not toml = = =\n", "--config"),
        ("other-region.toml", "region = \"eu-west-1\"\n", "--region"),
    ];
    for (name, text, why) in files {
        let path = dir.join(name);
        std::fs::write(&path, text).unwrap();
        let p = path.to_str().unwrap();
        let out = cmek(
            &a.speedscale,
            &[
                "--config",
                p,
                "--region",
                REGION,
                "verify",
                "--tenant",
                GOOD_TENANT,
                "--key-arn",
                &arn,
            ],
        );
        assert_eq!(out.status.code(), Some(2), "{name}: {}", stderr(&out));
        assert_eq!(stderr(&out).lines().count(), 1, "{name}: {}", stderr(&out));
        assert!(stderr(&out).contains(why), "{name}: {}", stderr(&out));
    }
    assert_refused(
        &a,
        &[
            "--config",
            "/nonexistent/env.toml",
            "verify",
            "--tenant",
            GOOD_TENANT,
            "--key-arn",
            &arn,
        ],
        "--config",
    );
    for (args, names) in [
        (
            vec![
                "--region",
                "nowhere",
                "verify",
                "--tenant",
                GOOD_TENANT,
                "--key-arn",
                &arn,
            ],
            "--region",
        ),
        (
            vec![
                "--endpoint-url",
                "localhost:4566",
                "verify",
                "--tenant",
                GOOD_TENANT,
                "--key-arn",
                &arn,
            ],
            "--endpoint-url",
        ),
        (
            vec![
                "--role-arn",
                "arn:aws:iam::12:role/x",
                "verify",
                "--tenant",
                GOOD_TENANT,
                "--key-arn",
                &arn,
            ],
            "--role-arn",
        ),
        (
            vec![
                "--output",
                "yaml",
                "verify",
                "--tenant",
                GOOD_TENANT,
                "--key-arn",
                &arn,
            ],
            "--output",
        ),
        (vec!["verify", "--key-arn", &arn], "--tenant"),
        (vec!["verify", "--tenant", GOOD_TENANT], "--key-arn"),
        (
            vec![
                "verify",
                "--tenant",
                GOOD_TENANT,
                "--key-arn",
                &arn,
                "--unknown",
            ],
            "--unknown",
        ),
        (vec!["frobnicate"], "frobnicate"),
        (vec!["status", "--all", "--max-age", "1x"], "--max-age"),
        (vec!["status", "--all", "--max-age", "30m1h"], "--max-age"),
        (
            vec!["status", "--tenant", GOOD_TENANT, "--max-age", "1h"],
            "--max-age",
        ),
        (
            vec!["--quota-scale", "0", "status", "--all"],
            "--quota-scale",
        ),
        (
            vec!["--quota-scale", "fast", "status", "--all"],
            "--quota-scale",
        ),
    ] {
        assert_refused(&a, &args, names);
    }
    assert!(calls(&a.speedscale).is_empty(), "no AWS call at all");
}

#[test]
fn what_a_newcomer_trips_on_is_one_line_that_names_it() {
    let a = accounts();
    let arn = good_arn(&a);
    // No empty quotes: the message names what is missing.
    for args in [
        vec![
            "--region",
            "",
            "verify",
            "--tenant",
            "acme",
            "--key-arn",
            &arn,
        ],
        vec!["enable", "--tenant", "acme", "--key-arn", &arn],
    ] {
        let out = cmek(&a.speedscale, &args);
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
        assert_eq!(err.lines().count(), 1, "{args:?}: {err}");
        assert!(
            !err.contains("\"\"") && !err.contains("''"),
            "{args:?}: {err}"
        );
    }
    let err = stderr(&cmek(
        &a.speedscale,
        &["enable", "--tenant", "acme", "--key-arn", &arn],
    ));
    assert!(err.contains("missing --yes"), "{err}");
    // A negative number is a value of --quota-scale, which gets its rule.
    assert_refused(
        &a,
        &["--quota-scale", "-1", "status", "--tenant", "acme"],
        "above 0",
    );
    // Help about help.
    let out = cmek(&a.speedscale, &["help", "--help"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(
        stdout(&out).contains("Usage: cmek help"),
        "{}",
        stdout(&out)
    );
}

#[test]
fn no_credentials_at_all_is_exit_3_in_one_short_line_naming_what_to_do() {
    let a = accounts();
    let out = cmek_command(
        &a.speedscale,
        &["verify", "--tenant", "acme", "--key-arn", &good_arn(&a)],
    )
    .env_remove("AWS_ACCESS_KEY_ID")
    .env_remove("AWS_SECRET_ACCESS_KEY")
    .output()
    .unwrap();
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(3), "{err}");
    assert_eq!(err.trim().lines().count(), 1, "{err}");
    assert!(
        err.trim().chars().count() <= 200,
        "{} characters: {err}",
        err.trim().chars().count()
    );
    assert!(
        err.contains("aws sso login") && err.contains("--profile"),
        "{err}"
    );
}
