"""Blind A/B listening tests: the human check of every proxy judge.

sources  clips of each system from folders of renders, DJ runs or a manifest
pack     a self-contained, loudness-matched, blinded pack folder
votes    the SQLite vote store (idempotent, safe for concurrent raters)
server   the listening page (FastAPI + plain HTML/JS in static/)
stats    Wilson intervals, binomial tests, Bradley-Terry
report   / proxies / export: what listeners said and how the proxies agree
"""
