"""Field hints of the token form."""

from gonghui.core.hints import hint

from . import forms

hint(forms, "TokenForm", {
    "name": "说明令牌的用途，如“省平台同步”，便于日后识别和撤销。",
    "days": "到期后令牌自动失效，须重新创建。",
    "read_only": "勾选后该令牌只能读取数据，任何修改都会被拒绝。",
})
