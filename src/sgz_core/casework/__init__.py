"""Casework and the service ledger (台账): beneficiaries, cases, records, visits, referrals,
five-party linkage, proactive discovery, counting and the work list (DOM-1 … DOM-6).

Pure like the rest of ``sgz_core``: no I/O and no clock; every day is an argument. The value
modules (``vocabulary``, ``identity``, ``beneficiaries``, ``cases``, ``ledger``, ``referrals``,
``linkage``, ``visits``) import nothing from :mod:`sgz_core.model`, which imports them for the
programme's sections; ``counting``, ``discovery``, ``worklist`` and ``references`` work on a
whole :class:`~sgz_core.model.Programme`. Import from the modules, not from this package.
"""

__all__: list[str] = []  # import from the modules
