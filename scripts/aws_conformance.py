"""Conformance probes for the local AWS: settles each "unconfirmed" entry of RULES
(tests/localaws/rules.py) in real AWS, in a sandbox pair of accounts (never production).

  aws-conformance --customer-profile C --vendor-profile V --region R --out report.json
                  [--endpoint-url URL] [--max-wait SECONDS] [--include-slow] [--only ID[,ID...]]
  aws-conformance --cleanup RUN_ID --customer-profile C --vendor-profile V --region R [--endpoint-url URL]

Every resource a run creates is named cmek-conformance-<run id>-... and tagged cmek-conformance=<run
id>, journaled (./cmek-conformance-<run id>.journal) before it is created, and removed at the end,
after a failure or Ctrl-C too. See docs/conformance.md. Exit: 0 every probe ran and nothing was left;
1 a probe answered error/not-observed or something was left; 2 bad usage; 130 interrupted."""

import argparse
import ast
import datetime
import json
import os
import re
import secrets
import signal
import sys
import tempfile
import time
import traceback

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

from botocore.exceptions import BotoCoreError, ClientError, ProfileNotFound  # noqa: E402

from conformance import NotObserved, Unobservable, load  # noqa: E402
from conformance.cleanup import cleanup, log, read_journal  # noqa: E402
from conformance.run import Run  # noqa: E402

RULES_PATH = os.path.join(HERE, "..", "tests", "localaws", "rules.py")
PROBED = ("unconfirmed", "not-documented")
RUN_ID = re.compile(r"^[a-z0-9]{8,40}$")


class Usage(Exception):
    pass


def usage_exit(msg):
    print(f"aws-conformance: {msg}", file=sys.stderr)
    sys.exit(2)


def read_rules(path=RULES_PATH):
    """RULES as a literal (no moto import), and its probed entries in order."""
    with open(path) as f:
        tree = ast.parse(f.read(), path)
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(getattr(t, "id", None) == "RULES" for t in node.targets):
            rules = ast.literal_eval(node.value)
            break
    else:
        raise Usage(f"no RULES in {path}")
    entries = []
    for rule, body in rules.items():
        for entry in body.get("unconfirmed", []):
            if entry.get("status") in PROBED:
                entries.append(dict(entry, rule=rule))
    return entries


def check_entries(entries, probes):
    for e in entries:
        pid = e.get("probe")
        if not pid:
            raise Usage(f"RULES {e['rule']}: an {e['status']} entry has no probe id: {e['behaviour'][:70]}...")
        if pid not in probes:
            raise Usage(f"RULES {e['rule']}: probe {pid!r} is not implemented by this script")
        if not isinstance(e.get("answers"), dict) or not e["answers"]:
            raise Usage(f"RULES {e['rule']}: probe {pid!r} has no answers")


def parse(argv):
    ap = argparse.ArgumentParser(prog="aws-conformance", description=__doc__.splitlines()[0])
    ap.add_argument("--customer-profile", required=True)
    ap.add_argument("--vendor-profile", required=True)
    ap.add_argument("--region", required=True)
    ap.add_argument("--out")
    ap.add_argument("--endpoint-url")
    ap.add_argument("--max-wait", type=float, default=120.0)
    ap.add_argument("--include-slow", action="store_true")
    ap.add_argument("--only")
    ap.add_argument("--cleanup", metavar="RUN_ID")
    args = ap.parse_args(argv)
    if args.cleanup is not None:
        if args.out or args.only or args.include_slow:
            ap.error("--cleanup takes only the profiles, --region and --endpoint-url")
        if not RUN_ID.match(args.cleanup):
            ap.error(f"not a run id: {args.cleanup!r}")
    elif not args.out:
        ap.error("--out is required")
    elif not os.access(os.path.dirname(os.path.abspath(args.out)), os.W_OK):
        ap.error(f"--out {args.out}: its directory does not exist or is not writable")
    if args.max_wait <= 0:
        ap.error("--max-wait must be positive")
    return args


def now_iso():
    return datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds").replace("+00:00", "Z")


def write_atomic(path, obj):
    d = os.path.dirname(os.path.abspath(path))
    fd, tmp = tempfile.mkstemp(prefix=".aws-conformance-", dir=d)
    with os.fdopen(fd, "w") as f:
        json.dump(obj, f, indent=2)
        f.write("\n")
    os.replace(tmp, path)


class Interrupted(BaseException):
    pass


def main(argv=None):
    args = parse(argv if argv is not None else sys.argv[1:])
    probes = load()
    try:
        entries = read_rules()
        check_entries(entries, probes)
    except (Usage, OSError, SyntaxError, ValueError) as e:
        usage_exit(str(e))
    only = None
    if args.only:
        only = [x.strip() for x in args.only.split(",") if x.strip()]
        unknown = [x for x in only if x not in {e["probe"] for e in entries}]
        if unknown:
            usage_exit(f"--only names no probe of RULES: {', '.join(unknown)}")

    run_id = args.cleanup or (time.strftime("%y%m%d%H%M%S", time.gmtime()) + secrets.token_hex(2))
    journal = os.path.abspath(f"cmek-conformance-{run_id}.journal")
    try:
        run = Run(run_id, args.region, args.endpoint_url, args.customer_profile, args.vendor_profile,
                  args.max_wait, journal)
        run.identify()
    except ProfileNotFound as e:
        usage_exit(str(e))
    except (ClientError, BotoCoreError) as e:
        print(f"aws-conformance: cannot learn the accounts: {e}", file=sys.stderr)
        return 1
    if run.customer.id == run.vendor.id:
        usage_exit(f"both profiles are account {run.customer.id}: the probes need two different accounts")

    if args.cleanup:
        log(f"cleanup of run {run_id}: customer {run.customer.id}, vendor {run.vendor.id}")
        left = cleanup(run, read_journal(journal), wait=max(args.max_wait, 900))
        for res in left:
            log(f"left: {json.dumps(res)}")
        if not left and os.path.exists(journal):
            os.remove(journal)
        log("nothing left" if not left else f"{len(left)} resource(s) left")
        return 0 if not left else 1

    log(f"run {run_id}: customer {run.customer.id}, vendor {run.vendor.id}, region {args.region}"
        + (f", endpoint {args.endpoint_url}" if args.endpoint_url else ""))
    if args.include_slow and not args.endpoint_url and args.max_wait < 1800:
        log(f"warning: --max-wait {args.max_wait:g} s is shorter than an RDS instance takes to create; "
            "the RDS probes will answer not-observed (use --max-wait 1800 with --include-slow)")
    report = {"schema_version": 1, "kind": "cmek-aws-conformance", "run_id": run_id, "started": now_iso(),
              "finished": None, "region": args.region, "endpoint": args.endpoint_url,
              "customer_account": run.customer.id, "vendor_account": run.vendor.id, "probes": [], "left": []}
    results = {}
    interrupted = []

    def on_signal(signum, _frame):
        interrupted.append(signum)
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        raise Interrupted()

    signal.signal(signal.SIGINT, on_signal)
    signal.signal(signal.SIGTERM, on_signal)
    order = sorted(entries, key=lambda e: RUN_ORDER.index(e["probe"]) if e["probe"] in RUN_ORDER else -1)
    try:
        for e in order:
            pid = e["probe"]
            p = probes[pid]
            if only is not None and pid not in only:
                results[pid] = skipped(e, p, "not in --only")
                continue
            if p.cost == "hours" and not args.include_slow:
                results[pid] = skipped(e, p, "cost class hours (an RDS instance): run with --include-slow")
                continue
            log(f"probe {pid} ({e['rule']}, {p.cost})")
            results[pid] = r = base(e, p)
            run_probe(run, e, p, r)
            log(f"  {pid}: {r['answer'] if not r['skipped'] else 'skipped: ' + r['why']}"
                + (f" ({r['detail']})" if r.get("detail") else ""))
    except Interrupted:
        log("interrupted: no more probes; cleaning up")
        for e in order:
            if e["probe"] not in results:
                results[e["probe"]] = skipped(e, probes[e["probe"]], "interrupted")
    finally:
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        try:
            left = cleanup(run, list(run.resources), wait=max(args.max_wait, 900))
        except Exception as ex:  # noqa: BLE001  (the report must still be written)
            log(f"cleanup failed: {ex}")
            left = [{"kind": "unknown", "error": f"cleanup failed: {ex}; run --cleanup {run_id}"}]
        report["left"] = left
        report["probes"] = [results.get(e["probe"]) or skipped(e, probes[e["probe"]], "not run") for e in entries]
        report["finished"] = now_iso()
        write_atomic(args.out, public(report))
        if not left and os.path.exists(journal):
            os.remove(journal)
    for res in left:
        log(f"left: {json.dumps(res)}; remove with --cleanup {run_id}")
    if interrupted:
        return 130 if interrupted[0] == signal.SIGINT else 143
    ran = [p for p in report["probes"] if not p["skipped"]]
    failed = [p for p in ran if p["answer"] in ("error", "not-observed")]
    differs = [p for p in ran if p["answer"] not in p["answers_known"] and p not in failed]
    for p in differs:
        log(f"{p['id']}: AWS answered {p['answer']!r}, which is not the local AWS's "
            f"({', '.join(p['answers_known'])})")
    log(f"{len(ran)} probe(s) ran, {len(failed)} error/not-observed, {len(differs)} differ from the local AWS, "
        f"{len(left)} resource(s) left; report {args.out}")
    return 1 if failed or left else 0


def base(e, p):
    return {"id": e["probe"], "rule": e["rule"], "behaviour": e["behaviour"], "answer": None,
            "switch": e.get("switch"), "switch_value": None, "evidence": [], "cost": p.cost, "skipped": False,
            "answers_known": list(e["answers"])}


def skipped(e, p, why, evidence=None):
    return dict(base(e, p), skipped=True, why=why, evidence=evidence or [])


def public(report):
    return dict(report, probes=[{k: v for k, v in p.items() if k != "answers_known"} for p in report["probes"]])


def run_probe(run, e, p, out):
    """Runs one probe; fills `out` (also when interrupted, with what was done)."""
    run.take_evidence()
    try:
        answer, detail = p.fn(run)
    except NotObserved as ex:
        answer, detail = "not-observed", str(ex)
    except Unobservable as ex:
        out.update(skipped=True, why=str(ex), evidence=run.take_evidence())
        return out
    except Interrupted:
        out.update(skipped=True, why="interrupted", evidence=run.take_evidence())
        run.fixtures.clear()
        raise
    except ClientError as ex:
        answer, detail = "error", f"{ex}"
    except Exception as ex:  # noqa: BLE001  (one probe's failure is its answer, the run goes on)
        answer, detail = "error", f"{type(ex).__name__}: {ex} ({traceback.format_exc(limit=-2).strip()[-300:]})"
    out.update(answer=answer, detail=detail, evidence=run.take_evidence())
    if answer in e["answers"]:
        out["switch_value"] = e["answers"][answer]
    return out


# Probes that share a fixture run in this order (the rest first, in RULES order); RDS last.
RUN_ORDER = [
    "firehose-kms-metric-per-call", "cloudwatch-period-alignment",
    "batch-report-manifest-json", "batch-report-rows", "batch-task-permissions", "batch-failure-codes",
    "pi-via-service-rds", "pi-key-change", "restore-other-engine-managed-password", "restore-carries-secret",
    "grants-outlive-key-policy", "rds-disabled-key-detection-delay", "rds-recoverable-seven-days-start",
    "rds-start-unusable-key", "pi-cross-account-key", "rds-grant-revoked-inaccessible",
    "rds-replica-unusable-key", "rds-backups-disabled-detach", "rds-throttle-shared-bucket",
]


if __name__ == "__main__":
    try:
        sys.exit(main())
    except Usage as e:
        usage_exit(str(e))
