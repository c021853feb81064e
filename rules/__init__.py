"""Marks the default rule pack as package data (``creditengine.rules``); not a rule file."""
