"""Programme files: a programme, its waves, sessions and rules, written in TOML.

An office describes a programme in a small text file it can keep next to its roster
and review like a letter. Rules are named by their registered names (see
:mod:`umkm_core.rules` and plugins' ``umkm_rules``) with their parameters. Every problem
in the file is reported at once, each with the key path (``waves[1].end``), a code and
a message in Indonesian and English.

>>> program = program_from_toml('''
... [program]
... id = "tng-2017"
... title = "Pengembangan Produk Unggulan Daerah"
... office_id = "dinkopukm-3671"
... year = 2017
... kind = "training"
...
... [[waves]]
... number = 1
... sector = "kuliner"
... start = 2017-12-19
... end = 2017-12-20
... seats = 80
... daily = { from = 09:00:00, to = 15:00:00 }
...
... [[rules]]
... rule = "coached_by"
... office_id = "dinkopukm-3671"
... ''')
>>> program.seats, [s.day.day for s in program.waves[0].sessions]
(80, [19, 20])

It is longer than 500 lines on purpose: one reader of one file format, whose checks
of every table share one collector of problems (every problem is reported at once).
"""

from __future__ import annotations

import datetime as dt
import os
import tomllib
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any, Final, TypeVar

import attrs

from umkm_core.allocation.policy import Policy, policy_from_data
from umkm_core.errors import InvalidDocument, ValidationError
from umkm_core.limits import check_date, check_nesting
from umkm_core.model.identifiers import RegionCode
from umkm_core.model.program import DEFAULT_TIME_ZONE, Program, ProgramKind, Session, Venue, Wave
from umkm_core.rules.base import Rule, RuleFactory
from umkm_core.rules.certification import HoldsCertificate, LacksCertificate
from umkm_core.rules.registry import rule_from_data

__all__ = [
    "SCHEMA_VERSION",
    "ProgramFile",
    "load_program",
    "load_program_file",
    "parse_program_file",
    "program_file_from_data",
    "program_from_data",
    "program_from_toml",
    "read_program_text",
]

#: The version of the file format this module reads (the optional ``schema`` key).
SCHEMA_VERSION: Final = 1

_T = TypeVar("_T")


@attrs.frozen(kw_only=True)
class ProgramFile:
    """A programme file's content: the programme and how to allocate its seats.

    :param program: the programme.
    :param policy: the declared allocation policy (``[allocation] policy``), if any.
    :param as_of: the date rules are judged on (``[allocation] as_of``), if given.
    """

    program: Program
    policy: Policy | None = None
    as_of: dt.date | None = None


_KIND_WORDS: Final[dict[str, ProgramKind]] = {
    **{k.value: k for k in ProgramKind},
    "pelatihan": ProgramKind.TRAINING,
    "pembinaan": ProgramKind.COACHING,
    "pendampingan": ProgramKind.MENTORING,
    "kemitraan": ProgramKind.PARTNERSHIP,
}


class _Collector:
    """Reads values out of the parsed TOML, collecting every problem with its path."""

    def __init__(self) -> None:
        self.errors: list[ValidationError] = []

    def add(self, path: str, code: str, *, id: str, en: str, value: object = None) -> None:
        self.errors.append(ValidationError(code, field=path, value=value, id=id, en=en))

    def model_error(self, path: str, error: ValidationError) -> None:
        self.errors.append(error.at(path) if path else error)

    def table(self, data: Mapping[str, Any], key: str, path: str) -> Mapping[str, Any] | None:
        value = data.get(key)
        where = _join(path, key)
        if value is None:
            self.add(
                where,
                "program_file.missing",
                id=f"Tabel [{where}] wajib ada.",
                en=f"The table [{where}] is required.",
            )
            return None
        if not isinstance(value, Mapping):
            self.add(
                where,
                "program_file.not_a_table",
                value=value,
                id=f"'{where}' harus berupa tabel.",
                en=f"'{where}' must be a table.",
            )
            return None
        return value

    def value(
        self,
        data: Mapping[str, Any],
        key: str,
        path: str,
        check: Callable[[object], _T | None],
        what: tuple[str, str],
        *,
        required: bool = True,
    ) -> _T | None:
        where = _join(path, key)
        if key not in data:
            if required:
                self.add(
                    where,
                    "program_file.missing",
                    id=f"Kunci '{where}' wajib diisi ({what[0]}).",
                    en=f"The key '{where}' is required ({what[1]}).",
                )
            return None
        result = check(data[key])
        if result is None:
            self.add(
                where,
                "program_file.wrong_type",
                value=data[key],
                id=f"'{where}' harus {what[0]}.",
                en=f"'{where}' must be {what[1]}.",
            )
        return result

    def date(
        self, data: Mapping[str, Any], key: str, path: str, *, required: bool = True
    ) -> dt.date | None:
        """A date no later than :data:`~umkm_core.limits.LATEST_DATE`."""
        value = self.value(data, key, path, _date, _DATE, required=required)
        if value is None:
            return None
        try:
            return check_date(value, field=_join(path, key))
        except ValidationError as exc:
            self.errors.append(exc)
        return None

    def tables(
        self, items: Iterable[object], path: str
    ) -> Iterator[tuple[str, Mapping[str, Any]]]:
        """Each item of an array of tables with its path (``path[i]``); others are problems."""
        for i, item in enumerate(items):
            where = f"{path}[{i}]"
            if not isinstance(item, Mapping):
                self.add(
                    where,
                    "program_file.not_a_table",
                    id=f"'{where}' harus tabel.",
                    en=f"'{where}' must be a table.",
                )
                continue
            yield where, item

    def unknown_keys(self, data: Mapping[str, Any], known: Iterable[str], path: str) -> None:
        allowed = set(known)
        names = ", ".join(sorted(allowed))
        for key in data:
            if key not in allowed:
                where = _join(path, key)
                self.add(
                    where,
                    "program_file.unknown_key",
                    value=key,
                    id=f"Kunci '{where}' tidak dikenal. Yang dikenal: {names}.",
                    en=f"Unknown key '{where}'. Known keys: {names}.",
                )


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


def _text(value: object) -> str | None:
    return value if isinstance(value, str) and value.strip() else None


def _int(value: object) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _date(value: object) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return None
    return value if isinstance(value, dt.date) else None


def _bool(value: object) -> bool | None:
    return value if isinstance(value, bool) else None


def _time(value: object) -> dt.time | None:
    # An offset is refused by Session (``session.aware_time``): the zone is time_zone.
    if isinstance(value, dt.time):
        return value
    if isinstance(value, str) and len(value) <= 32:
        try:
            return dt.time.fromisoformat(value.strip())
        except ValueError:
            return None
    return None


def _texts(value: object) -> tuple[str, ...] | None:
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return tuple(value)
    return None


def _kind(value: object) -> ProgramKind | None:
    return _KIND_WORDS.get(value.strip().lower()) if isinstance(value, str) else None


_STR = ("teks", "text")
_INT = ("bilangan bulat", "a whole number")
_DATE = ("tanggal (mis. 2017-12-19)", "a date (e.g. 2017-12-19)")
_TIME = ("jam (mis. 09:00:00)", "a time of day (e.g. 09:00:00)")
_KIND = (
    "salah satu dari: pelatihan, pembinaan, pendampingan, kemitraan",
    "one of: training, coaching, mentoring, partnership",
)


def _venue(c: _Collector, data: object, path: str) -> Venue | None:
    if isinstance(data, str) and data.strip():
        return Venue(name=data.strip())
    if not isinstance(data, Mapping):
        c.add(
            path,
            "program_file.wrong_type",
            value=data,
            id=f"'{path}' harus teks atau tabel {{name, address, region}}.",
            en=f"'{path}' must be text or a table {{name, address, region}}.",
        )
        return None
    c.unknown_keys(data, ("name", "address", "region"), path)
    name = c.value(data, "name", path, _text, _STR)
    address = c.value(data, "address", path, _text, _STR, required=False) or ""
    region: RegionCode | None = None
    if "region" in data:
        try:
            region = RegionCode.parse(data["region"])
        except ValidationError as exc:
            c.model_error(_join(path, "region"), exc)
    if name is None:
        return None
    return Venue(name=name, address=address, region=region)


def _sessions(c: _Collector, data: Mapping[str, Any], path: str) -> tuple[Session, ...] | None:
    """Sessions from ``daily = {from, to, time_zone}`` or a ``sessions`` list."""
    if "daily" in data and "sessions" in data:
        c.add(
            _join(path, "sessions"),
            "program_file.daily_and_sessions",
            id="Isi 'daily' atau 'sessions', bukan keduanya.",
            en="Give 'daily' or 'sessions', not both.",
        )
        return None
    if "sessions" in data:
        items = data["sessions"]
        if not isinstance(items, list):
            c.add(
                _join(path, "sessions"),
                "program_file.wrong_type",
                id="'sessions' harus daftar tabel {day, from, to}.",
                en="'sessions' must be a list of tables {day, from, to}.",
            )
            return None
        sessions: list[Session] = []
        for where, item in c.tables(items, _join(path, "sessions")):
            c.unknown_keys(item, ("day", "from", "to", "time_zone"), where)
            day = c.date(item, "day", where)
            session = _session(c, item, where, day)
            if session is not None:
                sessions.append(session)
        return tuple(sessions)
    return None


def _session(
    c: _Collector, data: Mapping[str, Any], path: str, day: dt.date | None
) -> Session | None:
    start = c.value(data, "from", path, _time, _TIME)
    end = c.value(data, "to", path, _time, _TIME)
    zone = c.value(data, "time_zone", path, _text, _STR, required=False) or DEFAULT_TIME_ZONE
    if day is None or start is None or end is None:
        return None
    try:
        return Session(day=day, start=start, end=end, time_zone=zone)
    except ValidationError as exc:
        c.model_error(path, exc)
    return None


_WAVE_KEYS = (
    "number",
    "sector",
    "start",
    "end",
    "seats",
    "daily",
    "sessions",
    "venue",
    "instructors",
)


def _wave(
    c: _Collector, data: Mapping[str, Any], path: str, sectors: frozenset[str] | None
) -> Wave | None:
    c.unknown_keys(data, _WAVE_KEYS, path)
    number = c.value(data, "number", path, _int, _INT)
    sector = c.value(data, "sector", path, _text, _STR)
    start = c.date(data, "start", path)
    end = c.date(data, "end", path)
    seats = c.value(data, "seats", path, _int, _INT)
    # Checked here as well as by Wave, so that every problem of a wave is reported at
    # once (Wave's validators stop at the first).
    bad = len(c.errors)
    for key, value in (("number", number), ("seats", seats)):
        if value is not None and value < 1:
            c.add(
                _join(path, key),
                f"wave.bad_{key}",
                value=value,
                id=f"'{_join(path, key)}' harus bilangan bulat 1 atau lebih.",
                en=f"'{_join(path, key)}' must be a whole number of 1 or more.",
            )
    if start is not None and end is not None and end < start:
        c.add(
            _join(path, "end"),
            "wave.end_before_start",
            value=end,
            id="Gelombang berakhir sebelum dimulai.",
            en="The wave ends before it starts.",
        )
    if sector is not None and sectors is not None and sector not in sectors:
        known = ", ".join(sorted(sectors))
        c.add(
            _join(path, "sector"),
            "program_file.unknown_sector",
            value=sector,
            id=f"Sektor '{sector}' tidak terdaftar. Yang terdaftar: {known}.",
            en=f"Sector '{sector}' is not registered. Registered: {known}.",
        )
    checked_ok = len(c.errors) == bad
    venue = _venue(c, data["venue"], _join(path, "venue")) if "venue" in data else None
    instructors = c.value(
        data, "instructors", path, _texts, ("daftar teks", "a list of texts"), required=False
    )
    sessions = _sessions(c, data, path)
    daily: tuple[dt.time, dt.time, str] | None = None
    if "daily" in data and "sessions" not in data:
        where = _join(path, "daily")
        table = data["daily"]
        if isinstance(table, Mapping):
            c.unknown_keys(table, ("from", "to", "time_zone"), where)
            start_time = c.value(table, "from", where, _time, _TIME)
            end_time = c.value(table, "to", where, _time, _TIME)
            zone = c.value(table, "time_zone", where, _text, _STR, required=False)
            if start_time is not None and end_time is not None:
                daily = (start_time, end_time, zone or DEFAULT_TIME_ZONE)
        else:
            c.add(
                where,
                "program_file.not_a_table",
                id=f"'{where}' harus tabel {{from, to, time_zone}}.",
                en=f"'{where}' must be a table {{from, to, time_zone}}.",
            )
    if number is None or sector is None or start is None or end is None or seats is None:
        return None
    if not checked_ok:
        return None
    try:
        if daily is not None:
            return Wave.with_daily_sessions(
                number=number,
                sector=sector,
                start=start,
                end=end,
                seats=seats,
                from_time=daily[0],
                to_time=daily[1],
                time_zone=daily[2],
                venue=venue,
                instructors=instructors or (),
            )
        return Wave(
            number=number,
            sector=sector,
            start=start,
            end=end,
            seats=seats,
            sessions=sessions or (),
            venue=venue,
            instructors=instructors or (),
        )
    except ValidationError as exc:
        c.model_error(path, exc)
    return None


def _rules(
    c: _Collector, data: object, factories: Iterable[RuleFactory] | None
) -> tuple[Rule, ...]:
    if not isinstance(data, list):
        c.add(
            "rules",
            "program_file.wrong_type",
            id="'rules' harus daftar tabel aturan ([[rules]]).",
            en="'rules' must be a list of rule tables ([[rules]]).",
        )
        return ()
    known = None if factories is None else tuple(factories)
    rules: list[Rule] = []
    for i, item in enumerate(data):
        # Each rule reports its own problems; a problem of one does not hide the next.
        try:
            rules.append(rule_from_data(item, factories=known))
        except ValidationError as exc:
            # rule_from_data locates problems from "rule"; in the file it is rules[i].
            field = exc.field or "rule"
            rest = field[len("rule") :] if field.startswith("rule") else f".{field}"
            c.errors.append(
                ValidationError(
                    exc.code,
                    field=f"rules[{i}]{rest}",
                    value=exc.value,
                    id=exc.message_id,
                    en=exc.message_en,
                )
            )
    return tuple(rules)


def program_from_data(
    data: Mapping[str, Any],
    *,
    factories: Iterable[RuleFactory] | None = None,
    sectors: Iterable[str] | None = None,
    steps: Iterable[str] | None = None,
) -> Program:
    """Build a programme from parsed TOML (or any mapping of the same shape).

    :param data: the document: ``[program]``, ``[[waves]]``, ``[[rules]]``, optional
        ``[allocation]`` and ``schema = 1``.
    :param factories: the rule factories a file may name (``registry.rules.values()``);
        ``None``: the built-in rules only.
    :param sectors: the registered sector codes; ``None`` accepts any sector.
    :returns: the programme.
    :raises InvalidDocument: listing every problem, each with its key path.
    """
    return program_file_from_data(data, factories=factories, sectors=sectors, steps=steps).program


def _allocation(c: _Collector, data: object) -> tuple[Policy | None, dt.date | None]:
    if not isinstance(data, Mapping):
        c.add(
            "allocation",
            "program_file.not_a_table",
            id="'allocation' harus tabel.",
            en="'allocation' must be a table.",
        )
        return None, None
    c.unknown_keys(data, ("policy", "seed", "as_of"), "allocation")
    as_of = c.date(data, "as_of", "allocation", required=False)
    policy: Policy | None = None
    if "policy" in data:
        spec: dict[str, object] = {"policy": data["policy"]}
        if "seed" in data:
            spec["seed"] = data["seed"]
        try:
            policy = policy_from_data(spec)
        except ValidationError as exc:
            c.errors.append(
                ValidationError(
                    exc.code,
                    field="allocation.policy",
                    value=data["policy"],
                    id=exc.message_id,
                    en=exc.message_en,
                )
            )
    return policy, as_of


def _certificate_kinds(rule: object) -> Iterator[str]:
    """The certificate kinds a rule names, inside ``all_of``/``any_of``/``not`` too."""
    kind = getattr(rule, "kind", None)
    if isinstance(rule, HoldsCertificate | LacksCertificate) and isinstance(kind, str):
        yield kind
    for inner in getattr(rule, "rules", ()):
        yield from _certificate_kinds(inner)
    negated = getattr(rule, "negated", None)
    if negated is not None:
        yield from _certificate_kinds(negated)


def _check_certificate_kinds(c: _Collector, rules: Sequence[Rule], steps: frozenset[str]) -> None:
    for i, rule in enumerate(rules):
        for kind in _certificate_kinds(rule):
            if kind not in steps:
                known = ", ".join(sorted(steps))
                c.add(
                    f"rules[{i}]",
                    "program_file.unknown_step",
                    value=kind,
                    id=f"Jenis sertifikat '{kind}' tidak terdaftar (yang ada: {known}).",
                    en=f"Certificate kind '{kind}' is not registered (known: {known}).",
                )


def program_file_from_data(
    data: Mapping[str, Any],
    *,
    factories: Iterable[RuleFactory] | None = None,
    sectors: Iterable[str] | None = None,
    steps: Iterable[str] | None = None,
) -> ProgramFile:
    """Like :func:`program_from_data`, with the ``[allocation]`` settings too.

    :param data: the parsed document.
    :param factories: rule factories from plugins, besides the built-in rules.
    :param sectors: the registered sector codes (``registry.sectors``, a mapping by
        code, will do); a wave whose sector is not among them is refused
        (``program_file.unknown_sector``). ``None`` accepts any sector.
    :param steps: the registered step codes (``registry.steps``); a certificate rule
        (``holds_certificate``, ``lacks_certificate``) naming another kind is refused
        (``program_file.unknown_step``). ``None`` accepts any kind.
    :returns: a :class:`ProgramFile`.
    :raises InvalidDocument: listing every problem, each with its key path.
    """
    c = _Collector()
    try:
        check_nesting(data, field="")
    except ValidationError as exc:
        raise InvalidDocument([exc]) from None
    known_sectors = None if sectors is None else frozenset(sectors)
    c.unknown_keys(data, ("schema", "program", "waves", "rules", "allocation"), "")
    policy, as_of = _allocation(c, data["allocation"]) if "allocation" in data else (None, None)
    schema = data.get("schema", SCHEMA_VERSION)
    if type(schema) is not int or schema != SCHEMA_VERSION:  # ``true == 1`` in Python
        c.add(
            "schema",
            "program_file.unsupported_schema",
            value=schema,
            id=f"Versi format '{schema}' tidak didukung (yang didukung: {SCHEMA_VERSION}).",
            en=f"Format version '{schema}' is not supported (supported: {SCHEMA_VERSION}).",
        )
    head = c.table(data, "program", "")
    fields: dict[str, Any] = {}
    if head is not None:
        c.unknown_keys(
            head, ("id", "title", "office_id", "year", "kind", "one_seat_per_business"), "program"
        )
        fields = {
            "id": c.value(head, "id", "program", _text, _STR),
            "title": c.value(head, "title", "program", _text, _STR),
            "office_id": c.value(head, "office_id", "program", _text, _STR),
            "year": c.value(head, "year", "program", _int, _INT),
            "kind": c.value(head, "kind", "program", _kind, _KIND),
        }
        year = fields["year"]
        if year is not None and not 1945 <= year <= 2100:
            c.add(
                "program.year",
                "program.bad_year",
                value=year,
                id="'program.year' harus antara 1945 dan 2100.",
                en="'program.year' must be between 1945 and 2100.",
            )
        one_seat = c.value(
            head,
            "one_seat_per_business",
            "program",
            _bool,
            ("true atau false", "true or false"),
            required=False,
        )
        if one_seat is not None:
            fields["one_seat_per_business"] = one_seat
    raw_waves = data.get("waves")
    waves: list[Wave] = []
    if not isinstance(raw_waves, list) or not raw_waves:
        c.add(
            "waves",
            "program_file.no_waves",
            id="Program perlu minimal satu gelombang ([[waves]]).",
            en="A programme needs at least one wave ([[waves]]).",
        )
    else:
        first: dict[int, str] = {}
        for where, item in c.tables(raw_waves, "waves"):
            number = _int(item.get("number"))
            if number is not None and number in first:
                c.add(
                    _join(where, "number"),
                    "program.duplicate_wave_number",
                    value=number,
                    id=f"Nomor gelombang {number} sudah dipakai di {first[number]}.",
                    en=f"Wave number {number} is already used by {first[number]}.",
                )
            elif number is not None:
                first[number] = where
            wave = _wave(c, item, where, known_sectors)
            if wave is not None:
                waves.append(wave)
    rules = _rules(c, data.get("rules", []), factories)
    if steps is not None:
        _check_certificate_kinds(c, rules, frozenset(steps))
    if c.errors:
        raise InvalidDocument(c.errors)
    try:
        program = Program(waves=tuple(waves), rules=rules, **fields)
    except ValidationError as exc:
        raise InvalidDocument([exc]) from None
    return ProgramFile(program=program, policy=policy, as_of=as_of)


def _parse_toml(text: str, source: str) -> Mapping[str, Any]:
    try:
        return tomllib.loads(text)
    except RecursionError:
        # tomllib recurses per nesting level; deeper than a few hundred it runs out.
        error = ValidationError(
            "document.too_deep",
            field=source,
            id="Tabel dan daftar bersarang terlalu dalam.",
            en="Tables and arrays are nested too deep.",
        )
        raise InvalidDocument([error], field=source) from None
    except tomllib.TOMLDecodeError as exc:
        error = ValidationError(
            "program_file.bad_toml",
            field=source,
            id=f"Bukan TOML yang sah: {exc}.",
            en=f"Not valid TOML: {exc}.",
        )
        raise InvalidDocument([error], field=source) from None


def _program_file_from_toml(
    text: str,
    source: str,
    factories: Iterable[RuleFactory] | None,
    sectors: Iterable[str] | None = None,
    steps: Iterable[str] | None = None,
) -> ProgramFile:
    data = _parse_toml(text, source)
    try:
        return program_file_from_data(data, factories=factories, sectors=sectors, steps=steps)
    except InvalidDocument as exc:
        raise InvalidDocument(exc.errors, field=source) from None


def parse_program_file(
    text: str,
    *,
    source: str = "<toml>",
    factories: Iterable[RuleFactory] | None = None,
    sectors: Iterable[str] | None = None,
    steps: Iterable[str] | None = None,
) -> ProgramFile:
    """Parse a programme file's text with its ``[allocation]`` settings.

    :param text: the TOML text.
    :param source: the file name, for messages.
    :param factories: rule factories from plugins.
    :param sectors: the registered sector codes (``registry.sectors``); ``None``
        accepts any sector.
    :returns: a :class:`ProgramFile`.
    :raises InvalidDocument: with ``field`` set to ``source`` and every problem listed.
    """
    return _program_file_from_toml(text, source, factories, sectors, steps)


def program_from_toml(
    text: str,
    *,
    source: str = "<toml>",
    factories: Iterable[RuleFactory] | None = None,
    sectors: Iterable[str] | None = None,
    steps: Iterable[str] | None = None,
) -> Program:
    """Parse a programme file's text.

    :param text: the TOML text.
    :param source: the file name, for messages.
    :param factories: rule factories from plugins.
    :param sectors: the registered sector codes; ``None`` accepts any sector.
    :returns: the programme.
    :raises InvalidDocument: with ``field`` set to ``source`` and every problem listed;
        a TOML syntax error is one problem with its line and column.
    """
    return _program_file_from_toml(text, source, factories, sectors, steps).program


def read_program_text(path: str | os.PathLike[str]) -> str:
    """The text of a programme file, read as UTF-8.

    :param path: the file.
    :returns: its text.
    :raises ValidationError: when the file is not UTF-8.
    """
    file = Path(path)
    try:
        return file.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        error = ValidationError(
            "program_file.not_utf8",
            field=str(file),
            id="Berkas program harus disimpan sebagai UTF-8.",
            en="A programme file must be saved as UTF-8.",
        )
        raise InvalidDocument([error], field=str(file)) from None


def load_program(
    path: str | os.PathLike[str],
    *,
    factories: Iterable[RuleFactory] | None = None,
    sectors: Iterable[str] | None = None,
    steps: Iterable[str] | None = None,
) -> Program:
    """Read a programme file (UTF-8 TOML).

    :param path: the file.
    :param factories: rule factories from plugins.
    :param sectors: the registered sector codes; ``None`` accepts any sector.
    :returns: the programme.
    :raises InvalidDocument: every problem, with ``field`` naming the file.
    :raises OSError: the file cannot be read.
    """
    return load_program_file(path, factories=factories, sectors=sectors, steps=steps).program


def load_program_file(
    path: str | os.PathLike[str],
    *,
    factories: Iterable[RuleFactory] | None = None,
    sectors: Iterable[str] | None = None,
    steps: Iterable[str] | None = None,
) -> ProgramFile:
    """Read a programme file with its ``[allocation]`` settings.

    :param path: the file.
    :param factories: rule factories from plugins.
    :param sectors: the registered sector codes (``registry.sectors``); a wave in an
        unregistered sector is refused. ``None`` accepts any sector.
    :returns: a :class:`ProgramFile`.
    :raises InvalidDocument: every problem, with ``field`` naming the file.
    :raises OSError: the file cannot be read.
    """
    return _program_file_from_toml(read_program_text(path), str(path), factories, sectors, steps)
