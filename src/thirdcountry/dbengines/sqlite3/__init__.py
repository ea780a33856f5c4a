"""SQLite, linking audit entries before each commit."""
