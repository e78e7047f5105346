"""R31 (RDS for PostgreSQL DB parameter groups, rds.force_ssl's engine default, ParameterApplyStatus,
RebootDBInstance, CloudWatch Logs exports), tested against the running layer with boto3; and
tests/audit/prowler_checks.py's rds-transport (a port of Prowler's rds_instance_transport_encrypted)
run as a subprocess against it: PASS on default.postgres16, FAIL on default.postgres14, PASS on a
custom postgres14 group with rds.force_ssl = 1.

Every account here is this module's own; nothing leaves 127.0.0.1.
"""

import json
import logging
import os
import subprocess
import sys
import threading
import time
import unittest
import urllib.request

import boto3
import botocore.config
from botocore.exceptions import ClientError
from werkzeug.serving import make_server

logging.getLogger("werkzeug").setLevel(logging.ERROR)

import localaws  # noqa: E402
from moto.moto_server.werkzeug_app import DomainDispatcherApplication, MotoRequestHandler, create_backend_app  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
PROWLER = os.path.join(os.path.dirname(HERE), "audit", "prowler_checks.py")
DEFAULTS, CUSTOM, INSTANCES, LOGS, AUDIT, SOURCE = ("749000000001", "749000000002", "749000000003", "749000000004",
                                                    "749000000005", "749000000006")
VERSIONS, OLDER = "749000000007", "749000000008"  # DefaultVersion's: the layer's default, and one set to 14.12
REGION = "us-east-1"
NO_RETRY = botocore.config.Config(retries={"total_max_attempts": 1, "mode": "standard"})
TIMINGS = {"rds_create": 0.05, "rds_modify": 0.2}


def setUpModule():
    global SERVER, URL, SAVED
    SAVED = {k: localaws.CONFIG[k] for k in TIMINGS}
    localaws.CONFIG.update(TIMINGS)
    app = localaws.Fidelity(DomainDispatcherApplication(create_backend_app))
    SERVER = make_server("127.0.0.1", 0, app, threaded=True, request_handler=MotoRequestHandler)
    URL = f"http://127.0.0.1:{SERVER.server_address[1]}"
    threading.Thread(target=SERVER.serve_forever, daemon=True).start()


def tearDownModule():
    SERVER.shutdown()
    localaws.CONFIG.update(SAVED)


def rds(account):
    return boto3.client("rds", endpoint_url=URL, region_name=REGION, config=NO_RETRY,
                        aws_access_key_id=f"AKIA{account}TEST", aws_secret_access_key="x")


def code(fn, *a, **kw):
    try:
        fn(*a, **kw)
    except ClientError as e:
        return e.response["Error"]["Code"], e.response["Error"].get("Message", "")
    return None, ""


def control(path, data):
    req = urllib.request.Request(URL + path, data=json.dumps(data).encode(), method="POST")
    return json.loads(urllib.request.urlopen(req).read())


def force_ssl(client, group, **kw):
    found = [p for p in client.describe_db_parameters(DBParameterGroupName=group, **kw)["Parameters"]
             if p["ParameterName"] == "rds.force_ssl"]
    return found[0] if found else None


def create_db(client, ident, **kw):
    params = dict(DBInstanceIdentifier=ident, Engine="postgres", DBInstanceClass="db.t4g.micro", AllocatedStorage=20,
                  MasterUsername="cmek", MasterUserPassword="not-a-real-password", BackupRetentionPeriod=0)
    params.update(kw)
    return client.create_db_instance(**params)["DBInstance"]


def describe(client, ident):
    return client.describe_db_instances(DBInstanceIdentifier=ident)["DBInstances"][0]


def wait_available(client, ident, timeout=5.0):
    deadline = time.time() + timeout
    while True:
        d = describe(client, ident)
        if d["DBInstanceStatus"] == "available" or time.time() > deadline:
            return d
        time.sleep(0.05)


class DefaultGroups(unittest.TestCase):
    """R31: default.postgres<major>, there before any instance uses it, with rds.force_ssl at the engine
    default; neither modified nor deleted."""

    def setUp(self):
        self.rds = rds(DEFAULTS)

    def test_force_ssl_is_on_from_postgresql_15_and_off_before(self):
        for group, value in (("default.postgres16", "1"), ("default.postgres15", "1"), ("default.postgres17", "1"),
                             ("default.postgres14", "0"), ("default.postgres13", "0"), ("default.postgres9.6", "0")):
            with self.subTest(group=group):
                p = force_ssl(self.rds, group)
                self.assertEqual(p["ParameterValue"], value)
                self.assertEqual((p["Source"], p["ApplyType"], p["DataType"], p["AllowedValues"], p["IsModifiable"]),
                                 ("system", "dynamic", "boolean", "0,1", True))
                self.assertNotIn("ApplyMethod", p)

    def test_source_filter_and_the_source_switch(self):
        self.assertEqual(force_ssl(self.rds, "default.postgres16", Source="system")["ParameterValue"], "1")
        self.assertEqual(self.rds.describe_db_parameters(DBParameterGroupName="default.postgres16",
                                                         Source="engine-default")["Parameters"], [])
        self.assertEqual(self.rds.describe_db_parameters(DBParameterGroupName="default.postgres16",
                                                         Source="user")["Parameters"], [])
        control("/_localaws/config", {"account": SOURCE, "rds_force_ssl_source_system": 0})
        try:
            other = rds(SOURCE)
            self.assertEqual(force_ssl(other, "default.postgres16")["Source"], "engine-default")
            self.assertEqual(force_ssl(other, "default.postgres16", Source="engine-default")["ParameterValue"], "1")
            self.assertEqual(force_ssl(self.rds, "default.postgres16")["Source"], "system")  # other accounts unchanged
        finally:
            control("/_localaws/config", {"account": SOURCE, "rds_force_ssl_source_system": 1})

    def test_the_parameter_name_filter(self):
        got = self.rds.describe_db_parameters(DBParameterGroupName="default.postgres16",
                                              Filters=[{"Name": "parameter-name", "Values": ["rds.force_ssl"]}])
        self.assertEqual([p["ParameterName"] for p in got["Parameters"]], ["rds.force_ssl"])
        got = self.rds.describe_db_parameters(DBParameterGroupName="default.postgres16",
                                              Filters=[{"Name": "parameter-name", "Values": ["max_connections"]}])
        self.assertEqual(got["Parameters"], [])

    def test_a_default_group_is_listed_before_use(self):
        got = self.rds.describe_db_parameter_groups(DBParameterGroupName="default.postgres16")["DBParameterGroups"]
        self.assertEqual([(g["DBParameterGroupName"], g["DBParameterGroupFamily"]) for g in got],
                         [("default.postgres16", "postgres16")])

    def test_unknown_groups_are_not_found(self):
        for fn in (self.rds.describe_db_parameters, self.rds.describe_db_parameter_groups,
                   self.rds.delete_db_parameter_group):
            with self.subTest(op=fn.__name__):
                self.assertEqual(code(fn, DBParameterGroupName="no-such-group")[0], "DBParameterGroupNotFound")
        # Only PostgreSQL's defaults are modelled.
        self.assertEqual(code(self.rds.describe_db_parameters, DBParameterGroupName="default.mysql8.0")[0],
                         "DBParameterGroupNotFound")

    def test_a_default_group_is_neither_modified_nor_deleted(self):
        c, msg = code(self.rds.modify_db_parameter_group, DBParameterGroupName="default.postgres14",
                      Parameters=[{"ParameterName": "rds.force_ssl", "ParameterValue": "1", "ApplyMethod": "immediate"}])
        self.assertEqual((c, msg), ("InvalidParameterValue", "Cannot modify a default parameter group."))
        self.assertEqual(force_ssl(self.rds, "default.postgres14")["ParameterValue"], "0")
        self.assertEqual(code(self.rds.reset_db_parameter_group, DBParameterGroupName="default.postgres14",
                              ResetAllParameters=True)[0], "InvalidParameterValue")
        c, _ = code(self.rds.delete_db_parameter_group, DBParameterGroupName="default.postgres14")
        self.assertEqual(c, "InvalidDBParameterGroupState")
        self.assertEqual(force_ssl(self.rds, "default.postgres14")["ParameterValue"], "0")

    def test_invalid_values_are_refused(self):
        for kw in ({"MaxRecords": 19}, {"MaxRecords": 101}, {"Source": "bogus"}, {"Marker": "not-a-marker"},
                   {"Filters": [{"Name": "parameter-value", "Values": ["1"]}]}):
            with self.subTest(kw=kw):
                self.assertEqual(code(self.rds.describe_db_parameters, DBParameterGroupName="default.postgres16",
                                      **kw)[0], "InvalidParameterValue")
        for n in (20, 100):
            self.assertEqual(len(self.rds.describe_db_parameters(DBParameterGroupName="default.postgres16",
                                                                 MaxRecords=n)["Parameters"]), 1)


class CustomGroups(unittest.TestCase):
    """R31: a custom group lists the engine defaults and what ModifyDBParameterGroup set (Source user),
    paged; it can't be deleted while an instance uses it."""

    @classmethod
    def setUpClass(cls):
        cls.rds = rds(CUSTOM)
        cls.rds.create_db_parameter_group(DBParameterGroupName="cmek-pg14", DBParameterGroupFamily="postgres14",
                                          Description="cmek: TLS required")

    def test_engine_default_then_the_value_set(self):
        self.rds.create_db_parameter_group(DBParameterGroupName="cmek-pg14-b", DBParameterGroupFamily="postgres14",
                                           Description="d")
        p = force_ssl(self.rds, "cmek-pg14-b")
        self.assertEqual((p["ParameterValue"], p["Source"]), ("0", "system"))
        self.assertEqual(self.rds.modify_db_parameter_group(
            DBParameterGroupName="cmek-pg14-b",
            Parameters=[{"ParameterName": "rds.force_ssl", "ParameterValue": "1", "ApplyMethod": "immediate"}])
            ["DBParameterGroupName"], "cmek-pg14-b")
        p = force_ssl(self.rds, "cmek-pg14-b")
        self.assertEqual((p["ParameterValue"], p["Source"], p["ApplyMethod"], p["ApplyType"]),
                         ("1", "user", "immediate", "dynamic"))
        self.assertEqual([x["ParameterName"] for x in self.rds.describe_db_parameters(
            DBParameterGroupName="cmek-pg14-b", Source="user")["Parameters"]], ["rds.force_ssl"])
        self.assertEqual(self.rds.describe_db_parameters(DBParameterGroupName="cmek-pg14-b",
                                                         Source="system")["Parameters"], [])
        # A postgres16 group starts at 1.
        self.rds.create_db_parameter_group(DBParameterGroupName="cmek-pg16-b", DBParameterGroupFamily="postgres16",
                                           Description="d")
        self.assertEqual(force_ssl(self.rds, "cmek-pg16-b")["ParameterValue"], "1")

    def test_pages(self):
        self.rds.create_db_parameter_group(DBParameterGroupName="cmek-many", DBParameterGroupFamily="postgres16",
                                           Description="d")
        for chunk in range(3):
            self.rds.modify_db_parameter_group(DBParameterGroupName="cmek-many", Parameters=[
                {"ParameterName": f"log_p{chunk}{i}", "ParameterValue": "1", "ApplyMethod": "immediate"}
                for i in range(10)])
        first = self.rds.describe_db_parameters(DBParameterGroupName="cmek-many", MaxRecords=20)
        self.assertEqual(len(first["Parameters"]), 20)
        self.assertTrue(first["Marker"])
        second = self.rds.describe_db_parameters(DBParameterGroupName="cmek-many", MaxRecords=20,
                                                 Marker=first["Marker"])
        self.assertEqual(len(second["Parameters"]), 11)
        self.assertNotIn("Marker", second)
        names = [p["ParameterName"] for p in first["Parameters"] + second["Parameters"]]
        self.assertEqual(names, sorted(set(names)))
        self.assertIn("rds.force_ssl", names)
        self.assertEqual(len(self.rds.describe_db_parameters(DBParameterGroupName="cmek-many")["Parameters"]), 31)
        pages = list(self.rds.get_paginator("describe_db_parameters").paginate(
            DBParameterGroupName="cmek-many", PaginationConfig={"PageSize": 20}))
        self.assertEqual([len(p["Parameters"]) for p in pages], [20, 11])
        # A marker is its group's only.
        self.assertEqual(code(self.rds.describe_db_parameters, DBParameterGroupName="cmek-pg14",
                              Marker=first["Marker"])[0], "InvalidParameterValue")

    def test_a_group_in_use_is_not_deleted(self):
        self.rds.create_db_parameter_group(DBParameterGroupName="cmek-used", DBParameterGroupFamily="postgres16",
                                           Description="d")
        create_db(self.rds, "uses-group", EngineVersion="16.3", DBParameterGroupName="cmek-used")
        c, msg = code(self.rds.delete_db_parameter_group, DBParameterGroupName="cmek-used")
        self.assertEqual(c, "InvalidDBParameterGroupState")
        self.assertIn("uses-group", msg)
        self.rds.delete_db_instance(DBInstanceIdentifier="uses-group", SkipFinalSnapshot=True)
        self.rds.delete_db_parameter_group(DBParameterGroupName="cmek-used")
        self.assertEqual(code(self.rds.describe_db_parameters, DBParameterGroupName="cmek-used")[0],
                         "DBParameterGroupNotFound")


class Instances(unittest.TestCase):
    """R31: the family must be the instance's; DBParameterGroups and ParameterApplyStatus; RebootDBInstance."""

    @classmethod
    def setUpClass(cls):
        cls.rds = rds(INSTANCES)
        for name, family in (("tls14", "postgres14"), ("tls16", "postgres16"), ("other16", "postgres16")):
            cls.rds.create_db_parameter_group(DBParameterGroupName=name, DBParameterGroupFamily=family, Description="d")

    def groups(self, ident):
        return describe(self.rds, ident)["DBParameterGroups"]

    def test_create_with_a_group_of_its_family(self):
        d = create_db(self.rds, "pg14-custom", EngineVersion="14.10", DBParameterGroupName="tls14")
        self.assertEqual(d["DBParameterGroups"], [{"DBParameterGroupName": "tls14", "ParameterApplyStatus": "in-sync"}])
        self.assertEqual(self.groups("pg14-custom"),
                         [{"DBParameterGroupName": "tls14", "ParameterApplyStatus": "in-sync"}])
        d = create_db(self.rds, "pg16-default", EngineVersion="16.3")
        self.assertEqual(d["DBParameterGroups"],
                         [{"DBParameterGroupName": "default.postgres16", "ParameterApplyStatus": "in-sync"}])
        d = create_db(self.rds, "pg16-named-default", EngineVersion="16.3", DBParameterGroupName="default.postgres16")
        self.assertEqual(d["DBParameterGroups"][0]["DBParameterGroupName"], "default.postgres16")

    def test_a_group_of_another_family_is_refused(self):
        for ident, kw in (("wrong-custom", {"EngineVersion": "16.3", "DBParameterGroupName": "tls14"}),
                          ("wrong-default", {"EngineVersion": "16.3", "DBParameterGroupName": "default.postgres14"}),
                          ("wrong-no-version", {"DBParameterGroupName": "tls16"})):
            with self.subTest(ident=ident):
                c, msg = code(create_db, self.rds, ident, **kw)
                self.assertEqual(c, "InvalidParameterCombination")
                self.assertIn("DBParameterGroupFamily", msg)
                self.assertEqual(code(describe, self.rds, ident)[0], "DBInstanceNotFound")
        self.assertEqual(code(create_db, self.rds, "no-such-group", EngineVersion="16.3",
                              DBParameterGroupName="no-such-group")[0], "DBParameterGroupNotFound")

    def test_without_engine_version_the_default_version(self):
        # R31: the family follows the reported EngineVersion, the engine's default without one (the layer's
        # stand-in, rds_default_postgres_version; moto's own was 9.3.3). DefaultVersion below has more.
        d = create_db(self.rds, "no-version")
        self.assertEqual((d["EngineVersion"], d["DBParameterGroups"][0]["DBParameterGroupName"]),
                         ("17.4", "default.postgres17"))
        self.assertEqual(force_ssl(self.rds, "default.postgres17")["ParameterValue"], "1")

    def test_a_new_group_is_pending_reboot_until_rebooted(self):
        create_db(self.rds, "switch-me", EngineVersion="16.3")
        wait_available(self.rds, "switch-me")
        d = self.rds.modify_db_instance(DBInstanceIdentifier="switch-me", DBParameterGroupName="tls16",
                                        ApplyImmediately=True)["DBInstance"]
        pending = [{"DBParameterGroupName": "tls16", "ParameterApplyStatus": "pending-reboot"}]
        self.assertEqual(d["DBParameterGroups"], pending)
        self.assertEqual(self.groups("switch-me"), pending)
        # Another family is refused, and nothing changes.
        self.assertEqual(code(self.rds.modify_db_instance, DBInstanceIdentifier="switch-me",
                              DBParameterGroupName="tls14")[0], "InvalidParameterCombination")
        self.assertEqual(self.groups("switch-me"), pending)
        d = self.rds.reboot_db_instance(DBInstanceIdentifier="switch-me")["DBInstance"]
        self.assertEqual(d["DBInstanceStatus"], "rebooting")
        self.assertEqual(code(self.rds.reboot_db_instance, DBInstanceIdentifier="switch-me")[0], "InvalidDBInstanceState")
        d = wait_available(self.rds, "switch-me")
        self.assertEqual(d["DBInstanceStatus"], "available")
        self.assertEqual(d["DBParameterGroups"], [{"DBParameterGroupName": "tls16", "ParameterApplyStatus": "in-sync"}])
        # Back to the default group (never used before in this account): pending-reboot again.
        d = self.rds.modify_db_instance(DBInstanceIdentifier="switch-me", DBParameterGroupName="default.postgres16",
                                        ApplyImmediately=True)["DBInstance"]
        self.assertEqual(d["DBParameterGroups"],
                         [{"DBParameterGroupName": "default.postgres16", "ParameterApplyStatus": "pending-reboot"}])
        # The same group again changes nothing.
        self.rds.reboot_db_instance(DBInstanceIdentifier="switch-me")
        wait_available(self.rds, "switch-me")
        d = self.rds.modify_db_instance(DBInstanceIdentifier="switch-me", DBParameterGroupName="default.postgres16")
        self.assertEqual(d["DBInstance"]["DBParameterGroups"][0]["ParameterApplyStatus"], "in-sync")

    def test_apply_method(self):
        create_db(self.rds, "uses-other16", EngineVersion="16.3", DBParameterGroupName="other16")
        wait_available(self.rds, "uses-other16")
        self.rds.modify_db_parameter_group(DBParameterGroupName="other16", Parameters=[
            {"ParameterName": "rds.force_ssl", "ParameterValue": "0", "ApplyMethod": "immediate"}])
        self.assertEqual(self.groups("uses-other16")[0]["ParameterApplyStatus"], "in-sync")
        self.rds.modify_db_parameter_group(DBParameterGroupName="other16", Parameters=[
            {"ParameterName": "rds.force_ssl", "ParameterValue": "1", "ApplyMethod": "pending-reboot"}])
        self.assertEqual(self.groups("uses-other16")[0]["ParameterApplyStatus"], "pending-reboot")
        self.assertEqual(force_ssl(self.rds, "other16")["ParameterValue"], "1")
        self.rds.reboot_db_instance(DBInstanceIdentifier="uses-other16")
        self.assertEqual(wait_available(self.rds, "uses-other16")["DBParameterGroups"][0]["ParameterApplyStatus"],
                         "in-sync")

    def test_reboot_only_when_available(self):
        localaws.CONFIG["rds_create"] = 5.0
        try:
            create_db(self.rds, "still-creating", EngineVersion="16.3")
        finally:
            localaws.CONFIG["rds_create"] = TIMINGS["rds_create"]
        self.assertEqual(code(self.rds.reboot_db_instance, DBInstanceIdentifier="still-creating")[0],
                         "InvalidDBInstanceState")
        self.assertEqual(describe(self.rds, "still-creating")["DBInstanceStatus"], "creating")


class LogExports(unittest.TestCase):
    """R31: postgresql, upgrade and iam-db-auth-error only, each once; disabling one not enabled changes
    nothing."""

    def setUp(self):
        self.rds = rds(LOGS)

    def exports(self, ident):
        return describe(self.rds, ident).get("EnabledCloudwatchLogsExports", [])

    def test_create(self):
        d = create_db(self.rds, "logs-create", EngineVersion="16.3",
                      EnableCloudwatchLogsExports=["postgresql", "upgrade", "iam-db-auth-error", "postgresql"])
        self.assertEqual(d["EnabledCloudwatchLogsExports"], ["postgresql", "upgrade", "iam-db-auth-error"])
        self.assertEqual(self.exports("logs-create"), ["postgresql", "upgrade", "iam-db-auth-error"])
        c, msg = code(create_db, self.rds, "logs-bad", EngineVersion="16.3",
                      EnableCloudwatchLogsExports=["postgresql", "audit"])
        self.assertEqual((c, msg), ("InvalidParameterCombination", "You cannot use the log types 'audit' with engine "
                                    "version postgres 16.3. For supported log types, see the documentation."))
        self.assertEqual(code(describe, self.rds, "logs-bad")[0], "DBInstanceNotFound")

    def test_modify(self):
        create_db(self.rds, "logs-modify", EngineVersion="16.3", EnableCloudwatchLogsExports=["postgresql"])

        def modify(**config):
            return self.rds.modify_db_instance(DBInstanceIdentifier="logs-modify",
                                               CloudwatchLogsExportConfiguration=config)["DBInstance"]
        d = modify(EnableLogTypes=["upgrade"])
        self.assertEqual(d["EnabledCloudwatchLogsExports"], ["postgresql", "upgrade"])
        modify(DisableLogTypes=["iam-db-auth-error"])  # not enabled: moto answered HTTP 500
        self.assertEqual(self.exports("logs-modify"), ["postgresql", "upgrade"])
        modify(EnableLogTypes=["postgresql", "postgresql"])  # enabled already: listed once
        self.assertEqual(self.exports("logs-modify"), ["postgresql", "upgrade"])
        c, _ = code(modify, EnableLogTypes=["error"])
        self.assertEqual(c, "InvalidParameterCombination")
        self.assertEqual(code(modify, DisableLogTypes=["slowquery"])[0], "InvalidParameterCombination")
        self.assertEqual(self.exports("logs-modify"), ["postgresql", "upgrade"])
        modify(EnableLogTypes=["iam-db-auth-error"], DisableLogTypes=["postgresql"])
        self.assertEqual(self.exports("logs-modify"), ["upgrade", "iam-db-auth-error"])
        modify(DisableLogTypes=["upgrade", "iam-db-auth-error"])
        self.assertEqual(self.exports("logs-modify"), [])


class ProwlerTransportEncrypted(unittest.TestCase):
    """tests/audit/prowler_checks.py rds-transport against the layer: Prowler reads rds.force_ssl from
    DescribeDBParameters of each of the instance's groups (every page)."""

    @classmethod
    def setUpClass(cls):
        cls.rds = rds(AUDIT)
        create_db(cls.rds, "audit-pg16-default", EngineVersion="16.3")
        create_db(cls.rds, "audit-pg14-default", EngineVersion="14.10")
        cls.rds.create_db_parameter_group(DBParameterGroupName="audit-pg14-tls", DBParameterGroupFamily="postgres14",
                                          Description="rds.force_ssl 1")
        cls.rds.modify_db_parameter_group(DBParameterGroupName="audit-pg14-tls", Parameters=[
            {"ParameterName": "rds.force_ssl", "ParameterValue": "1", "ApplyMethod": "immediate"}])
        create_db(cls.rds, "audit-pg14-custom", EngineVersion="14.10", DBParameterGroupName="audit-pg14-tls")

    def prowler(self, ident):
        env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
        env.update(AWS_ACCESS_KEY_ID=f"AKIA{AUDIT}TEST", AWS_SECRET_ACCESS_KEY="x", AWS_DEFAULT_REGION=REGION,
                   AWS_ENDPOINT_URL=URL, AWS_CONFIG_FILE=os.devnull, AWS_SHARED_CREDENTIALS_FILE=os.devnull,
                   AWS_EC2_METADATA_DISABLED="true", NO_PROXY="127.0.0.1", no_proxy="127.0.0.1")
        return subprocess.run([sys.executable, PROWLER, "--endpoint-url", URL, "--region", REGION, "rds-transport",
                               ident], env=env, capture_output=True, text=True, timeout=60)

    def test_default_postgres16_passes(self):
        p = self.prowler("audit-pg16-default")
        self.assertEqual((p.returncode, p.stdout.strip()),
                         (0, "PASS rds_instance_transport_encrypted audit-pg16-default"), p.stderr)

    def test_default_postgres14_fails(self):
        p = self.prowler("audit-pg14-default")
        self.assertEqual((p.returncode, p.stdout.strip()),
                         (1, "FAIL rds_instance_transport_encrypted audit-pg14-default: RDS Instance "
                             "audit-pg14-default connections are not encrypted."), p.stderr)

    def test_custom_postgres14_group_with_force_ssl_passes(self):
        p = self.prowler("audit-pg14-custom")
        self.assertEqual((p.returncode, p.stdout.strip()),
                         (0, "PASS rds_instance_transport_encrypted audit-pg14-custom"), p.stderr)


class DefaultVersion(unittest.TestCase):
    """R31: the engine's default version (rds_default_postgres_version, rds_default_aurora_postgresql_version,
    stand-ins for AWS's current default): DescribeDBEngineVersions with DefaultOnly answers it, CreateDBInstance
    and CreateDBCluster without EngineVersion use it; a version named is kept, with its own family."""

    @classmethod
    def setUpClass(cls):
        cls.rds = rds(VERSIONS)
        cls.older = rds(OLDER)
        control("/_localaws/config", {"account": OLDER, "rds_default_postgres_version": "14.12"})

    @classmethod
    def tearDownClass(cls):
        localaws.ACCOUNT_CONFIG.pop(OLDER, None)

    def versions(self, client=None, **kw):
        return (client or self.rds).describe_db_engine_versions(**kw)["DBEngineVersions"]

    def test_default_only(self):
        self.assertEqual(self.versions(Engine="postgres", DefaultOnly=True), [
            {"Engine": "postgres", "MajorEngineVersion": "17", "EngineVersion": "17.4",
             "DBParameterGroupFamily": "postgres17", "DBEngineDescription": "PostgreSQL",
             "DBEngineVersionDescription": "PostgreSQL 17.4-R1", "Status": "available"}])
        self.assertEqual(self.versions(Engine="aurora-postgresql", DefaultOnly=True), [
            {"Engine": "aurora-postgresql", "MajorEngineVersion": "16", "EngineVersion": "16.6",
             "DBParameterGroupFamily": "aurora-postgresql16", "DBEngineDescription": "Aurora (PostgreSQL)",
             "DBEngineVersionDescription": "Aurora PostgreSQL (Compatible with PostgreSQL 16.6)",
             "Status": "available"}])
        # Without DefaultOnly the layer knows the default only; a major version alone gives its default.
        self.assertEqual([v["EngineVersion"] for v in self.versions(Engine="postgres")], ["17.4"])
        self.assertEqual([v["EngineVersion"] for v in self.versions(Engine="postgres", EngineVersion="17",
                                                                    DefaultOnly=True)], ["17.4"])
        self.assertEqual(self.versions(Engine="postgres", EngineVersion="16", DefaultOnly=True), [])

    def test_a_version_named(self):
        for version, family, major in (("14.12", "postgres14", "14"), ("9.6.24", "postgres9.6", "9.6"),
                                       ("16.3", "postgres16", "16")):
            with self.subTest(version=version):
                for default_only in (True, False):
                    got = self.versions(Engine="postgres", EngineVersion=version, DefaultOnly=default_only)
                    self.assertEqual([(v["EngineVersion"], v["DBParameterGroupFamily"], v["MajorEngineVersion"],
                                       v["DBEngineVersionDescription"]) for v in got],
                                     [(version, family, major, f"PostgreSQL {version}-R1")])
        got = self.versions(Engine="aurora-postgresql", EngineVersion="15.4")
        self.assertEqual([(v["EngineVersion"], v["DBParameterGroupFamily"]) for v in got],
                         [("15.4", "aurora-postgresql15")])
        self.assertEqual(self.versions(Engine="postgres", EngineVersion="not-a-version"), [])

    def test_filters_and_pages(self):
        self.assertEqual(len(self.versions(Engine="postgres", DBParameterGroupFamily="postgres17")), 1)
        self.assertEqual(self.versions(Engine="postgres", DBParameterGroupFamily="postgres16"), [])
        self.assertEqual(self.versions(Engine="postgres", Filters=[
            {"Name": "db-parameter-group-family", "Values": ["postgres16", "postgres17"]},
            {"Name": "status", "Values": ["available"]}])[0]["EngineVersion"], "17.4")
        self.assertEqual(self.versions(Engine="postgres", Filters=[{"Name": "status", "Values": ["deprecated"]}]), [])
        page = self.rds.describe_db_engine_versions(Engine="postgres", DefaultOnly=True, MaxRecords=20)
        self.assertNotIn("Marker", page)
        pages = list(self.rds.get_paginator("describe_db_engine_versions").paginate(
            Engine="postgres", DefaultOnly=True, PaginationConfig={"PageSize": 20}))
        self.assertEqual([[v["EngineVersion"] for v in p["DBEngineVersions"]] for p in pages], [["17.4"]])
        for kw in ({"MaxRecords": 19}, {"MaxRecords": 101}, {"Marker": "not-a-marker"}):
            with self.subTest(**kw):
                self.assertEqual(code(self.rds.describe_db_engine_versions, Engine="postgres", **kw)[0],
                                 "InvalidParameterValue")

    def test_the_setting(self):
        # One account's default (14.12, an older one): DefaultOnly and a creation without EngineVersion follow it,
        # other accounts keep theirs.
        self.assertEqual([(v["EngineVersion"], v["DBParameterGroupFamily"])
                          for v in self.versions(self.older, Engine="postgres", DefaultOnly=True)],
                         [("14.12", "postgres14")])
        self.assertEqual(self.versions(Engine="postgres", DefaultOnly=True)[0]["EngineVersion"], "17.4")
        d = create_db(self.older, "older-default")
        self.assertEqual((d["EngineVersion"], d["DBParameterGroups"]),
                         ("14.12", [{"DBParameterGroupName": "default.postgres14", "ParameterApplyStatus": "in-sync"}]))
        self.assertEqual(force_ssl(self.older, "default.postgres14")["ParameterValue"], "0")
        # The setting is a string, kept as given (14.10 is not 14.1).
        got = control("/_localaws/config", {"account": OLDER, "rds_default_postgres_version": "14.10"})
        try:
            self.assertEqual(got["rds_default_postgres_version"], "14.10")
            self.assertEqual(self.versions(self.older, Engine="postgres", DefaultOnly=True)[0]["EngineVersion"],
                             "14.10")
        finally:
            control("/_localaws/config", {"account": OLDER, "rds_default_postgres_version": "14.12"})

    def test_creation_without_a_version(self):
        default = self.versions(Engine="postgres", DefaultOnly=True)[0]
        d = create_db(self.rds, "default-version")
        want = [{"DBParameterGroupName": f"default.{default['DBParameterGroupFamily']}",
                 "ParameterApplyStatus": "in-sync"}]
        self.assertEqual((d["EngineVersion"], d["DBParameterGroups"]), (default["EngineVersion"], want))
        d = describe(self.rds, "default-version")
        self.assertEqual((d["EngineVersion"], d["DBParameterGroups"]), ("17.4", want))
        # Its default group is the engine default's: rds.force_ssl 1 (PostgreSQL 17).
        self.assertEqual(force_ssl(self.rds, "default.postgres17")["ParameterValue"], "1")
        # A group of another family is refused against the default version too.
        self.rds.create_db_parameter_group(DBParameterGroupName="v-pg14", DBParameterGroupFamily="postgres14",
                                           Description="d")
        self.assertEqual(code(create_db, self.rds, "default-version-pg14", DBParameterGroupName="v-pg14")[0],
                         "InvalidParameterCombination")
        self.rds.create_db_parameter_group(DBParameterGroupName="v-pg17", DBParameterGroupFamily="postgres17",
                                           Description="d")
        d = create_db(self.rds, "default-version-pg17", DBParameterGroupName="v-pg17")
        self.assertEqual((d["EngineVersion"], d["DBParameterGroups"][0]["DBParameterGroupName"]), ("17.4", "v-pg17"))

    def test_creation_with_14_12(self):
        d = create_db(self.rds, "named-14-12", EngineVersion="14.12")
        want = ("14.12", [{"DBParameterGroupName": "default.postgres14", "ParameterApplyStatus": "in-sync"}])
        self.assertEqual((d["EngineVersion"], d["DBParameterGroups"]), want)
        d = describe(self.rds, "named-14-12")
        self.assertEqual((d["EngineVersion"], d["DBParameterGroups"]), want)
        self.assertEqual(force_ssl(self.rds, "default.postgres14")["ParameterValue"], "0")

    def test_aurora_cluster_without_a_version(self):
        c = self.rds.create_db_cluster(DBClusterIdentifier="aurora-default", Engine="aurora-postgresql",
                                       MasterUsername="cmek", MasterUserPassword="not-a-real-password")["DBCluster"]
        self.assertEqual(c["EngineVersion"], "16.6")
        c = self.rds.create_db_cluster(DBClusterIdentifier="aurora-named", Engine="aurora-postgresql",
                                       EngineVersion="15.4", MasterUsername="cmek",
                                       MasterUserPassword="not-a-real-password")["DBCluster"]
        self.assertEqual(c["EngineVersion"], "15.4")

    def test_other_engines_are_left_to_moto(self):
        # Another engine, none, or a filter the layer does not model: moto answers, as before (moto 5.2.5: HTTP 500).
        import types
        from rds_params import engine_versions_handle
        for form in ({"Engine": "mysql"}, {}, {"Engine": "postgres", "Filters.Filter.1.Name": "engine-mode",
                                                "Filters.Filter.1.Values.Value.1": "provisioned"}):
            with self.subTest(form=form):
                call = types.SimpleNamespace(form=dict(form, Action="DescribeDBEngineVersions"), account=VERSIONS,
                                             region=REGION, operation="DescribeDBEngineVersions")
                self.assertIsNone(engine_versions_handle(call))

if __name__ == "__main__":
    unittest.main()
