"""The teacher: best-of-N configs per vibe by search against the judge (seeds/000 section 3).

For each vibe an Optuna study searches the 19 MusicConfig fields (TPE over
categoricals), warm-started from the rule-based mapper and, with an LM, from N
sampled configs. Studies live in an Optuna RDB storage (SQLite by default,
PostgreSQL for many machines), so any number of workers share the budget of
each vibe; the dataset is an export of that storage.
"""
