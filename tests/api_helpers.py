"""Small helpers for the content API's tests: a key, and requests made with it."""

from articles.models import ApiKey


def make_key(name="Test app") -> str:
    return ApiKey.objects.create_key(name)[1]


def api_get(client, path, key, **headers):
    return client.get(path, HTTP_AUTHORIZATION=f"Api-Key {key}", **headers)
