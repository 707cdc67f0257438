"""The top floor: pages that read several apps at once (home, my mentorship, the calendar
feed, the coordinators' overview, dashboard and cycle report). Nothing imports from here."""
