"""Case records: persons and their facts, transfers, monitoring, and stored screenings."""
