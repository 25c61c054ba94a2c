"""Races against a live server: threads released at one instant, shoppers with sessions."""

import threading

import requests


def race(count, action):
    """Run ``action(i)`` in ``count`` threads released at the same instant; return results."""
    barrier = threading.Barrier(count)
    results = [None] * count

    def run(index):
        barrier.wait()
        results[index] = action(index)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return results


def shopper(api, email):
    """A requests session registered and logged in as ``email``."""
    session = requests.Session()
    session.post(f"{api}/auth/register", json={"email": email, "password": "secret1"}, timeout=30)
    token = session.post(f"{api}/auth/login", json={"email": email, "password": "secret1"},
                         timeout=30).json()["access_token"]
    session.headers["Authorization"] = f"Bearer {token}"
    return session
