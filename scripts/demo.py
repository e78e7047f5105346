"""Narrated demo of the CMEK process on the local AWS. Usage: demo.py PATH_TO_CMEK

The customer (account 111111111111) acts with its own AWS tooling (boto3); the Speedscale engineer
(account 222222222222) runs cmek. Every step checks its expected result.
"""

import json
import os
import subprocess
import sys

import boto3

CUSTOMER, SPEEDSCALE, REGION, TENANT = "111111111111", "222222222222", "us-east-1", "acme"
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "tests", "localaws"))


def say(text):
    print(f"\n\033[1m==> {text}\033[0m" if sys.stdout.isatty() else f"\n==> {text}", flush=True)


def start_local_aws():
    proc = subprocess.Popen([sys.executable, os.path.join(HERE, "..", "tests", "localaws", "localaws.py"), "--port", "0"],
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    url = proc.stdout.readline().strip().split()[-1]
    assert url.startswith("http://127.0.0.1:"), url
    return proc, url


def customer_kms(url):
    return boto3.client("kms", endpoint_url=url, region_name=REGION,
                        aws_access_key_id=f"AKIA{CUSTOMER}DEMO", aws_secret_access_key="demo")


def key_policy():
    ss = f"arn:aws:iam::{SPEEDSCALE}:root"
    return json.dumps({"Version": "2012-10-17", "Statement": [
        {"Sid": "CustomerControl", "Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{CUSTOMER}:root"},
         "Action": "kms:*", "Resource": "*"},
        {"Sid": "SpeedscaleDescribe", "Effect": "Allow", "Principal": {"AWS": ss},
         "Action": ["kms:DescribeKey", "kms:GetKeyRotationStatus"], "Resource": "*"},
        {"Sid": "SpeedscaleVerifyRoundTrip", "Effect": "Allow", "Principal": {"AWS": ss},
         "Action": ["kms:GenerateDataKey", "kms:Decrypt"], "Resource": "*",
         "Condition": {"StringEquals": {"kms:EncryptionContext:speedscale:purpose": "cmek-verify"}}},
        {"Sid": "SpeedscaleUseThroughServices", "Effect": "Allow", "Principal": {"AWS": ss},
         "Action": ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:DescribeKey"],
         "Resource": "*", "Condition": {"StringEquals": {"kms:CallerAccount": SPEEDSCALE, "kms:ViaService": [
             f"s3.{REGION}.amazonaws.com", f"firehose.{REGION}.amazonaws.com", f"rds.{REGION}.amazonaws.com"]}}},
        {"Sid": "SpeedscaleGrantsForAwsResources", "Effect": "Allow", "Principal": {"AWS": ss},
         "Action": ["kms:CreateGrant", "kms:ListGrants", "kms:RevokeGrant"], "Resource": "*",
         "Condition": {"Bool": {"kms:GrantIsForAWSResource": "true"}}},
    ]})


def cmek(binary, url, *args, expect):
    env = {"PATH": os.environ.get("PATH", ""), "AWS_ACCESS_KEY_ID": f"AKIA{SPEEDSCALE}DEMO",
           "AWS_SECRET_ACCESS_KEY": "demo", "AWS_REGION": REGION, "AWS_ENDPOINT_URL": url,
           "AWS_CONFIG_FILE": "/dev/null", "AWS_SHARED_CREDENTIALS_FILE": "/dev/null",
           "AWS_EC2_METADATA_DISABLED": "true", "NO_COLOR": os.environ.get("NO_COLOR", "")}
    print(f"$ cmek {' '.join(args)}", flush=True)
    code = subprocess.run([binary, *args], env=env).returncode
    if code != expect:
        print(f"\ndemo: FAILED: cmek {args[0]} exited {code}, expected {expect}", file=sys.stderr)
        sys.exit(1)
    print(f"(exit {code}, as expected)", flush=True)


def main():
    binary = os.path.abspath(sys.argv[1])
    say("Starting the local AWS on loopback (moto + cmek's fidelity layer)")
    proc, url = start_local_aws()
    print(url)
    try:
        kms = customer_kms(url)
        say(f"Customer {CUSTOMER}: creates a symmetric KMS key and grants Speedscale ({SPEEDSCALE}) access")
        arn = kms.create_key(Policy=key_policy(), Description="Speedscale CMEK")["KeyMetadata"]["Arn"]
        say(f"Customer shares the key ARN with Speedscale: {arn}")
        say("Speedscale engineer: verifies the key for the tenant (changes nothing)")
        cmek(binary, url, "verify", "--tenant", TENANT, "--key-arn", arn, expect=0)
        say("Speedscale engineer: shows the plan for the tenant (a dry run changes nothing)")
        cmek(binary, url, "enable", "--tenant", TENANT, "--key-arn", arn, "--dry-run", expect=0)
        say("Speedscale engineer: applies the key to the tenant's bucket, stream and new database")
        cmek(binary, url, "enable", "--tenant", TENANT, "--key-arn", arn, "--yes", expect=0)
        say("Running enable again changes nothing")
        cmek(binary, url, "enable", "--tenant", TENANT, "--key-arn", arn, "--yes", expect=0)
        say("Customer disables the key: Speedscale loses access")
        kms.disable_key(KeyId=arn)
        cmek(binary, url, "verify", "--tenant", TENANT, "--key-arn", arn, expect=1)
        say("Customer re-enables the key")
        kms.enable_key(KeyId=arn)
        cmek(binary, url, "--output", "json", "verify", "--tenant", TENANT, "--key-arn", arn, expect=0)
        say("Bad input is refused before anything changes (exit 2)")
        cmek(binary, url, "verify", "--tenant", TENANT, "--key-arn", f"arn:aws:kms:{REGION}:{CUSTOMER}:alias/speedscale",
             expect=2)
        say("demo: every step gave the expected result")
    finally:
        proc.stdin.close()
        proc.wait(timeout=10)


if __name__ == "__main__":
    main()
