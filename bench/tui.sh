#!/usr/bin/env bash
# bench/tui.sh — the dashboard's costs, measured on a pseudo-terminal at 80x24:
# time to the first frame, CPU and wake-ups at rest over 60 s with a 5 s refresh,
# bytes written per refresh in steady state against a full repaint (Ctrl-L), and
# peak RSS (also with the simulator's scale scenario). Each figure is measured for
# this tree and for the older trees of FD_TUI_BEFORE (default: before the at-rest
# tuning, 8fd9faf, and before issue 16's redesign, 334ca23; each built once from git
# archive and cached in the build directory), side by side in one run: the trees run
# at the same time (each with its own simulator) in each of FD_BENCH_ROUNDS rounds
# (default 3), so a shared machine's load falls on all of them alike; the table gives
# medians and each older tree's figure with the ratio now/then. CPU is read from
# /proc/PID/schedstat (nanoseconds on a CPU), not clock ticks.
# Data source: --demo (the simulator) when it works, else the test binary's fake model
# (FD_FAKE_BIN, tests/tui/flightdeck-fake).
# FD_BENCH_SECONDS shortens the rest period; FD_TUI_BEFORE=none skips the old trees.
set -u
: "${FD_BIN:?}"
befores=${FD_TUI_BEFORE:-8fd9faf 334ca23}
olds=()
if [ "$befores" != none ] && [ -n "${FD_BUILDDIR:-}" ] && [ -n "${FD_SRCDIR:-}" ]; then
	for before in $befores; do
		work="$FD_BUILDDIR/bench-tui"
		old="$work/src-$before"
		if [ ! -x "$work/build-$before/flightdeck" ]; then
			echo "bench/tui.sh: building $before once (cached in $work)" >&2
			mkdir -p "$old.tmp" && rm -rf "$old" && git -C "$FD_SRCDIR" archive "$before" | tar -x -C "$old.tmp" &&
				mv "$old.tmp" "$old" && (cd "$old" && autoreconf -fi >/dev/null 2>&1) &&
				mkdir -p "$work/build-$before" &&
				(cd "$work/build-$before" && "$old/configure" -q >/dev/null && make -s -j2 flightdeck >/dev/null 2>&1) ||
				echo "bench/tui.sh: could not build $before" >&2
		fi
		[ -x "$work/build-$before/flightdeck" ] && olds+=("$before=$work/build-$before/flightdeck")
	done
fi
exec /usr/bin/python3 - "$FD_BIN" "${FD_BENCH_SECONDS:-60}" "${FD_BENCH_ROUNDS:-3}" "${olds[@]}" <<'PY'
import fcntl, os, pty, select, signal, struct, sys, termios, time

fd_bin, rest_s, rounds = sys.argv[1], float(sys.argv[2]), int(sys.argv[3])
trees = [("now", fd_bin)] + [tuple(a.split("=", 1)) for a in sys.argv[4:]]

def spawn(binary, args, env):
    pid, fd = pty.fork()
    if pid == 0:
        os.execve(binary, [binary] + args, env)
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
    os.kill(pid, signal.SIGWINCH)
    return pid, fd

def read_until(fd, pred, timeout):
    buf, end = b"", time.monotonic() + timeout
    while time.monotonic() < end:
        r, _, _ = select.select([fd], [], [], max(0, end - time.monotonic()))
        if not r:
            continue
        try:
            chunk = os.read(fd, 65536)
        except OSError:
            break
        if not chunk:
            break
        buf += chunk
        if pred(buf):
            return buf, True
    return buf, False

def drain(fds, seconds):
    """Read every fd for `seconds`; per fd the sizes of its bursts (writes 50 ms apart)."""
    bursts = {fd: [] for fd in fds}
    last = {fd: 0.0 for fd in fds}
    live, end = list(fds), time.monotonic() + seconds
    while live:
        left = end - time.monotonic()
        if left <= 0:
            break
        r, _, _ = select.select(live, [], [], left)
        now = time.monotonic()
        for fd in r:
            try:
                chunk = os.read(fd, 65536)
            except OSError:
                chunk = b""
            if not chunk:
                live.remove(fd)
                continue
            if bursts[fd] and now - last[fd] < 0.05:
                bursts[fd][-1] += len(chunk)
            else:
                bursts[fd].append(len(chunk))
            last[fd] = now
    return bursts

def status(pid, key):
    """A number of /proc/PID/status: voluntary_ctxt_switches (how often the process
    went to sleep, so woke up), VmHWM (peak RSS, kB), RssFile (resident pages of
    mapped files: the shared libraries, which no code change here shrinks, kB)."""
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith(key + ":"):
                return int(line.split()[1])
    return 0

def cpu_ns(pid):
    """Nanoseconds the process's threads ran (each thread's schedstat)."""
    total = 0
    for tid in os.listdir(f"/proc/{pid}/task"):
        try:
            with open(f"/proc/{pid}/task/{tid}/schedstat") as f:
                total += int(f.read().split()[0])
        except OSError:
            pass
    return total

def stop(pid, fd):
    try:
        os.write(fd, b"q")
        for _ in range(50):
            if os.waitpid(pid, os.WNOHANG)[0]:
                break
            time.sleep(0.1)
        else:
            os.kill(pid, signal.SIGTERM)
            os.waitpid(pid, 0)
    except (OSError, ChildProcessError):
        pass
    os.close(fd)

base_env = {"PATH": "/usr/bin:/bin", "HOME": os.environ.get("TMPDIR", "/tmp"), "TERM": "xterm-256color",
            "LANG": "C.UTF-8"}

def source(binary, scenario=None):
    """Binary, arguments and environment of the data source: --demo when it starts, else the fake."""
    env = dict(base_env)
    if scenario:
        env["FLIGHTDECK_DEMO_SCENARIO"] = scenario
    pid, fd = spawn(binary, ["--demo", "--refresh", "5"], env)
    out, ok = read_until(fd, lambda b: b"? help" in b, 10)
    stop(pid, fd)
    if ok:
        return binary, ["--demo", "--refresh", "5"], env, "demo" + (f" {scenario}" if scenario else "")
    # the fake model lives only in the test binary (FD_FAKE_BIN): no fallback without it
    fake_bin = os.environ.get("FD_FAKE_BIN", "")
    if binary != fd_bin or not fake_bin or not os.access(fake_bin, os.X_OK):
        return None
    return fake_bin, ["--refresh", "5"], dict(base_env, FLIGHTDECK_FAKE_MODEL="1"), "fake model"

srcs = {name: source(b) for name, b in trees}
if not srcs["now"]:
    sys.exit("bench/tui.sh: --demo did not start and there is no FD_FAKE_BIN")
label = srcs["now"][3]
trees = [(n, b) for n, b in trees if srcs[n] and srcs[n][3] == label]
scale = {n: source(b, "scale") for n, b in trees}
figs = {n: {} for n, _ in trees}

def add(name, key, value):
    figs[name].setdefault(key, []).append(value)

for rnd in range(rounds):
    # time to the first frame (the status line is drawn last), one after the other
    for _ in range(2):
        for name, _ in trees:
            binary, args, env, _ = srcs[name]
            t0 = time.monotonic()
            pid, fd = spawn(binary, args, env)
            _, ok = read_until(fd, lambda b: b"? help" in b, 10)
            if ok:
                add(name, "first", (time.monotonic() - t0) * 1000)
            stop(pid, fd)
    # at rest, all trees at once: CPU, wake-ups and bytes per refresh, then a full repaint
    procs = {}
    for name, _ in trees:
        binary, args, env, _ = srcs[name]
        procs[name] = spawn(binary, args, env)
    for name, (pid, fd) in procs.items():
        read_until(fd, lambda b: b"? help" in b, 10)
    drain([fd for _, fd in procs.values()], 6)   # let the first collection settle
    start = {name: (cpu_ns(pid), status(pid, "voluntary_ctxt_switches")) for name, (pid, fd) in procs.items()}
    w0 = time.monotonic()
    bursts = drain([fd for _, fd in procs.values()], rest_s)
    elapsed = time.monotonic() - w0
    for name, (pid, fd) in procs.items():
        add(name, "cpu", (cpu_ns(pid) - start[name][0]) / 1e9 / elapsed * 100)
        add(name, "wakeups", (status(pid, "voluntary_ctxt_switches") - start[name][1]) / elapsed)
        b = bursts[fd]
        add(name, "per", sum(b) / len(b) if b else 0)
        os.write(fd, b"\x0c")
    full = drain([fd for _, fd in procs.values()], 1.0)
    for name, (pid, fd) in procs.items():
        add(name, "full", sum(full[fd]))
        add(name, "rss", status(pid, "VmHWM") / 1024)
        stop(pid, fd)
    # peak RSS with the simulator's scale scenario, all trees at once
    procs = {}
    for name, _ in trees:
        if scale[name] and scale[name][3].startswith("demo"):
            binary, args, env, _ = scale[name]
            procs[name] = spawn(binary, args, env)
    for name, (pid, fd) in procs.items():
        read_until(fd, lambda b: b"? help" in b, 10)
    drain([fd for _, fd in procs.values()], 15)
    for name, (pid, fd) in procs.items():
        add(name, "scale_rss", status(pid, "VmHWM") / 1024)
        add(name, "scale_files", status(pid, "RssFile") / 1024)
        stop(pid, fd)

def med(name, key):
    v = sorted(figs[name].get(key, []))
    if not v:
        return None
    return v[len(v) // 2] if len(v) % 2 else (v[len(v) // 2 - 1] + v[len(v) // 2]) / 2

def vs(key, fmt):
    """Each older tree's median and the ratio now/then."""
    out, now = "", med("now", key)
    for name, _ in trees[1:]:
        then = med(name, key)
        if then is None:
            continue
        ratio = f", now x{now / then:.2f}" if now is not None and then else ""
        out += f"; before {name}: {fmt % then}{ratio}"
    return out

n = f"median of {rounds}"
if med("now", "first") is not None:
    print(f"tui: time to first frame, 80x24 ({label})\t{med('now', 'first'):.1f}\tms (target < 50; {n}x2)"
          f"{vs('first', '%.1f ms')}")
print(f"tui: CPU at rest, 80x24, 5 s refresh, {rest_s:.0f} s ({label})\t{med('now', 'cpu'):.3f}\t% of a core "
      f"(target < 0.2; {n}){vs('cpu', '%.3f %%')}")
print(f"tui: wake-ups at rest ({label})\t{med('now', 'wakeups'):.2f}\tper second (5 s refresh; {n})"
      f"{vs('wakeups', '%.2f/s')}")
per, full = med("now", "per"), med("now", "full")
print(f"tui: bytes per refresh in steady state ({label})\t{per:.0f}\tbytes; full repaint {full:.0f} bytes = "
      f"{per / full * 100 if full else 0:.1f}% (target < 25%; {n}){vs('per', '%.0f bytes')}")
print(f"tui: peak RSS ({label})\t{med('now', 'rss'):.1f}\tMB ({n}){vs('rss', '%.1f MB')}")
if med("now", "scale_rss") is not None:
    print(f"tui: peak RSS with the scale scenario\t{med('now', 'scale_rss'):.1f}\tMB (target < 20; "
          f"{med('now', 'scale_files'):.1f} MB of it mapped library pages; {n}){vs('scale_rss', '%.1f MB')}")
PY
