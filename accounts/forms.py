from django import forms

from accounts.devices import normalized


class CodeForm(forms.Form):
    """A code from the authenticator app or a backup code; the input is in code_field.html."""

    code = forms.CharField(max_length=24, error_messages={"required": "Please type the code."})

    def clean_code(self):
        code = normalized(self.cleaned_data["code"])
        if not code.isdigit():
            raise forms.ValidationError(
                "Codes are made of digits only. Please check and type it again.", code="digits"
            )
        return code
