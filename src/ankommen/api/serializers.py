from __future__ import annotations

from rest_framework import serializers

from ankommen.people.models import Household, Person


class PersonSerializer(serializers.ModelSerializer[Person]):
    birth_date = serializers.SerializerMethodField(help_text="JJJJ-MM-TT; unbekannte Teile als 00.")
    nationalities = serializers.SerializerMethodField()
    languages = serializers.SerializerMethodField()

    class Meta:
        model = Person
        fields = [
            "id",
            "household",
            "household_role",
            "family_name",
            "given_names",
            "birth_date",
            "sex",
            "nationalities",
            "languages",
            "arrived_in_germany_on",
            "allocated_on",
        ]

    def get_birth_date(self, person: Person) -> str:
        return person.birth_date.iso()

    def get_nationalities(self, person: Person) -> list[str]:
        return [n.code for n in person.nationalities.all()]

    def get_languages(self, person: Person) -> list[str]:
        return [lang.code for lang in person.languages.all()]


class HouseholdSerializer(serializers.ModelSerializer[Household]):
    members = PersonSerializer(many=True, read_only=True)

    class Meta:
        model = Household
        fields = ["id", "reference", "members"]
