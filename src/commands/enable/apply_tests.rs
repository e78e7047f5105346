//! Apply's handling of exact AWS answers and modelled errors, with no network (aws-smithy-mocks).

use aws_sdk_firehose::operation::describe_delivery_stream::DescribeDeliveryStreamOutput;
use aws_sdk_firehose::operation::start_delivery_stream_encryption::StartDeliveryStreamEncryptionOutput;
use aws_sdk_firehose::types::{
    DeliveryStreamDescription, DeliveryStreamEncryptionConfiguration,
    DeliveryStreamEncryptionStatus, DeliveryStreamFailureType, DeliveryStreamStatus,
    DeliveryStreamType, FailureDescription,
};
use aws_sdk_rds::operation::create_db_instance::CreateDBInstanceError;
use aws_sdk_rds::operation::describe_db_instances::DescribeDbInstancesOutput;
use aws_sdk_rds::types::error::{DbInstanceAlreadyExistsFault, KmsKeyNotAccessibleFault};
use aws_sdk_rds::types::DbInstance;
use aws_smithy_mocks::{mock, mock_client, RuleMode};
use aws_smithy_types::error::ErrorMetadata;

use super::*;
use crate::shared::steps::{FirehoseStep, RdsStep, RecordStep, Silent};

const KEY: &str = "arn:aws:kms:us-east-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab";

fn tenancy() -> Tenancy {
    crate::shared::tenancy::test_tenancy(KEY)
}

fn clients(rds: aws_sdk_rds::Client, firehose: aws_sdk_firehose::Client) -> Clients {
    Clients {
        rds,
        firehose,
        ..Clients::idle()
    }
}

fn change(id: &str, kind: Kind, resource: &str, steps: &[Step]) -> Change {
    Change {
        id: id.into(),
        kind,
        resource: resource.into(),
        action: Action::Create,
        reason: "test".into(),
        steps: steps.to_vec(),
        notes: vec![],
        objects: None,
    }
}

fn observed() -> Observed {
    Observed::default()
}

async fn run(c: &Clients, plan: &Plan) -> Vec<ChangeResult> {
    let waits = Waits {
        stream: std::time::Duration::from_secs(5),
        database: std::time::Duration::from_secs(5),
    };
    apply(
        c,
        &tenancy(),
        plan,
        &observed(),
        &Silent,
        waits,
        async { Ok(()) },
        async { Ok(()) },
    )
    .await
}

fn db(status: &str) -> DbInstance {
    DbInstance::builder()
        .db_instance_identifier("speedscale-acme")
        .db_instance_status(status)
        .storage_encrypted(true)
        .kms_key_id(KEY)
        .build()
}

fn db_plan() -> Plan {
    Plan {
        changes: vec![change(
            "database",
            Kind::RdsInstance,
            "speedscale-acme",
            &[
                Step::Rds(RdsStep::CreateDatabase),
                Step::Rds(RdsStep::WaitDatabase),
            ],
        )],
    }
}

#[tokio::test]
async fn a_key_rds_cannot_use_fails_the_step_naming_the_cause_and_skips_the_rest() {
    let create = mock!(aws_sdk_rds::Client::create_db_instance).then_error(|| {
        CreateDBInstanceError::KmsKeyNotAccessibleFault(
            KmsKeyNotAccessibleFault::builder()
                .message("The specified KMS key does not exist, is not enabled or you do not have permissions to access it.")
                .meta(ErrorMetadata::builder().code("KMSKeyNotAccessibleFault").build())
                .build(),
        )
    });
    let rds = mock_client!(aws_sdk_rds, [&create]);
    let c = clients(rds, Clients::idle().firehose);
    let r = run(&c, &db_plan()).await;
    assert_eq!(r[0].outcome, Outcome::Failed);
    assert_eq!(r[0].results[0].outcome, Outcome::Failed);
    assert_eq!(
        r[0].results[0].aws_error.as_deref(),
        Some("KMSKeyNotAccessibleFault")
    );
    let m = r[0].results[0].message.as_deref().unwrap();
    assert!(
        m.starts_with("RDS cannot use the key for Speedscale"),
        "{m}"
    );
    assert!(
        !m.contains("may or may not"),
        "AWS answered: it did not happen"
    );
    assert_eq!(r[0].results[1].outcome, Outcome::Skipped);
}

#[tokio::test]
async fn a_create_whose_answer_was_lost_finds_its_resource_and_waits_for_it() {
    let create = mock!(aws_sdk_rds::Client::create_db_instance).then_error(|| {
        CreateDBInstanceError::DbInstanceAlreadyExistsFault(
            DbInstanceAlreadyExistsFault::builder()
                .meta(
                    ErrorMetadata::builder()
                        .code("DBInstanceAlreadyExists")
                        .build(),
                )
                .build(),
        )
    });
    let describe = mock!(aws_sdk_rds::Client::describe_db_instances)
        .sequence()
        .output(|| {
            DescribeDbInstancesOutput::builder()
                .db_instances(db("creating"))
                .build()
        })
        .output(|| {
            DescribeDbInstancesOutput::builder()
                .db_instances(db("backing-up"))
                .build()
        })
        .output(|| {
            DescribeDbInstancesOutput::builder()
                .db_instances(db("available"))
                .build()
        })
        .build();
    let rds = mock_client!(aws_sdk_rds, RuleMode::MatchAny, [&create, &describe]);
    let c = clients(rds, Clients::idle().firehose);
    let r = run(&c, &db_plan()).await;
    assert_eq!(r[0].outcome, Outcome::Applied, "{r:#?}");
    assert_eq!(r[0].results[0].message.as_deref(), Some("already existed"));
    assert_eq!(describe.num_calls(), 3);
}

#[tokio::test]
async fn enabling_failed_stops_with_firehoses_failure_description() {
    let start = mock!(aws_sdk_firehose::Client::start_delivery_stream_encryption)
        .then_output(|| StartDeliveryStreamEncryptionOutput::builder().build());
    let describe = mock!(aws_sdk_firehose::Client::describe_delivery_stream).then_output(|| {
        DescribeDeliveryStreamOutput::builder()
            .delivery_stream_description(
                DeliveryStreamDescription::builder()
                    .delivery_stream_name("speedscale-acme-events")
                    .delivery_stream_arn("arn:aws:firehose:us-east-1:222222222222:deliverystream/speedscale-acme-events")
                    .delivery_stream_status(DeliveryStreamStatus::Active)
                    .delivery_stream_type(DeliveryStreamType::DirectPut)
                    .version_id("2")
                    .has_more_destinations(false)
                    .set_destinations(Some(vec![]))
                    .delivery_stream_encryption_configuration(
                        DeliveryStreamEncryptionConfiguration::builder()
                            .status(DeliveryStreamEncryptionStatus::EnablingFailed)
                            .failure_description(
                                FailureDescription::builder()
                                    .r#type(DeliveryStreamFailureType::KmsAccessDenied)
                                    .details("Access was denied to the KMS key")
                                    .build()
                                    .unwrap(),
                            )
                            .build(),
                    )
                    .build()
                    .unwrap(),
            )
            .build()
    });
    let firehose = mock_client!(aws_sdk_firehose, RuleMode::MatchAny, [&start, &describe]);
    let c = clients(Clients::idle().rds, firehose);
    let plan = Plan {
        changes: vec![change(
            "stream:events",
            Kind::FirehoseStream,
            "speedscale-acme-events",
            &[
                Step::Firehose(FirehoseStep::StartStreamEncryption),
                Step::Firehose(FirehoseStep::WaitStreamEncryption),
                Step::Firehose(FirehoseStep::UpdateDestinationEncryption),
            ],
        )],
    };
    let r = run(&c, &plan).await;
    assert_eq!(r[0].outcome, Outcome::Failed);
    let wait = &r[0].results[1];
    assert_eq!(wait.outcome, Outcome::Failed);
    assert_eq!(wait.aws_error.as_deref(), Some("ENABLING_FAILED"));
    let m = wait.message.as_deref().unwrap();
    assert!(m.contains("KMS_ACCESS_DENIED: Access was denied"), "{m}");
    assert!(m.contains("keeps the stream's previous encryption"), "{m}");
    // Either the key policy or Firehose refusing a key from another account (not documented):
    // both are named, with the documented alternative.
    assert!(m.contains("from another account"), "{m}");
    assert!(m.contains("encryption = \"aws-owned\""), "{m}");
    assert_eq!(r[0].results[2].outcome, Outcome::Skipped);
}

#[tokio::test]
async fn the_record_is_written_only_when_everything_else_applied() {
    let create = mock!(aws_sdk_rds::Client::create_db_instance).then_error(|| {
        CreateDBInstanceError::generic(
            ErrorMetadata::builder()
                .code("Throttling")
                .message("Rate exceeded")
                .build(),
        )
    });
    let rds = mock_client!(aws_sdk_rds, [&create]);
    let c = clients(rds, Clients::idle().firehose);
    let mut plan = db_plan();
    plan.changes.push(change(
        "record",
        Kind::RegistryRecord,
        "acme",
        &[Step::Record(RecordStep::WriteRecord)],
    ));
    let written = std::sync::atomic::AtomicBool::new(false);
    let waits = Waits::default();
    let r = apply(
        &c,
        &tenancy(),
        &plan,
        &observed(),
        &Silent,
        waits,
        async { Ok(()) },
        async {
            written.store(true, std::sync::atomic::Ordering::SeqCst);
            Ok(())
        },
    )
    .await;
    assert!(!written.load(std::sync::atomic::Ordering::SeqCst));
    assert_eq!(r[1].change.id, "record");
    assert_eq!(r[1].outcome, Outcome::Skipped);
    let m = r[0].results[0].message.as_deref().unwrap();
    assert!(m.contains("throttled"), "{m}");
}
