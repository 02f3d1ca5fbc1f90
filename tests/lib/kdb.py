#!/usr/bin/env python3
"""Drive kdb on the guest's second serial port (QEMU -serial unix:SOCK).

usage: kdb.py SOCK TRANSCRIPT STEP...
  wait:REGEX:SECS   read until the guest's output matches REGEX
  send:TEXT         type TEXT and Enter
  sleep:SECS        stay stopped
Everything the guest wrote on the port goes to TRANSCRIPT, carriage
returns dropped as for the console log (the assertions read it: it is the
guest's kdb output, not the harness's). Exit 1 when a
wait times out or the socket never appears.
"""
import re
import socket
import sys
import time


def main():
    path, transcript, steps = sys.argv[1], sys.argv[2], sys.argv[3:]
    sock = socket.socket(socket.AF_UNIX)
    for _ in range(600):
        try:
            sock.connect(path)
            break
        except OSError:
            time.sleep(0.1)
    else:
        print("kdb.py: no socket %s" % path, file=sys.stderr)
        return 1
    sock.settimeout(0.2)
    seen = b""
    mark = 0  # waits match only output that came after the previous wait
    with open(transcript, "wb") as out:
        def pump(secs):
            nonlocal seen
            end = time.time() + secs
            while time.time() < end:
                try:
                    data = sock.recv(4096)
                except socket.timeout:
                    continue
                except OSError:  # QEMU went away
                    return
                if not data:
                    return
                seen += data
                out.write(data.replace(b"\r", b""))  # as qemu_run keeps LOG
                out.flush()
                yield

        for step in steps:
            kind, _, arg = step.partition(":")
            if kind == "wait":
                regex, _, secs = arg.rpartition(":")
                pat = re.compile(regex.encode())
                found = pat.search(seen, mark)
                if not found:
                    for _ in pump(float(secs)):
                        found = pat.search(seen, mark)
                        if found:
                            break
                if not found:
                    print("kdb.py: no /%s/ in %s s" % (regex, secs), file=sys.stderr)
                    return 1
                mark = found.end()
            elif kind == "send":
                sock.sendall(arg.encode() + b"\r")
            elif kind == "sleep":
                for _ in pump(float(arg)):
                    pass
            else:
                print("kdb.py: bad step %s" % step, file=sys.stderr)
                return 1
        # Keep recording what the guest says after the last step.
        for _ in pump(600):
            pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
