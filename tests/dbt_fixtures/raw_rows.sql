-- Hand-made rows of schema raw for the dbt and quality tests (tests/test_dbt_*.py,
-- tests/test_quality_*.py). Create the tables with jixiao.extract.raw_tables.RAW_DDL first.
--
--   a21v1  番禺 2021 form, first version (superseded by a21v2), clean
--   a21v2  番禺 2021 form, re-submission: real figures of seed 003 (总分 95.77,
--          资金来源 127208.53 + 574.29 budget, 125005.9 + 569.12 actual);
--          scores 2 on a 1-point indicator (score_within_points fails)
--   a22    番禺 2022 form, only 资金结构 lines; 总分 88.5 but leaves sum to 88.0
--          (leaf_scores_sum_to_total fails)
--   b21    发改委 2021 form (city), clean, with a printed 合计 line
--   b22    发改委 2022 form: execution rate 1.6 (execution_rate_plausible fails),
--          printed 良 for a 75-point total (printed_grade_matches_score fails)
--   b22r   发改委 2022 third-party report, loaded later: the form is preferred
--   x21    narrative report without a department (submission_identified fails)
--   q21    quarantined file: never in staging models, marts or check results

insert into raw.submissions
    (sha256, path, file_name, media_type, pages, file_size, file_mtime, family,
     department, fiscal_year, admin_level, district, unit_count, total_score,
     printed_grade, status, schema_version, run_id, loaded_at)
values
    ('a21v1', 'inbox/2021/a21v1.pdf', 'a21v1.pdf', 'application/pdf', 9, 1000,
     '2022-03-01 10:00:00', 'self_evaluation_form',
     '广州市番禺区科技工业商务和信息化局', 2021, 'district', '番禺区', 6, 93.0,
     null, 'loaded', 1, 'run-1', '2024-01-01 00:00:00'),
    ('a21v2', 'inbox/2021/a21v2.pdf', 'a21v2.pdf', 'application/pdf', 9, 1000,
     '2022-04-01 10:00:00', 'self_evaluation_form',
     '广州市番禺区科技工业商务和信息化局', 2021, 'district', '番禺区', 6, 95.77,
     null, 'loaded', 1, 'run-2', '2024-02-01 00:00:00'),
    ('a22', 'inbox/2022/a22.pdf', 'a22.pdf', 'application/pdf', 8, 1000,
     '2023-03-01 10:00:00', 'self_evaluation_form',
     '广州市番禺区科技工业商务和信息化局', 2022, 'district', '番禺区', 6, 88.5,
     '良', 'loaded', 1, 'run-2', '2024-02-01 00:00:00'),
    ('b21', 'inbox/2021/b21.pdf', 'b21.pdf', 'application/pdf', 12, 1000,
     '2022-03-01 10:00:00', 'self_evaluation_form',
     '广州市发展和改革委员会', 2021, 'city', null, 1, 94.61,
     '优', 'loaded', 1, 'run-1', '2024-01-01 00:00:00'),
    ('b22', 'inbox/2022/b22.pdf', 'b22.pdf', 'application/pdf', 12, 1000,
     '2023-03-01 10:00:00', 'self_evaluation_form',
     '广州市发展和改革委员会', 2022, 'city', null, 1, 75.0,
     '良', 'loaded', 1, 'run-1', '2024-01-01 00:00:00'),
    ('b22r', 'inbox/2022/b22r.pdf', 'b22r.pdf', 'application/pdf', 40, 1000,
     '2023-05-01 10:00:00', 'evaluation_report',
     '广州市发展和改革委员会', 2022, 'city', null, 1, 70.0,
     null, 'loaded', 1, 'run-2', '2024-02-01 00:00:00'),
    ('x21', 'inbox/2021/x21.pdf', 'x21.pdf', 'application/pdf', 5, 1000,
     '2022-03-01 10:00:00', 'self_evaluation_report',
     null, 2021, null, null, null, null,
     null, 'loaded', 1, 'run-2', '2024-02-01 00:00:00'),
    ('q21', 'inbox/2021/q21.pdf', 'q21.pdf', 'application/pdf', 1, 10,
     '2022-03-01 10:00:00', 'unknown',
     null, null, null, null, null, null,
     null, 'quarantined', 1, 'run-2', '2024-02-01 00:00:00');

insert into raw.budget_lines
    (sha256, line_number, dimension, item, budget, actual, reported_rate,
     initial_budget, adjustment, page)
values
    ('a21v1', 1, '资金来源', '财政拨款', 100.0, 90.0, 0.9, null, null, 2),
    ('a21v2', 1, '资金来源', '财政拨款', 127208.53, 125005.9, 0.983, null, null, 2),
    ('a21v2', 2, '资金来源', '其他资金', 574.29, 569.12, 0.991, null, null, 2),
    ('a21v2', 3, '资金结构', '基本支出', 6991.25, 6830.48, 0.977, null, null, 2),
    ('a21v2', 4, '资金结构', '项目支出', 120791.56, 118744.54, 0.983, null, null, 2),
    ('a21v2', 5, '预算级次', '区本级支出', 125990.19, 124160.87, 0.985, null, null, 2),
    ('a21v2', 6, '预算级次', '转移支付', 1792.63, 1414.15, 0.789, null, null, 2),
    ('a22', 1, '资金结构', '基本支出', 100.0, 95.0, 0.95, null, null, 2),
    ('a22', 2, '资金结构', '项目支出', 300.0, 285.0, 0.95, null, null, 2),
    ('b21', 1, '资金来源', '财政拨款', 5000.0, 4900.0, 0.98, null, null, 2),
    ('b21', 2, '资金来源', '其他资金', 1000.0, 1000.0, 1.0, null, null, 2),
    ('b21', 3, '资金来源', '合计', 6000.0, 5900.0, 0.9833, null, null, 2),
    ('b21', 4, '资金结构', '基本支出', 2000.0, 1990.0, 0.995, null, null, 2),
    ('b21', 5, '资金结构', '项目支出', 4000.0, 3910.0, 0.9775, null, null, 2),
    ('b22', 1, '资金来源', '财政拨款', 100.0, 160.0, 1.6, null, null, 2),
    ('b22r', 1, '合计', '合计', 90.0, 80.0, 0.8889, 100.0, -10.0, 8);

insert into raw.indicator_scores
    (sha256, line_number, level1, level1_points, level2, level2_points, level3,
     points, score, target, actual, page)
values
    ('a21v1', 1, '管理效能', 45, '资金管理', 16, '预算完成率', 45, 44.0, null, null, 2),
    ('a21v1', 2, '履职效能', 50, '产出', 50, '重点工作完成率', 55, 49.0, null, null, 3),
    ('a21v2', 1, '管理效能', 45, '资金管理', 16, '预算完成率', 2, 1.97, null, null, 2),
    ('a21v2', 2, '管理效能', 45, '资金管理', 16, '预算调整率', 1, 2.0, null, null, 2),
    ('a21v2', 3, '管理效能', 45, '运行管理', 29, '其他管理指标', 42, 41.8, null, null, 3),
    ('a21v2', 4, '履职效能', 50, '产出', 50, '重点工作完成率', 50, 45.0, '100%', '98%', 4),
    ('a21v2', 5, '加减分项', 5, '工作表现加减分', 5, '工作受表彰或批评', 5, 5.0, null, null, 6),
    ('a22', 1, '管理效能', 45, '资金管理', 45, '预算完成率', 45, 40.0, null, null, 2),
    ('a22', 2, '履职效能', 55, '产出', 55, '重点工作完成率', 55, 48.0, null, null, 3),
    ('b21', 1, '管理效能', 45, '资金管理', 45, '预算完成率', 45, 44.61, null, null, 3),
    ('b21', 2, '履职效能', 50, '产出', 50, '重点工作完成率', 50, 45.0, null, null, 4),
    ('b21', 3, '加减分项', 5, '工作表现加减分', 5, '工作受表彰或批评', 5, 5.0, null, null, 9),
    ('b21', 4, '加减分项', 5, '工作表现加减分', 5, '扣分', 0, null, null, null, 9),
    ('b22', 1, '管理效能', 45, '资金管理', 45, '预算完成率', 45, 35.0, null, null, 3),
    ('b22', 2, '履职效能', 55, '产出', 55, '重点工作完成率', 55, 40.0, null, null, 4),
    ('b22r', 1, '财政管理', 50, '预算资金管理', 50, '预算完成率', 50, 30.0, null, null, 20),
    ('b22r', 2, '部门履职', 50, '产出', 50, '重点工作完成率', 50, 40.0, null, null, 21),
    ('q21', 1, null, null, null, null, '???', 1, 9.0, null, null, 1);

insert into raw.projects
    (sha256, line_number, name, initial_budget, adjustment, adjusted_budget,
     actual, reported_rate, page)
values
    ('b22r', 1, '发展规划编制', 60.0, -5.0, 55.0, 50.0, 0.9091, 10),
    ('b22r', 2, '重点项目前期', 40.0, -5.0, 35.0, 30.0, 0.8571, 10);

insert into raw.extraction_issues
    (sha256, line_number, path, severity, code, message, page)
values
    ('a21v2', 1, 'inbox/2021/a21v2.pdf', 'warning', 'score_exceeds_points',
     'page 2: 预算调整率 scored 2 of 1 point', 2),
    ('q21', 1, 'inbox/2021/q21.pdf', 'error', 'not_an_evaluation',
     'page 1: no budget or indicator table found', 1);
