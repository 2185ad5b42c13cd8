import re

from django.core.exceptions import ValidationError

CLASSES = [(r"[a-z]", "小写字母"), (r"[A-Z]", "大写字母"), (r"[0-9]", "数字"), (r"[^A-Za-z0-9]", "符号")]


class CharacterClassValidator:
    """Passwords mix at least `min_classes` of: lower case, upper case, digits, symbols (等保 2.0)."""

    def __init__(self, min_classes: int = 3):
        self.min_classes = min_classes

    def validate(self, password, user=None):
        found = sum(1 for pattern, _ in CLASSES if re.search(pattern, password))
        if found < self.min_classes:
            raise ValidationError(
                f"密码须包含大写字母、小写字母、数字、符号中的至少{self.min_classes}类。", code="password_classes"
            )

    def get_help_text(self):
        return f"密码须包含大写字母、小写字母、数字、符号中的至少{self.min_classes}类。"


class MinimumLengthValidator:
    """At least `min_length` characters, said in Chinese (Django's own message has no Chinese
    translation for its plural form and came out in English)."""

    def __init__(self, min_length: int = 10):
        self.min_length = min_length

    def validate(self, password, user=None):
        if len(password) < self.min_length:
            raise ValidationError(f"密码太短：至少需要{self.min_length}个字符。", code="password_too_short")

    def get_help_text(self):
        return f"密码至少需要{self.min_length}个字符。"


class PasswordHistoryValidator:
    """A new password may not be any of the user's last `count` passwords (the current one
    included). Django calls `password_changed` after every save of a new password, which
    records its hash."""

    def __init__(self, count: int = 5):
        self.count = count

    def _recent(self, user):
        from .models import PasswordHistory

        return PasswordHistory.objects.filter(user=user).order_by("-created_at", "-id")

    def validate(self, password, user=None):
        from django.contrib.auth.hashers import check_password

        if user is None or user.pk is None:
            return
        hashes = list(self._recent(user).values_list("password", flat=True)[: self.count])
        if user.password and user.password not in hashes:
            hashes.insert(0, user.password)  # set before the history existed
        if any(check_password(password, h) for h in hashes[: self.count]):
            raise ValidationError(f"新密码不能与最近{self.count}次使用过的密码相同。", code="password_reused")

    def password_changed(self, password, user=None):
        from .models import PasswordHistory

        if user is None or user.pk is None or not user.password:
            return
        PasswordHistory.objects.create(user=user, password=user.password)
        stale = list(self._recent(user).values_list("pk", flat=True)[self.count:])
        if stale:
            PasswordHistory.objects.filter(pk__in=stale).delete()

    def get_help_text(self):
        return f"不能与最近{self.count}次使用过的密码相同。"
