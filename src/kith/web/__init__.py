"""The local web UI and its JSON API (`kith serve`): FastAPI, server-rendered Jinja templates
with autoescaping, and htmx for in-place updates. Every page calls the same `Kith` methods as
the CLI; see docs/web.md.

>>> from kith.api import Kith
>>> from kith.web.app import create_app
>>> app = create_app(Kith("sqlite:///my.sqlite"))   # doctest: +SKIP
"""
