"""Each fidelity rule of localaws.py, tested on its own against the running layer with boto3.

Customer and Speedscale are different accounts throughout; nothing leaves 127.0.0.1.
"""

import json
import threading
import unittest

import boto3
import botocore.config
from botocore.exceptions import ClientError
from werkzeug.serving import make_server

import localaws
import policy
from moto.moto_server.werkzeug_app import DomainDispatcherApplication, MotoRequestHandler, create_backend_app

CUSTOMER, SPEEDSCALE, OTHER = "111111111111", "222222222222", "333333333333"
REGION = "us-east-1"
NO_RETRY = botocore.config.Config(retries={"total_max_attempts": 1, "mode": "standard"})


def setUpModule():
    global SERVER, URL
    app = localaws.Fidelity(DomainDispatcherApplication(create_backend_app))
    SERVER = make_server("127.0.0.1", 0, app, threaded=True, request_handler=MotoRequestHandler)
    URL = f"http://127.0.0.1:{SERVER.server_address[1]}"
    threading.Thread(target=SERVER.serve_forever, daemon=True).start()


def tearDownModule():
    SERVER.shutdown()


def client(service, account):
    return boto3.client(service, endpoint_url=URL, region_name=REGION, config=NO_RETRY,
                        aws_access_key_id=f"AKIA{account}TEST", aws_secret_access_key="x")


def root(account):
    return f"arn:aws:iam::{account}:root"


def make_key(statements, **kw):
    pol = {"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Principal": {"AWS": root(CUSTOMER)}, "Action": "kms:*", "Resource": "*"}] + statements}
    return client("kms", CUSTOMER).create_key(Policy=json.dumps(pol), **kw)["KeyMetadata"]["Arn"]


def allow(actions, condition=None, account=SPEEDSCALE):
    st = {"Effect": "Allow", "Principal": {"AWS": root(account)}, "Action": actions, "Resource": "*"}
    if condition:
        st["Condition"] = condition
    return st


def code(fn, *a, **kw):
    try:
        fn(*a, **kw)
    except ClientError as e:
        return e.response["Error"]["Code"], e.response["Error"].get("Message", "")
    return None, ""


CTX = {"speedscale:purpose": "cmek-verify"}


class R1R2CallerAccountsAndRouting(unittest.TestCase):
    def test_sts_says_which_account_signed(self):
        self.assertEqual(client("sts", SPEEDSCALE).get_caller_identity()["Account"], SPEEDSCALE)

    def test_cross_account_describe_by_arn_reaches_the_owner(self):
        arn = make_key([allow(["kms:DescribeKey"])])
        meta = client("kms", SPEEDSCALE).describe_key(KeyId=arn)["KeyMetadata"]
        self.assertEqual(meta["AWSAccountId"], CUSTOMER)
        self.assertEqual(meta["KeyUsage"], "ENCRYPT_DECRYPT", "AWS's default KeyUsage")

    def test_operations_that_are_not_cross_account_are_not_found(self):
        arn = make_key([allow(["kms:*"])])
        self.assertEqual(code(client("kms", SPEEDSCALE).get_key_policy, KeyId=arn, PolicyName="default")[0],
                         "NotFoundException")
        self.assertEqual(code(client("kms", SPEEDSCALE).disable_key, KeyId=arn)[0], "NotFoundException")

    def test_the_owner_can_manage_its_key_by_arn(self):
        arn = make_key([])
        kms = client("kms", CUSTOMER)
        kms.disable_key(KeyId=arn)  # moto alone answers HTTP 500
        self.assertEqual(kms.describe_key(KeyId=arn)["KeyMetadata"]["KeyState"], "Disabled")
        kms.enable_key(KeyId=arn)


class R3KeyPolicy(unittest.TestCase):
    def test_no_allow_for_the_account_is_denied_by_the_resource_policy(self):
        arn = make_key([allow(["kms:DescribeKey"], account=OTHER)])
        c, msg = code(client("kms", SPEEDSCALE).describe_key, KeyId=arn)
        self.assertEqual(c, "AccessDeniedException")
        self.assertIn("because no resource-based policy allows the kms:DescribeKey action", msg)

    def test_explicit_deny_wins(self):
        deny = {"Effect": "Deny", "Principal": {"AWS": root(SPEEDSCALE)}, "Action": "kms:Decrypt", "Resource": "*"}
        arn = make_key([allow(["kms:*"]), deny])
        kms = client("kms", SPEEDSCALE)
        blob = kms.generate_data_key(KeyId=arn, KeySpec="AES_256", EncryptionContext=CTX)["CiphertextBlob"]
        c, msg = code(kms.decrypt, KeyId=arn, CiphertextBlob=blob, EncryptionContext=CTX)
        self.assertEqual(c, "AccessDeniedException")
        self.assertIn("explicit deny", msg)

    def test_via_service_never_holds_for_a_direct_call(self):
        arn = make_key([allow(["kms:GenerateDataKey"], {"StringEquals": {"kms:ViaService": "s3.us-east-1.amazonaws.com"}})])
        self.assertEqual(code(client("kms", SPEEDSCALE).generate_data_key, KeyId=arn, KeySpec="AES_256")[0],
                         "AccessDeniedException")

    def test_caller_account_and_encryption_context_conditions(self):
        arn = make_key([allow(["kms:GenerateDataKey"], {
            "StringEquals": {"kms:CallerAccount": SPEEDSCALE, "kms:EncryptionContext:speedscale:purpose": "cmek-verify"}})])
        kms = client("kms", SPEEDSCALE)
        self.assertIsNone(code(kms.generate_data_key, KeyId=arn, KeySpec="AES_256", EncryptionContext=CTX)[0])
        self.assertEqual(code(kms.generate_data_key, KeyId=arn, KeySpec="AES_256")[0], "AccessDeniedException")
        self.assertEqual(code(kms.generate_data_key, KeyId=arn, KeySpec="AES_256",
                              EncryptionContext={"speedscale:purpose": "other"})[0], "AccessDeniedException")

    def test_grants_only_for_aws_resources_deny_a_direct_create_grant(self):
        arn = make_key([allow(["kms:CreateGrant"], {"Bool": {"kms:GrantIsForAWSResource": "true"}})])
        c, _ = code(client("kms", SPEEDSCALE).create_grant, KeyId=arn, GranteePrincipal=root(SPEEDSCALE),
                    Operations=["Decrypt"])
        self.assertEqual(c, "AccessDeniedException")

    def test_policy_evaluation_semantics(self):
        ctx = {"kms:CallerAccount": SPEEDSCALE}
        pol = {"Statement": [allow("kms:*", {"StringNotEquals": {"kms:ViaService": "s3.x"}})]}
        self.assertEqual(policy.evaluate(pol, SPEEDSCALE, root(SPEEDSCALE), "kms:Decrypt", ctx), "allow",
                         "a negated operator holds when the key is absent")
        pol = {"Statement": [allow("kms:*", {"StringEqualsIfExists": {"kms:ViaService": "s3.x"}})]}
        self.assertEqual(policy.evaluate(pol, SPEEDSCALE, root(SPEEDSCALE), "kms:Decrypt", ctx), "allow")
        pol = {"Statement": [allow("kms:Gen*", {"Null": {"kms:ViaService": "false"}})]}
        self.assertEqual(policy.evaluate(pol, SPEEDSCALE, root(SPEEDSCALE), "kms:GenerateDataKey", ctx), "implicit")
        role = {"Statement": [{"Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{SPEEDSCALE}:role/cmek"},
                               "Action": "kms:Decrypt", "Resource": "*"}]}
        self.assertEqual(policy.evaluate(role, SPEEDSCALE, f"arn:aws:sts::{SPEEDSCALE}:assumed-role/cmek/s",
                                         "kms:Decrypt", ctx), "allow")
        self.assertEqual(policy.evaluate(role, SPEEDSCALE, root(SPEEDSCALE), "kms:Decrypt", ctx), "implicit")


class R4KeyStates(unittest.TestCase):
    def test_disabled_and_pending_deletion_refuse_cryptographic_calls(self):
        arn = make_key([allow(["kms:*"])])
        owner, kms = client("kms", CUSTOMER), client("kms", SPEEDSCALE)
        owner.disable_key(KeyId=arn)
        self.assertEqual(code(kms.generate_data_key, KeyId=arn, KeySpec="AES_256")[0], "DisabledException")
        self.assertEqual(kms.describe_key(KeyId=arn)["KeyMetadata"]["KeyState"], "Disabled", "describe still works")
        owner.schedule_key_deletion(KeyId=arn, PendingWindowInDays=7)
        self.assertEqual(code(kms.encrypt, KeyId=arn, Plaintext=b"x")[0], "KMSInvalidStateException")


class R5DryRun(unittest.TestCase):
    def test_dry_run_answers_without_side_effects(self):
        arn = make_key([allow(["kms:*"])])
        kms = client("kms", SPEEDSCALE)
        c, _ = code(kms.create_grant, KeyId=arn, GranteePrincipal=root(SPEEDSCALE), Operations=["Decrypt"], DryRun=True)
        self.assertEqual(c, "DryRunOperationException")
        self.assertEqual(client("kms", CUSTOMER).list_grants(KeyId=arn)["Grants"], [], "no grant was created")

    def test_a_refused_dry_run_gets_the_refusal(self):
        arn = make_key([])
        c, _ = code(client("kms", SPEEDSCALE).create_grant, KeyId=arn, GranteePrincipal=root(SPEEDSCALE),
                    Operations=["Decrypt"], DryRun=True)
        self.assertEqual(c, "AccessDeniedException")


class R6KeySpecs(unittest.TestCase):
    def test_asymmetric_and_hmac_keys_cannot_generate_data_keys(self):
        for spec, usage in (("RSA_2048", "ENCRYPT_DECRYPT"), ("HMAC_256", "GENERATE_VERIFY_MAC")):
            arn = make_key([allow(["kms:*"])], KeySpec=spec, KeyUsage=usage)
            kms = client("kms", SPEEDSCALE)
            self.assertEqual(code(kms.generate_data_key, KeyId=arn, KeySpec="AES_256")[0], "InvalidKeyUsageException")
            self.assertEqual(code(kms.get_key_rotation_status, KeyId=arn)[0], "UnsupportedOperationException")


class R7S3UsesTheKeyThroughS3(unittest.TestCase):
    def test_s3_writes_and_reads_only_as_the_key_policy_and_state_allow(self):
        via_s3 = allow(["kms:GenerateDataKey", "kms:Decrypt"],
                       {"StringEquals": {"kms:ViaService": f"s3.{REGION}.amazonaws.com", "kms:CallerAccount": SPEEDSCALE}})
        good, no_s3 = make_key([via_s3]), make_key([allow(["kms:DescribeKey"])])
        s3 = client("s3", SPEEDSCALE)
        s3.create_bucket(Bucket="r7-speedscale-bucket")
        put = dict(Bucket="r7-speedscale-bucket", Body=b"data", ServerSideEncryption="aws:kms")
        s3.put_object(Key="ok", SSEKMSKeyId=good, **put)
        self.assertEqual(s3.get_object(Bucket="r7-speedscale-bucket", Key="ok")["Body"].read(), b"data")
        self.assertEqual(code(s3.put_object, Key="no", SSEKMSKeyId=no_s3, **put)[0], "AccessDenied")
        self.assertEqual(code(s3.put_object, Key="no", SSEKMSKeyId=f"arn:aws:kms:{REGION}:{CUSTOMER}:key/"
                              "00000000-0000-0000-0000-000000000000", **put)[0], "KMS.NotFoundException")
        client("kms", CUSTOMER).disable_key(KeyId=good)
        self.assertEqual(code(s3.get_object, Bucket="r7-speedscale-bucket", Key="ok")[0], "KMS.DisabledException")
        s3.head_object(Bucket="r7-speedscale-bucket", Key="ok")  # HeadObject does not call KMS

    def test_bucket_default_encryption_is_applied_to_plain_puts(self):
        arn = make_key([allow(["kms:DescribeKey"])])  # no use through S3
        s3 = client("s3", SPEEDSCALE)
        s3.create_bucket(Bucket="r7-default-bucket")
        s3.put_bucket_encryption(Bucket="r7-default-bucket", ServerSideEncryptionConfiguration={"Rules": [{
            "ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "aws:kms", "KMSMasterKeyID": arn},
            "BucketKeyEnabled": True}]})  # accepted: PutBucketEncryption does not check the key
        self.assertEqual(code(s3.put_object, Bucket="r7-default-bucket", Key="k", Body=b"x")[0], "AccessDenied")


class R8R9FaultsAndTheCallLog(unittest.TestCase):
    def setUp(self):
        localaws.STATE.faults.clear()

    def tearDown(self):
        localaws.STATE.faults.clear()

    def test_throttle_5xx_and_iam_deny_by_rule_and_count(self):
        sts = client("sts", OTHER)
        localaws.STATE.faults.append({"match": {"account": OTHER, "operation": "GetCallerIdentity"}, "kind": "throttle", "times": 1})
        self.assertEqual(code(sts.get_caller_identity)[0], "Throttling")
        self.assertIsNone(code(sts.get_caller_identity)[0], "times=1: the next call passes")
        localaws.STATE.faults.append({"match": {"account": OTHER}, "kind": "http5xx", "times": 1})
        self.assertEqual(code(sts.get_caller_identity)[0], "ServiceUnavailable")
        localaws.STATE.faults.append({"match": {"account": OTHER, "service": "kms"}, "kind": "iam-deny", "times": 1})
        c, msg = code(client("kms", OTHER).list_keys)
        self.assertEqual(c, "AccessDeniedException")
        self.assertIn("no identity-based policy allows", msg)

    def test_after_faults_let_the_call_happen_and_lose_the_answer(self):
        localaws.STATE.faults.append({"match": {"account": OTHER, "operation": "CreateBucket"}, "kind": "http5xx",
                                      "when": "after", "times": 1})
        s3 = client("s3", OTHER)
        self.assertEqual(code(s3.create_bucket, Bucket="r8-after-bucket")[0], "ServiceUnavailable")
        s3.head_bucket(Bucket="r8-after-bucket")  # it exists: the answer was lost, not the call

    def test_dropped_connection(self):
        localaws.STATE.faults.append({"match": {"account": OTHER, "operation": "GetCallerIdentity"}, "kind": "drop", "times": 1})
        with self.assertRaises(Exception):
            client("sts", OTHER).get_caller_identity()

    def test_the_log_counts_mutating_calls_only(self):
        acct = "444444444444"
        make = client("kms", acct)
        before = [c for c in localaws.STATE.calls if c["account"] == acct]
        make.list_keys()
        key = make.create_key()["KeyMetadata"]["KeyId"]
        make.describe_key(KeyId=key)
        code(make.create_grant, KeyId=key, GranteePrincipal=root(acct), Operations=["Decrypt"], DryRun=True)
        seen = [c for c in localaws.STATE.calls if c["account"] == acct][len(before):]
        self.assertEqual([c["operation"] for c in seen if c["mutating"]], ["CreateKey"])
        self.assertEqual(len(seen), 4)


class R10DefaultEncryption(unittest.TestCase):
    def test_every_bucket_encrypts_with_sse_s3_by_default(self):
        s3 = client("s3", SPEEDSCALE)
        s3.create_bucket(Bucket="r10-bucket")
        rule = s3.get_bucket_encryption(Bucket="r10-bucket")["ServerSideEncryptionConfiguration"]["Rules"][0]
        self.assertEqual(rule["ApplyServerSideEncryptionByDefault"]["SSEAlgorithm"], "AES256")
        s3.put_object(Bucket="r10-bucket", Key="k", Body=b"x")
        self.assertEqual(s3.head_object(Bucket="r10-bucket", Key="k")["ServerSideEncryption"], "AES256")
        self.assertNotIn("Status", s3.get_bucket_versioning(Bucket="r10-bucket"))


SERVICES = {"StringEquals": {"kms:ViaService": [f"firehose.{REGION}.amazonaws.com", f"rds.{REGION}.amazonaws.com",
                                                f"secretsmanager.{REGION}.amazonaws.com"]}}
GRANTS = {"Bool": {"kms:GrantIsForAWSResource": "true"}}


def service_key(**kw):
    return make_key([allow(["kms:DescribeKey", "kms:GenerateDataKey*", "kms:Decrypt"], SERVICES),
                     allow(["kms:CreateGrant"], GRANTS)], **kw)


DEST = {"RoleARN": f"arn:aws:iam::{SPEEDSCALE}:role/r", "BucketARN": "arn:aws:s3:::r11-dest"}


class R11Firehose(unittest.TestCase):
    def setUp(self):
        localaws.CONFIG.update(firehose_create=0.2, firehose_enabling=0.2)

    def describe(self, name):
        return client("firehose", SPEEDSCALE).describe_delivery_stream(DeliveryStreamName=name)["DeliveryStreamDescription"]

    def test_a_new_stream_is_creating_then_active_and_enabling_then_enabled(self):
        import time
        fh = client("firehose", SPEEDSCALE)
        fh.create_delivery_stream(DeliveryStreamName="r11-a", DeliveryStreamType="DirectPut",
                                  ExtendedS3DestinationConfiguration=DEST)
        self.assertEqual(self.describe("r11-a")["DeliveryStreamStatus"], "CREATING")
        self.assertEqual(code(fh.start_delivery_stream_encryption, DeliveryStreamName="r11-a",
                              DeliveryStreamEncryptionConfigurationInput={"KeyType": "AWS_OWNED_CMK"})[0],
                         "ResourceInUseException")
        time.sleep(0.3)
        self.assertEqual(self.describe("r11-a")["DeliveryStreamStatus"], "ACTIVE")
        fh.start_delivery_stream_encryption(DeliveryStreamName="r11-a", DeliveryStreamEncryptionConfigurationInput={
            "KeyType": "CUSTOMER_MANAGED_CMK", "KeyARN": service_key()})
        self.assertEqual(self.describe("r11-a")["DeliveryStreamEncryptionConfiguration"]["Status"], "ENABLING")
        time.sleep(0.3)
        self.assertEqual(self.describe("r11-a")["DeliveryStreamEncryptionConfiguration"]["Status"], "ENABLED")

    def test_a_key_firehose_may_not_use_fails_enabling_and_creation(self):
        import time
        denied = make_key([allow(["kms:DescribeKey"])])
        fh = client("firehose", SPEEDSCALE)
        self.assertEqual(code(fh.create_delivery_stream, DeliveryStreamName="r11-b", DeliveryStreamType="DirectPut",
                              DeliveryStreamEncryptionConfigurationInput={"KeyType": "CUSTOMER_MANAGED_CMK", "KeyARN": denied},
                              ExtendedS3DestinationConfiguration=DEST)[0], "InvalidKMSResourceException")
        fh.create_delivery_stream(DeliveryStreamName="r11-c", DeliveryStreamType="DirectPut",
                                  ExtendedS3DestinationConfiguration=DEST)
        time.sleep(0.3)
        fh.start_delivery_stream_encryption(DeliveryStreamName="r11-c", DeliveryStreamEncryptionConfigurationInput={
            "KeyType": "CUSTOMER_MANAGED_CMK", "KeyARN": denied})
        time.sleep(0.3)
        enc = self.describe("r11-c")["DeliveryStreamEncryptionConfiguration"]
        self.assertEqual(enc["Status"], "ENABLING_FAILED")
        self.assertEqual(enc["FailureDescription"]["Type"], "KMS_ACCESS_DENIED")

    def test_an_updated_destination_is_still_described_whole(self):
        import time
        fh = client("firehose", SPEEDSCALE)
        fh.create_delivery_stream(DeliveryStreamName="r11-u", DeliveryStreamType="DirectPut",
                                  ExtendedS3DestinationConfiguration=DEST)
        time.sleep(0.3)
        d = self.describe("r11-u")
        fh.update_destination(DeliveryStreamName="r11-u", CurrentDeliveryStreamVersionId=d["VersionId"],
                              DestinationId=d["Destinations"][0]["DestinationId"],
                              ExtendedS3DestinationUpdate={"EncryptionConfiguration": {"NoEncryptionConfig": "NoEncryption"}})
        dest = self.describe("r11-u")["Destinations"][0]
        self.assertEqual(dest["S3DestinationDescription"]["CompressionFormat"], "UNCOMPRESSED")
        self.assertEqual(dest["S3DestinationDescription"]["BucketARN"], DEST["BucketARN"])

    def test_a_key_disabled_later_leaves_no_failure_description(self):
        # AWS documents FailureDescription only for failed Create/Delete/Start/Stop calls
        # (API_DeliveryStreamEncryptionConfiguration); a key disabled later shows in CloudWatch.
        import time
        arn = service_key()
        fh = client("firehose", SPEEDSCALE)
        fh.create_delivery_stream(DeliveryStreamName="r11-d", DeliveryStreamType="DirectPut",
                                  DeliveryStreamEncryptionConfigurationInput={"KeyType": "CUSTOMER_MANAGED_CMK", "KeyARN": arn},
                                  ExtendedS3DestinationConfiguration=DEST)
        time.sleep(0.3)
        self.assertNotIn("FailureDescription", self.describe("r11-d")["DeliveryStreamEncryptionConfiguration"])
        client("kms", CUSTOMER).disable_key(KeyId=arn)
        enc = self.describe("r11-d")["DeliveryStreamEncryptionConfiguration"]
        self.assertNotIn("FailureDescription", enc)
        self.assertEqual(enc["Status"], "ENABLED")
        client("kms", CUSTOMER).enable_key(KeyId=arn)
        self.assertNotIn("FailureDescription", self.describe("r11-d")["DeliveryStreamEncryptionConfiguration"])


class R12Rds(unittest.TestCase):
    def setUp(self):
        localaws.CONFIG.update(rds_create=0.2, rds_snapshot=0.2, rds_inaccessible=0.2)

    def create(self, name, key):
        return client("rds", SPEEDSCALE).create_db_instance(
            DBInstanceIdentifier=name, Engine="postgres", DBInstanceClass="db.t4g.micro", AllocatedStorage=20,
            MasterUsername="u", ManageMasterUserPassword=True, MasterUserSecretKmsKeyId=key,
            StorageEncrypted=True, KmsKeyId=key)

    def status(self, name):
        return client("rds", SPEEDSCALE).describe_db_instances(DBInstanceIdentifier=name)["DBInstances"][0]["DBInstanceStatus"]

    def test_the_master_password_secret_is_secrets_managers_own_use_of_the_key(self):
        # Secrets Manager encrypts the secret itself: "use the kms:ViaService condition key with the
        # secretsmanager.<Region>.amazonaws.com value" (Secrets Manager, security-encryption.html).
        rds_only = {"StringEquals": {"kms:ViaService": [f"rds.{REGION}.amazonaws.com"]}}
        arn = make_key([allow(["kms:DescribeKey", "kms:GenerateDataKey*", "kms:Decrypt"], rds_only),
                        allow(["kms:CreateGrant"], GRANTS)])
        self.assertEqual(code(self.create, "r12-s", arn)[0], "KMSKeyNotAccessibleFault")
        client("rds", SPEEDSCALE).create_db_instance(
            DBInstanceIdentifier="r12-s2", Engine="postgres", DBInstanceClass="db.t4g.micro", AllocatedStorage=20,
            MasterUsername="u", MasterUserPassword="password1", StorageEncrypted=True, KmsKeyId=arn)
        self.create("r12-s3", service_key())

    def test_creating_then_available_and_a_key_rds_may_not_use_is_refused(self):
        import time
        arn = service_key()
        self.create("r12-a", arn)
        self.assertEqual(self.status("r12-a"), "creating")
        time.sleep(0.3)
        self.assertEqual(self.status("r12-a"), "available")
        denied = make_key([allow(["kms:DescribeKey"])])
        self.assertEqual(code(self.create, "r12-b", denied)[0], "KMSKeyNotAccessibleFault")

    def test_a_disabled_key_makes_the_database_inaccessible_until_started_again(self):
        import time
        arn = service_key()
        self.create("r12-c", arn)
        time.sleep(0.3)
        self.status("r12-c")
        kms = client("kms", CUSTOMER)
        kms.disable_key(KeyId=arn)
        self.assertEqual(self.status("r12-c"), "available", "RDS takes a while to notice")
        time.sleep(0.3)
        self.assertEqual(self.status("r12-c"), "inaccessible-encryption-credentials-recoverable")
        rds = client("rds", SPEEDSCALE)
        self.assertEqual(code(rds.start_db_instance, DBInstanceIdentifier="r12-c")[0], "KMSKeyNotAccessibleFault")
        kms.enable_key(KeyId=arn)
        self.assertEqual(self.status("r12-c"), "inaccessible-encryption-credentials-recoverable",
                         "re-enabling the key does not start the database")
        rds.start_db_instance(DBInstanceIdentifier="r12-c")
        self.assertEqual(self.status("r12-c"), "available")

    def test_a_snapshot_copy_under_a_cross_account_key(self):
        import time
        arn = service_key()
        rds = client("rds", SPEEDSCALE)
        rds.create_db_instance(DBInstanceIdentifier="r12-d", Engine="postgres", DBInstanceClass="db.t4g.micro",
                               AllocatedStorage=20, MasterUsername="u", MasterUserPassword="password-1")
        time.sleep(0.3)
        rds.create_db_snapshot(DBInstanceIdentifier="r12-d", DBSnapshotIdentifier="r12-d-s")
        snap = rds.describe_db_snapshots(DBSnapshotIdentifier="r12-d-s")["DBSnapshots"][0]
        self.assertEqual(snap["Status"], "creating")
        time.sleep(0.3)
        rds.copy_db_snapshot(SourceDBSnapshotIdentifier="r12-d-s", TargetDBSnapshotIdentifier="r12-d-k", KmsKeyId=arn)
        time.sleep(0.3)
        snap = rds.describe_db_snapshots(DBSnapshotIdentifier="r12-d-k")["DBSnapshots"][0]
        self.assertEqual((snap["Status"], snap["KmsKeyId"]), ("available", arn))


class R8StickyFaults(unittest.TestCase):
    def tearDown(self):
        localaws.STATE.faults.clear()

    def test_the_nth_mutating_call_fails_and_its_retries_too_but_nothing_else(self):
        acct = "555555555555"
        s3 = client("s3", acct)
        localaws.STATE.faults.append({"match": {"account": acct, "mutating": True}, "skip": 1, "sticky": True,
                                      "kind": "http5xx"})
        s3.create_bucket(Bucket="r8-sticky-a")             # 1st mutating call: passes
        s3.list_buckets()                                   # not mutating: not counted
        self.assertEqual(code(s3.create_bucket, Bucket="r8-sticky-b")[0], "ServiceUnavailable")  # 2nd
        self.assertEqual(code(s3.create_bucket, Bucket="r8-sticky-b")[0], "ServiceUnavailable")  # its retry
        s3.create_bucket(Bucket="r8-sticky-c")             # another call: passes


class R13Quotas(unittest.TestCase):
    """Request quotas: off unless switched on for an account; Firehose 5 a second per operation."""

    def setUp(self):
        self.account = "444444444444"
        self.fh = client("firehose", self.account)

    def tearDown(self):
        localaws.QUOTA.configure({"account": self.account, "enabled": False})

    def describe_six(self):
        codes = []
        for _ in range(6):
            try:
                self.fh.describe_delivery_stream(DeliveryStreamName="nope")
                codes.append("ok")
            except ClientError as e:
                codes.append(e.response["Error"]["Code"])
        return codes

    def test_off_by_default(self):
        self.assertNotIn("ThrottlingException", self.describe_six())

    def test_the_sixth_call_in_a_second_is_throttled_and_counted(self):
        # Refill slowed a hundredfold: six calls are "within a second" however slow this machine is.
        localaws.QUOTA.configure({"account": self.account, "refill": 0.01})
        codes = self.describe_six()
        self.assertEqual(codes[:5], ["ResourceNotFoundException"] * 5)
        self.assertEqual(codes[5], "ThrottlingException")
        self.assertEqual(localaws.QUOTA.describe(self.account)["throttled"], 1)
        # Another account's calls are not counted against this one.
        other = client("firehose", OTHER)
        with self.assertRaises(ClientError) as e:
            other.describe_delivery_stream(DeliveryStreamName="nope")
        self.assertEqual(e.exception.response["Error"]["Code"], "ResourceNotFoundException")

    def test_strict_burst_allows_one_call_at_a_time(self):
        localaws.QUOTA.configure({"account": self.account, "burst": "strict", "refill": 0.01})
        codes = self.describe_six()
        self.assertEqual(codes[0], "ResourceNotFoundException")
        self.assertEqual(codes[1], "ThrottlingException")


if __name__ == "__main__":
    unittest.main()
