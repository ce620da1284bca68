"""What the test servers of `smtp.py` and `s3.py` share: a free port on
127.0.0.1, and running until the test that started them stops them."""

import socket
import time


def free_port():
    """A port on 127.0.0.1 that nothing listens on."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def run_until_stopped(stop):
    """Sleeps until interrupted (the test kills the script), then calls `stop`."""
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        pass
    finally:
        stop()
