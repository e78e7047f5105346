"""Unit tests for the pure decision functions of prowler_checks.py (a port of three Prowler checks).

No network: the functions take the values Prowler's service classes would have built from the API.
Several cases mirror Prowler's own tests (tests/providers/aws/services/s3/s3_bucket_secure_transport_policy/
s3_bucket_secure_transport_policy_test.py and its siblings at commit 3e000faa3109).
Run: python -m unittest tests/audit/test_prowler_checks.py   (or python tests/audit/test_prowler_checks.py)
"""

import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import prowler_checks as pc  # noqa: E402


def deny_insecure(action="s3:*", value="false", bool_key="Bool"):
    return {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "DenyInsecure",
                "Effect": "Deny",
                "Principal": "*",
                "Action": action,
                "Resource": ["arn:aws:s3:::b", "arn:aws:s3:::b/*"],
                "Condition": {bool_key: {"aws:SecureTransport": value}},
            }
        ],
    }


class SecureTransport(unittest.TestCase):
    def test_pass_deny_all_actions_over_http(self):
        self.assertEqual(
            pc.decide_s3_secure_transport("b", deny_insecure()),
            ("PASS", "S3 Bucket b has a bucket policy to deny requests over insecure transport."),
        )

    def test_pass_put_object_string_action(self):  # Prowler's test_bucket_comply_policy
        self.assertEqual(pc.decide_s3_secure_transport("b", deny_insecure("s3:PutObject"))[0], "PASS")

    def test_pass_action_list(self):
        self.assertEqual(pc.decide_s3_secure_transport("b", deny_insecure(["s3:GetObject", "s3:PutObject"]))[0], "PASS")

    def test_fail_no_policy(self):
        for policy in (None, {}):
            self.assertEqual(
                pc.decide_s3_secure_transport("b", policy),
                ("FAIL", "S3 Bucket b does not have a bucket policy, thus it allows HTTP requests."),
            )

    def test_fail_get_object_only(self):  # Prowler's test_bucket_uncomply_policy
        self.assertEqual(
            pc.decide_s3_secure_transport("b", deny_insecure("s3:GetObject")),
            ("FAIL", "S3 Bucket b allows requests over insecure transport in the bucket policy."),
        )

    def test_fail_without_action(self):  # Prowler's test_bucket_uncomply_policy_without_action
        policy = deny_insecure()
        del policy["Statement"][0]["Action"]
        self.assertEqual(pc.decide_s3_secure_transport("b", policy)[0], "FAIL")

    def test_fail_allow_statement(self):
        policy = deny_insecure()
        policy["Statement"][0]["Effect"] = "Allow"
        self.assertEqual(pc.decide_s3_secure_transport("b", policy)[0], "FAIL")

    def test_fail_value_not_the_string_false(self):
        self.assertEqual(pc.decide_s3_secure_transport("b", deny_insecure(value=False))[0], "FAIL")
        self.assertEqual(pc.decide_s3_secure_transport("b", deny_insecure(value=["false"]))[0], "FAIL")

    def test_fail_bool_if_exists(self):
        self.assertEqual(pc.decide_s3_secure_transport("b", deny_insecure(bool_key="BoolIfExists"))[0], "FAIL")

    def test_string_action_is_a_substring_test(self):  # Python `in` on a str, as in Prowler
        self.assertEqual(pc.decide_s3_secure_transport("b", deny_insecure("s3:PutObjectAcl"))[0], "PASS")
        self.assertEqual(pc.decide_s3_secure_transport("b", deny_insecure("s3:Get*"))[0], "PASS")

    def test_single_statement_object_raises(self):  # Prowler's check would raise: no finding
        policy = deny_insecure()
        policy["Statement"] = policy["Statement"][0]
        with self.assertRaises(TypeError):
            pc.decide_s3_secure_transport("b", policy)


class Versioning(unittest.TestCase):
    def test_pass_enabled(self):
        v = pc.versioning_from_response({"Status": "Enabled", "MFADelete": "Disabled"})
        self.assertEqual(pc.decide_s3_versioning("b", v), ("PASS", "S3 Bucket b has versioning enabled."))

    def test_fail_suspended_or_never(self):
        for response in ({"Status": "Suspended"}, {}):
            v = pc.versioning_from_response(response)
            self.assertEqual(pc.decide_s3_versioning("b", v), ("FAIL", "S3 Bucket b has versioning disabled."))


class RdsInstance(unittest.TestCase):
    def test_pass_postgres_force_ssl_1(self):
        params = [{"ParameterName": "rds.force_ssl", "ParameterValue": "1", "Source": "user"}]
        self.assertEqual(
            pc.decide_rds_instance_transport("db1", "postgres", None, params),
            ("PASS", "RDS Instance db1 connections use SSL encryption."),
        )

    def test_pass_postgres15_engine_default_as_returned(self):
        params = [{"ParameterName": "rds.force_ssl", "ParameterValue": "1", "Source": "engine-default"}]
        self.assertEqual(pc.decide_rds_instance_transport("db1", "postgres", None, params)[0], "PASS")

    def test_fail_postgres_force_ssl_0(self):
        params = [{"ParameterName": "rds.force_ssl", "ParameterValue": "0"}]
        self.assertEqual(
            pc.decide_rds_instance_transport("db1", "postgres", None, params),
            ("FAIL", "RDS Instance db1 connections are not encrypted."),
        )

    def test_fail_no_value_or_no_parameter(self):  # no version rule: a missing value is "0"
        for params in ([{"ParameterName": "rds.force_ssl"}], []):
            self.assertEqual(pc.decide_rds_instance_transport("db1", "postgres", None, params)[0], "FAIL")

    def test_mysql_reads_require_secure_transport(self):
        ok = [{"ParameterName": "require_secure_transport", "ParameterValue": "1"}]
        self.assertEqual(pc.decide_rds_instance_transport("db1", "mysql", None, ok)[0], "PASS")
        force = [{"ParameterName": "rds.force_ssl", "ParameterValue": "1"}]
        self.assertEqual(pc.decide_rds_instance_transport("db1", "mysql", None, force)[0], "FAIL")

    def test_no_finding_for_cluster_members_and_other_engines(self):
        params = [{"ParameterName": "rds.force_ssl", "ParameterValue": "1"}]
        self.assertIsNone(pc.decide_rds_instance_transport("db1", "aurora-postgresql", "c1", params))
        self.assertIsNone(pc.decide_rds_instance_transport("db1", "oracle-ee", None, params))


class RdsCluster(unittest.TestCase):
    def test_pass_and_fail(self):
        fs, rst = pc.cluster_tls_values([{"ParameterName": "rds.force_ssl", "ParameterValue": "1"}])
        self.assertEqual(pc.decide_rds_cluster_transport("c1", fs, rst)[0], "PASS")
        fs, rst = pc.cluster_tls_values([{"ParameterName": "rds.force_ssl"}])
        self.assertEqual((fs, rst), ("0", "OFF"))
        self.assertEqual(
            pc.decide_rds_cluster_transport("c1", fs, rst),
            ("FAIL", "RDS Cluster c1 connections are not encrypted."),
        )
        self.assertEqual(pc.decide_rds_cluster_transport("c1", "0", "ON")[0], "PASS")


if __name__ == "__main__":
    unittest.main()
