"""Goals and activity plans, the meeting log, help requests and meeting reminders."""
