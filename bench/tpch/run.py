"""Runs the TPC-H statements of a directory (from queries.py) once each, one psql session per
statement, under a statement_timeout, and writes what happened.

    run.py PSQL URL QUERYDIR TIMEOUT_SECONDS OUT.tsv

OUT.tsv: template, parameter set, status (ok, timeout, error, not run), seconds (wall time of the
session, so it includes connecting). When a template's first parameter set hits the timeout its
other sets are not run: they would only wait for the timeout again.
"""
import glob
import os
import subprocess
import sys
import time


def run(psql, url, path, timeout):
    env = dict(os.environ, PGOPTIONS=f"-c statement_timeout={timeout}s")
    started = time.monotonic()
    done = subprocess.run([psql, "-X", "-q", "-v", "ON_ERROR_STOP=1", "-o", "/dev/null", "-d", url, "-f", path],
                          env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    seconds = time.monotonic() - started
    if done.returncode == 0:
        return "ok", seconds, ""
    if "statement timeout" in done.stderr:
        return "timeout", seconds, ""
    return "error", seconds, done.stderr.strip().splitlines()[0] if done.stderr.strip() else "psql failed"


def main():
    psql, url, qdir, timeout, out = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), sys.argv[5]
    timed_out = set()
    with open(out, "w") as tsv:
        for path in sorted(glob.glob(os.path.join(qdir, "q*.sql"))):
            template, pset = os.path.basename(path)[:-4].split("-")
            if template in timed_out:
                tsv.write(f"{template}\t{pset}\tnot run\t0\t\n")
                continue
            status, seconds, message = run(psql, url, path, timeout)
            if status == "timeout" and pset == "1":
                timed_out.add(template)
            tsv.write(f"{template}\t{pset}\t{status}\t{seconds:.3f}\t{message}\n")
            tsv.flush()


if __name__ == "__main__":
    main()
