"""Traffic as a cohort makes it, for `make bench`: many different mentees (not one visitor
replayed), each opening their home, their pairing's page and the events list, and one in
`WRITE_EVERY` logging a meeting through the form, from two clients at once against the
server the pages are measured on. The floor page is asked in the same mix, so each page's
time is divided by a floor that met the same load. Nothing is kept between requests (no page
HTML is cached), so what this measures is what thousands of people would find."""

import statistics
import threading
import time
from collections import defaultdict
from http.client import HTTPConnection
from urllib.parse import urlencode

WRITE_EVERY = 10
CLIENTS = 2
CSRF = "b" * 32  # a CSRF secret set as the visitor's cookie and sent with the form


def visits(found: dict) -> list[dict]:
    """Each visitor's requests, in order (`prepare.visitors` gives the people)."""
    planned = []
    for number, visitor in enumerate(found["visitors"]):
        session = visitor["session"]
        planned.append({"name": "floor", "url": found["floor"], "session": session})
        for name in ("participant home", "pairing page", "events list"):
            planned.append({"name": name, "url": visitor["urls"][name], "session": session})
        if number % WRITE_EVERY == 0:
            planned.append(
                {
                    "name": "meeting logged",
                    "url": visitor["urls"]["meeting form"],
                    "session": session,
                    "form": visitor["meeting"],
                    "referer": visitor["urls"]["pairing page"],
                }
            )
    return planned


def _headers(request: dict) -> dict:
    return {
        "Host": "127.0.0.1",
        "X-Forwarded-Proto": "https",
        "Cookie": f"sessionid={request['session']}; csrftoken={CSRF}",
    }


def _send(connection: HTTPConnection, request: dict) -> tuple[int, str]:
    headers = _headers(request)
    if "form" in request:
        headers["Content-Type"] = "application/x-www-form-urlencoded"
        headers["Referer"] = f"https://127.0.0.1{request['referer']}"
        body = urlencode({**request["form"], "csrfmiddlewaretoken": CSRF}, doseq=True)
        connection.request("POST", request["url"], body=body, headers=headers)
    else:
        connection.request("GET", request["url"], headers=headers)
    response = connection.getresponse()
    response.read()
    return response.status, response.getheader("Server-Timing") or ""


def _client(port: int, requests: list[dict], timing, results: dict, lock) -> None:
    connection = HTTPConnection("127.0.0.1", port, timeout=120)
    for request in requests:
        status, header = _send(connection, request)
        expected = 302 if "form" in request else 200
        with lock:
            if status != expected:
                results["errors"].append(f"{request['name']} {request['url']}: {status}")
                continue
            milliseconds, queries = timing(header)
            results["ms"][request["name"]].append(milliseconds)
            results["queries"][request["name"]].add(queries)
    connection.close()


def run(port: int, found: dict, timing) -> dict:
    """Send the visits from `CLIENTS` clients at once; per page: the median and 95th
    percentile server time, the queries seen; the floor's median; requests a second."""
    planned = visits(found)
    results = {"ms": defaultdict(list), "queries": defaultdict(set), "errors": []}
    lock = threading.Lock()
    shares = [planned[start::CLIENTS] for start in range(CLIENTS)]
    started = time.perf_counter()
    clients = [
        threading.Thread(target=_client, args=(port, share, timing, results, lock))
        for share in shares
    ]
    for client in clients:
        client.start()
    for client in clients:
        client.join()
    seconds = time.perf_counter() - started
    pages = {
        name: {
            "ms": statistics.median(times),
            "p95": statistics.quantiles(times, n=20)[-1] if len(times) > 1 else times[0],
            "requests": len(times),
            "queries": sorted(results["queries"][name]),
        }
        for name, times in results["ms"].items()
    }
    return {
        "people": len(found["visitors"]),
        "requests": len(planned),
        "per_second": len(planned) / seconds,
        "pages": pages,
        "errors": results["errors"],
    }
