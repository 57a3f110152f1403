"""A school's configuration (``school.toml``): who the school is, how its documents look, which
policy it follows and how output files are named. A multi-academy trust keeps one file per
academy."""

from __future__ import annotations

import difflib
import io
import string
import tomllib
import warnings
from pathlib import Path
from typing import Any, Literal

from PIL import Image, ImageFile, UnidentifiedImageError
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from docgen.files import FileProblem, read_regular
from docgen.report import inert
from docgen.settings_file import (
    excerpt,
    key_path,
    listed,
    read_text,
    text_problems,
    validation_problem,
)

DEFAULT_NAMING = "{date}_{form}_{surname}-{forename}"
FILE_NAME = "school.toml"
REGISTER_NAME = "docgen-register.sqlite"
NAMING_FIELDS = ("date", "form", "surname", "forename", "pupil", "reference", "school")
LOGO_SUFFIXES = (".png", ".jpg", ".jpeg", ".gif")  # Word cannot embed SVG
LOGO_FORMATS = ("PNG", "JPEG", "GIF")
MAX_LOGO_BYTES = 2 * 1024 * 1024
MAX_LOGO_SIDE = 4000  # pixels; decoded, 4000x4000 RGBA is 64 MB
MAX_SCHOOL_BYTES = 100_000


TEMPLATE_SUBFOLDERS = ("html", "css", "docx", "letters")


def not_a_template_folder(folder: Path) -> str | None:
    """Why ``folder`` cannot be a school's template folder, or None. A template folder is
    laid out like docgen/templates and holds at least one of html/, css/, docx/, letters/:
    a mistyped setting such as "/" or a home folder would otherwise have every run read the
    whole of it (reruns digest the template folder to notice a changed template)."""
    if not folder.is_dir():
        return f"template folder {folder} does not exist."
    if not any((folder / name).is_dir() for name in TEMPLATE_SUBFOLDERS):
        return (f"{folder} is not a template folder: it has none of "
                f"{', '.join(n + '/' for n in TEMPLATE_SUBFOLDERS)} (lay it out like docgen's "
                "templates folder).")
    return None


class ConfigError(Exception):
    """A school.toml that cannot be used; the message says what to change."""


class School(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = Field(min_length=1, max_length=120, description="School or academy name")
    address: str = Field(default="", max_length=300, description="Postal address, one line")
    phone: str = Field(default="", max_length=40, description="Main office number")
    logo: Path | None = Field(default=None, description="Logo image, relative to the file")
    headteacher: str = Field(default="", max_length=120)
    dsl: str = Field(default="", max_length=120, description="Designated Safeguarding Lead")
    trust: str = Field(default="", max_length=120, description="Multi-academy trust, if any")


class Documents(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    policy: str = Field(default="att", description="A preset name or a policy file path")
    marking: str = Field(default="OFFICIAL-SENSITIVE", max_length=60,
                         description="Protective marking printed on every page")
    naming: str = Field(default=DEFAULT_NAMING,
                        description="Output file name pattern, without the extension")
    unauthorised_visits: Literal["banner", "leave-off"] = Field(
        default="banner",
        description="On the office check-in sheet, a visit that is not authorised carries a "
        "NOT AUTHORISED: DO NOT GO banner (banner), or is left off the table and listed with "
        "the reason (leave-off)",
    )
    templates: str | None = Field(
        default=None,
        description="The school's own templates, relative to this file; laid out like "
        "docgen/templates (docx/, html/, css/); what it lacks comes from docgen's own",
    )

    @field_validator("naming")
    @classmethod
    def _known_fields(cls, value: str) -> str:
        try:
            parts = list(string.Formatter().parse(value))
        except ValueError as exc:
            raise ValueError(f"not a valid pattern ({exc}); write fields as {{date}}") from None
        fields = [f for _, f, _, _ in parts if f is not None]
        unknown = [f for f in fields if f not in NAMING_FIELDS]
        if unknown:
            raise ValueError(
                f"unknown name field(s) {', '.join(excerpt(f) for f in unknown[:5])}; use "
                f"{', '.join(NAMING_FIELDS)}"
            )
        if any(spec or conversion for _, f, spec, conversion in parts if f is not None):
            raise ValueError("write fields plainly, e.g. {date}, without ':' or '!'")
        if not fields:
            raise ValueError("the pattern needs at least one {field}")
        return value


DEFAULT_SUPPORT = (
    "a meeting with our attendance lead to talk about what is making attendance difficult",
    "a plan agreed with you and your child, reviewed together",
    "help from the school's pastoral team, and referral to other services if you would like it",
)


class LetterSettings(BaseModel):
    """Who signs the letters and who families contact (``docgen letters``). Blank: the
    headteacher signs, the contact is the headteacher on the main office number."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    signatory: str = Field(default="", max_length=120, description="Who signs the letters")
    signatory_role: str = Field(default="", max_length=120,
                                description="Their role, e.g. Headteacher")
    contact: str = Field(default="", max_length=120,
                         description="The named contact families call, e.g. the attendance lead")
    contact_role: str = Field(default="", max_length=120, description="The contact's role")
    contact_phone: str = Field(default="", max_length=40,
                               description="The contact's direct number")
    contact_email: str = Field(default="", max_length=120, description="The contact's email")
    local_authority: str = Field(
        default="", max_length=200,
        description="Who notifications go to: the local authority's attendance team",
    )
    local_authority_address: str = Field(default="", max_length=300,
                                         description="Their postal address, one line")
    support: tuple[str, ...] = Field(
        default=DEFAULT_SUPPORT, max_length=12,
        description="The support the school offers, listed in attendance letters",
    )
    reference_prefix: str = Field(
        default="", max_length=12, pattern=r"^[A-Za-z0-9-]*$",
        description="Put before every letter's reference, e.g. WS",
    )


class RegisterSettings(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    path: str = Field(
        default=REGISTER_NAME,
        description="The register of what docgen produced (SQLite), relative to this file",
    )


class CategoryName(BaseModel):
    """A category of the school's system, with its sub-category if it has one."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    category: str = Field(min_length=1, max_length=100)
    subcategory: str = Field(default="", max_length=100)

    @field_validator("category", "subcategory")
    @classmethod
    def _plain_name(cls, value: str) -> str:
        from docgen.export.conditions import check_category_name  # the export's rules

        return check_category_name(value)


class CategoryRule(CategoryName):
    """One line of the export's category table: a record gets ``category`` (and
    ``subcategory``) when any of the conditions in ``when`` holds for it."""

    when: list[str] = Field(min_length=1, description="Conditions, any of which adds it")

    @field_validator("when")
    @classmethod
    def _known_conditions(cls, value: list[str]) -> list[str]:
        from docgen.export.conditions import check_conditions  # the export's vocabulary

        check_conditions(value)
        return value


class ExportSettings(BaseModel):
    """``[export]``: how ``docgen export`` maps visits onto the school's case-management
    system (CPOMS by default)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    mapping: str | None = Field(
        default=None,
        description="A mapping file (TOML), relative to this file: the columns and category "
        "names the school's system expects; docgen's default mapping without it",
    )
    categories: list[CategoryRule] | None = Field(
        default=None,
        description="The category table: which category each record gets, from the visit's "
        "purpose and findings; docgen's default table without it",
    )
    fallback: CategoryName | None = Field(
        default=None,
        description="The category of a record no rule of the table gives one to",
    )


class SchoolConfig(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    school: School
    documents: Documents = Field(default_factory=Documents)
    # "register" in school.toml; named otherwise here, as pydantic models have a .register
    register_settings: RegisterSettings = Field(default_factory=RegisterSettings,
                                                alias="register")
    export: ExportSettings = Field(default_factory=ExportSettings)
    letters: LetterSettings = Field(default_factory=LetterSettings)
    source: Path | None = Field(default=None, exclude=True)

    @property
    def is_sample(self) -> bool:
        """True for the fictional school used when no school.toml was found."""
        return self.source is None

    def register_path(self) -> Path:
        """The register's file: relative to school.toml, or without one in the current
        folder."""
        base = self.source.parent if self.source is not None else Path.cwd()
        return (base / self.register_settings.path).resolve()

    def template_dir(self) -> Path | None:
        """The school's template folder, resolved against this file's folder."""
        if self.documents.templates is None:
            return None
        base = self.source.parent if self.source is not None else Path.cwd()
        return (base / self.documents.templates).resolve()

    def mapping_path(self) -> Path | None:
        """The export mapping file named in ``[export]``, resolved against this file's
        folder."""
        if self.export.mapping is None:
            return None
        base = self.source.parent if self.source is not None else Path.cwd()
        return (base / self.export.mapping).resolve()

    def policy_spec(self) -> str:
        """The policy preset, or the policy file's path resolved against this file's folder."""
        spec = self.documents.policy
        if self.source is not None and spec not in ("att", "westside"):
            return str((self.source.parent / spec).resolve())
        return spec


SAMPLE_SCHOOL = SchoolConfig(
    school=School(
        name="Sample Academy (fictional)",
        address="1 Example Road, Exampletown EX1 1AA",
        phone="01632 960000",
        headteacher="A. Principal",
        dsl="D. Safeguarding-Lead",
    ),
)


def load_school(path: str | Path | None) -> SchoolConfig:
    """Read a school.toml; without a path, the fictional sample school. Whatever the path
    points at, an error names the place (the key), never the file's lines."""
    if path is None:
        return SAMPLE_SCHOOL
    path = Path(path)
    try:
        data: Any = tomllib.loads(read_text(path, max_bytes=MAX_SCHOOL_BYTES))
    except FileProblem as exc:
        raise ConfigError(f"{path}: {exc.message}") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML: {inert(str(exc))[:200]}") from None
    bad_text = text_problems(data, multiline=False)
    if bad_text:
        raise ConfigError(f"{path}: {listed(bad_text)}")
    try:
        config = SchoolConfig.model_validate({**data, "source": path.resolve()})
    except ValidationError as exc:
        problems = listed([_problem(e) for e in exc.errors()])
        raise ConfigError(f"{path}: {problems}") from None
    folder = config.template_dir()
    problem = not_a_template_folder(folder) if folder is not None else None
    if problem is not None:
        raise ConfigError(f"{path}: documents.templates: {problem}")
    logo = config.school.logo
    if logo is not None:
        resolved = check_logo(logo, path)
        school = config.school.model_copy(update={"logo": resolved})
        config = config.model_copy(update={"school": school})
    return config


def _problem(error: Any) -> str:
    """One problem with a school.toml, in words; a misspelt key gets "did you mean". Keys and
    values from the file are quoted short (it may be any file: never echo its content)."""
    loc = [str(p) for p in error["loc"]]
    where = key_path(loc)
    if error["type"] == "extra_forbidden":
        model: Any = SchoolConfig
        for step in loc[:-1]:
            field = model.model_fields.get(step)
            model = field.annotation if field is not None else None
            if not (isinstance(model, type) and issubclass(model, BaseModel)):
                model = None
                break
        fields = model.model_fields if model else {}
        known = [f.alias or k for k, f in fields.items() if k != "source"]
        guess = difflib.get_close_matches(loc[-1], known, n=1)
        hint = f"; did you mean '{guess[0]}'?" if guess else f"; known keys: {', '.join(known)}"
        return f"'{where}' is not a setting docgen knows{hint}"
    return validation_problem(error)


def find_school(start: Path | None = None) -> Path | None:
    """The nearest ``school.toml`` in ``start`` (the current folder) or a folder above it, as
    git and ruff find their configuration."""
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        candidate = folder / FILE_NAME
        if candidate.is_file():
            return candidate
    return None


def check_logo(written: Path, school_file: Path) -> Path:
    """A logo both renderers can print: a real PNG, JPEG or GIF file, of a sane pixel size
    (measured from its header, before any decoding: a 20000x20000 image decodes to 1.6 GB).
    ``written`` is the path as school.toml gives it; returns it resolved."""
    logo = (school_file.parent / written).resolve()
    where = f"{school_file}: school.logo"
    if written.suffix.lower() not in LOGO_SUFFIXES:
        raise ConfigError(f"{where}: the logo must be a {', '.join(LOGO_SUFFIXES)} file.")
    try:
        data = read_regular(logo, max_bytes=MAX_LOGO_BYTES)
    except FileProblem as exc:
        if exc.too_large:
            raise ConfigError(f"{where}: the logo is larger than 2 MB; use a smaller image."
                              ) from None
        if "no such file" in exc.message:
            raise ConfigError(f"{where}: logo file {logo} does not exist.") from None
        raise ConfigError(f"{where}: the logo {logo} {exc.message}") from None
    # WeasyPrint, once imported, tells Pillow to accept truncated images for the whole
    # process: a damaged logo must be refused whether or not a PDF was made before.
    truncated_ok = ImageFile.LOAD_TRUNCATED_IMAGES
    ImageFile.LOAD_TRUNCATED_IMAGES = False
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data), formats=LOGO_FORMATS) as image:
                width, height = image.size
                if width > MAX_LOGO_SIDE or height > MAX_LOGO_SIDE:
                    raise ConfigError(
                        f"{where}: the logo is {width}x{height} pixels; at most "
                        f"{MAX_LOGO_SIDE}x{MAX_LOGO_SIDE} is used. Save it smaller (it prints "
                        "16 mm high: 600 pixels is plenty)."
                    )
                image.load()  # decodes it: a damaged image fails here, not while printing
    except ConfigError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise ConfigError(
            f"{where}: the logo {logo} has far more pixels than a logo needs; at most "
            f"{MAX_LOGO_SIDE}x{MAX_LOGO_SIDE} is used. Save it smaller (it prints 16 mm high: "
            "600 pixels is plenty)."
        ) from None
    except UnidentifiedImageError:
        raise ConfigError(f"{where}: {logo} is not a PNG, JPEG or GIF image; save the logo "
                          "as one of these.") from None
    except (OSError, ValueError, SyntaxError, EOFError) as exc:
        raise ConfigError(f"{where}: the image {logo} is damaged ({type(exc).__name__}); save "
                          "it again as PNG or JPEG.") from None
    finally:
        ImageFile.LOAD_TRUNCATED_IMAGES = truncated_ok
    return logo
