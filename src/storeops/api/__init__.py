"""The REST API (FastAPI) under ``/api/v1`` and the one ASGI app that also mounts the console."""
