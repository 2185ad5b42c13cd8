"""The script of docs/guide/api.md, step by step, through Django's test client with the token header:
the token is created on the token page, then every curl line of the guide is replayed as written."""

import json
import re
import shlex
from pathlib import Path

from gonghui.core.models import AccessLog, AuditEvent
from gonghui.petitions.models import Petition

GUIDE = Path(__file__).resolve().parents[2] / "docs" / "guide" / "api.md"
INSTALLED = Path(__file__).resolve().parents[2] / "src" / "gonghui" / "api" / "guide.md"


def test_the_installed_guide_is_the_docs_guide():
    """The application serves its copy (/guide/api/); the repository's docs/ holds the same text."""
    assert INSTALLED.read_text(encoding="utf-8") == GUIDE.read_text(encoding="utf-8")


def script() -> list[str]:
    text = GUIDE.read_text(encoding="utf-8")
    block = re.search(r"```bash\n(.*?)```", text, re.S).group(1)
    return [line for line in block.splitlines() if line.strip() and not line.startswith("#")]


def expand(text: str, env: dict) -> str:
    return re.sub(r"\$(\w+)|\$\{(\w+)\}", lambda m: env[m.group(1) or m.group(2)], text)


def jq(value, path: str):
    for key, index in re.findall(r"\.(\w+)|\[(\d+)\]", path):
        value = value[key] if key else value[int(index)]
    return value


def run_curl(client, words: list[str], env: dict):
    headers, method, data, url = {}, "GET", None, None
    i = 1
    while i < len(words):
        w = words[i]
        if w == "-s":
            pass
        elif w == "-H":
            name, _, value = words[i + 1].partition(": ")
            headers[f"HTTP_{name.upper().replace('-', '_')}"] = value
            i += 1
        elif w == "-X":
            method = words[i + 1]
            i += 1
        elif w == "-d":
            data = words[i + 1]
            i += 1
        else:
            url = w
        i += 1
    path = url.removeprefix(env["BASE"])
    content_type = headers.pop("HTTP_CONTENT_TYPE", "application/json")
    if method == "POST":
        return client.post(path, data, content_type=content_type, **headers)
    return client.get(path, **headers)


def test_the_guides_script_runs_against_the_application(client, personas, tree):
    client.force_login(personas.town_clerk)  # 1. the token, created on the token page
    created = client.post("/api/tokens/", {"name": "乡镇数据交换", "days": "30"}).context["created"]
    client.logout()
    env, responses = {}, []
    for line in script():
        assign = re.match(r"^(\w+)=(.*)$", line)
        if assign and not assign.group(2).startswith("$(curl"):
            value = assign.group(2).strip('"')
            env[assign.group(1)] = created if assign.group(1) == "TOKEN" else expand(value, env)
            continue
        command, var, path = line, None, None
        m = re.match(r"^(\w+)=\$\((curl .*) \| jq -r '([^']*)'\)$", line)
        if m:
            var, command, path = m.groups()
        # the shell's '"'$VAR'"' splices: expand variables first, then split like the shell
        words = shlex.split(expand(command, env))
        response = run_curl(client, words, env)
        assert response.status_code in (200, 201), (line, response.content.decode()[:500])
        responses.append(response.json())
        if var:
            env[var] = str(jq(response.json(), path))
    roster, joined, member, petition, accepted, stats = responses
    assert roster["results"] == [] or all(row["masked"] for row in roster["results"])
    assert joined["name"] == "李四" and joined["masked"]
    assert member["id"] == int(env["MEMBER"]) and member["masked"]  # 业务经办 has no full view
    assert accepted["status"] == "accepted" and accepted["close_due"]
    assert Petition.objects.get(pk=env["PETITION"]).status == "accepted"
    assert stats["org"]["code"] == "A" and stats["metrics"]
    assert AuditEvent.objects.filter(action__in=["members.member.joined", "petitions.petition.registered",
                                                 "petitions.petition.accepted"]).count() == 3
    assert not AccessLog.objects.exists()
    # the roster now holds the new member, masked
    again = client.get("/api/v1/members/?org=A", HTTP_AUTHORIZATION=f"Bearer {created}").json()
    assert [r["name"] for r in again["results"]] == ["李四"] and again["results"][0]["id_number"].count("*") >= 8


def test_the_guides_error_example_is_what_the_api_says(client, personas, tree, api_for):
    text = GUIDE.read_text(encoding="utf-8")
    example = json.loads(re.search(r"```json\n(.*?)```", text, re.S).group(1))
    api = api_for(personas.town_clerk)
    r = api.post("members/", {"union_code": "A1", "name": "李四", "id_number": "430121199001011237",
                              "joined_on": "2026-13-01"})
    assert r.status_code == 400 and r.json() == example
