"""Workbooks of the line: a scheme's results (totals, grades, ranking, every indicator's score)
and all submissions of a round as one sheet."""

from __future__ import annotations

from gonghui.core import exports, scope

from .models import Round, Scheme, Submission


@exports.register
class Results(exports.Exporter):
    key = "appraisal_results"
    title = "考核结果"
    permission = "appraisal.view"
    params_help = {"scheme": "考核方案编号"}

    def _scheme(self) -> Scheme | None:
        return scope.visible(Scheme.objects.select_related("org").filter(pk=self.params.get("scheme") or 0),
                             self.user, self.permission, "org_path").first()

    @property
    def headers(self):
        from .live import score_scheme

        scheme = self._scheme()
        if scheme is None:
            return ("名次", "单位", "总分", "等次")
        self._result = score_scheme(scheme)
        return ("名次", "单位", "总分", "等次", "否决事项",
                *(f"{i.code} {i.name}（{i.max_score.normalize():f}分）" for i in self._result.indicators))

    def rows(self):
        result = getattr(self, "_result", None)
        if result is None:
            return
        for r in result.rows:
            yield [r.rank, r.appraisal.org.name, r.outcome.total, r.outcome.grade, "、".join(r.outcome.vetoed_by),
                   *(r.outcome.scores.get(i.code) for i in result.indicators)]


@exports.register
class Submissions(exports.Exporter):
    key = "appraisal_submissions"
    title = "填报汇总"
    permission = "appraisal.view"
    params_help = {"round": "填报任务编号"}

    def _round(self) -> Round | None:
        return scope.visible(Round.objects.filter(pk=self.params.get("round") or 0), self.user, self.permission,
                             "org_path").first()

    @property
    def headers(self):
        self._r = self._round()
        fields = self._r.fields if self._r else []
        return ("单位", "状态", "提交时间", "退回理由", *(f["label"] for f in fields))

    def rows(self):
        r = getattr(self, "_r", None)
        if r is None:
            return
        qs = Submission.objects.filter(round=r).select_related("org").order_by("org_path", "pk")
        for s in qs.iterator(chunk_size=1000):
            yield [s.org.name, s.get_status_display(), s.submitted_at.strftime("%Y-%m-%d %H:%M") if s.submitted_at
                   else "", s.reason, *(s.data.get(f["key"], "") for f in r.fields)]
