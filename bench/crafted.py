#!/usr/bin/env python3
"""Crafted inputs (issue 20): files anyone who can push could write, within rota's limits or
just past them. Each command must finish in under 1 s and 16 MiB of peak RSS, or be refused at
once with an error that names the limit.

    python3 bench/crafted.py             # builds rota --release (cached), prints a Markdown table
    python3 bench/crafted.py --no-build  # use target/release/rota as it is
    python3 bench/crafted.py --keep      # leave the generated data in /tmp (the path is printed)

Each row runs the command 3 times in a fresh process under GNU time (`/usr/bin/time -f
"%e %U %S %M"`) and reports the median wall time, the median CPU time (user + system) and the
largest peak RSS. On a shared machine wall time carries other processes' load, so a row
passes when its wall time or its CPU time is under 1 s (both are shown). Commands that write get
the log cut back to its length after each run (rota only appends).

The data:

- 100,000 engineers: a list of 3.5 MiB (under the 4 MiB a list may hold), one `[[engineer]]`
  table each; rota refuses more than 1,000 engineers.
- 1,000 engineers: the most a team may have, every command that walks the team.
- 45,000 overrides: one `[[override]]` a day from 2000 on (2.8 MiB of list); rota refuses more
  than 2,000. 2,000 overrides: the most a list may hold.
- 120,000 hand lines in a merge: the log's merge driver with 60,000 lines of text written by
  hand on each side (no entry, no heading).
- a 200 MB single line: the log is a header and one line of 200 MB.
- a 77 MB log without a handover: 27 years of day sections with entries, and no handover
  record (the rotation starts from `[rotation] start`).
"""

import datetime
import os
import shutil
import statistics
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
NOW = "2026-11-23T10:00:00+01:00"
ENV = {"ROTA_NOW": NOW, "NO_COLOR": "1", "ROTA_USER": "e0000",
       "GIT_CONFIG_GLOBAL": "/dev/null", "GIT_CONFIG_NOSYSTEM": "1"}
HEAD = "[team]\nname = \"Crafted\"\ntimezone = \"Europe/Prague\"\n\n[rotation]\nstart = 2000-01-03\n\n"
LOG_HEAD = "# On-call log: Crafted\n\nKept by `rota`.\n"


def engineers(n):
    return "".join(f"[[engineer]]\nid = \"e{i:04}\"\nname = \"E\"\n\n" for i in range(n))


def team(d, list_text, log_text=LOG_HEAD):
    os.makedirs(d)
    with open(os.path.join(d, "on-call-list.toml"), "w") as f:
        f.write(list_text)
    with open(os.path.join(d, "on-call-log.md"), "w") as f:
        f.write(log_text)
    return d


def many_engineers(work, n):
    return team(os.path.join(work, f"engineers-{n}"), HEAD + engineers(n))


def overrides(work, n, name="overrides"):
    day = datetime.date(2000, 1, 1)
    parts = [HEAD, engineers(5)]
    for i in range(n):
        parts.append(f"[[override]]\ndate = {day + datetime.timedelta(days=i)}\nengineer = \"e{i % 5:04}\"\nkind = \"cover\"\n\n")
    return team(os.path.join(work, name), "".join(parts))


def hand_merge(work, n):
    d = team(os.path.join(work, "merge"), HEAD + engineers(5))
    day = "\n## 2026-11-23 Mon\n\n- 09:00 UTC e0000: start\n"
    for name, side in [("base", None), ("ours", "o"), ("theirs", "t")]:
        # Text written by hand before the first day, where a merge joins lines.
        hand = "".join(f"hand-written line {side} {i}\n" for i in range(n // 2)) if side else ""
        text = LOG_HEAD + hand + day
        with open(os.path.join(d, f"{name}.md"), "w") as f:
            f.write(text)
    return d


def long_line(work, size):
    d = team(os.path.join(work, "long-line"), HEAD + engineers(5))
    with open(os.path.join(d, "on-call-log.md"), "w") as f:
        f.write(LOG_HEAD + "\n")
        chunk = "x" * (1 << 20)
        for _ in range(size >> 20):
            f.write(chunk)
        f.write("\n")
    return d


def no_handover(work, size):
    """Day sections of 100 entries each, up to the Friday before today, starting as far back as
    `size` bytes need; no handover record."""
    d = team(os.path.join(work, "no-handover"), HEAD + engineers(5))
    entry = "fixed quota drift on project tools; runbook updated and the alert silenced #quota"

    def section(day):
        return f"\n## {day} {day.strftime('%a')}\n\n" + "".join(
            f"- {8 + k // 12:02}:{k % 12 * 5:02} UTC e000{k % 5}: {entry} {k}\n" for k in range(100))

    last = datetime.date(2026, 11, 20)
    days = []
    day, total = last, len(LOG_HEAD)
    while total < size:
        if day.weekday() < 5:
            days.append(day)
            total += len(section(day))
        day -= datetime.timedelta(days=1)
    with open(os.path.join(d, "on-call-log.md"), "w") as f:
        f.write(LOG_HEAD)
        for day in reversed(days):
            f.write(section(day))
    return d


def measure(rota, d, args, writes=False, after=None):
    log = os.path.join(d, "on-call-log.md")
    walls, cpus, rss, last = [], [], [], None
    for _ in range(3):
        size = os.path.getsize(log)
        out = subprocess.run(["/usr/bin/time", "-f", "%e %U %S %M", rota, *args], cwd=d,
                             env=dict(os.environ, **ENV), capture_output=True, text=True)
        *lines, timing = out.stderr.rstrip("\n").split("\n")
        wall, user, system, kib = timing.split()
        walls.append(float(wall))
        cpus.append(float(user) + float(system))
        rss.append(int(kib) / 1024)
        last = (out.returncode, "\n".join(lines), out.stdout)
        if writes:
            with open(log, "r+b") as f:
                f.truncate(size)
        if after:
            after()
    code, stderr, stdout = last
    first = next((l for l in stderr.split("\n") if l.startswith("rota: error:")), "")
    if args[0] == "check" and code == 1:
        # check reports a list it cannot read among its findings; other findings mean it ran.
        refusal = next((l for l in stdout.split("\n") if "more than" in l), None)
        first = f"rota: error: {refusal.split('error: ', 1)[-1]}" if refusal else ""
        if not refusal:
            code = 0
    return statistics.median(walls), statistics.median(cpus), max(rss), code, first


def main():
    if "--no-build" not in sys.argv:
        subprocess.run(["cargo", "build", "--release", "--locked", "--quiet"], cwd=ROOT, check=True)
    target = os.environ.get("CARGO_TARGET_DIR", os.path.join(ROOT, "target"))
    rota = os.path.join(target, "release", "rota")
    work = tempfile.mkdtemp(prefix="rota-crafted-")
    rows = []
    try:
        big = many_engineers(work, 100_000)
        limit = many_engineers(work, 1000)
        over = overrides(work, 45_000)
        over_limit = overrides(work, 2000, "overrides-2000")
        merge = hand_merge(work, 120_000)
        line = long_line(work, 200 << 20)
        logs = no_handover(work, 77 * 10**6)
        size = lambda d, f="on-call-list.toml": f"{os.path.getsize(os.path.join(d, f)) / (1 << 20):.1f} MiB"
        cases = [
            (f"100,000 engineers ({size(big)} list)", big, [["who"], ["schedule"], ["check"]]),
            ("1,000 engineers (the limit)", limit, [["who"], ["schedule", "--days", "3660"], ["next", "--count", "100"],
                                                    ["stats"], ["check"], ["publish", "site"]]),
            (f"45,000 overrides ({size(over)} list)", over, [["who"], ["check"]]),
            ("2,000 overrides (the limit)", over_limit, [["who"], ["schedule", "--days", "3660"], ["next", "--count", "100"],
                                                   ["stats"], ["check"]]),
            ("120,000 hand lines in a merge", merge, [["merge-driver", "log", "base.md", "ours.md", "theirs.md", "on-call-log.md"]]),
            (f"a 200 MB single line ({size(line, 'on-call-log.md')} log)", line, [["who"], ["log", "--as", "e0000", "entry"], ["check"],
                                                                       ["log", "--list"], ["schedule"]]),
            (f"a 77 MB log without a handover ({size(logs, 'on-call-log.md')})", logs, [["who"], ["log", "--as", "e0000", "entry"],
                                                                                  ["check"], ["log", "--list", "--from", "2026-11-16"],
                                                                                  ["schedule"], ["stats"]]),
        ]
        for label, d, commands in cases:
            for args in commands:
                writes = args[0] == "log" and "--list" not in args
                after = None
                if args[0] == "merge-driver":
                    # The driver writes the merge into ours: each run starts from the same three.
                    shutil.copy(os.path.join(d, "ours.md"), os.path.join(d, "ours.orig"))
                    after = lambda d=d: shutil.copy(os.path.join(d, "ours.orig"), os.path.join(d, "ours.md"))
                wall, cpu, rss, code, error = measure(rota, d, args, writes, after)
                # On a shared machine the wall time carries other processes' load: a command
                # passes when its wall time, or its CPU time when the machine is busy, is
                # under 1 s.
                ok = min(wall, cpu) < 1.0 and rss < 16
                if code == 0:
                    outcome = "runs"
                else:
                    outcome = f"refused: `{error.removeprefix('rota: error: ')}`" if error else f"exit {code}"
                verdict = "PASS" if ok and (code == 0 or "limit" in error or "more than" in error) else "FAIL"
                rows.append((label, "rota " + " ".join(args), wall, cpu, rss, outcome, verdict))
                print(f"{label}: rota {' '.join(args)}: {wall:.2f} s ({cpu:.2f} s CPU), {rss:.1f} MiB, {outcome}",
                      file=sys.stderr)
    finally:
        if "--keep" in sys.argv:
            print(f"data kept in {work}", file=sys.stderr)
        else:
            shutil.rmtree(work)
    load = os.getloadavg()[0]
    print(f"Load average at the end: {load:.1f} on {os.cpu_count()} cores.\n")
    print("| input | command | wall (median of 3) | CPU, user+sys (median) | peak RSS | outcome | under 1 s and 16 MiB |")
    print("| --- | --- | ---: | ---: | ---: | --- | --- |")
    for label, command, wall, cpu, rss, outcome, verdict in rows:
        print(f"| {label} | `{command}` | {wall * 1000:.0f} ms | {cpu * 1000:.0f} ms | {rss:.1f} MiB | {outcome} | {verdict} |")


if __name__ == "__main__":
    main()
