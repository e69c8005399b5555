#!/usr/bin/env bash
# bench/tui.sh — the dashboard's costs, measured on a pseudo-terminal at 80x24:
# time to the first frame, CPU at rest over 60 s with a 5 s refresh, bytes written
# per refresh in steady state against a full repaint (Ctrl-L), and peak RSS.
# Data source: --demo (the simulator; the scale scenario for RSS) when it works,
# else the test-only fake model. FD_BENCH_SECONDS shortens the rest period.
set -u
: "${FD_BIN:?}"
exec /usr/bin/python3 - "$FD_BIN" "${FD_BENCH_SECONDS:-60}" <<'PY'
import fcntl, os, pty, select, signal, struct, sys, termios, time

fd_bin, rest_s = sys.argv[1], float(sys.argv[2])
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

def cpu_ticks(pid):
    with open(f"/proc/{pid}/stat") as f:
        parts = f.read().rsplit(")", 1)[1].split()
    return int(parts[11]) + int(parts[12])

def vm_hwm_kb(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    return 0

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
    env = dict(base_env, FLIGHTDECK_FAKE_MODEL="1")
    return ["--refresh", "5"], env, "fake model"

args, env, label = source()

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
    print(f"tui: time to first frame, 80x24 ({label})\t{firsts[len(firsts)//2]:.1f}\tms (target < 50)")

# at rest: CPU and bytes per refresh over rest_s, then a full repaint for comparison
pid, fd = spawn(args, env)
first, _ = read_until(fd, lambda b: b"? help" in b, 10)
drain(fd, 6)   # let the first collection settle
t0 = cpu_ticks(pid)
w0 = time.monotonic()
bursts = drain(fd, rest_s)
cpu = (cpu_ticks(pid) - t0) / HZ / (time.monotonic() - w0) * 100
os.write(fd, b"\x0c")
full = sum(drain(fd, 1.0))
hwm = vm_hwm_kb(pid)
stop(pid, fd)
refreshes = len(bursts)
per = sum(bursts) / refreshes if refreshes else 0
print(f"tui: CPU at rest, 80x24, 5 s refresh, {rest_s:.0f} s ({label})\t{cpu:.3f}\t% of a core (target < 0.5)")
print(f"tui: bytes per refresh in steady state ({label})\t{per:.0f}\tbytes; {refreshes} refreshes; "
      f"full repaint {full} bytes = {per / full * 100 if full else 0:.1f}% (target < 25%)")
print(f"tui: peak RSS ({label})\t{hwm / 1024:.1f}\tMB")

# peak RSS with the simulator's scale scenario
sargs, senv, slabel = source("scale")
if slabel.startswith("demo"):
    pid, fd = spawn(sargs, senv)
    read_until(fd, lambda b: b"? help" in b, 10)
    drain(fd, 12)
    hwm = vm_hwm_kb(pid)
    stop(pid, fd)
    print(f"tui: peak RSS with the scale scenario\t{hwm / 1024:.1f}\tMB (target < 20)")
PY
