"""Employers by name (issue 17): the 工作单位 of a clerk's roster is a name, not a credit code.

A name matches an employer through its normalised form (`normalise_name`), stored on the
employer (`Employer.name_norm`, indexed) and on the names a clerk linked to it
(`EmployerAlias`), so an import of 100,000 rows reads only the employers its names point to.

The normalisation removes what differs between two spellings of one registered name and
nothing else: NFKC (full-width letters, digits and brackets to half width), white space, the
case of Latin letters, the bracket shapes (（）〔〕【】[] all read as ()), and the organisational
form 有限责任公司 written as 有限公司 (the same legal form, 公司法 §3; a name registry does not let
two companies differ by that alone). 股份有限公司 stays apart: it is another legal form.
Anything beyond that (dropping 公司, a region prefix) could join two real employers, so it is left
to the clerk, who links such a name to its employer as an alias.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .models import Employer

CHUNK = 1000
_SPACE = re.compile(r"\s+")
_BRACKETS = str.maketrans({"〔": "(", "〕": ")", "【": "(", "】": ")", "[": "(", "]": ")", "［": "(", "］": ")"})
# (written, registered form): only spellings of one legal form.
_FORMS = (("有限责任公司", "有限公司"),)


def normalise_name(name) -> str:
    """The matching key of an employer name ('' for a blank one)."""
    text = unicodedata.normalize("NFKC", str(name or ""))
    text = _SPACE.sub("", text).casefold().translate(_BRACKETS)
    for written, registered in _FORMS:
        text = text.replace(written, registered)
    return text


def normalise_address(address) -> str:
    return _SPACE.sub("", unicodedata.normalize("NFKC", str(address or ""))).casefold().translate(_BRACKETS)


@dataclass(frozen=True)
class Candidate:
    """An employer a normalised name points to, as read for matching (not a model instance)."""

    pk: int
    name: str
    uscc: str | None
    address: str

    @property
    def label(self) -> str:
        """How a message names it: its credit code, or that it has none yet."""
        return f"“{self.name}”（统一社会信用代码 {self.uscc}）" if self.uscc else f"“{self.name}”（待补充信用代码）"


def _chunks(items: list, size: int = CHUNK):
    for start in range(0, len(items), size):
        yield items[start: start + size]


def candidates(pickable, names: Iterable[str]) -> dict[str, dict[int, Candidate]]:
    """{normalised name: {employer id: Candidate}} among `pickable` (a queryset of the employers the
    importer may pick), by registered name and by alias. Names that match nothing are absent."""
    from .models import EmployerAlias  # here: the migrations import normalise_name from this module

    keys = sorted({normalise_name(n) for n in names} - {""})
    out: dict[str, dict[int, Candidate]] = {}
    fields = ("pk", "name", "uscc", "address")
    for part in _chunks(keys):
        for norm, *row in pickable.filter(name_norm__in=part).values_list("name_norm", *fields):
            out.setdefault(norm, {})[row[0]] = Candidate(*row)
        aliased = EmployerAlias.objects.filter(name_norm__in=part, employer__in=pickable).values_list(
            "name_norm", *(f"employer__{f}" for f in fields))
        for norm, *row in aliased:
            out.setdefault(norm, {})[row[0]] = Candidate(*row)
    return out


def pick(found: dict[int, Candidate], address: str = "") -> Candidate | list[Candidate] | None:
    """The one candidate, else the one whose address is the given one, else all of them (ambiguous)."""
    if not found:
        return None
    if len(found) == 1:
        return next(iter(found.values()))
    if address:
        wanted = normalise_address(address)
        at = [c for c in found.values() if c.address and normalise_address(c.address) == wanted]
        if len(at) == 1:
            return at[0]
    return sorted(found.values(), key=lambda c: (c.uscc or "", c.pk))


def aliases_of(employer_ids: Iterable[int], names: Iterable[str]) -> set[tuple[int, str]]:
    """(employer id, normalised name) pairs among these that are linked aliases."""
    from .models import EmployerAlias

    ids, keys = sorted(set(employer_ids)), sorted({normalise_name(n) for n in names} - {""})
    if not ids or not keys:
        return set()
    out: set[tuple[int, str]] = set()
    for part in _chunks(keys):
        out.update(EmployerAlias.objects.filter(employer_id__in=ids, name_norm__in=part)
                   .values_list("employer_id", "name_norm"))
    return out


def same_name(employer: Employer, name: str, aliases: set[tuple[int, str]]) -> bool:
    """Whether `name` names this employer: its registered name or a linked alias."""
    key = normalise_name(name)
    return key == (employer.name_norm or normalise_name(employer.name)) or (employer.pk, key) in aliases
