"""The rules of the local AWS, and the AWS documentation each relies on (R1-R31, M1-M6).

RULES is data: test_citations.py reads it with ast (no moto needed) and generates the two tables
of docs/local-aws.md from it. The module that implements a rule names it in a comment or
docstring (# R7 ...); localaws.py's docstring says which module holds which rules."""

# A pure literal (test_citations.py reads it without importing moto). Per rule:
#   summary      what the layer does
#   cites        [{models, page, url, quote, seen[, seen_at], checked, check[, note]}]: the AWS page and
#                the sentence, verbatim; checked: the date (YYYY-MM-DD) the quote was last checked
#                against AWS's text; check: confirmed | changed | moved | not-found | unchecked (a
#                changed or moved quote is replaced by the new text and marked confirmed, with a note
#                saying what changed; one kept on purpose in its old wording keeps "changed" and a note)
#   unconfirmed  [{behaviour, status, searched[, probe, switch, answers][, aws_says]}]: what the layer
#                does that AWS does not state.
#                status: "unconfirmed" (AWS is silent; the layer picks one answer), "not-documented" (AWS
#                documents something else, quoted in aws_says; the behaviour stays until the code that
#                depends on it changes), "harness" (a test instrument, no claim about AWS)
#                probe: a stable kebab-case id (unconfirmed and not-documented entries): a conformance
#                probe against real AWS names it; switch: the CONFIG key that gives the other answer,
#                where the layer has one; answers: {answer word: switch value}, or {the layer's answer
#                word: None} without a switch (test_citations.py --probes FILE lists them all)
# seen: where the quote was read. "docs"/"pages": the stored copy of the page (seen_at when a mirror of
# the same page); "archive": the page's source in the awsdocs/<guide> GitHub repository (June 2023
# snapshot, or older where a note says so); "api-model": the API reference text as shipped in the AWS
# SDK service model; "mirror": a markdown copy of the current page found in a public code index (its
# repository unknown); "notice": an AWS notice email, not on any docs page, quoted verbatim where it was
# published (the url: that public page, e.g. an issue tracker).

RULES = {
    "R1": {
        "summary": "The caller's account comes from the access key (AKIA<12-digit account>..., or STS assumed-role "
                   "credentials, which sign as the role's account) and is sent to moto as x-moto-account-id.",
        "cites": [
            {"models": "every request is signed by a principal of one account; the access key identifies it",
             "page": "GetAccessKeyInfo - AWS Security Token Service API Reference",
             "url": "https://docs.aws.amazon.com/STS/latest/APIReference/API_GetAccessKeyInfo.html",
             "quote": "Returns the account identifier for the specified access key ID.",
             "seen": "api-model",
             "checked": "2026-12-01", "check": "confirmed"},
            {"models": "the credentials, not a parameter, decide who calls (GetCallerIdentity answers for them)",
             "page": "GetCallerIdentity - AWS Security Token Service API Reference",
             "url": "https://docs.aws.amazon.com/STS/latest/APIReference/API_GetCallerIdentity.html",
             "quote": "Returns details about the IAM user or role whose credentials are used to call the operation.",
             "seen": "api-model",
             "checked": "2026-12-01", "check": "confirmed"},
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
             "seen": "archive",
             "checked": "2026-12-01", "check": "confirmed"},
            {"models": "other operations on another account's key fail whatever the policies say",
             "page": "Allowing users in other accounts to use a KMS key - AWS Key Management Service",
             "url": "https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-modifying-external-accounts.html",
             "quote": "If you give a user in a different account permission for other operations, those permissions "
                      "have no effect.",
             "seen": "archive",
             "checked": "2026-12-01", "check": "confirmed"},
            {"models": "DisableKey (and EnableKey, ScheduleKeyDeletion) are not cross-account",
             "page": "DisableKey - AWS Key Management Service",
             "url": "https://docs.aws.amazon.com/kms/latest/APIReference/API_DisableKey.html",
             "quote": "Cross-account use: No. You cannot perform this operation on a KMS key in a different AWS "
                      "account.",
             "seen": "docs", "seen_at": "https://docs.aws.amazon.com/goto/WebAPI/kms/DisableKey",
             "checked": "2026-12-01", "check": "confirmed"},
            {"models": "the owner may name its own key by key ARN",
             "page": "DisableKey - AWS Key Management Service",
             "url": "https://docs.aws.amazon.com/kms/latest/APIReference/API_DisableKey.html",
             "quote": "Specify the key ID or key ARN of the KMS key.",
             "seen": "docs", "seen_at": "https://docs.aws.amazon.com/goto/WebAPI/kms/DisableKey",
             "checked": "2026-12-01", "check": "confirmed"},
        ],
        "unconfirmed": [
            {"behaviour": "the error code for a non-cross-account operation (GetKeyPolicy, DisableKey, ...) naming "
                          "another account's key ARN: the layer answers NotFoundException",
             "status": "unconfirmed",
             "probe": "kms-non-cross-account-op-error", "answers": {"NotFoundException": None},
             "searched": "key-policy-modifying-external-accounts.html and the DisableKey/EnableKey API reference "
                         "say the call fails, not with which error code"},
            {"behaviour": "a key ARN of another Region answers NotFoundException",
             "status": "unconfirmed",
             "probe": "kms-other-region-key-arn", "answers": {"NotFoundException": None},
             "searched": "KMS API reference (KeyId parameter) and multi-Region key overview: keys are Regional, no "
                         "error code documented for a key ARN of another Region"},
        ],
    },
    "R3": {
        "summary": "The key policy decides: it must Allow the caller's account or principal for kms:<Action> with "
                   "every condition holding for this request; an explicit Deny wins; otherwise AccessDeniedException "
                   "worded as AWS words it. Direct calls carry kms:CallerAccount, kms:EncryptionContext:*, "
                   "kms:GrantIsForAWSResource=false, kms:GrantOperations and aws:PrincipalArn, never kms:ViaService. "
                   "Condition key names match case-insensitively (kms:EncryptionContext:<context-key> too); values "
                   "as the operator says: StringEquals and StringLike case-sensitive, StringLike with * and ? as its "
                   "only wildcards, ArnEquals/ArnLike component by component; kms:EncryptionContextKeys lists the "
                   "context keys as sent (ForAllValues holds without an encryption context, ForAnyValue does not).",
        "cites": [
            {"models": "every key has one key policy, and it is the primary control",
             "page": "Key policies in AWS KMS - AWS Key Management Service",
             "url": "https://docs.aws.amazon.com/kms/latest/developerguide/key-policies.html",
             "quote": "Every KMS key must have exactly one key policy.",
             "seen": "archive",
             "checked": "2026-12-01", "check": "confirmed"},
            {"models": "without an Allow in the key policy nothing else can allow",
             "page": "Key policies in AWS KMS - AWS Key Management Service",
             "url": "https://docs.aws.amazon.com/kms/latest/developerguide/key-policies.html",
             "quote": "Unless the key policy explicitly allows it, you cannot use IAM policies to allow access to a "
                      "KMS key.",
             "seen": "archive",
             "checked": "2026-12-01", "check": "confirmed"},
            {"models": "an explicit Deny wins",
             "page": "Policy evaluation logic / Access management - AWS Identity and Access Management",
             "url": "https://docs.aws.amazon.com/IAM/latest/UserGuide/access.html",
             "quote": "An explicit deny in any policy overrides any allows.",
             "seen": "archive",
             "checked": "2026-12-01", "check": "confirmed"},
            {"models": "AWS's AccessDenied wording for a refusal by a resource-based (key) policy",
             "page": "Troubleshooting access denied error messages - AWS Identity and Access Management",
             "url": "https://docs.aws.amazon.com/IAM/latest/UserGuide/troubleshoot_access-denied.html",
             "quote": "because no resource-based policy allows the secretsmanager:GetSecretValue action",
             "seen": "archive",
             "checked": "2026-12-01", "check": "confirmed"},
            {"models": "a condition key missing from the request makes positive operators false",
             "page": "IAM JSON policy elements: Condition operators - AWS Identity and Access Management",
             "url": "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html",
             "quote": "If the key that you specify in a policy condition is not present in the request context, the "
                      "values do not match and the condition is false.",
             "seen": "docs",
             "checked": "2026-12-01", "check": "confirmed"},
            {"models": "... and negated operators true",
             "page": "IAM JSON policy elements: Condition operators - AWS Identity and Access Management",
             "url": "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html",
             "quote": "If the policy condition requires that the key is not matched, such as StringNotLike or "
                      "ArnNotLike, and the right key is not present, the condition is true.",
             "seen": "docs",
             "checked": "2026-12-01", "check": "confirmed"},
            {"models": "kms:ViaService is about requests that come from an AWS service",
             "page": "AWS KMS condition keys (kms:ViaService) - AWS Key Management Service",
             "url": "https://docs.aws.amazon.com/kms/latest/developerguide/conditions-kms.html#conditions-kms-via-service",
             "quote": "The kms:ViaService condition key limits use of an KMS key to requests from specified AWS "
                      "services.",
             "seen": "archive",
             "checked": "2026-12-01", "check": "confirmed"},
            {"models": "kms:GrantIsForAWSResource holds only when a service calls for the principal",
             "page": "AWS KMS condition keys (kms:GrantIsForAWSResource) - AWS Key Management Service",
             "url": "https://docs.aws.amazon.com/kms/latest/developerguide/conditions-kms.html#conditions-kms-grant-is-for-aws-resource",
             "quote": "Allows or denies permission for the CreateGrant, ListGrants, or RevokeGrant operations only "
                      "when an AWS services integrated with AWS KMS calls the operation on the user's behalf.",
             "seen": "archive",
             "checked": "2026-12-01", "check": "confirmed"},
            {"models": "condition key names match case-insensitively, values as the operator says",
             "page": "IAM JSON policy elements: Condition - AWS Identity and Access Management",
             "url": "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition.html",
             "quote": "Condition key names are not case-sensitive.",
             "seen": "archive",
             "checked": "2026-12-01", "check": "confirmed"},
            {"models": "kms:EncryptionContext:<context-key>: the key name (prefix and context key) is matched "
                       "case-insensitively; the value's case is the operator's (a tenant condition with StringEquals "
                       "refuses another tenant's value, and the same value in other case)",
             "page": "AWS KMS condition keys (kms:EncryptionContext:context-key) - AWS Key Management Service",
             "url": "https://docs.aws.amazon.com/kms/latest/developerguide/conditions-kms.html#conditions-kms-encryption-context",
             "quote": "The key name is not case sensitive. The case sensitivity of the value is determined by the "
                      "condition operator, such as StringEquals.",
             "seen": "archive",
             "checked": "2026-12-01", "check": "confirmed"},
            {"models": "kms:EncryptionContextKeys carries the request's context keys in their own case, so a "
                       "case-sensitive operator on it checks their case",
             "page": "AWS KMS condition keys (Case sensitivity of the encryption context condition) - AWS Key "
                     "Management Service",
             "url": "https://docs.aws.amazon.com/kms/latest/developerguide/conditions-kms.html#conditions-kms-encryption-context-case",
             "quote": "To require a case-sensitive encryption context key, use the kms:EncryptionContextKeys policy "
                      "condition with a case-sensitive condition operator, such as StringEquals.",
             "seen": "archive",
             "checked": "2026-12-01", "check": "confirmed"},
            {"models": "ForAllValues on kms:EncryptionContextKeys: every context key of the request must be listed; "
                       "a request without encryption context satisfies it",
             "page": "AWS KMS condition keys (kms:EncryptionContextKeys) - AWS Key Management Service",
             "url": "https://docs.aws.amazon.com/kms/latest/developerguide/conditions-kms.html#conditions-kms-encryption-context-keys",
             "quote": "It doesn't require any encryption context keys, but it forbids unspecified encryption context "
                      "keys.",
             "seen": "archive",
             "checked": "2026-12-01", "check": "confirmed"},
            {"models": "StringLike: case-sensitive, * and ? are its only wildcards (a [ or ] is a literal)",
             "page": "IAM JSON policy elements: Condition operators - AWS Identity and Access Management",
             "url": "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_String",
             "quote": "Case-sensitive matching. The values can include multi-character match wildcards (*) and "
                      "single-character match wildcards (?) anywhere in the string.",
             "seen": "archive",
             "checked": "2026-12-01", "check": "confirmed"},
            {"models": "ArnEquals and ArnLike: the same, component by component (a * never spans a colon)",
             "page": "IAM JSON policy elements: Condition operators - AWS Identity and Access Management",
             "url": "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_ARN",
             "quote": "Each of the six colon-delimited components of the ARN is checked separately and each can "
                      "include multi-character match wildcards (*) or single-character match wildcards (?). The "
                      "ArnEquals and ArnLike condition operators behave identically.",
             "seen": "archive",
             "checked": "2026-12-01", "check": "confirmed"},
        ],
        "unconfirmed": [
            {"behaviour": "a direct call (Speedscale's own KMS request) never carries kms:ViaService, so it never "
                          "satisfies a ViaService condition",
             "status": "unconfirmed",
             "probe": "kms-direct-call-no-via-service", "answers": {"no-via-service": None},
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
             "seen": "docs",
             "checked": "2026-12-01", "check": "confirmed"},
            {"models": "Disabled -> DisabledException",
             "page": "Key states of AWS KMS keys - AWS Key Management Service",
             "url": "https://docs.aws.amazon.com/kms/latest/developerguide/key-state.html",
             "quote": "DisabledException: <key ARN> is disabled.",
             "seen": "archive",
             "checked": "2026-12-01", "check": "confirmed"},
            {"models": "PendingDeletion -> KMSInvalidStateException (AWS's table gives DisabledException or "
                       "KMSInvalidStateException for cryptographic calls; the layer answers the latter: "
                       "kms-pending-deletion-error)",
             "page": "Key states of AWS KMS keys - AWS Key Management Service",
             "url": "https://docs.aws.amazon.com/kms/latest/developerguide/key-state.html",
             "quote": "KMSInvalidStateException: <key ARN> is pending deletion (or pending replica deletion).",
             "seen": "archive",
             "checked": "2026-12-01", "check": "confirmed"},
            {"models": "the DisabledException error itself",
             "page": "KMS / Client / exceptions / DisabledException - AWS SDK for Python (Boto3) reference",
             "url": "https://docs.aws.amazon.com/botocore/latest/reference/services/kms/client/exceptions/DisabledException.html",
             "quote": "The request was rejected because the specified KMS key is not enabled.",
             "seen": "docs",
             "checked": "2026-12-01", "check": "confirmed"},
        ],
        "unconfirmed": [
            {"behaviour": "CreateGrant on a Disabled key succeeds in the layer (check_state exempts CreateGrant)",
             "status": "not-documented",
             "probe": "kms-create-grant-disabled-key", "answers": {"accepted": None},
             "searched": "key-state.html key state table, row CreateGrant: the Disabled column is marked failing "
                         "with footnote [1]; the CreateGrant API reference lists DisabledException",
             "aws_says": [
                 {"page": "Key states of AWS KMS keys - AWS Key Management Service",
                  "url": "https://docs.aws.amazon.com/kms/latest/developerguide/key-state.html",
                  "quote": "DisabledException: <key ARN> is disabled.",
                  "seen": "archive",
                  "checked": "2026-12-01", "check": "unchecked"}]},
            {"behaviour": "a cryptographic call or CreateGrant on a key pending deletion always answers "
                          "KMSInvalidStateException in the layer",
             "status": "not-documented",
             "probe": "kms-pending-deletion-error", "answers": {"KMSInvalidStateException": None},
             "searched": "key-state.html key state table: the Pending deletion column of Encrypt, Decrypt, "
                         "GenerateDataKey*, ReEncrypt and CreateGrant reads '[2] or [3]', [2] being DisabledException "
                         "(read 2026-12-01 in the CMK-era awsdocs/aws-kms-developer-guide copy; the June 2023 copy "
                         "words it '<key ARN> is pending deletion (or pending replica deletion)'); code that "
                         "classifies the error should accept both",
             "aws_says": [
                 {"page": "Key states of AWS KMS keys - AWS Key Management Service",
                  "url": "https://docs.aws.amazon.com/kms/latest/developerguide/key-state.html",
                  "quote": "DisabledException: <CMK ARN> is pending deletion.",
                  "seen": "archive",
                  "checked": "2026-12-01", "check": "changed",
                  "note": "the older (CMK-era) copy's footnote [2], read 2026-12-01; the June 2023 copy says <key "
                          "ARN> and adds '(or pending replica deletion)'"}]},
            {"behaviour": "an Unavailable key (custom key store) answers KeyUnavailableException in the layer",
             "status": "not-documented",
             "probe": "kms-unavailable-key-error", "answers": {"KeyUnavailableException": None},
             "searched": "key-state.html footnote [11]; not a state cmek's keys can be in",
             "aws_says": [
                 {"page": "Key states of AWS KMS keys - AWS Key Management Service",
                  "url": "https://docs.aws.amazon.com/kms/latest/developerguide/key-state.html",
                  "quote": "KMSInvalidStateException: <key ARN> is unavailable.",
                  "seen": "archive",
                  "checked": "2026-12-01", "check": "unchecked"}]},
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
             "seen": "docs",
             "checked": "2026-12-01", "check": "confirmed"},
            {"models": "a DryRun call counts as a call (billed, logged, quota)",
             "page": "Testing your permissions - AWS Key Management Service",
             "url": "https://docs.aws.amazon.com/kms/latest/developerguide/programming-dryrun.html",
             "quote": "Using the DryRun parameter will incur charges and will be billed as a standard API request.",
             "seen": "docs",
             "checked": "2026-12-01", "check": "confirmed"},
            {"models": "the answer when it would have succeeded",
             "page": "CreateGrant - AWS Key Management Service API Reference (Errors)",
             "url": "https://docs.aws.amazon.com/kms/latest/APIReference/API_CreateGrant.html",
             "quote": "The request was rejected because the DryRun parameter was specified.",
             "seen": "api-model",
             "checked": "2026-12-01", "check": "confirmed"},
        ],
        "unconfirmed": [
            {"behaviour": "a DryRun that policy or key state would refuse answers that refusal, not "
                          "DryRunOperationException (the order: authorization and key state before DryRun)",
             "status": "unconfirmed",
             "probe": "dry-run-after-authorization", "answers": {"refusal-first": None},
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
             "seen": "api-model",
             "checked": "2026-12-01", "check": "confirmed"},
            {"models": "the error for a key of the wrong usage",
             "page": "InvalidKeyUsageException - AWS Key Management Service API Reference (Errors)",
             "url": "https://docs.aws.amazon.com/kms/latest/APIReference/API_GenerateDataKey.html",
             "quote": "The KeyUsage value of the KMS key is incompatible with the API operation.",
             "seen": "api-model",
             "checked": "2026-12-01", "check": "confirmed"},
            {"models": "rotation status exists only for symmetric encryption keys",
             "page": "GetKeyRotationStatus - AWS Key Management Service API Reference",
             "url": "https://docs.aws.amazon.com/kms/latest/APIReference/API_GetKeyRotationStatus.html",
             "quote": "Automatic key rotation is supported only on symmetric encryption KMS keys.",
             "seen": "api-model",
             "checked": "2026-12-01", "check": "confirmed"},
            {"models": "KeyUsage defaults to ENCRYPT_DECRYPT",
             "page": "CreateKey - AWS Key Management Service API Reference",
             "url": "https://docs.aws.amazon.com/kms/latest/APIReference/API_CreateKey.html",
             "quote": "The default value is ENCRYPT_DECRYPT.",
             "seen": "api-model",
             "checked": "2026-12-01", "check": "confirmed"},
        ],
        "unconfirmed": [
            {"behaviour": "GetKeyRotationStatus on an asymmetric or HMAC key answers UnsupportedOperationException",
             "status": "unconfirmed",
             "probe": "rotation-status-asymmetric-key", "answers": {"UnsupportedOperationException": None},
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
                   "KMS.NotFoundException). HeadObject does not call KMS. PutBucketEncryption does not check the key. "
                   "The encryption context, kms:EncryptionContext:aws:s3:arn, is the ARN of the object written or "
                   "read (CopyObject, in place too: the destination object's) or, under a Bucket Key, of its "
                   "bucket; a key-policy condition on it (StringLike \"<bucket ARN>/*\", or the bucket ARN) decides "
                   "as any condition does.",
        "cites": [
            {"models": "writes need kms:GenerateDataKey",
             "page": "Using server-side encryption with AWS KMS keys (SSE-KMS) - Amazon Simple Storage Service",
             "url": "https://docs.aws.amazon.com/AmazonS3/latest/userguide/UsingKMSEncryption.html",
             "quote": "To upload an object encrypted with an AWS KMS key to Amazon S3, you need kms:GenerateDataKey "
                      "permissions on the key.",
             "seen": "archive",
             "checked": "2026-12-01", "check": "confirmed"},
            {"models": "reads need kms:Decrypt",
             "page": "Using server-side encryption with AWS KMS keys (SSE-KMS) - Amazon Simple Storage Service",
             "url": "https://docs.aws.amazon.com/AmazonS3/latest/userguide/UsingKMSEncryption.html",
             "quote": "To download an object encrypted with an AWS KMS key, you need kms:Decrypt permissions.",
             "seen": "archive",
             "checked": "2026-12-01", "check": "confirmed"},
            {"models": "the encryption context is the bucket ARN with a Bucket Key",
             "page": "Using server-side encryption with AWS KMS keys (SSE-KMS) - Amazon Simple Storage Service",
             "url": "https://docs.aws.amazon.com/AmazonS3/latest/userguide/UsingKMSEncryption.html",
             "quote": "When you use SSE-KMS with the optional S3 Bucket Keys feature, the encryption context value "
                      "is the ARN of the bucket.",
             "seen": "archive",
             "checked": "2026-12-01", "check": "confirmed"},
            {"models": "S3's calls carry kms:ViaService s3.<region>.amazonaws.com",
             "page": "AWS KMS condition keys (Services that support the kms:ViaService condition key)",
             "url": "https://docs.aws.amazon.com/kms/latest/developerguide/conditions-kms.html#viaService_table",
             "quote": "Amazon Simple Storage Service (Amazon S3) | s3.AWS_region.amazonaws.com",
             "seen": "archive",
             "checked": "2026-12-01", "check": "confirmed"},
            {"models": "PutBucketEncryption accepts any key id",
             "page": "PutBucketEncryption - Amazon Simple Storage Service API Reference",
             "url": "https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutBucketEncryption.html",
             "quote": "Amazon S3 doesn't validate the KMS key ID provided in PutBucketEncryption requests.",
             "seen": "api-model",
             "checked": "2026-12-01", "check": "confirmed"},
            {"models": "a Bucket Key is reused for a limited time, per requester (so a refused read proves only "
                       "that this principal is refused now)",
             "page": "Reducing the cost of SSE-KMS with Amazon S3 Bucket Keys - Amazon Simple Storage Service",
             "url": "https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucket-key.html",
             "quote": "S3 Bucket Keys are used for a limited time period within Amazon S3, reducing the need for S3 "
                      "to make requests to AWS KMS to complete encryption operations.",
             "seen": "pages", "seen_at": "https://docs.aws.amazon.com/AmazonS3/latest/dev/bucket-key.html",
             "checked": "2026-12-01", "check": "confirmed"},
            {"models": "each requester gets its own bucket-level key",
             "page": "Reducing the cost of SSE-KMS with Amazon S3 Bucket Keys - Amazon Simple Storage Service",
             "url": "https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucket-key.html",
             "quote": "A unique bucket-level key is generated for each requester to ensure an AWS KMS CloudTrail "
                      "event captures the requester.",
             "seen": "archive",
             "checked": "2026-12-01", "check": "confirmed",
             "note": "2026-12-01: the quote was the old /dev/ page's; the userguide page's source (June 2023) says "
                     "this instead; the claim (one bucket key per requester) still holds"},
            {"models": "without a Bucket Key the encryption context is the object's ARN (aws:s3:arn)",
             "page": "Using server-side encryption with AWS KMS keys (SSE-KMS) - Amazon Simple Storage Service",
             "url": "https://docs.aws.amazon.com/AmazonS3/latest/userguide/UsingKMSEncryption.html#encryption-context",
             "quote": "If you use SSE-KMS without enabling an S3 Bucket Key, the object ARN is used as the "
                      "encryption context.",
             "seen": "archive",
             "checked": "2026-12-01", "check": "confirmed"},
            {"models": "a key-policy condition on the object ARN refuses Bucket Key requests, whose context is the "
                       "bucket ARN",
             "page": "Reducing the cost of SSE-KMS with Amazon S3 Bucket Keys - Amazon Simple Storage Service",
             "url": "https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucket-key.html#bucket-key-policies",
             "quote": "If your existing AWS Identity and Access Management (IAM) policies or AWS KMS key policies use "
                      "your object Amazon Resource Name (ARN) as the encryption context to refine or limit access to "
                      "your KMS key, these policies won't work with an S3 Bucket Key. S3 Bucket Keys use the bucket "
                      "ARN as encryption context.",
             "seen": "archive",
             "checked": "2026-12-01", "check": "confirmed"},
            {"models": "kms:EncryptionContext:aws:s3:arn is a policy condition (AWS's examples list the bucket ARN, "
                       "and StringLike object-ARN patterns)",
             "page": "Replicating objects created with server-side encryption (SSE) using KMS keys - Amazon Simple "
                     "Storage Service",
             "url": "https://docs.aws.amazon.com/AmazonS3/latest/userguide/replication-config-for-kms-objects.html",
             "quote": "You must update your IAM policies to use the bucket ARN for the encryption context:",
             "seen": "archive",
             "checked": "2026-12-01", "check": "confirmed"},
            {"models": "CopyObject (in place too) encrypts the destination object: its aws:s3:arn is the destination "
                       "object's ARN, or the destination bucket's under a Bucket Key",
             "page": "CopyObject - Amazon Simple Storage Service API Reference",
             "url": "https://docs.aws.amazon.com/AmazonS3/latest/API/API_CopyObject.html",
             "quote": "Specifies the Amazon Web Services KMS Encryption Context as an additional encryption context "
                      "to use for the destination object encryption.",
             "seen": "api-model",
             "checked": "2026-12-01", "check": "confirmed"},
        ],
        "unconfirmed": [
            {"behaviour": "how long S3 keeps using a Bucket Key after the key policy or key state changes (the "
                          "layer re-checks on every request, i.e. no cache)",
             "status": "unconfirmed",
             "probe": "s3-bucket-key-cache", "answers": {"no-cache": None},
             "searched": "bucket-key.html says 'a limited time period' and 'short-lived'; no duration is given; "
                         "UsingKMSEncryption.html does not give one either"},
            {"behaviour": "HeadObject does not call KMS, so it succeeds on an object whose key is disabled",
             "status": "unconfirmed",
             "probe": "s3-head-object-disabled-key", "answers": {"succeeds": None},
             "searched": "HeadObject API reference: KMS permissions are required only with x-amz-checksum-mode; "
                         "no sentence says HEAD never calls KMS"},
            {"behaviour": "the S3 error codes for KMS refusals (403 AccessDenied; KMS.DisabledException, "
                          "KMS.KMSInvalidStateException, KMS.NotFoundException)",
             "status": "unconfirmed",
             "probe": "s3-kms-refusal-codes", "answers": {"layer-codes": None},
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
             "seen": "archive",
             "checked": "2026-12-01", "check": "confirmed"},
            {"models": "KMS throttles with ThrottlingException",
             "page": "Throttling AWS KMS requests - AWS Key Management Service",
             "url": "https://docs.aws.amazon.com/kms/latest/developerguide/throttling.html",
             "quote": "Throttling occurs when AWS KMS rejects a request that might otherwise be valid, and returns a "
                      "ThrottlingException error like the following one.",
             "seen": "archive",
             "checked": "2026-12-01", "check": "confirmed"},
            {"models": "our own IAM's refusal is worded 'no identity-based policy allows'",
             "page": "Troubleshooting access denied error messages - AWS Identity and Access Management",
             "url": "https://docs.aws.amazon.com/IAM/latest/UserGuide/troubleshoot_access-denied.html",
             "quote": "because no identity-based policy allows the codecommit:ListRepositories action",
             "seen": "archive",
             "checked": "2026-12-01", "check": "confirmed"},
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
             "seen": "archive",
             "checked": "2026-12-01", "check": "confirmed"},
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
             "seen": "archive",
             "checked": "2026-12-01", "check": "confirmed"},
            {"models": "GetBucketEncryption reports SSE-S3 for a bucket nobody configured",
             "page": "GetBucketEncryption - Amazon Simple Storage Service API Reference",
             "url": "https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetBucketEncryption.html",
             "quote": "By default, all buckets have a default encryption configuration that uses server-side "
                      "encryption with Amazon S3 managed keys (SSE-S3).",
             "seen": "api-model",
             "checked": "2026-12-01", "check": "confirmed"},
        ],
        "unconfirmed": [
            {"behaviour": "GetBucketVersioning's root element is VersioningConfiguration, and a bucket never "
                          "versioned returns no Status",
             "status": "unconfirmed",
             "probe": "s3-get-bucket-versioning-never", "answers": {"no-status": None},
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
                   "defaults (for its S3 backup too) and stream quota. A key disabled later changes nothing on the stream's "
                   "description (AWS documents FailureDescription only for failed calls, and CloudWatch metrics "
                   "instead).",
        "cites": [
            {"models": "CREATING, then ACTIVE",
             "page": "CreateDeliveryStream - Amazon Data Firehose API Reference",
             "url": "https://docs.aws.amazon.com/firehose/latest/APIReference/API_CreateDeliveryStream.html",
             "quote": "The initial status of the Firehose stream is CREATING. After the Firehose stream is created, "
                      "its status is ACTIVE and it now accepts data.",
             "seen": "docs", "seen_at": "https://docs.amazonaws.cn/en_us/firehose/latest/APIReference/API_CreateDeliveryStream.md",
             "checked": "2026-12-01", "check": "confirmed"},
            {"models": "ENABLING, then ENABLED",
             "page": "StartDeliveryStreamEncryption - Amazon Data Firehose API Reference",
             "url": "https://docs.aws.amazon.com/firehose/latest/APIReference/API_StartDeliveryStreamEncryption.html",
             "quote": "When you invoke it, Firehose first sets the encryption status of the stream to ENABLING, and "
                      "then to ENABLED.",
             "seen": "docs", "seen_at": "https://docs.amazonaws.cn/firehose/latest/APIReference/API_StartDeliveryStreamEncryption.html",
             "checked": "2026-12-01", "check": "confirmed"},
            {"models": "or ENABLING_FAILED",
             "page": "StartDeliveryStreamEncryption - Amazon Data Firehose API Reference",
             "url": "https://docs.aws.amazon.com/firehose/latest/APIReference/API_StartDeliveryStreamEncryption.html",
             "quote": "If the operation fails, the encryption status changes to ENABLING_FAILED.",
             "seen": "docs", "seen_at": "https://docs.amazonaws.cn/firehose/latest/APIReference/API_StartDeliveryStreamEncryption.html",
             "checked": "2026-12-01", "check": "confirmed"},
            {"models": "SSE only for DirectPut streams",
             "page": "StartDeliveryStreamEncryption - Amazon Data Firehose API Reference",
             "url": "https://docs.aws.amazon.com/firehose/latest/APIReference/API_StartDeliveryStreamEncryption.html",
             "quote": "You can enable SSE for a Firehose stream only if it's a Firehose stream that uses DirectPut "
                      "as its source.",
             "seen": "api-model",
             "checked": "2026-12-01", "check": "confirmed"},
            {"models": "Firehose uses the customer key through its own grant",
             "page": "DeliveryStreamEncryptionConfigurationInput - Amazon Data Firehose API Reference",
             "url": "https://docs.aws.amazon.com/firehose/latest/APIReference/API_DeliveryStreamEncryptionConfigurationInput.html",
             "quote": "Firehose invokes the Amazon KMS operation CreateGrant to create a grant that allows the "
                      "Firehose service to use the customer managed CMK to perform encryption and decryption.",
             "seen": "docs",
             "checked": "2026-12-01", "check": "confirmed"},
            {"models": "Firehose's calls carry kms:ViaService firehose.<region>.amazonaws.com",
             "page": "AWS KMS condition keys (Services that support the kms:ViaService condition key)",
             "url": "https://docs.aws.amazon.com/kms/latest/developerguide/conditions-kms.html#viaService_table",
             "quote": "Amazon Kinesis Data Firehose | firehose.AWS_region.amazonaws.com",
             "seen": "archive",
             "checked": "2026-12-01", "check": "confirmed"},
            {"models": "FailureDescription exists for failed Create/Delete/Start/Stop calls (the ENABLING_FAILED "
                       "case)",
             "page": "DeliveryStreamEncryptionConfiguration - Amazon Data Firehose API Reference",
             "url": "https://docs.aws.amazon.com/firehose/latest/APIReference/API_DeliveryStreamEncryptionConfiguration.html",
             "quote": "Provides details in case one of the following operations fails due to an error related to "
                      "KMS: CreateDeliveryStream, DeleteDeliveryStream, StartDeliveryStreamEncryption, "
                      "StopDeliveryStreamEncryption.",
             "seen": "docs",
             "checked": "2026-12-01", "check": "confirmed"},
            {"models": "InvalidKMSResourceException when KMS refuses, for putting records and starting or stopping "
                       "encryption (for CreateDeliveryStream, which also lists it, the synchronous refusal is "
                       "unconfirmed: firehose-create-unusable-key)",
             "page": "PutRecord / StartDeliveryStreamEncryption - Amazon Data Firehose API Reference (Errors)",
             "url": "https://docs.aws.amazon.com/firehose/latest/APIReference/API_StartDeliveryStreamEncryption.html",
             "quote": "Firehose throws this exception when an attempt to put records or to start or stop Firehose "
                      "stream encryption fails.",
             "seen": "docs", "seen_at": "https://docs.aws.amazon.com/sdk-for-kotlin/api/latest/firehose/aws.sdk.kotlin.services.firehose.model/-invalid-kms-resource-exception",
             "checked": "2026-12-01", "check": "confirmed"},
            {"models": "S3 destination default CompressionFormat (moto omits it)",
             "page": "ExtendedS3DestinationConfiguration - Amazon Data Firehose API Reference",
             "url": "https://docs.aws.amazon.com/firehose/latest/APIReference/API_ExtendedS3DestinationConfiguration.html",
             "quote": "The compression format. If no value is specified, the default is UNCOMPRESSED.",
             "seen": "api-model",
             "checked": "2026-12-01", "check": "confirmed"},
            {"models": "an ExtendedS3 destination's S3 backup (S3BackupMode Enabled, S3BackupConfiguration) is "
                       "described as S3BackupDescription (moto does), with the S3 destination defaults filled in as "
                       "for the destination itself (moto leaves CompressionFormat out, which the Rust SDK requires)",
             "page": "ExtendedS3DestinationConfiguration - Amazon Data Firehose API Reference",
             "url": "https://docs.aws.amazon.com/firehose/latest/APIReference/API_ExtendedS3DestinationConfiguration.html",
             "quote": "The configuration for backup in Amazon S3.",
             "seen": "api-model",
             "checked": "2026-12-01", "check": "confirmed"},
            {"models": "the backup configuration is an S3DestinationConfiguration: UNCOMPRESSED unless given",
             "page": "S3DestinationConfiguration - Amazon Data Firehose API Reference",
             "url": "https://docs.aws.amazon.com/firehose/latest/APIReference/API_S3DestinationConfiguration.html",
             "quote": "The compression format. If no value is specified, the default is UNCOMPRESSED.",
             "seen": "api-model",
             "checked": "2026-12-01", "check": "confirmed"},
            {"models": "S3 destination default buffering",
             "page": "CreateDeliveryStream - Amazon Data Firehose API Reference",
             "url": "https://docs.aws.amazon.com/firehose/latest/APIReference/API_CreateDeliveryStream.html",
             "quote": "By default, if no BufferingHints value is provided, Firehose buffers data up to 5 MB or for 5 "
                      "minutes, whichever condition is satisfied first.",
             "seen": "api-model",
             "checked": "2026-12-01", "check": "confirmed"},
            {"models": "the default stream quota is 5,000 per Region (moto: 50); the layer applies it in every "
                       "Region, though the current quota page gives 5,000 only in us-east-1, us-east-2, us-west-2, "
                       "eu-west-1 and ap-northeast-1 and fewer elsewhere",
             "page": "CreateDeliveryStream - Amazon Data Firehose API Reference",
             "url": "https://docs.aws.amazon.com/firehose/latest/APIReference/API_CreateDeliveryStream.html",
             "quote": "By default, you can create up to 5,000 Firehose streams",
             "seen": "docs", "seen_at": "https://docs.amazonaws.cn/en_us/firehose/latest/APIReference/API_CreateDeliveryStream.md",
             "checked": "2026-12-01", "check": "confirmed"},
            {"models": "control-plane quota: 5 calls per second for CreateDeliveryStream, DeleteDeliveryStream, "
                       "DescribeDeliveryStream, ListDeliveryStreams, UpdateDestination, ... (not enforced by the "
                       "layer; cmek must pace itself)",
             "page": "Amazon Data Firehose Quota - Amazon Data Firehose",
             "url": "https://docs.aws.amazon.com/firehose/latest/dev/limits.html",
             "quote": "Each of the following operations can provide up to five invocations per second, which is a "
                      "hard limit.",
             "seen": "mirror",
             "checked": "2026-12-01", "check": "confirmed",
             "note": "2026-12-01: the current page (markdown mirror) words it 'Each of the following operations can "
                     "provide up to five invocations per second, which is a hard limit.' (R13 quotes the same)"},
            {"models": "a key that becomes unusable after ENABLED: no FailureDescription on the stream; "
                       "CloudWatch metrics and records kept 24 hours instead (metrics: R18)",
             "page": "Data Protection in Amazon Data Firehose (Server-side encryption with Direct PUT)",
             "url": "https://docs.aws.amazon.com/firehose/latest/dev/encryption.html",
             "quote": "When the CMK is of type CUSTOMER_MANAGED_CMK, if the Amazon Data Firehose service is unable to "
                      "decrypt records because of a KMSNotFoundException, a KMSInvalidStateException, a "
                      "KMSDisabledException, or a KMSAccessDeniedException, the service waits up to 24 hours (the "
                      "retention period) for you to resolve the problem.",
             "seen": "mirror",
             "checked": "2026-12-01", "check": "confirmed",
             "note": "2026-12-01: the current page (markdown mirror) says 'Amazon Data Firehose service' where the "
                     "June 2023 copy said 'Amazon Kinesis Data Firehose service'; the same page now states the caller "
                     "rule (R19)"},
            {"models": "a key that becomes unusable after ENABLED: no FailureDescription on the stream; "
                       "CloudWatch metrics and records kept 24 hours instead (metrics: R18)",
             "page": "Data Protection in Amazon Data Firehose (Server-side encryption with Direct PUT)",
             "url": "https://docs.aws.amazon.com/firehose/latest/dev/encryption.html",
             "quote": "Amazon Data Firehose provides the following four CloudWatch metrics that you can use to track "
                      "the four AWS KMS exceptions:",
             "seen": "mirror",
             "checked": "2026-12-01", "check": "confirmed",
             "note": "2026-12-01: the current page (markdown mirror) names the service 'Amazon Data Firehose'"},
            {"models": "a key that becomes unusable after ENABLED: no FailureDescription on the stream; "
                       "CloudWatch metrics and records kept 24 hours instead (metrics: R18)",
             "page": "Monitoring with CloudWatch metrics (SSE metrics) - Amazon Data Firehose",
             "url": "https://docs.aws.amazon.com/firehose/latest/dev/monitoring-with-cloudwatch-metrics.html",
             "quote": "The AWS/Firehose namespace includes the following metrics that are related to SSE.",
             "seen": "archive",
             "checked": "2026-12-01", "check": "confirmed"},
            {"models": "a key that becomes unusable after ENABLED: no FailureDescription on the stream; "
                       "CloudWatch metrics and records kept 24 hours instead (metrics: R18)",
             "page": "Monitoring with CloudWatch metrics (SSE metrics) - Amazon Data Firehose",
             "url": "https://docs.aws.amazon.com/firehose/latest/dev/monitoring-with-cloudwatch-metrics.html",
             "quote": "The number of times the service encounters a KMSDisabledException for the Firehose stream.",
             "seen": "mirror",
             "checked": "2026-12-01", "check": "confirmed",
             "note": "2026-12-01: the current page (markdown mirror) says 'Firehose stream' where the June 2023 copy "
                     "said 'delivery stream'"},
            {"models": "Direct PUT records are kept 24 hours (of delivery errors in general; encryption.html, "
                       "cited above, ties the 24 hours to the KMS exceptions)",
             "page": "Troubleshoot errors in Amazon Data Firehose - Amazon Data Firehose",
             "url": "https://docs.aws.amazon.com/firehose/latest/dev/troubleshooting.html",
             "quote": "For DirectPut Firehose streams, Firehose retains the records for 24 hours.",
             "seen": "docs",
             "checked": "2026-12-01", "check": "confirmed"},
        ],
        "unconfirmed": [
            {"behaviour": "Firehose SSE accepts a customer managed key from ANOTHER account",
             "status": "unconfirmed",
             "probe": "firehose-cross-account-key", "switch": "firehose_cross_account_key",
             "answers": {"accepted": 1, "refused": 0},
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
             "probe": "firehose-create-unusable-key", "answers": {"refused-synchronously": None},
             "searched": "CreateDeliveryStream lists InvalidKMSResourceException among its errors, and "
                         "FailureDescription covers a failed CreateDeliveryStream; which one AWS does is not stated"},
            {"behaviour": "Firehose checks the key with DescribeKey as well as CreateGrant "
                          "(kms:GrantIsForAWSResource=true) before using it",
             "status": "unconfirmed",
             "probe": "firehose-describe-key-check", "answers": {"describe-and-grant": None},
             "searched": "DeliveryStreamEncryptionConfigurationInput documents CreateGrant only; DescribeKey is "
                         "not mentioned"},
            {"behaviour": "Start/UpdateDestination on a stream that is not ACTIVE answer ResourceInUseException; "
                          "Start on a non-DirectPut stream answers InvalidArgumentException",
             "status": "unconfirmed",
             "probe": "firehose-encryption-not-active", "answers": {"ResourceInUseException": None},
             "searched": "both errors are listed for the operations (ResourceInUseException: 'The resource is "
                         "already in use and not available for this operation.'); the mapping to these cases is "
                         "not stated"},
            {"behaviour": "a stream created with a customer key reports encryption Status ENABLED once ACTIVE",
             "status": "unconfirmed",
             "probe": "firehose-cmk-status-enabled", "answers": {"ENABLED": None},
             "searched": "DeliveryStreamEncryptionConfiguration.Status refers to Start/Stop; the state after "
                         "CreateDeliveryStream with DeliveryStreamEncryptionConfigurationInput is not stated"},
        ],
    },
    "R12": {
        "summary": "RDS takes time and uses the key through RDS: new instances and snapshots are `creating` before "
                   "`available`; CreateDBInstance, RestoreDBInstanceFromDBSnapshot and CopyDBSnapshot under a key "
                   "RDS may not use (DescribeKey and CreateGrant through rds.<region>, or a key not Enabled) are "
                   "KMSKeyNotAccessibleFault; the same check is applied to PerformanceInsightsKMSKeyId; "
                   "MasterUserSecretKmsKeyId is checked as Secrets Manager's own use (GenerateDataKey and Decrypt "
                   "through secretsmanager.<region>, with Secrets Manager's encryption context: SecretARN = the "
                   "secret's ARN, SecretVersionId = RequestToValidateKeyAccess for the validation pair, then the "
                   "first version's id for its GenerateDataKey) plus kms:CreateGrant for an AWS resource through the "
                   "service secret_grant_via_secretsmanager names (with SecretARN only under "
                   "secret_grant_encryption_context 1). The secret (ManageMasterUserPassword) is named before the "
                   "call, arn:aws:secretsmanager:<region>:<DB account>:secret:rds!db-<uuid>-<6 letters>, and "
                   "DescribeDBInstances' MasterUserSecret.SecretArn is that ARN. An accepted customer managed storage key gets RDS's grant "
                   "(a real KMS grant in the key owner's account, grantee rds.<region>.amazonaws.com), which the "
                   "key owner can list and revoke. An instance with backups whose key is disabled, pending deletion "
                   "or gone, or whose grant was revoked (rds_grant_revoked_inaccessible), becomes "
                   "`inaccessible-encryption-credentials-recoverable` after rds_inaccessible seconds (AWS: 2 hours "
                   "after detection) and stays so until StartDBInstance after the key is usable again, or for "
                   "rds_terminal seconds (seven days) and then `inaccessible-encryption-credentials`; read replicas "
                   "and instances with read replicas go terminal at once; instances with backups disabled stay "
                   "available. A stopped instance starts again after rds_stop_restart seconds (seven days).",
        "cites": [
            {"models": "`creating` before `available`",
             "page": "Viewing Amazon RDS DB instance status - Amazon Relational Database Service",
             "url": "https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/accessing-monitoring.html",
             "quote": "The DB instance is being created. The DB instance is inaccessible while it is being created.",
             "seen": "archive",
             "checked": "2026-12-01", "check": "confirmed"},
            {"models": "the calling user needs kms:CreateGrant and kms:DescribeKey on a customer managed key; the layer "
                       "checks them as RDS's use on the user's behalf, through rds.<region> (the page does not say "
                       "that RDS itself calls DescribeKey)",
             "page": "AWS KMS key management - Amazon Relational Database Service",
             "url": "https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/Overview.Encryption.Keys.html",
             "quote": "To create an RDS resource using a customer managed key, a user must have permissions to call "
                      "the following operations on the customer managed key:",
             "seen": "archive",
             "checked": "2026-12-01", "check": "confirmed"},
            {"models": "RDS's calls carry kms:ViaService rds.<region>.amazonaws.com",
             "page": "AWS KMS key management - Amazon Relational Database Service",
             "url": "https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/Overview.Encryption.Keys.html",
             "quote": "you can use the kms:ViaService condition key with the rds.<region>.amazonaws.com value.",
             "seen": "archive",
             "checked": "2026-12-01", "check": "confirmed"},
            {"models": "the error",
             "page": "RDS / Client / exceptions / KMSKeyNotAccessibleFault - AWS SDK for Python (Boto3) reference",
             "url": "https://docs.aws.amazon.com/botocore/latest/reference/services/rds/client/exceptions/KMSKeyNotAccessibleFault.html",
             "quote": "An error occurred accessing an Amazon Web Services KMS key.",
             "seen": "docs",
             "checked": "2026-12-01", "check": "confirmed"},
            {"models": "a disabled key loses RDS its access (the layer: also a key pending deletion or gone)",
             "page": "Encrypting Amazon RDS resources - Amazon Relational Database Service",
             "url": "https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/Overview.Encryption.html",
             "quote": "Amazon RDS loses access to the KMS key for a DB instance when you disable the KMS key.",
             "seen": "mirror",
             "checked": "2026-12-01", "check": "confirmed",
             "note": "added 2026-12-01 from a markdown copy of the current page (its Important box); the older copy's "
                     "'or when RDS access to a KMS key is revoked' is gone (see rds-grant-revoked-inaccessible)"},
            {"models": "an instance with backups becomes ...-recoverable 2 hours after detection (the layer: "
                       "rds_inaccessible seconds stand for detection and the two hours, a harness timing)",
             "page": "Encrypting Amazon RDS resources - Amazon Relational Database Service",
             "url": "https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/Overview.Encryption.html",
             "quote": "If you lose access to a KMS key, the encrypted DB instance goes into the "
                      "inaccessible-encryption-credentials-recoverable state 2 hours after detection in instances "
                      "where backups are enabled.",
             "seen": "mirror",
             "checked": "2026-12-01", "check": "confirmed",
             "note": "2026-12-01: replaces the older copy's 'In these cases, the encrypted DB instance goes into "
                     "inaccessible-encryption-credentials-recoverable state.' (June 2023 archive)"},
            {"models": "seven days in ...-recoverable (rds_terminal seconds, 604800 by default)",
             "page": "Encrypting Amazon RDS resources - Amazon Relational Database Service",
             "url": "https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/Overview.Encryption.html",
             "quote": "The DB instance remains in this state for seven days, during which the instance is stopped.",
             "seen": "mirror",
             "checked": "2026-12-01", "check": "confirmed",
             "note": "added 2026-12-01 from a markdown copy of the current page"},
            {"models": "StartDBInstance after the key is enabled again recovers the instance",
             "page": "Encrypting Amazon RDS resources - Amazon Relational Database Service",
             "url": "https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/Overview.Encryption.html",
             "quote": "To recover the DB instance, enable the KMS key and restart this DB instance.",
             "seen": "mirror",
             "checked": "2026-12-01", "check": "confirmed",
             "note": "2026-12-01: replaces the older copy's 'When you start the DB instance during that time, it "
                     "checks if the KMS key is active and recovers the DB instance if it is.' (June 2023 archive)"},
            {"models": "after seven days: terminal inaccessible-encryption-credentials",
             "page": "Encrypting Amazon RDS resources - Amazon Relational Database Service",
             "url": "https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/Overview.Encryption.html",
             "quote": "If the DB instance isn't recovered within seven days, it goes into the terminal "
                      "inaccessible-encryption-credentials state.",
             "seen": "mirror",
             "checked": "2026-12-01", "check": "confirmed",
             "note": "added 2026-12-01 from a markdown copy of the current page"},
            {"models": "after seven days: terminal inaccessible-encryption-credentials",
             "page": "How do I resolve an Amazon RDS instance or Aurora cluster in an inaccessible encryption "
                     "state? - AWS re:Post Knowledge Center",
             "url": "https://repost.aws/knowledge-center/rds-aurora-inaccessible-state",
             "quote": "If the Amazon RDS instance or Amazon Aurora cluster isn't recovered in seven days, then the "
                      "instance or cluster transitions to the terminal state inaccessible-encryption-credentials.",
             "seen": "pages",
             "checked": "2026-12-01", "check": "confirmed"},
            {"models": "read replicas and instances with read replicas never become ...-recoverable (what they "
                       "become instead is unconfirmed: rds-replica-unusable-key)",
             "page": "Encrypting Amazon RDS resources - Amazon Relational Database Service",
             "url": "https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/Overview.Encryption.html",
             "quote": "This recoverable state is not applicable to instances that can't stop, such as read replicas "
                      "and instances with read replicas.",
             "seen": "mirror",
             "checked": "2026-12-01", "check": "confirmed",
             "note": "added 2026-12-01 from a markdown copy of the current page"},
            {"models": "an instance with backups disabled (BackupRetentionPeriod 0) stays available while its key is "
                       "unusable (the volume detach that ends this is not modelled: rds-backups-disabled-detach)",
             "page": "Encrypting Amazon RDS resources - Amazon Relational Database Service",
             "url": "https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/Overview.Encryption.html",
             "quote": "DB instances with disabled backups remain available until the volumes are detached from the "
                      "host during an instance modification or a recovery.",
             "seen": "mirror",
             "checked": "2026-12-01", "check": "confirmed",
             "note": "added 2026-12-01 from a markdown copy of the current page"},
            {"models": "RDS's own grant on the storage key, for the instance's lifetime (the layer: a real KMS grant "
                       "in the key owner's account, grantee and retiring principal rds.<region>.amazonaws.com)",
             "page": "Encrypting Amazon RDS resources - Amazon Relational Database Service",
             "url": "https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/Overview.Encryption.html",
             "quote": "During the creation of a DB instance, Amazon RDS checks if the calling principal has access "
                      "to the KMS key and generates a grant from the KMS key that it uses for the entire lifetime "
                      "of the DB instance.",
             "seen": "mirror",
             "checked": "2026-12-01", "check": "confirmed",
             "note": "added 2026-12-01 from a markdown copy of the current page"},
            {"models": "a key policy change against the caller leaves a running instance alone (the layer looks at "
                       "the key state and RDS's grant only)",
             "page": "Encrypting Amazon RDS resources - Amazon Relational Database Service",
             "url": "https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/Overview.Encryption.html",
             "quote": "Revoking the calling principal's access to the KMS key does not affect a running database.",
             "seen": "mirror",
             "checked": "2026-12-01", "check": "confirmed",
             "note": "added 2026-12-01 from a markdown copy of the current page"},
            {"models": "a stopped instance starts again after seven days (rds_stop_restart seconds, 604800 by "
                       "default)",
             "page": "StopDBInstance - Amazon Relational Database Service API Reference",
             "url": "https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_StopDBInstance.html",
             "quote": "The instance restarts automatically after 7 days.",
             "seen": "api-model",
             "checked": "2026-12-01", "check": "confirmed",
             "note": "added 2026-12-01 (botocore@0e6e240, the August 2026 service model)"},
            {"models": "grants are a separate authorisation from key policies: RDS's grant outlives a key policy "
                       "change (that grants survive one is implied, not stated)",
             "page": "Grants in AWS KMS - AWS Key Management Service",
             "url": "https://docs.aws.amazon.com/kms/latest/developerguide/grants.html",
             "quote": "Grants are often used for temporary permissions because you can create one, use its "
                      "permissions, and delete it without changing your key policies or IAM policies.",
             "seen": "docs",
             "checked": "2026-12-01", "check": "confirmed"},
            {"models": "retiring or revoking is what ends a grant (RDS's too: rds_grant_revoked_inaccessible)",
             "page": "Retiring and revoking grants - AWS Key Management Service",
             "url": "https://docs.aws.amazon.com/kms/latest/developerguide/grant-delete.html",
             "quote": "Both operations delete a grant, which eliminates the permissions the grant allows.",
             "seen": "docs",
             "checked": "2026-12-01", "check": "confirmed"},
            {"models": "a disabled key is unusable, grants included; resources notice when they next use it (RDS "
                       "after rds_inaccessible seconds)",
             "page": "Enable and disable keys - AWS Key Management Service",
             "url": "https://docs.aws.amazon.com/kms/latest/developerguide/enabling-keys.html",
             "quote": "When you disable a KMS key, it becomes unusable right away (subject to eventual "
                      "consistency).",
             "seen": "docs",
             "checked": "2026-12-01", "check": "confirmed"},
            {"models": "Performance Insights data is encrypted under the key",
             "page": "Changing an AWS KMS policy for Performance Insights - Amazon RDS",
             "url": "https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_PerfInsights.access-control.cmk-policy.html",
             "quote": "Performance Insights uses an AWS KMS key to encrypt sensitive data.",
             "seen": "docs", "seen_at": "https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/USER_PerfInsights.access-control.cmk-policy.html",
             "checked": "2026-12-01", "check": "confirmed"},
            {"models": "Performance Insights uses the key through rds.<region> (the documented key policy's example "
                       "condition)",
             "page": "Changing an AWS KMS policy for Performance Insights - Amazon RDS",
             "url": "https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_PerfInsights.access-control.cmk-policy.html",
             "quote": "\"Condition\" : { \"StringEquals\" : { \"kms:ViaService\" : \"rds.us-east-1.amazonaws.com\" }, "
                      "\"ForAnyValue:StringEquals\": { \"kms:EncryptionContext:aws:pi:service\": \"rds\", "
                      "\"kms:EncryptionContext:service\": \"pi\", \"kms:EncryptionContext:aws:rds:db-id\": "
                      "\"db-AAAAABBBBBCCCCDDDDDEEEEE\" } }",
             "seen": "docs",
             "checked": "2026-12-01", "check": "confirmed",
             "note": "2026-12-01: the comment is gone from the current page; its example policy now has a literal "
                     "kms:ViaService rds.<region> condition (and pins the encryption context)"},
            {"models": "the master password lives in Secrets Manager",
             "page": "Password management with Amazon RDS and AWS Secrets Manager - Amazon RDS",
             "url": "https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/rds-secrets-manager.html",
             "quote": "When you specify that RDS manages the master user password in Secrets Manager, RDS generates "
                      "the password and stores it in Secrets Manager.",
             "seen": "archive",
             "checked": "2026-12-01", "check": "confirmed"},
            {"models": "the master password secret is encrypted by Secrets Manager itself, through "
                       "secretsmanager.<region> (GenerateDataKey, Decrypt)",
             "page": "Secret encryption and decryption in AWS Secrets Manager",
             "url": "https://docs.aws.amazon.com/secretsmanager/latest/userguide/security-encryption.html",
             "quote": "Whenever the secret value in a secret changes, Secrets Manager requests a new data key "
                      "from AWS KMS to protect it.",
             "seen": "docs",
             "checked": "2026-12-01", "check": "confirmed"},
            {"models": "the master password secret is encrypted by Secrets Manager itself, through "
                       "secretsmanager.<region> (GenerateDataKey, Decrypt)",
             "page": "Secret encryption and decryption in AWS Secrets Manager",
             "url": "https://docs.aws.amazon.com/secretsmanager/latest/userguide/security-encryption.html",
             "quote": "To allow the KMS key to be used only for requests that originate in Secrets Manager, "
                      "you can use the kms:ViaService condition key with the "
                      "secretsmanager.<Region>.amazonaws.com value.",
             "seen": "archive",
             "checked": "2026-12-01", "check": "confirmed"},
            {"models": "the principal that names the secret's key needs kms:Decrypt, kms:GenerateDataKey and "
                       "kms:CreateGrant on it: the layer checks the first two as Secrets Manager's use "
                       "(secretsmanager.<region>) and CreateGrant for an AWS resource through the service "
                       "secret_grant_via_secretsmanager names (kms:DescribeKey, which the page asks of the user who "
                       "turns on managed passwords, is not checked)",
             "page": "Password management with Amazon RDS and AWS Secrets Manager - Amazon RDS",
             "url": "https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/rds-secrets-manager.html",
             "quote": "For create, modify, or restore operations, the user who specifies the customer managed "
                      "key to encrypt the secret in Secrets Manager must have permissions to perform the "
                      "following operations:",
             "seen": "archive",
             "checked": "2026-12-01", "check": "confirmed"},
            {"models": "why secret_grant_via_secretsmanager defaults to 1: Secrets Manager creates grants on the "
                       "user's behalf",
             "page": "Secret encryption and decryption in AWS Secrets Manager",
             "url": "https://docs.aws.amazon.com/secretsmanager/latest/userguide/security-encryption.html",
             "quote": "Although Secrets Manager does not use grants to gain access to the KMS key, the policy also "
                      "allows Secrets Manager to create grants for the KMS key on the user's behalf",
             "seen": "archive",
             "checked": "2026-12-01", "check": "unchecked",
             "note": "added 2026-12-01 from research-18 (awsdocs/aws-secrets-manager-docs@0d5c8f4); the sentence "
                     "goes on past this point and was not re-read against the live page"},
            {"models": "Secrets Manager's GenerateDataKey and Decrypt carry its encryption context (SecretARN, "
                       "SecretVersionId), which key-policy conditions see",
             "page": "Secret encryption and decryption in AWS Secrets Manager",
             "url": "https://docs.aws.amazon.com/secretsmanager/latest/userguide/security-encryption.html#security-encryption-encryption-context",
             "quote": "In its GenerateDataKey and Decrypt requests to AWS KMS, Secrets Manager uses an encryption "
                      "context with two name–value pairs that identify the secret and its version, as shown in the "
                      "following example.",
             "seen": "archive",
             "checked": "2026-12-01", "check": "confirmed"},
            {"models": "SecretARN is the secret's ARN",
             "page": "Secret encryption and decryption in AWS Secrets Manager",
             "url": "https://docs.aws.amazon.com/secretsmanager/latest/userguide/security-encryption.html#security-encryption-encryption-context",
             "quote": "The key is SecretARN. The value is the Amazon Resource Name (ARN) of the secret.",
             "seen": "archive",
             "checked": "2026-12-01", "check": "confirmed"},
            {"models": "a key established for a secret (the secret created under MasterUserSecretKmsKeyId) is "
                       "validated with GenerateDataKey and Decrypt",
             "page": "Secret encryption and decryption in AWS Secrets Manager",
             "url": "https://docs.aws.amazon.com/secretsmanager/latest/userguide/security-encryption.html#security-encryption-encryption-context",
             "quote": "When you establish or change the KMS key for a secret, Secrets Manager sends GenerateDataKey "
                      "and Decrypt requests to AWS KMS to validate that the caller has permission to use the KMS key "
                      "for these operations.",
             "seen": "archive",
             "checked": "2026-12-01", "check": "confirmed"},
            {"models": "the validation pair's context: SecretARN the secret's ARN, SecretVersionId "
                       "RequestToValidateKeyAccess",
             "page": "Secret encryption and decryption in AWS Secrets Manager",
             "url": "https://docs.aws.amazon.com/secretsmanager/latest/userguide/security-encryption.html#security-encryption-encryption-context",
             "quote": "In these validation requests, the value of the SecretARN is the actual ARN of the secret, but "
                      "the SecretVersionId value is RequestToValidateKeyAccess, as shown in the following example "
                      "encryption context.",
             "seen": "archive",
             "checked": "2026-12-01", "check": "confirmed"},
            {"models": "a key-policy condition on kms:EncryptionContext:SecretARN decides Secrets Manager's use",
             "page": "Secret encryption and decryption in AWS Secrets Manager",
             "url": "https://docs.aws.amazon.com/secretsmanager/latest/userguide/security-encryption.html#security-encryption-authz",
             "quote": "You can also use the keys or values in the encryption context as a condition for using the KMS "
                      "key for cryptographic operations.",
             "seen": "archive",
             "checked": "2026-12-01", "check": "confirmed"},
            {"models": "the managed secret's ARN has the form secret:rds!db-<uuid>-<6 characters> (AWS's example "
                       "output; the layer names its secrets so)",
             "page": "Password management with Amazon RDS and AWS Secrets Manager - Amazon RDS",
             "url": "https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/rds-secrets-manager.html",
             "quote": "\"SecretArn\": \"arn:aws:secretsmanager:eu-west-1:123456789012:secret:rds!db-033d7456-2c96-450d-"
                      "9d48-f5de3025e51c-xmJRDx\",",
             "seen": "archive",
             "checked": "2026-12-01", "check": "confirmed"},
            {"models": "DescribeDBInstances reports that secret's ARN (MasterUserSecret.SecretArn)",
             "page": "Password management with Amazon RDS and AWS Secrets Manager - Amazon RDS",
             "url": "https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/rds-secrets-manager.html",
             "quote": "SecretArn – The ARN of the secret",
             "seen": "archive",
             "checked": "2026-12-01", "check": "confirmed"},
        ],
        "unconfirmed": [
            {"behaviour": "a master password secret under a key Secrets Manager may not use fails the RDS call with "
                          "KMSKeyNotAccessibleFault (the layer's answer; AWS does not say which error RDS returns)",
             "status": "unconfirmed",
             "probe": "rds-secret-key-refusal-error", "answers": {"KMSKeyNotAccessibleFault": None},
             "searched": "rds-secrets-manager.html (permissions section), CreateDBInstance and "
                         "RestoreDBInstanceFromDBSnapshot Errors: KMSKeyNotAccessibleFault is the only KMS error "
                         "listed; none names the secret's key"},
            {"behaviour": "the CreateGrant (kms:GrantIsForAWSResource true) that the principal setting "
                          "MasterUserSecretKmsKeyId needs carries kms:ViaService secretsmanager.<region>.amazonaws.com "
                          "(secret_grant_via_secretsmanager 1, the default) or rds.<region>.amazonaws.com (0); a key "
                          "policy that allows neither refuses the call with KMSKeyNotAccessibleFault",
             "status": "unconfirmed",
             "probe": "secret-create-grant-via", "switch": "secret_grant_via_secretsmanager",
             "answers": {"secretsmanager": 1, "rds": 0},
             "searched": "rds-secrets-manager.html lists kms:Decrypt, kms:GenerateDataKey, kms:CreateGrant for the "
                         "user who names the secret's key and does not say which service makes the CreateGrant; "
                         "security-encryption.html (Secrets Manager) says its policy 'allows Secrets Manager to "
                         "create grants for the KMS key on the user's behalf', hence the default 1; cmek is tested "
                         "under both answers"},
            {"behaviour": "that CreateGrant carries no encryption context (secret_grant_encryption_context 0, the "
                          "default: a key-policy condition on kms:EncryptionContext:SecretARN does not hold for it, "
                          "so a CreateGrant statement with one refuses the call with KMSKeyNotAccessibleFault), or "
                          "SecretARN = the secret's ARN (1)",
             "status": "unconfirmed",
             "probe": "secret-grant-encryption-context", "switch": "secret_grant_encryption_context",
             "answers": {"none": 0, "secret-arn": 1},
             "searched": "security-encryption.html (Secrets Manager) gives the encryption context of its "
                         "GenerateDataKey and Decrypt requests only; rds-secrets-manager.html does not say who makes "
                         "the CreateGrant nor with which grant constraint; key-policy-services.html allows "
                         "encryption context conditions on CreateGrant without saying what RDS or Secrets Manager "
                         "send (research-19); cmek is tested under both answers"},
            {"behaviour": "the master password secret's name: rds!db-<random uuid>, ARN suffix 6 random letters, "
                          "chosen by the layer before the call (the secret's first version id too)",
             "status": "harness",
             "searched": "rds-secrets-manager.html shows only example output (secret:rds!db-<uuid>-xmJRDx); "
                         "service-linked-secrets.html says such secrets are 'typically named with a service ID "
                         "prefix'; no naming rule, nor what the uuid is, is documented: cmek must read the ARN from "
                         "DescribeDBInstances, never derive it"},
            {"behaviour": "once RDS's grant for an instance is revoked or retired (the key still enabled), the instance "
                          "becomes inaccessible-encryption-credentials-recoverable after rds_inaccessible seconds, as "
                          "for a disabled key, and StartDBInstance refuses to recover it while the grant is gone "
                          "(rds_grant_revoked_inaccessible 1, the default, of the DB's account); 0: nothing happens",
             "status": "unconfirmed",
             "probe": "rds-grant-revoked-inaccessible", "switch": "rds_grant_revoked_inaccessible",
             "answers": {"inaccessible": 1, "no-effect": 0},
             "searched": "Overview.Encryption.html: an older version names 'when RDS access to a KMS key is revoked' "
                         "among the causes; the current page names only disabling the key and says revoking the "
                         "calling principal's access does not affect a running database; neither says what revoking "
                         "RDS's own grant does now, nor whether StartDBInstance makes a new grant; cmek is tested "
                         "under both answers",
             "aws_says": [
                 {"page": "Encrypting Amazon RDS resources - Amazon Relational Database Service (older version)",
                  "url": "https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/Overview.Encryption.html",
                  "quote": "For example, RDS loses access when the KMS key isn't enabled, or when RDS access to a KMS "
                           "key is revoked.",
                  "seen": "archive",
                  "checked": "2026-12-01", "check": "changed",
                  "note": "2026-12-01: this older wording (awsdocs copy) is gone from the current page, which says "
                          "the sentence quoted next"},
                 {"page": "Encrypting Amazon RDS resources - Amazon Relational Database Service",
                  "url": "https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/Overview.Encryption.html",
                  "quote": "Amazon RDS loses access to the KMS key for a DB instance when you disable the KMS key.",
                  "seen": "mirror",
                  "checked": "2026-12-01", "check": "confirmed"}]},
            {"behaviour": "a read replica, or an instance with read replicas, whose key is unusable (or grant revoked) "
                          "goes to the terminal inaccessible-encryption-credentials after rds_inaccessible seconds",
             "status": "unconfirmed",
             "probe": "rds-replica-unusable-key", "answers": {"terminal": None},
             "searched": "Overview.Encryption.html (current): the recoverable state 'is not applicable to instances "
                         "that can't stop, such as read replicas and instances with read replicas'; what state they "
                         "take instead is not said (an older version said every instance 'goes into a terminal "
                         "state'); cmek makes no read replicas"},
            {"behaviour": "an instance with backups disabled (BackupRetentionPeriod 0) stays available while its key is "
                          "unusable; the layer does not model the modification or recovery that detaches its "
                          "volumes and then moves it on",
             "status": "not-documented",
             "probe": "rds-backups-disabled-detach", "answers": {"stays-available": None},
             "searched": "Overview.Encryption.html (current); no page says which modifications detach the volumes; "
                         "cmek's instances keep backups",
             "aws_says": [
                 {"page": "Encrypting Amazon RDS resources - Amazon Relational Database Service",
                  "url": "https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/Overview.Encryption.html",
                  "quote": "RDS moves the instances into inaccessible-encryption-credentials-recoverable state or "
                           "inaccessible-encryption-credentials state as applicable.",
                  "seen": "mirror",
                  "checked": "2026-12-01", "check": "confirmed"}]},
            {"behaviour": "the grants Firehose creates keep a stream under the grant rule (R19) working after the key "
                          "policy stops allowing the caller, until retired or revoked (for RDS the current page says so: "
                          "cited above)",
             "status": "unconfirmed",
             "probe": "grants-outlive-key-policy", "answers": {"grants-keep-working": None},
             "searched": "grants.html, grant-delete.html, enabling-keys.html: grants are a separate authorisation "
                         "ended by retire/revoke; no Firehose page says that a key policy change leaves its grant in "
                         "force, and the current encryption.html checks the caller's policies at PutRecord (R19)"},
            {"behaviour": "which RDS event marks the start of the seven days in "
                          "inaccessible-encryption-credentials-recoverable (the layer counts from entering the state)",
             "status": "unconfirmed",
             "probe": "rds-recoverable-seven-days-start", "answers": {"from-recoverable": None},
             "searched": "RDS event categories and messages (USER_Events.Messages), Overview.Encryption.html, "
                         "re:Post rds-aurora-inaccessible-state: no event id is documented for entering the state"},
            {"behaviour": "when RDS detects a lost key: AWS gives '2 hours after detection' but not how long "
                          "detection takes; the layer's rds_inaccessible seconds stand for both",
             "status": "unconfirmed",
             "probe": "rds-disabled-key-detection-delay", "answers": {"rds_inaccessible-seconds": None},
             "searched": "Overview.Encryption.html (current: '2 hours after detection'); Overview.Encryption.Keys.html "
                         "(older: 'immediate, or deferred', of a terminal state); no detection time"},
            {"behaviour": "StartDBInstance while the key is still unusable (or RDS's grant revoked) answers "
                          "KMSKeyNotAccessibleFault",
             "status": "unconfirmed",
             "probe": "rds-start-unusable-key", "answers": {"KMSKeyNotAccessibleFault": None},
             "searched": "StartDBInstance lists KMSKeyNotAccessibleFault among its errors; the case is not stated"},
            {"behaviour": "Performance Insights' own KMS calls carry kms:ViaService rds.<region>.amazonaws.com",
             "status": "unconfirmed",
             "probe": "pi-via-service-rds", "answers": {"rds-via-service": None},
             "searched": "USER_PerfInsights.access-control.cmk-policy.html: only the example key policy's condition "
                         "(kms:ViaService rds.us-east-1.amazonaws.com) says so"},
            {"behaviour": "RDS's grant is named rds:<DB account>:db:<DBInstanceIdentifier> (or :snapshot:<id> for "
                          "CopyDBSnapshot), with operations Decrypt, Encrypt, GenerateDataKey, "
                          "GenerateDataKeyWithoutPlaintext, ReEncryptFrom, ReEncryptTo, CreateGrant, RetireGrant, "
                          "DescribeKey and no constraints",
             "status": "harness",
             "searched": "a test convention so that a test (and cmek's own) can find an instance's grant with "
                         "ListGrants; AWS does not document the name or the operations of RDS's grant"},
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
             "seen": "docs",
             "checked": "2026-12-01", "check": "confirmed"},
            {"models": "as its ARN",
             "page": "Password management with Amazon RDS and AWS Secrets Manager - Amazon RDS",
             "url": "https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/rds-secrets-manager.html",
             "quote": "KmsKeyId – The ARN of the KMS key that is used to encrypt the secret",
             "seen": "archive",
             "checked": "2026-12-01", "check": "confirmed"},
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
             "seen": "docs",
             "checked": "2026-12-01", "check": "confirmed"},
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
             "seen": "docs", "seen_at": "https://docs.aws.amazon.com/cdk/api/v2/docs/aws-cdk-lib.aws_kms.CfnKeyProps.html",
             "checked": "2026-12-01", "check": "confirmed"},
            {"models": "KeyUsage is honoured, default ENCRYPT_DECRYPT",
             "page": "AWS::KMS::Key - AWS CloudFormation",
             "url": "https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-kms-key.html",
             "quote": "Determines the cryptographic operations for which you can use the KMS key. The default value "
                      "is ENCRYPT_DECRYPT.",
             "seen": "docs", "seen_at": "https://docs.aws.amazon.com/cdk/api/v1/docs/@aws-cdk_aws-kms.CfnKeyProps.html",
             "checked": "2026-12-01", "check": "confirmed"},
        ],
        "unconfirmed": [
            {"behaviour": "KeyPolicy may be given as a JSON object and Tags as Key/Value pairs",
             "status": "unconfirmed",
             "probe": "kms-create-key-json-policy", "answers": {"accepted": None},
             "searched": "the AWS::KMS::Key page itself was not retrieved; only CDK's CfnKeyProps (which mirrors "
                         "it) and third-party copies of the resource specification (KeyPolicy PrimitiveType Json)"},
        ],
    },
    "R13": {
        "summary": "Per-operation request quotas, per account and Region, when a test switches them on "
                   "(POST /_localaws/quotas {\"account\": ID}): Firehose's control-plane operations 5 a second "
                   "each, every RDS operation sharing one bucket of 300 refilled at 12 a second, KMS DescribeKey "
                   "2,000 and GetKeyRotationStatus 1,000 a second (the KMS request-quotas table's defaults), each "
                   "counted against the calling account, also for a key of another account. A call over its quota "
                   "is refused with the throttling error (400 ThrottlingException) before it reaches moto, and "
                   "counted.",
        "cites": [
            {"models": "Firehose: 5 calls a second per operation",
             "page": "Amazon Data Firehose Quota - Amazon Data Firehose",
             "url": "https://docs.aws.amazon.com/firehose/latest/dev/limits.html",
             "quote": "Each of the following operations can provide up to five invocations per second, which is a "
                      "hard limit.",
             "seen": "pages",
             "checked": "2026-12-01", "check": "confirmed"},
            {"models": "RDS: 300 burst, 12 a second sustained, per account and Region (that every RDS operation "
                       "shares the one bucket is unconfirmed: rds-throttle-shared-bucket)",
             "page": "Request throttling for the Amazon RDS API - Amazon Relational Database Service",
             "url": "https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/rds-api-throttling.html",
             "quote": "By default, you can make up to 300 requests in a burst and a sustained 12 requests per second.",
             "seen": "docs",
             "checked": "2026-12-01", "check": "confirmed"},
            {"models": "RDS: counted per account and Region, whatever the source",
             "page": "Request throttling for the Amazon RDS API - Amazon Relational Database Service",
             "url": "https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/rds-api-throttling.html",
             "quote": "Amazon RDS throttles API requests for each AWS account in each AWS Region.",
             "seen": "docs",
             "checked": "2026-12-01", "check": "confirmed"},
            {"models": "KMS throttles when a quota of an account and Region is exceeded (the rates and whose account "
                       "counts: the next three citations)",
             "page": "Throttling AWS KMS requests - AWS Key Management Service",
             "url": "https://docs.aws.amazon.com/kms/latest/developerguide/throttling.html",
             "quote": "The rate of requests per second exceeds the AWS KMS request quota for an account and Region.",
             "seen": "docs",
             "checked": "2026-12-01", "check": "confirmed"},
            {"models": "KMS DescribeKey: 2,000 a second (the table row: quota name | default requests per second)",
             "page": "Request quotas - AWS Key Management Service",
             "url": "https://docs.aws.amazon.com/kms/latest/developerguide/requests-per-second.html",
             "quote": "DescribeKey request rate | 2000",
             "seen": "mirror",
             "checked": "2026-12-01", "check": "confirmed",
             "note": "added 2026-12-01 from a markdown copy of the current page (its ML-DSA row dates it to 2025 or "
                     "later); the throttling page's example ('1000 DescribeKey requests in a second') is older"},
            {"models": "KMS GetKeyRotationStatus: 1,000 a second (the table row)",
             "page": "Request quotas - AWS Key Management Service",
             "url": "https://docs.aws.amazon.com/kms/latest/developerguide/requests-per-second.html",
             "quote": "GetKeyRotationStatus request rate | 1000",
             "seen": "mirror",
             "checked": "2026-12-01", "check": "confirmed",
             "note": "added 2026-12-01 from the same copy"},
            {"models": "KMS counts the calling account, not the key's owner",
             "page": "Request quotas - AWS Key Management Service",
             "url": "https://docs.aws.amazon.com/kms/latest/developerguide/requests-per-second.html",
             "quote": "For cross-account requests, AWS KMS throttles the account that makes the requests, not the "
                      "account that owns the KMS key.",
             "seen": "mirror",
             "checked": "2026-12-01", "check": "confirmed",
             "note": "added 2026-12-01 from the same copy (section Cross-account requests)"},
            {"models": "the error: ThrottlingException, HTTP 400 (for Firehose the sentence was not found on its "
                       "Common Errors page: firehose-throttling-error)",
             "page": "Common Errors - Amazon Data Firehose",
             "url": "https://docs.aws.amazon.com/firehose/latest/APIReference/CommonErrors.html",
             "quote": "The request was denied due to request throttling.",
             "seen": "docs",
             "checked": "2026-12-01", "check": "not-found",
             "note": "2026-12-01: the stored Firehose Common Errors page stops before its ThrottlingException entry, "
                     "and the Firehose service model has no ThrottlingException shape; the sentence is AWS's "
                     "standard Common Errors text"},
        ],
        "unconfirmed": [
            {"behaviour": "how much of a Firehose or KMS quota can be spent at once: AWS gives a rate, not a "
                          "burst; the layer allows one second's worth by default, and a test can make it strict "
                          "(POST /_localaws/quotas {\"burst\": \"strict\"}: one call at a time, evenly spaced)",
             "status": "unconfirmed",
             "probe": "quota-burst", "answers": {"one-second": None},
             "searched": "firehose/dev/limits.html, kms requests-per-second.html and throttling.html: rates per "
                         "second only, no bucket size"},
            {"behaviour": "S3 bucket-level reads (GetBucketEncryption) have no quota here: AWS documents request "
                          "rates per prefix for object operations only",
             "status": "unconfirmed",
             "probe": "s3-bucket-read-quota", "answers": {"no-quota": None},
             "searched": "S3 user guide optimizing-performance.html; S3 API reference GetBucketEncryption"},
            {"behaviour": "every RDS operation of an account and Region draws on one shared bucket (300, refilled at "
                          "12 a second)",
             "status": "unconfirmed",
             "probe": "rds-throttle-shared-bucket", "answers": {"one-bucket": None},
             "searched": "rds-api-throttling.html gives the account-level figures; its 'How throttling is applied' "
                         "section was cut off in every stored copy, so per-operation buckets are not ruled out"},
            {"behaviour": "a Firehose call over its quota answers 400 ThrottlingException",
             "status": "unconfirmed",
             "probe": "firehose-throttling-error", "answers": {"ThrottlingException": None},
             "searched": "Firehose Common Errors (stored copy cut off before ThrottlingException); the Firehose "
                         "service model has no ThrottlingException shape; limits.html gives the rate, not the error"},
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
                   "through s3.<region> with the destination's aws:s3:arn, the key states), at most 5 GB, never from an archived object; STANDARD "
                   "unless StorageClass is given; metadata and tags copied unless replaced. The completion report is "
                   "written under SSE-S3. More than 50% of at least 1,000 tasks failed: the job fails.",
        "cites": [
            {"models": "ClientRequestToken is an idempotency token (the same request never makes a second job)",
             "page": "CreateJob - Amazon Simple Storage Service API Reference (S3 Control)",
             "url": "https://docs.aws.amazon.com/AmazonS3/latest/API/API_control_CreateJob.html",
             "quote": "An idempotency token to ensure that you don't accidentally submit the same request twice. You "
                      "can use any string up to the maximum length.",
             "seen": "api-model",
             "checked": "2026-12-01", "check": "confirmed"},
            {"models": "the job's role is assumed by the S3 Batch Operations service principal",
             "page": "Granting permissions for Batch Operations - Amazon Simple Storage Service",
             "url": "https://docs.aws.amazon.com/AmazonS3/latest/userguide/batch-ops-iam-role-policies.html",
             "quote": "To allow the S3 Batch Operations service principal to assume the IAM role, attach the following "
                      "trust policy to the role.",
             "seen": "archive",
             "checked": "2026-12-01", "check": "confirmed"},
            {"models": "the role reads the manifest and writes the report",
             "page": "Granting permissions for Batch Operations - Amazon Simple Storage Service",
             "url": "https://docs.aws.amazon.com/AmazonS3/latest/userguide/batch-ops-iam-role-policies.html",
             "quote": "Regardless of the operation, Amazon S3 needs permissions to read your manifest object from your "
                      "S3 bucket and optionally write a report to your bucket.",
             "seen": "archive",
             "checked": "2026-12-01", "check": "confirmed"},
            {"models": "the role must be allowed to use the objects' KMS keys",
             "page": "Granting permissions for Batch Operations - Amazon Simple Storage Service",
             "url": "https://docs.aws.amazon.com/AmazonS3/latest/userguide/batch-ops-iam-role-policies.html",
             "quote": "If you are running S3 Batch Operations on encrypted objects, the IAM role must also have access "
                      "to the AWS KMS keys used to encrypt them.",
             "seen": "archive",
             "checked": "2026-12-01", "check": "confirmed"},
            {"models": "the manifest is named with its ETag",
             "page": "JobManifestLocation - Amazon Simple Storage Service API Reference",
             "url": "https://docs.aws.amazon.com/AmazonS3/latest/API/API_control_JobManifestLocation.html",
             "quote": "The ETag for the specified manifest object.",
             "seen": "docs",
             "checked": "2026-12-01", "check": "confirmed"},
            {"models": "Fields name the CSV manifest's columns",
             "page": "JobManifestSpec - Amazon Simple Storage Service API Reference",
             "url": "https://docs.aws.amazon.com/AmazonS3/latest/API/API_control_JobManifestSpec.html",
             "quote": "If the specified manifest object is in the S3BatchOperations_CSV_20180820 format, this element "
                      "describes which columns contain the required data.",
             "seen": "docs",
             "checked": "2026-12-01", "check": "confirmed"},
            {"models": "manifest keys are URL-encoded",
             "page": "Creating an S3 Batch Operations job - Amazon Simple Storage Service",
             "url": "https://docs.aws.amazon.com/AmazonS3/latest/userguide/batch-ops-create-job.html",
             "quote": "The contents of the manifest must be URL-encoded.",
             "seen": "archive",
             "checked": "2026-12-01", "check": "confirmed"},
            {"models": "a manifest the job cannot read fails the job, with FailureReasons",
             "page": "Tracking job status and completion reports - Amazon Simple Storage Service",
             "url": "https://docs.aws.amazon.com/AmazonS3/latest/userguide/batch-ops-job-status.html",
             "quote": "If an S3 Batch Operations job encounters a problem that prevents it from running successfully, "
                      "such as not being able to read the specified manifest, the job fails.",
             "seen": "archive",
             "checked": "2026-12-01", "check": "confirmed"},
            {"models": "the failure reason of a manifest the role may not read",
             "page": "Troubleshoot Batch Operations - Amazon Simple Storage Service",
             "url": "https://docs.aws.amazon.com/AmazonS3/latest/userguide/troubleshooting-batch-operations.html",
             "quote": "Reason for failure Reading the manifest is forbidden: AccessDenied",
             "seen": "archive",
             "checked": "2026-12-01", "check": "confirmed"},
            {"models": "New, then Preparing while the manifest is read",
             "page": "Tracking job status and completion reports - Amazon Simple Storage Service",
             "url": "https://docs.aws.amazon.com/AmazonS3/latest/userguide/batch-ops-job-status.html",
             "quote": "A job begins in the New state when you create it.",
             "seen": "archive",
             "checked": "2026-12-01", "check": "confirmed"},
            {"models": "New, then Preparing while the manifest is read",
             "page": "Tracking job status and completion reports - Amazon Simple Storage Service",
             "url": "https://docs.aws.amazon.com/AmazonS3/latest/userguide/batch-ops-job-status.html",
             "quote": "Amazon S3 is processing the manifest object and other job parameters to set up and run the job.",
             "seen": "archive",
             "checked": "2026-12-01", "check": "confirmed"},
            {"models": "a job that requires confirmation is Suspended until UpdateJobStatus Ready",
             "page": "Tracking job status and completion reports - Amazon Simple Storage Service",
             "url": "https://docs.aws.amazon.com/AmazonS3/latest/userguide/batch-ops-job-status.html",
             "quote": "After you confirm that you want to run the job, its status changes to Ready.",
             "seen": "archive",
             "checked": "2026-12-01", "check": "confirmed"},
            {"models": "Active, with progress in DescribeJob",
             "page": "Tracking job status and completion reports - Amazon Simple Storage Service",
             "url": "https://docs.aws.amazon.com/AmazonS3/latest/userguide/batch-ops-job-status.html",
             "quote": "While a job is Active, you can monitor its progress using the Amazon S3 console or the "
                      "DescribeJob operation through the REST API, AWS CLI, or AWS SDKs.",
             "seen": "archive",
             "checked": "2026-12-01", "check": "confirmed"},
            {"models": "each task is a CopyObject",
             "page": "S3CopyObjectOperation - Amazon Simple Storage Service API Reference",
             "url": "https://docs.aws.amazon.com/AmazonS3/latest/API/API_control_S3CopyObjectOperation.html",
             "quote": "S3 Batch Operations passes every object to the underlying CopyObject API operation.",
             "seen": "docs",
             "checked": "2026-12-01", "check": "confirmed"},
            {"models": "without StorageClass a copy is STANDARD",
             "page": "CopyObject - Amazon Simple Storage Service API Reference",
             "url": "https://docs.aws.amazon.com/AmazonS3/latest/API/API_CopyObject.html",
             "quote": "If the x-amz-storage-class header is not used, the copied object will be stored in the STANDARD "
                      "Storage Class by default.",
             "seen": "api-model",
             "checked": "2026-12-01", "check": "confirmed"},
            {"models": "without NewObjectTagging the tags are copied",
             "page": "S3CopyObjectOperation - Amazon Simple Storage Service API Reference",
             "url": "https://docs.aws.amazon.com/AmazonS3/latest/API/API_control_S3CopyObjectOperation.html",
             "quote": "If NewObjectTagging is not specified, the tags of the source objects are copied to destination "
                      "objects by default.",
             "seen": "api-model",
             "checked": "2026-12-01", "check": "confirmed"},
            {"models": "without NewObjectMetadata (MetadataDirective COPY) the metadata is copied",
             "page": "S3CopyObjectOperation - Amazon Simple Storage Service API Reference",
             "url": "https://docs.aws.amazon.com/AmazonS3/latest/API/API_control_S3CopyObjectOperation.html",
             "quote": "If you don't provide this parameter, Amazon S3 copies all the metadata from the original "
                      "objects.",
             "seen": "api-model",
             "checked": "2026-12-01", "check": "confirmed"},
            {"models": "a task fails on an object over 5 GB",
             "page": "Copy objects (Batch Operations) - Amazon Simple Storage Service",
             "url": "https://docs.aws.amazon.com/AmazonS3/latest/userguide/batch-ops-copy-object.html",
             "quote": "Objects to be copied can be up to 5 GB in size.",
             "seen": "archive",
             "checked": "2026-12-01", "check": "confirmed"},
            {"models": "a manifest generator lists the source bucket, filtered by storage class",
             "page": "JobManifestGeneratorFilter - Amazon Simple Storage Service API Reference",
             "url": "https://docs.aws.amazon.com/AmazonS3/latest/API/API_control_JobManifestGeneratorFilter.html",
             "quote": "If provided, the generated manifest includes only source bucket objects that are stored with "
                      "the specified storage class.",
             "seen": "docs",
             "checked": "2026-12-01", "check": "confirmed"},
            {"models": "a manifest generator's encryption filter (exactly one)",
             "page": "JobManifestGeneratorFilter - Amazon Simple Storage Service API Reference",
             "url": "https://docs.aws.amazon.com/AmazonS3/latest/API/API_control_JobManifestGeneratorFilter.html",
             "quote": "If provided, the generated object list includes only source bucket objects with the indicated "
                      "server-side encryption type (SSE-S3, SSE-KMS, DSSE-KMS, SSE-C, or NOT-SSE).",
             "seen": "docs",
             "checked": "2026-12-01", "check": "confirmed"},
            {"models": "the generated manifest is written under SSE-KMS when the output location asks for it",
             "page": "GeneratedManifestEncryption - Amazon Simple Storage Service API Reference",
             "url": "https://docs.aws.amazon.com/AmazonS3/latest/API/API_control_GeneratedManifestEncryption.html",
             "quote": "Configuration details on how SSE-KMS is used to encrypt generated manifest objects.",
             "seen": "docs",
             "checked": "2026-12-01", "check": "confirmed"},
            {"models": "a task fails on an archived object not restored (InvalidObjectState)",
             "page": "CopyObject - Amazon Simple Storage Service API Reference",
             "url": "https://docs.aws.amazon.com/AmazonS3/latest/API/API_CopyObject.html",
             "quote": "Before using an object as a source object for the copy operation, you must restore a copy of it "
                      "if it meets any of the following conditions:",
             "seen": "api-model",
             "checked": "2026-12-01", "check": "confirmed"},
            {"models": "a task fails on an archived object not restored (InvalidObjectState)",
             "page": "GetObject - Amazon Simple Storage Service API Reference (InvalidObjectState)",
             "url": "https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetObject.html",
             "quote": "Object is archived and inaccessible until restored.",
             "seen": "api-model",
             "checked": "2026-12-01", "check": "confirmed"},
            {"models": "the completion report is under SSE-S3, whatever the bucket's default encryption",
             "page": "Examples: S3 Batch Operations completion reports - Amazon Simple Storage Service",
             "url": "https://docs.aws.amazon.com/AmazonS3/latest/userguide/batch-ops-examples-reports.html",
             "quote": "Completion reports are always encrypted with Amazon S3 managed keys (SSE-S3).",
             "seen": "docs",
             "checked": "2026-12-01", "check": "confirmed"},
            {"models": "a report once at least one task ran, for Complete, Failed and Cancelled jobs",
             "page": "Examples: S3 Batch Operations completion reports - Amazon Simple Storage Service",
             "url": "https://docs.aws.amazon.com/AmazonS3/latest/userguide/batch-ops-examples-reports.html",
             "quote": "As long as at least one task has been invoked successfully, S3 Batch Operations generates a "
                      "report for jobs that have completed, failed, or been canceled.",
             "seen": "docs",
             "checked": "2026-12-01", "check": "confirmed"},
            {"models": "job-<id>/manifest.json names the results CSVs, per task status",
             "page": "Examples: S3 Batch Operations completion reports - Amazon Simple Storage Service",
             "url": "https://docs.aws.amazon.com/AmazonS3/latest/userguide/batch-ops-examples-reports.html",
             "quote": "The top-level manifest.json file contains the locations of each succeeded report and (if the job "
                      "had any failures) the location of failed reports, as shown in the following example.",
             "seen": "docs",
             "checked": "2026-12-01", "check": "confirmed"},
            {"models": "the results CSV columns",
             "page": "Examples: S3 Batch Operations completion reports - Amazon Simple Storage Service",
             "url": "https://docs.aws.amazon.com/AmazonS3/latest/userguide/batch-ops-examples-reports.html",
             "quote": "\"ReportSchema\": \"Bucket, Key, VersionId, TaskStatus, ErrorCode, HTTPStatusCode, "
                      "ResultMessage\"",
             "seen": "docs",
             "checked": "2026-12-01", "check": "confirmed"},
            {"models": "more than 50% of at least 1,000 tasks failed: the job fails",
             "page": "Tracking job status and completion reports - Amazon Simple Storage Service",
             "url": "https://docs.aws.amazon.com/AmazonS3/latest/userguide/batch-ops-job-status.html",
             "quote": "When a job has run at least 1,000 tasks, Amazon S3 monitors the task failure rate.",
             "seen": "archive",
             "checked": "2026-12-01", "check": "confirmed"},
            {"models": "more than 50% of at least 1,000 tasks failed: the job fails",
             "page": "Tracking job status and completion reports - Amazon Simple Storage Service",
             "url": "https://docs.aws.amazon.com/AmazonS3/latest/userguide/batch-ops-job-status.html",
             "quote": "At any point, if the failure rate (the number of tasks that have failed as a proportion of the "
                      "total number of tasks that have run) exceeds 50 percent, the job fails.",
             "seen": "archive",
             "checked": "2026-12-01", "check": "confirmed"},
            {"models": "a report the role may not write: the job still completes, with a failure reason",
             "page": "Troubleshoot Batch Operations - Amazon Simple Storage Service",
             "url": "https://docs.aws.amazon.com/AmazonS3/latest/userguide/troubleshooting-batch-operations.html",
             "quote": "Only the delivery of the completion report fails.",
             "seen": "archive",
             "checked": "2026-12-01", "check": "confirmed"},
        ],
        "unconfirmed": [
            {"behaviour": "POST /_localaws/s3control/omit {\"account\": ID, \"count\": N}: the next job created in "
                          "the account with a manifest generator leaves out the first N objects (in key order) it would "
                          "otherwise list, once (count 0 clears it): it has N fewer tasks, those objects are untouched "
                          "and not in its generated manifest. They stand for objects a generated manifest does not "
                          "include, such as one a lifecycle rule moved to another storage class between cmek's scan "
                          "and the job",
             "status": "harness",
             "searched": "a test fault, no claim about AWS: it lets cmek's tests see a job that copies fewer objects "
                         "than cmek's own scan found"},
            {"behaviour": "how fast a job runs: New for batch_new seconds, Preparing for batch_prepare, then "
                          "batch_tasks_per_second tasks a second (default 400; POST /_localaws/config)",
             "status": "harness",
             "searched": "batch-ops-job-status.html and the S3 Control API reference give no durations or rates"},
            {"behaviour": "CreateJob with a ClientRequestToken the account already used answers the same JobId "
                          "(no new job) when the request is byte-for-byte the same, IdempotencyException (400) "
                          "otherwise; tokens never expire",
             "status": "unconfirmed",
             "probe": "batch-client-request-token", "answers": {"same-job": None},
             "searched": "API_control_CreateJob.html: ClientRequestToken's description and the error list "
                         "(IdempotencyException, no description); nothing on what a reused token returns"},
            {"behaviour": "CreateJob whose RoleArn does not exist in the account, or does not trust "
                          "batchoperations.s3.amazonaws.com, is refused at once: 400 InvalidRequest",
             "status": "unconfirmed",
             "probe": "batch-role-checked-at-create", "answers": {"refused": None},
             "searched": "batch-ops-iam-role-policies.html, troubleshooting-batch-operations.html, CreateJob errors "
                         "(BadRequestException, no description): whether CreateJob refuses or the job fails is not "
                         "stated"},
            {"behaviour": "a CSV manifest under SSE-KMS fails the job, 'Reading the manifest is forbidden: "
                          "AccessDenied' (the default, AWS's documented answer); POST /_localaws/config "
                          "{\"batch_kms_csv_manifest\": 1} reads it as the role instead (its identity policy and the "
                          "key policy must allow kms:Decrypt through s3.<region>, the key must be enabled). cmek "
                          "never writes one: S3 generates its manifests (S3JobManifestGenerator) under the key",
             "status": "not-documented",
             "probe": "csv-manifest-under-kms", "switch": "batch_kms_csv_manifest",
             "answers": {"job-fails": 0, "read-as-role": 1},
             "searched": "batch-ops-create-job.html (Specifying a manifest) and troubleshooting-batch-operations.html "
                         "(Access Denied to read the manifest), June 2023 sources; the live pages could not be "
                         "retrieved",
             "aws_says": [
                 {"page": "Creating an S3 Batch Operations job - Amazon Simple Storage Service",
                  "url": "https://docs.aws.amazon.com/AmazonS3/latest/userguide/batch-ops-create-job.html",
                  "quote": "Manifests that use server-side encryption with AWS Key Management Service (AWS KMS) keys "
                           "(SSE-KMS) are supported only when you're using CSV-formatted inventory reports.",
                  "seen": "archive",
                  "checked": "2026-12-01", "check": "unchecked"},
                 {"page": "Creating an S3 Batch Operations job - Amazon Simple Storage Service",
                  "url": "https://docs.aws.amazon.com/AmazonS3/latest/userguide/batch-ops-create-job.html",
                  "quote": "S3 Batch Operations does not support CSV manifest files that are AWS KMS-encrypted.",
                  "seen": "archive",
                  "checked": "2026-12-01", "check": "unchecked"}]},
            {"behaviour": "a generated manifest is written as <ManifestPrefix>/job-<id>/manifest.csv (Bucket,Key rows); "
                          "the source bucket is listed as the job's role (s3:ListBucket)",
             "status": "unconfirmed",
             "probe": "batch-generated-manifest-path", "answers": {"job-prefix-manifest-csv": None},
             "searched": "API_control_S3ManifestOutputLocation.html and batch-ops-create-job.html (Generating an "
                         "object list automatically): the object names under ManifestPrefix are not stated; cmek "
                         "reads nothing from them"},
            {"behaviour": "the report's top-level file is <prefix>/job-<id>/manifest.json (as the user guide's "
                          "example shows), not report.json",
             "status": "not-documented",
             "probe": "batch-report-manifest-json", "answers": {"manifest-json": None},
             "searched": "batch-ops-examples-reports.html shows manifest.json; the JobReport API reference names "
                         "report.json",
             "aws_says": [
                 {"page": "JobReport - Amazon Simple Storage Service API Reference",
                  "url": "https://docs.aws.amazon.com/AmazonS3/latest/API/API_control_JobReport.html",
                  "quote": "Amazon S3 stores the job-completion report at <prefix>/job-<job-id>/report.json.",
                  "seen": "api-model",
                  "checked": "2026-12-01", "check": "unchecked"}]},
            {"behaviour": "results CSV rows follow ReportSchema (ErrorCode before HTTPStatusCode; the user guide's "
                          "example rows have them the other way round), keys as written in the manifest "
                          "(URL-encoded), ResultMessage 'Successful' for a copy that succeeded, one file per task "
                          "status, FailedTasksOnly writes no succeeded file",
             "status": "unconfirmed",
             "probe": "batch-report-rows", "answers": {"report-schema-order": None},
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
             "probe": "batch-failure-codes", "answers": {"layer-codes": None},
             "searched": "troubleshooting-batch-operations.html, batch-ops-job-status.html, the S3 Control error "
                         "shapes (no descriptions, no HTTP status codes)"},
            {"behaviour": "a task checks only s3:GetObject on the source, s3:PutObject on the target and the KMS "
                          "permissions; tag and ACL permissions, versions, TargetKeyPrefix, Object Lock and ACL "
                          "fields of S3CopyObjectOperation are not modelled; only S3PutObjectCopy jobs and CSV "
                          "manifests are accepted",
             "status": "unconfirmed",
             "probe": "batch-task-permissions", "answers": {"get-put-kms-only": None},
             "searched": "CopyObject API reference (no tagging permission stated), batch-ops-iam-role-policies.html "
                         "example policies"},
            {"behaviour": "a copy task's kms:GenerateDataKey carries the destination's encryption context, as "
                          "CopyObject's: kms:EncryptionContext:aws:s3:arn = the target object's ARN, or the target "
                          "bucket's ARN when the job (BucketKeyEnabled) or the target bucket's default encryption "
                          "has a Bucket Key; a source object under SSE-KMS is decrypted with its own ARN (or its "
                          "bucket's)",
             "status": "unconfirmed",
             "probe": "batch-copy-encryption-context", "answers": {"destination-arn": None},
             "searched": "batch-ops-copy-object.html, batch-ops-copy-example-bucket-key.html, "
                         "configuring-bucket-key-object.html, batch-ops-iam-role-policies.html and the S3 Control "
                         "model (S3CopyObjectOperation has SSEAwsKmsKeyId and BucketKeyEnabled, no encryption "
                         "context member): nothing on the encryption context of Batch copy (research-19)"},
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
             "seen": "api-model",
             "checked": "2026-12-01", "check": "confirmed"},
            {"models": "UploadPartCopy copies a range of the source",
             "page": "UploadPartCopy - Amazon Simple Storage Service API Reference",
             "url": "https://docs.aws.amazon.com/AmazonS3/latest/API/API_UploadPartCopy.html",
             "quote": "To specify a byte range, you add the request header x-amz-copy-source-range in your request.",
             "seen": "api-model",
             "checked": "2026-12-01", "check": "confirmed"},
            {"models": "x-amz-copy-source-if-match: only a source with that ETag is copied",
             "page": "UploadPartCopy - Amazon Simple Storage Service API Reference",
             "url": "https://docs.aws.amazon.com/AmazonS3/latest/API/API_UploadPartCopy.html",
             "quote": "Copies the object if its entity tag (ETag) matches the specified tag.",
             "seen": "api-model",
             "checked": "2026-12-01", "check": "confirmed"},
            {"models": "CompleteMultipartUpload If-Match: 412 when the object's ETag differs",
             "page": "CompleteMultipartUpload - Amazon Simple Storage Service API Reference",
             "url": "https://docs.aws.amazon.com/AmazonS3/latest/API/API_CompleteMultipartUpload.html",
             "quote": "Uploads the object only if the ETag (entity tag) value provided during the WRITE operation "
                      "matches the ETag of the object in S3. If the ETag values do not match, the operation returns "
                      "a 412 Precondition Failed error.",
             "seen": "api-model",
             "checked": "2026-12-01", "check": "confirmed"},
            {"models": "CompleteMultipartUpload If-Match: 412 when the object's ETag differs",
             "page": "How to prevent object overwrites with conditional writes - Amazon Simple Storage Service",
             "url": "https://docs.aws.amazon.com/AmazonS3/latest/userguide/conditional-writes.html",
             "quote": "Alternatively, you can add the If-Match header to check an object's entity tag (ETag) before "
                      "writing an object.",
             "seen": "docs",
             "checked": "2026-12-01", "check": "confirmed"},
            {"models": "CreateMultipartUpload needs kms:GenerateDataKey",
             "page": "CreateMultipartUpload - Amazon Simple Storage Service API Reference",
             "url": "https://docs.aws.amazon.com/AmazonS3/latest/API/API_CreateMultipartUpload.html",
             "quote": "The requester must also have permissions for the kms:GenerateDataKey action for the "
                      "CreateMultipartUpload API.",
             "seen": "api-model",
             "checked": "2026-12-01", "check": "confirmed"},
            {"models": "UploadPartCopy (and completing the upload) needs kms:Decrypt",
             "page": "CreateMultipartUpload - Amazon Simple Storage Service API Reference",
             "url": "https://docs.aws.amazon.com/AmazonS3/latest/API/API_CreateMultipartUpload.html",
             "quote": "Then, the requester needs permissions for the kms:Decrypt action on the UploadPart and "
                      "UploadPartCopy APIs.",
             "seen": "api-model",
             "checked": "2026-12-01", "check": "confirmed"},
            {"models": "UploadPartCopy (and completing the upload) needs kms:Decrypt",
             "page": "CreateMultipartUpload - Amazon Simple Storage Service API Reference",
             "url": "https://docs.aws.amazon.com/AmazonS3/latest/API/API_CreateMultipartUpload.html",
             "quote": "These permissions are required because Amazon S3 must decrypt and read data from the encrypted "
                      "file parts before it completes the multipart upload.",
             "seen": "api-model",
             "checked": "2026-12-01", "check": "confirmed"},
            {"models": "UploadPartCopy answers the part's checksum when the upload has a checksum algorithm",
             "page": "UploadPartCopy - Amazon Simple Storage Service API Reference (CopyPartResult)",
             "url": "https://docs.aws.amazon.com/AmazonS3/latest/API/API_CopyPartResult.html",
             "quote": "This checksum is present if the multipart upload request was created with the CRC32 checksum "
                      "algorithm.",
             "seen": "api-model",
             "checked": "2026-12-01", "check": "confirmed"},
            {"models": "parts are at least 5 MB but the last (virtual parts count their reported size)",
             "page": "CompleteMultipartUpload - Amazon Simple Storage Service API Reference",
             "url": "https://docs.aws.amazon.com/AmazonS3/latest/API/API_CompleteMultipartUpload.html",
             "quote": "Each part must be at least 5 MB in size, except the last part.",
             "seen": "api-model",
             "checked": "2026-12-01", "check": "confirmed"},
            {"models": "CreateMultipartUpload's storage class, STANDARD by default",
             "page": "CreateMultipartUpload - Amazon Simple Storage Service API Reference",
             "url": "https://docs.aws.amazon.com/AmazonS3/latest/API/API_CreateMultipartUpload.html",
             "quote": "By default, Amazon S3 uses the STANDARD Storage Class to store newly created objects.",
             "seen": "api-model",
             "checked": "2026-12-01", "check": "confirmed"},
            {"models": "CreateMultipartUpload's x-amz-tagging",
             "page": "CreateMultipartUpload - Amazon Simple Storage Service API Reference",
             "url": "https://docs.aws.amazon.com/AmazonS3/latest/API/API_CreateMultipartUpload.html",
             "quote": "The tag-set for the object. The tag-set must be encoded as URL Query parameters.",
             "seen": "api-model",
             "checked": "2026-12-01", "check": "confirmed"},
            {"models": "an object in an Intelligent-Tiering archive tier cannot be copied until restored",
             "page": "CopyObject - Amazon Simple Storage Service API Reference",
             "url": "https://docs.aws.amazon.com/AmazonS3/latest/API/API_CopyObject.html",
             "quote": "The storage class of the source object is INTELLIGENT_TIERING and it's S3 Intelligent-Tiering "
                      "access tier is Archive Access or Deep Archive Access.",
             "seen": "api-model",
             "checked": "2026-12-01", "check": "confirmed"},
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
             "probe": "upload-part-copy-if-match", "switch": "upload_part_copy_if_match",
             "answers": {"refused": 1, "copied": 0},
             "searched": "UploadPartCopy API reference: 412 is stated for the if-none-match/if-modified-since pair, "
                         "not in so many words for if-match alone"},
            {"behaviour": "UploadPartCopy whose range ends past the source's size answers 400 InvalidArgument "
                          "'Range specified is not valid for source object of size: N'; from an archived source "
                          "403 InvalidObjectState",
             "status": "unconfirmed",
             "probe": "upload-part-copy-range-error", "answers": {"InvalidArgument": None},
             "searched": "UploadPartCopy API reference (x-amz-copy-source-range; no error for a range past the end; "
                         "the archive rule is CopyObject's)"},
            {"behaviour": "CompleteMultipartUpload checks kms:Decrypt on the upload's key; If-Match on a key with no "
                          "object answers 404 NoSuchKey",
             "status": "unconfirmed",
             "probe": "complete-multipart-decrypt", "answers": {"checks-decrypt": None},
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
             "seen": "api-model",
             "checked": "2026-12-01", "check": "confirmed"},
            {"models": "ModifyDBInstance turns Performance Insights on",
             "page": "Turning Performance Insights on and off - Amazon Relational Database Service",
             "url": "https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_PerfInsights.Enabling.html",
             "quote": "You can also specify the EnablePerformanceInsights value using the following API operations:",
             "seen": "pages",
             "checked": "2026-12-01", "check": "confirmed"},
            {"models": "the key cannot change once Performance Insights is on (CloudFormation's update behaviour: a "
                       "different key replaces the instance; that ModifyDBInstance refuses it is unconfirmed: "
                       "pi-key-change)",
             "page": "AWS::RDS::DBInstance - AWS CloudFormation",
             "url": "https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-rds-dbinstance.html",
             "quote": "Once Performance Insights is enabled with a KMS key, you cannot change to a different physical "
                      "KMS key without replacing the DB instance.",
             "seen": "docs",
             "checked": "2026-12-01", "check": "confirmed"},
            {"models": "`modifying` while a change is applied",
             "page": "Viewing Amazon RDS DB instance status - Amazon Relational Database Service",
             "url": "https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/accessing-monitoring.html",
             "quote": "The DB instance is being modified because of a customer request to modify the DB instance.",
             "seen": "archive",
             "checked": "2026-12-01", "check": "confirmed"},
            {"models": "a managed secret's key cannot change",
             "page": "ModifyDBInstance - Amazon Relational Database Service API Reference",
             "url": "https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_ModifyDBInstance.html",
             "quote": "If the DB instance already manages the master user password in Amazon Web Services Secrets "
                      "Manager, you can't change the KMS key used to encrypt the secret.",
             "seen": "api-model",
             "checked": "2026-12-01", "check": "confirmed"},
            {"models": "ManageMasterUserPassword on a restore is for Oracle only",
             "page": "RestoreDBInstanceFromDBSnapshot - Amazon Relational Database Service API Reference",
             "url": "https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_RestoreDBInstanceFromDBSnapshot.html",
             "quote": "Applies to RDS for Oracle only.",
             "seen": "api-model",
             "checked": "2026-12-01", "check": "confirmed"},
        ],
        "unconfirmed": [
            {"behaviour": "a restored instance starts without the source's managed secret and Performance Insights "
                          "(restore_settings 0), or with both under the source's keys (1)",
             "status": "unconfirmed",
             "probe": "restore-carries-secret", "switch": "restore_settings",
             "answers": {"not-carried": 0, "carried": 1},
             "searched": "RestoreDBInstanceFromDBSnapshot takes no Performance Insights setting and takes "
                         "ManageMasterUserPassword for Oracle only; no page says what a restored instance of another "
                         "engine has; cmek is tested under both answers"},
            {"behaviour": "a restore of another engine with ManageMasterUserPassword is refused "
                          "(InvalidParameterCombination) rather than ignored",
             "status": "unconfirmed",
             "probe": "restore-other-engine-managed-password", "answers": {"InvalidParameterCombination": None},
             "searched": "the constraint is stated, the error is not; cmek never sends it for another engine"},
            {"behaviour": "changing the Performance Insights key answers InvalidParameterCombination",
             "status": "unconfirmed",
             "probe": "pi-key-change", "answers": {"InvalidParameterCombination": None},
             "searched": "the RDS API reference does not say; CloudFormation's page says the key cannot change"},
            {"behaviour": "CreateDBInstance or ModifyDBInstance whose PerformanceInsightsKMSKeyId names a key (ARN or "
                          "alias ARN) of another account than the caller's is accepted when the key policy allows "
                          "(pi_cross_account_key 1, the default, per account) or refused with "
                          "KMSKeyNotAccessibleFault naming Performance Insights, creating or changing nothing (0)",
             "status": "unconfirmed",
             "probe": "pi-cross-account-key", "switch": "pi_cross_account_key",
             "answers": {"accepted": 1, "refused": 0},
             "searched": "CreateDBInstance, ModifyDBInstance and CreateDBCluster: PerformanceInsightsKMSKeyId's text "
                         "has no 'different account' sentence, unlike KmsKeyId's and MasterUserSecretKmsKeyId's; "
                         "USER_PerfInsights.access-control.cmk-policy.html speaks of 'users in your account'; cmek is "
                         "tested under both answers",
             "aws_says": [
                 {"page": "CreateDBInstance - Amazon Relational Database Service API Reference (KmsKeyId)",
                  "url": "https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_CreateDBInstance.html",
                  "quote": "To use a KMS key in a different Amazon Web Services account, specify the key ARN or alias "
                           "ARN.",
                  "seen": "api-model",
                  "checked": "2026-12-01", "check": "confirmed"},
                 {"page": "CreateDBInstance - Amazon Relational Database Service API Reference "
                          "(PerformanceInsightsKMSKeyId)",
                  "url": "https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_CreateDBInstance.html",
                  "quote": "The Amazon Web Services KMS key identifier for encryption of Performance Insights data.",
                  "seen": "api-model",
                  "checked": "2026-12-01", "check": "confirmed"}]},
        ],
    },
    "R18": {
        "summary": "CloudWatch's GetMetricData (Smithy RPC v2 CBOR, which moto does not speak) over the metrics the "
                   "layer publishes; Firehose refuses a record put to a stream whose customer key is disabled, pending "
                   "deletion or gone (InvalidKMSResourceException) and counts it in AWS/Firehose KMSKeyDisabled, "
                   "KMSKeyInvalidState or KMSKeyNotFound per DeliveryStreamName (and KMSKeyAccessDenied for a caller "
                   "refused under R19). For a stream under the grant rule a key policy change alone refuses "
                   "nothing: Firehose uses its grant; under the caller rule (R19) the key policy is checked on "
                   "every put.",
        "cites": [
            {"models": "a put record fails when KMS refuses",
             "page": "InvalidKMSResourceException - Amazon Data Firehose API Reference",
             "url": "https://docs.aws.amazon.com/firehose/latest/APIReference/API_PutRecord.html",
             "quote": "Firehose throws this exception when an attempt to put records or to start or stop Firehose "
                      "stream encryption fails.",
             "seen": "docs", "seen_at": "https://docs.aws.amazon.com/sdk-for-kotlin/api/latest/firehose/aws.sdk.kotlin.services.firehose.model/-invalid-kms-resource-exception",
             "checked": "2026-12-01", "check": "confirmed"},
            {"models": "the SSE metrics live in AWS/Firehose",
             "page": "Monitoring with CloudWatch metrics (SSE metrics) - Amazon Data Firehose",
             "url": "https://docs.aws.amazon.com/firehose/latest/dev/monitoring-with-cloudwatch-metrics.html",
             "quote": "The AWS/Firehose namespace includes the following metrics that are related to SSE.",
             "seen": "archive",
             "checked": "2026-12-01", "check": "confirmed"},
            {"models": "KMSKeyDisabled counts KMSDisabledException",
             "page": "Monitoring with CloudWatch metrics (SSE metrics) - Amazon Data Firehose",
             "url": "https://docs.aws.amazon.com/firehose/latest/dev/monitoring-with-cloudwatch-metrics.html",
             "quote": "The number of times the service encounters a KMSDisabledException for the Firehose stream.",
             "seen": "mirror",
             "checked": "2026-12-01", "check": "confirmed",
             "note": "2026-12-01: the current page (markdown mirror) says 'Firehose stream' where the June 2023 copy "
                     "said 'delivery stream'"},
            {"models": "KMSKeyInvalidState counts KMSInvalidStateException (a key pending deletion)",
             "page": "Monitoring with CloudWatch metrics (SSE metrics) - Amazon Data Firehose",
             "url": "https://docs.aws.amazon.com/firehose/latest/dev/monitoring-with-cloudwatch-metrics.html",
             "quote": "The number of times the service encounters a KMSInvalidStateException for the Firehose stream.",
             "seen": "mirror",
             "checked": "2026-12-01", "check": "confirmed",
             "note": "2026-12-01: the current page (markdown mirror) says 'Firehose stream' where the June 2023 copy "
                     "said 'delivery stream'"},
            {"models": "per stream: the DeliveryStreamName dimension",
             "page": "Monitoring with CloudWatch metrics - Amazon Data Firehose",
             "url": "https://docs.aws.amazon.com/firehose/latest/dev/monitoring-with-cloudwatch-metrics.html",
             "quote": "To filter metrics by Firehose stream, use the DeliveryStreamName dimension.",
             "seen": "mirror",
             "checked": "2026-12-01", "check": "confirmed",
             "note": "2026-12-01: the current page (markdown mirror), section 'Dimensions for Amazon Data Firehose'"},
            {"models": "at most 500 queries a call",
             "page": "MetricDataQuery - Amazon CloudWatch API Reference",
             "url": "https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_MetricDataQuery.html",
             "quote": "A single GetMetricData call can include up to 500 MetricDataQuery structures.",
             "seen": "docs",
             "checked": "2026-12-01", "check": "confirmed"},
            {"models": "query ids",
             "page": "MetricDataQuery - Amazon CloudWatch API Reference",
             "url": "https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_MetricDataQuery.html",
             "quote": "The first character must be a lowercase letter.",
             "seen": "docs",
             "checked": "2026-12-01", "check": "confirmed"},
            {"models": "Complete, and timestamps paired with values",
             "page": "MetricDataResult - Amazon CloudWatch API Reference",
             "url": "https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_MetricDataResult.html",
             "quote": "The number of timestamps always matches the number of values and the value for Timestamps[x] "
                      "is Values[x].",
             "seen": "docs",
             "checked": "2026-12-01", "check": "confirmed"},
        ],
        "unconfirmed": [
            {"behaviour": "a query with no data answers empty Timestamps and Values with StatusCode Complete",
             "status": "unconfirmed",
             "probe": "cloudwatch-empty-query", "answers": {"empty-complete": None},
             "searched": "MetricDataResult documents Complete as 'all data points in the requested time range were "
                         "returned'; no page describes the empty case; cmek treats no data and no result alike"},
            {"behaviour": "periods are aligned to multiples of Period since the epoch",
             "status": "unconfirmed",
             "probe": "cloudwatch-period-alignment", "answers": {"epoch-aligned": None},
             "searched": "GetMetricData does not state the alignment; cmek sums every period in the window, so "
                         "alignment does not change its answer"},
            {"behaviour": "Firehose counts one KMS exception per refused PutRecord or PutRecordBatch call",
             "status": "unconfirmed",
             "probe": "firehose-kms-metric-per-call", "answers": {"one-per-call": None},
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
             "seen": "api-model",
             "checked": "2026-12-01", "check": "confirmed"},
            {"models": "a user's groups' policies count",
             "page": "SimulatePrincipalPolicy - AWS Identity and Access Management API Reference",
             "url": "https://docs.aws.amazon.com/IAM/latest/APIReference/API_SimulatePrincipalPolicy.html",
             "quote": "If you specify a user, the simulation also includes all policies that are attached to any "
                      "groups the user belongs to.",
             "seen": "api-model",
             "checked": "2026-12-01", "check": "confirmed"},
            {"models": "ResourceArns defaults to *",
             "page": "SimulatePrincipalPolicy - AWS Identity and Access Management API Reference",
             "url": "https://docs.aws.amazon.com/IAM/latest/APIReference/API_SimulatePrincipalPolicy.html",
             "quote": "If this parameter is not provided, then the value defaults to * (all resources).",
             "seen": "api-model",
             "checked": "2026-12-01", "check": "confirmed"},
            {"models": "one EvaluationResult per action, the most restrictive decision on top",
             "page": "EvaluationResult - AWS Identity and Access Management API Reference",
             "url": "https://docs.aws.amazon.com/IAM/latest/APIReference/API_EvaluationResult.html",
             "quote": "The simulator now returns a single EvaluationResult per action, regardless of how many resource "
                      "ARNs are provided.",
             "seen": "api-model",
             "checked": "2026-12-01", "check": "confirmed"},
            {"models": "one EvaluationResult per action, the most restrictive decision on top",
             "page": "EvaluationResult - AWS Identity and Access Management API Reference",
             "url": "https://docs.aws.amazon.com/IAM/latest/APIReference/API_EvaluationResult.html",
             "quote": "The top-level EvalDecision reflects the most restrictive decision across all resources (for "
                      "example, if any resource produces explicitDeny, the top-level decision is explicitDeny).",
             "seen": "api-model",
             "checked": "2026-12-01", "check": "confirmed"},
            {"models": "a Deny is the only matched statement",
             "page": "EvaluationResult - AWS Identity and Access Management API Reference",
             "url": "https://docs.aws.amazon.com/IAM/latest/APIReference/API_EvaluationResult.html",
             "quote": "Remember that even if multiple statements allow the operation on the resource, if only one "
                      "statement denies that operation, then the explicit deny overrides any allow.",
             "seen": "api-model",
             "checked": "2026-12-01", "check": "confirmed"},
            {"models": "MissingContextValues",
             "page": "EvaluationResult - AWS Identity and Access Management API Reference",
             "url": "https://docs.aws.amazon.com/IAM/latest/APIReference/API_EvaluationResult.html",
             "quote": "A list of context keys that are required by the included input policies but that were not "
                      "provided by one of the input parameters.",
             "seen": "api-model",
             "checked": "2026-12-01", "check": "confirmed"},
            {"models": "a condition whose key is missing does not match",
             "page": "IAM JSON policy elements: Condition operators - AWS Identity and Access Management",
             "url": "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html",
             "quote": "If the key that you specify in a policy condition is not present in the request context, the "
                      "values do not match and the condition is false.",
             "seen": "docs",
             "checked": "2026-12-01", "check": "confirmed"},
            {"models": "NoSuchEntity for a principal that does not exist",
             "page": "SimulatePrincipalPolicy - AWS Identity and Access Management API Reference (Errors)",
             "url": "https://docs.aws.amazon.com/IAM/latest/APIReference/API_SimulatePrincipalPolicy.html",
             "quote": "The request was rejected because it referenced a resource entity that does not exist.",
             "seen": "api-model",
             "checked": "2026-12-01", "check": "confirmed"},
        ],
        "unconfirmed": [
            {"behaviour": "an STS assumed-role (or any non user/group/role) ARN as PolicySourceArn answers 400 "
                          "InvalidInput",
             "status": "unconfirmed",
             "probe": "simulate-assumed-role-source", "answers": {"InvalidInput": None},
             "searched": "SimulatePrincipalPolicy API reference: PolicySourceArn names user, group or role; only "
                         "CallerArn says 'You cannot specify the ARN of an assumed role, federated user, or a "
                         "service principal.'"},
            {"behaviour": "the top-level EvalResourceName is * (AWS: the ARN template of the action's resource "
                          "type, not modelled); ResourceSpecificResults only when ResourceArns are given; a "
                          "simulated resource of * matches resource-scoped statements",
             "status": "unconfirmed",
             "probe": "simulate-eval-resource-name", "answers": {"star": None},
             "searched": "EvaluationResult and ResourceSpecificResult API reference; the ARN templates are in the "
                         "Service Authorization Reference"},
            {"behaviour": "MissingContextValues lists the condition keys of the statements matching the action and "
                          "resource that ContextEntries did not give; SourcePolicyId is the inline policy's name or "
                          "the managed policy's ARN; no Start/EndPosition; Numeric and Date operators answer "
                          "PolicyEvaluation",
             "status": "unconfirmed",
             "probe": "simulate-missing-context", "answers": {"layer-fields": None},
             "searched": "EvaluationResult, Statement and GetContextKeysForPrincipalPolicy API reference"},
            {"behaviour": "the caller needs iam:SimulatePrincipalPolicy: not modelled (the layer models no caller "
                          "identity policies; an iam-deny fault refuses the call); ResourcePolicy, permissions "
                          "boundaries, CallerArn, PolicyExclusionList, SCPs and pagination are ignored",
             "status": "harness",
             "searched": "a test convention shared with R8: our own IAM is simulated by faults"},
        ],
    },
    "R19": {
        "summary": "Firehose's caller rule: PutRecord and PutRecordBatch to a stream whose own encryption is "
                   "CUSTOMER_MANAGED_CMK and ENABLED need the caller (an assumed role, or the account root) to be "
                   "allowed kms:GenerateDataKey and kms:Decrypt on the key ARN by its identity-based policies (a "
                   "role's inline and attached managed policies; the stream account's root: allowed) and by the key "
                   "policy (R3), both evaluated with kms:ViaService firehose.<region>.amazonaws.com. A stream is "
                   "under the rule when it was created on or after 2026-04-20T00:00:00Z, or, once the layer's clock "
                   "reaches 2027-02-28T00:00:00Z, whatever its age; a stream not under it keeps the grant rule (R18: "
                   "only the key's state). A refusal is InvalidKMSResourceException naming KMS's "
                   "AccessDeniedException (no identity-based / no resource-based policy allows ...), counted in "
                   "AWS/Firehose KMSKeyAccessDenied. firehose_caller_kms_permission 0 (per account) turns the check "
                   "off. POST /_localaws/firehose/created sets a stream's creation time (DescribeDeliveryStream's "
                   "CreateTimestamp).",
        "cites": [
            {"models": "streams created from 2026-04-20 need the caller's kms:GenerateDataKey and kms:Decrypt",
             "page": "[Action May Be Required] Enhanced security controls for Amazon Data Firehose - AWS notice "
                     "(quoted in ministryofjustice/modernisation-platform issue #12957)",
             "url": "https://github.com/ministryofjustice/modernisation-platform/issues/12957",
             "quote": "Starting April 20, 2026, all new delivery streams with server-side encryption using "
                      "customer-managed KMS keys (SSE-CMK) will require PutRecord and PutRecordBatch API callers to "
                      "have kms:GenerateDataKey and kms:Decrypt permissions.",
             "seen": "notice",
             "checked": "2026-12-01", "check": "confirmed",
             "note": "AWS's notice email of 2026-04-20 as quoted verbatim in the issue (line breaks lost); no AWS "
                     "documentation page carries the dates"},
            {"models": "older streams: from 2027-02-28",
             "page": "[Action May Be Required] Enhanced security controls for Amazon Data Firehose - AWS notice "
                     "(quoted in ministryofjustice/modernisation-platform issue #12960)",
             "url": "https://github.com/ministryofjustice/modernisation-platform/issues/12960",
             "quote": "For existing delivery streams created before April 20, 2026, you have until February 28, 2027 "
                      "to update your IAM policies to grant kms:GenerateDataKey and kms:Decrypt permissions to any "
                      "principals calling Amazon Data Firehose PutRecord or PutRecordBatch APIs on your SSE-CMK "
                      "enabled delivery streams.",
             "seen": "notice",
             "checked": "2026-12-01", "check": "confirmed",
             "note": "the notice's AWS Health Description field, quoted in the issue with its paragraph breaks"},
            {"models": "the refused caller gets KMS's AccessDenied",
             "page": "[Action May Be Required] Enhanced security controls for Amazon Data Firehose - AWS notice "
                     "(quoted in ministryofjustice/modernisation-platform issue #12960)",
             "url": "https://github.com/ministryofjustice/modernisation-platform/issues/12960",
             "quote": "If you do not take action by this date, your PutRecord or PutRecordBatch API callers will "
                      "start receiving AccessDenied exceptions from KMS.",
             "seen": "notice",
             "checked": "2026-12-01", "check": "confirmed"},
            {"models": "both the caller's identity-based policies and the key policy must allow the two actions",
             "page": "Data protection in Amazon Data Firehose - Amazon Data Firehose",
             "url": "https://docs.aws.amazon.com/firehose/latest/dev/encryption.html",
             "quote": "To successfully use CUSTOMER_MANAGED_CMK, both the caller's IAM policy and the KMS key policy "
                      "must allow kms:GenerateDataKey and kms:Decrypt operations.",
             "seen": "mirror",
             "checked": "2026-12-01", "check": "confirmed",
             "note": "read 2026-12-01 in a markdown copy of the current page (found by the citation check); the "
                     "page gives no dates"},
            {"models": "checked on PutRecord and PutRecordBatch",
             "page": "Data protection in Amazon Data Firehose - Amazon Data Firehose",
             "url": "https://docs.aws.amazon.com/firehose/latest/dev/encryption.html",
             "quote": "Firehose validates these permissions when you call PutRecord or PutRecordBatch with "
                      "CUSTOMER_MANAGED_CMK encryption.",
             "seen": "mirror",
             "checked": "2026-12-01", "check": "confirmed"},
            {"models": "a KMS AccessDeniedException reaches the PutRecord caller as InvalidKMSResourceException",
             "page": "PutRecord - Amazon Data Firehose API Reference (InvalidKMSResourceException)",
             "url": "https://docs.aws.amazon.com/firehose/latest/APIReference/API_PutRecord.html",
             "quote": "This happens when the KMS service throws one of the following exception types: "
                      "AccessDeniedException, InvalidStateException, DisabledException, or NotFoundException.",
             "seen": "api-model",
             "checked": "2026-12-01", "check": "confirmed",
             "note": "botocore@0e6e240 (the August 2026 service model): PutRecord and PutRecordBatch list the "
                     "error; their own text does not mention KMS permissions"},
            {"models": "the key policy must allow too (R3)",
             "page": "Key policies in AWS KMS - AWS Key Management Service",
             "url": "https://docs.aws.amazon.com/kms/latest/developerguide/key-policies.html",
             "quote": "Unless the key policy explicitly allows it, you cannot use IAM policies to allow access to a "
                      "KMS key.",
             "seen": "archive",
             "checked": "2026-12-01", "check": "confirmed"},
            {"models": "the refusal is counted in AWS/Firehose KMSKeyAccessDenied",
             "page": "Monitoring with CloudWatch metrics (SSE metrics) - Amazon Data Firehose",
             "url": "https://docs.aws.amazon.com/firehose/latest/dev/monitoring-with-cloudwatch-metrics.html",
             "quote": "The number of times the service encounters a KMSAccessDeniedException for the delivery stream.",
             "seen": "archive",
             "checked": "2026-12-01", "check": "unchecked",
             "note": "read 2026-12-01 in the awsdocs copy only (98e34e0); the current page words its siblings "
                     "'... for the Firehose stream' (R18)"},
            {"models": "the creation time the rule reads",
             "page": "DeliveryStreamDescription - Amazon Data Firehose API Reference",
             "url": "https://docs.aws.amazon.com/firehose/latest/APIReference/API_DeliveryStreamDescription.html",
             "quote": "The date and time that the Firehose stream was created.",
             "seen": "api-model",
             "checked": "2026-12-01", "check": "confirmed"},
        ],
        "unconfirmed": [
            {"behaviour": "under the caller rule, PutRecord/PutRecordBatch require the caller's own kms:GenerateDataKey "
                          "and kms:Decrypt (identity-based policies and key policy) evaluated with kms:ViaService "
                          "firehose.<region>.amazonaws.com (firehose_caller_kms_permission 1, the default, per "
                          "account); 0: no caller check, as before the rule",
             "status": "unconfirmed",
             "probe": "firehose-caller-kms-permission", "switch": "firehose_caller_kms_permission",
             "answers": {"required": 1, "not-required": 0},
             "searched": "the requirement itself is AWS's (the notice, quoted in public issues, and the current "
                         "encryption.html); unconfirmed: whether the caller's KMS calls carry kms:ViaService "
                         "firehose.<region>.amazonaws.com (neither says; third-party policies use it, with "
                         "kms:EncryptionContext:aws:firehose:arn, which the layer does not set), whether the "
                         "enforcement is on for a given account yet (the notice offers early enforcement through "
                         "AWS Support), and what the caller's call is when no identity policy is involved; cmek is "
                         "tested under both answers"},
            {"behaviour": "a caller refused under the caller rule gets InvalidKMSResourceException whose message "
                          "names KMS's AccessDeniedException, and Firehose counts one KMSKeyAccessDenied per refused "
                          "call; a key disabled, pending deletion or gone is reported before the caller's permission",
             "status": "unconfirmed",
             "probe": "firehose-caller-refusal-error", "answers": {"InvalidKMSResourceException": None},
             "searched": "the notice says 'AccessDenied exceptions from KMS'; the PutRecord model says Firehose "
                         "throws InvalidKMSResourceException when KMS throws AccessDeniedException; a field report "
                         "(ministryofjustice/modernisation-platform-environments PR #19063) saw "
                         "InvalidKMSResourceException; no AWS text gives the message, the metric for this case or "
                         "the order of the checks"},
            {"behaviour": "the rule's dates are read as 00:00 UTC, 'new' meaning a CreateTimestamp on or after "
                          "2026-04-20T00:00:00Z; the switch-over for older streams happens at 2027-02-28T00:00:00Z",
             "status": "unconfirmed",
             "probe": "firehose-caller-rule-dates", "answers": {"utc-midnight": None},
             "searched": "the notice gives the days only, no time or zone; the current encryption.html gives no dates"},
            {"behaviour": "POST /_localaws/firehose/created {\"account\", \"region\", \"name\", \"created\": Unix "
                          "seconds} sets a stream's creation time (what DescribeDeliveryStream answers as "
                          "CreateTimestamp); firehose.layer_clock() is the clock the 2027 date is read against (a "
                          "test may replace it)",
             "status": "harness",
             "searched": "a test instrument: a stream created before 2026-04-20 cannot be made otherwise"},
        ],
    },
    "R20": {
        "summary": "RDS automated backups, and what stays of an instance once it is deleted (moto: an automated "
                   "backup is only an identifier and a status made from automated snapshots, there is no "
                   "DeleteDBInstanceAutomatedBackup, a restore asked for BackupRetentionPeriod 0 keeps its source's, "
                   "and DescribeDBSnapshots ignores DbiResourceId). An instance created or restored with "
                   "BackupRetentionPeriod > 0 (CreateDBInstance's default is 1; a restore inherits its source's "
                   "unless it names one) has an automated backup: DescribeDBInstanceAutomatedBackups (DbiResourceId, "
                   "DBInstanceIdentifier, DBInstanceAutomatedBackupsArn, Filters status, db-instance-id and "
                   "dbi-resource-id, MaxRecords (default 100) and Marker) answers DBInstanceArn, DbiResourceId, "
                   "Region, DBInstanceIdentifier, RestoreWindow (EarliestTime, LatestTime), AllocatedStorage, Status "
                   "(creating while the instance is, then active; retained after DeleteDBInstance with "
                   "DeleteAutomatedBackups false; deleting), Port, AvailabilityZone, InstanceCreateTime, "
                   "MasterUsername, Engine, EngineVersion, LicenseModel, Encrypted, StorageType, KmsKeyId (the "
                   "instance's storage key), IAMDatabaseAuthenticationEnabled, BackupRetentionPeriod, "
                   "PreferredBackupWindow, DBInstanceAutomatedBackupsArn and BackupTarget. DeleteDBInstance removes "
                   "it with its system snapshots unless DeleteAutomatedBackups is false (the default removes); "
                   "ModifyDBInstance to 0 removes it, from 0 makes one and a system snapshot. "
                   "DeleteDBInstanceAutomatedBackup (DbiResourceId or the ARN) deletes a retained one and its system "
                   "snapshots; an active one is InvalidDBInstanceAutomatedBackupState, an unknown one "
                   "DBInstanceAutomatedBackupNotFound. Manual and final snapshots stay (moto), listed by the deleted "
                   "instance's DBInstanceIdentifier; a retained backup's system snapshots are listed only when "
                   "DescribeDBSnapshots names their DbiResourceId or identifier (rds_retained_snapshots_listed). "
                   "DeleteDBSnapshot refuses a snapshot that is not available (InvalidDBSnapshotState); "
                   "ModifyDBSnapshotAttribute refuses restore = all on an encrypted snapshot. Sharing with account "
                   "ids, DescribeDBSnapshotAttributes and CopyDBSnapshot (which keeps the source's "
                   "DBInstanceIdentifier) are moto's.",
        "cites": [
            {"models": "an instance created without BackupRetentionPeriod has backups for one day, hence an "
                       "automated backup",
             "page": "Backup retention period - Amazon Relational Database Service",
             "url": "https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_WorkingWithAutomatedBackups.BackupRetention.html",
             "quote": "If you create a DB instance using the Amazon RDS API or the AWS CLI and if you don't set the "
                      "backup retention period, the default backup retention period is one day.",
             "seen": "docs",
             "checked": "2026-12-01", "check": "confirmed"},
            {"models": "BackupRetentionPeriod 0: no automated backup (and no system snapshot; moto takes one "
                       "whatever the period)",
             "page": "Backup retention period - Amazon Relational Database Service",
             "url": "https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_WorkingWithAutomatedBackups.BackupRetention.html",
             "quote": "Setting the backup retention period to 0 disables automated backups.",
             "seen": "docs",
             "checked": "2026-12-01", "check": "confirmed"},
            {"models": "a restore keeps its source's period unless it names one (0 too: moto drops a 0)",
             "page": "Backup retention period - Amazon Relational Database Service",
             "url": "https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_WorkingWithAutomatedBackups.BackupRetention.html",
             "quote": "When you don't explicitly set this value, the restored database inherits the backup retention "
                      "period from the source snapshot or instance.",
             "seen": "docs", "seen_at": "https://docs.amazonaws.cn/en_us/AmazonRDS/latest/UserGuide/USER_WorkingWithAutomatedBackups.BackupRetention.md",
             "checked": "2026-12-01", "check": "confirmed"},
            {"models": "DescribeDBInstanceAutomatedBackups answers for current and deleted instances",
             "page": "DescribeDBInstanceAutomatedBackups - Amazon Relational Database Service API Reference",
             "url": "https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_DescribeDBInstanceAutomatedBackups.html",
             "quote": "Displays backups for both current and deleted instances.",
             "seen": "docs", "seen_at": "https://docs.amazonaws.cn/AmazonRDS/latest/APIReference/API_DescribeDBInstanceAutomatedBackups.html",
             "checked": "2026-12-01", "check": "confirmed"},
            {"models": "Status: active while the instance exists, retained once it is deleted, creating before the "
                       "first system snapshot (the layer: while the instance is creating)",
             "page": "DBInstanceAutomatedBackup - Amazon Relational Database Service API Reference",
             "url": "https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_DBInstanceAutomatedBackup.html",
             "quote": "active - Automated backups for current instances. retained - Automated backups for deleted "
                      "instances. creating - Automated backups that are waiting for the first automated snapshot to "
                      "be available.",
             "seen": "api-model",
             "checked": "2026-12-01", "check": "confirmed",
             "note": "list items joined (the model gives one per <li>); botocore 1.44.8 service model"},
            {"models": "a retained backup keeps the instance's properties as they were when it was deleted",
             "page": "DBInstanceAutomatedBackup - Amazon Relational Database Service API Reference",
             "url": "https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_DBInstanceAutomatedBackup.html",
             "quote": "An automated backup of a DB instance. It consists of system backups, transaction logs, and the "
                      "database instance properties that existed at the time you deleted the source instance.",
             "seen": "docs", "seen_at": "https://docs.aws.amazon.com/ja_jp/AmazonRDS/latest/APIReference/API_DBInstanceAutomatedBackup.html",
             "checked": "2026-12-01", "check": "confirmed"},
            {"models": "DeleteDBInstance may retain the automated backup (DeleteAutomatedBackups false)",
             "page": "Retaining automated backups - Amazon Relational Database Service",
             "url": "https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_WorkingWithAutomatedBackups.Retaining.html",
             "quote": "When you delete a DB instance, you can choose to retain automated backups.",
             "seen": "docs",
             "checked": "2026-12-01", "check": "confirmed"},
            {"models": "a retained backup's BackupRetentionPeriod is the instance's when it was deleted",
             "page": "Retaining automated backups - Amazon Relational Database Service",
             "url": "https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_WorkingWithAutomatedBackups.Retaining.html",
             "quote": "Automated backups can be retained for a number of days equal to the backup retention period "
                      "configured for the DB instance at the time when you delete it.",
             "seen": "docs",
             "checked": "2026-12-01", "check": "confirmed"},
            {"models": "DeleteAutomatedBackups defaults to true: the backup (and its system snapshots) goes with the "
                       "instance",
             "page": "DeleteDBInstance - Amazon Relational Database Service API Reference",
             "url": "https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_DeleteDBInstance.html",
             "quote": "The default is to remove automated backups immediately after the DB instance is deleted.",
             "seen": "api-model",
             "checked": "2026-12-01", "check": "confirmed"},
            {"models": "manual snapshots (and the final snapshot) stay after DeleteDBInstance",
             "page": "DeleteDBInstance - Amazon Relational Database Service API Reference",
             "url": "https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_DeleteDBInstance.html",
             "quote": "However, manual DB snapshots of the DB instance aren't deleted.",
             "seen": "api-model",
             "checked": "2026-12-01", "check": "confirmed"},
            {"models": "manual snapshots (and the final snapshot) stay after DeleteDBInstance",
             "page": "Deleting a DB instance - Amazon Relational Database Service",
             "url": "https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_DeleteInstance.html",
             "quote": "RDS retains both the final snapshot and any manual snapshots that you took previously.",
             "seen": "docs",
             "checked": "2026-12-01", "check": "confirmed"},
            {"models": "KmsKeyId of the automated backup (the layer: the instance's storage key ARN)",
             "page": "DBInstanceAutomatedBackup - Amazon Relational Database Service API Reference",
             "url": "https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_DBInstanceAutomatedBackup.html",
             "quote": "The Amazon Web Services KMS key ID for an automated backup.",
             "seen": "api-model",
             "checked": "2026-12-01", "check": "confirmed"},
            {"models": "DeleteDBInstanceAutomatedBackup by DbiResourceId or by the backup's ARN",
             "page": "DeleteDBInstanceAutomatedBackup - Amazon Relational Database Service API Reference",
             "url": "https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_DeleteDBInstanceAutomatedBackup.html",
             "quote": "Deletes automated backups using the DbiResourceId value of the source DB instance or the Amazon "
                      "Resource Name (ARN) of the automated backups.",
             "seen": "api-model",
             "checked": "2026-12-01", "check": "confirmed"},
            {"models": "only a retained backup can be deleted: an active one is InvalidDBInstanceAutomatedBackupState",
             "page": "DeleteDBInstanceAutomatedBackup - Amazon Relational Database Service API Reference (Errors)",
             "url": "https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_DeleteDBInstanceAutomatedBackup.html",
             "quote": "The automated backup is in an invalid state. For example, this automated backup is associated "
                      "with an active instance.",
             "seen": "docs", "seen_at": "https://docs.aws.amazon.com/sdk-for-python/v4/reference/clients/rds/errors/InvalidDBInstanceAutomatedBackupStateFault/",
             "checked": "2026-12-01", "check": "confirmed"},
            {"models": "an unknown backup is DBInstanceAutomatedBackupNotFound (404)",
             "page": "DeleteDBInstanceAutomatedBackup - Amazon Relational Database Service API Reference (Errors)",
             "url": "https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_DeleteDBInstanceAutomatedBackup.html",
             "quote": "No automated backup for this DB instance was found.",
             "seen": "api-model",
             "checked": "2026-12-01", "check": "confirmed"},
            {"models": "a retained backup is deleted when no longer needed, with its system snapshots",
             "page": "Deleting retained automated backups - Amazon Relational Database Service",
             "url": "https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_WorkingWithAutomatedBackups-Deleting.html",
             "quote": "You can delete retained automated backups when they are no longer needed.",
             "seen": "docs",
             "checked": "2026-12-01", "check": "confirmed"},
            {"models": "ModifyDBInstance to BackupRetentionPeriod 0 removes the automated backup and its system "
                       "snapshots",
             "page": "Working with backups - Amazon Relational Database Service (Disabling automated backups)",
             "url": "https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_WorkingWithAutomatedBackups.html",
             "quote": "Disabling automatic backups for a DB instance deletes all existing automated backups for the "
                      "instance.",
             "seen": "archive",
             "checked": "2026-12-01", "check": "unchecked"},
            {"models": "ModifyDBInstance from 0 to a positive period makes an automated backup and a system snapshot",
             "page": "Working with backups - Amazon Relational Database Service (Enabling automated backups)",
             "url": "https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_WorkingWithAutomatedBackups.html",
             "quote": "When automated backups are enabled, your RDS instance and database is taken offline and a "
                      "backup is immediately created.",
             "seen": "archive",
             "checked": "2026-12-01", "check": "unchecked"},
            {"models": "a retained backup's system snapshots can still be described (how DescribeDBSnapshots lists "
                       "them is unconfirmed: rds-retained-automated-snapshots-listed)",
             "page": "Working with backups - Amazon Relational Database Service (Viewing retained backups)",
             "url": "https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_WorkingWithAutomatedBackups.html",
             "quote": "Alternatively, you can describe individual snapshots associated with a retained automated "
                      "backup.",
             "seen": "archive",
             "checked": "2026-12-01", "check": "unchecked"},
            {"models": "DescribeDBSnapshots' DbiResourceId names the snapshots of one instance (moto ignores it; the "
                       "layer passes it on as the dbi-resource-id filter)",
             "page": "DescribeDBSnapshots - Amazon Relational Database Service API Reference",
             "url": "https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_DescribeDBSnapshots.html",
             "quote": "A specific DB resource ID to describe.",
             "seen": "api-model",
             "checked": "2026-12-01", "check": "confirmed"},
            {"models": "a snapshot's DBInstanceIdentifier names the instance it was made from, after that instance is "
                       "gone too (a copy keeps its source's: moto; implied, not stated, for a copy)",
             "page": "DBSnapshot - Amazon Relational Database Service API Reference",
             "url": "https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_DBSnapshot.html",
             "quote": "Specifies the DB instance identifier of the DB instance this DB snapshot was created from.",
             "seen": "api-model",
             "checked": "2026-12-01", "check": "confirmed"},
            {"models": "DeleteDBSnapshot refuses a snapshot that is not available (moto deletes one still creating)",
             "page": "DeleteDBSnapshot - Amazon Relational Database Service API Reference",
             "url": "https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_DeleteDBSnapshot.html",
             "quote": "The DB snapshot must be in the available state to be deleted.",
             "seen": "api-model",
             "checked": "2026-12-01", "check": "confirmed"},
            {"models": "... with InvalidDBSnapshotState",
             "page": "DeleteDBSnapshot - Amazon Relational Database Service API Reference (Errors)",
             "url": "https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_DeleteDBSnapshot.html",
             "quote": "The state of the DB snapshot doesn't allow deletion.",
             "seen": "api-model",
             "checked": "2026-12-01", "check": "confirmed"},
            {"models": "sharing a manual snapshot: AttributeName restore, account ids or all (moto does this)",
             "page": "ModifyDBSnapshotAttribute - Amazon Relational Database Service API Reference",
             "url": "https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_ModifyDBSnapshotAttribute.html",
             "quote": "To share a manual DB snapshot with other Amazon Web Services accounts, specify restore as the "
                      "AttributeName and use the ValuesToAdd parameter to add a list of IDs of the Amazon Web "
                      "Services accounts that are authorized to restore the manual DB snapshot.",
             "seen": "api-model",
             "checked": "2026-12-01", "check": "confirmed"},
            {"models": "an encrypted snapshot is shared with account ids only: all is refused (the error code is "
                       "unconfirmed: rds-share-encrypted-snapshot-all)",
             "page": "ModifyDBSnapshotAttribute - Amazon Relational Database Service API Reference",
             "url": "https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_ModifyDBSnapshotAttribute.html",
             "quote": "If the manual DB snapshot is encrypted, it can be shared, but only by specifying a list of "
                      "authorized Amazon Web Services account IDs for the ValuesToAdd parameter. You can't use all as "
                      "a value for that parameter in this case.",
             "seen": "api-model",
             "checked": "2026-12-01", "check": "confirmed"},
            {"models": "DescribeDBSnapshotAttributes answers restore and its account ids (moto does this)",
             "page": "DescribeDBSnapshotAttributes - Amazon Relational Database Service API Reference",
             "url": "https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_DescribeDBSnapshotAttributes.html",
             "quote": "When sharing snapshots with other Amazon Web Services accounts, DescribeDBSnapshotAttributes "
                      "returns the restore attribute and a list of IDs for the Amazon Web Services accounts that are "
                      "authorized to copy or restore the manual DB snapshot.",
             "seen": "api-model",
             "checked": "2026-12-01", "check": "confirmed"},
        ],
        "unconfirmed": [
            {"behaviour": "DescribeDBInstanceAutomatedBackups naming a DbiResourceId, DBInstanceIdentifier or "
                          "DBInstanceAutomatedBackupsArn that has no automated backup (an instance with backups "
                          "disabled too) answers 404 DBInstanceAutomatedBackupNotFound; Filters alone that match "
                          "nothing answer an empty list",
             "status": "unconfirmed",
             "probe": "rds-automated-backup-not-found", "answers": {"DBInstanceAutomatedBackupNotFound": None},
             "searched": "API_DescribeDBInstanceAutomatedBackups.html lists DBInstanceAutomatedBackupNotFound among "
                         "its errors without saying when"},
            {"behaviour": "DescribeDBInstanceAutomatedBackups with the DBInstanceIdentifier of a deleted instance "
                          "answers its retained automated backup",
             "status": "not-documented",
             "probe": "rds-retained-backup-by-instance-id", "answers": {"returned": None},
             "searched": "API_DescribeDBInstanceAutomatedBackups.html (DBInstanceIdentifier); the user guide's "
                         "Viewing retained backups names only --dbi-resource-id; cmek looks retained backups up by "
                         "DbiResourceId",
             "aws_says": [
                 {"page": "DescribeDBInstanceAutomatedBackups - Amazon Relational Database Service API Reference",
                  "url": "https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_DescribeDBInstanceAutomatedBackups.html",
                  "quote": "(Optional) The user-supplied instance identifier. If this parameter is specified, it must "
                           "match the identifier of an existing DB instance.",
                  "seen": "api-model",
                  "checked": "2026-12-01", "check": "confirmed"}]},
            {"behaviour": "DescribeDBSnapshots with the DBInstanceIdentifier of a deleted instance lists its manual "
                          "and final snapshots (moto does)",
             "status": "not-documented",
             "probe": "rds-snapshots-of-deleted-instance", "answers": {"listed": None},
             "searched": "API_DescribeDBSnapshots.html (DBInstanceIdentifier constraints); USER_DeleteInstance.html "
                         "says the snapshots are retained, not how they are listed",
             "aws_says": [
                 {"page": "DescribeDBSnapshots - Amazon Relational Database Service API Reference",
                  "url": "https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_DescribeDBSnapshots.html",
                  "quote": "If supplied, must match the identifier of an existing DBInstance.",
                  "seen": "api-model",
                  "checked": "2026-12-01", "check": "confirmed"}]},
            {"behaviour": "the system (automated) snapshots of a retained automated backup are listed by "
                          "DescribeDBSnapshots only when it names their DbiResourceId (parameter or dbi-resource-id "
                          "filter) or a snapshot identifier (rds_retained_snapshots_listed 0, the default), or like any "
                          "automated snapshot, by the deleted instance's DBInstanceIdentifier and unfiltered too (1)",
             "status": "unconfirmed",
             "probe": "rds-retained-automated-snapshots-listed", "switch": "rds_retained_snapshots_listed",
             "answers": {"by-resource-id-only": 0, "listed": 1},
             "searched": "USER_WorkingWithAutomatedBackups.html (Viewing retained backups: 'you can describe "
                         "individual snapshots associated with a retained automated backup', not how); "
                         "API_DescribeDBSnapshots.html (SnapshotType automated: 'all DB snapshots that have been "
                         "automatically taken by Amazon RDS for my Amazon Web Services account'; DbiResourceId: 'A "
                         "specific DB resource ID to describe'); cmek is tested under both answers"},
            {"behaviour": "DeleteDBInstanceAutomatedBackup answers the backup with Status deleting; "
                          "DescribeDBInstanceAutomatedBackups lists it as deleting for rds_backup_delete seconds, then "
                          "not at all; its system snapshots are gone at once; deleting it again while it is deleting is "
                          "InvalidDBInstanceAutomatedBackupState; naming neither DbiResourceId nor the ARN is "
                          "InvalidParameterCombination",
             "status": "unconfirmed",
             "probe": "rds-delete-retained-backup", "answers": {"deleting-then-gone": None},
             "searched": "API_DeleteDBInstanceAutomatedBackup.html, USER_WorkingWithAutomatedBackups-Deleting.html: "
                         "the response is a DBInstanceAutomatedBackup, its Status there and how long the backup stays "
                         "listed are not stated (the Status list names active, retained and creating only)"},
            {"behaviour": "ModifyDBSnapshotAttribute adding all to restore on an encrypted snapshot answers 400 "
                          "InvalidParameterValue and changes nothing",
             "status": "unconfirmed",
             "probe": "rds-share-encrypted-snapshot-all", "answers": {"InvalidParameterValue": None},
             "searched": "API_ModifyDBSnapshotAttribute.html says all can't be used for an encrypted snapshot; its "
                         "errors (DBSnapshotNotFound, InvalidDBSnapshotState, SharedSnapshotQuotaExceeded) say nothing "
                         "of this case"},
            {"behaviour": "the automated backup's ARN is arn:aws:rds:<region>:<account>:auto-backup:ab-<26 upper-case "
                          "letters and digits>, new for each backup",
             "status": "harness",
             "searched": "AWS shows only an example (arn:aws:rds:us-east-1:123456789012:auto-backup:"
                         "ab-L2IJCEXJP7XQ7HOJ4SIEXAMPLE): cmek must read it from DescribeDBInstanceAutomatedBackups"},
            {"behaviour": "RestoreWindow: EarliestTime when the backup was made (the instance's creation, or when "
                          "backups were turned on), LatestTime now (active) or the deletion (retained), none while "
                          "creating; creating lasts as long as the instance's own creating; the system snapshot is "
                          "creating as long as the instance; MaxRecords has no minimum (AWS documents none for this "
                          "operation); the Marker is the layer's own; backups are listed oldest first; a retained "
                          "backup never expires (AWS removes it when its last system snapshot does, days later)",
             "status": "harness",
             "searched": "DBInstanceAutomatedBackup and RestoreWindow API reference (no values), "
                         "USER_WorkingWithAutomatedBackups.Retaining.html (Retention period)"},
        ],
    },
    "R21": {
        "summary": "Multipart uploads in progress (moto lists every upload at once, unsorted, with a fixed Initiated "
                   "date, ignoring max-uploads and both markers, and completes an upload under the bucket's default "
                   "encryption of the moment it completes). ListMultipartUploads is answered by the layer, per bucket: "
                   "sorted by key and, within a key, by initiation (upload IDs sort the same way), max-uploads "
                   "(default and at most 1,000), key-marker and upload-id-marker, IsTruncated, NextKeyMarker and "
                   "NextUploadIdMarker, prefix, delimiter (CommonPrefixes), encoding-type url; each Upload has Key, "
                   "UploadId, Initiator (the caller's ARN, or the owner's canonical ID for the account root), Owner, "
                   "StorageClass, Initiated (and ChecksumAlgorithm, ChecksumType), nothing about encryption, and no "
                   "DisplayName. An upload started without encryption headers takes the bucket's default encryption "
                   "of that moment (CreateMultipartUpload reports it) and keeps it: the completed object has the "
                   "upload's encryption, key and Bucket Key even after the default changed. AbortMultipartUpload "
                   "removes an upload (moto: NoSuchUpload for an unknown one).",
        "cites": [
            {"models": "in-progress uploads are listed until completed or aborted",
             "page": "ListMultipartUploads - Amazon Simple Storage Service API Reference",
             "url": "https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListMultipartUploads.html",
             "quote": "An in-progress multipart upload is a multipart upload that has been initiated by the "
                      "CreateMultipartUpload request, but has not yet been completed or aborted.",
             "seen": "api-model",
             "checked": "2026-12-01", "check": "confirmed"},
            {"models": "at most 1,000 per response, 1,000 by default, max-uploads fewer",
             "page": "ListMultipartUploads - Amazon Simple Storage Service API Reference",
             "url": "https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListMultipartUploads.html",
             "quote": "The limit of 1,000 multipart uploads is also the default value. You can further limit the "
                      "number of uploads in a response by specifying the max-uploads request parameter.",
             "seen": "api-model",
             "checked": "2026-12-01", "check": "confirmed"},
            {"models": "paging: IsTruncated, NextKeyMarker and NextUploadIdMarker, then key-marker and "
                       "upload-id-marker",
             "page": "ListMultipartUploads - Amazon Simple Storage Service API Reference",
             "url": "https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListMultipartUploads.html",
             "quote": "Set the value of key-marker to the NextKeyMarker value from the previous response. Similarly, "
                      "set the value of upload-id-marker to the NextUploadIdMarker value from the previous response.",
             "seen": "api-model",
             "checked": "2026-12-01", "check": "confirmed"},
            {"models": "key-marker alone: keys after it; with upload-id-marker, later uploads of that key too",
             "page": "ListMultipartUploads - Amazon Simple Storage Service API Reference",
             "url": "https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListMultipartUploads.html",
             "quote": "If upload-id-marker is not specified, only the keys lexicographically greater than the "
                      "specified key-marker will be included in the list.",
             "seen": "api-model",
             "checked": "2026-12-01", "check": "confirmed"},
            {"models": "key-marker alone: keys after it; with upload-id-marker, later uploads of that key too",
             "page": "ListMultipartUploads - Amazon Simple Storage Service API Reference",
             "url": "https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListMultipartUploads.html",
             "quote": "Otherwise, any multipart uploads for a key equal to the key-marker might be included in the "
                      "list only if they have an upload ID lexicographically greater than the specified "
                      "upload-id-marker.",
             "seen": "api-model",
             "checked": "2026-12-01", "check": "confirmed"},
            {"models": "sorted by key, then by initiation time (the layer's upload IDs sort the same way, so the "
                       "lexicographic upload-id-marker agrees with it)",
             "page": "ListMultipartUploads - Amazon Simple Storage Service API Reference",
             "url": "https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListMultipartUploads.html",
             "quote": "Time-based sorting - For uploads that share the same object key, they are further sorted in "
                      "ascending order based on the upload initiation time.",
             "seen": "api-model",
             "checked": "2026-12-01", "check": "confirmed"},
            {"models": "each Upload: Key, UploadId, Initiated, StorageClass, Owner, Initiator (and checksum fields); "
                       "the shape has no encryption member, and the layer adds none",
             "page": "MultipartUpload - Amazon Simple Storage Service API Reference",
             "url": "https://docs.aws.amazon.com/AmazonS3/latest/API/API_MultipartUpload.html",
             "quote": "Date and time at which the multipart upload was initiated.",
             "seen": "api-model",
             "checked": "2026-12-01", "check": "confirmed"},
            {"models": "Initiator: the canonical ID for an account, an ARN for an IAM principal",
             "page": "Initiator - Amazon Simple Storage Service API Reference",
             "url": "https://docs.aws.amazon.com/AmazonS3/latest/API/API_Initiator.html",
             "quote": "If the principal is an Amazon Web Services account, it provides the Canonical User ID. If the "
                      "principal is an IAM User, it provides a user ARN value.",
             "seen": "api-model",
             "checked": "2026-12-01", "check": "confirmed"},
            {"models": "no DisplayName in Owner or Initiator",
             "page": "Owner - Amazon Simple Storage Service API Reference",
             "url": "https://docs.aws.amazon.com/AmazonS3/latest/API/API_Owner.html",
             "quote": "End of support notice: Beginning November 21, 2025, Amazon S3 will stop returning DisplayName.",
             "seen": "docs", "seen_at": "https://docs.aws.amazon.com/goto/WebAPI/s3-2006-03-01/Owner",
             "checked": "2026-12-01", "check": "confirmed"},
            {"models": "an upload without encryption headers takes the bucket's default encryption when it starts",
             "page": "CreateMultipartUpload - Amazon Simple Storage Service API Reference",
             "url": "https://docs.aws.amazon.com/AmazonS3/latest/API/API_CreateMultipartUpload.html",
             "quote": "When doing a multipart upload, if you don't specify encryption information in your request, "
                      "the encryption setting of the uploaded parts is set to the default encryption configuration "
                      "of the destination bucket.",
             "seen": "api-model",
             "checked": "2026-12-01", "check": "confirmed"},
            {"models": "the request's own encryption wins over the default",
             "page": "CreateMultipartUpload - Amazon Simple Storage Service API Reference",
             "url": "https://docs.aws.amazon.com/AmazonS3/latest/API/API_CreateMultipartUpload.html",
             "quote": "When the encryption setting in your request is different from the default encryption "
                      "configuration of the destination bucket, the encryption setting in your request takes "
                      "precedence.",
             "seen": "api-model",
             "checked": "2026-12-01", "check": "confirmed"},
            {"models": "what the upload is started with is what the object gets (the layer: its encryption too)",
             "page": "Uploading and copying objects using multipart upload - Amazon Simple Storage Service",
             "url": "https://docs.aws.amazon.com/AmazonS3/latest/userguide/mpuoverview.html",
             "quote": "If you want to provide any metadata describing the object being uploaded, you must provide it "
                      "in the request to initiate multipart upload.",
             "seen": "archive",
             "checked": "2026-12-01", "check": "unchecked"},
            {"models": "the object is made of the parts (encrypted as the upload was started)",
             "page": "Uploading and copying objects using multipart upload - Amazon Simple Storage Service",
             "url": "https://docs.aws.amazon.com/AmazonS3/latest/userguide/mpuoverview.html",
             "quote": "When you complete a multipart upload, Amazon S3 creates an object by concatenating the parts in "
                      "ascending order based on the part number.",
             "seen": "archive",
             "checked": "2026-12-01", "check": "unchecked"},
            {"models": "Initiator as the user guide puts it (for an account, the Owner's ID)",
             "page": "Uploading and copying objects using multipart upload - Amazon Simple Storage Service",
             "url": "https://docs.aws.amazon.com/AmazonS3/latest/userguide/mpuoverview.html",
             "quote": "If the initiator is an AWS account, this element provides the same information as the Owner "
                      "element.",
             "seen": "archive",
             "checked": "2026-12-01", "check": "unchecked"},
            {"models": "AbortMultipartUpload ends an upload (it is no longer listed)",
             "page": "AbortMultipartUpload - Amazon Simple Storage Service API Reference",
             "url": "https://docs.aws.amazon.com/AmazonS3/latest/API/API_AbortMultipartUpload.html",
             "quote": "After a multipart upload is aborted, no additional parts can be uploaded using that upload ID.",
             "seen": "api-model",
             "checked": "2026-12-01", "check": "confirmed"},
        ],
        "unconfirmed": [
            {"behaviour": "an upload started without encryption headers keeps the bucket's default encryption of that "
                          "moment to its completion: completed after PutBucketEncryption changed the default, the "
                          "object has the upload's encryption and key, not the new default",
             "status": "unconfirmed",
             "probe": "s3-upload-keeps-creation-encryption", "answers": {"creation-encryption": None},
             "searched": "API_CreateMultipartUpload.html ('the encryption setting of the uploaded parts is set to the "
                         "default encryption configuration of the destination bucket'), mpuoverview.html, "
                         "bucket-encryption.html, default-encryption-faq.html: none says what a default changed "
                         "during the upload does to it"},
            {"behaviour": "upload IDs are a 12-digit sequence number followed by moto's random ID, so that within a key "
                          "they sort by initiation (as the listing does); NextKeyMarker and NextUploadIdMarker are "
                          "returned only when the list is truncated; Initiated is the time the layer saw "
                          "CreateMultipartUpload",
             "status": "harness",
             "searched": "AWS's upload IDs are opaque; API_ListMultipartUploads.html sorts by initiation time yet "
                         "compares upload-id-marker lexicographically, which the layer's IDs reconcile"},
        ],
    },
    "R22": {
        "summary": "S3 replication configuration (moto stores PutBucketReplication's configuration whole and checks "
                   "that the source bucket is versioned, but GetBucketReplication answers only each rule's ID, "
                   "Priority, Status and Destination, with Filter Prefix \"\" and DeleteMarkerReplication Disabled "
                   "whatever was put). GetBucketReplication answers the configuration as it was put: Role and every "
                   "rule's ID, Status, Priority, Filter (Prefix, Tag, And), DeleteMarkerReplication, "
                   "SourceSelectionCriteria (SseKmsEncryptedObjects Status, ReplicaModifications), Destination "
                   "(Bucket, Account, StorageClass, AccessControlTranslation, EncryptionConfiguration "
                   "ReplicaKmsKeyID, ReplicationTime, Metrics), with the ID and Priority moto gives a rule that had "
                   "none; ReplicationConfigurationNotFoundError (404) when there is none (moto), also after "
                   "DeleteBucketReplication. Nothing is replicated. The calls are logged as PutBucketReplication, "
                   "GetBucketReplication and DeleteBucketReplication.",
        "cites": [
            {"models": "GetBucketReplication returns the bucket's replication configuration",
             "page": "GetBucketReplication - Amazon Simple Storage Service API Reference",
             "url": "https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetBucketReplication.html",
             "quote": "Returns the replication configuration of a bucket.",
             "seen": "docs", "seen_at": "https://docs.aws.amazon.com/goto/WebAPI/s3/GetBucketReplication",
             "checked": "2026-12-01", "check": "confirmed"},
            {"models": "with a Filter, DeleteMarkerReplication and Priority are put and returned",
             "page": "GetBucketReplication - Amazon Simple Storage Service API Reference",
             "url": "https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetBucketReplication.html",
             "quote": "If you include the Filter element in a replication configuration, you must also include the "
                      "DeleteMarkerReplication and Priority elements. The response also returns those elements.",
             "seen": "docs", "seen_at": "https://docs.aws.amazon.com/goto/WebAPI/s3/GetBucketReplication",
             "checked": "2026-12-01", "check": "confirmed"},
            {"models": "KMS-encrypted objects are replicated only with SourceSelectionCriteria SseKmsEncryptedObjects "
                       "(and a ReplicaKmsKeyID): both kept",
             "page": "PutBucketReplication - Amazon Simple Storage Service API Reference",
             "url": "https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutBucketReplication.html",
             "quote": "By default, Amazon S3 doesn't replicate objects that are stored at rest using server-side "
                      "encryption with KMS keys.",
             "seen": "api-model",
             "checked": "2026-12-01", "check": "confirmed"},
            {"models": "ReplicaKmsKeyID: the key of the replicas",
             "page": "EncryptionConfiguration - Amazon Simple Storage Service API Reference",
             "url": "https://docs.aws.amazon.com/AmazonS3/latest/API/API_EncryptionConfiguration.html",
             "quote": "Amazon S3 uses this key to encrypt replica objects.",
             "seen": "api-model",
             "checked": "2026-12-01", "check": "confirmed"},
            {"models": "Destination Account: the destination bucket's owner",
             "page": "Destination - Amazon Simple Storage Service API Reference",
             "url": "https://docs.aws.amazon.com/AmazonS3/latest/API/API_Destination.html",
             "quote": "Destination bucket owner account ID.",
             "seen": "api-model",
             "checked": "2026-12-01", "check": "confirmed"},
            {"models": "the source bucket must be versioned (moto refuses PutBucketReplication otherwise; the "
                       "destination's versioning is not checked)",
             "page": "Replicating objects - Amazon Simple Storage Service (Requirements for replication)",
             "url": "https://docs.aws.amazon.com/AmazonS3/latest/userguide/replication.html",
             "quote": "Both source and destination buckets must have versioning enabled.",
             "seen": "archive",
             "checked": "2026-12-01", "check": "unchecked"},
            {"models": "no configuration: ReplicationConfigurationNotFoundError, 404 (moto)",
             "page": "Error responses - Amazon Simple Storage Service API Reference (List of replication-related error "
                     "codes)",
             "url": "https://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html",
             "quote": "ReplicationConfigurationNotFoundError | There is no replication configuration for this bucket. "
                      "| 404 Not Found | Client",
             "seen": "mirror",
             "checked": "2026-12-01", "check": "confirmed"},
        ],
        "unconfirmed": [
            {"behaviour": "PutBucketReplication without versioning on the source: 400 InvalidRequest 'Versioning must "
                          "be 'Enabled' on the bucket to apply a replication configuration' (moto's answer); the "
                          "destination's versioning, the Filter's required DeleteMarkerReplication and Priority and "
                          "the role are not checked; GetBucketReplication answers at once after a put or delete",
             "status": "harness",
             "searched": "replication.html and API_PutBucketReplication.html require versioning and the elements but "
                         "give no error code for either; API_GetBucketReplication.html warns that a get soon after a "
                         "put or delete 'can return a wrong result': cmek reads the configuration only"},
        ],
    },
    "M4": {
        "summary": "moto bug fixed at the source (patch_moto): every DB instance has the DbiResourceId "
                   "db-M5ENSHXFPU6XHZ4G4ZEI5QIO2U (a restore copies its source's, a read replica is a copy of its "
                   "primary); AWS's is unique and immutable. Each new instance (restored, replica) gets its own; a "
                   "snapshot keeps its instance's.",
        "cites": [
            {"models": "DbiResourceId is unique in the Region and never changes",
             "page": "DBInstance - Amazon Relational Database Service API Reference",
             "url": "https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_DBInstance.html",
             "quote": "The Amazon Web Services Region-unique, immutable identifier for the DB instance.",
             "seen": "api-model",
             "checked": "2026-12-01", "check": "confirmed"},
        ],
        "unconfirmed": [
            {"behaviour": "the DbiResourceId's form: db- and 26 upper-case letters and digits",
             "status": "harness",
             "searched": "AWS shows only examples (db-123ABCEXAMPLE in USER_WorkingWithAutomatedBackups-Deleting.html); "
                         "cmek must read it, never derive it"},
        ],
    },
    "M5": {
        "summary": "moto bug fixed at the source (patch_moto): PutKeyPolicy and GetKeyPolicy without PolicyName "
                   "answer NotFoundException ('No such policy exists'); AWS takes the name default.",
        "cites": [
            {"models": "PolicyName is optional and defaults to default",
             "page": "PutKeyPolicy - AWS Key Management Service API Reference",
             "url": "https://docs.aws.amazon.com/kms/latest/APIReference/API_PutKeyPolicy.html",
             "quote": "The name of the key policy. If no policy name is specified, the default value is default. "
                      "The only valid value is default.",
             "seen": "api-model",
             "checked": "2026-12-01", "check": "confirmed"},
            {"models": "the same for GetKeyPolicy",
             "page": "GetKeyPolicy - AWS Key Management Service API Reference",
             "url": "https://docs.aws.amazon.com/kms/latest/APIReference/API_GetKeyPolicy.html",
             "quote": "Specifies the name of the key policy. If no policy name is specified, the default value is "
                      "default. The only valid name is default.",
             "seen": "api-model",
             "checked": "2026-12-01", "check": "confirmed"},
        ],
    },
    "R25": {
        "summary": "Aurora DB clusters (rds_cluster.py, from rds.py's hooks), as R12 for instances. CreateDBCluster and "
                   "RestoreDBClusterFromSnapshot make a cluster `creating`, then `available` after rds_create seconds "
                   "(moto: available on the second read); its first automated cluster snapshot is `creating` until "
                   "then; an instance joining a cluster (CreateDBInstance with DBClusterIdentifier) is `creating` for "
                   "rds_create seconds, but one joining a restored cluster that is not yet available is refused "
                   "(InvalidDBClusterStateFault); CreateDBClusterSnapshot is `creating` and CopyDBClusterSnapshot "
                   "`copying` for rds_snapshot seconds. KmsKeyId (CreateDBCluster, RestoreDBClusterFromSnapshot, "
                   "CopyDBClusterSnapshot; without one, a restore's snapshot key) is checked as RDS's use through "
                   "rds.<region> (DescribeKey, CreateGrant for an AWS resource; the key Enabled), "
                   "MasterUserSecretKmsKeyId (CreateDBCluster, ModifyDBCluster) as Secrets Manager's own use exactly "
                   "as R12 (its switches too) with the cluster's secret, rds!cluster-<uuid>-<6 letters>, named before "
                   "the call; a key id or alias name resolves in the caller's account, so another account's key "
                   "needs its ARN or alias ARN; a refusal is KMSKeyNotAccessibleFault and creates nothing. An "
                   "accepted customer managed key gets RDS's grant rds:<DB account>:cluster:<id> (a copy: "
                   ":cluster-snapshot:<id>), grantee rds.<region>.amazonaws.com, in the key owner's account; the "
                   "cluster's instances get none and no automated backup or system snapshot of their own. "
                   "DescribeDBClusters reports Status, StorageEncrypted, StorageEncryptionType (sse-kms under a KMS "
                   "key, sse-rds otherwise: every cluster the layer makes is new), KmsKeyId as the key ARN (the "
                   "account's aws/rds key when StorageEncrypted names none; absent when unencrypted), DBClusterMembers, "
                   "TagList (AddTagsToResource on the cluster ARN) and MasterUserSecret; a cluster's instances report "
                   "its StorageEncrypted, StorageEncryptionType and KmsKeyId; DescribeDBInstances' db-cluster-id "
                   "filter takes identifiers and ARNs. An encrypted cluster whose key is disabled, pending deletion or "
                   "gone, or whose RDS grant was revoked (cluster_grant_revoked_inaccessible), becomes "
                   "`inaccessible-encryption-credentials-recoverable` after rds_inaccessible seconds, its instances "
                   "with it, until StartDBCluster once the key is usable again (KMSKeyNotAccessibleFault before), or "
                   "for rds_terminal seconds and then `inaccessible-encryption-credentials`. A cluster's key never "
                   "changes: ModifyDBCluster has no KmsKeyId (the layer drops one sent by hand; moto would apply it); "
                   "a managed secret's key cannot change (InvalidParameterCombination), asking again under the same "
                   "key keeps the secret; turning management on is `modifying` for rds_modify seconds. A restore "
                   "under KmsKeyId is encrypted under that key (an unencrypted snapshot too), without it under the "
                   "snapshot's; it has no managed secret (cluster_restore_secret 0) or the source's, under its key "
                   "(1). A copy under KmsKeyId is re-encrypted under it; of an unencrypted snapshot it is encrypted "
                   "(cluster_copy_unencrypted_with_key 1) or refused (0). DeleteDBCluster takes the cluster's automated "
                   "snapshots with it (unless DeleteAutomatedBackups is false), not its manual ones. Not modelled: clusters that cannot stop "
                   "(cross-Region read replicas), BackupRetentionPeriod's 1 to 35 (moto takes 0), and default "
                   "encryption of a cluster created unencrypted beyond its StorageEncryptionType.",
        "cites": [
            {"models": "`creating` before `available`, for clusters",
             "page": "Viewing cluster status - Amazon Aurora",
             "url": "https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/accessing-monitoring.html",
             "quote": "The DB cluster is being created. The DB cluster is inaccessible while it is being created.",
             "seen": "mirror",
             "checked": "2026-12-02", "check": "confirmed"},
            {"models": "an Aurora cluster starts empty; its instances join it with CreateDBInstance (DBClusterIdentifier)",
             "page": "CreateDBCluster - Amazon Relational Database Service API Reference",
             "url": "https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_CreateDBCluster.html",
             "quote": "If you create an Aurora DB cluster, the request creates an empty cluster. You must explicitly "
                      "create the writer instance for your DB cluster using the CreateDBInstance operation.",
             "seen": "api-model",
             "checked": "2026-12-02", "check": "confirmed",
             "note": "botocore 1.44.8's service model (rds 2014-10-31), installed 2026-12-02"},
            {"models": "an instance of a restored cluster waits for the cluster (the error code is unconfirmed: "
                       "aurora-restore-instance-before-available)",
             "page": "RestoreDBClusterFromSnapshot - Amazon Relational Database Service API Reference",
             "url": "https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_RestoreDBClusterFromSnapshot.html",
             "quote": "You can create DB instances only after the RestoreDBClusterFromSnapshot operation has completed "
                      "and the DB cluster is available.",
             "seen": "api-model",
             "checked": "2026-12-02", "check": "confirmed",
             "note": "botocore 1.44.8's service model"},
            {"models": "a cluster snapshot is `creating`, a copy `copying`, then `available`",
             "page": "DBClusterSnapshot - Amazon Relational Database Service API Reference",
             "url": "https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_DBClusterSnapshot.html",
             "quote": "The status of this DB cluster snapshot. Valid statuses are the following:",
             "seen": "api-model",
             "checked": "2026-12-02", "check": "confirmed",
             "note": "the list that follows: available, copying, creating (botocore 1.44.8)"},
            {"models": "a copy in progress is `copying`",
             "page": "CopyDBClusterSnapshot - Amazon Relational Database Service API Reference",
             "url": "https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_CopyDBClusterSnapshot.html",
             "quote": "To cancel the copy operation once it is in progress, delete the target DB cluster snapshot "
                      "identified by TargetDBClusterSnapshotIdentifier while that DB cluster snapshot is in "
                      "\"copying\" status.",
             "seen": "api-model",
             "checked": "2026-12-02", "check": "confirmed",
             "note": "botocore 1.44.8's service model"},
            {"models": "the user needs kms:CreateGrant and kms:DescribeKey on a customer managed key; the layer checks "
                       "them as RDS's use on the user's behalf, through rds.<region>",
             "page": "AWS KMS key management - Amazon Aurora",
             "url": "https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/Overview.Encryption.Keys.html",
             "quote": "To create an Aurora resource using a customer managed key, a user must have permissions to call "
                      "the following operations on the customer managed key:",
             "seen": "mirror",
             "checked": "2026-12-02", "check": "confirmed"},
            {"models": "Aurora's calls carry kms:ViaService rds.<region>.amazonaws.com",
             "page": "AWS KMS key management - Amazon Aurora",
             "url": "https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/Overview.Encryption.Keys.html",
             "quote": "use the kms:ViaService condition key with the rds.<region>.amazonaws.com value.",
             "seen": "mirror",
             "checked": "2026-12-02", "check": "confirmed"},
            {"models": "a key id or alias name names a key of the caller's account: another account's key needs its "
                       "ARN or alias ARN (the error code for one named otherwise is unconfirmed: "
                       "aurora-other-account-key-id-error)",
             "page": "Encrypting Amazon Aurora resources - Amazon Aurora",
             "url": "https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/Overview.Encryption.html",
             "quote": "To use a customer managed key in a different AWS account, specify the key ARN or alias ARN.",
             "seen": "mirror",
             "checked": "2026-12-02", "check": "confirmed"},
            {"models": "the same for CreateDBCluster's, RestoreDBClusterFromSnapshot's and ModifyDBCluster's key "
                       "parameters (KmsKeyId, MasterUserSecretKmsKeyId)",
             "page": "CreateDBCluster - Amazon Relational Database Service API Reference",
             "url": "https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_CreateDBCluster.html",
             "quote": "To use a KMS key in a different Amazon Web Services account, specify the key ARN or alias ARN.",
             "seen": "api-model",
             "checked": "2026-12-02", "check": "confirmed",
             "note": "botocore 1.44.8's service model"},
            {"models": "the error",
             "page": "RDS / Client / exceptions / KMSKeyNotAccessibleFault - AWS SDK for Python (Boto3) reference",
             "url": "https://docs.aws.amazon.com/botocore/latest/reference/services/rds/client/exceptions/KMSKeyNotAccessibleFault.html",
             "quote": "An error occurred accessing an Amazon Web Services KMS key.",
             "seen": "docs",
             "checked": "2026-12-02", "check": "confirmed",
             "note": "CreateDBCluster, RestoreDBClusterFromSnapshot, CopyDBClusterSnapshot, ModifyDBCluster and "
                     "StartDBCluster list KMSKeyNotAccessibleFault among their errors (botocore 1.44.8)"},
            {"models": "StorageEncrypted without KmsKeyId: the account's default key (aws/rds)",
             "page": "CreateDBCluster - Amazon Relational Database Service API Reference",
             "url": "https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_CreateDBCluster.html",
             "quote": "If the StorageEncrypted parameter is enabled and ReplicationSourceIdentifier isn't specified, "
                      "then Amazon RDS uses your default KMS key.",
             "seen": "api-model",
             "checked": "2026-12-02", "check": "confirmed",
             "note": "botocore 1.44.8's service model"},
            {"models": "DescribeDBClusters reports KmsKeyId only for an encrypted cluster",
             "page": "DBCluster - Amazon Relational Database Service API Reference",
             "url": "https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_DBCluster.html",
             "quote": "If StorageEncrypted is enabled, the Amazon Web Services KMS key identifier for the encrypted DB "
                      "cluster.",
             "seen": "api-model",
             "checked": "2026-12-02", "check": "confirmed",
             "note": "botocore 1.44.8's service model"},
            {"models": "StorageEncryptionType sse-kms for a cluster (and snapshot) under a KMS key",
             "page": "DBCluster - Amazon Relational Database Service API Reference",
             "url": "https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_DBCluster.html",
             "quote": "sse-kms - The DB cluster is encrypted using a customer managed KMS key or Amazon Web Services "
                      "managed KMS key.",
             "seen": "api-model",
             "checked": "2026-12-02", "check": "confirmed",
             "note": "botocore 1.44.8; DBClusterSnapshot and DBInstance document the same values"},
            {"models": "StorageEncrypted false is an AWS owned key's, StorageEncryptionType sse-rds",
             "page": "DBCluster - Amazon Relational Database Service API Reference",
             "url": "https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_DBCluster.html",
             "quote": "If the DB cluster is encrypted with an Amazon Web Services owned key, this value is false and "
                      "StorageEncryptionType is sse-rds.",
             "seen": "api-model",
             "checked": "2026-12-02", "check": "confirmed",
             "note": "botocore 1.44.8's service model (StorageEncrypted)"},
            {"models": "a cluster created without StorageEncrypted is under an AWS owned key (sse-rds): every cluster "
                       "the layer makes is created after that date",
             "page": "Encrypting Amazon Aurora resources - Amazon Aurora",
             "url": "https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/Overview.Encryption.html",
             "quote": "All new DB clusters created on or after February 18, 2026, are encrypted by default with an AWS "
                      "owned key.",
             "seen": "mirror",
             "checked": "2026-12-02", "check": "confirmed"},
            {"models": "a cluster's instances use the cluster's key (they report its KmsKeyId and StorageEncrypted)",
             "page": "Encrypting Amazon Aurora resources - Amazon Aurora",
             "url": "https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/Overview.Encryption.html",
             "quote": "Each DB instance in the DB cluster shares the same storage encrypted with the same KMS key.",
             "seen": "mirror",
             "checked": "2026-12-02", "check": "confirmed"},
            {"models": "CreateDBInstance's KmsKeyId does not apply to an instance of a cluster",
             "page": "CreateDBInstance - Amazon Relational Database Service API Reference",
             "url": "https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_CreateDBInstance.html",
             "quote": "This setting doesn't apply to Amazon Aurora DB instances. The Amazon Web Services KMS key "
                      "identifier is managed by the DB cluster.",
             "seen": "api-model",
             "checked": "2026-12-02", "check": "confirmed",
             "note": "botocore 1.44.8's service model"},
            {"models": "nor its StorageEncrypted",
             "page": "CreateDBInstance - Amazon Relational Database Service API Reference",
             "url": "https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_CreateDBInstance.html",
             "quote": "This setting doesn't apply to Amazon Aurora DB instances. The encryption for DB instances is "
                      "managed by the DB cluster.",
             "seen": "api-model",
             "checked": "2026-12-02", "check": "confirmed",
             "note": "botocore 1.44.8's service model"},
            {"models": "the cluster, not its instances, is backed up (no DescribeDBInstanceAutomatedBackups entry nor "
                       "system DB snapshot for a cluster's instance: unconfirmed, aurora-instance-automated-backup)",
             "page": "Overview of backing up and restoring an Aurora DB cluster - Amazon Aurora",
             "url": "https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/Aurora.Managing.Backups.html",
             "quote": "Aurora backs up your cluster volume automatically and retains restore data for the length of the "
                      "backup retention period.",
             "seen": "mirror",
             "checked": "2026-12-02", "check": "confirmed"},
            {"models": "DescribeDBInstances' db-cluster-id filter takes cluster ARNs too (moto: identifiers only)",
             "page": "DescribeDBInstances - Amazon Relational Database Service API Reference",
             "url": "https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_DescribeDBInstances.html",
             "quote": "db-cluster-id - Accepts DB cluster identifiers and DB cluster Amazon Resource Names (ARNs).",
             "seen": "api-model",
             "checked": "2026-12-02", "check": "confirmed",
             "note": "botocore 1.44.8's service model"},
            {"models": "RDS's own grant on the cluster's key, for the cluster's lifetime (the layer: a real KMS grant in "
                       "the key owner's account, grantee and retiring principal rds.<region>.amazonaws.com)",
             "page": "Encrypting Amazon Aurora resources - Amazon Aurora",
             "url": "https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/Overview.Encryption.html",
             "quote": "During the creation of a DB cluster, Aurora checks if the calling principal has access to the KMS "
                      "key and generates a grant from the KMS key that it uses for the entire lifetime of the DB "
                      "cluster.",
             "seen": "mirror",
             "checked": "2026-12-02", "check": "confirmed"},
            {"models": "a key policy change against the caller leaves a running cluster alone (the layer looks at the "
                       "key state and RDS's grant only)",
             "page": "Encrypting Amazon Aurora resources - Amazon Aurora",
             "url": "https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/Overview.Encryption.html",
             "quote": "Revoking the calling principals access to the KMS key does not affect a running database.",
             "seen": "mirror",
             "checked": "2026-12-02", "check": "confirmed"},
            {"models": "a disabled key loses the cluster its key (the layer: also a key pending deletion or gone; "
                       "rds_inaccessible seconds stand for RDS noticing, as for instances)",
             "page": "Encrypting Amazon Aurora resources - Amazon Aurora",
             "url": "https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/Overview.Encryption.html",
             "quote": "Amazon Aurora can lose access to the KMS key for a DB cluster when you disable the KMS key.",
             "seen": "mirror",
             "checked": "2026-12-02", "check": "confirmed"},
            {"models": "... and the cluster becomes ...-recoverable",
             "page": "Encrypting Amazon Aurora resources - Amazon Aurora",
             "url": "https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/Overview.Encryption.html",
             "quote": "In these cases, the encrypted DB cluster goes into inaccessible-encryption-credentials-recoverable "
                      "state.",
             "seen": "mirror",
             "checked": "2026-12-02", "check": "confirmed"},
            {"models": "seven days in ...-recoverable (rds_terminal seconds, 604800 by default)",
             "page": "Encrypting Amazon Aurora resources - Amazon Aurora",
             "url": "https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/Overview.Encryption.html",
             "quote": "The DB cluster remains in this state for seven days, during which the instance is stopped.",
             "seen": "mirror",
             "checked": "2026-12-02", "check": "confirmed"},
            {"models": "StartDBCluster once the key is enabled again recovers the cluster (and its instances)",
             "page": "Encrypting Amazon Aurora resources - Amazon Aurora",
             "url": "https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/Overview.Encryption.html",
             "quote": "To recover the DB cluster, enable the KMS key and restart this DB cluster.",
             "seen": "mirror",
             "checked": "2026-12-02", "check": "confirmed"},
            {"models": "after seven days: terminal inaccessible-encryption-credentials",
             "page": "Encrypting Amazon Aurora resources - Amazon Aurora",
             "url": "https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/Overview.Encryption.html",
             "quote": "If the DB cluster isn't recovered within seven days, it goes into the terminal "
                      "inaccessible-encryption-credentials state.",
             "seen": "mirror",
             "checked": "2026-12-02", "check": "confirmed"},
            {"models": "an Aurora cluster whose key is unusable enters ...-recoverable",
             "page": "How do I resolve an Amazon RDS instance or Aurora cluster in an inaccessible encryption state? - "
                     "AWS re:Post Knowledge Center",
             "url": "https://repost.aws/knowledge-center/rds-aurora-inaccessible-state",
             "quote": "An Amazon RDS instance or Amazon Aurora cluster enters an "
                      "inaccessible-encryption-credentials-recoverable state when it can't access the AWS Key "
                      "Management Service (AWS KMS) encryption key.",
             "seen": "pages",
             "checked": "2026-12-02", "check": "confirmed"},
            {"models": "the instances of an Aurora cluster have these states too (that they take the cluster's is "
                       "unconfirmed: aurora-instances-follow-cluster)",
             "page": "Viewing cluster status - Amazon Aurora",
             "url": "https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/accessing-monitoring.html",
             "quote": "The KMS key used to encrypt or decrypt the DB instance can't be accessed. However, if the KMS key "
                      "is active, restarting the DB instance can recover it.",
             "seen": "mirror",
             "checked": "2026-12-02", "check": "confirmed",
             "note": "the inaccessible-encryption-credentials-recoverable row of 'Viewing DB instance status in an "
                     "Aurora cluster'"},
            {"models": "turning on a managed secret is `modifying` while applied",
             "page": "Viewing cluster status - Amazon Aurora",
             "url": "https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/accessing-monitoring.html",
             "quote": "The DB cluster is being modified because of a customer request to modify the DB cluster.",
             "seen": "mirror",
             "checked": "2026-12-02", "check": "confirmed"},
            {"models": "a cluster's key never changes (ModifyDBCluster has no KmsKeyId in botocore 1.44.8's model)",
             "page": "Encrypting Amazon Aurora resources - Amazon Aurora",
             "url": "https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/Overview.Encryption.html",
             "quote": "Once you have created an encrypted DB cluster, you can't change the KMS key used by that DB "
                      "cluster.",
             "seen": "mirror",
             "checked": "2026-12-02", "check": "confirmed"},
            {"models": "the master password secret's key is Secrets Manager's use, checked as in R12",
             "page": "Password management with Amazon Aurora and AWS Secrets Manager - Amazon Aurora",
             "url": "https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/rds-secrets-manager.html",
             "quote": "For create, modify, or restore operations, the user who specifies the customer managed key to "
                      "encrypt the secret in Secrets Manager must have permissions to perform the following "
                      "operations:",
             "seen": "archive",
             "checked": "2026-12-02", "check": "confirmed"},
            {"models": "a managed secret's key cannot change (the error code is unconfirmed: "
                       "aurora-secret-key-change-error)",
             "page": "ModifyDBCluster - Amazon Relational Database Service API Reference",
             "url": "https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_ModifyDBCluster.html",
             "quote": "If the DB cluster already manages the master user password in Amazon Web Services Secrets "
                      "Manager, you can't change the KMS key that is used to encrypt the secret.",
             "seen": "api-model",
             "checked": "2026-12-02", "check": "confirmed",
             "note": "botocore 1.44.8's service model (MasterUserSecretKmsKeyId)"},
            {"models": "a restore without KmsKeyId is under the snapshot's key",
             "page": "RestoreDBClusterFromSnapshot - Amazon Relational Database Service API Reference",
             "url": "https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_RestoreDBClusterFromSnapshot.html",
             "quote": "If the DB snapshot or DB cluster snapshot in SnapshotIdentifier is encrypted, then the restored DB "
                      "cluster is encrypted using the KMS key that was used to encrypt the DB snapshot or DB cluster "
                      "snapshot.",
             "seen": "api-model",
             "checked": "2026-12-02", "check": "confirmed",
             "note": "botocore 1.44.8's service model (KmsKeyId)"},
            {"models": "a restore under KmsKeyId is under that key",
             "page": "RestoreDBClusterFromSnapshot - Amazon Relational Database Service API Reference",
             "url": "https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_RestoreDBClusterFromSnapshot.html",
             "quote": "The Amazon Web Services KMS key identifier to use when restoring an encrypted DB cluster from a DB "
                      "snapshot or DB cluster snapshot.",
             "seen": "api-model",
             "checked": "2026-12-02", "check": "confirmed",
             "note": "botocore 1.44.8's service model (KmsKeyId)"},
            {"models": "... an unencrypted snapshot restored under KmsKeyId is encrypted",
             "page": "Encrypting Amazon Aurora resources - Amazon Aurora",
             "url": "https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/Overview.Encryption.html",
             "quote": "However, you can restore an unencrypted snapshot to an encrypted Aurora DB cluster. To do this, "
                      "specify a KMS key when you restore from the unencrypted snapshot.",
             "seen": "mirror",
             "checked": "2026-12-02", "check": "confirmed"},
            {"models": "a cluster snapshot is under the cluster's key",
             "page": "Encrypting Amazon Aurora resources - Amazon Aurora",
             "url": "https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/Overview.Encryption.html",
             "quote": "A snapshot of an encrypted DB cluster must be encrypted using the same KMS key as the DB cluster.",
             "seen": "mirror",
             "checked": "2026-12-02", "check": "confirmed"},
            {"models": "DeleteDBCluster removes the cluster's automated snapshots (moto keeps them), not its manual "
                       "ones",
             "page": "DeleteDBCluster - Amazon Relational Database Service API Reference",
             "url": "https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_DeleteDBCluster.html",
             "quote": "When you delete a DB cluster, all automated backups for that DB cluster are deleted and can't be "
                      "recovered. Manual DB cluster snapshots of the specified DB cluster are not deleted.",
             "seen": "api-model",
             "checked": "2026-12-02", "check": "confirmed",
             "note": "botocore 1.44.8's service model"},
            {"models": "a copy under KmsKeyId is re-encrypted under it",
             "page": "CopyDBClusterSnapshot - Amazon Relational Database Service API Reference",
             "url": "https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_CopyDBClusterSnapshot.html",
             "quote": "If you copy an encrypted DB cluster snapshot from your Amazon Web Services account, you can "
                      "specify a value for KmsKeyId to encrypt the copy with a new KMS key.",
             "seen": "api-model",
             "checked": "2026-12-02", "check": "confirmed",
             "note": "botocore 1.44.8's service model (KmsKeyId)"},
        ],
        "unconfirmed": [
            {"behaviour": "DescribeDBClusters (and the cluster's instances and snapshots) report KmsKeyId as the key ARN, "
                          "whatever form CreateDBCluster, RestoreDBClusterFromSnapshot or CopyDBClusterSnapshot named "
                          "it in (alias name, alias ARN, key id)",
             "status": "unconfirmed",
             "probe": "aurora-kms-key-id-arn", "answers": {"key-arn": None},
             "searched": "DBCluster, DBClusterSnapshot and DBInstance (KmsKeyId) in the API reference; the Aurora "
                         "encryption pages show no DescribeDBClusters output under a key; moto keeps the form given",
             "aws_says": [
                 {"page": "DBCluster - Amazon Relational Database Service API Reference (KmsKeyId)",
                  "url": "https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_DBCluster.html",
                  "quote": "The Amazon Web Services KMS key identifier is the key ARN, key ID, alias ARN, or alias name "
                           "for the KMS key.",
                  "seen": "api-model",
                  "checked": "2026-12-02", "check": "confirmed"}]},
            {"behaviour": "a KmsKeyId or MasterUserSecretKmsKeyId naming another account's key by key id or alias name "
                          "(not its ARN) is refused with KMSKeyNotAccessibleFault (the name resolves in the caller's "
                          "account, where no such key is), nothing created",
             "status": "unconfirmed",
             "probe": "aurora-other-account-key-id-error", "answers": {"KMSKeyNotAccessibleFault": None},
             "searched": "Overview.Encryption.html (Aurora) and CreateDBCluster's KmsKeyId say to specify the key ARN "
                         "or alias ARN, not which error a key id of another account gets"},
            {"behaviour": "ModifyDBCluster asking for another key for a secret RDS already manages answers "
                          "InvalidParameterCombination",
             "status": "unconfirmed",
             "probe": "aurora-secret-key-change-error", "answers": {"InvalidParameterCombination": None},
             "searched": "ModifyDBCluster (MasterUserSecretKmsKeyId) states the constraint, not the error; "
                         "rds-secrets-manager.html (Aurora) neither"},
            {"behaviour": "CreateDBInstance into a restored cluster that is not yet available answers "
                          "InvalidDBClusterStateFault (and creates nothing)",
             "status": "unconfirmed",
             "probe": "aurora-restore-instance-before-available", "answers": {"InvalidDBClusterStateFault": None},
             "searched": "RestoreDBClusterFromSnapshot says instances can be created only once the cluster is "
                         "available; CreateDBInstance lists InvalidDBClusterStateFault without saying when"},
            {"behaviour": "a restored cluster has no managed master password secret, whatever its source had "
                          "(cluster_restore_secret 0, the default), or one under the source's secret key (1)",
             "status": "unconfirmed",
             "probe": "aurora-restore-managed-secret", "switch": "cluster_restore_secret",
             "answers": {"not-carried": 0, "carried": 1},
             "searched": "RestoreDBClusterFromSnapshot takes no ManageMasterUserPassword (botocore 1.44.8) and "
                         "'The target DB cluster is created from the source snapshot with a default configuration' "
                         "(hence the default 0); rds-secrets-manager.html (Aurora) does not say; cmek turns management "
                         "on after a restore (ModifyDBCluster) and is tested under both answers"},
            {"behaviour": "CopyDBClusterSnapshot with KmsKeyId of an unencrypted (sse-rds) cluster snapshot makes an "
                          "encrypted copy under that key (cluster_copy_unencrypted_with_key 1, the default: the Aurora "
                          "user guide) or is refused with InvalidParameterCombination (0: the API reference)",
             "status": "unconfirmed",
             "probe": "aurora-copy-unencrypted-with-key", "switch": "cluster_copy_unencrypted_with_key",
             "answers": {"encrypted": 1, "InvalidParameterCombination": 0},
             "searched": "the two current texts disagree (quoted); neither gives an error code; cmek is tested under "
                         "both answers",
             "aws_says": [
                 {"page": "Encrypting Amazon Aurora resources - Amazon Aurora (Limitations)",
                  "url": "https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/Overview.Encryption.html",
                  "quote": "To create an encrypted snapshot from an unencrypted cluster, you must copy the snapshot and "
                           "specify a customer managed key during the copy operation.",
                  "seen": "mirror",
                  "checked": "2026-12-02", "check": "confirmed"},
                 {"page": "CopyDBClusterSnapshot - Amazon Relational Database Service API Reference (KmsKeyId)",
                  "url": "https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_CopyDBClusterSnapshot.html",
                  "quote": "If you copy an unencrypted DB cluster snapshot and specify a value for the KmsKeyId "
                           "parameter, an error is returned.",
                  "seen": "api-model",
                  "checked": "2026-12-02", "check": "confirmed"}]},
            {"behaviour": "a cluster's instances have no automated backup of their own: "
                          "DescribeDBInstanceAutomatedBackups names none of them (DBInstanceAutomatedBackupNotFound when "
                          "one is asked for) and there is no system DB snapshot of them",
             "status": "unconfirmed",
             "probe": "aurora-instance-automated-backup", "answers": {"none": None},
             "searched": "Aurora.Managing.Backups.html (the cluster volume is backed up); "
                         "DescribeDBInstanceAutomatedBackups does not mention Aurora"},
            {"behaviour": "once RDS's grant for a cluster is revoked or retired (the key still enabled), the cluster "
                          "becomes inaccessible-encryption-credentials-recoverable after rds_inaccessible seconds, as for "
                          "a disabled key, and StartDBCluster refuses to recover it while the grant is gone "
                          "(cluster_grant_revoked_inaccessible 1, the default, of the cluster's account); 0: nothing "
                          "happens",
             "status": "unconfirmed",
             "probe": "aurora-grant-revoked-inaccessible", "switch": "cluster_grant_revoked_inaccessible",
             "answers": {"inaccessible": 1, "no-effect": 0},
             "searched": "Overview.Encryption.html (Aurora): an older version names 'when Aurora access to a KMS key is "
                         "revoked' among the causes; the current page names only disabling the key, and says revoking "
                         "access after the cluster is created does not affect it (in the cross-account snapshot case); "
                         "cmek is tested under both answers",
             "aws_says": [
                 {"page": "Encrypting Amazon Aurora resources - Amazon Aurora",
                  "url": "https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/Overview.Encryption.html",
                  "quote": "Revoking access to the key after you create the DB cluster does not affect the cluster.",
                  "seen": "mirror",
                  "checked": "2026-12-02", "check": "confirmed"}]},
            {"behaviour": "a cluster's instances take its inaccessible-encryption-credentials-recoverable and "
                          "inaccessible-encryption-credentials states with it, and are available again when StartDBCluster "
                          "recovers it",
             "status": "unconfirmed",
             "probe": "aurora-instances-follow-cluster", "answers": {"same-as-cluster": None},
             "searched": "accessing-monitoring.html (Aurora) lists both states for DB instances in an Aurora cluster; "
                         "Overview.Encryption.html says 'during which the instance is stopped', not what "
                         "DescribeDBInstances shows"},
            {"behaviour": "StartDBCluster while the key is still unusable (or RDS's grant revoked) answers "
                          "KMSKeyNotAccessibleFault",
             "status": "unconfirmed",
             "probe": "aurora-start-unusable-key", "answers": {"KMSKeyNotAccessibleFault": None},
             "searched": "StartDBCluster lists KMSKeyNotAccessibleFault among its errors; the case is not stated"},
            {"behaviour": "the cluster's master password secret's name: rds!cluster-<random uuid>, ARN suffix 6 random "
                          "letters, chosen by the layer before the call; RDS's grant is named "
                          "rds:<DB account>:cluster:<id> (a snapshot copy's :cluster-snapshot:<id>) with R12's operations",
             "status": "harness",
             "searched": "AWS shows only example ARNs (secret:rds!cluster-a1b2c3d4-...-a1b2c3 in the Secrets Manager CLI "
                         "reference); cmek must read the ARN from DescribeDBClusters and find grants by grantee, never "
                         "derive either"},
        ],
    },
    "M6": {
        "summary": "moto bugs fixed at the source (patch_moto): RestoreDBClusterFromSnapshot of a snapshot whose cluster "
                   "has a managed master password is HTTP 500 (DBCluster.get_cfg expects a password); a cluster keeps "
                   "KmsKeyId as given, stores 'default_kms_key_id' without one and reports it even when unencrypted.",
        "cites": [
            {"models": "a cluster snapshot restores",
             "page": "RestoreDBClusterFromSnapshot - Amazon Relational Database Service API Reference",
             "url": "https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_RestoreDBClusterFromSnapshot.html",
             "quote": "Creates a new DB cluster from a DB snapshot or DB cluster snapshot.",
             "seen": "api-model",
             "checked": "2026-12-02", "check": "confirmed",
             "note": "botocore 1.44.8's service model"},
            {"models": "no KmsKeyId for an unencrypted cluster",
             "page": "DBCluster - Amazon Relational Database Service API Reference",
             "url": "https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_DBCluster.html",
             "quote": "If StorageEncrypted is enabled, the Amazon Web Services KMS key identifier for the encrypted DB "
                      "cluster.",
             "seen": "api-model",
             "checked": "2026-12-02", "check": "confirmed",
             "note": "botocore 1.44.8's service model"},
        ],
        "unconfirmed": [],
    },
    "R23": {
        "summary": "SQS server-side encryption and the key used through SQS (sqs.py). Queues: a new queue is on SSE-SQS "
                   "(SqsManagedSseEnabled true) unless CreateQueue names a KmsMasterKeyId, and a queue has one SSE type "
                   "at a time: with a KmsMasterKeyId SqsManagedSseEnabled reads false (moto says true beside the key); "
                   "SetQueueAttributes turning one type on for a queue of the other switches it (switch "
                   "sqs_sse_type_replaced); both types in one call are refused (400 InvalidAttributeName); "
                   "KmsDataKeyReusePeriodSeconds must be 60..86400 (400 InvalidAttributeValue; moto takes any integer); "
                   "SetQueueAttributes changes only the attributes it names (moto drops the queue Policy whenever "
                   "Policy is not among them); KmsMasterKeyId is stored as given and not checked. Key use: "
                   "SendMessage and SendMessageBatch to a queue with a customer key need the caller's "
                   "kms:GenerateDataKey and kms:Decrypt, ReceiveMessage kms:Decrypt for every key a receivable "
                   "message was sent under (a message keeps the key of its sending; messages sent before the key "
                   "need none), through sqs.<region>.amazonaws.com, by the caller's identity policies (an assumed "
                   "role's) and the key policy (R3), and a usable symmetric key (R4); the data key is then reused, "
                   "without KMS, for the queue's KmsDataKeyReusePeriodSeconds, per queue, requester (an IAM "
                   "role's sessions are one requester), key and use (sending, receiving), so a disabled or refused "
                   "key fails a call only once the reuse period has passed. Errors as SQS answers in AWS JSON 1.0: "
                   "__type com.amazonaws.sqs#<shape>, x-amzn-query-error <code>;Sender, all HTTP 400: "
                   "KMS.AccessDeniedException, KMS.DisabledException, KMS.InvalidStateException (pending deletion, "
                   "other states), KMS.NotFoundException, KMS.InvalidKeyUsageException (not a symmetric key); the "
                   "faults of R8 answer RequestThrottled (throttle) and AccessDenied (iam-deny). The AWS managed key "
                   "(alias/aws/sqs) is usable by the queue account's principals. Every SQS call is in the call log "
                   "(R9), and so is each KMS call SQS makes for a caller (service kms, invoked_by sqs.amazonaws.com, "
                   "principal, key, status). No request quotas (R13): SQS documents none for these actions.",
        "cites": [
            {"models": "a new queue is on SSE-SQS (the Documentation history row's date: September 26, 2022)",
             "page": "Documentation history - Amazon Simple Queue Service",
             "url": "https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/history.html",
             "quote": "Server-side encryption (SSE) using SQS-owned encryption (SSE-SQS) by default.",
             "seen": "docs",
             "checked": "2026-12-02", "check": "confirmed"},
            {"models": "one SSE type per queue: SqsManagedSseEnabled false once a KmsMasterKeyId is set, and both in one "
                       "call refused (the error: unconfirmed)",
             "page": "CreateQueue - Amazon Simple Queue Service API Reference",
             "url": "https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_CreateQueue.html",
             "quote": "SqsManagedSseEnabled – Enables server-side queue encryption using SQS owned encryption keys. Only "
                      "one server-side encryption option is supported per queue (for example, SSE-KMS or SSE-SQS).",
             "seen": "api-model",
             "checked": "2026-12-02", "check": "confirmed"},
            {"models": "GetQueueAttributes reports SqsManagedSseEnabled for whether the queue uses SSE-SQS",
             "page": "GetQueueAttributes - Amazon Simple Queue Service API Reference",
             "url": "https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_GetQueueAttributes.html",
             "quote": "SqsManagedSseEnabled – Returns information about whether the queue is using SSE-SQS encryption "
                      "using SQS owned encryption keys.",
             "seen": "api-model",
             "checked": "2026-12-02", "check": "confirmed"},
            {"models": "KmsDataKeyReusePeriodSeconds: 60..86400, default 300; the data key is reused that long",
             "page": "CreateQueue - Amazon Simple Queue Service API Reference",
             "url": "https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_CreateQueue.html",
             "quote": "KmsDataKeyReusePeriodSeconds – The length of time, in seconds, for which Amazon SQS can reuse a "
                      "data key to encrypt or decrypt messages before calling KMS again. An integer representing "
                      "seconds, between 60 seconds (1 minute) and 86,400 seconds (24 hours). Default: 300 (5 minutes).",
             "seen": "api-model",
             "checked": "2026-12-02", "check": "confirmed"},
            {"models": "a value out of bounds: InvalidAttributeValue (CreateQueue's and SetQueueAttributes' error)",
             "page": "CreateQueue - Amazon Simple Queue Service API Reference (Errors)",
             "url": "https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_CreateQueue.html#API_CreateQueue_Errors",
             "quote": "A queue attribute value is invalid.",
             "seen": "api-model",
             "checked": "2026-12-02", "check": "confirmed"},
            {"models": "SetQueueAttributes sets the attributes it names and leaves the rest (the policy) as it was",
             "page": "SetQueueAttributes - Amazon Simple Queue Service API Reference",
             "url": "https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_SetQueueAttributes.html",
             "quote": "Sets the value of one or more queue attributes, like a policy.",
             "seen": "api-model",
             "checked": "2026-12-02", "check": "confirmed"},
            {"models": "a producer's SendMessage and SendMessageBatch need kms:GenerateDataKey and kms:Decrypt, when "
                       "no data key is within its reuse period",
             "page": "Amazon SQS Key management (Configure KMS permissions for producers) - Amazon Simple Queue Service",
             "url": "https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-key-management.html#send-to-encrypted-queue",
             "quote": "When the data key reuse period expires, the producer's next call to SendMessage or "
                      "SendMessageBatch also triggers calls to kms:GenerateDataKey and kms:Decrypt.",
             "seen": "archive",
             "checked": "2026-12-02", "check": "confirmed"},
            {"models": "a consumer's ReceiveMessage needs kms:Decrypt for every key its messages were encrypted with",
             "page": "Amazon SQS Key management (Configure KMS permissions for consumers) - Amazon Simple Queue Service",
             "url": "https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-key-management.html#receive-from-encrypted-queue",
             "quote": "Therefore, the consumer must have the kms:Decrypt permission for any customer master key (CMK) "
                      "that is used to encrypt the messages in the specified queue.",
             "seen": "archive",
             "checked": "2026-12-02", "check": "confirmed"},
            {"models": "separate data keys for sending and receiving, one reuse period",
             "page": "Amazon SQS Key management (Understanding the data key reuse period) - Amazon Simple Queue Service",
             "url": "https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-key-management.html#sqs-how-does-the-data-key-reuse-period-work",
             "quote": "Although the data key is cached separately for encryption and for decryption, the reuse period "
                      "applies to both copies of the data key.",
             "seen": "archive",
             "checked": "2026-12-02", "check": "confirmed"},
            {"models": "data keys are per queue (KMS requests are counted per queue)",
             "page": "Amazon SQS Key management (Estimating AWS KMS costs) - Amazon Simple Queue Service",
             "url": "https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-key-management.html#sqs-estimate-kms-usage-costs",
             "quote": "To calculate the number of API requests (R) per queue, use the following formula:",
             "seen": "archive",
             "checked": "2026-12-02", "check": "confirmed"},
            {"models": "data keys are per requester: accounts, users and roles are distinct",
             "page": "Amazon SQS Key management (Configuring AWS KMS permissions) - Amazon Simple Queue Service",
             "url": "https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-key-management.html#sqs-what-permissions-for-sse",
             "quote": "Amazon SQS distinguishes between callers based on their AWS credentials, whether they are using "
                      "different AWS accounts, IAM users, or IAM roles.",
             "seen": "pages",
             "seen_at": "https://docs---aws.amazon.com.rproxy.goskope.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-key-management.md",
             "checked": "2026-12-02", "check": "confirmed",
             "note": "the June 2023 archive said instead: 'Principals (AWS accounts or IAM users) don't share data keys "
                     "(messages sent by unique principals always get unique data keys).'"},
            {"models": "an IAM role's sessions are one requester (session policies are not modelled: harness entry)",
             "page": "Amazon SQS Key management (Configuring AWS KMS permissions) - Amazon Simple Queue Service",
             "url": "https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-key-management.html#sqs-what-permissions-for-sse",
             "quote": "However, when using IAM role sessions, varying only the RoleSessionName while keeping the same "
                      "IAM role and scoping policies will not create distinct requesters.",
             "seen": "pages",
             "seen_at": "https://docs---aws.amazon.com.rproxy.goskope.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-key-management.md",
             "checked": "2026-12-02", "check": "confirmed"},
            {"models": "SQS's KMS calls carry kms:ViaService sqs.<region>.amazonaws.com",
             "page": "AWS KMS condition keys (Services that support the kms:ViaService condition key)",
             "url": "https://docs.aws.amazon.com/kms/latest/developerguide/conditions-kms.html#viaService_table",
             "quote": "Amazon Simple Queue Service (Amazon SQS) | sqs.AWS_region.amazonaws.com",
             "seen": "archive",
             "checked": "2026-12-02", "check": "confirmed"},
            {"models": "a refused key: KMS.AccessDeniedException, worded as KMS words it",
             "page": "How do I troubleshoot \"AccessDenied\" or \"AccessDeniedException\" errors on Amazon SQS API calls? - "
                     "AWS re:Post Knowledge Center",
             "url": "https://repost.aws/knowledge-center/sqs-accessdenied-errors",
             "quote": "\"An error occurred (KMS.AccessDeniedException) when calling the SendMessage operation: User: "
                      "arn:aws:iam::xxxxx:user/xxxx is not authorized to perform: kms:GenerateDataKey on resource: "
                      "arn:aws:kms:us-east-1:xxxx:key/xxxx with an explicit deny.\"",
             "seen": "pages",
             "checked": "2026-12-02", "check": "confirmed"},
            {"models": "a key in a state other than Enabled (pending deletion): KmsInvalidState, a SendMessage and "
                       "ReceiveMessage error",
             "page": "SendMessage - Amazon Simple Queue Service API Reference (Errors: KmsInvalidState)",
             "url": "https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_SendMessage.html#API_SendMessage_Errors",
             "quote": "The request was rejected because the state of the specified resource is not valid for this "
                      "request.",
             "seen": "api-model",
             "checked": "2026-12-02", "check": "confirmed"},
            {"models": "a key that does not exist: KmsNotFound, a SendMessage and ReceiveMessage error",
             "page": "SendMessage - Amazon Simple Queue Service API Reference (Errors: KmsNotFound)",
             "url": "https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_SendMessage.html#API_SendMessage_Errors",
             "quote": "The request was rejected because the specified entity or resource could not be found.",
             "seen": "api-model",
             "checked": "2026-12-02", "check": "confirmed"},
            {"models": "a message keeps the encryption of its sending: sent before the key, it needs no key",
             "page": "Encryption at rest in Amazon SQS (Encryption scope) - Amazon Simple Queue Service",
             "url": "https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-server-side-encryption.html#sqs-encryption-what-does-sse-encrypt",
             "quote": "A message is encrypted only if it is sent after the encryption of a queue is enabled. Amazon SQS "
                      "doesn't encrypt backlogged messages.",
             "seen": "archive",
             "checked": "2026-12-02", "check": "confirmed"},
            {"models": "the AWS managed key (alias/aws/sqs) is usable by the queue account's principals",
             "page": "Amazon SQS Key management (Configuring AWS KMS permissions) - Amazon Simple Queue Service",
             "url": "https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-key-management.html#sqs-what-permissions-for-sse",
             "quote": "The policy for this CMK includes permissions for all principals in the account (that are "
                      "authorized to use Amazon SQS) to use encrypted queues.",
             "seen": "archive",
             "checked": "2026-12-02", "check": "confirmed"},
            {"models": "no request quota for SQS here (R13)",
             "page": "Amazon SQS standard queues - Amazon Simple Queue Service",
             "url": "https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/standard-queues.html",
             "quote": "Standard queues support a nearly unlimited number of API calls per second, per API action "
                      "(SendMessage, ReceiveMessage, or DeleteMessage).",
             "seen": "archive",
             "checked": "2026-12-02", "check": "confirmed"},
            {"models": "a throttle fault (R8) answers RequestThrottled",
             "page": "SendMessage - Amazon Simple Queue Service API Reference (Errors: RequestThrottled)",
             "url": "https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_SendMessage.html#API_SendMessage_Errors",
             "quote": "The request was denied due to request throttling.",
             "seen": "api-model",
             "checked": "2026-12-02", "check": "confirmed"},
            {"models": "an iam-deny fault (R8) answers AccessDenied",
             "page": "How do I troubleshoot \"AccessDenied\" or \"AccessDeniedException\" errors on Amazon SQS API calls? - "
                     "AWS re:Post Knowledge Center",
             "url": "https://repost.aws/knowledge-center/sqs-accessdenied-errors",
             "quote": "\"An error occurred (AccessDenied) when calling the SendMessage operation: Access to the resource "
                      "is denied.\"",
             "seen": "pages",
             "checked": "2026-12-02", "check": "confirmed"},
        ],
        "unconfirmed": [
            {"behaviour": "SetQueueAttributes turning one SSE type on for a queue of the other (KmsMasterKeyId on an SSE-SQS "
                          "queue, SqsManagedSseEnabled true on a queue with a key) switches the queue to it: "
                          "SqsManagedSseEnabled false, or the key removed (sqs_sse_type_replaced 1, the default); 0: 400 "
                          "InvalidAttributeName, nothing changed, unless the other type is turned off in the same call "
                          "(cmek does: KmsMasterKeyId with SqsManagedSseEnabled false)",
             "status": "unconfirmed",
             "probe": "sqs-sse-type-replaced", "switch": "sqs_sse_type_replaced", "answers": {"replaced": 1, "refused": 0},
             "searched": "CreateQueue, SetQueueAttributes and GetQueueAttributes API reference (one option per queue, not "
                         "what a call naming the other does); sqs-server-side-encryption.html, "
                         "sqs-configure-sqs-sse-queue.html, sqs-configure-sse-existing-queue.html (console steps only)"},
            {"behaviour": "KmsMasterKeyId and SqsManagedSseEnabled true in one call: 400 InvalidAttributeName 'You can use "
                          "one type of server-side encryption (SSE) at one time. You can either enable KMS SSE or SQS "
                          "SSE.' (the wording SQS emulators reproduce; no AWS page has it)",
             "status": "unconfirmed",
             "probe": "sqs-sse-both-in-one-call", "answers": {"InvalidAttributeName": None},
             "searched": "the SQS API reference (CreateQueue, SetQueueAttributes errors: InvalidAttributeName is 'The "
                         "specified attribute doesn't exist.'); the developer guide's encryption pages"},
            {"behaviour": "KmsDataKeyReusePeriodSeconds outside 60..86400 (or not an integer): 400 InvalidAttributeValue "
                          "'Invalid value for the parameter KmsDataKeyReusePeriodSeconds.'",
             "status": "unconfirmed",
             "probe": "sqs-reuse-period-out-of-bounds", "answers": {"InvalidAttributeValue": None},
             "searched": "CreateQueue and SetQueueAttributes API reference: the bounds and the error list, not which "
                         "error a value out of bounds gets nor its message"},
            {"behaviour": "CreateQueue and SetQueueAttributes store any KmsMasterKeyId without checking the key (a key "
                          "that does not exist or refuses fails the first SendMessage instead)",
             "status": "unconfirmed",
             "probe": "sqs-key-not-checked-when-set", "answers": {"not-checked": None},
             "searched": "CreateQueue and SetQueueAttributes API reference: their error lists name no KMS error, those of "
                         "SendMessage, SendMessageBatch and ReceiveMessage do; sqs-key-management.html"},
            {"behaviour": "the wire codes (x-amzn-query-error) KMS.AccessDeniedException, KMS.DisabledException, "
                          "KMS.InvalidStateException, KMS.NotFoundException, KMS.InvalidKeyUsageException, all HTTP 400; "
                          "a key Disabled answers KMS.DisabledException, any other state but Enabled "
                          "KMS.InvalidStateException, a key that is not SYMMETRIC_DEFAULT KMS.InvalidKeyUsageException",
             "status": "unconfirmed",
             "probe": "sqs-kms-error-wire-codes", "answers": {"KMS-codes-400": None},
             "searched": "the SQS API reference names the errors by shape (KmsDisabled: its text is RequestThrottled's, "
                         "'The request was denied due to request throttling.'), without codes or HTTP statuses in the "
                         "stored copies; the codes are the ones the AWS SDKs' service model maps (aws-sdk-sqs 1.119: "
                         "\"KMS.DisabledException\" => KmsDisabled); only KMS.AccessDeniedException is on an AWS page"},
            {"behaviour": "the KMS calls SQS makes for a caller carry kms:ViaService sqs.<region>.amazonaws.com, "
                          "kms:CallerAccount the caller's account, aws:PrincipalArn the caller, and no encryption context",
             "status": "unconfirmed",
             "probe": "sqs-kms-request-context", "answers": {"via-sqs-no-context": None},
             "searched": "conditions-kms.html (SQS supports kms:ViaService); sqs-key-management.html and "
                         "sqs-server-side-encryption.html name no encryption context"},
            {"behaviour": "SendMessageBatch with a KMS error fails as a whole (the error above), not entry by entry in "
                          "Failed",
             "status": "unconfirmed",
             "probe": "sqs-batch-kms-error-whole", "answers": {"whole-request": None},
             "searched": "SendMessageBatch API reference: the KMS errors are in its error list; BatchResultErrorEntry "
                         "does not say which errors it carries"},
            {"behaviour": "ReceiveMessage checks kms:Decrypt only when the queue holds receivable messages sent under a "
                          "key, for every such key (nothing received when one is refused); a queue with no such message "
                          "needs no key",
             "status": "unconfirmed",
             "probe": "sqs-receive-kms-check", "answers": {"every-key-of-receivable-messages": None},
             "searched": "sqs-key-management.html (consumers need kms:Decrypt for any key that encrypted the queue's "
                         "messages; not what a receive of no message, or of messages under several keys, does)"},
            {"behaviour": "a data key is cached per queue, requester, key and use until its reuse period (the queue's "
                          "KmsDataKeyReusePeriodSeconds when it was fetched) ends: a later change of the period leaves it, "
                          "a new KmsMasterKeyId needs a new one; a refused call caches nothing",
             "status": "unconfirmed",
             "probe": "sqs-data-key-reuse-change", "answers": {"kept-until-its-period": None},
             "searched": "sqs-key-management.html (reuse period, requesters), sqs-server-side-encryption.html (key terms)"},
            {"behaviour": "SetQueueAttributes with KmsMasterKeyId '' removes the key and leaves the queue unencrypted "
                          "(SqsManagedSseEnabled stays false unless set true in the call); KmsDataKeyReusePeriodSeconds is "
                          "reported only while a key is set (moto's)",
             "status": "unconfirmed",
             "probe": "sqs-key-removed", "answers": {"unencrypted": None},
             "searched": "SetQueueAttributes and GetQueueAttributes API reference; sqs-server-side-encryption.html "
                         "('Any encrypted message remains encrypted even if the encryption of its queue is disabled.')"},
            {"behaviour": "no request quota for any SQS action here, control-plane ones (CreateQueue, "
                          "SetQueueAttributes, TagQueue...) included",
             "status": "unconfirmed",
             "probe": "sqs-no-quota", "answers": {"no-quota": None},
             "searched": "standard-queues.html (nearly unlimited, for SendMessage, ReceiveMessage, DeleteMessage); "
                         "sqs-quotas pages not read for control-plane actions"},
            {"behaviour": "requesters are told apart by principal only (an assumed role's sessions are the role): a "
                          "role's different session (scoping) policies, which SQS treats as distinct requesters, are "
                          "not modelled; POST /_localaws/data-keys/expire ends the reuse period of cached data keys; "
                          "the call log's kms records (invoked_by) stand for the key owner's CloudTrail",
             "status": "harness",
             "searched": "a test instrument: sqs-key-management.html is cited for what it stands for"},
        ],
    },
    "R24": {
        "summary": "SNS and the key used through SNS (sns.py). Publish and PublishBatch to a topic with a customer "
                   "KmsMasterKeyId need the publisher's kms:GenerateDataKey and kms:Decrypt through "
                   "sns.<region>.amazonaws.com (identity policies, key policy R3, key state R4); the data key is then "
                   "reused for five minutes per topic, publisher (SQS's requesters, R23) and key, so a disabled key "
                   "refuses Publish only once that has passed. Errors in the Query protocol, HTTP 400: KMSAccessDenied, "
                   "KMSDisabled, KMSInvalidState (pending deletion, other states, not a symmetric key), KMSNotFound. "
                   "CreateTopic and SetTopicAttributes store KmsMasterKeyId as given (moto does; not checked). SNS's "
                   "deliveries into SQS queues (moto makes them in-process, to any subscribed queue) are made as "
                   "sns.amazonaws.com with aws:SourceArn the topic and aws:SourceAccount its account: the queue policy "
                   "must allow sqs:SendMessage on the queue, and a queue with a customer key needs that key's policy to "
                   "allow the principal kms:GenerateDataKey* and kms:Decrypt and a usable key (an AWS managed queue key "
                   "never works), with SNS's own data key reused for the queue's reuse period; otherwise the message "
                   "does not arrive, the publisher is not told (Publish succeeds), AWS/SNS NumberOfNotificationsFailed "
                   "(TopicName) counts it and GET /_localaws/sns/deliveries says why. Request quotas (R13) for the "
                   "operations SNS's API reference gives a figure: Subscribe 100, ListSubscriptionsByTopic 30, "
                   "TagResource and UntagResource together 10 a second (400 ThrottlingException). The faults of R8 "
                   "answer AuthorizationError, HTTP 403 (iam-deny). Every SNS call is in the call log (R9), and so are "
                   "the KMS calls SNS makes for a publisher and SQS makes for SNS's deliveries.",
        "cites": [
            {"models": "the publisher's data key is reused up to 5 minutes (the layer: 300 s), per topic and publisher",
             "page": "Key management (Estimating AWS KMS costs) - Amazon Simple Notification Service",
             "url": "https://docs.aws.amazon.com/sns/latest/dg/sns-key-management.html",
             "quote": "D is the data key reuse period (in seconds—Amazon SNS reuses a data key for up to 5 minutes).",
             "seen": "docs",
             "checked": "2026-12-02", "check": "confirmed"},
            {"models": "data keys are per topic and publishing principal",
             "page": "Key management (Estimating AWS KMS costs) - Amazon Simple Notification Service",
             "url": "https://docs.aws.amazon.com/sns/latest/dg/sns-key-management.html",
             "quote": "P is the number of publishing principals that send to the Amazon SNS topic.",
             "seen": "docs",
             "checked": "2026-12-02", "check": "confirmed"},
            {"models": "the publisher needs kms:GenerateDataKey and kms:Decrypt",
             "page": "Key management (Allow a user to send messages to a topic with SSE) - Amazon Simple Notification Service",
             "url": "https://docs.aws.amazon.com/sns/latest/dg/sns-key-management.html#send-to-encrypted-topic",
             "quote": "The publisher must have the kms:GenerateDataKey and kms:Decrypt permissions for the AWS KMS key.",
             "seen": "archive",
             "checked": "2026-12-02", "check": "confirmed",
             "note": "the awsdocs/amazon-sns-developer-guide snapshot of 2022-12-02"},
            {"models": "SNS's KMS calls for a publisher carry kms:ViaService sns.<region>.amazonaws.com",
             "page": "AWS KMS condition keys (Services that support the kms:ViaService condition key)",
             "url": "https://docs.aws.amazon.com/kms/latest/developerguide/conditions-kms.html#viaService_table",
             "quote": "Amazon Simple Notification Service (Amazon SNS) | sns.AWS_region.amazonaws.com",
             "seen": "archive",
             "checked": "2026-12-02", "check": "confirmed"},
            {"models": "a disabled key: KMSDisabled, HTTP 400 (the error's code and status in the service model)",
             "page": "Publish - Amazon Simple Notification Service API Reference (Errors: KMSDisabled)",
             "url": "https://docs.aws.amazon.com/sns/latest/api/API_Publish.html#API_Publish_Errors",
             "quote": "The request was rejected because the specified Amazon Web Services KMS key isn't enabled.",
             "seen": "api-model",
             "checked": "2026-12-02", "check": "confirmed"},
            {"models": "a key in another state (pending deletion): KMSInvalidState, HTTP 400",
             "page": "Publish - Amazon Simple Notification Service API Reference (Errors: KMSInvalidState)",
             "url": "https://docs.aws.amazon.com/sns/latest/api/API_Publish.html#API_Publish_Errors",
             "quote": "The request was rejected because the state of the specified resource isn't valid for this request.",
             "seen": "api-model",
             "checked": "2026-12-02", "check": "confirmed"},
            {"models": "a key that does not exist: KMSNotFound, HTTP 400",
             "page": "Publish - Amazon Simple Notification Service API Reference (Errors: KMSNotFound)",
             "url": "https://docs.aws.amazon.com/sns/latest/api/API_Publish.html#API_Publish_Errors",
             "quote": "The request was rejected because the specified entity or resource can't be found.",
             "seen": "api-model",
             "checked": "2026-12-02", "check": "confirmed"},
            {"models": "a key the publisher may not use: KMSAccessDenied, HTTP 400",
             "page": "Key management (AWS KMS errors) - Amazon Simple Notification Service",
             "url": "https://docs.aws.amazon.com/sns/latest/dg/sns-key-management.html#sse-troubleshooting-errors",
             "quote": "The ciphertext references a key that doesn't exist or that you don't have access to.",
             "seen": "archive",
             "checked": "2026-12-02", "check": "confirmed",
             "note": "the 2022-12-02 snapshot; the list gives HTTP Status Code: 400 for it, KMSDisabledException, "
                     "KMSInvalidStateException and KMSNotFoundException"},
            {"models": "only symmetric encryption keys (another key spec: KMSInvalidState, unconfirmed)",
             "page": "Key management - Amazon Simple Notification Service",
             "url": "https://docs.aws.amazon.com/sns/latest/dg/sns-key-management.html",
             "quote": "Amazon SNS only supports symmetric encryption KMS keys.",
             "seen": "docs",
             "checked": "2026-12-02", "check": "confirmed"},
            {"models": "SNS delivering into a queue with a key: the key policy must allow the SNS service principal "
                       "GenerateDataKey and Decrypt",
             "page": "Enabling server-side encryption (SSE) for an Amazon SNS topic with an encrypted Amazon SQS queue "
                     "subscribed - Amazon Simple Notification Service",
             "url": "https://docs.aws.amazon.com/sns/latest/dg/sns-enable-encryption-for-topic-sqs-queue-subscriptions.html",
             "quote": "To allow Amazon SNS to send messages to encrypted Amazon SQS queues, the customer master key (CMK) "
                      "associated with the Amazon SQS queue must have a policy statement that grants Amazon SNS "
                      "service-principal access to the AWS KMS API actions GenerateDataKey and Decrypt.",
             "seen": "archive",
             "checked": "2026-12-02", "check": "confirmed",
             "note": "the 2022-12-02 snapshot; its statement has Principal Service sns.amazonaws.com and Action "
                     "kms:Decrypt, kms:GenerateDataKey*"},
            {"models": "an AWS managed queue key cannot let SNS in",
             "page": "Enabling server-side encryption (SSE) for an Amazon SNS topic with an encrypted Amazon SQS queue "
                     "subscribed - Amazon Simple Notification Service",
             "url": "https://docs.aws.amazon.com/sns/latest/dg/sns-enable-encryption-for-topic-sqs-queue-subscriptions.html",
             "quote": "Because AWS managed CMKs don't support policy modifications, you must use a custom CMK.",
             "seen": "archive",
             "checked": "2026-12-02", "check": "confirmed"},
            {"models": "the queue policy must allow the topic sqs:SendMessage",
             "page": "Subscribing an Amazon SQS queue to an Amazon SNS topic (Step 2) - Amazon Simple Notification Service",
             "url": "https://docs.aws.amazon.com/sns/latest/dg/subscribe-sqs-queue-to-sns-topic.html#SendMessageToSQS.sqs.permissions",
             "quote": "For an Amazon SNS topic to be able to send messages to a queue, you must set a policy on the queue "
                      "that allows the Amazon SNS topic to perform the sqs:SendMessage action.",
             "seen": "archive",
             "checked": "2026-12-02", "check": "confirmed"},
            {"models": "the delivery's aws:SourceArn is the topic (aws:SourceAccount its account)",
             "page": "Subscribing an Amazon SQS queue to an Amazon SNS topic (Step 2) - Amazon Simple Notification Service",
             "url": "https://docs.aws.amazon.com/sns/latest/dg/subscribe-sqs-queue-to-sns-topic.html#SendMessageToSQS.sqs.permissions",
             "quote": "To use these condition keys, set the value to the ARN of your topic.",
             "seen": "archive",
             "checked": "2026-12-02", "check": "confirmed"},
            {"models": "Publish succeeds whatever the deliveries do",
             "page": "Publish - Amazon Simple Notification Service API Reference",
             "url": "https://docs.aws.amazon.com/sns/latest/api/API_Publish.html",
             "quote": "When a messageId is returned, the message is saved and Amazon SNS immediately delivers it to "
                      "subscribers.",
             "seen": "api-model",
             "checked": "2026-12-02", "check": "confirmed"},
            {"models": "a delivery refused by a policy is dropped, not retried (a client-side error)",
             "page": "Amazon SNS dead-letter queues (DLQs) (Why do message deliveries fail?) - Amazon Simple Notification "
                     "Service",
             "url": "https://docs.aws.amazon.com/sns/latest/dg/sns-dead-letter-queues.html#why-do-message-deliveries-fail",
             "quote": "When Amazon SNS receives a client-side error, or continues to receive a server-side error for a "
                      "message beyond the number of retries specified by the corresponding retry policy, Amazon SNS "
                      "discards the message—unless a dead-letter queue is attached to the subscription.",
             "seen": "archive",
             "checked": "2026-12-02", "check": "confirmed"},
            {"models": "a failed delivery is counted in AWS/SNS NumberOfNotificationsFailed (dimension TopicName)",
             "page": "Monitoring Amazon SNS topics using CloudWatch (Amazon SNS metrics) - Amazon Simple Notification "
                     "Service",
             "url": "https://docs.aws.amazon.com/sns/latest/dg/sns-monitoring-using-cloudwatch.html#sns-metrics",
             "quote": "For Amazon SQS, email, SMS, or mobile push endpoints, the metric increments by 1 when Amazon SNS "
                      "stops attempting message deliveries.",
             "seen": "archive",
             "checked": "2026-12-02", "check": "confirmed"},
            {"models": "R13: Subscribe, 100 a second",
             "page": "Subscribe - Amazon Simple Notification Service API Reference",
             "url": "https://docs.aws.amazon.com/sns/latest/api/API_Subscribe.html",
             "quote": "This action is throttled at 100 transactions per second (TPS).",
             "seen": "api-model",
             "checked": "2026-12-02", "check": "confirmed"},
            {"models": "R13: ListSubscriptionsByTopic, 30 a second",
             "page": "ListSubscriptionsByTopic - Amazon Simple Notification Service API Reference",
             "url": "https://docs.aws.amazon.com/sns/latest/api/API_ListSubscriptionsByTopic.html",
             "quote": "This action is throttled at 30 transactions per second (TPS).",
             "seen": "api-model",
             "checked": "2026-12-02", "check": "confirmed"},
            {"models": "R13: tagging actions, 10 a second per account and Region",
             "page": "TagResource - Amazon Simple Notification Service API Reference",
             "url": "https://docs.aws.amazon.com/sns/latest/api/API_TagResource.html",
             "quote": "Tagging actions are limited to 10 TPS per Amazon Web Services account, per Amazon Web Services "
                      "Region.",
             "seen": "api-model",
             "checked": "2026-12-02", "check": "confirmed"},
            {"models": "over a quota: ThrottlingException",
             "page": "Troubleshoot \"ThrottlingException\" and \"Rate exceeded\" errors in Amazon SNS - AWS re:Post "
                     "Knowledge Center",
             "url": "https://repost.aws/knowledge-center/sns-throttling-exception-errors",
             "quote": "If API requests exceed this API throttling quota, further API calls are throttled, and Amazon SNS "
                      "returns a ThrottlingException error.",
             "seen": "pages",
             "checked": "2026-12-02", "check": "confirmed"},
            {"models": "an iam-deny fault (R8) answers AuthorizationError, HTTP 403 (the service model's code and status)",
             "page": "Publish - Amazon Simple Notification Service API Reference (Errors: AuthorizationError)",
             "url": "https://docs.aws.amazon.com/sns/latest/api/API_Publish.html#API_Publish_Errors",
             "quote": "Indicates that the user has been denied access to the requested resource.",
             "seen": "api-model",
             "checked": "2026-12-02", "check": "confirmed"},
        ],
        "unconfirmed": [
            {"behaviour": "CreateTopic and SetTopicAttributes store any KmsMasterKeyId without checking the key (a key "
                          "that does not exist or refuses fails the first Publish instead)",
             "status": "unconfirmed",
             "probe": "sns-key-not-checked-when-set", "answers": {"not-checked": None},
             "searched": "CreateTopic and SetTopicAttributes API reference: their error lists name no KMS error, "
                         "Publish's does; sns-key-management.html, sns-server-side-encryption.html"},
            {"behaviour": "the publisher's data key is reused for exactly 300 s ('up to 5 minutes'), per topic, "
                          "requester (an IAM role's sessions as one, as SQS says of itself) and key; a refused Publish "
                          "caches nothing",
             "status": "unconfirmed",
             "probe": "sns-data-key-reuse-scope", "answers": {"topic-requester-key-300s": None},
             "searched": "sns-key-management.html (the cost formula: per topic, per publishing principal, up to 5 "
                         "minutes); nothing on role sessions or on when within the 5 minutes"},
            {"behaviour": "a key that is not SYMMETRIC_DEFAULT, and a key in any state but Enabled or Disabled, answer "
                          "KMSInvalidState; the publisher's KMS calls carry no encryption context",
             "status": "unconfirmed",
             "probe": "sns-kms-error-mapping", "answers": {"KMSInvalidState": None},
             "searched": "Publish API reference errors (no key-usage error among them); sns-key-management.html"},
            {"behaviour": "a delivery refused by the queue policy or the queue's key is a client-side error: dropped at "
                          "once, not retried, NumberOfNotificationsFailed incremented at once (no dead-letter queue is "
                          "modelled); a delivery that goes through counts NumberOfNotificationsDelivered",
             "status": "unconfirmed",
             "probe": "sns-sqs-kms-delivery-failure", "answers": {"dropped-no-retry": None},
             "searched": "sns-dead-letter-queues.html (client-side errors: 'when an owner changes the policy attached to "
                         "the subscribed endpoint'; server-side errors retried up to 100,015 times over 23 days), "
                         "sns-message-delivery-retries.html: neither says which a KMS refusal is"},
            {"behaviour": "SNS's KMS use for a delivery is evaluated with aws:SourceArn (the topic), aws:SourceAccount "
                          "(its account) and kms:ViaService sqs.<region>.amazonaws.com; its data key is cached per queue, "
                          "topic and key for the queue's KmsDataKeyReusePeriodSeconds",
             "status": "unconfirmed",
             "probe": "sns-sqs-delivery-kms-context", "answers": {"source-arn-via-sqs": None},
             "searched": "sns-key-management.html (aws:SourceAccount and aws:SourceArn for event sources publishing to "
                         "SNS), sqs-least-privilege-policy.html (confused-deputy keys for SNS into encrypted queues), "
                         "sqs-key-management.html (requesters)"},
            {"behaviour": "a topic on the AWS managed key (alias/aws/sns) is published to by the topic account's "
                          "principals without a key check; the topic's own key is not used for deliveries",
             "status": "unconfirmed",
             "probe": "sns-aws-managed-key", "answers": {"usable-in-account": None},
             "searched": "sns-server-side-encryption.html (AWS managed keys 'unique for each account and region'), "
                         "sns-key-management.html"},
            {"behaviour": "SNS quotas only for Subscribe, ListSubscriptionsByTopic and the tagging actions (TagResource "
                          "and UntagResource sharing one bucket, ListTagsForResource not counted as one); over a quota: "
                          "HTTP 400",
             "status": "unconfirmed",
             "probe": "sns-quota-scope", "answers": {"api-reference-figures": None},
             "searched": "the quota table of 'Amazon SNS endpoints and quotas' (general/latest/gr/sns.html) was cut off "
                         "before it in every stored copy; the API reference gives these three figures; the re:Post "
                         "page gives the code, not the status"},
            {"behaviour": "GET /_localaws/sns/deliveries lists SNS's deliveries into queues and why a failed one failed",
             "status": "harness",
             "searched": "a test instrument: AWS's equivalents are delivery status logging and the CloudWatch metrics"},
        ],
    },
    "R29": {
        "summary": "KMS asymmetric signing keys (cmek signs evidence files): Sign, Verify and GetPublicKey are answered "
                   "by the layer with moto's key pair, after R2 (another account's key by key ARN or alias ARN), R3 "
                   "(kms:Sign, kms:Verify, kms:GetPublicKey in the key policy), R4 (Disabled: DisabledException; "
                   "pending deletion: KMSInvalidStateException; GetPublicKey too) and R5 (DryRun, after every other "
                   "check). Sign with MessageType DIGEST signs the digest as given, RAW (the default) hashes the "
                   "message with the algorithm's hash once; a DIGEST not as long as that hash (32 bytes for "
                   "ECDSA_SHA_256), a Message over 4096 bytes or empty, EXTERNAL_MU, or an unknown MessageType is "
                   "ValidationException; a key whose KeyUsage is not SIGN_VERIFY, or a SigningAlgorithm not among "
                   "the key's, InvalidKeyUsageException (and Encrypt or GenerateDataKey on a SIGN_VERIFY key, R6). "
                   "The answer: KeyId (the key ARN), Signature (ECDSA: DER, SEQUENCE of r and s; RSA: PKCS #1 with "
                   "moto's padding), SigningAlgorithm. Verify answers SignatureValid true, or "
                   "KMSInvalidSignatureException (another message, key or algorithm, a tampered or malformed "
                   "signature); a RAW message verifies a signature of its DIGEST and back. GetPublicKey answers "
                   "PublicKey (DER SubjectPublicKeyInfo), KeyId (the key ARN), KeySpec and CustomerMasterKeySpec, "
                   "KeyUsage, and SigningAlgorithms (EncryptionAlgorithms for an encryption key); a symmetric or HMAC "
                   "key is UnsupportedOperationException. Moto alone hashes a DIGEST again, takes any length, "
                   "answers SignatureValid false for a bad signature and ValidationException for a key of another "
                   "usage, and GetPublicKey omits KeySpec, names the key by id and answers for symmetric keys too.",
        "cites": [
            {"models": "MessageType DIGEST: the digest is signed as given, not hashed again",
             "page": "Sign - AWS Key Management Service API Reference",
             "url": "https://docs.aws.amazon.com/kms/latest/APIReference/API_Sign.html",
             "quote": "When the value of MessageType is RAW, KMS uses the standard signing algorithm, which begins "
                      "with a hash function. When the value is DIGEST, KMS skips the hashing step in the signing "
                      "algorithm.",
             "seen": "api-model",
             "checked": "2026-12-02", "check": "confirmed",
             "note": "2026-12-02: botocore 1.44.8's kms service model (the venv's), SignRequest.MessageType"},
            {"models": "the hash, and so a DIGEST's length, comes from the signing algorithm",
             "page": "Sign - AWS Key Management Service API Reference",
             "url": "https://docs.aws.amazon.com/kms/latest/APIReference/API_Sign.html",
             "quote": "Signing algorithms that end in SHA_256 use the SHA_256 hashing algorithm.",
             "seen": "api-model",
             "checked": "2026-12-02", "check": "confirmed"},
            {"models": "a DIGEST message must be as long as the algorithm's hash (the error code: "
                       "kms-sign-digest-length-error)",
             "page": "Sign - AWS Key Management Service API Reference",
             "url": "https://docs.aws.amazon.com/kms/latest/APIReference/API_Sign.html",
             "quote": "When the value of MessageType is DIGEST, the length of the Message value must match the length "
                      "of hashed messages for the specified signing algorithm.",
             "seen": "api-model",
             "checked": "2026-12-02", "check": "confirmed"},
            {"models": "a message over 4096 bytes is refused (the error code: kms-sign-message-too-long-error)",
             "page": "Sign - AWS Key Management Service API Reference",
             "url": "https://docs.aws.amazon.com/kms/latest/APIReference/API_Sign.html",
             "quote": "You can submit messages of up to 4096 bytes. To sign a larger message, generate a hash digest "
                      "of the message, and then provide the hash digest in the Message parameter.",
             "seen": "api-model",
             "checked": "2026-12-02", "check": "confirmed"},
            {"models": "the ECDSA signature is DER-encoded",
             "page": "Sign - AWS Key Management Service API Reference (Response Elements)",
             "url": "https://docs.aws.amazon.com/kms/latest/APIReference/API_Sign.html",
             "quote": "When used with the ECDSA_SHA_256, ECDSA_SHA_384, or ECDSA_SHA_512 signing algorithms, this "
                      "value is a DER-encoded object as defined by ANSI X9.62\u20132005 and RFC 3279 Section 2.2.3.",
             "seen": "api-model",
             "checked": "2026-12-02", "check": "confirmed"},
            {"models": "Sign's KeyId is the key ARN (also when the key was named by alias)",
             "page": "Sign - AWS Key Management Service API Reference (Response Elements)",
             "url": "https://docs.aws.amazon.com/kms/latest/APIReference/API_Sign.html",
             "quote": "The Amazon Resource Name (key ARN) of the asymmetric KMS key that was used to sign the message.",
             "seen": "api-model",
             "checked": "2026-12-02", "check": "confirmed"},
            {"models": "Sign and Verify need a SIGN_VERIFY key; encryption an ENCRYPT_DECRYPT one",
             "page": "InvalidKeyUsageException - AWS Key Management Service API Reference (Errors)",
             "url": "https://docs.aws.amazon.com/kms/latest/APIReference/API_Sign.html",
             "quote": "For encrypting, decrypting, re-encrypting, and generating data keys, the KeyUsage must be "
                      "ENCRYPT_DECRYPT. For signing and verifying messages, the KeyUsage must be SIGN_VERIFY.",
             "seen": "api-model",
             "checked": "2026-12-02", "check": "confirmed"},
            {"models": "a signing algorithm the key does not support is InvalidKeyUsageException",
             "page": "InvalidKeyUsageException - AWS Key Management Service API Reference (Errors)",
             "url": "https://docs.aws.amazon.com/kms/latest/APIReference/API_Sign.html",
             "quote": "The encryption algorithm or signing algorithm specified for the operation is incompatible with "
                      "the type of key material in the KMS key (KeySpec).",
             "seen": "api-model",
             "checked": "2026-12-02", "check": "confirmed"},
            {"models": "Sign needs kms:Sign in the key policy (Verify kms:Verify, GetPublicKey kms:GetPublicKey: the "
                       "same sentence on their pages)",
             "page": "Sign - AWS Key Management Service API Reference",
             "url": "https://docs.aws.amazon.com/kms/latest/APIReference/API_Sign.html",
             "quote": "Required permissions: kms:Sign (key policy)",
             "seen": "api-model",
             "checked": "2026-12-02", "check": "confirmed"},
            {"models": "another account's signing key is named by key ARN or alias ARN (R2)",
             "page": "Sign - AWS Key Management Service API Reference",
             "url": "https://docs.aws.amazon.com/kms/latest/APIReference/API_Sign.html",
             "quote": "Cross-account use: Yes. To perform this operation with a KMS key in a different Amazon Web "
                      "Services account, specify the key ARN or alias ARN in the value of the KeyId parameter.",
             "seen": "api-model",
             "checked": "2026-12-02", "check": "confirmed"},
            {"models": "Sign and Verify on a disabled key: DisabledException; pending deletion: [2] or [3] (R4)",
             "page": "Key states of AWS KMS keys - AWS Key Management Service",
             "url": "https://docs.aws.amazon.com/kms/latest/developerguide/key-state.html",
             "quote": "Sign | \u2713 | X [1] | N/A | X [2] or [3] | N/A",
             "seen": "archive",
             "checked": "2026-12-02", "check": "confirmed",
             "note": "the key state table's row (columns: Enabled, Disabled, Pending import, Pending deletion, "
                     "Unavailable; X stands for its fail icon) in the CMK-era awsdocs/aws-kms-developer-guide copy; "
                     "[1] 'DisabledException: <CMK ARN> is disabled.'; the Verify row reads the same"},
            {"models": "GetPublicKey on a disabled key: DisabledException; pending deletion: [2] or [3]",
             "page": "Key states of AWS KMS keys - AWS Key Management Service",
             "url": "https://docs.aws.amazon.com/kms/latest/developerguide/key-state.html",
             "quote": "GetPublicKey | \u2713 | X [1] | N/A | X [2] or [3] | N/A",
             "seen": "archive",
             "checked": "2026-12-02", "check": "confirmed",
             "note": "the same table and copy; [2] 'DisabledException: <CMK ARN> is pending deletion.', [3] "
                     "'KMSInvalidStateException: <CMK ARN> is pending deletion.' (the layer answers [3], as R4)"},
            {"models": "Verify answers SignatureValid true, or fails with KMSInvalidSignatureException",
             "page": "Verify - AWS Key Management Service API Reference",
             "url": "https://docs.aws.amazon.com/kms/latest/APIReference/API_Verify.html",
             "quote": "If the signature is verified, the value of the SignatureValid field in the response is True. If "
                      "the signature verification fails, the Verify operation fails with an "
                      "KMSInvalidSignatureException exception.",
             "seen": "api-model",
             "checked": "2026-12-02", "check": "confirmed"},
            {"models": "a RAW message verifies the signature of its DIGEST, and back",
             "page": "Verify - AWS Key Management Service API Reference",
             "url": "https://docs.aws.amazon.com/kms/latest/APIReference/API_Verify.html",
             "quote": "If the message specified here is different from the message that was signed, the signature "
                      "verification fails. A message and its hash digest are considered to be the same message.",
             "seen": "api-model",
             "checked": "2026-12-02", "check": "confirmed"},
            {"models": "GetPublicKey's PublicKey is DER SubjectPublicKeyInfo",
             "page": "GetPublicKey - AWS Key Management Service API Reference (Response Elements)",
             "url": "https://docs.aws.amazon.com/kms/latest/APIReference/API_GetPublicKey.html",
             "quote": "The value is a DER-encoded X.509 public key, also known as SubjectPublicKeyInfo (SPKI), as "
                      "defined in RFC 5280.",
             "seen": "api-model",
             "checked": "2026-12-02", "check": "confirmed"},
            {"models": "GetPublicKey's KeyId is the key ARN",
             "page": "GetPublicKey - AWS Key Management Service API Reference (Response Elements)",
             "url": "https://docs.aws.amazon.com/kms/latest/APIReference/API_GetPublicKey.html",
             "quote": "The Amazon Resource Name (key ARN) of the asymmetric KMS key from which the public key was "
                      "downloaded.",
             "seen": "api-model",
             "checked": "2026-12-02", "check": "confirmed"},
            {"models": "GetPublicKey answers KeySpec beside CustomerMasterKeySpec",
             "page": "GetPublicKey - AWS Key Management Service API Reference (Response Elements)",
             "url": "https://docs.aws.amazon.com/kms/latest/APIReference/API_GetPublicKey.html",
             "quote": "The KeySpec and CustomerMasterKeySpec fields have the same value.",
             "seen": "api-model",
             "checked": "2026-12-02", "check": "confirmed"},
            {"models": "SigningAlgorithms only for a SIGN_VERIFY key (EncryptionAlgorithms only for ENCRYPT_DECRYPT)",
             "page": "GetPublicKey - AWS Key Management Service API Reference (Response Elements)",
             "url": "https://docs.aws.amazon.com/kms/latest/APIReference/API_GetPublicKey.html",
             "quote": "This field appears in the response only when the KeyUsage of the public key is SIGN_VERIFY.",
             "seen": "api-model",
             "checked": "2026-12-02", "check": "confirmed"},
        ],
        "unconfirmed": [
            {"behaviour": "Sign or Verify with MessageType DIGEST and a Message that is not as long as the signing "
                          "algorithm's hash (32 bytes for ECDSA_SHA_256), or with MessageType EXTERNAL_MU on a key "
                          "that is not ML-DSA, answers ValidationException ('Digest is invalid length for algorithm "
                          "ECDSA_SHA_256.')",
             "status": "unconfirmed",
             "probe": "kms-sign-digest-length-error", "answers": {"ValidationException": None},
             "searched": "API_Sign.html and API_Verify.html (MessageType: the length 'must match'; their Errors lists "
                         "NotFoundException, DisabledException, KeyUnavailableException, DependencyTimeoutException, "
                         "InvalidKeyUsageException, InvalidGrantTokenException, KMSInternalException, "
                         "KMSInvalidStateException, DryRunOperationException, and for Verify "
                         "KMSInvalidSignatureException): no page names the error; an open moto pull request "
                         "(getmoto/moto#10202) answers ValidationException, which is no AWS statement"},
            {"behaviour": "Sign or Verify with a Message over 4096 bytes (or an empty one) answers ValidationException "
                          "('... Member must have length less than or equal to 4096'), before the key is looked up",
             "status": "unconfirmed",
             "probe": "kms-sign-message-too-long-error", "answers": {"ValidationException": None},
             "searched": "API_Sign.html ('You can submit messages of up to 4096 bytes'; the service model's Message "
                         "length 1 to 4096, though the parameter's text says '0-4096 bytes'); the KMS Common Errors "
                         "page (ValidationException) was not found in the stored copies, so the code is not quoted"},
            {"behaviour": "GetPublicKey on a symmetric encryption or HMAC key answers UnsupportedOperationException",
             "status": "unconfirmed",
             "probe": "kms-get-public-key-symmetric-error", "answers": {"UnsupportedOperationException": None},
             "searched": "API_GetPublicKey.html ('Returns the public key of an asymmetric KMS key'; its Errors list "
                         "both UnsupportedOperationException and InvalidKeyUsageException without tying either to a "
                         "symmetric key)"},
            {"behaviour": "an RSASSA_PSS_* signature carries the maximum salt length (moto's choice, kept; cmek signs "
                          "with ECC_NIST_P256 keys only)",
             "status": "unconfirmed",
             "probe": "kms-rsa-pss-salt-length", "answers": {"max-length": None},
             "searched": "API_Sign.html (SigningAlgorithm: 'RSASSA-PSS algorithms are preferred', no salt length); "
                         "the developer guide's asymmetric key spec page was not read for it"},
        ],
    },
    "R30": {
        "summary": "The Resource Groups Tagging API's GetResources, answered by the layer over AWS JSON 1.1 and "
                   "Smithy RPC v2 CBOR (the SDK service model lists both, CBOR first; moto speaks only JSON): the "
                   "resources moto's services hold tagged in the caller's account and Region, each with its ARN "
                   "and all its tags, however it was tagged: S3 buckets (PutBucketTagging) of that Region only "
                   "(moto lists every Region's), Firehose streams (CreateDeliveryStream Tags, TagDeliveryStream), "
                   "RDS DB instances and Aurora clusters (Tags at creation, AddTagsToResource), SQS queues "
                   "(CreateQueue tags, TagQueue), SNS topics (CreateTopic Tags, TagResource), KMS keys and other "
                   "moto kinds. TagFilters: every filter must hold, any of one filter's values; "
                   "ResourceTypeFilters service or service:resourceType (s3, firehose:deliverystream, rds:db, "
                   "rds:cluster, sqs, sns). ResourcesPerPage 1 to 100 (50 without), TagsPerPage 100 to 500 (a "
                   "resource never split), ResourceARNList not with filters or paging: otherwise "
                   "InvalidParameterException. A page's PaginationToken (valid 15 minutes, its page again on a "
                   "retry; else PaginationTokenExpiredException) resumes the query as it stood at its first call; "
                   "the last page's token is \"\" (tagging_last_page_token 0: none). With quotas on (R13), 15 calls "
                   "a second per account and Region, over it 400 ThrottledException (the R8 throttle fault too). "
                   "POST /_localaws/tagging/short-pages {\"account\", \"pages\": N}: the next N pages come back "
                   "empty with a token (a test harness). The other Tagging API operations are moto's, over JSON.",
        "cites": [
            {"models": "the caller's account and Region only; tagged resources only",
             "page": "GetResources - Resource Groups Tagging API Reference",
             "url": "https://docs.aws.amazon.com/resourcegroupstagging/latest/APIReference/API_GetResources.html",
             "quote": "Returns all the tagged or previously tagged resources that are located in the specified Amazon "
                      "Web Services Region for the account.",
             "seen": "api-model",
             "checked": "2026-12-02", "check": "confirmed",
             "note": "2026-12-02: botocore 1.44.8's resourcegroupstaggingapi service model (the venv's)"},
            {"models": "tags set through each service's own API are listed (PutBucketTagging, TagQueue, ...)",
             "page": "GetResources - Resource Groups Tagging API Reference",
             "url": "https://docs.aws.amazon.com/resourcegroupstagging/latest/APIReference/API_GetResources.html",
             "quote": "All tagged resources, whether the tagging used the Resource Groups Tagging API or not, are "
                      "returned by the Get* operation.",
             "seen": "api-model",
             "checked": "2026-12-02", "check": "confirmed"},
            {"models": "each resource with all its tags",
             "page": "GetResources - Resource Groups Tagging API Reference",
             "url": "https://docs.aws.amazon.com/resourcegroupstagging/latest/APIReference/API_GetResources.html",
             "quote": "The response includes all tags that are associated with the requested resources.",
             "seen": "api-model",
             "checked": "2026-12-02", "check": "confirmed"},
            {"models": "TagFilters: every filter, any of a filter's values",
             "page": "GetResources - Resource Groups Tagging API Reference",
             "url": "https://docs.aws.amazon.com/resourcegroupstagging/latest/APIReference/API_GetResources.html",
             "quote": "If you specify more than one filter in a single request, the response returns only those "
                      "resources that satisfy all filters. If you specify a filter that contains more than one value "
                      "for a key, the response returns resources that match any of the specified values for that key.",
             "seen": "api-model",
             "checked": "2026-12-02", "check": "confirmed"},
            {"models": "ResourceTypeFilters: service or service:resourceType",
             "page": "GetResources - Resource Groups Tagging API Reference",
             "url": "https://docs.aws.amazon.com/resourcegroupstagging/latest/APIReference/API_GetResources.html",
             "quote": "The format of each resource type is service[:resourceType]. For example, specifying a service "
                      "of ec2 returns all Amazon EC2 resources (which includes EC2 instances). Specifying a resource "
                      "type of ec2:instance returns only EC2 instances.",
             "seen": "api-model",
             "checked": "2026-12-02", "check": "confirmed"},
            {"models": "the filter strings are the ARN's (firehose:deliverystream, rds:db, rds:cluster; sqs and sns "
                       "ARNs embed no resource type)",
             "page": "GetResources - Resource Groups Tagging API Reference",
             "url": "https://docs.aws.amazon.com/resourcegroupstagging/latest/APIReference/API_GetResources.html",
             "quote": "The string for each service name and resource type is the same as that embedded in a "
                      "resource's Amazon Resource Name (ARN).",
             "seen": "api-model",
             "checked": "2026-12-02", "check": "confirmed"},
            {"models": "ResourcesPerPage 1 to 100",
             "page": "GetResources - Resource Groups Tagging API Reference",
             "url": "https://docs.aws.amazon.com/resourcegroupstagging/latest/APIReference/API_GetResources.html",
             "quote": "You can specify a minimum of 1 and a maximum value of 100.",
             "seen": "api-model",
             "checked": "2026-12-02", "check": "confirmed"},
            {"models": "a page may hold fewer than ResourcesPerPage with more to come (the short-pages harness)",
             "page": "GetResources - Resource Groups Tagging API Reference",
             "url": "https://docs.aws.amazon.com/resourcegroupstagging/latest/APIReference/API_GetResources.html",
             "quote": "A query can return fewer than this maximum, even if there are more results still to return. "
                      "You should always check the PaginationToken response value to see if there are more results.",
             "seen": "api-model",
             "checked": "2026-12-02", "check": "confirmed"},
            {"models": "TagsPerPage 100 to 500; a resource without tags counts one",
             "page": "GetResources - Resource Groups Tagging API Reference",
             "url": "https://docs.aws.amazon.com/resourcegroupstagging/latest/APIReference/API_GetResources.html",
             "quote": "You can set TagsPerPage to a minimum of 100 items up to a maximum of 500 items.",
             "seen": "api-model",
             "checked": "2026-12-02", "check": "confirmed"},
            {"models": "a resource and its tags stay on one page",
             "page": "GetResources - Resource Groups Tagging API Reference",
             "url": "https://docs.aws.amazon.com/resourcegroupstagging/latest/APIReference/API_GetResources.html",
             "quote": "GetResources does not split a resource and its associated tags across pages.",
             "seen": "api-model",
             "checked": "2026-12-02", "check": "confirmed"},
            {"models": "ResourceARNList excludes the filters (and the paging parameters)",
             "page": "GetResources - Resource Groups Tagging API Reference",
             "url": "https://docs.aws.amazon.com/resourcegroupstagging/latest/APIReference/API_GetResources.html",
             "quote": "You can't specify both this parameter and the TagFilters parameter in the same request. If you "
                      "do, you get an Invalid Parameter exception.",
             "seen": "api-model",
             "checked": "2026-12-02", "check": "confirmed"},
            {"models": "a value out of range is InvalidParameterException",
             "page": "InvalidParameterException - Resource Groups Tagging API Reference (Errors)",
             "url": "https://docs.aws.amazon.com/resourcegroupstagging/latest/APIReference/API_GetResources.html",
             "quote": "An provided parameter value is out of range.",
             "seen": "api-model",
             "checked": "2026-12-02", "check": "confirmed",
             "note": "'An provided' is AWS's wording"},
            {"models": "an empty PaginationToken starts the query",
             "page": "GetResources - Resource Groups Tagging API Reference",
             "url": "https://docs.aws.amazon.com/resourcegroupstagging/latest/APIReference/API_GetResources.html",
             "quote": "Leave this parameter empty in your initial request.",
             "seen": "api-model",
             "checked": "2026-12-02", "check": "confirmed"},
            {"models": "a token lives 15 minutes, then PaginationTokenExpiredException",
             "page": "PaginationTokenExpiredException - Resource Groups Tagging API Reference (Errors)",
             "url": "https://docs.aws.amazon.com/resourcegroupstagging/latest/APIReference/API_GetResources.html",
             "quote": "The request failed because the specified PaginationToken has expired. A PaginationToken is "
                      "valid for a maximum of 15 minutes.",
             "seen": "api-model",
             "checked": "2026-12-02", "check": "confirmed"},
            {"models": "over the quota: ThrottledException (the rate: tagging-get-resources-quota)",
             "page": "ThrottledException - Resource Groups Tagging API Reference (Errors)",
             "url": "https://docs.aws.amazon.com/resourcegroupstagging/latest/APIReference/API_GetResources.html",
             "quote": "The request failed because it exceeded the allowed frequency of submitted requests.",
             "seen": "api-model",
             "checked": "2026-12-02", "check": "confirmed"},
        ],
        "unconfirmed": [
            {"behaviour": "the last page of GetResources carries PaginationToken \"\" (an empty string, not none); "
                          "a client must stop on an empty token as on a missing one",
             "status": "not-documented",
             "probe": "tagging-last-page-token", "switch": "tagging_last_page_token",
             "answers": {"empty-string": 1, "omitted": 0},
             "searched": "boto/boto3#2513 (2020): its reporter saw 'only empty string if there are no more resources', "
                         "and a boto3 maintainer answered 'I am able to reproduce the issue'; aws/aws-sdk-go#4121 "
                         "(2021) reports the same; no AWS page says so",
             "aws_says": [
                 {"page": "GetResources - Resource Groups Tagging API Reference",
                  "url": "https://docs.aws.amazon.com/resourcegroupstagging/latest/APIReference/API_GetResources.html",
                  "quote": "A null value for PaginationToken indicates that there are no more results waiting to be "
                           "returned.",
                  "seen": "api-model",
                  "checked": "2026-12-02", "check": "confirmed"}]},
            {"behaviour": "a resource whose tags were all removed is not listed (moto keeps no tag history); with "
                          "TagFilters, as cmek calls it, AWS's answer is the same",
             "status": "not-documented",
             "probe": "tagging-previously-tagged", "answers": {"not-listed": None},
             "searched": "API_GetResources.html: TagFilters' text says such resources are listed without a filter; "
                         "the operation's own text says 'GetResources does not return untagged resources'",
             "aws_says": [
                 {"page": "GetResources - Resource Groups Tagging API Reference",
                  "url": "https://docs.aws.amazon.com/resourcegroupstagging/latest/APIReference/API_GetResources.html",
                  "quote": "Resources that were previously tagged, but do not currently have tags, are shown with an "
                           "empty tag set, like this: \"Tags\": [].",
                  "seen": "api-model",
                  "checked": "2026-12-02", "check": "confirmed"}]},
            {"behaviour": "a resource is listed, with its tags, as soon as the call that tagged it (or created it "
                          "with tags) has returned; one deleted or untagged is gone at once",
             "status": "unconfirmed",
             "probe": "tagging-visibility-lag", "answers": {"immediate": None},
             "searched": "API_GetResources.html and the Tagging API's welcome page: no sentence on how soon a tag "
                         "set through a service's own API appears (unlike KMS's 'eventual consistency model' "
                         "sentence on every KMS operation)"},
            {"behaviour": "GetResources: 15 calls a second per account and Region (R13's bucket, one second's worth "
                          "at once); over it 400 ThrottledException",
             "status": "unconfirmed",
             "probe": "tagging-get-resources-quota", "answers": {"ThrottledException": None},
             "searched": "the quota table of 'AWS Resource Groups and Tagging endpoints and quotas' "
                         "(general/latest/gr/arg.html) was cut off before it in every stored copy; 15 is the figure "
                         "cmek's design gives; the API reference names ThrottledException, not a rate"},
            {"behaviour": "the pages of one query list the resources that matched at its first call: a resource "
                          "tagged or untagged meanwhile does not change the later pages",
             "status": "unconfirmed",
             "probe": "tagging-pagination-snapshot", "answers": {"snapshot": None},
             "searched": "API_GetResources.html (PaginationToken, ResourcesPerPage): nothing on what later pages "
                         "hold when resources change between pages"},
            {"behaviour": "a PaginationToken never issued, or issued to another account or Region, answers "
                          "PaginationTokenExpiredException; a token answers its page again until it expires",
             "status": "unconfirmed",
             "probe": "tagging-unknown-token", "answers": {"PaginationTokenExpiredException": None},
             "searched": "PaginationTokenExpiredException is documented for an expired token only; "
                         "InvalidParameterException's 'A provided string parameter is malformed' could be the answer "
                         "for a token never issued; reuse is not described"},
            {"behaviour": "without ResourcesPerPage a page holds at most 50 resources",
             "status": "unconfirmed",
             "probe": "tagging-default-page-size", "answers": {"50": None},
             "searched": "API_GetResources.html ResourcesPerPage: the range 1 to 100, no default (cmek always sends "
                         "ResourcesPerPage)"},
            {"behaviour": "POST /_localaws/tagging/short-pages {\"account\", \"pages\": N}: the next N GetResources "
                          "pages of that account that have resources left hold none, with a token that resumes there",
             "status": "harness",
             "searched": "a test instrument for AWS's 'A query can return fewer than this maximum, even if there are "
                         "more results still to return'; when AWS does so is not documented"},
        ],
    },
    "R26": {
        "summary": "S3 bucket ownership and other accounts (s3_access.py; moto ignores x-amz-expected-bucket-owner and "
                   "lets any account into any bucket). A request naming a bucket (every S3 operation but CreateBucket "
                   "and ListBuckets; S3 Control is not S3) whose x-amz-expected-bucket-owner is not the bucket's "
                   "account answers 403 AccessDenied before anything else is evaluated, the bucket policy included; "
                   "CopyObject and UploadPartCopy check x-amz-source-expected-bucket-owner against the source bucket "
                   "too. A request from another account than the bucket's needs, for each IAM action it takes (R27), "
                   "an Allow in the bucket policy for its principal (the account, its root, its ARN, an assumed role's "
                   "role ARN, or '*'), and an assumed role's own identity policies must allow it as well; otherwise "
                   "403 AccessDenied and nothing is written. Another account's GetBucketPolicy, PutBucketPolicy or "
                   "DeleteBucketPolicy that the policy allows answers 405 MethodNotAllowed. ListBuckets lists the "
                   "caller's own buckets only, its prefix filtering them by name and echoed as Prefix (moto does both).",
        "cites": [
            {"models": "a mismatched x-amz-expected-bucket-owner fails the request with Access Denied",
             "page": "Verifying bucket ownership with bucket owner condition - Amazon Simple Storage Service",
             "url": "https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucket-owner-condition.html",
             "quote": "If the parameter doesn't match the bucket owner's account ID, the request fails with an (Access "
                      "Denied) error message.",
             "seen": "archive",
             "checked": "2026-12-02", "check": "confirmed",
             "note": "the current page (docs) has the same scenario: 'the requests that her application makes at step 3 "
                     "will fail with an (Access Denied) error message'"},
            {"models": "... with HTTP 403 (every operation's ExpectedBucketOwner member says so)",
             "page": "PutObject - Amazon Simple Storage Service API Reference (ExpectedBucketOwner)",
             "url": "https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutObject.html",
             "quote": "The account ID of the expected bucket owner. If the account ID that you provide does not match the "
                      "actual owner of the bucket, the request fails with the HTTP status code 403 Forbidden (access "
                      "denied).",
             "seen": "api-model",
             "checked": "2026-12-02", "check": "confirmed",
             "note": "botocore's S3 service model; HeadBucket and every other bucket operation have the same text"},
            {"models": "CreateBucket and ListBuckets ignore it (S3 Control is a separate API, not S3's)",
             "page": "Verifying bucket ownership with bucket owner condition (Restrictions and limitations) - Amazon "
                     "Simple Storage Service",
             "url": "https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucket-owner-condition.html#bucket-owner-condition-restrictions-limitations",
             "quote": "Bucket owner condition isn't available for CreateBucket, ListBuckets, or any of the operations "
                      "included in AWS S3 Control. Amazon S3 ignores any bucket owner condition parameters included with "
                      "requests to these operations.",
             "seen": "archive",
             "checked": "2026-12-02", "check": "confirmed"},
            {"models": "CopyObject: x-amz-expected-bucket-owner for the destination, x-amz-source-expected-bucket-owner "
                       "for the source",
             "page": "Verifying bucket ownership with bucket owner condition - Amazon Simple Storage Service",
             "url": "https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucket-owner-condition.html#bucket-owner-condition-use",
             "quote": "For CopyObject operations, this first parameter specifies the expected owner of the destination "
                      "bucket, and you include a second parameter to specify the expected owner of the source bucket.",
             "seen": "archive",
             "checked": "2026-12-02", "check": "confirmed"},
            {"models": "another account needs the bucket policy (resource-based) and its own identity policy",
             "page": "Cross-account policy evaluation logic - AWS Identity and Access Management",
             "url": "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic-cross-account.html",
             "quote": "To allow cross-account access, you attach a resource-based policy to the resource that you want to "
                      "share. You must also attach an identity-based policy to the identity that acts as the principal in "
                      "the request.",
             "seen": "docs",
             "checked": "2026-12-02", "check": "confirmed"},
            {"models": "the same for S3: the bucket owner's grant and the principal's own account's",
             "page": "Example 2: Bucket owner granting cross-account bucket permissions - Amazon Simple Storage Service",
             "url": "https://docs.aws.amazon.com/AmazonS3/latest/userguide/example-walkthroughs-managing-access-example2.html",
             "quote": "As long as the user has permission from both the resource owner and the parent account, the user "
                      "will be able to access the resource.",
             "seen": "archive",
             "checked": "2026-12-02", "check": "confirmed"},
            {"models": "another account's bucket-policy calls, when permitted, answer 405",
             "page": "GetBucketPolicy - Amazon Simple Storage Service API Reference",
             "url": "https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetBucketPolicy.html",
             "quote": "If you have the correct permissions, but you're not using an identity that belongs to the bucket "
                      "owner's account, Amazon S3 returns a 405 Method Not Allowed error.",
             "seen": "api-model",
             "checked": "2026-12-02", "check": "confirmed",
             "note": "PutBucketPolicy and DeleteBucketPolicy have the same sentence"},
            {"models": "ListBuckets lists the caller's buckets",
             "page": "ListBuckets - Amazon Simple Storage Service API Reference",
             "url": "https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListBuckets.html",
             "quote": "Returns a list of all buckets owned by the authenticated sender of the request.",
             "seen": "api-model",
             "checked": "2026-12-02", "check": "confirmed"},
            {"models": "ListBuckets' prefix filters them by name, and is echoed",
             "page": "ListBuckets - Amazon Simple Storage Service API Reference (prefix, Prefix)",
             "url": "https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListBuckets.html",
             "quote": "Limits the response to bucket names that begin with the specified bucket name prefix. ... If "
                      "Prefix was sent with the request, it is included in the response.",
             "seen": "api-model",
             "checked": "2026-12-02", "check": "confirmed",
             "note": "the request parameter's and the response element's documentation, joined by '...'"},
        ],
        "unconfirmed": [],
    },
    "R27": {
        "summary": "Bucket policies decide every S3 request on a bucket and its objects (s3_access.py; moto's own check, "
                   "now off, denied whenever a statement had a condition and ignored AWS principals). A statement applies "
                   "when its Principal (or NotPrincipal) covers the caller ('*', the account, its root, a user or role "
                   "ARN; a session matches its role), its Action/NotAction the operation's IAM action, its "
                   "Resource/NotResource the bucket or object ARN, and every condition holds (R3's operators: String*, "
                   "Arn*, Bool, Null, IfExists, ForAnyValue/ForAllValues). The actions: GetObject and HeadObject "
                   "s3:GetObject (s3:GetObjectVersion with a versionId); PutObject, CopyObject's target and the "
                   "multipart calls s3:PutObject, CopyObject's and UploadPartCopy's source s3:GetObject; DeleteObject "
                   "s3:DeleteObject and, with a versionId, s3:DeleteObjectVersion too; ListObjects(V2) and HeadBucket "
                   "s3:ListBucket; ListObjectVersions s3:ListBucketVersions; each configuration call its own "
                   "s3:Get*/s3:Put* action (GetBucketEncryption s3:GetEncryptionConfiguration, PutObjectLockConfiguration "
                   "s3:PutBucketObjectLockConfiguration, ...). An explicit Deny answers 403 AccessDenied 'Access Denied' "
                   "whoever asks, the bucket owner too, but never the owner account's root for Get/Put/DeleteBucketPolicy; "
                   "DeleteObjects reports AccessDenied for each denied key and deletes the others. Condition keys: "
                   "aws:SecureTransport ('true'; 'false' with the harness header x-localaws-insecure-transport: 1), "
                   "aws:PrincipalArn (a session's role ARN), aws:PrincipalAccount, the request's own "
                   "s3:x-amz-server-side-encryption and s3:x-amz-server-side-encryption-aws-kms-key-id headers (never "
                   "the bucket's default encryption), s3:if-none-match and s3:if-match (PutObject, CopyObject, "
                   "CompleteMultipartUpload), s3:prefix, s3:delimiter, s3:versionid. S3 Batch Operations' requests as "
                   "the job's role (the manifest, a generated manifest, each copy, the completion report) are evaluated "
                   "the same way: a denied task fails with AccessDenied 403, a denied report write leaves the job "
                   "Complete with FailureReasons ReportNotWritten and no report (R14).",
        "cites": [
            {"models": "each API operation authorizes its IAM actions (the operations table)",
             "page": "Actions, resources, and condition keys for Amazon S3 - Service Authorization Reference",
             "url": "https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazons3.html",
             "quote": "The following table maps API operations to the IAM actions they authorize.",
             "seen": "docs", "seen_at": "https://docs.amazonaws.cn/service-authorization/latest/reference/list_s3.html",
             "checked": "2026-12-02", "check": "confirmed",
             "note": "its table: CopyObject s3:GetObject (s3:GetObjectVersion) and s3:PutObject, CompleteMultipartUpload "
                     "s3:PutObject, AbortMultipartUpload s3:AbortMultipartUpload"},
            {"models": "PutObject: s3:PutObject",
             "page": "PutObject - Amazon Simple Storage Service API Reference (Permissions)",
             "url": "https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutObject.html",
             "quote": "s3:PutObject - To successfully complete the PutObject request, you must always have the "
                      "s3:PutObject permission on a bucket to add an object to it.",
             "seen": "api-model",
             "checked": "2026-12-02", "check": "confirmed"},
            {"models": "CopyObject: s3:GetObject on the source, s3:PutObject on the target",
             "page": "CopyObject - Amazon Simple Storage Service API Reference (Permissions)",
             "url": "https://docs.aws.amazon.com/AmazonS3/latest/API/API_CopyObject.html",
             "quote": "If the source object is in a general purpose bucket, you must have s3:GetObject permission to read "
                      "the source object that is being copied. If the destination bucket is a general purpose bucket, you "
                      "must have s3:PutObject permission to write the object copy to the destination bucket.",
             "seen": "api-model",
             "checked": "2026-12-02", "check": "confirmed"},
            {"models": "DeleteObject: s3:DeleteObject always, s3:DeleteObjectVersion for a version",
             "page": "DeleteObject - Amazon Simple Storage Service API Reference (Permissions)",
             "url": "https://docs.aws.amazon.com/AmazonS3/latest/API/API_DeleteObject.html",
             "quote": "s3:DeleteObject - To delete an object from a bucket, you must always have the s3:DeleteObject "
                      "permission. ... s3:DeleteObjectVersion - To delete a specific version of an object from a "
                      "versioning-enabled bucket, you must have the s3:DeleteObjectVersion permission.",
             "seen": "api-model",
             "checked": "2026-12-02", "check": "confirmed",
             "note": "two sentences of the Permissions section, joined by '...'"},
            {"models": "GetObject of a version: s3:GetObjectVersion",
             "page": "GetObject - Amazon Simple Storage Service API Reference (Permissions)",
             "url": "https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetObject.html",
             "quote": "If you include a versionId in your request header, you must have the s3:GetObjectVersion "
                      "permission to access a specific version of an object.",
             "seen": "api-model",
             "checked": "2026-12-02", "check": "confirmed"},
            {"models": "HeadObject: s3:GetObject",
             "page": "HeadObject - Amazon Simple Storage Service API Reference (Permissions)",
             "url": "https://docs.aws.amazon.com/AmazonS3/latest/API/API_HeadObject.html",
             "quote": "General purpose bucket permissions - To use HEAD, you must have the s3:GetObject permission.",
             "seen": "api-model",
             "checked": "2026-12-02", "check": "confirmed"},
            {"models": "ListObjectsV2 (and ListObjects, HeadBucket): s3:ListBucket",
             "page": "ListObjectsV2 - Amazon Simple Storage Service API Reference (Permissions)",
             "url": "https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListObjectsV2.html",
             "quote": "You must have permission to perform the s3:ListBucket action.",
             "seen": "api-model",
             "checked": "2026-12-02", "check": "confirmed",
             "note": "HeadBucket: 'To use this operation, you must have permissions to perform the s3:ListBucket action.'"},
            {"models": "an explicit Deny in the bucket policy wins over every Allow",
             "page": "Example 2: Bucket owner granting cross-account bucket permissions (Step 3) - Amazon Simple Storage "
                     "Service",
             "url": "https://docs.aws.amazon.com/AmazonS3/latest/userguide/example-walkthroughs-managing-access-example2.html#access-policies-walkthrough-example2-explicit-deny",
             "quote": "But if there is an explicit deny set via either a bucket policy or a user policy, the explicit deny "
                      "takes precedence over any other permissions.",
             "seen": "archive",
             "checked": "2026-12-02", "check": "confirmed"},
            {"models": "... for every principal, the account's own (root included: only implicitly allowed by default)",
             "page": "How AWS enforcement code logic evaluates requests to allow or deny access - AWS Identity and Access "
                     "Management",
             "url": "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic_policy-eval-denyallow.html",
             "quote": "An explicit deny overrides an explicit allow.",
             "seen": "docs",
             "checked": "2026-12-02", "check": "confirmed"},
            {"models": "the owner account's root keeps Get/Put/DeleteBucketPolicy whatever the policy denies",
             "page": "PutBucketPolicy - Amazon Simple Storage Service API Reference",
             "url": "https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutBucketPolicy.html",
             "quote": "To ensure that bucket owners don't inadvertently lock themselves out of their own buckets, the root "
                      "principal in a bucket owner's Amazon Web Services account can perform the GetBucketPolicy, "
                      "PutBucketPolicy, and DeleteBucketPolicy API actions, even if their bucket policy explicitly denies "
                      "the root principal's access.",
             "seen": "api-model",
             "checked": "2026-12-02", "check": "confirmed"},
            {"models": "DeleteObjects reports each key it could not delete",
             "page": "DeleteObjects - Amazon Simple Storage Service API Reference (Errors)",
             "url": "https://docs.aws.amazon.com/AmazonS3/latest/API/API_DeleteObjects.html",
             "quote": "Container for a failed delete action that describes the object that Amazon S3 attempted to delete "
                      "and the error it encountered.",
             "seen": "api-model",
             "checked": "2026-12-02", "check": "confirmed"},
            {"models": "aws:SecureTransport: whether the request came over TLS, always in the context",
             "page": "AWS global condition context keys (aws:SecureTransport) - AWS Identity and Access Management",
             "url": "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-securetransport",
             "quote": "Use this key to check whether the request was sent using SSL. The request context returns true or "
                      "false.",
             "seen": "archive",
             "checked": "2026-12-02", "check": "confirmed"},
            {"models": "aws:PrincipalArn: a role's ARN for its sessions",
             "page": "AWS global condition context keys (aws:PrincipalArn) - AWS Identity and Access Management",
             "url": "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-principalarn",
             "quote": "For IAM roles, the request context returns the ARN of the role, not the ARN of the user that assumed "
                      "the role.",
             "seen": "archive",
             "checked": "2026-12-02", "check": "confirmed"},
            {"models": "aws:PrincipalAccount: the caller's account",
             "page": "AWS global condition context keys (aws:PrincipalAccount) - AWS Identity and Access Management",
             "url": "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-principalaccount",
             "quote": "Use this key to compare the account to which the requesting principal belongs with the account "
                      "identifier that you specify in the policy.",
             "seen": "archive",
             "checked": "2026-12-02", "check": "confirmed"},
            {"models": "s3:x-amz-server-side-encryption is the request's header (absent without it, whatever the "
                       "bucket's default encryption)",
             "page": "Protecting data using server-side encryption with AWS KMS keys (Requiring server-side encryption) - "
                     "Amazon Simple Storage Service",
             "url": "https://docs.aws.amazon.com/AmazonS3/latest/userguide/UsingKMSEncryption.html#require-sse-kms",
             "quote": "For example, the following bucket policy denies upload object (s3:PutObject) permission to everyone "
                      "if the request does not include the x-amz-server-side-encryption header requesting server-side "
                      "encryption with SSE-KMS.",
             "seen": "archive",
             "checked": "2026-12-02", "check": "confirmed"},
            {"models": "s3:x-amz-server-side-encryption-aws-kms-key-id",
             "page": "Protecting data using server-side encryption with AWS KMS keys (Requiring server-side encryption) - "
                     "Amazon Simple Storage Service",
             "url": "https://docs.aws.amazon.com/AmazonS3/latest/userguide/UsingKMSEncryption.html#require-sse-kms",
             "quote": "To require that a particular AWS KMS key be used to encrypt the objects in a bucket, you can use the "
                      "s3:x-amz-server-side-encryption-aws-kms-key-id condition key.",
             "seen": "archive",
             "checked": "2026-12-02", "check": "confirmed"},
            {"models": "s3:if-none-match and s3:if-match (conditional writes)",
             "page": "Enforce conditional writes on Amazon S3 buckets - Amazon Simple Storage Service",
             "url": "https://docs.aws.amazon.com/AmazonS3/latest/userguide/conditional-writes-enforce.html",
             "quote": "You can use the condition keys s3:if-match or s3:if-none-match as the optional Condition element or "
                      "Condition block to specify when a policy is in effect.",
             "seen": "docs", "seen_at": "https://docs.amazonaws.cn/en_us/AmazonS3/latest/userguide/conditional-writes-enforce.html",
             "checked": "2026-12-02", "check": "confirmed"},
            {"models": "a refusal is 403 AccessDenied",
             "page": "Troubleshoot access denied (403 Forbidden) errors in Amazon S3 - Amazon Simple Storage Service",
             "url": "https://docs.aws.amazon.com/AmazonS3/latest/userguide/troubleshoot-403-errors.html",
             "quote": "An explicit denial occurs when a policy contains a Deny statement for the specific AWS action.",
             "seen": "docs", "seen_at": "https://docs.aws.amazon.com/AmazonS3/latest/userguide/troubleshoot-403-errors.md",
             "checked": "2026-12-02", "check": "confirmed"},
        ],
        "unconfirmed": [
            {"behaviour": "aws:SecureTransport is 'true' for every request (the local AWS listens on plain HTTP on "
                          "127.0.0.1 in place of AWS's HTTPS endpoints, which the AWS SDKs use by default); the request "
                          "header x-localaws-insecure-transport: 1 makes it 'false', for a request that stands for one "
                          "sent without TLS",
             "status": "harness",
             "searched": "a test instrument: a test cannot send the local AWS a TLS request, and cmek's clients always "
                         "use AWS's HTTPS endpoints"},
            {"behaviour": "every refusal of R26 and R27 (bucket owner condition, another account, explicit Deny) answers "
                          "403 AccessDenied with the message 'Access Denied'; AWS's extra context for requests within "
                          "the same account or organization (the policy type, the action) is not modelled",
             "status": "unconfirmed",
             "probe": "s3-access-denied-message", "answers": {"generic": None},
             "searched": "troubleshoot-403-errors.html (access denied message examples: same-account requests get "
                         "'User: ... is not authorized to perform: ... because ...'; only translations of the exact "
                         "wording were found in the stored copies), bucket-owner-condition.html ('(Access Denied)')"},
            {"behaviour": "S3 Batch Operations' requests as the job's role carry the bucket policy's context like a "
                          "direct request by the role: aws:SecureTransport true, aws:PrincipalArn the role, and for a "
                          "copy's write (and a generated manifest's) s3:x-amz-server-side-encryption aws:kms with "
                          "s3:x-amz-server-side-encryption-aws-kms-key-id the job's SSEAwsKmsKeyId (the manifest "
                          "generator's SSE-KMS key), no encryption keys when the job names none",
             "status": "unconfirmed",
             "probe": "batch-bucket-policy-requests", "answers": {"job-encryption-headers": None},
             "searched": "batch-ops-copy-object.html, batch-ops-iam-role-policies.html, the S3 Control model "
                         "(S3CopyObjectOperation): which headers Batch Operations' CopyObject sends is not documented"},
            {"behaviour": "the completion report's writes as the job's role carry x-amz-server-side-encryption: AES256, "
                          "so a bucket policy denying PutObject without that header (StringNotEquals "
                          "s3:x-amz-server-side-encryption AES256) lets the report in (batch_report_sse_header 1); 0: "
                          "no such header, the report is refused and the job says ReportNotWritten",
             "status": "unconfirmed",
             "probe": "batch-report-sse-header", "switch": "batch_report_sse_header",
             "answers": {"sse-header": 1, "no-header": 0},
             "searched": "batch-ops-examples-reports.html ('Completion reports are always encrypted with Amazon S3 "
                         "managed keys (SSE-S3).', cited in R14: the encryption, not the request headers), "
                         "batch-ops-job-status.html, the JobReport API reference"},
        ],
    },
    "R28": {
        "summary": "S3 Object Lock on an existing bucket (s3_lock.py). PutObjectLockConfiguration (ObjectLockEnabled "
                   "Enabled, optional Rule.DefaultRetention: GOVERNANCE or COMPLIANCE with Days or Years, never both, "
                   "else 400 MalformedXML) turns Object Lock on for a bucket whose versioning is Enabled, objects or not "
                   "(moto refused a bucket with objects), else 409 InvalidBucketState; GetObjectLockConfiguration answers "
                   "it as put (moto added a zero Days or Years), 404 ObjectLockConfigurationNotFoundError without one. "
                   "Versioning cannot be suspended afterwards (409 InvalidBucketState; moto allowed it). A new object "
                   "version gets the default retention: RetainUntilDate = its creation + Days (Years: 365 days each), "
                   "reported by HeadObject and GetObjectRetention (moto had no GetObjectRetention: HTTP 500) as mode "
                   "and retain-until date. A PutObject under a retention period (the bucket's default or the request's "
                   "x-amz-object-lock-* headers) needs Content-MD5, x-amz-sdk-checksum-algorithm or an x-amz-checksum-* "
                   "header (or trailer), else 400 InvalidRequest (moto answered MissingUploadObjectWithObjectLockHeaders "
                   "and took no lone checksum). DeleteObject with the VersionId of a retained version is 403 "
                   "AccessDenied, unless GOVERNANCE with x-amz-bypass-governance-retention: true and "
                   "s3:BypassGovernanceRetention (R27's evaluation; moto bypassed for any header value, 'false' too, and "
                   "checked no permission), never under COMPLIANCE; DeleteObject without VersionId adds a delete marker. "
                   "Conditional writes on a versioned bucket (moto, unchanged): If-None-Match: * succeeds when the "
                   "current version is a delete marker (412 PreconditionFailed over an object), If-Match with a stale "
                   "ETag 412, If-Match over a delete marker 404 NoSuchKey.",
        "cites": [
            {"models": "Object Lock can be turned on for an existing bucket",
             "page": "PutObjectLockConfiguration - Amazon Simple Storage Service API Reference",
             "url": "https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutObjectLockConfiguration.html",
             "quote": "You can enable Object Lock for new or existing buckets.",
             "seen": "api-model",
             "checked": "2026-12-02", "check": "confirmed",
             "note": "the June 2023 user guide said 'You can only enable Object Lock for new buckets. If you want to turn "
                     "on Object Lock for an existing bucket, contact AWS Support.'"},
            {"models": "... once versioning is on",
             "page": "Configuring S3 Object Lock - Amazon Simple Storage Service",
             "url": "https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-lock-configure.html",
             "quote": "Before you lock any objects, you must enable S3 Versioning and Object Lock on a general purpose "
                      "bucket.",
             "seen": "docs", "seen_at": "https://docs.amazonaws.cn/en_us/AmazonS3/latest/userguide/object-lock-configure.md",
             "checked": "2026-12-02", "check": "confirmed"},
            {"models": "versioning cannot be suspended (nor Object Lock turned off) afterwards",
             "page": "Object Lock considerations - Amazon Simple Storage Service",
             "url": "https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-lock-managing.html",
             "quote": "After you enable Object Lock on a bucket, you can't disable Object Lock or suspend versioning for "
                      "that bucket.",
             "seen": "docs",
             "checked": "2026-12-02", "check": "confirmed"},
            {"models": "a default retention is a mode and Days or Years, not both",
             "page": "DefaultRetention - Amazon Simple Storage Service API Reference",
             "url": "https://docs.aws.amazon.com/AmazonS3/latest/API/API_DefaultRetention.html",
             "quote": "The DefaultRetention period can be either Days or Years but you must select one. You cannot specify "
                      "Days and Years at the same time.",
             "seen": "api-model",
             "checked": "2026-12-02", "check": "confirmed"},
            {"models": "a new version's RetainUntilDate: its creation plus the default period",
             "page": "S3 Object Lock overview (Retention periods) - Amazon Simple Storage Service",
             "url": "https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-lock-overview.html#object-lock-retention-periods",
             "quote": "When you place an object in the bucket, Amazon S3 calculates a Retain Until Date for the object "
                      "version by adding the specified duration to the object version's creation timestamp.",
             "seen": "archive",
             "checked": "2026-12-02", "check": "confirmed"},
            {"models": "HeadObject (and GetObject) report the mode and retain-until date",
             "page": "Object Lock considerations (Permissions for viewing lock information) - Amazon Simple Storage Service",
             "url": "https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-lock-managing.html",
             "quote": "Both operations return the retention mode, retain until date, and legal hold status for the "
                      "specified object version.",
             "seen": "docs",
             "checked": "2026-12-02", "check": "confirmed"},
            {"models": "GetObjectRetention answers an object version's retention",
             "page": "GetObjectRetention - Amazon Simple Storage Service API Reference",
             "url": "https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetObjectRetention.html",
             "quote": "Retrieves an object's retention settings.",
             "seen": "api-model",
             "checked": "2026-12-02", "check": "confirmed"},
            {"models": "an upload under a retention period needs Content-MD5 or a checksum (the rule as it reads since S3's "
                       "default checksums)",
             "page": "PutObject - Amazon Simple Storage Service API Reference (Content-MD5)",
             "url": "https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutObject.html",
             "quote": "The Content-MD5 or x-amz-sdk-checksum-algorithm header is required for any request to upload an "
                      "object with a retention period configured using Amazon S3 Object Lock.",
             "seen": "api-model",
             "checked": "2026-12-02", "check": "confirmed",
             "note": "the June 2023 user guide: 'If you configure a default retention period on a bucket, requests to "
                     "upload objects in such a bucket must include the Content-MD5 header.'"},
            {"models": "GOVERNANCE: bypassed only with the permission and the header set to true",
             "page": "S3 Object Lock overview (Retention modes) - Amazon Simple Storage Service",
             "url": "https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-lock-overview.html#object-lock-retention-modes",
             "quote": "To override or remove governance-mode retention settings, a user must have the "
                      "s3:BypassGovernanceRetention permission and must explicitly include "
                      "x-amz-bypass-governance-retention:true as a request header with any request that requires "
                      "overriding governance mode.",
             "seen": "archive",
             "checked": "2026-12-02", "check": "confirmed"},
            {"models": "COMPLIANCE: never deleted while retained",
             "page": "S3 Object Lock overview (Retention modes) - Amazon Simple Storage Service",
             "url": "https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-lock-overview.html#object-lock-retention-modes",
             "quote": "In compliance mode, a protected object version can't be overwritten or deleted by any user, "
                      "including the root user in your AWS account.",
             "seen": "archive",
             "checked": "2026-12-02", "check": "confirmed"},
            {"models": "DeleteObject without a version adds a delete marker",
             "page": "DeleteObject - Amazon Simple Storage Service API Reference",
             "url": "https://docs.aws.amazon.com/AmazonS3/latest/API/API_DeleteObject.html",
             "quote": "If bucket versioning is enabled, the operation inserts a delete marker, which becomes the current "
                      "version of the object.",
             "seen": "api-model",
             "checked": "2026-12-02", "check": "confirmed"},
            {"models": "If-None-Match: * over a delete marker succeeds",
             "page": "How to prevent object overwrites with conditional writes (Conditional write behavior) - Amazon "
                     "Simple Storage Service",
             "url": "https://docs.aws.amazon.com/AmazonS3/latest/userguide/conditional-writes.html#conditional-error-response",
             "quote": "For buckets with versioning enabled, if there's no current object version with the same name, or if "
                      "the current object version is a delete marker, the write operation succeeds.",
             "seen": "mirror",
             "checked": "2026-12-02", "check": "confirmed"},
            {"models": "If-Match with another ETag: 412",
             "page": "PutObject - Amazon Simple Storage Service API Reference (If-Match)",
             "url": "https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutObject.html",
             "quote": "Uploads the object only if the ETag (entity tag) value provided during the WRITE operation matches "
                      "the ETag of the object in S3. If the ETag values do not match, the operation returns a 412 "
                      "Precondition Failed error.",
             "seen": "api-model",
             "checked": "2026-12-02", "check": "confirmed"},
            {"models": "If-Match over a delete marker: 404",
             "page": "How to prevent object overwrites with conditional writes (Conditional write behavior) - Amazon "
                     "Simple Storage Service",
             "url": "https://docs.aws.amazon.com/AmazonS3/latest/userguide/conditional-writes.html#conditional-error-response",
             "quote": "If there's no current object version with the same name, or if the current object version is a "
                      "delete marker, the operation fails with a 404 Not Found error.",
             "seen": "mirror",
             "checked": "2026-12-02", "check": "confirmed"},
        ],
        "unconfirmed": [
            {"behaviour": "the refusals' codes: PutObjectLockConfiguration on a bucket whose versioning is not Enabled, "
                          "and PutBucketVersioning Suspended on an Object Lock bucket, answer 409 InvalidBucketState; "
                          "GetObjectRetention of a version without retention 404 NoSuchObjectLockConfiguration, of an "
                          "object in a bucket without Object Lock 400 InvalidRequest",
             "status": "unconfirmed",
             "probe": "s3-object-lock-state-errors", "answers": {"InvalidBucketState-409": None},
             "searched": "object-lock-configure.html, object-lock-managing.html, the PutObjectLockConfiguration, "
                         "PutBucketVersioning and GetObjectRetention API references (no error codes for these cases)"},
            {"behaviour": "the integrity rule of a PutObject under a retention period also takes a lone x-amz-checksum-* "
                          "header or x-amz-trailer checksum (S3's own message names 'Content-MD5 OR x-amz-checksum-'), "
                          "is checked for PutObject only (not UploadPart), and a request without any answers 400 "
                          "InvalidRequest 'Content-MD5 OR x-amz-checksum- HTTP header is required for Put Object "
                          "requests with Object Lock parameters'",
             "status": "unconfirmed",
             "probe": "s3-object-lock-checksum-error", "answers": {"InvalidRequest": None},
             "searched": "the PutObject API reference (Content-MD5, ChecksumAlgorithm: 'Content-MD5 or "
                         "x-amz-sdk-checksum-algorithm'), object-lock-overview.html; the code and message as S3 answered "
                         "a client in a public issue (supabase/storage#423)"},
            {"behaviour": "DeleteObject of a retained version (GOVERNANCE without the bypass, or with "
                          "x-amz-bypass-governance-retention other than 'true', or without s3:BypassGovernanceRetention; "
                          "COMPLIANCE always) answers 403 AccessDenied 'Access Denied', and the version stays",
             "status": "unconfirmed",
             "probe": "s3-object-lock-delete-error", "answers": {"AccessDenied": None},
             "searched": "object-lock-overview.html, object-lock-managing.html, the DeleteObject API reference "
                         "(BypassGovernanceRetention): the refusal's code is not stated"},
            {"behaviour": "a default retention of N Years retains a version N x 365 days (a Days period: N days)",
             "status": "unconfirmed",
             "probe": "s3-object-lock-years-period", "answers": {"365-days-a-year": None},
             "searched": "object-lock-overview.html ('a period either in days or in years'), the DefaultRetention API "
                         "reference: how long a year is is not stated"},
        ],
    },
    "R31": {
        "summary": "RDS for PostgreSQL DB parameter groups and log exports (moto lists no default group, no engine "
                   "default, takes any family and any log type): DescribeDBParameters (answered by the layer) on a "
                   "default group default.postgres<major> (there before any instance uses it) or a custom group gives "
                   "rds.force_ssl at the engine default, 1 from PostgreSQL 15 and 0 for 14 and older (Source system; "
                   "rds_force_ssl_source_system 0: engine-default), then what ModifyDBParameterGroup set (Source "
                   "user); Source and parameter-name filters; pages of MaxRecords 20 to 100 (default 100) resumed by "
                   "Marker; else InvalidParameterValue. A default group can't be modified (InvalidParameterValue) or "
                   "deleted, nor a group an instance uses (InvalidDBParameterGroupState); an unknown group is "
                   "DBParameterGroupNotFound (DescribeDBParameterGroups too). CreateDBInstance and ModifyDBInstance "
                   "take a group of the instance's family only (postgres<major> of EngineVersion), else "
                   "InvalidParameterCombination; DBParameterGroups shows the "
                   "group the instance uses with ParameterApplyStatus in-sync, or pending-reboot after ModifyDBInstance "
                   "gave it another group or ModifyDBParameterGroup changed its group with ApplyMethod pending-reboot "
                   "(immediate: in-sync), until RebootDBInstance (only when available, else InvalidDBInstanceState; "
                   "rebooting for rds_modify seconds). EnableCloudwatchLogsExports and CloudwatchLogsExportConfiguration "
                   "take postgresql, upgrade and iam-db-auth-error only (else InvalidParameterCombination); disabling a "
                   "type not enabled or enabling one that is changes nothing (moto: HTTP 500, or listed twice). "
                   "CreateDBInstance (postgres) and CreateDBCluster (aurora-postgresql) without EngineVersion use "
                   "the engine's default version (moto: 9.3.3 and 12.7), a stand-in set by "
                   "rds_default_postgres_version (17.4) and rds_default_aurora_postgresql_version (16.6): the "
                   "instance reports it and default.postgres<major>; DescribeDBEngineVersions (moto: HTTP 500) "
                   "answers for those engines with that default (DefaultOnly, or no EngineVersion), or the "
                   "EngineVersion named (14.12: family postgres14; 9.6.24: postgres9.6; a major alone: the default "
                   "if of that major), Engine, MajorEngineVersion, EngineVersion, DBParameterGroupFamily, "
                   "DBEngineDescription, DBEngineVersionDescription and Status available, filtered by "
                   "DBParameterGroupFamily and the db-parameter-group-family, engine, engine-version and status "
                   "filters, in pages of MaxRecords 20 to 100 resumed by Marker (else InvalidParameterValue); "
                   "another engine or filter is left to moto.",
        "cites": [
            {"models": "rds.force_ssl's engine default: 1 (on) from PostgreSQL 15, 0 (off) for 14 and older",
             "page": "Using SSL with a PostgreSQL DB instance - Amazon Relational Database Service",
             "url": "https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/PostgreSQL.Concepts.General.SSL.html",
             "quote": "The rds.force_ssl parameter default value is 1 (on) for RDS for PostgreSQL version 15 and later. "
                      "For all other RDS for PostgreSQL major versions 14 and older, the default value of this "
                      "parameter is 0 (off).",
             "seen": "mirror",
             "checked": "2026-12-02", "check": "confirmed",
             "note": "2026-12-02: the current page (markdown mirror); the June 2023 copy (archive) said 'By default, "
                     "the rds.force_ssl parameter is set to 0 (off).' for every version"},
            {"models": "rds.force_ssl is changed in a custom DB parameter group, never in a default one",
             "page": "Using SSL with a PostgreSQL DB instance - Amazon Relational Database Service",
             "url": "https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/PostgreSQL.Concepts.General.SSL.html",
             "quote": "To change the value of this parameter, you need to create a custom DB parameter group.",
             "seen": "mirror",
             "checked": "2026-12-02", "check": "confirmed"},
            {"models": "a running instance given the custom group uses it after a reboot (pending-reboot)",
             "page": "Using SSL with a PostgreSQL DB instance - Amazon Relational Database Service",
             "url": "https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/PostgreSQL.Concepts.General.SSL.html",
             "quote": "If you do this after your RDS for PostgreSQL DB instance is already running, you need to reboot "
                      "the instance so that your instance uses the custom parameter group.",
             "seen": "mirror",
             "checked": "2026-12-02", "check": "confirmed"},
            {"models": "the default group of an engine version: default.postgres<major>",
             "page": "Working with parameters on your RDS for PostgreSQL DB instance - Amazon Relational Database Service",
             "url": "https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/Appendix.PostgreSQL.CommonDBATasks.Parameters.html",
             "quote": "For example, suppose that you create an RDS for PostgreSQL DB instance using PostgreSQL 13.3. In "
                      "this case, the DB instance is created using the values in the parameter group for PostgreSQL 13 "
                      "releases, default.postgres13.",
             "seen": "mirror",
             "checked": "2026-12-02", "check": "confirmed"},
            {"models": "ModifyDBParameterGroup (and ResetDBParameterGroup) of a default group is refused",
             "page": "Working with parameters on your RDS for PostgreSQL DB instance - Amazon Relational Database Service",
             "url": "https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/Appendix.PostgreSQL.CommonDBATasks.Parameters.html",
             "quote": "However, you can't change any values of the settings contained in the default RDS for PostgreSQL "
                      "DB parameter groups.",
             "seen": "mirror",
             "checked": "2026-12-02", "check": "confirmed"},
            {"models": "rds.force_ssl is a dynamic parameter (ApplyType dynamic; ApplyMethod immediate is allowed)",
             "page": "Working with parameters on your RDS for PostgreSQL DB instance - Amazon Relational Database Service",
             "url": "https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/Appendix.PostgreSQL.CommonDBATasks.Parameters.html",
             "quote": "rds.force_ssl | Dynamic | Requires the use of SSL connections.",
             "seen": "mirror",
             "checked": "2026-12-02", "check": "confirmed",
             "note": "a row of the page's parameter list (Parameter name | Apply_Type | Description), its cells joined "
                     "by ' | '; the description goes on 'The default value is set to 1 (on) for RDS for PostgreSQL "
                     "version 15.'"},
            {"models": "a dynamic parameter changed with immediate needs no reboot: the instances stay in-sync",
             "page": "Working with parameters on your RDS for PostgreSQL DB instance - Amazon Relational Database Service",
             "url": "https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/Appendix.PostgreSQL.CommonDBATasks.Parameters.html",
             "quote": "Dynamic parameters – Dynamic parameters don't require a reboot after changing their settings.",
             "seen": "mirror",
             "checked": "2026-12-02", "check": "confirmed"},
            {"models": "ApplyMethod immediate for dynamic parameters only, pending-reboot for both",
             "page": "ModifyDBParameterGroup - Amazon Relational Database Service API Reference",
             "url": "https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_ModifyDBParameterGroup.html",
             "quote": "You can use the immediate value with dynamic parameters only. You can use the pending-reboot "
                      "value for both dynamic and static parameters.",
             "seen": "api-model",
             "checked": "2026-12-02", "check": "confirmed",
             "note": "2026-12-02: botocore 1.44.8's rds service model (the venv's), as every api-model quote of R31"},
            {"models": "immediate: applied at once (ParameterApplyStatus stays in-sync)",
             "page": "ModifyDBParameterGroup - Amazon Relational Database Service API Reference",
             "url": "https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_ModifyDBParameterGroup.html",
             "quote": "When the application method is immediate, changes to dynamic parameters are applied immediately "
                      "to the DB instances associated with the parameter group.",
             "seen": "api-model",
             "checked": "2026-12-02", "check": "confirmed"},
            {"models": "pending-reboot: the group's instances are pending-reboot until RebootDBInstance",
             "page": "ModifyDBParameterGroup - Amazon Relational Database Service API Reference",
             "url": "https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_ModifyDBParameterGroup.html",
             "quote": "When the application method is pending-reboot, changes to dynamic and static parameters are "
                      "applied after a reboot without failover to the DB instances associated with the parameter "
                      "group.",
             "seen": "api-model",
             "checked": "2026-12-02", "check": "confirmed"},
            {"models": "a custom group lists the engine defaults (rds.force_ssl) beside what was set",
             "page": "CreateDBParameterGroup - Amazon Relational Database Service API Reference",
             "url": "https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_CreateDBParameterGroup.html",
             "quote": "A DB parameter group is initially created with the default parameters for the database engine "
                      "used by the DB instance.",
             "seen": "api-model",
             "checked": "2026-12-02", "check": "confirmed"},
            {"models": "a new group on a running instance takes effect after a reboot (pending-reboot)",
             "page": "CreateDBParameterGroup - Amazon Relational Database Service API Reference",
             "url": "https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_CreateDBParameterGroup.html",
             "quote": "When you associate a new DB parameter group with a running DB instance, you need to reboot the DB "
                      "instance without failover for the new DB parameter group and associated settings to take "
                      "effect.",
             "seen": "api-model",
             "checked": "2026-12-02", "check": "confirmed"},
            {"models": "a group serves one family and only instances of a compatible engine version",
             "page": "CreateDBParameterGroup - Amazon Relational Database Service API Reference",
             "url": "https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_CreateDBParameterGroup.html",
             "quote": "A DB parameter group can be associated with one and only one DB parameter group family, and can "
                      "be applied only to a DB instance running a database engine and engine version compatible with "
                      "that DB parameter group family.",
             "seen": "api-model",
             "checked": "2026-12-02", "check": "confirmed"},
            {"models": "CreateDBInstance without DBParameterGroupName: the engine version's default group",
             "page": "CreateDBInstance - Amazon Relational Database Service API Reference",
             "url": "https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_CreateDBInstance.html",
             "quote": "If you don't specify a value, then Amazon RDS uses the default DB parameter group for the "
                      "specified DB engine and version.",
             "seen": "api-model",
             "checked": "2026-12-02", "check": "confirmed"},
            {"models": "ModifyDBInstance DBParameterGroupName: the name changes at once, the parameters after a reboot "
                       "(pending-reboot)",
             "page": "ModifyDBInstance - Amazon Relational Database Service API Reference",
             "url": "https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_ModifyDBInstance.html",
             "quote": "The parameter group name itself is changed immediately, but the actual parameter changes are not "
                      "applied until you reboot the instance without failover.",
             "seen": "api-model",
             "checked": "2026-12-02", "check": "confirmed"},
            {"models": "ModifyDBInstance DBParameterGroupName: the instance's family only",
             "page": "ModifyDBInstance - Amazon Relational Database Service API Reference",
             "url": "https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_ModifyDBInstance.html",
             "quote": "Constraints: Must be in the same DB parameter group family as the DB instance.",
             "seen": "api-model",
             "checked": "2026-12-02", "check": "confirmed"},
            {"models": "ParameterApplyStatus pending-reboot",
             "page": "DBParameterGroupStatus - Amazon Relational Database Service API Reference",
             "url": "https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_DBParameterGroupStatus.html",
             "quote": "pending-reboot: The parameter group change will be applied after the DB instance reboots.",
             "seen": "api-model",
             "checked": "2026-12-02", "check": "confirmed"},
            {"models": "ParameterApplyStatus in-sync",
             "page": "DBParameterGroupStatus - Amazon Relational Database Service API Reference",
             "url": "https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_DBParameterGroupStatus.html",
             "quote": "in-sync: The parameter group change is synchronized with the database.",
             "seen": "api-model",
             "checked": "2026-12-02", "check": "confirmed"},
            {"models": "RebootDBInstance applies a changed group, and the instance is rebooting meanwhile",
             "page": "RebootDBInstance - Amazon Relational Database Service API Reference",
             "url": "https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_RebootDBInstance.html",
             "quote": "Rebooting a DB instance results in a momentary outage, during which the DB instance status is "
                      "set to rebooting.",
             "seen": "api-model",
             "checked": "2026-12-02", "check": "confirmed"},
            {"models": "only an available instance can be rebooted",
             "page": "Rebooting a DB instance - Amazon Relational Database Service",
             "url": "https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_RebootInstance.html",
             "quote": "You can't reboot your DB instance if it is not in the available state.",
             "seen": "archive",
             "checked": "2026-12-02", "check": "confirmed"},
            {"models": "... else InvalidDBInstanceState (RebootDBInstance's fault)",
             "page": "RebootDBInstance - Amazon Relational Database Service API Reference (Errors)",
             "url": "https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_RebootDBInstance.html",
             "quote": "The DB instance isn't in a valid state.",
             "seen": "api-model",
             "checked": "2026-12-02", "check": "confirmed"},
            {"models": "DescribeDBParameters Source",
             "page": "DescribeDBParameters - Amazon Relational Database Service API Reference",
             "url": "https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_DescribeDBParameters.html",
             "quote": "Valid Values: user | system | engine-default",
             "seen": "api-model",
             "checked": "2026-12-02", "check": "confirmed"},
            {"models": "DescribeDBParameters Filters: parameter-name only",
             "page": "DescribeDBParameters - Amazon Relational Database Service API Reference",
             "url": "https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_DescribeDBParameters.html",
             "quote": "The only supported filter is parameter-name. The results list only includes information about "
                      "the DB parameters with these names.",
             "seen": "api-model",
             "checked": "2026-12-02", "check": "confirmed"},
            {"models": "DescribeDBParameters pages: a marker when more records exist",
             "page": "DescribeDBParameters - Amazon Relational Database Service API Reference",
             "url": "https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_DescribeDBParameters.html",
             "quote": "If more records exist than the specified MaxRecords value, a pagination token called a marker is "
                      "included in the response so that you can retrieve the remaining results.",
             "seen": "api-model",
             "checked": "2026-12-02", "check": "confirmed"},
            {"models": "MaxRecords 20 to 100 (default 100)",
             "page": "DescribeDBParameters - Amazon Relational Database Service API Reference",
             "url": "https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_DescribeDBParameters.html",
             "quote": "Constraints: Minimum 20, maximum 100.",
             "seen": "api-model",
             "checked": "2026-12-02", "check": "confirmed"},
            {"models": "Marker resumes after the previous page",
             "page": "DescribeDBParameters - Amazon Relational Database Service API Reference",
             "url": "https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_DescribeDBParameters.html",
             "quote": "If this parameter is specified, the response includes only records beyond the marker, up to the "
                      "value specified by MaxRecords.",
             "seen": "api-model",
             "checked": "2026-12-02", "check": "confirmed"},
            {"models": "an unknown group: DBParameterGroupNotFound (DescribeDBParameters, DescribeDBParameterGroups, "
                       "DeleteDBParameterGroup; moto's DescribeDBParameterGroups answers an empty list)",
             "page": "DescribeDBParameterGroups - Amazon Relational Database Service API Reference (Errors)",
             "url": "https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_DescribeDBParameterGroups.html",
             "quote": "DBParameterGroupName doesn't refer to an existing DB parameter group.",
             "seen": "api-model",
             "checked": "2026-12-02", "check": "confirmed"},
            {"models": "DeleteDBParameterGroup: not a default group",
             "page": "DeleteDBParameterGroup - Amazon Relational Database Service API Reference",
             "url": "https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_DeleteDBParameterGroup.html",
             "quote": "You can't delete a default DB parameter group",
             "seen": "api-model",
             "checked": "2026-12-02", "check": "confirmed"},
            {"models": "DeleteDBParameterGroup: not a group an instance uses (InvalidDBParameterGroupState)",
             "page": "DeleteDBParameterGroup - Amazon Relational Database Service API Reference",
             "url": "https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_DeleteDBParameterGroup.html",
             "quote": "The DB parameter group is in use or is in an invalid state. If you are attempting to delete the "
                      "parameter group, you can't delete it when the parameter group is in this state.",
             "seen": "api-model",
             "checked": "2026-12-02", "check": "confirmed",
             "note": "the text of InvalidDBParameterGroupStateFault, one of DeleteDBParameterGroup's two faults; the "
                     "operation's own text: 'The DB parameter group to be deleted can't be associated with any DB "
                     "instances.'"},
            {"models": "the log types of RDS for PostgreSQL (CreateDBInstance)",
             "page": "CreateDBInstance - Amazon Relational Database Service API Reference",
             "url": "https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_CreateDBInstance.html",
             "quote": "RDS for PostgreSQL - postgresql | upgrade | iam-db-auth-error",
             "seen": "api-model",
             "checked": "2026-12-02", "check": "confirmed",
             "note": "EnableCloudwatchLogsExports: 'The following values are valid for each DB engine:'"},
            {"models": "the log types of RDS for PostgreSQL (ModifyDBInstance)",
             "page": "ModifyDBInstance - Amazon Relational Database Service API Reference",
             "url": "https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_ModifyDBInstance.html",
             "quote": "RDS for PostgreSQL - postgresql | upgrade | iam-db-auth-error",
             "seen": "api-model",
             "checked": "2026-12-02", "check": "confirmed",
             "note": "CloudwatchLogsExportConfiguration; the shape's own EnableLogTypes and DisableLogTypes texts "
                     "still list 'RDS for PostgreSQL - postgresql | upgrade'"},
            {"models": "log exports change at once, whatever ApplyImmediately",
             "page": "ModifyDBInstance - Amazon Relational Database Service API Reference",
             "url": "https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_ModifyDBInstance.html",
             "quote": "A change to the CloudwatchLogsExportConfiguration parameter is always applied to the DB instance "
                      "immediately. Therefore, the ApplyImmediately parameter has no effect.",
             "seen": "api-model",
             "checked": "2026-12-02", "check": "confirmed"},
            {"models": "DescribeDBInstances EnabledCloudwatchLogsExports",
             "page": "DBInstance - Amazon Relational Database Service API Reference",
             "url": "https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_DBInstance.html",
             "quote": "A list of log types that this DB instance is configured to export to CloudWatch Logs.",
             "seen": "api-model",
             "checked": "2026-12-02", "check": "confirmed"},
            {"models": "CreateDBInstance (postgres) without EngineVersion: the engine's default version",
             "page": "Amazon RDS for PostgreSQL updates - Amazon Relational Database Service",
             "url": "https://docs.aws.amazon.com/AmazonRDS/latest/PostgreSQLReleaseNotes/postgresql-versions.html",
             "quote": "If no version is specified, Amazon RDS defaults to an available version, typically the most "
                      "recent version.",
             "seen": "mirror",
             "checked": "2026-12-02", "check": "confirmed"},
            {"models": "... the default DescribeDBEngineVersions gives (the one a new instance gets)",
             "page": "Amazon RDS for PostgreSQL updates - Amazon Relational Database Service",
             "url": "https://docs.aws.amazon.com/AmazonRDS/latest/PostgreSQLReleaseNotes/postgresql-versions.html",
             "quote": "To see a list of available versions, and also defaults for newly created DB instances, use "
                      "the describe-db-engine-versions AWS CLI command.",
             "seen": "mirror",
             "checked": "2026-12-02", "check": "confirmed",
             "note": "the page goes on: 'For example, to display the default PostgreSQL engine version, use the "
                     "following command.' aws rds describe-db-engine-versions --default-only --engine postgres"},
            {"models": "DescribeDBEngineVersions DefaultOnly: the engine's default version, or its major version's",
             "page": "DescribeDBEngineVersions - Amazon Relational Database Service API Reference",
             "url": "https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_DescribeDBEngineVersions.html",
             "quote": "Specifies whether to return only the default version of the specified engine or the engine "
                      "and major version combination.",
             "seen": "api-model",
             "checked": "2026-12-02", "check": "confirmed",
             "note": "the same text on the stored API reference page (docs); cmek's src/services/rds/tls.rs quotes "
                     "an older wording ('return just the default version of the database engine for the specified "
                     "engine or the engine and major version combination')"},
            {"models": "CreateDBCluster (aurora-postgresql) without EngineVersion: the engine's default version",
             "page": "Amazon Aurora versioning - Amazon Aurora",
             "url": "https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/Aurora.VersionPolicy.Versioning.html",
             "quote": "The default version is the version that Aurora chooses automatically for database creation "
                      "or upgrade when you don't manually specify a target engine version.",
             "seen": "pages",
             "seen_at": "https://ptop.only.wip.la/https/docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/Aurora.VersionPolicy.Versioning.html",
             "checked": "2026-12-02", "check": "confirmed",
             "note": "the page's example: aws rds describe-db-engine-versions --engine aurora-postgresql "
                     "--default-only (sample output 16.4)"},
            {"models": "DefaultOnly with a major version alone: that major's default minor version",
             "page": "Amazon Aurora versioning - Amazon Aurora",
             "url": "https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/Aurora.VersionPolicy.Versioning.html",
             "quote": "Every major version has a corresponding default minor version.",
             "seen": "pages",
             "seen_at": "https://ptop.only.wip.la/https/docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/Aurora.VersionPolicy.Versioning.html",
             "checked": "2026-12-02", "check": "confirmed"},
            {"models": "the major version (MajorEngineVersion, the family's postgres<major>): 17 of 17.4",
             "page": "PostgreSQL version numbers - Amazon Relational Database Service",
             "url": "https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_UpgradeDBInstance.PostgreSQL.VersionID.html",
             "quote": "For PostgreSQL versions 10 and higher, the engine version number is in the form major.minor. "
                      "The major version number is the integer part of the version number.",
             "seen": "mirror",
             "checked": "2026-12-02", "check": "confirmed"},
            {"models": "... and 9.6 of 9.6.24 (family postgres9.6)",
             "page": "PostgreSQL version numbers - Amazon Relational Database Service",
             "url": "https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_UpgradeDBInstance.PostgreSQL.VersionID.html",
             "quote": "For PostgreSQL versions lower than 10, the engine version number is in the form "
                      "major.major.minor. The major engine version number is both the integer and the first "
                      "fractional part of the version number. For example, 9.6 is a major version.",
             "seen": "mirror",
             "checked": "2026-12-02", "check": "confirmed"},
            {"models": "the family names: postgres<major>, aurora-postgresql<major>",
             "page": "CreateDBClusterParameterGroup - Amazon Relational Database Service API Reference",
             "url": "https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_CreateDBClusterParameterGroup.html",
             "quote": "Aurora PostgreSQL Example: aurora-postgresql14 RDS for MySQL Example: mysql8.0 RDS for "
                      "PostgreSQL Example: postgres13",
             "seen": "api-model",
             "checked": "2026-12-02", "check": "confirmed",
             "note": "DBParameterGroupFamily: headings and examples are separate paragraphs, joined here by a space"},
            {"models": "... before PostgreSQL 10 the family carries the two-part major version",
             "page": "CreateDBClusterParameterGroup - Amazon Relational Database Service API Reference",
             "url": "https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_CreateDBClusterParameterGroup.html",
             "quote": "Aurora PostgreSQL Example: aurora-postgresql9.6",
             "seen": "api-model",
             "checked": "2026-12-02", "check": "changed",
             "note": "kept on purpose in its old wording: the API reference text as shipped in the AWS SDKs' models "
                     "of 2019-2021 (e.g. aws-sdk-java's CreateDBClusterParameterGroupRequest, read in the public "
                     "code index); the current text gives aurora-postgresql14 (the citation above)"},
            {"models": "the fields of a DBEngineVersion: Engine, MajorEngineVersion, EngineVersion, "
                       "DBParameterGroupFamily, DBEngineDescription, DBEngineVersionDescription",
             "page": "Using SSL/TLS to encrypt a connection to a DB instance or cluster - Amazon Relational Database "
                     "Service",
             "url": "https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/UsingWithRDS.SSL.html",
             "quote": "\"Engine\": \"postgres\", \"MajorEngineVersion\": \"13\", \"EngineVersion\": \"13.4\", "
                      "\"DBParameterGroupFamily\": \"postgres13\", \"DBEngineDescription\": \"PostgreSQL\", "
                      "\"DBEngineVersionDescription\": \"PostgreSQL 13.4-R1\",",
             "seen": "mirror",
             "checked": "2026-12-02", "check": "confirmed",
             "note": "lines of the page's sample output of aws rds describe-db-engine-versions --default-only "
                     "--engine postgres ('Your output is similar to the following.'), joined by a space"},
            {"models": "Status available (the layer's versions are available ones)",
             "page": "DBEngineVersion - Amazon Relational Database Service API Reference",
             "url": "https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_DBEngineVersion.html",
             "quote": "The status of the DB engine version, either available or deprecated.",
             "seen": "api-model",
             "checked": "2026-12-02", "check": "confirmed"},
            {"models": "... and only available versions are listed unless IncludeAll",
             "page": "DescribeDBEngineVersions - Amazon Relational Database Service API Reference",
             "url": "https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_DescribeDBEngineVersions.html",
             "quote": "Specifies whether to also list the engine versions that aren't available. The default is to "
                      "list only available engine versions.",
             "seen": "api-model",
             "checked": "2026-12-02", "check": "confirmed"},
            {"models": "DescribeDBEngineVersions filters (db-parameter-group-family; engine, engine-version and status "
                       "alike)",
             "page": "DescribeDBEngineVersions - Amazon Relational Database Service API Reference",
             "url": "https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_DescribeDBEngineVersions.html",
             "quote": "db-parameter-group-family - Accepts parameter groups family names. The results list only "
                      "includes information about the DB engine versions for these parameter group families.",
             "seen": "api-model",
             "checked": "2026-12-02", "check": "confirmed"},
            {"models": "DescribeDBEngineVersions pages: MaxRecords 20 to 100 (default 100), a marker when more exist",
             "page": "DescribeDBEngineVersions - Amazon Relational Database Service API Reference",
             "url": "https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_DescribeDBEngineVersions.html",
             "quote": "If more than the MaxRecords value is available, a pagination token called a marker is "
                      "included in the response so you can retrieve the remaining results. Default: 100 Constraints: "
                      "Minimum 20, maximum 100.",
             "seen": "api-model",
             "checked": "2026-12-02", "check": "confirmed",
             "note": "MaxRecords: three paragraphs, joined here by a space"},
            {"models": "DescribeDBEngineVersions Marker resumes after the previous page",
             "page": "DescribeDBEngineVersions - Amazon Relational Database Service API Reference",
             "url": "https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_DescribeDBEngineVersions.html",
             "quote": "If this parameter is specified, the response includes only records beyond the marker, up to the "
                      "value specified by MaxRecords.",
             "seen": "api-model",
             "checked": "2026-12-02", "check": "confirmed"},
        ],
        "unconfirmed": [
            {"behaviour": "a default group default.postgres<N> (N 10 or more, or 9.x) is there before any instance of "
                          "the account uses it: DescribeDBParameters and DescribeDBParameterGroups answer for it, not "
                          "DBParameterGroupNotFound (the layer does not know which majors RDS offers)",
             "status": "unconfirmed",
             "probe": "rds-default-group-before-use", "answers": {"there": None},
             "searched": "Appendix.PostgreSQL.CommonDBATasks.Parameters.html runs describe-db-parameters on "
                         "default.postgres13 without saying when the group appears; USER_WorkingWithParamGroups: "
                         "nothing on when default groups are made"},
            {"behaviour": "DescribeDBParameters gives rds.force_ssl at its engine default with Source system "
                          "(rds_force_ssl_source_system 1) or engine-default (0), ParameterValue 1 or 0 (never "
                          "absent), ApplyType dynamic, DataType boolean, AllowedValues 0,1, IsModifiable true, "
                          "Description 'Force SSL connections.', no ApplyMethod",
             "status": "unconfirmed",
             "probe": "rds-force-ssl-default-source", "switch": "rds_force_ssl_source_system",
             "answers": {"system": 1, "engine-default": 0},
             "searched": "the SSL page and the parameter list give the value and Dynamic only; published "
                         "describe-db-cluster-parameters output for default.aurora-postgresql13 (a note in the public "
                         "code index) and an RDS for SQL Server sample show rds.force_ssl with Source system, DataType "
                         "boolean, AllowedValues 0,1 and Description 'Force SSL connections.'; none for RDS for "
                         "PostgreSQL 15+"},
            {"behaviour": "DescribeDBParameters lists, of a group's engine defaults, rds.force_ssl only (beside what "
                          "ModifyDBParameterGroup set)",
             "status": "not-documented",
             "probe": "rds-parameters-listed", "answers": {"force-ssl-only": None},
             "searched": "the layer knows no other parameter's default; cmek reads rds.force_ssl only",
             "aws_says": [
                 {"page": "Working with parameters on your RDS for PostgreSQL DB instance - Amazon Relational Database "
                          "Service",
                  "url": "https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/Appendix.PostgreSQL.CommonDBATasks.Parameters.html",
                  "quote": "To view all available parameters, you use the describe-db-parameters AWS CLI command.",
                  "seen": "mirror",
                  "checked": "2026-12-02", "check": "confirmed"}]},
            {"behaviour": "DescribeDBParameters with MaxRecords outside 20..100, a Source other than user, system or "
                          "engine-default, a filter other than parameter-name, or a Marker it did not issue answers "
                          "InvalidParameterValue",
             "status": "unconfirmed",
             "probe": "rds-describe-parameters-invalid-value", "answers": {"InvalidParameterValue": None},
             "searched": "API_DescribeDBParameters.html states the constraints and lists DBParameterGroupNotFoundFault "
                         "only"},
            {"behaviour": "ModifyDBParameterGroup or ResetDBParameterGroup of a default group answers "
                          "InvalidParameterValue 'Cannot modify a default parameter group.', changing nothing",
             "status": "unconfirmed",
             "probe": "rds-modify-default-parameter-group", "answers": {"InvalidParameterValue": None},
             "searched": "the user guide says default groups can't be changed; ModifyDBParameterGroup lists "
                         "DBParameterGroupNotFoundFault and InvalidDBParameterGroupStateFault; the code and message as "
                         "RDS answered a client in a public issue (ankane/pghero#66, 2016)"},
            {"behaviour": "DeleteDBParameterGroup of a default group answers InvalidDBParameterGroupState",
             "status": "unconfirmed",
             "probe": "rds-delete-default-parameter-group", "answers": {"InvalidDBParameterGroupState": None},
             "searched": "API_DeleteDBParameterGroup.html states the constraint and lists two faults; RDS's answer "
                         "'Default DBParameterGroup cannot be deleted: default.aurora-mysql5.7' "
                         "(InvalidDBParameterGroupState) in awsdocs/amazon-rds-user-guide#14 (2018)"},
            {"behaviour": "CreateDBInstance or ModifyDBInstance naming a group of another family than the engine "
                          "version's answers InvalidParameterCombination 'The parameter group <name> with "
                          "DBParameterGroupFamily <family> can't be used for this instance. Use a parameter group with "
                          "DBParameterGroupFamily <family>.', creating or changing nothing",
             "status": "unconfirmed",
             "probe": "rds-parameter-group-family-mismatch", "answers": {"InvalidParameterCombination": None},
             "searched": "the constraint is stated (ModifyDBInstance, CreateDBParameterGroup), the error is not; the "
                         "code and message as RDS answered clients in public issues (cloud-gov/aws-broker#291, "
                         "ModifyDBInstance, 2023; mattermost/mattermost-load-test-ng#707 and aws/aws-cdk#5126 for "
                         "Aurora)"},
            {"behaviour": "CreateDBInstance or ModifyDBInstance of a PostgreSQL instance with a log type other than "
                          "postgresql, upgrade or iam-db-auth-error (for every PostgreSQL version) answers "
                          "InvalidParameterCombination 'You cannot use the log types '<type>' with engine version "
                          "postgres <version>. For supported log types, see the documentation.'",
             "status": "unconfirmed",
             "probe": "rds-log-export-invalid-type", "answers": {"InvalidParameterCombination": None},
             "searched": "the API reference lists the valid types, not the error; DBEngineVersion.ExportableLogTypes "
                         "says each version has its own list; the code and message as RDS answered ModifyDBCluster in "
                         "public issues (awsdocs/amazon-rds-user-guide#80, hashicorp/terraform#22538, 2019)"},
            {"behaviour": "ModifyDBInstance disabling a log type that is not enabled, or enabling one that is, "
                          "succeeds and changes nothing (EnabledCloudwatchLogsExports lists each type once)",
             "status": "unconfirmed",
             "probe": "rds-log-export-idempotent", "answers": {"no-op": None},
             "searched": "API_ModifyDBInstance.html and API_CloudwatchLogsExportConfiguration.html: nothing on either "
                         "case"},
            {"behaviour": "the engine's default version is a stand-in: rds_default_postgres_version (default 17.4; a "
                          "test may set e.g. 14.12) for postgres and rds_default_aurora_postgresql_version (default "
                          "16.6) for aurora-postgresql, for all accounts or one; CreateDBInstance and CreateDBCluster "
                          "without EngineVersion use it and DescribeDBEngineVersions with DefaultOnly answers it, one "
                          "version per engine",
             "status": "unconfirmed",
             "probe": "rds-default-engine-version", "answers": {"one-version": None},
             "searched": "the release notes, the Aurora versioning page and the API reference say a default exists "
                         "and that DescribeDBEngineVersions shows it, never which it is: AWS's current default is "
                         "whatever DescribeDBEngineVersions DefaultOnly answers at the time (it changes as versions "
                         "are released and deprecated; the probe's detail names it, to set the settings to); the "
                         "settings are strings, not switches, and a report does not set them"},
            {"behaviour": "a DBEngineVersion lists Engine, MajorEngineVersion, EngineVersion, DBParameterGroupFamily, "
                          "DBEngineDescription ('PostgreSQL', 'Aurora (PostgreSQL)'), DBEngineVersionDescription "
                          "('PostgreSQL <version>-R1', 'Aurora PostgreSQL (Compatible with PostgreSQL <version>)') "
                          "and Status available, no other field",
             "status": "unconfirmed",
             "probe": "rds-engine-version-fields", "answers": {"descriptions-match": None},
             "searched": "the SSL/TLS page's sample output shows 'PostgreSQL' and 'PostgreSQL 13.4-R1' for 13.4 (an "
                         "R2 release of a version exists: the release notes list 17.6-R2); the Aurora wording only "
                         "in published outputs (a ValidUpgradeTarget Description 'Aurora PostgreSQL (Compatible with "
                         "PostgreSQL 15.5)' in ansible amazon.aws's rds_engine_versions_info sample, DBEngineDescription "
                         "'Aurora (PostgreSQL)' in its tests); the API reference documents the other "
                         "fields (ValidUpgradeTarget, ExportableLogTypes, SupportedFeatureNames, ...) the layer "
                         "leaves out"},
            {"behaviour": "DescribeDBEngineVersions lists any EngineVersion named that parses as one of the engine "
                          "(14.12, 9.6.24, 11.22-rds.20241121) as available, and without one only the default; a "
                          "major version alone (17, 9.6) lists the default when it is of that major, else nothing; "
                          "one that does not parse lists nothing",
             "status": "unconfirmed",
             "probe": "rds-engine-version-listed", "answers": {"listed": None},
             "searched": "the layer does not know which versions RDS offers, nor which are deprecated (a deprecated "
                         "version is not listed without IncludeAll); the release notes list the versions, the API "
                         "reference names no error for a version RDS does not have"},
            {"behaviour": "DescribeDBEngineVersions with MaxRecords outside 20..100 or a Marker it did not issue "
                          "answers InvalidParameterValue",
             "status": "unconfirmed",
             "probe": "rds-describe-engine-versions-invalid-value", "answers": {"InvalidParameterValue": None},
             "searched": "API_DescribeDBEngineVersions.html states the constraint and lists no error"},
        ],
    },
}
