"""Do a teacher's (or the student's) configs keep the words? Field match against a frozen reader set, paired with the
rule mapper.

    .venv/bin/python scripts/teacher_field_match.py --teacher runs/teacher-v2-unseen/dataset [--set unseen-v1] [-o DIR]
    .venv/bin/python scripts/teacher_field_match.py --teacher optimize/data/teacher --explicit-only
    .venv/bin/python scripts/teacher_field_match.py --student agent/student/shipped --set unseen-v5 [-o DIR]

`--student ADAPTER_DIR` asks a student adapter folder (the shipped one: agent/student/shipped) for each vibe of
the set instead of looking it up in a teacher dataset.

`--explicit-only` skips the set and reports, over every vibe of the teacher
dataset, the share of the fields the text names (the reader's explicit
fields: "no drums", "in D minor", "presto") that the teacher's config keeps.

For every field value the set expects of a vibe ("mourning at a graveside" ->
mode minor), both the teacher's best config and the rule mapper's config are
checked: exact match, and within one step for ordered fields. Prints per field
and overall, with Wilson 95% CIs, and tests teacher vs mapper paired on the
same expectations (exact McNemar: a binomial test on the discordant pairs).
Writes field_match.json and field_match.png to -o when given.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import typer
from rich.console import Console
from rich.table import Table
from scipy import stats

from aesthetics.vibe.reader import read
from optimize.eval.plots import pyplot, save_png
from optimize.eval.reader_check import ORDERED, load_frozen, wilson
from optimize.eval.teacher import load_teacher
from reference.vibe_mapper import map_vibe
from tools.files import write_json
from tools.schema import MusicConfig


def _hit(field: str, got: object, expected: object, within: bool) -> bool:
    if got == expected:
        return True
    order = ORDERED.get(field)
    return within and order is not None and abs(order.index(got) - order.index(expected)) <= 1


def mcnemar(pairs: list[tuple[bool, bool]], who: str = "teacher") -> dict:
    """Exact McNemar test of paired outcomes (a: `who`, b: the mapper): a binomial test on the pairs where they differ."""
    a_only = sum(a and not b for a, b in pairs)
    b_only = sum(b and not a for a, b in pairs)
    p = stats.binomtest(a_only, a_only + b_only).pvalue if a_only + b_only else 1.0
    return {f"{who}_only": a_only, "mapper_only": b_only, "p": float(p)}


def explicit_kept(configs) -> dict:
    """Wilson share of the reader's explicit fields, over every vibe of a teacher set, that its config keeps."""
    hits = [getattr(record.config, field) == value for record in configs.records for field, value in read(record.vibe).explicit_fields().items()]
    return wilson(sum(hits), len(hits))


class _Asked:
    """A student as a source of configs by vibe text (the interface of a loaded teacher set that main uses)."""

    def __init__(self, folder: Path, texts: list[str]) -> None:
        from agent.student import shipped

        student = shipped.load(folder, threads=2)
        self.configs = {text: MusicConfig.parse(student.constrained(text)) for text in texts}

    def get(self, text: str):
        return type("Row", (), {"config": self.configs[text]}) if text in self.configs else None


def main(
    teacher: Path | None = typer.Option(None, help="Teacher dataset folder or file holding the set's vibes."),
    student: Path | None = typer.Option(None, help="Or a student adapter folder, asked for each vibe of the set."),
    vibe_set: str = typer.Option("unseen-v1", "--set", help="Frozen reader set (optimize/data/reader)."),
    out: Path | None = typer.Option(None, "-o", "--out", help="Folder for field_match.json and field_match.png."),
    explicit_only: bool = typer.Option(False, help="Only the explicit-field agreement over the dataset's vibes."),
) -> None:
    if (teacher is None) == (student is None):
        raise SystemExit("give one of --teacher DATASET or --student ADAPTER_DIR")
    if explicit_only:
        if teacher is None:
            raise SystemExit("--explicit-only reads a teacher dataset's vibes: give --teacher")
        configs = load_teacher(teacher)
        kept = explicit_kept(configs)
        Console().print(
            f"explicit fields kept by {teacher}: {kept['rate']:.3f} [95% CI {kept['ci95'][0]:.3f}, "
            f"{kept['ci95'][1]:.3f}], n = {kept['n']} fields named in {len(configs)} vibes"
        )
        return
    items = [item for item in load_frozen(vibe_set) if item["fields"]]
    configs = _Asked(student, [item["text"] for item in items]) if student is not None else load_teacher(teacher)
    who = "student" if student is not None else "teacher"
    missing = [item["text"] for item in items if configs.get(item["text"]) is None]
    if missing:
        raise SystemExit(
            f"{len(missing)} vibes of {vibe_set} with expected fields are not in {teacher} (first: {missing[0]!r}); run the teacher on the set first"
        )
    pairs: dict[str, dict[str, list[tuple[bool, bool]]]] = {"exact": defaultdict(list), "within_one": defaultdict(list)}
    for item in items:
        taught = configs.get(item["text"]).config.model_dump()
        mapped = map_vibe(item["text"]).model_dump()
        for field, expected in item["fields"].items():
            for kind, within in (("exact", False), ("within_one", True)):
                pair = (_hit(field, taught[field], expected, within), _hit(field, mapped[field], expected, within))
                pairs[kind][field].append(pair)
                pairs[kind]["all"].append(pair)
    results = {
        kind: {
            field: {
                who: wilson(sum(a for a, _ in rows), len(rows)),
                "mapper": wilson(sum(b for _, b in rows), len(rows)),
                "mcnemar": mcnemar(rows, who),
            }
            for field, rows in sorted(by_field.items())
        }
        for kind, by_field in pairs.items()
    }
    table = Table(title=f"field match on {vibe_set} ({len(items)} vibes with expected fields); Wilson 95% CIs")
    for column in ("kind", "field", "n", who, "rule mapper", "McNemar p"):
        table.add_column(column)
    for kind, by_field in results.items():
        for field, r in by_field.items():
            t, m = r[who], r["mapper"]
            table.add_row(
                kind,
                field,
                str(t["n"]),
                f"{t['rate']:.3f} [{t['ci95'][0]:.3f}, {t['ci95'][1]:.3f}]",
                f"{m['rate']:.3f} [{m['ci95'][0]:.3f}, {m['ci95'][1]:.3f}]",
                f"{r['mcnemar']['p']:.3g}",
            )
    Console().print(table)
    if out is not None:
        write_json(out / "field_match.json", {"set": vibe_set, who: str(student or teacher), "results": results})
        _plot(results["exact"], out / "field_match.png", vibe_set, who)


def _plot(exact: dict, path: Path, vibe_set: str, who: str) -> None:
    plt = pyplot()
    fields = list(exact)
    fig, ax = plt.subplots(figsize=(7, 0.4 * len(fields) + 1.5))
    for offset, key in ((-0.15, who), (0.15, "mapper")):
        for row, field in enumerate(fields):
            r = exact[field][key]
            ax.errorbar(
                r["rate"],
                row + offset,
                xerr=[[r["rate"] - r["ci95"][0]], [r["ci95"][1] - r["rate"]]],
                fmt="o",
                capsize=3,
                color="C0" if key == who else "C1",
                label=(who if key == who else "rule mapper") if row == 0 else None,
            )
    ax.set_yticks(range(len(fields)), fields)
    ax.set_xlabel("exact field match (Wilson 95% CI)")
    ax.set_title(f"{who.capitalize()} vs rule mapper on {vibe_set}")
    ax.legend()
    save_png(fig, path)


if __name__ == "__main__":
    typer.run(main)
