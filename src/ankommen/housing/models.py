"""Accommodation down to the bed, with dated occupancy.

A facility is a :class:`core.Site` of an accommodation kind; housing adds its features, rooms
and beds. Occupancy rows are dated (move-in, move-out, reasons), so occupancy on any past day is
exact. At most one open occupancy per bed is a database constraint, so two staff members
assigning the same bed at once cannot both succeed.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ankommen.core.models import County, Role, Site
from ankommen.people.models import Household, Person

# Sites where people are accommodated (an office has no beds).
ACCOMMODATION_KINDS = frozenset(
    {
        Site.Kind.SHARED_ACCOMMODATION,
        Site.Kind.APARTMENT_CLUSTER,
        Site.Kind.APARTMENT,
        Site.Kind.EMERGENCY,
    }
)
# Flats a household moves out to (Wohnung; a Wohnverbund is a cluster of flats).
FLAT_KINDS = frozenset({Site.Kind.APARTMENT, Site.Kind.APARTMENT_CLUSTER})


class Feature(models.TextChoices):
    """What a facility offers on site; codes match the placement instance's ``features``."""

    BARRIER_FREE_ACCESS = "barrier_free_access", _("Barrierefreier Zugang")
    WOMEN_PROTECTION = "women_protection", _("Schutzbereich für Frauen")
    PSYCHOSOCIAL = "psychosocial", _("Psychosoziale Betreuung vor Ort")
    CHILDCARE = "childcare", _("Kinderbetreuung")
    LANGUAGE_COURSE = "language_course", _("Sprachkursraum")
    SOCIAL_WORK = "social_work", _("Sozialarbeit vor Ort")
    MEDICAL = "medical", _("Medizinische Sprechstunde vor Ort")


class FacilityFeature(models.Model):
    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="features")
    code = models.CharField(_("Merkmal"), max_length=32, choices=Feature.choices)

    class Meta:
        verbose_name = _("Merkmal der Unterkunft")
        verbose_name_plural = _("Merkmale der Unterkunft")
        constraints = [
            models.UniqueConstraint(fields=["site", "code"], name="facility_feature_unique"),
        ]

    def __str__(self) -> str:
        return str(self.get_code_display())


class Room(models.Model):
    county = models.ForeignKey(County, on_delete=models.PROTECT, related_name="+")
    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="rooms")
    floor = models.CharField(_("Etage"), max_length=20, blank=True)
    number = models.CharField(_("Zimmer"), max_length=20)
    area_m2 = models.DecimalField(
        _("Wohnfläche (m²)"), max_digits=6, decimal_places=2, null=True, blank=True
    )
    barrier_free = models.BooleanField(_("barrierefrei"), default=False)
    women_only = models.BooleanField(_("nur für Frauen"), default=False)

    class Meta:
        verbose_name = _("Zimmer")
        verbose_name_plural = _("Zimmer")
        ordering = ["site", "floor", "number"]
        constraints = [
            models.UniqueConstraint(fields=["site", "number"], name="room_unique_number"),
        ]

    def __str__(self) -> str:
        return f"{self.site} {self.number}"


class Bed(models.Model):
    class State(models.TextChoices):
        IN_USE = "in_use", _("belegbar")
        RESERVED = "reserved", _("in Vorhaltung")
        CLOSED = "closed", _("gesperrt")

    county = models.ForeignKey(County, on_delete=models.PROTECT, related_name="+")
    room = models.ForeignKey(Room, on_delete=models.CASCADE, related_name="beds")
    label = models.CharField(_("Bett"), max_length=20)
    state = models.CharField(
        _("Zustand"), max_length=16, choices=State.choices, default=State.IN_USE
    )

    class Meta:
        verbose_name = _("Bett")
        verbose_name_plural = _("Betten")
        ordering = ["room", "label"]
        constraints = [
            models.UniqueConstraint(fields=["room", "label"], name="bed_unique_label"),
        ]

    def __str__(self) -> str:
        return f"{self.room}/{self.label}"


class OccupancyQuerySet(models.QuerySet["Occupancy"]):
    def on(self, day: date) -> OccupancyQuerySet:
        """Occupancies in force on ``day`` (move-out day counts as free)."""
        return self.filter(Q(valid_from__lte=day), Q(valid_to__isnull=True) | Q(valid_to__gt=day))


class Occupancy(models.Model):
    """A person in a bed from move-in to move-out (``valid_to`` is the day the bed is free)."""

    class MoveInReason(models.TextChoices):
        ALLOCATION = "allocation", _("Zuweisung")
        TRANSFER = "transfer", _("Verlegung")
        FAMILY = "family", _("Familienzusammenführung")
        BIRTH = "birth", _("Geburt")
        OTHER = "other", _("Sonstiges")

    class MoveOutReason(models.TextChoices):
        FLAT = "flat", _("Auszug in eine Wohnung")
        TRANSFER = "transfer", _("Verlegung")
        DEPARTURE = "departure", _("Ausreise/Wegzug")
        REDISTRIBUTION = "redistribution", _("Umverteilung")
        DEATH = "death", _("Tod")
        OTHER = "other", _("Sonstiges")

    county = models.ForeignKey(County, on_delete=models.PROTECT, related_name="+")
    bed = models.ForeignKey(Bed, on_delete=models.PROTECT, related_name="occupancies")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="occupancies")
    household = models.ForeignKey(Household, on_delete=models.PROTECT, related_name="occupancies")
    # The bed's facility, repeated here so that figures per facility need no joins (a room
    # never changes its site); filled from the bed on save.
    site = models.ForeignKey(Site, on_delete=models.PROTECT, related_name="+", editable=False)
    valid_from = models.DateField(_("Einzug"))
    valid_to = models.DateField(_("Auszug"), null=True, blank=True)
    move_in_reason = models.CharField(
        _("Grund des Einzugs"), max_length=16, choices=MoveInReason.choices
    )
    move_out_reason = models.CharField(
        _("Grund des Auszugs"), max_length=16, choices=MoveOutReason.choices, blank=True
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )

    objects: Any = OccupancyQuerySet.as_manager()

    class Meta:
        verbose_name = _("Belegung")
        verbose_name_plural = _("Belegungen")
        constraints = [
            models.UniqueConstraint(
                fields=["bed"],
                condition=Q(valid_to__isnull=True),
                name="one_open_occupancy_per_bed",
            ),
            models.UniqueConstraint(
                fields=["person"],
                condition=Q(valid_to__isnull=True),
                name="one_open_occupancy_per_person",
            ),
            models.CheckConstraint(
                name="occupancy_dates_ordered",
                condition=Q(valid_to__isnull=True) | Q(valid_to__gt=models.F("valid_from")),
            ),
        ]
        indexes = [
            models.Index(fields=["bed", "valid_from"], name="occupancy_bed_from"),
            models.Index(fields=["household", "valid_from"], name="occupancy_household_from"),
            models.Index(fields=["site", "valid_from"], name="occupancy_site_from"),
            # The dashboards count stays per site from the two (site, date) indexes alone.
            models.Index(fields=["site", "valid_to"], name="occupancy_site_to"),
            models.Index(fields=["person", "valid_to"], name="occupancy_person_to"),
        ]

    def __str__(self) -> str:
        return f"{self.person_id} → {self.bed} ({self.valid_from})"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.site_id is None:
            self.site_id = Room.objects.values_list("site_id", flat=True).get(beds__pk=self.bed_id)
        super().save(*args, **kwargs)


class AllocationImport(models.Model):
    """One imported allocation list (Zuweisungsliste) of the Land; the file's hash makes a
    second import of the same file recognisable."""

    county = models.ForeignKey(County, on_delete=models.PROTECT, related_name="+")
    file_name = models.CharField(_("Datei"), max_length=255)
    sha256 = models.CharField(max_length=64)
    imported_at = models.DateTimeField(_("importiert am"), auto_now_add=True)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    row_count = models.PositiveIntegerField(_("Zeilen"), default=0)

    class Meta:
        verbose_name = _("Zuweisungsliste")
        verbose_name_plural = _("Zuweisungslisten")
        ordering = ["-imported_at"]
        constraints = [
            models.UniqueConstraint(fields=["county", "sha256"], name="allocation_import_once"),
        ]

    def __str__(self) -> str:
        return self.file_name


class Allocation(models.Model):
    """One row of an allocation list: a person announced to arrive in the county."""

    county = models.ForeignKey(County, on_delete=models.PROTECT, related_name="+")
    number = models.CharField(_("Zuweisungsnummer"), max_length=40)
    source = models.ForeignKey(
        AllocationImport, on_delete=models.PROTECT, related_name="allocations"
    )
    household = models.ForeignKey(Household, on_delete=models.PROTECT, related_name="allocations")
    person = models.OneToOneField(Person, on_delete=models.PROTECT, related_name="allocation")
    planned_arrival = models.DateField(_("Ankunft geplant"))
    needs = models.JSONField(_("Bedarfe"), default=list)
    fingerprint = models.CharField(
        max_length=64, help_text="Hash of the row's data, to tell a repeat from a conflict"
    )
    status_text = models.CharField(
        _("Aufenthaltsstatus laut Liste"), max_length=200, blank=True, default=""
    )

    class Meta:
        verbose_name = _("Zuweisung")
        verbose_name_plural = _("Zuweisungen")
        ordering = ["planned_arrival", "number"]
        constraints = [
            models.UniqueConstraint(fields=["county", "number"], name="allocation_unique_number"),
        ]
        indexes = [models.Index(fields=["county", "planned_arrival"], name="allocation_arrival")]

    def __str__(self) -> str:
        return self.number


class BedStatusQuerySet(models.QuerySet["BedStatus"]):
    def on(self, day: date) -> BedStatusQuerySet:
        return self.filter(Q(valid_from__lte=day), Q(valid_to__isnull=True) | Q(valid_to__gt=day))


class BedStatus(models.Model):
    """The state of a bed from one day to the next change (``valid_to`` is the day the next
    state begins). A bed exists from its first row on; :attr:`Bed.state` repeats the open row.
    Dated, so the beds held in reserve or closed on any past day are exact."""

    county = models.ForeignKey(County, on_delete=models.PROTECT, related_name="+")
    bed = models.ForeignKey(Bed, on_delete=models.CASCADE, related_name="statuses")
    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="+", editable=False)
    state = models.CharField(_("Zustand"), max_length=16, choices=Bed.State.choices)
    valid_from = models.DateField(_("ab"))
    valid_to = models.DateField(_("bis"), null=True, blank=True)
    reason = models.CharField(_("Grund"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )

    objects: Any = BedStatusQuerySet.as_manager()

    class Meta:
        verbose_name = _("Bettenzustand")
        verbose_name_plural = _("Bettenzustände")
        ordering = ["bed", "valid_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["bed"], condition=Q(valid_to__isnull=True), name="one_open_status_per_bed"
            ),
            models.CheckConstraint(
                name="bed_status_dates_ordered",
                condition=Q(valid_to__isnull=True) | Q(valid_to__gt=models.F("valid_from")),
            ),
        ]
        indexes = [
            models.Index(fields=["bed", "valid_from"], name="bed_status_bed_from"),
            models.Index(fields=["site", "valid_from"], name="bed_status_site_from"),
            # The dashboards count bed states per site and state from these alone.
            models.Index(fields=["site", "valid_from", "state"], name="bed_status_site_from_state"),
            models.Index(fields=["site", "valid_to", "state"], name="bed_status_site_to_state"),
        ]

    def __str__(self) -> str:
        return f"{self.bed_id}: {self.state} ({self.valid_from})"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.site_id is None:
            self.site_id = Room.objects.values_list("site_id", flat=True).get(beds__pk=self.bed_id)
        super().save(*args, **kwargs)


class Move(models.Model):
    """A dated event in a household's accommodation: moving in, moving between facilities,
    moving out (to a flat or elsewhere). The beds themselves are in :class:`Occupancy`."""

    class Kind(models.TextChoices):
        MOVE_IN = "move_in", _("Einzug")
        TRANSFER = "transfer", _("Umzug")
        MOVE_OUT = "move_out", _("Auszug")

    class Reason(models.TextChoices):
        ALLOCATION = "allocation", _("Zuweisung an den Landkreis")
        REQUEST = "request", _("auf eigenen Wunsch")
        FAMILY = "family", _("Familienzusammenführung")
        PROTECTION = "protection", _("Schutz oder Konflikt")
        HEALTH = "health", _("Gesundheit oder Barrierefreiheit")
        CLOSURE = "closure", _("Schließung oder Sanierung")
        CAPACITY = "capacity", _("Belegungsausgleich")
        FLAT = "flat", _("Wohnung bezogen")
        REDISTRIBUTION = "redistribution", _("Umverteilung")
        DEPARTURE = "departure", _("Ausreise oder Wegzug")
        OTHER = "other", _("Sonstiges")

    county = models.ForeignKey(County, on_delete=models.PROTECT, related_name="+")
    household = models.ForeignKey(Household, on_delete=models.PROTECT, related_name="moves")
    day = models.DateField(_("Datum"))
    kind = models.CharField(_("Art"), max_length=16, choices=Kind.choices)
    reason = models.CharField(_("Grund"), max_length=16, choices=Reason.choices)
    note = models.CharField(_("Bemerkung"), max_length=300, blank=True)
    from_site = models.ForeignKey(
        Site, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    to_site = models.ForeignKey(
        Site, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("Umzug")
        verbose_name_plural = _("Umzüge")
        ordering = ["household", "day", "pk"]
        indexes = [models.Index(fields=["household", "day"], name="move_household_day")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.day}"


class FlatReadiness(models.Model):
    """Staff consider the household ready for a flat of its own (wohnungsbereit), from
    ``valid_from``; ends when withdrawn or when the household moves out."""

    county = models.ForeignKey(County, on_delete=models.PROTECT, related_name="+")
    household = models.ForeignKey(
        Household, on_delete=models.CASCADE, related_name="flat_readiness"
    )
    valid_from = models.DateField(_("wohnungsbereit seit"))
    valid_to = models.DateField(_("bis"), null=True, blank=True)
    note = models.CharField(_("Bemerkung"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )

    class Meta:
        verbose_name = _("Wohnungsbereitschaft")
        verbose_name_plural = _("Wohnungsbereitschaften")
        constraints = [
            models.UniqueConstraint(
                fields=["household"],
                condition=Q(valid_to__isnull=True),
                name="one_open_flat_readiness",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.household_id} ({self.valid_from})"


class PlacementRun(models.Model):
    """One computed placement recommendation for the households announced in a window.

    The instance and the solver's result are kept as the JSON of ``docs/placement.md``, so that
    a recommendation shown to staff can be explained later."""

    class Status(models.TextChoices):
        PENDING = "pending", _("wartet")
        RUNNING = "running", _("läuft")
        DONE = "done", _("fertig")
        FAILED = "failed", _("fehlgeschlagen")

    county = models.ForeignKey(County, on_delete=models.PROTECT, related_name="+")
    window_from = models.DateField(_("Ankunft ab"))
    window_to = models.DateField(_("Ankunft bis"))
    status = models.CharField(
        _("Status"), max_length=16, choices=Status.choices, default=Status.PENDING
    )
    instance = models.JSONField(default=dict)
    result = models.JSONField(default=dict)
    accepted = models.JSONField(default=list, help_text="Household keys of accepted placements")
    error = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("Unterbringungsvorschlag")
        verbose_name_plural = _("Unterbringungsvorschläge")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.window_from}–{self.window_to} ({self.status})"


# --------------------------------------------------------------------------- arrivals
# Models for importing allocation lists in the UI and for the stress-free arrival (issue 5,
# parts 2 and 3). Migration: 0004_arrivals_checklist.


class AllocationUpload(models.Model):
    """An allocation list uploaded in the UI, kept between preview and import.

    The file's content holds personal data: it is deleted as soon as the import has finished
    or failed; what stays is the result (counts and errors).
    """

    class State(models.TextChoices):
        PREVIEWED = "previewed", _("geprüft")
        RUNNING = "running", _("wird importiert")
        DONE = "done", _("abgeschlossen")
        FAILED = "failed", _("fehlgeschlagen")

    county = models.ForeignKey(County, on_delete=models.PROTECT, related_name="+")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    file_name = models.CharField(_("Datei"), max_length=255)
    content = models.BinaryField(editable=False, blank=True)
    sha256 = models.CharField(max_length=64)
    state = models.CharField(
        _("Stand"), max_length=16, choices=State.choices, default=State.PREVIEWED
    )
    result: models.JSONField[Any, Any] = models.JSONField(_("Ergebnis"), default=dict)
    created_at = models.DateTimeField(_("hochgeladen"), auto_now_add=True)
    finished_at = models.DateTimeField(_("abgeschlossen"), null=True, blank=True)

    class Meta:
        verbose_name = _("Hochgeladene Zuweisungsliste")
        verbose_name_plural = _("Hochgeladene Zuweisungslisten")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.file_name


class Arrival(models.Model):
    """A household's announced arrival in the county on one day, and where it will live.

    Created by the allocation import; the planned facility is chosen by county staff (or the
    placement). Its checklist (:class:`ArrivalTask`) makes the arrival stress-free.
    """

    county = models.ForeignKey(County, on_delete=models.PROTECT, related_name="+")
    household = models.ForeignKey(Household, on_delete=models.PROTECT, related_name="arrivals")
    planned_on = models.DateField(_("Ankunft geplant"))
    site = models.ForeignKey(
        Site,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="planned_arrivals",
        verbose_name=_("Geplante Unterkunft"),
    )
    assessed_at = models.DateTimeField(_("Schutzbedarf geprüft am"), null=True, blank=True)
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("Ankunft")
        verbose_name_plural = _("Ankünfte")
        ordering = ["planned_on", "household__reference"]
        constraints = [
            models.UniqueConstraint(fields=["household", "planned_on"], name="arrival_once_a_day"),
        ]
        indexes = [models.Index(fields=["county", "planned_on"], name="arrival_day")]

    def __str__(self) -> str:
        return f"{self.household} ({self.planned_on})"


class ArrivalTask(models.Model):
    """One item of a household's arrival checklist, with an owner and a due time."""

    class Kind(models.TextChoices):
        BED_READY = "bed_ready", _("Bett vorbereitet")
        INTERPRETER = "interpreter", _("Sprachmittlung für die Ankunft gebucht")
        FIRST_SUPPLIES = "first_supplies", _("Erstausstattung bereitgelegt")
        SOCIAL_WORK = "social_work", _("Ersttermin bei der Sozialarbeit vereinbart")
        HEALTH = "health", _("Gesundheitliche Bedarfe dem Gesundheitsdienst gemeldet")
        CHILDREN = "children", _("Bedarfe der Kinder vorbereitet")

    county = models.ForeignKey(County, on_delete=models.PROTECT, related_name="+")
    arrival = models.ForeignKey(Arrival, on_delete=models.CASCADE, related_name="tasks")
    kind = models.CharField(_("Aufgabe"), max_length=20, choices=Kind.choices)
    detail = models.CharField(_("Hinweis"), max_length=200, blank=True)
    owner_role = models.CharField(_("Zuständig"), max_length=32, choices=Role.choices)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="arrival_tasks",
        verbose_name=_("Bearbeitet von"),
    )
    due_at = models.DateTimeField(_("fällig"))
    done_at = models.DateTimeField(_("erledigt am"), null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("Aufgabe zur Ankunft")
        verbose_name_plural = _("Aufgaben zur Ankunft")
        ordering = ["due_at", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["arrival", "kind"], name="arrival_task_once"),
            models.CheckConstraint(
                name="arrival_task_done_by_set",
                condition=Q(done_at__isnull=True) | Q(done_by__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return str(self.get_kind_display())
