# The pack in rules/ must always load: every file validates, no versions overlap,
# no status cycles. A scenario that names the folder checks it as policy staff see it.
Feature: The published rule pack loads without errors

  Scenario: The rule pack in rules/ is valid
    Given the rule pack "rules"
    Then the rule pack is valid
