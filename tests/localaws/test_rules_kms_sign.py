"""R29 (KMS asymmetric signing keys: Sign, Verify, GetPublicKey) and R30 (the Resource Groups Tagging
API's GetResources), each tested against the running layer with boto3, signatures checked with
`cryptography` as a verifier outside KMS would check them.

Customer and Speedscale are different accounts throughout; nothing leaves 127.0.0.1.
"""

import base64
import hashlib
import json
import logging
import threading
import unittest
import urllib.request

import boto3
import botocore.config
import botocore.model
from botocore.exceptions import ClientError
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, utils
from cryptography.hazmat.primitives.serialization import load_der_public_key
from werkzeug.serving import make_server

logging.getLogger("werkzeug").setLevel(logging.ERROR)

import localaws  # noqa: E402
from moto.moto_server.werkzeug_app import DomainDispatcherApplication, MotoRequestHandler, create_backend_app  # noqa: E402

CUSTOMER, SPEEDSCALE, OTHER = "729000000001", "729000000002", "729000000003"
TAGGER, TAGGER_OTHER, QUOTA_ACCOUNT = "739000000001", "739000000002", "739000000003"
REGION = "us-east-1"
NO_RETRY = botocore.config.Config(retries={"total_max_attempts": 1, "mode": "standard"})
ALIAS = "alias/speedscale-cmek-evidence"
CANONICAL = json.dumps({"bucket": "acme-data", "checks": [{"id": "s3-default-encryption", "verdict": "pass"}],
                        "tenant": "acme"}, separators=(",", ":"), sort_keys=True).encode()


def setUpModule():
    global SERVER, URL
    app = localaws.Fidelity(DomainDispatcherApplication(create_backend_app))
    SERVER = make_server("127.0.0.1", 0, app, threaded=True, request_handler=MotoRequestHandler)
    URL = f"http://127.0.0.1:{SERVER.server_address[1]}"
    threading.Thread(target=SERVER.serve_forever, daemon=True).start()


def tearDownModule():
    SERVER.shutdown()


def client(service, account, region=REGION):
    return boto3.client(service, endpoint_url=URL, region_name=region, config=NO_RETRY,
                        aws_access_key_id=f"AKIA{account}TEST", aws_secret_access_key="x")


def cbor_client(service, account):
    """A client speaking Smithy RPC v2 CBOR (as an SDK generated from the current model may)."""
    saved = botocore.model.PRIORITY_ORDERED_SUPPORTED_PROTOCOLS
    botocore.model.PRIORITY_ORDERED_SUPPORTED_PROTOCOLS = ("smithy-rpc-v2-cbor",) + tuple(
        p for p in saved if p != "smithy-rpc-v2-cbor")
    try:
        c = client(service, account)
        assert c.meta.service_model.resolved_protocol == "smithy-rpc-v2-cbor"
        return c
    finally:
        botocore.model.PRIORITY_ORDERED_SUPPORTED_PROTOCOLS = saved


def code(fn, *a, **kw):
    try:
        fn(*a, **kw)
    except ClientError as e:
        return e.response["Error"]["Code"], e.response["Error"].get("Message", "")
    return None, ""


def control(path, data):
    req = urllib.request.Request(URL + path, data=json.dumps(data).encode(), method="POST")
    return json.loads(urllib.request.urlopen(req).read())


def root(account):
    return f"arn:aws:iam::{account}:root"


def signing_key(account=SPEEDSCALE, statements=(), **kw):
    """An ECC_NIST_P256 SIGN_VERIFY key as cmek creates it (with Tags; policy: the account, plus statements)."""
    pol = {"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Principal": {"AWS": root(account)}, "Action": "kms:*", "Resource": "*"}] + list(statements)}
    meta = client("kms", account).create_key(
        KeySpec="ECC_NIST_P256", KeyUsage="SIGN_VERIFY", Policy=json.dumps(pol),
        Tags=[{"TagKey": "speedscale:purpose", "TagValue": "cmek-evidence"}], **kw)["KeyMetadata"]
    return meta


def sign_digest(kms, key, message=CANONICAL, **kw):
    return kms.sign(KeyId=key, Message=hashlib.sha256(message).digest(), MessageType="DIGEST",
                    SigningAlgorithm="ECDSA_SHA_256", **kw)


def public_key(kms, key):
    return load_der_public_key(kms.get_public_key(KeyId=key)["PublicKey"])


class R29SignDigestVerifiesOutsideKms(unittest.TestCase):
    def test_a_digest_is_signed_as_given_and_verifies_with_cryptography_over_the_canonical_bytes(self):
        kms = client("kms", SPEEDSCALE)
        meta = signing_key()
        self.assertEqual((meta["KeySpec"], meta["KeyUsage"], meta["SigningAlgorithms"]),
                         ("ECC_NIST_P256", "SIGN_VERIFY", ["ECDSA_SHA_256"]))
        kms.create_alias(AliasName=ALIAS, TargetKeyId=meta["KeyId"])
        described = kms.describe_key(KeyId=ALIAS)["KeyMetadata"]
        self.assertEqual(described["Arn"], meta["Arn"])
        out = sign_digest(kms, ALIAS)
        self.assertEqual(out["KeyId"], meta["Arn"], "KeyId: the key ARN, also when named by alias")
        self.assertEqual(out["SigningAlgorithm"], "ECDSA_SHA_256")
        pub = public_key(kms, ALIAS)
        self.assertIsInstance(pub, ec.EllipticCurvePublicKey)
        self.assertEqual(pub.curve.name, "secp256r1")
        pub.verify(out["Signature"], CANONICAL, ec.ECDSA(hashes.SHA256()))  # raises if hashed twice
        pub.verify(out["Signature"], hashlib.sha256(CANONICAL).digest(), ec.ECDSA(utils.Prehashed(hashes.SHA256())))
        with self.assertRaises(InvalidSignature, msg="not a signature over the digest hashed again"):
            pub.verify(out["Signature"], hashlib.sha256(CANONICAL).digest(), ec.ECDSA(hashes.SHA256()))
        r, s = utils.decode_dss_signature(out["Signature"])  # DER: SEQUENCE { INTEGER r, INTEGER s }
        self.assertTrue(r > 0 and s > 0)
        self.assertEqual(out["Signature"][0], 0x30, "a DER SEQUENCE")
        kms.delete_alias(AliasName=ALIAS)

    def test_a_raw_message_is_hashed_once_and_message_and_digest_are_the_same_message(self):
        kms = client("kms", SPEEDSCALE)
        arn = signing_key()["Arn"]
        raw = kms.sign(KeyId=arn, Message=CANONICAL, SigningAlgorithm="ECDSA_SHA_256")  # MessageType RAW
        public_key(kms, arn).verify(raw["Signature"], CANONICAL, ec.ECDSA(hashes.SHA256()))
        digest = hashlib.sha256(CANONICAL).digest()
        self.assertTrue(kms.verify(KeyId=arn, Message=digest, MessageType="DIGEST", Signature=raw["Signature"],
                                   SigningAlgorithm="ECDSA_SHA_256")["SignatureValid"])
        signed = sign_digest(kms, arn)["Signature"]
        self.assertTrue(kms.verify(KeyId=arn, Message=CANONICAL, MessageType="RAW", Signature=signed,
                                   SigningAlgorithm="ECDSA_SHA_256")["SignatureValid"])


class R29Verify(unittest.TestCase):
    def setUp(self):
        self.kms = client("kms", SPEEDSCALE)
        self.arn = signing_key()["Arn"]
        self.sig = sign_digest(self.kms, self.arn)["Signature"]

    def verify(self, message=CANONICAL, signature=None, mtype="DIGEST"):
        msg = hashlib.sha256(message).digest() if mtype == "DIGEST" else message
        return self.kms.verify(KeyId=self.arn, Message=msg, MessageType=mtype,
                               Signature=self.sig if signature is None else signature, SigningAlgorithm="ECDSA_SHA_256")

    def test_a_good_signature_is_valid(self):
        out = self.verify()
        self.assertEqual((out["SignatureValid"], out["KeyId"], out["SigningAlgorithm"]),
                         (True, self.arn, "ECDSA_SHA_256"))

    def test_a_bad_signature_is_kms_invalid_signature_exception(self):
        self.assertEqual(code(self.verify, message=CANONICAL + b" ")[0], "KMSInvalidSignatureException")
        tampered = self.sig[:-1] + bytes([self.sig[-1] ^ 1])
        self.assertEqual(code(self.verify, signature=tampered)[0], "KMSInvalidSignatureException")
        self.assertEqual(code(self.verify, signature=b"not DER at all")[0], "KMSInvalidSignatureException")
        other = signing_key()["Arn"]
        self.assertEqual(code(self.kms.verify, KeyId=other, Message=hashlib.sha256(CANONICAL).digest(),
                              MessageType="DIGEST", Signature=self.sig, SigningAlgorithm="ECDSA_SHA_256")[0],
                         "KMSInvalidSignatureException", "another key's signature")
        self.assertEqual(code(self.verify, message=hashlib.sha256(CANONICAL).digest(), mtype="RAW")[0],
                         "KMSInvalidSignatureException", "the digest as a RAW message is hashed: another message")


class R29MessageRules(unittest.TestCase):
    def setUp(self):
        self.kms = client("kms", SPEEDSCALE)
        self.arn = signing_key()["Arn"]

    def test_a_digest_must_be_the_algorithms_hash_length(self):
        for n in (31, 33, 48, 64):
            with self.subTest(bytes=n):
                c, msg = code(self.kms.sign, KeyId=self.arn, Message=b"\x01" * n, MessageType="DIGEST",
                              SigningAlgorithm="ECDSA_SHA_256")
                self.assertEqual(c, "ValidationException")
                self.assertIn("invalid length", msg)
                self.assertEqual(code(self.kms.verify, KeyId=self.arn, Message=b"\x01" * n, MessageType="DIGEST",
                                      Signature=b"0", SigningAlgorithm="ECDSA_SHA_256")[0], "ValidationException")
        self.assertIsNone(code(self.kms.sign, KeyId=self.arn, Message=b"\x01" * 32, MessageType="DIGEST",
                               SigningAlgorithm="ECDSA_SHA_256")[0])

    def test_raw_messages_up_to_4096_bytes(self):
        self.assertIsNone(code(self.kms.sign, KeyId=self.arn, Message=b"x" * 4096, SigningAlgorithm="ECDSA_SHA_256")[0])
        c, msg = code(self.kms.sign, KeyId=self.arn, Message=b"x" * 4097, MessageType="RAW",
                      SigningAlgorithm="ECDSA_SHA_256")
        self.assertEqual(c, "ValidationException")
        self.assertIn("4096", msg)
        self.assertEqual(code(self.kms.verify, KeyId=self.arn, Message=b"x" * 4097, Signature=b"0",
                              SigningAlgorithm="ECDSA_SHA_256")[0], "ValidationException")

    def test_an_algorithm_the_key_does_not_support_is_invalid_key_usage(self):
        c, msg = code(self.kms.sign, KeyId=self.arn, Message=b"x", SigningAlgorithm="ECDSA_SHA_384")
        self.assertEqual(c, "InvalidKeyUsageException")
        self.assertEqual(code(self.kms.sign, KeyId=self.arn, Message=b"x", SigningAlgorithm="RSASSA_PSS_SHA_256")[0],
                         "InvalidKeyUsageException")

    def test_a_dry_run_sign_is_refused_as_dry_run_and_signs_nothing(self):
        self.assertEqual(code(sign_digest, self.kms, self.arn, DryRun=True)[0], "DryRunOperationException")
        self.assertEqual(code(self.kms.sign, KeyId=self.arn, Message=b"\x01" * 31, MessageType="DIGEST",
                              SigningAlgorithm="ECDSA_SHA_256", DryRun=True)[0], "ValidationException",
                         "a DryRun that would fail gets the failure")


class R29KeyUsage(unittest.TestCase):
    def test_sign_and_verify_need_a_sign_verify_key_and_encryption_a_symmetric_one(self):
        kms = client("kms", SPEEDSCALE)
        symmetric = kms.create_key()["KeyMetadata"]["Arn"]
        self.assertEqual(code(kms.sign, KeyId=symmetric, Message=b"x", SigningAlgorithm="ECDSA_SHA_256")[0],
                         "InvalidKeyUsageException")
        self.assertEqual(code(kms.verify, KeyId=symmetric, Message=b"x", Signature=b"0",
                              SigningAlgorithm="ECDSA_SHA_256")[0], "InvalidKeyUsageException")
        rsa_encrypt = kms.create_key(KeySpec="RSA_2048", KeyUsage="ENCRYPT_DECRYPT")["KeyMetadata"]["Arn"]
        self.assertEqual(code(kms.sign, KeyId=rsa_encrypt, Message=b"x", SigningAlgorithm="RSASSA_PSS_SHA_256")[0],
                         "InvalidKeyUsageException")
        signer = signing_key()["Arn"]
        for fn, kw in ((kms.encrypt, {"Plaintext": b"x"}), (kms.generate_data_key, {"KeySpec": "AES_256"})):
            with self.subTest(op=fn.__name__):
                self.assertEqual(code(fn, KeyId=signer, **kw)[0], "InvalidKeyUsageException")

    def test_get_public_key_answers_spec_usage_algorithms_and_the_key_arn(self):
        kms = client("kms", SPEEDSCALE)
        meta = signing_key()
        out = kms.get_public_key(KeyId=meta["KeyId"])
        self.assertEqual(out["KeyId"], meta["Arn"], "the key ARN, not its id")
        self.assertEqual((out["KeySpec"], out["CustomerMasterKeySpec"], out["KeyUsage"], out["SigningAlgorithms"]),
                         ("ECC_NIST_P256", "ECC_NIST_P256", "SIGN_VERIFY", ["ECDSA_SHA_256"]))
        self.assertNotIn("EncryptionAlgorithms", out)
        self.assertIsInstance(load_der_public_key(out["PublicKey"]), ec.EllipticCurvePublicKey)
        symmetric = kms.create_key()["KeyMetadata"]["Arn"]
        self.assertEqual(code(kms.get_public_key, KeyId=symmetric)[0], "UnsupportedOperationException")
        rsa = kms.create_key(KeySpec="RSA_2048", KeyUsage="ENCRYPT_DECRYPT")["KeyMetadata"]["Arn"]
        out = kms.get_public_key(KeyId=rsa)
        self.assertEqual((out["KeyUsage"], out["EncryptionAlgorithms"]),
                         ("ENCRYPT_DECRYPT", ["RSAES_OAEP_SHA_1", "RSAES_OAEP_SHA_256"]))
        self.assertNotIn("SigningAlgorithms", out)

    def test_an_rsa_digest_is_not_hashed_again_either(self):
        from cryptography.hazmat.primitives.asymmetric import padding
        kms = client("kms", SPEEDSCALE)
        arn = kms.create_key(KeySpec="RSA_2048", KeyUsage="SIGN_VERIFY")["KeyMetadata"]["Arn"]
        sig = kms.sign(KeyId=arn, Message=hashlib.sha256(CANONICAL).digest(), MessageType="DIGEST",
                       SigningAlgorithm="RSASSA_PKCS1_V1_5_SHA_256")["Signature"]
        public_key(kms, arn).verify(sig, CANONICAL, padding.PKCS1v15(), hashes.SHA256())


class R29KeyStateAndPolicy(unittest.TestCase):
    def test_a_disabled_key_refuses_sign_verify_and_get_public_key(self):
        kms = client("kms", SPEEDSCALE)
        arn = signing_key()["Arn"]
        sig = sign_digest(kms, arn)["Signature"]
        kms.disable_key(KeyId=arn)
        self.assertEqual(code(sign_digest, kms, arn)[0], "DisabledException")
        self.assertEqual(code(kms.verify, KeyId=arn, Message=hashlib.sha256(CANONICAL).digest(), MessageType="DIGEST",
                              Signature=sig, SigningAlgorithm="ECDSA_SHA_256")[0], "DisabledException")
        self.assertEqual(code(kms.get_public_key, KeyId=arn)[0], "DisabledException")
        self.assertEqual(kms.describe_key(KeyId=arn)["KeyMetadata"]["KeyState"], "Disabled", "describe still works")
        kms.enable_key(KeyId=arn)
        self.assertIsNone(code(sign_digest, kms, arn)[0])
        kms.schedule_key_deletion(KeyId=arn, PendingWindowInDays=7)
        self.assertEqual(code(sign_digest, kms, arn)[0], "KMSInvalidStateException")
        self.assertEqual(code(kms.get_public_key, KeyId=arn)[0], "KMSInvalidStateException")

    def test_the_key_policy_decides_and_another_account_names_the_key_by_arn(self):
        allow = {"Effect": "Allow", "Principal": {"AWS": root(SPEEDSCALE)}, "Action": ["kms:Verify", "kms:GetPublicKey"],
                 "Resource": "*"}
        owner = client("kms", CUSTOMER)
        meta = signing_key(CUSTOMER, [allow])
        sig = sign_digest(owner, meta["Arn"])["Signature"]
        kms = client("kms", SPEEDSCALE)
        c, msg = code(sign_digest, kms, meta["Arn"])
        self.assertEqual(c, "AccessDeniedException")
        self.assertIn("kms:Sign", msg)
        self.assertTrue(kms.verify(KeyId=meta["Arn"], Message=hashlib.sha256(CANONICAL).digest(), MessageType="DIGEST",
                                   Signature=sig, SigningAlgorithm="ECDSA_SHA_256")["SignatureValid"])
        self.assertEqual(kms.get_public_key(KeyId=meta["Arn"])["KeyId"], meta["Arn"])
        self.assertEqual(code(kms.get_public_key, KeyId=meta["KeyId"])[0], "NotFoundException",
                         "another account's key by bare key id is looked up in the caller's account")
        self.assertEqual(code(client("kms", OTHER).get_public_key, KeyId=meta["Arn"])[0], "AccessDeniedException")


# ---------------------------------------------------------------------------------------------
# R30


TENANT = "speedscale:tenant"
TYPES = ["s3", "firehose:deliverystream", "rds:db", "rds:cluster", "sqs", "sns"]


def tenant_tags(tenant):
    return [{"Key": TENANT, "Value": tenant}]


def all_pages(rg, **kw):
    """Every page of one query as cmek walks it: until the token is empty or absent."""
    pages, token = [], None
    while True:
        out = rg.get_resources(**kw, **({"PaginationToken": token} if token else {}))
        pages.append(out)
        token = out.get("PaginationToken")
        if not token:
            return pages
        if len(pages) > 50:
            raise AssertionError("no end of pages")


def arns(pages):
    return [m["ResourceARN"] for p in pages for m in p["ResourceTagMappingList"]]


def make_tenant_resources(account, tenant, region=REGION):
    """One resource of each kind cmek lists, tagged each way cmek's kinds are tagged; their ARNs."""
    acct = account
    s3 = client("s3", acct, region)
    bucket = f"r30-{tenant}-{acct}"
    kw = {} if region == "us-east-1" else {"CreateBucketConfiguration": {"LocationConstraint": region}}
    s3.create_bucket(Bucket=bucket, **kw)
    s3.put_bucket_tagging(Bucket=bucket, Tagging={"TagSet": tenant_tags(tenant)})
    fh = client("firehose", acct, region)
    dest = {"RoleARN": f"arn:aws:iam::{acct}:role/r30", "BucketARN": f"arn:aws:s3:::{bucket}"}
    fh.create_delivery_stream(DeliveryStreamName=f"r30-{tenant}-a", S3DestinationConfiguration=dest,
                              Tags=tenant_tags(tenant))
    fh.create_delivery_stream(DeliveryStreamName=f"r30-{tenant}-b", S3DestinationConfiguration=dest)
    fh.tag_delivery_stream(DeliveryStreamName=f"r30-{tenant}-b", Tags=tenant_tags(tenant))
    rds = client("rds", acct, region)
    db = dict(DBInstanceClass="db.t3.micro", Engine="postgres", MasterUsername="u", MasterUserPassword="password123456",
              AllocatedStorage=20)
    a = rds.create_db_instance(DBInstanceIdentifier=f"r30-{tenant}-a", Tags=tenant_tags(tenant), **db)
    b = rds.create_db_instance(DBInstanceIdentifier=f"r30-{tenant}-b", **db)
    rds.add_tags_to_resource(ResourceName=b["DBInstance"]["DBInstanceArn"], Tags=tenant_tags(tenant))
    cluster = rds.create_db_cluster(DBClusterIdentifier=f"r30-{tenant}-c", Engine="aurora-postgresql",
                                    MasterUsername="u", MasterUserPassword="password123456",
                                    Tags=tenant_tags(tenant))["DBCluster"]["DBClusterArn"]
    sqs = client("sqs", acct, region)
    sqs.create_queue(QueueName=f"r30-{tenant}-a", tags={TENANT: tenant})
    url = sqs.create_queue(QueueName=f"r30-{tenant}-b")["QueueUrl"]
    sqs.tag_queue(QueueUrl=url, Tags={TENANT: tenant})
    sns = client("sns", acct, region)
    t1 = sns.create_topic(Name=f"r30-{tenant}-a", Tags=tenant_tags(tenant))["TopicArn"]
    t2 = sns.create_topic(Name=f"r30-{tenant}-b")["TopicArn"]
    sns.tag_resource(ResourceArn=t2, Tags=tenant_tags(tenant))
    base = f"{region}:{acct}"
    return {"s3": [f"arn:aws:s3:::{bucket}"],
            "firehose:deliverystream": [f"arn:aws:firehose:{base}:deliverystream/r30-{tenant}-{x}" for x in "ab"],
            "rds:db": [a["DBInstance"]["DBInstanceArn"], b["DBInstance"]["DBInstanceArn"]],
            "rds:cluster": [cluster],
            "sqs": [f"arn:aws:sqs:{base}:r30-{tenant}-{x}" for x in "ab"],
            "sns": [t1, t2]}


class R30GetResources(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.expected = make_tenant_resources(TAGGER, "acme")
        make_tenant_resources(TAGGER, "globex")
        # untagged resources and another account's are never listed
        client("sqs", TAGGER).create_queue(QueueName="r30-untagged")
        client("s3", TAGGER).create_bucket(Bucket=f"r30-untagged-{TAGGER}")
        client("sqs", TAGGER_OTHER).create_queue(QueueName="r30-acme-other", tags={TENANT: "acme"})

    def test_each_kind_is_listed_with_its_arn_and_tags(self):
        rg = client("resourcegroupstaggingapi", TAGGER)
        pages = all_pages(rg, TagFilters=[{"Key": TENANT, "Values": ["acme"]}], ResourceTypeFilters=TYPES,
                          ResourcesPerPage=100)
        want = sorted(a for v in self.expected.values() for a in v)
        self.assertEqual(sorted(arns(pages)), want)
        for m in pages[0]["ResourceTagMappingList"]:
            self.assertIn({"Key": TENANT, "Value": "acme"}, m["Tags"])
        for kind, kind_arns in self.expected.items():
            with self.subTest(kind=kind):
                got = arns(all_pages(rg, TagFilters=[{"Key": TENANT, "Values": ["acme"]}], ResourceTypeFilters=[kind]))
                self.assertEqual(sorted(got), sorted(kind_arns))
        both = arns(all_pages(rg, TagFilters=[{"Key": TENANT, "Values": ["acme", "globex"]}], ResourceTypeFilters=["sqs"]))
        self.assertEqual(len(both), 4, "any of a filter's values")
        self.assertEqual(arns(all_pages(rg, TagFilters=[{"Key": TENANT, "Values": ["acme"]},
                                                        {"Key": TENANT, "Values": ["globex"]}])), [],
                         "every filter must hold")
        self.assertEqual(arns(all_pages(client("resourcegroupstaggingapi", TAGGER_OTHER),
                                        TagFilters=[{"Key": TENANT, "Values": ["acme"]}], ResourceTypeFilters=["s3"])),
                         [], "another account's resources are its own")

    def test_only_the_callers_region(self):
        bucket = f"r30-west-{TAGGER}"
        west = client("s3", TAGGER, "us-west-2")
        west.create_bucket(Bucket=bucket, CreateBucketConfiguration={"LocationConstraint": "us-west-2"})
        west.put_bucket_tagging(Bucket=bucket, Tagging={"TagSet": tenant_tags("initech")})
        client("sqs", TAGGER, "us-west-2").create_queue(QueueName="r30-west", tags={TENANT: "initech"})
        flt = {"TagFilters": [{"Key": TENANT, "Values": ["initech"]}], "ResourceTypeFilters": ["s3", "sqs"]}
        self.assertEqual(arns(all_pages(client("resourcegroupstaggingapi", TAGGER), **flt)), [],
                         "moto alone lists the us-west-2 bucket in us-east-1")
        self.assertEqual(sorted(arns(all_pages(client("resourcegroupstaggingapi", TAGGER, "us-west-2"), **flt))),
                         [f"arn:aws:s3:::{bucket}", f"arn:aws:sqs:us-west-2:{TAGGER}:r30-west"])

    def test_a_resource_whose_tags_were_removed_or_that_was_deleted_is_not_listed(self):
        sqs = client("sqs", TAGGER)
        url = sqs.create_queue(QueueName="r30-gone", tags={TENANT: "umbrella"})["QueueUrl"]
        url2 = sqs.create_queue(QueueName="r30-untag", tags={TENANT: "umbrella"})["QueueUrl"]
        rg = client("resourcegroupstaggingapi", TAGGER)
        flt = {"TagFilters": [{"Key": TENANT, "Values": ["umbrella"]}]}
        self.assertEqual(len(arns(all_pages(rg, **flt))), 2)
        sqs.delete_queue(QueueUrl=url)
        sqs.untag_queue(QueueUrl=url2, TagKeys=[TENANT])
        self.assertEqual(arns(all_pages(rg, **flt)), [])


class R30Pages(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        sqs = client("sqs", TAGGER)
        cls.queues = sorted(f"arn:aws:sqs:{REGION}:{TAGGER}:r30-page-{i}" for i in range(7))
        for i in range(7):
            sqs.create_queue(QueueName=f"r30-page-{i}", tags={TENANT: "pages", "k2": str(i)})
        cls.flt = {"TagFilters": [{"Key": TENANT, "Values": ["pages"]}], "ResourceTypeFilters": ["sqs"]}

    def tearDown(self):
        control("/_localaws/config", {"account": TAGGER, "tagging_last_page_token": 1})
        control("/_localaws/tagging/short-pages", {"account": TAGGER, "pages": 0})

    def test_pages_of_resources_per_page_and_the_last_token_is_empty(self):
        for rg in (client("resourcegroupstaggingapi", TAGGER), cbor_client("resourcegroupstaggingapi", TAGGER)):
            with self.subTest(protocol=rg.meta.service_model.resolved_protocol):
                pages = all_pages(rg, ResourcesPerPage=3, **self.flt)
                self.assertEqual([len(p["ResourceTagMappingList"]) for p in pages], [3, 3, 1])
                self.assertTrue(all(p["PaginationToken"] for p in pages[:-1]))
                self.assertEqual(pages[-1]["PaginationToken"], "", "the last page: an empty token")
                self.assertEqual(sorted(arns(pages)), self.queues)
                paginated = [m["ResourceARN"] for p in rg.get_paginator("get_resources").paginate(
                    ResourcesPerPage=2, **self.flt) for m in p["ResourceTagMappingList"]]
                self.assertEqual(sorted(paginated), self.queues, "the SDK's paginator stops on the empty token")

    def test_the_last_token_omitted_under_the_switch(self):
        control("/_localaws/config", {"account": TAGGER, "tagging_last_page_token": 0})
        pages = all_pages(client("resourcegroupstaggingapi", TAGGER), ResourcesPerPage=5, **self.flt)
        self.assertEqual(len(pages), 2)
        self.assertNotIn("PaginationToken", pages[-1])
        self.assertIn("PaginationToken", pages[0])

    def test_short_pages_keep_their_token(self):
        control("/_localaws/tagging/short-pages", {"account": TAGGER, "pages": 2})
        pages = all_pages(client("resourcegroupstaggingapi", TAGGER), ResourcesPerPage=100, **self.flt)
        self.assertEqual([len(p["ResourceTagMappingList"]) for p in pages], [0, 0, 7])
        self.assertEqual(sorted(arns(pages)), self.queues)

    def test_a_token_answers_its_page_again_until_it_expires_and_only_to_its_account(self):
        rg = client("resourcegroupstaggingapi", TAGGER)
        first = rg.get_resources(ResourcesPerPage=4, **self.flt)
        again = rg.get_resources(ResourcesPerPage=4, PaginationToken=first["PaginationToken"], **self.flt)
        retry = rg.get_resources(ResourcesPerPage=4, PaginationToken=first["PaginationToken"], **self.flt)
        self.assertEqual(again["ResourceTagMappingList"], retry["ResourceTagMappingList"])
        self.assertEqual(code(client("resourcegroupstaggingapi", TAGGER_OTHER).get_resources,
                              PaginationToken=first["PaginationToken"])[0], "PaginationTokenExpiredException")
        self.assertEqual(code(rg.get_resources, PaginationToken="never-issued")[0], "PaginationTokenExpiredException")

    def test_tags_per_page_never_splits_a_resource(self):
        pages = all_pages(client("resourcegroupstaggingapi", TAGGER), TagsPerPage=100, **self.flt)
        self.assertEqual(len(arns(pages)), 7)  # 2 tags each: all fit in 100

    def test_parameters_out_of_range_are_invalid(self):
        rg = client("resourcegroupstaggingapi", TAGGER)
        for kw in ({"ResourcesPerPage": 0}, {"ResourcesPerPage": 101}, {"TagsPerPage": 99}, {"TagsPerPage": 501},
                   {"ResourceARNList": [self.queues[0]], "TagFilters": self.flt["TagFilters"]},
                   {"ResourceARNList": [self.queues[0]], "ResourceTypeFilters": ["sqs"]},
                   {"ResourceARNList": [self.queues[0]], "ResourcesPerPage": 5}):
            with self.subTest(**{k: str(v) for k, v in kw.items()}):
                self.assertEqual(code(rg.get_resources, **kw)[0], "InvalidParameterException")
        self.assertEqual(code(cbor_client("resourcegroupstaggingapi", TAGGER).get_resources, ResourcesPerPage=101)[0],
                         "InvalidParameterException", "the same error over RPC v2 CBOR")
        self.assertEqual(arns(all_pages(rg, ResourceARNList=[self.queues[0]])), [self.queues[0]])


class R30Quota(unittest.TestCase):
    def tearDown(self):
        localaws.QUOTA.configure({"account": QUOTA_ACCOUNT, "enabled": False})

    def test_the_sixteenth_call_in_a_second_is_throttled(self):
        localaws.QUOTA.configure({"account": QUOTA_ACCOUNT, "refill": 0.01})
        rg = client("resourcegroupstaggingapi", QUOTA_ACCOUNT)
        codes = [code(rg.get_resources)[0] for _ in range(16)]
        self.assertEqual(codes[:15], [None] * 15)
        self.assertEqual(codes[15], "ThrottledException")
        self.assertEqual(localaws.QUOTA.describe(QUOTA_ACCOUNT)["throttled"], 1)


if __name__ == "__main__":
    unittest.main()
