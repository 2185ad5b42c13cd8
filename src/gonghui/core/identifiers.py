"""Identifier checks: 统一社会信用代码 (GB 32100-2015) and 公民身份号码 (GB 11643-1999)."""

import datetime as dt
import functools
from dataclasses import dataclass

from stdnum.cn import uscc
from stdnum.exceptions import InvalidChecksum

from . import clock
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


# --- 公民身份号码 (GB 11643-1999) --------------------------------------------------------

WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
CHECK_CHARS = "10X98765432"


def id_check_char(first17: str) -> str:
    """ISO 7064 MOD 11-2 check character over the first 17 digits."""
    return CHECK_CHARS[sum(int(c) * w for c, w in zip(first17, WEIGHTS, strict=True)) % 11]


@dataclass(frozen=True)
class IdNumber:
    number: str  # 18 characters, upper-case X
    birth_date: dt.date
    gender: int  # 1 male, 2 female (GB/T 2261.1)
    warnings: tuple[str, ...] = ()


def parse_id_number(value, today: dt.date | None = None) -> IdNumber:
    """Validate a resident ID number exactly as GB 11643 says; upgrade 15 digits to 18.

    An unknown area code is a warning, never a rejection: codes are re-issued over the years
    and real people carry codes that no longer exist (ECOSYSTEM §3.2).
    """
    if isinstance(value, bool | int | float):
        raise ServiceError("公民身份号码须以文本录入：数字格式会丢失末几位，请把该列设为文本后重新录入。",
                           field="id_number")
    raw = str(value or "").strip().upper().replace(" ", "")
    if not raw:
        raise ServiceError("请填写公民身份号码。", field="id_number")
    if len(raw) == 15 and raw.isdigit():
        body = raw[:6] + "19" + raw[6:]
        raw = body + id_check_char(body)
    if len(raw) != 18:
        raise ServiceError(f"公民身份号码应为18位（或旧版15位），实际为{len(raw)}位。", field="id_number")
    if not raw[:17].isdigit() or not (raw[17].isdigit() or raw[17] == "X"):
        raise ServiceError("公民身份号码前17位应为数字，最后一位为数字或X。", field="id_number")
    try:
        birth = dt.date(int(raw[6:10]), int(raw[10:12]), int(raw[12:14]))
    except ValueError as exc:
        raise ServiceError(f"公民身份号码中的出生日期“{raw[6:14]}”不是有效日期。", field="id_number") from exc
    today = today or clock.today()
    if birth > today:
        raise ServiceError(f"公民身份号码中的出生日期 {birth} 晚于今天。", field="id_number")
    if id_check_char(raw[:17]) != raw[17]:
        raise ServiceError("公民身份号码校验位不正确，请核对是否录错。", field="id_number")
    warnings = []
    age = today.year - birth.year - ((today.month, today.day) < (birth.month, birth.day))
    if not 16 <= age <= 100:
        warnings.append(f"按身份证号计算年龄为{age}岁，请核对（不影响保存）。")
    if not _known_area(raw[:6]):
        warnings.append(f"地址码 {raw[:6]} 不在行政区划代码表中，请核对（不影响保存）。")
    return IdNumber(raw, birth, 1 if int(raw[16]) % 2 else 2, tuple(warnings))


@functools.lru_cache(maxsize=4096)
def _known_area(code: str) -> bool:
    try:
        from stdnum.cn import ric

        return bool(ric.get_birth_place(code + "19900101" + "0000"))
    except Exception:  # stdnum's table may lack or crash on a code (ECOSYSTEM §3.2): only a warning
        return False


# --- 组织机构代码 (GB 11714-1997) ---------------------------------------------------------
# The nine-character code of units before the USCC (2015); old registers and the 工会组织信息登记表
# still carry it, often written 12345678-9. It is also characters 9-17 of a USCC.

ORG_CODE_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)
_ORG_CODE_CHARS = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def org_code_check_char(body: str) -> str:
    """The check character over the eight body characters (digits and capital letters, A = 10)."""
    total = sum(_ORG_CODE_CHARS.index(c) * w for c, w in zip(body, ORG_CODE_WEIGHTS, strict=True))
    check = 11 - total % 11
    return "X" if check == 10 else "0" if check == 11 else str(check)


def clean_org_code(value: str | None) -> str:
    """Normalise (upper case, no dash or spaces) and validate a 组织机构代码; '' when not given."""
    if value is None or not str(value).strip():
        return ""
    code = str(value).strip().upper().replace(" ", "").replace("-", "").replace("－", "")
    if len(code) != 9:
        raise ServiceError(f"组织机构代码“{value}”应为9位（8位本体代码和1位校验码），实际为{len(code)}位。",
                           field="org_code")
    if any(c not in _ORG_CODE_CHARS for c in code[:8]) or not (code[8].isdigit() or code[8] == "X"):
        raise ServiceError(f"组织机构代码“{value}”格式不正确：前8位为数字或大写字母，第9位为数字或X。",
                           field="org_code")
    if org_code_check_char(code[:8]) != code[8]:
        raise ServiceError(f"组织机构代码“{value}”校验位不正确（GB 11714），请核对。", field="org_code")
    return code
