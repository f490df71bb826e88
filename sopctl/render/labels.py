"""Every label sopctl prints, in Indonesian (the official one) and English."""

from __future__ import annotations

_ID = {
    "government": "Pemerintah",
    "number": "Nomor SOP",
    "made": "Tanggal Pembuatan",
    "revised": "Tanggal Revisi",
    "effective": "Tanggal Efektif",
    "approved_by": "Disahkan oleh",
    "name": "Nama SOP",
    "legal_basis": "Dasar Hukum",
    "qualifications": "Kualifikasi Pelaksana",
    "related": "Keterkaitan",
    "equipment": "Peralatan/Perlengkapan",
    "warnings": "Peringatan",
    "records": "Pencatatan dan Pendataan",
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
}

_EN = {
    "government": "Government",
    "number": "SOP number",
    "made": "Date made",
    "revised": "Date revised",
    "effective": "Date effective",
    "approved_by": "Approved by",
    "name": "SOP name",
    "legal_basis": "Legal basis",
    "qualifications": "Actor qualifications",
    "related": "Related SOPs",
    "equipment": "Equipment",
    "warnings": "Warning",
    "records": "Records kept",
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


def format_moment(moment: object, tz: object) -> str:
    """An aware datetime in the office's zone: "2026-03-02 08:15 WIB"."""
    import datetime as dt

    assert isinstance(moment, dt.datetime)
    local = moment.astimezone(tz)  # type: ignore[arg-type]
    return f"{local:%Y-%m-%d %H:%M} {local.tzname()}"
