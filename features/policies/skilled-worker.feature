# Mirrors rules/policies/skilled-worker.yaml (version 2022.1, in force from 2022-09-01).
# The policy is met by any one of two routes:
#   1. a cn-skill certificate at any level (level 5, junior worker, is the lowest);
#   2. at least 100 points in total.
# It grants the status "skilled", which rules/policies/highly-skilled-worker.yaml needs
# for its Hong Kong route.
# A certificate derived by rules/policies/cross-border-equivalence.yaml counts for route 1:
# a Macao junior or intermediate maintenance electrician certificate (cn-skill 5 or 4), or a
# Hong Kong QF 3, 4 or 5 qualification (cn-skill 4, 3 or 2).
Feature: Skilled worker
  A worker is a skilled worker (技能人才) with any national skill-level
  certificate, or with at least 100 points from the skill bank.

  Background:
    Given the default rule pack
    And a worker "W-1"

  Scenario: A junior worker (level 5) is a skilled worker
    Given the worker has a certificate "C1" in occupation "4-03-02-01" at cn-skill level 5 in modern_services completed on 2023-05-10
    When the worker is evaluated as of 2025-12-31
    Then the policy "skilled-worker" is met
    And the policy "skilled-worker" is met because "C1: type = certificate, level.framework = cn-skill, level.value >= 5"
    And the worker holds the status "skilled"
    And the total is 20 points

  Scenario: A worker with exactly 100 points and no certificate is a skilled worker
    # 25 mainland credits x 4 = 100 points, outside the priority fields.
    Given the worker has a formal credit "F1" of 25 cn-higher-ed credits in modern_services completed on 2021-01-15
    When the worker is evaluated as of 2025-12-31
    Then the total is 100 points
    And the policy "skilled-worker" is met
    And the policy "skilled-worker" is met because "total >= 100 (has 100)"

  Scenario: A worker with 99.6 points and no certificate is 0.4 points short of being a skilled worker
    # 596 hours = 59.6 points (just under the yearly course cap of 60) + 400 hours = 40 points.
    Given the worker has an accredited course "K1" of 596 hours in modern_services completed on 2024-05-01
    And the worker has an accredited course "K2" of 400 hours in modern_services completed on 2025-02-01
    When the worker is evaluated as of 2025-12-31
    Then the total is 99.6 points
    And the policy "skilled-worker" is not met
    And the policy "skilled-worker" is not met because "total >= 100" is missing 0.4 points
    And the policy "skilled-worker" is not met because "an achievement with type = certificate, level.framework = cn-skill, level.value >= 5" is missing
    And the worker does not hold the status "skilled"

  Scenario: A worker with no achievements is 100 points short of being a skilled worker
    When the worker is evaluated as of 2025-12-31
    Then the total is 0 points
    And the policy "skilled-worker" is not met
    And the policy "skilled-worker" is not met because "total >= 100" is missing 100 points
    And the policy "highly-skilled-worker" is not met because "total >= 300" is missing 300 points

  Scenario: A Macao intermediate cook certificate alone does not make a skilled worker: only Macao maintenance electricians are recognised
    # rules/policies/cross-border-equivalence.yaml recognises the Macao maintenance electrician
    # certificate only; a cook's certificate from Macao stays a mo-dsal certificate.
    Given the worker has a certificate "M1" titled "Chinese cuisine cook" issued in macao at mo-dsal level intermediate in modern_services completed on 2023-05-10
    When the worker is evaluated as of 2025-12-31
    Then the policy "skilled-worker" is not met
    And nothing is derived from "M1"
    And achievement "M1" is not converted
    And the explanation mentions "M1 (Chinese cuisine cook) fails level.framework = cn-skill (has mo-dsal)"
    And the policy "skilled-worker" is not met because "total >= 100" is missing 100 points

  Scenario: A Macao junior maintenance electrician certificate counts as a mainland level 5 certificate, so its holder is a skilled worker
    # M1~cn-skill-5: 20 points x1.2 = 24 in advanced manufacturing.
    Given the worker has a certificate "M1" titled "Maintenance electrician" issued in macao at mo-dsal level junior in advanced_manufacturing completed on 2023-05-10
    When the worker is evaluated as of 2025-12-31
    Then the policy "skilled-worker" is met
    And the policy "skilled-worker" is met because "M1~cn-skill-5 (Maintenance electrician): type = certificate, level.framework = cn-skill, level.value >= 5"
    And achievement "M1~cn-skill-5" is counted for 24 points

  Scenario Outline: A worker whose 2020 course <counts> on <day> <is> a skilled worker
    # K1: 600 hours = 60 points, counted until 2025-06-01 (five years after 2020-06-01).
    # F1: 10 mainland credits = 40 points, which never expire.
    Given the worker has an accredited course "K1" of 600 hours in modern_services completed on 2020-06-01
    And the worker has a formal credit "F1" of 10 cn-higher-ed credits in modern_services completed on 2020-01-15
    When the worker is evaluated as of <day>
    Then the total is <total> points
    And the policy "skilled-worker" <outcome>

    Examples:
      | counts      | day        | is     | total | outcome    |
      | still counts | 2025-06-01 | is     | 100   | is met     |
      | has expired  | 2025-06-02 | is not | 40    | is not met |
