"""The audit log: written in the service's transaction, append-only, tamper-evident."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction

from gonghui.core import audit
from gonghui.core.audit import Target
from gonghui.core.models import AuditChainHead, AuditEvent
from gonghui.orgs import services


def entries(n):
    with transaction.atomic():
        for i in range(n):
            audit.record(actor=None, action="test.thing.done", target=Target("test.thing", str(i), f"事物{i}"),
                         changes={"n": i, "id_number": "430121199001011234"})


def test_the_chain_verifies_and_sensitive_values_are_redacted(db):
    entries(5)
    assert audit.verify_chain() is None
    assert AuditEvent.objects.get(seq=1).changes == {"n": 0, "id_number": "***"}
    assert AuditChainHead.objects.get(pk=1).seq == 5


def raw(sql, params):
    with connection.cursor() as cur:
        cur.execute(sql, params)


@pytest.mark.parametrize(
    ("tamper", "bad_seq"),
    [
        (lambda: raw("UPDATE core_auditevent SET object_label = %s WHERE seq = %s", ["改过", 3]), 3),
        (lambda: raw("UPDATE core_auditevent SET changes = %s WHERE seq = %s", ['{"n": 99}', 2]), 2),
        (lambda: raw("DELETE FROM core_auditevent WHERE seq = %s", [3]), 3),
        (lambda: raw("DELETE FROM core_auditevent WHERE seq = %s", [5]), 5),
        (lambda: raw("UPDATE core_auditevent SET actor_name = %s WHERE seq = %s", ["someone", 1]), 1),
    ],
)
def test_tampering_is_detected_and_the_first_bad_entry_named(db, tamper, bad_seq):
    entries(5)
    tamper()
    problem = audit.verify_chain()
    assert problem is not None and problem.seq == bad_seq
    with pytest.raises(CommandError, match=f"第 {bad_seq} 条"):
        call_command("audit", "verify")


def test_verify_command_passes_on_an_intact_chain(db, capsys):
    entries(3)
    call_command("audit", "verify")
    assert "哈希链校验通过" in capsys.readouterr().out


def test_the_orm_refuses_to_change_or_delete_entries(db):
    entries(1)
    event = AuditEvent.objects.get()
    event.action = "x"
    with pytest.raises(TypeError):
        event.save()
    with pytest.raises(TypeError):
        event.delete()
    with pytest.raises(TypeError):
        AuditEvent.objects.all().delete()
    with pytest.raises(TypeError):
        AuditEvent.objects.update(action="x")


def test_record_outside_a_transaction_is_a_programming_error(transactional_db):
    with pytest.raises(RuntimeError):
        audit.record(actor=None, action="x", target=Target("x"))


def test_a_refused_service_writes_no_entry(tree):
    before = AuditEvent.objects.count()
    with pytest.raises(Exception):  # noqa: B017 - any refusal
        services.org_dissolve(actor=None, org=tree.town_a, dissolved_on=tree.town_a.founded_on, reason="x")
    assert AuditEvent.objects.count() == before
    assert audit.verify_chain() is None


def test_entries_carry_source_and_request_id(db):
    with audit.context(source="cli", request_id="abc123"):
        entries(1)
    event = AuditEvent.objects.get()
    assert (event.source, event.request_id) == ("cli", "abc123")
