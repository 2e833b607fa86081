"""The definition parser: YAML mapping -> Definition, with clear errors."""

from forms.parsing.definition import Parser

__all__ = ["Parser"]
