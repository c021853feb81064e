# Mirrors rules/conversions/hkqf-credits.yaml (version 2022.1, in force from 2008-05-05).
# Rule by-qf-credit: a qualification with credits in the hkqf system is worth
# min(credits, 240) points (1 QF credit = 10 notional hours = 1 point), in the category
# of its field. A priority field counts 1.2 times, after the 240-point limit.
# rules/policies/cross-border-equivalence.yaml also makes a QF 3, 4 or 5 qualification count
# as a cn-skill level 4, 3 or 2 certificate (named like Q1~cn-skill-3; 40, 80 or 120 points under
# general): the same learning, so only the one worth more points counts.
Feature: Hong Kong QF qualifications convert to one point a QF credit, at most 240

  Background:
    Given the default rule pack
    And a worker "W-1"

  Scenario: A Hong Kong diploma of 120 QF credits in modern services is worth 120 points
    Given the worker has a qualification "Q1" at hkqf level 3 with 120 hkqf credits in modern_services completed on 2019-07-01
    When the worker is evaluated as of 2025-12-31
    Then achievement "Q1" is converted by "hkqf-credits/by-qf-credit"
    And achievement "Q1" is counted for 120 points
    And achievement "Q1" is counted under modern_services

  Scenario: A Hong Kong bachelor's degree of 480 QF credits is limited to 240 points
    Given the worker has a qualification "Q1" at hkqf level 5 with 480 hkqf credits in modern_services completed on 2018-07-01
    When the worker is evaluated as of 2025-12-31
    Then achievement "Q1" has a base of 240 points
    And achievement "Q1" is counted for 240 points

  Scenario: In advanced manufacturing the 240-point limit comes before the multiplier, giving 288 points
    Given the worker has a qualification "Q1" at hkqf level 5 with 480 hkqf credits in advanced_manufacturing completed on 2018-07-01
    When the worker is evaluated as of 2025-12-31
    Then achievement "Q1" has a base of 240 points
    And achievement "Q1" is counted for 288 points
    And the advanced_manufacturing total is 288 points

  Scenario: A qualification counted in mainland credits gets no QF-credit points; it counts only as the level 3 certificate it is recognised as
    # rules/policies/cross-border-equivalence.yaml: QF level 4 counts as cn-skill level 3 (80 points).
    # The derived certificate has no industry, so it counts under general.
    Given the worker has these achievements:
      | id | type          | completed  | framework | level | credits | credit system | field           |
      | Q1 | qualification | 2019-07-01 | hkqf      | 4     | 60      | cn-higher-ed  | modern_services |
    When the worker is evaluated as of 2025-12-31
    Then the ledger is:
      | achievement   | rule                           | base | points | category | status  |
      | Q1~cn-skill-3 | cn-skill-certificates/by-level | 80   | 80     | general  | counted |
    And the total is 80 points

  Scenario: A qualification completed on 5 May 2008, the day the HKQF launched, is converted
    Given the worker has a qualification "Q1" at hkqf level 4 with 240 hkqf credits in modern_services completed on 2008-05-05
    When the worker is evaluated as of 2025-12-31
    Then achievement "Q1" is counted for 240 points

  Scenario: A qualification completed before the HKQF launched gets no QF-credit points, but still counts as the level 3 certificate it is recognised as
    # The equivalence is a policy: the version in force on the evaluation date applies,
    # whenever the qualification was earned; the certificate table was in force in 2008.
    Given the worker has a qualification "Q1" at hkqf level 4 with 240 hkqf credits in modern_services completed on 2008-05-04
    When the worker is evaluated as of 2025-12-31
    Then there is a warning that mentions "Q1: hkqf-credits version 2022.1 would convert it"
    And the ledger is:
      | achievement   | rule                           | base | points | category | status  |
      | Q1~cn-skill-3 | cn-skill-certificates/by-level | 80   | 80     | general  | counted |
    And the total is 80 points
