"""PostgreSQL, linking audit entries before each commit."""
