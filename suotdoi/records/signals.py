"""What the record tells other apps, without knowing them.

`entry_verified` is sent inside the writing transaction when an entry becomes verified (by a
unit's verification, or recorded as verified by a unit or a provider). Receivers that do slow
work should defer it with `transaction.on_commit`.
"""

from django.dispatch import Signal

entry_verified = Signal()  # sender=LearningEntry, entry=…
entries_verified = Signal()  # sender=LearningEntry, entries=[…], unit=… (a batch, one unit)
