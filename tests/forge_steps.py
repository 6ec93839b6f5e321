"""Turns the steps of rota's GitHub Action (action.yml) or a job of its GitLab CI component
(templates/rota-check.yml) into one bash script, as the forge would run them, for the tests
(tests/suite/forge.rs) to run against a scratch team.

    python3 tests/forge_steps.py github action.yml NAME=VALUE...
    python3 tests/forge_steps.py gitlab templates/rota-check.yml JOB NAME=VALUE...

Prints a JSON object: `script` (bash), and for GitLab the job's `codequality` report and
artifact `paths`. Only the expressions rota's files use are understood; anything else is an
error, so that a change to the files that this emulation would get wrong fails the tests.
"""

import json
import os
import re
import shlex
import sys

import yaml


def fail(message):
    sys.exit(f"forge_steps.py: {message}")


def inputs_from(declared, given):
    values = {}
    for name, spec in (declared or {}).items():
        default = (spec or {}).get("default", "")
        values[name] = str(default).lower() if isinstance(default, bool) else str(default)
    for pair in given:
        name, _, value = pair.partition("=")
        if name not in values:
            fail(f"no input {name!r}")
        values[name] = value
    return values


def github(path, given):
    action = yaml.safe_load(open(path))
    if action["runs"]["using"] != "composite":
        fail("not a composite action")
    inputs = inputs_from(action.get("inputs"), given)

    def value(expression):
        expression = expression.strip()
        if expression.startswith("inputs."):
            return inputs[expression[len("inputs."):]]
        if expression == "runner.temp":
            return os.environ["RUNNER_TEMP"]
        if expression == "github.workspace":
            return os.getcwd()
        fail(f"unknown expression {expression!r}")

    def interpolate(text):
        return re.sub(r"\$\{\{(.*?)\}\}", lambda m: value(m.group(1)), str(text))

    def condition(text):
        m = re.fullmatch(r"\s*inputs\.([\w-]+)\s*(==|!=)\s*'([^']*)'\s*", text)
        if not m:
            fail(f"unknown condition {text!r}")
        equal = inputs[m.group(1)] == m.group(3)
        return equal if m.group(2) == "==" else not equal

    lines = [
        "set -u",
        ': > "$GITHUB_PATH"',
    ]
    for step in action["runs"]["steps"]:
        if "uses" in step:
            fail("a step that uses another action")
        if "if" in step and not condition(step["if"]):
            continue
        if step.get("shell") != "bash":
            fail("a step whose shell is not bash")
        exports = "".join(
            f"export {name}={shlex.quote(interpolate(v))}; "
            for name, v in (step.get("env") or {}).items()
        )
        run = interpolate(step["run"])
        name = step.get("name", "step")
        lines += [
            f"# {name}",
            f"( {exports}bash --noprofile --norc -eo pipefail -c {shlex.quote(run)} )",
            f'status=$?; if [ $status -ne 0 ]; then echo "step failed: {name}" >&2; exit $status; fi',
            # The runner puts what a step adds to GITHUB_PATH before PATH for the next ones.
            'while IFS= read -r dir; do PATH="$dir:$PATH"; done < "$GITHUB_PATH"; : > "$GITHUB_PATH"',
        ]
    return {"script": "\n".join(lines) + "\n"}


def merge(base, job):
    merged = dict(base)
    for key, v in job.items():
        if isinstance(v, dict) and isinstance(merged.get(key), dict):
            merged[key] = {**merged[key], **v}
        else:
            merged[key] = v
    return merged


def gitlab(path, job_name, given):
    text = open(path).read()
    spec_text, _, jobs_text = text.partition("\n---\n")
    spec = yaml.safe_load(spec_text)["spec"]
    inputs = inputs_from(spec.get("inputs"), given)

    def value(m):
        name = m.group(1).strip()
        if not name.startswith("inputs."):
            fail(f"unknown interpolation {name!r}")
        return inputs[name[len("inputs."):]]

    jobs = yaml.safe_load(re.sub(r"\$\[\[(.*?)\]\]", value, jobs_text))
    job = jobs[job_name]
    for parent in [job.pop("extends")] if "extends" in job else []:
        job = merge(jobs[parent], job)
    exports = "".join(
        f"export {name}={shlex.quote(str(v))}\n" for name, v in (job.get("variables") or {}).items()
    )
    # The runner runs before_script and script in one shell, stopping at the first failure.
    body = "\n".join(job.get("before_script", []) + job["script"])
    script = f"set -eo pipefail\n{exports}{body}\n"
    artifacts = job.get("artifacts") or {}
    return {
        "script": script,
        "codequality": (artifacts.get("reports") or {}).get("codequality"),
        "paths": artifacts.get("paths", []),
        "rules": [rule.get("if") for rule in job.get("rules", [])],
    }


if __name__ == "__main__":
    kind, path, *rest = sys.argv[1:]
    if kind == "github":
        out = github(path, rest)
    elif kind == "gitlab":
        out = gitlab(path, rest[0], rest[1:])
    else:
        fail(f"unknown forge {kind!r}")
    print(json.dumps(out))
