# Summit's Slack bot: one image for the Procfile's `web` and `clock` processes (see compose.yaml).
# Everything they load is baked in: the packaged embedding model, the spaCy pipeline and the
# model's ONNX export for questions. A container needs no network except to reach Slack.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    HF_HUB_OFFLINE=1 \
    TRANSFORMERS_OFFLINE=1 \
    SUMMIT_DATA_DIR=/data \
    SUMMIT_CACHE_DIR=/opt/summit/cache \
    PORT=3000

# CPU torch first: the default index's torch pulls a multi-GB CUDA build.
RUN pip install --index-url https://download.pytorch.org/whl/cpu torch==2.13.0

WORKDIR /src
COPY pyproject.toml README.md ./
COPY index ./index
COPY bot ./bot
RUN pip install . && rm -rf /src

# The data folder is the compose volume's mount point: created empty and owned by the user the
# processes run as, so a new named volume starts empty and writable. Nothing is ever written
# into the image's copy of it.
RUN useradd --create-home --uid 10001 summit \
 && mkdir -p /data /opt/summit/cache \
 && chown summit:summit /data /opt/summit/cache
USER summit
WORKDIR /home/summit

# --- Prepare the caches at build time, so a container starts with no download and no export ---
# `summit prepare` writes the model's ONNX export for questions into SUMMIT_CACHE_DIR; loading
# the spaCy pipeline proves it is there offline. Rebuild the image after changing SUMMIT_MODEL.
RUN SUMMIT_DATA_DIR=/tmp/summit-prepare summit prepare \
 && SUMMIT_DATA_DIR=/tmp/summit-prepare python -c "from index.nlp import pipeline; pipeline()" \
 && rm -rf /tmp/summit-prepare

VOLUME ["/data"]
EXPOSE 3000
# The Procfile's `web:` line; compose.yaml runs `clock` from the same image.
CMD ["gunicorn", "--config", "python:bot.gunicorn_conf", "bot.web:create_app()"]
