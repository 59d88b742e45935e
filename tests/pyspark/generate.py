"""Regenerates the expected output of every script here with real PySpark 3.5.

Each script runs as `python3 SCRIPT` in a fresh working directory holding a copy of the
repository's `data/activity` (so relative paths like `data/activity` and `output/...` mean the
same for PySpark and for `streamlab run`), its i-th file (by name) modified at
1700000000 + i seconds: Spark orders a file stream by modification time and breaks ties by
listing order, which the file system does not fix, so equal times would make batches differ
from run to run. The test harness (`crates/cli/tests/pyspark_scripts.rs`) lays out the same
directory. What a script printed on stdout goes to `NAME.stdout` (unbuffered, so the console
sink's output and Python's prints interleave as they happen); when it failed, the exception
that ended its traceback goes to `NAME.error`.

Run from anywhere: `source scripts/env.sh && $STREAMLAB_PYTHON tests/pyspark/generate.py [NAME...]`.
"""
import os
import re
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.join(os.path.dirname(os.path.dirname(HERE)), "data", "activity")
BASE_MTIME = 1700000000


EXCEPTION = re.compile(r"^[A-Za-z_][\w.]*(Exception|Error): ")


def exception_line(stderr: str) -> str:
    """The exception that ended the traceback (its first line: Spark appends the plan after it),
    without PySpark's module path before the exception name."""
    lines = [l for l in stderr.splitlines() if EXCEPTION.match(l)]
    last = lines[-1] if lines else ""
    name, _, message = last.partition(": ")
    return name.rsplit(".", 1)[-1] + ": " + message + "\n"


def generate(script: str) -> None:
    name = script[: -len(".py")]
    with tempfile.TemporaryDirectory() as work:
        activity = os.path.join(work, "data", "activity")
        os.makedirs(activity)
        for i, file_name in enumerate(sorted(os.listdir(DATA))):
            shutil.copyfile(os.path.join(DATA, file_name), os.path.join(activity, file_name))
            os.utime(os.path.join(activity, file_name), (BASE_MTIME + i, BASE_MTIME + i))
        env = dict(os.environ, TZ="UTC", PYTHONUNBUFFERED="1")
        done = subprocess.run(
            [sys.executable, os.path.join(HERE, script)],
            cwd=work, env=env, capture_output=True, text=True, timeout=600,
        )
    with open(os.path.join(HERE, name + ".stdout"), "w") as f:
        f.write(done.stdout)
    error_path = os.path.join(HERE, name + ".error")
    if done.returncode != 0:
        with open(error_path, "w") as f:
            f.write(exception_line(done.stderr))
    elif os.path.exists(error_path):
        os.remove(error_path)
    print(f"{script}: exit {done.returncode}, {len(done.stdout.splitlines())} lines")


if __name__ == "__main__":
    wanted = sys.argv[1:] or sorted(f for f in os.listdir(HERE) if f.endswith(".py") and f != "generate.py")
    for script in wanted:
        generate(script if script.endswith(".py") else script + ".py")
