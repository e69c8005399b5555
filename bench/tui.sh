#!/usr/bin/env bash
# bench/tui.sh — the dashboard's costs, measured on a pseudo-terminal at 80x24:
# time to the first frame, CPU and wake-ups at rest over 60 s with a 5 s refresh,
# bytes written per refresh in steady state against a full repaint (Ctrl-L), and
# peak RSS (also with the simulator's scale scenario). Each figure is measured for
# this tree and for the tree before issue 16's redesign (FD_TUI_BEFORE, built once
# from git archive and cached in the build directory), one after the other.
# Data source: --demo (the simulator) when it works, else the test binary's fake model
# (FD_FAKE_BIN, tests/tui/flightdeck-fake).
# FD_BENCH_SECONDS shortens the rest period; FD_TUI_BEFORE=none skips the old tree.
set -u
: "${FD_BIN:?}"
before=${FD_TUI_BEFORE:-334ca23}
old_bin=
if [ "$before" != none ] && [ -n "${FD_BUILDDIR:-}" ] && [ -n "${FD_SRCDIR:-}" ]; then
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
	[ -x "$work/build-$before/flightdeck" ] && old_bin="$work/build-$before/flightdeck"
fi
exec /usr/bin/python3 - "$FD_BIN" "${FD_BENCH_SECONDS:-60}" "$old_bin" "$before" <<'PY'
import fcntl, os, pty, select, signal, struct, sys, termios, time

fd_bin, rest_s, old_bin, before = sys.argv[1], float(sys.argv[2]), sys.argv[3], sys.argv[4]
HZ = os.sysconf("SC_CLK_TCK")

def spawn(args, env):
    pid, fd = pty.fork()
    if pid == 0:
        os.execve(fd_bin, [fd_bin] + args, env)
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

def drain(fd, seconds):
    """Read for `seconds`; return the sizes of the bursts (writes 50 ms apart)."""
    bursts, last, end = [], 0.0, time.monotonic() + seconds
    while True:
        left = end - time.monotonic()
        if left <= 0:
            break
        r, _, _ = select.select([fd], [], [], left)
        if not r:
            continue
        try:
            chunk = os.read(fd, 65536)
        except OSError:
            break
        now = time.monotonic()
        if bursts and now - last < 0.05:
            bursts[-1] += len(chunk)
        else:
            bursts.append(len(chunk))
        last = now
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

def cpu_ticks(pid):
    with open(f"/proc/{pid}/stat") as f:
        parts = f.read().rsplit(")", 1)[1].split()
    return int(parts[11]) + int(parts[12])

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

def source(scenario=None):
    """Arguments and environment of the data source: --demo when it starts, else the fake."""
    env = dict(base_env)
    if scenario:
        env["FLIGHTDECK_DEMO_SCENARIO"] = scenario
    pid, fd = spawn(["--demo", "--refresh", "5"], env)
    out, ok = read_until(fd, lambda b: b"? help" in b, 5)
    stop(pid, fd)
    if ok:
        return ["--demo", "--refresh", "5"], env, "demo" + (f" {scenario}" if scenario else "")
    # the fake model lives only in the test binary (FD_FAKE_BIN): no fallback without it
    fake_bin = os.environ.get("FD_FAKE_BIN", "")
    if not fake_bin or not os.access(fake_bin, os.X_OK):
        sys.exit("bench/tui.sh: --demo did not start and there is no FD_FAKE_BIN")
    globals()["fd_bin"] = fake_bin
    env = dict(base_env, FLIGHTDECK_FAKE_MODEL="1")
    return ["--refresh", "5"], env, "fake model"

def measure():
    """The figures of the binary fd_bin: a dict."""
    fig = {}
    args, env, label = source()
    fig["label"] = label
    # time to the first frame (the status line is drawn last), median of 5
    firsts = []
    for _ in range(5):
        t0 = time.monotonic()
        pid, fd = spawn(args, env)
        _, ok = read_until(fd, lambda b: b"? help" in b, 10)
        if ok:
            firsts.append((time.monotonic() - t0) * 1000)
        stop(pid, fd)
    firsts.sort()
    if firsts:
        fig["first"] = firsts[len(firsts) // 2]
    # at rest: CPU, wake-ups and bytes per refresh over rest_s, then a full repaint
    pid, fd = spawn(args, env)
    read_until(fd, lambda b: b"? help" in b, 10)
    drain(fd, 6)   # let the first collection settle
    t0, c0, w0 = cpu_ticks(pid), status(pid, "voluntary_ctxt_switches"), time.monotonic()
    bursts = drain(fd, rest_s)
    elapsed = time.monotonic() - w0
    fig["cpu"] = (cpu_ticks(pid) - t0) / HZ / elapsed * 100
    fig["wakeups"] = (status(pid, "voluntary_ctxt_switches") - c0) / elapsed
    os.write(fd, b"\x0c")
    fig["full"] = sum(drain(fd, 1.0))
    fig["rss"] = status(pid, "VmHWM") / 1024
    stop(pid, fd)
    fig["refreshes"] = len(bursts)
    fig["per"] = sum(bursts) / len(bursts) if bursts else 0
    # peak RSS with the simulator's scale scenario
    sargs, senv, slabel = source("scale")
    if slabel.startswith("demo"):
        pid, fd = spawn(sargs, senv)
        read_until(fd, lambda b: b"? help" in b, 10)
        drain(fd, 12)
        fig["scale_rss"] = status(pid, "VmHWM") / 1024
        fig["scale_files"] = status(pid, "RssFile") / 1024
        stop(pid, fd)
    return fig

after = measure()
old = {}
if old_bin:
    fd_bin = old_bin
    old = measure()

def vs(key, fmt):
    """ "before X" when the old tree measured it."""
    return f"; before issue 16 ({before}): {fmt % old[key]}" if key in old else ""

label = after["label"]
if "first" in after:
    print(f"tui: time to first frame, 80x24 ({label})\t{after['first']:.1f}\tms (target < 50){vs('first', '%.1f ms')}")
print(f"tui: CPU at rest, 80x24, 5 s refresh, {rest_s:.0f} s ({label})\t{after['cpu']:.3f}\t% of a core "
      f"(target < 0.2){vs('cpu', '%.3f %%')}")
print(f"tui: wake-ups at rest ({label})\t{after['wakeups']:.2f}\tper second (5 s refresh){vs('wakeups', '%.2f/s')}")
print(f"tui: bytes per refresh in steady state ({label})\t{after['per']:.0f}\tbytes; {after['refreshes']} refreshes; "
      f"full repaint {after['full']} bytes = {after['per'] / after['full'] * 100 if after['full'] else 0:.1f}% (target < 25%)"
      f"{vs('per', '%.0f bytes')}")
print(f"tui: peak RSS ({label})\t{after['rss']:.1f}\tMB{vs('rss', '%.1f MB')}")
if "scale_rss" in after:
    print(f"tui: peak RSS with the scale scenario\t{after['scale_rss']:.1f}\tMB (target < 20; "
          f"{after['scale_files']:.1f} MB of it mapped library pages){vs('scale_rss', '%.1f MB')}")
PY
