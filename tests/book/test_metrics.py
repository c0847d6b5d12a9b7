"""The metrics.json schema and the claim summary (no notebook is executed)."""

import copy
import json
import math

import pytest
from eigenbook.book import metrics as mx

GOOD = {
    "chapter": "01_ok", "scale": "ci", "seed": 0, "runtime_s": 1.5,
    "versions": {"python": "3.11.9", "numpy": "2.1.0"},
    "claims": [
        {"id": "rate", "statement": "s", "paper": "key2024", "source": "Thm 1",
         "paper_value": "<= 1", "measured": 0.5, "check": "<= 1", "holds": True,
         "reproduced": True, "reason": "", "kind": "paper",
         "control": {"value": 2.0, "what": "without the preconditioner"}},
        {"id": "big", "statement": "s", "paper": "key2024", "source": "Fig. 2",
         "paper_value": ">= 1e9", "measured": 10.0, "check": ">= 1e9", "holds": False,
         "reproduced": False, "reason": "the book's scale is small", "kind": "implementation"},
    ],
    "metrics": {
        "claim.rate": {"value": 0.5, "unit": "", "kind": "accuracy", "rtol": 1e-9},
        "claim.big": {"value": 10.0, "unit": "", "kind": "accuracy", "atol": 0},
        "loss": {"value": 1e-13, "unit": "", "kind": "accuracy", "decades": 1.5},
        "nan": {"value": math.nan, "unit": "", "kind": "accuracy", "rtol": 0.1},
        "wall": {"value": 0.1, "unit": "s", "kind": "timing"},
    },
}


def broken(change):
    data = copy.deepcopy(GOOD)
    change(data)
    return data


def test_schema_is_valid_and_shipped():
    import jsonschema

    jsonschema.Draft202012Validator.check_schema(mx.schema())
    assert mx.SCHEMA_PATH.name == "metrics.schema.json" and mx.SCHEMA_PATH.is_file()
    assert tuple(mx.schema()["required"]) == mx.FIELDS


def test_good_file_validates(tmp_path):
    assert mx.problems(GOOD) == []
    path = tmp_path / "m.json"
    path.write_text(json.dumps(GOOD))
    assert mx.load(path)["chapter"] == "01_ok"
    minimal = broken(lambda d: [c.pop("control") for c in d["claims"] if "control" in c])
    assert mx.problems(minimal) == []  # a control is optional (the claim is then not falsifiable)
    no_kind = broken(lambda d: d["claims"][0].pop("kind"))
    assert any("'kind' is a required property" in p for p in mx.problems(no_kind))


@pytest.mark.parametrize("change, message", [
    (lambda d: d.pop("runtime_s"), "at top level: 'runtime_s' is a required property"),
    (lambda d: d.update(extra=1), "Additional properties are not allowed ('extra'"),
    (lambda d: d.update(scale="huge"), "at ['scale']: 'huge' is not one of ['ci', 'full']"),
    (lambda d: d["claims"][0].pop("holds"), "at ['claims'][0]: 'holds' is a required property"),
    (lambda d: d["claims"][0].update(kind="folklore"),
     "at ['claims'][0]['kind']: 'folklore' is not one of ['paper', 'implementation']"),
    (lambda d: d["claims"][0]["control"].pop("what"),
     "at ['claims'][0]['control']: 'what' is a required property"),
    (lambda d: d["claims"][1].update(reason=""),
     "at ['claims'][1]['reason']: '' should be non-empty"),
    (lambda d: d["claims"][0].update(measured="0.5"), "at ['claims'][0]['measured']: '0.5' is not"),
    (lambda d: d["metrics"]["loss"].update(decades=-1),
     "at ['metrics']['loss']['decades']: -1 is less than the minimum of 0"),
    (lambda d: d["metrics"]["loss"].pop("decades"),
     "at ['metrics']['loss']: needs one of 'rtol', 'atol', 'decades' (every metric but a timing"),
    (lambda d: d["claims"].append(dict(d["claims"][0])), "claim ids are not unique: rate"),
])
def test_invalid_file_is_rejected_with_a_clear_message(tmp_path, change, message):
    path = tmp_path / "05_x.json"
    path.write_text(json.dumps(broken(change)))
    with pytest.raises(mx.MetricsError) as err:
        mx.load(path)
    text = str(err.value)
    assert str(path) in text and "metrics.schema.json" in text
    assert message in text


def test_timing_needs_no_tolerance_but_other_kinds_do():
    ok = broken(lambda d: d["metrics"].update(t={"value": 1.0, "unit": "s", "kind": "timing"}))
    assert mx.problems(ok) == []
    bad = broken(lambda d: d["metrics"].update(n={"value": 3, "unit": "", "kind": "count"}))
    assert mx.problems(bad) == ["at ['metrics']['n']: needs one of 'rtol', 'atol', 'decades' "
                                "(every metric but a timing has a baseline, hence a tolerance)"]


def test_not_json_is_rejected(tmp_path):
    path = tmp_path / "m.json"
    path.write_text("{")
    with pytest.raises(mx.MetricsError, match="m.json is not valid JSON"):
        mx.load(path)


def test_summary():
    s = mx.summarize(GOOD["claims"])
    assert s == mx.ClaimSummary(held=1, asserted=1, not_reproduced=1, falsifiable=1,
                                implementation=1)
    assert (s.total, str(s)) == (2, "1/1 held")
    assert mx.summarize([]) == (0, 0, 0, 0, 0)
    failed = [dict(GOOD["claims"][0], holds=False)]
    assert mx.summarize(failed) == (0, 1, 0, 0, 0)


def test_ordered():
    shuffled = dict(reversed(list(GOOD.items())))
    assert tuple(mx.ordered(shuffled)) == mx.FIELDS
