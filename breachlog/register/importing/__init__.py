"""`breachlog import`: a register kept in Excel until now, brought in row by row.

readers (CSV; XLSX through xlsx, as a stream) -> mapping (headers) -> rows and values
(cells) -> acts (the acts of one row) done by importer (the services, one savepoint per
row) or by dry (their checks, nothing written) -> report (what the command prints).
"""
