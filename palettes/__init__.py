"""Sample palettes: the deterministic sample generator, manifests and curated palettes."""

from pathlib import Path

CURATED_DIR = Path(__file__).resolve().parent / "curated"


def curated_palettes() -> list[Path]:
    """The screened palettes that ship with the package, in name order."""
    return sorted(CURATED_DIR.glob("*.json"))


def find_palette(name_or_path: str | Path) -> Path:
    """A palette file: an existing path, the name of a curated palette (`palette_001`), or the checkout's
    path of one (`palettes/curated/palette_001.json`, as the README writes it) from any folder."""
    path = Path(name_or_path)
    if path.exists():
        return path
    if len(path.parts) == 1 and not path.suffix:
        curated = CURATED_DIR / f"{path.name}.json"
    elif path.parts[-3:-1] == ("palettes", "curated"):
        curated = CURATED_DIR / path.name
    else:
        return path
    return curated if curated.is_file() else path


def curated_names() -> str:
    return ", ".join(p.stem for p in curated_palettes())
