"""`breachlog import`: a register kept in Excel until now, brought in row by row.

readers (CSV, XLSX) -> mapping (headers) -> rows and values (cells) -> importer (the
services, one savepoint per row) -> report (what the command prints).
"""
