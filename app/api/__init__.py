"""The web service: thin FastAPI routes over the engine; settings, schemas, dependencies, headers."""
