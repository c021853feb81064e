# Mirrors rules/policies/cross-border-equivalence.yaml (version 2022.1, in force from
# 2022-09-01; an equivalence, applied with the version in force on the evaluation date,
# whenever the learning was earned).
#   macao-maintenance-electrician
#       a certificate issued in macao (issuer.jurisdiction), at a mo-dsal level, titled
#       "Maintenance electrician", "維修電工" or "维修电工", also counts as the mainland
#       electrician certificate (occupation 6-31-01-03) at the cn-skill level given by
#       pack.yaml level_maps: junior -> 5, intermediate -> 4; senior has no mainland level.
#   hkqf-qualification-levels
#       a qualification at an hkqf level also counts as a certificate at the cn-skill level
#       given by pack.yaml level_maps: QF 3 -> 4, QF 4 -> 3, QF 5 -> 2; QF 1, 2, 6 and 7 have
#       no mainland level. A level with no match is reported in a warning, never guessed.
# The derived achievement is named SOURCE~cn-skill-LEVEL and is seen by every other rule:
# it converts by rules/conversions/cn-skill-certificates.yaml (5:20 4:40 3:80 2:120 1:160),
# is multiplied (x1.2 in advanced_manufacturing and digital_economy) and de-duplicated by
# occupation like a mainland certificate. A source and what is derived from it are one
# piece of learning: only the one worth more points counts, the other is a duplicate.
Feature: Hong Kong and Macao qualifications recognised as mainland skill levels
  A Macao maintenance electrician certificate counts as the mainland electrician
  certificate, and a Hong Kong QF qualification as a mainland skill-level certificate,
  for points, accreditation, subsidies and credit transfer.

  Background:
    Given the default rule pack
    And a worker "W-1"

  # --- Macao maintenance electricians ------------------------------------------------------

  Scenario Outline: A Macao <grade> maintenance electrician certificate counts as the mainland level <level> electrician certificate, worth <points> points
    Given the worker has a certificate "M1" titled "Maintenance electrician" issued in macao at mo-dsal level <grade> in advanced_manufacturing completed on 2023-05-10
    When the worker is evaluated as of 2025-12-31
    Then achievement "M1~cn-skill-<level>" is derived from "M1" by "cross-border-equivalence/macao-maintenance-electrician"
    And achievement "M1~cn-skill-<level>" is converted by "cn-skill-certificates/by-level"
    And achievement "M1~cn-skill-<level>" has a base of <base> points
    And achievement "M1~cn-skill-<level>" is counted for <points> points
    And the advanced_manufacturing total is <points> points
    And the policy "skilled-worker" is met

    Examples:
      | grade        | level | base | points |
      | junior       | 5     | 20   | 24     |
      | intermediate | 4     | 40   | 48     |

  Scenario Outline: The Macao certificate is recognised under its Chinese title <title> too
    Given the worker has a certificate "M1" titled "<title>" issued in macao at mo-dsal level intermediate in advanced_manufacturing completed on 2023-05-10
    When the worker is evaluated as of 2025-12-31
    Then achievement "M1~cn-skill-4" is derived from "M1" by "cross-border-equivalence/macao-maintenance-electrician"
    And achievement "M1~cn-skill-4" is counted for 48 points

    Examples:
      | title    |
      | 維修電工 |
      | 维修电工 |

  Scenario: A Macao senior maintenance electrician certificate has no mainland level: nothing is derived, with a warning
    Given the worker has a certificate "M1" titled "Maintenance electrician" issued in macao at mo-dsal level senior in advanced_manufacturing completed on 2023-05-10
    When the worker is evaluated as of 2025-12-31
    Then nothing is derived from "M1"
    And achievement "M1" is not converted
    And there is a warning mentioning "M1: cross-border-equivalence/macao-maintenance-electrician has no cn-skill level for mo-dsal level senior; nothing derived"
    And the total is 0 points

  Scenario: A Macao certificate in another trade is not recognised
    Given the worker has a certificate "M1" titled "Chinese cuisine cook" issued in macao at mo-dsal level intermediate in modern_services completed on 2023-05-10
    When the worker is evaluated as of 2025-12-31
    Then nothing is derived from "M1"
    And achievement "M1" is not converted
    And there is no warning mentioning "nothing derived"

  Scenario: A maintenance electrician certificate in the Macao grades but not issued in Macao is not recognised
    Given the worker has a certificate "M1" titled "Maintenance electrician" issued in hong_kong at mo-dsal level intermediate in advanced_manufacturing completed on 2023-05-10
    When the worker is evaluated as of 2025-12-31
    Then nothing is derived from "M1"
    And achievement "M1" is not converted

  Scenario: The recognised Macao certificate and a mainland electrician certificate count once: the new level 3 supersedes the derived level 4
    # M1~cn-skill-4 (40) and C1 (80) are both electrician certificates, 6-31-01-03:
    # same-certificate-once keeps the highest, C1: 80 x1.2 = 96.
    Given the worker has a certificate "M1" titled "Maintenance electrician" issued in macao at mo-dsal level intermediate in advanced_manufacturing completed on 2021-06-15
    And the worker has a certificate "C1" in occupation "6-31-01-03" at cn-skill level 3 in advanced_manufacturing completed on 2025-05-20
    When the worker is evaluated as of 2025-12-31
    Then achievement "M1~cn-skill-4" is a duplicate
    And achievement "M1~cn-skill-4" is adjusted by "caps-and-validity/same-certificate-once"
    And achievement "C1" is counted for 96 points
    And the total is 96 points

  Scenario: The recognised Macao level 4 supersedes a lower mainland electrician certificate
    # M1~cn-skill-4: 40 x1.2 = 48; C1 level 5 (20) in the same occupation is the duplicate.
    Given the worker has a certificate "M1" titled "Maintenance electrician" issued in macao at mo-dsal level intermediate in advanced_manufacturing completed on 2021-06-15
    And the worker has a certificate "C1" in occupation "6-31-01-03" at cn-skill level 5 in advanced_manufacturing completed on 2019-05-20
    When the worker is evaluated as of 2025-12-31
    Then achievement "C1" is a duplicate
    And achievement "M1~cn-skill-4" is counted for 48 points
    And the total is 48 points

  Scenario: A Macao certificate earned in 2019 is recognised once the equivalence is in force
    Given the worker has a certificate "M1" titled "Maintenance electrician" issued in macao at mo-dsal level intermediate in advanced_manufacturing completed on 2019-09-30
    When the worker is evaluated as of 2022-09-01
    Then achievement "M1~cn-skill-4" is counted for 48 points
    And the rule version used for "cross-border-equivalence" is "2022.1"

  Scenario: Before 1 September 2022 the Macao certificate is not recognised
    Given the worker has a certificate "M1" titled "Maintenance electrician" issued in macao at mo-dsal level intermediate in advanced_manufacturing completed on 2019-09-30
    When the worker is evaluated as of 2022-08-31
    Then nothing is derived from "M1"
    And achievement "M1" is not converted
    And the total is 0 points

  # --- Hong Kong QF qualifications ---------------------------------------------------------

  Scenario Outline: A Hong Kong qualification at QF level <qf> counts as a cn-skill level <level> certificate
    Given the worker has a qualification "Q1" at hkqf level <qf> with 120 hkqf credits in modern_services completed on 2020-07-01
    When the worker is evaluated as of 2025-12-31
    Then achievement "Q1~cn-skill-<level>" is derived from "Q1" by "cross-border-equivalence/hkqf-qualification-levels"
    And achievement "Q1~cn-skill-<level>" has a base of <base> points
    And the policy "skilled-worker" is met
    And the policy "highly-skilled-worker" <highly>

    Examples:
      | qf | level | base | highly     |
      | 3  | 4     | 40   | is not met |
      | 4  | 3     | 80   | is met     |
      | 5  | 2     | 120  | is met     |

  Scenario Outline: A Hong Kong qualification at QF level <qf> has no mainland level: nothing is derived, with a warning
    Given the worker has a qualification "Q1" at hkqf level <qf> with 120 hkqf credits in modern_services completed on 2020-07-01
    When the worker is evaluated as of 2025-12-31
    Then nothing is derived from "Q1"
    And there is a warning mentioning "Q1: cross-border-equivalence/hkqf-qualification-levels has no cn-skill level for hkqf level <qf>; nothing derived"
    And achievement "Q1" is counted for 120 points

    Examples:
      | qf |
      | 1  |
      | 2  |
      | 6  |
      | 7  |

  Scenario: A qualification worth more points than its certificate counts, and the derived certificate is the duplicate
    # Q1: 120 QF credits = 120 points; Q1~cn-skill-3: 80 points, the same learning.
    Given the worker has a qualification "Q1" at hkqf level 4 with 120 hkqf credits in modern_services completed on 2020-07-01
    When the worker is evaluated as of 2025-12-31
    Then the ledger is:
      | achievement   | rule                           | base | points | category        | status    |
      | Q1            | hkqf-credits/by-qf-credit      | 120  | 120    | modern_services | counted   |
      | Q1~cn-skill-3 | cn-skill-certificates/by-level | 80   | 0      | general         | duplicate |
    And the explanation mentions "same learning as Q1, which counts instead, -80"
    And the total is 120 points

  Scenario: A certificate worth more points than its qualification counts instead, under general because a qualification has no industry
    # Q1: 30 QF credits = 30 points; Q1~cn-skill-3: 80 points, so the certificate counts.
    Given the worker has a qualification "Q1" at hkqf level 4 with 30 hkqf credits in modern_services completed on 2020-07-01
    When the worker is evaluated as of 2025-12-31
    Then the ledger is:
      | achievement   | rule                           | base | points | category        | status    |
      | Q1            | hkqf-credits/by-qf-credit      | 30   | 0      | modern_services | duplicate |
      | Q1~cn-skill-3 | cn-skill-certificates/by-level | 80   | 80     | general         | counted   |
    And the explanation mentions "same learning as Q1~cn-skill-3, which counts instead, -30"
    And there is a warning mentioning "Q1~cn-skill-3: no industry; counted under general"
    And the total is 80 points

  Scenario: The derived certificate keeps its qualification's field, so a priority field still counts 1.2 times
    # Q1: 30 QF credits x1.2 = 36; Q1~cn-skill-3: 80 x1.2 = 96 (its field is advanced_manufacturing),
    # counted under general: the category comes from industry, which a qualification lacks.
    Given the worker has a qualification "Q1" at hkqf level 4 with 30 hkqf credits in advanced_manufacturing completed on 2020-07-01
    When the worker is evaluated as of 2025-12-31
    Then achievement "Q1~cn-skill-3" is counted for 96 points
    And achievement "Q1~cn-skill-3" is adjusted by "caps-and-validity/priority-industries"
    And achievement "Q1" is a duplicate
    And the general total is 96 points
