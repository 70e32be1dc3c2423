"""The CLI reference of the docs site, written from the typer app itself (so it cannot go stale).

An mkdocs hook (`hooks:` in mkdocs.yml): `mkdocs build` adds the page `reference/cli.md`, made
at build time by walking the click command tree of `vibesynth.cli.app`: every command and
group in `--help` order, its help text, usage line, arguments and options as `--help` words them.
Defaults that are paths under the checkout are shown relative to it.
Run it as a script to print the same Markdown: `.venv/bin/python scripts/docs_cli_reference.py`.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

PAGE = "reference/cli.md"
ROOT = Path(__file__).resolve().parent.parent


def _command_tree():
    """(path, command, context) for the root and every visible command below it, depth first in `--help` order."""
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    import typer

    from vibesynth.cli import app

    root = typer.main.get_command(app)
    out = []

    def walk(command, ctx, path):
        out.append((path, command, ctx))
        if not hasattr(command, "list_commands"):
            return
        for name in command.list_commands(ctx):
            sub = command.get_command(ctx, name)
            if sub is None or sub.hidden:
                continue
            walk(sub, ctx.__class__(sub, info_name=name, parent=ctx), [*path, name])

    walk(root, root.context_class(root, info_name="vibesynth"), ["vibesynth"])
    return out


def _escape(text: str) -> str:
    """Markdown-safe prose: backtick spans kept as code, `<`, `>`, `*`, `_`, `[`, `]` outside them escaped."""
    parts = text.split("`")
    tail = parts.pop() if len(parts) % 2 == 0 else None  # after an unpaired backtick: prose, the tick kept literal

    def prose(part: str) -> str:
        part = part.replace("\\", "\\\\").replace("<", "&lt;").replace(">", "&gt;")
        return re.sub(r"([*_\[\]])", r"\\\1", part)

    parts = [prose(part) if i % 2 == 0 else part for i, part in enumerate(parts)]  # even parts lie outside code spans
    return "`".join(parts) + ("" if tail is None else "\\`" + prose(tail))


def _help_text(command) -> str:
    """The command's help as `--help` shows it: up to a `\\f`, paragraphs kept, `\\b` markers dropped."""
    text = (command.help or "").split("\f")[0]
    lines = [line for line in text.strip().splitlines() if line.strip() != "\b"]
    return _escape("\n".join(line.strip() for line in lines))


def _unrooted(text: str) -> str:
    """Defaults under the checkout (e.g. the packaged prompts) read relative to it, not as this machine's path."""
    return text.replace(f"{ROOT}/", "")


def _section(path: list[str], command, ctx) -> str:
    title = " ".join(path)
    lines = [f"## `{title}` {{#{'-'.join(path)}}}", ""]
    if command.deprecated:
        lines += ["*Deprecated.*", ""]
    help_text = _help_text(command)
    if help_text:
        lines += [help_text, ""]
    usage = command.get_usage(ctx).strip()
    lines += ["```text", usage, "```", ""]
    arguments, options = [], []
    for param in command.get_params(ctx):
        if getattr(param, "hidden", False):
            continue
        if param.param_type_name == "argument":
            name = (param.metavar or param.name or "").upper()
            extra = "required" if param.required else "optional"
            arguments.append(f"- `{name}` ({extra}): {_escape(getattr(param, 'help', None) or '')}".rstrip(": "))
            continue
        record = param.get_help_record(ctx)
        if record is None:
            continue
        names, help_ = record
        options.append(f"- `{names}`: {_escape(_unrooted(help_))}".rstrip(": "))
    if arguments:
        lines += ["**Arguments**", "", *arguments, ""]
    if options:
        lines += ["**Options**", "", *options, ""]
    if hasattr(command, "list_commands"):
        subs = [(name, command.get_command(ctx, name)) for name in command.list_commands(ctx)]
        subs = [(name, sub) for name, sub in subs if sub is not None and not sub.hidden]
        if subs:
            lines += ["**Commands**", ""]
            for name, sub in subs:
                anchor = "-".join([*path, name])
                lines.append(f"- [`{title} {name}`](#{anchor}): {_escape(sub.get_short_help_str(limit=120))}")
            lines.append("")
    return "\n".join(lines)


def markdown() -> str:
    """The whole CLI reference page."""
    head = [
        "# Command line reference",
        "",
        "Generated from the typer app (`vibesynth/cli/`) each time the site is built "
        "(`scripts/docs_cli_reference.py`), so it says what `vibesynth ... --help` says. "
        "Every command exits 2 with one line naming the problem and the fix on bad input.",
        "",
    ]
    sections = [_section(path, command, ctx) for path, command, ctx in _command_tree()]
    return "\n".join(head) + "\n" + "\n".join(sections)


def on_files(files, config):
    """mkdocs hook: add the generated page to the site's files."""
    from mkdocs.structure.files import File

    files.append(File.generated(config, PAGE, content=markdown()))
    return files


if __name__ == "__main__":
    sys.stdout.write(markdown())
