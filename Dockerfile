# The project image: official Airflow 3.3.2 (Python 3.11) + jixiao and its pinned stack,
# with the deploy extra (Postgres driver and provider, Celery 5.6.3 and its provider, Redis).
FROM apache/airflow:3.3.2-python3.11

# Folders that volumes mount over are created here, owned by the airflow user and group 0
# and group-writable, so a named volume starts writable for any AIRFLOW_UID in group 0.
USER root
RUN mkdir -p /opt/jixiao/var /data/inbox /data/warehouse /opt/airflow/auth \
    && chown -R airflow:0 /opt/jixiao /data /opt/airflow/auth \
    && chmod -R g+rwX /opt/jixiao /data /opt/airflow/auth

USER airflow
WORKDIR /opt/jixiao
COPY --chown=airflow:0 pyproject.toml setup.py constraints.txt README.md ./
COPY --chown=airflow:0 jixiao ./jixiao
COPY --chown=airflow:0 extract ./extract
COPY --chown=airflow:0 expectations ./expectations
COPY --chown=airflow:0 dbt_project ./dbt_project
COPY --chown=airflow:0 dags ./dags
RUN pip install --no-cache-dir -c constraints.txt -e '.[deploy]'

ENV AIRFLOW__CORE__DAGS_FOLDER=/opt/jixiao/dags \
    AIRFLOW__CORE__LOAD_EXAMPLES=False \
    JIXIAO_HOME=/opt/jixiao/var \
    JIXIAO_INBOX=/data/inbox \
    JIXIAO_WAREHOUSE=/data/warehouse/jixiao.duckdb \
    GX_ANALYTICS_ENABLED=false
