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
