from django import forms

from gonghui.core.forms import Form

from .services import LIFETIMES


class TokenForm(Form):
    name = forms.CharField(label="令牌名称", max_length=60)
    days = forms.TypedChoiceField(label="有效期", coerce=int, initial=90,
                                  choices=[(d, f"{d} 天") for d in LIFETIMES])
    read_only = forms.BooleanField(label="只读（不能修改数据）", required=False)
