"""Pure algorithms: no Django, no ORM. Tested and benchmarked without a database."""
