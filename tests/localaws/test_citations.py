"""Every rule of the local AWS cites the AWS documentation it models, and docs/local-aws.md shows it.

Reads RULES from rules.py without importing it (no moto needed). The layer's code is every module of
this directory but rules.py, deploy.py (a client of the layer) and the test_*.py files: localaws.py,
core.py, kms.py, s3.py, ..., policy.py. Fails when:
  - a rule has no citation with a page, an AWS url and a verbatim quote (a non-AWS url only for an
    AWS notice, seen "notice", quoted where it was published, such as a public issue tracker);
  - a citation lacks the date it was last checked against AWS's text ("checked": YYYY-MM-DD) or the
    result ("check": confirmed | changed | moved | not-found | unchecked; changed and moved need a
    "note" saying what changed);
  - an "unconfirmed" entry lacks its status or what was searched ("not-documented" ones also need
    what AWS documents instead);
  - an "unconfirmed"/"not-documented" entry lacks its probe id (kebab-case, unique: a conformance
    probe against real AWS names it) or its answers ({answer word: switch value}, or {word: None}
    when the layer has no switch for it), or names a switch that is not a key of core.py's CONFIG;
  - a rule id named in a comment or docstring of the layer's code (# R7, \"\"\"R1: ..., R2-R6) is
    missing from RULES, or a rule in RULES is named nowhere in the code (module docstrings, which list
    the rules a module holds, do not count for the latter);
  - the citation table or the "Unconfirmed" list in docs/local-aws.md differs from RULES.

Regenerate the two sections of docs/local-aws.md after changing RULES:
    .localaws/venv/bin/python tests/localaws/test_citations.py --write
"""

import ast
import glob
import io
import os
import re
import sys
import tokenize
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
RULES_FILE = os.path.join(HERE, "rules.py")
NOT_LAYER = {"rules.py", "deploy.py"}  # RULES itself (data), and a client of the layer
DOC = os.path.normpath(os.path.join(HERE, "..", "..", "docs", "local-aws.md"))
CORE_FILE = os.path.join(HERE, "core.py")

AWS_URL = re.compile(r"^https://(docs\.aws\.amazon\.com|repost\.aws)/\S+$")
NOTICE_URL = re.compile(r"^https://\S+$")  # where an AWS notice (an email) was published
SEEN = {"docs", "pages", "archive", "api-model", "mirror", "notice"}
CHECKS = {"confirmed", "changed", "moved", "not-found", "unchecked"}
DATE = re.compile(r"^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$")
STATUSES = {"unconfirmed", "not-documented", "harness"}
MAX_QUOTE = 400  # a sentence or two, not a page

TABLE_BEGIN = "<!-- citations:begin (generated from RULES by tests/localaws/test_citations.py --write) -->"
TABLE_END = "<!-- citations:end -->"
UNCONFIRMED_BEGIN = "<!-- unconfirmed:begin (generated from RULES by tests/localaws/test_citations.py --write) -->"
UNCONFIRMED_END = "<!-- unconfirmed:end -->"


def layer_files():
    """The layer's modules: every .py of this directory but rules.py, deploy.py and test_*.py."""
    return sorted(p for p in glob.glob(os.path.join(HERE, "*.py"))
                  if os.path.basename(p) not in NOT_LAYER and not os.path.basename(p).startswith("test_"))


def layer_sources():
    """{file name: source} of the layer's modules."""
    sources = {}
    for path in layer_files():
        with open(path, encoding="utf-8") as f:
            sources[os.path.basename(path)] = f.read()
    return sources


def load_rules(source=None):
    if source is None:
        with open(RULES_FILE, encoding="utf-8") as f:
            source = f.read()
    tree = ast.parse(source)
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(getattr(t, "id", None) == "RULES" for t in node.targets):
            return ast.literal_eval(node.value)
    raise AssertionError("rules.py has no module-level RULES = {...}")


def load_config_keys(source=None):
    """The keys of core.py's CONFIG = {...} (read with ast: no moto needed)."""
    if source is None:
        with open(CORE_FILE, encoding="utf-8") as f:
            source = f.read()
    for node in ast.parse(source).body:
        if isinstance(node, ast.Assign) and any(getattr(t, "id", None) == "CONFIG" for t in node.targets):
            return {ast.literal_eval(k) for k in node.value.keys}
    raise AssertionError("core.py has no module-level CONFIG = {...}")


PROBED = {"unconfirmed", "not-documented"}  # the statuses a conformance probe can answer
PROBE_ID = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")


def probes(rules):
    """{probe id: {rule, behaviour, switch, answers}} of every probed entry (/tmp/probe-ids.json)."""
    out = {}
    for rid, rule in rules.items():
        for u in rule.get("unconfirmed", []):
            if u.get("status") in PROBED and u.get("probe"):
                out[u["probe"]] = {"rule": rid, "behaviour": u["behaviour"], "switch": u.get("switch"),
                                   "answers": u.get("answers")}
    return out


def rule_ids_in(text):
    """Rule ids named in a piece of text: R7, M1, and ranges such as R2-R6."""
    ids = set()
    for kind, lo, hi in re.findall(r"\b([RM])(\d+)\s*[-\u2013]\s*[RM]?(\d+)\b", text):
        ids.update(f"{kind}{n}" for n in range(int(lo), int(hi) + 1))
    ids.update(re.findall(r"\b[RM]\d+\b", text))
    return ids


def comments_and_docstrings(source):
    """(module docstring, [every other comment and triple-quoted string]) of one module."""
    module_doc = ast.get_docstring(ast.parse(source), clean=False) or ""
    pieces = []
    for tok in tokenize.generate_tokens(io.StringIO(source).readline):
        if tok.type == tokenize.COMMENT:
            pieces.append(tok.string)
        elif tok.type == tokenize.STRING and re.match(r'^[rRbBuU]*("""|\'\'\')', tok.string):
            if ast.literal_eval(tok.string) != module_doc:
                pieces.append(tok.string)
    return module_doc, pieces


def all_cites(rule):
    yield from rule.get("cites", [])
    for entry in rule.get("unconfirmed", []):
        yield from entry.get("aws_says", [])


# ---------------------------------------------------------------------------------------------
# The two generated sections of docs/local-aws.md


def cell(text):
    text = " ".join(str(text).split()).replace("|", "\\|")
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def render_table(rules):
    rows = ["| rule | what it models | AWS page | quoted sentence | read in | checked |", "|---|---|---|---|---|---|"]
    for rid, rule in rules.items():
        for c in rule["cites"]:
            rows.append(f"| {rid} | {cell(c['models'])} | [{cell(c['page'])}]({c['url']}) | "
                        f"\"{cell(c['quote'])}\" | {c['seen']} | {checked(c)} |")
    return "\n".join(rows)


def checked(c):
    """The date a citation was checked against AWS's text, and the result."""
    return f"{c.get('checked', '')} {c.get('check', '')}".strip()


def probe_cell(u):
    """`probe-id`, and for a switch its values: `switch` = 1 answer, 0 other answer."""
    if not u.get("probe"):
        return ""
    if not u.get("switch"):
        return f"`{u['probe']}`"
    values = ", ".join(f"{v:g} {cell(word)}" for word, v in u["answers"].items())
    return f"`{u['probe']}` (`{u['switch']}`: {values})"


def render_unconfirmed(rules):
    rows = ["| rule | behaviour of the layer | status | probe | searched, and what AWS documents instead |",
            "|---|---|---|---|---|"]
    for rid, rule in rules.items():
        for u in rule.get("unconfirmed", []):
            said = "".join(f" AWS: \"{cell(c['quote'])}\" ([{cell(c['page'])}]({c['url']}); {checked(c)})"
                           for c in u.get("aws_says", []))
            rows.append(f"| {rid} | {cell(u['behaviour'])} | {u['status']} | {probe_cell(u)} | "
                        f"{cell(u['searched'])}{said} |")
    return "\n".join(rows)


def section(text, begin, end):
    if begin not in text or end not in text:
        return None
    return text.split(begin, 1)[1].split(end, 1)[0].strip("\n")


def write_doc(rules):
    with open(DOC, encoding="utf-8") as f:
        text = f.read()
    for begin, end, body in ((TABLE_BEGIN, TABLE_END, render_table(rules)),
                             (UNCONFIRMED_BEGIN, UNCONFIRMED_END, render_unconfirmed(rules))):
        if section(text, begin, end) is None:
            raise SystemExit(f"{DOC} lacks the markers {begin!r} ... {end!r}")
        head, rest = text.split(begin, 1)
        text = head + begin + "\n" + body + "\n" + end + rest.split(end, 1)[1]
    with open(DOC, "w", encoding="utf-8") as f:
        f.write(text)


# ---------------------------------------------------------------------------------------------


class Citations(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.sources = layer_sources()
        # The scan covers the whole layer: a glob that found less would make the checks vacuous.
        missing = {"localaws.py", "core.py", "request.py", "kms.py", "s3.py", "s3control.py", "firehose.py",
                   "rds.py", "cloudwatch.py", "iam.py", "quotas.py", "moto_patches.py", "policy.py"} - set(cls.sources)
        if missing:
            raise AssertionError(f"layer modules not found: {sorted(missing)}")
        cls.rules = load_rules()

    def check_cite(self, where, c):
        self.assertTrue(str(c.get("page", "")).strip(), f"{where}: no page title")
        if c.get("seen") == "notice":
            self.assertRegex(str(c.get("url", "")), NOTICE_URL, f"{where}: where the notice was published")
        else:
            self.assertRegex(str(c.get("url", "")), AWS_URL, f"{where}: not an AWS documentation url")
        quote = str(c.get("quote", "")).strip()
        self.assertTrue(quote, f"{where}: no quote")
        self.assertLessEqual(len(quote), MAX_QUOTE, f"{where}: quote the sentence, not the page")
        self.assertIn(c.get("seen"), SEEN, f"{where}: seen must say where the quote was read")
        if "seen_at" in c:
            self.assertRegex(c["seen_at"], r"^https://\S+$", f"{where}: seen_at is a url")
        self.assertRegex(str(c.get("checked", "")), DATE, f"{where}: checked: the date (YYYY-MM-DD) it was checked")
        self.assertIn(c.get("check"), CHECKS, f"{where}: check: the result of that check")
        if c["check"] in ("changed", "moved"):
            self.assertTrue(str(c.get("note", "")).strip(),
                            f"{where}: {c['check']}: apply the new text (then confirmed), or say in a note why not")

    def test_rules_r1_to_r12_are_all_there(self):
        self.assertLessEqual({f"R{n}" for n in range(1, 13)}, set(self.rules))

    def test_every_rule_cites_aws_with_a_url_and_a_quote(self):
        for rid, rule in self.rules.items():
            with self.subTest(rule=rid):
                self.assertTrue(str(rule.get("summary", "")).strip(), f"{rid}: no summary")
                cites = rule.get("cites") or []
                self.assertTrue(cites, f"{rid}: no citation")
                for i, c in enumerate(cites):
                    self.check_cite(f"{rid} cites[{i}]", c)
                    self.assertTrue(str(c.get("models", "")).strip(), f"{rid} cites[{i}]: what does it model?")

    def test_every_unconfirmed_behaviour_says_what_was_searched(self):
        for rid, rule in self.rules.items():
            for i, u in enumerate(rule.get("unconfirmed", [])):
                with self.subTest(rule=rid, entry=i):
                    self.assertTrue(str(u.get("behaviour", "")).strip())
                    self.assertIn(u.get("status"), STATUSES)
                    self.assertTrue(str(u.get("searched", "")).strip(), "say what was searched")
                    if u["status"] == "not-documented":
                        self.assertTrue(u.get("aws_says"), "not-documented: quote what AWS documents instead")
                    for j, c in enumerate(u.get("aws_says", [])):
                        self.check_cite(f"{rid} unconfirmed[{i}].aws_says[{j}]", c)

    def test_every_probed_entry_has_a_probe_id_and_its_answers(self):
        config = load_config_keys()
        ids = {}
        for rid, rule in self.rules.items():
            for i, u in enumerate(rule.get("unconfirmed", [])):
                if u.get("status") not in PROBED:
                    continue
                with self.subTest(rule=rid, entry=i):
                    pid = u.get("probe")
                    self.assertRegex(str(pid), PROBE_ID, "probe: a kebab-case id")
                    self.assertNotIn(pid, ids, f"probe id {pid} also used by {ids.get(pid)}")
                    ids[pid] = f"{rid} unconfirmed[{i}]"
                    answers = u.get("answers")
                    self.assertIsInstance(answers, dict, "answers: {answer word: switch value}")
                    self.assertTrue(answers, "answers: at least the layer's own answer")
                    if u.get("switch") is not None:
                        self.assertIn(u["switch"], config, "switch: a key of core.py's CONFIG")
                        self.assertGreaterEqual(len(answers), 2, "a switch has an answer for each value")
                        for word, value in answers.items():
                            self.assertIsInstance(value, (int, float), f"answers[{word!r}]: the switch value")
                        self.assertEqual(len(set(answers.values())), len(answers), "one value per answer")
                    else:
                        self.assertEqual(list(answers.values()), [None] * len(answers),
                                         "no switch: answers are {the layer's answer word: None}")

    def test_every_rule_named_in_the_code_is_in_RULES(self):
        for name, source in self.sources.items():
            with self.subTest(module=name):
                module_doc, pieces = comments_and_docstrings(source)
                named = rule_ids_in(module_doc) | set().union(*(rule_ids_in(p) for p in pieces))
                self.assertEqual(named - set(self.rules), set(), f"rule ids named in {name} but missing from RULES")

    def test_every_rule_in_RULES_is_named_in_the_code(self):
        named = set()
        for source in self.sources.values():
            _, pieces = comments_and_docstrings(source)
            named |= set().union(*(rule_ids_in(p) for p in pieces))
        self.assertEqual(set(self.rules) - named, set(),
                         "rules no comment or docstring of the layer's modules (besides module docstrings) names")

    def test_the_doc_shows_every_citation(self):
        with open(DOC, encoding="utf-8") as f:
            doc = f.read()
        table = section(doc, TABLE_BEGIN, TABLE_END)
        self.assertIsNotNone(table, "docs/local-aws.md lacks the citation table markers")
        self.assertEqual(table, render_table(self.rules),
                         "docs/local-aws.md and RULES differ: run tests/localaws/test_citations.py --write")
        for rid in self.rules:
            self.assertRegex(table, rf"(?m)^\| {rid} \|", f"no citation row for {rid}")
        self.assertIn("## Unconfirmed", doc)
        self.assertEqual(section(doc, UNCONFIRMED_BEGIN, UNCONFIRMED_END), render_unconfirmed(self.rules),
                         "docs/local-aws.md and RULES differ: run tests/localaws/test_citations.py --write")

    def test_issue_9_findings_stay_flagged(self):
        def entries(rid, status=None):
            return [u for u in self.rules[rid].get("unconfirmed", []) if status in (None, u["status"])]

        # The later-disabled-key FailureDescription AWS does not document is gone from the layer;
        # what AWS documents instead is cited.
        self.assertFalse([u for u in entries("R11") if "disabled" in u["behaviour"] and "FailureDescription" in u["behaviour"]])
        said = " ".join(c["quote"] for c in self.rules["R11"]["cites"] if "unusable after ENABLED" in c["models"])
        for word in ("24 hours", "CloudWatch metrics", "KMSDisabledException", "AWS/Firehose"):
            self.assertIn(word, said)
        self.assertTrue(any("ANOTHER account" in u["behaviour"] for u in entries("R11", "unconfirmed")))
        # The master password secret: Secrets Manager's own use of the key is modelled and cited.
        self.assertTrue(any("secretsmanager.<Region>.amazonaws.com" in c["quote"] for c in self.rules["R12"]["cites"]))
        self.assertTrue(any("grants" in u["behaviour"] for u in entries("R12", "unconfirmed")))
        self.assertTrue(any("RDS event" in u["behaviour"] for u in entries("R12", "unconfirmed")))
        self.assertTrue(any("Bucket Key" in u["behaviour"] for u in entries("R7", "unconfirmed")))


if __name__ == "__main__":
    if sys.argv[1:] == ["--write"]:
        write_doc(load_rules())
        print(f"wrote the citation sections of {DOC}")
    elif sys.argv[1:2] == ["--probes"] and len(sys.argv) == 3:
        import json
        with open(sys.argv[2], "w", encoding="utf-8") as f:
            json.dump(probes(load_rules()), f, indent=2)
            f.write("\n")
        print(f"wrote {sys.argv[2]}")
    else:
        unittest.main()
