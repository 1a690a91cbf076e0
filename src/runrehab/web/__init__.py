"""The web app: server-rendered pages (Jinja2 + htmx) and the JSON API under ``/api/v1``.

``create_app(WebConfig(...))`` builds it; ``runrehab serve`` runs it with uvicorn. Pages and API
routes call the same services the command line does; nothing here decides anything clinical.
"""
