#!/usr/bin/env python3
"""Time whole commands: wall seconds (median, min, max), CPU seconds and peak RSS.

usage: timeit.py RUNS "CMD 1" ["CMD 2" ...]

One warm-up run per command, then RUNS counted runs, commands interleaved so
that drift of a shared machine hits them alike. Output goes to /dev/null.
"""
import resource
import shlex
import statistics
import subprocess
import sys
import time


def run(cmd):
    """Wall seconds and CPU (user + sys) seconds of one run."""
    r0 = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.perf_counter()
    subprocess.run(shlex.split(cmd), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
    wall = time.perf_counter() - t
    r1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (r1.ru_utime - r0.ru_utime) + (r1.ru_stime - r0.ru_stime)


def main():
    runs = int(sys.argv[1])
    cmds = sys.argv[2:]
    for c in cmds:
        run(c)
    times = {c: [] for c in cmds}
    for _ in range(runs):
        for c in cmds:
            times[c].append(run(c))
    rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    for c in cmds:
        w = [x[0] for x in times[c]]
        u = [x[1] for x in times[c]]
        print("%-60s wall median %.3f s (min %.3f, max %.3f); CPU median %.3f s; %d runs"
              % (c[-60:], statistics.median(w), min(w), max(w), statistics.median(u), runs))
    print("peak RSS of any child: %.1f MB" % (rss / 1024))


if __name__ == "__main__":
    main()
