Feature: A scenario that fails (the coverage fixture pack)

  Scenario: A 120-hour course is worth 15 points
    Given the rule pack "pack"
    And a worker "W-1"
    And the worker has an accredited course "K1" of 120 hours in general completed on 2024-03-01
    When the worker is evaluated as of 2025-12-31
    Then the total is 15 points
