-- More hand-made rows of schema raw for the warehouse (marts) tests in
-- tests/test_dbt_build.py, loaded AFTER raw_rows.sql (the quality tests read
-- raw_rows.sql alone, so rows are added here, not there).
--
--   r21   荔湾区 2021 third-party report (evaluation_report) printed as
--         荔湾区科技工业和信息化局 (no 广州市 prefix). Budget table of seed 004:
--         年初预算数 / 调整金额 / 调整后预算数 / 支出金额 / 支出率 with 小计 and
--         合计 lines; 综合评分 88.48 = 40.98 财政管理 + 47.50 部门履职 on a
--         50 + 50 template (权重); one leaf label not in the taxonomy.
--   a23   番禺 2023 form printed without the 广州市 prefix: the same department
--         as a21v2/a22 (name variant resolved to one key).
--   t21   天河区 2021 form whose level-1 label 综合管理 is not in the taxonomy.

insert into raw.submissions
    (sha256, path, file_name, media_type, pages, file_size, file_mtime, family,
     department, fiscal_year, admin_level, district, unit_count, total_score,
     printed_grade, status, schema_version, run_id, loaded_at)
values
    ('r21', 'inbox/2021/r21.pdf', 'r21.pdf', 'application/pdf', 60, 1000,
     '2022-06-01 10:00:00', 'evaluation_report',
     '荔湾区科技工业和信息化局', 2021, 'district', '荔湾区', null, 88.48,
     '良', 'loaded', 1, 'run-3', '2024-03-01 00:00:00'),
    ('a23', 'inbox/2023/a23.pdf', 'a23.pdf', 'application/pdf', 9, 1000,
     '2024-03-01 10:00:00', 'self_evaluation_form',
     '番禺区科技工业商务和信息化局', 2023, 'district', '番禺区', 6, 91.0,
     null, 'loaded', 1, 'run-3', '2024-03-01 00:00:00'),
    ('t21', 'inbox/2021/t21.pdf', 't21.pdf', 'application/pdf', 9, 1000,
     '2022-03-01 10:00:00', 'self_evaluation_form',
     '广州市天河区教育局', 2021, 'district', '天河区', 12, 70.0,
     null, 'loaded', 1, 'run-3', '2024-03-01 00:00:00');

insert into raw.budget_lines
    (sha256, line_number, dimension, item, budget, actual, reported_rate,
     initial_budget, adjustment, page)
values
    ('r21', 1, '基本支出', '人员经费', 3217.29, 3189.72, 0.9914, 3523.51, -306.22, 9),
    ('r21', 2, '基本支出', '日常公用经费', 202.97, 182.20, 0.8977, 210.12, -7.15, 9),
    ('r21', 3, '基本支出', '小计', 3420.26, 3371.92, 0.9859, 3733.63, -313.37, 9),
    ('r21', 4, '项目支出', '基本建设类项目', 0.0, 0.0, 0.0, 0.0, 0.0, 9),
    ('r21', 5, '项目支出', '行政事业类项目', 8495.68, 7516.97, 0.8848, 13354.78, -4859.10, 9),
    ('r21', 6, '项目支出', '小计', 8495.68, 7516.97, 0.8848, 13354.78, -4859.10, 9),
    ('r21', 7, '合计', '合计', 11915.94, 10888.89, 0.9138, 17088.41, -5172.47, 9),
    ('a23', 1, '资金来源', '财政拨款', 1000.0, 700.0, 0.7, null, null, 2),
    ('t21', 1, '资金来源', '财政拨款', 500.0, 500.0, 1.0, null, null, 2);

insert into raw.indicator_scores
    (sha256, line_number, level1, level1_points, level2, level2_points, level3,
     points, score, target, actual, page)
values
    ('r21', 1, '财政管理情况评价', 50, '预算资金管理', 32, '预算编制合理性', 4, 3.5, null, null, 40),
    ('r21', 2, '财政管理情况评价', 50, '预算资金管理', 32, '预算完成率', 8, 4.55, null, null, 40),
    ('r21', 3, '财政管理情况评价', 50, '预算资金管理', 32, '其他预算资金管理指标', 20, 16.92, null, null, 41),
    ('r21', 4, '财政管理情况评价', 50, '绩效管理情况', 15, '绩效目标明确性', 15, 13.01, null, null, 42),
    ('r21', 5, '财政管理情况评价', 50, '资产管理', 3, '资产管理安全性', 3, 3.0, null, null, 43),
    ('r21', 6, '部门履职情况', 50, '产出', 25, '科技企业培育', 25, 24.0, null, null, 44),
    ('r21', 7, '部门履职情况', 50, '效益', 25, '产业发展成效', 25, 23.5, null, null, 45),
    ('a23', 1, '管理效能', 45, '资金管理', 45, '预算完成率', 45, 40.0, null, null, 2),
    ('a23', 2, '履职效能', 50, '产出', 50, '重点工作完成率', 50, 46.0, null, null, 3),
    ('a23', 3, '加减分项', 5, '工作表现加减分', 5, '工作受表彰或批评', 5, 5.0, null, null, 6),
    ('t21', 1, '综合管理', 50, '资金管理', 50, '预算完成率', 50, 30.0, null, null, 2),
    ('t21', 2, '履职效能', 50, '产出', 50, '重点工作完成率', 50, 40.0, null, null, 3);

insert into raw.projects
    (sha256, line_number, name, initial_budget, adjustment, adjusted_budget,
     actual, reported_rate, page)
values
    ('r21', 1, '2021年度省科技创新战略专项资金', 0.0, 10.0, 10.0, 10.0, 1.0, 10);
