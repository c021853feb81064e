# The forms a cap can take (SPEC §4: caps by period, counts, per-provider maxima, minimums
# from a source, exemptions from a cap), each shown with a small fixture pack under
# tests/features/packs/ (not the default pack). Caps run after expiry, de-duplication and
# multipliers; within the cap stage, by file id and then in the order the rules are written.
# Points fill a cap in the order the learning was completed.
#
# tests/features/packs/caps-by-period: courses hours / 10;
#   half-year-cap   at most 24 course points a half-year (1 March - 31 August, 1 September - end of February)
#   yearly-cap      at most 42 course points a year starting 1 March (applied after the half-year cap)
# tests/features/packs/caps-by-count-and-source: certificates 5:20 4:40 3:80 2:120 1:160,
# courses hours / 10, formal credits 1 point a credit (so a cap in points is a cap in credits);
#   two-certificates  at most 2 certificates count, the highest (ties: the earliest)
#   per-provider      at most 30 course points from any one provider
#   outside-major     at most 10 formal credits whose field is not the worker's programme.major
# tests/features/packs/cap-exemption-and-minimum: certificates by level, any course hours / 10;
#   fifty-a-year      at most 50 points a calendar year, unless the learning is a certificate
#   trained-worker    a policy: at least 40 points in all, at least 18 of them from accredited courses
Feature: Caps by half-year and March year, by count, per provider, outside the major, exemptions and minimums

  Background:
    Given a worker "W-1"

  # --- per half-year and per year starting 1 March -----------------------------------------

  Scenario: At most 24 course points a half-year: the half from 1 March to 31 August keeps 4 of the second course's 10
    # K1 20 + K2 10 = 30 in 2024-03-01..2024-08-31: K2 keeps 4. K3 (1 September) starts a new half.
    # The year from 1 March 2024 has 20 + 4 + 10 = 34, under 42.
    Given the rule pack "tests/features/packs/caps-by-period"
    And the worker has these achievements:
      | id | type   | completed  | hours |
      | K1 | course | 2024-03-10 | 200   |
      | K2 | course | 2024-08-31 | 100   |
      | K3 | course | 2024-09-01 | 100   |
    When the worker is evaluated as of 2025-12-31
    Then achievement "K1" is counted for 20 points
    And achievement "K2" is capped to 4 points
    And achievement "K2" is adjusted by "course-caps/half-year-cap"
    And achievement "K3" is counted for 10 points
    And the explanation mentions "cap 24 per half (2024-03-01..2024-08-31), -6"
    And the total is 34 points

  Scenario: At most 42 course points a year from 1 March to the end of February, even when each half is under 24
    # Halves: K1 24 (March-August 2024); K2 18 + K3 5 = 23 (September 2024 - February 2025).
    # Year 2024-03-01..2025-02-28: 24 + 18 = 42, so K3 keeps nothing. K4 (1 March 2025) starts a new year.
    Given the rule pack "tests/features/packs/caps-by-period"
    And the worker has these achievements:
      | id | type   | completed  | hours |
      | K1 | course | 2024-04-01 | 240   |
      | K2 | course | 2024-09-15 | 180   |
      | K3 | course | 2025-02-28 | 50    |
      | K4 | course | 2025-03-01 | 50    |
    When the worker is evaluated as of 2025-12-31
    Then achievement "K1" is counted for 24 points
    And achievement "K2" is counted for 18 points
    And achievement "K3" is capped to 0 points
    And achievement "K3" is adjusted by "course-caps/yearly-cap"
    And achievement "K3" is not adjusted by "course-caps/half-year-cap"
    And achievement "K4" is counted for 5 points
    And the explanation mentions "cap 42 per year (2024-03-01..2025-02-28), -5"
    And the total is 47 points

  Scenario: 29 February 2024 belongs to the half-year that began on 1 September 2023
    # K1 fills the half 2023-09-01..2024-02-29 with 24; K2 on the leap day keeps nothing;
    # K3 on 1 March 2024 is in a new half and a new year.
    Given the rule pack "tests/features/packs/caps-by-period"
    And the worker has these achievements:
      | id | type   | completed  | hours |
      | K1 | course | 2023-09-01 | 240   |
      | K2 | course | 2024-02-29 | 10    |
      | K3 | course | 2024-03-01 | 10    |
    When the worker is evaluated as of 2025-12-31
    Then achievement "K2" is capped to 0 points
    And the explanation mentions "cap 24 per half (2023-09-01..2024-02-29), -1"
    And achievement "K3" is counted for 1 point
    And the total is 25 points

  # --- a count cap -------------------------------------------------------------------------

  Scenario: Only the two highest certificates count: the level 4 certificate is capped to nothing
    # Levels 4 (40), 2 (120) and 3 (80): the highest two, 120 + 80 = 200, count.
    Given the rule pack "tests/features/packs/caps-by-count-and-source"
    And the worker has a certificate "C1" in occupation "6-31-01-03" at cn-skill level 4 in general completed on 2019-05-01
    And the worker has a certificate "C2" in occupation "6-18-01-01" at cn-skill level 2 in general completed on 2020-05-01
    And the worker has a certificate "C3" in occupation "4-03-02-01" at cn-skill level 3 in general completed on 2021-05-01
    When the worker is evaluated as of 2025-12-31
    Then achievement "C1" is capped to 0 points
    And achievement "C1" is adjusted by "caps/two-certificates"
    And achievement "C2" is counted for 120 points
    And achievement "C3" is counted for 80 points
    And the explanation mentions "at most 2 in all (keep highest), -40"
    And the total is 200 points

  Scenario: Of three certificates worth the same, the two earliest count
    Given the rule pack "tests/features/packs/caps-by-count-and-source"
    And the worker has a certificate "C1" in occupation "6-31-01-03" at cn-skill level 3 in general completed on 2019-05-01
    And the worker has a certificate "C2" in occupation "6-18-01-01" at cn-skill level 3 in general completed on 2020-05-01
    And the worker has a certificate "C3" in occupation "4-03-02-01" at cn-skill level 3 in general completed on 2021-05-01
    When the worker is evaluated as of 2025-12-31
    Then achievement "C1" is counted for 80 points
    And achievement "C2" is counted for 80 points
    And achievement "C3" is capped to 0 points
    And the total is 160 points

  # --- a per-provider maximum --------------------------------------------------------------

  Scenario: At most 30 course points from one provider: the second P-A course keeps 10 of 15; another provider's course counts in full
    Given the rule pack "tests/features/packs/caps-by-count-and-source"
    And the worker has these achievements:
      | id | type   | completed  | hours | provider |
      | K1 | course | 2023-01-10 | 200   | P-A      |
      | K2 | course | 2024-01-10 | 150   | P-A      |
      | K3 | course | 2024-02-10 | 100   | P-B      |
    When the worker is evaluated as of 2025-12-31
    Then achievement "K1" is counted for 20 points
    And achievement "K2" is capped to 10 points
    And achievement "K2" is adjusted by "caps/per-provider"
    And achievement "K3" is counted for 10 points
    And the explanation mentions "cap 30 in all, for provider.id=P-A, -5"
    And the total is 40 points

  # --- at most 10 formal credits outside the worker's major --------------------------------

  Scenario Outline: A worker majoring in <major> counts at most 10 credits from other fields: F3 keeps <kept> of its 5
    # F1 6 credits in mechatronics, F2 8 in accounting, F3 5 in law, in that order.
    # Majoring in mechatronics, F2 + F3 = 13 are outside: F3 keeps 2. In accounting, F1 + F3 = 11: F3 keeps 4.
    Given the rule pack "tests/features/packs/caps-by-count-and-source"
    And the worker attribute "programme.major" is <major>
    And the worker has a formal credit "F1" of 6 cn-higher-ed credits in mechatronics completed on 2021-01-15
    And the worker has a formal credit "F2" of 8 cn-higher-ed credits in accounting completed on 2021-06-15
    And the worker has a formal credit "F3" of 5 cn-higher-ed credits in law completed on 2022-01-15
    When the worker is evaluated as of 2025-12-31
    Then achievement "<inside>" is counted for <credits> points
    And achievement "<inside>" is not adjusted by "caps/outside-major"
    And achievement "F3" is capped to <kept> points
    And achievement "F3" is adjusted by "caps/outside-major"
    And the total is <total> points

    Examples:
      | major        | inside | credits | kept | total |
      | mechatronics | F1     | 6       | 2    | 16    |
      | accounting   | F2     | 8       | 4    | 18    |

  # --- an exemption from a cap (unless:) ---------------------------------------------------

  Scenario: Certificates are exempt from the 50-point yearly cap: only the courses are cut
    # C1 (80) is completed first in 2024 but is exempt; K1 30 + K2 30 = 60: K2 keeps 20.
    Given the rule pack "tests/features/packs/cap-exemption-and-minimum"
    And the worker has a certificate "C1" in occupation "6-31-01-03" at cn-skill level 3 in general completed on 2024-01-15
    And the worker has an accredited course "K1" of 300 hours in general completed on 2024-03-01
    And the worker has an accredited course "K2" of 300 hours in general completed on 2024-06-01
    When the worker is evaluated as of 2025-12-31
    Then achievement "C1" is counted for 80 points
    And achievement "C1" is not adjusted by "yearly-cap/fifty-a-year"
    And achievement "K1" is counted for 30 points
    And achievement "K2" is capped to 20 points
    And the total is 130 points

  # --- a minimum from one source (total: {gte, where}) -------------------------------------

  Scenario: 18 points from accredited courses, 48 in all, make a trained worker
    # K1 accredited 180 h = 18; K2 from a provider that is not accredited, 300 h = 30.
    Given the rule pack "tests/features/packs/cap-exemption-and-minimum"
    And the worker has an accredited course "K1" of 180 hours in general completed on 2024-03-01
    And the worker has these achievements:
      | id | type   | completed  | hours | accredited | passed |
      | K2 | course | 2024-05-01 | 300   | no         | yes    |
    When the worker is evaluated as of 2025-12-31
    Then the total is 48 points
    And the policy "trained-worker" is met
    And the policy "trained-worker" is met because "total from type = course, provider.accredited = true >= 18 (has 18)"

  Scenario: 17 points from accredited courses are 1 point short, however many other points the worker has
    Given the rule pack "tests/features/packs/cap-exemption-and-minimum"
    And the worker has an accredited course "K1" of 170 hours in general completed on 2024-03-01
    And the worker has these achievements:
      | id | type   | completed  | hours | accredited | passed |
      | K2 | course | 2024-05-01 | 300   | no         | yes    |
    When the worker is evaluated as of 2025-12-31
    Then the total is 47 points
    And the policy "trained-worker" is not met
    And the policy "trained-worker" is not met because "total from type = course, provider.accredited = true >= 18" is missing 1 point

  Scenario: Accredited course points cut by the yearly cap do not count toward the minimum
    # K2 (not accredited, 40) fills 40 of the 2024 cap first; K1 (accredited, 20) keeps 10.
    Given the rule pack "tests/features/packs/cap-exemption-and-minimum"
    And the worker has these achievements:
      | id | type   | completed  | hours | accredited | passed |
      | K2 | course | 2024-02-01 | 400   | no         | yes    |
    And the worker has an accredited course "K1" of 200 hours in general completed on 2024-06-01
    When the worker is evaluated as of 2025-12-31
    Then achievement "K1" is capped to 10 points
    And the total is 50 points
    And the policy "trained-worker" is not met because "total from type = course, provider.accredited = true >= 18" is missing 8 points

  Scenario: Certificate points count toward the 40 in all but not toward the 18 from accredited courses
    Given the rule pack "tests/features/packs/cap-exemption-and-minimum"
    And the worker has a certificate "C1" in occupation "6-31-01-03" at cn-skill level 4 in general completed on 2024-01-15
    And the worker has an accredited course "K1" of 100 hours in general completed on 2024-03-01
    When the worker is evaluated as of 2025-12-31
    Then the total is 50 points
    And the policy "trained-worker" is not met because "total from type = course, provider.accredited = true >= 18" is missing 8 points
