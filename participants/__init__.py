"""People and their part in a cycle: the user model, registration, pairings, the email ledger."""
