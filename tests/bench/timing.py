"""The benchmark's measuring instrument: each response carries its server time and its queries
in a `Server-Timing` header (`app;dur=12.3, db;dur=4.5;desc="19 queries"`), which browsers'
developer tools show too. First in the middleware, so it times every other layer."""

import time

from django.db import connections


class QueryCounter:
    def __init__(self):
        self.count = 0
        self.seconds = 0.0

    def __call__(self, execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.count += 1
            self.seconds += time.perf_counter() - started


class ServerTimingMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        counter = QueryCounter()
        started = time.perf_counter()
        with connections["default"].execute_wrapper(counter):
            response = self.get_response(request)
        elapsed = time.perf_counter() - started
        response["Server-Timing"] = (
            f"app;dur={elapsed * 1000:.3f}, "
            f'db;dur={counter.seconds * 1000:.3f};desc="{counter.count} queries"'
        )
        return response
