# Exclusions (exclude: {reason}): learning worth nothing here, with the reason shown in the
# ledger. Fixture pack tests/features/packs/exclusions: courses hours / 10, and
#   low-attendance       a course attended less than 80% (assessment.attendance < 0.8) is excluded
#   withdrawn-provider   a course from provider SZ-TB-0999 (accreditation withdrawn) is excluded
#   course-yearly-cap    at most 50 course points a calendar year
#   trained-worker       a policy: one course of at least 100 hours
# Exclusions run first, before expiry, de-duplication, multipliers and caps, so an excluded
# course uses up no cap; an excluded achievement cannot meet a policy either.
Feature: Excluded learning counts nothing, and the ledger says why

  Background:
    Given the rule pack "tests/features/packs/exclusions"
    And a worker "W-1"

  Scenario: A course attended 75% of the time is excluded, with the reason in English and Chinese
    Given the worker has these achievements:
      | id | type   | completed  | hours | attendance |
      | K1 | course | 2024-03-01 | 120   | 0.75       |
    When the worker is evaluated as of 2025-12-31
    Then achievement "K1" is excluded
    And achievement "K1" has a base of 12 points
    And achievement "K1" is adjusted by "exclusions-and-cap/low-attendance"
    And the explanation mentions "excluded: attendance below 80%, -12"
    And the Chinese explanation mentions "不计分：出勤率低于80%，-12"
    And the total is 0 points

  Scenario Outline: A course attended <attendance> of the time <counts>
    Given the worker has these achievements:
      | id | type   | completed  | hours | attendance   |
      | K1 | course | 2024-03-01 | 120   | <attendance> |
    When the worker is evaluated as of 2025-12-31
    Then the total is <total> points

    Examples:
      | attendance | counts            | total |
      | 0.79       | counts nothing    | 0     |
      | 0.8        | counts 12 points  | 12    |
      | 1.0        | counts 12 points  | 12    |

  Scenario: A course from a provider whose accreditation was withdrawn is excluded
    Given the worker has these achievements:
      | id | type   | completed  | hours | provider   | attendance |
      | K1 | course | 2024-03-01 | 120   | SZ-TB-0999 | 0.95       |
      | K2 | course | 2024-04-01 | 60    | SZ-TB-0042 | 0.95       |
    When the worker is evaluated as of 2025-12-31
    Then achievement "K1" is excluded
    And the explanation mentions "excluded: provider accreditation withdrawn, -12"
    And achievement "K2" is counted for 6 points
    And the total is 6 points

  Scenario: An excluded course does not use up the yearly cap
    # K1 (50 points, attendance 50%) is excluded, so K2 keeps all 50 points of the 2024 cap.
    Given the worker has these achievements:
      | id | type   | completed  | hours | attendance |
      | K1 | course | 2024-01-10 | 500   | 0.5        |
      | K2 | course | 2024-06-01 | 500   | 0.9        |
    When the worker is evaluated as of 2025-12-31
    Then achievement "K1" is excluded
    And achievement "K2" is counted for 50 points
    And achievement "K2" is not adjusted by "exclusions-and-cap/course-yearly-cap"
    And the total is 50 points

  Scenario Outline: A 150-hour course attended <attendance> of the time <makes> a trained worker
    Given the worker has these achievements:
      | id | type   | completed  | hours | attendance   |
      | K1 | course | 2024-03-01 | 150   | <attendance> |
    When the worker is evaluated as of 2025-12-31
    Then the policy "trained-worker" <outcome>

    Examples:
      | attendance | makes         | outcome    |
      | 0.6        | does not make | is not met |
      | 0.9        | makes         | is met     |

  Scenario: An excluded course is not offered as the closest match for a policy
    Given the worker has these achievements:
      | id | type   | completed  | hours | attendance |
      | K1 | course | 2024-03-01 | 150   | 0.6        |
    When the worker is evaluated as of 2025-12-31
    Then the policy "trained-worker" is not met because "an achievement with type = course, hours >= 100" is missing
    And the explanation does not mention "K1 fails"

  Scenario: Courses that are not excluded share the yearly cap of 50 points, the latest cut first
    Given the worker has these achievements:
      | id | type   | completed  | hours | attendance |
      | K1 | course | 2024-01-10 | 400   | 0.9        |
      | K2 | course | 2024-06-01 | 300   | 0.9        |
    When the worker is evaluated as of 2025-12-31
    Then achievement "K1" is counted for 40 points
    And achievement "K2" is adjusted by "exclusions-and-cap/course-yearly-cap"
    And achievement "K2" is capped to 10 points
    And the total is 50 points
