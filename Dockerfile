# gatescope: the web app with its shipped models, serving on port 8000.
#   docker build -t gatescope .
#   docker run --rm -p 8000:8000 gatescope            # then open http://127.0.0.1:8000
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

WORKDIR /srv/gatescope

# Dependencies first, so a code change does not reinstall them. Only the serving dependencies:
# no torch, no test tools (those are extras).
COPY pyproject.toml README.md ./
COPY app/__init__.py app/__init__.py
RUN pip install --no-compile . && pip uninstall -y gatescope

# The app finds models/, templates/ and static/ beside its package, so it runs from this tree
# (an editable install), not from a copy in site-packages.
COPY app app
COPY models models
COPY templates templates
COPY static static
RUN pip install --no-compile --no-deps -e . \
    && useradd --create-home --uid 10001 gatescope
USER gatescope
# The compiled step loops (numba), built once into the image, so a container starts warm.
ENV NUMBA_CACHE_DIR=/home/gatescope/.cache/numba
RUN python -c "from app.core import load_model; [load_model(m).trace('warm') for m in ('lstm', 'gru', 'rnn')]"

EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=3s --start-period=20s --retries=3 \
    CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=2)"]

# GATESCOPE_WORKERS=2 (or more) uses more cores; every GATESCOPE_* setting can be passed with -e.
CMD ["gatescope", "serve", "--host", "0.0.0.0"]
