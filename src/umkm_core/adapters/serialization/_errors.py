"""How a refused document is reported: every problem, each with its JSON path.

cattrs raises nested exception groups; :func:`collect` flattens them into umkm_core
:class:`~umkm_core.ValidationError` leaves whose ``field`` is a JSON path
(``$.owner.nik``), keeping each error's own code and bilingual message.
"""

from __future__ import annotations

from typing import Any

from cattrs.errors import (
    AttributeValidationNote,
    ClassValidationError,
    ForbiddenExtraKeysError,
    IterableValidationError,
    IterableValidationNote,
)

from umkm_core.errors import InvalidDocument, SerializationError, ValidationError


def problem(code: str, path: str, *, id: str, en: str, value: object = None) -> ValidationError:
    """One problem of a document at ``path``."""
    return ValidationError(code, field=path, value=value, id=id, en=en)


def placed(err: ValidationError, field: str | None) -> ValidationError:
    """``err`` with its ``field`` replaced."""
    return ValidationError(
        err.code, field=field, value=err.value, id=err.message_id, en=err.message_en
    )


def join(path: str, rel: str | None) -> str:
    """``path`` followed by the relative ``rel`` (``"name"``, ``"[2]"``, ``"a[1].b"``)."""
    if not rel:
        return path
    if not path or rel.startswith("["):
        return f"{path}{rel}"
    return f"{path}.{rel}"


def type_name(tp: Any) -> str:
    """A readable name of a type (for messages about types, never about values)."""
    return getattr(tp, "__name__", None) or str(tp)


def bad_type(expected: str, value: object) -> ValidationError:
    """A JSON value of the wrong type."""
    got = type(value).__name__
    return ValidationError(
        "document.bad_type",
        value=value,
        id=f"Harus bertipe {expected}, bukan {got}.",
        en=f"Must be of type {expected}, not {got}.",
    )


def unsupported(tp: Any, why_id: str, why_en: str) -> SerializationError:
    """A type that cannot travel as a document (refused when writing, never half-written)."""
    name = type_name(tp)
    return SerializationError(
        "document.unsupported_type",
        field=name,
        id=f"{name} tidak dapat disimpan sebagai dokumen: {why_id}",
        en=f"{name} cannot be saved as a document: {why_en}",
    )


def too_deep(limit: int) -> InvalidDocument:
    """A document nested deeper than ``limit``."""
    return InvalidDocument(
        [
            problem(
                "document.too_deep",
                "$",
                id=f"Dokumen bersarang lebih dari {limit} tingkat.",
                en=f"The document is nested more than {limit} levels deep.",
            )
        ]
    )


def collect(exc: BaseException, path: str) -> list[ValidationError]:
    """Flatten cattrs' exception groups into our errors, each with its JSON path.

    Our own ValidationErrors keep their code and bilingual message; their ``field`` is
    relative to the object being built, so it is appended to the path.
    """
    if isinstance(exc, InvalidDocument):
        return [placed(e, join(path, e.field)) for e in exc.errors]
    if isinstance(exc, ClassValidationError | IterableValidationError):
        found: list[ValidationError] = []
        for sub in exc.exceptions:
            sub_path = path
            for note in getattr(sub, "__notes__", ()):
                if isinstance(note, AttributeValidationNote):
                    sub_path = join(path, note.name)
                    break
                if isinstance(note, IterableValidationNote):
                    index = note.index
                    sub_path = join(path, f"[{index!r}]")
                    break
            found.extend(collect(sub, sub_path))
        return found
    if isinstance(exc, ForbiddenExtraKeysError):
        return [
            problem(
                "document.unknown_key",
                join(path, key),
                id=f"Kunci '{key}' tidak dikenal.",
                en=f"Unknown key '{key}'.",
            )
            for key in sorted(exc.extra_fields)
        ]
    if isinstance(exc, KeyError):
        return [
            problem(
                "document.missing_key",
                path,
                id="Kunci wajib tidak ada.",
                en="A required key is missing.",
            )
        ]
    if isinstance(exc, ValidationError):
        return [placed(exc, join(path, exc.field))]
    if isinstance(exc, RecursionError):
        return [
            problem(
                "document.too_deep",
                path,
                id="Dokumen bersarang terlalu dalam.",
                en="The document is nested too deeply.",
            )
        ]
    # Anything else is a bug in a hook or an odd input; its message may quote the
    # input (personal data), so only its type is reported.
    return [
        problem(
            "document.invalid",
            path,
            id=f"Nilai tidak valid ({type(exc).__name__}).",
            en=f"Invalid value ({type(exc).__name__}).",
        )
    ]
