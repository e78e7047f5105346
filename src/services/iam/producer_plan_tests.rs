//! Producers: one classification for plan, status and verify; the tag guard; a key change that
//! keeps the old key until the stream has left it.

use super::*;
use crate::services::iam::producer::{producer_policy, producer_policy_name, producer_statement};
use crate::shared::tenancy::test_tenancy;

const KEY: &str = "arn:aws:kms:us-east-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab";
const NEW: &str = "arn:aws:kms:us-east-1:111111111111:key/22222222-12ab-34cd-56ef-1234567890ab";
const ROLE: &str = "arn:aws:iam::222222222222:role/ingest-acme";
const STREAM: &str = "speedscale-acme-events";

fn state(mode: ProducersPolicy) -> ProducerState {
    ProducerState {
        role_use: crate::shared::role_use::RoleUse::StreamProducer,
        stream_id: "events".into(),
        role_arn: ROLE.into(),
        mode,
        foreign: false,
        exists: true,
        tagged: true,
        policy: None,
        denied: vec![],
    }
}

#[test]
fn a_managed_producer_gets_the_policy_once_and_a_key_change_keeps_the_old_key_until_the_stream_moves(
) {
    let t = test_tenancy(KEY);
    let mut p = state(ProducersPolicy::Managed);
    let c = plan_producer(&t, &p, STREAM, None);
    assert_eq!(c.action, Action::Update);
    assert_eq!(c.steps, vec![IamStep::PutProducerPolicy.into()]);
    assert_eq!(producer_status(&t, STREAM, &p).state.as_str(), "missing");
    p.policy = Some(producer_policy(&t, None));
    assert_eq!(plan_producer(&t, &p, STREAM, None).action, Action::None);
    assert_eq!(producer_status(&t, STREAM, &p).state.as_str(), "ok");

    // The tenant moves to NEW while its stream is still on KEY: both keys, then NEW alone.
    let moved = test_tenancy(NEW);
    let row = producer_status(&moved, STREAM, &p);
    assert_eq!(
        (row.state.as_str(), row.actual_key.as_str()),
        ("drift", KEY)
    );
    let c = plan_producer(&moved, &p, STREAM, Some(KEY));
    assert_eq!(c.action, Action::Update, "{c:?}");
    let both = producer_policy(&moved, Some(KEY));
    assert_eq!(
        both["Statement"][0]["Resource"],
        serde_json::json!([NEW, KEY])
    );
    p.policy = Some(both);
    assert_eq!(
        plan_producer(&moved, &p, STREAM, Some(KEY)).action,
        Action::None
    );
    assert_eq!(producer_status(&moved, STREAM, &p).state.as_str(), "ok");
    let c = plan_producer(&moved, &p, STREAM, None);
    assert_eq!(c.action, Action::Update);
    assert!(c.reason.contains("this key alone"), "{}", c.reason);

    assert_eq!(
        producer_policy_name(&t, "events"),
        "cmek-firehose-producer-acme-events"
    );
    assert_eq!(
        producer_statement(&t)["Condition"]["StringEquals"]["kms:ViaService"],
        "firehose.us-east-1.amazonaws.com"
    );
}

#[test]
fn missing_foreign_untagged_and_unpermitted_producers_block_and_are_never_ok() {
    let t = test_tenancy(KEY);
    for (mode, change) in [
        (ProducersPolicy::Managed, "missing"),
        (ProducersPolicy::External, "missing"),
        (ProducersPolicy::Managed, "foreign"),
        (ProducersPolicy::External, "foreign"),
        (ProducersPolicy::Managed, "untagged"),
        (ProducersPolicy::External, "denied"),
    ] {
        let mut p = state(mode);
        match change {
            "missing" => p.exists = false,
            "foreign" => p.foreign = true,
            "untagged" => p.tagged = false,
            _ => p.denied = vec!["kms:Decrypt".into()],
        }
        let c = plan_producer(&t, &p, STREAM, None);
        assert_eq!(c.action, Action::Blocked, "{mode:?} {change}");
        assert!(c.steps.is_empty());
        assert!(c.reason.contains(ROLE), "{}", c.reason);
        let row = producer_status(&t, STREAM, &p);
        assert_ne!(row.state.as_str(), "ok", "{mode:?} {change}: {row:?}");
        match change {
            "missing" => assert!(c.reason.contains("does not exist")),
            "foreign" => assert!(c.reason.contains("not in the environment's account")),
            "untagged" => assert!(c.reason.contains("speedscale:cmek-producer=true")),
            _ => assert!(
                c.reason.contains("kms:Decrypt")
                    && c.reason
                        .contains("\"kms:ViaService\":\"firehose.us-east-1.amazonaws.com\""),
                "{}",
                c.reason
            ),
        }
    }
    // An external producer the simulator allows needs no tag and no change.
    let mut p = state(ProducersPolicy::External);
    p.tagged = false;
    assert_eq!(plan_producer(&t, &p, STREAM, None).action, Action::None);
    assert_eq!(producer_status(&t, STREAM, &p).state.as_str(), "ok");
}

#[test]
fn a_queue_consumer_keeps_every_key_its_policy_names_and_a_producer_does_not() {
    use crate::shared::role_use::RoleUse;
    let t = test_tenancy(KEY);
    let old = "arn:aws:kms:us-east-1:111111111111:key/33333333-12ab-34cd-56ef-1234567890ab";
    let both = role_policy_kept(&t, RoleUse::QueueConsumer, Some(old), None);
    let mut p = state(ProducersPolicy::Managed);
    p.role_use = RoleUse::QueueConsumer;
    p.policy = Some(both.clone());
    // The queue has moved to the key: the consumer still may decrypt what was sent before.
    let c = plan_producer(&t, &p, "speedscale-acme-capture", None);
    assert_eq!(c.action, Action::None, "{c:?}");
    assert_eq!(
        both["Statement"][0]["Action"],
        serde_json::json!(["kms:Decrypt"])
    );
    // A producer's policy is narrowed to the key alone once its path is on it.
    p.role_use = RoleUse::QueueProducer;
    p.policy = Some(role_policy_kept(
        &t,
        RoleUse::QueueProducer,
        Some(old),
        None,
    ));
    let c = plan_producer(&t, &p, "speedscale-acme-capture", None);
    assert_eq!(c.action, Action::Update, "{c:?}");
}
