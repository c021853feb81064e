# Mirrors examples/electrician-subsidy-transfer.yaml (W-0007), evaluated as of 2025-12-31
# with the default pack. Worked out by hand from the rule files:
#
# Points (rules/conversions, rules/adjustments/caps-and-validity.yaml):
#   A1 Macao intermediate maintenance electrician (2021-06-15): no conversion of its own;
#      it counts as A1~cn-skill-4, electrician 6-31-01-03 at level 4
#      (rules/policies/cross-border-equivalence.yaml, pack.yaml level_maps: intermediate -> 4):
#      base 40, a duplicate of A2 (same occupation, A2 is higher)           =   0
#   A2 electrician cn-skill level 3 (2025-05-20): 80 x1.2                    =  96
#   A3 course 160 h in advanced manufacturing (2024-11-30): 16 x1.2          =  19.2
#   A4 4 mainland credits in advanced manufacturing (2025-01-15): 16 x1.2    =  19.2
#   total 134.4, all in advanced_manufacturing; nothing unmatched.
#   skilled-worker met; highly-skilled-worker met (A2 is level 3).
#
# Subsidy (rules/policies/skill-upgrade-subsidy.yaml): 20 months of insurance (>= 12).
#   A2 level 3 electrician, a shortage occupation: 2000 + 30% = 2600 CNY, claimed within
#   12 months (window open until 2026-05-20).
#   A1~cn-skill-4 level 4: would be 1500 CNY, but its window closed on 2022-06-15.
#
# Transfer (rules/policies/mechatronics-associate-transfer.yaml): the worker is on the
# associate track in mechatronics, so eligible.
#   points from courses and formal credits in advanced manufacturing: 19.2 + 19.2 = 38.4,
#   at 4 points a credit = 9.6, never rounded up: 9 credits;
#   A2 (electrician, level 3 is level 4 or above) exempts MT-101 (2), MT-102 (3), MT-103 (3) = 8;
#   9 + 8 = 17 credits, under the cap of 60 (50% of 120).
Feature: The Macao electrician studying mechatronics (W-0007): equivalence, subsidy and credit transfer

  Background:
    Given the default rule pack
    And the worker record "examples/electrician-subsidy-transfer.yaml"

  Scenario: The Macao certificate counts as the mainland level 4 electrician certificate, superseded by the new level 3
    When the worker is evaluated as of 2025-12-31
    Then achievement "A1~cn-skill-4" is derived from "A1" by "cross-border-equivalence/macao-maintenance-electrician"
    And achievement "A1~cn-skill-4" is a duplicate
    And achievement "A1~cn-skill-4" is adjusted by "caps-and-validity/same-certificate-once"
    And the ledger is:
      | achievement   | rule                           | base | points | category               | status    |
      | A1~cn-skill-4 | cn-skill-certificates/by-level | 40   | 0      | advanced_manufacturing | duplicate |
      | A2            | cn-skill-certificates/by-level | 80   | 96     | advanced_manufacturing | counted   |
      | A3            | accredited-courses/by-hours    | 16   | 19.2   | advanced_manufacturing | counted   |
      | A4            | cn-higher-ed-credits/by-credit | 16   | 19.2   | advanced_manufacturing | counted   |
    And the total is 134.4 points
    And the advanced_manufacturing total is 134.4 points
    And there are no warnings

  Scenario: The worker is a highly skilled worker by the new level 3 certificate
    When the worker is evaluated as of 2025-12-31
    Then the policy "skilled-worker" is met
    And the policy "highly-skilled-worker" is met because "A2 (Electrician): type = certificate, level.framework = cn-skill, level.value >= 3"

  Scenario: The subsidy pays 2600 CNY for the new level 3 certificate and refuses the old Macao one, whose claim window has closed
    When the worker is evaluated as of 2025-12-31
    Then the worker is granted 2600 CNY by "skill-upgrade-subsidy" for "A2"
    And the claim for "A1~cn-skill-4" is refused by "skill-upgrade-subsidy/claim_within"
    And the explanation mentions "claim window closed on 2022-06-15 (would be 1500)"
    And the worker is granted 2600 CNY in all by "skill-upgrade-subsidy"

  Scenario: The mechatronics associate degree recognises 17 credits: 9 from 38.4 points and 8 from three exempted courses
    When the worker is evaluated as of 2025-12-31
    Then "mechatronics-associate-transfer" recognises 17 credits
    And "mechatronics-associate-transfer" recognises 9 credits from 38.4 points
    And course "MT-101" is exempted by "A2"
    And course "MT-102" is exempted by "A2"
    And course "MT-103" is exempted by "A2"
    And the transfer is not capped
