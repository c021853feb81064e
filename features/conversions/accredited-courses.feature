# Mirrors rules/conversions/accredited-courses.yaml (version 2022.1, in force from 2010-01-01).
# Rule by-hours: a course from an accredited provider whose assessment was passed is
# worth hours / 10 points, in the category of its industry; one decimal, rounded half up.
# rules/adjustments/caps-and-validity.yaml then multiplies advanced_manufacturing and
# digital_economy by 1.2, caps courses at 60 points a calendar year and expires them after 5 years.
Feature: Accredited training courses convert to one point per 10 hours

  Background:
    Given the default rule pack
    And a worker "W-1"

  Scenario: An accredited, passed course of 120 hours outside the priority industries is worth 12 points
    Given the worker has an accredited course "K1" of 120 hours in modern_services completed on 2024-06-30
    When the worker is evaluated as of 2025-12-31
    Then achievement "K1" is converted by "accredited-courses/by-hours"
    And achievement "K1" is counted for 12 points
    And achievement "K1" is counted under modern_services
    And achievement "K1" is not adjusted by "caps-and-validity/priority-industries"
    And there are no warnings

  Scenario: A course of 120 hours in the digital economy is worth 14.4 points
    Given the worker has an accredited course "K1" of 120 hours in digital_economy completed on 2023-06-30
    When the worker is evaluated as of 2025-12-31
    Then achievement "K1" has a base of 12 points
    And achievement "K1" is counted for 14.4 points
    And the digital_economy total is 14.4 points

  Scenario: Points keep one decimal, rounded half up: 122.5 hours make 12.3 points
    Given the worker has an accredited course "K1" of 122.5 hours in modern_services completed on 2024-06-30
    When the worker is evaluated as of 2025-12-31
    Then achievement "K1" is counted for 12.3 points

  Scenario: Rounding applies again after the multiplier: 13 hours in advanced manufacturing make 1.6 points
    # 1.3 x 1.2 = 1.56, rounded half up to 1.6
    Given the worker has an accredited course "K1" of 13 hours in advanced_manufacturing completed on 2024-06-30
    When the worker is evaluated as of 2025-12-31
    Then achievement "K1" has a base of 1.3 points
    And achievement "K1" is counted for 1.6 points

  Scenario: A course from a provider that is not accredited is not converted
    Given the worker has these achievements:
      | id | type   | completed  | hours | industry        | provider   | accredited | passed |
      | K1 | course | 2024-06-30 | 120   | modern_services | SZ-TB-9001 | no         | yes    |
    When the worker is evaluated as of 2025-12-31
    Then achievement "K1" is not converted
    And the total is 0 points

  Scenario: A course whose assessment was not passed is not converted
    Given the worker has these achievements:
      | id | type   | completed  | hours | industry        | accredited | passed | score |
      | K1 | course | 2024-06-30 | 120   | modern_services | yes        | no     | 54    |
    When the worker is evaluated as of 2025-12-31
    Then achievement "K1" is not converted

  Scenario: A course with no provider or assessment on record is not converted
    Given the worker has these achievements:
      | id | type   | completed  | hours | industry        |
      | K1 | course | 2024-06-30 | 120   | modern_services |
    When the worker is evaluated as of 2025-12-31
    Then achievement "K1" is not converted

  Scenario: An accredited, passed course with no hours on record is not converted, with a warning
    Given the worker has these achievements:
      | id | type   | completed  | industry        | accredited | passed |
      | K1 | course | 2024-06-30 | modern_services | yes        | yes    |
    When the worker is evaluated as of 2025-12-31
    Then achievement "K1" is not converted
    And there is a warning that mentions "K1: accredited-courses/by-hours needs hours, which the record lacks"

  Scenario: A course with no industry counts under general, with a warning
    Given the worker has this achievement:
      """
      id: K1
      type: course
      title: Workplace safety
      provider: {id: SZ-TB-0042, accredited: true}
      assessment: {passed: true}
      hours: 40
      completed: 2024-06-30
      """
    When the worker is evaluated as of 2025-12-31
    Then achievement "K1" is counted for 4 points
    And achievement "K1" is counted under general
    And there is a warning that mentions "K1: no industry; counted under general"
