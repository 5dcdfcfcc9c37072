"""Writers keep the user's file: ``--output --force`` keeps the old file as ``.bak`` and gives
the new file the old one's mode (not mkstemp's 0600); a new file gets the umask's mode."""

from __future__ import annotations

import importlib
import os
import stat

import pytest

from ..conftest import ROOT

cli = importlib.import_module("avtalsregler.cli.main")
ANDRA = ROOT / "tests" / "fixtures" / "andra_avtalet"


def _mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


@pytest.mark.parametrize("mode", [0o644, 0o640, 0o600, 0o664])
def test_calendar_output_force_keeps_a_backup_and_the_old_mode(tmp_path, capsys, mode):
    out = tmp_path / "kalender.ics"
    out.write_text("gammal\n", encoding="utf-8")
    os.chmod(out, mode)
    code = cli.main(["--root", str(ANDRA), "calendar", "--from", "2024-01-01", "--to", "2024-12-31",
                     "--output", str(out), "--force"])
    assert code == 0, capsys.readouterr().err
    assert _mode(out) == mode and out.read_text(encoding="utf-8").startswith("BEGIN:VCALENDAR")
    backup = tmp_path / "kalender.ics.bak"
    assert backup.read_text(encoding="utf-8") == "gammal\n" and _mode(backup) == mode


def test_a_new_output_file_gets_the_umask_mode(tmp_path, capsys):
    old = os.umask(0o022)
    try:
        out = tmp_path / "ny.csv"
        assert cli.main(["--root", str(ANDRA), "compute", "avgift", "--year", "2025", "--format", "csv",
                         "--output", str(out)]) == 0, capsys.readouterr().err
    finally:
        os.umask(old)
    assert _mode(out) == 0o644


def test_the_data_writer_keeps_the_mode_of_the_figures_file(tmp_path):
    from avtalsregler.apps.dataimport.files import write_with_backup

    path = tmp_path / "population.csv"
    path.write_text("a\n", encoding="utf-8")
    os.chmod(path, 0o664)
    backup = write_with_backup(path, "b\n")
    assert _mode(path) == 0o664 and path.read_text(encoding="utf-8") == "b\n"
    assert backup is not None and backup.read_text(encoding="utf-8") == "a\n"


def test_an_index_file_that_cannot_be_read_is_an_error_at_its_name(tmp_path, monkeypatch):
    """Permission denied (the corpus runs as any user, also root, who may read every file, so the
    refusal is simulated where the file is opened): a DataError at the file, never a traceback."""
    import datetime

    import pytest

    from avtalsregler.apps.dataimport.index import add_index_value
    from avtalsregler.errors import DataError
    from avtalsregler.project import inputs

    idx = tmp_path / "idx.yaml"
    idx.write_text("values: []\n", encoding="utf-8")

    def refused(path, mode="r", *args, **kwargs):
        raise PermissionError(13, "Permission denied", str(path))

    monkeypatch.setattr(inputs, "open", refused, raising=False)
    with pytest.raises(DataError) as e:
        add_index_value(idx, year=2025, change="1%", title="t", date=datetime.date(2024, 1, 1), reference="r")
    assert "Permission denied" in e.value.message and e.value.span.path == str(idx) and e.value.span.line == 1
