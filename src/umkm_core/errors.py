"""The one error tree of umkm_core.

Every error the library raises on purpose derives from :class:`UmkmError` and carries
a stable, dotted, machine-readable ``code`` (``"nik.bad_birth_date"``), the field or row
it concerns, and a message in Bahasa Indonesia and in English. Decisions such as a
refused applicant are *not* errors: they are ordinary results with reasons.

Errors never put the offending value in their message, because the value may be
personal data (a NIK, a phone number) and messages end up in logs.

>>> err = ValidationError("nik.bad_length", field="owner.nik", value="123",
...     id="NIK harus 16 digit.", en="A NIK has 16 digits.")
>>> str(err)
'nik.bad_length [owner.nik]: NIK harus 16 digit. / A NIK has 16 digits.'
>>> err.message("en")
'A NIK has 16 digits.'
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from umkm_core.text import Lang, Text

__all__ = [
    "InvalidDocument",
    "PluginError",
    "SerializationError",
    "StateError",
    "UmkmError",
    "ValidationError",
]


class UmkmError(Exception):
    """Root of every error that umkm_core raises on purpose.

    :param code: stable dotted code, safe to match on in programs.
    :param field: the field path (``"owner.nik"``) or row (``"row 12"``) concerned.
    :param id: the message in Bahasa Indonesia.
    :param en: the message in English.
    """

    default_code = "umkm.error"

    def __init__(
        self,
        code: str | None = None,
        *,
        id: str,
        en: str,
        field: str | None = None,
    ) -> None:
        self.code = code or self.default_code
        self.field = field
        self.message_id = id
        self.message_en = en
        super().__init__(self.__str__())

    @property
    def text(self) -> Text:
        """The message in both languages."""
        return Text(id=self.message_id, en=self.message_en)

    def message(self, lang: Lang = "id") -> str:
        """Return the message in ``lang`` (``"id"`` or ``"en"``)."""
        return self.message_en if lang == "en" else self.message_id

    def __str__(self) -> str:
        where = f" [{self.field}]" if self.field else ""
        return f"{self.code}{where}: {self.message_id} / {self.message_en}"

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.code!r}, field={self.field!r})"

    def __reduce__(self) -> tuple[object, ...]:
        # Keyword-only constructors defeat Exception's default pickling; rebuild from state
        # so errors survive multiprocessing and copy.copy.
        return (_rebuild, (type(self), dict(self.__dict__)))

    def _with_field(self, field: str | None) -> UmkmError:
        clone = _rebuild(type(self), dict(self.__dict__))
        clone.field = field
        clone.args = (str(clone),)
        return clone


def _rebuild(cls: type[UmkmError], state: dict[str, object]) -> UmkmError:
    err = cls.__new__(cls)
    err.__dict__.update(state)
    err.args = (str(err),)
    return err


class ValidationError(UmkmError, ValueError):
    """Input data that does not fit the model.

    ``value`` holds the offending input for programs that need it; it is never part of
    the message (it may be personal data).
    """

    default_code = "validation.invalid"

    def __init__(
        self,
        code: str | None = None,
        *,
        id: str,
        en: str,
        field: str | None = None,
        value: object = None,
    ) -> None:
        self.value = value
        super().__init__(code, id=id, en=en, field=field)

    def at(self, prefix: str) -> ValidationError:
        """Return a copy whose field is nested under ``prefix`` (a path or a row)."""
        if not self.field:
            field = prefix
        elif self.field.startswith("["):
            field = f"{prefix}{self.field}"
        else:
            field = f"{prefix}.{self.field}"
        clone = self._with_field(field)
        assert isinstance(clone, ValidationError)
        return clone


class InvalidDocument(ValidationError):
    """A document (a JSON record, a row, a file) with one or more problems.

    ``errors`` lists *every* problem found, each a :class:`ValidationError` whose
    ``field`` is a path such as ``$.owner.nik`` or ``$.financials[0].year``.
    """

    default_code = "document.invalid"

    def __init__(self, errors: Iterable[ValidationError], *, field: str | None = None) -> None:
        self.errors: Sequence[ValidationError] = tuple(errors)
        n = len(self.errors)
        first = self.errors[0] if self.errors else None
        lines_id = "; ".join(f"{e.field}: {e.message_id} ({e.code})" for e in self.errors)
        lines_en = "; ".join(f"{e.field}: {e.message_en} ({e.code})" for e in self.errors)
        super().__init__(
            first.code if n == 1 and first else self.default_code,
            id=f"{n} masalah: {lines_id}",
            en=f"{n} problem(s): {lines_en}",
            field=field,
        )


class SerializationError(UmkmError, TypeError):
    """A value that cannot be written as a document (its type has no document form).

    Raised by the writers before anything is written, so a file never holds a document
    that could not be read back. A ``TypeError`` too: it is the caller's type, not data.
    """

    default_code = "document.unsupported_type"


class StateError(UmkmError):
    """An operation that the current state does not allow (an illegal transition)."""

    default_code = "state.illegal_transition"


class PluginError(UmkmError):
    """A plugin that cannot be loaded, returns malformed data, or clashes with another."""

    default_code = "plugin.error"
