# Mirrors rules/policies/highly-skilled-worker.yaml (version 2022.1, in force from 2022-09-01).
# The policy is met by any one of three routes:
#   1. a cn-skill certificate at level 3 (senior worker) or higher (levels 2 and 1);
#   2. at least 300 points in total, at least 100 of them in advanced_manufacturing;
#   3. the status "skilled" (rules/policies/skilled-worker.yaml) and a Hong Kong QF
#      qualification at level 4 (higher diploma) or higher.
# Points (rules/conversions, rules/adjustments): certificates 5:20 4:40 3:80 2:120 1:160,
# 4 points a mainland credit, 1 point a QF credit (at most 240), times 1.2 in
# advanced_manufacturing and digital_economy; one decimal, rounded half up.
# rules/policies/cross-border-equivalence.yaml (from 2022-09-01) makes a Hong Kong QF
# qualification also count as a cn-skill certificate (QF 3 -> level 4, QF 4 -> level 3,
# QF 5 -> level 2; QF 1, 2, 6, 7 have no mainland level), so QF 4 and 5 also meet route 1.
# A Macao maintenance electrician certificate counts as the mainland electrician
# certificate (junior -> level 5, intermediate -> level 4; senior has no mainland level).
# A qualification and the certificate derived from it are one piece of learning: only
# the one worth more points counts, the other is a duplicate.
Feature: Highly skilled worker
  Policy staff accredit a worker as highly skilled (高技能人才) by skill level,
  by points with a core in advanced manufacturing, or, for a skilled worker,
  by a Hong Kong qualification at QF level 4 or above.

  Background:
    Given the default rule pack
    And a worker "W-1"

  Scenario: A senior worker (level 3) electrician is a highly skilled worker
    Given the worker has a certificate "A1" in occupation "6-31-01-03" at cn-skill level 3 in advanced_manufacturing completed on 2024-03-01
    When the worker is evaluated as of 2025-12-31
    Then the policy "highly-skilled-worker" is met
    And the policy "highly-skilled-worker" is met because "A1: type = certificate, level.framework = cn-skill, level.value >= 3"
    And the worker holds the status "highly-skilled"
    And achievement "A1" is counted for 96 points
    And the total is 96 points
    And the advanced_manufacturing total is 96 points

  Scenario Outline: A level <level> certificate <makes> its holder a highly skilled worker
    Given the worker has a certificate "A1" in occupation "4-01-02-01" at cn-skill level <level> in modern_services completed on 2023-05-10
    When the worker is evaluated as of 2025-12-31
    Then the policy "highly-skilled-worker" <outcome>
    And the policy "skilled-worker" is met
    And achievement "A1" is counted for <points> points

    Examples:
      | level | makes         | outcome    | points |
      | 5     | does not make | is not met | 20     |
      | 4     | does not make | is not met | 40     |
      | 3     | makes         | is met     | 80     |
      | 2     | makes         | is met     | 120    |
      | 1     | makes         | is met     | 160    |

  Scenario: A worker with exactly 300 points, 192 of them in advanced manufacturing, is a highly skilled worker without a level 3 certificate
    # Q1 120 QF credits x1.2 = 144, C1 level 4 = 40 x1.2 = 48, F1 27 credits x4 = 108 (no multiplier)
    Given the worker has a qualification "Q1" at hkqf level 3 with 120 hkqf credits in advanced_manufacturing completed on 2020-07-01
    And the worker has a certificate "C1" in occupation "6-31-01-03" at cn-skill level 4 in advanced_manufacturing completed on 2021-05-01
    And the worker has a formal credit "F1" of 27 cn-higher-ed credits in modern_services completed on 2022-01-15
    When the worker is evaluated as of 2025-12-31
    Then the total is 300 points
    And the advanced_manufacturing total is 192 points
    And the modern_services total is 108 points
    And the policy "highly-skilled-worker" is met
    And the policy "highly-skilled-worker" is met because "total >= 300 (has 300)"
    And the policy "highly-skilled-worker" is met because "total advanced_manufacturing >= 100 (has 192)"

  Scenario: A worker with 296 points is 4 points short of being a highly skilled worker
    # As above, with 26 credits (104 points) instead of 27.
    Given the worker has a qualification "Q1" at hkqf level 3 with 120 hkqf credits in advanced_manufacturing completed on 2020-07-01
    And the worker has a certificate "C1" in occupation "6-31-01-03" at cn-skill level 4 in advanced_manufacturing completed on 2021-05-01
    And the worker has a formal credit "F1" of 26 cn-higher-ed credits in modern_services completed on 2022-01-15
    When the worker is evaluated as of 2025-12-31
    Then the total is 296 points
    And the policy "highly-skilled-worker" is not met
    And the policy "highly-skilled-worker" is not met because "total >= 300" is missing 4 points
    And the policy "highly-skilled-worker" is not met because "an achievement with type = certificate, level.framework = cn-skill, level.value >= 3" is missing
    And the explanation mentions "C1 fails level.value >= 3 (has 4)"
    And the worker holds the status "skilled"

  Scenario: A worker with 300 points but only 96 in advanced manufacturing is not a highly skilled worker
    # C1 and C2: level 4 in advanced manufacturing, 48 each; F1 51 credits x4 = 204 in modern services.
    Given the worker has a certificate "C1" in occupation "6-31-01-03" at cn-skill level 4 in advanced_manufacturing completed on 2021-05-01
    And the worker has a certificate "C2" in occupation "6-18-01-01" at cn-skill level 4 in advanced_manufacturing completed on 2022-05-01
    And the worker has a formal credit "F1" of 51 cn-higher-ed credits in modern_services completed on 2022-01-15
    When the worker is evaluated as of 2025-12-31
    Then the total is 300 points
    And the advanced_manufacturing total is 96 points
    And the policy "highly-skilled-worker" is not met
    And the policy "highly-skilled-worker" is not met because "total advanced_manufacturing >= 100" is missing 4 points

  Scenario: A Hong Kong higher diploma (QF level 4) makes a highly skilled worker, as a level 3 certificate and through skilled status
    # Q1: 240 QF credits x1.2 = 288 points; it also counts as certificate Q1~cn-skill-3
    # (level 3, 80 points), the same learning worth less, so that one is a duplicate.
    # 288 is short of the 300-point route; the certificate route and the status route are both met.
    Given the worker has a qualification "Q1" at hkqf level 4 with 240 hkqf credits in advanced_manufacturing completed on 2019-07-01
    When the worker is evaluated as of 2025-12-31
    Then achievement "Q1~cn-skill-3" is derived from "Q1" by "cross-border-equivalence/hkqf-qualification-levels"
    And achievement "Q1" is counted for 288 points
    And achievement "Q1~cn-skill-3" is a duplicate
    And the total is 288 points
    And the policy "skilled-worker" is met
    And the policy "highly-skilled-worker" is met
    And the policy "highly-skilled-worker" is met because "Q1~cn-skill-3: type = certificate, level.framework = cn-skill, level.value >= 3"
    And the policy "highly-skilled-worker" is met because "status skilled (granted by skilled-worker)"
    And the policy "highly-skilled-worker" is met because "Q1: type = qualification, level.framework = hkqf, level.value >= 4"

  Scenario: A small Hong Kong award at QF level 4 counts as a level 3 certificate of 80 points and makes a highly skilled worker
    # Q1: 60 QF credits in modern services = 60 points; as certificate Q1~cn-skill-3 it is
    # worth 80, so the certificate counts and Q1 is the duplicate. A certificate carries an
    # industry, which Q1 has not: the 80 points count under general, with a warning.
    # Skilled by the certificate (80 points are short of 100); highly skilled by its level.
    Given the worker has a qualification "Q1" at hkqf level 4 with 60 hkqf credits in modern_services completed on 2019-07-01
    When the worker is evaluated as of 2025-12-31
    Then achievement "Q1~cn-skill-3" is counted for 80 points
    And achievement "Q1~cn-skill-3" is counted under general
    And achievement "Q1" is a duplicate
    And the total is 80 points
    And there is a warning mentioning "Q1~cn-skill-3: no industry; counted under general"
    And the policy "skilled-worker" is met because "Q1~cn-skill-3: type = certificate, level.framework = cn-skill, level.value >= 5"
    And the policy "highly-skilled-worker" is met because "Q1~cn-skill-3: type = certificate, level.framework = cn-skill, level.value >= 3"

  Scenario: A skilled worker with a Hong Kong master's degree (QF level 6), which has no mainland level, is highly skilled through skilled status only
    # 240 QF credits x1.2 = 288 points: skilled (>= 100), short of the 300-point route;
    # QF level 6 is not in the level map, so no certificate is derived.
    Given the worker has a qualification "Q1" at hkqf level 6 with 240 hkqf credits in advanced_manufacturing completed on 2019-07-01
    When the worker is evaluated as of 2025-12-31
    Then nothing is derived from "Q1"
    And there is a warning mentioning "Q1: cross-border-equivalence/hkqf-qualification-levels has no cn-skill level for hkqf level 6; nothing derived"
    And the total is 288 points
    And the policy "skilled-worker" is met because "total >= 100 (has 288)"
    And the policy "highly-skilled-worker" is met
    And the policy "highly-skilled-worker" is met because "status skilled (granted by skilled-worker)"
    And the policy "highly-skilled-worker" is met because "Q1: type = qualification, level.framework = hkqf, level.value >= 4"

  Scenario: A Hong Kong master's degree (QF level 6) without skilled status does not make a highly skilled worker
    # 60 QF credits in modern services = 60 points: not skilled (40 short of 100);
    # QF level 6 has no mainland level, so there is no certificate either.
    Given the worker has a qualification "Q1" at hkqf level 6 with 60 hkqf credits in modern_services completed on 2019-07-01
    When the worker is evaluated as of 2025-12-31
    Then the policy "skilled-worker" is not met
    And the policy "skilled-worker" is not met because "total >= 100" is missing 40 points
    And the policy "highly-skilled-worker" is not met
    And the policy "highly-skilled-worker" is not met because "status skilled" is missing
    And the policy "highly-skilled-worker" is not met because "total >= 300" is missing 240 points
    And the policy "highly-skilled-worker" is not met because "total advanced_manufacturing >= 100" is missing 100 points

  Scenario: A skilled worker with a Hong Kong diploma at QF level 3 is not a highly skilled worker
    # 240 QF credits x1.2 = 288 points: skilled, but QF level 3 is below 4, it counts only
    # as a level 4 certificate (below level 3), and 288 is 12 short of 300.
    Given the worker has a qualification "Q1" at hkqf level 3 with 240 hkqf credits in advanced_manufacturing completed on 2019-07-01
    When the worker is evaluated as of 2025-12-31
    Then achievement "Q1~cn-skill-4" is derived from "Q1" by "cross-border-equivalence/hkqf-qualification-levels"
    And achievement "Q1~cn-skill-4" is a duplicate
    And the policy "skilled-worker" is met
    And the policy "highly-skilled-worker" is not met
    And the policy "highly-skilled-worker" is not met because "an achievement with type = qualification, level.framework = hkqf, level.value >= 4" is missing
    And the policy "highly-skilled-worker" is not met because "total >= 300" is missing 12 points

  Scenario: A Macao senior maintenance electrician certificate has no mainland level, so it does not make a highly skilled worker
    Given the worker has a certificate "M1" titled "Maintenance electrician" issued in macao at mo-dsal level senior in advanced_manufacturing completed on 2024-03-01
    When the worker is evaluated as of 2025-12-31
    Then the policy "highly-skilled-worker" is not met
    And nothing is derived from "M1"
    And achievement "M1" is not converted
    And there is a warning mentioning "M1: cross-border-equivalence/macao-maintenance-electrician has no cn-skill level for mo-dsal level senior; nothing derived"
    And the explanation mentions "M1 (Maintenance electrician) fails level.framework = cn-skill (has mo-dsal)"

  Scenario: A Macao intermediate maintenance electrician counts as a mainland level 4 electrician: skilled, but not highly skilled
    # M1~cn-skill-4: 40 points x1.2 = 48 in advanced manufacturing.
    Given the worker has a certificate "M1" titled "Maintenance electrician" issued in macao at mo-dsal level intermediate in advanced_manufacturing completed on 2024-03-01
    When the worker is evaluated as of 2025-12-31
    Then achievement "M1~cn-skill-4" is counted for 48 points
    And the policy "skilled-worker" is met
    And the policy "highly-skilled-worker" is not met
    And the explanation mentions "M1~cn-skill-4 (Maintenance electrician) fails level.value >= 3 (has 4)"

  Scenario: A level 3 certificate earned after the evaluation date does not count yet
    Given the worker has a certificate "A1" in occupation "6-31-01-03" at cn-skill level 3 in advanced_manufacturing completed on 2026-03-01
    When the worker is evaluated as of 2025-12-31
    Then the policy "highly-skilled-worker" is not met
    And the total is 0 points
    And there is a warning that mentions "A1: completed 2026-03-01, after the evaluation date"

  Scenario: Before the policy took effect on 1 September 2022, nobody was accredited as a highly skilled worker
    Given the worker has a certificate "A1" in occupation "6-31-01-03" at cn-skill level 3 in advanced_manufacturing completed on 2020-03-01
    When the worker is evaluated as of 2022-08-31
    Then the policy "highly-skilled-worker" is not in force
    And the worker does not hold the status "highly-skilled"

  Scenario: From 1 September 2022 a senior worker is a highly skilled worker
    Given the worker has a certificate "A1" in occupation "6-31-01-03" at cn-skill level 3 in advanced_manufacturing completed on 2020-03-01
    When the worker is evaluated as of 2022-09-01
    Then the policy "highly-skilled-worker" is met
    And the rule version used for "highly-skilled-worker" is "2022.1"
