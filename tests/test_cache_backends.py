"""The project's own cache backends: the versions' files of a machine without Redis
(newsroom.disk_cache.VersionFiles) and Redis keeping its clients (newsroom.redis_cache): what one
worker writes, every other reads on its next request, however often it read before."""

import contextlib
import functools
import os
import sys
import time
import uuid

import pytest
import redis

from articles.caching import versions
from newsroom.disk_cache import VersionFiles
from newsroom.redis_cache import SharedClientRedisCache

REDIS_URL = f"redis://127.0.0.1:6379/{os.environ.get('TEST_REDIS_DB', '9')}"


def workers(tmp_path, count=2):
    return [VersionFiles(str(tmp_path / "versions"), {}) for _ in range(count)]


def test_a_version_moved_by_one_worker_is_read_by_another_at_once(tmp_path):
    writer, reader = workers(tmp_path)
    for _ in range(50):  # each new version has the same length as the last: only its bytes differ
        version = uuid.uuid4().hex
        writer.set("newsroom:version:content", version, None)
        assert reader.get("newsroom:version:content") == version
        assert reader.get("newsroom:version:content") == version
        assert reader.get_many(["newsroom:version:content", "other"]) == {
            "newsroom:version:content": version
        }


def test_an_emptied_directory_or_a_deleted_key_is_a_miss_for_every_worker(tmp_path):
    writer, reader = workers(tmp_path)
    writer.set("a", "1", None)
    writer.set("b", "2", None)
    assert reader.get("a") == "1" and reader.get("b") == "2"

    writer.delete("a")
    assert reader.get("a") is None
    writer.clear()
    assert reader.get("b", "missing") == "missing"
    assert reader.add("b", "3", None)
    assert writer.get("b") == "3"


def test_an_expired_value_is_a_miss_even_when_read_before(tmp_path):
    writer, reader = workers(tmp_path)
    writer.set("mark", 1234.5, 1)
    assert reader.get("mark") == 1234.5

    time.sleep(1.1)
    assert reader.get("mark") is None
    assert writer.get("mark") is None


def test_a_value_a_caller_can_change_is_read_afresh_each_time(tmp_path):
    writer, reader = workers(tmp_path)
    writer.set("keys", ["story-1"], None)
    reader.get("keys").append("story-2")
    assert reader.get("keys") == ["story-1"]


# Directories this process lists (os.scandir, os.listdir: Python's audit events), while a test
# watches them. An audit hook cannot be removed: one is added, by the first test that watches,
# rather than when the suite is collected, so no other test's events pass through it first.
_LISTED: dict[str, int] = {}


def _count_listings(event, args):
    if event in ("os.scandir", "os.listdir") and args and str(args[0]) in _LISTED:
        _LISTED[str(args[0])] += 1


@functools.cache
def _watch_listings() -> None:
    sys.addaudithook(_count_listings)


@contextlib.contextmanager
def listings_of(directory):
    """A list whose one number is how many times `directory` was listed inside the block."""
    _watch_listings()
    _LISTED[str(directory)] = 0
    counted = []
    try:
        yield counted
    finally:
        counted.append(_LISTED.pop(str(directory)))


def story_versions(directory) -> int:
    """How many versions stories have of their own are in `directory` (the files a cull reads)."""
    return sum(name.endswith(".djcache") for name in os.listdir(directory))


def test_a_crawl_making_a_version_per_story_lists_the_directory_once_per_interval(tmp_path):
    """Each story read gets a version of its own: were the directory listed before every write
    (Django's file cache, to cull it), each new story would cost more than the last."""
    directory = tmp_path / "versions"
    worker = VersionFiles(str(directory), {"OPTIONS": {"MAX_ENTRIES": 100_000}})
    with listings_of(directory) as listed:
        for story in range(300):
            assert worker.add(f"newsroom:version:comments-{story}", uuid.uuid4().hex, None)
    assert listed == [1]
    assert story_versions(directory) == 300


def test_the_directory_is_still_culled_once_the_interval_has_passed(tmp_path):
    directory = tmp_path / "versions"
    options = {"MAX_ENTRIES": 50, "CULL_FREQUENCY": 3, "CULL_EVERY_SECONDS": 0.5}
    worker = VersionFiles(str(directory), {"OPTIONS": options})
    for story in range(120):
        worker.set(f"newsroom:version:comments-{story}", "v", None)
    assert story_versions(directory) == 120  # over MAX_ENTRIES until the interval passes

    time.sleep(0.6)
    worker.set("newsroom:version:comments-one-more", "v", None)
    assert story_versions(directory) == 120 - 120 // 3 + 1  # Django's cull: a third, at random

    every_write = VersionFiles(
        str(tmp_path / "other"), {"OPTIONS": {**options, "CULL_EVERY_SECONDS": 0}}
    )
    for story in range(120):
        every_write.set(f"newsroom:version:comments-{story}", "v", None)
    assert story_versions(tmp_path / "other") <= 50


def versions_in(directory, **options) -> dict:
    """settings.CACHES with the versions in `directory`, their backend given `options`."""
    return {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
        "versions": {
            "BACKEND": "newsroom.disk_cache.VersionFiles",
            "LOCATION": directory,
            "OPTIONS": options,
        },
    }


@pytest.mark.django_db
def test_a_cull_takes_only_versions_stories_have_of_their_own(
    settings, tmp_path, django_capture_on_commit_callbacks
):
    """A cull deletes a third of the files at random: never the content version (every page
    would be rendered again) nor a withdrawal's mark or the marks' version (a copy showing a
    withdrawn story could be served while Postgres is away: versions.may_serve_stale)."""
    for trial in range(30):
        directory = tmp_path / f"versions-{trial}"
        settings.CACHES = versions_in(directory, MAX_ENTRIES=30, CULL_EVERY_SECONDS=0)
        rendered_from = time.time() - 10 * versions.CLOCK_SKEW_SECONDS
        site = versions.current_versions([versions.CONTENT, versions.MARKS])
        assert versions.may_serve_stale(["story-7"], site, rendered_from)

        with django_capture_on_commit_callbacks(execute=True):
            versions.withdraw(["story-7"])  # moves the content version too
        site = versions.current_versions([versions.CONTENT, versions.MARKS])
        assert not versions.may_serve_stale(["story-7"], site, rendered_from)
        for story in range(40):  # readers reach stories that each get a version of their own
            versions.current_versions([f"comments-{story}"])

        assert story_versions(directory) < 40
        assert versions.current_versions([versions.CONTENT, versions.MARKS]) == site
        assert not versions.may_serve_stale(["story-7"], site, rendered_from)


def test_emptying_the_versions_empties_what_no_cull_takes_too(tmp_path):
    worker = VersionFiles(str(tmp_path / "versions"), {})
    worker.set("newsroom:version:content", "v1", None)
    worker.set("newsroom:version:comments-7", "v2", None)
    worker.clear()
    assert worker.get("newsroom:version:content") is None
    assert worker.get("newsroom:version:comments-7") is None


def test_a_withdrawal_mark_past_its_time_is_removed_by_the_next_cull(tmp_path):
    directory = tmp_path / "versions"
    worker = VersionFiles(str(directory), {"OPTIONS": {"CULL_EVERY_SECONDS": 0}})
    worker.set("newsroom:withdrawn:story-7", time.time(), 1)
    worker.set("newsroom:withdrawn:story-8", time.time(), 60)
    assert len(os.listdir(directory / "kept")) == 2

    time.sleep(1.1)
    worker.set("newsroom:version:comments-9", "v", None)
    assert len(os.listdir(directory / "kept")) == 1
    assert worker.get("newsroom:withdrawn:story-8") is not None


@pytest.fixture
def redis_servers():
    redis.Redis.from_url(REDIS_URL).flushdb()  # this run's Redis database only
    yield [SharedClientRedisCache(REDIS_URL, {}) for _ in range(2)]
    redis.Redis.from_url(REDIS_URL).flushdb()


def test_with_redis_every_operation_of_one_server_is_seen_by_another(redis_servers):
    writer, reader = redis_servers
    for n in range(20):
        version = uuid.uuid4().hex
        writer.set("newsroom:version:content", version, None)
        writer.set_many({"page": f"copy {n}", "count": n}, 60)
        assert reader.get_many(["page", "newsroom:version:content", "missing"]) == {
            "page": f"copy {n}",
            "newsroom:version:content": version,
        }
        assert reader.incr("count") == n + 1
    writer.delete("page")
    assert reader.get("page") is None
    assert reader.add("page", "new", 60) and not writer.add("page", "newer", 60)
    writer.clear()
    assert reader.get("newsroom:version:content") is None
