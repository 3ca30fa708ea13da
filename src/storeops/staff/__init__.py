"""Staff: employees, training records, competency assessment, employee figures (6.1.8, 7.3.3)."""
