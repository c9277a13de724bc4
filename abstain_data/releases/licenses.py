"""The license policy of a release: which source licenses may be redistributed in public configs.

`license_verdict(license)` consumes a source license string (as the adapter stated it) and produces
`(redistributable, reason)`; the reason explains an exclusion in the dataset card.
"""

from __future__ import annotations

REDISTRIBUTABLE = frozenset({
    "apache-2.0", "mit", "cc0-1.0", "cc-by-4.0", "cc-by-3.0", "cc-by-2.0", "cc-by-sa-4.0",
    "cc-by-sa-3.0", "odc-by", "odbl", "pddl", "bsd-2-clause", "bsd-3-clause", "unlicense",
    "cdla-permissive-1.0", "cdla-permissive-2.0", "cdla-sharing-1.0",
})
# ids the Hub's `license:` metadata accepts beside the allowlist (restrictive but well known)
HUB_ONLY = frozenset({
    "cc-by-nc-4.0", "cc-by-nc-sa-4.0", "cc-by-nc-nd-4.0", "cc-by-nc-3.0", "cc-by-nc-sa-3.0",
    "cc-by-nd-4.0", "gpl-3.0", "lgpl-3.0", "agpl-3.0", "openrail", "unknown", "other",
})
UNSTATED = frozenset({"", "none", "none-stated", "unknown", "other", "unspecified"})


def normalize_license(license_id: str | None) -> str:
    """The lower-case SPDX-like id of a license string; "none-stated" when empty or missing."""
    text = (license_id or "").strip().lower().replace("_", "-").replace(" ", "-")
    return text or "none-stated"


def license_verdict(license_id: str | None) -> tuple[bool, str]:
    """(True, "") when the license is on the redistribution allowlist, else (False, why not)."""
    code = normalize_license(license_id)
    if code in REDISTRIBUTABLE:
        return True, ""
    if code in UNSTATED:
        return False, "no license stated: redistribution rights unknown"
    if "-nc" in code or "noncommercial" in code or "non-commercial" in code:
        return False, "non-commercial license: not redistributable in an open release"
    if code.startswith("ai2-impact"):
        return False, "AI2 ImpACT license: redistribution restricted to licensees"
    return False, "license not on the redistribution allowlist"


def hub_license(license_id: str | None) -> str:
    """The Hub metadata id for a license: itself when the Hub knows it, "unknown" when none was
    stated, "other" for anything else (e.g. the AI2 ImpACT licenses)."""
    code = normalize_license(license_id)
    if code in REDISTRIBUTABLE or code in HUB_ONLY:
        return code
    return "unknown" if code in UNSTATED else "other"
