# Mirrors rules/adjustments/caps-and-validity.yaml (version 2022.1, in force from 2010-01-01).
# Stages run in a fixed order: expire_after, dedupe, multiply, cap.
#   priority-industries    industry or field in advanced_manufacturing, digital_economy: x1.2
#   course-yearly-cap      courses: at most 60 points per calendar year of completion
#   course-validity        courses: expire 5 years after completion
#   certificate-expiry     certificates: stop counting after their own expiry date (none: never)
#   same-certificate-once  certificates: one per occupation, the highest level counted
# Points keep one decimal, rounded half up (pack.yaml).
Feature: Priority industries, yearly course cap, course validity and one certificate per occupation

  Background:
    Given the default rule pack
    And a worker "W-1"

  # --- priority-industries -----------------------------------------------------------------

  Scenario: Advanced manufacturing and the digital economy count 1.2 times, modern services do not
    Given the worker has a certificate "C1" in occupation "6-31-01-03" at cn-skill level 3 in advanced_manufacturing completed on 2023-05-10
    And the worker has a certificate "C2" in occupation "4-04-05-02" at cn-skill level 3 in digital_economy completed on 2023-05-10
    And the worker has a certificate "C3" in occupation "4-03-02-01" at cn-skill level 3 in modern_services completed on 2023-05-10
    When the worker is evaluated as of 2025-12-31
    Then achievement "C1" is counted for 96 points
    And achievement "C2" is counted for 96 points
    And achievement "C3" is counted for 80 points
    And achievement "C1" is adjusted by "caps-and-validity/priority-industries"
    And achievement "C3" is not adjusted by "caps-and-validity/priority-industries"
    And the total is 272 points

  Scenario: A formal credit in a priority field counts 1.2 times
    Given the worker has a formal credit "F1" of 5 cn-higher-ed credits in advanced_manufacturing completed on 2021-01-15
    When the worker is evaluated as of 2025-12-31
    Then achievement "F1" is counted for 24 points
    And achievement "F1" is adjusted by "caps-and-validity/priority-industries"

  # --- course-yearly-cap -------------------------------------------------------------------

  Scenario: Course points above 60 in a calendar year are capped: the third 2024 course keeps 7.2 of its 19.2 points
    # 240 h -> 28.8, 200 h -> 24, 160 h -> 19.2 (x1.2 each); 28.8 + 24 = 52.8, so 7.2 room is left.
    Given the worker has an accredited course "A1" of 240 hours in digital_economy completed on 2024-03-15
    And the worker has an accredited course "A2" of 200 hours in digital_economy completed on 2024-06-30
    And the worker has an accredited course "A3" of 160 hours in digital_economy completed on 2024-11-20
    When the worker is evaluated as of 2025-12-31
    Then the ledger is:
      | achievement | rule                        | base | points | category        | status  |
      | A1          | accredited-courses/by-hours | 24   | 28.8   | digital_economy | counted |
      | A2          | accredited-courses/by-hours | 20   | 24     | digital_economy | counted |
      | A3          | accredited-courses/by-hours | 16   | 7.2    | digital_economy | capped  |
    And achievement "A3" is capped to 7.2 points
    And achievement "A3" is adjusted by "caps-and-validity/course-yearly-cap"
    And the explanation mentions "cap 60 per year (2024-01-01..2024-12-31), -12"
    And the total is 60 points

  Scenario: Courses fill the year's cap in the order they were completed, whatever their order in the record
    Given the worker has these achievements:
      | id | type   | completed  | hours | industry        | accredited | passed |
      | A3 | course | 2024-11-20 | 160   | digital_economy | yes        | yes    |
      | A1 | course | 2024-03-15 | 240   | digital_economy | yes        | yes    |
      | A2 | course | 2024-06-30 | 200   | digital_economy | yes        | yes    |
    When the worker is evaluated as of 2025-12-31
    Then achievement "A1" is counted for 28.8 points
    And achievement "A2" is counted for 24 points
    And achievement "A3" is capped to 7.2 points

  Scenario: The yearly cap counts the courses of every industry together
    # K1 240 h in the digital economy -> 28.8; K2 400 h in modern services -> 40, of which 31.2 fit.
    Given the worker has an accredited course "K1" of 240 hours in digital_economy completed on 2024-03-15
    And the worker has an accredited course "K2" of 400 hours in modern_services completed on 2024-06-30
    When the worker is evaluated as of 2025-12-31
    Then achievement "K1" is counted for 28.8 points
    And achievement "K2" is capped to 31.2 points
    And the digital_economy total is 28.8 points
    And the modern_services total is 31.2 points
    And the total is 60 points

  Scenario: The course cap starts again on 1 January
    Given the worker has an accredited course "K1" of 600 hours in modern_services completed on 2024-12-31
    And the worker has an accredited course "K2" of 100 hours in modern_services completed on 2025-01-01
    When the worker is evaluated as of 2025-12-31
    Then achievement "K1" is counted for 60 points
    And achievement "K2" is counted for 10 points
    And the total is 70 points

  Scenario: The cap counts points after the multiplier: 500 hours in advanced manufacturing fill the year's 60 points
    # 500 h -> 50 x 1.2 = 60 (exactly the cap); 10 h -> 1 x 1.2 = 1.2, no room left.
    Given the worker has an accredited course "K1" of 500 hours in advanced_manufacturing completed on 2024-02-01
    And the worker has an accredited course "K2" of 10 hours in advanced_manufacturing completed on 2024-03-01
    When the worker is evaluated as of 2025-12-31
    Then achievement "K1" is counted for 60 points
    And achievement "K2" is capped to 0 points
    And the total is 60 points

  Scenario: Certificates are not limited by the course cap
    Given the worker has a certificate "C1" in occupation "6-31-01-03" at cn-skill level 1 in advanced_manufacturing completed on 2024-03-01
    And the worker has a certificate "C2" in occupation "6-18-01-01" at cn-skill level 1 in advanced_manufacturing completed on 2024-09-01
    And the worker has an accredited course "K1" of 600 hours in modern_services completed on 2024-05-01
    When the worker is evaluated as of 2025-12-31
    Then achievement "C1" is counted for 192 points
    And achievement "C2" is counted for 192 points
    And achievement "K1" is counted for 60 points
    And the total is 444 points

  # --- course-validity ---------------------------------------------------------------------

  Scenario: A course completed exactly five years before the evaluation date still counts
    Given the worker has an accredited course "K1" of 100 hours in modern_services completed on 2020-12-31
    When the worker is evaluated as of 2025-12-31
    Then achievement "K1" is counted for 10 points

  Scenario: A course completed five years and one day before the evaluation date has expired
    Given the worker has an accredited course "K1" of 100 hours in modern_services completed on 2020-12-30
    When the worker is evaluated as of 2025-12-31
    Then achievement "K1" is expired
    And achievement "K1" is adjusted by "caps-and-validity/course-validity"
    And the explanation mentions "expired: counted until 2025-12-30"
    And the total is 0 points

  # --- certificate-expiry ------------------------------------------------------------------

  Scenario: A certificate counts until its own expiry date, and not after it
    # Level 4 in advanced manufacturing: 40 points x1.2 = 48 while it is valid.
    Given the worker has these achievements:
      | id | type        | completed  | occupation | framework | level | industry               | expires    |
      | C1 | certificate | 2022-03-01 | 6-31-01-03 | cn-skill  | 4     | advanced_manufacturing | 2025-06-30 |
    When the worker is evaluated as of 2025-06-30
    Then achievement "C1" is counted for 48 points
    When the worker is evaluated as of 2025-07-01
    Then achievement "C1" is expired
    And achievement "C1" is adjusted by "caps-and-validity/certificate-expiry"
    And the explanation mentions "expired: counted until 2025-06-30"
    And the total is 0 points

  Scenario: An expired course does not use up the cap of its year
    # E1 (60 points, March 2020) has expired by 2025-12-31; K1 (December 2020) keeps all 30 points.
    Given the worker has an accredited course "E1" of 600 hours in modern_services completed on 2020-03-01
    And the worker has an accredited course "K1" of 300 hours in modern_services completed on 2020-12-31
    When the worker is evaluated as of 2025-12-31
    Then achievement "E1" is expired
    And achievement "K1" is counted for 30 points
    And the total is 30 points

  Scenario: Certificates do not expire
    Given the worker has a certificate "C1" in occupation "4-03-02-01" at cn-skill level 3 in modern_services completed on 2001-06-01
    When the worker is evaluated as of 2025-12-31
    Then achievement "C1" is counted for 80 points

  # --- same-certificate-once ---------------------------------------------------------------

  Scenario: Of two certificates in the same occupation only the higher level counts
    Given the worker has a certificate "C1" in occupation "6-31-01-03" at cn-skill level 4 in advanced_manufacturing completed on 2019-05-01
    And the worker has a certificate "C2" in occupation "6-31-01-03" at cn-skill level 3 in advanced_manufacturing completed on 2023-05-01
    When the worker is evaluated as of 2025-12-31
    Then achievement "C1" is a duplicate
    And achievement "C1" is adjusted by "caps-and-validity/same-certificate-once"
    And achievement "C2" is counted for 96 points
    And the total is 96 points

  Scenario: A higher certificate earned earlier still supersedes a lower one earned later
    Given the worker has a certificate "C1" in occupation "6-31-01-03" at cn-skill level 2 in advanced_manufacturing completed on 2018-05-01
    And the worker has a certificate "C2" in occupation "6-31-01-03" at cn-skill level 4 in advanced_manufacturing completed on 2022-05-01
    When the worker is evaluated as of 2025-12-31
    Then achievement "C1" is counted for 144 points
    And achievement "C2" is a duplicate
    And the total is 144 points

  Scenario: Two certificates at the same level in the same occupation count once, the first one kept
    Given the worker has a certificate "C1" in occupation "6-31-01-03" at cn-skill level 3 in advanced_manufacturing completed on 2019-05-01
    And the worker has a certificate "C2" in occupation "6-31-01-03" at cn-skill level 3 in advanced_manufacturing completed on 2023-05-01
    When the worker is evaluated as of 2025-12-31
    Then achievement "C1" is counted for 96 points
    And achievement "C2" is a duplicate
    And the explanation mentions "duplicate of C1 (occupation=6-31-01-03, keep highest)"
    And the total is 96 points

  Scenario: Certificates in different occupations both count
    Given the worker has a certificate "C1" in occupation "6-31-01-03" at cn-skill level 3 in advanced_manufacturing completed on 2019-05-01
    And the worker has a certificate "C2" in occupation "6-18-01-01" at cn-skill level 3 in advanced_manufacturing completed on 2023-05-01
    When the worker is evaluated as of 2025-12-31
    Then achievement "C1" is counted for 96 points
    And achievement "C2" is counted for 96 points
    And the explanation does not mention "duplicate"
    And the total is 192 points
