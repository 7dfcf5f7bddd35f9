"""A new organization's founding date: stored, audited, refused when after today, and the
organization absent from the state before it."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from db import AuditFilter, ValidationError, existing_on


def test_a_founding_date_is_stored_and_the_organization_exists_only_from_it(mini_store):
    """OSCE founded 1995-01-01 is in the 1996 state and not in the 1994 one; the audit log says when."""
    record = mini_store.quadrangle.add_organization("OSCE", "OSCE", "regional", founded=date(1995, 1, 1))
    assert record.founded == date(1995, 1, 1)
    before = existing_on(mini_store.quadrangle.state_as_of(date(1994, 6, 1)))
    after = existing_on(mini_store.quadrangle.state_as_of(date(1996, 6, 1)))
    assert "OSCE" not in {o.code for o in before.organizations}
    assert "OSCE" in {o.code for o in after.organizations}
    entry = mini_store.audit.entries(AuditFilter(entity_kind="organization"), limit=1)[0]
    assert entry.summary == "Added organization OSCE (OSCE), founded 1995-01-01"


def test_a_founding_date_after_today_is_refused(mini_store):
    """A founding date in the future is refused in one line and nothing is added."""
    with pytest.raises(ValidationError, match="after today"):
        mini_store.quadrangle.add_organization("OSCE", "OSCE", "regional", founded=date.today() + timedelta(days=1))
    assert "OSCE" not in {o.code for o in mini_store.quadrangle.organizations()}
