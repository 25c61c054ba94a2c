"""Steps the journeys share, written the way a shopper would do them."""

import re
from decimal import Decimal

from playwright.sync_api import Page, expect

expect.set_options(timeout=10_000)


def money(amount):
    """Decimal("1234.5") -> "$1,234.50", the way the storefront shows money."""
    return f"${Decimal(amount):,.2f}"


def nav(page: Page):
    return page.get_by_role("navigation", name="Main")


def admin_sections(page: Page):
    return page.get_by_role("navigation", name="Admin sections")


def flip_signature(token):
    """The token with one character of its signature changed: well formed, but forged."""
    header, payload, signature = token.split(".")
    flipped = signature[:5] + ("A" if signature[5] != "A" else "B") + signature[6:]
    return ".".join([header, payload, flipped])


def alert(page: Page):
    return page.locator("#message-error")


def status(page: Page):
    return page.locator("#message-status")


def card(page: Page, name):
    return page.locator(".product-card").filter(
        has=page.get_by_role("heading", name=name, exact=True)
    )


def log_in(page: Page, email, password):
    expect(page.get_by_role("heading", name="Log in")).to_be_visible()
    main = page.locator("#main")
    main.get_by_label("Email").fill(email)
    main.get_by_label("Password").fill(password)
    main.get_by_role("button", name="Log in").click()
    expect(nav(page).get_by_role("button", name="Log out")).to_be_visible()


def log_out(page: Page):
    nav(page).get_by_role("button", name="Log out").click()
    expect(page.get_by_role("heading", name="Log in")).to_be_visible()


def cart_link(page: Page):
    return nav(page).get_by_role("link", name=re.compile(r"^Cart"))


def unlabelled_controls(page: Page):
    """Visible form controls and buttons that have no accessible name."""
    return page.evaluate(
        """() => [...document.querySelectorAll('input, select, textarea, button')]
            .filter((el) => el.offsetParent !== null)
            .filter((el) => {
              const byLabel = el.labels && [...el.labels].some((l) => l.textContent.trim());
              const byAria = (el.getAttribute('aria-label') || '').trim();
              const byRef = (el.getAttribute('aria-labelledby') || '').split(/\\s+/)
                .some((id) => id && document.getElementById(id)?.textContent.trim());
              const byText = el.tagName === 'BUTTON' && el.textContent.trim();
              return !(byLabel || byAria || byRef || byText);
            })
            .map((el) => el.outerHTML.slice(0, 120))"""
    )


def horizontal_overflow(page: Page):
    """How many CSS pixels the page is wider than the viewport (0 when nothing sticks out)."""
    return page.evaluate("document.documentElement.scrollWidth - window.innerWidth")


def serious_accessibility_violations(page: Page):
    """axe-core's serious and critical findings on the page as it is now, as readable lines."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page).response
    return [
        f"{violation['id']} ({violation['impact']}): "
        + "; ".join(node["target"][0] if node["target"] else "?" for node in violation["nodes"][:5])
        for violation in results["violations"]
        if violation["impact"] in {"serious", "critical"}
    ]
