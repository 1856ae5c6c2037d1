"""The ``baocao`` command: a thin layer over functions that the tests call directly. The
commands live by what they serve (``submit``, ``judge``, ``publish``) and are listed here."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from baocao import __version__, interrupt
from baocao.cli import compare, judge, publish, submit


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="baocao", help="In số phiên bản rồi thoát.")
@click.option(
    "--root",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("."),
    show_default=True,
    help="Thư mục gốc của kho đợt báo cáo (chứa campaign.yml).",
)
@click.pass_context
def main(ctx: click.Context, root: Path) -> None:
    """baocao: nộp và theo dõi báo cáo qua Git."""
    ctx.obj = root


def run() -> None:
    """The ``baocao`` console command: ``main`` with clean interruption (Ctrl-C, SIGTERM: the
    workers stop, temporary files go, exit status 130)."""
    interrupt.install()
    try:
        main()
    except interrupt.Interrupted:
        click.echo("\nĐã dừng.", err=True)
        sys.exit(interrupt.EXIT_INTERRUPTED)


# Every command, in the order ``baocao --help`` shows them (an explicit list, not registration on import).
COMMANDS: tuple[click.Command, ...] = (
    submit.check,
    submit.schema,
    submit.new,
    submit.codes,
    judge.tag_deadlines,
    judge.witness,
    submit.codeowners,
    judge.status,
    publish.compile_,
    publish.remind,
    compare.diff,
    judge.pr_check,
    publish.demo,
    publish.site_group,
    submit.import_,
)
HELP = "In hướng dẫn này rồi thoát."


def _vietnamese_help(command: click.Command) -> None:
    """Click's own "-h/--help" says "Show this message and exit."; the CLI speaks Vietnamese."""
    original = command.get_help_option

    def get_help_option(ctx: click.Context) -> click.Option | None:
        option = original(ctx)
        if option is not None:
            option.help = HELP
        return option

    command.get_help_option = get_help_option  # type: ignore[method-assign]
    for sub in getattr(command, "commands", {}).values():
        _vietnamese_help(sub)


for command in COMMANDS:
    main.add_command(command)
_vietnamese_help(main)
