"""Read a people CSV (email, name, team, manager email, role) into rows, or a per-line report.

This module only reads the file: encoding (UTF-8 with or without BOM, else Windows-1252 as
Excel's French "CSV (séparateur : point-virgule)" export writes it), delimiter (`,` or `;`),
the header (English or French column names), and each line's own values. Checks that need
the database (teams, managers, people of other organisations) are made by
`actions.import_invitations_csv`, which imports nothing unless every line is right.
"""

import csv
import io
import re
import unicodedata
from dataclasses import dataclass, field
from enum import StrEnum

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from ancrage.tenancy.models import Role

MAX_BYTES = 2 * 1024 * 1024
MAX_ROWS = 5000
MAX_NAME_LENGTH = 150
FILE = "file"  # the `column` of errors about the whole file


class Column(StrEnum):
    EMAIL = "email"
    NAME = "name"
    TEAM = "team"
    MANAGER_EMAIL = "manager email"
    ROLE = "role"


REQUIRED_COLUMNS = (Column.EMAIL, Column.NAME)


def normalise(text: str) -> str:
    """Lower case, no accents, `_`/`-` as spaces, single spaces: for matching names people type."""
    decomposed = unicodedata.normalize("NFKD", text)
    bare = "".join(char for char in decomposed if not unicodedata.combining(char))
    bare = bare.casefold().replace("_", " ").replace("-", " ").replace("’", "'")
    return " ".join(bare.split())


_HEADER_ALIASES: dict[Column, tuple[str, ...]] = {
    Column.EMAIL: (
        "email",
        "e-mail",
        "mail",
        "courriel",
        "adresse email",
        "adresse e-mail",
        "adresse mail",
        "adresse électronique",
        "email address",
    ),
    Column.NAME: ("name", "full name", "nom", "nom complet", "prénom nom", "nom prénom"),
    Column.TEAM: ("team", "équipe", "team path", "chemin de l'équipe"),
    Column.MANAGER_EMAIL: (
        "manager email",
        "manager e-mail",
        "manager's email",
        "manager",
        "email du manager",
        "e-mail du manager",
        "courriel du manager",
        "email manager",
        "e-mail manager",
    ),
    Column.ROLE: ("role", "rôle"),
}
HEADERS: dict[str, Column] = {
    normalise(alias): column for column, aliases in _HEADER_ALIASES.items() for alias in aliases
}

_ROLE_ALIASES: dict[str, tuple[str, ...]] = {
    Role.LEARNER: ("learner", "collaborateur", "collaboratrice", "apprenant", "apprenante"),
    Role.MANAGER: ("manager", "manageur", "manageuse"),
    Role.LD_LEAD: (
        "ld_lead",
        "l&d lead",
        "l & d lead",
        "learning and development lead",
        "responsable formation",
        "responsable de formation",
        "responsable de la formation",
    ),
    Role.ORG_ADMIN: (
        "org_admin",
        "organisation admin",
        "organization admin",
        "organisation administrator",
        "organization administrator",
        "admin",
        "administrateur",
        "administratrice",
        "administrateur de l'organisation",
        "administratrice de l'organisation",
    ),
}
ROLES: dict[str, str] = {
    normalise(alias): role for role, aliases in _ROLE_ALIASES.items() for alias in aliases
}


def parse_role(value: str) -> str | None:
    """The Role code for a code or an English/French label (any case or accents), or None."""
    key = normalise(value)
    if key in ROLES:
        return ROLES[key]
    for code, label in Role.choices:  # labels in the active language, whatever it is
        if key in (normalise(code), normalise(str(label))):
            return str(code)
    return None


@dataclass(frozen=True)
class LineError:
    """One problem: `line` is None for the whole file; `label` is the column as the file names it."""

    line: int | None
    column: str
    code: str
    message: str
    label: str = ""

    @property
    def column_label(self) -> str:
        return self.label or self.column

    def as_cli(self, path: str) -> str:
        where = f"{path}:{self.line}" if self.line is not None else path
        return f"{where}: {self.column_label}: {self.message}"


@dataclass(frozen=True)
class CsvRow:
    """One line of the file, cleaned. team, manager_email, role: None when the column is absent."""

    line: int
    email: str
    name: str
    team: str | None
    manager_email: str | None
    role: str | None


@dataclass
class ParsedCsv:
    rows: list[CsvRow] = field(default_factory=list)
    errors: list[LineError] = field(default_factory=list)
    labels: dict[Column, str] = field(default_factory=dict)
    # Every well-formed email of the file, even on lines with other problems: a manager
    # named on one line and listed on a bad line is not reported as unknown as well.
    emails: set[str] = field(default_factory=set)
    fatal: bool = False  # the file as a whole cannot be read: no line was checked

    def fail(self, line: int | None, code: str, message: str) -> "ParsedCsv":
        self.error(line, FILE, code, message)
        self.fatal = True
        return self

    def error(self, line: int | None, column: str, code: str, message: str) -> None:
        label = self.labels.get(Column(column), column) if column in Column else column
        self.errors.append(LineError(line, column, code, message, label))


# A UTF-8 encoded Latin letter (é = C3 A9…): in a file that is not valid UTF-8 it means the
# file mixes encodings, and reading it as Windows-1252 would silently garble names.
_UTF8_LATIN = re.compile(rb"[\xc2-\xc5][\x80-\xbf]")


def decode(data: bytes, report: ParsedCsv) -> str | None:
    if b"\x00" in data:
        report.error(
            None,
            FILE,
            "bad_encoding",
            _(
                "This is not a text CSV file (it may be an Excel workbook or UTF-16 text). "
                "In Excel, use “Save as” and choose “CSV UTF-8” or “CSV (semicolon delimited)”."
            ),
        )
        return None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as utf8_error:
        mixed = _UTF8_LATIN.search(data) is not None
        bad_at = utf8_error.start
    if not mixed:
        try:
            return data.decode("cp1252")
        except UnicodeDecodeError as cp1252_error:
            bad_at = cp1252_error.start
    line = data.count(b"\n", 0, bad_at) + 1
    report.error(
        line,
        FILE,
        "bad_encoding",
        _(
            "This line contains characters that are neither UTF-8 nor Windows (Excel) text, "
            "or the file mixes both. Save the file again as “CSV UTF-8” and retry."
        ),
    )
    return None


def sniff_delimiter(text: str) -> str:
    first_line = next((line for line in text.splitlines() if line.strip()), "")
    counts = {delimiter: first_line.count(delimiter) for delimiter in (";", ",", "\t")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] > counts[","] else ","


def _read_header(cells: list[str], report: ParsedCsv) -> dict[int, Column] | None:
    columns: dict[int, Column] = {}
    unknown: list[str] = []
    for index, cell in enumerate(cells):
        name = cell.strip().lstrip("\ufeff")
        if not name:
            continue
        column = HEADERS.get(normalise(name))
        if column is None:
            unknown.append(name)
        elif column in report.labels:
            report.error(
                1,
                column,
                "duplicate_column",
                _("The column “%(name)s” appears twice in the header line.") % {"name": name},
            )
        else:
            columns[index] = column
            report.labels[column] = name
    expected = ", ".join(str(column) for column in Column)
    missing = [column for column in REQUIRED_COLUMNS if column not in report.labels]
    if missing and any("@" in cell for cell in cells):
        report.error(
            1,
            FILE,
            "missing_header",
            _("The first line must be a header naming the columns (%(columns)s).")
            % {"columns": expected},
        )
        return None
    for name in unknown:
        report.error(
            1,
            FILE,
            "unknown_column",
            _("Unknown column “%(name)s”. Expected columns: %(columns)s.")
            % {"name": name, "columns": expected},
        )
    for column in missing:
        report.error(
            1,
            column,
            "missing_header",
            _("The header line has no “%(column)s” column. Expected columns: %(columns)s.")
            % {"column": column, "columns": expected},
        )
    return None if report.errors else columns


def _valid_email(value: str) -> bool:
    try:
        validate_email(value)
    except ValidationError:
        return False
    return True


def _read_row(line: int, values: dict[Column, str], report: ParsedCsv) -> CsvRow:
    """The line's values, cleaned; its problems go to the report (bad values become blank)."""
    email = values.get(Column.EMAIL, "").strip().lower()
    name = " ".join(values.get(Column.NAME, "").split())
    if not email:
        report.error(line, Column.EMAIL, "missing_field", _("The email address is missing."))
    elif not _valid_email(email):
        report.error(
            line,
            Column.EMAIL,
            "invalid_email",
            _("“%(value)s” is not a valid email address.") % {"value": email},
        )
    else:
        report.emails.add(email)
    if not name:
        report.error(line, Column.NAME, "missing_field", _("The name is missing."))
    elif len(name) > MAX_NAME_LENGTH:
        report.error(
            line,
            Column.NAME,
            "too_long",
            _("The name is longer than %(max)d characters.") % {"max": MAX_NAME_LENGTH},
        )
    manager_email = None
    if Column.MANAGER_EMAIL in report.labels:
        manager_email = values.get(Column.MANAGER_EMAIL, "").strip().lower()
        if manager_email and not _valid_email(manager_email):
            report.error(
                line,
                Column.MANAGER_EMAIL,
                "invalid_email",
                _("“%(value)s” is not a valid email address.") % {"value": manager_email},
            )
            manager_email = ""
        elif manager_email and manager_email == email:
            report.error(
                line,
                Column.MANAGER_EMAIL,
                "own_manager",
                _("A person cannot be their own manager."),
            )
    role = None
    if Column.ROLE in report.labels:
        raw_role = values.get(Column.ROLE, "").strip()
        role = parse_role(raw_role) if raw_role else None
        if raw_role and role is None:
            report.error(
                line,
                Column.ROLE,
                "bad_role",
                _(
                    "Unknown role “%(value)s”. Use learner, manager, L&D lead or "
                    "organisation admin (or their codes: %(codes)s)."
                )
                % {"value": raw_role, "codes": ", ".join(Role.values)},
            )
    team = values.get(Column.TEAM, "").strip() if Column.TEAM in report.labels else None
    return CsvRow(line, email, name, team, manager_email, role)


def parse_people_csv(data: bytes) -> ParsedCsv:
    """Every line as a row, and every problem found; rows are importable only without errors."""
    report = ParsedCsv()
    if len(data) > MAX_BYTES:
        return report.fail(
            None,
            "file_too_large",
            _("The file is larger than %(size)s MB; split it into several files.")
            % {"size": MAX_BYTES // (1024 * 1024)},
        )
    text = decode(data, report)
    if text is None:
        report.fatal = True
        return report
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=sniff_delimiter(text))
    columns: dict[int, Column] | None = None
    first_lines: dict[str, int] = {}
    row_count = 0
    width = 0
    next_line = 1
    try:
        for cells in reader:
            line, next_line = next_line, reader.line_num + 1
            if not any(cell.strip() for cell in cells):
                continue
            if columns is None:
                columns = _read_header(cells, report)
                if columns is None:
                    report.fatal = True
                    return report
                width = len(cells)
                continue
            row_count += 1
            if row_count > MAX_ROWS:
                continue  # keep counting for the message, check nothing more
            if any(cell.strip() for cell in cells[width:]):
                report.error(
                    line,
                    FILE,
                    "extra_values",
                    _("This line has more values than the header has columns."),
                )
            values = {
                column: cells[index] for index, column in columns.items() if index < len(cells)
            }
            row = _read_row(line, values, report)
            if row.email in first_lines:
                report.error(
                    line,
                    Column.EMAIL,
                    "duplicate_email",
                    _("%(email)s already appears on line %(line)d.")
                    % {"email": row.email, "line": first_lines[row.email]},
                )
            elif row.email:
                first_lines[row.email] = line
            # Lines with problems are kept too, so that the database checks report all of
            # a line's problems at once; nothing is imported while any error remains.
            report.rows.append(row)
    except csv.Error:
        return report.fail(
            next_line, "malformed", _("This line cannot be read as CSV; check its quotation marks.")
        )
    if columns is None:
        return report.fail(
            None, "empty", _("The file is empty: it needs a header line and one line per person.")
        )
    if row_count > MAX_ROWS:
        report.errors, report.rows = [], []
        return report.fail(
            None,
            "too_many_rows",
            _("The file has %(count)s people; the limit is %(max)s per file. Split it.")
            % {
                "count": number_format(row_count, force_grouping=True),
                "max": number_format(MAX_ROWS, force_grouping=True),
            },
        )
    if row_count == 0:
        return report.fail(None, "empty", _("The file has a header line but nobody in it."))
    return report
