"""Times `cmek verify` (median of N runs, process start included) for several binaries against one
local AWS. Usage: verify_time.py N BIN...  (run from the repository root with .localaws/venv/bin/python)."""
import os, statistics, subprocess, sys, time
sys.path.insert(0, "scripts"); sys.path.insert(0, "tests/localaws")
import demo, deploy
n = int(sys.argv[1]); bins = sys.argv[2:]
proc, url = demo.start_local_aws()
try:
    tpl = subprocess.run([bins[0], "template", "--vendor-account", demo.SPEEDSCALE], env=demo.cmek_env(url),
                         capture_output=True, text=True, check=True).stdout
    arn = deploy.deploy(url, demo.CUSTOMER, tpl)["KeyArn"]
    for b in bins:
        subprocess.run([b, "verify", "--tenant", "acme", "--key-arn", arn], env=demo.cmek_env(url), capture_output=True)
    for b in bins:
        ts = []
        for _ in range(n):
            t = time.perf_counter()
            p = subprocess.run([b, "-q", "verify", "--tenant", "acme", "--key-arn", arn], env=demo.cmek_env(url), capture_output=True)
            ts.append(time.perf_counter() - t)
            assert p.returncode == 0, p.stderr
        print(f"{b}: median {statistics.median(ts)*1000:.1f} ms, min {min(ts)*1000:.1f} ms over {n}")
finally:
    proc.kill()
