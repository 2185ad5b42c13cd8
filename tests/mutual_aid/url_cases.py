"""This work line's rows of the URL permission matrix (tests/core/test_url_permissions.py)."""


def cases(tree, personas):
    from tests.mutual_aid.build import batch_with_claim

    b_in, c_in = batch_with_claim(tree, tree.union_a1)
    b_out, c_out = batch_with_claim(tree, tree.union_b1)
    return {
        "mutual_aid:index": None, "mutual_aid:claims": None, "mutual_aid:plans": None,
        "mutual_aid:batch_detail": ([b_in.pk], [b_out.pk]),
        "mutual_aid:claim_detail": ([c_in.pk], [c_out.pk]),
    }
