"""Reads a Terraform module written by `cmek template --format terraform` with a real HCL2 parser
(python-hcl2) and prints, as one JSON object, what the tests compare with the CloudFormation
template: the key's attributes, its key policy with Terraform's references turned back into the
CloudFormation template's substitutions (so the two compare statement by statement), the alias,
the variables and the outputs.

Usage: policy_of.py FILE_OR_DIR
"""

import json
import os
import sys

import hcl2

# Terraform's reference -> the CloudFormation substitution it stands for (src/commands/terraform.rs).
TO_CLOUDFORMATION = {
    "${data.aws_partition.current.partition}": "${AWS::Partition}",
    "${var.speedscale_account_id}": "${SpeedscaleAccountId}",
    "${data.aws_region.current.name}": "${AWS::Region}",
    "${data.aws_caller_identity.current.account_id}": "${AWS::AccountId}",
}


def one(v):
    """python-hcl2 gives attribute values as one-element lists."""
    return v[0] if isinstance(v, list) and len(v) == 1 else v


def blocks(doc, kind):
    out = {}
    for block in doc.get(kind, []):
        for name, body in block.items():
            out[name] = body
    return out


def main():
    path = sys.argv[1]
    files = [os.path.join(path, f) for f in sorted(os.listdir(path)) if f.endswith(".tf")] \
        if os.path.isdir(path) else [path]
    doc = {}
    for f in files:
        with open(f) as fh:
            for kind, items in hcl2.load(fh).items():
                doc.setdefault(kind, []).extend(items)
    resources = blocks(doc, "resource")
    key = resources["aws_kms_key"]["cmek"]
    policy = one(key["policy"])
    for tf, cfn in TO_CLOUDFORMATION.items():
        policy = policy.replace(tf, cfn)
    # What is left escaped is literal text in Terraform.
    policy = policy.replace("$${", "${").replace("%%{", "%{")
    attrs = {k: one(v) for k, v in key.items() if k not in ("policy", "lifecycle") and not k.startswith("__")}
    attrs["prevent_destroy"] = one(one(key.get("lifecycle", [{}]))["prevent_destroy"]) if key.get("lifecycle") else None
    alias = {k: one(v) for k, v in resources["aws_kms_alias"]["cmek"].items() if not k.startswith("__")}
    variables = {n: {k: one(v) for k, v in b.items() if k in ("default", "type", "description")}
                 for n, b in blocks(doc, "variable").items()}
    outputs = {n: {k: one(v) for k, v in b.items() if not k.startswith("__")} for n, b in blocks(doc, "output").items()}
    json.dump({"key": attrs, "policy": json.loads(policy), "alias": alias, "variables": variables,
               "outputs": outputs, "data": sorted(blocks(doc, "data"))}, sys.stdout)


if __name__ == "__main__":
    main()
