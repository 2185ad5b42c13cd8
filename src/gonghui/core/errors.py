from django.core.exceptions import ValidationError


class ServiceError(ValidationError):
    """A business rule refused a write. The message is Chinese and meant for the user.

    It is a ValidationError so a form can attach it to the field it names
    (``form.add_error(err.field, err)``) and keep what the user typed.
    """

    def __init__(self, message: str, *, field: str | None = None):
        super().__init__(message)
        self.field = field
