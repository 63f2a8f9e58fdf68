"""The 23-technique taxonomy end to end: `unspun semeval23 predict`, `unspun eval semeval23`, `analyze --taxonomy`,
the Document's `taxonomy` (JSON round trip and schema), and the API's `?taxonomy=` and /healthz.

The articles are invented here; the shipped `fast` model's semeval23 heads run on them.
"""

from __future__ import annotations

import json

import jsonschema
import orjson
import pytest

from conftest import REPO, assert_offsets

from unspun.document import Document
from unspun.taxonomy import SEMEVAL23

SCHEMA = json.loads((REPO / "docs" / "unspun-1.schema.json").read_text())
ARTICLES = {
    # a title, a blank line, paragraphs; a whitespace-only line (blank) and two blank lines in a row
    "901": ("The Great Bridge Betrayal\n\nThe council rammed through its disastrous scheme overnight, and every "
            "patriotic resident should be outraged.\n   \nEither you stand with the workers or you stand with the "
            "speculators.\n\n\nThe bridge opened on Tuesday at nine in the morning.\n"),
    # one paragraph, no newline at the end
    "902": "Clean streets, safe streets! They lied about the budget, they lied about the schools, they lied to you.",
}
TEMPLATE = [("901", 1), ("901", 3), ("901", 5), ("901", 8), ("902", 1)]


@pytest.fixture
def articles(tmp_path):
    folder = tmp_path / "articles"
    folder.mkdir()
    for article_id, text in ARTICLES.items():
        (folder / f"article{article_id}.txt").write_text(text, encoding="utf-8", newline="")
    lines = {a: ARTICLES[a].split("\n") for a in ARTICLES}
    template = tmp_path / "dev.template"
    template.write_text("".join(f"{a}\t{n}\t{lines[a][n - 1]}\n" for a, n in TEMPLATE), encoding="utf-8")
    return folder, template


def _rows(path):
    return [line.split("\t") for line in path.read_text(encoding="utf-8").splitlines()]


def test_predict_writes_one_row_per_template_paragraph(articles, tmp_path, run_cli):
    folder, template = articles
    out = tmp_path / "pred.txt"
    r = run_cli("semeval23", "predict", str(folder), "--template", str(template), "-o", str(out), "--model", "fast",
                text=True)
    assert r.returncode == 0, r.stderr
    rows = _rows(out)
    assert [(a, int(n)) for a, n, _ in rows] == TEMPLATE  # every row has three columns, even when the third is empty
    for _, _, labels in rows:
        for t in filter(None, labels.split(",")):
            assert t in SEMEVAL23.names
    # the labels are the techniques of `analyze --taxonomy semeval23`'s items in each paragraph
    from unspun import analyze_text
    from unspun.paragraphs import paragraphs

    for article_id, text in ARTICLES.items():
        doc = analyze_text(text, model="fast", stages=["techniques"], taxonomy="semeval23")
        for p in paragraphs(text):
            items = {t.technique for t in doc.techniques if p.start <= t.start and t.end <= p.end}
            row = next(r for r in rows if r[0] == article_id and int(r[1]) == p.number)
            assert set(filter(None, row[2].split(","))) == items


def test_predict_refuses_a_template_for_missing_articles(articles, tmp_path, run_cli):
    folder, template = articles
    bad = tmp_path / "bad.template"
    bad.write_text("999\t1\tNo such article\n", encoding="utf-8")
    r = run_cli("semeval23", "predict", str(folder), "--template", str(bad), "-o", str(tmp_path / "x"), text=True)
    assert r.returncode == 65 and "999" in r.stderr
    r = run_cli("semeval23", "predict", str(folder), "--template", str(tmp_path / "none"), "-o", str(tmp_path / "x"),
                text=True)
    assert r.returncode == 66


def test_eval_scores_a_prediction_file(articles, tmp_path, run_cli):
    folder, _ = articles
    gold = tmp_path / "gold.txt"
    gold.write_text("901\t1\tLoaded_Language\n901\t3\tLoaded_Language,Flag_Waving\n901\t5\tFalse_Dilemma-No_Choice\n"
                    "901\t8\t\n902\t1\tSlogans,Repetition\n", encoding="utf-8")
    pred = tmp_path / "pred.txt"
    pred.write_text("901\t1\t\n901\t3\tLoaded_Language\n901\t5\tFalse_Dilemma-No_Choice,Doubt\n901\t8\t\n"
                    "902\t1\tSlogans\n", encoding="utf-8")
    r = run_cli("eval", "semeval23", "--articles", str(folder), "--gold", str(gold), "--pred", str(pred), "--json",
                text=True)
    assert r.returncode == 0, r.stderr
    result = json.loads(r.stdout)
    # 3 of 4 predicted pairs are right; 6 gold pairs
    assert result["micro"]["precision"] == pytest.approx(0.75) and result["micro"]["recall"] == pytest.approx(0.5)
    assert result["micro"]["f1"] == pytest.approx(0.6)
    # Loaded 2/3 (P 1, R .5), Flag 0, False_Dilemma 1, Slogans 1, Repetition 0, Doubt 0 (predicted, never gold)
    assert result["macro"]["f1"] == pytest.approx((2 / 3 + 0 + 1 + 1 + 0 + 0) / 6)
    assert result["paragraphs"] == 5
    unknown = tmp_path / "unknown.txt"
    unknown.write_text("901\t1\tName_Calling,Labeling\n", encoding="utf-8")  # the 2020 spelling
    r = run_cli("eval", "semeval23", "--articles", str(folder), "--gold", str(gold), "--pred", str(unknown), text=True)
    assert r.returncode == 65 and "unknown technique" in r.stderr


def test_eval_runs_the_model(articles, tmp_path, run_cli):
    folder, _ = articles
    gold = tmp_path / "gold.txt"
    gold.write_text("901\t1\tLoaded_Language\n901\t3\tLoaded_Language\n902\t1\tSlogans\n", encoding="utf-8")
    r = run_cli("eval", "semeval23", "--articles", str(folder), "--gold", str(gold), "--model", "fast", "--json",
                "--bootstrap", "20", text=True)
    assert r.returncode == 0, r.stderr
    result = json.loads(r.stdout)
    assert 0 <= result["micro"]["f1"] <= 1 and 0 <= result["macro"]["f1"] <= 1
    assert len(result["micro"]["f1_ci95"]) == 2 and result["paragraphs"] == 3
    assert set(result["per_technique"]) == set(SEMEVAL23.names)


def test_analyze_with_the_semeval23_taxonomy(run_cli, tmp_path):
    article = tmp_path / "a.txt"
    article.write_text(ARTICLES["901"] + "\n" + ARTICLES["902"], encoding="utf-8")
    r = run_cli("analyze", str(article), "--model", "fast", "--taxonomy", "semeval23", "-f", "json")
    assert r.returncode == 0, r.stderr
    data = orjson.loads(r.stdout)
    jsonschema.validate(data, SCHEMA)
    assert_offsets(data)
    assert data["taxonomy"] == "semeval23" and data["options"]["taxonomy"] == "semeval23"
    assert data["techniques"], "the invented article uses loaded language"
    for t in data["techniques"]:
        assert t["technique"] in SEMEVAL23.names
        assert t["definition_id"] == SEMEVAL23.by_name(t["technique"]).id
    assert data["models"]["techniques"]["name"].startswith("unspun-semeval23-heads")
    doc = Document.from_json(r.stdout)
    assert doc.taxonomy == "semeval23" and orjson.loads(doc.to_json()) == data  # exact round trip
    # the default is PTC's 14, and its options look as they always did
    r = run_cli("analyze", str(article), "--model", "fast", "--stages", "techniques", "-f", "json")
    plain = orjson.loads(r.stdout)
    assert plain["taxonomy"] == "ptc14" and "taxonomy" not in plain["options"]
    jsonschema.validate(plain, SCHEMA)
    r = run_cli("analyze", str(article), "--taxonomy", "ptc18", text=True)
    assert r.returncode == 2


def test_json_without_a_taxonomy_reads_as_ptc14():
    from test_document import full_document

    data = full_document().to_plain()
    del data["taxonomy"]
    assert Document.from_dict(data).taxonomy == "ptc14"


def test_other_renderers_use_the_documents_taxonomy(run_cli, tmp_path):
    from unspun import analyze_text
    from unspun.render import render

    doc = analyze_text(ARTICLES["901"], model="fast", stages=["techniques"], taxonomy="semeval23")
    page = render([doc], "html").decode()
    md = render([doc], "md").decode()
    for name in {t.technique for t in doc.techniques}:
        info = SEMEVAL23.by_name(name)
        assert info.definition in md
        assert f"t-{info.id}" in page


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    from fastapi.testclient import TestClient

    from unspun.corpus.store import Store
    from unspun.server import ServerConfig, create_app

    store = Store(f"sqlite:///{tmp_path_factory.mktemp('db') / 'server.db'}")
    app = create_app(ServerConfig(model="fast", queue_size=1, warm_up=False), store=store)
    with TestClient(app, base_url="http://127.0.0.1") as c:
        yield c
    store.close()


def test_api_techniques_by_taxonomy(client):
    items = client.get("/api/v1/techniques?taxonomy=semeval23").json()
    assert [i["technique"] for i in items] == list(SEMEVAL23.names)
    assert all(i["id"].startswith("s23_") and i["family"] and i["definition"] and i["example"] for i in items)
    from unspun.taxonomy import NAMES

    assert [i["technique"] for i in client.get("/api/v1/techniques").json()] == list(NAMES)
    assert [i["technique"] for i in client.get("/api/v1/techniques?taxonomy=ptc14").json()] == list(NAMES)
    r = client.get("/api/v1/techniques?taxonomy=ptc18")
    assert r.status_code == 422 and "error" in r.json()


def test_api_analyze_under_both_taxonomies(client):
    text = ARTICLES["901"]
    a = client.post("/api/v1/analyze", json={"text": text, "options": {"model": "fast", "stages": ["techniques"]}})
    b = client.post("/api/v1/analyze", json={"text": text, "options": {"model": "fast", "stages": ["techniques"],
                                                                        "taxonomy": "semeval23"}})
    assert a.status_code == b.status_code == 200, b.text
    assert a.json()["taxonomy"] == "ptc14" and b.json()["taxonomy"] == "semeval23"
    assert a.json()["id"] != b.json()["id"]  # an analysis under the other taxonomy never replaces the first
    assert client.get(f"/api/v1/documents/{a.json()['id']}").json()["taxonomy"] == "ptc14"
    bad = client.post("/api/v1/analyze", json={"text": text, "options": {"taxonomy": "ptc18"}})
    assert bad.status_code == 422
    health = client.get("/healthz").json()
    assert health["models"]["techniques_semeval23"]["name"] == "unspun-semeval23-heads-fast"
