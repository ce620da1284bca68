#!/usr/bin/env python3
"""A real SMTP server on 127.0.0.1 (aiosmtpd) for `gazette send --proof`;
tests/clients/publish/send.rs runs it.

    python3 tests/clients/smtp.py --out FILE [--auth USER:PASSWORD] [--reject ADDRESS]

Prints `ready PORT` once it listens, then serves until killed. Each message
it accepts is appended to FILE as one JSON line, read by Python's own email
parser: envelope sender and recipients, From, To, Subject,
List-Unsubscribe, Message-ID, and each part's content type and decoded text. With
--auth it offers AUTH (over plain text: this is a test server) and refuses
mail from a client that did not log in with USER and PASSWORD; --reject
refuses RCPT TO that address with 550, a reply that does not name it (as
aiosmtpd's own does not).
"""

import argparse
import email
import email.policy
import json
import sys

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

from local_server import free_port, run_until_stopped


class Handler:
    def __init__(self, out, reject):
        self.out = out
        self.reject = reject

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if self.reject and address.lower() == self.reject.lower():
            return "550 5.1.1 Recipient address rejected: User unknown"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        parts = []
        for part in message.walk():
            if part.is_multipart():
                continue
            parts.append({
                "content_type": part.get_content_type(),
                "charset": part.get_content_charset(),
                "text": part.get_content(),
            })
        record = {
            "mail_from": envelope.mail_from,
            "rcpt_tos": envelope.rcpt_tos,
            "from": str(message["From"]),
            "to": str(message["To"]),
            "subject": str(message["Subject"]),
            "list_unsubscribe": message["List-Unsubscribe"] and str(message["List-Unsubscribe"]),
            "message_id": message["Message-ID"] and str(message["Message-ID"]),
            "content_type": message.get_content_type(),
            "parts": parts,
            "authenticated": bool(session.authenticated),
        }
        with open(self.out, "a", encoding="utf-8") as f:
            f.write(json.dumps(record) + "\n")
        return "250 Message accepted"



def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", required=True)
    parser.add_argument("--auth")
    parser.add_argument("--reject")
    args = parser.parse_args()

    kwargs = {}
    if args.auth:
        user, password = args.auth.split(":", 1)

        def authenticator(server, session, envelope, mechanism, auth_data):
            ok = (
                isinstance(auth_data, LoginPassword)
                and auth_data.login.decode() == user
                and auth_data.password.decode() == password
            )
            # handled=False: aiosmtpd itself answers a failure with 535.
            return AuthResult(success=ok, handled=False)

        kwargs = dict(authenticator=authenticator, auth_required=True, auth_require_tls=False)

    port = free_port()
    controller = Controller(Handler(args.out, args.reject), hostname="127.0.0.1", port=port, **kwargs)
    controller.start()
    print("ready %d" % port, flush=True)
    run_until_stopped(controller.stop)


if __name__ == "__main__":
    sys.exit(main())
