#!/usr/bin/env python3
"""Benchmarks rota at several log sizes and checks the targets of issue 12 (parts 1 and 2) and
issue 19 (`who` and `log TEXT` flat in the log's age).

    python3 bench/run.py             # builds rota --release (cached), prints a Markdown report
    python3 bench/run.py --quick     # fewer runs, and no log of the longest size
    python3 bench/run.py --no-build  # use target/release/rota as it is
                                     # ($CARGO_TARGET_DIR/release/rota when that is set)
    python3 bench/run.py --keep      # leave the generated data in /tmp (the path is printed)

With `jrnl` on PATH (`pip install jrnl`), two rows compare it with rota on a journal of as many
entries as the 10-year log; without it, they are skipped.

Data, generated in a temporary directory, in the log grammar rota writes today:

- a team of 50 engineers (e00 ... e49), made by `rota init` (seed 7), so the list is the one
  `rota init` writes and its `[rotation] start` is the log's first day;
- logs of 1, 10 and 100 years, and (unless --quick) the longest log rota accepts, all ending on
  the same day: rota refuses days outside 2000-01-01 ... 2199-12-31, and `schedule --days 2600`
  looks ten years ahead, so "today" is in 2189 and the longest log starts on 2000-01-03
  (about 189 years; a 1000-year log cannot exist);
- every working day has a heading, 0 to 5 entries by the engineer on call and others, and a
  handover record whose Served/Next lines name the next working day and whose round line lists
  the whole round with ~~served~~ and **next** markers; who serves which day comes from rota
  itself (`rota schedule --json`), so the records replay as rota's own would;
- the last day ("today", a Monday) has entries but no handover yet: the log ends where a
  team's log ends at 17:05 on a working day, and `handover` takes its normal path.

Before measuring, the script proves the data is rota's own shape: it runs the real rota for
two weeks across weekends (`rota log`, `rota handover --yes`) and asserts that the generator
writes the same bytes for those days. It asserts that `rota check` passes on the 1-year data,
and that the measured `handover` prints no repair or late notice.

Method: each row runs the command many times in a fresh process, stdout drained through a pipe
(never /dev/null: GNU grep stops at the first match when its stdout is /dev/null), and reports
the median wall time; peak RSS is GNU time's %M (`/usr/bin/time -f %M`, the largest of a few
separate runs), or, without GNU time, the child's ru_maxrss from wait4 (which includes the
forking Python's memory, so it overstates). Commands that write (`log TEXT`, `handover`) get
both files restored after every run, outside the timed part.
"""

import datetime
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import zoneinfo

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
QUICK = "--quick" in sys.argv
ZONE = zoneinfo.ZoneInfo("Europe/Prague")
SEED = "7"
TEAM = [f"e{i:02}" for i in range(50)]
# "Today": a Monday, 17:05 in Prague, after the day's entries and before its handover.
TODAY = datetime.date(2189, 6, 1)
assert TODAY.weekday() == 0
FIRST_DAY = datetime.date(2000, 1, 3)  # rota's first day is 2000-01-01, a Saturday
CHECKLIST = None  # read from the list `rota init` writes
GNU_TIME = None  # /usr/bin/time, when it is GNU time
GREP_WORD = "tools42"
TOPICS = [
    "fixed quota drift on project {tool} #quota",
    "rebooted cloudvirt{n} for the kernel upgrade #maintenance",
    "answered the mailing list about expired certificates; runbook updated #certs",
    "disk alerts on db{n} acknowledged; replication lag from the index rebuild #db",
    "ceph rebalance finished, cluster HEALTH_OK #ceph",
    "DNS TTLs lowered ahead of the migration of {tool} #dns",
    "restarted the wiki pod twice, see #412",
]
ENTRY_HOURS = [9, 10, 11, 13, 15]


def local_to_utc(day, hour, minute):
    at = datetime.datetime(day.year, day.month, day.day, hour, minute, tzinfo=ZONE)
    return at.astimezone(datetime.timezone.utc)


def rfc3339(day, hour, minute):
    at = datetime.datetime(day.year, day.month, day.day, hour, minute, tzinfo=ZONE)
    return at.isoformat()


def working_days(start, end):
    """Mon-Fri from start to end inclusive (the bench team has no holidays)."""
    day = start
    while day <= end:
        if day.weekday() < 5:
            yield day
        day += datetime.timedelta(days=1)


def next_working_day(day):
    day += datetime.timedelta(days=1)
    while day.weekday() >= 5:
        day += datetime.timedelta(days=1)
    return day


def run(argv, cwd, env, check=True):
    out = subprocess.run(argv, cwd=cwd, env=dict(os.environ, **env), capture_output=True, text=True)
    if check and out.returncode != 0:
        sys.exit(f"failed ({out.returncode}): {' '.join(argv)}\n{out.stdout}\n{out.stderr}")
    return out


def init_team(rota, d, start):
    """`rota init` for the bench team in `d`, round 1 starting on `start`."""
    os.makedirs(d)
    argv = [rota, "init", "--team", "Bench", "--timezone", "Europe/Prague"]
    for e in TEAM:
        argv += ["--engineer", f"{e},Engineer {e},{e}@example.org"]
    run(argv, d, {"ROTA_NOW": rfc3339(start, 9, 0), "ROTA_SEED": SEED, "NO_COLOR": "1"})
    with open(os.path.join(d, "on-call-log.md")) as f:
        header = f.read()
    return header


# ---------------------------------------------------------------------------------------------
# Who serves each working day, from rota itself.


def rotation_sequence(rota, work, length):
    """(engineer, round) for the first `length` working days (or more, to a round's end) of a rotation that starts on a
    working day: the team has no holidays or absences, so it depends only on the day's index.
    rota's schedule shows at most 3660 days at once; each further chunk continues from a handover
    record (written by `day_section`) into the last turn of a round."""
    d = os.path.join(work, "sequence")
    header = init_team(rota, d, FIRST_DAY)
    days = list(working_days(FIRST_DAY, FIRST_DAY + datetime.timedelta(days=length * 7 // 5 + 400)))
    seq = []
    while len(seq) < length:
        # The first slot is the turn of the record written below (or round 1's first turn).
        first = max(len(seq) - 1, 0)
        ahead = min(3660, length - first + 120)
        out = run([rota, "schedule", "--json", "--days", str(ahead)], d,
                  {"ROTA_NOW": rfc3339(days[first], 10, 0), "NO_COLOR": "1"}).stdout
        slots = [(s["date"], s["engineer"], s["round"]) for s in json.loads(out)]
        for k, (date, engineer, round_) in enumerate(slots):
            assert date == days[first + k].isoformat(), (date, days[first + k])
        if seq:
            assert (slots[0][1], slots[0][2]) == seq[-1], (slots[0], seq[-1])
        seq = seq[:first] + [(e, r) for _, e, r in slots]
        # Cut after the last complete round, and write the handover into its last turn.
        last = max(k for k in range(len(seq) - 1) if seq[k][1] != seq[k + 1][1])
        seq = seq[: last + 1]
        if len(seq) >= length:
            break
        orders = round_orders(seq)
        text = header.rstrip("\n") + "\n" + day_section(days[last - 1], [], seq[last - 1][0],
                                                        seq[last][0], days[last], seq[last][1],
                                                        orders, "")
        with open(os.path.join(d, "on-call-log.md"), "w") as f:
            f.write(text)
    return seq  # whole rounds: every round's order is known


def round_orders(seq):
    orders = {}
    for engineer, round_ in seq:
        orders.setdefault(round_, []).append(engineer)
    for round_, order in orders.items():
        assert sorted(order) == TEAM, f"round {round_} is not the team once each: {order}"
    return orders


# ---------------------------------------------------------------------------------------------
# The log, as rota writes it.


def round_line(round_, order, nxt):
    if order[0] == nxt:
        return f"Round {round_} (new shuffle): " + ", ".join(f"**{e}**" if e == nxt else e for e in order)
    i = order.index(nxt)
    return f"Round {round_}: " + ", ".join(
        [f"~~{e}~~" for e in order[:i]] + [f"**{nxt}**"] + order[i + 1:])


def day_section(day, entries, on_call, nxt, next_day, next_round, orders, note):
    """One working day: heading, entries, and (when `nxt`) the handover at 17:05 local."""
    text = f"\n## {day.isoformat()} {day:%a}\n"
    if entries:
        text += "\n" + "".join(f"- {at:%H:%M} UTC {who}: {what}\n" for at, who, what in entries)
    if nxt is None:
        return text
    at = local_to_utc(day, 17, 5)
    text += (f"\n### Handover {at:%H:%M} UTC: {on_call} → {nxt}\n\n"
             f"- Served: {day:%a %Y-%m-%d} ({on_call})\n- Next: {next_day:%a %Y-%m-%d} ({nxt})\n\n")
    text += "".join(f"* [x] {item}\n" for item in CHECKLIST)
    if note:
        text += f"\nNote for {nxt}: {note}\n"
    text += "\n" + round_line(next_round, orders[next_round], nxt) + "\n"
    return text


def day_entries(index, day, on_call, helper):
    """A realistic day: 0 to 5 entries, mostly by the engineer on call."""
    count = (index * 7 + 3) % 6
    entries = []
    for h in range(count):
        who = helper if h == 2 else on_call
        topic = TOPICS[(index + h) % len(TOPICS)].format(tool=f"tools{(index * 3 + h) % 97}", n=1000 + (index + h) % 150)
        entries.append((local_to_utc(day, ENTRY_HOURS[h], 14), who, topic))
    return entries


def day_note(index):
    return "the quota report is half done; see the log" if index % 3 == 0 else ""


def write_log(path, header, days, seq, orders, open_last):
    """The log of `days` (working days; seq[k] serves days[k]). With `open_last`, the last
    day has its entries but no handover yet."""
    with open(path, "w") as f:
        f.write(header.rstrip("\n") + "\n")
        for k, day in enumerate(days):
            on_call = seq[k][0]
            helper = TEAM[(TEAM.index(on_call) + 17) % len(TEAM)]
            entries = day_entries(k, day, on_call, helper)
            if open_last and k == len(days) - 1:
                f.write(day_section(day, entries, on_call, None, None, None, orders, ""))
            else:
                nxt, next_round = seq[k + 1]
                f.write(day_section(day, entries, on_call, nxt, next_working_day(day), next_round, orders,
                                    day_note(k)))


def prove_shape(rota, work, seq):
    """Two weeks written by the real rota, and by `write_log`: the same bytes."""
    start = datetime.date(2026, 11, 16)
    days = list(working_days(start, start + datetime.timedelta(days=15)))
    real = os.path.join(work, "shape-rota")
    header = init_team(rota, real, start)
    for k, day in enumerate(days[:-1]):
        on_call = seq[k][0]
        helper = TEAM[(TEAM.index(on_call) + 17) % len(TEAM)]
        for h, (at, who, what) in enumerate(day_entries(k, day, on_call, helper)):
            local = at.astimezone(ZONE)
            run([rota, "log", what], real, {"ROTA_NOW": local.isoformat(), "ROTA_USER": who, "NO_COLOR": "1"})
        argv = [rota, "handover", "--yes"] + (["--note", day_note(k)] if day_note(k) else [])
        run(argv, real, {"ROTA_NOW": rfc3339(day, 17, 5), "ROTA_USER": on_call, "NO_COLOR": "1"})
    made = os.path.join(work, "shape-made")
    write_log(made, header, days[:-1], seq, round_orders(seq), open_last=False)
    with open(os.path.join(real, "on-call-log.md")) as a, open(made) as b:
        ours, theirs = b.read(), a.read()
    if ours != theirs:
        import difflib
        sys.exit("the generator does not write rota's log:\n" + "".join(
            difflib.unified_diff(theirs.splitlines(True), ours.splitlines(True), "rota", "bench")))


def make_size(rota, work, label, start, seq):
    """A bench directory whose log runs from `start` to TODAY; returns (dir, facts)."""
    d = os.path.join(work, label.replace(" ", "-"))
    header = init_team(rota, d, start)
    days = list(working_days(start, TODAY))
    write_log(os.path.join(d, "on-call-log.md"), header, days, seq, round_orders(seq), open_last=True)
    size = os.path.getsize(os.path.join(d, "on-call-log.md"))
    return d, {"days": len(days), "bytes": size, "on_call": seq[len(days) - 1][0]}


# ---------------------------------------------------------------------------------------------
# Measuring.


def drain(proc):
    fd = proc.stdout.fileno()
    while os.read(fd, 1 << 20):
        pass


def one_run(argv, cwd, env):
    start = time.perf_counter()
    proc = subprocess.Popen(argv, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    drain(proc)
    proc.wait()
    return time.perf_counter() - start, proc.returncode


def peak_rss(argv, cwd, env):
    """MiB: GNU time's %M for one fresh run; without it, wait4's ru_maxrss."""
    if GNU_TIME:
        fd, path = tempfile.mkstemp()
        os.close(fd)
        proc = subprocess.Popen([GNU_TIME, "-f", "%M", "-o", path] + argv, cwd=cwd, env=env,
                                stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        drain(proc)
        proc.wait()
        with open(path) as f:
            kib = int(f.read().strip().splitlines()[-1])
        os.unlink(path)
        return kib / 1024
    proc = subprocess.Popen(argv, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    drain(proc)
    _, _, usage = os.wait4(proc.pid, 0)
    return usage.ru_maxrss / 1024


def task_clock(argv, cwd, env, runs):
    """Mean task-clock ms over `runs` (perf stat), or None without a working perf: CPU time
    spent in the process, which the other engineers on this machine disturb less than wall time."""
    if not shutil.which("perf"):
        return None
    fd, path = tempfile.mkstemp()
    os.close(fd)
    proc = subprocess.Popen(["perf", "stat", "-r", str(runs), "-x,", "-o", path, "-e", "task-clock", "--"] + argv,
                            cwd=cwd, env=dict(os.environ, **env), stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    drain(proc)
    proc.wait()
    with open(path) as f:
        rows = [line.split(",") for line in f if "task-clock" in line]
    os.unlink(path)
    try:
        return float(rows[0][0]) if proc.returncode == 0 and rows else None
    except ValueError:
        return None


def measure(jobs, scale=1):
    """Runs the jobs in turn (one run of each, again and again, so that a slow minute of this
    shared machine falls on all of them alike). Each job is (key, argv, cwd, env, reset, exit
    codes allowed); `scale` multiplies the run count. Returns {key: median wall ms, run count, peak RSS MiB (largest of 3), exit}."""
    runs, budget = (15, 3.0) if QUICK else (61, 12.0)
    runs *= scale
    walls = {job[0]: [] for job in jobs}
    codes = {job[0]: set() for job in jobs}
    spent = 0.0
    rounds = 0
    while rounds < runs and (rounds < 3 or spent < budget * len(jobs)):
        for key, argv, cwd, env, reset, _ in jobs:
            if reset:
                reset()
            wall, rc = one_run(argv, cwd, dict(os.environ, **env))
            walls[key].append(wall)
            codes[key].add(rc)
            spent += wall
        rounds += 1
    results = {}
    for key, argv, cwd, env, reset, allowed in jobs:
        peaks = []
        for _ in range(3):
            if reset:
                reset()
            peaks.append(peak_rss(argv, cwd, dict(os.environ, **env)))
        if reset:
            reset()
        if codes[key] - set(allowed):
            sys.exit(f"{' '.join(argv)} exited {codes[key]} in {cwd}")
        results[key] = {"wall": statistics.median(walls[key]) * 1000, "runs": len(walls[key]),
                        "rss": max(peaks), "rc": max(codes[key])}
        r = results[key]
        print(f"  {key}: {r['wall']:.2f} ms ({r['runs']} runs), {r['rss']:.1f} MiB", file=sys.stderr)
    return results


def restorer(d):
    """Puts both files back as they were after a command that wrote to them. rota only appends
    to the log, so cutting it back to its length restores it (the bytes before the cut are
    compared, 64 KiB of them); rewriting the whole file instead would leave tens of MiB of
    dirty pages for the next run's fsync to flush, and time the restore, not rota. The list is
    rewritten only if it changed. Both are synced here, outside the timed run."""
    log = os.path.join(d, "on-call-log.md")
    lst = os.path.join(d, "on-call-list.toml")
    length = os.path.getsize(log)
    with open(log, "rb") as f:
        f.seek(max(0, length - 65536))
        end = f.read()
    with open(lst, "rb") as f:
        listed = f.read()
    listing = sorted(os.listdir(d))

    def reset():
        with open(log, "rb+") as f:
            f.seek(length - len(end))
            if f.read(len(end)) != end:
                sys.exit(f"{log} changed before its end: rota must only append")
            f.truncate(length)
            os.fsync(f.fileno())
        with open(lst, "rb") as f:
            same = f.read() == listed
        if not same:
            with open(lst, "wb") as f:
                f.write(listed)
                os.fsync(f.fileno())
        for extra in set(os.listdir(d)) - set(listing):
            sys.exit(f"the command left {extra} in {d}")
    return reset


def toucher(d):
    """Changes the log's modification time (and so its change time), as a pull that rewrites
    it does: what rota found about the log's end no longer describes the file."""
    log = os.path.join(d, "on-call-log.md")

    def touch():
        os.utime(log)
    return touch


def assert_normal_handover(rota, d, env, facts):
    reset = restorer(d)
    before = os.path.getsize(os.path.join(d, "on-call-log.md"))
    out = run([rota, "handover", "--yes"], d, env)
    with open(os.path.join(d, "on-call-log.md")) as f:
        f.seek(before)
        record = f.read()
    reset()
    expected = f"rota: handed over: {facts['on_call']} → "
    notices = [line for line in out.stderr.splitlines() if line.strip()]
    if (not notices or not notices[-1].startswith(expected)
            or any(not n.startswith(("rota: handed over:", "rota: round ")) for n in notices)
            or "Late:" in record or "Run by:" in record or "Correction" in record):
        sys.exit(f"handover did not take its normal path in {d}:\n{out.stderr}\n{record}")


def main():
    global CHECKLIST, GNU_TIME
    GNU_TIME = "/usr/bin/time" if run(["/usr/bin/time", "-f", "%M", "true"], ".", {}, check=False).returncode == 0 else None
    if "--no-build" not in sys.argv:
        subprocess.run(["cargo", "build", "--release", "--locked", "--quiet"], cwd=ROOT, check=True)
    # The build's own target directory, as cargo finds it (CARGO_TARGET_DIR, else ./target).
    target = os.environ.get("CARGO_TARGET_DIR") or os.path.join(ROOT, "target")
    rota = os.path.join(target, "release", "rota")
    work = tempfile.mkdtemp(prefix="rota-bench-")
    sizes = [("1 year", 1), ("10 years", 10), ("100 years", 100)]
    if not QUICK:
        sizes.append((f"{(TODAY - FIRST_DAY).days / 365.25:.0f} years", None))
    try:
        fresh = os.path.join(work, "fresh")
        init_team(rota, fresh, TODAY)
        with open(os.path.join(fresh, "on-call-list.toml")) as f:
            listed = f.read()
        m = re.search(r"checklist = \[\n(.*?)\n\]", listed, re.S)
        CHECKLIST = re.findall(r'^\s*"(.*)",?$', m.group(1), re.M)

        longest = len(list(working_days(FIRST_DAY, TODAY)))
        print("generating the rotation with rota schedule ...", file=sys.stderr)
        seq = rotation_sequence(rota, work, longest)
        prove_shape(rota, work, seq)
        print("  the generator writes what rota writes (two weeks compared byte for byte)", file=sys.stderr)

        now = rfc3339(TODAY, 17, 5)
        base_env = {"ROTA_NOW": now, "NO_COLOR": "1"}
        results, facts_of = {}, {}
        floor = measure([
            ("/bin/true", ["/bin/true"], fresh, {}, None, (0,)),
            ("rota --version", [rota, "--version"], fresh, base_env, None, (0,)),
            ("rota who (fresh team)", [rota, "who"], fresh, dict(base_env, ROTA_USER=TEAM[0]), None, (0,)),
        ], scale=5)
        for key, argv, env in (("/bin/true", ["/bin/true"], {}), ("rota --version", [rota, "--version"], base_env),
                               ("rota who (fresh team)", [rota, "who"], dict(base_env, ROTA_USER=TEAM[0]))):
            floor[key]["cpu"] = task_clock(argv, fresh, env, 50 if QUICK else 300)
        dirs = {}
        for label, years in sizes:
            start = FIRST_DAY if years is None else next_working_day(
                TODAY - datetime.timedelta(days=round(365.25 * years)) - datetime.timedelta(days=1))
            d, facts = make_size(rota, work, label, start, seq)
            facts_of[label] = facts
            dirs[label] = d
            env = dict(base_env, ROTA_USER=facts["on_call"])
            checked = run([rota, "check"], d, env, check=False)
            facts["check"] = checked.returncode == 0
            facts["check_says"] = (checked.stdout + checked.stderr).strip().splitlines()[:1]
            if years == 1 and not facts["check"]:
                sys.exit(f"rota check fails on the 1-year data:\n{checked.stdout}{checked.stderr}")
            who = run([rota, "who"], d, env).stdout
            assert f"({facts['on_call']})" in who.splitlines()[0], who
            assert_normal_handover(rota, d, env, facts)
            # The rows measure real answers: the search finds what grep finds, the window is not empty.
            found = run([rota, "log", "--list", "--grep", GREP_WORD], d, env).stdout.count("\n")
            counted = int(run(["grep", "-c", GREP_WORD, os.path.join(d, "on-call-log.md")], d, {}).stdout)
            assert found == counted > 0, (found, counted)
            week = run([rota, "log", "--list", "--from", (TODAY - datetime.timedelta(days=7)).isoformat()], d, env).stdout
            assert week.count("\n") >= 5, week
            print(f"  {label}: {facts['days']} working days, {facts['bytes'] / 2**20:.1f} MiB, "
                  f"check {'passes' if facts['check'] else 'fails'}, handover takes its normal path", file=sys.stderr)

        month_ago = (TODAY - datetime.timedelta(days=30)).isoformat()
        week_ago = (TODAY - datetime.timedelta(days=7)).isoformat()
        # How a command's runs are kept alike: None (it reads), "each" (the files are put back
        # before every run), "after" (rota's own appends pile up, as a day's entries do, and
        # are cut back after the last run: putting the log back is an edit made outside rota,
        # after which the first command reads the whole log's blocks once, see logend),
        # "touched" (the log's time changes before every run, as a pull changes it).
        cases = [
            ("rota who", lambda d: [rota, "who"], None),
            ("rota who (first after a pull)", lambda d: [rota, "who"], "touched"),
            ("rota log TEXT", lambda d: [rota, "log", "fixed quota drift on project tools7 #quota"], "after"),
            ("rota handover --yes", lambda d: [rota, "handover", "--yes"], "each"),
            ("rota schedule --days 2600", lambda d: [rota, "schedule", "--days", "2600"], None),
            ("rota stats --from (a month ago)", lambda d: [rota, "stats", "--from", month_ago], None),
            ("rota log --list --from (a week ago)", lambda d: [rota, "log", "--list", "--from", week_ago], None),
            (f"rota log --list --grep {GREP_WORD}", lambda d: [rota, "log", "--list", "--grep", GREP_WORD], None),
            (f"grep -c {GREP_WORD} (same file)", lambda d: ["grep", "-c", GREP_WORD, os.path.join(d, "on-call-log.md")], None),
            ("rota log --list --json", lambda d: [rota, "log", "--list", "--json"], None),
            ("rota check", lambda d: [rota, "check"], None),
        ]
        groups = [[c] for c in cases if not c[0].startswith(("rota log --list --grep", "grep -c"))]
        groups.insert(6, [c for c in cases if c[0].startswith(("rota log --list --grep", "grep -c"))])
        for group in groups:
            jobs, afterwards = [], []
            for name, argv_of, kept in group:
                for label, _ in sizes:
                    d = dirs[label]
                    env = dict(base_env, ROTA_USER=facts_of[label]["on_call"])
                    allowed = (0, 1) if name == "rota check" else (0,)
                    reset = None
                    if kept == "each":
                        reset = restorer(d)
                    elif kept == "after":
                        afterwards.append(restorer(d))
                    elif kept == "touched":
                        reset = toucher(d)
                    jobs.append(((name, label), argv_of(d), d, env, reset, allowed))
            results.update(measure(jobs))
            for reset in afterwards:
                reset()
        jrnl = jrnl_rows(work, facts_of)
    finally:
        if "--keep" in sys.argv:
            print(f"kept the data in {work}", file=sys.stderr)
        else:
            shutil.rmtree(work, ignore_errors=True)
    report(sizes, floor, results, facts_of, jrnl)


def jrnl_rows(work, facts_of):
    """jrnl (PyPI) on a journal with as many entries as the 10-year log, if it is installed."""
    if not shutil.which("jrnl"):
        return None
    d = os.path.join(work, "jrnl")
    os.makedirs(os.path.join(d, "config", "jrnl"))
    journal = os.path.join(d, "journal.txt")
    entries = sum((k * 7 + 3) % 6 for k in range(facts_of["10 years"]["days"]))
    start = datetime.datetime(2016, 11, 21, 8, 14)
    with open(journal, "w") as f:
        for i in range(entries):
            at = start + datetime.timedelta(hours=4 * i)
            f.write(f"[{at:%Y-%m-%d %H:%M}] fixed quota drift on project tools{i % 97} @quota entry {i}\n\n")
    with open(os.path.join(d, "config", "jrnl", "jrnl.yaml"), "w") as f:
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
    env = {"XDG_CONFIG_HOME": os.path.join(d, "config")}
    length = os.path.getsize(journal)

    def reset():
        os.truncate(journal, length)
    if run(["jrnl", "-n", "1"], d, env, check=False).returncode != 0:
        return None
    version = run(["jrnl", "--version"], d, env).stdout.split("\n")[0]
    measured = measure([
        ("jrnl TEXT (append)", ["jrnl", "fixed quota drift"], d, env, reset, (0,)),
        ("jrnl -n 10 (last entries)", ["jrnl", "-n", "10"], d, env, None, (0,)),
    ])
    return dict(measured, entries=entries, version=version)


def report(sizes, floor, results, facts_of, jrnl):
    labels = [label for label, _ in sizes]
    cpu = "unknown"
    with open("/proc/cpuinfo") as f:
        for line in f:
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    print(f"Measured {datetime.datetime.now(datetime.timezone.utc):%Y-%m-%d %H:%M} UTC on {os.cpu_count()} cores "
          f"({cpu}, Linux {os.uname().release}); rota at ROTA_NOW={rfc3339(TODAY, 17, 5)}; "
          f"{'--quick; ' if QUICK else ''}peak RSS by {'GNU time %M' if GNU_TIME else 'wait4 ru_maxrss'}.\n")
    print("| log | working days | size | `rota check` |")
    print("| --- | ---: | ---: | --- |")
    for label in labels:
        f = facts_of[label]
        print(f"| {label} | {f['days']} | {f['bytes'] / 2**20:.1f} MiB | {'passes' if f['check'] else 'FAILS: ' + ' '.join(f['check_says'])} |")
    print("\n| start-up | wall (median) | runs | peak RSS | / `/bin/true` | task-clock (perf stat, mean) | / `/bin/true` |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    base = floor["/bin/true"]["wall"]
    cpu_base = floor["/bin/true"].get("cpu")
    for name, r in floor.items():
        cpu = (f"{r['cpu']:.2f} ms | {r['cpu'] / cpu_base:.2f}x" if r.get("cpu") and cpu_base else "n/a | n/a")
        print(f"| `{name}` | {r['wall']:.2f} ms | {r['runs']} | {r['rss']:.1f} MiB | {r['wall'] / base:.2f}x | {cpu} |")
    names = [name for (name, label) in results if label == labels[0]]
    print("\nWall time, median of the runs (run counts in parentheses):\n")
    print("| command | " + " | ".join(labels) + " |")
    print("| --- |" + " ---: |" * len(labels))
    for name in names:
        print(f"| `{name}` | " + " | ".join(
            f"{results[(name, l)]['wall']:.1f} ms ({results[(name, l)]['runs']})" for l in labels) + " |")
    print("\nPeak RSS (largest of 3 runs):\n")
    print("| command | " + " | ".join(labels) + " |")
    print("| --- |" + " ---: |" * len(labels))
    for name in names:
        print(f"| `{name}` | " + " | ".join(f"{results[(name, l)]['rss']:.1f} MiB" for l in labels) + " |")

    def verdict(ok):
        return "PASS" if ok else "FAIL"
    print("\n| target | measured | verdict |")
    print("| --- | --- | --- |")
    for name in ("rota stats --from (a month ago)", "rota log --list --from (a week ago)"):
        ratio = results[(name, "100 years")]["wall"] / results[(name, "1 year")]["wall"]
        longest = ""
        if len(labels) > 3:
            longest = f"; {labels[3]}: {results[(name, labels[3])]['wall'] / results[(name, '1 year')]['wall']:.2f}x"
        print(f"| `{name}`: 100 years within 1.5x of 1 year | {ratio:.2f}x{longest} | {verdict(ratio <= 1.5)} |")
    # Issue 19: the everyday commands stay flat in the log's age.
    for name in ("rota who", "rota log TEXT"):
        ratio = results[(name, "100 years")]["wall"] / results[(name, "1 year")]["wall"]
        print(f"| `{name}`: 100 years within 1.3x of 1 year (issue 19) | {ratio:.2f}x | {verdict(ratio <= 1.3)} |")
    rg = f"rota log --list --grep {GREP_WORD}"
    gc = f"grep -c {GREP_WORD} (same file)"
    ratio = results[(rg, "100 years")]["wall"] / results[(gc, "100 years")]["wall"]
    others = "; ".join(f"{l}: {results[(rg, l)]['wall'] / results[(gc, l)]['wall']:.2f}x" for l in labels if l != "100 years")
    print(f"| `log --list --grep` within 3x of `grep -c` on the 100-year log | {ratio:.2f}x ({others}) | {verdict(ratio <= 3)} |")
    over = [f"`{name}` {l} {results[(name, l)]['rss']:.1f} MiB" for (name, l) in results
            if results[(name, l)]["rss"] >= 16 and not name.startswith("grep")]
    over += [f"`{n}` {r['rss']:.1f} MiB" for n, r in floor.items() if r["rss"] >= 16]
    print(f"| peak RSS under 16 MiB for every command at every size | "
          f"{'; '.join(over) if over else 'largest ' + format(max(r['rss'] for r in results.values()), '.1f') + ' MiB'} | {verdict(not over)} |")
    ratio = floor["rota who (fresh team)"]["wall"] / base
    cpu = floor["rota who (fresh team)"].get("cpu")
    also = f" (task-clock: {cpu / cpu_base:.2f}x)" if cpu and cpu_base else ""
    print(f"| `who` on a fresh team within 2.5x of `/bin/true` (wall) | {ratio:.2f}x{also} | {verdict(ratio <= 2.5)} |")
    if jrnl:
        print(f"\n{jrnl['version']} (PyPI), on a journal of {jrnl['entries']} entries (as many as the 10-year log):\n")
        print("| peer | wall | peak RSS | rota's equivalent (10 years) |")
        print("| --- | ---: | ---: | --- |")
        for name, ours in (("jrnl TEXT (append)", "rota log TEXT"), ("jrnl -n 10 (last entries)", "rota log --list --from (a week ago)")):
            r, o = jrnl[name], results[(ours, "10 years")]
            print(f"| `{name}` | {r['wall']:.1f} ms | {r['rss']:.1f} MiB | `{ours}` {o['wall']:.1f} ms |")


if __name__ == "__main__":
    main()
