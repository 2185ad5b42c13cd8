"""Identifier checks: 统一社会信用代码 (GB 32100-2015), using python-stdnum's checksum."""

from stdnum.cn import uscc
from stdnum.exceptions import InvalidChecksum

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
    except InvalidChecksum as exc:
        raise ServiceError(f"统一社会信用代码“{value}”校验位不正确，请核对。", field="uscc") from exc
    except Exception as exc:  # InvalidFormat and other stdnum errors
        raise ServiceError(
            f"统一社会信用代码“{value}”格式不正确：前8位应为数字，其余不含字母 I、O、S、V、Z。", field="uscc"
        ) from exc
