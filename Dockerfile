# gatescope: the web app with its shipped models, serving on port 8000, installed from its wheel.
#   docker build -t gatescope .
#   docker run --rm -p 8000:8000 gatescope            # then open http://127.0.0.1:8000
# Kubernetes: deploy/gatescope.yaml; sizing in docs/DEPLOY.md.

# Stage 1: build the wheel (it carries the models, the page and the test splits).
FROM python:3.11-slim AS wheel
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /src
COPY . .
RUN pip wheel --no-deps -w /dist .

# Stage 2: install that wheel alone, as any user would; no source tree, no editable install.
FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1
COPY --from=wheel /dist /tmp/dist
# Only the serving dependencies: no torch, no test tools (those are extras).
RUN pip install --no-compile /tmp/dist/gatescope-*.whl && rm -rf /tmp/dist \
    && useradd --create-home --uid 10001 gatescope
USER gatescope
WORKDIR /home/gatescope
# The compiled step loops (numba), built once into the image, so a container starts warm.
ENV NUMBA_CACHE_DIR=/home/gatescope/.cache/numba
RUN python -c "from app.core import load_model; [load_model(m).trace('warm') for m in ('lstm', 'gru', 'rnn', 'lstm-tiny')]"

EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=3s --start-period=20s --retries=3 \
    CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=2)"]

# GATESCOPE_WORKERS=2 (or more) uses more cores; every GATESCOPE_* setting can be passed with -e.
CMD ["gatescope", "serve", "--host", "0.0.0.0"]
