from gonghui.core.metrics import metric
from gonghui.core.scope import subtree_q

from .models import Visit


@metric("sampleline.visits", label="走访次数", unit="项", group="走访样例")
def visits(org, period, subs):
    where = subtree_q("org_path", org.path) if subs else {"org_path": org.path}
    qs = Visit.objects.filter(where) if subs else Visit.objects.filter(**where)
    return qs.filter(visited_on__gte=period.start, visited_on__lte=period.end).count()
