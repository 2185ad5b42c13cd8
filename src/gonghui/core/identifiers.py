"""Identifier checks: 统一社会信用代码 (GB 32100-2015)."""

from stdnum.cn import uscc

from .errors import ServiceError


def clean_uscc(value: str | None) -> str | None:
    """Normalise and validate a USCC; '' and None mean "not given"."""
    if value is None or not str(value).strip():
        return None
    code = str(value).strip().upper().replace(" ", "")
    if len(code) != 18:
        raise ServiceError(f"统一社会信用代码“{value}”应为18位，实际为{len(code)}位。", field="uscc")
    try:
        return uscc.validate(code)
    except Exception as exc:  # stdnum raises several ValidationError subclasses
        raise ServiceError(f"统一社会信用代码“{value}”校验位不正确或含非法字符。", field="uscc") from exc
