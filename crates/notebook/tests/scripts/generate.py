#!/usr/bin/env python3
"""Expected stdout of the notebook's differential scripts, produced by real PySpark 3.5.9.

Each `*.py` beside this file runs in a fresh Python + JVM with `$STREAMLAB_PYTHON script.py`,
its working directory a temp copy of the repo's `data/activity` laid out as in the repo (so
the scripts' relative paths, `data/activity`, resolve as from the repo root), the i-th file
(name order) with mtime 1700000000 + i seconds, so the file source takes them in name order
as StreamLab's test store does. Stdout only is kept, unbuffered so the console sink's JVM
output and Python's prints interleave as they happen, in `<script>.expected`.

    source scripts/env.sh && $STREAMLAB_PYTHON crates/notebook/tests/scripts/generate.py [name...]
"""
import os
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", "..", "..", ".."))
BASE_MTIME = 1700000000


def main(names):
    scripts = sorted(f for f in os.listdir(HERE) if f.endswith(".py") and f != "generate.py")
    if names:
        scripts = [s for s in scripts if s[:-3] in names]
    with tempfile.TemporaryDirectory() as tmp:
        src = os.path.join(ROOT, "data", "activity")
        dst = os.path.join(tmp, "data", "activity")
        os.makedirs(dst)
        for i, name in enumerate(sorted(os.listdir(src))):
            shutil.copyfile(os.path.join(src, name), os.path.join(dst, name))
            os.utime(os.path.join(dst, name), (BASE_MTIME + i, BASE_MTIME + i))
        env = dict(os.environ, TZ="UTC", PYTHONUNBUFFERED="1")
        for script in scripts:
            run = subprocess.run([sys.executable, os.path.join(HERE, script)], cwd=tmp, env=env,
                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE, check=False)
            if run.returncode != 0:
                sys.stderr.write(run.stderr.decode())
                raise SystemExit(f"{script} failed")
            with open(os.path.join(HERE, script[:-3] + ".expected"), "wb") as out:
                out.write(run.stdout)
            print(f"{script}: {len(run.stdout.splitlines())} lines")


if __name__ == "__main__":
    main(sys.argv[1:])
