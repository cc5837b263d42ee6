"""Domain operations: the one implementation of each state-changing rule.

Web views, the JSON API, the CLI and the jobs all call these. They ``add`` and ``flush``;
the caller commits once per unit of work (a request, a job, a CLI command).
"""
