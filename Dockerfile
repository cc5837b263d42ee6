# Production image: gunicorn serving the web app; the same image runs the scheduler as a
# separate process/container (`docker run IMAGE ungeloeftet scheduler`), never inside the
# gunicorn workers. Migrations are applied when the web starts.
FROM python:3.12-slim AS build
WORKDIR /src
COPY . .
RUN pip install --no-cache-dir build \
 && python -m venv /opt/venv \
 && /opt/venv/bin/pip install --no-cache-dir . \
 && cd /opt/venv && /opt/venv/bin/python -c "import web.catalogs as c; print(c.compile_all())"

FROM python:3.12-slim
ENV PATH=/opt/venv/bin:$PATH \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    UNGELOEFTET_ENV=production \
    UNGELOEFTET_INSTANCE=/var/lib/ungeloeftet
RUN useradd --system --uid 10001 --home /var/lib/ungeloeftet --create-home app
COPY --from=build /opt/venv /opt/venv
USER app
WORKDIR /var/lib/ungeloeftet
EXPOSE 8000
# SECRET_KEY and DATABASE_URL must be given; the app refuses to start without them.
CMD ["sh", "-c", "ungeloeftet db upgrade && ungeloeftet load-reference && exec gunicorn -c python:web.gunicorn_conf --access-logfile - 'web:create_app()'"]
