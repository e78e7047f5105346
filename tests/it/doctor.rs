//! `cmek doctor` against the local AWS: IAM's simulator (R16) over every action in `docs/iam/`,
//! for the role an engineer assumes.

use crate::common::*;
use serde_json::{json, Value};

/// Every statement of every shipped policy, as one inline policy.
fn all_statements(without: Option<&str>) -> Value {
    let mut statements = vec![];
    for p in ["verify", "enable", "status", "revoke-check", "doctor"] {
        let text = std::fs::read_to_string(format!("docs/iam/{p}.json")).unwrap();
        let doc: Value = serde_json::from_str(&text).unwrap();
        for mut st in doc["Statement"].as_array().unwrap().clone() {
            st.as_object_mut().unwrap().remove("Sid");
            if let (Some(skip), Some(actions)) = (without, st["Action"].as_array().cloned()) {
                let kept: Vec<Value> = actions.into_iter().filter(|a| a != skip).collect();
                if kept.is_empty() {
                    continue;
                }
                st["Action"] = Value::Array(kept);
            }
            statements.push(st);
        }
    }
    json!({"Version": "2012-10-17", "Statement": statements})
}

/// An engineer's role in Speedscale's account with `policy`; returns its ARN.
async fn role(a: &Accounts, name: &str, policy: &Value) -> String {
    let iam = aws_sdk_iam::Client::new(&sdk_config(&a.speedscale));
    let trust = json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
        "Principal": {"AWS": format!("arn:aws:iam::{}:root", a.speedscale)}, "Action": "sts:AssumeRole"}]});
    let out = iam
        .create_role()
        .role_name(name)
        .assume_role_policy_document(trust.to_string())
        .send()
        .await
        .unwrap();
    iam.put_role_policy()
        .role_name(name)
        .policy_name("cmek")
        .policy_document(policy.to_string())
        .send()
        .await
        .unwrap();
    out.role().unwrap().arn().to_string()
}

#[tokio::test]
async fn doctor_lists_every_action_in_docs_iam_and_shows_a_denial() {
    let a = accounts();
    let full = role(&a, "cmek-engineer", &all_statements(None)).await;
    let out = cmek(
        &a.speedscale,
        &["--role-arn", &full, "--output", "json", "doctor"],
    );
    let report = json_out(&out);
    assert_eq!(out.status.code(), Some(0), "{report:#}\n{}", stderr(&out));
    assert_eq!(report["verdict"], "pass");
    assert!(report["principal"]
        .as_str()
        .unwrap()
        .ends_with(":role/cmek-engineer"));
    let rows = report["rows"].as_array().unwrap();
    let listed: std::collections::BTreeSet<String> = rows
        .iter()
        .map(|r| r["action"].as_str().unwrap().to_string())
        .collect();
    for p in ["verify", "enable", "status", "revoke-check"] {
        let doc: Value =
            serde_json::from_str(&std::fs::read_to_string(format!("docs/iam/{p}.json")).unwrap())
                .unwrap();
        for st in doc["Statement"].as_array().unwrap() {
            for action in st["Action"].as_array().unwrap() {
                assert!(listed.contains(action.as_str().unwrap()), "{p}: {action}");
            }
        }
    }

    let partial = role(
        &a,
        "cmek-engineer-partial",
        &all_statements(Some("s3:CreateJob")),
    )
    .await;
    let out = cmek(
        &a.speedscale,
        &["--role-arn", &partial, "--output", "json", "doctor"],
    );
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let report = json_out(&out);
    let denied: Vec<&Value> = report["rows"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["allowed"] == false)
        .collect();
    assert!(!denied.is_empty(), "{report:#}");
    assert!(
        denied
            .iter()
            .all(|r| r["action"] == "s3:CreateJob" && r["decision"] == "implicitDeny"),
        "{denied:#?}"
    );
    let table = stdout(&cmek(&a.speedscale, &["--role-arn", &partial, "doctor"]));
    assert!(table.contains("DENIED"), "{table}");
    assert!(table.contains("doctor: fail"), "{table}");
}
