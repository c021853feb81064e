# Worker records (SPEC §3) as scenarios see them: attributes are typed by pack.yaml
# (insurance_months: integer, min 0), and a record that does not fit is refused.
Feature: Worker records that do not fit are refused with a clear reason

  Background:
    Given the default rule pack
    And a worker "W-1"

  Scenario: Two achievements with the same id are refused
    Given the worker has these achievements:
      | id | type          | completed  | credits | credit system | field           |
      | F1 | formal_credit | 2021-01-15 | 3       | cn-higher-ed  | modern_services |
      | F1 | formal_credit | 2022-01-15 | 4       | cn-higher-ed  | modern_services |
    When the worker is evaluated as of 2025-12-31
    Then the record is refused because "duplicate achievement id 'F1'"

  Scenario: A negative number of insurance months is refused
    Given the worker attribute "insurance_months" is -3
    When the worker is evaluated as of 2025-12-31
    Then the record is refused because "insurance_months: -3 is below the minimum 0"

  Scenario: A programme track the pack does not list is refused
    Given the worker attribute "programme.track" is doctorate
    When the worker is evaluated as of 2025-12-31
    Then the record is refused because "'doctorate' is not one of associate, bachelor"

  Scenario: An attribute the pack does not declare is accepted with a warning
    Given the worker attribute "shoe_size" is 42
    When the worker is evaluated as of 2025-12-31
    Then there is a warning that mentions "worker attribute shoe_size is not declared in pack.yaml"
    And the policy "skilled-worker" is not met
