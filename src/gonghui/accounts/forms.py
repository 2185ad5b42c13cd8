from django import forms
from django.contrib.auth.forms import AuthenticationForm

from gonghui.core.forms import BootstrapMixin, Form
from gonghui.core.pickers import PickerInput

from .models import Role

# The same words for an unknown username, a wrong password and a refused try: the login page
# must not tell which usernames exist or which are locked (issue 12).
LOGIN_REFUSED = "用户名或密码错误，或尝试次数过多。请核对后再试；多次失败须等待一段时间，或请管理员解除限制。"


class LoginForm(BootstrapMixin, AuthenticationForm):
    error_messages = {
        "invalid_login": LOGIN_REFUSED,
        "inactive": LOGIN_REFUSED,
    }


class PasswordChangeForm(Form):
    old_password = forms.CharField(label="原密码", widget=forms.PasswordInput)
    new_password1 = forms.CharField(label="新密码", widget=forms.PasswordInput,
                                    help_text="至少10位，包含大写字母、小写字母、数字、符号中的至少3类。")
    new_password2 = forms.CharField(label="确认新密码", widget=forms.PasswordInput)

    def __init__(self, user, *args, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    def clean_old_password(self):
        if not self.user.check_password(self.cleaned_data["old_password"]):
            raise forms.ValidationError("原密码不正确。")
        return self.cleaned_data["old_password"]

    def clean(self):
        a, b = self.cleaned_data.get("new_password1"), self.cleaned_data.get("new_password2")
        if a and b and a != b:
            self.add_error("new_password2", "两次输入的新密码不一致。")
        return self.cleaned_data


class UserCreateForm(Form):
    username = forms.CharField(label="用户名", max_length=150)
    display_name = forms.CharField(label="姓名", max_length=50)
    phone = forms.CharField(label="手机号", max_length=20, required=False)
    home_org = forms.CharField(label="所属单位编码", max_length=40,
                               widget=PickerInput("orgs:pick", {"perm": "accounts.manage"}))
    password = forms.CharField(label="初始密码", widget=forms.PasswordInput(render_value=True),
                               help_text="至少10位，包含至少3类字符；用户首次登录须修改。")


class GrantForm(Form):
    org = forms.CharField(label="授权单位编码", max_length=40, help_text="授权覆盖该单位及其全部下级。",
                          widget=PickerInput("orgs:pick", {"perm": "accounts.manage"}))
    role = forms.ModelChoiceField(label="角色", queryset=Role.objects.all())
