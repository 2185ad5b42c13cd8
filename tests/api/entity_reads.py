"""The read resources of entities that had none (or were only nested in their parent's detail):
assistance's expenses, archive events, living standards and application documents, funds' split
shares and refund formalities, mutual aid's claim documents and form templates, appraisal's score
entries and uploads, the member portal's join applications, rights requests and help requests, the
unions' coverages of employers and the service posts' visitors entered one by one, the figures'
targets and reported values. Their operations for the permission matrix (tests/api/test_matrix.py) and one
object of each kind under 甲一 (or 甲镇) and one under 乙一 (or 乙镇), made through the lines' services
after tests/api/line_objects.py (whose archives, applications, formalities, claims and appraisals
they reuse): {kind: ((id, org path) under 甲, (…) under 乙)}. A SHARED kind is the whole system's
reference data, seen by every holder of the permission (its path is "")."""

import datetime as dt

D = dt.date

READS = [  # (list path, permission, kind)
    ("/api/v1/archive-expenses/", "assistance.view_sensitive", "archive_expense"),
    ("/api/v1/archive-events/", "assistance.view", "archive_event"),
    ("/api/v1/living-standards/", "assistance.view", "living_standard"),
    ("/api/v1/application-documents/", "assistance.view", "application_document"),
    ("/api/v1/fund-shares/", "funds.view", "fund_share"),
    ("/api/v1/refund-formalities/", "funds.view", "refund_formality"),
    ("/api/v1/claim-documents/", "mutual_aid.view", "claim_document"),
    ("/api/v1/enrolment-form-templates/", "mutual_aid.plan", "form_template"),
    ("/api/v1/appraisal-entries/", "appraisal.view", "appraisal_entry"),
    ("/api/v1/appraisal-uploads/", "appraisal.view", "appraisal_upload"),
    ("/api/v1/join-applications/", "portal.view", "join_application"),
    ("/api/v1/rights-requests/", "portal.view", "rights_request"),
    ("/api/v1/help-requests/", "portal.view", "help_request"),
    ("/api/v1/coverages/", "employers.view", "coverage"),
    ("/api/v1/post-visits/", "activities.view", "post_visit"),
    ("/api/v1/targets/", "stats.view", "target"),
    ("/api/v1/reported-values/", "stats.view", "reported_value"),
]
OPERATIONS = [op for path, perm, kind in READS for op in (("GET", path, perm, None),
                                                           ("GET", f"{path}{{id}}/", perm, kind))]
KINDS = {path: kind for path, _perm, kind in READS}
SHARED = {"living_standard", "fund_share"}

PDF = b"%PDF-1.4 test"


def _pair(rows, path=lambda o: o.org.path):
    return tuple((o.pk, path(o)) for o in rows)


def assistance(tree):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from gonghui.assistance import services
    from gonghui.assistance.models import Application, Archive

    expenses, events, documents = [], [], []
    for union in (tree.union_a1, tree.union_b1):
        archive = Archive.objects.filter(org=union).order_by("pk").first()  # line_objects' archive, in force
        expenses.append(services.expense_add(actor=None, archive=archive, on=D(2025, 5, 2), kind="medical",
                                             annual_amount="1200", note="住院自付", confirm_category=archive.category))
        events.append(archive.events.order_by("pk").first())
        app = Application.objects.filter(archive=archive).order_by("pk").first()
        documents.append(services.document_add(actor=None, application=app, name="诊断书",
                                               file=SimpleUploadedFile("诊断书.pdf", PDF)))
    standard = services.standard_set(actor=None, region_code="430121", region_name="长沙县", year=2025, monthly="700")
    return {"archive_expense": _pair(expenses, lambda e: e.archive.org.path),
            "archive_event": _pair(events, lambda e: e.archive.org.path),
            "living_standard": ((standard.pk, ""), (standard.pk, "")),
            "application_document": _pair(documents, lambda d: d.application.org.path)}


def funds(tree):
    from gonghui.funds import services
    from gonghui.funds.models import RefundFormality

    shares = services.share_table_set(actor=None, valid_from=D(2025, 1, 1),
                                      shares={"grassroots": "60", "county": "40"}, remainder="county")
    formalities = [RefundFormality.objects.get(union=u) for u in (tree.union_a1, tree.union_b1)]  # line_objects'
    return {"fund_share": ((shares[0].pk, ""), (shares[-1].pk, "")),
            "refund_formality": _pair(formalities, lambda f: f.union.path)}


def mutual_aid(tree):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from gonghui.mutual_aid import documents as forms_docx
    from gonghui.mutual_aid import services
    from gonghui.mutual_aid.models import Claim

    papers = [services.claim_document_add(actor=None, claim=Claim.objects.get(union=u), kind="diagnosis",
                                          file=SimpleUploadedFile("诊断证明.pdf", PDF))
              for u in (tree.union_a1, tree.union_b1)]
    content, _label = forms_docx.template_for(tree.root)  # the built-in template, valid by construction
    templates = [services.form_template_upload(actor=None, org=t, name="参保单.docx", content=content)
                 for t in (tree.town_a, tree.town_b)]
    return {"claim_document": _pair(papers, lambda d: d.claim.union.path), "form_template": _pair(templates)}


def appraisal(tree):
    from gonghui.appraisal import services
    from gonghui.appraisal.models import Appraisal, Entry

    entries, uploads = [], []
    for union in (tree.union_a1, tree.union_b1):
        a = Appraisal.objects.filter(org=union).order_by("pk").first()  # line_objects' appraisal, open
        entry = Entry.objects.select_related("appraisal__org", "appraisal__scheme", "indicator__parent").filter(
            appraisal=a, indicator__rule_type="manual").first()
        entries.append(services.entry_self_score(actor=None, entry=entry, self_score=3, evidence="创新案例两项"))
        uploads.append(services.entry_upload(actor=None, entry=entry, name="案例.pdf", content=PDF))
    return {"appraisal_entry": _pair(entries, lambda e: e.appraisal.org_path),
            "appraisal_upload": _pair(uploads, lambda u: u.org_path)}


def portal(tree):
    """Under each of 甲一 and 乙一: a worker who applied online, was accepted and activated his account,
    then asked about his data and for help (with a paper); and a second worker's application, pending."""
    from gonghui.portal import services
    from tests.members.conftest import make_id

    out: dict[str, list] = {"join_application": [], "rights_request": [], "help_request": []}
    for employer, seq in ((tree.emp["a1"], 640), (tree.emp["b1"], 641)):
        ids = [make_id(birth="19850505", seq=seq), make_id(birth="19850505", seq=seq + 10)]
        app = services.application_submit(name="网上申请人", id_number=ids[0], phone="13812345678",
                                          employer=employer, consent=True)
        _membership, code = services.application_accept(actor=None, application=app)
        account = services.account_activate(id_number=ids[0], code=code, password=PORTAL_PASSWORD)
        out["rights_request"].append(services.rights_request(account=account, kind="correct",
                                                             detail="手机号码应为13900000000"))
        out["help_request"].append(services.help_request(account=account, kind="golden_autumn",
                                                         reason="爱人患病，家庭收入低", student_name="小明",
                                                         school="县一中高三", attachment_name="证明.pdf",
                                                         attachment=PDF))
        out["join_application"].append(services.application_submit(
            name="待审申请人", id_number=ids[1], phone="13987654321", employer=employer, consent=True))
    return {k: _pair(v, lambda o: o.union.path) for k, v in out.items()}


PORTAL_PASSWORD = "Member-Passw0rd!"


def coverages_and_visitors(tree):
    """The tree's coverages of 甲一公司 (by 甲一) and 乙一公司 (by 乙一); a visitor at a post of each union."""
    from gonghui.activities import services
    from gonghui.orgs.models import Coverage

    coverages = [Coverage.objects.get(union=u, employer=tree.emp[k]) for u, k in ((tree.union_a1, "a1"),
                                                                                  (tree.union_b1, "b1"))]
    visits = []
    for union in (tree.union_a1, tree.union_b1):
        post = services.post_create(actor=None, org=union, type="care", name="来访驿站", opened_on=D(2025, 1, 1))
        visits.append(services.post_visit_log(actor=None, post=post, on=D(2025, 3, 3), visitor="来访职工",
                                              service="法律咨询"))
    return {"coverage": _pair(coverages, lambda c: c.union.path), "post_visit": _pair(visits, lambda v: v.post.org.path)}


def targets(tree):
    """甲一's and 乙一's 2025 target of members.total, and the value each published for the year."""
    from gonghui.core.periods import Period
    from gonghui.reports import services

    year = Period(D(2025, 1, 1), D(2025, 12, 31))
    made = [(services.target_set(actor=None, org=u, metric_code="members.total", year=2025, value=n),
             services.reported_set(actor=None, org=u, metric_code="members.total", period=year, value=n - 2))
            for u, n in ((tree.union_a1, 120), (tree.union_b1, 80))]
    return {"target": _pair([t for t, _r in made]), "reported_value": _pair([r for _t, r in made])}


def make(tree, personas) -> dict:
    """After line_objects.make (it needs that module's archives, formalities, claims and appraisals)."""
    return {**assistance(tree), **funds(tree), **mutual_aid(tree), **appraisal(tree), **portal(tree),
            **coverages_and_visitors(tree), **targets(tree)}
