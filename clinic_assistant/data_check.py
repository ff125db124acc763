"""`rasa data validate` for clinic staff: each finding says which file, what is wrong, what to do.

Rasa's own messages are written for developers, and with Rasa 3.6 some warnings (an intent with
no examples, an intent no rule answers) do not even fail `--fail-on-warnings`. This module runs
the validation, translates the usual findings into plain sentences, fails on every one of them,
and also checks that every action a rule names is in the domain (Rasa 3.6 does not).
Run it with `python -m clinic_assistant.data_check`; the raw output goes to var/log/validate.log.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Dict, Iterable, List, Match, Optional, Pattern, Tuple

from clinic_assistant.yaml_files import ContentError, read_yaml_file

#: Coloured blocks in Rasa's output: 93 = a warning, 91 = an error.
_COLOURED = re.compile(r"\x1b\[9([13])m(.*?)\x1b\[0m", re.DOTALL)
_WARNING_PREFIX = re.compile(r"^.*?\.py:\d+: \w*Warning: ", re.DOTALL)
_MORE_INFO = re.compile(r"\s*More info at \S+\s*$")
#: Findings that only follow from a domain that could not be read.
_DOMAIN_CASCADE = re.compile(r"not part of the domain|not listed in (your|the) domain|"
                             r"listed in the domain file|empty domain")
#: What Rasa prints at the end when anything failed; says nothing more.
_SUMMARY = "Project validation completed with errors."


@dataclass(frozen=True)
class Finding:
    """One problem in the training data or domain, in plain words."""

    file: str
    message: str

    def __str__(self) -> str:
        return f"ERROR: {self.file}: {self.message}"


Translation = Tuple[Pattern[str], Callable[[Match[str]], Finding]]


def _duplicate_intents(match: Match[str]) -> Finding:
    names = match.group("error")
    duplicates = re.search(r"multiple intents with name\(s\) \[(.*?)\]", names)
    if duplicates:
        return Finding("domain.yml", f"the intent(s) {duplicates.group(1)} are listed twice "
                       "under 'intents:'. Delete the extra line. (Until then Rasa reads no "
                       "domain at all, so other problems may be reported too.)")
    return Finding(match.group("file"), f"could not be read: {names}. Fix this first: the "
                   "other problems listed may all come from it.")


def _yaml_syntax(match: Match[str]) -> Finding:
    lines = re.findall(r"\(line: (\d+)\)", match.string)
    near = f" near line {lines[-1]}" if lines else ""
    return Finding(match.group("file"), f"is not valid YAML{near}. Check the indentation "
                   "(spaces, not tabs), the dashes and any quotes on that line and the one above.")


def _yaml_layout(match: Match[str]) -> Finding:
    details = re.findall(r"in \S+?:(\d+):\s*\n\s*(.+)", match.string)
    where = "; ".join(f"line {line}: {detail.strip()}" for line, detail in details) or "see the log"
    return Finding(match.group("file"), f"is laid out in a way Rasa does not accept ({where}). "
                   "Compare it with a working file of the same kind: key names, colons and "
                   "indentation.")


_TRANSLATIONS: List[Translation] = [
    (re.compile(r"The intent '(?P<i>[^']+)' is listed in the domain file, but is not found in "
                r"the NLU training data"),
     lambda m: Finding("domain.yml", f"the intent '{m['i']}' has no example questions. Add "
                       f"them in data/nlu/ (a new topic: make add-topic), or remove "
                       f"'{m['i']}' from domain.yml.")),
    (re.compile(r"There is a message in the training data labeled with intent '(?P<i>[^']+)'"),
     lambda m: Finding("data/nlu/", f"there are examples for the intent '{m['i']}', but "
                       f"domain.yml does not list it. Add '  - {m['i']}' under 'intents:' in "
                       "domain.yml, or correct the name after '- intent:' in the data file.")),
    (re.compile(r"Issue found in '(?P<f>[^']+)':\s*Found intent '(?P<i>[^']+)' in stories which "
                r"is not part of the domain"),
     lambda m: Finding(m["f"], f"a rule uses the intent '{m['i']}', which domain.yml does not "
                       "list. Add it under 'intents:' in domain.yml, or correct the name in "
                       "the rule.")),
    (re.compile(r"The intent '(?P<i>[^']+)' is used in your stories, but it is not listed"),
     lambda m: Finding("data/rules/", f"a rule uses the intent '{m['i']}', which domain.yml "
                       "does not list. Add it under 'intents:' in domain.yml, or correct the "
                       "name in the rule.")),
    (re.compile(r"The intent '(?P<i>[^']+)' is not used in any story or rule"),
     lambda m: Finding("data/rules/", f"no rule says how to answer the intent '{m['i']}'. For "
                       "a FAQ topic add a rule to data/rules/faq.yml (copy one there and change "
                       "both names).")),
    (re.compile(r"The example '(?P<t>.*)' was found labeled with multiple different intents.*"
                r"labeled with: (?P<l>[^.]*)\.", re.DOTALL),
     lambda m: Finding("data/nlu/", f"the example '{m['t']}' is listed under more than one "
                       f"intent ({m['l']}). Keep it under the one it belongs to (see "
                       "docs/intents.md) and delete it from the other.")),
    (re.compile(r"Issue found while processing '(?P<f>[^']+)': The item '(?P<i>[^']+)' contains "
                r"an example that doesn't start with a '-' symbol"),
     lambda m: Finding(m["f"], f"under '{m['i']}', some examples are not lined up with the "
                       "others, so they would be ignored. Every example needs 4 spaces, a dash "
                       "and a space before it: look for a line with more or fewer spaces.")),
    (re.compile(r"The action '(?P<a>[^']+)' is used in the '(?P<b>[^']+)' block, but it is not "
                r"listed"),
     lambda m: Finding("data/rules/", f"the rule '{m['b']}' uses the action '{m['a']}', which "
                       "domain.yml does not list. FAQ rules use action_answer_faq: check the "
                       "spelling.")),
    (re.compile(r"Loading domain from '(?P<file>[^']+)' failed\. Using empty domain\. "
                r"Error: '(?P<error>.*)'", re.DOTALL), _duplicate_intents),
    (re.compile(r"YamlSyntaxException: Failed to read '(?P<file>[^']+)'"), _yaml_syntax),
    (re.compile(r"YamlValidationException: Failed to validate '(?P<file>[^']+)'"), _yaml_layout),
]


def translate(message: str, root: Optional[Path] = None) -> Finding:
    """One message of Rasa's in plain words (unknown ones are passed on as they are)."""
    for pattern, make in _TRANSLATIONS:
        match = pattern.search(message)
        if match:
            finding = make(match)
            if root is not None and finding.file.startswith(str(root)):
                finding = Finding(os.path.relpath(finding.file, root), finding.message)
            return finding
    return Finding("rasa data validate", " ".join(message.split()))


def rasa_messages(output: str) -> List[str]:
    """The warnings and errors in Rasa's output, without file prefixes and doc links."""
    messages = []
    for _, text in _COLOURED.findall(output):
        text = _MORE_INFO.sub("", _WARNING_PREFIX.sub("", text, count=1)).strip()
        if text and text != _SUMMARY:
            messages.append(text)
    return messages


def findings_from_output(output: str, root: Optional[Path] = None) -> List[Finding]:
    """Plain-language findings for everything Rasa warned about or failed on."""
    messages = rasa_messages(output)
    if any(m.startswith("Loading domain from") for m in messages):
        messages = [m for m in messages
                    if m.startswith("Loading domain from") or not _DOMAIN_CASCADE.search(m)]
    findings: List[Finding] = []
    for message in messages:
        finding = translate(message, root)
        if all(f.message != finding.message for f in findings):
            findings.append(finding)
    return findings


def _rule_actions(rules_dir: Path) -> Iterable[Tuple[str, str, str]]:
    """(file, rule name, action) for every action step in the rule files."""
    for path in sorted(rules_dir.glob("*.yml")):
        try:
            data = read_yaml_file(path, mapping=True)
        except ContentError:
            continue  # Rasa reports the broken file itself
        for rule in data.get("rules") or []:
            for step in (rule or {}).get("steps") or []:
                if isinstance(step, dict) and "action" in step:
                    yield f"data/rules/{path.name}", str(rule.get("rule")), str(step["action"])


def unknown_rule_actions(root: Path) -> List[Finding]:
    """Custom actions named in rules but missing from the domain (Rasa 3.6 does not check)."""
    from rasa.shared.core.constants import DEFAULT_ACTION_NAMES

    try:
        domain = read_yaml_file(root / "domain.yml", mapping=True)
    except ContentError:
        return []  # Rasa reports a missing or broken domain itself
    known = set(domain.get("actions") or []) | set(domain.get("responses") or {})
    known |= set(domain.get("forms") or {})
    known |= set(DEFAULT_ACTION_NAMES)
    return [
        Finding(file, f"the rule '{rule}' uses the action '{action}', which domain.yml does not "
                "list. FAQ rules use action_answer_faq: check the spelling.")
        for file, rule, action in _rule_actions(root / "data" / "rules")
        if action not in known
    ]


def run_rasa_validate(root: Path) -> Tuple[int, str]:
    """Run `rasa data validate --fail-on-warnings` in `root`: exit code and combined output."""
    from clinic_assistant.settings import PROJECT_ROOT

    env: Dict[str, str] = {**os.environ, "RASA_TELEMETRY_ENABLED": "false"}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(PROJECT_ROOT), env.get("PYTHONPATH")]))
    result = subprocess.run(
        [sys.executable, "-m", "rasa", "data", "validate", "--fail-on-warnings"],
        cwd=root, env=env, capture_output=True, text=True, timeout=600,
    )
    return result.returncode, result.stdout + result.stderr


def check_data(root: Path) -> List[Finding]:
    """Every problem `rasa data validate` and the rule check find in the project at `root`."""
    code, output = run_rasa_validate(root)
    log = root / "var" / "log" / "validate.log"
    log.parent.mkdir(parents=True, exist_ok=True)
    log.write_text(output, encoding="utf-8")
    findings = findings_from_output(output, root) + unknown_rule_actions(root)
    if code != 0 and not findings:
        tail = " | ".join(output.strip().splitlines()[-3:])
        findings.append(Finding("rasa data validate", f"failed without a known reason: {tail}. "
                                "The whole output is in var/log/validate.log."))
    return findings


def main(argv: Optional[List[str]] = None) -> None:
    """Print every finding in plain words; exit 1 if there is one."""
    import argparse

    from clinic_assistant.settings import PROJECT_ROOT

    parser = argparse.ArgumentParser(description="Check the training data and the domain.")
    parser.add_argument("--root", type=Path, default=PROJECT_ROOT, help="the project folder")
    args = parser.parse_args(argv)
    findings = check_data(args.root.resolve())
    for finding in findings:
        print(finding)
    if findings:
        print(f"data check: {len(findings)} problem(s) in the training data or domain. Fix each "
              "one, then run `make validate` again (details: var/log/validate.log).")
        sys.exit(1)
    print("data check: passed (rasa data validate found no problems).")


if __name__ == "__main__":
    main()
