#!/usr/bin/env python3
"""Run one command and print "WALL_S CPU_S MAXRSS_KB EXIT" for it.

Wall time from a monotonic clock (microsecond resolution: GNU time's %e
has only 10 ms, a 4-7% step at these run times) and CPU time (user +
system) from the child's rusage (os.wait4), so neither includes this
script's start-up. Peak RSS comes from GNU time (-f %M), which the command
runs under: the rusage of a forked child would include this interpreter's
pages from before the exec. stdout goes to /dev/null, stderr to ERRFILE.
usage: timeit.py ERRFILE CMD [ARG...]"""
import os, sys, tempfile, time

err, cmd = sys.argv[1], sys.argv[2:]
fd, rssfile = tempfile.mkstemp(prefix="timeit")
os.close(fd)
with open(os.devnull, "wb") as out, open(err, "wb") as er:
    t0 = time.perf_counter()
    pid = os.fork()
    if pid == 0:
        os.dup2(out.fileno(), 1)
        os.dup2(er.fileno(), 2)
        try:
            os.execvp("/usr/bin/time", ["/usr/bin/time", "-f", "%M", "-o", rssfile] + cmd)
        finally:
            os._exit(127)
    _, status, ru = os.wait4(pid, 0)
    wall = time.perf_counter() - t0
with open(rssfile) as f:
    lines = [l for l in f.read().split() if l.isdigit()]
os.unlink(rssfile)
rss = lines[-1] if lines else "0"
print(f"{wall:.4f} {ru.ru_utime + ru.ru_stime:.4f} {rss} {os.waitstatus_to_exitcode(status)}")
