"""The comments app's back office: the moderation queue and bans; custom admin pages are plain
functions in views.py, routed by the queue's admin."""

from . import bans, comments  # noqa: F401  (registers the admins)
