"""The holiday calendar page: the exceptions that drive working-day deadlines."""

from django import forms
from django.contrib import messages
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from . import calendar, clock
from .errors import ServiceError
from .forms import DateField, Form
from .models import CalendarDay
from .params import year_param
from .periods import parse_date
from .views_base import requires


class DayForm(Form):
    date = DateField(label="日期", widget=forms.DateInput(attrs={"type": "date"}),
                     help_text="国务院公布的放假日或调休上班日；按“日”计算的期限最后一日遇休息日，顺延至其后第一个工作日。")
    kind = forms.ChoiceField(label="类型", choices=CalendarDay.Kind.choices,
                             help_text="放假：这一天不算工作日；调休上班：这个周末算工作日。")
    name = forms.CharField(label="名称", max_length=40, required=False, help_text="如：春节、国庆节调休")


@requires("calendar.manage")
def calendar_page(request):
    today = clock.today()
    year = year_param(request.GET, default=today.year)
    form = DayForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            day = calendar.set_day(actor=request.user, **form.cleaned_data)
        except ServiceError as err:
            form.add_service_error(err)
        else:
            messages.success(request, f"已保存：{day}")
            return redirect(f"{request.path}?year={day.date.year}")
    days = CalendarDay.objects.filter(date__year=year)
    maintained = calendar.years_maintained()
    return render(request, "core/calendar.html", {
        "form": form, "days": days, "year": year, "years": sorted(maintained | {today.year, today.year + 1}),
        "missing_next": today.year + 1 not in maintained,
        "next_year": today.year + 1,
    })


@requires("calendar.manage")
@require_POST
def calendar_delete(request):
    try:
        date = parse_date(request.POST.get("date", ""), "日期")
        calendar.remove_day(actor=request.user, date=date)
    except ServiceError as err:
        messages.error(request, err.message)
        return redirect("core:calendar")
    messages.success(request, f"已删除 {date}。")
    return redirect(f"/calendar/?year={date.year}")
