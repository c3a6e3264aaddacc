"""`make bench`: the project's performance goals, each measured against a baseline from the same run.

The machine is shared and noisy, so timings are never compared with fixed numbers: every timed
benchmark alternates its subject with a baseline and reports the median of the paired ratios.

    python -m bench [--only M1,M3] [--json PATH] [--runs N]
"""
