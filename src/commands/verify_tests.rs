//! verify's decisions against exact AWS responses and modelled errors, with no network
//! (aws-smithy-mocks).

use aws_sdk_kms::error::ErrorMetadata;
use aws_sdk_kms::operation::create_grant::{CreateGrantError, CreateGrantOutput};
use aws_sdk_kms::operation::decrypt::{DecryptError, DecryptOutput};
use aws_sdk_kms::operation::describe_key::{DescribeKeyError, DescribeKeyOutput};
use aws_sdk_kms::operation::generate_data_key::{GenerateDataKeyError, GenerateDataKeyOutput};
use aws_sdk_kms::operation::get_key_rotation_status::{
    GetKeyRotationStatusError, GetKeyRotationStatusOutput,
};
use aws_sdk_kms::types::error::{
    DisabledException, DryRunOperationException, KmsInvalidStateException, NotFoundException,
    UnsupportedOperationException,
};
use aws_sdk_kms::types::{
    KeyManagerType, KeyMetadata, KeySpec, KeyState, KeyUsageType, OriginType,
};
use aws_sdk_kms::Client as Kms;
use aws_sdk_s3::operation::delete_object::DeleteObjectOutput;
use aws_sdk_s3::operation::get_object::GetObjectOutput;
use aws_sdk_s3::operation::put_object::{PutObjectError, PutObjectOutput};
use aws_sdk_s3::types::ServerSideEncryption;
use aws_smithy_mocks::{mock, mock_client, Rule, RuleMode};
use aws_smithy_types::{Blob, DateTime};

use super::*;
use crate::shared::report::Status;
use strum::IntoEnumIterator;

/// verify's check ids, in report order.
fn check_ids() -> Vec<&'static str> {
    CheckId::iter().take(15).map(CheckId::as_str).collect()
}

fn id(s: &str) -> CheckId {
    CheckId::iter().find(|c| c.as_str() == s).unwrap()
}

const ARN: &str = "arn:aws:kms:us-east-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab";
const KEY_POLICY_DENIAL: &str = "User: arn:aws:iam::222222222222:root is not authorized to perform: kms:DescribeKey on this resource because no resource-based policy allows the kms:DescribeKey action";
const OUR_IAM_DENIAL: &str = "User: arn:aws:sts::222222222222:assumed-role/cmek/x is not authorized to perform: kms:GenerateDataKey because no identity-based policy allows the kms:GenerateDataKey action";
const PROBE_BODY: &[u8] = b"cmek verify probe: contains no tenant data\n";

fn req(probe: bool) -> VerifyRequest {
    VerifyRequest {
        tenant: "acme".parse().unwrap(),
        key: ARN.parse().unwrap(),
        account: "222222222222".into(),
        region: "us-east-1".into(),
        probe: probe.then(|| {
            (
                "speedscale-cmek-222222222222-us-east-1".to_string(),
                "cmek/probes/".to_string(),
            )
        }),
        endpoint: None,
        messaging: (false, false),
    }
}

fn metadata() -> aws_sdk_kms::types::builders::KeyMetadataBuilder {
    KeyMetadata::builder()
        .key_id("1234abcd-12ab-34cd-56ef-1234567890ab")
        .arn(ARN)
        .aws_account_id("111111111111")
        .key_state(KeyState::Enabled)
        .key_spec(KeySpec::SymmetricDefault)
        .key_usage(KeyUsageType::EncryptDecrypt)
        .key_manager(KeyManagerType::Customer)
        .origin(OriginType::AwsKms)
        .multi_region(false)
}

/// The metadata AWS's deserializer attaches to a modelled error.
fn meta(code: &str) -> ErrorMetadata {
    ErrorMetadata::builder().code(code).build()
}

/// An unmodelled AWS error (KMS does not model AccessDenied or throttling per operation).
macro_rules! generic {
    ($t:ty, $code:expr, $msg:expr) => {
        <$t>::generic(ErrorMetadata::builder().code($code).message($msg).build())
    };
}

/// Mocks for a healthy key; `overrides` replace the rule for the same operation.
struct Kit {
    describe: Rule,
    rotation: Rule,
    generate: Rule,
    decrypt: Rule,
    grant: Rule,
}

impl Kit {
    fn healthy() -> Self {
        Self {
            describe: mock!(Kms::describe_key)
                .match_requests(|r| r.key_id() == Some(ARN))
                .then_output(|| DescribeKeyOutput::builder().key_metadata(metadata().build().unwrap()).build()),
            rotation: mock!(Kms::get_key_rotation_status)
                .then_output(|| GetKeyRotationStatusOutput::builder().key_rotation_enabled(false).build()),
            generate: mock!(Kms::generate_data_key)
                .match_requests(|r| {
                    let ctx = r.encryption_context().cloned().unwrap_or_default();
                    ctx.get("speedscale:purpose").map(String::as_str) == Some("cmek-verify")
                        && ctx.get("speedscale:tenant").map(String::as_str) == Some("acme")
                })
                .then_output(|| {
                    GenerateDataKeyOutput::builder()
                        .key_id(ARN)
                        .plaintext(Blob::new(vec![7u8; 32]))
                        .ciphertext_blob(Blob::new(b"ciphertext".to_vec()))
                        .build()
                }),
            decrypt: mock!(Kms::decrypt)
                .match_requests(|r| r.key_id() == Some(ARN) && r.encryption_context().is_some())
                .then_output(|| DecryptOutput::builder().key_id(ARN).plaintext(Blob::new(vec![7u8; 32])).build()),
            grant: mock!(Kms::create_grant).match_requests(|r| r.dry_run() == Some(true)).then_error(|| {
                CreateGrantError::generic(
                    ErrorMetadata::builder()
                        .code("AccessDeniedException")
                        .message("User: arn:aws:iam::222222222222:root is not authorized to perform: kms:CreateGrant on this resource because no resource-based policy allows the kms:CreateGrant action")
                        .build(),
                )
            }),
        }
    }

    fn kms(&self) -> Kms {
        mock_client!(
            aws_sdk_kms,
            RuleMode::MatchAny,
            [
                &self.describe,
                &self.rotation,
                &self.generate,
                &self.decrypt,
                &self.grant
            ],
            |c| c.retry_config(
                aws_smithy_types::retry::RetryConfig::standard()
                    .with_max_attempts(3)
                    .with_initial_backoff(std::time::Duration::from_millis(1))
            )
        )
    }
}

fn no_s3() -> aws_sdk_s3::Client {
    mock_client!(aws_sdk_s3, RuleMode::MatchAny, &[] as &[&Rule])
}

async fn run(kit: Kit) -> VerifyReport {
    verify(&kit.kms(), &no_s3(), &req(false))
        .await
        .expect("verify answers")
}

fn status(report: &VerifyReport, check: &str) -> Status {
    report
        .check(id(check))
        .unwrap_or_else(|| panic!("no check {check}"))
        .status
}

#[tokio::test]
async fn healthy_key_passes_every_check() {
    let report = run(Kit::healthy()).await;
    assert_eq!(report.verdict.as_str(), "pass", "{report:#?}");
    assert_eq!(
        report
            .checks
            .iter()
            .map(|c| c.id.as_str())
            .collect::<Vec<_>>(),
        check_ids()
    );
    for id in &check_ids()[..12] {
        assert_eq!(status(&report, id), Status::Pass, "{id}");
    }
    for check in ["s3-via-service", "firehose-via-service", "rds-via-service"] {
        assert_eq!(status(&report, check), Status::Skip);
        assert!(report
            .check(id(check))
            .unwrap()
            .remedy
            .as_ref()
            .unwrap()
            .contains("kms:ViaService"));
    }
}

#[tokio::test]
async fn disabled_key_fails_state_and_round_trip() {
    let mut kit = Kit::healthy();
    kit.describe = mock!(Kms::describe_key).then_output(|| {
        DescribeKeyOutput::builder()
            .key_metadata(metadata().key_state(KeyState::Disabled).build().unwrap())
            .build()
    });
    kit.generate = mock!(Kms::generate_data_key).then_error(|| {
        GenerateDataKeyError::DisabledException(
            DisabledException::builder()
                .meta(meta("DisabledException"))
                .message(format!("{ARN} is disabled."))
                .build(),
        )
    });
    let report = run(kit).await;
    assert_eq!(report.verdict.as_str(), "fail");
    assert_eq!(status(&report, "key-state"), Status::Fail);
    assert!(report
        .check(id("key-state"))
        .unwrap()
        .remedy
        .as_ref()
        .unwrap()
        .contains("enable"));
    let rt = report.check(id("kms-round-trip")).unwrap();
    assert_eq!(rt.status, Status::Fail);
    assert_eq!(rt.aws_error.as_deref(), Some("DisabledException"));
}

#[tokio::test]
async fn pending_deletion_shows_the_date() {
    let mut kit = Kit::healthy();
    kit.describe = mock!(Kms::describe_key).then_output(|| {
        DescribeKeyOutput::builder()
            .key_metadata(
                metadata()
                    .key_state(KeyState::PendingDeletion)
                    .deletion_date(DateTime::from_secs(1_900_000_000))
                    .build()
                    .unwrap(),
            )
            .build()
    });
    kit.generate = mock!(Kms::generate_data_key).then_error(|| {
        GenerateDataKeyError::KmsInvalidStateException(
            KmsInvalidStateException::builder()
                .meta(meta("KMSInvalidStateException"))
                .message("pending deletion")
                .build(),
        )
    });
    let report = run(kit).await;
    let state = report.check(id("key-state")).unwrap();
    assert_eq!(state.status, Status::Fail);
    assert!(state.message.contains("2030-03-17"), "{}", state.message);
    assert!(state.remedy.as_ref().unwrap().contains("cancel"));
    assert_eq!(
        report
            .check(id("kms-round-trip"))
            .unwrap()
            .aws_error
            .as_deref(),
        Some("KMSInvalidStateException")
    );
}

#[tokio::test]
async fn key_policy_denial_is_a_failed_check_with_the_statement_to_add() {
    let mut kit = Kit::healthy();
    kit.describe = mock!(Kms::describe_key)
        .then_error(|| generic!(DescribeKeyError, "AccessDeniedException", KEY_POLICY_DENIAL));
    kit.generate = mock!(Kms::generate_data_key).then_error(|| {
        generic!(
            GenerateDataKeyError,
            "AccessDeniedException",
            KEY_POLICY_DENIAL
        )
    });
    kit.rotation = mock!(Kms::get_key_rotation_status).then_error(|| {
        generic!(
            GetKeyRotationStatusError,
            "AccessDeniedException",
            KEY_POLICY_DENIAL
        )
    });
    let report = run(kit).await;
    assert_eq!(report.verdict.as_str(), "fail");
    let access = report.check(id("key-access")).unwrap();
    assert_eq!(access.status, Status::Fail);
    assert!(access.message.contains("key policy"));
    assert!(access.remedy.as_ref().unwrap().contains("kms:DescribeKey"));
    assert!(access
        .remedy
        .as_ref()
        .unwrap()
        .contains("arn:aws:iam::222222222222:root"));
    for id in &check_ids()[1..9] {
        assert_eq!(status(&report, id), Status::Skip, "{id}");
    }
    assert_eq!(status(&report, "key-rotation"), Status::Warn);
    let rt = report.check(id("kms-round-trip")).unwrap();
    assert!(rt
        .remedy
        .as_ref()
        .unwrap()
        .contains("kms:EncryptionContext:speedscale:purpose"));
}

#[tokio::test]
async fn missing_key_says_check_the_arn() {
    let mut kit = Kit::healthy();
    kit.describe = mock!(Kms::describe_key).then_error(|| {
        DescribeKeyError::NotFoundException(
            NotFoundException::builder()
                .meta(meta("NotFoundException"))
                .message("Key does not exist")
                .build(),
        )
    });
    let report = run(kit).await;
    let access = report.check(id("key-access")).unwrap();
    assert_eq!(access.status, Status::Fail);
    assert_eq!(access.aws_error.as_deref(), Some("NotFoundException"));
    assert!(access.remedy.as_ref().unwrap().contains("ARN"));
}

#[tokio::test]
async fn wrong_kinds_of_key_fail() {
    for (spec, usage, manager, failing) in [
        (
            KeySpec::Rsa2048,
            KeyUsageType::EncryptDecrypt,
            KeyManagerType::Customer,
            "key-spec",
        ),
        (
            KeySpec::Hmac256,
            KeyUsageType::GenerateVerifyMac,
            KeyManagerType::Customer,
            "key-usage",
        ),
        (
            KeySpec::EccNistP256,
            KeyUsageType::SignVerify,
            KeyManagerType::Customer,
            "key-usage",
        ),
        (
            KeySpec::SymmetricDefault,
            KeyUsageType::EncryptDecrypt,
            KeyManagerType::Aws,
            "key-manager",
        ),
    ] {
        let mut kit = Kit::healthy();
        let m = metadata()
            .key_spec(spec.clone())
            .key_usage(usage)
            .key_manager(manager)
            .build()
            .unwrap();
        kit.describe = mock!(Kms::describe_key)
            .then_output(move || DescribeKeyOutput::builder().key_metadata(m.clone()).build());
        let report = run(kit).await;
        assert_eq!(status(&report, failing), Status::Fail, "{spec:?}");
        assert_eq!(report.verdict.as_str(), "fail");
    }
}

#[tokio::test]
async fn imported_material_custom_stores_rotation_and_multi_region_warn() {
    for origin in [
        OriginType::External,
        OriginType::AwsCloudhsm,
        OriginType::ExternalKeyStore,
    ] {
        let mut kit = Kit::healthy();
        let m = metadata()
            .origin(origin.clone())
            .valid_to(DateTime::from_secs(1_900_000_000))
            .build()
            .unwrap();
        kit.describe = mock!(Kms::describe_key)
            .then_output(move || DescribeKeyOutput::builder().key_metadata(m.clone()).build());
        let report = run(kit).await;
        assert_eq!(status(&report, "key-origin"), Status::Warn, "{origin:?}");
        assert_eq!(report.verdict.as_str(), "pass");
    }
    let mut kit = Kit::healthy();
    kit.rotation = mock!(Kms::get_key_rotation_status).then_output(|| {
        GetKeyRotationStatusOutput::builder()
            .key_rotation_enabled(true)
            .build()
    });
    kit.describe = mock!(Kms::describe_key).then_output(|| {
        DescribeKeyOutput::builder()
            .key_metadata(metadata().multi_region(true).build().unwrap())
            .build()
    });
    let report = run(kit).await;
    assert_eq!(status(&report, "key-rotation"), Status::Warn);
    assert_eq!(status(&report, "key-multi-region"), Status::Warn);
    assert_eq!(report.verdict.as_str(), "pass");
}

#[tokio::test]
async fn rotation_unsupported_is_skipped() {
    let mut kit = Kit::healthy();
    kit.rotation = mock!(Kms::get_key_rotation_status).then_error(|| {
        GetKeyRotationStatusError::UnsupportedOperationException(
            UnsupportedOperationException::builder()
                .meta(meta("UnsupportedOperationException"))
                .message("n/a")
                .build(),
        )
    });
    assert_eq!(status(&run(kit).await, "key-rotation"), Status::Skip);
}

#[tokio::test]
async fn direct_grant_allowed_is_a_warning() {
    let mut kit = Kit::healthy();
    kit.grant = mock!(Kms::create_grant).then_error(|| {
        CreateGrantError::DryRunOperationException(
            DryRunOperationException::builder()
                .meta(meta("DryRunOperationException"))
                .message("The request would have succeeded")
                .build(),
        )
    });
    let report = run(kit).await;
    let g = report.check(id("kms-grant-direct")).unwrap();
    assert_eq!(g.status, Status::Warn);
    assert!(g
        .remedy
        .as_ref()
        .unwrap()
        .contains("kms:GrantIsForAWSResource"));
    let mut kit = Kit::healthy();
    kit.grant =
        mock!(Kms::create_grant).then_output(|| CreateGrantOutput::builder().grant_id("g").build());
    assert_eq!(status(&run(kit).await, "kms-grant-direct"), Status::Warn);
}

#[tokio::test]
async fn round_trip_mismatch_fails() {
    let mut kit = Kit::healthy();
    kit.decrypt = mock!(Kms::decrypt).then_output(|| {
        DecryptOutput::builder()
            .key_id(ARN)
            .plaintext(Blob::new(vec![8u8; 32]))
            .build()
    });
    let rt = run(kit).await.check(id("kms-round-trip")).cloned().unwrap();
    assert_eq!(rt.status, Status::Fail);
    assert!(rt.message.contains("did not return"));
    let mut kit = Kit::healthy();
    kit.decrypt = mock!(Kms::decrypt).then_error(|| {
        DecryptError::DisabledException(
            DisabledException::builder()
                .meta(meta("DisabledException"))
                .message("disabled")
                .build(),
        )
    });
    assert_eq!(status(&run(kit).await, "kms-round-trip"), Status::Fail);
}

#[tokio::test]
async fn our_own_iam_denial_is_an_error_not_a_finding() {
    let mut kit = Kit::healthy();
    kit.generate = mock!(Kms::generate_data_key).then_error(|| {
        generic!(
            GenerateDataKeyError,
            "AccessDeniedException",
            OUR_IAM_DENIAL
        )
    });
    let err = verify(&kit.kms(), &no_s3(), &req(false)).await.unwrap_err();
    assert!(err.to_string().contains("Speedscale's own IAM"), "{err}");
}

#[tokio::test]
async fn throttling_is_retried_then_reported_as_our_side() {
    // Two throttles then success: the SDK's retries absorb it.
    let mut kit = Kit::healthy();
    kit.describe = mock!(Kms::describe_key)
        .sequence()
        .error(|| generic!(DescribeKeyError, "ThrottlingException", "Rate exceeded"))
        .times(2)
        .output(|| {
            DescribeKeyOutput::builder()
                .key_metadata(metadata().build().unwrap())
                .build()
        })
        .build();
    let kms = kit.kms();
    assert_eq!(
        verify(&kms, &no_s3(), &req(false))
            .await
            .unwrap()
            .verdict
            .as_str(),
        "pass"
    );
    assert_eq!(kit.describe.num_calls(), 3);
    // Throttled on every attempt: exit 3, never a verdict.
    let mut kit = Kit::healthy();
    kit.describe = mock!(Kms::describe_key)
        .sequence()
        .error(|| generic!(DescribeKeyError, "ThrottlingException", "Rate exceeded"))
        .repeatedly()
        .build();
    let err = verify(&kit.kms(), &no_s3(), &req(false)).await.unwrap_err();
    assert!(err.to_string().contains("throttled"), "{err}");
}

fn s3_with(put: Rule) -> (aws_sdk_s3::Client, [Rule; 3]) {
    let get = mock!(aws_sdk_s3::Client::get_object).then_output(|| {
        GetObjectOutput::builder()
            .body(aws_sdk_s3::primitives::ByteStream::from_static(PROBE_BODY))
            .build()
    });
    let delete = mock!(aws_sdk_s3::Client::delete_object)
        .then_output(|| DeleteObjectOutput::builder().build());
    let client = mock_client!(aws_sdk_s3, RuleMode::MatchAny, [&put, &get, &delete]);
    (client, [put, get, delete])
}

/// A PutObject that fails with this S3 error, and verify's answer with it.
async fn probe_with_put_error(
    code: &'static str,
    message: &'static str,
) -> Result<VerifyReport, Error> {
    let put = mock!(aws_sdk_s3::Client::put_object).then_error(move || {
        PutObjectError::generic(
            aws_sdk_s3::error::ErrorMetadata::builder()
                .code(code)
                .message(message)
                .build(),
        )
    });
    let (s3, _) = s3_with(put);
    verify(&Kit::healthy().kms(), &s3, &req(true)).await
}

#[tokio::test]
async fn s3_probe_writes_reads_and_deletes_under_the_key() {
    let put = mock!(aws_sdk_s3::Client::put_object)
        .match_requests(|r| {
            r.ssekms_key_id() == Some(ARN)
                && r.server_side_encryption() == Some(&ServerSideEncryption::AwsKms)
                && r.key().is_some_and(|k| k.starts_with("cmek/probes/acme/"))
        })
        .then_output(|| {
            PutObjectOutput::builder()
                .server_side_encryption(ServerSideEncryption::AwsKms)
                .ssekms_key_id(ARN)
                .build()
        });
    let (s3, rules) = s3_with(put);
    let report = verify(&Kit::healthy().kms(), &s3, &req(true))
        .await
        .unwrap();
    assert_eq!(status(&report, "s3-via-service"), Status::Pass);
    assert!(
        rules.iter().all(|r| r.num_calls() == 1),
        "put, get and delete once each"
    );
}

#[tokio::test]
async fn s3_probe_reports_the_key_refusal_and_skips_without_a_bucket() {
    let put = mock!(aws_sdk_s3::Client::put_object).then_error(|| {
        PutObjectError::generic(
            aws_sdk_s3::error::ErrorMetadata::builder()
                .code("AccessDenied")
                .message("User: arn:aws:iam::222222222222:root is not authorized to perform: kms:GenerateDataKey on resource: x because no resource-based policy allows the kms:GenerateDataKey action")
                .build(),
        )
    });
    let (s3, _) = s3_with(put);
    let report = verify(&Kit::healthy().kms(), &s3, &req(true))
        .await
        .unwrap();
    let c = report.check(id("s3-via-service")).unwrap();
    assert_eq!(c.status, Status::Fail);
    assert!(c
        .remedy
        .as_ref()
        .unwrap()
        .contains("s3.us-east-1.amazonaws.com"));
    assert_eq!(report.verdict.as_str(), "fail");

    let disabled = probe_with_put_error("KMS.DisabledException", "disabled")
        .await
        .unwrap();
    assert_eq!(status(&disabled, "s3-via-service"), Status::Fail);
    let no_bucket = probe_with_put_error("NoSuchBucket", "no bucket")
        .await
        .unwrap();
    assert_eq!(status(&no_bucket, "s3-via-service"), Status::Skip);
}

#[tokio::test]
async fn s3_probe_denied_by_our_own_bucket_policy_is_our_side() {
    assert!(probe_with_put_error("AccessDenied", "Access Denied")
        .await
        .is_err());
}

#[tokio::test]
async fn described_arn_or_owner_that_do_not_match_fail() {
    let mut kit = Kit::healthy();
    kit.describe = mock!(Kms::describe_key).then_output(|| {
        let other = "arn:aws:kms:us-east-1:111111111111:key/mrk-0123456789abcdef0123456789abcdef";
        DescribeKeyOutput::builder()
            .key_metadata(
                metadata()
                    .arn(other)
                    .aws_account_id("333333333333")
                    .build()
                    .unwrap(),
            )
            .build()
    });
    let report = run(kit).await;
    assert_eq!(status(&report, "key-region"), Status::Fail);
    assert_eq!(status(&report, "key-owner"), Status::Fail);
    assert_eq!(report.verdict.as_str(), "fail");
}

#[tokio::test]
async fn unattributed_access_denied_is_a_finding_about_the_key() {
    let mut kit = Kit::healthy();
    kit.describe = mock!(Kms::describe_key)
        .then_error(|| generic!(DescribeKeyError, "AccessDeniedException", "Access denied"));
    let report = run(kit).await;
    let access = report.check(id("key-access")).unwrap();
    assert_eq!(access.status, Status::Fail);
    assert!(
        access.message.contains("did not say which policy"),
        "{}",
        access.message
    );
}

#[test]
fn a_producer_is_a_skip_until_enable_writes_its_policy_and_an_external_one_without_it_fails() {
    use crate::environment::ProducersPolicy;
    use crate::services::iam::{producer_policy, ProducerState};
    let t = crate::shared::tenancy::test_tenancy(ARN);
    let mut p = ProducerState {
        role_use: crate::shared::role_use::RoleUse::StreamProducer,
        stream_id: "events".into(),
        role_arn: "arn:aws:iam::222222222222:role/ingest-acme".into(),
        mode: ProducersPolicy::Managed,
        foreign: false,
        exists: true,
        tagged: true,
        policy: None,
        denied: vec![],
    };
    assert_eq!(producer_check(&t, &p).status, Status::Skip);
    p.policy = Some(producer_policy(&t, None));
    assert_eq!(producer_check(&t, &p).status, Status::Pass);
    p.mode = ProducersPolicy::External;
    p.denied = vec!["kms:GenerateDataKey".into()];
    let c = producer_check(&t, &p);
    assert_eq!(
        (c.id, c.status),
        (CheckId::ProducerKeyPermission, Status::Fail)
    );
    let remedy = c.remedy.unwrap().to_string();
    assert!(
        remedy.contains("firehose.us-east-1.amazonaws.com") && remedy.contains(ARN),
        "{remedy}"
    );
    p.denied.clear();
    assert_eq!(producer_check(&t, &p).status, Status::Pass);
    p.mode = ProducersPolicy::Managed;
    p.tagged = false;
    let c = producer_check(&t, &p);
    assert_eq!(c.status, Status::Fail);
    assert!(c.remedy.unwrap().to_string().contains("aws iam tag-role"));
    p.foreign = true;
    assert_eq!(producer_check(&t, &p).status, Status::Fail);
    p.foreign = false;
    p.exists = false;
    assert!(producer_check(&t, &p).message.contains("does not exist"));
}
