"""Oversight: pseudonymised views for monitors, statistics, public releases with small
counts suppressed, and a tamper-evident audit trail of every write."""
