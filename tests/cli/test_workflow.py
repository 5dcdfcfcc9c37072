"""The GitHub workflow template and the composite action: they validate against GitHub's schemas
(SchemaStore's, shipped with check-jsonschema: no network), paste no expression into a shell,
have a timeout, and their steps' shell, run as the runner runs it (``bash --noprofile --norc
-eo pipefail``) on a temporary git repository, check an amendment whose name has å, ä, ö and
spaces, and pass any file name to the tool as one argument."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest
import yaml

from ..conftest import PROJECT_DIRS, ROOT

TEMPLATE = ROOT / "ci-templates/github/amendments.yml"
ACTION = ROOT / "action.yml"
SARIF_SCHEMA = json.loads((ROOT / "tests/fixtures/schemas/sarif-schema-2.1.0.json").read_text(encoding="utf-8"))


def _steps(path: Path) -> list[dict]:
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    return doc["runs"]["steps"] if "runs" in doc else doc["jobs"]["avtalsregler"]["steps"]


@pytest.mark.parametrize("path,schema", [(TEMPLATE, "vendor.github-workflows"), (ACTION, "vendor.github-actions")])
def test_validates_against_githubs_schema(path, schema):
    r = subprocess.run([sys.executable, "-m", "check_jsonschema", "--builtin-schema", schema, str(path)],
                       capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stdout + r.stderr


def test_the_schema_check_can_fail(tmp_path):
    bad = tmp_path / "bad.yml"
    bad.write_text("on: push\njobs:\n  x:\n    runs-on: ubuntu-latest\n    timeout-minutes: soon\n    steps: []\n")
    r = subprocess.run([sys.executable, "-m", "check_jsonschema", "--builtin-schema", "vendor.github-workflows",
                        str(bad)], capture_output=True, text=True, timeout=120)
    assert r.returncode == 1


@pytest.mark.parametrize("path", [TEMPLATE, ACTION])
def test_no_expression_is_pasted_into_a_shell(path):
    steps = _steps(path)
    scripts = [s["run"] for s in steps if "run" in s]
    assert len(scripts) >= 4
    assert not [s for s in scripts if "${{" in s]
    assert all(s.get("shell", "bash") == "bash" for s in steps if "run" in s)
    text = "\n".join(scripts)
    assert "git diff -z" in text and "read -r -d ''" in text        # NUL-separated names, no word splitting
    assert "pip install avtalsregler" not in text                    # not from PyPI
    assert text.count("avtalsregler check --format github") == 1     # each proof once, every format in one run
    assert text.count("avtalsregler amend check --format github") == 1
    uses = [s["uses"] for s in steps if "uses" in s]
    assert any(u.startswith("github/codeql-action/upload-sarif@") for u in uses)
    cache = next(s for s in steps if s.get("uses", "").startswith("actions/cache@"))
    assert cache["with"]["path"].rstrip("/") == ".avtalsregler-cache"
    assert "hashFiles('rules/**', 'specs/**', 'readings/**', 'agreement/**')" in cache["with"]["key"]


def test_template_has_a_timeout_and_runs_on_every_project_change():
    doc = yaml.safe_load(TEMPLATE.read_text(encoding="utf-8"))
    job = doc["jobs"]["avtalsregler"]
    assert 0 < job["timeout-minutes"] <= 60
    on = doc[True]                                    # YAML 1.1 reads the key 'on' as True
    for d in ("rules/**", "specs/**", "readings/**", "agreement/**", "amendments/**"):
        assert d in on["pull_request"]["paths"]


# -- the steps' shell on a temporary repository ------------------------------------------------------

def _git(cwd: Path, *args: str) -> str:
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org",
           "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.org"}
    return subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True, text=True, env=env).stdout


def _repo(tmp_path: Path) -> tuple[Path, str]:
    repo = tmp_path / "repo"
    repo.mkdir()
    for d in PROJECT_DIRS:
        shutil.copytree(ROOT / d, repo / d)
    (repo / "amendments").mkdir()
    shutil.copy2(ROOT / "amendments/tak_60_procent_med_spec.yaml", repo / "amendments/tak_60_procent_med_spec.yaml")
    _git(repo, "init", "-q", "-b", "main")
    _git(repo, "add", "-A")
    _git(repo, "commit", "-q", "-m", "base")
    return repo, _git(repo, "rev-parse", "HEAD").strip()


_EXPR = re.compile(r"\$\{\{\s*(.*?)\s*\}\}")


def _run_steps(path: Path, repo: Path, tmp_path: Path, base: str, tool: Path) -> tuple[dict, dict, str]:
    """Run every ``run:`` step as the runner would (``if:`` and ``${{ }}`` in ``env:`` resolved
    here; the install step is replaced by ``tool`` on PATH). Returns the steps' outputs, exit
    codes and standard output."""
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    job_env = doc.get("jobs", {}).get("avtalsregler", {}).get("env", {})
    outputs: dict[str, dict[str, str]] = {}
    codes: dict[str, int] = {}
    log = ""
    summary = tmp_path / "summary.md"
    runner_temp = tmp_path / "runner-temp"
    runner_temp.mkdir(exist_ok=True)
    known = {"github.event.pull_request.base.sha || github.event.before": base, "vars.AVTALSREGLER_GIT": "",
             "inputs.reports": "avtalsregler-reports"}

    def value(expr: str) -> str:
        m = re.fullmatch(r"steps\.(\w+)\.outputs\.(\w+)", expr)
        return outputs.get(m[1], {}).get(m[2], "") if m else known[expr]

    def condition(expr: str) -> bool:
        m = re.fullmatch(r"steps\.(\w+)\.outputs\.(\w+) (==|!=) '(.*)'", expr)
        assert m, expr
        v = outputs.get(m[1], {}).get(m[2], "")
        return (v == m[4]) == (m[3] == "==")

    for step in _steps(path):
        if "run" not in step or step["name"].startswith("Install"):
            continue
        if "if" in step and not condition(step["if"]):
            continue
        out_file = tmp_path / f"out-{step.get('id', 'x')}"
        out_file.write_text("")
        env = {**os.environ, "PATH": f"{tool.parent}{os.pathsep}{os.environ['PATH']}", "GITHUB_OUTPUT": str(out_file),
               "GITHUB_STEP_SUMMARY": str(summary), "RUNNER_TEMP": str(runner_temp), "PYTHONUTF8": "1"}
        for k, v in {**job_env, **step.get("env", {})}.items():
            env[k] = _EXPR.sub(lambda m: value(m[1]), str(v))
        script = tmp_path / "step.sh"
        script.write_text(step["run"], encoding="utf-8")
        r = subprocess.run(["bash", "--noprofile", "--norc", "-eo", "pipefail", str(script)], cwd=repo, env=env,
                           capture_output=True, text=True, timeout=600)
        log += r.stdout
        codes[step.get("id", step["name"])] = r.returncode
        outputs[step.get("id", step["name"])] = dict(ln.split("=", 1) for ln in out_file.read_text().splitlines() if ln)
    return outputs, codes, log


def _real_tool(tmp_path: Path) -> Path:
    tool = tmp_path / "bin" / "avtalsregler"
    tool.parent.mkdir()
    tool.write_text(f"#!/bin/sh\nPYTHONPATH={ROOT / 'src'} exec {sys.executable} -m avtalsregler \"$@\"\n")
    tool.chmod(0o755)
    return tool


@pytest.mark.parametrize("path", [TEMPLATE, ACTION])
def test_steps_check_an_amendment_named_with_a_a_o(path, tmp_path):
    repo, base = _repo(tmp_path)
    name = "amendments/ändring för åäö.yaml"                 # git would quote it; the steps must not care
    shutil.copy2(repo / "amendments/tak_60_procent_med_spec.yaml", repo / name)
    _git(repo, "add", "-A")
    _git(repo, "commit", "-q", "-m", "an amendment")
    outputs, codes, log = _run_steps(path, repo, tmp_path, base, _real_tool(tmp_path))
    assert outputs["changed"]["amendments"] == "1" and outputs["changed"]["project"] == "false"
    assert "check" not in codes                                # only an amendment changed
    assert codes["amend"] == 0 and outputs["amend"]["status"] == "0"
    assert codes[next(k for k in codes if k in ("verdict", "Verdict"))] == 0
    assert "::stop-commands::" in log and "tak-60-procent-med-spec" in log      # the human report, framed
    sarif = json.loads((repo / "avtalsregler-reports/amend.sarif").read_text(encoding="utf-8"))
    jsonschema.Draft4Validator(SARIF_SCHEMA).validate(sarif)
    report = json.loads((repo / "avtalsregler-reports/amend.json").read_text(encoding="utf-8"))
    assert report["amendment"]["file"] == name and report["ok"] is True
    assert "## ✅" in (tmp_path / "summary.md").read_text(encoding="utf-8")


def test_steps_pass_every_name_whole_and_fail_on_a_failing_check(tmp_path):
    repo, base = _repo(tmp_path)
    names = ["amendments/a b.yaml", "amendments/ny\nrad.yaml", "amendments/-x.yaml"]
    for n in names:
        (repo / n).write_text("amendment: x\n", encoding="utf-8")
    rule = repo / "rules/s12_tvist.yaml"
    rule.write_text(rule.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    _git(repo, "add", "-A")
    _git(repo, "commit", "-q", "-m", "changes")
    record = tmp_path / "argv"
    tool = tmp_path / "bin" / "avtalsregler"
    tool.parent.mkdir()
    # a stand-in that records its arguments NUL-separated and fails 'check' (exit 1)
    tool.write_text(f"#!/bin/sh\nfor a in \"$@\"; do printf '%s\\0' \"$a\"; done >> {record}; printf '\\n\\0' >> {record}\n"
                    "[ \"$1\" = check ] && exit 1\nexit 0\n")
    tool.chmod(0o755)
    outputs, codes, _ = _run_steps(TEMPLATE, repo, tmp_path, base, tool)
    assert outputs["changed"]["project"] == "true" and outputs["changed"]["amendments"] == "3"
    calls = [c.strip("\0").split("\0") for c in record.read_text(encoding="utf-8").split("\n\0") if c.strip("\0")]
    check, amend = calls
    assert check[0] == "check" and "--sarif" in check and "--summary" in check
    assert amend[:3] == ["amend", "check", "--format"]
    assert sorted(amend[amend.index("--") + 1:]) == sorted(names)
    assert codes["check"] == 0 and outputs["check"]["status"] == "1"      # the status is kept, the step goes on
    assert codes["Verdict"] != 0                                            # and the job fails at the end
