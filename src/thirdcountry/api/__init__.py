"""The REST API (``/api/v1/``): records in the scenario format, screening, and verdicts."""
