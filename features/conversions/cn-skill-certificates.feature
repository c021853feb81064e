# Mirrors rules/conversions/cn-skill-certificates.yaml (version 2022.1, in force from 1994-07-05).
# Rule by-level: a certificate in the cn-skill framework is worth, by level,
#   5: 20, 4: 40, 3: 80, 2: 120, 1: 160 points, in the category of its industry.
# The pack converts on the completed date (pack.yaml convert_at: completed).
# rules/adjustments/caps-and-validity.yaml then multiplies advanced_manufacturing and
# digital_economy by 1.2.
Feature: National skill-level certificates convert to points by level

  Background:
    Given the default rule pack
    And a worker "W-1"

  Scenario Outline: A level <level> certificate outside the priority industries is worth <points> points
    Given the worker has a certificate "C1" in occupation "4-03-02-01" at cn-skill level <level> in modern_services completed on 2023-05-10
    When the worker is evaluated as of 2025-12-31
    Then achievement "C1" is converted by "cn-skill-certificates/by-level"
    And achievement "C1" has a base of <points> points
    And achievement "C1" is counted for <points> points
    And achievement "C1" is counted under modern_services

    Examples:
      | level | points |
      | 5     | 20     |
      | 4     | 40     |
      | 3     | 80     |
      | 2     | 120    |
      | 1     | 160    |

  Scenario Outline: A level <level> certificate in advanced manufacturing is worth <points> points (1.2 times <base>)
    Given the worker has a certificate "C1" in occupation "6-31-01-03" at cn-skill level <level> in advanced_manufacturing completed on 2023-05-10
    When the worker is evaluated as of 2025-12-31
    Then achievement "C1" has a base of <base> points
    And achievement "C1" is counted for <points> points
    And achievement "C1" is adjusted by "caps-and-validity/priority-industries"
    And the advanced_manufacturing total is <points> points

    Examples:
      | level | base | points |
      | 5     | 20   | 24     |
      | 4     | 40   | 48     |
      | 3     | 80   | 96     |
      | 2     | 120  | 144    |
      | 1     | 160  | 192    |

  Scenario: A certificate in an industry the pack does not know counts under general, with a warning
    Given the worker has a certificate "C1" in occupation "6-29-01-01" at cn-skill level 3 in construction completed on 2023-05-10
    When the worker is evaluated as of 2025-12-31
    Then achievement "C1" is counted for 80 points
    And achievement "C1" is counted under general
    And the general total is 80 points
    And there is a warning that mentions "C1: industry construction is not a category; counted under general"

  Scenario: A Macao (DSAL) certificate is not converted by the national table
    Given the worker has a certificate "M1" in occupation "4-03-02-01" at mo-dsal level senior in modern_services completed on 2023-05-10
    When the worker is evaluated as of 2025-12-31
    Then achievement "M1" is not converted
    And the total is 0 points

  Scenario: A certificate issued on 5 July 1994, the day the national table took effect, is converted
    Given the worker has a certificate "C1" in occupation "6-31-01-03" at cn-skill level 4 in modern_services completed on 1994-07-05
    When the worker is evaluated as of 2025-12-31
    Then achievement "C1" is counted for 40 points
    And the rule version used for "cn-skill-certificates" is "2022.1"

  Scenario: A certificate issued before 5 July 1994 is not converted, because no version of the table was in force
    Given the worker has a certificate "C1" in occupation "6-31-01-03" at cn-skill level 4 in modern_services completed on 1994-07-04
    When the worker is evaluated as of 2025-12-31
    Then achievement "C1" is not converted
    And there is a warning that mentions "C1: cn-skill-certificates version 2022.1 would convert it"
