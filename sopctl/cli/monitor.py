"""Commands for monitoring: check (deadlines) and stats (compliance figures)."""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING, Annotated, Any

import typer

from sopctl.cli.env import Env
from sopctl.cli.options import Period, SinceOption, SopOption, UntilOption
from sopctl.cli.registry import commands
from sopctl.errors import ExitCode, UsageError

if TYPE_CHECKING:
    from sopctl.run.deadlines import DueStep
    from sopctl.run.engine import Engine

PANEL = "Time limits and monitoring"
#: Below this many rows a progress bar would only flicker.
PROGRESS_FROM = 2_000


#: The zone of an SOP that names none: what a time means when no SOP is there to say.
DEFAULT_ZONE = "Asia/Jakarta"


def _office_zones(env: Env, engine: Engine, sop: str | None) -> set[str]:
    """The zones of the SOPs checked: those with instances in the store (or ``sop``), else
    the catalogue's, else WIB."""
    zones = engine.office_zones(sop)
    if not zones and env.sops_dir.is_dir():  # nothing started yet: the zone cannot matter much
        zones = {loaded.procedure.timezone for loaded in env.catalog() if sop in (None, loaded.sop.id)}
    return zones or {DEFAULT_ZONE}


def _moment(text: str, zones: set[str]) -> dt.datetime:
    """``check --at``; without an offset it is office time, as for ``done --at``: one instant
    as long as the zones checked keep one clock then (Asia/Jakarta and Asia/Pontianak do)."""
    from sopctl.timeparse import one_clock, parse_moment

    moment = parse_moment(text, "--at")
    if moment.tzinfo is not None:
        return moment
    clock = one_clock(zones, moment)
    if clock is None:
        raise UsageError(
            f'--at "{text}": give its offset, since the SOPs checked do not share one clock: '
            f"e.g. {moment:%Y-%m-%dT%H:%M}+07:00 (WIB), +08:00 (WITA) or +09:00 (WIT)"
        )
    return moment.replace(tzinfo=clock)


def _one_format(as_json: bool, as_csv: bool) -> None:
    if as_json and as_csv:
        raise UsageError("give --json or --csv, not both")


@commands.command(rich_help_panel=PANEL)
def check(
    ctx: typer.Context,
    at: Annotated[
        str | None,
        typer.Option(
            "--at",
            metavar="TIME",
            help="Judge the open steps as of this time (default: now); steps opened later are left out.",
        ),
    ] = None,
    sop: SopOption = None,
    lane: Annotated[
        str | None,
        typer.Option("--lane", metavar="LANE", help="Only steps of this lane (its id, e.g. kasubag-umpeg)."),
    ] = None,
    warn_before: Annotated[
        str | None,
        typer.Option(
            "--warn-before", metavar="DURATION", help='Also list steps due within this time, e.g. "2 jam".'
        ),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print a JSON list.")] = False,
    as_csv: Annotated[bool, typer.Option("--csv", help="Print CSV.")] = False,
    quiet: Annotated[
        bool, typer.Option("--quiet", "-q", help="No summary line on stderr (errors are still printed).")
    ] = False,
) -> int:
    """List open steps that are overdue (or due soon): how late, and who must act.

    Exit 0 when nothing is overdue, 1 when something is, 2 on error: made for cron
    (with --quiet, stderr stays empty unless something is wrong).

    Example: sopctl check --warn-before "2 jam" --csv > terlambat.csv
    """
    from sopctl.cli.env import utcnow
    from sopctl.filters import check_filters
    from sopctl.render.labels import format_office_moment
    from sopctl.run.deadlines import DeadlineCheck
    from sopctl.timeparse import parse_window

    _one_format(as_json, as_csv)
    env: Env = ctx.obj
    window = parse_window(warn_before) if warn_before is not None else None
    engine = env.engine()
    check_filters(engine, sop=sop, lane=lane)
    zones = _office_zones(env, engine, sop)
    moment = utcnow() if at is None else _moment(at, zones)
    # A check of now records the timeouts that have fallen due; one --at only reports them.
    checker = DeadlineCheck(engine, moment, sop=sop, lane=lane, warn_before=window, record=at is None)
    writer = _writer(as_json, as_csv)
    rows = _with_progress(checker, as_json)
    overdue = listed = flowed = 0
    write = writer.row
    for row in rows:
        overdue += row.overdue
        listed += 1
        flowed += row.kind != "step" and row.kind != "service"
        write(row)
    writer.close()
    soon = listed - overdue - flowed
    if not quiet:
        as_of = format_office_moment(moment, zones)
        went_on = f", {flowed} went on by timeout" if at is None else f", {flowed} would go on by timeout"
        env.say(
            f"{overdue} overdue"
            + (f", {soon} due soon" if window else "")
            + (went_on if flowed else "")
            + f" as of {as_of}"
        )
    return ExitCode.FINDINGS if overdue else ExitCode.OK


def _with_progress(checker: Any, as_json: bool) -> Any:
    """Rows, with a progress bar on stderr when stdout is redirected and the run is long."""
    if as_json or not sys.stderr.isatty() or sys.stdout.isatty():
        return iter(checker)
    total = checker.count()
    if total < PROGRESS_FROM:
        return iter(checker)
    from rich.progress import track

    from sopctl.render.console import make_console

    return track(
        checker, total=total, description="checking", console=make_console(sys.stderr), transient=True
    )


class _Writer:
    def row(self, due: DueStep) -> None: ...

    def close(self) -> None: ...


class _Lines:
    """Text for stdout, written in blocks of lines: one write per row costs a system call
    each when stdout is unbuffered (PYTHONUNBUFFERED), and memory stays bounded."""

    BLOCK = 512

    def __init__(self) -> None:
        self.pending: list[str] = []

    def add(self, text: str) -> None:
        self.pending.append(text)
        if len(self.pending) >= self.BLOCK:
            self.flush()

    write = add  # for csv.writer

    def flush(self) -> None:
        sys.stdout.write("".join(self.pending))
        sys.stdout.flush()
        self.pending.clear()


def _writer(as_json: bool, as_csv: bool) -> _Writer:
    if as_json:
        return _JsonWriter()
    if as_csv:
        return _CsvWriter()
    return _TextWriter()


class _JsonWriter(_Writer):
    """A JSON list written row by row, never held whole in memory."""

    def __init__(self) -> None:
        from sopctl.run.deadlines import DueStepEncoder

        self.first = True
        self.encode = DueStepEncoder().encode
        self.out = _Lines()
        self.out.add("[")

    def row(self, due: DueStep) -> None:
        self.out.add(("\n  " if self.first else ",\n  ") + self.encode(due))
        self.first = False

    def close(self) -> None:
        self.out.add("\n]\n" if not self.first else "]\n")
        self.out.flush()


CSV_FIELDS = [
    "id",
    "sop",
    "title",
    "ref",
    "step",
    "pass",
    "activity",
    "lanes",
    "due_at",
    "overdue",
    "late_working_minutes",
    "late_wall_minutes",
    "due_in_minutes",
]


def cell(value: object) -> object:
    """A CSV cell that a spreadsheet will not run as a formula (a title like "=HYPERLINK(...)")."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


class SafeCsv:
    """csv.writer whose cells are safe to open in a spreadsheet."""

    def __init__(self, stream: Any) -> None:
        import csv

        self.writer = csv.writer(stream, lineterminator="\n")

    def writerow(self, row: Sequence[object]) -> None:
        self.writer.writerow([cell(value) for value in row])


class _CsvWriter(_Writer):
    def __init__(self) -> None:
        self.out = _Lines()
        self.csv = SafeCsv(self.out)
        self.csv.writerow(CSV_FIELDS)

    def close(self) -> None:
        self.out.flush()

    def row(self, due: DueStep) -> None:
        data = due.as_dict()
        late = data["late_by"] or {}
        self.csv.writerow(
            [
                data["id"],
                data["sop"],
                data["title"],
                data["ref"] or "",
                data["symbol"],  # the row's No, or "5b" for a row of several symbols
                data["pass"],
                data["activity"],
                ";".join(data["lanes"]),
                data["due_at"],
                int(data["overdue"]),
                late.get("working_minutes", ""),
                late.get("wall_minutes", ""),
                "" if data["due_in_minutes"] is None else data["due_in_minutes"],
            ]
        )


class _TextWriter(_Writer):
    """One line per step, cut to the terminal's width, for a person reading it."""

    def __init__(self) -> None:
        import shutil

        from sopctl.cli.streams import unicode_capable
        from sopctl.render.text import cell_width, shorten, to_ascii

        self.cell_width, self.shorten = cell_width, shorten
        self.width = shutil.get_terminal_size().columns
        # In the C locale (cron) a line is spelled in ASCII before it is cut to the width:
        # spelled afterwards by the stream, "≥" and "…" would take more columns than measured.
        self.spell = None if unicode_capable(sys.stdout) else to_ascii
        self.ellipsis = "…" if self.spell is None else "..."
        self.header = False
        self.out = _Lines()
        self.zones: dict[str, Any] = {}
        self.last_at: dt.datetime | None = None
        self.last_late = 0
        self.last_overdue = False
        self.last_zone = ""
        self.last_due = ""
        self.who: dict[str, tuple[tuple[str, ...], str]] = {}

    def row(self, due: DueStep) -> None:
        if not self.header:
            self._echo(f"{'ID':<16} {'STEP':>4}  {'LATE/LEFT':<12} {'DUE':<21} WHO: WHAT")
            self.header = True
        # Rows come in due order and share steps: the due columns are formatted once per due
        # time, "who: what" once per activity (a row costs a few microseconds this way).
        if (
            due.due_at != self.last_at
            or due.late_working_seconds != self.last_late
            or due.overdue is not self.last_overdue
            or due.timezone != self.last_zone
        ):
            hours, minutes = divmod(abs(due.late_working_seconds) // 60, 60)
            span = f"{hours}h{minutes:02d}m" if hours else f"{minutes}m"
            status = f"LATE {span}" if due.overdue else f"left {span}"
            if due.kind in ("timed_out", "timeout"):
                # Nobody is late: the flow went on (or, with --at, would go on) by itself.
                status = "TIMED OUT" if due.kind == "timed_out" else "TIMES OUT"
            self.last_at, self.last_late = due.due_at, due.late_working_seconds
            self.last_overdue, self.last_zone = due.overdue, due.timezone
            self.last_due = f"{status:<12} {self._moment(due.due_at, due.timezone):<21}"
        who = self.who.get(due.activity)
        if who is None or who[0] != due.lane_names:
            who = self.who[due.activity] = (due.lane_names, f"{', '.join(due.lane_names)}: {due.activity}")
        self._echo(f"{due.instance_id:<16} {due.symbol:>4}  {self.last_due} {who[1]}")

    def _moment(self, moment: dt.datetime, timezone: str) -> str:
        """What render.labels.format_moment prints ("2026-03-02 08:15 WIB"), without strftime,
        which takes most of the time of a row."""
        tz = self.zones.get(timezone)
        if tz is None:
            from zoneinfo import ZoneInfo

            tz = self.zones[timezone] = ZoneInfo(timezone)
        local = moment.astimezone(tz)
        if local.year < 1000:  # strftime does not pad such years: keep its exact text
            from sopctl.render.labels import format_moment

            return format_moment(moment, tz)
        return f"{local.isoformat(' ', 'minutes')[:16]} {local.tzname()}"

    def _echo(self, line: str) -> None:
        # typer.echo flushes stdout after every line (a write per row): buffer instead.
        # Columns, not characters: an activity in CJK is twice as wide as it is long.
        if self.spell is not None:
            line = self.spell(line)
        fits = self.cell_width(line) <= self.width
        self.out.add((line if fits else self.shorten(line, self.width, self.ellipsis)) + "\n")

    def close(self) -> None:
        self.out.flush()


@commands.command(rich_help_panel=PANEL)
def stats(
    ctx: typer.Context,
    sop: SopOption = None,
    since: SinceOption = None,
    until: UntilOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
    as_csv: Annotated[
        bool, typer.Option("--csv", help="Print CSV (one row per step, then per lane).")
    ] = False,
) -> None:
    """Compliance per step and per lane: count, median and p90 working time, % within mutu baku, loops.

    Example: sopctl stats --since 2026-01-01 --until 2026-07-01
    """
    from sopctl.filters import check_filters
    from sopctl.stats import compute

    _one_format(as_json, as_csv)
    env: Env = ctx.obj
    engine = env.engine()
    check_filters(engine, sop=sop)
    period = Period(since, until, engine.office_zones(sop))
    figures = compute(engine, sop=sop, since=period.since_utc, until=period.until_utc)
    if as_json:
        env.print_json(figures)
    elif as_csv:
        _stats_csv(figures)
    else:
        from sopctl.render.stats_view import stats_tables

        for table in stats_tables(figures):
            env.out.print(table)
        if not figures["steps"]:
            env.say("no completed steps in that period")


def _stats_csv(figures: dict[str, list[dict[str, Any]]]) -> None:
    out = SafeCsv(sys.stdout)
    out.writerow(
        [
            "scope",
            "sop",
            "step",
            "lane",
            "activity",
            "limit",
            "count",
            "median_minutes",
            "p90_minutes",
            "within_pct",
            "correction_loops",
        ]
    )
    for row in figures["steps"]:
        out.writerow(
            [
                "step",
                row["sop"],
                row["symbol"],
                ";".join(row["lanes"]),
                row["activity"],
                row["limit"] or "",
                row["count"],
                row["median_minutes"],
                row["p90_minutes"],
                "" if row["within_pct"] is None else row["within_pct"],
                row["correction_loops"],
            ]
        )
    for row in figures.get("services", []):
        out.writerow(
            [
                "service",
                row["sop"],
                "",
                "",
                "",
                row["limit"] or "",
                row["count"],
                row["median_minutes"],
                row["p90_minutes"],
                "" if row["within_pct"] is None else row["within_pct"],
                "",
            ]
        )
    for row in figures["lanes"]:
        out.writerow(
            [
                "lane",
                row["sop"],
                "",
                row["lane_name"],
                "",
                "",
                row["count"],
                row["median_minutes"],
                row["p90_minutes"],
                "" if row["within_pct"] is None else row["within_pct"],
                row["correction_loops"],
            ]
        )
