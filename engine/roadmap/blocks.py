"""The blocks a roadmap document is made of, which every renderer (DOCX, PDF, Markdown, the app) draws."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Heading:
    level: int
    text: str


@dataclass(frozen=True)
class Paragraph:
    text: str
    kind: str = "normal"  # normal | note | warning


@dataclass(frozen=True)
class BulletList:
    items: tuple[str, ...]
    numbered: bool = False


@dataclass(frozen=True)
class Table:
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    widths: tuple[float, ...]
    align: tuple[str, ...] = field(default_factory=tuple)  # "L" or "R" per column


@dataclass(frozen=True)
class Image:
    png: bytes
    caption: str


Block = Heading | Paragraph | BulletList | Table | Image


__all__ = ["Block", "BulletList", "Heading", "Image", "Paragraph", "Table"]
