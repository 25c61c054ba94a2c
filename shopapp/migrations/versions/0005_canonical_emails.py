"""store every email in its canonical form

Revision ID: 0005_canonical_emails
Revises: 0004_order_stats_index
Create Date: 2026-12-02 13:10:00

Accounts are told apart by ``users.email``, which from now on holds the canonical form of
the address (``shopapp.auth.emails``: case-folded, NFC, no surrounding spaces, no invisible
characters), so that its unique index makes one account per address. Existing rows are
rewritten into that form. When two of them would become the same address, the migration
stops before writing anything and names them: which account to keep is for a person to
decide (rename or delete one, e.g. through the admin API), never for a migration.
"""
from collections import defaultdict

import sqlalchemy as sa
from alembic import op

from shopapp.auth.emails import existing_email

# revision identifiers, used by Alembic.
revision = '0005_canonical_emails'
down_revision = '0004_order_stats_index'
branch_labels = None
depends_on = None


class EmailCollisionError(RuntimeError):
    """Existing accounts whose emails have one canonical form."""


def collisions(rows):
    """{canonical email: [(id, stored email), ...]} for every form shared by two rows."""
    by_form = defaultdict(list)
    for user_id, email in rows:
        by_form[existing_email(email)].append((user_id, email))
    return {form: users for form, users in by_form.items() if len(users) > 1}


def collision_message(found):
    lines = [f"  {form!r}: " + ", ".join(f"id {user_id} ({email!r})" for user_id, email in users)
             for form, users in sorted(found.items())]
    return ("Cannot store emails in canonical form: these accounts would have the same "
            "address, and nothing was changed:\n" + "\n".join(lines) +
            "\nRename or remove all but one account of each address, then migrate again.")


def upgrade():
    connection = op.get_bind()
    rows = connection.execute(sa.text("SELECT id, email FROM users ORDER BY id")).all()
    found = collisions(rows)
    if found:
        raise EmailCollisionError(collision_message(found))
    for user_id, email in rows:
        canonical = existing_email(email)
        if canonical != email:
            connection.execute(sa.text("UPDATE users SET email = :email WHERE id = :id"),
                               {"email": canonical, "id": user_id})


def downgrade():
    pass  # the original spellings are gone; the canonical ones work with the old code too
