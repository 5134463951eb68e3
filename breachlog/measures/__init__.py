"""Measures after a breach: change, complete with the day they were done, reopen, cancel."""
