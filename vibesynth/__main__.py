"""`python -m vibesynth`: the same as the `vibesynth` command."""

from vibesynth.cli import main

main()
