"""Every error code a service can raise has a message in both languages, with every placeholder
filled by the parameters given where it is raised (issue 7: "Filen er for stor (maks {max_mb} MB)."
reached a patient unfilled).

The raise sites are read from the source (every call of a PortalError class under functions/), so
a new code without its texts, or a placeholder its raise site does not fill, fails here."""
from __future__ import annotations

import ast
import importlib
import inspect
import string
from pathlib import Path

import pytest

from functions.core import errors, messages, web

ROOT = Path(__file__).resolve().parents[2]
ERROR_CLASSES = {name: cls for name, cls in vars(errors).items()
                 if inspect.isclass(cls) and issubclass(cls, errors.PortalError)}
NOT_ARGUMENTS = {"field", "extra"}


def _load_every_catalog() -> None:
    for path in (ROOT / "functions").rglob("texts.py"):
        importlib.import_module(".".join(path.relative_to(ROOT).with_suffix("").parts))


def _returned_codes(trees: list[ast.Module]) -> dict[str, list[str]]:
    """function name -> the string constants it returns (codes chosen by a rule, e.g. cancel_refusal)."""
    found: dict[str, list[str]] = {}
    for tree in trees:
        for fn in ast.walk(tree):
            if isinstance(fn, ast.FunctionDef):
                found[fn.name] = [r.value.value for r in ast.walk(fn) if isinstance(r, ast.Return)
                                  and isinstance(r.value, ast.Constant) and isinstance(r.value.value, str)]
    return found


def _assigned_from(scope: ast.AST, name: str) -> str | None:
    """The function whose result `name = f(...)` holds in this scope."""
    for node in ast.walk(scope):
        if isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == name for t in node.targets) \
                and isinstance(node.value, ast.Call):
            func = node.value.func
            return func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", None)
    return None


def _codes(node: ast.expr | None, default: str, scope: ast.AST, returned: dict[str, list[str]]) -> list[str] | None:
    """The codes an argument can be: a constant, either branch of `a if c else b`, or what the rule
    it was computed by returns; None if unknown."""
    if node is None:
        return [default]
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, ast.IfExp):
        a, b = _codes(node.body, default, scope, returned), _codes(node.orelse, default, scope, returned)
        return None if a is None or b is None else a + b
    if isinstance(node, ast.Name):
        return returned.get(_assigned_from(scope, node.id) or "") or None
    return None


def raise_sites() -> list[tuple[str, str, frozenset[str]]]:
    """(where, code, parameter names) for every construction of a PortalError class."""
    paths = sorted((ROOT / "functions").rglob("*.py"))
    trees = [ast.parse(path.read_text(encoding="utf-8")) for path in paths]
    returned = _returned_codes(trees)
    sites = []
    for path, tree in zip(paths, trees, strict=True):
        for scope in [n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef)]:
            for node in ast.walk(scope):
                if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
                        and node.func.id in ERROR_CLASSES):
                    continue
                if any(k.arg is None for k in node.keywords):  # **params: the platform's own (tested below)
                    continue
                where = f"{path.relative_to(ROOT)}:{node.lineno}"
                first = node.args[0] if node.args else next((k.value for k in node.keywords if k.arg == "code"), None)
                codes = _codes(first, ERROR_CLASSES[node.func.id].code, scope, returned)
                assert codes is not None, f"{where}: the error code must be written out, or returned by a rule"
                params = frozenset(k.arg for k in node.keywords if k.arg not in NOT_ARGUMENTS | {"code"})
                sites += [(where, code, params) for code in codes]
    return sorted(set(sites))


def placeholders(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


SITES = raise_sites()


def test_the_source_is_read_and_holds_the_raise_sites_we_know():
    codes = {code for _, code, _ in SITES}
    assert {"too_large", "invalid_characters", "date_out_of_range", "too_deep", "request_too_large",
            "slot_taken", "too_many_bookings", "invalid_range"} <= codes


@pytest.mark.parametrize(("where", "code", "params"), SITES, ids=[f"{w} {c}" for w, c, _ in SITES])
def test_every_raised_code_has_both_languages_and_its_placeholders_filled(where, code, params):
    _load_every_catalog()
    texts = messages._CATALOG.get(code)
    assert texts is not None, f"{where}: no message for {code!r}"
    for lang in messages.LANGUAGES:
        assert texts.get(lang), f"{where}: no {lang} text for {code!r}"
        missing = placeholders(texts[lang]) - params
        assert not missing, f"{where}: {code!r} in {lang} needs {sorted(missing)} where it is raised"
        assert "{" not in messages.text(code, lang, **{p: 1 for p in params})


def test_codes_the_platform_answers_itself_have_both_languages_without_placeholders_but_too_large():
    _load_every_catalog()
    for code in {*web._HTTP_CODES.values(), "busy", "internal"}:
        for lang in messages.LANGUAGES:
            template = messages._CATALOG[code][lang]
            assert placeholders(template) <= {"max_mb"}, (code, lang)
