"""People and their part in a cycle, one sub-package a sub-domain: `accounts` (the person),
`registrations` (registering, review, the bases, questionnaires, self-assessment), `pairings`
(matching and the pairs' writes and pages), `notifications` (the email ledger and its kinds);
their models in `models`, under the one app label `participants`."""
