"""The articles app's back office, one module per admin; custom admin pages are plain functions
in *_views.py beside the admin that routes them. Imported by the admin's autodiscovery."""

from . import api_keys, desk, photos, site_structure, stories, tags  # noqa: F401  (registers the admins)
