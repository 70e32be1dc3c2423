"""Sample palettes: the deterministic sample generator, manifests and curated palettes."""

from pathlib import Path

CURATED_DIR = Path(__file__).resolve().parent / "curated"


def curated_palettes() -> list[Path]:
    """The screened palettes that ship with the package, in name order."""
    return sorted(CURATED_DIR.glob("*.json"))


def find_palette(name_or_path: str | Path) -> Path:
    """A palette file: an existing path, or the name of a curated palette (`palette_001`)."""
    path = Path(name_or_path)
    if path.is_file() or path.suffix or len(path.parts) > 1:
        return path
    curated = CURATED_DIR / f"{path.name}.json"
    return curated if curated.is_file() else path
