"""The web app: server-rendered pages over the records database, the register and docgen's own
checks and documents.

Every page checks the signed-in account's role on the server; a staff member reaches only
their own forms; the DSL and the headteacher read every submitted form; the office sees the
day's check-in board. Record URLs carry a random id, never a pupil's name; every view and
download of a pupil's record is written to the register's access log.
"""

from __future__ import annotations

import asyncio
import dataclasses
import datetime as dt
import logging
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import segno
from jinja2 import FileSystemLoader, StrictUndefined
from jinja2.sandbox import SandboxedEnvironment
from starlette.applications import Starlette
from starlette.datastructures import FormData
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from docgen.batch import School
from docgen.documents.checkins import checkin_document, schedule_for
from docgen.documents.context import Words, build_document
from docgen.documents.producers import form_stem
from docgen.pipeline import RendererSpec
from docgen.pipeline.workers import Renderer
from docgen.register import Register
from docgen.report import Issue
from docgen.schemas import FormModel, RiskAssessment, VisitReport
from docgen.schemas.types import display
from docgen.web import auth, forms, visits
from docgen.web.jobs import Job, JobRunner, jobs
from docgen.web.security import (
    CSRF_FIELD,
    CSRF_HEADER,
    Cookies,
    SecureHeaders,
    client_of,
    csrf_ok,
    csrf_token,
    new_pre_session,
)
from docgen.web.store import RecordStore, User

HERE = Path(__file__).resolve().parent
log = logging.getLogger("docgen.web")

IDLE = dt.timedelta(hours=2)
LONGEST = dt.timedelta(hours=12)
EDITABLE = ("draft", "returned")
MAX_BODY = 4 * 1024 * 1024  # a whole form with every long answer at its longest fits


@dataclass
class WebSettings:
    school: School
    store: RecordStore
    register_path: Path | None  # None: no access log (tests of pages only)
    output: Path  # where jobs write their files
    https: bool = False  # served over HTTPS (directly or behind the school's proxy)
    clock: Callable[[], dt.datetime] = dt.datetime.now  # local time, naive
    live_seconds: float = 15.0  # how often the live parts of pages refresh
    jobs: int = 1
    extra: dict[str, Any] = field(default_factory=dict)


class NotSignedIn(Exception):
    pass


class Forbidden(Exception):
    pass


class Web:
    """The app's state and its page handlers."""

    def __init__(self, settings: WebSettings) -> None:
        self.settings = settings
        self.school = settings.school
        self.policy = settings.school.policy
        self.store = settings.store
        self.cookies = Cookies(secure=settings.https)
        self.secret = self.store.secret("csrf")
        self.env = SandboxedEnvironment(
            loader=FileSystemLoader(str(HERE / "templates")), autoescape=True,
            undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True,
        )
        self.env.globals.update(ROLES=auth.ROLES, STATUS=visits.STATUS, display=display,
                                school=self.school.config.school, policy=self.policy,
                                words=Words(self.policy.wording))
        self.runner = JobRunner(self.school, settings.register_path, settings.output,
                                settings.jobs)
        self._renderers: dict[str, Renderer] = {}
        self._render_lock = threading.Lock()
        self._register_local = threading.local()

    # ------------------------------------------------------------------ plumbing

    def now(self) -> dt.datetime:
        return self.settings.clock()

    def today(self) -> dt.date:
        return self.now().date()

    def page(self, request: Request, template: str, status: int = 200,
             **context: Any) -> HTMLResponse:
        user = request.scope.get("docgen.user")
        html = self.env.get_template(template).render(
            user=user, csrf=self.csrf_for(request), live_seconds=self.settings.live_seconds,
            path=request.url.path, **context)
        response = HTMLResponse(html, status_code=status)
        self._set_pre(request, response)
        return response

    def csrf_for(self, request: Request) -> str:
        cookie = (request.cookies.get(self.cookies.session)
                  or request.scope.get("docgen.pre") or request.cookies.get(self.cookies.pre))
        if not cookie:
            cookie = new_pre_session()
            request.scope["docgen.pre"] = cookie
        return csrf_token(self.secret, cookie)

    def _set_pre(self, request: Request, response: Response) -> None:
        fresh = request.scope.get("docgen.pre")
        if fresh and fresh != request.cookies.get(self.cookies.pre):
            response.set_cookie(self.cookies.pre, fresh, **self.cookies.flags())

    async def form(self, request: Request) -> FormData:
        """The posted form, once its CSRF token is checked (a forged post is refused here,
        before anything is read or written)."""
        length = request.headers.get("content-length", "")
        if not length.isdigit():
            raise HTTPException(411, "The browser sent a form without its length; try again.")
        if int(length) > MAX_BODY:
            raise HTTPException(413, "That is more than a form can hold. Shorten the longest "
                                "answers and try again.")
        data = await request.form(max_files=0, max_fields=2000, max_part_size=MAX_BODY)
        cookie = (request.cookies.get(self.cookies.session)
                  or request.cookies.get(self.cookies.pre))
        given = request.headers.get(CSRF_HEADER) or data.get(CSRF_FIELD)
        if not csrf_ok(self.secret, cookie, given if isinstance(given, str) else None):
            raise HTTPException(403, "This form has expired or did not come from docgen. "
                                "Go back, reload the page and try again.")
        return data

    def user(self, request: Request, *, verified: bool = True) -> User:
        token = request.cookies.get(self.cookies.session)
        found = self.store.session(token) if token else None
        if token is None or found is None:
            raise NotSignedIn()
        user_id, created, seen, is_verified = found
        now = dt.datetime.now(dt.UTC)
        if (now - dt.datetime.fromisoformat(created) > LONGEST
                or now - dt.datetime.fromisoformat(seen) > IDLE):
            self.store.end_session(token)
            raise NotSignedIn()
        user = self.store.user(user_id)
        if user is None or not user.active:
            raise NotSignedIn()
        if verified and not is_verified:
            raise NotSignedIn()
        if now - dt.datetime.fromisoformat(seen) > dt.timedelta(minutes=1):
            self.store.touch_session(token)
        request.scope["docgen.user"] = user
        return user

    def require(self, request: Request, *roles: str) -> User:
        user = self.user(request)
        if roles and user.role not in roles:
            raise Forbidden()
        return user

    def register(self) -> Register | None:
        path = self.settings.register_path
        if path is None:
            return None
        reg: Register | None = getattr(self._register_local, "reg", None)
        if reg is None:
            reg = Register.open(path)
            self._register_local.reg = reg
        return reg

    def log_access(self, user: User, action: str, record: Any, form: FormModel | None) -> None:
        reg = self.register()
        if reg is None:
            return
        reg.log_access(
            user=user.username, role=user.role, action=action, record_id=record.id,
            kind=record.kind, visit_key=form.visit_key() if form else None,
            pupil=form.pupil_name if form else record.data.get("pupil_name"),
            visit_date=form.visit_date if form else None,
        )

    def name_of(self, user_id: int) -> str:
        found = self.store.user(user_id)
        return found.name if found else "(unknown)"

    def renderer(self, fmt: str) -> Renderer:
        if fmt not in self._renderers:
            spec = RendererSpec(self.school.config.template_dir())
            self._renderers[fmt] = spec.build("pdf" if fmt == "pdf" else "docx")
        return self._renderers[fmt]

    def render(self, document: Any, fmt: str) -> bytes:
        with self._render_lock:  # one layout at a time: WeasyPrint's fonts are shared
            return self.renderer(fmt).render(document)

    # ------------------------------------------------------------------ records

    def record_for(self, request: Request, user: User, *, action: str = "view") -> Any:
        """The record named in the URL, if this account may see it (else 404: whether a
        record exists is not told to those who may not see it)."""
        record = self.store.record(request.path_params["record_id"])
        if record is None or not self.may(user, record, action):
            raise HTTPException(404, "There is no such form, or it is not one of yours.")
        return record

    def may(self, user: User, record: Any, action: str) -> bool:
        own = record.owner == user.id
        if action == "edit":
            return own and record.status in EDITABLE
        if action == "decide":
            return (record.kind == RiskAssessment.form_name and record.status == "submitted"
                    and (visits.can_authorise(user, self.policy) or visits.can_permit(user)))
        if own:
            return True
        return user.role in auth.READERS and record.status != "draft"

    def checked(self, record: Any, extra: Mapping[str, str] | None = None) -> visits.Checked:
        return visits.check(self.store, record, self.policy, self.today(),
                            dict(extra) if extra else None)

    # ------------------------------------------------------------------ pages: signing in

    async def home(self, request: Request) -> Response:
        user = self.user(request)
        target = {"office": "/board", "dsl": "/review", "headteacher": "/review",
                  "admin": "/users"}.get(user.role, "/visits")
        return RedirectResponse(target, status_code=303)

    async def login(self, request: Request) -> Response:
        if request.method == "GET":
            return self.page(request, "login.html", problem="", username="")
        data = await self.form(request)
        username = str(data.get("username", ""))[:200]
        try:
            result = await asyncio.to_thread(auth.sign_in, self.store, username,
                                             str(data.get("password", ""))[:1000],
                                             client_of(request))
        except auth.AuthError as exc:
            return self.page(request, "login.html", status=400, problem=str(exc),
                             username=username)
        token = self.store.add_session(result.user.id, verified=result.verified)
        target = "/" if result.verified else "/login/code"
        response = RedirectResponse(target, status_code=303)
        response.set_cookie(self.cookies.session, token, **self.cookies.flags())
        old = request.cookies.get(self.cookies.session)
        if old:
            self.store.end_session(old)
        return response

    async def login_code(self, request: Request) -> Response:
        user = self.user(request, verified=False)
        token = request.cookies.get(self.cookies.session) or ""
        if request.method == "GET":
            return self.page(request, "code.html", problem="", account=user)
        data = await self.form(request)
        try:
            auth.second_factor(self.store, user, str(data.get("code", ""))[:20],
                               client_of(request))
        except auth.AuthError as exc:
            return self.page(request, "code.html", status=400, problem=str(exc), account=user)
        # a new session for the verified sign-in: the half-signed-in token is ended
        self.store.end_session(token)
        fresh = self.store.add_session(user.id, verified=True)
        response = RedirectResponse("/", status_code=303)
        response.set_cookie(self.cookies.session, fresh, **self.cookies.flags())
        return response

    async def logout(self, request: Request) -> Response:
        await self.form(request)
        token = request.cookies.get(self.cookies.session)
        if token:
            self.store.end_session(token)
        response = RedirectResponse("/login", status_code=303)
        response.delete_cookie(self.cookies.session, path="/", secure=self.cookies.secure,
                               httponly=True, samesite="strict")
        return response

    async def setup(self, request: Request) -> Response:
        token = request.path_params["token"]
        account = self.store.setup_user(token)
        if account is None:
            return self.page(request, "message.html", status=404, title="Link not valid",
                             message="This set-up link has been used or has expired. Ask the "
                             "administrator for a new one (docgen users link NAME).")
        needs_code = auth.needs_second_factor(account.role)
        secret = str(request.cookies.get("docgen-totp-draft") or "")
        if request.method == "GET" or not secret:
            secret = auth.new_totp_secret()
        problem = ""
        if request.method == "POST":
            data = await self.form(request)
            password = str(data.get("password", ""))[:1000]
            problem = auth.password_problem(password, account) or ""
            if not problem and password != str(data.get("password2", "")):
                problem = "The two passwords are not the same."
            if not problem and needs_code and auth.totp_step(
                    secret, str(data.get("code", ""))) is None:
                problem = ("That code is not right. Add the key to your authenticator app, "
                           "then type the six digits it shows.")
            if not problem:
                hashed = await asyncio.to_thread(auth.hash_password, password)
                self.store.update_user(account.id, password=hashed,
                                       totp_secret=secret if needs_code else None,
                                       failures=0, locked_until=None)
                self.store.use_setup_link(token)
                self.store.end_sessions_of(account.id)
                response = self.page(request, "message.html", title="All set",
                                     message="Your account is ready. Sign in with your "
                                     "username and new password.", link=("/login", "Sign in"))
                response.delete_cookie("docgen-totp-draft", path=request.url.path)
                return response
        qr = ""
        uri = ""
        if needs_code:
            uri = auth.totp_uri(account, secret, self.school.config.school.name)
            qr = segno.make(uri, error="m").svg_data_uri(scale=5, border=2)
        response = self.page(request, "setup.html", status=400 if problem else 200,
                             account=account, problem=problem, needs_code=needs_code,
                             secret=" ".join(secret[i:i + 4] for i in range(0, len(secret), 4)),
                             qr=qr, uri=uri)
        response.set_cookie("docgen-totp-draft", secret, httponly=True, samesite="strict",
                            secure=self.cookies.secure, path=request.url.path, max_age=3600)
        return response

    # ------------------------------------------------------------------ pages: staff

    async def my_visits(self, request: Request) -> Response:
        user = self.require(request, "staff", "dsl", "headteacher")
        mine = self.store.records(owner=user.id)
        assessments = [r for r in mine if r.kind == RiskAssessment.form_name]
        reports = {r.visit: r for r in mine if r.kind == VisitReport.form_name and r.visit}
        loose = [r for r in mine if r.kind == VisitReport.form_name and not r.visit]
        rows = [(r, reports.get(r.id)) for r in assessments]
        return self.page(request, "visits.html", rows=rows, loose=loose,
                         label=visits.record_label)

    async def new_form(self, request: Request) -> Response:
        user = self.require(request, "staff", "dsl", "headteacher")
        await self.form(request)
        kind = request.path_params["kind"]
        if kind not in visits.KINDS:
            raise HTTPException(404, "No such form.")
        start = {"academy": self.school.config.school.name} if kind == "risk-assessment" \
            else {}
        if kind == RiskAssessment.form_name:
            start["assessed_by"] = user.name
            start["staff.0.name"] = user.name
        record = self.store.add_record(kind, user.id, start)
        return RedirectResponse(f"/forms/{record.id}", status_code=303)

    async def new_report(self, request: Request) -> Response:
        user = self.require(request, "staff", "dsl", "headteacher")
        await self.form(request)
        ra = self.store.record(request.path_params["record_id"])
        if ra is None or ra.owner != user.id or ra.kind != RiskAssessment.form_name:
            raise HTTPException(404, "There is no such form, or it is not one of yours.")
        existing = self.store.records(visit=ra.id, kind=VisitReport.form_name)
        if existing:
            return RedirectResponse(f"/forms/{existing[0].id}", status_code=303)
        start = {k: v for k, v in ra.data.items()
                 if k in ("pupil_name", "date_of_birth", "upn", "pupil_class",
                          "visit_reference", "visit_date", "purpose")}
        start["risk_assessment_done"] = "yes"
        start["visit_time"] = ra.data.get("planned_start", "")
        for i in range(6):
            name = ra.data.get(f"staff.{i}.name")
            if name:
                start[f"staff_attending.{i}"] = name
        record = self.store.add_record(VisitReport.form_name, user.id,
                                       {k: v for k, v in start.items() if v}, visit=ra.id)
        return RedirectResponse(f"/forms/{record.id}", status_code=303)

    async def show_form(self, request: Request) -> Response:
        user = self.user(request)
        record = self.record_for(request, user)
        if not self.may(user, record, "edit"):
            return await self.read_form(request, user, record)
        return self.form_page(request, record, self.checked(record))

    def form_page(self, request: Request, record: Any, checked: visits.Checked,
                  status: int = 200, note: str = "", tried: bool = False) -> HTMLResponse:
        model = visits.KINDS[record.kind]
        tried = tried or record.status == "returned"
        sections, loose = self.form_sections(record, checked, tried)
        missing, errors, warnings = visits.summary_counts(checked.issues)
        words = Words(self.policy.wording)
        return self.page(request, "form.html", status=status, record=record, model=model,
                         sections=sections, loose=loose,
                         pending=[forms.worded(i, words) for i in checked.pending],
                         missing=missing, errors=errors, warnings=warnings, note=note,
                         tried=tried, authoriser=words(" or ".join(
                             r.label for r in self.policy.authorising_roles)))

    def form_sections(self, record: Any, checked: visits.Checked,
                      tried: bool) -> tuple[list[forms.PageSection], list[Issue]]:
        """The form's page as the school's policy asks it, with the checks beside the fields
        (and those that belong to no field)."""
        model = visits.KINDS[record.kind]
        sections = forms.page(model, record.data, policy=self.policy, form=checked.form)
        loose = forms.attach(sections, [forms.worded(i, Words(self.policy.wording))
                                        for i in _shown(checked.issues, tried)])
        return sections, loose

    async def post_form(self, request: Request) -> Response:
        user = self.user(request)
        data = await self.form(request)
        record = self.record_for(request, user, action="edit")
        model = visits.KINDS[record.kind]
        values = forms.answers(model, {k: v for k, v in data.items() if isinstance(v, str)})
        record = self.save(record, values)
        checked = self.checked(record)
        if data.get("action") != "submit":
            return self.form_page(request, record, checked, note="Saved.")
        if checked.blocking:
            return self.form_page(request, record, checked, status=400, tried=True,
                                  note="Not submitted yet: answer or put right what is marked "
                                  "below. Your answers are saved.")
        status = "submitted" if record.kind == RiskAssessment.form_name else "filed"
        self.store.save_record(record.id, record.data, visit_date=visits.visit_date_of(checked),
                               welfare=visits.welfare_of(checked), status=status)
        return RedirectResponse(f"/forms/{record.id}", status_code=303)

    def save(self, record: Any, values: dict[str, str]) -> Any:
        """Keep the answers as typed, whatever state they are in."""
        fresh = dataclasses.replace(record, data=values)
        checked = self.checked(fresh)
        self.store.save_record(record.id, values, visit_date=visits.visit_date_of(checked),
                               welfare=visits.welfare_of(checked))
        return self.store.record(record.id)

    async def autosave(self, request: Request) -> Response:
        """A draft saved as it is typed (the page's script posts it): the answers kept, and
        the checks sent back for each field."""
        user = self.user(request)
        data = await self.form(request)
        record = self.record_for(request, user, action="edit")
        model = visits.KINDS[record.kind]
        values = forms.answers(model, {k: v for k, v in data.items() if isinstance(v, str)})
        record = self.save(record, values)
        checked = self.checked(record)
        tried = data.get("_tried") == "1" or record.status == "returned"
        sections, loose = self.form_sections(record, checked, tried)
        by_field: dict[str, list[dict[str, str]]] = {}
        for widget in _walk(sections):
            if widget.issues:
                by_field[widget.name] = [_issue_json(i) for i in widget.issues]
        missing, errors, warnings = visits.summary_counts(checked.issues)
        return JSONResponse({"saved": self.now().strftime("%H:%M"), "fields": by_field,
                             "form": [_issue_json(i) for i in loose], "missing": missing,
                             "errors": errors, "warnings": warnings,
                             "applying": forms.applying(sections)})

    async def read_form(self, request: Request, user: User, record: Any) -> Response:
        checked = self.checked(record)
        form = checked.form
        document = None
        if form is not None:
            document = build_document(form, self.school.config, self.policy, checked.issues)
        self.log_access(user, "view", record, form)
        decision = self.may(user, record, "decide")
        authorise = decision and visits.can_authorise(user, self.policy)
        high = isinstance(form, RiskAssessment) and form.overall_risk.value == "high"
        permit = (decision and high and visits.needs_permission(self.policy)
                  and visits.can_permit(user))
        report = None
        if record.kind == RiskAssessment.form_name:
            found = self.store.records(visit=record.id, kind=VisitReport.form_name)
            report = found[0] if found else None
        return self.page(request, "record.html", record=record, document=document,
                         checked=checked, authorise=authorise, permit=permit,
                         decided_by=self.name_of(record.decided_by) if record.decided_by
                         else "", owner=self.name_of(record.owner), report=report,
                         label=visits.record_label(record), own=record.owner == user.id)

    async def download(self, request: Request) -> Response:
        user = self.user(request)
        record = self.record_for(request, user)
        fmt = request.path_params["fmt"]
        checked = self.checked(record)
        form = checked.form
        if form is None or fmt not in ("pdf", "docx"):
            raise HTTPException(404, "This form cannot be printed until its errors are put "
                                "right.")
        document = build_document(form, self.school.config, self.policy, checked.issues)
        data = await asyncio.to_thread(self.render, document, fmt)
        self.log_access(user, f"download-{fmt}", record, form)
        name = form_stem(form, self.school.config) + "." + fmt
        media = "application/pdf" if fmt == "pdf" else (
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document")
        return Response(data, media_type=media, headers={
            "content-disposition": _attachment(name)})

    # ------------------------------------------------------------------ pages: DSL

    async def review(self, request: Request) -> Response:
        self.require(request, *auth.READERS)
        return self.page(request, "review.html", **self.review_lists(request))

    async def review_live(self, request: Request) -> Response:
        self.require(request, *auth.READERS)
        return self.page(request, "_review_lists.html", **self.review_lists(request))

    def review_lists(self, request: Request) -> dict[str, Any]:
        user = request.scope["docgen.user"]
        waiting = self.store.records(kind=RiskAssessment.form_name, statuses=("submitted",))
        reports = self.store.records(kind=VisitReport.form_name, statuses=("filed",))
        authorised = self.store.records(kind=RiskAssessment.form_name,
                                        statuses=("authorised",))
        return {"waiting": waiting, "reports": reports, "authorised": authorised[:20],
                "label": visits.record_label, "name_of": self.name_of,
                "can_authorise": visits.can_authorise(user, self.policy)}

    async def decide(self, request: Request) -> Response:
        user = self.require(request, *auth.READERS)
        data = await self.form(request)
        record = self.record_for(request, user, action="decide")
        action = str(data.get("action", ""))
        comment = str(data.get("comment", "")).strip()[:2000]
        if action == "return":
            if not comment:
                raise HTTPException(400, "Say what needs changing before returning it.")
            self.store.decide(record.id, "returned", user.id, comment)
            self.log_access(user, "return", record, None)
            return RedirectResponse("/review", status_code=303)
        authorise = action in ("authorise", "authorise-permit") and \
            visits.can_authorise(user, self.policy)
        permit = action in ("permit", "authorise-permit") and visits.can_permit(user)
        if not authorise and not permit:
            raise Forbidden()
        extra = visits.authorisation_answers(record, user, self.policy, self.today(),
                                             authorise=authorise, permit=permit)
        values = {**record.data, **extra}
        record = self.save(record, values)
        checked = self.checked(record)
        form = checked.form
        status = "submitted"
        if isinstance(form, RiskAssessment) and visits.status_after(form, self.policy).authorised:
            status = "authorised"
        self.store.decide(record.id, status, user.id, comment or None)
        self.log_access(user, "authorise" if authorise else "permit", record, form)
        return RedirectResponse(f"/forms/{record.id}", status_code=303)

    async def access_log(self, request: Request) -> Response:
        """The access log, newest first; filtered by a pupil's name posted in a form (a name
        never goes in a URL)."""
        self.require(request, "dsl", "headteacher")
        reg = self.register()
        pupil = ""
        if request.method == "POST":
            pupil = str((await self.form(request)).get("pupil", "")).strip()[:200]
        entries = reg.access_log(pupil=pupil or None) if reg is not None else []
        return self.page(request, "access_log.html", entries=entries, pupil=pupil)

    # ------------------------------------------------------------------ pages: office

    async def board(self, request: Request) -> Response:
        self.require(request, "office", "dsl", "headteacher")
        return self.page(request, "board.html", **self.board_context())

    async def board_live(self, request: Request) -> Response:
        self.require(request, "office", "dsl", "headteacher")
        return self.page(request, "_board.html", **self.board_context())

    def board_context(self) -> dict[str, Any]:
        now = self.now()
        found = visits.board(self.store, self.policy, now, self.name_of)
        schedule = schedule_for(self.policy)
        every = int(schedule.every.total_seconds() // 60)
        every_text = f"{every // 60} hours" if every % 60 == 0 else f"{every} minutes"
        return {"visits": found, "now": now, "advice": visits.missed_call_advice,
                "today": now.date(), "every_text": every_text,
                "first_minutes": int(schedule.first_after.total_seconds() // 60)}

    async def record_call(self, request: Request) -> Response:
        user = self.require(request, "office", "dsl", "headteacher")
        data = await self.form(request)
        record = self.store.record(request.path_params["record_id"])
        if record is None or record.kind != RiskAssessment.form_name:
            raise HTTPException(404, "No such visit.")
        try:
            due = dt.datetime.fromisoformat(str(data.get("due", "")))
        except ValueError:
            raise HTTPException(400, "That call time is not one of the visit's.") from None
        today = visits.board(self.store, self.policy, self.now(), self.name_of)
        visit = next((v for v in today if v.record.id == record.id), None)
        if visit is None or due not in [c.due for c in visit.calls]:
            raise HTTPException(400, "That call time is not one of the visit's.")
        self.store.add_call(record.id, due, self.now(), user.id)
        return RedirectResponse("/board", status_code=303)

    async def board_sheet(self, request: Request) -> Response:
        self.require(request, "office", "dsl", "headteacher")
        today = self.today()
        forms_today = [v.form for v in visits.board(self.store, self.policy, self.now(),
                                                     self.name_of)]
        document = checkin_document(forms_today, today, self.school.config, self.policy)
        data = await asyncio.to_thread(self.render, document, "pdf")
        return Response(data, media_type="application/pdf", headers={
            "content-disposition": _attachment(f"{today.isoformat()}_office-check-in-sheet.pdf")})

    # ------------------------------------------------------------------ pages: jobs

    async def jobs_page(self, request: Request) -> Response:
        user = self.user(request)
        available = [j for j in jobs().values() if user.role in j.roles]
        if not available:
            raise Forbidden()
        return self.page(request, "jobs.html", available=available,
                         runs=list(self.runner.of_user(user.id)))

    async def start_job(self, request: Request) -> Response:
        user = self.user(request)
        await self.form(request)
        spec = jobs().get(request.path_params["name"])
        if spec is None or user.role not in spec.roles:
            raise Forbidden()
        day = self.today()
        records = []
        sources: list[tuple[str, FormModel]] = []
        for kind in spec.forms:
            for record in self.store.records(kind=kind, statuses=("submitted", "authorised",
                                                                  "filed")):
                if spec.today_only and record.visit_date != day.isoformat():
                    continue
                checked = self.checked(record).record
                if checked.usable and checked.form is not None:
                    records.append(checked)
                    sources.append((record.id, checked.form))
        job = self.runner.start(spec, user.id, records, day, sources)
        return RedirectResponse(f"/jobs/{job.id}", status_code=303)

    def job_for(self, request: Request) -> tuple[User, Job]:
        user = self.user(request)
        job = self.runner.get(request.path_params["job_id"])
        if job is None or job.user != user.id:
            raise HTTPException(404, "No such job.")
        return user, job

    async def job_page(self, request: Request) -> Response:
        _, job = self.job_for(request)
        return self.page(request, "job.html", job=job)

    async def job_live(self, request: Request) -> Response:
        _, job = self.job_for(request)
        return self.page(request, "_job.html", job=job)

    async def job_download(self, request: Request) -> Response:
        user, job = self.job_for(request)
        if job.state != "done":
            raise HTTPException(409, "The job has not finished.")
        data = await asyncio.to_thread(job.zip_bytes)
        for record_id, form in job.sources:  # every pupil's record in the zip
            self.log_access(user, f"download-{job.spec.name}",
                            _Source(record_id, form.form_name), form)
        return Response(data, media_type="application/zip", headers={
            "content-disposition": _attachment(f"{job.out_dir.name}.zip")})

    # ------------------------------------------------------------------ pages: admin

    async def users(self, request: Request) -> Response:
        self.require(request, "admin")
        return self.page(request, "users.html", accounts=self.store.users(), link="",
                         problem="")

    async def users_post(self, request: Request) -> Response:
        self.require(request, "admin")
        data = await self.form(request)
        action = str(data.get("action", ""))
        link, problem = "", ""
        if action == "add":
            name = " ".join(str(data.get("name", "")).split())[:120]
            role = str(data.get("role", ""))
            if not name or role not in auth.ROLES:
                problem = "Give the person's name and choose a role."
            else:
                _, token = add_user(self.store, name, role)
                link = str(request.url_for("setup", token=token))
        else:
            given = str(data.get("user", ""))
            target = self.store.user(int(given)) if given.isdigit() else None
            if target is None:
                raise HTTPException(404, "No such account.")
            if action == "link":
                link = str(request.url_for(
                    "setup", token=self.store.add_setup_link(target.id, auth.SETUP_LIFETIME)))
            elif action == "unlock":
                self.store.update_user(target.id, failures=0, locked_until=None)
            elif action in ("disable", "enable"):
                self.store.update_user(target.id, active=int(action == "enable"))
                if action == "disable":
                    self.store.end_sessions_of(target.id)
        return self.page(request, "users.html", accounts=self.store.users(), link=link,
                         problem=problem)


def add_user(store: RecordStore, name: str, role: str) -> tuple[User, str]:
    """A new account and its one-time set-up token."""
    if role not in auth.ROLES:
        raise ValueError(f"unknown role {role}; use one of {', '.join(auth.ROLES)}")
    username = auth.username_for(name, {u.username for u in store.users()})
    user = store.add_user(username, name, role)
    return user, store.add_setup_link(user.id, auth.SETUP_LIFETIME)


def _walk(sections: list[forms.PageSection]) -> list[forms.Widget]:
    out: list[forms.Widget] = []

    def walk(widgets: list[forms.Widget]) -> None:
        for widget in widgets:
            out.append(widget)
            walk(widget.children)

    for section in sections:
        walk(section.widgets)
    return out


@dataclasses.dataclass(frozen=True)
class _Source:
    """A record named in the access log by its id and kind only."""

    id: str
    kind: str
    data: dict[str, str] = dataclasses.field(default_factory=dict)


def _shown(issues: list[Issue], tried: bool) -> list[Issue]:
    """The issues shown beside the fields: blank answers only once a submission was tried."""
    return issues if tried else [i for i in issues if not visits.unanswered(i)]


def _issue_json(issue: Issue) -> dict[str, str]:
    return {"severity": issue.severity.value, "message": issue.message,
            "citation": issue.citation or ""}


def _attachment(name: str) -> str:
    """A Content-Disposition naming the file (UTF-8 names spelled as RFC 6266 says)."""
    from urllib.parse import quote

    ascii_name = name.encode("ascii", "replace").decode().replace("?", "_").replace('"', "_")
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(name)}"


def create_app(settings: WebSettings) -> Starlette:
    web = Web(settings)

    async def not_signed_in(request: Request, exc: Exception) -> Response:
        if request.headers.get("x-live") or request.url.path.endswith("/draft"):
            return JSONResponse({"signed_out": True}, status_code=401)
        return RedirectResponse("/login", status_code=303)

    async def forbidden(request: Request, exc: Exception) -> Response:
        return web.page(request, "message.html", status=403, title="Not for your role",
                        message="Your account does not have access to this page.")

    async def http_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, HTTPException)
        titles = {403: "Refused", 404: "Not found", 400: "Cannot do that", 409: "Not yet",
                  411: "Try again", 413: "Too long"}
        if request.url.path.endswith("/draft"):
            return JSONResponse({"problem": exc.detail}, status_code=exc.status_code)
        return web.page(request, "message.html", status=exc.status_code,
                        title=titles.get(exc.status_code, "Problem"), message=exc.detail)

    async def server_error(request: Request, exc: Exception) -> Response:
        log.exception("internal error on %s %s", request.method, _route_of(request))
        return web.page(request, "message.html", status=500, title="Something went wrong",
                        message="docgen could not finish this. Nothing you saved was lost; "
                        "try again, and tell the administrator if it happens again.")

    routes = [
        Route("/", web.home),
        Route("/login", web.login, methods=["GET", "POST"]),
        Route("/login/code", web.login_code, methods=["GET", "POST"]),
        Route("/logout", web.logout, methods=["POST"]),
        Route("/setup/{token}", web.setup, methods=["GET", "POST"], name="setup"),
        Route("/visits", web.my_visits),
        Route("/forms/new/{kind}", web.new_form, methods=["POST"]),
        Route("/forms/{record_id}", web.show_form),
        Route("/forms/{record_id}", web.post_form, methods=["POST"]),
        Route("/forms/{record_id}/draft", web.autosave, methods=["POST"]),
        Route("/forms/{record_id}/report", web.new_report, methods=["POST"]),
        Route("/forms/{record_id}/decide", web.decide, methods=["POST"]),
        Route("/forms/{record_id}/download/{fmt}", web.download),
        Route("/review", web.review),
        Route("/review/live", web.review_live),
        Route("/access-log", web.access_log, methods=["GET", "POST"]),
        Route("/board", web.board),
        Route("/board/live", web.board_live),
        Route("/board/sheet", web.board_sheet),
        Route("/board/{record_id}/call", web.record_call, methods=["POST"]),
        Route("/jobs", web.jobs_page),
        Route("/jobs/run/{name}", web.start_job, methods=["POST"]),
        Route("/jobs/{job_id}", web.job_page),
        Route("/jobs/{job_id}/live", web.job_live),
        Route("/jobs/{job_id}/download", web.job_download),
        Route("/users", web.users),
        Route("/users", web.users_post, methods=["POST"]),
        Mount("/static", StaticFiles(directory=str(HERE / "static")), name="static"),
    ]
    app = Starlette(routes=routes, exception_handlers={
        NotSignedIn: not_signed_in, Forbidden: forbidden, HTTPException: http_error,
        Exception: server_error,
    })
    app.state.web = web
    app.add_middleware(SecureHeaders, https=settings.https)
    return app


def _route_of(request: Request) -> str:
    """The route's pattern (``/forms/{record_id}``), never the ids or query of the URL."""
    route = request.scope.get("route")
    return str(getattr(route, "path", "")) or "(unknown route)"
