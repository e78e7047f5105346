"""A local AWS for cmek: moto server behind a fidelity layer that makes it behave as AWS documents.

Run: python localaws.py [--port 0]   (binds 127.0.0.1 only; prints "localaws listening on URL")
It exits when its standard input closes, so a test process that dies takes it along.

Moto speaks the wire protocols but (AWS-FACTS.md) resolves every key ARN in the caller's account,
ignores key-policy Allows, ignores DryRun, lets disabled keys encrypt, and never calls KMS from S3;
it has no S3 Batch Operations jobs, no IAM policy simulator, no Performance Insights and no CloudWatch
over Smithy RPC v2 CBOR.
Each rule of this layer fixes one of those. RULES (below) is the list: for every rule R1..R18, and
the moto bugs M1-M3 fixed at the source, what it models, the AWS documentation page and the sentence
it relies on ("cites"), and what AWS does not document ("unconfirmed"). Comments in the code name the
rule they implement (# R7 ...); test_citations.py checks that every rule named is in RULES, that every
rule cites AWS, and that docs/local-aws.md shows the same table.

  R1 caller account          R5 DryRun                    R9 call log
  R2 cross-account routing   R6 key spec and usage        R10 S3 default encryption
  R3 key policy              R7 S3 uses the key via S3    R11 Firehose: time, key via Firehose
  R4 key state               R8 faults                    R12 RDS: time, key via RDS
  R14 S3 Batch Operations    R15 multipart copy, sizes    R13 request quotas
  R16 IAM SimulatePrincipalPolicy  R17 RDS settings beside storage  R18 CloudWatch, Firehose metrics
  M1-M3 moto bugs fixed in patch_moto()

  Timings (seconds) are set with POST /_localaws/config: firehose_create, firehose_enabling,
  rds_create, rds_snapshot, rds_inaccessible, rds_modify, batch_new, batch_prepare; and batch_tasks_per_second
  (default 400), batch_kms_csv_manifest (0, the default: a CSV manifest under SSE-KMS fails the job, as
  AWS's user guide says; 1: it is read as the role), upload_part_copy_if_match (1: a differing
  x-amz-copy-source-if-match is refused with 412; 0: the part is copied anyway). Per account (a body
  with "account"): firehose_cross_account_key (1: a stream's own encryption takes a key from another
  account; 0: refused), restore_settings (0: a restored instance has neither the managed secret nor
  Performance Insights; 1: both, from the source, under its keys).

Control API (JSON, same port): POST /_localaws/config, POST /_localaws/faults, DELETE /_localaws/faults[?account=],
GET /_localaws/calls[?account=&mutating=1], DELETE /_localaws/calls[?account=], GET /_localaws/health,
POST /_localaws/quotas {"account": ID, "enabled": bool, "burst": "strict"|"one-second"},
GET /_localaws/quotas?account=ID (R13: whether on, and how many calls were throttled),
POST /_localaws/s3/size {"account","bucket","key","size"}, POST /_localaws/s3/overwrite-on-copy
{"account","bucket","key"}, POST /_localaws/s3/archive-status {"account","bucket","key","status"} (R15),
GET /_localaws/jobs[?account=] (R14: every Batch Operations job and its counts).
"""

import argparse
import base64
import csv
import datetime
import hashlib
import io
import json
import os
import re
import socket
import sys
import threading
import time
import urllib.parse
import uuid
import xml.etree.ElementTree as ET

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from moto.moto_server.werkzeug_app import (  # noqa: E402
    DomainDispatcherApplication,
    MotoRequestHandler,
    create_backend_app,
)
from werkzeug.serving import make_server  # noqa: E402
import cbor2  # noqa: E402  (R18: CloudWatch's Smithy RPC v2 CBOR)

import policy  # noqa: E402


# ---------------------------------------------------------------------------------------------
# The rules, and the AWS documentation each relies on
#
# A pure literal (test_citations.py reads it without importing moto). Per rule:
#   summary      what the layer does
#   cites        [{models, page, url, quote, seen[, seen_at]}]: the AWS page and the sentence, verbatim
#   unconfirmed  [{behaviour, status, searched[, aws_says]}]: what the layer does that AWS does not state.
#                status: "unconfirmed" (AWS is silent; the layer picks one answer), "not-documented" (AWS
#                documents something else, quoted in aws_says; the behaviour stays until the code that
#                depends on it changes), "harness" (a test instrument, no claim about AWS)
# seen: where the quote was read. "docs"/"pages": the stored copy of the page (seen_at when a mirror of
# the same page); "archive": the page's source in the awsdocs/<guide> GitHub repository (June 2023
# snapshot); "api-model": the API reference text as shipped in the AWS SDK service model.

RULES = {
    "R1": {
        "summary": "The caller's account comes from the access key (AKIA<12-digit account>..., or STS assumed-role "
                   "credentials, which sign as the role's account) and is sent to moto as x-moto-account-id.",
        "cites": [
            {"models": "every request is signed by a principal of one account; the access key identifies it",
             "page": "GetAccessKeyInfo - AWS Security Token Service API Reference",
             "url": "https://docs.aws.amazon.com/STS/latest/APIReference/API_GetAccessKeyInfo.html",
             "quote": "Returns the account identifier for the specified access key ID.",
             "seen": "api-model"},
            {"models": "the credentials, not a parameter, decide who calls (GetCallerIdentity answers for them)",
             "page": "GetCallerIdentity - AWS Security Token Service API Reference",
             "url": "https://docs.aws.amazon.com/STS/latest/APIReference/API_GetCallerIdentity.html",
             "quote": "Returns details about the IAM user or role whose credentials are used to call the operation.",
             "seen": "api-model"},
        ],
        "unconfirmed": [
            {"behaviour": "an access key id AKIA<12 digits>... signs as that 12-digit account",
             "status": "harness",
             "searched": "a test convention shared with moto, not AWS behaviour: real access key ids do not carry "
                         "the account id in the clear (AWS resolves it with sts:GetAccessKeyInfo)"},
        ],
    },
    "R2": {
        "summary": "KMS calls naming a key ARN go to the ARN's account for the operations that work cross-account "
                   "(DescribeKey, Encrypt, Decrypt, GenerateDataKey*, ReEncrypt*, CreateGrant, ListGrants, "
                   "RevokeGrant, GetKeyRotationStatus, ...); other operations stay in the caller's account (NotFound). "
                   "The owner may name its own key by ARN in DisableKey etc. (moto answers HTTP 500).",
        "cites": [
            {"models": "only some operations work on a key in another account",
             "page": "Allowing users in other accounts to use a KMS key - AWS Key Management Service",
             "url": "https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-modifying-external-accounts.html",
             "quote": "Cross-account permission is effective only for the following operations:",
             "seen": "archive"},
            {"models": "other operations on another account's key fail whatever the policies say",
             "page": "Allowing users in other accounts to use a KMS key - AWS Key Management Service",
             "url": "https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-modifying-external-accounts.html",
             "quote": "If you give a user in a different account permission for other operations, those permissions "
                      "have no effect.",
             "seen": "archive"},
            {"models": "DisableKey (and EnableKey, ScheduleKeyDeletion) are not cross-account",
             "page": "DisableKey - AWS Key Management Service",
             "url": "https://docs.aws.amazon.com/kms/latest/APIReference/API_DisableKey.html",
             "quote": "Cross-account use: No. You cannot perform this operation on a KMS key in a different AWS "
                      "account.",
             "seen": "docs", "seen_at": "https://docs.aws.amazon.com/goto/WebAPI/kms/DisableKey"},
            {"models": "the owner may name its own key by key ARN",
             "page": "DisableKey - AWS Key Management Service",
             "url": "https://docs.aws.amazon.com/kms/latest/APIReference/API_DisableKey.html",
             "quote": "Specify the key ID or key ARN of the KMS key.",
             "seen": "docs", "seen_at": "https://docs.aws.amazon.com/goto/WebAPI/kms/DisableKey"},
        ],
        "unconfirmed": [
            {"behaviour": "the error code for a non-cross-account operation (GetKeyPolicy, DisableKey, ...) naming "
                          "another account's key ARN: the layer answers NotFoundException",
             "status": "unconfirmed",
             "searched": "key-policy-modifying-external-accounts.html and the DisableKey/EnableKey API reference "
                         "say the call fails, not with which error code"},
            {"behaviour": "a key ARN of another Region answers NotFoundException",
             "status": "unconfirmed",
             "searched": "KMS API reference (KeyId parameter) and multi-Region key overview: keys are Regional, no "
                         "error code documented for a key ARN of another Region"},
        ],
    },
    "R3": {
        "summary": "The key policy decides: it must Allow the caller's account or principal for kms:<Action> with "
                   "every condition holding for this request; an explicit Deny wins; otherwise AccessDeniedException "
                   "worded as AWS words it. Direct calls carry kms:CallerAccount, kms:EncryptionContext:*, "
                   "kms:GrantIsForAWSResource=false, kms:GrantOperations and aws:PrincipalArn, never kms:ViaService.",
        "cites": [
            {"models": "every key has one key policy, and it is the primary control",
             "page": "Key policies in AWS KMS - AWS Key Management Service",
             "url": "https://docs.aws.amazon.com/kms/latest/developerguide/key-policies.html",
             "quote": "Every KMS key must have exactly one key policy.",
             "seen": "archive"},
            {"models": "without an Allow in the key policy nothing else can allow",
             "page": "Key policies in AWS KMS - AWS Key Management Service",
             "url": "https://docs.aws.amazon.com/kms/latest/developerguide/key-policies.html",
             "quote": "Unless the key policy explicitly allows it, you cannot use IAM policies to allow access to a "
                      "KMS key.",
             "seen": "archive"},
            {"models": "an explicit Deny wins",
             "page": "Policy evaluation logic / Access management - AWS Identity and Access Management",
             "url": "https://docs.aws.amazon.com/IAM/latest/UserGuide/access.html",
             "quote": "An explicit deny in any policy overrides any allows.",
             "seen": "archive"},
            {"models": "AWS's AccessDenied wording for a refusal by a resource-based (key) policy",
             "page": "Troubleshooting access denied error messages - AWS Identity and Access Management",
             "url": "https://docs.aws.amazon.com/IAM/latest/UserGuide/troubleshoot_access-denied.html",
             "quote": "because no resource-based policy allows the secretsmanager:GetSecretValue action",
             "seen": "archive"},
            {"models": "a condition key missing from the request makes positive operators false",
             "page": "IAM JSON policy elements: Condition operators - AWS Identity and Access Management",
             "url": "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html",
             "quote": "If the key that you specify in a policy condition is not present in the request context, the "
                      "values do not match and the condition is false.",
             "seen": "docs"},
            {"models": "... and negated operators true",
             "page": "IAM JSON policy elements: Condition operators - AWS Identity and Access Management",
             "url": "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html",
             "quote": "If the policy condition requires that the key is not matched, such as StringNotLike or "
                      "ArnNotLike, and the right key is not present, the condition is true.",
             "seen": "docs"},
            {"models": "kms:ViaService is about requests that come from an AWS service",
             "page": "AWS KMS condition keys (kms:ViaService) - AWS Key Management Service",
             "url": "https://docs.aws.amazon.com/kms/latest/developerguide/conditions-kms.html#conditions-kms-via-service",
             "quote": "The kms:ViaService condition key limits use of an KMS key to requests from specified AWS "
                      "services.",
             "seen": "archive"},
            {"models": "kms:GrantIsForAWSResource holds only when a service calls for the principal",
             "page": "AWS KMS condition keys (kms:GrantIsForAWSResource) - AWS Key Management Service",
             "url": "https://docs.aws.amazon.com/kms/latest/developerguide/conditions-kms.html#conditions-kms-grant-is-for-aws-resource",
             "quote": "Allows or denies permission for the CreateGrant, ListGrants, or RevokeGrant operations only "
                      "when an AWS services integrated with AWS KMS calls the operation on the user's behalf.",
             "seen": "archive"},
        ],
        "unconfirmed": [
            {"behaviour": "a direct call (Speedscale's own KMS request) never carries kms:ViaService, so it never "
                          "satisfies a ViaService condition",
             "status": "unconfirmed",
             "searched": "conditions-kms.html (kms:ViaService): inferred from the definition (requests from "
                         "specified AWS services); AWS does not state the direct-call case in these words"},
        ],
    },
    "R4": {
        "summary": "Key state: Disabled -> DisabledException; PendingDeletion/PendingImport/PendingReplicaDeletion "
                   "-> KMSInvalidStateException on cryptographic operations and CreateGrant; Unavailable -> "
                   "KeyUnavailableException. DescribeKey still works.",
        "cites": [
            {"models": "a disabled key cannot be used in cryptographic operations",
             "page": "Enable and disable keys - AWS Key Management Service",
             "url": "https://docs.aws.amazon.com/kms/latest/developerguide/enabling-keys.html",
             "quote": "If you disable a KMS key, it cannot be used in any cryptographic operation until you "
                      "re-enable it.",
             "seen": "docs"},
            {"models": "Disabled -> DisabledException",
             "page": "Key states of AWS KMS keys - AWS Key Management Service",
             "url": "https://docs.aws.amazon.com/kms/latest/developerguide/key-state.html",
             "quote": "DisabledException: <key ARN> is disabled.",
             "seen": "archive"},
            {"models": "PendingDeletion -> KMSInvalidStateException",
             "page": "Key states of AWS KMS keys - AWS Key Management Service",
             "url": "https://docs.aws.amazon.com/kms/latest/developerguide/key-state.html",
             "quote": "KMSInvalidStateException: <key ARN> is pending deletion (or pending replica deletion).",
             "seen": "archive"},
            {"models": "the DisabledException error itself",
             "page": "KMS / Client / exceptions / DisabledException - AWS SDK for Python (Boto3) reference",
             "url": "https://docs.aws.amazon.com/botocore/latest/reference/services/kms/client/exceptions/DisabledException.html",
             "quote": "The request was rejected because the specified KMS key is not enabled.",
             "seen": "docs"},
        ],
        "unconfirmed": [
            {"behaviour": "CreateGrant on a Disabled key succeeds in the layer (check_state exempts CreateGrant)",
             "status": "not-documented",
             "searched": "key-state.html key state table, row CreateGrant: the Disabled column is marked failing "
                         "with footnote [1]; the CreateGrant API reference lists DisabledException",
             "aws_says": [
                 {"page": "Key states of AWS KMS keys - AWS Key Management Service",
                  "url": "https://docs.aws.amazon.com/kms/latest/developerguide/key-state.html",
                  "quote": "DisabledException: <key ARN> is disabled.",
                  "seen": "archive"}]},
            {"behaviour": "an Unavailable key (custom key store) answers KeyUnavailableException in the layer",
             "status": "not-documented",
             "searched": "key-state.html footnote [11]; not a state cmek's keys can be in",
             "aws_says": [
                 {"page": "Key states of AWS KMS keys - AWS Key Management Service",
                  "url": "https://docs.aws.amazon.com/kms/latest/developerguide/key-state.html",
                  "quote": "KMSInvalidStateException: <key ARN> is unavailable.",
                  "seen": "archive"}]},
        ],
    },
    "R5": {
        "summary": "DryRun: after R3 and R4, DryRunOperationException and no side effect; a refused DryRun gets "
                   "the refusal (AccessDeniedException, DisabledException, ...).",
        "cites": [
            {"models": "DryRun says whether the call would succeed",
             "page": "Testing your permissions - AWS Key Management Service",
             "url": "https://docs.aws.amazon.com/kms/latest/developerguide/programming-dryrun.html",
             "quote": "DryRun is an optional API parameter that you specify to verify that AWS KMS API calls will "
                      "succeed.",
             "seen": "docs"},
            {"models": "a DryRun call counts as a call (billed, logged, quota)",
             "page": "Testing your permissions - AWS Key Management Service",
             "url": "https://docs.aws.amazon.com/kms/latest/developerguide/programming-dryrun.html",
             "quote": "Using the DryRun parameter will incur charges and will be billed as a standard API request.",
             "seen": "docs"},
            {"models": "the answer when it would have succeeded",
             "page": "CreateGrant - AWS Key Management Service API Reference (Errors)",
             "url": "https://docs.aws.amazon.com/kms/latest/APIReference/API_CreateGrant.html",
             "quote": "The request was rejected because the DryRun parameter was specified.",
             "seen": "api-model"},
        ],
        "unconfirmed": [
            {"behaviour": "a DryRun that policy or key state would refuse answers that refusal, not "
                          "DryRunOperationException (the order: authorization and key state before DryRun)",
             "status": "unconfirmed",
             "searched": "programming-dryrun.html lists DryRunOperationException, ValidationException and "
                         "AccessDeniedException as the possible answers (seen in a translated copy; the English "
                         "bullet was not retrieved verbatim); the order against key-state errors is not stated"},
        ],
    },
    "R6": {
        "summary": "Key spec and usage: GenerateDataKey* need a SYMMETRIC_DEFAULT key (InvalidKeyUsageException); "
                   "Encrypt/Decrypt need ENCRYPT_DECRYPT; GetKeyRotationStatus on an asymmetric or HMAC key is "
                   "UnsupportedOperationException; CreateKey without KeyUsage stores ENCRYPT_DECRYPT.",
        "cites": [
            {"models": "data keys come only from symmetric encryption keys",
             "page": "GenerateDataKey - AWS Key Management Service API Reference",
             "url": "https://docs.aws.amazon.com/kms/latest/APIReference/API_GenerateDataKey.html",
             "quote": "You cannot use an asymmetric KMS key to encrypt data keys.",
             "seen": "api-model"},
            {"models": "the error for a key of the wrong usage",
             "page": "InvalidKeyUsageException - AWS Key Management Service API Reference (Errors)",
             "url": "https://docs.aws.amazon.com/kms/latest/APIReference/API_GenerateDataKey.html",
             "quote": "The KeyUsage value of the KMS key is incompatible with the API operation.",
             "seen": "api-model"},
            {"models": "rotation status exists only for symmetric encryption keys",
             "page": "GetKeyRotationStatus - AWS Key Management Service API Reference",
             "url": "https://docs.aws.amazon.com/kms/latest/APIReference/API_GetKeyRotationStatus.html",
             "quote": "Automatic key rotation is supported only on symmetric encryption KMS keys.",
             "seen": "api-model"},
            {"models": "KeyUsage defaults to ENCRYPT_DECRYPT",
             "page": "CreateKey - AWS Key Management Service API Reference",
             "url": "https://docs.aws.amazon.com/kms/latest/APIReference/API_CreateKey.html",
             "quote": "The default value is ENCRYPT_DECRYPT.",
             "seen": "api-model"},
        ],
        "unconfirmed": [
            {"behaviour": "GetKeyRotationStatus on an asymmetric or HMAC key answers UnsupportedOperationException",
             "status": "unconfirmed",
             "searched": "GetKeyRotationStatus API reference: UnsupportedOperationException is among its errors, "
                         "but AWS does not tie it to the key spec in a sentence"},
        ],
    },
    "R7": {
        "summary": "S3 uses the key through S3: PutObject/CopyObject/PostObject under aws:kms need "
                   "kms:GenerateDataKey and GetObject of an aws:kms object needs kms:Decrypt, each checked against "
                   "the key policy with kms:ViaService=s3.<region>.amazonaws.com and aws:s3:arn (the bucket ARN "
                   "with a Bucket Key, else the object ARN), then against the key state; refusals come back as S3 "
                   "errors (AccessDenied, KMS.DisabledException, KMS.KMSInvalidStateException, "
                   "KMS.NotFoundException). HeadObject does not call KMS. PutBucketEncryption does not check the key.",
        "cites": [
            {"models": "writes need kms:GenerateDataKey",
             "page": "Using server-side encryption with AWS KMS keys (SSE-KMS) - Amazon Simple Storage Service",
             "url": "https://docs.aws.amazon.com/AmazonS3/latest/userguide/UsingKMSEncryption.html",
             "quote": "To upload an object encrypted with an AWS KMS key to Amazon S3, you need kms:GenerateDataKey "
                      "permissions on the key.",
             "seen": "archive"},
            {"models": "reads need kms:Decrypt",
             "page": "Using server-side encryption with AWS KMS keys (SSE-KMS) - Amazon Simple Storage Service",
             "url": "https://docs.aws.amazon.com/AmazonS3/latest/userguide/UsingKMSEncryption.html",
             "quote": "To download an object encrypted with an AWS KMS key, you need kms:Decrypt permissions.",
             "seen": "archive"},
            {"models": "the encryption context is the bucket ARN with a Bucket Key",
             "page": "Using server-side encryption with AWS KMS keys (SSE-KMS) - Amazon Simple Storage Service",
             "url": "https://docs.aws.amazon.com/AmazonS3/latest/userguide/UsingKMSEncryption.html",
             "quote": "When you use SSE-KMS with the optional S3 Bucket Keys feature, the encryption context value "
                      "is the ARN of the bucket.",
             "seen": "archive"},
            {"models": "S3's calls carry kms:ViaService s3.<region>.amazonaws.com",
             "page": "AWS KMS condition keys (Services that support the kms:ViaService condition key)",
             "url": "https://docs.aws.amazon.com/kms/latest/developerguide/conditions-kms.html#viaService_table",
             "quote": "Amazon Simple Storage Service (Amazon S3) | s3.AWS_region.amazonaws.com",
             "seen": "archive"},
            {"models": "PutBucketEncryption accepts any key id",
             "page": "PutBucketEncryption - Amazon Simple Storage Service API Reference",
             "url": "https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutBucketEncryption.html",
             "quote": "Amazon S3 doesn't validate the KMS key ID provided in PutBucketEncryption requests.",
             "seen": "api-model"},
            {"models": "a Bucket Key is reused for a limited time, per requester (so a refused read proves only "
                       "that this principal is refused now)",
             "page": "Reducing the cost of SSE-KMS with Amazon S3 Bucket Keys - Amazon Simple Storage Service",
             "url": "https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucket-key.html",
             "quote": "S3 Bucket Keys are used for a limited time period within Amazon S3, reducing the need for S3 "
                      "to make requests to AWS KMS to complete encryption operations.",
             "seen": "pages", "seen_at": "https://docs.aws.amazon.com/AmazonS3/latest/dev/bucket-key.html"},
            {"models": "each requester gets its own bucket-level key",
             "page": "Reducing the cost of SSE-KMS with Amazon S3 Bucket Keys - Amazon Simple Storage Service",
             "url": "https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucket-key.html",
             "quote": "Unique bucket-level keys are fetched at least once per requester to ensure that the "
                      "requester's access to the key is captured in an AWS KMS CloudTrail event.",
             "seen": "pages", "seen_at": "https://docs.aws.amazon.com/AmazonS3/latest/dev/bucket-key.html"},
        ],
        "unconfirmed": [
            {"behaviour": "how long S3 keeps using a Bucket Key after the key policy or key state changes (the "
                          "layer re-checks on every request, i.e. no cache)",
             "status": "unconfirmed",
             "searched": "bucket-key.html says 'a limited time period' and 'short-lived'; no duration is given; "
                         "UsingKMSEncryption.html does not give one either"},
            {"behaviour": "HeadObject does not call KMS, so it succeeds on an object whose key is disabled",
             "status": "unconfirmed",
             "searched": "HeadObject API reference: KMS permissions are required only with x-amz-checksum-mode; "
                         "no sentence says HEAD never calls KMS"},
            {"behaviour": "the S3 error codes for KMS refusals (403 AccessDenied; KMS.DisabledException, "
                          "KMS.KMSInvalidStateException, KMS.NotFoundException)",
             "status": "unconfirmed",
             "searched": "S3 error responses and SSE-KMS pages: the KMS.* codes are not listed"},
        ],
    },
    "R8": {
        "summary": "Faults by rule: latency, throttling, HTTP 5xx, dropped connections and our-IAM denials, "
                   "before the call reaches moto or after it (the call happened, the answer was lost).",
        "cites": [
            {"models": "S3 throttles with SlowDown",
             "page": "Best practices for error handling / Tune application for repeated SlowDown errors - Amazon S3",
             "url": "https://docs.aws.amazon.com/AmazonS3/latest/userguide/ErrorBestPractices.html",
             "quote": "SlowDown errors can occur when a high request rate triggers one of these mechanisms.",
             "seen": "archive"},
            {"models": "KMS throttles with ThrottlingException",
             "page": "Throttling AWS KMS requests - AWS Key Management Service",
             "url": "https://docs.aws.amazon.com/kms/latest/developerguide/throttling.html",
             "quote": "Throttling occurs when AWS KMS rejects a request that might otherwise be valid, and returns a "
                      "ThrottlingException error like the following one.",
             "seen": "archive"},
            {"models": "our own IAM's refusal is worded 'no identity-based policy allows'",
             "page": "Troubleshooting access denied error messages - AWS Identity and Access Management",
             "url": "https://docs.aws.amazon.com/IAM/latest/UserGuide/troubleshoot_access-denied.html",
             "quote": "because no identity-based policy allows the codecommit:ListRepositories action",
             "seen": "archive"},
        ],
        "unconfirmed": [
            {"behaviour": "which faults happen, when and how often (including 'after' faults that lose the answer "
                          "of a call that took effect)",
             "status": "harness",
             "searched": "a test instrument: AWS documents that these errors exist, not when they occur"},
        ],
    },
    "R9": {
        "summary": "A log of every call (service, operation, caller account, mutating or not) for tests "
                   "('changed nothing' assertions).",
        "cites": [
            {"models": "AWS records every KMS call; the log is the local stand-in for CloudTrail",
             "page": "Logging AWS KMS API calls with AWS CloudTrail - AWS Key Management Service",
             "url": "https://docs.aws.amazon.com/kms/latest/developerguide/logging-using-cloudtrail.html",
             "quote": "AWS KMS is integrated with AWS CloudTrail, a service that records all calls to AWS KMS by "
                      "users, roles, and other AWS services.",
             "seen": "archive"},
        ],
        "unconfirmed": [
            {"behaviour": "which calls count as mutating (the layer's own classification: not Describe/Get/List/"
                          "Head..., KMS read-only set, DryRun, STS)",
             "status": "harness",
             "searched": "a test instrument; CloudTrail's readOnly field is the AWS analogue and was not compared"},
        ],
    },
    "R10": {
        "summary": "S3 default encryption: since January 2023 every bucket without a configuration encrypts new "
                   "objects with SSE-S3 and GetBucketEncryption says so; GetBucketVersioning answers with the "
                   "root element VersioningConfiguration (moto's is wrong).",
        "cites": [
            {"models": "every new object is encrypted at least with SSE-S3",
             "page": "Protecting data with encryption - Amazon Simple Storage Service",
             "url": "https://docs.aws.amazon.com/AmazonS3/latest/userguide/UsingEncryption.html",
             "quote": "Starting January 5, 2023, all new object uploads to Amazon S3 are automatically encrypted at "
                      "no additional cost and with no impact on performance.",
             "seen": "archive"},
            {"models": "GetBucketEncryption reports SSE-S3 for a bucket nobody configured",
             "page": "GetBucketEncryption - Amazon Simple Storage Service API Reference",
             "url": "https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetBucketEncryption.html",
             "quote": "By default, all buckets have a default encryption configuration that uses server-side "
                      "encryption with Amazon S3 managed keys (SSE-S3).",
             "seen": "api-model"},
        ],
        "unconfirmed": [
            {"behaviour": "GetBucketVersioning's root element is VersioningConfiguration, and a bucket never "
                          "versioned returns no Status",
             "status": "unconfirmed",
             "searched": "GetBucketVersioning API reference text (response syntax not retrieved; SDK mirrors "
                         "only); S3 versioning user guide"},
        ],
    },
    "R11": {
        "summary": "Firehose takes time and uses the key through Firehose: a new stream is CREATING, then ACTIVE; "
                   "StartDeliveryStreamEncryption goes ENABLING -> ENABLED, or ENABLING_FAILED with a "
                   "FailureDescription when Firehose may not use the key (DescribeKey and CreateGrant for an AWS "
                   "resource through firehose.<region>); CreateDeliveryStream with such a key is "
                   "InvalidKMSResourceException; Start is DirectPut only and needs ACTIVE; AWS's S3 destination "
                   "defaults and stream quota. A key disabled later changes nothing on the stream's description (AWS "
                   "documents FailureDescription only for failed calls, and CloudWatch metrics instead).",
        "cites": [
            {"models": "CREATING, then ACTIVE",
             "page": "CreateDeliveryStream - Amazon Data Firehose API Reference",
             "url": "https://docs.aws.amazon.com/firehose/latest/APIReference/API_CreateDeliveryStream.html",
             "quote": "The initial status of the Firehose stream is CREATING. After the Firehose stream is created, "
                      "its status is ACTIVE and it now accepts data.",
             "seen": "docs", "seen_at": "https://docs.amazonaws.cn/en_us/firehose/latest/APIReference/API_CreateDeliveryStream.md"},
            {"models": "ENABLING, then ENABLED",
             "page": "StartDeliveryStreamEncryption - Amazon Data Firehose API Reference",
             "url": "https://docs.aws.amazon.com/firehose/latest/APIReference/API_StartDeliveryStreamEncryption.html",
             "quote": "When you invoke it, Firehose first sets the encryption status of the stream to ENABLING, and "
                      "then to ENABLED.",
             "seen": "docs", "seen_at": "https://docs.amazonaws.cn/firehose/latest/APIReference/API_StartDeliveryStreamEncryption.html"},
            {"models": "or ENABLING_FAILED",
             "page": "StartDeliveryStreamEncryption - Amazon Data Firehose API Reference",
             "url": "https://docs.aws.amazon.com/firehose/latest/APIReference/API_StartDeliveryStreamEncryption.html",
             "quote": "If the operation fails, the encryption status changes to ENABLING_FAILED.",
             "seen": "docs", "seen_at": "https://docs.amazonaws.cn/firehose/latest/APIReference/API_StartDeliveryStreamEncryption.html"},
            {"models": "SSE only for DirectPut streams",
             "page": "StartDeliveryStreamEncryption - Amazon Data Firehose API Reference",
             "url": "https://docs.aws.amazon.com/firehose/latest/APIReference/API_StartDeliveryStreamEncryption.html",
             "quote": "You can enable SSE for a Firehose stream only if it's a Firehose stream that uses DirectPut "
                      "as its source.",
             "seen": "api-model"},
            {"models": "Firehose uses the customer key through its own grant",
             "page": "DeliveryStreamEncryptionConfigurationInput - Amazon Data Firehose API Reference",
             "url": "https://docs.aws.amazon.com/firehose/latest/APIReference/API_DeliveryStreamEncryptionConfigurationInput.html",
             "quote": "Firehose invokes the Amazon KMS operation CreateGrant to create a grant that allows the "
                      "Firehose service to use the customer managed CMK to perform encryption and decryption.",
             "seen": "docs"},
            {"models": "Firehose's calls carry kms:ViaService firehose.<region>.amazonaws.com",
             "page": "AWS KMS condition keys (Services that support the kms:ViaService condition key)",
             "url": "https://docs.aws.amazon.com/kms/latest/developerguide/conditions-kms.html#viaService_table",
             "quote": "Amazon Kinesis Data Firehose | firehose.AWS_region.amazonaws.com",
             "seen": "archive"},
            {"models": "FailureDescription exists for failed Create/Delete/Start/Stop calls (the ENABLING_FAILED "
                       "case)",
             "page": "DeliveryStreamEncryptionConfiguration - Amazon Data Firehose API Reference",
             "url": "https://docs.aws.amazon.com/firehose/latest/APIReference/API_DeliveryStreamEncryptionConfiguration.html",
             "quote": "Provides details in case one of the following operations fails due to an error related to "
                      "KMS: CreateDeliveryStream, DeleteDeliveryStream, StartDeliveryStreamEncryption, "
                      "StopDeliveryStreamEncryption.",
             "seen": "docs"},
            {"models": "InvalidKMSResourceException when KMS refuses",
             "page": "PutRecord / StartDeliveryStreamEncryption - Amazon Data Firehose API Reference (Errors)",
             "url": "https://docs.aws.amazon.com/firehose/latest/APIReference/API_StartDeliveryStreamEncryption.html",
             "quote": "Firehose throws this exception when an attempt to put records or to start or stop Firehose "
                      "stream encryption fails.",
             "seen": "docs", "seen_at": "https://docs.aws.amazon.com/sdk-for-kotlin/api/latest/firehose/aws.sdk.kotlin.services.firehose.model/-invalid-kms-resource-exception"},
            {"models": "S3 destination default CompressionFormat (moto omits it)",
             "page": "ExtendedS3DestinationConfiguration - Amazon Data Firehose API Reference",
             "url": "https://docs.aws.amazon.com/firehose/latest/APIReference/API_ExtendedS3DestinationConfiguration.html",
             "quote": "The compression format. If no value is specified, the default is UNCOMPRESSED.",
             "seen": "api-model"},
            {"models": "S3 destination default buffering",
             "page": "CreateDeliveryStream - Amazon Data Firehose API Reference",
             "url": "https://docs.aws.amazon.com/firehose/latest/APIReference/API_CreateDeliveryStream.html",
             "quote": "By default, if no BufferingHints value is provided, Firehose buffers data up to 5 MB or for 5 "
                      "minutes, whichever condition is satisfied first.",
             "seen": "api-model"},
            {"models": "the default stream quota is 5,000 (moto: 50)",
             "page": "CreateDeliveryStream - Amazon Data Firehose API Reference",
             "url": "https://docs.aws.amazon.com/firehose/latest/APIReference/API_CreateDeliveryStream.html",
             "quote": "By default, you can create up to 5,000 Firehose streams",
             "seen": "docs", "seen_at": "https://docs.amazonaws.cn/en_us/firehose/latest/APIReference/API_CreateDeliveryStream.md"},
            {"models": "control-plane quota: 5 calls per second for CreateDeliveryStream, DeleteDeliveryStream, "
                       "DescribeDeliveryStream, ListDeliveryStreams, UpdateDestination, ... (not enforced by the "
                       "layer; cmek must pace itself)",
             "page": "Amazon Data Firehose Quota - Amazon Data Firehose",
             "url": "https://docs.aws.amazon.com/firehose/latest/dev/limits.html",
             "quote": "The following operations can provide up to five invocations per second (this is a hard "
                      "limit):",
             "seen": "archive"},
            {"models": "a key that becomes unusable after ENABLED: no FailureDescription on the stream; "
                       "CloudWatch metrics and records kept 24 hours instead (metrics not modelled)",
             "page": "Data Protection in Amazon Data Firehose (Server-side encryption with Direct PUT)",
             "url": "https://docs.aws.amazon.com/firehose/latest/dev/encryption.html",
             "quote": "When the CMK is of type CUSTOMER_MANAGED_CMK, if the Amazon Kinesis Data Firehose "
                      "service is unable to decrypt records because of a KMSNotFoundException, a "
                      "KMSInvalidStateException, a KMSDisabledException, or a KMSAccessDeniedException, the "
                      "service waits up to 24 hours (the retention period) for you to resolve the problem.",
             "seen": "pages"},
            {"models": "a key that becomes unusable after ENABLED: no FailureDescription on the stream; "
                       "CloudWatch metrics and records kept 24 hours instead (metrics not modelled)",
             "page": "Data Protection in Amazon Data Firehose (Server-side encryption with Direct PUT)",
             "url": "https://docs.aws.amazon.com/firehose/latest/dev/encryption.html",
             "quote": "Amazon Kinesis Data Firehose provides the following four CloudWatch metrics that you can "
                      "use to track the four AWS KMS exceptions:",
             "seen": "archive"},
            {"models": "a key that becomes unusable after ENABLED: no FailureDescription on the stream; "
                       "CloudWatch metrics and records kept 24 hours instead (metrics not modelled)",
             "page": "Monitoring with CloudWatch metrics (SSE metrics) - Amazon Data Firehose",
             "url": "https://docs.aws.amazon.com/firehose/latest/dev/monitoring-with-cloudwatch-metrics.html",
             "quote": "The AWS/Firehose namespace includes the following metrics that are related to SSE.",
             "seen": "archive"},
            {"models": "a key that becomes unusable after ENABLED: no FailureDescription on the stream; "
                       "CloudWatch metrics and records kept 24 hours instead (metrics not modelled)",
             "page": "Monitoring with CloudWatch metrics (SSE metrics) - Amazon Data Firehose",
             "url": "https://docs.aws.amazon.com/firehose/latest/dev/monitoring-with-cloudwatch-metrics.html",
             "quote": "The number of times the service encounters a KMSDisabledException for the delivery "
                      "stream.",
             "seen": "archive"},
            {"models": "a key that becomes unusable after ENABLED: no FailureDescription on the stream; "
                       "CloudWatch metrics and records kept 24 hours instead (metrics not modelled)",
             "page": "Troubleshoot errors in Amazon Data Firehose - Amazon Data Firehose",
             "url": "https://docs.aws.amazon.com/firehose/latest/dev/troubleshooting.html",
             "quote": "For DirectPut Firehose streams, Firehose retains the records for 24 hours.",
             "seen": "docs"},
        ],
        "unconfirmed": [
            {"behaviour": "Firehose SSE accepts a customer managed key from ANOTHER account",
             "status": "unconfirmed",
             "searched": "API_DeliveryStreamEncryptionConfigurationInput (KeyARN: any 12-digit account matches the "
                         "pattern), API_StartDeliveryStreamEncryption, API_CreateDeliveryStream, encryption.html: "
                         "none says whether the key may be in another account; firehose_cross_account_key 1 (the "
                         "default) accepts it when the key policy allows, 0 refuses it as it refuses a key Firehose "
                         "may not use (InvalidKMSResourceException, ENABLING_FAILED: INVALID_KMS_KEY); cmek is "
                         "tested under both answers"},
            {"behaviour": "CreateDeliveryStream with an unusable key is refused synchronously "
                          "(InvalidKMSResourceException) rather than ending in CREATING_FAILED with a "
                          "FailureDescription",
             "status": "unconfirmed",
             "searched": "CreateDeliveryStream lists InvalidKMSResourceException among its errors, and "
                         "FailureDescription covers a failed CreateDeliveryStream; which one AWS does is not stated"},
            {"behaviour": "Firehose checks the key with DescribeKey as well as CreateGrant "
                          "(kms:GrantIsForAWSResource=true) before using it",
             "status": "unconfirmed",
             "searched": "DeliveryStreamEncryptionConfigurationInput documents CreateGrant only; DescribeKey is "
                         "not mentioned"},
            {"behaviour": "Start/UpdateDestination on a stream that is not ACTIVE answer ResourceInUseException; "
                          "Start on a non-DirectPut stream answers InvalidArgumentException",
             "status": "unconfirmed",
             "searched": "both errors are listed for the operations (ResourceInUseException: 'The resource is "
                         "already in use and not available for this operation.'); the mapping to these cases is "
                         "not stated"},
            {"behaviour": "a stream created with a customer key reports encryption Status ENABLED once ACTIVE",
             "status": "unconfirmed",
             "searched": "DeliveryStreamEncryptionConfiguration.Status refers to Start/Stop; the state after "
                         "CreateDeliveryStream with DeliveryStreamEncryptionConfigurationInput is not stated"},
        ],
    },
    "R12": {
        "summary": "RDS takes time and uses the key through RDS: new instances and snapshots are `creating` before "
                   "`available`; CreateDBInstance, RestoreDBInstanceFromDBSnapshot and CopyDBSnapshot under a key "
                   "RDS may not use (DescribeKey and CreateGrant through rds.<region>, or a key not Enabled) are "
                   "KMSKeyNotAccessibleFault; the same check is applied to PerformanceInsightsKMSKeyId, and "
                   "MasterUserSecretKmsKeyId is checked as Secrets Manager's own use (secretsmanager.<region>); an instance whose key is disabled or pending deletion becomes "
                   "`inaccessible-encryption-credentials-recoverable` after a delay and stays so until "
                   "StartDBInstance after the key is enabled again.",
        "cites": [
            {"models": "`creating` before `available`",
             "page": "Viewing Amazon RDS DB instance status - Amazon Relational Database Service",
             "url": "https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/accessing-monitoring.html",
             "quote": "The DB instance is being created. The DB instance is inaccessible while it is being created.",
             "seen": "archive"},
            {"models": "creating under a customer key needs kms:CreateGrant and kms:DescribeKey",
             "page": "AWS KMS key management - Amazon Relational Database Service",
             "url": "https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/Overview.Encryption.Keys.html",
             "quote": "To create an RDS resource using a customer managed key, a user must have permissions to call "
                      "the following operations on the customer managed key:",
             "seen": "archive"},
            {"models": "RDS's calls carry kms:ViaService rds.<region>.amazonaws.com",
             "page": "AWS KMS key management - Amazon Relational Database Service",
             "url": "https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/Overview.Encryption.Keys.html",
             "quote": "you can use the kms:ViaService condition key with the rds.<region>.amazonaws.com value.",
             "seen": "archive"},
            {"models": "the error",
             "page": "RDS / Client / exceptions / KMSKeyNotAccessibleFault - AWS SDK for Python (Boto3) reference",
             "url": "https://docs.aws.amazon.com/botocore/latest/reference/services/rds/client/exceptions/KMSKeyNotAccessibleFault.html",
             "quote": "An error occurred accessing an Amazon Web Services KMS key.",
             "seen": "docs"},
            {"models": "an unusable key stops the instance",
             "page": "Encrypting Amazon RDS resources - Amazon Relational Database Service",
             "url": "https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/Overview.Encryption.html",
             "quote": "In these cases, the encrypted DB instance goes into inaccessible-encryption-credentials-"
                      "recoverable state.",
             "seen": "archive"},
            {"models": "the 7-day window, and StartDBInstance to recover",
             "page": "Encrypting Amazon RDS resources - Amazon Relational Database Service",
             "url": "https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/Overview.Encryption.html",
             "quote": "When you start the DB instance during that time, it checks if the KMS key is active and "
                      "recovers the DB instance if it is.",
             "seen": "archive"},
            {"models": "after seven days: terminal inaccessible-encryption-credentials",
             "page": "How do I resolve an Amazon RDS instance or Aurora cluster in an inaccessible encryption "
                     "state? - AWS re:Post Knowledge Center",
             "url": "https://repost.aws/knowledge-center/rds-aurora-inaccessible-state",
             "quote": "If the Amazon RDS instance or Amazon Aurora cluster isn't recovered in seven days, then the "
                      "instance or cluster transitions to the terminal state inaccessible-encryption-credentials.",
             "seen": "pages"},
            {"models": "the change happens after a delay",
             "page": "AWS KMS key management - Amazon Relational Database Service",
             "url": "https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/Overview.Encryption.Keys.html",
             "quote": "This change could be immediate, or deferred, depending on the use case that required access "
                      "to the KMS key.",
             "seen": "archive"},
            {"models": "grants are a separate authorisation, removed only by retire or revoke",
             "page": "Grants in AWS KMS - AWS Key Management Service",
             "url": "https://docs.aws.amazon.com/kms/latest/developerguide/grants.html",
             "quote": "Grants are often used for temporary permissions because you can create one, use its "
                      "permissions, and delete it without changing your key policies or IAM policies.",
             "seen": "docs"},
            {"models": "retiring or revoking is what ends a grant",
             "page": "Retiring and revoking grants - AWS Key Management Service",
             "url": "https://docs.aws.amazon.com/kms/latest/developerguide/grant-delete.html",
             "quote": "Both operations delete a grant, which eliminates the permissions the grant allows.",
             "seen": "docs"},
            {"models": "disabling the key stops every use, grants included",
             "page": "Enable and disable keys - AWS Key Management Service",
             "url": "https://docs.aws.amazon.com/kms/latest/developerguide/enabling-keys.html",
             "quote": "When you disable a KMS key, it becomes unusable right away (subject to eventual "
                      "consistency).",
             "seen": "docs"},
            {"models": "Performance Insights data is encrypted under the key",
             "page": "Changing an AWS KMS policy for Performance Insights - Amazon RDS",
             "url": "https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_PerfInsights.access-control.cmk-policy.html",
             "quote": "Performance Insights uses an AWS KMS key to encrypt sensitive data.",
             "seen": "docs", "seen_at": "https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/USER_PerfInsights.access-control.cmk-policy.html"},
            {"models": "Performance Insights uses the key through rds.<region> (the documented key policy)",
             "page": "Changing an AWS KMS policy for Performance Insights - Amazon RDS",
             "url": "https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_PerfInsights.access-control.cmk-policy.html",
             "quote": "//Restrict access to only RDS APIs (including Performance Insights).",
             "seen": "archive"},
            {"models": "the master password lives in Secrets Manager",
             "page": "Password management with Amazon RDS and AWS Secrets Manager - Amazon RDS",
             "url": "https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/rds-secrets-manager.html",
             "quote": "When you specify that RDS manages the master user password in Secrets Manager, RDS generates "
                      "the password and stores it in Secrets Manager.",
             "seen": "archive"},
            {"models": "the master password secret is encrypted by Secrets Manager itself, through "
                       "secretsmanager.<region> (GenerateDataKey, Decrypt)",
             "page": "Secret encryption and decryption in AWS Secrets Manager",
             "url": "https://docs.aws.amazon.com/secretsmanager/latest/userguide/security-encryption.html",
             "quote": "Whenever the secret value in a secret changes, Secrets Manager requests a new data key "
                      "from AWS KMS to protect it.",
             "seen": "docs"},
            {"models": "the master password secret is encrypted by Secrets Manager itself, through "
                       "secretsmanager.<region> (GenerateDataKey, Decrypt)",
             "page": "Secret encryption and decryption in AWS Secrets Manager",
             "url": "https://docs.aws.amazon.com/secretsmanager/latest/userguide/security-encryption.html",
             "quote": "To allow the KMS key to be used only for requests that originate in Secrets Manager, "
                      "you can use the kms:ViaService condition key with the "
                      "secretsmanager.<Region>.amazonaws.com value.",
             "seen": "archive"},
            {"models": "the master password secret is encrypted by Secrets Manager itself, through "
                       "secretsmanager.<region> (GenerateDataKey, Decrypt)",
             "page": "Password management with Amazon RDS and AWS Secrets Manager - Amazon RDS",
             "url": "https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/rds-secrets-manager.html",
             "quote": "For create, modify, or restore operations, the user who specifies the customer managed "
                      "key to encrypt the secret in Secrets Manager must have permissions to perform the "
                      "following operations:",
             "seen": "archive"},
        ],
        "unconfirmed": [
            {"behaviour": "a master password secret under a key Secrets Manager may not use fails the RDS call with "
                          "KMSKeyNotAccessibleFault (the layer's answer; AWS does not say which error RDS returns)",
             "status": "unconfirmed",
             "searched": "rds-secrets-manager.html (permissions section), CreateDBInstance and "
                         "RestoreDBInstanceFromDBSnapshot Errors: KMSKeyNotAccessibleFault is the only KMS error "
                         "listed; none names the secret's key"},
            {"behaviour": "the grants RDS and Firehose created keep working after the key policy stops allowing "
                          "Speedscale, until retired or revoked (the layer does not model grants: after creation "
                          "it looks only at the key state)",
             "status": "unconfirmed",
             "searched": "grants.html, grant-delete.html, enabling-keys.html: grants are a separate authorisation "
                         "ended by retire/revoke and disabling stops all use; no sentence says in so many words "
                         "that a key policy change leaves existing grants in force"},
            {"behaviour": "which RDS event marks the start of the seven days in "
                          "inaccessible-encryption-credentials-recoverable",
             "status": "unconfirmed",
             "searched": "RDS event categories and messages (USER_Events.Messages), Overview.Encryption.html, "
                         "re:Post rds-aurora-inaccessible-state: no event id is documented for entering the state"},
            {"behaviour": "how long RDS takes to notice a disabled key (the layer: rds_inaccessible seconds)",
             "status": "unconfirmed",
             "searched": "Overview.Encryption.Keys.html says 'immediate, or deferred'; no duration"},
            {"behaviour": "StartDBInstance while the key is still unusable answers KMSKeyNotAccessibleFault",
             "status": "unconfirmed",
             "searched": "StartDBInstance lists KMSKeyNotAccessibleFault among its errors; the case is not stated"},
            {"behaviour": "Performance Insights' own KMS calls carry kms:ViaService rds.<region>.amazonaws.com",
             "status": "unconfirmed",
             "searched": "USER_PerfInsights.access-control.cmk-policy.html: only the example key policy (comment "
                         "'including Performance Insights') says so"},
        ],
    },
    "M1": {
        "summary": "moto bug fixed at the source (patch_moto): describing a database whose master-password "
                   "secret is under a cross-account key gives HTTP 500; AWS reports the key ARN.",
        "cites": [
            {"models": "MasterUserSecret.KmsKeyId names the key",
             "page": "MasterUserSecret - Amazon Relational Database Service API Reference",
             "url": "https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_MasterUserSecret.html",
             "quote": "The AWS KMS key identifier that is used to encrypt the secret.",
             "seen": "docs"},
            {"models": "as its ARN",
             "page": "Password management with Amazon RDS and AWS Secrets Manager - Amazon RDS",
             "url": "https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/rds-secrets-manager.html",
             "quote": "KmsKeyId – The ARN of the KMS key that is used to encrypt the secret",
             "seen": "archive"},
        ],
        "unconfirmed": [],
    },
    "M3": {
        "summary": "moto bug fixed at the source (patch_moto): its IAM policy validator refuses a region in any "
                   "S3 ARN but an access point's, so a policy naming S3 Batch Operations jobs "
                   "(arn:aws:s3:<region>:<account>:job/<id>) cannot be stored; AWS's job ARNs carry the region.",
        "cites": [
            {"models": "an S3 job ARN carries the region",
             "page": "JobDescriptor - Amazon Simple Storage Service API Reference",
             "url": "https://docs.aws.amazon.com/AmazonS3/latest/API/API_control_JobDescriptor.html",
             "quote": "Pattern: arn:[^:]+:s3:[a-zA-Z0-9\\-]+:\\d{12}:job\\/.*",
             "seen": "docs"},
        ],
        "unconfirmed": [],
    },
    "M2": {
        "summary": "moto bug fixed at the source (patch_moto): CloudFormation AWS::KMS::Key loses a KeyPolicy "
                   "given as an object, fails on Tags (Key/Value) and ignores KeySpec, KeyUsage and Enabled: false.",
        "cites": [
            {"models": "Enabled: false gives a disabled key",
             "page": "AWS::KMS::Key - AWS CloudFormation",
             "url": "https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-kms-key.html",
             "quote": "Specifies whether the KMS key is enabled. Disabled KMS keys cannot be used in cryptographic "
                      "operations.",
             "seen": "docs", "seen_at": "https://docs.aws.amazon.com/cdk/api/v2/docs/aws-cdk-lib.aws_kms.CfnKeyProps.html"},
            {"models": "KeyUsage is honoured, default ENCRYPT_DECRYPT",
             "page": "AWS::KMS::Key - AWS CloudFormation",
             "url": "https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-kms-key.html",
             "quote": "Determines the cryptographic operations for which you can use the KMS key. The default value "
                      "is ENCRYPT_DECRYPT.",
             "seen": "docs", "seen_at": "https://docs.aws.amazon.com/cdk/api/v1/docs/@aws-cdk_aws-kms.CfnKeyProps.html"},
        ],
        "unconfirmed": [
            {"behaviour": "KeyPolicy may be given as a JSON object and Tags as Key/Value pairs",
             "status": "unconfirmed",
             "searched": "the AWS::KMS::Key page itself was not retrieved; only CDK's CfnKeyProps (which mirrors "
                         "it) and third-party copies of the resource specification (KeyPolicy PrimitiveType Json)"},
        ],
    },
    "R13": {
        "summary": "Per-operation request quotas, per account and Region, when a test switches them on "
                   "(POST /_localaws/quotas {\"account\": ID}): Firehose's control-plane operations 5 a second "
                   "each, every RDS operation sharing one bucket of 300 refilled at 12 a second, KMS DescribeKey "
                   "2,000 and GetKeyRotationStatus 1,000 a second. A call over its quota is refused with the "
                   "throttling error (400 ThrottlingException) before it reaches moto, and counted.",
        "cites": [
            {"models": "Firehose: 5 calls a second per operation",
             "page": "Amazon Data Firehose Quota - Amazon Data Firehose",
             "url": "https://docs.aws.amazon.com/firehose/latest/dev/limits.html",
             "quote": "Each of the following operations can provide up to five invocations per second, which is a "
                      "hard limit.",
             "seen": "pages"},
            {"models": "RDS: one token bucket per account and Region, 300 burst, 12 a second sustained",
             "page": "Request throttling for the Amazon RDS API - Amazon Relational Database Service",
             "url": "https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/rds-api-throttling.html",
             "quote": "By default, you can make up to 300 requests in a burst and a sustained 12 requests per second.",
             "seen": "docs"},
            {"models": "RDS: counted per account and Region, whatever the source",
             "page": "Request throttling for the Amazon RDS API - Amazon Relational Database Service",
             "url": "https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/rds-api-throttling.html",
             "quote": "Amazon RDS throttles API requests for each AWS account in each AWS Region.",
             "seen": "docs"},
            {"models": "KMS: per-operation rates per account and Region; the caller's account is counted",
             "page": "Throttling AWS KMS requests - AWS Key Management Service",
             "url": "https://docs.aws.amazon.com/kms/latest/developerguide/throttling.html",
             "quote": "The rate of requests per second exceeds the AWS KMS request quota for an account and Region.",
             "seen": "docs"},
            {"models": "the error: ThrottlingException, HTTP 400",
             "page": "Common Errors - Amazon Data Firehose",
             "url": "https://docs.aws.amazon.com/firehose/latest/APIReference/CommonErrors.html",
             "quote": "The request was denied due to request throttling.",
             "seen": "docs"},
        ],
        "unconfirmed": [
            {"behaviour": "how much of a Firehose or KMS quota can be spent at once: AWS gives a rate, not a "
                          "burst; the layer allows one second's worth by default, and a test can make it strict "
                          "(POST /_localaws/quotas {\"burst\": \"strict\"}: one call at a time, evenly spaced)",
             "status": "unconfirmed",
             "searched": "firehose/dev/limits.html, kms requests-per-second.html and throttling.html: rates per "
                         "second only, no bucket size"},
            {"behaviour": "S3 bucket-level reads (GetBucketEncryption) have no quota here: AWS documents request "
                          "rates per prefix for object operations only",
             "status": "unconfirmed",
             "searched": "S3 user guide optimizing-performance.html; S3 API reference GetBucketEncryption"},
        ],
    },
    "R14": {
        "summary": "S3 Batch Operations jobs (S3 Control CreateJob, DescribeJob, ListJobs, UpdateJobStatus; moto "
                   "has none), S3PutObjectCopy only. CreateJob: x-amz-account-id must be the caller's account "
                   "(403 AccessDenied); a ClientRequestToken already used by the account returns that job and creates "
                   "none; the role must exist in the account and trust batchoperations.s3.amazonaws.com. The job goes "
                   "New -> Preparing -> (Suspended until UpdateJobStatus Ready) -> Active -> Complete, or Failed, or "
                   "Cancelled. The manifest (S3BatchOperations_CSV_20180820, URL-encoded keys, ETag checked) is read "
                   "as the role; each task is a CopyObject as the role (its identity policies, the key policies "
                   "through s3.<region>, the key states), at most 5 GB, never from an archived object; STANDARD "
                   "unless StorageClass is given; metadata and tags copied unless replaced. The completion report is "
                   "written under SSE-S3. More than 50% of at least 1,000 tasks failed: the job fails.",
        "cites": [
            {"models": "ClientRequestToken is an idempotency token (the same request never makes a second job)",
             "page": "CreateJob - Amazon Simple Storage Service API Reference (S3 Control)",
             "url": "https://docs.aws.amazon.com/AmazonS3/latest/API/API_control_CreateJob.html",
             "quote": "An idempotency token to ensure that you don't accidentally submit the same request twice. You "
                      "can use any string up to the maximum length.",
             "seen": "api-model"},
            {"models": "the job's role is assumed by the S3 Batch Operations service principal",
             "page": "Granting permissions for Batch Operations - Amazon Simple Storage Service",
             "url": "https://docs.aws.amazon.com/AmazonS3/latest/userguide/batch-ops-iam-role-policies.html",
             "quote": "To allow the S3 Batch Operations service principal to assume the IAM role, attach the following "
                      "trust policy to the role.",
             "seen": "archive"},
            {"models": "the role reads the manifest and writes the report",
             "page": "Granting permissions for Batch Operations - Amazon Simple Storage Service",
             "url": "https://docs.aws.amazon.com/AmazonS3/latest/userguide/batch-ops-iam-role-policies.html",
             "quote": "Regardless of the operation, Amazon S3 needs permissions to read your manifest object from your "
                      "S3 bucket and optionally write a report to your bucket.",
             "seen": "archive"},
            {"models": "the role must be allowed to use the objects' KMS keys",
             "page": "Granting permissions for Batch Operations - Amazon Simple Storage Service",
             "url": "https://docs.aws.amazon.com/AmazonS3/latest/userguide/batch-ops-iam-role-policies.html",
             "quote": "If you are running S3 Batch Operations on encrypted objects, the IAM role must also have access "
                      "to the AWS KMS keys used to encrypt them.",
             "seen": "archive"},
            {"models": "the manifest is named with its ETag",
             "page": "JobManifestLocation - Amazon Simple Storage Service API Reference",
             "url": "https://docs.aws.amazon.com/AmazonS3/latest/API/API_control_JobManifestLocation.html",
             "quote": "The ETag for the specified manifest object.",
             "seen": "docs"},
            {"models": "Fields name the CSV manifest's columns",
             "page": "JobManifestSpec - Amazon Simple Storage Service API Reference",
             "url": "https://docs.aws.amazon.com/AmazonS3/latest/API/API_control_JobManifestSpec.html",
             "quote": "If the specified manifest object is in the S3BatchOperations_CSV_20180820 format, this element "
                      "describes which columns contain the required data.",
             "seen": "docs"},
            {"models": "manifest keys are URL-encoded",
             "page": "Creating an S3 Batch Operations job - Amazon Simple Storage Service",
             "url": "https://docs.aws.amazon.com/AmazonS3/latest/userguide/batch-ops-create-job.html",
             "quote": "The contents of the manifest must be URL-encoded.",
             "seen": "archive"},
            {"models": "a manifest the job cannot read fails the job, with FailureReasons",
             "page": "Tracking job status and completion reports - Amazon Simple Storage Service",
             "url": "https://docs.aws.amazon.com/AmazonS3/latest/userguide/batch-ops-job-status.html",
             "quote": "If an S3 Batch Operations job encounters a problem that prevents it from running successfully, "
                      "such as not being able to read the specified manifest, the job fails.",
             "seen": "archive"},
            {"models": "the failure reason of a manifest the role may not read",
             "page": "Troubleshoot Batch Operations - Amazon Simple Storage Service",
             "url": "https://docs.aws.amazon.com/AmazonS3/latest/userguide/troubleshooting-batch-operations.html",
             "quote": "Reason for failure Reading the manifest is forbidden: AccessDenied",
             "seen": "archive"},
            {"models": "New, then Preparing while the manifest is read",
             "page": "Tracking job status and completion reports - Amazon Simple Storage Service",
             "url": "https://docs.aws.amazon.com/AmazonS3/latest/userguide/batch-ops-job-status.html",
             "quote": "A job begins in the New state when you create it.",
             "seen": "archive"},
            {"models": "New, then Preparing while the manifest is read",
             "page": "Tracking job status and completion reports - Amazon Simple Storage Service",
             "url": "https://docs.aws.amazon.com/AmazonS3/latest/userguide/batch-ops-job-status.html",
             "quote": "Amazon S3 is processing the manifest object and other job parameters to set up and run the job.",
             "seen": "archive"},
            {"models": "a job that requires confirmation is Suspended until UpdateJobStatus Ready",
             "page": "Tracking job status and completion reports - Amazon Simple Storage Service",
             "url": "https://docs.aws.amazon.com/AmazonS3/latest/userguide/batch-ops-job-status.html",
             "quote": "After you confirm that you want to run the job, its status changes to Ready.",
             "seen": "archive"},
            {"models": "Active, with progress in DescribeJob",
             "page": "Tracking job status and completion reports - Amazon Simple Storage Service",
             "url": "https://docs.aws.amazon.com/AmazonS3/latest/userguide/batch-ops-job-status.html",
             "quote": "While a job is Active, you can monitor its progress using the Amazon S3 console or the "
                      "DescribeJob operation through the REST API, AWS CLI, or AWS SDKs.",
             "seen": "archive"},
            {"models": "each task is a CopyObject",
             "page": "S3CopyObjectOperation - Amazon Simple Storage Service API Reference",
             "url": "https://docs.aws.amazon.com/AmazonS3/latest/API/API_control_S3CopyObjectOperation.html",
             "quote": "S3 Batch Operations passes every object to the underlying CopyObject API operation.",
             "seen": "docs"},
            {"models": "without StorageClass a copy is STANDARD",
             "page": "CopyObject - Amazon Simple Storage Service API Reference",
             "url": "https://docs.aws.amazon.com/AmazonS3/latest/API/API_CopyObject.html",
             "quote": "If the x-amz-storage-class header is not used, the copied object will be stored in the STANDARD "
                      "Storage Class by default.",
             "seen": "api-model"},
            {"models": "without NewObjectTagging the tags are copied",
             "page": "S3CopyObjectOperation - Amazon Simple Storage Service API Reference",
             "url": "https://docs.aws.amazon.com/AmazonS3/latest/API/API_control_S3CopyObjectOperation.html",
             "quote": "If NewObjectTagging is not specified, the tags of the source objects are copied to destination "
                      "objects by default.",
             "seen": "api-model"},
            {"models": "without NewObjectMetadata (MetadataDirective COPY) the metadata is copied",
             "page": "S3CopyObjectOperation - Amazon Simple Storage Service API Reference",
             "url": "https://docs.aws.amazon.com/AmazonS3/latest/API/API_control_S3CopyObjectOperation.html",
             "quote": "If you don't provide this parameter, Amazon S3 copies all the metadata from the original "
                      "objects.",
             "seen": "api-model"},
            {"models": "a task fails on an object over 5 GB",
             "page": "Copy objects (Batch Operations) - Amazon Simple Storage Service",
             "url": "https://docs.aws.amazon.com/AmazonS3/latest/userguide/batch-ops-copy-object.html",
             "quote": "Objects to be copied can be up to 5 GB in size.",
             "seen": "archive"},
            {"models": "a manifest generator lists the source bucket, filtered by storage class",
             "page": "JobManifestGeneratorFilter - Amazon Simple Storage Service API Reference",
             "url": "https://docs.aws.amazon.com/AmazonS3/latest/API/API_control_JobManifestGeneratorFilter.html",
             "quote": "If provided, the generated manifest includes only source bucket objects that are stored with "
                      "the specified storage class.",
             "seen": "docs"},
            {"models": "a manifest generator's encryption filter (exactly one)",
             "page": "JobManifestGeneratorFilter - Amazon Simple Storage Service API Reference",
             "url": "https://docs.aws.amazon.com/AmazonS3/latest/API/API_control_JobManifestGeneratorFilter.html",
             "quote": "If provided, the generated object list includes only source bucket objects with the indicated "
                      "server-side encryption type (SSE-S3, SSE-KMS, DSSE-KMS, SSE-C, or NOT-SSE).",
             "seen": "docs"},
            {"models": "the generated manifest is written under SSE-KMS when the output location asks for it",
             "page": "GeneratedManifestEncryption - Amazon Simple Storage Service API Reference",
             "url": "https://docs.aws.amazon.com/AmazonS3/latest/API/API_control_GeneratedManifestEncryption.html",
             "quote": "Configuration details on how SSE-KMS is used to encrypt generated manifest objects.",
             "seen": "docs"},
            {"models": "a task fails on an archived object not restored (InvalidObjectState)",
             "page": "CopyObject - Amazon Simple Storage Service API Reference",
             "url": "https://docs.aws.amazon.com/AmazonS3/latest/API/API_CopyObject.html",
             "quote": "Before using an object as a source object for the copy operation, you must restore a copy of it "
                      "if it meets any of the following conditions:",
             "seen": "api-model"},
            {"models": "a task fails on an archived object not restored (InvalidObjectState)",
             "page": "GetObject - Amazon Simple Storage Service API Reference (InvalidObjectState)",
             "url": "https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetObject.html",
             "quote": "Object is archived and inaccessible until restored.",
             "seen": "api-model"},
            {"models": "the completion report is under SSE-S3, whatever the bucket's default encryption",
             "page": "Examples: S3 Batch Operations completion reports - Amazon Simple Storage Service",
             "url": "https://docs.aws.amazon.com/AmazonS3/latest/userguide/batch-ops-examples-reports.html",
             "quote": "Completion reports are always encrypted with Amazon S3 managed keys (SSE-S3).",
             "seen": "docs"},
            {"models": "a report once at least one task ran, for Complete, Failed and Cancelled jobs",
             "page": "Examples: S3 Batch Operations completion reports - Amazon Simple Storage Service",
             "url": "https://docs.aws.amazon.com/AmazonS3/latest/userguide/batch-ops-examples-reports.html",
             "quote": "As long as at least one task has been invoked successfully, S3 Batch Operations generates a "
                      "report for jobs that have completed, failed, or been canceled.",
             "seen": "docs"},
            {"models": "job-<id>/manifest.json names the results CSVs, per task status",
             "page": "Examples: S3 Batch Operations completion reports - Amazon Simple Storage Service",
             "url": "https://docs.aws.amazon.com/AmazonS3/latest/userguide/batch-ops-examples-reports.html",
             "quote": "The top-level manifest.json file contains the locations of each succeeded report and (if the job "
                      "had any failures) the location of failed reports, as shown in the following example.",
             "seen": "docs"},
            {"models": "the results CSV columns",
             "page": "Examples: S3 Batch Operations completion reports - Amazon Simple Storage Service",
             "url": "https://docs.aws.amazon.com/AmazonS3/latest/userguide/batch-ops-examples-reports.html",
             "quote": "\"ReportSchema\": \"Bucket, Key, VersionId, TaskStatus, ErrorCode, HTTPStatusCode, "
                      "ResultMessage\"",
             "seen": "docs"},
            {"models": "more than 50% of at least 1,000 tasks failed: the job fails",
             "page": "Tracking job status and completion reports - Amazon Simple Storage Service",
             "url": "https://docs.aws.amazon.com/AmazonS3/latest/userguide/batch-ops-job-status.html",
             "quote": "When a job has run at least 1,000 tasks, Amazon S3 monitors the task failure rate.",
             "seen": "archive"},
            {"models": "more than 50% of at least 1,000 tasks failed: the job fails",
             "page": "Tracking job status and completion reports - Amazon Simple Storage Service",
             "url": "https://docs.aws.amazon.com/AmazonS3/latest/userguide/batch-ops-job-status.html",
             "quote": "At any point, if the failure rate (the number of tasks that have failed as a proportion of the "
                      "total number of tasks that have run) exceeds 50 percent, the job fails.",
             "seen": "archive"},
            {"models": "a report the role may not write: the job still completes, with a failure reason",
             "page": "Troubleshoot Batch Operations - Amazon Simple Storage Service",
             "url": "https://docs.aws.amazon.com/AmazonS3/latest/userguide/troubleshooting-batch-operations.html",
             "quote": "Only the delivery of the completion report fails.",
             "seen": "archive"},
        ],
        "unconfirmed": [
            {"behaviour": "how fast a job runs: New for batch_new seconds, Preparing for batch_prepare, then "
                          "batch_tasks_per_second tasks a second (default 400; POST /_localaws/config)",
             "status": "harness",
             "searched": "batch-ops-job-status.html and the S3 Control API reference give no durations or rates"},
            {"behaviour": "CreateJob with a ClientRequestToken the account already used answers the same JobId "
                          "(no new job) when the request is byte-for-byte the same, IdempotencyException (400) "
                          "otherwise; tokens never expire",
             "status": "unconfirmed",
             "searched": "API_control_CreateJob.html: ClientRequestToken's description and the error list "
                         "(IdempotencyException, no description); nothing on what a reused token returns"},
            {"behaviour": "CreateJob whose RoleArn does not exist in the account, or does not trust "
                          "batchoperations.s3.amazonaws.com, is refused at once: 400 InvalidRequest",
             "status": "unconfirmed",
             "searched": "batch-ops-iam-role-policies.html, troubleshooting-batch-operations.html, CreateJob errors "
                         "(BadRequestException, no description): whether CreateJob refuses or the job fails is not "
                         "stated"},
            {"behaviour": "a CSV manifest under SSE-KMS fails the job, 'Reading the manifest is forbidden: "
                          "AccessDenied' (the default, AWS's documented answer); POST /_localaws/config "
                          "{\"batch_kms_csv_manifest\": 1} reads it as the role instead (its identity policy and the "
                          "key policy must allow kms:Decrypt through s3.<region>, the key must be enabled). cmek "
                          "never writes one: S3 generates its manifests (S3JobManifestGenerator) under the key",
             "status": "not-documented",
             "searched": "batch-ops-create-job.html (Specifying a manifest) and troubleshooting-batch-operations.html "
                         "(Access Denied to read the manifest), June 2023 sources; the live pages could not be "
                         "retrieved",
             "aws_says": [
                 {"page": "Creating an S3 Batch Operations job - Amazon Simple Storage Service",
                  "url": "https://docs.aws.amazon.com/AmazonS3/latest/userguide/batch-ops-create-job.html",
                  "quote": "Manifests that use server-side encryption with AWS Key Management Service (AWS KMS) keys "
                           "(SSE-KMS) are supported only when you're using CSV-formatted inventory reports.",
                  "seen": "archive"},
                 {"page": "Creating an S3 Batch Operations job - Amazon Simple Storage Service",
                  "url": "https://docs.aws.amazon.com/AmazonS3/latest/userguide/batch-ops-create-job.html",
                  "quote": "S3 Batch Operations does not support CSV manifest files that are AWS KMS-encrypted.",
                  "seen": "archive"}]},
            {"behaviour": "a generated manifest is written as <ManifestPrefix>/job-<id>/manifest.csv (Bucket,Key rows); "
                          "the source bucket is listed as the job's role (s3:ListBucket)",
             "status": "unconfirmed",
             "searched": "API_control_S3ManifestOutputLocation.html and batch-ops-create-job.html (Generating an "
                         "object list automatically): the object names under ManifestPrefix are not stated; cmek "
                         "reads nothing from them"},
            {"behaviour": "the report's top-level file is <prefix>/job-<id>/manifest.json (as the user guide's "
                          "example shows), not report.json",
             "status": "not-documented",
             "searched": "batch-ops-examples-reports.html shows manifest.json; the JobReport API reference names "
                         "report.json",
             "aws_says": [
                 {"page": "JobReport - Amazon Simple Storage Service API Reference",
                  "url": "https://docs.aws.amazon.com/AmazonS3/latest/API/API_control_JobReport.html",
                  "quote": "Amazon S3 stores the job-completion report at <prefix>/job-<job-id>/report.json.",
                  "seen": "api-model"}]},
            {"behaviour": "results CSV rows follow ReportSchema (ErrorCode before HTTPStatusCode; the user guide's "
                          "example rows have them the other way round), keys as written in the manifest "
                          "(URL-encoded), ResultMessage 'Successful' for a copy that succeeded, one file per task "
                          "status, FailedTasksOnly writes no succeeded file",
             "status": "unconfirmed",
             "searched": "batch-ops-examples-reports.html (Lambda examples only: "
                         "'awsexamplebucket1,image_14975,,failed,200,PermanentFailure,...'), JobReport API "
                         "reference; cmek takes the error code from whichever of the two columns is not an HTTP "
                         "status, and its unit test reads both orders"},
            {"behaviour": "failure codes and reasons other than the quoted AccessDenied one (NoSuchKey manifest, "
                          "ManifestETagMismatch, InvalidManifestContent, TaskFailureThresholdExceeded, "
                          "ReportNotWritten), the task error for an object over 5 GB (400 InvalidRequest 'The "
                          "specified copy source is larger than the maximum allowable size for a copy source: "
                          "5368709120'), 404 NoSuchJobException for an unknown job (the model lists "
                          "NotFoundException; the troubleshooting page names NoSuchJobException), 400 "
                          "JobStatusException for a transition UpdateJobStatus may not make",
             "status": "unconfirmed",
             "searched": "troubleshooting-batch-operations.html, batch-ops-job-status.html, the S3 Control error "
                         "shapes (no descriptions, no HTTP status codes)"},
            {"behaviour": "a task checks only s3:GetObject on the source, s3:PutObject on the target and the KMS "
                          "permissions; tag and ACL permissions, versions, TargetKeyPrefix, Object Lock and ACL "
                          "fields of S3CopyObjectOperation are not modelled; only S3PutObjectCopy jobs and CSV "
                          "manifests are accepted",
             "status": "unconfirmed",
             "searched": "CopyObject API reference (no tagging permission stated), batch-ops-iam-role-policies.html "
                         "example policies"},
        ],
    },
    "R15": {
        "summary": "Objects that report a size over 5 GB (POST /_localaws/s3/size: HeadObject, ListObjects* and "
                   "GetObjectAttributes report it, GetObject serves the real bytes) and multipart copy: "
                   "CreateMultipartUpload honours SSE-KMS key, bucket key, storage class, x-amz-meta-*, "
                   "Content-Type, x-amz-tagging and checksum algorithm (moto lost the bucket key) and SSE-S3 by "
                   "default (R10); UploadPartCopy takes ranges over the reported size (parts of such an object "
                   "are virtual: they report their range's length and carry the real bytes in it), refuses a "
                   "range past the end, answers 412 PreconditionFailed when x-amz-copy-source-if-match differs "
                   "(moto ignores it), refuses an archived source and answers the part's checksum when the "
                   "upload has an algorithm (moto leaves it out); CompleteMultipartUpload honours If-Match "
                   "(412) and the object reports the sum of its parts. KMS: kms:GenerateDataKey for "
                   "CreateMultipartUpload, kms:Decrypt for UploadPartCopy (the upload's key and a source under "
                   "SSE-KMS) and CompleteMultipartUpload, through s3.<region> as in R7. Multipart calls are logged "
                   "under their own names.",
        "cites": [
            {"models": "objects over 5 GB are copied by multipart copy",
             "page": "CopyObject - Amazon Simple Storage Service API Reference",
             "url": "https://docs.aws.amazon.com/AmazonS3/latest/API/API_CopyObject.html",
             "quote": "However, to copy an object greater than 5 GB, you must use the multipart upload Upload Part - "
                      "Copy (UploadPartCopy) API.",
             "seen": "api-model"},
            {"models": "UploadPartCopy copies a range of the source",
             "page": "UploadPartCopy - Amazon Simple Storage Service API Reference",
             "url": "https://docs.aws.amazon.com/AmazonS3/latest/API/API_UploadPartCopy.html",
             "quote": "To specify a byte range, you add the request header x-amz-copy-source-range in your request.",
             "seen": "api-model"},
            {"models": "x-amz-copy-source-if-match: only a source with that ETag is copied",
             "page": "UploadPartCopy - Amazon Simple Storage Service API Reference",
             "url": "https://docs.aws.amazon.com/AmazonS3/latest/API/API_UploadPartCopy.html",
             "quote": "Copies the object if its entity tag (ETag) matches the specified tag.",
             "seen": "api-model"},
            {"models": "CompleteMultipartUpload If-Match: 412 when the object's ETag differs",
             "page": "CompleteMultipartUpload - Amazon Simple Storage Service API Reference",
             "url": "https://docs.aws.amazon.com/AmazonS3/latest/API/API_CompleteMultipartUpload.html",
             "quote": "Uploads the object only if the ETag (entity tag) value provided during the WRITE operation "
                      "matches the ETag of the object in S3. If the ETag values do not match, the operation returns "
                      "a 412 Precondition Failed error.",
             "seen": "api-model"},
            {"models": "CompleteMultipartUpload If-Match: 412 when the object's ETag differs",
             "page": "How to prevent object overwrites with conditional writes - Amazon Simple Storage Service",
             "url": "https://docs.aws.amazon.com/AmazonS3/latest/userguide/conditional-writes.html",
             "quote": "Alternatively, you can add the If-Match header to check an object's entity tag (ETag) before "
                      "writing an object.",
             "seen": "docs"},
            {"models": "CreateMultipartUpload needs kms:GenerateDataKey",
             "page": "CreateMultipartUpload - Amazon Simple Storage Service API Reference",
             "url": "https://docs.aws.amazon.com/AmazonS3/latest/API/API_CreateMultipartUpload.html",
             "quote": "The requester must also have permissions for the kms:GenerateDataKey action for the "
                      "CreateMultipartUpload API.",
             "seen": "api-model"},
            {"models": "UploadPartCopy (and completing the upload) needs kms:Decrypt",
             "page": "CreateMultipartUpload - Amazon Simple Storage Service API Reference",
             "url": "https://docs.aws.amazon.com/AmazonS3/latest/API/API_CreateMultipartUpload.html",
             "quote": "Then, the requester needs permissions for the kms:Decrypt action on the UploadPart and "
                      "UploadPartCopy APIs.",
             "seen": "api-model"},
            {"models": "UploadPartCopy (and completing the upload) needs kms:Decrypt",
             "page": "CreateMultipartUpload - Amazon Simple Storage Service API Reference",
             "url": "https://docs.aws.amazon.com/AmazonS3/latest/API/API_CreateMultipartUpload.html",
             "quote": "These permissions are required because Amazon S3 must decrypt and read data from the encrypted "
                      "file parts before it completes the multipart upload.",
             "seen": "api-model"},
            {"models": "UploadPartCopy answers the part's checksum when the upload has a checksum algorithm",
             "page": "UploadPartCopy - Amazon Simple Storage Service API Reference (CopyPartResult)",
             "url": "https://docs.aws.amazon.com/AmazonS3/latest/API/API_CopyPartResult.html",
             "quote": "This checksum is present if the multipart upload request was created with the CRC32 checksum "
                      "algorithm.",
             "seen": "api-model"},
            {"models": "parts are at least 5 MB but the last (virtual parts count their reported size)",
             "page": "CompleteMultipartUpload - Amazon Simple Storage Service API Reference",
             "url": "https://docs.aws.amazon.com/AmazonS3/latest/API/API_CompleteMultipartUpload.html",
             "quote": "Each part must be at least 5 MB in size, except the last part.",
             "seen": "api-model"},
            {"models": "CreateMultipartUpload's storage class, STANDARD by default",
             "page": "CreateMultipartUpload - Amazon Simple Storage Service API Reference",
             "url": "https://docs.aws.amazon.com/AmazonS3/latest/API/API_CreateMultipartUpload.html",
             "quote": "By default, Amazon S3 uses the STANDARD Storage Class to store newly created objects.",
             "seen": "api-model"},
            {"models": "CreateMultipartUpload's x-amz-tagging",
             "page": "CreateMultipartUpload - Amazon Simple Storage Service API Reference",
             "url": "https://docs.aws.amazon.com/AmazonS3/latest/API/API_CreateMultipartUpload.html",
             "quote": "The tag-set for the object. The tag-set must be encoded as URL Query parameters.",
             "seen": "api-model"},
            {"models": "an object in an Intelligent-Tiering archive tier cannot be copied until restored",
             "page": "CopyObject - Amazon Simple Storage Service API Reference",
             "url": "https://docs.aws.amazon.com/AmazonS3/latest/API/API_CopyObject.html",
             "quote": "The storage class of the source object is INTELLIGENT_TIERING and it's S3 Intelligent-Tiering "
                      "access tier is Archive Access or Deep Archive Access.",
             "seen": "api-model"},
        ],
        "unconfirmed": [
            {"behaviour": "POST /_localaws/s3/size {account, bucket, key, size}: the object's current version "
                          "reports `size` while holding its real bytes; parts copied from it report their ranges",
             "status": "harness",
             "searched": "a test instrument: lets a test copy an object 'over 5 GB' without storing one"},
            {"behaviour": "POST /_localaws/s3/overwrite-on-copy {account, bucket, key}: the next UploadPartCopy "
                          "from that object first overwrites it (new bytes, the bucket's default encryption)",
             "status": "harness",
             "searched": "a test instrument: a concurrent writer at a chosen moment"},
            {"behaviour": "POST /_localaws/s3/archive-status {account, bucket, key, status}: the object is in an "
                          "Intelligent-Tiering archive tier (HeadObject's x-amz-archive-status; copies refuse it "
                          "with 403 InvalidObjectState)",
             "status": "harness",
             "searched": "a test instrument: moto does not model access tiers"},
            {"behaviour": "UploadPartCopy whose x-amz-copy-source-if-match differs answers 412 PreconditionFailed "
                          "(POST /_localaws/config {\"upload_part_copy_if_match\": 0} gives the other answer: the "
                          "part is copied; cmek's test runs under both)",
             "status": "unconfirmed",
             "searched": "UploadPartCopy API reference: 412 is stated for the if-none-match/if-modified-since pair, "
                         "not in so many words for if-match alone"},
            {"behaviour": "UploadPartCopy whose range ends past the source's size answers 400 InvalidArgument "
                          "'Range specified is not valid for source object of size: N'; from an archived source "
                          "403 InvalidObjectState",
             "status": "unconfirmed",
             "searched": "UploadPartCopy API reference (x-amz-copy-source-range; no error for a range past the end; "
                         "the archive rule is CopyObject's)"},
            {"behaviour": "CompleteMultipartUpload checks kms:Decrypt on the upload's key; If-Match on a key with no "
                          "object answers 404 NoSuchKey",
             "status": "unconfirmed",
             "searched": "CreateMultipartUpload permissions (Decrypt is named for UploadPart/UploadPartCopy, with "
                         "completion as the reason); conditional-writes.html"},
        ],
    },
    "R17": {
        "summary": "RDS settings beside storage: Performance Insights (moto has none) is on where CreateDBInstance or "
                   "ModifyDBInstance turns it on, under PerformanceInsightsKMSKeyId or the account's default key, and "
                   "described on every DBInstance; its key cannot change once on; ModifyDBInstance applies as "
                   "`modifying`; a managed master password secret's key cannot change; a restore refuses "
                   "ManageMasterUserPassword except for Oracle, and the restored instance has neither the secret nor "
                   "Performance Insights (restore_settings 0) or both from the source under its keys (1).",
        "cites": [
            {"models": "the default key when none is named",
             "page": "ModifyDBInstance - Amazon Relational Database Service API Reference",
             "url": "https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_ModifyDBInstance.html",
             "quote": "If you don't specify a value for PerformanceInsightsKMSKeyId, then Amazon RDS uses your default "
                      "KMS key.",
             "seen": "api-model"},
            {"models": "ModifyDBInstance turns Performance Insights on",
             "page": "Turning Performance Insights on and off - Amazon Relational Database Service",
             "url": "https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_PerfInsights.Enabling.html",
             "quote": "You can also specify the EnablePerformanceInsights value using the following API operations:",
             "seen": "pages"},
            {"models": "the key cannot change once Performance Insights is on",
             "page": "AWS::RDS::DBInstance - AWS CloudFormation",
             "url": "https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-rds-dbinstance.html",
             "quote": "Once Performance Insights is enabled with a KMS key, you cannot change to a different physical "
                      "KMS key without replacing the DB instance.",
             "seen": "docs"},
            {"models": "`modifying` while a change is applied",
             "page": "Viewing Amazon RDS DB instance status - Amazon Relational Database Service",
             "url": "https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/accessing-monitoring.html",
             "quote": "The DB instance is being modified because of a customer request to modify the DB instance.",
             "seen": "archive"},
            {"models": "a managed secret's key cannot change",
             "page": "ModifyDBInstance - Amazon Relational Database Service API Reference",
             "url": "https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_ModifyDBInstance.html",
             "quote": "If the DB instance already manages the master user password in Amazon Web Services Secrets "
                      "Manager, you can't change the KMS key used to encrypt the secret.",
             "seen": "api-model"},
            {"models": "ManageMasterUserPassword on a restore is for Oracle only",
             "page": "RestoreDBInstanceFromDBSnapshot - Amazon Relational Database Service API Reference",
             "url": "https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_RestoreDBInstanceFromDBSnapshot.html",
             "quote": "Applies to RDS for Oracle only.",
             "seen": "api-model"},
        ],
        "unconfirmed": [
            {"behaviour": "a restored instance starts without the source's managed secret and Performance Insights "
                          "(restore_settings 0), or with both under the source's keys (1)",
             "status": "unconfirmed",
             "searched": "RestoreDBInstanceFromDBSnapshot takes no Performance Insights setting and takes "
                         "ManageMasterUserPassword for Oracle only; no page says what a restored instance of another "
                         "engine has; cmek is tested under both answers"},
            {"behaviour": "a restore of another engine with ManageMasterUserPassword is refused "
                          "(InvalidParameterCombination) rather than ignored",
             "status": "unconfirmed",
             "searched": "the constraint is stated, the error is not; cmek never sends it for another engine"},
            {"behaviour": "changing the Performance Insights key answers InvalidParameterCombination",
             "status": "unconfirmed",
             "searched": "the RDS API reference does not say; CloudFormation's page says the key cannot change"},
        ],
    },
    "R18": {
        "summary": "CloudWatch's GetMetricData (Smithy RPC v2 CBOR, which moto does not speak) over the metrics the "
                   "layer publishes; Firehose refuses a record put to a stream whose customer key is disabled, pending "
                   "deletion or gone (InvalidKMSResourceException) and counts it in AWS/Firehose KMSKeyDisabled, "
                   "KMSKeyInvalidState or KMSKeyNotFound per DeliveryStreamName. A key policy change alone refuses "
                   "nothing: Firehose uses its grant.",
        "cites": [
            {"models": "a put record fails when KMS refuses",
             "page": "InvalidKMSResourceException - Amazon Data Firehose API Reference",
             "url": "https://docs.aws.amazon.com/firehose/latest/APIReference/API_PutRecord.html",
             "quote": "Firehose throws this exception when an attempt to put records or to start or stop Firehose "
                      "stream encryption fails.",
             "seen": "docs", "seen_at": "https://docs.aws.amazon.com/sdk-for-kotlin/api/latest/firehose/aws.sdk.kotlin.services.firehose.model/-invalid-kms-resource-exception"},
            {"models": "the SSE metrics live in AWS/Firehose",
             "page": "Monitoring with CloudWatch metrics (SSE metrics) - Amazon Data Firehose",
             "url": "https://docs.aws.amazon.com/firehose/latest/dev/monitoring-with-cloudwatch-metrics.html",
             "quote": "The AWS/Firehose namespace includes the following metrics that are related to SSE.",
             "seen": "archive"},
            {"models": "KMSKeyDisabled counts KMSDisabledException",
             "page": "Monitoring with CloudWatch metrics (SSE metrics) - Amazon Data Firehose",
             "url": "https://docs.aws.amazon.com/firehose/latest/dev/monitoring-with-cloudwatch-metrics.html",
             "quote": "The number of times the service encounters a KMSDisabledException for the delivery stream.",
             "seen": "archive"},
            {"models": "KMSKeyInvalidState counts KMSInvalidStateException (a key pending deletion)",
             "page": "Monitoring with CloudWatch metrics (SSE metrics) - Amazon Data Firehose",
             "url": "https://docs.aws.amazon.com/firehose/latest/dev/monitoring-with-cloudwatch-metrics.html",
             "quote": "The number of times the service encounters a KMSInvalidStateException for the delivery stream.",
             "seen": "archive"},
            {"models": "per stream: the DeliveryStreamName dimension",
             "page": "Monitoring with CloudWatch metrics - Amazon Data Firehose",
             "url": "https://docs.aws.amazon.com/firehose/latest/dev/monitoring-with-cloudwatch-metrics.html",
             "quote": "To filter metrics by delivery stream, use the DeliveryStreamName dimension.",
             "seen": "archive"},
            {"models": "at most 500 queries a call",
             "page": "MetricDataQuery - Amazon CloudWatch API Reference",
             "url": "https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_MetricDataQuery.html",
             "quote": "A single GetMetricData call can include up to 500 MetricDataQuery structures.",
             "seen": "docs"},
            {"models": "query ids",
             "page": "MetricDataQuery - Amazon CloudWatch API Reference",
             "url": "https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_MetricDataQuery.html",
             "quote": "The first character must be a lowercase letter.",
             "seen": "docs"},
            {"models": "Complete, and timestamps paired with values",
             "page": "MetricDataResult - Amazon CloudWatch API Reference",
             "url": "https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_MetricDataResult.html",
             "quote": "The number of timestamps always matches the number of values and the value for Timestamps[x] "
                      "is Values[x].",
             "seen": "docs"},
        ],
        "unconfirmed": [
            {"behaviour": "a query with no data answers empty Timestamps and Values with StatusCode Complete",
             "status": "unconfirmed",
             "searched": "MetricDataResult documents Complete as 'all data points in the requested time range were "
                         "returned'; no page describes the empty case; cmek treats no data and no result alike"},
            {"behaviour": "periods are aligned to multiples of Period since the epoch",
             "status": "unconfirmed",
             "searched": "GetMetricData does not state the alignment; cmek sums every period in the window, so "
                         "alignment does not change its answer"},
            {"behaviour": "Firehose counts one KMS exception per refused PutRecord or PutRecordBatch call",
             "status": "unconfirmed",
             "searched": "the metrics count 'the number of times the service encounters' the exception; how often it "
                         "tries per record is not stated; cmek reports the sum and never decides on it"},
        ],
    },
    "R16": {
        "summary": "IAM SimulatePrincipalPolicy (moto has none): the identity policies of a user (with its groups'), "
                   "group or role of the caller's account, plus PolicyInputList, evaluated per action and resource "
                   "(wildcards, NotAction/NotResource, conditions with ContextEntries; Deny wins); one "
                   "EvaluationResult per action with the most restrictive decision, ResourceSpecificResults when "
                   "ResourceArns are given, MatchedStatements and MissingContextValues; NoSuchEntity (404) for an "
                   "unknown principal, InvalidInput (400) for an ARN that is not a user, group or role.",
        "cites": [
            {"models": "the policies of a user, group or role",
             "page": "SimulatePrincipalPolicy - AWS Identity and Access Management API Reference",
             "url": "https://docs.aws.amazon.com/IAM/latest/APIReference/API_SimulatePrincipalPolicy.html",
             "quote": "The Amazon Resource Name (ARN) of a user, group, or role whose policies you want to include in "
                      "the simulation.",
             "seen": "api-model"},
            {"models": "a user's groups' policies count",
             "page": "SimulatePrincipalPolicy - AWS Identity and Access Management API Reference",
             "url": "https://docs.aws.amazon.com/IAM/latest/APIReference/API_SimulatePrincipalPolicy.html",
             "quote": "If you specify a user, the simulation also includes all policies that are attached to any "
                      "groups the user belongs to.",
             "seen": "api-model"},
            {"models": "ResourceArns defaults to *",
             "page": "SimulatePrincipalPolicy - AWS Identity and Access Management API Reference",
             "url": "https://docs.aws.amazon.com/IAM/latest/APIReference/API_SimulatePrincipalPolicy.html",
             "quote": "If this parameter is not provided, then the value defaults to * (all resources).",
             "seen": "api-model"},
            {"models": "one EvaluationResult per action, the most restrictive decision on top",
             "page": "EvaluationResult - AWS Identity and Access Management API Reference",
             "url": "https://docs.aws.amazon.com/IAM/latest/APIReference/API_EvaluationResult.html",
             "quote": "The simulator now returns a single EvaluationResult per action, regardless of how many resource "
                      "ARNs are provided.",
             "seen": "api-model"},
            {"models": "one EvaluationResult per action, the most restrictive decision on top",
             "page": "EvaluationResult - AWS Identity and Access Management API Reference",
             "url": "https://docs.aws.amazon.com/IAM/latest/APIReference/API_EvaluationResult.html",
             "quote": "The top-level EvalDecision reflects the most restrictive decision across all resources (for "
                      "example, if any resource produces explicitDeny, the top-level decision is explicitDeny).",
             "seen": "api-model"},
            {"models": "a Deny is the only matched statement",
             "page": "EvaluationResult - AWS Identity and Access Management API Reference",
             "url": "https://docs.aws.amazon.com/IAM/latest/APIReference/API_EvaluationResult.html",
             "quote": "Remember that even if multiple statements allow the operation on the resource, if only one "
                      "statement denies that operation, then the explicit deny overrides any allow.",
             "seen": "api-model"},
            {"models": "MissingContextValues",
             "page": "EvaluationResult - AWS Identity and Access Management API Reference",
             "url": "https://docs.aws.amazon.com/IAM/latest/APIReference/API_EvaluationResult.html",
             "quote": "A list of context keys that are required by the included input policies but that were not "
                      "provided by one of the input parameters.",
             "seen": "api-model"},
            {"models": "a condition whose key is missing does not match",
             "page": "IAM JSON policy elements: Condition operators - AWS Identity and Access Management",
             "url": "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html",
             "quote": "If the key that you specify in a policy condition is not present in the request context, the "
                      "values do not match and the condition is false.",
             "seen": "docs"},
            {"models": "NoSuchEntity for a principal that does not exist",
             "page": "SimulatePrincipalPolicy - AWS Identity and Access Management API Reference (Errors)",
             "url": "https://docs.aws.amazon.com/IAM/latest/APIReference/API_SimulatePrincipalPolicy.html",
             "quote": "The request was rejected because it referenced a resource entity that does not exist.",
             "seen": "api-model"},
        ],
        "unconfirmed": [
            {"behaviour": "an STS assumed-role (or any non user/group/role) ARN as PolicySourceArn answers 400 "
                          "InvalidInput",
             "status": "unconfirmed",
             "searched": "SimulatePrincipalPolicy API reference: PolicySourceArn names user, group or role; only "
                         "CallerArn says 'You cannot specify the ARN of an assumed role, federated user, or a "
                         "service principal.'"},
            {"behaviour": "the top-level EvalResourceName is * (AWS: the ARN template of the action's resource "
                          "type, not modelled); ResourceSpecificResults only when ResourceArns are given; a "
                          "simulated resource of * matches resource-scoped statements",
             "status": "unconfirmed",
             "searched": "EvaluationResult and ResourceSpecificResult API reference; the ARN templates are in the "
                         "Service Authorization Reference"},
            {"behaviour": "MissingContextValues lists the condition keys of the statements matching the action and "
                          "resource that ContextEntries did not give; SourcePolicyId is the inline policy's name or "
                          "the managed policy's ARN; no Start/EndPosition; Numeric and Date operators answer "
                          "PolicyEvaluation",
             "status": "unconfirmed",
             "searched": "EvaluationResult, Statement and GetContextKeysForPrincipalPolicy API reference"},
            {"behaviour": "the caller needs iam:SimulatePrincipalPolicy: not modelled (the layer models no caller "
                          "identity policies; an iam-deny fault refuses the call); ResourcePolicy, permissions "
                          "boundaries, CallerArn, PolicyExclusionList, SCPs and pagination are ignored",
             "status": "harness",
             "searched": "a test convention shared with R8: our own IAM is simulated by faults"},
        ],
    },
}

DEFAULT_ACCOUNT = "123456789012"

CROSS_ACCOUNT_OPS = {
    "DescribeKey", "Encrypt", "Decrypt", "ReEncrypt", "GenerateDataKey",
    "GenerateDataKeyWithoutPlaintext", "GenerateDataKeyPair", "GenerateDataKeyPairWithoutPlaintext",
    "GenerateMac", "VerifyMac", "Sign", "Verify", "GetPublicKey", "CreateGrant", "ListGrants",
    "RetireGrant", "RevokeGrant", "GetKeyRotationStatus", "DeriveSharedSecret",
}
CRYPTO_OPS = {
    "Encrypt", "Decrypt", "ReEncrypt", "GenerateDataKey", "GenerateDataKeyWithoutPlaintext",
    "GenerateDataKeyPair", "GenerateDataKeyPairWithoutPlaintext", "GenerateMac", "VerifyMac",
    "Sign", "Verify", "DeriveSharedSecret",
}
KMS_READ_ONLY = CRYPTO_OPS | {
    "DescribeKey", "GetKeyPolicy", "GetKeyRotationStatus", "GetPublicKey", "GetParametersForImport",
    "ListAliases", "ListGrants", "ListKeyPolicies", "ListKeyRotations", "ListKeys",
    "ListResourceTags", "ListRetirableGrants", "GenerateRandom",
}
GRANT_OPS = {"CreateGrant", "ListGrants", "RevokeGrant"}
JSON_SERVICES = {"kms": "TrentService", "firehose": "Firehose_20150804"}


# ---------------------------------------------------------------------------------------------
# Requests


class Call:
    """What the fidelity layer knows about one request."""

    def __init__(self, environ, body):
        self.environ = environ
        self.body = body
        auth = environ.get("HTTP_AUTHORIZATION", "")
        m = re.search(r"Credential=([^/]+)/\d+/([^/]+)/([^/]+)/", auth)
        self.access_key = m.group(1) if m else ""
        self.region = m.group(2) if m else "us-east-1"
        self.service = m.group(3) if m else self._service_from_host()
        self.method = environ.get("REQUEST_METHOD", "GET")
        self.path = environ.get("PATH_INFO", "/")
        self.query = urllib.parse.parse_qs(environ.get("QUERY_STRING", ""), keep_blank_values=True)
        self.json = {}
        self.form = {}
        target = environ.get("HTTP_X_AMZ_TARGET", "")
        self.cbor = {}
        if self.service == "monitoring" and self.path.startswith("/service/"):
            # R18: Smithy RPC v2 CBOR, POST /service/<service>/operation/<operation>.
            self.operation = self.path.rsplit("/", 1)[-1]
            try:
                self.cbor = cbor2.loads(body) if body else {}
            except Exception:
                self.cbor = {}
        elif self.service == "s3" and self.path.startswith("/v20180820/"):
            # R14: S3 Control signs as "s3" too; its REST paths all start with the API version.
            self.service = "s3control"
            self.operation = s3control_operation(self.method, self.path)
        elif target:
            self.operation = target.split(".")[-1]
            try:
                self.json = json.loads(body or b"{}")
            except ValueError:
                self.json = {}
        elif self.service in ("s3",):
            self.operation = self._s3_operation()
        else:
            self.form = {k: v[0] for k, v in urllib.parse.parse_qs(body.decode("utf-8", "replace")).items()}
            self.operation = self.form.get("Action") or self.query.get("Action", [""])[0]
        self.account, self.caller_arn = caller_identity(self.access_key, environ)
        self.replayed = False  # R14: a CreateJob answered from its idempotency token changes nothing

    def _service_from_host(self):
        host = self.environ.get("HTTP_HOST", "")
        return host.split(".")[0] if "." in host else "unknown"

    def _s3_operation(self):
        sub = next((k for k in ("encryption", "tagging", "versioning", "publicAccessBlock", "ownershipControls",
                                 "policy", "acl", "uploads", "uploadId", "versions", "list-type", "location",
                                 "delete", "lifecycle", "logging") if k in self.query), None)
        parts = [p for p in self.path.split("/") if p]
        has_key = len(parts) > 1
        verb = {"GET": "Get", "HEAD": "Head", "PUT": "Put", "POST": "Post", "DELETE": "Delete"}[self.method]
        if has_key and "uploadId" in self.query:  # R15: the multipart upload calls by their names
            if self.method == "PUT":
                return "UploadPartCopy" if "HTTP_X_AMZ_COPY_SOURCE" in self.environ else "UploadPart"
            return {"POST": "CompleteMultipartUpload", "DELETE": "AbortMultipartUpload"}.get(self.method, "ListParts")
        if "uploads" in self.query:
            return "CreateMultipartUpload" if has_key else "ListMultipartUploads"
        if has_key and self.method == "GET" and "attributes" in self.query:
            return "GetObjectAttributes"
        if self.method == "PUT" and has_key and "HTTP_X_AMZ_COPY_SOURCE" in self.environ:
            return "CopyObject"
        if sub == "list-type":
            return "ListObjectsV2"
        if sub:
            return f"{verb}{'Object' if has_key else 'Bucket'}{sub[0].upper()}{sub[1:]}"
        if not parts:
            return "ListBuckets"
        if not has_key:
            return {"GET": "ListObjects", "PUT": "CreateBucket", "DELETE": "DeleteBucket",
                    "HEAD": "HeadBucket", "POST": "PostBucket"}[self.method]
        return f"{verb}Object"

    @property
    def mutating(self):
        if self.service == "sts" or self.replayed:
            return False
        if self.service == "kms":
            return self.operation not in KMS_READ_ONLY and not self.json.get("DryRun")
        if self.service == "s3":
            return self.method in ("PUT", "POST", "DELETE")
        return not re.match(r"(Describe|Get|List|Head|Lookup|Check|Query|Scan)", self.operation)


def caller_identity(access_key, environ):
    """R1: the caller's account and principal ARN."""
    header = environ.get("HTTP_X_MOTO_ACCOUNT_ID")
    m = re.match(r"^AKIA(\d{12})", access_key)
    if header:
        account = header
    elif m:
        account = m.group(1)
    else:
        from moto.iam.models import get_account_id_from
        account = get_account_id_from(access_key) if access_key else DEFAULT_ACCOUNT
    arn = f"arn:aws:iam::{account}:root"
    try:
        from moto.sts.models import sts_backends
        for backend in sts_backends[account].values():
            role = backend.get_assumed_role_from_access_key(access_key)
            if role:
                arn = role.arn
    except Exception:  # an account moto has not seen yet
        pass
    return account, arn


# ---------------------------------------------------------------------------------------------
# Errors in each protocol


class AwsError(Exception):
    def __init__(self, status, code, message, sender=True):
        super().__init__(message)
        self.status, self.code, self.message, self.sender = status, code, message, sender


def error_response(call, err):
    rid = str(uuid.uuid4())
    if call.service == "monitoring" and call.path.startswith("/service/"):
        # R18: an RPC v2 CBOR error; awsQueryCompatible services also name the query-protocol code.
        body = cbor2.dumps({"__type": err.code, "message": err.message})
        headers = [("Content-Type", "application/cbor"), ("smithy-protocol", "rpc-v2-cbor"),
                   ("x-amzn-query-error", f"{err.code};{'Sender' if err.sender else 'Receiver'}"),
                   ("x-amzn-RequestId", rid)]
    elif call.service in JSON_SERVICES or call.environ.get("HTTP_X_AMZ_TARGET"):
        body = json.dumps({"__type": err.code, "message": err.message}).encode()
        headers = [("Content-Type", "application/x-amz-json-1.1"), ("x-amzn-ErrorType", err.code),
                   ("x-amzn-RequestId", rid)]
    elif call.service == "s3control":  # R14: S3 Control wraps its errors (ErrorResponse)
        body = (f'<?xml version="1.0" encoding="UTF-8"?>\n<ErrorResponse><Error><Code>{_xml(err.code)}</Code>'
                f"<Message>{_xml(err.message)}</Message></Error><RequestId>{rid}</RequestId></ErrorResponse>").encode()
        headers = [("Content-Type", "application/xml"), ("x-amz-request-id", rid)]
    elif call.service == "s3":
        body = (f'<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>{_xml(err.code)}</Code>'
                f"<Message>{_xml(err.message)}</Message><RequestId>{rid}</RequestId></Error>").encode()
        headers = [("Content-Type", "application/xml"), ("x-amz-request-id", rid)]
    else:
        kind = "Sender" if err.sender else "Receiver"
        body = (f'<ErrorResponse><Error><Type>{kind}</Type><Code>{_xml(err.code)}</Code>'
                f"<Message>{_xml(err.message)}</Message></Error><RequestId>{rid}</RequestId></ErrorResponse>").encode()
        headers = [("Content-Type", "text/xml"), ("x-amzn-RequestId", rid)]
    return err.status, headers + [("Content-Length", str(len(body)))], body


def _xml(s):
    return str(s).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


# ---------------------------------------------------------------------------------------------
# KMS fidelity (R2-R6)


def kms_backend(account, region):
    from moto.kms.models import kms_backends
    return kms_backends[account][region]


def parse_key_ref(ref, caller_account, region):
    """(owner account, region, key id or alias) for a KeyId as KMS accepts it."""
    m = re.match(r"^arn:[\w-]+:kms:([\w-]+):(\d{12}):(key/(.+)|alias/.+)$", ref or "")
    if m:
        key = m.group(4) if m.group(4) else m.group(3)
        return m.group(2), m.group(1), key
    return caller_account, region, ref


def find_key(account, region, key_ref):
    backend = kms_backend(account, region)
    try:
        return backend.keys[backend.any_id_to_key_id(key_ref)]
    except Exception:
        return None


def key_for_ciphertext(blob_b64, region):
    """Decrypt without KeyId: KMS reads the key from the ciphertext's metadata."""
    from moto.kms.models import kms_backends
    from moto.kms.utils import _deserialize_ciphertext_blob
    try:
        key_id = _deserialize_ciphertext_blob(base64.b64decode(blob_b64)).key_id
    except Exception:
        return None
    for account in list(kms_backends.keys()):
        key = kms_backends[account][region].keys.get(key_id)
        if key:
            return key
    return None


def request_context(call, via_service=None, extra_context=None):
    ctx = {"kms:CallerAccount": call.account, "aws:PrincipalAccount": call.account,
           "aws:PrincipalArn": call.caller_arn}
    enc = dict(call.json.get("EncryptionContext") or {})
    enc.update(extra_context or {})
    for k, v in enc.items():
        ctx[f"kms:EncryptionContext:{k}"] = v
    if enc:
        ctx["kms:EncryptionContextKeys"] = list(enc.keys())
    if via_service:
        ctx["kms:ViaService"] = via_service
    elif call.operation in GRANT_OPS:
        ctx["kms:GrantIsForAWSResource"] = "false"
    if call.operation == "CreateGrant":
        ctx["kms:GrantOperations"] = call.json.get("Operations") or []
    return ctx


def authorize(call, key, action, via_service=None, extra_context=None):
    """R3: the key policy decides; Deny wins. Raises AccessDeniedException as KMS words it."""
    ctx = request_context(call, via_service, extra_context)
    decision = policy.evaluate(key.policy, call.account, call.caller_arn, f"kms:{action}", ctx)
    if decision == "allow":
        return
    why = ("with an explicit deny in a resource-based policy" if decision == "deny"
           else f"because no resource-based policy allows the kms:{action} action")
    raise AwsError(400, "AccessDeniedException",
                   f"User: {call.caller_arn} is not authorized to perform: kms:{action} on this resource {why}")


def check_state(key, operation):
    """R4 (and R6): what the key's state and spec allow."""
    if operation in CRYPTO_OPS or operation == "CreateGrant":
        # R4, not-documented: CreateGrant on a Disabled key passes here, where AWS's key state table
        # answers DisabledException (RULES["R4"]["unconfirmed"]).
        if key.key_state == "Disabled" and operation != "CreateGrant":
            raise AwsError(400, "DisabledException", f"{key.arn} is disabled.")
        if key.key_state in ("PendingDeletion", "PendingImport", "PendingReplicaDeletion"):
            raise AwsError(400, "KMSInvalidStateException", f"{key.arn} is pending {key.key_state[7:].lower()}.")
        if key.key_state == "Unavailable":
            raise AwsError(400, "KeyUnavailableException", f"{key.arn} is unavailable.")
    if operation.startswith("GenerateDataKey") and "Pair" not in operation and key.key_spec != "SYMMETRIC_DEFAULT":
        raise AwsError(400, "InvalidKeyUsageException",
                       f"{key.arn} key usage is {key.key_usage} which is not valid for {operation}.")
    if operation in ("Encrypt", "Decrypt", "ReEncrypt") and key.key_usage != "ENCRYPT_DECRYPT":
        raise AwsError(400, "InvalidKeyUsageException",
                       f"{key.arn} key usage is {key.key_usage} which is not valid for {operation}.")
    if operation == "GetKeyRotationStatus" and key.key_spec != "SYMMETRIC_DEFAULT":
        raise AwsError(400, "UnsupportedOperationException", f"{key.arn} key spec is not supported for this operation.")


def kms_rules(call):
    """R2-R6. Returns the account moto must serve the call in, and the body to send it."""
    op = call.operation
    ref = call.json.get("KeyId") or call.json.get("DestinationKeyId")
    if not ref and op == "Decrypt" and call.json.get("CiphertextBlob"):
        key = key_for_ciphertext(call.json["CiphertextBlob"], call.region)
        if key is None:
            raise AwsError(400, "InvalidCiphertextException", "")
        owner = key.account_id
    elif not ref:
        if op == "CreateKey" and not call.json.get("KeyUsage"):
            # AWS defaults KeyUsage to ENCRYPT_DECRYPT; moto stores none.
            return call.account, json.dumps(dict(call.json, KeyUsage="ENCRYPT_DECRYPT")).encode()
        return call.account, call.body  # ListKeys, ListAliases...
    else:
        owner, region, key_ref = parse_key_ref(ref, call.account, call.region)
        if region != call.region:
            raise AwsError(400, "NotFoundException", f"Invalid arn {region}")
        if owner != call.account and op not in CROSS_ACCOUNT_OPS:
            # Not a cross-account operation: KMS looks in the caller's account.
            raise AwsError(400, "NotFoundException", f"Key '{ref}' does not exist")
        key = find_key(owner, call.region, key_ref)
        if key is None:
            raise AwsError(400, "NotFoundException", f"Key '{ref}' does not exist")
    authorize(call, key, op if op != "ReEncrypt" else "ReEncryptFrom")
    check_state(key, op)
    if call.json.get("DryRun"):
        raise AwsError(412, "DryRunOperationException",
                       "The request would have succeeded, but the DryRun option is set.")
    body = call.json
    if "KeyId" in body and body["KeyId"].startswith("arn:") and ":key/" in body["KeyId"]:
        # moto answers DisableKey/EnableKey/ScheduleKeyDeletion with a key ARN by HTTP 500.
        body = dict(body, KeyId=key.id) if op not in CROSS_ACCOUNT_OPS else body
    return owner, json.dumps(body).encode()


# ---------------------------------------------------------------------------------------------
# S3 through KMS (R7)


def s3_find_bucket(name):
    from moto.s3.models import s3_backends
    for account in list(s3_backends.keys()):
        for backend in s3_backends[account].values():
            if name in backend.buckets:
                return backend.buckets[name]
    return None


def s3_find(name, account=None):
    """(moto S3 backend, bucket) for a bucket name, in `account` when given; None if no such bucket."""
    from moto.s3.models import s3_backends
    for acct in ([account] if account else list(s3_backends.keys())):
        for backend in s3_backends[acct].values():
            if name in backend.buckets:
                return backend, backend.buckets[name]
    return None


def s3_key_use(call, key_ref, action, context_arn):
    """Checks S3's use of a KMS key on the caller's behalf; raises the S3 error AWS returns."""
    if not key_ref:
        return  # the AWS managed aws/s3 key: not the customer's
    owner, region, ref = parse_key_ref(key_ref, call.account, call.region)
    key = find_key(owner, region, ref)
    if key is None:
        raise AwsError(400, "KMS.NotFoundException", f"Invalid keyId '{key_ref}'")
    try:
        authorize(call, key, action, via_service=f"s3.{region}.amazonaws.com",
                  extra_context={"aws:s3:arn": context_arn})
        check_state(key, action)
    except AwsError as e:
        if e.code == "AccessDeniedException":
            raise AwsError(403, "AccessDenied", e.message.replace("on this resource", f"on resource: {key.arn}"))
        raise AwsError(400, f"KMS.{e.code}", e.message)


def s3_rules(call):
    parts = [p for p in call.path.split("/") if p]
    if len(parts) < 2 or call.operation not in ("PutObject", "CopyObject", "GetObject", "PostObject",
                                                "CreateMultipartUpload", "UploadPartCopy",
                                                "CompleteMultipartUpload"):
        return
    bucket_name, object_key = parts[0], urllib.parse.unquote("/".join(parts[1:]))
    bucket = s3_find_bucket(bucket_name)
    if bucket is None:
        return
    if call.operation == "GetObject":
        obj = bucket.keys.get(object_key)
        if obj is not None and getattr(obj, "encryption", None) == "aws:kms":
            arn = f"arn:aws:s3:::{bucket_name}" if obj.bucket_key_enabled else f"arn:aws:s3:::{bucket_name}/{object_key}"
            s3_key_use(call, obj.kms_key_id, "Decrypt", arn)
        return
    if call.operation in ("UploadPartCopy", "CompleteMultipartUpload"):
        return multipart_rules(call, bucket, bucket_name, object_key)
    sse = call.environ.get("HTTP_X_AMZ_SERVER_SIDE_ENCRYPTION")
    key_ref = call.environ.get("HTTP_X_AMZ_SERVER_SIDE_ENCRYPTION_AWS_KMS_KEY_ID")
    bucket_key = call.environ.get("HTTP_X_AMZ_SERVER_SIDE_ENCRYPTION_BUCKET_KEY_ENABLED", "").lower() == "true"
    if sse is None and not bucket.encryption:
        # R10: a bucket without a configuration encrypts with SSE-S3 (R15: multipart uploads too).
        call.environ["HTTP_X_AMZ_SERVER_SIDE_ENCRYPTION"] = "AES256"
        return
    if sse is None and bucket.encryption:
        rule = (bucket.encryption.get("Rule") or {})
        default = rule.get("ApplyServerSideEncryptionByDefault") or {}
        sse = default.get("SSEAlgorithm")
        key_ref = default.get("KMSMasterKeyID")
        bucket_key = str(rule.get("BucketKeyEnabled", "false")).lower() == "true"
    if sse == "aws:kms":
        # R7; R15: CreateMultipartUpload needs kms:GenerateDataKey like PutObject.
        arn = f"arn:aws:s3:::{bucket_name}" if bucket_key else f"arn:aws:s3:::{bucket_name}/{object_key}"
        s3_key_use(call, key_ref, "GenerateDataKey", arn)


# ---------------------------------------------------------------------------------------------
# Objects that report a size over 5 GB, and multipart copy (R15)

MAX_COPY_BYTES = 5 * 1024 ** 3  # CopyObject's and Batch Copy's limit (R14, R15)
OVERWRITE_ON_COPY = set()  # R15 harness: (bucket, key) overwritten before the next UploadPartCopy from it


def upload_encryption(bucket, multipart):
    """(SSE algorithm, key id, bucket key) the completed object of a multipart upload gets: the
    upload's own headers, else the bucket's default encryption (as moto applies it on completion)."""
    sse = getattr(multipart, "sse_encryption", None)
    key_ref = getattr(multipart, "kms_key_id", None)
    bucket_key = bool(getattr(multipart, "_localaws_bucket_key", False))
    if not sse and bucket.encryption:
        rule = bucket.encryption.get("Rule") or {}
        default = rule.get("ApplyServerSideEncryptionByDefault") or {}
        sse, key_ref = default.get("SSEAlgorithm"), default.get("KMSMasterKeyID")
        bucket_key = str(rule.get("BucketKeyEnabled", "false")).lower() == "true"
    return sse, key_ref, bucket_key


def archived(obj):
    """An object no copy can read until restored: GLACIER or DEEP_ARCHIVE without a finished restore,
    or an Intelligent-Tiering archive tier (R14, R15)."""
    if getattr(obj, "_localaws_archive_status", None):
        return True
    restore = obj.response_dict.get("x-amz-restore", "") if obj._expiry is not None else ""
    return obj.storage_class in ("GLACIER", "DEEP_ARCHIVE") and 'ongoing-request="false"' not in restore


def precondition_failed(condition):
    return AwsError(412, "PreconditionFailed", "At least one of the pre-conditions you specified did not hold "
                                               f"({condition})")


def overwrite_now(bucket_name, key_name):
    """R15 harness: a concurrent writer puts new bytes at the key, under the bucket's default
    encryption (SSE-S3 without one, R10), so its ETag changes."""
    backend, bucket = s3_find(bucket_name)
    new = backend.put_object(bucket_name, key_name, f"written again at {time.time()!r}".encode(),
                             encryption=None if bucket.encryption else "AES256")
    return new


def multipart_rules(call, bucket, bucket_name, object_key):
    """R15 before the call: UploadPartCopy's x-amz-copy-source-if-match and range (over the size the
    source reports), CompleteMultipartUpload's If-Match, and the KMS use of both (kms:Decrypt through
    s3.<region>: the parts are decrypted to be copied and to complete the upload)."""
    upload_id = call.query.get("uploadId", [""])[0]
    multipart = bucket.multiparts.get(upload_id)
    call.s3_multipart = multipart
    if multipart is None:
        return  # moto answers NoSuchUpload
    sse, key_ref, bucket_key = upload_encryption(bucket, multipart)
    context_arn = f"arn:aws:s3:::{bucket_name}" if bucket_key else f"arn:aws:s3:::{bucket_name}/{object_key}"
    if call.operation == "CompleteMultipartUpload":
        if_match = call.environ.get("HTTP_IF_MATCH")
        if if_match:
            current = bucket.keys.get(object_key)
            if current is None:
                raise AwsError(404, "NoSuchKey", "The specified key does not exist.")
            if current.etag.strip('"') != if_match.strip('"'):
                raise precondition_failed("If-Match")
        if sse == "aws:kms":
            s3_key_use(call, key_ref, "Decrypt", context_arn)
        return
    source = urllib.parse.urlparse(call.environ.get("HTTP_X_AMZ_COPY_SOURCE", ""))
    src_bucket_name, _, src_key_name = urllib.parse.unquote(source.path).lstrip("/").partition("/")
    found = s3_find(src_bucket_name)
    if found is None:
        return
    if (src_bucket_name, src_key_name) in OVERWRITE_ON_COPY:
        OVERWRITE_ON_COPY.discard((src_bucket_name, src_key_name))
        overwrite_now(src_bucket_name, src_key_name)
    src = found[1].keys.get(src_key_name)
    if src is None:
        return  # moto answers NoSuchKey
    if_match = call.environ.get("HTTP_X_AMZ_COPY_SOURCE_IF_MATCH")
    # R15 (unconfirmed): 412 on a differing if-match, or (upload_part_copy_if_match: 0) the part is
    # copied from whatever the object now is; CompleteMultipartUpload's If-Match catches that one.
    if if_match and src.etag.strip('"') != if_match.strip('"') and CONFIG["upload_part_copy_if_match"]:
        raise precondition_failed("x-amz-copy-source-If-Match")
    if archived(src):
        raise AwsError(403, "InvalidObjectState", "The operation is not valid for the object's storage class")
    m = re.match(r"^bytes=(\d+)-(\d+)$", call.environ.get("HTTP_X_AMZ_COPY_SOURCE_RANGE", ""))
    if m:
        start, end = int(m.group(1)), int(m.group(2))
        if end < start or end >= src.size:
            raise AwsError(400, "InvalidArgument", f"Range specified is not valid for source object of size: {src.size}")
        call.s3_part_size = end - start + 1
    else:
        call.s3_part_size = src.size
    call.s3_source = src
    if src.encryption == "aws:kms":  # reading the source, as GetObject
        arn = (f"arn:aws:s3:::{src_bucket_name}" if src.bucket_key_enabled
               else f"arn:aws:s3:::{src_bucket_name}/{src_key_name}")
        s3_key_use(call, src.kms_key_id, "Decrypt", arn)
    if sse == "aws:kms":
        s3_key_use(call, key_ref, "Decrypt", context_arn)


def multipart_after(call, status, headers, out):
    """R15 after the call: the bucket key and the parts' reported sizes follow the upload to its
    object; an object assembled from the parts of an object that reports a size reports their sum."""
    parts = [p for p in call.path.split("/") if p]
    found = s3_find(parts[0]) if parts else None
    if found is None or status >= 300:
        return status, headers, out
    bucket = found[1]
    object_key = urllib.parse.unquote("/".join(parts[1:]))
    if call.operation == "CreateMultipartUpload":
        m = re.search(rb"<UploadId>([^<]+)</UploadId>", out)
        multipart = bucket.multiparts.get(m.group(1).decode()) if m else None
        if multipart is not None and call.environ.get(
                "HTTP_X_AMZ_SERVER_SIDE_ENCRYPTION_BUCKET_KEY_ENABLED", "").lower() == "true":
            multipart._localaws_bucket_key = True
            headers = headers + [("x-amz-server-side-encryption-bucket-key-enabled", "true")]
    elif call.operation == "UploadPartCopy" and getattr(call, "s3_source", None) is not None:
        multipart = getattr(call, "s3_multipart", None)
        part = multipart.parts.get(int(call.query.get("partNumber", ["0"])[0])) if multipart else None
        if part is not None and getattr(call.s3_source, "_localaws_reported_size", None):
            # A part of an object that reports more than it holds reports the range's length
            # (its bytes are the real content's, if any, in that range).
            part.contentsize = call.s3_part_size
            part._localaws_reported_size = call.s3_part_size
        algorithm = (multipart.metadata.get("x-amz-checksum-algorithm") or "").upper() if multipart else ""
        element = f"Checksum{algorithm}".encode()
        if part is not None and algorithm and b"<" + element + b">" not in out and b"</CopyPartResult>" in out:
            # The part's checksum, when the upload was created with an algorithm (moto leaves it out).
            from moto.s3.utils import compute_checksum
            try:
                value = compute_checksum(part.value, algorithm)
            except Exception:
                value = None
            if value:
                out = out.replace(b"</CopyPartResult>", b"<" + element + b">" + value + b"</" + element
                                  + b"></CopyPartResult>")
                headers = [(k, v) for k, v in headers if k.lower() != "content-length"]
                headers.append(("Content-Length", str(len(out))))
    elif call.operation == "CompleteMultipartUpload" and getattr(call, "s3_multipart", None) is not None:
        multipart, obj = call.s3_multipart, bucket.keys.get(object_key)
        if obj is not None and obj.multipart is multipart:
            if getattr(multipart, "_localaws_bucket_key", False):
                obj.bucket_key_enabled = True
                headers = headers + [("x-amz-server-side-encryption-bucket-key-enabled", "true")]
            if any(getattr(p, "_localaws_reported_size", None) for p in multipart.parts.values()):
                numbers = [int(n) for n in re.findall(rb"<PartNumber>\s*(\d+)\s*</PartNumber>", call.body)]
                reported = sum(multipart.parts[n].contentsize for n in numbers if n in multipart.parts)
                obj.contentsize = reported
                obj._localaws_reported_size = reported
    return status, headers, out


def set_reported_size(data):
    """R15 harness (POST /_localaws/s3/size): the object's current version reports `size` bytes
    (HeadObject, ListObjects*, GetObjectAttributes, UploadPartCopy ranges) while holding and serving
    its real content."""
    found = s3_find(data["bucket"], data.get("account"))
    obj = found[1].keys.get(data["key"]) if found else None
    if obj is None:
        return {"error": f"no object {data['bucket']}/{data['key']}"}
    obj.contentsize = int(data["size"])
    obj._localaws_reported_size = int(data["size"])
    return {"ok": True, "etag": obj.etag, "size": obj.contentsize}


def set_archive_status(data):
    """R15 harness (POST /_localaws/s3/archive-status): an Intelligent-Tiering object in the
    ARCHIVE_ACCESS or DEEP_ARCHIVE_ACCESS tier (HeadObject's x-amz-archive-status; copies refuse it)."""
    found = s3_find(data["bucket"], data.get("account"))
    obj = found[1].keys.get(data["key"]) if found else None
    if obj is None:
        return {"error": f"no object {data['bucket']}/{data['key']}"}
    obj._localaws_archive_status = data.get("status") or None
    return {"ok": True}


DEFAULT_ENCRYPTION_XML = (
    '<?xml version="1.0" encoding="UTF-8"?>\n<ServerSideEncryptionConfiguration '
    'xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Rule><ApplyServerSideEncryptionByDefault>'
    '<SSEAlgorithm>AES256</SSEAlgorithm></ApplyServerSideEncryptionByDefault>'
    '<BucketKeyEnabled>false</BucketKeyEnabled></Rule></ServerSideEncryptionConfiguration>').encode()


def s3_after(call, status, headers, out):
    """R10: GetBucketEncryption of a bucket without a configuration answers SSE-S3. (And moto names
    GetBucketVersioning's root element GetBucketVersioningResponse, which strict SDKs reject: AWS
    answers VersioningConfiguration.)"""
    if call.operation == "GetBucketVersioning" and status == 200 and b"GetBucketVersioningResponse" in out:
        out = out.replace(b"GetBucketVersioningResponse", b"VersioningConfiguration")
        headers = [(k, v) for k, v in headers if k.lower() != "content-length"]
        return status, headers + [("Content-Length", str(len(out)))], out
    if call.operation in ("CreateMultipartUpload", "UploadPartCopy", "CompleteMultipartUpload"):
        return multipart_after(call, status, headers, out)
    if call.operation == "GetObject" and status in (200, 206):
        # R15: an object that reports a larger size still serves (and counts) its real bytes.
        headers = [(k, v) for k, v in headers if k.lower() != "content-length"]
        return status, headers + [("Content-Length", str(len(out)))], out
    if call.operation == "HeadObject" and status == 200:
        parts = [p for p in call.path.split("/") if p]
        found = s3_find(parts[0]) if len(parts) > 1 else None
        obj = found[1].keys.get(urllib.parse.unquote("/".join(parts[1:]))) if found else None
        if obj is not None and getattr(obj, "_localaws_archive_status", None):
            return status, headers + [("x-amz-archive-status", obj._localaws_archive_status)], out
        return status, headers, out
    if call.operation == "GetBucketEncryption" and status == 404 and b"ServerSideEncryptionConfigurationNotFound" in out:
        headers = [(k, v) for k, v in headers if k.lower() != "content-length"]
        return 200, headers + [("Content-Length", str(len(DEFAULT_ENCRYPTION_XML)))], DEFAULT_ENCRYPTION_XML
    return status, headers, out


# ---------------------------------------------------------------------------------------------
# Firehose (R11) and RDS (R12): time, and the key used through the service


CONFIG = {"firehose_create": 0.3, "firehose_enabling": 0.5, "rds_create": 1.0, "rds_snapshot": 0.5,
          "rds_inaccessible": 1.0, "rds_modify": 0.3,
          # R11: whether Firehose takes a customer key from another account for a stream's own
          # encryption (1) or refuses it (0): AWS does not say; cmek is tested under both.
          "firehose_cross_account_key": 1.0,
          # R17: whether a restored instance has the master password secret and Performance Insights
          # of its snapshot's source (1) or neither (0): AWS does not say; cmek is tested under both.
          "restore_settings": 0.0,
          # R14: seconds a job stays New, then Preparing; tasks per second; whether a CSV manifest
          # under SSE-KMS fails the job (0, the default: AWS's user guide) or is read as the role (1).
          "batch_new": 0.1, "batch_prepare": 0.2, "batch_tasks_per_second": 400.0, "batch_kms_csv_manifest": 0.0,
          # R15: whether UploadPartCopy refuses a differing x-amz-copy-source-if-match (1, 412) or
          # copies the part anyway (0): AWS does not say in so many words; cmek is tested under both.
          "upload_part_copy_if_match": 1.0}
ACCOUNT_CONFIG = {}  # account -> {CONFIG key: value}: one account's answers


def setting(name, account):
    """CONFIG[name], unless the account has its own answer."""
    return ACCOUNT_CONFIG.get(account, {}).get(name, CONFIG[name])


PENDING = {}  # (kind, account, region, name) -> ready time
DISABLED_SEEN = {}  # (account, region, db id) -> when the layer first saw its key unusable


def service_key_check(call, key_ref, service, actions=("DescribeKey", "CreateGrant")):
    """R11, R12: can `service` use the key for the caller (by default DescribeKey and CreateGrant for an
    AWS resource through the service; Secrets Manager: GenerateDataKey and Decrypt through
    secretsmanager.<region>)? Returns None, or (error code, message) as KMS would word it."""
    owner, region, ref = parse_key_ref(key_ref, call.account, call.region)
    key = find_key(owner, region, ref)
    if key is None:
        return "NotFoundException", f"Key '{key_ref}' does not exist"
    via = f"{service}.{region}.amazonaws.com"
    ctx = request_context(call, via_service=via)
    for action in actions:
        if action == "CreateGrant":
            ctx["kms:GrantIsForAWSResource"] = "true"
        if policy.evaluate(key.policy, call.account, call.caller_arn, f"kms:{action}", ctx) != "allow":
            return "AccessDeniedException", (f"User: {call.caller_arn} is not authorized to perform: kms:{action} "
                                             f"on resource: {key.arn} because no resource-based policy allows the "
                                             f"kms:{action} action")
    if key.key_state == "Disabled":
        return "DisabledException", f"{key.arn} is disabled."
    if key.key_state != "Enabled":
        return "KMSInvalidStateException", f"{key.arn} is {key.key_state}."
    return None


def key_unusable(key_ref, account, region):
    owner, kregion, ref = parse_key_ref(key_ref, account, region)
    key = find_key(owner, kregion, ref)
    return key is None or key.key_state != "Enabled"


def firehose_stream(account, region, name):
    from moto.firehose.models import firehose_backends
    return firehose_backends[account][region].delivery_streams.get(name)


FIREHOSE_FAILURE = {"DisabledException": "DISABLED_KMS_KEY", "KMSInvalidStateException": "INVALID_KMS_KEY",
                    "InvalidKMSResourceException": "INVALID_KMS_KEY",
                    "NotFoundException": "KMS_KEY_NOT_FOUND", "AccessDeniedException": "KMS_ACCESS_DENIED"}


S3_DESTINATION_DEFAULTS = {"CompressionFormat": "UNCOMPRESSED",
                           "BufferingHints": {"SizeInMBs": 5, "IntervalInSeconds": 300},
                           "EncryptionConfiguration": {"NoEncryptionConfig": "NoEncryption"}}


def firehose_before(call):
    """R11 before the call; returns the body for moto (AWS's S3 destination defaults filled in:
    moto leaves CompressionFormat out of a description when it was not given, and strict SDKs
    reject that)."""
    body = call.body
    if call.operation == "CreateDeliveryStream":
        req = dict(call.json)
        for field in ("ExtendedS3DestinationConfiguration", "S3DestinationConfiguration"):
            if isinstance(req.get(field), dict):
                req[field] = {**S3_DESTINATION_DEFAULTS, **req[field]}
        body = json.dumps(req).encode()
    firehose_check(call)
    return body


def cross_account_refusal(call, key_ref):
    """R11, unconfirmed: whether Firehose takes a customer key from another account for the
    stream's own encryption. firehose_cross_account_key 1 (the default): it does, like any key it
    may use; 0: it refuses one, as it refuses a key it may not use (InvalidKMSResourceException on
    CreateDeliveryStream, ENABLING_FAILED after StartDeliveryStreamEncryption). cmek is tested
    under both answers."""
    owner = parse_key_ref(key_ref, call.account, call.region)[0]
    if setting("firehose_cross_account_key", call.account) or owner == call.account:
        return None
    return "InvalidKMSResourceException", f"The KMS key {key_ref} is not in account {call.account}."


def firehose_check(call):
    op = call.operation
    name = call.json.get("DeliveryStreamName")
    if name and op != "CreateDeliveryStream":
        firehose_settle(call.account, call.region, name)
    if op == "CreateDeliveryStream":
        enc = call.json.get("DeliveryStreamEncryptionConfigurationInput") or {}
        if enc.get("KeyType") == "CUSTOMER_MANAGED_CMK":
            problem = (service_key_check(call, enc.get("KeyARN"), "firehose")
                       or cross_account_refusal(call, enc.get("KeyARN")))
            if problem:
                raise AwsError(400, "InvalidKMSResourceException", f"{problem[0]}: {problem[1]}")
    elif op == "StartDeliveryStreamEncryption":
        stream = firehose_stream(call.account, call.region, name)
        if stream is not None and stream.delivery_stream_type != "DirectPut":
            raise AwsError(400, "InvalidArgumentException",
                           "Encryption is not supported for delivery streams with a Kinesis stream as source.")
        if stream is not None and stream.delivery_stream_status != "ACTIVE":
            raise AwsError(400, "ResourceInUseException", f"Firehose {name} is not in the ACTIVE state.")
    elif op == "UpdateDestination":
        stream = firehose_stream(call.account, call.region, name)
        if stream is not None and stream.delivery_stream_status != "ACTIVE":
            raise AwsError(400, "ResourceInUseException", f"Firehose {name} is not in the ACTIVE state.")
    elif op in ("PutRecord", "PutRecordBatch"):
        firehose_put_check(call, name)


def firehose_put_check(call, name):
    """R18: a record put to a stream encrypted with a customer key Firehose can no longer use is
    refused (InvalidKMSResourceException), and Firehose counts the KMS exception in its AWS/Firehose
    metric. Only the key's state matters: Firehose uses its own grant, which a key policy change
    leaves in force (R12)."""
    stream = firehose_stream(call.account, call.region, name)
    enc = (stream.delivery_stream_encryption_configuration or {}) if stream is not None else {}
    if enc.get("KeyType") != "CUSTOMER_MANAGED_CMK" or enc.get("Status") != "ENABLED":
        return
    owner, region, ref = parse_key_ref(enc.get("KeyARN"), call.account, call.region)
    key = find_key(owner, region, ref)
    if key is None:
        metric, exception = "KMSKeyNotFound", "KMSNotFoundException"
    elif key.key_state == "Disabled":
        metric, exception = "KMSKeyDisabled", "KMSDisabledException"
    elif key.key_state != "Enabled":
        metric, exception = "KMSKeyInvalidState", "KMSInvalidStateException"
    else:
        return
    put_metric(call.account, call.region, "AWS/Firehose", metric, {"DeliveryStreamName": name}, 1.0)
    raise AwsError(400, "InvalidKMSResourceException", f"{exception}: {enc.get('KeyARN')} cannot be used.")


def firehose_after(call, status):
    if status >= 300:
        return
    op = call.operation
    name = call.json.get("DeliveryStreamName")
    stream = firehose_stream(call.account, call.region, name)
    if stream is None:
        return
    now = time.time()
    if op == "CreateDeliveryStream":
        stream.delivery_stream_status = "CREATING"
        PENDING[("fh-create", call.account, call.region, name)] = now + CONFIG["firehose_create"]
        enc = stream.delivery_stream_encryption_configuration
        if enc and enc.get("KeyType") and "Status" not in enc:
            enc["Status"] = "ENABLED"  # R11: AWS reports it; moto leaves it out
    elif op == "UpdateDestination":
        # Moto rebuilds the plain S3 description from the update alone (losing BucketARN,
        # CompressionFormat...); AWS describes the whole destination after an update (R11, moto fix).
        s3_fields = ("RoleARN", "BucketARN", "Prefix", "ErrorOutputPrefix", "BufferingHints",
                     "CompressionFormat", "EncryptionConfiguration", "CloudWatchLoggingOptions")
        for dest in stream.destinations:
            ext = dest.get("ExtendedS3")
            if isinstance(ext, dict):
                dest["ExtendedS3"] = {**S3_DESTINATION_DEFAULTS, **ext}
                dest["S3"] = {k: v for k, v in dest["ExtendedS3"].items() if k in s3_fields}
    elif op == "StartDeliveryStreamEncryption":
        enc = stream.delivery_stream_encryption_configuration
        enc.pop("FailureDescription", None)
        problem = None
        if enc.get("KeyType") == "CUSTOMER_MANAGED_CMK":
            problem = (service_key_check(call, enc.get("KeyARN"), "firehose")
                       or cross_account_refusal(call, enc.get("KeyARN")))
        enc["Status"] = "ENABLING"
        PENDING[("fh-enable", call.account, call.region, name)] = (now + CONFIG["firehose_enabling"], problem)


def firehose_settle(account, region, name):
    stream = firehose_stream(account, region, name)
    if stream is None:
        return
    now = time.time()
    ready = PENDING.get(("fh-create", account, region, name))
    if ready is not None and now >= ready:
        stream.delivery_stream_status = "ACTIVE"
        del PENDING[("fh-create", account, region, name)]
    pending = PENDING.get(("fh-enable", account, region, name))
    enc = stream.delivery_stream_encryption_configuration or {}
    if pending is not None and now >= pending[0]:
        del PENDING[("fh-enable", account, region, name)]
        if pending[1]:
            enc["Status"] = "ENABLING_FAILED"
            enc["FailureDescription"] = {"Type": FIREHOSE_FAILURE.get(pending[1][0], "UNKNOWN_ERROR"),
                                         "Details": pending[1][1]}
        else:
            enc["Status"] = "ENABLED"
    # R11: a key that becomes unusable after the stream is ENABLED changes nothing on its
    # description: AWS documents FailureDescription only for failed Create/Delete/Start/Stop calls;
    # what it documents instead (CloudWatch metrics, records kept up to 24 hours) is in RULES["R11"].


def rds_backend(account, region):
    from moto.rds.models import rds_backends
    return rds_backends[account][region]


RDS_KEYED = {"CreateDBInstance", "RestoreDBInstanceFromDBSnapshot", "CopyDBSnapshot", "ModifyDBInstance"}
INSIGHTS = {}  # R17: (account, region, db id) -> the ARN of the key Performance Insights uses


def rds_before(call):
    """R12 before the call."""
    op = call.operation
    form = call.form
    if op in RDS_KEYED:
        # R12. Storage and Performance Insights use the key through rds.<region>; the master password
        # secret is encrypted by Secrets Manager itself, through secretsmanager.<region> (RULES["R12"]).
        for field, service, actions in (
                ("KmsKeyId", "rds", ("DescribeKey", "CreateGrant")),
                ("MasterUserSecretKmsKeyId", "secretsmanager", ("GenerateDataKey", "Decrypt")),
                ("PerformanceInsightsKMSKeyId", "rds", ("DescribeKey", "CreateGrant"))):
            ref = form.get(field)
            if ref:
                problem = service_key_check(call, ref, service, actions)
                if problem:
                    raise AwsError(400, "KMSKeyNotAccessibleFault",
                                   f"The specified KMS key [{ref}] does not exist, is not enabled or you do not "
                                   f"have permissions to access it. ({problem[0]})")
    if op == "ModifyDBInstance" and form.get("EnablePerformanceInsights") == "true":
        # R17: "you can't change the KMS key" once Performance Insights is on.
        current = INSIGHTS.get((call.account, call.region, form.get("DBInstanceIdentifier")))
        wanted = form.get("PerformanceInsightsKMSKeyId")
        if current and wanted and key_arn_of(wanted, call.account, call.region) != current:
            raise AwsError(400, "InvalidParameterCombination",
                           "You can't change the KMS key of Performance Insights once it is enabled.")
    if op == "ModifyDBInstance" and form.get("ManageMasterUserPassword") == "true":
        # R17: "you can't change the KMS key used to encrypt the secret" once RDS manages it.
        db = rds_backend(call.account, call.region).databases.get(form.get("DBInstanceIdentifier"))
        secret = getattr(db, "master_user_secret", None) if db is not None else None
        wanted = form.get("MasterUserSecretKmsKeyId")
        if secret is not None and wanted and key_arn_of(wanted, call.account, call.region) != secret.kms_key_id:
            raise AwsError(400, "InvalidParameterCombination",
                           "The DB instance already manages the master user password in AWS Secrets Manager; "
                           "you can't change the KMS key used to encrypt the secret.")
    if op == "RestoreDBInstanceFromDBSnapshot" and form.get("ManageMasterUserPassword") == "true":
        # R17: ManageMasterUserPassword on a restore "Applies to RDS for Oracle only."
        snap = rds_backend(call.account, call.region).database_snapshots.get(form.get("DBSnapshotIdentifier"))
        engine = snap.database.engine if snap is not None else ""
        if not engine.startswith("oracle"):
            raise AwsError(400, "InvalidParameterCombination",
                           f"ManageMasterUserPassword on a restore applies to RDS for Oracle only, not {engine}.")
    if op == "RestoreDBInstanceFromDBSnapshot":
        snap = rds_backend(call.account, call.region).database_snapshots.get(form.get("DBSnapshotIdentifier"))
        if snap is not None and snap.kms_key_id:
            problem = service_key_check(call, snap.kms_key_id, "rds")
            if problem:
                raise AwsError(400, "KMSKeyNotAccessibleFault", f"The snapshot's KMS key is not accessible ({problem[0]})")
    if op.startswith("Describe") or op in ("StartDBInstance", "ModifyDBInstance", "CreateDBSnapshot"):
        # Only the instance the call names (all of them when it names none): settling every
        # instance on every call would make a fleet's reads quadratic.
        rds_settle(call.account, call.region, form.get("DBInstanceIdentifier"),
                   form.get("DBSnapshotIdentifier"))
    if op == "StartDBInstance":
        db = rds_backend(call.account, call.region).databases.get(form.get("DBInstanceIdentifier"))
        if db is not None and db.status == "inaccessible-encryption-credentials-recoverable":
            if key_unusable(db.kms_key_id, call.account, call.region):
                raise AwsError(400, "KMSKeyNotAccessibleFault", "The DB instance's KMS key is not accessible.")
            db.status = "stopped"
            DISABLED_SEEN.pop((call.account, call.region, db.db_instance_identifier), None)


def key_arn_of(ref, account, region):
    owner, kregion, kref = parse_key_ref(ref, account, region)
    key = find_key(owner, kregion, kref)
    return key.arn if key is not None else ref


def rds_after(call, status, out):
    """R12, R17 after the call; returns the response body (Performance Insights added to each
    DBInstance, which moto does not model)."""
    if status >= 300:
        return out
    op = call.operation
    form = call.form
    backend = rds_backend(call.account, call.region)
    now = time.time()
    ident = (call.account, call.region, form.get("DBInstanceIdentifier"))
    if op in ("CreateDBInstance", "RestoreDBInstanceFromDBSnapshot"):
        db = backend.databases.get(form.get("DBInstanceIdentifier"))
        if db is not None:
            db.status = "creating"
            PENDING[("rds-db", call.account, call.region, db.db_instance_identifier)] = now + CONFIG["rds_create"]
        INSIGHTS.pop(ident, None)
        if op == "CreateDBInstance" and form.get("EnablePerformanceInsights") == "true":
            # R17: without PerformanceInsightsKMSKeyId, "Amazon RDS uses your default KMS key".
            INSIGHTS[ident] = key_arn_of(form.get("PerformanceInsightsKMSKeyId") or "alias/aws/rds",
                                         call.account, call.region)
        if op == "RestoreDBInstanceFromDBSnapshot" and db is not None:
            restored_settings(call, backend, db, ident)
    elif op == "ModifyDBInstance" and form.get("EnablePerformanceInsights") in ("true", "false"):
        db = backend.databases.get(form.get("DBInstanceIdentifier"))
        if form["EnablePerformanceInsights"] == "false":
            INSIGHTS.pop(ident, None)
        elif ident not in INSIGHTS:
            INSIGHTS[ident] = key_arn_of(form.get("PerformanceInsightsKMSKeyId") or "alias/aws/rds",
                                         call.account, call.region)
        if db is not None:
            # R17: "modifying" while the change is applied, then available.
            db.status = "modifying"
            PENDING[("rds-db", call.account, call.region, db.db_instance_identifier)] = now + CONFIG["rds_modify"]
    elif op in ("CreateDBSnapshot", "CopyDBSnapshot"):
        name = form.get("DBSnapshotIdentifier") or form.get("TargetDBSnapshotIdentifier")
        snap = backend.database_snapshots.get(name)
        if snap is not None:
            snap.status = "creating"
            PENDING[("rds-snap", call.account, call.region, name)] = now + CONFIG["rds_snapshot"]
    return with_insights(call.account, call.region, out)


def restored_settings(call, backend, db, ident):
    """R17, unconfirmed: whether a restored (non-Oracle) instance takes the master password secret
    and Performance Insights from the snapshot's source, under the source's keys (restore_settings
    1), or starts with neither (0, the default: the restore takes no such settings)."""
    from moto.rds.models import MasterUserSecret
    snap = backend.database_snapshots.get(call.form.get("DBSnapshotIdentifier"))
    source = snap.database if snap is not None else None
    if source is not None and source.engine.startswith("oracle"):
        return
    if getattr(db, "master_user_secret", None) is not None:
        del db.master_user_secret
    db.manage_master_user_password = False
    if not setting("restore_settings", call.account) or source is None:
        return
    secret = getattr(source, "master_user_secret", None)
    if secret is not None:
        db.master_user_secret = MasterUserSecret(db, secret.kms_key_id)
        db.manage_master_user_password = True
    if (call.account, call.region, source.db_instance_identifier) in INSIGHTS:
        INSIGHTS[ident] = INSIGHTS[(call.account, call.region, source.db_instance_identifier)]


DB_INSTANCE = re.compile(rb"(<DBInstance>.*?<DBInstanceIdentifier>([^<]*)</DBInstanceIdentifier>.*?)(</DBInstance>)",
                         re.S)


def with_insights(account, region, out):
    """R17: PerformanceInsightsEnabled and PerformanceInsightsKMSKeyId on every DBInstance of a
    response, as DescribeDBInstances documents them."""
    def add(m):
        key = INSIGHTS.get((account, region, m.group(2).decode()))
        extra = (f"<PerformanceInsightsEnabled>true</PerformanceInsightsEnabled>"
                 f"<PerformanceInsightsKMSKeyId>{_xml(key)}</PerformanceInsightsKMSKeyId>" if key
                 else "<PerformanceInsightsEnabled>false</PerformanceInsightsEnabled>")
        return m.group(1) + extra.encode() + m.group(3)
    return DB_INSTANCE.sub(add, out) if b"<DBInstance>" in out else out


def rds_settle(account, region, db_id=None, snap_id=None):
    backend = rds_backend(account, region)
    now = time.time()
    if db_id or snap_id:
        keys = [("rds-db", account, region, db_id), ("rds-snap", account, region, snap_id)]
        if db_id and not snap_id:
            keys += [k for k in PENDING if k[0] == "rds-snap" and k[1] == account and k[2] == region]
    else:
        keys = [k for k in PENDING if k[0] in ("rds-db", "rds-snap") and k[1] == account and k[2] == region]
    for k in keys:
        if k in PENDING and now >= PENDING[k]:
            del PENDING[k]
            target = backend.databases.get(k[3]) if k[0] == "rds-db" else backend.database_snapshots.get(k[3])
            if target is not None:
                target.status = "available"
    dbs = [backend.databases[db_id]] if db_id and db_id in backend.databases else (
        [] if db_id else list(backend.databases.values()))
    for db in dbs:
        if not db.kms_key_id or db.status in ("creating", "inaccessible-encryption-credentials"):
            continue
        ident = (account, region, db.db_instance_identifier)
        if key_unusable(db.kms_key_id, account, region):
            first = DISABLED_SEEN.setdefault(ident, now)
            if now - first >= CONFIG["rds_inaccessible"]:
                db.status = "inaccessible-encryption-credentials-recoverable"
        else:
            DISABLED_SEEN.pop(ident, None)



# ---------------------------------------------------------------------------------------------
# CloudWatch metrics (R18): what the layer's services publish, and GetMetricData over them

METRICS = []  # (account, region, namespace, name, frozenset(dimensions), epoch seconds, value)
METRICS_LOCK = threading.Lock()


def put_metric(account, region, namespace, name, dimensions, value, when=None):
    with METRICS_LOCK:
        METRICS.append((account, region, namespace, name, frozenset(dimensions.items()),
                        when if when is not None else time.time(), float(value)))


def _epoch(v):
    if hasattr(v, "timestamp"):
        return v.timestamp()
    return float(v)


STATS = {"Sum": sum, "SampleCount": len, "Maximum": max, "Minimum": min,
         "Average": lambda v: sum(v) / len(v)}


def cloudwatch_handle(call):
    """R18: GetMetricData over the layer's metrics: each MetricStat query matches its namespace,
    name and exact set of dimensions, in [StartTime, EndTime), aggregated per Period by Stat, newest
    first unless ScanBy says otherwise; a query with no data answers empty lists, Complete."""
    if call.operation != "GetMetricData":
        raise AwsError(400, "UnknownOperationException", f"The layer does not answer {call.operation}.")
    req = call.cbor or {}
    queries = req.get("MetricDataQueries") or []
    if not queries or len(queries) > 500:
        raise AwsError(400, "InvalidParameterValue", "MetricDataQueries must hold 1 to 500 queries.")
    start, end = _epoch(req["StartTime"]), _epoch(req["EndTime"])
    ascending = req.get("ScanBy") == "TimestampAscending"
    with METRICS_LOCK:
        points = [m for m in METRICS if m[0] == call.account and m[1] == call.region]
    results = []
    for q in queries:
        qid = q.get("Id", "")
        if not re.match(r"^[a-z][a-zA-Z0-9_]*$", qid):
            raise AwsError(400, "ValidationError", f"Invalid metric data query id: {qid}")
        stat = q.get("MetricStat") or {}
        metric = stat.get("Metric") or {}
        dims = frozenset((d["Name"], d["Value"]) for d in metric.get("Dimensions") or [])
        period = int(stat.get("Period") or 60)
        fn = STATS.get(stat.get("Stat"), sum)
        buckets = {}
        for (_, _, ns, name, d, ts, value) in points:
            if ns == metric.get("Namespace") and name == metric.get("MetricName") and d == dims \
                    and start <= ts < end:
                buckets.setdefault(int(ts // period) * period, []).append(value)
        stamps = sorted(buckets, reverse=not ascending)
        results.append({
            "Id": qid, "Label": metric.get("MetricName", ""),
            "Timestamps": [datetime.datetime.fromtimestamp(t, datetime.timezone.utc) for t in stamps],
            "Values": [float(fn(buckets[t])) for t in stamps],
            "StatusCode": "Complete"})
    body = cbor2.dumps({"MetricDataResults": results, "Messages": []}, datetime_as_timestamp=True)
    return 200, [("Content-Type", "application/cbor"), ("smithy-protocol", "rpc-v2-cbor"),
                 ("x-amzn-RequestId", str(uuid.uuid4())), ("Content-Length", str(len(body)))], body


# ---------------------------------------------------------------------------------------------
# IAM identities as AWS evaluates them (R14 for the Batch Operations role, R16 for the simulator)


def iam_backend(account):
    from moto.iam.models import iam_backends
    return iam_backends[account]["aws"]


def managed_document(policy_obj):
    for version in policy_obj.versions:
        if version.version_id == policy_obj.default_version_id:
            return version.document
    return policy_obj.versions[0].document if policy_obj.versions else "{}"


def identity_policies(entity, kind):
    """[(policy id, policy type, document)] of a moto IAM user, group or role: its inline policies
    (type user/group/role) and attached managed ones (aws-managed or user-managed)."""
    out = [(name, kind, doc) for name, doc in entity.policies.items()]
    for arn, managed in entity.managed_policies.items():
        out.append((arn, "aws-managed" if ":iam::aws:policy/" in arn else "user-managed", managed_document(managed)))
    return out


def find_role(account, role_arn):
    for role in iam_backend(account).roles.values():
        if role.arn == role_arn:
            return role
    return None


# ---------------------------------------------------------------------------------------------
# S3 Batch Operations jobs (R14): S3 Control's CreateJob, DescribeJob, ListJobs, UpdateJobStatus

S3CONTROL_NS = "http://awss3control.amazonaws.com/doc/2018-08-20/"
BATCH_PRINCIPAL = "batchoperations.s3.amazonaws.com"
JOBS = {}  # job id -> Job
JOB_TOKENS = {}  # (account, region, ClientRequestToken) -> (job id, request fingerprint)
JOBS_LOCK = threading.Lock()
TERMINAL = ("Complete", "Failed", "Cancelled")


def s3control_operation(method, path):
    parts = [p for p in path.split("/") if p]
    if parts[1:2] == ["jobs"]:
        if len(parts) == 2:
            return "CreateJob" if method == "POST" else "ListJobs"
        if len(parts) == 3:
            return "DescribeJob"
        if parts[3:] == ["status"]:
            return "UpdateJobStatus"
        if parts[3:] == ["priority"]:
            return "UpdateJobPriority"
        if parts[3:] == ["tagging"]:
            return {"GET": "GetJobTagging", "PUT": "PutJobTagging", "DELETE": "DeleteJobTagging"}.get(method, "")
    verb = {"GET": "Get", "PUT": "Put", "POST": "Create", "DELETE": "Delete"}.get(method, method.title())
    return verb + "".join(p[:1].upper() + p[1:] for p in parts[1:2])


def _iso(t):
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(t)) + f".{int(t * 1000) % 1000:03d}Z"


def _strip_ns(root):
    for el in root.iter():
        if isinstance(el.tag, str) and "}" in el.tag:
            el.tag = el.tag.split("}", 1)[1]
    return root


def _text(el, path, default=None):
    found = el.find(path) if el is not None else None
    return found.text if found is not None and found.text is not None else default


def _fragment(body, name):
    """The request's own XML for one element, echoed back by DescribeJob as the SDK sent it."""
    m = re.search(rf"<{name}>.*?</{name}>", body, re.S)
    return m.group(0) if m else ""


def _bucket_of(arn):
    m = re.match(r"^arn:[\w-]+:s3:::([^/]+)$", arn or "")
    return m.group(1) if m else None


class ServiceCall:
    """A request an AWS service makes for a principal (S3 Batch Operations as the job's role), in
    the shape authorize()/request_context() read."""

    def __init__(self, account, region, principal_arn):
        self.account, self.region, self.caller_arn = account, region, principal_arn
        self.json, self.operation = {}, ""


class Job:
    def __init__(self, account, region, job_id, req, body):
        self.account, self.region, self.id = account, region, job_id
        self.arn = f"arn:aws:s3:{region}:{account}:job/{job_id}"
        self.status = "New"
        self.created = time.time()
        self.terminated = None
        self.active_since = None
        self.active_seconds = 0.0
        self.total = self.succeeded = self.failed = 0
        self.failures = []  # [(code, reason)]
        self.results = []  # [(bucket, key as in the manifest, version, status, code, http, message)]
        self.cancel = False
        self.ready = threading.Event()
        self.status_reason = None
        self.token = _text(req, "ClientRequestToken")
        self.confirmation = (_text(req, "ConfirmationRequired", "false") or "").lower() == "true"
        self.description = _text(req, "Description")
        self.priority = _text(req, "Priority", "0")
        self.role_arn = _text(req, "RoleArn")
        self.manifest_xml = _fragment(body, "Manifest")
        self.operation_xml = _fragment(body, "Operation")
        self.report_xml = _fragment(body, "Report")
        self.fields = [f.text for f in req.findall("Manifest/Spec/Fields/member")]
        self.manifest_arn = _text(req, "Manifest/Location/ObjectArn")
        self.manifest_etag = (_text(req, "Manifest/Location/ETag") or "").strip('"')
        self.generator = parse_generator(req.find("ManifestGenerator/S3JobManifestGenerator"))
        copy = req.find("Operation/S3PutObjectCopy")
        self.copy = None
        if copy is not None:
            self.copy = {
                "target": _bucket_of(_text(copy, "TargetResource")),
                "storage_class": _text(copy, "StorageClass"),
                "kms_key": _text(copy, "SSEAwsKmsKeyId"),
                "bucket_key": (_text(copy, "BucketKeyEnabled", "false") or "").lower() == "true",
                "metadata_directive": _text(copy, "MetadataDirective", "COPY"),
                "metadata": copy.find("NewObjectMetadata"),
                "tagging": (None if copy.find("NewObjectTagging") is None else
                            {_text(t, "Key"): _text(t, "Value", "") for t in copy.findall("NewObjectTagging/member")}),
                "checksum": _text(copy, "ChecksumAlgorithm"),
            }
        report = req.find("Report")
        self.report = {"enabled": (_text(report, "Enabled", "false") or "").lower() == "true",
                       "bucket": _bucket_of(_text(report, "Bucket")),
                       "prefix": (_text(report, "Prefix") or "").strip("/"),
                       "scope": _text(report, "ReportScope", "AllTasks")}

    def set_status(self, status):
        now = time.time()
        if self.status == "Active" and self.active_since is not None:
            self.active_seconds += now - self.active_since
            self.active_since = None
        if status == "Active":
            self.active_since = now
        if status in TERMINAL:
            self.terminated = now
        self.status = status

    def elapsed_active(self):
        extra = time.time() - self.active_since if self.active_since is not None else 0.0
        return int(self.active_seconds + extra)

    def describe_xml(self):
        failures = "".join(f"<member><FailureCode>{_xml(c)}</FailureCode><FailureReason>{_xml(r)}</FailureReason>"
                           "</member>" for c, r in self.failures)
        return ("<Job>"
                f"<JobId>{self.id}</JobId>"
                f"<ConfirmationRequired>{str(self.confirmation).lower()}</ConfirmationRequired>"
                + (f"<Description>{_xml(self.description)}</Description>" if self.description else "")
                + f"<JobArn>{self.arn}</JobArn><Status>{self.status}</Status>"
                + self.manifest_xml + self.operation_xml
                + f"<Priority>{_xml(self.priority)}</Priority>" + self.progress_xml()
                + (f"<StatusUpdateReason>{_xml(self.status_reason)}</StatusUpdateReason>" if self.status_reason else "")
                + (f"<FailureReasons>{failures}</FailureReasons>" if failures else "")
                + self.report_xml
                + f"<CreationTime>{_iso(self.created)}</CreationTime>"
                + (f"<TerminationDate>{_iso(self.terminated)}</TerminationDate>" if self.terminated else "")
                + f"<RoleArn>{_xml(self.role_arn)}</RoleArn></Job>")

    def progress_xml(self):
        return (f"<ProgressSummary><TotalNumberOfTasks>{self.total}</TotalNumberOfTasks>"
                f"<NumberOfTasksSucceeded>{self.succeeded}</NumberOfTasksSucceeded>"
                f"<NumberOfTasksFailed>{self.failed}</NumberOfTasksFailed>"
                f"<Timers><ElapsedTimeInActiveSeconds>{self.elapsed_active()}</ElapsedTimeInActiveSeconds></Timers>"
                "</ProgressSummary>")

    def list_xml(self):
        op = "S3PutObjectCopy" if self.copy is not None else ""
        return ("<member>"
                f"<JobId>{self.id}</JobId>"
                + (f"<Description>{_xml(self.description)}</Description>" if self.description else "")
                + f"<Operation>{op}</Operation><Priority>{_xml(self.priority)}</Priority><Status>{self.status}</Status>"
                f"<CreationTime>{_iso(self.created)}</CreationTime>"
                + (f"<TerminationDate>{_iso(self.terminated)}</TerminationDate>" if self.terminated else "")
                + self.progress_xml() + "</member>")


def s3control_response(root, inner):
    body = f'<?xml version="1.0" encoding="UTF-8"?>\n<{root} xmlns="{S3CONTROL_NS}">{inner}</{root}>'.encode()
    return 200, [("Content-Type", "application/xml"), ("x-amz-request-id", str(uuid.uuid4())),
                 ("Content-Length", str(len(body)))], body


def s3control_handle(call):
    """R14: S3 Control's job API, answered by the layer (moto has none). Other S3 Control paths go
    to moto. Returns a WSGI triple, or None to forward."""
    if call.operation not in ("CreateJob", "DescribeJob", "ListJobs", "UpdateJobStatus"):
        return None
    account = call.environ.get("HTTP_X_AMZ_ACCOUNT_ID", "")
    if account != call.account:
        raise AwsError(403, "AccessDenied", "Access Denied")
    parts = [p for p in call.path.split("/") if p]
    if call.operation == "CreateJob":
        return create_job(call)
    if call.operation == "ListJobs":
        wanted = call.query.get("jobStatuses") or []
        with JOBS_LOCK:
            jobs = [j for j in JOBS.values() if j.account == call.account and j.region == call.region
                    and (not wanted or j.status in wanted)]
        jobs.sort(key=lambda j: j.created, reverse=True)
        return s3control_response("ListJobsResult", "<Jobs>" + "".join(j.list_xml() for j in jobs) + "</Jobs>")
    job = JOBS.get(parts[2])
    if job is None or job.account != call.account or job.region != call.region:
        raise AwsError(404, "NoSuchJobException", "The specified job does not exist")
    if call.operation == "DescribeJob":
        return s3control_response("DescribeJobResult", job.describe_xml())
    requested = call.query.get("requestedJobStatus", [""])[0]
    reason = call.query.get("statusUpdateReason", [None])[0]
    if requested == "Ready" and job.status == "Suspended":
        job.status_reason = reason
        job.set_status("Ready")
        job.ready.set()
    elif requested == "Cancelled" and job.status not in TERMINAL + ("Cancelling", "Failing", "Completing"):
        job.status_reason = reason
        job.cancel = True
        job.set_status("Cancelling")
        job.ready.set()
    else:
        raise AwsError(400, "JobStatusException",
                       f"Job {job.id} is {job.status}: it cannot move to {requested or 'that status'}")
    return s3control_response("UpdateJobStatusResult",
                              f"<JobId>{job.id}</JobId><Status>{job.status}</Status>"
                              + (f"<StatusUpdateReason>{_xml(reason)}</StatusUpdateReason>" if reason else ""))


def create_job(call):
    text = call.body.decode("utf-8", "replace")
    try:
        req = _strip_ns(ET.fromstring(call.body))
    except ET.ParseError:
        raise AwsError(400, "MalformedXML", "The XML you provided was not well-formed")
    token = _text(req, "ClientRequestToken")
    role_arn = _text(req, "RoleArn")
    if not token or not role_arn or req.find("Operation") is None or req.find("Report") is None:
        raise AwsError(400, "InvalidRequest", "ClientRequestToken, Operation, Priority, Report and RoleArn are required")
    fingerprint = hashlib.sha256(call.body).hexdigest()
    with JOBS_LOCK:
        seen = JOB_TOKENS.get((call.account, call.region, token))
        if seen is not None:
            # R14: the same token never creates a second job.
            if seen[1] != fingerprint:
                raise AwsError(400, "IdempotencyException",
                               "The ClientRequestToken was already used for a different request")
            call.replayed = True
            return s3control_response("CreateJobResult", f"<JobId>{seen[0]}</JobId>")
        if req.find("Operation/S3PutObjectCopy") is None:
            raise AwsError(400, "InvalidRequest", "the local AWS models only the S3PutObjectCopy operation")
        generated = req.find("ManifestGenerator/S3JobManifestGenerator") is not None
        if not generated and _text(req, "Manifest/Spec/Format") != "S3BatchOperations_CSV_20180820":
            raise AwsError(400, "InvalidRequest", "the local AWS models S3BatchOperations_CSV_20180820 manifests "
                                                  "and S3JobManifestGenerator only")
        job = Job(call.account, call.region, str(uuid.uuid4()), req, text)
        # R14: the job's role must exist in this account and trust S3 Batch Operations.
        role = find_role(call.account, role_arn)
        context = {"aws:SourceAccount": call.account, "aws:SourceArn": job.arn}
        if role is None or not policy.trust_allows(role.assume_role_policy_document, BATCH_PRINCIPAL,
                                                   "sts:AssumeRole", context):
            raise AwsError(400, "InvalidRequest",
                           f"Unable to assume role {role_arn}: it does not exist in account {call.account} or its "
                           f"trust policy does not allow {BATCH_PRINCIPAL}")
        JOBS[job.id] = job
        JOB_TOKENS[(call.account, call.region, token)] = (job.id, fingerprint)
    threading.Thread(target=run_job, args=(job,), daemon=True, name=f"batch-{job.id}").start()
    return s3control_response("CreateJobResult", f"<JobId>{job.id}</JobId>")


def role_may(job, action, resource, context=None):
    """R14: whether the job's role's own policies (inline and attached) allow the action."""
    role = find_role(job.account, job.role_arn)
    if role is None:
        return False
    ctx = {"aws:PrincipalArn": job.role_arn, "aws:PrincipalAccount": job.account}
    ctx.update(context or {})
    return policy.evaluate_identity(identity_policies(role, "role"), action, resource, ctx)[0] == "allowed"


def role_key_use(job, key_ref, action, context_arn):
    """R14: S3 uses a KMS key for the job's role, through s3.<region>: the role's identity policies
    and the key policy must allow it and the key must be usable. Returns None or (code, status, message)
    as S3 reports it."""
    if not key_ref:
        return None
    owner, region, ref = parse_key_ref(key_ref, job.account, job.region)
    key = find_key(owner, region, ref)
    if key is None:
        return "KMS.NotFoundException", 400, f"Invalid keyId '{key_ref}'"
    via = f"s3.{region}.amazonaws.com"
    ctx = {"kms:ViaService": via, "kms:CallerAccount": job.account,
           "kms:EncryptionContext:aws:s3:arn": context_arn, "kms:EncryptionContextKeys": ["aws:s3:arn"]}
    if not role_may(job, f"kms:{action}", key.arn, ctx):
        return "AccessDenied", 403, (f"User: {job.role_arn} is not authorized to perform: kms:{action} on resource: "
                                     f"{key.arn} because no identity-based policy allows the kms:{action} action")
    try:
        s3_key_use(ServiceCall(job.account, job.region, job.role_arn), key_ref, action, context_arn)
    except AwsError as e:
        return e.code, e.status, e.message
    return None


def parse_generator(gen):
    """R14: an S3JobManifestGenerator: source bucket, filters, and where the generated manifest goes."""
    if gen is None:
        return None
    out, flt = gen.find("ManifestOutputLocation"), gen.find("Filter")
    encryptions = []
    for oe in (flt.findall("MatchAnyObjectEncryption/ObjectEncryption") if flt is not None else []):
        for child in list(oe):
            encryptions.append((child.tag, _text(child, "KmsKeyArn")))
    size = lambda name: int(_text(flt, name)) if flt is not None and _text(flt, name) else None
    return {"source": _bucket_of(_text(gen, "SourceBucket")),
            "output": (out is not None and (_text(gen, "EnableManifestOutput", "false") or "").lower() == "true"),
            "output_bucket": _bucket_of(_text(out, "Bucket")) if out is not None else None,
            "output_prefix": ((_text(out, "ManifestPrefix") or "").strip("/")) if out is not None else "",
            "output_kms": _text(out, "ManifestEncryption/SSE-KMS/KeyId") if out is not None else None,
            "classes": [m.text for m in flt.findall("MatchAnyStorageClass/member")] if flt is not None else [],
            "lt": size("ObjectSizeLessThanBytes"), "gt": size("ObjectSizeGreaterThanBytes"),
            "encryptions": encryptions}


def _encryption_matches(obj, wanted):
    """R14: whether an object has one of the generator filter's server-side encryption types."""
    if not wanted:
        return True
    enc = getattr(obj, "encryption", None)
    for kind, key_arn in wanted:
        if kind == "SSE-S3" and enc == "AES256":
            return True
        if kind == "NOT-SSE" and not enc:
            return True
        if kind == "DSSE-KMS" and enc == "aws:kms:dsse":
            return True
        if kind == "SSE-KMS" and enc == "aws:kms":
            have = getattr(obj, "kms_key_id", None) or ""
            if not key_arn or have == key_arn or have.split("/")[-1] == key_arn.split("/")[-1]:
                return True
    return False


def generate_manifest(job):
    """R14: a generated manifest: the source bucket's current objects that pass the filter, listed as
    the job's role; written (when asked) under the output location's encryption, as the role.
    (tasks, None) or (None, (code, reason))."""
    gen = job.generator
    found = s3_find(gen["source"]) if gen["source"] else None
    if found is None:
        return None, ("NoSuchBucket", "The source bucket of the manifest generator does not exist")
    if not role_may(job, "s3:ListBucket", f"arn:aws:s3:::{gen['source']}"):
        return None, ("AccessDenied", "Listing the source bucket is forbidden: AccessDenied")
    tasks = []
    for name in sorted(found[1].keys.keys()):
        obj = found[1].keys.get(name)
        if obj is None or getattr(obj, "is_delete_marker", False):
            continue
        size = getattr(obj, "_localaws_reported_size", None) or obj.size
        if gen["classes"] and (obj.storage_class or "STANDARD") not in gen["classes"]:
            continue
        if gen["lt"] is not None and not size < gen["lt"]:
            continue
        if gen["gt"] is not None and not size > gen["gt"]:
            continue
        if not _encryption_matches(obj, gen["encryptions"]):
            continue
        tasks.append((gen["source"], urllib.parse.quote(name, safe="/-_.~"), ""))
    if gen["output"] and gen["output_bucket"]:
        dest = s3_find(gen["output_bucket"])
        key = f"{gen['output_prefix']}/job-{job.id}/manifest.csv".lstrip("/")
        if dest is None or not role_may(job, "s3:PutObject", f"arn:aws:s3:::{gen['output_bucket']}/{key}"):
            return None, ("AccessDenied", "Writing the generated manifest is forbidden: AccessDenied")
        data = "".join(f"{b},{k}\n" for b, k, _ in tasks).encode()
        if gen["output_kms"]:
            problem = role_key_use(job, gen["output_kms"], "GenerateDataKey", f"arn:aws:s3:::{gen['output_bucket']}")
            if problem:
                return None, (problem[0], f"Writing the generated manifest failed: {problem[0]}")
            obj = dest[0].put_object(gen["output_bucket"], key, data, encryption="aws:kms",
                                     kms_key_id=gen["output_kms"], bucket_key_enabled=True)
        else:
            obj = dest[0].put_object(gen["output_bucket"], key, data, encryption="AES256")
        obj.set_metadata({"Content-Type": "text/csv"})
    return tasks, None


def read_manifest(job):
    """R14: the manifest, read as the job's role; (tasks, None) or (None, (code, reason))."""
    if job.generator is not None:
        return generate_manifest(job)
    m = re.match(r"^arn:[\w-]+:s3:::([^/]+)/(.+)$", job.manifest_arn or "")
    found = s3_find(m.group(1)) if m else None
    obj = found[1].keys.get(m.group(2)) if found else None
    if obj is None:
        return None, ("NoSuchKey", "Reading the manifest failed: NoSuchKey")
    if not role_may(job, "s3:GetObject", f"arn:aws:s3:::{m.group(1)}/{m.group(2)}"):
        return None, ("AccessDenied", "Reading the manifest is forbidden: AccessDenied")
    if obj.encryption == "aws:kms":
        if not CONFIG["batch_kms_csv_manifest"]:
            # What AWS's user guide says (June 2023): CSV manifests under SSE-KMS are not supported.
            return None, ("AccessDenied", "Reading the manifest is forbidden: AccessDenied")
        context_arn = f"arn:aws:s3:::{m.group(1)}" + ("" if obj.bucket_key_enabled else f"/{m.group(2)}")
        problem = role_key_use(job, obj.kms_key_id, "Decrypt", context_arn)
        if problem:
            return None, (problem[0], f"Reading the manifest is forbidden: {problem[0]}")
    if obj.etag.strip('"') != job.manifest_etag:
        actual = obj.etag.strip('"')
        return None, ("ManifestETagMismatch",
                      f"The manifest ETag {job.manifest_etag} does not match the manifest object's ETag {actual}")
    tasks = []
    fields = job.fields or ["Bucket", "Key"]
    for row in csv.reader(io.StringIO(obj.value.decode("utf-8", "replace"))):
        if not row:
            continue
        cols = dict(zip(fields, row))
        if not cols.get("Bucket") or "Key" not in cols:
            return None, ("InvalidManifestContent", "Required fields are missing in the schema: Bucket, Key")
        tasks.append((cols["Bucket"], cols["Key"], cols.get("VersionId", "")))
    return tasks, None


def copy_task(job, bucket_name, encoded_key):
    """R14: one S3PutObjectCopy task, as the job's role: CopyObject onto the target bucket, same key.
    Returns (status, error code, HTTP status, message)."""
    from moto.s3.utils import compute_checksum
    op = job.copy
    key_name = urllib.parse.unquote(encoded_key)
    found = s3_find(bucket_name)
    src = found[1].keys.get(key_name) if found else None
    if src is None:
        return "failed", "NoSuchKey", 404, "The specified key does not exist."
    dest = s3_find(op["target"]) if op["target"] else None
    if dest is None:
        return "failed", "NoSuchBucket", 404, "The specified bucket does not exist"
    backend, dest_bucket = dest
    if not role_may(job, "s3:GetObject", f"arn:aws:s3:::{bucket_name}/{key_name}"):
        return "failed", "AccessDenied", 403, "Access Denied"
    if not role_may(job, "s3:PutObject", f"arn:aws:s3:::{op['target']}/{key_name}"):
        return "failed", "AccessDenied", 403, "Access Denied"
    if archived(src):
        return "failed", "InvalidObjectState", 403, "The operation is not valid for the object's storage class"
    if src.size > MAX_COPY_BYTES:
        return ("failed", "InvalidRequest", 400, "The specified copy source is larger than the maximum allowable "
                f"size for a copy source: {MAX_COPY_BYTES}")
    if src.encryption == "aws:kms":
        arn = f"arn:aws:s3:::{bucket_name}" if src.bucket_key_enabled else f"arn:aws:s3:::{bucket_name}/{key_name}"
        problem = role_key_use(job, src.kms_key_id, "Decrypt", arn)
        if problem:
            return ("failed",) + problem
    encryption, kms_key, bucket_key = None, None, None
    if op["kms_key"]:
        encryption, kms_key, bucket_key = "aws:kms", op["kms_key"], op["bucket_key"]
    elif dest_bucket.encryption:
        rule = dest_bucket.encryption.get("Rule") or {}
        default = rule.get("ApplyServerSideEncryptionByDefault") or {}
        encryption, kms_key = default.get("SSEAlgorithm"), default.get("KMSMasterKeyID")
        bucket_key = op["bucket_key"] or str(rule.get("BucketKeyEnabled", "false")).lower() == "true"
    else:
        encryption = "AES256"  # R10
    if encryption == "aws:kms":
        arn = f"arn:aws:s3:::{op['target']}" if bucket_key else f"arn:aws:s3:::{op['target']}/{key_name}"
        problem = role_key_use(job, kms_key, "GenerateDataKey", arn)
        if problem:
            return ("failed",) + problem
    metadata = None
    if op["metadata_directive"] == "REPLACE":
        md = op["metadata"]
        metadata = {f"x-amz-meta-{_text(e, 'key')}": _text(e, "value", "")
                    for e in (md.findall("UserMetadata/entry") if md is not None else [])}
        for field, header in (("ContentType", "Content-Type"), ("CacheControl", "Cache-Control"),
                              ("ContentDisposition", "Content-Disposition"), ("ContentEncoding", "Content-Encoding"),
                              ("ContentLanguage", "Content-Language")):
            if _text(md, field):
                metadata[header] = _text(md, field)
    reported = getattr(src, "_localaws_reported_size", None)
    archive_status = getattr(src, "_localaws_archive_status", None)
    backend.copy_object(src, op["target"], key_name, storage=op["storage_class"] or "STANDARD",
                        encryption=encryption, kms_key_id=kms_key, bucket_key_enabled=bucket_key or None,
                        mdirective=op["metadata_directive"], metadata=metadata)
    new = dest_bucket.keys.get(key_name)
    if encryption != "aws:kms":
        new.kms_key_id, new.bucket_key_enabled = None, None
    if op["tagging"] is not None:
        backend.tagger.delete_all_tags_for_resource(new.arn)
        if op["tagging"]:
            backend.put_object_tagging(new, op["tagging"])
    if op["checksum"]:
        new.checksum_algorithm = op["checksum"]
        new.checksum_value = compute_checksum(new.value, op["checksum"]).decode()
    if reported:
        new.contentsize, new._localaws_reported_size = reported, reported
    if archive_status:
        new._localaws_archive_status = archive_status
    return "succeeded", "", 200, "Successful"


def write_report(job):
    """R14: the completion report, as AWS's user guide shows it: <prefix>/job-<id>/manifest.json naming
    one results CSV per task status (Bucket, Key, VersionId, TaskStatus, ErrorCode, HTTPStatusCode,
    ResultMessage), always under SSE-S3 (whatever the bucket's default encryption)."""
    rep = job.report
    if not rep["enabled"] or not rep["bucket"] or not job.results:
        return
    found = s3_find(rep["bucket"])
    base = (rep["prefix"] + "/" if rep["prefix"] else "") + f"job-{job.id}"
    if found is None or not role_may(job, "s3:PutObject", f"arn:aws:s3:::{rep['bucket']}/{base}/manifest.json"):
        job.failures.append(("ReportNotWritten", "The job report could not be written to your report bucket. "
                                                 "Please check your permissions."))
        return
    backend = found[0]
    results = []
    for status in ("succeeded", "failed"):
        rows = [r for r in job.results if r[3] == status]
        if not rows or (status == "succeeded" and rep["scope"] == "FailedTasksOnly"):
            continue
        out = io.StringIO()
        csv.writer(out, lineterminator="\n").writerows(rows)
        data = out.getvalue().encode()
        key = f"{base}/results/{hashlib.sha1((job.id + status).encode()).hexdigest()}.csv"
        put_report_object(backend, rep["bucket"], key, data, "text/csv")
        results.append({"TaskExecutionStatus": status, "Bucket": rep["bucket"],
                        "MD5Checksum": hashlib.md5(data).hexdigest(), "Key": key})
    manifest = {"Format": "Report_CSV_20180820", "ReportCreationDate": _iso(time.time()), "Results": results,
                "ReportSchema": "Bucket, Key, VersionId, TaskStatus, ErrorCode, HTTPStatusCode, ResultMessage"}
    put_report_object(backend, rep["bucket"], f"{base}/manifest.json", json.dumps(manifest).encode(),
                      "application/json")


def put_report_object(backend, bucket_name, key, data, content_type):
    obj = backend.put_object(bucket_name, key, data, encryption="AES256")
    obj.kms_key_id, obj.bucket_key_enabled = None, None  # SSE-S3, not the bucket's default key
    obj.set_metadata({"Content-Type": content_type})


def run_job(job):
    """R14: New -> Preparing -> (Suspended until confirmed) -> Ready -> Active -> Complete, or
    Failed (manifest unreadable, or more than half of at least 1,000 tasks failed), or Cancelled.
    Tasks run at CONFIG["batch_tasks_per_second"]."""
    try:
        run_job_steps(job)
    except Exception as e:  # an error of the layer's own: the job fails and says why
        job.failures.append(("InternalError", f"the local AWS failed: {type(e).__name__}: {e}"))
        job.set_status("Failed")


def run_job_steps(job):
    time.sleep(CONFIG["batch_new"])
    if job.cancel:
        return finish(job, "Cancelled")
    job.set_status("Preparing")
    time.sleep(CONFIG["batch_prepare"])
    tasks, failure = read_manifest(job)
    if failure:
        job.failures.append(failure)
        return finish(job, "Failed")
    job.total = len(tasks)
    if job.confirmation and not job.cancel:
        job.set_status("Suspended")
        job.ready.wait()
    if job.cancel:
        return finish(job, "Cancelled")
    job.set_status("Ready")
    job.set_status("Active")
    next_at = time.monotonic()
    for bucket_name, key, version in tasks:
        if job.cancel:
            return finish(job, "Cancelled")
        now = time.monotonic()
        if next_at > now:
            time.sleep(next_at - now)
        next_at = max(next_at, now) + 1.0 / max(CONFIG["batch_tasks_per_second"], 0.001)
        try:
            status, code, http, message = copy_task(job, bucket_name, key)
        except Exception as e:  # an error of the layer's own: the task fails, the job goes on
            status, code, http, message = "failed", "InternalError", 500, f"{type(e).__name__}: {e}"
        job.results.append((bucket_name, key, version, status, code, http, message))
        if status == "succeeded":
            job.succeeded += 1
        else:
            job.failed += 1
        run = job.succeeded + job.failed
        if run >= 1000 and job.failed * 2 > run:
            job.failures.append(("TaskFailureThresholdExceeded",
                                 f"{job.failed} of {run} tasks failed: more than 50% after at least 1,000 tasks"))
            job.set_status("Failing")
            return finish(job, "Failed")
    job.set_status("Completing")
    finish(job, "Complete")


def finish(job, status):
    write_report(job)
    job.set_status(status)


# ---------------------------------------------------------------------------------------------
# IAM SimulatePrincipalPolicy (R16): moto has none

IAM_NS = "https://iam.amazonaws.com/doc/2010-05-08/"


def _members(form, prefix):
    """Query-protocol lists: Prefix.member.1, Prefix.member.2, ... in order."""
    found = []
    for k, v in form.items():
        m = re.match(rf"^{re.escape(prefix)}\.member\.(\d+)$", k)
        if m:
            found.append((int(m.group(1)), v))
    return [v for _, v in sorted(found)]


def simulation_policies(account, source_arn):
    """[(policy id, type, document)] of the PolicySourceArn: a user (with its groups' policies), a
    group or a role of the caller's account. Raises InvalidInput / NoSuchEntity as IAM does."""
    m = re.match(r"^arn:[\w-]+:iam::(\d{12}):(user|group|role)/(?:.*/)?([^/]+)$", source_arn or "")
    if not m:
        raise AwsError(400, "InvalidInput", f"Invalid ARN: {source_arn}. PolicySourceArn must be the ARN of an IAM "
                                            "user, group or role")
    kind, name = m.group(2), m.group(3)
    backend = iam_backend(account) if m.group(1) == account else None
    entity = None
    if backend is not None:
        pool = backend.users.values() if kind == "user" else (
            backend.groups.values() if kind == "group" else backend.roles.values())
        entity = next((e for e in pool if e.arn == source_arn), None)
    if entity is None:
        raise AwsError(404, "NoSuchEntity", f"The {kind} with name {name} cannot be found.")
    policies = identity_policies(entity, kind)
    if kind == "user":
        for group in backend.get_groups_for_user(entity.name):
            policies += identity_policies(group, "group")
    return policies


def simulate_principal_policy(call):
    """R16: evaluates the principal's identity policies for each action on each resource."""
    form = call.form
    policies = simulation_policies(call.account, form.get("PolicySourceArn"))
    policies += [(f"PolicyInputList.{i}", "none", doc)
                 for i, doc in enumerate(_members(form, "PolicyInputList"), start=1)]
    actions = _members(form, "ActionNames")
    if not actions:
        raise AwsError(400, "InvalidInput", "ActionNames must name at least one action")
    resources = _members(form, "ResourceArns") or ["*"]
    context = {}
    n = 1
    while f"ContextEntries.member.{n}.ContextKeyName" in form:
        values = _members(form, f"ContextEntries.member.{n}.ContextKeyValues")
        context[form[f"ContextEntries.member.{n}.ContextKeyName"]] = values if len(values) != 1 else values[0]
        n += 1
    rank = {"allowed": 0, "implicitDeny": 1, "explicitDeny": 2}

    def statements_xml(matched):
        return "".join(f"<member><SourcePolicyId>{_xml(pid)}</SourcePolicyId><SourcePolicyType>{ptype}"
                       "</SourcePolicyType></member>" for pid, ptype, _ in matched)

    def missing_xml(keys):
        return "".join(f"<member>{_xml(k)}</member>" for k in sorted(keys))

    results = []
    for action in actions:
        per_resource = []
        for resource in resources:
            try:
                per_resource.append((resource,) + policy.evaluate_identity(policies, action, resource, context))
            except ValueError as e:
                raise AwsError(400, "PolicyEvaluation", str(e))
        decision = max((r[1] for r in per_resource), key=rank.get)
        matched = []
        for r in per_resource:
            if r[1] == decision:
                matched += [s for s in r[2] if s not in matched]
        missing = set().union(*(r[3] for r in per_resource))
        specific = ""
        if resources != ["*"]:
            specific = "<ResourceSpecificResults>" + "".join(
                f"<member><EvalResourceName>{_xml(res)}</EvalResourceName>"
                f"<EvalResourceDecision>{dec}</EvalResourceDecision>"
                f"<MatchedStatements>{statements_xml(st)}</MatchedStatements>"
                f"<MissingContextValues>{missing_xml(miss)}</MissingContextValues></member>"
                for res, dec, st, miss in per_resource) + "</ResourceSpecificResults>"
        results.append(f"<member><EvalActionName>{_xml(action)}</EvalActionName>"
                       "<EvalResourceName>*</EvalResourceName>"
                       f"<EvalDecision>{decision}</EvalDecision>"
                       f"<MatchedStatements>{statements_xml(matched)}</MatchedStatements>"
                       f"<MissingContextValues>{missing_xml(missing)}</MissingContextValues>"
                       f"{specific}</member>")
    body = (f'<SimulatePrincipalPolicyResponse xmlns="{IAM_NS}"><SimulatePrincipalPolicyResult>'
            f"<IsTruncated>false</IsTruncated><EvaluationResults>{''.join(results)}</EvaluationResults>"
            "</SimulatePrincipalPolicyResult>"
            f"<ResponseMetadata><RequestId>{uuid.uuid4()}</RequestId></ResponseMetadata>"
            "</SimulatePrincipalPolicyResponse>").encode()
    return 200, [("Content-Type", "text/xml"), ("Content-Length", str(len(body)))], body


# ---------------------------------------------------------------------------------------------
# Faults (R8) and the call log (R9)


class State:
    def __init__(self):
        self.lock = threading.Lock()
        self.faults = []
        self.calls = []
        self.seq = 0

    def match_faults(self, call, when, status):
        """Faults matching this call. `match.mutating` counts only calls that change something
        (after the call: only those that succeeded); a `sticky` fault, once it fires, keeps to the
        same service, operation and path, so it fails one step (and the SDK's retries of it)."""
        hits = []
        with self.lock:
            for f in self.faults:
                if f.get("when", "before") != when:
                    continue
                m = f.get("match", {})
                if any(m.get(k) not in (None, getattr(call, k)) for k in ("service", "operation", "account", "method")):
                    continue
                if m.get("path_contains") and m["path_contains"] not in call.path:
                    continue
                if m.get("path_excludes") and m["path_excludes"] in call.path:
                    continue
                if m.get("body_contains") and m["body_contains"].encode() not in call.body:
                    continue
                pinned = f.get("pinned")
                if pinned is not None:
                    if pinned != [call.service, call.operation, call.path]:
                        continue
                    f["used"] = f.get("used", 0) + 1
                    hits.append(dict(f))
                    continue
                if m.get("mutating") and not (call.mutating and (status is None or status < 300)):
                    continue
                f["seen"] = f.get("seen", 0) + 1
                if f["seen"] <= f.get("skip", 0):
                    continue
                if f.get("times") is not None and f.get("used", 0) >= f["times"]:
                    continue
                f["used"] = f.get("used", 0) + 1
                if f.get("sticky"):
                    f["pinned"] = [call.service, call.operation, call.path]
                hits.append(dict(f))
        return hits


STATE = State()


# R13: request quotas. (service, operations sharing the bucket, rate per second, documented burst or None)
QUOTAS = [
    ("firehose", ("CreateDeliveryStream",), 5, None),
    ("firehose", ("DeleteDeliveryStream",), 5, None),
    ("firehose", ("DescribeDeliveryStream",), 5, None),
    ("firehose", ("ListDeliveryStreams",), 5, None),
    ("firehose", ("UpdateDestination",), 5, None),
    ("firehose", ("TagDeliveryStream",), 5, None),
    ("firehose", ("UntagDeliveryStream",), 5, None),
    ("firehose", ("ListTagsForDeliveryStream",), 5, None),
    ("firehose", ("StartDeliveryStreamEncryption",), 5, None),
    ("firehose", ("StopDeliveryStreamEncryption",), 5, None),
    ("rds", "*", 12, 300),
    ("kms", ("DescribeKey",), 2000, None),
    ("kms", ("GetKeyRotationStatus",), 1000, None),
]


class Quotas:
    """R13: token buckets per (account, region, quota), for the accounts a test switched them on for
    (tests of one process share one local AWS, each with its own accounts)."""

    def __init__(self):
        self.lock = threading.Lock()
        self.accounts = {}  # account -> {"strict": bool}
        self.buckets = {}
        self.throttled = {}

    def configure(self, data):
        account = data.get("account")
        if not account:
            raise ValueError("quotas: name the account")
        with self.lock:
            if data.get("enabled", True):
                # refill: a factor on every rate's refill (a test that must not race the clock
                # slows it; the capacity stays).
                self.accounts[account] = {"strict": data.get("burst") == "strict",
                                          "refill": float(data.get("refill", 1.0))}
            else:
                self.accounts.pop(account, None)
            self.buckets = {k: v for k, v in self.buckets.items() if k[0] != account}
            self.throttled[account] = 0
        return self.describe(account)

    def describe(self, account):
        with self.lock:
            conf = self.accounts.get(account)
            return {"account": account, "enabled": conf is not None,
                    "burst": "strict" if conf and conf["strict"] else "one-second",
                    "throttled": self.throttled.get(account, 0)}

    def admit(self, call):
        """True when the call is within its quota (or has none)."""
        conf = self.accounts.get(call.account)
        if conf is None:
            return True
        for i, (service, ops, rate, burst) in enumerate(QUOTAS):
            if service != call.service or (ops != "*" and call.operation not in ops):
                continue
            capacity = 1.0 if conf["strict"] and burst is None else float(burst or rate)
            now = time.monotonic()
            with self.lock:
                key = (call.account, call.region, i)
                tokens, last = self.buckets.get(key, (capacity, now))
                tokens = min(capacity, tokens + (now - last) * rate * conf["refill"])
                if tokens >= 1.0:
                    self.buckets[key] = (tokens - 1.0, now)
                    return True
                self.buckets[key] = (tokens, now)
                self.throttled[call.account] = self.throttled.get(call.account, 0) + 1
                return False
        return True


QUOTA = Quotas()


def apply_fault(call, fault):
    """Returns a WSGI response triple, "drop", or None (latency only)."""
    kind = fault["kind"]
    if kind == "latency":
        time.sleep(fault.get("ms", 0) / 1000.0)
        return None
    if kind == "drop":
        return "drop"
    if kind == "throttle":
        code = {"s3": "SlowDown", "sts": "Throttling", "rds": "Throttling", "iam": "Throttling", "monitoring": "Throttling",
                "s3control": "TooManyRequestsException"}.get(call.service, "ThrottlingException")
        status = 503 if call.service == "s3" else 400
        return error_response(call, AwsError(status, code, "Rate exceeded"))
    if kind == "http5xx":
        return error_response(call, AwsError(fault.get("status", 503), fault.get("code", "ServiceUnavailable"),
                                             "Service is unavailable", sender=False))
    if kind == "iam-deny":
        prefix = {"s3control": "s3", "monitoring": "cloudwatch"}.get(call.service, call.service)
        action = f"{prefix}:{call.operation}"
        return error_response(call, AwsError(403 if call.service in ("s3", "s3control", "iam") else 400,
                                             "AccessDenied" if call.service in ("s3", "sts", "rds", "iam", "s3control",
                                                                                "monitoring")
                                             else "AccessDeniedException",
                                             f"User: {call.caller_arn} is not authorized to perform: {action} "
                                             f"because no identity-based policy allows the {action} action"))
    if kind == "error":
        return error_response(call, AwsError(fault.get("status", 400), fault["code"], fault.get("message", "")))
    raise ValueError(f"unknown fault kind {kind}")


class Fidelity:
    def __init__(self, app):
        self.app = app

    def __call__(self, environ, start_response):
        if environ.get("PATH_INFO", "").startswith("/_localaws/"):
            return self.control(environ, start_response)
        length = int(environ.get("CONTENT_LENGTH") or 0)
        body = environ["wsgi.input"].read(length) if length else b""
        call = Call(environ, body)
        started = time.time()
        record = {"service": call.service, "operation": call.operation, "account": call.account,
                  "method": call.method, "path": call.path, "mutating": call.mutating, "start": started}
        status, headers, out = self.handle(environ, call)
        record.update(status=status, end=time.time(), throttled=getattr(call, "throttled", False))
        if status >= 300 or call.replayed:
            record["mutating"] = False  # refused before it happened, or answered without a change (R14)
        with STATE.lock:
            STATE.seq += 1
            record["seq"] = STATE.seq
            STATE.calls.append(record)
        if status == -1:
            sock = environ.get("werkzeug.socket")
            if sock is not None:
                try:
                    sock.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass
            start_response("500 Dropped", [("Content-Length", "0"), ("Connection", "close")])
            return [b""]
        start_response(f"{status} X", headers)
        return [out]

    def handle(self, environ, call):
        if not QUOTA.admit(call):  # R13
            call.throttled = True
            return error_response(call, AwsError(400, "ThrottlingException", "Rate exceeded"))
        for fault in STATE.match_faults(call, "before", None):
            r = apply_fault(call, fault)
            if r == "drop":
                return -1, [], b""
            if r is not None:
                return r
        try:
            answer = None
            if call.service == "s3control":
                answer = s3control_handle(call)  # R14
            elif call.service == "iam" and call.operation == "SimulatePrincipalPolicy":
                answer = simulate_principal_policy(call)  # R16
            elif call.service == "monitoring" and call.path.startswith("/service/"):
                answer = cloudwatch_handle(call)  # R18
        except AwsError as e:
            return error_response(call, e)
        if answer is not None:
            for fault in STATE.match_faults(call, "after", answer[0]):
                r = apply_fault(call, fault)
                if r == "drop":
                    return -1, [], b""
                if r is not None:
                    return r
            return answer
        try:
            target_account = call.account
            body = call.body
            if call.service == "kms":
                target_account, body = kms_rules(call)
            elif call.service == "s3":
                s3_rules(call)
            elif call.service == "firehose":
                body = firehose_before(call)
            elif call.service == "rds":
                rds_before(call)
        except AwsError as e:
            return error_response(call, e)
        environ["HTTP_X_MOTO_ACCOUNT_ID"] = target_account
        environ["wsgi.input"] = io.BytesIO(body)
        environ["CONTENT_LENGTH"] = str(len(body))
        status, headers, out = self.forward(environ)
        if call.service == "s3":
            status, headers, out = s3_after(call, status, headers, out)
        elif call.service == "firehose":
            firehose_after(call, status)
        elif call.service == "rds":
            out = rds_after(call, status, out)
            headers = [(k, str(len(out)) if k.lower() == "content-length" else v) for k, v in headers]
        for fault in STATE.match_faults(call, "after", status):
            r = apply_fault(call, fault)
            if r == "drop":
                return -1, [], b""
            if r is not None:
                return r
        return status, headers, out

    def forward(self, environ):
        captured = {}

        def start_response(status, headers, exc_info=None):
            captured["status"], captured["headers"] = status, headers

        chunks = self.app(environ, start_response)
        try:
            out = b"".join(chunks)
        finally:
            if hasattr(chunks, "close"):
                chunks.close()
        return int(captured["status"].split()[0]), list(captured["headers"]), out

    def control(self, environ, start_response):
        path = environ["PATH_INFO"]
        method = environ["REQUEST_METHOD"]
        q = {k: v[0] for k, v in urllib.parse.parse_qs(environ.get("QUERY_STRING", "")).items()}
        length = int(environ.get("CONTENT_LENGTH") or 0)
        data = json.loads(environ["wsgi.input"].read(length) or b"null") if length else None
        result = {"ok": True}
        with STATE.lock:
            if path == "/_localaws/health":
                result = {"ok": True, "pid": os.getpid()}
            elif path == "/_localaws/config" and method == "POST" and (data or {}).get("account"):
                # One account's answers (tests that share the layer flip switches for their own
                # accounts only).
                mine = ACCOUNT_CONFIG.setdefault(str(data["account"]), {})
                mine.update({k: float(v) for k, v in data.items() if k in CONFIG})
                result = {**CONFIG, **mine}
            elif path == "/_localaws/config" and method == "POST":
                CONFIG.update({k: float(v) for k, v in (data or {}).items() if k in CONFIG})
                result = dict(CONFIG)
            elif path == "/_localaws/config":
                result = dict(CONFIG)
            elif path == "/_localaws/s3/size" and method == "POST":
                result = set_reported_size(data or {})  # R15 harness
            elif path == "/_localaws/s3/archive-status" and method == "POST":
                result = set_archive_status(data or {})  # R15 harness
            elif path == "/_localaws/s3/overwrite-on-copy" and method == "POST":
                OVERWRITE_ON_COPY.add((data["bucket"], data["key"]))  # R15 harness
            elif path == "/_localaws/jobs":
                result = [{"id": j.id, "account": j.account, "status": j.status, "total": j.total,
                           "succeeded": j.succeeded, "failed": j.failed} for j in JOBS.values()
                          if not q.get("account") or j.account == q["account"]]
            elif path == "/_localaws/quotas" and method == "POST":
                result = QUOTA.configure(data or {})
            elif path == "/_localaws/quotas":
                result = QUOTA.describe(q.get("account", ""))
            elif path == "/_localaws/faults" and method == "POST":
                for f in data if isinstance(data, list) else [data]:
                    STATE.faults.append(dict(f))
            elif path == "/_localaws/faults" and method == "DELETE":
                acct = q.get("account")
                STATE.faults = [f for f in STATE.faults if acct and f.get("match", {}).get("account") != acct]
            elif path == "/_localaws/faults":
                result = STATE.faults
            elif path == "/_localaws/calls" and method == "DELETE":
                acct = q.get("account")
                STATE.calls = [c for c in STATE.calls if acct and c["account"] != acct]
            elif path == "/_localaws/calls":
                result = [c for c in STATE.calls
                          if (not q.get("account") or c["account"] == q["account"])
                          and (q.get("mutating") != "1" or c["mutating"])]
            else:
                result = {"error": f"unknown control path {path}"}
        out = json.dumps(result).encode()
        start_response("200 OK", [("Content-Type", "application/json"), ("Content-Length", str(len(out)))])
        return [out]


def patch_moto():
    """Moto bugs that are not AWS behaviour at all, fixed at the source rather than modelled.

    M1: RDS MasterUserSecret.kms_key_id looks a key ARN up in the caller's account, so a database
    whose secret is under a cross-account key cannot be described (HTTP 500). AWS reports the ARN.
    R11: Firehose allows 50 streams per region; AWS's default quota is 5,000.
    M2: CloudFormation's AWS::KMS::Key loses a KeyPolicy given as an object, fails on Tags and ignores
    KeySpec, KeyUsage and Enabled.
    M3: IAM's policy validator refuses the region in an S3 Batch Operations job ARN."""
    from moto.iam import policy_validation
    s3_regional = policy_validation.SERVICE_TYPE_REGION_INFORMATION_ERROR_ASSOCIATIONS["s3"]["valid_starting_values"]
    if "job/" not in s3_regional:
        s3_regional.append("job/")
    from moto.rds import models as rds_models

    def kms_key_id(self):
        ref = self.secret.kms_key_id
        if re.match(r"^arn:[\w-]+:kms:", ref or ""):
            return ref
        return self.kms.describe_key(ref).arn

    rds_models.MasterUserSecret.kms_key_id = property(kms_key_id)

    # M2. CloudFormation AWS::KMS::Key: KeyPolicy is a JSON object in CloudFormation (moto stores the
    # dict, and the key then has "no policy"); Tags come as Key/Value (moto expects TagKey/TagValue
    # and answers HTTP 500); KeySpec, KeyUsage and Enabled: false are ignored.
    from moto.kms import models as kms_models
    original = kms_models.Key.create_from_cloudformation_json.__func__

    def create_key_from_cfn(cls, resource_name, cloudformation_json, account_id, region_name, **kwargs):
        props = dict(cloudformation_json.get("Properties") or {})
        if not isinstance(props.get("KeyPolicy"), str):
            props["KeyPolicy"] = json.dumps(props.get("KeyPolicy"))
        props["Tags"] = [{"TagKey": t["Key"], "TagValue": t["Value"]} for t in props.get("Tags") or []]
        key = original(cls, resource_name, dict(cloudformation_json, Properties=props), account_id,
                       region_name, **kwargs)
        key.key_spec = props.get("KeySpec", "SYMMETRIC_DEFAULT")
        key.key_usage = props.get("KeyUsage", "ENCRYPT_DECRYPT")
        if str(props.get("Enabled", True)).lower() == "false":
            key.enabled, key.key_state = False, "Disabled"
        return key

    kms_models.Key.create_from_cloudformation_json = classmethod(create_key_from_cfn)

    # Speed, not behaviour: moto's dispatcher lists its own package directory (a listdir and ~70
    # stats) on every request to find the service; the list never changes while it runs.
    from moto import backends as moto_backends
    from moto.moto_server import werkzeug_app
    modules = tuple(moto_backends.list_of_moto_modules())
    moto_backends.list_of_moto_modules = lambda: iter(modules)
    if hasattr(werkzeug_app, "list_of_moto_modules"):
        werkzeug_app.list_of_moto_modules = moto_backends.list_of_moto_modules

    # R11. Firehose: AWS's default quota is 5,000 streams per region (Firehose quotas page); moto's is 50.
    from moto.firehose import models as firehose_models
    firehose_models.DeliveryStream.MAX_STREAMS_PER_REGION = 5000


patch_moto()


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--port", type=int, default=0, help="0 picks a free port")
    args = ap.parse_args()
    os.environ.setdefault("MOTO_ALLOW_NONEXISTENT_REGION", "false")
    app = Fidelity(DomainDispatcherApplication(create_backend_app))
    server = make_server("127.0.0.1", args.port, app, threaded=True, request_handler=MotoRequestHandler)
    port = server.server_address[1]
    threading.Thread(target=server.serve_forever, daemon=True).start()
    print(f"localaws listening on http://127.0.0.1:{port}", flush=True)
    try:
        while sys.stdin.read(1):  # exits when the parent closes stdin or dies
            pass
    except KeyboardInterrupt:
        pass
    server.shutdown()


if __name__ == "__main__":
    main()
