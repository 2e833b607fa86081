"""The base form: CSRF from Flask-WTF, WTForms' own messages in Dutch."""

from flask_wtf import FlaskForm


class BaseForm(FlaskForm):
    class Meta:
        locales = ("nl_NL", "nl")

    def add_error(self, field_name: str | None, message: str) -> None:
        """Attach a service's message to a field (or to the form when no field fits)."""
        field = getattr(self, field_name, None) if field_name else None
        if field is not None:
            field.errors = [*field.errors, message]
        else:
            self.form_errors.append(message)
