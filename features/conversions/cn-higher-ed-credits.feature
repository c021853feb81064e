# Mirrors rules/conversions/cn-higher-ed-credits.yaml (version 2022.1, in force from 2010-01-01).
# Rule by-credit: a formal_credit in the cn-higher-ed system is worth credits x 4 points,
# in the category of its field. A priority field (advanced_manufacturing,
# digital_economy) counts 1.2 times. Formal credits are neither capped nor expired.
Feature: Mainland formal-education credits convert to four points a credit

  Background:
    Given the default rule pack
    And a worker "W-1"

  Scenario: 3 mainland credits in modern services are worth 12 points
    Given the worker has a formal credit "F1" of 3 cn-higher-ed credits in modern_services completed on 2021-01-15
    When the worker is evaluated as of 2025-12-31
    Then achievement "F1" is converted by "cn-higher-ed-credits/by-credit"
    And achievement "F1" is counted for 12 points
    And achievement "F1" is counted under modern_services

  Scenario: 4 mainland credits in the digital economy are worth 19.2 points
    Given the worker has a formal credit "F1" of 4 cn-higher-ed credits in digital_economy completed on 2021-01-15
    When the worker is evaluated as of 2025-12-31
    Then achievement "F1" has a base of 16 points
    And achievement "F1" is counted for 19.2 points
    And achievement "F1" is adjusted by "caps-and-validity/priority-industries"

  Scenario: Half credits count: 2.5 mainland credits are worth 10 points
    Given the worker has a formal credit "F1" of 2.5 cn-higher-ed credits in modern_services completed on 2021-01-15
    When the worker is evaluated as of 2025-12-31
    Then achievement "F1" is counted for 10 points

  Scenario: Mainland credits earned in 2012 still count in full in 2025
    Given the worker has a formal credit "F1" of 30 cn-higher-ed credits in modern_services completed on 2012-01-15
    When the worker is evaluated as of 2025-12-31
    Then achievement "F1" is counted for 120 points
    And the total is 120 points

  Scenario: Credits in another system (ECTS) are not converted
    Given the worker has a formal credit "F1" of 5 ects credits in digital_economy completed on 2021-01-15
    When the worker is evaluated as of 2025-12-31
    Then achievement "F1" is not converted
    And the total is 0 points
