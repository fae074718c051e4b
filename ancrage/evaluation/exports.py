"""Dashboard exports: CSV, XLSX (openpyxl) and PDF (WeasyPrint, same template as the page).

Each row says the figure's level and LTEM tier; hidden figures stay hidden ("< 5")."""

import csv
import io

from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from openpyxl import Workbook

from ancrage.engagement.pdf import html_to_pdf
from ancrage.evaluation.charts import section_charts
from ancrage.evaluation.queries import Dashboard

HEADER = ("scope", "figure", "level", "LTEM", "value", "unit", "people")


def _rows(board: Dashboard) -> list[tuple[str, str, str, str, str, str, str]]:
    rows = []
    for shown in board.rows():
        if shown.hidden:
            value, people = "< 5", "< 5"
        else:
            value = "" if shown.value is None else f"{shown.value:g}"
            people = str(shown.population)
        rows.append(
            (board.scope.title, shown.label, shown.level, shown.ltem, value, shown.unit, people)
        )
    return rows


def to_csv(board: Dashboard) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    writer.writerow([_(h) for h in HEADER])
    writer.writerows(_rows(board))
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def to_xlsx(board: Dashboard) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = _("Figures")[:31]
    sheet.append([_(h) for h in HEADER])
    for row in _rows(board):
        sheet.append(list(row))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def to_pdf(board: Dashboard) -> bytes:
    html = render_to_string(
        "evaluation/dashboard_pdf.html", {"board": board, "charts": section_charts(board)}
    )
    return html_to_pdf(html, stylesheets=["evaluation/evaluation.css"])
