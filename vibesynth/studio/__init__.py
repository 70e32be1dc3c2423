"""The studio: a local page to make music with the engines (`vibesynth studio`; see `vibesynth.studio.server`)."""
