"""Alembic migrations of the skill bank schema, run by ``Bank.init`` (no alembic.ini needed)."""
