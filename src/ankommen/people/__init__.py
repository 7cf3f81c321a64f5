"""Persons, households, residence status, vulnerabilities, consent and responsibilities."""
