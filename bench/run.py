#!/usr/bin/env python3
"""Benchmarks rota against itself at two log sizes, and against jrnl.

    python3 bench/run.py            # builds rota --release, prints a Markdown report
    python3 bench/run.py --quick    # fewer runs

Data (generated in a temporary directory): a team of 50 engineers, a ten-year log (about 2,600
working days, 6 entries a day, a handover record each day) and a hundred-year log of the same
shape; a jrnl journal with as many entries as the ten-year log. Every figure is whole-process
wall time (median of many runs) and peak resident memory (GNU time's %M). jrnl comes from PyPI
(`pip install jrnl`); without it, its rows are skipped.
"""

import datetime
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
QUICK = "--quick" in sys.argv
NOW = "2026-11-23T10:15:00+01:00"


def team_list(path, size=50):
    ids = [f"e{i:02}" for i in range(size)]
    lines = ['[team]', 'name = "Bench"', 'timezone = "Europe/Prague"', "holidays = [2026-12-24, 2026-12-25]", ""]
    for i in ids:
        lines += ["[[engineer]]", f'id = "{i}"', f'name = "Engineer {i}"', f'email = "{i}@example.org"', ""]
    lines += ["[handover]", 'checklist = ["Answered the support channels", "Checked the consoles", "Updated the runbooks"]', ""]
    lines += ["[rotation]", "seed = 7", "round = 1", "order = [" + ", ".join(f'"{i}"' for i in ids) + "]",
              f'on-call = "{ids[0]}"', "day = 2026-11-23"]
    with open(path, "w") as f:
        f.write("\n".join(lines) + "\n")
    return ids


def rota_log(path, years, ids):
    """A log of `years` years of working days ending 2026-11-20; returns the number of entries."""
    day = datetime.date(2026, 11, 21) - datetime.timedelta(days=round(365.25 * years))
    end = datetime.date(2026, 11, 21)
    n = entries = 0
    with open(path, "w") as f:
        f.write("# On-call log: Bench\n")
        while day < end:
            if day.weekday() < 5:
                who, nxt = ids[n % len(ids)], ids[(n + 1) % len(ids)]
                n += 1
                f.write(f"\n## {day} {day:%a} · on call: {who}\n\n")
                for h in range(6):
                    f.write(f"- {8 + h:02}:14 UTC {who}: fixed quota drift on project tools{n % 97} #quota entry {h}\n")
                    entries += 1
                f.write(f"\n### Handover 16:05 UTC: {who} → {nxt}\n\n- Served: {day:%a %Y-%m-%d} ({who})\n"
                        f"- Next: {day + datetime.timedelta(days=1):%a %Y-%m-%d} ({nxt})\n\n"
                        "- [x] Answered the support channels\n- [x] Checked the consoles\n- [x] Updated the runbooks\n\n"
                        f"Round 1: **{nxt}**\n")
            day += datetime.timedelta(days=1)
    return entries


def jrnl_setup(directory, entries):
    journal = os.path.join(directory, "journal.txt")
    start = datetime.datetime(2016, 11, 21, 8, 14)
    with open(journal, "w") as f:
        for i in range(entries):
            at = start + datetime.timedelta(hours=4 * i)
            f.write(f"[{at:%Y-%m-%d %H:%M}] fixed quota drift on project tools{i % 97} @quota entry {i}\n\n")
    config_dir = os.path.join(directory, "config", "jrnl")
    os.makedirs(config_dir)
    with open(os.path.join(config_dir, "jrnl.yaml"), "w") as f:
        f.write(f"""colors: {{body: none, date: none, tags: none, title: none}}
default_hour: 9
default_minute: 0
editor: ''
encrypt: false
highlight: false
indent_character: '|'
journals:
  default:
    journal: {journal}
linewrap: 79
tagsymbols: '#@'
template: false
timeformat: '%Y-%m-%d %H:%M'
version: v4.6
""")
    return {"XDG_CONFIG_HOME": os.path.join(directory, "config")}


def measure(argv, cwd, env, runs, reset=None):
    """Median wall seconds over `runs`, and the median peak RSS in MiB."""
    walls, peaks = [], []
    full_env = dict(os.environ, **env)
    for _ in range(runs):
        if reset:
            reset()
        start = time.perf_counter()
        subprocess.run(argv, cwd=cwd, env=full_env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
        walls.append(time.perf_counter() - start)
    for _ in range(min(runs, 5)):
        if reset:
            reset()
        out = subprocess.run(["/usr/bin/time", "-f", "%M"] + argv, cwd=cwd, env=full_env,
                             stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, check=True)
        peaks.append(int(out.stderr.strip().splitlines()[-1]) / 1024)
    return statistics.median(walls), statistics.median(peaks)


def main():
    subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=ROOT, check=True)
    rota = os.path.join(ROOT, "target", "release", "rota")
    work = tempfile.mkdtemp(prefix="rota-bench-")
    # ROTA_USER: the person typing (rota log writes in their name; outside git it must be said).
    env = {"ROTA_NOW": NOW, "NO_COLOR": "1", "ROTA_USER": "e00"}
    results = {}
    sizes = {}
    try:
        for label, years in (("10 years", 10), ("100 years", 100)):
            d = os.path.join(work, label.replace(" ", "-"))
            os.makedirs(d)
            ids = team_list(os.path.join(d, "on-call-list.toml"))
            entries = rota_log(os.path.join(d, "on-call-log.md"), years, ids)
            sizes[label] = (entries, os.path.getsize(os.path.join(d, "on-call-log.md")))
            log_length = os.path.getsize(os.path.join(d, "on-call-log.md"))

            def reset_log(d=d, length=log_length):
                # A handover only appends its record: cutting the log back undoes it.
                os.truncate(os.path.join(d, "on-call-log.md"), length)

            fast, slow = (15, 5) if QUICK else (60, 15)
            cases = [
                ("rota who", [rota, "who"], fast, None),
                ("rota log TEXT", [rota, "log", "fixed quota drift"], fast, reset_log),
                ("rota handover --yes", [rota, "handover", "--yes"], fast, reset_log),
                ("rota schedule --days 2600", [rota, "schedule", "--days", "2600", "--json"], slow, None),
                ("rota log --list --grep WORD", [rota, "log", "--list", "--grep", "tools42"], slow, None),
                ("rota check", [rota, "check"], slow, None),
            ]
            for name, argv, runs, reset in cases:
                results[(name, label)] = measure(argv, d, env, runs, reset)
                print(f"  {name} ({label}): {results[(name, label)][0] * 1000:.1f} ms", file=sys.stderr)

        if shutil.which("jrnl"):
            d = os.path.join(work, "jrnl")
            os.makedirs(d)
            jenv = jrnl_setup(d, sizes["10 years"][0])
            runs = 5 if QUICK else 15
            results[("jrnl TEXT (append)", "10 years")] = measure(["jrnl", "fixed quota drift"], d, jenv, runs)
            results[("jrnl -n 10 (last entries)", "10 years")] = measure(["jrnl", "-n", "10"], d, jenv, runs)
            print("  jrnl done", file=sys.stderr)
    finally:
        shutil.rmtree(work)

    print(f"Measured {datetime.date.today()} on {os.cpu_count()} cores; "
          f"ten-year log: {sizes['10 years'][0]} entries, {sizes['10 years'][1] / 2**20:.1f} MiB; "
          f"hundred-year log: {sizes['100 years'][0]} entries, {sizes['100 years'][1] / 2**20:.1f} MiB.\n")
    print("| command | wall, 10 years | wall, 100 years | 100 y / 10 y | peak RSS, 10 y | peak RSS, 100 y |")
    print("| --- | ---: | ---: | ---: | ---: | ---: |")
    for name in ("rota who", "rota log TEXT", "rota handover --yes", "rota schedule --days 2600",
                 "rota log --list --grep WORD", "rota check"):
        (w10, m10), (w100, m100) = results[(name, "10 years")], results[(name, "100 years")]
        print(f"| `{name}` | {w10 * 1000:.1f} ms | {w100 * 1000:.1f} ms | {w100 / w10:.2f} | {m10:.1f} MiB | {m100:.1f} MiB |")
    if ("jrnl TEXT (append)", "10 years") in results:
        print("\n| peer, same number of entries (10 years) | wall | peak RSS | rota's equivalent | ratio |")
        print("| --- | ---: | ---: | --- | ---: |")
        for name, ours in (("jrnl TEXT (append)", "rota log TEXT"), ("jrnl -n 10 (last entries)", "rota log --list --grep WORD")):
            (w, m), (rw, _) = results[(name, "10 years")], results[(ours, "10 years")]
            print(f"| `{name}` | {w * 1000:.1f} ms | {m:.1f} MiB | `{ours}` {rw * 1000:.1f} ms | {w / rw:.0f}× |")


if __name__ == "__main__":
    main()
