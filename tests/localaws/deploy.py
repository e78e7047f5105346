"""Deploys a CloudFormation template in one account of the local AWS, as that account's owner would.

Usage: deploy.py URL ACCOUNT TEMPLATE_FILE [STACK_NAME]   Prints the stack's KeyArn output.
"""

import sys
import time

import boto3


def deploy(url, account, template_body, stack="speedscale-cmek"):
    cfn = boto3.client("cloudformation", endpoint_url=url, region_name="us-east-1",
                       aws_access_key_id=f"AKIA{account}DEPLOY", aws_secret_access_key="x")
    cfn.create_stack(StackName=stack, TemplateBody=template_body)
    for _ in range(100):
        s = cfn.describe_stacks(StackName=stack)["Stacks"][0]
        if s["StackStatus"].endswith("_COMPLETE") or s["StackStatus"].endswith("_FAILED"):
            break
        time.sleep(0.1)
    if s["StackStatus"] != "CREATE_COMPLETE":
        raise SystemExit(f"stack {stack}: {s['StackStatus']} {s.get('StackStatusReason', '')}")
    return {o["OutputKey"]: o["OutputValue"] for o in s.get("Outputs", [])}


if __name__ == "__main__":
    url, account, path = sys.argv[1:4]
    stack = sys.argv[4] if len(sys.argv) > 4 else "speedscale-cmek"
    with open(path) as f:
        print(deploy(url, account, f.read(), stack)["KeyArn"])
