# Transitional values: a conversion whose value changed on 1 March 2009, written as two
# versions of one rule file (fixture pack tests/features/packs/transitional-values):
#   safety-certificates 2005.1   in force 2005-01-01 .. 2009-02-28   30 points
#   safety-certificates 2009.1   in force 2009-03-01 ..              20 points
# The pack converts on the completed date (pack.yaml convert_at: completed): a certificate
# keeps the value of the table in force on the day it was earned, whenever it is evaluated.
# With convert_at: as_of, every certificate takes the value in force on the evaluation date.
Feature: A safety certificate earned before 1 March 2009 keeps its 30 points; from that day it is worth 20

  Background:
    Given the rule pack "tests/features/packs/transitional-values"
    And a worker "W-1"

  Scenario Outline: A safety certificate earned on <completed> is worth <points> points under version <version>
    Given the worker has these achievements:
      | id | type        | occupation     | completed   |
      | C1 | certificate | safety-officer | <completed> |
    When the worker is evaluated as of 2025-12-31
    Then achievement "C1" is counted for <points> points
    And the rule version used for "safety-certificates" is "<version>"

    Examples:
      | completed  | points | version |
      | 2005-01-01 | 30     | 2005.1  |
      | 2009-02-28 | 30     | 2005.1  |
      | 2009-03-01 | 20     | 2009.1  |
      | 2024-06-30 | 20     | 2009.1  |

  Scenario: Certificates earned either side of the change keep their own values: 30 + 20 = 50
    Given the worker has these achievements:
      | id | type        | occupation     | completed  |
      | C1 | certificate | safety-officer | 2009-02-28 |
      | C2 | certificate | safety-officer | 2009-03-01 |
    When the worker is evaluated as of 2025-12-31
    Then the ledger is:
      | achievement | rule                                   | version | base | points | status  |
      | C1          | safety-certificates/safety-certificate | 2005.1  | 30   | 30     | counted |
      | C2          | safety-certificates/safety-certificate | 2009.1  | 20   | 20     | counted |
    And the total is 50 points
    And the rule version used for "safety-certificates" is "2005.1, 2009.1"

  Scenario: A certificate earned before the first table took effect is not converted, with a warning
    Given the worker has these achievements:
      | id | type        | occupation     | completed  |
      | C1 | certificate | safety-officer | 2004-12-31 |
    When the worker is evaluated as of 2025-12-31
    Then achievement "C1" is not converted
    And there is a warning mentioning "C1: safety-certificates version 2005.1 would convert it, but is in force 2005-01-01..2009-02-28, not on 2004-12-31"

  Scenario: A pack that converts on the evaluation date values every certificate with the table in force that day
    Given the pack has the rule file "pack.yaml":
      """
      name: transitional-values
      title: {en: "Fixture: a conversion value changed on 2009-03-01, converted as of the evaluation date"}
      reference: "Test fixture for the policy scenarios (features/conversions/transitional-values.feature)"
      scale: {unit: point, decimals: 1, rounding: half_up}
      convert_at: as_of
      categories: [general]
      default_category: general
      """
    And the worker has these achievements:
      | id | type        | occupation     | completed  |
      | C1 | certificate | safety-officer | 2009-02-28 |
      | C2 | certificate | safety-officer | 2009-03-01 |
    When the worker is evaluated as of 2025-12-31
    Then achievement "C1" is counted for 20 points
    And achievement "C2" is counted for 20 points
    And the rule version used for "safety-certificates" is "2009.1"
