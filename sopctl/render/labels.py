"""Every label sopctl prints, in Indonesian (the official one) and English."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Mapping

ZERO = dt.timedelta()

_ID = {
    "government": "Pemerintah",
    "number": "Nomor SOP",
    "made": "Tanggal Pembuatan",
    "revised": "Tanggal Revisi",
    "effective": "Tanggal Efektif",
    "approved_by": "Disahkan oleh",
    "signed_electronically": "Ditandatangani secara elektronik",
    "name": "Nama SOP",
    "legal_basis": "Dasar Hukum",
    "qualifications": "Kualifikasi Pelaksana",
    "related": "Keterkaitan",
    "equipment": "Peralatan/Perlengkapan",
    "warnings": "Peringatan",
    "records": "Pencatatan dan Pendataan",
    # The Standar Pelayanan block, and what a printed SOP says about its time (timenotes.py).
    "sp_title": "Standar Pelayanan",
    "sp_requirements": "Persyaratan",
    "sp_fee": "Biaya/Tarif",
    "sp_product": "Produk Layanan",
    "sp_time": "Waktu Penyelesaian",
    "sp_from": "sejak langkah {name} dimulai",
    "sp_until": "sampai langkah {name} selesai",
    "calendar_named": "Waktu dihitung menurut kalender {name}",
    "calendar_always": "Waktu dihitung 24 jam sehari, setiap hari",
    "cal_named": "kalender {name}",
    "cal_always": "24 jam",
    "cal_office": "jam kerja kantor",
    "mark_calendar_named": "Waktu menurut kalender {name}",
    "mark_calendar_always": "Waktu dihitung 24 jam",
    "mark_calendar_office": "Waktu menurut jam kerja kantor",
    "mark_waits": "Menunggu {who}; waktu tidak dihitung",
    "mark_timeout_end": "Ditutup otomatis setelah {after} (langkah {to})",
    "mark_timeout": "Otomatis ke {to} setelah {after}",
    "mark_opens": "Mulai setelah {period} berakhir",
    "mark_opens_day": "Mulai tanggal {day} setelah {period} berakhir",
    "mark_opens_start": "Mulai setelah akhir {period} dimulainya proses",
    "mark_opens_start_day": "Mulai tanggal {day} setelah akhir {period} dimulainya proses",
    "period_month": "bulan",
    "period_quarter": "triwulan",
    "period_half": "semester",
    "period_year": "tahun",
    "no": "No",
    "activity": "Aktivitas",
    "lanes": "Pelaksana",
    "quality": "Mutu Baku",
    "requirements": "Kelengkapan",
    "time": "Waktu",
    "output": "Output",
    "remarks": "Ket.",
    "total": "TOTAL WAKTU",
    "main_path": "jalur utama",
    "legend": "Keterangan lajur",
    "nip": "NIP.",
    "none": "-",
    "timezone": "Zona waktu",
    "clock": "Jam kerja",
    "joint": "Bersama",
    "parallel": "bersamaan",
    "waits_for": "menunggu",
    "loop": "kembali",
    "symbols": "Simbol",
    "sym_terminator": "mulai/selesai",
    "sym_process": "proses",
    "sym_decision": "keputusan",
    "sym_loop": "kembali untuk perbaikan",
    "status": "Status",
    "by": "Oleh",
    "as": "sebagai",
    "within": "tepat waktu",
    "late": "TERLAMBAT",
    "now": "SEKARANG",
    "left": "sisa",
    "due": "tenggat",
    # A finished step held to days, weeks or months: how far from its due time it was done.
    "early_by": "{span} lebih awal",
    "late_by": "terlambat {span}",
    # A row inside a time cell: judged by the cell's one deadline, not by its own time.
    "cell_within": "dalam batas bersama baris {rows}",
    "cell_late": "batas bersama baris {rows} lewat {at}",
    "row_within": "dalam batas baris {rows}",
    "row_late": "batas baris {rows} lewat {at}",
    "pending": "belum",
    "pass": "putaran",
    "state": "keadaan",
    "state_running": "BERJALAN",
    "state_held": "DITAHAN",
    "state_done": "SELESAI",
    "state_cancelled": "DIBATALKAN",
    "held_since": "ditahan sejak",
    "started": "mulai",
    "ended": "selesai",
    "version": "versi",
    "ref": "ref.",
    "marks": "Tanda",
    "mark_within": "selesai dalam batas waktu",
    "mark_late": "selesai melewati batas waktu",
    "mark_done": "selesai (tanpa batas waktu)",
    "mark_current": "sedang dikerjakan",
    "mark_overdue": "sedang dikerjakan, lewat tenggat",
    "mark_pending": "belum",
    "mark_held": "ditahan",
    "total_actual": "jumlah waktu kerja",
    "total_actual_elapsed": "jumlah waktu",
    "standard": "standar",
    "steps_done": "langkah selesai",
    "loops": "putaran perbaikan",
    "on_hold": "ditahan",
    "working": "waktu kerja",
    "page": "Halaman",
    "of": "dari",
    "continued": "lanjutan",
    "from_previous": "sambungan dari halaman sebelumnya",
    "to_next": "bersambung ke halaman berikutnya",
    "report_title": "Laporan Pelaksanaan SOP",
    "case_title": "Perihal",
    "case_ref": "Nomor referensi",
    "case_id": "Nomor instans",
    "lane_acted": "Pelaksana",
    "actual": "Waktu nyata",
    "note": "Catatan",
    "deviation": "Penyimpangan",
    "current_steps": "Langkah berjalan",
    "no_steps_done": "Belum ada langkah yang selesai",
    "monitoring_title": "Formulir Monitoring Pelaksanaan SOP",
    "period": "Periode",
    "procedure": "Prosedur",
    "assessment": "Penilaian terhadap penerapan",
    "assessment_good": "Berjalan dengan baik",
    "assessment_bad": "Tidak berjalan dengan baik",
    "assessment_notes": "Catatan hasil penilaian",
    "action": "Tindakan yang harus diambil",
    "evaluator": "Penilai",
    "runs": "{n} kali",
    "loops_n": "{n} putaran perbaikan",
    "median": "median",
    "minutes": "menit",
    "limit": "batas",
    "within_pct": "{pct}% tepat waktu",
    "threshold_note": "Berjalan dengan baik: sekurang-kurangnya {pct}% pelaksanaan dalam batas waktu",
    "note_changed": "catatan: berkas SOP di katalog telah berubah sejak instans ini dimulai; "
    "instans tetap berjalan dengan versi yang disematkan",
    "note_missing": "catatan: berkas SOP ini tidak ada lagi di katalog; salinan yang disematkan dipakai",
    "note_unverified": "catatan: {n} kejadian belum terverifikasi (tanpa berkas organisasi)",
    "note_tampered": "PERINGATAN: log instans ini diubah di luar sopctl; jalankan `sopctl verify {id}`",
    "log_when": "Kapan ({zone})",
    "log_what": "Kejadian",
    "log_who": "Siapa · lajur",
    "log_note": "Catatan",
    "log_by": "oleh",
    "log_late": "terlambat",
    "log_backdated": "↶ dicatat lebih lambat dari kejadiannya (--at)",
    "log_within": "✓ dalam batas waktu  ✗ melewatinya",
    "log_unverified": "? orang belum dicek dengan berkas organisasi",
    "event_started": "dimulai",
    "event_done": "selesai",
    "event_decided": "diputuskan",
    "event_held": "ditahan",
    "event_resumed": "dilanjutkan",
    "event_cancelled": "dibatalkan",
    "event_repaired": "diperbaiki",
    "event_timed_out": "lewat waktu",
    "awaiting": "menunggu",
    "since": "sejak",
    "goes_on": "lanjut sendiri ke",
    "went_on": "lewat waktu, lanjut sendiri ke",
    "closes": "ditutup sendiri",
    "closed": "lewat waktu, ditutup sendiri",
    "opens": "mulai",
    "service": "waktu layanan",
    "service_from": "belum dimulai (sejak langkah {name})",
    "service_done": "selesai dalam",
    "paused": "berhenti",
    "waited": "Menunggu pihak luar (tidak dihitung)",
}

_EN = {
    "government": "Government",
    "number": "SOP number",
    "made": "Date made",
    "revised": "Date revised",
    "effective": "Date effective",
    "approved_by": "Approved by",
    "signed_electronically": "Signed electronically",
    "name": "SOP name",
    "legal_basis": "Legal basis",
    "qualifications": "Actor qualifications",
    "related": "Related SOPs",
    "equipment": "Equipment",
    "warnings": "Warning",
    "records": "Records kept",
    # The Standar Pelayanan block, and what a printed SOP says about its time (timenotes.py).
    "sp_title": "Service standard",
    "sp_requirements": "Requirements",
    "sp_fee": "Fee",
    "sp_product": "Service product",
    "sp_time": "Completion time",
    "sp_from": "from the start of step {name}",
    "sp_until": "until step {name} is done",
    "calendar_named": "Times run on the {name} calendar",
    "calendar_always": "Times run round the clock, every day",
    "cal_named": "{name} calendar",
    "cal_always": "round the clock",
    "cal_office": "office hours",
    "mark_calendar_named": "Time on the {name} calendar",
    "mark_calendar_always": "Time runs round the clock",
    "mark_calendar_office": "Time on office hours",
    "mark_waits": "Waiting for {who}; the time does not count",
    "mark_timeout_end": "Closes by itself after {after} (step {to})",
    "mark_timeout": "On to {to} by itself after {after}",
    "mark_opens": "Starts when the {period} ends",
    "mark_opens_day": "Starts on day {day} after the {period} ends",
    "mark_opens_start": "Starts when the {period} the case began in ends",
    "mark_opens_start_day": "Starts on day {day} after the {period} the case began in ends",
    "period_month": "month",
    "period_quarter": "quarter",
    "period_half": "half-year",
    "period_year": "year",
    "no": "No",
    "activity": "Activity",
    "lanes": "Actors",
    "quality": "Standard",
    "requirements": "Requirements",
    "time": "Time",
    "output": "Output",
    "remarks": "Remarks",
    "total": "TOTAL TIME",
    "main_path": "main path",
    "legend": "Lanes",
    "nip": "NIP",
    "none": "-",
    "timezone": "Time zone",
    "clock": "Clock",
    "joint": "Jointly",
    "parallel": "in parallel",
    "waits_for": "waits for",
    "loop": "back",
    "symbols": "Symbols",
    "sym_terminator": "start/end",
    "sym_process": "process",
    "sym_decision": "decision",
    "sym_loop": "back for correction",
    "status": "Status",
    "by": "By",
    "as": "as",
    "within": "within limit",
    "late": "LATE",
    "now": "NOW",
    "left": "left",
    "due": "due",
    "early_by": "{span} early",
    "late_by": "{span} late",
    "cell_within": "within the shared limit of rows {rows}",
    "cell_late": "the shared deadline of rows {rows} passed at {at}",
    "row_within": "within the limit of row {rows}",
    "row_late": "the deadline of row {rows} passed at {at}",
    "pending": "pending",
    "pass": "pass",
    "state": "state",
    "state_running": "RUNNING",
    "state_held": "ON HOLD",
    "state_done": "DONE",
    "state_cancelled": "CANCELLED",
    "held_since": "on hold since",
    "started": "started",
    "ended": "ended",
    "version": "version",
    "ref": "ref.",
    "marks": "Marks",
    "mark_within": "done within the limit",
    "mark_late": "done over the limit",
    "mark_done": "done (no time limit)",
    "mark_current": "in progress",
    "mark_overdue": "in progress, past its due time",
    "mark_pending": "pending",
    "mark_held": "on hold",
    "total_actual": "total working time",
    "total_actual_elapsed": "total time",
    "standard": "standard",
    "steps_done": "steps done",
    "loops": "correction loops",
    "on_hold": "on hold",
    "working": "working time",
    "page": "Page",
    "of": "of",
    "continued": "continued",
    "from_previous": "continued from the previous page",
    "to_next": "continues on the next page",
    "report_title": "SOP Execution Report",
    "case_title": "Case",
    "case_ref": "Reference",
    "case_id": "Instance",
    "lane_acted": "Actor",
    "actual": "Actual time",
    "note": "Note",
    "deviation": "Deviation",
    "current_steps": "Current steps",
    "no_steps_done": "No step done yet",
    "monitoring_title": "SOP Monitoring Form",
    "period": "Period",
    "procedure": "Procedure",
    "assessment": "Assessment",
    "assessment_good": "Applied well",
    "assessment_bad": "Not applied well",
    "assessment_notes": "Notes",
    "action": "Action to take",
    "evaluator": "Evaluator",
    "runs": "{n} runs",
    "runs_1": "1 run",
    "loops_n": "{n} correction loops",
    "loops_1": "1 correction loop",
    "median": "median",
    "minutes": "min",
    "limit": "limit",
    "within_pct": "{pct}% within the limit",
    "threshold_note": "Applied well: at least {pct}% of runs within the time limit",
    "note_changed": "note: the catalogue file has changed since this instance started; "
    "it keeps running on the pinned version",
    "note_missing": "note: the catalogue no longer has this SOP's file; the pinned copy is used",
    "note_unverified": "note: {n} event(s) are unverified (no organisation file)",
    "note_tampered": "WARNING: this instance's log was changed outside sopctl; run `sopctl verify {id}`",
    "log_when": "When ({zone})",
    "log_what": "What",
    "log_who": "Who · lane",
    "log_note": "Note",
    "log_by": "by",
    "log_late": "late",
    "log_backdated": "↶ entered later than it happened (--at)",
    "log_within": "✓ within the time limit  ✗ over it",
    "log_unverified": "? person not checked against an organisation file",
    "event_started": "started",
    "event_done": "done",
    "event_decided": "decided",
    "event_held": "held",
    "event_resumed": "resumed",
    "event_cancelled": "cancelled",
    "event_repaired": "repaired",
    "event_timed_out": "timed out",
    "awaiting": "waiting for",
    "since": "since",
    "goes_on": "goes on by itself to",
    "went_on": "timed out, went on to",
    "closes": "closes by itself",
    "closed": "timed out, closed by itself",
    "opens": "opens",
    "service": "service limit",
    "service_from": "not started (from step {name})",
    "service_done": "done in",
    "paused": "paused",
    "waited": "Waiting on others (not counted)",
}

LABELS = {"id": _ID, "en": _EN}

MONTHS = {
    "id": [
        "Januari",
        "Februari",
        "Maret",
        "April",
        "Mei",
        "Juni",
        "Juli",
        "Agustus",
        "September",
        "Oktober",
        "November",
        "Desember",
    ],
    "en": [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ],
}


def labels(lang: str) -> dict[str, str]:
    return LABELS.get(lang, _ID)


def own_labels(t: dict[str, str], own: Mapping[str, str], same_language: bool) -> dict[str, str]:
    """``t`` with the document's own wording of its labels ("Sumber Data" for Kelengkapan),
    when it is printed in its own language; in another, the standard labels of that one."""
    if not same_language or not own:
        return t
    return t | {key: text for key, text in own.items() if key in t and text}


def related_title(sop_id: str, names: Mapping[str, str]) -> str:
    """A related catalogue SOP as Keterkaitan lists it: "SOP <its name>" (its id if unknown)."""
    name = names.get(sop_id)
    if name is None:
        return f"SOP {sop_id}"
    return name if name.upper().startswith("SOP ") else f"SOP {name}"


def check_lang(lang: str | None) -> str | None:
    """A ``--lang`` value, checked: None (the SOP's own language), "id" or "en"."""
    if lang is None:
        return None
    if lang not in LABELS:
        from sopctl.errors import UsageError

        raise UsageError(f"--lang must be one of {', '.join(LABELS)}, not {lang!r}")
    return lang


def format_doc_date(value: str | None, lang: str = "id") -> str:
    """ "2022-03-07" -> "7 Maret 2022"; "2020-04" -> "April 2020"; None -> "-"."""
    if not value:
        return "-"
    parts = [int(p) for p in value.split("-")]
    month = MONTHS.get(lang, MONTHS["id"])[parts[1] - 1]
    if len(parts) == 2:
        return f"{month} {parts[0]}"
    return f"{parts[2]} {month} {parts[0]}"


def format_minutes(minutes: int, lang: str = "id") -> str:
    """95 -> "1 jam 35 menit" ("1 h 35 min" in English)."""
    hours, rest = divmod(max(0, minutes), 60)
    h, m = ("jam", "menit") if lang == "id" else ("h", "min")
    if hours and rest:
        return f"{hours} {h} {rest} {m}"
    return f"{hours} {h}" if hours else f"{rest} {m}"


def counted(t: dict[str, str], key: str, n: int) -> str:
    """``t[key]`` for ``n`` things: "1 run", "3 runs" (Indonesian has one form: "1 kali")."""
    singular = f"{key.removesuffix('_n')}_1"
    return t[singular] if n == 1 and singular in t else t[key].format(n=n)


def format_moment(moment: object, tz: object) -> str:
    """An aware datetime in the office's zone: "2026-03-02 08:15 WIB"."""
    import datetime as dt

    assert isinstance(moment, dt.datetime)
    local = moment.astimezone(tz)  # type: ignore[arg-type]
    return f"{local:%Y-%m-%d %H:%M} {local.tzname()}"


def format_office_moment(moment: dt.datetime, zones: Collection[str]) -> str:
    """An aware datetime in office time, in each of ``zones`` (IANA names) whose clock
    shows another time: "2026-11-23 14:00 WIB / 15:00 WITA", the date again where it moves
    on ("2026-11-23 23:30 WIB / 2026-11-24 00:30 WITA / 01:30 WIT"). Zones that keep one
    clock (Asia/Jakarta, Asia/Pontianak) show once: "2026-11-23 14:00 WIB"."""
    from zoneinfo import ZoneInfo

    locals_ = sorted((moment.astimezone(ZoneInfo(z)) for z in zones), key=lambda x: x.utcoffset() or ZERO)
    walls = dict.fromkeys((local.replace(tzinfo=None), local.tzname()) for local in locals_)
    parts: list[str] = []
    day = None
    for wall, name in walls:
        parts.append(f"{'' if wall.date() == day else f'{wall:%Y-%m-%d} '}{wall:%H:%M} {name}")
        day = wall.date()
    return " / ".join(parts)
