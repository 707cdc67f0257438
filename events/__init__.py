"""Seminars, workshops and reflection meetings: sign-up, waitlist and attendance."""
