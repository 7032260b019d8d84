"""Bilingual text for everything office staff read.

Every message umkm_core shows comes in Bahasa Indonesia (first) and English.

>>> t = Text(id="Kuota kecamatan penuh", en="District quota is full")
>>> t.get("en")
'District quota is full'
>>> str(t)
'Kuota kecamatan penuh'
"""

from __future__ import annotations

from typing import Literal

import attrs

__all__ = ["Lang", "Text"]

#: A language code: ``"id"`` (Bahasa Indonesia) or ``"en"``.
Lang = Literal["id", "en"]


@attrs.frozen
class Text:
    """A short text in Bahasa Indonesia (``id``) and English (``en``)."""

    id: str
    en: str

    def get(self, lang: str = "id") -> str:
        """The text in ``lang``; Indonesian for any language but ``"en"``."""
        return self.en if lang == "en" else self.id

    def format(self, **values: object) -> Text:
        """Fill ``{name}`` placeholders in both languages."""
        return Text(id=self.id.format(**values), en=self.en.format(**values))

    def __str__(self) -> str:
        return self.id
