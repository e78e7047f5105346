"""Each fidelity rule of the local AWS (localaws.py and its modules), tested on its own against the running layer with boto3.

Customer and Speedscale are different accounts throughout; nothing leaves 127.0.0.1.
"""

import json
import urllib.parse
import threading
import unittest

import boto3
import botocore.config
from botocore.exceptions import ClientError
from werkzeug.serving import make_server
import logging

# The server's access log (one coloured line per request) is not the test log: failures say what
# they saw themselves.
logging.getLogger("werkzeug").setLevel(logging.ERROR)

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


TENANT = {"speedscale:tenant": "acme", "speedscale:purpose": "cmek-verify"}


def tenant_key(operator="StringEquals", value="acme", name="kms:EncryptionContext:speedscale:tenant"):
    """A customer key Speedscale may use directly only for tenant acme: the tenant pair, and no context
    keys but the two of verify's round trip (conditions-kms.html's "require ... and forbid all other")."""
    return make_key([allow(["kms:GenerateDataKey", "kms:Decrypt"], {
        operator: {name: value},
        "ForAllValues:StringEquals": {"kms:EncryptionContextKeys": ["speedscale:tenant", "speedscale:purpose"]}})])


class R3TenantScopedEncryptionContext(unittest.TestCase):
    def test_a_key_for_one_tenant_refuses_another_tenants_round_trip(self):
        arn, kms = tenant_key(), client("kms", SPEEDSCALE)
        blob = kms.generate_data_key(KeyId=arn, KeySpec="AES_256", EncryptionContext=TENANT)["CiphertextBlob"]
        self.assertEqual(kms.decrypt(KeyId=arn, CiphertextBlob=blob, EncryptionContext=TENANT)["KeyId"], arn)
        globex = dict(TENANT, **{"speedscale:tenant": "globex"})
        for op, kw in (("GenerateDataKey", dict(KeySpec="AES_256")), ("Decrypt", dict(CiphertextBlob=blob))):
            c, msg = code(getattr(kms, "generate_data_key" if op == "GenerateDataKey" else "decrypt"),
                          KeyId=arn, EncryptionContext=globex, **kw)
            self.assertEqual(c, "AccessDeniedException", op)
            self.assertIn(f"because no resource-based policy allows the kms:{op} action", msg)

    def test_key_names_match_in_any_case_values_and_listed_keys_as_the_operator_says(self):
        kms = client("kms", SPEEDSCALE)

        def gdk(arn, ctx):
            return code(kms.generate_data_key, KeyId=arn, KeySpec="AES_256", EncryptionContext=ctx)[0]
        # "The key name is not case sensitive": the policy's spelling of the condition key does not matter.
        self.assertIsNone(gdk(tenant_key(name="KMS:encryptioncontext:Speedscale:TENANT"), TENANT))
        arn = tenant_key()
        self.assertEqual(gdk(arn, dict(TENANT, **{"speedscale:tenant": "ACME"})), "AccessDeniedException",
                         "StringEquals: the value is case-sensitive")
        self.assertEqual(gdk(arn, {"Speedscale:Tenant": "acme", "speedscale:purpose": "cmek-verify"}),
                         "AccessDeniedException", "kms:EncryptionContextKeys with StringEquals: the key's case counts")
        self.assertEqual(gdk(arn, dict(TENANT, extra="x")), "AccessDeniedException", "ForAllValues forbids other keys")
        self.assertEqual(gdk(arn, {"speedscale:tenant": "acme"}), None, "ForAllValues requires none of them")
        self.assertEqual(gdk(arn, {"speedscale:purpose": "cmek-verify"}), "AccessDeniedException")
        self.assertIsNone(gdk(tenant_key("StringEqualsIgnoreCase"), dict(TENANT, **{"speedscale:tenant": "ACME"})))
        like = tenant_key("StringLike", "ac?e")
        self.assertIsNone(gdk(like, TENANT))
        self.assertEqual(gdk(like, dict(TENANT, **{"speedscale:tenant": "acmee"})), "AccessDeniedException")

    def test_string_like_has_two_wildcards_and_arn_operators_match_each_component(self):
        def holds(op, value, pattern):
            pol = {"Statement": [allow("kms:Decrypt", {op: {"aws:SourceArn": pattern}})]}
            return policy.evaluate(pol, SPEEDSCALE, root(SPEEDSCALE), "kms:Decrypt", {"aws:SourceArn": value}) == "allow"
        self.assertTrue(holds("StringLike", "arn:aws:s3:::b/[x]", "arn:aws:s3:::b/[x]"), "[ ] are literals")
        self.assertFalse(holds("StringLike", "arn:aws:s3:::b/x", "arn:aws:s3:::b/[xy]"))
        self.assertFalse(holds("StringLike", "arn:aws:s3:::B/x", "arn:aws:s3:::b/*"), "case-sensitive")
        self.assertTrue(holds("StringLike", "arn:aws:firehose:us-east-1:1:deliverystream/s", "arn:aws:*/s"))
        self.assertFalse(holds("ArnLike", "arn:aws:firehose:us-east-1:1:deliverystream/s", "arn:aws:*/s"),
                         "ArnLike: a * does not span a colon")
        self.assertTrue(holds("ArnLike", "arn:aws:firehose:us-east-1:1:deliverystream/s", "arn:aws:firehose:*:1:*"))
        self.assertTrue(holds("ArnEquals", "arn:aws:s3:::b/k", "arn:aws:s3:::b/*"), "ArnEquals behaves as ArnLike")


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

    def test_a_dry_run_with_another_tenants_context_is_refused(self):
        arn, kms = tenant_key(), client("kms", SPEEDSCALE)
        self.assertEqual(code(kms.generate_data_key, KeyId=arn, KeySpec="AES_256", EncryptionContext=TENANT,
                              DryRun=True)[0], "DryRunOperationException")
        c, msg = code(kms.generate_data_key, KeyId=arn, KeySpec="AES_256", DryRun=True,
                      EncryptionContext=dict(TENANT, **{"speedscale:tenant": "globex"}))
        self.assertEqual(c, "AccessDeniedException")
        self.assertIn("because no resource-based policy allows the kms:GenerateDataKey action", msg)
        blob = kms.generate_data_key(KeyId=arn, KeySpec="AES_256", EncryptionContext=TENANT)["CiphertextBlob"]
        self.assertEqual(code(kms.decrypt, CiphertextBlob=blob, EncryptionContext=TENANT, DryRun=True)[0],
                         "DryRunOperationException")
        self.assertEqual(code(kms.decrypt, CiphertextBlob=blob, DryRun=True,
                              EncryptionContext=dict(TENANT, **{"speedscale:tenant": "globex"}))[0], "AccessDeniedException")

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

    def test_a_key_scoped_to_a_tenants_bucket_by_the_s3_encryption_context(self):
        def s3_key(arns):
            return make_key([allow(["kms:GenerateDataKey", "kms:Decrypt"], {
                "StringEquals": {"kms:ViaService": f"s3.{REGION}.amazonaws.com"},
                "StringLike": {"kms:EncryptionContext:aws:s3:arn": arns}})])
        acme, globex = "r7-tenant-acme", "r7-tenant-globex"
        both = s3_key([f"arn:aws:s3:::{acme}", f"arn:aws:s3:::{acme}/*"])
        objects_only, bucket_only = s3_key(f"arn:aws:s3:::{acme}/*"), s3_key(f"arn:aws:s3:::{acme}")
        s3 = client("s3", SPEEDSCALE)
        for b in (acme, globex):
            s3.create_bucket(Bucket=b)
        kms_put = dict(Body=b"x", ServerSideEncryption="aws:kms")
        s3.put_object(Bucket=acme, Key="o", SSEKMSKeyId=both, **kms_put)
        self.assertEqual(s3.get_object(Bucket=acme, Key="o")["Body"].read(), b"x")
        s3.put_object(Bucket=acme, Key="bk", SSEKMSKeyId=both, BucketKeyEnabled=True, **kms_put)
        self.assertEqual(s3.get_object(Bucket=acme, Key="bk")["Body"].read(), b"x")
        c, msg = code(s3.put_object, Bucket=globex, Key="o", SSEKMSKeyId=both, **kms_put)
        self.assertEqual((c, "kms:GenerateDataKey" in msg), ("AccessDenied", True), "a bucket the condition does not list")
        self.assertEqual(code(s3.put_object, Bucket=globex, Key="bk", SSEKMSKeyId=both, BucketKeyEnabled=True,
                              **kms_put)[0], "AccessDenied")
        # "these policies won't work with an S3 Bucket Key": object-ARN patterns refuse Bucket Key objects,
        # the bucket ARN alone refuses objects without one.
        self.assertEqual(code(s3.put_object, Bucket=acme, Key="b2", SSEKMSKeyId=objects_only, BucketKeyEnabled=True,
                              **kms_put)[0], "AccessDenied")
        self.assertEqual(code(s3.put_object, Bucket=acme, Key="o2", SSEKMSKeyId=bucket_only, **kms_put)[0], "AccessDenied")
        s3.put_object(Bucket=acme, Key="b2", SSEKMSKeyId=bucket_only, BucketKeyEnabled=True, **kms_put)
        # GetObject decrypts with the object's context: once the key no longer lists the bucket, reads fail.
        owner = client("kms", CUSTOMER)
        pol = json.loads(owner.get_key_policy(KeyId=both, PolicyName="default")["Policy"])
        pol["Statement"][1]["Condition"]["StringLike"]["kms:EncryptionContext:aws:s3:arn"] = f"arn:aws:s3:::{globex}/*"
        owner.put_key_policy(KeyId=both, PolicyName="default", Policy=json.dumps(pol))
        self.assertEqual(code(s3.get_object, Bucket=acme, Key="o")[0], "AccessDenied")
        # A CopyObject in place (re-encryption) encrypts the destination object: its object ARN, or the
        # bucket ARN with a Bucket Key.
        s3.put_object(Bucket=acme, Key="p", Body=b"plain")
        again = dict(Bucket=acme, Key="p", CopySource={"Bucket": acme, "Key": "p"}, ServerSideEncryption="aws:kms")
        self.assertEqual(code(s3.copy_object, SSEKMSKeyId=bucket_only, **again)[0], "AccessDenied")
        s3.copy_object(SSEKMSKeyId=bucket_only, BucketKeyEnabled=True, **again)
        self.assertEqual(code(s3.copy_object, SSEKMSKeyId=objects_only, BucketKeyEnabled=True, **again)[0], "AccessDenied")
        s3.copy_object(SSEKMSKeyId=objects_only, **again)
        head = s3.head_object(Bucket=acme, Key="p")
        self.assertEqual((head["SSEKMSKeyId"], head.get("BucketKeyEnabled")), (objects_only, None))
        self.assertEqual(s3.get_object(Bucket=acme, Key="p")["Body"].read(), b"plain")
        self.assertEqual(code(s3.copy_object, Bucket=globex, Key="p", CopySource={"Bucket": acme, "Key": "p"},
                              ServerSideEncryption="aws:kms", SSEKMSKeyId=objects_only)[0], "AccessDenied",
                         "a copy into another bucket: the destination's ARN")

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


# ---------------------------------------------------------------------------------------------
# R14-R16

import csv  # noqa: E402
import io  # noqa: E402
import time  # noqa: E402
import urllib.request  # noqa: E402


def control(path, data):
    req = urllib.request.Request(URL + path, data=json.dumps(data).encode(), method="POST")
    return json.loads(urllib.request.urlopen(req).read())


def s3control(account):
    """S3 Control as the Rust SDK sends it: the Host header carries the <account>. prefix (the
    connection goes to 127.0.0.1, where no DNS name points)."""
    c = client("s3control", account)

    def to_loopback(request, **_):
        host = request.url.split("/")[2]
        request.headers["Host"] = host
        request.url = request.url.replace(host, URL.split("/")[2], 1)
    c.meta.events.register("before-send.s3-control.*", to_loopback)
    return c


TRUST = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "batchoperations.s3.amazonaws.com"},
                                                 "Action": "sts:AssumeRole"}]}
VIA_S3 = {"StringEquals": {"kms:ViaService": f"s3.{REGION}.amazonaws.com"}}


def batch_world(account, bucket, key_statements=None, role="batch"):
    """A bucket, a key the account's principals may use (or `key_statements`), and a role as cmek
    makes it: trusts S3 Batch Operations, copies the bucket's objects, uses the key through S3."""
    kms, iam = client("kms", account), client("iam", account)
    statements = key_statements or [{"Effect": "Allow", "Principal": {"AWS": root(account)}, "Action": "kms:*", "Resource": "*"}]
    key = kms.create_key(Policy=json.dumps({"Version": "2012-10-17", "Statement": statements}))["KeyMetadata"]["Arn"]
    arn = iam.create_role(RoleName=role, AssumeRolePolicyDocument=json.dumps(TRUST))["Role"]["Arn"]
    iam.put_role_policy(RoleName=role, PolicyName="copy", PolicyDocument=json.dumps({"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Action": ["s3:GetObject", "s3:PutObject"], "Resource": f"arn:aws:s3:::{bucket}/*"},
        {"Effect": "Allow", "Action": ["kms:Decrypt", "kms:GenerateDataKey"], "Resource": key, "Condition": VIA_S3}]}))
    client("s3", account).create_bucket(Bucket=bucket)
    return key, arn


def job_request(account, bucket, key, role, manifest_etag, token, **copy):
    op = dict({"TargetResource": f"arn:aws:s3:::{bucket}", "MetadataDirective": "COPY", "SSEAwsKmsKeyId": key,
               "BucketKeyEnabled": True}, **copy)
    return dict(AccountId=account, ConfirmationRequired=False, Operation={"S3PutObjectCopy": op}, ClientRequestToken=token,
                Report={"Bucket": f"arn:aws:s3:::{bucket}", "Prefix": "cmek/reports", "Format": "Report_CSV_20180820",
                        "Enabled": True, "ReportScope": "FailedTasksOnly"},
                Manifest={"Spec": {"Format": "S3BatchOperations_CSV_20180820", "Fields": ["Bucket", "Key"]},
                          "Location": {"ObjectArn": f"arn:aws:s3:::{bucket}/manifest.csv", "ETag": manifest_etag}},
                Priority=10, RoleArn=role, Description="re-encrypt")


def put_manifest(account, bucket, keys, key=None):
    body = "".join(f"{bucket},{urllib.parse.quote(k)}\n" for k in keys).encode()
    extra = dict(ServerSideEncryption="aws:kms", SSEKMSKeyId=key, BucketKeyEnabled=True) if key else {}
    return client("s3", account).put_object(Bucket=bucket, Key="manifest.csv", Body=body, **extra)["ETag"].strip('"')


def follow(s3c, account, job_id, limit=20.0):
    seen, deadline = [], time.time() + limit
    while time.time() < deadline:
        job = s3c.describe_job(AccountId=account, JobId=job_id)["Job"]
        if not seen or seen[-1] != job["Status"]:
            seen.append(job["Status"])
        if job["Status"] in ("Complete", "Failed", "Cancelled"):
            return seen, job
        time.sleep(0.02)
    raise AssertionError(f"job {job_id} still {seen[-1]}")


def report_rows(account, bucket, job_id):
    s3 = client("s3", account)
    manifest = json.loads(s3.get_object(Bucket=bucket, Key=f"cmek/reports/job-{job_id}/manifest.json")["Body"].read())
    rows = []
    for result in manifest["Results"]:
        head = s3.head_object(Bucket=bucket, Key=result["Key"])
        assert head["ServerSideEncryption"] == "AES256", head  # whatever the bucket's default
        rows += list(csv.reader(io.StringIO(s3.get_object(Bucket=bucket, Key=result["Key"])["Body"].read().decode())))
    return manifest, rows


class R14BatchOperations(unittest.TestCase):
    def setUp(self):
        localaws.CONFIG.update(batch_new=0.05, batch_prepare=0.05, batch_tasks_per_second=400.0, batch_kms_csv_manifest=1.0)

    def tearDown(self):
        localaws.CONFIG.update(batch_tasks_per_second=400.0, batch_kms_csv_manifest=1.0)
        localaws.STATE.faults.clear()

    def test_a_copy_job_puts_objects_under_the_key_as_the_role_and_reports_failures_under_sse_s3(self):
        acct, bucket = "610000000001", "r14-copy-bucket"
        key, role = batch_world(acct, bucket)
        s3 = client("s3", acct)
        s3.put_bucket_encryption(Bucket=bucket, ServerSideEncryptionConfiguration={"Rules": [{
            "ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "aws:kms", "KMSMasterKeyID": key}, "BucketKeyEnabled": True}]})
        for name in ("a b.json", "c.json", "big.bin", "cold.bin", "tiered.bin"):
            s3.put_object(Bucket=bucket, Key=name, Body=b"{}", ContentType="application/json", Metadata={"team": "x"},
                          Tagging="owner=ops", StorageClass="GLACIER" if name == "cold.bin" else "STANDARD_IA",
                          ServerSideEncryption="AES256")
        control("/_localaws/s3/size", {"account": acct, "bucket": bucket, "key": "big.bin", "size": 5 * 1024 ** 3 + 1})
        control("/_localaws/s3/archive-status", {"account": acct, "bucket": bucket, "key": "tiered.bin", "status": "ARCHIVE_ACCESS"})
        etag = put_manifest(acct, bucket, ["a b.json", "c.json", "big.bin", "cold.bin", "tiered.bin", "gone.json"], key)
        localaws.CONFIG["batch_tasks_per_second"] = 10.0  # slow enough to be seen Active
        s3c = s3control(acct)
        request = job_request(acct, bucket, key, role, etag, "token-1", ChecksumAlgorithm="SHA256")
        job_id = s3c.create_job(**request)["JobId"]
        self.assertEqual(s3c.create_job(**request)["JobId"], job_id, "the same token makes no second job")
        other = dict(request, Priority=11)
        self.assertEqual(code(s3c.create_job, **other)[0], "IdempotencyException")
        seen, job = follow(s3c, acct, job_id)
        for earlier, later in zip(["New", "Preparing", "Active"], ["Preparing", "Active", "Complete"]):
            self.assertLess(seen.index(earlier), seen.index(later), seen)
        self.assertEqual(job["ProgressSummary"]["TotalNumberOfTasks"], 6)
        self.assertEqual((job["ProgressSummary"]["NumberOfTasksSucceeded"], job["ProgressSummary"]["NumberOfTasksFailed"]), (2, 4))
        self.assertIn("TerminationDate", job)
        self.assertEqual(job["Operation"]["S3PutObjectCopy"]["SSEAwsKmsKeyId"], key)
        head = s3.head_object(Bucket=bucket, Key="a b.json", ChecksumMode="ENABLED")
        self.assertEqual((head["ServerSideEncryption"], head["SSEKMSKeyId"], head["BucketKeyEnabled"]), ("aws:kms", key, True))
        self.assertIn("ChecksumSHA256", head)
        self.assertNotIn("StorageClass", head, "no StorageClass in the job: STANDARD")
        self.assertEqual((head["ContentType"], head["Metadata"]), ("application/json", {"team": "x"}))
        self.assertEqual(s3.get_object_tagging(Bucket=bucket, Key="a b.json")["TagSet"], [{"Key": "owner", "Value": "ops"}])
        manifest, rows = report_rows(acct, bucket, job_id)
        self.assertEqual(manifest["ReportSchema"], "Bucket, Key, VersionId, TaskStatus, ErrorCode, HTTPStatusCode, ResultMessage")
        failed = {r[1]: (r[3], r[4], r[5]) for r in rows}
        self.assertEqual(failed, {"big.bin": ("failed", "InvalidRequest", "400"), "cold.bin": ("failed", "InvalidObjectState", "403"),
                                  "tiered.bin": ("failed", "InvalidObjectState", "403"), "gone.json": ("failed", "NoSuchKey", "404")})
        ops = [(c["operation"], c["mutating"]) for c in localaws.STATE.calls if c["account"] == acct and c["service"] == "s3control"]
        self.assertEqual(ops[:3], [("CreateJob", True), ("CreateJob", False), ("CreateJob", False)])
        self.assertIn(("DescribeJob", False), ops)

    def test_a_copy_task_uses_the_destination_objects_encryption_context(self):
        """R14, unconfirmed (batch-copy-encryption-context): a customer key that lets the job's account use it
        through S3 only for the target bucket's objects (or, under a Bucket Key, the bucket)."""
        acct, source, target = "610000000011", "r14-ctx-source", "r14-ctx-target"
        _, role = batch_world(acct, source)
        iam = client("iam", acct)
        iam.put_role_policy(RoleName="batch", PolicyName="target", PolicyDocument=json.dumps({"Version": "2012-10-17", "Statement": [
            {"Effect": "Allow", "Action": ["s3:PutObject"], "Resource": f"arn:aws:s3:::{target}/*"},
            {"Effect": "Allow", "Action": ["kms:GenerateDataKey", "kms:Decrypt"], "Resource": "*", "Condition": VIA_S3}]}))
        s3 = client("s3", acct)
        s3.create_bucket(Bucket=target)
        s3.put_object(Bucket=source, Key="a.json", Body=b"{}")

        def tenant_key(arns):
            return make_key([allow(["kms:GenerateDataKey", "kms:Decrypt"], dict(VIA_S3, StringLike={
                "kms:EncryptionContext:aws:s3:arn": arns}), account=acct)])
        objects, bucket, other = (tenant_key(f"arn:aws:s3:::{target}/*"), tenant_key(f"arn:aws:s3:::{target}"),
                                  tenant_key([f"arn:aws:s3:::{source}", f"arn:aws:s3:::{source}/*"]))
        etag = put_manifest(acct, source, ["a.json"])
        s3c = s3control(acct)
        results = {}
        for name, key, bucket_key in (("objects", objects, False), ("bucket", bucket, True),
                                      ("objects-under-bucket-key", objects, True), ("source-arns", other, False)):
            request = job_request(acct, target, key, role, etag, f"ctx-{name}", BucketKeyEnabled=bucket_key)
            request["Manifest"]["Location"]["ObjectArn"] = f"arn:aws:s3:::{source}/manifest.csv"
            request["Report"] = {"Enabled": False}
            _, job = follow(s3c, acct, s3c.create_job(**request)["JobId"])
            results[name] = (job["ProgressSummary"]["NumberOfTasksSucceeded"], job["ProgressSummary"]["NumberOfTasksFailed"])
        self.assertEqual(results, {"objects": (1, 0), "bucket": (1, 0), "objects-under-bucket-key": (0, 1),
                                   "source-arns": (0, 1)})
        head = s3.head_object(Bucket=target, Key="a.json")
        self.assertEqual((head["SSEKMSKeyId"], head["BucketKeyEnabled"]), (bucket, True))

    def test_create_job_refusals(self):
        acct, bucket = "610000000002", "r14-refusals-bucket"
        key, role = batch_world(acct, bucket)
        etag = put_manifest(acct, bucket, ["x"])
        s3c = s3control(acct)
        c, _ = code(s3c.create_job, **job_request(OTHER, bucket, key, role, etag, "t1"))
        self.assertEqual(c, "AccessDenied", "x-amz-account-id is not the caller's account")
        missing = role.replace(":role/batch", ":role/nobody")
        self.assertEqual(code(s3c.create_job, **job_request(acct, bucket, key, missing, etag, "t2"))[0], "InvalidRequest")
        lambda_trust = dict(TRUST, Statement=[dict(TRUST["Statement"][0], Principal={"Service": "lambda.amazonaws.com"})])
        other = client("iam", acct).create_role(RoleName="not-batch", AssumeRolePolicyDocument=json.dumps(lambda_trust))["Role"]["Arn"]
        self.assertEqual(code(s3c.create_job, **job_request(acct, bucket, key, other, etag, "t3"))[0], "InvalidRequest")
        localaws.STATE.faults.append({"match": {"account": acct, "service": "s3control", "operation": "CreateJob"},
                                      "kind": "iam-deny", "times": 1})
        c, msg = code(s3c.create_job, **job_request(acct, bucket, key, role, etag, "t4"))
        self.assertEqual(c, "AccessDenied")
        self.assertIn("s3:CreateJob", msg)
        self.assertEqual(code(s3c.describe_job, AccountId=acct, JobId="00000000-0000-0000-0000-000000000000")[0],
                         "NoSuchJobException")

    def test_a_manifest_the_role_cannot_read_fails_the_job(self):
        acct, bucket = "610000000003", "r14-manifest-bucket"
        no_s3_role = [{"Effect": "Allow", "Principal": {"AWS": root(acct)}, "Action": "kms:*", "Resource": "*"},
                      {"Effect": "Deny", "Principal": {"AWS": f"arn:aws:iam::{acct}:role/batch"}, "Action": "kms:Decrypt",
                       "Resource": "*"}]
        key, role = batch_world(acct, bucket, no_s3_role)
        s3c = s3control(acct)
        etag = put_manifest(acct, bucket, ["x"])
        _, job = follow(s3c, acct, s3c.create_job(**job_request(acct, bucket, key, role, "0" * 32, "etag"))["JobId"])
        self.assertEqual(job["Status"], "Failed")
        self.assertEqual(job["FailureReasons"][0]["FailureCode"], "ManifestETagMismatch")
        etag = put_manifest(acct, bucket, ["x"], key)
        _, job = follow(s3c, acct, s3c.create_job(**job_request(acct, bucket, key, role, etag, "kms"))["JobId"])
        self.assertEqual((job["Status"], job["FailureReasons"][0]["FailureReason"]),
                         ("Failed", "Reading the manifest is forbidden: AccessDenied"))

    def test_a_generated_manifest_lists_what_the_filter_matches_and_is_written_under_its_key(self):
        acct, bucket = "610000000009", "r14-generator-bucket"
        key, role = batch_world(acct, bucket)
        client("iam", acct).put_role_policy(RoleName="batch", PolicyName="list", PolicyDocument=json.dumps({
            "Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:ListBucket",
                                                   "Resource": f"arn:aws:s3:::{bucket}"}]}))
        s3 = client("s3", acct)
        s3.put_object(Bucket=bucket, Key="std", Body=b"1")
        s3.put_object(Bucket=bucket, Key="ia", Body=b"1", StorageClass="STANDARD_IA")
        s3.put_object(Bucket=bucket, Key="done", Body=b"1", ServerSideEncryption="aws:kms", SSEKMSKeyId=key)
        req = job_request(acct, bucket, key, role, "", "gen")
        del req["Manifest"]
        req["ManifestGenerator"] = {"S3JobManifestGenerator": {
            "SourceBucket": f"arn:aws:s3:::{bucket}", "EnableManifestOutput": True,
            "ManifestOutputLocation": {"Bucket": f"arn:aws:s3:::{bucket}", "ManifestPrefix": "gen",
                                       "ManifestEncryption": {"SSEKMS": {"KeyId": key}},
                                       "ManifestFormat": "S3InventoryReport_CSV_20211130"},
            "Filter": {"MatchAnyStorageClass": ["STANDARD"], "ObjectSizeLessThanBytes": 5 * 1024 ** 3 + 1,
                       "MatchAnyObjectEncryption": [{"SSES3": {}}]}}}
        s3c = s3control(acct)
        _, job = follow(s3c, acct, s3c.create_job(**req)["JobId"])
        self.assertEqual((job["Status"], job["ProgressSummary"]["TotalNumberOfTasks"]), ("Complete", 1))
        self.assertEqual(s3.head_object(Bucket=bucket, Key="std")["SSEKMSKeyId"], key)
        self.assertEqual(s3.head_object(Bucket=bucket, Key="ia")["ServerSideEncryption"], "AES256", "other class")
        generated = s3.head_object(Bucket=bucket, Key=f"gen/job-{job['JobId']}/manifest.csv")
        self.assertEqual((generated["ServerSideEncryption"], generated["SSEKMSKeyId"]), ("aws:kms", key))

    def test_aws_documented_answer_for_a_csv_manifest_under_sse_kms(self):
        acct, bucket = "610000000004", "r14-kms-manifest-bucket"
        key, role = batch_world(acct, bucket)
        client("s3", acct).put_object(Bucket=bucket, Key="x", Body=b"1")
        s3c = s3control(acct)
        etag = put_manifest(acct, bucket, ["x"], key)
        _, job = follow(s3c, acct, s3c.create_job(**job_request(acct, bucket, key, role, etag, "read"))["JobId"])
        self.assertEqual(job["Status"], "Complete", "the layer's answer: read as the role")
        localaws.CONFIG["batch_kms_csv_manifest"] = 0.0
        _, job = follow(s3c, acct, s3c.create_job(**job_request(acct, bucket, key, role, etag, "refuse"))["JobId"])
        self.assertEqual((job["Status"], job["FailureReasons"][0]["FailureReason"]),
                         ("Failed", "Reading the manifest is forbidden: AccessDenied"))

    def test_a_disabled_key_fails_its_tasks_confirmation_and_cancel(self):
        acct, bucket = "610000000005", "r14-lifecycle-bucket"
        key, role = batch_world(acct, bucket)
        s3 = client("s3", acct)
        names = [f"o{i:02}" for i in range(20)]
        for name in names:
            s3.put_object(Bucket=bucket, Key=name, Body=b"1")
        etag = put_manifest(acct, bucket, names)
        s3c = s3control(acct)
        client("kms", acct).disable_key(KeyId=key)
        job_id = s3c.create_job(**dict(job_request(acct, bucket, key, role, etag, "confirm"), ConfirmationRequired=True))["JobId"]
        deadline = time.time() + 10
        while s3c.describe_job(AccountId=acct, JobId=job_id)["Job"]["Status"] != "Suspended" and time.time() < deadline:
            time.sleep(0.05)
        time.sleep(0.2)
        self.assertEqual(s3c.describe_job(AccountId=acct, JobId=job_id)["Job"]["Status"], "Suspended", "until confirmed")
        s3c.update_job_status(AccountId=acct, JobId=job_id, RequestedJobStatus="Ready")
        _, job = follow(s3c, acct, job_id)
        self.assertEqual((job["Status"], job["ProgressSummary"]["NumberOfTasksFailed"]), ("Complete", 20))
        self.assertEqual({r[4] for r in report_rows(acct, bucket, job_id)[1]}, {"KMS.DisabledException"})
        self.assertEqual(code(s3c.update_job_status, AccountId=acct, JobId=job_id, RequestedJobStatus="Cancelled")[0],
                         "JobStatusException")
        client("kms", acct).enable_key(KeyId=key)
        localaws.CONFIG["batch_tasks_per_second"] = 10.0
        job_id = s3c.create_job(**job_request(acct, bucket, key, role, etag, "cancel"))["JobId"]
        while s3c.describe_job(AccountId=acct, JobId=job_id)["Job"]["ProgressSummary"]["NumberOfTasksSucceeded"] < 2:
            time.sleep(0.05)
        self.assertEqual(s3c.update_job_status(AccountId=acct, JobId=job_id, RequestedJobStatus="Cancelled")["Status"], "Cancelling")
        seen, job = follow(s3c, acct, job_id)
        self.assertEqual(job["Status"], "Cancelled")
        self.assertLess(job["ProgressSummary"]["NumberOfTasksSucceeded"], 20)
        self.assertIn(job_id, [j["JobId"] for j in s3c.list_jobs(AccountId=acct, JobStatuses=["Cancelled"])["Jobs"]])

    def test_more_than_half_of_at_least_1000_tasks_failed_fails_the_job(self):
        acct, bucket = "610000000006", "r14-threshold-bucket"
        key, role = batch_world(acct, bucket)
        client("s3", acct).put_object(Bucket=bucket, Key="here", Body=b"1")
        etag = put_manifest(acct, bucket, ["here"] + [f"missing-{i}" for i in range(1100)])
        localaws.CONFIG["batch_tasks_per_second"] = 1e6
        s3c = s3control(acct)
        _, job = follow(s3c, acct, s3c.create_job(**job_request(acct, bucket, key, role, etag, "t"))["JobId"], limit=60)
        self.assertEqual(job["Status"], "Failed")
        self.assertEqual(job["FailureReasons"][0]["FailureCode"], "TaskFailureThresholdExceeded")
        summary = job["ProgressSummary"]
        self.assertEqual(summary["NumberOfTasksSucceeded"] + summary["NumberOfTasksFailed"], 1000)


class R15SizesAndMultipartCopy(unittest.TestCase):
    PART = 256 * 1024 * 1024

    def world(self, bucket, statements=None):
        acct = SPEEDSCALE
        key = make_key(statements if statements is not None else [allow(["kms:GenerateDataKey", "kms:Decrypt"], VIA_S3)])
        s3 = client("s3", acct)
        s3.create_bucket(Bucket=bucket)
        put = s3.put_object(Bucket=bucket, Key="big", Body=b"real bytes", ContentType="text/plain", Metadata={"a": "b"},
                            Tagging="t=1&u=2", StorageClass="STANDARD_IA")
        return s3, key, put["ETag"]

    def copy_parts(self, s3, bucket, upload_id, size, etag):
        parts, start = [], 0
        while start < size:
            end = min(start + self.PART, size) - 1
            r = s3.upload_part_copy(Bucket=bucket, Key="big", UploadId=upload_id, PartNumber=len(parts) + 1,
                                    CopySource={"Bucket": bucket, "Key": "big"}, CopySourceRange=f"bytes={start}-{end}",
                                    CopySourceIfMatch=etag)
            checksum = {k: v for k, v in r["CopyPartResult"].items() if k.startswith("Checksum")}
            parts.append(dict({"PartNumber": len(parts) + 1, "ETag": r["CopyPartResult"]["ETag"]}, **checksum))
            start = end + 1
        return parts

    def test_an_object_reports_a_size_over_5_gb_and_a_multipart_copy_keeps_everything(self):
        bucket, size = "r15-size-bucket", 6 * 1024 ** 3 + 7
        s3, key, etag = self.world(bucket)
        control("/_localaws/s3/size", {"account": SPEEDSCALE, "bucket": bucket, "key": "big", "size": size})
        self.assertEqual(s3.head_object(Bucket=bucket, Key="big", IfMatch=etag)["ContentLength"], size)
        self.assertEqual(s3.list_objects_v2(Bucket=bucket)["Contents"][0]["Size"], size)
        self.assertEqual(s3.get_object_attributes(Bucket=bucket, Key="big", ObjectAttributes=["ObjectSize"])["ObjectSize"], size)
        self.assertEqual(s3.get_object(Bucket=bucket, Key="big")["Body"].read(), b"real bytes")
        up = s3.create_multipart_upload(Bucket=bucket, Key="big", ServerSideEncryption="aws:kms", SSEKMSKeyId=key,
                                        BucketKeyEnabled=True, Metadata={"a": "b"}, ContentType="text/plain",
                                        StorageClass="STANDARD_IA", Tagging="t=1&u=2", ChecksumAlgorithm="SHA256")
        self.assertTrue(up["BucketKeyEnabled"])
        self.assertEqual(code(s3.upload_part_copy, Bucket=bucket, Key="big", UploadId=up["UploadId"], PartNumber=1,
                              CopySource={"Bucket": bucket, "Key": "big"}, CopySourceRange=f"bytes=0-{size}")[0], "InvalidArgument")
        parts = self.copy_parts(s3, bucket, up["UploadId"], size, etag)
        self.assertEqual(len(parts), 25)
        self.assertTrue(all("ChecksumSHA256" in p for p in parts), "the upload was created with SHA256")
        done = s3.complete_multipart_upload(Bucket=bucket, Key="big", UploadId=up["UploadId"], IfMatch=etag,
                                            MultipartUpload={"Parts": parts})
        self.assertTrue(done["BucketKeyEnabled"])
        head = s3.head_object(Bucket=bucket, Key="big")
        self.assertEqual((head["ContentLength"], head["ServerSideEncryption"], head["SSEKMSKeyId"], head["BucketKeyEnabled"]),
                         (size, "aws:kms", key, True))
        self.assertEqual((head["StorageClass"], head["ContentType"], head["Metadata"]), ("STANDARD_IA", "text/plain", {"a": "b"}))
        self.assertEqual(len(s3.get_object_tagging(Bucket=bucket, Key="big")["TagSet"]), 2)
        self.assertEqual(s3.get_object(Bucket=bucket, Key="big")["Body"].read(), b"real bytes")
        ops = {c["operation"] for c in localaws.STATE.calls if c["path"].startswith(f"/{bucket}/")}
        self.assertLessEqual({"CreateMultipartUpload", "UploadPartCopy", "CompleteMultipartUpload"}, ops)

    def test_preconditions_and_a_concurrent_writer(self):
        bucket = "r15-precondition-bucket"
        s3, key, etag = self.world(bucket)
        up = s3.create_multipart_upload(Bucket=bucket, Key="big", ServerSideEncryption="aws:kms", SSEKMSKeyId=key)
        copy = dict(Bucket=bucket, Key="big", UploadId=up["UploadId"], PartNumber=1, CopySource={"Bucket": bucket, "Key": "big"},
                    CopySourceRange="bytes=0-3")
        self.assertEqual(code(s3.upload_part_copy, CopySourceIfMatch='"0"', **copy)[0], "PreconditionFailed")
        part = s3.upload_part_copy(CopySourceIfMatch=etag, **copy)["CopyPartResult"]["ETag"]
        self.assertEqual(code(s3.complete_multipart_upload, Bucket=bucket, Key="big", UploadId=up["UploadId"], IfMatch='"0"',
                              MultipartUpload={"Parts": [{"PartNumber": 1, "ETag": part}]})[0], "PreconditionFailed")
        control("/_localaws/s3/overwrite-on-copy", {"account": SPEEDSCALE, "bucket": bucket, "key": "big"})
        self.assertEqual(code(s3.upload_part_copy, CopySourceIfMatch=etag, **copy)[0], "PreconditionFailed")
        head = s3.head_object(Bucket=bucket, Key="big")
        self.assertNotEqual(head["ETag"], etag, "someone wrote it again")
        self.assertEqual(head["ServerSideEncryption"], "AES256", "under the bucket's default encryption")

    def test_multipart_uploads_use_the_key_through_s3(self):
        bucket = "r15-kms-bucket"
        s3, key, etag = self.world(bucket, [allow(["kms:DescribeKey"])])
        self.assertEqual(code(s3.create_multipart_upload, Bucket=bucket, Key="big", ServerSideEncryption="aws:kms",
                              SSEKMSKeyId=key)[0], "AccessDenied")
        good = make_key([allow(["kms:GenerateDataKey", "kms:Decrypt"], VIA_S3)])
        up = s3.create_multipart_upload(Bucket=bucket, Key="big", ServerSideEncryption="aws:kms", SSEKMSKeyId=good)
        client("kms", CUSTOMER).disable_key(KeyId=good)
        self.assertEqual(code(s3.upload_part_copy, Bucket=bucket, Key="big", UploadId=up["UploadId"], PartNumber=1,
                              CopySource={"Bucket": bucket, "Key": "big"})[0], "KMS.DisabledException")


class R16SimulatePrincipalPolicy(unittest.TestCase):
    def test_a_users_own_group_and_managed_policies_deny_wins(self):
        acct = "620000000001"
        iam = client("iam", acct)
        user = iam.create_user(UserName="alice")["User"]["Arn"]
        iam.put_user_policy(UserName="alice", PolicyName="inline", PolicyDocument=json.dumps({"Version": "2012-10-17", "Statement": [
            {"Effect": "Allow", "Action": "s3:Get*", "Resource": "arn:aws:s3:::data/*"},
            {"Effect": "Allow", "Action": "kms:Decrypt", "Resource": "*", "Condition": VIA_S3}]}))
        iam.create_group(GroupName="ops")
        iam.add_user_to_group(GroupName="ops", UserName="alice")
        iam.put_group_policy(GroupName="ops", PolicyName="deny", PolicyDocument=json.dumps({"Version": "2012-10-17", "Statement": [
            {"Effect": "Deny", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::data/secret/*"}]}))
        managed = iam.create_policy(PolicyName="pass", PolicyDocument=json.dumps({"Version": "2012-10-17", "Statement": [
            {"Effect": "Allow", "Action": "iam:PassRole", "Resource": "*"}]}))["Policy"]["Arn"]
        iam.attach_user_policy(UserName="alice", PolicyArn=managed)
        out = iam.simulate_principal_policy(PolicySourceArn=user, ActionNames=["s3:GetObject", "iam:PassRole", "s3:PutObject"],
                                            ResourceArns=["arn:aws:s3:::data/a", "arn:aws:s3:::data/secret/b"])
        results = {r["EvalActionName"]: r for r in out["EvaluationResults"]}
        get = results["s3:GetObject"]
        self.assertEqual(get["EvalDecision"], "explicitDeny", "the most restrictive decision across the resources")
        self.assertEqual([(m["SourcePolicyId"], m["SourcePolicyType"]) for m in get["MatchedStatements"]], [("deny", "group")])
        self.assertEqual([(r["EvalResourceName"], r["EvalResourceDecision"]) for r in get["ResourceSpecificResults"]],
                         [("arn:aws:s3:::data/a", "allowed"), ("arn:aws:s3:::data/secret/b", "explicitDeny")])
        self.assertEqual(results["iam:PassRole"]["MatchedStatements"][0]["SourcePolicyType"], "user-managed")
        self.assertEqual(results["s3:PutObject"]["EvalDecision"], "implicitDeny")
        out = iam.simulate_principal_policy(PolicySourceArn=user, ActionNames=["kms:Decrypt"])["EvaluationResults"][0]
        self.assertEqual((out["EvalDecision"], out["MissingContextValues"]), ("implicitDeny", ["kms:ViaService"]))
        out = iam.simulate_principal_policy(PolicySourceArn=user, ActionNames=["kms:Decrypt"], ContextEntries=[
            {"ContextKeyName": "kms:ViaService", "ContextKeyValues": [f"s3.{REGION}.amazonaws.com"], "ContextKeyType": "string"}])
        self.assertEqual(out["EvaluationResults"][0]["EvalDecision"], "allowed")

    def test_a_role_and_principals_that_are_not_one(self):
        acct = "620000000002"
        key, role = batch_world(acct, "r16-role-bucket")
        iam = client("iam", acct)
        out = iam.simulate_principal_policy(PolicySourceArn=role, ActionNames=["s3:PutObject"],
                                            ResourceArns=["arn:aws:s3:::r16-role-bucket/x"])["EvaluationResults"][0]
        self.assertEqual((out["EvalDecision"], out["MatchedStatements"][0]["SourcePolicyType"]), ("allowed", "role"))
        self.assertEqual(code(iam.simulate_principal_policy, PolicySourceArn=f"arn:aws:iam::{acct}:role/nobody",
                              ActionNames=["s3:GetObject"])[0], "NoSuchEntity")
        self.assertEqual(code(iam.simulate_principal_policy, PolicySourceArn=f"arn:aws:sts::{acct}:assumed-role/batch/s",
                              ActionNames=["s3:GetObject"])[0], "InvalidInput")


# ---------------------------------------------------------------------------------------------
# R19, and R12/R17 additions: switches tested under each value, customer and Speedscale apart

import contextlib  # noqa: E402
import datetime  # noqa: E402
import os  # noqa: E402
import tempfile  # noqa: E402
import unittest.mock  # noqa: E402

import cloudwatch  # noqa: E402
import core  # noqa: E402
import firehose  # noqa: E402


@contextlib.contextmanager
def account_setting(account, **switches):
    """One account's answers (POST /_localaws/config {"account": ...}), undone afterwards."""
    before = dict(localaws.ACCOUNT_CONFIG.get(account, {}))
    control("/_localaws/config", dict(switches, account=account))
    try:
        yield
    finally:
        localaws.ACCOUNT_CONFIG[account] = before


def temp_credentials(account, role_name, policy_doc=None):
    """An STS session of a role of `account` (its identity policy `policy_doc`, if any)."""
    iam = client("iam", account)
    trust = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": root(account)},
                                                     "Action": "sts:AssumeRole"}]}
    arn = iam.create_role(RoleName=role_name, AssumeRolePolicyDocument=json.dumps(trust))["Role"]["Arn"]
    if policy_doc:
        iam.put_role_policy(RoleName=role_name, PolicyName="kms", PolicyDocument=json.dumps(policy_doc))
    creds = client("sts", account).assume_role(RoleArn=arn, RoleSessionName="session")["Credentials"]
    return boto3.client("firehose", endpoint_url=URL, region_name=REGION, config=NO_RETRY,
                        aws_access_key_id=creds["AccessKeyId"], aws_secret_access_key=creds["SecretAccessKey"],
                        aws_session_token=creds["SessionToken"])


def kms_metric(account, name, stream):
    return sum(m[6] for m in cloudwatch.METRICS if m[0] == account and m[2] == "AWS/Firehose" and m[3] == name
               and dict(m[4]) == {"DeliveryStreamName": stream})


class R19FirehoseCallerPermission(unittest.TestCase):
    """The stream's account (Speedscale's role here) puts records; the key is the customer's."""

    def setUp(self):
        localaws.CONFIG.update(firehose_create=0.05, firehose_enabling=0.05)

    def stream(self, account, name, key, created=None):
        fh = client("firehose", account)
        client("s3", account).create_bucket(Bucket=f"{name}-dest")
        fh.create_delivery_stream(
            DeliveryStreamName=name, DeliveryStreamType="DirectPut",
            DeliveryStreamEncryptionConfigurationInput={"KeyType": "CUSTOMER_MANAGED_CMK", "KeyARN": key},
            ExtendedS3DestinationConfiguration={"RoleARN": f"arn:aws:iam::{account}:role/r",
                                                "BucketARN": f"arn:aws:s3:::{name}-dest"})
        time.sleep(0.1)
        if created is not None:
            out = control("/_localaws/firehose/created", {"account": account, "name": name, "created": created})
            self.assertEqual(out["created"], created)
        return fh

    def key_for(self, account, statements=None):
        via = {"StringEquals": {"kms:ViaService": f"firehose.{REGION}.amazonaws.com"}}
        return make_key(statements or [allow(["kms:DescribeKey", "kms:GenerateDataKey", "kms:Decrypt"], via,
                                             account=account), allow(["kms:CreateGrant"], GRANTS, account=account)])

    def put(self, fh, name):
        return code(fh.put_record, DeliveryStreamName=name, Record={"Data": b"x"})

    def test_create_timestamp_reaches_the_sdk_as_epoch_seconds_and_follows_the_control(self):
        acct = "719000000001"
        fh = self.stream(acct, "r19-ts", self.key_for(acct))
        raw = []
        fh.meta.events.register("before-parse.firehose.DescribeDeliveryStream",
                                lambda response_dict, **_: raw.append(json.loads(response_dict["body"])))
        first = fh.describe_delivery_stream(DeliveryStreamName="r19-ts")["DeliveryStreamDescription"]["CreateTimestamp"]
        self.assertIsInstance(first, datetime.datetime)
        self.assertLess(abs(first.timestamp() - time.time()), 60)
        self.assertIsInstance(raw[-1]["DeliveryStreamDescription"]["CreateTimestamp"], (int, float),
                              "awsJson1.1 sends a timestamp as epoch seconds, a JSON number")
        control("/_localaws/firehose/created", {"account": acct, "name": "r19-ts", "created": 1767225600})
        second = fh.describe_delivery_stream(DeliveryStreamName="r19-ts")["DeliveryStreamDescription"]["CreateTimestamp"]
        self.assertEqual(second, datetime.datetime(2026, 1, 1, tzinfo=second.tzinfo))
        self.assertEqual(raw[-1]["DeliveryStreamDescription"]["CreateTimestamp"], 1767225600)

    def test_a_new_stream_needs_the_callers_identity_policy_and_the_key_policy(self):
        acct = "719000000002"
        key = self.key_for(acct)
        self.stream(acct, "r19-new", key)
        bare = temp_credentials(acct, "producer-bare")
        c, msg = self.put(bare, "r19-new")
        self.assertEqual(c, "InvalidKMSResourceException")
        self.assertIn("AccessDeniedException", msg)
        self.assertIn("no identity-based policy allows the kms:GenerateDataKey action", msg)
        self.assertEqual(kms_metric(acct, "KMSKeyAccessDenied", "r19-new"), 1.0)
        allowed = temp_credentials(acct, "producer", {"Version": "2012-10-17", "Statement": [
            {"Effect": "Allow", "Action": ["kms:GenerateDataKey", "kms:Decrypt"], "Resource": key}]})
        self.assertIsNone(self.put(allowed, "r19-new")[0])
        self.assertIsNone(self.put(client("firehose", acct), "r19-new")[0], "the account root: allowed by IAM")
        only_generate = temp_credentials(acct, "producer-half", {"Version": "2012-10-17", "Statement": [
            {"Effect": "Allow", "Action": "kms:GenerateDataKey", "Resource": key}]})
        self.assertIn("kms:Decrypt", self.put(only_generate, "r19-new")[1])
        # The key policy must allow too: this key lets Firehose make its grant but not the caller use it.
        key2 = self.key_for(acct, [allow(["kms:DescribeKey"], account=acct),
                                   allow(["kms:CreateGrant"], GRANTS, account=acct)])
        self.stream(acct, "r19-kp", key2)
        c, msg = self.put(client("firehose", acct), "r19-kp")
        self.assertEqual(c, "InvalidKMSResourceException")
        self.assertIn("no resource-based policy allows the kms:GenerateDataKey action", msg)
        # The caller's KMS calls are evaluated through firehose.<region> (unconfirmed): a key policy
        # allowing them only through S3 refuses.
        key3 = self.key_for(acct, [allow(["kms:DescribeKey"], account=acct),
                                   allow(["kms:CreateGrant"], GRANTS, account=acct),
                                   allow(["kms:GenerateDataKey", "kms:Decrypt"], VIA_S3, account=acct)])
        self.stream(acct, "r19-via", key3)
        self.assertEqual(self.put(client("firehose", acct), "r19-via")[0], "InvalidKMSResourceException")
        with account_setting(acct, firehose_caller_kms_permission=0):
            self.assertIsNone(self.put(bare, "r19-new")[0], "switch 0: no caller check")
            self.assertIsNone(self.put(client("firehose", acct), "r19-kp")[0])
            self.assertIsNone(code(bare.put_record_batch, DeliveryStreamName="r19-new",
                                   Records=[{"Data": b"x"}])[0])
        self.assertEqual(code(bare.put_record_batch, DeliveryStreamName="r19-new", Records=[{"Data": b"x"}])[0],
                         "InvalidKMSResourceException", "PutRecordBatch too")

    def test_an_older_stream_keeps_the_grant_rule_until_2027_02_28(self):
        acct = "719000000003"
        key = self.key_for(acct)
        self.stream(acct, "r19-old", key, created=1767225600)  # 2026-01-01
        bare = temp_credentials(acct, "producer-old")
        self.assertIsNone(self.put(bare, "r19-old")[0], "created before 2026-04-20: the grant rule")
        control("/_localaws/firehose/created", {"account": acct, "name": "r19-old", "created": 1776643200})
        self.assertEqual(self.put(bare, "r19-old")[0], "InvalidKMSResourceException", "2026-04-20T00:00:00Z: new")
        control("/_localaws/firehose/created", {"account": acct, "name": "r19-old", "created": 1776643199})
        self.assertIsNone(self.put(bare, "r19-old")[0])
        with unittest.mock.patch.object(firehose, "layer_clock", lambda: 1803772800.0):  # 2027-02-28T00:00:00Z
            self.assertEqual(self.put(bare, "r19-old")[0], "InvalidKMSResourceException", "every stream from then")
            with account_setting(acct, firehose_caller_kms_permission=0):
                self.assertIsNone(self.put(bare, "r19-old")[0])
        with unittest.mock.patch.object(firehose, "layer_clock", lambda: 1803772799.0):
            self.assertIsNone(self.put(bare, "r19-old")[0])


class R12R17KeysOfTheSecretPerformanceInsightsAndRdsGrant(unittest.TestCase):
    """The DB account is Speedscale's; every key is the customer's."""

    def setUp(self):
        localaws.CONFIG.update(rds_create=0.05, rds_snapshot=0.05, rds_inaccessible=0.1, rds_modify=0.05)

    def tearDown(self):
        localaws.CONFIG.update(rds_terminal=604800.0, rds_stop_restart=604800.0)

    def create(self, account, name, **kw):
        return code(client("rds", account).create_db_instance, DBInstanceIdentifier=name, Engine="postgres",
                    DBInstanceClass="db.t4g.micro", AllocatedStorage=20, MasterUsername="u", **kw)

    def status(self, account, name):
        return client("rds", account).describe_db_instances(DBInstanceIdentifier=name)["DBInstances"][0]["DBInstanceStatus"]

    def test_the_secret_keys_create_grant_goes_through_the_switched_service(self):
        acct = "712000000001"
        secret_use = allow(["kms:DescribeKey", "kms:GenerateDataKey*", "kms:Decrypt"],
                           {"StringEquals": {"kms:ViaService": f"secretsmanager.{REGION}.amazonaws.com"}}, account=acct)

        def grant_via(service):
            return allow(["kms:CreateGrant"], {"Bool": {"kms:GrantIsForAWSResource": "true"},
                                               "StringEquals": {"kms:ViaService": f"{service}.{REGION}.amazonaws.com"}},
                         account=acct)
        via_rds, via_sm = make_key([secret_use, grant_via("rds")]), make_key([secret_use, grant_via("secretsmanager")])
        secret = dict(ManageMasterUserPassword=True)
        c, msg = self.create(acct, "r12-sg-a", MasterUserSecretKmsKeyId=via_rds, **secret)
        self.assertEqual(c, "KMSKeyNotAccessibleFault", "1 (default): CreateGrant through secretsmanager")
        self.assertIn("kms:CreateGrant", msg)
        self.assertIsNone(self.create(acct, "r12-sg-b", MasterUserSecretKmsKeyId=via_sm, **secret)[0])
        with account_setting(acct, secret_grant_via_secretsmanager=0):
            self.assertIsNone(self.create(acct, "r12-sg-c", MasterUserSecretKmsKeyId=via_rds, **secret)[0])
            self.assertEqual(self.create(acct, "r12-sg-d", MasterUserSecretKmsKeyId=via_sm, **secret)[0],
                             "KMSKeyNotAccessibleFault", "0: CreateGrant through rds")

    def test_the_secrets_key_is_used_with_the_secrets_own_arn_as_describe_reports_it(self):
        import re
        from unittest import mock
        acct = "712000000005"
        grant = allow(["kms:CreateGrant"], GRANTS, account=acct)

        def secret_key(pattern, grant_statement=grant):
            return make_key([allow(["kms:DescribeKey", "kms:GenerateDataKey*", "kms:Decrypt"], {
                "StringEquals": {"kms:ViaService": f"secretsmanager.{REGION}.amazonaws.com"},
                "StringLike": {"kms:EncryptionContext:SecretARN": pattern}}, account=acct), grant_statement])
        vendor_secrets = f"arn:aws:secretsmanager:{REGION}:{acct}:secret:rds!db-*"
        good, wrong = secret_key(vendor_secrets), secret_key(f"arn:aws:secretsmanager:{REGION}:{OTHER}:secret:rds!db-*")
        secret = dict(ManageMasterUserPassword=True)
        with mock.patch.object(policy, "evaluate", wraps=policy.evaluate) as evaluated:
            self.assertIsNone(self.create(acct, "r12-ctx-a", MasterUserSecretKmsKeyId=good, **secret)[0])
        reported = client("rds", acct).describe_db_instances(DBInstanceIdentifier="r12-ctx-a")["DBInstances"][0]
        arn = reported["MasterUserSecret"]["SecretArn"]
        self.assertRegex(arn, rf"^arn:aws:secretsmanager:{REGION}:{acct}:secret:rds!db-"
                              r"[0-9a-f]{8}-([0-9a-f]{4}-){3}[0-9a-f]{12}-[A-Za-z]{6}$")
        versions = client("secretsmanager", acct).list_secret_version_ids(SecretId=arn)["Versions"]
        seen = [(c.args[3], c.args[4].get("kms:EncryptionContext:SecretARN"), c.args[4].get("kms:EncryptionContext:SecretVersionId"))
                for c in evaluated.call_args_list if c.args[4].get("kms:ViaService", "").startswith("secretsmanager.")]
        self.assertEqual(seen, [("kms:GenerateDataKey", arn, "RequestToValidateKeyAccess"),
                                ("kms:Decrypt", arn, "RequestToValidateKeyAccess"),
                                ("kms:GenerateDataKey", arn, versions[0]["VersionId"]),
                                ("kms:CreateGrant", None, None)])
        c, msg = self.create(acct, "r12-ctx-b", MasterUserSecretKmsKeyId=wrong, **secret)
        self.assertEqual(c, "KMSKeyNotAccessibleFault")
        self.assertIn("kms:GenerateDataKey", msg)
        # secret_grant_encryption_context (unconfirmed): a CreateGrant statement conditioned on SecretARN.
        grant_for_secrets = allow(["kms:CreateGrant"], dict(GRANTS, StringLike={"kms:EncryptionContext:SecretARN":
                                                                               vendor_secrets}), account=acct)
        narrow = secret_key(vendor_secrets, grant_for_secrets)
        c, msg = self.create(acct, "r12-ctx-c", MasterUserSecretKmsKeyId=narrow, **secret)
        self.assertEqual(c, "KMSKeyNotAccessibleFault", "0 (default): the CreateGrant carries no encryption context")
        self.assertIn("kms:CreateGrant", msg)
        with account_setting(acct, secret_grant_encryption_context=1):
            self.assertIsNone(self.create(acct, "r12-ctx-d", MasterUserSecretKmsKeyId=narrow, **secret)[0])
        # A password the caller manages makes no secret: nothing is checked with a SecretARN.
        self.assertIsNone(self.create(acct, "r12-ctx-e", MasterUserPassword="password-1")[0])

    def test_a_performance_insights_key_of_another_account(self):
        acct = "712000000002"
        key = service_key()  # the customer's; allows Speedscale's account root below
        key = make_key([allow(["kms:DescribeKey", "kms:GenerateDataKey*", "kms:Decrypt"], SERVICES, account=acct),
                        allow(["kms:CreateGrant"], GRANTS, account=acct)])
        pi = dict(EnablePerformanceInsights=True, PerformanceInsightsKMSKeyId=key, MasterUserPassword="password-1")
        rds = client("rds", acct)
        with account_setting(acct, pi_cross_account_key=0):
            c, msg = self.create(acct, "r17-pi-a", **pi)
            self.assertEqual(c, "KMSKeyNotAccessibleFault")
            self.assertIn("Performance Insights", msg)
            self.assertEqual(code(rds.describe_db_instances, DBInstanceIdentifier="r17-pi-a")[0], "DBInstanceNotFound",
                             "nothing was created")
            self.assertIsNone(self.create(acct, "r17-pi-b", MasterUserPassword="password-1")[0])
            time.sleep(0.1)
            self.status(acct, "r17-pi-b")
            self.assertEqual(code(rds.modify_db_instance, DBInstanceIdentifier="r17-pi-b", ApplyImmediately=True,
                                  EnablePerformanceInsights=True, PerformanceInsightsKMSKeyId=key)[0],
                             "KMSKeyNotAccessibleFault")
            db = rds.describe_db_instances(DBInstanceIdentifier="r17-pi-b")["DBInstances"][0]
            self.assertEqual((db["PerformanceInsightsEnabled"], db["DBInstanceStatus"]), (False, "available"),
                             "nothing was changed")
        self.assertIsNone(self.create(acct, "r17-pi-c", **pi)[0], "1 (default): accepted")
        db = rds.describe_db_instances(DBInstanceIdentifier="r17-pi-c")["DBInstances"][0]
        self.assertEqual(db["PerformanceInsightsKMSKeyId"], key)

    def test_rds_holds_a_grant_the_customer_can_list_and_revoke(self):
        acct = "712000000003"
        key = make_key([allow(["kms:DescribeKey", "kms:GenerateDataKey*", "kms:Decrypt"], SERVICES, account=acct),
                        allow(["kms:CreateGrant"], GRANTS, account=acct)])
        customer = client("kms", CUSTOMER)
        for name, switch in (("r12-g1", 1), ("r12-g0", 0)):
            self.assertIsNone(self.create(acct, name, MasterUserPassword="password-1", StorageEncrypted=True,
                                          KmsKeyId=key)[0])
        grants = {g["Name"]: g for g in customer.list_grants(KeyId=key)["Grants"]}
        g1 = grants[f"rds:{acct}:db:r12-g1"]
        self.assertEqual((g1["GranteePrincipal"], g1["RetiringPrincipal"]), (f"rds.{REGION}.amazonaws.com",) * 2)
        self.assertEqual(sorted(g1["Operations"]), sorted([
            "Decrypt", "Encrypt", "GenerateDataKey", "GenerateDataKeyWithoutPlaintext", "ReEncryptFrom",
            "ReEncryptTo", "CreateGrant", "RetireGrant", "DescribeKey"]))
        time.sleep(0.1)
        self.assertEqual(self.status(acct, "r12-g1"), "available")
        with account_setting(acct, rds_grant_revoked_inaccessible=0):
            customer.revoke_grant(KeyId=key, GrantId=grants[f"rds:{acct}:db:r12-g0"]["GrantId"])
            self.status(acct, "r12-g0")
            time.sleep(0.15)
            self.assertEqual(self.status(acct, "r12-g0"), "available", "0: a revoked grant changes nothing")
        customer.revoke_grant(KeyId=key, GrantId=g1["GrantId"])
        self.assertEqual(self.status(acct, "r12-g1"), "available", "RDS takes a while to notice")
        time.sleep(0.15)
        self.assertEqual(self.status(acct, "r12-g1"), "inaccessible-encryption-credentials-recoverable",
                         "1 (default): as for a disabled key")
        self.assertEqual(code(client("rds", acct).start_db_instance, DBInstanceIdentifier="r12-g1")[0],
                         "KMSKeyNotAccessibleFault")
        # A snapshot copy and a restore get grants of their own.
        rds = client("rds", acct)
        rds.create_db_snapshot(DBInstanceIdentifier="r12-g0", DBSnapshotIdentifier="r12-g0-s")
        time.sleep(0.1)
        rds.describe_db_snapshots(DBSnapshotIdentifier="r12-g0-s")
        rds.copy_db_snapshot(SourceDBSnapshotIdentifier="r12-g0-s", TargetDBSnapshotIdentifier="r12-g0-c", KmsKeyId=key)
        time.sleep(0.1)
        rds.describe_db_snapshots(DBSnapshotIdentifier="r12-g0-c")
        rds.restore_db_instance_from_db_snapshot(DBInstanceIdentifier="r12-g0-r", DBSnapshotIdentifier="r12-g0-c")
        names = {g["Name"] for g in customer.list_grants(KeyId=key)["Grants"]}
        self.assertLessEqual({f"rds:{acct}:snapshot:r12-g0-c", f"rds:{acct}:db:r12-g0-r"}, names)

    def test_seven_days_then_terminal_backups_disabled_stay_available_and_a_stop_ends(self):
        acct = "712000000004"
        key = make_key([allow(["kms:DescribeKey", "kms:GenerateDataKey*", "kms:Decrypt"], SERVICES, account=acct),
                        allow(["kms:CreateGrant"], GRANTS, account=acct)])
        enc = dict(MasterUserPassword="password-1", StorageEncrypted=True, KmsKeyId=key)
        self.create(acct, "r12-t", **enc)
        self.create(acct, "r12-t2", **enc)
        self.create(acct, "r12-nb", BackupRetentionPeriod=0, **enc)
        self.create(acct, "r12-stop", MasterUserPassword="password-1")
        time.sleep(0.1)
        for name in ("r12-t", "r12-t2", "r12-nb", "r12-stop"):
            self.assertEqual(self.status(acct, name), "available")
        client("rds", acct).create_db_instance_read_replica(DBInstanceIdentifier="r12-t-replica",
                                                            SourceDBInstanceIdentifier="r12-t")
        time.sleep(0.1)
        self.assertEqual(self.status(acct, "r12-t-replica"), "available")
        localaws.CONFIG.update(rds_terminal=0.2, rds_stop_restart=0.2)
        client("rds", acct).stop_db_instance(DBInstanceIdentifier="r12-stop")
        self.assertEqual(self.status(acct, "r12-stop"), "stopped")
        client("kms", CUSTOMER).disable_key(KeyId=key)
        for name in ("r12-t", "r12-t-replica", "r12-t2", "r12-nb"):
            self.status(acct, name)
        time.sleep(0.15)
        self.assertEqual(self.status(acct, "r12-t2"), "inaccessible-encryption-credentials-recoverable")
        self.assertEqual(self.status(acct, "r12-t"), "inaccessible-encryption-credentials",
                         "an instance with a read replica cannot stop: terminal (unconfirmed)")
        self.assertEqual(self.status(acct, "r12-t-replica"), "inaccessible-encryption-credentials")
        self.assertEqual(self.status(acct, "r12-nb"), "available", "backups disabled: stays available")
        time.sleep(0.25)
        self.assertEqual(self.status(acct, "r12-t2"), "inaccessible-encryption-credentials", "after seven days")
        self.assertEqual(self.status(acct, "r12-stop"), "available", "restarts automatically after 7 days")
        client("kms", CUSTOMER).enable_key(KeyId=key)


class M2CloudFormationKeyPolicy(unittest.TestCase):
    def test_fn_sub_inside_condition_values_and_lists_is_substituted(self):
        import deploy
        acct = "730000000001"
        template = """
AWSTemplateFormatVersion: "2010-09-09"
Parameters:
  SpeedscaleAccountId: {Type: String, Default: "%s"}
Resources:
  CmekKey:
    Type: AWS::KMS::Key
    Properties:
      KeyPolicy:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Principal: {AWS: !Sub "arn:${AWS::Partition}:iam::${AWS::AccountId}:root"}
            Action: "kms:*"
            Resource: "*"
          - Effect: Allow
            Principal: {AWS: !Sub "arn:${AWS::Partition}:iam::${SpeedscaleAccountId}:root"}
            Action: [kms:GenerateDataKey*, kms:Decrypt]
            Resource: "*"
            Condition:
              StringEquals:
                kms:CallerAccount: !Ref SpeedscaleAccountId
                kms:ViaService:
                  - !Sub "s3.${AWS::Region}.amazonaws.com"
                  - !Sub "secretsmanager.${AWS::Region}.amazonaws.com"
              StringLike:
                kms:EncryptionContext:aws:s3:arn:
                  - !Sub "arn:${AWS::Partition}:s3:::tenant-${AWS::AccountId}"
                  - !Sub ["arn:${P}:s3:::tenant-${A}/*", {P: !Ref "AWS::Partition", A: !Ref "AWS::AccountId"}]
          - Effect: Allow
            Principal: {AWS: !Sub "arn:${AWS::Partition}:iam::${SpeedscaleAccountId}:root"}
            Action: [kms:GenerateDataKey*, kms:Decrypt]
            Resource: "*"
            Condition:
              StringEquals: {kms:ViaService: !Sub "secretsmanager.${AWS::Region}.amazonaws.com"}
              StringLike:
                kms:EncryptionContext:SecretARN: !Sub "arn:${AWS::Partition}:secretsmanager:${AWS::Region}:${SpeedscaleAccountId}:secret:rds!db-*"
Outputs:
  KeyArn: {Value: !GetAtt CmekKey.Arn}
""" % SPEEDSCALE
        arn = deploy.deploy(URL, acct, template, "m2-sub")["KeyArn"]
        got = json.loads(client("kms", acct).get_key_policy(KeyId=arn, PolicyName="default")["Policy"])
        self.assertEqual(got["Statement"][0]["Principal"], {"AWS": f"arn:aws:iam::{acct}:root"})
        self.assertEqual(got["Statement"][1]["Principal"], {"AWS": f"arn:aws:iam::{SPEEDSCALE}:root"})
        self.assertEqual(got["Statement"][1]["Condition"], {
            "StringEquals": {"kms:CallerAccount": SPEEDSCALE,
                             "kms:ViaService": ["s3.us-east-1.amazonaws.com", "secretsmanager.us-east-1.amazonaws.com"]},
            "StringLike": {"kms:EncryptionContext:aws:s3:arn": [f"arn:aws:s3:::tenant-{acct}", f"arn:aws:s3:::tenant-{acct}/*"]}})
        self.assertEqual(got["Statement"][2]["Condition"], {
            "StringEquals": {"kms:ViaService": "secretsmanager.us-east-1.amazonaws.com"},
            "StringLike": {"kms:EncryptionContext:SecretARN": f"arn:aws:secretsmanager:us-east-1:{SPEEDSCALE}:secret:rds!db-*"}})
        # The key decides as its substituted policy says.
        s3 = client("s3", SPEEDSCALE)
        s3.create_bucket(Bucket=f"tenant-{acct}")
        s3.put_object(Bucket=f"tenant-{acct}", Key="k", Body=b"x", ServerSideEncryption="aws:kms", SSEKMSKeyId=arn)
        s3.create_bucket(Bucket="m2-other-tenant")
        self.assertEqual(code(s3.put_object, Bucket="m2-other-tenant", Key="k", Body=b"x", ServerSideEncryption="aws:kms",
                              SSEKMSKeyId=arn)[0], "AccessDenied")


class LocalAwsAnswers(unittest.TestCase):
    """CMEK_LOCALAWS_ANSWERS: a conformance report's answers set the switches at startup."""

    def test_a_report_sets_the_switches_it_observed(self):
        report = {"probes": [
            {"id": "firehose-cross-account-key", "rule": "R11", "answer": "refused",
             "switch": "firehose_cross_account_key", "switch_value": 0},
            {"id": "upload-part-copy-if-match", "rule": "R15", "answer": "not-observed",
             "switch": "upload_part_copy_if_match", "switch_value": 0},
            {"id": "quota-burst", "rule": "R13", "answer": "one-second", "switch": None, "switch_value": None},
            {"id": "x", "rule": "R1", "answer": "y", "switch": "no_such_switch", "switch_value": 1}]}
        saved = dict(localaws.CONFIG)
        with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as f:
            json.dump(report, f)
        try:
            err = io.StringIO()
            self.assertEqual(core.apply_answers(f.name, out=err), {"firehose_cross_account_key": 0.0})
            self.assertEqual(localaws.CONFIG["firehose_cross_account_key"], 0.0)
            self.assertEqual(localaws.CONFIG["upload_part_copy_if_match"], saved["upload_part_copy_if_match"],
                             "not-observed: left alone")
            lines = err.getvalue().splitlines()
            self.assertEqual(len([line for line in lines if "firehose_cross_account_key = 0" in line]), 1)
            self.assertTrue(any("no_such_switch" in line and "ignored" in line for line in lines))
            localaws.CONFIG.update(saved)
            with unittest.mock.patch.dict(os.environ, {"CMEK_LOCALAWS_ANSWERS": f.name}), \
                    contextlib.redirect_stderr(io.StringIO()) as stderr:
                localaws.Fidelity(None)  # what main() builds: it reads the report
            self.assertEqual(localaws.CONFIG["firehose_cross_account_key"], 0.0)
            self.assertIn("firehose_cross_account_key = 0", stderr.getvalue())
        finally:
            localaws.CONFIG.clear()
            localaws.CONFIG.update(saved)
            os.unlink(f.name)


# ---------------------------------------------------------------------------------------------
# R20-R22, M4, and R11/R12/R14 additions


class R20RdsAutomatedBackups(unittest.TestCase):
    """Instances in their own accounts (713...); every key is the customer's."""

    def setUp(self):
        localaws.CONFIG.update(rds_create=0.1, rds_snapshot=0.05, rds_backup_delete=0.1)

    def tearDown(self):
        localaws.CONFIG.update(rds_backup_delete=0.5)

    def key(self, acct):
        return make_key([allow(["kms:DescribeKey", "kms:GenerateDataKey*", "kms:Decrypt"], SERVICES, account=acct),
                         allow(["kms:CreateGrant"], GRANTS, account=acct)])

    def create(self, acct, name, **kw):
        return client("rds", acct).create_db_instance(
            DBInstanceIdentifier=name, Engine="postgres", DBInstanceClass="db.t4g.micro", AllocatedStorage=20,
            MasterUsername="u", MasterUserPassword="password-1", **kw)["DBInstance"]

    def backups(self, acct, **kw):
        return client("rds", acct).describe_db_instance_automated_backups(**kw)["DBInstanceAutomatedBackups"]

    def snapshots(self, acct, **kw):
        return sorted((s["DBSnapshotIdentifier"], s["SnapshotType"])
                      for s in client("rds", acct).describe_db_snapshots(**kw)["DBSnapshots"])

    def test_an_instance_with_backups_has_an_automated_backup_as_aws_describes_it(self):
        acct = "713000000001"
        # A creating window wide enough for two creates and a read on a loaded CI machine.
        localaws.CONFIG.update(rds_create=1.0)
        key = self.key(acct)
        db = self.create(acct, "r20-a", StorageEncrypted=True, KmsKeyId=key)  # BackupRetentionPeriod: AWS's 1
        other = self.create(acct, "r20-a2")
        self.assertNotEqual(db["DbiResourceId"], other["DbiResourceId"], "M4: each instance its own DbiResourceId")
        self.assertRegex(db["DbiResourceId"], r"^db-[A-Z0-9]{26}$")
        (b,) = self.backups(acct, DBInstanceIdentifier="r20-a")
        self.assertEqual(b["Status"], "creating", "while the instance is creating")
        self.assertNotIn("RestoreWindow", b)
        time.sleep(1.05)
        (b,) = self.backups(acct, DbiResourceId=db["DbiResourceId"])
        self.assertEqual(b["Status"], "active")
        self.assertEqual((b["DBInstanceArn"], b["DbiResourceId"], b["DBInstanceIdentifier"], b["Region"]),
                         (db["DBInstanceArn"], db["DbiResourceId"], "r20-a", REGION))
        self.assertEqual((b["Engine"], b["AllocatedStorage"], b["Encrypted"], b["KmsKeyId"], b["BackupRetentionPeriod"]),
                         ("postgres", 20, True, key, 1))
        self.assertLess(abs((b["InstanceCreateTime"] - db["InstanceCreateTime"]).total_seconds()), 0.001)
        self.assertLessEqual(b["RestoreWindow"]["EarliestTime"], b["RestoreWindow"]["LatestTime"])
        self.assertRegex(b["DBInstanceAutomatedBackupsArn"], rf"^arn:aws:rds:{REGION}:{acct}:auto-backup:ab-[A-Z0-9]{{26}}$")
        self.assertEqual(self.backups(acct, DBInstanceAutomatedBackupsArn=b["DBInstanceAutomatedBackupsArn"])[0]["DbiResourceId"],
                         db["DbiResourceId"])
        self.assertEqual(self.snapshots(acct, DBInstanceIdentifier="r20-a", SnapshotType="automated")[0][1], "automated")
        # Backups off: no automated backup, no system snapshot.
        self.create(acct, "r20-none", BackupRetentionPeriod=0)
        self.assertEqual(code(self.backups, acct, DBInstanceIdentifier="r20-none")[0], "DBInstanceAutomatedBackupNotFound")
        self.assertEqual(self.snapshots(acct, DBInstanceIdentifier="r20-none"), [])
        self.assertEqual(code(self.backups, acct, DbiResourceId="db-NOSUCHBACKUP")[0], "DBInstanceAutomatedBackupNotFound")
        self.assertEqual(self.backups(acct, Filters=[{"Name": "status", "Values": ["retained"]}]), [])
        # Paging: MaxRecords and Marker.
        for i in range(3):
            self.create(acct, f"r20-p{i}")
        rds = client("rds", acct)
        pages = [[b["DBInstanceIdentifier"] for b in p["DBInstanceAutomatedBackups"]] for p in
                 rds.get_paginator("describe_db_instance_automated_backups").paginate(PaginationConfig={"PageSize": 2})]
        self.assertEqual(pages, [["r20-a", "r20-a2"], ["r20-p0", "r20-p1"], ["r20-p2"]])
        # An active backup cannot be deleted; DeleteDBInstance (default DeleteAutomatedBackups true) removes it.
        self.assertEqual(code(rds.delete_db_instance_automated_backup, DbiResourceId=db["DbiResourceId"])[0],
                         "InvalidDBInstanceAutomatedBackupState")
        rds.delete_db_instance(DBInstanceIdentifier="r20-a", SkipFinalSnapshot=True)
        self.assertEqual(code(self.backups, acct, DbiResourceId=db["DbiResourceId"])[0], "DBInstanceAutomatedBackupNotFound")
        self.assertEqual(self.snapshots(acct, DbiResourceId=db["DbiResourceId"]), [], "its system snapshots went with it")
        self.assertEqual(code(rds.delete_db_instance_automated_backup, DbiResourceId=db["DbiResourceId"])[0],
                         "DBInstanceAutomatedBackupNotFound")

    def test_a_retained_backup_and_the_snapshots_that_stay_after_delete_db_instance(self):
        acct = "713000000002"
        key = self.key(acct)
        rds = client("rds", acct)
        db = self.create(acct, "r20-r", StorageEncrypted=True, KmsKeyId=key, BackupRetentionPeriod=7)
        time.sleep(0.15)
        rds.describe_db_instances(DBInstanceIdentifier="r20-r")
        rds.create_db_snapshot(DBInstanceIdentifier="r20-r", DBSnapshotIdentifier="r20-r-manual")
        self.assertEqual(code(rds.delete_db_snapshot, DBSnapshotIdentifier="r20-r-manual")[0], "InvalidDBSnapshotState",
                         "not available yet")
        time.sleep(0.1)
        rds.describe_db_snapshots(DBSnapshotIdentifier="r20-r-manual")
        rds.delete_db_instance(DBInstanceIdentifier="r20-r", FinalDBSnapshotIdentifier="r20-r-final",
                               DeleteAutomatedBackups=False)
        (b,) = self.backups(acct, DBInstanceIdentifier="r20-r")
        self.assertEqual((b["Status"], b["DbiResourceId"], b["KmsKeyId"], b["Encrypted"], b["BackupRetentionPeriod"]),
                         ("retained", db["DbiResourceId"], key, True, 7))
        self.assertEqual([x["DbiResourceId"] for x in self.backups(acct, Filters=[{"Name": "status", "Values": ["retained"]}])],
                         [db["DbiResourceId"]])
        # Manual and final snapshots stay, with their keys; the retained backup's system snapshots are
        # listed only by its DbiResourceId (rds_retained_snapshots_listed 0, the default).
        self.assertEqual(self.snapshots(acct, DBInstanceIdentifier="r20-r"),
                         [("r20-r-final", "manual"), ("r20-r-manual", "manual")])
        for s in rds.describe_db_snapshots(DBInstanceIdentifier="r20-r")["DBSnapshots"]:
            self.assertEqual((s["KmsKeyId"], s["Encrypted"], s["AllocatedStorage"], s["DBInstanceIdentifier"]),
                             (key, True, 20, "r20-r"))
            self.assertIn("SnapshotCreateTime", s)
        by_dbi = self.snapshots(acct, DbiResourceId=db["DbiResourceId"])
        self.assertEqual([t for _, t in by_dbi].count("automated"), 1, by_dbi)
        system = next(n for n, t in by_dbi if t == "automated")
        self.assertTrue(system.startswith("rds:r20-r-"))
        self.assertNotIn(system, [n for n, _ in self.snapshots(acct)])
        with account_setting(acct, rds_retained_snapshots_listed=1):
            self.assertIn((system, "automated"), self.snapshots(acct, DBInstanceIdentifier="r20-r"))
        # DeleteDBInstanceAutomatedBackup: deleting, then gone, with its system snapshots.
        deleted = rds.delete_db_instance_automated_backup(DbiResourceId=db["DbiResourceId"])["DBInstanceAutomatedBackup"]
        self.assertEqual(deleted["Status"], "deleting")
        self.assertEqual(self.backups(acct, DbiResourceId=db["DbiResourceId"])[0]["Status"], "deleting")
        self.assertEqual(code(rds.delete_db_instance_automated_backup, DbiResourceId=db["DbiResourceId"])[0],
                         "InvalidDBInstanceAutomatedBackupState")
        self.assertEqual([t for _, t in self.snapshots(acct, DbiResourceId=db["DbiResourceId"])], ["manual", "manual"])
        time.sleep(0.15)
        self.assertEqual(code(self.backups, acct, DbiResourceId=db["DbiResourceId"])[0], "DBInstanceAutomatedBackupNotFound")
        # By ARN as well.
        db2 = self.create(acct, "r20-r2")
        time.sleep(0.15)
        rds.delete_db_instance(DBInstanceIdentifier="r20-r2", SkipFinalSnapshot=True, DeleteAutomatedBackups=False)
        arn = self.backups(acct, DbiResourceId=db2["DbiResourceId"])[0]["DBInstanceAutomatedBackupsArn"]
        self.assertEqual(rds.delete_db_instance_automated_backup(DBInstanceAutomatedBackupsArn=arn)
                         ["DBInstanceAutomatedBackup"]["DbiResourceId"], db2["DbiResourceId"])

    def test_restores_and_backup_retention_changes(self):
        acct = "713000000003"
        rds = client("rds", acct)
        src = self.create(acct, "r20-src", BackupRetentionPeriod=3)
        time.sleep(0.15)
        rds.describe_db_instances(DBInstanceIdentifier="r20-src")
        rds.create_db_snapshot(DBInstanceIdentifier="r20-src", DBSnapshotIdentifier="r20-src-s")
        time.sleep(0.1)
        rds.describe_db_snapshots(DBSnapshotIdentifier="r20-src-s")
        restored = rds.restore_db_instance_from_db_snapshot(DBInstanceIdentifier="r20-rest",
                                                            DBSnapshotIdentifier="r20-src-s")["DBInstance"]
        self.assertNotEqual(restored["DbiResourceId"], src["DbiResourceId"], "M4")
        self.assertEqual(restored["BackupRetentionPeriod"], 3, "inherited from the source")
        self.assertEqual(self.backups(acct, DBInstanceIdentifier="r20-rest")[0]["DbiResourceId"], restored["DbiResourceId"])
        zero = rds.restore_db_instance_from_db_snapshot(DBInstanceIdentifier="r20-rest0", DBSnapshotIdentifier="r20-src-s",
                                                        BackupRetentionPeriod=0)["DBInstance"]
        self.assertEqual(zero["BackupRetentionPeriod"], 0)
        self.assertEqual(code(self.backups, acct, DBInstanceIdentifier="r20-rest0")[0], "DBInstanceAutomatedBackupNotFound")
        # ModifyDBInstance: 0 deletes the automated backup and its system snapshots; back on makes a new one.
        rds.modify_db_instance(DBInstanceIdentifier="r20-src", BackupRetentionPeriod=0, ApplyImmediately=True)
        self.assertEqual(code(self.backups, acct, DBInstanceIdentifier="r20-src")[0], "DBInstanceAutomatedBackupNotFound")
        self.assertEqual(self.snapshots(acct, DBInstanceIdentifier="r20-src"), [("r20-src-s", "manual")])
        rds.modify_db_instance(DBInstanceIdentifier="r20-src", BackupRetentionPeriod=2, ApplyImmediately=True)
        (b,) = self.backups(acct, DBInstanceIdentifier="r20-src")
        self.assertEqual((b["DbiResourceId"], b["BackupRetentionPeriod"]), (src["DbiResourceId"], 2))
        self.assertIn("automated", [t for _, t in self.snapshots(acct, DBInstanceIdentifier="r20-src")])

    def test_snapshots_of_a_deleted_instance_are_shared_copied_and_deleted(self):
        acct = "713000000004"
        key = self.key(acct)
        rds = client("rds", acct)
        self.create(acct, "r20-s", StorageEncrypted=True, KmsKeyId=key)
        self.create(acct, "r20-plain")
        time.sleep(0.15)
        rds.describe_db_instances()
        rds.create_db_snapshot(DBInstanceIdentifier="r20-s", DBSnapshotIdentifier="r20-s-1")
        rds.create_db_snapshot(DBInstanceIdentifier="r20-plain", DBSnapshotIdentifier="r20-plain-1")
        time.sleep(0.1)
        rds.describe_db_snapshots()
        rds.delete_db_instance(DBInstanceIdentifier="r20-s", SkipFinalSnapshot=True)
        rds.modify_db_snapshot_attribute(DBSnapshotIdentifier="r20-s-1", AttributeName="restore",
                                         ValuesToAdd=[SPEEDSCALE, OTHER])
        attrs = rds.describe_db_snapshot_attributes(DBSnapshotIdentifier="r20-s-1")["DBSnapshotAttributesResult"]
        self.assertEqual(attrs["DBSnapshotAttributes"], [{"AttributeName": "restore", "AttributeValues": [SPEEDSCALE, OTHER]}])
        self.assertEqual(code(rds.modify_db_snapshot_attribute, DBSnapshotIdentifier="r20-s-1", AttributeName="restore",
                              ValuesToAdd=["all"])[0], "InvalidParameterValue", "encrypted: account ids only")
        rds.modify_db_snapshot_attribute(DBSnapshotIdentifier="r20-s-1", AttributeName="restore", ValuesToRemove=[OTHER])
        rds.modify_db_snapshot_attribute(DBSnapshotIdentifier="r20-plain-1", AttributeName="restore", ValuesToAdd=["all"])
        self.assertEqual(rds.describe_db_snapshot_attributes(DBSnapshotIdentifier="r20-plain-1")
                         ["DBSnapshotAttributesResult"]["DBSnapshotAttributes"][0]["AttributeValues"], ["all"])
        copy = rds.copy_db_snapshot(SourceDBSnapshotIdentifier="r20-s-1", TargetDBSnapshotIdentifier="r20-s-copy",
                                    KmsKeyId=key)["DBSnapshot"]
        self.assertEqual((copy["DBInstanceIdentifier"], copy["KmsKeyId"]), ("r20-s", key))
        time.sleep(0.1)
        self.assertEqual(self.snapshots(acct, DBInstanceIdentifier="r20-s"), [("r20-s-1", "manual"), ("r20-s-copy", "manual")])
        rds.delete_db_snapshot(DBSnapshotIdentifier="r20-s-copy")
        self.assertEqual(code(rds.describe_db_snapshots, DBSnapshotIdentifier="r20-s-copy")[0], "DBSnapshotNotFound")


class R12RetiredGrant(unittest.TestCase):
    def setUp(self):
        localaws.CONFIG.update(rds_create=0.05, rds_inaccessible=0.1)

    def test_a_retired_rds_grant_makes_the_instance_inaccessible_as_a_revoked_one(self):
        acct = "712000000009"
        key = make_key([allow(["kms:DescribeKey", "kms:GenerateDataKey*", "kms:Decrypt"], SERVICES, account=acct),
                        allow(["kms:CreateGrant"], GRANTS, account=acct)])
        rds, kms = client("rds", acct), client("kms", CUSTOMER)
        rds.create_db_instance(DBInstanceIdentifier="r12-retire", Engine="postgres", DBInstanceClass="db.t4g.micro",
                               AllocatedStorage=20, MasterUsername="u", MasterUserPassword="password-1",
                               StorageEncrypted=True, KmsKeyId=key)
        time.sleep(0.1)

        def status():
            return rds.describe_db_instances(DBInstanceIdentifier="r12-retire")["DBInstances"][0]["DBInstanceStatus"]
        self.assertEqual(status(), "available")
        grant = next(g for g in kms.list_grants(KeyId=key)["Grants"] if g["Name"] == f"rds:{acct}:db:r12-retire")
        kms.retire_grant(KeyId=key, GrantId=grant["GrantId"])  # the key owner's account may retire it
        self.assertEqual(kms.describe_key(KeyId=key)["KeyMetadata"]["KeyState"], "Enabled")
        self.assertEqual(status(), "available", "RDS takes a while to notice")
        time.sleep(0.15)
        self.assertEqual(status(), "inaccessible-encryption-credentials-recoverable")


class R21S3MultipartUploads(unittest.TestCase):
    def test_uploads_in_progress_are_listed_page_by_page_sorted_and_without_encryption(self):
        acct = "714000000001"
        s3 = client("s3", acct)
        s3.create_bucket(Bucket="r21-list")
        s3.create_bucket(Bucket="r21-elsewhere")
        s3.create_multipart_upload(Bucket="r21-elsewhere", Key="a")
        made = [(k, s3.create_multipart_upload(Bucket="r21-list", Key=k, **kw)["UploadId"]) for k, kw in (
            ("b", {}), ("a", {}), ("a", {"StorageClass": "STANDARD_IA"}), ("c", {"ServerSideEncryption": "AES256"}),
            ("d/1", {}), ("d/2", {}))]
        pages = list(s3.get_paginator("list_multipart_uploads").paginate(Bucket="r21-list",
                                                                         PaginationConfig={"PageSize": 2}))
        listed = [(u["Key"], u["UploadId"]) for p in pages for u in p.get("Uploads", [])]
        a_ids = [i for k, i in made if k == "a"]
        self.assertEqual(listed, [("a", a_ids[0]), ("a", a_ids[1])] + [(k, i) for k, i in made if k not in ("a",)],
                         "by key, then by initiation")
        self.assertEqual([(p["IsTruncated"], p.get("NextKeyMarker"), p.get("NextUploadIdMarker")) for p in pages[:1]],
                         [(True, "a", a_ids[1])])
        self.assertEqual((pages[-1]["IsTruncated"], len(pages)), (False, 3))
        r = s3.list_multipart_uploads(Bucket="r21-list", KeyMarker="a", UploadIdMarker=a_ids[0], MaxUploads=1)
        self.assertEqual([u["UploadId"] for u in r["Uploads"]], [a_ids[1]])
        r = s3.list_multipart_uploads(Bucket="r21-list", KeyMarker="a")
        self.assertEqual([u["Key"] for u in r["Uploads"]], ["b", "c", "d/1", "d/2"], "after the key")
        r = s3.list_multipart_uploads(Bucket="r21-list", Delimiter="/")
        self.assertEqual(([u["Key"] for u in r["Uploads"]], r["CommonPrefixes"]), (["a", "a", "b", "c"], [{"Prefix": "d/"}]))
        self.assertEqual([u["Key"] for u in s3.list_multipart_uploads(Bucket="r21-list", Prefix="d/")["Uploads"]],
                         ["d/1", "d/2"])
        u = s3.list_multipart_uploads(Bucket="r21-list", MaxUploads=3)["Uploads"][1]
        self.assertEqual(set(u), {"Key", "UploadId", "Initiated", "StorageClass", "Owner", "Initiator"},
                         "no encryption, no DisplayName")
        self.assertEqual(u["StorageClass"], "STANDARD_IA")
        self.assertEqual(u["Initiator"], u["Owner"], "the account root: the owner's canonical ID")
        iam = client("iam", acct)
        trust = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": root(acct)},
                                                         "Action": "sts:AssumeRole"}]}
        role = iam.create_role(RoleName="r21-uploader", AssumeRolePolicyDocument=json.dumps(trust))["Role"]["Arn"]
        creds = client("sts", acct).assume_role(RoleArn=role, RoleSessionName="up")["Credentials"]
        as_role = boto3.client("s3", endpoint_url=URL, region_name=REGION, config=NO_RETRY,
                               aws_access_key_id=creds["AccessKeyId"], aws_secret_access_key=creds["SecretAccessKey"],
                               aws_session_token=creds["SessionToken"])
        as_role.create_multipart_upload(Bucket="r21-list", Key="z")
        (z,) = s3.list_multipart_uploads(Bucket="r21-list", Prefix="z")["Uploads"]
        self.assertEqual(z["Initiator"]["ID"], f"arn:aws:sts::{acct}:assumed-role/r21-uploader/up", "an IAM principal: its ARN")
        self.assertLess(abs(u["Initiated"].timestamp() - time.time()), 60)
        s3.abort_multipart_upload(Bucket="r21-list", Key="a", UploadId=a_ids[0])
        self.assertEqual([x["UploadId"] for x in s3.list_multipart_uploads(Bucket="r21-list", Prefix="a")["Uploads"]],
                         [a_ids[1]])
        self.assertEqual(code(s3.abort_multipart_upload, Bucket="r21-list", Key="a", UploadId=a_ids[0])[0], "NoSuchUpload")
        self.assertEqual(code(s3.list_multipart_uploads, Bucket="r21-no-such-bucket")[0], "NoSuchBucket")
        self.assertEqual([x["Key"] for x in s3.list_multipart_uploads(Bucket="r21-elsewhere")["Uploads"]], ["a"])

    def test_an_upload_keeps_the_encryption_it_was_started_with(self):
        acct = "714000000002"
        s3, kms = client("s3", acct), client("kms", acct)
        k1, k2 = (kms.create_key()["KeyMetadata"]["Arn"] for _ in range(2))
        s3.create_bucket(Bucket="r21-enc")

        def default(key, bucket_key=False):
            s3.put_bucket_encryption(Bucket="r21-enc", ServerSideEncryptionConfiguration={"Rules": [{
                "ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "aws:kms", "KMSMasterKeyID": key},
                "BucketKeyEnabled": bucket_key}]})
        default(k1)
        started = s3.create_multipart_upload(Bucket="r21-enc", Key="old-default")
        self.assertEqual((started["ServerSideEncryption"], started["SSEKMSKeyId"]), ("aws:kms", k1))
        own = s3.create_multipart_upload(Bucket="r21-enc", Key="own", ServerSideEncryption="AES256")
        default(k2, bucket_key=True)
        for key_name, up in (("old-default", started["UploadId"]), ("own", own["UploadId"])):
            part = s3.upload_part(Bucket="r21-enc", Key=key_name, UploadId=up, PartNumber=1, Body=b"x" * 10)
            done = s3.complete_multipart_upload(Bucket="r21-enc", Key=key_name, UploadId=up,
                                                MultipartUpload={"Parts": [{"PartNumber": 1, "ETag": part["ETag"]}]})
            head = s3.head_object(Bucket="r21-enc", Key=key_name)
            want = ("aws:kms", k1, None) if key_name == "old-default" else ("AES256", None, None)
            self.assertEqual((head["ServerSideEncryption"], head.get("SSEKMSKeyId"), head.get("BucketKeyEnabled")), want)
            self.assertEqual((done["ServerSideEncryption"], done.get("SSEKMSKeyId")), want[:2])
        s3.put_object(Bucket="r21-enc", Key="new", Body=b"x")
        self.assertEqual(s3.head_object(Bucket="r21-enc", Key="new")["SSEKMSKeyId"], k2, "a new object: today's default")


class R22S3Replication(unittest.TestCase):
    def test_the_configuration_round_trips_as_it_was_put(self):
        acct = "714000000003"
        s3 = client("s3", acct)
        s3.create_bucket(Bucket="r22-src")
        rule = {"ID": "to-customer", "Status": "Enabled", "Priority": 7, "Filter": {"Prefix": "tenant/"},
                "DeleteMarkerReplication": {"Status": "Disabled"},
                "SourceSelectionCriteria": {"SseKmsEncryptedObjects": {"Status": "Enabled"}},
                "Destination": {"Bucket": "arn:aws:s3:::r22-dst", "Account": CUSTOMER,
                                "AccessControlTranslation": {"Owner": "Destination"},
                                "EncryptionConfiguration": {"ReplicaKmsKeyID": f"arn:aws:kms:{REGION}:{CUSTOMER}:key/r22"}}}
        config = {"Role": f"arn:aws:iam::{acct}:role/replication", "Rules": [rule]}
        self.assertEqual(code(s3.put_bucket_replication, Bucket="r22-src", ReplicationConfiguration=config)[0],
                         "InvalidRequest", "versioning required on the source")
        self.assertEqual(code(s3.get_bucket_replication, Bucket="r22-src")[0], "ReplicationConfigurationNotFoundError")
        s3.put_bucket_versioning(Bucket="r22-src", VersioningConfiguration={"Status": "Enabled"})
        second = {"Status": "Disabled", "Priority": 1, "Filter": {}, "DeleteMarkerReplication": {"Status": "Disabled"},
                  "Destination": {"Bucket": "arn:aws:s3:::r22-dst2"}}
        s3.put_bucket_replication(Bucket="r22-src", ReplicationConfiguration=dict(config, Rules=[rule, second]))
        got = s3.get_bucket_replication(Bucket="r22-src")["ReplicationConfiguration"]
        self.assertEqual(got["Role"], config["Role"])
        self.assertEqual(got["Rules"][0], rule)
        self.assertEqual((got["Rules"][1]["Status"], got["Rules"][1]["Destination"]), ("Disabled", second["Destination"]))
        self.assertTrue(got["Rules"][1]["ID"], "an ID for a rule that had none")
        calls = [c["operation"] for c in localaws.STATE.calls if c["account"] == acct]
        self.assertIn("PutBucketReplication", calls)
        s3.delete_bucket_replication(Bucket="r22-src")
        self.assertEqual(code(s3.get_bucket_replication, Bucket="r22-src")[0], "ReplicationConfigurationNotFoundError")


class R11FirehoseS3Backup(unittest.TestCase):
    def test_an_enabled_s3_backup_is_described_with_its_bucket_and_encryption(self):
        key = service_key()
        fh = client("firehose", SPEEDSCALE)
        backup = {"RoleARN": DEST["RoleARN"], "BucketARN": "arn:aws:s3:::r11-backup", "Prefix": "raw/",
                  "EncryptionConfiguration": {"KMSEncryptionConfig": {"AWSKMSKeyARN": key}}}
        fh.create_delivery_stream(DeliveryStreamName="r11-backup", DeliveryStreamType="DirectPut",
                                  ExtendedS3DestinationConfiguration=dict(DEST, S3BackupMode="Enabled",
                                                                          S3BackupConfiguration=backup))
        ext = fh.describe_delivery_stream(DeliveryStreamName="r11-backup")["DeliveryStreamDescription"][
            "Destinations"][0]["ExtendedS3DestinationDescription"]
        self.assertEqual(ext["S3BackupMode"], "Enabled")
        desc = ext["S3BackupDescription"]
        self.assertEqual((desc["BucketARN"], desc["Prefix"], desc["EncryptionConfiguration"]),
                         ("arn:aws:s3:::r11-backup", "raw/", backup["EncryptionConfiguration"]))
        self.assertEqual(desc["CompressionFormat"], "UNCOMPRESSED", "the S3 destination defaults (the Rust SDK needs it)")


class R14OmittedObjects(unittest.TestCase):
    def setUp(self):
        localaws.CONFIG.update(batch_new=0.05, batch_prepare=0.05, batch_tasks_per_second=400.0)

    def test_the_next_generated_manifest_leaves_out_the_first_objects_once(self):
        acct, bucket = "610000000021", "r14-omit-bucket"
        key, role = batch_world(acct, bucket)
        client("iam", acct).put_role_policy(RoleName="batch", PolicyName="list", PolicyDocument=json.dumps({
            "Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:ListBucket",
                                                   "Resource": f"arn:aws:s3:::{bucket}"}]}))
        s3 = client("s3", acct)
        for name in ("c", "a", "d", "b"):
            s3.put_object(Bucket=bucket, Key=name, Body=b"1")
        self.assertEqual(control("/_localaws/s3control/omit", {"account": acct, "count": 2}), {"account": acct, "count": 2})
        s3c = s3control(acct)

        def run(token):
            req = job_request(acct, bucket, key, role, "", token)
            del req["Manifest"]
            req["ManifestGenerator"] = {"S3JobManifestGenerator": {
                "SourceBucket": f"arn:aws:s3:::{bucket}", "EnableManifestOutput": False,
                "Filter": {"MatchAnyStorageClass": ["STANDARD"], "MatchAnyObjectEncryption": [{"SSES3": {}}]}}}
            return follow(s3c, acct, s3c.create_job(**req)["JobId"])[1]
        job = run("omit-1")
        self.assertEqual((job["Status"], job["ProgressSummary"]["TotalNumberOfTasks"]), ("Complete", 2))
        self.assertEqual({k: s3.head_object(Bucket=bucket, Key=k)["ServerSideEncryption"] for k in "abcd"},
                         {"a": "AES256", "b": "AES256", "c": "aws:kms", "d": "aws:kms"}, "a and b left out, untouched")
        run("omit-2")  # once: this one lists a and b (c and d are under the key now, the filter leaves them)
        self.assertEqual({k: s3.head_object(Bucket=bucket, Key=k)["ServerSideEncryption"] for k in "ab"},
                         {"a": "aws:kms", "b": "aws:kms"})


class M5KeyPolicyName(unittest.TestCase):
    """M5: PolicyName is optional on PutKeyPolicy and GetKeyPolicy (AWS takes "default")."""

    def test_a_key_policy_is_put_and_read_without_a_policy_name(self):
        kms = client("kms", "715000000001")
        key = kms.create_key()["KeyMetadata"]["KeyId"]
        policy = json.dumps({"Version": "2012-10-17", "Statement": [
            {"Sid": "Root", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::715000000001:root"},
             "Action": "kms:*", "Resource": "*"}]})
        kms.put_key_policy(KeyId=key, Policy=policy)
        self.assertEqual(json.loads(kms.get_key_policy(KeyId=key)["Policy"]), json.loads(policy))
        with self.assertRaises(kms.exceptions.NotFoundException):
            kms.get_key_policy(KeyId=key, PolicyName="other")


class R25AuroraClusters(unittest.TestCase):
    """R25: Aurora PostgreSQL DB clusters in Speedscale-side accounts (725...), under customer keys named
    by ARN, as cmek makes them."""

    def setUp(self):
        localaws.CONFIG.update(rds_create=0.1, rds_snapshot=0.1, rds_inaccessible=0.1, rds_modify=0.1)

    def tearDown(self):
        localaws.CONFIG.update(rds_terminal=604800.0)

    @staticmethod
    def key(acct, secret_arn_like=None):
        """A customer key the DB account may use through RDS and Secrets Manager, and grant for AWS resources."""
        use = {"StringEquals": {"kms:ViaService": [f"rds.{REGION}.amazonaws.com",
                                                   f"secretsmanager.{REGION}.amazonaws.com"]}}
        if secret_arn_like:
            use["StringLike"] = {"kms:EncryptionContext:SecretARN": secret_arn_like}
        return make_key([allow(["kms:DescribeKey", "kms:GenerateDataKey*", "kms:Decrypt"], use, account=acct),
                         allow(["kms:CreateGrant"], GRANTS, account=acct)])

    @staticmethod
    def create(acct, name, key=None, **kw):
        enc = dict(StorageEncrypted=True, KmsKeyId=key, ManageMasterUserPassword=True,
                   MasterUserSecretKmsKeyId=key) if key else {}
        params = {k: v for k, v in dict(enc, **kw).items() if v is not None}
        return code(client("rds", acct).create_db_cluster, DBClusterIdentifier=name, Engine="aurora-postgresql",
                    MasterUsername="cmek", BackupRetentionPeriod=1, Tags=[{"Key": "owner", "Value": "cmek"}], **params)

    @staticmethod
    def cluster(acct, name):
        return client("rds", acct).describe_db_clusters(DBClusterIdentifier=name)["DBClusters"][0]

    @staticmethod
    def instances(acct, cluster):
        return client("rds", acct).describe_db_instances(
            Filters=[{"Name": "db-cluster-id", "Values": [cluster]}])["DBInstances"]

    def add_instance(self, acct, cluster, name):
        return code(client("rds", acct).create_db_instance, DBInstanceIdentifier=name, DBClusterIdentifier=cluster,
                    Engine="aurora-postgresql", DBInstanceClass="db.t4g.medium")

    def test_a_cluster_its_instance_and_snapshots_take_time_and_describe_as_aws_documents(self):
        acct = "725000000001"
        key = self.key(acct)
        rds = client("rds", acct)
        self.assertIsNone(self.create(acct, "r25-a", key)[0])
        self.assertEqual(self.cluster(acct, "r25-a")["Status"], "creating", "moto says available on the second read")
        self.assertIsNone(self.add_instance(acct, "r25-a", "r25-a-1")[0], "an instance may join a new cluster at once")
        time.sleep(0.15)
        c = self.cluster(acct, "r25-a")
        self.assertEqual((c["Status"], c["StorageEncrypted"], c["StorageEncryptionType"], c["KmsKeyId"]),
                         ("available", True, "sse-kms", key))
        self.assertEqual([(m["DBInstanceIdentifier"], m["IsClusterWriter"]) for m in c["DBClusterMembers"]],
                         [("r25-a-1", True)])
        self.assertRegex(c["MasterUserSecret"]["SecretArn"],
                         rf"^arn:aws:secretsmanager:{REGION}:{acct}:secret:rds!cluster-[0-9a-f-]{{36}}-[A-Za-z]{{6}}$")
        self.assertEqual(c["MasterUserSecret"]["KmsKeyId"], key)
        rds.add_tags_to_resource(ResourceName=c["DBClusterArn"], Tags=[{"Key": "cmek:run", "Value": "1"}])
        self.assertEqual(self.cluster(acct, "r25-a")["TagList"],
                         [{"Key": "owner", "Value": "cmek"}, {"Key": "cmek:run", "Value": "1"}])
        for ref in ("r25-a", c["DBClusterArn"]):  # "Accepts DB cluster identifiers and DB cluster ... (ARNs)"
            got = self.instances(acct, ref)
            self.assertEqual([(i["DBInstanceIdentifier"], i["DBInstanceStatus"], i["StorageEncrypted"],
                               i["StorageEncryptionType"], i["KmsKeyId"]) for i in got],
                             [("r25-a-1", "available", True, "sse-kms", key)], ref)
        self.assertEqual(rds.describe_db_instance_automated_backups()["DBInstanceAutomatedBackups"], [],
                         "the cluster's backups are the cluster's")
        self.assertEqual(rds.describe_db_snapshots()["DBSnapshots"], [])
        snap = rds.create_db_cluster_snapshot(DBClusterIdentifier="r25-a", DBClusterSnapshotIdentifier="r25-a-s")
        self.assertEqual(snap["DBClusterSnapshot"]["Status"], "creating")
        time.sleep(0.15)
        manual = rds.describe_db_cluster_snapshots(DBClusterIdentifier="r25-a", SnapshotType="manual")["DBClusterSnapshots"]
        self.assertEqual([(s["DBClusterSnapshotIdentifier"], s["Status"], s["KmsKeyId"], s["StorageEncryptionType"])
                          for s in manual], [("r25-a-s", "available", key, "sse-kms")], "the cluster's own key")
        auto = rds.describe_db_cluster_snapshots(DBClusterIdentifier="r25-a", SnapshotType="automated")["DBClusterSnapshots"]
        self.assertEqual([(s["SnapshotType"], s["Status"]) for s in auto], [("automated", "available")])
        attrs = rds.describe_db_cluster_snapshot_attributes(DBClusterSnapshotIdentifier="r25-a-s")
        self.assertEqual(attrs["DBClusterSnapshotAttributesResult"]["DBClusterSnapshotAttributes"],
                         [{"AttributeName": "restore", "AttributeValues": []}])
        other = self.key(acct)
        copy = rds.copy_db_cluster_snapshot(SourceDBClusterSnapshotIdentifier="r25-a-s",
                                            TargetDBClusterSnapshotIdentifier="r25-a-c", KmsKeyId=other)
        self.assertEqual((copy["DBClusterSnapshot"]["Status"], copy["DBClusterSnapshot"]["KmsKeyId"]), ("copying", other))
        time.sleep(0.15)
        got = rds.describe_db_cluster_snapshots(DBClusterSnapshotIdentifier="r25-a-c")["DBClusterSnapshots"][0]
        self.assertEqual((got["Status"], got["KmsKeyId"]), ("available", other), "re-encrypted under the new key")
        rds.delete_db_instance(DBInstanceIdentifier="r25-a-1")
        rds.delete_db_cluster(DBClusterIdentifier="r25-a", SkipFinalSnapshot=True)
        left = rds.describe_db_cluster_snapshots(DBClusterIdentifier="r25-a")["DBClusterSnapshots"]
        self.assertEqual([(s["DBClusterSnapshotIdentifier"], s["SnapshotType"]) for s in left],
                         [("r25-a-s", "manual"), ("r25-a-c", "manual")],
                         "the automated snapshots go with the cluster, the manual ones (the copy too) stay")

    def test_b_the_key_is_checked_through_rds_reported_as_its_arn_and_another_accounts_needs_the_arn(self):
        acct = "725000000002"
        direct_only = make_key([allow(["kms:*"], account=acct, condition={"Null": {"kms:ViaService": "true"}})])
        c, msg = self.create(acct, "r25-b-direct", direct_only)
        self.assertEqual(c, "KMSKeyNotAccessibleFault", "RDS's calls carry kms:ViaService rds.<region>")
        self.assertIn("kms:DescribeKey", msg)
        key = self.key(acct)
        c, msg = self.create(acct, "r25-b-id", key.split("/")[-1])
        self.assertEqual(c, "KMSKeyNotAccessibleFault", "a key id names a key of the caller's own account")
        self.assertIn("specify the key ARN or alias ARN", msg)
        self.assertEqual(code(client("rds", acct).describe_db_clusters, DBClusterIdentifier="r25-b-id")[0],
                         "DBClusterNotFoundFault", "nothing was created")
        kms = client("kms", acct)
        own = kms.create_key()["KeyMetadata"]
        kms.create_alias(AliasName="alias/r25-own", TargetKeyId=own["KeyId"])
        self.assertIsNone(self.create(acct, "r25-b-alias", MasterUserPassword="password-1", StorageEncrypted=True,
                                      KmsKeyId="alias/r25-own")[0])
        self.assertEqual(self.cluster(acct, "r25-b-alias")["KmsKeyId"], own["Arn"], "moto keeps the alias")
        client("kms", CUSTOMER).create_alias(AliasName="alias/r25-customer", TargetKeyId=key)
        alias_arn = f"arn:aws:kms:{REGION}:{CUSTOMER}:alias/r25-customer"
        self.assertIsNone(self.create(acct, "r25-b-alias-arn", MasterUserPassword="password-1", StorageEncrypted=True,
                                      KmsKeyId=alias_arn)[0])
        self.assertEqual(self.cluster(acct, "r25-b-alias-arn")["KmsKeyId"], key, "another account's alias ARN")
        self.assertIsNone(self.create(acct, "r25-b-default", MasterUserPassword="password-1", StorageEncrypted=True)[0])
        default = kms.describe_key(KeyId="alias/aws/rds")["KeyMetadata"]["Arn"]
        self.assertEqual(self.cluster(acct, "r25-b-default")["KmsKeyId"], default, "moto: default_kms_key_id")
        self.assertIsNone(self.create(acct, "r25-b-plain", MasterUserPassword="password-1")[0])
        c = self.cluster(acct, "r25-b-plain")
        self.assertEqual((c["StorageEncrypted"], c["StorageEncryptionType"], c.get("KmsKeyId")), (False, "sse-rds", None))

    def test_c_the_secrets_key_is_secrets_managers_own_use_with_the_clusters_secret_arn(self):
        acct = "725000000003"
        rds_only = make_key([allow(["kms:DescribeKey", "kms:GenerateDataKey*", "kms:Decrypt"],
                                   {"StringEquals": {"kms:ViaService": f"rds.{REGION}.amazonaws.com"}}, account=acct),
                             allow(["kms:CreateGrant"], GRANTS, account=acct)])
        storage = self.key(acct)
        c, msg = self.create(acct, "r25-c-a", storage, MasterUserSecretKmsKeyId=rds_only)
        self.assertEqual(c, "KMSKeyNotAccessibleFault")
        self.assertIn("kms:GenerateDataKey", msg)
        clusters = self.key(acct, f"arn:aws:secretsmanager:{REGION}:{acct}:secret:rds!cluster-*")
        instances = self.key(acct, f"arn:aws:secretsmanager:{REGION}:{acct}:secret:rds!db-*")
        self.assertIsNone(self.create(acct, "r25-c-b", storage, MasterUserSecretKmsKeyId=clusters)[0])
        self.assertEqual(self.create(acct, "r25-c-c", storage, MasterUserSecretKmsKeyId=instances)[0],
                         "KMSKeyNotAccessibleFault", "SecretARN is the cluster's secret's")
        self.assertEqual(self.cluster(acct, "r25-c-b")["MasterUserSecret"]["KmsKeyId"], clusters)

    def test_d_a_disabled_key_makes_the_cluster_and_its_instances_inaccessible_until_started(self):
        acct = "725000000004"
        key = self.key(acct)
        rds, kms = client("rds", acct), client("kms", CUSTOMER)
        self.create(acct, "r25-d", key)
        self.add_instance(acct, "r25-d", "r25-d-1")
        time.sleep(0.15)
        self.assertEqual(self.cluster(acct, "r25-d")["Status"], "available")
        kms.disable_key(KeyId=key)
        self.assertEqual(self.cluster(acct, "r25-d")["Status"], "available", "RDS takes a while to notice")
        time.sleep(0.15)
        self.assertEqual(self.cluster(acct, "r25-d")["Status"], "inaccessible-encryption-credentials-recoverable")
        self.assertEqual([i["DBInstanceStatus"] for i in self.instances(acct, "r25-d")],
                         ["inaccessible-encryption-credentials-recoverable"], "the instances follow (unconfirmed)")
        self.assertEqual(code(rds.start_db_cluster, DBClusterIdentifier="r25-d")[0], "KMSKeyNotAccessibleFault")
        kms.enable_key(KeyId=key)
        self.assertEqual(self.cluster(acct, "r25-d")["Status"], "inaccessible-encryption-credentials-recoverable",
                         "enabling the key does not start the cluster")
        rds.start_db_cluster(DBClusterIdentifier="r25-d")
        self.assertEqual(self.cluster(acct, "r25-d")["Status"], "available")
        self.assertEqual([i["DBInstanceStatus"] for i in self.instances(acct, "r25-d")], ["available"])
        # Seven days (rds_terminal) in ...-recoverable, then terminal, the instances too.
        localaws.CONFIG.update(rds_terminal=0.1)
        kms.disable_key(KeyId=key)
        self.cluster(acct, "r25-d")
        time.sleep(0.15)
        self.assertEqual(self.cluster(acct, "r25-d")["Status"], "inaccessible-encryption-credentials-recoverable")
        time.sleep(0.15)
        self.assertEqual(self.cluster(acct, "r25-d")["Status"], "inaccessible-encryption-credentials")
        self.assertEqual([i["DBInstanceStatus"] for i in self.instances(acct, "r25-d")],
                         ["inaccessible-encryption-credentials"])
        kms.enable_key(KeyId=key)
        self.assertEqual(code(rds.start_db_cluster, DBClusterIdentifier="r25-d")[0], "InvalidDBClusterStateFault",
                         "terminal: only a restore from a backup")

    def test_e_rds_holds_a_grant_on_the_clusters_key_whose_revocation_is_switched(self):
        acct = "725000000005"
        key = self.key(acct)
        customer = client("kms", CUSTOMER)
        for name in ("r25-e1", "r25-e0"):
            self.create(acct, name, key)
        grants = {g["Name"]: g for g in customer.list_grants(KeyId=key)["Grants"]}
        g1 = grants[f"rds:{acct}:cluster:r25-e1"]
        self.assertEqual((g1["GranteePrincipal"], g1["RetiringPrincipal"]), (f"rds.{REGION}.amazonaws.com",) * 2)
        time.sleep(0.15)
        with account_setting(acct, cluster_grant_revoked_inaccessible=0):
            customer.revoke_grant(KeyId=key, GrantId=grants[f"rds:{acct}:cluster:r25-e0"]["GrantId"])
            self.cluster(acct, "r25-e0")
            time.sleep(0.15)
            self.assertEqual(self.cluster(acct, "r25-e0")["Status"], "available", "0: a revoked grant changes nothing")
        customer.revoke_grant(KeyId=key, GrantId=g1["GrantId"])
        self.assertEqual(self.cluster(acct, "r25-e1")["Status"], "available")
        time.sleep(0.15)
        self.assertEqual(self.cluster(acct, "r25-e1")["Status"], "inaccessible-encryption-credentials-recoverable",
                         "1 (default): as for a disabled key")
        self.assertEqual(code(client("rds", acct).start_db_cluster, DBClusterIdentifier="r25-e1")[0],
                         "KMSKeyNotAccessibleFault")

    def test_f_a_restore_takes_the_named_key_or_the_snapshots_and_its_instances_wait_for_it(self):
        acct = "725000000006"
        key, other = self.key(acct), self.key(acct)
        rds = client("rds", acct)
        self.create(acct, "r25-f", key)
        time.sleep(0.15)
        self.cluster(acct, "r25-f")
        rds.create_db_cluster_snapshot(DBClusterIdentifier="r25-f", DBClusterSnapshotIdentifier="r25-f-s")
        time.sleep(0.15)
        rds.describe_db_cluster_snapshots(DBClusterSnapshotIdentifier="r25-f-s")
        got = rds.restore_db_cluster_from_snapshot(DBClusterIdentifier="r25-f-k", SnapshotIdentifier="r25-f-s",
                                                   Engine="aurora-postgresql", KmsKeyId=other,
                                                   Tags=[{"Key": "owner", "Value": "cmek"}])["DBCluster"]
        self.assertEqual((got["Status"], got["KmsKeyId"], got["TagList"]),
                         ("creating", other, [{"Key": "owner", "Value": "cmek"}]))
        self.assertNotIn("MasterUserSecret", got, "cluster_restore_secret 0 (default): no managed secret")
        c, msg = self.add_instance(acct, "r25-f-k", "r25-f-k-1")
        self.assertEqual(c, "InvalidDBClusterStateFault", "instances only once the restored cluster is available")
        time.sleep(0.15)
        self.assertEqual(self.cluster(acct, "r25-f-k")["Status"], "available")
        self.assertIsNone(self.add_instance(acct, "r25-f-k", "r25-f-k-1")[0])
        self.assertEqual(self.instances(acct, "r25-f-k")[0]["KmsKeyId"], other)
        names = {g["Name"] for g in client("kms", CUSTOMER).list_grants(KeyId=other)["Grants"]}
        self.assertIn(f"rds:{acct}:cluster:r25-f-k", names)
        with account_setting(acct, cluster_restore_secret=1):
            got = rds.restore_db_cluster_from_snapshot(DBClusterIdentifier="r25-f-same", SnapshotIdentifier="r25-f-s",
                                                       Engine="aurora-postgresql")["DBCluster"]
        self.assertEqual(got["KmsKeyId"], key, "without KmsKeyId: the snapshot's key")
        self.assertEqual(got["MasterUserSecret"]["KmsKeyId"], key, "1: the source's secret, under its key")
        client("kms", CUSTOMER).disable_key(KeyId=other)
        c, _ = code(rds.restore_db_cluster_from_snapshot, DBClusterIdentifier="r25-f-off", SnapshotIdentifier="r25-f-s",
                    Engine="aurora-postgresql", KmsKeyId=other)
        self.assertEqual(c, "KMSKeyNotAccessibleFault")
        client("kms", CUSTOMER).enable_key(KeyId=other)

    def test_g_copying_an_unencrypted_snapshot_under_a_key_is_switched_and_another_accounts_key_needs_its_arn(self):
        acct = "725000000007"
        key = self.key(acct)
        rds = client("rds", acct)
        self.create(acct, "r25-g", MasterUserPassword="password-1")
        time.sleep(0.15)
        self.cluster(acct, "r25-g")
        rds.create_db_cluster_snapshot(DBClusterIdentifier="r25-g", DBClusterSnapshotIdentifier="r25-g-s")
        time.sleep(0.15)
        snap = rds.describe_db_cluster_snapshots(DBClusterSnapshotIdentifier="r25-g-s")["DBClusterSnapshots"][0]
        self.assertEqual((snap["StorageEncrypted"], snap["StorageEncryptionType"], snap.get("KmsKeyId")),
                         (False, "sse-rds", None))
        c, _ = code(rds.copy_db_cluster_snapshot, SourceDBClusterSnapshotIdentifier="r25-g-s",
                    TargetDBClusterSnapshotIdentifier="r25-g-id", KmsKeyId=key.split("/")[-1])
        self.assertEqual(c, "KMSKeyNotAccessibleFault", "another account's key by id")
        with account_setting(acct, cluster_copy_unencrypted_with_key=0):
            c, _ = code(rds.copy_db_cluster_snapshot, SourceDBClusterSnapshotIdentifier="r25-g-s",
                        TargetDBClusterSnapshotIdentifier="r25-g-0", KmsKeyId=key)
            self.assertEqual(c, "InvalidParameterCombination", "0: the API reference's error")
        copy = rds.copy_db_cluster_snapshot(SourceDBClusterSnapshotIdentifier="r25-g-s",
                                            TargetDBClusterSnapshotIdentifier="r25-g-1", KmsKeyId=key)["DBClusterSnapshot"]
        self.assertEqual((copy["StorageEncrypted"], copy["KmsKeyId"]), (True, key), "1 (default): the user guide")
        got = rds.restore_db_cluster_from_snapshot(DBClusterIdentifier="r25-g-r", SnapshotIdentifier="r25-g-s",
                                                   Engine="aurora-postgresql", KmsKeyId=key)["DBCluster"]
        self.assertEqual((got["StorageEncrypted"], got["KmsKeyId"]), (True, key),
                         "an unencrypted snapshot restored under a key is encrypted")

    def test_h_the_clusters_key_never_changes_nor_its_managed_secrets_key(self):
        acct = "725000000008"
        key, other = self.key(acct), self.key(acct)
        rds = client("rds", acct)
        self.create(acct, "r25-h", key)
        self.create(acct, "r25-h-plain", key, ManageMasterUserPassword=False, MasterUserSecretKmsKeyId=None,
                    MasterUserPassword="password-1")
        time.sleep(0.15)
        secret = self.cluster(acct, "r25-h")["MasterUserSecret"]
        c, _ = code(rds.modify_db_cluster, DBClusterIdentifier="r25-h", ManageMasterUserPassword=True,
                    MasterUserSecretKmsKeyId=other, ApplyImmediately=True)
        self.assertEqual(c, "InvalidParameterCombination", "you can't change the KMS key that is used to encrypt the secret")
        rds.modify_db_cluster(DBClusterIdentifier="r25-h", ManageMasterUserPassword=True, MasterUserSecretKmsKeyId=key,
                              ApplyImmediately=True)
        self.assertEqual(self.cluster(acct, "r25-h")["MasterUserSecret"]["SecretArn"], secret["SecretArn"],
                         "the same key: the same secret (moto makes a new one)")

        def with_key_id(params, **_):
            params["body"]["KmsKeyId"] = other  # ModifyDBCluster has no KmsKeyId: an SDK cannot send one
        rds.meta.events.register("before-call.rds.ModifyDBCluster", with_key_id)
        try:
            rds.modify_db_cluster(DBClusterIdentifier="r25-h", ApplyImmediately=True)
        finally:
            rds.meta.events.unregister("before-call.rds.ModifyDBCluster", with_key_id)
        self.assertEqual(self.cluster(acct, "r25-h")["KmsKeyId"], key, "the cluster's key never changes")
        self.assertNotIn("MasterUserSecret", self.cluster(acct, "r25-h-plain"))
        got = rds.modify_db_cluster(DBClusterIdentifier="r25-h-plain", ManageMasterUserPassword=True,
                                    MasterUserSecretKmsKeyId=other, ApplyImmediately=True)["DBCluster"]
        self.assertEqual(self.cluster(acct, "r25-h-plain")["Status"], "modifying")
        time.sleep(0.15)
        c = self.cluster(acct, "r25-h-plain")
        self.assertEqual((c["Status"], c["MasterUserSecret"]["KmsKeyId"]), ("available", other))
        self.assertEqual(got["MasterUserSecret"]["SecretArn"], c["MasterUserSecret"]["SecretArn"])
        denied = make_key([allow(["kms:DescribeKey"], account=acct)])
        self.create(acct, "r25-h-plain2", key, ManageMasterUserPassword=False, MasterUserSecretKmsKeyId=None,
                    MasterUserPassword="password-1")
        self.assertEqual(code(rds.modify_db_cluster, DBClusterIdentifier="r25-h-plain2", ManageMasterUserPassword=True,
                              MasterUserSecretKmsKeyId=denied, ApplyImmediately=True)[0], "KMSKeyNotAccessibleFault")


# ---------------------------------------------------------------------------------------------
# R23 SQS, R24 SNS: queues and topics of Speedscale-side accounts (723..., 724...) on customer keys

import sns as sns_module  # noqa: E402
import sqs as sqs_module  # noqa: E402


def via(service):
    return {"StringEquals": {"kms:ViaService": f"{service}.{REGION}.amazonaws.com"}}


def role_client(service, account, role_name, session, policy_doc):
    """A `service` client signed by a session of a role of `account` with the identity policy
    `policy_doc` (the role is made on first use)."""
    iam = client("iam", account)
    trust = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": root(account)},
                                                     "Action": "sts:AssumeRole"}]}
    try:
        arn = iam.create_role(RoleName=role_name, AssumeRolePolicyDocument=json.dumps(trust))["Role"]["Arn"]
        iam.put_role_policy(RoleName=role_name, PolicyName="kms", PolicyDocument=json.dumps(policy_doc))
    except ClientError:
        arn = iam.get_role(RoleName=role_name)["Role"]["Arn"]
    creds = client("sts", account).assume_role(RoleArn=arn, RoleSessionName=session)["Credentials"]
    return boto3.client(service, endpoint_url=URL, region_name=REGION, config=NO_RETRY,
                        aws_access_key_id=creds["AccessKeyId"], aws_secret_access_key=creds["SecretAccessKey"],
                        aws_session_token=creds["SessionToken"])


def kms_calls(account, invoked_by):
    return [c for c in localaws.STATE.calls if c["service"] == "kms" and c["account"] == account
            and c.get("invoked_by") == invoked_by]


class R23SqsEncryption(unittest.TestCase):
    """R23: the queue's account is Speedscale's (723...), the key the customer's, named by ARN."""

    def tearDown(self):
        sqs_module.expire_data_keys({})

    @staticmethod
    def attrs(sqs, url):
        return sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["All"])["Attributes"]

    @staticmethod
    def producer_key(acct, condition=None):
        return make_key([allow(["kms:GenerateDataKey", "kms:Decrypt"], condition or via("sqs"), account=acct)])

    def test_sse_sqs_by_default_and_one_type_at_a_time(self):
        acct = "723000000001"
        sqs = client("sqs", acct)
        key = self.producer_key(acct)
        plain = sqs.create_queue(QueueName="r23-default")["QueueUrl"]
        self.assertEqual(self.attrs(sqs, plain)["SqsManagedSseEnabled"], "true", "SSE-SQS by default")
        self.assertNotIn("KmsMasterKeyId", self.attrs(sqs, plain))
        kms = sqs.create_queue(QueueName="r23-kms", Attributes={"KmsMasterKeyId": key,
                                                                "KmsDataKeyReusePeriodSeconds": "120"})["QueueUrl"]
        a = self.attrs(sqs, kms)
        self.assertEqual((a["KmsMasterKeyId"], a["KmsDataKeyReusePeriodSeconds"], a["SqsManagedSseEnabled"]),
                         (key, "120", "false"), "moto says SqsManagedSseEnabled true beside the key")
        sqs.set_queue_attributes(QueueUrl=plain, Attributes={"KmsMasterKeyId": key})
        a = self.attrs(sqs, plain)
        self.assertEqual((a["KmsMasterKeyId"], a["SqsManagedSseEnabled"], a["KmsDataKeyReusePeriodSeconds"]),
                         (key, "false", "300"))
        sqs.set_queue_attributes(QueueUrl=plain, Attributes={"SqsManagedSseEnabled": "true"})
        a = self.attrs(sqs, plain)
        self.assertEqual(a["SqsManagedSseEnabled"], "true")
        self.assertNotIn("KmsMasterKeyId", a)
        off = sqs.create_queue(QueueName="r23-off", Attributes={"SqsManagedSseEnabled": "false"})["QueueUrl"]
        self.assertEqual(self.attrs(sqs, off)["SqsManagedSseEnabled"], "false")

    def test_reuse_period_bounds_and_both_types_in_one_call_are_refused(self):
        acct = "723000000002"
        sqs = client("sqs", acct)
        url = sqs.create_queue(QueueName="r23-bounds")["QueueUrl"]
        for bad in ("59", "86401", "five"):
            c, msg = code(sqs.set_queue_attributes, QueueUrl=url, Attributes={"KmsDataKeyReusePeriodSeconds": bad})
            self.assertEqual(c, "InvalidAttributeValue", bad)
        for good in ("60", "86400"):
            sqs.set_queue_attributes(QueueUrl=url, Attributes={"KmsDataKeyReusePeriodSeconds": good})
        self.assertEqual(code(sqs.create_queue, QueueName="r23-bounds-2",
                              Attributes={"KmsDataKeyReusePeriodSeconds": "30"})[0], "InvalidAttributeValue")
        c, msg = code(sqs.set_queue_attributes, QueueUrl=url,
                      Attributes={"KmsMasterKeyId": "alias/aws/sqs", "SqsManagedSseEnabled": "true"})
        self.assertEqual(c, "InvalidAttributeName")
        self.assertIn("one type of server-side encryption", msg)
        try:
            sqs.set_queue_attributes(QueueUrl=url, Attributes={"KmsDataKeyReusePeriodSeconds": "1"})
        except ClientError as e:
            headers = e.response["ResponseMetadata"]["HTTPHeaders"]
        self.assertEqual(headers["x-amzn-query-error"], "InvalidAttributeValue;Sender")
        self.assertEqual(headers["content-type"], "application/x-amz-json-1.0")

    def test_switch_0_refuses_turning_one_type_on_over_the_other(self):
        acct = "723000000003"
        sqs = client("sqs", acct)
        key = self.producer_key(acct)
        url = sqs.create_queue(QueueName="r23-switch")["QueueUrl"]
        with account_setting(acct, sqs_sse_type_replaced=0):
            self.assertEqual(code(sqs.set_queue_attributes, QueueUrl=url, Attributes={"KmsMasterKeyId": key})[0],
                             "InvalidAttributeName")
            self.assertEqual(self.attrs(sqs, url)["SqsManagedSseEnabled"], "true", "nothing changed")
            sqs.set_queue_attributes(QueueUrl=url, Attributes={"KmsMasterKeyId": key, "SqsManagedSseEnabled": "false"})
            self.assertEqual(code(sqs.set_queue_attributes, QueueUrl=url,
                                  Attributes={"SqsManagedSseEnabled": "true"})[0], "InvalidAttributeName")
            self.assertEqual(self.attrs(sqs, url)["KmsMasterKeyId"], key)

    def test_set_queue_attributes_changes_only_what_it_names(self):
        acct = "723000000004"
        sqs = client("sqs", acct)
        pol = json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {
            "Service": "sns.amazonaws.com"}, "Action": "sqs:SendMessage", "Resource": "*"}]})
        url = sqs.create_queue(QueueName="r23-policy", Attributes={"Policy": pol})["QueueUrl"]
        sqs.set_queue_attributes(QueueUrl=url, Attributes={"KmsDataKeyReusePeriodSeconds": "600"})
        self.assertEqual(json.loads(self.attrs(sqs, url)["Policy"]), json.loads(pol), "moto drops the policy")
        sqs.tag_queue(QueueUrl=url, Tags={"speedscale:tenant": "acme"})
        self.assertEqual(sqs.list_queue_tags(QueueUrl=url)["Tags"], {"speedscale:tenant": "acme"})

    def test_a_producer_needs_generate_data_key_and_decrypt_through_sqs(self):
        acct = "723000000005"
        sqs = client("sqs", acct)
        cases = [(make_key([allow(["kms:GenerateDataKey"], via("sqs"), account=acct)]), "KMS.AccessDeniedException"),
                 (self.producer_key(acct, via("firehose")), "KMS.AccessDeniedException"),
                 (self.producer_key(acct), None),
                 (self.producer_key(acct, {"StringEquals": {"kms:CallerAccount": acct}}), None),
                 (f"arn:aws:kms:{REGION}:{CUSTOMER}:key/00000000-0000-0000-0000-000000000000",
                  "KMS.NotFoundException")]
        for i, (key, want) in enumerate(cases):
            url = sqs.create_queue(QueueName=f"r23-producer-{i}", Attributes={"KmsMasterKeyId": key})["QueueUrl"]
            c, msg = code(sqs.send_message, QueueUrl=url, MessageBody="m")
            self.assertEqual(c, want, f"case {i}: {msg}")
            c, _ = code(sqs.send_message_batch, QueueUrl=url, Entries=[{"Id": "1", "MessageBody": "m"}])
            self.assertEqual(c, want, f"batch, case {i}")
        c, msg = code(sqs.send_message, QueueUrl=sqs.get_queue_url(QueueName="r23-producer-0")["QueueUrl"],
                      MessageBody="m")
        self.assertIn("is not authorized to perform: kms:Decrypt on resource:", msg)

    def test_a_disabled_key_refuses_only_once_the_reuse_period_has_passed(self):
        acct = "723000000006"
        sqs = client("sqs", acct)
        key = self.producer_key(acct)
        url = sqs.create_queue(QueueName="r23-reuse", Attributes={"KmsMasterKeyId": key,
                                                                  "KmsDataKeyReusePeriodSeconds": "60"})["QueueUrl"]
        sqs.send_message(QueueUrl=url, MessageBody="first")
        self.assertEqual([c["operation"] for c in kms_calls(acct, "sqs.amazonaws.com")], ["GenerateDataKey", "Decrypt"])
        client("kms", CUSTOMER).disable_key(KeyId=key)
        sqs.send_message(QueueUrl=url, MessageBody="within the reuse period")
        self.assertEqual(len(kms_calls(acct, "sqs.amazonaws.com")), 2, "the data key is reused: no KMS call")
        with unittest.mock.patch.object(sqs_module, "layer_clock", lambda: time.time() + 61):
            self.assertEqual(code(sqs.send_message, QueueUrl=url, MessageBody="after")[0], "KMS.DisabledException")
        self.assertEqual(control("/_localaws/data-keys/expire", {"resource": f"arn:aws:sqs:{REGION}:{acct}:r23-reuse"}),
                         {"expired": 0}, "nothing was cached for the refused call")
        client("kms", CUSTOMER).enable_key(KeyId=key)
        sqs.send_message(QueueUrl=url, MessageBody="again")
        client("kms", CUSTOMER).disable_key(KeyId=key)
        self.assertEqual(control("/_localaws/data-keys/expire", {"account": acct})["expired"], 1)
        self.assertEqual(code(sqs.send_message, QueueUrl=url, MessageBody="x")[0], "KMS.DisabledException")
        client("kms", CUSTOMER).schedule_key_deletion(KeyId=key, PendingWindowInDays=7)
        self.assertEqual(code(sqs.send_message, QueueUrl=url, MessageBody="x")[0], "KMS.InvalidStateException")

    def test_data_keys_are_per_requester_and_a_roles_sessions_share_them(self):
        acct = "723000000007"
        key = self.producer_key(acct)
        url = client("sqs", acct).create_queue(QueueName="r23-requesters", Attributes={"KmsMasterKeyId": key})["QueueUrl"]
        own = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": ["kms:GenerateDataKey", "kms:Decrypt"],
                                                       "Resource": key}]}
        one = role_client("sqs", acct, "producer", "one", own)
        one.send_message(QueueUrl=url, MessageBody="a")
        client("kms", CUSTOMER).disable_key(KeyId=key)
        role_client("sqs", acct, "producer", "two", own).send_message(QueueUrl=url, MessageBody="b")  # same role
        self.assertEqual(code(client("sqs", acct).send_message, QueueUrl=url, MessageBody="c")[0],
                         "KMS.DisabledException", "the account root is another requester: no data key of its own")
        client("kms", CUSTOMER).enable_key(KeyId=key)
        bare = role_client("sqs", acct, "no-kms", "session", {"Version": "2012-10-17", "Statement": [
            {"Effect": "Allow", "Action": "sqs:*", "Resource": "*"}]})
        c, msg = code(bare.send_message, QueueUrl=url, MessageBody="d")
        self.assertEqual(c, "KMS.AccessDeniedException")
        self.assertIn("no identity-based policy allows the kms:GenerateDataKey action", msg)

    def test_a_consumer_needs_decrypt_for_the_key_its_messages_were_sent_under(self):
        acct = "723000000008"
        sqs = client("sqs", acct)
        url = sqs.create_queue(QueueName="r23-consumer")["QueueUrl"]
        sqs.send_message(QueueUrl=url, MessageBody="before the key")
        key = self.producer_key(acct)
        sqs.set_queue_attributes(QueueUrl=url, Attributes={"KmsMasterKeyId": key, "SqsManagedSseEnabled": "false"})
        client("kms", CUSTOMER).disable_key(KeyId=key)
        got = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10)["Messages"]
        self.assertEqual([m["Body"] for m in got], ["before the key"], "a message sent on SSE-SQS needs no key")
        sqs.delete_message(QueueUrl=url, ReceiptHandle=got[0]["ReceiptHandle"])
        client("kms", CUSTOMER).enable_key(KeyId=key)
        sqs.send_message(QueueUrl=url, MessageBody="under the key")
        sqs_module.expire_data_keys({"account": acct})
        client("kms", CUSTOMER).disable_key(KeyId=key)
        self.assertEqual(code(sqs.receive_message, QueueUrl=url)[0], "KMS.DisabledException")
        client("kms", CUSTOMER).enable_key(KeyId=key)
        got = sqs.receive_message(QueueUrl=url)["Messages"]
        self.assertEqual([m["Body"] for m in got], ["under the key"])
        sqs.change_message_visibility(QueueUrl=url, ReceiptHandle=got[0]["ReceiptHandle"], VisibilityTimeout=0)
        client("kms", CUSTOMER).disable_key(KeyId=key)
        got = sqs.receive_message(QueueUrl=url)["Messages"]  # the consumer's own data key, still in its period
        self.assertEqual([m["Body"] for m in got], ["under the key"])

    def test_sqs_calls_and_the_kms_calls_sqs_makes_are_logged(self):
        acct = "723000000009"
        sqs = client("sqs", acct)
        url = sqs.create_queue(QueueName="r23-log", Attributes={"KmsMasterKeyId": self.producer_key(acct)})["QueueUrl"]
        sqs.send_message(QueueUrl=url, MessageBody="m")
        req = urllib.request.Request(f"{URL}/_localaws/calls?account={acct}")
        calls = json.loads(urllib.request.urlopen(req).read())
        self.assertEqual([(c["service"], c["operation"], c["mutating"]) for c in calls],
                         [("sqs", "CreateQueue", True), ("kms", "GenerateDataKey", False), ("kms", "Decrypt", False),
                          ("sqs", "SendMessage", True)])
        self.assertEqual(calls[1]["principal"], root(acct))


class R24SnsEncryption(unittest.TestCase):
    """R24: topics and queues of Speedscale-side accounts (724...), keys the customer's."""

    def tearDown(self):
        sqs_module.expire_data_keys({})

    @staticmethod
    def publisher_key(acct, extra=()):
        return make_key([allow(["kms:GenerateDataKey", "kms:Decrypt"], via("sns"), account=acct)] + list(extra))

    def test_a_publisher_needs_the_topic_key_through_sns(self):
        acct = "724000000001"
        sns = client("sns", acct)
        missing = f"arn:aws:kms:{REGION}:{CUSTOMER}:key/00000000-0000-0000-0000-000000000000"
        cases = [(self.publisher_key(acct), None),
                 (make_key([allow(["kms:GenerateDataKey", "kms:Decrypt"], via("sqs"), account=acct)]), "KMSAccessDenied"),
                 (missing, "KMSNotFound")]
        for i, (key, want) in enumerate(cases):
            arn = sns.create_topic(Name=f"r24-pub-{i}", Attributes={"KmsMasterKeyId": key})["TopicArn"]
            self.assertEqual(sns.get_topic_attributes(TopicArn=arn)["Attributes"]["KmsMasterKeyId"], key,
                             "stored as given, not checked")
            self.assertEqual(code(sns.publish, TopicArn=arn, Message="m")[0], want, f"case {i}")
            self.assertEqual(code(sns.publish_batch, TopicArn=arn, PublishBatchRequestEntries=[
                {"Id": "1", "Message": "m"}])[0], want, f"batch, case {i}")
        arn = sns.create_topic(Name="r24-pub-later")["TopicArn"]
        sns.publish(TopicArn=arn, Message="no key")
        sns.set_topic_attributes(TopicArn=arn, AttributeName="KmsMasterKeyId", AttributeValue=missing)
        self.assertEqual(code(sns.publish, TopicArn=arn, Message="m")[0], "KMSNotFound")

    def test_the_publishers_data_key_is_reused_for_five_minutes(self):
        acct = "724000000002"
        sns = client("sns", acct)
        key = self.publisher_key(acct)
        arn = sns.create_topic(Name="r24-reuse", Attributes={"KmsMasterKeyId": key})["TopicArn"]
        sns.publish(TopicArn=arn, Message="first")
        client("kms", CUSTOMER).disable_key(KeyId=key)
        with unittest.mock.patch.object(sqs_module, "layer_clock", lambda: time.time() + 299):
            sns.publish(TopicArn=arn, Message="within five minutes")
        with unittest.mock.patch.object(sqs_module, "layer_clock", lambda: time.time() + 301):
            c, _ = code(sns.publish, TopicArn=arn, Message="after")
        self.assertEqual(c, "KMSDisabled")
        self.assertEqual([c["operation"] for c in kms_calls(acct, "sns.amazonaws.com")], ["GenerateDataKey", "Decrypt",
                                                                                         "GenerateDataKey"])
        client("kms", CUSTOMER).enable_key(KeyId=key)
        client("kms", CUSTOMER).schedule_key_deletion(KeyId=key, PendingWindowInDays=7)
        sqs_module.expire_data_keys({"resource": arn})
        self.assertEqual(code(sns.publish, TopicArn=arn, Message="m")[0], "KMSInvalidState")

    @staticmethod
    def queue(acct, name, key=None, topic_arn=None):
        sqs = client("sqs", acct)
        attrs = {"KmsMasterKeyId": key} if key else {}
        if topic_arn:
            attrs["Policy"] = json.dumps({"Version": "2012-10-17", "Statement": [{
                "Effect": "Allow", "Principal": {"Service": "sns.amazonaws.com"}, "Action": "sqs:SendMessage",
                "Resource": f"arn:aws:sqs:{REGION}:{acct}:{name}", "Condition": {"ArnEquals": {"aws:SourceArn": topic_arn}}}]})
        url = sqs.create_queue(QueueName=name, Attributes=attrs)["QueueUrl"]
        return url, f"arn:aws:sqs:{REGION}:{acct}:{name}"

    def delivered(self, acct, topic, queue_arn, url):
        sns = client("sns", acct)
        sns.subscribe(TopicArn=topic, Protocol="sqs", Endpoint=queue_arn, ReturnSubscriptionArn=True)
        sns.publish(TopicArn=topic, Message="hello")  # the publisher is never told
        got = client("sqs", acct).receive_message(QueueUrl=url, MaxNumberOfMessages=10).get("Messages", [])
        return len(got), sns_module.deliveries({"topic": topic})[-1]

    def test_delivery_into_a_queue_needs_the_queue_policy_and_the_sns_principal_on_the_queue_key(self):
        acct = "724000000003"
        sns = client("sns", acct)
        topic = sns.create_topic(Name="r24-events")["TopicArn"]
        for_sns = {"Effect": "Allow", "Principal": {"Service": "sns.amazonaws.com"},
                   "Action": ["kms:GenerateDataKey*", "kms:Decrypt"], "Resource": "*",
                   "Condition": {"ArnEquals": {"aws:SourceArn": topic}, "StringEquals": {"aws:SourceAccount": acct}}}
        consumer = allow(["kms:GenerateDataKey", "kms:Decrypt"], via("sqs"), account=acct)
        url, q = self.queue(acct, "r24-ok", make_key([for_sns, consumer]), topic)
        self.assertEqual(self.delivered(acct, topic, q, url)[0], 1)
        url, q = self.queue(acct, "r24-no-sns-on-key", make_key([consumer]), topic)
        n, d = self.delivered(acct, topic, q, url)
        self.assertEqual(n, 0)
        self.assertTrue(d["reason"].startswith("KMS.AccessDeniedException"), d)
        other_topic = dict(for_sns, Condition={"ArnEquals": {"aws:SourceArn": topic + "-other"}})
        url, q = self.queue(acct, "r24-other-topic-on-key", make_key([other_topic, consumer]), topic)
        self.assertEqual(self.delivered(acct, topic, q, url)[0], 0, "aws:SourceArn is the topic")
        url, q = self.queue(acct, "r24-no-policy", make_key([for_sns, consumer]))
        n, d = self.delivered(acct, topic, q, url)
        self.assertEqual(n, 0)
        self.assertIn("queue policy", d["reason"])
        url, q = self.queue(acct, "r24-aws-managed", "alias/aws/sqs", topic)
        self.assertEqual(self.delivered(acct, topic, q, url)[0], 0, "SNS cannot use an AWS managed key")
        url, q = self.queue(acct, "r24-sse-sqs", None, topic)
        self.assertEqual(self.delivered(acct, topic, q, url)[0], 1)
        failed = sum(m[6] for m in cloudwatch.METRICS if m[0] == acct and m[2] == "AWS/SNS"
                     and m[3] == "NumberOfNotificationsFailed")
        self.assertGreaterEqual(failed, 4)

    def test_a_key_disabled_after_a_delivery_refuses_once_snss_data_key_is_old(self):
        acct = "724000000004"
        sns = client("sns", acct)
        topic = sns.create_topic(Name="r24-later")["TopicArn"]
        key = make_key([{"Effect": "Allow", "Principal": {"Service": "sns.amazonaws.com"},
                         "Action": ["kms:GenerateDataKey*", "kms:Decrypt"], "Resource": "*"},
                        allow(["kms:Decrypt"], via("sqs"), account=acct)])
        url, q = self.queue(acct, "r24-later", key, topic)
        self.assertEqual(self.delivered(acct, topic, q, url)[0], 1)
        client("kms", CUSTOMER).disable_key(KeyId=key)
        sns.publish(TopicArn=topic, Message="within the reuse period")
        sqs_module.expire_data_keys({"resource": q})
        sns.publish(TopicArn=topic, Message="after it")
        last = sns_module.deliveries({"topic": topic})[-2:]
        self.assertEqual([d["delivered"] for d in last], [True, False])
        self.assertTrue(last[1]["reason"].startswith("KMS.DisabledException"), last)

    def test_tags_subscriptions_and_the_documented_quotas(self):
        acct = "724000000005"
        sns = client("sns", acct)
        arn = sns.create_topic(Name="r24-tags", Tags=[{"Key": "speedscale:tenant", "Value": "acme"}])["TopicArn"]
        sns.tag_resource(ResourceArn=arn, Tags=[{"Key": "owner", "Value": "cmek"}])
        self.assertEqual({t["Key"]: t["Value"] for t in sns.list_tags_for_resource(ResourceArn=arn)["Tags"]},
                         {"speedscale:tenant": "acme", "owner": "cmek"})
        localaws.QUOTA.configure({"account": acct, "refill": 0.01})
        try:
            codes = [code(sns.list_subscriptions_by_topic, TopicArn=arn)[0] for _ in range(31)]
            self.assertEqual(codes[:30], [None] * 30)
            self.assertEqual(codes[30], "ThrottlingException", "30 TPS")
            codes = [code(sns.tag_resource, ResourceArn=arn, Tags=[{"Key": "k", "Value": "v"}])[0] for _ in range(11)]
            self.assertEqual(codes[10], "ThrottlingException", "tagging: 10 TPS")
        finally:
            localaws.QUOTA.configure({"account": acct, "enabled": False})
