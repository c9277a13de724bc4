"""The license policy: an allowlist for redistribution, explained exclusions, Hub ids."""

from __future__ import annotations

import pytest

from abstain_data.releases.licenses import hub_license, license_verdict, normalize_license


@pytest.mark.parametrize("license_id", ["cc-by-4.0", "CC-BY-SA-4.0", "mit", "Apache-2.0",
                                        "cc0-1.0", "odc-by"])
def test_allowlisted_licenses_are_redistributable(license_id: str) -> None:
    assert license_verdict(license_id) == (True, "")


@pytest.mark.parametrize(("license_id", "reason"), [
    (None, "no license stated"),
    ("", "no license stated"),
    ("none-stated", "no license stated"),
    ("unknown", "no license stated"),
    ("cc-by-nc-4.0", "non-commercial"),
    ("CC BY-NC-SA 4.0", "non-commercial"),
    ("ai2-impact-lr", "AI2 ImpACT"),
    ("gpl-3.0", "not on the redistribution allowlist"),
])
def test_other_licenses_are_excluded_with_a_reason(license_id: str | None, reason: str) -> None:
    ok, why = license_verdict(license_id)
    assert not ok and reason in why


def test_normalized_and_hub_ids() -> None:
    assert normalize_license(" CC_BY 4.0 ") == "cc-by-4.0"
    assert normalize_license(None) == "none-stated"
    assert hub_license("cc-by-nc-4.0") == "cc-by-nc-4.0"
    assert hub_license("") == "unknown"
    assert hub_license("ai2-impact-lr") == "other"
