"""The page (/), the embed page (/embed), static files, plotly.js and the API docs, all local."""

from __future__ import annotations

import hashlib
import mimetypes
from importlib import metadata
from importlib.util import find_spec
from pathlib import Path
from typing import Any

from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import FileResponse, HTMLResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from starlette.datastructures import QueryParams
from starlette.types import Scope

from ..resources import static_dir, templates_dir
from .deps import RegistryDep, SettingsDep

# templates/ and static/: at the repository's root, or inside the installed package.
TEMPLATES_DIR, STATIC_DIR = templates_dir(), static_dir()
PLOTLY_JS = Path(find_spec("plotly").origin or "").parent / "package_data" / "plotly.min.js"  # type: ignore[union-attr]

# ES modules are refused unless served as JavaScript, and they import static/palette.json;
# the platform's table may say application/javascript or nothing for these.
mimetypes.add_type("text/javascript", ".js")
mimetypes.add_type("text/javascript", ".mjs")
mimetypes.add_type("application/json", ".json")

try:
    VERSION = metadata.version("gatescope")
except metadata.PackageNotFoundError:  # running from a source tree that was never installed
    VERSION = "0"

# Our own files revalidate on every load (ETag makes that a 304); vendored files change only with
# the installed package, so browsers may keep them for a day. A URL with ?v=<the current asset
# version> names one content for ever (the version changes when any file does), so it is immutable.
APP_CACHE = "no-cache"
VENDOR_CACHE = "public, max-age=86400"
IMMUTABLE = "public, max-age=31536000, immutable"
PLOTLY_VERSION = metadata.version("plotly")


def asset_version(static: Path = STATIC_DIR) -> str:
    """The package version and a digest of every static file, for the page's ?v= links: a changed
    file gets a new URL even when the version number stays (a clone, an editable install)."""
    digest = hashlib.sha256()
    for path in sorted(p for p in static.rglob("*") if p.is_file()):
        digest.update(path.relative_to(static).as_posix().encode() + b"\0" + path.read_bytes())
    return f"{VERSION}-{digest.hexdigest()[:10]}"

router = APIRouter(include_in_schema=False)


def _versioned(scope: Scope, version: str | None) -> bool:
    return version is not None and QueryParams(scope.get("query_string", b"")).get("v") == version


class CachedStatic(StaticFiles):
    """StaticFiles with a Cache-Control header; immutable when asked for with ?v=`version`."""

    def __init__(self, *, directory: Path, cache_control: str, version: str | None = None) -> None:
        super().__init__(directory=directory, check_dir=False)
        self.cache_control = cache_control
        self.version = version

    def file_response(self, full_path: Any, stat_result: Any, scope: Scope,
                      status_code: int = 200) -> Response:
        response = super().file_response(full_path, stat_result, scope, status_code)
        response.headers["cache-control"] = (IMMUTABLE if _versioned(scope, self.version)
                                             else self.cache_control)
        return response


def _context(request: Request, registry: RegistryDep, settings: SettingsDep,
             embed: bool) -> dict[str, Any]:
    return {
        "models": [m.config.to_dict() for m in registry.models.values()],
        "default_model": registry.default,
        "max_chars": settings.max_chars,
        "max_tokens": settings.max_tokens,
        "embed": embed,
        "version": VERSION,
        "asset_version": request.app.state.asset_version,
        "plotly_version": PLOTLY_VERSION,
    }


def _render(request: Request, name: str, context: dict[str, Any]) -> Response:
    templates: Jinja2Templates = request.app.state.templates
    return templates.TemplateResponse(request, name, context)


@router.get("/", response_class=HTMLResponse)
async def index(request: Request, registry: RegistryDep, settings: SettingsDep) -> Response:
    return _render(request, "index.html", _context(request, registry, settings, embed=False))


@router.get("/embed", response_class=HTMLResponse)
async def embed(request: Request, registry: RegistryDep, settings: SettingsDep) -> Response:
    return _render(request, "embed.html", _context(request, registry, settings, embed=True))


@router.get("/favicon.ico")
async def favicon() -> Response:
    # Browsers ask on every page; "no content" keeps their consoles free of a 404.
    return Response(status_code=204, headers={"cache-control": VENDOR_CACHE})


@router.get("/static/vendor/plotly.min.js")
async def plotly_js(request: Request) -> Response:
    cache = IMMUTABLE if _versioned(request.scope, PLOTLY_VERSION) else VENDOR_CACHE
    return FileResponse(PLOTLY_JS, media_type="text/javascript", headers={"cache-control": cache})


# Swagger UI comes from the swagger-ui-py package when it is installed (never from a CDN); its
# start-up code is served as a file because the CSP allows no inline script.
_SWAGGER = find_spec("swagger_ui")
SWAGGER_DIR = (Path(_SWAGGER.origin).parent / "static"
               if _SWAGGER is not None and _SWAGGER.origin else None)
_DOCS_HTML = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>gatescope API</title>
<link rel="stylesheet" href="/docs/assets/swagger-ui.css"></head>
<body><div id="swagger-ui"></div>
<script src="/docs/assets/swagger-ui-bundle.js"></script><script src="/docs/init.js"></script>
</body></html>"""
_DOCS_INIT = """window.ui = SwaggerUIBundle({url: "/openapi.json", dom_id: "#swagger-ui",
  deepLinking: true, defaultModelsExpandDepth: 0,
  presets: [SwaggerUIBundle.presets.apis], layout: "BaseLayout"});"""
_DOCS_FALLBACK = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>gatescope API</title></head>
<body><h1>gatescope API</h1><p>The OpenAPI schema is at <a href="/openapi.json">/openapi.json</a>.
Install <code>swagger-ui-py</code> for the interactive page here.</p></body></html>"""


@router.get("/docs", response_class=HTMLResponse)
async def docs() -> HTMLResponse:
    return HTMLResponse(_DOCS_HTML if SWAGGER_DIR is not None else _DOCS_FALLBACK)


@router.get("/docs/init.js")
async def docs_init() -> Response:
    return Response(_DOCS_INIT, media_type="text/javascript")


def mount(app: FastAPI) -> None:
    """Page routes, /static (with plotly.js from the installed plotly package) and /docs."""
    app.state.templates = Jinja2Templates(directory=TEMPLATES_DIR)
    app.state.asset_version = asset_version()
    app.include_router(router)
    app.mount("/static", CachedStatic(directory=STATIC_DIR, cache_control=APP_CACHE,
                                      version=app.state.asset_version), name="static")
    if SWAGGER_DIR is not None:
        app.mount("/docs/assets", CachedStatic(directory=SWAGGER_DIR, cache_control=VENDOR_CACHE),
                  name="docs-assets")
