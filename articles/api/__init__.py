"""The content API at /api/v1/ (docs/api.md): published content as JSON and IPTC ninjs, for the
newsroom's apps and partners. Read-only, keyed (models/api_keys.py), cacheable like reader pages.

It sits beside the reader site and above it: its answers name the same surrogate keys as reader
pages (public/invalidation.py), so a change purges exactly the answers that show it."""
