"""``sopctl show`` and ``sopctl export sop`` of a public service: the Standar Pelayanan and the
calendar reach the terminal and the document, end to end (the renderers: tests/render)."""

from __future__ import annotations

from pathlib import Path

SOP = Path(__file__).resolve().parents[1] / "fixtures" / "layanan" / "sops" / "surat-keterangan.yaml"


def test_show_prints_the_service_block_and_the_calendar(cli) -> None:
    result = cli("show", str(SOP))
    assert result.exit_code == 0, result.stderr
    lines = [" ".join(line.split()) for line in result.stdout.splitlines()]
    assert "Standar Pelayanan" in lines
    assert "Biaya/Tarif Tidak dipungut biaya" in lines
    assert lines[-1] == "Waktu dihitung menurut kalender layanan"


def test_export_sop_prints_them(cli) -> None:
    result = cli("export", "sop", str(SOP), "--format", "md", "-o", "-", "--lang", "en")
    assert result.exit_code == 0, result.stderr
    completion = "| **Completion time** | 3 hari kerja, from the start of step 4 (layanan calendar) |"
    assert completion in result.stdout
    assert "*Closes by itself after 3 hari (step 7)*" in result.stdout
