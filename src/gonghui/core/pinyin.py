"""Pinyin search keys: full pinyin and initials, so clerks can type "zhzg" for 中核重工."""

import functools

from pypinyin import Style, lazy_pinyin


def pinyin_keys(name: str) -> tuple[str, str]:
    full = "".join(lazy_pinyin(name, errors="ignore")).lower()
    initials = "".join(lazy_pinyin(name, style=Style.FIRST_LETTER, errors="ignore")).lower()
    return full[:255], initials[:100]


@functools.lru_cache(maxsize=20000)
def search_keys(name: str) -> str:
    """Space-framed pinyin tokens for a person's name: full pinyin and initials, once for each
    reading of the surname (单 → dan/shan/chan), so any reading a clerk types finds the person.

    " zhangsan zs " for 张三; " shanli sl danli dl chanli cl " for 单丽.
    """
    from pypinyin import pinyin

    if not name:
        return ""
    rest_full = "".join(lazy_pinyin(name[1:], errors="ignore")).lower()
    rest_initials = "".join(lazy_pinyin(name[1:], style=Style.FIRST_LETTER, errors="ignore")).lower()
    readings = pinyin(name[0], style=Style.NORMAL, heteronym=True, errors="ignore")
    surnames = list(dict.fromkeys(readings[0])) if readings else [""]
    tokens: list[str] = []
    for s in surnames:
        for token in (s + rest_full, s[:1] + rest_initials):
            if token and token not in tokens:
                tokens.append(token)
    if not tokens:  # a name without Chinese characters
        tokens = [name.lower().replace(" ", "")]
    return (" " + " ".join(tokens) + " ")[:300]
