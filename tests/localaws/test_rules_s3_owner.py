"""R26 (the bucket owner condition, other accounts), R27 (bucket policies: explicit Deny, condition
keys, S3 Batch Operations as the job's role) and R28 (Object Lock on an existing bucket, conditional
writes on a versioned bucket), each tested against the running layer with boto3, as test_rules.py
tests the other rules. Nothing leaves 127.0.0.1."""

import base64
import hashlib
import json
import logging
import threading
import time
import unittest
import zlib

import boto3
import botocore.config
from botocore.exceptions import ClientError
from werkzeug.serving import make_server

logging.getLogger("werkzeug").setLevel(logging.ERROR)

import localaws  # noqa: E402
from moto.moto_server.werkzeug_app import DomainDispatcherApplication, MotoRequestHandler, create_backend_app  # noqa: E402
from test_rules import TRUST, VIA_S3, code, root  # noqa: E402

REGION = "us-east-1"
SPEEDSCALE, OTHER = "222222222222", "333333333333"
NO_RETRY = botocore.config.Config(retries={"total_max_attempts": 1, "mode": "standard"})
NO_CHECKSUM = botocore.config.Config(retries={"total_max_attempts": 1, "mode": "standard"},
                                     request_checksum_calculation="when_required")


def setUpModule():
    global SERVER, URL
    app = localaws.Fidelity(DomainDispatcherApplication(create_backend_app))
    SERVER = make_server("127.0.0.1", 0, app, threaded=True, request_handler=MotoRequestHandler)
    URL = f"http://127.0.0.1:{SERVER.server_address[1]}"
    threading.Thread(target=SERVER.serve_forever, daemon=True).start()


def tearDownModule():
    SERVER.shutdown()


def client(service, account, config=NO_RETRY):
    return boto3.client(service, endpoint_url=URL, region_name=REGION, config=config,
                        aws_access_key_id=f"AKIA{account}TEST", aws_secret_access_key="x")


def with_headers(c, **headers):
    """Every request of the client carries these headers (as cmek sends x-amz-expected-bucket-owner)."""
    def add(request, **_):
        for k, v in headers.items():
            request.headers[k.replace("_", "-")] = v
    c.meta.events.register("before-sign.s3.*", add)
    return c


def owner_checked(account, expected):
    return with_headers(client("s3", account), x_amz_expected_bucket_owner=expected)


def status(fn, *a, **kw):
    """(HTTP status, error code) of a call; (200, None) when it succeeds."""
    try:
        r = fn(*a, **kw)
        return r["ResponseMetadata"]["HTTPStatusCode"], None
    except ClientError as e:
        return e.response["ResponseMetadata"]["HTTPStatusCode"], e.response["Error"]["Code"]


def put_policy(s3, bucket, *statements):
    s3.put_bucket_policy(Bucket=bucket, Policy=json.dumps({"Version": "2012-10-17", "Statement": list(statements)}))


def keys(s3, bucket):
    return sorted(o["Key"] for o in s3.list_objects_v2(Bucket=bucket).get("Contents", []))


def role_client(account, role_name, policy_doc=None, service="s3"):
    """A client signed by a session of a role of `account` (with the identity policy `policy_doc`)."""
    iam = client("iam", account)
    trust = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": root(account)},
                                                     "Action": "sts:AssumeRole"}]}
    arn = iam.create_role(RoleName=role_name, AssumeRolePolicyDocument=json.dumps(trust))["Role"]["Arn"]
    if policy_doc:
        iam.put_role_policy(RoleName=role_name, PolicyName="s3", PolicyDocument=json.dumps(policy_doc))
    creds = client("sts", account).assume_role(RoleArn=arn, RoleSessionName="session")["Credentials"]
    return arn, boto3.client(service, endpoint_url=URL, region_name=REGION, config=NO_RETRY,
                             aws_access_key_id=creds["AccessKeyId"], aws_secret_access_key=creds["SecretAccessKey"],
                             aws_session_token=creds["SessionToken"])


ALL_S3 = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}]}


class R26BucketOwnerCondition(unittest.TestCase):
    def test_the_registry_name_squatted_by_another_account_is_refused_with_the_owner_condition(self):
        """Account B owns the bucket with Speedscale's predictable registry name and lets Speedscale do
        everything: every request of cmek (x-amz-expected-bucket-owner: Speedscale) is 403, and B's
        bucket receives nothing; without the header, the same requests go through (the attack)."""
        name = f"speedscale-cmek-{SPEEDSCALE}-us-east-1"
        b = client("s3", OTHER)
        b.create_bucket(Bucket=name)
        put_policy(b, name, {"Effect": "Allow", "Principal": {"AWS": root(SPEEDSCALE)}, "Action": "s3:*",
                             "Resource": [f"arn:aws:s3:::{name}", f"arn:aws:s3:::{name}/*"]})
        cmek = owner_checked(SPEEDSCALE, SPEEDSCALE)
        calls = [
            (cmek.head_bucket, dict(Bucket=name)),
            (cmek.get_bucket_versioning, dict(Bucket=name)),
            (cmek.get_bucket_policy, dict(Bucket=name)),
            (cmek.get_object_lock_configuration, dict(Bucket=name)),
            (cmek.list_objects_v2, dict(Bucket=name)),
            (cmek.put_object, dict(Bucket=name, Key="evidence/t.json", Body=b"{}", IfNoneMatch="*")),
            (cmek.put_bucket_versioning, dict(Bucket=name, VersioningConfiguration={"Status": "Enabled"})),
            (cmek.put_bucket_tagging, dict(Bucket=name, Tagging={"TagSet": [{"Key": "k", "Value": "v"}]})),
            (cmek.create_multipart_upload, dict(Bucket=name, Key="big")),
            (cmek.list_multipart_uploads, dict(Bucket=name)),
            (cmek.get_object, dict(Bucket=name, Key="evidence/t.json")),
        ]
        for fn, kw in calls:
            with self.subTest(op=fn.__name__):
                got = status(fn, **kw)
                # A HEAD answer has no body: the SDK knows only the status.
                self.assertEqual(got, (403, "403" if fn.__name__ == "head_bucket" else "AccessDenied"))
        self.assertEqual(keys(b, name), [], "B's bucket received no object")
        self.assertEqual(b.list_multipart_uploads(Bucket=name).get("Uploads", []), [])
        self.assertEqual(code(b.get_bucket_tagging, Bucket=name)[0], "NoSuchTagSet")
        self.assertEqual(b.get_bucket_versioning(Bucket=name).get("Status"), None, "nothing changed")
        # Without the header the policy lets Speedscale in: what the header defends against.
        bare = client("s3", SPEEDSCALE)
        self.assertEqual(status(bare.head_bucket, Bucket=name), (200, None))
        self.assertEqual(status(bare.put_object, Bucket=name, Key="evidence/t.json", Body=b"{}"), (200, None))
        self.assertEqual(keys(b, name), ["evidence/t.json"])
        # The true owner named: the policy decides as before.
        self.assertEqual(status(owner_checked(SPEEDSCALE, OTHER).head_bucket, Bucket=name), (200, None))

    def test_the_owner_condition_holds_for_the_owner_and_is_ignored_by_create_bucket_and_list_buckets(self):
        acct = "710000000001"
        s3 = owner_checked(acct, "999999999999")
        self.assertEqual(status(s3.create_bucket, Bucket="r26-ignored-create"), (200, None), "CreateBucket ignores it")
        self.assertIn("r26-ignored-create", [b["Name"] for b in s3.list_buckets()["Buckets"]], "ListBuckets too")
        self.assertEqual(status(s3.head_bucket, Bucket="r26-ignored-create"), (403, "403"),
                         "the owner itself with a wrong expected owner")
        self.assertEqual(status(owner_checked(acct, acct).head_bucket, Bucket="r26-ignored-create"), (200, None))
        self.assertEqual(status(client("s3", acct).put_object, Bucket="r26-ignored-create", Key="k", Body=b"1",
                                ExpectedBucketOwner=acct), (200, None), "the SDK's ExpectedBucketOwner parameter")
        self.assertEqual(status(client("s3", acct).put_object, Bucket="r26-ignored-create", Key="k", Body=b"1",
                                ExpectedBucketOwner=OTHER), (403, "AccessDenied"))

    def test_copy_checks_the_source_bucket_owner_too(self):
        src, dst = "710000000002", "710000000003"
        sb, db = client("s3", src), client("s3", dst)
        sb.create_bucket(Bucket="r26-copy-source")
        sb.put_object(Bucket="r26-copy-source", Key="o", Body=b"1")
        put_policy(sb, "r26-copy-source", {"Effect": "Allow", "Principal": {"AWS": dst}, "Action": "s3:GetObject",
                                           "Resource": "arn:aws:s3:::r26-copy-source/*"})
        db.create_bucket(Bucket="r26-copy-target")
        copy = dict(Bucket="r26-copy-target", Key="o", CopySource={"Bucket": "r26-copy-source", "Key": "o"})
        self.assertEqual(status(db.copy_object, ExpectedSourceBucketOwner=dst, **copy), (403, "AccessDenied"))
        self.assertEqual(status(db.copy_object, ExpectedBucketOwner=src, **copy), (403, "AccessDenied"))
        self.assertEqual(status(db.copy_object, ExpectedSourceBucketOwner=src, ExpectedBucketOwner=dst, **copy),
                         (200, None))

    def test_another_account_needs_the_bucket_policy_and_nothing_is_written_without_it(self):
        owner, caller = "710000000004", "710000000005"
        o, c = client("s3", owner), client("s3", caller)
        o.create_bucket(Bucket="r26-no-policy")
        o.put_object(Bucket="r26-no-policy", Key="there", Body=b"1")
        for fn, kw in ((c.put_object, dict(Bucket="r26-no-policy", Key="new", Body=b"1")),
                       (c.get_object, dict(Bucket="r26-no-policy", Key="there")),
                       (c.head_object, dict(Bucket="r26-no-policy", Key="there")),
                       (c.list_objects_v2, dict(Bucket="r26-no-policy")),
                       (c.head_bucket, dict(Bucket="r26-no-policy")),
                       (c.delete_object, dict(Bucket="r26-no-policy", Key="there")),
                       (c.put_bucket_encryption, dict(Bucket="r26-no-policy", ServerSideEncryptionConfiguration={
                           "Rules": [{"ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "AES256"}}]}))):
            with self.subTest(op=fn.__name__):
                self.assertEqual(status(fn, **kw), (403, "403" if fn.__name__.startswith("head") else "AccessDenied"))
        self.assertEqual(keys(o, "r26-no-policy"), ["there"])
        # An Allow for s3:GetObject only: reads go through, writes still do not.
        put_policy(o, "r26-no-policy", {"Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{caller}:root"},
                                        "Action": "s3:GetObject", "Resource": "arn:aws:s3:::r26-no-policy/*"})
        self.assertEqual(status(c.get_object, Bucket="r26-no-policy", Key="there"), (200, None))
        self.assertEqual(status(c.put_object, Bucket="r26-no-policy", Key="new", Body=b"1"), (403, "AccessDenied"))
        self.assertEqual(keys(o, "r26-no-policy"), ["there"])

    def test_an_assumed_role_of_another_account_needs_its_own_identity_policy_too(self):
        owner, caller = "710000000006", "710000000007"
        o = client("s3", owner)
        o.create_bucket(Bucket="r26-role")
        put_policy(o, "r26-role", {"Effect": "Allow", "Principal": {"AWS": caller}, "Action": "s3:PutObject",
                                   "Resource": "arn:aws:s3:::r26-role/*"})
        _, allowed = role_client(caller, "writer", ALL_S3)
        _, bare = role_client(caller, "no-policy")
        self.assertEqual(status(allowed.put_object, Bucket="r26-role", Key="a", Body=b"1"), (200, None))
        self.assertEqual(status(bare.put_object, Bucket="r26-role", Key="b", Body=b"1"), (403, "AccessDenied"))
        # A statement naming the role's ARN covers its sessions.
        arn, named = role_client(caller, "named", ALL_S3)
        put_policy(o, "r26-role", {"Effect": "Allow", "Principal": {"AWS": arn}, "Action": "s3:PutObject",
                                   "Resource": "arn:aws:s3:::r26-role/*"})
        self.assertEqual(status(named.put_object, Bucket="r26-role", Key="c", Body=b"1"), (200, None))
        self.assertEqual(status(allowed.put_object, Bucket="r26-role", Key="d", Body=b"1"), (403, "AccessDenied"))
        self.assertEqual(keys(o, "r26-role"), ["a", "c"])

    def test_another_accounts_permitted_bucket_policy_calls_are_405(self):
        owner, caller = "710000000008", "710000000009"
        o, c = client("s3", owner), client("s3", caller)
        o.create_bucket(Bucket="r26-policy-calls")
        put_policy(o, "r26-policy-calls", {"Effect": "Allow", "Principal": {"AWS": caller}, "Action": "s3:GetBucketPolicy",
                                           "Resource": "arn:aws:s3:::r26-policy-calls"})
        self.assertEqual(status(c.get_bucket_policy, Bucket="r26-policy-calls"), (405, "MethodNotAllowed"))
        self.assertEqual(status(c.delete_bucket_policy, Bucket="r26-policy-calls"), (403, "AccessDenied"))
        self.assertEqual(status(o.get_bucket_policy, Bucket="r26-policy-calls"), (200, None))

    def test_list_buckets_lists_the_callers_buckets_by_prefix(self):
        acct = "710000000010"
        s3 = client("s3", acct)
        for name in ("r26-pfx-one", "r26-pfx-two", "r26-elsewhere"):
            s3.create_bucket(Bucket=name)
        client("s3", "710000000011").create_bucket(Bucket="r26-pfx-not-mine")
        out = s3.list_buckets(Prefix="r26-pfx-")
        self.assertEqual(sorted(b["Name"] for b in out["Buckets"]), ["r26-pfx-one", "r26-pfx-two"])
        self.assertEqual(out.get("Prefix"), "r26-pfx-")
        self.assertNotIn("r26-pfx-not-mine", [b["Name"] for b in s3.list_buckets()["Buckets"]])


class R27BucketPolicyDeny(unittest.TestCase):
    def bucket(self, acct, name, *statements, **versioned):
        s3 = client("s3", acct)
        s3.create_bucket(Bucket=name)
        if versioned:
            s3.put_bucket_versioning(Bucket=name, VersioningConfiguration={"Status": "Enabled"})
        if statements:
            put_policy(s3, name, *statements)
        return s3

    def test_an_explicit_deny_refuses_the_owner_and_wins_over_an_allow(self):
        s3 = self.bucket("720000000001", "r27-deny-owner",
                         {"Effect": "Allow", "Principal": "*", "Action": "s3:*", "Resource": "arn:aws:s3:::r27-deny-owner/*"},
                         {"Sid": "NoAudit", "Effect": "Deny", "Principal": "*", "Action": "s3:PutObject",
                          "Resource": "arn:aws:s3:::r27-deny-owner/audit/*"})
        self.assertEqual(status(s3.put_object, Bucket="r27-deny-owner", Key="audit/a", Body=b"1"), (403, "AccessDenied"))
        self.assertEqual(status(s3.put_object, Bucket="r27-deny-owner", Key="other/a", Body=b"1"), (200, None))
        self.assertEqual(keys(s3, "r27-deny-owner"), ["other/a"])

    def test_the_owner_root_keeps_the_bucket_policy_calls_under_a_deny_everything_policy(self):
        acct = "720000000002"
        s3 = self.bucket(acct, "r27-lockout", {"Effect": "Deny", "Principal": "*", "Action": "s3:*",
                                               "Resource": ["arn:aws:s3:::r27-lockout", "arn:aws:s3:::r27-lockout/*"]})
        self.assertEqual(status(s3.get_bucket_tagging, Bucket="r27-lockout"), (403, "AccessDenied"))
        self.assertEqual(status(s3.get_bucket_policy, Bucket="r27-lockout"), (200, None))
        _, role = role_client(acct, "admin", ALL_S3)
        self.assertEqual(status(role.get_bucket_policy, Bucket="r27-lockout"), (403, "AccessDenied"), "only the root")
        self.assertLess(status(s3.delete_bucket_policy, Bucket="r27-lockout")[0], 300)
        self.assertEqual(status(s3.get_bucket_tagging, Bucket="r27-lockout")[1], "NoSuchTagSet", "the policy is gone")

    def test_secure_transport_is_true_unless_the_request_says_it_came_without_tls(self):
        acct = "720000000003"
        s3 = self.bucket(acct, "r27-tls", {"Sid": "CmekDenyInsecureTransport", "Effect": "Deny", "Principal": "*",
                                           "Action": "s3:*", "Resource": ["arn:aws:s3:::r27-tls", "arn:aws:s3:::r27-tls/*"],
                                           "Condition": {"Bool": {"aws:SecureTransport": "false"}}})
        self.assertEqual(status(s3.put_object, Bucket="r27-tls", Key="a", Body=b"1"), (200, None))
        insecure = with_headers(client("s3", acct), x_localaws_insecure_transport="1")
        self.assertEqual(status(insecure.get_object, Bucket="r27-tls", Key="a"), (403, "AccessDenied"))
        self.assertEqual(status(insecure.list_objects_v2, Bucket="r27-tls"), (403, "AccessDenied"))

    def test_encryption_condition_keys_are_the_requests_own_headers(self):
        acct = "720000000004"
        kms = client("kms", acct)
        key = kms.create_key()["KeyMetadata"]["Arn"]
        other = kms.create_key()["KeyMetadata"]["Arn"]
        s3 = self.bucket(acct, "r27-sse",
                         {"Effect": "Deny", "Principal": "*", "Action": "s3:PutObject", "Resource": "arn:aws:s3:::r27-sse/*",
                          "Condition": {"StringNotEquals": {"s3:x-amz-server-side-encryption": "aws:kms"}}},
                         {"Effect": "Deny", "Principal": "*", "Action": "s3:PutObject", "Resource": "arn:aws:s3:::r27-sse/*",
                          "Condition": {"StringNotEqualsIfExists": {"s3:x-amz-server-side-encryption-aws-kms-key-id": key}}})
        s3.put_bucket_encryption(Bucket="r27-sse", ServerSideEncryptionConfiguration={"Rules": [{
            "ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "aws:kms", "KMSMasterKeyID": key}}]})
        self.assertEqual(status(s3.put_object, Bucket="r27-sse", Key="default", Body=b"1"), (403, "AccessDenied"),
                         "the bucket default does not make the header")
        self.assertEqual(status(s3.put_object, Bucket="r27-sse", Key="s3", Body=b"1", ServerSideEncryption="AES256"),
                         (403, "AccessDenied"))
        self.assertEqual(status(s3.put_object, Bucket="r27-sse", Key="other", Body=b"1", ServerSideEncryption="aws:kms",
                                SSEKMSKeyId=other), (403, "AccessDenied"))
        self.assertEqual(status(s3.put_object, Bucket="r27-sse", Key="kms", Body=b"1", ServerSideEncryption="aws:kms",
                                SSEKMSKeyId=key), (200, None))
        self.assertEqual(status(s3.put_object, Bucket="r27-sse", Key="kms-default-key", Body=b"1",
                                ServerSideEncryption="aws:kms"), (403, "AccessDenied"),
                         "IfExists holds without the key id header (S3 'assumes the AWS managed key')")
        self.assertEqual(keys(s3, "r27-sse"), ["kms"])

    def test_conditional_writes_enforced_with_s3_if_none_match(self):
        s3 = self.bucket("720000000005", "r27-if-none-match", {
            "Sid": "CmekDenyAuditOverwrite", "Effect": "Deny", "Principal": "*", "Action": "s3:PutObject",
            "Resource": "arn:aws:s3:::r27-if-none-match/audit/*", "Condition": {"Null": {"s3:if-none-match": "true"}}})
        self.assertEqual(status(s3.put_object, Bucket="r27-if-none-match", Key="audit/e", Body=b"1"), (403, "AccessDenied"))
        self.assertEqual(status(s3.put_object, Bucket="r27-if-none-match", Key="audit/e", Body=b"1", IfNoneMatch="*"),
                         (200, None))
        self.assertEqual(status(s3.put_object, Bucket="r27-if-none-match", Key="audit/e", Body=b"2", IfNoneMatch="*"),
                         (412, "PreconditionFailed"), "allowed by the policy, refused by the precondition")

    def test_each_operation_is_evaluated_as_its_iam_action(self):
        acct = "720000000006"
        name = "r27-actions"
        s3 = self.bucket(acct, name, versioned=True)
        v1 = s3.put_object(Bucket=name, Key="o", Body=b"1")["VersionId"]
        s3.put_object(Bucket=name, Key="o", Body=b"2")
        client("s3", acct).create_bucket(Bucket="r27-actions-copy")

        def deny(action, resource=f"arn:aws:s3:::{name}/*"):
            put_policy(s3, name, {"Effect": "Deny", "Principal": "*", "Action": action, "Resource": resource})
        deny("s3:GetObject")
        self.assertEqual(status(s3.get_object, Bucket=name, Key="o"), (403, "AccessDenied"))
        self.assertEqual(status(s3.head_object, Bucket=name, Key="o")[0], 403)
        self.assertEqual(status(s3.get_object, Bucket=name, Key="o", VersionId=v1), (200, None), "s3:GetObjectVersion")
        self.assertEqual(status(s3.copy_object, Bucket="r27-actions-copy", Key="o", CopySource={"Bucket": name, "Key": "o"}),
                         (403, "AccessDenied"), "the copy source needs s3:GetObject")
        self.assertEqual(status(s3.list_objects_v2, Bucket=name), (200, None))
        deny("s3:GetObjectVersion")
        self.assertEqual(status(s3.get_object, Bucket=name, Key="o", VersionId=v1), (403, "AccessDenied"))
        self.assertEqual(status(s3.get_object, Bucket=name, Key="o"), (200, None))
        deny("s3:ListBucket", f"arn:aws:s3:::{name}")
        self.assertEqual(status(s3.list_objects_v2, Bucket=name), (403, "AccessDenied"))
        self.assertEqual(status(s3.list_objects, Bucket=name), (403, "AccessDenied"))
        self.assertEqual(status(s3.head_bucket, Bucket=name)[0], 403)
        self.assertEqual(status(s3.list_object_versions, Bucket=name), (200, None), "s3:ListBucketVersions")
        deny("s3:DeleteObjectVersion")
        self.assertEqual(status(s3.delete_object, Bucket=name, Key="o", VersionId=v1), (403, "AccessDenied"))
        self.assertEqual(status(s3.delete_object, Bucket=name, Key="o"), (204, None), "a delete marker")
        deny("s3:GetBucketVersioning", f"arn:aws:s3:::{name}")
        self.assertEqual(status(s3.get_bucket_versioning, Bucket=name), (403, "AccessDenied"))
        self.assertEqual(status(s3.get_bucket_encryption, Bucket=name), (200, None))
        put_policy(client("s3", acct), "r27-actions-copy", {"Effect": "Deny", "Principal": "*", "Action": "s3:PutObject",
                                                            "Resource": "arn:aws:s3:::r27-actions-copy/*"})
        s3.delete_bucket_policy(Bucket=name)
        self.assertEqual(status(s3.copy_object, Bucket="r27-actions-copy", Key="o", CopySource={"Bucket": name, "Key": "o",
                                                                                            "VersionId": v1}),
                         (403, "AccessDenied"), "the copy target needs s3:PutObject")

    def test_delete_objects_reports_the_denied_keys_and_deletes_the_others(self):
        s3 = self.bucket("720000000007", "r27-multi", {"Effect": "Deny", "Principal": "*", "Action": "s3:DeleteObject",
                                                       "Resource": "arn:aws:s3:::r27-multi/keep/*"})
        for k in ("keep/a", "drop/b"):
            s3.put_object(Bucket="r27-multi", Key=k, Body=b"1")
        out = s3.delete_objects(Bucket="r27-multi", Delete={"Objects": [{"Key": "keep/a"}, {"Key": "drop/b"}]})
        self.assertEqual([(e["Key"], e["Code"]) for e in out.get("Errors", [])], [("keep/a", "AccessDenied")])
        self.assertEqual([d["Key"] for d in out.get("Deleted", [])], ["drop/b"])
        self.assertEqual(keys(s3, "r27-multi"), ["keep/a"])

    def test_principal_conditions_not_action_and_not_resource(self):
        acct = "720000000008"
        arn, writer = role_client(acct, "writer", ALL_S3)
        s3 = self.bucket(acct, "r27-principal", {
            "Effect": "Deny", "Principal": "*", "Action": "s3:PutObject", "Resource": "arn:aws:s3:::r27-principal/*",
            "Condition": {"ArnNotLike": {"aws:PrincipalArn": arn}}})
        self.assertEqual(status(writer.put_object, Bucket="r27-principal", Key="w", Body=b"1"), (200, None),
                         "aws:PrincipalArn is the session's role")
        self.assertEqual(status(s3.put_object, Bucket="r27-principal", Key="r", Body=b"1"), (403, "AccessDenied"))
        put_policy(s3, "r27-principal", {"Effect": "Deny", "Principal": "*", "NotAction": "s3:GetObject",
                                         "Resource": "arn:aws:s3:::r27-principal/*"},
                   {"Effect": "Deny", "Principal": "*", "Action": "s3:GetObject",
                    "NotResource": "arn:aws:s3:::r27-principal/public/*"})
        self.assertEqual(status(s3.put_object, Bucket="r27-principal", Key="public/p", Body=b"1"), (403, "AccessDenied"))
        self.assertEqual(status(s3.get_object, Bucket="r27-principal", Key="w"), (403, "AccessDenied"))
        self.assertEqual(status(s3.list_objects_v2, Bucket="r27-principal"), (200, None), "not an object resource")
        other = "720000000009"
        put_policy(s3, "r27-principal", {"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject",
                                         "Resource": "arn:aws:s3:::r27-principal/*",
                                         "Condition": {"StringEquals": {"aws:PrincipalAccount": other}}})
        self.assertEqual(status(client("s3", other).get_object, Bucket="r27-principal", Key="w"), (200, None))
        self.assertEqual(status(client("s3", "720000000010").get_object, Bucket="r27-principal", Key="w"),
                         (403, "AccessDenied"))

    def test_an_allow_with_a_condition_no_longer_denies(self):
        """moto's own check answered 403 for any statement whose condition it could not evaluate."""
        s3 = self.bucket("720000000011", "r27-allow-condition", {
            "Effect": "Allow", "Principal": "*", "Action": "s3:*", "Resource": "arn:aws:s3:::r27-allow-condition/*",
            "Condition": {"Bool": {"aws:SecureTransport": "true"}}})
        self.assertEqual(status(s3.put_object, Bucket="r27-allow-condition", Key="a", Body=b"1"), (200, None))
        self.assertEqual(status(s3.get_object, Bucket="r27-allow-condition", Key="a"), (200, None))


def batch_setup(acct, bucket):
    kms, iam, s3 = client("kms", acct), client("iam", acct), client("s3", acct)
    key = kms.create_key()["KeyMetadata"]["Arn"]
    role = iam.create_role(RoleName="batch", AssumeRolePolicyDocument=json.dumps(TRUST))["Role"]["Arn"]
    iam.put_role_policy(RoleName="batch", PolicyName="copy", PolicyDocument=json.dumps({"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Action": ["s3:GetObject", "s3:PutObject"], "Resource": "arn:aws:s3:::*/*"},
        {"Effect": "Allow", "Action": ["kms:Decrypt", "kms:GenerateDataKey"], "Resource": key, "Condition": VIA_S3}]}))
    s3.create_bucket(Bucket=bucket)
    return s3, key, role


def s3control(account):
    c = client("s3control", account)

    def to_loopback(request, **_):
        host = request.url.split("/")[2]
        request.headers["Host"] = host
        request.url = request.url.replace(host, URL.split("/")[2], 1)
    c.meta.events.register("before-send.s3-control.*", to_loopback)
    return c


def run_job(acct, s3, bucket, role, target, key_names, token, kms_key=None, report=None):
    body = "".join(f"{bucket},{k}\n" for k in key_names).encode()
    etag = s3.put_object(Bucket=bucket, Key=f"manifest-{token}.csv", Body=body)["ETag"].strip('"')
    op = {"TargetResource": f"arn:aws:s3:::{target}", "MetadataDirective": "COPY"}
    if kms_key:
        op["SSEAwsKmsKeyId"] = kms_key
    c = s3control(acct)
    jid = c.create_job(AccountId=acct, ConfirmationRequired=False, Operation={"S3PutObjectCopy": op},
                       ClientRequestToken=token, Priority=10, RoleArn=role,
                       Report=report or {"Enabled": False},
                       Manifest={"Spec": {"Format": "S3BatchOperations_CSV_20180820", "Fields": ["Bucket", "Key"]},
                                 "Location": {"ObjectArn": f"arn:aws:s3:::{bucket}/manifest-{token}.csv", "ETag": etag}})["JobId"]
    deadline = time.time() + 20
    while time.time() < deadline:
        job = c.describe_job(AccountId=acct, JobId=jid)["Job"]
        if job["Status"] in ("Complete", "Failed", "Cancelled"):
            return job
        time.sleep(0.02)
    raise AssertionError(f"job {jid} did not end")


class R27BatchOperations(unittest.TestCase):
    def setUp(self):
        localaws.CONFIG.update(batch_new=0.02, batch_prepare=0.02, batch_kms_csv_manifest=1.0)

    def tearDown(self):
        localaws.CONFIG["batch_report_sse_header"] = 1.0

    def test_a_copy_task_meets_the_target_bucket_policy_with_the_jobs_encryption(self):
        acct = "730000000001"
        s3, key, role = batch_setup(acct, "r27-batch-src")
        s3.create_bucket(Bucket="r27-batch-dst")
        s3.put_object(Bucket="r27-batch-src", Key="a", Body=b"1")
        put_policy(s3, "r27-batch-dst", {"Effect": "Deny", "Principal": "*", "Action": "s3:PutObject",
                                         "Resource": "arn:aws:s3:::r27-batch-dst/*",
                                         "Condition": {"StringNotEquals": {"s3:x-amz-server-side-encryption": "aws:kms"}}})
        job = run_job(acct, s3, "r27-batch-src", role, "r27-batch-dst", ["a"], "with-kms", kms_key=key)
        self.assertEqual((job["Status"], job["ProgressSummary"]["NumberOfTasksSucceeded"]), ("Complete", 1))
        s3.delete_object(Bucket="r27-batch-dst", Key="a")
        job = run_job(acct, s3, "r27-batch-src", role, "r27-batch-dst", ["a"], "no-kms")
        self.assertEqual((job["Status"], job["ProgressSummary"]["NumberOfTasksFailed"]), ("Complete", 1))
        self.assertEqual(keys(s3, "r27-batch-dst"), [])
        # The source's policy denies the role reading: the task fails too.
        put_policy(s3, "r27-batch-src", {"Effect": "Deny", "Principal": {"AWS": role}, "Action": "s3:GetObject",
                                         "Resource": "arn:aws:s3:::r27-batch-src/a"})
        job = run_job(acct, s3, "r27-batch-src", role, "r27-batch-dst", ["a"], "source-denied", kms_key=key)
        self.assertEqual(job["ProgressSummary"]["NumberOfTasksFailed"], 1)

    def test_the_completion_report_write_meets_the_report_buckets_policy(self):
        acct = "730000000002"
        s3, key, role = batch_setup(acct, "r27-report-src")
        s3.create_bucket(Bucket="r27-reports")
        s3.put_object(Bucket="r27-report-src", Key="a", Body=b"1")
        put_policy(s3, "r27-reports", {"Effect": "Deny", "Principal": "*", "Action": "s3:PutObject",
                                       "Resource": "arn:aws:s3:::r27-reports/rep/*",
                                       "Condition": {"StringNotEquals": {"s3:x-amz-server-side-encryption": "AES256"}}})
        report = {"Enabled": True, "Bucket": "arn:aws:s3:::r27-reports", "Prefix": "rep", "Format": "Report_CSV_20180820",
                  "ReportScope": "AllTasks"}
        job = run_job(acct, s3, "r27-report-src", role, "r27-report-src", ["a"], "sse-header", kms_key=key, report=report)
        self.assertEqual(job["Status"], "Complete")
        self.assertIn(f"rep/job-{job['JobId']}/manifest.json", keys(s3, "r27-reports"), "batch_report_sse_header 1")
        self.assertNotIn("FailureReasons", job)
        localaws.CONFIG["batch_report_sse_header"] = 0.0
        job = run_job(acct, s3, "r27-report-src", role, "r27-report-src", ["a"], "no-header", kms_key=key, report=report)
        self.assertEqual(job["Status"], "Complete", "the job completes without its report")
        self.assertEqual([f["FailureCode"] for f in job["FailureReasons"]], ["ReportNotWritten"])
        self.assertFalse([k for k in keys(s3, "r27-reports") if job["JobId"] in k])


class R28ObjectLock(unittest.TestCase):
    def versioned(self, acct, name, objects=()):
        s3 = client("s3", acct)
        s3.create_bucket(Bucket=name)
        s3.put_bucket_versioning(Bucket=name, VersioningConfiguration={"Status": "Enabled"})
        for k in objects:
            s3.put_object(Bucket=name, Key=k, Body=b"before")
        return s3

    def lock(self, s3, name, **retention):
        conf = {"ObjectLockEnabled": "Enabled"}
        if retention:
            conf["Rule"] = {"DefaultRetention": retention}
        return s3.put_object_lock_configuration(Bucket=name, ObjectLockConfiguration=conf)

    def test_object_lock_on_an_existing_bucket_with_objects(self):
        s3 = self.versioned("740000000001", "r28-existing", ["old"])
        self.lock(s3, "r28-existing", Mode="GOVERNANCE", Days=2)
        conf = s3.get_object_lock_configuration(Bucket="r28-existing")["ObjectLockConfiguration"]
        self.assertEqual(conf, {"ObjectLockEnabled": "Enabled", "Rule": {"DefaultRetention": {"Mode": "GOVERNANCE", "Days": 2}}})
        self.assertNotIn("ObjectLockMode", s3.head_object(Bucket="r28-existing", Key="old"), "existing versions unchanged")
        self.assertEqual(code(s3.get_object_retention, Bucket="r28-existing", Key="old")[0], "NoSuchObjectLockConfiguration")
        put = s3.put_object(Bucket="r28-existing", Key="new", Body=b"1")
        head = s3.head_object(Bucket="r28-existing", Key="new")
        self.assertEqual(head["ObjectLockMode"], "GOVERNANCE")
        self.assertAlmostEqual((head["ObjectLockRetainUntilDate"] - head["LastModified"]).total_seconds(), 2 * 86400, delta=5)
        retention = s3.get_object_retention(Bucket="r28-existing", Key="new", VersionId=put["VersionId"])["Retention"]
        self.assertEqual((retention["Mode"], retention["RetainUntilDate"]), ("GOVERNANCE", head["ObjectLockRetainUntilDate"]))
        self.lock(s3, "r28-existing", Mode="COMPLIANCE", Years=1)
        conf = s3.get_object_lock_configuration(Bucket="r28-existing")["ObjectLockConfiguration"]
        self.assertEqual(conf["Rule"]["DefaultRetention"], {"Mode": "COMPLIANCE", "Years": 1})
        s3.put_object(Bucket="r28-existing", Key="year", Body=b"1")
        head = s3.head_object(Bucket="r28-existing", Key="year")
        self.assertAlmostEqual((head["ObjectLockRetainUntilDate"] - head["LastModified"]).total_seconds(), 365 * 86400, delta=5)
        self.assertEqual(s3.get_object_retention(Bucket="r28-existing", Key="new")["Retention"]["Mode"], "GOVERNANCE",
                         "a version keeps its own retention")

    def test_versioning_must_be_enabled_and_cannot_be_suspended_afterwards(self):
        acct = "740000000002"
        s3 = client("s3", acct)
        s3.create_bucket(Bucket="r28-unversioned")
        self.assertEqual(status(self.lock, s3, "r28-unversioned"), (409, "InvalidBucketState"))
        s3.put_bucket_versioning(Bucket="r28-unversioned", VersioningConfiguration={"Status": "Suspended"})
        self.assertEqual(status(self.lock, s3, "r28-unversioned"), (409, "InvalidBucketState"))
        self.assertEqual(code(s3.get_object_lock_configuration, Bucket="r28-unversioned")[0],
                         "ObjectLockConfigurationNotFoundError")
        s3.put_object(Bucket="r28-unversioned", Key="o", Body=b"1")
        self.assertEqual(code(s3.get_object_retention, Bucket="r28-unversioned", Key="o")[0], "InvalidRequest")
        s3.put_bucket_versioning(Bucket="r28-unversioned", VersioningConfiguration={"Status": "Enabled"})
        self.lock(s3, "r28-unversioned")
        self.assertNotIn("Rule", s3.get_object_lock_configuration(Bucket="r28-unversioned")["ObjectLockConfiguration"])
        self.assertEqual(status(s3.put_bucket_versioning, Bucket="r28-unversioned",
                                VersioningConfiguration={"Status": "Suspended"}), (409, "InvalidBucketState"))
        self.assertEqual(s3.get_bucket_versioning(Bucket="r28-unversioned")["Status"], "Enabled")

    def test_a_default_retention_is_a_mode_and_days_or_years(self):
        s3 = self.versioned("740000000003", "r28-malformed")
        for retention in ({"Mode": "GOVERNANCE", "Days": 1, "Years": 1}, {"Mode": "GOVERNANCE"}, {"Days": 1}):
            with self.subTest(retention=retention):
                self.assertEqual(status(self.lock, s3, "r28-malformed", **retention), (400, "MalformedXML"))
        self.assertEqual(code(s3.get_object_lock_configuration, Bucket="r28-malformed")[0],
                         "ObjectLockConfigurationNotFoundError", "nothing was put")

    def test_an_upload_under_a_retention_period_needs_content_md5_or_a_checksum(self):
        acct = "740000000004"
        s3 = self.versioned(acct, "r28-integrity")
        self.lock(s3, "r28-integrity")
        bare = client("s3", acct, NO_CHECKSUM)
        self.assertEqual(status(bare.put_object, Bucket="r28-integrity", Key="no-retention", Body=b"1"), (200, None),
                         "no retention period: no integrity header needed")
        self.lock(s3, "r28-integrity", Mode="GOVERNANCE", Days=1)
        c, msg = code(bare.put_object, Bucket="r28-integrity", Key="k", Body=b"1")
        self.assertEqual((c, msg), ("InvalidRequest", "Content-MD5 OR x-amz-checksum- HTTP header is required for Put "
                                                      "Object requests with Object Lock parameters"))
        md5 = base64.b64encode(hashlib.md5(b"1").digest()).decode()
        crc = base64.b64encode(zlib.crc32(b"1").to_bytes(4, "big")).decode()
        self.assertEqual(status(bare.put_object, Bucket="r28-integrity", Key="md5", Body=b"1", ContentMD5=md5), (200, None))
        self.assertEqual(status(bare.put_object, Bucket="r28-integrity", Key="crc", Body=b"1", ChecksumCRC32=crc),
                         (200, None), "a lone x-amz-checksum-crc32")
        self.assertEqual(status(s3.put_object, Bucket="r28-integrity", Key="sdk", Body=b"1"), (200, None),
                         "an SDK's default checksum")
        self.assertEqual(keys(s3, "r28-integrity"), ["crc", "md5", "no-retention", "sdk"])

    def test_retained_versions_are_deleted_only_with_a_real_governance_bypass(self):
        acct = "740000000005"
        s3 = self.versioned(acct, "r28-delete")
        self.lock(s3, "r28-delete", Mode="GOVERNANCE", Days=1)
        v = s3.put_object(Bucket="r28-delete", Key="g", Body=b"1")["VersionId"]
        self.assertEqual(status(s3.delete_object, Bucket="r28-delete", Key="g", VersionId=v), (403, "AccessDenied"))
        self.assertEqual(status(s3.delete_object, Bucket="r28-delete", Key="g", VersionId=v,
                                BypassGovernanceRetention=False), (403, "AccessDenied"), "moto bypassed for 'false'")
        marker = s3.delete_object(Bucket="r28-delete", Key="g")
        self.assertTrue(marker["DeleteMarker"], "without VersionId: a delete marker")
        self.assertEqual(s3.head_object(Bucket="r28-delete", Key="g", VersionId=v)["VersionId"], v)
        put_policy(s3, "r28-delete", {"Effect": "Deny", "Principal": "*", "Action": "s3:BypassGovernanceRetention",
                                      "Resource": "arn:aws:s3:::r28-delete/*"})
        self.assertEqual(status(s3.delete_object, Bucket="r28-delete", Key="g", VersionId=v,
                                BypassGovernanceRetention=True), (403, "AccessDenied"), "no s3:BypassGovernanceRetention")
        s3.delete_bucket_policy(Bucket="r28-delete")
        self.assertEqual(status(s3.delete_object, Bucket="r28-delete", Key="g", VersionId=v,
                                BypassGovernanceRetention=True), (204, None))
        self.lock(s3, "r28-delete", Mode="COMPLIANCE", Days=1)
        c = s3.put_object(Bucket="r28-delete", Key="c", Body=b"1")["VersionId"]
        self.assertEqual(status(s3.delete_object, Bucket="r28-delete", Key="c", VersionId=c,
                                BypassGovernanceRetention=True), (403, "AccessDenied"), "never under COMPLIANCE")
        out = s3.delete_objects(Bucket="r28-delete", Delete={"Objects": [{"Key": "c", "VersionId": c}]},
                                BypassGovernanceRetention=True)
        self.assertEqual([e["Code"] for e in out.get("Errors", [])], ["AccessDenied"])

    def test_conditional_writes_on_a_versioned_bucket(self):
        s3 = self.versioned("740000000006", "r28-conditional")
        first = s3.put_object(Bucket="r28-conditional", Key="k", Body=b"1", IfNoneMatch="*")
        self.assertEqual(status(s3.put_object, Bucket="r28-conditional", Key="k", Body=b"2", IfNoneMatch="*"),
                         (412, "PreconditionFailed"))
        s3.put_object(Bucket="r28-conditional", Key="k", Body=b"3", IfMatch=first["ETag"])
        self.assertEqual(status(s3.put_object, Bucket="r28-conditional", Key="k", Body=b"4", IfMatch=first["ETag"]),
                         (412, "PreconditionFailed"), "a stale ETag after an overwrite")
        s3.delete_object(Bucket="r28-conditional", Key="k")
        self.assertEqual(status(s3.put_object, Bucket="r28-conditional", Key="k", Body=b"5", IfMatch=first["ETag"]),
                         (404, "NoSuchKey"), "If-Match over a delete marker")
        self.assertEqual(status(s3.put_object, Bucket="r28-conditional", Key="k", Body=b"6", IfNoneMatch="*"),
                         (200, None), "If-None-Match over a delete marker")

    def test_object_lock_calls_are_named_and_follow_the_bucket_policy(self):
        acct = "740000000007"
        s3 = self.versioned(acct, "r28-policy")
        put_policy(s3, "r28-policy", {"Effect": "Deny", "Principal": "*", "Action": "s3:PutBucketObjectLockConfiguration",
                                      "Resource": "arn:aws:s3:::r28-policy"})
        self.assertEqual(status(self.lock, s3, "r28-policy", Mode="GOVERNANCE", Days=1), (403, "AccessDenied"))
        ops = [c["operation"] for c in localaws.STATE.calls if c["account"] == acct and c["service"] == "s3"]
        self.assertIn("PutObjectLockConfiguration", ops)


if __name__ == "__main__":
    unittest.main()
