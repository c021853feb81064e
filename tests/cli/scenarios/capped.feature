Feature: The yearly course cap (the coverage fixture pack)

  Scenario: A 600-hour course is capped to 50 points
    Given the rule pack "pack"
    And a worker "W-1"
    And the worker has an accredited course "K1" of 600 hours in general completed on 2024-03-01
    When the worker is evaluated as of 2025-12-31
    Then achievement "K1" is capped to 50 points
