"""The audit log: every moderator action and rule change, who did it and when."""

from __future__ import annotations

from service.extensions import db
from service.models import AuditEntry, User


def record(
    actor: User,
    action: str,
    target: str = "",
    *,
    site_id: int | None = None,
    commit: bool = True,
    **detail: object,
) -> AuditEntry:
    """Add one entry; `action` is a short verb_noun such as `approve_comment` or `create_ban`."""
    entry = AuditEntry(
        actor_id=actor.id,
        site_id=site_id,
        action=action,
        target=target,
        detail={k: v for k, v in detail.items() if v is not None},
    )
    db.session.add(entry)
    if commit:
        db.session.commit()
    return entry
