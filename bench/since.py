#!/usr/bin/env python3
"""`rota check --since HEAD~1` on a 1-year and a 100-year log (issue 19, "History verified
against git"): what judging the last commit costs, against what the log costs.

    python3 bench/since.py                 # builds rota --release (cached), prints a Markdown table
    python3 bench/since.py --no-build      # use $CARGO_TARGET_DIR/release/rota (or target/) as it is
    python3 bench/since.py --before BIN    # also measure another rota binary (e.g. an older build)
    python3 bench/since.py --keep          # leave the generated repositories in /tmp

The logs are bench/run.py's (50 engineers, rota's own records, proved byte for byte against the
real rota), each committed in a git repository; then one commit on top:

- **append**: `rota log TEXT` appends one entry (what a day's commit does);
- **edit far back**: line 10 of the log edited by hand (check fails and names it).

Each row runs in a fresh process, interleaved across sizes, 15 runs (5 with --quick); the
figure is the median wall time, and peak RSS is GNU time's %M (the largest of 3 runs).
`rota check` alone (no upstream, no --since: the rules on the whole log, which read the log
whatever its age) is measured on the same data, so the difference is what --since adds. git's
own part is `git cat-file --batch` reading the three versions --since reads (HEAD~1 and HEAD
for the commit, HEAD again for the working tree), drained through a pipe as rota reads them.
"""

import datetime
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import run as bench  # noqa: E402  (the log generator and the measuring helpers)

RUNS = 5 if "--quick" in sys.argv else 15
GIT_ENV = {"GIT_CONFIG_GLOBAL": "/dev/null", "GIT_CONFIG_NOSYSTEM": "1",
           "GIT_AUTHOR_NAME": "b", "GIT_AUTHOR_EMAIL": "b@example.org",
           "GIT_COMMITTER_NAME": "b", "GIT_COMMITTER_EMAIL": "b@example.org"}


def git(d, *args):
    return bench.run(["git", *args], d, GIT_ENV).stdout


def repository(rota, d, env, case):
    """The bench directory as a repository: the log committed, then the case's commit."""
    git(d, "init", "-q", "-b", "main")
    git(d, "add", "-A")
    git(d, "commit", "-q", "-m", "the log")
    log = os.path.join(d, "on-call-log.md")
    if case == "append":
        bench.run([rota, "log", "fixed quota drift on project tools7 #quota"], d, env)
    else:
        with open(log) as f:
            lines = f.readlines()
        lines[9] = lines[9].rstrip("\n") + " (edited)\n"
        with open(log, "w") as f:
            f.writelines(lines)
    git(d, "commit", "-q", "-am", case)


def wall(argv, cwd, env):
    return bench.one_run(argv, cwd, dict(os.environ, **env))


def git_part(d):
    """Seconds for git to stream the three versions --since reads, as one `cat-file --batch`."""
    ids = "".join(git(d, "rev-parse", f"{rev}:on-call-log.md") for rev in ("HEAD~1", "HEAD", "HEAD"))
    start = time.perf_counter()
    proc = subprocess.Popen(["git", "cat-file", "--batch"], cwd=d, env=dict(os.environ, **GIT_ENV),
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    proc.stdin.write(ids.encode())
    proc.stdin.close()
    bench.drain(proc)
    proc.wait()
    return time.perf_counter() - start


def main():
    bench.GNU_TIME = "/usr/bin/time" if bench.run(["/usr/bin/time", "-f", "%M", "true"], ".", {}, check=False).returncode == 0 else None
    if "--no-build" not in sys.argv:
        subprocess.run(["cargo", "build", "--release", "--locked", "--quiet"], cwd=bench.ROOT, check=True)
    target = os.environ.get("CARGO_TARGET_DIR") or os.path.join(bench.ROOT, "target")
    binaries = [("rota", os.path.join(target, "release", "rota"))]
    if "--before" in sys.argv:
        binaries.append(("before", os.path.abspath(sys.argv[sys.argv.index("--before") + 1])))
    rota = binaries[0][1]
    work = tempfile.mkdtemp(prefix="rota-since-")
    sizes = [("1 year", 1), ("100 years", 100)]
    cases = ["append", "edit far back"]
    try:
        fresh = os.path.join(work, "fresh")
        bench.init_team(rota, fresh, bench.TODAY)
        with open(os.path.join(fresh, "on-call-list.toml")) as f:
            listed = f.read()
        import re
        m = re.search(r"checklist = \[\n(.*?)\n\]", listed, re.S)
        bench.CHECKLIST = re.findall(r'^\s*"(.*)",?$', m.group(1), re.M)
        longest = len(list(bench.working_days(bench.TODAY - datetime.timedelta(days=36600), bench.TODAY)))
        print("generating the rotation with rota schedule ...", file=sys.stderr)
        seq = bench.rotation_sequence(rota, work, longest)
        bench.prove_shape(rota, work, seq)
        env_of, dirs, facts_of = {}, {}, {}
        for label, years in sizes:
            start = bench.next_working_day(bench.TODAY - datetime.timedelta(days=round(365.25 * years)) - datetime.timedelta(days=1))
            for case in cases:
                d, facts = bench.make_size(rota, work, f"{label} {case}", start, seq)
                env = {"ROTA_NOW": bench.rfc3339(bench.TODAY, 17, 5), "NO_COLOR": "1",
                       "ROTA_USER": facts["on_call"], **GIT_ENV}
                repository(rota, d, env, case)
                want = 0 if case == "append" else 1
                for name, binary in binaries:
                    got = bench.run([binary, "check", "--since", "HEAD~1"], d, env, check=False)
                    assert got.returncode == want, (name, label, case, got.stdout, got.stderr)
                    if case != "append":
                        assert "line 10" in got.stdout, got.stdout
                dirs[(label, case)], env_of[(label, case)], facts_of[label] = d, env, facts
                print(f"  {label}, {case}: {facts['bytes'] / 2**20:.1f} MiB", file=sys.stderr)
        rows = [(f"`{name} check --since HEAD~1`", binary, ["check", "--since", "HEAD~1"]) for name, binary in binaries]
        rows.append(("`rota check` (the rules alone)", rota, ["check"]))
        times = {}
        for _ in range(RUNS):
            for label, _ in sizes:
                for case in cases:
                    d, env = dirs[(label, case)], env_of[(label, case)]
                    for row, binary, args in rows:
                        times.setdefault((row, label, case), []).append(wall([binary, *args], d, env)[0])
                    times.setdefault(("git", label, case), []).append(git_part(d))
        rss = {}
        for label, _ in sizes:
            for case in cases:
                d, env = dirs[(label, case)], dict(os.environ, **env_of[(label, case)])
                for row, binary, args in rows:
                    rss[(row, label, case)] = max(bench.peak_rss([binary, *args], d, env) for _ in range(3))
    finally:
        if "--keep" in sys.argv:
            print(f"kept the data in {work}", file=sys.stderr)
        else:
            shutil.rmtree(work, ignore_errors=True)

    print(f"Logs: 1 year {facts_of['1 year']['bytes'] / 2**20:.1f} MiB, 100 years {facts_of['100 years']['bytes'] / 2**20:.1f} MiB; "
          f"median of {RUNS} runs, peak RSS by GNU time %M (largest of 3).\n")
    print("| command | commit | 1 year | 100 years | 100 / 1 year | peak RSS 1 / 100 years |")
    print("| --- | --- | ---: | ---: | ---: | ---: |")
    med = {k: statistics.median(v) * 1000 for k, v in times.items()}
    for case in cases:
        for row, _, _ in rows:
            a, b = med[(row, "1 year", case)], med[(row, "100 years", case)]
            print(f"| {row} | {case} | {a:.1f} ms | {b:.1f} ms | {b / a:.2f}x | "
                  f"{rss[(row, '1 year', case)]:.1f} / {rss[(row, '100 years', case)]:.1f} MiB |")
        since, alone = rows[0][0], rows[-1][0]
        a = med[(since, "1 year", case)] - med[(alone, "1 year", case)]
        b = med[(since, "100 years", case)] - med[(alone, "100 years", case)]
        print(f"| what --since adds | {case} | {a:.1f} ms | {b:.1f} ms | {b / max(a, 0.1):.1f}x | |")
        a, b = med[("git", "1 year", case)], med[("git", "100 years", case)]
        print(f"| of which git: `cat-file --batch` of the 3 versions | {case} | {a:.1f} ms | {b:.1f} ms | {b / a:.1f}x | |")


if __name__ == "__main__":
    main()
