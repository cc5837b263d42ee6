"""Scheduled and batch work: the nightly matching run, the outbox sender, retention,
reconfirmation, and loading demo data. Jobs are plain functions taking a session and
``now``; the scheduler (its own process) and the CLI call them.
"""
