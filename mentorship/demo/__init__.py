"""The invented demo data that `manage.py demo` loads (`make run`)."""
