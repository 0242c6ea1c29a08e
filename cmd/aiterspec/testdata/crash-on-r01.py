"""A harness that is PyPy, except that it crashes (exit status 3) when it
is asked to run behaviour R01, where PyPy is known to hang. It relays the
protocol to the real harness, adapters/python/harness.py, under pypy3.

    aiterspec check --adapter='exec:python3 cmd/aiterspec/testdata/crash-on-r01.py'
"""
import os
import subprocess
import sys

root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..")
harness = subprocess.Popen(
    ["pypy3", "-u", "-I", "-S", os.path.join(root, "adapters", "python", "harness.py")],
    stdin=subprocess.PIPE, stdout=subprocess.PIPE)


def relay_answer():
    line = harness.stdout.readline()
    sys.stdout.buffer.write(line)
    sys.stdout.buffer.flush()


relay_answer()  # the hello
for line in sys.stdin.buffer:
    if b'"type":"run"' in line.replace(b" ", b"") and b'"id":"R01"' in line.replace(b" ", b""):
        harness.kill()
        sys.exit(3)
    harness.stdin.write(line)
    harness.stdin.flush()
    if b'"shutdown"' in line:
        break
    relay_answer()
harness.stdin.close()
harness.wait()
