"""Loading policies: the presets, a school's own TOML or YAML file, and every way a policy file
can be wrong (a PolicyError naming the problem, and exit 2 from the CLI, never a traceback)."""

from __future__ import annotations

import datetime as dt
import json
import textwrap
import tomllib
from collections.abc import Callable
from importlib import resources
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from docgen.cli import cli
from docgen.policy import (
    PRESETS,
    RULES,
    CheckContext,
    Policy,
    PolicyError,
    active_rules,
    load_policy,
)
from docgen.report import Severity
from docgen.schemas import RiskAssessment, VisitReport
from docgen.schemas.choices import AuthoriserRole, Likelihood, RiskLevel, VisitPurpose
from docgen.validation import validate_record


def preset_toml(name: str) -> dict[str, Any]:
    """The preset file as written, read independently of the loader."""
    text = resources.files("docgen.policy").joinpath("presets", f"{name}.toml").read_text("utf-8")
    return tomllib.loads(text)


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(textwrap.dedent(text).lstrip(), encoding="utf-8")
    return path


def codes(record: Any) -> dict[str, str]:
    """{issue code: severity} of a validated record."""
    return {i.code: i.severity.value for i in record.issues}


@pytest.fixture
def today(ctx: CheckContext) -> dt.date:
    return ctx.today


# --------------------------------------------------------------------------- presets


@pytest.mark.parametrize("name", PRESETS)
def test_preset_loads(name: str) -> None:
    policy = load_policy(name)
    assert isinstance(policy, Policy)
    assert policy.id == name
    assert policy.name and policy.document
    assert policy.rules


def test_att_knobs_follow_the_procedure(att: Policy) -> None:
    assert att.min_staff == 2  # §1.3 always two members of staff
    assert att.lone_visits == "never"
    assert att.authorisers == [AuthoriserRole.DSL]  # §1.1
    assert att.evening_from == dt.time(17, 0)  # §7.5; 17:00 is when evenings begin
    assert not att.deputy_dsl_may_authorise  # §1.1 names the DSL
    assert att.authorising_roles == [AuthoriserRole.DSL]
    assert VisitPurpose.TUTORING not in att.purposes  # not a §3.1 reason
    assert VisitPurpose.SUSPECTED_HOLIDAY in att.purposes
    assert att.max_wait_minutes is None and att.attendance_notify_below is None


def test_westside_knobs_follow_the_policy(westside: Policy) -> None:
    assert westside.min_staff == 2
    assert westside.lone_visits == "with_headteacher_approval"
    assert westside.authorisers == [AuthoriserRole.HEADTEACHER]
    assert westside.purposes == list(VisitPurpose)
    assert westside.max_wait_minutes == 20
    assert westside.attendance_notify_below == 70
    assert (westside.checkins.first_after_minutes, westside.checkins.every_minutes) == (10, 120)
    assert westside.evening_from is None
    assert westside.authorising_roles == [AuthoriserRole.HEADTEACHER]


@pytest.mark.parametrize("name", PRESETS)
def test_preset_school_day(name: str) -> None:
    day = load_policy(name).school_day
    assert (day.start, day.end, day.weekdays_only) == (dt.time(8, 30), dt.time(15, 30), True)
    assert (day.terms, day.closures) == ([], [])  # a school adds its own


@pytest.mark.parametrize("name", PRESETS)
def test_preset_risk_scale_writes_the_likelihoods_that_cannot_be_low(name: str) -> None:
    scale = load_policy(name).risk_scale
    assert scale.minimum_level == {Likelihood.LIKELY: RiskLevel.MEDIUM,
                                   Likelihood.VERY_LIKELY: RiskLevel.MEDIUM}
    assert scale.lowest_level(Likelihood.REMOTE) is RiskLevel.LOW
    assert scale.lowest_level(Likelihood.POSSIBLE) is RiskLevel.LOW
    assert preset_toml(name)["risk_scale"]["minimum_level"]  # written in the preset


@pytest.mark.parametrize("name", PRESETS)
def test_every_rule_a_preset_lists_exists_and_is_a_policy_rule(name: str) -> None:
    listed = preset_toml(name)["rules"]
    assert set(listed) <= set(RULES), sorted(set(listed) - set(RULES))
    assert [r for r in listed if RULES[r].form_rule] == []


def test_every_policy_rule_is_switched_on_by_some_preset() -> None:
    on = {rule_id for name in PRESETS for rule_id in load_policy(name).rules
          if load_policy(name).setting(rule_id) is not None}
    policy_rules = {r.id for r in RULES.values() if not r.form_rule}
    assert sorted(policy_rules - on) == []


@pytest.mark.parametrize("name", PRESETS)
def test_enabled_rules_have_a_citation(name: str) -> None:
    policy = load_policy(name)
    for rule_id, setting in policy.rules.items():
        if setting.severity != "off":
            assert setting.cite.strip(), f"{name}: {rule_id} has no citation"


def test_form_rules_cite_the_form() -> None:
    for rule in RULES.values():
        if rule.form_rule:
            assert rule.cite.startswith("Home Visit"), rule.id


@pytest.mark.parametrize("name", PRESETS)
def test_active_rules_are_the_form_rules_and_the_switched_on_ones(name: str) -> None:
    policy = load_policy(name)
    for form in (RiskAssessment, VisitReport):
        active = {rule.id: severity for rule, severity, _ in active_rules(form, policy)}
        expected = {
            r.id: (r.severity if r.form_rule else Severity(policy.rules[r.id].severity))
            for r in RULES.values()
            if form in r.forms and (r.form_rule or policy.setting(r.id) is not None)
        }
        assert active == expected


def test_the_presets_differ_where_the_policies_do(att: Policy, westside: Policy) -> None:
    # DBS checks are required under both: staff visiting homes are checked
    assert att.rules["ra.staff-dbs"].severity == westside.rules["ra.staff-dbs"].severity == "error"
    assert att.setting("report.threat-police") is None  # ATT: leave, tell the academy
    assert westside.setting("report.threat-police") is not None
    assert att.setting("ra.staff-violence-training") is None
    assert westside.rules["ra.staff-violence-training"].severity == "error"
    assert att.setting("report.dsl-consulted") is not None
    assert westside.setting("report.dsl-consulted") is None
    assert att.rules["report.risk-assessment"].severity == "warning"
    assert westside.rules["report.risk-assessment"].severity == "warning"


# --------------------------------------------------------------------------- school files

SCHOOL_TOML = """
    extends = "westside"
    id = "oakfield"
    name = "Oakfield Academy Home Visit Policy"
    max_wait_minutes = 10

    [school_day]
    start = "09:00"

    [rules."report.wait-time"]
    severity = "error"

    [rules."ra.staff-dbs"]
    severity = "off"

    [rules."visit.evening"]
    severity = "warning"
    cite = "Oakfield policy 4.2"
"""


@pytest.fixture
def school_toml(tmp_path: Path) -> Policy:
    return load_policy(write(tmp_path, "oakfield.toml", SCHOOL_TOML))


def test_school_toml_overrides_knobs(school_toml: Policy, westside: Policy) -> None:
    assert (school_toml.id, school_toml.name) == ("oakfield", "Oakfield Academy Home Visit Policy")
    assert school_toml.document == westside.document  # inherited
    assert school_toml.max_wait_minutes == 10
    assert school_toml.school_day.start == dt.time(9, 0)
    assert school_toml.school_day.end == dt.time(15, 30)  # the preset's, merged
    assert school_toml.lone_visits == "with_headteacher_approval"


def test_school_toml_severity_override_keeps_the_preset_citation(
    school_toml: Policy, westside: Policy
) -> None:
    assert school_toml.rules["report.wait-time"].severity == "error"
    assert school_toml.rules["report.wait-time"].cite == westside.rules["report.wait-time"].cite
    assert school_toml.rules["visit.evening"].cite == "Oakfield policy 4.2"
    assert school_toml.setting("ra.staff-dbs") is None
    assert school_toml.rules["ra.code-word"] == westside.rules["ra.code-word"]


def test_school_toml_takes_effect_in_validation(
    school_toml: Policy, valid_ra: Callable[[str], dict[str, Any]], report: dict[str, Any],
    today: dt.date,
) -> None:
    waited = {**report, "anyone_home": False, "letter_left": True, "minutes_waited": 15,
              "who_was_home": None, "entered_property": None, "adult_present": None,
              "welfare_concerns": None, "discussed": None}
    assert "report.wait-time" not in codes(validate_record(waited, "westside", today=today))
    record = validate_record(waited, school_toml, today=today)
    wait = [i for i in record.issues if i.code == "report.wait-time"]
    assert [(i.severity, i.location.path) for i in wait] == [(Severity.ERROR, "$.minutes_waited")]
    assert "no longer than 10 minutes" in wait[0].message
    assert wait[0].citation is not None
    assert wait[0].citation.startswith("Oakfield Academy Home Visit Policy: Home visits:")

    early = {**valid_ra("westside"), "planned_start": "08:45"}
    assert codes(validate_record(early, "westside", today=today)) == {}
    school = codes(validate_record(early, school_toml, today=today))
    assert school["ra.out-of-hours-reason"] == "error"
    assert school["ra.out-of-hours-contact"] == "error"

    no_dbs = valid_ra("westside")
    no_dbs["staff"][1]["dbs_checked"] = False
    assert codes(validate_record(no_dbs, "westside", today=today)) == {"ra.staff-dbs": "error"}
    assert codes(validate_record(no_dbs, school_toml, today=today)) == {}

    evening = {**valid_ra("westside"), "planned_start": "18:30", "expected_return": "19:30"}
    assert "visit.evening" not in codes(validate_record(evening, "westside", today=today))
    # switched on by the school, but the school set no evening_from: nothing is "evening"
    assert "visit.evening" not in codes(validate_record(evening, school_toml, today=today))


# Unquoted 9:00 and `off` are what people write in YAML; YAML 1.1 reads them as the number 540
# and the boolean false.
SCHOOL_YAML = """
    extends: att
    id: brookside
    name: Brookside Primary Home Visit Policy
    evening_from: 16:30
    max_wait_minutes: 15
    school_day:
      start: 9:00
      end: 15:15
    rules:
      ra.code-word:
        severity: off
      report.letter-left:
        severity: error
      report.wait-time:
        severity: warning
        cite: "Brookside policy: wait no longer than 15 minutes"
      ra.staff-dbs:
        severity: warning
        cite: "Brookside policy: DBS checks"
"""


@pytest.fixture
def school_yaml(tmp_path: Path) -> Policy:
    return load_policy(write(tmp_path, "brookside.yaml", SCHOOL_YAML))


def test_school_yaml_overrides_knobs(school_yaml: Policy) -> None:
    assert school_yaml.id == "brookside"
    assert school_yaml.evening_from == dt.time(16, 30)
    assert school_yaml.school_day.start == dt.time(9, 0)
    assert school_yaml.school_day.end == dt.time(15, 15)
    assert school_yaml.max_wait_minutes == 15
    assert school_yaml.authorisers == [AuthoriserRole.DSL]  # from the ATT preset
    assert school_yaml.rules["ra.code-word"].severity == "off"
    assert school_yaml.setting("ra.code-word") is None


def test_school_yaml_takes_effect_in_validation(
    school_yaml: Policy, valid_ra: Callable[[str], dict[str, Any]], report: dict[str, Any],
    today: dt.date,
) -> None:
    ra = {**valid_ra("att"), "code_word_agreed": False, "planned_start": "16:30",
          "expected_return": "17:00"}
    att = codes(validate_record(ra, "att", today=today))
    assert att == {"ra.code-word": "error"}
    school = codes(validate_record(ra, school_yaml, today=today))
    assert school == {"visit.evening": "warning"}

    ra = valid_ra("att")
    ra["staff"][0]["dbs_checked"] = False
    assert codes(validate_record(ra, school_yaml, today=today)) == {"ra.staff-dbs": "warning"}

    nobody = {**report, "anyone_home": False, "letter_left": False, "minutes_waited": 16,
              "who_was_home": None, "entered_property": None, "adult_present": None,
              "welfare_concerns": None, "discussed": None}
    assert codes(validate_record(nobody, "att", today=today)) == {"report.letter-left": "warning"}
    record = validate_record(nobody, school_yaml, today=today)
    assert codes(record) == {"report.letter-left": "error", "report.wait-time": "warning"}
    wait = next(i for i in record.issues if i.code == "report.wait-time")
    assert wait.citation == (
        "Brookside Primary Home Visit Policy: Brookside policy: wait no longer than 15 minutes"
    )


def test_yaml_rules_left_empty_keep_the_preset_rules(tmp_path: Path, att: Policy) -> None:
    policy = load_policy(write(tmp_path, "s.yml", "extends: att\nid: s\nrules:\n"))
    assert policy.rules == att.rules


def test_school_file_does_not_change_the_preset(school_toml: Policy, school_yaml: Policy) -> None:
    assert load_policy("westside").max_wait_minutes == 20
    assert load_policy("westside").setting("ra.staff-dbs") is not None
    assert load_policy("att").setting("ra.code-word") is not None
    assert load_policy("att").evening_from == dt.time(17, 0)


def test_a_complete_file_without_extends(tmp_path: Path) -> None:
    path = write(tmp_path, "own.toml", """
        id = "own"
        name = "Own Policy"
        document = "Own School Home Visit Policy (2026)"
        min_staff = 1
        authorisers = ["headteacher", "deputy_dsl"]
        purposes = ["attendance", "welfare_check"]

        [rules."report.risk-assessment"]
        severity = "error"
        cite = "Para 2"
    """)
    policy = load_policy(path)
    assert policy.authorisers == [AuthoriserRole.HEADTEACHER, AuthoriserRole.DEPUTY_DSL]
    assert policy.purposes == [VisitPurpose.ATTENDANCE, VisitPurpose.WELFARE_CHECK]
    assert list(policy.rules) == ["report.risk-assessment"]
    assert policy.school_day.start == dt.time(8, 30)  # the default
    assert load_policy(str(path)) == policy


def test_policy_file_times_as_toml_times(tmp_path: Path) -> None:
    path = write(tmp_path, "t.toml", """
        extends = "att"
        evening_from = 17:30:00

        [school_day]
        end = 16:00:00
    """)
    policy = load_policy(path)
    assert (policy.evening_from, policy.school_day.end) == (dt.time(17, 30), dt.time(16, 0))


def test_school_settings_terms_closures_deputy_and_scale(tmp_path: Path) -> None:
    path = write(tmp_path, "trust.toml", """
        extends = "att"
        id = "trust"
        deputy_dsl_may_authorise = true
        evening_from = "18:00"

        [school_day]
        terms = [
            { start = 2026-09-02, end = 2026-12-18 },
            { start = "05/01/2027", end = "26/03/2027" },
        ]
        closures = [2026-11-27, "30/11/2026"]

        [risk_scale.minimum_level]
        very_likely = "high"
    """)
    policy = load_policy(path)
    assert policy.authorising_roles == [AuthoriserRole.DSL, AuthoriserRole.DEPUTY_DSL]
    assert policy.evening_from == dt.time(18, 0)
    day = policy.school_day
    assert [(t.start, t.end) for t in day.terms] == [
        (dt.date(2026, 9, 2), dt.date(2026, 12, 18)), (dt.date(2027, 1, 5), dt.date(2027, 3, 26))]
    assert day.closures == [dt.date(2026, 11, 27), dt.date(2026, 11, 30)]
    # the preset's scale, with the school's change laid over it
    assert policy.risk_scale.lowest_level(Likelihood.VERY_LIKELY) is RiskLevel.HIGH
    assert policy.risk_scale.lowest_level(Likelihood.LIKELY) is RiskLevel.MEDIUM


def test_deputy_setting_does_nothing_where_the_dsl_does_not_authorise(tmp_path: Path) -> None:
    path = write(tmp_path, "w.toml", 'extends = "westside"\ndeputy_dsl_may_authorise = true\n')
    assert load_policy(path).authorising_roles == [AuthoriserRole.HEADTEACHER]


# --------------------------------------------------------------------------- errors

BAD: list[Any] = [
    pytest.param("x.toml", 'extends = "att"\n[rules."ra.nope"]\nseverity = "error"\n',
                 ("unknown rule id", "ra.nope", "docgen checks"), id="unknown-rule"),
    pytest.param("x.toml", 'extends = "att"\n[rules."ra.reason"]\nseverity = "off"\n',
                 ("ra.reason", "check the form itself", "remove them"), id="form-rule"),
    pytest.param("x.toml", 'extends = "att"\n[rules."report.times"]\nseverity = "warning"\n',
                 ("report.times", "check the form itself"), id="form-rule-report"),
    pytest.param("x.toml", 'extends = "att"\ncolour = "blue"\n',
                 ("colour", "Extra inputs are not permitted"), id="unknown-key"),
    pytest.param("x.toml", 'extends = "att"\n[school_day]\nlunch = "12:00"\n',
                 ("school_day.lunch",), id="unknown-nested-key"),
    pytest.param("x.toml", 'extends = "att"\n[rules."ra.staff-dbs"]\nseverity = "fatal"\n',
                 ("rules.ra.staff-dbs.severity", "'error', 'warning' or 'off'"),
                 id="bad-severity"),
    pytest.param("x.toml", 'extends = "att"\n[rules."ra.times"]\ncite = "x"\n',
                 ("rules.ra.times.severity", "Field required"), id="no-severity"),
    pytest.param("x.toml", 'extends = "att"\n[rules."ra.staff-dbs"]\nseverity = "on"\n',
                 ("severity",), id="severity-on"),
    pytest.param("x.toml", 'extends = "att"\nrules = ["ra.staff-dbs"]\n',
                 ("'rules' must be a table",), id="rules-not-a-table"),
    pytest.param("x.toml", 'extends = "att"\nrules = [{ severity = "off" }]\n',
                 ("'rules' must be a table",), id="rules-a-list-of-tables"),
    pytest.param("x.toml", 'extends = "att"\n[rules]\n"ra.staff-dbs" = "off"\n',
                 ("rules.ra.staff-dbs",), id="rule-setting-not-a-table"),
    pytest.param("x.toml", 'extends = "att"\nmin_staff = [\n', ("not valid TOML",),
                 id="invalid-toml"),
    pytest.param("x.yaml", "extends: att\nschool_day: [9:00\n", ("not valid YAML",),
                 id="invalid-yaml"),
    pytest.param("x.yml", "- extends: att\n", ("expected a table of settings",),
                 id="yaml-list"),
    pytest.param("x.yaml", "just words\n", ("expected a table of settings",),
                 id="yaml-scalar"),
    pytest.param("x.yaml", "", ("expected a table of settings",), id="yaml-empty"),
    pytest.param("x.toml", 'extends = "ofsted"\n', ("'extends' must name a preset", "ofsted",
                                                    "att, westside"), id="extends-unknown"),
    pytest.param("x.toml", 'extends = "../presets/att.toml"\n', ("'extends' must name a preset",),
                 id="extends-path"),
    pytest.param("x.toml", 'id = "x"\nname = "X"\n', ("document", "Field required"),
                 id="incomplete-without-extends"),
    pytest.param("x.toml", 'extends = "att"\nmin_staff = 0\n', ("min_staff",),
                 id="min-staff-zero"),
    pytest.param("x.toml", 'extends = "att"\nlone_visits = "sometimes"\n', ("lone_visits",),
                 id="bad-lone-visits"),
    pytest.param("x.toml", 'extends = "att"\nauthorisers = ["caretaker"]\n',
                 ("authorisers.0", "caretaker"), id="bad-authoriser"),
    pytest.param("x.toml", 'extends = "att"\npurposes = ["fun"]\n', ("purposes.0", "fun"),
                 id="bad-purpose"),
    pytest.param("x.toml", 'extends = "att"\nmax_wait_minutes = -5\n', ("max_wait_minutes",),
                 id="negative-wait"),
    pytest.param("x.toml", 'extends = "att"\n[school_day]\nstart = "25:00"\n',
                 ("school_day.start", "not a time"), id="bad-time"),
    pytest.param("x.toml", 'extends = "att"\n[school_day]\nstart = "16:00"\n',
                 ("school_day", "must be before they end"), id="day-ends-before-it-starts"),
    pytest.param("x.json", '{"extends": "att"}', ("ends in .toml, .yaml or .yml",),
                 id="wrong-suffix"),
    pytest.param("x.toml", 'extends = "att"\n[school_day]\n'
                 'terms = [{ start = 2026-12-18, end = 2026-09-02 }]\n',
                 ("school_day.terms.0", "cannot end (02/09/2026) before it starts"),
                 id="term-ends-before-it-starts"),
    pytest.param("x.toml", 'extends = "att"\n[school_day]\nclosures = ["11/23/2026"]\n',
                 ("school_day.closures.0", "not a date"), id="month-first-closure"),
    pytest.param("x.toml", 'extends = "att"\n[risk_scale.minimum_level]\nlikely = "severe"\n',
                 ("risk_scale.minimum_level", "severe"), id="bad-risk-level"),
    pytest.param("x.toml", 'extends = "att"\n[risk_scale.minimum_level]\nsure = "high"\n',
                 ("risk_scale.minimum_level", "sure"), id="bad-likelihood"),
]


@pytest.mark.parametrize(("name", "text", "words"), BAD)
def test_bad_policy_file(tmp_path: Path, name: str, text: str, words: tuple[str, ...]) -> None:
    path = write(tmp_path, name, text)
    with pytest.raises(PolicyError) as caught:
        load_policy(path)
    message = str(caught.value)
    assert message.startswith(str(path)), message
    for word in words:
        assert word in message, f"{word!r} not in {message!r}"


def test_authorisers_cannot_be_all(tmp_path: Path) -> None:
    """"all" means every purpose; every role (including "Other") cannot authorise a visit."""
    path = write(tmp_path, "x.toml", 'extends = "att"\nauthorisers = "all"\n')
    with pytest.raises(PolicyError) as caught:
        load_policy(path)
    message = str(caught.value)
    assert "authorisers: Input should be a valid list" in message
    assert "refusing_school" not in message


def test_missing_policy_file(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere.toml"
    with pytest.raises(PolicyError, match="neither a preset") as caught:
        load_policy(missing)
    assert str(missing) in str(caught.value)
    assert "att, westside" in str(caught.value)


def test_unknown_preset_name() -> None:
    with pytest.raises(PolicyError, match="'ofsted' is neither a preset"):
        load_policy("ofsted")


def test_policy_path_is_a_folder(tmp_path: Path) -> None:
    folder = tmp_path / "policy.toml"
    folder.mkdir()
    with pytest.raises(PolicyError, match="is a folder, not a file"):
        load_policy(folder)


def test_policy_file_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "latin.toml"
    path.write_bytes('name = "Caf\xe9"\n'.encode("latin-1"))
    with pytest.raises(PolicyError, match=r"is not UTF-8 text \(byte 11\)"):
        load_policy(path)


def test_yaml_cannot_build_python_objects(tmp_path: Path) -> None:
    path = write(tmp_path, "evil.yaml", "extends: !!python/object/apply:os.system ['true']\n")
    with pytest.raises(PolicyError, match="not valid YAML"):
        load_policy(path)


# --------------------------------------------------------------------------- the CLI


@pytest.fixture
def record_file(tmp_path: Path, report: dict[str, Any]) -> Callable[..., Path]:
    def build(**changes: Any) -> Path:
        path = tmp_path / "visit.json"
        path.write_text(json.dumps({**report, **changes}), encoding="utf-8")
        return path

    return build


def run_cli(*args: str) -> Any:
    return CliRunner().invoke(cli, list(args))


@pytest.mark.parametrize(
    ("text", "words"),
    [
        pytest.param('extends = "att"\n[rules."ra.nope"]\nseverity = "error"\n',
                     ("unknown rule id", "ra.nope"), id="unknown-rule"),
        pytest.param("extends = [\n", ("not valid TOML",), id="invalid-toml"),
        pytest.param('extends = "att"\n[rules."ra.reason"]\nseverity = "off"\n',
                     ("check the form itself",), id="form-rule"),
    ],
)
def test_cli_bad_policy_exits_2(
    tmp_path: Path, record_file: Callable[..., Path], text: str, words: tuple[str, ...]
) -> None:
    bad = write(tmp_path, "bad.toml", text)
    result = run_cli("validate", str(record_file()), "--policy", str(bad))
    assert result.exit_code == 2, result.output
    assert isinstance(result.exception, SystemExit)
    assert "Traceback" not in result.output
    assert str(bad) in result.stderr
    for word in words:
        assert word in result.stderr


def test_cli_missing_policy_exits_2(tmp_path: Path, record_file: Callable[..., Path]) -> None:
    result = run_cli("validate", str(record_file()), "--policy", str(tmp_path / "gone.toml"))
    assert result.exit_code == 2
    assert "neither a preset" in result.stderr
    assert "Traceback" not in result.output


def test_cli_checks_with_bad_policy_exits_2(tmp_path: Path) -> None:
    bad = write(tmp_path, "bad.yaml", "- not a table\n")
    result = run_cli("checks", "--policy", str(bad))
    assert result.exit_code == 2
    assert "expected a table of settings" in result.stderr


def test_cli_uses_the_school_policy_file(tmp_path: Path, record_file: Callable[..., Path]) -> None:
    school = write(tmp_path, "oakfield.toml", SCHOOL_TOML)
    visit = record_file(anyone_home=False, letter_left=True, minutes_waited=15,
                        who_was_home=None, entered_property=None, adult_present=None,
                        welfare_concerns=None, discussed=None)
    today = ("--today", "23/11/2026")
    under_preset = run_cli("validate", str(visit), "--policy", "westside", *today)
    assert under_preset.exit_code == 0, under_preset.output
    under_school = run_cli("validate", str(visit), "--policy", str(school), *today,
                           "--format", "json")
    assert under_school.exit_code == 1, under_school.output
    data = json.loads(under_school.stdout)
    found = [issue for file in data["files"] for rec in file["records"]
             for issue in rec["issues"]]
    assert [(i["code"], i["severity"]) for i in found] == [("report.wait-time", "error")]
