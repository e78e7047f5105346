"""RDS as AWS documents it: instances and snapshots take time, use their keys through rds.<region>
(the master password secret through secretsmanager.<region>), hold a KMS grant on their storage
key, and become inaccessible when the key does, or when the grant is revoked (R12); Performance
Insights and the managed master password beside the storage key, and what a restore keeps of them
(R17); automated backups, retained after DeleteDBInstance or not, and what stays of an instance's
snapshots once it is gone (R20); its hooks call rds_params.py for DB parameter groups and log exports
(R31)."""

import base64
import datetime
import json
import random
import re
import string
import threading
import time
import urllib.parse
import uuid

from core import CONFIG, PENDING, AwsError, _xml, setting
from kms import find_key, key_unusable, kms_backend, parse_key_ref, service_key_check
from rds_params import ENGINE_OPS, PARAM_OPS, engine_versions_handle, params_after, params_before, params_handle
from rds_cluster import (CLUSTER_OPS, cluster_after, cluster_before, cluster_instance_check, cluster_settle,
                         instances_body, with_encryption_type)


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
    """R12, R20 before the call; returns the body for moto."""
    NEXT_SECRET.plan = None
    op = call.operation
    form = call.form
    if op in CLUSTER_OPS:
        return cluster_before(call)  # R25
    params_before(call)  # R31: parameter groups, their families, log exports (may rewrite call.body)
    if op == "CreateDBInstance":
        cluster_instance_check(call)  # R25: an instance of a restored cluster waits for it
    plan = secret_plan(call) if op in ("CreateDBInstance", "ModifyDBInstance",
                                       "RestoreDBInstanceFromDBSnapshot") else None
    rds_checks(call, op, form, plan)
    if plan is not None and "name" in plan:
        NEXT_SECRET.plan = plan  # R12: moto creates the secret the checks were made for
    body = backups_before(call)
    if op == "DescribeDBInstances":
        cluster_settle(call.account, call.region)  # R25: a cluster's instances follow it
        body = instances_body(call, body)
    return body


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
    if op.startswith("Describe") or op in ("StartDBInstance", "ModifyDBInstance", "CreateDBSnapshot",
                                           "DeleteDBSnapshot", "CopyDBSnapshot", "ModifyDBSnapshotAttribute"):
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
    if call.operation in CLUSTER_OPS:
        return cluster_after(call, status, out)  # R25
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
        if db is not None and not getattr(db, "db_cluster_identifier", None):
            # R25: an instance of a cluster uses the cluster's key, and the cluster holds the grant.
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
    out = backups_after(call, backend, out)
    out = params_after(call, out)  # R31: ParameterApplyStatus, DBParameterGroups
    return with_encryption_type(with_insights(call.account, call.region, out))  # R25: cluster instances too


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
        if getattr(db, "db_cluster_identifier", None):
            continue  # R25: a cluster's instance follows its cluster (rds_cluster.cluster_settle)
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


# ---------------------------------------------------------------------------------------------
# R20: automated backups (DescribeDBInstanceAutomatedBackups, DeleteDBInstanceAutomatedBackup: moto
# has only a thin view built from automated snapshots, and no delete), kept or not by
# DeleteDBInstance, and what stays of an instance's snapshots once it is gone

RDS_NS = "http://rds.amazonaws.com/doc/2014-10-31/"
BACKUPS = {}  # R20: (account, region, DbiResourceId) -> AutomatedBackup
BACKUP_CHARS = string.ascii_uppercase + string.digits


class AutomatedBackup:
    """R20: one instance's automated backup: active (creating until the instance is first
    available) while the instance exists, retained after DeleteDBInstance with DeleteAutomatedBackups
    false (the instance's properties as they were then: moto's instance object, no longer changed),
    deleting for rds_backup_delete seconds after DeleteDBInstanceAutomatedBackup, then gone."""

    def __init__(self, account, region, db, now):
        self.account, self.region, self.db = account, region, db
        self.dbi = db.dbi_resource_id
        # Harness: AWS shows only example ARNs (auto-backup:ab-L2IJCEXJP7XQ7HOJ4SIEXAMPLE).
        self.arn = (f"arn:aws:rds:{region}:{account}:auto-backup:ab-"
                    + "".join(random.choice(BACKUP_CHARS) for _ in range(26)))
        self.created = now
        self.deleted = None
        self.deleting_until = None

    def status(self):
        if self.deleting_until is not None:
            return "deleting"
        if self.deleted is not None:
            return "retained"
        return "creating" if self.db.status == "creating" else "active"

    def xml(self, now):
        db, status = self.db, self.status()
        arn = f"arn:aws:rds:{self.region}:{self.account}:db:{db.db_instance_identifier}"
        encrypted = bool(getattr(db, "storage_encrypted", False))
        window = ""
        if status != "creating":
            window = (f"<RestoreWindow><EarliestTime>{_iso(self.created)}</EarliestTime>"
                      f"<LatestTime>{_iso(self.deleted or now)}</LatestTime></RestoreWindow>")
        fields = [("DBInstanceArn", arn), ("DbiResourceId", self.dbi), ("Region", self.region),
                  ("DBInstanceIdentifier", db.db_instance_identifier)]
        out = "".join(f"<{k}>{_xml(v)}</{k}>" for k, v in fields) + window
        fields = [("AllocatedStorage", db.allocated_storage), ("Status", status), ("Port", db.port),
                  ("AvailabilityZone", db.availability_zone), ("InstanceCreateTime", _iso(db.created)),
                  ("MasterUsername", db.master_username), ("Engine", db.engine),
                  ("EngineVersion", db.engine_version), ("LicenseModel", db.license_model),
                  ("Iops", db.iops), ("Encrypted", str(encrypted).lower()), ("StorageType", db.storage_type),
                  ("KmsKeyId", db.kms_key_id if encrypted else None),
                  ("IAMDatabaseAuthenticationEnabled",
                   str(bool(getattr(db, "enable_iam_database_authentication", False))).lower()),
                  ("BackupRetentionPeriod", db.backup_retention_period),
                  ("PreferredBackupWindow", getattr(db, "preferred_backup_window", None)),
                  ("DBInstanceAutomatedBackupsArn", self.arn), ("BackupTarget", "region")]
        out += "".join(f"<{k}>{_xml(v)}</{k}>" for k, v in fields if v not in (None, ""))
        return f"<DBInstanceAutomatedBackup>{out}</DBInstanceAutomatedBackup>"


def _iso(t):
    """An RDS timestamp (ISO 8601, UTC, milliseconds): from Unix seconds or moto's naive UTC datetime."""
    if isinstance(t, datetime.datetime):
        t = t.replace(tzinfo=datetime.timezone.utc) if t.tzinfo is None else t
    else:
        t = datetime.datetime.fromtimestamp(float(t), datetime.timezone.utc)
    return t.astimezone(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


def form_list(form, prefix):
    """The values of a Query-protocol list (prefix.1, prefix.2, ...)."""
    out, i = [], 1
    while f"{prefix}.{i}" in form:
        out.append(form[f"{prefix}.{i}"])
        i += 1
    return out


def form_filters(form):
    """{filter name: [values]} of a Query-protocol Filters list."""
    out, i = {}, 1
    while f"Filters.Filter.{i}.Name" in form:
        out.setdefault(form[f"Filters.Filter.{i}.Name"], []).extend(form_list(form, f"Filters.Filter.{i}.Values.Value"))
        i += 1
    return out


def rds_response(op, inner):
    rid = str(uuid.uuid4())
    body = (f'<{op}Response xmlns="{RDS_NS}"><{op}Result>{inner}</{op}Result>'
            f"<ResponseMetadata><RequestId>{rid}</RequestId></ResponseMetadata></{op}Response>").encode()
    return 200, [("Content-Type", "text/xml"), ("x-amzn-RequestId", rid), ("Content-Length", str(len(body)))], body


def expire_backups(now):
    """R20: a deleted automated backup is gone once its rds_backup_delete seconds have passed."""
    for k, b in list(BACKUPS.items()):
        if b.deleting_until is not None and now >= b.deleting_until:
            BACKUPS.pop(k, None)


def rds_handle(call):
    """R20: DescribeDBInstanceAutomatedBackups and DeleteDBInstanceAutomatedBackup, answered by the
    layer, as are R31's DescribeDBParameters and DescribeDBEngineVersions (other RDS calls go to moto).
    Returns a WSGI triple, or None to forward."""
    op = call.operation
    if op in PARAM_OPS:
        return params_handle(call)  # R31: DescribeDBParameters
    if op in ENGINE_OPS:
        return engine_versions_handle(call)  # R31: DescribeDBEngineVersions (None: moto answers)
    if op not in ("DescribeDBInstanceAutomatedBackups", "DeleteDBInstanceAutomatedBackup"):
        return None
    form, now = call.form, time.time()
    # An instance still creating has a creating backup (only the instance named, when one is).
    rds_settle(call.account, call.region, form.get("DBInstanceIdentifier"))
    expire_backups(now)
    mine = [b for b in BACKUPS.values() if b.account == call.account and b.region == call.region]
    dbi, arn = form.get("DbiResourceId"), form.get("DBInstanceAutomatedBackupsArn")
    if op == "DeleteDBInstanceAutomatedBackup":
        if not dbi and not arn:
            raise AwsError(400, "InvalidParameterCombination", "DbiResourceId or DBInstanceAutomatedBackupsArn is required")
        found = [b for b in mine if (not dbi or b.dbi.lower() == dbi.lower()) and (not arn or b.arn == arn)]
        if not found:
            raise AwsError(404, "DBInstanceAutomatedBackupNotFound",
                           f"No automated backup found for {dbi or arn}.")
        backup = found[0]
        if backup.status() != "retained":
            # R20: "The automated backup is in an invalid state. For example, this automated backup is
            # associated with an active instance."
            raise AwsError(400, "InvalidDBInstanceAutomatedBackupState",
                           f"The automated backup {backup.dbi} is {backup.status()}: only a retained automated "
                           "backup can be deleted.")
        backend = rds_backend(call.account, call.region)
        for name, snap in list(backend.database_snapshots.items()):
            if snap.snapshot_type == "automated" and snap.dbi_resource_id == backup.dbi:
                del backend.database_snapshots[name]  # its system snapshots go with it
        backup.deleting_until = now + CONFIG["rds_backup_delete"]
        return rds_response(op, backup.xml(now))
    ident = form.get("DBInstanceIdentifier")
    found = [b for b in mine if (not dbi or b.dbi.lower() == dbi.lower()) and (not arn or b.arn == arn)
             and (not ident or b.db.db_instance_identifier.lower() == ident.lower())]
    for name, values in form_filters(form).items():
        wanted = {v.lower() for v in values}
        if name == "status":
            found = [b for b in found if b.status() in wanted]
        elif name == "db-instance-id":
            found = [b for b in found if {b.db.db_instance_identifier.lower(), f"arn:aws:rds:{b.region}:{b.account}:db:"
                                          f"{b.db.db_instance_identifier}".lower()} & wanted]
        elif name == "dbi-resource-id":
            found = [b for b in found if {b.dbi.lower(), b.arn.lower()} & wanted]
        else:
            raise AwsError(400, "InvalidParameterValue", f"Unrecognized filter name: {name}")
    if (dbi or arn or ident) and not found:
        # R20, unconfirmed (rds-automated-backup-not-found): a named backup that is not there.
        raise AwsError(404, "DBInstanceAutomatedBackupNotFound",
                       f"No automated backup found for {dbi or arn or ident}.")
    found.sort(key=lambda b: (b.created, b.dbi))
    marker = form.get("Marker")
    if marker:
        try:
            after = json.loads(base64.urlsafe_b64decode(marker.encode()).decode())
        except ValueError:
            raise AwsError(400, "InvalidParameterValue", "The marker is not valid")
        found = [b for b in found if [b.created, b.dbi] > after]
    limit = int(form.get("MaxRecords") or 100)
    page, rest = found[:limit], found[limit:]
    inner = "<DBInstanceAutomatedBackups>" + "".join(b.xml(now) for b in page) + "</DBInstanceAutomatedBackups>"
    if rest:
        token = base64.urlsafe_b64encode(json.dumps([page[-1].created, page[-1].dbi]).encode()).decode()
        inner += f"<Marker>{token}</Marker>"
    return rds_response(op, inner)


def backups_before(call):
    """R20 before the call: the checks AWS documents, what DeleteDBInstance and ModifyDBInstance
    change (remembered for after the call); returns the body for moto (DescribeDBSnapshots'
    DbiResourceId, which moto ignores, as its dbi-resource-id filter)."""
    op, form = call.operation, call.form
    backend = rds_backend(call.account, call.region)
    body = call.body
    if op == "DescribeDBSnapshots" and form.get("DbiResourceId"):
        n = 1
        while f"Filters.Filter.{n}.Name" in form:
            n += 1
        body += ("&" if body else "").encode() + urllib.parse.urlencode(
            {f"Filters.Filter.{n}.Name": "dbi-resource-id",
             f"Filters.Filter.{n}.Values.Value.1": form["DbiResourceId"]}).encode()
    elif op == "DeleteDBInstance":
        call.rds_deleted_db = backend.databases.get(form.get("DBInstanceIdentifier"))
    elif op == "ModifyDBInstance":
        db = backend.databases.get(form.get("DBInstanceIdentifier"))
        call.rds_retention_before = db.backup_retention_period if db is not None else None
    elif op == "DeleteDBSnapshot":
        snap = backend.database_snapshots.get(form.get("DBSnapshotIdentifier"))
        if snap is not None and snap.status != "available":
            # R20: "The DB snapshot must be in the available state to be deleted."
            raise AwsError(400, "InvalidDBSnapshotState",
                           f"Cannot delete the snapshot because it is not in the available state ({snap.status}).")
    elif op == "ModifyDBSnapshotAttribute" and form.get("AttributeName") == "restore":
        snap = backend.database_snapshots.get(form.get("DBSnapshotIdentifier"))
        if snap is not None and snap.encrypted and "all" in form_list(form, "ValuesToAdd.AttributeValue"):
            # R20: an encrypted manual snapshot is shared "only by specifying a list of authorized AWS
            # account IDs"; the error code is unconfirmed (rds-share-encrypted-snapshot-all).
            raise AwsError(400, "InvalidParameterValue",
                           "An encrypted DB snapshot can't be made public: share it with account IDs only.")
    return body


def backups_after(call, backend, out):
    """R20 after a call that succeeded; returns the response body."""
    op, form, now = call.operation, call.form, time.time()
    if op in ("CreateDBInstance", "RestoreDBInstanceFromDBSnapshot"):
        db = backend.databases.get(form.get("DBInstanceIdentifier"))
        if db is None:
            return out
        if getattr(db, "db_cluster_identifier", None):
            # R25: "Aurora backs up your cluster volume": an instance of a cluster has no automated
            # backup of its own (moto takes an instance snapshot of it).
            drop_automated_snapshots(backend, db.dbi_resource_id)
            return out
        if op == "RestoreDBInstanceFromDBSnapshot" and form.get("BackupRetentionPeriod") is not None:
            # Moto keeps the source's period when the request asks for 0 (it drops falsy overrides).
            db.backup_retention_period = int(form["BackupRetentionPeriod"])
            out = re.sub(rb"<BackupRetentionPeriod>\d+</BackupRetentionPeriod>",
                         f"<BackupRetentionPeriod>{db.backup_retention_period}</BackupRetentionPeriod>".encode(),
                         out, count=1)
        if db.backup_retention_period:
            BACKUPS[(call.account, call.region, db.dbi_resource_id)] = AutomatedBackup(call.account, call.region,
                                                                                      db, now)
            ready = PENDING.get(("rds-db", call.account, call.region, db.db_instance_identifier))
            for name, snap in automated_snapshots(backend, db.dbi_resource_id):
                if ready is not None:  # its first system snapshot is there once the instance is
                    snap.status = "creating"
                    PENDING[("rds-snap", call.account, call.region, name)] = ready
        else:
            drop_automated_snapshots(backend, db.dbi_resource_id)  # moto takes one whatever the period
    elif op == "DeleteDBInstance":
        db = getattr(call, "rds_deleted_db", None)
        if db is None:
            return out
        key = (call.account, call.region, db.dbi_resource_id)
        backup = BACKUPS.get(key)
        # R20: "The default is to remove automated backups immediately after the DB instance is deleted."
        if backup is not None and form.get("DeleteAutomatedBackups", "true").lower() == "false":
            backup.deleted = now
        else:
            BACKUPS.pop(key, None)
            drop_automated_snapshots(backend, db.dbi_resource_id)
    elif op == "ModifyDBInstance":
        db = backend.databases.get(form.get("DBInstanceIdentifier"))
        before = getattr(call, "rds_retention_before", None)
        if db is None or before is None:
            return out
        key = (call.account, call.region, db.dbi_resource_id)
        if before and not db.backup_retention_period:
            # R20: "Disabling automatic backups for a DB instance deletes all existing automated backups
            # for the instance."
            BACKUPS.pop(key, None)
            drop_automated_snapshots(backend, db.dbi_resource_id)
        elif not before and db.backup_retention_period and key not in BACKUPS:
            # R20: "When automated backups are enabled, ... a backup is immediately created."
            BACKUPS[key] = AutomatedBackup(call.account, call.region, db, now)
            name = f"rds:{db.db_instance_identifier}-{time.strftime('%Y-%m-%d-%H-%M', time.gmtime(now))}"
            if name not in backend.database_snapshots:
                backend.create_auto_snapshot(db.db_instance_identifier, name)
    elif op == "DescribeDBSnapshots" and not setting("rds_retained_snapshots_listed", call.account):
        names = form_filters(form)
        if not (form.get("DbiResourceId") or form.get("DBSnapshotIdentifier") or "dbi-resource-id" in names
                or "db-snapshot-id" in names):
            out = hide_retained_snapshots(call, out)
    return out


def automated_snapshots(backend, dbi):
    return [(name, snap) for name, snap in list(backend.database_snapshots.items())
            if snap.snapshot_type == "automated" and snap.dbi_resource_id == dbi]


def drop_automated_snapshots(backend, dbi):
    for name, _ in automated_snapshots(backend, dbi):
        backend.database_snapshots.pop(name, None)


DB_SNAPSHOT = re.compile(rb"<DBSnapshot>.*?</DBSnapshot>", re.S)


def hide_retained_snapshots(call, out):
    """R20, unconfirmed (rds_retained_snapshots_listed 0, the default): the system snapshots of a
    retained automated backup are not listed by DescribeDBSnapshots unless it names their
    DbiResourceId (or a snapshot identifier); 1: listed as any automated snapshot."""
    retained = {b.dbi for b in BACKUPS.values() if b.account == call.account and b.region == call.region
                and b.deleted is not None}
    if not retained:
        return out

    def keep(m):
        block = m.group(0)
        kind = re.search(rb"<SnapshotType>([^<]*)</SnapshotType>", block)
        dbi = re.search(rb"<DbiResourceId>([^<]*)</DbiResourceId>", block)
        if kind and kind.group(1) == b"automated" and dbi and dbi.group(1).decode() in retained:
            return b""
        return block
    return DB_SNAPSHOT.sub(keep, out)
