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


def error_items(form) -> list[tuple[str, str, str]]:
    """Every field error as (field id, label, message), nested rows and groups included."""
    from wtforms.fields import FieldList, FormField

    items: list[tuple[str, str, str]] = []

    def walk(f, prefix: str) -> None:
        for field in f:
            if field.type == "CSRFTokenField":
                continue
            label = f"{prefix}{field.label.text}" if field.label else prefix
            if isinstance(field, FieldList):
                own = [e for e in field.errors if isinstance(e, str)]
                items.extend((field.id, label, message) for message in own)
                for number, entry in enumerate(field.entries, start=1):
                    walk(entry.form, f"{label}, regel {number}: ")
            elif isinstance(field, FormField):
                walk(field.form, prefix)
            else:
                items.extend((field.id, label, m) for m in field.errors if isinstance(m, str))

    walk(form, "")
    return items
