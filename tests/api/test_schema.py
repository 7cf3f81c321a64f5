import pytest

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_the_schema_needs_sign_in_and_documents_both_authentications(client):
    assert client.get("/api/v1/schema/").status_code == 401
    client.force_login(UserFactory(password=None))
    response = client.get("/api/v1/schema/", {"format": "json"})
    assert response.status_code == 200
    schemes = response.json()["components"]["securitySchemes"]
    assert set(schemes) == {"cookieAuth", "tokenAuth"}
