"""A mail server on loopback for the fan-out benchmark (`python -m tests.bench.smtp_sink PORT`):
takes every message, keeps only its Message-ID, and on SIGTERM prints, as JSON, how many
messages came and how many distinct Message-IDs they had (equal when nothing came twice)."""

import json
import re
import signal
import sys
import threading

from aiosmtpd.controller import Controller

MESSAGE_ID = re.compile(rb"^Message-ID:\s*(\S+)", re.IGNORECASE | re.MULTILINE)


class Counter:
    def __init__(self):
        self.messages = 0
        self.ids = set()

    async def handle_DATA(self, server, session, envelope):
        self.messages += 1
        found = MESSAGE_ID.search(envelope.original_content or envelope.content)
        if found:
            self.ids.add(found.group(1))
        return "250 OK"


def main():
    port = int(sys.argv[1])
    counter = Counter()
    controller = Controller(counter, hostname="127.0.0.1", port=port)
    controller.start()
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    print("ready", flush=True)
    stop.wait()
    controller.stop()
    print(json.dumps({"messages": counter.messages, "distinct": len(counter.ids)}), flush=True)


if __name__ == "__main__":
    main()
