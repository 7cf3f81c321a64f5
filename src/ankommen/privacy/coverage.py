"""Which households are wholly anonymised in a category: their shared facts (the household
number, notes on moves) may go only when no member still needs them."""

from __future__ import annotations

from collections.abc import Sequence

from django.apps import apps

from ankommen.privacy.models import Anonymisation


def complete_households(*, person_ids: Sequence[int], category: str) -> list[int]:
    """Households of ``person_ids`` all of whose members are recorded as anonymised in
    ``category`` (the retention run records the persons before it calls the sources)."""
    person_model = apps.get_model("people", "Person")
    households = set(
        person_model._base_manager.filter(pk__in=person_ids).values_list("household_id", flat=True)
    )
    pending = (
        person_model._base_manager.filter(household_id__in=households)
        .exclude(
            pk__in=Anonymisation.objects.filter(category=category).values("person_id"),
        )
        .values_list("household_id", flat=True)
    )
    return sorted(households - set(pending))
