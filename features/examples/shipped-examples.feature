# Mirrors examples/*.yaml: each record's header states, computed by hand, what it is
# worth as of 2025-12-31 under the default pack. If an example changes, change this file.
Feature: The shipped example records evaluate as their headers say

  Background:
    Given the default rule pack

  Scenario Outline: Example <record> totals <total> points; skilled worker <skilled>, highly skilled worker <highly>
    Given the worker record "examples/<record>"
    When the worker is evaluated as of 2025-12-31
    Then the total is <total> points
    And the policy "skilled-worker" <skilled>
    And the policy "highly-skilled-worker" <highly>

    Examples:
      | record                          | total | skilled    | highly     |
      | electrician-level3.yaml         | 100.8 | is met     | is met     |
      | course-heavy-capped.yaml        | 72    | is not met | is not met |
      | points-only-highly-skilled.yaml | 304.8 | is met     | is met     |
      | hk-bachelor-status-route.yaml   | 288   | is met     | is met     |
      | chef-junior-macao.yaml          | 68    | is met     | is not met |
      | formal-credits-associate.yaml   | 77.6  | is not met | is not met |
      | electrician-subsidy-transfer.yaml | 134.4 | is met   | is met     |

  Scenario: The level 3 electrician (W-0001) keeps the level 3 certificate and drops the level 4 one
    Given the worker record "examples/electrician-level3.yaml"
    When the worker is evaluated as of 2025-12-31
    Then achievement "A1" is a duplicate
    And achievement "A2" is counted for 96 points
    And achievement "A3" is counted for 4.8 points
    And the advanced_manufacturing total is 100.8 points
    And the policy "highly-skilled-worker" is met because "A2"

  Scenario: The course-heavy worker (W-0002) has 12 points cut by the 2024 course cap and is 28 points short of skilled
    Given the worker record "examples/course-heavy-capped.yaml"
    When the worker is evaluated as of 2025-12-31
    Then the digital_economy total is 60 points
    And the modern_services total is 12 points
    And achievement "A4" is counted for 12 points
    And achievement "A5" is expired
    And achievement "A6" is not converted
    And the explanation mentions "-12"
    And the policy "skilled-worker" is not met because "total >= 100" is missing 28 points

  Scenario: The points-only worker (W-0003) is highly skilled by points alone
    Given the worker record "examples/points-only-highly-skilled.yaml"
    When the worker is evaluated as of 2025-12-31
    Then the advanced_manufacturing total is 100.8 points
    And the digital_economy total is 24 points
    And the modern_services total is 180 points
    And the policy "highly-skilled-worker" is met because "total >= 300 (has 304.8)"
    And the policy "highly-skilled-worker" is met because "total advanced_manufacturing >= 100 (has 100.8)"

  Scenario: The Hong Kong graduate (W-0004) is highly skilled through skilled status with a QF level 5 degree, and through the level 2 certificate the degree counts as
    # A1 QF level 5 also counts as A1~cn-skill-2 (rules/policies/cross-border-equivalence.yaml):
    # 120 points, less than A1's 240, so the derived certificate is the duplicate.
    Given the worker record "examples/hk-bachelor-status-route.yaml"
    When the worker is evaluated as of 2025-12-31
    Then achievement "A1" has a base of 240 points
    And achievement "A1" is counted for 288 points
    And achievement "A1~cn-skill-2" is derived from "A1" by "cross-border-equivalence/hkqf-qualification-levels"
    And achievement "A1~cn-skill-2" is a duplicate
    And achievement "A2" is not converted
    And the policy "highly-skilled-worker" is met because "status skilled (granted by skilled-worker)"
    And the policy "highly-skilled-worker" is met because "A1~cn-skill-2 (Bachelor of Engineering in Electrical Engineering): type = certificate, level.framework = cn-skill, level.value >= 3"

  Scenario: The junior cook (W-0005) has 68 points: the Macao electrician certificate counts as mainland level 4; the award and unaccredited course are not converted
    # A1 level 5 cook, modern services: 20. A2 Macao intermediate maintenance electrician counts as
    # A2~cn-skill-4 (rules/policies/cross-border-equivalence.yaml): 40 x1.2 = 48 in advanced
    # manufacturing. 20 + 48 = 68: skilled, not highly skilled (level 4 is below 3; 68 < 300).
    Given the worker record "examples/chef-junior-macao.yaml"
    When the worker is evaluated as of 2025-12-31
    Then achievement "A1" is counted for 20 points
    And achievement "A2~cn-skill-4" is derived from "A2" by "cross-border-equivalence/macao-maintenance-electrician"
    And achievement "A2~cn-skill-4" is counted for 48 points
    And the advanced_manufacturing total is 48 points
    And the modern_services total is 20 points
    And achievement "A3" is not converted
    And achievement "A4" is not converted
    And the policy "skilled-worker" is met
    And the policy "highly-skilled-worker" is not met because "total >= 300" is missing 232 points
    And the policy "highly-skilled-worker" is not met because "total advanced_manufacturing >= 100" is missing 52 points

  Scenario: The associate-degree student (W-0006) counts an undeclared field under general, is 22.4 points short of skilled and transfers 3 credits
    Given the worker record "examples/formal-credits-associate.yaml"
    When the worker is evaluated as of 2025-12-31
    Then the digital_economy total is 19.2 points
    And the advanced_manufacturing total is 14.4 points
    And the general total is 36 points
    And the modern_services total is 8 points
    And achievement "A5" is counted under general
    And there is a warning that mentions "A5: field mathematics is not a category; counted under general"
    And the policy "skilled-worker" is not met because "total >= 100" is missing 22.4 points
    # Only A2 (14.4 points in advanced manufacturing) transfers: 14.4 / 4 = 3.6, rounded down.
    And "mechatronics-associate-transfer" recognises 3 credits from 14.4 points
    And the transfer is not capped
