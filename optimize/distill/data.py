"""Teacher records -> TRL datasets (prompt/completion for SFT, prompt/chosen/rejected for DPO, prompt-only for GRPO).

The teacher dataset (`vibesynth teacher export`) is one gzipped JSONL per
split of {id, vibe, split, config, reward, ...}. Plain JSONL of {vibe, config}
works too. With a neighbours index (`optimize/distill/neighbours.py`) every
prompt is the retrieval-augmented one, its neighbours never the record's own vibe.
"""

from __future__ import annotations

from pathlib import Path

from agent.student.neighbours import Neighbours
from agent.student.prompts import prompt, target
from tools import safe_json
from tools.errors import ConfigError, InputError
from tools.schema import MusicConfig


def split_file(data: Path, split: str) -> Path:
    """`data` may be the dataset folder (then `<split>.jsonl.gz` or `<split>.jsonl` inside it) or a file."""
    if data.is_file():
        return data
    for name in (f"{split}.jsonl.gz", f"{split}.jsonl"):
        if (data / name).is_file():
            return data / name
    raise ConfigError(
        f"no {split} split in {data}: expected {split}.jsonl.gz or {split}.jsonl (export the teacher dataset first: `vibesynth teacher export`)"
    )


def read_records(path: Path, limit: int | None = None) -> list[dict]:
    """Valid {vibe, config} records of a JSONL(.gz) file, in file order."""
    records = []
    try:
        for number, record in safe_json.read_jsonl(path, "dataset"):
            try:
                MusicConfig.parse(record["config"])
                record["vibe"]
            except (KeyError, TypeError, ConfigError) as err:
                raise ConfigError(
                    f"{path}:{number} is not a {{vibe, config}} record ({str(err).splitlines()[0]}); fix or re-export the dataset"
                ) from None
            records.append(record)
            if limit and len(records) >= limit:
                break
    except InputError as err:
        raise ConfigError(f"{err}; fix or re-export the dataset") from None
    if not records:
        raise ConfigError(f"{path} holds no records; export the teacher dataset first")
    return records


def student_prompt(vibe: str, neighbours: Neighbours | None = None) -> str:
    """The prompt a student trained with this index (or none) sees for `vibe`, in training and at inference."""
    return prompt(vibe, neighbours=neighbours.nearest(vibe) if neighbours else None)


def sft_dataset(records: list[dict], neighbours: Neighbours | None = None):
    from datasets import Dataset

    return Dataset.from_list([{"prompt": student_prompt(r["vibe"], neighbours), "completion": target(r["config"])} for r in records])


def grpo_dataset(records: list[dict], neighbours: Neighbours | None = None, others: bool = False):
    """Prompts, and with `others` each record's other vibes (the teacher's contrastive ones: the specificity reward's)."""
    from datasets import Dataset

    if others and (missing := next((r for r in records if not r.get("others")), None)) is not None:
        raise ConfigError(
            f"record {missing.get('id', missing['vibe'])!r} has no `others`: the specificity reward needs the teacher's "
            "contrastive vibes (a `vibesynth teacher` dataset has them), or use a judge that ignores the text"
        )
    rows = [{"prompt": student_prompt(r["vibe"], neighbours), **({"others": list(r["others"])} if others else {})} for r in records]
    return Dataset.from_list(rows)


def dpo_pairs(records: list[dict], pairs: int, margin: float) -> list[tuple[str, dict, dict]]:
    """(vibe, chosen, rejected) from each record's search candidates: the best config against up to `pairs` other
    configs of the same vibe whose objective is at least `margin` below it, spread evenly over them by rank (the
    closest eligible one, the worst, and between), so the pairs hold both hard and easy negatives."""
    out = []
    for record in records:
        best = record["config"]
        candidates = record.get("candidates")
        if not candidates:
            raise ConfigError(
                f"record {record.get('id', record['vibe'])!r} has no candidates: DPO needs a teacher "
                "dataset with every tried config (`vibesynth teacher` writes them)"
            )
        top = max(c["reward"] for c in candidates)
        worse = sorted((c for c in candidates if c["reward"] <= top - margin and c["config"] != best), key=lambda c: -c["reward"])
        if not worse:
            continue
        picks = sorted({round(i * (len(worse) - 1) / max(pairs - 1, 1)) for i in range(min(pairs, len(worse)))})
        out += [(record["vibe"], best, worse[i]["config"]) for i in picks]
    if not out:
        raise ConfigError(f"no candidate is {margin} below its vibe's best in these records; lower --margin")
    return out


def dpo_dataset(records: list[dict], pairs: int, margin: float, neighbours: Neighbours | None = None):
    from datasets import Dataset

    return Dataset.from_list(
        [
            {"prompt": student_prompt(vibe, neighbours), "chosen": target(chosen), "rejected": target(rejected)}
            for vibe, chosen, rejected in dpo_pairs(records, pairs, margin)
        ]
    )
