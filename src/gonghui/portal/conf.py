"""The member portal's rules (core.config): GONGHUI_PORTAL_RIGHTS_DAYS=15 or GONGHUI_PORTAL = {...}."""

from gonghui.core.config import Rules

DEFAULTS = {
    "RIGHTS_DAYS": 15,  # 个人信息权利请求: answered within 15 working days (个人信息保护法 §50, local rules)
    "RIGHTS_WORKING_DAYS": True,
    "ACTIVATION_DAYS": 30,  # the one-time activation code printed on acceptance
    "CARD_TOKEN_DAYS": 30,  # a card's QR link verifies this long; the card page renews it
    "VERIFY_PER_MINUTE": 20,  # verification page: requests per address and minute
    "JOIN_PER_MINUTE": 5,  # online applications per address and minute (each answer tells whether one applied)
    "MAX_ATTACHMENT_MB": 5,
    "IDLE_MINUTES": 30,  # a member's session idle longer is signed out (a phone left unlocked, a shared PC)
    # 通行密钥 (WebAuthn): the domain passkeys are bound to. Empty: the host the page was asked for
    # (checked against ALLOWED_HOSTS); set it (gonghui.example.cn) when the portal has several names.
    "PASSKEY_RP_ID": "",
}

RULES = Rules("GONGHUI_PORTAL", DEFAULTS, title="会员服务")


def get(key: str):
    return RULES.get(key)
