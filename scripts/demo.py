"""Narrated demo of the CMEK process on the local AWS. Usage: demo.py PATH_TO_CMEK

The seed's sequence: the customer (account 111111111111) deploys Speedscale's CloudFormation template
with its own AWS tooling (boto3) and shares the key ARN; the Speedscale engineer (account
222222222222) runs cmek verify, enable, status and revoke-check; the customer disables the key
(revoked) and enables it again (ready). Every step checks its expected result.
"""

import json
import os
import subprocess
import sys

import time

import boto3

CUSTOMER, SPEEDSCALE, REGION, TENANT = "111111111111", "222222222222", "us-east-1", "acme"
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "tests", "localaws"))
import deploy  # noqa: E402


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


def speedscale_rds(url):
    return boto3.client("rds", endpoint_url=url, region_name=REGION,
                        aws_access_key_id=f"AKIA{SPEEDSCALE}DEMO", aws_secret_access_key="demo")


def cmek_env(url):
    return {"PATH": os.environ.get("PATH", ""), "AWS_ACCESS_KEY_ID": f"AKIA{SPEEDSCALE}DEMO",
            "AWS_SECRET_ACCESS_KEY": "demo", "AWS_REGION": REGION, "AWS_ENDPOINT_URL": url,
            "AWS_CONFIG_FILE": "/dev/null", "AWS_SHARED_CREDENTIALS_FILE": "/dev/null",
            "AWS_EC2_METADATA_DISABLED": "true", "NO_COLOR": os.environ.get("NO_COLOR", "")}


def verdict(binary, url, *args):
    """Runs cmek with --output json quietly; returns (exit code, verdict)."""
    p = subprocess.run([binary, "--output", "json", *args], env=cmek_env(url), capture_output=True, text=True)
    try:
        return p.returncode, json.loads(p.stdout)["verdict"]
    except ValueError:
        return p.returncode, None


def cmek(binary, url, *args, expect, quiet=False):
    print(f"$ cmek {' '.join(args)}", flush=True)
    out = subprocess.DEVNULL if quiet else None
    code = subprocess.run([binary, *args], env=cmek_env(url), stdout=out).returncode
    if code != expect:
        print(f"\ndemo: FAILED: cmek {args[0]} exited {code}, expected {expect}", file=sys.stderr)
        sys.exit(1)
    print(f"(exit {code}, as expected)", flush=True)


def expect_verdict(binary, url, want):
    code, got = verdict(binary, url, "revoke-check", "--tenant", TENANT)
    if got != want:
        print(f"\ndemo: FAILED: revoke-check said {got} (exit {code}), expected {want}", file=sys.stderr)
        sys.exit(1)


def wait_for_revoked(binary, url):
    for attempt in range(30):
        code, got = verdict(binary, url, "revoke-check", "--tenant", TENANT)
        print(f"revoke-check: {got} (exit {code})", flush=True)
        if got == "revoked":
            return
        if got != "partial":
            print(f"\ndemo: FAILED: revoke-check said {got} after the key was disabled", file=sys.stderr)
            sys.exit(1)
        time.sleep(0.5)
    print("\ndemo: FAILED: never revoked", file=sys.stderr)
    sys.exit(1)


def main():
    binary = os.path.abspath(sys.argv[1])
    say("Starting the local AWS on loopback (moto + cmek's fidelity layer)")
    proc, url = start_local_aws()
    print(url)
    try:
        kms = customer_kms(url)
        say(f"Speedscale gives the customer its CloudFormation template (for Speedscale's account {SPEEDSCALE})")
        cmek(binary, url, "template", "--vendor-account", SPEEDSCALE, "--format", "yaml", expect=0, quiet=True)
        template = subprocess.run([binary, "template", "--vendor-account", SPEEDSCALE], env=cmek_env(url),
                                  capture_output=True, text=True, check=True).stdout
        say(f"Customer {CUSTOMER}: inspects the template and deploys it in its own account")
        arn = deploy.deploy(url, CUSTOMER, template)["KeyArn"]
        say(f"Customer shares the stack's output, the key ARN: {arn}")
        say("Speedscale engineer: verifies the key for the tenant (changes nothing)")
        cmek(binary, url, "verify", "--tenant", TENANT, "--key-arn", arn, expect=0)
        say("Speedscale engineer: shows the plan (a dry run changes nothing)")
        cmek(binary, url, "enable", "--tenant", TENANT, "--key-arn", arn, "--dry-run", expect=0)
        say("Speedscale engineer: applies the key to the tenant's bucket, stream and new database")
        cmek(binary, url, "enable", "--tenant", TENANT, "--key-arn", arn, "--yes", expect=0)
        say("Speedscale engineer: what every resource is encrypted with")
        cmek(binary, url, "status", "--tenant", TENANT, expect=0)
        say("Speedscale engineer: would disabling the key cut Speedscale off? (expect: ready)")
        cmek(binary, url, "revoke-check", "--tenant", TENANT, expect=0)
        expect_verdict(binary, url, "ready")
        say("Customer disables the key")
        kms.disable_key(KeyId=arn)
        say("Speedscale engineer: revoke-check until every data path is refused (RDS takes a moment)")
        wait_for_revoked(binary, url)
        cmek(binary, url, "revoke-check", "--tenant", TENANT, expect=0)
        say("Customer re-enables the key")
        kms.enable_key(KeyId=arn)
        say("Speedscale engineer: status shows the database must be started (action-needed, exit 1); start it")
        cmek(binary, url, "status", "--tenant", TENANT, expect=1)
        speedscale_rds(url).start_db_instance(DBInstanceIdentifier=f"speedscale-{TENANT}")
        say("Speedscale engineer: everything is back on the key (status ok, revoke-check ready)")
        cmek(binary, url, "status", "--tenant", TENANT, expect=0)
        expect_verdict(binary, url, "ready")
        say("Bad input is refused before anything changes (exit 2)")
        cmek(binary, url, "verify", "--tenant", TENANT, "--key-arn", f"arn:aws:kms:{REGION}:{CUSTOMER}:alias/speedscale-cmek",
             expect=2)
        say("demo: every step gave the expected result")
    finally:
        proc.stdin.close()
        proc.wait(timeout=10)


if __name__ == "__main__":
    main()
