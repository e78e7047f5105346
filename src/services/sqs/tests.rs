//! Queue and topic plans, and the evidence of paths that reuse data keys.

use std::collections::BTreeMap;

use super::*;
use crate::environment::Environment;
use crate::shared::ids::{CheckId, Cut, Cutoff, KeyState, NoteId, SqsResource};
use crate::shared::report::Status;
use crate::shared::resource::ResourceStatus;
use crate::shared::steps::{Action, SqsStep, Step};
use crate::shared::tenancy::{Encryption, Tenancy};

const KEY: &str = "arn:aws:kms:us-east-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab";

fn tenancy() -> Tenancy {
    let env = Environment::from_toml(
        r#"
        [[queue]]
        id = "capture"
        name = "speedscale-{tenant}-capture"
        data_key_reuse_seconds = 120
        [[topic]]
        id = "events"
        name = "speedscale-{tenant}-events"
        queues = ["capture"]
        "#,
    )
    .unwrap();
    Tenancy::new(
        "acme".parse().unwrap(),
        KEY.parse().unwrap(),
        "222222222222",
        "us-east-1",
        env,
        None,
    )
}

fn queue(t: &Tenancy) -> QueueState {
    let name = t.names.queues[0].1.clone();
    let arn = t.queue_arn(&name);
    QueueState {
        id: "capture".into(),
        name,
        exists: true,
        url: "http://127.0.0.1/222222222222/q".into(),
        last_modified: None,
        policy: Some(
            serde_json::json!({"Version": "2012-10-17", "Id": "theirs", "Statement": [
                plan::topic_statement(&arn, &t.topics_into("capture")),
                {"Sid": "Theirs", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::222222222222:root"}, "Action": "sqs:ReceiveMessage", "Resource": arn}
            ]}),
        ),
        arn,
        encryption: Encryption::Kms(KEY.into()),
        reuse_seconds: 120,
        messages: 0,
        retention_seconds: 345_600,
        tags: t.tags(),
    }
}

fn steps(c: &crate::shared::steps::Change) -> Vec<Step> {
    c.steps.clone()
}

#[test]
fn a_queue_on_the_key_changes_nothing() {
    let t = tenancy();
    let c = plan_queue(&t, &queue(&t));
    assert_eq!(c.action, Action::None, "{c:?}");
}

#[test]
fn a_missing_queue_is_created_on_the_key() {
    let t = tenancy();
    let mut q = queue(&t);
    q.exists = false;
    let c = plan_queue(&t, &q);
    assert_eq!(c.action, Action::Create);
    assert_eq!(steps(&c), [Step::Sqs(SqsStep::CreateQueue)]);
}

#[test]
fn a_queue_on_sse_sqs_moves_to_the_key_and_says_what_stays_behind() {
    let t = tenancy();
    let mut q = queue(&t);
    q.encryption = Encryption::SseSqs;
    q.messages = 7;
    let c = plan_queue(&t, &q);
    assert_eq!(c.action, Action::Update);
    assert_eq!(steps(&c), [Step::Sqs(SqsStep::SetQueueEncryption)]);
    assert!(c.reason.contains("SSE-SQS"), "{}", c.reason);
    let note = &c.notes[0];
    assert_eq!(note.id, NoteId::SqsMessagesKeepOldKey);
    assert!(
        note.message.contains("the 7 message(s)"),
        "{}",
        note.message
    );
}

#[test]
fn another_reuse_period_or_a_missing_topic_statement_is_fixed_in_place() {
    let t = tenancy();
    let mut q = queue(&t);
    q.reuse_seconds = 300;
    q.policy = None;
    q.tags = BTreeMap::new();
    let c = plan_queue(&t, &q);
    assert_eq!(
        steps(&c),
        [
            Step::Sqs(SqsStep::SetReusePeriod),
            Step::Sqs(SqsStep::AllowTopics),
            Step::Sqs(SqsStep::TagQueue)
        ]
    );
    assert!(
        c.notes.is_empty(),
        "already on the key: no message stays behind"
    );
}

#[test]
fn the_topic_statement_keeps_every_other_statement() {
    let t = tenancy();
    let mut q = queue(&t);
    let p = plan::policy_with_topics(&q, &t.topics_into("capture"));
    let sids: Vec<&str> = p["Statement"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["Sid"].as_str().unwrap())
        .collect();
    assert_eq!(sids, ["Theirs", topic_statement_sid()]);
    assert_eq!(p["Id"], "theirs", "every other key of the document kept");
    assert_eq!(
        p["Statement"][1]["Condition"]["ArnEquals"]["aws:SourceArn"][0],
        "arn:aws:sns:us-east-1:222222222222:speedscale-acme-events"
    );
    q.policy = None;
    let p = plan::policy_with_topics(&q, &t.topics_into("capture"));
    assert_eq!(p["Statement"].as_array().unwrap().len(), 1);
}

fn row(reuse: i64) -> ResourceStatus {
    let t = tenancy();
    let mut r = ResourceStatus::of(
        SqsResource::Queue,
        "q",
        &t.key,
        Some(&Encryption::Kms(KEY.into())),
        "",
    );
    r.data_key_reuse_seconds = Some(reuse);
    r
}

fn cut(cutoff: Cutoff, state: &KeyState, refused: bool, watched: Option<u64>) -> Cut<'_> {
    Cut {
        cutoff,
        key_state: state,
        through_services_refused: refused,
        unusable_for: watched,
    }
}

#[test]
fn a_queue_is_shown_cut_only_after_the_key_was_watched_unusable_for_its_reuse_period() {
    let disabled = KeyState::Disabled;
    let r = row(120);
    let usable = evidence(
        SqsResource::Queue,
        &r,
        &cut(Cutoff::None, &KeyState::Enabled, false, None),
    );
    assert_eq!(usable.status, Status::Pass);
    assert!(usable.message.contains("120 s"), "{}", usable.message);
    for watched in [None, Some(0), Some(119)] {
        let c = evidence(
            SqsResource::Queue,
            &r,
            &cut(Cutoff::KeyUnusable, &disabled, false, watched),
        );
        assert_eq!(
            c.status,
            Status::Fail,
            "{watched:?}: never revoked unobserved"
        );
        assert!(c.remedy.as_ref().unwrap().text.contains("--watch-key"));
    }
    let c = evidence(
        SqsResource::Queue,
        &r,
        &cut(Cutoff::KeyUnusable, &disabled, false, Some(120)),
    );
    assert_eq!(c.status, Status::Pass, "{}", c.message);
    // Refused by the key policy: nothing shows the path through SQS refused, watched or not.
    let refused = KeyState::Refused;
    for through_services in [false, true] {
        let c = evidence(
            SqsResource::Queue,
            &r,
            &cut(
                Cutoff::RefusedToSpeedscale,
                &refused,
                through_services,
                Some(300),
            ),
        );
        assert_eq!(c.status, Status::Fail, "{}", c.message);
    }
}

#[test]
fn a_queue_off_the_key_and_its_old_messages_fail() {
    let t = tenancy();
    let mut r = row(300);
    r.state = crate::shared::ids::ResourceState::Drift;
    r.actual_key = "sse-sqs".into();
    let c = evidence(
        SqsResource::Queue,
        &r,
        &cut(Cutoff::None, &KeyState::Enabled, false, None),
    );
    assert_eq!((c.id, c.status), (CheckId::RevokeSqsQueue, Status::Fail));
    assert!(c.message.contains("sse-sqs"), "{}", c.message);

    let now = crate::shared::clock::now() as i64;
    let m =
        status::messages_row(&t, "q", 3, 345_600, Some(now - 10), true).expect("within retention");
    let c = evidence(
        SqsResource::Messages,
        &m,
        &cut(Cutoff::KeyUnusable, &KeyState::Disabled, false, Some(9999)),
    );
    assert_eq!((c.id, c.status), (CheckId::RevokeSqsMessages, Status::Fail));
    assert!(c.message.contains("3 message(s)"), "{}", c.message);
    // Past the retention period, or an empty queue, or a queue off the key: no such row.
    assert!(status::messages_row(&t, "q", 3, 100, Some(now - 1000), true).is_none());
    assert!(status::messages_row(&t, "q", 0, 345_600, Some(now), true).is_none());
    assert!(status::messages_row(&t, "q", 3, 345_600, Some(now), false).is_none());
}
