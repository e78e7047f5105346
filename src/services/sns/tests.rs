//! Topic plans.

use super::*;
use crate::shared::ids::NoteId;
use crate::shared::steps::{Action, SnsStep, Step};
use crate::shared::tenancy::{Encryption, Tenancy};

const KEY: &str = "arn:aws:kms:us-east-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab";
const OTHER: &str = "arn:aws:kms:us-east-1:111111111111:key/99999999-12ab-34cd-56ef-1234567890ab";

fn tenancy() -> Tenancy {
    let env = crate::environment::Environment::from_toml(
        "[[queue]]\nid = \"capture\"\nname = \"speedscale-{tenant}-capture\"\n[[topic]]\nid = \"events\"\nname = \"speedscale-{tenant}-events\"\nqueues = [\"capture\"]\n",
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

fn steps(c: &crate::shared::steps::Change) -> Vec<Step> {
    c.steps.clone()
}

fn topic(t: &Tenancy) -> TopicState {
    let name = t.names.topics[0].1.clone();
    TopicState {
        id: "events".into(),
        arn: t.topic_arn(&name),
        name,
        exists: true,
        encryption: Encryption::Kms(KEY.into()),
        queues: vec![t.queue_arn(&t.names.queues[0].1)],
        tags: t.tags(),
    }
}

#[test]
fn topics_are_created_put_on_the_key_and_subscribed() {
    let t = tenancy();
    let c = plan_topic(&t, &topic(&t));
    assert_eq!(c.action, Action::None);
    assert_eq!(c.notes[0].id, NoteId::SnsDeliveryNeedsKeyPolicy);

    let mut s = topic(&t);
    s.exists = false;
    let c = plan_topic(&t, &s);
    assert_eq!(
        steps(&c),
        [
            Step::Sns(SnsStep::CreateTopic),
            Step::Sns(SnsStep::SubscribeQueues)
        ]
    );

    let mut s = topic(&t);
    s.encryption = Encryption::Kms(OTHER.into());
    s.queues.clear();
    let c = plan_topic(&t, &s);
    assert_eq!(
        steps(&c),
        [
            Step::Sns(SnsStep::SetTopicEncryption),
            Step::Sns(SnsStep::SubscribeQueues)
        ]
    );
    assert!(c.reason.contains(OTHER), "{}", c.reason);
}
