"""report.md of a study: best trial, parameter importances, PNG plots of history and importances."""

from __future__ import annotations

import warnings
from pathlib import Path

import optuna

from optimize.study.job import DONE, SETTINGS_ATTR
from optimize.teacher.storage import open_storage, redact
from tools.errors import ConfigError
from tools.files import write_atomic, write_text
from tools.run_record import write_run


def importances(study: optuna.Study) -> dict[str, float]:
    """PED-ANOVA importances (optuna, no scikit-learn needed); empty with too few or constant trials."""
    complete = study.get_trials(deepcopy=False, states=(optuna.trial.TrialState.COMPLETE,))
    if len(complete) < 2 or len({t.value for t in complete}) < 2:
        return {}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        evaluator = optuna.importance.PedAnovaImportanceEvaluator()
        return {k: float(v) for k, v in optuna.importance.get_param_importances(study, evaluator=evaluator).items()}


def write_report(storage_url: str, name: str, out: Path) -> dict:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    storage = open_storage(storage_url)
    if name not in optuna.get_all_study_names(storage):
        raise ConfigError(f"no study {name!r} in {redact(storage_url)}; run `vibesynth study ambient|dj` first")
    study = optuna.load_study(study_name=name, storage=storage)
    complete = study.get_trials(deepcopy=False, states=(optuna.trial.TrialState.COMPLETE,))
    if not complete:
        raise ConfigError(f"study {name!r} has no finished trial yet; run a worker first")
    ranked = importances(study)
    values = [t.value for t in complete]
    best_so_far = [max(values[: i + 1]) for i in range(len(values))]
    figure, axis = plt.subplots(figsize=(6, 3.5))
    axis.plot(range(1, len(values) + 1), values, "o", label="trial")
    axis.plot(range(1, len(values) + 1), best_so_far, "-", label="best so far")
    axis.set(xlabel="finished trial", ylabel="metric", title=f"{name}: history")
    axis.legend()
    write_atomic(out / "history.png", lambda tmp: figure.savefig(tmp, format="png", dpi=100, bbox_inches="tight"))
    plt.close(figure)
    if ranked:
        figure, axis = plt.subplots(figsize=(6, 0.4 * len(ranked) + 1.2))
        names = list(ranked)[::-1]
        axis.barh(names, [ranked[n] for n in names])
        axis.set(xlabel="PED-ANOVA importance", title=f"{name}: importances")
        write_atomic(out / "importances.png", lambda tmp: figure.savefig(tmp, format="png", dpi=100, bbox_inches="tight"))
        plt.close(figure)
    best = study.best_trial
    summary = {
        "study": name,
        "storage": redact(storage_url),
        "settings": study.user_attrs.get(SETTINGS_ATTR),
        "trials": len(study.get_trials(deepcopy=False, states=DONE)),
        "complete": len(complete),
        "best": {"number": best.number, "value": best.value, "params": best.params, "attrs": best.user_attrs},
        "importances": ranked,
    }
    lines = [
        f"# Study `{name}`",
        "",
        f"Storage: `{redact(storage_url)}` (open it with `optuna-dashboard URL`).",
        "",
        f"{len(complete)} finished trials; best value {best.value:.4f} (trial {best.number}).",
        "",
        "| parameter | best value | importance |",
        "|---|---|---|",
    ]
    lines += [f"| {k} | {v} | {ranked.get(k, float('nan')):.3f} |" for k, v in best.params.items()]
    lines += ["", "![history](history.png)", ""]
    lines += ["![importances](importances.png)", ""] if ranked else ["Importances need two trials with different values.", ""]
    lines += ["The metric is a proxy judge (see its backend in the settings); importances are PED-ANOVA on the trials run."]
    write_text(out / "report.md", "\n".join(lines) + "\n")
    write_run(out, summary)
    return summary
