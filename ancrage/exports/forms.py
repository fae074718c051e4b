"""The export form: what to export (a path, a module of it, or a programme), in which format."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from ancrage.catalog.models import PathVersion
from ancrage.exports.models import ExportFormat
from ancrage.licensing.models import Programme


class ExportForm(forms.Form):
    format = forms.ChoiceField(label=_("Format"), choices=ExportFormat.choices)
    target = forms.ChoiceField(
        label=_("What to export"),
        help_text=_("A whole path, one module of a path, or one of your programmes."),
    )
    report_xapi = forms.BooleanField(
        label=_("Also report learning records (xAPI) to Ancrage"),
        help_text=_(
            "Off by default. The package then checks your licence when it opens; if the "
            "licence ends, learners see a polite message and the LMS keeps working."
        ),
        required=False,
    )

    def __init__(
        self, *args: Any, versions: list[PathVersion], programmes: list[Programme], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        paths: list[tuple[str, str]] = []
        modules: list[tuple[str, str]] = []
        for version in versions:
            paths.append((f"path:{version.path.code}", version.title))
            for module in version.modules.all():
                modules.append(
                    (
                        f"module:{version.path.code}:{module.slug}",
                        f"{version.title} — {module.title}",
                    )
                )
        choices: list[Any] = [(_("Paths"), paths), (_("Modules"), modules)]
        if programmes:
            choices.append((_("Programmes"), [(f"programme:{p.pk}", p.title) for p in programmes]))
        target = self.fields["target"]
        assert isinstance(target, forms.ChoiceField)
        target.choices = choices

    def target_parts(self) -> dict[str, str]:
        kind, _sep, rest = self.cleaned_data["target"].partition(":")
        if kind == "programme":
            return {"programme_id": rest}
        code, _sep, module = rest.partition(":")
        return {"path_code": code, "module_slug": module}
