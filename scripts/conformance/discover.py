"""Finding a run's resources in both accounts: by name (cmek-conformance-<run id>-...: buckets,
streams, DB instances, snapshots and retained automated backups, Aurora clusters and cluster snapshots, SQS queues, SNS topics, IAM roles and policies under /cmek-conformance/, stacks), by
description (Batch jobs), by tag (KMS keys, through the Resource Groups Tagging API) and, on the keys
found, the run's own grants by name."""

from botocore.exceptions import ClientError

from . import cleanup_messaging
from .run import IAM_PATH, TAG, code_of


def log(msg):
    import sys
    print(f"aws-conformance: {msg}", file=sys.stderr, flush=True)




def discover(run):
    marker = f"{TAG}-{run.id}"
    found = []
    for acct in (run.customer, run.vendor):
        def add(kind, rid, **extra):
            found.append(dict(kind=kind, account=acct.id, role=acct.role, id=rid, **extra))
        for step in (_find_buckets, _find_streams, _find_rds, _find_iam, _find_stacks, _find_jobs, _find_keys,
                     _find_messaging):
            try:
                step(run, acct, marker, add)
            except ClientError as e:
                log(f"could not list ({step.__name__[6:]}) in the {acct.role} account: {code_of(e)}")
    return found


def _find_messaging(run, acct, marker, add):
    cleanup_messaging.find(run, acct, marker, add)  # SQS queues, SNS topics (R23, R24)


def _find_buckets(run, acct, marker, add):
    for b in acct.s3.list_buckets().get("Buckets", []):
        if marker in b["Name"]:
            add("s3-bucket", b["Name"])


def _find_streams(run, acct, marker, add):
    start = None
    while True:
        kw = {"Limit": 100}
        if start:
            kw["ExclusiveStartDeliveryStreamName"] = start
        page = acct.firehose.list_delivery_streams(**kw)
        names = page.get("DeliveryStreamNames", [])
        for n in names:
            if marker in n:
                add("firehose-stream", n)
        if not page.get("HasMoreDeliveryStreams") or not names:
            return
        start = names[-1]


def _find_rds(run, acct, marker, add):
    for page in acct.rds.get_paginator("describe_db_instances").paginate():
        for db in page["DBInstances"]:
            if marker in db["DBInstanceIdentifier"]:
                add("rds-cluster-instance" if db.get("DBClusterIdentifier") else "rds-instance", db["DBInstanceIdentifier"])
    for page in acct.rds.get_paginator("describe_db_clusters").paginate():
        for c in page["DBClusters"]:
            if marker in c["DBClusterIdentifier"]:
                add("rds-cluster", c["DBClusterIdentifier"])
    for page in acct.rds.get_paginator("describe_db_cluster_snapshots").paginate(SnapshotType="manual"):
        for s in page["DBClusterSnapshots"]:
            if marker in s["DBClusterSnapshotIdentifier"]:
                add("rds-cluster-snapshot", s["DBClusterSnapshotIdentifier"])
    for page in acct.rds.get_paginator("describe_db_snapshots").paginate(SnapshotType="manual"):
        for s in page["DBSnapshots"]:
            if marker in s["DBSnapshotIdentifier"]:
                add("rds-snapshot", s["DBSnapshotIdentifier"])
    for page in acct.rds.get_paginator("describe_db_instance_automated_backups").paginate():
        for b in page["DBInstanceAutomatedBackups"]:
            if marker in b.get("DBInstanceIdentifier", "") and b.get("Status") == "retained":
                add("rds-automated-backup", b["DbiResourceId"], name=b["DBInstanceIdentifier"])


def _find_iam(run, acct, marker, add):
    for page in acct.iam.get_paginator("list_roles").paginate(PathPrefix=IAM_PATH):
        for r in page["Roles"]:
            if marker in r["RoleName"]:
                add("iam-role", r["RoleName"])
    for page in acct.iam.get_paginator("list_policies").paginate(Scope="Local", PathPrefix=IAM_PATH):
        for p in page["Policies"]:
            if marker in p["PolicyName"]:
                add("iam-policy", p["Arn"], name=p["PolicyName"])


def _find_stacks(run, acct, marker, add):
    for page in acct.cloudformation.get_paginator("list_stacks").paginate():
        for s in page["StackSummaries"]:
            if marker in s["StackName"] and s["StackStatus"] != "DELETE_COMPLETE":
                add("cfn-stack", s["StackName"])


def _find_jobs(run, acct, marker, add):
    kw = {"AccountId": acct.id, "JobStatuses": ["Active", "New", "Paused", "Pausing", "Preparing", "Ready",
                                                "Suspended"]}
    while True:
        page = acct.s3control.list_jobs(**kw)
        for j in page.get("Jobs", []):
            if run.id in (j.get("Description") or ""):
                add("batch-job", j["JobId"])
        if not page.get("NextToken"):
            return
        kw["NextToken"] = page["NextToken"]


def _find_keys(run, acct, marker, add):
    tagging = acct.resourcegroupstaggingapi
    kw = {"ResourceTypeFilters": ["kms"], "TagFilters": [{"Key": TAG, "Values": [run.id]}]}
    while True:
        page = tagging.get_resources(**kw)
        for m in page.get("ResourceTagMappingList", []):
            arn = m["ResourceARN"]
            if ":key/" in arn and arn.split(":")[4] == acct.id:
                add("kms-key", arn)
        if not page.get("PaginationToken"):
            break
        kw["PaginationToken"] = page["PaginationToken"]


def find_grants(run, keys):
    """The run's own grants (by name) on the keys it made."""
    marker = f"{TAG}-{run.id}"
    out = []
    for res in keys:
        if not res.get("id"):
            continue
        owner = run.account(res["account"])
        try:
            for page in owner.kms.get_paginator("list_grants").paginate(KeyId=res["id"]):
                for g in page["Grants"]:
                    if marker in (g.get("Name") or ""):
                        out.append(dict(kind="kms-grant", account=owner.id, role=owner.role, id=g["GrantId"],
                                        key=res["id"], name=g["Name"]))
        except ClientError:
            pass
    return out
