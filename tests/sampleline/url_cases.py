"""The sample line's rows of the URL permission matrix, discovered like every line's."""

from .models import Visit


def cases(tree, personas):
    v_in = Visit.objects.create(org=tree.union_a1, org_path=tree.union_a1.path, visited_on=tree.union_a1.founded_on,
                                title="走访甲一")
    v_out = Visit.objects.create(org=tree.union_b1, org_path=tree.union_b1.path, visited_on=tree.union_b1.founded_on,
                                 title="走访乙一")
    return {"sampleline:index": None, "sampleline:detail": ([v_in.pk], [v_out.pk])}
