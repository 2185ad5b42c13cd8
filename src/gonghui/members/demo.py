"""Demo members: about 100 per union in the county (≈150,000) and 50 per union in a city
(≈1,000,000), with realistic shares of women and 农民工 and valid ID numbers."""

from gonghui.core.demo import DemoContext, builder


@builder("会员", after=("orgs",))
def build_members(ctx: DemoContext) -> None:
    from .demo_data import build

    build(ctx)
