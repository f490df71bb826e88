"""The Typer application, its global options, and the one error boundary.

Every command module registers on :data:`sopctl.cli.registry.commands`; the
root :data:`app` builds only the one being run. Errors end here: a
:class:`~sopctl.errors.SopctlError` becomes ``Error: …`` on stderr and its exit
code; a usage mistake becomes one line too; anything else is a bug, reported in
one line with the traceback written to a log file (or shown with ``--debug``).
Output never ends a command: a locale that cannot encode a character gets it
spelled in ASCII, and a reader that leaves early ends it quietly with exit 0
(:mod:`sopctl.cli.streams`).
"""

from __future__ import annotations

import codecs
import errno
import os
import re
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Annotated, Any

import typer
from typer.core import TyperGroup

from sopctl import __version__
from sopctl.cli import registry, streams
from sopctl.cli.env import Env
from sopctl.errors import ExitCode, SopctlError, UsageError, ValidationFailed, clip


class SopctlGroup(TyperGroup):
    """Runs every command inside the error boundary, for the CLI and CliRunner alike, and
    builds only the command being run (see :mod:`sopctl.cli.registry`)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self._stubs: dict[str, Any] | None = None
        super().__init__(*args, **kwargs)
        self._built: dict[str, Any] = {}
        self._listing = False

    @property  # type: ignore[override]
    def commands(self) -> dict[str, Any]:
        """Stand-ins for every command: enough for listing, ordering and "did you mean" on a
        mistyped command. Made on first use, as they need every command module imported."""
        if self._stubs is None:
            self._stubs = {name: registry.stub(name, info) for name, info in registry.entries().items()}
        return self._stubs

    @commands.setter
    def commands(self, value: Any) -> None:
        assert not value, "commands register on sopctl.cli.registry.commands, not on the root app"

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        if self._listing:
            return self.commands.get(cmd_name)
        if cmd_name not in self._built:
            info = registry.entry(cmd_name)  # imports only the module of the command being run
            if info is None:
                return None
            command = registry.build(info, self)
            registry.readable_types(command, ctx)
            self._built[cmd_name] = command
        return self._built[cmd_name]

    def make_context(self, *args: Any, **kwargs: Any) -> Any:
        with streams.reader_may_leave():  # eager options (--version) print while it is made
            return super().make_context(*args, **kwargs)

    def invoke(self, ctx: Any) -> Any:
        with streams.reader_may_leave():
            return super().invoke(ctx)

    def format_help(self, ctx: Any, formatter: Any) -> None:
        self._listing = True  # the listing needs names, help and panels, not parameters
        registry.readable_types(self, ctx)
        try:
            super().format_help(ctx, formatter)
        finally:
            self._listing = False

    def main(
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        windows_expand_args: bool = True,
        **extra: Any,
    ) -> Any:
        from typer._click.exceptions import ClickException, NoArgsIsHelpError

        streams.tolerate_any_encoding()
        try:
            _check_arguments(sys.argv[1:] if args is None else args)
            result = super().main(
                args,
                prog_name,
                complete_var,
                standalone_mode=False,
                windows_expand_args=windows_expand_args,
                **extra,
            )
            code = result if isinstance(result, int) else ExitCode.OK
            sys.stdout.flush()  # a reader that left early shows here, not in Python's last flush
        except NoArgsIsHelpError:
            code = ExitCode.USAGE  # building the error already printed the help
        except ClickException as exc:
            _say_error(_usage_message(exc))
            code = exc.exit_code
        except ValidationFailed as exc:
            if len(exc.problems) == 1:
                _say_error(f"{exc.problems[0]}; nothing was done")
            else:
                for problem in exc.problems:
                    print(problem, file=sys.stderr)
                _say_error(f"{exc.message}; nothing was done")
            code = exc.exit_code
        except SopctlError as exc:
            _say_error(exc.message)
            code = exc.exit_code
        except (typer.Abort, KeyboardInterrupt):
            _say_error("interrupted; nothing was written")
            code = 130
        except (streams.ReaderGone, BrokenPipeError):
            streams.reader_gone()
            code = ExitCode.OK
        except UnicodeEncodeError as exc:
            code = _unreadable_argument(exc)
        except OSError as exc:
            code = _refused_name(exc)
        except Exception as exc:
            code = _internal_error(exc)
        if standalone_mode:
            sys.exit(int(code))
        return int(code)


def _say_error(message: str) -> None:
    print(f"Error: {message}", file=sys.stderr)


#: What a value must be, by the pydantic error Typer raises when it cannot convert it.
EXPECTED = {
    "int_parsing": "a whole number",
    "int_from_float": "a whole number",
    "int_type": "a whole number",
    "float_parsing": "a number",
    "float_type": "a number",
    "bool_parsing": "true or false",
}


def _usage_message(exc: Any) -> str:
    """A usage mistake in one line; a value that could not be converted in sopctl's words
    (`--step: expected a whole number, not "abc"`), not pydantic's, which Typer passes on."""
    from pydantic import ValidationError

    cause = exc.__cause__
    param = getattr(exc, "param", None)
    if isinstance(cause, ValidationError) and param is not None and cause.errors():
        error = cause.errors()[0]
        wanted = EXPECTED.get(error["type"])
        what = f"expected {wanted}" if wanted else error["msg"][:1].lower() + error["msg"][1:]
        return f'{_param_name(param)}: {what}, not "{clip(str(error["input"]))}"'
    context = getattr(exc, "ctx", None)
    hint = f" (see '{context.command_path} --help')" if context is not None else ""
    return f"{exc.format_message()}{hint}"


def _param_name(param: Any) -> str:
    """``--step`` for an option (its long name), ``ID`` for an argument."""
    opts: list[str] = [opt for opt in getattr(param, "opts", []) if opt.startswith("-")]
    if opts:
        return next((opt for opt in opts if opt.startswith("--")), opts[0])
    return str(param.human_readable_name)


def _check_arguments(args: Sequence[str]) -> None:
    """Refuse, before anything is done, an argument (or SOPCTL_* variable) that is not text:
    Python keeps bytes it cannot decode as lone surrogates, which no store, file or terminal
    takes, and a command would stop wherever the first of them met one."""
    given = [*args, *(value for name, value in os.environ.items() if name.startswith("SOPCTL_"))]
    bad = next((arg for arg in given if _UNDECODED.search(arg)), None)
    if bad is None:
        return
    if codecs.lookup(sys.getfilesystemencoding()).name != "utf-8":
        raise UsageError(_UNREADABLE)
    shown = clip("".join(_spelled(ch) for ch in bad))
    raise UsageError(
        f'an argument holds bytes that are not UTF-8 text ("{shown}"): give it in UTF-8 '
        "(rename a file whose name is not); nothing was done"
    )


def _spelled(char: str) -> str:
    """A lone surrogate as the byte it stands for ("\\xff"), or else as its code point."""
    if "\udc80" <= char <= "\udcff":
        return f"\\x{ord(char) - 0xDC00:02x}"
    return f"\\u{ord(char):04x}" if "\ud800" <= char <= "\udfff" else char


#: How Python keeps a byte it could not decode (PEP 383); any lone surrogate is not text.
_UNDECODED = re.compile("[\ud800-\udfff]")
_UNREADABLE = (
    "an argument holds characters this locale cannot read (LANG/LC_ALL is not UTF-8); "
    "give it in ASCII, or run sopctl with LC_ALL=C.UTF-8; nothing was done"
)


def _unreadable_argument(exc: UnicodeEncodeError) -> int:
    """In a locale that is not UTF-8 (``LC_ALL=C``: cron, a bare ssh session) Python reads
    an argument's non-ASCII bytes ("–" in a title) as lone surrogates, which no store or
    file can take: a mistake in how sopctl was run, not a bug."""
    if not _UNDECODED.search(exc.object[exc.start : exc.end]):
        return _internal_error(exc)
    _say_error(_UNREADABLE)
    return ExitCode.USAGE


#: The system refusing a path for its shape: too long (over 255 bytes a name, 4,096 in all),
#: or a loop of symlinks. Whatever the command, that is the name given, not a bug.
_REFUSED_NAMES = {errno.ENAMETOOLONG, errno.ELOOP}


def _refused_name(exc: OSError) -> int:
    """The last line of defence for a path the system refuses where no check looked first
    (each command checks the paths it is given: sopctl.files)."""
    if exc.errno not in _REFUSED_NAMES or exc.filename is None:
        return _internal_error(exc)
    _say_error(f"cannot use {clip(os.fsdecode(exc.filename), 80)}: {exc.strerror}")
    return ExitCode.USAGE


def _internal_error(exc: Exception) -> int:
    import traceback

    details = "".join(traceback.format_exception(exc))
    if os.environ.get("SOPCTL_DEBUG"):
        sys.stderr.write(details)
        _say_error(f"internal error: {type(exc).__name__}: {exc}")
        return ExitCode.INTERNAL
    log = _write_log(details)
    where = f"; details in {log}" if log else ""
    _say_error(f"internal error: {type(exc).__name__}: {exc} (a bug in sopctl{where})")
    return ExitCode.INTERNAL


def _write_log(details: str) -> str | None:
    try:
        if env_dir := os.environ.get("SOPCTL_LOG_DIR"):
            log_dir = Path(env_dir)
        else:
            from platformdirs import user_log_dir

            log_dir = Path(user_log_dir("sopctl"))
        log_dir.mkdir(parents=True, exist_ok=True)
        path = log_dir / "sopctl-error.log"
        with path.open("a", encoding="utf-8") as log:
            log.write(details + "\n")
        return str(path)
    except OSError:
        return None


app = typer.Typer(
    cls=SopctlGroup,
    name="sopctl",
    help="Run Indonesian government SOPs (SOP AP, Permenpan RB 35/2012): define them in YAML, "
    "start instances, move them step by step, check time limits, print the record.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode="rich",
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _show_version(value: bool) -> None:
    if value:
        typer.echo(f"sopctl {__version__}")
        raise typer.Exit()


@app.callback()
def root(
    ctx: typer.Context,
    sops: Annotated[
        Path,
        typer.Option(
            "--sops",
            envvar="SOPCTL_SOPS",
            metavar="DIR",
            help="Folder of SOP YAML files (the catalogue).",
            show_default=True,
        ),
    ] = Path("sops"),
    db: Annotated[
        str | None,
        typer.Option(
            "--db",
            envvar="SOPCTL_DB",
            metavar="PATH_OR_URL",
            help="SQLite file or postgresql:// URL (only start creates one); "
            "default: sopctl.db in your user data folder.",
        ),
    ] = None,
    org: Annotated[
        Path | None,
        typer.Option(
            "--org",
            envvar="SOPCTL_ORG",
            metavar="FILE",
            help="Organisation file (people, NIP, lanes); default: org.yaml beside the catalogue.",
        ),
    ] = None,
    config: Annotated[
        Path | None,
        typer.Option(
            "--config",
            envvar="SOPCTL_CONFIG",
            metavar="FILE",
            help="Site config (office hours, closures); default: sopctl.yaml beside the catalogue.",
        ),
    ] = None,
    lock_timeout: Annotated[
        float,
        typer.Option(
            "--lock-timeout",
            envvar="SOPCTL_LOCK_TIMEOUT",
            metavar="SECONDS",
            min=0.1,
            max=3600,
            help="How long a change waits for another user's change to the store (default 30).",
        ),
    ] = 30.0,
    debug: Annotated[bool, typer.Option("--debug", help="Show tracebacks of internal errors.")] = False,
    version: Annotated[
        bool,
        typer.Option("--version", is_eager=True, callback=_show_version, help="Print the version and exit."),
    ] = False,
) -> None:
    """Run Indonesian government SOPs (SOP AP): define, run, check, print."""
    if debug:
        os.environ["SOPCTL_DEBUG"] = "1"
    # Typer vendors click: its ParameterSource is compared by name, not imported.
    source = ctx.get_parameter_source("sops")
    given = source is not None and source.name in ("COMMANDLINE", "ENVIRONMENT")
    env = Env(
        sops_dir=sops,
        db_url=db,
        org_path=org,
        config_path=config,
        sops_given=given,
        lock_timeout=lock_timeout,
    )
    ctx.obj = env
    ctx.call_on_close(env.close)
