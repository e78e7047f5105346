"""Removing what a run created: from its journal and by finding every resource of both accounts
whose name holds cmek-conformance-<run id> or whose tag cmek-conformance is the run id. Idempotent:
a resource already gone (or deleting, or a key pending deletion) counts as removed."""

import json
import os
import sys
import time

from botocore.exceptions import ClientError

from . import cleanup_cluster, cleanup_messaging
from .discover import discover, find_grants
from .run import IAM_PATH, code_of

ORDER = ["batch-job", "firehose-stream", "rds-cluster-instance", "rds-instance", "rds-automated-backup", "rds-snapshot",
         "rds-cluster", "rds-cluster-snapshot", "cfn-stack", "sns-topic", "sqs-queue",
         "s3-bucket", "iam-role", "iam-policy", "kms-grant", "kms-key"]
GONE = {"NoSuchBucket", "NoSuchEntity", "NotFoundException", "ResourceNotFoundException", "DBInstanceNotFound",
        "DBInstanceNotFoundFault", "DBSnapshotNotFound", "DBSnapshotNotFoundFault", "DBInstanceAutomatedBackupNotFound",
        "DBInstanceAutomatedBackupNotFoundFault", "NoSuchJob", "DBClusterNotFoundFault", "DBClusterSnapshotNotFoundFault",
        "NoSuchJobException", "InvalidGrantIdException", "ValidationError", "404"}
TERMINAL_JOB = ("Complete", "Failed", "Cancelled", "Cancelling", "Completing", "Failing")


def log(msg):
    print(f"aws-conformance: {msg}", file=sys.stderr, flush=True)


def read_journal(path):
    """The resources a journal names (the last line about each wins), in creation order."""
    out = {}
    if not os.path.exists(path):
        return []
    with open(path) as f:
        for line in f:
            try:
                ev = json.loads(line)
            except ValueError:
                continue  # a line cut short by a crash
            k = (ev.get("kind"), ev.get("account"), ev.get("name") or ev.get("id"))
            cur = out.setdefault(k, {})
            cur.update({x: v for x, v in ev.items() if x not in ("event", "t") and v is not None})
    return list(out.values())


def key_of(res):
    return (res["kind"], res["account"], res.get("id") or res.get("name"))


def merge(*lists):
    seen, out = {}, []
    for lst in lists:
        for res in lst:
            k = key_of(res)
            if k in seen:
                seen[k].update({x: v for x, v in res.items() if v is not None})
            else:
                seen[k] = dict(res)
                out.append(seen[k])
    # a journal entry whose id was never written is the same resource as one found by its name
    named = {(r["kind"], r["account"], r.get("name")): r for r in out if r.get("id") and r.get("name")}
    return [r for r in out if r.get("id") or (r["kind"], r["account"], r.get("name")) not in named]


# -----------------------------------------------------------------------------------------------
# Removing them


def cleanup(run, known, wait):
    """Removes `known` plus whatever discovery finds; returns what is still there."""
    resources = merge(known, discover(run))
    resources = merge(resources, find_grants(run, [r for r in resources if r["kind"] == "kms-key"]))
    for kind in ORDER:
        for res in [r for r in resources if r["kind"] == kind]:
            try:
                REMOVE[kind](run, res, wait)
                run.journal(dict(res, event="removed"))
            except Exception as e:  # noqa: BLE001  (keep removing the rest)
                why = code_of(e) if isinstance(e, ClientError) else f"{type(e).__name__}: {e}"
                res["error"] = why
                log(f"could not remove {kind} {res.get('id') or res.get('name')}: {why}")
    left = []
    for res in merge(resources, discover(run)):
        try:
            if PRESENT[res["kind"]](run, res):
                left.append({k: v for k, v in res.items() if k in ("kind", "account", "role", "id", "name", "key",
                                                                 "error")})
        except ClientError as e:
            left.append(dict(kind=res["kind"], account=res["account"], id=res.get("id"), name=res.get("name"),
                             error=f"could not check: {code_of(e)}"))
    return left


def _retry(run, fn, busy, wait):
    """fn(), retried while AWS answers one of the `busy` codes (the resource is still changing)."""
    deadline = time.monotonic() + wait
    while True:
        try:
            return fn()
        except ClientError as e:
            if code_of(e) in GONE:
                return None
            if code_of(e) not in busy or time.monotonic() > deadline:
                raise
            time.sleep(0.2 if run.endpoint else 5)


def _rm_job(run, res, wait):
    if not res.get("id"):
        return  # CreateJob refused it (or never answered: then found by its description)
    acct = run.account(res["account"])
    job = acct.s3control.describe_job(AccountId=acct.id, JobId=res["id"])["Job"]
    if job["Status"] not in TERMINAL_JOB:
        acct.s3control.update_job_status(AccountId=acct.id, JobId=res["id"], RequestedJobStatus="Cancelled",
                                         StatusUpdateReason="cmek-conformance cleanup")


def _job_present(run, res):
    if not res.get("id"):
        return False
    acct = run.account(res["account"])
    try:
        return acct.s3control.describe_job(AccountId=acct.id, JobId=res["id"])["Job"]["Status"] not in TERMINAL_JOB
    except ClientError as e:
        if code_of(e) in GONE:
            return False
        raise


def _rm_stream(run, res, wait):
    acct = run.account(res["account"])
    _retry(run, lambda: acct.firehose.delete_delivery_stream(DeliveryStreamName=res["id"], AllowForceDelete=True),
           ("ResourceInUseException",), wait)


def _stream_present(run, res):
    acct = run.account(res["account"])
    try:
        d = acct.firehose.describe_delivery_stream(DeliveryStreamName=res["id"])["DeliveryStreamDescription"]
        return d["DeliveryStreamStatus"] != "DELETING"
    except ClientError as e:
        if code_of(e) in GONE:
            return False
        raise


def _rm_instance(run, res, wait):
    acct = run.account(res["account"])
    try:
        db = acct.rds.describe_db_instances(DBInstanceIdentifier=res["id"])["DBInstances"][0]
    except ClientError as e:
        if code_of(e) in GONE:
            return
        raise
    if db["DBInstanceStatus"] == "deleting":
        return
    if db.get("DeletionProtection"):
        acct.rds.modify_db_instance(DBInstanceIdentifier=res["id"], DeletionProtection=False, ApplyImmediately=True)
    _retry(run, lambda: acct.rds.delete_db_instance(DBInstanceIdentifier=res["id"], SkipFinalSnapshot=True,
                                               DeleteAutomatedBackups=True),
           ("InvalidDBInstanceState", "InvalidDBInstanceStateFault"), wait)


def _instance_present(run, res):
    acct = run.account(res["account"])
    try:
        db = acct.rds.describe_db_instances(DBInstanceIdentifier=res["id"])["DBInstances"][0]
        return db["DBInstanceStatus"] != "deleting"
    except ClientError as e:
        if code_of(e) in GONE:
            return False
        raise


def _rm_snapshot(run, res, wait):
    acct = run.account(res["account"])
    _retry(run, lambda: acct.rds.delete_db_snapshot(DBSnapshotIdentifier=res["id"]),
           ("InvalidDBSnapshotState", "InvalidDBSnapshotStateFault"), wait)


def _snapshot_present(run, res):
    acct = run.account(res["account"])
    try:
        s = acct.rds.describe_db_snapshots(DBSnapshotIdentifier=res["id"])["DBSnapshots"]
        return bool(s) and s[0]["Status"] != "deleting"
    except ClientError as e:
        if code_of(e) in GONE:
            return False
        raise


def _backup_status(acct, dbi):
    """A retained automated backup's status, None once it is gone."""
    try:
        found = acct.rds.describe_db_instance_automated_backups(DbiResourceId=dbi)["DBInstanceAutomatedBackups"]
    except ClientError as e:
        if code_of(e) in GONE:
            return None
        raise
    return found[0]["Status"] if found else None


def _rm_backup(run, res, wait):
    """A retained automated backup (its instance deleted with DeleteAutomatedBackups false)."""
    if not res.get("id"):
        return
    acct = run.account(res["account"])
    if _backup_status(acct, res["id"]) in (None, "deleting"):
        return
    _retry(run, lambda: acct.rds.delete_db_instance_automated_backup(DbiResourceId=res["id"]),
           ("InvalidDBInstanceAutomatedBackupState", "InvalidDBInstanceAutomatedBackupStateFault"), wait)


def _backup_present(run, res):
    if not res.get("id"):
        return False
    return _backup_status(run.account(res["account"]), res["id"]) not in (None, "deleting")


def _rm_stack(run, res, wait):
    acct = run.account(res["account"])
    acct.cloudformation.delete_stack(StackName=res["id"])
    deadline = time.monotonic() + wait
    while _stack_present(run, res) and time.monotonic() < deadline:
        time.sleep(0.2 if run.endpoint else 5)


def _stack_present(run, res):
    acct = run.account(res["account"])
    try:
        s = acct.cloudformation.describe_stacks(StackName=res["id"])["Stacks"]
        return bool(s) and s[0]["StackStatus"] != "DELETE_COMPLETE"
    except ClientError as e:
        if code_of(e) in GONE:
            return False
        raise


def _rm_bucket(run, res, wait):
    acct = run.account(res["account"])
    s3, name = acct.s3, res["id"]

    def empty_and_delete():
        for page in s3.get_paginator("list_multipart_uploads").paginate(Bucket=name):
            for u in page.get("Uploads", []):
                s3.abort_multipart_upload(Bucket=name, Key=u["Key"], UploadId=u["UploadId"])
        for page in s3.get_paginator("list_object_versions").paginate(Bucket=name):
            objs = [{"Key": v["Key"], "VersionId": v["VersionId"]}
                    for v in page.get("Versions", []) + page.get("DeleteMarkers", [])]
            for i in range(0, len(objs), 1000):
                # R28: versions under an Object Lock GOVERNANCE retention (the probes use no COMPLIANCE).
                s3.delete_objects(Bucket=name, Delete={"Objects": objs[i:i + 1000], "Quiet": True},
                                  BypassGovernanceRetention=True)
        s3.delete_bucket(Bucket=name)
    # BucketNotEmpty: a stream or a job still delivering as it goes away; empty it again.
    _retry(run, empty_and_delete, ("BucketNotEmpty",), min(wait, 300))


def _bucket_present(run, res):
    acct = run.account(res["account"])
    return any(b["Name"] == res["id"] for b in acct.s3.list_buckets().get("Buckets", []))


def _rm_role(run, res, wait):
    iam = run.account(res["account"]).iam
    name = res["id"]
    try:
        for p in iam.list_role_policies(RoleName=name)["PolicyNames"]:
            iam.delete_role_policy(RoleName=name, PolicyName=p)
        for p in iam.list_attached_role_policies(RoleName=name)["AttachedPolicies"]:
            iam.detach_role_policy(RoleName=name, PolicyArn=p["PolicyArn"])
        iam.delete_role(RoleName=name)
    except ClientError as e:
        if code_of(e) not in GONE:
            raise


def _role_present(run, res):
    try:
        run.account(res["account"]).iam.get_role(RoleName=res["id"])
        return True
    except ClientError as e:
        if code_of(e) in GONE:
            return False
        raise


def _rm_policy(run, res, wait):
    iam = run.account(res["account"]).iam
    arn = res.get("id") or f"arn:aws:iam::{res['account']}:policy{IAM_PATH}{res['name']}"
    try:
        ents = iam.list_entities_for_policy(PolicyArn=arn)
        for r in ents.get("PolicyRoles", []):
            iam.detach_role_policy(RoleName=r["RoleName"], PolicyArn=arn)
        for u in ents.get("PolicyUsers", []):
            iam.detach_user_policy(UserName=u["UserName"], PolicyArn=arn)
        for g in ents.get("PolicyGroups", []):
            iam.detach_group_policy(GroupName=g["GroupName"], PolicyArn=arn)
        for v in iam.list_policy_versions(PolicyArn=arn)["Versions"]:
            if not v["IsDefaultVersion"]:
                iam.delete_policy_version(PolicyArn=arn, VersionId=v["VersionId"])
        iam.delete_policy(PolicyArn=arn)
    except ClientError as e:
        if code_of(e) not in GONE:
            raise


def _policy_present(run, res):
    arn = res.get("id") or f"arn:aws:iam::{res['account']}:policy{IAM_PATH}{res['name']}"
    try:
        run.account(res["account"]).iam.get_policy(PolicyArn=arn)
        return True
    except ClientError as e:
        if code_of(e) in GONE:
            return False
        raise


def _grant_owner(run, res):
    return run.account(res["key"].split(":")[4])


def _rm_grant(run, res, wait):
    kms = _grant_owner(run, res).kms
    gid = res.get("id")
    if not gid:
        for g in kms.list_grants(KeyId=res["key"]).get("Grants", []):
            if g.get("Name") == res.get("name"):
                gid = g["GrantId"]
    if gid:
        try:
            kms.revoke_grant(KeyId=res["key"], GrantId=gid)
        except ClientError as e:
            if code_of(e) not in GONE and code_of(e) != "KMSInvalidStateException":
                raise


def _grant_present(run, res):
    if not res.get("key"):
        return False
    try:
        grants = _grant_owner(run, res).kms.list_grants(KeyId=res["key"]).get("Grants", [])
    except ClientError as e:
        if code_of(e) in GONE or code_of(e) == "KMSInvalidStateException":
            return False
        raise
    return any(g["GrantId"] == res.get("id") or (res.get("name") and g.get("Name") == res["name"]) for g in grants)


def _key_state(run, res):
    try:
        return run.account(res["account"]).kms.describe_key(KeyId=res["id"])["KeyMetadata"]["KeyState"]
    except ClientError as e:
        if code_of(e) in GONE:
            return "gone"
        if code_of(e) == "AccessDeniedException":
            return "unknown"
        raise


def _rm_key(run, res, wait):
    if not res.get("id"):
        return  # never created (the call that would have made it did not answer): found by tag if it was
    kms = run.account(res["account"]).kms
    state = _key_state(run, res)
    if state in ("gone", "PendingDeletion", "PendingReplicaDeletion"):
        return
    if state in ("Enabled", "unknown"):
        try:
            kms.disable_key(KeyId=res["id"])
        except ClientError:
            if state != "unknown":
                raise
    try:
        kms.schedule_key_deletion(KeyId=res["id"], PendingWindowInDays=7)
    except ClientError as e:
        # A key whose policy denies DescribeKey: KMSInvalidStateException means already pending deletion.
        if state != "unknown" or code_of(e) != "KMSInvalidStateException":
            raise
    res["scheduled"] = True


def _key_present(run, res):
    if not res.get("id"):
        return False
    state = _key_state(run, res)
    if state == "unknown":
        return not res.get("scheduled")
    return state not in ("gone", "PendingDeletion", "PendingReplicaDeletion")


REMOVE = {"batch-job": _rm_job, "firehose-stream": _rm_stream, "rds-instance": _rm_instance,
          "rds-automated-backup": _rm_backup,
          "rds-snapshot": _rm_snapshot, "cfn-stack": _rm_stack, "s3-bucket": _rm_bucket, "iam-role": _rm_role,
          "iam-policy": _rm_policy, "kms-grant": _rm_grant, "kms-key": _rm_key}
PRESENT = {"batch-job": _job_present, "firehose-stream": _stream_present, "rds-instance": _instance_present,
           "rds-automated-backup": _backup_present,
           "rds-snapshot": _snapshot_present, "cfn-stack": _stack_present, "s3-bucket": _bucket_present,
           "iam-role": _role_present, "iam-policy": _policy_present, "kms-grant": _grant_present,
           "kms-key": _key_present}
REMOVE.update(cleanup_cluster.REMOVE)  # Aurora clusters, their instances, cluster snapshots (R25 probes)
PRESENT.update(cleanup_cluster.PRESENT)
REMOVE.update(cleanup_messaging.REMOVE)  # SNS topics, SQS queues (R23, R24 probes)
PRESENT.update(cleanup_messaging.PRESENT)
