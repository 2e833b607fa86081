"""The Jinja sandbox document templates render in: plain data only, bounded work.

An uploaded template is untrusted code. It may read attributes of plain data only
(dict, list, tuple, str, numbers, dates, the loop, a namespace; never a method that
could change anything), call only a short list of harmless methods, its own macros
and `range`/`dict`/`namespace`, and use a reviewed list of filters. Every render has a
budget: loop iterations and calls, characters written, characters made (by `~`, `+`,
filters) and wall time; going over it stops the render with a TemplateLimit.
"""

from __future__ import annotations

import datetime
import functools
import re
import time
from collections.abc import Iterable, Mapping
from typing import Any

from jinja2 import StrictUndefined, nodes, pass_context
from jinja2.exceptions import SecurityError
from jinja2.runtime import LoopContext, Macro
from jinja2.sandbox import ImmutableSandboxedEnvironment
from jinja2.utils import Namespace

MAX_RANGE = 10_000  # longest range() a template may make
MAX_STEPS = 200_000  # loop iterations + calls + filter uses of one render
MAX_VALUE = 1_000_000  # longest string or list one expression may make
MAX_MADE = 20_000_000  # characters all expressions of one render may make together
MAX_OUTPUT = 50_000_000  # characters one render may write (every part of the document)
MAX_SECONDS = 15.0  # wall time of one render
MAX_INT_BITS = 4096  # largest number a template may compute

_AUTOESCAPE_TAG = re.compile(r"{%[-+]?\s*(?:end)?autoescape\b")

PLAIN_SCALARS = (str, bool, int, float, type(None), datetime.date)
SAFE_ATTRIBUTES: dict[type, frozenset[str]] = {
    str: frozenset(
        [
            "capitalize",
            "casefold",
            "count",
            "endswith",
            "find",
            "isalnum",
            "isalpha",
            "isdecimal",
            "isdigit",
            "islower",
            "isnumeric",
            "isspace",
            "istitle",
            "isupper",
            "lower",
            "lstrip",
            "rfind",
            "rsplit",
            "rstrip",
            "split",
            "splitlines",
            "startswith",
            "strip",
            "swapcase",
            "title",
            "upper",
        ]
    ),
    dict: frozenset({"get", "items", "keys", "values"}),
    list: frozenset({"count", "index"}),
    tuple: frozenset({"count", "index"}),
    datetime.date: frozenset({"day", "isoformat", "month", "weekday", "year"}),
    LoopContext: frozenset(
        [
            "changed",
            "cycle",
            "depth",
            "depth0",
            "first",
            "index",
            "index0",
            "last",
            "length",
            "nextitem",
            "previtem",
            "revindex",
            "revindex0",
        ]
    ),
}
# Jinja's filters a template may use; join and replace are replaced by bounded ones below.
SAFE_FILTERS = frozenset(
    [
        "abs",
        "attr",
        "batch",
        "capitalize",
        "count",
        "d",
        "default",
        "dictsort",
        "e",
        "escape",
        "first",
        "float",
        "groupby",
        "int",
        "items",
        "join",
        "last",
        "length",
        "list",
        "lower",
        "map",
        "max",
        "min",
        "reject",
        "rejectattr",
        "replace",
        "reverse",
        "round",
        "select",
        "selectattr",
        "slice",
        "sort",
        "string",
        "title",
        "trim",
        "truncate",
        "unique",
        "upper",
        "wordcount",
    ]
)


class TemplateLimit(SecurityError):
    """A template did more work than a document needs; the message (Dutch) says which."""


def bounded_range(*args: int) -> range:
    """range(), at most MAX_RANGE numbers."""
    numbers = range(*args)
    if len(numbers) > MAX_RANGE:
        raise TemplateLimit(f"range() mag hoogstens {_dutch(MAX_RANGE)} getallen maken")
    return numbers


def _dutch(number: int) -> str:
    return f"{number:,}".replace(",", ".")


class Budget:
    """What one render may still do; every check also looks at the clock."""

    def __init__(self, seconds: float = MAX_SECONDS) -> None:
        self.deadline = time.monotonic() + seconds
        self.seconds = seconds
        self.steps = self.made = self.output = 0

    def step(self, count: int = 1) -> None:
        self.steps += count
        if self.steps > MAX_STEPS:
            raise TemplateLimit(
                f"meer dan {_dutch(MAX_STEPS)} herhalingen of aanroepen (lussen te groot)"
            )
        if time.monotonic() > self.deadline:
            raise TemplateLimit(f"het maken duurde langer dan {self.seconds:g} seconden")

    def write(self, characters: int) -> None:
        self.output += characters
        if self.output > MAX_OUTPUT:
            raise TemplateLimit(f"het document wordt groter dan {_dutch(MAX_OUTPUT)} tekens")

    def make(self, value: Any) -> Any:
        """Count a value an expression made; refuse it when it is too large."""
        size = weight(value)
        if size > MAX_VALUE:
            raise TemplateLimit(f"een waarde van meer dan {_dutch(MAX_VALUE)} tekens of elementen")
        if isinstance(value, int) and value.bit_length() > MAX_INT_BITS:
            raise TemplateLimit("een getal dat te groot is")
        self.made += size
        if self.made > MAX_MADE:
            raise TemplateLimit(f"samen meer dan {_dutch(MAX_MADE)} tekens gemaakt")
        return value


def weight(value: Any, limit: int = MAX_VALUE) -> int:
    """About the characters a value becomes as text; stops counting past the limit."""
    if isinstance(value, str):
        return len(value)
    if isinstance(value, Mapping):
        value = [*value.keys(), *value.values()]
    if isinstance(value, list | tuple):
        total = len(value)
        for item in value:
            if total > limit:
                break
            total += weight(item, limit - total)
        return total
    return 0


def _static_length(body: list[nodes.Node]) -> int:
    """The characters of template text a loop or macro body writes each time it runs."""
    total = 0
    for node in body:
        for data in node.find_all(nodes.TemplateData):
            total += len(data.data)
        if isinstance(node, nodes.TemplateData):
            total += len(node.data)
    return total


def _charge(body: list[nodes.Node], lineno: int) -> nodes.Output:
    cost = nodes.Const(_static_length(body))
    call = nodes.Filter(nodes.Const(""), "pia_charge", [cost], [], None, None, lineno=lineno)
    return nodes.Output([call], lineno=lineno)


def _sized(expression: nodes.Expr) -> nodes.Filter:
    return nodes.Filter(expression, "pia_sized", [], [], None, None, lineno=expression.lineno)


class DocumentSandbox(ImmutableSandboxedEnvironment):
    """The sandbox: allowlisted attributes and calls, bounded operators, a work budget."""

    intercepted_binops = frozenset({"+", "-", "*", "/", "//", "%", "**"})

    def __init__(self, budget: Budget) -> None:
        super().__init__(autoescape=True, undefined=StrictUndefined, finalize=self._written)
        self.budget = budget
        self.globals.clear()
        self.globals.update(range=bounded_range, dict=dict, namespace=Namespace)
        self.filters = {
            name: self._bounded(function)
            for name, function in self.filters.items()
            if name in SAFE_FILTERS
        }
        self.filters.update(
            join=self._bounded(self._join),
            replace=self._bounded(self._replace),
            pia_charge=self._charge_filter(),
            pia_sized=budget.make,
            pia_step=self._step_filter(),
        )

    # --- what a template may reach --------------------------------------------------

    def is_safe_attribute(self, obj: Any, attr: str, value: Any) -> bool:
        if attr.startswith("_") or not super().is_safe_attribute(obj, attr, value):
            return False
        if isinstance(obj, Namespace):
            return True
        return any(
            isinstance(obj, kind) and attr in names for kind, names in SAFE_ATTRIBUTES.items()
        )

    def is_safe_callable(self, obj: Any) -> bool:
        if not super().is_safe_callable(obj):
            return False
        if isinstance(obj, Macro) or obj in (bounded_range, dict, Namespace):
            return True
        owner = getattr(obj, "__self__", None)
        name = getattr(obj, "__name__", "")
        return any(
            type(owner) is not type and isinstance(owner, kind) and name in names
            for kind, names in SAFE_ATTRIBUTES.items()
        )

    def wrap_str_format(self, value: Any) -> None:
        return None  # str.format is not on the list: its widths make strings of any size

    def call(__self, __context, __obj, *args, **kwargs):  # noqa: N805 - Jinja's signature
        __self.budget.step()
        return __self.budget.make(super().call(__context, __obj, *args, **kwargs))

    def call_binop(self, context, operator: str, left: Any, right: Any) -> Any:
        self.budget.step()
        if operator == "%" and isinstance(left, str):
            raise SecurityError("tekst opmaken met % is niet toegestaan in een sjabloon")
        numbers = isinstance(left, int | float) and isinstance(right, int | float)
        if (
            operator == "**"
            and numbers
            and (
                abs(right) > 64
                or (isinstance(left, int) and left.bit_length() * abs(right) > MAX_INT_BITS)
            )
        ):
            raise TemplateLimit("een getal dat te groot is")
        for seq, times in ((left, right), (right, left)):
            if (
                operator == "*"
                and isinstance(seq, str | list | tuple)
                and isinstance(times, int)
                and len(seq) * times > MAX_VALUE
            ):
                raise TemplateLimit(
                    f"een waarde van meer dan {_dutch(MAX_VALUE)} tekens of elementen"
                )
        return self.budget.make(super().call_binop(context, operator, left, right))

    # --- the budget -----------------------------------------------------------------

    def preprocess(self, source: str, name: str | None = None, filename: str | None = None):
        if _AUTOESCAPE_TAG.search(source):
            raise SecurityError("the autoescape tag is not allowed in document templates")
        return super().preprocess(source, name, filename)

    def _generate(self, source: nodes.Template, name, filename, defer_init: bool = False):
        """Before compiling: each loop and macro body pays for every run; `~` is measured."""
        for node in source.find_all((nodes.For, nodes.Macro, nodes.CallBlock)):
            node.body.insert(0, _charge(node.body, node.lineno))
            if isinstance(node, nodes.For) and node.test is not None:
                node.test = nodes.Filter(node.test, "pia_step", [], [], None, None)
        for parent in list(source.find_all(nodes.Node)):
            for field, value in parent.iter_fields():
                if isinstance(value, nodes.Concat):
                    setattr(parent, field, _sized(value))
                elif isinstance(value, list):
                    value[:] = [_sized(v) if isinstance(v, nodes.Concat) else v for v in value]
        return super()._generate(source, name, filename, defer_init=defer_init)

    def _written(self, value: Any) -> Any:
        self.budget.write(weight(value) + 1)
        return value

    def _charge_filter(self):
        budget = self.budget

        @pass_context
        def charge(context, value: str, cost: int) -> str:  # pass_context: never folded
            budget.step()
            if isinstance(cost, int) and cost > 0:
                budget.write(cost)
            return value

        return charge

    def _step_filter(self):
        budget = self.budget

        @pass_context
        def step(context, value: Any) -> Any:  # a loop's `if` runs for every item
            budget.step()
            return value

        return step

    def _bounded(self, function):
        budget = self.budget

        @functools.wraps(function)
        def bounded(*args, **kwargs):
            budget.step()
            for argument in (*args, *kwargs.values()):
                if isinstance(argument, int) and not isinstance(argument, bool):
                    if abs(argument) > MAX_VALUE:
                        raise TemplateLimit("een getal dat te groot is")
                elif weight(argument) > MAX_VALUE:
                    raise TemplateLimit(
                        f"een waarde van meer dan {_dutch(MAX_VALUE)} tekens of elementen"
                    )
            return budget.make(function(*args, **kwargs))

        return bounded

    def _join(self, value: Iterable[Any], d: str = "", attribute: Any = None) -> str:
        """Jinja's join, counting the result before making it."""
        from jinja2.filters import sync_do_join
        from jinja2.runtime import EvalContext

        items = list(value)
        if attribute is not None:
            items = [self.getitem(item, attribute) for item in items]
        size = len(str(d)) * max(len(items) - 1, 0)
        for item in items:
            if size > MAX_VALUE:
                break
            size += weight(item) if isinstance(item, list | tuple | Mapping) else len(str(item))
        if size > MAX_VALUE:
            raise TemplateLimit(f"een waarde van meer dan {_dutch(MAX_VALUE)} tekens")
        return sync_do_join(EvalContext(self), items, d)

    def _replace(self, value: str, old: str, new: str, count: int | None = None) -> str:
        """Jinja's replace, counting the result before making it."""
        text, old, new = str(value), str(old), str(new)
        times = text.count(old) if old else len(text) + 1
        if count is not None:
            times = min(times, count)
        if len(text) + times * len(new) > MAX_VALUE:
            raise TemplateLimit(f"een waarde van meer dan {_dutch(MAX_VALUE)} tekens")
        from jinja2.filters import do_replace
        from jinja2.runtime import EvalContext

        return do_replace(EvalContext(self), value, old, new, -1 if count is None else count)


def plain(value: Any) -> bool:
    """True for the data a template may be given: plain values, containers of them."""
    if isinstance(value, PLAIN_SCALARS):
        return True
    if isinstance(value, Mapping):
        return type(value) is dict and all(
            isinstance(k, str) and plain(v) for k, v in value.items()
        )
    if isinstance(value, list | tuple):
        return type(value) in (list, tuple) and all(plain(v) for v in value)
    return False
