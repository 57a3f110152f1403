"""docgen in the browser: staff fill the forms on a phone, the DSL or headteacher authorises
with their login, the office watches the day's visits on a live check-in board.

``docgen serve`` runs it (``docgen.web.server.serve``); ``create_app`` builds the ASGI app for
any ASGI server. Accounts, drafts and submissions live in the records database
(``docgen.web.store``), beside the register.
"""

from __future__ import annotations

from docgen.web.app import WebSettings, add_user, create_app
from docgen.web.store import RecordStore

__all__ = ["RecordStore", "WebSettings", "add_user", "create_app"]
