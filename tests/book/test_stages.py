"""The ``make test`` stage list and its times file (no stage is run)."""

import json

from eigenbook.book import stages


def test_stage_names_and_times_file(tmp_path):
    names = [name for name, _, _ in stages.stages(2)]
    assert names == ["lint", "unit", "machinery", "execute", "check", "build", "pdf", "site"]
    path = tmp_path / stages.TIMES_FILE
    stages.write_times(path, [("lint", 1.23, "ok"), ("unit", 40.06, "FAILED")], jobs=2,
                       passed=False)
    data = json.loads(path.read_text())
    assert data["stages"] == [{"name": "lint", "seconds": 1.2, "result": "ok"},
                              {"name": "unit", "seconds": 40.1, "result": "FAILED"}]
    assert (data["total_s"], data["jobs"], data["passed"]) == (41.3, 2, False)
    assert data["finished"].endswith("+00:00")
