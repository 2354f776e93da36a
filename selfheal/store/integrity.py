"""What an approval is bound to, and whether a record still holds together.

A record shows a person a diff, runs its chosen source in approved mode and writes that
source with `selfheal apply`. Those three must be one content, and an approval must cover
exactly that content. This module owns:

* `content_problem(record)`: why the record's parts disagree (the diff does not turn the
  original function into the chosen source, the original does not match its hash, a path
  leaves the project, the chosen patch is not a verified candidate), or None. Stores call
  it on every load;
* `content_hash(record)`: the hash of everything that decides what runs and what is
  written: the record id, the function's identity and original source, the chosen
  source, the diff and its path. Status, history, notes and evidence are not in it;
* `approval_change(...)`: the StatusChange an approval appends: the approver, the time,
  the content hash, and an HMAC signature of those when a key is configured;
* `approval_problem(record, signer)`: why the record's latest approval does not cover it
  now (or cannot be checked here), or None.

It must not read or write files, must not know where records live, and must not decide
the lifecycle (that is `base.py`'s).
"""

from __future__ import annotations

import hashlib
import json
from datetime import datetime, timezone

from selfheal.models import FunctionRef, PatchRecord, PatchStatus, StatusChange
from selfheal.store.patchfile import (
    PatchConflict,
    check_relative_path,
    function_after_diff,
    same_function_source,
)
from selfheal.store.signing import KEY_ENV, KEY_FILE_ENV, Signer

__all__ = [
    "approval_change",
    "approval_of",
    "approval_problem",
    "content_hash",
    "content_problem",
]

_HASH_PREFIX = "sha256:"


def content_hash(record: PatchRecord) -> str:
    """`sha256:<hex>` of the record's canonical content (see the module docstring)."""
    ref = record.report.function
    content = {
        "v": 1,
        "id": record.id,
        "module": ref.module,
        "qualname": ref.qualname,
        "filename": ref.filename,
        "lines": [ref.firstlineno, ref.lastlineno],
        "source_hash": ref.source_hash,
        "original": ref.source,
        "chosen": record.chosen.source if record.chosen is not None else None,
        "diff": record.diff,
        "diff_path": record.diff_path,
    }
    text = json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=True)
    return _HASH_PREFIX + hashlib.sha256(text.encode()).hexdigest()


def content_problem(record: PatchRecord) -> str | None:
    """Why the record's diff, chosen source and original disagree, or None if they agree."""
    ref = record.report.function
    if FunctionRef.hash_source(ref.source) != ref.source_hash:
        return (f"the function's original source does not match its hash {ref.source_hash}: "
                "the report was edited")
    if record.diff_path:
        problem = check_relative_path(record.diff_path)
        if problem:
            return f"its diff path {problem}"
    chosen = record.chosen
    if chosen is None:
        return "it has a diff but no chosen patch" if record.diff else None
    if record.diff:
        try:
            after = function_after_diff(ref, record.diff, record.diff_path)
        except PatchConflict as exc:
            return f"its diff does not match its source: {exc}"
        if not same_function_source(after, chosen.source):
            return ("its diff shows other code than the chosen source that would run and be "
                    "applied")
    chosen_id = chosen.id  # an id is a hash of the source: same source, same id
    verified = any(o.verdict.ok and o.verdict.candidate_id == chosen_id
                   and o.candidate.source == chosen.source for o in record.candidates)
    if not verified:
        return "its chosen patch is not one of its verified candidates"
    return None


def approval_of(record: PatchRecord) -> StatusChange | None:
    """The latest approval in the record's history, or None."""
    for change in reversed(record.history):
        if change.status is PatchStatus.APPROVED:
            return change
    return None


def _payload(record_id: str, change: StatusChange) -> bytes:
    at = change.at if change.at.tzinfo else change.at.replace(tzinfo=timezone.utc)
    return (
        "selfheal approval v1\n"
        f"record {record_id}\n"
        f"content {change.content_hash}\n"
        f"by {change.by}\n"
        f"at {at.astimezone(timezone.utc).isoformat()}\n"
    ).encode()


def approval_change(
    record: PatchRecord,
    by: str,
    reason: str = "",
    signer: Signer | None = None,
    at: datetime | None = None,
) -> StatusChange:
    """The history entry of `by` approving `record` as it is now (signed if `signer`)."""
    change = StatusChange(
        status=PatchStatus.APPROVED,
        at=at or datetime.now(timezone.utc),
        by=by,
        reason=reason,
        content_hash=content_hash(record),
    )
    if signer is None:
        return change
    return change.model_copy(update={"signature": signer.sign(_payload(record.id, change))})


def approval_problem(record: PatchRecord, signer: Signer | None) -> str | None:
    """Why the latest approval does not cover the record as it is now, or None.

    With a `signer` (the deployment holds a key) the approval must carry a valid
    signature of that key; without one, a signed approval cannot be checked and is not
    trusted either.
    """
    approval = approval_of(record)
    if approval is None:
        return "no person approved it"
    problem = content_problem(record)
    if problem:
        return problem
    if not approval.content_hash:
        return (f"its approval by {approval.by} records no content hash (approved by an older "
                "selfheal, or added by hand); review it and approve it again")
    now = content_hash(record)
    if approval.content_hash != now:
        return (f"its content changed after {approval.by} approved it "
                f"({approval.at.astimezone(timezone.utc):%Y-%m-%d %H:%M} UTC): the approval "
                f"covers {approval.content_hash[:19]}, the record now hashes to {now[:19]}")
    if signer is None:
        if approval.signature:
            return (f"its approval is signed, but no signing key is configured here to check "
                    f"it (set {KEY_ENV} or {KEY_FILE_ENV})")
        return None
    if not approval.signature:
        return ("its approval is not signed, and this deployment requires signed approvals "
                "(a signing key is configured); approve it again")
    problem = signer.check(_payload(record.id, approval), approval.signature)
    if problem:
        return f"its approval's signature is invalid: {problem}"
    return None
