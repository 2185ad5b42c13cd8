from gonghui.core.demo import DemoContext, builder

from .models import Visit


@builder("走访样例", after=("orgs",))
def build_visits(ctx: DemoContext) -> None:
    for town in ctx.data["townships"]:
        Visit.objects.create(org=town, org_path=town.path, visited_on=ctx.today, title=f"走访{town.name}")
