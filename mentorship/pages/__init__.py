"""The top floor: pages that read several apps at once (home, my mentorship, and later the
coordinator dashboard and the cycle report). Nothing imports from here."""
