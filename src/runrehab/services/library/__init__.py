"""The reference library: exercises, knowledge, rules, search, the generated docs."""
