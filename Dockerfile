# The project image: official Airflow 3.3.2 (Python 3.11) + jixiao and its pinned stack.
FROM apache/airflow:3.3.2-python3.11

USER airflow
WORKDIR /opt/jixiao
COPY --chown=airflow:root pyproject.toml constraints.txt README.md ./
COPY --chown=airflow:root jixiao ./jixiao
COPY --chown=airflow:root extract ./extract
COPY --chown=airflow:root expectations ./expectations
COPY --chown=airflow:root dbt_project ./dbt_project
COPY --chown=airflow:root dags ./dags
RUN pip install --no-cache-dir -c constraints.txt -e .

ENV AIRFLOW__CORE__DAGS_FOLDER=/opt/jixiao/dags \
    AIRFLOW__CORE__LOAD_EXAMPLES=False \
    JIXIAO_HOME=/opt/jixiao/var \
    JIXIAO_INBOX=/data/inbox \
    JIXIAO_WAREHOUSE=/data/warehouse/jixiao.duckdb \
    GX_ANALYTICS_ENABLED=false
