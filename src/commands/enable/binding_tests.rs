//! One tenant, one customer, one key: every answer of the binding, as plans.

use super::*;
use crate::shared::tenancy::test_tenancy;

const KEY: &str = "arn:aws:kms:us-east-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab";
const OTHER_ACCOUNT_KEY: &str =
    "arn:aws:kms:us-east-1:333333333333:key/1234abcd-12ab-34cd-56ef-1234567890ab";

fn claim(tenant: &str) -> KeyClaim {
    KeyClaim {
        schema_version: 1,
        key_arn: KEY.into(),
        customer_account: "111111111111".into(),
        tenant: tenant.into(),
        shared_with: vec![],
        claimed_by: "arn:aws:iam::222222222222:root".into(),
        claimed_at: "2026-12-01T00:00:00Z".into(),
    }
}

fn record(tenant: &str, key: &str) -> Record {
    Record {
        schema_version: 1,
        tenant: tenant.into(),
        key_arn: key.into(),
        environment: "default".into(),
        account: "222222222222".into(),
        region: "us-east-1".into(),
        resources: Default::default(),
        enabled_by: String::new(),
        enabled_at: String::new(),
        updated_by: String::new(),
        updated_at: String::new(),
        cmek_version: String::new(),
        customer_account: None,
        key_since: None,
        shared_key_with: vec![],
    }
}

#[test]
fn a_new_key_is_claimed_and_a_claimed_one_is_left_alone() {
    let t = test_tenancy(KEY);
    let c = plan_binding(&t, None, &Binding::default());
    assert_eq!((c.action, c.steps.len()), (Action::Create, 1));
    let mine = Binding {
        claim: Some((claim("acme"), "\"e\"".into())),
        ..Default::default()
    };
    assert_eq!(plan_binding(&t, None, &mine).action, Action::None);
    let fresh = claim_to_write(&t, &Binding::default(), "me", "now");
    assert_eq!(
        (fresh.tenant.as_str(), fresh.customer_account.as_str()),
        ("acme", "111111111111")
    );
}

#[test]
fn another_tenants_key_is_blocked_unless_shared_within_one_customer_account() {
    let t = test_tenancy(KEY);
    let theirs = Binding {
        claim: Some((claim("globex"), "\"e\"".into())),
        owner_record: Some(record("globex", KEY)),
        ..Default::default()
    };
    let c = plan_binding(&t, None, &theirs);
    assert_eq!(c.action, Action::Blocked);
    assert!(
        c.reason.contains("claimed by tenant globex")
            && c.reason.contains("--share-key-with globex"),
        "{}",
        c.reason
    );
    assert!(c.steps.is_empty());
    // Shared with the owner named: allowed, noted, and the claim gains the tenant.
    let shared = Binding {
        options: BindingOptions {
            share_key_with: Some("globex".into()),
            new_customer_account: false,
        },
        ..theirs.clone()
    };
    let c = plan_binding(&t, None, &shared);
    assert_eq!(c.action, Action::Update, "{}", c.reason);
    assert!(c.notes.iter().any(|n| n.id == NoteId::KeyShared));
    assert_eq!(
        claim_to_write(&t, &shared, "me", "now").shared_with,
        ["acme"]
    );
    // The owner's record names another customer account: no sharing across customers.
    let elsewhere = Binding {
        owner_record: Some(record("globex", OTHER_ACCOUNT_KEY)),
        ..shared.clone()
    };
    let c = plan_binding(&t, None, &elsewhere);
    assert_eq!(c.action, Action::Blocked);
    assert!(c.reason.contains("same customer account"), "{}", c.reason);
    // Naming another tenant than the owner shares nothing.
    let wrong = Binding {
        options: BindingOptions {
            share_key_with: Some("initech".into()),
            new_customer_account: false,
        },
        ..theirs
    };
    assert_eq!(plan_binding(&t, None, &wrong).action, Action::Blocked);
}

#[test]
fn a_key_of_another_customer_account_needs_the_option_and_says_both_accounts() {
    let t = test_tenancy(OTHER_ACCOUNT_KEY);
    let was = record("acme", KEY);
    let c = plan_binding(&t, Some(&was), &Binding::default());
    assert_eq!(c.action, Action::Blocked);
    assert!(
        c.reason.contains("customer account 111111111111")
            && c.reason.contains("333333333333")
            && c.reason.contains("--new-customer-account"),
        "{}",
        c.reason
    );
    let moved = Binding {
        options: BindingOptions {
            share_key_with: None,
            new_customer_account: true,
        },
        ..Default::default()
    };
    let c = plan_binding(&t, Some(&was), &moved);
    assert_eq!(c.action, Action::Create);
    let note = c
        .notes
        .iter()
        .find(|n| n.id == NoteId::CustomerAccountChanged)
        .unwrap();
    assert!(
        note.message.contains("111111111111")
            && note.message.contains("333333333333")
            && note.message.contains(KEY)
    );
    // Another tenant of the same customer account: allowed, and the plan says so.
    let neighbours = Binding {
        same_account: vec!["initech".into()],
        ..Default::default()
    };
    let c = plan_binding(&test_tenancy(KEY), None, &neighbours);
    assert_eq!(c.action, Action::Create);
    assert!(c
        .notes
        .iter()
        .any(|n| n.id == NoteId::CustomerAccountShared && n.message.contains("initech")));
}

#[test]
fn a_key_onboarded_before_claims_is_its_recorded_tenants_and_nothing_is_shared_by_accident() {
    let t = test_tenancy(KEY);
    let legacy = Binding {
        recorded_on: vec!["globex".into()],
        ..Default::default()
    };
    let c = plan_binding(&t, None, &legacy);
    assert_eq!(c.action, Action::Blocked);
    assert!(
        c.reason.contains("tenant globex's (its record names it"),
        "{}",
        c.reason
    );
    // Shared with it: the recorded tenant becomes the claim's owner, this tenant joins.
    let shared = Binding {
        options: BindingOptions {
            share_key_with: Some("globex".into()),
            new_customer_account: false,
        },
        ..legacy
    };
    assert_ne!(plan_binding(&t, None, &shared).action, Action::Blocked);
    let claim = claim_to_write(&t, &shared, "me", "now");
    assert_eq!(
        (claim.tenant.as_str(), claim.shared_with.clone()),
        ("globex", vec!["acme".to_string()])
    );
    // --share-key-with on a key nobody has: refused, not silently ignored.
    let nobody = Binding {
        options: BindingOptions {
            share_key_with: Some("globex".into()),
            new_customer_account: false,
        },
        ..Default::default()
    };
    let c = plan_binding(&t, None, &nobody);
    assert_eq!(c.action, Action::Blocked);
    assert!(c.reason.contains("nothing to share"), "{}", c.reason);
}
