# Mirrors rules/policies/skill-upgrade-subsidy.yaml (version 2024.1, in force from 2024-01-01;
# an entitlement, decided with the version in force on the evaluation date).
#   by-level       a cn-skill certificate at level 5, 4 or 3 (junior, intermediate, senior):
#                  5: 1000, 4: 1500, 3: 2000 CNY; levels 2 and 1 are not covered
#   bonus          +30% for level 3 in a shortage occupation: 6-31-01-03 (electrician), 6-20-03-01
#   eligible       the worker has at least 12 months of unemployment-insurance contributions
#   claim_within   12 months after the certificate's completed date (both days counted)
#   once_per       occupation and level: the same occupation at the same level is paid once
#   max_claims     at most 3 claims per calendar year of the certificates' completed dates
# A refused claim names the rule that refused it. Certificates derived by
# rules/policies/cross-border-equivalence.yaml are claimed like mainland ones.
Feature: Unemployment-insurance skill upgrade subsidy
  A worker with at least a year of unemployment-insurance contributions is paid a
  subsidy for a new junior, intermediate or senior skill certificate, claimed within
  a year, with a bonus for senior certificates in shortage occupations.

  Background:
    Given the default rule pack
    And a worker "W-1"
    And the worker attribute "insurance_months" is 18

  # --- amount by level ---------------------------------------------------------------------

  Scenario Outline: A level <level> certificate outside the shortage occupations is subsidised with <amount> CNY
    Given the worker has a certificate "C1" in occupation "4-03-02-01" at cn-skill level <level> in modern_services completed on 2025-06-01
    When the worker is evaluated as of 2025-12-31
    Then the worker is granted <amount> CNY by "skill-upgrade-subsidy/by-level" for "C1"
    And the worker is granted <amount> CNY in all by "skill-upgrade-subsidy"

    Examples:
      | level | amount |
      | 5     | 1000   |
      | 4     | 1500   |
      | 3     | 2000   |

  Scenario Outline: Technician and senior technician certificates (level <level>) are not covered by the subsidy
    Given the worker has a certificate "C1" in occupation "6-31-01-03" at cn-skill level <level> in advanced_manufacturing completed on 2025-06-01
    When the worker is evaluated as of 2025-12-31
    Then there is no claim for "C1"
    And the worker is granted 0 CNY in all by "skill-upgrade-subsidy"

    Examples:
      | level |
      | 2     |
      | 1     |

  # --- shortage bonus ----------------------------------------------------------------------

  Scenario Outline: A senior (level 3) certificate in the shortage occupation <occupation> is subsidised with 2000 CNY + 30% = 2600 CNY
    Given the worker has a certificate "C1" in occupation "<occupation>" at cn-skill level 3 in advanced_manufacturing completed on 2025-06-01
    When the worker is evaluated as of 2025-12-31
    Then the worker is granted 2600 CNY by "skill-upgrade-subsidy" for "C1"
    And the explanation mentions "C1: 2000 CNY +30%"

    Examples:
      | occupation |
      | 6-31-01-03 |
      | 6-20-03-01 |

  Scenario: The shortage bonus is for senior certificates only: an intermediate (level 4) electrician is subsidised with 1500 CNY
    Given the worker has a certificate "C1" in occupation "6-31-01-03" at cn-skill level 4 in advanced_manufacturing completed on 2025-06-01
    When the worker is evaluated as of 2025-12-31
    Then the worker is granted 1500 CNY by "skill-upgrade-subsidy" for "C1"
    And the explanation does not mention "+30%"

  # --- eligibility -------------------------------------------------------------------------

  Scenario Outline: A worker with <months> months of unemployment-insurance contributions <is> eligible for the subsidy
    Given the worker attribute "insurance_months" is <months>
    And the worker has a certificate "C1" in occupation "4-03-02-01" at cn-skill level 4 in modern_services completed on 2025-06-01
    When the worker is evaluated as of 2025-12-31
    Then the worker is granted <granted> CNY in all by "skill-upgrade-subsidy"

    Examples:
      | months | is     | granted |
      | 11     | is not | 0       |
      | 12     | is     | 1500    |
      | 36     | is     | 1500    |

  Scenario: A worker with 11 months of contributions is refused, and told what is needed
    Given the worker attribute "insurance_months" is 11
    And the worker has a certificate "C1" in occupation "4-03-02-01" at cn-skill level 4 in modern_services completed on 2025-06-01
    When the worker is evaluated as of 2025-12-31
    Then the claim for "C1" is refused by "skill-upgrade-subsidy/eligible"
    And the explanation mentions "not eligible: needs worker insurance_months >= 12 (would be 1500)"

  Scenario: A worker with no contribution record is refused the subsidy
    Given a worker "W-2"
    And the worker has a certificate "C1" in occupation "4-03-02-01" at cn-skill level 4 in modern_services completed on 2025-06-01
    When the worker is evaluated as of 2025-12-31
    Then the claim for "C1" is refused by "skill-upgrade-subsidy/eligible"
    And the worker is granted 0 CNY in all by "skill-upgrade-subsidy"

  # --- claim window ------------------------------------------------------------------------

  Scenario Outline: A certificate completed on <completed> and claimed on <day> <is> within the 12-month claim window
    Given the worker has a certificate "C1" in occupation "4-03-02-01" at cn-skill level 4 in modern_services completed on <completed>
    When the worker is evaluated as of <day>
    Then the worker is granted <granted> CNY in all by "skill-upgrade-subsidy"

    Examples:
      | completed  | day        | is     | granted |
      | 2024-12-31 | 2025-12-31 | is     | 1500    |
      | 2024-12-31 | 2026-01-01 | is not | 0       |
      | 2024-02-29 | 2025-02-28 | is     | 1500    |
      | 2024-02-29 | 2025-03-01 | is not | 0       |

  Scenario: A claim made a day after the window closed is refused by the claim window
    Given the worker has a certificate "C1" in occupation "4-03-02-01" at cn-skill level 4 in modern_services completed on 2024-12-31
    When the worker is evaluated as of 2026-01-01
    Then the claim for "C1" is refused by "skill-upgrade-subsidy/claim_within"
    And the explanation mentions "claim window closed on 2025-12-31 (would be 1500)"

  Scenario: A certificate earned in 2023 can still be claimed in 2024, once the subsidy is in force, within its window
    Given the worker has a certificate "C1" in occupation "4-03-02-01" at cn-skill level 4 in modern_services completed on 2023-06-01
    When the worker is evaluated as of 2024-03-01
    Then the worker is granted 1500 CNY by "skill-upgrade-subsidy" for "C1"

  Scenario: Before 1 January 2024 the subsidy is not in force
    Given the worker has a certificate "C1" in occupation "4-03-02-01" at cn-skill level 4 in modern_services completed on 2023-06-01
    When the worker is evaluated as of 2023-12-31
    Then the policy "skill-upgrade-subsidy" is not in force
    And there is no claim for "C1"

  # --- once per occupation and level -------------------------------------------------------

  Scenario: Two certificates in the same occupation at the same level are paid once, for the first
    Given the worker has a certificate "C1" in occupation "4-03-02-01" at cn-skill level 4 in modern_services completed on 2025-02-01
    And the worker has a certificate "C2" in occupation "4-03-02-01" at cn-skill level 4 in modern_services completed on 2025-06-01
    When the worker is evaluated as of 2025-12-31
    Then the worker is granted 1500 CNY by "skill-upgrade-subsidy" for "C1"
    And the claim for "C2" is refused by "skill-upgrade-subsidy/once_per"
    And the explanation mentions "paid once per occupation=4-03-02-01, level.value=4: C1"
    And the worker is granted 1500 CNY in all by "skill-upgrade-subsidy"

  Scenario: A higher level in the same occupation is paid again: 1500 CNY for level 4, then 2000 CNY for level 3
    Given the worker has a certificate "C1" in occupation "4-03-02-01" at cn-skill level 4 in modern_services completed on 2025-02-01
    And the worker has a certificate "C2" in occupation "4-03-02-01" at cn-skill level 3 in modern_services completed on 2025-06-01
    When the worker is evaluated as of 2025-12-31
    Then the worker is granted 1500 CNY by "skill-upgrade-subsidy" for "C1"
    And the worker is granted 2000 CNY by "skill-upgrade-subsidy" for "C2"
    And the worker is granted 3500 CNY in all by "skill-upgrade-subsidy"

  # --- at most 3 claims a year -------------------------------------------------------------

  Scenario: A fourth certificate completed in the same calendar year is refused: at most 3 claims a year
    # 1000 + 1500 + 2000 = 4500 CNY for the first three, by completed date; C4 (1500) is refused.
    Given the worker has a certificate "C1" in occupation "4-03-02-01" at cn-skill level 5 in modern_services completed on 2025-01-10
    And the worker has a certificate "C2" in occupation "4-01-02-01" at cn-skill level 4 in modern_services completed on 2025-03-10
    And the worker has a certificate "C3" in occupation "4-07-05-01" at cn-skill level 3 in modern_services completed on 2025-05-10
    And the worker has a certificate "C4" in occupation "4-10-01-02" at cn-skill level 4 in modern_services completed on 2025-07-10
    When the worker is evaluated as of 2025-12-31
    Then the worker is granted 1000 CNY by "skill-upgrade-subsidy" for "C1"
    And the worker is granted 1500 CNY by "skill-upgrade-subsidy" for "C2"
    And the worker is granted 2000 CNY by "skill-upgrade-subsidy" for "C3"
    And the claim for "C4" is refused by "skill-upgrade-subsidy/max_claims"
    And the explanation mentions "at most 3 claims per year (2025-01-01..2025-12-31) (would be 1500)"
    And the worker is granted 4500 CNY in all by "skill-upgrade-subsidy"

  Scenario: The yearly limit starts again on 1 January: three certificates in late 2024 and one in January 2025 are all paid
    Given the worker has a certificate "C1" in occupation "4-03-02-01" at cn-skill level 5 in modern_services completed on 2024-10-10
    And the worker has a certificate "C2" in occupation "4-01-02-01" at cn-skill level 5 in modern_services completed on 2024-11-10
    And the worker has a certificate "C3" in occupation "4-07-05-01" at cn-skill level 5 in modern_services completed on 2024-12-10
    And the worker has a certificate "C4" in occupation "4-10-01-02" at cn-skill level 5 in modern_services completed on 2025-01-10
    When the worker is evaluated as of 2025-06-30
    Then the worker is granted 1000 CNY by "skill-upgrade-subsidy" for "C4"
    And the worker is granted 4000 CNY in all by "skill-upgrade-subsidy"

  Scenario: A claim refused because its window closed does not use up one of the year's three claims
    # C1's window closed on 2025-01-05; C2, C3 and C4 are the three 2024 claims paid.
    Given the worker has a certificate "C1" in occupation "4-03-02-01" at cn-skill level 5 in modern_services completed on 2024-01-05
    And the worker has a certificate "C2" in occupation "4-01-02-01" at cn-skill level 5 in modern_services completed on 2024-06-01
    And the worker has a certificate "C3" in occupation "4-07-05-01" at cn-skill level 5 in modern_services completed on 2024-07-01
    And the worker has a certificate "C4" in occupation "4-10-01-02" at cn-skill level 5 in modern_services completed on 2024-08-01
    When the worker is evaluated as of 2025-03-01
    Then the claim for "C1" is refused by "skill-upgrade-subsidy/claim_within"
    And the worker is granted 1000 CNY by "skill-upgrade-subsidy" for "C4"
    And the worker is granted 3000 CNY in all by "skill-upgrade-subsidy"

  # --- recognised certificates from Hong Kong and Macao ------------------------------------

  Scenario: A Macao intermediate maintenance electrician certificate is subsidised as the mainland level 4 certificate it counts as
    Given the worker has a certificate "M1" titled "Maintenance electrician" issued in macao at mo-dsal level intermediate in advanced_manufacturing completed on 2025-04-01
    When the worker is evaluated as of 2025-12-31
    Then the worker is granted 1500 CNY by "skill-upgrade-subsidy" for "M1~cn-skill-4"
    And there is no claim for "M1"

  Scenario: A recognised Macao level 4 and a mainland level 4 electrician certificate are the same occupation and level: paid once
    # M1~cn-skill-4 (electrician 6-31-01-03, level 4, February) is paid 1500 CNY; C1 (June) is refused.
    Given the worker has a certificate "M1" titled "Maintenance electrician" issued in macao at mo-dsal level intermediate in advanced_manufacturing completed on 2025-02-01
    And the worker has a certificate "C1" in occupation "6-31-01-03" at cn-skill level 4 in advanced_manufacturing completed on 2025-06-01
    When the worker is evaluated as of 2025-12-31
    Then the worker is granted 1500 CNY by "skill-upgrade-subsidy" for "M1~cn-skill-4"
    And the claim for "C1" is refused by "skill-upgrade-subsidy/once_per"
    And the worker is granted 1500 CNY in all by "skill-upgrade-subsidy"

  Scenario: A Hong Kong QF level 3 diploma is subsidised as the mainland level 4 certificate it counts as
    Given the worker has a qualification "Q1" at hkqf level 3 with 120 hkqf credits in modern_services completed on 2025-04-01
    When the worker is evaluated as of 2025-12-31
    Then the worker is granted 1500 CNY by "skill-upgrade-subsidy" for "Q1~cn-skill-4"

  Scenario: Two Hong Kong QF level 3 diplomas in different subjects are not the same occupation: both are subsidised
    # Q1~cn-skill-4 and Q2~cn-skill-4 carry no occupation (a qualification has none), so nothing
    # says they are the same occupation: 1500 + 1500 = 3000 CNY. The ledger's one-certificate-per-
    # occupation rule (caps-and-validity/same-certificate-once) likewise leaves learning without
    # an occupation alone.
    Given the worker has a qualification "Q1" at hkqf level 3 with 120 hkqf credits in modern_services completed on 2025-03-01
    And the worker has a qualification "Q2" at hkqf level 3 with 120 hkqf credits in modern_services completed on 2025-06-01
    When the worker is evaluated as of 2025-12-31
    Then the worker is granted 1500 CNY by "skill-upgrade-subsidy" for "Q1~cn-skill-4"
    And the worker is granted 1500 CNY by "skill-upgrade-subsidy" for "Q2~cn-skill-4"
    And the worker is granted 3000 CNY in all by "skill-upgrade-subsidy"
