"""Unterbringung: facilities, rooms, beds, allocation lists, arrivals, placement and moves."""
