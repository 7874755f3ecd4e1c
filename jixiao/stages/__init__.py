"""The DAG's tasks as plain typed functions, one module per task, in the order they run.

=====================  ===============================  ==========================================
DAG task               module                           function
=====================  ===============================  ==========================================
``discover``           ``jixiao.stages.discover``       ``plan_run`` (new or changed inbox files)
``extract`` (mapped)   ``jixiao.stages.extract``        ``extract_batch`` (around ``extract_file``)
``load_raw``           ``jixiao.stages.load``           ``load`` (the only writer of ``raw``)
``transform_needed``   ``jixiao.stages.transform``      ``transform_needed``
``dbt_build``          ``jixiao.stages.transform``      ``transform("before_checks")``
``validate``           ``jixiao.stages.validate``       ``validate`` (GX suites)
``dbt_build_marts``    ``jixiao.stages.transform``      ``transform("after_checks")``
``publish``            ``jixiao.stages.publish``        ``summarize`` (run summary, serving copy)
=====================  ===============================  ==========================================

Each function takes and returns JSON-ready values (they travel as XComs) and reads its
settings from ``jixiao.settings`` at call time, never at import time; so every stage runs
and is tested without Airflow (``dags/jixiao_yearly.py`` is wiring only).
"""
