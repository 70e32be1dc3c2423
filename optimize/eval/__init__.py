"""Evaluation suite: producers of configs, judged renders, statistics, report and plots."""
