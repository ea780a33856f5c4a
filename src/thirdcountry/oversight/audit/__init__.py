"""The tamper-evident audit trail: every write of the audited apps appended to a hash chain,
the chain and the stored records checked against it, and the log exported for a monitor to
check with their own code (``docs/audit-trail.md``).

- :mod:`.digests`: canonical JSON and the keyed digest of a record;
- :mod:`.chain`: appending entries after the head, and reading them back in order;
- :mod:`.audited`: which models the trail covers;
- :mod:`.capture`: what is captured from each save, delete, bulk insert and completed run;
- :mod:`.bulk_log` and :mod:`.bulk`: logging records written without Django, with their
  digests built column-wise;
- :mod:`.runs`: digests of what a re-screening run wrote;
- :mod:`.verification`, :mod:`.record_checks` and :mod:`.outcome`: verifying the chain and
  the stored records, and what that found;
- :mod:`.exports`: the export of the log.
"""

from __future__ import annotations

from thirdcountry.oversight.audit.audited import AUDITED_APPS, RUN_LEVEL, audited_models
from thirdcountry.oversight.audit.bulk_log import log_records
from thirdcountry.oversight.audit.capture import connect, disconnect, log_run
from thirdcountry.oversight.audit.chain import (
    Head,
    Item,
    append,
    append_digested,
    entry_hash,
    entry_payload,
    head,
    items_sha256,
    lock_head,
)
from thirdcountry.oversight.audit.digests import (
    audit_key,
    canonical_json,
    digest_of,
    model_label,
    record_digest,
    record_fields,
    record_values,
    timestamp,
)
from thirdcountry.oversight.audit.exports import EXPORT_FORMAT, export, export_lines
from thirdcountry.oversight.audit.outcome import Discrepancy, Verification
from thirdcountry.oversight.audit.runs import run_digests
from thirdcountry.oversight.audit.verification import last_verification, verify

__all__ = [
    "AUDITED_APPS",
    "EXPORT_FORMAT",
    "RUN_LEVEL",
    "Discrepancy",
    "Head",
    "Item",
    "Verification",
    "append",
    "append_digested",
    "audit_key",
    "audited_models",
    "canonical_json",
    "connect",
    "digest_of",
    "disconnect",
    "entry_hash",
    "entry_payload",
    "export",
    "export_lines",
    "head",
    "items_sha256",
    "last_verification",
    "lock_head",
    "log_records",
    "log_run",
    "model_label",
    "record_digest",
    "record_fields",
    "record_values",
    "run_digests",
    "timestamp",
    "verify",
]
