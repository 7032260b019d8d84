"""The follow-up plan file: which certification steps an office takes its cohort through.

After the 2017 training, Kota Tangerang planned 2018 as packaging, then halal
certification, then trademark registration. A plan file names, per sector, the pathway
(steps by their registered codes, one after the other) and the day the plan starts:

>>> plan = followup_plan_from_toml('''
... [plan]
... starts = 2018-01-02
...
... [[pathways]]
... code = "tangerang-2018-food"
... sector = "kuliner"
... name = { id = "Tindak lanjut 2018: pangan", en = "2018 follow-up: food" }
... steps = ["packaging", "halal", "trademark"]
... ''')
>>> plan.starts, [k.code for k in plan.pathway_for("kuliner").steps]
(datetime.date(2018, 1, 2), ['packaging', 'halal', 'trademark'])
"""

from __future__ import annotations

import datetime as dt
import os
import tomllib
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import attrs

from umkm_core.errors import InvalidDocument, ValidationError
from umkm_core.followup import BUILTIN_STEP_KINDS, Pathway, StepKind
from umkm_core.limits import check_date, check_nesting
from umkm_core.text import Text

__all__ = [
    "PLAN_SCHEMA_VERSION",
    "FollowupPlan",
    "followup_plan_from_data",
    "followup_plan_from_toml",
    "load_followup_plan",
]


#: The version of the plan file format this module reads (the optional ``schema`` key).
PLAN_SCHEMA_VERSION = 1


@attrs.frozen(kw_only=True)
class FollowupPlan:
    """A follow-up plan: when it starts and a pathway per sector.

    :param starts: the day the plan starts (what can start on that day is planned).
    :param pathways: one pathway per sector.
    """

    starts: dt.date
    pathways: tuple[Pathway, ...]

    def pathway_for(self, sector: str) -> Pathway | None:
        """The plan's pathway for ``sector``, if it has one."""
        return next((p for p in self.pathways if p.sector == sector), None)


def _error(field: str, code: str, id: str, en: str, value: object = None) -> ValidationError:
    return ValidationError(code, field=field, value=value, id=id, en=en)


def _pathway(
    data: object, where: str, steps: Mapping[str, StepKind], errors: list[ValidationError]
) -> Pathway | None:
    if not isinstance(data, Mapping):
        errors.append(
            _error(where, "followup_plan.not_a_table", "Harus tabel.", "Must be a table.")
        )
        return None
    for key in data:
        if key not in ("code", "sector", "name", "steps"):
            errors.append(
                _error(
                    f"{where}.{key}",
                    "followup_plan.unknown_key",
                    f"Kunci '{key}' tidak dikenal (code, sector, name, steps).",
                    f"Unknown key '{key}' (code, sector, name, steps).",
                    key,
                )
            )
    code, sector, name, names = (
        data.get("code"),
        data.get("sector"),
        data.get("name"),
        data.get("steps"),
    )
    ok = True
    for key, value in (("code", code), ("sector", sector)):
        if not isinstance(value, str) or not value.strip():
            errors.append(
                _error(
                    f"{where}.{key}",
                    "followup_plan.missing",
                    f"'{key}' wajib diisi (teks).",
                    f"'{key}' is required (text).",
                )
            )
            ok = False
    text: Text | None = None
    if isinstance(name, Mapping) and isinstance(name.get("id"), str):
        text = Text(id=name["id"], en=str(name.get("en", name["id"])))
    elif isinstance(name, str):
        text = Text(id=name, en=name)
    else:
        text = Text(id=str(code), en=str(code))
    kinds: list[StepKind] = []
    if not isinstance(names, list) or not names:
        errors.append(
            _error(
                f"{where}.steps",
                "followup_plan.missing",
                "'steps' wajib berisi daftar kode langkah.",
                "'steps' must list step codes.",
            )
        )
        ok = False
    else:
        for i, step in enumerate(names):
            if not isinstance(step, str) or step not in steps:
                known = ", ".join(sorted(steps))
                errors.append(
                    _error(
                        f"{where}.steps[{i}]",
                        "followup_plan.unknown_step",
                        f"Langkah '{step}' tidak dikenal. Dikenal: {known}.",
                        f"Unknown step '{step}'. Known: {known}.",
                        step,
                    )
                )
                ok = False
            else:
                kinds.append(steps[step])
    if not ok:
        return None
    if not isinstance(code, str) or not isinstance(sector, str):
        return None
    try:
        return Pathway.chain(code=code, name=text, sector=sector, steps=kinds)
    except ValidationError as exc:  # PathwayError is one: duplicate steps, cycles
        errors.append(exc.at(where))
    return None


def followup_plan_from_data(
    data: Mapping[str, Any], *, steps: Iterable[StepKind] | None = None
) -> FollowupPlan:
    """Build a plan from parsed TOML.

    :param data: ``[plan] starts`` and ``[[pathways]]`` tables, optional ``schema = 1``.
    :param steps: the known step kinds (the plugin registry's); the built-ins by default.
    :returns: the plan.
    :raises InvalidDocument: every problem, with its key path.
    """
    known = {k.code: k for k in (steps if steps is not None else BUILTIN_STEP_KINDS)}
    errors: list[ValidationError] = []
    try:
        check_nesting(data, field="")
    except ValidationError as exc:
        raise InvalidDocument([exc]) from None
    schema = data.get("schema", PLAN_SCHEMA_VERSION)
    if type(schema) is not int or schema != PLAN_SCHEMA_VERSION:  # ``true == 1`` in Python
        errors.append(
            _error(
                "schema",
                "followup_plan.unsupported_schema",
                f"Versi format '{schema}' tidak didukung (yang didukung: {PLAN_SCHEMA_VERSION}).",
                f"Format version '{schema}' is not supported (supported: {PLAN_SCHEMA_VERSION}).",
                schema,
            )
        )
    for key in data:
        if key not in ("schema", "plan", "pathways"):
            errors.append(
                _error(
                    key,
                    "followup_plan.unknown_key",
                    f"Kunci '{key}' tidak dikenal (schema, plan, pathways).",
                    f"Unknown key '{key}' (schema, plan, pathways).",
                    key,
                )
            )
    head = data.get("plan")
    starts = head.get("starts") if isinstance(head, Mapping) else None
    if not isinstance(starts, dt.date) or isinstance(starts, dt.datetime):
        errors.append(
            _error(
                "plan.starts",
                "followup_plan.missing",
                "'plan.starts' wajib berupa tanggal (mis. 2018-01-02).",
                "'plan.starts' must be a date (e.g. 2018-01-02).",
            )
        )
    else:
        try:
            check_date(starts, field="plan.starts")
        except ValidationError as exc:
            errors.append(exc)
    items = data.get("pathways")
    pathways: list[Pathway] = []
    if not isinstance(items, list) or not items:
        errors.append(
            _error(
                "pathways",
                "followup_plan.no_pathways",
                "Rencana perlu minimal satu [[pathways]].",
                "A plan needs at least one [[pathways]].",
            )
        )
    else:
        for i, item in enumerate(items):
            pathway = _pathway(item, f"pathways[{i}]", known, errors)
            if pathway is not None:
                pathways.append(pathway)
    sectors = [p.sector for p in pathways]
    for i, sector in enumerate(sectors):
        if sector in sectors[:i]:
            errors.append(
                _error(
                    f"pathways[{i}].sector",
                    "followup_plan.duplicate_sector",
                    f"Sektor '{sector}' punya lebih dari satu jalur.",
                    f"Sector '{sector}' has more than one pathway.",
                )
            )
    if errors:
        raise InvalidDocument(errors)
    assert isinstance(starts, dt.date)
    return FollowupPlan(starts=starts, pathways=tuple(pathways))


def followup_plan_from_toml(
    text: str, *, source: str = "<toml>", steps: Iterable[StepKind] | None = None
) -> FollowupPlan:
    """Parse a plan file's text.

    :raises InvalidDocument: every problem, with ``field`` naming ``source``.
    """
    try:
        data = tomllib.loads(text)
    except RecursionError:
        # tomllib recurses per nesting level; deeper than a few hundred it runs out.
        error = _error(
            source,
            "document.too_deep",
            "Tabel dan daftar bersarang terlalu dalam.",
            "Tables and arrays are nested too deep.",
        )
        raise InvalidDocument([error], field=source) from None
    except tomllib.TOMLDecodeError as exc:
        error = _error(
            source,
            "followup_plan.bad_toml",
            f"Bukan TOML yang sah: {exc}.",
            f"Not valid TOML: {exc}.",
        )
        raise InvalidDocument([error], field=source) from None
    try:
        return followup_plan_from_data(data, steps=steps)
    except InvalidDocument as exc:
        raise InvalidDocument(exc.errors, field=source) from None


def load_followup_plan(
    path: str | os.PathLike[str], *, steps: Iterable[StepKind] | None = None
) -> FollowupPlan:
    """Read a follow-up plan file (UTF-8 TOML).

    :param path: the file.
    :param steps: the known step kinds; the built-ins by default.
    :returns: the plan.
    :raises InvalidDocument: every problem, with ``field`` naming the file;
        ``followup_plan.not_utf8`` for a file saved in another encoding.
    :raises OSError: the file cannot be read.
    """
    try:
        text = Path(path).read_text(encoding="utf-8")
    except UnicodeDecodeError:
        error = _error(
            str(path),
            "followup_plan.not_utf8",
            "Berkas rencana harus disimpan sebagai UTF-8.",
            "A plan file must be saved as UTF-8.",
        )
        raise InvalidDocument([error], field=str(path)) from None
    return followup_plan_from_toml(text, source=str(path), steps=steps)
