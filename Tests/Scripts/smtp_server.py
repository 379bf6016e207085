"""A real SMTP server for the email receiver tests (aiosmtpd, Debian python3-aiosmtpd).

Prints `READY <port>` once listening, then one JSON line per event, flushed:
  {"event": "message", "mail_from", "rcpt_tos", "raw", "subject", "headers": [[name, value]],
   "parts": [{"type", "text"}], "auth_login"}
  {"event": "rejected", "stage", "code"}
Options: --port N; --fail-stage rcpt|data --fail-code 451|550 --fail-times K (-1: always);
--user U --password P (AUTH required, over plain text: auth_require_tls=False).
"""

import argparse
import asyncio
import email
import email.policy
import json
import sys
import time

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword


def emit(obj):
    sys.stdout.write(json.dumps(obj) + "\n")
    sys.stdout.flush()


class Handler:
    def __init__(self, args):
        self.args = args
        self.failures = 0

    def should_fail(self, stage):
        a = self.args
        if a.fail_stage != stage:
            return False
        if a.fail_times >= 0 and self.failures >= a.fail_times:
            return False
        self.failures += 1
        emit({"event": "rejected", "stage": stage, "code": a.fail_code})
        return True

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if self.should_fail("rcpt"):
            return f"{self.args.fail_code} try again later" if self.args.fail_code < 500 else f"{self.args.fail_code} no such user"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if self.should_fail("data"):
            return f"{self.args.fail_code} rejected"
        raw = envelope.original_content or envelope.content
        message = email.message_from_bytes(raw, policy=email.policy.default)
        parts = []
        for part in message.walk():
            if part.is_multipart():
                continue
            parts.append({"type": part.get_content_type(), "text": part.get_content()})
        login = session.auth_data if session.authenticated else None
        emit({
            "event": "message",
            "mail_from": envelope.mail_from,
            "rcpt_tos": envelope.rcpt_tos,
            "raw": raw.decode("utf-8", "replace"),
            "subject": str(message["Subject"]),
            "headers": [[k, str(v)] for k, v in message.items()],
            "parts": parts,
            "auth_login": login.decode() if isinstance(login, bytes) else login,
        })
        return "250 Message accepted for delivery"


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--fail-stage", default="")
    p.add_argument("--fail-code", type=int, default=451)
    p.add_argument("--fail-times", type=int, default=-1)
    p.add_argument("--user", default="")
    p.add_argument("--password", default="")
    args = p.parse_args()

    kwargs = {}
    if args.user:
        def authenticator(server, session, envelope, mechanism, auth_data):
            ok = (isinstance(auth_data, LoginPassword)
                  and auth_data.login.decode() == args.user
                  and auth_data.password.decode() == args.password)
            return AuthResult(success=ok, handled=False,
                              auth_data=auth_data.login if ok else None)
        kwargs = dict(authenticator=authenticator, auth_required=True, auth_require_tls=False)

    controller = Controller(Handler(args), hostname="127.0.0.1", port=args.port, **kwargs)
    controller.start()
    emit({"event": "ready", "port": args.port})
    try:
        while True:
            time.sleep(3600)
    finally:
        controller.stop()


if __name__ == "__main__":
    main()
