from django.core.exceptions import ValidationError


class ServiceError(ValidationError):
    """A business rule refused a write. The message is Chinese and meant for the user.

    It is a ValidationError so a form can attach it to the field it names
    (``form.add_error(err.field, err)``) and keep what the user typed.
    """

    def __init__(self, message: str, *, field: str | None = None):
        super().__init__(message)
        self.field = field


def join_messages(messages) -> str:
    """Several Chinese messages as one sentence list: "甲；乙。", never "甲。；乙。" (each message
    is a sentence with its own full stop; the stop goes before the join, and one ends the whole)."""
    parts = [str(m).strip().rstrip("。；;.") for m in messages]
    parts = [p for p in parts if p]
    return "；".join(parts) + "。" if parts else ""
