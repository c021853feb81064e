# Mirrors rules/policies/mechatronics-associate-transfer.yaml (version 2024.1, in force from
# 2024-01-01; a transfer, decided with the version in force on the evaluation date).
#   programme    SZ-ASSOC-MECHATRONICS, associate degree in mechatronics technology, 120 credits
#   eligible     worker programme.track = associate and programme.major = mechatronics
#   rate         4 points = 1 credit, from counted points (after every adjustment) of courses
#                and formal credits in advanced_manufacturing only; certificate points never
#                transfer by the rate. Credits are never rounded up (decimals 0: 9.6 -> 9).
#   exemptions   an electrician certificate (6-31-01-03) at cn-skill level 4 or above exempts
#                MT-101 (2 credits), MT-102 (3) and MT-103 (3): 8 credits
#   max_share    0.5: at most 60 of the 120 credits, points and exemptions together
# Points: courses hours / 10, mainland credits x 4, both x1.2 in advanced_manufacturing.
Feature: Credit transfer into the associate degree in mechatronics
  Recognised prior learning counts toward the associate degree in mechatronics:
  course and formal-credit points in advanced manufacturing at 4 points a credit,
  three courses exempted by an electrician certificate, at most half the programme.

  Background:
    Given the default rule pack
    And a worker "W-1"
    And the worker has these attributes:
      | attribute       | value        |
      | programme.track | associate    |
      | programme.major | mechatronics |

  # --- the rate ----------------------------------------------------------------------------

  Scenario: Course and formal-credit points in advanced manufacturing transfer at 4 points a credit: 48 points make 12 credits
    # K1 200 h -> 20 x1.2 = 24; F1 5 credits -> 20 x1.2 = 24; 48 / 4 = 12.
    Given the worker has an accredited course "K1" of 200 hours in advanced_manufacturing completed on 2024-05-01
    And the worker has a formal credit "F1" of 5 cn-higher-ed credits in advanced_manufacturing completed on 2023-01-15
    When the worker is evaluated as of 2025-12-31
    Then "mechatronics-associate-transfer" recognises 12 credits
    And "mechatronics-associate-transfer" recognises 12 credits from 48 points
    And the transfer is not capped

  Scenario: Credits are never rounded up: 18 points make 4 credits, not 4.5
    # K1 150 h -> 15 x1.2 = 18; 18 / 4 = 4.5 -> 4.
    Given the worker has an accredited course "K1" of 150 hours in advanced_manufacturing completed on 2024-05-01
    When the worker is evaluated as of 2025-12-31
    Then "mechatronics-associate-transfer" recognises 4 credits from 18 points
    And "mechatronics-associate-transfer" recognises 4 credits

  Scenario: Points outside advanced manufacturing do not transfer
    # K1 200 h in the digital economy = 24 points; F1 5 credits in modern services = 20 points.
    Given the worker has an accredited course "K1" of 200 hours in digital_economy completed on 2024-05-01
    And the worker has a formal credit "F1" of 5 cn-higher-ed credits in modern_services completed on 2023-01-15
    When the worker is evaluated as of 2025-12-31
    Then the total is 44 points
    And "mechatronics-associate-transfer" recognises 0 credits from 0 points

  Scenario: Certificate points do not transfer: a level 3 CNC certificate worth 96 points gives no credits
    Given the worker has a certificate "C1" in occupation "6-18-01-01" at cn-skill level 3 in advanced_manufacturing completed on 2024-05-01
    When the worker is evaluated as of 2025-12-31
    Then achievement "C1" is counted for 96 points
    And "mechatronics-associate-transfer" recognises 0 credits
    And course "MT-101" is not exempted

  Scenario: Only the course points left after the yearly course cap transfer: 60 points make 15 credits
    # 240 h, 200 h, 160 h in 2024: 28.8 + 24 + 19.2 = 72, capped to 60; 60 / 4 = 15.
    Given the worker has an accredited course "K1" of 240 hours in advanced_manufacturing completed on 2024-03-15
    And the worker has an accredited course "K2" of 200 hours in advanced_manufacturing completed on 2024-06-30
    And the worker has an accredited course "K3" of 160 hours in advanced_manufacturing completed on 2024-11-20
    When the worker is evaluated as of 2025-12-31
    Then achievement "K3" is capped to 7.2 points
    And "mechatronics-associate-transfer" recognises 15 credits from 60 points

  Scenario: Expired course points do not transfer
    # K1 completed 2020-01-10 expired on 2025-01-10 (course-validity, 5 years).
    Given the worker has an accredited course "K1" of 200 hours in advanced_manufacturing completed on 2020-01-10
    When the worker is evaluated as of 2025-12-31
    Then achievement "K1" is expired
    And "mechatronics-associate-transfer" recognises 0 credits from 0 points

  # --- exemptions --------------------------------------------------------------------------

  Scenario Outline: An electrician certificate at level <level> exempts three courses worth 8 credits
    Given the worker has a certificate "C1" in occupation "6-31-01-03" at cn-skill level <level> in advanced_manufacturing completed on 2024-05-01
    When the worker is evaluated as of 2025-12-31
    Then "mechatronics-associate-transfer" recognises 8 credits
    And "mechatronics-associate-transfer" recognises 0 credits from 0 points
    And course "MT-101" is exempted by "C1"
    And course "MT-102" is exempted by "C1"
    And course "MT-103" is exempted by "C1"
    And the explanation mentions "8 from 3 exempted courses"

    Examples:
      | level |
      | 4     |
      | 3     |
      | 2     |
      | 1     |

  Scenario: A junior (level 5) electrician certificate exempts no course
    Given the worker has a certificate "C1" in occupation "6-31-01-03" at cn-skill level 5 in advanced_manufacturing completed on 2024-05-01
    When the worker is evaluated as of 2025-12-31
    Then "mechatronics-associate-transfer" recognises 0 credits
    And course "MT-101" is not exempted
    And course "MT-102" is not exempted
    And course "MT-103" is not exempted

  Scenario: A Macao intermediate maintenance electrician certificate exempts the three courses, as the mainland level 4 certificate it counts as
    Given the worker has a certificate "M1" titled "Maintenance electrician" issued in macao at mo-dsal level intermediate in advanced_manufacturing completed on 2021-06-15
    When the worker is evaluated as of 2025-12-31
    Then "mechatronics-associate-transfer" recognises 8 credits
    And course "MT-101" is exempted by "M1~cn-skill-4"

  # --- at most half the programme ----------------------------------------------------------

  Scenario: 52 credits from points and 8 exempted make exactly 60, half of the programme, which is not capped
    # F1 44 credits -> 176 x1.2 = 211.2 points -> 52.8 -> 52 credits; + 8 exempted = 60.
    Given the worker has a formal credit "F1" of 44 cn-higher-ed credits in advanced_manufacturing completed on 2022-01-15
    And the worker has a certificate "C1" in occupation "6-31-01-03" at cn-skill level 4 in advanced_manufacturing completed on 2024-05-01
    When the worker is evaluated as of 2025-12-31
    Then "mechatronics-associate-transfer" recognises 52 credits from 211.2 points
    And "mechatronics-associate-transfer" recognises 60 credits
    And the transfer is not capped

  Scenario: 54 credits from points and 8 exempted are capped at 60, half of the 120-credit programme
    # F1 45 credits -> 180 x1.2 = 216 points -> 54 credits; + 8 exempted = 62 -> 60.
    Given the worker has a formal credit "F1" of 45 cn-higher-ed credits in advanced_manufacturing completed on 2022-01-15
    And the worker has a certificate "C1" in occupation "6-31-01-03" at cn-skill level 4 in advanced_manufacturing completed on 2024-05-01
    When the worker is evaluated as of 2025-12-31
    Then "mechatronics-associate-transfer" recognises 54 credits from 216 points
    And "mechatronics-associate-transfer" recognises 60 credits
    And the transfer is capped
    And the explanation mentions "capped at 60 (at most 50% of 120)"

  # --- eligibility -------------------------------------------------------------------------

  Scenario Outline: A worker whose programme is the <track> track in <major> is refused the transfer
    Given the worker attribute "programme.track" is <track>
    And the worker attribute "programme.major" is <major>
    And the worker has a formal credit "F1" of 5 cn-higher-ed credits in advanced_manufacturing completed on 2023-01-15
    And the worker has a certificate "C1" in occupation "6-31-01-03" at cn-skill level 4 in advanced_manufacturing completed on 2024-05-01
    When the worker is evaluated as of 2025-12-31
    Then "mechatronics-associate-transfer" recognises 0 credits
    And the transfer is refused
    And the transfer is refused because "not eligible: needs worker programme.track = associate, programme.major = mechatronics"

    Examples:
      | track     | major               |
      | bachelor  | mechatronics        |
      | associate | big data technology |

  Scenario: A worker not enrolled in any programme is refused the transfer
    Given a worker "W-2"
    And the worker has a certificate "C1" in occupation "6-31-01-03" at cn-skill level 4 in advanced_manufacturing completed on 2024-05-01
    When the worker is evaluated as of 2025-12-31
    Then "mechatronics-associate-transfer" recognises 0 credits
    And the transfer is refused

  Scenario: Before 1 January 2024 the transfer is not in force
    Given the worker has a certificate "C1" in occupation "6-31-01-03" at cn-skill level 4 in advanced_manufacturing completed on 2022-05-01
    When the worker is evaluated as of 2023-12-31
    Then the policy "mechatronics-associate-transfer" is not in force
