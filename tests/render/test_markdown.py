"""Markdown documents: complete, and user text cannot become markup."""

from __future__ import annotations

from sopctl.render.document import instance_document, sop_document
from sopctl.render.markdown import instance_markdown, md, sop_markdown


def test_escaping() -> None:
    assert md("a | b") == "a \\| b"
    assert md("<script>x</script> & *y* _z_ [l](u) `c`") == (
        "&lt;script&gt;x&lt;/script&gt; &amp; \\*y\\* \\_z\\_ \\[l\\](u) \\`c\\`"
    )
    assert md("one\ntwo") == "one<br>two"


def test_sop_markdown_lists_every_step(catalog) -> None:
    loaded = catalog.get("pengelolaan-data-kepegawaian")
    text = sop_markdown(sop_document(loaded.definition(), loaded.procedure))
    for number in loaded.procedure.steps:
        assert f"\n| {number} | " in text
    assert "*Tidak → 2 (kembali)*" in text
    assert "**210 Menit**" in text  # TOTAL WAKTU as the SOP states it
    assert "**Dasar Hukum:** 1. Undang-Undang Nomor 5 Tahun 2014" in text


def test_instance_markdown(corrected) -> None:
    text = instance_markdown(instance_document(corrected))
    assert "| 2 #2 | " in text
    assert "**✗ TERLAMBAT 10 menit**" in text
    assert "| **Perihal** | Mutasi a.n. Siti Aminah |" in text


def test_a_third_partys_signature_has_no_nip_line(tmp_path, store, clock) -> None:  # type: ignore[no-untyped-def]
    from sopctl.run.engine import Engine
    from tests import flows

    lanes = [*flows.LANES[:1], {"id": "vendor", "name": "Penyedia", "short": "PY", "external": True}]
    data = flows.sop(
        "pihak-ketiga", [flows.step(1, "staf", "start"), flows.step(2, "vendor", "end")], lanes=lanes
    )
    engine = Engine(store, flows.catalog_of(tmp_path / "sops", data), clock)
    iid = engine.start("pihak-ketiga", "Kontrak").state.id
    engine.done(iid, by="siti")
    view = engine.done(iid, by="cv-maju")
    text = instance_markdown(instance_document(view))
    signatures = text[text.index("Staf,") :]
    assert signatures.count("NIP") == 1  # the staff's; a vendor's people have none
    assert "Penyedia," in signatures


def test_a_plt_or_plh_signs_as_such(delegated) -> None:
    """The official convention: "Plt. Kepala Dinas," above the stand-in's name, never the
    position alone, which would say that Budi is the Kepala Dinas."""
    text = instance_markdown(instance_document(delegated))
    signatures = text[text.index("……………………,") :]
    assert signatures.split("\n\n\n") == [
        "……………………, 2 Maret 2026\n\nPengadministrasi Umum,",
        "**Rina Marlina**  \nNIP. 19900101 201503 2 001\n\nPlh. Kasubag Umpeg,",
        "**Sari Dewi**  \nNIP. 19791120 200501 2 003\n\nSekretaris,",
        "**Sari Dewi**  \nNIP. 19791120 200501 2 003\n\nPlt. Kepala Dinas,",
        "**Budi Santoso**  \nNIP. 19850312 201001 1 004\n",
    ]


def test_a_third_party_signs_with_the_name_given_and_no_nip(tmp_path, store, clock) -> None:  # type: ignore[no-untyped-def]
    from sopctl.org import load_org
    from sopctl.run.engine import Engine
    from tests import flows

    lanes = [*flows.LANES[:1], {"id": "vendor", "name": "Penyedia", "short": "PY", "external": True}]
    data = flows.sop(
        "pihak-ketiga", [flows.step(1, "staf", "start"), flows.step(2, "vendor", "end")], lanes=lanes
    )
    org = tmp_path / "org.yaml"
    org.write_text(
        "schema: 1\npeople: [{nip: '19900101 201503 2 001', name: Siti, alias: siti, lanes: [staf]}]\n"
    )
    engine = Engine(store, flows.catalog_of(tmp_path / "sops", data), clock, people=load_org(org))
    iid = engine.start("pihak-ketiga", "Kontrak").state.id
    engine.done(iid, by="siti")
    text = instance_markdown(instance_document(engine.done(iid, by="CV Maju_Jaya")))
    assert text[text.index("Staf,") :].split("\n\n\n") == [
        "Staf,",
        "**Siti**  \nNIP. 19900101 201503 2 001\n\nPenyedia,",
        "**CV Maju\\_Jaya**  \n",
    ]


def test_sop_markdown_prints_no_total_the_document_does_not_state(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from tests.flows import NO_TOTAL_ROWS, catalog_of

    loaded = catalog_of(tmp_path, NO_TOTAL_ROWS).get("tanpa-total")
    text = sop_markdown(sop_document(loaded.definition(), loaded.procedure))
    assert "TOTAL WAKTU" not in text and text.rstrip().endswith("| 5 menit | - |  |")
