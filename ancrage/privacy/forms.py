from django import forms
from django.utils.translation import gettext_lazy as _


class ConfirmErasureForm(forms.Form):
    email = forms.CharField(label=_("Type the person's e-mail address to confirm"), max_length=320)

    def __init__(self, *args: object, expected: str, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.expected = expected.strip().lower()

    def clean_email(self) -> str:
        value = str(self.cleaned_data["email"]).strip().lower()
        if value != self.expected:
            raise forms.ValidationError(
                _("This is not the e-mail address of the person to erase; nothing was erased.")
            )
        return value
