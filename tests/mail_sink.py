"""An SMTP server for the tests, on aiosmtpd: every message it receives is written to DIR as JSON
(envelope, decoded headers and text body), one file per message, so a test reads what was delivered.

    python3 -m aiosmtpd -n -l 127.0.0.1:PORT -c mail_sink.JsonDrop DIR    (with tests/ on PYTHONPATH)
"""

import email
import email.policy
import json
import os
import tempfile


class JsonDrop:
    def __init__(self, directory):
        self.directory = directory
        os.makedirs(directory, exist_ok=True)

    @classmethod
    def from_cli(cls, parser, *args):
        if len(args) != 1:
            parser.error("JsonDrop takes one argument: the directory to write messages to")
        return cls(args[0])

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        body = message.get_body(preferencelist=("plain",))
        record = {
            "mail_from": envelope.mail_from,
            "rcpt_tos": envelope.rcpt_tos,
            "headers": [[name, str(value)] for name, value in message.items()],
            "subject": str(message.get("Subject", "")),
            "body": body.get_content() if body is not None else "",
        }
        # Written whole, then renamed: a reader never sees half a message.
        handle, path = tempfile.mkstemp(dir=self.directory, suffix=".tmp")
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            json.dump(record, out, ensure_ascii=False)
        os.rename(path, path[: -len(".tmp")] + ".json")
        return "250 Message accepted for delivery"
