# How policy staff try a draft rule file before publishing it: the scenario adds (or
# replaces) files in a copy of the default pack; rules/ itself is not changed.
Feature: A draft rule file can be tried against the default pack before it is published

  Background:
    Given the default rule pack
    And the pack has the rule file "policies/training-subsidy.yaml":
      """
      id: training-subsidy
      kind: accreditation
      version: "2026.1"
      effective: {from: 2026-01-01}
      title: {en: Eligible for a skills training subsidy, zh: 符合技能培训补贴条件}
      reference: "Draft for consultation (scenario example)"
      grants: subsidy-eligible
      requires:
        all:
          - status: skilled
          - worker: {insurance_months: {gte: 12}}
      """
    And a worker "W-1"
    And the worker has a certificate "C1" in occupation "6-31-01-03" at cn-skill level 4 in advanced_manufacturing completed on 2024-03-01

  Scenario: A skilled worker with 18 months of unemployment insurance is eligible for the draft subsidy
    Given the worker attribute "insurance_months" is 18
    When the worker is evaluated as of 2026-03-31
    Then the policy "training-subsidy" is met
    And the policy "training-subsidy" is met because "status skilled (granted by skilled-worker)"
    And the worker holds the status "subsidy-eligible"
    And the Chinese explanation mentions "已获资格 技能人才（skilled），由 skilled-worker 授予"

  Scenario: A skilled worker with 6 months of unemployment insurance is not eligible for the draft subsidy
    Given the worker attribute "insurance_months" is 6
    When the worker is evaluated as of 2026-03-31
    Then the policy "training-subsidy" is not met
    And the policy "training-subsidy" is not met because "worker insurance_months >= 12" is missing

  Scenario: The draft subsidy is not in force before 1 January 2026
    Given the worker attribute "insurance_months" is 18
    When the worker is evaluated as of 2025-12-31
    Then the policy "training-subsidy" is not in force

  Scenario: A draft version of the certificate table that overlaps the version in force is refused
    Given the pack has the rule file "conversions/cn-skill-certificates@2026.yaml":
      """
      id: cn-skill-certificates
      kind: conversion
      version: "2026.1"
      effective: {from: 2026-01-01}
      title: {en: National vocational skill certificates}
      reference: "Draft for consultation (scenario example)"
      rules:
        - id: by-level
          when: {type: certificate, level.framework: cn-skill}
          points: {lookup: level.value, table: {5: 25, 4: 50, 3: 100, 2: 150, 1: 200}}
          category: "{industry}"
      """
    Then the rule pack is refused because "overlaps version 2022.1"

  Scenario: After a new certificate table takes effect, each certificate keeps the value of the table in force when it was earned
    # The shipped table is given an end date, and a 2026 table follows it.
    Given the pack has the rule file "conversions/cn-skill-certificates.yaml":
      """
      id: cn-skill-certificates
      kind: conversion
      version: "2022.1"
      effective: {from: 1994-07-05, until: 2025-12-31}
      title: {en: National vocational skill certificates}
      reference: "Shipped table, ended for the scenario"
      rules:
        - id: by-level
          when: {type: certificate, level.framework: cn-skill}
          points: {lookup: level.value, table: {5: 20, 4: 40, 3: 80, 2: 120, 1: 160}}
          category: "{industry}"
      """
    And the pack has the rule file "conversions/cn-skill-certificates@2026.yaml":
      """
      id: cn-skill-certificates
      kind: conversion
      version: "2026.1"
      effective: {from: 2026-01-01}
      title: {en: National vocational skill certificates}
      reference: "Draft for consultation (scenario example)"
      rules:
        - id: by-level
          when: {type: certificate, level.framework: cn-skill}
          points: {lookup: level.value, table: {5: 25, 4: 50, 3: 100, 2: 150, 1: 200}}
          category: "{industry}"
      """
    And the worker has a certificate "C2" in occupation "4-03-02-01" at cn-skill level 3 in modern_services completed on 2026-03-01
    When the worker is evaluated as of 2026-06-30
    Then the rule pack is valid
    And achievement "C1" is counted for 48 points
    And achievement "C2" is counted for 100 points
    And the rule version used for "cn-skill-certificates" is "2022.1, 2026.1"
