"""Moving whole sets of records between the database and scenario files (load and export)."""
