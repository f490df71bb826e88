"""A do-nothing Typer app with the same command shapes as sopctl: the start-up reference."""

from __future__ import annotations

from typing import Annotated

import typer

app = typer.Typer(
    help="Does nothing, as fast as a Typer app can.", no_args_is_help=True, add_completion=False
)


@app.command()
def status(instance: Annotated[str, typer.Argument(metavar="ID")]) -> None:
    """Do nothing with an instance id."""


@app.command()
def done(
    instance: Annotated[str, typer.Argument(metavar="ID")],
    by: Annotated[str, typer.Option("--by")],
    step: Annotated[int | None, typer.Option("--step")] = None,
    note: Annotated[str | None, typer.Option("--note")] = None,
) -> None:
    """Do nothing with a step."""


if __name__ == "__main__":
    app()
