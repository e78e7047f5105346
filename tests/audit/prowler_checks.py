"""A port of three Prowler AWS checks, for auditing what cmek leaves behind against any S3/RDS endpoint.

This is NOT Prowler and it imports nothing from Prowler: it is a re-implementation, in plain Python 3 and
boto3, of the decision logic of three Prowler checks (the same conditions, in the same order, giving the
same PASS/FAIL outcome and the same status text), together with the way Prowler's service classes turn
the AWS API answers into the values those checks read.

Source read: github.com/prowler-cloud/prowler, branch master at commit
3e000faa3109230b748e4418a13c11c9e59f5cfb (2026-08-21), whose pyproject.toml and prowler/config/config.py
say version "5.40.0"; its newest tag is 5.39.1 (2026-08-18), and `git diff 5.39.1 3e000faa31` is empty for
every file named below. The snapshot has no 5.46 tag or branch, so the "Prowler 5.46" of the issue was not
read; these files were last changed in commits 80fe048f97 (2025-01-23, the three check files),
04e2d15dd2 (2026-01-28, rds_service.py) and e1b23e2526 (2026-07-02, s3_service.py).

  s3_bucket_secure_transport_policy
      check:   prowler/providers/aws/services/s3/s3_bucket_secure_transport_policy/
               s3_bucket_secure_transport_policy.py                    (blob 8ad706a5f7ed)
      inputs:  prowler/providers/aws/services/s3/s3_service.py, S3._list_buckets and
               S3._get_bucket_policy                                    (blob 94768138dfef)
      Logic: no policy (NoSuchBucketPolicy gives {}, any other error leaves it None) -> FAIL. Otherwise FAIL
      unless some statement has Effect == "Deny", a "Condition" and an "Action" key, an Action for which
      `"s3:PutObject" in Action or "*" in Action or "s3:*" in Action` (Python `in`: membership when Action
      is a list, SUBSTRING when it is a string, so "s3:PutObjectAcl" or "s3:Get*" count), and
      Condition["Bool"]["aws:SecureTransport"] == "false" (the string only: not a JSON false, not a list,
      not BoolIfExists). Principal, Resource and NotAction are not looked at. There is no lib/policy
      helper in this check.
  s3_bucket_object_versioning
      check:   prowler/providers/aws/services/s3/s3_bucket_object_versioning/s3_bucket_object_versioning.py
                                                                        (blob 27e88635ff36)
      inputs:  s3_service.py, S3._get_bucket_versioning: versioning is True only if GetBucketVersioning's
      Status == "Enabled"; "Suspended", no Status (never enabled) or any error -> False -> FAIL.
  rds_instance_transport_encrypted
      check:   prowler/providers/aws/services/rds/rds_instance_transport_encrypted/
               rds_instance_transport_encrypted.py                      (blob 2663c5ea2276)
      inputs:  prowler/providers/aws/services/rds/rds_service.py, RDS._describe_db_instances,
               RDS._describe_db_parameters, RDS._describe_db_cluster_parameters (blob 7828978653d6)
      Logic for a DB instance: docdb instances are dropped by the service. An instance with a
      DBClusterIdentifier, or whose Engine contains none of sqlserver-se/-ee/-ex/-web, postgres,
      aurora-postgresql, mysql, mariadb, aurora-mysql as a substring, gets NO instance finding (the
      cluster, if any, is reported instead). For Engine exactly one of the four sqlserver-* names,
      "postgres" or "aurora-postgresql", PASS iff some parameter from DescribeDBParameters (every page,
      every group in DBParameterGroups, appended in order; a group whose call fails contributes what
      it returned before failing) has ParameterName == "rds.force_ssl" and ParameterValue == "1"
      (a parameter without ParameterValue counts as "0"). Any other supported engine (mysql, mariadb,
      and substrings matches such as custom-sqlserver-ee) needs require_secure_transport == "1".
      PostgreSQL 15+: Prowler has NO engine-version rule. It does not assume rds.force_ssl defaults
      to 1; it relies entirely on DescribeDBParameters returning rds.force_ssl with ParameterValue "1"
      (as a default.postgres15+ group, Source engine-default, does in AWS). A parameter returned
      without a ParameterValue is FAIL whatever the engine version.
      Logic for a DB cluster (extra subcommand rds-cluster-transport, same check ID): the last
      rds.force_ssl / require_secure_transport that has a ParameterValue in DescribeDBClusterParameters
      of DBClusterParameterGroup; PASS iff force_ssl == "1" or require_secure_transport == "ON"
      (defaults "0" and "OFF").

Usage (only boto3 is needed; e.g. /work/main/.localaws/venv/bin/python):
  python prowler_checks.py --endpoint-url URL --region R s3-secure-transport BUCKET
  python prowler_checks.py --endpoint-url URL --region R s3-versioning BUCKET
  python prowler_checks.py --endpoint-url URL --region R rds-transport DBINSTANCE
  python prowler_checks.py --endpoint-url URL --region R rds-cluster-transport DBCLUSTER
Prints one line:
  PASS <check_id> <resource>                       exit 0
  FAIL <check_id> <resource>: <Prowler's text>     exit 1
  NOFINDING <check_id> <resource>: <why>           exit 3 (Prowler would report nothing for this
      resource: a bucket not in ListBuckets or whose GetBucketLocation failed, a cluster member or
      unsupported engine, an instance not found, or an exception inside the check, which Prowler's
      check runner swallows, so the whole check yields no findings)
Argument errors exit 2 (argparse).

Differences from a real Prowler run, all outside the decision logic: one named resource is looked up
instead of all of them; --region is the client region, not a Prowler region filter (-f); the S3 regional
client is created for the bucket's GetBucketLocation region on the same endpoint; Prowler's pydantic
validation of the other DescribeDBInstances fields is not repeated; mutelist/status filters don't apply.
"""

import argparse
import json
import sys

CHECK_S3_TLS = "s3_bucket_secure_transport_policy"
CHECK_S3_VERSIONING = "s3_bucket_object_versioning"
CHECK_RDS_TLS = "rds_instance_transport_encrypted"

PASS, FAIL = "PASS", "FAIL"


class NoFinding(Exception):
    """Prowler would emit no finding for this resource."""


# --------------------------------------------------------------------------------------------------
# Pure decision functions (no network). Each returns (status, status_extended) exactly as Prowler does.
# --------------------------------------------------------------------------------------------------

def decide_s3_secure_transport(bucket_name, policy):
    """s3_bucket_secure_transport_policy.execute(), for one bucket; policy is None, {} or the parsed JSON.

    Raises (TypeError/KeyError) where Prowler's check would raise, e.g. a policy without "Statement"
    or whose "Statement" is a single object rather than a list.
    """
    if not policy:
        return FAIL, f"S3 Bucket {bucket_name} does not have a bucket policy, thus it allows HTTP requests."
    status = FAIL
    status_extended = f"S3 Bucket {bucket_name} allows requests over insecure transport in the bucket policy."
    for statement in policy["Statement"]:
        if (
            statement["Effect"] == "Deny"
            and "Condition" in statement
            and "Action" in statement
            and (
                "s3:PutObject" in statement["Action"]
                or "*" in statement["Action"]
                or "s3:*" in statement["Action"]
            )
        ):
            if "Bool" in statement["Condition"]:
                if "aws:SecureTransport" in statement["Condition"]["Bool"]:
                    if statement["Condition"]["Bool"]["aws:SecureTransport"] == "false":
                        status = PASS
                        status_extended = (
                            f"S3 Bucket {bucket_name} has a bucket policy to deny requests over insecure transport."
                        )
    return status, status_extended


def versioning_from_response(response):
    """S3._get_bucket_versioning: the bucket's `versioning` flag from a GetBucketVersioning answer."""
    versioning = False
    if "Status" in response:
        if "Enabled" == response["Status"]:
            versioning = True
    return versioning


def decide_s3_versioning(bucket_name, versioning):
    """s3_bucket_object_versioning.execute(), for one bucket."""
    if versioning:
        return PASS, f"S3 Bucket {bucket_name} has versioning enabled."
    return FAIL, f"S3 Bucket {bucket_name} has versioning disabled."


RDS_SUPPORTED_ENGINES = [
    "sqlserver-se",
    "sqlserver-ee",
    "sqlserver-ex",
    "sqlserver-web",
    "postgres",
    "aurora-postgresql",
    "mysql",
    "mariadb",
    "aurora-mysql",
]
RDS_FORCE_SSL_ENGINES = [
    "sqlserver-se",
    "sqlserver-ee",
    "sqlserver-ex",
    "sqlserver-web",
    "postgres",
    "aurora-postgresql",
]


def decide_rds_instance_transport(instance_id, engine, cluster_id, parameters):
    """rds_instance_transport_encrypted.execute(), the DB-instance loop, for one instance.

    parameters: every parameter dict of DescribeDBParameters over the instance's parameter groups.
    Returns None where Prowler creates no instance finding (cluster member, unsupported engine).
    """
    status = FAIL
    status_extended = f"RDS Instance {instance_id} connections are not encrypted."
    if not cluster_id and any(e in engine for e in RDS_SUPPORTED_ENGINES):
        if engine in RDS_FORCE_SSL_ENGINES:
            for parameter in parameters:
                if parameter["ParameterName"] == "rds.force_ssl" and parameter.get("ParameterValue", "0") == "1":
                    status = PASS
                    status_extended = f"RDS Instance {instance_id} connections use SSL encryption."
        else:
            for parameter in parameters:
                if (
                    parameter["ParameterName"] == "require_secure_transport"
                    and parameter.get("ParameterValue", "0") == "1"
                ):
                    status = PASS
                    status_extended = f"RDS Instance {instance_id} connections use SSL encryption."
        return status, status_extended
    return None


def cluster_tls_values(parameters):
    """RDS._describe_db_cluster_parameters: (force_ssl, require_secure_transport), defaults "0"/"OFF"."""
    force_ssl, require_secure_transport = "0", "OFF"
    for parameter in parameters:
        if "ParameterValue" in parameter and "ParameterName" in parameter:
            if parameter["ParameterName"] == "rds.force_ssl":
                force_ssl = parameter["ParameterValue"]
            if parameter["ParameterName"] == "require_secure_transport":
                require_secure_transport = parameter["ParameterValue"]
    return force_ssl, require_secure_transport


def decide_rds_cluster_transport(cluster_id, force_ssl, require_secure_transport):
    """rds_instance_transport_encrypted.execute(), the DB-cluster loop, for one cluster."""
    status = FAIL
    status_extended = f"RDS Cluster {cluster_id} connections are not encrypted."
    if force_ssl == "1":
        status = PASS
        status_extended = f"RDS Cluster {cluster_id} connections use SSL encryption."
    if require_secure_transport == "ON":
        status = PASS
        status_extended = f"RDS Cluster {cluster_id} connections use SSL encryption."
    return status, status_extended


# --------------------------------------------------------------------------------------------------
# Gathering the inputs the way Prowler's service classes do (boto3).
# --------------------------------------------------------------------------------------------------

def _client(service, args, region=None):
    import boto3

    return boto3.client(service, endpoint_url=args.endpoint_url, region_name=region or args.region)


def _error_code(error):
    return getattr(error, "response", {}).get("Error", {}).get("Code", "")


def _s3_bucket_region(args, bucket):
    """S3._list_buckets: the bucket must be in ListBuckets and GetBucketLocation must answer."""
    s3 = _client("s3", args)
    try:
        names = [b["Name"] for b in s3.list_buckets()["Buckets"]]
    except Exception as error:
        raise NoFinding(f"ListBuckets failed ({_error_code(error) or error}), so Prowler lists no buckets")
    if bucket not in names:
        raise NoFinding("not in the caller's ListBuckets, so Prowler does not audit it")
    try:
        region = s3.get_bucket_location(Bucket=bucket)["LocationConstraint"]
    except Exception as error:
        raise NoFinding(f"GetBucketLocation failed ({_error_code(error) or error}), so Prowler skips it")
    if region == "EU":
        region = "eu-west-1"
    if not region:
        region = "us-east-1"
    return region


def gather_bucket_policy(args, bucket):
    """S3._get_bucket_policy: the parsed policy, {} for NoSuchBucketPolicy, None for any other error."""
    region = _s3_bucket_region(args, bucket)
    try:
        return json.loads(_client("s3", args, region).get_bucket_policy(Bucket=bucket)["Policy"])
    except Exception as error:
        if _error_code(error) == "NoSuchBucketPolicy":
            return {}
        return None


def gather_bucket_versioning(args, bucket):
    """S3._get_bucket_versioning: False on any error."""
    region = _s3_bucket_region(args, bucket)
    try:
        return versioning_from_response(_client("s3", args, region).get_bucket_versioning(Bucket=bucket))
    except Exception:
        return False


def _describe_instance(rds, instance_id):
    try:
        found = rds.describe_db_instances(DBInstanceIdentifier=instance_id)["DBInstances"]
    except Exception as error:
        raise NoFinding(f"DescribeDBInstances failed ({_error_code(error) or error})")
    if not found:
        raise NoFinding("no such DB instance")
    instance = found[0]
    if instance["Engine"] == "docdb":
        raise NoFinding("docdb instances are not loaded by Prowler's RDS service")
    return instance


def gather_instance_parameters(rds, instance):
    """RDS._describe_db_parameters: all pages of every parameter group, errors per group swallowed."""
    parameters = []
    for group in [item["DBParameterGroupName"] for item in instance["DBParameterGroups"]]:
        try:
            for page in rds.get_paginator("describe_db_parameters").paginate(DBParameterGroupName=group):
                for parameter in page["Parameters"]:
                    parameters.append(parameter)
        except Exception:
            pass
    return parameters


def gather_cluster_parameters(rds, cluster_id):
    try:
        found = rds.describe_db_clusters(DBClusterIdentifier=cluster_id)["DBClusters"]
    except Exception as error:
        raise NoFinding(f"DescribeDBClusters failed ({_error_code(error) or error})")
    if not found:
        raise NoFinding("no such DB cluster")
    cluster = found[0]
    if cluster["Engine"] == "docdb":
        raise NoFinding("docdb clusters are not loaded by Prowler's RDS service")
    parameters = []
    try:
        paginator = rds.get_paginator("describe_db_cluster_parameters")
        for page in paginator.paginate(DBClusterParameterGroupName=cluster["DBClusterParameterGroup"]):
            for parameter in page["Parameters"]:
                parameters.append(parameter)
    except Exception:
        pass
    return parameters


# --------------------------------------------------------------------------------------------------
# CLI
# --------------------------------------------------------------------------------------------------

def run(args):
    """Returns (outcome, check_id, resource, text)."""
    resource = args.resource
    try:
        if args.command == "s3-secure-transport":
            check = CHECK_S3_TLS
            policy = gather_bucket_policy(args, resource)
            try:
                status, text = decide_s3_secure_transport(resource, policy)
            except Exception as error:  # Prowler's execute() catches it: the check yields no findings
                raise NoFinding(f"the check raises {error.__class__.__name__} on this policy: {error}")
        elif args.command == "s3-versioning":
            check = CHECK_S3_VERSIONING
            status, text = decide_s3_versioning(resource, gather_bucket_versioning(args, resource))
        elif args.command == "rds-transport":
            check = CHECK_RDS_TLS
            rds = _client("rds", args)
            instance = _describe_instance(rds, resource)
            try:
                parameters = gather_instance_parameters(rds, instance)
                decided = decide_rds_instance_transport(
                    instance["DBInstanceIdentifier"],
                    instance["Engine"],
                    instance.get("DBClusterIdentifier"),
                    parameters,
                )
            except NoFinding:
                raise
            except Exception as error:
                raise NoFinding(f"the check raises {error.__class__.__name__}: {error}")
            if decided is None:
                if instance.get("DBClusterIdentifier"):
                    raise NoFinding(
                        f"member of DB cluster {instance['DBClusterIdentifier']}; Prowler reports the cluster"
                    )
                raise NoFinding(f"engine {instance['Engine']} is not one Prowler checks")
            status, text = decided
        else:  # rds-cluster-transport
            check = CHECK_RDS_TLS
            rds = _client("rds", args)
            force_ssl, require_secure_transport = cluster_tls_values(gather_cluster_parameters(rds, resource))
            status, text = decide_rds_cluster_transport(resource, force_ssl, require_secure_transport)
    except NoFinding as why:
        check = {
            "s3-secure-transport": CHECK_S3_TLS,
            "s3-versioning": CHECK_S3_VERSIONING,
        }.get(args.command, CHECK_RDS_TLS)
        return "NOFINDING", check, resource, str(why)
    return status, check, resource, text


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--endpoint-url", required=True)
    ap.add_argument("--region", required=True)
    ap.add_argument(
        "command", choices=["s3-secure-transport", "s3-versioning", "rds-transport", "rds-cluster-transport"]
    )
    ap.add_argument("resource")
    args = ap.parse_args(argv)
    outcome, check, resource, text = run(args)
    if outcome == PASS:
        print(f"PASS {check} {resource}")
        return 0
    print(f"{outcome} {check} {resource}: {text}")
    return 1 if outcome == FAIL else 3


if __name__ == "__main__":
    sys.exit(main())
