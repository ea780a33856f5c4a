"""Other ways to screen a scenario file against catalog 2026.1, for the screening benchmark.

Each is written as a team would write it on its own, without the package: a plain Python
loop (:mod:`.loop`) and DuckDB SQL (:mod:`.duckdb_sql`). They read the scenario file
themselves and give, per proposed transfer, each rule's outcome and reason code, which
:mod:`.agreement` compares with the project's findings.
"""
