"""The law, as pure functions: no Flask, no SQLAlchemy, and `now` is always passed in."""
