"""Every rule of the local AWS cites the AWS documentation it models, and docs/local-aws.md shows it.

Reads RULES from rules.py without importing it (no moto needed). The layer's code is every module of
this directory but rules.py, deploy.py (a client of the layer) and the test_*.py files: localaws.py,
core.py, kms.py, s3.py, ..., policy.py. Fails when:
  - a rule has no citation with a page, an AWS url and a verbatim quote;
  - an "unconfirmed" entry lacks its status or what was searched ("not-documented" ones also need
    what AWS documents instead);
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

AWS_URL = re.compile(r"^https://(docs\.aws\.amazon\.com|repost\.aws)/\S+$")
SEEN = {"docs", "pages", "archive", "api-model"}
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
    rows = ["| rule | what it models | AWS page | quoted sentence | read in |", "|---|---|---|---|---|"]
    for rid, rule in rules.items():
        for c in rule["cites"]:
            rows.append(f"| {rid} | {cell(c['models'])} | [{cell(c['page'])}]({c['url']}) | "
                        f"\"{cell(c['quote'])}\" | {c['seen']} |")
    return "\n".join(rows)


def render_unconfirmed(rules):
    rows = ["| rule | behaviour of the layer | status | searched, and what AWS documents instead |",
            "|---|---|---|---|"]
    for rid, rule in rules.items():
        for u in rule.get("unconfirmed", []):
            said = "".join(f" AWS: \"{cell(c['quote'])}\" ([{cell(c['page'])}]({c['url']}))"
                           for c in u.get("aws_says", []))
            rows.append(f"| {rid} | {cell(u['behaviour'])} | {u['status']} | {cell(u['searched'])}{said} |")
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
        self.assertRegex(str(c.get("url", "")), AWS_URL, f"{where}: not an AWS documentation url")
        quote = str(c.get("quote", "")).strip()
        self.assertTrue(quote, f"{where}: no quote")
        self.assertLessEqual(len(quote), MAX_QUOTE, f"{where}: quote the sentence, not the page")
        self.assertIn(c.get("seen"), SEEN, f"{where}: seen must say where the quote was read")
        if "seen_at" in c:
            self.assertRegex(c["seen_at"], r"^https://\S+$", f"{where}: seen_at is a url")

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
    else:
        unittest.main()
