# The constructs of docs/rules.md that say directly what real schemes say (issue 9), on the
# fixture pack tests/packs/language:
#   learning/*                 certificates by level, credits (major or elective by the worker's
#                              major, in any case), qualifications 1 point a credit, courses
#   computer-operator/*        30 points before 2009-03-01, 20 from that day: a date condition
#   limits/withdrawn           certificates of occupations starting 4-99 are excluded, priced or not
#   limits/certificates-by-track   at most 3 certificates on a bachelor track, 2 on an associate one
#   limits/credits-electives-first at most 40 points of credits, electives cut before major courses
#   limits/courses-lowest-first    at most 20 course points a year, the lowest-valued cut first
#   diploma-holder             a qualification titled "diploma" (any case) of 60 credits and 60 points
#   shortage-subsidy           1000 CNY for a certificate in pack.yaml's shortage-occupations list
#   programme-transfer         4 points a credit, at most half of the worker's own programme
Feature: Rules say directly what real schemes say

  Background:
    Given the rule pack "tests/packs/language"
    And a worker "W-1"
    And the worker has these attributes:
      | attribute         | value        |
      | programme.track   | associate    |
      | programme.major   | Mechatronics |
      | programme.credits | 60           |

  Scenario: A certificate of a withdrawn occupation no conversion prices is excluded with its reason
    Given the worker has these achievements:
      | id | type        | title          | occupation | completed  |
      | A1 | certificate | Pager operator | 4-99-00-01 | 2003-04-18 |
    When the worker is evaluated as of 2025-12-31
    Then achievement "A1" is excluded
    And achievement "A1" is adjusted by "limits/withdrawn"
    And the explanation mentions "excluded: occupation withdrawn from the national catalogue (no conversion matched it)"
    And the explanation does not mention "-0"
    And the Chinese explanation mentions "不计分：该职业已退出国家职业资格目录（无换算规则适用）"

  Scenario Outline: A diploma of <credits> credits <makes> a diploma holder: its own points, not a sum
    Given the worker has these achievements:
      | id | type          | title                         | credits   | credit system | completed  |
      | Q1 | qualification | Higher DIPLOMA in Engineering | <credits> | hkqf          | 2019-07-01 |
      | Q2 | qualification | Diploma in Safety             | 30        | hkqf          | 2019-07-01 |
    When the worker is evaluated as of 2025-12-31
    Then the policy "diploma-holder" <outcome>

    Examples:
      | credits | makes         | outcome    |
      | 59      | does not make | is not met |
      | 60      | makes         | is met     |

  Scenario: Certificates in the occupations of the shortage list get the subsidy
    Given the worker has these achievements:
      | id | type        | title       | occupation | framework | level | completed  |
      | A1 | certificate | Electrician | 6-31-01-03 | cn-skill  | 3     | 2024-03-01 |
      | A2 | certificate | Cook        | 4-03-02-01 | cn-skill  | 5     | 2024-05-01 |
    When the worker is evaluated as of 2025-12-31
    Then the worker is granted 1000 CNY by "shortage-subsidy" for "A1"
    And there is no claim for "A2"

  Scenario Outline: On the <track> track, <kept> of three certificates count
    Given the worker attribute "programme.track" is <track>
    And the worker has these achievements:
      | id | type        | title       | occupation | framework | level | completed  |
      | C1 | certificate | Electrician | 6-31-01-03 | cn-skill  | 3     | 2024-03-01 |
      | C2 | certificate | Welder      | 6-18-02-04 | cn-skill  | 4     | 2024-05-01 |
      | C3 | certificate | Cook        | 4-03-02-01 | cn-skill  | 5     | 2024-06-01 |
    When the worker is evaluated as of 2025-12-31
    Then the total is <total> points

    Examples:
      | track     | kept | total |
      | associate | two  | 120   |
      | bachelor  | all  | 140   |

  Scenario: An associate's third certificate is cut, and the effect names the track
    Given the worker has these achievements:
      | id | type        | title       | occupation | framework | level | completed  |
      | C1 | certificate | Electrician | 6-31-01-03 | cn-skill  | 3     | 2024-03-01 |
      | C2 | certificate | Welder      | 6-18-02-04 | cn-skill  | 4     | 2024-05-01 |
      | C3 | certificate | Cook        | 4-03-02-01 | cn-skill  | 5     | 2024-06-01 |
    When the worker is evaluated as of 2025-12-31
    Then achievement "C3" is capped to 0 points
    And the explanation mentions "at most 2 in all, as worker programme.track is associate (keep highest), -20"

  Scenario: Electives are cut before major courses, whatever their dates
    Given the worker has these achievements:
      | id | type          | title    | credits | credit system | field        | completed  |
      | F1 | formal_credit | Circuits | 5       | cn-higher-ed  | mechatronics | 2024-01-10 |
      | F2 | formal_credit | English  | 4       | cn-higher-ed  | english      | 2023-01-10 |
      | F3 | formal_credit | Drives   | 4       | cn-higher-ed  | MECHATRONICS | 2024-06-10 |
    When the worker is evaluated as of 2025-12-31
    Then achievement "F1" is counted for 20 points
    And achievement "F3" is counted under major
    And achievement "F3" is counted for 16 points
    And achievement "F2" is capped to 4 points
    And the explanation mentions "cap 40 in all, cutting elective, then major first, -12"

  Scenario: The lowest-valued course is cut first, not the latest
    Given the worker has these achievements:
      | id | type   | title   | hours | completed  |
      | K1 | course | Robots  | 150   | 2025-02-01 |
      | K2 | course | Sensors | 60    | 2025-03-01 |
      | K3 | course | Safety  | 100   | 2025-04-01 |
    When the worker is evaluated as of 2025-12-31
    Then achievement "K1" is counted for 15 points
    And achievement "K2" is capped to 0 points
    And achievement "K3" is capped to 5 points
    And the explanation mentions "lowest cut first"

  Scenario Outline: The transfer limit is half of a programme of <size> credits, from the worker's record
    Given the worker attribute "programme.credits" is <size>
    And the worker has these achievements:
      | id | type          | title    | credits | credit system | field        | completed  |
      | F1 | formal_credit | Circuits | 5       | cn-higher-ed  | mechatronics | 2024-01-10 |
      | F2 | formal_credit | Drives   | 5       | cn-higher-ed  | mechatronics | 2024-06-10 |
    When the worker is evaluated as of 2025-12-31
    Then "programme-transfer" recognises <credits> credits

    Examples:
      | size | credits |
      | 60   | 10      |
      | 12   | 6       |

  Scenario: A worker whose record gives no programme size gets no transfer, and is told why
    Given a worker "W-2"
    And the worker has a formal credit "F1" of 5 cn-higher-ed credits in english completed on 2024-01-10
    When the worker is evaluated as of 2025-12-31
    Then the transfer is refused because "the record has no worker programme.credits"

  Scenario Outline: A computer operator certificate earned on <completed> is worth <points> points
    Given the worker has these achievements:
      | id | type        | title             | occupation | completed   |
      | A1 | certificate | Computer operator | 4-04-05-01 | <completed> |
    When the worker is evaluated as of 2025-12-31
    Then achievement "A1" is counted for <points> points

    Examples:
      | completed  | points |
      | 2009-02-28 | 30     |
      | 2009-03-01 | 20     |
