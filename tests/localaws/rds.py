"""RDS as AWS documents it: instances and snapshots take time, use their keys through rds.<region>
(the master password secret through secretsmanager.<region>), hold a KMS grant on their storage
key, and become inaccessible when the key does, or when the grant is revoked (R12); Performance
Insights and the managed master password beside the storage key, and what a restore keeps of them
(R17)."""

import random
import re
import string
import threading
import time
import uuid

from core import CONFIG, PENDING, AwsError, _xml, setting
from kms import find_key, key_unusable, kms_backend, parse_key_ref, service_key_check


# ---------------------------------------------------------------------------------------------
# RDS (R12, R17): time, and the key used through the service

DISABLED_SEEN = {}  # (account, region, db id) -> when the layer first saw its key unusable
RECOVERABLE_SINCE = {}  # (account, region, db id) -> when it became ...-recoverable (R12: seven days)
STOPPED_AT = {}  # (account, region, db id) -> when StopDBInstance stopped it (R12: restarts after 7 days)
RDS_GRANTS = {}  # R12: (account, region, "db"|"snapshot", id) -> (key owner, key region, key id, grant id)
RDS_GRANT_OPERATIONS = ["Decrypt", "Encrypt", "GenerateDataKey", "GenerateDataKeyWithoutPlaintext", "ReEncryptFrom",
                        "ReEncryptTo", "CreateGrant", "RetireGrant", "DescribeKey"]


def rds_backend(account, region):
    from moto.rds.models import rds_backends
    return rds_backends[account][region]


RDS_KEYED = {"CreateDBInstance", "RestoreDBInstanceFromDBSnapshot", "CopyDBSnapshot", "ModifyDBInstance"}
INSIGHTS = {}  # R17: (account, region, db id) -> the ARN of the key Performance Insights uses
NEXT_SECRET = threading.local()  # R12: the master password secret this request's moto call creates
VALIDATION_VERSION = "RequestToValidateKeyAccess"  # R12: Secrets Manager's SecretVersionId in validation calls


def secret_plan(call):
    """R12: the master password secret a call creates (ManageMasterUserPassword true), named before
    moto sees the call so that Secrets Manager's key use is checked with the secret's own ARN:
    {"name", "suffix", "arn", "version"} (moto_patches creates the secret with exactly these), or the
    existing secret of the instance a ModifyDBInstance names ({"arn", "version"}), or None. The name
    rds!db-<uuid> and the 6-character suffix are a harness choice after the RDS guide's example ARN
    (arn:aws:secretsmanager:eu-west-1:123456789012:secret:rds!db-<uuid>-xmJRDx): AWS states no rule."""
    form = call.form
    if form.get("ManageMasterUserPassword") != "true":
        db = rds_backend(call.account, call.region).databases.get(form.get("DBInstanceIdentifier"))
        secret = getattr(db, "master_user_secret", None) if db is not None else None
        if secret is None:
            return None
        return {"arn": secret.secret_arn, "version": secret.secret.default_version_id}
    name = f"rds!db-{uuid.uuid4()}"
    suffix = "".join(random.choice(string.ascii_letters) for _ in range(6))
    return {"name": name, "suffix": suffix, "version": str(uuid.uuid4()),
            "arn": f"arn:aws:secretsmanager:{call.region}:{call.account}:secret:{name}-{suffix}"}


def take_planned_secret():
    """R12 (moto_patches): the planned secret of the request being served, once."""
    plan = getattr(NEXT_SECRET, "plan", None)
    NEXT_SECRET.plan = None
    return plan


def secret_key_uses(call, plan):
    """R12: Secrets Manager's own calls with the secret's key, each (actions, encryption context):
    GenerateDataKey and Decrypt validating access when the key is established (SecretVersionId
    RequestToValidateKeyAccess), and GenerateDataKey for the first secret value (its version id),
    both with SecretARN = the secret's ARN; without a plan (no secret), no encryption context."""
    if plan is None:
        return [(("GenerateDataKey", "Decrypt"), None)]
    return [(("GenerateDataKey", "Decrypt"), {"SecretARN": plan["arn"], "SecretVersionId": VALIDATION_VERSION}),
            (("GenerateDataKey",), {"SecretARN": plan["arn"], "SecretVersionId": plan["version"]})]


def secret_grant_context(call, plan):
    """R12, unconfirmed (secret_grant_encryption_context): the encryption context the CreateGrant for the
    secret's key carries: none (0, the default), or SecretARN = the secret's ARN (1)."""
    if plan is None or not setting("secret_grant_encryption_context", call.account):
        return None
    return {"SecretARN": plan["arn"]}


def rds_before(call):
    """R12 before the call."""
    NEXT_SECRET.plan = None
    op = call.operation
    form = call.form
    plan = secret_plan(call) if op in ("CreateDBInstance", "ModifyDBInstance",
                                       "RestoreDBInstanceFromDBSnapshot") else None
    rds_checks(call, op, form, plan)
    if plan is not None and "name" in plan:
        NEXT_SECRET.plan = plan  # R12: moto creates the secret the checks were made for


def rds_checks(call, op, form, plan):
    """R12, R17: the checks before the call (raise AwsError to refuse it)."""
    if op in RDS_KEYED:
        # R12. Storage and Performance Insights use the key through rds.<region>; the master password
        # secret is encrypted by Secrets Manager itself, through secretsmanager.<region> (RULES["R12"]),
        # and its key needs kms:CreateGrant too, through the service secret_grant_via_secretsmanager
        # names (1: secretsmanager, 0: rds; unconfirmed).
        grant_via = "secretsmanager" if setting("secret_grant_via_secretsmanager", call.account) else "rds"
        pi_ref = form.get("PerformanceInsightsKMSKeyId")
        if (pi_ref and op in ("CreateDBInstance", "ModifyDBInstance")
                and parse_key_ref(pi_ref, call.account, call.region)[0] != call.account
                and not setting("pi_cross_account_key", call.account)):
            # R17, unconfirmed (pi_cross_account_key 0): Performance Insights takes no key of another account.
            raise AwsError(400, "KMSKeyNotAccessibleFault",
                           f"The specified KMS key [{pi_ref}] for Performance Insights is in another account than "
                           f"{call.account}: Performance Insights can't use it.")
        # R12: Secrets Manager's calls carry its encryption context (SecretARN, SecretVersionId).
        uses = [("KmsKeyId", "rds", ("DescribeKey", "CreateGrant"), None)]
        uses += [("MasterUserSecretKmsKeyId", "secretsmanager", actions, context)
                 for actions, context in secret_key_uses(call, plan)]
        uses += [("MasterUserSecretKmsKeyId", grant_via, ("CreateGrant",), secret_grant_context(call, plan)),
                 ("PerformanceInsightsKMSKeyId", "rds", ("DescribeKey", "CreateGrant"), None)]
        for field, service, actions, context in uses:
            ref = form.get(field)
            if ref:
                problem = service_key_check(call, ref, service, actions, encryption_context=context)
                if problem:
                    raise AwsError(400, "KMSKeyNotAccessibleFault",
                                   f"The specified KMS key [{ref}] does not exist, is not enabled or you do not "
                                   f"have permissions to access it. ({problem[0]}: {problem[1]})")
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
            ident = (call.account, call.region, db.db_instance_identifier)
            if key_unusable(db.kms_key_id, call.account, call.region) or grant_revoked(ident):
                raise AwsError(400, "KMSKeyNotAccessibleFault", "The DB instance's KMS key is not accessible.")
            db.status = "stopped"
            DISABLED_SEEN.pop(ident, None)
            RECOVERABLE_SINCE.pop(ident, None)


def key_arn_of(ref, account, region):
    owner, kregion, kref = parse_key_ref(ref, account, region)
    key = find_key(owner, kregion, kref)
    return key.arn if key is not None else ref


def rds_after(call, status, out):
    """R12, R17 after the call; returns the response body (Performance Insights added to each
    DBInstance, which moto does not model)."""
    NEXT_SECRET.plan = None  # R12: used by now (or the call failed before creating the secret)
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
        if db is not None:
            rds_grant(call, "db", db.db_instance_identifier, db.kms_key_id)
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
            if op == "CopyDBSnapshot":
                rds_grant(call, "snapshot", name, snap.kms_key_id)
    elif op == "StopDBInstance":
        STOPPED_AT[ident] = now  # R12: "The instance restarts automatically after 7 days."
    elif op == "StartDBInstance":
        STOPPED_AT.pop(ident, None)
    return with_insights(call.account, call.region, out)


def rds_grant(call, kind, name, key_ref):
    """R12: the grant RDS creates on a customer managed key it accepted for storage ("generates a
    grant from the KMS key that it uses for the entire lifetime of the DB instance"): a real KMS
    grant in the key owner's account, grantee and retiring principal rds.<region>.amazonaws.com.
    Its name, rds:<account>:<db|snapshot>:<id>, is the layer's choice (a harness convention)."""
    if not key_ref:
        return None
    owner, region, ref = parse_key_ref(key_ref, call.account, call.region)
    key = find_key(owner, region, ref)
    if key is None or getattr(key, "key_manager", "CUSTOMER") != "CUSTOMER":
        return None
    principal = f"rds.{region}.amazonaws.com"
    grant_id, _token = kms_backend(owner, region).create_grant(
        key.id, principal, list(RDS_GRANT_OPERATIONS), f"rds:{call.account}:{kind}:{name}", None, principal)
    RDS_GRANTS[(call.account, call.region, kind, name)] = (owner, region, key.id, grant_id)
    return grant_id


def grant_revoked(ident):
    """R12, unconfirmed (rds_grant_revoked_inaccessible 1, the default, of the DB's account): the
    instance's RDS grant is gone (revoked or retired) while its key may still be enabled."""
    account, region, db_id = ident
    held = RDS_GRANTS.get((account, region, "db", db_id))
    if held is None or not setting("rds_grant_revoked_inaccessible", account):
        return False
    key = find_key(held[0], held[1], held[2])
    return key is not None and held[3] not in key.grants


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
        # Moto writes its own copy of these once ModifyDBInstance set them: one of each, as AWS.
        body = re.sub(rb"<PerformanceInsights(Enabled|KMSKeyId)>[^<]*</PerformanceInsights\1>", b"", m.group(1))
        return body + extra.encode() + m.group(3)
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
        ident = (account, region, db.db_instance_identifier)
        if db.status == "stopped" and ident in STOPPED_AT and now - STOPPED_AT[ident] >= CONFIG["rds_stop_restart"]:
            # R12: "The instance restarts automatically after 7 days." (rds_stop_restart seconds)
            del STOPPED_AT[ident]
            db.status = "available"
        if not db.kms_key_id or db.status in ("creating", "inaccessible-encryption-credentials"):
            continue
        if db.status == "inaccessible-encryption-credentials-recoverable":
            # R12: "If the DB instance isn't recovered within seven days, it goes into the terminal
            # inaccessible-encryption-credentials state." (rds_terminal seconds)
            since = RECOVERABLE_SINCE.setdefault(ident, now)
            if now - since >= CONFIG["rds_terminal"]:
                db.status = "inaccessible-encryption-credentials"
                RECOVERABLE_SINCE.pop(ident, None)
            continue
        if not db.backup_retention_period:
            # R12: "DB instances with disabled backups remain available until the volumes are detached
            # from the host during an instance modification or a recovery" (the detach is not modelled).
            DISABLED_SEEN.pop(ident, None)
            continue
        if key_unusable(db.kms_key_id, account, region) or grant_revoked(ident):
            # R12: "2 hours after detection in instances where backups are enabled" (rds_inaccessible
            # seconds stand for detection and the two hours: a harness timing).
            first = DISABLED_SEEN.setdefault(ident, now)
            if now - first >= CONFIG["rds_inaccessible"]:
                if db.is_replica or db.replicas:
                    # R12, unconfirmed: the recoverable state "is not applicable to instances that can't
                    # stop, such as read replicas and instances with read replicas"; the layer makes them
                    # terminal at once.
                    db.status = "inaccessible-encryption-credentials"
                else:
                    db.status = "inaccessible-encryption-credentials-recoverable"
                    RECOVERABLE_SINCE[ident] = now
        else:
            DISABLED_SEEN.pop(ident, None)
