"""The audit log: written in the service's transaction, append-only, tamper-evident, and anchored
outside the database so that entries cut off its end are detected too."""

import json
import socket
import uuid

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction

from gonghui.core import audit
from gonghui.core.audit import Target
from gonghui.core.models import AccessLog, AuditChainHead, AuditEvent
from gonghui.orgs import services


@pytest.fixture(autouse=True)
def anchor(settings, tmp_path):
    """Each test its own checkpoint file: the test database is rolled back after every test, which
    is exactly what the checkpoints are there to notice."""
    settings.AUDIT_ANCHOR_FILE = str(tmp_path / "audit-anchor.log")
    settings.AUDIT_ANCHOR_URL = ""
    return tmp_path / "audit-anchor.log"


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


# --- the anchor: checkpoints outside the database ---------------------------------------------------

def committed(capture, n):
    """`n` entries in one transaction, with its commit hooks run as a real commit would."""
    with capture(execute=True):
        entries(n)


def checkpoints(path):
    return [json.loads(line) for line in path.read_text().splitlines()]


def cut_tail(keep):
    """What an attacker with the database's credentials does: delete the last entries and point
    the chain head at the new last one."""
    raw("DELETE FROM core_auditevent WHERE seq > %s", [keep])
    last = AuditEvent.objects.filter(seq=keep).values_list("hash", flat=True).first() or audit.GENESIS
    raw("UPDATE core_auditchainhead SET seq = %s, hash = %s WHERE id = 1", [keep, last])


def test_each_commit_appends_one_signed_checkpoint(transactional_db, anchor):
    entries(5)  # real commits, one transaction each
    entries(2)
    lines = checkpoints(anchor)
    head = AuditChainHead.objects.get(pk=1)
    assert [c["seq"] for c in lines] == [5, 7] and lines[-1]["hash"] == head.hash
    assert oct(anchor.stat().st_mode & 0o777) == "0o600"


def test_a_savepoint_rolled_back_does_not_lose_the_checkpoint(db, anchor, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        with transaction.atomic():
            entries(1)  # registers the hook inside this savepoint, released
        try:
            with transaction.atomic():
                entries(1)
                raise ValueError
        except ValueError:
            pass
        with transaction.atomic():
            sid = transaction.savepoint()
            entries(1)
            transaction.savepoint_rollback(sid)
        entries(1)
    assert [c["seq"] for c in checkpoints(anchor)] == [2]


def test_cutting_off_the_tail_and_resetting_the_head_fails_verify(db, django_capture_on_commit_callbacks):
    committed(django_capture_on_commit_callbacks, 5)
    cut_tail(3)
    problem = audit.verify_chain()
    assert problem is not None and problem.seq == 4
    assert "已有 5 条，表中只到第 3 条：末尾 2 条记录被删除" in problem.reason
    with pytest.raises(CommandError, match="末尾 2 条记录被删除"):
        call_command("audit", "verify")


def test_deleting_every_entry_fails_verify(db, django_capture_on_commit_callbacks):
    committed(django_capture_on_commit_callbacks, 3)
    cut_tail(0)
    assert AuditEvent.objects.count() == 0
    with pytest.raises(CommandError, match="已有 3 条，表中只到第 0 条"):
        call_command("audit", "verify")


def test_a_replaced_tail_is_detected_by_the_checkpoints_hash(db, django_capture_on_commit_callbacks):
    committed(django_capture_on_commit_callbacks, 3)
    cut_tail(2)
    entries(1)  # the application writes a new, validly chained third entry
    problem = audit.verify_chain()
    assert problem is not None and problem.seq == 3 and "与检查点" in problem.reason


def test_verify_anchors_the_chain_it_checked(db, anchor, capsys, django_capture_on_commit_callbacks):
    entries(4)  # not anchored: still inside the test's transaction
    with django_capture_on_commit_callbacks(execute=True):
        call_command("audit", "verify")
    assert "此前没有检查点" in capsys.readouterr().out
    assert [c["seq"] for c in checkpoints(anchor)] == [4]
    call_command("audit", "verify")
    assert "与检查点（第 4 条" in capsys.readouterr().out


def test_a_forged_checkpoint_is_refused_and_a_torn_line_ignored(db, anchor, django_capture_on_commit_callbacks):
    committed(django_capture_on_commit_callbacks, 2)
    with anchor.open("a") as f:
        f.write('{"seq": 1, "hash": "x"')  # a write cut short by a crash
    assert audit.verify_chain() is None
    with anchor.open("a") as f:
        f.write("\n" + json.dumps({"seq": 99, "hash": "0" * 64, "at": "2026-01-01T00:00:00+00:00", "mac": "0" * 64}) + "\n")
    with pytest.raises(CommandError, match="签名不符"):
        call_command("audit", "verify")


def test_checkpoints_are_exported_to_a_file_url_and_read_back(db, settings, anchor, tmp_path,
                                                                django_capture_on_commit_callbacks):
    export = tmp_path / "elsewhere" / "anchor.log"
    settings.AUDIT_ANCHOR_URL = export.as_uri()
    committed(django_capture_on_commit_callbacks, 3)
    assert checkpoints(export) == checkpoints(anchor)
    anchor.unlink()  # the local file lost: the export still knows the chain had 3 entries
    cut_tail(1)
    problem = audit.verify_chain()
    assert problem is not None and "已有 3 条，表中只到第 1 条" in problem.reason


def test_checkpoints_are_sent_to_syslog_over_udp(db, settings):
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as server:
        server.bind(("127.0.0.1", 0))
        server.settimeout(5)
        settings.AUDIT_ANCHOR_URL = f"syslog://127.0.0.1:{server.getsockname()[1]}"
        audit.write_checkpoint(7, "ab" * 32)
        message = server.recv(4096).decode()
    assert message.startswith("<110>1 ") and " gonghui - audit-anchor - " in message
    line = json.loads(message.split(" - audit-anchor - ", 1)[1])
    assert (line["seq"], line["hash"]) == (7, "ab" * 32)
    assert line["mac"] == audit._sign(7, "ab" * 32, line["at"])


@pytest.mark.skipif(connection.vendor != "postgresql", reason="database roles and triggers: PostgreSQL only")
def test_postgresql_refuses_changes_to_the_logs_for_the_application_role(db):
    entries(2)
    audit.log_access(user=None, kind=AccessLog.Kind.EXPORT, object_type="test.thing")
    role = f"gh_test_app_{uuid.uuid4().hex[:8]}"  # roles are cluster-wide: a name of its own
    with connection.cursor() as cur:
        cur.execute(f"CREATE ROLE {role} NOLOGIN")  # rolled back with the test's transaction
        cur.execute(f"GRANT SELECT, INSERT, UPDATE, DELETE, TRUNCATE ON core_auditevent, core_accesslog TO {role}")
        cur.execute(f"GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO {role}")
        cur.execute(f"SET LOCAL ROLE {role}")
        for sql in ("UPDATE core_auditevent SET object_label = 'x' WHERE seq = 2",
                    "DELETE FROM core_auditevent WHERE seq = 2",
                    "TRUNCATE core_auditevent",
                    "UPDATE core_accesslog SET reason = 'x'",
                    "DELETE FROM core_accesslog",
                    "TRUNCATE core_accesslog"):
            with pytest.raises(DatabaseError, match="日志只能追加"), transaction.atomic():
                cur.execute(sql)
        # Appending is what the application does, and stays allowed.
        cur.execute("INSERT INTO core_accesslog (created_at, user_id, user_name, kind, object_type, object_id,"
                    " fields, reason, org_path, request_id) VALUES (now(), NULL, 'x', 'export', 't', '', '[]',"
                    " '', '', '')")
        cur.execute("RESET ROLE")
    assert AuditEvent.objects.count() == 2 and AccessLog.objects.count() == 2
    # The owner (and a superuser) can still maintain the tables, e.g. `manage flush`.
    raw("DELETE FROM core_accesslog WHERE user_name = %s", ["x"])
    assert AccessLog.objects.count() == 1
