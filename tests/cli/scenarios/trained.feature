Feature: Trained worker (the coverage fixture pack)

  Background:
    Given the rule pack "pack"
    And a worker "W-1"

  Scenario: One 120-hour course makes a trained worker
    # 120 hours / 10 = 12 points, under the 50-point cap: no adjustment
    Given the worker has an accredited course "K1" of 120 hours in general completed on 2024-03-01
    When the worker is evaluated as of 2025-12-31
    Then achievement "K1" is counted for 12 points
    And the policy "trained-worker" is met
