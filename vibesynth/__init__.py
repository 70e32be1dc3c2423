"""vibesynth: let language models play synthesizers.

The top of the dependency chain (tools <- palettes <- reference <- agent <- optimize
<- vibesynth, with aesthetics beside them): the `vibesynth` command line lives in
`vibesynth.cli`; nothing below imports this package.
"""
